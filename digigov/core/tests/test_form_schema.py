"""Application forms as data: the schema staff save, the values applicants submit, and 一件事 merging."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digigov.core.errors import ValidationFailed
from digigov.core.form_schema import (
    FIELD_TYPES,
    FieldSpec,
    clean_form_data,
    merge_bundle_fields,
    validate_form_schema,
)
from digigov.identity.demo_city import make_id_number, make_uscc

CJK = re.compile(r"[\u4e00-\u9fff]")
VALID_ID = make_id_number("210502", date(1990, 3, 7), 123)
VALID_USCC = make_uscc("91210504", 17)

FULL_FORM: list[dict[str, Any]] = [
    {"name": "applicant_name", "label": "申请人姓名", "type": "text", "max_length": 20},
    {"name": "reason", "label": "申请事由", "type": "textarea", "required": False},
    {"name": "age", "label": "年龄", "type": "number", "min": 0, "max": 150},
    {"name": "area", "label": "经营面积(平方米)", "type": "number", "required": False, "min": 0.5},
    {"name": "start_date", "label": "开业日期", "type": "date"},
    {"name": "household", "label": "户籍类型", "type": "choice", "options": ["城镇", "农村"]},
    {"name": "consent", "label": "承诺所填信息真实", "type": "bool"},
    {"name": "id_number", "label": "身份证号", "type": "id_number"},
    {"name": "mobile", "label": "手机号码", "type": "mobile"},
    {"name": "uscc", "label": "统一社会信用代码", "type": "uscc", "required": False},
    {"name": "address", "label": "经营地址", "type": "address", "help": "写到门牌号"},
]
GOOD_DATA: dict[str, object] = {
    "applicant_name": " 张三 ",
    "age": "67",
    "start_date": "2024-03-07",
    "household": "城镇",
    "consent": "on",
    "id_number": VALID_ID,
    "mobile": "138 0013 8000",
    "address": "辽宁省本溪市平山区胜利路1号",
}


@pytest.fixture
def specs() -> list[FieldSpec]:
    return validate_form_schema(FULL_FORM)


def _schema_failure(fields: object) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as info:
        validate_form_schema(fields)  # type: ignore[arg-type]
    error = info.value
    assert set(error.fields) == {"form_fields"}
    assert CJK.search(error.message) and CJK.search(error.fields["form_fields"])
    return error


def _field_errors(specs: list[FieldSpec], data: dict[str, object], *, partial: bool = False) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as info:
        clean_form_data(specs, data, partial=partial)
    assert info.value.message == "申请表填写有误"
    assert info.value.status == 422
    assert all(CJK.search(reason) for reason in info.value.fields.values()), info.value.fields
    return info.value.fields


def _one(type_: str, **extra: object) -> list[FieldSpec]:
    return validate_form_schema([{"name": "f", "label": "字段", "type": type_, **extra}])


def _clean_one(spec: list[FieldSpec], value: object) -> object:
    return clean_form_data(spec, {"f": value})["f"]


def _error_one(spec: list[FieldSpec], value: object) -> str:
    return _field_errors(spec, {"f": value})["f"]


# --- schema -------------------------------------------------------------------------------------------------


def test_schema_gives_typed_specs_with_defaults(specs: list[FieldSpec]) -> None:
    by_name = {s.name: s for s in specs}
    assert [s.name for s in specs] == [f["name"] for f in FULL_FORM]
    assert by_name["applicant_name"].max_length == 20
    assert by_name["reason"].max_length == 1000 and by_name["reason"].required is False
    assert by_name["address"].max_length == 200 and by_name["address"].help_text == "写到门牌号"
    assert by_name["mobile"].max_length is None and by_name["mobile"].required is True
    assert by_name["household"].options == ("城镇", "农村")
    assert (by_name["age"].min_value, by_name["age"].max_value) == (0, 150)
    assert _one("text")[0].max_length == 100
    with pytest.raises(AttributeError):
        by_name["age"].required = False  # type: ignore[misc]


def test_schema_value_kinds(specs: list[FieldSpec]) -> None:
    kinds = {s.name: s.value_kind for s in specs}
    assert kinds["age"] == "number" and kinds["consent"] == "bool"
    assert {kinds[n] for n in ("applicant_name", "start_date", "household", "id_number", "address")} == {"string"}


def test_schema_round_trips_through_to_dict(specs: list[FieldSpec]) -> None:
    again = validate_form_schema([s.to_dict() for s in specs])
    assert again == specs
    json.dumps([s.to_dict() for s in specs])


def test_empty_schema_is_valid() -> None:
    assert validate_form_schema([]) == []


def test_registry_has_exactly_the_documented_types() -> None:
    assert set(FIELD_TYPES) == {
        "text",
        "textarea",
        "number",
        "date",
        "choice",
        "bool",
        "id_number",
        "mobile",
        "uscc",
        "address",
    }
    assert all(callable(ft.clean) and CJK.search(ft.label_zh) for ft in FIELD_TYPES.values())


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ({"name": "Bad Name", "label": "甲", "type": "text"}, "字段名"),
        ({"name": "9lives", "label": "甲", "type": "text"}, "字段名"),
        ({"name": "名字", "label": "甲", "type": "text"}, "字段名"),
        ({"name": "a", "label": "", "type": "text"}, "label"),
        ({"name": "a", "label": "甲", "type": "colour"}, "colour"),
        ({"name": "a", "label": "甲"}, "不受支持"),
        ({"name": "a", "label": "甲", "type": "choice"}, "选项"),
        ({"name": "a", "label": "甲", "type": "choice", "options": []}, "选项"),
        ({"name": "a", "label": "甲", "type": "choice", "options": ["是", " "]}, "选项"),
        ({"name": "a", "label": "甲", "type": "choice", "options": ["是", "是"]}, "重复"),
        ({"name": "a", "label": "甲", "type": "choice", "options": "是,否"}, "选项"),
        ({"name": "a", "label": "甲", "type": "text", "options": ["x"]}, "不支持属性 options"),
        ({"name": "a", "label": "甲", "type": "mobile", "max_length": 11}, "不支持属性 max_length"),
        ({"name": "a", "label": "甲", "type": "text", "max_length": 0}, "max_length"),
        ({"name": "a", "label": "甲", "type": "text", "max_length": 100000}, "max_length"),
        ({"name": "a", "label": "甲", "type": "text", "max_length": True}, "max_length"),
        ({"name": "a", "label": "甲", "type": "text", "max_length": "50"}, "max_length"),
        ({"name": "a", "label": "甲", "type": "number", "min": 10, "max": 1}, "不能大于"),
        ({"name": "a", "label": "甲", "type": "number", "min": "1"}, "最小值"),
        ({"name": "a", "label": "甲", "type": "number", "max": float("nan")}, "最大值"),
        ({"name": "a", "label": "甲", "type": "number", "max": 10**20}, "最大值"),
        ({"name": "a", "label": "甲", "type": "text", "required": "yes"}, "required"),
        ({"name": "a", "label": "甲", "type": "text", "help": 5}, "help"),
        ({"name": "a", "label": "甲", "type": "text", "requried": False}, "requried"),
    ],
)
def test_schema_rejects_broken_field(field: dict[str, Any], expected: str) -> None:
    error = _schema_failure([field])
    assert expected in error.fields["form_fields"]
    assert error.fields["form_fields"].startswith("第1个字段")


def test_schema_error_names_the_field() -> None:
    error = _schema_failure(
        [{"name": "ok", "label": "好", "type": "text"}, {"name": "kind", "label": "类别", "type": "choice"}]
    )
    assert "第2个字段 kind「类别」" in error.fields["form_fields"]
    assert "kind" in error.message


def test_schema_rejects_duplicate_names() -> None:
    error = _schema_failure(
        [{"name": "a", "label": "甲", "type": "text"}, {"name": "a", "label": "乙", "type": "date"}]
    )
    assert "字段名 a 重复" in error.fields["form_fields"]


@pytest.mark.parametrize("fields", [{"name": "a"}, "a", None, ["a"], [None]])
def test_schema_rejects_what_is_not_a_list_of_objects(fields: object) -> None:
    _schema_failure(fields)


def test_schema_reports_every_problem_at_once() -> None:
    error = _schema_failure(
        [
            {"name": "A", "label": "甲", "type": "text"},
            {"name": "b", "label": "乙", "type": "nope"},
            {"name": "c", "label": "丙", "type": "choice"},
        ]
    )
    summary = error.fields["form_fields"]
    assert all(f"第{i}个字段" in summary for i in (1, 2, 3))


# --- applicant data: each type --------------------------------------------------------------------------------


def test_good_data_is_cleaned_and_json_serialisable(specs: list[FieldSpec]) -> None:
    cleaned = clean_form_data(specs, GOOD_DATA)
    assert cleaned == {
        "applicant_name": "张三",
        "age": 67,
        "start_date": "2024-03-07",
        "household": "城镇",
        "consent": True,
        "id_number": VALID_ID,
        "mobile": "13800138000",
        "address": "辽宁省本溪市平山区胜利路1号",
    }
    json.dumps(cleaned)


def test_text_strips_and_limits_length() -> None:
    spec = _one("text", max_length=4)
    assert _clean_one(spec, "  甲乙丙丁 ") == "甲乙丙丁"
    assert _clean_one(spec, 1234) == "1234"
    assert _error_one(spec, "甲乙丙丁戊") == "不能超过4个字(当前5个)"
    assert "文字" in _error_one(spec, ["甲"])
    assert "文字" in _error_one(spec, True)
    assert "控制字符" in _error_one(spec, "甲\n乙")
    assert "控制字符" in _error_one(spec, "甲\x00")
    assert "无效字符" in _error_one(spec, "甲\ud800")


def test_textarea_keeps_lines_and_has_its_default_length() -> None:
    spec = _one("textarea")
    assert _clean_one(spec, " 第一行\r\n第二行\t ") == "第一行\n第二行"
    assert "1000" in _error_one(spec, "字" * 1001)
    assert "控制字符" in _error_one(spec, "甲\x07")


def test_address_defaults_to_200_characters() -> None:
    spec = _one("address")
    assert _clean_one(spec, "地" * 200) == "地" * 200
    assert "200" in _error_one(spec, "地" * 201)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("65", 65), (" 3.5 ", 3.5), ("６５", 65), ("-2", -2), ("60.0", 60), (7, 7), (2.5, 2.5), (8.0, 8), (".5", 0.5)],
)
def test_number_coercion(raw: object, expected: float) -> None:
    value = _clean_one(_one("number"), raw)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    "raw", ["abc", "1e5", "1,000", "0x10", "六十", True, [1], {"v": 1}, float("nan"), float("inf")]
)
def test_number_rejects_non_numbers(raw: object) -> None:
    assert _error_one(_one("number"), raw) == "应填写数字"


def test_number_bounds_and_range() -> None:
    spec = _one("number", min=18, max=120)
    assert _error_one(spec, "17") == "不能小于18"
    assert _error_one(spec, 121) == "不能大于120"
    assert _clean_one(spec, "18") == 18
    assert _error_one(_one("number"), "9" * 20) == "数值超出允许范围"
    assert _error_one(_one("number"), 10**30) == "数值超出允许范围"
    assert _error_one(_one("number"), "9" * 40) == "应填写数字"


def test_date() -> None:
    spec = _one("date")
    assert _clean_one(spec, " 2024-02-29 ") == "2024-02-29"
    assert _clean_one(spec, date(2024, 1, 5)) == "2024-01-05"
    assert _error_one(spec, "2023-02-29") == "不是有效的日期"
    assert "YYYY-MM-DD" in _error_one(spec, "2024/01/05")
    assert "YYYY-MM-DD" in _error_one(spec, "20240105")
    assert "YYYY-MM-DD" in _error_one(spec, 20240105)
    assert "不含时间" in _error_one(spec, datetime(2024, 1, 5, 8, 0))


@pytest.mark.parametrize("raw", [True, "true", "TRUE", "on", "1", 1, "yes", "是", " True "])
def test_bool_true(raw: object) -> None:
    assert _clean_one(_one("bool"), raw) is True


@pytest.mark.parametrize("raw", [False, "false", "off", "0", 0, "no", "否"])
def test_bool_false(raw: object) -> None:
    assert _clean_one(_one("bool"), raw) is False


@pytest.mark.parametrize("raw", ["maybe", 2, -1, 0.5, ["on"]])
def test_bool_rejects_other_values(raw: object) -> None:
    assert _error_one(_one("bool"), raw) == "应选择“是”或“否”"


def test_choice() -> None:
    spec = _one("choice", options=["个体工商户", "有限责任公司"])
    assert _clean_one(spec, " 个体工商户 ") == "个体工商户"
    assert _error_one(spec, "股份公司") == "请从给定选项中选择：个体工商户、有限责任公司"
    assert "选项" in _error_one(spec, 1)


def test_id_number_is_normalised_and_checked() -> None:
    spec = _one("id_number")
    x_id = next(
        n for n in (make_id_number("210502", date(1990, 3, 7), seq) for seq in range(1, 999)) if n.endswith("X")
    )
    assert _clean_one(spec, x_id.lower()) == x_id
    full_width = VALID_ID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert _clean_one(spec, full_width) == VALID_ID
    wrong = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
    assert "校验位" in _error_one(spec, wrong)
    assert "18位" in _error_one(spec, "12345")
    assert "文字" in _error_one(spec, 210502199003071234)


def test_mobile_is_normalised_and_checked() -> None:
    spec = _one("mobile")
    assert _clean_one(spec, "+86 138-0013-8000") == "13800138000"
    assert "11位" in _error_one(spec, "12800138000")


def test_uscc_is_normalised_and_checked() -> None:
    spec = _one("uscc")
    assert _clean_one(spec, VALID_USCC.lower()) == VALID_USCC
    wrong = VALID_USCC[:-1] + ("0" if VALID_USCC[-1] != "0" else "1")
    assert "统一社会信用代码" in _error_one(spec, wrong)


# --- applicant data: the form as a whole ----------------------------------------------------------------------


def test_missing_and_blank_required_fields(specs: list[FieldSpec]) -> None:
    data = dict(GOOD_DATA, applicant_name="   ", mobile=None)
    del data["age"]
    errors = _field_errors(specs, data)
    assert errors == {"applicant_name": "请填写申请人姓名", "mobile": "请填写手机号码", "age": "请填写年龄"}


def test_optional_empty_fields_are_left_out(specs: list[FieldSpec]) -> None:
    cleaned = clean_form_data(specs, dict(GOOD_DATA, reason="  ", uscc=None, area=""))
    assert not {"reason", "uscc", "area"} & set(cleaned)


def test_unknown_keys_are_rejected(specs: list[FieldSpec]) -> None:
    errors = _field_errors(specs, dict(GOOD_DATA, is_admin=True))
    assert errors == {"is_admin": "不是本事项申请表中的字段"}


def test_all_errors_are_reported_at_once(specs: list[FieldSpec]) -> None:
    data = dict(GOOD_DATA, age="老", start_date="昨天", household="城市", consent="也许", mobile="110", extra="x")
    del data["address"]
    errors = _field_errors(specs, data)
    assert set(errors) == {"age", "start_date", "household", "consent", "mobile", "extra", "address"}


def test_partial_draft_skips_only_the_required_check(specs: list[FieldSpec]) -> None:
    assert clean_form_data(specs, {}, partial=True) == {}
    assert clean_form_data(specs, {"age": "70", "household": ""}, partial=True) == {"age": 70}
    errors = _field_errors(specs, {"age": "七十", "nickname": "x"}, partial=True)
    assert errors == {"age": "应填写数字", "nickname": "不是本事项申请表中的字段"}


@pytest.mark.parametrize("data", [None, [], "age=1", 5])
def test_data_that_is_not_a_mapping(specs: list[FieldSpec], data: object) -> None:
    errors = _field_errors(specs, data)  # type: ignore[arg-type]
    assert errors == {"__all__": "提交的数据格式不正确"}


_json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
_values = st.recursive(
    _json_scalars | st.dates() | st.datetimes() | st.binary(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
_keys = st.sampled_from([f["name"] for f in FULL_FORM]) | st.text(max_size=12) | st.integers()


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(_keys, _values, max_size=12), partial=st.booleans())
def test_arbitrary_input_only_ever_raises_validation_failed(data: dict[Any, object], partial: bool) -> None:
    specs = validate_form_schema(FULL_FORM)
    try:
        cleaned = clean_form_data(specs, data, partial=partial)
    except ValidationFailed as exc:
        assert exc.fields and all(isinstance(k, str) and CJK.search(v) for k, v in exc.fields.items())
        return
    json.dumps(cleaned, allow_nan=False)
    assert set(cleaned) <= {s.name for s in specs}
    assert clean_form_data(specs, cleaned, partial=partial) == cleaned  # cleaning is idempotent


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40) | st.integers() | st.floats())
def test_cleaned_values_clean_to_themselves(raw: object) -> None:
    for type_ in ("text", "number", "bool", "date", "mobile"):
        spec = _one(type_)
        try:
            once = _clean_one(spec, raw)
        except ValidationFailed:
            continue
        assert _clean_one(spec, once) == once


# --- 一件事 bundles --------------------------------------------------------------------------------------------


def _specs(*fields: dict[str, Any]) -> list[FieldSpec]:
    return validate_form_schema(list(fields))


def test_merge_asks_shared_fields_once_in_first_seen_order() -> None:
    licence = _specs(
        {"name": "shop_name", "label": "店名", "type": "text", "required": False},
        {"name": "uscc", "label": "统一社会信用代码", "type": "uscc"},
    )
    food = _specs(
        {"name": "food_kind", "label": "经营项目", "type": "choice", "options": ["热食", "冷食"]},
        {"name": "shop_name", "label": "门店名称", "type": "text", "max_length": 30},
    )
    hygiene = _specs({"name": "uscc", "label": "信用代码", "type": "uscc", "required": False})
    merged = merge_bundle_fields([licence, food, hygiene])
    assert [s.name for s in merged] == ["shop_name", "uscc", "food_kind"]
    shop = merged[0]
    assert shop.label == "店名" and shop.required is True and shop.max_length == 30
    assert merged[1].required is True


def test_merge_of_one_item_is_that_item() -> None:
    specs = validate_form_schema(FULL_FORM)
    assert merge_bundle_fields([specs]) == specs
    assert merge_bundle_fields([]) == []


def test_merge_rejects_one_name_with_two_types() -> None:
    with pytest.raises(ValidationFailed) as info:
        merge_bundle_fields(
            [
                _specs({"name": "area", "label": "面积", "type": "number"}),
                _specs({"name": "area", "label": "面积", "type": "text"}),
            ]
        )
    assert "area" in info.value.message and "类型" in info.value.message
    assert set(info.value.fields) == {"form_fields"}


def test_merge_takes_common_options_and_tighter_bounds() -> None:
    one = _specs(
        {"name": "kind", "label": "类型", "type": "choice", "options": ["甲", "乙", "丙"]},
        {"name": "staff", "label": "从业人数", "type": "number", "min": 1, "max": 500},
    )
    two = _specs(
        {"name": "kind", "label": "类型", "type": "choice", "options": ["丙", "乙", "丁"]},
        {"name": "staff", "label": "从业人数", "type": "number", "min": 3},
    )
    kind, staff = merge_bundle_fields([one, two])
    assert kind.options == ("乙", "丙")
    assert (staff.min_value, staff.max_value) == (3, 500)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"type": "choice", "options": ["甲"]}, {"type": "choice", "options": ["乙"]}),
        ({"type": "number", "max": 10}, {"type": "number", "min": 11}),
    ],
)
def test_merge_rejects_constraints_with_nothing_in_common(first: dict[str, Any], second: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as info:
        merge_bundle_fields(
            [_specs({"name": "x", "label": "某项", **first}), _specs({"name": "x", "label": "某项", **second})]
        )
    assert "冲突" in info.value.fields["form_fields"]
