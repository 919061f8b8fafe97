"""``standup check``: what in the data would make the wall tell a false story.

Real CRM exports have gaps the import cannot invent away (issue 12): rows without dates,
leads whose stage is past a milestone nobody dated, won deals that never moved their
lead, leads handed to sales without an owner or a campaign, deals without amounts, and
the one deal typed with three extra zeros. :func:`run_checks` finds them with two
few statements (``queries/check/``: one pass over leads, one over deals, and the
leads against their deals from the small sides) and returns every
finding with its count and a few example CRM ids, so someone can fix them in the CRM.

The dashboard shows a one-line summary (:func:`warning_line`) when something is off. It
is computed in the refresh worker, but the counts alone cost ~0.2 s of CPU at 1M leads,
more than a whole refresh may spend (60 ms): :func:`dashboard_report` remembers the
result per database and per state of the stored dashboard facts (their watermark, and
the rows of ``fact_totals``, to which every writer that keeps them in step appends) and
rechecks changed data at most every
:data:`RECHECK_SECONDS`; the launch refresh skips it (the first frame never waits).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import queries
from standup.fmt import lead_ref
from standup.lifecycle import sql_params
from standup.store import Connection, Store, run, run_for_ids, run_text

EXAMPLES = 3  # CRM ids listed per finding
OUTLIER_FACTOR = 100  # an amount this many times the median is an outlier
# the dashboard rechecks changed data at most this often; data written by another tool
# (dashboard facts computed live, no watermark to compare) at most every LIVE_EVERY_SECONDS
RECHECK_SECONDS = 30.0
LIVE_EVERY_SECONDS = 60.0
# the finding's noun: the first lead(s) / deal(s) / customer(s) of its phrase
_NOUN = re.compile(r"\b(lead|deal|customer)(s?)\b")


@dataclass(frozen=True)
class Finding:
    """One kind of problem: how many rows have it, and a few of them by CRM id."""

    code: str  # stable name, e.g. "leads.no_created_at"
    table: str  # leads / deals
    count: int
    what: str  # plural phrase after the count: "leads without a created date"
    why: str  # what it does to the numbers on the wall
    examples: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """``5,679 leads without a created date``."""
        return f"{self.count:,} {self.what}"


@dataclass(frozen=True)
class Report:
    """Every check run: the findings (count > 0) and how many rows were looked at."""

    findings: list[Finding]
    checked: list[str]  # codes of every check, found or not
    median_amount: float | None = None
    # time.monotonic() when the checks ran (a remembered report keeps it); not compared
    checked_at: float = field(default=0.0, compare=False)

    @property
    def clean(self) -> bool:
        """True when no check found anything."""
        return not self.findings

    def as_json(self) -> dict[str, Any]:
        """The report as plain data (``standup check --format json``)."""
        return {
            "clean": self.clean,
            "findings": [asdict(f) | {"text": f.text} for f in self.findings],
            "checked": self.checked,
            "median_amount": self.median_amount,
        }


# (code, what, why) in the order the statements return them, two columns each.
LEAD_CHECKS: tuple[tuple[str, str, str], ...] = (
    (
        "leads.no_created_at",
        "leads without a created date",
        "left out of 'new since', lead ages and cohorts",
    ),
    (
        "leads.no_stage_entered_at",
        "leads without a stage-entered date",
        "no SLA clock: never counted as stalled",
    ),
    (
        "leads.no_mql_at",
        "leads past MQL without an MQL date",
        "counted as MQLs, left out of time-based MQL measures",
    ),
    (
        "leads.no_accepted_at",
        "leads past SAL without an accepted date",
        "counted as accepted, left out of speed-to-accept",
    ),
    (
        "leads.no_sql_at",
        "leads past SQL without an SQL date",
        "counted as SQLs, left out of time-based measures",
    ),
    (
        "leads.no_opportunity_at",
        "leads past opportunity without an opportunity date",
        "left out of pipeline-created and cycle-length figures",
    ),
    (
        "leads.no_customer_at",
        "customers without a customer date",
        "left out of sales-cycle length and won-this-period",
    ),
    (
        "leads.no_owner",
        "leads handed to sales without an owner",
        "nobody's queue: shown as unassigned",
    ),
    (
        "leads.no_campaign",
        "leads without a campaign",
        "missing from the campaign scoreboard",
    ),
)
# Leads against their deals (check/lead_deals.sql): a count and examples each.
LEAD_DEAL_CHECKS: tuple[tuple[str, str, str], ...] = (
    (
        "leads.won_not_customer",
        "leads with a won deal that are not customers",
        "revenue without a customer: the funnel undercounts Customer",
    ),
    (
        "leads.customer_without_won",
        "customers without a won deal",
        "customers with no revenue behind them",
    ),
)
DEAL_CHECKS: tuple[tuple[str, str, str], ...] = (
    (
        "deals.no_created_at",
        "deals without a created date",
        "left out of pipeline created and cycle length",
    ),
    (
        "deals.no_closed_at",
        "closed deals without a closed date",
        "left out of revenue by period and the goal",
    ),
    (
        "deals.no_amount",
        "open or won deals without an amount",
        "pipeline and revenue count them as 0",
    ),
    (
        "deals.larger_than_all_others",
        "deal larger than all other deals combined",
        "one deal decides every money figure: check it for a typo",
    ),
    (
        "deals.amount_outliers",
        f"deals over {OUTLIER_FACTOR}× the median amount",
        "likely typos or other currencies: they swamp averages and totals",
    ),
)


def run_checks(conn: Connection, examples: int = EXAMPLES) -> Report:
    """Every data-quality check on an open (read-only) connection.

    ``examples``: CRM ids listed per finding; 0 counts only (the dashboard's line, about
    a third of the cost at 1M leads).
    """
    lead_counts = _spliced(conn, "check/lead_counts", sql_params()).fetchone()
    deal_counts = _spliced(conn, "check/deal_counts", _DEAL_PARAMS).fetchone()
    assert lead_counts is not None and deal_counts is not None  # aggregates: one row
    median = deal_counts[len(DEAL_CHECKS)]
    lead_ids: tuple[Any, ...] = (None,) * len(LEAD_CHECKS)
    deal_ids: tuple[Any, ...] = (None,) * len(DEAL_CHECKS)
    if examples > 0 and any(lead_counts):
        found = _spliced(
            conn, "check/lead_examples", {"examples": examples, **sql_params()}
        ).fetchone()
        lead_ids = found or lead_ids
    if examples > 0 and any(deal_counts[: len(DEAL_CHECKS)]):
        found = _spliced(
            conn, "check/deal_examples", {"examples": examples, **_DEAL_PARAMS}
        ).fetchone()
        deal_ids = found or deal_ids
    # min(x, n) wants n >= 1: with no examples wanted, the ids are dropped below
    pairs = run(conn, "check/lead_deals", {"examples": max(examples, 1)}).fetchone()
    assert pairs is not None
    linked_counts, linked_ids = pairs[0::2], pairs[1::2] if examples > 0 else (None, None)
    lead_refs = _refs(conn, "check/lead_refs", "@lead_ids", lead_ids + tuple(linked_ids))
    deal_refs = _refs(conn, "check/deal_refs", "@deal_ids", deal_ids)
    findings = _findings("leads", LEAD_CHECKS, lead_counts, lead_ids, lead_refs)
    findings += _findings("leads", LEAD_DEAL_CHECKS, linked_counts, linked_ids, lead_refs)
    findings += _findings("deals", DEAL_CHECKS, deal_counts, deal_ids, deal_refs)
    return Report(
        findings=findings,
        checked=[code for code, _, _ in LEAD_CHECKS + LEAD_DEAL_CHECKS + DEAL_CHECKS],
        median_amount=float(median) if median is not None else None,
        checked_at=time.monotonic(),
    )


_DEAL_PARAMS = {"outlier_factor": OUTLIER_FACTOR}


def _spliced(conn: Connection, name: str, params: dict[str, Any]) -> Connection:
    """Run ``queries/<name>.sql`` with its flags statement (static SQL of ours) spliced in,
    so every rule is written once for the counts and the examples."""
    sql = queries.load(name)
    sql = sql.replace("@lead_flags", queries.load("check/lead_flags"))
    sql = sql.replace("@deal_flags", queries.load("check/deal_flags"))
    return run_text(conn, name, sql, params)


def _refs(conn: Connection, name: str, token: str, id_lists: tuple[Any, ...]) -> dict[int, str]:
    """CRM ids of the example rows, by id: the external id, else ``#<id>``."""
    ids = sorted({int(i) for ids in id_lists if ids for i in ids})
    if not ids:
        return {}
    rows = run_for_ids(conn, name, None, ids, token=token).fetchall()
    found = {int(r[0]): r[1] for r in rows}
    return {i: lead_ref(found.get(i), i) for i in ids}


