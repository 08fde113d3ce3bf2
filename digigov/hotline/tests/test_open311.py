"""Open311 GeoReport v2 at /open311/v2/ (issue 4 points 8 and 10): discovery, services, service definitions,
POST requests with an API key, GET requests and tokens, in JSON and XML; bad input and replays; privacy."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digigov.core.crypto import sm3_hex
from digigov.core.models import AuditEntry
from digigov.core.policy import SYSTEM
from digigov.hotline.models import Appeal, AppealStatus, Category, Open311Client, RoutedBy
from digigov.hotline.services import loop
from digigov.hotline.services.intake import submit_appeal
from digigov.hotline.services.open311_clients import open311_client_create, open311_client_revoke
from digigov.hotline.tests.conftest import HOUSING, appeal_input, category
from digigov.identity.models import User

pytestmark = pytest.mark.usefixtures("hotline")

BASE = "/open311/v2"
NAME, PHONE = "刘淑珍", "13841412786"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


@pytest.fixture
def api_key() -> str:
    _client, key = open311_client_create(actor=SYSTEM, name="城市服务小程序")
    return key


@pytest.fixture
def service_code() -> str:
    """A level-3 category under 住房保障与房地产 (handled by 市住建局)."""
    return Category.objects.filter(level=3, path__startswith=HOUSING + "/").order_by("code").first().code  # type: ignore[union-attr]


def post_request(key: str | None, code: str | None, fmt: str = "json", headers: Any = None, **extra: str) -> Any:
    data: dict[str, str] = {
        "description": "胜利路35号小区3号楼电梯近一个月停运四次，物业一直不修，老人上下楼非常困难。",
        "address_string": "本溪市平山区平山街道胜利路35号",
        "first_name": "淑珍",
        "last_name": "刘",
        "phone": PHONE,
        "device_id": "device-001",
    }
    if key is not None:
        data["api_key"] = key
    if code is not None:
        data["service_code"] = code
    data.update(extra)
    body = urlencode({k: v for k, v in data.items() if v is not None})
    return Client(enforce_csrf_checks=True).post(
        f"{BASE}/requests.{fmt}", body, content_type="application/x-www-form-urlencoded", headers=headers or {}
    )


def xml_of(response: Any) -> ET.Element:
    """The stdlib parser on our own server's answer (trusted input)."""
    return ET.fromstring(response.content)  # noqa: S314


def assert_open311_error(response: Any, status: int, mentions: str = "") -> str:
    """The spec's error list: [{code, description}], in JSON or XML."""
    assert response.status_code == status, response.content.decode()
    if response["Content-Type"].startswith("text/xml"):
        root = xml_of(response)
        assert root.tag == "errors"
        errors = [(e.findtext("code"), e.findtext("description") or "") for e in root.findall("error")]
        assert errors and all(code == str(status) for code, _ in errors), errors
    else:
        body = response.json()
        assert isinstance(body, list) and body, body
        assert all(set(e) == {"code", "description"} and e["code"] == status for e in body), body
        errors = [(str(e["code"]), e["description"]) for e in body]
    text = " ".join(description for _, description in errors)
    assert mentions in text, text
    return text


# --- discovery and services ---------------------------------------------------------------------------------


def test_discovery_in_json_and_xml() -> None:
    body = Client().get(f"{BASE}/discovery.json").json()
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/") and endpoint["type"] == "production"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    assert body["changeset"].endswith("+08:00")
    response = Client().get(f"{BASE}/discovery.xml")
    assert response["Content-Type"].startswith("text/xml")
    root = xml_of(response)
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]
    assert root.findtext("endpoints/endpoint/specification") == "http://wiki.open311.org/GeoReport_v2"


