"""一网通办 citizen portal in a real browser, at desktop and at phone width: a citizen searches 「餐饮」, reads
the guide, logs in from the 「在线申请」 button, applies with an upload, meets validation errors, saves a draft,
submits, follows the progress; staff complete it through the services; the citizen rates it.

Every page visit is checked by conftest.Ui.check_page (no CSP violations or console errors, lang="zh-CN",
no horizontal scrolling at 375 px). Screenshots: e2e/screenshots/services-portal-*-{desktop,phone}.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from digigov.identity.models import User, UserKind
from digigov.identity.scope import requires_mfa
from digigov.onestop.models import Application, ApplicationStatus, Rating
from digigov.onestop.policy import can as can_act
from digigov.onestop.services import applications as svc
from e2e.conftest import Ui

pytestmark = pytest.mark.browser

CHEN_MOBILE = "18900006438"  # 陈浩然
DRAIN_NAME = "城镇污水排入排水管网许可"  # found by 餐饮
PINGSHAN = "210502000000"
# A small but real PDF (one empty page), so the file passes the content check like a scanner's output would.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def pdf_file(tmp_path: Path) -> Path:
    path = tmp_path / "排水许可申请表.pdf"
    path.write_bytes(PDF)
    return path


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "平面图.pdf"
    path.write_bytes(PDF)
    return path


def _decider(app: Application) -> User:
    """A department user who may decide this application (and needs no second factor in a script)."""
    for user in User.objects.filter(kind=UserKind.STAFF, is_active=True).order_by("username"):
        if can_act(user, "start_review", app) and not requires_mfa(user):
            return user
    raise AssertionError("no decider for the item's department")


def _complete_by_staff(app: Application) -> None:
    svc.application_accept(actor=User.objects.get(username="fengxue"), application=app)
    head = _decider(app)
    svc.application_start_review(actor=head, application=app)
    svc.application_approve(actor=head, application=app, comment="材料齐全，准予许可")
    svc.application_complete(actor=head, application=app)


def _shot(ui: Ui, name: str) -> None:
    ui.shot(f"services-portal-{name}")


def test_citizen_from_search_to_rating(ui: Ui, demo_password: str, pdf_file: Path, plan_file: Path) -> None:
    page = ui.page
    # search in Chinese: a word, not a substring
    ui.goto("/services/")
    page.get_by_label("搜索事项").fill("餐饮")
    ui.submit("form[role=search] button[type=submit]")
    assert DRAIN_NAME in ui.text("main")
    assert "开办餐饮店一件事" in ui.text("main")
    _shot(ui, "search")

    # the guide is public
    with page.expect_navigation():
        page.get_by_role("link", name=DRAIN_NAME).click()
    ui.check_page()
    assert DRAIN_NAME in ui.text("h1")
    assert "承诺时限" in ui.text("main") and "排水许可申请表" in ui.text("main")
    _shot(ui, "guide")

    # 在线申请 asks for a login first, then comes back to the form
    with page.expect_navigation():
        page.get_by_role("link", name="在线申请", exact=True).click()
    ui.check_page()
    assert ui.path.startswith("/login/?next=/services/items/")
    ui.login(CHEN_MOBILE, demo_password)
    assert ui.path.endswith("/apply/")

    # an incomplete submission: errors on the fields, the chosen file is kept in a draft
    page.select_option("#id_region", PINGSHAN)
    page.get_by_label("经营主体名称").fill("浩然小吃店")
    page.set_input_files("#id_m_0", str(pdf_file))
    ui.submit("[data-testid=submit]")
    assert "申请表填写有误" in ui.text("#form-errors")
    errors = ui.text("main .apply-form")
    assert "请填写经营场所地址" in errors and "请上传「排水管网及预处理设施平面图」" in errors
    assert "已上传" in errors and pdf_file.name in errors
    _shot(ui, "apply-with-errors")

    # complete it, save a draft, then submit
    page.get_by_label("经营场所地址").fill("本溪市平山区胜利路35号")
    page.select_option("#id_f_drainage_category", "餐饮")
    page.get_by_label("日排水量(立方米)").fill("2.5")
    page.select_option("#id_f_pretreatment_facility", "隔油池")
    page.get_by_label("法定代表人(负责人)联系电话").fill("13904140001")
    page.set_input_files("#id_m_2", str(plan_file))
    ui.submit("[data-testid=save-draft]")
    assert "草稿已保存" in ui.text(".messages")
    assert ui.path.startswith("/services/applications/")
    assert ui.text("main").count("已上传") >= 2  # both files kept, nothing to choose again
    ui.submit("[data-testid=submit]")
    assert ui.path.startswith("/services/my/")
    assert "申请已提交" in ui.text(".messages")
    app = Application.objects.get(applicant__username="chenhaoran")
    assert app.status == ApplicationStatus.SUBMITTED
    assert "综合窗口" in ui.text("[data-testid=holder]")

    ui.goto("/services/my/")
    assert app.number and app.number in ui.text("main")
    _shot(ui, "my-applications")

    # staff complete it through the services; the citizen sees the timeline and rates
    _complete_by_staff(app)
    ui.goto(f"/services/my/{app.pk}/")
    assert "已办结" in ui.text("main")
    timeline = ui.text("ol.timeline")
    for step in ("提交申请", "受理", "审查", "准予许可", "办结"):
        assert step in timeline
    _shot(ui, "detail-timeline")

    for name, score in (("efficiency", 5), ("guide_accuracy", 4), ("convenience", 5), ("usability", 5)):
        page.locator(f"input[name={name}][value='{score}']").check()
    page.get_by_label("意见建议").fill("网上办理很方便，三天就办好了。")
    page.locator(".rating-card").scroll_into_view_if_needed()
    _shot(ui, "rating")
    ui.submit(".rating-card button[type=submit]")
    assert "感谢您的评价" in ui.text(".messages")
    assert "我的评价" in ui.text("main")
    rating = Rating.objects.get(application=app)
    assert (rating.efficiency, rating.guide_accuracy, rating.overall) == (5, 4, 4)


def test_elder_mode_guide_and_search_are_readable(desktop: Ui) -> None:
    desktop.goto("/services/?q=优待证")
    desktop.toggle_elder_mode()
    assert desktop.root_font_px() >= 22
    assert "老年人优待证办理" in desktop.text("main")
    desktop.shot("services-portal-search-elder")
