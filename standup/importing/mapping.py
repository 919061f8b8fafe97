"""The mapping file: how a CRM export's columns and values become standup's schema.

A mapping is TOML, validated with pydantic so a typo is a one-line error naming the key.
It has one optional section per standup table (``people``, ``campaigns``, ``leads``,
``deals``, ``touches``), each with ``columns`` (standup column -> source column, or a list
of source columns joined with a space), ``values`` (per standup column, source value ->
standup value; ``""`` means empty), ``defaults`` (used when the source cell is empty) and
``detect`` (source columns whose presence marks a file as this table's). Ready mappings
for HubSpot and Salesforce ship in ``standup/importing/mappings/`` and are selected by
name (``--mapping hubspot``).
"""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from standup.errors import StandupError

LEAD_STAGES = (
    "inquiry",
    "mql",
    "sal",
    "sql",
    "opportunity",
    "customer",
    "recycled",
    "disqualified",
)
DEAL_STAGES = ("qualification", "proposal", "negotiation", "won", "lost")
TEAMS = ("sales", "marketing", "revops")

# Every standup column a mapping may fill, per table, in the order staging tables use.
COLUMNS: dict[str, tuple[str, ...]] = {
    "people": ("external_id", "name", "email", "team", "title", "active"),
    "campaigns": (
        "external_id", "name", "channel", "owner", "started_on", "ended_on", "spend",
    ),
    "leads": (
        "external_id", "company", "contact_name", "email", "owner", "campaign", "score",
        "stage", "created_at", "stage_entered_at", "mql_at", "accepted_at",
        "first_contact_at", "last_touch_at", "reason_code", "recycle_on",
        # Milestones (migration 010): when the lead first reached sql / opportunity / customer.
        "sql_at", "opportunity_at", "customer_at",
        # Only used as the channel of a campaign created by ``create_campaigns``.
        "channel",
    ),
    "deals": (
        "external_id", "lead", "name", "owner", "stage", "amount", "created_at",
        "stage_entered_at", "last_touch_at", "expected_close", "closed_at",
        # Only used to build the lead when ``create_leads`` derives one per deal.
        "company", "contact_name", "email", "campaign",
    ),
    "touches": ("lead", "person", "kind", "touched_at", "note"),
}  # fmt: skip

# Tables in the order they are staged and written: references point backwards.
TABLES: tuple[str, ...] = ("people", "campaigns", "leads", "deals", "touches")

# Columns whose mapped values must land in a fixed set.
ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("leads", "stage"): LEAD_STAGES,
    ("deals", "stage"): DEAL_STAGES,
    ("people", "team"): TEAMS,
}

# Without these a row cannot be stored (the key, or a NOT NULL column with no default).
REQUIRED: dict[str, tuple[str, ...]] = {
    "people": ("external_id", "name"),
    "campaigns": ("name",),
    "leads": ("external_id", "stage"),
    "deals": ("external_id", "stage"),
    "touches": ("lead", "kind", "touched_at"),
}

