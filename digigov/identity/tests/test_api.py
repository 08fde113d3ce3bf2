"""The identity API end to end: tokens, /me, the org tree, registration, enterprises, CSRF, audit, schemas."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.api import api
from digigov.core.api_errors import ErrorOut
from digigov.core.crypto import sm3_hex
from digigov.core.models import AuditEntry
from digigov.core.policy import SYSTEM
from digigov.identity import demo_city
from digigov.identity.demo_loader import DEMO_PASSWORD
from digigov.identity.models import ApiToken, CitizenProfile, Enterprise, EnterpriseAgent, Region, Role, User
from digigov.identity.models.people import AgentRole
from digigov.identity.services import staff as staff_services
from digigov.identity.tests import factories
from digigov.identity.tests.test_policies import PUBLIC_OPERATIONS

pytestmark = pytest.mark.django_db

API = "/api/v1"
ID_MASKED = re.compile(r"^\d{6}\*{8}\d{3}[\dX]$")
MOBILE_MASKED = re.compile(r"^\d{3}\*{4}\d{4}$")
CITIZENS = demo_city.citizen_index()


def post_json(client: Client, url: str, data: Any, **extra: Any) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json", **extra)


def patch_json(client: Client, url: str, data: Any, **extra: Any) -> Any:
    return client.patch(url, data=json.dumps(data), content_type="application/json", **extra)


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error shape: {code, message, fields}, JSON, with the expected status."""
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    ErrorOut.model_validate(body)
    assert body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body


def audit_actions_since(seq: int) -> list[str]:
    return list(AuditEntry.objects.filter(id__gt=seq).order_by("id").values_list("action", flat=True))


def last_seq() -> int:
    entry = AuditEntry.objects.order_by("-id").first()
    return entry.id if entry else 0


