"""The application lifecycle: drafts, submission (idempotent), 受理/补正/审查/决定/办结, withdrawal.

Every status change is a step of onestop.workflow taken through the core kernel (core.workflow.move): it says
whether the step exists from this state and whether this actor may take it, refuses the second of two
simultaneous steps, and writes the history row and the audit entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from digigov.core.audit import audit_append
from digigov.core.calendar import work_calendar
from digigov.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from digigov.core.form_schema import clean_form_data, validate_form_schema
from digigov.core.idempotency import Answer, Outcome, run_idempotent, user_client
from digigov.core.workflow import move
from digigov.identity.models import Enterprise, Region, User, UserKind
from digigov.identity.selectors import acts_for_enterprise
from digigov.onestop import policy
from digigov.onestop.models import (
    ApplicantKind,
    Application,
    ApplicationStatus,
    RequiredMaterial,
    ServiceItem,
)
from digigov.onestop.services import clock
from digigov.onestop.services.auto_approval import try_auto_approve
from digigov.onestop.workflow import application_workflow


def _required_reason(reason: str, what: str) -> str:
    reason = reason.strip()
    if len(reason) < 4:
        raise ValidationFailed(f"{what}必须写明理由（至少4个字）", fields={"reason": "请填写理由"})
    return reason[:2000]


# --- applicant side -------------------------------------------------------------------------------------


def check_applicant(actor: User, item: ServiceItem, enterprise: Enterprise | None) -> None:
    if actor.kind != UserKind.CITIZEN:
        raise Forbidden("请使用个人实名账号申请；企业事项由企业经办人办理")
    if not item.is_active:
        raise ValidationFailed("该事项已停止办理", fields={"item": "已停用"})
    if enterprise is None and item.applicant_kind == ApplicantKind.LEGAL:
        raise ValidationFailed("该事项的服务对象为法人，请选择您代办的企业", fields={"enterprise": "请选择企业"})
    if enterprise is not None:
        if item.applicant_kind == ApplicantKind.PERSON:
            raise ValidationFailed("该事项的服务对象为自然人，不能以企业名义申请", fields={"enterprise": "不适用"})
        if not acts_for_enterprise(actor, enterprise):
            raise NotFound()


def _check_region(item: ServiceItem, region: Region) -> None:
    """The application's handling region must lie within one of the item's regions."""
    if not any(allowed.contains(region) for allowed in item.regions.all()):
        raise ValidationFailed("该事项不能在所选区域办理", fields={"region": "不在办理范围内"})


def _draft_form_data(
    actor: User, item: ServiceItem, region: Region, form_data: Mapping[str, Any], enterprise: Enterprise | None
) -> dict[str, object]:
    """A draft's checks (applicant, region, the values present): its cleaned form data."""
    check_applicant(actor, item, enterprise)
    _check_region(item, region)
    return clean_form_data(validate_form_schema(item.form_fields), dict(form_data), partial=True)


def _new_draft(
    actor: User, item: ServiceItem, region: Region, enterprise: Enterprise | None, cleaned: dict[str, object]
) -> Application:
    return Application.objects.create(
        item=item, applicant=actor, enterprise=enterprise, region=region, department=item.department, form_data=cleaned
    )


def _audit_draft(actor: User, application: Application, item: ServiceItem, cleaned: Mapping[str, object]) -> None:
    audit_append(
        actor=actor,
        action="services.application_save_draft",
        object_type="application",
        object_id=application.pk,
        changes={"item": item.code, "fields": sorted(cleaned)},
    )


def application_save_draft(
    *,
    actor: User,
    item: ServiceItem,
    region: Region,
    form_data: Mapping[str, Any],
    enterprise: Enterprise | None = None,
    application: Application | None = None,
) -> Application:
    """Create or update a draft. Drafts may be incomplete; values present must still be valid."""
    cleaned = _draft_form_data(actor, item, region, form_data, enterprise)
    with transaction.atomic():
        if application is None:
            application = _new_draft(actor, item, region, enterprise, cleaned)
        else:
            if not policy.can(actor, policy.Action.ACT_AS_APPLICANT, application):
                raise NotFound()
            if application.status != ApplicationStatus.DRAFT:
                raise Conflict("只有草稿可以修改")
            Application.objects.filter(pk=application.pk).update(form_data=cleaned, region=region)
            application.form_data, application.region = cleaned, region
        _audit_draft(actor, application, item, cleaned)
    return application


