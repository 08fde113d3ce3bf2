"""Audit chain throughput: `python bench/bench_audit.py [--database-url URL] [--writers 8] [--appends 20000]
[--verify-rows 200000] [--mode processes|threads]`.

(a) Concurrent appends: N writers (separate processes by default, so Python's GIL does not serialise them
    before the database does) each run audit_append inside its own transaction.atomic, actor None, for a
    fixed total count; then the whole chain must verify and be contiguous (no fork).
(b) audit_verify speed: the chain is topped up to --verify-rows entries with valid chained entries (hashed
    with the real entry_hash), then verified --verify-repeat times; the median rate is reported.

The database (default postgres://postgres@127.0.0.1:5432/digigov_bench) is created if missing and migrated;
its audit tables are emptied first, so the name must contain "bench". `--database-url sqlite` runs against a
fresh SQLite file in a temporary folder, configured exactly as config/settings.py configures SQLite (WAL,
BEGIN IMMEDIATE). Exits 1 when PostgreSQL appends are below --min-appends (2,000/s) or verification is below
--min-verify (100,000 entries/s).
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bench_common import cpu_model, create_postgres_database, load_average

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/digigov_bench"
ACTIONS = ("identity.citizen_register", "services.application_submit", "hotline.appeal_route", "licenses.issue")


# --- environment ----------------------------------------------------------------------------------------


def configure(database_url: str) -> Path | None:
    """Point config.settings at the benchmark database (before Django is set up). Returns a temp dir to delete."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.pop("DIGIGOV_ENV", None)  # development keys: the benchmark never needs real ones
    if database_url.startswith("sqlite"):
        var_dir = Path(tempfile.mkdtemp(prefix="digigov-bench-"))
        os.environ["DATABASE_URL"] = ""  # the settings' own SQLite configuration, in a fresh folder
        os.environ["DIGIGOV_VAR_DIR"] = str(var_dir)
        return var_dir
    os.environ["DATABASE_URL"] = database_url
    create_postgres_database(database_url)
    return None


def django_setup() -> None:
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def backend_label() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            cursor.execute("SHOW synchronous_commit")
            sync = cursor.fetchone()[0]
            return f"PostgreSQL {version} (synchronous_commit={sync})"
        cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
        return f"SQLite {version} (journal_mode={mode}, BEGIN IMMEDIATE)"


def reset_chain() -> None:
    """Empty the audit tables of the (dedicated) benchmark database."""
    from django.db import connection, transaction

    from digigov.core.models import AuditChainHead, AuditEntry

    tables = [AuditEntry._meta.db_table, AuditChainHead._meta.db_table]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608


# --- (a) concurrent appends -----------------------------------------------------------------------------


def append_entries(writer: int, count: int) -> None:
    """What one writer does: `count` service-style transactions, each appending one audit entry."""
    from django.db import transaction

    from digigov.core.audit import audit_append

    for i in range(count):
        with transaction.atomic():
            audit_append(
                actor=None,
                action="bench.append",
                object_type="bench",
                object_id=f"{writer}:{i}",
                changes={"status": "accepted", "writer": writer, "n": i},
            )


def _writer_process(writer: int, count: int, barrier: Any, done: Any) -> None:
    """Process entry point (spawned: it imports and sets up Django itself, before the start barrier)."""
    django_setup()
    from django.db import connection

    connection.ensure_connection()
    barrier.wait()
    try:
        append_entries(writer, count)
        done.put((writer, count, time.monotonic(), ""))
    except Exception as exc:  # reported by the parent
        done.put((writer, 0, time.monotonic(), repr(exc)))
    finally:
        connection.close()


@dataclass(frozen=True)
class AppendResult:
    writers: int
    mode: str
    appended: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.appended / self.seconds


