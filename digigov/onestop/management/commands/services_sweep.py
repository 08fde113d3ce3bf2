"""`python manage.py services_sweep [--every SECONDS]`: keep every open application's deadline card right.

Once by default; with --every it loops (run it beside the web server, e.g. under systemd). The flags are
derived from the applications' own columns, so a missed run only delays a colour change until the next one.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from digigov.onestop.services.sweeper import sweep_deadlines


class Command(BaseCommand):
    help = "重新计算办件的黄牌/红牌(即将到期/已超期)标记"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: run once)")

    def handle(self, *args: Any, every: int = 0, **options: Any) -> None:
        while True:
            started = time.perf_counter()
            changed = sweep_deadlines()
            self.stdout.write(f"期限标记已更新 {changed} 件，用时 {time.perf_counter() - started:.2f} 秒")
            if every <= 0:
                return
            time.sleep(every)
