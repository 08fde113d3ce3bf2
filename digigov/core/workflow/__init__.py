"""The workflow kernel: one way for every domain to declare a closed loop and move its objects through it.

A domain declares a `Workflow` (its model, states and `Step`s: who may take each, from which states, to which
state) in `<domain>/workflow.py`; its services call `move` (or `start` for an object entering the loop) and
never write the status themselves. Each move, in one transaction: re-reads the object's state under a row
lock (the loser of two concurrent moves gets a `Conflict`), writes only the changed columns, a history row and
an audit entry, re-derives the deadline instants, and runs the in-transaction hooks; the after-commit hooks
(messages) run once it has committed. Cards (正常/黄牌/红牌) are never stored: `cards` derives them from the
instants at the moment they are read, in Python for one object and in SQL for lists, filters and counts.
"""

from digigov.core.workflow.cards import Card, card_case, card_of, card_q
from digigov.core.workflow.definition import Deadlines, Move, Step, Workflow
from digigov.core.workflow.engine import available_steps, move, start

__all__ = [
    "Card",
    "Deadlines",
    "Move",
    "Step",
    "Workflow",
    "available_steps",
    "card_case",
    "card_of",
    "card_q",
    "move",
    "start",
]
