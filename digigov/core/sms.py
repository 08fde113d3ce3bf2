"""Text messages to a mobile number through one adapter, chosen by settings.SMS_BACKEND.

`outbox` (the development default) records each message in SmsOutboxMessage instead of sending it, so a
developer or a test reads what the recipient would have read (`manage.py sms_outbox`). A production gateway
registers another adapter here; nothing else in the platform knows how messages leave.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from digigov.core.masking import mask_mobile
from digigov.core.models import SmsOutboxMessage
from digigov.core.protected import blind_index, seal

SmsAdapter = Callable[[str, str, str], None]


def _record_in_outbox(mobile: str, text: str, purpose: str) -> None:
    SmsOutboxMessage.objects.create(
        mobile_sealed=seal(SmsOutboxMessage.MOBILE_PURPOSE, mobile),
        mobile_index=blind_index(SmsOutboxMessage.MOBILE_PURPOSE, mobile),
        mobile_masked=mask_mobile(mobile),
        purpose=purpose,
        text=text[:300],
    )


ADAPTERS: dict[str, SmsAdapter] = {"outbox": _record_in_outbox}


def send_sms(*, mobile: str, text: str, purpose: str) -> None:
    """Send (or, with the outbox adapter, record) one message. Callers never log the text or the number."""
    ADAPTERS[settings.SMS_BACKEND](mobile, text, purpose)


def outbox_for(mobile: str) -> list[SmsOutboxMessage]:
    """Messages recorded for one number, newest first (development and tests)."""
    index = blind_index(SmsOutboxMessage.MOBILE_PURPOSE, mobile)
    return list(SmsOutboxMessage.objects.filter(mobile_index=index))
