"""Telling an account's owner about its security, through the message centre (kinds `security.*`, registered
in identity/messages.py): a notice on their security page, an in-app message, and a text message to the
registered mobile when the account has one (citizens; delivered by the worker after commit, with a delivery key).
Called inside the caller's transaction: a rolled-back write told no one anything."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from digigov.core.messages import message_send
from digigov.core.messages.services import messages_mark_all_read
from digigov.identity.messages import SECURITY_BODIES, SIGNATURE, security_kind
from digigov.identity.models import NoticeKind, SecurityNotice, User

# What the owner's phone shows (kept for readers of the texts; the kinds' templates use the same words).
SMS_TEXTS: dict[str, str] = {kind: SIGNATURE + body for kind, body in SECURITY_BODIES.items()}


def notify_owner(*, user: User, kind: NoticeKind) -> SecurityNotice:
    with transaction.atomic():
        notice = SecurityNotice.objects.create(user=user, kind=kind)
        message_send(recipient=user, kind=security_kind(kind), context={}, link="/account/security/", obj=notice)
    return notice


def notices_mark_read(*, actor: User) -> int:
    """The owner has seen their notices (derived state, not a security event: not audited); the same notices in
    the message centre are read too."""
    messages_mark_all_read(actor=actor, kind_prefix="security.")
    return SecurityNotice.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
