"""Model versions in the database, the reads: the active version (per process), its router, training data.

The writes (publish: file + SM3 digest + row + audit entry; activate; train-and-publish on a fresh database)
are ``digigov.hotline.services.routing_models``.

Training data for a new version is the shipped data plus every level-1 category a person confirmed
(``RoutingLabel``: dispatcher corrections and confirmations), the latest label of each appeal winning.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings

from digigov.core.process_cache import ProcessCache
from digigov.hotline.models import RoutingLabel, RoutingModelVersion
from digigov.hotline.routing.data import Example, TrainingData, load_shipped
from digigov.hotline.routing.files import ModelFileError, load_router, model_dir
from digigov.hotline.routing.model import Router

logger = logging.getLogger(__name__)
# A refused model file is not read again (2.7 MB and a digest per appeal) until the file changes on disk (its
# size or modification time), so a bad file slows nothing while an administrator restores it or retrains.
_refused: set[tuple[int, str, tuple[int, int] | None]] = set()


def _file_state(file_name: str) -> tuple[int, int] | None:
    try:
        stat = (model_dir() / Path(file_name).name).stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


def confirmed_labels() -> list[Example]:
    """One example per appeal a person labelled: its subject and text with the latest label, oldest first."""
    latest: dict[int, Example] = {}
    rows = RoutingLabel.objects.select_related("appeal").order_by("labelled_at", "id")
    for label in rows.iterator(chunk_size=2000):
        appeal = label.appeal
        latest[appeal.pk] = Example(
            id=f"appeal-{appeal.pk}",
            subject=appeal.subject,
            body=appeal.text,
            label=label.category_l1,
            source=f"label_{label.source}",
        )
    return list(latest.values())


def gather_training_data(data_dir: Path | None = None, *, pool: bool = True) -> TrainingData:
    """The shipped files in ``data_dir`` (default ``settings.HOTLINE_DATA_DIR``) and the confirmed labels."""
    return load_shipped(Path(data_dir or settings.HOTLINE_DATA_DIR), extra_labelled=confirmed_labels(), pool=pool)


def _load_active_version() -> RoutingModelVersion | None:
    return RoutingModelVersion.objects.filter(is_active=True).first()


# Read on every intake: kept per process, reloaded when any process publishes or activates a version.
_active: ProcessCache[RoutingModelVersion | None] = ProcessCache("hotline.routing_version", _load_active_version)


def active_version() -> RoutingModelVersion | None:
    """The active version's row (shared within the process: read it, never change it), or None."""
    return _active.get()


def active_version_changed() -> None:
    """Tell every process that the active version changed; the services (``services.routing_models``) call it,
    and so must anything that changes ``is_active`` another way (tests)."""
    _active.invalidate()


def active_router() -> Router | None:
    """The router of the active version (loaded once per process and version), or None before any training.

    A model file that is missing or fails its digest check is refused: logged as an error and None returned,
    so appeals go to the dispatchers' queue instead of failing intake. ``router_for`` raises instead."""
    row = active_version()
    if row is None:
        return None
    key = (row.version, row.digest, _file_state(row.file_name))
    if key in _refused:
        return None
    try:
        return load_router(row.version, row.file_name, row.digest)
    except ModelFileError as exc:
        logger.error("routing model v%s refused: %s", row.version, exc)
        _refused.add(key)
        return None


def router_for(version: RoutingModelVersion) -> Router:
    return load_router(version.version, version.file_name, version.digest)
