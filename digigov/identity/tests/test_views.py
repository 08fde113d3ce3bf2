"""Pages: Chinese errors on bad input, nothing half-written，适老化 mode, role-appropriate pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from digigov.core.models import AuditEntry
from digigov.identity.demo_city import make_id_number, make_uscc
from digigov.identity.models import CitizenProfile, Enterprise, User

pytestmark = pytest.mark.django_db
VALID_ID = make_id_number("210504", date(1996, 4, 18), 66)


def registration(**overrides: str) -> dict[str, str]:
    data = {
        "real_name": "高雪",
        "id_number": VALID_ID,
        "mobile": "15904145566",
        "password": "Mingshan#88",
        "password_again": "Mingshan#88",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"id_number": VALID_ID[:-1] + ("1" if VALID_ID[-1] != "1" else "2")}, "身份证号校验位不正确"),
        ({"id_number": "2105041996"}, "身份证号应为18位"),
        ({"mobile": "0414-1234567"}, "手机号码应为以1开头的11位数字"),
        ({"password_again": "Other#Pass1"}, "两次输入的密码不一致"),
        ({"password": "abcdefgh", "password_again": "abcdefgh"}, "至少三类"),
        ({"real_name": ""}, "这个字段是必填项"),
        ({"id_number": "210504199602306615"}, "出生日期无效"),
    ],
)
def test_registration_errors_are_chinese_and_nothing_is_written(overrides: dict[str, str], message: str) -> None:
    users, audits = User.objects.count(), AuditEntry.objects.count()
    response = Client().post("/register/", registration(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (User.objects.count(), AuditEntry.objects.count()) == (users, audits)


def test_registration_succeeds_then_refuses_a_duplicate() -> None:
    client = Client()
    response = client.post("/register/", registration())
    assert response.status_code == 302 and response.headers["Location"] == "/login/"
    assert CitizenProfile.objects.filter(real_name="高雪").count() == 1
    again = client.post("/register/", registration(mobile="15904147788")).content.decode()
    assert "该身份证号已注册" in again
    assert CitizenProfile.objects.filter(real_name="高雪").count() == 1


def test_citizen_registers_an_enterprise_from_the_portal(login: Any) -> None:
    client = login("13600007745")  # 赵宇
    page = client.get("/portal/enterprises/new/").content.decode()
    assert "平山区 平山街道" in page
    bad = client.post(
        "/portal/enterprises/new/",
        {
            "uscc": "91210504MA0000000X",
            "name": "本溪市明山区宇航快餐店",
            "legal_representative": "赵宇",
            "region_code": "210504001000",
        },
    )
    assert "统一社会信用代码校验位不正确" in bad.content.decode()
    uscc = make_uscc("91210504", 7001)
    ok = client.post(
        "/portal/enterprises/new/",
        {"uscc": uscc, "name": "本溪市明山区宇航快餐店", "legal_representative": "赵宇", "region_code": "210504001000"},
    )
    assert ok.status_code == 302
    assert "本溪市明山区宇航快餐店" in client.get("/portal/").content.decode()
    assert Enterprise.objects.filter(uscc=uscc).exists()


def test_elder_mode_persists_on_the_account(login: Any) -> None:
    client = login("13800001352")  # 李秀兰, 73
    assert 'class="elder"' not in client.get("/portal/").content.decode()
    response = client.post("/preferences/elder-mode/", {"next": "/portal/"})
    assert response.headers["Location"] == "/portal/"
    assert User.objects.get(username="lixiulan").elder_mode
    assert "elder" in client.get("/portal/").content.decode().split("<body", 1)[0]
    assert AuditEntry.objects.filter(action="identity.elder_mode_set", actor_name="lixiulan").exists()
    fresh = login("13800001352")
    assert "elder" in fresh.get("/portal/").content.decode().split("<body", 1)[0]


def test_elder_mode_before_login_lives_in_the_session_and_refuses_open_redirects() -> None:
    client = Client()
    response = client.post("/preferences/elder-mode/", {"next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert "elder" in client.get("/login/").content.decode().split("<body", 1)[0]


def test_console_shows_department_region_and_roles(login: Any) -> None:
    page = login("sujianping").get("/console/").content.decode()
    assert "平山区平山街道办事处" in page or "平山街道" in page
    assert "街道工作人员" in page


def test_citizen_cannot_open_the_console_and_staff_cannot_open_the_portal(login: Any) -> None:
    citizen = login("18900006438")
    denied = citizen.get("/console/")
    assert denied.status_code == 403 and "无权访问" in denied.content.decode()
    assert login("fengxue").get("/portal/").status_code == 403


def test_unknown_page_is_a_chinese_404() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_healthz_names_the_database_engine() -> None:
    from django.db import connection

    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}


def _verified_auditor() -> Client:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=User.objects.get(username="zhaoli"), name="手机", confirmed=True)
    client = Client()
    client.post("/login/", {"identifier": "zhaoli", "password": "Benxi@2026"})
    assert client.post("/login/totp/", {"token": f"{totp(device.bin_key):06d}"}).status_code == 302
    return client


def test_auditor_reads_the_audit_log_and_checks_the_chain(login: Any) -> None:
    auditor = _verified_auditor()
    page = auditor.get("/console/audit/?action=identity.login").content.decode()
    assert "identity.login" in page and "identity.region_upsert" not in page
    checked = auditor.post("/console/audit/").content.decode()
    assert "审计链完整" in checked
    AuditEntry.objects.filter(pk=AuditEntry.objects.order_by("id")[2].pk).update(action="identity.tampered")
    assert "审计链断裂" in auditor.post("/console/audit/").content.decode()
    assert login("fengxue").get("/console/audit/").status_code == 403


def test_self_registration_is_rate_limited_per_address(settings: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.REGISTRATIONS_PER_HOUR = 3
    client = Client(REMOTE_ADDR="10.9.8.7")
    for _ in range(3):  # failed attempts count too: the limit is on probing, not only on accounts made
        attempt = client.post("/register/", registration(id_number=VALID_ID[:-1] + "Y")).content.decode()
        assert "身份证号应为18位" in attempt
    blocked = client.post("/register/", registration())
    assert "操作过于频繁" in blocked.content.decode()
    assert not CitizenProfile.objects.filter(real_name="高雪").exists()
    api = Client(REMOTE_ADDR="10.9.8.7").post(
        "/api/v1/citizens",
        {"real_name": "高雪", "id_number": VALID_ID, "mobile": "15904145566", "password": "Mingshan#88"},
        content_type="application/json",
    )
    assert api.status_code == 429 and api.json()["code"] == "too_many_requests"
    other_address = Client(REMOTE_ADDR="10.9.8.8").post("/register/", registration())
    assert other_address.status_code == 302
