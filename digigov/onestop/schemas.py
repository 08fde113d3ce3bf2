"""API schemas of the 一网通办 domain, and how each answer is built from the models (the *_out functions).

Personal data leaves only masked; the stored path of an uploaded file never leaves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema, UploadedFile
from ninja.params.functions import File, Form, Header, Path, Query

from digigov.core.errors import ValidationFailed
from digigov.core.form_schema import FieldSpec, validate_form_schema
from digigov.core.masking import mask_id_number, mask_mobile, mask_name
from digigov.identity.models import User, UserKind
from digigov.identity.schemas import ID_MAX, InSchema, IsoDate
from digigov.onestop.models import (
    Application,
    ApplicationStatus,
    Bundle,
    BundleApplication,
    DeadlineFlag,
    ItemType,
    Rating,
    RequiredMaterial,
    ServiceItem,
)
from digigov.onestop.services.bundles import BundleMaterial
from digigov.onestop.workflow import application_workflow

ITEM_CODE_RE = r"^[0-9A-Za-z][0-9A-Za-z_-]{0,39}$"
REGION_CODE_RE = r"^\d{12}$"
IDEMPOTENCY_KEY_RE = r"^[A-Za-z0-9_-]{1,80}$"
FORM_FIELDS_MAX = 200

BUNDLE_CODE_RE = r"^[a-z0-9][a-z0-9-]{0,39}$"

ItemCode = Annotated[str, Path(pattern=ITEM_CODE_RE, description="事项编码")]
BundleCode = Annotated[str, Path(pattern=BUNDLE_CODE_RE, description="一件事编码")]
# The parts of a multipart 一件事 submission other than its files.
BundleCodeForm = Annotated[str, Form(pattern=BUNDLE_CODE_RE, description="一件事编码")]
RegionCodeForm = Annotated[str, Form(pattern=REGION_CODE_RE, description="办理地区, 12位行政区划代码")]
FormDataForm = Annotated[str, Form(max_length=200_000, description="合并后的申请表: JSON 对象, 字段名 -> 值")]
MaterialIdForm = Annotated[int, Form(ge=1, le=ID_MAX, description="材料编号 (见办事指南的 materials[].id)")]


class NonEmptyFile(UploadedFile):
    """Django leaves an empty file out of request.FILES, so an empty part is a missing one: the document says
    the file is not empty."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        return {"type": "string", "format": "binary", "minLength": 1}


MaterialFile = Annotated[NonEmptyFile, File(description="材料文件(不能为空)")]
# Optional and never null (a multipart part cannot be null): an integer, or left out.
EnterpriseIdForm: Any = Form(None, ge=1, le=ID_MAX, description="以企业名义申请时: 您代办的企业")


def bundle_submission_multipart(*, files_max: int) -> dict[str, Any]:
    """The 一件事 submission as multipart/form-data, for the operation's openapi_extra: ninja documents its form
    fields (as urlencoded, which stays accepted without files), not the files, whose part names are the bundle's
    material names. The fields are the same four (a test holds the two descriptions together)."""
    return {
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "bundle_code": {"type": "string", "pattern": BUNDLE_CODE_RE, "description": "一件事编码"},
                            "region_code": {"type": "string", "pattern": REGION_CODE_RE, "description": "办理地区"},
                            "form_data": {"type": "string", "maxLength": 200_000, "description": "申请表 JSON 对象"},
                            "enterprise_id": {"type": "integer", "minimum": 1, "maximum": ID_MAX},
                        },
                        "required": ["bundle_code", "region_code", "form_data"],
                        "additionalProperties": {
                            "type": "string",
                            "format": "binary",
                            "minLength": 1,
                            "description": "一份材料: 字段名为材料名称",
                        },
                        "maxProperties": 4 + files_max,
                    }
                }
            }
        }
    }


ItemCodeQuery = Annotated[str | None, Query(pattern=ITEM_CODE_RE, description="事项编码")]
DepartmentQuery = Annotated[str | None, Query(pattern=r"^[a-z0-9_]{1,40}$", description="部门编码")]
SearchQuery = Annotated[str | None, Query(max_length=100, description="关键词(中文分词匹配, 非子串)")]
ItemTypeQuery = Annotated[ItemType | None, Query(description="事项类型")]
StatusQuery = Annotated[ApplicationStatus | None, Query(description="办件状态")]
DeadlineFlagQuery = Annotated[DeadlineFlag | None, Query(description="时限预警: green正常 yellow将到期 red超期")]
DateQuery = Annotated[IsoDate | None, Query(description="YYYY-MM-DD")]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        pattern=IDEMPOTENCY_KEY_RE,
        description="幂等键 (1–80 位字母、数字、_ 或 -): submit=true 时必填; 同一键重试返回第一次的结果",
    ),
]
RequiredIdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        pattern=IDEMPOTENCY_KEY_RE,
        description="幂等键 (1–80 位字母、数字、_ 或 -), 必填: 同一键重试返回第一次的结果",
    ),
]