def csrf_login(identifier: str, password: str = DEMO_PASSWORD) -> Client:
    """A browser-like client that enforces CSRF, signed in through the real login form."""
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    response = client.post(
        "/login/",
        {"identifier": identifier, "password": password, "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )
    assert response.status_code == 302, f"login failed for {identifier}"
    return client


def csrf_header(client: Client) -> dict[str, str]:
    return {"headers": {"X-CSRFToken": client.cookies["csrftoken"].value}}


# --- tokens ---------------------------------------------------------------------------------------------


def test_token_lifecycle_session_create_bearer_use_revoke(login: Callable[[str], Client]) -> None:
    session = login("zhaoyu")
    before = last_seq()
    created = post_json(session, f"{API}/tokens", {"name": "对账脚本", "valid_days": 30})
    assert created.status_code == 201, created.content
    body = created.json()
    secret = body["secret"]
    assert secret.startswith("dgv_") and len(secret) > 40
    assert body["prefix"] == secret[:10] and body["revoked"] is False
    assert audit_actions_since(before) == ["identity.api_token_create"]

    machine = Client(headers={"Authorization": f"Bearer {secret}"})
    me = machine.get(f"{API}/me")
    assert me.status_code == 200 and me.json()["username"] == "zhaoyu"

    listed = session.get(f"{API}/tokens").json()
    assert [t["id"] for t in listed] == [body["id"]]
    assert "secret" not in listed[0]

    before = last_seq()
    assert session.delete(f"{API}/tokens/{body['id']}").status_code == 204
    assert audit_actions_since(before) == ["identity.api_token_revoke"]
    rejected = machine.get(f"{API}/me")
    assert_error(rejected, 401, "unauthenticated")
    assert rejected["WWW-Authenticate"].startswith("Bearer")
    assert session.get(f"{API}/tokens").json()[0]["revoked"] is True


def test_token_secret_is_stored_only_as_sm3_digest(login: Callable[[str], Client]) -> None:
    session = login("yangting")
    secret = post_json(session, f"{API}/tokens", {"name": "数据同步"}).json()["secret"]
    token = ApiToken.objects.get(user__username="yangting")
    assert token.token_digest == sm3_hex(secret.encode())
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert not any(secret in value for value in stored)
    assert not any(secret[10:20] in value for value in stored)  # not even a piece past the shown prefix
    for entry in AuditEntry.objects.filter(object_type="api_token", object_id=str(token.pk)).values():
        assert not any(secret in str(value) for value in entry.values())


def test_expired_token_is_refused() -> None:
    headers = factories.bearer("zhaoyu")
    client = Client(headers=headers)
    assert client.get(f"{API}/me").status_code == 200
    ApiToken.objects.filter(user__username="zhaoyu").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_error(client.get(f"{API}/me"), 401, "unauthenticated")


@pytest.mark.parametrize("value", ["", "Bearer", "Bearer dgv_not-a-token", "Bearer abc", "Basic emhhb3l1OjEyMw=="])
def test_malformed_or_unknown_credentials_are_401(value: str) -> None:
    client = Client(headers={"Authorization": value} if value else {})
    assert_error(client.get(f"{API}/me"), 401, "unauthenticated")


def test_token_of_an_inactive_user_is_refused() -> None:
    client = factories.bearer_client("zhaoyu")
    User.objects.filter(username="zhaoyu").update(is_active=False)
    assert_error(client.get(f"{API}/me"), 401)


def test_another_users_token_cannot_be_revoked_and_looks_missing() -> None:
    factories.bearer("zhaoyu")
    foreign = ApiToken.objects.get(user__username="zhaoyu")
    client = factories.bearer_client("yangting")
    foreign_response = client.delete(f"{API}/tokens/{foreign.pk}")
    missing_response = client.delete(f"{API}/tokens/999999")
    assert_error(foreign_response, 404, "not_found")
    assert foreign_response.json() == missing_response.json()
    foreign.refresh_from_db()
    assert foreign.revoked is False


@pytest.mark.parametrize(
    ("payload", "field"), [({"name": ""}, "name"), ({"name": "x", "valid_days": 0}, "valid_days"), ({}, "name")]
)
def test_token_create_validates_input(payload: dict[str, Any], field: str) -> None:
    client = factories.bearer_client("zhaoyu")
    before = ApiToken.objects.count()
    body = assert_error(post_json(client, f"{API}/tokens", payload), 422, "validation_failed")
    assert field in body["fields"]
    assert ApiToken.objects.count() == before


# --- /me ------------------------------------------------------------------------------------------------


def test_me_for_a_citizen_shows_only_masked_personal_data() -> None:
    seed = CITIZENS["zhaoyu"]
    response = factories.bearer_client("zhaoyu").get(f"{API}/me")
    assert response.status_code == 200
    me = response.json()
    assert me["kind"] == "citizen" and me["display_name"] == "赵宇"
    assert ID_MASKED.fullmatch(me["id_number_masked"]), me["id_number_masked"]
    assert MOBILE_MASKED.fullmatch(me["mobile_masked"]), me["mobile_masked"]
    assert me["id_number_masked"][:6] == seed.id_number[:6] and me["id_number_masked"][-4:] == seed.id_number[-4:]
    text = response.content.decode()
    assert seed.id_number not in text and seed.mobile not in text
    assert me["department"] is None and me["grants"] == []


def test_me_for_staff_shows_department_region_and_grants() -> None:
    me = factories.bearer_client("handongmei").get(f"{API}/me").json()
    assert me["kind"] == "staff"
    assert me["department"]["code"] == "ps_zwfwzx"
    assert me["region"] == {
        "code": "210502000000",
        "name": "平山区",
        "level": "district",
        "parent_code": "210500000000",
    }
    assert me["grants"] == [
        {"role": "部门负责人", "department": me["department"]["name"], "region": "平山区", "requires_mfa": False}
    ]
    assert me["id_number_masked"] is None


# --- org tree -------------------------------------------------------------------------------------------


def test_regions_tree_city_districts_streets() -> None:
    client = factories.bearer_client("zhaoyu")
    roots = client.get(f"{API}/regions").json()
    assert roots == [{"code": "210500000000", "name": "本溪市", "level": "city", "parent_code": None}]
    districts = client.get(f"{API}/regions", {"parent": "210500000000"}).json()
    assert [d["name"] for d in districts] == [name for _code, name, _slug in demo_city.COUNTIES]
    assert {d["level"] for d in districts} == {"district"} and {d["parent_code"] for d in districts} == {"210500000000"}
    streets = client.get(f"{API}/regions", {"parent": "210502000000"}).json()
    assert [s["name"] for s in streets] == list(demo_city.STREETS["210502"])
    assert {s["level"] for s in streets} == {"street"}
    assert client.get(f"{API}/regions/210502001000").json()["name"] == "平山街道"
    assert_error(client.get(f"{API}/regions/210599999000"), 404, "not_found")
    assert "code" in assert_error(client.get(f"{API}/regions/abc"), 422)["fields"]
    assert "parent" in assert_error(client.get(f"{API}/regions", {"parent": "平山区"}), 422)["fields"]


def test_departments_list_and_region_filter() -> None:
    client = factories.bearer_client("zhaoyu")
    everything = client.get(f"{API}/departments").json()
    assert len(everything) == len(demo_city.DEPARTMENTS)
    pingshan = client.get(f"{API}/departments", {"region": "210502000000"}).json()
    assert pingshan and {d["region_code"] for d in pingshan} == {"210502000000"}
    assert "ps_zwfwzx" in {d["code"] for d in pingshan}


# --- citizen self-registration --------------------------------------------------------------------------


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), CitizenProfile.objects.count(), AuditEntry.objects.count()


def _registration(**overrides: str) -> dict[str, str]:
    serial = factories.next_serial()
    data = {
        "real_name": "韩梅梅",
        "id_number": factories.id_number(serial),
        "mobile": factories.mobile(serial),
        "password": "Liaoning#2026",
    }
    data.update(overrides)
    return data


def test_citizen_self_registration_succeeds_and_is_audited() -> None:
    data = _registration()
    before = last_seq()
    response = post_json(Client(enforce_csrf_checks=True), f"{API}/citizens", data)
    assert response.status_code == 201, response.content
    out = response.json()
    assert ID_MASKED.fullmatch(out["id_number_masked"]) and MOBILE_MASKED.fullmatch(out["mobile_masked"])
    assert data["id_number"] not in response.content.decode()
    assert out["real_name"] == "韩梅梅" and out["gender"] in {"M", "F"}
    assert audit_actions_since(before) == ["identity.citizen_register"]
    login = Client().post("/login/", {"identifier": data["mobile"], "password": data["password"]})
    assert login.status_code == 302


def _failing_registration_cases() -> list[Any]:
    taken = CITIZENS["zhaoyu"]
    return [
        pytest.param(
            lambda: _registration(id_number="210502199001011235"), 422, "id_number", "校验位", id="bad-check-digit"
        ),
        pytest.param(lambda: _registration(id_number="21050219900101123"), 422, "id_number", None, id="short-id"),
        pytest.param(
            lambda: _registration(id_number="210502199013011234"), 422, "id_number", "出生日期", id="bad-birth-date"
        ),
        pytest.param(lambda: _registration(id_number=taken.id_number), 409, "id_number", "已注册", id="duplicate-id"),
        pytest.param(lambda: _registration(mobile=taken.mobile), 409, "mobile", None, id="duplicate-mobile"),
        pytest.param(lambda: _registration(mobile="12345678901"), 422, "mobile", "手机号码", id="bad-mobile"),
        pytest.param(lambda: _registration(password="12345678"), 422, "password", None, id="weak-password"),
        pytest.param(lambda: _registration(real_name="韩\x00梅"), 422, "real_name", "控制字符", id="nul-in-name"),
        pytest.param(lambda: {"real_name": "韩梅梅"}, 422, "id_number", None, id="missing-fields"),
        pytest.param(lambda: [], 422, "body", "JSON 对象", id="not-an-object"),
    ]


@pytest.mark.parametrize(("make", "status", "field", "message_part"), _failing_registration_cases())
def test_failed_registration_is_structured_and_writes_nothing(
    make: Callable[[], Any], status: int, field: str, message_part: str | None
) -> None:
    before = _counts()
    body = assert_error(post_json(Client(), f"{API}/citizens", make()), status)
    assert field in body["fields"], body
    assert re.search(r"[\u4e00-\u9fff]", body["message"] + body["fields"][field]), body  # said in Chinese
    if message_part is not None:
        assert message_part in body["message"] + body["fields"][field], body
    assert _counts() == before


def test_registration_missing_fields_names_each_one() -> None:
    body = assert_error(post_json(Client(), f"{API}/citizens", {}), 422, "validation_failed")
    assert set(body["fields"]) == {"real_name", "id_number", "mobile", "password"}
    assert set(body["fields"].values()) == {"必填"}


@pytest.mark.parametrize("raw", ['{"real_name": "韩梅梅",', "not json", '{"a": 1}}'])
def test_malformed_json_is_a_structured_400_and_writes_nothing(raw: str) -> None:
    before = _counts()
    response = Client().post(f"{API}/citizens", data=raw, content_type="application/json")
    body = assert_error(response, 400, "malformed_request")
    assert "JSON" in body["message"]
    assert _counts() == before


def test_empty_body_is_a_structured_422() -> None:
    response = Client().post(f"{API}/citizens", data="", content_type="application/json")
    assert "body" in assert_error(response, 422, "validation_failed")["fields"]


# --- enterprises ----------------------------------------------------------------------------------------


def _enterprise_payload(**overrides: str) -> dict[str, str]:
    data = {
        "uscc": factories.uscc("210504"),
        "name": "本溪明山测试科技有限公司",
        "legal_representative": "赵宇",
        "region_code": "210504000000",
        "address": "本溪市明山区新明路1号",
    }
    data.update(overrides)
    return data


def test_enterprise_registration_by_a_citizen_makes_them_legal_representative() -> None:
    client = factories.bearer_client("zhaoyu")
    before = last_seq()
    response = post_json(client, f"{API}/enterprises", _enterprise_payload())
    assert response.status_code == 201, response.content
    created = response.json()
    assert audit_actions_since(before) == ["identity.enterprise_register"]
    agent = EnterpriseAgent.objects.get(enterprise_id=created["id"])
    assert agent.user.username == "zhaoyu" and agent.role == AgentRole.LEGAL_REP
    assert created["id"] in {e["id"] for e in client.get(f"{API}/enterprises").json()}
    assert client.get(f"{API}/enterprises/{created['id']}").json()["uscc"] == created["uscc"]


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"uscc": "91210504MA0000000X"}, 422, "uscc"),  # wrong check character
        ({"uscc": "91210504MA000000"}, 422, "uscc"),  # too short
        ({"uscc": "9121050IMA0000000X"}, 422, "uscc"),  # letters outside GB 32100
        ({"uscc": demo_city.ENTERPRISES[0].uscc}, 409, "uscc"),  # already registered
        ({"region_code": "210500000000"}, 422, "region_code"),  # the city itself
        ({"region_code": "219999999999"}, 422, "region_code"),  # no such region
    ],
)
def test_enterprise_registration_failures(overrides: dict[str, str], status: int, field: str) -> None:
    client = factories.bearer_client("zhaoyu")
    before = (Enterprise.objects.count(), EnterpriseAgent.objects.count(), AuditEntry.objects.count())
    body = assert_error(post_json(client, f"{API}/enterprises", _enterprise_payload(**overrides)), status)
    assert field in body["fields"], body
    assert (Enterprise.objects.count(), EnterpriseAgent.objects.count(), AuditEntry.objects.count()) == before


