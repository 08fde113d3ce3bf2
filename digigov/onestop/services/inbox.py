"""Keeping 一网通办's inbox rows in step with its objects, inside the transaction of the change (ADR 0010): every
step of an application through core.inbox's hook (inbox_follows, below), a 差评整改 from services/ratings.py. `manage.py
inbox_rebuild` recreates the rows from the open objects (a database from before the inbox).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from digigov.core.inbox.services import inbox_follows, inbox_sync
from digigov.onestop.inbox import (
    APPLICATION_KINDS,
    RECTIFY,
    application_task,
    application_task_kind,
    rectification_task,
)
from digigov.onestop.models import Application, RectificationTask
from digigov.onestop.workflow import application_workflow


def application_inbox_sync(
    *, app: Application, actor: Any, how: str, kinds: Sequence[str] = APPLICATION_KINDS
) -> None:
    """Close the application's task the move ended (as 已办 of `actor`) and open the one its new state needs.
    kinds: the tasks it may have open (the hook knows: the one of the state it left)."""
    inbox_sync(obj=app, kinds=kinds, spec=application_task(app), actor=actor, how=how)


def rectification_inbox_sync(*, task: RectificationTask, actor: Any, how: str, new: bool = False) -> None:
    """new: the 整改 task was created in this transaction (nothing of it can be open yet)."""
    kinds = () if new else (RECTIFY.key,)
    inbox_sync(obj=task, kinds=kinds, spec=rectification_task(task), actor=actor, how=how)


inbox_follows(application_workflow, task=application_task, task_kind=application_task_kind)
