"""API tokens for machine clients: the secret is returned once, only its SM3 digest is kept."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from digigov.core.audit import audit_append
from digigov.core.crypto import sm3_hex
from digigov.core.errors import NotFound, ValidationFailed
from digigov.identity.models import ApiToken, User

TOKEN_PREFIX = "dgv_"  # noqa: S105 (a prefix, not a secret)


def token_digest(secret: str) -> str:
    return sm3_hex(secret.encode())


def api_token_create(*, actor: User, name: str, valid_days: int = 90) -> tuple[ApiToken, str]:
    name = name.strip()
    if not 1 <= len(name) <= 60:
        raise ValidationFailed("令牌名称应为1至60个字符", fields={"name": "长度不正确"})
    if not 1 <= valid_days <= 366:
        raise ValidationFailed("有效期应为1至366天", fields={"valid_days": "超出范围"})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=secret[:10],
            token_digest=token_digest(secret),
            expires_at=timezone.now() + timedelta(days=valid_days),
        )
        audit_append(
            actor=actor,
            action="identity.api_token_create",
            object_type="api_token",
            object_id=token.pk,
            changes={"name": name, "valid_days": valid_days},
        )
    return token, secret


def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    """Only the token's owner (a token someone else holds is NotFound, as from token_get_for_actor)."""
    if token.user_id != actor.pk:
        raise NotFound()
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked=True)
        audit_append(actor=actor, action="identity.api_token_revoke", object_type="api_token", object_id=token.pk)


def api_token_authenticate(secret: str) -> User | None:
    """The active user behind a bearer token, or None. Marks the token used (at most once a minute)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(token_digest=token_digest(secret), revoked=False).first()
    now = timezone.now()
    if token is None or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
