"""经办人 by consent through the two clients, the portal pages and the API (issue 9, point 5).

Only names that existed before the change are imported here, so that on the old code these tests fail on their
assertions (the behaviour), not on an import: see test_agents.py for the services themselves."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from digigov.core.models import AuditEntry
from digigov.identity import demo_city
from digigov.identity.models import Enterprise, EnterpriseAgent
from digigov.identity.tests import factories

pytestmark = pytest.mark.django_db

API = "/api/v1"
CITIZENS = demo_city.citizen_index()
UNREGISTERED = "13312345678"  # belongs to no demo citizen
SHUZHIYUN = "本溪数智云科技有限公司"  # 陈浩然 is its legal representative; 李秀兰 has a pending invitation
GUANMENSHAN = "本溪县关门山旅游开发有限公司"  # 李秀兰 is an accepted agent
XINGLONG = "本溪市明山区兴隆餐饮有限公司"  # 赵宇 is its legal representative, no agents
LEGAL_ITEM = "210500-SCJG-XK-0002"  # 企业变更登记: for legal persons only
SENT = "已发出邀请"  # the one answer to every invitation, registered number or not


@pytest.fixture(autouse=True)
def _fresh_rate_counters() -> None:
    """The invitation counters live in the shared cache: each test starts with none (as test_views does)."""
    cache.clear()


def enterprise(name: str) -> Enterprise:
    return Enterprise.objects.get(name=name)


def agency(enterprise_name: str, username: str) -> EnterpriseAgent:
    return EnterpriseAgent.objects.get(enterprise__name=enterprise_name, user__username=username)


def post_json(client: Client, url: str, data: Any = None) -> Any:
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def actions_since(entry_id: int) -> list[str]:
    return list(AuditEntry.objects.filter(id__gt=entry_id).order_by("id").values_list("action", flat=True))


def last_audit_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def invite_by_api(rep: str, enterprise_name: str, invitee: str) -> Any:
    url = f"{API}/enterprises/{enterprise(enterprise_name).pk}/agents"
    response = post_json(factories.bearer_client(rep), url, {"agent_mobile": CITIZENS[invitee].mobile})
    assert response.status_code == 201, response.content
    return response


def portal(client: Client) -> str:
    response = client.get("/portal/")
    assert response.status_code == 200
    return response.content.decode()


def enterprises_card(page: str) -> str:
    """The portal's "我代办的企业" card (everything after its heading)."""
    return page[page.index('id="enterprises-title"') :]


# --- the portal -----------------------------------------------------------------------------------------


def test_an_invited_citizen_sees_the_enterprise_only_after_accepting_it(login: Any) -> None:
    invite_by_api("zhaoyu", XINGLONG, "huangzhipeng")
    client = login(CITIZENS["huangzhipeng"].mobile)
    page = portal(client)
    assert XINGLONG not in enterprises_card(page)  # before: the stranger's company appeared at once
    card = page[page.index('data-testid="agent-invitations"') : page.index('id="enterprises-title"')]
    assert XINGLONG in card and "赵宇" in card and "接受" in card and "拒绝" in card
    invitation = agency(XINGLONG, "huangzhipeng")
    assert client.get(f"/portal/invitations/{invitation.pk}/accept/").status_code == 405  # POST only
    start = last_audit_id()
    response = client.post(f"/portal/invitations/{invitation.pk}/accept/")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert actions_since(start) == ["identity.enterprise_agent_accept"]
    page = portal(client)
    assert "待您确认的经办人邀请" not in page and XINGLONG in enterprises_card(page)
    assert client.post(f"/portal/invitations/{invitation.pk}/accept/").status_code == 404  # answered already


def test_the_demo_invitation_card_and_declining_it(login: Any) -> None:
    client = login(CITIZENS["lixiulan"].mobile)
    page = portal(client)
    assert "待您确认的经办人邀请" in page and "陈浩然" in page
    assert SHUZHIYUN not in enterprises_card(page) and GUANMENSHAN in enterprises_card(page)
    invitation = agency(SHUZHIYUN, "lixiulan")
    start = last_audit_id()
    assert client.post(f"/portal/invitations/{invitation.pk}/decline/").status_code == 302
    assert actions_since(start) == ["identity.enterprise_agent_decline"]
    page = portal(client)
    assert "待您确认的经办人邀请" not in page and SHUZHIYUN not in enterprises_card(page)
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
    invitation = agency(SHUZHIYUN, "lixiulan")
    assert client.post(f"/portal/invitations/{invitation.pk}/accept/").status_code == 403
    token = client.cookies["csrftoken"].value
    assert (
        client.post(f"/portal/invitations/{invitation.pk}/accept/", {"csrfmiddlewaretoken": token}).status_code == 302
    )


