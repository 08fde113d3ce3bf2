"""Consistency checks for the 本溪市 demo seed data (plain pytest, no Django)."""

from __future__ import annotations

import ast
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from stdnum.cn import ric, uscc

from digigov.identity import demo_city as dc
from digigov.identity.permissions import Perm

EXPECTED_COUNTIES = {
    "210502000000": "平山区",
    "210503000000": "溪湖区",
    "210504000000": "明山区",
    "210505000000": "南芬区",
    "210521000000": "本溪满族自治县",
    "210522000000": "桓仁满族自治县",
}
PERMISSIONS = {perm.value for perm in Perm}  # the platform's permission codes
REGIONS = dc.region_index()
DEPARTMENTS = dc.department_index()
ROLES = dc.role_index()
CITIZENS = dc.citizen_index()


def _parent_level(level: str) -> str | None:
    i = dc.LEVELS.index(level)
    return dc.LEVELS[i - 1] if i else None


# --- module hygiene -------------------------------------------------------------------------------------


def test_module_is_pure_python_without_django() -> None:
    source = Path(dc.__file__).read_text(encoding="utf-8")
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= {"__future__", "collections", "dataclasses", "datetime", "hashlib", "typing"}
    assert "password" not in source.lower().replace("no passwords live here", "")


# --- regions --------------------------------------------------------------------------------------------


def test_region_codes_are_twelve_digits_and_unique() -> None:
    codes = [r.code for r in dc.REGIONS]
    assert all(re.fullmatch(r"\d{12}", c) for c in codes)
    assert len(codes) == len(set(codes))
    assert all(r.level in dc.LEVELS for r in dc.REGIONS)


def test_single_city_root() -> None:
    roots = [r for r in dc.REGIONS if r.parent_code is None]
    assert roots == [dc.RegionSeed("210500000000", "本溪市", "city", None)]


def test_every_parent_exists_one_level_up_and_code_nests() -> None:
    for region in dc.REGIONS:
        if region.parent_code is None:
            continue
        parent = REGIONS[region.parent_code]
        assert parent.level == _parent_level(region.level), region
        if region.level == "district":
            assert region.code.endswith("000000")
        elif region.level == "street":
            assert region.code[:6] == parent.code[:6] and region.code.endswith("000")
            assert region.code[6:9] != "000"
        else:
            assert region.code[:9] == parent.code[:9] and region.code[9:] != "000"


def test_counties_match_gbt_2260() -> None:
    counties = {r.code: r.name for r in dc.REGIONS if r.level == "district"}
    assert counties == EXPECTED_COUNTIES
    assert all(REGIONS[c].parent_code == "210500000000" for c in counties)


def test_streets_and_communities_per_parent() -> None:
    for county in EXPECTED_COUNTIES:
        streets = dc.children_of(county)
        assert 3 <= len(streets) <= 6, county
        assert [s.code[6:9] for s in streets] == [f"{i:03d}" for i in range(1, len(streets) + 1)]
        for street in streets:
            communities = dc.children_of(street.code)
            assert 3 <= len(communities) <= 5, street
            suffix = "社区" if street.name.endswith("街道") else "村"
            assert all(c.name.endswith(suffix) for c in communities), street
            assert street.name.endswith(("街道", "镇", "乡"))


def test_community_names_unique_within_county() -> None:
    for county in EXPECTED_COUNTIES:
        names = [r.name for r in dc.REGIONS if r.level == "community" and r.code[:6] == county[:6]]
        assert len(names) == len(set(names)), county


def test_known_street_names_present() -> None:
    names = {(r.code[:6], r.name) for r in dc.REGIONS if r.level == "street"}
    for expected in [
        ("210502", "平山街道"),
        ("210502", "东明街道"),
        ("210502", "站前街道"),
        ("210502", "千金街道"),
        ("210502", "桥头镇"),
        ("210503", "河西街道"),
        ("210503", "彩屯街道"),
        ("210503", "石桥子街道"),
        ("210504", "新明街道"),
        ("210504", "高峪街道"),
        ("210504", "牛心台街道"),
        ("210505", "铁山街道"),
        ("210505", "下马塘街道"),
        ("210521", "小市镇"),
        ("210521", "草河口镇"),
        ("210522", "桓仁镇"),
        ("210522", "普乐堡镇"),
    ]:
        assert expected in names


