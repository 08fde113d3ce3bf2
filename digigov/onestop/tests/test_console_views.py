"""The 一网通办 staff console: worklist filters and cards, role-exact actions, scope (404), material downloads,
reasons and conflicts, 差评整改, statistics and the working-day calendar's policy."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digigov.core.models import AuditEntry, CalendarDay, CalendarYear
from digigov.core.tests.deadlines import set_card
from digigov.identity.models import Department, Region, Role, RoleGrant, User
from digigov.onestop.models import Application, ApplicationStatus, DeadlineFlag, RectificationStatus, ServiceItem
from digigov.onestop.selectors import visible_applications
from digigov.onestop.services import applications as svc
from digigov.onestop.services.ratings import application_rate
from digigov.onestop.tests.factories import PDF, draft_with_materials

pytestmark = pytest.mark.django_db
DOCTOR = "210500-WJW-XK-0003"  # 医师执业注册, 卫健委, 承诺 5 个工作日
URL = "/console/services"


def user(username: str) -> User:
    return User.objects.get(username=username)


def submitted(code: str = DOCTOR) -> Application:
    citizen = user("chenhaoran")
    app = draft_with_materials(citizen, ServiceItem.objects.get(code=code))
    return svc.application_submit(actor=citizen, application=app)


def accepted() -> Application:
    return svc.application_accept(actor=user("fengxue"), application=submitted())


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def buttons(html: str) -> set[str]:
    return {
        a
        for a in ("accept", "reject", "request_correction", "start_review", "approve", "refuse", "complete")
        if f'name="action" value="{a}"' in html
    }


# --- hub and worklist -------------------------------------------------------------------------------------


def test_console_links_to_the_hub_and_the_hub_counts_my_open_applications(login: Any) -> None:
    submitted()
    clerk = login("fengxue")
    assert f'href="{URL}/"' in page(clerk, "/console/")
    hub = page(clerk, f"{URL}/")
    assert "一网通办工作台" in hub and f"{URL}/worklist/" in hub
    assert 'data-testid="status-submitted">0<' not in hub
    assert "工作日历" not in hub and "政务服务统计" not in hub  # links only for those who may use them
    assert "政务服务统计" in page(login("zhangjianguo"), f"{URL}/")


def test_worklist_filters_by_status_card_item_and_region_and_shows_cards_in_words(login: Any) -> None:
    waiting = submitted()
    red, yellow, green = accepted(), accepted(), accepted()
    today = timezone.localdate()
    set_card(red, DeadlineFlag.RED, due_date=today - timedelta(days=3))
    set_card(yellow, DeadlineFlag.YELLOW, due_date=today)
    clerk = login("fengxue")

    everything = page(clerk, f"{URL}/worklist/")
    for app in (waiting, red, yellow, green):
        assert str(app.number) in everything
    assert (
        everything.index(str(red.number)) < everything.index(str(yellow.number)) < everything.index(str(waiting.number))
    )
    assert "陈*然" in everything and "陈浩然" not in everything  # masked applicant

    only_red = page(clerk, f"{URL}/worklist/?card=red")
    assert str(red.number) in only_red and str(yellow.number) not in only_red and "已超期" in only_red
    only_yellow = page(clerk, f"{URL}/worklist/?card=yellow")
    assert str(yellow.number) in only_yellow and str(red.number) not in only_yellow and "即将到期" in only_yellow
    only_waiting = page(clerk, f"{URL}/worklist/?status=submitted")
    assert str(waiting.number) in only_waiting and str(red.number) not in only_waiting
    assert str(red.number) in page(clerk, f"{URL}/worklist/?item={DOCTOR}")
    assert str(red.number) not in page(clerk, f"{URL}/worklist/?item=210500-MZJ-GG-0004")
    assert str(red.number) in page(clerk, f"{URL}/worklist/?region=210502000000")
    assert str(red.number) not in page(clerk, f"{URL}/worklist/?region=210503000000")
    assert str(red.number) in page(clerk, f"{URL}/worklist/?status=bogus&card=nonsense")  # bad filters: defaults


def _item_options(client: Client) -> set[str]:
    html = page(client, f"{URL}/worklist/")
    select = re.search(r'<select[^>]*name="item".*?</select>', html, re.S)
    assert select is not None
    return set(re.findall(r'<option value="([^"]+)"', select.group(0)))


def test_worklist_item_filter_lists_only_the_items_of_my_scope(login: Any) -> None:
    active = set(ServiceItem.objects.filter(is_active=True).values_list("code", flat=True))
    assert _item_options(login("fengxue")) == active  # 综合窗口 of the city: every department, everywhere
    wjw = set(ServiceItem.objects.filter(is_active=True, department__code="wjw").values_list("code", flat=True))
    assert _item_options(login("helijuan")) == wjw  # 卫健委 head: 卫健委's items only
    street = _item_options(login("sujianping"))  # 平山街道: citywide and 平山区 items, not other townships'
    homestead = "210500-NYNC-XK-0002"  # 农村村民宅基地审批, handled in the townships only
    assert DOCTOR in street and "210500-WJW-XK-0001" in street and homestead not in street
    # The filter agrees with what the worklist shows: an application for that item is not hers to see.
    item = ServiceItem.objects.get(code=homestead)
    township = item.regions.order_by("code").first()
    assert township is not None
    citizen = user("chenhaoran")
    app = svc.application_submit(
        actor=citizen, application=draft_with_materials(citizen, item, region_code=township.code)
    )
    assert not visible_applications(user("sujianping")).filter(pk=app.pk).exists()
    assert visible_applications(user("fengxue")).filter(pk=app.pk).exists()


def _worklist_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{URL}/worklist/?status=all").status_code == 200
    return len(queries)


def test_worklist_query_count_does_not_grow_with_rows(login: Any) -> None:
    accepted()
    clerk = login("fengxue")
    _worklist_queries(clerk)  # the first page view after login renews the session (identity.session_renewal)
    one = _worklist_queries(clerk)
    for _ in range(29):
        accepted()
    assert Application.objects.exclude(status=ApplicationStatus.DRAFT).count() >= 30
    assert _worklist_queries(clerk) == one
    assert one <= 12


# --- detail, actions, scope -------------------------------------------------------------------------------


def test_clerk_sees_acceptance_actions_and_head_sees_decision_actions(login: Any) -> None:
    app = submitted()
    clerk, head = login("fengxue"), login("helijuan")
    detail = f"{URL}/applications/{app.pk}/"
    assert buttons(page(clerk, detail)) == {"accept", "reject", "request_correction"}
    assert buttons(page(head, detail)) == set()  # visible to the 卫健委 head, but 受理 is the window's

    svc.application_accept(actor=user("fengxue"), application=app)
    assert buttons(page(clerk, detail)) == set()
    assert buttons(page(head, detail)) == {"start_review"}
    svc.application_start_review(actor=user("helijuan"), application=app)
    assert buttons(page(head, detail)) == {"approve", "refuse", "request_correction"}
    assert buttons(page(clerk, detail)) == set()


def test_detail_shows_form_labels_materials_and_history(login: Any) -> None:
    app = accepted()
    html = page(login("fengxue"), f"{URL}/applications/{app.pk}/")
    item = ServiceItem.objects.get(code=DOCTOR)
    first_label = item.form_fields[0]["label"]
    assert first_label in html
    assert f"{URL}/applications/{app.pk}/materials/" in html and "/media/" not in html
    assert "已申请" in html and "已受理" in html and "冯雪" in html


def test_out_of_scope_application_is_404(login: Any) -> None:
    app = submitted()
    assert login("lizhigang").get(f"{URL}/applications/{app.pk}/").status_code == 404  # 公安局 head
    assert login("sujianping").get(f"{URL}/applications/{app.pk}/").status_code == 404  # 平山街道 only
    assert login("fengxue").get(f"{URL}/applications/999999999/").status_code == 404
    assert login("chenhaoran").get(f"{URL}/applications/{app.pk}/").status_code == 403  # citizens: no console
    post = login("lizhigang").post(f"{URL}/applications/{app.pk}/act/", {"action": "accept", "status": "submitted"})
    assert post.status_code == 404


def test_material_download_is_scoped_and_an_attachment(login: Any) -> None:
    app = submitted()
    stored = app.materials.first()
    assert stored is not None
    url = f"{URL}/applications/{app.pk}/materials/{stored.pk}/"
    response = login("fengxue").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    downloads = AuditEntry.objects.filter(action="services.material_download", object_id=str(app.pk))
    assert downloads.filter(actor_name="fengxue").count() == 1
    assert login("lizhigang").get(url).status_code == 404
    assert downloads.count() == 1, "a refused download leaves no entry"
    other = submitted()
    assert login("fengxue").get(f"{URL}/applications/{other.pk}/materials/{stored.pk}/").status_code == 404


def test_actions_need_reasons_in_chinese_and_apply_through_the_services(login: Any) -> None:
    app = submitted()
    clerk = login("fengxue")
    act = f"{URL}/applications/{app.pk}/act/"
    refused = clerk.post(act, {"action": "reject", "status": "submitted", "reason": " "})
    assert refused.status_code == 200 and "不予受理必须写明理由" in refused.content.decode()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED

    done = clerk.post(act, {"action": "accept", "status": "submitted"}, follow=True)
    assert "已受理" in done.content.decode()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.ACCEPTED and app.handler == user("fengxue")
    assert AuditEntry.objects.filter(action="services.application_accept", object_id=str(app.pk)).exists()

    head = login("helijuan")
    head_act = f"{URL}/applications/{app.pk}/act/"
    head.post(head_act, {"action": "start_review", "status": "accepted"})
    refusal = head.post(head_act, {"action": "refuse", "status": "under_review", "reason": "否"})
    assert "不予许可必须写明理由" in refusal.content.decode()
    head.post(head_act, {"action": "approve", "status": "under_review", "comment": "材料齐全"})
    head.post(head_act, {"action": "complete", "status": "approved"})
    app.refresh_from_db()
    assert app.status == ApplicationStatus.COMPLETED
    assert app.transitions.filter(to_status="approved", comment="材料齐全").exists()


def test_an_action_not_allowed_for_the_role_is_refused(login: Any) -> None:
    app = accepted()
    response = login("fengxue").post(
        f"{URL}/applications/{app.pk}/act/", {"action": "start_review", "status": "accepted"}
    )
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.status == ApplicationStatus.ACCEPTED


def test_conflict_when_someone_else_acted_meanwhile(login: Any) -> None:
    app = submitted()
    fengxue, caolei = login("fengxue"), login("caolei")
    detail = page(caolei, f"{URL}/applications/{app.pk}/")  # caolei sees it 已申请 ...
    assert 'name="status" value="submitted"' in detail
    fengxue.post(f"{URL}/applications/{app.pk}/act/", {"action": "accept", "status": "submitted"})  # ... fengxue acts
    response = caolei.post(
        f"{URL}/applications/{app.pk}/act/", {"action": "reject", "status": "submitted", "reason": "材料不全不予受理"}
    )
    assert response.status_code == 302
    html = page(caolei, f"{URL}/applications/{app.pk}/")
    assert "已被其他工作人员处理" in html and "已受理" in html
    app.refresh_from_db()
    assert app.status == ApplicationStatus.ACCEPTED


def test_service_conflict_is_shown_as_a_message(login: Any) -> None:
    app = submitted()
    svc.application_withdraw(actor=user("chenhaoran"), application=app)
    response = login("fengxue").post(
        f"{URL}/applications/{app.pk}/act/", {"action": "accept", "status": "withdrawn"}, follow=True
    )
    assert response.redirect_chain and "不能执行此操作" in response.content.decode()


# --- 差评整改 ----------------------------------------------------------------------------------------------


def _bad_rating() -> Any:
    app = accepted()
    head = user("helijuan")
    svc.application_start_review(actor=head, application=app)
    svc.application_approve(actor=head, application=app)
    svc.application_complete(actor=head, application=app)
    rating = application_rate(
        actor=user("chenhaoran"),
        application=app,
        efficiency=1,
        guide_accuracy=4,
        convenience=3,
        usability=5,
        comment="等了很久没有人联系我",
    )
    return rating.rectification


def test_rectification_answer_then_close(login: Any) -> None:
    task = _bad_rating()
    head = login("helijuan")
    listing = page(head, f"{URL}/rectifications/")
    assert str(task.rating.application.number) in listing and "待整改" in listing
    detail_url = f"{URL}/rectifications/{task.pk}/"
    detail = page(head, detail_url)
    assert "等了很久没有人联系我" in detail and "非常不满意" in detail
    assert 'data-testid="close"' not in detail  # only once answered
    short = head.post(f"{detail_url}answer/", {"answer": "已整改"})
    assert short.status_code == 200 and "整改答复至少10个字" in short.content.decode()
    head.post(
        f"{detail_url}answer/", {"answer": "已约谈窗口人员，增加办理进度短信提醒，今后受理后一个工作日内联系申请人。"}
    )
    task.refresh_from_db()
    assert task.status == RectificationStatus.ANSWERED
    assert 'data-testid="close"' in page(head, detail_url)
    head.post(f"{detail_url}close/")
    task.refresh_from_db()
    assert task.status == RectificationStatus.CLOSED
    assert login("lizhigang").get(detail_url).status_code == 404  # another department
    assert login("fengxue").get(f"{URL}/rectifications/").status_code == 403  # clerks do not answer 差评


# --- statistics, catalogue, calendar ----------------------------------------------------------------------


def test_statistics_for_the_mayor_not_for_a_clerk(login: Any) -> None:
    accepted()
    html = page(login("zhangjianguo"), f"{URL}/statistics/")
    assert "网上申请比例" in html and "按时办结率" in html and "各部门满意度" in html
    assert "截止日期不能早于起始日期" in page(
        login("zhangjianguo"), f"{URL}/statistics/?date_from=2026-05-01&date_to=2026-01-01"
    )
    assert login("fengxue").get(f"{URL}/statistics/").status_code == 403


def _verified_admin() -> Client:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user("wangjianguo"), name="手机", confirmed=True)
    client = Client()
    client.post("/login/", {"identifier": "wangjianguo", "password": "Benxi@2026"})
    assert client.post("/login/totp/", {"token": f"{totp(device.bin_key):06d}"}).status_code == 302
    return client


def test_catalogue_list_search_and_export_for_catalogue_managers(login: Any) -> None:
    admin = _verified_admin()
    html = page(admin, f"{URL}/catalogue/?q=医师")
    assert "医师执业注册" in html and "导出 Excel" in html
    export = admin.get(f"{URL}/catalogue/export/")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    assert export["Content-Disposition"].startswith("attachment")
    assert "从 Excel 导入" in page(admin, f"{URL}/catalogue/import/")
    bad = admin.post(f"{URL}/catalogue/import/", {"workbook": _upload("x.xlsx", b"not a workbook")})
    assert bad.status_code == 200
    assert login("fengxue").get(f"{URL}/catalogue/").status_code == 403


def _upload(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_calendar_admin_refused_without_city_wide_catalogue_permission(login: Any) -> None:
    assert login("fengxue").get(f"{URL}/calendar/").status_code == 403
    assert (
        login("helijuan")
        .post(f"{URL}/calendar/day/", {"day": "2026-12-01", "is_working_day": "0", "name": "x"})
        .status_code
        == 403
    )
    # A department-bound catalogue manager maintains that department's items, not the city's calendar.
    role = Role.objects.create(
        code="catalogue_dept", name="部门事项管理员", permissions=["console.access", "services.manage_catalogue"]
    )
    RoleGrant.objects.create(
        user=user("helijuan"),
        role=role,
        department=Department.objects.get(pk=user("helijuan").staff.department_id),
        region=Region.objects.get(code=user("helijuan").staff.region.code),
    )
    head = login("helijuan")
    assert head.get(f"{URL}/catalogue/").status_code == 200
    assert head.get(f"{URL}/calendar/").status_code == 403
    assert not CalendarDay.objects.filter(date=date(2026, 12, 1)).exists()


def test_calendar_admin_edits_a_day_and_publishes_a_year_audited() -> None:
    admin = _verified_admin()
    html = page(admin, f"{URL}/calendar/?year=2026")
    assert "工作日历" in html and "已录入" in html
    response = admin.post(
        f"{URL}/calendar/day/", {"year": "2026", "day": "2026-12-01", "is_working_day": "0", "name": "测试放假"}
    )
    assert response.status_code == 302
    row = CalendarDay.objects.get(date=date(2026, 12, 1))
    assert not row.is_working_day and row.name == "测试放假"
    assert AuditEntry.objects.filter(action="core.calendar_day_set", actor_name="wangjianguo").exists()
    missing_name = admin.post(f"{URL}/calendar/day/", {"year": "2026", "day": "2026-12-02", "is_working_day": "0"})
    assert "请填写名称" in missing_name.content.decode()

    bad = admin.post(f"{URL}/calendar/publish/", {"year": "2099", "days": "2099-01-01 休息 元旦"})
    assert "第1行格式应为" in bad.content.decode()
    published = admin.post(
        f"{URL}/calendar/publish/", {"year": "2099", "days": "2099-01-01 放假 元旦\n2099-01-03 上班 元旦调休上班"}
    )
    assert published.status_code == 302
    assert CalendarYear.objects.filter(year=2099).exists()
    assert CalendarDay.objects.filter(date__year=2099).count() == 2
    assert AuditEntry.objects.filter(action="core.calendar_year_publish", actor_name="wangjianguo").exists()
    assert "元旦调休上班" in page(admin, f"{URL}/calendar/?year=2099")
