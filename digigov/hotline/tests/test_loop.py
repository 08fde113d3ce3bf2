"""The closed loop: 派单 → 签收 → 回复 → 回访 → 办结, with 退单, 延期, 督办, 并案, reopening and the sweeper."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from digigov.core.errors import Conflict, Forbidden, ValidationFailed
from digigov.core.models import AuditEntry
from digigov.core.policy import SYSTEM
from digigov.core.tests import sample_files
from digigov.hotline.models import (
    Appeal,
    AppealCard,
    AppealStatus,
    CallbackTask,
    KnowledgeEntry,
    LabelSource,
    RoutingLabel,
    Satisfaction,
)
from digigov.hotline.selectors import handler_worklist, satisfaction_rollup, visible_appeals
from digigov.hotline.services import loop
from digigov.hotline.services.intake import submit_appeal
from digigov.hotline.services.sweeper import sweep_appeals
from digigov.hotline.tests.conftest import HOUSING, appeal_input, category
from digigov.identity.models import Department, Region

pytestmark = pytest.mark.usefixtures("hotline")


@pytest.fixture
def queued(staff: Any, settings: Any) -> Appeal:
    """An appeal the model was not sure about: it waits for a dispatcher."""
    settings.HOTLINE_ROUTING_THRESHOLD = 1.01
    return submit_appeal(actor=staff("hanxue"), data=appeal_input())


def _dispatched(staff: Any, queued: Appeal) -> Appeal:
    return loop.dispatch(
        actor=staff("zhoupeng"),
        appeal=queued,
        department=Department.objects.get(code="zjj"),
        category=category(HOUSING),
    )


def test_the_whole_loop_closes_with_a_satisfied_caller(staff: Any, queued: Appeal) -> None:
    appeal = _dispatched(staff, queued)
    assert appeal.status == AppealStatus.DISPATCHED and appeal.handler_region.name == "平山街道"
    label = RoutingLabel.objects.get(appeal=appeal)
    assert (label.category_l1, label.source) == ("城乡建设", LabelSource.DISPATCHER)
    handler = staff("liguoqiang")
    assert appeal in handler_worklist(handler)
    loop.sign(actor=handler, appeal=appeal)
    assert appeal.status == AppealStatus.SIGNED and appeal.reply_due_at is not None
    loop.reply(actor=handler, appeal=appeal, text="已约谈物业公司，电梯已于今日修复并通过检验。")
    assert appeal.status == AppealStatus.REPLIED
    task = CallbackTask.objects.get(appeal=appeal)
    loop.record_callback(actor=staff("hanxue"), task=task, result=Satisfaction.SATISFIED)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.CLOSED and appeal.closed_at is not None
    actions = list(appeal.events.values_list("action", flat=True))
    assert actions == ["received", "dispatched", "signed", "replied", "closed"]
    audited = set(AuditEntry.objects.filter(object_id=str(appeal.pk)).values_list("action", flat=True))
    assert {"hotline.appeal_dispatched", "hotline.appeal_signed", "hotline.appeal_closed"} <= audited


def test_the_street_handles_what_happened_there(staff: Any, queued: Appeal) -> None:
    appeal = _dispatched(staff, queued)
    street_clerk = staff("sujianping")  # 平山街道
    assert appeal in visible_appeals(street_clerk)
    loop.sign(actor=street_clerk, appeal=appeal)
    assert appeal.status == AppealStatus.SIGNED


def test_one_dispatch_straight_to_a_community(staff: Any, queued: Appeal) -> None:
    street = Region.objects.get(name="平山街道")
    community = street.children.first()
    office = Department.objects.get(code="ps_psjd")
    appeal = loop.dispatch(actor=staff("zhoupeng"), appeal=queued, department=office, handler_region=community)
    assert appeal.handler_region == community and appeal.department == office
    with pytest.raises(ValidationFailed):
        loop.dispatch(
            actor=staff("zhoupeng"),
            appeal=submit_appeal(actor=SYSTEM, data=appeal_input()),
            department=office,
            handler_region=Region.objects.get(name="桓仁镇"),
        )


def test_other_departments_neither_see_nor_act(staff: Any, queued: Appeal) -> None:
    appeal = _dispatched(staff, queued)
    other = staff("zhaominghui")  # 市人社局
    assert appeal not in visible_appeals(other)
    with pytest.raises(Forbidden):
        loop.sign(actor=other, appeal=appeal)
    with pytest.raises(Forbidden):
        loop.dispatch(actor=staff("liguoqiang"), appeal=appeal, department=Department.objects.get(code="rsj"))


def test_two_handlers_signing_at_once_one_gets_a_conflict(staff: Any, queued: Appeal) -> None:
    appeal = _dispatched(staff, queued)
    first, second = Appeal.objects.get(pk=appeal.pk), Appeal.objects.get(pk=appeal.pk)
    loop.sign(actor=staff("liguoqiang"), appeal=first)
    with pytest.raises(Conflict):
        loop.sign(actor=staff("sujianping"), appeal=second)
    assert Appeal.objects.get(pk=appeal.pk).events.filter(action="signed").count() == 1


def test_return_needs_a_reason_and_puts_it_back_in_the_queue(staff: Any, queued: Appeal) -> None:
    appeal = _dispatched(staff, queued)
    handler = staff("liguoqiang")
    with pytest.raises(ValidationFailed):
        loop.return_to_centre(actor=handler, appeal=appeal, reason="  ")
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.DISPATCHED
    loop.return_to_centre(actor=handler, appeal=appeal, reason="电梯维保属市场监管部门职责")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.RECEIVED and appeal.needs_dispatcher and appeal.department is None


def test_unsatisfied_reopens_once_then_closes(staff: Any, queued: Appeal) -> None:
    appeal = _dispatched(staff, queued)
    handler, agent = staff("liguoqiang"), staff("hanxue")
    loop.sign(actor=handler, appeal=appeal)
    loop.reply(actor=handler, appeal=appeal, text="已督促物业维修。")
    loop.record_callback(actor=agent, task=appeal.callbacks.get(round=1), result=Satisfaction.UNSATISFIED)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SIGNED and appeal.reopen_count == 1
    loop.reply(actor=handler, appeal=appeal, text="电梯已更换主板，经检验合格。")
    loop.record_callback(actor=agent, task=appeal.callbacks.get(round=2), result=Satisfaction.UNSATISFIED)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.CLOSED
    rows = {r.key: r for r in satisfaction_rollup(staff("zhoupeng"), by="department")}
    assert rows["本溪市住房和城乡建设局"].unsatisfied >= 2


def test_a_callback_is_recorded_once(staff: Any, queued: Appeal) -> None:
    appeal = _dispatched(staff, queued)
    loop.sign(actor=staff("liguoqiang"), appeal=appeal)
    loop.reply(actor=staff("liguoqiang"), appeal=appeal, text="已处理。")
    task = appeal.callbacks.get()
    loop.record_callback(actor=staff("hanxue"), task=task, result=Satisfaction.BASICALLY)
    with pytest.raises(Conflict):
        loop.record_callback(actor=staff("songjiaqi"), task=task, result=Satisfaction.SATISFIED)


def test_extension_approved_moves_the_deadline(staff: Any, queued: Appeal) -> None:
    appeal = _dispatched(staff, queued)
    handler = staff("liguoqiang")
    loop.sign(actor=handler, appeal=appeal)
    due = appeal.reply_due_at
    with pytest.raises(ValidationFailed):
        loop.request_extension(actor=handler, appeal=appeal, working_days=0, reason="需要时间")
    request = loop.request_extension(actor=handler, appeal=appeal, working_days=5, reason="需协调电梯厂家更换配件")
    with pytest.raises(Conflict):
        loop.request_extension(actor=handler, appeal=appeal, working_days=3, reason="再申请一次")
    with pytest.raises(ValidationFailed):
        loop.decide_extension(actor=staff("zhoupeng"), request=request, approve=False, note="")
    loop.decide_extension(actor=staff("zhoupeng"), request=request, approve=True)
    appeal.refresh_from_db()
    assert appeal.reply_due_at is not None and due is not None
    assert (appeal.reply_due_at - due) >= timedelta(days=5)  # five working days: at least five calendar days


def test_merged_callers_get_the_reply_and_close_with_the_master(staff: Any, queued: Appeal) -> None:
    master = _dispatched(staff, queued)
    duplicate = submit_appeal(
        actor=staff("songjiaqi"), data=appeal_input(caller_name="王海峰", caller_phone="15241466093")
    )
    loop.merge(actor=staff("zhoupeng"), master=master, duplicates=[duplicate])
    duplicate.refresh_from_db()
    assert duplicate.status == AppealStatus.MERGED and duplicate.master == master
    handler = staff("liguoqiang")
    loop.sign(actor=handler, appeal=master)
    loop.reply(actor=handler, appeal=master, text="电梯已修复。")
    duplicate.refresh_from_db()
    assert duplicate.reply_text == "电梯已修复。"
    assert CallbackTask.objects.filter(appeal__in=[master, duplicate]).count() == 2
    loop.record_callback(actor=staff("hanxue"), task=master.callbacks.get(), result=Satisfaction.SATISFIED)
    duplicate.refresh_from_db()
    assert duplicate.status == AppealStatus.CLOSED


def test_a_consultation_answered_from_the_knowledge_base_closes_at_once(staff: Any, settings: Any) -> None:
    settings.HOTLINE_ROUTING_THRESHOLD = 1.01
    entry = KnowledgeEntry.objects.create(
        question="公积金提取需要什么材料", answer="携带身份证和银行卡到公积金中心窗口办理。"
    )
    agent = staff("hanxue")
    consultation = submit_appeal(actor=agent, data=appeal_input(appeal_type="consultation"))
    loop.close_from_knowledge(actor=agent, appeal=consultation, entry=entry)
    assert consultation.status == AppealStatus.CLOSED and consultation.reply_text == entry.answer
    complaint = submit_appeal(actor=agent, data=appeal_input())
    with pytest.raises(Conflict):
        loop.close_from_knowledge(actor=agent, appeal=complaint, entry=entry)


def test_sweeper_cards_and_escalates_the_overdue_once(staff: Any, queued: Appeal) -> None:
    appeal = _dispatched(staff, queued)
    past = timezone.now() - timedelta(days=3)
    Appeal.objects.filter(pk=appeal.pk).update(  # dispatched three days ago: the stage's instants passed long since
        dispatched_at=past,
        sign_due_at=past + timedelta(hours=2),
        yellow_at=past + timedelta(hours=1),
        due_at=past + timedelta(hours=2),
    )
    result = sweep_appeals()
    appeal.refresh_from_db()
    assert appeal.card == AppealCard.RED and appeal.escalated_at is not None
    assert result.escalated >= 1
    assert appeal.events.filter(action="escalated").count() == 1
    sweep_appeals()
    assert appeal.events.filter(action="escalated").count() == 1


def test_the_callback_agent_reveals_the_number_audited_and_only_while_pending(staff: Any, queued: Appeal) -> None:
    from digigov.hotline.services.caller import caller_contact_reveal

    appeal = _dispatched(staff, queued)
    loop.sign(actor=staff("liguoqiang"), appeal=appeal)
    loop.reply(actor=staff("liguoqiang"), appeal=appeal, text="已处理。")
    task = appeal.callbacks.get()
    with pytest.raises(Forbidden):
        caller_contact_reveal(actor=staff("liguoqiang"), task=task)  # the department never sees the number
    contact = caller_contact_reveal(actor=staff("hanxue"), task=task)
    assert (contact.name, contact.phone) == ("刘淑珍", "13841412786")
    entry = AuditEntry.objects.filter(action="hotline.caller_revealed", object_id=str(appeal.pk)).get()
    assert "13841412786" not in str(entry.__dict__)
    loop.record_callback(actor=staff("hanxue"), task=task, result=Satisfaction.SATISFIED)
    task.refresh_from_db()
    with pytest.raises(Conflict):
        caller_contact_reveal(actor=staff("hanxue"), task=task)


def test_handlers_download_attachments_audited_and_outsiders_get_404(staff: Any, login: Any, settings: Any) -> None:
    settings.HOTLINE_ROUTING_THRESHOLD = 1.01
    png = sample_files.png(width=4)
    appeal = submit_appeal(actor=staff("hanxue"), data=appeal_input(attachments=(("现场照片.png", png),)))
    _dispatched(staff, appeal)
    attachment = appeal.attachments.get()
    url = f"/console/hotline/appeals/{appeal.pk}/attachments/{attachment.pk}/"
    response = login("liguoqiang").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == png
    assert AuditEntry.objects.filter(action="hotline.attachment_download", object_id=str(appeal.pk)).count() == 1
    assert login("zhaominghui").get(url).status_code == 404  # another department


def test_an_edit_never_revives_a_deactivated_knowledge_entry(staff: Any) -> None:
    from digigov.hotline.services.reference import knowledge_entry_deactivate, knowledge_entry_save

    dispatcher = staff("zhoupeng")
    entry = knowledge_entry_save(
        actor=dispatcher, question="户口迁移需要什么材料", answer="携带户口簿和身份证到派出所办理。"
    )
    stale = KnowledgeEntry.objects.get(pk=entry.pk)  # an edit form opened before the deactivation
    knowledge_entry_deactivate(actor=dispatcher, entry=entry)
    with pytest.raises(Conflict):
        knowledge_entry_save(actor=dispatcher, question="户口迁移材料", answer="新答案。", entry=stale)
    assert not KnowledgeEntry.objects.get(pk=entry.pk).is_active
