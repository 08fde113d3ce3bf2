"""Open311 clients (接入方): each system that files appeals through /open311/v2/ holds one API key.

The key is random, shown once when issued; only its SM3 digest and its first characters (to tell keys apart in
a list) are stored. Issuing and revoking are audited. Submissions by a client go through intake
(`appeal_intake`, channel "open311"); the idempotency key is owned by the client ("open311:<id>") and is the
client's token, derived from the client's id and its retry key, so no client can replay, or collide with, another
client's submission.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from django.db import transaction

from digigov.core.audit import audit_append
from digigov.core.crypto import sm3_hex
from digigov.core.errors import Conflict, ValidationFailed
from digigov.core.idempotency import Answer, Outcome
from digigov.core.policy import SYSTEM, SystemActor, person, require
from digigov.hotline import policy
from digigov.hotline.models import Appeal, Open311Client
from digigov.hotline.policy import Action
from digigov.hotline.services.intake import AppealInput, appeal_intake
from digigov.hotline.services.reference import SETTINGS_REFUSED
from digigov.identity.models import User

KEY_PREFIX = "o311_"
HINT_LENGTH = 8
MAX_NAME = 80
OPEN311_CHANNEL = "open311"


def key_digest(key: str) -> str:
    return sm3_hex(key.encode())


def open311_client_create(*, actor: User | SystemActor, name: str) -> tuple[Open311Client, str]:
    """A new client and its API key (the only time the key is seen in full). A city-wide setting."""
    require(policy.can(actor, Action.MANAGE_SETTINGS), SETTINGS_REFUSED)
    name = name.strip()
    if not 1 <= len(name) <= MAX_NAME:
        raise ValidationFailed(f"接入方名称应为1至{MAX_NAME}个字符", fields={"name": "长度不正确"})
    if Open311Client.objects.filter(name=name, is_active=True).exists():
        raise Conflict("已有同名的有效接入方", fields={"name": "名称已被使用"})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        client = Open311Client.objects.create(
            name=name, key_digest=key_digest(key), key_hint=key[:HINT_LENGTH], created_by=person(actor)
        )
        audit_append(
            actor=actor,
            action="hotline.open311_client_created",
            object_type="open311_client",
            object_id=client.pk,
            changes={"name": name},
        )
    return client, key


def open311_client_revoke(*, actor: User | SystemActor, client: Open311Client) -> Open311Client:
    """The key stops working at once; the client stays listed (its appeals refer to it in the audit trail)."""
    require(policy.can(actor, Action.MANAGE_SETTINGS), SETTINGS_REFUSED)
    with transaction.atomic():
        updated = Open311Client.objects.filter(pk=client.pk, is_active=True).update(is_active=False)
        if not updated:
            raise Conflict("该接入方的密钥已吊销")
        audit_append(
            actor=actor,
            action="hotline.open311_client_revoked",
            object_type="open311_client",
            object_id=client.pk,
            changes={"name": client.name},
        )
    client.is_active = False
    return client


def open311_client_authenticate(key: str) -> Open311Client | None:
    """The active client holding this key, or None (unknown, malformed or revoked)."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    return Open311Client.objects.filter(key_digest=key_digest(key), is_active=True).first()


def client_idempotency_key(client: Open311Client, key: str) -> str:
    """The stored key: the client's own retry key (or the digest of its payload) under the client's id, hashed,
    so it fits the column whatever the client sends, cannot collide across clients and can be given out as the
    Open311 token without revealing what the client sent."""
    return "o311-" + sm3_hex(f"{client.pk}\x1f{key}".encode())[:40]


def open311_key_owner(client: Open311Client) -> str:
    return f"open311:{client.pk}"


def open311_submit(
    *,
    client: Open311Client,
    data: AppealInput,
    now: datetime | None = None,
    answer: Callable[[Appeal], Answer] | None = None,
) -> Outcome[Appeal]:
    """File an appeal for an Open311 client, create-or-replay: a replay (same idempotency key, same content)
    returns the first appeal (replayed, with the answer `answer` stored), writing nothing; the same key with
    other content is a Conflict. The audit trail records which client filed it, in the appeal's transaction."""

    def record_client(appeal: Appeal) -> None:
        audit_append(
            actor=None,
            action="hotline.open311_request_received",
            object_type="appeal",
            object_id=appeal.pk,
            changes={"client": client.pk, "client_name": client.name},
        )

    return appeal_intake(
        actor=SYSTEM,  # the client was authenticated by its key
        data=replace(data, channel=OPEN311_CHANNEL),
        now=now,
        client=open311_key_owner(client),
        answer=answer,
        also=record_client,
    )
