"""Triage: the rules for settling disputed leads, each action one audited transaction.

The screen only calls this package. Every action (accept, disqualify, recycle, reassign,
escalate, note, undo) on one dispute or on a batch of marked disputes is ONE write
transaction that updates the disputes, the leads, appends to ``stage_history`` when a
lead changes stage, and appends one ``dispute_events`` row per dispute with JSON
snapshots of the dispute and lead before and after. Nothing is deleted: an undo is a new
event that compensates an earlier one (and an undo of an undo is a redo).

Optimistic concurrency: each action names the ``disputes.version`` it saw; if any
dispute has moved on, :class:`Conflict` is raised and nothing changes.

Rules are computed in Python over the rows read inside the transaction, then written
set-based (one UPDATE/INSERT per table whatever the batch size) from Arrow tables, so a
500-dispute bulk action costs about as much as a single one.

Modules: ``models`` (values and errors), ``actions`` (the table of action specs: keys,
prompts, rules, messages), ``work`` (one transaction's working set), ``decide``, ``undo``,
``disputes`` (opening one), ``reads`` (what the screen reads) and ``queue`` (the queue
the screen renders, in plain Python).
"""

from standup.triage.actions import (
    ACTIONS,
    DECISIONS,
    DISQUALIFY_KINDS,
    PAST_TENSE,
    SPEC,
    SPECS,
    ActionSpec,
    Choice,
    Prompt,
    default_fault,
    revisit_problem,
    spec,
)
from standup.triage.decide import (
    accept,
    apply,
    default_revisit,
    disqualify,
    escalate,
    note,
    reassign,
    recycle,
)
from standup.triage.disputes import dispute_kind, open_dispute
from standup.triage.models import (
    FAULT_SIDES,
    LIVE,
    Applied,
    Conflict,
    Detail,
    IllegalAction,
    NotFound,
    NothingToUndo,
    QueueRow,
    Side,
    Target,
    TriageError,
    UnknownReasonCode,
    dispute_label,
    queue_order,
)
from standup.triage.queue import Merged, Pending, TriageQueue, matches
from standup.triage.reads import (
    checkpoint,
    detail,
    owners,
    prepare_writes,
    queue,
    reason_codes,
    replay_problems,
    rows,
)
from standup.triage.undo import last_undoable, undo, undo_last

__all__ = [
    "ACTIONS",
    "DECISIONS",
    "DISQUALIFY_KINDS",
    "FAULT_SIDES",
    "LIVE",
    "PAST_TENSE",
    "SPEC",
    "SPECS",
    "ActionSpec",
    "Applied",
    "Choice",
    "Conflict",
    "Detail",
    "IllegalAction",
    "Merged",
    "NotFound",
    "NothingToUndo",
    "Pending",
    "Prompt",
    "QueueRow",
    "Side",
    "Target",
    "TriageError",
    "TriageQueue",
    "UnknownReasonCode",
    "accept",
    "apply",
    "checkpoint",
    "default_fault",
    "default_revisit",
    "detail",
    "dispute_kind",
    "dispute_label",
    "disqualify",
    "escalate",
    "last_undoable",
    "matches",
    "note",
    "open_dispute",
    "owners",
    "prepare_writes",
    "queue",
    "queue_order",
    "reason_codes",
    "reassign",
    "recycle",
    "replay_problems",
    "revisit_problem",
    "rows",
    "spec",
    "undo",
    "undo_last",
]
