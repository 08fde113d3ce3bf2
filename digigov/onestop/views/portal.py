"""一网通办 citizen portal: the public catalogue (search, guides) and the citizen's own applications
(list, progress, withdrawal, rating). Applying lives in portal_apply.py.

Pages call selectors for reads and services for writes; a missing and a forbidden object are both 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from digigov.core.errors import DomainError, NotFound
from digigov.core.text_search import query_tokens, tokens
from digigov.identity.current import current_user
from digigov.identity.models import Region, RegionLevel, User
from digigov.identity.policies import Access, access
from digigov.identity.selectors import regions_inside
from digigov.onestop import policy, selectors
from digigov.onestop.forms_portal import RatingForm, WithdrawForm
from digigov.onestop.models import (
    Application,
    ApplicationStatus,
    Bundle,
    DeadlineFlag,
    OnlineLevel,
    ServiceItem,
)
from digigov.onestop.services.applications import application_withdraw
from digigov.onestop.services.bundles import bundle_application_status
from digigov.onestop.services.ratings import application_rate

QUERY_MAX = 50
RESULTS_MAX = 60
ITEMS_PER_DEPARTMENT = 4


def get_application(request: HttpRequest, pk: int) -> Application:
    try:
        return selectors.application_get_for_actor(current_user(request), pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


# --- the catalogue (public) -----------------------------------------------------------------------------


def _matching_bundles(query: str) -> list[Bundle]:
    bundles = list(selectors.active_bundles())
    if not query:
        return bundles
    wanted = set(query_tokens(query[:QUERY_MAX]))
    if not wanted:
        return bundles
    return [b for b in bundles if wanted <= set(tokens(f"{b.name} {b.description}"))]


def _grouped(items: QuerySet[ServiceItem]) -> list[dict[str, Any]]:
    groups: dict[int, dict[str, Any]] = {}
    for item in items:
        group = groups.setdefault(item.department_id, {"department": item.department, "items": [], "count": 0})
        group["count"] += 1
        if len(group["items"]) < ITEMS_PER_DEPARTMENT:
            group["items"].append(item)
    return list(groups.values())


@access(Access.PUBLIC)
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:QUERY_MAX]
    department_code = request.GET.get("dept", "").strip()[:40]
    items = selectors.active_items().order_by("department__code", "code")
    departments = selectors.departments_with_active_items()
    department = departments.filter(code=department_code).first() if department_code else None
    results: list[ServiceItem] | None = None
    if query or department is not None:
        found = selectors.filter_by_query(items, query) if query else items
        if department is not None:
            found = found.filter(department=department)
        results = list(found[:RESULTS_MAX])
    context = {
        "query": query,
        "department": department,
        "departments": departments,
        "results": results,
        "groups": _grouped(items) if results is None else [],
        "bundles": _matching_bundles(query) if department is None else [],
        "results_max": RESULTS_MAX,
    }
    return render(request, "services/portal/search.html", context)


def _regions_text(item: ServiceItem) -> list[Region]:
    return selectors.item_regions(item)


@access(Access.PUBLIC)
def item_guide(request: HttpRequest, code: str) -> HttpResponse:
    try:
        item = selectors.item_get(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    can_apply = not request.user.is_authenticated or current_user(request).kind == "citizen"
    context = {
        "item": item,
        "regions": _regions_text(item),
        "materials": list(item.materials.all()),
        "guide_paragraphs": [p.strip() for p in item.guide.splitlines() if p.strip()],
        "can_apply": can_apply,
        "bundles": selectors.item_active_bundles(item),
        "fully_online": item.online_level == OnlineLevel.FULLY_ONLINE,
        "can_edit": policy.can(request.user, policy.Action.MAINTAIN_CATALOGUE, item),
    }
    return render(request, "services/portal/guide.html", context)


# --- my applications (citizen) ------------------------------------------------------------------------------


@access(Access.CITIZEN)
def my_applications(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    mine = selectors.visible_applications(user)
    applications = list(mine.exclude(status=ApplicationStatus.DRAFT)[:100])
    drafts = list(mine.filter(status=ApplicationStatus.DRAFT, applicant=user)[:50])
    bundle_apps = list(selectors.visible_bundle_applications(user).prefetch_related("children")[:20])
    bundle_rows = [
        {"bundle_app": b, "status": bundle_application_status(c.status for c in b.children.all())} for b in bundle_apps
    ]
    context = {"applications": applications, "drafts": drafts, "bundle_rows": bundle_rows}
    return render(request, "services/portal/my_applications.html", context)


@dataclass(frozen=True)
class Step:
    label: str
    who: str
    at: Any
    comment: str
    to_status: str


def _who(app: Application, actor_id: int | None, from_status: str, to_status: str) -> str:
    if actor_id is None:
        return "系统自动审批（秒批）"
    if actor_id == app.applicant_id:
        return "申请人"
    if to_status in (ApplicationStatus.ACCEPTED, ApplicationStatus.NOT_ACCEPTED) or (
        from_status == ApplicationStatus.SUBMITTED and to_status == ApplicationStatus.CORRECTION
    ):
        return "政务服务中心综合窗口"
    return app.department.name


STEP_LABELS = {
    ApplicationStatus.SUBMITTED: "提交申请",
    ApplicationStatus.CORRECTION: "通知补正",
    ApplicationStatus.ACCEPTED: "受理",
    ApplicationStatus.NOT_ACCEPTED: "不予受理",
    ApplicationStatus.UNDER_REVIEW: "审查",
    ApplicationStatus.APPROVED: "准予许可",
    ApplicationStatus.REFUSED: "不予许可",
    ApplicationStatus.COMPLETED: "办结",
    ApplicationStatus.WITHDRAWN: "撤回申请",
}


def timeline(app: Application) -> list[Step]:
    steps = []
    for t in selectors.application_history(app).order_by("id"):
        label = STEP_LABELS.get(ApplicationStatus(t.to_status), t.get_to_status_display())
        if t.from_status == ApplicationStatus.CORRECTION and t.to_status != ApplicationStatus.WITHDRAWN:
            label = "补正后重新提交"
        steps.append(Step(label, _who(app, t.actor_id, t.from_status, t.to_status), t.at, t.comment, t.to_status))
    return steps


def holder(app: Application) -> str:
    status = app.status
    if status == ApplicationStatus.DRAFT:
        return "草稿，尚未提交"
    if status == ApplicationStatus.SUBMITTED:
        return "政务服务中心综合窗口 · 等待受理"
    if status == ApplicationStatus.CORRECTION:
        return "申请人 · 待补正材料"
    if status in (ApplicationStatus.ACCEPTED, ApplicationStatus.UNDER_REVIEW):
        return f"{app.department.name} · 审查"
    if status in (ApplicationStatus.APPROVED, ApplicationStatus.REFUSED):
        return f"{app.department.name} · 决定已作出，待办结"
    return "办理已结束"


REASON_TITLES = {
    ApplicationStatus.CORRECTION: "补正告知",
    ApplicationStatus.NOT_ACCEPTED: "不予受理理由",
    ApplicationStatus.REFUSED: "不予许可理由",
}


def can_withdraw(app: Application, user: User) -> bool:
    return (
        app.applicant_id == user.pk
        and app.accepted_on is None
        and app.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.CORRECTION)
    )


def _reason(app: Application) -> tuple[str, str] | None:
    title = REASON_TITLES.get(ApplicationStatus(app.status))
    if title is None and app.status == ApplicationStatus.COMPLETED and app.result_reason:
        title = "不予许可理由"
    if title is None or not app.result_reason:
        return None
    return title, app.result_reason


def _detail_context(request: HttpRequest, app: Application, rating_form: RatingForm | None = None) -> dict[str, Any]:
    user = current_user(request)
    rated = hasattr(app, "rating") and app.rating is not None
    can_rate = app.status == ApplicationStatus.COMPLETED and app.applicant_id == user.pk and not rated
    return {
        "app": app,
        "steps": timeline(app),
        "holder": holder(app),
        "reason": _reason(app),
        "materials": list(selectors.application_materials(app).order_by("material__position")),
        "form_rows": _form_rows(app),
        "can_withdraw": can_withdraw(app, user),
        "can_correct": app.status == ApplicationStatus.CORRECTION and app.applicant_id == user.pk,
        "can_rate": can_rate,
        "rating": app.rating if rated else None,
        "rating_form": rating_form or (RatingForm() if can_rate else None),
        "flag_class": _flag_class(app),
        "paused": app.deadline_flag == DeadlineFlag.PAUSED,
    }


def _flag_class(app: Application) -> str:
    return {DeadlineFlag.YELLOW: "due-yellow", DeadlineFlag.RED: "due-red"}.get(DeadlineFlag(app.deadline_flag), "")


def _form_rows(app: Application) -> list[tuple[str, object]]:
    labels = {f.get("name"): f.get("label") for f in app.item.form_fields if isinstance(f, dict)}
    rows: list[tuple[str, object]] = []
    for name, value in app.form_data.items():
        shown = "是" if value is True else "否" if value is False else value
        rows.append((str(labels.get(name, name)), shown))
    return rows


@access(Access.CITIZEN)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_application(request, pk)
    if app.status == ApplicationStatus.DRAFT:
        return redirect("services:portal_draft_edit", pk=app.pk)
    return render(request, "services/portal/detail.html", _detail_context(request, app))


@access(Access.CITIZEN)
@require_http_methods(["GET", "HEAD", "POST"])
def application_withdraw_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation step (a page with a form), not a script dialog."""
    app = get_application(request, pk)
    user = current_user(request)
    is_draft = app.status == ApplicationStatus.DRAFT and app.applicant_id == user.pk
    if not (can_withdraw(app, user) or is_draft):
        raise Http404
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw(actor=user, application=app, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "草稿已放弃" if is_draft else f"办件 {app.number} 已撤回")
            return redirect("services:portal_my")
    return render(request, "services/portal/withdraw.html", {"app": app, "form": form, "is_draft": is_draft})


@access(Access.CITIZEN)
@require_POST
def application_rate_submit(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_application(request, pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            application_rate(actor=current_user(request), application=app, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "感谢您的评价！")
            return redirect("services:portal_detail", pk=app.pk)
    app = get_application(request, pk)
    return render(request, "services/portal/detail.html", _detail_context(request, app, form), status=200)


# --- 一件事 progress ------------------------------------------------------------------------------------------


@access(Access.CITIZEN)
def bundle_application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        bundle_app = selectors.bundle_application_get_for_actor(current_user(request), pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    children = [row.application for row in selectors.bundle_progress(bundle_app)]
    done = sum(1 for c in children if c.status == ApplicationStatus.COMPLETED)
    context = {
        "bundle_app": bundle_app,
        "children": [(c, holder(c), _flag_class(c)) for c in children],
        "status": bundle_application_status(c.status for c in children),
        "done": done,
        "total": len(children),
        "region": children[0].region if children else None,
    }
    return render(request, "services/portal/bundle_detail.html", context)


def regions_within(allowed: list[Region]) -> list[Region]:
    """District and street regions (and the city itself) inside any of the allowed regions."""
    if not allowed:
        return []
    return list(regions_inside(allowed, (RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET)))
