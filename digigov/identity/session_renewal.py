"""Idle timeout without a session write on every request.

Django renews a session's expiry only when it saves the session; SESSION_SAVE_EVERY_REQUEST would write the
session row (and cache) on every page view. This middleware marks the session modified at most once a
minute, so the idle timeout stays DIGIGOV_SESSION_IDLE_MINUTES (give or take that minute) at a fraction of
the writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

RENEW_EVERY_SECONDS = 60
SEEN_KEY = "_renewed_at"


class SessionRenewalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - int(session.get(SEEN_KEY, 0)) >= RENEW_EVERY_SECONDS:
                session[SEEN_KEY] = now  # modified: SessionMiddleware saves it with a fresh expiry
        return self.get_response(request)
