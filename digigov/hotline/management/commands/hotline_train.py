"""`python manage.py hotline_train [--data-dir DIR] [--evaluate] [--no-activate]`: retrain the 12345 router.

Trains from the shipped data (every file in the data folder except the sealed holdout) plus the categories
dispatchers confirmed, publishes a new model version (file + SM3 digest + audit entry) and makes it active.
``--evaluate`` first prints the honest repeated cross-validation of the same method.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from digigov.core.policy import SYSTEM
from digigov.hotline.routing.data import MessageFileError
from digigov.hotline.routing.evaluation import cross_validate
from digigov.hotline.routing.model import train
from digigov.hotline.routing.store import gather_training_data
from digigov.hotline.services.routing_models import publish_version


class Command(BaseCommand):
    help = "用随附数据和人工确认的分类重新训练12345热线分拨模型，发布新版本并启用"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=None, help="default: settings.HOTLINE_DATA_DIR")
        parser.add_argument("--evaluate", action="store_true", help="print repeated cross-validation first")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--seeds", type=int, default=3, help="repetitions of the k-fold split")
        parser.add_argument("--no-activate", action="store_true", help="publish without making it active")

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = Path(options["data_dir"] or settings.HOTLINE_DATA_DIR)
        try:
            data = gather_training_data(data_dir)
        except MessageFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"训练数据：{data.counts()}（标签冲突剔除 {data.dropped_conflicts} 条）")
        metrics: dict[str, Any] = {}
        if options["evaluate"]:
            report = cross_validate(data, folds=options["folds"], seeds=range(options["seeds"]))
            summary = report.summary()
            self.stdout.write(
                f"交叉验证（{summary['cv']}）：macro-F1 {report.macro_f1_mean:.4f} ± {report.macro_f1_std:.4f}，"
                f"准确率 {report.accuracy_mean:.4f} ± {report.accuracy_std:.4f}"
            )
            for label, f1 in summary["per_class_f1"].items():
                self.stdout.write(f"  {label}: F1 {f1:.4f}")
            metrics = {"cv": summary}
        started = time.perf_counter()
        model = train(data)
        seconds = time.perf_counter() - started
        row = publish_version(model, actor=SYSTEM, activate=not options["no_activate"], metrics=metrics)
        state = "已启用" if row.is_active else "未启用"
        self.stdout.write(f"模型版本 v{row.version} 已发布（{state}），训练用时 {seconds:.1f} 秒，SM3 {row.digest}")
