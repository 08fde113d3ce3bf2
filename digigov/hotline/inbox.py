"""12345's tasks in the staff inbox: 签收 and 回复 for the handling department and street, 回访 for the centre.

`appeal_task` / `callback_task` say which task an object needs in its current state (pure reads);
`services/inbox.py` applies them after a move; the rebuilders let `manage.py inbox_rebuild` recreate the rows.
The title is the appeal's subject and the summary its number and category: never the caller (保密 or not).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from digigov.core.inbox.registry import InboxKind, InboxSpec, register_kind, register_rebuilder
from digigov.hotline.models import Appeal, AppealStatus, CallbackTask
from digigov.identity.permissions import Perm

DOMAIN = "12345热线"
SIGN = register_kind(InboxKind("hotline.appeal_sign", "签收", DOMAIN, "签", colour="purple"))
REPLY = register_kind(InboxKind("hotline.appeal_reply", "回复", DOMAIN, "复", colour="teal"))
CALLBACK = register_kind(InboxKind("hotline.callback", "回访", DOMAIN, "访", colour="brown"))
APPEAL_KINDS = (SIGN.key, REPLY.key)


def appeal_task_kind(status: str) -> str | None:
    """The kind of task an appeal in `status` has open (when it has a handling region): 签收, then 回复."""
    return {AppealStatus.DISPATCHED: SIGN.key, AppealStatus.SIGNED: REPLY.key}.get(AppealStatus(status))


def appeal_task(appeal: Appeal) -> InboxSpec | None:
    """签收 once dispatched, 回复 once signed, for hotline.handle grants covering the handling region and the
    department (as selectors.handler_worklist); nothing in the dispatchers' queue, after the reply, or closed."""
    kind = appeal_task_kind(appeal.status)
    if kind is None or appeal.handler_region is None:
        return None
    return InboxSpec(
        kind=kind,
        obj=appeal,
        title=appeal.subject,
        summary=f"{appeal.number} · {appeal.category_l1 or '未分类'}",
        link=reverse("hotline_console:appeal", args=[appeal.pk]),
        permission=Perm.HOTLINE_HANDLE,
        region_code=appeal.handler_region.code,
        department_id=appeal.department_id,
        yellow_at=appeal.yellow_at,  # the stage's deadline instants, as the kernel keeps them
        due_at=appeal.due_at,
    )


def callback_task(task: CallbackTask) -> InboxSpec | None:
    """回访 until done, for hotline.callback grants covering the appeal's region, whatever their department
    (as selectors.pending_callbacks)."""
    if task.done_at is not None:
        return None
    appeal = task.appeal
    return InboxSpec(
        kind=CALLBACK.key,
        obj=task,
        title=f"回访：{appeal.subject}",
        summary=f"{appeal.number} · 第 {task.round} 次回访",
        link=reverse("hotline_console:callback_record", args=[task.pk]),
        permission=Perm.HOTLINE_CALLBACK,
        region_code=appeal.region.code,
        any_department=True,
        due_at=task.due_at,
    )


def _open_appeals() -> Iterator[InboxSpec]:
    appeals = Appeal.objects.filter(status__in=(AppealStatus.DISPATCHED, AppealStatus.SIGNED))
    for appeal in appeals.select_related("handler_region").order_by("pk").iterator(chunk_size=500):
        spec = appeal_task(appeal)
        if spec is not None:
            yield spec


def _open_callbacks() -> Iterator[InboxSpec]:
    tasks = CallbackTask.objects.filter(done_at__isnull=True).select_related("appeal", "appeal__region")
    for task in tasks.order_by("pk").iterator(chunk_size=500):
        spec = callback_task(task)
        if spec is not None:
            yield spec


register_rebuilder("hotline.appeals", kinds=APPEAL_KINDS, rebuild=_open_appeals)
register_rebuilder("hotline.callbacks", kinds=(CALLBACK.key,), rebuild=_open_callbacks)
