"""A bounded property-based run over every operation of /api/v1/ (issue 9): schemathesis generates requests
from the OpenAPI document and sends them to the real app in-process (Django's WSGI handler, no server), as an
anonymous caller, a citizen (陈浩然), two staff members who act in the loops (冯雪 at the 综合受理窗口, 周鹏 the
hotline dispatcher) and the city leader (张建国, every permission), each with a bearer token made through the
token service.

Checks on every answer: no 5xx; a status the operation declares; the declared content type; a body that
matches the declared schema; a request the document forbids is refused (negative_data_rejection); a request the
document allows gets past the edge's own validation (a business rule, such as a region that does not exist or a
check digit, may still refuse it with a 422 the operation declares).

Bounded and repeatable: EXAMPLES generated requests per operation, role and mode (positive and negative),
derandomized (Hypothesis derives each test's seed from its name), no example database, no coverage or stateful
phase, so the run sends the same requests on every machine and its time grows only with the number of
operations. Set API_PROPERTIES_EXAMPLES=200 API_PROPERTIES_COVERAGE=1 for a deeper run by hand.

Each operation and role is one pytest test inside pytest-django's transaction, so whatever its examples write
is rolled back when it ends; the cache is a fresh in-memory one per test, so no rate-limit counter or cached
table leaks into other tests either. Writes reach only data the test made: a valid generated path parameter is
replaced by an object made for this test (the citizen's own draft, an application and an appeal filed by a test
citizen, a token made to be revoked, a staff member made to be edited, an enterprise registered for the test).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from digigov.hotline.services.intake import AppealInput, submit_appeal
from digigov.identity.models import User
from digigov.identity.services import tokens
from digigov.identity.tests import factories
from digigov.onestop.models import ServiceItem
from digigov.onestop.services import applications as svc
from digigov.onestop.tests.factories import draft_with_materials

EXAMPLES = int(os.environ.get("API_PROPERTIES_EXAMPLES", "50"))  # per operation, role and generation mode
PINGSHAN = "210502000000"
PINGSHAN_STREET = "210502001000"
BUNDLE = "kaiban-canyindian"  # 开办餐饮店一件事
MATERNITY = "210500-YBJ-JF-0003"  # 生育津贴申领: no mandatory materials
ROLES = {
    "anonymous": None,
    "citizen": "chenhaoran",
    "window": "fengxue",
    "dispatcher": "zhoupeng",
    "leader": "zhangjianguo",
}

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=EXAMPLES,
    deterministic=True,
    database="none",
    with_security_parameters=False,
)
schema.config.phases.coverage.enabled = bool(os.environ.get("API_PROPERTIES_COVERAGE"))
schema.config.phases.stateful.enabled = False

EDGE_REJECTION = "请求参数不正确"  # config.api's answer when the request does not fit the operation's schemas


def document_allowed_input_is_not_refused_by_the_edge(ctx: Any, response: Any, case: Any) -> bool | None:
    """A request generated to fit the document must get past the edge's own validation: 400 (does not parse)
    or the edge's 422 means the code validates something the document does not say. A 422 from a business rule
    (a region that does not exist, a check digit) is a declared answer and passes."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code not in (400, 422):
        return None
    body = response.json()
    if response.status_code == 400 or body.get("message") == EDGE_REJECTION:
        raise AssertionError(f"the document allows this request, the API refused it: {response.status_code} {body}")
    return None


