"""Who may change accounts, grants and the org tree: identity's one policy (ADR 0011).

``can(actor, action, obj=None)`` decides one action; ``scope_filter(actor, action)`` is the same rule as a
filter for lists. Services call ``can`` at their top (``digigov.core.policy.require``); pages ask it only to
decide what to show. The permission codes stay in ``identity.permissions`` (what a role carries); a grant's
department and region say where (``identity.scope``). ``identity.policies`` is a different thing: which pages a
view may open (``@access``).

Also the city-wide rule (``city_wide``) other domains use for settings that apply to the whole city, and the
calendar rule core's services ask (registered in ``IdentityConfig.ready``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Q

from digigov.core import policy as core_policy
from digigov.core.policy import SystemActor, is_system
from digigov.identity.models import Department, Region, RegionLevel, StaffProfile, User, UserKind
from digigov.identity.permissions import Perm
from digigov.identity.scope import has_perm, in_scope, scope_q


class Action(StrEnum):
    MANAGE_STAFF = "identity.manage_staff"  # obj: a StaffProfile or a Placement (create, update, unlock, reset)
    GRANT_ROLE = "identity.grant_role"  # obj: a Placement (the grant's region and department)
    MANAGE_ORG = "identity.manage_org"  # regions, departments, roles: the org tree of the whole city
    REGISTER_CITIZEN = "identity.register_citizen"  # 代办实名注册 at a window
    OVERRIDE_VALIDATION = "identity.override_validation"  # 人工核验: register despite a bad check digit


@dataclass(frozen=True)
class Placement:
    """Where a staff account or a grant sits: a region subtree and a department (None: every department)."""

    region: Region
    department: Department | None = None


ACTION_PERMS: dict[Action, Perm] = {
    Action.MANAGE_STAFF: Perm.MANAGE_STAFF,
    Action.GRANT_ROLE: Perm.MANAGE_ROLES,
    Action.MANAGE_ORG: Perm.MANAGE_ROLES,
    Action.REGISTER_CITIZEN: Perm.REGISTER_CITIZEN,
    Action.OVERRIDE_VALIDATION: Perm.OVERRIDE_VALIDATION,
}


def is_staff(actor: object) -> bool:
    return isinstance(actor, User) and actor.is_authenticated and actor.kind == UserKind.STAFF


def city_region() -> Region | None:
    return Region.objects.filter(level=RegionLevel.CITY).order_by("code").first()


def city_wide(actor: object, perm: Perm) -> bool:
    """A grant carrying perm on the whole city for every department: for settings every deadline or every
    department depends on (the working-day calendar, the hotline's time limits and channels, the org tree)."""
    if is_system(actor):
        return True
    if not is_staff(actor) or not has_perm(actor, perm):
        return False
    city = city_region()
    return city is not None and in_scope(actor, perm, region=city, department_id=None)  # type: ignore[arg-type]


def _placement(obj: object) -> Placement | None:
    if isinstance(obj, StaffProfile):
        return Placement(obj.region, obj.department)
    return obj if isinstance(obj, Placement) else None


def can(actor: User | SystemActor | Any, action: Action, obj: object = None) -> bool:
    """Deny by default: anonymous, inactive and citizen actors hold no grant; an unknown action is refused."""
    if is_system(actor):
        return True
    if not is_staff(actor):
        return False
    assert isinstance(actor, User)
    perm = ACTION_PERMS[action]
    if action == Action.MANAGE_ORG:
        return city_wide(actor, perm)
    if action in (Action.MANAGE_STAFF, Action.GRANT_ROLE):
        where = _placement(obj)
        if where is None:
            return has_perm(actor, perm)
        department_id = where.department.pk if where.department is not None else None
        return in_scope(actor, perm, region=where.region, department_id=department_id)
    return has_perm(actor, perm)


def scope_filter(actor: User, action: Action) -> Q:
    """The staff profiles (region, department columns) within actor's scope for action; nothing by default."""
    if is_system(actor):
        return Q()
    if not is_staff(actor) or action not in (Action.MANAGE_STAFF, Action.GRANT_ROLE):
        return Q(pk__in=[])
    return scope_q(actor, ACTION_PERMS[action], region_field="region", department_field="department")


def grants_exceeding(actor: User, perms: list[str], where: Placement) -> bool:
    """True when actor lacks any of perms over where (no escalation: nobody hands out more than they hold)."""
    department_id = where.department.pk if where.department is not None else None
    return not all(in_scope(actor, Perm(p), region=where.region, department_id=department_id) for p in perms)


def _calendar_rule(actor: Any, obj: object) -> bool:
    """The working-day calendar drives every deadline in the city: a city-wide catalogue manager (a
    MANAGE_CATALOGUE grant on the city with no department) may edit it; a department-bound one may not."""
    return city_wide(actor, Perm.MANAGE_CATALOGUE)


def register_core_rules() -> None:
    """Called by IdentityConfig.ready(): the rules core's own services ask (core cannot import identity)."""
    core_policy.register(core_policy.CoreAction.MANAGE_CALENDAR, _calendar_rule)
