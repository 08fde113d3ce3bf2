"""(Re)create the staff inbox's open task rows from the domains' open objects, through their rebuilders."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from digigov.core.inbox.registry import rebuilders
from digigov.core.inbox.services import inbox_rebuild


class Command(BaseCommand):
    help = (
        "Makes the inbox's open tasks match the open applications, appeals, callbacks and rectifications "
        "(missing ones open, changed ones update, stale ones close). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", action="append", default=[], help="a rebuilder's name (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        unknown = set(options["only"]) - set(rebuilders())
        if unknown:
            raise CommandError(
                f"未知的待办重建器：{', '.join(sorted(unknown))}（可用：{', '.join(sorted(rebuilders()))}）"
            )
        for result in inbox_rebuild(only=options["only"]):
            self.stdout.write(
                f"{result.name}: opened {result.opened}, updated {result.updated}, closed {result.closed}"
            )
