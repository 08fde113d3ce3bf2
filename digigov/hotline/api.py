"""12345 热线 API (/api/v1/hotline/): intake by the API channel (idempotent), scoped lists and details, and the
loop's steps. Parse → selector/service → schema; every write goes through digigov.hotline.services.

Idempotency: POST /hotline/appeals needs an `Idempotency-Key` header. The first request with a key files the
appeal (201); a retry with the same key and the same body answers 200 with that same appeal; the same key with a
different body is a 409 (core.idempotency: the replay answers with the body the first request got). Keys are kept
per account (client "user:<id>"): two accounts never share one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from digigov.core.api_errors import AUTH_ERRORS, BODY_ERRORS, INPUT_ERRORS, UNSAFE_ERRORS, errors
from digigov.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from digigov.core.idempotency import http_answer, retention_note
from digigov.hotline import policy, selectors
from digigov.hotline.models import Appeal, CallbackTask, ExtensionRequest
from digigov.hotline.schemas import (
    AppealIn,
    AppealNumber,
    AppealOut,
    AppealSummaryOut,
    AppealTransitionIn,
    CardQuery,
    CategoryQuery,
    ChannelQuery,
    DateQuery,
    DepartmentQuery,
    FlagQuery,
    IdempotencyKey,
    StatusQuery,
    TypeQuery,
    appeal_out,
    appeal_summary,
)
from digigov.hotline.services import loop
from digigov.hotline.services.intake import AppealInput, appeal_intake
from digigov.hotline.workflow import appeal_workflow
from digigov.identity.current import api_actor
from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.schemas import Limit, Offset, RegionCodeQuery
from digigov.identity.scope import has_perm
from digigov.identity.selectors import department_by_code, region_by_code

router = Router(tags=["12345热线"])

API_CHANNEL = "api"


def _fresh(actor: User, appeal: Appeal) -> AppealOut:
    """The appeal as the actor now sees it. After a step that takes it out of the actor's scope (a 退单, a
    dispatch elsewhere) it is shown as it stands: the actor has just acted on it."""
    visible = selectors.visible_appeals(actor).select_related("master").filter(pk=appeal.pk).first()
    if visible is None:
        visible = selectors.appeal_as_acted_on(appeal.pk)
    return appeal_out(actor, visible)


# --- intake -----------------------------------------------------------------------------------------------


@router.post(
    "/appeals",
    response={200: AppealOut, 201: AppealOut, **AUTH_ERRORS, **BODY_ERRORS, **UNSAFE_ERRORS, **errors(409)},
    summary="受理诉求(API 渠道, 幂等)",
    description=(
        "群众本人或持有热线受理权限的工作人员(部门系统对接)提交。必须带 `Idempotency-Key` 头: 首次 201;"
        "以同一键重试(请求体相同)返回 200 和首次的响应内容(同一件工单), 不会产生第二件; 同一键配不同请求体为 409。"
        + retention_note()
        + "category_code 为来电人选定的分类时直接分拨到该分类的部门, 否则由分拨模型或派单员决定。"
        "403: 无受理权限(或会话缺少 CSRF 令牌)。"
    ),
)
def appeal_create(request: HttpRequest, payload: AppealIn, idempotency_key: IdempotencyKey) -> Status[AppealOut]:
    actor = api_actor(request)
    if not policy.can(actor, policy.Action.SUBMIT):  # before reading the body; submit_appeal checks too
        raise Forbidden("您没有热线受理权限")
    outcome = appeal_intake(
        actor=actor,
        data=AppealInput(
            channel=API_CHANNEL,
            appeal_type=payload.appeal_type,
            subject=payload.subject,
            text=payload.text,
            address=payload.address,
            region_code=payload.region_code,
            latitude=payload.latitude,
            longitude=payload.longitude,
            caller_name=payload.caller_name,
            caller_phone=payload.caller_phone,
            confidential=payload.confidential,
            category_code=payload.category_code,
            idempotency_key=idempotency_key,
        ),
        answer=lambda appeal: (201, _fresh(actor, appeal).model_dump(mode="json")),
    )
    return Status(*http_answer(outcome, lambda appeal: _fresh(actor, appeal)))


# --- reads ------------------------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@router.get(
    "/appeals",
    response={200: list[AppealSummaryOut], **AUTH_ERRORS, **INPUT_ERRORS},
    summary="工单列表(按数据范围): 热线中心为本辖区, 承办部门和街道为派给本单位的, 群众为本人提交的",
)
def appeal_list(
    request: HttpRequest,
    status: StatusQuery = None,
    card: CardQuery = None,
    appeal_type: TypeQuery = None,
    channel: ChannelQuery = None,
    category_code: CategoryQuery = None,
    department: DepartmentQuery = None,
    region_code: RegionCodeQuery = None,
    needs_dispatcher: FlagQuery = None,
    created_from: DateQuery = None,
    created_to: DateQuery = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[AppealSummaryOut]:
    if created_from and created_to and created_from > created_to:
        raise ValidationFailed("开始日期不能晚于结束日期", fields={"created_from": "晚于结束日期"})
    appeals: QuerySet[Appeal] = selectors.visible_appeals(api_actor(request))
    filters: dict[str, object] = {
        "status": status,
        "appeal_type": appeal_type,
        "channel__code": channel,
        "category__code__startswith": category_code,
        "department__code": department,
        "needs_dispatcher": needs_dispatcher,
    }
    appeals = appeals.filter(**{k: v for k, v in filters.items() if v is not None})
    if card:  # derived from the deadline instants at this moment, as every card is
        appeals = appeals.filter(appeal_workflow.card_q(card, timezone.now()))
    if region_code:
        region = region_by_code(region_code)
        appeals = appeals.filter(region__code__startswith=region.scope_prefix) if region else appeals.none()
    if created_from:
        appeals = appeals.filter(created_at__gte=_day_start(created_from))
    if created_to:
        appeals = appeals.filter(created_at__lt=_day_start(created_to + timedelta(days=1)))
    page = appeals.order_by("-created_at", "-id")[offset : offset + limit]
    return [AppealSummaryOut(**appeal_summary(a)) for a in page]


@router.get(
    "/appeals/{number}",
    response={200: AppealOut, **AUTH_ERRORS, **INPUT_ERRORS, **errors(404)},
    summary="工单详情: 流转记录、时限、承办部门、回访; 来电人信息已脱敏(保密时对承办部门隐藏)",
)
def appeal_detail(request: HttpRequest, number: AppealNumber) -> AppealOut:
    actor = api_actor(request)
    return _fresh(actor, selectors.appeal_by_number_for_actor(actor, number))


# --- the loop ---------------------------------------------------------------------------------------------


def _required(value: object, field: str, message: str) -> None:
    if value in (None, "", []):
        raise ValidationFailed(message, fields={field: "必填"})


def _dispatch(actor: User, appeal: Appeal, p: AppealTransitionIn) -> None:
    _required(p.department_code, "department_code", "请选择承办部门")
    department = department_by_code(p.department_code or "")
    if department is None:
        raise ValidationFailed("承办部门不存在", fields={"department_code": "未知的部门编码"})
    category = None
    if p.category_code:
        category = selectors.category_tree().filter(code=p.category_code).first()
        if category is None:
            raise ValidationFailed("诉求分类不存在", fields={"category_code": "未知的分类编码"})
    handler_region = None
    if p.handler_region_code:
        handler_region = region_by_code(p.handler_region_code)
        if handler_region is None:
            raise ValidationFailed("承办区域不存在", fields={"handler_region_code": "未知的行政区划编码"})
    loop.dispatch(
        actor=actor,
        appeal=appeal,
        department=department,
        category=category,
        handler_region=handler_region,
        note=p.note,
    )


def _pending_for[T: (ExtensionRequest, CallbackTask)](
    actor: User, perm: Perm, pending: Callable[[User], QuerySet[T]], appeal: Appeal, missing: str
) -> T:
    """The appeal's open 延期 request or 回访 task, for an actor who may decide it."""
    if not has_perm(actor, perm):
        raise Forbidden()
    item = pending(actor).filter(appeal=appeal).first()
    if item is None:
        raise Conflict(missing)
    return item


