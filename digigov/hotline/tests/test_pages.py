"""The hotline console pages: hub, agent intake with live suggestions, the dispatcher's queue and dispatch form,
worklists, the appeal page and its actions, callbacks, extensions, 督办, 并案 and the hot-issue board — each
page and action for the roles that may use it, and refused (403/404) for those who may not."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import F
from django.template.defaultfilters import floatformat
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digigov.core.errors import ValidationFailed
from digigov.core.policy import SYSTEM
from digigov.core.tests.deadlines import set_card
from digigov.hotline.models import (
    Appeal,
    AppealCard,
    AppealStatus,
    CallbackTask,
    Category,
    ExtensionRequest,
    ExtensionStatus,
    KnowledgeEntry,
    RoutingModelVersion,
)
from digigov.hotline.routing.store import active_router, active_version_changed
from digigov.hotline.selectors import satisfaction_rollup
from digigov.hotline.services import loop, reference
from digigov.hotline.tests.test_pages_support import (
    DISPATCH_AUTOMATICALLY,
    ELEVATOR,
    file_appeal,
    file_hot_cluster,
    model_says,
    model_version,
    quiet,
    wait_for_dispatcher,
)
from digigov.identity.models import Department, Region, User

# The demo's routing model is the one in use; unless a test says otherwise, every appeal waits for a dispatcher.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hotline", "quiet", "wait_for_dispatcher")]
__all__ = ["quiet", "wait_for_dispatcher"]  # fixtures, imported for this module

URL = "/console/hotline"


def user(username: str) -> User:
    return User.objects.get(username=username)


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data)


def queued(**overrides: Any) -> Appeal:
    """An appeal waiting for a dispatcher (the threshold is above any confidence), with the model's suggestions."""
    appeal = file_appeal(user("hanxue"), **overrides)
    assert appeal.status == AppealStatus.RECEIVED
    return appeal


def dispatched(**overrides: Any) -> Appeal:
    return loop.dispatch(
        actor=user("zhoupeng"),
        appeal=queued(**overrides),
        department=Department.objects.get(code="zjj"),
        category=Category.objects.get(path="城乡建设/住房保障与房地产"),
    )


def signed(**overrides: Any) -> Appeal:
    return loop.sign(actor=user("liguoqiang"), appeal=dispatched(**overrides))


def replied(**overrides: Any) -> Appeal:
    return loop.reply(actor=user("liguoqiang"), appeal=signed(**overrides), text="已约谈物业公司，电梯已修复。")


def knowledge(question: str, answer: str) -> KnowledgeEntry:
    return reference.knowledge_entry_save(actor=SYSTEM, question=question, answer=answer)


def act(client: Client, appeal: Appeal, action: str, **data: Any) -> Any:
    appeal.refresh_from_db()
    return client.post(f"{URL}/appeals/{appeal.pk}/{action}/", {"status": appeal.status, **data})


# --- hub and navigation -----------------------------------------------------------------------------------


def test_console_links_to_the_hotline_and_the_hub_counts_each_duty(login: Any) -> None:
    queued()
    replied()
    agent = login("hanxue")
    assert f'href="{URL}/"' in page(agent, "/console/")
    hub = page(agent, f"{URL}/")
    assert 'data-testid="tile-callbacks">1<' in hub and "tile-queue" not in hub
    assert f"{URL}/intake/" in hub and f"{URL}/hot/" not in hub
    dispatcher = page(login("zhoupeng"), f"{URL}/")
    assert 'data-testid="tile-queue">1<' in dispatcher and f"{URL}/hot/" in dispatcher
    liaison = page(login("liguoqiang"), f"{URL}/")
    assert 'data-testid="tile-in-hand">0<' in liaison and 'data-testid="tile-to-sign">0<' in liaison
    assert f"{URL}/worklist/" in liaison and f"{URL}/intake/" not in liaison
    clerk = page(login("fengxue"), f"{URL}/")  # 综合窗口: staff, but no hotline duty
    assert 'data-testid="no-hotline"' in clerk and "tile-" not in clerk


