"""Keeping 12345's inbox rows in step with its objects, inside the transaction of the change (ADR 0010): every
step of an appeal through the kernel's hook below, 回访 tasks from services/loop.py."""

from __future__ import annotations

from typing import Any

from digigov.core.inbox.services import inbox_sync
from digigov.core.policy import person
from digigov.core.workflow import Move
from digigov.hotline.inbox import APPEAL_KINDS, CALLBACK, appeal_task, callback_task
from digigov.hotline.models import Appeal, CallbackTask
from digigov.hotline.workflow import appeal_workflow


def appeal_inbox_sync(*, appeal: Appeal, actor: Any, how: str) -> None:
    """Close the appeal's task the move ended (as 已办 of `actor`) and open the one its new stage needs."""
    inbox_sync(obj=appeal, kinds=APPEAL_KINDS, spec=appeal_task(appeal), actor=actor, how=how)


def callback_inbox_sync(*, task: CallbackTask, actor: Any, how: str) -> None:
    inbox_sync(obj=task, kinds=(CALLBACK.key,), spec=callback_task(task), actor=actor, how=how)


@appeal_workflow.on()
def _appeal_moved(move: Move) -> None:
    appeal_inbox_sync(appeal=move.obj, actor=person(move.actor), how=move.step.name)
