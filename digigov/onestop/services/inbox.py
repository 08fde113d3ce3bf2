"""Keeping 一网通办's inbox rows in step with its objects: one call from a move's in-transaction hook.

The workflow kernel's hooks call these inside the move's transaction (ADR 0010); until then inbox_rebuild
recreates the rows from the open objects.
"""

from __future__ import annotations

from typing import Any

from digigov.core.inbox.services import inbox_sync
from digigov.onestop.inbox import APPLICATION_KINDS, RECTIFY, application_task, rectification_task
from digigov.onestop.models import Application, RectificationTask


def application_inbox_sync(*, app: Application, actor: Any, how: str) -> None:
    """Close the application's task the move ended (as 已办 of `actor`) and open the one its new state needs."""
    inbox_sync(obj=app, kinds=APPLICATION_KINDS, spec=application_task(app), actor=actor, how=how)


def rectification_inbox_sync(*, task: RectificationTask, actor: Any, how: str) -> None:
    inbox_sync(obj=task, kinds=(RECTIFY.key,), spec=rectification_task(task), actor=actor, how=how)
