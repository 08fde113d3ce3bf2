"""Browser test of the 一网通办 staff console: the 综合窗口 clerk filters the worklist and accepts an
application; the 卫健委 head reviews, approves and completes it, then answers a 差评. Screenshots at desktop
and phone width go to e2e/screenshots/."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from digigov.identity.demo_loader import DEMO_PASSWORD
from digigov.identity.models import User
from digigov.services.models import Application, ApplicationStatus, DeadlineFlag, ServiceItem
from digigov.services.services import applications as svc
from digigov.services.services.ratings import application_rate
from digigov.services.tests.factories import draft_with_materials

DOCTOR = "210500-WJW-XK-0003"  # 医师执业注册, 卫健委


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _submitted() -> Application:
    citizen = _user("chenhaoran")
    app = draft_with_materials(citizen, ServiceItem.objects.get(code=DOCTOR))
    return svc.application_submit(actor=citizen, application=app)


def _overdue_and_nearly_due() -> tuple[Application, Application]:
    red, yellow = _submitted(), _submitted()
    for app in (red, yellow):
        svc.application_accept(actor=_user("caolei"), application=app)
    today = timezone.localdate()
    Application.objects.filter(pk=red.pk).update(due_date=today - timedelta(days=4), deadline_flag=DeadlineFlag.RED)
    Application.objects.filter(pk=yellow.pk).update(due_date=today, deadline_flag=DeadlineFlag.YELLOW)
    return red, yellow


def _click(ui: Any, selector: str) -> None:
    with ui.page.expect_navigation():
        ui.page.locator(selector).first.click()
    ui.check_page()


def test_clerk_accepts_and_department_head_decides_with_screenshots(ui: Any) -> None:
    app = _submitted()
    red, yellow = _overdue_and_nearly_due()
    number = str(app.number)

    # 综合窗口: 冯雪 opens the hub from the console, filters the worklist, accepts the application.
    ui.login("fengxue", DEMO_PASSWORD)
    assert ui.path == "/console/"
    _click(ui, "main a[href='/console/services/']")
    assert ui.text("[data-testid=card-red]") == "1" and ui.text("[data-testid=card-yellow]") == "1"
    ui.shot("services-console-hub")

    ui.goto("/console/services/worklist/")
    assert "已超期" in ui.text("[data-testid=worklist]") and "即将到期" in ui.text("[data-testid=worklist]")
    ui.shot("services-console-worklist")
    ui.page.select_option("#id_status", ApplicationStatus.SUBMITTED.value)
    ui.submit("main form.filters button[type=submit]")
    listing = ui.text("[data-testid=worklist]")
    assert number in listing and str(red.number) not in listing and str(yellow.number) not in listing

    _click(ui, f"[data-testid=worklist] a:text('{number}')")
    assert ui.path == f"/console/services/applications/{app.pk}/"
    actions = ui.page.locator("[data-testid=actions]")
    assert actions.locator("button[data-action=accept]").count() == 1
    assert actions.locator("button[data-action=approve]").count() == 0
    ui.shot("services-console-detail-clerk")
    ui.submit("button[data-action=accept]")
    assert "已受理" in ui.text("[data-testid=status]")
    assert ui.page.locator("[data-testid=no-actions]").count() == 1
    ui.logout()

    # 卫健委: 何丽娟 starts the review, approves with a comment and completes.
    ui.login("helijuan", DEMO_PASSWORD)
    ui.goto(f"/console/services/applications/{app.pk}/")
    assert ui.page.locator("button[data-action=accept]").count() == 0
    ui.submit("button[data-action=start_review]")
    assert "审查中" in ui.text("[data-testid=status]")
    ui.page.fill("#comment-approve", "材料齐全，符合执业注册条件")
    ui.shot("services-console-detail-head")
    ui.submit("button[data-action=approve]")
    ui.submit("button[data-action=complete]")
    assert "已办结" in ui.text("[data-testid=status]")
    assert "材料齐全，符合执业注册条件" in ui.text("[data-testid=history]")

    # The applicant rates it badly; the head answers the 差评 and closes the task.
    app.refresh_from_db()
    rating = application_rate(
        actor=_user("chenhaoran"),
        application=app,
        efficiency=2,
        guide_accuracy=4,
        convenience=4,
        usability=5,
        comment="受理后一直没有进度通知",
    )
    ui.goto("/console/services/rectifications/")
    _click(ui, f"[data-testid=rectifications] a:text('{number}')")
    assert ui.path == f"/console/services/rectifications/{rating.rectification.pk}/"
    ui.shot("services-console-rectification")
    ui.page.fill("#id_answer", "已增加受理、审查各环节的短信提醒，并由窗口在受理后一个工作日内电话联系申请人。")
    ui.submit("main form button[type=submit]")
    assert "已答复" in ui.text("[data-testid=rect-status]")
    ui.submit("[data-testid=close]")
    assert "已办结" in ui.text("[data-testid=rect-status]")
