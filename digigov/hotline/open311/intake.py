"""POST requests: from the spec's form parameters to one appeal, through the hotline's intake.

Mapping: service_code → the category the client chose (routed to its department without the model);
description → text; attribute[subject] (or the first words of the description) → subject; attribute[appeal_type]
→ 诉求类型 (default 求助); attribute[confidential] → 保密; address_string (and attribute[region_code]) → where;
lat/long → the point; last_name + first_name → the caller's name; phone → the caller's phone; media_url → an
attachment link. email, device_id and account_id are checked but not stored (the appeal has no column for them);
device_id and account_id take part in the replay digest.

Replays: Open311 has no idempotency header, so a client may send `Idempotency-Key`; without one the key is the
SM3 digest of the submitted parameters. Either way it is kept under the client's id, so the same client sending
the same thing again gets the first appeal back (200), never a second one; the same Idempotency-Key with other
content is refused (409).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from digigov.core.crypto import sm3_hex
from digigov.core.errors import DomainError
from digigov.hotline.models import AppealType
from digigov.hotline.open311.resources import ATTRIBUTE_CODES, DEFAULT_APPEAL_TYPE, SUBJECT_FROM_TEXT
from digigov.hotline.services.intake import AppealInput

MAX_DESCRIPTION = 4000  # the spec's limit
MAX_SHORT = 100  # device_id, account_id, each name part
MAX_EMAIL = 254
MAX_MEDIA_URL = 1000
SERVICE_CODE_RE = re.compile(r"^\d{2,12}$")
IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
ATTRIBUTE_RE = re.compile(r"^attribute\[([A-Za-z0-9_]{1,40})\](\[\])?$")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # NUL cannot even be stored by PostgreSQL
NOT_DIGESTED = frozenset({"api_key", "jurisdiction_id"})

# Intake's field names → the parameters an Open311 client sent.
PARAMETER_NAMES = {
    "text": "description",
    "subject": "attribute[subject]",
    "appeal_type": "attribute[appeal_type]",
    "confidential": "attribute[confidential]",
    "region_code": "attribute[region_code]",
    "address": "address_string",
    "latitude": "lat",
    "longitude": "long",
    "caller_name": "first_name/last_name",
    "caller_phone": "phone",
    "category_code": "service_code",
    "idempotency_key": "Idempotency-Key",
}


class Open311Error(Exception):
    """An answer in the spec's error format: HTTP status and one description per problem."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = descriptions


def from_domain_error(exc: DomainError) -> Open311Error:
    status = {422: 400}.get(exc.status, exc.status)
    if not exc.fields:
        return Open311Error(status, exc.message)
    return Open311Error(
        status, *(f"{PARAMETER_NAMES.get(field, field)}: {message}" for field, message in exc.fields.items())
    )


@dataclass(frozen=True)
class Submission:
    data: AppealInput
    replay_key: str  # "h:<Idempotency-Key>" or "p:<digest of the parameters>", before the client's id is added


def _one(params: Mapping[str, Sequence[str]], name: str) -> str:
    values = params.get(name) or []
    if len(values) > 1:
        raise Open311Error(400, f"{name}: 只能提供一个值")
    return values[0].strip() if values else ""


def _attributes(params: Mapping[str, Sequence[str]]) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for name, values in params.items():
        if not name.startswith("attribute"):
            continue
        match = ATTRIBUTE_RE.match(name)
        if match is None or match.group(1) not in ATTRIBUTE_CODES:
            raise Open311Error(400, f"{name[:60]}: 未定义的属性，见 services/{{service_code}} 的 attributes")
        if match.group(2) or len(values) != 1:
            raise Open311Error(400, f"{name}: 该属性只能取一个值")
        attributes[match.group(1)] = values[0].strip()
    return attributes


def _digest(params: Mapping[str, Sequence[str]]) -> str:
    payload = {k: list(v) for k, v in sorted(params.items()) if k not in NOT_DIGESTED}
    return sm3_hex(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode())


def _check_lengths(params: Mapping[str, Sequence[str]]) -> None:
    limits = {
        "description": MAX_DESCRIPTION,
        "device_id": MAX_SHORT,
        "account_id": MAX_SHORT,
        "first_name": MAX_SHORT,
        "last_name": MAX_SHORT,
        "email": MAX_EMAIL,
        "media_url": MAX_MEDIA_URL,
    }
    problems = [
        f"{name}: 不能超过{limit}个字符"
        for name, limit in limits.items()
        if any(len(value) > limit for value in params.get(name) or [])
    ]
    if any(CONTROL_CHARS.search(value) for values in params.values() for value in values):
        problems.append("参数中含有控制字符")
    email = _one(params, "email")
    if email and ("@" not in email or " " in email):
        problems.append("email: 格式不正确")
    media_url = _one(params, "media_url")
    if media_url and not media_url.startswith(("http://", "https://")):
        problems.append("media_url: 应为 http(s) 地址")
    if problems:
        raise Open311Error(400, *problems)


def _location(params: Mapping[str, Sequence[str]]) -> tuple[str, str, str]:
    lat, long, address = _one(params, "lat"), _one(params, "long"), _one(params, "address_string")
    if bool(lat) != bool(long):
        raise Open311Error(400, "lat/long: 经纬度须同时提供")
    if not (lat or address):
        if _one(params, "address_id"):
            raise Open311Error(400, "address_id: 本接口不支持地址编号，请提供 address_string 或 lat/long")
        raise Open311Error(400, "lat/long/address_string: 请提供事发地点（经纬度或地址）")
    return lat, long, address


def _confidential(value: str) -> bool:
    if value not in ("", "true", "false"):
        raise Open311Error(400, "attribute[confidential]: 应为 true 或 false")
    return value == "true"


def parse_post(params: Mapping[str, Sequence[str]], idempotency_header: str, service_name: str) -> Submission:
    """params: every POST parameter with all its values (QueryDict.lists()). The service code must already have
    been checked (service_name is its name, the subject of last resort)."""
    _check_lengths(params)
    attributes = _attributes(params)
    lat, long, address = _location(params)
    appeal_type = attributes.get("appeal_type") or DEFAULT_APPEAL_TYPE
    if appeal_type not in AppealType.values:
        raise Open311Error(400, "attribute[appeal_type]: 未知的诉求类型，见 services/{service_code} 的 values")
    description = _one(params, "description")
    first_line = description.splitlines()[0].strip() if description else ""
    subject = attributes.get("subject") or first_line[:SUBJECT_FROM_TEXT] or service_name
    if idempotency_header and not IDEMPOTENCY_KEY_RE.match(idempotency_header):
        raise Open311Error(400, "Idempotency-Key: 应为1至80位字母、数字、_ 或 -")
    data = AppealInput(
        channel="open311",
        appeal_type=appeal_type,
        subject=subject,
        text=description,
        address=address,
        region_code=attributes.get("region_code", ""),
        latitude=lat or None,
        longitude=long or None,
        caller_name=_one(params, "last_name") + _one(params, "first_name"),
        caller_phone=_one(params, "phone"),
        confidential=_confidential(attributes.get("confidential", "")),
        category_code=_one(params, "service_code"),
        media_url=_one(params, "media_url"),
    )
    replay_key = f"h:{idempotency_header}" if idempotency_header else f"p:{_digest(params)}"
    return Submission(data=data, replay_key=replay_key)
