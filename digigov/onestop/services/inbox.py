"""Keeping 一网通办's inbox rows in step with its objects, inside the transaction of the change (ADR 0010): every
step of an application through the kernel's hook below, a 差评整改 from services/ratings.py. `manage.py
inbox_rebuild` recreates the rows from the open objects (a database from before the inbox).
"""

from __future__ import annotations

from typing import Any

from digigov.core.inbox.services import inbox_sync
from digigov.core.policy import person
from digigov.core.workflow import Move
from digigov.onestop.inbox import APPLICATION_KINDS, RECTIFY, application_task, rectification_task
from digigov.onestop.models import Application, RectificationTask
from digigov.onestop.workflow import application_workflow


def application_inbox_sync(*, app: Application, actor: Any, how: str) -> None:
    """Close the application's task the move ended (as 已办 of `actor`) and open the one its new state needs."""
    inbox_sync(obj=app, kinds=APPLICATION_KINDS, spec=application_task(app), actor=actor, how=how)


def rectification_inbox_sync(*, task: RectificationTask, actor: Any, how: str) -> None:
    inbox_sync(obj=task, kinds=(RECTIFY.key,), spec=rectification_task(task), actor=actor, how=how)


@application_workflow.on()
def _application_moved(move: Move) -> None:
    application_inbox_sync(app=move.obj, actor=person(move.actor), how=move.step.name)