def test_staff_cannot_register_an_enterprise_for_themselves() -> None:
    body = assert_error(post_json(factories.bearer_client("caolei"), f"{API}/enterprises", _enterprise_payload()), 403)
    assert body["code"] == "forbidden"


def _enterprise(name: str) -> Enterprise:
    return Enterprise.objects.get(name=name)


def test_only_the_legal_representative_grants_agents() -> None:
    enterprise = _enterprise("本溪钢城物流有限公司")  # 孙佳怡 is an agent, not the legal representative
    before = EnterpriseAgent.objects.count()
    url = f"{API}/enterprises/{enterprise.pk}/agents"
    response = post_json(factories.bearer_client("sunjiayi"), url, {"agent_mobile": CITIZENS["yangting"].mobile})
    assert_error(response, 403, "forbidden")
    # someone who does not act for the enterprise cannot even see it
    outsider = post_json(factories.bearer_client("yangting"), url, {"agent_mobile": CITIZENS["yangting"].mobile})
    missing = post_json(
        factories.bearer_client("yangting"),
        f"{API}/enterprises/999999/agents",
        {"agent_mobile": CITIZENS["yangting"].mobile},
    )
    assert_error(outsider, 404)
    assert outsider.json() == missing.json()
    assert EnterpriseAgent.objects.count() == before


