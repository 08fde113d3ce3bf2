"""The working-day clock of an application: due dates, pauses for 补正, and the yellow/red card."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from digigov.core.calendar import CalendarNotPublished, WorkCalendar
from digigov.onestop.models import Application, ApplicationStatus, DeadlineFlag

YELLOW_FRACTION = 0.2  # yellow card when less than 20% of the promised time is left
CLOCK_RUNNING = (ApplicationStatus.ACCEPTED, ApplicationStatus.UNDER_REVIEW, ApplicationStatus.CORRECTION)


def due_date_for(app: Application, calendar: WorkCalendar) -> date:
    assert app.accepted_on is not None
    return calendar.add_working_days(app.accepted_on, app.item.promised_days + app.paused_working_days)


def deadline_flag(app: Application, today: date, calendar: WorkCalendar) -> str:
    """Derived from the columns alone, so the sweeper can always recompute it."""
    if app.status not in CLOCK_RUNNING or app.due_date is None:
        return DeadlineFlag.NONE
    if app.clock_paused_on is not None:
        return DeadlineFlag.PAUSED
    if today > app.due_date:
        return DeadlineFlag.RED
    left = calendar.working_days_between(today, app.due_date)
    if left < YELLOW_FRACTION * max(app.item.promised_days, 1):
        return DeadlineFlag.YELLOW
    return DeadlineFlag.GREEN


def start_clock(app: Application, today: date, calendar: WorkCalendar) -> None:
    app.accepted_on = today
    app.paused_working_days = 0
    app.clock_paused_on = None
    app.due_date = due_date_for(app, calendar)


def pause_clock(app: Application, today: date) -> None:
    if app.accepted_on is not None and app.clock_paused_on is None:
        app.clock_paused_on = today


def resume_clock(app: Application, today: date, calendar: WorkCalendar) -> None:
    """The working days spent waiting for the applicant's 补正 do not count against the department."""
    if app.clock_paused_on is None:
        return
    app.paused_working_days += calendar.working_days_between(app.clock_paused_on, today)
    app.clock_paused_on = None
    app.due_date = due_date_for(app, calendar)


def handling_working_days(
    accepted_on: date | None, completed_at: datetime | None, calendar: WorkCalendar
) -> int | None:
    """Working days from the day of 受理 (not counted) to the day of 办结; None without both, or when a year
    in between has no published calendar. Stored on the application at 办结 (and backfilled by migration 0003)."""
    if accepted_on is None or completed_at is None:
        return None
    try:
        return max(calendar.working_days_between(accepted_on, timezone.localdate(completed_at)), 0)
    except CalendarNotPublished:
        return None
