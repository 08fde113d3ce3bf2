"""Keeping 12345's inbox rows in step with its objects: one call from a move's in-transaction hook (ADR 0010)."""

from __future__ import annotations

from typing import Any

from digigov.core.inbox.services import inbox_sync
from digigov.hotline.inbox import APPEAL_KINDS, CALLBACK, appeal_task, callback_task
from digigov.hotline.models import Appeal, CallbackTask


def appeal_inbox_sync(*, appeal: Appeal, actor: Any, how: str) -> None:
    """Close the appeal's task the move ended (as 已办 of `actor`) and open the one its new stage needs."""
    inbox_sync(obj=appeal, kinds=APPEAL_KINDS, spec=appeal_task(appeal), actor=actor, how=how)


def callback_inbox_sync(*, task: CallbackTask, actor: Any, how: str) -> None:
    inbox_sync(obj=task, kinds=(CALLBACK.key,), spec=callback_task(task), actor=actor, how=how)