def test_the_apply_page_offers_an_enterprise_only_once_the_invitation_is_accepted(login: Any) -> None:
    invite_by_api("zhaoyu", XINGLONG, "huangzhipeng")
    xinglong = enterprise(XINGLONG)
    client = login(CITIZENS["huangzhipeng"].mobile)
    apply_url = f"/services/items/{LEGAL_ITEM}/apply/"
    assert XINGLONG not in client.get(apply_url).content.decode()
    forged = client.post(apply_url, {"region": "210504000000", "enterprise": str(xinglong.pk), "action": "draft"})
    assert forged.status_code == 200  # the form again, with an error: nothing saved for the enterprise
    assert not xinglong.applications.exists()
    client.post(f"/portal/invitations/{agency(XINGLONG, 'huangzhipeng').pk}/accept/")
    assert XINGLONG in client.get(apply_url).content.decode()


def test_the_legal_rep_page_lists_states_and_withdraws(login: Any) -> None:
    company = enterprise(SHUZHIYUN)
    url = f"/portal/enterprises/{company.pk}/agents/"
    rep = login(CITIZENS["chenhaoran"].mobile)
    page = rep.get(url).content.decode()
    assert page.count('data-testid="agent-accepted"') == 3  # 陈浩然 himself, 杨婷, 吴晓燕
    assert CITIZENS["yangting"].name in page and CITIZENS["wuxiaoyan"].name in page
    assert page.count('data-testid="agent-pending"') == 1 and "138****1352" in page  # 李秀兰, not named yet
    assert "管理经办人" in portal(rep)
    # not the legal representative: the page does not exist for them
    assert login(CITIZENS["yangting"].mobile).get(url).status_code == 404
    assert login(CITIZENS["lixiulan"].mobile).get(url).status_code == 404
    # a malformed number is reported on the field
    bad = rep.post(url, {"agent_mobile": "1331234567x"})
    assert bad.status_code == 422 and 'id="id_agent_mobile_error"' in bad.content.decode()
    # withdraw the pending invitation, then an accepted agent
    start = last_audit_id()
    assert rep.post(f"{url}{agency(SHUZHIYUN, 'lixiulan').pk}/withdraw/").status_code == 302
    assert rep.post(f"{url}{agency(SHUZHIYUN, 'yangting').pk}/withdraw/").status_code == 302
    assert actions_since(start) == ["identity.enterprise_agent_withdraw"] * 2
    assert rep.get(url).content.decode().count('data-testid="agent-withdrawn"') == 2
    assert SHUZHIYUN not in enterprises_card(portal(login(CITIZENS["yangting"].mobile)))
    # another enterprise's agency under this enterprise's address is "not found"
    assert rep.post(f"{url}{agency(GUANMENSHAN, 'lixiulan').pk}/withdraw/").status_code == 404


def test_the_page_answers_the_same_for_registered_and_unregistered_numbers(login: Any) -> None:
    url = f"/portal/enterprises/{enterprise(XINGLONG).pk}/agents/"
    rep = login(CITIZENS["zhaoyu"].mobile)
    answers = []
    for mobile in (CITIZENS["huangzhipeng"].mobile, UNREGISTERED):
        response = rep.post(url, {"agent_mobile": mobile}, follow=True)
        answers.append((response.status_code, response.redirect_chain, SENT in response.content.decode()))
    assert answers[0] == answers[1] == (200, [(url, 302)], True)
    page = rep.get(url).content.decode()
    assert page.count('data-testid="agent-pending"') == 2 and "黄志鹏" not in page and "未找到" not in page


# --- the API --------------------------------------------------------------------------------------------