def _decide_extension(actor: User, appeal: Appeal, p: AppealTransitionIn) -> None:
    _required(p.approve, "approve", "请选择是否批准延期")
    request = _pending_for(
        actor, Perm.HOTLINE_DISPATCH, selectors.pending_extensions, appeal, "该工单没有待审批的延期申请"
    )
    loop.decide_extension(actor=actor, request=request, approve=bool(p.approve), note=p.note)


def _callback(actor: User, appeal: Appeal, p: AppealTransitionIn) -> None:
    _required(p.result, "result", "请选择回访结果")
    task = _pending_for(actor, Perm.HOTLINE_CALLBACK, selectors.pending_callbacks, appeal, "该工单没有待办的回访任务")
    loop.record_callback(actor=actor, task=task, result=str(p.result), comment=p.comment)


def _merge(actor: User, appeal: Appeal, p: AppealTransitionIn) -> None:
    if not has_perm(actor, Perm.HOTLINE_DISPATCH):
        raise Forbidden()
    _required(p.duplicates, "duplicates", "请选择要并入的工单")
    duplicates = []
    for number in dict.fromkeys(p.duplicates):
        try:
            duplicates.append(selectors.appeal_by_number_for_actor(actor, number))
        except NotFound as exc:
            raise ValidationFailed("要并入的工单不存在或无权访问", fields={"duplicates": number}) from exc
    loop.merge(actor=actor, master=appeal, duplicates=duplicates)


