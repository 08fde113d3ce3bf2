"""Demo data for 本溪市 (Benxi, Liaoning): regions, departments, roles, staff, citizens, enterprises.

Pure data and small pure functions; no Django imports. A loader turns these seeds into model rows.
Everything is deterministic: importing the module twice yields identical values.

Identifier rules implemented here:

* Region codes are 12 digits: the GB/T 2260 six-digit code padded with zeros for city and county
  level, county6 + 3-digit serial + "000" for streets/townships, street9 + 3-digit serial for
  communities/villages. Street and community serials are demo serials, not the official 统计用区划代码.
* 统一社会信用代码 (GB 32100): registration authority + organisation type (2 chars), six-digit region
  code, nine-character organisation code (GB 11714, its own check char last), GB 32100 check char.
* 公民身份号码 (GB 11643): six-digit region code, birth date YYYYMMDD, three-digit sequence
  (odd = male, even = female), ISO 7064 MOD 11-2 check char.

No passwords live here: the loader decides them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

# ---------------------------------------------------------------------------------------------------------
# Seed types
# ---------------------------------------------------------------------------------------------------------

LEVEL_CITY: Final = "city"
LEVEL_DISTRICT: Final = "district"
LEVEL_STREET: Final = "street"
LEVEL_COMMUNITY: Final = "community"
LEVELS: Final[tuple[str, ...]] = (LEVEL_CITY, LEVEL_DISTRICT, LEVEL_STREET, LEVEL_COMMUNITY)

# Department kinds (机构类别).
KIND_GENERAL_OFFICE: Final = "general_office"  # 政府办公室
KIND_CONSTITUENT: Final = "constituent"  # 政府组成部门
KIND_DIRECTLY_UNDER: Final = "directly_under"  # 政府直属机构 / 特设机构
KIND_INSTITUTION: Final = "institution"  # 事业单位
KIND_VERTICAL: Final = "vertical"  # 垂直管理机构
KIND_STREET_OFFICE: Final = "street_office"  # 街道办事处 / 乡镇人民政府
DEPARTMENT_KIND_LABELS: Final[Mapping[str, str]] = {
    KIND_GENERAL_OFFICE: "政府办公室",
    KIND_CONSTITUENT: "政府组成部门",
    KIND_DIRECTLY_UNDER: "政府直属机构",
    KIND_INSTITUTION: "事业单位",
    KIND_VERTICAL: "垂直管理机构",
    KIND_STREET_OFFICE: "街道办事处/乡镇人民政府",
}


@dataclass(frozen=True)
class RegionSeed:
    code: str  # 12 digits
    name: str
    level: str  # one of LEVELS
    parent_code: str | None


@dataclass(frozen=True)
class DepartmentSeed:
    code: str  # short ASCII slug, unique
    name: str  # full official name, e.g. 本溪市公安局
    short_name: str  # e.g. 市公安局
    uscc: str  # 统一社会信用代码
    region_code: str  # 12-digit region the department belongs to
    kind: str  # one of DEPARTMENT_KIND_LABELS


@dataclass(frozen=True)
class RoleSeed:
    code: str
    name: str
    permissions: tuple[str, ...]
    requires_mfa: bool
    description: str


@dataclass(frozen=True)
class StaffSeed:
    username: str
    name: str
    department_code: str
    region_code: str  # where the person works
    role_codes: tuple[str, ...]
    grant_region_code: str  # scope of the role grants (the region and everything below it)
    title: str


@dataclass(frozen=True)
class CitizenSeed:
    username: str
    name: str
    id_number: str
    mobile: str
    address: str


@dataclass(frozen=True)
class EnterpriseSeed:
    uscc: str
    name: str
    legal_rep_username: str | None  # a CITIZENS username when the legal representative has an account
    legal_representative: str  # always the legal representative's name
    region_code: str
    address: str
    agent_usernames: tuple[str, ...]  # CITIZENS usernames who accepted to act for the enterprise


# ---------------------------------------------------------------------------------------------------------
# Check-digit helpers
# ---------------------------------------------------------------------------------------------------------

# GB 32100 character set: digits and capital letters without I, O, S, V, Z.
USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_CODE_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)
_RIC_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RIC_CHECK: Final = "10X98765432"

# Organisation-code bodies are scrambled with bijective affine maps (serial * MULT + offset) so that
# consecutive serials do not look consecutive, codes stay unique per prefix, and the same serial under
# different prefixes gives different organisation codes (the offset depends on the prefix).
_DIGIT_BODY_SPACE: Final = 10**7
_DIGIT_BODY_MULT: Final = 3_918_613  # coprime to 10
_DIGIT_BODY_ADD: Final = 1_260_417
_MA_BODY_SPACE: Final = len(USCC_ALPHABET) ** 6
_MA_BODY_MULT: Final = 104_729  # prime, coprime to 31
_MA_BODY_ADD: Final = 5_120_301


def org_code_check_char(body8: str) -> str:
    """GB 11714 check character for an eight-character organisation-code body."""
    if len(body8) != 8 or not body8.isascii() or not body8.isalnum():
        raise ValueError(f"organisation code body must be 8 ASCII letters/digits: {body8!r}")
    total = sum(int(ch, 36) * w for ch, w in zip(body8.upper(), _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def is_valid_org_code(code9: str) -> bool:
    """True when the nine-character organisation code carries the right GB 11714 check character."""
    return (
        len(code9) == 9
        and code9.isascii()
        and code9[:8].isalnum()
        and org_code_check_char(code9[:8]) == code9[8].upper()
    )


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character for the first 17 characters of a 统一社会信用代码."""
    if len(first17) != 17 or any(ch not in USCC_ALPHABET for ch in first17):
        raise ValueError(f"USCC body must be 17 characters from the GB 32100 alphabet: {first17!r}")
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _prefix_offset(prefix8: str) -> int:
    return int.from_bytes(hashlib.sha256(prefix8.encode("ascii")).digest()[:8], "big")