def test_every_hotline_page_refuses_those_without_its_permission(login: Any) -> None:
    appeal = dispatched()
    liaison, agent, clerk = login("liguoqiang"), login("hanxue"), login("fengxue")
    for client, path in (
        (liaison, f"{URL}/intake/"),
        (liaison, f"{URL}/queue/"),
        (liaison, f"{URL}/callbacks/"),
        (agent, f"{URL}/queue/"),
        (agent, f"{URL}/queue/overdue/"),
        (agent, f"{URL}/worklist/"),
        (agent, f"{URL}/hot/"),
        (clerk, f"{URL}/worklist/"),
    ):
        assert client.get(path).status_code == 403, path
    assert liaison.post(f"{URL}/intake/suggest/", {"text": "电梯坏了很多天"}).status_code == 403
    assert clerk.get(f"{URL}/appeals/{appeal.pk}/").status_code == 404  # outside every scope: as if missing
    assert login("wangshuang").get(f"{URL}/appeals/{appeal.pk}/").status_code == 404  # 城管: not theirs
    assert Client().get(f"{URL}/").status_code == 302  # anonymous: to the login page


# --- intake -------------------------------------------------------------------------------------------------


def test_intake_form_defaults_to_the_phone_and_loads_htmx_without_inline_code(login: Any) -> None:
    html = page(login("hanxue"), f"{URL}/intake/")
    assert '<option value="phone" selected>' in html
    assert "vendor/htmx/htmx-2.0.11.min.js" in html and 'hx-post="/console/hotline/intake/suggest/"' in html
    assert 'hx-trigger="input delay:400ms"' in html and 'name="idempotency_key"' in html
    assert "<script>" not in html and "style=" not in html and " onclick" not in html
    assert 'name="confidential"' in html and "保密" in html


def test_suggestions_show_the_models_categories_departments_confidence_and_knowledge_answers(
    login: Any, settings: Any
) -> None:
    entry = knowledge("小区电梯坏了找谁维修？", "住宅电梯由物业服务企业负责维修，可向市住建局物业科投诉。")
    agent = login("hanxue")
    short = agent.post(f"{URL}/intake/suggest/", {"text": "电梯"}).content.decode()
    assert 'data-testid="suggest-waiting"' in short
    subject, text = "电梯故障", "小区电梯坏了一个月没人修"
    said = model_says(subject, text)
    html = agent.post(
        f"{URL}/intake/suggest/", {"subject": subject, "text": text, "appeal_type": "consultation"}
    ).content.decode()
    listing = html[html.index('class="hl-suggestions"') : html.index('data-testid="routing-outcome"')]
    for s in said:  # best first, each with the department its level-1 category names
        assert s.label in listing and s.department_label in listing, s
    places = [listing.index(f"<strong>{s.label}</strong>") for s in said]
    assert places == sorted(places)
    top = said[0]
    assert f'value="{top.confidence}"' in listing and f'<span class="num">{top.percent}</span>' in listing
    assert "置信度不足" in html and f"（模型 v{model_version()}）" in html
    assert entry.question in html and f'name="answer_entry" value="{entry.pk}"' in html
    complaint = agent.post(f"{URL}/intake/suggest/", {"text": text, "appeal_type": "complaint"}).content.decode()
    assert entry.question in complaint and 'name="answer_entry"' not in complaint  # only a 咨询 closes at once
    settings.HOTLINE_ROUTING_THRESHOLD = DISPATCH_AUTOMATICALLY
    wages = model_says("", "公司拖欠工资三个月不发")[0]
    assert wages.label == "劳动和社会保障" and wages.department is not None and wages.department.code == "rsj"
    automatic = agent.post(f"{URL}/intake/suggest/", {"text": "公司拖欠工资三个月不发"}).content.decode()
    assert f"自动派至「{wages.department_label}」" in automatic and wages.percent in automatic


def test_without_an_active_model_the_panel_says_so_and_every_appeal_waits(login: Any, settings: Any) -> None:
    RoutingModelVersion.objects.update(is_active=False)  # inside the test's transaction: rolled back after it
    active_version_changed()
    assert active_router() is None  # the router cache does not stand in for a version no longer active
    settings.HOTLINE_ROUTING_THRESHOLD = DISPATCH_AUTOMATICALLY
    html = login("hanxue").post(f"{URL}/intake/suggest/", {"text": "小区电梯坏了一个月没人修"}).content.decode()
    assert 'data-testid="no-model"' in html and "分拨模型尚未启用" in html and "hl-suggestion" not in html
    appeal = file_appeal(user("hanxue"))
    assert appeal.status == AppealStatus.RECEIVED and appeal.needs_dispatcher
    assert appeal.routing_model_version is None and not appeal.suggestions
    queue = page(login("zhoupeng"), f"{URL}/queue/")
    assert appeal.number in queue and "受理时尚无分拨模型" in queue


