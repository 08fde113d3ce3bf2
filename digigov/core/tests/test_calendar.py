"""The working-day calendar: facts from the State Council's notices, the counting convention, strictness about
years that are not loaded, the administrator's write path (audited, visible at once) and a property check.

Official arrangements used below:
  2025 (国办发明电〔2024〕12号): 国庆节、中秋节 10月1日（周三）至8日（周三）放假调休，共8天；
       9月28日（周日）、10月11日（周六）上班.
  2026 (国办发明电〔2025〕7号): 元旦 1月1日（周四）至3日（周六）放假调休，1月4日（周日）上班；
       春节 2月15日（周日）至23日（周一）放假调休，共9天；2月14日（周六）、2月28日（周六）上班.
The session database holds the demo city but no calendar: tests that need one seed it (rolled back after).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from io import StringIO

import chinese_calendar
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from digigov.core import calendar as calendar_module
from digigov.core.calendar import (
    VERSION_KEY,
    CalendarNotPublished,
    WorkCalendar,
    work_calendar,
    work_calendar_invalidate,
)
from digigov.core.errors import DomainError, ValidationFailed
from digigov.core.models import AuditEntry, CalendarDay, CalendarSource, CalendarYear
from digigov.core.policy import SYSTEM
from digigov.core.services.calendar import (
    calendar_day_set,
    calendar_seed_from_chinesecalendar,
    calendar_year_publish,
    chinesecalendar_exceptions,
    chinesecalendar_years,
)
from digigov.identity.models import User

D = date
COVERED = chinesecalendar_years()
PURE = WorkCalendar({d: w for d, (w, _) in chinesecalendar_exceptions(COVERED).items()}, COVERED)


@pytest.fixture(autouse=True)
def _empty_calendar(request: pytest.FixtureRequest) -> None:
    """Database tests start from an empty calendar, whatever the session database was loaded with (the rows
    come back when the test's transaction rolls back)."""
    if request.node.get_closest_marker("django_db") is not None:
        CalendarDay.objects.all().delete()
        CalendarYear.objects.all().delete()
        work_calendar_invalidate()


@pytest.fixture
def seeded() -> None:
    calendar_seed_from_chinesecalendar(actor=SYSTEM)


def _last_seq() -> int:
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    return last or 0


@pytest.fixture
def admin() -> User:
    return User.objects.get(username="wangjianguo")


@pytest.fixture
def committed_cache() -> Iterator[None]:
    """Start from a clean process cache, as a fresh process after commit would."""
    calendar_module._calendar.forget()
    yield
    calendar_module._calendar.forget()


# --- the package data and the pure calendar ----------------------------------------------------------------


def test_chinesecalendar_pin_covers_2004_to_2026() -> None:
    assert chinese_calendar.__version__ == "1.11.0"
    assert (COVERED.start, COVERED.stop) == (2004, 2027)


def test_only_exceptions_are_extracted() -> None:
    exceptions = chinesecalendar_exceptions([2025])
    for day, (is_working, _) in exceptions.items():
        assert is_working == (day.weekday() >= 5)  # working weekends, or weekday holidays
    national_day = {D(2025, 10, d) for d in (1, 2, 3, 6, 7, 8)}  # the weekdays of 10-01..10-08
    assert {d for d in exceptions if d.month == 10 and not exceptions[d][0]} == national_day
    assert D(2025, 10, 4) not in exceptions  # a Saturday holiday is no exception
    assert exceptions[D(2025, 10, 6)] == (False, "中秋")
    assert exceptions[D(2025, 10, 1)] == (False, "国庆节")
    assert exceptions[D(2025, 9, 28)] == (True, "国庆节调休上班")
    assert exceptions[D(2025, 10, 11)] == (True, "国庆节调休上班")


def test_pure_calendar_agrees_with_chinesecalendar_on_every_day() -> None:
    day = D(COVERED.start, 1, 1)
    while day.year < COVERED.stop:
        assert PURE.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_national_day_2025() -> None:
    for d in range(1, 9):
        assert not PURE.is_working_day(D(2025, 10, d))
    assert PURE.is_working_day(D(2025, 9, 28))  # Sunday, make-up
    assert PURE.is_working_day(D(2025, 10, 11))  # Saturday, make-up
    assert PURE.is_working_day(D(2025, 10, 9))
    assert not PURE.is_working_day(D(2025, 10, 12))  # an ordinary Sunday
    # Accepted Tuesday 2025-09-30: day 1 = Thu 10-09, 2 = Fri 10-10, 3 = Sat 10-11 (调休), 4 = Mon 10-13, 5 = Tue 10-14.
    assert PURE.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert PURE.add_working_days(D(2025, 9, 30), 3) == D(2025, 10, 11)
    assert PURE.add_working_days(D(2025, 9, 30), 5) == D(2025, 10, 14)
    assert PURE.working_days_between(D(2025, 9, 30), D(2025, 10, 14)) == 5
    assert PURE.add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)  # Fri → the make-up Sunday
    # Accepted on a holiday: counting still starts at the first working day after it.
    assert PURE.add_working_days(D(2025, 10, 3), 1) == D(2025, 10, 9)


