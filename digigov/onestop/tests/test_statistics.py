"""政务服务统计: figures from live data, scoped by the actor's grants, checked against a hand-computed set."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digigov.core.calendar import work_calendar
from digigov.core.errors import Forbidden
from digigov.identity.models import User
from digigov.onestop.models import Application, ServiceItem
from digigov.onestop.services import applications as svc
from digigov.onestop.services.clock import handling_working_days
from digigov.onestop.services.ratings import application_rate
from digigov.onestop.statistics import ServiceStatistics, service_statistics
from digigov.onestop.tests.factories import draft_with_materials

pytestmark = pytest.mark.django_db
DOCTOR = "210500-WJW-XK-0003"  # 医师执业注册, 卫健委 (head: helijuan)
BIRTH = "210500-GAJ-QR-0002"  # 出生登记, 公安局 (head: lizhigang)
HEADS = {DOCTOR: "helijuan", BIRTH: "lizhigang"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = {"date_from": date(2025, 3, 1), "date_to": date(2025, 3, 31)}


def user(username: str) -> User:
    return User.objects.get(username=username)


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=SHANGHAI)


def application(code: str, *, complete: bool = True, username: str = "chenhaoran") -> Application:
    app = draft_with_materials(user(username), ServiceItem.objects.get(code=code))
    svc.application_submit(actor=user(username), application=app)
    if complete:
        head = user(HEADS[code])
        svc.application_accept(actor=user("fengxue"), application=app)
        svc.application_start_review(actor=head, application=app)
        svc.application_approve(actor=head, application=app)
        svc.application_complete(actor=head, application=app)
    return app


def backdate(app: Application, **columns: Any) -> None:
    """Move an application's dates; moving 受理 or 办结 moves the working days stored at 办结 with them."""
    Application.objects.filter(pk=app.pk).update(**columns)
    if {"accepted_on", "completed_at"} & set(columns):
        row = Application.objects.get(pk=app.pk)
        days = handling_working_days(row.accepted_on, row.completed_at, work_calendar())
        Application.objects.filter(pk=app.pk).update(handling_working_days=days)


def rate(app: Application, score: int, other: int = 5) -> None:
    application_rate(
        actor=app.applicant,
        application=app,
        efficiency=score,
        guide_accuracy=other,
        convenience=other,
        usability=other,
    )


@pytest.fixture
def march() -> None:
    """Hand-computed (March 2025 has no holidays: 3–7 March are Monday to Friday).

    A1 医师 web     accepted 3/3, due 3/10, 办结 3/7          on time, 4 working days, rated overall 4
    A2 医师 window  accepted 3/3, due 3/5,  办结 3/6 00:30    late (UTC would still say 3/5), 3 working days
    A3 出生 mobile  accepted 3/4, due 3/11, 办结 3/4          on time, 0 working days, rated overall 2
    A4 出生 web     submitted 3/5, not yet accepted
    A5 医师 draft   never counted
    A6 医师 web     submitted in April: outside the period
    """
    a1, a2, a3 = application(DOCTOR), application(DOCTOR, username="yangting"), application(BIRTH)
    rate(a1, 4)
    rate(a3, 2)
    backdate(a1, channel="web", submitted_at=at(3), accepted_on=date(2025, 3, 3), due_date=date(2025, 3, 10))
    backdate(a1, completed_at=at(7, 16))
    backdate(a2, channel="window", submitted_at=at(3), accepted_on=date(2025, 3, 3), due_date=date(2025, 3, 5))
    backdate(a2, completed_at=at(6, 0, 30))
    backdate(a3, channel="mobile", submitted_at=at(4), accepted_on=date(2025, 3, 4), due_date=date(2025, 3, 11))
    backdate(a3, completed_at=at(4, 15))
    a4 = application(BIRTH, complete=False)
    backdate(a4, channel="web", submitted_at=at(5))
    draft_with_materials(user("chenhaoran"), ServiceItem.objects.get(code=DOCTOR))
    a6 = application(DOCTOR)
    backdate(a6, submitted_at=datetime(2025, 4, 1, 9, tzinfo=SHANGHAI))


def test_march_is_as_a_plain_week_for_the_calendar() -> None:
    calendar = work_calendar()
    assert [calendar.working_days_between(date(2025, 3, 3), date(2025, 3, d)) for d in (7, 6, 3)] == [4, 3, 0]


def test_the_mayor_sees_the_whole_city(march: None) -> None:
    stats = service_statistics(user("zhangjianguo"), **MARCH)
    assert isinstance(stats, ServiceStatistics)
    assert (stats.date_from, stats.date_to) == (date(2025, 3, 1), date(2025, 3, 31))
    assert stats.total_submitted == 4
    assert stats.online_submitted == 3 and stats.online_ratio == pytest.approx(3 / 4)
    assert stats.completed == 3
    assert stats.on_time_rate == pytest.approx(2 / 3)
    assert stats.average_handling_days == pytest.approx((4 + 3 + 0) / 3)
    by_department = {r.key: r for r in stats.satisfaction_by_department}
    assert set(by_department) == {"wjw", "gaj"}
    assert (by_department["wjw"].count, by_department["wjw"].overall) == (1, 4.0)
    assert (by_department["gaj"].count, by_department["gaj"].overall, by_department["gaj"].bad_count) == (1, 2.0, 1)
    by_item = {r.key: r for r in stats.satisfaction_by_item}
    assert by_item[DOCTOR].label == "医师执业注册" and by_item[DOCTOR].overall == 4.0
    assert by_item[BIRTH].efficiency == 2.0 and by_item[BIRTH].usability == 5.0
    on_time = {r.department_code: r for r in stats.on_time_by_department}
    assert (on_time["wjw"].completed_with_due_date, on_time["wjw"].on_time, on_time["wjw"].rate) == (2, 1, 0.5)
    assert (on_time["gaj"].completed_with_due_date, on_time["gaj"].on_time, on_time["gaj"].rate) == (1, 1, 1.0)


