"""The values triage hands out and works on: errors, targets, queue rows, results, and
the dispute/lead states one transaction reads, changes in memory and snapshots."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any, Literal

from standup.errors import StandupError
from standup.fmt import lead_ref

Side = Literal["marketing", "sales", "data", "none"]
FAULT_SIDES: tuple[str, ...] = ("marketing", "sales", "data", "none")
LIVE = ("open", "escalated")


class TriageError(StandupError):
    """A triage action that cannot be applied; nothing was changed."""


class Conflict(TriageError):
    """Someone else changed the dispute since it was read; reload and decide again."""


class IllegalAction(TriageError):
    """The action is not allowed in the dispute's or lead's current state."""


class UnknownReasonCode(TriageError):
    """The reason code is not in the reason_codes table (or is retired)."""


class NotFound(TriageError):
    """No such dispute, lead or person."""


class NothingToUndo(TriageError):
    """There is no triage action to undo."""


def dispute_label(dispute_id: int) -> str:
    """``D-<id>``, the form used in the queue and status line."""
    return f"D-{dispute_id}"


@dataclass(frozen=True)
class Target:
    """A dispute to act on, and the version the user saw."""

    dispute_id: int
    version: int


@dataclass(frozen=True)
class QueueRow:
    """One dispute as the triage queue shows it."""

    dispute_id: int
    version: int
    status: str
    raised_by: str
    kind: str
    reason_code: str
    claim: str
    opened_at: datetime
    opened_by: str | None
    due_at: datetime
    overdue: bool
    lead_id: int
    company: str | None
    contact_name: str | None
    stage: str
    owner_id: int | None
    owner: str | None
    campaign_id: int | None
    campaign: str | None
    score: int | None
    external_id: str | None = None  # the lead's CRM id

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> QueueRow:
        """The row from a mapping of column name to value (extra columns are ignored)."""
        return cls(**{name: values[name] for name in _QUEUE_FIELDS if name in values})

    @property
    def label(self) -> str:
        """The id the room says out loud: ``D-1042``."""
        return dispute_label(self.dispute_id)

    @property
    def ref(self) -> str:
        """The lead as the room finds it in the CRM: its CRM id, else ``#<lead id>``."""
        return lead_ref(self.external_id, self.lead_id)

    @property
    def live(self) -> bool:
        """Still in the queue (open or escalated)."""
        return self.status in LIVE


_QUEUE_FIELDS = tuple(f.name for f in fields(QueueRow))


def queue_order(row: QueueRow) -> tuple[bool, datetime, int]:
    """THE queue order, everywhere: overdue first, then oldest, then by id."""
    return (not row.overdue, row.opened_at, row.dispute_id)


@dataclass(frozen=True)
class Applied:
    """What one committed action did: its audit events and the disputes' new rows."""

    action: str
    event_ids: tuple[int, ...]
    batch_id: str | None
    rows: tuple[QueueRow, ...]
    summary: str


@dataclass(frozen=True)
class Detail:
    """Everything the detail pane shows about one dispute's lead."""

    lead: dict[str, Any]
    disputes: list[dict[str, Any]]
    timeline: list[tuple[datetime | None, str, str]]  # None: a move at an unknown time
    deals: list[dict[str, Any]] = field(default_factory=list)  # with their CRM ids


# -- the states a transaction works on ---------------------------------------------------

DISPUTE_FIELDS = ("status", "resolved_at", "outcome", "fault", "version")
LEAD_FIELDS = (
    "stage",
    "owner_id",
    "reason_code",
    "recycle_on",
    "stage_entered_at",
    "accepted_at",
    "reached_stage",
    "updated_at",
)


def jsonable(value: Any) -> Any:
    """``value`` as JSON can hold it (dates and times as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class DisputeState:
    """A dispute's triage fields, as read in the transaction."""

    dispute_id: int
    lead_id: int
    raised_by: str
    kind: str
    reason_code: str
    status: str
    resolved_at: datetime | None
    outcome: str | None
    fault: str | None
    version: int

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> DisputeState:
        """The state from a row read by column name."""
        return cls(**{name: values[name] for name in _DISPUTE_STATE})

    def snapshot(self) -> dict[str, Any]:
        """What the audit event records of the dispute (JSON-ready)."""
        return {name: jsonable(getattr(self, name)) for name in DISPUTE_FIELDS}

    def restored(self, snap: dict[str, Any]) -> DisputeState:
        """This dispute as ``snap`` (an audit snapshot) recorded it."""
        return replace(
            self,
            status=snap["status"],
            resolved_at=_ts(snap["resolved_at"]),
            outcome=snap["outcome"],
            fault=snap["fault"],
            version=int(snap["version"]),
        )


@dataclass(frozen=True)
class LeadState:
    """A lead's triage fields, as read in the transaction."""

    lead_id: int
    stage: str
    owner_id: int | None
    reason_code: str | None
    recycle_on: date | None
    stage_entered_at: datetime | None  # NULL: an import did not know it
    accepted_at: datetime | None
    reached_stage: str | None  # furthest main-path stage (migration 010)
    updated_at: datetime

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> LeadState:
        """The state from a row read by column name."""
        return cls(**{name: values[name] for name in _LEAD_STATE})

    def snapshot(self) -> dict[str, Any]:
        """What the audit event records of the lead (JSON-ready)."""
        return {name: jsonable(getattr(self, name)) for name in LEAD_FIELDS}

    def same_as(self, other: LeadState) -> bool:
        """Equal in everything but ``updated_at`` (which only says when it last changed)."""
        return replace(self, updated_at=other.updated_at) == other

    def restored(self, snap: dict[str, Any]) -> LeadState:
        """This lead as ``snap`` (an audit snapshot) recorded it."""
        updated = _ts(snap["updated_at"])
        assert updated is not None
        return replace(
            self,
            stage=snap["stage"],
            owner_id=snap["owner_id"],
            reason_code=snap["reason_code"],
            recycle_on=date.fromisoformat(snap["recycle_on"]) if snap["recycle_on"] else None,
            stage_entered_at=_ts(snap["stage_entered_at"]),
            accepted_at=_ts(snap["accepted_at"]),
            # snapshots written before migration 010 have no reached_stage: leave it be
            reached_stage=snap.get("reached_stage", self.reached_stage),
            updated_at=updated,
        )


_DISPUTE_STATE = tuple(f.name for f in fields(DisputeState))
_LEAD_STATE = tuple(f.name for f in fields(LeadState))
