"""The hotline's clock: deadlines in working hours (签收) and working days (回复, 回访), and the card.

Office hours are 09:00–12:00 and 13:30–17:30 local time (7 working hours a day) on the working days of the
shared calendar (digigov.core.calendar: weekends, public holidays and 调休 make-up days). "Within 2 working
hours" from 16:50 on a Friday therefore ends at 10:20 on Monday; "within 5 working days" ends at 17:30 on the
fifth working day after the day it starts (that day is not counted, as for 一网通办).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from digigov.core.calendar import WorkCalendar
from digigov.hotline.models import Appeal, AppealCard, AppealStatus

OFFICE_PERIODS: tuple[tuple[time, time], ...] = ((time(9, 0), time(12, 0)), (time(13, 30), time(17, 30)))
DAY_END = OFFICE_PERIODS[-1][1]
YELLOW_FRACTION = 0.2  # yellow card when less than 20% of the stage's time is left


def _at(d: date, t: time) -> datetime:
    return timezone.make_aware(datetime.combine(d, t))


def add_working_hours(start: datetime, hours: float, calendar: WorkCalendar) -> datetime:
    """The moment `hours` of office time after `start` (aware). Time outside office hours does not count."""
    left = timedelta(hours=hours)
    local = timezone.localtime(start)
    day, now = local.date(), local.time().replace(tzinfo=None)
    while True:
        if calendar.is_working_day(day):
            for begin, end in OFFICE_PERIODS:
                if now >= end:
                    continue
                period_start = _at(day, max(begin, now))
                available = _at(day, end) - period_start
                if left <= available:
                    return period_start + left
                left -= available
        day, now = day + timedelta(days=1), time(0, 0)


def add_working_days_end(start: datetime, days: int, calendar: WorkCalendar) -> datetime:
    """The close of office on the days-th working day after the local day of `start`."""
    return _at(calendar.add_working_days(timezone.localdate(start), days), DAY_END)


def stage_window(appeal: Appeal) -> tuple[datetime | None, datetime | None]:
    """(started, due) of the stage the appeal is in: 签收 after dispatch, 回复 after signing."""
    if appeal.status == AppealStatus.DISPATCHED:
        return appeal.dispatched_at, appeal.sign_due_at
    if appeal.status == AppealStatus.SIGNED:
        return appeal.signed_at, appeal.reply_due_at
    return None, None


def card_for(appeal: Appeal, now: datetime) -> str:
    """Derived from the columns alone, so the sweeper can always recompute it."""
    started, due = stage_window(appeal)
    if started is None or due is None:
        return AppealCard.NONE
    if now > due:
        return AppealCard.RED
    total = (due - started).total_seconds()
    if total > 0 and (due - now).total_seconds() < YELLOW_FRACTION * total:
        return AppealCard.YELLOW
    return AppealCard.GREEN
