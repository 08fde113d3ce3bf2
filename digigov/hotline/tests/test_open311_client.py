"""An existing Open311 client library against the live server (issue 4 point 8: "not only hand-written requests").

The client is `georeport` (PyPI, GeoReport v2 wrapper, Python 3): it reads the service list, a service definition,
the request list and a single request, in JSON and in XML (parsed with xmltodict as it would parse any city's
endpoint). It has no discovery and cannot POST (its documentation says so), and no other Python 3 client can: the
older `open311` and `three` packages are Python 2 only, and the npm `open311` package needs git dependencies. So
discovery, the POST and the token lookup are sent here with the standard library, form-encoded as the spec says,
and everything they produce is read back through the library.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from georeport import GeoReport

from digigov.core.policy import SYSTEM
from digigov.hotline.models import Appeal, Category
from digigov.hotline.services.open311_clients import open311_client_create
from digigov.hotline.tests.conftest import HOUSING

DESCRIPTION = "胜利路35号小区3号楼电梯近一个月停运四次，物业一直不修，老人上下楼非常困难。"


def _fetch(url: str, data: dict[str, str] | None = None) -> tuple[int, Any]:
    body = urlencode(data).encode() if data is not None else None
    request = Request(url, data=body)  # noqa: S310 (the live server on localhost)
    if body is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.django_db(transaction=True)
def test_georeport_client_drives_the_endpoint(demo_city: None, hotline: None, live_server: Any) -> None:
    _client, key = open311_client_create(actor=SYSTEM, name="georeport 客户端")
    root = f"{live_server.url}/open311/v2"

    status, discovery = _fetch(f"{root}/discovery.json")
    assert status == 200 and discovery["endpoints"][0]["url"] == f"{root}/"

    client = GeoReport(discovery["endpoints"][0]["url"])
    services = client.get_service_list()
    leaf = Category.objects.filter(level=3, path__startswith=HOUSING + "/").order_by("code").first()
    assert leaf is not None
    by_code = {s["service_code"]: s for s in services}
    assert by_code[leaf.code]["group"] == "城乡建设"
    definition = client.get_service_definition(leaf.code)
    assert {a["code"] for a in definition["attributes"]} >= {"appeal_type", "confidential"}

    post = {
        "api_key": key,
        "service_code": leaf.code,
        "description": DESCRIPTION,
        "address_string": "本溪市平山区平山街道胜利路35号",
        "lat": "41.293712",
        "long": "123.766485",
        "attribute[appeal_type]": "complaint",
        "last_name": "刘",
        "first_name": "淑珍",
        "phone": "13841412786",
    }
    status, [created] = _fetch(f"{root}/requests.json", post)
    assert status == 201
    number = created["service_request_id"]
    status, [again] = _fetch(f"{root}/requests.json", post)
    assert status == 200 and again["service_request_id"] == number
    assert Appeal.objects.filter(number=number).count() == 1
    assert Appeal.objects.filter(idempotency_key=created["token"]).count() == 1
    status, errors = _fetch(f"{root}/requests.json", {**post, "api_key": "o311_wrong"})
    assert status == 403 and errors[0]["code"] == 403

    listed = client.get_service_requests(service_code=leaf.code[:4], status="open")
    assert number in {r["service_request_id"] for r in listed}
    one = client.get_service_request(number)
    assert one["service_code"] == leaf.code and one["agency_responsible"] == "本溪市住房和城乡建设局"
    assert one["requested_datetime"].endswith("+08:00") and one["lat"] == pytest.approx(41.293712)
    assert "13841412786" not in json.dumps(listed, ensure_ascii=False)

    xml_client = GeoReport(f"{root}/", output_format="xml")
    xml_services = xml_client.get_service_list()
    assert len(xml_services) == len(services)
    assert {s["service_code"] for s in xml_services} == set(by_code)
    xml_one = xml_client.get_service_request(number)
    assert xml_one["service_request_id"] == number and xml_one["status"] == "open"
    assert xml_one["agency_responsible"] == "本溪市住房和城乡建设局"
    xml_definition = xml_client.get_service_definition(leaf.code)
    assert [a["code"] for a in xml_definition["attributes"]["attribute"]][:2] == ["appeal_type", "confidential"]

    status, [found] = _fetch(f"{root}/tokens/{created['token']}.json")
    assert status == 200 and found["service_request_id"] == number
