"""经办人 by consent (issue 9, point 5): an invitation gives nothing until the citizen accepts it; inviting
answers the same for registered and unregistered numbers; invitations are rate-limited per account and address."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

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
    INVITATION_SENT,
    enterprise_agent_accept,
    enterprise_agent_decline,
    enterprise_agent_grant,
    enterprise_agent_withdraw,
)
from digigov.identity.services.people import citizen_register
from digigov.identity.tests import factories
from digigov.services.models import ServiceItem
from digigov.services.selectors import visible_applications
from digigov.services.services import applications as applications_svc

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


# --- pages ----------------------------------------------------------------------------------------------


def _portal(client: Client) -> str:
    response = client.get("/portal/")
    assert response.status_code == 200
    return response.content.decode()


def _enterprises_card(page: str) -> str:
    return page[page.index('id="enterprises-title"') :]


def test_portal_shows_the_invitation_card_and_accepting_adds_the_enterprise(login: Any) -> None:
    client = login(CITIZENS["lixiulan"].mobile)
    page = _portal(client)
    assert "待您确认的经办人邀请" in page
    card = page[page.index('data-testid="agent-invitations"') : page.index('id="enterprises-title"')]
    assert SHUZHIYUN in card and "陈浩然" in card and "接受" in card and "拒绝" in card
    assert SHUZHIYUN not in _enterprises_card(page) and GUANMENSHAN in _enterprises_card(page)
    invitation = agent_invitations_of(user("lixiulan")).get()
    assert client.get(f"/portal/invitations/{invitation.pk}/accept/").status_code == 405  # POST only
    start = last_audit_id()
    response = client.post(f"/portal/invitations/{invitation.pk}/accept/")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert actions_since(start) == ["identity.enterprise_agent_accept"]
    page = _portal(client)
    assert "待您确认的经办人邀请" not in page
    assert SHUZHIYUN in _enterprises_card(page)
    assert client.post(f"/portal/invitations/{invitation.pk}/accept/").status_code == 404  # answered already


def test_declining_on_the_portal_gives_nothing_and_the_legal_rep_sees_it(login: Any) -> None:
    client = login(CITIZENS["lixiulan"].mobile)
    invitation = agent_invitations_of(user("lixiulan")).get()
    assert client.post(f"/portal/invitations/{invitation.pk}/decline/").status_code == 302
    page = _portal(client)
    assert "待您确认的经办人邀请" not in page and SHUZHIYUN not in _enterprises_card(page)
    rep_page = login(CITIZENS["chenhaoran"].mobile).get(f"/portal/enterprises/{invitation.enterprise_id}/agents/")
    text = rep_page.content.decode()
    assert rep_page.status_code == 200
    assert 'data-testid="agent-declined"' in text and "已拒绝" in text
    assert "李秀兰" not in text  # a name shows only once its owner has accepted


def test_answering_an_invitation_needs_the_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    client.post(
        "/login/",
        {
            "identifier": CITIZENS["lixiulan"].mobile,
            "password": "Benxi@2026",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    invitation = agent_invitations_of(user("lixiulan")).get()
    assert client.post(f"/portal/invitations/{invitation.pk}/accept/").status_code == 403
    assert EnterpriseAgent.objects.get(pk=invitation.pk).state == AgentState.PENDING


def test_the_apply_page_offers_only_accepted_enterprises(login: Any) -> None:
    client = login(CITIZENS["lixiulan"].mobile)
    shuzhiyun = enterprise(SHUZHIYUN)
    page = client.get(f"/services/items/{LEGAL_ITEM}/apply/").content.decode()
    assert GUANMENSHAN in page and SHUZHIYUN not in page
    forged = client.post(
        f"/services/items/{LEGAL_ITEM}/apply/",
        {"region": "210502000000", "enterprise": str(shuzhiyun.pk), "action": "draft"},
    )
    assert forged.status_code == 200 and not visible_applications(user("lixiulan")).filter(enterprise=shuzhiyun)
    enterprise_agent_accept(actor=user("lixiulan"), invitation=agent_invitations_of(user("lixiulan")).get())
    assert SHUZHIYUN in client.get(f"/services/items/{LEGAL_ITEM}/apply/").content.decode()


def test_legal_rep_page_lists_states_invites_and_withdraws(login: Any) -> None:
    company = enterprise(SHUZHIYUN)
    url = f"/portal/enterprises/{company.pk}/agents/"
    rep = login(CITIZENS["chenhaoran"].mobile)
    page = rep.get(url).content.decode()
    assert CITIZENS["yangting"].name in page and CITIZENS["wuxiaoyan"].name in page
    assert page.count('data-testid="agent-accepted"') == 3  # 陈浩然 himself, 杨婷, 吴晓燕
    assert page.count('data-testid="agent-pending"') == 1 and "138****1352" in page  # 李秀兰, not yet named
    assert "管理经办人" in _portal(rep)
    # not the legal representative: the page does not exist for them
    assert login(CITIZENS["yangting"].mobile).get(url).status_code == 404
    assert login(CITIZENS["lixiulan"].mobile).get(url).status_code == 404
    # a field error for a malformed number, shown on the field
    bad = rep.post(url, {"agent_mobile": "1331234567x"})
    assert bad.status_code == 422 and 'id="id_agent_mobile_error"' in bad.content.decode()
    # withdraw the pending invitation
    pending = EnterpriseAgent.objects.get(enterprise=company, user=user("lixiulan"))
    start = last_audit_id()
    assert rep.post(f"{url}{pending.pk}/withdraw/").status_code == 302
    assert actions_since(start) == ["identity.enterprise_agent_withdraw"]
    assert 'data-testid="agent-withdrawn"' in rep.get(url).content.decode()
    assert not agent_invitations_of(user("lixiulan")).exists()
    # another enterprise's agent id under this enterprise is "not found"
    foreign = EnterpriseAgent.objects.get(enterprise=enterprise(GUANMENSHAN), user=user("lixiulan"))
    assert rep.post(f"{url}{foreign.pk}/withdraw/").status_code == 404


def test_page_invitation_answers_the_same_for_registered_and_unregistered_numbers(login: Any) -> None:
    company = enterprise(XINGLONG)
    url = f"/portal/enterprises/{company.pk}/agents/"
    rep = login(CITIZENS["zhaoyu"].mobile)
    answers = []
    for mobile in (CITIZENS["huangzhipeng"].mobile, UNREGISTERED):
        response = rep.post(url, {"agent_mobile": mobile}, follow=True)
        page = response.content.decode()
        answers.append((response.status_code, response.redirect_chain, INVITATION_SENT in page))
    assert answers[0] == answers[1] == (200, [(url, 302)], True)
    page = rep.get(url).content.decode()
    assert page.count('data-testid="agent-pending"') == 2 and "黄志鹏" not in page
    assert "未找到" not in page


# --- API ------------------------------------------------------------------------------------------------


def test_api_invite_accept_list_and_withdraw() -> None:
    company = enterprise(XINGLONG)
    rep, invitee = factories.bearer_client("zhaoyu"), factories.bearer_client("huangzhipeng")
    url = f"{API}/enterprises/{company.pk}/agents"
    response = post_json(rep, url, {"agent_mobile": CITIZENS["huangzhipeng"].mobile})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "pending" and body["role"] == "agent" and body["agent_name"] == ""
    assert body["message"] == INVITATION_SENT and body["enterprise_id"] == company.pk
    assert invitee.get(f"{API}/enterprises/{company.pk}").status_code == 404  # pending: nothing yet
    invitations = invitee.get(f"{API}/agent-invitations").json()
    assert [(i["id"], i["enterprise_name"], i["invited_by"]) for i in invitations] == [(body["id"], XINGLONG, "赵宇")]
    assert post_json(rep, f"{API}/agent-invitations/{body['id']}/accept").status_code == 404  # not his to accept
    accepted = post_json(invitee, f"{API}/agent-invitations/{body['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert invitee.get(f"{API}/enterprises/{company.pk}").status_code == 200
    listed = {a["id"]: a for a in rep.get(url).json()}
    assert listed[body["id"]]["state"] == "accepted" and listed[body["id"]]["agent_name"] == "黄志鹏"
    assert invitee.get(url).status_code == 404  # an agent does not manage the agents
    conflict = post_json(rep, url, {"agent_mobile": CITIZENS["huangzhipeng"].mobile})
    assert conflict.status_code == 409 and "agent_mobile" in conflict.json()["fields"]
    withdrawn = post_json(rep, f"{url}/{body['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    assert invitee.get(f"{API}/enterprises/{company.pk}").status_code == 404
    assert post_json(rep, f"{url}/{body['id']}/withdraw").status_code == 409


def test_api_decline() -> None:
    lixiulan = factories.bearer_client("lixiulan")
    invitation = lixiulan.get(f"{API}/agent-invitations").json()[0]
    declined = post_json(lixiulan, f"{API}/agent-invitations/{invitation['id']}/decline")
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    assert lixiulan.get(f"{API}/agent-invitations").json() == []
    assert lixiulan.get(f"{API}/enterprises/{invitation['enterprise_id']}").status_code == 404
    assert post_json(lixiulan, f"{API}/agent-invitations/{invitation['id']}/accept").status_code == 404


def test_api_filing_for_an_enterprise_needs_an_accepted_agency() -> None:
    lixiulan = factories.bearer_client("lixiulan")
    shuzhiyun = enterprise(SHUZHIYUN)
    payload = {"item_code": LEGAL_ITEM, "region_code": "210502000000", "enterprise_id": shuzhiyun.pk}
    refused = post_json(lixiulan, f"{API}/services/applications", payload)
    assert refused.status_code == 422 and "enterprise_id" in refused.json()["fields"]
    invitation = lixiulan.get(f"{API}/agent-invitations").json()[0]
    assert post_json(lixiulan, f"{API}/agent-invitations/{invitation['id']}/accept").status_code == 200
    filed = post_json(lixiulan, f"{API}/services/applications", payload)
    assert filed.status_code == 201, filed.content


def test_api_invitation_answers_the_same_for_registered_and_unregistered_numbers() -> None:
    """The enumeration probe of issue 9: same status, body, work (queries) and audit record for both."""
    company = enterprise(XINGLONG)
    rep = factories.bearer_client("zhaoyu")
    url = f"{API}/enterprises/{company.pk}/agents"
    rep.get(f"{API}/me")  # warm the token path so both invitations do the same work
    answers, queries, audits = [], [], []
    for mobile in (CITIZENS["huangzhipeng"].mobile, UNREGISTERED):
        start = last_audit_id()
        with CaptureQueriesContext(connection) as captured:
            response = post_json(rep, url, {"agent_mobile": mobile})
        body = response.json()
        answers.append((response.status_code, {k: v for k, v in body.items() if k not in {"id", "invited_at"}}))
        queries.append(len(captured))
        audits.append([(e.action, e.object_type, e.changed_fields) for e in AuditEntry.objects.filter(id__gt=start)])
    (status_a, body_a), (status_b, body_b) = answers
    assert status_a == status_b == 201
    assert body_a.pop("mobile_masked")[3:7] == body_b.pop("mobile_masked")[3:7] == "****"
    assert body_a == body_b and body_a["message"] == INVITATION_SENT
    assert queries[0] == queries[1]
    assert audits[0] == audits[1] and len(audits[0]) == 1
    listed = [a for a in rep.get(url).json() if a["role"] == "agent"]
    assert [(a["state"], a["agent_name"]) for a in listed] == [("pending", ""), ("pending", "")]
    # the old probe answer is gone
    assert "未找到" not in json.dumps(body_b, ensure_ascii=False)


# --- rate limits ----------------------------------------------------------------------------------------


def test_invitations_are_rate_limited_per_account_and_per_address() -> None:
    """With the real setting (conftest raises only the registration limit)."""
    limit = django_settings.AGENT_INVITATIONS_PER_HOUR
    assert limit == 10  # the shipped default: the test exercises the real value
    company = enterprise(XINGLONG)
    url = f"{API}/enterprises/{company.pk}/agents"
    rep = Client(headers=factories.bearer("zhaoyu"), REMOTE_ADDR="10.20.0.1")
    for n in range(limit):
        response = post_json(rep, url, {"agent_mobile": f"1331234{n:04d}"})
        assert response.status_code == 201, (n, response.content)
    before = EnterpriseAgent.objects.count(), last_audit_id()
    refused = post_json(rep, url, {"agent_mobile": "13312349999"})
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_requests" and "邀请经办人过于频繁" in refused.json()["message"]
    assert (EnterpriseAgent.objects.count(), last_audit_id()) == before
    # the same account from another address: still refused (per account)
    elsewhere = Client(headers=factories.bearer("zhaoyu"), REMOTE_ADDR="10.20.0.2")
    assert post_json(elsewhere, url, {"agent_mobile": "13312349999"}).status_code == 429
    # another legal representative from the first address: refused too (per address) ...
    other = enterprise(SHUZHIYUN)
    other_url = f"{API}/enterprises/{other.pk}/agents"
    same_address = Client(headers=factories.bearer("chenhaoran"), REMOTE_ADDR="10.20.0.1")
    assert post_json(same_address, other_url, {"agent_mobile": "13312349999"}).status_code == 429
    # ... but not from an address of their own
    own_address = Client(headers=factories.bearer("chenhaoran"), REMOTE_ADDR="10.20.0.3")
    assert post_json(own_address, other_url, {"agent_mobile": "13312349999"}).status_code == 201


def test_the_page_reports_the_rate_limit_on_the_field(login: Any) -> None:
    limit = django_settings.AGENT_INVITATIONS_PER_HOUR
    company = enterprise(XINGLONG)
    url = f"/portal/enterprises/{company.pk}/agents/"
    rep = login(CITIZENS["zhaoyu"].mobile)
    for n in range(limit):
        assert rep.post(url, {"agent_mobile": f"1331235{n:04d}"}).status_code == 302
    refused = rep.post(url, {"agent_mobile": "13312359999"})
    page = refused.content.decode()
    assert refused.status_code == 429
    assert 'id="id_agent_mobile_error"' in page and "邀请经办人过于频繁" in page
