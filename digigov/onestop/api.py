"""一网通办 API: the public catalogue, applications (idempotent submission), staff transitions, 好差评, 一件事,
statistics. Parse → selector/service → schema; every write goes through digigov.onestop.services.

Idempotency: POST /services/applications with submit=true, and POST /services/bundle-applications, need an
`Idempotency-Key` header. The first request with a key creates the application (201); a retry with the same key
and the same body answers 200 with that same application; the same key with a different body is a 409.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile as DjangoUploadedFile
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from digigov.core.api_errors import AUTH_ERRORS, BODY_ERRORS, INPUT_ERRORS, UNSAFE_ERRORS, errors
from digigov.core.errors import Forbidden, NotFound, ValidationFailed
from digigov.core.idempotency import http_answer, retention_note
from digigov.core.uploads import MB, read_upload
from digigov.identity.current import api_actor
from digigov.identity.models import Enterprise, Region, User
from digigov.identity.schemas import Limit, ObjectId, Offset, RegionCodeQuery
from digigov.identity.selectors import region_by_code, visible_enterprises
from digigov.onestop import policy, selectors
from digigov.onestop.models import (
    Application,
    ServiceItem,
)
from digigov.onestop.schemas import (
    ApplicationIn,
    ApplicationOut,
    ApplicationSummaryOut,
    ApplicationTransitionIn,
    BundleApplicationOut,
    BundleCode,
    BundleCodeForm,
    BundleOut,
    BundleSummaryOut,
    DateQuery,
    DeadlineFlagQuery,
    DepartmentQuery,
    EnterpriseIdForm,
    FormDataForm,
    IdempotencyKey,
    ItemCode,
    ItemCodeQuery,
    ItemOut,
    ItemSummaryOut,
    ItemTypeQuery,
    MaterialFile,
    MaterialIdForm,
    MaterialOut,
    RatingIn,
    RatingOut,
    RegionCodeForm,
    RequiredIdempotencyKey,
    ResubmitIn,
    SearchQuery,
    StatisticsOut,
    StatusQuery,
    WithdrawIn,
    application_out,
    application_summary,
    bundle_application_out,
    bundle_out,
    bundle_submission_multipart,
    bundle_summary,
    item_out,
    item_summary,
    rating_out,
)
from digigov.onestop.selectors import filter_by_query
from digigov.onestop.services import applications as svc
from digigov.onestop.services.bundles import BundleMaterial, bundle_application_submit_once
from digigov.onestop.services.materials import application_attach_material
from digigov.onestop.services.ratings import application_rate
from digigov.onestop.statistics import service_statistics
from digigov.onestop.workflow import application_workflow

router = Router(tags=["一网通办"])

PUBLIC = None  # auth=None: the catalogue is public information (it is printed in every service hall)
MULTIPART_ERRORS = errors(400, 422)  # a multipart body that does not parse; a missing or invalid part


# --- catalogue --------------------------------------------------------------------------------------------


@router.get(
    "/items", auth=PUBLIC, response={200: list[ItemSummaryOut], **INPUT_ERRORS}, summary="政务服务事项目录(公开)"
)
def item_list(
    request: HttpRequest,
    q: SearchQuery = None,
    department: DepartmentQuery = None,
    item_type: ItemTypeQuery = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[ItemSummaryOut]:
    items = selectors.active_items()
    if q:
        items = filter_by_query(items, q)
    if department:
        items = items.filter(department__code=department)
    if item_type:
        items = items.filter(item_type=item_type)
    return [ItemSummaryOut(**item_summary(i)) for i in items.order_by("code")[offset : offset + limit]]


@router.get(
    "/items/{code}", auth=PUBLIC, response={200: ItemOut, **INPUT_ERRORS, **errors(404)}, summary="办事指南(公开)"
)
def item_detail(request: HttpRequest, code: ItemCode) -> ItemOut:
    return item_out(selectors.item_get(code))


def _bundles() -> Any:
    return selectors.active_bundles().order_by("code")


@router.get("/bundles", auth=PUBLIC, response={200: list[BundleSummaryOut]}, summary="一件事目录(公开)")
def bundle_list(request: HttpRequest) -> list[BundleSummaryOut]:
    return [BundleSummaryOut(**bundle_summary(b)) for b in _bundles()]


@router.get(
    "/bundles/{code}",
    auth=PUBLIC,
    response={200: BundleOut, **INPUT_ERRORS, **errors(404)},
    summary="一件事: 合并后的申请表和材料(公开)",
)
def bundle_detail(request: HttpRequest, code: BundleCode) -> BundleOut:
    bundle = selectors.bundle_get(code)
    return bundle_out(bundle, selectors.bundle_form_fields(bundle), selectors.bundle_materials(bundle))


# --- applications: output -----------------------------------------------------------------------------------


def _fresh(actor: User, app: Application) -> ApplicationOut:
    return application_out(selectors.application_get_for_actor(actor, app.pk))


# --- applications: input ------------------------------------------------------------------------------------


def _body_refs(
    actor: User, item_code: str, region_code: str, enterprise_id: int | None
) -> tuple[ServiceItem, Region, Enterprise | None]:
    """References inside a body: a wrong one is a field error (422), not a missing resource."""
    item = selectors.active_items().filter(code=item_code).first()
    if item is None:
        raise ValidationFailed("事项不存在或已停止办理", fields={"item_code": "事项不存在或已停止办理"})
    region = region_by_code(region_code)
    if region is None:
        raise ValidationFailed("行政区划不存在", fields={"region_code": "行政区划不存在"})
    enterprise = None
    if enterprise_id is not None:
        enterprise = visible_enterprises(actor).filter(pk=enterprise_id).first()
        if enterprise is None:
            raise ValidationFailed("企业不存在或您不是该企业的经办人", fields={"enterprise_id": "无效"})
    return item, region, enterprise


_SERVICE_FIELDS = {"region": "region_code", "enterprise": "enterprise_id", "item": "item_code", "bundle": "bundle_code"}


_NOT_FORM = frozenset({"materials", "__all__", "reason", "comment", "file", "material"})


def _form_errors[T](call: Callable[[], T], not_form: frozenset[str] = _NOT_FORM) -> T:
    """Name a service's field errors as the client sent them: form_data.<name>, region_code, enterprise_id."""
    try:
        return call()
    except ValidationFailed as exc:
        exc.fields = {
            _SERVICE_FIELDS.get(k) or (k if k in not_form else f"form_data.{k}"): v for k, v in exc.fields.items()
        }
        raise


