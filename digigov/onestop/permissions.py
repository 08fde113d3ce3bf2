"""Who may act on an application: the 综合窗口 accepts (受理), the item's department decides (审查/决定/办结).

A grant must cover the application's region and its department (the item's owning department).
"""

from __future__ import annotations

from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.scope import in_scope
from digigov.onestop.models import Application, ApplicationStatus

# Staff actions and the permission each needs. request_correction depends on the stage (see below).
ACTION_PERMS: dict[str, Perm] = {
    "accept": Perm.ACCEPT_APPLICATION,
    "reject": Perm.ACCEPT_APPLICATION,
    "start_review": Perm.DECIDE_APPLICATION,
    "approve": Perm.DECIDE_APPLICATION,
    "refuse": Perm.DECIDE_APPLICATION,
    "complete": Perm.DECIDE_APPLICATION,
}


def perm_for(action: str, app: Application) -> Perm:
    if action == "request_correction":
        return Perm.ACCEPT_APPLICATION if app.status == ApplicationStatus.SUBMITTED else Perm.DECIDE_APPLICATION
    return ACTION_PERMS[action]


def can_act(actor: User, action: str, app: Application) -> bool:
    return in_scope(actor, perm_for(action, app), region=app.region, department_id=app.department_id)
