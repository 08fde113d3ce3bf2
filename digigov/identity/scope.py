"""Data scope: which rows an actor may see or change for one permission.

A grant binds a role to a department (or any department, when empty) and a region subtree. An actor's
scope for a permission is the union of the grants whose role carries it. Deny by default: no grant, no rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from digigov.identity.models import Region, RoleGrant, User, UserKind
from digigov.identity.permissions import Perm


@dataclass(frozen=True)
class GrantScope:
    region_prefix: str
    department_id: int | None  # None: every department in the region subtree
    requires_mfa: bool


def _grant_scopes(user: User) -> dict[str, list[GrantScope]]:
    """Permission code -> scopes, loaded once per user object (one query)."""
    cached: dict[str, list[GrantScope]] | None = getattr(user, "_grant_scope_cache", None)
    if cached is not None:
        return cached
    scopes: dict[str, list[GrantScope]] = {}
    if user.is_authenticated and user.is_active and user.kind == UserKind.STAFF:
        for grant in RoleGrant.objects.filter(user=user).select_related("role", "region"):
            scope = GrantScope(grant.region.scope_prefix, grant.department_id, grant.role.requires_mfa)
            for perm in grant.role.permissions:
                scopes.setdefault(perm, []).append(scope)
    user._grant_scope_cache = scopes  # type: ignore[attr-defined]
    return scopes


grant_scopes = _grant_scopes  # public name: services.selectors.worklist_items reads the grants themselves


def forget_scopes(user: User) -> None:
    user.__dict__.pop("_grant_scope_cache", None)


def has_perm(user: Any, perm: Perm) -> bool:
    """True when any grant carries the permission, wherever it applies."""
    return bool(getattr(user, "is_authenticated", False)) and bool(_grant_scopes(user).get(perm))


def requires_mfa(user: User) -> bool:
    return any(scope.requires_mfa for scopes in _grant_scopes(user).values() for scope in scopes)


def scope_q(user: User, perm: Perm, *, region_field: str, department_field: str | None = None) -> Q:
    """A filter for rows within the actor's scope for perm; matches nothing when there is none."""
    q = Q(pk__in=[])
    for scope in _grant_scopes(user).get(perm, []):
        part = Q(**{f"{region_field}__code__startswith": scope.region_prefix})
        if scope.department_id is not None and department_field is not None:
            part &= Q(**{department_field: scope.department_id})
        q |= part
    return q


def in_scope(user: User, perm: Perm, *, region: Region, department_id: int | None = None) -> bool:
    """True when a grant carrying perm covers the region and the department. department_id None means
    "every department", which only a grant without a department covers."""
    for scope in _grant_scopes(user).get(perm, []):
        if not region.code.startswith(scope.region_prefix):
            continue
        if scope.department_id is None or scope.department_id == department_id:
            return True
    return False