def test_submitting_files_the_appeal_once_and_shows_its_page(login: Any, settings: Any) -> None:
    settings.HOTLINE_ROUTING_THRESHOLD = DISPATCH_AUTOMATICALLY
    agent = login("hanxue")
    form = {
        "channel": "phone",
        "appeal_type": "complaint",
        "subject": "公司拖欠工资",
        "text": "我在平山区一家餐馆打工，老板拖欠工资三个月不发。",
        "address": "本溪市平山区平山街道",
        "caller_name": "王大伟",
        "caller_phone": "13941412345",
        "idempotency_key": "intake-test-once",
    }
    wages = model_says(form["subject"], form["text"])[0]
    assert wages.label == "劳动和社会保障", wages  # the model is sure this is about wages (市人社局's)
    response = agent.post(f"{URL}/intake/", form)
    appeal = Appeal.objects.get(idempotency_key="intake-test-once")
    assert response.status_code == 302 and response["Location"] == f"{URL}/appeals/{appeal.pk}/"
    assert appeal.status == AppealStatus.DISPATCHED and appeal.department is not None
    assert appeal.department == wages.department and appeal.department.code == "rsj"
    assert appeal.routing_confidence == wages.confidence and appeal.routing_model_version == model_version()
    assert agent.post(f"{URL}/intake/", form).status_code == 302  # a double click finds the first appeal
    assert Appeal.objects.filter(idempotency_key="intake-test-once").count() == 1
    html = page(agent, f"{URL}/appeals/{appeal.pk}/")
    assert f"已自动派至{appeal.department.name}" in html
    assert "王*伟" in html and "139****2345" in html and "王大伟" not in html and "13941412345" not in html
    changed = agent.post(f"{URL}/intake/", {**form, "subject": "另一件事：工资"})
    assert changed.status_code == 200 and "本页已提交过一次" in changed.content.decode()
    assert 'value="intake-test-once"' not in changed.content.decode()  # a fresh key for the next click


def test_service_errors_are_shown_on_the_intake_fields(login: Any) -> None:
    agent = login("hanxue")
    form = {"channel": "phone", "appeal_type": "complaint", "subject": "太短", "text": "电梯"}
    response = agent.post(f"{URL}/intake/", form)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_text_error"' in html and "至少5个字" in html
    assert "hl-intake-side" in html and 'data-testid="suggest-waiting"' in html  # the panel is drawn again
    bad_phone = agent.post(f"{URL}/intake/", {**form, "text": "小区电梯坏了很久", "caller_phone": "12345"})
    assert bad_phone.status_code == 200 and 'id="id_caller_phone_error"' in bad_phone.content.decode()
    assert not Appeal.objects.filter(subject="太短").exists()


def test_a_consultation_answered_from_the_knowledge_base_is_closed_at_once(login: Any) -> None:
    entry = knowledge("住房公积金提取需要什么材料？", "提取住房公积金需携带身份证、银行卡和购房合同到公积金中心办理。")
    response = login("hanxue").post(
        f"{URL}/intake/",
        {
            "channel": "phone",
            "appeal_type": "consultation",
            "subject": "公积金提取",
            "text": "请问提取住房公积金需要带什么材料？",
            "answer_entry": str(entry.pk),
        },
    )
    appeal = Appeal.objects.get(subject="公积金提取")
    assert response.status_code == 302
    assert appeal.status == AppealStatus.CLOSED and appeal.reply_text == entry.answer
    assert appeal.events.filter(action="answered_from_knowledge").exists()
    complaint = login("hanxue").post(
        f"{URL}/intake/",
        {
            "channel": "phone",
            "appeal_type": "complaint",
            "subject": "公积金提取被拒",
            "text": "提取住房公积金被拒绝，理由不清楚。",
            "answer_entry": str(entry.pk),
        },
        follow=True,
    )
    assert "只有尚未派单的咨询可以按知识库直接办结" in complaint.content.decode()
    assert Appeal.objects.get(subject="公积金提取被拒").status == AppealStatus.RECEIVED


