"""12345 routing quality and speed: `python bench/bench_hotline_routing.py [--folds 5] [--seeds 3] [--calls 2000]`.

Quality: repeated stratified k-fold over messages_train.csv (deduplicated) of the shipped method and of the
reference baseline (character 1-3-gram TF-IDF + LinearSVC on the gold messages only). For each fold the pool
of unlabeled messages loses every message whose id, normalised text or normalised subject equals a held-out
message (``digigov.hotline.routing.evaluation``), so no held-out message reaches training in any form. Also
prints how much the pool files overlap with messages_train.csv before that filtering.

Speed, pinned to one CPU core with one BLAS thread: the time to train the shipped model on everything, and
``Router.suggest`` latency per appeal (p50/p95/p99 over --calls single calls on pool messages, after a warm-up).

Learning curve (``--learning-curve 0.25,0.5,0.75,1``): the same CV with the router trained on a stratified
share of each fold's gold messages, and a log-linear extrapolation of how many gold labels (shipped plus
confirmed by dispatchers) the target would take at the rate of the last doubling.

Targets (exit 1 when missed): macro-F1 >= 0.90 on unseen messages, p95 classification < 5 ms.
No database is needed. The sealed holdout is never read.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_common import cpu_model, load_average

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(ROOT))

TARGET_MACRO_F1 = 0.90
TARGET_P95_MS = 5.0


@dataclass
class Latency:
    calls: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    cpu_p50_ms: float
    cpu_p95_ms: float


@contextmanager
def one_core() -> Iterator[str]:
    """Run on a single CPU (the first one this process may use) with one BLAS/OpenMP thread, then restore."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        try:
            before = os.sched_getaffinity(0)
            cpu = min(before)
            os.sched_setaffinity(0, {cpu})
        except (AttributeError, OSError):
            yield "not pinned"
            return
        try:
            yield f"pinned to cpu {cpu}, one BLAS thread"
        finally:
            os.sched_setaffinity(0, before)


def raw_overlap(data_dir: Path) -> dict[str, dict[str, int]]:
    """Pool messages sharing an id, a text or a subject with messages_train.csv, as the files are shipped."""
    from digigov.hotline.routing.data import LABELLED_FILE, POOL_FILES, TrainingData, read_messages
    from digigov.hotline.routing.evaluation import overlap

    gold = read_messages(data_dir / LABELLED_FILE, labelled=True)
    pool = [e for name in POOL_FILES for e in read_messages(data_dir / name, source_name=Path(name).stem)]
    return overlap(TrainingData(labelled=gold, pool=pool))


def limit_per_class(data: Any, per_class: int) -> Any:
    """A smaller copy of the data for quick runs: the first N gold messages of each class, pool cut alike."""
    from digigov.hotline.routing.data import TrainingData

    taken: dict[str, int] = defaultdict(int)
    labelled = []
    for example in data.labelled:
        taken[example.label] += 1
        if taken[example.label] <= per_class:
            labelled.append(example)
    return TrainingData(labelled=labelled, pool=data.pool[: per_class * 20], taxonomy=data.taxonomy)


def measure_latency(router: Any, messages: list[Any], calls: int, warmup: int = 100) -> Latency:
    import numpy as np

    for i in range(warmup):
        message = messages[i % len(messages)]
        router.suggest(message.subject, message.body)
    times, cpu_times = [], []
    clock, cpu_clock = time.perf_counter, time.thread_time
    for i in range(calls):
        message = messages[i % len(messages)]
        began, cpu_began = clock(), cpu_clock()
        router.suggest(message.subject, message.body)
        times.append(clock() - began)
        cpu_times.append(cpu_clock() - cpu_began)
    ms = np.array(times) * 1000
    cpu_ms = np.array(cpu_times) * 1000
    return Latency(
        calls=calls,
        p50_ms=float(np.percentile(ms, 50)),
        p95_ms=float(np.percentile(ms, 95)),
        p99_ms=float(np.percentile(ms, 99)),
        mean_ms=float(ms.mean()),
        cpu_p50_ms=float(np.percentile(cpu_ms, 50)),
        cpu_p95_ms=float(np.percentile(cpu_ms, 95)),
    )


