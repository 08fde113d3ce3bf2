"""Writing messages. `message_send` runs inside the caller's transaction: a change that rolls back told no one.

Cost on a transition: one INSERT … ON CONFLICT DO NOTHING for the message (a repeated key writes nothing, with no
read first and no savepoint), one preferences lookup when the kind has optional external channels the recipient
could receive, and one insert of its outbox rows.
Templates are compiled strings in memory (registry.py); nothing is read from disk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from digigov.core.audit import audit_append
from digigov.core.errors import ValidationFailed
from digigov.core.messages.channels import CHANNELS
from digigov.core.messages.registry import MessageKind, kind_get
from digigov.core.models import Message, MessagePreference, OutboxDelivery
from digigov.core.workflow import Card, Workflow

logger = logging.getLogger(__name__)


def message_send(
    *,
    recipient: Any,
    kind: str,
    context: Mapping[str, object],
    link: str = "",
    obj: Model | None = None,
    key: str | None = None,
) -> Message | None:
    """Tell `recipient` one thing: an in-app message now, and one outbox row per external channel they chose.

    Call it inside the transaction of the change it reports. With a `key` (one event, e.g.
    "deadline-red:application:42:2026-12-05T17:00") a second call for the same recipient and key does nothing
    and returns None, so a sweeper may call it every minute and the person is told once.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("message_send runs inside the caller's transaction (transaction.atomic)")
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError("a message links to a page of this site (a path starting with one /)")
    spec = kind_get(kind)
    title, body = spec.render(context)
    message = Message(
        recipient=recipient,
        kind=kind,
        title=title[:200],
        body=body,
        link=link[:300],
        object_type=f"{obj._meta.app_label}.{obj._meta.model_name}" if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        key=key or "",
    )
    offered = [code for code in spec.channels if CHANNELS[code].available_to(recipient)]
    ask_choice = bool(offered) and spec.optional
    inserted, stored_choice = _insert_once(message, choice_of=ask_choice)
    if not inserted:
        return None  # this recipient was already told of this event
    channels = _chosen(spec, offered, stored_choice) if ask_choice else offered
    if channels:
        OutboxDelivery.objects.bulk_create(
            [OutboxDelivery(message=message, channel=c, delivery_key=f"msg-{message.pk}-{c}") for c in channels]
        )
        _nudge_worker_on_commit()
    return message


_INSERT_SQL: dict[tuple[str, bool], str] = {}
_COLUMNS = ("recipient_id", "kind", "title", "body", "link", "object_type", "object_id", "key", "created_at")


def message_cards_turned(
    workflow: Workflow,
    objects: QuerySet[Any],
    *,
    kinds: Mapping[str, str],
    recipients: Callable[[Any], Iterable[Any]],
    context: Callable[[Any], Mapping[str, object]],
    link: Callable[[Any], str],
    now: datetime,
    window: timedelta,
) -> int:
    """A sweep's deadline notices: for each of `objects` whose card turned yellow or red (`kinds`: card → message
    kind) within `window` before `now`, tell its `recipients`, once per card and deadline (the message key), so
    the sweep may run every minute. A card older than the window is not news (the inbox shows it); the window
    also bounds what each sweep reads. Returns the messages written."""
    sent = 0
    for card, kind in kinds.items():
        instant = "yellow_at" if card == Card.YELLOW else "due_at"
        turned = objects.filter(workflow.card_q(card, now), **{f"{instant}__gte": now - window})
        for obj in turned.order_by("pk"):
            key = f"{card}:{workflow.audit_object_type}:{obj.pk}:{obj.due_at.isoformat() if obj.due_at else ''}"
            told = context(obj), link(obj)
            with transaction.atomic():
                for user in recipients(obj):
                    message = message_send(recipient=user, kind=kind, context=told[0], link=told[1], obj=obj, key=key)
                    sent += message is not None
    return sent


