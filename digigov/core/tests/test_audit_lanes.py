"""The audit chain with several lanes (the production default): appends spread, every lane verifies, and
tampering in any lane is found. Other audit tests run with one lane (see conftest.py)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from digigov.core.audit import audit_append, audit_verify, genesis_hash
from digigov.core.models import AuditChainHead, AuditEntry


@pytest.fixture
def four_lanes(settings: Any) -> None:
    settings.AUDIT_CHAIN_LANES = 4


def _forget_lane() -> None:
    if hasattr(connection, "_digigov_audit_lane"):
        del connection._digigov_audit_lane


def _append(n: int) -> None:
    """n appends, each as if from a fresh connection (a connection keeps its lane once chosen)."""
    for i in range(n):
        _forget_lane()
        with transaction.atomic():
            audit_append(actor=None, action="test.lane", object_type="t", object_id=i, changes={"i": i})


@pytest.mark.django_db
def test_appends_spread_over_lanes_and_each_lane_is_a_chain(four_lanes: None) -> None:
    _append(200)
    lanes = set(AuditEntry.objects.filter(action="test.lane").values_list("lane", flat=True))
    assert lanes == {1, 2, 3, 4}
    for lane in lanes:
        seqs = list(AuditEntry.objects.filter(lane=lane).order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
        first = AuditEntry.objects.get(lane=lane, seq=1)
        assert first.prev_hash == genesis_hash(lane)
        head = AuditChainHead.objects.get(pk=lane)
        assert head.last_seq == len(seqs)
    assert audit_verify().intact


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", ["alter", "delete_middle", "delete_tip", "move_lane"])
def test_tampering_in_any_lane_is_found(four_lanes: None, tamper: str) -> None:
    _append(120)
    lane3 = AuditEntry.objects.filter(lane=3).order_by("seq")
    victim = lane3[len(lane3) // 2]
    if tamper == "alter":
        AuditEntry.objects.filter(pk=victim.pk).update(actor_name="someone-else")
    elif tamper == "delete_middle":
        AuditEntry.objects.filter(pk=victim.pk).delete()
    elif tamper == "delete_tip":
        AuditEntry.objects.filter(pk=lane3.last().pk).delete()  # type: ignore[union-attr]
    else:  # make it look like lane 4's next entry
        tip4 = AuditEntry.objects.filter(lane=4).order_by("-seq").first()
        assert tip4 is not None
        AuditEntry.objects.filter(pk=victim.pk).update(lane=4, seq=tip4.seq + 1)
    result = audit_verify()
    assert not result.intact
    assert result.broken is not None


@pytest.mark.django_db
def test_a_transaction_keeps_to_one_lane(four_lanes: None) -> None:
    """Two lanes locked in opposite orders by two transactions would deadlock; one lane per connection cannot."""
    _forget_lane()
    with transaction.atomic():
        entries = [audit_append(actor=None, action="test.same", object_id=i) for i in range(20)]
    assert len({entry.lane for entry in entries}) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_over_lanes_never_fork(demo_city: None, four_lanes: None) -> None:
    before = AuditEntry.objects.count()

    def writer() -> None:
        try:
            _append(40)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert AuditEntry.objects.count() == before + 240
    result = audit_verify()
    assert result.intact, result.broken


@pytest.mark.django_db(transaction=True)
def test_verify_during_concurrent_appends_raises_no_false_alarm(demo_city: None, four_lanes: None) -> None:
    """Appends committing while verify walks the chain are not a missing tail."""
    stop = threading.Event()

    def writer() -> None:
        try:
            while not stop.is_set():
                _append(1)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        results = [audit_verify(chunk_size=7) for _ in range(15)]
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert all(r.intact for r in results), [r.broken for r in results if not r.intact]
