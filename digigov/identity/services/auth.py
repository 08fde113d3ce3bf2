"""Login that meets 等保 2.0 level 3: lockout after repeated failures, TOTP for admin roles, all audited.

Identifiers: a staff login name, or a citizen's 身份证号 or mobile number (found through blind indexes).
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from digigov.core.audit import audit_append
from digigov.core.errors import Forbidden, TooManyRequests, ValidationFailed
from digigov.core.protected import blind_index
from digigov.identity.models import CitizenProfile, NoticeKind, User, UserKind
from digigov.identity.scope import requires_mfa
from digigov.identity.services import login_throttle
from digigov.identity.services.notices import notify_owner


class LoginResult(StrEnum):
    OK = "ok"
    NEEDS_TOTP = "needs_totp"
    NEEDS_TOTP_ENROLMENT = "needs_totp_enrolment"
    REFUSED = "refused"  # unknown account, wrong password, locked account: one answer for all three
    CHALLENGE = "challenge"  # the arithmetic challenge must be answered first
    ADDRESS_THROTTLED = "address_throttled"  # this address tried too many times, whatever the account


@dataclass(frozen=True)
class LoginOutcome:
    result: LoginResult
    user: User | None = None
    retry_minutes: int = 0
    challenge_next: bool = False  # the next attempt will need the challenge: ask it at once


def find_user(identifier: str) -> User | None:
    identifier = unicodedata.normalize("NFKC", identifier).strip()  # full-width digits from an IME
    if re.fullmatch(r"[0-9]{17}[0-9Xx]", identifier):
        profile = CitizenProfile.objects.filter(
            id_number_index=blind_index(CitizenProfile.ID_PURPOSE, identifier.upper())
        ).first()
        return profile.user if profile else None
    if re.fullmatch(r"1[0-9]{10}", identifier):
        profile = CitizenProfile.objects.filter(
            mobile_index=blind_index(CitizenProfile.MOBILE_PURPOSE, identifier)
        ).first()
        return profile.user if profile else None
    return User.objects.filter(username=identifier.lower()).first()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash of nothing anyone knows, made by the configured hasher, so that an unknown account costs the
    same one verification as a known one."""
    return make_password(secrets.token_urlsafe(24))


def _verify_one_hash(user: User | None, password: str) -> bool:
    """Exactly one password-hash verification on every path: the timing tells nothing."""
    if user is None or not user.is_active or not user.has_usable_password():
        check_password(password, _dummy_hash())
        return False
    return user.check_password(password)


def _lock_account(user: User) -> None:
    locked_until = timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
    User.objects.filter(pk=user.pk).update(locked_until=locked_until)
    audit_append(
        actor=user,
        action="identity.account_locked",
        object_type="user",
        object_id=user.pk,
        changes={"minutes": settings.LOCKOUT_MINUTES, "staff": user.kind == UserKind.STAFF},
    )
    notify_owner(user=user, kind=NoticeKind.LOCKED)


def _refuse(user: User | None, key: str, address: str, *, locked: bool, pair_blocked: bool) -> LoginOutcome:
    """Count the failure, lock the account when its count is due, audit; one answer whatever the reason."""
    counts = login_throttle.record_failure(key, address, count_for_identifier=not pair_blocked)
    with transaction.atomic():
        if user is None:
            # No account: audit without the identifier itself (it may be a 身份证号 or a phone number).
            audit_append(
                actor=None, action="identity.login_failed", object_type="login", changes={"identifier_sm3": key}
            )
        else:
            User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
            audit_append(
                actor=user,
                action="identity.login_while_locked" if locked else "identity.login_failed",
                object_type="user",
                object_id=user.pk,
                changes={"account_failures": int(counts.identifier_failures)},
            )
            if counts.account_lock_due and not locked:
                _lock_account(user)
        if int(counts.pair_failures) == settings.LOGIN_PAIR_FAILURES:
            audit_append(
                actor=user, action="identity.login_pair_blocked", object_type="login", changes={"identifier_sm3": key}
            )
        if int(counts.address_failures) == settings.LOGIN_ADDRESS_FAILURES:
            audit_append(actor=None, action="identity.login_address_blocked", object_type="login")
    return LoginOutcome(LoginResult.REFUSED, challenge_next=counts.challenge_required)