def _org_code_body(prefix8: str, serial: int) -> str:
    if prefix8.startswith("9"):
        # Enterprises registered by 市场监管 after 2015 carry "MA" + six characters.
        if not 0 <= serial < _MA_BODY_SPACE:
            raise ValueError(f"serial out of range for an enterprise code: {serial}")
        value = (serial * _MA_BODY_MULT + _MA_BODY_ADD + _prefix_offset(prefix8)) % _MA_BODY_SPACE
        chars = []
        for _ in range(6):
            value, rem = divmod(value, len(USCC_ALPHABET))
            chars.append(USCC_ALPHABET[rem])
        return "MA" + "".join(reversed(chars))
    # 机关 / 事业单位 / other: a leading 0 followed by seven digits.
    if not 0 <= serial < _DIGIT_BODY_SPACE:
        raise ValueError(f"serial out of range for an organisation code: {serial}")
    value = (serial * _DIGIT_BODY_MULT + _DIGIT_BODY_ADD + _prefix_offset(prefix8)) % _DIGIT_BODY_SPACE
    return f"0{value:07d}"


def make_uscc(prefix8: str, serial: int) -> str:
    """Deterministic, valid 统一社会信用代码 for prefix8 (type code + six-digit region) and a serial.

    prefix8 examples: "11210500" (机关, 本溪市), "12210502" (事业单位, 平山区), "91210504" (企业, 明山区).
    Distinct serials under the same prefix give distinct codes. Both check characters are computed:
    the GB 11714 organisation-code check (9th character of the organisation code) and the final GB 32100
    check character. Prefixes starting with "9" get an "MA" organisation code like post-2015 enterprises.
    """
    if len(prefix8) != 8 or not prefix8[2:].isdigit() or any(ch not in USCC_ALPHABET for ch in prefix8[:2]):
        raise ValueError(f"prefix8 must be a 2-char type code plus a six-digit region code: {prefix8!r}")
    body = _org_code_body(prefix8, serial)
    first17 = prefix8 + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


def id_number_check_char(first17: str) -> str:
    """GB 11643 (ISO 7064 MOD 11-2) check character for the first 17 digits of a 身份证号."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"ID number body must be 17 digits: {first17!r}")
    total = sum(int(ch) * w for ch, w in zip(first17, _RIC_WEIGHTS, strict=True))
    return _RIC_CHECK[total % 11]


def make_id_number(region6: str, birth: date, seq3: int) -> str:
    """公民身份号码 for a region code, birth date and sequence number (odd = male, even = female).

    Note: python-stdnum also checks that region6 existed in the birth year (e.g. 平山区 210502 from 1983,
    明山区/南芬区 from 1984); pick 210521/210522 for people born earlier.
    """
    if len(region6) != 6 or not region6.isdigit():
        raise ValueError(f"region6 must be six digits: {region6!r}")
    if not 0 <= seq3 <= 999:
        raise ValueError(f"seq3 must be 0..999: {seq3}")
    first17 = f"{region6}{birth:%Y%m%d}{seq3:03d}"
    return first17 + id_number_check_char(first17)


def id_number_gender(id_number: str) -> str:
    """Gender from the sequence digit of a 身份证号: "M" (odd) or "F" (even)."""
    return "M" if int(id_number[16]) % 2 else "F"


# ---------------------------------------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------------------------------------

CITY_CODE: Final = "210500000000"
CITY_NAME: Final = "本溪市"

# (six-digit GB/T 2260 code, name, ASCII slug used in department codes)
COUNTIES: Final[tuple[tuple[str, str, str], ...]] = (
    ("210502", "平山区", "ps"),
    ("210503", "溪湖区", "xh"),
    ("210504", "明山区", "ms"),
    ("210505", "南芬区", "nf"),
    ("210521", "本溪满族自治县", "bxx"),
    ("210522", "桓仁满族自治县", "hrx"),
)
COUNTY_SHORT_NAMES: Final[Mapping[str, str]] = {
    "210502": "平山区",
    "210503": "溪湖区",
    "210504": "明山区",
    "210505": "南芬区",
    "210521": "本溪县",
    "210522": "桓仁县",
}

# Streets and townships per county, in serial order (001, 002, ...).
STREETS: Final[Mapping[str, tuple[str, ...]]] = {
    "210502": ("平山街道", "东明街道", "站前街道", "南地街道", "千金街道", "桥头镇"),
    "210503": ("河西街道", "彩屯街道", "东风街道", "石桥子街道", "河东街道", "歪头山镇"),
    "210504": ("新明街道", "高峪街道", "牛心台街道", "东兴街道", "北地街道"),
    "210505": ("铁山街道", "郭家街道", "下马塘街道", "思山岭街道"),
    "210521": ("小市镇", "草河口镇", "田师付镇", "南甸镇", "碱厂镇"),
    "210522": ("桓仁镇", "普乐堡镇", "二棚甸子镇", "沙尖子镇", "五里甸子镇"),
}

# Name stems for generated communities (街道 → 社区) and villages (镇/乡 → 村). 40 each; a county never
# takes more than 40, so names are unique within a county.
_COMMUNITY_STEMS: Final = (
    "永丰", "光明", "胜利", "和平", "友谊", "新华", "建设", "解放", "团结", "幸福",
    "东山", "西山", "南山", "北山", "向阳", "红旗", "太平", "民主", "长青", "育才",
    "兴华", "新兴", "温泉", "丹霞", "平安", "明珠", "钢城", "铁路", "滨河", "翠湖",
    "振兴", "东兴", "惠民", "和谐", "立新", "工人", "卫生", "桥北", "河沿", "北岸",
)  # fmt: skip
_VILLAGE_STEMS: Final = (
    "明山", "马家", "王家", "下堡", "二道河", "大堡", "石门", "南沟", "北甸", "黄柏峪",
    "高台子", "东堡", "老营", "红石", "双岭", "大甸子", "三道河", "柳树", "河口", "大西岔",
    "碱厂沟", "城沟", "南台", "向阳", "青山", "五道岭", "大川", "小堡", "洼子", "新开岭",
    "腰堡", "泉眼", "荒沟", "东营", "岔路子", "杨木", "梨树", "边外", "四道岭", "二户来",
)  # fmt: skip
_STEM_STRIDE: Final = 7  # coprime to 40


def county_code(county6: str) -> str:
    return f"{county6}000000"


def street_code(county6: str, serial: int) -> str:
    return f"{county6}{serial:03d}000"


def community_code(street12: str, serial: int) -> str:
    return f"{street12[:9]}{serial:03d}"


def is_subdistrict(name: str) -> bool:
    """街道 (urban) rather than 镇/乡 (rural)."""
    return name.endswith("街道")


def _build_regions() -> tuple[RegionSeed, ...]:
    seeds: list[RegionSeed] = [RegionSeed(CITY_CODE, CITY_NAME, LEVEL_CITY, None)]
    for county_index, (county6, county_name, _slug) in enumerate(COUNTIES):
        county12 = county_code(county6)
        seeds.append(RegionSeed(county12, county_name, LEVEL_DISTRICT, CITY_CODE))
        stem_cursor = county_index * 5
        for street_serial, street_name in enumerate(STREETS[county6], start=1):
            street12 = street_code(county6, street_serial)
            seeds.append(RegionSeed(street12, street_name, LEVEL_STREET, county12))
            urban = is_subdistrict(street_name)
            stems, suffix = (_COMMUNITY_STEMS, "社区") if urban else (_VILLAGE_STEMS, "村")
            how_many = 3 + (street_serial + county_index) % 3  # 3..5
            for community_serial in range(1, how_many + 1):
                stem = stems[stem_cursor % len(stems)]
                stem_cursor += _STEM_STRIDE
                seeds.append(
                    RegionSeed(community_code(street12, community_serial), stem + suffix, LEVEL_COMMUNITY, street12)
                )
    return tuple(seeds)


REGIONS: Final[tuple[RegionSeed, ...]] = _build_regions()


def region_index(regions: Iterable[RegionSeed] = REGIONS) -> dict[str, RegionSeed]:
    return {r.code: r for r in regions}


def region_by_name(county6: str, name: str, regions: Iterable[RegionSeed] = REGIONS) -> RegionSeed:
    """The street or community called `name` inside the county (first match in code order)."""
    for region in regions:
        if region.code.startswith(county6) and region.name == name and region.level != LEVEL_DISTRICT:
            return region
    raise KeyError(f"no region {name!r} in county {county6}")


def children_of(code: str, regions: Iterable[RegionSeed] = REGIONS) -> tuple[RegionSeed, ...]:
    return tuple(r for r in regions if r.parent_code == code)


def ancestors_of(code: str, regions: Iterable[RegionSeed] = REGIONS) -> tuple[RegionSeed, ...]:
    """The region's ancestors, nearest first (community → street → district → city)."""
    index = region_index(regions)
    out: list[RegionSeed] = []
    parent = index[code].parent_code
    while parent is not None:
        out.append(index[parent])
        parent = index[parent].parent_code
    return tuple(out)