def test_spring_festival_2026_and_new_year() -> None:
    for d in range(15, 24):
        assert not PURE.is_working_day(D(2026, 2, d))
    assert PURE.is_working_day(D(2026, 2, 14))
    assert PURE.is_working_day(D(2026, 2, 28))
    assert PURE.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert PURE.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert PURE.working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2
    assert PURE.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 4)  # across the year, onto the make-up Sunday


def test_convention_details() -> None:
    assert PURE.add_working_days(D(2025, 10, 4), 0) == D(2025, 10, 4)  # day 0 is the acceptance day itself
    assert PURE.working_days_between(D(2025, 10, 14), D(2025, 9, 30)) == -5
    assert PURE.working_days_between(D(2025, 10, 1), D(2025, 10, 8)) == 0
    assert PURE.next_working_day(D(2025, 9, 30)) == D(2025, 10, 9)
    assert PURE.next_working_day(D(2025, 10, 9)) == D(2025, 10, 10)
    assert PURE.next_working_day(D(2025, 10, 9), inclusive=True) == D(2025, 10, 9)
    assert PURE.next_working_day(D(2025, 10, 5), inclusive=True) == D(2025, 10, 9)
    with pytest.raises(ValueError):
        PURE.add_working_days(D(2025, 10, 9), -1)
    with pytest.raises(TypeError):
        PURE.add_working_days(datetime(2025, 10, 9, 12, 0), 1)  # a timestamp must become a local date first
    with pytest.raises(TypeError):
        PURE.is_working_day(datetime(2025, 10, 9, 12, 0))


# --- strictness about years that are not loaded -------------------------------------------------------------


def test_unloaded_years_raise_never_weekends_only() -> None:
    with pytest.raises(CalendarNotPublished) as excinfo:
        PURE.is_working_day(D(2027, 1, 4))
    error = excinfo.value
    assert isinstance(error, DomainError)
    assert (error.status, error.code, error.year) == (409, "calendar_not_published", 2027)
    assert error.message == "2027年节假日安排尚未录入，请管理员先维护工作日历"
    assert PURE.add_working_days(D(2026, 12, 30), 1) == D(2026, 12, 31)
    for compute in (
        lambda: PURE.add_working_days(D(2026, 12, 30), 2),
        lambda: PURE.add_working_days(D(2026, 12, 31), 1),
        lambda: PURE.working_days_between(D(2026, 12, 1), D(2027, 1, 5)),
        lambda: PURE.working_days_between(D(2027, 1, 5), D(2026, 12, 1)),
        lambda: PURE.next_working_day(D(2026, 12, 31)),
    ):
        with pytest.raises(CalendarNotPublished) as excinfo:
            compute()
        assert excinfo.value.year == 2027
    # Before the first loaded year too.
    for compute in (
        lambda: PURE.is_working_day(D(2003, 12, 31)),
        lambda: PURE.add_working_days(D(2003, 12, 31), 1),
        lambda: PURE.working_days_between(D(2003, 12, 31), D(2004, 1, 5)),
    ):
        with pytest.raises(CalendarNotPublished) as excinfo:
            compute()
        assert excinfo.value.year == 2003


def test_a_gap_between_loaded_years_raises() -> None:
    calendar = WorkCalendar({}, [2025, 2027])
    with pytest.raises(CalendarNotPublished) as excinfo:
        calendar.add_working_days(D(2025, 12, 30), 5)
    assert excinfo.value.year == 2026
    with pytest.raises(CalendarNotPublished):
        calendar.working_days_between(D(2025, 12, 30), D(2027, 1, 5))
    assert calendar.add_working_days(D(2027, 1, 1), 1) == D(2027, 1, 4)  # weekends only: 2027 has no exceptions


