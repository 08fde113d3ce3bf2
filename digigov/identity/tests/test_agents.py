"""经办人 by consent (issue 9, point 5): an invitation gives nothing until the citizen accepts it; inviting
answers the same for registered and unregistered numbers; invitations are rate-limited per account and address."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from digigov.core.errors import Conflict, Forbidden, NotFound
from digigov.core.models import AuditEntry
from digigov.identity import demo_city
from digigov.identity.models import AgentRole, AgentState, Enterprise, EnterpriseAgent, Region, User
from digigov.identity.selectors import (
    acts_for_enterprise,
    agent_invitation_get_for_actor,
    agent_invitations_of,
    visible_enterprises,
)
from digigov.identity.services.agents import (
    enterprise_agent_accept,
    enterprise_agent_decline,
    enterprise_agent_grant,
    enterprise_agent_withdraw,
)
from digigov.identity.services.people import citizen_register
from digigov.onestop.models import ServiceItem
from digigov.onestop.services import applications as applications_svc

pytestmark = pytest.mark.django_db

API = "/api/v1"
CITIZENS = demo_city.citizen_index()
UNREGISTERED = "13312345678"  # belongs to no demo citizen
SHUZHIYUN = "本溪数智云科技有限公司"  # 陈浩然 is its legal representative; 李秀兰 has a pending invitation
GUANMENSHAN = "本溪县关门山旅游开发有限公司"  # 李秀兰 is an accepted agent
XINGLONG = "本溪市明山区兴隆餐饮有限公司"  # 赵宇 is its legal representative, no agents
LEGAL_ITEM = "210500-SCJG-XK-0002"  # 企业变更登记: for legal persons only


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> None:
    """The invitation counters live in the shared cache: each test starts with none (as test_views does)."""
    cache.clear()


def user(username: str) -> User:
    return User.objects.get(username=username)


def enterprise(name: str) -> Enterprise:
    return Enterprise.objects.get(name=name)


def post_json(client: Client, url: str, data: Any = None) -> Any:
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def actions_since(entry_id: int) -> list[str]:
    return list(AuditEntry.objects.filter(id__gt=entry_id).order_by("id").values_list("action", flat=True))


def last_audit_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- services -------------------------------------------------------------------------------------------


def test_demo_state_lixiulan_is_an_accepted_agent_and_has_one_pending_invitation() -> None:
    lixiulan = user("lixiulan")
    assert acts_for_enterprise(lixiulan, enterprise(GUANMENSHAN))
    assert not acts_for_enterprise(lixiulan, enterprise(SHUZHIYUN))
    assert [i.enterprise.name for i in agent_invitations_of(lixiulan)] == [SHUZHIYUN]
    assert set(visible_enterprises(lixiulan).values_list("name", flat=True)) == {GUANMENSHAN}


def test_an_invitation_gives_nothing_until_accepted() -> None:
    company, rep, invitee = enterprise(XINGLONG), user("zhaoyu"), user("huangzhipeng")
    start = last_audit_id()
    invitation = enterprise_agent_grant(actor=rep, enterprise=company, agent_mobile=CITIZENS["huangzhipeng"].mobile)
    assert (invitation.user, invitation.state, invitation.role) == (invitee, AgentState.PENDING, AgentRole.AGENT)
    assert not acts_for_enterprise(invitee, company)
    assert company not in visible_enterprises(invitee)
    item = ServiceItem.objects.get(code=LEGAL_ITEM)
    region = Region.objects.get(code="210504000000")
    with pytest.raises(NotFound):  # filing for the enterprise in 一网通办
        applications_svc.application_save_draft(
            actor=invitee, item=item, region=region, form_data={}, enterprise=company
        )
    enterprise_agent_accept(actor=invitee, invitation=invitation)
    assert acts_for_enterprise(invitee, company) and company in visible_enterprises(invitee)
    draft = applications_svc.application_save_draft(
        actor=invitee, item=item, region=region, form_data={}, enterprise=company
    )
    assert draft.enterprise == company
    assert actions_since(start)[:2] == ["identity.enterprise_agent_grant", "identity.enterprise_agent_accept"]


def test_declined_and_withdrawn_agencies_give_nothing_and_only_the_invitee_answers() -> None:
    company, rep, invitee = enterprise(XINGLONG), user("zhaoyu"), user("huangzhipeng")
    mobile = CITIZENS["huangzhipeng"].mobile
    invitation = enterprise_agent_grant(actor=rep, enterprise=company, agent_mobile=mobile)
    with pytest.raises(NotFound):  # nobody else can answer it, not even the legal representative
        enterprise_agent_accept(actor=rep, invitation=invitation)
    enterprise_agent_decline(actor=invitee, invitation=invitation)
    assert EnterpriseAgent.objects.get(pk=invitation.pk).state == AgentState.DECLINED
    assert not acts_for_enterprise(invitee, company)
    with pytest.raises(NotFound):  # a declined invitation cannot be accepted afterwards
        enterprise_agent_accept(actor=invitee, invitation=invitation)
    again = enterprise_agent_grant(actor=rep, enterprise=company, agent_mobile=mobile)  # invited once more
    assert again.pk == invitation.pk and again.state == AgentState.PENDING
    enterprise_agent_accept(actor=invitee, invitation=again)
    with pytest.raises(Conflict):
        enterprise_agent_grant(actor=rep, enterprise=company, agent_mobile=mobile)
    with pytest.raises(Forbidden):  # only the legal representative withdraws
        enterprise_agent_withdraw(actor=invitee, agent=again)
    start = last_audit_id()
    enterprise_agent_withdraw(actor=rep, agent=again)
    assert actions_since(start) == ["identity.enterprise_agent_withdraw"]
    assert not acts_for_enterprise(invitee, company)
    with pytest.raises(Conflict):
        enterprise_agent_withdraw(actor=rep, agent=again)
    own = EnterpriseAgent.objects.get(enterprise=company, user=rep)
    with pytest.raises(Forbidden):
        enterprise_agent_withdraw(actor=rep, agent=own)


def test_a_pending_invitation_can_be_withdrawn_before_it_is_answered() -> None:
    company, rep, invitee = enterprise(XINGLONG), user("zhaoyu"), user("huangzhipeng")
    invitation = enterprise_agent_grant(actor=rep, enterprise=company, agent_mobile=CITIZENS["huangzhipeng"].mobile)
    enterprise_agent_withdraw(actor=rep, agent=invitation)
    assert not agent_invitations_of(invitee).exists()
    with pytest.raises(NotFound):
        enterprise_agent_accept(actor=invitee, invitation=invitation)


def test_only_an_accepted_legal_representative_invites() -> None:
    company = enterprise(SHUZHIYUN)
    with pytest.raises(Forbidden):  # an accepted 经办人, not the legal representative
        enterprise_agent_grant(actor=user("yangting"), enterprise=company, agent_mobile=CITIZENS["zhaoyu"].mobile)
    with pytest.raises(Forbidden):  # invited, not accepted
        enterprise_agent_grant(actor=user("lixiulan"), enterprise=company, agent_mobile=CITIZENS["zhaoyu"].mobile)
    with pytest.raises(Conflict):  # already an accepted agent
        enterprise_agent_grant(actor=user("chenhaoran"), enterprise=company, agent_mobile=CITIZENS["yangting"].mobile)


def test_an_invitation_to_an_unregistered_number_is_stored_but_can_never_be_accepted() -> None:
    company, rep = enterprise(XINGLONG), user("zhaoyu")
    known = enterprise_agent_grant(actor=rep, enterprise=company, agent_mobile=CITIZENS["huangzhipeng"].mobile)
    unknown = enterprise_agent_grant(actor=rep, enterprise=company, agent_mobile=UNREGISTERED)
    assert unknown.user is None and unknown.state == known.state == AgentState.PENDING
    assert unknown.agent_name == known.agent_name == ""
    assert unknown.mobile_masked == "133****5678"
    again = enterprise_agent_grant(actor=rep, enterprise=company, agent_mobile=UNREGISTERED)
    assert again.pk == unknown.pk  # invited twice: still one row
    grants = AuditEntry.objects.filter(action="identity.enterprise_agent_grant").order_by("-id")[:3]
    assert len({(g.object_type, g.changed_fields) for g in grants}) == 1  # the same record for both
    # Someone who registers the number later does not inherit the invitation.
    newcomer = citizen_register(
        actor=None,
        real_name="钱晓东",
        id_number=demo_city.make_id_number("210502", date(1990, 5, 6), 71),
        mobile=UNREGISTERED,
        password="Qingshan#2026",
    )
    assert not agent_invitations_of(newcomer).exists()
    with pytest.raises(NotFound):
        agent_invitation_get_for_actor(newcomer, unknown.pk)
    with pytest.raises(NotFound):
        enterprise_agent_accept(actor=newcomer, invitation=unknown)
    # Inviting the number now reaches its owner, who may accept.
    fresh = enterprise_agent_grant(actor=rep, enterprise=company, agent_mobile=UNREGISTERED)
    assert fresh.user == newcomer
    enterprise_agent_accept(actor=newcomer, invitation=fresh)
    assert acts_for_enterprise(newcomer, company)