def learning_curve(
    data: Any, fractions: Sequence[float], folds: int, seeds: Sequence[int], full: dict[str, Any]
) -> list[dict[str, Any]]:
    """macro-F1 with each fraction of the gold; ``full`` is the router's own CV (fraction 1), not run again."""
    from digigov.hotline.routing import cross_validate
    from digigov.hotline.routing.evaluation import router_scorer

    per_fold = len(data.labelled) * (folds - 1) / folds
    points = []
    for fraction in fractions:
        if fraction == 1:
            f1, sd = full["macro_f1"], full["macro_f1_std"]
        else:
            scorer = router_scorer(fraction=fraction)
            report = cross_validate(data, folds=folds, seeds=seeds, scorer=scorer, method=f"{fraction:g} of gold")
            f1, sd = round(report.macro_f1_mean, 4), round(report.macro_f1_std, 4)
        points.append(
            {"fraction": fraction, "gold_per_fold": round(per_fold * fraction), "macro_f1": f1, "macro_f1_std": sd}
        )
    return points


def labels_for_target(points: Sequence[dict[str, Any]], target: float = TARGET_MACRO_F1) -> dict[str, float] | None:
    """Gain per doubling of the gold labels between the last two points, and the gold count at which that rate
    would reach ``target``: a rough extrapolation (curves flatten), not a promise."""
    if len(points) < 2:
        return None
    first, last = points[-2], points[-1]
    doublings = math.log2(last["gold_per_fold"] / first["gold_per_fold"])
    gain = (last["macro_f1"] - first["macro_f1"]) / doublings if doublings > 0 else 0.0
    if gain <= 0:
        return {"gain_per_doubling": round(gain, 4), "gold_needed": math.inf}
    needed = last["gold_per_fold"] * 2 ** max(0.0, (target - last["macro_f1"]) / gain)
    return {"gain_per_doubling": round(gain, 4), "gold_needed": round(needed)}


def run(
    data_dir: Path,
    *,
    folds: int,
    seeds: Sequence[int],
    calls: int,
    per_class: int = 0,
    baseline: bool = True,
    curve: Sequence[float] = (),
) -> dict[str, Any]:
    from digigov.hotline.routing import Router, baseline_scorer, cross_validate, load_shipped, train

    results: dict[str, Any] = {"machine": machine(), "overlap": raw_overlap(data_dir)}
    with one_core() as pinned:
        results["pinned"] = pinned
        data = load_shipped(data_dir)
        if per_class:
            data = limit_per_class(data, per_class)
        results["data"] = {
            **data.counts(),
            "conflicting_labels_dropped": data.dropped_conflicts,
            "duplicates_dropped": data.dropped_duplicates,
        }
        report = cross_validate(data, folds=folds, seeds=seeds)
        results["router"] = {**report.summary(), "seconds": report.seconds}
        if baseline:
            reference = cross_validate(data, folds=folds, seeds=seeds, scorer=baseline_scorer(), method="base")
            results["baseline"] = {**reference.summary(), "seconds": reference.seconds}
        if curve:
            results["learning_curve"] = learning_curve(data, curve, folds, seeds, results["router"])
            results["labels_for_target"] = labels_for_target(results["learning_curve"])
        began = time.perf_counter()
        model = train(data)
        results["train_seconds"] = round(time.perf_counter() - began, 2)
        results["trained_on"] = model.trained_on
        messages = data.pool or data.labelled
        results["latency"] = measure_latency(Router(model), messages, calls).__dict__
    return results


def machine() -> str:
    return f"{cpu_model()}, python {platform.python_version()}, load average {load_average()}"


