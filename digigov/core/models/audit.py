"""The audit chain's rows (see digigov.core.audit)."""

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
