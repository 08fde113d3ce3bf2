"""统一消息、统一提醒: one way for every domain to tell a person something (ADR 0009).

- registry.py  kinds: each a Chinese title/body template, the external channels it may use, whether it is optional
- channels.py  the adapter interface: in-app always; e-mail (Django's mail backends); SMS (digigov.core.sms)
- services.py  message_send (inside the caller's transaction), message_cards_turned (a sweep's deadline
               notices, once per card and deadline), read marks, channel preferences
- delivery.py  the outbox: claim with a lease, send with the row's delivery key, mark; retries with backoff
- selectors.py a person's own messages and unread count

Domains register their kinds in `<domain>/messages.py` (imported at start-up by core's AppConfig) and call
`message_send` from their services or the workflow kernel's hooks.
"""

from digigov.core.messages.registry import MessageKind, kind_get, kinds, register_kind
from digigov.core.messages.services import message_cards_turned, message_send

__all__ = ["MessageKind", "kind_get", "kinds", "message_cards_turned", "message_send", "register_kind"]