# --- catalogue --------------------------------------------------------------------------------------------


class FormFieldOut(Schema):
    """One field of an application form, as core.form_schema defines it."""

    name: str
    label: str
    type: str
    required: bool
    options: list[str] = []
    max_length: int | None = None
    min: float | None = None
    max: float | None = None
    help: str = ""


class MaterialSpecOut(Schema):
    id: int | None = Field(None, description="上传时使用的 material_id (一件事的合并材料没有)")
    name: str
    mandatory: bool
    file_types: list[str]
    max_size_mb: int
    license_type: str = Field("", description="可由该类电子证照替代")


class RegionRefOut(Schema):
    code: str
    name: str


class ItemSummaryOut(Schema):
    code: str
    name: str
    department_code: str
    department_name: str
    item_type: str
    item_type_label: str
    online_level: str
    online_level_label: str
    applicant_kind: str
    handling_scope: str
    statutory_days: int
    promised_days: int
    fee: str


class ItemOut(ItemSummaryOut):
    legal_basis: str
    guide: str
    fee_note: str
    regions: list[RegionRefOut]
    form_fields: list[FormFieldOut]
    materials: list[MaterialSpecOut]
    auto_approval: bool = Field(..., description="是否可秒批(条件全部满足时系统即时办结)")


class BundleItemOut(Schema):
    code: str
    name: str
    department_name: str


class BundleSummaryOut(Schema):
    code: str
    name: str
    description: str
    items: list[BundleItemOut]


class BundleOut(BundleSummaryOut):
    form_fields: list[FormFieldOut] = Field(..., description="合并后的申请表: 共用字段只填一次")
    materials: list[MaterialSpecOut] = Field(..., description="合并后的材料: 同名只传一次, 以材料名称为上传字段名")


# --- applications -----------------------------------------------------------------------------------------


class ApplicationIn(InSchema):
    item_code: str = Field(..., pattern=ITEM_CODE_RE)
    region_code: str = Field(..., pattern=REGION_CODE_RE, description="办理地区(须在事项的办理范围内)")
    enterprise_id: int | None = Field(None, ge=1, le=2**63 - 1, description="以企业名义申请时: 您代办的企业")
    form_data: dict[str, Any] = Field(
        default_factory=dict, max_length=FORM_FIELDS_MAX, description="申请表: 字段名 -> 值"
    )
    submit: bool = Field(False, description="true: 一次提交(需 Idempotency-Key); false: 保存草稿")


class ResubmitIn(InSchema):
    form_data: dict[str, Any] = Field(..., max_length=FORM_FIELDS_MAX, description="补正后的完整申请表")


class WithdrawIn(InSchema):
    reason: str = Field("", max_length=500)


StaffAction = Literal["accept", "reject", "request_correction", "start_review", "approve", "refuse", "complete"]


class ApplicationTransitionIn(InSchema):
    action: StaffAction
    reason: str = Field("", max_length=2000, description="reject / request_correction / refuse 必填(至少4个字)")
    comment: str = Field("", max_length=2000, description="approve 的审批意见")


class RatingIn(InSchema):
    efficiency: int = Field(..., ge=1, le=5, description="办事效率 1–5")
    guide_accuracy: int = Field(..., ge=1, le=5, description="办事指南精确度 1–5")
    convenience: int = Field(..., ge=1, le=5, description="办事便捷度 1–5")
    usability: int = Field(..., ge=1, le=5, description="平台操作性 1–5")
    comment: str = Field("", max_length=500)


class ApplicationSummaryOut(Schema):
    id: int
    number: str | None
    item_code: str
    item_name: str
    status: str
    status_label: str
    deadline_flag: str
    region_code: str
    region_name: str
    department_name: str
    applicant_name_masked: str
    created_at: datetime
    submitted_at: datetime | None
    due_date: date | None


class HistoryOut(Schema):
    from_status: str
    from_label: str
    to_status: str
    to_label: str
    actor: str = Field(..., description="办理人姓名; 系统自动办理(秒批)时为「系统」")
    at: datetime
    comment: str


class MaterialOut(Schema):
    material_id: int
    name: str = Field(..., description="材料名称")
    file_name: str
    size: int
    sm3: str
    uploaded_at: datetime


