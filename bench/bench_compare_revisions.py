"""Old and new code, interleaved in one sitting: `python bench/bench_compare_revisions.py --base REV
[--rounds 3] [--duration 20] [--applications 20000]`.

The issue-10 target is relative (一网通办 submissions and 12345 intake at ≥ 0.9 of their speed before the
change), and this machine's speed drifts with whatever else runs on it, so the two revisions are measured in
alternation: each round runs bench_services_submit.py and bench_hotline_intake.py once on the base revision
(checked out with `git worktree add --detach` beside the repository) and once on this tree, the side that goes
first alternating between rounds. Each side has its own PostgreSQL databases (migrated by its own code; the
submission database filled by its own generate_services.py). Reported: every run's rate and CPU per call, the
median per side, and the ratio of medians new / base.

The base revision runs in this tree's virtual environment; a base that still needs a package this tree no
longer installs (django-fsm-2 before the workflow kernel) needs it installed first (the script says which).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432/"


@dataclass(frozen=True)
class Bench:
    name: str
    script: str
    rate: re.Pattern[str]
    cpu: re.Pattern[str]
    database: str


BENCHES = (
    Bench(
        "一网通办 submissions/s",
        "bench/bench_services_submit.py",
        re.compile(r"submissions ([\d.]+)/s"),
        re.compile(r"CPU per call: workers ([\d.]+) ms, PostgreSQL backends ([\d.]+) ms"),
        "services",
    ),
    Bench(
        "12345 intake appeals/s",
        "bench/bench_hotline_intake.py",
        re.compile(r"intake ([\d.]+) appeals/s"),
        re.compile(r"CPU per call: ([\d.]+) ms in the workers \+ ([\d.]+) ms"),
        "intake",
    ),
)


def checkout(rev: str) -> Path:
    git = ["git", "-C", str(ROOT)]
    sha = subprocess.run([*git, "rev-parse", rev], capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603
    tree = ROOT.parent / f"digigov-rev-{sha[:10]}"
    if not tree.exists():
        subprocess.run([*git, "worktree", "add", "--detach", str(tree), sha], check=True)  # noqa: S603
    return tree


def database(side: str, bench: Bench) -> str:
    return f"{PG}digigov_bench_cmp_{side}_{bench.database}"


def prepare(tree: Path, side: str, applications: int) -> None:
    """The submission benchmark needs a generated city; the intake benchmark prepares its own database."""
    url = database(side, BENCHES[0])
    subprocess.run(  # noqa: S603 - this interpreter, the tree's own script
        [sys.executable, "bench/generate_services.py", "--database-url", url, "--applications", str(applications)],
        cwd=tree,
        check=True,
    )


def run(tree: Path, side: str, bench: Bench, duration: float) -> tuple[float, float]:
    """(rate, CPU ms per call) of one run; the benchmark's own checks must pass."""
    command = [sys.executable, bench.script, "--database-url", database(side, bench), "--duration", str(duration)]
    result = subprocess.run([*command, "--min-rate", "0"], cwd=tree, capture_output=True, text=True)  # noqa: S603
    out = result.stdout + result.stderr
    rate, cpu = bench.rate.search(out), bench.cpu.search(out)
    if result.returncode != 0 or rate is None or cpu is None:
        print(out[-3000:])
        raise SystemExit(f"{side} {bench.script} failed (exit {result.returncode})")
    return float(rate.group(1)), float(cpu.group(1)) + float(cpu.group(2))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the revision before the change (a commit or tag)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per benchmark run (20)")
    parser.add_argument("--applications", type=int, default=20_000, help="generated applications per side")
    args = parser.parse_args()
    trees = {"base": checkout(args.base), "new": ROOT}
    for side, tree in trees.items():
        print(f"preparing {side} ({tree})", flush=True)
        prepare(tree, side, args.applications)
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for round_ in range(args.rounds):
        order = ("base", "new") if round_ % 2 == 0 else ("new", "base")
        for bench in BENCHES:
            for side in order:
                figures = run(trees[side], side, bench, args.duration)
                results.setdefault((bench.name, side), []).append(figures)
                print(f"round {round_ + 1} {bench.name} {side}: {figures[0]:.1f}/s, CPU {figures[1]:.1f} ms/call")
    print(f"\nbase {args.base} vs this tree, {args.rounds} rounds of {args.duration:.0f} s, interleaved")
    for bench in BENCHES:
        base = [r for r, _ in results[(bench.name, "base")]]
        new = [r for r, _ in results[(bench.name, "new")]]
        cpu_base = statistics.median(c for _, c in results[(bench.name, "base")])
        cpu_new = statistics.median(c for _, c in results[(bench.name, "new")])
        ratio = statistics.median(new) / statistics.median(base)
        print(
            f"{bench.name}: base median {statistics.median(base):.1f} {base}, new median "
            f"{statistics.median(new):.1f} {new}; ratio {ratio:.3f} (target >= 0.9); "
            f"CPU per call base {cpu_base:.1f} ms, new {cpu_new:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