def _street(county6: str, name: str) -> str:
    return street_code(county6, STREETS[county6].index(name) + 1)


def _community(county6: str, street_name: str, serial: int) -> str:
    return community_code(_street(county6, street_name), serial)


# ---------------------------------------------------------------------------------------------------------
# Departments
# ---------------------------------------------------------------------------------------------------------

# (slug, full name, short name, kind) — city level. Order fixes the USCC serials: do not reorder, append.
_CITY_DEPARTMENTS: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("zfb", "本溪市人民政府办公室", "市政府办公室", KIND_GENERAL_OFFICE),
    ("fgw", "本溪市发展和改革委员会", "市发展改革委", KIND_CONSTITUENT),
    ("gxj", "本溪市工业和信息化局", "市工信局", KIND_CONSTITUENT),
    ("jyj", "本溪市教育局", "市教育局", KIND_CONSTITUENT),
    ("kjj", "本溪市科学技术局", "市科技局", KIND_CONSTITUENT),
    ("gaj", "本溪市公安局", "市公安局", KIND_CONSTITUENT),
    ("mzj", "本溪市民政局", "市民政局", KIND_CONSTITUENT),
    ("sfj", "本溪市司法局", "市司法局", KIND_CONSTITUENT),
    ("czj", "本溪市财政局", "市财政局", KIND_CONSTITUENT),
    ("rsj", "本溪市人力资源和社会保障局", "市人力社保局", KIND_CONSTITUENT),
    ("zrzyj", "本溪市自然资源局", "市自然资源局", KIND_CONSTITUENT),
    ("sthjj", "本溪市生态环境局", "市生态环境局", KIND_CONSTITUENT),
    ("zjj", "本溪市住房和城乡建设局", "市住建局", KIND_CONSTITUENT),
    ("jtysj", "本溪市交通运输局", "市交通运输局", KIND_CONSTITUENT),
    ("slj", "本溪市水利局", "市水利局", KIND_CONSTITUENT),
    ("nyncj", "本溪市农业农村局", "市农业农村局", KIND_CONSTITUENT),
    ("swj", "本溪市商务局", "市商务局", KIND_CONSTITUENT),
    ("wlgdj", "本溪市文化旅游和广播电视局", "市文旅广电局", KIND_CONSTITUENT),
    ("wjw", "本溪市卫生健康委员会", "市卫健委", KIND_CONSTITUENT),
    ("tyjrswj", "本溪市退役军人事务局", "市退役军人事务局", KIND_CONSTITUENT),
    ("yjglj", "本溪市应急管理局", "市应急管理局", KIND_CONSTITUENT),
    ("sjj", "本溪市审计局", "市审计局", KIND_CONSTITUENT),
    ("ysj", "本溪市营商环境建设局", "市营商局", KIND_CONSTITUENT),  # 行政审批, 一网通办
    ("gzw", "本溪市人民政府国有资产监督管理委员会", "市国资委", KIND_DIRECTLY_UNDER),
    ("scjgj", "本溪市市场监督管理局", "市市场监管局", KIND_DIRECTLY_UNDER),
    ("tjj", "本溪市统计局", "市统计局", KIND_DIRECTLY_UNDER),
    ("ybj", "本溪市医疗保障局", "市医保局", KIND_DIRECTLY_UNDER),
    ("tyj", "本溪市体育局", "市体育局", KIND_DIRECTLY_UNDER),
    ("zhzfj", "本溪市城市管理综合行政执法局", "市城管执法局", KIND_DIRECTLY_UNDER),
    ("xfj", "本溪市信访局", "市信访局", KIND_DIRECTLY_UNDER),
    ("zwsjj", "本溪市政务数据管理局", "市政务数据管理局", KIND_DIRECTLY_UNDER),  # 政务大数据管理
    ("zwfwzx", "本溪市政务服务中心", "市政务服务中心", KIND_INSTITUTION),
    ("rx12345", "本溪市12345政务服务便民热线中心", "市12345热线中心", KIND_INSTITUTION),
    ("dsjzx", "本溪市大数据管理中心", "市大数据管理中心", KIND_INSTITUTION),
    ("gjjzx", "本溪市住房公积金管理中心", "市住房公积金管理中心", KIND_INSTITUTION),
    ("ggzyjyzx", "本溪市公共资源交易中心", "市公共资源交易中心", KIND_INSTITUTION),
    ("yjzhzx", "本溪市应急指挥中心", "市应急指挥中心", KIND_INSTITUTION),
    ("swuj", "国家税务总局本溪市税务局", "市税务局", KIND_VERTICAL),
)

