"""Login, registration and 适老化 flows in a real browser, at desktop and at phone width.

Every page visit is checked (see conftest.Ui.check_page): no CSP violations or other console errors,
lang="zh-CN", and at 375 px no horizontal scrolling.
"""

from __future__ import annotations

import base64
import re
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django_otp.oath import totp

from digigov.core.masking import mask_id_number, mask_mobile
from digigov.core.sms import outbox_for
from digigov.identity.demo_city import CITIZENS, make_id_number, make_uscc
from digigov.identity.models import StaffProfile, User
from e2e.conftest import Ui

pytestmark = pytest.mark.browser

CHEN = next(c for c in CITIZENS if c.username == "chenhaoran")  # 陈浩然, 平山区
LI = next(c for c in CITIZENS if c.username == "lixiulan")  # 李秀兰, born 1952: the 适老化 user
WRONG_PASSWORD = "Wrong@2026x"


def test_citizen_logs_in_with_mobile_and_sees_masked_data(ui: Ui, demo_password: str) -> None:
    ui.goto("/")
    assert "本溪市数字政府一体化平台" in ui.text("h1")
    ui.shot("landing")
    ui.goto("/login/")
    ui.shot("login")

    ui.login(CHEN.mobile, demo_password)

    assert ui.path == "/portal/"
    assert CHEN.name in ui.text("h1")
    assert ui.text("[data-testid=id-number]") == mask_id_number(CHEN.id_number)
    assert ui.text("[data-testid=mobile]") == mask_mobile(CHEN.mobile)
    html = ui.html()
    assert CHEN.id_number not in html
    assert CHEN.mobile not in html
    ui.shot("portal")


def test_citizen_logs_in_with_id_number(desktop: Ui, demo_password: str) -> None:
    desktop.login(CHEN.id_number, demo_password)

    assert desktop.path == "/portal/"
    assert desktop.text("[data-testid=id-number]") == mask_id_number(CHEN.id_number)
    assert CHEN.id_number not in desktop.html()


def test_street_clerk_sees_department_region_and_roles(ui: Ui, demo_password: str) -> None:
    staff = StaffProfile.objects.select_related("department", "region").get(user__username="sujianping")

    ui.login("sujianping", demo_password)

    assert ui.path == "/console/"
    assert ui.text("[data-testid=department]") == staff.department.name
    assert ui.text("[data-testid=region]") == staff.region.name
    assert "街道工作人员" in ui.text("[data-testid=grants]")
    assert staff.region.name in ui.text("[data-testid=grants]")
    ui.shot("console")


def test_department_head_sees_console_and_staff_in_scope(ui: Ui, demo_password: str) -> None:
    staff = StaffProfile.objects.select_related("department", "region").get(user__username="mawenbin")

    ui.login("mawenbin", demo_password)

    assert ui.path == "/console/"
    assert ui.text("[data-testid=department]") == staff.department.name
    assert ui.text("[data-testid=region]") == staff.region.name
    assert "部门负责人" in ui.text("[data-testid=grants]")
    ui.page.get_by_role("link", name="查看本范围工作人员").click()
    ui.check_page()
    assert ui.path == "/console/staff/"
    assert "马文斌" in ui.text("main table")
    ui.shot("staff-list")


def test_elder_mode_one_click_persists_on_the_account(ui: Ui, demo_password: str) -> None:
    ui.login(LI.mobile, demo_password)
    standard_px = ui.root_font_px()
    assert ui.page.locator("html.elder").count() == 0

    ui.toggle_elder_mode()  # one click, a plain POST form

    assert ui.path == "/portal/"
    assert ui.page.locator("html.elder").count() == 1
    assert ui.root_font_px() >= standard_px * 1.25
    assert ui.page.locator("header form[action='/preferences/elder-mode/'] button").get_attribute("aria-pressed") == (
        "true"
    )
    ui.shot("portal-elder")
    assert User.objects.get(username=LI.username).elder_mode

    ui.reload()
    assert ui.page.locator("html.elder").count() == 1
    assert ui.root_font_px() >= standard_px * 1.25

    ui.logout()
    assert ui.path == "/login/"
    ui.login(LI.id_number, demo_password)
    assert ui.path == "/portal/"
    assert ui.page.locator("html.elder").count() == 1
    assert ui.root_font_px() >= standard_px * 1.25

    ui.toggle_elder_mode()
    assert ui.page.locator("html.elder").count() == 0
    assert ui.root_font_px() == standard_px