def _shares(total: int, writers: int) -> list[int]:
    return [total // writers + (1 if w < total % writers else 0) for w in range(writers)]


def run_appends_processes(writers: int, total: int) -> AppendResult:
    from django.db import connections

    connections.close_all()  # nothing inherited; every writer opens its own connection
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(writers + 1)
    done = ctx.Queue()
    procs = [
        ctx.Process(target=_writer_process, args=(w, n, barrier, done), name=f"audit-writer-{w}")
        for w, n in enumerate(_shares(total, writers))
    ]
    for proc in procs:
        proc.start()
    barrier.wait(timeout=120)  # every writer is set up and connected
    started = time.monotonic()
    results = [done.get(timeout=3600) for _ in procs]
    for proc in procs:
        proc.join()
    errors = [error for *_, error in results if error]
    if errors:
        raise RuntimeError(f"writers failed: {errors}")
    finished = max(end for _, _, end, _ in results)
    return AppendResult(writers, "processes", sum(n for _, n, _, _ in results), finished - started)


def run_appends_threads(writers: int, total: int) -> AppendResult:
    from django.db import connection

    barrier = threading.Barrier(writers + 1)
    ends: list[float] = []
    errors: list[str] = []

    def writer(number: int, count: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait()
            append_entries(number, count)
            ends.append(time.monotonic())
        except Exception as exc:  # reported below
            errors.append(repr(exc))
            barrier.abort()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=writer, args=(w, n), name=f"audit-writer-{w}")
        for w, n in enumerate(_shares(total, writers))
    ]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=120)
    started = time.monotonic()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"writers failed: {errors}")
    return AppendResult(writers, "threads", total, max(ends) - started)


def run_appends(writers: int, total: int, mode: str) -> AppendResult:
    run = run_appends_processes if mode == "processes" else run_appends_threads
    return run(writers, total)


ENTRY_COLUMNS = (
    "lane",
    "seq",
    "created_at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "source_ip",
    "changed_fields",
    "change_digest",
    "prev_hash",
    "entry_hash",
)
FLOOR_KINDS = {
    "bare": "lock a one-row table, update it, commit",
    "same-sql": "audit_append's statements on copies of the audit tables, no Django, no hashing",
}


def _floor_process(conninfo: str, kind: str, count: int, barrier: Any, done: Any) -> None:
    """A writer of the reference transactions (plain psycopg): what the database and machine allow."""
    import psycopg

    columns = ", ".join(ENTRY_COLUMNS)
    placeholders = ", ".join(["%s"] * len(ENTRY_COLUMNS))
    insert = (
        f"WITH e AS (INSERT INTO bench_floor_entry ({columns}) VALUES ({placeholders}) RETURNING id) "  # noqa: S608
        "UPDATE bench_floor_head SET last_seq = %s, last_hash = %s FROM e WHERE bench_floor_head.id = 1 "
        "RETURNING e.id"
    )
    with psycopg.connect(conninfo) as conn:
        barrier.wait()
        for i in range(count):
            if kind == "bare":
                conn.execute("SELECT n FROM bench_floor WHERE id = 1 FOR UPDATE").fetchone()
                conn.execute("UPDATE bench_floor SET n = n + 1 WHERE id = 1")
            else:
                row = conn.execute(
                    "SELECT last_seq, last_hash FROM bench_floor_head WHERE id = 1 FOR UPDATE"
                ).fetchone()
                assert row is not None
                seq, digest = row[0] + 1, f"{i:064x}"
                values = [1, seq, datetime.now(UTC), None, "system", "bench.append", "bench", str(i), None]
                values += ["n,status,writer", digest, row[1], digest, seq, digest]
                conn.execute(insert, values).fetchone()
            conn.commit()
    done.put(time.monotonic())


