"""What a domain declares: a `Workflow` of `Step`s, its deadline rule and its hooks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db import models
from django.db.models import Q

from digigov.core.workflow.cards import card_case, card_of, card_q


@dataclass(frozen=True)
class Step:
    """One step of a loop. `name` is what the history, the audit trail (`<audit_prefix><name>`) and the hooks
    call it; `target` None is an event that keeps the state (督办, 延期). `permission` is the action the domain's
    policy is asked about (the step's name when empty); `system_only` steps are taken by the platform itself
    (秒批, the sweeper), never by a person. `effect` is what every taking of the step sets whoever takes it
    (the working days an application took, at 办结); what depends on the caller's input stays in its service."""

    name: str
    label: str
    source: tuple[str, ...]
    target: str | None = None
    permission: str = ""
    system_only: bool = False
    condition: Callable[[Any], bool] | None = None
    refusal: str = ""  # the Chinese answer when `condition` fails
    effect: Callable[[Any], None] | None = None  # what the step itself sets, after the caller's own changes

    @property
    def action(self) -> str:
        return self.permission or self.name


@dataclass(frozen=True)
class Deadlines:
    """The instants a card derives from; None when no clock runs."""

    yellow_at: datetime | None
    due_at: datetime | None


@dataclass(frozen=True)
class Move:
    """What a hook is told: the object after the step, the step, and who took it."""

    workflow: Workflow
    obj: Any
    step: Step
    from_state: str
    to_state: str
    actor: Any
    note: str
    at: datetime


class Phase(StrEnum):
    IN_TRANSACTION = "in_transaction"  # commits or rolls back with the move (a licence issued on 办结)
    AFTER_COMMIT = "after_commit"  # only once the move is durable (messages)


Hook = Callable[[Move], None]
Policy = Callable[[Any, str, Any], bool]
HistoryWriter = Callable[[Move, dict[str, Any]], None]


@dataclass
class Workflow:
    """A domain's loop. `history` writes the domain's history row; `policy(actor, action, obj)` decides who may
    take a step; `deadlines(obj, now)` gives the instants after a step (None: the workflow keeps none);
    `running` and `paused` are the states in which a clock runs or is paused (for cards)."""

    name: str
    model: type[models.Model]
    states: type[models.TextChoices]
    steps: Iterable[Step]
    history: HistoryWriter
    audit_object_type: str
    audit_prefix: str
    policy: Policy
    state_refusal: str  # "办件当前状态为「{state}」，不能执行此操作"
    conflict_refusal: str  # the loser of two concurrent moves
    forbidden_refusal: str = "无权执行此操作"
    deadlines: Callable[[Any, datetime], Deadlines] | None = None
    running: tuple[str, ...] = ()
    paused: Callable[[Any], bool] | None = None
    paused_q: Q | None = None
    status_field: str = "status"
    _steps: dict[str, Step] = field(init=False, repr=False)
    _hooks: dict[tuple[Phase, str], list[Hook]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._steps = {}
        for step in self.steps:
            if step.name in self._steps:
                raise ValueError(f"{self.name}: step {step.name} declared twice")
            unknown = {*step.source, *([step.target] if step.target else [])} - set(self.states.values)
            if unknown:
                raise ValueError(f"{self.name}.{step.name}: unknown states {sorted(unknown)}")
            self._steps[step.name] = step
        self._hooks = defaultdict(list)

    # --- declaration ---------------------------------------------------------------------------------------
    def step(self, name: str) -> Step:
        try:
            return self._steps[name]
        except KeyError:
            raise ValueError(f"{self.name}: no step {name!r}") from None

    def all_steps(self) -> list[Step]:
        return list(self._steps.values())

    def on(self, *step_names: str, phase: Phase = Phase.IN_TRANSACTION) -> Callable[[Hook], Hook]:
        """Register a hook for some steps ("*" for all), e.g. `@application_workflow.on("complete")`. Hooks are
        registered at import time by the module that owns the reaction, so the workflow never imports it."""

        def register(hook: Hook) -> Hook:
            for name in step_names or ("*",):
                if name != "*":
                    self.step(name)
                self._hooks[(phase, name)].append(hook)
            return hook

        return register

    def hooks(self, phase: Phase, step: Step) -> list[Hook]:
        return [*self._hooks.get((phase, step.name), []), *self._hooks.get((phase, "*"), [])]

    def state_label(self, state: str) -> str:
        return str(self.states(state).label)

    # --- cards -----------------------------------------------------------------------------------------
    def running_q(self) -> Q:
        return Q(**{f"{self.status_field}__in": self.running})

    def card_of(self, obj: Any, now: datetime) -> str:
        return card_of(
            running=getattr(obj, self.status_field) in self.running,
            paused=self.paused is not None and self.paused(obj),
            yellow_at=obj.yellow_at,
            due_at=obj.due_at,
            now=now,
        )

    def card_case(self, now: datetime) -> models.Expression:
        return card_case(now, running=self.running_q(), paused=self.paused_q)

    def card_q(self, card: str, now: datetime) -> Q:
        return card_q(card, now, running=self.running_q(), paused=self.paused_q)