DEFAULT_DATE_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%Y-%m-%d",
]
DEFAULT_NULL_VALUES = ["", "Select", "--", "N/A", "null"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeriveRule(_Strict):
    """One rule of a derived column: when every named source column holds its value
    (case-insensitive, trimmed; ``""`` means empty), the column is ``then``. Rules are
    tried in order; ``when = {}`` matches every row (a catch-all, put it last)."""

    when: dict[str, str] = Field(default_factory=dict)
    then: str


class Lookup(_Strict):
    """A column looked up in another file: the row's ``key`` source column is matched
    (case-insensitive, trimmed) against that file's ``match`` column and its ``value``
    column is used where the row's own column is empty. ``file`` is relative to the
    mapping file."""

    file: str
    key: str
    match: str
    value: str


class ReasonCode(_Strict):
    """A reason code added (or updated) by an import: see the ``reason_codes`` table."""

    code: str
    kind: Literal["reject", "disqualify", "dispute", "recycle"]
    category: str = "custom"
    label: str = ""
    default_action: Literal[
        "reroute", "return_to_marketing", "recycle", "disqualify", "fix_data", "accept"
    ] = "disqualify"
    recycle_days: int | None = Field(default=None, gt=0)


class TableMapping(_Strict):
    """How one standup table is filled from one kind of export file."""

    table: ClassVar[str] = ""

    columns: dict[str, str | list[str]] = Field(default_factory=dict)
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    defaults: dict[str, str] = Field(default_factory=dict)
    detect: list[str] = Field(default_factory=list)
    # leads: a campaign named (only) in the campaign column becomes a campaign row.
    create_campaigns: bool = False
    # deals: a deal-only export creates one lead per deal (stage follows the deal).
    create_leads: bool = False
    # campaigns, leads, deals, touches: an owner named only in the owner column (a CRM
    # export names its reps but has no people file) becomes a person of ``owner_team``
    # (default: marketing for campaign owners, else sales).
    create_owners: bool = False
    owner_team: str | None = None
    # A standup column computed from source columns by ordered rules (see DeriveRule).
    derive: dict[str, list[DeriveRule]] = Field(default_factory=dict)
    # A standup column looked up in another file (see Lookup).
    lookup: dict[str, Lookup] = Field(default_factory=dict)
    # deals: what a deal closing lost does to its lead (when the lead has no open or won
    # deal left): "disqualified" moves it there, "keep" leaves its stage alone.
    lost_lead_stage: Literal["disqualified", "keep"] = "disqualified"

    def source_columns(self) -> list[str]:
        """Every source column this section reads, in mapping order."""
        found: list[str] = []
        for source in self.columns.values():
            found.extend([source] if isinstance(source, str) else source)
        for rules in self.derive.values():
            found.extend(name for rule in rules for name in rule.when if name not in found)
        found.extend(lk.key for lk in self.lookup.values() if lk.key not in found)
        return found

    def owner_team_or_default(self, table: str) -> str:
        """The team of people created from this section's owner column."""
        return self.owner_team or ("marketing" if table == "campaigns" else "sales")

    def detect_columns(self) -> list[str]:
        """The header names that identify this table's file: ``detect`` or all sources."""
        return self.detect or self.source_columns()


def _check_table(name: str, section: TableMapping) -> None:
    allowed = COLUMNS[name]
    for kind, keys in (
        ("columns", section.columns),
        ("values", section.values),
        ("defaults", section.defaults),
        ("derive", section.derive),
        ("lookup", section.lookup),
    ):
        for key in keys:
            if key not in allowed:
                raise ValueError(
                    f"{name}.{kind}.{key}: not a standup {name} column "
                    f"(one of: {', '.join(allowed)})"
                )
    for column, mapping in section.values.items():
        allowed_values = ENUMS.get((name, column))
        if allowed_values is None:
            continue
        for source, target in mapping.items():
            if target and target not in allowed_values:
                raise ValueError(
                    f"{name}.values.{column}.{source!r}: {target!r} is not a {name} {column} "
                    f"(one of: {', '.join(allowed_values)})"
                )
    for column, value in section.defaults.items():
        allowed_values = ENUMS.get((name, column))
        if allowed_values and value not in allowed_values:
            raise ValueError(f"{name}.defaults.{column}: {value!r} is not one of {allowed_values}")
    if section.create_campaigns and name != "leads":
        raise ValueError(f"{name}.create_campaigns: only leads can create campaigns")
    if section.create_leads and name != "deals":
        raise ValueError(f"{name}.create_leads: only deals can create leads")
    if section.create_owners and name == "people":
        raise ValueError(f"{name}.create_owners: people have no owner column")
    if section.owner_team is not None and section.owner_team not in TEAMS:
        raise ValueError(f"{name}.owner_team: {section.owner_team!r} is not one of {TEAMS}")
    if name not in ("leads", "deals") and (section.derive or section.lookup):
        raise ValueError(f"{name}: derive and lookup are for leads and deals")
    for column in section.derive:
        if column in section.columns:
            raise ValueError(f"{name}.derive.{column}: also in columns (derive it or map it)")
    for required in REQUIRED[name]:
        given = section.columns, section.defaults, section.derive
        if all(required not in keys for keys in given):
            raise ValueError(f"{name}.columns.{required}: required (map it or give a default)")


class Mapping(_Strict):
    """A whole mapping file."""

    name: str = "custom"
    description: str = ""
    date_formats: list[str] = Field(default_factory=lambda: list(DEFAULT_DATE_FORMATS))
    null_values: list[str] = Field(default_factory=lambda: list(DEFAULT_NULL_VALUES))
    people: TableMapping | None = None
    campaigns: TableMapping | None = None
    leads: TableMapping | None = None
    deals: TableMapping | None = None
    touches: TableMapping | None = None
    # Reason codes this mapping adds to the database (the CRM's own dispositions).
    reason_codes: list[ReasonCode] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Mapping:
        if not any(self.section(name) for name in TABLES):
            raise ValueError(f"no table sections (give at least one of: {', '.join(TABLES)})")
        for name in TABLES:
            section = self.section(name)
            if section is not None:
                _check_table(name, section)
        return self

    def section(self, table: str) -> TableMapping | None:
        """The mapping for ``table``, if the file has one."""
        value: TableMapping | None = getattr(self, table)
        return value

    def tables(self) -> list[str]:
        """The tables this mapping can fill, in write order."""
        return [name for name in TABLES if self.section(name) is not None]


def bundled() -> dict[str, str]:
    """Name -> TOML text of every mapping shipped with standup."""
    root = files(__package__) / "mappings"
    return {
        entry.name.removesuffix(".toml"): entry.read_text(encoding="utf-8")
        for entry in root.iterdir()
        if entry.name.endswith(".toml")
    }


def load_mapping(spec: str | Path | None) -> Mapping:
    """Load a mapping by bundled name (``hubspot``) or path; ``None`` means standup's own columns.

    Raises :class:`MappingError` with one line naming the file and key on any problem.
    """
    if spec is None:
        spec = "standup"
    text: str
    where = str(spec)
    shipped = bundled()
    if str(spec) in shipped:
        text = shipped[str(spec)]
        where = f"{spec} (bundled)"
    else:
        path = Path(spec)
        if not path.exists():
            raise MappingError(
                f"mapping {spec}: no such file or bundled mapping "
                f"(bundled: {', '.join(sorted(shipped))})"
            )
        text = path.read_text(encoding="utf-8-sig")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"mapping {where}: not valid TOML: {exc}") from None
    try:
        mapping = Mapping.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        # Drop pydantic's union-member tags (``str``, ``list[str]``): the key path is enough.
        parts = [str(p) for p in first["loc"] if str(p) != "str" and not str(p).startswith("list[")]
        loc = ".".join(parts)
        message = first["msg"].removeprefix("Value error, ")
        key = f"{loc}: " if loc else ""
        raise MappingError(f"mapping {where}: {key}{message}") from None
    base = Path(spec).parent if where == str(spec) else Path.cwd()
    return _resolve_lookups(mapping, base)


def _resolve_lookups(mapping: Mapping, base: Path) -> Mapping:
    """Lookup files named relative to the mapping file, made absolute."""
    update = {}
    for table in ("leads", "deals"):
        section = mapping.section(table)
        if section is None or not section.lookup:
            continue
        lookups = {
            column: lk.model_copy(update={"file": str((base / lk.file).resolve())})
            for column, lk in section.lookup.items()
        }
        update[table] = section.model_copy(update={"lookup": lookups})
    return mapping.model_copy(update=update) if update else mapping


class MappingError(StandupError):
    """The mapping file is missing, not TOML, or names an unknown key or value."""
