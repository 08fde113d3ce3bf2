"""The one way an application changes status: the state machine (django-fsm) says whether the transition
exists, ConcurrentTransitionMixin makes the second of two simultaneous transitions fail, and each transition
writes a history row and an audit entry in the same transaction."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from digigov.core.audit import audit_append
from digigov.core.calendar import work_calendar
from digigov.core.errors import Conflict, Forbidden
from digigov.identity.models import User
from digigov.onestop.models import Application, ApplicationStatus, ApplicationTransition
from digigov.onestop.permissions import can_act
from digigov.onestop.services import clock


def status_label(status: str) -> str:
    return str(ApplicationStatus(status).label)


def transition(
    *,
    actor: User | None,
    app: Application,
    action: str,
    comment: str = "",
    mutate: Callable[[Application], None] | None = None,
) -> Application:
    from_status = app.status
    try:
        getattr(app, action)()
    except TransitionNotAllowed as exc:
        raise Conflict(f"办件当前状态为「{status_label(from_status)}」，不能执行此操作") from exc
    if mutate is not None:
        mutate(app)
    calendar = work_calendar()
    if app.status == ApplicationStatus.COMPLETED:  # 办结: what the statistics average, counted once
        app.handling_working_days = clock.handling_working_days(app.accepted_on, app.completed_at, calendar)
    app.deadline_flag = clock.deadline_flag(app, timezone.localdate(), calendar)
    try:
        with transaction.atomic():
            app.save()
            ApplicationTransition.objects.create(
                application=app, from_status=from_status, to_status=app.status, actor=actor, comment=comment[:2000]
            )
            audit_append(
                actor=actor,
                action=f"services.application_{action}",
                object_type="application",
                object_id=app.pk,
                changes={"from": from_status, "to": app.status, "comment": comment},
            )
            if app.bundle_application_id is not None:  # a 一件事 child: its end may close the bundle application
                from digigov.onestop.services.bundles import bundle_child_transitioned  # late: import cycle

                bundle_child_transitioned(actor=actor, child=app)
    except ConcurrentTransition as exc:
        raise Conflict("该办件已被其他工作人员处理，请刷新后查看") from exc
    return app


def staff_transition(
    *,
    actor: User,
    app: Application,
    action: str,
    comment: str = "",
    mutate: Callable[[Application], None] | None = None,
) -> Application:
    if not can_act(actor, action, app):
        raise Forbidden("该办件不在您的受理或审批范围内")
    if app.handler_id is None or action in ("accept", "start_review"):
        app.handler = actor
    return transition(actor=actor, app=app, action=action, comment=comment, mutate=mutate)
