"""Every read of the inbox: the tasks an actor's grants cover plus those addressed to them, with the card
derived from the time of the query (never a stored flag), ordered by urgency."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from digigov.core.inbox.registry import InboxGrant, InboxKind, grants_of, kind_get
from digigov.core.models import InboxBox, InboxTask

PER_PAGE = 20
BOXES = ("todo", "toread", "done")


class Card:
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"
    NONE = "none"  # no clock


CARD_LABELS = {Card.RED: "已超期", Card.YELLOW: "即将到期", Card.GREEN: "正常", Card.NONE: "不计时"}


def prefix_upper(prefix: str) -> str | None:
    """The first digit string after every code starting with `prefix` ("2105" → "2106", "2199" → "2200"); None
    when there is none ("99"). Codes are digits only, so `prefix <= code < upper` is `code LIKE 'prefix%'`
    on any collation, and an index on (permission, region_code) serves it on both databases."""
    if not prefix.isdigit():
        raise ValueError(f"region prefix must be digits, got {prefix!r}")
    upper = str(int(prefix) + 1).zfill(len(prefix))
    return upper if len(upper) == len(prefix) else None


def _covered(grant: InboxGrant, other: InboxGrant) -> bool:
    """True when `other` already covers everything `grant` covers."""
    return (
        other != grant
        and other.permission == grant.permission
        and grant.region_prefix.startswith(other.region_prefix)
        and other.department_id in (None, grant.department_id)
    )


def simplify_grants(grants: Iterable[InboxGrant]) -> list[InboxGrant]:
    """Drop duplicates and grants inside another grant of the same permission (fewer OR branches)."""
    unique = sorted(set(grants))
    return [grant for grant in unique if not any(_covered(grant, other) for other in unique)]


def scope_q(actor: Any, grants: Iterable[InboxGrant] | None = None) -> Q:
    """Tasks addressed to the actor, or whose (permission, region, department) one of their grants covers.
    A grant with a department covers only tasks of that department and tasks marked any_department; a task
    without a department only grants without one (as identity.scope.in_scope)."""
    actor_id = getattr(actor, "pk", None)
    q = Q(for_user_id=actor_id) if actor_id is not None else Q(pk__in=[])
    for grant in simplify_grants(grants_of(actor) if grants is None else grants):
        part = Q(permission=grant.permission)
        if grant.region_prefix:
            part &= Q(region_code__gte=grant.region_prefix)
            upper = prefix_upper(grant.region_prefix)
            if upper is not None:
                part &= Q(region_code__lt=upper)
        if grant.department_id is not None:
            part &= Q(department_id=grant.department_id) | Q(any_department=True)
        q |= part
    return q


def visible_open_tasks(actor: Any, grants: Iterable[InboxGrant] | None = None) -> QuerySet[InboxTask]:
    return InboxTask.objects.filter(scope_q(actor, grants), closed_at__isnull=True)


def _card_expression(now: datetime) -> Case:
    return Case(
        When(due_at__lt=now, then=Value(Card.RED)),
        When(yellow_at__lte=now, then=Value(Card.YELLOW)),
        When(Q(due_at__isnull=True) & Q(yellow_at__isnull=True), then=Value(Card.NONE)),
        default=Value(Card.GREEN),
    )


def _urgency_expression(now: datetime) -> Case:
    return Case(
        When(due_at__lt=now, then=Value(0)),
        When(yellow_at__lte=now, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def card_filter(card: str, now: datetime) -> Q:
    """The rows whose card, at `now`, is `card`."""
    if card == Card.RED:
        return Q(due_at__lt=now)
    not_red = Q(due_at__isnull=True) | Q(due_at__gte=now)
    if card == Card.YELLOW:
        return not_red & Q(yellow_at__lte=now)
    not_yellow = Q(yellow_at__isnull=True) | Q(yellow_at__gt=now)
    if card == Card.GREEN:
        return not_red & not_yellow & (Q(due_at__isnull=False) | Q(yellow_at__isnull=False))
    if card == Card.NONE:
        return Q(due_at__isnull=True, yellow_at__isnull=True)
    raise ValueError(f"unknown card {card!r}")


def card_at(task: InboxTask, now: datetime) -> str:
    """The same rule in Python, for one row (what the query computes)."""
    if task.due_at is not None and task.due_at < now:
        return Card.RED
    if task.yellow_at is not None and task.yellow_at <= now:
        return Card.YELLOW
    return Card.NONE if task.due_at is None and task.yellow_at is None else Card.GREEN


def relative_deadline(due_at: datetime | None, now: datetime) -> str:
    """还剩 2 天 3 小时 / 已超期 40 分钟 / "" without a deadline."""
    if due_at is None:
        return ""
    seconds = int((due_at - now).total_seconds())
    late = seconds < 0
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        span = f"{days} 天" + (f" {hours} 小时" if hours else "")
    elif hours:
        span = f"{hours} 小时" + (f" {minutes} 分钟" if minutes else "")
    else:
        span = f"{max(minutes, 1)} 分钟"
    return f"已超期 {span}" if late else f"还剩 {span}"


@dataclass(frozen=True)
class InboxRow:
    task: InboxTask
    kind: InboxKind
    card: str
    card_label: str
    deadline_text: str


@dataclass(frozen=True)
class InboxPage:
    box: str
    rows: list[InboxRow]
    number: int
    num_pages: int
    total: int
    has_previous: bool
    has_next: bool


def _tasks(actor: Any, box: str, now: datetime, grants: Iterable[InboxGrant] | None) -> QuerySet[InboxTask]:
    if box == "done":
        return InboxTask.objects.filter(closed_by_id=actor.pk, closed_at__isnull=False).order_by("-closed_at", "-id")
    box_value = InboxBox.TODO if box == "todo" else InboxBox.TOREAD
    return (
        visible_open_tasks(actor, grants)
        .filter(box=box_value)
        .annotate(urgency=_urgency_expression(now))
        .order_by("urgency", F("due_at").asc(nulls_last=True), "opened_at", "id")
    )


def _row(task: InboxTask, box: str, now: datetime) -> InboxRow:
    try:
        kind = kind_get(task.kind)
    except LookupError:  # a kind whose domain no longer registers it: still shown, plainly
        kind = InboxKind(key=task.kind, label=task.kind, domain="", icon="·")
    if box == "done":
        late = task.due_at is not None and task.closed_at is not None and task.closed_at > task.due_at
        card, label = (Card.RED, "超期办结") if late else (Card.GREEN if task.due_at else Card.NONE, "已办结")
        return InboxRow(task, kind, card, label, "")
    card = card_at(task, now)
    return InboxRow(task, kind, card, CARD_LABELS[card], relative_deadline(task.due_at, now))


def inbox_for(
    actor: Any,
    box: str = "todo",
    *,
    page: int | str = 1,
    kind: str = "",
    card: str = "",
    per_page: int = PER_PAGE,
    now: datetime | None = None,
    grants: Iterable[InboxGrant] | None = None,
) -> InboxPage:
    """One page of the actor's 待办 (todo), 待阅 (toread) or 已办 (done), most urgent first (red, yellow, then
    the nearest deadline, then the oldest); 已办 newest first. `grants` defaults to the registered provider's."""
    if box not in BOXES:
        raise ValueError(f"unknown inbox box {box!r}")
    now = now or timezone.now()
    grants = grants_of(actor) if grants is None else list(grants)
    tasks = _tasks(actor, box, now, grants)
    if kind:
        tasks = tasks.filter(kind=kind)
    if card and box != "done":
        tasks = tasks.filter(card_filter(card, now))
    paginator = Paginator(tasks, per_page)
    current = paginator.get_page(page)
    return InboxPage(
        box=box,
        rows=[_row(task, box, now) for task in current.object_list],
        number=current.number,
        num_pages=paginator.num_pages,
        total=paginator.count,
        has_previous=current.has_previous(),
        has_next=current.has_next(),
    )


def inbox_open_count(actor: Any, *, box: str = "todo", grants: Iterable[InboxGrant] | None = None) -> int:
    """How many open tasks in the box: the number in the header."""
    box_value = InboxBox.TODO if box == "todo" else InboxBox.TOREAD
    return visible_open_tasks(actor, grants).filter(box=box_value).count()


def inbox_card_counts(
    actor: Any, *, now: datetime | None = None, grants: Iterable[InboxGrant] | None = None
) -> dict[str, int]:
    """Open 待办 by card at `now` (one grouped query)."""
    now = now or timezone.now()
    rows = (
        visible_open_tasks(actor, grants)
        .filter(box=InboxBox.TODO)
        .annotate(card=_card_expression(now))
        .values("card")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {Card.RED: 0, Card.YELLOW: 0, Card.GREEN: 0, Card.NONE: 0}
    for row in rows:
        counts[row["card"]] = row["n"]
    return counts
