"""The SMS adapter: the development outbox records what would be sent, with the number sealed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from digigov.core.models import SmsOutboxMessage
from digigov.core.sms import outbox_for, send_sms

pytestmark = pytest.mark.django_db


def test_the_outbox_records_the_message_with_the_number_sealed_and_masked() -> None:
    send_sms(mobile="13912345678", text="【本溪市统一身份认证】验证码 123456", purpose="identity.recovery_code")
    stored = SmsOutboxMessage.objects.latest("id")
    assert stored.mobile_masked == "139****5678" and b"13912345678" not in bytes(stored.mobile_sealed)
    assert [m.text for m in outbox_for("13912345678")] == ["【本溪市统一身份认证】验证码 123456"]
    assert outbox_for("13912345679") == []
    out = StringIO()
    call_command("sms_outbox", "--last", "1", stdout=out)
    assert "139****5678" in out.getvalue() and "13912345678" not in out.getvalue()


def test_a_repeated_delivery_key_is_recorded_once_like_a_deduplicating_gateway() -> None:
    for _ in range(3):
        send_sms(mobile="13912345678", text="【本溪市数字政府】已受理", purpose="onestop.accepted", key="msg-9-sms")
    send_sms(mobile="13912345678", text="无投递键的短信", purpose="identity.recovery_code")
    send_sms(mobile="13912345678", text="无投递键的短信", purpose="identity.recovery_code")
    keyed = SmsOutboxMessage.objects.get(delivery_key="msg-9-sms")
    assert keyed.attempts == 3
    assert SmsOutboxMessage.objects.filter(delivery_key__isnull=True, text="无投递键的短信").count() == 2
    out = StringIO()
    call_command("sms_outbox", "--last", "3", stdout=out)
    assert "msg-9-sms (同一投递键收到 3 次)" in out.getvalue()
