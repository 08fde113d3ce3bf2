"""一网通办 in the staff inbox: 受理 → 审批 → 已办 kept by the workflow hook after the real services (no call here), the
scope equal to policy.can, the card equal to the application's own card at every moment, 差评整改, rebuild."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from digigov.core.inbox.selectors import card_at, inbox_for
from digigov.core.inbox.services import inbox_rebuild
from digigov.core.models import InboxTask
from digigov.core.workflow import Card
from digigov.identity.models import User
from digigov.onestop import policy
from digigov.onestop.inbox import ACCEPT, DECIDE, RECTIFY, application_task
from digigov.onestop.models import Application, ApplicationStatus, ServiceItem
from digigov.onestop.services import applications as svc
from digigov.onestop.services.ratings import application_rate, rectification_answer
from digigov.onestop.tests.factories import draft_with_materials
from digigov.onestop.workflow import application_workflow

pytestmark = pytest.mark.django_db
DOCTOR = "210500-WJW-XK-0003"  # 医师执业注册, 卫健委, 承诺 5 个工作日
STAFF = ("fengxue", "helijuan", "lizhigang", "zhangjianguo", "sujianping")


def user(username: str) -> User:
    return User.objects.get(username=username)


def submitted(code: str = DOCTOR, region_code: str = "210502000000") -> Application:
    applicant = user("chenhaoran")
    app = draft_with_materials(applicant, ServiceItem.objects.get(code=code), region_code)
    svc.application_submit(actor=applicant, application=app)
    return app


def open_ids(username: str, kind: str) -> set[int]:
    rows = inbox_for(user(username), "todo", kind=kind, per_page=500).rows
    return {int(row.task.object_id) for row in rows if row.task.object_type == "services.application"}


def test_accept_then_decide_then_done_for_the_staff_who_acted() -> None:
    app = submitted()
    assert app.pk in open_ids("fengxue", ACCEPT.key)  # the 综合窗口 accepts
    assert app.pk not in open_ids("helijuan", ACCEPT.key) | open_ids("lizhigang", ACCEPT.key)
    task = InboxTask.objects.get(kind=ACCEPT.key, object_id=str(app.pk), closed_at__isnull=True)
    assert (task.due_at, task.link) == (None, f"/console/services/applications/{app.pk}/")

    svc.application_accept(actor=user("fengxue"), application=app)
    assert app.pk not in open_ids("fengxue", ACCEPT.key)
    done = inbox_for(user("fengxue"), "done").rows
    assert [(row.task.object_id, row.task.closed_how) for row in done][:1] == [(str(app.pk), "accept")]
    assert app.pk in open_ids("helijuan", DECIDE.key)  # 卫健委 head decides
    assert app.pk not in open_ids("lizhigang", DECIDE.key)  # 公安局 head does not
    decide = InboxTask.objects.get(kind=DECIDE.key, object_id=str(app.pk), closed_at__isnull=True)
    assert decide.due_at == timezone.make_aware(datetime.combine(app.due_date + timedelta(days=1), time.min))

    head = user("helijuan")
    for step in (svc.application_start_review, svc.application_approve):
        step(actor=head, application=app)
        assert InboxTask.objects.get(kind=DECIDE.key, object_id=str(app.pk), closed_at__isnull=True).pk == decide.pk
    svc.application_complete(actor=head, application=app)
    assert not InboxTask.objects.filter(object_id=str(app.pk), kind__in=(ACCEPT.key, DECIDE.key), closed_at=None)
    decide.refresh_from_db()
    assert (decide.closed_by_id, decide.closed_how) == (head.pk, "complete")


def test_correction_waits_for_the_applicant_without_a_staff_task() -> None:
    app = submitted()
    svc.application_accept(actor=user("fengxue"), application=app)
    svc.application_start_review(actor=user("helijuan"), application=app)
    assert app.pk in open_ids("helijuan", DECIDE.key)
    svc.application_request_correction(actor=user("helijuan"), application=app, reason="请补充执业证书扫描件")
    assert app.status == ApplicationStatus.CORRECTION and application_task(app) is None
    assert app.pk not in open_ids("helijuan", DECIDE.key)


def test_the_deadlines_give_the_clocks_card_on_every_day() -> None:
    app = submitted()
    svc.application_accept(actor=user("fengxue"), application=app)
    spec = application_task(app)
    assert spec is not None and spec.due_at is not None and app.due_date is not None
    task = InboxTask(yellow_at=spec.yellow_at, due_at=spec.due_at)
    seen = set()
    day = app.accepted_on
    assert day is not None
    while day <= app.due_date + timedelta(days=3):
        for moment in (time(0, 0, 1), time(12, 0), time(23, 59, 59)):
            now = timezone.make_aware(datetime.combine(day, moment))
            card = application_workflow.card_of(app, now)
            assert card_at(task, now) == card, (day, moment)
            seen.add(card)
        day += timedelta(days=1)
    assert seen == {Card.GREEN, Card.YELLOW, Card.RED}


def test_rebuild_gives_the_scope_of_the_policy() -> None:
    apps = [submitted(), submitted(region_code="210503000000"), submitted("210500-GAJ-QR-0001")]
    accepted = submitted()
    svc.application_accept(actor=user("fengxue"), application=accepted)
    InboxTask.objects.filter(object_type="services.application").delete()
    results = {result.name: result for result in inbox_rebuild(only=["services.applications"])}
    assert results["services.applications"].opened >= 4
    for username in STAFF:
        actor = user(username)
        assert open_ids(username, ACCEPT.key) == {
            app.pk
            for app in Application.objects.filter(status=ApplicationStatus.SUBMITTED)
            if policy.can(actor, policy.Action.ACCEPT, app)
        }, username
        assert open_ids(username, DECIDE.key) == {
            app.pk
            for app in Application.objects.exclude(status=ApplicationStatus.SUBMITTED)
            if app.status in ("accepted", "under_review", "approved", "refused")
            and policy.can(actor, policy.Action.APPROVE, app)
        }, username
    assert {app.pk for app in apps[:2]} <= open_ids("fengxue", ACCEPT.key) | open_ids("sujianping", ACCEPT.key)


def test_rectification_task_until_answered() -> None:
    app = submitted()
    head = user("helijuan")
    svc.application_accept(actor=user("fengxue"), application=app)
    svc.application_start_review(actor=head, application=app)
    svc.application_approve(actor=head, application=app)
    svc.application_complete(actor=head, application=app)
    rating = application_rate(
        actor=app.applicant, application=app, efficiency=2, guide_accuracy=4, convenience=4, usability=5
    )
    task = rating.rectification
    rows = inbox_for(head, "todo", kind=RECTIFY.key).rows
    assert [row.task.object_id for row in rows] == [str(task.pk)] and rows[0].task.due_at is not None
    assert not inbox_for(user("lizhigang"), "todo", kind=RECTIFY.key).rows
    rectification_answer(actor=head, task=task, answer="已约谈窗口人员并优化流程，办理时限压缩至三个工作日。")
    assert not inbox_for(head, "todo", kind=RECTIFY.key).rows
    assert [row.task.kind for row in inbox_for(head, "done").rows][:1] == [RECTIFY.key]
