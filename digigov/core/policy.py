"""The shared pieces of every domain's policy (``digigov/<domain>/policy.py``, ADR 0011).

A policy answers ``can(actor, action, obj=None) -> bool`` and, for lists, a queryset filter. Services call it at
their top and raise ``Forbidden`` when refused (``require``), so no caller (a page, the API, a command, a task)
can skip the decision; pages and the API ask the same ``can`` only to decide what to show.

``SYSTEM`` is the platform acting on its own (demo loading, management commands, sweepers, 秒批, an Open311
client already authenticated by its key). It is explicit: a service refuses ``None`` where it once meant "the
system", so a request path cannot skip a check by passing nothing. Audit entries written for ``SYSTEM`` are the
same as for ``None`` (no actor id, name "system").

Core cannot import identity (grants and permission codes live there), so the rules core's own services need
(the working-day calendar) are registered here by identity at startup (``register``); an action nobody
registered is refused to everyone but ``SYSTEM`` (deny by default).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, Final

from digigov.core.errors import Forbidden


class SystemActor:
    """The platform itself. Never built from a request: ``SYSTEM``, or ``operator(user)`` for a management
    command run on the server that names (``--by``) the person it is done for."""

    is_authenticated = False
    is_active = True
    kind = "system"

    def __init__(self, on_behalf_of: Any = None) -> None:
        self.on_behalf_of = on_behalf_of
        # plain attribute, so a SystemActor fits core.audit.Actor: SYSTEM's entries read like actor=None's
        self.pk: Any = on_behalf_of.pk if on_behalf_of is not None else None

    def get_username(self) -> str:
        return self.on_behalf_of.get_username() if self.on_behalf_of is not None else "system"

    def __repr__(self) -> str:
        return "SYSTEM" if self.on_behalf_of is None else f"operator({self.get_username()})"


SYSTEM: Final = SystemActor()


def operator(user: Any) -> SystemActor:
    """A command run on the server by an operator, recorded as done for user (audit entries and "created by"
    name them). The operator is trusted as the system is; the policies are not asked."""
    return SystemActor(on_behalf_of=user)


def is_system(actor: object) -> bool:
    return isinstance(actor, SystemActor)


def person[T](actor: T | SystemActor | None) -> T | None:
    """The user behind actor, for foreign keys (event rows, ``created_by``): None for ``SYSTEM``."""
    if isinstance(actor, SystemActor):
        return actor.on_behalf_of
    return actor


def require(allowed: bool, message: str = "无权执行此操作") -> None:
    """Raise ``Forbidden`` with a Chinese message unless allowed."""
    if not allowed:
        raise Forbidden(message)


# --- rules core's own services ask (registered by a domain at startup) ---------------------------------------


class CoreAction(StrEnum):
    MANAGE_CALENDAR = "core.manage_calendar"  # the working-day calendar: every deadline in the city depends on it


Rule = Callable[[Any, Any], bool]
_rules: dict[CoreAction, Rule] = {}


def register(action: CoreAction, rule: Rule) -> None:
    """identity registers its rule for each core action in its AppConfig.ready()."""
    _rules[action] = rule


def can(actor: Any, action: CoreAction, obj: object = None) -> bool:
    if is_system(actor):
        return True
    rule = _rules.get(action)
    if rule is None or actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return bool(rule(actor, obj))
