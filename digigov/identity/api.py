"""Identity API: the current user, the org tree, staff and enterprises (scoped), registration, tokens."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from digigov.core.api_errors import AUTH_ERRORS, BODY_ERRORS, INPUT_ERRORS, UNSAFE_ERRORS, errors
from digigov.identity import selectors
from digigov.identity.current import api_actor, staff_profile
from digigov.identity.models import (
    ApiToken,
    Department,
    Enterprise,
    EnterpriseAgent,
    Region,
    StaffProfile,
    User,
    UserKind,
)
from digigov.identity.schemas import (
    AgentGrantOut,
    AgentIn,
    AgentOut,
    AssistedCitizenRegisterIn,
    CitizenOut,
    CitizenRegisterIn,
    DepartmentOut,
    EnterpriseOut,
    EnterpriseOverrideIn,
    GrantOut,
    InvitationOut,
    Limit,
    MeOut,
    ObjectId,
    Offset,
    RegionCode,
    RegionCodeQuery,
    RegionOut,
    StaffOut,
    StaffPatchIn,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)
from digigov.identity.services import agents, people, staff, tokens

router = Router(tags=["统一身份认证"])


def region_out(region: Region) -> RegionOut:
    return RegionOut(
        code=region.code,
        name=region.name,
        level=region.level,
        parent_code=region.parent.code if region.parent_id and region.parent else None,
    )


def department_out(department: Department) -> DepartmentOut:
    return DepartmentOut(
        code=department.code,
        name=department.name,
        short_name=department.short_name,
        uscc=department.uscc,
        region_code=department.region.code,
    )


def staff_out(profile: StaffProfile) -> StaffOut:
    return StaffOut(
        id=profile.pk,
        username=profile.user.username,
        display_name=profile.user.display_name,
        title=profile.title,
        department_code=profile.department.code,
        region_code=profile.region.code,
    )


def enterprise_out(enterprise: Enterprise) -> EnterpriseOut:
    return EnterpriseOut(
        id=enterprise.pk,
        uscc=enterprise.uscc,
        name=enterprise.name,
        legal_representative=enterprise.legal_representative,
        region_code=enterprise.region.code,
        address=enterprise.address,
    )


@router.get("/me", response={200: MeOut, **AUTH_ERRORS}, summary="当前用户")
def me(request: HttpRequest) -> MeOut:
    user = api_actor(request)
    out = MeOut(username=user.username, kind=user.kind, display_name=user.display_name, elder_mode=user.elder_mode)
    if user.kind == UserKind.CITIZEN and hasattr(user, "citizen"):
        out.id_number_masked = user.citizen.id_number_masked
        out.mobile_masked = user.citizen.mobile_masked
    staff = staff_profile(user) if user.kind == UserKind.STAFF else None
    if staff is not None:
        out.department = department_out(staff.department)
        out.region = region_out(staff.region)
        out.grants = [GrantOut(**vars(g)) for g in selectors.grants_of(user)]
    return out


@router.get("/regions", response={200: list[RegionOut], **AUTH_ERRORS, **INPUT_ERRORS}, summary="行政区划(下级)")
def regions(request: HttpRequest, parent: RegionCodeQuery = None) -> list[RegionOut]:
    return [region_out(r) for r in selectors.regions_children(parent).select_related("parent")]


@router.get(
    "/regions/{code}", response={200: RegionOut, **AUTH_ERRORS, **INPUT_ERRORS, **errors(404)}, summary="行政区划"
)
def region_detail(request: HttpRequest, code: RegionCode) -> RegionOut:
    return region_out(selectors.region_get(code))


@router.get("/departments", response={200: list[DepartmentOut], **AUTH_ERRORS, **INPUT_ERRORS}, summary="部门")
def departments(request: HttpRequest, region: RegionCodeQuery = None) -> list[DepartmentOut]:
    return [department_out(d) for d in selectors.departments_list(region)]


@router.get("/staff", response={200: list[StaffOut], **AUTH_ERRORS, **INPUT_ERRORS}, summary="工作人员(按数据范围)")
def staff_list(request: HttpRequest, limit: Limit = 100, offset: Offset = 0) -> list[StaffOut]:
    return [staff_out(p) for p in selectors.visible_staff(api_actor(request))[offset : offset + limit]]


@router.get(
    "/staff/{staff_id}", response={200: StaffOut, **AUTH_ERRORS, **INPUT_ERRORS, **errors(404)}, summary="工作人员"
)
def staff_detail(request: HttpRequest, staff_id: ObjectId) -> StaffOut:
    return staff_out(selectors.staff_get_for_actor(api_actor(request), staff_id))


@router.patch(
    "/staff/{staff_id}",
    response={200: StaffOut, **AUTH_ERRORS, **BODY_ERRORS, **UNSAFE_ERRORS, **errors(403, 404)},
    summary="修改工作人员",
)
def staff_patch(request: HttpRequest, staff_id: ObjectId, payload: StaffPatchIn) -> StaffOut:
    actor = api_actor(request)
    profile = selectors.staff_get_for_actor(actor, staff_id)
    return staff_out(
        staff.staff_update(actor=actor, staff=profile, title=payload.title, display_name=payload.display_name)
    )


def citizen_out(user: User) -> CitizenOut:
    citizen = user.citizen
    return CitizenOut(
        username=user.username,
        real_name=citizen.real_name,
        id_number_masked=citizen.id_number_masked,
        mobile_masked=citizen.mobile_masked,
        birth_date=citizen.birth_date.isoformat(),
        gender=citizen.gender,
    )


@router.post(
    "/citizens", auth=None, response={201: CitizenOut, **BODY_ERRORS, **errors(409, 429)}, summary="自然人实名注册"
)
def citizen_register(request: HttpRequest, payload: CitizenRegisterIn) -> Status[CitizenOut]:
    return Status(201, citizen_out(people.citizen_register(actor=None, **payload.model_dump())))


@router.post(
    "/citizens/assisted",
    response={201: CitizenOut, **AUTH_ERRORS, **BODY_ERRORS, **UNSAFE_ERRORS, **errors(403, 409)},
    summary="窗口代办实名注册(可人工核验)",
)
def citizen_register_assisted(request: HttpRequest, payload: AssistedCitizenRegisterIn) -> Status[CitizenOut]:
    return Status(201, citizen_out(people.citizen_register(actor=api_actor(request), **payload.model_dump())))


@router.get(
    "/enterprises", response={200: list[EnterpriseOut], **AUTH_ERRORS, **INPUT_ERRORS}, summary="企业(按数据范围)"
)
def enterprise_list(request: HttpRequest, limit: Limit = 100, offset: Offset = 0) -> list[EnterpriseOut]:
    rows = selectors.visible_enterprises(api_actor(request)).order_by("uscc")
    return [enterprise_out(e) for e in rows[offset : offset + limit]]


@router.get(
    "/enterprises/{enterprise_id}",
    response={200: EnterpriseOut, **AUTH_ERRORS, **INPUT_ERRORS, **errors(404)},
    summary="企业",
)
def enterprise_detail(request: HttpRequest, enterprise_id: ObjectId) -> EnterpriseOut:
    return enterprise_out(selectors.enterprise_get_for_actor(api_actor(request), enterprise_id))


@router.post(
    "/enterprises",
    response={201: EnterpriseOut, **AUTH_ERRORS, **BODY_ERRORS, **UNSAFE_ERRORS, **errors(403, 409)},
    summary="法人登记",
)
def enterprise_register(request: HttpRequest, payload: EnterpriseOverrideIn) -> Status[EnterpriseOut]:
    return Status(201, enterprise_out(people.enterprise_register(actor=api_actor(request), **payload.model_dump())))


def agent_out(agent: EnterpriseAgent) -> AgentOut:
    return AgentOut(
        id=agent.pk,
        enterprise_id=agent.enterprise_id,
        role=agent.role,
        state=agent.state,
        agent_name=agent.agent_name,
        mobile_masked=agent.mobile_masked,
        invited_at=agent.invited_at,
        accepted_at=agent.accepted_at,
        ended_at=agent.ended_at,
    )


def invitation_out(invitation: EnterpriseAgent) -> InvitationOut:
    return InvitationOut(
        id=invitation.pk,
        enterprise_id=invitation.enterprise_id,
        enterprise_name=invitation.enterprise.name,
        enterprise_uscc=invitation.enterprise.uscc,
        invited_by=str(invitation.granted_by or ""),
        invited_at=invitation.invited_at,
        state=invitation.state,
    )


@router.get(
    "/enterprises/{enterprise_id}/agents",
    response={200: list[AgentOut], **AUTH_ERRORS, **INPUT_ERRORS, **errors(404)},
    summary="经办人及邀请(法定代表人)",
)
def enterprise_agent_list(request: HttpRequest, enterprise_id: ObjectId) -> list[AgentOut]:
    enterprise = selectors.enterprise_managed_get_for_actor(api_actor(request), enterprise_id)
    return [agent_out(a) for a in selectors.enterprise_agents(enterprise)]


@router.post(
    "/enterprises/{enterprise_id}/agents",
    response={201: AgentGrantOut, **AUTH_ERRORS, **BODY_ERRORS, **UNSAFE_ERRORS, **errors(403, 404, 409, 429)},
    summary="邀请经办人(对方接受后生效)",
    description="按手机号码邀请实名用户作为经办人。无论该号码是否属于实名用户，回答都相同；按账号和来源地址限制频率。",
)
def enterprise_agent_grant(request: HttpRequest, enterprise_id: ObjectId, payload: AgentIn) -> Status[AgentGrantOut]:
    actor = api_actor(request)
    enterprise = selectors.enterprise_get_for_actor(actor, enterprise_id)
    agent = agents.enterprise_agent_grant(actor=actor, enterprise=enterprise, agent_mobile=payload.agent_mobile)
    return Status(201, AgentGrantOut(**agent_out(agent).model_dump(), message=agents.INVITATION_SENT))


@router.post(
    "/enterprises/{enterprise_id}/agents/{agent_id}/withdraw",
    response={200: AgentOut, **AUTH_ERRORS, **INPUT_ERRORS, **UNSAFE_ERRORS, **errors(404, 409)},
    summary="撤回经办人授权或邀请",
)
def enterprise_agent_withdraw(request: HttpRequest, enterprise_id: ObjectId, agent_id: ObjectId) -> AgentOut:
    actor = api_actor(request)
    agent = selectors.enterprise_agent_get_for_actor(actor, enterprise_id, agent_id)
    return agent_out(agents.enterprise_agent_withdraw(actor=actor, agent=agent))


@router.get("/agent-invitations", response={200: list[InvitationOut], **AUTH_ERRORS}, summary="待我确认的经办人邀请")
def agent_invitation_list(request: HttpRequest) -> list[InvitationOut]:
    return [invitation_out(i) for i in selectors.agent_invitations_of(api_actor(request))]


def _answer(request: HttpRequest, invitation_id: int, *, accept: bool) -> InvitationOut:
    actor = api_actor(request)
    invitation = selectors.agent_invitation_get_for_actor(actor, invitation_id)
    answer = agents.enterprise_agent_accept if accept else agents.enterprise_agent_decline
    return invitation_out(answer(actor=actor, invitation=invitation))


ANSWER_RESPONSES = {200: InvitationOut, **AUTH_ERRORS, **INPUT_ERRORS, **UNSAFE_ERRORS, **errors(404)}


@router.post("/agent-invitations/{invitation_id}/accept", response=ANSWER_RESPONSES, summary="接受经办人邀请")
def agent_invitation_accept(request: HttpRequest, invitation_id: ObjectId) -> InvitationOut:
    return _answer(request, invitation_id, accept=True)


@router.post("/agent-invitations/{invitation_id}/decline", response=ANSWER_RESPONSES, summary="拒绝经办人邀请")
def agent_invitation_decline(request: HttpRequest, invitation_id: ObjectId) -> InvitationOut:
    return _answer(request, invitation_id, accept=False)


def _token_out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.pk,
        name=token.name,
        prefix=token.prefix,
        created_at=token.created_at,
        expires_at=token.expires_at,
        revoked=token.revoked,
    )


@router.get("/tokens", response={200: list[TokenOut], **AUTH_ERRORS}, summary="我的接口令牌")
def token_list(request: HttpRequest) -> list[TokenOut]:
    return [_token_out(t) for t in selectors.tokens_of(api_actor(request))]


@router.post(
    "/tokens", response={201: TokenCreatedOut, **AUTH_ERRORS, **BODY_ERRORS, **UNSAFE_ERRORS}, summary="创建接口令牌"
)
def token_create(request: HttpRequest, payload: TokenIn) -> Status[TokenCreatedOut]:
    token, secret = tokens.api_token_create(actor=api_actor(request), name=payload.name, valid_days=payload.valid_days)
    return Status(201, TokenCreatedOut(**_token_out(token).model_dump(), secret=secret))


@router.delete(
    "/tokens/{token_id}",
    response={204: None, **AUTH_ERRORS, **INPUT_ERRORS, **UNSAFE_ERRORS, **errors(404)},
    summary="吊销接口令牌",
)
def token_revoke(request: HttpRequest, token_id: ObjectId) -> Status[None]:
    actor = api_actor(request)
    tokens.api_token_revoke(actor=actor, token=selectors.token_get_for_actor(actor, token_id))
    return Status(204, None)