def _own(actor: User, application_id: int) -> Application:
    """An application the actor may see; only its applicant may act on it as the applicant."""
    app = selectors.application_get_for_actor(actor, application_id)
    if not policy.can(actor, policy.Action.ACT_AS_APPLICANT, app):
        raise Forbidden("只有申请人本人可以执行此操作")
    return app


APPLICANT_ERRORS = {**AUTH_ERRORS, **BODY_ERRORS, **UNSAFE_ERRORS, **errors(403, 404, 409)}


@router.post(
    "/applications",
    response={200: ApplicationOut, 201: ApplicationOut, **AUTH_ERRORS, **BODY_ERRORS, **UNSAFE_ERRORS, **errors(409)},
    summary="申请: 保存草稿或一次提交(幂等)",
    description=(
        "submit=false 保存草稿 (201), 之后上传材料再调用 /applications/{id}/submit。"
        "submit=true 一次提交, 必须带 `Idempotency-Key` 头: 首次 201; "
        "以同一键重试 (请求体相同) 返回 200 和首次的响应内容 (同一个办件), 不会产生第二个办件; "
        "同一键配不同请求体为 409。" + retention_note() + "一次提交不带附件, 适用于没有必交材料的事项;"
        "有必交材料的事项请用草稿 → 上传 → 提交。草稿不去重, 草稿请求中的 Idempotency-Key 被忽略。"
    ),
)
def application_create(
    request: HttpRequest, payload: ApplicationIn, idempotency_key: IdempotencyKey = None
) -> Status[ApplicationOut]:
    actor = api_actor(request)
    if payload.submit and not idempotency_key:
        raise ValidationFailed("一次提交须带 Idempotency-Key 请求头", fields={"Idempotency-Key": "必填"})
    item, region, enterprise = _body_refs(actor, payload.item_code, payload.region_code, payload.enterprise_id)
    if payload.submit:
        outcome = _form_errors(
            lambda: svc.application_submit_once(
                actor=actor,
                item=item,
                region=region,
                form_data=payload.form_data,
                enterprise=enterprise,
                idempotency_key=idempotency_key or "",
                answer=lambda app: (201, _fresh(actor, app).model_dump(mode="json")),
            ),
        )
        return Status(*http_answer(outcome, lambda app: _fresh(actor, app)))
    app = _form_errors(
        lambda: svc.application_save_draft(
            actor=actor, item=item, region=region, form_data=payload.form_data, enterprise=enterprise
        ),
    )
    return Status(201, _fresh(actor, app))


