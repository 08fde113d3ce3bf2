"""Text messages to a mobile number through one adapter, chosen by settings.SMS_BACKEND.

`outbox` (the development default) records each message in SmsOutboxMessage instead of sending it, so a
developer or a test reads what the recipient would have read (`manage.py sms_outbox`). A production gateway
registers another adapter here; nothing else in the platform knows how messages leave.

A message may carry a delivery key (the message centre's worker sends each with its outbox row's key). Delivery
is at least once: after a crash the same key is handed over again, and the gateway keeps one message per key. The
outbox does what a real gateway must: a repeated key is recorded once (its `attempts` counts the hand-overs).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from digigov.core.masking import mask_mobile
from digigov.core.models import SmsOutboxMessage
from digigov.core.protected import blind_index, seal

SmsAdapter = Callable[[str, str, str, str | None], None]


def _record_in_outbox(mobile: str, text: str, purpose: str, key: str | None) -> None:
    row = SmsOutboxMessage(
        mobile_sealed=seal(SmsOutboxMessage.MOBILE_PURPOSE, mobile),
        mobile_index=blind_index(SmsOutboxMessage.MOBILE_PURPOSE, mobile),
        mobile_masked=mask_mobile(mobile),
        purpose=purpose,
        text=text[:300],
        delivery_key=key,
    )
    if key is None:
        row.save()
    else:
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # the same message again (a worker died before marking it): deduplicated
            SmsOutboxMessage.objects.filter(delivery_key=key).update(attempts=F("attempts") + 1)
    delay = settings.SMS_OUTBOX_DELAY_MS
    if delay:  # development and the crash test: a gateway that answers slowly
        time.sleep(delay / 1000)


ADAPTERS: dict[str, SmsAdapter] = {"outbox": _record_in_outbox}


def send_sms(*, mobile: str, text: str, purpose: str, key: str | None = None) -> None:
    """Send (or, with the outbox adapter, record) one message. Callers never log the text or the number."""
    ADAPTERS[settings.SMS_BACKEND](mobile, text, purpose, key)


def outbox_for(mobile: str) -> list[SmsOutboxMessage]:
    """Messages recorded for one number, newest first (development and tests)."""
    index = blind_index(SmsOutboxMessage.MOBILE_PURPOSE, mobile)
    return list(SmsOutboxMessage.objects.filter(mobile_index=index))
