"""Message kinds: registered once at start-up, rendered with str.format and named fields (no template files).

A kind's texts are Chinese and written for the recipient: the caller passes only what that person may see.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field

SMS_SIGNATURE = "【本溪市数字政府】"


@dataclass(frozen=True)
class MessageKind:
    code: str  # e.g. "onestop.accepted"
    label: str  # what the preferences page calls it
    title: str  # str.format template with named fields
    body: str
    channels: tuple[str, ...] = ()  # the external channels it may use ("email", "sms"); in-app is always on
    default_channels: tuple[str, ...] | None = None  # before the recipient chooses (None: all of `channels`)
    optional: bool = True  # may the recipient turn its external channels off? (security notices may not)
    sms: str = ""  # the text message template (default: signature + title + body)
    fields: frozenset[str] = field(default=frozenset(), init=False)

    def __post_init__(self) -> None:
        names: set[str] = set()
        for template in (self.title, self.body, self.sms):
            for _, name, _, _ in string.Formatter().parse(template):
                if name is not None:
                    if not name.isidentifier():
                        raise ValueError(f"{self.code}: only named fields ({{name}}) in templates, not {name!r}")
                    names.add(name)
        object.__setattr__(self, "fields", frozenset(names))
        unknown = set(self.channels) - {"email", "sms"}
        if unknown or not set(self.defaults) <= set(self.channels):
            raise ValueError(f"{self.code}: unknown or unallowed channels {sorted(unknown)}")

    @property
    def defaults(self) -> tuple[str, ...]:
        return self.channels if self.default_channels is None else self.default_channels

    def render(self, context: Mapping[str, object]) -> tuple[str, str]:
        missing = self.fields - context.keys()
        if missing:
            raise ValueError(f"{self.code}: missing fields {sorted(missing)}")
        return self.title.format(**context), self.body.format(**context)

    def sms_text(self, title: str, body: str) -> str:
        return self.sms or f"{SMS_SIGNATURE}{title}：{body}"


_KINDS: dict[str, MessageKind] = {}


def register_kind(kind: MessageKind) -> MessageKind:
    """Register a kind (at import of a domain's messages.py). Registering the same code twice must be the same."""
    existing = _KINDS.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"message kind {kind.code} is registered twice, differently")
    _KINDS[kind.code] = kind
    return kind


def kind_get(code: str) -> MessageKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"unregistered message kind {code!r}") from None


def kinds() -> list[MessageKind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)
