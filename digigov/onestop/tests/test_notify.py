"""Who hears of an application, through the real services only: the applicant at each step that concerns them
(not of 秒批's own intermediate steps), nobody of a step that rolled back, the deciders of a yellow or red card
once however often the sweeper runs, the answering department of a 差评."""

from __future__ import annotations

import pytest
from django.db import transaction

from digigov.core.models import Message
from digigov.core.tests.deadlines import set_card
from digigov.core.workflow import Card
from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.selectors import staff_covering
from digigov.onestop.models import Application, ServiceItem
from digigov.onestop.services import applications as svc
from digigov.onestop.services.ratings import application_rate
from digigov.onestop.services.sweeper import sweep_deadlines
from digigov.onestop.tests.factories import draft_with_materials

pytestmark = pytest.mark.django_db
DOCTOR = "210500-WJW-XK-0003"  # 医师执业注册, 卫健委
ELDER_CARD = "210500-MZJ-GG-0004"  # 老年人优待证, 秒批: applicant.age >= 60


def user(username: str) -> User:
    return User.objects.get(username=username)


def submitted(username: str = "chenhaoran", code: str = DOCTOR) -> Application:
    applicant = user(username)
    app = draft_with_materials(applicant, ServiceItem.objects.get(code=code), "210502000000")
    return svc.application_submit(actor=applicant, application=app)


def kinds_told(recipient: User, app: Application) -> list[str]:
    rows = Message.objects.filter(recipient=recipient, object_type="services.application", object_id=str(app.pk))
    return list(rows.order_by("id").values_list("kind", flat=True))


def test_the_applicant_hears_of_each_step_that_concerns_them() -> None:
    app = submitted()
    applicant, head = app.applicant, user("helijuan")
    assert kinds_told(applicant, app) == []  # their own submission is no news to them
    svc.application_accept(actor=user("fengxue"), application=app)
    svc.application_start_review(actor=head, application=app)
    svc.application_request_correction(actor=head, application=app, reason="请补充执业证书扫描件")
    correction = Message.objects.get(recipient=applicant, kind="onestop.correction_needed")
    assert app.number in correction.body and "请补充执业证书扫描件" in correction.body
    assert correction.link == f"/services/my/{app.pk}/"
    svc.application_resubmit(actor=applicant, application=app, form_data=app.form_data)
    svc.application_approve(actor=head, application=app)
    svc.application_complete(actor=head, application=app)
    assert kinds_told(applicant, app) == [
        "onestop.accepted",
        "onestop.correction_needed",
        "onestop.approved",
        "onestop.completed",
    ]
    accepted = Message.objects.get(recipient=applicant, kind="onestop.accepted")
    assert accepted.body.endswith("前办结。") and "年" in accepted.body  # the promised date, as the applicant reads it


def test_auto_approval_tells_the_applicant_once_that_it_is_done() -> None:
    app = submitted("lixiulan", ELDER_CARD)  # born 1952: 秒批 accepts, approves and completes at once
    assert kinds_told(app.applicant, app) == ["onestop.completed"]


def test_a_step_that_rolls_back_tells_no_one() -> None:
    app = submitted()
    with pytest.raises(RuntimeError), transaction.atomic():
        svc.application_reject(actor=user("fengxue"), application=app, reason="不属于本部门受理范围的事项")
        raise RuntimeError("the caller's transaction fails after the step")
    assert kinds_told(app.applicant, app) == []
    app.refresh_from_db()  # the object in memory still shows the step that rolled back
    svc.application_reject(actor=user("fengxue"), application=app, reason="不属于本部门受理范围的事项")
    assert kinds_told(app.applicant, app) == ["onestop.not_accepted"]


def test_deciders_hear_of_a_red_card_once_and_others_never() -> None:
    app = submitted()
    svc.application_accept(actor=user("fengxue"), application=app)
    set_card(app, Card.RED)
    deciders = staff_covering(Perm.DECIDE_APPLICATION, region_code=app.region.code, department_id=app.department_id)
    assert user("helijuan") in deciders and user("lizhigang") not in deciders  # 卫健委, not 公安局
    for _ in range(3):
        sweep_deadlines()
    told = Message.objects.filter(kind="onestop.deadline_red", object_id=str(app.pk))
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(u.pk for u in deciders)
    assert app.number in told.first().body  # type: ignore[union-attr]


def test_a_yellow_card_is_news_and_a_green_one_is_not() -> None:
    green, yellow = submitted(), submitted()
    for app, card in ((green, Card.GREEN), (yellow, Card.YELLOW)):
        svc.application_accept(actor=user("fengxue"), application=app)
        set_card(app, card)
    sweep_deadlines()
    assert Message.objects.filter(kind="onestop.deadline_yellow", object_id=str(yellow.pk)).exists()
    assert not Message.objects.filter(kind__startswith="onestop.deadline", object_id=str(green.pk)).exists()


def test_a_bad_rating_tells_the_answering_department() -> None:
    app = submitted()
    head = user("helijuan")
    svc.application_accept(actor=user("fengxue"), application=app)
    for step in (svc.application_start_review, svc.application_approve, svc.application_complete):
        step(actor=head, application=app)
    rating = application_rate(
        actor=app.applicant, application=app, efficiency=1, guide_accuracy=2, convenience=2, usability=2
    )
    task = rating.rectification
    told = Message.objects.filter(kind="onestop.rectification_due", object_id=str(task.pk))
    assert head.pk in set(told.values_list("recipient_id", flat=True))
    assert user("lizhigang").pk not in set(told.values_list("recipient_id", flat=True))
