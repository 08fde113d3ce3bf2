"""承办工单: the appeals dispatched to my department (热线联络员) or my street (街道), to sign, handle and reply,
filtered by status, card and category; the yellow and red cards in colour and in words."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from digigov.hotline.forms import WorklistFilterForm
from digigov.hotline.models import AppealCard, AppealStatus
from digigov.hotline.selectors import WorklistFilter, handler_worklist, level1_categories
from digigov.hotline.views.common import PAGE_SIZE, hotline_links
from digigov.identity.current import current_user, staff_profile
from digigov.identity.models import RegionLevel, User
from digigov.identity.permissions import Perm
from digigov.identity.policies import access


def worklist_owner(user: User) -> str:
    """Whose worklist this is, in words: the street for a street clerk, else the department."""
    staff = staff_profile(user)
    if staff is None:
        return ""
    if staff.region.level in (RegionLevel.STREET, RegionLevel.COMMUNITY):
        return str(staff.region.name)
    return str(staff.department.short_name or staff.department.name)


@access(Perm.HOTLINE_HANDLE)
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = WorklistFilterForm(
        request.GET or None, category_choices=[(c.name, c.name) for c in level1_categories().order_by("code")]
    )
    values = form.values()
    appeals = handler_worklist(user, WorklistFilter(**values))
    page = Paginator(appeals, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = {
        card: handler_worklist(user, WorklistFilter(card=card)).count() for card in (AppealCard.RED, AppealCard.YELLOW)
    }
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "hotline/console/worklist.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(values.values()),
            "owner": worklist_owner(user),
            "red": counts[AppealCard.RED],
            "yellow": counts[AppealCard.YELLOW],
            "to_sign": AppealStatus.DISPATCHED,
            "links": hotline_links(user),
        },
    )
