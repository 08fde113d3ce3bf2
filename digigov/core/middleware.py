from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
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


PRIVATE_CACHE_CONTROL = "no-store, private"


def is_private_exchange(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the answer may carry someone's data: the request presented credentials (a bearer token or any
    Authorization header, a session cookie), or the view used the session (every signed-in page does, through
    request.user), or the response starts a session."""
    session = getattr(request, "session", None)
    return bool(
        request.headers.get("Authorization")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or (session is not None and (session.accessed or session.modified))
        or settings.SESSION_COOKIE_NAME in response.cookies
    )


class PrivateCacheControlMiddleware:
    """`Cache-Control: no-store, private` on every answer to a signed-in or token-bearing request and on every
    answer that used the session, so neither a browser's disk cache nor a shared proxy keeps personal data.
    Static files are answered by WhiteNoise above this middleware and stay cacheable.

    Sits right below WhiteNoise, so its response phase runs after SessionMiddleware's and sees what the
    view did with the session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL) and is_private_exchange(request, response):
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
            del response["Expires"]
        return response
