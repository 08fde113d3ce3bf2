"""Fixed-window rate limits on the shared cache (Redis in production), for unauthenticated writes."""

from __future__ import annotations

import time

from django.core.cache import cache

from digigov.core.errors import TooManyRequests


def rate_limit(*, scope: str, key: str, limit: int, window_seconds: int) -> None:
    """Count one attempt; raise TooManyRequests once the limit for this window is used up."""
    window = int(time.time() // window_seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    if cache.add(cache_key, 1, timeout=window_seconds + 5):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=window_seconds + 5)
            count = 1
    if count > limit:
        raise TooManyRequests("操作过于频繁，请稍后再试")


def _window_key(scope: str, key: str, window: int) -> str:
    return f"slidingcount:{scope}:{key}:{window}"


def sliding_count(*, scope: str, key: str, window_seconds: int, add: bool = False) -> float:
    """Events for a key over the last window_seconds (the current fixed window plus the previous one weighted by
    how much of it still overlaps: the usual sliding-window estimate), after counting one more when `add`.

    Counts live in the shared cache for two windows; a lost cache forgets them, which only ever relaxes a limit.
    """
    now = time.time()
    window = int(now // window_seconds)
    current_key = _window_key(scope, key, window)
    if add and not cache.add(current_key, 1, timeout=2 * window_seconds + 5):
        try:
            cache.incr(current_key)
        except ValueError:  # expired between add and incr
            cache.add(current_key, 1, timeout=2 * window_seconds + 5)
        # Some backends (the file cache) re-store on incr with the default expiry: put the window's back.
        cache.touch(current_key, timeout=2 * window_seconds + 5)
    counts = cache.get_many([current_key, _window_key(scope, key, window - 1)])
    overlap = 1 - (now - window * window_seconds) / window_seconds
    return float(counts.get(current_key, 0)) + float(counts.get(_window_key(scope, key, window - 1), 0)) * overlap


def sliding_count_forget(*, scope: str, key: str, window_seconds: int) -> None:
    window = int(time.time() // window_seconds)
    cache.delete_many([_window_key(scope, key, window), _window_key(scope, key, window - 1)])
