"""Shared fixtures: real DuckDB files in tmp_path, a frozen 'now'."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from standup.clock import Clock
from standup.demo import generate
from standup.store import Store

# Every test runs at this instant; nothing depends on today's date.
AS_OF = datetime(2026, 11, 23, 9, 0, 0)


@pytest.fixture
def clock() -> Clock:
    return Clock(AS_OF)


@pytest.fixture
def empty_store(tmp_path: Path) -> Store:
    """A freshly migrated standup database with no data but the default reason codes."""
    return Store.create(tmp_path / "empty.duckdb")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small demo file per session; tests copy it rather than regenerate."""
    path = tmp_path_factory.mktemp("demo") / "template.duckdb"
    generate(path, now=AS_OF, leads=2000, seed=7)
    return path


@pytest.fixture
def demo_store(tmp_path: Path, demo_template: Path) -> Store:
    """A private copy of the small demo database."""
    target = tmp_path / "demo.duckdb"
    target.write_bytes(demo_template.read_bytes())
    return Store.open(target)


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """SQL history and saved queries go to a per-test XDG data home, never the user's."""
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


# -- team mode: one real PostgreSQL server per test session ---------------------------


@pytest.fixture(scope="session")
def pg_server():  # type: ignore[no-untyped-def]
    """A private PostgreSQL cluster on loopback (tests/pg_server.py), stopped at the end.

    Without PostgreSQL installed the team-mode tests skip, except under CI=true, where
    .ci/run installs it and a skip would hide a broken setup.
    """
    import os

    from pg_server import start_server

    try:
        server = start_server()
    except RuntimeError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"team mode needs PostgreSQL in CI: {exc}")
        pytest.skip(str(exc))
    yield server
    server.cleanup()


@pytest.fixture
def pg_url(pg_server) -> str:  # type: ignore[no-untyped-def]
    """The URL of a fresh, empty database on the session's server (admin role)."""
    url: str = pg_server.new_database()
    return url


@pytest.fixture(scope="session")
def pg_demo_template(pg_server, demo_template: Path) -> str:  # type: ignore[no-untyped-def]
    """The small demo file pushed once into a template database on the session's server."""
    from standup.team.pgstore import PgStore, close_pools
    from standup.team.push import push

    name = "standup_demo_template"
    pg_server.admin_sql(f"CREATE DATABASE {name} TEMPLATE template0")
    source = Path(str(demo_template) + ".push.duckdb")
    source.write_bytes(demo_template.read_bytes())
    push(Store.open(source), PgStore(pg_server.url(name)))
    close_pools()  # a template database must have no connections when it is copied
    return name


@pytest.fixture
def pg_demo_url(pg_server, pg_demo_template: str) -> str:  # type: ignore[no-untyped-def]
    """A private copy (CREATE DATABASE ... TEMPLATE) of the pushed demo database."""
    import uuid

    name = f"demo_{uuid.uuid4().hex[:10]}"
    pg_server.admin_sql(f'CREATE DATABASE "{name}" TEMPLATE {pg_demo_template}')
    url: str = pg_server.url(name)
    return url
