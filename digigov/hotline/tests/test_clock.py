"""Working-hour and working-day deadlines of the hotline, and the card derived from them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from digigov.core.calendar import WorkCalendar
from digigov.hotline.models import Appeal, AppealCard, AppealStatus
from digigov.hotline.services.clock import add_working_days_end, add_working_hours, card_for

# 2026: 国庆 1–8 October off, Saturday 10 October a make-up working day (调休).
CALENDAR = WorkCalendar(
    {**{date(2026, 10, d): False for d in range(1, 9)}, date(2026, 10, 10): True},
    loaded_years=[2026, 2027],
)


def local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (local(2026, 11, 23, 9, 30), 2, local(2026, 11, 23, 11, 30)),  # Monday morning
        (local(2026, 11, 23, 11, 0), 2, local(2026, 11, 23, 14, 30)),  # the lunch break does not count
        (local(2026, 11, 27, 16, 50), 2, local(2026, 11, 30, 10, 20)),  # Friday evening → Monday
        (local(2026, 11, 28, 10, 0), 2, local(2026, 11, 30, 11, 0)),  # Saturday counts from Monday 09:00
        (local(2026, 11, 23, 20, 0), 1, local(2026, 11, 24, 10, 0)),  # after hours → next morning
        (local(2026, 9, 30, 17, 0), 2, local(2026, 10, 9, 10, 30)),  # 国庆 off, 9 October (Friday) back at work
        (local(2026, 10, 9, 17, 0), 1, local(2026, 10, 10, 9, 30)),  # the 调休 Saturday is a working day
        (local(2026, 11, 23, 9, 0), 7, local(2026, 11, 23, 17, 30)),  # one full working day
    ],
)
def test_working_hours_skip_nights_lunch_weekends_and_holidays(start: datetime, hours: int, expected: datetime) -> None:
    assert add_working_hours(start, hours, CALENDAR) == expected


def test_working_days_end_at_close_of_office() -> None:
    assert add_working_days_end(local(2026, 11, 27, 10, 0), 1, CALENDAR) == local(2026, 11, 30, 17, 30)
    assert add_working_days_end(local(2026, 9, 30, 10, 0), 2, CALENDAR) == local(2026, 10, 10, 17, 30)


def _appeal(status: str, started: datetime, due: datetime) -> Appeal:
    appeal = Appeal(status=status)
    if status != AppealStatus.SIGNED:
        appeal.dispatched_at, appeal.sign_due_at = started, due
    else:
        appeal.signed_at, appeal.reply_due_at = started, due
    return appeal


@pytest.mark.parametrize("status", [AppealStatus.DISPATCHED, AppealStatus.SIGNED])
def test_card_green_yellow_red(status: str) -> None:
    started = local(2026, 11, 23, 9, 0)
    due = started + timedelta(hours=10)
    appeal = _appeal(status, started, due)
    assert card_for(appeal, started + timedelta(hours=1)) == AppealCard.GREEN
    assert card_for(appeal, due - timedelta(hours=1)) == AppealCard.YELLOW  # 10% left
    assert card_for(appeal, due + timedelta(minutes=1)) == AppealCard.RED


def test_no_card_outside_the_running_stages() -> None:
    started = local(2026, 11, 23, 9, 0)
    for status in (AppealStatus.RECEIVED, AppealStatus.REPLIED, AppealStatus.CLOSED, AppealStatus.MERGED):
        appeal = _appeal(status, started, started + timedelta(hours=1))
        assert card_for(appeal, started + timedelta(days=3)) == AppealCard.NONE
