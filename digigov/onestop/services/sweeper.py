"""The deadline sweeper of 一网通办. Cards are derived from `yellow_at`/`due_at` whenever they are read, so the
sweeper keeps nothing right: it finds the applications whose card has turned yellow or red and tells the staff
who may decide them (once per card and deadline: services/notify.py).

Run by the platform's worker, or `python manage.py services_sweep`.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from digigov.core.workflow import Card
from digigov.onestop.models import Application
from digigov.onestop.services.notify import application_deadline_notices
from digigov.onestop.workflow import application_workflow


def sweep_deadlines(now: datetime | None = None) -> int:
    """Tell the deciders of newly yellow or red cards; the number of running applications whose card is yellow or
    red now."""
    now = now or timezone.now()
    application_deadline_notices(now)
    return sum(
        Application.objects.filter(application_workflow.card_q(card, now)).count() for card in (Card.YELLOW, Card.RED)
    )