# County-level departments: (slug suffix, name suffix, short-name suffix, kind), prefixed per county.
_COUNTY_DEPARTMENTS: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("zfb", "人民政府办公室", "政府办", KIND_GENERAL_OFFICE),
    ("zwfwzx", "政务服务中心", "政务服务中心", KIND_INSTITUTION),
    ("zhzfj", "城市管理综合行政执法局", "综合执法局", KIND_CONSTITUENT),
)

# Street offices / township governments that host staff: (county6, street name, slug suffix).
_STREET_OFFICES: Final[tuple[tuple[str, str, str], ...]] = (
    ("210502", "平山街道", "psjd"),
    ("210502", "东明街道", "dmjd"),
    ("210503", "河西街道", "hxjd"),
    ("210503", "彩屯街道", "ctjd"),
    ("210504", "新明街道", "xmjd"),
    ("210505", "铁山街道", "tsjd"),
    ("210521", "小市镇", "xsz"),
    ("210522", "桓仁镇", "hrz"),
)

_KIND_TYPE_CODE: Final[Mapping[str, str]] = {
    KIND_GENERAL_OFFICE: "11",  # 机构编制 + 机关
    KIND_CONSTITUENT: "11",
    KIND_DIRECTLY_UNDER: "11",
    KIND_VERTICAL: "11",
    KIND_STREET_OFFICE: "11",
    KIND_INSTITUTION: "12",  # 机构编制 + 事业单位
}


def county_slug(county6: str) -> str:
    for code, _name, slug in COUNTIES:
        if code == county6:
            return slug
    raise KeyError(county6)


def department_code(county6: str, suffix: str) -> str:
    """Slug of a county-level department or street office, e.g. ("210502", "zwfwzx") → "ps_zwfwzx"."""
    return f"{county_slug(county6)}_{suffix}"


def _build_departments() -> tuple[DepartmentSeed, ...]:
    serials: dict[str, int] = {}

    def uscc_for(kind: str, region6: str) -> str:
        prefix8 = _KIND_TYPE_CODE[kind] + region6
        serials[prefix8] = serials.get(prefix8, 0) + 1
        return make_uscc(prefix8, serials[prefix8])

    seeds: list[DepartmentSeed] = []
    for slug, name, short_name, kind in _CITY_DEPARTMENTS:
        seeds.append(DepartmentSeed(slug, name, short_name, uscc_for(kind, "210500"), CITY_CODE, kind))
    for county6, county_name, _slug in COUNTIES:
        short_county = COUNTY_SHORT_NAMES[county6]
        for suffix, name_suffix, short_suffix, kind in _COUNTY_DEPARTMENTS:
            seeds.append(
                DepartmentSeed(
                    department_code(county6, suffix),
                    county_name + name_suffix,
                    short_county + short_suffix,
                    uscc_for(kind, county6),
                    county_code(county6),
                    kind,
                )
            )
    county_names = {code: name for code, name, _slug in COUNTIES}
    for county6, street_name, suffix in _STREET_OFFICES:
        if is_subdistrict(street_name):
            name = f"{county_names[county6]}人民政府{street_name}办事处"
            short_name = f"{street_name}办事处"
        else:
            name = f"{county_names[county6]}{street_name}人民政府"
            short_name = f"{street_name}政府"
        seeds.append(
            DepartmentSeed(
                department_code(county6, suffix),
                name,
                short_name,
                uscc_for(KIND_STREET_OFFICE, county6),
                _street(county6, street_name),
                KIND_STREET_OFFICE,
            )
        )
    return tuple(seeds)


DEPARTMENTS: Final[tuple[DepartmentSeed, ...]] = _build_departments()


def department_index(departments: Iterable[DepartmentSeed] = DEPARTMENTS) -> dict[str, DepartmentSeed]:
    return {d.code: d for d in departments}


