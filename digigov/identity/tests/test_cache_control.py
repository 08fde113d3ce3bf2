"""No signed-in page and no API answer to a credentialed request may be kept by a cache (issue 9 point 7):
every URL of the site, walked as a citizen and as staff, answers `Cache-Control: no-store, private`; so do API
answers to a bearer token; static files stay cacheable."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import get_resolver

from digigov.identity.policies import Access, policy_of
from digigov.identity.tests import factories
from digigov.identity.tests.test_policies import _operations, _sample_url, _walk

pytestmark = pytest.mark.django_db
NO_STORE = {"no-store", "private"}


def directives(response: object) -> set[str]:
    value = response.get("Cache-Control", "")  # type: ignore[attr-defined]
    return {part.strip() for part in value.split(",") if part.strip()}


def _page_urls() -> list[str]:
    urls = []
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if policy_of(pattern.callback) == Access.API or name == "identity:logout":  # logout would end the walk
            continue
        urls.append(_sample_url(route))
    return urls


@pytest.mark.parametrize("who", ["citizen", "staff"])
def test_every_page_answers_no_store_to_a_signed_in_user(who: str, login: Callable[[str], Client]) -> None:
    client = login("lixiulan") if who == "citizen" else factories.verified_admin_client()
    urls = _page_urls()
    assert len(urls) > 50
    served, missing = [], []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            served.append(url)
        if not directives(response) >= NO_STORE:
            missing.append(f"{url} {response.status_code} Cache-Control={response.get('Cache-Control')!r}")
    assert not missing, "signed-in answers a cache may keep:\n" + "\n".join(missing)
    assert {"/portal/", "/console/"} & set(served), served  # the walk really reached signed-in pages
    assert client.get("/portal/" if who == "citizen" else "/console/").status_code == 200  # still signed in


def test_api_answers_to_a_bearer_token_are_no_store() -> None:
    client = Client(headers=factories.bearer("zhaoyu"))
    checked = 0
    for method, route, _operation in _operations():
        if method != "GET":
            continue
        response = client.get(_sample_url(route))
        assert directives(response) >= NO_STORE, f"GET {route} {response.status_code}: {response.get('Cache-Control')}"
        checked += 1
    assert checked >= 10
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and directives(me) >= NO_STORE
    refused = Client(headers={"Authorization": "Bearer dgv_not-a-token"}).get("/api/v1/me")
    assert refused.status_code == 401 and directives(refused) >= NO_STORE


def test_static_files_stay_cacheable(login: Callable[[str], Client]) -> None:
    client = login("lixiulan")  # even with a session cookie
    response = client.get("/static/css/services-console.css")
    assert response.status_code == 200
    assert "no-store" not in directives(response)
