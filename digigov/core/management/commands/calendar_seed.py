"""`python manage.py calendar_seed [--from-year 2004] [--to-year 2026]`: load chinesecalendar's holiday
arrangements into the working-day calendar. Idempotent; administrators' entries are left alone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from digigov.core.errors import ValidationFailed
from digigov.core.policy import SYSTEM
from digigov.core.services.calendar import calendar_seed_from_chinesecalendar, chinesecalendar_years


class Command(BaseCommand):
    help = "从 chinesecalendar 软件包导入节假日与调休安排（可重复执行；不覆盖管理员录入的内容）"

    def add_arguments(self, parser: CommandParser) -> None:
        covered = chinesecalendar_years()
        parser.add_argument("--from-year", type=int, default=covered.start, help=f"默认 {covered.start}")
        parser.add_argument("--to-year", type=int, default=covered.stop - 1, help=f"默认 {covered.stop - 1}")

    def handle(self, *args: Any, **options: Any) -> None:
        years = range(options["from_year"], options["to_year"] + 1)
        if not years:
            raise CommandError("--from-year 不能晚于 --to-year")
        try:
            results = calendar_seed_from_chinesecalendar(actor=SYSTEM, years=years)
        except ValidationFailed as exc:
            raise CommandError(exc.message) from exc
        for r in results:
            if r.skipped:
                self.stdout.write(f"{r.year}: 跳过（{r.skipped}）")
            elif r.changed:
                self.stdout.write(
                    f"{r.year}: 新增 {r.created}，更新 {r.updated}，删除 {r.deleted}，保留管理员录入 {r.kept_manual}"
                )
        changed = sum(1 for r in results if r.changed)
        self.stdout.write(
            f"工作日历：已检查 {len(results)} 个年份（{years.start}–{years.stop - 1}），{changed} 个有变化"
        )
