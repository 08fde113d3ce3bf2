"""Identity's message kinds (account security, 经办人 invitations) and who can receive text messages.

Imported at start-up by core's AppConfig (autodiscover of `<app>.messages`).
"""

from __future__ import annotations

from typing import Any

from digigov.core.messages import MessageKind, register_kind
from digigov.core.messages.channels import register_sms_address
from digigov.identity.models import CitizenProfile, NoticeKind, UserKind

SIGNATURE = "【本溪市统一身份认证】"

# Security notices: the owner must hear them; they cannot be turned off (identity/services/notices.py).
SECURITY_BODIES: dict[str, str] = {
    NoticeKind.LOCKED: "您的账号因连续登录失败已被临时锁定。如非本人操作，请及时修改密码；"
    "可在登录页通过“忘记密码/解除锁定”自助解锁。",
    NoticeKind.DEVICE_ADDED: "您的账号刚刚绑定了新的身份验证器。如非本人操作，请立即联系系统管理员。",
    NoticeKind.PASSWORD_RESET: "您的账号密码已重置。如非本人操作，请立即拨打12345。",
    NoticeKind.UNLOCKED: "您的账号锁定已解除。",
    NoticeKind.TOTP_RESET: "管理员已重置您账号的身份验证器，下次登录时须重新绑定。",
}


def security_kind(notice: str) -> str:
    return f"security.{notice}"


for _notice, _body in SECURITY_BODIES.items():
    register_kind(
        MessageKind(
            code=security_kind(_notice),
            label=f"账号安全：{NoticeKind(_notice).label}",
            title=NoticeKind(_notice).label,
            body=_body,
            channels=("sms", "email"),
            optional=False,
            sms=SIGNATURE + _body,
        )
    )

AGENT_INVITED = register_kind(
    MessageKind(
        code="identity.agent_invited",
        label="经办人邀请待确认",
        title="{enterprise}邀请您担任经办人",
        body="{enterprise}的法定代表人邀请您担任该企业的经办人。请在“我的办事”中接受或拒绝；接受后您可以代表该企业办事。",
        channels=("sms", "email"),
        default_channels=("sms",),
    )
)


def _citizen_mobile(user: Any) -> str | None:
    profile = CitizenProfile.objects.filter(user=user).first()
    return profile.mobile() if profile is not None else None


# Citizens registered with a mobile number; staff accounts have none (SMS is not offered to them).
register_sms_address(available=lambda user: user.kind == UserKind.CITIZEN, address=_citizen_mobile)
