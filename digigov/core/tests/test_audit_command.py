"""`manage.py audit_verify`: exit status 0 and the count when the chain holds, 1 and the first broken id when not."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from digigov.core.audit import audit_append
from digigov.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _run() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def _append(count: int) -> list[AuditEntry]:
    return [audit_append(actor=None, action="test.command", object_id=i) for i in range(count)]


def test_intact_chain_exits_zero_and_prints_the_count() -> None:
    _append(3)
    status, output = _run()
    assert status == 0
    assert "审计链完整" in output
    assert f"已校验 {AuditEntry.objects.count()} 条" in output
    assert "first broken entry id" not in output


def test_altered_entry_exits_one_and_names_it() -> None:
    entries = _append(5)
    AuditEntry.objects.filter(pk=entries[2].pk).update(actor_name="mallory")
    status, output = _run()
    assert status == 1
    assert f"first broken entry id: {entries[2].pk}\n" in output
    assert f"seq={entries[2].seq}" in output
    assert "审计链断裂" in output


def test_deleted_entry_exits_one_and_names_the_next_one() -> None:
    entries = _append(5)
    AuditEntry.objects.filter(pk=entries[1].pk).delete()
    status, output = _run()
    assert status == 1
    assert f"first broken entry id: {entries[2].pk}\n" in output


def test_deleted_tip_exits_one_and_names_the_tail() -> None:
    entries = _append(2)
    AuditEntry.objects.filter(pk=entries[-1].pk).delete()
    status, output = _run()
    assert status == 1
    assert "first broken entry id: tail" in output
    assert "链尾" in output
