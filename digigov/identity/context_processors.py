from __future__ import annotations

from django.http import HttpRequest

from digigov.identity.selectors import unread_security_notices
from digigov.identity.views.pages import ELDER_SESSION_KEY


def ui_preferences(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        elder = bool(getattr(user, "elder_mode", False))
    else:
        elder = bool(request.session.get(ELDER_SESSION_KEY, False)) if hasattr(request, "session") else False
    unread = unread_security_notices(user) if user is not None and user.is_authenticated else 0
    return {"elder_mode": elder, "unread_security_notices": unread}
