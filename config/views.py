"""Project-level endpoints: health check, the CSRF failure page, the error pages (core imports no domain)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from digigov.identity.policies import Access, access


@access(Access.PUBLIC)
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness plus the database engine in use; 503 when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status, code = "ok", 200
    except Exception:
        status, code = "database_unavailable", 503
    return JsonResponse({"status": status, "database": connection.vendor}, status=code)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403.html", {"message": "页面已过期或来源不明，请刷新页面后重试"}, status=403)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", {"message": "您没有访问该页面的权限"}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without context processors: whatever failed (the database, a session) must not fail again."""
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
