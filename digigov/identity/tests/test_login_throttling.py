"""Login throttling and the same answer for every refusal (issue 9, point 2; docs/adr/0007-login-throttling.md).

conftest.py lifts the limits for the rest of the suite (every test logs in from 127.0.0.1); these tests put the
real defaults back and use their own addresses.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from digigov.core.models import AuditEntry
from digigov.core.sms import outbox_for
from digigov.identity.models import NoticeKind, SecurityNotice, User

pytestmark = pytest.mark.django_db
PASSWORD = "Benxi@2026"
WRONG = "Wrong#Pass1"
REAL_LIMITS = {
    "LOCKOUT_MINUTES": 15,
    "LOGIN_PAIR_FAILURES": 5,
    "LOGIN_ACCOUNT_CHALLENGE_AFTER": 3,
    "LOCKOUT_FAILURES": 10,
    "LOGIN_ADDRESS_CHALLENGE_AFTER": 10,
    "LOGIN_ADDRESS_FAILURES": 50,
}


class CountingHasher(Argon2PasswordHasher):
    """The suite's cheap argon2, counting verifications."""

    algorithm = "argon2"
    time_cost = 1
    memory_cost = 1024
    parallelism = 1
    verified = 0

    def verify(self, password: str, encoded: str) -> bool:
        CountingHasher.verified += 1
        return super().verify(password, encoded)


@pytest.fixture(autouse=True)
def real_limits(settings: Any) -> None:
    for name, value in REAL_LIMITS.items():
        setattr(settings, name, value)
    settings.PASSWORD_HASHERS = ["digigov.identity.tests.test_login_throttling.CountingHasher"]
    cache.clear()  # counters left by other tests


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def attempt(client: Client, identifier: str, password: str, **extra: str) -> Any:
    return client.post("/login/", {"identifier": identifier, "password": password, **extra})


def answer_challenge(client: Client, identifier: str, password: str) -> Any:
    """Answer the pending arithmetic challenge as a person (or a determined script) would; the answer is in
    the server-side session."""
    pending = client.session.get("login_challenge")
    assert pending, "a challenge was asked"
    return attempt(client, identifier, password, challenge=str(pending["answer"]))


def attempt_answering(client: Client, identifier: str, password: str) -> Any:
    """One login, answering the challenge first whenever one is pending."""
    if client.session.get("login_challenge"):
        return answer_challenge(client, identifier, password)
    response = attempt(client, identifier, password)
    if "login_challenge" in client.session and response.status_code == 200 and "请先完成安全验证" in (
        response.content.decode()
    ):
        return answer_challenge(client, identifier, password)
    return response


def error_box(response: Any) -> str:
    match = re.search(r'<div class="alert alert-error" role="alert">(.*?)</div>', response.content.decode(), re.S)
    assert match, "the page shows an error"
    return match.group(1).strip()


def test_unknown_account_wrong_password_and_locked_account_get_the_same_answer() -> None:
    User.objects.filter(username="lizhigang").update(locked_until=timezone.now() + timedelta(minutes=10))
    unknown = attempt(from_address("203.0.113.1"), "nosuchuser", WRONG)
    wrong = attempt(from_address("203.0.113.2"), "fengxue", WRONG)
    locked_right_password = attempt(from_address("203.0.113.3"), "lizhigang", PASSWORD)
    unknown_mobile = attempt(from_address("203.0.113.4"), "13912345678", WRONG)
    assert {r.status_code for r in (unknown, wrong, locked_right_password, unknown_mobile)} == {200}
    answers = {error_box(r) for r in (unknown, wrong, locked_right_password, unknown_mobile)}
    assert len(answers) == 1 and "账号或密码不正确" in answers.pop()
    assert "_auth_user_id" not in Client().session


@pytest.mark.parametrize(
    "case", ["unknown", "wrong", "right", "locked", "challenge_unanswered", "address_blocked", "pair_blocked"]
)
def test_every_path_verifies_exactly_one_password_hash(case: str, settings: Any) -> None:
    client = from_address("203.0.113.20")
    identifier, password = {"unknown": ("nosuchuser", WRONG), "right": ("fengxue", PASSWORD)}.get(
        case, ("fengxue", WRONG)
    )
    if case == "locked":
        User.objects.filter(username="fengxue").update(locked_until=timezone.now() + timedelta(minutes=10))
        password = PASSWORD
    if case == "challenge_unanswered":
        settings.LOGIN_ACCOUNT_CHALLENGE_AFTER = 0
    if case == "address_blocked":
        settings.LOGIN_ADDRESS_FAILURES = 0
    if case == "pair_blocked":
        settings.LOGIN_PAIR_FAILURES = 0
        password = PASSWORD
    CountingHasher.verified = 0
    response = attempt(client, identifier, password)
    assert CountingHasher.verified == 1, f"{case}: {CountingHasher.verified} verifications"
    assert (response.status_code == 302) == (case == "right")


