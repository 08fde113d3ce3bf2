"""经办人 pages: the legal representative invites and withdraws agents; the invited citizen accepts or declines
on the portal's invitation card. The API (identity/api.py) calls the same services."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from digigov.core.errors import DomainError, NotFound
from digigov.identity.current import current_user
from digigov.identity.forms import AgentInviteForm, apply_domain_error
from digigov.identity.models import Enterprise, EnterpriseAgent
from digigov.identity.policies import Access, access
from digigov.identity.selectors import (
    agent_invitation_get_for_actor,
    enterprise_agent_get_for_actor,
    enterprise_agents,
    enterprise_managed_get_for_actor,
)
from digigov.identity.services.agents import (
    INVITATION_SENT,
    enterprise_agent_accept,
    enterprise_agent_decline,
    enterprise_agent_grant,
    enterprise_agent_withdraw,
)


def _managed(request: HttpRequest, enterprise_id: int) -> Enterprise:
    try:
        return enterprise_managed_get_for_actor(current_user(request), enterprise_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _agents_page(
    request: HttpRequest, enterprise: Enterprise, form: AgentInviteForm, status: int = 200
) -> HttpResponse:
    context = {"enterprise": enterprise, "agents": enterprise_agents(enterprise), "form": form}
    return render(request, "identity/enterprise_agents.html", context, status=status)


@access(Access.CITIZEN)
@require_http_methods(["GET", "HEAD", "POST"])
def enterprise_agents_page(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """The legal representative's list of agents and invitations with their states, and the invitation form."""
    enterprise = _managed(request, enterprise_id)
    form = AgentInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise_agent_grant(actor=current_user(request), enterprise=enterprise, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
            return _agents_page(request, enterprise, form, status=error.status)
        messages.success(request, INVITATION_SENT)
        return redirect("identity:enterprise_agents", enterprise_id=enterprise.pk)
    return _agents_page(request, enterprise, form)


@access(Access.CITIZEN)
@require_POST
def enterprise_agent_withdraw_view(request: HttpRequest, enterprise_id: int, agent_id: int) -> HttpResponse:
    try:
        agent = enterprise_agent_get_for_actor(current_user(request), enterprise_id, agent_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    try:
        enterprise_agent_withdraw(actor=current_user(request), agent=agent)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已撤回对 {agent.mobile_masked} 的经办人授权")
    return redirect("identity:enterprise_agents", enterprise_id=enterprise_id)


def _invitation(request: HttpRequest, invitation_id: int) -> EnterpriseAgent:
    try:
        return agent_invitation_get_for_actor(current_user(request), invitation_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@access(Access.CITIZEN)
@require_POST
def invitation_answer(request: HttpRequest, invitation_id: int, accept: bool) -> HttpResponse:
    """接受 or 拒绝 on the portal's invitation card (the URL says which)."""
    invitation = _invitation(request, invitation_id)
    answer = enterprise_agent_accept if accept else enterprise_agent_decline
    try:
        answer(actor=current_user(request), invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        name = invitation.enterprise.name
        messages.success(
            request, f"您已成为{name}的经办人，可以企业名义办理事项" if accept else f"已拒绝{name}的经办人邀请"
        )
    return redirect("identity:portal")
