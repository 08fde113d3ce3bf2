"""The core workflow kernel as 一网通办 uses it: what an actor may do next, hooks inside and after the move's
transaction, and cards that the SQL filter, the SQL annotation and the Python property derive alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from digigov.core.models import AuditEntry
from digigov.core.workflow import Card, Move, available_steps, move
from digigov.core.workflow.definition import Phase
from digigov.identity.models import User
from digigov.onestop.models import Application, ApplicationStatus, ApplicationTransition
from digigov.onestop.services import applications as svc
from digigov.onestop.tests.factories import draft_with_materials
from digigov.onestop.workflow import application_workflow

pytestmark = pytest.mark.django_db
DOCTOR = "210500-WJW-XK-0003"  # 医师执业注册, 卫健委: accepted by the 综合窗口, decided by the department


def user(username: str) -> User:
    return User.objects.get(username=username)


def submitted() -> Application:
    from digigov.onestop.models import ServiceItem

    citizen = user("chenhaoran")
    app = draft_with_materials(citizen, ServiceItem.objects.get(code=DOCTOR))
    return svc.application_submit(actor=citizen, application=app)


def test_available_steps_are_what_the_policy_and_the_state_allow() -> None:
    app = submitted()
    assert {s.name for s in available_steps(application_workflow, user("fengxue"), app)} == {
        "accept",
        "reject",
        "request_correction",
    }, "the 综合窗口 clerk, before 受理"
    assert {s.name for s in available_steps(application_workflow, user("chenhaoran"), app)} == {"withdraw"}
    assert available_steps(application_workflow, user("zhaoyu"), app) == [], "another citizen may do nothing"


def test_an_in_transaction_hook_that_fails_undoes_the_move_its_history_and_its_audit() -> None:
    app = submitted()
    audit_before = AuditEntry.objects.count()

    @application_workflow.on("accept")
    def refuse(move: Move) -> None:
        raise RuntimeError("licence store unavailable")

    try:  # the atomic block stands for the request's transaction (the test's own one stays usable)
        with pytest.raises(RuntimeError), transaction.atomic():
            svc.application_accept(actor=user("fengxue"), application=app)
    finally:
        application_workflow._hooks[(Phase.IN_TRANSACTION, "accept")].remove(refuse)
    stored = Application.objects.get(pk=app.pk)
    assert stored.status == ApplicationStatus.SUBMITTED and stored.accepted_on is None
    assert not ApplicationTransition.objects.filter(application=app, to_status=ApplicationStatus.ACCEPTED).exists()
    assert AuditEntry.objects.count() == audit_before


def test_an_after_commit_hook_runs_once_the_move_committed(django_capture_on_commit_callbacks: Any) -> None:
    app = submitted()
    told: list[str] = []

    @application_workflow.on("accept", phase=Phase.AFTER_COMMIT)
    def tell(move: Move) -> None:
        told.append(Application.objects.get(pk=move.obj.pk).status)

    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            svc.application_accept(actor=user("fengxue"), application=app)
            assert told == [], "not before the commit"
    finally:
        application_workflow._hooks[(Phase.AFTER_COMMIT, "accept")].remove(tell)
    ours = [c for c in callbacks if getattr(c, "func", None) is tell]  # the applicant's message nudges the worker too
    assert len(ours) == 1 and told == [ApplicationStatus.ACCEPTED]


def test_a_stale_object_loses_with_a_conflict_and_keeps_what_it_had() -> None:
    app = submitted()
    stale = Application.objects.get(pk=app.pk)
    svc.application_accept(actor=user("fengxue"), application=app)
    from digigov.core.errors import Conflict

    with pytest.raises(Conflict, match="其他工作人员"):
        move(application_workflow, actor=user("fengxue"), obj=stale, step="reject", note="重复")
    assert stale.status == ApplicationStatus.SUBMITTED and stale.result_reason == ""
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.ACCEPTED


def test_the_sql_filter_the_sql_annotation_and_the_property_agree_on_every_card() -> None:
    now = timezone.now()
    apps = [submitted() for _ in range(4)]
    for app in apps:
        svc.application_accept(actor=user("fengxue"), application=app)
    hour = timedelta(hours=1)
    instants = [(now + 5 * hour, now + 9 * hour), (now - hour, now + hour), (now - 9 * hour, now - hour)]
    for app, (yellow_at, due_at) in zip(apps, instants, strict=False):
        Application.objects.filter(pk=app.pk).update(yellow_at=yellow_at, due_at=due_at)
    svc.application_request_correction(actor=user("helijuan"), application=_reviewed(apps[3]), reason="请补签字")
    rows = Application.objects.filter(pk__in=[a.pk for a in apps]).annotate(card=application_workflow.card_case(now))
    by_sql = {row.pk: row.card for row in rows}
    by_property = {a.pk: Application.objects.get(pk=a.pk).deadline_flag for a in apps}
    by_filter = {
        a.pk: card
        for card in Card.values
        for a in Application.objects.filter(application_workflow.card_q(card, now), pk__in=[x.pk for x in apps])
    }
    assert by_sql == by_property == by_filter
    assert [by_sql[a.pk] for a in apps] == [Card.GREEN, Card.YELLOW, Card.RED, Card.PAUSED]


def _reviewed(app: Application) -> Application:
    return svc.application_start_review(actor=user("helijuan"), application=app)
