"""The tamper-evident audit chain: append (one per service write) and verify.

Each entry's hash covers its own content and the previous entry's hash (SM3), so altering, deleting or
inserting any entry breaks every hash after it. Appends lock the single chain-head row inside the caller's
transaction: concurrent writers queue on that lock and the chain never forks; if the caller's transaction
rolls back, its audit entry rolls back with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from django.db import transaction

from digigov.core.crypto import sm3_hex
from digigov.core.models import AuditChainHead, AuditEntry
from digigov.core.request_context import current_request_context

GENESIS_HASH = "0" * 64
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)


class Actor(Protocol):
    pk: Any

    def get_username(self) -> str: ...


def _canonical(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def change_digest(changes: Mapping[str, object]) -> str:
    """SM3 over the full change, values included; the entry itself stores only field names."""
    return sm3_hex(_canonical(changes).encode())


def entry_hash(
    *,
    seq: int,
    created_at: datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    source_ip: str | None,
    changed_fields: str,
    change_digest: str,
    prev_hash: str,
) -> str:
    micros = (created_at - EPOCH) // ONE_MICROSECOND  # exact integer, no float rounding
    content = [
        seq,
        micros,
        actor_id,
        actor_name,
        action,
        object_type,
        object_id,
        source_ip or "",
        changed_fields,
        change_digest,
        prev_hash,
    ]
    return sm3_hex(_canonical(content).encode())


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def audit_append(
    *,
    actor: Actor | None,
    action: str,
    object_type: str = "",
    object_id: object = "",
    changes: Mapping[str, object] | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Call it inside the service's transaction.atomic."""
    changes = changes or {}
    with transaction.atomic():
        head = _locked_head()
        fields: dict[str, Any] = {
            "seq": head.last_seq + 1,
            "created_at": datetime.now(UTC),
            "actor_id": int(actor.pk) if actor is not None and actor.pk is not None else None,
            "actor_name": actor.get_username() if actor is not None else "system",
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "source_ip": current_request_context().source_ip,
            "changed_fields": ",".join(sorted(changes))[:500],
            "change_digest": change_digest(changes),
            "prev_hash": head.last_hash,
        }
        entry = AuditEntry(**fields, entry_hash=entry_hash(**fields))
        entry.save(force_insert=True)
        AuditChainHead.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.entry_hash)
    return entry


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None  # None when the break is after the last entry (the tip was removed)
    seq: int
    reason: str


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.broken is None


_VERIFY_FIELDS = (
    "id",
    "seq",
    "created_at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "source_ip",
    "changed_fields",
    "change_digest",
    "prev_hash",
    "entry_hash",
)


def _rows(chunk_size: int) -> Iterator[tuple[Any, ...]]:
    return AuditEntry.objects.order_by("seq").values_list(*_VERIFY_FIELDS).iterator(chunk_size=chunk_size)


def _first_break(rows: Iterable[tuple[Any, ...]]) -> tuple[int, ChainBreak | None, int, str]:
    expected_seq, prev = 1, GENESIS_HASH
    checked = 0
    for (
        pk,
        seq,
        created_at,
        actor_id,
        actor_name,
        action,
        object_type,
        object_id,
        source_ip,
        changed_fields,
        digest,
        prev_hash,
        stored_hash,
    ) in rows:
        if seq != expected_seq:
            return checked, ChainBreak(pk, seq, f"序号不连续: 应为 {expected_seq}"), expected_seq, prev
        if prev_hash != prev:
            return checked, ChainBreak(pk, seq, "前序哈希不符"), expected_seq, prev
        recomputed = entry_hash(
            seq=seq,
            created_at=created_at,
            actor_id=actor_id,
            actor_name=actor_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            source_ip=source_ip,
            changed_fields=changed_fields,
            change_digest=digest,
            prev_hash=prev_hash,
        )
        if recomputed != stored_hash:
            return checked, ChainBreak(pk, seq, "内容哈希不符(条目被修改)"), expected_seq, prev
        checked += 1
        expected_seq, prev = seq + 1, stored_hash
    return checked, None, expected_seq, prev


def audit_verify(chunk_size: int = 5000) -> VerifyResult:
    """Walk the whole chain; report the first entry whose sequence or hashes do not hold."""
    checked, broken, next_seq, tip = _first_break(_rows(chunk_size))
    if broken is None:
        head = AuditChainHead.objects.filter(pk=1).first()
        head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
        if (head_seq, head_hash) != (next_seq - 1, tip):
            broken = ChainBreak(None, next_seq, f"链尾缺失: 链头记录到第 {head_seq} 条")
    return VerifyResult(checked=checked, broken=broken)
