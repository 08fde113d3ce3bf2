"""事项目录维护 entry points: the items I may maintain (search, department filter), and the whole catalogue to
and from Excel (services.services.catalogue_excel) with the row-by-row error report on import
(nothing is written when any row is wrong)."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from digigov.core.errors import DomainError, Forbidden
from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.policies import access
from digigov.identity.scope import scope_q
from digigov.services.forms_console import CatalogueFilterForm, CatalogueImportForm
from digigov.services.models import ServiceItem
from digigov.services.search import filter_by_query
from digigov.services.services.catalogue_excel import catalogue_export_xlsx, catalogue_import_report_xlsx
from digigov.services.services.catalogue_excel import catalogue_import as catalogue_import_run
from digigov.services.views.console import console_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_SESSION_KEY = "services_catalogue_import_report"
REPORT_MAX_BYTES = 2 * 1024 * 1024


def maintainable_items(user: User) -> QuerySet[ServiceItem]:
    """Items of the departments the user's MANAGE_CATALOGUE grants cover, active or not."""
    scope = scope_q(user, Perm.MANAGE_CATALOGUE, region_field="department__region", department_field="department")
    return ServiceItem.objects.filter(scope).select_related("department")


@access(Perm.MANAGE_CATALOGUE)
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    user = console_user(request)
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
def catalogue_export(request: HttpRequest) -> HttpResponse:
    content = catalogue_export_xlsx()
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="catalogue-{timezone.localdate():%Y%m%d}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@access(Perm.MANAGE_CATALOGUE)
@require_http_methods(["GET", "HEAD", "POST"])
def catalogue_import(request: HttpRequest) -> HttpResponse:
    user = console_user(request)
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = catalogue_import_run(actor=user, workbook_bytes=form.cleaned_data["workbook"].read())
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
def catalogue_import_report(request: HttpRequest) -> HttpResponse:
    """The error workbook of my last failed import (kept in my session only)."""
    encoded = request.session.get(REPORT_SESSION_KEY)
    if not encoded:
        raise Http404("没有可下载的错误报告")
    response = HttpResponse(base64.b64decode(encoded), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="catalogue-import-errors.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
