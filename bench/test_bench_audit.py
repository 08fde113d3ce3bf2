"""The audit benchmark's code paths with tiny counts against the test database. Nothing here is timed."""

from __future__ import annotations

import bench_audit
import pytest

from digigov.core.audit import audit_append, audit_verify
from digigov.core.models import AuditEntry


def test_shares_split_the_total_exactly() -> None:
    assert bench_audit._shares(10, 3) == [4, 3, 3]
    assert sum(bench_audit._shares(20000, 8)) == 20000


@pytest.mark.django_db(transaction=True)
def test_benchmark_steps_leave_an_intact_chain() -> None:
    writers = 4  # the test database is a file on SQLite too (ADR 0006), so writers queue as in production
    bench_audit.reset_chain()
    assert AuditEntry.objects.count() == 0
    audit_append(actor=None, action="bench.start")

    appended = bench_audit.run_appends(writers, 40, "threads")
    assert (appended.writers, appended.appended) == (writers, 40)
    assert bench_audit.check_chain(41) == 41
    assert AuditEntry.objects.filter(action="bench.append").count() == 40

    assert bench_audit.fill_chain(100, batch=25) == 59
    assert bench_audit.fill_chain(100) == 0  # already long enough
    verified = bench_audit.measure_verify(2)
    assert verified.entries == 100
    assert len(verified.seconds) == 2
    assert audit_verify().intact
    rows = [("a", "1/s", "-", "ok")]
    assert "benchmark" in bench_audit.table(rows)


@pytest.mark.django_db(transaction=True)
def test_chain_check_notices_a_fork() -> None:
    bench_audit.reset_chain()
    audit_append(actor=None, action="bench.start")
    bench_audit.fill_chain(10)
    AuditEntry.objects.filter(seq=5).update(action="forged")
    with pytest.raises(AssertionError, match="broken"):
        bench_audit.check_chain(10)


def test_refuses_a_database_without_bench_in_its_name() -> None:
    with pytest.raises(SystemExit, match="refusing"):
        bench_audit.create_postgres_database("postgres://postgres@127.0.0.1:5432/digigov")
