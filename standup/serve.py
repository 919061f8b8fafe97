"""``standup serve``: the app in a browser tab, for the shared screen on a call.

textual-serve runs one app process per browser connection and pipes its terminal over a
websocket to xterm.js. Each viewer's process opens the database read-only (unless the
host allows writes), so any number of viewers share the file: DuckDB lets several
read-only processes in at once, and the store holds no connection between reads.

Safe defaults: bind to 127.0.0.1, read-only app (no triage writes, no meeting records,
SQL prompt read-only with external file access off), and a startup line that says
exactly what is exposed where.
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class ServeOptions:
    """What ``standup serve`` was asked for."""

    db: Path
    host: str = "127.0.0.1"
    port: int = 8000
    allow_writes: bool = False
    as_of: str | None = None
    config_path: str | None = None
    present: bool = False
    redact: bool = False
    follow: bool = False

    @property
    def local_only(self) -> bool:
        """True when only this machine can connect."""
        return self.host in LOCAL_HOSTS

    @property
    def url(self) -> str:
        """The address viewers open."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


def app_command(options: ServeOptions, python: str | None = None) -> str:
    """The shell command textual-serve runs for each viewer: ``standup open`` on the DB.

    The as-of time and config are passed on so every viewer sees the same numbers as the
    host asked for; ``--read-only`` unless writes were allowed.
    """
    # --served: no file access from the SQL prompt, even when writes are allowed.
    args = [python or sys.executable, "-m", "standup.cli", "open", str(options.db), "--served"]
    args.append("--allow-writes" if options.allow_writes else "--read-only")
    return shlex.join(args + view_args(options))


def view_args(options: ServeOptions) -> list[str]:
    """What every served app is opened with, as the host asked: presenter mode,
    redaction, the as-of time and the config (so every screen shows the same numbers)."""
    args: list[str] = []
    if options.present:
        args.append("--present")
    if options.redact:
        args.append("--redact")
    if options.as_of:
        args += ["--as-of", options.as_of]
    if options.config_path:
        args += ["--config", options.config_path]
    return args


def startup_line(options: ServeOptions) -> str:
    """One line saying what is served, to whom, and whether it can change anything."""
    reach = (
        "this machine only"
        if options.local_only
        else "ANYONE who can reach this host on the network"
    )
    if options.allow_writes:
        mode = (
            "READ-WRITE: viewers can triage, record meetings and write SQL "
            "(no file access from SQL)"
        )
    else:
        mode = (
            "read-only: triage and meeting records refused, "
            "SQL prompt read-only with no file access (--allow-writes to change)"
        )
    flags = (("presenter mode", options.present), ("names redacted", options.redact))
    shown = [name for name, on in flags if on]
    suffix = f"; {', '.join(shown)}" if shown else ""
    return f"standup serve: {options.db} at {options.url} for {reach}; {mode}{suffix}"


def serve(options: ServeOptions) -> None:
    """Run the web server until interrupted (textual-serve is imported only here).

    With ``follow``, the driver's one app in this terminal, broadcast view-only
    (:mod:`standup.follow`); else one app process per browser tab.
    """
    if options.follow:
        from standup.follow import serve_follow

        code = serve_follow(options)
        if code:
            sys.exit(code)
        return

    from textual_serve.server import Server

    line = startup_line(options)

    class _Server(Server):
        async def on_startup(self, app: object) -> None:
            # Our own line instead of textual-serve's banner: it says what is exposed.
            print(line, flush=True)

    _Server(
        app_command(options),
        host=options.host,
        port=options.port,
        title=f"standup · {options.db.name}",
    ).serve()