def _request_extension(actor: User, appeal: Appeal, p: AppealTransitionIn) -> None:
    _required(p.working_days, "working_days", "请填写延期工作日")
    loop.request_extension(actor=actor, appeal=appeal, working_days=p.working_days or 0, reason=p.reason)


_ACTIONS: dict[str, Callable[[User, Appeal, AppealTransitionIn], object]] = {
    "dispatch": _dispatch,
    "sign": lambda actor, appeal, p: loop.sign(actor=actor, appeal=appeal),
    "return": lambda actor, appeal, p: loop.return_to_centre(actor=actor, appeal=appeal, reason=p.reason),
    "reply": lambda actor, appeal, p: loop.reply(actor=actor, appeal=appeal, text=p.text),
    "request_extension": _request_extension,
    "decide_extension": _decide_extension,
    "escalate": lambda actor, appeal, p: loop.escalate(actor=actor, appeal=appeal, note=p.note),
    "merge": _merge,
    "callback": _callback,
}


@router.post(
    "/appeals/{number}/transitions",
    response={200: AppealOut, **AUTH_ERRORS, **BODY_ERRORS, **UNSAFE_ERRORS, **errors(404, 409)},
    summary="办理: 派单、签收、退单、回复、申请/审批延期、督办、并案、回访",
    description=(
        "dispatch、decide_extension、escalate、merge 由热线中心派单员办理; sign、return、reply、request_extension"
        "由承办部门或街道办理; callback 由回访员办理。403: 该操作不在您的权限内; 404: 工单不存在或不在您的"
        "数据范围内; 409: 工单当前状态不允许此操作, 或已被他人同时处理; 422: 缺少该操作所需的字段。"
    ),
)
def appeal_transition(request: HttpRequest, number: AppealNumber, payload: AppealTransitionIn) -> AppealOut:
    actor = api_actor(request)
    appeal = selectors.appeal_by_number_for_actor(actor, number)
    _ACTIONS[payload.action](actor, appeal, payload)
    return _fresh(actor, appeal)
