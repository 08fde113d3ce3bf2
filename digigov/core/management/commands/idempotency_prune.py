"""Remove idempotency keys older than IDEMPOTENCY_KEY_DAYS (the background worker runs this periodically)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from digigov.core.idempotency import idempotency_prune


class Command(BaseCommand):
    help = "Removes the idempotency keys older than IDEMPOTENCY_KEY_DAYS days; prints how many."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"removed {idempotency_prune()} idempotency keys")
