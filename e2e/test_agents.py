"""经办人 by consent in a real browser: 李秀兰 accepts the demo's invitation from the portal card (desktop and
375 px); 陈浩然 sees her agency's state change on his 经办人管理 page."""

from __future__ import annotations

import pytest

from digigov.identity.demo_city import CITIZENS
from e2e.conftest import Ui

pytestmark = pytest.mark.browser

CHEN = next(c for c in CITIZENS if c.username == "chenhaoran")  # legal representative of 本溪数智云科技有限公司
LI = next(c for c in CITIZENS if c.username == "lixiulan")  # invited by him in the demo, not yet answered
SHUZHIYUN = "本溪数智云科技有限公司"


def test_citizen_accepts_an_invitation_on_the_portal(ui: Ui, demo_password: str) -> None:
    ui.login(LI.mobile, demo_password)
    card = ui.text("[data-testid=agent-invitations]")
    assert SHUZHIYUN in card and CHEN.name in card
    assert SHUZHIYUN not in ui.text("[data-testid=enterprises]")
    ui.shot("portal-invitation")

    ui.submit("[data-testid=invitation] button.btn-primary")  # 接受

    assert ui.path == "/portal/"
    assert not ui.page.locator("[data-testid=agent-invitations]").count()
    assert SHUZHIYUN in ui.text("[data-testid=enterprises]")
    ui.shot("portal-invitation-accepted")


def test_legal_representative_sees_the_states(ui: Ui, demo_password: str) -> None:
    ui.login(CHEN.mobile, demo_password)
    ui.page.get_by_role("link", name="管理经办人").click()
    ui.check_page()
    rows = ui.text("[data-testid=agents]")
    assert "待确认" in rows and "已接受" in rows and LI.name not in rows  # named only once she accepts
    ui.shot("enterprise-agents")
