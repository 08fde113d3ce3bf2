"""The 一网通办 loop as data: 申请 → 受理 (or 不予受理, 补正) → 审查 → 准予/不予许可 → 办结, withdrawal before 受理.

Who may take each step: the applicant submits, withdraws and resubmits their own application; the 综合窗口 of
the application's region accepts, rejects and asks for 补正 before 受理; the item's department reviews,
decides, asks for 补正 during review and completes (onestop.policy). 秒批 takes the staff steps as the
platform itself (actor None).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from digigov.core.calendar import work_calendar
from digigov.core.policy import person
from digigov.core.workflow import Move, Step, Workflow
from digigov.onestop import policy
from digigov.onestop.models import CLOCK_RUNNING, Application, ApplicationStatus, ApplicationTransition
from digigov.onestop.services.clock import application_deadlines, handling_working_days

S = ApplicationStatus
APPLICANT_STEPS = frozenset({"submit", "withdraw", "resubmit_for_acceptance", "resubmit_for_review"})


def _not_yet_accepted(app: Application) -> bool:
    return app.accepted_on is None


def _accepted(app: Application) -> bool:
    return app.accepted_on is not None


def _count_handling_days(app: Application) -> None:
    """办结: the working days it took, counted once, for the statistics to average."""
    app.handling_working_days = handling_working_days(app.accepted_on, app.completed_at, work_calendar())


def may_take(actor: Any, action: str, app: Application) -> bool:
    """The kernel's policy for this workflow: onestop.policy decides (the applicant's own steps, and the staff
    steps by name: policy.STEPS)."""
    if action in APPLICANT_STEPS:
        return policy.can(actor, policy.Action.ACT_AS_APPLICANT, app)
    return policy.can(actor, action, app)


def _history(move: Move, extra: dict[str, Any]) -> None:
    ApplicationTransition.objects.create(
        application=move.obj,
        from_status=move.from_state,
        to_status=move.to_state,
        actor=person(move.actor),
        comment=move.note[:2000],
    )


STEPS = (
    Step("submit", "提交申请", source=(S.DRAFT,), target=S.SUBMITTED),
    Step(
        "withdraw",
        "撤回",
        source=(S.DRAFT, S.SUBMITTED, S.CORRECTION),
        target=S.WITHDRAWN,
        condition=_not_yet_accepted,
        refusal="办件已受理，不能撤回",
    ),
    Step("request_correction", "补正告知", source=(S.SUBMITTED, S.UNDER_REVIEW), target=S.CORRECTION),
    Step(
        "resubmit_for_acceptance",
        "补正后重新提交",
        source=(S.CORRECTION,),
        target=S.SUBMITTED,
        condition=_not_yet_accepted,
    ),
    Step("resubmit_for_review", "补正后继续审查", source=(S.CORRECTION,), target=S.UNDER_REVIEW, condition=_accepted),
    Step("accept", "受理", source=(S.SUBMITTED,), target=S.ACCEPTED),
    Step("reject", "不予受理", source=(S.SUBMITTED,), target=S.NOT_ACCEPTED),
    Step("start_review", "审查", source=(S.ACCEPTED,), target=S.UNDER_REVIEW),
    Step("approve", "准予许可", source=(S.UNDER_REVIEW,), target=S.APPROVED),
    Step("refuse", "不予许可", source=(S.UNDER_REVIEW,), target=S.REFUSED),
    Step("complete", "办结", source=(S.APPROVED, S.REFUSED), target=S.COMPLETED, effect=_count_handling_days),
)

application_workflow = Workflow(
    name="services.application",
    model=Application,
    states=ApplicationStatus,
    steps=STEPS,
    history=_history,
    audit_object_type="application",
    audit_prefix="services.application_",
    policy=may_take,
    state_refusal="办件当前状态为「{state}」，不能执行此操作",
    conflict_refusal="该办件已被其他工作人员处理，请刷新后查看",
    deadlines=application_deadlines,
    running=tuple(CLOCK_RUNNING),
    paused=lambda app: app.clock_paused_on is not None,
    paused_q=Q(clock_paused_on__isnull=False),
    forbidden_refusal="该办件不在您的受理或审批范围内",
)
