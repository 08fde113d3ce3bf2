"""Every read of the identity domain, scoped to the actor. Single-object fetches answer NotFound both when
the object is missing and when it is outside the actor's scope, so nothing leaks which records exist."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from digigov.core.errors import NotFound
from digigov.identity.models import (
    AgentRole,
    AgentState,
    ApiToken,
    Department,
    Enterprise,
    EnterpriseAgent,
    Region,
    RegionLevel,
    Role,
    RoleGrant,
    SecurityNotice,
    StaffProfile,
    User,
    UserKind,
)
from digigov.identity.permissions import Perm
from digigov.identity.scope import scope_q


def visible_staff(actor: User) -> QuerySet[StaffProfile]:
    return (
        StaffProfile.objects.filter(
            scope_q(actor, Perm.VIEW_STAFF, region_field="region", department_field="department")
        )
        .select_related("user", "department", "region")
        .order_by("region__code", "user__username")
    )


def staff_get_for_actor(actor: User, staff_id: int) -> StaffProfile:
    staff = visible_staff(actor).filter(pk=staff_id).first()
    if staff is None:
        raise NotFound()
    return staff


def enterprises_acted_for(actor: User) -> QuerySet[Enterprise]:
    """The enterprises the actor acts for: an ACCEPTED agency only (an invitation, declined or withdrawn
    agency gives nothing). Every check of "may act for this enterprise" goes through here."""
    accepted = EnterpriseAgent.objects.filter(user=actor, state=AgentState.ACCEPTED).values("enterprise_id")
    return Enterprise.objects.filter(pk__in=accepted)


def acts_for_enterprise(actor: User, enterprise: Enterprise) -> bool:
    return enterprises_acted_for(actor).filter(pk=enterprise.pk).exists()


def visible_enterprises(actor: User) -> QuerySet[Enterprise]:
    """Citizens see the enterprises they act for; staff see those in their region scope."""
    if actor.kind == UserKind.CITIZEN:
        return enterprises_acted_for(actor).select_related("region")
    return Enterprise.objects.select_related("region").filter(
        scope_q(actor, Perm.VIEW_ENTERPRISE, region_field="region")
    )


def enterprise_get_for_actor(actor: User, enterprise_id: int) -> Enterprise:
    enterprise = visible_enterprises(actor).filter(pk=enterprise_id).first()
    if enterprise is None:
        raise NotFound()
    return enterprise


def agencies_of(actor: User) -> QuerySet[EnterpriseAgent]:
    """The actor's accepted agencies with their enterprises (the portal's "我代办的企业")."""
    return (
        EnterpriseAgent.objects.filter(user=actor, state=AgentState.ACCEPTED)
        .select_related("enterprise__region")
        .order_by("enterprise__name")
    )


def agent_invitations_of(actor: User) -> QuerySet[EnterpriseAgent]:
    """Invitations waiting for the actor's answer, newest first."""
    return (
        EnterpriseAgent.objects.filter(user=actor, state=AgentState.PENDING)
        .select_related("enterprise", "granted_by")
        .order_by("-invited_at", "-pk")
    )


def agent_invitation_get_for_actor(actor: User, invitation_id: int) -> EnterpriseAgent:
    invitation = agent_invitations_of(actor).filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound("该邀请不存在、已撤回或已处理")
    return invitation


def enterprise_managed_get_for_actor(actor: User, enterprise_id: int) -> Enterprise:
    """An enterprise whose accepted legal representative the actor is; any other is "not found"."""
    enterprise = (
        Enterprise.objects.filter(
            pk=enterprise_id,
            agents__user=actor,
            agents__role=AgentRole.LEGAL_REP,
            agents__state=AgentState.ACCEPTED,
        )
        .select_related("region")
        .first()
    )
    if enterprise is None:
        raise NotFound()
    return enterprise


def enterprise_agents(enterprise: Enterprise) -> QuerySet[EnterpriseAgent]:
    """Every agency and invitation of an enterprise, for its legal representative (fetch it with
    enterprise_managed_get_for_actor first)."""
    return (
        EnterpriseAgent.objects.filter(enterprise=enterprise)
        .select_related("user__citizen", "granted_by")
        .order_by("-role", "-invited_at", "-pk")  # legal_rep before agent, then the newest
    )


def enterprise_agent_get_for_actor(actor: User, enterprise_id: int, agent_id: int) -> EnterpriseAgent:
    enterprise = enterprise_managed_get_for_actor(actor, enterprise_id)
    agent = enterprise_agents(enterprise).filter(pk=agent_id).first()
    if agent is None:
        raise NotFound()
    return agent


