"""Data scope (issue point 4): every actor sees and changes only the rows of their own scope, and a row
outside it is indistinguishable from one that does not exist. Deny by default."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from digigov.core.models import AuditEntry
from digigov.core.policy import SYSTEM
from digigov.identity.models import Enterprise, StaffProfile
from digigov.identity.permissions import Perm
from digigov.identity.services import staff as staff_services
from digigov.identity.tests import factories
from digigov.identity.tests.factories import DONGMING_STREET, PINGSHAN_DISTRICT, PINGSHAN_STREET

pytestmark = pytest.mark.django_db

API = "/api/v1"
MISSING_ID = 999999


@pytest.fixture
def street_enterprises() -> dict[str, Enterprise]:
    """Enterprises registered in 平山街道 (one in a community below it)，东明街道 and 溪湖区."""
    owner = factories.citizen(real_name="刘晓东")
    return {
        "pingshan": factories.enterprise(owner=owner, region_code=PINGSHAN_STREET),
        "pingshan_community": factories.enterprise(owner=owner, region_code="210502001001"),
        "dongming": factories.enterprise(owner=owner, region_code=DONGMING_STREET),
        "xihu": factories.enterprise(owner=owner, region_code="210503001000"),
    }


def _ids(rows: list[dict[str, Any]]) -> set[int]:
    return {row["id"] for row in rows}


def _enterprise_ids_under(prefix: str) -> set[int]:
    return set(Enterprise.objects.filter(region__code__startswith=prefix).values_list("pk", flat=True))


def _staff_ids(**filters: Any) -> set[int]:
    return set(StaffProfile.objects.filter(**filters).values_list("pk", flat=True))


def assert_same_as_missing(out_of_scope: Any, missing: Any) -> None:
    """Out of scope and non-existent must be the same answer: status, headers that matter, and body."""
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope["Content-Type"] == missing["Content-Type"]
    assert out_of_scope.content == missing.content
    assert out_of_scope.json()["code"] == "not_found"


# --- who sees what --------------------------------------------------------------------------------------


def test_street_clerk_sees_only_the_enterprises_of_the_street(street_enterprises: dict[str, Enterprise]) -> None:
    client = factories.bearer_client("sujianping")  # 平山街道 街道工作人员
    seen = _ids(client.get(f"{API}/enterprises").json())
    assert seen == _enterprise_ids_under(PINGSHAN_STREET[:9])
    assert {street_enterprises["pingshan"].pk, street_enterprises["pingshan_community"].pk} <= seen
    assert street_enterprises["dongming"].pk not in seen and street_enterprises["xihu"].pk not in seen


def test_street_clerk_without_staff_permission_sees_no_staff() -> None:
    client = factories.bearer_client("sujianping")
    assert client.get(f"{API}/staff").json() == []
    own = factories.staff_of("sujianping")
    assert client.get(f"{API}/staff/{own.pk}").status_code == 404


def test_street_level_staff_viewer_sees_only_the_streets_staff() -> None:
    viewer_role = factories.role(
        code="street_staff_viewer", permissions=[Perm.VIEW_STAFF, Perm.VIEW_ENTERPRISE, Perm.CONSOLE_ACCESS]
    )
    viewer = factories.staff_member(department_code="ps_psjd", region_code=PINGSHAN_STREET)
    staff_services.role_grant(actor=SYSTEM, user=viewer.user, role=viewer_role, region=viewer.region, department=None)
    seen = factories.bearer_client(viewer.user).get(f"{API}/staff").json()
    assert _ids(seen) == _staff_ids(region__code__startswith=PINGSHAN_STREET[:9])
    assert {"sujianping", "duxiumei", "chenghao", viewer.user.username} == {row["username"] for row in seen}


def test_district_head_sees_the_district(street_enterprises: dict[str, Enterprise]) -> None:
    client = factories.bearer_client("handongmei")  # 平山区政务服务中心 部门负责人
    enterprises = _ids(client.get(f"{API}/enterprises").json())
    assert enterprises == _enterprise_ids_under(PINGSHAN_DISTRICT[:6])
    assert street_enterprises["dongming"].pk in enterprises and street_enterprises["xihu"].pk not in enterprises
    # staff: a department head sees the own department within the district
    staff = client.get(f"{API}/staff").json()
    assert _ids(staff) == _staff_ids(region__code__startswith="210502", department__code="ps_zwfwzx")
    assert {row["username"] for row in staff} == {"handongmei", "jiangxiaoli"}


def test_city_leader_sees_the_whole_city() -> None:
    client = factories.bearer_client("zhangjianguo")
    assert _ids(client.get(f"{API}/staff", {"limit": 500}).json()) == _staff_ids()
    assert _ids(client.get(f"{API}/enterprises", {"limit": 500}).json()) == set(
        Enterprise.objects.values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("zhaoyu", {"本溪市明山区兴隆餐饮有限公司"}),
        ("wuxiaoyan", {"本溪市平山区惠民大药房有限公司", "本溪数智云科技有限公司"}),  # her own, and as 经办人
        ("sunjiayi", {"本溪钢城物流有限公司", "本溪市南芬区铁矿机械维修有限公司"}),
        ("zhangguizhi", set()),
    ],
)
def test_citizen_sees_only_the_enterprises_they_act_for(username: str, expected: set[str]) -> None:
    rows = factories.bearer_client(username).get(f"{API}/enterprises").json()
    assert {row["name"] for row in rows} == expected


# --- out of scope looks exactly like missing ------------------------------------------------------------


def test_staff_read_out_of_scope_is_identical_to_missing() -> None:
    client = factories.bearer_client("handongmei")
    other = factories.staff_of("sujianping")  # 平山区, but another department
    far = factories.staff_of("donglixin")  # 溪湖区
    missing = client.get(f"{API}/staff/{MISSING_ID}")
    assert_same_as_missing(client.get(f"{API}/staff/{other.pk}"), missing)
    assert_same_as_missing(client.get(f"{API}/staff/{far.pk}"), missing)
    assert client.get(f"{API}/staff/{factories.staff_of('jiangxiaoli').pk}").status_code == 200


def test_staff_change_out_of_scope_is_identical_to_missing_and_writes_nothing() -> None:
    client = factories.bearer_client("xiechunmei")  # 溪湖区 人事管理员 (view and manage staff in 溪湖区)
    outside = factories.staff_of("sujianping")  # 平山区
    before = (AuditEntry.objects.count(), outside.title)
    body = json.dumps({"title": "越权修改"})
    out_of_scope = client.patch(f"{API}/staff/{outside.pk}", data=body, content_type="application/json")
    missing = client.patch(f"{API}/staff/{MISSING_ID}", data=body, content_type="application/json")
    assert_same_as_missing(out_of_scope, missing)
    outside.refresh_from_db()
    assert (AuditEntry.objects.count(), outside.title) == before
    inside = factories.staff_of("donglixin")
    assert client.patch(f"{API}/staff/{inside.pk}", data=body, content_type="application/json").status_code == 200


def test_enterprise_read_out_of_scope_is_identical_to_missing(street_enterprises: dict[str, Enterprise]) -> None:
    clerk = factories.bearer_client("sujianping")
    missing = clerk.get(f"{API}/enterprises/{MISSING_ID}")
    assert_same_as_missing(clerk.get(f"{API}/enterprises/{street_enterprises['dongming'].pk}"), missing)
    assert clerk.get(f"{API}/enterprises/{street_enterprises['pingshan'].pk}").status_code == 200

    citizen = factories.bearer_client("zhaoyu")
    foreign = Enterprise.objects.get(name="本溪钢城物流有限公司")
    assert_same_as_missing(
        citizen.get(f"{API}/enterprises/{foreign.pk}"), citizen.get(f"{API}/enterprises/{MISSING_ID}")
    )


def test_citizen_cannot_grant_agents_for_a_foreign_enterprise() -> None:
    client = factories.bearer_client("zhaoyu")
    foreign = Enterprise.objects.get(name="本溪钢城物流有限公司")
    body = json.dumps({"agent_mobile": "13800001352"})
    out_of_scope = client.post(f"{API}/enterprises/{foreign.pk}/agents", data=body, content_type="application/json")
    missing = client.post(f"{API}/enterprises/{MISSING_ID}/agents", data=body, content_type="application/json")
    assert_same_as_missing(out_of_scope, missing)


# --- pages ----------------------------------------------------------------------------------------------


def test_console_staff_page_lists_only_the_scope(login: Callable[[str], Client]) -> None:
    response = login("handongmei").get("/console/staff/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "韩冬梅" in page and "江晓丽" in page
    for outsider in ("苏建平", "董立新", "张建国", "杜秀梅"):
        assert outsider not in page


def test_console_staff_page_is_refused_without_view_staff(login: Callable[[str], Client]) -> None:
    assert login("sujianping").get("/console/staff/").status_code == 403
    assert login("zhaoyu").get("/console/staff/").status_code == 403


# --- deny by default ------------------------------------------------------------------------------------


def test_staff_without_grants_sees_nothing_and_cannot_open_the_console(login: Callable[[str], Client]) -> None:
    nobody = factories.staff_member(department_code="ps_zwfwzx", region_code=PINGSHAN_DISTRICT)
    assert not nobody.user.grants.exists()
    session = login(nobody.user.username)
    assert session.get("/console/").status_code == 403
    assert session.get("/console/staff/").status_code == 403
    client = factories.bearer_client(nobody.user)
    assert client.get(f"{API}/staff").json() == []
    assert client.get(f"{API}/enterprises").json() == []
    assert client.get(f"{API}/staff/{nobody.pk}").status_code == 404  # not even the own record


def test_grant_in_another_region_does_not_leak_into_this_one() -> None:
    """A grant is a region subtree: 溪湖区's staff admin sees nobody in 平山区."""
    seen = factories.bearer_client("xiechunmei").get(f"{API}/staff", {"limit": 500}).json()
    assert seen and all(row["region_code"].startswith("210503") for row in seen)


