"""Every read of the hotline, scoped to the actor.

The centre (intake, dispatch, callback) sees the appeals of its region; a handling department or street sees
what was dispatched to it (department + handling region); a citizen sees their own. Caller details: masked for
the centre, masked for handlers unless the caller asked for confidentiality (保密), then hidden altogether.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from digigov.core.errors import NotFound
from digigov.hotline import policy
from digigov.hotline.models import (
    OPEN_APPEAL_STATUSES,
    Appeal,
    AppealAttachment,
    AppealEvent,
    AppealStatus,
    CallbackTask,
    Category,
    CategoryLevel,
    Channel,
    ExtensionRequest,
    ExtensionStatus,
    KnowledgeEntry,
    Satisfaction,
)
from digigov.hotline.workflow import appeal_workflow
from digigov.identity.models import User
from digigov.identity.permissions import Perm
from digigov.identity.scope import has_perm, scope_q

CENTRE_PERMS = (Perm.HOTLINE_INTAKE, Perm.HOTLINE_DISPATCH, Perm.HOTLINE_CALLBACK)


def _centre_q(actor: User) -> Q:
    q = Q(pk__in=[])
    for perm in CENTRE_PERMS:
        q |= scope_q(actor, perm, region_field="region")
    return q


def _handler_q(actor: User) -> Q:
    return scope_q(actor, Perm.HOTLINE_HANDLE, region_field="handler_region", department_field="department")


def visible_appeals(actor: User) -> QuerySet[Appeal]:
    appeals = Appeal.objects.select_related("channel", "category", "department", "region", "handler_region")
    return appeals.filter(policy.scope_filter(actor, policy.Action.VIEW))


def appeal_get_for_actor(actor: User, appeal_id: int) -> Appeal:
    appeal = visible_appeals(actor).filter(pk=appeal_id).first()
    if appeal is None:
        raise NotFound()
    return appeal


def appeal_by_number_for_actor(actor: User, number: str) -> Appeal:
    appeal = visible_appeals(actor).filter(number=number).first()
    if appeal is None:
        raise NotFound()
    return appeal


def _holds_centre_role(actor: User) -> bool:
    return any(has_perm(actor, perm) for perm in CENTRE_PERMS)


@dataclass(frozen=True)
class CallerView:
    name: str
    phone: str
    hidden: bool  # 保密: the handling department sees nothing of the caller


def caller_view(actor: User, appeal: Appeal) -> CallerView:
    """What this actor may see of the caller. Only the centre sees a 保密 caller (masked, as everyone else)."""
    if appeal.confidential and not _holds_centre_role(actor) and appeal.caller_user_id != actor.pk:
        return CallerView("（保密）", "（保密）", hidden=True)
    return CallerView(appeal.caller_name_masked or "—", appeal.caller_phone_masked or "—", hidden=False)


# --- queues and worklists ----------------------------------------------------------------------------------


def dispatcher_queue(actor: User) -> QuerySet[Appeal]:
    """Appeals waiting for a person to dispatch: low confidence, no model, or returned (退单)."""
    scope = scope_q(actor, Perm.HOTLINE_DISPATCH, region_field="region")
    return (
        Appeal.objects.filter(scope, status=AppealStatus.RECEIVED)
        .select_related("channel", "region")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class WorklistFilter:
    status: str = ""
    card: str = ""
    category_l1: str = ""


def handler_worklist(actor: User, flt: WorklistFilter | None = None) -> QuerySet[Appeal]:
    """The department's or street's appeals that are still theirs to sign, handle or reply."""
    flt = flt or WorklistFilter()
    appeals = (
        Appeal.objects.filter(_handler_q(actor))
        .filter(status__in=(AppealStatus.DISPATCHED, AppealStatus.SIGNED, AppealStatus.REPLIED))
        .select_related("channel", "category", "department", "region", "handler_region")
    )
    if flt.status:
        appeals = appeals.filter(status=flt.status)
    if flt.card:
        appeals = appeals.filter(appeal_workflow.card_q(flt.card, timezone.now()))
    if flt.category_l1:
        appeals = appeals.filter(category_l1=flt.category_l1)
    return appeals.order_by("sign_due_at", "reply_due_at", "id")


def centre_open_appeals(actor: User) -> QuerySet[Appeal]:
    return visible_appeals(actor).filter(_centre_q(actor), status__in=OPEN_APPEAL_STATUSES)


def pending_callbacks(actor: User) -> QuerySet[CallbackTask]:
    scope = scope_q(actor, Perm.HOTLINE_CALLBACK, region_field="appeal__region")
    return (
        CallbackTask.objects.filter(scope, done_at__isnull=True)
        .select_related("appeal", "department")
        .order_by("due_at", "id")
    )


def callback_get_for_actor(actor: User, task_id: int) -> CallbackTask:
    task = pending_callbacks(actor).filter(pk=task_id).first()
    if task is None:
        raise NotFound()
    return task


def pending_extensions(actor: User) -> QuerySet[ExtensionRequest]:
    scope = scope_q(actor, Perm.HOTLINE_DISPATCH, region_field="appeal__region")
    return (
        ExtensionRequest.objects.filter(scope, status=ExtensionStatus.PENDING)
        .select_related("appeal", "appeal__department", "requested_by")
        .order_by("requested_at")
    )


def extension_get_for_actor(actor: User, request_id: int) -> ExtensionRequest:
    request = pending_extensions(actor).filter(pk=request_id).first()
    if request is None:
        raise NotFound()
    return request


def active_channels() -> QuerySet[Channel]:
    return Channel.objects.filter(is_active=True)


def category_tree() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).select_related("parent", "department")


def level1_categories() -> QuerySet[Category]:
    return category_tree().filter(level=1)


def level1_nodes(labels: set[str]) -> dict[str, Category]:
    """The level-1 categories named by the model's labels, with their departments (one query)."""
    if not labels:
        return {}
    nodes = Category.objects.filter(level=CategoryLevel.L1, name__in=labels, is_active=True)
    return {c.name: c for c in nodes.select_related("department")}