def test_ancestors_walk_to_city() -> None:
    community = next(r for r in dc.REGIONS if r.level == "community")
    assert [a.level for a in dc.ancestors_of(community.code)] == ["street", "district", "city"]


# --- check-digit helpers --------------------------------------------------------------------------------


def test_org_code_check_char_known_value() -> None:
    # 91110000600037341L is the python-stdnum doctest example; its organisation code is 60003734-1.
    assert dc.org_code_check_char("60003734") == "1"
    assert dc.uscc_check_char("91110000600037341") == "L"
    assert dc.is_valid_org_code("600037341")
    assert not dc.is_valid_org_code("600037342")


def test_make_uscc_valid_unique_and_deterministic() -> None:
    made = set()
    for prefix in ("11210500", "12210502", "91210504", "92210522", "93210521"):
        for serial in range(200):
            code = dc.make_uscc(prefix, serial)
            assert uscc.is_valid(code), code
            assert code.startswith(prefix)
            assert dc.is_valid_org_code(code[8:17]), code
            assert dc.make_uscc(prefix, serial) == code
            made.add(code)
    assert len(made) == 5 * 200
    assert dc.make_uscc("91210504", 1)[8:10] == "MA"


@pytest.mark.parametrize(("prefix", "serial"), [("1121050", 1), ("1I210500", 1), ("11210500", -1)])
def test_make_uscc_rejects_bad_input(prefix: str, serial: int) -> None:
    with pytest.raises(ValueError):
        dc.make_uscc(prefix, serial)


def test_make_id_number_matches_stdnum() -> None:
    for region in ("210521", "210522", "210500"):
        for birth in (date(1940, 1, 1), date(1966, 2, 28), date(2000, 2, 29)):
            for seq in (0, 1, 57, 999):
                number = dc.make_id_number(region, birth, seq)
                assert ric.is_valid(number), number
                assert ric.get_birth_date(number) == birth
                assert dc.id_number_gender(number) == ("M" if seq % 2 else "F")
    with pytest.raises(ValueError):
        dc.make_id_number("21052", date(1990, 1, 1), 1)
    with pytest.raises(ValueError):
        dc.make_id_number("210521", date(1990, 1, 1), 1000)


# --- departments ----------------------------------------------------------------------------------------


def test_department_codes_and_usccs_unique_and_valid() -> None:
    codes = [d.code for d in dc.DEPARTMENTS]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in codes)
    usccs = [d.uscc for d in dc.DEPARTMENTS]
    assert len(usccs) == len(set(usccs))
    org_codes = [u[8:17] for u in usccs]
    assert len(org_codes) == len(set(org_codes))
    for dept in dc.DEPARTMENTS:
        assert uscc.is_valid(dept.uscc), dept
        assert dc.is_valid_org_code(dept.uscc[8:17]), dept
        assert dept.uscc[:2] in {"11", "12"}, dept
        assert dept.uscc[2:8] == dept.region_code[:6], dept
        assert (dept.uscc[:2] == "12") == (dept.kind == "institution"), dept
        assert dept.region_code in REGIONS
        assert dept.kind in dc.DEPARTMENT_KIND_LABELS
        assert len(set(dept.name)) > 1 and dept.short_name


