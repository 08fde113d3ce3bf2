"""Telling an account's owner about its security: a notice on their security page, and a text message to the
registered mobile when the account has one (citizens). Called inside the caller's transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from digigov.core.sms import send_sms
from digigov.identity.models import CitizenProfile, NoticeKind, SecurityNotice, User

SMS_TEXTS: dict[str, str] = {
    NoticeKind.LOCKED: "【本溪市统一身份认证】您的账号因连续登录失败已被临时锁定。如非本人操作，请及时修改密码；"
    "可在登录页通过“忘记密码/解除锁定”自助解锁。",
    NoticeKind.DEVICE_ADDED: "【本溪市统一身份认证】您的账号刚刚绑定了新的身份验证器。"
    "如非本人操作，请立即联系系统管理员。",
    NoticeKind.PASSWORD_RESET: "【本溪市统一身份认证】您的账号密码已重置。如非本人操作，请立即拨打12345。",
    NoticeKind.UNLOCKED: "【本溪市统一身份认证】您的账号锁定已解除。",
    NoticeKind.TOTP_RESET: "【本溪市统一身份认证】管理员已重置您账号的身份验证器，下次登录时须重新绑定。",
}


def notify_owner(*, user: User, kind: NoticeKind) -> SecurityNotice:
    notice = SecurityNotice.objects.create(user=user, kind=kind)
    profile = CitizenProfile.objects.filter(user=user).first()
    if profile is not None:
        mobile = profile.mobile()
        # After commit: a rolled-back write must not have told anyone anything.
        transaction.on_commit(lambda: send_sms(mobile=mobile, text=SMS_TEXTS[kind], purpose=f"identity.{kind}"))
    return notice


def notices_mark_read(*, actor: User) -> int:
    """The owner has seen their notices (derived state, not a security event: not audited)."""
    return SecurityNotice.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
