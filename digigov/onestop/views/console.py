"""The staff console of 一网通办: the hub and the worklist (办件工作台).

Every view declares its policy with @access; objects are read through the scoped selectors, so an
application outside the actor's scope is a 404 exactly like a missing one. The other console pages live in
console_applications.py (detail, actions, materials), console_rectifications.py (差评整改),
console_statistics.py, console_catalogue.py and console_calendar.py.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property

from digigov.core import policy as core_policy
from digigov.core.masking import mask_name
from digigov.core.policy import CoreAction
from digigov.identity.current import current_user
from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.policies import Access, access
from digigov.identity.scope import has_perm
from digigov.identity.selectors import enterprise_region_choices, region_by_code
from digigov.onestop.forms_console import ALL, OPEN, WorklistFilterForm
from digigov.onestop.models import Application, DeadlineFlag
from digigov.onestop.models.applications import OPEN_STATUSES
from digigov.onestop.selectors import visible_applications, worklist_items
from digigov.onestop.workflow import application_workflow

PAGE_SIZE = 50
CARD_ORDER = (DeadlineFlag.RED, DeadlineFlag.YELLOW, DeadlineFlag.GREEN, DeadlineFlag.PAUSED)




def console_links(user: User) -> dict[str, bool]:
    return {
        "can_rectify": has_perm(user, Perm.ANSWER_RECTIFICATION),
        "can_view_statistics": has_perm(user, Perm.VIEW_SERVICE_STATISTICS),
        "can_manage_catalogue": has_perm(user, Perm.MANAGE_CATALOGUE),
        "can_manage_calendar": core_policy.can(user, CoreAction.MANAGE_CALENDAR),
    }


@access(Access.STAFF)
def hub(request: HttpRequest) -> HttpResponse:
    """一网通办 工作台: my open applications by status and by deadline card, and the pages I may use."""
    user = current_user(request)
    rows = (
        visible_applications(user)
        .filter(status__in=OPEN_STATUSES)
        .order_by()
        .annotate(card=application_workflow.card_case(timezone.now()))
        .values("status", "card")
        .annotate(n=Count("id"))
    )
    by_status: Counter[str] = Counter()
    by_card: Counter[str] = Counter()
    for row in rows:
        by_status[row["status"]] += row["n"]
        by_card[row["card"]] += row["n"]
    statuses = [(s.value, s.label, by_status[s.value]) for s in OPEN_STATUSES]
    cards = [(c.value, c.label, by_card[c.value]) for c in CARD_ORDER]
    return render(
        request,
        "services/console/hub.html",
        {
            "statuses": statuses,
            "cards": cards,
            "open_total": sum(by_status.values()),
            **console_links(user),
        },
    )


def _item_choices(user: User) -> list[tuple[str, str]]:
    """The active items whose applications can be in my worklist (not the whole catalogue)."""
    items = worklist_items(user).filter(is_active=True).order_by("code")
    return [(code, f"{name}（{code}）") for code, name in items.values_list("code", "name")]


def _filtered(user: User, values: dict[str, str]) -> Any:
    apps = visible_applications(user).select_related("handler")
    status = values["status"]
    if status == OPEN:
        apps = apps.filter(status__in=OPEN_STATUSES)
    elif status != ALL:
        apps = apps.filter(status=status)
    if values["card"]:
        apps = apps.filter(application_workflow.card_q(values["card"], timezone.now()))
    if values["item"]:
        apps = apps.filter(item__code=values["item"])
    if values["region"]:
        region = region_by_code(values["region"])
        if region is not None:
            apps = apps.filter(region__code__startswith=region.scope_prefix)
    return apps.order_by(F("due_date").asc(nulls_last=True), F("submitted_at").asc(nulls_last=True), "id")


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows: nobody pages past 20 pages of a worklist, and an exact count of a large
    department's history costs a full index scan on every page view."""

    COUNT_CAP = 1000

    @cached_property
    def count(self) -> int:
        return len(self.object_list[: self.COUNT_CAP].values_list("pk", flat=True))  # type: ignore[attr-defined]


def worklist_row(app: Application) -> dict[str, Any]:
    applicant = app.applicant.display_name or app.applicant.username
    return {
        "app": app,
        "applicant": mask_name(applicant),
        "enterprise": app.enterprise.name if app.enterprise_id and app.enterprise else "",
        "holder": (app.handler.display_name or app.handler.username) if app.handler else "",
    }


@access(Access.STAFF)
def worklist(request: HttpRequest) -> HttpResponse:
    """The applications in my scope, filtered by status, card, item and region, soonest due first."""
    user = current_user(request)
    form = WorklistFilterForm(
        request.GET or None, item_choices=_item_choices(user), region_choices=enterprise_region_choices()
    )
    values = form.values()
    page = CappedPaginator(_filtered(user, values), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "services/console/worklist.html",
        {
            "form": form,
            "page": page,
            "rows": [worklist_row(app) for app in page.object_list],
            "query": query.urlencode(),
            "filtered": any(values[k] for k in ("card", "item", "region")) or values["status"] != OPEN,
        },
    )
