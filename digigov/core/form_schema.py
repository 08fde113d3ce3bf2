"""The application form of a 政务服务事项, as data (ServiceItem.form_fields).

A field is a JSON dict::

    {"name": "birth_date", "label": "出生日期", "type": "date", "required": True, "help": "..."}

plus "options" (choice), "max_length" (text, textarea, address) and "min"/"max" (number).

* `validate_form_schema` checks a schema when staff save an item or import the catalogue from Excel.
* `clean_form_data` checks what an applicant submitted and returns JSON-serialisable cleaned values.
* `merge_bundle_fields` joins the forms of the items of a 一件事 bundle so each shared field is asked once.

Each field type is a `FieldType` in the `FIELD_TYPES` registry: its cleaner, its length defaults and the keys
it accepts. Pure Python: no models, no database.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from digigov.core.errors import ValidationFailed
from digigov.core.validators import validate_id_number, validate_mobile, validate_uscc

ValueKind = Literal["number", "string", "bool"]
"""What a cleaned value is, as far as 秒批 rules are concerned (see services.rules)."""

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
NAME_MAX = 40
LABEL_MAX = 60
HELP_MAX = 500
OPTION_MAX = 100
OPTIONS_MAX = 100
FIELDS_MAX = 200
NUMBER_LIMIT = 10**15  # |value| above this is a typo or an attack, never a real form value
NUMBER_TEXT_MAX = 32
NUMBER_TEXT_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FORM_ERROR = "申请表填写有误"
SCHEMA_ERROR = "申请表字段定义有误"
BASE_KEYS = frozenset({"name", "label", "type", "required", "help"})


@dataclass(frozen=True)
class FieldSpec:
    """One validated field of an application form. `to_dict()` gives back its canonical JSON form."""

    name: str
    label: str
    type: str
    required: bool = True
    options: tuple[str, ...] = ()
    max_length: int | None = None
    min_value: int | float | None = None
    max_value: int | float | None = None
    help_text: str = ""

    @property
    def value_kind(self) -> ValueKind:
        return FIELD_TYPES[self.type].value_kind

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"name": self.name, "label": self.label, "type": self.type, "required": self.required}
        if self.options:
            out["options"] = list(self.options)
        if self.max_length is not None:
            out["max_length"] = self.max_length
        if self.min_value is not None:
            out["min"] = self.min_value
        if self.max_value is not None:
            out["max"] = self.max_value
        if self.help_text:
            out["help"] = self.help_text
        return out


class FieldInvalid(Exception):
    """Raised by a cleaner with the Chinese reason shown next to the field."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Cleaner = Callable[[FieldSpec, object], object]


@dataclass(frozen=True)
class FieldType:
    code: str
    label_zh: str
    value_kind: ValueKind
    clean: Cleaner
    extra_keys: frozenset[str] = field(default_factory=frozenset)  # accepted beyond BASE_KEYS
    default_max_length: int | None = None
    max_length_cap: int | None = None


# --- cleaners ---------------------------------------------------------------------------------------------

_ALLOWED_CONTROL_MULTILINE = frozenset("\n\r\t")


