"""Where a database file is on disk, and the descriptor a unit of work reads it through.

:class:`FilePosition` moves with every committed write (by anyone), so a cache verified
at one position is still good at an equal one (``standup.facts``). Reading it needs a
descriptor on the file, and closing *any* descriptor of a file drops every POSIX lock the
process holds on it, DuckDB's included: so while this process has the file attached (a
unit of work, or a write hold) exactly one descriptor is kept open and all reads go
through it (:func:`unit_descriptor`, :func:`read_header`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from standup import write_hold

# The database header blocks at the start of every DuckDB file: one 4 KiB file header and
# two 4 KiB database headers, of which every checkpoint rewrites the older one with a
# higher iteration number.
_HEADER_BYTES = 3 * 4096


@dataclass(frozen=True)
class FilePosition:
    """What the file and its WAL look like on disk, taken while this process holds its lock.

    Every committed write moves it: a commit appends to the WAL (``db.wal``: its size
    grows), a checkpoint folds the WAL into the file (a database header gets a higher
    iteration, the WAL goes). Reads never move it, nor does a checkpoint with nothing to
    fold. So two equal positions mean no write was committed in between, by anyone; a
    different position means one may have been (not necessarily: a checkpoint moves it
    without changing a row), so whatever was verified at the old one is checked again.
    Taken only while the file is attached, so no other process can write meanwhile.
    """

    main: tuple[int, int, int, int]  # device, inode, size, mtime (ns)
    header: bytes  # the header blocks (their checkpoint iteration numbers)
    wal: tuple[int, int, int] | None  # inode, size, mtime (ns); None: no WAL


def file_position(path: Path) -> FilePosition:
    """The :class:`FilePosition` of ``path`` now (two ``stat`` calls and a 12 KiB read).

    Inside a unit of work the header is read through the unit's own descriptor (see
    :func:`unit_descriptor`): closing any descriptor of a file drops every POSIX lock
    the process holds on it, DuckDB's included, so none may be closed while attached.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return FilePosition((0, 0, 0, 0), b"", None)
    header = read_header(path, _HEADER_BYTES)
    try:
        w = os.stat(f"{path}.wal")
        wal: tuple[int, int, int] | None = (w.st_ino, w.st_size, w.st_mtime_ns)
    except FileNotFoundError:
        wal = None
    return FilePosition((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns), header, wal)


# Per file with a unit of work running: a read-only descriptor opened before the unit
# attached it and closed after it let go, for file_position() to read the header through.
_unit_fds: dict[Path, int] = {}


@contextmanager
def unit_descriptor(path: Path) -> Iterator[None]:
    """Keep a descriptor on ``path`` open for one unit of work (the per-file lock held).

    While a write hold keeps the file attached (:mod:`standup.write_hold`) the hold owns
    the descriptor: it stays open, and registered, until the hold lets go.
    """
    if write_hold.held(path) is not None:
        yield  # the hold's descriptor is registered already
        return
    try:
        _unit_fds[path] = os.open(path, os.O_RDONLY)
    except OSError:
        _unit_fds[path] = -1  # not there yet (a unit that creates it): opened when asked
    try:
        yield
    finally:
        hold = write_hold.held(path)
        if hold is not None:  # this unit started a hold: it keeps the descriptor
            hold.close_fd = _forget_descriptor
        else:
            _forget_descriptor(path)


def _forget_descriptor(path: Path) -> None:
    fd = _unit_fds.pop(path, -1)
    if fd != -1:
        os.close(fd)  # after the unit (or hold) detached: no lock of ours left to drop


def read_header(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of ``path``, through the descriptor of a unit (or hold)
    of this process if there is one: see :func:`file_position` for why."""
    fd = _unit_fds.get(path)
    if fd == -1:  # the unit created the file: open it now, closed when the unit ends
        fd = _unit_fds[path] = os.open(path, os.O_RDONLY)
    if fd is not None:
        return os.pread(fd, size, 0)
    with path.open("rb") as handle:  # no unit of this process holds the file
        return handle.read(size)
