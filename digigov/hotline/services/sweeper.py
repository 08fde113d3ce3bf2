"""The hotline sweeper: presses (督办) the overdue, tells people of new yellow and red cards and of callbacks
falling due (services/notify.py), and prunes the duplicate check's words.

Cards are derived from `yellow_at`/`due_at` whenever they are read, so the sweeper keeps no card right: it
escalates each overdue appeal once (escalated_at), by the system, audited, and prunes the words table of open
appeals older than the duplicate window (closed ones lose theirs at once, in a workflow hook). Run by the
platform's worker, or `python manage.py hotline_sweep`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from digigov.core.errors import Conflict
from digigov.core.policy import SYSTEM
from digigov.core.workflow import Card
from digigov.hotline.models import Appeal, AppealStatus
from digigov.hotline.services.appeal_words import prune_appeal_words
from digigov.hotline.services.loop import escalate
from digigov.hotline.services.notify import appeal_deadline_notices, callback_due_notices
from digigov.hotline.workflow import appeal_workflow


@dataclass(frozen=True)
class SweepResult:
    overdue: int
    escalated: int
    words_pruned: int = 0


def sweep_appeals(now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    overdue = Appeal.objects.filter(appeal_workflow.card_q(Card.RED, now))
    escalated = 0
    for appeal in overdue.filter(escalated_at__isnull=True).order_by("due_at"):
        stage = "签收" if appeal.status == AppealStatus.DISPATCHED else "办理"
        try:
            escalate(actor=SYSTEM, appeal=appeal, note=f"{stage}已超期，系统自动督办")
        except Conflict:
            continue  # it moved on between the query and the step: nothing to press
        escalated += 1
    appeal_deadline_notices(now)
    callback_due_notices(now)
    return SweepResult(overdue.count(), escalated, prune_appeal_words(now))