def print_results(results: dict[str, Any]) -> None:
    print(f"machine: {results['machine']} ({results['pinned']})")
    print("pool overlap with messages_train.csv:", json.dumps(results["overlap"], ensure_ascii=False))
    print("data:", json.dumps(results["data"], ensure_ascii=False))
    for key in ("router", "baseline"):
        if key in results:
            r = results[key]
            print(
                f"{key:8s} {r['cv']}: macro-F1 {r['macro_f1']:.4f} ± {r['macro_f1_std']:.4f}, "
                f"accuracy {r['accuracy']:.4f} ± {r['accuracy_std']:.4f} ({r['seconds']} s)"
            )
            print("         per class F1:", json.dumps(r["per_class_f1"], ensure_ascii=False))
    for point in results.get("learning_curve", []):
        print(
            f"learning curve: {point['fraction']:g} of the gold ({point['gold_per_fold']} per fold): "
            f"macro-F1 {point['macro_f1']:.4f} ± {point['macro_f1_std']:.4f}"
        )
    if results.get("labels_for_target"):
        estimate = results["labels_for_target"]
        print(
            f"  +{estimate['gain_per_doubling']:.4f} macro-F1 per doubling of the gold labels; "
            f"{TARGET_MACRO_F1} at that rate with about {estimate['gold_needed']} gold labels"
        )
    r = results["router"]
    print(f"confidence: softmax temperature fitted out-of-fold {r['temperature']}")
    for threshold, share in r["routed_share"].items():
        right = r["routed_accuracy"][threshold]
        print(f"  threshold {threshold}: {share:.1%} routed without a dispatcher, {right:.1%} of them right")
    print(f"training on everything: {results['train_seconds']} s, trained on {results['trained_on']}")
    lat = results["latency"]
    print(
        f"Router.suggest, one core: p50 {lat['p50_ms']:.2f} ms, p95 {lat['p95_ms']:.2f} ms, "
        f"p99 {lat['p99_ms']:.2f} ms, mean {lat['mean_ms']:.2f} ms over {lat['calls']} calls "
        f"(CPU time of the thread: p50 {lat['cpu_p50_ms']:.2f} ms, p95 {lat['cpu_p95_ms']:.2f} ms)"
    )


def missed_targets(results: dict[str, Any]) -> list[str]:
    missed = []
    if results["router"]["macro_f1"] < TARGET_MACRO_F1:
        missed.append(f"macro-F1 {results['router']['macro_f1']:.4f} < {TARGET_MACRO_F1}")
    if results["latency"]["p95_ms"] >= TARGET_P95_MS:
        missed.append(f"p95 {results['latency']['p95_ms']:.2f} ms >= {TARGET_P95_MS} ms")
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None, help="default: settings.HOTLINE_DATA_DIR")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=3, help="repetitions of the k-fold split")
    parser.add_argument(
        "--first-seed", type=int, default=1, help="seed of the first split (the method was chosen on seed 0)"
    )
    parser.add_argument("--calls", type=int, default=2000, help="single classification calls timed")
    parser.add_argument("--per-class", type=int, default=0, help="quick run: N gold messages per class")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--learning-curve",
        type=lambda text: [float(part) for part in text.split(",")],
        default=[],
        help="fractions of each fold's gold messages to train on, e.g. 0.25,0.5,0.75,1",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    data_dir = Path(args.data_dir or settings.HOTLINE_DATA_DIR)
    results = run(
        data_dir,
        folds=args.folds,
        seeds=range(args.first_seed, args.first_seed + args.seeds),
        calls=args.calls,
        per_class=args.per_class,
        baseline=not args.no_baseline,
        curve=args.learning_curve,
    )
    print_results(results)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    missed = missed_targets(results)
    if missed:
        print("MISSED: " + "; ".join(missed))
        raise SystemExit(1)
    print("targets met")


if __name__ == "__main__":
    main()
