"""The JSON API at /api/v1/: one NinjaAPI, a router per domain, one error shape (digigov.core.api_errors)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from digigov.core.api_errors import validation_fields
from digigov.core.errors import DomainError
from digigov.hotline.api import router as hotline_router
from digigov.identity.api import router as identity_router
from digigov.identity.api_auth import BearerTokenAuth, VerifiedSessionAuth
from digigov.onestop.api import router as services_router


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese as itself, not \\uXXXX escapes (half the bytes, readable in logs)."""

    json_dumps_params = {"ensure_ascii": False}


def _json_number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


class JSONNumberParser(Parser):
    """JSON has numbers, not ints and floats: `3.0` is the integer 3 (JSON Schema's `integer` says so), so the
    input schemas, strict about types, take it for an integer field; `3.5` stays a float and is refused there."""

    def parse_body(self, request: HttpRequest) -> Any:
        return json.loads(request.body, parse_float=_json_number)


class DigiGovAPI(NinjaAPI):
    """NinjaAPI whose every answer under /api/v1/ is JSON in the one error shape, including the two that
    ninja leaves to Django: a wrong method on a known path (405) and a path that matches nothing (404)."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        wrapped: list[URLResolver | URLPattern] = []
        for pattern in patterns:
            if isinstance(pattern, URLPattern) and pattern.name == "api-root":
                pattern = URLPattern(pattern.pattern, self._unknown_path_view(), pattern.default_args, pattern.name)
            elif isinstance(pattern, URLPattern):
                pattern = URLPattern(
                    pattern.pattern, self._json_method_errors(pattern.callback), pattern.default_args, pattern.name
                )
            wrapped.append(pattern)
        wrapped.append(re_path(r"^.*$", self._unknown_path_view(), name="unknown-path"))
        return wrapped, app_name, namespace

    def _unknown_path_view(self) -> Callable[..., HttpResponse]:
        def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return self.create_response(
                request, {"code": "not_found", "message": "接口不存在", "fields": {}}, status=404
            )

        return unknown_path

    def _json_method_errors(self, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)  # keeps csrf_exempt: ninja checks CSRF itself, per auth
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
                allowed = response.get("Allow", "")
                response = self.create_response(
                    request,
                    {"code": "method_not_allowed", "message": f"不支持该请求方法，可用：{allowed}", "fields": {}},
                    status=405,
                )
                response["Allow"] = allowed
            return response

        return wrapper


api = DigiGovAPI(
    title="DigiGov 数字政府一体化平台 API",
    version="1.0.0",
    description=(
        "统一身份认证、组织机构与数据范围。认证: `Authorization: Bearer <令牌>`, 或浏览器会话(写操作需 CSRF)。"
        "所有错误均为 `{code, message, fields}`。"
    ),
    urls_namespace="api",
    auth=[BearerTokenAuth(), VerifiedSessionAuth(csrf=True)],
    openapi_url="/openapi.json",
    docs_url=None,
    renderer=ChineseJSONRenderer(),
    parser=JSONNumberParser(),
)
api.add_router("/", identity_router)
api.add_router("/services", services_router)
api.add_router("/hotline", hotline_router)

# ninja's own HttpErrors (a body that does not parse, throttling, ...) in the platform's words.
_HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("malformed_request", "请求体无法解析，请发送有效的 JSON"),
    403: ("forbidden", "无权执行此操作"),
    404: ("not_found", "对象不存在或无权访问"),
    405: ("method_not_allowed", "不支持该请求方法"),
    429: ("throttled", "请求过于频繁，请稍后再试"),
}


def _error(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "fields": fields or {}}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, 422, "validation_failed", "请求参数不正确", validation_fields(exc.errors))


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, "unauthenticated", "未登录或令牌无效")
    response["WWW-Authenticate"] = 'Bearer realm="digigov"'
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = _HTTP_ERRORS.get(exc.status_code, ("http_error", str(exc)))
    return _error(request, exc.status_code, code, message)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "对象不存在或无权访问")
