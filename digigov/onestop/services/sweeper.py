"""The deadline sweeper of 一网通办. Cards are derived from `yellow_at`/`due_at` whenever they are read, so the
sweeper keeps nothing right: it only finds the applications whose card has turned yellow or red, for the
handler to be told (once per deadline; see the messages wired in onestop.messages).

Run by the platform's worker, or `python manage.py services_sweep`.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from digigov.core.workflow import Card
from digigov.onestop.models import Application
from digigov.onestop.workflow import application_workflow


def applications_turned(card: str, now: datetime | None = None) -> list[Application]:
    now = now or timezone.now()
    return list(Application.objects.filter(application_workflow.card_q(card, now)).select_related("item"))


def sweep_deadlines(now: datetime | None = None) -> int:
    """The number of running applications whose card is yellow or red now."""
    now = now or timezone.now()
    return sum(
        Application.objects.filter(application_workflow.card_q(card, now)).count() for card in (Card.YELLOW, Card.RED)
    )
