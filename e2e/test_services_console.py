"""Browser test of the 一网通办 staff console: the 综合窗口 clerk filters the worklist and accepts an
application; the 卫健委 head reviews, approves and completes it, then answers a 差评. Screenshots at desktop
and phone width go to e2e/screenshots/."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from digigov.core.policy import SYSTEM
from digigov.core.tests.deadlines import set_card
from digigov.identity.demo_loader import DEMO_PASSWORD
from digigov.identity.models import User
from digigov.onestop.models import Application, ApplicationStatus, DeadlineFlag, ServiceItem
from digigov.onestop.services import applications as svc
from digigov.onestop.services.ratings import application_rate
from digigov.onestop.tests.factories import draft_with_materials

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
    set_card(red, DeadlineFlag.RED, due_date=today - timedelta(days=4))
    set_card(yellow, DeadlineFlag.YELLOW, due_date=today)
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


def _catalogue_keeper() -> None:
    """何丽娟 (卫健委 head) also maintains 卫健委's items: a catalogue grant bound to 卫健委."""
    from digigov.identity.models import Department, Role
    from digigov.identity.services.staff import role_grant

    role = Role.objects.create(
        code="catalogue_keeper", name="事项管理员", permissions=["console.access", "services.manage_catalogue"]
    )
    wjw = Department.objects.get(code="wjw")
    role_grant(actor=SYSTEM, user=_user("helijuan"), role=role, region=wjw.region, department=wjw)


def test_catalogue_keeper_edits_an_item_and_adds_one_with_screenshots(ui: Any) -> None:
    _catalogue_keeper()
    item = ServiceItem.objects.get(code=DOCTOR)
    ui.login("helijuan", DEMO_PASSWORD)
    ui.goto("/console/services/catalogue/?q=医师")
    _click(ui, f"[data-testid=edit-{DOCTOR}]")
    assert ui.path == f"/console/services/catalogue/{item.pk}/"
    ui.shot("services-console-item-edit")

    # A promise longer than the statutory limit is refused in words, on the field; nothing is saved.
    ui.page.fill("#id_promised_days", "40")
    ui.page.fill("#id_auto_approval_rules", '[{"fact": "applicant.age", "op": ">=", "value": 60,}]')
    ui.submit("[data-testid=save]")
    assert "未保存" in ui.text("[data-testid=form-errors]")
    assert "不是有效的 JSON" in ui.text("[data-testid=item-form]")
    ui.shot("services-console-item-error")
    ui.page.fill("#id_auto_approval_rules", "")
    ui.submit("[data-testid=save]")
    assert "承诺时限不能超过法定时限" in ui.text("[data-testid=item-form]")
    assert ServiceItem.objects.get(code=DOCTOR).promised_days == item.promised_days

    # Fixed, with one more material that an 电子证照 can stand in for.
    ui.page.fill("#id_promised_days", "4")
    new_row = item.materials.count()
    ui.page.fill(f"#id_materials-{new_row}-name", "体检合格证明")
    ui.page.fill(f"#id_materials-{new_row}-license_type", "健康体检报告")
    ui.submit("[data-testid=save]")
    assert "修改了：承诺时限、申请材料" in ui.text(".messages")
    item.refresh_from_db()
    assert item.promised_days == 4
    added = item.materials.get(name="体检合格证明")
    assert added.license_type == "健康体检报告" and added.file_types == ["pdf", "jpg", "png"]

    ui.goto("/console/services/catalogue/new/")
    ui.page.fill("#id_code", "210500-WJW-QT-0901")
    ui.page.fill("#id_name", "职业健康检查机构备案")
    ui.page.select_option("#id_department_code", "wjw")
    ui.page.select_option("#id_item_type", "other_power")
    ui.page.fill("#id_legal_basis", "《职业健康检查管理办法》第四条")
    ui.page.fill("#id_statutory_days", "20")
    ui.page.fill("#id_promised_days", "5")
    ui.page.select_option("#id_online_level", "full")
    ui.page.select_option("#id_applicant_kind", "legal")
    ui.page.check("input[name=handling_scope][value=citywide]")
    ui.page.check("input[name=region_codes][value='210500000000']")
    ui.page.fill("#id_form_fields", '[{"name": "org_name", "label": "机构名称", "type": "text"}]')
    ui.page.fill("#id_materials-0-name", "备案申请表")
    ui.shot("services-console-item-new")
    ui.submit("[data-testid=save]")
    assert "已新增事项「职业健康检查机构备案」" in ui.text(".messages")
    created = ServiceItem.objects.get(code="210500-WJW-QT-0901")
    assert ui.path == f"/console/services/catalogue/{created.pk}/"
    assert list(created.materials.values_list("name", flat=True)) == ["备案申请表"]
