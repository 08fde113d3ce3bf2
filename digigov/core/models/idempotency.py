"""Idempotency keys: one row per client × operation × key, written in the transaction of what it created."""

from __future__ import annotations

from django.db import models


class IdempotencyKey(models.Model):
    """A create that a retry must find again instead of repeating (see digigov.core.idempotency).

    client: who sent it ("user:12", "open311:3"); operation: what it asked for ("hotline.appeal_create"); key_digest:
    SM3 of the client's key, first 40 hex digits, so any key fits and the raw key is not kept. request_digest: SM3
    of the request's content (a reused key with other content is a conflict). object_id: what was created;
    status and body_sealed: the answer the first request got (the body SM4-sealed: it may carry personal data).
    """

    BODY_PURPOSE = "core.idempotency.body"

    client = models.CharField(max_length=64)
    operation = models.CharField(max_length=64)
    key_digest = models.CharField(max_length=40)
    request_digest = models.CharField(max_length=64)
    object_id = models.CharField(max_length=40, blank=True)
    status = models.PositiveSmallIntegerField(default=201)
    body_sealed = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "operation", "key_digest"], name="one_result_per_idempotency_key")
        ]
        verbose_name = "幂等键"
        verbose_name_plural = "幂等键"

    def __str__(self) -> str:
        return f"{self.client} {self.operation}"
