"""Declarative 秒批 (auto-approval) rules: ServiceItem.auto_approval_rules.

A rule set is a JSON list of conditions, all of which must hold::

    [{"fact": "applicant.age", "op": ">=", "value": 60},
     {"fact": "applicant.on_joint_punishment_list", "op": "is_false"},
     {"fact": "form.household_type", "op": "in", "value": ["城镇", "农村"]}]

Facts are named in a registry (`register_fact`) with a value type; form facts ("form.<name>") take their type
from the item's FieldSpec. The caller supplies the VALUES at evaluation time (`build_facts`): this module
queries nothing. Operators live in the `OPERATORS` registry. A broken rule never approves: a missing fact,
a value of the wrong type, an unknown operator or any exception makes the condition fail, with the reason
recorded in the evidence. There is no eval/exec here and there never will be.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from digigov.core.errors import ValidationFailed
from digigov.core.form_schema import FIELD_TYPES, FieldInvalid, FieldSpec, ValueKind

FORM_PREFIX = "form."
RULES_ERROR = "秒批规则有误"
RULE_KEYS = frozenset({"fact", "op", "value"})
LIST_MAX = 200
_MISSING = object()

Facts = Mapping[str, object]
"""Fact name → value, e.g. {"applicant.age": 67, "form.household_type": "城镇"}; see build_facts."""


# --- facts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactDef:
    name: str
    value_type: ValueKind
    description_zh: str
    choices: tuple[str, ...] = ()  # for string facts with a closed set of values (checked when saved)


FACTS: dict[str, FactDef] = {}


def register_fact(
    name: str, type_: ValueKind, description_zh: str, *, choices: tuple[str, ...] | list[str] = ()
) -> FactDef:
    """Declare an applicant fact rules may name. Registering the same definition twice is harmless."""
    if name.startswith(FORM_PREFIX):
        raise ValueError(f"{FORM_PREFIX}* facts come from the item's form, not the registry: {name}")
    if type_ not in _TYPE_CHECKS:
        raise ValueError(f"unknown fact type {type_!r} for {name}")
    fact = FactDef(name, type_, description_zh, tuple(choices))
    existing = FACTS.get(name)
    if existing is not None and existing != fact:
        raise ValueError(f"fact {name} is already registered differently: {existing}")
    FACTS[name] = fact
    return fact


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


_TYPE_CHECKS: dict[str, Callable[[object], bool]] = {
    "number": _is_number,
    "string": lambda value: isinstance(value, str),
    "bool": lambda value: isinstance(value, bool),
}
_TYPE_NAMES_ZH: dict[str, str] = {"number": "数字", "string": "文字", "bool": "是/否"}

register_fact("applicant.age", "number", "申请人年龄(周岁，按身份证号中的出生日期计算)")
register_fact("applicant.kind", "string", "申请人类型(person: 自然人, legal: 法人)", choices=("person", "legal"))
register_fact("applicant.on_joint_punishment_list", "bool", "申请人是否在失信联合惩戒名单上")


def build_facts(applicant: Mapping[str, object], form_data: Mapping[str, object]) -> dict[str, object]:
    """The facts for `evaluate`: applicant facts by full name plus cleaned form values as "form.<name>"."""
    facts = dict(applicant)
    facts.update({f"{FORM_PREFIX}{name}": value for name, value in form_data.items()})
    return facts


# --- operators --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operator:
    code: str
    label_zh: str
    fact_types: frozenset[str]  # fact value types it applies to
    operand: str  # "scalar": one value of the fact's type; "list": a non-empty list of them; "none": no value
    test: Callable[[Any, Any], bool]


OPERATORS: dict[str, Operator] = {
    op.code: op
    for op in (
        Operator("==", "等于", frozenset({"number", "string", "bool"}), "scalar", lambda a, v: a == v),
        Operator("!=", "不等于", frozenset({"number", "string", "bool"}), "scalar", lambda a, v: a != v),
        Operator(">=", "大于等于", frozenset({"number"}), "scalar", lambda a, v: a >= v),
        Operator("<=", "小于等于", frozenset({"number"}), "scalar", lambda a, v: a <= v),
        Operator(">", "大于", frozenset({"number"}), "scalar", lambda a, v: a > v),
        Operator("<", "小于", frozenset({"number"}), "scalar", lambda a, v: a < v),
        Operator("in", "属于", frozenset({"number", "string"}), "list", lambda a, v: a in v),
        Operator("not_in", "不属于", frozenset({"number", "string"}), "list", lambda a, v: a not in v),
        Operator("is_true", "为是", frozenset({"bool"}), "none", lambda a, v: a is True),
        Operator("is_false", "为否", frozenset({"bool"}), "none", lambda a, v: a is False),
    )
}


# --- validation -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """One validated condition. `value` is a tuple for in/not_in and None for is_true/is_false."""

    fact: str
    op: str
    value: Any
    value_type: ValueKind
    label_zh: str  # what the fact is, for evidence and messages: "申请人年龄(...)" or the form field's label

    def to_dict(self) -> dict[str, object]:
        """The JSON form staff saved (and that validate_rules accepts again)."""
        out: dict[str, object] = {"fact": self.fact, "op": self.op}
        if OPERATORS[self.op].operand != "none":
            out["value"] = _json_value(self.value)
        return out


class _Broken(Exception):
    pass


OperandCheck = Callable[[object], None]


def _registry_operand_check(fact: FactDef) -> OperandCheck:
    def check(value: object) -> None:
        if not _TYPE_CHECKS[fact.value_type](value):
            raise _Broken(f"比较值 {_shown(value)} 应为{_TYPE_NAMES_ZH[fact.value_type]}")
        if fact.choices and value not in fact.choices:
            raise _Broken(f"比较值 {_shown(value)} 不在可选值之中：{'、'.join(fact.choices)}")

    return check


def _form_operand_check(spec: FieldSpec) -> OperandCheck:
    """A value compared with a form field must be one the field itself accepts, in its cleaned form."""

    def check(value: object) -> None:
        if not _TYPE_CHECKS[spec.value_kind](value):
            raise _Broken(f"比较值 {_shown(value)} 应为{_TYPE_NAMES_ZH[spec.value_kind]}")
        try:
            cleaned = FIELD_TYPES[spec.type].clean(spec, value)
        except FieldInvalid as exc:
            raise _Broken(f"比较值 {_shown(value)} 不是字段「{spec.label}」可填的值：{exc.reason}") from exc
        if cleaned != value:
            raise _Broken(f"比较值 {_shown(value)} 应写作 {_shown(cleaned)}")

    return check


def _resolve_fact(name: object, form: Mapping[str, FieldSpec]) -> tuple[ValueKind, OperandCheck, str]:
    """(value type, check for a comparison value, label) of a fact name, or _Broken."""
    if not isinstance(name, str) or not name:
        raise _Broken("缺少事实名称 fact")
    if name.startswith(FORM_PREFIX):
        spec = form.get(name.removeprefix(FORM_PREFIX))
        if spec is None:
            raise _Broken(f"申请表中没有字段 {name.removeprefix(FORM_PREFIX)}")
        return spec.value_kind, _form_operand_check(spec), spec.label
    fact = FACTS.get(name)
    if fact is None:
        known = "、".join(FACTS)
        raise _Broken(f"未知的事实“{name}”，可用：{known} 或 form.<申请表字段名>")
    return fact.value_type, _registry_operand_check(fact), fact.description_zh


def _condition(raw: object, form: Mapping[str, FieldSpec]) -> Condition:
    if not isinstance(raw, Mapping):
        raise _Broken("应为包含 fact、op、value 的对象")
    unknown = sorted(str(k) for k in raw if k not in RULE_KEYS)
    if unknown:
        raise _Broken(f"不支持的属性 {', '.join(unknown)}")
    value_type, check_operand, label = _resolve_fact(raw.get("fact"), form)
    op_code = raw.get("op")
    op = OPERATORS.get(op_code) if isinstance(op_code, str) else None
    if op is None:
        raise _Broken(f"未知的运算符“{op_code}”，可用：{' '.join(OPERATORS)}")
    if value_type not in op.fact_types:
        raise _Broken(f"运算符 {op.code} 不能用于{_TYPE_NAMES_ZH[value_type]}类型的事实 {raw['fact']}")
    value = _operand(raw, op, check_operand)
    return Condition(fact=raw["fact"], op=op.code, value=value, value_type=value_type, label_zh=label)


def _operand(raw: Mapping[Any, Any], op: Operator, check_operand: OperandCheck) -> Any:
    """The condition's comparison value as the operator takes it: none, a non-empty list (a tuple), or one."""
    value = raw.get("value")
    if op.operand == "none":
        if value is not None:
            raise _Broken(f"运算符 {op.code} 不需要比较值 value")
        return value
    if op.operand == "list":
        if not isinstance(value, list) or not value:
            raise _Broken(f"运算符 {op.code} 的比较值 value 应为非空列表")
        if len(value) > LIST_MAX:
            raise _Broken(f"比较值列表不能超过{LIST_MAX}项")
        for item in value:
            check_operand(item)
        return tuple(value)
    if "value" not in raw:
        raise _Broken(f"运算符 {op.code} 需要比较值 value")
    check_operand(value)
    return value


