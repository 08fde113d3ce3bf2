"""Applying online: one item (new, a draft, a 补正) or a 一件事 bundle.

The form only shapes the request; the services decide (required fields, formats, file type and size, region,
enterprise) and their Chinese errors are shown on the fields. A draft keeps the files already uploaded, so
after an error the citizen re-chooses only what was refused.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from digigov.core.errors import DomainError, NotFound, ValidationFailed
from digigov.core.form_schema import FieldSpec, validate_form_schema
from digigov.core.uploads import FILES_LOST, MB, read_upload
from digigov.identity.current import current_user
from digigov.identity.models import Enterprise, User
from digigov.identity.policies import Access, access
from digigov.identity.selectors import visible_enterprises
from digigov.onestop import selectors
from digigov.onestop.forms_portal import ApplicationForm, bind_initial
from digigov.onestop.models import ApplicantKind, Application, ApplicationStatus, ServiceItem
from digigov.onestop.services.applications import (
    application_resubmit,
    application_save_draft,
    application_submit,
)
from digigov.onestop.services.bundles import bundle_application_submit
from digigov.onestop.services.materials import application_attach_material
from digigov.onestop.views.portal import get_application, regions_within

NEW, DRAFT, CORRECTION = "new", "draft", "correction"


def _enterprises(user: User, kinds: list[str]) -> list[Enterprise]:
    if all(kind == ApplicantKind.PERSON for kind in kinds):
        return []
    return list(visible_enterprises(user).order_by("name"))


def _item_form(request: HttpRequest, item: ServiceItem, app: Application | None, mode: str) -> ApplicationForm:
    user = current_user(request)
    initial = bind_initial(app.form_data, app.region.code, app.enterprise_id) if app else {}
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    return ApplicationForm(
        *data,
        initial=initial,
        specs=validate_form_schema(item.form_fields),
        regions=regions_within(list(item.regions.all())),
        enterprises=_enterprises(user, [item.applicant_kind]),
        allow_enterprise=item.applicant_kind != ApplicantKind.PERSON,
        legal_only=item.applicant_kind == ApplicantKind.LEGAL,
        materials=list(item.materials.all()),
        fixed_subject=mode == CORRECTION,
    )


def _attach(user: User, app: Application, form: ApplicationForm) -> bool:
    """Attach each chosen file; a refused one gets its error on its own input. True when all went in."""
    ok = True
    for material, upload in form.uploads():
        try:
            application_attach_material(
                actor=user,
                application=app,
                material=material,
                name=upload.name or "",
                content=read_upload(upload, material.max_size_mb * MB),
            )
        except DomainError as error:
            form.add_domain_error(error, material=material)
            ok = False
    return ok


def _flag_missing_materials(app: Application, form: ApplicationForm) -> None:
    """The service stops at the first kind of problem; tell the citizen about missing files at the same time."""
    provided = set(app.materials.values_list("material_id", flat=True))
    for material in form.materials:
        name = form.material_field(material)
        if material.mandatory and material.pk not in provided and not form.has_error(name):
            form.add_error(name, f"请上传「{material.name}」")


def _done(request: HttpRequest, app: Application) -> HttpResponse:
    if app.status == ApplicationStatus.COMPLETED and app.auto_approved:
        messages.success(request, f"秒批成功：办件 {app.number} 已自动审批并办结")
    else:
        messages.success(request, f"申请已提交，办件编号 {app.number}。请留意办理进度。")
    return redirect("services:portal_detail", pk=app.pk)


def _post_correction(request: HttpRequest, user: User, app: Application, form: ApplicationForm) -> Any:
    """补正: the new materials and answers, then back to the department; the application again on errors."""
    if _attach(user, app, form):
        try:
            application_resubmit(actor=user, application=app, form_data=form.form_data())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"补正材料已提交，办件 {app.number} 继续办理")
            return redirect("services:portal_detail", pk=app.pk)
    return app


def _submit(request: HttpRequest, user: User, app: Application, form: ApplicationForm) -> Any:
    """Submit a saved draft: the done page, or the draft again with why not (missing materials flagged)."""
    try:
        application_submit(actor=user, application=app)
    except ValidationFailed as error:
        form.add_domain_error(error)
        _flag_missing_materials(app, form)
    except DomainError as error:
        form.add_error(None, error.message)
    else:
        return _done(request, app)
    return app


def _post(request: HttpRequest, item: ServiceItem, app: Application | None, mode: str, form: ApplicationForm) -> Any:
    """Returns a response on success, or the (possibly new) draft to re-render the form with its errors."""
    user = current_user(request)
    submitting = request.POST.get("action") != "draft"
    if mode == CORRECTION:
        assert app is not None
        return _post_correction(request, user, app, form)
    try:
        app = application_save_draft(
            actor=user,
            item=item,
            region=form.chosen_region(),
            form_data=form.form_data(),
            enterprise=form.chosen_enterprise(),
            application=app,
        )
    except NotFound:
        form.add_error("enterprise" if "enterprise" in form.fields else None, "您无权代办所选企业")
        return app
    except DomainError as error:
        form.add_domain_error(error)
        if app is None and form.uploads():
            form.add_error(None, FILES_LOST)
        return app
    attached = _attach(user, app, form)
    if attached and submitting:
        return _submit(request, user, app, form)
    if attached:
        messages.success(request, "草稿已保存，您可以随时在「我的办件」中继续填写")
        return redirect("services:portal_draft_edit", pk=app.pk)
    return app


def _apply_page(request: HttpRequest, item: ServiceItem, app: Application | None, mode: str) -> HttpResponse:
    form = _item_form(request, item, app, mode)
    if request.method == "POST" and form.is_valid():
        outcome = _post(request, item, app, mode, form)
        if isinstance(outcome, HttpResponse):
            return outcome
        app = outcome
    elif request.method == "POST" and app is None and request.FILES:
        form.add_error(None, FILES_LOST)
    uploaded = {m.material_id: m for m in app.materials.all()} if app else {}
    if mode == CORRECTION:
        action = reverse("services:portal_correct", args=[app.pk]) if app else ""
    elif app is not None:
        action = reverse("services:portal_draft_edit", args=[app.pk])
    else:
        action = reverse("services:portal_apply", args=[item.code])
    no_enterprise = (
        item.applicant_kind == ApplicantKind.LEGAL and "enterprise" not in form.fields and mode != CORRECTION
    )
    context = {
        "item": item,
        "app": app,
        "mode": mode,
        "form": form,
        "action": action,
        "materials": [(m, bound, uploaded.get(m.pk)) for m, bound in form.material_fields],
        "no_enterprise": no_enterprise,
    }
    return render(request, "services/portal/apply.html", context)


def _item(code: str) -> ServiceItem:
    try:
        return selectors.item_get(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@access(Access.CITIZEN)
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    return _apply_page(request, _item(code), None, NEW)


def _own(request: HttpRequest, pk: int, status: str) -> Application:
    app = get_application(request, pk)
    if app.applicant_id != current_user(request).pk or app.status != status:
        raise Http404
    return app


@access(Access.CITIZEN)
@require_http_methods(["GET", "HEAD", "POST"])
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    app = _own(request, pk, ApplicationStatus.DRAFT)
    return _apply_page(request, app.item, app, DRAFT)


@access(Access.CITIZEN)
@require_http_methods(["GET", "HEAD", "POST"])
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    app = _own(request, pk, ApplicationStatus.CORRECTION)
    return _apply_page(request, app.item, app, CORRECTION)


# --- 一件事 -------------------------------------------------------------------------------------------------


def _bundle_regions(items: list[ServiceItem]) -> list[Any]:
    """Regions where every item of the bundle can be handled."""
    candidates = regions_within(list(items[0].regions.all())) if items else []
    allowed = [list(item.regions.all()) for item in items]
    return [r for r in candidates if all(any(a.contains(r) for a in regions) for regions in allowed)]


@access(Access.CITIZEN)
@require_http_methods(["GET", "HEAD", "POST"])
def bundle_apply(request: HttpRequest, code: str) -> HttpResponse:
    user = current_user(request)
    try:
        bundle = selectors.bundle_get(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    items = selectors.bundle_items_in_order(bundle)
    kinds = [item.applicant_kind for item in items]
    specs: list[FieldSpec] = selectors.bundle_form_fields(bundle)
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ApplicationForm(
        *data,
        specs=specs,
        regions=_bundle_regions(items),
        enterprises=_enterprises(user, kinds),
        allow_enterprise=ApplicantKind.PERSON not in kinds,
        legal_only=ApplicantKind.LEGAL in kinds,
        materials=list(selectors.bundle_materials(bundle)),
    )
    key = request.POST.get("idempotency_key", "")[:80] or uuid.uuid4().hex
    if request.method == "POST" and form.is_valid():
        files = {m.name: (upload.name or "", read_upload(upload, m.max_size_mb * MB)) for m, upload in form.uploads()}
        try:
            bundle_app = bundle_application_submit(
                actor=user,
                bundle=bundle,
                region=form.chosen_region(),
                form_data=form.form_data(),
                enterprise=form.chosen_enterprise(),
                files=files,
                idempotency_key=key,
            )
        except NotFound:
            form.add_error(None, "您无权代办所选企业")
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"「{bundle.name}」已提交，共 {len(items)} 个事项同步办理")
            return redirect("services:portal_bundle_detail", pk=bundle_app.pk)
        key = uuid.uuid4().hex  # the corrected request is a new one
    if request.method == "POST" and request.FILES:
        form.add_error(None, FILES_LOST)
    context = {
        "bundle": bundle,
        "items": items,
        "form": form,
        "key": key,
        "materials": [(m, bound, None) for m, bound in form.material_fields],
    }
    return render(request, "services/portal/bundle_apply.html", context)
