"""Statistics of 一网通办 for the cockpit, computed by queries over the live data (nothing stored by hand).

Scope: the actor needs Perm.VIEW_SERVICE_STATISTICS, and the numbers cover only applications within the
actor's grants for it (region subtree, and department where the grant names one): 市长 sees the city, a
department head their department.

Period: date_from / date_to (inclusive, local dates) select applications by the day they were SUBMITTED;
every figure is about that cohort (its completions, deadlines and ratings), so the figures agree with
each other. Drafts are never counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncDate

from digigov.core.errors import Forbidden
from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.scope import scope_q
from digigov.onestop import policy
from digigov.onestop.models import Application, ApplicationStatus, Rating
from digigov.onestop.selectors import RatingRollup, ratings_rollup

ONLINE_CHANNELS = ("web", "mobile", "api")


@dataclass(frozen=True)
class OnTimeRate:
    """On-time completion of one department: completed applications with a due date, and how many in time."""

    department_code: str
    department_name: str
    completed_with_due_date: int
    on_time: int
    rate: float | None


@dataclass(frozen=True)
class ServiceStatistics:
    """Ratios are 0..1, None when there is nothing to divide by."""

    date_from: date | None
    date_to: date | None
    total_submitted: int  # every non-draft application (网上 and 窗口)
    online_submitted: int
    online_ratio: float | None  # 网上申请比例: channel web/mobile/api over all non-draft
    completed: int  # 办结
    on_time_rate: float | None  # completed on or before the due date, over completed with a due date
    average_handling_days: float | None  # mean working days from 受理 to 办结
    satisfaction_by_department: list[RatingRollup]  # .overall is the mean overall rating, .count the ratings
    satisfaction_by_item: list[RatingRollup]
    on_time_by_department: list[OnTimeRate]


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _scoped_applications(actor: User, date_from: date | None, date_to: date | None) -> QuerySet[Application]:
    apps = Application.objects.exclude(status=ApplicationStatus.DRAFT).filter(
        scope_q(actor, Perm.VIEW_SERVICE_STATISTICS, region_field="region", department_field="department")
    )
    if date_from is not None:
        apps = apps.filter(submitted_at__date__gte=date_from)
    if date_to is not None:
        apps = apps.filter(submitted_at__date__lte=date_to)
    return apps.order_by()


def _average_handling_days(completed: QuerySet[Application]) -> float | None:
    """Mean working days from 受理 to 办结, averaged by the database over the count stored at 办结
    (Application.handling_working_days; NULL — not accepted, or a year without a published calendar — is
    left out)."""
    mean = completed.aggregate(mean=Avg("handling_working_days"))["mean"]
    return float(mean) if mean is not None else None


def service_statistics(actor: User, *, date_from: date | None = None, date_to: date | None = None) -> ServiceStatistics:
    if not policy.can(actor, policy.Action.VIEW_STATISTICS):
        raise Forbidden("您无权查看政务服务统计")
    apps = _scoped_applications(actor, date_from, date_to)
    totals = apps.aggregate(
        total=Count("id"),
        online=Count("id", filter=Q(channel__in=ONLINE_CHANNELS)),
        completed=Count("id", filter=Q(status=ApplicationStatus.COMPLETED)),
    )
    completed = apps.filter(status=ApplicationStatus.COMPLETED)
    timed = completed.filter(due_date__isnull=False, completed_at__isnull=False).annotate(
        completed_on=TruncDate("completed_at")
    )
    in_time = Q(completed_on__lte=F("due_date"))
    on_time = timed.aggregate(n=Count("id"), ok=Count("id", filter=in_time))
    per_department = (
        timed.values("department__code", "department__name")
        .annotate(n=Count("id"), ok=Count("id", filter=in_time))
        .order_by("department__code")
    )
    ratings = Rating.objects.filter(application__in=apps.values("pk"))
    return ServiceStatistics(
        date_from=date_from,
        date_to=date_to,
        total_submitted=totals["total"],
        online_submitted=totals["online"],
        online_ratio=_ratio(totals["online"], totals["total"]),
        completed=totals["completed"],
        on_time_rate=_ratio(on_time["ok"], on_time["n"]),
        average_handling_days=_average_handling_days(completed),
        satisfaction_by_department=ratings_rollup(
            ratings, key="application__department__code", label="application__department__name"
        ),
        satisfaction_by_item=ratings_rollup(ratings, key="application__item__code", label="application__item__name"),
        on_time_by_department=[
            OnTimeRate(
                department_code=row["department__code"],
                department_name=row["department__name"],
                completed_with_due_date=row["n"],
                on_time=row["ok"],
                rate=_ratio(row["ok"], row["n"]),
            )
            for row in per_department
        ],
    )
