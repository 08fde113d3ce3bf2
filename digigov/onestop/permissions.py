"""Kept only because ``services/transitions.py`` (being replaced by the workflow kernel) imports ``can_act``.
The rules live in ``digigov.onestop.policy``; new code asks ``policy.can(actor, action, obj)``."""

from __future__ import annotations

from digigov.identity.models import User
from digigov.onestop.models import Application
from digigov.onestop.policy import ACTION_PERMS, can, perm_for

__all__ = ["ACTION_PERMS", "can_act", "perm_for"]


def can_act(actor: User, action: str, app: Application) -> bool:
    return can(actor, action, app)
