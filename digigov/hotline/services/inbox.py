"""Keeping 12345's inbox rows in step with its objects, inside the transaction of the change (ADR 0010): every
step of an appeal through the kernel's hook below, 回访 tasks from services/loop.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from digigov.core.inbox.services import inbox_sync
from digigov.core.policy import person
from digigov.core.workflow import Move
from digigov.hotline.inbox import APPEAL_KINDS, CALLBACK, appeal_task, appeal_task_kind, callback_task
from digigov.hotline.models import Appeal, CallbackTask
from digigov.hotline.workflow import appeal_workflow


def appeal_inbox_sync(*, appeal: Appeal, actor: Any, how: str, kinds: Sequence[str] = APPEAL_KINDS) -> None:
    """Close the appeal's task the move ended (as 已办 of `actor`) and open the one its new stage needs.
    kinds: the tasks it may have open (the hook knows: the one of the state it left)."""
    inbox_sync(obj=appeal, kinds=kinds, spec=appeal_task(appeal), actor=actor, how=how)


def callback_inbox_sync(*, task: CallbackTask, actor: Any, how: str, new: bool = False) -> None:
    """new: the callback task was created in this transaction (nothing of it can be open yet)."""
    kinds = () if new else (CALLBACK.key,)
    inbox_sync(obj=task, kinds=kinds, spec=callback_task(task), actor=actor, how=how)


@appeal_workflow.on()
def _appeal_moved(move: Move) -> None:
    if move.to_state != move.obj.status:
        return  # an earlier step of an entry sequence (received, then dispatched): the last one syncs
    before = appeal_task_kind(move.from_state)
    kinds = (before,) if before else ()
    appeal_inbox_sync(appeal=move.obj, actor=person(move.actor), how=move.step.name, kinds=kinds)
