"""What an account's owner is told about its security: lockouts, new second-factor devices, resets."""

from __future__ import annotations

from django.db import models

from digigov.identity.models.people import User


class NoticeKind(models.TextChoices):
    LOCKED = "locked", "账号因连续登录失败被临时锁定"
    DEVICE_ADDED = "device_added", "账号绑定了新的身份验证器"
    PASSWORD_RESET = "password_reset", "账号密码已重置"
    UNLOCKED = "unlocked", "账号锁定已解除"
    TOTP_RESET = "totp_reset", "管理员重置了账号的身份验证器"


class SecurityNotice(models.Model):
    """One thing the owner must hear about, shown on their account security page until read."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="security_notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread_idx")]
        verbose_name = "账号安全提醒"
        verbose_name_plural = "账号安全提醒"

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}"
