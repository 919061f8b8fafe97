"""The layering DESIGN.md promises: the core never imports Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_modules_never_import_textual() -> None:
    offenders = []
    for file in (ROOT / "standup").rglob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name.split(".")[0] in {"textual", "screens"} for name in names):
                # The CLI is the composition root: it may start the app, lazily, in a function.
                if file.name == "cli.py" and node.col_offset > 0:
                    continue
                offenders.append(f"{file.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_query_command_does_not_load_textual() -> None:
    code = (
        "import sys; from standup import cli, adhoc, demo, store; print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_sql_is_formatted_from_values() -> None:
    """Every statement lives in queries/; f-strings never build SQL in the core."""
    for file in (ROOT / "standup").rglob("*.py"):
        text = file.read_text(encoding="utf-8")
        for marker in ('execute(f"', "execute(f'", 'sql(f"', "sql(f'"):
            assert marker not in text, f"{file.name} formats SQL: {marker}"


def test_launch_loads_only_the_dashboard() -> None:
    """Issue 3: what the first frame does not need loads on first use, not at launch.

    ``standup open`` imports the CLI, then ``screens.app``: neither may pull in pyarrow,
    textual-fastdatatable, the other screens or the triage core (each costs launch time).
    """
    late = [
        "pyarrow",
        "textual_fastdatatable",
        "screens.triage",
        "screens.sql_prompt",
        "screens.presenter",
        "screens.help",
        "screens.sql_commands",
        "standup.triage",
        "standup.adhoc",
        "standup.serve",
        "standup.follow",
        "pyte",
        "aiohttp",
    ]
    code = (
        "import sys; import standup.cli, screens.app; "
        f"print(sorted(m for m in {late!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"
