"""Where messages leave: one adapter interface per channel.

In-app needs no adapter: the Message row is the delivery. External channels find the recipient's address only
when sending (identity registers how to find a citizen's mobile; core knows only the account's e-mail), and may be
offered to some people only (staff have no mobile: no SMS). `available_to` answers from the user row, no query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage

from digigov.core.messages.registry import SMS_SIGNATURE, kind_get
from digigov.core.sms import send_sms


class Channel(Protocol):
    code: str
    label: str

    def available_to(self, user: Any) -> bool: ...

    def send(self, *, user: Any, kind: str, title: str, body: str, link: str, key: str) -> bool:
        """Hand one message to the gateway with its delivery key; False when the person has no address."""
        ...


AddressOf = Callable[[Any], str | None]


@dataclass
class EmailChannel:
    code: str = "email"
    label: str = "电子邮件"

    def available_to(self, user: Any) -> bool:
        return bool(getattr(user, "email", ""))

    def send(self, *, user: Any, kind: str, title: str, body: str, link: str, key: str) -> bool:
        if not user.email:
            return False
        text = body + (f"\n\n查看详情：{settings.SITE_URL}{link}" if link else "")
        mail = EmailMessage(
            subject=f"{title}", body=text, to=[user.email], headers={"X-DigiGov-Delivery-Key": key}
        )
        mail.extra_headers["Message-ID"] = f"<{key}@digigov>"  # a mail gateway deduplicates on the Message-ID
        mail.send()
        return True


@dataclass
class SmsChannel:
    """Text messages to a mobile number; who has one is registered by identity (citizens do, staff do not)."""

    code: str = "sms"
    label: str = "手机短信"
    available: Callable[[Any], bool] = lambda user: False
    address: AddressOf = lambda user: None

    def available_to(self, user: Any) -> bool:
        return self.available(user)

    def send(self, *, user: Any, kind: str, title: str, body: str, link: str, key: str) -> bool:
        mobile = self.address(user)
        if not mobile:
            return False
        try:
            text = kind_get(kind).sms_text(title, body)
        except LookupError:  # a kind retired since the message was written: its own words still go out
            text = f"{SMS_SIGNATURE}{title}：{body}"
        send_sms(mobile=mobile, text=text, purpose=kind[:40], key=key)
        return True


SMS = SmsChannel()
CHANNELS: dict[str, Channel] = {"email": EmailChannel(), "sms": SMS}


def register_sms_address(*, available: Callable[[Any], bool], address: AddressOf) -> None:
    """Identity tells the SMS channel who has a mobile number and how to read it."""
    SMS.available = available
    SMS.address = address


def channels_for(user: Any) -> list[Channel]:
    return [channel for channel in CHANNELS.values() if channel.available_to(user)]
