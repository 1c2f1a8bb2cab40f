"""A fixed-window rate limit in the shared cache (the database cache: every web worker counts in the
same place, so the limit holds whatever the number of processes)."""

import time

from django.core.cache import cache


def rate_limit_hit(key: str, *, limit: int, window: int) -> int:
    """Count one hit for `key`; 0 when it is within `limit` per `window` seconds, else the seconds to wait."""
    slot = int(time.time() // window)
    name = f"rl:{key}:{slot}"
    if cache.add(name, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.set(name, 1, timeout=window + 1)
            count = 1
    if count > limit:
        return int(window - time.time() % window) + 1
    return 0


def client_address(request) -> str:
    # Behind the reverse proxy, gunicorn's --forwarded-allow-ips puts the client in REMOTE_ADDR (see
    # README, production); X-Forwarded-For is not read here since anyone can send it.
    return request.META.get("REMOTE_ADDR", "unknown")
