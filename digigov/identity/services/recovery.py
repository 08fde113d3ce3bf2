"""Getting back into an account: a citizen resets a forgotten password or lifts a lock with a code sent to the
registered mobile; staff are helped by their administrator (services.account_admin).

The code is six digits, valid for RECOVERY_CODE_MINUTES and RECOVERY_CODE_ATTEMPTS tries, kept only as a
keyed digest in the shared cache. Asking for a code answers the same whether the number is registered or not,
and is limited per number and per address.
"""

from __future__ import annotations

import hmac
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from digigov.core.audit import audit_append
from digigov.core.crypto import hmac_sm3
from digigov.core.errors import ValidationFailed
from digigov.core.protected import blind_index
from digigov.core.ratelimit import rate_limit
from digigov.core.sms import send_sms
from digigov.core.validators import validate_mobile
from digigov.identity.models import CitizenProfile, NoticeKind, User
from digigov.identity.services import login_throttle
from digigov.identity.services.notices import notify_owner
from digigov.identity.services.people import validated_password

RECOVERY_CODE_MINUTES = 10
RECOVERY_CODE_ATTEMPTS = 5
CODE_REFUSED = "验证码不正确或已过期，请重新获取"


def _code_digest(user_id: int, code: str) -> str:
    return hmac_sm3(settings.PLATFORM_KEYS.index_key, f"recovery\x00{user_id}\x00{code}".encode()).hex()


def _cache_key(user_id: int) -> str:
    return f"identity:recovery:{user_id}"


def recovery_mobile_index(mobile: str) -> str:
    """What the recovery pages keep in the session instead of the number itself."""
    return blind_index(CitizenProfile.MOBILE_PURPOSE, validate_mobile(mobile, field="mobile"))


def recovery_code_send(*, mobile_index: str) -> None:
    """Text a code to the citizen registered with this number, if there is one. Nothing tells the caller
    whether there was."""
    address = login_throttle.source_address()
    rate_limit(scope="recovery_address", key=address, limit=settings.RECOVERY_CODES_PER_HOUR * 4, window_seconds=3600)
    rate_limit(scope="recovery_mobile", key=mobile_index, limit=settings.RECOVERY_CODES_PER_HOUR, window_seconds=3600)
    profile = CitizenProfile.objects.filter(mobile_index=mobile_index).select_related("user").first()
    if profile is None or not profile.user.is_active:
        return
    code = f"{secrets.randbelow(10**6):06d}"
    cache.set(
        _cache_key(profile.user_id),
        {"digest": _code_digest(profile.user_id, code), "attempts": 0},
        timeout=RECOVERY_CODE_MINUTES * 60,
    )
    with transaction.atomic():
        audit_append(
            actor=profile.user, action="identity.recovery_code_sent", object_type="user", object_id=profile.user_id
        )
    send_sms(
        mobile=profile.mobile(),
        text=f"【本溪市统一身份认证】验证码 {code}，{RECOVERY_CODE_MINUTES} 分钟内有效，用于找回密码或解除账号锁定。"
        "工作人员不会向您索要验证码，请勿告诉他人。",
        purpose="identity.recovery_code",
    )


def _take_code(user: User, code: str) -> bool:
    entry = cache.get(_cache_key(user.pk))
    if not entry or entry["attempts"] >= RECOVERY_CODE_ATTEMPTS:
        return False
    if hmac.compare_digest(entry["digest"], _code_digest(user.pk, code.strip())):
        cache.delete(_cache_key(user.pk))
        return True
    entry["attempts"] += 1
    cache.set(_cache_key(user.pk), entry, timeout=RECOVERY_CODE_MINUTES * 60)
    return False


def recovery_complete(*, mobile_index: str, code: str, new_password: str = "") -> User:
    """The code proves the owner: lift any lock and, when a new password is given, set it."""
    profile = CitizenProfile.objects.filter(mobile_index=mobile_index).select_related("user").first()
    user = profile.user if profile else None
    if new_password:
        validated_password(new_password, user)
    if user is None or not _take_code(user, code):
        raise ValidationFailed(CODE_REFUSED, fields={"code": "验证码不正确"})
    with transaction.atomic():
        if new_password:
            user.set_password(new_password)
            user.save(update_fields=["password"])
            audit_append(
                actor=user,
                action="identity.password_reset",
                object_type="user",
                object_id=user.pk,
                changes={"via": "sms"},
            )
            notify_owner(user=user, kind=NoticeKind.PASSWORD_RESET)
        was_locked = user.locked_until is not None
        User.objects.filter(pk=user.pk).update(locked_until=None, failed_logins=0)
        audit_append(
            actor=user,
            action="identity.account_unlocked",
            object_type="user",
            object_id=user.pk,
            changes={"via": "sms", "was_locked": was_locked},
        )
        if was_locked and not new_password:
            notify_owner(user=user, kind=NoticeKind.UNLOCKED)
    login_throttle.forget_account(account_identifier_keys(user), login_throttle.source_address())
    return user


def account_identifier_keys(user: User) -> list[str]:
    """Every identifier the account logs in with, as the throttle counts them."""
    identifiers = [user.username]
    profile = CitizenProfile.objects.filter(user=user).first()
    if profile is not None:
        identifiers += [profile.mobile(), profile.id_number()]
    return [login_throttle.identifier_key(identifier) for identifier in identifiers]
