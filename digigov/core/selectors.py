"""Reads of the kernel's own tables. Callers authorise first (only auditors may read the audit trail)."""

from __future__ import annotations

from django.db.models import QuerySet

from digigov.core.models import AuditEntry, CalendarDay, CalendarYear


def audit_entries(*, action_prefix: str = "", actor_name: str = "", limit: int = 200) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.order_by("-id")
    if action_prefix:
        entries = entries.filter(action__startswith=action_prefix)
    if actor_name:
        entries = entries.filter(actor_name=actor_name)
    return entries[: max(1, min(limit, 1000))]


def calendar_exceptions(year: int) -> list[CalendarDay]:
    """The stored exceptions of one year (holidays on weekdays, make-up working days on weekends)."""
    return list(CalendarDay.objects.filter(date__year=year).order_by("date"))


def calendar_year(year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).first()


def calendar_loaded_years() -> list[int]:
    return list(CalendarYear.objects.order_by("year").values_list("year", flat=True))
