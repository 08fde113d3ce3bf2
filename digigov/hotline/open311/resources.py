"""GeoReport v2 documents built from the hotline's models: discovery, services, service definitions, requests.

Dates are ISO 8601 in local time with the offset (2026-11-22T09:30:00+08:00). A request shows the category as
the service, the handling department as agency_responsible and the reply as status_notes; with extensions=true
the loop's stage and deadlines travel as extended_attributes.

Privacy: the caller's name and phone are never in a document. An appeal whose caller asked for confidentiality
(保密) or that reports someone (举报) shows its service, status and dates only: its text, place and reply could
point to the caller. Mobile, landline and ID numbers inside any text are masked.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.utils import timezone

from digigov.core.masking import mask_id_number, mask_mobile
from digigov.hotline.models import Appeal, AppealCard, AppealStatus, AppealType, Category, CategoryLevel

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-22T00:00:00+08:00"  # when this implementation's documents last changed shape
CONTACT = "本溪市12345政务服务便民热线中心"
KEY_SERVICE = "接入密钥由市12345热线中心发放（python manage.py hotline_open311_client create），仅在发放时显示一次"
DEFAULT_APPEAL_TYPE = AppealType.HELP
SUBJECT_FROM_TEXT = 30
WITHHELD = "（来电人要求保密或属举报事项，内容不公开）"
CARD_LABELS = {AppealCard.NONE: "未计时", AppealCard.GREEN: "正常", AppealCard.YELLOW: "黄牌", AppealCard.RED: "红牌"}


def iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment is not None else None


# --- discovery and services -------------------------------------------------------------------------------


def discovery(endpoint_url: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": CONTACT,
        "key_service": KEY_SERVICE,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def service_name(category: Category) -> str:
    """A level-3 name alone is often 其他: it is named with its parent."""
    if category.level == CategoryLevel.L3 and category.parent is not None:
        return f"{category.parent.name}/{category.name}"
    return category.name


def _group(category: Category) -> str:
    return category.path.split("/")[0]


def service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": service_name(category),
        "description": category.path,
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(category.path.split("/")),
        "group": _group(category),
    }


def attribute_definitions() -> list[dict[str, Any]]:
    """The same for every service: what a client may send as attribute[code]."""
    return [
        {
            "variable": True,
            "code": "appeal_type",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": f"默认：{DEFAULT_APPEAL_TYPE.label}",
            "order": 1,
            "description": "诉求类型",
            "values": [{"key": value, "name": str(label)} for value, label in AppealType.choices],
        },
        {
            "variable": True,
            "code": "confidential",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "默认：否。保密的诉求，承办部门看不到来电人的任何信息，公开接口也不显示其内容",
            "order": 2,
            "description": "保密",
            "values": [{"key": "true", "name": "是"}, {"key": "false", "name": "否"}],
        },
        {
            "variable": True,
            "code": "subject",
            "datatype": "string",
            "required": False,
            "datatype_description": f"不超过100字；不填则取描述的前{SUBJECT_FROM_TEXT}个字",
            "order": 3,
            "description": "诉求标题",
            "values": None,
        },
        {
            "variable": True,
            "code": "region_code",
            "datatype": "string",
            "required": False,
            "datatype_description": "12位行政区划代码（街道或社区）；不填则按地址识别",
            "order": 4,
            "description": "事发地所在区域",
            "values": None,
        },
    ]


ATTRIBUTE_CODES = frozenset(a["code"] for a in attribute_definitions())


def service_definition(category: Category) -> dict[str, Any]:
    return {"service_code": category.code, "attributes": attribute_definitions()}


# --- requests ---------------------------------------------------------------------------------------------

_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")


def redact(text: str) -> str:
    """Numbers that identify a person, masked wherever they were typed."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    text = _MOBILE.sub(lambda m: mask_mobile(m.group()), text)
    return _LANDLINE.sub(lambda m: m.group()[:4] + "****" + m.group()[-2:], text)


def is_withheld(appeal: Appeal) -> bool:
    return appeal.confidential or appeal.appeal_type == AppealType.REPORT


def open_or_closed(appeal: Appeal) -> str:
    return "closed" if appeal.status == AppealStatus.CLOSED else "open"


def _status_notes(appeal: Appeal) -> str | None:
    if appeal.reply_text:
        return redact(appeal.reply_text)
    if appeal.status == AppealStatus.MERGED and appeal.master is not None:
        return f"已并入工单 {appeal.master.number} 一并办理"
    return None


def _extended(appeal: Appeal, withheld: bool) -> dict[str, Any]:
    return {
        "stage": appeal.status,
        "stage_label": str(AppealStatus(appeal.status).label),
        "appeal_type": appeal.appeal_type,
        "appeal_type_label": str(AppealType(appeal.appeal_type).label),
        "subject": None if withheld else redact(appeal.subject),
        "channel": appeal.channel.code,
        "sign_due_datetime": iso(appeal.sign_due_at),
        "signed_datetime": iso(appeal.signed_at),
        "reply_due_datetime": iso(appeal.reply_due_at),
        "replied_datetime": iso(appeal.replied_at),
        "closed_datetime": iso(appeal.closed_at),
        "card": appeal.card,
        "card_label": CARD_LABELS.get(AppealCard(appeal.card), ""),
        "escalated_datetime": iso(appeal.escalated_at),
        "merged_into": appeal.master.number if appeal.master is not None else None,
    }


def request(appeal: Appeal, *, extensions: bool = False) -> dict[str, Any]:
    withheld = is_withheld(appeal)
    category = appeal.category
    updated = getattr(appeal, "updated_at", None) or appeal.created_at
    doc: dict[str, Any] = {
        "service_request_id": appeal.number,
        "status": open_or_closed(appeal),
        "status_notes": None if withheld else _status_notes(appeal),
        "service_name": service_name(category) if category is not None else None,
        "service_code": category.code if category is not None else None,
        "description": WITHHELD if withheld else redact(appeal.text),
        "agency_responsible": appeal.department.name if appeal.department is not None else None,
        "service_notice": None,
        "requested_datetime": iso(appeal.created_at),
        "updated_datetime": iso(updated),
        "expected_datetime": iso(appeal.reply_due_at),
        "address": None if withheld else appeal.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": None if withheld or appeal.latitude is None else float(appeal.latitude),
        "long": None if withheld or appeal.longitude is None else float(appeal.longitude),
        "media_url": None if withheld else _media_url(appeal),
    }
    if extensions:
        doc["extended_attributes"] = _extended(appeal, withheld)
    return doc


def created(appeal: Appeal, token: str) -> dict[str, Any]:
    """The answer to a POST: realtime, so the id at once; the token finds it again (GET tokens/{token})."""
    return {
        "service_request_id": appeal.number,
        "token": token,
        "service_notice": f"已受理，工单编号 {appeal.number}，当前状态：{AppealStatus(appeal.status).label}",
        "account_id": None,
    }


def token_lookup(appeal: Appeal, token: str) -> dict[str, Any]:
    return {"service_request_id": appeal.number, "token": token}


def _media_url(appeal: Appeal) -> str | None:
    """The first link the client gave (uploaded files stay private: they are not served publicly)."""
    links = [a.media_url for a in appeal.attachments.all() if a.media_url]
    return links[0] if links else None
