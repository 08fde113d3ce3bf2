"""The demo catalogue of 政务服务事项 is internally consistent and fits the demo city. Plain pytest, no DB."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

import pytest

from digigov.identity import demo_city
from digigov.onestop import demo_catalogue as cat
from digigov.onestop.demo_catalogue import ItemSeed, RuleSeed

ITEMS = cat.ITEMS
BUNDLES = cat.BUNDLES
ITEM_IDS = [item.code for item in ITEMS]

# The enums as the models define them (services.models.catalogue); restated here so drift is caught.
MODEL_ITEM_TYPES = {"licensing", "confirmation", "benefit", "award", "ruling", "other_power", "public_service"}
MODEL_ONLINE_LEVELS = {"full", "pre_review", "offline"}
MODEL_APPLICANT_KINDS = {"person", "legal", "both"}
MODEL_HANDLING_SCOPES = {"local", "citywide", "cross_region"}
FIELD_TYPES = {"text", "textarea", "number", "date", "choice", "bool", "id_number", "mobile", "uscc", "address"}
OPS = {"==", "!=", ">=", "<=", ">", "<", "in", "not_in", "is_true", "is_false"}
COMPARISONS = {">=", "<=", ">", "<"}
ALLOWED_FILE_TYPES = {"pdf", "jpg", "jpeg", "png"}

CODE_RE = re.compile(r"^210500-([A-Z]{2,5})-([A-Z]{2})-(\d{4})$")
SNAKE_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# ---------------------------------------------------------------------------------------------------------
# Catalogue-wide
# ---------------------------------------------------------------------------------------------------------


def test_enums_match_the_models() -> None:
    assert set(cat.ITEM_TYPES) == MODEL_ITEM_TYPES
    assert set(cat.ONLINE_LEVELS) == MODEL_ONLINE_LEVELS
    assert set(cat.APPLICANT_KINDS) == MODEL_APPLICANT_KINDS
    assert set(cat.HANDLING_SCOPES) == MODEL_HANDLING_SCOPES
    assert set(cat.FIELD_TYPES) == FIELD_TYPES
    assert set(cat.RULE_OPS) == OPS
    assert set(cat.ITEM_TYPE_ABBREVIATIONS) == MODEL_ITEM_TYPES


def test_size_and_department_spread() -> None:
    assert len(ITEMS) >= 64
    departments = {item.department_code for item in ITEMS}
    assert len(departments) >= 15
    known = {d.code for d in demo_city.DEPARTMENTS}
    assert departments <= known, departments - known


def test_codes_unique_and_well_formed() -> None:
    codes = Counter(item.code for item in ITEMS)
    assert [c for c, n in codes.items() if n > 1] == []
    serials: Counter[tuple[str, str]] = Counter()
    for item in ITEMS:
        match = CODE_RE.match(item.code)
        assert match, item.code
        assert len(item.code) <= 40  # ServiceItem.code max_length
        dept, type_abbr, serial = match.groups()
        assert type_abbr == cat.ITEM_TYPE_ABBREVIATIONS[item.item_type], item.code
        serials[(dept, serial)] += 1
    # Serials run per department regardless of type.
    assert [k for k, n in serials.items() if n > 1] == []


def test_one_department_abbreviation_per_department() -> None:
    abbreviation: dict[str, set[str]] = {}
    for item in ITEMS:
        abbreviation.setdefault(item.department_code, set()).add(item.code.split("-")[1])
    assert all(len(abbrs) == 1 for abbrs in abbreviation.values()), abbreviation
    assert len({next(iter(a)) for a in abbreviation.values()}) == len(abbreviation)


def test_names_unique() -> None:
    names = Counter(item.name for item in ITEMS)
    assert [n for n, c in names.items() if c > 1] == []


def test_the_catalogue_uses_every_field_type() -> None:
    assert cat.all_field_types() == FIELD_TYPES


def test_shared_field_names_mean_the_same_everywhere() -> None:
    """Bundles merge fields by name, so a name must have one type, label and option list catalogue-wide."""
    seen: dict[str, tuple[str, str, tuple[str, ...], str]] = {}
    for item in ITEMS:
        for f in item.fields:
            signature = (f.type, f.label, f.options, item.code)
            first = seen.setdefault(f.name, signature)
            assert first[:3] == signature[:3], f"{f.name}: {first[3]} {first[:3]} vs {item.code} {signature[:3]}"


def test_shared_material_names_carry_the_same_license_type() -> None:
    seen: dict[str, str] = {}
    for item in ITEMS:
        for m in item.materials:
            assert seen.setdefault(m.name, m.license_type) == m.license_type, (item.code, m.name)


def test_every_department_also_has_what_the_issue_asks_for() -> None:
    names = " ".join(item.name for item in ITEMS)
    for needle in (
        "企业设立",
        "企业变更",
        "企业注销",
        "食品经营许可",
        "个体工商户",
        "公共场所卫生许可",
        "医疗机构执业登记",
        "出生医学证明",
        "母婴保健",
        "失业保险金",
        "职业技能等级认定",
        "灵活就业",
        "退休",
        "异地就医",
        "门诊慢特病",
        "生育津贴",
        "住房公积金提取",
        "住房公积金个人住房贷款",
        "户口迁移",
        "居住证",
        "居民身份证",
        "结婚登记",
        "高龄津贴",
        "最低生活保障",
        "老年人优待证",
        "殡葬",
        "残疾人",
        "商品房预售许可",
        "施工许可",
        "不动产转移登记",
        "道路货物运输",
        "出租汽车",
        "民办学校",
        "义务教育",
        "娱乐场所",
        "旅行社",
        "排污许可",
        "环境影响",
        "危险化学品",
        "农药",
        "规划许可",
        "发票",
        "优待证",
        "占用城市道路",
        "户外广告",
        "消防验收",
    ):
        assert needle in names, needle


def test_identity_items_belong_to_public_security() -> None:
    index = cat.item_index()
    for name in ("户口迁移", "居住证申领", "居民身份证换领", "出生登记", "死亡人员户口注销"):
        (item,) = [i for i in index.values() if i.name == name]
        assert item.department_code == "gaj", name


# ---------------------------------------------------------------------------------------------------------
# Per item
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("item", ITEMS, ids=ITEM_IDS)
def test_item_enums_and_texts(item: ItemSeed) -> None:
    assert item.item_type in MODEL_ITEM_TYPES
    assert item.online_level in MODEL_ONLINE_LEVELS
    assert item.applicant_kind in MODEL_APPLICANT_KINDS
    assert item.handling_scope in MODEL_HANDLING_SCOPES
    assert 0 < len(item.name) <= 120
    assert item.legal_basis.startswith("《") and "》" in item.legal_basis
    assert len(item.guide) >= 20


@pytest.mark.parametrize("item", ITEMS, ids=ITEM_IDS)
def test_item_time_limits(item: ItemSeed) -> None:
    # promised_days 0 means 即办; statutory_days 0 means the law requires 当场办结 (then promised is 0 too).
    assert isinstance(item.statutory_days, int) and isinstance(item.promised_days, int)
    assert item.statutory_days >= item.promised_days >= 0
    assert item.statutory_days <= 90


@pytest.mark.parametrize("item", ITEMS, ids=ITEM_IDS)
def test_item_fee(item: ItemSeed) -> None:
    try:
        fee = Decimal(item.fee)
    except InvalidOperation:  # pragma: no cover - the assertion below reports it
        pytest.fail(f"fee is not a decimal: {item.fee!r}")
    assert fee >= 0 and fee == fee.quantize(Decimal("0.01"))
    if fee > 0:
        assert item.fee_note, "a charged item explains its fee"


@pytest.mark.parametrize("item", ITEMS, ids=ITEM_IDS)
def test_item_regions(item: ItemSeed) -> None:
    regions = demo_city.region_index()
    assert item.region_codes, "at least one region"
    assert len(set(item.region_codes)) == len(item.region_codes)
    for code in item.region_codes:
        assert code in regions, code
    if item.handling_scope in {"citywide", "cross_region"}:
        assert item.region_codes == (demo_city.CITY_CODE,)
    else:
        assert demo_city.CITY_CODE not in item.region_codes
        assert all(regions[c].level in {demo_city.LEVEL_DISTRICT, demo_city.LEVEL_STREET} for c in item.region_codes)


@pytest.mark.parametrize("item", ITEMS, ids=ITEM_IDS)
def test_item_fields(item: ItemSeed) -> None:
    assert 3 <= len(item.fields) <= 8
    names = [f.name for f in item.fields]
    assert len(set(names)) == len(names), names
    for f in item.fields:
        assert SNAKE_RE.match(f.name) and f.name.isascii(), f.name
        assert f.label, f.name
        assert f.type in FIELD_TYPES, (f.name, f.type)
        if f.type == "choice":
            assert len(f.options) >= 2 and len(set(f.options)) == len(f.options), f.name
            assert all(isinstance(o, str) and o for o in f.options), f.name
        else:
            assert f.options == (), f.name
        if f.type != "number":
            assert f.min is None and f.max is None, f.name
        elif f.min is not None and f.max is not None:
            assert f.min <= f.max, f.name
        if f.max_length is not None:
            assert f.type in {"text", "textarea", "address"} and f.max_length > 0, f.name
    # Identity facts the platform already knows are not asked.
    assert not {"name", "applicant_name", "id_number", "applicant_id_number", "uscc", "mobile"} & set(names)


@pytest.mark.parametrize("item", ITEMS, ids=ITEM_IDS)
def test_item_materials(item: ItemSeed) -> None:
    assert 2 <= len(item.materials) <= 6
    names = [m.name for m in item.materials]
    assert len(set(names)) == len(names), names
    for m in item.materials:
        assert m.name and len(m.name) <= 120
        assert m.file_types and set(m.file_types) <= ALLOWED_FILE_TYPES, (m.name, m.file_types)
        assert 1 <= m.max_size_mb <= 100
        assert m.license_type == "" or m.license_type in cat.LICENSE_TYPES, (m.name, m.license_type)


def test_documents_the_government_issues_name_their_license_type() -> None:
    for item in ITEMS:
        for m in item.materials:
            for issued in ("居民身份证", "户口簿", "营业执照", "结婚证", "出生医学证明", "不动产权证书", "残疾人证"):
                if m.name == issued:
                    assert m.license_type == issued, (item.code, m.name)


def _rule_problems(item: ItemSeed, rule: RuleSeed) -> list[str]:
    fields = {f.name: f for f in item.fields}
    problems: list[str] = []
    if rule.op not in OPS:
        return [f"unknown op {rule.op!r}"]
    if rule.fact.startswith("form."):
        field = fields.get(rule.fact.removeprefix("form."))
        if field is None:
            return [f"{rule.fact} is not a field of the item"]
        kind = field.type
        options: tuple[str, ...] = field.options
    elif rule.fact in cat.APPLICANT_FACTS:
        kind = cat.APPLICANT_FACTS[rule.fact]
        options = cat.APPLICANT_KIND_VALUES if rule.fact == "applicant.kind" else ()
    else:
        return [f"unknown fact {rule.fact!r}"]

    if rule.op in {"is_true", "is_false"}:
        if kind != "bool" or rule.value is not None:
            problems.append("is_true/is_false need a bool fact and no value")
    elif rule.op in COMPARISONS:
        if kind != "number" or not _is_number(rule.value):
            problems.append("comparisons need a number fact and a number value")
    elif rule.op in {"==", "!="}:
        if kind == "number":
            ok = _is_number(rule.value)
        elif kind == "choice":
            ok = isinstance(rule.value, str) and rule.value in options
        else:
            ok = kind in {"text", "textarea"} and isinstance(rule.value, str)
        if not ok:
            problems.append(f"{rule.op} value does not fit a {kind} fact")
    else:  # in / not_in
        values = rule.value
        if not isinstance(values, list | tuple) or not values:
            problems.append("in/not_in need a non-empty list")
        elif kind == "choice":
            if not all(isinstance(v, str) and v in options for v in values):
                problems.append("in/not_in values must be options of the field")
        elif kind == "number":
            if not all(_is_number(v) for v in values):
                problems.append("in/not_in values must be numbers")
        elif kind in {"text", "textarea"}:
            if not all(isinstance(v, str) for v in values):
                problems.append("in/not_in values must be strings")
        else:
            problems.append(f"in/not_in do not apply to a {kind} fact")
    return problems


@pytest.mark.parametrize("item", [i for i in ITEMS if i.auto_approval], ids=[i.code for i in ITEMS if i.auto_approval])
def test_auto_approval_rules_are_valid(item: ItemSeed) -> None:
    for rule in item.auto_approval:
        assert _rule_problems(item, rule) == [], (item.code, rule)


def test_rule_checker_rejects_broken_rules() -> None:
    item = cat.item_index()["210500-RSJ-JF-0001"]
    assert _rule_problems(item, RuleSeed("form.nope", "==", "x"))
    assert _rule_problems(item, RuleSeed("applicant.height", ">=", 1))
    assert _rule_problems(item, RuleSeed("form.contribution_years", ">=", "1"))
    assert _rule_problems(item, RuleSeed("form.unemployment_reason", "in", ("不存在的原因",)))
    assert _rule_problems(item, RuleSeed("form.unemployment_reason", "in", "劳动合同期满终止"))
    assert _rule_problems(item, RuleSeed("applicant.on_joint_punishment_list", "is_false", False))
    assert _rule_problems(item, RuleSeed("applicant.age", "~=", 3))
    assert _rule_problems(item, RuleSeed("applicant.kind", "==", "robot"))


def test_enough_auto_approval_items() -> None:
    auto = [item for item in ITEMS if item.auto_approval]
    assert len(auto) >= 6
    index = cat.item_index()
    # Benefits that need human judgement are never 秒批.
    assert not index["210500-MZJ-JF-0006"].auto_approval  # 残疾人两项补贴
    assert not index["210500-MZJ-JF-0003"].auto_approval  # 低保
    # The classic 免审即享 cases.
    elder = index["210500-MZJ-GG-0004"].auto_approval
    assert RuleSeed("applicant.age", ">=", 60) in elder
    old_age = index["210500-MZJ-JF-0002"].auto_approval
    assert RuleSeed("applicant.age", ">=", 80) in old_age
    assert RuleSeed("applicant.on_joint_punishment_list", "is_false", None) in old_age


# ---------------------------------------------------------------------------------------------------------
# Bundles
# ---------------------------------------------------------------------------------------------------------


def test_bundles() -> None:
    assert len(BUNDLES) >= 6
    codes = [b.code for b in BUNDLES]
    assert len(set(codes)) == len(codes)
    assert len({b.name for b in BUNDLES}) == len(BUNDLES)


@pytest.mark.parametrize("bundle", BUNDLES, ids=[b.code for b in BUNDLES])
def test_bundle_is_well_formed(bundle: cat.BundleSeed) -> None:
    index = cat.item_index()
    assert SLUG_RE.match(bundle.code) and len(bundle.code) <= 40
    assert bundle.name.endswith("一件事") and bundle.description
    assert 2 <= len(bundle.item_codes) <= 5
    assert len(set(bundle.item_codes)) == len(bundle.item_codes)
    assert all(code in index for code in bundle.item_codes)
    items = cat.bundle_items(bundle.code)
    assert len({item.department_code for item in items}) >= 2
    # Someone can apply for every item of the bundle.
    kinds = {"person", "legal"}
    for item in items:
        kinds &= {"person", "legal"} if item.applicant_kind == "both" else {item.applicant_kind}
    assert kinds, bundle.code


@pytest.mark.parametrize("bundle", BUNDLES, ids=[b.code for b in BUNDLES])
def test_bundle_items_share_something(bundle: cat.BundleSeed) -> None:
    items = cat.bundle_items(bundle.code)
    field_use = Counter(name for item in items for name in {f.name for f in item.fields})
    material_use = Counter(name for item in items for name in {m.name for m in item.materials})
    shared = [n for n, c in field_use.items() if c >= 2] + [n for n, c in material_use.items() if c >= 2]
    assert shared, bundle.code


@pytest.mark.parametrize("bundle", BUNDLES, ids=[b.code for b in BUNDLES])
def test_bundle_merge_asks_each_field_once(bundle: cat.BundleSeed) -> None:
    items = cat.bundle_items(bundle.code)
    merged = cat.bundle_fields(bundle.code)
    names = [f.name for f in merged]
    assert len(set(names)) == len(names)
    assert set(names) == {f.name for item in items for f in item.fields}
    for f in merged:
        assert f.required == any(g.required for item in items for g in item.fields if g.name == f.name)
    materials = cat.bundle_materials(bundle.code)
    assert len({m.name for m in materials}) == len(materials)
    for m in materials:
        assert m.mandatory == any(n.mandatory for item in items for n in item.materials if n.name == m.name)


def test_accessors() -> None:
    assert set(cat.item_index()) == set(ITEM_IDS)
    assert set(cat.bundle_index()) == {b.code for b in BUNDLES}
    grouped = cat.items_by_department()
    assert sum(len(group) for group in grouped.values()) == len(ITEMS)
    assert all(item.department_code == code for code, group in grouped.items() for item in group)


def test_data_is_immutable_and_deterministic() -> None:
    item = ITEMS[0]
    with pytest.raises(AttributeError):
        item.name = "x"  # type: ignore[misc]
    assert hash(item)  # frozen, hashable all the way down (tuples, not lists)
    assert cat.item_index() == cat.item_index()