def run_floor(database_url: str, kind: str, writers: int, total: int) -> AppendResult:
    """PostgreSQL only: the same number of writer processes doing a reference transaction (FLOOR_KINDS)."""
    import psycopg

    from digigov.core.models import AuditChainHead, AuditEntry

    parts = urlsplit(database_url)
    conninfo = psycopg.conninfo.make_conninfo(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password) if parts.password else None,
        dbname=unquote(parts.path.lstrip("/")),
    )
    scratch = "DROP TABLE IF EXISTS bench_floor, bench_floor_entry, bench_floor_head"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(scratch)
        conn.execute("CREATE TABLE bench_floor (id int PRIMARY KEY, n bigint NOT NULL)")
        conn.execute("INSERT INTO bench_floor VALUES (1, 0)")
        conn.execute(f"CREATE TABLE bench_floor_entry (LIKE {AuditEntry._meta.db_table} INCLUDING ALL)")
        conn.execute(f"CREATE TABLE bench_floor_head (LIKE {AuditChainHead._meta.db_table} INCLUDING ALL)")
        conn.execute("INSERT INTO bench_floor_head (id, last_seq, last_hash) VALUES (1, 0, '')")
    ctx = multiprocessing.get_context("spawn")
    barrier, done = ctx.Barrier(writers + 1), ctx.Queue()
    procs = [
        ctx.Process(target=_floor_process, args=(conninfo, kind, n, barrier, done)) for n in _shares(total, writers)
    ]
    for proc in procs:
        proc.start()
    barrier.wait(timeout=120)
    started = time.monotonic()
    finished = max(done.get(timeout=3600) for _ in procs)
    for proc in procs:
        proc.join()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        bare = conn.execute("SELECT n FROM bench_floor WHERE id = 1").fetchone()
        same = conn.execute("SELECT count(*), max(seq) FROM bench_floor_entry").fetchone()
        conn.execute(scratch)
    expected = (total, (0, None)) if kind == "bare" else (0, (total, total))
    if (bare[0] if bare else None, tuple(same) if same else None) != expected:
        raise AssertionError(f"reference writers lost updates: {bare}, {same}")
    return AppendResult(writers, f"processes, {kind}", total, finished - started)


def check_chain(expected_entries: int) -> int:
    """The chain verifies end to end, has exactly the expected entries, and each lane is numbered 1..n with
    no two entries sharing a predecessor (so no lane forked)."""
    from django.db.models import Count, Max, Min

    from digigov.core.audit import audit_verify
    from digigov.core.models import AuditEntry

    result = audit_verify()
    if not result.intact:
        raise AssertionError(f"audit chain broken: {result.broken}")
    lanes = list(AuditEntry.objects.values("lane").annotate(n=Count("id"), lo=Min("seq"), hi=Max("seq")))
    total = sum(lane["n"] for lane in lanes)
    if not result.checked == total == expected_entries:
        raise AssertionError(f"chain has {total} entries and verified {result.checked}, expected {expected_entries}")
    for lane in lanes:
        if lane["lo"] != 1 or lane["hi"] != lane["n"]:
            raise AssertionError(f"lane {lane['lane']} is not numbered 1..{lane['n']}: {lane}")
    prev_hashes = AuditEntry.objects.values("prev_hash").distinct().count()
    if prev_hashes != expected_entries:
        raise AssertionError("two entries share a predecessor: the chain forked")
    return result.checked


# --- (b) verify speed -----------------------------------------------------------------------------------


def fill_chain(target: int, batch: int = 5000) -> int:
    """Top the chain up to `target` entries with valid chained entries; returns how many were added."""
    from django.db import transaction

    from digigov.core.audit import GENESIS_HASH, change_digest, entry_hash
    from digigov.core.models import AuditChainHead, AuditEntry

    added = 0
    while True:
        with transaction.atomic():
            head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
            seq, prev = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
            todo = min(batch, target - AuditEntry.objects.count())  # lane 1 takes the top-up
            if todo <= 0:
                return added
            base = datetime.now(UTC)
            rows = []
            for i in range(todo):
                seq += 1
                fields: dict[str, Any] = {
                    "seq": seq,
                    "created_at": base + timedelta(microseconds=i),
                    "actor_id": 1000 + seq % 97 if seq % 5 else None,
                    "actor_name": f"staff{seq % 97:03d}" if seq % 5 else "system",
                    "action": ACTIONS[seq % len(ACTIONS)],
                    "object_type": "application",
                    "object_id": str(seq * 7),
                    "source_ip": f"10.{seq % 200}.{seq % 250}.{seq % 199 + 1}" if seq % 3 else None,
                    "changed_fields": "id_number,mobile,status",
                    "change_digest": change_digest({"status": "accepted", "n": seq}),
                    "prev_hash": prev,
                }
                prev = entry_hash(**fields)
                rows.append(AuditEntry(**fields, lane=1, entry_hash=prev))
            AuditEntry.objects.bulk_create(rows, batch_size=1000)
            AuditChainHead.objects.update_or_create(pk=1, defaults={"last_seq": seq, "last_hash": prev})
            added += todo


@dataclass(frozen=True)
class VerifyResult:
    entries: int
    seconds: list[float]

    @property
    def per_second(self) -> float:
        return self.entries / statistics.median(self.seconds)