class ApplicantOut(Schema):
    name_masked: str
    id_number_masked: str | None = None
    mobile_masked: str | None = None


class RatingOut(Schema):
    application_id: int
    efficiency: int
    guide_accuracy: int
    convenience: int
    usability: int
    overall: int
    comment: str
    created_at: datetime
    rectification_opened: bool = Field(..., description="差评(1或2分)已转部门整改")


class ApplicationOut(ApplicationSummaryOut):
    applicant: ApplicantOut
    enterprise_name: str | None
    form_data: dict[str, Any] = Field(..., description="证件号码、手机号等个人信息已脱敏")
    accepted_on: date | None
    completed_at: datetime | None
    paused_working_days: int
    result_reason: str
    holder: str | None = Field(..., description="当前由谁办理: 申请人、受理窗口或承办部门; 已结束时为空")
    handler_name: str | None
    auto_approved: bool
    auto_approval_evidence: dict[str, Any]
    materials: list[MaterialOut]
    history: list[HistoryOut]
    rating: RatingOut | None
    bundle_application_id: int | None


class BundleApplicationOut(Schema):
    id: int
    number: str
    bundle_code: str
    bundle_name: str
    created_at: datetime
    completed_at: datetime | None
    children: list[ApplicationSummaryOut]


# --- statistics -------------------------------------------------------------------------------------------


class RatingRollupOut(Schema):
    """Ratings of one item or department: how many, the mean of each indicator, how many 差评."""

    key: str
    label: str
    count: int
    efficiency: float
    guide_accuracy: float
    convenience: float
    usability: float
    overall: float
    bad_count: int


class OnTimeRateOut(Schema):
    department_code: str
    department_name: str
    completed_with_due_date: int
    on_time: int
    rate: float | None


class StatisticsOut(Schema):
    """Computed over the live data for the applications submitted in the period, within the actor's scope."""

    date_from: date | None
    date_to: date | None
    total_submitted: int
    online_submitted: int
    online_ratio: float | None = Field(..., description="网上申请比例")
    completed: int
    on_time_rate: float | None = Field(..., description="按时办结率")
    average_handling_days: float | None = Field(..., description="平均办理工作日(受理至办结)")
    satisfaction_by_department: list[RatingRollupOut]
    satisfaction_by_item: list[RatingRollupOut]
    on_time_by_department: list[OnTimeRateOut]


# --- building the answers from the models -----------------------------------------------------------------


def fields_out(specs: list[FieldSpec]) -> list[FormFieldOut]:
    return [FormFieldOut(**spec.to_dict()) for spec in specs]  # type: ignore[arg-type]


def item_summary(item: ServiceItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "department_code": item.department.code,
        "department_name": item.department.name,
        "item_type": item.item_type,
        "item_type_label": item.get_item_type_display(),
        "online_level": item.online_level,
        "online_level_label": item.get_online_level_display(),
        "applicant_kind": item.applicant_kind,
        "handling_scope": item.handling_scope,
        "statutory_days": item.statutory_days,
        "promised_days": item.promised_days,
        "fee": f"{item.fee:.2f}",
    }


def material_spec_out(material: RequiredMaterial) -> MaterialSpecOut:
    return MaterialSpecOut(
        id=material.pk,
        name=material.name,
        mandatory=material.mandatory,
        file_types=list(material.file_types),
        max_size_mb=material.max_size_mb,
        license_type=material.license_type,
    )


def item_out(item: ServiceItem) -> ItemOut:
    return ItemOut(
        **item_summary(item),
        legal_basis=item.legal_basis,
        guide=item.guide,
        fee_note=item.fee_note,
        regions=[RegionRefOut(code=r.code, name=r.name) for r in item.regions.order_by("code")],
        form_fields=fields_out(validate_form_schema(item.form_fields)),
        materials=[material_spec_out(m) for m in item.materials.all()],
        auto_approval=bool(item.auto_approval_rules),
    )


def bundle_summary(bundle: Bundle) -> dict[str, Any]:
    items = [bi.item for bi in bundle.bundle_items.all()]
    return {
        "code": bundle.code,
        "name": bundle.name,
        "description": bundle.description,
        "items": [BundleItemOut(code=i.code, name=i.name, department_name=i.department.name) for i in items],
    }


def bundle_out(bundle: Bundle, fields: list[FieldSpec], materials: list[BundleMaterial]) -> BundleOut:
    return BundleOut(
        **bundle_summary(bundle),
        form_fields=fields_out(fields),
        materials=[
            MaterialSpecOut(
                id=None,
                name=m.name,
                mandatory=m.mandatory,
                file_types=list(m.file_types),
                max_size_mb=m.max_size_mb,
                license_type="",
            )
            for m in materials
        ],
    )


