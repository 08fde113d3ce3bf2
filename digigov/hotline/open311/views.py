"""Open311 GeoReport v2 views. Every answer, errors included, is in the format the path asks for (.json/.xml).

Access: the GET operations are public (Access.PUBLIC), as a city's 311 feed is; POST requests.{fmt} needs the
api_key of an active Open311 client, checked here (the page middleware knows nothing of API keys). POST carries
no cookie-based authority, so it is exempt from CSRF.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from digigov.core.errors import DomainError, NotFound
from digigov.core.idempotency import http_answer
from digigov.hotline.open311 import resources
from digigov.hotline.open311.intake import SERVICE_CODE_RE, Open311Error, from_domain_error, parse_post
from digigov.hotline.open311.render import error_response, respond
from digigov.hotline.open311.selectors import (
    MAX_REQUESTS,
    RequestFilter,
    open311_request_by_token,
    open311_request_get,
    open311_requests,
    open311_service_get,
    open311_services,
)
from digigov.hotline.services.open311_clients import (
    client_idempotency_key,
    open311_client_authenticate,
    open311_submit,
)
from digigov.identity.policies import Access, access

MAX_WINDOW = timedelta(days=90)
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9]{1,24}$")
STATUSES = ("open", "closed")

View = Callable[..., HttpResponse]


def open311(*methods: str) -> Callable[[View], View]:
    """Allowed methods, and Open311's error format for whatever goes wrong inside."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str = "json", **kwargs: Any) -> HttpResponse:
            allowed = (*methods, "HEAD") if "GET" in methods else methods
            if request.method not in allowed:
                response = error_response(fmt, 405, f"不支持 {request.method} 方法，可用：{', '.join(allowed)}")
                response["Allow"] = ", ".join(allowed)
                return response
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as exc:
                return error_response(fmt, exc.status, *exc.descriptions)
            except DomainError as exc:
                error = from_domain_error(exc)
                return error_response(fmt, error.status, *error.descriptions)

        return wrapper

    return decorate


# --- discovery and services -------------------------------------------------------------------------------


@access(Access.PUBLIC)
@open311("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    endpoint = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0]
    return respond(fmt, "discovery", resources.discovery(endpoint + "/"))


@access(Access.PUBLIC)
@open311("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, "services", [resources.service(c) for c in open311_services()])


@access(Access.PUBLIC)
@open311("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = open311_service_get(code) if SERVICE_CODE_RE.match(code) else None
    if category is None:
        raise NotFound("service_code 不存在")
    return respond(fmt, "service_definition", resources.service_definition(category))


# --- requests ---------------------------------------------------------------------------------------------


def _csv(request: HttpRequest, name: str, pattern: re.Pattern[str], limit: int = MAX_REQUESTS) -> list[str]:
    raw = ",".join(request.GET.getlist(name))
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if len(values) > limit:
        raise Open311Error(400, f"{name}: 最多{limit}个")
    bad = [v for v in values if not pattern.match(v)]
    if bad:
        raise Open311Error(400, f"{name}: 格式不正确（{bad[0][:40]}）")
    return values


def _moment(request: HttpRequest, name: str) -> datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise Open311Error(400, f"{name}: 应为 W3C 日期时间，如 2026-11-01T00:00:00+08:00") from exc
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _window(request: HttpRequest) -> tuple[datetime, datetime]:
    start, end = _moment(request, "start_date"), _moment(request, "end_date")
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        assert end is not None
        start = end - MAX_WINDOW
    if end is None:
        end = start + MAX_WINDOW
    if start > end:
        raise Open311Error(400, "start_date: 不能晚于 end_date")
    if end - start > MAX_WINDOW:
        raise Open311Error(400, "start_date/end_date: 查询区间不能超过90天")
    return start, end


def _request_filter(request: HttpRequest) -> RequestFilter:
    ids = _csv(request, "service_request_id", REQUEST_ID_RE)
    if ids:
        return RequestFilter(ids=ids)  # overrides every other parameter (the spec)
    statuses = _csv(request, "status", re.compile(r"^[a-z]+$"))
    if any(s not in STATUSES for s in statuses):
        raise Open311Error(400, "status: 只能为 open 或 closed")
    start, end = _window(request)
    return RequestFilter(
        service_codes=_csv(request, "service_code", SERVICE_CODE_RE), start=start, end=end, statuses=statuses
    )


def _extensions(request: HttpRequest) -> bool:
    return request.GET.get("extensions", "").lower() == "true"


def _post_params(request: HttpRequest) -> dict[str, list[str]]:
    try:
        return {name: values for name, values in request.POST.lists()}
    except RequestDataTooBig as exc:
        raise Open311Error(413, "请求体过大") from exc
    except SuspiciousOperation as exc:
        raise Open311Error(400, "请求参数过多或格式不正确") from exc


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    params = _post_params(request)
    key = (params.get("api_key") or [""])[0].strip()  # a POST parameter only: never in a URL, so never in a log
    if not key:
        raise Open311Error(403, "api_key: 提交诉求须提供接入密钥")
    client = open311_client_authenticate(key)
    if client is None:
        raise Open311Error(403, "api_key: 接入密钥无效或已吊销")
    code = (params.get("service_code") or [""])[0].strip()
    if not code:
        raise Open311Error(400, "service_code: 必填，见 services.json")
    category = open311_services().filter(code=code).first() if SERVICE_CODE_RE.match(code) else None
    if category is None:
        raise Open311Error(400, f"service_code: 不存在（{code[:20]}），见 services.json")
    submission = parse_post(params, request.headers.get("Idempotency-Key", "").strip(), category.name)
    token = client_idempotency_key(client, submission.replay_key)
    outcome = open311_submit(
        client=client,
        data=replace(submission.data, idempotency_key=token),
        answer=lambda appeal: (201, [resources.created(appeal, token)]),
    )
    status, body = http_answer(outcome, lambda appeal: [resources.created(appeal, token)])
    return respond(fmt, "service_requests", body, status=status)


@access(Access.PUBLIC)
@csrf_exempt
@open311("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    extensions = _extensions(request)
    appeals = open311_requests(_request_filter(request))
    return respond(fmt, "service_requests", [resources.request(a, extensions=extensions) for a in appeals])


@access(Access.PUBLIC)
@open311("GET")
def request_detail(request: HttpRequest, number: str, fmt: str) -> HttpResponse:
    if not REQUEST_ID_RE.match(number):
        raise NotFound("service_request_id 不存在")
    appeal = open311_request_get(number)
    return respond(fmt, "service_requests", [resources.request(appeal, extensions=_extensions(request))])


@access(Access.PUBLIC)
@open311("GET")
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    appeal = open311_request_by_token(token)
    return respond(fmt, "service_requests", [resources.token_lookup(appeal, token)])


@access(Access.PUBLIC)
@csrf_exempt
def unknown(request: HttpRequest, path: str = "") -> HttpResponse:
    fmt = "xml" if path.endswith(".xml") else "json"
    return error_response(fmt, 404, "接口不存在：可用 discovery、services、requests、tokens，以 .json 或 .xml 结尾")
