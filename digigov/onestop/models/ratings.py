"""好差评: ratings after 办结 on the four online indicators, and rectification of 差评."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

SCORE = [MinValueValidator(1), MaxValueValidator(5)]
SCORE_LABELS = {1: "非常不满意", 2: "不满意", 3: "基本满意", 4: "满意", 5: "非常满意"}


class Rating(models.Model):
    application = models.OneToOneField("services.Application", on_delete=models.PROTECT, related_name="rating")
    efficiency = models.PositiveSmallIntegerField("办事效率", validators=SCORE)
    guide_accuracy = models.PositiveSmallIntegerField("办事指南精确度", validators=SCORE)
    convenience = models.PositiveSmallIntegerField("办事便捷度", validators=SCORE)
    usability = models.PositiveSmallIntegerField("平台操作性", validators=SCORE)
    overall = models.PositiveSmallIntegerField("总体评价", validators=SCORE, help_text="the lowest of the four")
    comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "好差评"
        verbose_name_plural = "好差评"

    def __str__(self) -> str:
        return f"{self.application_id}: {self.overall}"


class RectificationStatus(models.TextChoices):
    OPEN = "open", "待整改"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


class RectificationTask(models.Model):
    """A 差评 (1 or 2) opens one for the department; it must be answered before it can be closed."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="rectification")
    department = models.ForeignKey("identity.Department", on_delete=models.PROTECT)
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=RectificationStatus.choices, default=RectificationStatus.OPEN)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey("identity.User", null=True, blank=True, on_delete=models.PROTECT)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "差评整改"
        verbose_name_plural = "差评整改"

    def __str__(self) -> str:
        return f"整改 {self.rating_id}"
