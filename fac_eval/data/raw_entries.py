"""What a file expected in a raw session folder must be, and the one way its bytes are read.

A file of a session (a questionnaire's CSV or XLSX, ``session.yml``, ``claims.yml``) must be a
*regular file*:

- a folder, a named pipe (FIFO), a device or a socket given that name is refused, naming it and
  what it is (a FIFO would make a plain ``open`` wait forever for a writer; ``/dev/zero`` would
  never end): :func:`entry_problem`;
- a symbolic link is followed only when it resolves inside the session folder or inside the raw
  root (``FAC_EVAL_RAW``): a link to ``/etc/passwd`` or to a file of another project is refused,
  naming the link and where it points. A symlinked session *folder* is read (its files are then
  those of the folder it points to);
- :func:`read_regular` is the one reader of such bytes: it opens without blocking
  (``O_NONBLOCK``), checks with ``fstat`` on the open descriptor that it holds a regular file
  (no window between the check and the reading), and only then reads it, at most ``limit``
  bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from fac_eval.core.i18n import N_
from fac_eval.data.validation_problems import Problem, both, problem

__all__ = ["NotRegularFile", "entry_problem", "read_regular", "kind_of"]

#: What each kind of non-regular file is called in a message (English message ids).
_KINDS = {
    "folder": N_("a regular file (CSV, XLSX or YAML), not a folder: %(path)s is a folder"),
    "fifo": N_("a regular file (CSV, XLSX or YAML): %(path)s is a named pipe (FIFO), which "
               "fac-eval never opens"),
    "device": N_("a regular file (CSV, XLSX or YAML): %(path)s is a device"),
    "socket": N_("a regular file (CSV, XLSX or YAML): %(path)s is a socket"),
    "dangling": N_("a regular file (CSV, XLSX or YAML): %(path)s is a link to nothing "
                   "(%(target)s does not exist)"),
}


class NotRegularFile(OSError):
    """A path that is not a regular file: ``what`` is a key of :data:`_KINDS`."""

    def __init__(self, path: Path, what: str):
        super().__init__(what)
        self.path, self.what = Path(path), what

    def problem(self, file: str | None = None) -> Problem:
        return _not_regular(self.path, self.what, file)


def kind_of(mode: int) -> str | None:
    """None for a regular file, else what ``mode`` (``st_mode``) is (a key of :data:`_KINDS`)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device"


def _not_regular(path: Path, what: str, file: str | None = None) -> Problem:
    target = os.path.realpath(path)
    return problem(file or path.name, None, None, None, "not_regular_file",
                   both(_KINDS[what], path=str(path), target=target))


def _inside(real: str, folder: Path) -> bool:
    base = os.path.realpath(folder)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def entry_problem(path: str | Path, file: str | None = None) -> Problem | None:
    """None when ``path`` (an entry of a raw session folder) is a regular file, directly or
    through a link that resolves inside its session folder or the raw root; else the problem
    (``not_regular_file`` or ``link_outside_raw``) naming it. Nothing is opened."""
    from fac_eval.data.session_paths import Paths

    path = Path(path)
    try:
        own = os.lstat(path)
    except OSError:
        return None  # absent: the caller says what is missing
    if stat.S_ISLNK(own.st_mode):
        real = os.path.realpath(path)
        if not (_inside(real, path.parent) or _inside(real, Paths().raw)):
            return problem(file or path.name, None, None, None, "link_outside_raw",
                           both(N_("a file inside the session folder: %(path)s is a link to "
                                   "%(target)s, outside the raw data folder %(root)s (copy "
                                   "the file into the session folder instead)"),
                                path=str(path), target=real, root=str(Paths().raw)))
        try:
            mode = os.stat(path).st_mode
        except OSError:
            return _not_regular(path, "dangling", file)
    else:
        mode = own.st_mode
    what = kind_of(mode)
    return None if what is None else _not_regular(path, what, file)


def read_regular(path: str | Path) -> bytes:
    """The bytes of ``path``, refused unless it is a regular file (:class:`NotRegularFile`, an
    ``OSError``); other ``OSError`` as the system raises them. Never waits on a FIFO: it is
    opened with ``O_NONBLOCK`` and checked on the open descriptor before any byte is read."""
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise NotRegularFile(path, "folder") from None
    except FileNotFoundError:
        if os.path.islink(path):
            raise NotRegularFile(path, "dangling") from None
        raise
    try:
        what = kind_of(os.fstat(fd).st_mode)
        if what is not None:
            raise NotRegularFile(path, what)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as f:
            fd = -1
            return f.read()
    finally:
        if fd >= 0:
            os.close(fd)
