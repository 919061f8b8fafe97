"""The team-mode test server itself: a real PostgreSQL, on loopback, not run as root."""

from __future__ import annotations

import psycopg


def test_server_is_real_postgres_on_loopback(pg_server, pg_url: str) -> None:  # type: ignore[no-untyped-def]
    with psycopg.connect(pg_url) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()
        addr = conn.execute("SELECT inet_server_addr()::text").fetchone()
        owner = conn.execute("SELECT pg_read_file('PG_VERSION')").fetchone()
    assert version is not None and int(version[0]) >= 130000
    assert addr is not None and addr[0].startswith("127.0.0.1")
    assert owner is not None and owner[0].strip().isdigit()
    # The cluster's files do not belong to root (postgres refuses to run as root).
    assert pg_server.data.stat().st_uid != 0
