"""Time limits per appeal type: the centre's table (DeadlinePolicy), with these defaults until it is edited."""

from __future__ import annotations

from dataclasses import dataclass

from digigov.hotline.models import AppealType
from digigov.hotline.services.reference import intake_reference


@dataclass(frozen=True)
class Limits:
    sign_working_hours: int
    handle_working_days: int
    callback_working_days: int


DEFAULT_LIMITS: dict[str, Limits] = {
    AppealType.CONSULTATION: Limits(2, 3, 2),
    AppealType.HELP: Limits(2, 5, 2),
    AppealType.COMPLAINT: Limits(2, 5, 2),
    AppealType.REPORT: Limits(2, 10, 2),
    AppealType.SUGGESTION: Limits(4, 10, 3),
}


def limits_for(appeal_type: str) -> Limits:
    """The centre's limits for the type (kept per process, see ``reference.intake_reference``), else the default."""
    policy = intake_reference().limits.get(appeal_type)
    return DEFAULT_LIMITS[appeal_type] if policy is None else Limits(*policy)