def _missing_materials(app: Application) -> list[str]:
    provided = set(app.materials.values_list("material_id", flat=True))
    required = RequiredMaterial.objects.filter(item=app.item, mandatory=True)
    return [m.name for m in required if m.pk not in provided]


def _submission_form_data(item: ServiceItem, form_data: Mapping[str, Any], missing: list[str]) -> dict[str, object]:
    """A submission's checks (the whole form, every mandatory material): the cleaned form data."""
    cleaned = clean_form_data(validate_form_schema(item.form_fields), dict(form_data))
    if missing:
        raise ValidationFailed("以下材料尚未上传：" + "、".join(missing), fields={"materials": "、".join(missing)})
    return cleaned


def _submit(actor: User, application: Application, cleaned: dict[str, object]) -> Application:
    """Draft → 已申请 within the caller's transaction; then 秒批 is tried."""

    def stamp(app: Application) -> None:
        app.form_data = cleaned
        app.submitted_at = timezone.now()
        app.number = f"BX{timezone.localdate():%Y%m%d}{app.pk:08d}"

    move(application_workflow, actor=actor, obj=application, step="submit", mutate=stamp)
    try_auto_approve(application)
    return application


def application_submit(*, actor: User, application: Application) -> Application:
    """Draft → 已申请: the form must be complete and every mandatory material present; then 秒批 is tried."""
    if not policy.can(actor, policy.Action.ACT_AS_APPLICANT, application):
        raise NotFound()
    cleaned = _submission_form_data(application.item, application.form_data, _missing_materials(application))
    with transaction.atomic():
        return _submit(actor, application, cleaned)


# Single and 一件事 submissions share an applicant's keys (a key used for one is a conflict for the other).
SUBMISSION_OPERATION = "onestop.submission"
KEY_CONFLICT = "该幂等键已用于另一笔不同的申请"


def _request_body(
    item: ServiceItem, region: Region, enterprise: Enterprise | None, form_data: Mapping[str, Any]
) -> dict[str, object]:
    return {
        "item": item.pk,
        "region": region.pk,
        "enterprise": enterprise.pk if enterprise else None,
        "form": form_data,
    }


def application_submit_once(
    *,
    actor: User,
    item: ServiceItem,
    region: Region,
    form_data: Mapping[str, Any],
    enterprise: Enterprise | None = None,
    idempotency_key: str = "",
    answer: Callable[[Application], Answer] | None = None,
) -> Outcome[Application]:
    """One-shot submission (API, items without materials), create-or-replay through core.idempotency: a retried
    request with the same idempotency key returns the first application (replayed, with the answer stored by
    `answer`); the same key with a different body is a conflict.

    The checks are application_save_draft's then application_submit's, in that order, all made before the
    transaction opens; inside it only the writes remain (the key row last), the same rows and audit entries as
    a draft then submitted. The audit chain's lock, taken by the first audit_append and queued on by every
    submission in the city, is so held for the writes alone (bench/bench_services_submit.py,
    docs/performance.md)."""

    def prepare() -> Callable[[], Application]:  # every check, before the transaction opens
        draft = _draft_form_data(actor, item, region, form_data, enterprise)
        nothing_uploaded = [m.name for m in RequiredMaterial.objects.filter(item=item, mandatory=True)]
        cleaned = _submission_form_data(item, draft, nothing_uploaded)

        def create() -> Application:
            app = _new_draft(actor, item, region, enterprise, draft)
            _audit_draft(actor, app, item, draft)
            return _submit(actor, app, cleaned)

        return create

    return run_idempotent(
        client=user_client(actor.pk),
        operation=SUBMISSION_OPERATION,
        key=idempotency_key,
        request=_request_body(item, region, enterprise, form_data),
        prepare=prepare,
        load=lambda pk: Application.objects.get(pk=pk, applicant=actor, bundle_application=None),
        answer=answer,
        conflict_message=KEY_CONFLICT,
    )


