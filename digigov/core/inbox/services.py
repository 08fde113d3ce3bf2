"""Every write to the inbox. Domains call these inside the transaction of the move that opens or ends a task,
so a task exists exactly when its move committed.

The rows are a projection of the domains' audited moves, so opening and closing write no audit entry of their
own (ADR 0010); the domain's entry for the move is the record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from digigov.core.errors import NotFound, ValidationFailed
from digigov.core.inbox.registry import InboxSpec, kind_get, rebuilders
from digigov.core.models import InboxBox, InboxTask
from digigov.core.policy import person
from digigov.core.workflow import Move, Workflow

REGION_CODE = re.compile(r"\d{12}")


def object_key(obj: Any) -> tuple[str, str]:
    """(object_type, object_id) of a model instance: ("services.application", "42")."""
    return obj._meta.label_lower, str(obj.pk)


def _user_id(user: Any) -> int | None:
    if user is None:
        return None
    if isinstance(user, int):
        return user
    return None if user.pk is None else int(user.pk)  # SYSTEM has no pk


def _fields(spec: InboxSpec) -> dict[str, Any]:
    """The row's columns for a spec, validated."""
    kind = kind_get(spec.kind)
    if (spec.for_user_id is None) == (not spec.permission):
        raise ValueError("an inbox task is for one user or for a scope (permission + region), not both or neither")
    if spec.permission and not REGION_CODE.fullmatch(spec.region_code):
        raise ValueError(f"inbox task scope needs a 12-digit region code, got {spec.region_code!r}")
    if spec.any_department and (spec.department_id is not None or not spec.permission):
        raise ValueError("any_department is for a scope without a department")
    if spec.yellow_at is not None and spec.due_at is not None and spec.yellow_at > spec.due_at:
        raise ValueError("yellow_at must not be after due_at")
    return {
        "box": kind.box,
        "title": spec.title[:200],
        "summary": spec.summary[:300],
        "link": spec.link,
        "for_user_id": spec.for_user_id,
        "permission": spec.permission,
        "region_code": spec.region_code if spec.permission else "",
        "department_id": spec.department_id if spec.permission else None,
        "any_department": spec.any_department,
        "yellow_at": spec.yellow_at,
        "due_at": spec.due_at,
    }


def _upsert(spec: InboxSpec, now: datetime) -> InboxTask:
    object_type, object_id = object_key(spec.obj)
    values = _fields(spec)
    open_rows = InboxTask.objects.select_for_update().filter(
        kind=spec.kind, object_type=object_type, object_id=object_id, closed_at__isnull=True
    )
    task = open_rows.first()
    if task is None:
        try:
            with transaction.atomic():  # a savepoint: a racing opener's row makes this one an update
                return InboxTask.objects.create(
                    kind=spec.kind,
                    object_type=object_type,
                    object_id=object_id,
                    opened_at=now,
                    updated_at=now,
                    **values,
                )
        except IntegrityError:
            task = open_rows.get()
    for name, value in values.items():
        setattr(task, name, value)
    task.updated_at = now
    task.save(update_fields=[*values, "updated_at"])
    return task


def inbox_open(
    *,
    kind: str,
    obj: Any,
    title: str,
    link: str,
    summary: str = "",
    for_user: Any = None,
    permission: str = "",
    region_code: str = "",
    department_id: int | None = None,
    any_department: bool = False,
    yellow_at: datetime | None = None,
    due_at: datetime | None = None,
    now: datetime | None = None,
) -> InboxTask:
    """Open the task `kind` about `obj`, for one user or for whoever's grants cover (permission, region,
    department; any_department: whatever the grant's department). Opening an open task again updates it
    (title, recipient, deadlines): one open row per (kind, object). Call it inside the move's transaction."""
    spec = InboxSpec(
        kind=kind,
        obj=obj,
        title=title,
        link=link,
        summary=summary,
        for_user_id=_user_id(for_user),
        permission=permission,
        region_code=region_code,
        department_id=department_id,
        any_department=any_department,
        yellow_at=yellow_at,
        due_at=due_at,
    )
    with transaction.atomic():
        return _upsert(spec, now or timezone.now())


def inbox_open_spec(spec: InboxSpec, *, now: datetime | None = None) -> InboxTask:
    """inbox_open from a spec (what a domain's "which task does this object need now" function returns)."""
    with transaction.atomic():
        return _upsert(spec, now or timezone.now())


def inbox_sync(
    *, obj: Any, kinds: Iterable[str], spec: InboxSpec | None, actor: Any, how: str, now: datetime | None = None
) -> None:
    """After a move: close the object's open tasks of `kinds` other than the spec's (done by `actor`, `how`),
    and open or update the spec's task (None: the object needs no task now). One call per move hook.

    `kinds` are the kinds the object may have open: all of the domain's, or (a workflow hook that knows the
    state the move left) the one task that state had, or none. A spec whose kind is not among them is inserted
    without looking. Call it in the transaction that changed `obj`, which holds the object's row lock (the
    kernel's conditional UPDATE, a new row): two syncs of one object never race, so no savepoint is needed.
    At most three statements (close, update, insert); one for a move from a state without a task."""
    moment = now or timezone.now()
    kinds = list(kinds)
    for kind in kinds:
        kind_get(kind)
    object_type, object_id = object_key(obj)
    open_rows = InboxTask.objects.filter(object_type=object_type, object_id=object_id, closed_at__isnull=True)
    ended = [kind for kind in kinds if spec is None or kind != spec.kind]
    if ended:
        closing = open_rows.filter(kind__in=ended) if len(ended) > 1 else open_rows.filter(kind=ended[0])
        closing.update(closed_at=moment, updated_at=moment, closed_by_id=_user_id(actor), closed_how=how[:40])
    if spec is None:
        return
    values = _fields(spec)
    if spec.kind in kinds and open_rows.filter(kind=spec.kind).update(updated_at=moment, **values):
        return
    InboxTask.objects.create(
        kind=spec.kind, object_type=object_type, object_id=object_id, opened_at=moment, updated_at=moment, **values
    )