def test_services_are_the_level_2_and_3_categories_grouped_by_level_1() -> None:
    services = Client().get(f"{BASE}/services.json").json()
    expected = Category.objects.filter(is_active=True, level__in=(2, 3)).count()
    assert len(services) == expected > 100
    by_code = {s["service_code"]: s for s in services}
    housing = category(HOUSING)
    assert by_code[housing.code]["service_name"] == "住房保障与房地产"
    assert by_code[housing.code]["group"] == "城乡建设"
    assert all(len(code) in (4, 6) for code in by_code)  # never a level-1 node
    leaf = Category.objects.filter(level=3, name="其他").select_related("parent").first()
    assert leaf is not None and by_code[leaf.code]["service_name"] == f"{leaf.parent.name}/其他"  # type: ignore[union-attr]
    assert all(s["type"] == "realtime" and s["metadata"] is True for s in services)
    assert set(services[0]) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}


def test_services_xml_has_the_spec_element_names() -> None:
    response = Client().get(f"{BASE}/services.xml")
    assert response.status_code == 200 and response["Content-Type"] == "text/xml; charset=utf-8"
    root = xml_of(response)
    assert root.tag == "services"
    first = root.find("service")
    assert first is not None
    assert [child.tag for child in first] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert first.findtext("metadata") == "true"
    assert len(root.findall("service")) == Category.objects.filter(is_active=True, level__in=(2, 3)).count()