CHECKS = [
    not_a_server_error,
    document_allowed_input_is_not_refused_by_the_edge,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@dataclass
class Owned:
    """What a role's requests may write to (path template -> parameter -> value), and references that exist for
    the body fields that name one (so generated requests reach past "事项不存在" into the services)."""

    headers: dict[str, str]
    paths: dict[str, dict[str, Any]] = field(default_factory=dict)
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def _requests_inside_the_test_transaction() -> Iterator[None]:
    """Django closes the connection at the end of each request when it is not in autocommit (as inside the
    test's transaction); its test client switches that off, and so must a WSGI caller."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _owned(role: str) -> Owned:
    username = ROLES[role]
    maternity = ServiceItem.objects.get(code=MATERNITY)
    applicant = User.objects.get(username="chenhaoran") if role == "citizen" else factories.citizen()
    draft = draft_with_materials(applicant, maternity, PINGSHAN)
    submitted = svc.application_submit(actor=applicant, application=draft_with_materials(applicant, maternity))
    appeal = submit_appeal(
        actor=applicant,
        data=AppealInput(
            channel="api",
            appeal_type="complaint",
            subject="测试用诉求",
            text="平山街道胜利路35号小区电梯近一个月停运四次，物业一直推诿不修。",
            address="本溪市平山区平山街道胜利路35号",
        ),
    )
    colleague = factories.staff_member(department_code="zwfwzx", region_code="210500000000")
    headers: dict[str, str] = {}
    owner = applicant
    if username is not None:
        owner = User.objects.get(username=username)
        headers = factories.bearer(owner)
    spare_token, _secret = tokens.api_token_create(actor=owner, name="待吊销")
    enterprise = factories.enterprise(owner=applicant)
    application = draft if role in ("citizen", "anonymous") else submitted
    return Owned(
        headers=headers,
        paths={
            "/api/v1/regions/{code}": {"code": PINGSHAN},
            "/api/v1/staff/{staff_id}": {"staff_id": colleague.pk},
            "/api/v1/enterprises/{enterprise_id}": {"enterprise_id": enterprise.pk},
            "/api/v1/enterprises/{enterprise_id}/agents": {"enterprise_id": enterprise.pk},
            "/api/v1/tokens/{token_id}": {"token_id": spare_token.pk},
            "/api/v1/services/items/{code}": {"code": MATERNITY},
            "/api/v1/services/bundles/{code}": {"code": BUNDLE},
            "/api/v1/hotline/appeals/{number}": {"number": appeal.number},
            "/api/v1/hotline/appeals/{number}/transitions": {"number": appeal.number},
            **{
                f"/api/v1/services/applications/{{application_id}}{suffix}": {"application_id": application.pk}
                for suffix in ("", "/materials", "/submit", "/withdraw", "/resubmit", "/transitions", "/rating")
            },
        },
        bodies={
            "/api/v1/services/applications": {"item_code": MATERNITY, "region_code": PINGSHAN},
            "/api/v1/services/bundle-applications": {"bundle_code": BUNDLE, "region_code": PINGSHAN},
            "/api/v1/enterprises": {"region_code": PINGSHAN_STREET},
            "/api/v1/hotline/appeals": {"region_code": PINGSHAN_STREET},
            "/api/v1/hotline/appeals/{number}/transitions": {
                "department_code": "zjj",
                "handler_region_code": PINGSHAN_STREET,
            },
        },
    )


@pytest.fixture(params=list(ROLES))
def owned(request: pytest.FixtureRequest, db: None, settings: Any) -> Owned:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.nodeid}
    }
    return _owned(request.param)


def _own_path_parameters(case: Any, owned: Owned) -> None:
    """A valid generated path parameter becomes the test's own object (an invalid one stays: it must be
    refused); assigned, not edited in place, so schemathesis re-derives whether the case is still negative."""
    own = owned.paths.get(case.path)
    if not own or not case.path_parameters:
        return
    meta = case.meta
    path_component = meta.components.get(ParameterLocation.PATH) if meta else None
    if path_component is not None and path_component.mode.is_negative:
        return
    case.path_parameters = {**case.path_parameters, **own}


def _existing_references(case: Any, owned: Owned) -> None:
    """In a valid generated body, a field that names a catalogue item, bundle, region or department names one that
    exists (the generator would only ever hit "does not exist"); which fields are present stays its choice."""
    own = owned.bodies.get(case.path)
    if not own or not isinstance(case.body, dict):
        return
    body_component = case.meta.components.get(ParameterLocation.BODY) if case.meta else None
    if body_component is None or body_component.mode.is_negative:
        return
    case.body = {**case.body, **{k: v for k, v in own.items() if k in case.body}}


@schema.parametrize()
@hypothesis_settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_api(case: Any, owned: Owned) -> None:
    _own_path_parameters(case, owned)
    _existing_references(case, owned)
    case.call_and_validate(headers=owned.headers, checks=CHECKS)
