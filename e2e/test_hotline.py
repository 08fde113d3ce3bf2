"""The 12345 hotline in a real browser, at desktop and at phone width: an agent (韩雪) types an appeal while the
live suggestions of the demo's routing model appear (htmx), files it; the dispatcher (周鹏) finds the model's top
suggestion preselected and routes it to 城乡建设/住房保障与房地产 with the cascading category fields; the 市住建局
liaison (李国强) signs and replies; the agent reveals the number, records the callback and the appeal is closed.

Every page visit is checked by conftest.Ui.check_page (no CSP violations or console errors, lang="zh-CN",
no horizontal scrolling at 375 px). Screenshots: e2e/screenshots/hotline-*-{desktop,phone}.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from digigov.core.policy import SYSTEM
from digigov.core.tests.deadlines import set_card
from digigov.hotline.demo_loader import load_reference
from digigov.hotline.models import Appeal, AppealCard, AppealStatus, Category
from digigov.hotline.services import loop, reference
from digigov.hotline.services.intake import AppealInput, submit_appeal
from digigov.hotline.tests.test_pages_support import (
    WAIT_FOR_DISPATCHER,
    Suggested,
    file_hot_cluster,
    model_says,
    model_version,
    quiet_hotline,
)
from digigov.identity.demo_loader import DEMO_PASSWORD
from digigov.identity.models import Department, User
from e2e.conftest import Ui

pytestmark = pytest.mark.browser

SUBJECT = "小区电梯频繁故障无人维修"
TEXT = "平山街道胜利路35号小区3号楼电梯近一个月内停运四次，物业公司一直推诿不修，老人上下楼非常困难。"
REPLY = "经查，该电梯主板老化。已责令物业公司更换主板，电梯已于今日恢复运行并通过维保单位检验。"


@pytest.fixture
def hotline_ready(demo_city: None, settings: Any) -> Iterator[None]:
    """The hotline's reference data, one knowledge answer, and every appeal waiting for a dispatcher (the model
    is the one the demo loader trained after the flush: its version and answers are read, not assumed)."""
    load_reference(Path(django_settings.HOTLINE_DATA_DIR))
    reference.knowledge_entry_save(
        actor=SYSTEM,
        question="小区电梯坏了物业不修怎么办？",
        answer="住宅电梯由物业服务企业负责日常维护；物业拒不维修的，可向市住建局物业管理科投诉，电话 12345 转。",
    )
    settings.HOTLINE_ROUTING_THRESHOLD = WAIT_FOR_DISPATCHER
    quiet_hotline()
    yield


def _click(ui: Ui, selector: str) -> None:
    with ui.page.expect_navigation():
        ui.page.locator(selector).first.click()
    ui.check_page()


def _switch_to(ui: Ui, username: str) -> None:
    ui.logout()
    ui.login(username, DEMO_PASSWORD)


def _expect_suggested(panel: Any, top: Suggested) -> None:
    """The panel lists the model's top category with its department and confidence, first (waiting, as htmx
    answers the text typed last)."""
    from playwright.sync_api import expect  # late, as conftest: without Chromium the test is skipped, not broken

    first = panel.locator(".hl-suggestion").first
    expect(first.locator(".hl-sugg-label")).to_contain_text(top.label)
    expect(first.locator(".hl-dept")).to_have_text(top.department_label)
    expect(first.locator(".hl-conf .num")).to_have_text(top.percent)


def _choose_level2(ui: Ui, code: str) -> None:
    """Pick a level-2 category and wait until htmx has listed its level-3 children. The select may have been
    swapped in by the previous htmx answer a moment ago (a busy machine): pick again if nothing came."""
    for _attempt in range(3):
        ui.page.select_option("#id_category_l2", code)
        try:
            ui.page.locator("#id_category_l3 option").nth(1).wait_for(state="attached", timeout=5_000)
        except PlaywrightTimeout:
            continue
        if ui.page.locator(f"#id_category_l2 option[value='{code}']:checked").count():
            return
    raise AssertionError("level-3 categories never appeared after choosing the level-2 category")


def test_intake_dispatch_reply_and_callback_close_an_appeal(ui: Ui, hotline_ready: Any) -> None:
    # 受理: 韩雪 opens the hotline from her console and types the appeal; the suggestions follow the text.
    ui.login("hanxue", DEMO_PASSWORD)
    _click(ui, "main a[href='/console/hotline/']")
    ui.shot("hotline-hub-agent")
    _click(ui, ".hl-nav a[href='/console/hotline/intake/']")
    assert ui.page.locator("#id_channel").input_value() == "phone"
    ui.page.fill("#id_subject", SUBJECT)
    ui.page.locator("#id_text").press_sequentially(TEXT[:20], delay=15)
    panel = ui.page.locator("[data-testid=suggestions]")
    _expect_suggested(panel, model_says(SUBJECT, TEXT[:20])[0])
    ui.page.locator("#id_text").fill(TEXT)
    ui.page.wait_for_function(
        "document.querySelector('[data-testid=knowledge]') !== null", timeout=5_000
    )  # the knowledge answer once the text says enough
    said = model_says(SUBJECT, TEXT)
    top = said[0]
    assert top.category is not None and top.department is not None, top
    _expect_suggested(panel, top)
    assert [s.label for s in said] == panel.locator(".hl-suggestion .hl-sugg-label strong").all_inner_texts()
    assert "小区电梯坏了物业不修怎么办" in panel.inner_text()
    outcome = ui.text("[data-testid=routing-outcome]")
    assert "置信度不足" in outcome and f"模型 v{model_version()}" in outcome
    ui.page.fill("#id_address", "本溪市平山区平山街道胜利路35号")
    ui.page.fill("#id_caller_name", "刘淑珍")
    ui.page.fill("#id_caller_phone", "13841412786")
    ui.check_page()
    ui.page.evaluate("window.scrollTo(0, 0)")  # the suggestion panel is sticky: shoot it where it starts
    ui.shot("hotline-intake")
    ui.submit("[data-testid=submit-appeal]")
    appeal = Appeal.objects.get(subject=SUBJECT)
    assert ui.path == f"/console/hotline/appeals/{appeal.pk}/"
    assert "待派单" in ui.text("[data-testid=status]") and "刘*珍" in ui.text("[data-testid=caller]")

    # 派单: 周鹏 finds it in the queue with the model's suggestions; the form starts at the top suggestion and its
    # department; he routes it to 城乡建设/住房保障与房地产 (市住建局: the property company will not repair).
    _switch_to(ui, "zhoupeng")
    ui.goto("/console/hotline/queue/")
    assert appeal.number in ui.text("[data-testid=queue]")
    row = ui.page.locator(f"[data-testid=queue-{appeal.pk}]")
    _expect_suggested(row, top)
    assert f"按建议派至{top.department_label}" in row.inner_text()
    ui.shot("hotline-queue")
    _click(ui, f"[data-testid=queue-{appeal.pk}] a.btn-primary")
    assert ui.page.locator("#id_category_l1").input_value() == top.category.code
    assert top.department.name in ui.page.locator("#id_department option:checked").inner_text()
    level1 = Category.objects.get(level=1, name="城乡建设")
    housing = Category.objects.get(path="城乡建设/住房保障与房地产")
    with ui.page.expect_response(lambda r: "/routing-fields/" in r.url):
        ui.page.select_option("#id_category_l1", level1.code)  # the model's choice or not: the dispatcher's
    ui.page.locator(f"#id_category_l2 option[value='{housing.code}']").wait_for(state="attached")
    assert "市住房和城乡建设局" in ui.page.locator("#id_department option:checked").inner_text()
    _choose_level2(ui, housing.code)  # level 3 of 住房保障与房地产 is then listed
    ui.check_page()
    ui.shot("hotline-dispatch")
    ui.submit("button[data-action=dispatch]")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DISPATCHED and appeal.category == housing
    assert appeal.department is not None and appeal.department.code == "zjj"
    assert "待签收" in ui.text("[data-testid=status]")

    # 承办: 李国强 signs from the worklist and replies.
    _switch_to(ui, "liguoqiang")
    ui.goto("/console/hotline/worklist/")
    assert appeal.number in ui.text("[data-testid=worklist]")
    ui.shot("hotline-worklist")
    ui.submit(f"[data-testid=sign-{appeal.pk}]")
    _click(ui, f"[data-testid=row-{appeal.pk}] a.num")
    assert "办理中" in ui.text("[data-testid=status]")
    ui.page.fill("#id_text", REPLY)
    ui.shot("hotline-reply")
    ui.submit("button[data-action=reply]")
    assert "待回访" in ui.text("[data-testid=status]") and REPLY in ui.text("[data-testid=reply]")

    # 回访: 韩雪 calls back; the caller is satisfied and the appeal is closed.
    _switch_to(ui, "hanxue")
    ui.goto("/console/hotline/callbacks/")
    card = ui.page.locator("[data-testid=callbacks] li.hl-callback").filter(has_text=appeal.number)
    assert "138****2786" in card.inner_text()  # masked until the agent asks for the number to dial
    with ui.page.expect_navigation():
        card.locator("[data-testid^=reveal-]").click()
    card = ui.page.locator("[data-testid=callbacks] li.hl-callback").filter(has_text=appeal.number)
    assert "13841412786" in card.locator("[data-testid^=contact-]").inner_text()
    card.get_by_text("满意", exact=True).click()
    card.locator("textarea").fill("电梯已正常运行，感谢。")
    ui.shot("hotline-callbacks")
    with ui.page.expect_navigation():
        card.locator("[data-testid^=record-]").click()
    ui.check_page()
    assert "工单已办结" in ui.text(".messages")
    ui.goto(f"/console/hotline/appeals/{appeal.pk}/")
    assert "已办结" in ui.text("[data-testid=status]")
    timeline = ui.text("[data-testid=timeline]")
    for step in ("受理登记", "派单", "签收", "答复", "办结"):
        assert step in timeline
    ui.shot("hotline-appeal-closed")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.CLOSED and appeal.satisfaction == "satisfied"

    # 适老化: the intake page in elder mode (larger type, one column) still works and does not scroll sideways.
    ui.goto("/console/hotline/intake/")
    ui.toggle_elder_mode()
    assert ui.root_font_px() >= 20
    ui.page.fill("#id_text", TEXT)
    ui.page.locator("[data-testid=suggestions] .hl-suggestion").first.wait_for()
    ui.check_page()
    ui.page.evaluate("window.scrollTo(0, 0)")
    ui.shot("hotline-intake-elder")
    ui.toggle_elder_mode()

    # The board: 周鹏 sees this week's hot issue and the satisfaction roll-up with this callback.
    file_hot_cluster(User.objects.get(username="songjiaqi"))
    _switch_to(ui, "zhoupeng")
    ui.goto("/console/hotline/hot/")
    ui.page.select_option("#id_window", "7")
    ui.submit("main form.filters button[type=submit]")
    assert "搅拌站" in ui.text("[data-testid=issues]")
    assert "本溪市住房和城乡建设局" in ui.text("[data-testid=rollup-department]")
    ui.shot("hotline-hot-board")

    # 延期 and 督办: another appeal in hand at 市住建局 asks for more days and is overdue.
    late = _in_hand_at_housing()
    ui.goto("/console/hotline/queue/extensions/")
    assert late.number in ui.text("[data-testid=extensions]")
    ui.shot("hotline-extensions")
    extension = late.extensions.get()
    ui.submit(f"[data-testid=approve-{extension.pk}]")
    assert "已批准延期" in ui.text(".messages")
    set_card(late, AppealCard.RED)  # as if its deadline had passed
    ui.goto("/console/hotline/queue/overdue/")
    row = ui.page.locator(f"[data-testid=overdue-{late.pk}]")
    assert "红牌" in row.inner_text()
    row.locator("summary").click()
    ui.shot("hotline-overdue")
    ui.submit(f"[data-testid=escalate-{late.pk}]")
    assert "已督办" in ui.text(".messages")
    late.refresh_from_db()
    assert late.escalated_at is not None and late.extensions.get().status == "approved"


def _in_hand_at_housing() -> Appeal:
    """Filed, dispatched, signed and with a pending extension request, through the services."""
    agent, dispatcher, liaison = (User.objects.get(username=u) for u in ("songjiaqi", "zhoupeng", "liguoqiang"))
    appeal = submit_appeal(
        actor=agent,
        data=AppealInput(
            channel="web",
            appeal_type="complaint",
            subject="小区消防通道被占用",
            text="明山区新明街道某小区消防通道长期被车辆占用，物业不管，存在安全隐患。",
            address="本溪市明山区新明街道",
        ),
    )
    appeal = loop.dispatch(actor=dispatcher, appeal=appeal, department=Department.objects.get(code="zjj"))
    appeal = loop.sign(actor=liaison, appeal=appeal)
    loop.request_extension(actor=liaison, appeal=appeal, working_days=5, reason="需会同消防部门联合检查")
    return appeal
