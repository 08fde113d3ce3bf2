"""The hotline's clock: 签收 is counted in working hours, 回复 and 回访 in working days (digigov.core.clock), and
the card of the stage an appeal is in derives from the stage's start and due instants."""

from __future__ import annotations

from datetime import datetime

from digigov.core.clock import add_working_days_end, add_working_hours, yellow_before
from digigov.core.workflow import Deadlines, card_of
from digigov.hotline.models import APPEAL_CLOCK_RUNNING, Appeal, AppealStatus

__all__ = ["add_working_days_end", "add_working_hours", "appeal_deadlines", "card_for", "stage_window"]


def stage_window(appeal: Appeal) -> tuple[datetime | None, datetime | None]:
    """(started, due) of the stage the appeal is in: 签收 after dispatch, 回复 after signing."""
    if appeal.status == AppealStatus.DISPATCHED:
        return appeal.dispatched_at, appeal.sign_due_at
    if appeal.status == AppealStatus.SIGNED:
        return appeal.signed_at, appeal.reply_due_at
    return None, None


def appeal_deadlines(appeal: Appeal, now: datetime | None = None) -> Deadlines:
    started, due = stage_window(appeal)
    if started is None or due is None:
        return Deadlines(None, None)
    return Deadlines(yellow_before(started, due), due)


def card_for(appeal: Appeal, now: datetime) -> str:
    """The card of the stage the appeal is in at `now`, from the stage's columns (what the workflow stores as
    `yellow_at`/`due_at` after every step)."""
    deadlines = appeal_deadlines(appeal)
    return card_of(
        running=appeal.status in APPEAL_CLOCK_RUNNING,
        paused=False,
        yellow_at=deadlines.yellow_at,
        due_at=deadlines.due_at,
        now=now,
    )
