"""Text messages recorded by the development outbox (see digigov.core.sms)."""

from __future__ import annotations

from django.db import models


class SmsOutboxMessage(models.Model):
    """A text message the platform would send (the development SMS adapter records instead of sending).

    The number is sealed like every mobile number at rest; the text is what the recipient would read.
    """

    MOBILE_PURPOSE = "sms.mobile"

    created_at = models.DateTimeField(auto_now_add=True)
    mobile_sealed = models.BinaryField()
    mobile_index = models.CharField(max_length=64, db_index=True)
    mobile_masked = models.CharField(max_length=11)
    purpose = models.CharField(max_length=40, help_text="why it was sent, e.g. identity.recovery_code")
    text = models.CharField(max_length=300)
    delivery_key = models.CharField(
        max_length=64, null=True, blank=True, unique=True, help_text="the sender's key: a resend is recorded once"
    )
    attempts = models.PositiveIntegerField(default=1, help_text="how often the gateway was handed this key")

    class Meta:
        ordering = ["-id"]
        verbose_name = "短信发件箱"
        verbose_name_plural = "短信发件箱"

    def __str__(self) -> str:
        return f"{self.mobile_masked} {self.purpose}"
