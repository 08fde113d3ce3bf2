"""Security notices go through the message centre: the notice on /account/security/, an in-app message of kind
security.*, an SMS to a citizen (never to staff) after commit; reading the security page reads both."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from digigov.core.models import Message, OutboxDelivery
from digigov.core.sms import outbox_for
from digigov.identity.models import NoticeKind, SecurityNotice, User
from digigov.identity.services.notices import notify_owner

pytestmark = pytest.mark.django_db


def test_a_lockout_notice_is_a_message_and_a_text_after_commit(django_capture_on_commit_callbacks: Any) -> None:
    citizen = User.objects.get(username="chenhaoran")
    with django_capture_on_commit_callbacks(execute=True):
        notice = notify_owner(user=citizen, kind=NoticeKind.LOCKED)
    message = Message.objects.get(recipient=citizen, kind="security.locked")
    assert message.title == "账号因连续登录失败被临时锁定" and "自助解锁" in message.body
    assert (message.object_type, message.object_id) == ("identity.securitynotice", str(notice.pk))
    assert OutboxDelivery.objects.get(message=message).status == "delivered"
    assert outbox_for("18900006438")[0].text.startswith("【本溪市统一身份认证】您的账号因连续登录失败已被临时锁定")


def test_a_rolled_back_change_sends_no_notice() -> None:
    citizen = User.objects.get(username="chenhaoran")
    before = Message.objects.count(), SecurityNotice.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_owner(user=citizen, kind=NoticeKind.PASSWORD_RESET)
        raise RuntimeError("the reset failed")
    assert (Message.objects.count(), SecurityNotice.objects.count()) == before


def test_staff_get_the_message_but_no_text(login: Any) -> None:
    staff = User.objects.get(username="zhangjianguo")
    notify_owner(user=staff, kind=NoticeKind.TOTP_RESET)
    message = Message.objects.get(recipient=staff, kind="security.totp_reset")
    assert not OutboxDelivery.objects.filter(message=message).exists()
    client = login("zhangjianguo")
    assert "管理员重置了账号的身份验证器" in client.get("/messages/").content.decode()
    client.get("/account/security/")
    assert Message.objects.get(pk=message.pk).read_at is not None, "the security page reads the notice"
