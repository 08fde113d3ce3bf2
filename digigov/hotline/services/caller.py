"""The caller's personal data, opened on purpose and audited every time: the full contact for the agent who calls
back, the attachments for whoever handles the appeal."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from digigov.core.audit import audit_append
from digigov.core.errors import Conflict, NotFound
from digigov.core.policy import require
from digigov.core.protected import unseal
from digigov.hotline import policy
from digigov.hotline.models import AppealAttachment, CallbackTask
from digigov.hotline.policy import Action
from digigov.hotline.services.intake import SEAL_NAME, SEAL_PHONE
from digigov.identity.models import User


@dataclass(frozen=True)
class CallerContact:
    name: str
    phone: str


def caller_contact_reveal(*, actor: User, task: CallbackTask) -> CallerContact:
    """Only a callback agent of the appeal's region, only while the callback is pending; the audit entry names
    who saw whose number (never the number)."""
    appeal = task.appeal
    require(policy.can(actor, Action.CALLBACK, appeal))
    if task.done_at is not None:
        raise Conflict("该回访已登记，不再显示来电号码")
    name = unseal(SEAL_NAME, bytes(appeal.caller_name_sealed)) if appeal.caller_name_sealed else ""
    phone = unseal(SEAL_PHONE, bytes(appeal.caller_phone_sealed)) if appeal.caller_phone_sealed else ""
    with transaction.atomic():
        audit_append(
            actor=actor,
            action="hotline.caller_revealed",
            object_type="appeal",
            object_id=appeal.pk,
            changes={"callback_task": task.pk, "purpose": "回访"},
        )
    return CallerContact(name=name, phone=phone)


def attachment_download_record(*, actor: User, attachment: AppealAttachment) -> None:
    """Who opened which photo or document of whose appeal: caller material is personal data. Only someone who
    may see the appeal; anyone else gets NotFound, as from the selectors."""
    if not policy.can(actor, Action.VIEW, attachment.appeal):
        raise NotFound()
    with transaction.atomic():
        audit_append(
            actor=actor,
            action="hotline.attachment_download",
            object_type="appeal",
            object_id=attachment.appeal_id,
            changes={"attachment": attachment.pk, "sm3": attachment.sm3},
        )
