"""Create-or-replay: the one way a create is made safe to retry (docs/adr/0008-one-idempotency.md).

    outcome = run_idempotent(
        client=f"user:{actor.pk}", operation="hotline.appeal_create", key=key, request=payload,
        create=lambda: ...,                       # the writes; runs inside the transaction that stores the key
        # or prepare=lambda: ... -> create: checks and reads outside the transaction, returning the writes
        load=lambda object_id: Appeal.objects.get(pk=object_id),   # a replay's object
        answer=lambda appeal: (201, out(appeal)), # optional: the status and JSON body a replay answers with
    )
    outcome.value, outcome.replayed, outcome.status, outcome.body

* One table, one row per client × operation × key (core.models.IdempotencyKey). The client is whoever owns the
  key: "user:<id>" for a signed-in person or a bearer token's user, "open311:<id>" for an Open311 client.
* The first request runs `create` and inserts the key row in the same transaction: both commit or neither does
  (and files `create` saved through core.uploads are deleted if it rolls back). A caller that wants its checks
  made before the transaction opens (so that a refused request never takes a lock) passes `prepare` instead:
  it runs after the key lookup, outside the transaction, and returns the `create` to run inside it.
  A request that fails (validation, conflict) stores nothing, so the client may correct it and reuse the key.
* A later request with the same client, operation and key gets the stored result (replayed=True), without
  running `create` — and without validating again; with other content (another request digest) it is a Conflict.
* Races: two requests with one key both miss the row and both run `create`; the second INSERT of the key row
  hits the unique constraint (PostgreSQL makes it wait for the first transaction and then fail; SQLite's
  IMMEDIATE transactions run one writer at a time), its transaction rolls back and it answers with the first
  one's stored result. Exactly one creates.
* Keys are kept IDEMPOTENCY_KEY_DAYS days (default 7) and then removed by idempotency_prune (the periodic job
  and `manage.py idempotency_prune`); a retry after that is a new request.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.utils import timezone

from digigov.core.crypto import sm3_hex
from digigov.core.errors import Conflict
from digigov.core.models import IdempotencyKey
from digigov.core.protected import seal, unseal
from digigov.core.uploads import files_discarded_on_error

Answer = tuple[int, Any]  # (HTTP status, JSON body)

CONFLICT_MESSAGE = "该幂等键已用于另一个不同的请求"
CONFLICT_FIELD = "idempotency_key"
MAX_CLIENT = 64
MAX_OPERATION = 64


@dataclass(frozen=True)
class Outcome[T]:
    """value: the object created now or by the first request; replayed: whether this request only found it;
    status and body: the answer the first request stored (body None when its caller stored none)."""

    value: T
    replayed: bool
    status: int
    body: Any = None


def http_answer(outcome: Outcome[Any], render: Callable[[Any], Any]) -> Answer:
    """What an HTTP endpoint answers: the first request its own status (201); a replay 200 — the contract the API
    publishes, so a client tells "created" from "already there" — with the body the first request got (a key
    stored without a body, e.g. by a page or before keys carried one, answers with the object as it is now)."""
    status = 200 if outcome.replayed else outcome.status
    return status, outcome.body if outcome.body is not None else render(outcome.value)


def retention_note() -> str:
    """For API descriptions: how long a key answers retries."""
    return f"幂等键保留{settings.IDEMPOTENCY_KEY_DAYS}天, 之后同一键视为新的请求。"


def key_digest(key: str) -> str:
    """The stored form of a client's key: SM3, first 40 hex digits (160 bits within one client and operation)."""
    return sm3_hex(key.encode())[:40]


def request_digest(request: object) -> str:
    """SM3 of the request's canonical JSON (sorted keys; values JSON cannot hold as their str())."""
    return sm3_hex(json.dumps(request, sort_keys=True, ensure_ascii=False, default=str).encode())


