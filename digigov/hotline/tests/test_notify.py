"""Who hears of an appeal, through the real loop only: the caller who filed with an account when the reply is
given (never their name or number in the text), the handling department of a red card once however often the
sweep runs, the callback staff of a 回访 falling due; 回访 tasks enter and leave the inbox with the loop."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from digigov.core.inbox.selectors import inbox_for
from digigov.core.models import InboxTask, Message
from digigov.core.tests.deadlines import set_card
from digigov.core.workflow import Card
from digigov.hotline.inbox import CALLBACK
from digigov.hotline.models import Appeal, CallbackTask, Satisfaction
from digigov.hotline.services import loop
from digigov.hotline.services.intake import submit_appeal
from digigov.hotline.services.sweeper import sweep_appeals
from digigov.hotline.tests.conftest import HOUSING, appeal_input, category
from digigov.identity.models import Department, User
from digigov.identity.permissions import Perm
from digigov.identity.selectors import staff_covering

pytestmark = pytest.mark.usefixtures("hotline")


def signed_appeal(staff: Any, settings: Any, actor: User) -> Appeal:
    settings.HOTLINE_ROUTING_THRESHOLD = 1.01  # the dispatcher decides
    appeal = submit_appeal(actor=actor, data=appeal_input(channel="web" if actor.kind == "citizen" else "phone"))
    loop.dispatch(
        actor=staff("zhoupeng"),
        appeal=appeal,
        department=Department.objects.get(code="zjj"),
        category=category(HOUSING),
    )
    loop.sign(actor=staff("liguoqiang"), appeal=appeal)
    return appeal


def test_the_caller_with_an_account_hears_of_the_reply(staff: Any, settings: Any) -> None:
    citizen = staff("chenhaoran")
    appeal = signed_appeal(staff, settings, citizen)
    assert appeal.caller_user_id == citizen.pk
    assert not Message.objects.filter(recipient=citizen).exclude(kind__startswith="security.").exists()
    loop.reply(actor=staff("liguoqiang"), appeal=appeal, text="已约谈物业公司，电梯已于今日修复并通过检验。")
    told = Message.objects.get(recipient=citizen, kind="hotline.reply_given")
    assert appeal.number in told.body and "住房和城乡建设局" in told.body
    assert "刘淑珍" not in told.body and "13841412786" not in told.body


def test_a_phone_caller_without_an_account_gets_no_message(staff: Any, settings: Any) -> None:
    appeal = signed_appeal(staff, settings, staff("hanxue"))
    loop.reply(actor=staff("liguoqiang"), appeal=appeal, text="已约谈物业公司，电梯已于今日修复并通过检验。")
    assert not Message.objects.filter(kind="hotline.reply_given", object_id=str(appeal.pk)).exists()


def test_the_handlers_hear_of_a_red_card_once(staff: Any, settings: Any) -> None:
    appeal = signed_appeal(staff, settings, staff("hanxue"))
    # the stage's own deadline passed too: the 督办 the sweep takes re-derives the instants from it
    now = timezone.now()
    set_card(appeal, Card.RED, signed_at=now - timedelta(hours=50), reply_due_at=now - timedelta(hours=1))
    for _ in range(3):
        sweep_appeals()
    handlers = staff_covering(
        Perm.HOTLINE_HANDLE, region_code=appeal.handler_region.code, department_id=appeal.department_id
    )
    assert staff("liguoqiang") in handlers
    told = Message.objects.filter(kind="hotline.deadline_red", object_id=str(appeal.pk))
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(u.pk for u in handlers)
    assert "办理" in told.first().body  # type: ignore[union-attr]


def test_callbacks_enter_and_leave_the_inbox_and_are_announced_once_when_due(staff: Any, settings: Any) -> None:
    appeal = signed_appeal(staff, settings, staff("hanxue"))
    loop.reply(actor=staff("liguoqiang"), appeal=appeal, text="已约谈物业公司，电梯已于今日修复并通过检验。")
    task = CallbackTask.objects.get(appeal=appeal)
    centre = staff("hanxue")
    assert task.pk in {
        int(row.task.object_id) for row in inbox_for(centre, "todo", kind=CALLBACK.key, per_page=500).rows
    }
    CallbackTask.objects.filter(pk=task.pk).update(due_at=timezone.now() + timedelta(hours=2))
    sweep_appeals()
    sweep_appeals()
    told = Message.objects.filter(kind="hotline.callback_due", object_id=str(task.pk))
    assert centre.pk in set(told.values_list("recipient_id", flat=True))
    assert told.filter(recipient=centre).count() == 1
    loop.record_callback(actor=centre, task=task, result=Satisfaction.SATISFIED)
    row = InboxTask.objects.get(kind=CALLBACK.key, object_id=str(task.pk))
    assert row.closed_at is not None and (row.closed_by_id, row.closed_how) == (centre.pk, "record")
