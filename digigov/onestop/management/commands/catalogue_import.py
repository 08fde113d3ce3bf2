"""`python manage.py catalogue_import IN.xlsx [--report ERRORS.xlsx]`: load the catalogue from Excel, as the system.

Every row is checked first; with any error nothing is written, the errors are printed (and saved as a workbook
with --report) and the command exits with status 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from digigov.core.errors import ValidationFailed
from digigov.core.policy import SYSTEM
from digigov.onestop.services.catalogue_excel import (
    MAX_UPLOAD_BYTES,
    catalogue_import,
    catalogue_import_report_xlsx,
)


class Command(BaseCommand):
    help = "从 Excel 工作簿(.xlsx)导入事项目录；任何一行有误则不写入任何数据"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the workbook to import")
        parser.add_argument("--report", default="", help="write the error report to this .xlsx file")

    def handle(self, *args: Any, path: str, report: str = "", **options: Any) -> None:
        try:
            with Path(path).open("rb") as handle:
                content = handle.read(MAX_UPLOAD_BYTES + 1)  # never more than the limit (+1 to detect it)
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from exc
        try:
            result = catalogue_import(actor=SYSTEM, workbook_bytes=content)
        except ValidationFailed as exc:
            raise CommandError(exc.message) from exc
        for error in result.errors:
            column = f"「{error.column}」" if error.column else ""
            self.stderr.write(f"「{error.sheet}」第{error.row}行{column}：{error.message}")
        if report:
            Path(report).write_bytes(catalogue_import_report_xlsx(result))
            self.stdout.write(f"错误报告已保存到 {report}")
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
