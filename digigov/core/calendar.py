"""The working-day calendar (工作日历): is a date a working day, and when does a 承诺时限 of N 工作日 end.

A day is a working day when it is Monday–Friday, unless the loaded arrangement says otherwise: public
holidays on weekdays are off, make-up working days (调休上班) on weekends are on. The exceptions live in the
database (CalendarDay), one row per exception, and a year counts only once its arrangement is loaded
(CalendarYear). A computation that needs a date in a year that is not loaded raises CalendarNotPublished:
the calendar never guesses "weekends only" for a year the State Council has not published (or that nobody
entered), before or after the loaded years.

Counting convention (the 承诺时限 "自受理之日起 N 个工作日"):
  * the day of acceptance is day 0 and is not counted; day 1 is the first working day AFTER it
    (《中华人民共和国民法典》第二百零一条："按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。");
  * only working days are counted, public holidays excluded
    (《中华人民共和国行政许可法》第八十二条："本法规定的行政机关实施行政许可的期限以工作日计算，不含法定节假日。");
  * so the deadline add_working_days(accepted, N) is the N-th working day after the acceptance day, and
    the application is on time when decided on or before that day. Accepting on a Saturday or a holiday
    changes nothing: counting still starts at the first working day after it.
  * Dates are local dates (Asia/Shanghai): convert a timestamp with django.utils.timezone.localdate() first;
    datetimes are refused, since a UTC datetime's date can be a day early.

Speed: a WorkCalendar keeps, for each run of consecutive loaded years, the sorted ordinals of its working
days; add_working_days and working_days_between are two bisects (about a microsecond). work_calendar()
returns a process-wide instance that is rebuilt when the calendar changes (``digigov.core.process_cache``:
writers replace a version token in Django's cache, readers compare it on each call, one cache read). Hot loops
should call work_calendar() once and reuse the instance.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from digigov.core.errors import Conflict
from digigov.core.process_cache import ProcessCache, invalidate, version_key

ONE_DAY = timedelta(days=1)


class CalendarNotPublished(Conflict):
    """A computation needs a year whose holiday arrangement is not loaded (409)."""

    code = "calendar_not_published"

    def __init__(self, year: int) -> None:
        super().__init__(f"{year}年节假日安排尚未录入，请管理员先维护工作日历")
        self.year = year


@dataclass(frozen=True, slots=True)
class _Span:
    """A run of consecutive loaded years and the sorted ordinals of its working days."""

    first_year: int
    last_year: int
    last_ordinal: int
    working: list[int]


def _check_date(d: date) -> None:
    if isinstance(d, datetime):
        raise TypeError("工作日历只接受日期（date），请先用 timezone.localdate() 转为本地日期")


class WorkCalendar:
    """An immutable working-day calendar over the loaded years. Pure: no database, no cache."""

    __slots__ = ("_exceptions", "_loaded_years", "_span_of_year")

    def __init__(self, exceptions: Mapping[date, bool], loaded_years: Iterable[int]) -> None:
        """exceptions: {date: is_working_day} for days that break the Monday–Friday rule (entries that follow
        the rule are harmless); loaded_years: the years whose arrangement is loaded. Exceptions in other years
        are ignored, since those years cannot be computed anyway."""
        years = sorted(set(loaded_years))
        self._loaded_years = frozenset(years)
        self._exceptions = {d: bool(w) for d, w in exceptions.items() if d.year in self._loaded_years}
        self._span_of_year: dict[int, _Span] = {}
        runs: list[list[int]] = []
        for year in years:
            if runs and runs[-1][-1] == year - 1:
                runs[-1].append(year)
            else:
                runs.append([year])
        for run in runs:
            first, last = date(run[0], 1, 1), date(run[-1], 12, 31)
            working = [
                o
                for o in range(first.toordinal(), last.toordinal() + 1)
                if self._exceptions.get(d := date.fromordinal(o), d.weekday() < 5)
            ]
            span = _Span(first_year=run[0], last_year=run[-1], last_ordinal=last.toordinal(), working=working)
            for year in run:
                self._span_of_year[year] = span

    @property
    def loaded_years(self) -> frozenset[int]:
        return self._loaded_years

    def is_loaded(self, year: int) -> bool:
        return year in self._loaded_years

    def _span(self, d: date) -> _Span:
        _check_date(d)
        span = self._span_of_year.get(d.year)
        if span is None:
            raise CalendarNotPublished(d.year)
        return span

    def is_working_day(self, d: date) -> bool:
        self._span(d)
        return self._exceptions.get(d, d.weekday() < 5)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (the acceptance day is day 0 and is not counted; see the module
        docstring). n = 0 gives `start` itself. Every date from `start` to the result must be in a loaded year."""
        if n < 0:
            raise ValueError("n must be ≥ 0")
        span = self._span(start)
        if n == 0:
            return start
        i = bisect_right(span.working, start.toordinal()) + n - 1
        if i >= len(span.working):
            raise CalendarNotPublished(span.last_year + 1)
        return date.fromordinal(span.working[i])

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days in (a, b]: a excluded, b included; negative when b < a.
        working_days_between(start, add_working_days(start, n)) == n."""
        if b < a:
            return -self.working_days_between(b, a)
        span = self._span(a)
        _check_date(b)
        b_ordinal = b.toordinal()
        if b_ordinal > span.last_ordinal:
            raise CalendarNotPublished(span.last_year + 1)
        return bisect_right(span.working, b_ordinal) - bisect_right(span.working, a.toordinal())

    def next_working_day(self, d: date, *, inclusive: bool = False) -> date:
        """The first working day after d; with inclusive=True, d itself when it is a working day."""
        if inclusive and self.is_working_day(d):
            return d
        return self.add_working_days(d, 1)


# --- the process-wide instance, loaded from the database -------------------------------------------------

CALENDAR_CACHE = "workcalendar"
VERSION_KEY = version_key(CALENDAR_CACHE)


def work_calendar_invalidate() -> None:
    """Tell every process the calendar changed; writers call it inside their transaction (see
    ``digigov.core.process_cache`` for why that is enough)."""
    invalidate(CALENDAR_CACHE)


def work_calendar_load() -> WorkCalendar:
    """A fresh WorkCalendar from the database (two queries). Use work_calendar() unless you need a fresh one."""
    from digigov.core.models import CalendarDay, CalendarYear

    years = list(CalendarYear.objects.values_list("year", flat=True))
    exceptions = dict(CalendarDay.objects.filter(date__year__in=years).values_list("date", "is_working_day"))
    return WorkCalendar(exceptions, years)


def work_calendar() -> WorkCalendar:
    """The current working-day calendar: cached in this process, rebuilt after any change in any process."""
    return _calendar.get()


_calendar: ProcessCache[WorkCalendar] = ProcessCache(CALENDAR_CACHE, work_calendar_load)
