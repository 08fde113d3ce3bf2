"""Deny by default, checked over the whole site (issue points 9 and 10; CKAN's test_coding_standards idea):

* every URL's view declares an access policy, and a view without one is refused by the middleware;
* every API operation is behind auth unless it is on the explicit public list below;
* every operation declares the errors it can answer, all in the one ErrorOut shape;
* anonymous visitors are sent to the login page (pages) or get a structured 401 (API).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from config import urls as site_urls
from config.api import api
from digigov.identity.models import User
from digigov.identity.policies import Access, access, policy_of

# Operations anyone may call without signing in, each with the reason.
PUBLIC_OPERATIONS: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/citizens"): "自然人实名注册: the account does not exist yet",
    ("GET", "/api/v1/services/items"): "政务服务事项目录: public information, printed in every service hall",
    ("GET", "/api/v1/services/items/{code}"): "办事指南: public information",
    ("GET", "/api/v1/services/bundles"): "一件事目录: public information",
    ("GET", "/api/v1/services/bundles/{code}"): "一件事的合并申请表和材料: public information",
}
# Views of the API mount that are not operations: the OpenAPI document (public by design), ninja's root and
# the catch-all that answers unknown paths with a JSON 404.
API_SUPPORT_VIEWS = {"api:openapi-json", "api:api-root", "api:unknown-path"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
ERROR_SCHEMA = "#/components/schemas/ErrorOut"


# --- walking the site -----------------------------------------------------------------------------------


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    """(route, qualified name, pattern) of every URL pattern, recursively through includes."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            name = f"{namespace}:{entry.name}".strip(":") if entry.name else ""
            yield prefix + str(entry.pattern), name, entry


def _view_name(callback: Any) -> str:
    target = getattr(callback, "func", callback)  # functools.partial
    return f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', repr(target))}"


def _operations() -> Iterator[tuple[str, str, Any]]:
    """(method, path, ninja Operation) of every operation the API serves (the bound copies, whose auth
    is the effective one after inheriting from the router and the API)."""
    for bound in api._get_bound_routers():
        for route, path_view in bound.path_operations.items():
            full = "/" + "/".join(p.strip("/") for p in ("api/v1", bound.prefix, route) if p.strip("/"))
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, full, operation


def _sample_url(route: str) -> str:
    """A concrete URL for a route, path parameters filled with a plausible value."""
    url = re.sub(r"<(?:int:)?[^>]*(?:_id|pk)>", "1", route)
    url = re.sub(r"<[^>]+>", "x", url)
    url = re.sub(r"\{[^}]*(?:_id|pk)\}", "1", url)
    url = re.sub(r"\{[^}]+\}", "x", url)
    return "/" + url.lstrip("/")


# --- 1. every view declares a policy --------------------------------------------------------------------


def test_every_url_declares_an_access_policy() -> None:
    patterns = list(_walk(get_resolver().url_patterns))
    assert len(patterns) > 10
    undeclared = [
        f"{route} -> {_view_name(p.callback)}" for route, _name, p in patterns if policy_of(p.callback) is None
    ]
    assert not undeclared, "views without an access policy (decorate them with @access):\n" + "\n".join(undeclared)


def test_api_policy_is_carried_only_by_the_api_mount() -> None:
    """Access.API hands the decision to ninja; only the API's own views may carry it, and every one of them is
    an operation (checked below) or a documented support view."""
    operation_routes = {path for _method, path, _op in _operations()}
    misplaced = []
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if policy_of(pattern.callback) != Access.API:
            continue
        is_operation = re.sub(r"<([^>]+)>", r"{\1}", "/" + route) in operation_routes
        if not route.startswith("api/v1/") or not (is_operation or name in API_SUPPORT_VIEWS):
            misplaced.append(route)
    assert not misplaced, f"Access.API outside the API's operations: {misplaced}"


# --- 2. every operation is authenticated or explicitly public -------------------------------------------


def test_every_api_operation_has_auth_or_is_explicitly_public() -> None:
    operations = list(_operations())
    assert len(operations) >= 10
    undeclared = []
    for method, route, operation in operations:
        public = (method, route) in PUBLIC_OPERATIONS
        if operation.auth_callbacks and public:
            undeclared.append(f"{method} {route}: listed as public but requires auth; update PUBLIC_OPERATIONS")
        if not operation.auth_callbacks and not public:
            undeclared.append(f"{method} {route}: no auth and not in PUBLIC_OPERATIONS")
    assert not undeclared, "\n".join(undeclared)
    served = {(method, route) for method, route, _op in operations}
    assert set(PUBLIC_OPERATIONS) <= served, "PUBLIC_OPERATIONS names an operation that no longer exists"


def test_api_default_auth_is_token_then_verified_session() -> None:
    names = [type(callback).__name__ for callback in api.auth]  # type: ignore[union-attr]
    assert names == ["BearerTokenAuth", "VerifiedSessionAuth"]