def inbox_follows(
    workflow: Workflow, *, task: Callable[[Any], InboxSpec | None], task_kind: Callable[[str], str | None]
) -> None:
    """Keep the inbox in step with every step of `workflow` (call once, from the domain's services/inbox.py):
    `task(obj)` is the task the object needs in its state, `task_kind(state)` the kind a state has open. Each step
    closes the task of the state it left (as the actor's 已办) and opens the next, in the step's transaction.
    In an entry sequence (`start`: received, then dispatched) every hook sees the final object, so only the last
    step syncs."""

    @workflow.on()
    def _moved(move: Move) -> None:
        if move.to_state != getattr(move.obj, workflow.status_field):
            return
        before = task_kind(move.from_state)
        inbox_sync(
            obj=move.obj,
            kinds=(before,) if before else (),
            spec=task(move.obj),
            actor=person(move.actor),
            how=move.step.name,
        )


def inbox_close(*, kind: str | None, obj: Any, actor: Any, how: str, now: datetime | None = None) -> int:
    """Close the open task `kind` about `obj` (every open task about it when kind is None): it leaves every
    待办 list and becomes 已办 for the actor (None: the system ended it). Returns how many closed; closing a task
    that is not open is no error (a database from before the inbox has none)."""
    object_type, object_id = object_key(obj)
    rows = InboxTask.objects.filter(object_type=object_type, object_id=object_id, closed_at__isnull=True)
    if kind is not None:
        kind_get(kind)
        rows = rows.filter(kind=kind)
    moment = now or timezone.now()
    return rows.update(closed_at=moment, updated_at=moment, closed_by_id=_user_id(actor), closed_how=how[:40])


def inbox_reschedule(
    *, kind: str, obj: Any, yellow_at: datetime | None, due_at: datetime | None, now: datetime | None = None
) -> int:
    """New deadlines for the open task (an extension, a pause for 补正, a resumed clock). Returns 0 or 1."""
    kind_get(kind)
    if yellow_at is not None and due_at is not None and yellow_at > due_at:
        raise ValueError("yellow_at must not be after due_at")
    object_type, object_id = object_key(obj)
    rows = InboxTask.objects.filter(kind=kind, object_type=object_type, object_id=object_id, closed_at__isnull=True)
    return rows.update(yellow_at=yellow_at, due_at=due_at, updated_at=now or timezone.now())


def inbox_mark_read(*, actor: Any, task_id: int, now: datetime | None = None) -> InboxTask:
    """A 待阅 task the actor can see is read: it closes (for everyone it was for) and shows as 已办."""
    from digigov.core.inbox.selectors import visible_open_tasks

    with transaction.atomic():
        task = visible_open_tasks(actor).select_for_update().filter(pk=task_id, box=InboxBox.TOREAD).first()
        if task is None:
            raise NotFound()
        moment = now or timezone.now()
        task.closed_at, task.updated_at = moment, moment
        task.closed_by_id, task.closed_how = actor.pk, "read"
        task.save(update_fields=["closed_at", "updated_at", "closed_by_id", "closed_how"])
        return task


@dataclass(frozen=True)
class RebuildResult:
    name: str
    opened: int
    updated: int
    closed: int


def _rebuild_one(name: str, kinds: tuple[str, ...], specs: Iterable[InboxSpec], now: datetime) -> RebuildResult:
    existing = {
        (task.kind, task.object_type, task.object_id): task
        for task in InboxTask.objects.select_for_update().filter(kind__in=kinds, closed_at__isnull=True)
    }
    new: list[InboxTask] = []
    updated = 0
    seen: set[tuple[str, str, str]] = set()
    for spec in specs:
        if spec.kind not in kinds:
            raise ValidationFailed(f"rebuilder {name} returned a task of kind {spec.kind}, not one of its own")
        key = (spec.kind, *object_key(spec.obj))
        if key in seen:
            continue
        seen.add(key)
        values = _fields(spec)
        task = existing.get(key)
        if task is None:
            new.append(
                InboxTask(kind=key[0], object_type=key[1], object_id=key[2], opened_at=now, updated_at=now, **values)
            )
        elif any(getattr(task, column) != value for column, value in values.items()):
            InboxTask.objects.filter(pk=task.pk).update(updated_at=now, **values)
            updated += 1
    InboxTask.objects.bulk_create(new, batch_size=500)
    stale = [task.pk for key, task in existing.items() if key not in seen]
    for start in range(0, len(stale), 500):
        InboxTask.objects.filter(pk__in=stale[start : start + 500]).update(
            closed_at=now, updated_at=now, closed_how="rebuild"
        )
    return RebuildResult(name, len(new), updated, len(stale))


def inbox_rebuild(*, only: Iterable[str] = (), now: datetime | None = None) -> list[RebuildResult]:
    """Make the open rows of every registered rebuilder's kinds match what the domains' open objects need:
    missing tasks open, changed ones update, tasks whose object moved on close (closed_how "rebuild", no actor).
    For a database that predates the inbox, and for the demo. Each rebuilder runs in its own transaction."""
    moment = now or timezone.now()
    wanted = set(only)
    results = []
    for name, (kinds, rebuild) in sorted(rebuilders().items()):
        if wanted and name not in wanted:
            continue
        with transaction.atomic():
            results.append(_rebuild_one(name, kinds, rebuild(), moment))
    return results
