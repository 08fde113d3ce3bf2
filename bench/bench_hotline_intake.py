"""Hotline intake throughput: `python bench/bench_hotline_intake.py [--database-url URL] [--workers 6]
[--duration 30] [--replay 0.05] [--race-every 40] [--min-rate 100]`.

N worker processes (spawned, each with its own Django and database connection) call the real intake service
digigov.hotline.services.intake.submit_appeal for --duration seconds, as the API channel does: a real message
from the public message board (../shared/data/hotline, places mapped to the demo city), a street of the demo
city as the address, a caller, and an idempotency key. Every appeal is validated, located, classified by the
active routing model, checked against the similar open appeals of its street, stored with its timeline event and
audit entry, and dispatched at once when the model is confident — the whole intake path.

* new: a fresh key per request; replay (--replay, 5%): an earlier request of the same worker again, same key and
  body, must return the same appeal; race (every --race-every-th call): a key shared by all workers at about the
  same moment, exactly one may create.

Then it verifies: nothing lost (every returned id exists), nothing duplicated (one appeal per key), each
readable number made from its appeal's own id, one "received" event and one audit entry per appeal, the audit
chain intact. It also reports the CPU the workers and their PostgreSQL server processes used per call, a figure
other load on the machine changes far less than the rate. Exits 1 below --min-rate or on any
failed check. The database is prepared on first use (migrate + the demo city with its hotline and model).
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))

from bench_common import load_average, pct, run_spawned  # noqa: E402 (after the path is set)
from generate_services import configure, cpu_seconds, django_setup, machine_label  # noqa: E402 (after the path is set)

from digigov.core.policy import SYSTEM  # noqa: E402 (after the path is set)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/digigov_bench_hotline_intake"


@dataclass(frozen=True)
class Call:
    worker: int
    kind: str  # new, replay, race
    key: str
    appeal_id: int | None
    seconds: float
    error: str = ""


def prepare() -> None:
    from django.core.management import call_command

    from digigov.demo.loader import load_demo
    from digigov.hotline.routing.store import active_router
    from digigov.hotline.routing.training import train_from_data_dir
    from digigov.hotline.services.routing_models import publish_version

    call_command("migrate", verbosity=0)
    load_demo()
    if active_router() is None:  # none yet, or one this code refuses (an older file format): train anew
        publish_version(train_from_data_dir(), actor=SYSTEM)


def messages() -> list[tuple[str, str]]:
    from django.conf import settings

    from digigov.hotline.demo_data import localise

    out = []
    for name in ("messages_unlabeled.csv", "messages_votes.csv"):
        with (Path(settings.HOTLINE_DATA_DIR) / name).open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                subject, text = localise(row["留言主题"].strip())[:100], localise(row["留言详情"].strip())[:5000]
                if len(text) >= 5:
                    out.append((subject, text))
    return out


class Workload:
    def __init__(self) -> None:
        from digigov.identity.models import Region, RegionLevel

        self.messages = messages()
        self.streets = [
            f"本溪市{r.parent.name if r.parent else ''}{r.name}"
            for r in Region.objects.filter(level=RegionLevel.STREET).select_related("parent")
        ]

    def body(self, rng: random.Random) -> dict[str, Any]:
        subject, text = rng.choice(self.messages)
        return {
            "channel": "api",
            "appeal_type": rng.choice(["complaint", "complaint", "help", "consultation", "suggestion", "report"]),
            "subject": subject,
            "text": text,
            "address": rng.choice(self.streets) + f"{rng.randint(1, 300)}号",
            "caller_name": "王海峰",
            "caller_phone": f"139{rng.randint(0, 99_999_999):08d}",
        }


def submit(body: dict[str, Any], key: str) -> int:
    from digigov.hotline.services.intake import AppealInput, submit_appeal

    return int(submit_appeal(actor=SYSTEM, data=AppealInput(**body, idempotency_key=key)).pk)


def _backend_pid() -> int | None:
    """The PostgreSQL server process of this worker's connection (its CPU is read from /proc), if local."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def run_worker(worker: int, run: str, args: dict[str, Any], barrier: Any, out: Any) -> None:
    django_setup()
    from django.db import connection

    workload = Workload()
    submit(workload.body(random.Random(worker)), f"{run}-warm-{worker}")  # loads the model and jieba
    rng = random.Random(f"{run}-{worker}")
    calls: list[Call] = []
    sent: list[tuple[dict[str, Any], str]] = []
    backend = _backend_pid()
    barrier.wait()
    client_cpu, server_cpu = time.process_time(), cpu_seconds(backend) if backend else 0.0
    deadline = time.monotonic() + args["duration"]
    n = 0
    while time.monotonic() < deadline:
        n += 1
        if args["race_every"] and n % args["race_every"] == 0:
            kind, j = "race", n // args["race_every"]
            body, key = workload.body(random.Random(f"{run}-race-{j}")), f"{run}-race-{j}"
        elif sent and rng.random() < args["replay"]:
            kind = "replay"
            body, key = rng.choice(sent)
        else:
            kind = "new"
            body, key = workload.body(rng), f"{run}-{worker}-{n}"
            sent.append((body, key))
        started = time.perf_counter()
        try:
            calls.append(Call(worker, kind, key, submit(body, key), time.perf_counter() - started))
        except Exception as exc:  # every failure is reported and fails the benchmark
            calls.append(Call(worker, kind, key, None, time.perf_counter() - started, repr(exc)))
    ended = time.monotonic()
    client_cpu = time.process_time() - client_cpu
    server_cpu = cpu_seconds(backend) - server_cpu if backend else 0.0
    connection.close()
    out.put((ended, calls, client_cpu, server_cpu))


