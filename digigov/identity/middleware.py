"""Deny by default: a view that declares no access policy is never served."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from digigov.identity.policies import Access, allows, policy_of
from digigov.identity.scope import requires_mfa

logger = logging.getLogger(__name__)


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    response = TemplateResponse(request, "errors/403.html", {"message": message}, status=403)
    return response.render()


class AccessPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        policy = policy_of(view_func)
        if policy is None:
            logger.error("view without access policy refused: %s", getattr(view_func, "__qualname__", "?"))
            return _forbidden(request, "该页面未声明访问策略，已拒绝访问")
        if policy in (Access.PUBLIC, Access.API):
            return None
        user = request.user
        if user.is_authenticated and requires_mfa(user) and not user.is_verified():  # type: ignore[attr-defined]
            logout(request)  # an admin session without its second factor is not a session
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not allows(request.user, policy):
            return _forbidden(request, "您没有访问该页面的权限")
        return None
