"""Who hears of a 12345 appeal (统一消息, ADR 0009): the caller when the reply is given (if they filed with an
account), the handling department when a stage's card turns yellow or red, the callback staff when a 回访 falls
due. Messages never carry the caller's name or number, only the appeal's number and subject.

Every message is written in the transaction of the change it reports; the sweeps' messages carry a key, so a
sweep that runs every minute tells each person once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from digigov.core.messages import message_cards_turned, message_send
from digigov.core.workflow import Card
from digigov.hotline import messages as kinds
from digigov.hotline.models import Appeal, AppealStatus, CallbackTask
from digigov.hotline.workflow import appeal_workflow
from digigov.identity.models import Department
from digigov.identity.permissions import Perm
from digigov.identity.selectors import staff_coverage

# A card that turned longer ago than this is not news: the inbox shows it, no message is sent.
NEWS_WINDOW = timedelta(days=3)
# 回访 staff are told this long before a callback's deadline.
CALLBACK_NOTICE = timedelta(days=1)


def _when(value: datetime | None) -> str:
    return f"{timezone.localtime(value):%Y年%m月%d日 %H:%M}" if value else "—"


def reply_given_notice(appeal: Appeal, department: Department) -> None:
    """The caller of a reply (and of each appeal merged under it) who filed with an account is told."""
    if appeal.caller_user_id is None:
        return
    message_send(
        recipient=appeal.caller_user,
        kind=kinds.REPLY_GIVEN.code,
        context={"title": appeal.subject, "number": appeal.number, "department": department.name},
        obj=appeal,
    )


def appeal_deadline_notices(now: datetime | None = None) -> int:
    """Tell the handling department's staff of each appeal whose stage card turned yellow or red (within
    NEWS_WINDOW), once per card and stage deadline. Returns the messages written."""
    handlers = staff_coverage(Perm.HOTLINE_HANDLE)  # the grants read once for the whole sweep

    def context(appeal: Appeal) -> dict[str, object]:
        stage = "签收" if appeal.status == AppealStatus.DISPATCHED else "办理"
        return {"number": appeal.number, "title": appeal.subject, "stage": stage, "due": _when(appeal.due_at)}

    return message_cards_turned(
        appeal_workflow,
        Appeal.objects.filter(handler_region__isnull=False).select_related("handler_region"),
        kinds={Card.YELLOW: kinds.DEADLINE_YELLOW.code, Card.RED: kinds.DEADLINE_RED.code},
        recipients=lambda appeal: handlers(appeal.handler_region.code, appeal.department_id, False),
        context=context,
        link=lambda appeal: reverse("hotline_console:appeal", args=[appeal.pk]),
        now=now or timezone.now(),
        window=NEWS_WINDOW,
    )


def callback_due_notices(now: datetime | None = None) -> int:
    """Tell the callback staff of the appeal's region of each open 回访 due within CALLBACK_NOTICE, once."""
    now = now or timezone.now()
    due_soon = CallbackTask.objects.filter(
        done_at__isnull=True, due_at__lte=now + CALLBACK_NOTICE, due_at__gte=now - NEWS_WINDOW
    )
    callback_staff = staff_coverage(Perm.HOTLINE_CALLBACK)
    sent = 0
    for task in due_soon.select_related("appeal__region").order_by("pk"):
        appeal = task.appeal
        context: dict[str, object] = {"number": appeal.number, "title": appeal.subject, "due": _when(task.due_at)}
        link = reverse("hotline_console:callback_record", args=[task.pk])
        with transaction.atomic():
            for user in callback_staff(appeal.region.code, None, True):
                told = message_send(
                    recipient=user,
                    kind=kinds.CALLBACK_DUE.code,
                    context=context,
                    link=link,
                    obj=task,
                    key=f"callback:{task.pk}",
                )
                sent += told is not None
    return sent
