"""The working-day calendar's write path: seed from chinesecalendar, an administrator's edits, a whole year.

Every function here runs in transaction.atomic, writes audit entries and invalidates work_calendar() in every
process. Only exceptions to the Monday–Friday rule are stored (see digigov/core/calendar.py); a day given
here that follows the rule anyway (a holiday on a Sunday, a working Wednesday) is accepted and not stored.

Who may call these is the caller's decision (the console's policy); core imports no domain.

Precedence: an administrator's entries win. Seeding leaves manual day rows alone and skips years an
administrator published with calendar_year_publish; calendar_year_publish replaces the whole year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import chinese_calendar
from django.db import transaction
from django.utils import timezone

from digigov.core.audit import audit_append
from digigov.core.calendar import work_calendar_invalidate
from digigov.core.errors import ValidationFailed
from digigov.core.models import CalendarDay, CalendarSource, CalendarYear
from digigov.core.policy import CoreAction, require
from digigov.core.policy import can as core_can

MIN_YEAR = 2004  # the first year chinesecalendar covers; earlier arrangements are of no use to deadlines
MAX_YEAR = 2100
NAME_MAX_LENGTH = 60
# Who may: the rule identity registers for CoreAction.MANAGE_CALENDAR (a city-wide catalogue manager; SYSTEM).
CALENDAR_REFUSED = "工作日历影响全市所有时限，只有全市事项目录管理员可以维护"


class Actor(Protocol):
    pk: Any

    def get_username(self) -> str: ...


def _default_is_working_day(day: date) -> bool:
    return day.weekday() < 5


def chinesecalendar_years() -> range:
    """The years the installed chinesecalendar covers (2004–2026 for 1.11.0)."""
    years = [d.year for d in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def _holiday_name(english: str) -> str:
    try:
        return str(chinese_calendar.Holiday(english).chinese)
    except ValueError:
        return english[:NAME_MAX_LENGTH]


def chinesecalendar_exceptions(years: Iterable[int]) -> dict[date, tuple[bool, str]]:
    """{date: (is_working_day, name)} for the days of `years` that break the Monday–Friday rule, according to
    chinesecalendar: its holidays that fall on weekdays and its working days that fall on weekends. Pure."""
    wanted = set(years)
    result: dict[date, tuple[bool, str]] = {}
    for day, english in chinese_calendar.holidays.items():
        if day.year in wanted and _default_is_working_day(day):
            result[day] = (False, _holiday_name(english))
    for day, english in chinese_calendar.workdays.items():
        if day.year in wanted and not _default_is_working_day(day):
            result[day] = (True, f"{_holiday_name(english)}调休上班")
    return result


@dataclass(frozen=True)
class SeedYearResult:
    year: int
    created: int = 0
    updated: int = 0
    deleted: int = 0
    kept_manual: int = 0
    skipped: str = ""  # why the year was left alone, e.g. published by an administrator

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def calendar_seed_from_chinesecalendar(*, actor: Actor, years: Iterable[int] | None = None) -> list[SeedYearResult]:
    """Load chinesecalendar's arrangement for `years` (default: every year it covers). Idempotent: a second run
    changes nothing and writes no audit entry; each year it changes gets one audit entry. Manual day rows and
    manually published years are left alone."""
    require(core_can(actor, CoreAction.MANAGE_CALENDAR), CALENDAR_REFUSED)
    covered = chinesecalendar_years()
    wanted = sorted(set(covered if years is None else years))
    outside = [y for y in wanted if y not in covered]
    if outside:
        raise ValidationFailed(
            f"chinesecalendar 仅覆盖 {covered.start}–{covered.stop - 1} 年，其他年份请由管理员按国务院通知整年录入",
            fields={"years": f"超出范围：{', '.join(map(str, outside))}"},
        )
    desired_all = chinesecalendar_exceptions(wanted)
    results: list[SeedYearResult] = []
    any_change = False
    with transaction.atomic():
        manual_years = set(
            CalendarYear.objects.filter(year__in=wanted, source=CalendarSource.MANUAL).values_list("year", flat=True)
        )
        existing_years = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
        rows = {
            row.date: row
            for row in CalendarDay.objects.filter(date__year__in=wanted).exclude(date__year__in=manual_years)
        }
        now = timezone.now()
        for year in wanted:
            if year in manual_years:
                results.append(SeedYearResult(year=year, skipped="已由管理员整年录入"))
                continue
            result = _seed_year(year, desired_all, rows)
            year_created = year not in existing_years
            if year_created:
                CalendarYear.objects.create(year=year, source=CalendarSource.CHINESECALENDAR, loaded_at=now)
            if result.changed or year_created:
                any_change = True
                audit_append(
                    actor=actor,
                    action="core.calendar_seed",
                    object_type="calendar_year",
                    object_id=year,
                    changes={
                        "year": year,
                        "source": CalendarSource.CHINESECALENDAR.value,
                        "package_version": chinese_calendar.__version__,
                        "created": result.created,
                        "updated": result.updated,
                        "deleted": result.deleted,
                        "kept_manual": result.kept_manual,
                    },
                )
            results.append(result)
        if any_change:
            work_calendar_invalidate()
    return results


def _seed_year(year: int, desired_all: dict[date, tuple[bool, str]], rows: dict[date, CalendarDay]) -> SeedYearResult:
    desired = {d: v for d, v in desired_all.items() if d.year == year}
    existing = {d: row for d, row in rows.items() if d.year == year}
    created: list[CalendarDay] = []
    updated = deleted = kept_manual = 0
    for day, (is_working, name) in sorted(desired.items()):
        row = existing.get(day)
        if row is None:
            created.append(
                CalendarDay(date=day, is_working_day=is_working, name=name, source=CalendarSource.CHINESECALENDAR)
            )
        elif row.source == CalendarSource.MANUAL:
            kept_manual += 1
        elif (row.is_working_day, row.name) != (is_working, name):
            row.is_working_day, row.name = is_working, name
            row.save(update_fields=["is_working_day", "name", "updated_at"])
            updated += 1
    stale = [row.pk for d, row in existing.items() if d not in desired and row.source == CalendarSource.CHINESECALENDAR]
    if stale:
        deleted = CalendarDay.objects.filter(pk__in=stale).delete()[0]
    kept_manual += sum(1 for d, row in existing.items() if d not in desired and row.source == CalendarSource.MANUAL)
    CalendarDay.objects.bulk_create(created)
    return SeedYearResult(year=year, created=len(created), updated=updated, deleted=deleted, kept_manual=kept_manual)


def _clean_name(name: str, field: str = "name") -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("请填写名称，例如“春节”或“国庆节调休上班”", fields={field: "必填"})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationFailed(f"名称最多{NAME_MAX_LENGTH}个字符", fields={field: "过长"})
    return name


def _check_year(year: int, field: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(f"年份应在{MIN_YEAR}至{MAX_YEAR}年之间", fields={field: "超出范围"})


def calendar_day_set(*, actor: Actor, day: date, is_working_day: bool, name: str) -> CalendarDay | None:
    """An administrator sets one day. Returns the stored exception, or None when the day now follows the
    Monday–Friday rule (any stored exception is removed). Editing a day does not load its year: a year becomes
    computable only through calendar_seed_from_chinesecalendar or calendar_year_publish."""
    require(core_can(actor, CoreAction.MANAGE_CALENDAR), CALENDAR_REFUSED)
    name = _clean_name(name)
    if isinstance(day, datetime):
        raise ValidationFailed("请填写日期，而不是时间", fields={"day": "应为日期"})
    _check_year(day.year, "day")
    with transaction.atomic():
        previous = CalendarDay.objects.select_for_update().filter(date=day).first()
        before = (
            {"is_working_day": previous.is_working_day, "name": previous.name, "source": previous.source}
            if previous is not None
            else None
        )
        row: CalendarDay | None
        if is_working_day == _default_is_working_day(day):
            if previous is not None:
                previous.delete()
            row = None
        elif previous is None:
            row = CalendarDay.objects.create(
                date=day, is_working_day=is_working_day, name=name, source=CalendarSource.MANUAL
            )
        else:
            previous.is_working_day, previous.name, previous.source = is_working_day, name, CalendarSource.MANUAL
            previous.save(update_fields=["is_working_day", "name", "source", "updated_at"])
            row = previous
        audit_append(
            actor=actor,
            action="core.calendar_day_set",
            object_type="calendar_day",
            object_id=day.isoformat(),
            changes={
                "date": day.isoformat(),
                "is_working_day": is_working_day,
                "name": name,
                "stored_as_exception": row is not None,
                "previous": before,
            },
        )
        work_calendar_invalidate()
    return row


def calendar_year_publish(*, actor: Actor, year: int, days: Iterable[tuple[date, bool, str]]) -> CalendarYear:
    """Enter a whole year's arrangement (e.g. from the State Council's notice) in one call: it replaces every
    stored exception of that year and marks the year loaded. `days` lists (date, is_working_day, name); days
    that follow the Monday–Friday rule (a holiday on a weekend) may be listed and are not stored."""
    require(core_can(actor, CoreAction.MANAGE_CALENDAR), CALENDAR_REFUSED)
    _check_year(year, "year")
    entries = list(days)
    seen: set[date] = set()
    exceptions: list[CalendarDay] = []
    for i, (day, is_working, name) in enumerate(entries):
        field = f"days[{i}]"
        if not isinstance(day, date) or isinstance(day, datetime) or day.year != year:
            raise ValidationFailed(f"所有日期都应在{year}年内", fields={field: f"{day} 不在{year}年"})
        if day in seen:
            raise ValidationFailed("同一日期只能出现一次", fields={field: f"{day} 重复"})
        seen.add(day)
        clean = _clean_name(name, field)
        if bool(is_working) != _default_is_working_day(day):
            exceptions.append(
                CalendarDay(date=day, is_working_day=bool(is_working), name=clean, source=CalendarSource.MANUAL)
            )
    with transaction.atomic():
        previous = CalendarYear.objects.select_for_update().filter(year=year).first()
        previous_source = previous.source if previous is not None else None
        replaced = CalendarDay.objects.filter(date__year=year).delete()[0]
        CalendarDay.objects.bulk_create(exceptions)
        now = timezone.now()
        if previous is None:
            calendar_year = CalendarYear.objects.create(year=year, source=CalendarSource.MANUAL, loaded_at=now)
        else:
            previous.source, previous.loaded_at = CalendarSource.MANUAL, now
            previous.save(update_fields=["source", "loaded_at"])
            calendar_year = previous
        audit_append(
            actor=actor,
            action="core.calendar_year_publish",
            object_type="calendar_year",
            object_id=year,
            changes={
                "year": year,
                "days": [(d.isoformat(), bool(w), n.strip()) for d, w, n in sorted(entries)],
                "exceptions_stored": len(exceptions),
                "exceptions_replaced": replaced,
                "previous_source": previous_source,
            },
        )
        work_calendar_invalidate()
    return calendar_year
