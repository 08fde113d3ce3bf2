"""Tests' way to put an object's clock where a card shows: its deadline instants, as the workflow would have
stored them that long ago. Cards are derived from these instants at the moment they are read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import models
from django.utils import timezone

from digigov.core.workflow import Card

INSTANTS = {
    Card.RED: (timedelta(hours=-50), timedelta(hours=-1)),
    Card.YELLOW: (timedelta(hours=-1), timedelta(hours=3)),
    Card.GREEN: (timedelta(days=3), timedelta(days=10)),
}


def set_card(obj: models.Model, card: str, **also: Any) -> None:
    """Store instants that make `obj` show `card` now (and any other columns given, e.g. a due_date shown)."""
    yellow, due = INSTANTS[Card(card)]
    now = timezone.now()
    type(obj)._default_manager.filter(pk=obj.pk).update(yellow_at=now + yellow, due_at=now + due, **also)
