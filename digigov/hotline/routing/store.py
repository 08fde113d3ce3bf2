"""Model versions in the database: publish (file + SM3 digest + row + audit entry), activate, load the active one.

Training data for a new version is the shipped data plus every level-1 category a person confirmed
(``RoutingLabel``: dispatcher corrections and confirmations), the latest label of each appeal winning.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max

from digigov.core.audit import audit_append
from digigov.core.crypto import sm3_hex
from digigov.core.errors import Forbidden, NotFound
from digigov.core.process_cache import ProcessCache
from digigov.hotline import policy
from digigov.hotline.models import RoutingLabel, RoutingModelVersion
from digigov.hotline.routing.data import Example, TrainingData, load_shipped
from digigov.hotline.routing.files import ModelFileError, load_router, model_bytes, model_dir, write_model_file
from digigov.hotline.routing.model import Params, Router, RoutingModel, train
from digigov.identity.models import User

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


def publish_version(
    trained: RoutingModel, *, actor: User | None, activate: bool = True, metrics: dict[str, Any] | None = None
) -> RoutingModelVersion:
    """Write the model file, record the version with the file's SM3 digest and, by default, make it active."""
    data = model_bytes(trained)
    digest = sm3_hex(data)
    for attempt in range(3):
        try:
            return _publish(trained, data, digest, actor=actor, activate=activate, metrics=metrics)
        except IntegrityError:  # another process took the same version number meanwhile
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _publish(
    trained: RoutingModel,
    data: bytes,
    digest: str,
    *,
    actor: User | None,
    activate: bool,
    metrics: dict[str, Any] | None,
) -> RoutingModelVersion:
    with transaction.atomic():
        version = (RoutingModelVersion.objects.aggregate(top=Max("version"))["top"] or 0) + 1
        file_name = f"routing-v{version}-{digest[:16]}.joblib"
        write_model_file(data, file_name)
        if activate:
            RoutingModelVersion.objects.filter(is_active=True).update(is_active=False)
        row = RoutingModelVersion.objects.create(
            version=version,
            created_by=actor,
            file_name=file_name,
            digest=digest,
            algorithm=trained.algorithm[:120],
            trained_on=trained.trained_on,
            metrics={
                **trained.metrics,
                **(metrics or {}),
                **trained.describe(),
                "train_seconds": trained.train_seconds,
            },
            is_active=activate,
        )
        audit_append(
            actor=actor,
            action="hotline.routing_model_published",
            object_type="routing_model_version",
            object_id=version,
            changes={"digest": digest, "file_name": file_name, "active": activate, "trained_on": trained.trained_on},
        )
        if activate:
            _active.invalidate()
    return row


def activate_version(*, actor: User | None, version: int) -> RoutingModelVersion:
    """Make an earlier (or later) version the active one, e.g. to roll back; its file must still verify.

    A person needs the city-wide settings right (hotline.policy MANAGE_SETTINGS); ``actor=None`` is the system
    (commands) until this moves into services/ and takes SYSTEM."""
    if actor is not None and not policy.can(actor, policy.Action.MANAGE_SETTINGS):
        raise Forbidden("无权切换分拨模型版本")
    with transaction.atomic():
        row = RoutingModelVersion.objects.select_for_update().filter(version=version).first()
        if row is None:
            raise NotFound("模型版本不存在")
        load_router(row.version, row.file_name, row.digest)  # refuse to activate a missing or altered file
        RoutingModelVersion.objects.filter(is_active=True).exclude(pk=row.pk).update(is_active=False)
        RoutingModelVersion.objects.filter(pk=row.pk).update(is_active=True)
        row.is_active = True
        _active.invalidate()
        audit_append(
            actor=actor,
            action="hotline.routing_model_activated",
            object_type="routing_model_version",
            object_id=version,
            changes={"digest": row.digest},
        )
    return row


def _load_active_version() -> RoutingModelVersion | None:
    return RoutingModelVersion.objects.filter(is_active=True).first()


# Read on every intake: kept per process, reloaded when any process publishes or activates a version.
_active: ProcessCache[RoutingModelVersion | None] = ProcessCache("hotline.routing_version", _load_active_version)


def active_version() -> RoutingModelVersion | None:
    """The active version's row (shared within the process: read it, never change it), or None."""
    return _active.get()


def active_version_changed() -> None:
    """Tell every process that the active version changed; the services above call it, and so must anything
    that changes ``is_active`` another way (tests)."""
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


def ensure_active_router(
    *, actor: User | None = None, data_dir: Path | None = None, params: Params | None = None
) -> Router:
    """The active router; on a fresh database, trains one from the shipped data and publishes it first."""
    row = active_version()
    if row is not None:
        return router_for(row)  # raises ModelFileError for a refused file: never silently retrained over
    row = publish_version(train(gather_training_data(data_dir), params=params), actor=actor)
    return router_for(row)