# --- 3. every operation declares its errors, in the one shape -------------------------------------------


@pytest.mark.django_db
def test_openapi_document_declares_every_error_response() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    error_schema = document["components"]["schemas"]["ErrorOut"]
    assert set(error_schema["required"]) == {"code", "message", "fields"}
    problems = []
    checked = 0
    for route, methods in document["paths"].items():
        for method, spec in methods.items():
            checked += 1
            where = f"{method.upper()} {route}"
            declared = {int(status) for status in spec["responses"]}
            needed = set()
            if spec.get("security"):
                needed.add(401)
                if method.upper() in UNSAFE_METHODS:
                    needed.add(403)  # the session's CSRF check
            if spec.get("parameters") or "requestBody" in spec:
                needed.add(422)
            if "requestBody" in spec:
                needed.add(400)  # a body that does not parse
            if any(p["in"] == "path" for p in spec.get("parameters", [])) and method.upper() != "POST":
                needed.add(404)
            if (method.upper(), route) not in PUBLIC_OPERATIONS and not spec.get("security"):
                problems.append(f"{where}: no security requirement in the document")
            for status in sorted(needed - declared):
                problems.append(f"{where}: does not declare {status}")
            for status, answer in spec["responses"].items():
                if int(status) >= 400:
                    schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
                    if schema.get("$ref") != ERROR_SCHEMA:
                        problems.append(f"{where}: {status} is not ErrorOut ({schema})")
    assert checked >= 10
    assert not problems, "\n".join(problems)


def test_declared_responses_match_between_operations_and_document() -> None:
    """Bound operations and the document agree, so the test above covers what is really served."""
    document = api.get_openapi_schema()
    for method, route, operation in _operations():
        spec = document["paths"][route][method.lower()]
        assert {int(s) for s in spec["responses"]} == set(operation.response_models), f"{method} {route}"


# --- 4. a view without a policy is refused --------------------------------------------------------------


def naked_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("should never be served")


@access(Access.PUBLIC)
def declared_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("served")


# The site plus two test views (the refusal page links back into the site, so the site must be there).
urlpatterns = [
    path("naked/", naked_view, name="naked"),
    path("declared/", declared_view, name="declared"),
    *site_urls.urlpatterns,
]


@pytest.mark.django_db
@pytest.mark.urls("digigov.identity.tests.test_policies")
def test_view_without_policy_is_refused_by_the_middleware() -> None:
    assert Client().get("/declared/").content == b"served"
    anonymous = Client().get("/naked/")
    assert anonymous.status_code == 403
    assert b"should never be served" not in anonymous.content
    # even for a signed-in account with every permission in the city
    signed_in = Client()
    signed_in.force_login(User.objects.get(username="zhangjianguo"))
    assert signed_in.get("/naked/").status_code == 403
    assert signed_in.post("/naked/").status_code == 403


# --- 5. anonymous visitors ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login_from_every_non_public_page() -> None:
    login_url = reverse("identity:login")
    checked = []
    for route, _name, pattern in _walk(get_resolver().url_patterns):
        policy = policy_of(pattern.callback)
        if policy in (Access.PUBLIC, Access.API):
            continue
        url = _sample_url(route)
        for method in ("get", "post"):
            response = getattr(Client(), method)(url)
            assert response.status_code == 302, f"{method.upper()} {url}: {response.status_code}"
            assert response["Location"].startswith(f"{login_url}?next="), f"{url} -> {response['Location']}"
        checked.append(url)
    assert {"/portal/", "/console/", "/console/staff/"} <= set(checked)


@pytest.mark.django_db
def test_anonymous_calls_to_every_api_operation_answer_a_structured_401() -> None:
    client = Client(enforce_csrf_checks=True)  # as a browser without a session would
    checked = 0
    for method, route, operation in _operations():
        if (method, route) in PUBLIC_OPERATIONS:
            continue
        url = _sample_url(route)
        call = getattr(client, method.lower())
        response = call(url, data="{}", content_type="application/json") if method in UNSAFE_METHODS else call(url)
        assert response.status_code == 401, f"{method} {url}: {response.status_code} {response.content!r}"
        body = response.json()
        assert set(body) == {"code", "message", "fields"} and body["code"] == "unauthenticated", body
        assert 401 in operation.response_models, f"{method} {route} answers 401 without declaring it"
        checked += 1
    assert checked >= 10


@pytest.mark.django_db
def test_public_operations_work_anonymously_without_csrf() -> None:
    client = Client(enforce_csrf_checks=True)
    for method, route in PUBLIC_OPERATIONS:
        call = getattr(client, method.lower())
        if method in ("GET", "HEAD"):
            response = call(_sample_url(route))
        else:
            response = call(_sample_url(route), data="{}", content_type="application/json")
        assert response.status_code not in (401, 403), f"{method} {route}: {response.status_code}"