def login_check_password(
    request: HttpRequest | None, *, identifier: str, password: str, challenge_passed: bool = False
) -> LoginOutcome:
    """First factor. On success the caller still has to complete the second factor when one is required.

    Every path costs one password-hash verification, and an unknown account, a wrong password and a locked
    account give the same REFUSED: nothing tells an outsider which accounts exist or are locked.
    """
    key = login_throttle.identifier_key(identifier)
    address = login_throttle.source_address()
    user = find_user(identifier)
    standing = login_throttle.standing(key, address)
    password_ok = _verify_one_hash(user, password)
    if standing.address_blocked:
        return LoginOutcome(LoginResult.ADDRESS_THROTTLED, retry_minutes=settings.LOCKOUT_MINUTES)
    if standing.challenge_required and not challenge_passed:
        return LoginOutcome(LoginResult.CHALLENGE)
    locked = bool(user and user.locked_until and user.locked_until > timezone.now())
    if user is None or not password_ok or locked or standing.pair_blocked:
        return _refuse(user, key, address, locked=locked, pair_blocked=standing.pair_blocked)
    login_throttle.forget_pair(key, address)
    if user.failed_logins or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    if requires_mfa(user):
        step = LoginResult.NEEDS_TOTP if has_confirmed_device(user) else LoginResult.NEEDS_TOTP_ENROLMENT
        return LoginOutcome(step, user)
    return LoginOutcome(LoginResult.OK, user)


def _refuse_if_throttled(device: TOTPDevice) -> None:
    """django-otp blocks a device for 1 s after a wrong code, doubling each time; say so instead of "wrong"."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return
    until = (details or {}).get("locked_until")
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
    raise TooManyRequests(f"动态验证码尝试过于频繁，请 {seconds} 秒后再试")


def _record_totp_failure(user: User) -> None:
    with transaction.atomic():
        audit_append(actor=user, action="identity.totp_failed", object_type="user", object_id=user.pk)


def totp_verify(*, user: User, token: str) -> TOTPDevice | None:
    """The confirmed device that accepts this code, or None (the failure is audited)."""
    token = token.strip()
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if devices and all(not device.verify_is_allowed()[0] for device in devices):
        _refuse_if_throttled(devices[0])
    if re.fullmatch(r"[0-9]{6}", token):
        for device in devices:
            if device.verify_token(token):
                return device
    _record_totp_failure(user)
    return None


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_enrolment_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device a user is enrolling (created on first call, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return device


def _confirm_new_device(*, user: User, token: str, action: str) -> TOTPDevice | None:
    device = totp_enrolment_device(user=user)
    _refuse_if_throttled(device)
    if not re.fullmatch(r"[0-9]{6}", token.strip()) or not device.verify_token(token.strip()):
        _record_totp_failure(user)
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_append(actor=user, action=action, object_type="user", object_id=user.pk, changes={"device": device.pk})
        notify_owner(user=user, kind=NoticeKind.DEVICE_ADDED)
    return device


def totp_confirm(*, user: User, token: str) -> TOTPDevice | None:
    """First enrolment during login. Only an account without a confirmed device may enrol this way: an
    enrolled account adds a device only after its current second factor (totp_device_add)."""
    if has_confirmed_device(user):
        raise Forbidden("该账号已绑定身份验证器，请使用已绑定的身份验证器登录")
    return _confirm_new_device(user=user, token=token, action="identity.totp_enrolled")


def totp_device_add(*, actor: User, current_token: str, new_token: str) -> TOTPDevice | None:
    """A signed-in user binds another authenticator: the current second factor first, then the new code."""
    if has_confirmed_device(actor) and totp_verify(user=actor, token=current_token) is None:
        raise ValidationFailed("当前身份验证器的动态验证码不正确", fields={"current_token": "验证码不正确"})
    return _confirm_new_device(user=actor, token=new_token, action="identity.totp_device_added")


def login_record(*, user: User, second_factor: bool) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
        audit_append(
            actor=user,
            action="identity.login",
            object_type="user",
            object_id=user.pk,
            changes={"second_factor": second_factor},
        )


def logout_record(*, user: User, reason: str = "user") -> None:
    with transaction.atomic():
        audit_append(
            actor=user, action="identity.logout", object_type="user", object_id=user.pk, changes={"reason": reason}
        )