# ---------------------------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------------------------

PERM_VIEW_STAFF: Final = "identity.view_staff"
PERM_MANAGE_STAFF: Final = "identity.manage_staff"
PERM_MANAGE_ROLES: Final = "identity.manage_roles"
PERM_VIEW_ENTERPRISE: Final = "identity.view_enterprise"
PERM_MANAGE_ENTERPRISE: Final = "identity.manage_enterprise"
PERM_VIEW_CITIZEN: Final = "identity.view_citizen"
PERM_REGISTER_CITIZEN: Final = "identity.register_citizen"
PERM_OVERRIDE_VALIDATION: Final = "identity.override_validation"
PERM_AUDIT_VIEW: Final = "audit.view"
PERM_CONSOLE_ACCESS: Final = "console.access"
PERM_ACCEPT_APPLICATION: Final = "services.accept_application"
PERM_DECIDE_APPLICATION: Final = "services.decide_application"
PERM_MANAGE_CATALOGUE: Final = "services.manage_catalogue"
PERM_ANSWER_RECTIFICATION: Final = "services.answer_rectification"
PERM_VIEW_SERVICE_STATISTICS: Final = "services.view_statistics"
PERM_MANAGE_CREDIT: Final = "credit.manage"
PERM_HOTLINE_INTAKE: Final = "hotline.intake"
PERM_HOTLINE_DISPATCH: Final = "hotline.dispatch"
PERM_HOTLINE_HANDLE: Final = "hotline.handle"
PERM_HOTLINE_CALLBACK: Final = "hotline.callback"
PERM_HOTLINE_MANAGE_KNOWLEDGE: Final = "hotline.manage_knowledge"
PERM_HOTLINE_VIEW_STATISTICS: Final = "hotline.view_statistics"
PERM_HOTLINE_MANAGE: Final = "hotline.manage"
ALL_PERMISSIONS: Final[tuple[str, ...]] = (
    PERM_VIEW_STAFF,
    PERM_MANAGE_STAFF,
    PERM_MANAGE_ROLES,
    PERM_VIEW_ENTERPRISE,
    PERM_MANAGE_ENTERPRISE,
    PERM_VIEW_CITIZEN,
    PERM_REGISTER_CITIZEN,
    PERM_OVERRIDE_VALIDATION,
    PERM_AUDIT_VIEW,
    PERM_CONSOLE_ACCESS,
    PERM_ACCEPT_APPLICATION,
    PERM_DECIDE_APPLICATION,
    PERM_MANAGE_CATALOGUE,
    PERM_ANSWER_RECTIFICATION,
    PERM_VIEW_SERVICE_STATISTICS,
    PERM_MANAGE_CREDIT,
    PERM_HOTLINE_INTAKE,
    PERM_HOTLINE_DISPATCH,
    PERM_HOTLINE_HANDLE,
    PERM_HOTLINE_CALLBACK,
    PERM_HOTLINE_MANAGE_KNOWLEDGE,
    PERM_HOTLINE_VIEW_STATISTICS,
    PERM_HOTLINE_MANAGE,
)

ROLE_SYSADMIN: Final = "sysadmin"
ROLE_AUDITOR: Final = "auditor"
ROLE_DEPT_HEAD: Final = "dept_head"
ROLE_CLERK: Final = "clerk"
ROLE_STREET_CLERK: Final = "street_clerk"
ROLE_GRID_WORKER: Final = "grid_worker"
ROLE_CITY_LEADER: Final = "city_leader"
ROLE_STAFF_ADMIN: Final = "staff_admin"
ROLE_HOTLINE_AGENT: Final = "hotline_agent"
ROLE_HOTLINE_DISPATCHER: Final = "hotline_dispatcher"
ROLE_HOTLINE_LIAISON: Final = "hotline_liaison"

