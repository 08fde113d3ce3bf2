"""一网通办's periodic jobs, run by the platform's background worker (`manage.py run_huey`)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from digigov.onestop.services.sweeper import sweep_deadlines


@db_periodic_task(crontab(minute="*/5"))
def deadlines_sweep() -> int:
    """Every 5 minutes: count the applications whose card is yellow or red."""
    return sweep_deadlines()
