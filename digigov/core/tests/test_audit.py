"""The audit chain: appends form an unbroken SM3 chain, and verify names the first entry that was tampered with.

The session database already holds the demo city's audit entries, so these tests work relative to the chain
head they find, except where a test empties the chain itself (its transaction rolls back afterwards).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import hypothesis
import pytest
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from hypothesis import strategies as st

from digigov.core.audit import (
    GENESIS_HASH,
    audit_append,
    audit_verify,
    change_digest,
    entry_hash,
)
from digigov.core.crypto import sm3_hex
from digigov.core.middleware import RequestContextMiddleware
from digigov.core.models import AuditChainHead, AuditEntry
from digigov.core.request_context import RequestContext, reset_request_context, set_request_context

pytestmark = pytest.mark.django_db

HASH_FIELDS = (
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
)


class FakeActor:
    """Anything with a pk and a login name can be an actor (the Actor protocol)."""

    def __init__(self, pk: int, username: str) -> None:
        self.pk = pk
        self.username = username

    def get_username(self) -> str:
        return self.username


def _append_many(count: int, *, action: str = "test.append") -> list[AuditEntry]:
    return [audit_append(actor=None, action=action, object_type="test", object_id=i) for i in range(count)]


def _head() -> tuple[int, str]:
    head = AuditChainHead.objects.get(pk=1)
    return head.last_seq, head.last_hash


def _recomputed(entry: AuditEntry) -> str:
    return entry_hash(**{name: getattr(entry, name) for name in HASH_FIELDS})


@pytest.fixture
def ten() -> list[AuditEntry]:
    """Ten fresh entries at the end of the (demo city's) chain, which is intact beforehand."""
    assert audit_verify().intact
    return _append_many(10)


# --- format ---------------------------------------------------------------------------------------------


def test_entry_hash_format_is_pinned() -> None:
    """The hash covers canonical JSON of the content list; changing it would orphan every stored chain."""
    fields: dict[str, Any] = {
        "seq": 1,
        "created_at": datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        "actor_id": 7,
        "actor_name": "zhangsan",
        "action": "identity.citizen_register",
        "object_type": "审计",
        "object_id": "42",
        "source_ip": "203.0.113.9",
        "changed_fields": "id_number,mobile",
        "change_digest": "ab" * 32,
        "prev_hash": GENESIS_HASH,
    }
    canonical = (
        '[1,1767323045678901,7,"zhangsan","identity.citizen_register","审计","42","203.0.113.9",'
        f'"id_number,mobile","{"ab" * 32}","{GENESIS_HASH}"]'
    )
    assert entry_hash(**fields) == sm3_hex(canonical.encode())
    # the same instant in another time zone hashes the same (microseconds since the epoch)
    shanghai = fields | {"created_at": fields["created_at"].astimezone(ZoneInfo("Asia/Shanghai"))}
    assert entry_hash(**shanghai) == entry_hash(**fields)
    # no source IP hashes as the empty string
    assert entry_hash(**(fields | {"source_ip": None})) == entry_hash(**(fields | {"source_ip": ""}))


def _reference_entry_hash(fields: dict[str, Any]) -> str:
    """The hash format written out independently: SM3 over canonical JSON of the content list."""
    micros = (fields["created_at"] - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    content = [
        fields["seq"],
        micros,
        fields["actor_id"],
        fields["actor_name"],
        fields["action"],
        fields["object_type"],
        fields["object_id"],
        fields["source_ip"] or "",
        fields["changed_fields"],
        fields["change_digest"],
        fields["prev_hash"],
    ]
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return sm3_hex(canonical.encode())


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(
    seq=st.integers(min_value=1, max_value=2**62),
    created_at=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)),
    actor_id=st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1),
    text=st.lists(st.text(), min_size=7, max_size=7),
    source_ip=st.none() | st.sampled_from(["", "10.0.0.1", "2001:db8::5"]),
)
def test_entry_hash_matches_the_reference_for_any_content(
    seq: int, created_at: datetime, actor_id: int | None, text: list[str], source_ip: str | None
) -> None:
    """Quotes, backslashes, control characters, CJK, emoji: the hash is the canonical JSON's, always."""
    names = ("actor_name", "action", "object_type", "object_id", "changed_fields", "change_digest", "prev_hash")
    fields: dict[str, Any] = {
        "seq": seq,
        "created_at": created_at,
        "actor_id": actor_id,
        "source_ip": source_ip,
        **dict(zip(names, text, strict=True)),
    }
    assert entry_hash(**fields) == _reference_entry_hash(fields)