ROLES: Final[tuple[RoleSeed, ...]] = (
    RoleSeed(ROLE_SYSADMIN, "系统管理员", ALL_PERMISSIONS, True, "平台运维与全部管理权限, 须启用双因素认证"),
    RoleSeed(
        ROLE_AUDITOR,
        "安全审计员",
        (PERM_AUDIT_VIEW, PERM_CONSOLE_ACCESS),
        True,
        "查阅审计日志, 与系统管理员职责分离 (三员分立)",
    ),
    RoleSeed(
        ROLE_DEPT_HEAD,
        "部门负责人",
        (
            PERM_VIEW_STAFF,
            PERM_VIEW_ENTERPRISE,
            PERM_VIEW_CITIZEN,
            PERM_DECIDE_APPLICATION,
            PERM_ANSWER_RECTIFICATION,
            PERM_VIEW_SERVICE_STATISTICS,
            PERM_HOTLINE_HANDLE,
            PERM_HOTLINE_VIEW_STATISTICS,
            PERM_CONSOLE_ACCESS,
        ),
        False,
        "审查决定本部门办件、答复差评整改、承办本部门热线工单, 查看本部门人员及授权范围内的企业、群众信息",
    ),
    RoleSeed(
        ROLE_CLERK,
        "窗口工作人员",
        (PERM_VIEW_ENTERPRISE, PERM_VIEW_CITIZEN, PERM_REGISTER_CITIZEN, PERM_ACCEPT_APPLICATION, PERM_CONSOLE_ACCESS),
        False,
        "政务服务中心综合窗口受理, 查看办事企业和群众信息",
    ),
    RoleSeed(
        ROLE_STREET_CLERK,
        "街道工作人员",
        (
            PERM_VIEW_ENTERPRISE,
            PERM_VIEW_CITIZEN,
            PERM_REGISTER_CITIZEN,
            PERM_ACCEPT_APPLICATION,
            PERM_HOTLINE_HANDLE,
            PERM_CONSOLE_ACCESS,
        ),
        False,
        "街道/乡镇便民服务中心受理、属地承办热线工单, 范围限于本街道",
    ),
    RoleSeed(ROLE_GRID_WORKER, "网格员", (PERM_CONSOLE_ACCESS,), False, "社区网格巡查与事件上报"),
    RoleSeed(
        ROLE_CITY_LEADER,
        "市领导",
        (
            PERM_VIEW_STAFF,
            PERM_VIEW_ENTERPRISE,
            PERM_VIEW_SERVICE_STATISTICS,
            PERM_HOTLINE_VIEW_STATISTICS,
            PERM_CONSOLE_ACCESS,
        ),
        False,
        "领导驾驶舱与全市概况查看",
    ),
    RoleSeed(
        ROLE_STAFF_ADMIN,
        "人事管理员",
        (PERM_VIEW_STAFF, PERM_MANAGE_STAFF, PERM_MANAGE_ROLES, PERM_CONSOLE_ACCESS),
        True,
        "管理工作人员账号与角色授权, 须启用双因素认证",
    ),
    RoleSeed(
        ROLE_HOTLINE_AGENT,
        "热线话务员",
        (PERM_HOTLINE_INTAKE, PERM_HOTLINE_CALLBACK, PERM_CONSOLE_ACCESS),
        False,
        "12345 热线接听登记诉求、查询知识库、回访",
    ),
    RoleSeed(
        ROLE_HOTLINE_DISPATCHER,
        "热线派单员",
        (
            PERM_HOTLINE_INTAKE,
            PERM_HOTLINE_DISPATCH,
            PERM_HOTLINE_CALLBACK,
            PERM_HOTLINE_MANAGE_KNOWLEDGE,
            PERM_HOTLINE_VIEW_STATISTICS,
            PERM_CONSOLE_ACCESS,
        ),
        False,
        "12345 热线中心派单、并案、延期审批、督办与知识库维护",
    ),
    RoleSeed(
        ROLE_HOTLINE_LIAISON,
        "部门热线联络员",
        (PERM_HOTLINE_HANDLE, PERM_CONSOLE_ACCESS),
        False,
        "签收、办理、回复本部门的热线工单",
    ),
)


def role_index(roles: Iterable[RoleSeed] = ROLES) -> dict[str, RoleSeed]:
    return {r.code: r for r in roles}


# ---------------------------------------------------------------------------------------------------------
# Staff
# ---------------------------------------------------------------------------------------------------------

_PS, _XH, _MS, _NF, _BXX, _HRX = "210502", "210503", "210504", "210505", "210521", "210522"


def _city_staff(username: str, name: str, dept: str, roles: tuple[str, ...], title: str) -> StaffSeed:
    return StaffSeed(username, name, dept, CITY_CODE, roles, CITY_CODE, title)


def _county_staff(username: str, name: str, county6: str, suffix: str, roles: tuple[str, ...], title: str) -> StaffSeed:
    region = county_code(county6)
    return StaffSeed(username, name, department_code(county6, suffix), region, roles, region, title)


def _street_staff(
    username: str,
    name: str,
    county6: str,
    dept_suffix: str,
    street_name: str,
    roles: tuple[str, ...],
    title: str,
) -> StaffSeed:
    region = _street(county6, street_name)
    return StaffSeed(username, name, department_code(county6, dept_suffix), region, roles, region, title)


def _grid_staff(username: str, name: str, county6: str, dept_suffix: str, street_name: str, serial: int) -> StaffSeed:
    region = _community(county6, street_name, serial)
    return StaffSeed(
        username, name, department_code(county6, dept_suffix), region, (ROLE_GRID_WORKER,), region, "网格员"
    )