def application_submit_new(
    *,
    actor: User,
    item: ServiceItem,
    region: Region,
    form_data: Mapping[str, Any],
    enterprise: Enterprise | None = None,
    idempotency_key: str = "",
) -> tuple[Application, bool]:
    """application_submit_once for callers that need no stored answer: (application, created)."""
    outcome = application_submit_once(
        actor=actor,
        item=item,
        region=region,
        form_data=form_data,
        enterprise=enterprise,
        idempotency_key=idempotency_key,
    )
    return outcome.value, not outcome.replayed


def application_withdraw(*, actor: User, application: Application, reason: str = "") -> Application:
    if not policy.can(actor, policy.Action.ACT_AS_APPLICANT, application):
        raise NotFound()
    return move(application_workflow, actor=actor, obj=application, step="withdraw", note=reason.strip())


def application_resubmit(*, actor: User, application: Application, form_data: Mapping[str, Any]) -> Application:
    """After 补正: the corrected form goes back to 受理 (or to 审查, if it had been accepted) and the clock runs on."""
    if not policy.can(actor, policy.Action.ACT_AS_APPLICANT, application):
        raise NotFound()
    cleaned = _submission_form_data(application.item, form_data, _missing_materials(application))
    action = "resubmit_for_review" if application.accepted_on else "resubmit_for_acceptance"

    def apply(app: Application) -> None:
        app.form_data = cleaned
        clock.resume_clock(app, timezone.localdate(), work_calendar())

    return move(application_workflow, actor=actor, obj=application, step=action, mutate=apply)


# --- staff side -----------------------------------------------------------------------------------------


def _staff_move(
    *, actor: User, app: Application, action: str, note: str = "", mutate: Callable[[Application], None] | None = None
) -> Application:
    """A staff step: the clerk who accepts or starts the review becomes the application's handler."""

    def apply(a: Application) -> None:
        if a.handler_id is None or action in ("accept", "start_review"):
            a.handler = actor
        if mutate is not None:
            mutate(a)

    return move(application_workflow, actor=actor, obj=app, step=action, note=note, mutate=apply)


def application_accept(*, actor: User, application: Application) -> Application:
    """受理: the promised time limit starts counting in working days."""
    return _staff_move(
        actor=actor,
        app=application,
        action="accept",
        mutate=lambda app: clock.start_clock(app, timezone.localdate(), work_calendar()),
    )


def application_reject(*, actor: User, application: Application, reason: str) -> Application:
    """不予受理, with the reason the applicant will read."""
    reason = _required_reason(reason, "不予受理")

    def record(app: Application) -> None:
        app.result_reason = reason
        app.completed_at = timezone.now()

    return _staff_move(actor=actor, app=application, action="reject", note=reason, mutate=record)


def application_request_correction(*, actor: User, application: Application, reason: str) -> Application:
    """补正: tell the applicant exactly what to correct; the clock pauses until they resubmit."""
    reason = _required_reason(reason, "补正告知")

    def record(app: Application) -> None:
        app.result_reason = reason
        clock.pause_clock(app, timezone.localdate())

    return _staff_move(actor=actor, app=application, action="request_correction", note=reason, mutate=record)


def application_start_review(*, actor: User, application: Application) -> Application:
    return _staff_move(actor=actor, app=application, action="start_review")


def application_approve(*, actor: User, application: Application, comment: str = "") -> Application:
    return _staff_move(actor=actor, app=application, action="approve", note=comment.strip())


def application_refuse(*, actor: User, application: Application, reason: str) -> Application:
    """不予许可, with the legal reason."""
    reason = _required_reason(reason, "不予许可")

    def record(app: Application) -> None:
        app.result_reason = reason

    return _staff_move(actor=actor, app=application, action="refuse", note=reason, mutate=record)


def application_complete(*, actor: User, application: Application) -> Application:
    """办结: the result is delivered; the applicant may now rate the service."""

    def record(app: Application) -> None:
        app.completed_at = timezone.now()

    return _staff_move(actor=actor, app=application, action="complete", mutate=record)
