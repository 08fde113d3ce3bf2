"""The second factor cannot be skipped (issue 9, point 1).

Between the password and the second factor a visitor holds only a "pending login" in the session. These tests
walk every page of the site in that state, submit whatever an attacker could (including a code computed from
any secret a page reveals) and prove that no page grants a session; an enrolled account cannot bind a fresh
authenticator in place of its own, and adding a device needs the current second factor.
"""

from __future__ import annotations

import base64
import re

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from config import urls as site_urls
from digigov.core.errors import Forbidden
from digigov.core.models import AuditEntry
from digigov.identity.models import NoticeKind, SecurityNotice, User
from digigov.identity.services.auth import totp_confirm
from digigov.identity.tests.test_policies import _sample_url, _walk

pytestmark = pytest.mark.django_db
PASSWORD = "Benxi@2026"
SECRET_RE = re.compile(r'data-testid="totp-secret">([A-Z2-7]+)<')


def _enrolled(username: str) -> TOTPDevice:
    return TOTPDevice.objects.create(user=User.objects.get(username=username), name="手机", confirmed=True)


def _after_password(username: str) -> Client:
    client = Client()
    response = client.post("/login/", {"identifier": username, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login/totp/")
    return client


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _code_from_revealed_secret(page: str) -> str | None:
    match = SECRET_RE.search(page)
    if not match:
        return None
    secret = match.group(1)
    return f"{totp(base64.b32decode(secret + '=' * (-len(secret) % 8))):06d}"


def _site_urls() -> list[str]:
    urls = []
    for route, _name, _pattern in _walk(site_urls.urlpatterns):
        if route.startswith(("static", "media")):
            continue
        urls.append(_sample_url(route))
    return sorted(set(urls))


def _reset_otp_throttle() -> None:
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)


def test_an_enrolled_admin_cannot_enrol_a_fresh_authenticator_instead_of_the_code() -> None:
    own = _enrolled("wangjianguo")
    client = _after_password("wangjianguo")
    response = client.get("/login/totp/enrol/")
    assert response.status_code == 302 and response.headers["Location"] == "/login/totp/"
    posted = client.post("/login/totp/enrol/", {"token": "123456"})
    assert posted.status_code == 302 and posted.headers["Location"] == "/login/totp/"
    assert not _signed_in(client)
    assert list(TOTPDevice.objects.filter(user=own.user, confirmed=True)) == [own]
    assert client.get("/console/").status_code == 302
    assert client.get("/api/v1/me").status_code == 401


def test_the_service_refuses_a_first_enrolment_for_an_enrolled_account() -> None:
    own = _enrolled("zhouyan")
    with pytest.raises(Forbidden):
        totp_confirm(user=own.user, token="123456")
    assert TOTPDevice.objects.filter(user=own.user, confirmed=True).count() == 1


@pytest.mark.parametrize("enrolled", [True, False], ids=["enrolled", "first-login"])
def test_no_page_between_password_and_second_factor_grants_a_session(enrolled: bool) -> None:
    if enrolled:
        _enrolled("wangjianguo")
    client = _after_password("wangjianguo")
    for url in _site_urls():
        if url in ("/logout/",):
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"token": "000000", "identifier": "x"})
            page = response.content.decode(errors="replace") if response.status_code == 200 else ""
            code = _code_from_revealed_secret(page)
            if code is not None and enrolled:
                _reset_otp_throttle()
                client.post(url, {"token": code})
            assert not _signed_in(client), f"{method.upper()} {url} granted a session without the second factor"
            assert client.get("/api/v1/me").status_code == 401, f"{method.upper()} {url} opened the API"
            # Keep the pending login alive for the next page (a real attacker would log in again).
            if "pending_login" not in client.session:
                client = _after_password("wangjianguo")
    assert client.get("/console/").status_code == 302


def test_first_login_enrolment_still_works_and_tells_the_owner() -> None:
    client = _after_password("zhaoli")
    page = client.get("/login/totp/enrol/").content.decode()
    code = _code_from_revealed_secret(page)
    assert code is not None
    assert client.post("/login/totp/enrol/", {"token": code}).status_code == 302
    assert _signed_in(client)
    user = User.objects.get(username="zhaoli")
    assert SecurityNotice.objects.filter(user=user, kind=NoticeKind.DEVICE_ADDED).count() == 1


def test_adding_a_device_needs_the_current_second_factor() -> None:
    own = _enrolled("zhouyan")
    client = _after_password("zhouyan")
    assert client.post("/login/totp/", {"token": f"{totp(own.bin_key):06d}"}).status_code == 302
    page = client.get("/account/security/totp/add/").content.decode()
    new_code = _code_from_revealed_secret(page)
    assert new_code is not None
    refused = client.post("/account/security/totp/add/", {"current_token": "000000", "new_token": new_code})
    assert refused.status_code == 200 and "当前身份验证器的动态验证码不正确" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=own.user, confirmed=True).count() == 1
    _reset_otp_throttle()
    # The current code was used for the login in this 30 s step: django-otp refuses a replayed code.
    own.refresh_from_db()
    own.last_t = -1
    own.save(update_fields=["last_t"])
    accepted = client.post(
        "/account/security/totp/add/", {"current_token": f"{totp(own.bin_key):06d}", "new_token": new_code}
    )
    assert accepted.status_code == 302
    assert TOTPDevice.objects.filter(user=own.user, confirmed=True).count() == 2
    assert AuditEntry.objects.filter(action="identity.totp_device_added", actor_name="zhouyan").exists()
    assert SecurityNotice.objects.filter(user=own.user, kind=NoticeKind.DEVICE_ADDED).exists()
    assert settings.SMS_BACKEND == "outbox"