def test_api_invite_accept_list_and_withdraw() -> None:
    company = enterprise(XINGLONG)
    rep, invitee = factories.bearer_client("zhaoyu"), factories.bearer_client("huangzhipeng")
    url = f"{API}/enterprises/{company.pk}/agents"
    start = last_audit_id()
    body = invite_by_api("zhaoyu", XINGLONG, "huangzhipeng").json()
    assert actions_since(start)[-1] == "identity.enterprise_agent_grant"
    assert (body["state"], body["role"], body["agent_name"], body["enterprise_id"]) == (
        "pending",
        "agent",
        "",
        company.pk,
    )
    assert SENT in body["message"]
    assert invitee.get(f"{API}/enterprises/{company.pk}").status_code == 404  # pending: nothing yet
    invitations = invitee.get(f"{API}/agent-invitations").json()
    assert [(i["id"], i["enterprise_name"], i["invited_by"]) for i in invitations] == [(body["id"], XINGLONG, "赵宇")]
    assert post_json(rep, f"{API}/agent-invitations/{body['id']}/accept").status_code == 404  # not his to accept
    accepted = post_json(invitee, f"{API}/agent-invitations/{body['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert invitee.get(f"{API}/enterprises/{company.pk}").status_code == 200
    listed = {a["id"]: a for a in rep.get(url).json()}
    assert (listed[body["id"]]["state"], listed[body["id"]]["agent_name"]) == ("accepted", "黄志鹏")
    assert invitee.get(url).status_code == 404  # an agent does not manage the agents
    conflict = post_json(rep, url, {"agent_mobile": CITIZENS["huangzhipeng"].mobile})
    assert conflict.status_code == 409 and "agent_mobile" in conflict.json()["fields"]
    withdrawn = post_json(rep, f"{url}/{body['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    assert invitee.get(f"{API}/enterprises/{company.pk}").status_code == 404
    assert post_json(rep, f"{url}/{body['id']}/withdraw").status_code == 409


def test_api_decline() -> None:
    lixiulan = factories.bearer_client("lixiulan")
    invitations = lixiulan.get(f"{API}/agent-invitations")
    assert invitations.status_code == 200 and [i["enterprise_name"] for i in invitations.json()] == [SHUZHIYUN]
    invitation = invitations.json()[0]
    declined = post_json(lixiulan, f"{API}/agent-invitations/{invitation['id']}/decline")
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    assert lixiulan.get(f"{API}/agent-invitations").json() == []
    assert lixiulan.get(f"{API}/enterprises/{invitation['enterprise_id']}").status_code == 404
    assert post_json(lixiulan, f"{API}/agent-invitations/{invitation['id']}/accept").status_code == 404


def test_api_filing_for_an_enterprise_needs_an_accepted_agency() -> None:
    invite_by_api("zhaoyu", XINGLONG, "huangzhipeng")
    invitee = factories.bearer_client("huangzhipeng")
    payload = {"item_code": LEGAL_ITEM, "region_code": "210504000000", "enterprise_id": enterprise(XINGLONG).pk}
    refused = post_json(invitee, f"{API}/services/applications", payload)
    assert refused.status_code == 422 and "enterprise_id" in refused.json()["fields"]
    invitation = agency(XINGLONG, "huangzhipeng")
    assert post_json(invitee, f"{API}/agent-invitations/{invitation.pk}/accept").status_code == 200
    filed = post_json(invitee, f"{API}/services/applications", payload)
    assert filed.status_code == 201, filed.content


def test_api_invitation_answers_the_same_for_registered_and_unregistered_numbers() -> None:
    """The enumeration probe of issue 9: the same status, body, work (queries) and audit record for both."""
    url = f"{API}/enterprises/{enterprise(XINGLONG).pk}/agents"
    rep = factories.bearer_client("zhaoyu")
    rep.get(f"{API}/me")  # the token's first use writes its last-used time: both invitations come after it
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
    assert body_a == body_b and SENT in body_a["message"]
    assert queries[0] == queries[1]
    assert audits[0] == audits[1] and len(audits[0]) == 1
    listed = [a for a in rep.get(url).json() if a["role"] == "agent"]
    assert [(a["state"], a["agent_name"]) for a in listed] == [("pending", ""), ("pending", "")]


# --- rate limits ----------------------------------------------------------------------------------------


def test_invitations_are_rate_limited_per_account_and_per_address() -> None:
    """With the real setting (conftest raises only the registration limit)."""
    limit = django_settings.AGENT_INVITATIONS_PER_HOUR
    assert limit == 10  # the shipped default: the test exercises the real value
    url = f"{API}/enterprises/{enterprise(XINGLONG).pk}/agents"
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
    other_url = f"{API}/enterprises/{enterprise(SHUZHIYUN).pk}/agents"
    same_address = Client(headers=factories.bearer("chenhaoran"), REMOTE_ADDR="10.20.0.1")
    assert post_json(same_address, other_url, {"agent_mobile": "13312349999"}).status_code == 429
    # ... but not from an address of their own
    own_address = Client(headers=factories.bearer("chenhaoran"), REMOTE_ADDR="10.20.0.3")
    assert post_json(own_address, other_url, {"agent_mobile": "13312349999"}).status_code == 201


def test_the_page_reports_the_rate_limit_on_the_field(login: Any) -> None:
    limit = django_settings.AGENT_INVITATIONS_PER_HOUR
    url = f"/portal/enterprises/{enterprise(XINGLONG).pk}/agents/"
    rep = login(CITIZENS["zhaoyu"].mobile)
    for n in range(limit):
        assert rep.post(url, {"agent_mobile": f"1331235{n:04d}"}).status_code == 302
    refused = rep.post(url, {"agent_mobile": "13312359999"})
    page = refused.content.decode()
    assert refused.status_code == 429
    assert 'id="id_agent_mobile_error"' in page and "邀请经办人过于频繁" in page


def test_the_agent_list_costs_the_same_queries_however_long_it_is() -> None:
    url = f"{API}/enterprises/{enterprise(XINGLONG).pk}/agents"
    rep = factories.bearer_client("zhaoyu")
    rep.get(url)
    with CaptureQueriesContext(connection) as short:
        assert len(rep.get(url).json()) == 1  # 赵宇 himself
    for invitee in ("huangzhipeng", "yangting", "sunjiayi"):
        invite_by_api("zhaoyu", XINGLONG, invitee)
    post_json(factories.bearer_client("yangting"), f"{API}/agent-invitations/{agency(XINGLONG, 'yangting').pk}/accept")
    with CaptureQueriesContext(connection) as long:
        assert len(rep.get(url).json()) == 4
    assert len(long) == len(short)