def _findings(
    table: str,
    checks: tuple[tuple[str, str, str], ...],
    counts: tuple[Any, ...],
    ids: tuple[Any, ...],
    refs: dict[int, str],
) -> list[Finding]:
    out = []
    for (code, what, why), count, examples in zip(checks, counts, ids, strict=False):
        if count:
            if count == 1:  # "1 lead without ...", "1 closed deal without ..."
                what = _NOUN.sub(lambda m: m.group(1), what, count=1)
            named = [refs[int(i)] for i in examples or []]
            out.append(Finding(code, table, int(count), what, why, named))
    return out


def check(store: Store, examples: int = EXAMPLES) -> Report:
    """:func:`run_checks` in a read-only unit of work of its own."""
    with store.reading() as conn:
        return run_checks(conn, examples)


def warning_line(report: Report, limit: int = 3) -> str | None:
    """The dashboard's one line when something is off (None when clean).

    ``⚠ data: 5,679 leads without a created date · 3 deals over 100× the median amount
    · 2 more — run `standup check```: the biggest findings first.
    """
    if report.clean:
        return None
    worst = sorted(report.findings, key=lambda f: -f.count)
    parts = [f.text for f in worst[:limit]]
    if len(worst) > limit:
        parts.append(f"{len(worst) - limit} more")
    return "⚠ data: " + " · ".join(parts) + " — run `standup check`"


