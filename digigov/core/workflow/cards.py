"""Deadline cards derived at the moment they are read, from two stored instants.

`yellow_at` is when the card turns yellow (即将到期) and `due_at` when it turns red (已超期); a paused clock
(补正) shows as paused, an object outside its workflow's running states shows no card. Because the card is a
function of the current time, a list filtered by card, a header count and the card on a detail page agree
with each other and with the deadline shown beside them, whether or not a sweeper has run.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Case, Q, Value, When


class Card(models.TextChoices):
    NONE = "none", "未计时"
    GREEN = "green", "正常"
    YELLOW = "yellow", "即将到期"
    RED = "red", "已超期"
    PAUSED = "paused", "补正暂停"


def card_of(*, running: bool, paused: bool, yellow_at: datetime | None, due_at: datetime | None, now: datetime) -> str:
    if not running or (due_at is None and not paused):
        return Card.NONE
    if paused:
        return Card.PAUSED
    assert due_at is not None
    if now >= due_at:
        return Card.RED
    if yellow_at is not None and now >= yellow_at:
        return Card.YELLOW
    return Card.GREEN


def card_case(now: datetime, *, running: Q, paused: Q | None = None) -> Case:
    """The card as an SQL expression (annotate, order by); the same rules as `card_of`."""
    whens = [When(~running, then=Value(Card.NONE.value))]
    if paused is not None:
        whens.append(When(paused, then=Value(Card.PAUSED.value)))
    whens += [
        When(due_at__isnull=True, then=Value(Card.NONE.value)),
        When(due_at__lte=now, then=Value(Card.RED.value)),
        When(yellow_at__lte=now, then=Value(Card.YELLOW.value)),
    ]
    return Case(*whens, default=Value(Card.GREEN.value), output_field=models.CharField())


def card_q(card: str, now: datetime, *, running: Q, paused: Q | None = None) -> Q:
    """A filter for the objects that show `card` at `now` (indexable: plain comparisons on the instants)."""
    not_paused = ~paused if paused is not None else Q()
    if card == Card.PAUSED:
        return running & paused if paused is not None else Q(pk__in=[])
    if card == Card.RED:
        return running & not_paused & Q(due_at__lte=now)
    if card == Card.YELLOW:
        return running & not_paused & Q(due_at__gt=now, yellow_at__lte=now)
    if card == Card.GREEN:
        return running & not_paused & Q(due_at__gt=now) & (Q(yellow_at__isnull=True) | Q(yellow_at__gt=now))
    return ~running | (not_paused & Q(due_at__isnull=True))