@router.get(
    "/applications",
    response={200: list[ApplicationSummaryOut], **AUTH_ERRORS, **INPUT_ERRORS},
    summary="办件列表: 工作人员为待办(按数据范围), 群众为本人办件",
)
def application_list(
    request: HttpRequest,
    status: StatusQuery = None,
    deadline_flag: DeadlineFlagQuery = None,
    item_code: ItemCodeQuery = None,
    region_code: RegionCodeQuery = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[ApplicationSummaryOut]:
    apps = selectors.visible_applications(api_actor(request))
    if status:
        apps = apps.filter(status=status)
    if deadline_flag:
        apps = apps.filter(application_workflow.card_q(deadline_flag, timezone.now()))
    if item_code:
        apps = apps.filter(item__code=item_code)
    if region_code:
        region = region_by_code(region_code)
        apps = apps.filter(region__code__startswith=region.scope_prefix) if region else apps.none()
    return [ApplicationSummaryOut(**application_summary(a)) for a in apps.order_by("-id")[offset : offset + limit]]


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **AUTH_ERRORS, **INPUT_ERRORS, **errors(404)},
    summary="办件详情: 流转记录、材料、时限、承办部门",
)
def application_detail(request: HttpRequest, application_id: ObjectId) -> ApplicationOut:
    return application_out(selectors.application_get_for_actor(api_actor(request), application_id))


@router.post(
    "/applications/{application_id}/materials",
    response={201: MaterialOut, **AUTH_ERRORS, **MULTIPART_ERRORS, **UNSAFE_ERRORS, **errors(403, 404, 409)},
    summary="上传申请材料 (multipart: material_id + file)",
    description="草稿或待补正的办件可上传; 同一材料再次上传即替换。格式按文件内容核验, 大小受事项限制。",
)
def application_material_upload(
    request: HttpRequest, application_id: ObjectId, material_id: MaterialIdForm, file: MaterialFile
) -> Status[MaterialOut]:
    actor = api_actor(request)
    app = _own(actor, application_id)
    material = selectors.item_material(app.item_id, material_id)
    if material is None:
        raise ValidationFailed("该材料不属于本事项", fields={"material_id": "无效"})
    limit = material.max_size_mb * MB
    if (file.size or 0) > limit:  # refused before the file is read into memory
        raise ValidationFailed(f"「{material.name}」不能超过 {material.max_size_mb}MB", fields={"file": "文件过大"})
    stored = application_attach_material(
        actor=actor, application=app, material=material, name=file.name or "", content=read_upload(file, limit)
    )
    return Status(
        201,
        MaterialOut(
            material_id=material.pk,
            name=material.name,
            file_name=stored.original_name,
            size=stored.size,
            sm3=stored.sm3,
            uploaded_at=stored.uploaded_at,
        ),
    )


@router.post(
    "/applications/{application_id}/submit",
    response={200: ApplicationOut, **APPLICANT_ERRORS},
    summary="提交草稿",
    description="表单须完整、必交材料须齐全; 符合秒批规则的事项即时办结。重复提交为 409, 不会产生新办件。",
)
def application_submit(request: HttpRequest, application_id: ObjectId) -> ApplicationOut:
    actor = api_actor(request)
    app = _own(actor, application_id)
    _form_errors(lambda: svc.application_submit(actor=actor, application=app))
    return _fresh(actor, app)


@router.post(
    "/applications/{application_id}/withdraw",
    response={200: ApplicationOut, **APPLICANT_ERRORS},
    summary="撤回申请(受理前)",
)
def application_withdraw(request: HttpRequest, application_id: ObjectId, payload: WithdrawIn) -> ApplicationOut:
    actor = api_actor(request)
    app = _own(actor, application_id)
    svc.application_withdraw(actor=actor, application=app, reason=payload.reason)
    return _fresh(actor, app)