@pytest.mark.parametrize(
    "odd",
    [{"object_id": 42}, {"actor_id": True}, {"seq": True}, {"action": None}, {"object_id": b"raw"}],
    ids=["int-object-id", "bool-actor", "bool-seq", "none-action", "bytes-object-id"],
)
def test_entry_hash_of_values_of_other_types_is_still_the_canonical_json(odd: dict[str, Any]) -> None:
    fields: dict[str, Any] = {
        "seq": 3,
        "created_at": datetime(2026, 5, 1, tzinfo=UTC),
        "actor_id": None,
        "actor_name": "system",
        "action": "a",
        "object_type": "t",
        "object_id": "1",
        "source_ip": None,
        "changed_fields": "",
        "change_digest": "d",
        "prev_hash": GENESIS_HASH,
    } | odd
    assert entry_hash(**fields) == _reference_entry_hash(fields)


def test_change_digest_covers_values_canonically() -> None:
    changes = {"mobile": "13812345678", "id_number": "210502199001011234"}
    assert change_digest(changes) == sm3_hex(b'{"id_number":"210502199001011234","mobile":"13812345678"}')
    assert change_digest(dict(reversed(list(changes.items())))) == change_digest(changes)  # key order
    assert change_digest(changes | {"mobile": "13812345679"}) != change_digest(changes)  # one value differs
    assert change_digest({"名称": "本溪市"}) == sm3_hex('{"名称":"本溪市"}'.encode())  # UTF-8, not \\u escapes


# --- append ---------------------------------------------------------------------------------------------


def test_append_continues_the_chain() -> None:
    start_seq, start_hash = _head()
    entries = _append_many(5)
    assert [e.seq for e in entries] == list(range(start_seq + 1, start_seq + 6))
    assert entries[0].prev_hash == start_hash
    for previous, entry in pairwise(entries):
        assert entry.prev_hash == previous.entry_hash
    for entry in entries:
        assert entry.entry_hash == _recomputed(entry)
        stored = AuditEntry.objects.get(pk=entry.pk)
        assert stored.entry_hash == entry.entry_hash == _recomputed(stored)  # survives the database round trip
    assert _head() == (entries[-1].seq, entries[-1].entry_hash)


def test_returned_entry_is_the_stored_row() -> None:
    token = set_request_context(RequestContext(source_ip="198.51.100.4"))
    try:
        entry = audit_append(
            actor=FakeActor(5, "staff.li"), action="test.row", object_type="t", object_id=9, changes={"b": 1, "a": 2}
        )
    finally:
        reset_request_context(token)
    assert entry.pk is not None
    assert not entry._state.adding
    stored = AuditEntry.objects.get(pk=entry.pk)
    for name in (*HASH_FIELDS, "entry_hash", "id"):
        assert getattr(stored, name) == getattr(entry, name), name
    entry.refresh_from_db()  # a normal model instance
    assert str(entry) == f"#{stored.seq} test.row t:9"


def test_whole_chain_is_numbered_one_to_n() -> None:
    _append_many(3)
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert AuditEntry.objects.get(seq=1).prev_hash == GENESIS_HASH


