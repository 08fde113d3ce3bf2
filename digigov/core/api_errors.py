"""The API's one error shape, declared on every operation so the OpenAPI document tells the truth.

Every error answer is {code, message, fields}: `code` for programs, `message` in Chinese for people,
`fields` maps an input field to what is wrong with it. Operations declare the statuses they can answer:

    AUTH_ERRORS     401   any operation behind the API's default auth
    INPUT_ERRORS    422   operations with path or query parameters
    BODY_ERRORS     400, 422   operations that read a JSON body (400: it does not parse)
    UNSAFE_ERRORS   403   POST/PUT/PATCH/DELETE behind the session, which must carry its CSRF token
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ninja import Field, Schema


class ErrorOut(Schema):
    code: str = Field(..., description="machine-readable, e.g. not_found, validation_failed, conflict")
    message: str = Field(..., description="for people, in Chinese")
    fields: dict[str, str] = Field(..., description="input field -> what is wrong with it; empty when none")


def errors(*statuses: int) -> dict[int, Any]:
    """Response declarations for the given error statuses, e.g. {**errors(404, 409)}."""
    return dict.fromkeys(statuses, ErrorOut)


AUTH_ERRORS = errors(401)
INPUT_ERRORS = errors(422)
BODY_ERRORS = errors(400, 422)
UNSAFE_ERRORS = errors(403)

# Pydantic's error types, said in Chinese. A "{name}" is filled from the error's context.
_MESSAGES: Mapping[str, str] = {
    "missing": "必填",
    "string_type": "应为字符串",
    "string_too_short": "长度至少为{min_length}个字符",
    "string_too_long": "长度不能超过{max_length}个字符",
    "string_pattern_mismatch": "格式不正确",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "greater_than": "应大于{gt}",
    "greater_than_equal": "不能小于{ge}",
    "less_than": "应小于{lt}",
    "less_than_equal": "不能大于{le}",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为 JSON 数组",
    "too_long": "不能超过{max_length}项",
    "too_short": "至少{min_length}项",
    "extra_forbidden": "不允许的字段",
}
_SOURCES = ("body", "query", "path", "header", "cookie", "form", "file")


# What a pattern asks for, said in Chinese: schemas register their identifiers' patterns (pattern_message).
_PATTERN_MESSAGES: dict[str, str] = {}


def pattern_message(pattern: str, message: str) -> str:
    """Say in Chinese what a pattern asks for; returns the pattern, for use in Field(pattern=...)."""
    _PATTERN_MESSAGES[pattern] = message
    return pattern


def _message(item: Mapping[str, Any]) -> str:
    kind = str(item.get("type", ""))
    context = item.get("ctx") or {}
    if kind == "value_error" and "error" in context:
        return str(context["error"])  # our own validators raise ValueError with a Chinese message
    if kind == "string_pattern_mismatch" and context.get("pattern") in _PATTERN_MESSAGES:
        return _PATTERN_MESSAGES[context["pattern"]]
    template = _MESSAGES.get(kind)
    if template is None:
        return "无效"
    try:
        return template.format(**context)
    except (KeyError, IndexError, ValueError):
        return "无效"


def validation_fields(items: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """ninja's validation errors as {field: Chinese message}.

    ninja locates an error as (source, param name, field, ...); a JSON body is one param (the schema), so
    its name is dropped and the fields are named as the client sent them. An error about the whole body
    (missing, not an object) is reported on "body".
    """
    fields: dict[str, str] = {}
    for item in items:
        location = [str(part) for part in item.get("loc", ())]
        source = location.pop(0) if location and location[0] in _SOURCES else "request"
        if source == "body" and location:
            location.pop(0)  # the schema parameter's name, e.g. "payload"
        key = ".".join(location) or source
        fields.setdefault(key, _message(item))
    return fields
