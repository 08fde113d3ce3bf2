"""The inbox benchmark's code paths with tiny counts against the test database. Nothing here is timed."""

from __future__ import annotations

import bench_inbox
import pytest

from digigov.core.inbox.selectors import inbox_for, inbox_open_count


@pytest.mark.django_db
def test_generated_actor_sees_exactly_its_tasks_and_every_case_runs() -> None:
    bench_inbox.generate(tasks=120, others=90, seed=1)
    actor, grants = bench_inbox.Actor(), bench_inbox.grants()
    assert inbox_open_count(actor, grants=grants) == 120
    assert inbox_for(actor, "done", grants=grants).total > 0
    times = bench_inbox.measure(rounds=1)
    assert set(times) == {"page 1", "page 50", "red only", "kind 审批", "已办"}
    assert all(len(values) == 1 and values[0] > 0 for values in times.values())
