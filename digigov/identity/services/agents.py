"""Enterprise agents (经办人): the legal representative invites a citizen by mobile number; the citizen accepts
or declines; the legal representative may withdraw. Only an ACCEPTED agency acts for the enterprise.

Inviting must not tell the legal representative whether a number is registered: a number that belongs to nobody
gets the same answer, the same work (one lookup, one row written, one audit entry) and the same row in the
agent list as a registered citizen's; that row has no user and so can never be accepted. Invitations are
rate-limited per account and per source address (settings.AGENT_INVITATIONS_PER_HOUR)."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from digigov.core.audit import audit_append
from digigov.core.errors import Conflict, Forbidden, NotFound, TooManyRequests
from digigov.core.masking import mask_mobile
from digigov.core.protected import blind_index
from digigov.core.ratelimit import rate_limit
from digigov.core.request_context import current_request_context
from digigov.core.validators import validate_mobile
from digigov.identity.models import AgentRole, AgentState, CitizenProfile, Enterprise, EnterpriseAgent, User

INVITATION_SENT = "已发出邀请：该手机号码的实名用户在个人空间接受后，即成为本企业经办人"
INVITATIONS_THROTTLED = "邀请经办人过于频繁，请一小时后再试"
INVITATION_GONE = "该邀请不存在、已撤回或已处理"


def _require_legal_rep(actor: User, enterprise: Enterprise, message: str) -> None:
    if not EnterpriseAgent.objects.filter(
        enterprise=enterprise, user=actor, role=AgentRole.LEGAL_REP, state=AgentState.ACCEPTED
    ).exists():
        raise Forbidden(message)


def _throttle_invitations(actor: User) -> None:
    """Per account and per source address. Only requests are counted (the demo loader and commands are not)."""
    source_ip = current_request_context().source_ip
    if not source_ip:
        return
    limit = settings.AGENT_INVITATIONS_PER_HOUR
    try:
        for scope, key in (("agent_invite_actor", str(actor.pk)), ("agent_invite_address", source_ip)):
            rate_limit(scope=scope, key=key, limit=limit, window_seconds=3600, message=INVITATIONS_THROTTLED)
    except TooManyRequests as exc:
        raise TooManyRequests(exc.message, fields={"agent_mobile": "邀请过于频繁"}) from exc


def _notify_invitee(agent_id: int) -> None:
    from digigov.identity.tasks import agent_invitation_notify

    agent_invitation_notify.enqueue(agent_id)


def enterprise_agent_grant(*, actor: User, enterprise: Enterprise, agent_mobile: str) -> EnterpriseAgent:
    """The legal representative invites the citizen who uses agent_mobile as 经办人. The agency stays PENDING
    until that citizen accepts. The answer is the same whether or not the number is registered."""
    _require_legal_rep(actor, enterprise, "只有企业法定代表人可以授权经办人")
    mobile = validate_mobile(agent_mobile, field="agent_mobile")
    _throttle_invitations(actor)
    index = blind_index(CitizenProfile.MOBILE_PURPOSE, mobile)
    profile = CitizenProfile.objects.filter(mobile_index=index).select_related("user").first()
    invitee = profile.user if profile is not None else None
    now = timezone.now()
    try:
        with transaction.atomic():
            # Both cases run the same query: the invitee's own row, or the unanswerable row of this number.
            match = Q(user__isnull=True, invited_mobile_index=index)
            if invitee is not None:
                match |= Q(user=invitee)
            rows = sorted(
                EnterpriseAgent.objects.select_for_update().filter(match, enterprise=enterprise),
                key=lambda row: row.user_id is None,  # the invitee's own row first
            )
            agent = rows[0] if rows else EnterpriseAgent(enterprise=enterprise, role=AgentRole.AGENT)
            if agent.state == AgentState.ACCEPTED and agent.pk is not None:
                raise Conflict("该用户已是本企业经办人", fields={"agent_mobile": "已是经办人"})
            agent.user = invitee
            agent.state = AgentState.PENDING
            agent.granted_by = actor
            agent.invited_mobile_index = index
            agent.invited_mobile_masked = mask_mobile(mobile)
            agent.invited_at, agent.accepted_at, agent.ended_at = now, None, None
            agent.save()
            audit_append(
                actor=actor,
                action="identity.enterprise_agent_grant",
                object_type="enterprise_agent",
                object_id=agent.pk,
                changes={"enterprise": enterprise.pk, "agent_mobile": mobile, "state": AgentState.PENDING},
            )
            # The worker tells the invitee (if the number is anyone's): no extra work in this request either way.
            transaction.on_commit(partial(_notify_invitee, agent.pk))
    except IntegrityError as exc:  # the same number invited twice at the same moment
        raise Conflict("该手机号码的邀请正在处理，请稍后刷新查看", fields={"agent_mobile": "请勿重复提交"}) from exc
    return agent


def _respond(*, actor: User, invitation: EnterpriseAgent, state: AgentState, action: str) -> EnterpriseAgent:
    with transaction.atomic():
        agent = (
            EnterpriseAgent.objects.select_for_update()
            .filter(pk=invitation.pk, user=actor, state=AgentState.PENDING)
            .first()
        )
        if agent is None:
            raise NotFound(INVITATION_GONE)
        now = timezone.now()
        agent.state = state
        if state == AgentState.ACCEPTED:
            agent.accepted_at = now
        else:
            agent.ended_at = now
        agent.save(update_fields=["state", "accepted_at", "ended_at"])
        audit_append(
            actor=actor,
            action=action,
            object_type="enterprise_agent",
            object_id=agent.pk,
            changes={"enterprise": agent.enterprise_id, "state": state},
        )
    return agent


def enterprise_agent_accept(*, actor: User, invitation: EnterpriseAgent) -> EnterpriseAgent:
    """The invited citizen accepts: from now on they act for the enterprise."""
    return _respond(
        actor=actor, invitation=invitation, state=AgentState.ACCEPTED, action="identity.enterprise_agent_accept"
    )


def enterprise_agent_decline(*, actor: User, invitation: EnterpriseAgent) -> EnterpriseAgent:
    """The invited citizen declines; the legal representative may invite them again later."""
    return _respond(
        actor=actor, invitation=invitation, state=AgentState.DECLINED, action="identity.enterprise_agent_decline"
    )


def enterprise_agent_withdraw(*, actor: User, agent: EnterpriseAgent) -> EnterpriseAgent:
    """The legal representative withdraws a pending invitation or an accepted agency."""
    _require_legal_rep(actor, agent.enterprise, "只有企业法定代表人可以撤回经办人授权")
    with transaction.atomic():
        row = EnterpriseAgent.objects.select_for_update().filter(pk=agent.pk, enterprise=agent.enterprise_id).first()
        if row is None:
            raise NotFound()
        if row.role == AgentRole.LEGAL_REP:
            raise Forbidden("不能撤回法定代表人本人的授权")
        if row.state not in (AgentState.PENDING, AgentState.ACCEPTED):
            raise Conflict(f"该授权{row.get_state_display()}，无需撤回")
        previous = row.state
        row.state = AgentState.WITHDRAWN
        row.ended_at = timezone.now()
        row.save(update_fields=["state", "ended_at"])
        audit_append(
            actor=actor,
            action="identity.enterprise_agent_withdraw",
            object_type="enterprise_agent",
            object_id=row.pk,
            changes={"enterprise": row.enterprise_id, "state": AgentState.WITHDRAWN, "previous": previous},
        )
    return row
