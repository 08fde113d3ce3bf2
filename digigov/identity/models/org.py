"""The org tree: administrative regions and the departments attached to them."""

from __future__ import annotations

from django.db import models


class RegionLevel(models.TextChoices):
    CITY = "city", "市"
    DISTRICT = "district", "区/县"
    STREET = "street", "街道/乡镇"
    COMMUNITY = "community", "社区/村"


# Digits of the 12-digit code that identify a region at each level; every descendant shares them.
SCOPE_DIGITS = {RegionLevel.CITY: 4, RegionLevel.DISTRICT: 6, RegionLevel.STREET: 9, RegionLevel.COMMUNITY: 12}


class Region(models.Model):
    """An administrative division. code: 12 digits (GB/T 2260 six digits at county level, zero-padded)."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=60)
    level = models.CharField(max_length=12, choices=RegionLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return self.name

    @property
    def scope_prefix(self) -> str:
        """Code prefix shared by this region and all its descendants (a subtree is a prefix match)."""
        return self.code[: SCOPE_DIGITS[RegionLevel(self.level)]]

    def contains(self, other: Region) -> bool:
        return other.code.startswith(self.scope_prefix)


class Department(models.Model):
    """A 委办局 or other government unit, attached to the region it serves."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    short_name = models.CharField(max_length=40)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    uscc_override = models.BooleanField(default=False, help_text="check digit failed; accepted by manual review")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments")
    kind = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["region__code", "code"]
        verbose_name = "部门"
        verbose_name_plural = "部门"

    def __str__(self) -> str:
        return self.name
