"""Who may do what in 一网通办: the domain's one policy (ADR 0011).

``can(actor, action, obj=None) -> bool`` decides one action on one object; ``scope_filter(actor, action) -> Q``
is the same rule for a list. Services call ``can`` at their top and raise (``Forbidden``, or ``NotFound`` where
the object must not be seen at all); pages and the API ask it only to decide what to show.

The workflow steps are actions too (``STEPS``: their values are the state machine's action names), so the
workflow kernel asks ``can(actor, step, application)`` for each step: the 综合窗口 accepts (受理, 不予受理, 补正
before acceptance), the item's department decides (审查, 许可, 不予许可, 办结, 补正 during review). A grant must
cover the application's region and its department (the item's owning department). ``SYSTEM`` (秒批, demo
loading, commands) may take every step.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q

from digigov.core.policy import SystemActor, is_system
from digigov.identity.models import Department, User, UserKind
from digigov.identity.permissions import Perm
from digigov.identity.scope import has_perm, in_scope, scope_q
from digigov.identity.selectors import enterprises_acted_for
from digigov.onestop.models import Application, ApplicationStatus, RectificationTask, ServiceItem


class Action(StrEnum):
    # workflow steps on an application (staff); the values are the state machine's action names
    ACCEPT = "accept"
    REJECT = "reject"
    REQUEST_CORRECTION = "request_correction"
    START_REVIEW = "start_review"
    APPROVE = "approve"
    REFUSE = "refuse"
    COMPLETE = "complete"
    # the applicant's own application (draft, submit, withdraw, resubmit, materials, rating): NotFound otherwise
    ACT_AS_APPLICANT = "act_as_applicant"
    # read an application (applicant, their enterprises' agents, staff in accept/decide scope; drafts are private)
    VIEW_APPLICATION = "view_application"
    # maintain the catalogue items of a department (obj: a Department or a ServiceItem; None: anywhere)
    MAINTAIN_CATALOGUE = "maintain_catalogue"
    MANAGE_BUNDLES = "manage_bundles"  # 一件事: bundles span departments
    ANSWER_RECTIFICATION = "answer_rectification"  # obj: a RectificationTask (差评整改, by the handling department)
    VIEW_STATISTICS = "view_statistics"


STEPS: tuple[Action, ...] = (
    Action.ACCEPT,
    Action.REJECT,
    Action.REQUEST_CORRECTION,
    Action.START_REVIEW,
    Action.APPROVE,
    Action.REFUSE,
    Action.COMPLETE,
)

# Staff steps and the permission each needs. request_correction depends on the stage (perm_for).
ACTION_PERMS: dict[str, Perm] = {
    Action.ACCEPT: Perm.ACCEPT_APPLICATION,
    Action.REJECT: Perm.ACCEPT_APPLICATION,
    Action.START_REVIEW: Perm.DECIDE_APPLICATION,
    Action.APPROVE: Perm.DECIDE_APPLICATION,
    Action.REFUSE: Perm.DECIDE_APPLICATION,
    Action.COMPLETE: Perm.DECIDE_APPLICATION,
}


def perm_for(action: str, app: Application) -> Perm:
    if action == Action.REQUEST_CORRECTION:
        return Perm.ACCEPT_APPLICATION if app.status == ApplicationStatus.SUBMITTED else Perm.DECIDE_APPLICATION
    return ACTION_PERMS[action]


def _user(actor: object) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated and actor.is_active else None


def _catalogue_department(obj: object) -> Department | None:
    if isinstance(obj, ServiceItem):
        return obj.department
    return obj if isinstance(obj, Department) else None


def can(actor: User | SystemActor | Any, action: str, obj: object = None) -> bool:
    """Deny by default: an anonymous actor, a missing object where one is needed, an unknown action."""
    if is_system(actor):
        return True
    user = _user(actor)
    if user is None:
        return False
    if action in STEPS:
        return isinstance(obj, Application) and in_scope(
            user, perm_for(action, obj), region=obj.region, department_id=obj.department_id
        )
    if action == Action.ACT_AS_APPLICANT:
        return isinstance(obj, Application) and obj.applicant_id == user.pk
    if action == Action.VIEW_APPLICATION:
        return isinstance(obj, Application) and _sees_application(user, obj)
    if action == Action.MAINTAIN_CATALOGUE:
        return _maintains(user, _catalogue_department(obj), obj is None)
    if action == Action.MANAGE_BUNDLES:
        return user.kind == UserKind.STAFF and has_perm(user, Perm.MANAGE_CATALOGUE)
    if action == Action.ANSWER_RECTIFICATION:
        return isinstance(obj, RectificationTask) and in_scope(
            user,
            Perm.ANSWER_RECTIFICATION,
            region=obj.rating.application.region,
            department_id=obj.department_id,
        )
    if action == Action.VIEW_STATISTICS:
        return has_perm(user, Perm.VIEW_SERVICE_STATISTICS)
    return False


def _maintains(user: User, department: Department | None, anywhere: bool) -> bool:
    """One rule for the catalogue (the item pages' "edit" link, the item services, the Excel import): a
    MANAGE_CATALOGUE grant covering the department's region and the department."""
    if user.kind != UserKind.STAFF:
        return False
    if department is None:
        return anywhere and has_perm(user, Perm.MANAGE_CATALOGUE)
    return in_scope(user, Perm.MANAGE_CATALOGUE, region=department.region, department_id=department.pk)


def _sees_application(user: User, app: Application) -> bool:
    if user.kind == UserKind.CITIZEN:
        if app.applicant_id == user.pk:
            return True
        return app.enterprise_id is not None and enterprises_acted_for(user).filter(pk=app.enterprise_id).exists()
    if app.status == ApplicationStatus.DRAFT:
        return False
    return any(
        in_scope(user, perm, region=app.region, department_id=app.department_id)
        for perm in (Perm.ACCEPT_APPLICATION, Perm.DECIDE_APPLICATION)
    )


def scope_filter(actor: User | SystemActor, action: str) -> Q:
    """The rows (of the queryset the action is about) actor may act on; matches nothing by default.

    VIEW_APPLICATION and the steps filter applications; MAINTAIN_CATALOGUE filters service items."""
    if is_system(actor):
        return Q()
    user = _user(actor)
    if user is None:
        return Q(pk__in=[])
    if action == Action.VIEW_APPLICATION:
        if user.kind == UserKind.CITIZEN:
            return Q(applicant=user) | Q(enterprise__in=enterprises_acted_for(user))
        scope = scope_q(user, Perm.ACCEPT_APPLICATION, region_field="region", department_field="department")
        scope |= scope_q(user, Perm.DECIDE_APPLICATION, region_field="region", department_field="department")
        return scope & ~Q(status=ApplicationStatus.DRAFT)
    if action in ACTION_PERMS:
        return scope_q(user, ACTION_PERMS[action], region_field="region", department_field="department")
    if action == Action.ACT_AS_APPLICANT:
        return Q(applicant=user)
    if action == Action.MAINTAIN_CATALOGUE and user.kind == UserKind.STAFF:
        return scope_q(user, Perm.MANAGE_CATALOGUE, region_field="department__region", department_field="department")
    return Q(pk__in=[])
