"""Who may open a page: every view declares a policy with @access; a view without one is refused.

The API (django-ninja) declares auth per operation instead; its views carry Access.API so the middleware
leaves the decision to ninja, and tests/test_policies.py checks both kinds are declared everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from digigov.identity.models import UserKind
from digigov.identity.permissions import Perm
from digigov.identity.scope import has_perm

F = TypeVar("F", bound=Callable[..., Any])


class Access(StrEnum):
    PUBLIC = "public"  # anyone, including anonymous visitors
    AUTHENTICATED = "authenticated"  # any signed-in account
    CITIZEN = "citizen"  # citizen accounts only (their own records)
    STAFF = "staff"  # staff holding console.access somewhere
    API = "api"  # decided per operation by the API's auth


Policy = Access | Perm


def access(policy: Policy) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        view.access_policy = policy  # type: ignore[attr-defined]
        return view

    return decorate


def policy_of(view: object) -> Policy | None:
    return getattr(view, "access_policy", None)


def allows(user: Any, policy: Policy) -> bool:
    if policy in (Access.PUBLIC, Access.API):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if policy == Access.AUTHENTICATED:
        return True
    if policy == Access.CITIZEN:
        return bool(user.kind == UserKind.CITIZEN)
    if policy == Access.STAFF:
        return bool(user.kind == UserKind.STAFF) and has_perm(user, Perm.CONSOLE_ACCESS)
    return bool(user.kind == UserKind.STAFF) and has_perm(user, Perm(policy))
