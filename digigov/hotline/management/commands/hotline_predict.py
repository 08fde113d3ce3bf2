"""`python manage.py hotline_predict --in IN.csv --out OUT.csv`: route a CSV of messages in bulk.

Input: UTF-8 CSV with the columns of messages_train.csv less ``label`` (留言编号,留言用户,留言主题,留言时间,
留言详情); a BOM, extra columns and column order do not matter, 留言编号/留言主题/留言详情 are required.
Output: UTF-8 CSV ``留言编号,label,confidence``, one row per input row, in input order. Uses the active model
version; on a database without one, trains and publishes one from the shipped data first.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import OperationalError, ProgrammingError

from digigov.hotline.routing.data import MessageFileError, load_shipped, read_messages
from digigov.hotline.routing.files import ModelFileError
from digigov.hotline.routing.model import Router, train
from digigov.hotline.services.routing_models import ensure_active_router

BATCH = 512


class Command(BaseCommand):
    help = "批量分拨：读取留言CSV，输出 留言编号,label,confidence"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--in", dest="input", type=Path, required=True, help="messages CSV (UTF-8)")
        parser.add_argument("--out", dest="output", type=Path, required=True, help="where to write the routing")
        parser.add_argument("--data-dir", type=Path, default=None, help="training data if no model exists yet")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            messages = read_messages(options["input"])
        except MessageFileError as exc:
            raise CommandError(f"无法读取输入文件：{exc}") from exc
        try:
            router = self._router(options["data_dir"])
        except (MessageFileError, ModelFileError) as exc:
            raise CommandError(f"分拨模型不可用：{exc}") from exc
        rows = []
        for start in range(0, len(messages), BATCH):
            chunk = messages[start : start + BATCH]
            for message, best in zip(
                chunk, router.suggest_many([(m.subject, m.body) for m in chunk], top=1), strict=True
            ):
                rows.append((message.id, best[0].label, f"{best[0].confidence:.4f}"))
        output: Path = options["output"]
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            with open(output, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(["留言编号", "label", "confidence"])
                writer.writerows(rows)
        except OSError as exc:
            raise CommandError(f"无法写入输出文件 {output}：{exc}") from exc
        model = f"模型 v{router.version}" if router.version is not None else "临时训练的模型"
        elapsed = time.perf_counter() - started
        self.stdout.write(f"已分拨 {len(rows)} 条留言（{model}），用时 {elapsed:.1f} 秒")

    def _router(self, data_dir: Path | None) -> Router:
        """The active version; without a migrated database, a model trained in memory (and a warning)."""
        try:
            return ensure_active_router(data_dir=data_dir)
        except (OperationalError, ProgrammingError) as exc:  # no tables: not migrated
            self.stderr.write(f"数据库不可用（{exc}），本次使用临时训练的模型，未发布版本")
            return Router(train(load_shipped(Path(data_dir or settings.HOTLINE_DATA_DIR))))
