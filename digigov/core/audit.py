"""The tamper-evident audit chain: append (one per service write) and verify.

Each entry's hash covers its own content and the previous entry's hash (SM3), so altering, deleting or
inserting any entry breaks every hash after it. Appends lock the single chain-head row inside the caller's
transaction: concurrent writers queue on that lock and the chain never forks; if the caller's transaction
rolls back, its audit entry rolls back with it.

Speed (see docs/performance.md): the head lock is held until the caller commits, so appends do everything
that does not depend on the head before taking it, and after it only one more round trip (on PostgreSQL the
insert and the head update are a single statement). Verification reads the chain in keyset-paginated chunks
with a plain cursor and writes the canonical JSON of each entry directly, byte for byte what json.dumps
writes (see _content).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, Protocol

from cryptography.hazmat.primitives import hashes as c_hashes
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Field

from digigov.core.crypto import sm3_hex
from digigov.core.models import AuditChainHead, AuditEntry
from digigov.core.request_context import current_request_context

GENESIS_HASH = "0" * 64  # what lane 1's first entry points back to


def genesis_hash(lane: int) -> str:
    """Each lane starts from its own genesis, so an entry moved to another lane cannot link up there."""
    return GENESIS_HASH if lane == 1 else sm3_hex(f"digigov-audit-lane-{lane}".encode())


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NAIVE_EPOCH = datetime(1970, 1, 1)  # SQLite returns naive UTC datetimes to a plain cursor
ONE_MICROSECOND = timedelta(microseconds=1)

# json.dumps(ensure_ascii=False) writes every str through this function (the C accelerator when present).
_json_str = json.encoder.encode_basestring

# SM3 as crypto.sm3_hex computes it (cryptography, OpenSSL), copying one fresh context instead of building
# a new one per call: a third off the hash cost, which is half of verification's. test_audit pins the output.
_SM3_FRESH = c_hashes.Hash(c_hashes.SM3())


def _sm3_hex(data: bytes) -> str:
    digest = _SM3_FRESH.copy()
    digest.update(data)
    return digest.finalize().hex()


class Actor(Protocol):
    pk: Any

    def get_username(self) -> str: ...


def _canonical(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def change_digest(changes: Mapping[str, object]) -> str:
    """SM3 over the full change, values included; the entry itself stores only field names."""
    return sm3_hex(_canonical(changes).encode())


def _content(
    seq: object,
    micros: int,
    actor_id: object,
    actor_name: object,
    action: object,
    object_type: object,
    object_id: object,
    source_ip: object,
    changed_fields: object,
    digest: object,
    prev_hash: object,
) -> str:
    """_canonical([seq, micros, ...]) without the generic encoder: for a list of ints, None and strs,
    json.dumps writes "[" + ",".join(items) + "]" with int.__repr__, "null" and encode_basestring; so does
    this. Any other type (a caller passing an int object_id, say) goes through _canonical itself."""
    if type(seq) is int and type(micros) is int and (actor_id is None or type(actor_id) is int):
        try:
            return (
                f"[{seq},{micros},{'null' if actor_id is None else actor_id},{_json_str(actor_name)},"  # type: ignore[arg-type]
                f"{_json_str(action)},{_json_str(object_type)},{_json_str(object_id)},"  # type: ignore[arg-type]
                f"{_json_str(source_ip)},{_json_str(changed_fields)},{_json_str(digest)},"  # type: ignore[arg-type]
                f"{_json_str(prev_hash)}]"  # type: ignore[arg-type]
            )
        except TypeError:  # a value that is not a str
            pass
    return _canonical(
        [
            seq,
            micros,
            actor_id,
            actor_name,
            action,
            object_type,
            object_id,
            source_ip,
            changed_fields,
            digest,
            prev_hash,
        ]
    )


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
    content = _content(
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
    )
    return _sm3_hex(content.encode())


# --- append ---------------------------------------------------------------------------------------------

_INSERT_COLUMNS = (
    "lane",
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


@dataclass(frozen=True)
class _Sql:
    lock_head: str
    insert: str  # on PostgreSQL also moves the head and returns the new id
    move_head: str | None  # the second statement where one statement cannot do both


def _columns(names: Iterable[str]) -> list[str]:
    quote = connection.ops.quote_name
    fields = [AuditEntry._meta.get_field(name) for name in names]
    return [quote(field.column or field.name) for field in fields if isinstance(field, Field)]


@cache
def _sql(vendor: str, for_update: bool) -> _Sql:
    quote = connection.ops.quote_name
    entries, head = quote(AuditEntry._meta.db_table), quote(AuditChainHead._meta.db_table)
    columns = ", ".join(_columns(_INSERT_COLUMNS))
    placeholders = ", ".join(["%s"] * len(_INSERT_COLUMNS))
    lock_head = f"SELECT last_seq, last_hash FROM {head} WHERE id = %s" + (" FOR UPDATE" if for_update else "")  # noqa: S608
    insert = f"INSERT INTO {entries} ({columns}) VALUES ({placeholders})"  # noqa: S608
    set_head = f"UPDATE {head} SET last_seq = %s, last_hash = %s"  # noqa: S608
    if vendor == "postgresql":  # one round trip: insert the entry and move the head in a single statement
        combined = f"WITH e AS ({insert} RETURNING id) {set_head} FROM e WHERE {head}.id = %s RETURNING e.id"
        return _Sql(lock_head, combined, None)
    return _Sql(lock_head, insert, f"{set_head} WHERE id = %s")


def _head_row_create(lane: int) -> tuple[int, str]:
    AuditChainHead.objects.get_or_create(pk=lane, defaults={"last_seq": 0, "last_hash": genesis_hash(lane)})
    head = AuditChainHead.objects.select_for_update().get(pk=lane)
    return head.last_seq, head.last_hash


def _pick_lane() -> int:
    """Appends spread over AUDIT_CHAIN_LANES independent chains (ADR 0001): each lane serialises its own
    writers, so concurrent requests wait for one commit in N instead of every commit.

    The lane sticks to the database connection: a transaction that appends several entries keeps to one lane
    (two lanes locked in different orders by two transactions would deadlock), and concurrent connections
    spread over the lanes. Not a secret choice."""
    lanes = max(1, settings.AUDIT_CHAIN_LANES)
    lane: int | None = getattr(connection, "_digigov_audit_lane", None)
    if lane is None or lane > lanes:
        lane = random.randint(1, lanes)  # noqa: S311
        connection._digigov_audit_lane = lane  # type: ignore[attr-defined]
    return lane


def _stored_ip(source_ip: str | None) -> str | None:
    """The address as the column stores it (IPv6 compressed and lower-cased), so the hash covers that."""
    if not source_ip:
        return None
    prepared: str = AuditEntry._meta.get_field("source_ip").get_prep_value(source_ip)
    return prepared


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
    fields: dict[str, Any] = {
        "actor_id": int(actor.pk) if actor is not None and actor.pk is not None else None,
        "actor_name": actor.get_username() if actor is not None else "system",
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "source_ip": _stored_ip(current_request_context().source_ip),
        "changed_fields": ",".join(sorted(changes))[:500],
        "change_digest": change_digest(changes),
    }
    entry = AuditEntry(**fields)  # built now: the model's __init__ is not free, and the lock is not taken yet
    sql = _sql(connection.vendor, connection.features.has_select_for_update)
    ops = connection.ops
    source_ip = ops.adapt_ipaddressfield_value(fields["source_ip"])
    # No savepoint: an audit entry that fails to write must fail the caller's whole transaction.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # From here until the caller commits, every other writer waits: keep this part short.
        lane = _pick_lane()
        cursor.execute(sql.lock_head, [lane])
        row = cursor.fetchone()
        last_seq, last_hash = row if row is not None else _head_row_create(lane)
        fields["seq"] = last_seq + 1
        fields["created_at"] = datetime.now(UTC)
        fields["prev_hash"] = last_hash
        digest = entry_hash(**fields)
        params = [
            lane,
            fields["seq"],
            ops.adapt_datetimefield_value(fields["created_at"]),
            fields["actor_id"],
            fields["actor_name"],
            action,
            object_type,
            fields["object_id"],
            source_ip,
            fields["changed_fields"],
            fields["change_digest"],
            last_hash,
            digest,
        ]
        if sql.move_head is None:
            cursor.execute(sql.insert, [*params, fields["seq"], digest, lane])
            pk = cursor.fetchone()[0]
        else:
            cursor.execute(sql.insert, params)
            pk = cursor.lastrowid
            cursor.execute(sql.move_head, [fields["seq"], digest, lane])
    entry.id, entry.lane, entry.seq, entry.created_at = pk, lane, fields["seq"], fields["created_at"]
    entry.prev_hash, entry.entry_hash = last_hash, digest
    entry._state.adding = False
    entry._state.db = connection.alias
    return entry


# --- verify ---------------------------------------------------------------------------------------------


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


# What verification reads of each entry: its id, then the inserted columns after the lane (it walks one lane).
_VERIFY_FIELDS = ("id", *_INSERT_COLUMNS[1:])


def _rows(chunk_size: int, lane: int) -> Iterator[tuple[Any, ...]]:
    """Every entry in seq order, as raw tuples, a chunk per query: no cursor or transaction stays open between
    chunks (on SQLite, writers go on writing), and memory stays flat however long the chain.

    An intact chain numbers its entries 1, 2, 3 …, so the chunk after seq n is the range n+1 … n+chunk_size: a
    range on the unique seq index, which the planner serves from the index even before the table has
    statistics (an open-ended "seq > n LIMIT k" can get a full scan and sort per chunk then). When a range
    comes back short (the end, or a gap the walk will stop at), the next query is open-ended.

    created_at comes back as epoch microseconds on PostgreSQL, as its stored text on SQLite, and as a datetime
    elsewhere (_micros turns the last two into microseconds)."""
    quote = connection.ops.quote_name
    columns = _columns(_VERIFY_FIELDS)
    if connection.vendor == "postgresql":  # exact: EXTRACT gives numeric, timestamps hold whole microseconds
        columns[2] = f"(EXTRACT(EPOCH FROM {columns[2]}) * 1000000)::bigint"
    elif connection.vendor == "sqlite":  # skip the slow regex converter Django registers for datetime columns
        columns[2] = f"CAST({columns[2]} AS TEXT)"
    select = f"SELECT {', '.join(columns)} FROM {quote(AuditEntry._meta.db_table)}"  # noqa: S608
    seq = columns[1]
    in_lane = f"{quote('lane')} = {int(lane)}"
    first = f"{select} WHERE {in_lane} ORDER BY {seq} LIMIT %s"
    next_range = f"{select} WHERE {in_lane} AND {seq} > %s AND {seq} <= %s ORDER BY {seq}"
    after = f"{select} WHERE {in_lane} AND {seq} > %s ORDER BY {seq} LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(first, [chunk_size])
        rows = cursor.fetchall()
        while rows:
            yield from rows
            last = rows[-1][1]
            cursor.execute(next_range, [last, last + chunk_size])
            rows = cursor.fetchall()
            if len(rows) < chunk_size:
                yield from rows
                cursor.execute(after, [rows[-1][1] if rows else last, chunk_size])
                rows = cursor.fetchall()


def _micros(created_at: datetime | str) -> int:
    if isinstance(created_at, str):
        created_at = datetime.fromisoformat(created_at)
    epoch = NAIVE_EPOCH if created_at.tzinfo is None else EPOCH  # naive values are UTC (USE_TZ)
    return (created_at - epoch) // ONE_MICROSECOND


def _first_break(rows: Iterable[tuple[Any, ...]], genesis: str) -> tuple[int, ChainBreak | None, int, str]:
    expected_seq, prev = 1, genesis
    checked = 0
    content, hash_hex = _content, _sm3_hex
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
            return checked, ChainBreak(pk, seq, f"序号不连续：应为 {expected_seq}"), expected_seq, prev
        if prev_hash != prev:
            return checked, ChainBreak(pk, seq, "前序哈希不符"), expected_seq, prev
        micros = created_at if type(created_at) is int else _micros(created_at)
        text = content(
            seq,
            micros,
            actor_id,
            actor_name,
            action,
            object_type,
            object_id,
            source_ip or "",
            changed_fields,
            digest,
            prev_hash,
        )
        if hash_hex(text.encode()) != stored_hash:
            return checked, ChainBreak(pk, seq, "内容哈希不符(条目被修改)"), expected_seq, prev
        checked += 1
        expected_seq, prev = seq + 1, stored_hash
    return checked, None, expected_seq, prev


def _lanes() -> list[int]:
    """Every lane that has a head or an entry: a lane whose head row was deleted is still walked."""
    heads = set(AuditChainHead.objects.values_list("pk", flat=True))
    return sorted(heads | set(AuditEntry.objects.values_list("lane", flat=True).distinct()))


def audit_verify(chunk_size: int = 5000) -> VerifyResult:
    """Walk every lane of the chain; report the first entry whose sequence or hashes do not hold.

    The heads are read BEFORE the walk: appends committing meanwhile only add entries after them, which the
    walk checks too. A lane is whole when the walk reaches its head's position with the head's hash there."""
    heads = {head.pk: (head.last_seq, head.last_hash) for head in AuditChainHead.objects.all()}
    total = 0
    for lane in _lanes():
        checked, broken, next_seq, tip = _first_break(_rows(chunk_size, lane), genesis_hash(lane))
        total += checked
        if broken is None:
            broken = _tail_break(lane, heads.get(lane), next_seq - 1, tip)
        if broken is not None:
            return VerifyResult(checked=total, broken=broken)
    return VerifyResult(checked=total, broken=None)


def _tail_break(lane: int, head: tuple[int, str] | None, last_seq: int, tip: str) -> ChainBreak | None:
    if head is None:  # no head when the walk began: a lane started meanwhile, or its head row was deleted
        if not last_seq or AuditChainHead.objects.filter(pk=lane).exists():
            return None
        return ChainBreak(None, 1, f"第 {lane} 链的链头记录缺失")
    head_seq, head_hash = head
    if last_seq < head_seq:
        return ChainBreak(None, last_seq + 1, f"第 {lane} 链链尾缺失：链头记录到第 {head_seq} 条")
    at_head = tip if last_seq == head_seq else _hash_at(lane, head_seq)
    if at_head != head_hash:
        return ChainBreak(None, head_seq, f"第 {lane} 链链头与第 {head_seq} 条的哈希不符")
    return None


def _hash_at(lane: int, seq: int) -> str:
    if seq == 0:
        return genesis_hash(lane)
    found = AuditEntry.objects.filter(lane=lane, seq=seq).values_list("entry_hash", flat=True).first()
    return found or ""
