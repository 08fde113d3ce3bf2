"""Facts the platform already holds about an applicant, for 秒批 rules ("applicant.*" facts).

A fact that cannot be established is left out, and a rule that needs it does not approve.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from digigov.credit.selectors import citizen_is_listed, enterprise_is_listed
from digigov.identity.models import Enterprise, User


def _age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def applicant_facts(user: User, enterprise: Enterprise | None) -> dict[str, Any]:
    facts: dict[str, Any] = {"applicant.kind": "legal" if enterprise is not None else "person"}
    citizen = getattr(user, "citizen", None)
    if citizen is not None:
        facts["applicant.age"] = _age_on(citizen.birth_date, timezone.localdate())
    listed = enterprise_is_listed(enterprise) if enterprise is not None else citizen_is_listed(user)
    if listed is not None:
        facts["applicant.on_joint_punishment_list"] = listed
    return facts
