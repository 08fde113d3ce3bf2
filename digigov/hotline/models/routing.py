"""Versions of the routing model and the labels that teach it."""

from __future__ import annotations

from django.db import models


class RoutingModelVersion(models.Model):
    """A trained classifier on disk (settings.HOTLINE_MODEL_DIR); the digest refuses a tampered file."""

    version = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("identity.User", null=True, blank=True, on_delete=models.PROTECT)
    file_name = models.CharField(max_length=120)
    digest = models.CharField(max_length=64, help_text="SM3 of the model file")
    algorithm = models.CharField(max_length=120)
    trained_on = models.JSONField(default=dict, help_text="examples per source")
    metrics = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True), name="one_active_model")
        ]
        verbose_name = "分拨模型版本"
        verbose_name_plural = "分拨模型版本"

    def __str__(self) -> str:
        return f"v{self.version}"


class LabelSource(models.TextChoices):
    DISPATCHER = "dispatcher", "派单员更正"
    CONFIRMED = "confirmed", "办结确认"


class RoutingLabel(models.Model):
    """A level-1 category confirmed by a person: the next training run learns from it."""

    appeal = models.ForeignKey("hotline.Appeal", on_delete=models.CASCADE, related_name="routing_labels")
    category_l1 = models.CharField(max_length=20)
    source = models.CharField(max_length=12, choices=LabelSource.choices)
    labelled_by = models.ForeignKey("identity.User", null=True, blank=True, on_delete=models.PROTECT)
    labelled_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        verbose_name = "分拨标注"
        verbose_name_plural = "分拨标注"

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.category_l1}"
