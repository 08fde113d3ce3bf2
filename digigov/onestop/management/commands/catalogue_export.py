"""`python manage.py catalogue_export OUT.xlsx`: the whole active catalogue as an Excel workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from digigov.onestop.models import RequiredMaterial, ServiceItem
from digigov.onestop.services.catalogue_excel import catalogue_export_xlsx


class Command(BaseCommand):
    help = "导出全部在办事项及其申请材料到 Excel 工作簿(.xlsx)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="output file, e.g. catalogue.xlsx")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        content = catalogue_export_xlsx()
        Path(path).write_bytes(content)
        items = ServiceItem.objects.filter(is_active=True).count()
        materials = RequiredMaterial.objects.filter(item__is_active=True).count()
        self.stdout.write(f"已导出 {items} 个事项、{materials} 项申请材料到 {path}")