def _insert_sql(vendor: str, choice_of: bool) -> str:
    sql = _INSERT_SQL.get((vendor, choice_of))
    if sql is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in _COLUMNS)
        placeholders = ", ".join(["%s"] * len(_COLUMNS))
        returning = quote("id")
        if choice_of:  # the recipient's stored choice for this kind, read by the same statement
            returning += (
                f", (SELECT {quote('channels')} FROM {quote(MessagePreference._meta.db_table)} "  # noqa: S608
                f"WHERE {quote('user_id')} = %s AND {quote('kind')} = %s)"
            )
        sql = _INSERT_SQL[(vendor, choice_of)] = (
            f"INSERT INTO {quote(Message._meta.db_table)} ({columns}) VALUES ({placeholders}) "  # noqa: S608
            f"ON CONFLICT DO NOTHING RETURNING {returning}"  # names from the models; values are bound
        )
    return sql


def _insert_once(message: Message, *, choice_of: bool) -> tuple[bool, str | None]:
    """One statement, PostgreSQL and SQLite alike: INSERT … ON CONFLICT DO NOTHING RETURNING the id (and, when
    asked, the recipient's stored channel choice for the kind). A keyed message that exists already is not
    written again, with no read first and no savepoint."""
    params: list[Any] = [
        message.recipient.pk,
        message.kind,
        message.title,
        message.body,
        message.link,
        message.object_type,
        message.object_id,
        message.key,
        connection.ops.adapt_datetimefield_value(message.created_at),
    ]
    if choice_of:
        params += [message.recipient.pk, message.kind]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(connection.vendor, choice_of), params)
        row = cursor.fetchone()
    if row is None:
        return False, None
    message.pk = row[0]
    message._state.adding = False
    message._state.db = connection.alias
    return True, row[1] if choice_of else None


def _chosen(spec: MessageKind, offered: list[str], stored: str | None) -> list[str]:
    """The offered channels the recipient wants: their stored choice, or the kind's defaults before they chose."""
    wanted = spec.defaults if stored is None else tuple(filter(None, stored.split(",")))
    return [code for code in offered if code in wanted]


def _nudge_worker_on_commit() -> None:
    """After commit, ask the worker to deliver now (once per transaction); its minute sweep catches a lost nudge."""
    if not any(entry[1] is _nudge for entry in connection.run_on_commit):
        transaction.on_commit(_nudge)


def _nudge() -> None:
    from digigov.core.messages.delivery import deliver_outbox

    try:
        deliver_outbox.enqueue()
    except Exception:  # the queue is down: the rows wait for the worker's periodic sweep
        logger.exception("could not enqueue outbox delivery")


def messages_mark_read(*, actor: Any, ids: Iterable[int]) -> int:
    """The reader has seen these of their own messages (derived state, not audited)."""
    now = timezone.now()
    return Message.objects.filter(recipient=actor, pk__in=list(ids), read_at__isnull=True).update(read_at=now)


def messages_mark_all_read(*, actor: Any, kind_prefix: str = "") -> int:
    unread = Message.objects.filter(recipient=actor, read_at__isnull=True)
    if kind_prefix:
        unread = unread.filter(kind__startswith=kind_prefix)
    return unread.update(read_at=timezone.now())


def message_preferences_set(*, actor: Any, choices: dict[str, list[str]]) -> None:
    """Store the external channels `actor` wants per kind. Only optional kinds and offered channels are accepted."""
    offered = {code for code, channel in CHANNELS.items() if channel.available_to(actor)}
    with transaction.atomic():
        for code, wanted in choices.items():
            spec = kind_get(code)
            if not spec.optional:
                raise ValidationFailed("该类提醒为必收提醒，不能关闭", fields={code: "必收提醒"})
            refused = set(wanted) - (set(spec.channels) & offered)
            if refused:
                raise ValidationFailed("所选接收方式不可用", fields={code: "接收方式不可用"})
            MessagePreference.objects.update_or_create(
                user=actor, kind=code, defaults={"channels": ",".join(sorted(set(wanted)))}
            )
        audit_append(
            actor=actor,
            action="core.message_preferences_set",
            object_type="identity.user",
            object_id=actor.pk,
            changes={code: ",".join(sorted(set(wanted))) for code, wanted in choices.items()},
        )