def test_append_on_an_empty_chain_starts_at_genesis() -> None:
    AuditEntry.objects.all().delete()  # rolled back with the test
    AuditChainHead.objects.all().delete()
    assert audit_verify().intact  # an empty chain is intact
    entries = _append_many(3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS_HASH
    assert _head() == (3, entries[-1].entry_hash)
    result = audit_verify()
    assert result.intact
    assert result.checked == 3


def test_actor_is_recorded_by_id_and_login_name() -> None:
    entry = audit_append(actor=FakeActor(77, "staff.wang"), action="test.actor")
    assert (entry.actor_id, entry.actor_name) == (77, "staff.wang")
    system = audit_append(actor=None, action="test.system")
    assert (system.actor_id, system.actor_name) == (None, "system")
    assert audit_verify().intact


def test_entry_stores_field_names_but_never_values() -> None:
    secret_id, secret_mobile = "210502199001011234", "13812345678"
    changes = {"mobile": secret_mobile, "id_number": secret_id, "real_name": "王小明"}
    entry = audit_append(actor=None, action="test.pii", object_type="citizen", object_id=5, changes=changes)
    assert entry.changed_fields == "id_number,mobile,real_name"
    assert entry.change_digest == change_digest(changes)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuditEntry._meta.db_table} WHERE id = %s", [entry.pk])  # noqa: S608
        row = cursor.fetchone()
    assert row is not None
    stored = " ".join(str(value) for value in row)
    for value in (secret_id, secret_mobile, "王小明", secret_id[6:14], secret_mobile[3:]):
        assert value not in stored


def test_changed_fields_are_capped_to_the_column() -> None:
    changes = {f"field_{i:03d}": i for i in range(100)}  # 100 * 9 characters + commas
    entry = audit_append(actor=None, action="test.many_fields", changes=changes)
    assert len(entry.changed_fields) == 500
    assert audit_verify().intact  # the hash covers the stored (capped) text


def test_source_ip_comes_from_the_request_context() -> None:
    token = set_request_context(RequestContext(source_ip="203.0.113.7"))
    try:
        entry = audit_append(actor=None, action="test.ip")
    finally:
        reset_request_context(token)
    assert AuditEntry.objects.get(pk=entry.pk).source_ip == "203.0.113.7"
    assert audit_append(actor=None, action="test.no_ip").source_ip is None  # context reset: no address
    assert audit_verify().intact