STAFF: Final[tuple[StaffSeed, ...]] = (
    # 市领导
    _city_staff("zhangjianguo", "张建国", "zfb", (ROLE_CITY_LEADER,), "市长"),
    _city_staff("liuhongmei", "刘红梅", "zfb", (ROLE_CITY_LEADER,), "副市长"),
    # 平台运维与审计 (三员分立): 市政务数据管理局
    _city_staff("wangjianguo", "王建国", "zwsjj", (ROLE_SYSADMIN,), "系统管理员"),
    _city_staff("chenxiaoyu", "陈晓宇", "zwsjj", (ROLE_SYSADMIN,), "系统管理员"),
    _city_staff("zhaoli", "赵丽", "zwsjj", (ROLE_AUDITOR,), "安全审计员"),
    _city_staff("sunhaitao", "孙海涛", "zwsjj", (ROLE_AUDITOR,), "安全审计员"),
    _city_staff("zhouyan", "周艳", "zwsjj", (ROLE_STAFF_ADMIN,), "人事管理员"),
    # 市直部门负责人
    _city_staff("mawenbin", "马文斌", "zwsjj", (ROLE_DEPT_HEAD,), "局长"),
    _city_staff("wujunfeng", "吴俊峰", "ysj", (ROLE_DEPT_HEAD,), "局长"),
    _city_staff("xujing", "徐静", "zwfwzx", (ROLE_DEPT_HEAD,), "主任"),
    _city_staff("luoxiaoyan", "罗晓燕", "rx12345", (ROLE_DEPT_HEAD,), "主任"),
    _city_staff("lizhigang", "李志刚", "gaj", (ROLE_DEPT_HEAD,), "局长"),
    _city_staff("yangxiuying", "杨秀英", "scjgj", (ROLE_DEPT_HEAD,), "局长"),
    _city_staff("huchunyan", "胡春燕", "rsj", (ROLE_DEPT_HEAD,), "局长"),
    _city_staff("guozhenhua", "郭振华", "mzj", (ROLE_DEPT_HEAD,), "局长"),
    _city_staff("helijuan", "何丽娟", "wjw", (ROLE_DEPT_HEAD,), "主任"),
    _city_staff("linfeng", "林峰", "jyj", (ROLE_DEPT_HEAD,), "局长"),
    _city_staff("gaomingyuan", "高明远", "fgw", (ROLE_DEPT_HEAD,), "主任"),
    _city_staff("liangguodong", "梁国栋", "yjglj", (ROLE_DEPT_HEAD,), "局长"),
    _city_staff("songzhiqiang", "宋志强", "zjj", (ROLE_DEPT_HEAD,), "局长"),
    _city_staff("zhengguifang", "郑桂芳", "xfj", (ROLE_DEPT_HEAD,), "局长"),
    # 市政务服务中心窗口
    _city_staff("fengxue", "冯雪", "zwfwzx", (ROLE_CLERK,), "综合受理窗口"),
    # 市12345热线中心
    _city_staff("hanxue", "韩雪", "rx12345", (ROLE_HOTLINE_AGENT,), "话务员"),
    _city_staff("songjiaqi", "宋佳琪", "rx12345", (ROLE_HOTLINE_AGENT,), "话务员"),
    _city_staff("zhoupeng", "周鹏", "rx12345", (ROLE_HOTLINE_DISPATCHER,), "派单员"),
    # 部门热线联络员
    _city_staff("liguoqiang", "李国强", "zjj", (ROLE_HOTLINE_LIAISON,), "热线联络员"),
    _city_staff("wangshuang", "王爽", "zhzfj", (ROLE_HOTLINE_LIAISON,), "热线联络员"),
    _city_staff("zhaominghui", "赵明辉", "rsj", (ROLE_HOTLINE_LIAISON,), "热线联络员"),
    _city_staff("qianli", "钱丽", "jyj", (ROLE_HOTLINE_LIAISON,), "热线联络员"),
    _city_staff("caolei", "曹磊", "zwfwzx", (ROLE_CLERK,), "企业开办窗口"),
    _city_staff("xutingting", "许婷婷", "zwfwzx", (ROLE_CLERK,), "社保医保窗口"),
    _city_staff("dengyuhang", "邓宇航", "zwfwzx", (ROLE_CLERK,), "不动产登记窗口"),
    _city_staff("penglihua", "彭丽华", "zwfwzx", (ROLE_CLERK,), "公积金窗口"),
    _city_staff("zengkai", "曾凯", "zwfwzx", (ROLE_CLERK,), "帮办代办窗口"),
    # 区县
    _county_staff("handongmei", "韩冬梅", _PS, "zwfwzx", (ROLE_DEPT_HEAD,), "主任"),
    _county_staff("tanghaibo", "唐海波", _HRX, "zwfwzx", (ROLE_DEPT_HEAD,), "主任"),
    _county_staff("xiechunmei", "谢春梅", _XH, "zfb", (ROLE_STAFF_ADMIN,), "人事管理员"),
    _county_staff("lvna", "吕娜", _MS, "zwfwzx", (ROLE_CLERK,), "综合受理窗口"),
    _county_staff("jiangwei", "蒋伟", _BXX, "zwfwzx", (ROLE_CLERK,), "综合受理窗口"),
    # 街道/乡镇工作人员
    _street_staff("sujianping", "苏建平", _PS, "psjd", "平山街道", (ROLE_STREET_CLERK,), "便民服务中心主任"),
    _street_staff("jiangxiaoli", "江晓丽", _PS, "zwfwzx", "东明街道", (ROLE_STREET_CLERK,), "街道受理员"),
    _street_staff("donglixin", "董立新", _XH, "hxjd", "河西街道", (ROLE_STREET_CLERK,), "街道受理员"),
    _street_staff("yuanfang", "袁芳", _MS, "zwfwzx", "新明街道", (ROLE_STREET_CLERK,), "街道受理员"),
    _street_staff("tianye", "田野", _NF, "zwfwzx", "铁山街道", (ROLE_STREET_CLERK,), "街道受理员"),
    _street_staff("yuhongtao", "于洪涛", _BXX, "xsz", "小市镇", (ROLE_STREET_CLERK,), "镇便民服务中心受理员"),
    _street_staff("panyulan", "潘玉兰", _HRX, "hrz", "桓仁镇", (ROLE_STREET_CLERK,), "镇便民服务中心受理员"),
    # 社区网格员
    _grid_staff("duxiumei", "杜秀梅", _PS, "psjd", "平山街道", 1),
    _grid_staff("chenghao", "程浩", _PS, "psjd", "平山街道", 2),
    _grid_staff("weichunsheng", "魏春生", _PS, "dmjd", "东明街道", 1),
    _grid_staff("jianghong", "姜红", _XH, "ctjd", "彩屯街道", 2),
    _grid_staff("fanwenbo", "范文博", _MS, "xmjd", "新明街道", 3),
    _grid_staff("fangliping", "方丽萍", _NF, "tsjd", "铁山街道", 1),
    _grid_staff("shilei", "石磊", _BXX, "xsz", "小市镇", 2),
    _grid_staff("yaoguilan", "姚桂兰", _HRX, "hrz", "桓仁镇", 1),
)


# ---------------------------------------------------------------------------------------------------------
# Citizens
# ---------------------------------------------------------------------------------------------------------

