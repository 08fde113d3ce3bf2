"""The 一网通办 API end to end: the public catalogue (Chinese search), the application lifecycle over HTTP,
idempotent submission (also under concurrency), structured 422s, scope (404 = missing), roles (403),
好差评, 一件事 and statistics; the worklist's query count does not grow with its length."""

from __future__ import annotations

import json
import re
import threading
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from digigov.core.api_errors import ErrorOut
from digigov.core.idempotency import key_digest
from digigov.core.models import AuditEntry, IdempotencyKey
from digigov.identity import demo_city
from digigov.identity.models import Region, User
from digigov.identity.tests.factories import bearer, bearer_client
from digigov.onestop.models import Application, ApplicationStatus, ServiceItem
from digigov.onestop.selectors import bundle_form_fields
from digigov.onestop.services import applications as svc
from digigov.onestop.tests.factories import PDF, SAMPLES, valid_form_data

pytestmark = pytest.mark.django_db

API = "/api/v1/services"
DOCTOR = "210500-WJW-XK-0003"  # 医师执业注册: 卫健委, person, 4 mandatory materials, no 秒批
MATERNITY = "210500-YBJ-JF-0003"  # 生育津贴申领: no mandatory materials, so it can be submitted in one call
DRAINAGE = "210500-ZJJ-XK-0004"  # 城镇污水排入排水管网许可: its guide speaks of 餐饮
PINGSHAN = "210502000000"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
CITIZENS = demo_city.citizen_index()


def post_json(client: Client, url: str, data: Any, **extra: Any) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json", **extra)


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    ErrorOut.model_validate(body)
    assert CHINESE.search(body["message"]), body
    if code is not None:
        assert body["code"] == code, body
    return body


def last_seq() -> int:
    entry = AuditEntry.objects.order_by("-id").first()
    return entry.id if entry else 0


def item(code: str) -> ServiceItem:
    return ServiceItem.objects.get(code=code)


def draft_body(code: str, **overrides: Any) -> dict[str, Any]:
    return {"item_code": code, "region_code": PINGSHAN, "form_data": valid_form_data(item(code)), **overrides}


def upload_all(client: Client, app_id: int, code: str) -> list[dict[str, Any]]:
    uploaded = []
    for material in item(code).materials.filter(mandatory=True):
        kind = next(t for t in material.file_types if t in SAMPLES)
        response = client.post(
            f"{API}/applications/{app_id}/materials",
            {"material_id": material.pk, "file": SimpleUploadedFile(f"{material.name}.{kind}", SAMPLES[kind])},
        )
        assert response.status_code == 201, response.content.decode()
        uploaded.append(response.json())
    return uploaded


def submitted_over_api(client: Client, code: str = DOCTOR) -> int:
    draft = post_json(client, f"{API}/applications", draft_body(code))
    assert draft.status_code == 201, draft.content.decode()
    app_id = draft.json()["id"]
    upload_all(client, app_id, code)
    response = client.post(f"{API}/applications/{app_id}/submit")
    assert response.status_code == 200, response.content.decode()
    return int(app_id)


def act(client: Client, app_id: int, action: str, **extra: str) -> Any:
    return post_json(client, f"{API}/applications/{app_id}/transitions", {"action": action, **extra})


# --- the public catalogue --------------------------------------------------------------------------------


def test_catalogue_search_in_chinese_finds_catering_items_by_word_not_substring() -> None:
    anonymous = Client()
    found = anonymous.get(f"{API}/items", {"q": "餐饮"})
    assert found.status_code == 200
    codes = [row["code"] for row in found.json()]
    assert DRAINAGE in codes
    for code in codes:
        assert " 餐饮 " in item(code).search_tokens
    # "营许" is a substring of every "经营许可" but not a word: segmentation does not match it
    assert ServiceItem.objects.filter(name__contains="营许").exists()
    assert anonymous.get(f"{API}/items", {"q": "营许"}).json() == []
    licences = anonymous.get(f"{API}/items", {"q": "食品经营"}).json()
    assert "210500-SCJG-XK-0005" in [row["code"] for row in licences]


