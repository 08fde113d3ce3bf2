"""API authentication: bearer tokens for machine clients, the browser session for pages' own calls."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from digigov.core.errors import Forbidden
from digigov.identity.scope import requires_mfa
from digigov.identity.services.tokens import api_token_authenticate


class CsrfFailed(Forbidden):
    """A signed-in browser session sent an unsafe request without its CSRF token."""

    code = "csrf_failed"

    def __init__(self) -> None:
        super().__init__("页面已过期或来源不明，请刷新页面后重试 (缺少 CSRF 令牌)")


class BearerTokenAuth(HttpBearer):
    openapi_description = "接口令牌: Authorization: Bearer dgv_…"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class VerifiedSessionAuth(SessionAuth):
    """The signed-in browser session; an admin session counts only after its second factor.

    The CSRF token is demanded only of a request that really carries a signed-in session: an anonymous
    request has no ambient authority to abuse, and is answered 401 like any other unauthenticated call.
    """

    openapi_description = "浏览器会话 (Cookie); POST/PUT/PATCH/DELETE 须带 X-CSRFToken"

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise CsrfFailed()
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        user = super().authenticate(request, key)
        if user is not None and requires_mfa(user) and not user.is_verified():
            return None
        return user
