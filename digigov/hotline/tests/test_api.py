"""The hotline API (/api/v1/hotline/): idempotent intake by the API channel, scoped lists and details, the loop's
steps with their permissions, bad input and the caller's privacy."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from digigov.hotline.models import Appeal, AppealStatus
from digigov.hotline.tests.conftest import HOUSING, PS_ADDRESS, category
from digigov.identity.tests.factories import bearer_client
from digigov.identity.tests.test_api import assert_error

pytestmark = pytest.mark.usefixtures("hotline")

API = "/api/v1/hotline"
NAME, PHONE = "刘淑珍", "13841412786"
EDUCATION = "教育文体/教育收费"  # handled by 市教育局 (jyj)


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "appeal_type": "complaint",
        "subject": "小区电梯频繁故障无人维修",
        "text": "平山街道胜利路35号小区3号楼电梯近一个月内停运四次，物业公司一直推诿不修，老人上下楼非常困难。",
        "address": PS_ADDRESS,
        "caller_name": NAME,
        "caller_phone": PHONE,
        "category_code": category(HOUSING).code,
    }
    data.update(overrides)
    return data


def post(client: Client, url: str, data: Any, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(url, data=json.dumps(data), content_type="application/json", headers=headers)


def file_appeal(key: str, username: str = "hanxue", **overrides: Any) -> dict[str, Any]:
    response = post(bearer_client(username), f"{API}/appeals", body(**overrides), key)
    assert response.status_code == 201, response.content.decode()
    return response.json()


def act(username: str, number: str, **payload: Any) -> Any:
    return post(bearer_client(username), f"{API}/appeals/{number}/transitions", payload)


def assert_no_caller(content: bytes) -> None:
    text = content.decode()
    assert NAME not in text and PHONE not in text


# --- intake -----------------------------------------------------------------------------------------------


def test_intake_is_idempotent_per_key_and_account() -> None:
    agent = bearer_client("hanxue")
    before = Appeal.objects.count()
    first = post(agent, f"{API}/appeals", body(), "dept-sys-0001")
    assert first.status_code == 201, first.content.decode()
    created = first.json()
    assert created["channel"] == "api" and created["number"].startswith("RX")
    assert created["status"] == "dispatched" and created["department_code"] == "zjj"
    assert created["caller"] == {"name": "刘*珍", "phone": "138****2786", "hidden": False}
    assert_no_caller(first.content)
    replay = post(agent, f"{API}/appeals", body(), "dept-sys-0001")
    assert replay.status_code == 200 and replay.json()["number"] == created["number"]
    assert Appeal.objects.count() == before + 1
    changed = post(agent, f"{API}/appeals", body(text="另一件事：小区门口路灯坏了一周没人修。"), "dept-sys-0001")
    assert_error(changed, 409, "conflict")
    assert Appeal.objects.count() == before + 1
    # Keys belong to an account: another agent's same key is another appeal, never the first one.
    other = post(bearer_client("songjiaqi"), f"{API}/appeals", body(), "dept-sys-0001")
    assert other.status_code == 201 and other.json()["number"] != created["number"]


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": "空格 不行"}, {"Idempotency-Key": "k" * 81}])
def test_intake_needs_a_well_formed_idempotency_key(headers: dict[str, str]) -> None:
    before = Appeal.objects.count()
    response = bearer_client("hanxue").post(
        f"{API}/appeals", data=json.dumps(body()), content_type="application/json", headers=headers
    )
    error = assert_error(response, 422, "validation_failed")
    assert "Idempotency-Key" in error["fields"], error
    assert Appeal.objects.count() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "长" * 5001}, "text"),
        ({"subject": ""}, "subject"),
        ({"subject": "标" * 101}, "subject"),
        ({"appeal_type": "praise"}, "appeal_type"),
        ({"category_code": "999999"}, "category_code"),
        ({"category_code": "abc"}, "category_code"),
        ({"latitude": 91}, "latitude"),
        ({"longitude": "东经"}, "longitude"),
        ({"caller_phone": "12345"}, "caller_phone"),
        ({"region_code": "210599999999"}, "region_code"),
        ({"text": "电梯坏了\u0000请修理一下"}, "text"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(change: dict[str, Any], field: str) -> None:
    before = Appeal.objects.count()
    response = post(bearer_client("hanxue"), f"{API}/appeals", body(**change), "bad-input-1")
    error = assert_error(response, 422, "validation_failed")
    assert field in error["fields"], error
    assert Appeal.objects.count() == before


def test_a_body_that_does_not_parse_is_400() -> None:
    response = bearer_client("hanxue").post(
        f"{API}/appeals", data="{not json", content_type="application/json", headers={"Idempotency-Key": "k1"}
    )
    assert_error(response, 400)


def test_only_citizens_and_the_intake_desk_may_file() -> None:
    before = Appeal.objects.count()
    assert_error(post(bearer_client("liguoqiang"), f"{API}/appeals", body(), "liaison-1"), 403, "forbidden")
    assert Appeal.objects.count() == before
    citizen = bearer_client("chenhaoran")
    mine = post(citizen, f"{API}/appeals", body(caller_name="陈浩然", caller_phone="18900006438"), "my-phone-1")
    assert mine.status_code == 201
    number = mine.json()["number"]
    assert Appeal.objects.get(number=number).caller_user.username == "chenhaoran"  # type: ignore[union-attr]
    assert [a["number"] for a in citizen.get(f"{API}/appeals").json()] == [number]
    own = citizen.get(f"{API}/appeals/{number}").json()
    assert own["suggestions"] == [] and own["similar_appeals"] == [] and own["routing_confidence"] is None
    stranger = bearer_client("yangting")
    assert_error(stranger.get(f"{API}/appeals/{number}"), 404, "not_found")
    assert number not in {a["number"] for a in stranger.get(f"{API}/appeals").json()}


def test_anonymous_calls_are_401() -> None:
    assert_error(Client().get(f"{API}/appeals"), 401, "unauthenticated")
    assert_error(post(Client(), f"{API}/appeals", body(), "anon-1"), 401, "unauthenticated")


# --- reads ------------------------------------------------------------------------------------------------


def test_lists_are_scoped_and_filtered() -> None:
    housing = file_appeal("scope-1")
    school = file_appeal(
        "scope-2",
        subject="学区划片不合理",
        text="孩子今年小学入学被划到很远的学校，希望教育局调整学区划片，方便孩子就近入学。",
        category_code=category(EDUCATION).code,
    )
    seen = {
        username: {a["number"] for a in bearer_client(username).get(f"{API}/appeals?limit=500").json()}
        for username in ("liguoqiang", "qianli", "wangshuang", "zhoupeng")
    }
    assert housing["number"] in seen["liguoqiang"] and school["number"] not in seen["liguoqiang"]
    assert school["number"] in seen["qianli"] and housing["number"] not in seen["qianli"]
    assert not {housing["number"], school["number"]} & seen["wangshuang"]
    assert {housing["number"], school["number"]} <= seen["zhoupeng"]
    dispatcher = bearer_client("zhoupeng")
    education = dispatcher.get(f"{API}/appeals", {"category_code": category(EDUCATION).code[:2], "limit": "500"}).json()
    assert school["number"] in {a["number"] for a in education}
    assert all(a["category_l1"] == "教育文体" for a in education)
    signed = dispatcher.get(f"{API}/appeals", {"status": "signed", "limit": "500"}).json()
    assert all(a["status"] == "signed" for a in signed) and housing["number"] not in {a["number"] for a in signed}
    assert_error(dispatcher.get(f"{API}/appeals", {"status": "nonsense"}), 422, "validation_failed")
    reversed_dates = {"created_from": "2026-06-02", "created_to": "2026-06-01"}
    assert_error(dispatcher.get(f"{API}/appeals", reversed_dates), 422, "validation_failed")


def test_detail_out_of_scope_is_the_same_404_as_missing() -> None:
    housing = file_appeal("detail-1")
    assert bearer_client("liguoqiang").get(f"{API}/appeals/{housing['number']}").status_code == 200
    assert_error(bearer_client("qianli").get(f"{API}/appeals/{housing['number']}"), 404, "not_found")
    assert_error(bearer_client("qianli").get(f"{API}/appeals/RX20000101999999"), 404, "not_found")
    assert_error(bearer_client("qianli").get(f"{API}/appeals/not-a-number"), 422, "validation_failed")


def test_a_confidential_caller_is_hidden_from_the_department() -> None:
    appeal = file_appeal("secret-1", confidential=True)
    handler = bearer_client("liguoqiang").get(f"{API}/appeals/{appeal['number']}")
    assert handler.json()["caller"]["hidden"] is True
    assert "刘" not in json.dumps(handler.json()["caller"], ensure_ascii=False)
    assert "138" not in handler.content.decode()
    centre = bearer_client("zhoupeng").get(f"{API}/appeals/{appeal['number']}").json()
    assert centre["caller"] == {"name": "刘*珍", "phone": "138****2786", "hidden": False}


# --- the loop -----------------------------------------------------------------------------------------------


@pytest.fixture
def queued(settings: Any) -> str:
    settings.HOTLINE_ROUTING_THRESHOLD = 1.01  # the model is never sure enough: a dispatcher decides
    return str(file_appeal("queued-1", category_code="")["number"])


def test_the_whole_loop_through_the_api(queued: str) -> None:
    assert_error(act("liguoqiang", queued, action="dispatch", department_code="zjj"), 404)  # not theirs yet
    dispatched = act("zhoupeng", queued, action="dispatch", department_code="zjj", category_code=category(HOUSING).code)
    assert dispatched.status_code == 200, dispatched.content.decode()
    assert dispatched.json()["status"] == "dispatched" and dispatched.json()["handler_region_name"] == "平山街道"
    assert_error(act("liguoqiang", queued, action="dispatch", department_code="jyj"), 403, "forbidden")
    signed = act("liguoqiang", queued, action="sign")
    assert signed.json()["status"] == "signed" and signed.json()["reply_due_at"]
    assert_error(act("liguoqiang", queued, action="sign"), 409, "conflict")
    assert_error(act("liguoqiang", queued, action="request_extension", reason="需要协调"), 422, "validation_failed")
    extension = act("liguoqiang", queued, action="request_extension", working_days=3, reason="需协调多个部门联合处置")
    assert extension.json()["extensions"][0]["status"] == "pending"
    assert_error(act("liguoqiang", queued, action="decide_extension", approve=True), 403, "forbidden")
    due = extension.json()["reply_due_at"]
    approved = act("zhoupeng", queued, action="decide_extension", approve=True)
    assert approved.json()["extensions"][0]["status"] == "approved" and approved.json()["reply_due_at"] > due
    assert_error(act("zhoupeng", queued, action="decide_extension", approve=True), 409, "conflict")
    assert_error(act("zhoupeng", queued, action="escalate"), 422, "validation_failed")
    assert act("zhoupeng", queued, action="escalate", note="请尽快办理").json()["escalated_at"]
    assert_error(act("hanxue", queued, action="callback", result="satisfied"), 409, "conflict")  # no reply yet
    replied = act("liguoqiang", queued, action="reply", text="已约谈物业公司，电梯已于今日修复并通过检验。")
    assert replied.json()["status"] == "replied" and replied.json()["callbacks"][0]["result"] == ""
    assert_error(act("liguoqiang", queued, action="callback", result="satisfied"), 403, "forbidden")
    closed = act("hanxue", queued, action="callback", result="satisfied", comment="满意")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    events = [e["action"] for e in closed.json()["events"]]
    assert events[:3] == ["received", "dispatched", "signed"] and events[-1] == "closed"
    assert {"extension_requested", "extension_approved", "escalated", "replied"} <= set(events)
    assert_no_caller(closed.content)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"action": "dispatch"}, "department_code"),
        ({"action": "dispatch", "department_code": "nobody"}, "department_code"),
        ({"action": "dispatch", "department_code": "zjj", "category_code": "999999"}, "category_code"),
        (
            {"action": "dispatch", "department_code": "zjj", "handler_region_code": "210599999999"},
            "handler_region_code",
        ),
        ({"action": "fly"}, "action"),
        ({"action": "merge"}, "duplicates"),
        ({"action": "merge", "duplicates": ["RX20000101999999"]}, "duplicates"),
        ({"action": "decide_extension"}, "approve"),
        ({"action": "callback"}, "result"),
        ({"action": "callback", "result": "angry"}, "result"),
        ({"action": "escalate", "note": "督" * 2001}, "note"),
    ],
)
def test_a_step_without_what_it_needs_is_422(queued: str, payload: dict[str, Any], field: str) -> None:
    before = Appeal.objects.get(number=queued).status
    error = assert_error(act("zhoupeng", queued, **payload), 422, "validation_failed")
    assert field in error["fields"], error
    assert Appeal.objects.get(number=queued).status == before


def test_return_takes_it_out_of_the_department(queued: str) -> None:
    act("zhoupeng", queued, action="dispatch", department_code="zjj")
    assert_error(act("liguoqiang", queued, action="return"), 422, "validation_failed")
    returned = act("liguoqiang", queued, action="return", reason="不属于本部门职责，应由城管部门处理")
    assert returned.status_code == 200
    assert returned.json()["status"] == "received" and returned.json()["needs_dispatcher"] is True
    assert_error(bearer_client("liguoqiang").get(f"{API}/appeals/{queued}"), 404, "not_found")


def test_merge_through_the_api(queued: str) -> None:
    master = file_appeal("master-1")["number"]
    merged = act("zhoupeng", master, action="merge", duplicates=[queued])
    assert merged.status_code == 200, merged.content.decode()
    assert "merge_master" in [e["action"] for e in merged.json()["events"]]
    duplicate = bearer_client("zhoupeng").get(f"{API}/appeals/{queued}").json()
    assert duplicate["status"] == AppealStatus.MERGED and duplicate["master_number"] == master
    assert_error(act("liguoqiang", master, action="merge", duplicates=[queued]), 403, "forbidden")