def test_catalogue_filters_and_pages() -> None:
    anonymous = Client()
    health = anonymous.get(f"{API}/items", {"department": "wjw", "item_type": "licensing", "limit": 500}).json()
    assert health and all(r["department_code"] == "wjw" and r["item_type_label"] == "行政许可" for r in health)
    first_two = anonymous.get(f"{API}/items", {"limit": 2}).json()
    next_one = anonymous.get(f"{API}/items", {"limit": 1, "offset": 1}).json()
    assert len(first_two) == 2 and next_one[0]["code"] == first_two[1]["code"]
    body = assert_error(anonymous.get(f"{API}/items", {"item_type": "魔法", "limit": 0}), 422, "validation_failed")
    assert {"item_type", "limit"} <= set(body["fields"])


def test_item_guide_is_public_with_form_materials_fees_limits_and_regions() -> None:
    response = Client().get(f"{API}/items/{DOCTOR}")
    assert response.status_code == 200
    guide = response.json()
    doctor = item(DOCTOR)
    assert guide["name"] == doctor.name and guide["department_name"] == doctor.department.name
    assert guide["promised_days"] == doctor.promised_days and guide["statutory_days"] == doctor.statutory_days
    assert guide["fee"] == f"{doctor.fee:.2f}" and guide["legal_basis"] and guide["guide"]
    assert [f["name"] for f in guide["form_fields"]] == [f["name"] for f in doctor.form_fields]
    assert {m["name"] for m in guide["materials"]} == set(doctor.materials.values_list("name", flat=True))
    assert all(m["id"] and m["file_types"] for m in guide["materials"])
    assert guide["regions"] and all(re.fullmatch(r"\d{12}", r["code"]) for r in guide["regions"])
    missing = assert_error(Client().get(f"{API}/items/210500-XXX-XX-9999"), 404, "not_found")
    assert missing["message"] == "事项不存在或已停止办理"
    assert_error(Client().get(f"{API}/items/{'x' * 41}"), 422, "validation_failed")


def test_bundles_are_public_and_ask_each_shared_field_and_material_once() -> None:
    listed = Client().get(f"{API}/bundles").json()
    assert len(listed) >= 5 and "kaiban-canyindian" in [b["code"] for b in listed]
    bundle = Client().get(f"{API}/bundles/kaiban-canyindian").json()
    assert len(bundle["items"]) == 4
    names = [f["name"] for f in bundle["form_fields"]]
    materials = [m["name"] for m in bundle["materials"]]
    assert len(names) == len(set(names)) and len(materials) == len(set(materials))
    own_fields = sum(len(item(i["code"]).form_fields) for i in bundle["items"])
    assert len(names) < own_fields  # the shared ones (name, address, ...) are asked once
    assert_error(Client().get(f"{API}/bundles/no-such-bundle"), 404, "not_found")


# --- the lifecycle over the API --------------------------------------------------------------------------


def test_draft_upload_submit_transitions_complete_and_rate_over_the_api() -> None:
    citizen, clerk, head = bearer_client("chenhaoran"), bearer_client("fengxue"), bearer_client("helijuan")
    draft = post_json(citizen, f"{API}/applications", draft_body(DOCTOR))
    assert draft.status_code == 201, draft.content.decode()
    assert draft.json()["status"] == "draft" and draft.json()["holder"] == "申请人"
    app_id = draft.json()["id"]
    early = citizen.post(f"{API}/applications/{app_id}/submit")
    assert "materials" in assert_error(early, 422, "validation_failed")["fields"]

    uploaded = upload_all(citizen, app_id, DOCTOR)
    assert all(len(u["sm3"]) == 64 and u["size"] == len(PDF) for u in uploaded if u["file_name"].endswith(".pdf"))
    submitted = citizen.post(f"{API}/applications/{app_id}/submit").json()
    assert submitted["status"] == "submitted" and submitted["number"].startswith("BX")
    assert submitted["holder"] == "政务服务受理窗口"

    assert act(clerk, app_id, "accept").status_code == 200
    accepted = citizen.get(f"{API}/applications/{app_id}").json()
    assert accepted["due_date"] and accepted["deadline_flag"] in ("green", "yellow")
    assert accepted["holder"] == item(DOCTOR).department.name
    assert act(head, app_id, "start_review").status_code == 200
    assert act(head, app_id, "approve", comment="材料齐全，符合条件").status_code == 200
    premature = post_json(citizen, f"{API}/applications/{app_id}/rating", {**dict.fromkeys(SCORES, 5)})
    assert_error(premature, 409, "conflict")
    done = act(head, app_id, "complete")
    assert done.status_code == 200 and done.json()["status"] == "completed" and done.json()["holder"] is None

    rated = post_json(
        citizen, f"{API}/applications/{app_id}/rating", {**dict.fromkeys(SCORES, 5), "comment": "办事很快"}
    )
    assert rated.status_code == 201, rated.content.decode()
    assert rated.json()["overall"] == 5 and rated.json()["rectification_opened"] is False
    again = post_json(citizen, f"{API}/applications/{app_id}/rating", dict.fromkeys(SCORES, 4))
    assert_error(again, 409, "conflict")

    detail = citizen.get(f"{API}/applications/{app_id}")
    text = detail.content.decode()
    detail_body = detail.json()
    assert [(h["from_status"], h["to_status"]) for h in detail_body["history"]] == [
        ("draft", "submitted"),
        ("submitted", "accepted"),
        ("accepted", "under_review"),
        ("under_review", "approved"),
        ("approved", "completed"),
    ]
    assert [h["actor"] for h in detail_body["history"]] == ["陈浩然", "冯雪", "何丽娟", "何丽娟", "何丽娟"]
    assert detail_body["history"][3]["comment"] == "材料齐全，符合条件"
    assert detail_body["rating"]["comment"] == "办事很快"
    assert len(detail_body["materials"]) == len(uploaded)
    assert "applications/" not in text and "media" not in text  # never the storage path
    seed = CITIZENS["chenhaoran"]
    assert seed.id_number not in text and seed.mobile not in text
    assert detail_body["applicant"]["name_masked"] == "陈*然"


