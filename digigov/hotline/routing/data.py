"""The router's training data: the shipped CSV files (see shared/data/README.md) read tolerantly.

Sources, all from ``settings.HOTLINE_DATA_DIR`` except the sealed ``holdout.csv.enc``, which is never read:

* ``messages_train.csv``: messages with their official level-1 label, the only gold labels shipped;
* ``messages_unlabeled.csv``, ``messages_votes.csv``, ``messages_replies.csv``: in-domain messages without a
  label, the pool the classifier pseudo-labels (self-training);
* ``taxonomy.csv``: the category tree; each level-2/level-3 name becomes a short example of its level-1 class.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from digigov.hotline.routing.text import message_key

ID, USER, SUBJECT, TIME, BODY, LABEL = "留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "label"
REQUIRED_COLUMNS = (ID, SUBJECT, BODY)
LABELLED_FILE = "messages_train.csv"
POOL_FILES = ("messages_unlabeled.csv", "messages_votes.csv", "messages_replies.csv")
TAXONOMY_FILE = "taxonomy.csv"
SHIPPED_SOURCE = "messages_train"


class MessageFileError(ValueError):
    """A message file that cannot be read: missing, not UTF-8, not CSV, or without a needed column."""


@dataclass(frozen=True)
class Example:
    id: str
    subject: str
    body: str
    label: str = ""
    source: str = ""

    @property
    def key(self) -> str:
        return message_key(self.subject, self.body)


@dataclass
class TrainingData:
    """Gold examples (shipped and confirmed by people), the unlabeled pool and the taxonomy's examples."""

    labelled: list[Example]
    pool: list[Example] = field(default_factory=list)
    taxonomy: list[Example] = field(default_factory=list)
    dropped_conflicts: int = 0
    dropped_duplicates: int = 0

    def counts(self) -> dict[str, int]:
        """Examples per source, as recorded on the model version (``trained_on``)."""
        counts = Counter(e.source for e in self.labelled)
        counts.update(e.source for e in self.pool)
        counts["taxonomy"] = len(self.taxonomy)
        return dict(sorted(counts.items()))

    @property
    def labels(self) -> list[str]:
        return sorted({e.label for e in self.labelled})


def read_messages(
    source: Path | str | io.TextIOBase, *, source_name: str = "", labelled: bool = False
) -> list[Example]:
    """Rows of a message CSV in file order. Tolerates a BOM, extra columns and padded header names."""
    try:
        if isinstance(source, io.TextIOBase):
            rows = _rows(source, labelled)
        else:
            with open(source, encoding="utf-8-sig", newline="") as handle:
                rows = _rows(handle, labelled)
    except FileNotFoundError as exc:
        raise MessageFileError(f"文件不存在：{source}") from exc
    except UnicodeDecodeError as exc:
        raise MessageFileError(f"文件不是UTF-8编码的CSV：{source}") from exc
    except (OSError, csv.Error) as exc:
        raise MessageFileError(f"无法读取文件 {source}：{exc}") from exc
    name = source_name or (Path(str(source)).stem if not isinstance(source, io.TextIOBase) else "")
    return [
        Example(
            id=(row.get(ID) or "").strip(),
            subject=row.get(SUBJECT) or "",
            body=row.get(BODY) or "",
            label=(row.get(LABEL) or "").strip() if labelled else "",
            source=name,
        )
        for row in rows
    ]


def _rows(handle: Iterable[str], labelled: bool) -> list[dict[str, str]]:
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None:
        raise MessageFileError("文件为空，缺少表头")
    names = [h.replace("\ufeff", "").strip() for h in header]
    needed = (*REQUIRED_COLUMNS, LABEL) if labelled else REQUIRED_COLUMNS
    missing = [c for c in needed if c not in names]
    if missing:
        raise MessageFileError("缺少列：" + "、".join(missing) + "（需要列：" + ",".join(needed) + "）")
    return [dict(zip(names, row, strict=False)) for row in reader if any(cell.strip() for cell in row)]


def dedupe_labelled(examples: Sequence[Example]) -> tuple[list[Example], int, int]:
    """One example per message text. A text seen with different labels keeps the last label given by a person
    (a source other than the shipped file); with shipped labels only, it is dropped: its gold label is unknown.

    Returns (examples, conflicting texts dropped, duplicate rows dropped)."""
    groups: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        groups[example.key].append(example)
    kept, conflicts, duplicates = [], 0, 0
    for group in groups.values():
        if len({e.label for e in group}) > 1:
            by_people = [e for e in group if e.source != SHIPPED_SOURCE]
            if by_people:
                kept.append(by_people[-1])
                duplicates += len(group) - 1
            else:
                conflicts += 1
            continue
        kept.append(group[0])
        duplicates += len(group) - 1
    return kept, conflicts, duplicates


def read_taxonomy(path: Path, labels: Iterable[str]) -> list[Example]:
    """Each level-2 and level-3 name of the given level-1 classes, as a short example of that class."""
    wanted = set(labels)
    examples = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle)):
                level1, level2, level3 = (row.get(c, "").strip() for c in ("一级分类", "二级分类", "三级分类"))
                if level1 in wanted:
                    examples.append(
                        Example(
                            id=f"taxonomy-{number}",
                            subject=level2 + level3,
                            body=f"{level2}，{level3}",
                            label=level1,
                            source="taxonomy",
                        )
                    )
    except FileNotFoundError:
        return []
    return examples


def load_shipped(data_dir: Path, *, extra_labelled: Sequence[Example] = (), pool: bool = True) -> TrainingData:
    """The shipped files plus labels confirmed by people (``extra_labelled``, e.g. dispatcher corrections).

    Pool messages whose text equals a gold example are left out: they are already labelled."""
    shipped = read_messages(data_dir / LABELLED_FILE, source_name=SHIPPED_SOURCE, labelled=True)
    labelled, conflicts, duplicates = dedupe_labelled([*shipped, *extra_labelled])
    known = {e.key for e in labelled}
    pool_examples: list[Example] = []
    if pool:
        for name in POOL_FILES:
            path = data_dir / name
            if path.exists():
                pool_examples += [e for e in read_messages(path, source_name=path.stem) if e.key not in known]
    labels = {e.label for e in labelled}
    return TrainingData(
        labelled=labelled,
        pool=pool_examples,
        taxonomy=read_taxonomy(data_dir / TAXONOMY_FILE, labels),
        dropped_conflicts=conflicts,
        dropped_duplicates=duplicates,
    )
