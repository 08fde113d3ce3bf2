"""API schemas of the identity domain. Personal data leaves only masked."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.params.functions import Path, Query
from pydantic import (
    BeforeValidator,
    ConfigDict,
    GetJsonSchemaHandler,
    ModelWrapValidatorHandler,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from digigov.core.api_errors import pattern_message

# Database ids are 64-bit: a larger number must be refused at the edge, not overflow in the database.
ID_MAX = 2**63 - 1
ObjectId = Annotated[int, Path(ge=1, le=ID_MAX)]
RegionCode = Annotated[str, Path(pattern=r"^\d{12}$", description="12位行政区划代码")]
RegionCodeQuery = Annotated[str | None, Query(pattern=r"^\d{12}$", description="12位行政区划代码")]
Limit = Annotated[int, Query(ge=1, le=500, description="每页条数, 1至500")]


def _iso_date_only(value: Any) -> Any:
    """A date is YYYY-MM-DD as the document says (format: date); pydantic alone also reads a number as a Unix
    timestamp, so `?date_from=1700000000` was taken for a day in 2023."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("应为 YYYY-MM-DD 格式的日期")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="跳过条数")]

# The identifiers as the API takes them (the validators in core.validators still check dates and check digits).
ID_NUMBER_RE = pattern_message(  # GB 11643
    r"^\d{6}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx]$",
    "身份证号应为18位: 6位地区码、8位出生日期、3位顺序码和校验位(数字或X)",
)
MOBILE_RE = pattern_message(r"^(\+86)?1[3-9]\d{9}$", "手机号码应为以1开头的11位数字")
USCC_RE = pattern_message(  # GB 32100
    r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$", "统一社会信用代码应为18位数字或大写字母(不含I、O、S、V、Z)"
)
REGION_CODE_RE = pattern_message(r"^\d{12}$", "行政区划代码应为12位数字")

# C0 control characters other than tab and line breaks (NUL cannot even be stored by PostgreSQL), as a regular
# expression and as the JSON Schema pattern that says the same to clients (ECMA-262 and Python read it alike).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NO_CONTROL_CHARS_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$"


def _strings_without_pattern(schema: JsonSchemaValue) -> list[JsonSchemaValue]:
    """The string schemas of a property (itself, or the string branch of `str | None`) that have no pattern."""
    branches = schema.get("anyOf", [schema])
    return [b for b in branches if b.get("type") == "string" and "pattern" not in b and "enum" not in b]


class InSchema(Schema):
    """Base of every input schema. A body is a JSON object with only the declared fields, each of its declared
    JSON type (strict: `true` is not the integer 1, `1` is not the string "1"; an enum field says strict=False,
    as pydantic's strict mode would want an enum member), and its text carries no control characters. The
    OpenAPI document says it all: additionalProperties: false, the types, and a pattern on every string field
    that has none of its own."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: Any) -> Any:
        """Replaces ninja's: it reads any object's attributes, so a body of `[null, null]` or `5` was taken
        for an empty object and every field got its default."""
        if not isinstance(values, dict):
            raise PydanticCustomError("model_type", "Input should be an object")
        return handler(values)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and _CONTROL_CHARS.search(value):
            raise ValueError("不能包含控制字符")
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core_schema)
        resolved = handler.resolve_ref_schema(schema)
        for prop in resolved.get("properties", {}).values():
            for string in _strings_without_pattern(prop):
                string["pattern"] = NO_CONTROL_CHARS_PATTERN
        return schema


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None = None


class DepartmentOut(Schema):
    code: str
    name: str
    short_name: str
    uscc: str
    region_code: str


class GrantOut(Schema):
    role: str
    department: str
    region: str
    requires_mfa: bool


class MeOut(Schema):
    username: str
    kind: str
    display_name: str
    elder_mode: bool
    id_number_masked: str | None = None
    mobile_masked: str | None = None
    department: DepartmentOut | None = None
    region: RegionOut | None = None
    grants: list[GrantOut] = []


class StaffOut(Schema):
    id: int
    username: str
    display_name: str
    title: str
    department_code: str
    region_code: str


class StaffPatchIn(InSchema):
    title: str | None = Field(None, max_length=60)
    display_name: str | None = Field(None, min_length=2, max_length=30)


class CitizenRegisterIn(InSchema):
    real_name: str = Field(..., min_length=2, max_length=30)
    id_number: str = Field(..., pattern=ID_NUMBER_RE, description="18位身份证号(出生日期和校验位另行核验)")
    mobile: str = Field(..., pattern=MOBILE_RE, description="11位手机号码, 可带 +86")
    password: str = Field(..., min_length=8, max_length=128)


class AssistedCitizenRegisterIn(CitizenRegisterIn):
    """A window clerk registers a citizen in person (代办); override_reason accepts a genuine 身份证号 that fails
    the check digit, and needs the override permission."""

    override_reason: str = Field("", max_length=200)


class CitizenOut(Schema):
    username: str
    real_name: str
    id_number_masked: str
    mobile_masked: str
    birth_date: str
    gender: str


class EnterpriseIn(InSchema):
    uscc: str = Field(..., pattern=USCC_RE, description="18位统一社会信用代码(校验位另行核验)")
    name: str = Field(..., min_length=2, max_length=120)
    legal_representative: str = Field(..., min_length=2, max_length=30)
    region_code: str = Field(..., pattern=REGION_CODE_RE, description="12位行政区划代码(须为已有的行政区划)")
    address: str = Field("", max_length=200)


class EnterpriseOverrideIn(EnterpriseIn):
    override_reason: str = Field("", max_length=200, description="人工核验理由：仅具备人工核验权限的工作人员可用")


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    legal_representative: str
    region_code: str
    address: str


class AgentIn(InSchema):
    agent_mobile: str = Field(..., pattern=MOBILE_RE, description="经办人实名注册的手机号码")


class AgentOut(Schema):
    """An agency as its enterprise's legal representative sees it. agent_name is empty until the citizen has
    accepted; an invitation looks the same whether or not its number belongs to a registered citizen."""

    id: int
    enterprise_id: int
    role: str = Field(..., description="legal_rep 法定代表人 | agent 经办人")
    state: str = Field(..., description="pending 待确认 | accepted 已接受 | declined 已拒绝 | withdrawn 已撤回")
    agent_name: str
    mobile_masked: str
    invited_at: datetime
    accepted_at: datetime | None
    ended_at: datetime | None


class AgentGrantOut(AgentOut):
    message: str = Field(..., description="the same for every number: registered or not")


class InvitationOut(Schema):
    """An invitation waiting for the signed-in citizen's answer."""

    id: int
    enterprise_id: int
    enterprise_name: str
    enterprise_uscc: str
    invited_by: str
    invited_at: datetime
    state: str


class TokenIn(InSchema):
    name: str = Field(..., min_length=1, max_length=60)
    valid_days: int = Field(90, ge=1, le=366)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked: bool


class TokenCreatedOut(TokenOut):
    secret: str = Field(..., description="shown once; only its SM3 digest is stored")
