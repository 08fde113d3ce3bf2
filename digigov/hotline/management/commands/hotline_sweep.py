"""`python manage.py hotline_sweep [--every SECONDS]`: 督办 the overdue appeals once, prune the duplicate words."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from digigov.hotline.services.sweeper import sweep_appeals


class Command(BaseCommand):
    help = "重新计算热线工单的黄牌/红牌，并对超期工单自动督办"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: run once)")

    def handle(self, *args: Any, every: int = 0, **options: Any) -> None:
        while True:
            started = time.perf_counter()
            result = sweep_appeals()
            self.stdout.write(
                f"超期工单 {result.overdue} 件，自动督办 {result.escalated} 件，"
                f"用时 {time.perf_counter() - started:.2f} 秒"
            )
            if every <= 0:
                return
            time.sleep(every)