def test_one_address_is_stopped_before_it_can_lock_the_owner_out() -> None:
    attacker = from_address("198.51.100.66")
    for _ in range(3 * settings.LOCKOUT_FAILURES):  # the attacker answers every challenge
        assert "账号或密码不正确" in error_box(attempt_answering(attacker, "sujianping", WRONG))
    assert User.objects.get(username="sujianping").locked_until is None, "one address cannot lock an account"
    refused = attempt_answering(attacker, "sujianping", PASSWORD)
    assert refused.status_code == 200 and "账号或密码不正确" in error_box(refused), "the address is stopped"
    assert "_auth_user_id" not in attacker.session
    # The owner, elsewhere, answers the challenge the failures earned and logs in.
    owner = from_address("192.0.2.10")
    first = attempt(owner, "sujianping", PASSWORD)
    assert "请先完成安全验证" in first.content.decode()
    assert answer_challenge(owner, "sujianping", PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(action="identity.login_pair_blocked", actor_name="sujianping").exists()


def test_failures_from_many_addresses_lock_the_account_the_owner_hears_and_the_auditor_sees(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the SMS leaves after the lock commits
        for n in range(settings.LOCKOUT_FAILURES):
            response = attempt_answering(from_address(f"198.51.100.{n + 1}"), "18900006438", WRONG)
            assert "账号或密码不正确" in error_box(response)
    citizen = User.objects.get(username="chenhaoran")
    assert citizen.locked_until is not None
    assert timedelta(minutes=14) < citizen.locked_until - timezone.now() <= timedelta(minutes=15)
    refused = attempt_answering(from_address("192.0.2.11"), "18900006438", PASSWORD)
    assert refused.status_code == 200 and "账号或密码不正确" in error_box(refused)
    assert SecurityNotice.objects.filter(user=citizen, kind=NoticeKind.LOCKED).count() == 1
    assert any("锁定" in sms.text for sms in outbox_for("18900006438"))
    # A staff account's lockout is on the security auditor's audit page.
    for n in range(settings.LOCKOUT_FAILURES):
        attempt_answering(from_address(f"198.51.101.{n + 1}"), "liguoqiang", WRONG)
    assert User.objects.get(username="liguoqiang").locked_until is not None
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=User.objects.get(username="zhaoli"), name="手机", confirmed=True)
    auditor = from_address("192.0.2.99")
    attempt(auditor, "zhaoli", PASSWORD)
    assert auditor.post("/login/totp/", {"token": f"{totp(device.bin_key):06d}"}).status_code == 302
    page = auditor.get("/console/audit/?action=identity.account_locked").content.decode()
    assert "liguoqiang" in page


def test_an_address_that_keeps_failing_needs_the_challenge_then_is_refused() -> None:
    client = from_address("198.51.100.200")
    for n in range(settings.LOGIN_ADDRESS_CHALLENGE_AFTER):
        attempt(client, f"nobody{n}", WRONG)
    asked = attempt(from_address("198.51.100.200"), "someone.else", WRONG)
    assert "请先完成安全验证" in asked.content.decode(), "a fresh session from the same address is asked too"
    wrong_answer = attempt(client, "someone.else", WRONG, challenge="999")
    assert "计算结果不正确" in wrong_answer.content.decode()
    for n in range(settings.LOGIN_ADDRESS_FAILURES):
        attempt_answering(client, f"nobody{n}", WRONG)
    blocked = attempt_answering(client, "fengxue", PASSWORD)
    assert blocked.status_code == 429 and "登录尝试过于频繁" in blocked.content.decode()
    assert AuditEntry.objects.filter(action="identity.login_address_blocked").exists()
    elsewhere = from_address("192.0.2.12")
    assert attempt(elsewhere, "fengxue", PASSWORD).status_code == 302


def test_a_challenge_answer_is_used_once() -> None:
    client = from_address("198.51.100.150")
    for _ in range(settings.LOGIN_ACCOUNT_CHALLENGE_AFTER):
        attempt(client, "caolei", WRONG)
    answer = str(client.session["login_challenge"]["answer"])
    attempt(client, "caolei", WRONG, challenge=answer)
    # The answered question is gone; drop the fresh one the refusal asked, so only the old answer is left.
    session = client.session
    del session["login_challenge"]
    session.save()
    replayed = attempt(client, "caolei", PASSWORD, challenge=answer)
    assert replayed.status_code == 200 and "_auth_user_id" not in client.session
    assert "请先完成安全验证" in replayed.content.decode() or "计算结果不正确" in replayed.content.decode()


def test_the_page_asks_the_question_the_session_will_check() -> None:
    client = from_address("198.51.100.151")
    for _ in range(settings.LOGIN_ACCOUNT_CHALLENGE_AFTER + 2):
        response = attempt_answering(client, "caolei", WRONG)
        pending = client.session.get("login_challenge")
        shown = re.search(r"安全验证：(.+?) = ？", response.content.decode())
        assert (shown.group(1) if shown else None) == (pending["question"] if pending else None)
    assert pending, "the challenge was asked"