def validate_rules(rules: list[dict[str, Any]], form: list[FieldSpec]) -> list[Condition]:
    """Check a rule set against the item's form when staff save it; [] means the item has no 秒批.

    Every broken condition is reported, numbered from 1: fields={"auto_approval_rules": "第2条: ...；..."}.
    """
    if not isinstance(rules, list):
        raise ValidationFailed(f"{RULES_ERROR}：应为条件列表", fields={"auto_approval_rules": "应为条件列表"})
    by_name = {spec.name: spec for spec in form}
    conditions: list[Condition] = []
    problems: list[str] = []
    for position, raw in enumerate(rules, start=1):
        try:
            conditions.append(_condition(raw, by_name))
        except _Broken as exc:
            problems.append(f"第{position}条: {exc}")
    if problems:
        summary = "；".join(problems)
        raise ValidationFailed(f"{RULES_ERROR}：{summary}", fields={"auto_approval_rules": summary})
    return conditions


# --- evaluation -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    approved: bool
    evidence: list[dict[str, object]] = field(default_factory=list)  # one entry per condition, in order
    reason_zh: str = ""

    def to_dict(self) -> dict[str, object]:
        """For Application.auto_approval_evidence (a JSONField)."""
        return {"approved": self.approved, "reason": self.reason_zh, "evidence": self.evidence}


