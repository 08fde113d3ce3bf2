"""Who may act on an appeal: the one place the loop's services and the pages ask.

The centre (intake, dispatch, callback) acts on appeals of its region; a handler on appeals dispatched to its
department and handling region (a city department and the 属地 street both qualify)."""

from __future__ import annotations

from digigov.hotline.models import Appeal
from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.scope import in_scope


def is_centre(user: User, perm: Perm, appeal: Appeal) -> bool:
    return in_scope(user, perm, region=appeal.region)


def is_handler(user: User, appeal: Appeal) -> bool:
    region = appeal.handler_region
    return region is not None and in_scope(user, Perm.HOTLINE_HANDLE, region=region, department_id=appeal.department_id)
