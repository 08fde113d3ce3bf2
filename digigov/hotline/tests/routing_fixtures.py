"""Routing test fixtures: a small copy of the shipped data (20 gold messages a class) and a model trained once."""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.conf import settings

from digigov.hotline.routing import Router, fit, load_shipped

HEADER = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情"]
PER_CLASS = 20
POOL_ROWS = 150


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], *, bom: bool = False) -> None:
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _head(source: Path, target: Path, keep) -> None:  # type: ignore[no-untyped-def]
    with open(source, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [row for row in reader if keep(header, row)]
    write_csv(target, header, rows)


@pytest.fixture(scope="session")
def tiny_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """messages_train.csv cut to 20 messages a class, 150 unlabeled messages, the whole taxonomy."""
    source = Path(settings.HOTLINE_DATA_DIR)
    target = tmp_path_factory.mktemp("hotline-data")
    taken: dict[str, int] = defaultdict(int)

    def per_class(header: list[str], row: list[str]) -> bool:
        label = row[header.index("label")]
        taken[label] += 1
        return taken[label] <= PER_CLASS

    pool_rows = iter(range(10**9))
    _head(source / "messages_train.csv", target / "messages_train.csv", per_class)
    _head(
        source / "messages_unlabeled.csv", target / "messages_unlabeled.csv", lambda h, r: next(pool_rows) < POOL_ROWS
    )
    shutil.copy(source / "taxonomy.csv", target / "taxonomy.csv")
    return target


@pytest.fixture(scope="session")
def tiny_router(tiny_data_dir: Path) -> Router:
    data = load_shipped(tiny_data_dir)
    return Router(fit(data.labelled, pool=data.pool, taxonomy=data.taxonomy), version=None)
