"""The public reads behind Open311: the service list (level-2 and level-3 categories) and the appeals feed.

Open311's GET operations are public, like any city's 311 feed: they carry no actor, so nothing here is scoped to
one. What they may show is limited where the documents are built (resources.py): never the caller, and nothing of
the content of an appeal whose caller asked for confidentiality (保密) or of a 举报.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery

from digigov.core.errors import NotFound
from digigov.hotline.models import Appeal, AppealEvent, AppealStatus, Category, CategoryLevel, Open311Client

MAX_REQUESTS = 1000
SERVICE_LEVELS = (CategoryLevel.L2, CategoryLevel.L3)


def open311_services() -> QuerySet[Category]:
    return (
        Category.objects.filter(is_active=True, level__in=SERVICE_LEVELS)
        .select_related("parent", "parent__parent")
        .order_by("code")
    )


def open311_service_get(code: str) -> Category:
    category = open311_services().filter(code=code).first()
    if category is None:
        raise NotFound("service_code 不存在")
    return category


def _feed() -> QuerySet[Appeal]:
    last_event = AppealEvent.objects.filter(appeal=OuterRef("pk")).order_by("-id").values("at")[:1]
    return (
        Appeal.objects.select_related("channel", "category", "category__parent", "department", "master")
        .prefetch_related("attachments")
        .annotate(updated_at=Subquery(last_event))
    )


@dataclass(frozen=True)
class RequestFilter:
    """GET requests: ids override everything else; otherwise service codes (a level-2 code includes its level-3
    children), the requested_datetime window and open/closed."""

    ids: Sequence[str] = field(default_factory=tuple)
    service_codes: Sequence[str] = field(default_factory=tuple)
    start: datetime | None = None
    end: datetime | None = None
    statuses: Sequence[str] = field(default_factory=tuple)  # "open", "closed"


def open311_requests(flt: RequestFilter) -> list[Appeal]:
    appeals = _feed()
    if flt.ids:
        appeals = appeals.filter(number__in=list(flt.ids))
    else:
        if flt.service_codes:
            codes = Q(pk__in=[])
            for code in flt.service_codes:
                codes |= Q(category__code__startswith=code)
            appeals = appeals.filter(codes)
        if flt.start is not None:
            appeals = appeals.filter(created_at__gte=flt.start)
        if flt.end is not None:
            appeals = appeals.filter(created_at__lte=flt.end)
        if set(flt.statuses) == {"closed"}:
            appeals = appeals.filter(status=AppealStatus.CLOSED)
        elif set(flt.statuses) == {"open"}:
            appeals = appeals.exclude(status=AppealStatus.CLOSED)
    return list(appeals.order_by("-created_at", "-id")[:MAX_REQUESTS])


def open311_request_get(number: str) -> Appeal:
    appeal = _feed().filter(number=number).first()
    if appeal is None:
        raise NotFound("service_request_id 不存在")
    return appeal


def open311_request_by_token(token: str) -> Appeal:
    """The token given out at POST is the stored idempotency key of an Open311 submission."""
    appeal = Appeal.objects.filter(channel__code="open311", idempotency_key=token).only("id", "number").first()
    if appeal is None or not token:
        raise NotFound("token 不存在")
    return appeal


def open311_clients() -> QuerySet[Open311Client]:
    return Open311Client.objects.order_by("id")


def open311_client_get(client_id: int) -> Open311Client:
    client = Open311Client.objects.filter(pk=client_id).first()
    if client is None:
        raise NotFound(f"接入方不存在：#{client_id}")
    return client
