"""`python manage.py services_sweep [--every SECONDS]`: find the applications whose card is yellow or red now,
for their handlers to be told. Cards themselves are derived whenever they are read, so a missed run changes no
card; it only delays a reminder until the next one.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from digigov.onestop.services.sweeper import sweep_deadlines


class Command(BaseCommand):
    help = "查找即将到期(黄牌)和已超期(红牌)的办件并提醒承办人"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: run once)")

    def handle(self, *args: Any, every: int = 0, **options: Any) -> None:
        while True:
            started = time.perf_counter()
            found = sweep_deadlines()
            self.stdout.write(f"黄牌和红牌办件共 {found} 件，用时 {time.perf_counter() - started:.2f} 秒")
            if every <= 0:
                return
            time.sleep(every)
