"""The temporary files of atomic saves, and cleaning up after killed ones (private).

Every file vchuang writes (:func:`vchuang.io.atomic_write_bytes`: graphs, ledgers,
journals, exports, Pabulib files) is first written to a temporary file beside it,
``.NAME.<pid>-<host>.<random>.tmp``, then renamed over ``NAME``. A save that is killed
half-way leaves its temporary file behind (the target itself is whole: the old file or
the new one). The next save of the same path removes such leftovers of *that* path
(:func:`clean_stale`), and only when they cannot belong to a save still running:

* written on this machine (the ``<host>`` tag matches) by a process that is gone;
* written on this machine by a process that is still there (or by a new process that
  got the same number) and not touched for :data:`PID_REUSED_SECONDS` (a day);
* from another machine (a shared folder), or in the older name without a process
  number, and not touched for :data:`STALE_SECONDS` (ten minutes).

A save writes its data in one go right after creating its file, so a file that is
minutes old is not being written any more.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import socket
import time
from pathlib import Path

__all__ = ["PID_REUSED_SECONDS", "STALE_SECONDS", "clean_stale", "prefix"]

#: A leftover whose writer cannot be checked (another machine, or the old name without a
#: process number) is removed once it has not been touched for this long (10 minutes).
STALE_SECONDS = 10 * 60
#: A leftover whose process number is in use again is removed after this long (a day).
PID_REUSED_SECONDS = 24 * 60 * 60

# tempfile's random part: eight of its characters (never a dot).
_RANDOM = r"[a-z0-9_]{8}"


def _host() -> str:
    """Six hex digits naming this machine (so that a process number is only checked on
    the machine that wrote it)."""
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]


def prefix(target: Path) -> str:
    """The start of the name of this process's temporary files for ``target``:
    ``.NAME.<pid>-<host>.``."""
    return f".{target.name}.{os.getpid()}-{_host()}."


def _alive(pid: int) -> bool:
    """Whether a process with this number exists (on POSIX; elsewhere assumed so)."""
    if os.name != "posix":  # pragma: no cover - os.kill(pid, 0) ends a process on Windows
        return True
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, under another user
        return True
    return True


def _is_stale(name: str, target: str, now: float, mtime: float) -> bool:
    """Whether the file ``name`` is a leftover of a killed save of ``target``."""
    escaped = re.escape(target)
    found = re.fullmatch(rf"\.{escaped}\.(\d+)-([0-9a-f]{{6}})\.{_RANDOM}\.tmp", name)
    age = now - mtime
    if found is not None:
        pid, host = int(found.group(1)), found.group(2)
        if host == _host():
            return not _alive(pid) or age > PID_REUSED_SECONDS
        return age > STALE_SECONDS
    if re.fullmatch(rf"\.{escaped}\.{_RANDOM}\.tmp", name) is not None:  # the old name
        return age > STALE_SECONDS
    return False


def clean_stale(target: Path) -> list[Path]:
    """Remove the temporary files that killed saves of ``target`` left beside it; returns
    those removed. Never raises: a file that cannot be looked at or removed is left."""
    removed: list[Path] = []
    start = f".{target.name}."
    now = time.time()
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(start) and entry.name.endswith(".tmp")):
            continue
        with contextlib.suppress(OSError):
            if not entry.is_file(follow_symlinks=False):
                continue
            if _is_stale(entry.name, target.name, now, entry.stat(follow_symlinks=False).st_mtime):
                Path(entry.path).unlink()
                removed.append(Path(entry.path))
    return removed