def measure_verify(repeat: int) -> VerifyResult:
    from digigov.core.audit import audit_verify

    timings, checked = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = audit_verify()
        timings.append(time.perf_counter() - started)
        if not result.intact:
            raise AssertionError(f"audit chain broken: {result.broken}")
        checked = result.checked
    return VerifyResult(checked, timings)


# --- report ---------------------------------------------------------------------------------------------


def table(rows: list[tuple[str, str, str, str]]) -> str:
    lines = [f"{'benchmark':<44}{'result':>16}{'target':>14}  verdict"]
    lines += [f"{name:<44}{value:>16}{target:>14}  {verdict}" for name, value, target, verdict in rows]
    return "\n".join(lines)


def _timed(label: str, step: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    value = step()
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"PostgreSQL URL or 'sqlite' ({DEFAULT_URL})")
    parser.add_argument("--writers", type=int, default=8, help="concurrent writers (default 8)")
    parser.add_argument("--appends", type=int, default=20000, help="appends in total (default 20000)")
    parser.add_argument("--mode", choices=["processes", "threads"], default="processes", help="writer kind")
    parser.add_argument("--verify-rows", type=int, default=200000, help="chain length to verify (default 200000)")
    parser.add_argument("--verify-repeat", type=int, default=3, help="verify runs; the median counts (default 3)")
    parser.add_argument("--no-floor", action="store_true", help="skip the bare lock-and-commit ceiling (PostgreSQL)")
    parser.add_argument("--min-appends", type=float, default=2000.0, help="PostgreSQL appends/s target")
    parser.add_argument("--min-verify", type=float, default=100000.0, help="verified entries/s target")
    args = parser.parse_args(argv)

    temp_dir = configure(args.database_url)
    try:
        django_setup()
        migrate()
        backend = backend_label()
        postgres = backend.startswith("PostgreSQL")
        print(f"{backend}; {os.cpu_count()} CPUs: {cpu_model()}; Python {platform.python_version()}")
        print(f"load average before: {load_average()}", flush=True)
        reset_chain()
        from digigov.core.audit import audit_append

        audit_append(actor=None, action="bench.start")  # creates the head row; not timed

        appends = _timed(
            f"{args.appends} appends by {args.writers} writer {args.mode}",
            lambda: run_appends(args.writers, args.appends, args.mode),
        )
        _timed("chain check after the appends", lambda: check_chain(args.appends + 1))
        _timed(f"fill to {args.verify_rows} entries", lambda: fill_chain(args.verify_rows))
        verified = _timed(f"verify x{args.verify_repeat}", lambda: measure_verify(args.verify_repeat))
        floors: list[AppendResult] = []
        if postgres and not args.no_floor:
            for kind in FLOOR_KINDS:
                run = functools.partial(run_floor, args.database_url, kind, args.writers, args.appends)
                floors.append(_timed(f"reference '{kind}', {args.writers} processes", run))
        print(f"load average after: {load_average()}")
    finally:
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)

    append_ok = appends.per_second >= args.min_appends or not postgres
    verify_ok = verified.per_second >= args.min_verify
    rows = [
        (
            f"audit_append, {appends.writers} writer {appends.mode}",
            f"{appends.per_second:,.0f}/s",
            f">= {args.min_appends:,.0f}/s" if postgres else "(PostgreSQL)",
            ("ok" if append_ok else "FAIL") if postgres else "-",
        ),
        (
            f"audit_verify, {verified.entries:,} entries (median of {len(verified.seconds)})",
            f"{verified.per_second:,.0f}/s",
            f">= {args.min_verify:,.0f}/s",
            "ok" if verify_ok else "FAIL",
        ),
    ]
    for floor in floors:
        rows.append((f"reference: {floor.mode.split(', ')[1]}", f"{floor.per_second:,.0f}/s", "(no target)", "-"))
    print(table(rows))
    print(
        f"appends: {appends.appended} in {appends.seconds:.2f} s; "
        f"verify runs: {', '.join(f'{s:.2f} s' for s in verified.seconds)}"
    )
    return 0 if append_ok and verify_ok else 1


if __name__ == "__main__":
    sys.exit(main())