def _require_text(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise FieldInvalid("应填写文字")
    return str(value).strip()


def _check_characters(text: str, *, multiline: bool) -> None:
    allowed = _ALLOWED_CONTROL_MULTILINE if multiline else frozenset()
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cs" or (category == "Cc" and ch not in allowed):
            raise FieldInvalid("含有不允许的控制字符" if category == "Cc" else "含有无效字符")


def _check_length(spec: FieldSpec, text: str) -> str:
    if spec.max_length is not None and len(text) > spec.max_length:
        raise FieldInvalid(f"不能超过{spec.max_length}个字(当前{len(text)}个)")
    return text


def _clean_line(spec: FieldSpec, value: object) -> object:
    text = _require_text(value)
    _check_characters(text, multiline=False)
    return _check_length(spec, text)


def _clean_multiline(spec: FieldSpec, value: object) -> object:
    text = _require_text(value).replace("\r\n", "\n")
    _check_characters(text, multiline=True)
    return _check_length(spec, text)


def _number_from_text(text: str) -> int | float:
    text = unicodedata.normalize("NFKC", text).strip()
    if len(text) > NUMBER_TEXT_MAX or not NUMBER_TEXT_RE.fullmatch(text):
        raise FieldInvalid("应填写数字")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex already rules these out
        raise FieldInvalid("应填写数字") from exc
    if abs(number) > NUMBER_LIMIT:
        raise FieldInvalid("数值超出允许范围")
    return int(number) if number == number.to_integral_value() else float(number)


def _clean_number(spec: FieldSpec, value: object) -> object:
    number: int | float
    if isinstance(value, bool):
        raise FieldInvalid("应填写数字")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise FieldInvalid("应填写数字")
        number = int(value) if value.is_integer() and abs(value) <= NUMBER_LIMIT else value
    elif isinstance(value, str):
        number = _number_from_text(value)
    else:
        raise FieldInvalid("应填写数字")
    if abs(number) > NUMBER_LIMIT:
        raise FieldInvalid("数值超出允许范围")
    if spec.min_value is not None and number < spec.min_value:
        raise FieldInvalid(f"不能小于{spec.min_value}")
    if spec.max_value is not None and number > spec.max_value:
        raise FieldInvalid(f"不能大于{spec.max_value}")
    return number


def _clean_date(spec: FieldSpec, value: object) -> object:
    if isinstance(value, datetime):
        raise FieldInvalid("应填写日期(年-月-日)，不含时间")
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not DATE_RE.fullmatch(value.strip()):
        raise FieldInvalid("日期格式应为YYYY-MM-DD，例如2024-03-07")
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError as exc:
        raise FieldInvalid("不是有效的日期") from exc


_TRUE_WORDS = frozenset({"true", "on", "1", "yes", "y", "是"})
_FALSE_WORDS = frozenset({"false", "off", "0", "no", "n", "否"})


def _clean_bool(spec: FieldSpec, value: object) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise FieldInvalid("应选择“是”或“否”")


def _clean_choice(spec: FieldSpec, value: object) -> object:
    if not isinstance(value, str) or value.strip() not in spec.options:
        raise FieldInvalid("请从给定选项中选择：" + "、".join(spec.options))
    return value.strip()


def _validator_cleaner(validate: Callable[[str], object]) -> Cleaner:
    """Wrap a digigov.core.validators function: its Chinese message becomes the field's reason."""

    def clean(spec: FieldSpec, value: object) -> object:
        if not isinstance(value, str):
            raise FieldInvalid("应填写文字")
        try:
            return validate(value.strip())
        except ValidationFailed as exc:
            raise FieldInvalid(exc.message) from exc

    return clean


FIELD_TYPES: dict[str, FieldType] = {
    ft.code: ft
    for ft in (
        FieldType(
            "text",
            "单行文本",
            "string",
            _clean_line,
            frozenset({"max_length"}),
            default_max_length=100,
            max_length_cap=500,
        ),
        FieldType(
            "textarea",
            "多行文本",
            "string",
            _clean_multiline,
            frozenset({"max_length"}),
            default_max_length=1000,
            max_length_cap=10000,
        ),
        FieldType("number", "数字", "number", _clean_number, frozenset({"min", "max"})),
        FieldType("date", "日期", "string", _clean_date),
        FieldType("choice", "单选", "string", _clean_choice, frozenset({"options"})),
        FieldType("bool", "是/否", "bool", _clean_bool),
        FieldType("id_number", "身份证号", "string", _validator_cleaner(lambda v: validate_id_number(v).number)),
        FieldType("mobile", "手机号码", "string", _validator_cleaner(validate_mobile)),
        FieldType("uscc", "统一社会信用代码", "string", _validator_cleaner(validate_uscc)),
        FieldType(
            "address",
            "地址",
            "string",
            _clean_line,
            frozenset({"max_length"}),
            default_max_length=200,
            max_length_cap=500,
        ),
    )
}


# --- schema validation ------------------------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _options_problem(options: object) -> str | None:
    if not isinstance(options, list) or not options:
        return "单选字段必须提供非空的选项列表 options"
    if not all(isinstance(o, str) and o.strip() and len(o.strip()) <= OPTION_MAX for o in options):
        return f"选项必须是非空文字，每项不超过{OPTION_MAX}字"
    if len({o.strip() for o in options}) != len(options):
        return "选项不能重复"
    if len(options) > OPTIONS_MAX:
        return f"选项不能超过{OPTIONS_MAX}个"
    return None


def _bounds_problems(bounds: dict[str, Any]) -> list[str]:
    problems = [
        f"{'最小值 min' if key == 'min' else '最大值 max'} 应为有效数字"
        for key, bound in bounds.items()
        if not _is_number(bound) or abs(bound) > NUMBER_LIMIT
    ]
    if len(bounds) == 2 and all(_is_number(b) for b in bounds.values()) and bounds["min"] > bounds["max"]:
        problems.append("最小值 min 不能大于最大值 max")
    return problems


def _field_problems(raw: Mapping[str, Any], ft: FieldType) -> list[str]:
    """Problems of the type-specific keys; the base keys are checked by the caller."""
    problems: list[str] = []
    unknown = sorted(str(k) for k in raw if k not in BASE_KEYS | ft.extra_keys)
    if unknown:
        problems.append(f"类型“{ft.label_zh}”不支持属性 {', '.join(unknown)}")
    options_problem = _options_problem(raw.get("options")) if "options" in ft.extra_keys else None
    if options_problem is not None:
        problems.append(options_problem)
    if "max_length" in raw and "max_length" in ft.extra_keys:
        cap = ft.max_length_cap or 0
        length = raw["max_length"]
        if not isinstance(length, int) or isinstance(length, bool) or not 1 <= length <= cap:
            problems.append(f"最大长度 max_length 应为1到{cap}之间的整数")
    problems += _bounds_problems({key: raw[key] for key in ("min", "max") if key in raw and key in ft.extra_keys})
    return problems


def _spec_from_dict(raw: Mapping[str, Any], ft: FieldType) -> FieldSpec:
    options = tuple(o.strip() for o in raw.get("options", ()))
    return FieldSpec(
        name=raw["name"],
        label=raw["label"].strip(),
        type=ft.code,
        required=raw.get("required", True),
        options=options,
        max_length=raw.get("max_length", ft.default_max_length),
        min_value=raw.get("min"),
        max_value=raw.get("max"),
        help_text=raw.get("help", "").strip(),
    )


def _describe(position: int, raw: object) -> str:
    if isinstance(raw, Mapping) and isinstance(raw.get("name"), str) and raw["name"]:
        label = raw.get("label")
        shown = f"{raw['name']}「{label.strip()}」" if isinstance(label, str) and label.strip() else raw["name"]
        return f"第{position}个字段 {shown}"
    return f"第{position}个字段"


def _base_problems(raw: Mapping[str, Any], seen: set[str]) -> list[str]:
    """Problems of the keys every field has (name, label, required, help); a new valid name joins ``seen``."""
    own: list[str] = []
    name = raw.get("name")
    if not isinstance(name, str) or not NAME_RE.fullmatch(name) or len(name) > NAME_MAX:
        own.append(f"字段名 name 应为小写英文字母开头、由小写字母数字下划线组成，不超过{NAME_MAX}个字符")
    elif name in seen:
        own.append(f"字段名 {name} 重复")
    else:
        seen.add(name)
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip() or len(label.strip()) > LABEL_MAX:
        own.append(f"显示名称 label 不能为空，且不超过{LABEL_MAX}字")
    if "required" in raw and not isinstance(raw["required"], bool):
        own.append("是否必填 required 应为 true 或 false")
    if "help" in raw and (not isinstance(raw["help"], str) or len(raw["help"]) > HELP_MAX):
        own.append(f"填写说明 help 应为不超过{HELP_MAX}字的文字")
    return own


def _field_spec(raw: object, seen: set[str]) -> tuple[FieldSpec | None, list[str]]:
    """One field of a schema: its FieldSpec, or None and its problems."""
    if not isinstance(raw, Mapping):
        return None, ["应为包含 name、label、type 的对象"]
    own = _base_problems(raw, seen)
    type_code = raw.get("type")
    ft = FIELD_TYPES.get(type_code) if isinstance(type_code, str) else None
    if ft is None:
        own.append(f"字段类型“{type_code}”不受支持，可选：{'、'.join(FIELD_TYPES)}")
        return None, own
    own.extend(_field_problems(raw, ft))
    return (None, own) if own else (_spec_from_dict(raw, ft), [])


def validate_form_schema(fields: list[dict[str, Any]]) -> list[FieldSpec]:
    """Check a form definition; return its FieldSpecs or raise ValidationFailed listing every problem.

    The error names each broken field and its problem, in fields={"form_fields": "...；..."}.
    """
    if not isinstance(fields, list):
        raise ValidationFailed(f"{SCHEMA_ERROR}：应为字段列表", fields={"form_fields": "应为字段列表"})
    if len(fields) > FIELDS_MAX:
        message = f"字段不能超过{FIELDS_MAX}个"
        raise ValidationFailed(f"{SCHEMA_ERROR}：{message}", fields={"form_fields": message})
    problems: list[str] = []
    specs: list[FieldSpec] = []
    seen: set[str] = set()
    for position, raw in enumerate(fields, start=1):
        spec, own = _field_spec(raw, seen)
        if spec is not None:
            specs.append(spec)
        where = _describe(position, raw)
        problems.extend(f"{where}: {p}" for p in own)
    if problems:
        summary = "；".join(problems)
        raise ValidationFailed(f"{SCHEMA_ERROR}：{summary}", fields={"form_fields": summary})
    return specs


# --- applicant data ---------------------------------------------------------------------------------------


def _is_empty(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | tuple | dict) and not value)