SCORES = ("efficiency", "guide_accuracy", "convenience", "usability")


def test_personal_form_values_are_masked_in_the_detail() -> None:
    seal = "210500-GAJ-QT-0008"  # 公章刻制备案: no mandatory materials, a mobile field
    citizen = bearer_client("chenhaoran")
    body = {**draft_body(seal), "submit": True}
    created = post_json(citizen, f"{API}/applications", body, headers={"Idempotency-Key": "seal-1"})
    assert created.status_code == 201, created.content.decode()
    app_id = created.json()["id"]
    mobiles = {k: v for k, v in Application.objects.get(pk=app_id).form_data.items() if v == "13904140001"}
    assert mobiles, "the form carries a mobile"
    for client in (citizen, bearer_client("fengxue")):
        detail = client.get(f"{API}/applications/{app_id}")
        assert "13904140001" not in detail.content.decode()
        assert {detail.json()["form_data"][k] for k in mobiles} == {"139****0001"}


def test_correction_resubmit_and_withdraw() -> None:
    citizen, clerk = bearer_client("chenhaoran"), bearer_client("fengxue")
    app_id = submitted_over_api(citizen)
    short = act(clerk, app_id, "request_correction", reason="短")
    assert "reason" in assert_error(short, 422, "validation_failed")["fields"]
    corrected = act(clerk, app_id, "request_correction", reason="请补充执业地点的详细门牌号")
    assert corrected.json()["status"] == "correction" and corrected.json()["holder"] == "申请人"
    form = valid_form_data(item(DOCTOR))
    resubmitted = post_json(citizen, f"{API}/applications/{app_id}/resubmit", {"form_data": form})
    assert resubmitted.status_code == 200 and resubmitted.json()["status"] == "submitted"
    withdrawn = post_json(citizen, f"{API}/applications/{app_id}/withdraw", {"reason": "信息填错，重新申请"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert_error(post_json(citizen, f"{API}/applications/{app_id}/withdraw", {}), 409, "conflict")


def test_material_upload_checks_type_owner_and_state() -> None:
    citizen = bearer_client("chenhaoran")
    app_id = post_json(citizen, f"{API}/applications", draft_body(DOCTOR)).json()["id"]
    material = next(m for m in item(DOCTOR).materials.all() if "pdf" in m.file_types)
    url = f"{API}/applications/{app_id}/materials"
    fake = citizen.post(url, {"material_id": material.pk, "file": SimpleUploadedFile("证明.pdf", b"MZ\x90\x00")})
    assert "file" in assert_error(fake, 422, "validation_failed")["fields"]
    foreign = item(MATERNITY).materials.first() or ServiceItem.objects.exclude(code=DOCTOR).first().materials.first()
    other = citizen.post(url, {"material_id": foreign.pk, "file": SimpleUploadedFile("证明.pdf", PDF)})
    assert "material_id" in assert_error(other, 422, "validation_failed")["fields"]
    assert "file" in assert_error(citizen.post(url, {"material_id": material.pk}), 422)["fields"]
    assert not Application.objects.get(pk=app_id).materials.exists()
    stranger = bearer_client("yangting").post(
        url, {"material_id": material.pk, "file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert_error(stranger, 404, "not_found")


# --- idempotency -----------------------------------------------------------------------------------------


def test_same_idempotency_key_twice_creates_one_application_and_replays_200() -> None:
    citizen = bearer_client("chenhaoran")
    body = {**draft_body(MATERNITY), "submit": True}
    first = post_json(citizen, f"{API}/applications", body, headers={"Idempotency-Key": "retry-7f3a_01"})
    assert first.status_code == 201, first.content.decode()
    assert first.json()["status"] != "draft"
    replay = post_json(citizen, f"{API}/applications", body, headers={"Idempotency-Key": "retry-7f3a_01"})
    assert replay.status_code == 200 and replay.json()["id"] == first.json()["id"]
    owner = User.objects.get(username="chenhaoran")
    assert Application.objects.filter(applicant=owner, item__code=MATERNITY).count() == 1

    changed = {**body, "form_data": {**body["form_data"], "remark": "不同的请求"}}
    conflict = post_json(citizen, f"{API}/applications", changed, headers={"Idempotency-Key": "retry-7f3a_01"})
    assert_error(conflict, 409, "conflict")
    assert Application.objects.filter(applicant=owner, item__code=MATERNITY).count() == 1
    # keys are per user: another citizen's identical key is a different submission
    other = post_json(
        bearer_client("yangting"), f"{API}/applications", body, headers={"Idempotency-Key": "retry-7f3a_01"}
    )
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


def test_a_replay_answers_with_the_body_the_first_request_got() -> None:
    """The stored answer, not the application as it is now: withdrawn since, the replay still shows what the
    first request was told."""
    citizen = bearer_client("chenhaoran")
    body = {**draft_body(MATERNITY), "submit": True}
    first = post_json(citizen, f"{API}/applications", body, headers={"Idempotency-Key": "stored-answer-1"})
    assert first.status_code == 201, first.content.decode()
    app = Application.objects.get(pk=first.json()["id"])
    svc.application_withdraw(actor=User.objects.get(username="chenhaoran"), application=app, reason="不需要了")
    replay = post_json(citizen, f"{API}/applications", body, headers={"Idempotency-Key": "stored-answer-1"})
    assert replay.status_code == 200 and replay.json() == first.json()
    assert replay.json()["status"] != "withdrawn"
    now = citizen.get(f"{API}/applications/{app.pk}")
    assert now.status_code == 200 and now.json()["status"] == "withdrawn"


@pytest.mark.parametrize(
    ("headers", "field"),
    [
        ({}, "Idempotency-Key"),
        ({"Idempotency-Key": "空格 不行"}, "Idempotency-Key"),
        ({"Idempotency-Key": "k" * 81}, "Idempotency-Key"),
    ],
)
def test_submission_needs_a_well_formed_idempotency_key(headers: dict[str, str], field: str) -> None:
    before = Application.objects.count()
    response = post_json(
        bearer_client("chenhaoran"), f"{API}/applications", {**draft_body(MATERNITY), "submit": True}, headers=headers
    )
    body = assert_error(response, 422, "validation_failed")
    assert any(field.lower() in key.lower() for key in body["fields"]), body
    assert Application.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_concurrent_replays_still_create_one_application(demo_city: None) -> None:
    headers = bearer("chenhaoran")
    body = json.dumps({**draft_body(MATERNITY), "submit": True})
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    ids: list[int] = []

    def submit() -> None:
        try:
            client = Client(headers={**headers, "Idempotency-Key": "double-click-42"})
            barrier.wait()
            response = client.post(f"{API}/applications", data=body, content_type="application/json")
            statuses.append(response.status_code)
            ids.append(response.json().get("id", 0))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 201], statuses
    assert ids[0] == ids[1]
    owner = User.objects.get(username="chenhaoran")
    assert Application.objects.filter(applicant=owner, item__code=MATERNITY).count() == 1
    assert (
        IdempotencyKey.objects.filter(client=f"user:{owner.pk}", key_digest=key_digest("double-click-42")).count() == 1
    )


# --- bad input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"region_code": "21050"}, "region_code"),
        ({"region_code": "999999999999"}, "region_code"),
        ({"item_code": "210500-NO-SUCH-1"}, "item_code"),
        ({"item_code": "210500\x00WJW"}, "item_code"),
        ({"form_data": "不是对象"}, "form_data"),
        ({"form_data": {"id_number": "123"}}, "form_data.id_number"),
        ({"form_data": {"no_such_field": "x"}}, "form_data.no_such_field"),
        ({"enterprise_id": 0}, "enterprise_id"),
        ({"submit": "也许"}, "submit"),
    ],
)
def test_bad_input_is_a_structured_422_in_chinese_and_writes_nothing(change: dict[str, Any], field: str) -> None:
    client = bearer_client("chenhaoran")
    before, seq = Application.objects.count(), last_seq()
    response = post_json(client, f"{API}/applications", {**draft_body(DOCTOR), **change})
    body = assert_error(response, 422, "validation_failed")
    assert field in body["fields"], body
    assert all(CHINESE.search(reason) for reason in body["fields"].values()), body
    assert Application.objects.count() == before and last_seq() == seq


def test_malformed_json_is_400_and_control_characters_in_a_reason_are_422() -> None:
    client = bearer_client("chenhaoran")
    broken = client.post(f"{API}/applications", data="{not json", content_type="application/json")
    assert_error(broken, 400, "malformed_request")
    app_id = post_json(client, f"{API}/applications", draft_body(DOCTOR)).json()["id"]
    bad = post_json(client, f"{API}/applications/{app_id}/withdraw", {"reason": "撤回\x07"})
    assert assert_error(bad, 422)["fields"] == {"reason": "不能包含控制字符"}


# --- scope and roles -------------------------------------------------------------------------------------


def test_another_citizens_application_and_out_of_scope_staff_look_missing() -> None:
    app_id = submitted_over_api(bearer_client("chenhaoran"))
    missing = bearer_client("yangting").get(f"{API}/applications/999999999")
    assert_error(missing, 404, "not_found")
    for outsider in ("yangting", "sujianping", "lizhigang"):  # another citizen; street clerk; 公安局 head
        client = bearer_client(outsider)
        foreign = client.get(f"{API}/applications/{app_id}")
        assert foreign.status_code == 404 and foreign.json() == missing.json(), outsider
        assert act(client, app_id, "accept").json() == missing.json()
        assert app_id not in [a["id"] for a in client.get(f"{API}/applications").json()]
    assert Application.objects.get(pk=app_id).status == ApplicationStatus.SUBMITTED


def test_wrong_action_for_the_role_is_403_and_wrong_state_is_409() -> None:
    citizen = bearer_client("chenhaoran")
    app_id = submitted_over_api(citizen)
    head, clerk = bearer_client("helijuan"), bearer_client("fengxue")
    assert_error(act(head, app_id, "accept"), 403, "forbidden")  # the department decides, the window accepts
    assert_error(act(citizen, app_id, "accept"), 403, "forbidden")
    assert_error(act(clerk, app_id, "approve"), 403, "forbidden")
    assert_error(head.post(f"{API}/applications/{app_id}/withdraw", data="{}", content_type="application/json"), 403)
    assert_error(act(head, app_id, "start_review"), 409, "conflict")  # not accepted yet
    assert act(clerk, app_id, "accept").status_code == 200
    assert_error(act(bearer_client("caolei"), app_id, "accept"), 409, "conflict")
    bad_action = act(clerk, app_id, "teleport")
    assert "action" in assert_error(bad_action, 422)["fields"]


def test_worklist_filters_and_is_scoped() -> None:
    app_id = submitted_over_api(bearer_client("chenhaoran"))
    clerk = bearer_client("fengxue")
    rows = clerk.get(f"{API}/applications", {"status": "submitted", "item_code": DOCTOR, "region_code": "210500000000"})
    assert app_id in [r["id"] for r in rows.json()]
    assert all(r["status"] == "submitted" for r in rows.json())
    assert clerk.get(f"{API}/applications", {"status": "completed", "item_code": DOCTOR}).json() == [] or all(
        r["status"] == "completed" for r in clerk.get(f"{API}/applications", {"status": "completed"}).json()
    )
    assert app_id not in [r["id"] for r in clerk.get(f"{API}/applications", {"deadline_flag": "red"}).json()]
    mine = bearer_client("chenhaoran").get(f"{API}/applications").json()
    assert [r["id"] for r in mine][:1] == [app_id] and mine[0]["applicant_name_masked"] == "陈*然"
    assert_error(clerk.get(f"{API}/applications", {"status": "lost"}), 422, "validation_failed")


def _list_queries(client: Client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{API}/applications", {"limit": 100})
    assert response.status_code == 200
    return len(captured), len(response.json())


def test_list_query_count_does_not_grow_with_the_number_of_applications() -> None:
    owner = User.objects.get(username="zhaoyu")
    maternity = item(MATERNITY)
    region = Region.objects.get(code=PINGSHAN)
    form = valid_form_data(maternity)
    citizen, clerk = bearer_client("zhaoyu"), bearer_client("caolei")
    svc.application_submit_new(actor=owner, item=maternity, region=region, form_data=form, idempotency_key="n-0")
    _list_queries(citizen), _list_queries(clerk)  # warm up: a token's first use records its last use
    one_citizen, n1 = _list_queries(citizen)
    one_staff, _ = _list_queries(clerk)
    for n in range(1, 50):
        svc.application_submit_new(actor=owner, item=maternity, region=region, form_data=form, idempotency_key=f"n-{n}")
    many_citizen, n50 = _list_queries(citizen)
    many_staff, staff_rows = _list_queries(clerk)
    assert (n1, n50) == (1, 50) and staff_rows >= 50
    assert many_citizen == one_citizen and many_staff == one_staff
    assert many_staff <= 6, many_staff


# --- 一件事 and statistics --------------------------------------------------------------------------------


def test_bundle_submission_over_multipart_is_idempotent() -> None:
    from digigov.onestop.selectors import bundle_get, bundle_materials

    bundle = bundle_get("kaiban-canyindian")
    form = valid_form_data(SimpleNamespace(form_fields=[f.to_dict() for f in bundle_form_fields(bundle)]))
    region = next(iter(bundle.bundle_items.get(position=1).item.regions.all())).code
    files = {}
    for material in bundle_materials(bundle):
        if material.mandatory:
            kind = next(t for t in material.file_types if t in SAMPLES)
            files[material.name] = (f"{material.name}.{kind}", SAMPLES[kind])

    def post(key: str, form_data: dict[str, Any]) -> Any:
        data: dict[str, Any] = {"bundle_code": bundle.code, "region_code": region, "form_data": json.dumps(form_data)}
        data.update({name: SimpleUploadedFile(fname, content) for name, (fname, content) in files.items()})
        return bearer_client("chenhaoran").post(f"{API}/bundle-applications", data, headers={"Idempotency-Key": key})

    first = post("bundle-1", form)
    assert first.status_code == 201, first.content.decode()
    body = first.json()
    assert body["number"].startswith("YJS") and len(body["children"]) == 4
    replay = post("bundle-1", form)
    assert replay.status_code == 200 and replay.json()["id"] == body["id"]
    assert_error(post("bundle-1", {**form, "extra": "x"}), 409, "conflict")
    progress = bearer_client("chenhaoran").get(f"{API}/bundle-applications/{body['id']}")
    assert progress.status_code == 200 and progress.json()["bundle_code"] == "kaiban-canyindian"
    assert_error(bearer_client("yangting").get(f"{API}/bundle-applications/{body['id']}"), 404, "not_found")
    files.pop(next(iter(files)))
    incomplete = post("bundle-2", form)
    assert "materials" in assert_error(incomplete, 422, "validation_failed")["fields"]


def test_statistics_for_the_mayor_only() -> None:
    response = bearer_client("zhangjianguo").get(f"{API}/statistics")
    assert response.status_code == 200, response.content.decode()
    figures = response.json()
    assert {"online_ratio", "on_time_rate", "average_handling_days", "satisfaction_by_department"} <= set(figures)
    assert_error(bearer_client("chenhaoran").get(f"{API}/statistics"), 403, "forbidden")
    reversed_period = bearer_client("zhangjianguo").get(
        f"{API}/statistics", {"date_from": "2026-06-01", "date_to": "2026-01-01"}
    )
    assert_error(reversed_period, 422, "validation_failed")