def render_text(report: Report, name: str) -> str:
    """The report for a terminal: one block per finding, biggest first."""
    if report.clean:
        return f"standup check: {name} — clean, all {len(report.checked)} checks passed\n"
    n = len(report.findings)
    lines = [f"standup check: {name} — {n} problem{'s' if n != 1 else ''} found", ""]
    for f in sorted(report.findings, key=lambda f: -f.count):
        lines.append(f"⚠ {f.text}")
        detail = f.why + (f" · e.g. {', '.join(f.examples)}" if f.examples else "")
        lines.append(f"    {detail}")
    if report.median_amount is not None and any(
        f.code.startswith("deals.amount") or f.code == "deals.larger_than_all_others"
        for f in report.findings
    ):
        lines.append(f"    (median deal amount {report.median_amount:,.0f})")
    passed = len(report.checked) - n
    lines += ["", f"✓ {passed} other check{'s' if passed != 1 else ''} found nothing"]
    return "\n".join(lines) + "\n"


# -- the dashboard's copy ---------------------------------------------------------------

_lock = threading.Lock()
# per attached database: (facts state or None when live, monotonic time computed, report)
_remembered: dict[str, tuple[tuple[Any, ...] | None, float, Report]] = {}


def dashboard_report(conn: Connection, *, stored: bool) -> Report:
    """The checks for a dashboard refresh (counts only), recomputed only when data changed.

    ``stored``: the connection's dashboard facts are the stored ones (what
    :func:`standup.facts.prepare` returned); their stamp and watermark then say whether
    anything was written since the last run. A change is rechecked at most every
    :data:`RECHECK_SECONDS` (an import's many writes cost one run), and while the facts
    are computed live (another tool wrote) at most every :data:`LIVE_EVERY_SECONDS`.

    ``standup open``'s launch refresh leaves it out (``standup.dashboard.LAUNCH_FETCHES``),
    so the first frame never waits for a pass over every lead.
    """
    row = run(conn, "check/state").fetchone()
    assert row is not None
    database = str(row[0])
    key = tuple(row[1:]) if stored and row[1] is not None else None
    now = time.monotonic()
    with _lock:
        held = _remembered.get(database)
    if held is not None:
        held_key, at, report = held
        # a copy: each refresh hands its panel new data, as if it had queried
        if key is not None and held_key == key:
            return replace(report)
        wait = RECHECK_SECONDS if key is not None else LIVE_EVERY_SECONDS
        if now - at < wait:
            return replace(report)
    report = run_checks(conn, examples=0)
    with _lock:
        _remembered[database] = (key, now, report)
    return report


def forget() -> None:
    """Drop every remembered report (tests)."""
    with _lock:
        _remembered.clear()