def test_service_definition_offers_appeal_type_and_confidentiality(service_code: str) -> None:
    body = Client().get(f"{BASE}/services/{service_code}.json").json()
    assert body["service_code"] == service_code
    attributes = {a["code"]: a for a in body["attributes"]}
    assert attributes["appeal_type"]["datatype"] == "singlevaluelist"
    assert attributes["appeal_type"]["description"] == "诉求类型"
    assert {v["name"] for v in attributes["appeal_type"]["values"]} == {"咨询", "投诉", "建议", "求助", "举报"}
    assert [v["key"] for v in attributes["confidential"]["values"]] == ["true", "false"]
    assert attributes["confidential"]["description"] == "保密"
    root = xml_of(Client().get(f"{BASE}/services/{service_code}.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == service_code
    first = root.find("attributes/attribute")
    assert first is not None
    assert [c.tag for c in first] == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert len(first.findall("values/value")) == 5 and first.find("values/value/key") is not None


@pytest.mark.parametrize("code", ["999999", "01", "abc", "0" * 30])
def test_unknown_service_definition_is_404_in_the_spec_format(code: str) -> None:
    assert_open311_error(Client().get(f"{BASE}/services/{code}.json"), 404, "service_code")
    assert_open311_error(Client().get(f"{BASE}/services/{code}.xml"), 404, "service_code")


def test_unknown_paths_and_methods_answer_in_the_spec_format() -> None:
    assert_open311_error(Client().get(f"{BASE}/nothing.json"), 404)
    assert_open311_error(Client().get(f"{BASE}/services.csv"), 404)
    response = Client().put(f"{BASE}/requests.xml")
    assert_open311_error(response, 405)
    assert "POST" in response["Allow"]
    assert_open311_error(Client().post(f"{BASE}/services.json"), 405)


# --- POST requests --------------------------------------------------------------------------------------------


def test_post_files_an_appeal_routed_to_the_chosen_category(api_key: str, service_code: str) -> None:
    before = Appeal.objects.count()
    response = post_request(api_key, service_code)
    assert response.status_code == 201, response.content.decode()
    [answer] = response.json()
    assert set(answer) == {"service_request_id", "token", "service_notice", "account_id"}
    appeal = Appeal.objects.get(number=answer["service_request_id"])
    assert Appeal.objects.count() == before + 1
    assert appeal.channel.code == "open311"
    assert appeal.category is not None and appeal.category.code == service_code
    assert appeal.routed_by == RoutedBy.CALLER and appeal.department.code == "zjj"  # type: ignore[union-attr]
    assert appeal.status == AppealStatus.DISPATCHED
    assert appeal.region.name == "平山街道"
    assert appeal.appeal_type == "help"  # the default
    assert appeal.caller_name_masked == "刘*珍" and appeal.caller_phone_masked == "138****2786"
    assert appeal.subject.startswith("胜利路35号小区") and len(appeal.subject) <= 30
    assert answer["token"] == appeal.idempotency_key
    client = Open311Client.objects.get(key_digest=sm3_hex(api_key.encode()))
    received = AuditEntry.objects.filter(action="hotline.open311_request_received", object_id=str(appeal.pk))
    assert received.count() == 1
    assert not any(api_key in str(v) for v in received.values().get().values())
    assert client.is_active


def test_post_attributes_and_the_xml_answer(api_key: str, service_code: str) -> None:
    response = post_request(
        api_key,
        service_code,
        fmt="xml",
        **{
            "attribute[appeal_type]": "complaint",
            "attribute[confidential]": "true",
            "attribute[subject]": "电梯长期故障",
            "lat": "41.293712",
            "long": "123.766485",
        },
    )
    assert response.status_code == 201, response.content.decode()
    root = xml_of(response)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    assert [c.tag for c in request] == ["service_request_id", "token", "service_notice", "account_id"]
    appeal = Appeal.objects.get(number=request.findtext("service_request_id"))
    assert appeal.appeal_type == "complaint" and appeal.confidential and appeal.subject == "电梯长期故障"
    assert str(appeal.latitude) == "41.293712" and str(appeal.longitude) == "123.766485"


def test_a_replayed_post_returns_the_first_appeal_and_stores_nothing(api_key: str, service_code: str) -> None:
    first = post_request(api_key, service_code)
    before = Appeal.objects.count()
    audit_before = AuditEntry.objects.count()
    again = post_request(api_key, service_code)
    assert again.status_code == 200
    assert again.json()[0]["service_request_id"] == first.json()[0]["service_request_id"]
    assert Appeal.objects.count() == before
    assert AuditEntry.objects.count() == audit_before
    # Another client sending the same content files its own appeal: keys never cross clients.
    _other, other_key = open311_client_create(actor=SYSTEM, name="另一个接入方")
    other = post_request(other_key, service_code)
    assert other.status_code == 201
    assert other.json()[0]["service_request_id"] != first.json()[0]["service_request_id"]


def test_idempotency_key_header_replays_and_conflicts(api_key: str, service_code: str) -> None:
    headers = {"Idempotency-Key": "retry-2026-001"}
    first = post_request(api_key, service_code, headers=headers)
    assert first.status_code == 201
    number = first.json()[0]["service_request_id"]
    count = Appeal.objects.count()
    assert post_request(api_key, service_code, headers=headers).json()[0]["service_request_id"] == number
    changed = post_request(api_key, service_code, headers=headers, description="另一件事：路灯不亮已经一周了。")
    assert_open311_error(changed, 409)
    assert Appeal.objects.count() == count
    assert_open311_error(post_request(api_key, service_code, headers={"Idempotency-Key": "有 空格"}), 400)


@pytest.mark.parametrize(
    ("change", "status", "mentions"),
    [
        ({"code": None}, 400, "service_code"),
        ({"code": "999999"}, 400, "service_code"),
        ({"code": "01"}, 400, "service_code"),  # a level-1 node is no service
        ({"code": "<script>"}, 400, "service_code"),
        ({"key": None}, 403, "api_key"),
        ({"key": "o311_not-a-real-key"}, 403, "api_key"),
        ({"key": "x" * 500}, 403, "api_key"),
        ({"description": ""}, 400, "description"),
        ({"description": "电" * 4001}, 400, "description"),
        ({"lat": "91", "long": "123.7"}, 400, "lat"),
        ({"lat": "41.2", "long": "东经"}, 400, "long"),
        ({"lat": "41.2"}, 400, "lat/long"),
        ({"address_string": ""}, 400, "address_string"),
        ({"address_string": "", "address_id": "88"}, 400, "address_id"),
        ({"attribute[colour]": "red"}, 400, "attribute[colour]"),
        ({"attribute[appeal_type]": "praise"}, 400, "attribute[appeal_type]"),
        ({"attribute[confidential]": "yes"}, 400, "attribute[confidential]"),
        ({"attribute[subject]": "标" * 101}, 400, "attribute[subject]"),
        ({"phone": "12345"}, 400, "phone"),
        ({"first_name": "名" * 40}, 400, "first_name/last_name"),
        ({"email": "not an email"}, 400, "email"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"description": "电梯坏了\x00请修"}, 400, "控制字符"),
        ({"attribute[region_code]": "210599999999"}, 400, "attribute[region_code]"),
    ],
)
def test_bad_posts_get_the_spec_errors_and_store_nothing(
    api_key: str, service_code: str, change: dict[str, str | None], status: int, mentions: str
) -> None:
    key = change.pop("key", api_key) if "key" in change else api_key
    code = change.pop("code", service_code) if "code" in change else service_code
    before = Appeal.objects.count()
    for fmt in ("json", "xml"):
        assert_open311_error(post_request(key, code, fmt=fmt, **change), status, mentions)  # type: ignore[arg-type]
    assert Appeal.objects.count() == before


def test_the_key_is_a_post_parameter_never_part_of_the_url(api_key: str, service_code: str) -> None:
    form = urlencode({"service_code": service_code, "description": "楼道灯坏了很久了。", "address_string": "平山区"})
    response = Client().post(
        f"{BASE}/requests.json?api_key={api_key}", form, content_type="application/x-www-form-urlencoded"
    )
    assert_open311_error(response, 403, "api_key")


def test_a_revoked_key_is_refused(api_key: str, service_code: str) -> None:
    client = Open311Client.objects.get(key_digest=sm3_hex(api_key.encode()))
    assert post_request(api_key, service_code).status_code == 201
    open311_client_revoke(actor=SYSTEM, client=client)
    before = Appeal.objects.count()
    assert_open311_error(post_request(api_key, service_code, description="又一件事：楼道灯坏了很久了。"), 403)
    assert Appeal.objects.count() == before


def test_an_oversized_body_is_refused_in_the_spec_format(api_key: str, service_code: str, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post_request(api_key, service_code, account_id="a", device_id="d" * 20_000)
    assert_open311_error(response, 413)


# --- GET requests ---------------------------------------------------------------------------------------------


def _post(key: str, code: str, **extra: str) -> Appeal:
    response = post_request(key, code, **extra)
    assert response.status_code == 201, response.content.decode()
    return Appeal.objects.get(number=response.json()[0]["service_request_id"])


def test_get_requests_never_shows_the_caller(api_key: str, service_code: str) -> None:
    text = "我的电话13912345678，身份证210502199001011234，家里座机024-22851234，楼下垃圾一周没人清运。"
    visible = _post(api_key, service_code, description=text)
    secret = _post(
        api_key,
        service_code,
        description="楼上邻居天天半夜装修，请不要透露我的信息。",
        **{"attribute[confidential]": "true"},
    )
    for fmt in ("json", "xml"):
        for url in (f"{BASE}/requests.{fmt}", f"{BASE}/requests/{visible.number}.{fmt}"):
            content = Client().get(url).content.decode()
            for leak in (NAME, "刘*珍", PHONE, "138****2786", "13912345678", "210502199001011234", "22851234"):
                assert leak not in content, (url, leak)
    by_id = {r["service_request_id"]: r for r in Client().get(f"{BASE}/requests.json").json()}
    assert "139****5678" in by_id[visible.number]["description"]
    assert by_id[visible.number]["address"] == "本溪市平山区平山街道胜利路35号"
    hidden = by_id[secret.number]
    assert "装修" not in hidden["description"] and hidden["address"] is None and hidden["lat"] is None
    assert hidden["service_code"] == service_code and hidden["status"] == "open"


def test_get_request_fields_dates_and_extensions(api_key: str, service_code: str) -> None:
    appeal = _post(api_key, service_code)
    [plain] = Client().get(f"{BASE}/requests/{appeal.number}.json").json()
    assert list(plain) == REQUEST_FIELDS
    assert plain["status"] == "open" and plain["agency_responsible"] == "本溪市住房和城乡建设局"
    assert plain["requested_datetime"].endswith("+08:00") and "T" in plain["requested_datetime"]
    assert plain["updated_datetime"].endswith("+08:00")
    [extended] = Client().get(f"{BASE}/requests/{appeal.number}.json?extensions=true").json()
    attributes = extended["extended_attributes"]
    assert attributes["stage"] == "dispatched" and attributes["stage_label"] == "待签收"
    assert attributes["sign_due_datetime"].endswith("+08:00") and attributes["card"] == "green"
    assert attributes["card_label"] == "正常"
    root = xml_of(Client().get(f"{BASE}/requests/{appeal.number}.xml?extensions=true"))
    request = root.find("request")
    assert root.tag == "service_requests" and request is not None
    assert [c.tag for c in request] == [*REQUEST_FIELDS, "extended_attributes"]
    assert request.findtext("extended_attributes/stage_label") == "待签收"
    assert request.findtext("extended_attributes/sign_due_datetime", "").endswith("+08:00")
    assert_open311_error(Client().get(f"{BASE}/requests/RX20000101999999.json"), 404, "service_request_id")


def test_status_and_status_notes_follow_the_loop(api_key: str, service_code: str, staff: Any) -> None:
    appeal = _post(api_key, service_code)
    handler = staff("liguoqiang")
    loop.sign(actor=handler, appeal=appeal)
    loop.reply(actor=handler, appeal=appeal, text="已联系物业公司维修电梯，本周内恢复运行，联系电话13800001111。")
    [replied] = Client().get(f"{BASE}/requests/{appeal.number}.json?extensions=true").json()
    assert replied["status"] == "open" and replied["extended_attributes"]["stage_label"] == "待回访"
    assert replied["status_notes"].startswith("已联系物业公司") and "13800001111" not in replied["status_notes"]
    assert replied["expected_datetime"].endswith("+08:00")
    task = appeal.callbacks.get()
    loop.record_callback(actor=staff("hanxue"), task=task, result="satisfied")
    [closed] = Client().get(f"{BASE}/requests/{appeal.number}.json").json()
    assert closed["status"] == "closed"
    assert closed["updated_datetime"] >= replied["updated_datetime"]
    only_closed = Client().get(f"{BASE}/requests.json?status=closed").json()
    assert appeal.number in {r["service_request_id"] for r in only_closed}
    assert all(r["status"] == "closed" for r in only_closed)
    only_open = Client().get(f"{BASE}/requests.json?status=open").json()
    assert appeal.number not in {r["service_request_id"] for r in only_open}


def test_get_requests_filters(api_key: str, service_code: str, staff: Any) -> None:
    mine = _post(api_key, service_code)
    parent = service_code[:4]
    other = submit_appeal(actor=staff("hanxue"), data=appeal_input(category_code=category("城乡建设").code))
    by_service = Client().get(f"{BASE}/requests.json?service_code={parent}").json()
    numbers = {r["service_request_id"] for r in by_service}
    assert mine.number in numbers and other.number not in numbers  # a level-2 code includes its level-3 children
    both = Client().get(f"{BASE}/requests.json?service_request_id={mine.number},{other.number}&status=closed")
    assert {r["service_request_id"] for r in both.json()} == {mine.number, other.number}  # ids override
    now = timezone.localtime()
    window = {"start_date": (now - timedelta(days=1)).isoformat(), "end_date": (now + timedelta(minutes=5)).isoformat()}
    assert mine.number in {r["service_request_id"] for r in Client().get(f"{BASE}/requests.json", window).json()}
    old = {"start_date": "2020-01-01T00:00:00Z", "end_date": "2020-02-01T00:00:00Z"}
    assert Client().get(f"{BASE}/requests.json", old).json() == []
    root = xml_of(Client().get(f"{BASE}/requests.xml", {"service_request_id": mine.number}))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [mine.number]


def test_the_request_list_reads_in_a_fixed_number_of_queries(api_key: str, service_code: str) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(f"{BASE}/requests.xml?extensions=true").status_code == 200
        return len(captured.captured_queries)

    _post(api_key, service_code)
    few = queries()
    for i in range(3):
        _post(api_key, service_code, description=f"第{i}件：小区道路破损，下雨积水严重，请尽快修复。")
    assert queries() == few > 0


@pytest.mark.parametrize(
    ("query", "mentions"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-45"}, "end_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90"),
        ({"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"}, "start_date"),
        ({"status": "pending"}, "status"),
        ({"service_code": "abc"}, "service_code"),
        ({"service_request_id": "RX-1;DROP"}, "service_request_id"),
    ],
)
def test_malformed_get_requests_are_400(query: dict[str, str], mentions: str) -> None:
    assert_open311_error(Client().get(f"{BASE}/requests.json", query), 400, mentions)
    assert_open311_error(Client().get(f"{BASE}/requests.xml", query), 400, mentions)


def test_tokens_lead_to_the_request(api_key: str, service_code: str) -> None:
    [answer] = post_request(api_key, service_code).json()
    [found] = Client().get(f"{BASE}/tokens/{answer['token']}.json").json()
    assert found == {"service_request_id": answer["service_request_id"], "token": answer["token"]}
    root = xml_of(Client().get(f"{BASE}/tokens/{answer['token']}.xml"))
    assert root.findtext("request/service_request_id") == answer["service_request_id"]
    assert_open311_error(Client().get(f"{BASE}/tokens/o311-{'0' * 40}.json"), 404, "token")


# --- the clients' keys ----------------------------------------------------------------------------------------


def test_the_command_issues_a_key_once_and_revokes_it(capsys: Any, service_code: str) -> None:
    call_command("hotline_open311_client", "--by", "luoxiaoyan", "create", "区网格化平台")
    out = capsys.readouterr().out
    key = out.strip().splitlines()[-1]
    client = Open311Client.objects.get(name="区网格化平台")
    assert key.startswith("o311_") and client.key_digest == sm3_hex(key.encode())
    assert client.key_hint == key[:8] and client.created_by == User.objects.get(username="luoxiaoyan")
    stored = " ".join(str(v) for v in Open311Client.objects.filter(pk=client.pk).values().get().values())
    assert key not in stored and key[8:20] not in stored
    call_command("hotline_open311_client", "list")
    listed = capsys.readouterr().out
    assert "区网格化平台" in listed and key not in listed and key[:8] in listed
    assert post_request(key, service_code).status_code == 201
    call_command("hotline_open311_client", "revoke", str(client.pk))
    assert_open311_error(post_request(key, service_code, description="另一件事：小区门口路灯不亮。"), 403)
    actions = set(
        AuditEntry.objects.filter(object_type="open311_client", object_id=str(client.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == {"hotline.open311_client_created", "hotline.open311_client_revoked"}


def test_media_url_is_kept_and_published_unless_withheld(api_key: str, service_code: str) -> None:
    link = "https://img.example.cn/road/1.jpg"
    appeal = _post(api_key, service_code, media_url=link, device_id="device-media")
    assert appeal.attachments.get().media_url == link
    shown = Client().get(f"{BASE}/requests/{appeal.number}.json").json()[0]
    assert shown["media_url"] == link
    secret = _post(
        api_key, service_code, media_url=link, device_id="device-media-2", **{"attribute[confidential]": "true"}
    )
    assert Client().get(f"{BASE}/requests/{secret.number}.json").json()[0]["media_url"] is None
