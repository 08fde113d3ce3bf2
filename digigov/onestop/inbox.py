"""一网通办's tasks in the staff inbox: 受理 and 审批 of applications, 差评整改 of ratings.

`application_task` / `rectification_task` say which task an object needs in its current state (pure reads);
`services/inbox.py` applies them after a move, and the rebuilders registered here let `manage.py inbox_rebuild`
recreate every open row from the open objects (a database from before the inbox, the demo).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from digigov.core.inbox.registry import InboxKind, InboxSpec, register_kind, register_rebuilder
from digigov.identity.permissions import Perm
from digigov.onestop.models import Application, ApplicationStatus, RectificationStatus, RectificationTask

DOMAIN = "一网通办"
ACCEPT = register_kind(InboxKind("services.application_accept", "受理", DOMAIN, "受", colour="blue"))
DECIDE = register_kind(InboxKind("services.application_decide", "审批", DOMAIN, "批", colour="green"))
RECTIFY = register_kind(InboxKind("services.rectification", "差评整改", DOMAIN, "改", colour="orange"))
APPLICATION_KINDS = (ACCEPT.key, DECIDE.key)
DECIDING = (
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.APPROVED,
    ApplicationStatus.REFUSED,
)


def day_end_instant(day: date) -> datetime:
    """The instant a date-based deadline passes: the card is red from the next day on (today > due_date)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def application_task_kind(status: str) -> str | None:
    """The kind of task an application in `status` has open: 受理 while submitted, 审批 while being decided."""
    if status == ApplicationStatus.SUBMITTED:
        return ACCEPT.key
    return DECIDE.key if status in DECIDING else None


def application_task(app: Application) -> InboxSpec | None:
    """The task an application needs now: 受理 while submitted, 审批 (review, decide, complete) from acceptance
    to 办结; none while the applicant must act (补正) or once it ended. Same scope as policy.can. Its card uses the
    application's own deadline instants (none while the clock is paused)."""
    kind = application_task_kind(app.status)
    if kind == ACCEPT.key:
        perm, (yellow_at, due_at) = Perm.ACCEPT_APPLICATION, (None, None)
    elif kind == DECIDE.key:
        perm = Perm.DECIDE_APPLICATION
        paused = app.clock_paused_on is not None
        yellow_at, due_at = (None, None) if paused else (app.yellow_at, app.due_at)
    else:
        return None
    return InboxSpec(
        kind=kind,
        obj=app,
        title=app.item.name,
        summary=f"{app.number or ''} · {app.get_status_display()} · {app.region.name}",
        link=reverse("services:console_application", args=[app.pk]),
        permission=perm,
        region_code=app.region.code,
        department_id=app.department_id,
        yellow_at=yellow_at,
        due_at=due_at,
    )


def rectification_task(task: RectificationTask) -> InboxSpec | None:
    """差评整改 while open, for the department answering in the application's region."""
    if task.status != RectificationStatus.OPEN:
        return None
    application = task.rating.application
    return InboxSpec(
        kind=RECTIFY.key,
        obj=task,
        title=f"差评整改：{application.item.name}",
        summary=f"{application.number or ''} · 总体评价 {task.rating.overall} 星",
        link=reverse("services:console_rectification", args=[task.pk]),
        permission=Perm.ANSWER_RECTIFICATION,
        region_code=application.region.code,
        department_id=task.department_id,
        due_at=day_end_instant(task.due_date),
    )


def _open_applications() -> Iterator[InboxSpec]:
    applications = Application.objects.filter(status__in=(ApplicationStatus.SUBMITTED, *DECIDING))
    for app in applications.select_related("item", "region").order_by("pk").iterator(chunk_size=500):
        spec = application_task(app)
        if spec is not None:
            yield spec


def _open_rectifications() -> Iterator[InboxSpec]:
    tasks = RectificationTask.objects.filter(status=RectificationStatus.OPEN).select_related(
        "rating__application__item", "rating__application__region"
    )
    for task in tasks.order_by("pk").iterator(chunk_size=500):
        spec = rectification_task(task)
        if spec is not None:
            yield spec


register_rebuilder("services.applications", kinds=APPLICATION_KINDS, rebuild=_open_applications)
register_rebuilder("services.rectifications", kinds=(RECTIFY.key,), rebuild=_open_rectifications)
