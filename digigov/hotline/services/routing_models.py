"""Routing model versions, the writes: publish (model file + SM3 digest + row + audit entry), activate (roll
back or forward; the file must still verify), and train-and-publish on a fresh database. The reads (the active
version and its router, per process; training data) are ``digigov.hotline.routing.store``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from digigov.core.audit import audit_append
from digigov.core.crypto import sm3_hex
from digigov.core.errors import NotFound
from digigov.core.policy import SYSTEM, SystemActor, person, require
from digigov.hotline import policy
from digigov.hotline.models import RoutingModelVersion
from digigov.hotline.routing.files import load_router, model_bytes, write_model_file
from digigov.hotline.routing.model import Params, Router, RoutingModel, train
from digigov.hotline.routing.store import active_version, active_version_changed, gather_training_data, router_for
from digigov.identity.models import User


def publish_version(
    trained: RoutingModel, *, actor: User | SystemActor, activate: bool = True, metrics: dict[str, Any] | None = None
) -> RoutingModelVersion:
    """Write the model file, record the version with the file's SM3 digest and, by default, make it active."""
    require(policy.can(actor, policy.Action.MANAGE_SETTINGS), "无权发布分拨模型版本")
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
    actor: User | SystemActor,
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
            created_by=person(actor),
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
            active_version_changed()
    return row


def activate_version(*, actor: User | SystemActor, version: int) -> RoutingModelVersion:
    """Make an earlier (or later) version the active one, e.g. to roll back; its file must still verify.

    A city-wide settings grant (hotline.policy MANAGE_SETTINGS), or SYSTEM (commands)."""
    require(policy.can(actor, policy.Action.MANAGE_SETTINGS), "无权切换分拨模型版本")
    with transaction.atomic():
        row = RoutingModelVersion.objects.select_for_update().filter(version=version).first()
        if row is None:
            raise NotFound("模型版本不存在")
        load_router(row.version, row.file_name, row.digest)  # refuse to activate a missing or altered file
        RoutingModelVersion.objects.filter(is_active=True).exclude(pk=row.pk).update(is_active=False)
        RoutingModelVersion.objects.filter(pk=row.pk).update(is_active=True)
        row.is_active = True
        active_version_changed()
        audit_append(
            actor=actor,
            action="hotline.routing_model_activated",
            object_type="routing_model_version",
            object_id=version,
            changes={"digest": row.digest},
        )
    return row


def ensure_active_router(*, data_dir: Path | None = None, params: Params | None = None) -> Router:
    """The active router; on a fresh database, trains one from the shipped data and publishes it first (as the
    platform itself: SYSTEM)."""
    row = active_version()
    if row is not None:
        return router_for(row)  # raises ModelFileError for a refused file: never silently retrained over
    row = publish_version(train(gather_training_data(data_dir), params=params), actor=SYSTEM)
    return router_for(row)
