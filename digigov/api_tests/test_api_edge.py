"""The API's edge refuses what its document forbids and takes what it allows (issue 9, point 6).

Each test here names a mismatch the outside probe or the property run (test_api_properties.py) found:
a body that is not an object taken for an empty one, `true` taken for the integer 1, unknown fields silently
dropped, a number taken for a date, and constraints the code checked but the document did not say (control
characters, the shape of 身份证号, mobile numbers and codes, a required Idempotency-Key).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from config.api import api
from digigov.identity.models import User
from digigov.identity.tests.factories import bearer, bearer_client, staff_member
from digigov.identity.tests.test_api import assert_error
from digigov.onestop.models import Application, ApplicationStatus, ServiceItem
from digigov.onestop.tests.factories import PDF, draft_with_materials

pytestmark = pytest.mark.django_db

MATERNITY = "210500-YBJ-JF-0003"  # 生育津贴申领: no mandatory materials
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def post_json(client: Client, url: str, data: Any, **extra: Any) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json", **extra)


def _document() -> dict[str, Any]:
    return api.get_openapi_schema()


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _json_bodies() -> list[tuple[str, dict[str, Any]]]:
    document = _document()
    found = []
    for route, methods in document["paths"].items():
        for method, spec in methods.items():
            content = spec.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                found.append((f"{method.upper()} {route}", _resolve(document, content["application/json"]["schema"])))
    return found


def _parameter(method: str, route: str, name: str) -> dict[str, Any]:
    spec = _document()["paths"][route][method]
    return next(p for p in spec["parameters"] if p["name"] == name)


def _body_property(method: str, route: str, name: str, media: str = "application/json") -> dict[str, Any]:
    document = _document()
    schema = document["paths"][route][method]["requestBody"]["content"][media]["schema"]
    return _resolve(document, schema)["properties"][name]


def _own_draft() -> Application:
    citizen = User.objects.get(username="chenhaoran")
    return draft_with_materials(citizen, ServiceItem.objects.get(code=MATERNITY))


# --- a body is an object with the declared fields, of the declared types ---------------------------------


def test_every_json_body_is_a_closed_object_in_the_document() -> None:
    bodies = _json_bodies()
    assert len(bodies) >= 10
    open_bodies = [where for where, schema in bodies if schema.get("additionalProperties") is not False]
    assert not open_bodies, f"bodies that allow unknown fields: {open_bodies}"


@pytest.mark.parametrize("not_an_object", [[None, None], [], 5, "撤回", None])
def test_withdraw_refuses_a_body_that_is_not_an_object(not_an_object: Any) -> None:
    """The probe withdrew an application with the body [null, null]: it was read as an empty object."""
    draft = _own_draft()
    url = f"/api/v1/services/applications/{draft.pk}/withdraw"
    body = assert_error(post_json(Client(headers=bearer("chenhaoran")), url, not_an_object), 422, "validation_failed")
    assert body["fields"] == {"body": "应为 JSON 对象"}, body
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_staff_patch_refuses_a_list_body() -> None:
    colleague = staff_member(department_code="zwfwzx", region_code="210500000000", title="科员")
    url = f"/api/v1/staff/{colleague.pk}"
    response = bearer_client("zhangjianguo").patch(url, data="[null, null]", content_type="application/json")
    assert_error(response, 422, "validation_failed")


def test_unknown_fields_are_refused_not_dropped() -> None:
    """A misspelt field ("valid_dayz") used to be dropped silently and the token made with the default."""
    response = post_json(bearer_client("chenhaoran"), "/api/v1/tokens", {"name": "对接", "valid_dayz": 7})
    body = assert_error(response, 422, "validation_failed")
    assert body["fields"] == {"valid_dayz": "不允许的字段"}, body


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "对接", "valid_days": True}, "valid_days"),  # was taken for 1 day
        ({"name": "对接", "valid_days": "30"}, "valid_days"),  # was taken for 30
        ({"name": 12345}, "name"),
    ],
)
def test_json_types_are_not_coerced(payload: dict[str, Any], field: str) -> None:
    body = assert_error(post_json(bearer_client("chenhaoran"), "/api/v1/tokens", payload), 422, "validation_failed")
    assert field in body["fields"], body


def test_an_integral_json_number_is_an_integer() -> None:
    """JSON Schema's integer includes 30.0; 30.5 is not one."""
    client = bearer_client("chenhaoran")
    assert post_json(client, "/api/v1/tokens", {"name": "对接", "valid_days": 30.0}).status_code == 201
    assert_error(post_json(client, "/api/v1/tokens", {"name": "对接", "valid_days": 30.5}), 422, "validation_failed")


