"""12345's periodic jobs, run by the platform's background worker (`manage.py run_huey`)."""

from __future__ import annotations

from django.core.management import call_command
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from digigov.hotline.services.sweeper import sweep_appeals


@db_periodic_task(crontab(minute="*"))
def appeals_sweep() -> tuple[int, int]:
    """Every minute (签收 limits are in working hours): count the overdue, 督办 the newly overdue."""
    result = sweep_appeals()
    return result.overdue, result.escalated


@db_periodic_task(crontab(hour="2", minute="30"))
def routing_retrain() -> None:
    """Nightly: retrain the router on the shipped data plus the day's confirmed categories (`hotline_train`)."""
    call_command("hotline_train")
