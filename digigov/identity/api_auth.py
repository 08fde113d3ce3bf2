"""API authentication: bearer tokens for machine clients, the browser session for pages' own calls."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from digigov.identity.scope import requires_mfa
from digigov.identity.services.tokens import api_token_authenticate


class BearerTokenAuth(HttpBearer):
    openapi_description = "接口令牌: Authorization: Bearer dgv_…"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class VerifiedSessionAuth(SessionAuth):
    """The signed-in browser session; an admin session counts only after its second factor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and requires_mfa(user) and not user.is_verified():
            return None
        return user