# --- staff writes ---------------------------------------------------------------------------------------


def test_staff_update_is_audited() -> None:
    target = factories.staff_of("donglixin")  # 溪湖区 河西街道
    client = factories.bearer_client("xiechunmei")  # 溪湖区 人事管理员
    before = last_seq()
    response = patch_json(client, f"{API}/staff/{target.pk}", {"title": "副主任"})
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "副主任"
    assert audit_actions_since(before) == ["identity.staff_update"]
    target.refresh_from_db()
    assert target.title == "副主任"


def test_staff_update_without_manage_permission_is_forbidden() -> None:
    target = factories.staff_of("jiangxiaoli")  # visible to 韩冬梅 (view_staff), who may not change it
    response = patch_json(factories.bearer_client("handongmei"), f"{API}/staff/{target.pk}", {"title": "主任"})
    assert_error(response, 403, "forbidden")
    target.refresh_from_db()
    assert target.title != "主任"


def test_staff_update_rejects_bad_input_and_writes_nothing() -> None:
    target = factories.staff_of("donglixin")
    client = factories.bearer_client("xiechunmei")
    before = AuditEntry.objects.count()
    body = assert_error(patch_json(client, f"{API}/staff/{target.pk}", {"display_name": "董"}), 422)
    assert "display_name" in body["fields"]
    body = assert_error(patch_json(client, f"{API}/staff/{target.pk}", {"title": "x" * 61}), 422)
    assert body["fields"] == {"title": "长度不能超过60个字符"}
    assert AuditEntry.objects.count() == before


