"""Submission throughput: `python bench/bench_services_submit.py [--database-url URL] [--workers 8]
[--duration 30] [--max-calls 0] [--replay 0.05] [--race-every 40] [--min-rate 50] [--service module:function]`.

Run bench/generate_services.py on the same database first. N worker processes (spawned, each with its own
Django and database connection, so the GIL does not serialise them before the database does) submit through
the real service digigov.onestop.services.applications.application_submit_new for --duration seconds:

* new: a fresh idempotency key per request (`<run>-<worker>-<n>`), a random benchmark citizen, a random item
  that needs no mandatory material (demo items without one, and the generated "relaxed" variants), a random
  district or street within the item's regions, and a valid form. Items with 秒批 rules are approved and
  completed at once when the rules hold, as in production.
* replay (--replay, default 5%): an earlier request of the same worker is sent again, same key and body; it
  must return the same application with created=False.
* race (every --race-every-th request): a key shared by all workers (`<run>-race-<j>`), same citizen and
  body, so several processes send the same key at about the same time; exactly one may create.

Then it verifies: no lost application (every created id exists and is submitted or completed), no duplicate
(one IdempotencyKey row and one application per key, every call with a key got the same id, no application
of the run without a key), one submit transition and audit entry per application, and the whole audit chain
intact (digigov.core.audit.audit_verify). Exits 1 when created applications per second are below --min-rate
or any check fails.
"""

from __future__ import annotations

import argparse
import importlib
import os
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
from generate_services import (  # noqa: E402 (after the path is set)
    CITIZEN_PREFIX,
    DEFAULT_URL,
    configure,
    cpu_seconds,
    data_counts,
    django_setup,
    machine_label,
)

SERVICE = "digigov.onestop.services.applications:application_submit_new"


@dataclass(frozen=True)
class Call:
    worker: int
    kind: str  # new, replay, race
    user_id: int
    key: str
    app_id: int | None
    created: bool
    seconds: float
    error: str = ""


def candidate_item_ids() -> list[int]:
    """Active items a citizen can submit without uploads and without an enterprise."""
    from digigov.onestop.models import RequiredMaterial, ServiceItem

    needing = RequiredMaterial.objects.filter(mandatory=True).values("item_id")
    items = ServiceItem.objects.filter(is_active=True, applicant_kind__in=["person", "both"]).exclude(pk__in=needing)
    return list(items.order_by("pk").values_list("pk", flat=True))