def test_a_department_head_sees_only_the_department(march: None) -> None:
    stats = service_statistics(user("helijuan"), **MARCH)
    assert stats.total_submitted == 2 and stats.online_ratio == pytest.approx(0.5)
    assert stats.completed == 2 and stats.on_time_rate == pytest.approx(0.5)
    assert stats.average_handling_days == pytest.approx(3.5)
    assert [r.key for r in stats.satisfaction_by_department] == ["wjw"]
    assert [r.key for r in stats.satisfaction_by_item] == [DOCTOR]
    assert [r.department_code for r in stats.on_time_by_department] == ["wjw"]
    police = service_statistics(user("lizhigang"), **MARCH)
    assert (police.total_submitted, police.completed, police.on_time_rate) == (2, 1, 1.0)
    assert police.average_handling_days == 0.0


def test_the_period_selects_by_submission_day(march: None) -> None:
    mayor = user("zhangjianguo")
    assert service_statistics(mayor, date_from=date(2025, 3, 4), date_to=date(2025, 3, 5)).total_submitted == 2
    assert service_statistics(mayor, date_from=date(2025, 4, 1), date_to=date(2025, 4, 1)).total_submitted == 1
    assert service_statistics(mayor, date_to=date(2025, 3, 31)).total_submitted == 4


def test_no_data_gives_none_not_a_division_by_zero() -> None:
    stats = service_statistics(user("zhangjianguo"), date_from=date(2004, 1, 1), date_to=date(2004, 1, 31))
    assert stats.total_submitted == 0 and stats.completed == 0
    assert stats.online_ratio is None and stats.on_time_rate is None and stats.average_handling_days is None
    assert stats.satisfaction_by_department == [] and stats.on_time_by_department == []
    with pytest.raises(FrozenInstanceError):
        stats.completed = 1  # type: ignore[misc]


@pytest.mark.parametrize("username", ["chenhaoran", "fengxue", "sujianping"])
def test_forbidden_without_the_statistics_permission(username: str) -> None:
    with pytest.raises(Forbidden):
        service_statistics(user(username))


def test_the_number_of_queries_does_not_grow_with_the_data(march: None) -> None:
    mayor = user("zhangjianguo")
    service_statistics(mayor, **MARCH)  # loads the grant cache and the calendar
    with CaptureQueriesContext(connection) as before:
        service_statistics(mayor, **MARCH)
    more = [application(DOCTOR, username="zhaoyu"), application(BIRTH, username="zhaoyu")]
    for app in more:
        rate(app, 3)
        backdate(app, submitted_at=at(20), accepted_on=date(2025, 3, 20), completed_at=at(21))
    with CaptureQueriesContext(connection) as after:
        stats = service_statistics(mayor, **MARCH)
    assert stats.completed == 5
    assert len(after) == len(before) <= 8  # a few aggregate queries, whatever the number of rows


def test_handling_days_are_stored_at_completion_and_averaged_by_the_database() -> None:
    calendar = work_calendar()
    app = application(DOCTOR, complete=False)
    head = user(HEADS[DOCTOR])
    svc.application_accept(actor=user("fengxue"), application=app)
    assert app.handling_working_days is None  # counted at 办结 only
    accepted_on = date(2026, 3, 2)  # a Monday, months before today
    backdate(app, accepted_on=accepted_on)
    app.refresh_from_db()
    svc.application_start_review(actor=head, application=app)
    svc.application_approve(actor=head, application=app)
    svc.application_complete(actor=head, application=app)
    app.refresh_from_db()
    assert app.completed_at is not None
    expected = calendar.working_days_between(accepted_on, timezone.localdate(app.completed_at))
    assert expected > 5 and app.handling_working_days == expected

    rejected = application(BIRTH, complete=False)
    svc.application_reject(actor=user("fengxue"), application=rejected, reason="材料不属于本事项")
    rejected.refresh_from_db()
    assert rejected.handling_working_days is None  # 不予受理 is not 办结

    other = application(DOCTOR, username="yangting")
    other.refresh_from_db()
    assert other.handling_working_days == 0  # accepted and completed today
    Application.objects.filter(pk=other.pk).update(handling_working_days=None)  # e.g. an unpublished year
    stats = service_statistics(user("helijuan"))
    assert stats.completed == 2 and stats.average_handling_days == pytest.approx(expected)  # NULL left out


def test_the_migration_counts_the_days_of_applications_completed_before_it() -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("digigov.onestop.migrations.0003_application_handling_working_days")
    done, later = application(DOCTOR), application(BIRTH)
    backdate(done, accepted_on=date(2025, 3, 3), completed_at=at(7, 16))
    backdate(later, accepted_on=date(2025, 3, 4), completed_at=at(4, 15))
    Application.objects.filter(pk=done.pk).update(handling_working_days=None)
    Application.objects.filter(pk=later.pk).update(handling_working_days=9)  # already counted: left alone
    open_app = application(DOCTOR, complete=False)
    migration.backfill(apps, None)
    days = dict(
        Application.objects.filter(pk__in=[done.pk, later.pk, open_app.pk]).values_list("pk", "handling_working_days")
    )
    assert days == {done.pk: 4, later.pk: 9, open_app.pk: None}
