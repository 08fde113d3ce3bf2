"""The application lifecycle: state machine, scope, clock, history, audit, concurrency, idempotency, 秒批."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digigov.core.calendar import work_calendar
from digigov.core.clock import day_limit_instants
from digigov.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from digigov.core.models import AuditEntry
from digigov.core.policy import SYSTEM
from digigov.core.tests import sample_files
from digigov.credit.services.joint_punishment import joint_punishment_list
from digigov.identity.models import Enterprise, Region, User
from digigov.onestop.models import Application, ApplicationStatus, DeadlineFlag, ServiceItem
from digigov.onestop.selectors import application_get_for_actor, visible_applications
from digigov.onestop.services import applications as svc
from digigov.onestop.services.sweeper import sweep_deadlines
from digigov.onestop.tests.factories import PDF, attach_all, draft_with_materials, media_files, valid_form_data

pytestmark = pytest.mark.django_db
DOCTOR = "210500-WJW-XK-0003"  # 医师执业注册, 卫健委, 承诺 5 个工作日, no 秒批
ELDER_CARD = "210500-MZJ-GG-0004"  # 老年人优待证, 秒批: applicant.age >= 60
LONGEVITY = "210500-MZJ-JF-0002"  # 高龄津贴, 秒批: age >= 80, not on a joint-punishment list


def user(username: str) -> User:
    return User.objects.get(username=username)


def item(code: str) -> ServiceItem:
    return ServiceItem.objects.get(code=code)


def submitted(username: str = "chenhaoran", code: str = DOCTOR) -> Application:
    app = draft_with_materials(user(username), item(code))
    return svc.application_submit(actor=user(username), application=app)


def history(app: Application) -> list[tuple[str, str]]:
    return list(app.transitions.values_list("from_status", "to_status"))


def test_full_path_from_draft_to_completion_with_history_and_audit() -> None:
    app = submitted()
    assert app.status == ApplicationStatus.SUBMITTED and app.number and app.number.startswith("BX")
    clerk, head = user("fengxue"), user("helijuan")  # 综合窗口 clerk; 卫健委 head
    svc.application_accept(actor=clerk, application=app)
    assert app.accepted_on == timezone.localdate()
    assert app.due_date == work_calendar().add_working_days(app.accepted_on, 5)
    assert app.deadline_flag in (DeadlineFlag.GREEN, DeadlineFlag.YELLOW)
    svc.application_start_review(actor=head, application=app)
    svc.application_approve(actor=head, application=app, comment="材料齐全，符合条件")
    svc.application_complete(actor=head, application=app)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.COMPLETED and app.completed_at is not None
    assert history(app) == [
        ("draft", "submitted"),
        ("submitted", "accepted"),
        ("accepted", "under_review"),
        ("under_review", "approved"),
        ("approved", "completed"),
    ]
    actions = set(
        AuditEntry.objects.filter(object_type="application", object_id=str(app.pk)).values_list("action", flat=True)
    )
    assert {"services.application_submit", "services.application_accept", "services.application_complete"} <= actions


def test_status_cannot_be_set_directly() -> None:
    app = submitted()
    with pytest.raises(AttributeError):
        app.status = ApplicationStatus.COMPLETED


def test_transitions_out_of_order_are_conflicts_in_chinese() -> None:
    app = submitted()
    with pytest.raises(Conflict, match="已申请"):
        svc.application_approve(actor=user("helijuan"), application=app)


def test_only_staff_whose_grant_covers_department_and_region_may_act() -> None:
    app = submitted()
    with pytest.raises(Forbidden):
        svc.application_accept(actor=user("helijuan"), application=app)  # a department head does not 受理
    with pytest.raises(Forbidden):
        svc.application_accept(actor=user("chenhaoran"), application=app)
    svc.application_accept(actor=user("fengxue"), application=app)
    with pytest.raises(Forbidden):
        svc.application_start_review(actor=user("lizhigang"), application=app)  # 公安局 head, other department
    assert application_get_for_actor(user("helijuan"), app.pk) == app
    with pytest.raises(NotFound):
        application_get_for_actor(user("lizhigang"), app.pk)


def test_refusal_and_non_acceptance_need_reasons() -> None:
    app = submitted()
    with pytest.raises(ValidationFailed):
        svc.application_reject(actor=user("fengxue"), application=app, reason=" ")
    svc.application_reject(actor=user("fengxue"), application=app, reason="不属于本机关职权范围，请向省卫健委申请")
    assert app.status == ApplicationStatus.NOT_ACCEPTED and "省卫健委" in app.result_reason
    other = submitted()
    svc.application_accept(actor=user("fengxue"), application=other)
    svc.application_start_review(actor=user("helijuan"), application=other)
    with pytest.raises(ValidationFailed):
        svc.application_refuse(actor=user("helijuan"), application=other, reason="")
    svc.application_refuse(actor=user("helijuan"), application=other, reason="医师资格证书与本人信息不符")
    svc.application_complete(actor=user("helijuan"), application=other)
    assert other.status == ApplicationStatus.COMPLETED


def test_correction_pauses_the_clock_and_resubmission_extends_the_deadline() -> None:
    app = submitted()
    svc.application_accept(actor=user("fengxue"), application=app)
    svc.application_start_review(actor=user("helijuan"), application=app)
    original_due = app.due_date
    svc.application_request_correction(actor=user("helijuan"), application=app, reason="请补充清晰的医师资格证书")
    assert app.status == ApplicationStatus.CORRECTION and app.deadline_flag == DeadlineFlag.PAUSED
    # Three working days later the applicant resubmits: those days do not count against the department.
    paused_on = work_calendar().add_working_days(timezone.localdate(), 0)
    Application.objects.filter(pk=app.pk).update(clock_paused_on=_working_days_ago(3, paused_on))
    app.refresh_from_db()
    svc.application_resubmit(actor=user("chenhaoran"), application=app, form_data=valid_form_data(app.item))
    assert app.status == ApplicationStatus.UNDER_REVIEW
    assert app.paused_working_days == 3
    assert app.due_date == work_calendar().add_working_days(app.accepted_on, 5 + 3)
    assert original_due is not None and app.due_date > original_due


def _working_days_ago(n: int, today: date) -> date:
    day = today
    calendar = work_calendar()
    while calendar.working_days_between(day, today) < n:
        day -= timedelta(days=1)
    return day


def test_correction_before_acceptance_goes_back_to_acceptance() -> None:
    app = submitted()
    svc.application_request_correction(actor=user("fengxue"), application=app, reason="缺少拟执业机构聘用证明原件")
    svc.application_resubmit(actor=user("chenhaoran"), application=app, form_data=valid_form_data(app.item))
    assert app.status == ApplicationStatus.SUBMITTED and app.due_date is None


def test_withdrawal_only_before_acceptance_and_only_by_the_applicant() -> None:
    app = submitted()
    with pytest.raises(NotFound):
        svc.application_withdraw(actor=user("yangting"), application=app)
    svc.application_withdraw(actor=user("chenhaoran"), application=app, reason="信息填写错误，重新申请")
    assert app.status == ApplicationStatus.WITHDRAWN
    accepted = submitted()
    svc.application_accept(actor=user("fengxue"), application=accepted)
    with pytest.raises(Conflict):
        svc.application_withdraw(actor=user("chenhaoran"), application=accepted)


def test_submission_requires_complete_form_and_mandatory_materials() -> None:
    citizen = user("chenhaoran")
    draft = svc.application_save_draft(
        actor=citizen,
        item=item(DOCTOR),
        region=Region.objects.get(code="210502000000"),
        form_data={"registration_type": "首次注册"},
    )
    with pytest.raises(ValidationFailed) as missing_fields:
        svc.application_submit(actor=citizen, application=draft)
    assert "practice_scope" in missing_fields.value.fields
    svc.application_save_draft(
        actor=citizen, item=draft.item, region=draft.region, form_data=valid_form_data(draft.item), application=draft
    )
    with pytest.raises(ValidationFailed, match="医师执业注册申请审核表"):
        svc.application_submit(actor=citizen, application=draft)
    attach_all(citizen, draft)
    assert svc.application_submit(actor=citizen, application=draft).status == ApplicationStatus.SUBMITTED


def test_applicant_kind_region_and_agency_are_checked() -> None:
    citizen = user("chenhaoran")
    legal_only = item("210500-SCJG-XK-0002")  # 企业变更登记: 法人 only
    region = Region.objects.get(code="210502000000")
    with pytest.raises(ValidationFailed):
        svc.application_save_draft(actor=citizen, item=legal_only, region=region, form_data={})
    foreign = Enterprise.objects.get(name="桓仁冰酒庄园有限公司")  # not his enterprise
    with pytest.raises(NotFound):
        svc.application_save_draft(actor=citizen, item=legal_only, region=region, form_data={}, enterprise=foreign)
    local_only = item("210500-SCJG-XK-0005")  # 食品经营许可, here handled in 平山区 only
    local_only.regions.set([region])
    with pytest.raises(ValidationFailed, match="不能在所选区域"):
        svc.application_save_draft(
            actor=citizen, item=local_only, region=Region.objects.get(code="210522000000"), form_data={}
        )
    with pytest.raises(Forbidden):
        svc.application_save_draft(actor=user("fengxue"), item=item(DOCTOR), region=region, form_data={})


def test_citizens_see_their_own_and_their_enterprises_applications_only() -> None:
    mine = submitted("chenhaoran")
    assert mine in visible_applications(user("chenhaoran"))
    assert mine not in visible_applications(user("yangting"))
    assert not visible_applications(user("zhaoyu")).filter(pk=mine.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_staff_acting_at_once_exactly_one_wins(demo_city: None) -> None:
    app = submitted()
    clerks = [user("fengxue"), user("caolei")]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def act(clerk: User) -> None:
        try:
            copy = Application.objects.get(pk=app.pk)
            barrier.wait()
            svc.application_accept(actor=clerk, application=copy)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(c,)) for c in clerks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert Application.objects.get(pk=app.pk).transitions.filter(to_status="accepted").count() == 1


def test_idempotent_submission_never_creates_a_second_application() -> None:
    citizen = user("chenhaoran")
    family = item("210500-WJW-GG-0007")  # 生育登记
    region = Region.objects.get(code="210502000000")
    if family.materials.filter(mandatory=True).exists():
        family.materials.update(mandatory=False)  # one-shot API submissions carry no files
    form = valid_form_data(family)
    first, created = svc.application_submit_new(
        actor=citizen, item=family, region=region, form_data=form, idempotency_key="retry-7f3a"
    )
    again, created_again = svc.application_submit_new(
        actor=citizen, item=family, region=region, form_data=form, idempotency_key="retry-7f3a"
    )
    assert created and not created_again and first.pk == again.pk
    assert Application.objects.filter(applicant=citizen, item=family).count() == 1
    with pytest.raises(Conflict):
        svc.application_submit_new(
            actor=citizen, item=family, region=region, form_data={**form, "x": 1}, idempotency_key="retry-7f3a"
        )


def test_one_shot_submission_writes_what_a_draft_then_submitted_writes() -> None:
    citizen = user("chenhaoran")
    family = item("210500-WJW-GG-0007")  # 生育登记
    family.materials.update(mandatory=False)
    region = Region.objects.get(code="210502000000")
    form = valid_form_data(family)
    one_shot, _ = svc.application_submit_new(
        actor=citizen, item=family, region=region, form_data=form, idempotency_key="same-rows"
    )
    two_step = svc.application_submit(
        actor=citizen, application=svc.application_save_draft(actor=citizen, item=family, region=region, form_data=form)
    )

    def written(app: Application) -> tuple[object, ...]:
        app.refresh_from_db()
        entries = AuditEntry.objects.filter(object_type="application", object_id=str(app.pk)).order_by("seq")
        return (
            app.status,
            app.form_data,
            app.region_id,
            app.department_id,
            list(app.transitions.values_list("from_status", "to_status")),
            [(e.action, e.changed_fields, e.actor_name) for e in entries],
        )

    assert written(one_shot) == written(two_step)
    assert [a for *_, entries in [written(one_shot)] for a, _, _ in entries] == [
        "services.application_save_draft",
        "services.application_submit",
    ]


def test_a_refused_one_shot_submission_writes_nothing_and_never_locks_the_audit_chain() -> None:
    citizen = user("chenhaoran")
    family = item("210500-WJW-GG-0007")
    family.materials.update(mandatory=False)
    region = Region.objects.get(code="210502000000")
    bad = {**valid_form_data(family), "spouse_id_number": "210502198809301534"}  # wrong check digit
    del bad["spouse_name"]  # and a required field missing: the draft's check speaks first, as before
    before = (Application.objects.count(), AuditEntry.objects.count())
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationFailed) as refused:
        svc.application_submit_new(actor=citizen, item=family, region=region, form_data=bad, idempotency_key="k")
    assert set(refused.value.fields) == {"spouse_id_number"}
    with pytest.raises(ValidationFailed) as incomplete:
        svc.application_submit_new(
            actor=citizen, item=family, region=region, form_data={**bad, "spouse_id_number": "210502198809301533"}
        )
    assert set(incomplete.value.fields) == {"spouse_name"}
    family.materials.filter(name="结婚证").update(mandatory=True)
    with pytest.raises(ValidationFailed, match="以下材料尚未上传：结婚证"):
        svc.application_submit_new(actor=citizen, item=family, region=region, form_data=valid_form_data(family))
    assert (Application.objects.count(), AuditEntry.objects.count()) == before
    sql = " ".join(q["sql"].lower() for q in queries.captured_queries)
    assert "insert" not in sql and "auditchainhead" not in sql and "savepoint" not in sql


def test_auto_approval_completes_at_once_with_evidence() -> None:
    elder = user("lixiulan")  # born 1952
    app = submitted("lixiulan", ELDER_CARD)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.COMPLETED and app.auto_approved
    assert app.auto_approval_evidence["approved"] is True
    assert any(e["fact"] == "applicant.age" and e["held"] for e in app.auto_approval_evidence["evidence"])
    assert app.transitions.filter(actor__isnull=True).count() == 4
    young = submitted("chenhaoran", ELDER_CARD)
    young.refresh_from_db()
    assert young.status == ApplicationStatus.SUBMITTED and not young.auto_approved
    assert young.auto_approval_evidence["approved"] is False
    assert elder.pk != young.applicant_id


def test_auto_approval_refuses_when_the_applicant_is_on_a_joint_punishment_list() -> None:
    citizen = user("wangdefu")  # born 1949: old enough for 高龄津贴
    joint_punishment_list(
        actor=SYSTEM,
        name="王德福",
        id_number=citizen.citizen.id_number(),
        measure="限制领取财政补贴",
        authority="本溪市中级人民法院",
        basis="失信被执行人",
        listed_on=date(2026, 1, 5),
    )
    app = submitted("wangdefu", LONGEVITY)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED and not app.auto_approved
    held = {e["fact"]: e["held"] for e in app.auto_approval_evidence["evidence"]}
    assert held["applicant.on_joint_punishment_list"] is False


def test_broken_rule_never_approves() -> None:
    card = item(ELDER_CARD)
    ServiceItem.objects.filter(pk=card.pk).update(
        auto_approval_rules=[{"fact": "applicant.shoe_size", "op": ">=", "value": 1}]
    )
    app = submitted("lixiulan", ELDER_CARD)
    assert app.status == ApplicationStatus.SUBMITTED and not app.auto_approved


def test_cards_turn_yellow_and_red_when_their_instants_pass_with_no_sweeper_and_the_sweeper_finds_them() -> None:
    """Accepted with due dates of yesterday and today, as if accepted long ago: the stored instants say red and
    yellow at once, with no sweep in between; the sweeper (which only tells people) counts both."""
    calendar, today = work_calendar(), timezone.localdate()
    app, other = submitted(), submitted()
    for application, due in ((app, today - timedelta(days=1)), (other, today)):
        svc.application_accept(actor=user("fengxue"), application=application)
        yellow_at, due_at = day_limit_instants(due, application.item.promised_days, calendar)
        Application.objects.filter(pk=application.pk).update(due_date=due, yellow_at=yellow_at, due_at=due_at)
    assert Application.objects.get(pk=app.pk).deadline_flag == DeadlineFlag.RED
    assert Application.objects.get(pk=other.pk).deadline_flag == DeadlineFlag.YELLOW
    found = sweep_deadlines()
    assert found >= 2
    assert sweep_deadlines() == found, "a sweep changes nothing: cards are derived, not stored"


def test_material_upload_checks_type_by_content_and_size() -> None:
    citizen = user("chenhaoran")
    app = svc.application_save_draft(
        actor=citizen, item=item(DOCTOR), region=Region.objects.get(code="210502000000"), form_data={}
    )
    form_pdf_only = app.item.materials.get(name="医师执业注册申请审核表")
    from digigov.onestop.services.materials import application_attach_material

    with pytest.raises(ValidationFailed, match="只接受"):
        application_attach_material(
            actor=citizen, application=app, material=form_pdf_only, name="a.jpg", content=b"\xff\xd8\xff"
        )
    with pytest.raises(ValidationFailed, match="内容与扩展名"):
        application_attach_material(
            actor=citizen, application=app, material=form_pdf_only, name="a.pdf", content=b"MZ\x90\x00 not a pdf"
        )
    with pytest.raises(ValidationFailed, match="空"):
        application_attach_material(actor=citizen, application=app, material=form_pdf_only, name="a.pdf", content=b"")
    big = PDF + b"0" * (form_pdf_only.max_size_mb * 1024 * 1024)
    with pytest.raises(ValidationFailed, match="不能超过"):
        application_attach_material(actor=citizen, application=app, material=form_pdf_only, name="a.pdf", content=big)
    stored = application_attach_material(
        actor=citizen, application=app, material=form_pdf_only, name="审核表.pdf", content=PDF
    )
    assert stored.size == len(PDF) and len(stored.sm3) == 64


def _empty_draft_and_a_pdf_material(citizen: User) -> tuple[Application, Any]:
    app = svc.application_save_draft(
        actor=citizen, item=item(DOCTOR), region=Region.objects.get(code="210502000000"), form_data={}
    )
    return app, next(m for m in app.item.materials.all() if "pdf" in m.file_types)


def test_an_upload_whose_transaction_fails_leaves_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from digigov.onestop.models import ApplicationMaterial
    from digigov.onestop.services import materials

    citizen = user("chenhaoran")
    app, material = _empty_draft_and_a_pdf_material(citizen)

    def broken_audit(**kwargs: object) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr(materials, "audit_append", broken_audit)
    with pytest.raises(RuntimeError):
        materials.application_attach_material(
            actor=citizen, application=app, material=material, name="a.pdf", content=PDF
        )
    assert media_files() == [] and not ApplicationMaterial.objects.filter(application=app).exists()
    monkeypatch.undo()

    first = materials.application_attach_material(
        actor=citizen, application=app, material=material, name="a.pdf", content=PDF
    )
    assert [path.name for path in media_files()] == [first.file.name.rsplit("/", 1)[-1]]


def test_a_replaced_upload_is_deleted_once_the_replacement_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from digigov.onestop.services.materials import application_attach_material

    citizen = user("chenhaoran")
    app, material = _empty_draft_and_a_pdf_material(citizen)
    application_attach_material(actor=citizen, application=app, material=material, name="a.pdf", content=PDF)
    with django_capture_on_commit_callbacks(execute=True):
        newer = application_attach_material(
            actor=citizen, application=app, material=material, name="b.pdf", content=sample_files.pdf(b"replacement")
        )
    assert [path.name for path in media_files()] == [newer.file.name.rsplit("/", 1)[-1]]


def test_catalogue_keeper_cannot_take_over_another_departments_item() -> None:
    from digigov.identity.models import Department, Role
    from digigov.identity.services.staff import role_grant
    from digigov.onestop.demo_catalogue import item_index
    from digigov.onestop.demo_loader import _item_spec
    from digigov.onestop.services.catalogue import item_upsert

    keeper = user("handongmei")  # 平山区政务服务中心 head
    role = Role.objects.create(code="catalogue_keeper", name="事项管理员", permissions=["services.manage_catalogue"])
    scjgj = Department.objects.get(code="scjgj")
    role_grant(actor=SYSTEM, user=keeper, role=role, region=scjgj.region, department=scjgj)
    doctor = item(DOCTOR)  # belongs to 卫健委
    spec = _item_spec(item_index()[DOCTOR])
    hijack = type(spec)(**{**spec.__dict__, "department_code": "scjgj"})
    with pytest.raises(Forbidden):
        item_upsert(actor=keeper, spec=hijack)
    assert item(DOCTOR).department_id == doctor.department_id
