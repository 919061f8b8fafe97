"""Live refresh in team mode: one LISTEN connection per process, counting commits.

Postgres triggers (``queries/pg/setup/010_notify.sql``) send a NOTIFY on channel
``standup_changed`` with every commit that changes what the screens show. A daemon
thread per database URL waits for them on its own autocommit connection (blocked in
the socket, so an idle app costs the server nothing: no polling storm) and counts them.
The screens compare the count with the one they last saw, on the same cheap timer that
watches a local file, and refresh when it moved.

When the connection drops (server restart, network), the thread reconnects with
backoff; a reconnect counts as a change, since commits may have been missed meanwhile.
"""

from __future__ import annotations

import threading
from typing import Any

import psycopg

CHANNEL = "standup_changed"


class Listener(threading.Thread):
    """Counts notifications on :data:`CHANNEL` (plus reconnects) for one database."""

    def __init__(self, url: str) -> None:
        super().__init__(name="standup-listen", daemon=True)
        self.url = url
        self.count = 0
        self.connected = False
        self.last_error: str | None = None
        self._stop = threading.Event()

    def run(self) -> None:
        delay = 0.2
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(_listen_sql())
                    if self.last_error is not None:
                        # Back after an outage: the panels' attachment went with the old
                        # server, and whatever was committed meanwhile was not heard.
                        from standup.team import scan

                        scan.forget(self.url)
                        self.count += 1
                    self.connected, self.last_error, delay = True, None, 0.2
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=1.0):
                            self.count += 1
            except psycopg.Error as exc:
                self.connected = False
                self.last_error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self._stop.wait(delay)
            delay = min(delay * 2, 5.0)

    def stop(self) -> None:
        self._stop.set()


def _listen_sql() -> Any:
    import queries

    return queries.load("pg/store/listen")


_lock = threading.Lock()
_listeners: dict[str, Listener] = {}


def listener(url: str) -> Listener:
    """The process's listener for ``url``, started on first use."""
    with _lock:
        found = _listeners.get(url)
        if found is None or not found.is_alive():
            found = Listener(url)
            found.start()
            _listeners[url] = found
        return found


def stop_all() -> None:
    """Stop every listener (tests)."""
    with _lock:
        for found in _listeners.values():
            found.stop()
        _listeners.clear()
