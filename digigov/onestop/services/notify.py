"""Who hears of a 一网通办 application (统一消息, ADR 0009): the applicant at each step that concerns them, the
deciding staff when a card turns yellow or red, the answering department of a 差评.

Every message is written in the transaction of the change it reports (a rolled-back step tells no one); the
background worker delivers its SMS and e-mail after commit. Hooks register when this module loads (apps.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from digigov.core.messages import message_cards_turned, message_send
from digigov.core.policy import is_system
from digigov.core.workflow import Card, Move
from digigov.identity.permissions import Perm
from digigov.identity.selectors import staff_coverage, staff_covering
from digigov.onestop import messages as kinds
from digigov.onestop.models import Application, RectificationTask
from digigov.onestop.workflow import application_workflow

# The steps an applicant is told of, and with which message kind.
APPLICANT_KINDS = {
    "accept": kinds.ACCEPTED.code,
    "request_correction": kinds.CORRECTION_NEEDED.code,
    "reject": kinds.NOT_ACCEPTED.code,
    "approve": kinds.APPROVED.code,
    "refuse": kinds.REFUSED.code,
    "complete": kinds.COMPLETED.code,
}
# 秒批 takes these itself within the submission: its 办结 message tells the whole story.
SILENT_WHEN_SYSTEM = {"accept", "approve"}
# A card that turned yellow or red longer ago than this is not news: the inbox shows it, no message is sent
# (this bounds what each sweep looks at; the worker sweeps every 5 minutes).
NEWS_WINDOW = timedelta(days=3)


def _day(value: object) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value:%Y年%m月%d日}" if value else "—"


def _context(app: Application, reason: str = "") -> dict[str, object]:
    return {"item": app.item.name, "number": app.number or "", "due": _day(app.due_date), "reason": reason or "—"}


@application_workflow.on(*APPLICANT_KINDS)
def _tell_the_applicant(move: Move) -> None:
    app: Application = move.obj
    if is_system(move.actor) and move.step.name in SILENT_WHEN_SYSTEM:
        return
    message_send(
        recipient=app.applicant,
        kind=APPLICANT_KINDS[move.step.name],
        context=_context(app, move.note),
        link=reverse("services:portal_detail", args=[app.pk]),
        obj=app,
    )


def application_deadline_notices(now: datetime | None = None) -> int:
    """Tell the staff who may decide each application whose card turned yellow or red (within NEWS_WINDOW):
    once per card and deadline, however often the sweeper runs. Returns messages written."""
    deciders = staff_coverage(Perm.DECIDE_APPLICATION)  # the grants read once for the whole sweep
    return message_cards_turned(
        application_workflow,
        Application.objects.select_related("item", "region"),
        kinds={Card.YELLOW: kinds.DEADLINE_YELLOW.code, Card.RED: kinds.DEADLINE_RED.code},
        recipients=lambda app: deciders(app.region.code, app.department_id, False),
        context=_context,
        link=lambda app: reverse("services:console_application", args=[app.pk]),
        now=now or timezone.now(),
        window=NEWS_WINDOW,
    )


def rectification_opened_notice(task: RectificationTask) -> None:
    """A 差评 opened a 整改 task: the department's answerers are told, in the rating's transaction."""
    application = task.rating.application
    answerers = staff_covering(
        Perm.ANSWER_RECTIFICATION, region_code=application.region.code, department_id=task.department_id
    )
    context: dict[str, object] = {
        "item": application.item.name,
        "number": application.number or "",
        "due": _day(task.due_date),
    }
    link = reverse("services:console_rectification", args=[task.pk])
    for user in answerers:
        message_send(recipient=user, kind=kinds.RECTIFICATION_DUE.code, context=context, link=link, obj=task)