def _key_label(key: object) -> str:
    text = key if isinstance(key, str) else repr(key)
    return text[: NAME_MAX * 2]


def clean_form_data(specs: list[FieldSpec], data: dict[str, object], *, partial: bool = False) -> dict[str, object]:
    """Validate an applicant's values against the form; return cleaned, JSON-serialisable values.

    Empty optional fields are left out of the result. `partial=True` (drafts) skips only the required check.
    Raises ValidationFailed("申请表填写有误", fields={name: reason}) with every field's error at once.
    """
    if not isinstance(data, Mapping):
        raise ValidationFailed(FORM_ERROR, fields={"__all__": "提交的数据格式不正确"})
    by_name = {spec.name: spec for spec in specs}
    errors: dict[str, str] = {}
    cleaned: dict[str, object] = {}
    for key in data:
        if key not in by_name:
            errors[_key_label(key)] = "不是本事项申请表中的字段"
    for spec in specs:
        value = data.get(spec.name)
        if _is_empty(value):
            if spec.required and not partial:
                errors[spec.name] = f"请填写{spec.label}"
            continue
        try:
            cleaned[spec.name] = FIELD_TYPES[spec.type].clean(spec, value)
        except FieldInvalid as exc:
            errors[spec.name] = exc.reason
        except (ValueError, TypeError, ArithmeticError):  # a cleaner's bug must not become a 500
            errors[spec.name] = "格式不正确"
    if errors:
        raise ValidationFailed(FORM_ERROR, fields=errors)
    return cleaned