# --- the dispatcher -----------------------------------------------------------------------------------------


def test_queue_lists_waiting_appeals_with_the_models_suggestions_and_dispatches_to_the_top_one(login: Any) -> None:
    appeal = queued()
    said = model_says(ELEVATOR["subject"], ELEVATOR["text"])
    top = said[0]
    assert top.category is not None and top.department is not None, top
    dispatcher = login("zhoupeng")
    html = page(dispatcher, f"{URL}/queue/")
    item = html[html.index(f'data-testid="queue-{appeal.pk}"') : html.index(f'data-testid="quick-{appeal.pk}"')]
    for s in said:
        assert s.label in item, s
    assert top.department_label in item and f'<span class="num">{top.percent}</span>' in item
    assert f'name="category_l1" value="{top.category.code}"' in item
    assert f'name="department" value="{top.department.pk}"' in item
    assert f"按建议派至{top.department_label}" in html and 'data-testid="count-queue">1<' in html
    response = act(  # what the quick button posts
        dispatcher,
        appeal,
        "dispatch",
        category_l1=top.category.code,
        department=str(top.department.pk),
        next=f"{URL}/queue/",
    )
    assert response.status_code == 302 and response["Location"] == f"{URL}/queue/"
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DISPATCHED and appeal.department == top.department
    assert appeal.category_l1 == top.label
    assert appeal.handler_region == Region.objects.get(name="平山街道")  # a city bureau: the location's street
    assert f'data-testid="queue-{appeal.pk}"' not in page(dispatcher, f"{URL}/queue/")


def test_a_returned_appeal_waits_in_the_queue_with_the_reason(login: Any) -> None:
    appeal = dispatched()
    liaison = login("liguoqiang")
    empty = act(liaison, appeal, "return", reason="  ")
    assert empty.status_code == 200 and "field-invalid" in empty.content.decode()
    response = act(liaison, appeal, "return", reason="该小区电梯属特种设备，应由市场监管局处理")
    assert response.status_code == 302 and response["Location"] == f"{URL}/worklist/"
    html = page(login("zhoupeng"), f"{URL}/queue/")
    assert appeal.number in html and "退单" in html and "应由市场监管局处理" in html


def test_routing_fields_cascade_and_preselect_the_department(login: Any) -> None:
    dispatcher = login("zhoupeng")
    city_building = Category.objects.get(level=1, name="城乡建设")
    html = page(dispatcher, f"{URL}/routing-fields/?category_l1={city_building.code}&changed=category_l1")
    zjj, zhzfj = Department.objects.get(code="zjj"), Department.objects.get(code="zhzfj")
    assert f'<option value="{zjj.pk}" selected>' in html  # 城乡建设 → 市住建局
    municipal = Category.objects.get(path="城乡建设/城市建设和市政管理")
    assert f'<option value="{municipal.code}">城市建设和市政管理</option>' in html
    html = page(
        dispatcher,
        f"{URL}/routing-fields/?category_l1={city_building.code}&category_l2={municipal.code}"
        f"&department={zjj.pk}&changed=category_l2",
    )
    assert f'<option value="{zhzfj.pk}" selected>' in html  # the level-2 node names 城管执法局
    assert Category.objects.filter(parent=municipal)[0].name in html  # its level-3 options
    street = Department.objects.get(code="ps_psjd")
    html = page(
        dispatcher, f"{URL}/routing-fields/?category_l1={city_building.code}&department={street.pk}&changed=department"
    )
    regions = html[html.index('name="handler_region"') :]
    assert f'<option value="{street.pk}" selected>' in html and "平山街道" in regions and "东明街道" not in regions
    assert login("hanxue").get(f"{URL}/routing-fields/").status_code == 403


