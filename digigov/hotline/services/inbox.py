"""Keeping 12345's inbox rows in step with its objects, inside the transaction of the change (ADR 0010): every
step of an appeal through core.inbox's hook (inbox_follows, below), 回访 tasks from services/loop.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from digigov.core.inbox.services import inbox_follows, inbox_sync
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


inbox_follows(appeal_workflow, task=appeal_task, task_kind=appeal_task_kind)
