"""Reading messages: each person reads only their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet

from digigov.core.errors import NotFound
from digigov.core.messages.channels import channels_for
from digigov.core.messages.registry import kinds
from digigov.core.models import Message, MessagePreference

ORDERS = {"unread": "未读优先", "newest": "最新优先"}


def messages_of(actor: Any, *, order: str = "unread") -> QuerySet[Message]:
    rows = Message.objects.filter(recipient=actor)
    if order == "unread":
        return rows.order_by(F("read_at").asc(nulls_first=True), "-id")
    return rows.order_by("-id")


def message_get_for_actor(actor: Any, message_id: int) -> Message:
    """The actor's own message; another's and a missing one look the same."""
    message = Message.objects.filter(recipient=actor, pk=message_id).first()
    if message is None:
        raise NotFound("消息不存在或无权查看")
    return message


def unread_message_count(actor: Any) -> int:
    return Message.objects.filter(recipient=actor, read_at__isnull=True).count()


@dataclass(frozen=True)
class KindChoice:
    code: str
    label: str
    optional: bool
    offered: list[tuple[str, str, bool]]  # (channel code, label, chosen)


def message_preferences_of(actor: Any) -> list[KindChoice]:
    """Every kind with at least one external channel this person can receive, and what they chose."""
    offered = {channel.code: channel.label for channel in channels_for(actor)}
    stored = dict(MessagePreference.objects.filter(user=actor).values_list("kind", "channels"))
    choices = []
    for spec in kinds():
        codes = [code for code in spec.channels if code in offered]
        if not codes:
            continue
        chosen = set(spec.defaults) if spec.code not in stored else set(filter(None, stored[spec.code].split(",")))
        if not spec.optional:
            chosen = set(codes)
        choices.append(
            KindChoice(spec.code, spec.label, spec.optional, [(c, offered[c], c in chosen) for c in codes])
        )
    return choices
