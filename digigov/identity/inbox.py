"""Tells the staff inbox which grants an actor holds, as plain (permission, region prefix, department) data,
so core builds its scope filter without importing identity (ADR 0010)."""

from __future__ import annotations

from typing import Any

from digigov.core.inbox.registry import InboxGrant, register_grants_provider
from digigov.identity.models import UserKind
from digigov.identity.scope import grant_scopes


def staff_inbox_grants(user: Any) -> list[InboxGrant]:
    """Every grant of an active staff user, one triple per permission its role carries; none for others."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "kind", None) != UserKind.STAFF:
        return []
    return [
        InboxGrant(permission, scope.region_prefix, scope.department_id)
        for permission, scopes in grant_scopes(user).items()
        for scope in scopes
    ]


register_grants_provider(staff_inbox_grants)
