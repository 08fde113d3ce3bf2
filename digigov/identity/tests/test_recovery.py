"""Getting back in (issue 9, point 2): citizens by a code to the registered mobile, staff through their
administrator; the same answer for unregistered numbers; limits; every step audited and the owner told."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from digigov.core.models import AuditEntry, SmsOutboxMessage
from digigov.core.sms import outbox_for
from digigov.identity.models import NoticeKind, SecurityNotice, User

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Huanren#2027"


@pytest.fixture(autouse=True)
def fresh_counters(settings: Any) -> None:
    settings.RECOVERY_CODES_PER_HOUR = 5
    cache.clear()


def _code_sent_to(mobile: str) -> str:
    texts = [sms.text for sms in outbox_for(mobile) if sms.purpose == "identity.recovery_code"]
    assert texts, "a code was texted"
    match = re.search(r"验证码 (\d{6})", texts[0])
    assert match
    return match.group(1)


def _ask_code(client: Client, mobile: str) -> Any:
    return client.post("/login/recover/", {"mobile": mobile})


def test_a_locked_citizen_resets_the_password_with_a_texted_code(django_capture_on_commit_callbacks: Any) -> None:
    User.objects.filter(username="chenhaoran").update(locked_until=timezone.now() + timedelta(minutes=10))
    client = Client()
    response = _ask_code(client, "18900006438")
    assert response.status_code == 302 and response.headers["Location"] == "/login/recover/verify/"
    code = _code_sent_to("18900006438")
    wrong = client.post("/login/recover/verify/", {"code": "000000" if code != "000000" else "111111"})
    assert "验证码不正确或已过期" in wrong.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            "/login/recover/verify/", {"code": code, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
        )
    assert done.status_code == 302 and done.headers["Location"] == "/login/"
    user = User.objects.get(username="chenhaoran")
    assert user.locked_until is None and user.check_password(NEW_PASSWORD)
    replay = Client()
    _ask_code(replay, "18900006438")
    assert replay.post("/login/recover/verify/", {"code": code}).status_code == 200, "a used code is gone"
    assert Client().post("/login/", {"identifier": "18900006438", "password": NEW_PASSWORD}).status_code == 302
    assert SecurityNotice.objects.filter(user=user, kind=NoticeKind.PASSWORD_RESET).exists()
    assert any("密码已重置" in sms.text for sms in outbox_for("18900006438"))
    actions = set(AuditEntry.objects.filter(actor_name="chenhaoran").values_list("action", flat=True))
    assert {"identity.recovery_code_sent", "identity.password_reset", "identity.account_unlocked"} <= actions


def test_a_code_only_lifts_the_lock_when_no_password_is_given() -> None:
    User.objects.filter(username="lixiulan").update(locked_until=timezone.now() + timedelta(minutes=10))
    client = Client()
    _ask_code(client, "13800001352")
    done = client.post("/login/recover/verify/", {"code": _code_sent_to("13800001352")})
    assert done.status_code == 302
    assert User.objects.get(username="lixiulan").locked_until is None
    assert Client().post("/login/", {"identifier": "13800001352", "password": "Benxi@2026"}).status_code == 302


def test_an_unregistered_number_gets_the_same_answer_and_nothing_is_sent() -> None:
    before = SmsOutboxMessage.objects.count()
    known, unknown = Client(), Client()
    a, b = _ask_code(known, "18900006438"), _ask_code(unknown, "13912340000")
    assert a.status_code == b.status_code == 302 and a.headers["Location"] == b.headers["Location"]
    page_a = known.get(a.headers["Location"]).content.decode()
    page_b = unknown.get(b.headers["Location"]).content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", page_a) == strip.sub("", page_b)
    assert SmsOutboxMessage.objects.count() == before + 1
    assert "验证码不正确或已过期" in unknown.post("/login/recover/verify/", {"code": "123456"}).content.decode()


def test_codes_per_number_are_limited_and_guessing_a_code_runs_out() -> None:
    for _ in range(5):
        assert _ask_code(Client(REMOTE_ADDR=f"198.51.100.{_ + 1}"), "18900006438").status_code == 302
    limited = _ask_code(Client(REMOTE_ADDR="198.51.100.77"), "18900006438")
    assert limited.status_code == 429 and "操作过于频繁" in limited.content.decode()
    cache.clear()
    client = Client()
    _ask_code(client, "18900006438")
    code = _code_sent_to("18900006438")
    for guess in ("000001", "000002", "000003", "000004", "000005"):
        if guess != code:
            client.post("/login/recover/verify/", {"code": guess})
    assert "验证码不正确" in client.post("/login/recover/verify/", {"code": code}).content.decode()


def test_a_weak_new_password_is_refused_without_using_up_the_code() -> None:
    client = Client()
    _ask_code(client, "18900006438")
    code = _code_sent_to("18900006438")
    weak = client.post("/login/recover/verify/", {"code": code, "password": "abc", "password_again": "abc"})
    assert weak.status_code == 200 and "密码" in weak.content.decode()
    assert client.post("/login/recover/verify/", {"code": code}).status_code == 302


def _zhouyan(login: Any) -> Client:
    from django_otp.oath import totp

    device = TOTPDevice.objects.create(user=User.objects.get(username="zhouyan"), name="手机", confirmed=True)
    client = Client()
    client.post("/login/", {"identifier": "zhouyan", "password": "Benxi@2026"})
    assert client.post("/login/totp/", {"token": f"{totp(device.bin_key):06d}"}).status_code == 302
    return client


def test_a_staff_administrator_unlocks_resets_the_password_and_the_authenticator(login: Any) -> None:
    from digigov.identity.models import StaffProfile

    target = StaffProfile.objects.get(user__username="caolei")
    User.objects.filter(pk=target.user_id).update(locked_until=timezone.now() + timedelta(minutes=10))
    TOTPDevice.objects.create(user=target.user, name="旧手机", confirmed=True)
    admin = _zhouyan(login)
    url = f"/console/staff/{target.pk}/security/"
    assert "已锁定" in admin.get(url).content.decode()
    no_reason = admin.post(url, {"action": "unlock", "reason": ""})
    assert no_reason.status_code == 200 and User.objects.get(pk=target.user_id).locked_until is not None
    assert admin.post(url, {"action": "unlock", "reason": "本人来电核实身份"}).status_code == 302
    assert User.objects.get(pk=target.user_id).locked_until is None
    assert admin.post(url, {"action": "totp", "reason": "手机丢失，本人到场"}).status_code == 302
    assert not TOTPDevice.objects.filter(user_id=target.user_id).exists()
    page = admin.post(url, {"action": "password", "reason": "忘记密码，本人到场"}).content.decode()
    match = re.search(r'data-testid="one-time-password">([^<]+)<', page)
    assert match
    fresh = Client().post("/login/", {"identifier": "caolei", "password": html.unescape(match.group(1))})
    assert fresh.status_code == 302 and fresh.headers["Location"] == "/"
    kinds = set(SecurityNotice.objects.filter(user_id=target.user_id).values_list("kind", flat=True))
    assert kinds == {NoticeKind.UNLOCKED, NoticeKind.TOTP_RESET, NoticeKind.PASSWORD_RESET}
    actions = list(AuditEntry.objects.filter(actor_name="zhouyan").values_list("action", flat=True))
    assert {"identity.account_unlocked", "identity.totp_reset", "identity.password_reset"} <= set(actions)


def test_a_privileged_account_is_reset_only_by_an_administrator_with_its_rights(login: Any) -> None:
    """The staff administrator must not become the system administrator by resetting his password."""
    from django_otp.oath import totp

    from digigov.identity.models import StaffProfile

    sysadmin = StaffProfile.objects.get(user__username="wangjianguo")
    own = TOTPDevice.objects.create(user=sysadmin.user, name="手机", confirmed=True)
    admin = _zhouyan(login)
    url = f"/console/staff/{sysadmin.pk}/security/"
    for action in ("password", "totp"):
        refused = admin.post(url, {"action": action, "reason": "试图接管系统管理员"})
        assert "权限超出您的权限" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=sysadmin.user).count() == 1
    assert admin.post(url, {"action": "unlock", "reason": "本人来电核实身份"}).status_code == 302, "unlocking is fine"
    # Another system administrator may.
    peer_device = TOTPDevice.objects.create(user=User.objects.get(username="chenxiaoyu"), name="手机", confirmed=True)
    peer = Client()
    peer.post("/login/", {"identifier": "chenxiaoyu", "password": "Benxi@2026"})
    assert peer.post("/login/totp/", {"token": f"{totp(peer_device.bin_key):06d}"}).status_code == 302
    assert peer.post(url, {"action": "totp", "reason": "手机丢失，本人到场"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=own.pk).exists()
    fresh = Client().post("/login/", {"identifier": "wangjianguo", "password": "Benxi@2026"})
    assert fresh.headers["Location"] == "/login/totp/enrol/", "after a reset the next login enrols anew"


def test_an_administrator_cannot_reset_themselves_and_others_cannot_at_all(login: Any) -> None:
    from digigov.identity.models import StaffProfile

    own = StaffProfile.objects.get(user__username="zhouyan")
    admin = _zhouyan(login)
    refused = admin.post(f"/console/staff/{own.pk}/security/", {"action": "password", "reason": "自己重置试试"})
    assert "不能为自己办理" in refused.content.decode()
    target = StaffProfile.objects.get(user__username="wangjianguo")
    assert login("fengxue").get(f"/console/staff/{target.pk}/security/").status_code == 403
    assert login("sujianping").post(f"/console/staff/{target.pk}/security/", {"action": "unlock"}).status_code == 403


def test_the_operator_resets_the_only_system_administrators_authenticator_from_the_server() -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    device = TOTPDevice.objects.create(user=User.objects.get(username="wangjianguo"), name="手机", confirmed=True)
    with pytest.raises(CommandError):
        call_command("identity_totp_reset", "wangjianguo", "--reason", "短")
    out = StringIO()
    call_command("identity_totp_reset", "wangjianguo", "--reason", "唯一的系统管理员手机丢失", stdout=out)
    assert "已移除 1 个" in out.getvalue() and not TOTPDevice.objects.filter(pk=device.pk).exists()
    entry = AuditEntry.objects.filter(action="identity.totp_reset").latest("id")
    assert entry.actor_name in ("", "system") and entry.object_id == str(device.user_id)
