"""API schemas of the identity domain. Personal data leaves only masked."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


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


class StaffPatchIn(Schema):
    title: str | None = Field(None, max_length=60)
    display_name: str | None = Field(None, min_length=2, max_length=30)


class CitizenRegisterIn(Schema):
    real_name: str = Field(..., min_length=2, max_length=30)
    id_number: str = Field(..., min_length=18, max_length=18)
    mobile: str = Field(..., min_length=11, max_length=14)
    password: str = Field(..., min_length=8, max_length=128)


class CitizenOut(Schema):
    username: str
    real_name: str
    id_number_masked: str
    mobile_masked: str
    birth_date: str
    gender: str


class EnterpriseIn(Schema):
    uscc: str = Field(..., min_length=18, max_length=18)
    name: str = Field(..., min_length=2, max_length=120)
    legal_representative: str = Field(..., min_length=2, max_length=30)
    region_code: str = Field(..., min_length=12, max_length=12)
    address: str = Field("", max_length=200)


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    legal_representative: str
    region_code: str
    address: str


class AgentIn(Schema):
    agent_mobile: str = Field(..., min_length=11, max_length=14)


class AgentOut(Schema):
    enterprise_id: int
    role: str
    active: bool


class TokenIn(Schema):
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