@pytest.mark.parametrize(
    ("remote_addr", "stored"),
    [
        ("2001:DB8::5", "2001:db8::5"),
        ("2001:0db8:0000:0000:0000:0000:0000:0005", "2001:db8::5"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("192.0.2.1", "192.0.2.1"),
    ],
)
def test_source_ip_is_hashed_as_the_column_stores_it(remote_addr: str, stored: str) -> None:
    """The column normalises IPv6; the hash must cover the stored form, or verify would cry tampering."""
    token = set_request_context(RequestContext(source_ip=remote_addr))
    try:
        entry = audit_append(actor=None, action="test.ipv6")
    finally:
        reset_request_context(token)
    assert entry.source_ip == stored
    assert AuditEntry.objects.get(pk=entry.pk).source_ip == stored
    assert audit_verify().intact


def test_middleware_puts_remote_addr_into_the_entry() -> None:
    recorded: list[AuditEntry] = []

    def view(request: HttpRequest) -> HttpResponse:
        recorded.append(audit_append(actor=None, action="test.via_request"))
        return HttpResponse("ok")

    request = RequestFactory().post("/x", REMOTE_ADDR="2001:db8::5")
    RequestContextMiddleware(view)(request)
    assert recorded[0].source_ip == "2001:db8::5"
    assert AuditEntry.objects.get(pk=recorded[0].pk).source_ip == "2001:db8::5"


def test_rollback_of_the_callers_transaction_removes_its_entry() -> None:
    before_count, before_head = AuditEntry.objects.count(), _head()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_append(actor=None, action="test.rolled_back")
        raise RuntimeError("the service failed after auditing")
    assert AuditEntry.objects.count() == before_count
    assert not AuditEntry.objects.filter(action="test.rolled_back").exists()
    assert _head() == before_head
    kept = audit_append(actor=None, action="test.after_rollback")  # the seq is reused: no gap
    assert kept.seq == before_head[0] + 1
    assert kept.prev_hash == before_head[1]
    assert audit_verify().intact


def test_rollback_of_an_inner_service_keeps_the_outer_entry() -> None:
    start_seq, _ = _head()
    with transaction.atomic():
        outer = audit_append(actor=None, action="test.outer")
        with pytest.raises(ValueError), transaction.atomic():
            audit_append(actor=None, action="test.inner")
            raise ValueError
    assert outer.seq == start_seq + 1
    assert list(AuditEntry.objects.filter(seq__gt=start_seq).values_list("action", flat=True)) == ["test.outer"]
    assert audit_verify().intact


# --- verify ---------------------------------------------------------------------------------------------


def test_verify_is_intact_on_the_demo_chain_and_counts_every_entry() -> None:
    result = audit_verify()
    assert result.intact
    assert result.broken is None
    assert result.checked == AuditEntry.objects.count() > 0
    _append_many(4)
    assert audit_verify().checked == result.checked + 4


def test_verify_with_small_chunks_reads_the_whole_chain() -> None:
    _append_many(7)
    assert audit_verify(chunk_size=3).checked == AuditEntry.objects.count()


@pytest.mark.parametrize(
    "change",
    [
        {"action": "identity.nothing_happened"},
        {"actor_name": "mallory"},
        {"actor_id": 4242},
        {"object_type": "user"},
        {"object_id": "999"},
        {"source_ip": "10.6.6.6"},
        {"changed_fields": "real_name"},
        {"change_digest": "0" * 64},
        {"created_at": "plus one microsecond"},
        {"entry_hash": "e" * 64},
        {"prev_hash": "f" * 64},
    ],
    ids=lambda change: next(iter(change)),
)
def test_altered_entry_is_reported(ten: list[AuditEntry], change: dict[str, Any]) -> None:
    target = ten[4]
    if "created_at" in change:
        change = {"created_at": target.created_at + timedelta(microseconds=1)}
    assert AuditEntry.objects.filter(pk=target.pk).update(**change) == 1
    result = audit_verify()
    assert result.broken is not None
    assert result.broken.entry_id == target.pk
    assert result.broken.seq == target.seq
    assert result.checked == target.seq - 1
    assert not result.intact


def test_altered_entry_with_recomputed_own_hash_breaks_the_next_link(ten: list[AuditEntry]) -> None:
    """A forger who recomputes the altered entry's hash still breaks the following entry's prev_hash."""
    target = ten[4]
    target.action = "identity.nothing_happened"
    target.entry_hash = _recomputed(target)
    AuditEntry.objects.filter(pk=target.pk).update(action=target.action, entry_hash=target.entry_hash)
    broken = audit_verify().broken
    assert broken is not None
    assert broken.entry_id == ten[5].pk


def test_first_of_several_alterations_is_reported(ten: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(pk__in=[ten[7].pk, ten[2].pk, ten[9].pk]).update(object_id="x")
    broken = audit_verify().broken
    assert broken is not None
    assert broken.entry_id == ten[2].pk


def test_deleted_middle_entry_is_reported(ten: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(pk=ten[3].pk).delete()
    result = audit_verify()
    assert result.broken is not None
    assert result.broken.entry_id == ten[4].pk  # the first entry whose predecessor is missing
    assert result.checked == ten[3].seq - 1


def test_deleted_first_entry_is_reported() -> None:
    first = AuditEntry.objects.get(seq=1)
    second = AuditEntry.objects.get(seq=2)
    first.delete()
    broken = audit_verify().broken
    assert broken is not None
    assert broken.entry_id == second.pk


def test_deleted_last_entry_is_reported_against_the_head(ten: list[AuditEntry]) -> None:
    tip = ten[-1]
    AuditEntry.objects.filter(pk=tip.pk).delete()
    result = audit_verify()
    assert result.broken is not None
    assert result.broken.entry_id is None  # nothing after the gap to name: the head row records the tip
    assert result.broken.seq == tip.seq
    assert result.checked == tip.seq - 1
    assert str(tip.seq) in result.broken.reason


def test_deleted_tail_of_several_entries_is_reported(ten: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(pk__in=[e.pk for e in ten[6:]]).delete()
    result = audit_verify()
    assert result.broken is not None
    assert result.broken.entry_id is None
    assert result.broken.seq == ten[6].seq


def test_deleted_head_row_is_reported(ten: list[AuditEntry]) -> None:
    AuditChainHead.objects.all().delete()
    result = audit_verify()
    assert result.broken is not None
    assert result.broken.entry_id is None


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 4, 7, 5000])
@pytest.mark.parametrize("position", [0, 2, 3, 8, 9])
def test_deletion_is_found_whatever_the_chunking(ten: list[AuditEntry], chunk_size: int, position: int) -> None:
    """Verification reads in chunks; a gap at, before or after a chunk boundary is found all the same."""
    AuditEntry.objects.filter(pk=ten[position].pk).delete()
    result = audit_verify(chunk_size=chunk_size)
    assert result.broken is not None
    expected_id = ten[position + 1].pk if position < 9 else None
    assert result.broken.entry_id == expected_id
    assert result.checked == ten[position].seq - 1


@pytest.mark.parametrize("chunk_size", [1, 3, 5000])
@pytest.mark.parametrize("new_seq", [0, -5, 10**12])
def test_entry_moved_out_of_sequence_is_found(ten: list[AuditEntry], chunk_size: int, new_seq: int) -> None:
    AuditEntry.objects.filter(pk=ten[6].pk).update(seq=new_seq)
    broken = audit_verify(chunk_size=chunk_size).broken
    assert broken is not None
    if new_seq <= 0:  # now sorts first
        assert (broken.entry_id, broken.seq) == (ten[6].pk, new_seq)
    else:
        assert broken.entry_id == ten[7].pk


def _renumber_after(seq: int) -> None:
    """Shift every later entry up by one (two steps, so the unique seq never collides mid-update)."""
    AuditEntry.objects.filter(seq__gt=seq).update(seq=F("seq") + 1_000_000_000)
    AuditEntry.objects.filter(seq__gt=1_000_000_000).update(seq=F("seq") - 999_999_999)


def _forged_fields(after: AuditEntry) -> dict[str, Any]:
    return {
        "seq": after.seq + 1,
        "created_at": after.created_at + timedelta(milliseconds=3),
        "actor_id": None,
        "actor_name": "system",
        "action": "identity.role_grant",
        "object_type": "user",
        "object_id": "1",
        "source_ip": None,
        "changed_fields": "role",
        "change_digest": change_digest({"role": "sysadmin"}),
        "prev_hash": after.entry_hash,
    }


def test_inserted_entry_with_a_plausible_hash_is_reported(ten: list[AuditEntry]) -> None:
    _renumber_after(ten[4].seq)
    fields = _forged_fields(ten[4])
    forged = AuditEntry.objects.create(**fields, entry_hash=secrets.token_hex(32))  # looks like an SM3 hex
    result = audit_verify()
    assert result.broken is not None
    assert result.broken.entry_id == forged.pk
    assert result.broken.seq == ten[4].seq + 1


def test_inserted_entry_with_a_correctly_computed_hash_is_reported(ten: list[AuditEntry]) -> None:
    """The forger knows the hash function: the forged entry itself checks out, the next link does not."""
    _renumber_after(ten[4].seq)
    fields = _forged_fields(ten[4])
    AuditEntry.objects.create(**fields, entry_hash=entry_hash(**fields))
    result = audit_verify()
    assert result.broken is not None
    assert result.broken.entry_id == ten[5].pk
    assert result.broken.seq == ten[5].seq + 1


def test_inserted_entry_without_renumbering_is_reported(ten: list[AuditEntry]) -> None:
    """Taking over a seq: the displaced entry is moved away, the forged one takes its number."""
    AuditEntry.objects.filter(pk=ten[4].pk).update(seq=10**12)
    fields = _forged_fields(ten[3])
    forged = AuditEntry.objects.create(**fields, entry_hash=entry_hash(**fields))
    broken = audit_verify().broken
    assert broken is not None
    assert broken.entry_id == ten[5].pk  # ten[5] links to the displaced entry, not to the forged one
    assert forged.seq == ten[4].seq


def test_swapped_entries_are_reported(ten: list[AuditEntry]) -> None:
    a, b = ten[2], ten[3]
    AuditEntry.objects.filter(pk=a.pk).update(seq=-1)
    AuditEntry.objects.filter(pk=b.pk).update(seq=a.seq)
    AuditEntry.objects.filter(pk=a.pk).update(seq=b.seq)
    broken = audit_verify().broken
    assert broken is not None
    assert broken.entry_id == b.pk  # now at a's position, with the wrong predecessor


# --- concurrency ----------------------------------------------------------------------------------------

WRITERS = 8
APPENDS_PER_WRITER = 50


def _shared_cache_lock(exc: OperationalError) -> bool:
    """SQLite's in-memory test database is a shared cache, where a second writer gets SQLITE_LOCKED at once
    instead of waiting out the busy timeout as it does on the file database the platform runs on (WAL,
    BEGIN IMMEDIATE). Only there may a writer retry; on PostgreSQL and file SQLite every error is real."""
    return connection.vendor == "sqlite" and connection.is_in_memory_db() and "database table is locked" in str(exc)


@pytest.fixture
def join_threads() -> Iterator[list[threading.Thread]]:
    threads: list[threading.Thread] = []
    yield threads
    for thread in threads:
        thread.join(timeout=120)


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_fork_the_chain(join_threads: list[threading.Thread]) -> None:
    before = AuditEntry.objects.count()
    assert audit_verify().intact
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def append_one(number: int, i: int) -> None:
        for _attempt in range(1000):
            try:
                with transaction.atomic():
                    audit_append(actor=None, action="test.concurrent", object_type="writer", object_id=f"{number}:{i}")
                return
            except OperationalError as exc:
                if not _shared_cache_lock(exc):
                    raise
                time.sleep(0.001)  # the whole transaction rolled back: nothing half-written to clean up
        raise AssertionError("gave up waiting for the SQLite shared-cache lock")

    def writer(number: int) -> None:
        try:
            start.wait(timeout=30)
            for i in range(APPENDS_PER_WRITER):
                append_one(number, i)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    for number in range(WRITERS):
        thread = threading.Thread(target=writer, args=(number,), name=f"audit-writer-{number}")
        join_threads.append(thread)
        thread.start()
    for thread in join_threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), "a writer hung"
    assert errors == []

    total = WRITERS * APPENDS_PER_WRITER
    assert AuditEntry.objects.count() == before + total
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, before + total + 1))  # contiguous, no duplicates
    written = AuditEntry.objects.filter(action="test.concurrent").values_list("object_id", flat=True)
    assert sorted(written) == sorted(f"{n}:{i}" for n in range(WRITERS) for i in range(APPENDS_PER_WRITER))
    prev_hashes = list(AuditEntry.objects.values_list("prev_hash", flat=True))
    assert len(set(prev_hashes)) == len(prev_hashes)  # no two entries claim the same predecessor: no fork
    result = audit_verify()
    assert result.intact
    assert result.checked == before + total
    assert _head()[0] == before + total
