"""Who may change the joint-punishment list (联合惩戒名单): the credit domain's one policy (ADR 0011).

``can(actor, action, obj=None)``; ``scope_filter(actor, action)`` for lists. The list is city-wide reference
data that 秒批 consults, so a MANAGE_CREDIT grant (anywhere) is needed to list or lift an entry; ``SYSTEM``
(data exchange, demo loading) may too.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q

from digigov.core.policy import SystemActor, is_system
from digigov.identity.models import User, UserKind
from digigov.identity.permissions import Perm
from digigov.identity.scope import has_perm


class Action(StrEnum):
    MANAGE_LIST = "credit.manage_list"  # list (公示) or lift (移出) an entry


def can(actor: User | SystemActor | Any, action: str, obj: object = None) -> bool:
    if is_system(actor):
        return True
    if not isinstance(actor, User) or not actor.is_authenticated or actor.kind != UserKind.STAFF:
        return False
    return action == Action.MANAGE_LIST and has_perm(actor, Perm.MANAGE_CREDIT)


def scope_filter(actor: User | SystemActor, action: str) -> Q:
    """Every entry for whoever may manage the list (it is city-wide); nothing otherwise."""
    return Q() if can(actor, action) else Q(pk__in=[])
