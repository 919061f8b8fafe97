"""What an action asks before it is applied, driven by its spec's ``prompts``: one
question per :class:`standup.triage.Prompt`, answers gathered into a ``Choice``. Picks
from a list are asked in the screen's status line
(:class:`~screens.widgets.question_line.QuestionLine`: no screen to push and pop on the key
path); free text in a dialog."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from textual.app import App

from screens.widgets.pickers import TextModal
from screens.widgets.question_line import QuestionLine
from standup import triage
from standup.triage import ActionSpec, Choice, Prompt, QueueRow

FAULT_CHOICES = [
    ("marketing", "marketing — the lead or its data was not ready"),
    ("sales", "sales — the lead deserved (faster) work"),
    ("data", "data — routing, duplicates, bad fields"),
    ("none", "none — nobody's fault"),
]
FAULT_KEYS = {"m": "marketing", "s": "sales", "d": "data", "n": "none"}


class Cancelled(Exception):
    """The driver closed a prompt: nothing is applied; ``str()`` is the status line."""


@dataclass(frozen=True)
class Asking:
    """What the prompts of one action need to know."""

    app: App[Any]
    line: QuestionLine  # where picks are asked (the screen's status line)
    spec: ActionSpec
    targets: list[QueueRow]
    reasons: list[tuple[str, str, str, int | None]]  # (code, kind, label, recycle_days)
    owners: list[tuple[int, str]]
    today: date
    # The (reason code, revisit date) recycle proposes, read off the UI thread.
    proposal: Callable[[QueueRow], Awaitable[tuple[str, date]]]

    @property
    def who(self) -> str:
        """``D-12`` or ``3 disputes``: what the prompts' titles name."""
        return self.targets[0].label if len(self.targets) == 1 else f"{len(self.targets)} disputes"


async def _reason(ask: Asking) -> dict[str, Any]:
    options = [
        (code, f"{code} — {label}")
        for code, kind, label, _ in ask.reasons
        if kind in ask.spec.reason_kinds
    ]
    title = f"{ask.spec.title} {ask.who}: reason code"
    code = await ask.line.ask(title, options, filterable=True)
    if code is None:
        raise Cancelled(f"{ask.spec.title} cancelled")
    return {"reason_code": code}


async def _revisit(ask: Asking) -> dict[str, Any]:
    code, proposed = await ask.proposal(ask.targets[0])
    today = ask.today
    text = await ask.app.push_screen_wait(
        TextModal(
            f"{ask.spec.title} {ask.who}: revisit on (YYYY-MM-DD, default from reason {code})",
            initial=proposed.isoformat(),
            validate=lambda text: triage.revisit_problem(text, today),
        )
    )
    if text is None:
        raise Cancelled(f"{ask.spec.title} cancelled")
    return {"revisit_on": date.fromisoformat(text.strip()), "reason_code": code}


async def _owner(ask: Asking) -> dict[str, Any]:
    current = ask.targets[0].owner_id
    options = [(str(pid), name) for pid, name in ask.owners if pid != current]
    title = f"{ask.spec.title} {ask.who} to"
    picked = await ask.line.ask(title, options, filterable=True)
    if picked is None:
        raise Cancelled(f"{ask.spec.title} cancelled")
    return {"owner_id": int(picked)}


async def _note(ask: Asking) -> dict[str, Any]:
    text = await ask.app.push_screen_wait(TextModal(f"{ask.spec.title} on {ask.who}"))
    if text is None or not text.strip():
        raise Cancelled(f"{ask.spec.title} cancelled (empty)")
    return {"note": text}


async def _fault(ask: Asking) -> dict[str, Any]:
    default = triage.default_fault(ask.spec.name, ask.targets[0].raised_by)
    fault = await ask.line.ask(
        f"{ask.spec.title} {ask.who}: whose fault? (m/s/d/n)",
        FAULT_CHOICES,
        default=default,
        shortcuts=FAULT_KEYS,
        hint=f"enter = {default} · m s d n pick · esc cancel",
    )
    if fault is None:
        raise Cancelled(f"{ask.spec.title} cancelled")
    return {"fault": fault}


_ASK: dict[Prompt, Callable[[Asking], Awaitable[dict[str, Any]]]] = {
    Prompt.REASON: _reason,
    Prompt.REVISIT: _revisit,
    Prompt.OWNER: _owner,
    Prompt.NOTE: _note,
    Prompt.FAULT: _fault,
}


async def ask_for(ask: Asking) -> Choice:
    """Ask every prompt of the action in order; :class:`Cancelled` if one is closed."""
    answers: dict[str, Any] = {}
    for prompt in ask.spec.prompts:
        answers.update(await _ASK[prompt](ask))
    return Choice(**answers)