def test_empty_calendar_raises() -> None:
    with pytest.raises(CalendarNotPublished):
        WorkCalendar({}, []).add_working_days(D(2025, 1, 1), 1)


@settings(max_examples=400, deadline=None)
@given(
    start=st.dates(min_value=D(COVERED.start, 1, 1), max_value=D(COVERED.stop - 1, 12, 31)),
    n=st.integers(min_value=0, max_value=60),
)
def test_property_add_then_count(start: date, n: int) -> None:
    # The oracle walks day by day with chinesecalendar's own is_workday.
    expected: date | None = start
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if day.year >= COVERED.stop:
            expected = None
            break
        if chinese_calendar.is_workday(day):
            counted += 1
            expected = day
    if expected is None:
        with pytest.raises(CalendarNotPublished):
            PURE.add_working_days(start, n)
        return
    result = PURE.add_working_days(start, n)
    assert result == expected
    assert PURE.working_days_between(start, result) == n
    if n >= 1:
        assert PURE.is_working_day(result)
        assert result > start


def test_add_working_days_is_fast() -> None:
    starts = [D(2025, 1, 1) + timedelta(days=i % 300) for i in range(10_000)]
    began = time.perf_counter()
    for i, start in enumerate(starts):
        PURE.add_working_days(start, i % 60 + 1)
    assert time.perf_counter() - began < 1.0  # about 1 µs a call; generous for busy CI machines


# --- the database, the seed and the cached loader -------------------------------------------------------------


@pytest.mark.django_db
def test_nothing_loaded_means_every_year_raises() -> None:
    assert not CalendarYear.objects.exists()
    with pytest.raises(CalendarNotPublished):
        work_calendar().add_working_days(D(2025, 9, 30), 5)


@pytest.mark.django_db
def test_seed_loads_exceptions_and_years() -> None:
    seq_before = _last_seq()
    calendar_seed_from_chinesecalendar(actor=SYSTEM)
    assert list(CalendarYear.objects.values_list("year", flat=True)) == list(COVERED)
    assert set(CalendarYear.objects.values_list("source", flat=True)) == {CalendarSource.CHINESECALENDAR}
    assert CalendarDay.objects.count() == len(chinesecalendar_exceptions(COVERED))
    assert not CalendarDay.objects.filter(date=D(2025, 10, 4)).exists()
    row = CalendarDay.objects.get(date=D(2025, 10, 11))
    assert (row.is_working_day, row.name, row.source) == (True, "国庆节调休上班", CalendarSource.CHINESECALENDAR)
    loaded = work_calendar()
    assert loaded.loaded_years == PURE.loaded_years
    assert loaded.add_working_days(D(2025, 9, 30), 5) == D(2025, 10, 14)
    assert loaded.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    audits = AuditEntry.objects.filter(action="core.calendar_seed", id__gt=seq_before)
    assert sorted(audits.values_list("object_id", flat=True)) == [str(y) for y in COVERED]  # one per year


@pytest.mark.django_db
def test_seed_is_idempotent_and_keeps_manual_entries(seeded: None, admin: User) -> None:
    calendar_day_set(actor=admin, day=D(2025, 10, 9), is_working_day=False, name="临时闭馆")
    CalendarDay.objects.create(  # a row the package no longer lists (e.g. after an upgrade)
        date=D(2025, 3, 3), is_working_day=False, name="旧数据", source=CalendarSource.CHINESECALENDAR
    )
    audits_before = AuditEntry.objects.count()
    results = {r.year: r for r in calendar_seed_from_chinesecalendar(actor=SYSTEM)}
    assert results[2025].deleted == 1 and results[2025].kept_manual == 1
    assert not any(r.changed for y, r in results.items() if y != 2025)
    assert AuditEntry.objects.count() == audits_before + 1
    assert not CalendarDay.objects.filter(date=D(2025, 3, 3)).exists()
    assert CalendarDay.objects.get(date=D(2025, 10, 9)).source == CalendarSource.MANUAL

    audits_before = AuditEntry.objects.count()
    again = calendar_seed_from_chinesecalendar(actor=SYSTEM)
    assert not any(r.changed for r in again)
    assert AuditEntry.objects.count() == audits_before


