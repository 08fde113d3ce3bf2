"""The audit chain's tables. Every service write appends one AuditEntry; the head row serialises appends."""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    """One audited write. entry_hash = SM3(canonical content + prev_hash), so any edit breaks the chain."""

    lane = models.PositiveSmallIntegerField(default=1, help_text="which of the parallel chains (ADR 0001)")
    seq = models.BigIntegerField(help_text="position in its lane, 1, 2, 3 … without gaps")
    created_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True, help_text="identity.User id; empty for system")
    actor_name = models.CharField(max_length=150, blank=True, help_text="login name, never a real name")
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    changed_fields = models.CharField(max_length=500, blank=True, help_text="names only, never values")
    change_digest = models.CharField(max_length=64, help_text="SM3 of the canonical change, values included")
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["lane", "seq"]
        constraints = [models.UniqueConstraint(fields=["lane", "seq"], name="audit_lane_seq_unique")]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """One row per lane (pk = lane number) holding that lane's tip. Appenders lock it, so no lane forks."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "审计链头"

    def __str__(self) -> str:
        return f"audit head #{self.last_seq}"


class CalendarSource(models.TextChoices):
    CHINESECALENDAR = "chinesecalendar", "chinesecalendar 软件包"
    MANUAL = "manual", "管理员录入"


class CalendarDay(models.Model):
    """An exception to the Monday–Friday rule: a holiday on a weekday, or a make-up working day (调休上班) on a
    weekend. Days that follow the rule are not stored. Written only by digigov/core/services_calendar.py."""

    date = models.DateField(unique=True)
    is_working_day = models.BooleanField(help_text="True: 调休上班 on a weekend; False: 放假 on a weekday")
    name = models.CharField(max_length=60, help_text="e.g. 春节, 国庆节调休上班")
    source = models.CharField(max_length=20, choices=CalendarSource.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "工作日历例外日"
        verbose_name_plural = "工作日历例外日"

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_working_day else '放假'} {self.name}"


class CalendarYear(models.Model):
    """A year whose holiday arrangement is loaded. Without a row the year is unknown ("not published yet"),
    which is different from a loaded year that happens to have no exceptions."""

    year = models.PositiveSmallIntegerField(unique=True)
    source = models.CharField(max_length=20, choices=CalendarSource.choices)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["year"]
        verbose_name = "已录入的日历年份"
        verbose_name_plural = "已录入的日历年份"

    def __str__(self) -> str:
        return f"{self.year} ({self.source})"


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

    class Meta:
        ordering = ["-id"]
        verbose_name = "短信发件箱"
        verbose_name_plural = "短信发件箱"

    def __str__(self) -> str:
        return f"{self.mobile_masked} {self.purpose}"