def test_city_level_departments() -> None:
    city = [d for d in dc.DEPARTMENTS if d.region_code == "210500000000"]
    assert len(city) >= 34
    for dept in city:
        assert "本溪市" in dept.name, dept
        assert dept.short_name.startswith("市"), dept
    short_names = {d.short_name for d in city}
    for expected in [
        "市政府办公室",
        "市发展改革委",
        "市工信局",
        "市教育局",
        "市科技局",
        "市公安局",
        "市民政局",
        "市司法局",
        "市财政局",
        "市人力社保局",
        "市自然资源局",
        "市生态环境局",
        "市住建局",
        "市交通运输局",
        "市水利局",
        "市农业农村局",
        "市商务局",
        "市文旅广电局",
        "市卫健委",
        "市应急管理局",
        "市审计局",
        "市市场监管局",
        "市统计局",
        "市医保局",
        "市体育局",
        "市城管执法局",
        "市营商局",
        "市政务服务中心",
        "市政务数据管理局",
        "市12345热线中心",
        "市信访局",
        "市退役军人事务局",
        "市税务局",
        "市住房公积金管理中心",
        "市公共资源交易中心",
    ]:
        assert expected in short_names


def test_county_level_departments() -> None:
    for county, county_name in EXPECTED_COUNTIES.items():
        depts = [d for d in dc.DEPARTMENTS if d.region_code == county]
        assert 2 <= len(depts) <= 4, county
        assert all(d.name.startswith(county_name) for d in depts)
        assert any(d.name.endswith("政务服务中心") for d in depts)


def test_street_offices_sit_on_streets() -> None:
    offices = [d for d in dc.DEPARTMENTS if d.kind == "street_office"]
    assert offices
    for office in offices:
        street = REGIONS[office.region_code]
        assert street.level == "street"
        assert street.name in office.name


# --- roles ----------------------------------------------------------------------------------------------


def test_roles() -> None:
    assert set(ROLES) == {
        "sysadmin",
        "auditor",
        "dept_head",
        "clerk",
        "street_clerk",
        "grid_worker",
        "city_leader",
        "staff_admin",
        "hotline_agent",
        "hotline_dispatcher",
        "hotline_liaison",
    }
    assert len(ROLES) == len(dc.ROLES)
    for role in dc.ROLES:
        assert set(role.permissions) <= PERMISSIONS, role
        assert len(role.permissions) == len(set(role.permissions))
    assert set(ROLES["sysadmin"].permissions) == PERMISSIONS
    assert set(ROLES["auditor"].permissions) == {"audit.view", "console.access"}
    assert set(ROLES["grid_worker"].permissions) == {"console.access"}
    assert set(ROLES["hotline_liaison"].permissions) == {"hotline.handle", "console.access"}
    assert "hotline.dispatch" in ROLES["hotline_dispatcher"].permissions
    assert "hotline.dispatch" not in ROLES["hotline_agent"].permissions
    assert {r.code for r in dc.ROLES if r.requires_mfa} == {"sysadmin", "auditor", "staff_admin"}
    assert set(ROLES["staff_admin"].permissions) == {
        "identity.view_staff",
        "identity.manage_staff",
        "identity.manage_roles",
        "console.access",
    }


# --- staff ----------------------------------------------------------------------------------------------


def test_staff_references_resolve() -> None:
    assert len(dc.STAFF) >= 40
    for staff in dc.STAFF:
        assert staff.department_code in DEPARTMENTS, staff
        assert staff.region_code in REGIONS, staff
        assert staff.grant_region_code in REGIONS, staff
        assert staff.role_codes and set(staff.role_codes) <= set(ROLES), staff
        assert staff.title and 2 <= len(staff.name) <= 3, staff
        # The department sits at or above the staff member's region, and so does the grant.
        dept_region = DEPARTMENTS[staff.department_code].region_code
        chain = {staff.region_code} | {a.code for a in dc.ancestors_of(staff.region_code)}
        assert dept_region in chain, staff
        assert staff.grant_region_code in chain, staff


def test_every_role_has_staff() -> None:
    used = Counter(code for s in dc.STAFF for code in s.role_codes)
    assert set(used) == set(ROLES)


