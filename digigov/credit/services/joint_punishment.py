"""Listing and lifting joint-punishment entries. Audited; restricted to credit administrators."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from digigov.core.audit import audit_append
from digigov.core.errors import Conflict, ValidationFailed
from digigov.core.masking import mask_name
from digigov.core.policy import SystemActor, require
from digigov.core.protected import blind_index
from digigov.core.validators import validate_id_number, validate_uscc
from digigov.credit import policy
from digigov.credit.models import JointPunishmentEntry, SubjectKind
from digigov.credit.policy import Action
from digigov.identity.models import CitizenProfile, User


def _require_credit_admin(actor: User | SystemActor) -> None:
    require(policy.can(actor, Action.MANAGE_LIST), "只有信用管理人员可以维护联合惩戒名单")


def joint_punishment_list(
    *,
    actor: User | SystemActor,
    name: str,
    measure: str,
    authority: str,
    basis: str,
    listed_on: date,
    id_number: str = "",
    uscc: str = "",
) -> JointPunishmentEntry:
    """Put a person (by 身份证号) or an enterprise (by 统一社会信用代码) on the list."""
    _require_credit_admin(actor)
    if bool(id_number) == bool(uscc):
        raise ValidationFailed("请填写身份证号或统一社会信用代码其中之一", fields={"id_number": "二选一"})
    if not (measure.strip() and authority.strip() and basis.strip()):
        raise ValidationFailed("惩戒措施、认定部门和认定依据均为必填", fields={"measure": "必填"})
    if id_number:
        number = validate_id_number(id_number).number
        kind, key, label = SubjectKind.PERSON, blind_index(CitizenProfile.ID_PURPOSE, number), mask_name(name.strip())
    else:
        kind, key, label = SubjectKind.LEGAL, validate_uscc(uscc), name.strip()
    if JointPunishmentEntry.objects.filter(
        subject_kind=kind, subject_key=key, lifted_on__isnull=True, measure=measure.strip()
    ).exists():
        raise Conflict("该主体已在名单中，惩戒措施相同")
    with transaction.atomic():
        entry = JointPunishmentEntry.objects.create(
            subject_kind=kind,
            subject_key=key,
            subject_label=label[:120],
            measure=measure.strip()[:200],
            authority=authority.strip()[:120],
            basis=basis.strip(),
            listed_on=listed_on,
        )
        audit_append(
            actor=actor,
            action="credit.joint_punishment_list",
            object_type="joint_punishment",
            object_id=entry.pk,
            changes={"kind": kind, "measure": entry.measure},
        )
    return entry


def joint_punishment_lift(*, actor: User | SystemActor, entry: JointPunishmentEntry, lifted_on: date) -> None:
    _require_credit_admin(actor)
    if entry.lifted_on is not None:
        raise Conflict("该记录已移出名单")
    if lifted_on < entry.listed_on:
        raise ValidationFailed("移出日期不能早于列入日期", fields={"lifted_on": "早于列入日期"})
    with transaction.atomic():
        JointPunishmentEntry.objects.filter(pk=entry.pk).update(lifted_on=lifted_on)
        audit_append(
            actor=actor,
            action="credit.joint_punishment_lift",
            object_type="joint_punishment",
            object_id=entry.pk,
            changes={"lifted_on": lifted_on.isoformat()},
        )
