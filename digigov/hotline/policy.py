"""Who may do what in the 12345 hotline: the domain's one policy (ADR 0011).

``can(actor, action, obj=None) -> bool`` decides one action; ``scope_filter(actor, action) -> Q`` is the same
rule for a list of appeals. Services call ``can`` at their top (``Forbidden`` when refused); pages and the API
ask it only to decide what to show.

The centre (intake, dispatch, callback) acts on appeals of its region; a handler on appeals dispatched to its
department and handling region (a city department and the 属地 street both qualify). Settings that apply to the
whole city (time limits, channels, the routing model, Open311 keys) need a HOTLINE_MANAGE grant on the city for
every department. The workflow kernel asks ``can(actor, STEP_ACTIONS[step], appeal)`` for each state-machine
step. ``SYSTEM`` (the sweeper's 督办, Open311 intake, demo loading, commands) may do everything.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q

from digigov.core.policy import SystemActor, is_system
from digigov.hotline.models import Appeal, CallbackTask, ExtensionRequest
from digigov.identity.models import User, UserKind
from digigov.identity.permissions import Perm
from digigov.identity.policy import city_wide
from digigov.identity.scope import has_perm, in_scope, scope_q


class Action(StrEnum):
    SUBMIT = "submit"  # 受理: a citizen for themselves, an agent holding HOTLINE_INTAKE (any region), SYSTEM
    VIEW = "view"  # obj: an Appeal (its caller, the centre of its region, its handler)
    DISPATCH = "dispatch"  # centre (HOTLINE_DISPATCH on the appeal's region): 派单
    MERGE = "merge"  # centre: 并案 (master and every duplicate)
    ESCALATE = "escalate"  # centre: 督办
    DECIDE_EXTENSION = "decide_extension"  # centre: 延期审批 (obj: the appeal or the ExtensionRequest)
    CLOSE_AT_INTAKE = "close_at_intake"  # centre (HOTLINE_INTAKE): a 咨询 answered from the knowledge base
    CALLBACK = "callback"  # centre (HOTLINE_CALLBACK): 回访, and seeing the caller's number for it
    SIGN = "sign"  # handler: 签收
    RETURN_TO_CENTRE = "return_to_centre"  # handler: 退单
    REPLY = "reply"  # handler: 回复
    REQUEST_EXTENSION = "request_extension"  # handler: 申请延期
    MANAGE_SETTINGS = "manage_settings"  # city-wide HOTLINE_MANAGE: time limits, channels, routing, Open311 keys
    MANAGE_KNOWLEDGE = "manage_knowledge"  # HOTLINE_MANAGE_KNOWLEDGE: the knowledge base, the category tree


CENTRE_PERMS: dict[Action, Perm] = {
    Action.DISPATCH: Perm.HOTLINE_DISPATCH,
    Action.MERGE: Perm.HOTLINE_DISPATCH,
    Action.ESCALATE: Perm.HOTLINE_DISPATCH,
    Action.DECIDE_EXTENSION: Perm.HOTLINE_DISPATCH,
    Action.CLOSE_AT_INTAKE: Perm.HOTLINE_INTAKE,
    Action.CALLBACK: Perm.HOTLINE_CALLBACK,
}
HANDLER_ACTIONS = (Action.SIGN, Action.RETURN_TO_CENTRE, Action.REPLY, Action.REQUEST_EXTENSION)

# The steps of hotline.workflow (the kernel's step names) and the action each is decided by; the workflow's
# policy is ``can(actor, STEP_ACTIONS[step], appeal)``. A step missing here is refused (deny by default).
STEP_ACTIONS: dict[str, Action] = {
    "received": Action.SUBMIT,
    "dispatched": Action.DISPATCH,
    "signed": Action.SIGN,
    "returned": Action.RETURN_TO_CENTRE,
    "replied": Action.REPLY,
    "closed": Action.CALLBACK,  # after the callback (a merged appeal closes with its master, as the platform)
    "reopened": Action.CALLBACK,
    "answered_from_knowledge": Action.CLOSE_AT_INTAKE,
    "merged": Action.MERGE,
    "merge_master": Action.MERGE,
    "escalated": Action.ESCALATE,
    "extension_requested": Action.REQUEST_EXTENSION,
    "extension_approved": Action.DECIDE_EXTENSION,
    "extension_refused": Action.DECIDE_EXTENSION,
}


def may_take(actor: User | SystemActor | Any, step: str, appeal: Appeal) -> bool:
    """The workflow kernel's policy for hotline.workflow: who may take this step on this appeal."""
    action = STEP_ACTIONS.get(step)
    return action is not None and can(actor, action, appeal)


def _user(actor: object) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated and actor.is_active else None


def _appeal(obj: object) -> Appeal | None:
    if isinstance(obj, (CallbackTask, ExtensionRequest)):
        return obj.appeal
    return obj if isinstance(obj, Appeal) else None


def is_centre(user: User, perm: Perm, appeal: Appeal) -> bool:
    return in_scope(user, perm, region=appeal.region)


def is_handler(user: User, appeal: Appeal) -> bool:
    region = appeal.handler_region
    return region is not None and in_scope(user, Perm.HOTLINE_HANDLE, region=region, department_id=appeal.department_id)


def can(actor: User | SystemActor | Any, action: str, obj: object = None) -> bool:
    """Deny by default: anonymous actors, a missing appeal where one is needed, an unknown action."""
    if is_system(actor):
        return True
    user = _user(actor)
    if user is None:
        return False
    if action == Action.SUBMIT:
        return user.kind == UserKind.CITIZEN or has_perm(user, Perm.HOTLINE_INTAKE)
    if action == Action.MANAGE_SETTINGS:
        return city_wide(user, Perm.HOTLINE_MANAGE)
    if action == Action.MANAGE_KNOWLEDGE:
        return user.kind == UserKind.STAFF and has_perm(user, Perm.HOTLINE_MANAGE_KNOWLEDGE)
    appeal = _appeal(obj)
    return appeal is not None and _on_appeal(user, action, appeal)


def _on_appeal(user: User, action: str, appeal: Appeal) -> bool:
    if action in CENTRE_PERMS:
        return is_centre(user, CENTRE_PERMS[Action(action)], appeal)
    if action in HANDLER_ACTIONS:
        return is_handler(user, appeal)
    if action == Action.VIEW:
        if user.kind == UserKind.CITIZEN:
            return appeal.caller_user_id == user.pk
        return is_handler(user, appeal) or any(is_centre(user, p, appeal) for p in set(CENTRE_PERMS.values()))
    return False


def scope_filter(actor: User | SystemActor, action: str) -> Q:
    """The appeals actor may take action on (``Appeal`` columns); matches nothing by default."""
    if is_system(actor):
        return Q()
    user = _user(actor)
    if user is None:
        return Q(pk__in=[])
    if action == Action.VIEW:
        if user.kind == UserKind.CITIZEN:
            return Q(caller_user=user)
        q = scope_q(user, Perm.HOTLINE_HANDLE, region_field="handler_region", department_field="department")
        for perm in set(CENTRE_PERMS.values()):
            q |= scope_q(user, perm, region_field="region")
        return q
    if action in CENTRE_PERMS:
        return scope_q(user, CENTRE_PERMS[Action(action)], region_field="region")
    if action in HANDLER_ACTIONS:
        return scope_q(user, Perm.HOTLINE_HANDLE, region_field="handler_region", department_field="department")
    return Q(pk__in=[])