def user_client(user_id: int | str) -> str:
    """The client of a signed-in person (session or bearer token)."""
    return f"user:{user_id}"


def run_idempotent[T](
    *,
    client: str,
    operation: str,
    key: str,
    request: object,
    load: Callable[[str], T],
    create: Callable[[], T] | None = None,
    prepare: Callable[[], Callable[[], T]] | None = None,
    object_id: Callable[[T], object] = lambda value: value.pk,  # type: ignore[attr-defined]
    answer: Callable[[T], Answer] | None = None,
    conflict_message: str = CONFLICT_MESSAGE,
) -> Outcome[T]:
    """Create once per (client, operation, key); see the module's docstring. Without a key, `create` runs
    in a transaction and nothing is stored. Raises Conflict for a known key with other content. Give exactly one
    of `create` (runs inside the transaction) and `prepare` (runs before it and returns the create)."""
    assert (create is None) != (prepare is None), "give create or prepare"
    if not key:
        writes = prepare() if prepare is not None else create
        assert writes is not None
        with files_discarded_on_error(), transaction.atomic():
            value = writes()
            status, body = answer(value) if answer is not None else (201, None)
        return Outcome(value=value, replayed=False, status=status, body=body)
    assert 0 < len(client) <= MAX_CLIENT and 0 < len(operation) <= MAX_OPERATION, (client, operation)
    where = {"client": client, "operation": operation, "key_digest": key_digest(key)}
    digest = request_digest(request)
    if (stored := _stored(where)) is not None:
        return _replay(stored, digest, load, conflict_message)
    writes = prepare() if prepare is not None else create
    assert writes is not None
    try:
        with files_discarded_on_error(), transaction.atomic():  # a loser's rollback leaves no saved file behind
            value = writes()
            status, body = answer(value) if answer is not None else (201, None)
            IdempotencyKey.objects.create(
                **where,
                request_digest=digest,
                object_id=str(object_id(value)),
                status=status,
                body_sealed=None if body is None else seal(body_purpose(**where), json.dumps(body)),
                created_at=timezone.now(),
            )
    except IntegrityError:
        stored = _stored(where)
        if stored is None:
            raise  # another constraint: not a concurrent retry
        return _replay(stored, digest, load, conflict_message)  # a concurrent request with the key won the race
    return Outcome(value=value, replayed=False, status=status, body=body)


def body_purpose(*, client: str, operation: str, key_digest: str) -> str:
    """The sealed body's associated data: its own row's identity, so a body copied to another row does not open."""
    return f"{IdempotencyKey.BODY_PURPOSE}\x1f{client}\x1f{operation}\x1f{key_digest}"


def _stored(where: dict[str, str]) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(**where).first()


def _replay[T](stored: IdempotencyKey, digest: str, load: Callable[[str], T], message: str) -> Outcome[T]:
    if stored.request_digest != digest or not stored.object_id:
        raise Conflict(message, fields={CONFLICT_FIELD: "请为新的请求使用新的幂等键"})
    try:
        value = load(stored.object_id)
    except ObjectDoesNotExist as exc:  # what the key created was removed since: the key cannot answer again
        raise Conflict(message, fields={CONFLICT_FIELD: "请为新的请求使用新的幂等键"}) from exc
    body = None
    if stored.body_sealed is not None:
        purpose = body_purpose(client=stored.client, operation=stored.operation, key_digest=stored.key_digest)
        body = json.loads(unseal(purpose, bytes(stored.body_sealed)))
    return Outcome(value=value, replayed=True, status=stored.status, body=body)


def idempotency_retention() -> timedelta:
    return timedelta(days=settings.IDEMPOTENCY_KEY_DAYS)


def idempotency_prune(*, now: datetime | None = None) -> int:
    """Remove the keys older than IDEMPOTENCY_KEY_DAYS; returns how many. Safe to run at any time, by any
    number of processes at once."""
    cutoff = (now or timezone.now()) - idempotency_retention()
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