@pytest.mark.django_db
def test_seed_skips_a_year_the_administrator_published(admin: User) -> None:
    calendar_year_publish(actor=admin, year=2025, days=[(D(2025, 10, 1), False, "国庆节")])
    results = calendar_seed_from_chinesecalendar(actor=SYSTEM, years=range(2024, 2026))
    assert results[1].year == 2025 and results[1].skipped
    assert list(CalendarDay.objects.filter(date__year=2025).values_list("date", flat=True)) == [D(2025, 10, 1)]
    assert CalendarYear.objects.get(year=2025).source == CalendarSource.MANUAL


@pytest.mark.django_db
def test_seed_refuses_years_the_package_does_not_cover() -> None:
    with pytest.raises(ValidationFailed):
        calendar_seed_from_chinesecalendar(actor=SYSTEM, years=range(2026, 2028))
    assert not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_admin_edit_takes_effect_at_once_and_is_audited(seeded: None, admin: User) -> None:
    assert work_calendar().add_working_days(D(2025, 9, 30), 5) == D(2025, 10, 14)
    row = calendar_day_set(actor=admin, day=D(2025, 10, 9), is_working_day=False, name="临时闭馆")
    assert row is not None and row.source == CalendarSource.MANUAL
    assert not work_calendar().is_working_day(D(2025, 10, 9))
    assert work_calendar().add_working_days(D(2025, 9, 30), 5) == D(2025, 10, 15)
    entry = AuditEntry.objects.filter(action="core.calendar_day_set").latest("seq")
    assert (entry.actor_name, entry.object_type, entry.object_id) == ("wangjianguo", "calendar_day", "2025-10-09")
    assert "previous" in entry.changed_fields

    # Back to the rule: the exception row goes away, the result comes back.
    assert calendar_day_set(actor=admin, day=D(2025, 10, 9), is_working_day=True, name="恢复上班") is None
    assert not CalendarDay.objects.filter(date=D(2025, 10, 9)).exists()
    assert work_calendar().add_working_days(D(2025, 9, 30), 5) == D(2025, 10, 14)

    # A working Saturday (stored, manual); a seeded weekday holiday made a working day again (follows the rule).
    calendar_day_set(actor=admin, day=D(2025, 10, 18), is_working_day=True, name="补班")
    calendar_day_set(actor=admin, day=D(2025, 10, 8), is_working_day=True, name="国庆节提前上班")
    loaded = work_calendar()
    assert loaded.is_working_day(D(2025, 10, 18)) and loaded.is_working_day(D(2025, 10, 8))
    assert CalendarDay.objects.get(date=D(2025, 10, 18)).source == CalendarSource.MANUAL
    assert not CalendarDay.objects.filter(date=D(2025, 10, 8)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2025, 10, 9), ""),
        (D(2025, 10, 9), "   "),
        (D(2025, 10, 9), "节" * 61),
        (D(2003, 1, 6), "x"),
        (D(2101, 1, 3), "x"),
    ],
)
def test_admin_edit_validation(admin: User, day: date, name: str) -> None:
    audits_before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed):
        calendar_day_set(actor=admin, day=day, is_working_day=False, name=name)
    assert AuditEntry.objects.count() == audits_before
    assert not CalendarDay.objects.exists()


@pytest.mark.django_db
def test_day_edit_does_not_load_its_year(admin: User) -> None:
    calendar_day_set(actor=admin, day=D(2027, 1, 1), is_working_day=False, name="元旦")
    with pytest.raises(CalendarNotPublished):
        work_calendar().is_working_day(D(2027, 1, 1))