def test_role_placement() -> None:
    by_role: dict[str, list[dc.StaffSeed]] = {}
    for staff in dc.STAFF:
        for code in staff.role_codes:
            by_role.setdefault(code, []).append(staff)
    assert all(s.grant_region_code == "210500000000" for s in by_role["city_leader"])
    assert any(s.department_code == "zwsjj" for s in by_role["sysadmin"])
    assert any(s.department_code == "zwsjj" for s in by_role["auditor"])
    assert any(s.department_code == "zwfwzx" for s in by_role["clerk"])
    assert sum(1 for s in by_role["dept_head"] if s.grant_region_code == "210500000000") >= 8
    assert len({s.region_code for s in by_role["street_clerk"]}) >= 4
    assert all(REGIONS[s.region_code].level == "street" for s in by_role["street_clerk"])
    assert all(REGIONS[s.grant_region_code].level == "community" for s in by_role["grid_worker"])
    # Separation of duties: nobody is both system administrator and auditor.
    assert not any({"sysadmin", "auditor"} <= set(s.role_codes) for s in dc.STAFF)


def test_usernames_unique_ascii_across_staff_and_citizens() -> None:
    usernames = [s.username for s in dc.STAFF] + [c.username for c in dc.CITIZENS]
    assert len(usernames) == len(set(usernames))
    assert all(re.fullmatch(r"[a-z]{3,20}", u) for u in usernames)


# --- citizens -------------------------------------------------------------------------------------------


FEMALE_CITIZENS = {"lixiulan", "zhangguizhi", "yangting", "sunjiayi", "wuxiaoyan", "zhengyaqin"}


def test_citizens() -> None:
    assert len(dc.CITIZENS) == 12
    counties6 = {c[:6] for c in EXPECTED_COUNTIES}
    ids = [c.id_number for c in dc.CITIZENS]
    assert len(ids) == len(set(ids))
    mobiles = [c.mobile for c in dc.CITIZENS]
    assert len(mobiles) == len(set(mobiles))
    today = date(2026, 1, 1)
    ages = []
    for citizen in dc.CITIZENS:
        assert ric.is_valid(citizen.id_number), citizen
        assert citizen.id_number[:6] in counties6, citizen
        assert dc.id_number_gender(citizen.id_number) == ("F" if citizen.username in FEMALE_CITIZENS else "M")
        assert re.fullmatch(r"1[358]\d0000\d{4}", citizen.mobile), citizen
        assert citizen.address.startswith("本溪市"), citizen
        birth = ric.get_birth_date(citizen.id_number)
        ages.append(today.year - birth.year)
    assert sum(1 for a in ages if a >= 60) >= 3
    assert min(ages) >= 18 and max(ages) - min(ages) >= 40


# --- enterprises ----------------------------------------------------------------------------------------


def test_enterprises() -> None:
    assert len(dc.ENTERPRISES) == 8
    usccs = [e.uscc for e in dc.ENTERPRISES] + [d.uscc for d in dc.DEPARTMENTS]
    assert len(usccs) == len(set(usccs))
    names = [e.name for e in dc.ENTERPRISES]
    assert len(names) == len(set(names))
    for ent in dc.ENTERPRISES:
        assert uscc.is_valid(ent.uscc), ent
        assert dc.is_valid_org_code(ent.uscc[8:17]), ent
        assert ent.uscc[:2] == "91" and ent.uscc[2:8] == ent.region_code[:6], ent
        assert REGIONS[ent.region_code].level == "district", ent
        assert ent.name.endswith("有限公司") and ent.address.startswith("本溪市"), ent
        if ent.legal_rep_username is not None:
            assert CITIZENS[ent.legal_rep_username].name == ent.legal_representative, ent
        assert ent.legal_representative
        assert set(ent.agent_usernames) <= set(CITIZENS), ent
        assert ent.legal_rep_username not in ent.agent_usernames


def test_seeds_are_frozen() -> None:
    with pytest.raises(AttributeError):
        dc.REGIONS[0].name = "x"  # type: ignore[misc]
