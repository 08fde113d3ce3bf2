from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from digigov.core.inbox.selectors import inbox_open_count
from digigov.identity.models import UserKind
from digigov.identity.selectors import unread_security_notices
from digigov.identity.views.pages import ELDER_SESSION_KEY


def ui_preferences(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        elder = bool(getattr(user, "elder_mode", False))
    else:
        elder = bool(request.session.get(ELDER_SESSION_KEY, False)) if hasattr(request, "session") else False
    unread = unread_security_notices(user) if user is not None and user.is_authenticated else 0
    return {"elder_mode": elder, "unread_security_notices": unread, "header_inbox": _header_inbox(user)}


def _header_inbox(user: object) -> dict[str, object] | None:
    """The open 待办 count for the header: staff only (one indexed count query)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "kind", None) != UserKind.STAFF:
        return None
    return {"count": inbox_open_count(user), "url": reverse("identity:inbox")}
