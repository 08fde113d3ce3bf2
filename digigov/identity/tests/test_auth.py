"""Login that meets 等保 2.0 level 3: lockout, TOTP for admin roles, idle timeout, headers, audit."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from digigov.core.models import AuditEntry
from digigov.identity.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "Benxi@2026"


def post_login(client: Client, identifier: str, password: str = PASSWORD) -> object:
    return client.post("/login/", {"identifier": identifier, "password": password})


def actions_for(username: str) -> list[str]:
    return list(AuditEntry.objects.filter(actor_name=username).order_by("id").values_list("action", flat=True))


@pytest.mark.parametrize("identifier", ["18900006438", "210502198809301533", "chenhaoran"])
def test_citizen_logs_in_with_mobile_id_number_or_username(identifier: str) -> None:
    client = Client()
    response = post_login(client, identifier)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").headers["Location"] == "/portal/"
    page = client.get("/portal/").content.decode()
    assert "210502********1533" in page and "189****6438" in page
    assert "210502198809301533" not in page and "18900006438" not in page
    assert actions_for("chenhaoran")[-1] == "identity.login"


def test_wrong_password_gives_one_message_for_unknown_and_known_accounts() -> None:
    client = Client()
    known = post_login(client, "chenhaoran", "Wrong#Pass1").content.decode()
    unknown = post_login(client, "nosuchuser", "Wrong#Pass1").content.decode()
    assert "账号或密码不正确" in known and "账号或密码不正确" in unknown
    failure = AuditEntry.objects.filter(action="identity.login_failed", actor_name="system").last()
    assert failure is not None and "nosuchuser" not in (failure.changed_fields + failure.object_id)


def test_logout_is_post_only_and_audited() -> None:
    client = Client()
    post_login(client, "fengxue")
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/console/").status_code == 302
    assert actions_for("fengxue")[-1] == "identity.logout"


def _secret_from(page: str) -> bytes:
    import base64

    match = re.search(r"<code[^>]*>([A-Z2-7]+)</code>", page)
    assert match, "enrolment page shows the secret"
    secret = match.group(1)
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def test_admin_must_enrol_totp_before_the_session_exists() -> None:
    client = Client()
    response = post_login(client, "wangjianguo")
    assert response.headers["Location"] == "/login/totp/enrol/"
    assert client.get("/console/").status_code == 302, "no console before the second factor"
    assert client.get("/api/v1/me").status_code == 401
    page = client.get("/login/totp/enrol/").content.decode()
    assert "<svg" in page
    key = _secret_from(page)
    bad = client.post("/login/totp/enrol/", {"token": "000000" if totp(key) != 0 else "111111"})
    assert "动态验证码不正确" in bad.content.decode()
    right_too_soon = client.post("/login/totp/enrol/", {"token": f"{totp(key):06d}"})
    assert "尝试过于频繁" in right_too_soon.content.decode(), "throttled, and told so rather than 'wrong code'"
    # django-otp throttles a device after a failure (1 s, doubling); a person waits, the test resets it.
    TOTPDevice.objects.filter(user__username="wangjianguo").update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    good = client.post("/login/totp/enrol/", {"token": f"{totp(key):06d}"})
    assert good.status_code == 302
    console = client.get("/console/")
    assert console.status_code == 200 and "系统管理员" in console.content.decode()
    assert TOTPDevice.objects.filter(user__username="wangjianguo", confirmed=True).count() == 1
    assert "identity.totp_enrolled" in actions_for("wangjianguo")


def test_admin_with_device_must_give_the_code_every_login() -> None:
    user = User.objects.get(username="zhaoli")
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    client = Client()
    assert post_login(client, "zhaoli").headers["Location"] == "/login/totp/"
    wrong = client.post("/login/totp/", {"token": "12345"})
    assert "6位数字" in wrong.content.decode()
    assert client.get("/console/").status_code == 302
    ok = client.post("/login/totp/", {"token": f"{totp(device.bin_key):06d}"})
    assert ok.status_code == 302
    assert client.get("/console/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    assert actions_for("zhaoli")[-1] == "identity.login"


def test_totp_page_without_a_pending_login_goes_back_to_login() -> None:
    response = Client().get("/login/totp/")
    assert response.status_code == 302 and response.headers["Location"] == "/login/"


def test_non_admin_staff_needs_no_second_factor() -> None:
    client = Client()
    assert post_login(client, "sujianping").headers["Location"] == "/"
    assert client.get("/console/").status_code == 200


def test_idle_session_expires_after_the_configured_minutes() -> None:
    client = Client()
    post_login(client, "fengxue")
    client.get("/console/")
    session = Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    idle = session.expire_date - timezone.now()
    assert (
        timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1) < idle <= timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    )
    # A request more than a minute after the last renewal renews the expiry: the timeout counts idle time.
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.cache import cache

    from digigov.identity.session_renewal import SEEN_KEY

    store = SessionStore(session.session_key)
    store[SEEN_KEY] = int(store[SEEN_KEY]) - 120
    store.save()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=5))
    cache.clear()
    client.get("/console/")
    assert Session.objects.get(pk=session.pk).expire_date - timezone.now() > timedelta(minutes=25)
    # An expired session is gone: the next page asks to log in again.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    cache.clear()
    time.sleep(0.01)
    assert client.get("/console/").status_code == 302


def test_security_headers_and_cookies() -> None:
    client = Client()
    response = client.get("/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    login = post_login(client, "fengxue")
    cookie = login.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert b"<script>" not in client.get("/console/").content


def test_login_form_requires_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"identifier": "fengxue", "password": PASSWORD})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_open_redirect_after_login_is_refused() -> None:
    client = Client()
    response = client.post("/login/?next=https://evil.example/", {"identifier": "fengxue", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_elder_mode_chosen_before_login_is_kept_on_the_account_and_after_logout() -> None:
    client = Client()
    client.post("/preferences/elder-mode/", {"next": "/login/"})
    post_login(client, "18900006438")
    assert User.objects.get(username="chenhaoran").elder_mode
    client.post("/logout/")
    assert 'class="elder' in client.get("/login/").content.decode().split("<body", 1)[0]


def test_server_error_page_is_chinese_and_self_contained() -> None:
    from django.test import RequestFactory

    from config.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "系统繁忙" in response.content.decode()


def test_login_goes_back_to_the_page_that_asked_for_it() -> None:
    response = Client().post("/login/?next=/services/my/", {"identifier": "18900006438", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/services/my/"
