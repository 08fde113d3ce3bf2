"""The hotline sweeper: re-derives every running appeal's card from its columns and presses (督办) the overdue.

Run periodically (`python manage.py hotline_sweep`). Cards are derived, so a lost job never leaves a wrong card
for longer than one sweep; an overdue appeal is escalated once (escalated_at), by the system, audited. It also
prunes the duplicate check's words table of open appeals older than its window (closed ones lose theirs at
once, in transitions.move).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from digigov.hotline.analytics.queries import prune_appeal_words
from digigov.hotline.models import Appeal, AppealCard, AppealStatus
from digigov.hotline.services.clock import card_for
from digigov.hotline.services.loop import escalate

BATCH = 2000
RUNNING = (AppealStatus.DISPATCHED, AppealStatus.SIGNED)


@dataclass(frozen=True)
class SweepResult:
    cards_changed: int
    escalated: int
    words_pruned: int = 0


def sweep_appeals() -> SweepResult:
    now = timezone.now()
    changed, overdue = 0, []
    batch: list[Appeal] = []
    running = Appeal.objects.filter(status__in=RUNNING).only(
        "id", "status", "card", "dispatched_at", "sign_due_at", "signed_at", "reply_due_at", "escalated_at"
    )
    for appeal in running.iterator(chunk_size=BATCH):
        card = card_for(appeal, now)
        if card != appeal.card:
            appeal.card = card
            batch.append(appeal)
        if card == AppealCard.RED and appeal.escalated_at is None:
            overdue.append(appeal.pk)
        if len(batch) >= BATCH:
            changed += _write(batch)
            batch = []
    changed += _write(batch)
    escalated = 0
    for appeal in Appeal.objects.filter(pk__in=overdue, escalated_at__isnull=True, status__in=RUNNING):
        stage = "签收" if appeal.status == AppealStatus.DISPATCHED else "办理"
        escalate(actor=None, appeal=appeal, note=f"{stage}已超期，系统自动督办")
        escalated += 1
    return SweepResult(changed, escalated, prune_appeal_words(now))


def _write(batch: list[Appeal]) -> int:
    if not batch:
        return 0
    with transaction.atomic():
        # Cards only: derived from audited columns, so this is not an audited write.
        Appeal.objects.bulk_update(batch, ["card"])
    return len(batch)
