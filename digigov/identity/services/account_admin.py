"""What a staff administrator does for a colleague locked out or without their authenticator: lift a lock,
set a one-time password, reset the second factor. Scoped like every staff change, never on oneself, audited,
and the owner is told."""

from __future__ import annotations

import secrets
import string

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from digigov.core.audit import audit_append
from digigov.core.errors import Forbidden, ValidationFailed
from digigov.core.policy import SystemActor, require
from digigov.identity import policy
from digigov.identity.models import NoticeKind, RoleGrant, StaffProfile, User
from digigov.identity.permissions import Perm
from digigov.identity.policy import Action
from digigov.identity.scope import in_scope, requires_mfa
from digigov.identity.services import login_throttle
from digigov.identity.services.notices import notify_owner
from digigov.identity.services.recovery import account_identifier_keys


def _require_admin_of(actor: User, staff: StaffProfile) -> None:
    require(policy.can(actor, Action.MANAGE_STAFF, staff), "该工作人员不在您的管理范围内")
    if actor.pk == staff.user_id:
        raise Forbidden("不能为自己办理解锁或重置，请联系其他管理员")


def _require_no_takeover(actor: User, staff: StaffProfile) -> None:
    """A password or authenticator reset hands the account to whoever holds the one-time password. For a
    privileged account (a role that requires MFA) that must not be more than the administrator already holds,
    or the staff administrator could become the system administrator (三员分立)."""
    if not requires_mfa(staff.user):
        return
    for grant in RoleGrant.objects.filter(user_id=staff.user_id).select_related("role"):
        for perm in grant.role.permissions:
            if not in_scope(actor, Perm(perm), region=grant.region, department_id=grant.department_id):
                raise Forbidden("该账号的权限超出您的权限，只能由具有同等权限的管理员重置")


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not 4 <= len(reason) <= 200:
        raise ValidationFailed("请填写办理原因（4至200字）", fields={"reason": "请填写原因"})
    return reason


READABLE = "".join(c for c in string.ascii_letters + string.digits if c not in "0OoIl1")


def _one_time_password() -> str:
    """Easy to read aloud and type (no 0/O, 1/l/I), and passes the complexity rule: upper, lower, digit, @."""
    body = [secrets.choice(READABLE) for _ in range(9)]
    return "".join(body) + secrets.choice("ABCDEFGH") + secrets.choice("abcdefgh") + secrets.choice("23456789") + "@"


def staff_unlock(*, actor: User, staff: StaffProfile, reason: str) -> None:
    _require_admin_of(actor, staff)
    reason = _require_reason(reason)
    with transaction.atomic():
        User.objects.filter(pk=staff.user_id).update(locked_until=None, failed_logins=0)
        audit_append(
            actor=actor,
            action="identity.account_unlocked",
            object_type="user",
            object_id=staff.user_id,
            changes={"via": "administrator", "reason": reason},
        )
        notify_owner(user=staff.user, kind=NoticeKind.UNLOCKED)
    login_throttle.forget_account(account_identifier_keys(staff.user))


def staff_password_reset(*, actor: User, staff: StaffProfile, reason: str) -> str:
    """A one-time password for the administrator to hand over in person; shown once, never stored in clear."""
    _require_admin_of(actor, staff)
    _require_no_takeover(actor, staff)
    reason = _require_reason(reason)
    password = _one_time_password()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=staff.user_id)
        user.set_password(password)
        user.locked_until = None
        user.failed_logins = 0
        user.save(update_fields=["password", "locked_until", "failed_logins"])
        audit_append(
            actor=actor,
            action="identity.password_reset",
            object_type="user",
            object_id=user.pk,
            changes={"via": "administrator", "reason": reason},
        )
        notify_owner(user=user, kind=NoticeKind.PASSWORD_RESET)
    login_throttle.forget_account(account_identifier_keys(staff.user))
    return password


def staff_totp_reset(*, actor: User | SystemActor, staff: StaffProfile, reason: str) -> int:
    """Remove every authenticator of the account: its next login enrols a new one. actor SYSTEM: the operator on
    the server (`manage.py identity_totp_reset`), for when no administrator with the rights can sign in."""
    if isinstance(actor, User):
        _require_admin_of(actor, staff)
        _require_no_takeover(actor, staff)
    else:
        require(policy.can(actor, Action.MANAGE_STAFF, staff), "该工作人员不在您的管理范围内")
    reason = _require_reason(reason)
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user_id=staff.user_id).delete()
        audit_append(
            actor=actor,
            action="identity.totp_reset",
            object_type="user",
            object_id=staff.user_id,
            changes={"devices": removed, "reason": reason},
        )
        notify_owner(user=staff.user, kind=NoticeKind.TOTP_RESET)
    return removed
