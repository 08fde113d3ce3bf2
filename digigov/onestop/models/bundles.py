"""一件事一次办: several items joined into one form; submitting creates linked child applications."""

from __future__ import annotations

from django.db import models


class Bundle(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField("一件事名称", max_length=80)
    description = models.TextField(blank=True)
    items = models.ManyToManyField("services.ServiceItem", through="services.BundleItem", related_name="bundles")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "一件事"
        verbose_name_plural = "一件事"

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="bundle_items")
    item = models.ForeignKey("services.ServiceItem", on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["bundle", "position"]
        constraints = [models.UniqueConstraint(fields=["bundle", "item"], name="item_once_per_bundle")]

    def __str__(self) -> str:
        return f"{self.bundle_id}:{self.item_id}"


class BundleApplication(models.Model):
    """The applicant's one view of a bundle; complete when every child application is 办结."""

    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey("identity.User", on_delete=models.PROTECT, related_name="bundle_applications")
    number = models.CharField(max_length=24, unique=True)
    form_data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "一件事申请"
        verbose_name_plural = "一件事申请"

    def __str__(self) -> str:
        return self.number
