"""psycopg-pool connection pools for team mode, one per process and URL."""

from __future__ import annotations

import logging
import os
import threading
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg_pool

# The pool reports failed connection attempts through logging; unhandled, Python prints
# them on stderr, over the app's screen. The store reports them itself (unavailable).
logging.getLogger("psycopg.pool").addHandler(logging.NullHandler())

_pools_lock = threading.Lock()
_pools: dict[tuple[int, str], psycopg_pool.ConnectionPool[Any]] = {}


def pool_for(url: str, timeout: float) -> psycopg_pool.ConnectionPool[Any]:
    """The process's pool for ``url`` (a forked child opens its own)."""
    key = (os.getpid(), url)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = psycopg_pool.ConnectionPool(
                url,
                min_size=1,
                max_size=4,
                timeout=timeout,
                # A connection the server dropped (restart, network) is found out before
                # it is handed to a unit of work, not halfway through one.
                check=psycopg_pool.ConnectionPool.check_connection,
                kwargs={"connect_timeout": max(1, int(timeout)), "application_name": "standup"},
                open=False,
            )
            _pools[key] = pool
    return pool


def close_pools() -> None:
    """Close every pool this process opened (tests, and the app on quit)."""
    with _pools_lock:
        pools = [p for (pid, _), p in _pools.items() if pid == os.getpid()]
        _pools.clear()
    for pool in pools:
        pool.close()


def redact_url(url: str) -> str:
    """``url`` without its password, for status lines and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))
