"""The 12345 loop as data: 受理 → 派单 → 签收 → 回复 → 回访 → 办结, with 退单, 重办 (回访不满意), 并案, 知识库直接办结,
and the events that keep the stage (督办, 延期). Step names are the timeline's and the audit trail's
(`hotline.appeal_<step>`).

Who may take each step (hotline.policy.may_take): the centre of the appeal's region dispatches, merges, decides
extensions, presses (督办) and records callbacks; the department and 属地 region it went to signs, returns,
replies and asks for an extension. Intake's automatic dispatch is the platform's own step (actor None).
"""

from __future__ import annotations

from typing import Any

from digigov.core.policy import person
from digigov.core.workflow import Move, Step, Workflow
from digigov.hotline.models import (
    APPEAL_CLOCK_RUNNING,
    OPEN_APPEAL_STATUSES,
    Appeal,
    AppealEvent,
    AppealStatus,
    AppealType,
    ExtensionStatus,
)
from digigov.hotline.policy import may_take
from digigov.hotline.services.appeal_words import forget_appeal_words
from digigov.hotline.services.clock import appeal_deadlines

S = AppealStatus
OPEN = tuple(OPEN_APPEAL_STATUSES)
BEFORE_REPLY = (S.RECEIVED, S.DISPATCHED, S.SIGNED)


def _history(move: Move, extra: dict[str, Any]) -> None:
    appeal = move.obj
    dispatched = move.step.name == "dispatched"
    AppealEvent.objects.create(
        appeal=appeal,
        action=move.step.name,
        from_status="" if move.step.name == "received" else move.from_state,
        to_status=move.to_state,
        actor=person(move.actor),
        department=extra.get("department", appeal.department if dispatched else None),
        region=extra.get("region", appeal.handler_region if dispatched else None),
        note=move.note[:2000],
        at=move.at,
    )


STEPS = (
    Step("received", "受理", source=(S.RECEIVED,)),
    Step("dispatched", "派单", source=(S.RECEIVED,), target=S.DISPATCHED),
    Step("signed", "签收", source=(S.DISPATCHED,), target=S.SIGNED),
    Step("returned", "退单", source=(S.DISPATCHED, S.SIGNED), target=S.RECEIVED),
    Step("replied", "回复", source=(S.SIGNED,), target=S.REPLIED),
    Step("closed", "办结", source=(S.REPLIED, S.MERGED), target=S.CLOSED),
    Step("reopened", "重办", source=(S.REPLIED,), target=S.SIGNED),
    Step(
        "answered_from_knowledge",
        "知识库答复办结",
        source=(S.RECEIVED,),
        target=S.CLOSED,
        condition=lambda appeal: appeal.appeal_type == AppealType.CONSULTATION,
        refusal="只有咨询类诉求可以直接用知识库答复办结",
    ),
    Step("merged", "并案", source=BEFORE_REPLY, target=S.MERGED),
    Step("merge_master", "并入工单", source=BEFORE_REPLY),
    Step("escalated", "督办", source=(S.DISPATCHED, S.SIGNED)),
    Step(
        "extension_requested",
        "申请延期",
        source=(S.SIGNED,),
        condition=lambda appeal: not appeal.extensions.filter(status=ExtensionStatus.PENDING).exists(),
        refusal="已有待审批的延期申请",
    ),
    Step("extension_approved", "批准延期", source=OPEN),
    Step("extension_refused", "不批准延期", source=OPEN),
)

appeal_workflow = Workflow(
    name="hotline.appeal",
    model=Appeal,
    states=AppealStatus,
    steps=STEPS,
    history=_history,
    audit_object_type="appeal",
    audit_prefix="hotline.appeal_",
    policy=may_take,
    state_refusal="工单当前状态为「{state}」，不能执行此操作",
    conflict_refusal="该工单已被其他人处理，请刷新后查看",
    deadlines=appeal_deadlines,
    running=tuple(APPEAL_CLOCK_RUNNING),
)


@appeal_workflow.on()
def _leave_the_duplicate_check(move: Move) -> None:
    """Closed or merged: no longer a duplicate candidate."""
    if move.from_state in OPEN_APPEAL_STATUSES and move.to_state not in OPEN_APPEAL_STATUSES:
        forget_appeal_words(move.obj)
