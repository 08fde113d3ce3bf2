"""好差评: the applicant rates a completed application once on the four online indicators; a 差评 (any score of
1 or 2) opens a rectification task for the department, which must be answered before it can be closed."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from digigov.core.audit import audit_append
from digigov.core.calendar import work_calendar
from digigov.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from digigov.identity.models import User
from digigov.onestop import policy
from digigov.onestop.models import Application, ApplicationStatus, Rating, RectificationStatus, RectificationTask
from digigov.onestop.services.inbox import rectification_inbox_sync
from digigov.onestop.services.notify import rectification_opened_notice

INDICATORS: dict[str, str] = {
    "efficiency": "办事效率",
    "guide_accuracy": "办事指南精确度",
    "convenience": "办事便捷度",
    "usability": "平台操作性",
}
BAD_SCORE = 2  # a score at or below this is a 差评
COMMENT_MAX = 500
ANSWER_MIN = 10


def _check_scores(scores: dict[str, object]) -> dict[str, int]:
    errors = {
        name: f"{INDICATORS[name]}请选择1至5分"
        for name, value in scores.items()
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5
    }
    if errors:
        raise ValidationFailed("评价分数应为1至5的整数：" + "、".join(INDICATORS[n] for n in errors), fields=errors)
    return {name: value for name, value in scores.items() if isinstance(value, int)}


def application_rate(
    *,
    actor: User,
    application: Application,
    efficiency: int,
    guide_accuracy: int,
    convenience: int,
    usability: int,
    comment: str = "",
) -> Rating:
    """Only the applicant, only after 办结, only once. overall is the lowest of the four scores."""
    if not policy.can(actor, policy.Action.ACT_AS_APPLICANT, application):
        raise NotFound()
    scores = _check_scores(
        {
            "efficiency": efficiency,
            "guide_accuracy": guide_accuracy,
            "convenience": convenience,
            "usability": usability,
        }
    )
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationFailed(f"评价内容不能超过{COMMENT_MAX}字", fields={"comment": f"不超过{COMMENT_MAX}字"})
    if application.status != ApplicationStatus.COMPLETED:
        raise Conflict("办件办结后才能评价")
    overall = min(scores.values())
    try:
        with transaction.atomic():
            rating = Rating.objects.create(application=application, overall=overall, comment=comment, **scores)
            audit_append(
                actor=actor,
                action="services.application_rate",
                object_type="application",
                object_id=application.pk,
                changes={**scores, "overall": overall, "comment": bool(comment)},
            )
            if overall <= BAD_SCORE:
                _open_rectification(actor=actor, rating=rating, application=application)
    except IntegrityError as exc:
        raise Conflict("该办件已经评价过，不能重复评价") from exc
    return rating


def _open_rectification(*, actor: User, rating: Rating, application: Application) -> RectificationTask:
    today = timezone.localdate()
    task = RectificationTask.objects.create(
        rating=rating,
        department_id=application.department_id,
        due_date=work_calendar().add_working_days(today, settings.RECTIFICATION_WORKING_DAYS),
    )
    audit_append(
        actor=actor,
        action="services.rectification_open",
        object_type="rectification_task",
        object_id=task.pk,
        changes={"application": application.pk, "department": application.department_id, "due": task.due_date},
    )
    rectification_inbox_sync(task=task, actor=actor, how="open", new=True)
    rectification_opened_notice(task)
    return task


def _check_answerer(actor: User, task: RectificationTask) -> Application:
    application = task.rating.application
    if not policy.can(actor, policy.Action.ANSWER_RECTIFICATION, task):
        if application.applicant_id == actor.pk:
            raise Forbidden("整改由办理部门答复")  # the applicant may read the task, not answer it
        raise NotFound()
    return application


def rectification_answer(*, actor: User, task: RectificationTask, answer: str) -> RectificationTask:
    """The department answers a 差评 (what was wrong, what it changed): 待整改 → 已答复."""
    _check_answerer(actor, task)
    answer = (answer or "").strip()
    if len(answer) < ANSWER_MIN:
        raise ValidationFailed(f"整改答复至少{ANSWER_MIN}个字", fields={"answer": f"至少{ANSWER_MIN}个字"})
    now = timezone.now()
    with transaction.atomic():
        changed = RectificationTask.objects.filter(pk=task.pk, status=RectificationStatus.OPEN).update(
            status=RectificationStatus.ANSWERED, answer=answer[:5000], answered_by=actor, answered_at=now
        )
        if not changed:
            raise Conflict("该整改任务已答复，不能重复答复")
        audit_append(
            actor=actor,
            action="services.rectification_answer",
            object_type="rectification_task",
            object_id=task.pk,
            changes={"from": RectificationStatus.OPEN, "to": RectificationStatus.ANSWERED, "answer": answer},
        )
        task.status, task.answer, task.answered_by, task.answered_at = RectificationStatus.ANSWERED, answer, actor, now
        rectification_inbox_sync(task=task, actor=actor, how="answer")
    return task


def rectification_close(*, actor: User, task: RectificationTask) -> RectificationTask:
    """已答复 → 已办结. A task that has not been answered cannot be closed."""
    _check_answerer(actor, task)
    now = timezone.now()
    with transaction.atomic():
        changed = RectificationTask.objects.filter(pk=task.pk, status=RectificationStatus.ANSWERED).update(
            status=RectificationStatus.CLOSED, closed_at=now
        )
        if not changed:
            current = RectificationTask.objects.filter(pk=task.pk).values_list("status", flat=True).first()
            if current == RectificationStatus.CLOSED:
                raise Conflict("该整改任务已办结")
            raise Conflict("整改任务须先答复才能办结")
        audit_append(
            actor=actor,
            action="services.rectification_close",
            object_type="rectification_task",
            object_id=task.pk,
            changes={"from": RectificationStatus.ANSWERED, "to": RectificationStatus.CLOSED},
        )
    task.status, task.closed_at = RectificationStatus.CLOSED, now
    return task
