"""A real, throw-away PostgreSQL server for the team-mode tests (and the team benchmark).

The Debian package's binaries (``/usr/lib/postgresql/*/bin``) start a private cluster in
a temporary directory, listening on 127.0.0.1 on a free port, with trust auth for
loopback only. PostgreSQL refuses to run as root, so when the tests run as root (CI) the
cluster belongs to ``nobody`` and its commands run through ``runuser``. Nothing here
talks to any server but the one it started, and the cluster is removed at the end.

Under ``CI=true`` a missing PostgreSQL fails the team-mode tests instead of skipping
them: ``.ci/run`` installs the package, so a skip there would hide a broken setup.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ADMIN = "standup_admin"


def find_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian layout), or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PgServer:
    """One running cluster: ``url(db)`` names a database on it as the admin role."""

    bin_dir: Path
    root: Path
    port: int
    as_user: list[str] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _cmd(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.as_user, *args], check=check, capture_output=True, text=True, timeout=120
        )

    def start(self) -> None:
        """initdb (once) and start; returns when the server accepts connections."""
        if not (self.data / "PG_VERSION").exists():
            self._cmd(
                str(self.bin_dir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                ADMIN,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            )
        opts = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        self._cmd(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-o",
            opts,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``immediate`` is a crash as far as clients can tell)."""
        self._cmd(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def url(self, db: str = "postgres", user: str = ADMIN) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{db}"

    def admin_sql(self, sql: str, db: str = "postgres") -> None:
        """Run ``sql`` as the admin role (autocommit: CREATE DATABASE needs it)."""
        import psycopg

        with psycopg.connect(self.url(db), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[call-overload]

    def new_database(self, prefix: str = "t") -> str:
        """A fresh, empty database; returns its URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        self.admin_sql(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def cleanup(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> PgServer:
    """Start a private cluster; raises RuntimeError if PostgreSQL is not installed."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="standup-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        # postgres will not run as root: the cluster is nobody's, in a directory nobody owns.
        os.chmod(root, 0o755)
        shutil.chown(root, "nobody", "nogroup")
        as_user = ["runuser", "-u", "nobody", "--"]
    server = PgServer(bin_dir, root, _free_port(), as_user)
    for attempt in range(3):
        try:
            server.start()
            return server
        except subprocess.CalledProcessError as exc:
            if attempt == 2:
                log = (root / "server.log").read_text() if (root / "server.log").exists() else ""
                raise RuntimeError(f"could not start PostgreSQL: {exc.stderr}\n{log}") from exc
            server.port = _free_port()  # someone took the port between bind and start
            time.sleep(0.2)
    raise AssertionError("unreachable")
