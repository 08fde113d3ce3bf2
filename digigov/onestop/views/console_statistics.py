"""政务服务统计 for leaders: the numbers of services.statistics.service_statistics in cards and tables.

The selector computes everything from live data within the actor's scope; this page only lays it out. It
reads the dataclass generically (numbers become cards, lists become tables), so a figure added to
ServiceStatistics appears here without a template change; LABELS gives the Chinese names.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from digigov.identity.current import current_user
from digigov.identity.permissions import Perm
from digigov.identity.policies import access
from digigov.onestop.forms_console import StatisticsFilterForm
from digigov.onestop.statistics import service_statistics

LABELS: dict[str, str] = {
    "total_submitted": "申请件数",
    "online_submitted": "网上申请件数",
    "online_ratio": "网上申请比例",
    "completed": "办结件数",
    "on_time_rate": "按时办结率",
    "average_handling_days": "平均办理时长（工作日）",
    "satisfaction_by_department": "各部门满意度",
    "satisfaction_by_item": "各事项满意度",
    "on_time_by_department": "各部门按时办结率",
    "count": "评价数",
    "efficiency": "办事效率",
    "guide_accuracy": "办事指南精确度",
    "convenience": "办事便捷度",
    "usability": "平台操作性",
    "overall": "总体评价",
    "bad_count": "差评数",
    "department_name": "部门",
    "completed_with_due_date": "有期限的办结件",
    "on_time": "按时办结",
    "rate": "按时办结率",
}
SKIPPED_COLUMNS = frozenset({"key", "department_code"})  # codes: the names say it for people
PERCENT_HINTS = ("ratio", "rate")


def _label(name: str, table: str = "") -> str:
    if name == "label":
        return "部门" if "department" in table else "事项" if "item" in table else "名称"
    return LABELS.get(name, name)


def _fields(obj: Any) -> list[tuple[str, Any]]:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return [(f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj)]
    if isinstance(obj, dict):
        return list(obj.items())
    if hasattr(obj, "_asdict"):
        return list(obj._asdict().items())
    return [("value", obj)]


def _format(name: str, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float | Decimal) and any(h in name for h in PERCENT_HINTS) and 0 <= value <= 1:
        return f"{float(value) * 100:.1f}%"
    if isinstance(value, float | Decimal):
        return f"{float(value):.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def layout(stats: Any) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """(cards, tables) for a statistics object: scalars become cards, lists of records become tables."""
    cards: list[dict[str, str]] = []
    tables: list[dict[str, Any]] = []
    for name, value in _fields(stats):
        if isinstance(value, list | tuple):
            records = [[(n, v) for n, v in _fields(row) if n not in SKIPPED_COLUMNS] for row in value]
            columns = [n for n, _ in records[0]] if records else []
            tables.append(
                {
                    "title": _label(name),
                    "headers": [_label(c, name) for c in columns],
                    "rows": [[(_label(n, name), _format(n, v)) for n, v in record] for record in records],
                }
            )
        elif isinstance(value, dict):
            tables.append(
                {
                    "title": _label(name),
                    "headers": ["项目", "数值"],
                    "rows": [[("项目", _label(str(k))), ("数值", _format(str(k), v))] for k, v in value.items()],
                }
            )
        elif name not in ("date_from", "date_to"):
            cards.append({"label": _label(name), "value": _format(name, value)})
    return cards, tables


@access(Perm.VIEW_SERVICE_STATISTICS)
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    form = StatisticsFilterForm(request.GET or None)
    date_from = date_to = None
    if form.is_bound and form.is_valid():
        date_from, date_to = form.cleaned_data.get("date_from"), form.cleaned_data.get("date_to")
    stats = service_statistics(current_user(request), date_from=date_from, date_to=date_to)
    cards, tables = layout(stats)
    return render(
        request,
        "services/console/statistics.html",
        {"form": form, "cards": cards, "tables": tables, "date_from": date_from, "date_to": date_to},
    )
