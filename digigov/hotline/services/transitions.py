"""The one way an appeal changes: the state machine says whether a step exists, ConcurrentTransitionMixin makes
the second of two simultaneous steps fail, and every step writes a timeline event and an audit entry in the same
transaction."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from digigov.core.audit import audit_append
from digigov.core.errors import Conflict
from digigov.hotline.analytics.queries import forget_appeal_words
from digigov.hotline.models import OPEN_APPEAL_STATUSES, Appeal, AppealEvent, AppealStatus
from digigov.hotline.services.clock import card_for
from digigov.identity.models import Department, Region, User


def status_label(status: str) -> str:
    return str(AppealStatus(status).label)


def move(
    *,
    actor: User | None,
    appeal: Appeal,
    step: str | None,
    action: str,
    note: str = "",
    mutate: Callable[[Appeal], None] | None = None,
    department: Department | None = None,
    region: Region | None = None,
) -> Appeal:
    """step: the state-machine method (None for an event that keeps the status, e.g. 督办); action: the
    timeline/audit name."""
    from_status = appeal.status
    if step is not None:
        try:
            getattr(appeal, step)()
        except TransitionNotAllowed as exc:
            raise Conflict(f"工单当前状态为「{status_label(from_status)}」，不能执行此操作") from exc
    if mutate is not None:
        mutate(appeal)
    now = timezone.now()
    appeal.card = card_for(appeal, now)
    try:
        with transaction.atomic():
            appeal.save()
            if from_status in OPEN_APPEAL_STATUSES and appeal.status not in OPEN_APPEAL_STATUSES:
                forget_appeal_words(appeal)  # closed or merged: no longer a duplicate candidate
            AppealEvent.objects.create(
                appeal=appeal,
                action=action,
                from_status=from_status,
                to_status=appeal.status,
                actor=actor,
                department=department,
                region=region,
                note=note[:2000],
                at=now,
            )
            audit_append(
                actor=actor,
                action=f"hotline.appeal_{action}",
                object_type="appeal",
                object_id=appeal.pk,
                changes={"from": from_status, "to": appeal.status, "note": note},
            )
    except ConcurrentTransition as exc:
        raise Conflict("该工单已被其他人处理，请刷新后查看") from exc
    return appeal
