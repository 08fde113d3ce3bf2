"""core.idempotency: create once per client × operation × key, replay the stored answer, refuse a reused key with
other content, commit the key with what it created (or neither), survive two concurrent requests, prune old keys.

The created object here is an audit entry (a real core write in a transaction), so nothing of a domain is needed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digigov.core.audit import audit_append
from digigov.core.crypto import CryptoError
from digigov.core.errors import Conflict
from digigov.core.idempotency import (
    Outcome,
    body_purpose,
    http_answer,
    idempotency_prune,
    key_digest,
    request_digest,
    run_idempotent,
)
from digigov.core.models import AuditEntry, IdempotencyKey
from digigov.core.protected import unseal

OPERATION = "test.thing_create"


class Calls:
    """Counts the creates that ran (committed or not)."""

    def __init__(self) -> None:
        self.count = 0

    def create(self, note: str = "") -> AuditEntry:
        self.count += 1
        return audit_append(actor=None, action=OPERATION, object_type="thing", changes={"note": note})


def submit(
    calls: Calls, key: str, request: object, *, client: str = "user:1", operation: str = OPERATION
) -> Outcome[AuditEntry]:
    return run_idempotent(
        client=client,
        operation=operation,
        key=key,
        request=request,
        create=lambda: calls.create(str(request)),
        load=lambda pk: AuditEntry.objects.get(pk=pk),
        answer=lambda entry: (201, {"id": entry.pk, "note": str(request), "手机": "138****5678"}),
    )


@pytest.mark.django_db
def test_the_first_request_creates_and_a_retry_gets_the_stored_answer() -> None:
    calls = Calls()
    first = submit(calls, "k-1", {"a": 1})
    assert not first.replayed and first.status == 201 and first.body["id"] == first.value.pk
    again = submit(calls, "k-1", {"a": 1})
    assert again.replayed and again.value.pk == first.value.pk
    assert (again.status, again.body) == (first.status, first.body)  # what the first request answered
    assert calls.count == 1 and AuditEntry.objects.filter(action=OPERATION).count() == 1
    assert http_answer(first, lambda _: None) == (201, first.body)
    assert http_answer(again, lambda _: None) == (200, first.body)  # the API's contract: 200 for the same again
    row = IdempotencyKey.objects.get()
    assert row.key_digest == key_digest("k-1") and "k-1" not in row.key_digest
    assert row.request_digest == request_digest({"a": 1}) and row.object_id == str(first.value.pk)
    assert b"138" not in bytes(row.body_sealed)  # the body is sealed: it may carry personal data
    purpose = body_purpose(client=row.client, operation=row.operation, key_digest=row.key_digest)
    assert "138****5678" in unseal(purpose, row.body_sealed)
    with pytest.raises(CryptoError):  # sealed for its own row: the same body under another key does not open
        unseal(body_purpose(client="user:2", operation=row.operation, key_digest=row.key_digest), row.body_sealed)


@pytest.mark.django_db
def test_a_reused_key_with_other_content_is_a_conflict_and_creates_nothing() -> None:
    calls = Calls()
    submit(calls, "k-1", {"a": 1})
    with pytest.raises(Conflict) as caught:
        submit(calls, "k-1", {"a": 2})
    assert caught.value.status == 409 and "idempotency_key" in caught.value.fields
    assert calls.count == 1 and IdempotencyKey.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_one_client_and_one_operation() -> None:
    calls = Calls()
    mine = submit(calls, "k-1", {"a": 1})
    theirs = submit(calls, "k-1", {"a": 1}, client="user:2")
    other_operation = submit(calls, "k-1", {"a": 1}, operation="test.other_create")
    assert not theirs.replayed and not other_operation.replayed
    assert len({mine.value.pk, theirs.value.pk, other_operation.value.pk}) == 3 and calls.count == 3


@pytest.mark.django_db
def test_without_a_key_every_request_creates_and_nothing_is_stored() -> None:
    calls = Calls()
    first, second = submit(calls, "", {"a": 1}), submit(calls, "", {"a": 1})
    assert first.value.pk != second.value.pk and not second.replayed
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_a_failed_create_stores_no_key_and_the_key_can_be_used_again() -> None:
    def failing() -> AuditEntry:
        audit_append(actor=None, action=OPERATION, object_type="thing")
        raise Conflict("不行")

    before = AuditEntry.objects.count()
    with pytest.raises(Conflict):
        run_idempotent(
            client="user:1",
            operation=OPERATION,
            key="k-1",
            request={},
            create=failing,
            load=lambda pk: AuditEntry.objects.get(pk=pk),
        )
    assert AuditEntry.objects.count() == before and not IdempotencyKey.objects.exists()
    assert not submit(Calls(), "k-1", {}).replayed


@pytest.mark.django_db
def test_the_key_and_what_it_created_commit_together_or_not_at_all() -> None:
    """An answer that cannot be made (or a key row that cannot be written) rolls the create back with it."""
    before = AuditEntry.objects.count()

    def no_answer(entry: AuditEntry) -> Any:
        raise RuntimeError("crash after the create")

    with pytest.raises(RuntimeError):
        run_idempotent(
            client="user:1",
            operation=OPERATION,
            key="k-1",
            request={},
            create=Calls().create,
            load=lambda pk: AuditEntry.objects.get(pk=pk),
            answer=no_answer,
        )
    assert AuditEntry.objects.count() == before and not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_a_key_whose_object_is_gone_answers_a_conflict() -> None:
    first = submit(Calls(), "k-1", {})
    IdempotencyKey.objects.update(object_id="0")
    with pytest.raises(Conflict):
        submit(Calls(), "k-1", {})
    assert first.value.pk != 0


@pytest.mark.django_db
def test_prune_removes_the_keys_older_than_the_retention(settings: Any) -> None:
    settings.IDEMPOTENCY_KEY_DAYS = 7
    submit(Calls(), "old", {})
    submit(Calls(), "new", {})
    now = timezone.now()
    IdempotencyKey.objects.filter(key_digest=key_digest("old")).update(created_at=now - timedelta(days=7, seconds=1))
    IdempotencyKey.objects.filter(key_digest=key_digest("new")).update(created_at=now - timedelta(days=6, hours=23))
    assert idempotency_prune(now=now) == 1
    assert list(IdempotencyKey.objects.values_list("key_digest", flat=True)) == [key_digest("new")]
    assert idempotency_prune(now=now) == 0
    # After the retention a retry is a new request.
    assert not submit(Calls(), "old", {}).replayed
    call_command("idempotency_prune")  # the command runs the same function
    assert idempotency_prune(now=now + timedelta(days=8)) == 2


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_create_once() -> None:
    """Both requests miss the key and both run the create; exactly one commits it, the other answers with its
    result. PostgreSQL: both creates overlap (the barrier inside create proves it) and the second key INSERT
    waits for the first transaction, then fails on the unique constraint. SQLite: the IMMEDIATE transactions
    run one after the other, and the second, having missed the key before its transaction, fails the same way."""
    overlap = connection.vendor == "postgresql"
    before = AuditEntry.objects.filter(action=OPERATION).count()
    start, inside = threading.Barrier(2), threading.Barrier(2)
    calls = Calls()
    outcomes: list[Outcome[AuditEntry]] = []
    failures: list[BaseException] = []

    def create() -> AuditEntry:
        if overlap:
            inside.wait(timeout=10)  # both requests are inside their transactions, past the lookup
        else:
            time.sleep(0.3)  # the other request makes its lookup meanwhile
        return calls.create("same")

    def request() -> None:
        try:
            start.wait(timeout=10)
            outcomes.append(
                run_idempotent(
                    client="user:1",
                    operation=OPERATION,
                    key="double-click",
                    request={"same": True},
                    create=create,
                    load=lambda pk: AuditEntry.objects.get(pk=pk),
                    answer=lambda entry: (201, {"id": entry.pk}),
                )
            )
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    assert calls.count == 2  # both missed the key: the race was real
    assert sorted(o.replayed for o in outcomes) == [False, True]
    assert outcomes[0].value.pk == outcomes[1].value.pk and outcomes[0].body == outcomes[1].body
    assert AuditEntry.objects.filter(action=OPERATION).count() == before + 1
    assert IdempotencyKey.objects.filter(key_digest=key_digest("double-click")).count() == 1


@pytest.mark.django_db
def test_prepare_checks_before_the_transaction_and_a_refusal_opens_none() -> None:
    def refuse() -> Callable[[], AuditEntry]:
        raise Conflict("不行")

    with CaptureQueriesContext(connection) as queries, pytest.raises(Conflict):
        run_idempotent(
            client="user:1",
            operation=OPERATION,
            key="k-1",
            request={},
            prepare=refuse,
            load=lambda pk: AuditEntry.objects.get(pk=pk),
        )
    sql = " ".join(q["sql"].lower() for q in queries.captured_queries)
    assert "savepoint" not in sql and "insert" not in sql
    calls = Calls()
    outcome = run_idempotent(
        client="user:1",
        operation=OPERATION,
        key="k-1",
        request={},
        prepare=lambda: calls.create,
        load=lambda pk: AuditEntry.objects.get(pk=pk),
    )
    assert not outcome.replayed and calls.count == 1 and IdempotencyKey.objects.count() == 1
