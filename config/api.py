"""The JSON API at /api/v1/: one NinjaAPI, a router per domain, one error shape."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from digigov.core.errors import DomainError
from digigov.identity.api import router as identity_router
from digigov.identity.api_auth import BearerTokenAuth, VerifiedSessionAuth

api = NinjaAPI(
    title="DigiGov 数字政府一体化平台 API",
    version="1.0.0",
    description="统一身份认证、组织机构与数据范围。认证: `Authorization: Bearer <令牌>`, 或浏览器会话(需 CSRF)。",
    urls_namespace="api",
    auth=[BearerTokenAuth(), VerifiedSessionAuth(csrf=True)],
    openapi_url="/openapi.json",
    docs_url=None,
)
api.add_router("/", identity_router)


def _error(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "fields": fields or {}}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for item in exc.errors:
        location: list[Any] = [part for part in item.get("loc", []) if part not in ("body", "query", "path", "payload")]
        fields[".".join(str(part) for part in location) or "request"] = str(item.get("msg", "无效"))
    return _error(request, 422, "validation_failed", "请求参数不正确", fields)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "未登录或令牌无效")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "对象不存在或无权访问")
