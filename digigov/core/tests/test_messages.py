"""The message centre's write and delivery paths: in the caller's transaction, once per key, each chosen channel
delivered at least once with its delivery key (the SMS outbox keeps one message per key)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from digigov.core.errors import ValidationFailed
from digigov.core.messages import MessageKind, message_send, register_kind
from digigov.core.messages.channels import CHANNELS
from digigov.core.messages.delivery import backoff, outbox_claim, outbox_deliver
from digigov.core.messages.selectors import message_preferences_of, messages_of, unread_message_count
from digigov.core.messages.services import message_preferences_set, messages_mark_all_read, messages_mark_read
from digigov.core.models import DeliveryStatus, Message, OutboxDelivery, SmsOutboxMessage
from digigov.core.sms import outbox_for
from digigov.identity.models import User

pytestmark = pytest.mark.django_db

TEST_KIND = register_kind(
    MessageKind(
        code="test.reminder",
        label="测试提醒",
        title="{item}即将到期",
        body="您办理的{item}将于{due}到期，请及时处理。",
        channels=("sms", "email"),
        default_channels=("sms",),
    )
)
MANDATORY = register_kind(
    MessageKind(code="test.mandatory", label="必收", title="必收提醒", body="必须知道的事。", channels=("sms",),
                optional=False)
)
CHEN_MOBILE = "18900006438"


def citizen() -> User:
    return User.objects.get(username="chenhaoran")


def staff() -> User:
    return User.objects.get(username="zhangjianguo")


def send(recipient: User, **extra: Any) -> Message | None:
    with transaction.atomic():
        return message_send(
            recipient=recipient, kind=TEST_KIND.code, context={"item": "营业执照", "due": "12月8日"}, **extra
        )


def test_a_message_and_one_outbox_row_per_chosen_channel_are_written_with_the_change() -> None:
    message = send(citizen(), link="/services/my/1/", obj=citizen())
    assert message is not None
    stored = Message.objects.get(pk=message.pk)
    assert (stored.title, stored.body) == ("营业执照即将到期", "您办理的营业执照将于12月8日到期，请及时处理。")
    assert (stored.object_type, stored.object_id) == ("identity.user", str(citizen().pk))
    assert stored.link == "/services/my/1/"
    rows = list(OutboxDelivery.objects.filter(message=message))
    assert [(r.channel, r.status, r.delivery_key) for r in rows] == [("sms", "pending", f"msg-{message.pk}-sms")]


def test_a_rolled_back_change_tells_no_one() -> None:
    before = Message.objects.count(), OutboxDelivery.objects.count()
    with pytest.raises(RuntimeError, match="rolled back"), transaction.atomic():
        message_send(recipient=citizen(), kind=TEST_KIND.code, context={"item": "x", "due": "y"})
        raise RuntimeError("rolled back")
    assert (Message.objects.count(), OutboxDelivery.objects.count()) == before


def test_message_send_refuses_to_run_outside_a_transaction(django_db_blocker: Any) -> None:
    from django.db import connection

    saved = connection.in_atomic_block
    connection.in_atomic_block = False  # as in autocommit (the test itself runs in a transaction)
    try:
        with pytest.raises(RuntimeError, match="transaction"):
            message_send(recipient=citizen(), kind=TEST_KIND.code, context={"item": "x", "due": "y"})
    finally:
        connection.in_atomic_block = saved


def test_the_same_key_tells_a_person_once_and_each_recipient_once() -> None:
    key = "deadline-red:application:42:2026-12-08T17:00"
    assert send(citizen(), key=key) is not None
    assert send(citizen(), key=key) is None
    assert send(staff(), key=key) is not None
    assert Message.objects.filter(key=key).count() == 2
    assert OutboxDelivery.objects.filter(message__key=key).count() == 1  # staff get no SMS


def test_unknown_kinds_and_missing_fields_are_refused() -> None:
    with pytest.raises(LookupError), transaction.atomic():
        message_send(recipient=citizen(), kind="no.such.kind", context={})
    with pytest.raises(ValueError, match="due"), transaction.atomic():
        message_send(recipient=citizen(), kind=TEST_KIND.code, context={"item": "x"})
    with pytest.raises(ValueError, match="named fields"):
        MessageKind(code="bad", label="x", title="{0}", body="")


def test_people_choose_channels_staff_are_not_offered_sms_and_mandatory_kinds_stay_on() -> None:
    person = citizen()
    person.email = "chen@example.com"
    person.save(update_fields=["email"])
    message_preferences_set(actor=person, choices={TEST_KIND.code: ["email"]})
    message = send(person)
    assert message is not None
    assert [r.channel for r in OutboxDelivery.objects.filter(message=message)] == ["email"]
    message_preferences_set(actor=person, choices={TEST_KIND.code: []})
    message = send(person)
    assert message is not None and not OutboxDelivery.objects.filter(message=message).exists()
    assert Message.objects.filter(pk=message.pk).exists(), "in-app is always on"
    with pytest.raises(ValidationFailed):
        message_preferences_set(actor=person, choices={MANDATORY.code: []})
    with pytest.raises(ValidationFailed):
        message_preferences_set(actor=staff(), choices={TEST_KIND.code: ["sms"]})
    offered = {c.code: c for c in message_preferences_of(staff())}
    assert all(channel != "sms" for choice in offered.values() for channel, _, _ in choice.offered)
    mine = {c.code: c for c in message_preferences_of(person)}
    assert mine[TEST_KIND.code].offered == [("sms", "手机短信", False), ("email", "电子邮件", False)]
    assert mine[MANDATORY.code].offered == [("sms", "手机短信", True)] and not mine[MANDATORY.code].optional


def test_the_worker_delivers_each_row_with_its_key_and_the_gateway_keeps_one_per_key() -> None:
    person = citizen()
    person.email = "chen@example.com"
    person.save(update_fields=["email"])
    message_preferences_set(actor=person, choices={TEST_KIND.code: ["sms", "email"]})
    message = send(person, link="/services/my/7/")
    assert message is not None
    assert outbox_deliver() == 2
    sms = SmsOutboxMessage.objects.get(delivery_key=f"msg-{message.pk}-sms")
    assert sms.text == "【本溪市数字政府】营业执照即将到期：您办理的营业执照将于12月8日到期，请及时处理。"
    assert sms in outbox_for(CHEN_MOBILE)
    [email] = mail.outbox
    assert email.subject == "营业执照即将到期" and email.to == ["chen@example.com"]
    assert email.extra_headers["X-DigiGov-Delivery-Key"] == f"msg-{message.pk}-email"
    assert "http://127.0.0.1:8000/services/my/7/" in email.body
    assert set(OutboxDelivery.objects.filter(message=message).values_list("status", flat=True)) == {"delivered"}
    assert outbox_deliver() == 0, "a delivered row is not sent again"
    # A worker that died after sending: its claim lapses, the row is sent again, the gateway keeps one.
    OutboxDelivery.objects.filter(message=message, channel="sms").update(
        status=DeliveryStatus.SENDING, claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert outbox_deliver() == 1
    assert SmsOutboxMessage.objects.filter(delivery_key=f"msg-{message.pk}-sms").count() == 1
    assert SmsOutboxMessage.objects.get(delivery_key=f"msg-{message.pk}-sms").attempts == 2


def test_a_claim_is_not_taken_twice_while_its_lease_runs() -> None:
    send(citizen())
    token, rows = outbox_claim(limit=10)
    assert rows and all(r.claim_token == token for r in rows)
    assert outbox_claim(limit=10)[1] == []


def test_a_failing_gateway_is_retried_with_backoff_and_finally_marked_failed(settings: Any) -> None:
    message = send(citizen())
    assert message is not None
    original = CHANNELS["sms"]

    class Down:
        code, label = "sms", "手机短信"

        def available_to(self, user: Any) -> bool:
            return True

        def send(self, **kwargs: Any) -> bool:
            raise ConnectionError("gateway down")

    CHANNELS["sms"] = Down()  # type: ignore[assignment]
    try:
        assert outbox_deliver() == 0
        row = OutboxDelivery.objects.get(message=message)
        assert (row.status, row.attempts, row.last_error) == ("pending", 1, "ConnectionError: gateway down")
        assert row.next_attempt_at > timezone.now() + timedelta(seconds=25)
        assert outbox_deliver() == 0 and OutboxDelivery.objects.get(pk=row.pk).attempts == 1, "not before backoff"
        OutboxDelivery.objects.filter(pk=row.pk).update(attempts=settings.OUTBOX_MAX_ATTEMPTS - 1,
                                                        next_attempt_at=timezone.now())
        outbox_deliver()
        assert OutboxDelivery.objects.get(pk=row.pk).status == "failed"
    finally:
        CHANNELS["sms"] = original
    assert backoff(1) == timedelta(seconds=30) and backoff(2) == timedelta(seconds=60)
    assert backoff(30) == timedelta(hours=6)


def test_the_commit_nudges_the_worker(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send(citizen())
        send(citizen())
    assert len(callbacks) == 1, "one nudge per transaction"
    assert not OutboxDelivery.objects.exclude(status="delivered").exists()
    assert len(outbox_for(CHEN_MOBILE)) >= 2


def test_reading_marks_only_the_readers_own_messages() -> None:
    mine, theirs = send(citizen()), send(staff())
    assert mine is not None and theirs is not None
    assert unread_message_count(citizen()) >= 1
    assert messages_mark_read(actor=citizen(), ids=[mine.pk, theirs.pk]) == 1
    assert Message.objects.get(pk=theirs.pk).read_at is None
    send(citizen())
    assert messages_of(citizen(), order="unread")[0].read_at is None
    messages_mark_all_read(actor=citizen())
    assert unread_message_count(citizen()) == 0
