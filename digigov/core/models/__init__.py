"""The core's tables, one module per concern; Django finds them through these imports."""

from digigov.core.models.audit import AuditChainHead, AuditEntry
from digigov.core.models.calendar import CalendarDay, CalendarSource, CalendarYear
from digigov.core.models.idempotency import IdempotencyKey
from digigov.core.models.inbox import InboxBox, InboxTask
from digigov.core.models.messages import DeliveryStatus, Message, MessagePreference, OutboxDelivery
from digigov.core.models.sms import SmsOutboxMessage

__all__ = [
    "AuditChainHead",
    "AuditEntry",
    "CalendarDay",
    "CalendarSource",
    "CalendarYear",
    "DeliveryStatus",
    "IdempotencyKey",
    "InboxBox",
    "InboxTask",
    "Message",
    "MessagePreference",
    "OutboxDelivery",
    "SmsOutboxMessage",
]
