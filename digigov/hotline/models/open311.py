"""Open311 GeoReport v2 clients: each holds an API key (only its SM3 digest is stored)."""

from __future__ import annotations

from django.db import models


class Open311Client(models.Model):
    name = models.CharField(max_length=80)
    key_digest = models.CharField(max_length=64, unique=True)
    key_hint = models.CharField(max_length=8, help_text="first characters, to tell keys apart")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("identity.User", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["name"]
        verbose_name = "Open311 接入方"
        verbose_name_plural = "Open311 接入方"

    def __str__(self) -> str:
        return self.name
