"""The kernel's own rules, without a domain: declarations are checked, cards follow the instants."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import models
from django.utils import timezone

from digigov.core.workflow import Card, Step, Workflow, card_of


class Light(models.TextChoices):
    OFF = "off", "关"
    ON = "on", "开"


def _workflow(*steps: Step) -> Workflow:
    def nobody(actor: Any, action: str, obj: Any) -> bool:
        return False

    return Workflow(
        name="test.light",
        model=models.Model,
        states=Light,
        steps=steps,
        history=lambda move, extra: None,
        audit_object_type="light",
        audit_prefix="test.light_",
        policy=nobody,
        state_refusal="{state}",
        conflict_refusal="conflict",
    )


def test_a_step_to_or_from_an_unknown_state_is_refused_when_declared() -> None:
    with pytest.raises(ValueError, match="unknown states"):
        _workflow(Step("switch", "开灯", source=(Light.OFF,), target="dimmed"))


def test_a_step_declared_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        _workflow(Step("switch", "开灯", source=(Light.OFF,)), Step("switch", "关灯", source=(Light.ON,)))


def test_a_hook_for_an_unknown_step_is_refused() -> None:
    workflow = _workflow(Step("switch", "开灯", source=(Light.OFF,), target=Light.ON))
    with pytest.raises(ValueError, match="no step"):
        workflow.on("dim")(lambda move: None)


def test_the_card_follows_the_instants_at_the_moment_it_is_read() -> None:
    now = timezone.now()
    yellow_at, due_at = now + timedelta(hours=1), now + timedelta(hours=2)

    def card(at: Any, **kw: Any) -> str:
        args = {"running": True, "paused": False, "yellow_at": yellow_at, "due_at": due_at, "now": at} | kw
        return card_of(**args)

    assert card(now) == Card.GREEN
    assert card(yellow_at) == card(yellow_at + timedelta(minutes=30)) == Card.YELLOW
    assert card(due_at) == card(due_at + timedelta(days=30)) == Card.RED
    assert card(due_at, paused=True) == Card.PAUSED, "a paused clock never turns red"
    assert card(due_at, running=False) == Card.NONE, "a finished object shows no card"
    assert card(now, due_at=None, yellow_at=None) == Card.NONE
