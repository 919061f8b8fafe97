"""The triage actions, as ONE table of specs: the key, the words, what to ask the driver
and the rule that changes the dispute and its lead.

The screen asks a spec what to prompt for (:attr:`ActionSpec.prompts`), the core asks it
what to change (:meth:`ActionSpec.decide`), and the status line's sentence comes from it
(:meth:`ActionSpec.summary`). Adding an action is adding a row here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from standup import lifecycle
from standup.triage.models import (
    FAULT_SIDES,
    LIVE,
    DisputeState,
    IllegalAction,
    LeadState,
    QueueRow,
    TriageError,
    dispute_label,
)
from standup.triage.work import Work, active_owner, default_recycle_code, reason


class Prompt(StrEnum):
    """Something the driver is asked before an action is applied, in the spec's order."""

    REASON = "reason"  # a reason code of the spec's ``reason_kinds``
    REVISIT = "revisit"  # a revisit date (proposed from the lead's reason code)
    OWNER = "owner"  # another active sales rep
    NOTE = "note"  # free text, required
    FAULT = "fault"  # whose fault: marketing / sales / data / none


@dataclass(frozen=True)
class Choice:
    """The driver's answers to the prompts (None: not asked)."""

    fault: str | None = None
    reason_code: str | None = None
    revisit_on: date | None = None
    owner_id: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class Change:
    """What a rule decided for one dispute: the lead's new state and what to record."""

    lead: LeadState
    reason_code: str | None
    note: str | None
    status: str | None = None  # a new status for a dispute that stays open


Rule = Callable[[Work, DisputeState, LeadState, Choice], Change]

# Stages a lead can be *pulled back* to sales from by accept; later stages stay where they are.
_BEFORE_SALES = ("inquiry", "mql", "recycled", "disqualified")
# Reason kinds a disqualification may give: a reject before contact or a disqualify after.
# Dispute reasons ("junk from this campaign") say why a side contested, not why the lead
# is out.
DISQUALIFY_KINDS = ("disqualify", "reject")


def _accept(work: Work, d: DisputeState, lead: LeadState, choice: Choice) -> Change:
    if lead.stage not in _BEFORE_SALES:
        return Change(lead, d.reason_code, choice.note)
    # accepted_at is when sales FIRST accepted it: a recycled lead accepted again keeps
    # its first time; it has reached sal either way
    moved = replace(
        lead,
        stage="sal",
        stage_entered_at=work.now,
        accepted_at=lead.accepted_at or work.now,
        reached_stage=lifecycle.furthest(lead.reached_stage, "sal"),
        reason_code=None,
        recycle_on=None,
    )
    return Change(moved, d.reason_code, choice.note)


def _not_customer(lead: LeadState, verb: str) -> None:
    if lead.stage == "customer":
        raise IllegalAction(f"lead {lead.lead_id} is a customer; it cannot be {verb}")


def _disqualify(work: Work, d: DisputeState, lead: LeadState, choice: Choice) -> Change:
    code = choice.reason_code
    if not code:
        raise TriageError("disqualify needs a reason code")
    if reason(work.conn, code)["kind"] not in DISQUALIFY_KINDS:
        raise IllegalAction(f"{code!r} is not a disqualify or reject reason; pick one of those")
    _not_customer(lead, "disqualified")
    out = replace(
        lead,
        stage="disqualified",
        stage_entered_at=work.now if lead.stage != "disqualified" else lead.stage_entered_at,
        reason_code=code,
        recycle_on=None,
    )
    return Change(out, code, choice.note)


def _recycle(work: Work, d: DisputeState, lead: LeadState, choice: Choice) -> Change:
    _not_customer(lead, "recycled")
    code = choice.reason_code or default_recycle_code(work.conn, lead.reason_code)
    days = reason(work.conn, code)["recycle_days"]
    today = work.now.date()
    revisit = choice.revisit_on or (today + timedelta(days=int(days or 30)))
    if revisit <= today:
        raise TriageError(f"revisit date {revisit} must be after today ({today})")
    out = replace(
        lead,
        stage="recycled",
        stage_entered_at=work.now if lead.stage != "recycled" else lead.stage_entered_at,
        reason_code=code,
        recycle_on=revisit,
    )
    return Change(out, code, choice.note)


def _reassign(work: Work, d: DisputeState, lead: LeadState, choice: Choice) -> Change:
    if choice.owner_id is None:
        raise TriageError("reassign needs an owner")
    person = active_owner(work.conn, choice.owner_id)
    if lead.owner_id == choice.owner_id:
        raise IllegalAction(f"lead {lead.lead_id} is already owned by {person['name']}")
    if lead.stage not in ("inquiry", "recycled", "disqualified"):
        return Change(replace(lead, owner_id=choice.owner_id), d.reason_code, choice.note)
    # back in front of sales: an mql again, the recycle/disqualify reason gone
    out = replace(
        lead,
        owner_id=choice.owner_id,
        stage="mql",
        stage_entered_at=work.now,
        reached_stage=lifecycle.furthest(lead.reached_stage, "mql"),
        reason_code=None,
        recycle_on=None,
    )
    return Change(out, d.reason_code, choice.note)


def _escalate(work: Work, d: DisputeState, lead: LeadState, choice: Choice) -> Change:
    if d.status == "escalated":
        raise IllegalAction(f"{dispute_label(d.dispute_id)} is already escalated")
    return Change(lead, d.reason_code, choice.note, status="escalated")


def _note(work: Work, d: DisputeState, lead: LeadState, choice: Choice) -> Change:
    if not choice.note or not choice.note.strip():
        raise TriageError("a note needs some text")
    return Change(lead, d.reason_code, choice.note.strip())


