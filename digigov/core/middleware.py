from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from digigov.core.request_context import RequestContext, reset_request_context, set_request_context


class RequestContextMiddleware:
    """Record the caller's address for the audit trail. Behind a proxy, configure it to set REMOTE_ADDR."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_request_context(RequestContext(source_ip=request.META.get("REMOTE_ADDR") or None))
        try:
            return self.get_response(request)
        finally:
            reset_request_context(token)