CITIZENS: Final[tuple[CitizenSeed, ...]] = (
    # Born before 1983: 平山/溪湖/明山/南芬 codes did not exist yet, so these use the two county codes.
    CitizenSeed(
        "lixiulan", "李秀兰", make_id_number(_BXX, date(1952, 3, 14), 24), "13800001352",
        "本溪市本溪满族自治县小市镇滨河路18号1单元201",
    ),
    CitizenSeed(
        "wangdefu", "王德福", make_id_number(_HRX, date(1949, 11, 2), 137), "13900004916",
        "本溪市桓仁满族自治县桓仁镇向阳街66号",
    ),
    CitizenSeed(
        "zhangguizhi", "张桂芝", make_id_number(_BXX, date(1958, 7, 21), 46), "15000002783",
        "本溪市平山区胜利路35号2单元301",
    ),
    CitizenSeed(
        "liuzhijun", "刘志军", make_id_number(_HRX, date(1963, 5, 9), 211), "13700008624",
        "本溪市溪湖区河西路128号3单元502",
    ),
    CitizenSeed(
        "zhouminghui", "周明辉", make_id_number(_BXX, date(1976, 4, 11), 95), "18600003071",
        "本溪市本溪满族自治县小市镇关门山路9号",
    ),
    CitizenSeed(
        "chenhaoran", "陈浩然", make_id_number(_PS, date(1988, 9, 30), 153), "18900006438",
        "本溪市平山区解放北路72号1单元602",
    ),
    CitizenSeed(
        "yangting", "杨婷", make_id_number(_XH, date(1995, 2, 17), 68), "15800005129",
        "本溪市溪湖区彩屯路21号4单元101",
    ),
    CitizenSeed(
        "zhaoyu", "赵宇", make_id_number(_MS, date(1990, 12, 5), 179), "13600007745",
        "本溪市明山区新明路45号2单元401",
    ),
    CitizenSeed(
        "sunjiayi", "孙佳怡", make_id_number(_NF, date(2001, 6, 23), 82), "15200009360",
        "本溪市南芬区铁山街12号1单元302",
    ),
    CitizenSeed(
        "wuxiaoyan", "吴晓燕", make_id_number(_PS, date(1984, 8, 8), 106), "13500002597",
        "本溪市平山区永丰街16号3单元203",
    ),
    CitizenSeed(
        "huangzhipeng", "黄志鹏", make_id_number(_XH, date(1985, 1, 26), 233), "18800004182",
        "本溪市溪湖区东风路88号2单元501",
    ),
    CitizenSeed(
        "zhengyaqin", "郑雅琴", make_id_number(_HRX, date(1998, 10, 15), 58), "15600008813",
        "本溪市桓仁满族自治县桓仁镇五女山路27号",
    ),
)  # fmt: skip


def citizen_index(citizens: Iterable[CitizenSeed] = CITIZENS) -> dict[str, CitizenSeed]:
    return {c.username: c for c in citizens}


# ---------------------------------------------------------------------------------------------------------
# Enterprises
# ---------------------------------------------------------------------------------------------------------

# (region6, name, legal-rep username or None, legal-rep name, address, agent usernames)
_ENTERPRISES: Final[tuple[tuple[str, str, str | None, str, str, tuple[str, ...]], ...]] = (
    (_MS, "本溪市明山区兴隆餐饮有限公司", "zhaoyu", "赵宇", "本溪市明山区新明路102号", ()),
    (_XH, "本溪钢城物流有限公司", "huangzhipeng", "黄志鹏", "本溪市溪湖区东风路201号", ("sunjiayi",)),
    (_HRX, "桓仁冰酒庄园有限公司", "zhengyaqin", "郑雅琴", "本溪市桓仁满族自治县桓仁镇冰酒大道8号", ()),
    (
        _BXX, "本溪县关门山旅游开发有限公司", "zhouminghui", "周明辉",
        "本溪市本溪满族自治县小市镇关门山路1号", ("lixiulan",),
    ),
    (_PS, "本溪市平山区惠民大药房有限公司", "wuxiaoyan", "吴晓燕", "本溪市平山区永丰街33号", ()),
    (
        _PS, "本溪数智云科技有限公司", "chenhaoran", "陈浩然", "本溪市平山区站前街58号8层",
        ("yangting", "wuxiaoyan"),
    ),
    (_NF, "本溪市南芬区铁矿机械维修有限公司", None, "孙立国", "本溪市南芬区铁山街76号", ("sunjiayi",)),
    (_XH, "本溪市溪湖区彩屯建材有限公司", None, "钱玉梅", "本溪市溪湖区彩屯路150号", ("liuzhijun",)),
)  # fmt: skip


def _build_enterprises() -> tuple[EnterpriseSeed, ...]:
    serials: dict[str, int] = {}
    seeds: list[EnterpriseSeed] = []
    for region6, name, rep_username, rep_name, address, agents in _ENTERPRISES:
        prefix8 = "91" + region6
        serials[prefix8] = serials.get(prefix8, 0) + 1
        seeds.append(
            EnterpriseSeed(
                make_uscc(prefix8, serials[prefix8]),
                name,
                rep_username,
                rep_name,
                county_code(region6),
                address,
                agents,
            )
        )
    return tuple(seeds)


ENTERPRISES: Final[tuple[EnterpriseSeed, ...]] = _build_enterprises()

# Invitations left unanswered (enterprise name, invited CITIZENS username), so the portal shows 李秀兰 the
# 接受 / 拒绝 card: 陈浩然 of 本溪数智云科技有限公司 has invited her as 经办人.
PENDING_AGENT_INVITATIONS: Final[tuple[tuple[str, str], ...]] = (("本溪数智云科技有限公司", "lixiulan"),)


__all__ = [
    "ALL_PERMISSIONS",
    "CITIZENS",
    "CITY_CODE",
    "COUNTIES",
    "DEPARTMENTS",
    "DEPARTMENT_KIND_LABELS",
    "ENTERPRISES",
    "LEVELS",
    "REGIONS",
    "ROLES",
    "STAFF",
    "STREETS",
    "CitizenSeed",
    "DepartmentSeed",
    "EnterpriseSeed",
    "RegionSeed",
    "RoleSeed",
    "StaffSeed",
    "ancestors_of",
    "children_of",
    "citizen_index",
    "department_index",
    "id_number_check_char",
    "id_number_gender",
    "is_valid_org_code",
    "make_id_number",
    "make_uscc",
    "org_code_check_char",
    "region_index",
    "role_index",
    "uscc_check_char",
]
