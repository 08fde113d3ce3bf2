"""API schemas of the identity domain. Personal data leaves only masked."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.params.functions import Path, Query
from pydantic import field_validator

# Database ids are 64-bit: a larger number must be refused at the edge, not overflow in the database.
ID_MAX = 2**63 - 1
ObjectId = Annotated[int, Path(ge=1, le=ID_MAX)]
RegionCode = Annotated[str, Path(pattern=r"^\d{12}$", description="12位行政区划代码")]
RegionCodeQuery = Annotated[str | None, Query(pattern=r"^\d{12}$", description="12位行政区划代码")]
Limit = Annotated[int, Query(ge=1, le=500, description="每页条数, 1至500")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="跳过条数")]

# C0 control characters other than tab and line breaks (NUL cannot even be stored by PostgreSQL).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InSchema(Schema):
    """Base of every input schema: text must not carry control characters."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and _CONTROL_CHARS.search(value):
            raise ValueError("不能包含控制字符")
        return value


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
    id_number: str = Field(..., min_length=18, max_length=18)
    mobile: str = Field(..., min_length=11, max_length=14)
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
    uscc: str = Field(..., min_length=18, max_length=18)
    name: str = Field(..., min_length=2, max_length=120)
    legal_representative: str = Field(..., min_length=2, max_length=30)
    region_code: str = Field(..., min_length=12, max_length=12)
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
    agent_mobile: str = Field(..., min_length=11, max_length=14)


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