@router.post(
    "/applications/{application_id}/resubmit",
    response={200: ApplicationOut, **APPLICANT_ERRORS},
    summary="补正后重新提交",
)
def application_resubmit(request: HttpRequest, application_id: ObjectId, payload: ResubmitIn) -> ApplicationOut:
    actor = api_actor(request)
    app = _own(actor, application_id)
    _form_errors(
        lambda: svc.application_resubmit(actor=actor, application=app, form_data=payload.form_data),
    )
    return _fresh(actor, app)


_STAFF_ACTIONS: dict[str, Callable[[User, Application, ApplicationTransitionIn], Application]] = {
    "accept": lambda actor, app, p: svc.application_accept(actor=actor, application=app),
    "reject": lambda actor, app, p: svc.application_reject(actor=actor, application=app, reason=p.reason),
    "request_correction": lambda actor, app, p: svc.application_request_correction(
        actor=actor, application=app, reason=p.reason
    ),
    "start_review": lambda actor, app, p: svc.application_start_review(actor=actor, application=app),
    "approve": lambda actor, app, p: svc.application_approve(actor=actor, application=app, comment=p.comment),
    "refuse": lambda actor, app, p: svc.application_refuse(actor=actor, application=app, reason=p.reason),
    "complete": lambda actor, app, p: svc.application_complete(actor=actor, application=app),
}


@router.post(
    "/applications/{application_id}/transitions",
    response={200: ApplicationOut, **AUTH_ERRORS, **BODY_ERRORS, **UNSAFE_ERRORS, **errors(403, 404, 409)},
    summary="工作人员办理: 受理、不予受理、补正、审查、准予/不予许可、办结",
    description=(
        "403: 该操作不在您的受理或审批范围内; 404: 办件不存在或不在您的数据范围内;"
        "409: 办件当前状态不允许此操作, 或已被其他工作人员同时处理。"
    ),
)
def application_transition(
    request: HttpRequest, application_id: ObjectId, payload: ApplicationTransitionIn
) -> ApplicationOut:
    actor = api_actor(request)
    app = selectors.application_get_for_actor(actor, application_id)
    if not policy.can(actor, payload.action, app):
        raise Forbidden("该办件不在您的受理或审批范围内")
    _STAFF_ACTIONS[payload.action](actor, app, payload)
    return _fresh(actor, app)


@router.post(
    "/applications/{application_id}/rating",
    response={201: RatingOut, **APPLICANT_ERRORS},
    summary="好差评: 办结后评价(1–5分, 四项指标)",
    description="任一项为1或2分(差评)时自动转承办部门整改。每个办件只能评价一次(再次评价为 409)。",
)
def application_rating(request: HttpRequest, application_id: ObjectId, payload: RatingIn) -> Status[RatingOut]:
    actor = api_actor(request)
    app = _own(actor, application_id)
    application_rate(actor=actor, application=app, **payload.model_dump())
    rated = selectors.application_get_for_actor(actor, app.pk)
    out = rating_out(rated)
    assert out is not None
    return Status(201, out)


# --- 一件事 -------------------------------------------------------------------------------------------------


_FILES_MAX = 30


def _json_object(form_data: str) -> dict[str, Any]:
    try:
        form = json.loads(form_data)
    except ValueError as exc:
        raise ValidationFailed("form_data 应为 JSON 对象", fields={"form_data": "不是有效的 JSON"}) from exc
    if not isinstance(form, dict):
        raise ValidationFailed("form_data 应为 JSON 对象", fields={"form_data": "应为 JSON 对象"})
    return form


def _bundle_files(request: HttpRequest, known: Mapping[str, BundleMaterial]) -> dict[str, tuple[str, bytes]]:
    """Each uploaded file under its material's name (`known`: the bundle's), checked against its size limit."""
    if len(request.FILES) > _FILES_MAX:
        raise ValidationFailed("上传的文件过多", fields={"files": f"最多{_FILES_MAX}个"})
    files: dict[str, tuple[str, bytes]] = {}
    for name in request.FILES:
        upload = request.FILES[name]
        assert isinstance(upload, DjangoUploadedFile)
        material = known.get(name)
        if material is None:
            raise ValidationFailed("不是本一件事所需的材料", fields={name: "不是本一件事所需的材料"})
        if (upload.size or 0) > material.max_size_mb * MB:
            raise ValidationFailed(f"「{name}」不能超过 {material.max_size_mb}MB", fields={name: "文件过大"})
        files[name] = (upload.name or "", read_upload(upload, material.max_size_mb * MB))
    return files


