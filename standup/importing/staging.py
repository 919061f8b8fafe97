"""Staging one import: the variables its SQL reads (from the mapping), then, per file
read, the derive rules and lookups, and the projection onto ``imp_src_<table>``.

Each step is SQL in ``queries/import/`` over whole staging tables; nothing is written
to the database's own tables here.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from standup import lifecycle
from standup.errors import StandupError
from standup.importing.mapping import COLUMNS, TABLES, Mapping, TableMapping
from standup.importing.sources import (
    ABSENT,
    ImportFileError,
    SourceFile,
    column_sources,
    find_column,
)
from standup.store import Connection, run


def setup(conn: Connection, mapping: Mapping, now: datetime) -> None:
    """Fill the import's variables and lookup tables from the mapping: null values, date
    formats, value maps, defaults, reason codes, lookup files."""
    run(conn, "import/vars/nulls", {"v": list(mapping.null_values)})
    run(conn, "import/vars/formats", {"v": list(mapping.date_formats)})
    run(conn, "import/vars/now", {"v": now})
    run(conn, "import/vars/funnel", {"v": lifecycle.sql_params()["funnel"]})
    deals = mapping.section("deals")
    run(
        conn,
        "import/vars/lost_stage",
        {"v": deals.lost_lead_stage if deals else "disqualified"},
    )
    keys, maps = [""], [{"k": [""], "v": [""]}]  # never empty: MAP needs its types
    defaults: dict[str, str] = {"": ""}
    for table in TABLES:
        section = mapping.section(table)
        if section is None:
            continue
        for column, values in section.values.items():
            keys.append(f"{table}.{column}")
            maps.append({"k": [key.strip().lower() for key in values], "v": list(values.values())})
        for column, value in section.defaults.items():
            defaults[f"{table}.{column}"] = value
    run(conn, "import/vars/values", {"k": keys, "v": maps})
    run(conn, "import/vars/defaults", {"k": list(defaults), "v": list(defaults.values())})
    run(conn, "import/setup")
    # sentinel row: the list's type is known even when the mapping adds no codes
    codes = [{"code": "", "kind": "", "category": "", "label": "", "default_action": "",
              "recycle_days": 0}]  # fmt: skip
    codes += [c.model_dump() | {"recycle_days": c.recycle_days or 0} for c in mapping.reason_codes]
    run(conn, "import/reason_codes_stage", {"codes": codes})
    for table in ("leads", "deals"):
        section = mapping.section(table)
        for column, lk in (section.lookup if section else {}).items():
            if not Path(lk.file).exists():
                raise ImportFileError(f"{table}.lookup.{column}: no such file {lk.file}")
            params = {"col": column, "match": lk.match, "value": lk.value, "file": lk.file}
            try:
                run(conn, "import/lookup_insert", params)
            except StandupError as exc:
                raise ImportFileError(f"{table}.lookup.{column}: {exc}") from None


def derive(conn: Connection, source: SourceFile, section: TableMapping) -> None:
    """Evaluate the section's derive rules and lookups over the file just read."""
    if not section.derive and not section.lookup:
        run(conn, "import/derive_none")
        return

    def header(name: str) -> str:
        return find_column(source.header, name) or "__standup_null"

    # sentinels that match nothing keep the lists' types known (derive.sql)
    rules: list[dict[str, Any]] = [
        {"col": "", "pos": 0, "conds": [{"src": "", "val": "\x00"}], "then": ""}
    ]
    needed = {"__standup_null"}
    for column, column_rules in section.derive.items():
        for pos, rule in enumerate(column_rules, start=1):
            conds = [
                {"src": header(src), "val": val.strip().lower()} for src, val in rule.when.items()
            ]
            needed |= {c["src"] for c in conds}
            rules.append({"col": column, "pos": pos, "conds": conds, "then": rule.then})
    lookups = [{"col": "", "src": ""}]
    for column, lk in section.lookup.items():
        lookups.append({"col": column, "src": header(lk.key)})
        needed.add(header(lk.key))
    params = {"needed": sorted(needed), "rules": rules, "lookups": lookups}
    run(conn, "import/derive", params)


def project(
    conn: Connection, source: SourceFile, section: TableMapping, offset: int
) -> dict[str, list[str]]:
    """Map the file just read onto ``imp_src_<table>``; returns the columns it fed."""
    columns = column_sources(source, section)
    table = source.table
    names = list(COLUMNS[table])
    # Always two sources per column; ABSENT (a column of NULLs) fills the gaps.
    parts = [[*columns.get(name, []), ABSENT, ABSENT][:2] for name in names]
    run(conn, "import/vars/cols", {"k": names, "v": parts})
    run(conn, "import/vars/csv", {"v": source.is_csv})
    run(
        conn,
        f"import/project_{table}",
        {
            "file": source.index,
            "first_rowid": source.first_rowid,
            "first_line": source.first_line,
        },
    )
    run(
        conn,
        "import/file_insert",
        {"file": source.index, "label": source.label, "row_offset": offset},
    )
    for column, used in columns.items():
        run(
            conn,
            "import/column_insert",
            {"file": source.index, "col": column, "source": " + ".join(used)},
        )
    return columns