# --- dates are YYYY-MM-DD ---------------------------------------------------------------------------------
# (pydantic alone reads a whole day of seconds as a Unix timestamp: `0` was 1970-01-01, `1700006400` 2023-11-15)


@pytest.mark.parametrize(
    ("username", "url", "parameter"),
    [
        ("zhangjianguo", "/api/v1/services/statistics", "date_from"),
        ("zhoupeng", "/api/v1/hotline/appeals", "created_from"),
    ],
)
@pytest.mark.parametrize("value", ["0", "1700006400", "2026-01-01T00:00:00", "20260101", "2026-1-1"])
def test_a_date_parameter_refuses_anything_but_yyyy_mm_dd(username: str, url: str, parameter: str, value: str) -> None:
    body = assert_error(bearer_client(username).get(url, {parameter: value}), 422, "validation_failed")
    assert parameter in body["fields"], body
    assert bearer_client(username).get(url, {parameter: "2026-01-01"}).status_code == 200


# --- the document says what the edge checks ---------------------------------------------------------------


def _strings(schema: dict[str, Any]) -> list[dict[str, Any]]:
    branches = schema.get("anyOf", [schema])
    strings = [b for b in branches if b.get("type") == "string"]
    for branch in branches:
        if branch.get("type") == "array" and branch.get("items", {}).get("type") == "string":
            strings.append(branch["items"])
    return strings


def test_every_text_field_of_a_body_says_which_characters_it_takes() -> None:
    """The edge refuses control characters in every text field; the document says so with a pattern (or the
    field's own stricter pattern or enum), so a generated client does not send what will be refused."""
    unsaid = []
    checked = 0
    for where, schema in _json_bodies():
        for name, prop in schema.get("properties", {}).items():
            for string in _strings(prop):
                checked += 1
                if "enum" in string or "const" in string:
                    continue
                pattern = string.get("pattern")
                if pattern is None or re.search(pattern, "a\x00b") or re.search(pattern, "a\x1bb"):
                    unsaid.append(f"{where} {name}")
    assert checked >= 30
    assert not unsaid, "text fields whose pattern does not refuse control characters:\n" + "\n".join(unsaid)


def test_control_characters_are_refused_as_the_document_says() -> None:
    pattern = _body_property("post", "/api/v1/tokens", "name")["pattern"]
    for text in ("对接\x00", "对接\x1b[31m", "对接\x7f"):
        assert not re.search(pattern, text)
        response = post_json(bearer_client("chenhaoran"), "/api/v1/tokens", {"name": text})
        assert assert_error(response, 422)["fields"] == {"name": "不能包含控制字符"}
    for text in ("对接\t一", "对接\n二"):  # tab and line breaks are text
        assert re.search(pattern, text)
        assert post_json(bearer_client("chenhaoran"), "/api/v1/tokens", {"name": text}).status_code == 201


@pytest.mark.parametrize(
    ("route", "field", "good", "bad"),
    [
        ("/api/v1/citizens", "id_number", "210502198809301533", "210502198813301533"),  # month 13
        ("/api/v1/citizens", "mobile", "+8618900006438", "12345678901"),
        ("/api/v1/enterprises", "uscc", "91210502MAQW141D2R", "91210502MAQW141D2I"),  # no I in GB 32100
        ("/api/v1/enterprises", "region_code", "210502001000", "21050200100A"),
        ("/api/v1/enterprises/{enterprise_id}/agents", "agent_mobile", "18900006438", "1890000643"),
        ("/api/v1/hotline/appeals", "caller_phone", "024-42861234", "+1 555 0100"),
    ],
)
def test_identifiers_have_their_shape_in_the_document(route: str, field: str, good: str, bad: str) -> None:
    pattern = _body_property("post", route, field).get("pattern")
    assert pattern is not None, f"{route} {field}: no pattern in the document"
    assert re.search(pattern, good) and not re.search(pattern, bad)