def regions_children(parent_code: str | None) -> QuerySet[Region]:
    """Administrative divisions are public information; any signed-in user may browse the tree."""
    if parent_code is None:
        return Region.objects.filter(parent__isnull=True)
    return Region.objects.filter(parent__code=parent_code)


def region_get(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound("行政区划不存在")
    return region


def region_by_code(code: str) -> Region | None:
    """A region named in a form, a filter or a body; None when no such code (the caller says which field)."""
    return Region.objects.filter(code=code).first() if code else None


def city_region() -> Region | None:
    return Region.objects.filter(level=RegionLevel.CITY).order_by("code").first()


def regions_inside(allowed: Iterable[Region], levels: Iterable[str]) -> QuerySet[Region]:
    """Regions of the given levels inside any of ``allowed`` (by administrative-code prefix), in code order."""
    inside = Q(pk__in=[])
    for region in allowed:
        inside |= Q(code__startswith=region.scope_prefix)
    return Region.objects.filter(inside, level__in=list(levels)).order_by("code")


def department_by_code(code: str) -> Department | None:
    return Department.objects.select_related("region").filter(code=code).first() if code else None


def department_by_id(department_id: int) -> Department | None:
    return Department.objects.select_related("region").filter(pk=department_id).first()


def departments_list(region_code: str | None = None) -> QuerySet[Department]:
    departments = Department.objects.select_related("region")
    if region_code:
        departments = departments.filter(region__code=region_code)
    return departments


def enterprise_region_choices() -> list[tuple[str, str]]:
    """Districts and streets, labelled with their parents, for the enterprise form."""
    regions = Region.objects.filter(level__in=["district", "street"]).select_related("parent")
    return [(r.code, f"{r.parent.name} {r.name}" if r.level == "street" and r.parent else r.name) for r in regions]


@dataclass(frozen=True)
class GrantView:
    role: str
    department: str
    region: str
    requires_mfa: bool


def active_user(user_id: int) -> User | None:
    """An account that may still sign in (a pending login's user, looked up again at each step)."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def confirmed_totp_devices(user_id: int) -> QuerySet[TOTPDevice]:
    """The authenticators an account has bound (confirmed), oldest first."""
    return TOTPDevice.objects.filter(user_id=user_id, confirmed=True).order_by("id")


def grants_of(user: User) -> list[GrantView]:
    grants = RoleGrant.objects.filter(user=user).select_related("role", "department", "region")
    return [
        GrantView(g.role.name, g.department.name if g.department else "全部门", g.region.name, g.role.requires_mfa)
        for g in grants.order_by("role__code")
    ]


def staff_coverage(perm: str) -> Callable[[str, int | None, bool], list[User]]:
    """Who to tell about objects needing `perm`, for a sweep over many: the grants are read once (one query),
    then `covering(region_code, department_id, any_department)` answers from memory. department_id None: only
    grants for every department cover it; any_department: any grant in the region does. Roles are few and their
    permissions a JSON list, so the role match is done here."""
    roles = [role.pk for role in Role.objects.all() if perm in role.permissions]
    grants = list(
        RoleGrant.objects.filter(role__in=roles, user__is_active=True, user__kind=UserKind.STAFF)
        .select_related("user", "region")
        .order_by("user_id")
    )
    answers: dict[tuple[str, int | None, bool], list[User]] = {}

    def covering(region_code: str, department_id: int | None, any_department: bool = False) -> list[User]:
        key = (region_code, department_id, any_department)
        if key not in answers:
            users: dict[int, User] = {}
            for grant in grants:
                if region_code.startswith(grant.region.scope_prefix) and (
                    any_department or grant.department_id is None or grant.department_id == department_id
                ):
                    users.setdefault(grant.user_id, grant.user)
            answers[key] = list(users.values())
        return answers[key]

    return covering


def staff_covering(
    perm: str, *, region_code: str, department_id: int | None, any_department: bool = False
) -> list[User]:
    """The active staff whose grants carry `perm` over the region and the department (staff_coverage, once)."""
    return staff_coverage(perm)(region_code, department_id, any_department)


def tokens_of(actor: User) -> QuerySet[ApiToken]:
    """The actor's own API tokens, newest first (revoked and expired ones included, for the record)."""
    return ApiToken.objects.filter(user=actor).order_by("-created_at", "-pk")


def token_get_for_actor(actor: User, token_id: int) -> ApiToken:
    """One of the actor's own tokens; another user's token is "not found", like a missing one."""
    token = tokens_of(actor).filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    return token


def security_notices_of(actor: User) -> QuerySet[SecurityNotice]:
    """The actor's own security notices, newest first (nobody reads another's)."""
    return SecurityNotice.objects.filter(user=actor)


def unread_security_notices(actor: User) -> int:
    return SecurityNotice.objects.filter(user=actor, read_at__isnull=True).count()