# --- no N+1 on lists ------------------------------------------------------------------------------------


def _query_count(client: Client, url: str, params: dict[str, Any]) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), len(response.json())


@pytest.mark.parametrize(
    ("url", "few", "many"),
    [
        (f"{API}/staff", {"limit": 1}, {"limit": 500}),
        (f"{API}/enterprises", {"limit": 1}, {"limit": 500}),
        (f"{API}/departments", {"region": "210502001000"}, {}),
        (f"{API}/regions", {}, {"parent": "210502000000"}),
    ],
)
def test_list_endpoints_use_a_constant_number_of_queries(
    url: str,
    few: dict[str, Any],
    many: dict[str, Any],
    django_assert_max_num_queries: Any,
    street_enterprises: dict[str, Enterprise],
) -> None:
    """The number of queries does not grow with the number of rows (an N+1 would make it)."""
    client = factories.bearer_client("zhangjianguo")
    client.get(f"{API}/me")  # the token's last-used stamp is written once; keep it out of the count
    small, small_rows = _query_count(client, url, few)
    with django_assert_max_num_queries(4):
        large, large_rows = _query_count(client, url, many)
    assert large_rows > max(small_rows, 5), "too few rows to notice an N+1"
    assert large == small, f"{url}: {small} queries for {small_rows} rows but {large} for {large_rows}"


def test_citizen_enterprise_list_query_count(django_assert_max_num_queries: Any) -> None:
    client = factories.bearer_client("wuxiaoyan")
    client.get(f"{API}/me")
    with django_assert_max_num_queries(4):
        assert len(client.get(f"{API}/enterprises").json()) == 2


def test_console_staff_page_query_count(login: Callable[[str], Client], django_assert_max_num_queries: Any) -> None:
    client = login("zhangjianguo")
    client.get("/console/")
    with django_assert_max_num_queries(10):
        response = client.get("/console/staff/")
    assert response.content.decode().count("<tr>") > 40


def test_me_query_count_for_staff(django_assert_max_num_queries: Any) -> None:
    client = factories.bearer_client("zhangjianguo")
    client.get(f"{API}/me")
    with django_assert_max_num_queries(7):
        assert client.get(f"{API}/me").status_code == 200
