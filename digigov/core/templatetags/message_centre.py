"""`{% unread_messages as count %}`: the signed-in person's unread message count, for the header partial."""

from __future__ import annotations

from typing import Any

from django import template

from digigov.core.messages.selectors import unread_message_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_messages(context: dict[str, Any]) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_message_count(user)
