"""热点问题 and 满意度: for a time window, the clusters of related appeals ranked by size, growth and public
support, each with representative texts and places (digigov.hotline.analytics), and the callback results
rolled up by department, category and month (selectors.satisfaction_rollup)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from digigov.hotline.analytics.queries import hot_issues_for
from digigov.hotline.forms import HotWindowForm
from digigov.hotline.selectors import SatisfactionRow, satisfaction_rollup, visible_appeals
from digigov.hotline.views.common import hotline_links
from digigov.identity.current import current_user
from digigov.identity.permissions import Perm
from digigov.identity.policies import access

ROLLUPS = (("department", "按承办部门"), ("category", "按一级分类"), ("month", "按月份"))


def _rate(row: SatisfactionRow) -> dict[str, Any]:
    rate = row.satisfaction_rate
    return {"row": row, "percent": None if rate is None else round(rate * 100, 1)}


@access(Perm.HOTLINE_VIEW_STATISTICS)
@require_GET
def hot_board(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = HotWindowForm(request.GET or None)
    first, last, label = form.span(timezone.localdate())
    if not form.is_bound:  # the custom dates start from the window shown
        form = HotWindowForm(initial={"window": "30", "start": first, "end": last})
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    issues = hot_issues_for(user, window_start=start, window_end=end)
    rows: list[dict[str, Any]] = []
    if issues:
        ids = {r.id for issue in issues for r in issue.representatives}
        numbers = dict(visible_appeals(user).filter(pk__in=ids).values_list("pk", "number"))
        for rank, issue in enumerate(issues, start=1):
            growth = None if issue.growth is None else round(issue.growth * 100)
            rows.append({"rank": rank, "issue": issue, "growth": growth, "numbers": numbers})
    rollups = [
        {"by": by, "title": title, "rows": [_rate(r) for r in satisfaction_rollup(user, by=by, since=start, until=end)]}
        for by, title in ROLLUPS
    ]
    return render(
        request,
        "hotline/console/hot_board.html",
        {
            "form": form,
            "window_label": label,
            "first": first,
            "last": last,
            "issues": rows,
            "analytics_ready": issues is not None,
            "rollups": rollups,
            "links": hotline_links(user),
        },
    )