def application_summary(app: Application) -> dict[str, Any]:
    return {
        "id": app.pk,
        "number": app.number,
        "item_code": app.item.code,
        "item_name": app.item.name,
        "status": app.status,
        "status_label": application_workflow.state_label(app.status),
        "deadline_flag": app.deadline_flag,
        "region_code": app.region.code,
        "region_name": app.region.name,
        "department_name": app.department.name,
        "applicant_name_masked": mask_name(app.applicant.display_name),
        "created_at": app.created_at,
        "submitted_at": app.submitted_at,
        "due_date": app.due_date,
    }


_MASKERS: dict[str, Callable[[str], str]] = {"id_number": mask_id_number, "mobile": mask_mobile}


def masked_form(app: Application) -> dict[str, Any]:
    """The form as filled, with 身份证号 and 手机号 fields masked (detail pages never need them in full)."""
    try:
        types = {spec.name: spec.type for spec in validate_form_schema(app.item.form_fields)}
    except ValidationFailed:
        types = {}
    masked: dict[str, Any] = {}
    for name, value in app.form_data.items():
        masker = _MASKERS.get(types.get(name, ""))
        masked[name] = masker(value) if masker and isinstance(value, str) else value
    return masked


def holder(app: Application) -> str | None:
    """Who holds the file now (GovStack: the applicant always sees who has it)."""
    if app.status in (ApplicationStatus.DRAFT, ApplicationStatus.CORRECTION):
        return "申请人"
    if app.status == ApplicationStatus.SUBMITTED:
        return "政务服务受理窗口"
    if app.status in (
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.APPROVED,
        ApplicationStatus.REFUSED,
    ):
        return app.department.name
    return None  # 办结, 不予受理, 撤回: nobody holds it any more


def rating_out(app: Application) -> RatingOut | None:
    try:
        rating = app.rating
    except Rating.DoesNotExist:
        return None
    return RatingOut(
        application_id=app.pk,
        efficiency=rating.efficiency,
        guide_accuracy=rating.guide_accuracy,
        convenience=rating.convenience,
        usability=rating.usability,
        overall=rating.overall,
        comment=rating.comment,
        created_at=rating.created_at,
        rectification_opened=hasattr(rating, "rectification"),
    )


def applicant_out(user: User) -> ApplicantOut:
    out = ApplicantOut(name_masked=mask_name(user.display_name))
    citizen = getattr(user, "citizen", None) if user.kind == UserKind.CITIZEN else None
    if citizen is not None:
        out.id_number_masked = citizen.id_number_masked
        out.mobile_masked = citizen.mobile_masked
    return out


def application_out(app: Application) -> ApplicationOut:
    history = [
        HistoryOut(
            from_status=t.from_status,
            from_label=application_workflow.state_label(t.from_status),
            to_status=t.to_status,
            to_label=application_workflow.state_label(t.to_status),
            actor=t.actor.display_name if t.actor else "系统",
            at=t.at,
            comment=t.comment,
        )
        for t in app.transitions.select_related("actor").order_by("id")
    ]
    materials = [
        MaterialOut(
            material_id=m.material_id,
            name=m.material.name,
            file_name=m.original_name,
            size=m.size,
            sm3=m.sm3,
            uploaded_at=m.uploaded_at,
        )
        for m in app.materials.select_related("material").order_by("material__position", "id")
    ]
    return ApplicationOut(
        **application_summary(app),
        applicant=applicant_out(app.applicant),
        enterprise_name=app.enterprise.name if app.enterprise else None,
        form_data=masked_form(app),
        accepted_on=app.accepted_on,
        completed_at=app.completed_at,
        paused_working_days=app.paused_working_days,
        result_reason=app.result_reason,
        holder=holder(app),
        handler_name=app.handler.display_name if app.handler else None,
        auto_approved=app.auto_approved,
        auto_approval_evidence=app.auto_approval_evidence or {},
        materials=materials,
        history=history,
        rating=rating_out(app),
        bundle_application_id=app.bundle_application_id,
    )


def bundle_application_out(bundle_app: BundleApplication) -> BundleApplicationOut:
    children = bundle_app.children.select_related("item", "region", "department", "applicant").order_by("id")
    return BundleApplicationOut(
        id=bundle_app.pk,
        number=bundle_app.number,
        bundle_code=bundle_app.bundle.code,
        bundle_name=bundle_app.bundle.name,
        created_at=bundle_app.created_at,
        completed_at=bundle_app.completed_at,
        children=[ApplicationSummaryOut(**application_summary(c)) for c in children],
    )
