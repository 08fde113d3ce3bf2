"""Per-process copies and their version tokens: a change is seen at once, except that inside
``versions_read_once`` the tokens are read together once and trusted until the block ends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from digigov.core.process_cache import ProcessCache, invalidate, version_key, versions_read_once


class Loads:
    """A load function that counts its calls and returns the count."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


@pytest.fixture
def names() -> Iterator[tuple[str, str]]:
    pair = (f"test.a.{uuid.uuid4().hex}", f"test.b.{uuid.uuid4().hex}")
    yield pair
    cache.delete_many([version_key(n) for n in pair])


def another_process_changes(name: str) -> None:
    """What another process's writer does to the shared cache."""
    cache.set(version_key(name), uuid.uuid4().hex, timeout=None)


def test_a_change_by_another_process_is_seen_on_the_next_read(names: tuple[str, str]) -> None:
    values = ProcessCache(names[0], Loads())
    assert values.get() == 1 and values.get() == 1
    another_process_changes(names[0])
    assert values.get() == 2


def test_a_dependency_changing_reloads_too(names: tuple[str, str]) -> None:
    values = ProcessCache(names[0], Loads(), depends_on=(names[1],))
    assert values.get() == 1
    another_process_changes(names[1])
    assert values.get() == 2 and values.get() == 2


def test_inside_the_block_tokens_are_read_once_together(names: tuple[str, str], monkeypatch: Any) -> None:
    first, second = ProcessCache(names[0], Loads()), ProcessCache(names[1], Loads())
    with versions_read_once():  # the first use in a process also creates the tokens that are missing
        first.get(), second.get()
    reads: list[str] = []  # the calls made to the cache (a backend's get_many may call its own get: not counted)
    real_get, real_get_many = cache.get, cache.get_many
    inside_get_many = []

    def get(key: str, *args: Any, **kwargs: Any) -> Any:
        if not inside_get_many:
            reads.append("get")
        return real_get(key, *args, **kwargs)

    def get_many(keys: list[str], *args: Any, **kwargs: Any) -> Any:
        reads.append("get_many")
        inside_get_many.append(True)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside_get_many.pop()

    monkeypatch.setattr(cache, "get", get)
    monkeypatch.setattr(cache, "get_many", get_many)
    with versions_read_once():
        assert first.get() == 1 and second.get() == 1 and first.get() == 1
        another_process_changes(names[0])
        assert first.get() == 1  # trusted until the block ends
    assert reads == ["get_many"]
    assert first.get() == 2 and reads[-1] == "get"


def test_inside_the_block_this_threads_own_change_is_seen_at_once(names: tuple[str, str]) -> None:
    values = ProcessCache(names[0], Loads())
    with versions_read_once():
        assert values.get() == 1
        invalidate(names[0])
        assert values.get() == 2
        with versions_read_once():  # nested: the outer block's tokens hold
            another_process_changes(names[0])
            assert values.get() == 2
    assert values.get() == 3