@pytest.mark.parametrize(
    ("id_number", "said"),
    [
        ("210502198813301533", "8位出生日期"),  # month 13: the pattern refuses it at the edge
        ("210502198802301533", "出生日期无效"),  # 30 February fits the pattern: the validator refuses it
    ],
)
def test_a_birth_date_that_is_no_date_is_a_declared_422_in_chinese(id_number: str, said: str) -> None:
    payload = {"real_name": "韩梅梅", "id_number": id_number, "mobile": "17700000001", "password": "x7#Kp2!qLz"}
    body = assert_error(post_json(Client(), "/api/v1/citizens", payload), 422, "validation_failed")
    assert said in body["fields"]["id_number"], body
    assert 422 in _document()["paths"]["/api/v1/citizens"]["post"]["responses"]


def test_appeal_text_and_subject_lengths_are_in_the_document() -> None:
    assert _body_property("post", "/api/v1/hotline/appeals", "text")["minLength"] == 5
    assert _body_property("post", "/api/v1/hotline/appeals", "subject")["minLength"] == 1


def test_form_data_size_is_in_the_document() -> None:
    for route in ("/api/v1/services/applications", "/api/v1/services/applications/{application_id}/resubmit"):
        assert _body_property("post", route, "form_data")["maxProperties"] == 200, route


@pytest.mark.parametrize("route", ["/api/v1/hotline/appeals", "/api/v1/services/bundle-applications"])
def test_an_always_required_idempotency_key_is_required_in_the_document(route: str) -> None:
    assert _parameter("post", route, "Idempotency-Key")["required"] is True


def test_a_missing_idempotency_key_is_named() -> None:
    response = post_json(bearer_client("chenhaoran"), "/api/v1/hotline/appeals", {"appeal_type": "help"})
    body = assert_error(response, 422, "validation_failed")
    assert body["fields"]["Idempotency-Key"] == "必填", body


def test_bundle_submission_parts_have_their_shape_in_the_document() -> None:
    route, media = "/api/v1/services/bundle-applications", "application/x-www-form-urlencoded"
    assert _body_property("post", route, "bundle_code", media)["pattern"]
    assert _body_property("post", route, "region_code", media)["pattern"] == r"^\d{12}$"
    # a form part is text or absent, never null: the document says integer, not integer-or-null
    assert _body_property("post", route, "enterprise_id", media)["type"] == "integer"


def test_a_material_upload_says_its_file_is_not_empty_and_its_material_id_is_an_id() -> None:
    route, media = "/api/v1/services/applications/{application_id}/materials", "multipart/form-data"
    assert _body_property("post", route, "file", media)["minLength"] == 1
    material_id = _body_property("post", route, "material_id", media)
    assert (material_id["minimum"], material_id["maximum"]) == (1, 2**63 - 1)


@pytest.mark.parametrize("material_id", [0, -150, 2**64])
def test_a_material_id_outside_the_id_range_is_refused_at_the_edge(material_id: int) -> None:
    draft = _own_draft()
    response = Client(headers=bearer("chenhaoran")).post(
        f"/api/v1/services/applications/{draft.pk}/materials",
        {"material_id": material_id, "file": SimpleUploadedFile("证明.pdf", PDF)},
    )
    body = assert_error(response, 422, "validation_failed")
    assert set(body["fields"]) == {"material_id"}, body
    assert body["message"] == "请求参数不正确", body  # the edge's answer, before any lookup


def test_bundle_submission_is_documented_as_multipart_with_its_files() -> None:
    """Its files (one part per material, named by the material) travel only in multipart/form-data, which the
    document did not mention: a client generated from it could not submit a 一件事 with materials."""
    route = "/api/v1/services/bundle-applications"
    content = _document()["paths"][route]["post"]["requestBody"]["content"]
    multipart = content["multipart/form-data"]["schema"]
    assert multipart["additionalProperties"]["format"] == "binary"
    urlencoded = content["application/x-www-form-urlencoded"]["schema"]
    assert multipart["required"] == urlencoded["required"]
    keys = ("type", "pattern", "minimum", "maximum", "maxLength")
    for name, prop in urlencoded["properties"].items():
        documented = {k: v for k, v in multipart["properties"][name].items() if k in keys}
        assert documented == {k: v for k, v in prop.items() if k in keys}, name
    assert set(multipart["properties"]) == set(urlencoded["properties"])