def _json_value(value: object) -> object:
    """A JSON-safe rendering of an expected or actual value (anything odd becomes its bounded repr)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value[:LIST_MAX]]
    try:
        return repr(value)[:200]
    except Exception:  # a hostile __repr__ must not break the evidence
        return f"<{type(value).__name__}>"


def _shown(value: object) -> str:
    if value is None:
        return "(无)"
    if isinstance(value, bool):
        return "是" if value else "否"
    rendered = _json_value(value)
    return str(rendered) if not isinstance(rendered, list) else "[" + "、".join(map(str, rendered)) + "]"


def _check(condition: Condition, facts: Facts) -> tuple[bool, object, str]:
    """(held, actual, note). The note says why a condition could not be judged; "" when it was."""
    op = OPERATORS.get(condition.op)
    if op is None:
        return False, None, f"未知的运算符 {condition.op}"
    type_check = _TYPE_CHECKS.get(condition.value_type)
    if type_check is None:
        return False, None, f"未知的事实类型 {condition.value_type}"
    actual = facts.get(condition.fact, _MISSING)
    if actual is _MISSING or actual is None:
        return False, None, f"缺少事实 {condition.fact} 的值"
    if not type_check(actual):
        return False, actual, f"事实 {condition.fact} 的值类型不符，应为{_TYPE_NAMES_ZH[condition.value_type]}"
    if op.operand == "list" and not isinstance(condition.value, tuple | list):
        return False, actual, f"运算符 {op.code} 的比较值不是列表"
    return bool(op.test(actual, condition.value)), actual, ""


def evaluate(conditions: list[Condition], facts: Facts) -> Decision:
    """Approve only when there is at least one condition and every one of them holds. Never raises."""
    try:
        return _evaluate(list(conditions), facts)
    except Exception as exc:  # a broken rule never approves, and never breaks a submission
        return Decision(approved=False, evidence=[], reason_zh=f"秒批规则无法执行({type(exc).__name__})，转人工审查")


def _evaluate(conditions: list[Condition], facts: Facts) -> Decision:
    if not conditions:
        return Decision(approved=False, evidence=[], reason_zh="本事项未设置秒批规则，转人工审查")
    evidence: list[dict[str, object]] = []
    failures: list[str] = []
    for position, condition in enumerate(conditions, start=1):
        try:
            held, actual, note = _check(condition, facts)
        except Exception as exc:
            held, actual, note = False, None, f"规则执行出错({type(exc).__name__})"
        try:
            fact, op, expected = str(condition.fact), str(condition.op), _json_value(condition.value)
        except Exception:
            fact, op, expected, held, note = "?", "?", None, False, "条件无法读取"
        entry: dict[str, object] = {
            "fact": fact,
            "op": op,
            "expected": expected,
            "actual": _json_value(actual),
            "held": held is True,
        }
        if note:
            entry["note"] = note
        evidence.append(entry)
        if entry["held"] is not True:
            label = getattr(condition, "label_zh", fact)
            why = note or f"实际为 {_shown(entry['actual'])}"
            operator = OPERATORS.get(op)
            wanted = "" if operator is None or operator.operand == "none" else f" {_shown(expected)}"
            failures.append(f"第{position}条 {label} {operator.label_zh if operator else op}{wanted}：{why}")
    if failures:
        return Decision(
            approved=False, evidence=evidence, reason_zh="不符合秒批条件，转人工审查：" + "；".join(failures)
        )
    return Decision(approved=True, evidence=evidence, reason_zh=f"全部{len(conditions)}项秒批条件均满足，系统自动批准")
