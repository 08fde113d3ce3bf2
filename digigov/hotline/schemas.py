"""API schemas of the hotline (/api/v1/hotline/), and how each answer is built from the models.

The caller leaves only masked (王*明, 138****5678), and not at all to a handling department when the caller asked
for confidentiality (保密): selectors.caller_view decides.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from ninja.params.functions import Header, Path, Query

from digigov.hotline.models import (
    Appeal,
    AppealCard,
    AppealStatus,
    AppealType,
    ExtensionStatus,
    Satisfaction,
)
from digigov.hotline.selectors import caller_view
from digigov.hotline.services.intake import MAX_SUBJECT, MAX_TEXT, MIN_TEXT
from digigov.hotline.services.loop import MAX_EXTENSION_DAYS, MAX_NOTE
from digigov.identity.models import User, UserKind
from digigov.identity.schemas import MOBILE_RE, InSchema, IsoDate

NUMBER_RE = r"^RX\d{8,20}$"
CATEGORY_CODE_RE = r"^\d{2,12}$"
IDEMPOTENCY_KEY_RE = r"^[A-Za-z0-9_-]{1,80}$"
CALLER_PHONE_RE = r"^(" + MOBILE_RE.strip("^$") + r"|0\d{2,3}-?\d{7,8})?$"  # intake.LANDLINE_RE
MAX_DUPLICATES = 50

AppealNumber = Annotated[str, Path(pattern=NUMBER_RE, description="工单编号，如 RX20261122000123")]
StatusQuery = Annotated[AppealStatus | None, Query(description="工单状态")]
CardQuery = Annotated[AppealCard | None, Query(description="时限预警: green正常 yellow黄牌 red红牌 none未计时")]
TypeQuery = Annotated[AppealType | None, Query(description="诉求类型")]
ChannelQuery = Annotated[str | None, Query(pattern=r"^[a-z0-9_-]{1,20}$", description="受理渠道编码")]
CategoryQuery = Annotated[str | None, Query(pattern=CATEGORY_CODE_RE, description="分类编码(含下级分类)")]
DepartmentQuery = Annotated[str | None, Query(pattern=r"^[a-z0-9_-]{1,40}$", description="承办部门编码")]
FlagQuery = Annotated[bool | None, Query(description="true: 仅待人工派单的工单")]
DateQuery = Annotated[IsoDate | None, Query(description="YYYY-MM-DD(受理日期)")]
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        pattern=IDEMPOTENCY_KEY_RE,
        description="幂等键 (1–80 位字母、数字、_ 或 -), 必填: 同一键重试返回第一次受理的工单",
    ),
]


# --- input ------------------------------------------------------------------------------------------------


class AppealIn(InSchema):
    appeal_type: AppealType = Field(
        ..., strict=False, description="咨询 consultation、投诉 complaint、建议 suggestion、求助 help、举报 report"
    )
    subject: str = Field(..., min_length=1, max_length=MAX_SUBJECT)
    text: str = Field(..., min_length=MIN_TEXT, max_length=MAX_TEXT, description=f"诉求内容，{MIN_TEXT}至{MAX_TEXT}字")
    address: str = Field("", max_length=200, description="事发地址(用于识别所在街道)")
    region_code: str = Field("", pattern=r"^(\d{12})?$", description="事发地12位行政区划代码(可选)")
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    caller_name: str = Field("", max_length=30)
    caller_phone: str = Field("", pattern=CALLER_PHONE_RE, description="手机(可带 +86)或固定电话(区号-号码)")
    confidential: bool = Field(False, description="保密: 承办部门看不到来电人信息")
    category_code: str = Field(
        "", pattern=r"^(\d{2,12})?$", description="来电人选定的分类(可选): 直接分拨到该分类的部门"
    )


TransitionAction = Literal[
    "dispatch",
    "sign",
    "return",
    "reply",
    "request_extension",
    "decide_extension",
    "escalate",
    "merge",
    "callback",
]


class AppealTransitionIn(InSchema):
    """One step of the loop; which fields each action needs is said per field."""

    action: TransitionAction
    department_code: str = Field("", max_length=40, description="dispatch: 承办部门编码(必填)")
    category_code: str = Field("", pattern=r"^(\d{2,12})?$", description="dispatch: 确认的分类(可选，成为训练标注)")
    handler_region_code: str = Field("", pattern=r"^(\d{12})?$", description="dispatch: 一单通达的街道或社区(可选)")
    note: str = Field(
        "", max_length=MAX_NOTE, description="dispatch 备注; escalate 督办意见(必填); decide_extension 意见"
    )
    reason: str = Field("", max_length=MAX_NOTE, description="return 退单理由、request_extension 延期理由(必填)")
    text: str = Field("", max_length=MAX_NOTE, description="reply: 答复内容(必填)")
    working_days: int | None = Field(None, ge=1, le=MAX_EXTENSION_DAYS, description="request_extension: 延期工作日")
    approve: bool | None = Field(None, description="decide_extension: true 批准, false 不批准(须写 note)")
    duplicates: list[Annotated[str, Field(pattern=NUMBER_RE)]] = Field(
        default_factory=list, max_length=MAX_DUPLICATES, description="merge: 并入本工单的工单编号"
    )
    result: Satisfaction | None = Field(None, strict=False, description="callback: 回访结果")
    comment: str = Field("", max_length=MAX_NOTE, description="callback: 回访意见")


# --- output -----------------------------------------------------------------------------------------------


class CallerOut(Schema):
    name: str = Field(..., description="脱敏姓名; 保密时为「（保密）」")
    phone: str = Field(..., description="脱敏电话; 保密时为「（保密）」")
    hidden: bool = Field(..., description="来电人要求保密，对承办部门隐藏")


class SuggestionOut(Schema):
    label: str
    confidence: float


class SimilarOut(Schema):
    number: str
    score: float


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    actor: str = Field(..., description="办理人; 系统自动处理时为「系统」")
    department: str | None
    region: str | None
    note: str
    at: datetime


class ExtensionOut(Schema):
    working_days: int
    reason: str
    status: ExtensionStatus
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str


class CallbackOut(Schema):
    round: int
    department: str
    due_at: datetime
    result: str
    done_at: datetime | None


class AppealSummaryOut(Schema):
    number: str
    channel: str
    appeal_type: AppealType
    appeal_type_label: str
    subject: str
    status: AppealStatus
    status_label: str
    card: AppealCard
    confidential: bool
    region_code: str
    region_name: str
    category_l1: str
    department_name: str | None
    needs_dispatcher: bool
    created_at: datetime
    sign_due_at: datetime | None
    reply_due_at: datetime | None


class AppealOut(AppealSummaryOut):
    channel_name: str
    text: str
    address: str
    latitude: float | None
    longitude: float | None
    caller: CallerOut
    category_code: str | None
    category_path: str | None
    suggestions: list[SuggestionOut]
    routing_confidence: float | None
    routing_model_version: int | None
    routed_by: str
    department_code: str | None
    handler_region_code: str | None
    handler_region_name: str | None
    dispatched_at: datetime | None
    signed_at: datetime | None
    replied_at: datetime | None
    reply_text: str
    closed_at: datetime | None
    escalated_at: datetime | None
    satisfaction: str
    reopen_count: int
    support_count: int
    master_number: str | None
    similar_appeals: list[SimilarOut]
    events: list[EventOut]
    extensions: list[ExtensionOut]
    callbacks: list[CallbackOut]


# --- building the answers ---------------------------------------------------------------------------------


def appeal_summary(appeal: Appeal) -> dict[str, Any]:
    return {
        "number": appeal.number,
        "channel": appeal.channel.code,
        "appeal_type": appeal.appeal_type,
        "appeal_type_label": str(AppealType(appeal.appeal_type).label),
        "subject": appeal.subject,
        "status": appeal.status,
        "status_label": str(AppealStatus(appeal.status).label),
        "card": appeal.card,
        "confidential": appeal.confidential,
        "region_code": appeal.region.code,
        "region_name": appeal.region.name,
        "category_l1": appeal.category_l1,
        "department_name": appeal.department.name if appeal.department else None,
        "needs_dispatcher": appeal.needs_dispatcher,
        "created_at": appeal.created_at,
        "sign_due_at": appeal.sign_due_at,
        "reply_due_at": appeal.reply_due_at,
    }


def _suggestions(appeal: Appeal) -> list[SuggestionOut]:
    out = []
    for item in appeal.suggestions or []:
        if isinstance(item, dict) and "label" in item:
            out.append(SuggestionOut(label=str(item["label"]), confidence=float(item.get("confidence") or 0)))
    return out


def _similar(appeal: Appeal) -> list[SimilarOut]:
    return [
        SimilarOut(number=str(item["number"]), score=float(item.get("score") or 0))
        for item in appeal.similar_appeals or []
        if isinstance(item, dict) and item.get("number")
    ]


def _events(appeal: Appeal) -> list[EventOut]:
    return [
        EventOut(
            action=e.action,
            from_status=e.from_status,
            to_status=e.to_status,
            actor=e.actor.display_name if e.actor else "系统",
            department=e.department.name if e.department else None,
            region=e.region.name if e.region else None,
            note=e.note,
            at=e.at,
        )
        for e in appeal.events.select_related("actor", "department", "region").order_by("id")
    ]


def appeal_out(actor: User, appeal: Appeal) -> AppealOut:
    """A citizen sees their own appeal without the centre's working material: the model's suggestions and the
    numbers of other people's similar appeals."""
    caller = caller_view(actor, appeal)
    staff = actor.kind != UserKind.CITIZEN
    category = appeal.category
    return AppealOut(
        **appeal_summary(appeal),
        channel_name=appeal.channel.name,
        text=appeal.text,
        address=appeal.address,
        latitude=float(appeal.latitude) if appeal.latitude is not None else None,
        longitude=float(appeal.longitude) if appeal.longitude is not None else None,
        caller=CallerOut(name=caller.name, phone=caller.phone, hidden=caller.hidden),
        category_code=category.code if category else None,
        category_path=category.path if category else None,
        suggestions=_suggestions(appeal) if staff else [],
        routing_confidence=appeal.routing_confidence if staff else None,
        routing_model_version=appeal.routing_model_version if staff else None,
        routed_by=appeal.routed_by,
        department_code=appeal.department.code if appeal.department else None,
        handler_region_code=appeal.handler_region.code if appeal.handler_region else None,
        handler_region_name=appeal.handler_region.name if appeal.handler_region else None,
        dispatched_at=appeal.dispatched_at,
        signed_at=appeal.signed_at,
        replied_at=appeal.replied_at,
        reply_text=appeal.reply_text,
        closed_at=appeal.closed_at,
        escalated_at=appeal.escalated_at,
        satisfaction=appeal.satisfaction,
        reopen_count=appeal.reopen_count,
        support_count=appeal.support_count,
        master_number=appeal.master.number if appeal.master is not None else None,
        similar_appeals=_similar(appeal) if staff else [],
        events=_events(appeal),
        extensions=[
            ExtensionOut(
                working_days=x.working_days,
                reason=x.reason,
                status=ExtensionStatus(x.status),
                requested_at=x.requested_at,
                decided_at=x.decided_at,
                decision_note=x.decision_note,
            )
            for x in appeal.extensions.order_by("id")
        ],
        callbacks=[
            CallbackOut(
                round=c.round, department=c.department.name, due_at=c.due_at, result=c.result, done_at=c.done_at
            )
            for c in appeal.callbacks.select_related("department").order_by("round")
        ],
    )
