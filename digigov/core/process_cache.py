"""Values read from the database once per process and reloaded when any process changes them.

A ``ProcessCache(name, load)`` keeps ``load()``'s result in the process with the version token it was loaded
under. Writers call ``invalidate(name)`` (or the instance's ``invalidate()``) inside their transaction: it
replaces the token in Django's shared cache at once (so the writing transaction sees its own change) and again
at commit (so a process that reloaded in between, reading the old rows, reloads again). Until the commit, the
writing thread does not keep what it loads, so a rollback leaves nothing stale behind. Readers compare the
token on each call: one cache read (Redis in production; without Redis, a folder every process of the checkout
shares, see ``CACHES`` in config/settings.py).

A writer that must not import the reader (identity does not import the hotline) invalidates by name.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection, transaction

_local = threading.local()  # .dirty: the names this thread's open transaction changed; .snapshot: see below
_names: set[str] = set()  # every name a ProcessCache reads, so one round trip can fetch all their tokens


def version_key(name: str) -> str:
    return f"{name}:version"


@contextmanager
def versions_read_once() -> Iterator[None]:
    """Within the block this thread reads every cache's version token once, all in one round trip, and trusts
    them until the block ends (or it invalidates one itself). For a short unit of work that consults several
    caches, such as one intake: with Redis each separate read is a network round trip."""
    if getattr(_local, "snapshot", None) is not None:
        yield  # nested: the outer block's tokens hold
        return
    _local.snapshot = {}
    try:
        yield
    finally:
        _local.snapshot = None


def _version(name: str) -> str:
    snapshot: dict[str, str] | None = getattr(_local, "snapshot", None)
    if snapshot is None:
        return _read_version(name)
    if name not in snapshot:
        keys = {version_key(n): n for n in _names | {name}}
        found = cache.get_many(list(keys))
        snapshot.update({n: str(found[key]) if key in found else _read_version(n) for key, n in keys.items()})
    return snapshot[name]


def _read_version(name: str) -> str:
    key = version_key(name)
    version = cache.get(key)
    if version is None:
        # A missing key (first use, eviction, cache flush) gets a fresh token nobody has cached under, so an
        # evicted key can never make a process trust a stale value.
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key) or ""
    return str(version)


def _bump(name: str) -> None:
    cache.set(version_key(name), uuid.uuid4().hex, timeout=None)
    snapshot: dict[str, str] | None = getattr(_local, "snapshot", None)
    if snapshot is not None:
        snapshot.pop(name, None)  # this thread's own change is seen at once, even inside versions_read_once


def _dirty_names() -> set[str]:
    if not hasattr(_local, "dirty"):
        _local.dirty = set()
    names: set[str] = _local.dirty
    return names


def _dirty(name: str) -> bool:
    if not connection.in_atomic_block:
        _dirty_names().clear()
        return False
    return name in _dirty_names()


def invalidate(name: str) -> None:
    """Tell every process that the value called ``name`` changed (see the module docstring)."""
    _bump(name)
    if connection.in_atomic_block:
        _dirty_names().add(name)

        def after_commit() -> None:
            _dirty_names().discard(name)
            _bump(name)

        transaction.on_commit(after_commit)


class ProcessCache[T]:
    """``load()``'s result, kept in this process until the version token of ``name`` or of one of
    ``depends_on`` (other tables ``load`` reads, which their own writers invalidate) changes."""

    def __init__(self, name: str, load: Callable[[], T], *, depends_on: tuple[str, ...] = ()) -> None:
        self.name = name
        self.names = (name, *depends_on)
        self.load = load
        self._cached: tuple[str, T] | None = None
        _names.update(self.names)

    def get(self) -> T:
        # Read before loading: a change after this read bumps the token again.
        version = "|".join(_version(name) for name in self.names)
        cached = self._cached
        dirty = any(_dirty(name) for name in self.names)
        if cached is not None and cached[0] == version and not dirty:
            return cached[1]
        value = self.load()
        if not dirty:
            self._cached = (version, value)
        return value

    def invalidate(self) -> None:
        invalidate(self.name)

    def forget(self) -> None:
        """Drop this process's copy and this thread's pending marks (tests: start as a fresh process would)."""
        self._cached = None
        _dirty_names().difference_update(self.names)
