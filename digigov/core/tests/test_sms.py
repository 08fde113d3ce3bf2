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
