"""The message centre's tables (see digigov.core.messages): what a person was told, how it leaves, what they chose.

A Message is written in the caller's transaction, so it exists exactly when the change that caused it does. Each
external channel the recipient chose gets one OutboxDelivery row in the same transaction; the background worker
claims, sends and marks those rows (at least once, each with its own delivery key a gateway can deduplicate).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Message(models.Model):
    """One thing one person is told, shown in their message centre. The text was rendered for this recipient."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_messages")
    kind = models.CharField(max_length=60, help_text="a registered kind, e.g. onestop.accepted")
    title = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True, help_text="a page that re-checks access")
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    key = models.CharField(max_length=200, blank=True, help_text="the event: one message per recipient and key")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~models.Q(key=""), name="message_recipient_key_uniq"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="message_recipient_unread_idx")]
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"

    def __str__(self) -> str:
        return f"{self.recipient_id}:{self.kind}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    DELIVERED = "delivered", "已发送"
    FAILED = "failed", "发送失败"
    SKIPPED = "skipped", "无地址，未发送"


class OutboxDelivery(models.Model):
    """One message on one external channel: claimed by a worker for a lease, sent, then marked delivered."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10)
    delivery_key = models.CharField(max_length=64, unique=True, help_text="the gateway deduplicates on it")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True, help_text="a dead worker's claim lapses then")
    claim_token = models.CharField(max_length=32, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]
        verbose_name = "消息投递"
        verbose_name_plural = "消息投递"

    def __str__(self) -> str:
        return self.delivery_key


class MessagePreference(models.Model):
    """The external channels one person chose for one kind (no row: the kind's default channels)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preferences")
    kind = models.CharField(max_length=60)
    channels = models.CharField(max_length=60, blank=True, help_text="comma-separated channel codes")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="message_pref_user_kind_uniq")]
        verbose_name = "消息接收设置"
        verbose_name_plural = "消息接收设置"

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}"
