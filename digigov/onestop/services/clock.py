"""The working-day clock of an application: due dates, pauses for 补正, and the instants its card derives from."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from digigov.core.calendar import CalendarNotPublished, WorkCalendar, work_calendar
from digigov.core.clock import day_limit_instants
from digigov.core.workflow import Deadlines
from digigov.onestop.models import CLOCK_RUNNING, Application

__all__ = [
    "CLOCK_RUNNING",
    "application_deadlines",
    "due_date_for",
    "handling_working_days",
    "pause_clock",
    "resume_clock",
    "start_clock",
]


def due_date_for(app: Application, calendar: WorkCalendar) -> date:
    assert app.accepted_on is not None
    return calendar.add_working_days(app.accepted_on, app.item.promised_days + app.paused_working_days)


def application_deadlines(app: Application, now: datetime | None = None) -> Deadlines:
    """The instants the card derives from: red from the day after `due_date`, yellow from the first day with
    fewer than 20% of the promised working days left. Kept while the clock is paused (the card says 补正暂停)
    and recomputed when it resumes."""
    if app.due_date is None:
        return Deadlines(None, None)
    yellow_at, due_at = day_limit_instants(app.due_date, app.item.promised_days, work_calendar())
    return Deadlines(yellow_at, due_at)


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