# --- CSRF and the second factor -------------------------------------------------------------------------


def test_session_writes_need_the_csrf_token() -> None:
    client = csrf_login("zhaoyu")
    assert client.get(f"{API}/me").status_code == 200  # reads need no token
    before = (ApiToken.objects.count(), AuditEntry.objects.count())
    refused = post_json(client, f"{API}/tokens", {"name": "无令牌"})
    assert_error(refused, 403, "csrf_failed")
    assert (ApiToken.objects.count(), AuditEntry.objects.count()) == before

    accepted = post_json(client, f"{API}/tokens", {"name": "有令牌"}, **csrf_header(client))
    assert accepted.status_code == 201, accepted.content
    token_id = accepted.json()["id"]
    assert_error(client.delete(f"{API}/tokens/{token_id}"), 403, "csrf_failed")
    assert client.delete(f"{API}/tokens/{token_id}", **csrf_header(client)).status_code == 204


def test_session_patch_without_csrf_token_changes_nothing() -> None:
    client = csrf_login("handongmei")
    target = factories.staff_of("jiangxiaoli")
    assert_error(patch_json(client, f"{API}/staff/{target.pk}", {"title": "改"}), 403, "csrf_failed")


def test_anonymous_unsafe_requests_are_401_not_csrf_failures() -> None:
    client = Client(enforce_csrf_checks=True)
    assert_error(post_json(client, f"{API}/tokens", {"name": "x"}), 401, "unauthenticated")
    assert_error(client.delete(f"{API}/tokens/1"), 401, "unauthenticated")


def test_bearer_requests_need_no_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True, headers=factories.bearer("zhaoyu"))
    assert post_json(client, f"{API}/tokens", {"name": "机器"}).status_code == 201


