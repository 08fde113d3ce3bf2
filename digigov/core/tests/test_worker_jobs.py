"""The one background worker's schedule: every periodic job is registered with Huey and calls the domain's own
function (the sweepers' commands call the same ones)."""

from __future__ import annotations

import datetime
import importlib.util

import pytest
from django.conf import settings
from huey.contrib.djhuey import HUEY

from digigov.core import tasks as core_tasks
from digigov.hotline import tasks as hotline_tasks
from digigov.onestop import tasks as onestop_tasks

pytestmark = pytest.mark.django_db


def _runs_at(task: object, when: datetime.datetime) -> bool:
    return bool(task.task_class().validate_datetime(when))  # type: ignore[attr-defined]


def test_every_periodic_job_is_registered_with_its_schedule() -> None:
    registered = set(HUEY._registry._registry)
    names = {name.rsplit(".", 1)[-1] for name in registered}
    assert {"outbox_sweep", "deadlines_sweep", "appeals_sweep", "routing_retrain", "idempotency_prune"} <= names
    assert any(name.endswith("djtasks.run") for name in registered), "django.tasks enqueue through Huey"
    minute = datetime.datetime(2026, 12, 7, 10, 1)
    assert _runs_at(core_tasks.outbox_sweep, minute) and _runs_at(hotline_tasks.appeals_sweep, minute)
    assert not _runs_at(onestop_tasks.deadlines_sweep, minute)
    assert _runs_at(onestop_tasks.deadlines_sweep, minute.replace(minute=5))
    assert _runs_at(hotline_tasks.routing_retrain, minute.replace(hour=2, minute=30))
    assert not _runs_at(hotline_tasks.routing_retrain, minute.replace(hour=14, minute=30))


def test_the_jobs_call_the_domains_sweepers() -> None:
    assert isinstance(onestop_tasks.deadlines_sweep.call_local(), int)
    cards, escalated = hotline_tasks.appeals_sweep.call_local()
    assert cards >= 0 and escalated >= 0
    assert core_tasks.outbox_sweep.call_local() >= 0


def test_idempotency_pruning_is_scheduled_only_when_the_helper_exists() -> None:
    result = core_tasks.idempotency_prune.call_local()
    if importlib.util.find_spec("digigov.core.idempotency") is None:
        assert result is None
    else:
        assert isinstance(result, int)


def test_the_queue_is_redis_with_redis_url_and_a_sqlite_file_otherwise() -> None:
    if settings.REDIS_URL:
        assert settings.HUEY["huey_class"] == "huey.RedisHuey"
        assert settings.HUEY["connection"] == {"url": settings.REDIS_URL}
    else:
        assert settings.HUEY["huey_class"] == "huey.SqliteHuey"
        assert settings.HUEY["connection"]["filename"].endswith(".sqlite3")
    assert type(HUEY).__name__ == settings.HUEY["huey_class"].rsplit(".", 1)[-1]
