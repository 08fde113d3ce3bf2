"""The working clock every domain counts its time limits with, on the shared working-day calendar
(`digigov.core.calendar`: weekends, public holidays and 调休 make-up days).

Working days: "within n working days" from a day ends with the n-th working day after it (that day is not
counted). Working hours: office hours are 09:00–12:00 and 13:30–17:30 local time (7 working hours a day), so
"within 2 working hours" from 16:50 on a Friday ends at 10:20 on Monday. Deadlines are kept as instants
(`due_at`) and the moment a card turns yellow (`yellow_at`); see `digigov.core.workflow.cards`.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from digigov.core.calendar import CalendarNotPublished, WorkCalendar

OFFICE_PERIODS: tuple[tuple[time, time], ...] = ((time(9, 0), time(12, 0)), (time(13, 30), time(17, 30)))
DAY_END = OFFICE_PERIODS[-1][1]
YELLOW_FRACTION = 0.2  # a card turns yellow when less than 20% of the time allowed is left


def local_instant(d: date, t: time) -> datetime:
    return timezone.make_aware(datetime.combine(d, t))


def start_of_day(d: date) -> datetime:
    return local_instant(d, time(0, 0))


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
                period_start = local_instant(day, max(begin, now))
                available = local_instant(day, end) - period_start
                if left <= available:
                    return period_start + left
                left -= available
        day, now = day + timedelta(days=1), time(0, 0)


def add_working_days_end(start: datetime, days: int, calendar: WorkCalendar) -> datetime:
    """The close of office on the days-th working day after the local day of `start`."""
    return local_instant(calendar.add_working_days(timezone.localdate(start), days), DAY_END)


def yellow_before(started: datetime, due: datetime) -> datetime:
    """A limit counted in time (working hours): yellow once less than YELLOW_FRACTION of it is left."""
    return due - (due - started) * YELLOW_FRACTION


def day_limit_instants(due_date: date, allowed_days: int, calendar: WorkCalendar) -> tuple[datetime, datetime]:
    """(yellow_at, due_at) of a limit counted in whole working days that ends with `due_date`: red from the
    day after it, yellow from the first day on which fewer than YELLOW_FRACTION of the allowed working days
    are left (counted as `working_days_between(that day, due_date)`)."""
    threshold = YELLOW_FRACTION * max(allowed_days, 1)
    first_yellow = due_date
    # Walk back while the day before still leaves too little; at most ceil(threshold) working days back.
    for _ in range(7 * (math.ceil(threshold) + 2)):
        earlier = first_yellow - timedelta(days=1)
        try:
            if calendar.working_days_between(earlier, due_date) >= threshold:
                break
        except CalendarNotPublished:  # the year before is not loaded: no day in it can be the first yellow one
            break
        first_yellow = earlier
    return start_of_day(first_yellow), start_of_day(due_date + timedelta(days=1))