@pytest.mark.django_db
def test_publishing_2027_makes_it_computable(seeded: None, admin: User) -> None:
    with pytest.raises(CalendarNotPublished):
        work_calendar().add_working_days(D(2026, 12, 31), 1)
    calendar_year_publish(
        actor=admin,
        year=2027,
        days=[
            (D(2027, 1, 1), False, "元旦"),  # Friday
            (D(2027, 1, 2), False, "元旦"),  # Saturday: listed, not stored
            (D(2027, 1, 3), False, "元旦"),
            (D(2027, 2, 6), True, "春节调休上班"),  # Saturday
        ],
    )
    assert CalendarYear.objects.get(year=2027).source == CalendarSource.MANUAL
    assert sorted(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [
        D(2027, 1, 1),
        D(2027, 2, 6),
    ]
    loaded = work_calendar()
    assert loaded.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert loaded.is_working_day(D(2027, 2, 6))
    assert loaded.working_days_between(D(2026, 12, 30), D(2027, 1, 8)) == 6  # 12-31, 1-4..1-8
    entry = AuditEntry.objects.filter(action="core.calendar_year_publish").latest("seq")
    assert (entry.actor_name, entry.object_id) == ("wangjianguo", "2027")

    # Publishing again replaces the whole year.
    calendar_year_publish(actor=admin, year=2027, days=[(D(2027, 1, 1), False, "元旦")])
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [D(2027, 1, 1)]
    assert not work_calendar().is_working_day(D(2027, 1, 1))
    assert not work_calendar().is_working_day(D(2027, 2, 6))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "days",
    [
        [(D(2026, 12, 31), False, "元旦")],  # not in 2027
        [(D(2027, 1, 1), False, "元旦"), (D(2027, 1, 1), False, "元旦")],  # twice
        [(D(2027, 1, 1), False, "")],  # no name
    ],
)
def test_publish_validation_writes_nothing(admin: User, days: list[tuple[date, bool, str]]) -> None:
    audits_before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed):
        calendar_year_publish(actor=admin, year=2027, days=days)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert AuditEntry.objects.count() == audits_before


@pytest.mark.django_db
def test_publish_year_out_of_range(admin: User) -> None:
    with pytest.raises(ValidationFailed):
        calendar_year_publish(actor=admin, year=2101, days=[])


@pytest.mark.django_db
def test_loader_is_cached_and_follows_the_shared_version(
    committed_cache: None, django_capture_on_commit_callbacks, django_assert_num_queries, admin: User
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        calendar_seed_from_chinesecalendar(actor=SYSTEM)
    first = work_calendar()
    with django_assert_num_queries(0):
        assert work_calendar() is first
    # Another process changed the calendar: it replaced the version token in the shared cache.
    cache.set(VERSION_KEY, "written-by-another-process", timeout=None)
    second = work_calendar()
    assert second is not first
    assert work_calendar() is second
    # An evicted token is replaced by a fresh one, so nothing cached before is trusted.
    cache.delete(VERSION_KEY)
    assert work_calendar() is not second

    # A write bumps the token at once and again at commit (a process may have reloaded in between).
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        calendar_day_set(actor=admin, day=D(2025, 10, 9), is_working_day=False, name="临时闭馆")
        during = cache.get(VERSION_KEY)
        assert not work_calendar().is_working_day(D(2025, 10, 9))  # the writer sees its own change
    for callback in callbacks:
        callback()
    assert cache.get(VERSION_KEY) != during
    after = work_calendar()
    assert not after.is_working_day(D(2025, 10, 9))
    assert work_calendar() is after


@pytest.mark.django_db
def test_calendar_seed_command() -> None:
    out = StringIO()
    call_command("calendar_seed", "--from-year", "2025", "--to-year", "2026", stdout=out)
    assert "2 个有变化" in out.getvalue()
    assert list(CalendarYear.objects.values_list("year", flat=True)) == [2025, 2026]
    out = StringIO()
    call_command("calendar_seed", "--from-year", "2025", "--to-year", "2026", stdout=out)
    assert "0 个有变化" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_edit_leaves_no_stale_calendar(committed_cache: None) -> None:
    """Outside a test transaction: what the writer loaded before rolling back must not stay cached."""
    calendar_seed_from_chinesecalendar(actor=SYSTEM, years=[2025])
    assert work_calendar().is_working_day(D(2025, 10, 9))
    with pytest.raises(RuntimeError), transaction.atomic():
        calendar_day_set(actor=SYSTEM, day=D(2025, 10, 9), is_working_day=False, name="临时闭馆")
        assert not work_calendar().is_working_day(D(2025, 10, 9))
        raise RuntimeError("roll back")
    assert work_calendar().is_working_day(D(2025, 10, 9))
    cached = work_calendar()
    assert work_calendar() is cached  # caching resumes outside the transaction

    calendar_day_set(actor=SYSTEM, day=D(2025, 10, 9), is_working_day=False, name="临时闭馆")  # commits
    assert not work_calendar().is_working_day(D(2025, 10, 9))
