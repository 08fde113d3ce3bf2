"""Moving an object through its workflow: `start` (it enters the loop), `move` (one step) and
`available_steps` (what an actor may do next)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from digigov.core.audit import audit_append
from digigov.core.errors import Conflict, Forbidden
from digigov.core.policy import SYSTEM, is_system
from digigov.core.workflow.definition import Move, Phase, Step, Workflow
from digigov.core.workflow.fields import set_state


def available_steps(workflow: Workflow, actor: Any, obj: Any) -> list[Step]:
    """The steps `actor` may take on `obj` now: from its state, condition met, allowed by the policy."""
    state = getattr(obj, workflow.status_field)
    return [
        step
        for step in workflow.all_steps()
        if state in step.source
        and not step.system_only
        and (step.condition is None or step.condition(obj))
        and workflow.policy(actor, step.action, obj)
    ]


def _check(workflow: Workflow, step: Step, actor: Any, obj: Any, state: str) -> None:
    if is_system(actor):
        pass  # the platform's own steps (秒批, the sweeper) are decided by the code that takes them
    elif step.system_only or not workflow.policy(actor, step.action, obj):
        raise Forbidden(workflow.forbidden_refusal)
    if state not in step.source:
        raise Conflict(workflow.state_refusal.format(state=workflow.state_label(state)))
    if step.condition is not None and not step.condition(obj):
        raise Conflict(step.refusal or workflow.state_refusal.format(state=workflow.state_label(state)))


def _columns(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}


def _set_deadlines(workflow: Workflow, obj: Any, now: datetime) -> None:
    if workflow.deadlines is not None:
        deadlines = workflow.deadlines(obj, now)
        obj.yellow_at, obj.due_at = deadlines.yellow_at, deadlines.due_at


def move(
    workflow: Workflow,
    *,
    actor: Any,
    obj: Any,
    step: str,
    note: str = "",
    mutate: Callable[[Any], None] | None = None,
    history: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Any:
    """Take one step. One conditional UPDATE writes the columns this step changed only where the row is still in
    the state the step started from (and locks it until commit), so of two people acting at once the second gets
    a Conflict instead of overwriting the first, and a concurrent event on other columns is not undone.
    `history` adds domain columns to the history row (the department an appeal went to)."""
    taken = workflow.step(step)
    from_state = getattr(obj, workflow.status_field)
    _check(workflow, taken, actor, obj, from_state)
    now = now or timezone.now()
    before = _columns(obj)
    if taken.target is not None:
        set_state(obj, workflow.status_field, taken.target)
    if mutate is not None:
        mutate(obj)
    if taken.effect is not None:
        taken.effect(obj)
    _set_deadlines(workflow, obj, now)
    changed = [name for name, value in _columns(obj).items() if before[name] != value]
    record = Move(workflow, obj, taken, from_state, getattr(obj, workflow.status_field), actor, note, now)
    # No savepoint: the loser of a race has written nothing and is refused after the block; any other error
    # inside it fails the caller's whole transaction, as it must (a step and its history and audit are one).
    with transaction.atomic(savepoint=False):
        still = workflow.model._default_manager.filter(pk=obj.pk, **{workflow.status_field: from_state})
        won = bool(still.update(**_changed_values(obj, changed, workflow.status_field)))
        if won:
            _record(workflow, record, history or {})
    if not won:
        _restore(obj, before)
        raise Conflict(workflow.conflict_refusal)
    return obj


def _changed_values(obj: Any, changed: list[str], status_field: str) -> dict[str, Any]:
    """The UPDATE's columns: those the step changed (by attname: department_id), else the state itself (the row
    is still locked and checked)."""
    if not changed:
        return {status_field: getattr(obj, status_field)}
    return {name: getattr(obj, name) for name in changed}


def start(
    workflow: Workflow,
    *,
    actor: Any,
    obj: Any,
    steps: Sequence[tuple[str, str]],
    insert: Callable[[Any], None] | None = None,
    history: dict[str, Any] | None = None,
    audit_changes: Callable[[Any], dict[str, Any]] | None = None,
    now: datetime | None = None,
) -> Any:
    """An object enters the loop: `steps` are (step, note) pairs taken in order from the model's default state
    before the object is first written (intake that dispatches at once: received, then dispatched); the first is
    the actor's, the rest are the platform's own consequences (their history rows name no actor). One insert
    (`insert(obj)` when the domain needs its own, else `save`), one history row per step, one audit entry named
    after the first step (`audit_changes(obj)` says what it records). Runs inside the caller's transaction."""
    now = now or timezone.now()
    taken = []
    state = getattr(obj, workflow.status_field)
    for i, (name, note) in enumerate(steps):
        step = workflow.step(name)
        by = actor if i == 0 else SYSTEM
        _check(workflow, step, by, obj, state)
        if step.target is not None:
            state = step.target
        taken.append(Move(workflow, obj, step, getattr(obj, workflow.status_field), state, by, note, now))
        set_state(obj, workflow.status_field, state)
        if step.effect is not None:
            step.effect(obj)
    _set_deadlines(workflow, obj, now)
    with transaction.atomic(savepoint=False):  # as move: one unit with the caller's transaction
        insert(obj) if insert is not None else obj.save(force_insert=True)
        for record in taken:
            workflow.history(record, history or {})
        audit_append(
            actor=actor,
            action=f"{workflow.audit_prefix}{taken[0].step.name}",
            object_type=workflow.audit_object_type,
            object_id=obj.pk,
            changes=audit_changes(obj) if audit_changes is not None else {"to": state},
        )
        for record in taken:
            _run_hooks(workflow, record)
    return obj


def _record(workflow: Workflow, record: Move, history: dict[str, Any]) -> None:
    workflow.history(record, history)
    audit_append(
        actor=record.actor,
        action=f"{workflow.audit_prefix}{record.step.name}",
        object_type=workflow.audit_object_type,
        object_id=record.obj.pk,
        changes={"from": record.from_state, "to": record.to_state, "note": record.note},
    )
    _run_hooks(workflow, record)


def _run_hooks(workflow: Workflow, record: Move) -> None:
    for hook in workflow.hooks(Phase.IN_TRANSACTION, record.step):
        hook(record)
    for hook in workflow.hooks(Phase.AFTER_COMMIT, record.step):
        transaction.on_commit(partial(hook, record), robust=True)


def _restore(obj: Any, before: dict[str, Any]) -> None:
    for name, value in before.items():
        obj.__dict__[name] = value
