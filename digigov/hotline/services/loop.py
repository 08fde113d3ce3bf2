"""The closed loop after intake: 派单, 签收, 退单, 回复, 回访, 办结; 延期, 督办, 并案 and 咨询 closed from the
knowledge base. Each function asks hotline.policy first, then moves the appeal (core.workflow.move)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from digigov.core.audit import audit_append
from digigov.core.calendar import work_calendar
from digigov.core.errors import Conflict, ValidationFailed
from digigov.core.policy import SYSTEM, SystemActor, require
from digigov.core.workflow import move
from digigov.hotline import policy
from digigov.hotline.models import (
    Appeal,
    AppealStatus,
    AppealType,
    CallbackTask,
    Category,
    ExtensionRequest,
    ExtensionStatus,
    KnowledgeEntry,
    LabelSource,
    RoutedBy,
    RoutingLabel,
    Satisfaction,
)
from digigov.hotline.policy import Action
from digigov.hotline.services import assignment
from digigov.hotline.services.clock import add_working_days_end, add_working_hours
from digigov.hotline.services.deadlines import limits_for
from digigov.hotline.services.inbox import callback_inbox_sync
from digigov.hotline.services.notify import reply_given_notice
from digigov.hotline.workflow import appeal_workflow
from digigov.identity.models import Department, Region, User

MAX_NOTE = 2000
MAX_EXTENSION_DAYS = 30


def _require(actor: User | SystemActor, action: Action, appeal: Appeal) -> None:
    """The policy decides (hotline.policy); every public function here asks it first."""
    require(policy.can(actor, action, appeal))


def _text(value: str, field: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationFailed(f"请填写{what}", fields={field: "不能为空"})
    if len(value) > MAX_NOTE:
        raise ValidationFailed(f"{what}不能超过{MAX_NOTE}字", fields={field: "过长"})
    return value


def _label(appeal: Appeal, category_l1: str, source: str, actor: User | None) -> None:
    RoutingLabel.objects.create(
        appeal=appeal, category_l1=category_l1, source=source, labelled_by=actor, labelled_at=timezone.now()
    )


# --- 派单 -------------------------------------------------------------------------------------------------


def apply_dispatch(
    appeal: Appeal,
    *,
    department: Department,
    handler_region: Region | None,
    category: Category | None,
    by: str,
    now: datetime,
) -> None:
    """What a dispatch sets, whoever makes it (the dispatcher here, the model or the caller's choice at intake):
    the department, the 属地 region that handles it (the location's street unless 一单通达 names one), the
    category when one is confirmed, and the 签收 deadline in working hours."""
    if category is not None:
        appeal.category = category
        appeal.category_l1 = category.path.split("/")[0]
    appeal.department = department
    appeal.handler_region = handler_region or assignment.handling_region(department, appeal.region)
    appeal.routed_by = by
    appeal.needs_dispatcher = False
    appeal.dispatched_at = now
    appeal.sign_due_at = add_working_hours(now, limits_for(appeal.appeal_type).sign_working_hours, work_calendar())
    appeal.signed_at = appeal.reply_due_at = None


def dispatch(
    *,
    actor: User,
    appeal: Appeal,
    department: Department,
    category: Category | None = None,
    handler_region: Region | None = None,
    note: str = "",
) -> Appeal:
    """The centre sends the appeal to a department, or straight to a street or community (一单通达). The
    category the dispatcher confirms becomes a training label for the routing model."""
    _require(actor, Action.DISPATCH, appeal)
    if handler_region is not None and not department.region.contains(handler_region):
        raise ValidationFailed(
            "承办区域不在该部门的辖区内", fields={"handler_region": "请选择本部门辖区内的街道或社区"}
        )
    now = timezone.now()

    def apply(a: Appeal) -> None:
        apply_dispatch(
            a, department=department, handler_region=handler_region, category=category, by=RoutedBy.DISPATCHER, now=now
        )

    with transaction.atomic():
        move(
            appeal_workflow,
            actor=actor,
            obj=appeal,
            step="dispatched",
            note=note,
            mutate=apply,
            history={
                "department": department,
                "region": appeal.handler_region if handler_region is None else handler_region,
            },
        )
        if category is not None:
            _label(appeal, appeal.category_l1, LabelSource.DISPATCHER, actor)
    return appeal


# --- 签收, 退单, 回复 -------------------------------------------------------------------------------------


def sign(*, actor: User, appeal: Appeal) -> Appeal:
    _require(actor, Action.SIGN, appeal)
    now = timezone.now()

    def apply(a: Appeal) -> None:
        a.signed_at = now
        a.reply_due_at = add_working_days_end(now, limits_for(a.appeal_type).handle_working_days, work_calendar())

    return move(
        appeal_workflow, actor=actor, obj=appeal, step="signed", mutate=apply, history={"department": appeal.department}
    )


def return_to_centre(*, actor: User, appeal: Appeal, reason: str) -> Appeal:
    """退单: not ours (with the reason); the centre re-dispatches."""
    _require(actor, Action.RETURN_TO_CENTRE, appeal)
    reason = _text(reason, "reason", "退单理由")
    department = appeal.department

    def apply(a: Appeal) -> None:
        a.department = a.handler_region = None
        a.needs_dispatcher = True
        a.dispatched_at = a.sign_due_at = a.signed_at = a.reply_due_at = None

    return move(
        appeal_workflow,
        actor=actor,
        obj=appeal,
        step="returned",
        note=reason,
        mutate=apply,
        history={"department": department},
    )


def reply(*, actor: User, appeal: Appeal, text: str) -> Appeal:
    """回复: the department's answer reaches the caller and every caller merged under this appeal; each gets a
    回访 task."""
    _require(actor, Action.REPLY, appeal)
    text = _text(text, "text", "答复内容")
    now = timezone.now()
    department = appeal.department
    assert department is not None
    due = add_working_days_end(now, limits_for(appeal.appeal_type).callback_working_days, work_calendar())

    def apply(a: Appeal) -> None:
        a.replied_at = now
        a.reply_text = text

    with transaction.atomic():
        move(
            appeal_workflow,
            actor=actor,
            obj=appeal,
            step="replied",
            note=text,
            mutate=apply,
            history={"department": department},
        )
        round_ = appeal.reopen_count + 1
        _open_callback(actor, appeal, round_, department, due)
        reply_given_notice(appeal, department)
        for merged in appeal.merged_appeals.filter(status=AppealStatus.MERGED, replied_at__isnull=True):
            merged.replied_at, merged.reply_text = now, text
            merged.save(update_fields=["replied_at", "reply_text"])
            _open_callback(actor, merged, 1, department, due)
            reply_given_notice(merged, department)
    return appeal


def _open_callback(actor: User, appeal: Appeal, round_: int, department: Department, due: datetime) -> None:
    task = CallbackTask.objects.create(appeal=appeal, round=round_, department=department, due_at=due)
    callback_inbox_sync(task=task, actor=actor, how="open", new=True)


# --- 回访 ---------------------------------------------------------------------------------------------------


def record_callback(*, actor: User, task: CallbackTask, result: str, comment: str = "") -> CallbackTask:
    """满意/基本满意 close the appeal; 不满意 reopens it once (it still counts against the department); a second
    不满意 closes it. A merged appeal's caller is rated too; it closes with its master."""
    appeal = task.appeal
    _require(actor, Action.CALLBACK, appeal)
    if result not in Satisfaction.values:
        raise ValidationFailed("请选择回访结果", fields={"result": "满意、基本满意、不满意或未联系上"})
    if task.done_at is not None:
        raise Conflict("该回访已记录，不能重复登记")
    if len(comment) > MAX_NOTE:
        raise ValidationFailed(f"回访意见不能超过{MAX_NOTE}字", fields={"comment": "过长"})
    now = timezone.now()
    with transaction.atomic():
        updated = CallbackTask.objects.filter(pk=task.pk, done_at__isnull=True).update(
            result=result, comment=comment.strip(), done_by=actor, done_at=now
        )
        if not updated:
            raise Conflict("该回访已被他人登记，请刷新")
        task.refresh_from_db()
        callback_inbox_sync(task=task, actor=actor, how="record")
        if appeal.status == AppealStatus.MERGED:
            appeal.satisfaction = result
            appeal.save(update_fields=["satisfaction"])
            audit_append(
                actor=actor,
                action="hotline.callback_recorded",
                object_type="appeal",
                object_id=appeal.pk,
                changes={"result": result},
            )
            return task
        reopen = result == Satisfaction.UNSATISFIED and appeal.reopen_count == 0

        def apply(a: Appeal) -> None:
            a.satisfaction = result
            if reopen:
                a.reopen_count += 1
                a.signed_at = now
                a.reply_due_at = add_working_days_end(
                    now, limits_for(a.appeal_type).handle_working_days, work_calendar()
                )
            else:
                a.closed_at = now

        action = "reopened" if reopen else "closed"
        note = f"回访：{Satisfaction(result).label}" + (f"；{comment.strip()}" if comment.strip() else "")
        move(
            appeal_workflow,
            actor=actor,
            obj=appeal,
            step=action,
            note=note,
            mutate=apply,
            history={"department": appeal.department},
        )
        if not reopen:
            _close_merged(appeal, now)
            if appeal.routed_by == RoutedBy.MODEL and appeal.category_l1:
                _label(appeal, appeal.category_l1, LabelSource.CONFIRMED, None)
    return task


def _close_merged(master: Appeal, now: datetime) -> None:
    for merged in master.merged_appeals.filter(status=AppealStatus.MERGED):

        def apply(a: Appeal) -> None:
            a.closed_at = now

        move(  # the platform's own consequence of the master's 办结 (the merged appeal may be another street's)
            appeal_workflow,
            actor=SYSTEM,
            obj=merged,
            step="closed",
            note=f"随主工单 {master.number} 办结",
            mutate=apply,
        )


# --- 延期, 督办 ---------------------------------------------------------------------------------------------


def request_extension(*, actor: User, appeal: Appeal, working_days: int, reason: str) -> ExtensionRequest:
    _require(actor, Action.REQUEST_EXTENSION, appeal)
    if appeal.status != AppealStatus.SIGNED:
        raise Conflict("只有办理中的工单可以申请延期")
    if not 1 <= working_days <= MAX_EXTENSION_DAYS:
        raise ValidationFailed(f"延期天数应为1至{MAX_EXTENSION_DAYS}个工作日", fields={"working_days": "超出范围"})
    reason = _text(reason, "reason", "延期理由")
    with transaction.atomic():  # the step's condition refuses a second pending request (one_pending_extension too)
        move(
            appeal_workflow,
            actor=actor,
            obj=appeal,
            step="extension_requested",
            note=f"申请延期{working_days}个工作日：{reason}",
            history={"department": appeal.department},
        )
        return ExtensionRequest.objects.create(
            appeal=appeal, working_days=working_days, reason=reason, requested_by=actor, requested_at=timezone.now()
        )


def decide_extension(*, actor: User, request: ExtensionRequest, approve: bool, note: str = "") -> ExtensionRequest:
    appeal = request.appeal
    _require(actor, Action.DECIDE_EXTENSION, appeal)
    if not approve:
        note = _text(note, "note", "不批准的理由")
    now = timezone.now()
    with transaction.atomic():
        updated = ExtensionRequest.objects.filter(pk=request.pk, status=ExtensionStatus.PENDING).update(
            status=ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED,
            decided_by=actor,
            decided_at=now,
            decision_note=note.strip(),
        )
        if not updated:
            raise Conflict("该延期申请已处理")
        request.refresh_from_db()

        def apply(a: Appeal) -> None:
            if approve and a.reply_due_at is not None and a.status == AppealStatus.SIGNED:
                calendar = work_calendar()
                a.reply_due_at = add_working_days_end(a.reply_due_at, request.working_days, calendar)

        action = "extension_approved" if approve else "extension_refused"
        move(
            appeal_workflow,
            actor=actor,
            obj=appeal,
            step=action,
            note=note,
            mutate=apply,
            history={"department": appeal.department},
        )
    return request


def escalate(*, actor: User | SystemActor, appeal: Appeal, note: str) -> Appeal:
    """督办: the centre (or the sweeper as SYSTEM, for an overdue appeal) presses the department."""
    _require(actor, Action.ESCALATE, appeal)
    if appeal.status not in (AppealStatus.DISPATCHED, AppealStatus.SIGNED):
        raise Conflict("只有待签收或办理中的工单可以督办")
    note = _text(note, "note", "督办意见")
    now = timezone.now()

    def apply(a: Appeal) -> None:
        a.escalated_at = now

    return move(
        appeal_workflow,
        actor=actor,
        obj=appeal,
        step="escalated",
        note=note,
        mutate=apply,
        history={"department": appeal.department},
    )


# --- 并案, 知识库直接办结 -------------------------------------------------------------------------------------


def merge(*, actor: User, master: Appeal, duplicates: list[Appeal]) -> Appeal:
    """Duplicates join the master: they close with it, and the master's reply reaches their callers."""
    _require(actor, Action.MERGE, master)
    if master.status not in (AppealStatus.RECEIVED, AppealStatus.DISPATCHED, AppealStatus.SIGNED):
        raise Conflict("主工单已回复或办结，不能再并案")
    if not duplicates:
        raise ValidationFailed("请选择要并入的工单", fields={"duplicates": "至少选择一件"})
    with transaction.atomic():
        for duplicate in duplicates:
            if duplicate.pk == master.pk:
                raise ValidationFailed("不能把工单并入它自己", fields={"duplicates": "包含主工单"})
            _require(actor, Action.MERGE, duplicate)

            def apply(a: Appeal) -> None:
                a.master = master
                a.sign_due_at = a.reply_due_at = None

            move(
                appeal_workflow,
                actor=actor,
                obj=duplicate,
                step="merged",
                note=f"并入 {master.number}",
                mutate=apply,
            )
        move(
            appeal_workflow,
            actor=actor,
            obj=master,
            step="merge_master",
            note="并入：" + "、".join(d.number for d in duplicates),
        )
    return master


def close_from_knowledge(*, actor: User, appeal: Appeal, entry: KnowledgeEntry) -> Appeal:
    """A 咨询 answered on the phone from the knowledge base is closed at once."""
    _require(actor, Action.CLOSE_AT_INTAKE, appeal)
    if appeal.appeal_type != AppealType.CONSULTATION:
        raise Conflict("只有咨询类诉求可以直接用知识库答复办结")
    if not entry.is_active:
        raise ValidationFailed("该知识条目已停用", fields={"entry": "请选择有效的知识条目"})
    now = timezone.now()

    def apply(a: Appeal) -> None:
        a.reply_text = entry.answer
        a.replied_at = a.closed_at = now
        a.needs_dispatcher = False

    return move(
        appeal_workflow,
        actor=actor,
        obj=appeal,
        step="answered_from_knowledge",
        note=f"知识库 #{entry.pk}：{entry.question}",
        mutate=apply,
    )