def test_elder_mode_before_login_is_kept_in_the_session(desktop: Ui) -> None:
    desktop.goto("/")
    desktop.toggle_elder_mode()
    assert desktop.path == "/"
    assert desktop.page.locator("html.elder").count() == 1
    desktop.goto("/login/")
    assert desktop.page.locator("html.elder").count() == 1
    desktop.shot("login-elder")


def test_wrong_password_shows_chinese_error(ui: Ui) -> None:
    ui.login(CHEN.mobile, WRONG_PASSWORD)

    assert ui.path == "/login/"
    assert "账号或密码不正确" in ui.text("[role=alert]")
    assert ui.page.get_by_label("密码", exact=True).input_value() == ""
    ui.shot("login-error")

    ui.login("13000000000", WRONG_PASSWORD)  # no such account: the same answer, nothing leaks
    assert "账号或密码不正确" in ui.text("[role=alert]")


def _answer_challenge(ui: Ui) -> None:
    """Read the arithmetic question from its label and type the result, as a person would."""
    label = ui.page.locator("label[for=id_challenge]").inner_text()
    match = re.search(r"(\d+) ([×−]) (\d+)", label)
    assert match, label
    left, op, right = int(match.group(1)), match.group(2), int(match.group(3))
    ui.page.get_by_label("安全验证", exact=False).fill(str(left * right if op == "×" else left - right))


def test_failures_ask_a_challenge_lock_the_account_and_a_texted_code_lifts_it(
    desktop: Ui, demo_password: str, settings: Any
) -> None:
    # Real challenge threshold; a lock after four failures so one browser (one address) can reach it.
    settings.LOGIN_ACCOUNT_CHALLENGE_AFTER, settings.LOCKOUT_FAILURES = 3, 4
    settings.LOGIN_PAIR_FAILURES, settings.LOCKOUT_MINUTES = 5, 15
    cache.clear()
    for _ in range(3):
        desktop.login(CHEN.mobile, WRONG_PASSWORD)
        assert "账号或密码不正确" in desktop.text(".alert-error")
    assert desktop.page.locator("#id_challenge").count() == 1, "the challenge is asked at once"
    desktop.shot("login-challenge")
    desktop.page.get_by_label("账号").fill(CHEN.mobile)
    desktop.page.get_by_label("密码", exact=True).fill(WRONG_PASSWORD)
    _answer_challenge(desktop)
    desktop.submit()
    assert User.objects.get(username=CHEN.username).locked_until is not None
    desktop.page.get_by_label("账号").fill(CHEN.mobile)
    desktop.page.get_by_label("密码", exact=True).fill(demo_password)
    _answer_challenge(desktop)
    desktop.submit()
    assert desktop.path == "/login/", "the right password does not open a locked account"
    assert "账号或密码不正确" in desktop.text(".alert-error"), "and the answer does not say it is locked"

    desktop.page.get_by_role("link", name="忘记密码/解除锁定").click()
    desktop.check_page()
    desktop.page.get_by_label("实名手机号码").fill(CHEN.mobile)
    desktop.submit()
    assert desktop.path == "/login/recover/verify/"
    code = re.search(r"验证码 (\d{6})", outbox_for(CHEN.mobile)[0].text)
    assert code
    desktop.page.get_by_role("textbox", name="短信验证码").fill(code.group(1))
    desktop.shot("recover-verify")
    desktop.submit()
    assert desktop.path == "/login/" and "账号锁定已解除" in desktop.text("[role=status]")
    desktop.login(CHEN.mobile, demo_password)
    assert desktop.path == "/portal/"
    desktop.goto("/account/security/")
    assert "账号因连续登录失败被临时锁定" in desktop.text("main")
    desktop.shot("account-security")