def test_admin_session_without_second_factor_is_401(login: Callable[[str], Client]) -> None:
    """An account that gains an admin role (TOTP required) mid-session must pass TOTP before using the API."""
    client = login("handongmei")
    assert client.get(f"{API}/me").status_code == 200
    user = User.objects.get(username="handongmei")
    staff_services.role_grant(
        actor=SYSTEM,
        user=user,
        role=Role.objects.get(code="staff_admin"),
        region=Region.objects.get(code="210502000000"),
        department=None,
    )
    assert_error(client.get(f"{API}/me"), 401, "unauthenticated")
    assert_error(client.get(f"{API}/staff"), 401, "unauthenticated")


def test_admin_force_logged_in_without_totp_is_401() -> None:
    client = Client()
    client.force_login(User.objects.get(username="wangjianguo"))  # sysadmin, second factor never passed
    assert_error(client.get(f"{API}/me"), 401, "unauthenticated")
    assert_error(client.get(f"{API}/tokens"), 401, "unauthenticated")


# --- the rest of the URL space under /api/v1/ answers in the same shape -----------------------------------


@pytest.mark.parametrize("url", [f"{API}/", f"{API}/nope", f"{API}/staff/1/", f"{API}/regions/210500000000/x"])
def test_unknown_api_paths_answer_a_json_404(url: str) -> None:
    assert_error(factories.bearer_client("zhaoyu").get(url), 404, "not_found")
    assert_error(Client().get(url), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "url"), [("put", "/me"), ("post", "/me"), ("patch", "/tokens"), ("post", "/staff/1")]
)
def test_wrong_method_answers_a_json_405_with_allow(method: str, url: str) -> None:
    response = getattr(factories.bearer_client("zhaoyu"), method)(f"{API}{url}")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"]


# --- every GET answers what its schema declares ---------------------------------------------------------


def _operations() -> list[tuple[str, str, Any]]:
    """(method, URL template, ninja Operation) of every bound operation."""
    found = []
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            url = "/".join(part.strip("/") for part in ("/api/v1", bound.prefix, path) if part.strip("/"))
            for operation in path_view.operations:
                for method in operation.methods:
                    found.append((method, "/" + url, operation))
    return found


def _validate(operation: Any, status: int, body: Any) -> None:
    model = operation.response_models.get(status)
    assert model is not None, f"{status} not declared"
    model.model_validate({"response": body})


@pytest.mark.parametrize("username", ["zhangjianguo", "handongmei", "sujianping", "zhaoyu", "wuxiaoyan"])
def test_get_operations_without_path_parameters_match_their_declared_schemas(username: str) -> None:
    client = factories.bearer_client(username)
    checked = 0
    for method, url, operation in _operations():
        if method != "GET" or "{" in url:
            continue
        response = client.get(url)
        if response.status_code == 403:  # a permission this user lacks: the refusal must be declared too
            assert_error(response, 403)
            _validate(operation, 403, response.json())
        else:
            assert response.status_code == 200, (url, response.content)
            _validate(operation, 200, response.json())
        anonymous = Client().get(url)
        if (method, url) in PUBLIC_OPERATIONS:
            assert anonymous.status_code == 200, url
        else:
            assert_error(anonymous, 401, "unauthenticated")
            _validate(operation, 401, anonymous.json())
        checked += 1
    assert checked >= 6


@pytest.fixture
def leader() -> dict[str, str]:
    """Bearer headers of 张建国 (city leader, sees every staff member and enterprise)."""
    return factories.bearer("zhangjianguo")


_PAGE = st.integers(min_value=-(2**70), max_value=2**70) | st.text(max_size=30)


