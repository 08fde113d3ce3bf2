"""What the inbox knows about the domains, all of it registered by them (core imports no domain).

- task kinds: each domain declares the kinds of task it opens (label, icon, colour, box);
- the grants provider: identity tells the inbox which (permission, region prefix, department) triples an actor
  holds, as plain data, so the scope filter is built here without importing identity;
- rebuilders: each domain can list the tasks its open objects should have right now (``inbox_rebuild``).

Domains register in a module named ``inbox`` (``digigov/<domain>/inbox.py``), which CoreConfig.ready imports
for every installed app (the way django.contrib.admin finds ``admin`` modules).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from digigov.core.models import InboxBox

# The colours a kind may use; each is a CSS class `inbox-kind-<colour>` in static/css/digigov.css.
KIND_COLOURS = ("blue", "green", "orange", "purple", "teal", "brown")


@dataclass(frozen=True)
class InboxKind:
    key: str  # "<domain>.<what>", e.g. "services.application_accept"
    label: str  # the step in Chinese, e.g. 受理
    domain: str  # the domain's Chinese name, e.g. 一网通办
    icon: str  # one character shown in the kind's badge, e.g. 受
    colour: str = "blue"
    box: str = InboxBox.TODO


class InboxGrant(NamedTuple):
    """One grant an actor holds: the permission, the region subtree (a code prefix) and the department
    (None: every department in the subtree)."""

    permission: str
    region_prefix: str
    department_id: int | None


@dataclass(frozen=True)
class InboxSpec:
    """The arguments of one inbox_open, as a rebuilder returns them."""

    kind: str
    obj: Any
    title: str
    link: str
    summary: str = ""
    for_user_id: int | None = None
    permission: str = ""
    region_code: str = ""
    department_id: int | None = None
    any_department: bool = False
    yellow_at: datetime | None = None
    due_at: datetime | None = None


GrantsProvider = Callable[[Any], Iterable[InboxGrant]]
Rebuilder = Callable[[], Iterable[InboxSpec]]


@dataclass
class _Registry:
    kinds: dict[str, InboxKind] = field(default_factory=dict)
    rebuilders: dict[str, tuple[tuple[str, ...], Rebuilder]] = field(default_factory=dict)
    grants_provider: GrantsProvider | None = None


_registry = _Registry()


def register_kind(kind: InboxKind) -> InboxKind:
    """Declare a kind; declaring the same kind again is harmless, a different one under the same key is not."""
    if kind.colour not in KIND_COLOURS:
        raise ValueError(f"inbox kind {kind.key}: colour must be one of {KIND_COLOURS}")
    if kind.box not in InboxBox.values:
        raise ValueError(f"inbox kind {kind.key}: box must be one of {InboxBox.values}")
    known = _registry.kinds.get(kind.key)
    if known is not None and known != kind:
        raise ValueError(f"inbox kind {kind.key} is already registered differently")
    _registry.kinds[kind.key] = kind
    return kind


def kind_get(key: str) -> InboxKind:
    try:
        return _registry.kinds[key]
    except KeyError:
        raise LookupError(f"inbox kind {key!r} is not registered") from None


def registered_kinds() -> list[InboxKind]:
    return sorted(_registry.kinds.values(), key=lambda kind: kind.key)


def register_rebuilder(name: str, *, kinds: Iterable[str], rebuild: Rebuilder) -> None:
    """rebuild() lists the open tasks of `kinds` as they should be now; inbox_rebuild makes the rows match."""
    kinds = tuple(kinds)
    for key in kinds:
        kind_get(key)
    _registry.rebuilders[name] = (kinds, rebuild)


def unregister_rebuilder(name: str) -> None:
    _registry.rebuilders.pop(name, None)


def rebuilders() -> dict[str, tuple[tuple[str, ...], Rebuilder]]:
    return dict(_registry.rebuilders)


def register_grants_provider(provider: GrantsProvider) -> None:
    _registry.grants_provider = provider


def grants_of(actor: Any) -> list[InboxGrant]:
    """The actor's grants as data; nobody holds any until a provider is registered (deny by default)."""
    if _registry.grants_provider is None or not getattr(actor, "is_authenticated", False):
        return []
    return list(_registry.grants_provider(actor))
