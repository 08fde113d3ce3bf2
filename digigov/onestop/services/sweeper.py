"""The deadline sweeper: re-derives every open application's yellow/red card from its columns.

Run periodically (`python manage.py services_sweep`); because the flag is derived, a lost or late job never
leaves a wrong card for longer than one sweep.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from digigov.core.calendar import work_calendar
from digigov.onestop.models import Application
from digigov.onestop.services.clock import CLOCK_RUNNING, deadline_flag

BATCH = 2000


def sweep_deadlines() -> int:
    """Recompute the flags of open applications; returns how many changed."""
    today, calendar = timezone.localdate(), work_calendar()
    changed = 0
    open_apps = (
        Application.objects.filter(status__in=CLOCK_RUNNING)
        .select_related("item")
        .only("id", "status", "due_date", "clock_paused_on", "deadline_flag", "item__promised_days")
    )
    batch: list[Application] = []
    for app in open_apps.iterator(chunk_size=BATCH):
        flag = deadline_flag(app, today, calendar)
        if flag != app.deadline_flag:
            app.deadline_flag = flag
            batch.append(app)
        if len(batch) >= BATCH:
            changed += _write(batch)
            batch = []
    return changed + _write(batch)


def _write(batch: list[Application]) -> int:
    if not batch:
        return 0
    with transaction.atomic():
        # Flags only: status and every audited fact stay untouched, so this is not an audited write.
        Application.objects.bulk_update(batch, ["deadline_flag"])
    return len(batch)