def bench_citizen_ids() -> list[int]:
    from digigov.identity.models import User

    return list(
        User.objects.filter(username__startswith=CITIZEN_PREFIX, kind="citizen", citizen__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


class Workload:
    """What one worker submits; built inside the worker process."""

    def __init__(self, item_ids: list[int], user_ids: list[int]) -> None:
        from digigov.identity.models import Region, RegionLevel, User
        from digigov.onestop.models import ServiceItem
        from digigov.onestop.tests.factories import valid_form_data

        self.items = list(ServiceItem.objects.filter(pk__in=item_ids).prefetch_related("regions").order_by("pk"))
        self.forms = {item.pk: valid_form_data(item) for item in self.items}
        placeable = list(Region.objects.filter(level__in=[RegionLevel.DISTRICT, RegionLevel.STREET]))
        self.regions = {
            item.pk: [r for r in placeable if any(a.contains(r) for a in item.regions.all())]
            or list(item.regions.all())
            for item in self.items
        }
        self.users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
        self.user_ids = sorted(self.users)

    def body(self, rng: random.Random) -> tuple[Any, Any, Any, dict[str, Any]]:
        item = rng.choice(self.items)
        user = self.users[rng.choice(self.user_ids)]
        return user, item, rng.choice(self.regions[item.pk]), self.forms[item.pk]


def submit_function(spec: str) -> Any:
    """The service to call: `module:function` with application_submit_new's signature (to try a change)."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def submit(service: Any, body: tuple[Any, Any, Any, dict[str, Any]], key: str) -> tuple[int, bool]:
    user, item, region, form = body
    app, created = service(actor=user, item=item, region=region, form_data=form, idempotency_key=key)
    return app.pk, created


def run_worker(
    worker: int, run: str, args: dict[str, Any], item_ids: list[int], user_ids: list[int], barrier: Any, out: Any
) -> None:
    """Process entry point: set up, wait for the start, submit until the deadline, report every call."""
    django_setup()
    from django.db import connection

    workload = Workload(item_ids, user_ids)
    service = submit_function(args["service"])
    connection.ensure_connection()
    backend = int(connection.connection.info.backend_pid) if connection.vendor == "postgresql" else 0
    rng = random.Random(f"{run}-{worker}")
    calls: list[Call] = []
    sent: list[tuple[tuple[Any, Any, Any, dict[str, Any]], str]] = []
    barrier.wait()
    cpu, db_cpu = time.process_time(), cpu_seconds(backend) if backend else 0.0
    deadline = time.monotonic() + args["duration"]
    n = 0
    while time.monotonic() < deadline and (not args["max_calls"] or n < args["max_calls"]):
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
            app_id, created = submit(service, body, key)
            calls.append(Call(worker, kind, body[0].pk, key, app_id, created, time.perf_counter() - started))
        except Exception as exc:  # every failure is reported and fails the benchmark
            calls.append(Call(worker, kind, body[0].pk, key, None, False, time.perf_counter() - started, repr(exc)))
    ended = time.monotonic()
    used = (time.process_time() - cpu, (cpu_seconds(backend) - db_cpu) if backend else 0.0)
    connection.close()
    out.put((worker, ended, calls, used))


def run_workers(workers: int, run: str, args: dict[str, Any]) -> tuple[float, list[Call], tuple[float, float]]:
    from django.db import connections

    item_ids, user_ids = candidate_item_ids(), bench_citizen_ids()
    if not item_ids or not user_ids:
        raise SystemExit("no candidate items or benchmark citizens: run bench/generate_services.py first")
    print(f"  {len(item_ids)} items without mandatory materials, {len(user_ids)} citizens", flush=True)
    connections.close_all()
    started, results = run_spawned(
        run_worker, workers, (run, args, item_ids, user_ids), result_timeout=args["duration"] + 600, start_timeout=300
    )
    seconds = max(ended for _, ended, _, _ in results) - started
    cpu = (sum(used[0] for *_, used in results), sum(used[1] for *_, used in results))
    return seconds, [call for _, _, calls, _ in results for call in calls], cpu


def verify(run: str, calls: list[Call], started_at: Any) -> list[str]:
    """Every problem found; empty when nothing was lost or duplicated and the chain is intact."""
    from digigov.core.audit import audit_verify
    from digigov.core.idempotency import key_digest, user_client
    from digigov.core.models import AuditEntry, IdempotencyKey
    from digigov.onestop.models import Application, ApplicationTransition

    problems: list[str] = []
    errors = [c for c in calls if c.error]
    if errors:
        problems.append(f"{len(errors)} calls failed, e.g. {errors[0].error}")
    by_key: dict[tuple[int, str], list[Call]] = defaultdict(list)
    for call in calls:
        if not call.error:
            by_key[(call.user_id, call.key)].append(call)
    created_ids = [c.app_id for c in calls if c.created and c.app_id is not None]
    if len(set(created_ids)) != len(created_ids):
        problems.append("the same application was reported created twice")
    for (user_id, key), group in by_key.items():
        ids = {c.app_id for c in group}
        if len(ids) != 1:
            problems.append(f"key {key} of user {user_id} returned several applications: {sorted(map(str, ids))}")
        creators = sum(c.created for c in group)
        if creators != 1:  # the first call with a key creates; every other one (replay, race) must not
            problems.append(f"key {key} of user {user_id}: {creators} calls reported created")
    digests = {(user_client(user_id), key_digest(key)): (user_id, key) for user_id, key in by_key}
    rows = IdempotencyKey.objects.filter(
        operation="onestop.submission", key_digest__in=[digest for _, digest in digests]
    ).values_list("client", "key_digest", "object_id")
    stored = {
        digests[(client, digest)]: int(object_id)
        for client, digest, object_id in rows
        if (client, digest) in digests and object_id
    }
    if len(stored) != len(by_key):
        problems.append(f"{len(stored)} idempotency keys stored for {len(by_key)} keys used")
    for pair, group in by_key.items():
        if stored.get(pair) != group[0].app_id:
            problems.append(f"key {pair[1]}: stored {stored.get(pair)}, returned {group[0].app_id}")
            break
    existing = dict(Application.objects.filter(pk__in=created_ids).values_list("pk", "status"))
    lost = set(created_ids) - set(existing)
    if lost:
        problems.append(f"{len(lost)} applications reported created are missing (lost), e.g. {min(lost)}")
    if any(status not in ("submitted", "completed") for status in existing.values()):
        problems.append("an application of the run is neither submitted nor completed (秒批)")
    user_ids = {c.user_id for c in calls}
    run_apps = Application.objects.filter(applicant_id__in=user_ids, created_at__gte=started_at)
    if run_apps.count() != len(set(created_ids)):
        problems.append(f"{run_apps.count()} applications created during the run, {len(set(created_ids))} reported")
    submits = ApplicationTransition.objects.filter(application_id__in=created_ids, to_status="submitted").count()
    if submits != len(created_ids):
        problems.append(f"{submits} submit transitions for {len(created_ids)} applications")
    audited = AuditEntry.objects.filter(
        action="services.application_submit", object_id__in=[str(i) for i in created_ids]
    ).count()
    if audited != len(created_ids):
        problems.append(f"{audited} submit audit entries for {len(created_ids)} applications")
    result = audit_verify()
    if not result.intact:
        problems.append(f"audit chain broken: {result.broken}")
    print(f"  audit chain: {result.checked:,} entries verified, intact={result.intact}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"benchmark database ({DEFAULT_URL})")
    parser.add_argument("--workers", type=int, default=8, help="submitting processes (8)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of submitting (30)")
    parser.add_argument("--max-calls", type=int, default=0, help="stop each worker after this many calls (0: none)")
    parser.add_argument("--replay", type=float, default=0.05, help="share of replayed keys (0.05)")
    parser.add_argument("--race-every", type=int, default=40, help="every n-th call uses a shared key (40)")
    parser.add_argument("--service", default=SERVICE, help=f"submission service, module:function ({SERVICE})")
    parser.add_argument("--min-rate", type=float, default=50.0, help="created applications per second target")
    args = parser.parse_args(argv)

    configure(args.database_url)
    django_setup()
    from django.db import close_old_connections
    from django.utils import timezone

    print(machine_label())
    print(f"data: {data_counts()}", flush=True)
    run = "b" + uuid.uuid4().hex[:10]
    started_at = timezone.now()
    options = {k: getattr(args, k) for k in ("duration", "max_calls", "replay", "race_every", "service")}
    print(f"load average before: {load_average()}", flush=True)
    seconds, calls, (app_cpu, db_cpu) = run_workers(args.workers, run, options)
    print(f"load average after: {load_average()}")
    close_old_connections()
    created = [c for c in calls if c.created]
    ok_calls = [c for c in calls if not c.error]
    kinds = {kind: sum(1 for c in calls if c.kind == kind) for kind in ("new", "replay", "race")}
    latency = [c.seconds * 1000 for c in ok_calls]
    rate = len(created) / seconds
    print(f"run {run}: {len(calls)} calls in {seconds:.1f} s by {args.workers} processes; kinds {kinds}")
    print(
        f"  created {len(created)} applications: {rate:.1f}/s; all calls {len(ok_calls) / seconds:.1f}/s; "
        f"latency ms p50 {pct(latency, 0.5):.0f} p95 {pct(latency, 0.95):.0f} p99 {pct(latency, 0.99):.0f} "
        f"mean {statistics.fmean(latency) if latency else 0:.0f}"
    )
    if ok_calls:
        per_app, per_db = app_cpu * 1000 / len(ok_calls), db_cpu * 1000 / len(ok_calls)
        print(
            f"  CPU per call: workers {per_app:.1f} ms, PostgreSQL backends {per_db:.1f} ms; {os.cpu_count()} "
            f"dedicated cores would allow about {(os.cpu_count() or 1) * 1000 / (per_app + per_db):.0f} calls/s"
        )
    problems = verify(run, calls, started_at)
    for problem in problems:
        print(f"  FAIL: {problem}")
    rate_ok = rate >= args.min_rate
    verdict = "ok" if rate_ok and not problems else "FAIL"
    replayed = sum(1 for c in ok_calls if not c.created)
    print(
        f"submissions {rate:.1f}/s (target >= {args.min_rate:.0f}/s); {replayed} replayed/raced calls answered "
        f"with the first application; checks {'passed' if not problems else 'FAILED'} -> {verdict}"
    )
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