def test_one_order_straight_to_a_street_reaches_the_street_worklist(login: Any) -> None:
    appeal = queued()
    street_office = Department.objects.get(code="ps_psjd")
    street = Region.objects.get(name="平山街道")
    dispatcher = login("zhoupeng")
    html = page(dispatcher, f"{URL}/appeals/{appeal.pk}/")
    assert 'data-testid="dispatch-form"' in html and 'hx-get="/console/hotline/routing-fields/"' in html
    response = act(
        dispatcher,
        appeal,
        "dispatch",
        category_l1=Category.objects.get(level=1, name="城乡建设").code,
        department=str(street_office.pk),
        handler_region=street.code,
        note="一单通达：直派平山街道",
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.department == street_office and appeal.handler_region == street
    assert appeal.number in page(login("sujianping"), f"{URL}/worklist/")
    assert appeal.number not in page(login("liguoqiang"), f"{URL}/worklist/")


def test_dispatch_form_errors_are_shown_on_the_form(login: Any) -> None:
    appeal = queued()
    response = act(login("zhoupeng"), appeal, "dispatch", category_l1="", department="")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="dispatch-form"' in html and "field-invalid" in html
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.RECEIVED


def test_only_the_centre_dispatches_and_only_the_handler_signs(login: Any) -> None:
    appeal = queued()
    agent = login("hanxue")  # sees the appeal (intake), may not dispatch it
    assert 'data-testid="dispatch-form"' not in page(agent, f"{URL}/appeals/{appeal.pk}/")
    zjj = str(Department.objects.get(code="zjj").pk)
    assert act(agent, appeal, "dispatch", department=zjj).status_code == 403
    assert act(login("liguoqiang"), appeal, "dispatch", department=zjj).status_code == 404  # not yet theirs
    loop.dispatch(actor=user("zhoupeng"), appeal=appeal, department=Department.objects.get(code="zjj"))
    assert act(login("zhoupeng"), appeal, "sign").status_code == 403
    assert act(login("wangshuang"), appeal, "sign").status_code == 404
    assert act(login("liguoqiang"), appeal, "bogus").status_code == 404
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DISPATCHED


def test_a_stale_page_is_refused_instead_of_acting_on_a_state_nobody_saw(login: Any) -> None:
    appeal = dispatched()
    liaison = login("liguoqiang")
    response = liaison.post(f"{URL}/appeals/{appeal.pk}/sign/", {"status": AppealStatus.RECEIVED})
    assert response.status_code == 302
    assert "已被他人处理" in page(liaison, response["Location"])
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.DISPATCHED


# --- worklists and the appeal page ----------------------------------------------------------------------------


def test_worklists_filter_by_status_and_card_and_show_the_cards_in_words(login: Any) -> None:
    to_sign, in_hand = dispatched(), signed(subject="楼道电梯困人")
    set_card(in_hand, AppealCard.RED)
    liaison = login("liguoqiang")
    html = page(liaison, f"{URL}/worklist/")
    assert to_sign.number in html and in_hand.number in html and "红牌·已超期" in html
    assert 'data-testid="red-count">1<' in html and f'data-testid="sign-{to_sign.pk}"' in html
    red = page(liaison, f"{URL}/worklist/?card=red")
    assert in_hand.number in red and to_sign.number not in red
    waiting = page(liaison, f"{URL}/worklist/?status=dispatched")
    assert to_sign.number in waiting and in_hand.number not in waiting
    assert to_sign.number in page(liaison, f"{URL}/worklist/?status=bogus")  # a bad filter: everything
    street = page(login("sujianping"), f"{URL}/worklist/")  # 属地: 平山街道 handles it too
    assert to_sign.number in street and "平山街道" in street
    assert to_sign.number not in page(login("wangshuang"), f"{URL}/worklist/")


def _list_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_list_pages_do_not_query_per_row(login: Any) -> None:
    dispatched()
    queued(subject="公积金提取咨询", text="请问公积金提取需要什么材料，多久到账？")
    liaison, dispatcher = login("liguoqiang"), login("zhoupeng")
    _list_queries(liaison, f"{URL}/worklist/")  # the first view after login renews the session
    _list_queries(dispatcher, f"{URL}/queue/")
    worklist, queue = _list_queries(liaison, f"{URL}/worklist/"), _list_queries(dispatcher, f"{URL}/queue/")
    for i in range(6):
        dispatched(subject=f"电梯故障第{i}次", text=f"小区{i}号楼电梯又坏了，物业不修，请尽快处理。第{i}次反映。")
        queued(subject=f"公积金问题{i}", text=f"公积金提取第{i}次被拒，请问原因是什么？")
    assert _list_queries(liaison, f"{URL}/worklist/") == worklist
    assert _list_queries(dispatcher, f"{URL}/queue/") == queue


def test_the_appeal_page_shows_routing_deadlines_and_the_timeline(login: Any) -> None:
    appeal = signed()
    said = model_says(ELEVATOR["subject"], ELEVATOR["text"])
    assert appeal.suggestions == [{"label": s.label, "confidence": s.confidence} for s in said]
    assert appeal.routing_model_version == model_version() and appeal.routing_confidence == said[0].confidence
    html = page(login("liguoqiang"), f"{URL}/appeals/{appeal.pk}/")
    assert "城乡建设/住房保障与房地产" in html and "本溪市住房和城乡建设局" in html and "人工派单" in html
    confidence = floatformat(said[0].confidence, 2)
    assert f'v{model_version()}（置信度 <span class="num">{confidence}</span>）' in html
    listed = html[html.index("模型建议") : html.index('id="deadline-title"')]
    for s in said:
        assert s.label in listed and s.department_label in listed, s
    assert "签收时限" in html and "答复时限" in html and f"{appeal.reply_due_at:%Y-%m-%d}" in html
    for step in ("受理登记", "派单", "签收"):
        assert step in html
    assert 'data-action="reply"' in html and 'data-action="sign"' not in html
    assert 'data-action="extend"' in html and 'data-action="return"' in html
    assert 'data-action="dispatch"' not in html and 'data-action="escalate"' not in html


def test_the_caller_is_masked_for_everyone_and_hidden_from_handlers_when_confidential(login: Any) -> None:
    appeal = dispatched(confidential=True)
    agent = page(login("hanxue"), f"{URL}/appeals/{appeal.pk}/")
    assert "刘*珍" in agent and "138****2786" in agent
    handler = page(login("liguoqiang"), f"{URL}/appeals/{appeal.pk}/")
    assert "（保密）" in handler and "刘*珍" not in handler and "138****2786" not in handler
    for html in (agent, handler):
        assert "刘淑珍" not in html and "13841412786" not in html


def test_sign_extension_approval_and_reply(login: Any) -> None:
    appeal = dispatched()
    liaison, dispatcher = login("liguoqiang"), login("zhoupeng")
    assert act(liaison, appeal, "sign").status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SIGNED
    too_long = act(liaison, appeal, "extend", working_days="45", reason="需要协调")
    assert too_long.status_code == 200 and "field-invalid" in too_long.content.decode()
    assert act(liaison, appeal, "extend", working_days="5", reason="需协调物业和电梯维保单位").status_code == 302
    extension = ExtensionRequest.objects.get(appeal=appeal)
    due = appeal.reply_due_at
    listing = page(dispatcher, f"{URL}/queue/extensions/")
    assert appeal.number in listing and "需协调物业和电梯维保单位" in listing
    assert 'data-action="approve-extension"' in page(dispatcher, f"{URL}/appeals/{appeal.pk}/")
    refused = dispatcher.post(f"{URL}/queue/extensions/{extension.pk}/decide/", {"approve": "0", "note": ""})
    assert refused.status_code == 200 and "请填写不批准的理由" in refused.content.decode()
    approved = dispatcher.post(f"{URL}/queue/extensions/{extension.pk}/decide/", {"approve": "1"})
    assert approved.status_code == 302 and approved["Location"] == f"{URL}/queue/extensions/"
    extension.refresh_from_db()
    appeal.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED
    assert appeal.reply_due_at is not None and due is not None and appeal.reply_due_at > due
    assert login("hanxue").post(f"{URL}/queue/extensions/{extension.pk}/decide/", {"approve": "1"}).status_code == 403
    assert act(liaison, appeal, "reply", text="已约谈物业公司，电梯已修复。").status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REPLIED and CallbackTask.objects.filter(appeal=appeal).count() == 1
    assert "已约谈物业公司" in page(liaison, f"{URL}/appeals/{appeal.pk}/")


def test_a_service_error_is_shown_on_the_action_form(login: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    appeal = signed()

    def refuse(**kwargs: Any) -> Appeal:
        raise ValidationFailed("答复内容不能包含来电人电话", fields={"text": "请删除电话号码"})

    monkeypatch.setattr(loop, "reply", refuse)
    response = act(login("liguoqiang"), appeal, "reply", text="请拨打13841412786联系")
    html = response.content.decode()
    assert response.status_code == 200 and "答复内容不能包含来电人电话" in html and 'id="id_text_error"' in html


# --- callbacks, 督办, 并案 -------------------------------------------------------------------------------------


def test_callbacks_are_recorded_and_close_or_reopen_the_appeal(login: Any) -> None:
    happy, unhappy = replied(), replied(subject="单元门禁坏了", text="小区单元门禁坏了半个月，物业说没有配件。")
    agent = login("hanxue")
    html = page(agent, f"{URL}/callbacks/")
    assert happy.number in html and unhappy.number in html and "刘*珍" in html and "已约谈物业公司" in html
    happy_task, unhappy_task = CallbackTask.objects.get(appeal=happy), CallbackTask.objects.get(appeal=unhappy)
    missing = agent.post(f"{URL}/callbacks/{happy_task.pk}/", {f"cb{happy_task.pk}-comment": "没选结果"})
    assert missing.status_code == 200 and "field-invalid" in missing.content.decode()
    done = agent.post(f"{URL}/callbacks/{happy_task.pk}/", {f"cb{happy_task.pk}-result": "satisfied"})
    assert done.status_code == 302 and "工单已办结" in page(agent, done["Location"])
    happy.refresh_from_db()
    assert happy.status == AppealStatus.CLOSED and happy.satisfaction == "satisfied"
    agent.post(
        f"{URL}/callbacks/{unhappy_task.pk}/",
        {f"cb{unhappy_task.pk}-result": "unsatisfied", f"cb{unhappy_task.pk}-comment": "门禁还是坏的"},
    )
    unhappy.refresh_from_db()
    assert unhappy.status == AppealStatus.SIGNED and unhappy.reopen_count == 1
    assert "门禁还是坏的" in page(agent, f"{URL}/appeals/{unhappy.pk}/")
    assert (
        agent.post(f"{URL}/callbacks/{happy_task.pk}/", {f"cb{happy_task.pk}-result": "satisfied"}).status_code == 404
    )
    assert login("liguoqiang").get(f"{URL}/callbacks/").status_code == 403


def test_the_callback_is_recorded_from_the_appeal_page_too(login: Any) -> None:
    appeal = replied()
    task = CallbackTask.objects.get(appeal=appeal)
    agent = login("hanxue")
    html = page(agent, f"{URL}/appeals/{appeal.pk}/")
    assert 'data-testid="callback-form"' in html and f'name="cb{task.pk}-result"' in html
    assert 'data-testid="callback-form"' not in page(login("liguoqiang"), f"{URL}/appeals/{appeal.pk}/")
    agent.post(f"{URL}/callbacks/{task.pk}/", {f"cb{task.pk}-result": "basically"})
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.CLOSED


def test_overdue_appeals_are_listed_red_first_and_escalated(login: Any) -> None:
    red, yellow = signed(), dispatched(subject="楼道灯不亮", text="小区楼道灯坏了一个月物业不修。")
    set_card(red, AppealCard.RED)
    set_card(yellow, AppealCard.YELLOW)
    dispatcher = login("zhoupeng")
    html = page(dispatcher, f"{URL}/queue/overdue/")
    assert html.index(red.number) < html.index(yellow.number) and "红牌·已超期" in html and "黄牌·即将到期" in html
    response = act(dispatcher, red, "escalate", note="已超期，请今日内答复", next=f"{URL}/queue/overdue/")
    assert response.status_code == 302 and response["Location"] == f"{URL}/queue/overdue/"
    red.refresh_from_db()
    assert red.escalated_at is not None and red.events.filter(action="escalated").exists()
    assert "已督办" in page(dispatcher, f"{URL}/queue/overdue/")
    assert act(login("liguoqiang"), yellow, "escalate", note="自己督办自己").status_code == 403


def test_similar_appeals_are_shown_and_merged_under_a_master(login: Any) -> None:
    first = dispatched()
    second = queued(caller_name="张桂兰", caller_phone="13904146677")
    assert second.similar_appeals, "intake must flag the repeated complaint as similar to the open one"
    dispatcher = login("zhoupeng")
    html = page(dispatcher, f"{URL}/appeals/{second.pk}/")
    assert first.number in html and f'data-testid="merge-into-{first.pk}"' in html
    assert 'data-testid="merge-into' not in page(login("hanxue"), f"{URL}/appeals/{second.pk}/")
    unrelated = queued(subject="公积金提取", text="请问公积金提取需要什么材料？")
    refused = dispatcher.post(
        f"{URL}/appeals/{second.pk}/merge/", {"master": str(unrelated.pk), "duplicate": str(second.pk)}
    )
    assert refused.status_code == 404
    response = dispatcher.post(
        f"{URL}/appeals/{second.pk}/merge/", {"master": str(first.pk), "duplicate": str(second.pk)}
    )
    assert response.status_code == 302 and response["Location"] == f"{URL}/appeals/{first.pk}/"
    second.refresh_from_db()
    assert second.status == AppealStatus.MERGED and second.master == first
    assert second.number in page(dispatcher, f"{URL}/appeals/{first.pk}/")


def test_a_consultation_waiting_at_the_centre_can_be_answered_from_the_knowledge_base(login: Any) -> None:
    entry = knowledge("住房公积金提取需要什么材料？", "提取住房公积金需携带身份证、银行卡和购房合同到公积金中心办理。")
    appeal = queued(appeal_type="consultation", subject="公积金提取", text="请问提取住房公积金需要带什么材料？")
    agent = login("hanxue")
    html = page(agent, f"{URL}/appeals/{appeal.pk}/")
    assert entry.question in html and 'data-action="knowledge"' in html
    assert act(agent, appeal, "knowledge", entry="999999").status_code == 200  # no such entry: shown on the form
    assert act(agent, appeal, "knowledge", entry=str(entry.pk)).status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.CLOSED and appeal.reply_text == entry.answer


# --- hot issues and satisfaction ------------------------------------------------------------------------------


def test_hot_board_shows_the_window_and_the_satisfaction_rollups(login: Any) -> None:
    appeal = replied()
    loop.record_callback(actor=user("hanxue"), task=CallbackTask.objects.get(appeal=appeal), result="satisfied")
    dispatcher = login("zhoupeng")
    html = page(dispatcher, f"{URL}/hot/")
    assert "近30天" in html and 'data-testid="rollup-department"' in html
    since = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=29), time.min))
    row = next(r for r in satisfaction_rollup(user("zhoupeng"), by="department", since=since) if "住房" in r.key)
    assert row.key in html and row.satisfied >= 1 and f"{(row.satisfaction_rate or 0) * 100:.1f}%" in html
    assert "近7天" in page(dispatcher, f"{URL}/hot/?window=7")
    bad = page(dispatcher, f"{URL}/hot/?window=custom&start=2026-03-01&end=2026-02-01")
    assert "截止日期不能早于起始日期" in bad and "近30天" in bad  # a bad window falls back to 30 days
    head = page(login("luoxiaoyan"), f"{URL}/hot/")  # 热线中心主任: statistics of the centre
    assert 'data-testid="rollup-month"' in head


def test_hot_issues_cluster_related_appeals_with_representatives(login: Any) -> None:
    # The demo's appeals (real messages, some about noise near 丽发新城) before this week and the previous one:
    # the matter is new this week, whichever days the demo loader gave them.
    Appeal.objects.update(created_at=F("created_at") - timedelta(days=60))
    file_hot_cluster(user("hanxue"))
    html = page(login("zhoupeng"), f"{URL}/hot/?window=7")
    issues = html[html.index('data-testid="issues"') : html.index("回访满意度")]
    assert "搅拌站" in issues and "丽发新城" in issues and "新出现" in issues
    assert f"{timezone.localdate():%Y-%m-%d}" in issues  # the representatives' dates
    assert issues.count('class="card hl-issue"') >= 1 and "公积金" not in issues
    assert "地点：本溪市" in issues  # no addresses: the region alone, without a separator before it