# --- 一件事 bundles ----------------------------------------------------------------------------------------


def _tighter[N: (int, float)](a: N | None, b: N | None, pick: Callable[[N, N], N]) -> N | None:
    if a is None:
        return b
    if b is None:
        return a
    return pick(a, b)


def _merge_two(first: FieldSpec, other: FieldSpec) -> FieldSpec:
    """The one field asked for both: a value it accepts is accepted by each item's own field."""
    where = f"字段 {first.name}「{first.label}」"
    if first.type != other.type:
        kinds = f"{FIELD_TYPES[first.type].label_zh}/{FIELD_TYPES[other.type].label_zh}"
        raise ValidationFailed(
            f"一件事中的事项对{where}定义了不同的类型({kinds})，请统一事项目录",
            fields={"form_fields": f"{where}类型冲突：{kinds}"},
        )
    options = first.options
    if first.options or other.options:
        options = tuple(o for o in first.options if o in other.options)
        if not options:
            raise ValidationFailed(
                f"一件事中的事项对{where}的选项没有交集，请统一事项目录",
                fields={"form_fields": f"{where}选项冲突"},
            )
    low = _tighter(first.min_value, other.min_value, max)
    high = _tighter(first.max_value, other.max_value, min)
    if low is not None and high is not None and low > high:
        raise ValidationFailed(
            f"一件事中的事项对{where}的取值范围没有交集，请统一事项目录",
            fields={"form_fields": f"{where}取值范围冲突"},
        )
    return replace(
        first,
        required=first.required or other.required,
        options=options,
        max_length=_tighter(first.max_length, other.max_length, min),
        min_value=low,
        max_value=high,
        help_text=first.help_text or other.help_text,
    )


def merge_bundle_fields(per_item: list[list[FieldSpec]]) -> list[FieldSpec]:
    """Union of the items' fields for a 一件事 form, first-seen order; one name is one field, asked once.

    The merged field is required if any item requires it, and takes the tighter of the items' constraints
    (shortest max_length, narrowest min/max, common options) so its value is valid for every item.
    Different types for one name, or constraints with nothing in common, raise ValidationFailed.
    """
    merged: dict[str, FieldSpec] = {}
    for specs in per_item:
        for spec in specs:
            merged[spec.name] = _merge_two(merged[spec.name], spec) if spec.name in merged else spec
    return list(merged.values())
