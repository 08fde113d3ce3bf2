"""Counting on the shared cache (Redis in production): fixed-window rate limits for anonymous writes and for
authenticated operations that could be used to probe (e.g. inviting 经办人 by mobile number), and sliding-window
failure counts for login throttling (docs/adr/0007-login-throttling.md)."""

from __future__ import annotations

import time

from django.core.cache import cache

from digigov.core.errors import TooManyRequests

DEFAULT_MESSAGE = "操作过于频繁，请稍后再试"


def _count_one(cache_key: str, timeout: int) -> int:
    """Add one to a counter that expires `timeout` seconds after it was first counted."""
    if cache.add(cache_key, 1, timeout=timeout):
        return 1
    try:
        count = int(cache.incr(cache_key))
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=timeout)
        return 1
    # The file cache re-stores a value on incr with the default expiry (5 minutes): put the counter's back.
    cache.touch(cache_key, timeout=timeout)
    return count


def rate_limit(*, scope: str, key: str, limit: int, window_seconds: int, message: str = DEFAULT_MESSAGE) -> None:
    """Count one attempt; raise TooManyRequests (with message) once the limit for this window is used up."""
    window = int(time.time() // window_seconds)
    if _count_one(f"ratelimit:{scope}:{key}:{window}", window_seconds + 5) > limit:
        raise TooManyRequests(message)


def _window_key(scope: str, key: str, window: int) -> str:
    return f"slidingcount:{scope}:{key}:{window}"


def sliding_count(*, scope: str, key: str, window_seconds: int, add: bool = False) -> float:
    """Events for a key over the last window_seconds (the current fixed window plus the previous one weighted by
    how much of it still overlaps: the usual sliding-window estimate), after counting one more when `add`.

    Counts live in the shared cache for two windows; a lost cache forgets them, which only ever relaxes a limit.
    """
    now = time.time()
    window = int(now // window_seconds)
    current_key, previous_key = _window_key(scope, key, window), _window_key(scope, key, window - 1)
    if add:
        _count_one(current_key, 2 * window_seconds + 5)
    counts = cache.get_many([current_key, previous_key])
    overlap = 1 - (now - window * window_seconds) / window_seconds
    return float(counts.get(current_key, 0)) + float(counts.get(previous_key, 0)) * overlap


def sliding_count_forget(*, scope: str, key: str, window_seconds: int) -> None:
    window = int(time.time() // window_seconds)
    cache.delete_many([_window_key(scope, key, window), _window_key(scope, key, window - 1)])
