"""工作日历 administration: a year's exceptions to the Monday–Friday rule, editing one day, publishing a year.

Only staff holding MANAGE_CATALOGUE on the whole city with no department may see or change it: the rule
identity registers for core.policy.CoreAction.MANAGE_CALENDAR, which the core services
(digigov.core.services.calendar) check themselves. Every change is audited by the core service.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from digigov.core import policy as core_policy
from digigov.core.errors import DomainError
from digigov.core.models import CalendarDay, CalendarSource
from digigov.core.policy import CoreAction
from digigov.core.selectors import calendar_exceptions, calendar_loaded_years, calendar_year
from digigov.core.services.calendar import MAX_YEAR, MIN_YEAR, calendar_day_set, calendar_year_publish
from digigov.identity.current import current_user
from digigov.identity.forms import apply_domain_error
from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.policies import access
from digigov.onestop.forms_console import CalendarDayForm, CalendarPublishForm

WEEKDAYS = "一二三四五六日"


def _admin(request: HttpRequest) -> User:
    user = current_user(request)
    if not core_policy.can(user, CoreAction.MANAGE_CALENDAR):  # pages: what to show; the services refuse too
        raise PermissionDenied("工作日历影响全市办件时限，仅限全市事项目录管理员维护")
    return user


def _year(raw: Any) -> int:
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


def _lines(days: list[CalendarDay]) -> str:
    return "\n".join(f"{d.date.isoformat()} {'上班' if d.is_working_day else '放假'} {d.name}" for d in days)


def _page(
    request: HttpRequest,
    year: int,
    *,
    day_form: CalendarDayForm | None = None,
    publish_form: CalendarPublishForm | None = None,
) -> HttpResponse:
    days = calendar_exceptions(year)
    if day_form is None:
        initial: dict[str, Any] = {}
        chosen = request.GET.get("day", "")
        row = next((d for d in days if d.date.isoformat() == chosen), None)
        if row is not None:
            initial = {"day": row.date, "is_working_day": "1" if row.is_working_day else "0", "name": row.name}
        day_form = CalendarDayForm(initial=initial)
    if publish_form is None:
        publish_form = CalendarPublishForm(initial={"year": year, "days": _lines(days)})
    loaded = calendar_year(year)
    return render(
        request,
        "services/console/calendar.html",
        {
            "year": year,
            "rows": [
                {
                    "day": d,
                    "weekday": WEEKDAYS[d.date.weekday()],
                    "restore_working": d.date.weekday() < 5,  # what the Monday–Friday rule would say
                }
                for d in days
            ],
            "loaded": loaded,
            "manual": CalendarSource.MANUAL,
            "years": calendar_loaded_years(),
            "previous_year": year - 1 if year > MIN_YEAR else None,
            "next_year": year + 1 if year < MAX_YEAR else None,
            "day_form": day_form,
            "publish_form": publish_form,
        },
    )


@access(Perm.MANAGE_CATALOGUE)
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    _admin(request)
    return _page(request, _year(request.GET.get("year")))


def _back(year: int) -> HttpResponse:
    return redirect(f"{reverse('services:console_calendar')}?year={year}")


@access(Perm.MANAGE_CATALOGUE)
@require_POST
def calendar_day(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    form = CalendarDayForm(request.POST)
    year = _year(request.POST.get("year"))
    if form.is_valid():
        day: date = form.cleaned_data["day"]
        try:
            row = calendar_day_set(
                actor=user, day=day, is_working_day=form.cleaned_data["is_working_day"], name=form.cleaned_data["name"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if row is None:
                messages.success(request, f"{day:%Y-%m-%d} 按常规（周一至周五上班）计算，已不作为例外日保存")
            else:
                messages.success(
                    request, f"{day:%Y-%m-%d} 已设为{'上班' if row.is_working_day else '放假'}：{row.name}"
                )
            return _back(day.year)
    return _page(request, year, day_form=form)


@access(Perm.MANAGE_CATALOGUE)
@require_POST
def calendar_publish(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    form = CalendarPublishForm(request.POST)
    year = _year(request.POST.get("year"))
    if form.is_valid():
        try:
            calendar_year_publish(actor=user, year=form.cleaned_data["year"], days=form.cleaned_data["parsed_days"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{year}年节假日安排已发布，办件时限将按新安排计算")
            return _back(year)
    return _page(request, year, publish_form=form)
