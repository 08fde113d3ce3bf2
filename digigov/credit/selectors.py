"""Is a subject currently on a joint-punishment list? (For 秒批 and, later, 双随机 and credit reports.)"""

from __future__ import annotations

from django.utils import timezone

from digigov.credit.models import JointPunishmentEntry, SubjectKind
from digigov.identity.models import Enterprise, User


def is_listed(*, kind: str, key: str) -> bool:
    today = timezone.localdate()
    entries = JointPunishmentEntry.objects.filter(subject_kind=kind, subject_key=key, listed_on__lte=today)
    return entries.exclude(lifted_on__lte=today).exists()


def citizen_is_listed(user: User) -> bool | None:
    """None when the user has no real-name profile: the fact cannot be established."""
    citizen = getattr(user, "citizen", None)
    return None if citizen is None else is_listed(kind=SubjectKind.PERSON, key=citizen.id_number_index)


def enterprise_is_listed(enterprise: Enterprise) -> bool:
    return is_listed(kind=SubjectKind.LEGAL, key=enterprise.uscc)
