"""事项目录维护: the items I may maintain (search, department filter), one item at a time (new / edit: the item
form, its materials and its 秒批 rules, checked by the same validate_item_spec as the Excel import), and the
whole catalogue to and from Excel (onestop.services.catalogue_excel) with the row-by-row error report on
import (nothing is written when any row is wrong)."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from digigov.core.downloads import attachment_response
from digigov.core.errors import Conflict, DomainError, Forbidden, NotFound
from digigov.core.uploads import read_upload
from digigov.identity.current import current_user
from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.policies import access
from digigov.onestop.forms_catalogue import (
    CHANGED_LABELS,
    ItemForm,
    MaterialFormSet,
    apply_item_error,
    material_initial,
    region_groups,
    region_options,
    rule_help,
)
from digigov.onestop.forms_console import CatalogueFilterForm, CatalogueImportForm
from digigov.onestop.models import ServiceItem
from digigov.onestop.selectors import catalogue_departments, filter_by_query, maintainable_item_get, maintainable_items
from digigov.onestop.services.catalogue import item_create, item_update
from digigov.onestop.services.catalogue_excel import catalogue_export_xlsx, catalogue_import_report_xlsx
from digigov.onestop.services.catalogue_excel import catalogue_import as catalogue_import_run

REPORT_SESSION_KEY = "services_catalogue_import_report"
REPORT_MAX_BYTES = 2 * 1024 * 1024


@access(Perm.MANAGE_CATALOGUE)
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    items = maintainable_items(user)
    departments = list(
        items.order_by("department__region__code", "department__code")
        .values_list("department__code", "department__name")
        .distinct()
    )
    form = CatalogueFilterForm(request.GET or None, department_choices=departments)
    if form.is_bound and form.is_valid():
        if form.cleaned_data["q"]:
            items = filter_by_query(items, form.cleaned_data["q"])
        if form.cleaned_data["department"]:
            items = items.filter(department__code=form.cleaned_data["department"])
    page = Paginator(items.order_by("code"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "services/console/catalogue.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "import_form": CatalogueImportForm(),
        },
    )


@access(Perm.MANAGE_CATALOGUE)
@require_GET
def catalogue_export(request: HttpRequest) -> HttpResponseBase:
    content = catalogue_export_xlsx()
    return attachment_response(content, f"catalogue-{timezone.localdate():%Y%m%d}.xlsx")


@access(Perm.MANAGE_CATALOGUE)
@require_http_methods(["GET", "HEAD", "POST"])
def catalogue_import(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            workbook = read_upload(form.cleaned_data["workbook"], form.MAX_BYTES)
            report = catalogue_import_run(actor=user, workbook_bytes=workbook)
        except Forbidden as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            form.add_error("workbook", error.message)
        else:
            request.session.pop(REPORT_SESSION_KEY, None)
            if report.ok:
                messages.success(request, report.summary())
                return redirect("services:console_catalogue")
            workbook = catalogue_import_report_xlsx(report)
            if len(workbook) <= REPORT_MAX_BYTES:
                request.session[REPORT_SESSION_KEY] = base64.b64encode(workbook).decode()
    return render(
        request,
        "services/console/catalogue_import.html",
        {"form": form, "report": report, "errors": report.errors if report is not None else []},
    )


@access(Perm.MANAGE_CATALOGUE)
@require_GET
def catalogue_import_report(request: HttpRequest) -> HttpResponseBase:
    """The error workbook of my last failed import (kept in my session only)."""
    encoded = request.session.get(REPORT_SESSION_KEY)
    if not encoded:
        raise Http404("没有可下载的错误报告")
    return attachment_response(base64.b64decode(encoded), "catalogue-import-errors.xlsx")


# --- one item at a time -----------------------------------------------------------------------------------


def _item_forms(request: HttpRequest, user: User, item: ServiceItem | None) -> tuple[ItemForm, Any]:
    data = request.POST if request.method == "POST" else None
    selected = request.POST.getlist("region_codes") if data is not None else []
    if item is not None:
        selected += [r.code for r in item.regions.all()]
    form = ItemForm(data, departments=catalogue_departments(user), regions=region_options(selected), item=item)
    initial = material_initial(item) if item is not None else None
    return form, MaterialFormSet(data, initial=initial, prefix="materials")


def _render_item(request: HttpRequest, form: ItemForm, formset: Any, item: ServiceItem | None) -> HttpResponse:
    boxes = {str(box.data["value"]): box for box in form["region_codes"]}
    groups = [(boxes[parent.code], [boxes[s.code] for s in streets]) for parent, streets in region_groups(form.regions)]
    return render(
        request,
        "services/console/catalogue_item.html",
        {"form": form, "formset": formset, "item": item, "region_groups": groups, **rule_help()},
    )


def _save(request: HttpRequest, user: User, item: ServiceItem | None) -> HttpResponse:
    form, formset = _item_forms(request, user, item)
    if request.method != "POST":
        return _render_item(request, form, formset, item)
    if not (form.is_valid() & formset.is_valid()):  # both, so every shape error shows at once
        return _render_item(request, form, formset, item)
    spec = form.spec(formset.material_specs())
    try:
        if item is None:
            item = item_create(actor=user, spec=spec)
            messages.success(request, f"已新增事项「{item.name}」")
        else:
            changed = item_update(actor=user, item=item, spec=spec, version=form.cleaned_data["version"])
            if changed:
                labels = "、".join(CHANGED_LABELS.get(name, name) for name in changed)
                messages.success(request, f"已保存事项「{spec.name}」，修改了：{labels}")
            else:
                messages.warning(request, "没有修改任何内容")
    except Forbidden as error:
        raise PermissionDenied(error.message) from error
    except Conflict as error:
        form.add_error(None, error.message)
        return _render_item(request, form, formset, item)
    except DomainError as error:
        apply_item_error(form, formset, error)
        return _render_item(request, form, formset, item)
    return redirect("services:console_catalogue_item", item_id=item.pk)


@access(Perm.MANAGE_CATALOGUE)
@require_http_methods(["GET", "HEAD", "POST"])
def catalogue_item_new(request: HttpRequest) -> HttpResponse:
    return _save(request, current_user(request), None)


@access(Perm.MANAGE_CATALOGUE)
@require_http_methods(["GET", "HEAD", "POST"])
def catalogue_item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    user = current_user(request)
    try:
        item = maintainable_item_get(user, item_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return _save(request, user, item)
