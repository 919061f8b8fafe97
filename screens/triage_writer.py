"""The triage screen's writer: runs actions on one thread, in key order, and posts what
happened (DecisionApplied / DecisionRetrying / DecisionFailed) back to the screen."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from textual.message import Message

from screens.messages import DecisionApplied, DecisionFailed
from standup import triage
from standup.errors import DatabaseLocked, StandupError
from standup.triage import Applied

# How many times a write is retried when another process holds the file (each attempt
# already waits the store's own lock timeout); after that the row is left unchanged.
LOCK_ATTEMPTS = 3


# A write on the writer thread: given the callback for "committed", returns what it did.
Write = Callable[[Callable[[Applied], object]], Applied]


class DecisionRetrying(Message):
    """The file (or team server) is busy: the action stays pending and is retried."""

    def __init__(self, dispute_ids: tuple[int, ...], reason: str) -> None:
        super().__init__()
        self.dispute_ids = dispute_ids
        self.reason = reason


class Writer:
    """One thread for a screen's writes: no asyncio step before a write starts, and the
    writes land in the order the keys were pressed."""

    def __init__(self, post: Callable[[Message], object]) -> None:
        self._post = post
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="triage-write")

    def submit(self, call: Write, ids: Sequence[int], what: str, started: float) -> None:
        """Run ``call`` on the writer thread; ``started`` is when the key was pressed.

        ``call(on_committed)`` writes and calls ``on_committed(applied)`` once the change
        is committed (the core's ``on_committed``): the screen hears of it then, not after
        the dashboard facts that follow it."""
        # The copied context carries the active app, for posting after an unmount.
        context = contextvars.copy_context()
        self._pool.submit(context.run, self._run, call, tuple(ids), what, started)

    def shutdown(self) -> None:
        """Writes already queued still run (and commit); nothing new is accepted."""
        self._pool.shutdown(wait=False)

    def _run(self, call: Write, ids: tuple[int, ...], what: str, started: float) -> None:
        """Run one action; a locked file is retried, never dropped silently."""
        posted: list[Applied] = []

        def committed(applied: Applied) -> None:
            posted.append(applied)
            self._post(DecisionApplied(applied, started))

        for attempt in range(1, LOCK_ATTEMPTS + 1):
            try:
                result = call(committed)
            except DatabaseLocked as exc:
                if attempt == LOCK_ATTEMPTS:
                    reason = f"{what} failed, rows unchanged: {exc}"
                    self._post(DecisionFailed(ids, reason, conflict=False))
                    return
                # The exception says which: a file another process holds, or (team mode)
                # a server that cannot be reached right now.
                self._post(DecisionRetrying(ids, f"{what}: {exc}; retrying ({attempt})…"))
                continue
            except triage.Conflict as exc:
                self._post(DecisionFailed(ids, str(exc), conflict=True))
                return
            except StandupError as exc:
                self._post(DecisionFailed(ids, f"{what}: {exc}", conflict=False))
                return
            except Exception as exc:
                # Not a worker, so nothing else would report a bug: say it on the row's
                # status line rather than leave the row pending forever. (After the
                # commit was posted the rows are settled: only the bug is left to tell.)
                if not posted:
                    reason = f"{what} failed, rows unchanged: {exc!r}"
                    self._post(DecisionFailed(ids, reason, conflict=False))
                raise
            if not posted:  # a core that did not say it committed: it has, by now
                self._post(DecisionApplied(result, started))
            return