@dataclass(frozen=True)
class ActionSpec:
    """One triage action: how it is invoked, what it asks, what it changes, what it says."""

    name: str  # "accept": the audit event's action and outcome
    key: str  # the key on the triage screen (DESIGN.md's key map)
    title: str  # the footer's word
    past: str  # "accepted": the status line and the pending row
    doc: str  # one line for help
    rule: Rule
    prompts: tuple[Prompt, ...] = ()
    # A decision resolves the dispute and records fault (proposed: default_fault).
    resolves: bool = False
    default_fault: str = "none"
    reason_kinds: tuple[str, ...] = ()  # the reasons Prompt.REASON offers
    message: str = "{label} {past}"  # one dispute; {label} {past} {stage} {owner}
    # Instead of ``message`` when the lead already reads as the verb (no "disqualified →
    # disqualified").
    message_same: str = "{label}: lead {past}{owner}"

    def decide(self, work: Work, d: DisputeState, choice: Choice) -> None:
        """Apply this action to ``d`` (and its lead) in the working set, or raise."""
        if d.status not in LIVE:
            raise IllegalAction(
                f"{dispute_label(d.dispute_id)} is already resolved ({d.outcome}); "
                f"cannot {self.name} it (undo the decision first)"
            )
        side = choice.fault
        if self.resolves:
            side = side or self.default_fault
            if side not in FAULT_SIDES:
                raise TriageError(f"fault side {side!r} is not one of {', '.join(FAULT_SIDES)}")
        lead = work.leads[d.lead_id]
        change = self.rule(work, d, lead, choice)
        new_lead = change.lead if change.lead == lead else replace(change.lead, updated_at=work.now)
        if self.resolves:
            new_d = replace(
                d,
                status="resolved",
                resolved_at=work.now,
                outcome=self.name,
                fault=side,
                version=d.version + 1,
            )
        else:
            new_d = replace(d, status=change.status or d.status, version=d.version + 1)
        work.record(
            self.name,
            new_d,
            new_lead,
            outcome=self.name if self.resolves else None,
            fault=side,
            reason_code=change.reason_code,
            note=change.note,
        )

    def summary(self, rows: Sequence[QueueRow]) -> str:
        """What the status line says once the action committed."""
        if len(rows) != 1:
            return f"{len(rows)} disputes {self.past}; u to undo"
        r = rows[0]
        owner = f", owner {(r.owner or '').split(' ')[0]}" if r.owner and self.resolves else ""
        template = self.message_same if self.resolves and r.stage == self.past else self.message
        return template.format(label=r.label, past=self.past, stage=r.stage, owner=owner) + (
            "; u to undo"
        )


_DECISION = "{label} {past} → {stage}{owner}"

SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "accept", "a", "Accept", "accepted", "accept: sales works the lead",
        _accept, (Prompt.FAULT,), resolves=True, default_fault="sales", message=_DECISION,
    ),
    ActionSpec(
        "disqualify", "x", "Disqualify", "disqualified", "disqualify (asks for a reason code)",
        _disqualify, (Prompt.REASON, Prompt.FAULT), resolves=True, default_fault="marketing",
        reason_kinds=DISQUALIFY_KINDS, message=_DECISION,
    ),
    ActionSpec(
        "recycle", "r", "Recycle", "recycled",
        "recycle (asks for a revisit date, default from the reason code)",
        _recycle, (Prompt.REVISIT, Prompt.FAULT), resolves=True, default_fault="none",
        message=_DECISION,
    ),
    ActionSpec(
        "reassign", "o", "Reassign", "reassigned", "reassign to another owner (picker)",
        _reassign, (Prompt.OWNER, Prompt.FAULT), resolves=True, default_fault="data",
        message=_DECISION,
    ),
    ActionSpec("escalate", "e", "Escalate", "escalated", "escalate", _escalate),
    ActionSpec("note", "n", "Note", "noted", "add a note", _note, (Prompt.NOTE,)),
)  # fmt: skip

SPEC: dict[str, ActionSpec] = {s.name: s for s in SPECS}
ACTIONS: tuple[str, ...] = tuple(SPEC)
DECISIONS: tuple[str, ...] = tuple(s.name for s in SPECS if s.resolves)
PAST_TENSE: dict[str, str] = {s.name: s.past for s in SPECS} | {"undo": "undone"}


def spec(action: str) -> ActionSpec:
    """The spec of ``action``, or TriageError for an unknown one."""
    try:
        return SPEC[action]
    except KeyError:
        raise TriageError(f"unknown triage action {action!r}") from None


def default_fault(action: str, raised_by: str) -> str:
    """The fault side proposed for a decision (the driver may pick another).

    Accepting means the lead deserved sales' work (sales at fault for rejecting or
    sitting on it); disqualifying means marketing passed a lead that was not ready;
    recycling is nobody's fault yet; reassigning means the routing data was wrong.
    """
    del raised_by  # same proposal whichever side raised it; kept for future rules
    found = SPEC.get(action)
    return found.default_fault if found is not None else "none"


def revisit_problem(text: str, today: date) -> str | None:
    """Why ``text`` is not a usable revisit date (None when it is): the recycle dialog
    stays open with this message instead of closing on a typo."""
    try:
        revisit = date.fromisoformat(text.strip())
    except ValueError:
        return f"{text.strip()!r} is not a date: write YYYY-MM-DD"
    if revisit <= today:
        return f"{revisit} is not after today ({today}): pick a later date"
    return None