def active_category(code: str) -> Category | None:
    """An active category of any level by code (a dispatcher's choice); None for none or an unknown code."""
    if not code:
        return None
    return Category.objects.filter(code=code, is_active=True, level__in=list(CategoryLevel.values)).first()


def latest_returns(appeals: Iterable[Appeal]) -> dict[int, AppealEvent]:
    """The latest 退单 event of each appeal that has one (with the returning department), by appeal id."""
    returned: dict[int, AppealEvent] = {}
    for event in AppealEvent.objects.filter(appeal__in=list(appeals), action="returned").select_related("department"):
        returned[event.appeal_id] = event  # ordered by id: the latest wins
    return returned


def appeal_as_acted_on(appeal_id: int) -> Appeal:
    """An appeal as it stands right after its actor's step, whatever the actor's scope now is (a 退单 or a
    dispatch elsewhere takes it out): only for answering the actor who has just acted on it."""
    return Appeal.objects.select_related("channel", "category", "department", "region", "handler_region", "master").get(
        pk=appeal_id
    )


def pending_extension(appeal: Appeal) -> ExtensionRequest | None:
    """The appeal's 延期 request awaiting a decision, if any."""
    return appeal.extensions.filter(status=ExtensionStatus.PENDING).first()


def open_callback(appeal: Appeal) -> CallbackTask | None:
    """The appeal's earliest 回访 not yet done, if any."""
    return appeal.callbacks.filter(done_at__isnull=True).order_by("round").first()


def appeal_timeline(appeal: Appeal) -> QuerySet[AppealEvent]:
    """The appeal's events, oldest first, with who acted and where."""
    return appeal.events.select_related("actor", "department", "region").order_by("at", "id")


def appeal_callbacks(appeal: Appeal) -> list[CallbackTask]:
    return list(appeal.callbacks.select_related("department", "done_by").order_by("round", "id"))


def appeal_extensions(appeal: Appeal) -> list[ExtensionRequest]:
    return list(appeal.extensions.select_related("requested_by", "decided_by").order_by("id"))


def appeal_attachment(appeal: Appeal, attachment_id: int) -> AppealAttachment | None:
    """One stored file of the appeal (an attachment whose file is gone is none)."""
    return appeal.attachments.filter(pk=attachment_id).exclude(file="").first()


def knowledge_entry_get(entry_id: int) -> KnowledgeEntry:
    entry = KnowledgeEntry.objects.filter(pk=entry_id, is_active=True).first()
    if entry is None:
        raise NotFound("知识条目不存在或已停用")
    return entry


# --- satisfaction ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SatisfactionRow:
    key: str
    month: date | None
    rated: int
    satisfied: int
    basically: int
    unsatisfied: int

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率 = (满意 + 基本满意) / rated."""
        return None if not self.rated else (self.satisfied + self.basically) / self.rated


def satisfaction_rollup(
    actor: User, *, by: str, since: datetime | None = None, until: datetime | None = None
) -> list[SatisfactionRow]:
    """回访 results per department, level-1 category or month ("department" | "category" | "month"), within the
    actor's statistics scope. Every callback round counts: a 不满意 that reopened the appeal still counts."""
    group = {"department": "department__name", "category": "appeal__category_l1", "month": None}[by]
    tasks = CallbackTask.objects.filter(
        scope_q(actor, Perm.HOTLINE_VIEW_STATISTICS, region_field="appeal__region") | _callback_centre_q(actor),
        done_at__isnull=False,
    ).exclude(result=Satisfaction.UNREACHABLE)
    if since is not None:
        tasks = tasks.filter(done_at__gte=since)
    if until is not None:
        tasks = tasks.filter(done_at__lt=until)
    keys = [group] if group else []
    if by == "month":
        tasks = tasks.annotate(month=TruncMonth("done_at"))
        keys = ["month"]
    rows = (
        tasks.values(*keys)
        .annotate(
            rated=Count("id"),
            satisfied=Count("id", filter=Q(result=Satisfaction.SATISFIED)),
            basically=Count("id", filter=Q(result=Satisfaction.BASICALLY)),
            unsatisfied=Count("id", filter=Q(result=Satisfaction.UNSATISFIED)),
        )
        .order_by(*keys)
    )
    out = []
    for row in rows:
        month = row.get("month")
        key = f"{month:%Y-%m}" if by == "month" and month else str(row.get(group or "", "") or "未分类")
        out.append(
            SatisfactionRow(
                key=key,
                month=month.date() if isinstance(month, datetime) else month,
                rated=row["rated"],
                satisfied=row["satisfied"],
                basically=row["basically"],
                unsatisfied=row["unsatisfied"],
            )
        )
    return out


def _callback_centre_q(actor: User) -> Q:
    return scope_q(actor, Perm.HOTLINE_DISPATCH, region_field="appeal__region")