def run_workers(workers: int, run: str, args: dict[str, Any]) -> tuple[float, list[Call], float, float]:
    """Seconds from the release to the last worker's end, every call, and the CPU seconds the workers and their
    PostgreSQL server processes used meanwhile (a measure the other load on the machine hardly changes)."""
    from django.db import connections

    connections.close_all()
    started, results = run_spawned(run_worker, workers, (run, args), result_timeout=args["duration"] + 600)
    seconds = max(r[0] for r in results) - started
    return seconds, [c for r in results for c in r[1]], sum(r[2] for r in results), sum(r[3] for r in results)


def verify(run: str, calls: list[Call]) -> list[str]:
    from digigov.core.audit import audit_verify
    from digigov.core.models import AuditEntry
    from digigov.hotline.models import Appeal, AppealEvent

    problems: list[str] = []
    errors = [c for c in calls if c.error]
    if errors:
        problems.append(f"{len(errors)} calls failed, e.g. {errors[0].error}")
    by_key: dict[str, set[int]] = defaultdict(set)
    for call in calls:
        if not call.error and call.appeal_id is not None:
            by_key[call.key].add(call.appeal_id)
    if any(len(ids) != 1 for ids in by_key.values()):
        problems.append("a key returned several appeals")
    ids = {next(iter(v)) for v in by_key.values()}
    stored = Appeal.objects.filter(idempotency_key__startswith=f"{run}-").exclude(idempotency_key__contains="-warm-")
    if stored.count() != len(ids):
        problems.append(f"{stored.count()} appeals stored for {len(ids)} keys used (lost or duplicated)")
    if set(stored.values_list("pk", flat=True)) != ids:
        problems.append("the stored appeals are not the ones returned")
    if any(not number.endswith(f"{pk:06d}") for pk, number in stored.values_list("pk", "number")):
        problems.append("an appeal's readable number is not made from its own id")
    received = AppealEvent.objects.filter(appeal_id__in=ids, action="received").count()
    audited = AuditEntry.objects.filter(action="hotline.appeal_received", object_id__in=[str(i) for i in ids]).count()
    if received != len(ids) or audited != len(ids):
        problems.append(f"{received} received events and {audited} audit entries for {len(ids)} appeals")
    result = audit_verify()
    print(f"  audit chain: {result.checked:,} entries verified, intact={result.intact}")
    if not result.intact:
        problems.append(f"audit chain broken: {result.broken}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"benchmark database ({DEFAULT_URL})")
    parser.add_argument("--workers", type=int, default=6, help="submitting processes (6)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of submitting (30)")
    parser.add_argument("--replay", type=float, default=0.05, help="share of replayed keys (0.05)")
    parser.add_argument("--race-every", type=int, default=40, help="every n-th call uses a shared key (40)")
    parser.add_argument("--min-rate", type=float, default=100.0, help="created appeals per second target (100)")
    args = parser.parse_args(argv)

    configure(args.database_url)
    django_setup()
    from django.db import close_old_connections

    from digigov.hotline.models import Appeal

    prepare()
    print(machine_label())
    print(f"appeals before the run: {Appeal.objects.count():,}; load average before: {load_average()}", flush=True)
    run = "h" + uuid.uuid4().hex[:10]
    options = {k: getattr(args, k) for k in ("duration", "replay", "race_every")}
    seconds, calls, client_cpu, server_cpu = run_workers(args.workers, run, options)
    print(f"load average after: {load_average()}")
    close_old_connections()
    ok = [c for c in calls if not c.error]
    created = len({c.appeal_id for c in ok})
    latency = [c.seconds * 1000 for c in ok]
    rate = created / seconds
    kinds = {kind: sum(1 for c in calls if c.kind == kind) for kind in ("new", "replay", "race")}
    print(f"run {run}: {len(calls)} calls in {seconds:.1f} s by {args.workers} processes; kinds {kinds}")
    mean = statistics.fmean(latency) if latency else 0.0
    print(
        f"  created {created} appeals: {rate:.1f}/s; latency ms p50 {pct(latency, 0.5):.0f} "
        f"p95 {pct(latency, 0.95):.0f} p99 {pct(latency, 0.99):.0f} mean {mean:.0f}"
    )
    if calls:
        print(
            f"  CPU per call: {client_cpu / len(calls) * 1000:.1f} ms in the workers + "
            f"{server_cpu / len(calls) * 1000:.1f} ms in their PostgreSQL server processes"
        )
    problems = verify(run, calls)
    for problem in problems:
        print(f"  FAIL: {problem}")
    verdict = "ok" if rate >= args.min_rate and not problems else "FAIL"
    print(
        f"intake {rate:.1f} appeals/s (target >= {args.min_rate:.0f}/s); checks "
        f"{'passed' if not problems else 'FAILED'} -> {verdict}"
    )
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
