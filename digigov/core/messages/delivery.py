"""Delivering the outbox: claim a batch for a lease, send each with its delivery key, mark it. Run by the worker.

A worker that dies after sending and before marking leaves its rows `sending` with a lapsed lease; the next
run claims them again and the gateway receives the same key twice (it keeps one). Nothing is lost: a row leaves
the outbox only when marked delivered (or failed after OUTBOX_MAX_ATTEMPTS, or skipped for want of an address).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone

from digigov.core.messages.channels import CHANNELS
from digigov.core.models import DeliveryStatus, OutboxDelivery

logger = logging.getLogger(__name__)

BATCH = 20


def backoff(attempts: int) -> timedelta:
    """Wait before attempt n+1: 30 s, 1 min, 2 min, … capped at 6 hours."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def outbox_claim(*, limit: int = BATCH, now: datetime | None = None) -> tuple[str, list[OutboxDelivery]]:
    """Claim up to `limit` due rows for this worker (race-safe: SKIP LOCKED on PostgreSQL, IMMEDIATE on SQLite)."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    due = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, claimed_until__lt=now
    )
    with transaction.atomic():
        ids = list(
            OutboxDelivery.objects.select_for_update(skip_locked=True)
            .filter(due)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return token, []
        OutboxDelivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.SENDING,
            claim_token=token,
            claimed_until=now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    rows = OutboxDelivery.objects.filter(pk__in=ids, claim_token=token).select_related("message__recipient")
    return token, list(rows.order_by("id"))


def _deliver_one(row: OutboxDelivery, token: str) -> bool:
    message = row.message
    mine = OutboxDelivery.objects.filter(pk=row.pk, claim_token=token)
    try:
        sent = CHANNELS[row.channel].send(
            user=message.recipient,
            kind=message.kind,
            title=message.title,
            body=message.body,
            link=message.link,
            key=row.delivery_key,
        )
    except Exception as exc:
        failed = row.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        logger.warning("outbox %s attempt %s failed: %s", row.delivery_key, row.attempts, type(exc).__name__)
        mine.update(
            status=DeliveryStatus.FAILED if failed else DeliveryStatus.PENDING,
            next_attempt_at=timezone.now() + backoff(row.attempts),
            claimed_until=None,
            last_error=f"{type(exc).__name__}: {exc}"[:300],
        )
        return False
    mine.update(
        status=DeliveryStatus.DELIVERED if sent else DeliveryStatus.SKIPPED,
        delivered_at=timezone.now(),
        claimed_until=None,
        last_error="",
    )
    return sent


def outbox_deliver(*, limit: int = 1000) -> int:
    """Deliver due rows until none is left (or `limit` were tried); returns how many were sent."""
    sent = tried = 0
    while tried < limit:
        token, rows = outbox_claim(limit=min(BATCH, limit - tried))
        if not rows:
            break
        for row in rows:
            tried += 1
            sent += _deliver_one(row, token)
    return sent


@task()
def deliver_outbox() -> int:
    """The nudge message_send enqueues after commit (django.tasks → Huey)."""
    return outbox_deliver()
