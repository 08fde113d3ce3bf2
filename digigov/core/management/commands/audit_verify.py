"""`python manage.py audit_verify`: exit 0 when the audit chain is intact, 1 at the first broken entry."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from digigov.core.audit import audit_verify


class Command(BaseCommand):
    help = "校验审计链：完整时退出码 0，发现被修改、删除或插入的条目时打印首个断点并退出码 1"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        result = audit_verify()
        elapsed = time.perf_counter() - started
        if result.broken is None:
            self.stdout.write(f"审计链完整：已校验 {result.checked} 条，用时 {elapsed:.2f} 秒")
            return
        broken = result.broken
        where = f"id={broken.entry_id}" if broken.entry_id is not None else "链尾"
        self.stdout.write(f"审计链断裂：首个断点 {where} (seq={broken.seq}): {broken.reason}")
        self.stdout.write(f"first broken entry id: {broken.entry_id if broken.entry_id is not None else 'tail'}")
        sys.exit(1)