def test_register_rejects_bad_id_number_then_accepts_valid_one(ui: Ui, demo_password: str) -> None:
    good = make_id_number("210502", date(1991, 4, 18), 37 if ui.viewport == "desktop" else 38)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")  # wrong check character
    mobile = "13941400001" if ui.viewport == "desktop" else "13941400002"

    ui.goto("/register/")
    ui.page.get_by_label("姓名").fill("林小雨")
    ui.page.get_by_label("身份证号").fill(bad)
    ui.page.get_by_label("手机号码").fill(mobile)
    ui.page.get_by_label("密码", exact=True).fill(demo_password)
    ui.page.get_by_label("确认密码").fill(demo_password)
    ui.submit()

    assert ui.path == "/register/"
    id_field = ui.page.locator(".field-invalid", has=ui.page.get_by_label("身份证号"))
    assert "身份证号校验位不正确" in id_field.inner_text()
    assert ui.page.get_by_label("身份证号").get_attribute("aria-invalid") == "true"
    ui.shot("register-error")

    ui.page.get_by_label("身份证号").fill(good)
    ui.page.get_by_label("密码", exact=True).fill(demo_password)  # password inputs are not re-rendered
    ui.page.get_by_label("确认密码").fill(demo_password)
    ui.submit()

    assert ui.path == "/login/"
    assert "实名注册成功" in ui.text("[role=status]")
    ui.login(mobile, demo_password)
    assert ui.path == "/portal/"
    assert "林小雨" in ui.text("h1")
    assert ui.text("[data-testid=id-number]") == mask_id_number(good)
    assert good not in ui.html()


def test_citizen_registers_an_enterprise(desktop: Ui, demo_password: str) -> None:
    uscc = make_uscc("91210502", 4242)
    desktop.login(CHEN.mobile, demo_password)
    desktop.page.get_by_role("link", name="登记我的企业").click()
    desktop.check_page()
    assert desktop.path == "/portal/enterprises/new/"
    desktop.page.get_by_label("统一社会信用代码").fill(uscc)
    desktop.page.get_by_label("企业名称").fill("本溪市浩然山货商贸有限公司")
    desktop.page.get_by_label("法定代表人").fill(CHEN.name)
    desktop.page.get_by_label("所在区县/街道").select_option(label="平山区 平山街道")
    desktop.shot("enterprise-new")
    desktop.submit()

    assert desktop.path == "/portal/"
    assert "本溪市浩然山货商贸有限公司" in desktop.text("main")


def _secret_key(ui: Ui) -> bytes:
    secret = ui.text("[data-testid=totp-secret]").replace(" ", "")
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def test_admin_enrols_totp_then_logs_in_with_it(ui: Ui, demo_password: str) -> None:
    ui.login("wangjianguo", demo_password)

    assert ui.path == "/login/totp/enrol/"
    assert ui.page.locator(".qr svg").count() == 1
    key = _secret_key(ui)
    ui.shot("totp-enrol")
    ui.page.get_by_label("动态验证码").fill("000000" if totp(key) != 0 else "111111")
    ui.submit()
    assert ui.path == "/login/totp/enrol/"
    assert "动态验证码不正确" in ui.text(".field-error")
    assert _secret_key(ui) == key  # the same device is offered again

    ui.page.wait_for_timeout(1100)  # django-otp throttles the device for 1 s after a failed code
    ui.page.get_by_label("动态验证码").fill(f"{totp(key):06d}")
    ui.submit()

    assert ui.path == "/console/"
    assert "系统管理员" in ui.text("[data-testid=grants]")

    # Next time: password, then the code from the bound authenticator (next step: a code is single-use).
    ui.logout()
    ui.login("wangjianguo", demo_password)
    assert ui.path == "/login/totp/"
    ui.shot("login-totp")
    ui.page.get_by_label("动态验证码").fill(f"{totp(key, drift=1):06d}")
    ui.submit()
    assert ui.path == "/console/"


def test_error_pages(ui: Ui, demo_password: str) -> None:
    response = ui.page.goto(ui.base_url + "/no-such-page/")
    assert response is not None and response.status == 404
    ui.check_page(status=404)
    assert "页面不存在" in ui.text("h1")
    ui.shot("error-404")

    ui.login(CHEN.mobile, demo_password)
    response = ui.page.goto(ui.base_url + "/console/")
    assert response is not None and response.status == 403
    ui.check_page(status=403)
    assert "无权访问" in ui.text("h1")
    ui.shot("error-403")


def test_keyboard_reaches_skip_link_and_sees_focus(desktop: Ui) -> None:
    desktop.goto("/login/")
    desktop.page.keyboard.press("Tab")
    assert desktop.page.evaluate("document.activeElement.className") == "skip-link"
    box = desktop.page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0  # shown on focus
    desktop.page.keyboard.press("Enter")
    assert desktop.page.evaluate("document.activeElement.id") == "main"

    desktop.page.get_by_label("账号").focus()
    desktop.page.keyboard.press("Tab")
    assert desktop.page.evaluate("document.activeElement.id") == "id_password"
    outline = desktop.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