@pytest.mark.parametrize("url", [f"{API}/staff", f"{API}/enterprises"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=_PAGE, offset=_PAGE)
def test_paging_parameters_never_break_the_server(leader: dict[str, str], url: str, limit: Any, offset: Any) -> None:
    """Any limit/offset answers 200 or a structured 422; never a 500 from an overflowing SQL OFFSET."""
    client = Client(headers=leader)
    response = client.get(url, {"limit": limit, "offset": offset})
    if response.status_code != 200:
        assert_error(response, 422, "validation_failed")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=st.integers(min_value=-(2**80), max_value=2**80).map(str)
    | st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/?#%"), min_size=1, max_size=25)
)
def test_path_parameters_never_break_the_server(leader: dict[str, str], value: str) -> None:
    client = Client(headers=leader)
    for method, template, operation in _operations():
        if "{" not in template:
            continue
        url = re.sub(r"\{[^}]+\}", lambda _m: value, template)
        call = getattr(client, method.lower())
        response = call(url, data="{}", content_type="application/json") if method != "GET" else call(url)
        assert response.status_code < 500, (url, response.status_code)
        declared = set(operation.response_models)
        # (a value that is not a path segment at all answers Django's own 404 page, which is not JSON)
        if response.status_code >= 400 and response["Content-Type"].startswith("application/json"):
            assert response.status_code in declared, (method, url, response.status_code)
            assert_error(response, response.status_code)


_TEXT = st.text(max_size=40) | st.sampled_from(["", "\x00", "韩梅梅", "210502199001011234", "13800001352"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "real_name": _TEXT | st.integers() | st.none(),
            "id_number": _TEXT | st.integers(),
            "mobile": _TEXT | st.integers(),
            "password": _TEXT,
            "extra": st.booleans(),
        },
    )
)
def test_registration_never_breaks_the_server(body: dict[str, Any]) -> None:
    response = post_json(Client(), f"{API}/citizens", body)
    assert response.status_code in {201, 400, 409, 422}, response.content
    if response.status_code != 201:
        assert_error(response, response.status_code)


# --- assisted registration at the window (代办) and the manual check-digit override -----------------------


def _bad_check_digit(id_number: str) -> str:
    return id_number[:-1] + ("0" if id_number[-1] != "0" else "1")


def test_window_clerk_registers_a_citizen_but_cannot_override_the_check_digit() -> None:
    clerk = csrf_login("fengxue")
    data = _registration()
    response = post_json(clerk, f"{API}/citizens/assisted", data, **csrf_header(clerk))
    assert response.status_code == 201, response.content
    assert CitizenProfile.objects.get(user__username=response.json()["username"]).id_override is False
    before = _counts()
    refused = post_json(
        clerk,
        f"{API}/citizens/assisted",
        _registration(id_number=_bad_check_digit(_registration()["id_number"]), override_reason="户籍系统已核实"),
        **csrf_header(clerk),
    )
    assert_error(refused, 403, "forbidden")
    assert _counts() == before


def test_citizens_cannot_use_assisted_registration() -> None:
    citizen = csrf_login("18900006438")
    before = _counts()
    assert_error(post_json(citizen, f"{API}/citizens/assisted", _registration(), **csrf_header(citizen)), 403)
    assert _counts() == before


def test_override_by_an_administrator_is_accepted_and_audited() -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=User.objects.get(username="wangjianguo"), name="手机", confirmed=True)
    admin = Client()
    admin.post("/login/", {"identifier": "wangjianguo", "password": DEMO_PASSWORD})
    assert admin.post("/login/totp/", {"token": f"{totp(device.bin_key):06d}"}).status_code == 302
    token = post_json(admin, f"{API}/tokens", {"name": "窗口终端"}).json()["secret"]
    bearer = {"headers": {"Authorization": f"Bearer {token}"}}
    genuine = _bad_check_digit(_registration()["id_number"])
    no_reason = post_json(Client(), f"{API}/citizens/assisted", _registration(id_number=genuine), **bearer)
    assert "id_number" in assert_error(no_reason, 422)["fields"]
    before = last_seq()
    data = _registration(id_number=genuine, override_reason="公安户籍系统核实号码真实有效")
    response = post_json(Client(), f"{API}/citizens/assisted", data, **bearer)
    assert response.status_code == 201, response.content
    assert CitizenProfile.objects.get(user__username=response.json()["username"]).id_override is True
    assert audit_actions_since(before) == ["identity.citizen_register", "identity.validation_override"]
