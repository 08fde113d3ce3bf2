"""Fixed-window rate limits on the shared cache (Redis in production): for anonymous writes, and for
authenticated operations that could be used to probe (e.g. inviting 经办人 by mobile number)."""

from __future__ import annotations

import time

from django.core.cache import cache

from digigov.core.errors import TooManyRequests

DEFAULT_MESSAGE = "操作过于频繁，请稍后再试"


def rate_limit(*, scope: str, key: str, limit: int, window_seconds: int, message: str = DEFAULT_MESSAGE) -> None:
    """Count one attempt; raise TooManyRequests (with message) once the limit for this window is used up."""
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
        raise TooManyRequests(message)
