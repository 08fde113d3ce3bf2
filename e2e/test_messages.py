"""The message centre in a real browser (1280 and 375 px): 李秀兰 sees the unread count in the header, reads the
demo's 经办人 invitation message, follows it to the portal's invitation card, marks everything read and chooses
her channels; a staff member's centre offers no SMS."""

from __future__ import annotations

import re

import pytest

from digigov.core.models import Message
from digigov.identity.demo_city import CITIZENS
from e2e.conftest import Ui

pytestmark = pytest.mark.browser

LI = next(c for c in CITIZENS if c.username == "lixiulan")  # invited by 陈浩然 in the demo, not yet answered
SHUZHIYUN = "本溪数智云科技有限公司"


def header_unread(ui: Ui) -> int:
    badge = ui.page.locator("header a[href='/messages/'] .badge")
    return int(badge.inner_text()) if badge.count() else 0


def test_a_citizen_reads_follows_and_marks_messages(ui: Ui, demo_password: str) -> None:
    ui.login(LI.mobile, demo_password)
    unread = header_unread(ui)
    assert unread >= 1, "the demo's invitation waits as an unread message"
    ui.page.locator("header a[href='/messages/']").click()
    ui.check_page()
    assert ui.path == "/messages/"
    first = ui.page.locator(".msg-item").first
    assert f"{SHUZHIYUN}邀请您担任经办人" in first.inner_text() and "未读" in first.inner_text()
    ui.shot("messages")

    with ui.page.expect_navigation():
        first.get_by_role("button", name="查看详情").click()
    ui.check_page()
    assert ui.path == "/portal/" and SHUZHIYUN in ui.text("[data-testid=agent-invitations]")
    assert header_unread(ui) == unread - 1

    ui.goto("/messages/?order=newest")
    ui.submit("form[action='/messages/read-all/'] button")
    assert header_unread(ui) == 0 and "未读" not in ui.text(".msg-list")
    assert not Message.objects.filter(recipient__username="lixiulan", read_at__isnull=True).exists()

    ui.page.get_by_role("link", name=re.compile("设置短信、邮件接收方式")).click()
    ui.check_page()
    assert ui.path == "/account/messages/settings/"
    sms = ui.page.locator("input[name='identity.agent_invited:sms']")
    assert sms.is_checked()
    sms.uncheck()
    ui.submit("main form button[type=submit]")
    assert "消息接收设置已保存" in ui.html()
    assert not ui.page.locator("input[name='identity.agent_invited:sms']").is_checked()
    assert ui.page.locator("input[name='security.locked:sms']").is_disabled()
    ui.shot("message-settings")


def test_staff_have_a_message_centre_without_sms(ui: Ui, demo_password: str) -> None:
    ui.login("zhangjianguo", demo_password)
    ui.goto("/messages/")
    assert ui.page.get_by_role("heading", name="消息中心").count() == 1
    ui.goto("/account/messages/settings/")
    assert "手机短信" not in ui.html()
    ui.shot("message-settings-staff")