@router.post(
    "/bundle-applications",
    response={
        200: BundleApplicationOut,
        201: BundleApplicationOut,
        **AUTH_ERRORS,
        **MULTIPART_ERRORS,
        **UNSAFE_ERRORS,
        **errors(403, 404, 409),
    },
    summary="一件事一次提交(multipart, 幂等)",
    description=(
        "multipart/form-data: bundle_code, region_code, enterprise_id (可选), form_data (合并申请表的 JSON 字符串),"
        "以及每份材料一个文件, 文件的字段名为材料名称 (见 GET /services/bundles/{code} 的 materials)。"
        "同名材料只传一次, 各子事项共用。须带 `Idempotency-Key` 头: 首次 201, "
        "同一键重试 (请求相同) 返回 200 和首次的响应内容 (同一个申请); 同一键配不同请求为 409 (与一次提交共用幂等键)。"
        + retention_note()
    ),
    openapi_extra=bundle_submission_multipart(files_max=_FILES_MAX),
)
def bundle_application_create(
    request: HttpRequest,
    bundle_code: BundleCodeForm,
    region_code: RegionCodeForm,
    form_data: FormDataForm,
    idempotency_key: RequiredIdempotencyKey,
    enterprise_id: int = EnterpriseIdForm,
) -> Status[BundleApplicationOut]:
    actor = api_actor(request)
    try:
        bundle = selectors.bundle_get(bundle_code)
    except NotFound as exc:
        raise ValidationFailed("一件事不存在", fields={"bundle_code": "不存在"}) from exc
    region = region_by_code(region_code)
    if region is None:
        raise ValidationFailed("行政区划不存在", fields={"region_code": "行政区划不存在"})
    enterprise = None
    if enterprise_id is not None:
        enterprise = visible_enterprises(actor).filter(pk=enterprise_id).first()
        if enterprise is None:
            raise ValidationFailed("企业不存在或您不是该企业的经办人", fields={"enterprise_id": "无效"})
    form = _json_object(form_data)
    known = {m.name: m for m in selectors.bundle_materials(bundle)}
    files = _bundle_files(request, known)
    outcome = _form_errors(
        lambda: bundle_application_submit_once(
            actor=actor,
            bundle=bundle,
            region=region,
            form_data=form,
            enterprise=enterprise,
            files=files,
            idempotency_key=idempotency_key,
            answer=lambda bundle_app: (201, bundle_application_out(bundle_app).model_dump(mode="json")),
        ),
        _NOT_FORM | set(known),
    )
    return Status(*http_answer(outcome, bundle_application_out))


@router.get(
    "/bundle-applications/{bundle_application_id}",
    response={200: BundleApplicationOut, **AUTH_ERRORS, **INPUT_ERRORS, **errors(404)},
    summary="一件事办理进度",
)
def bundle_application_detail(request: HttpRequest, bundle_application_id: ObjectId) -> BundleApplicationOut:
    return bundle_application_out(selectors.bundle_application_get_for_actor(api_actor(request), bundle_application_id))


# --- statistics ---------------------------------------------------------------------------------------------


@router.get(
    "/statistics",
    response={200: StatisticsOut, **AUTH_ERRORS, **INPUT_ERRORS, **errors(403)},
    summary="政务服务统计: 网上申请比例、按时办结率、平均办理天数、满意度",
)
def statistics(request: HttpRequest, date_from: DateQuery = None, date_to: DateQuery = None) -> StatisticsOut:
    if date_from and date_to and date_from > date_to:
        raise ValidationFailed("开始日期不能晚于结束日期", fields={"date_from": "晚于结束日期"})
    figures = service_statistics(api_actor(request), date_from=date_from, date_to=date_to)
    return StatisticsOut.model_validate(dataclasses.asdict(figures))
