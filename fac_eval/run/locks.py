"""The per-session lock: two runs of one session (``run``, ``clean``, ``quality``, a
comparison's name) are serialised by ``fcntl.flock`` on
``<processed root>/.fac-eval-locks/<key>.lock``, never under raw data; the second says that one
is running and waits. The system releases the lock when a process dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Callable
from pathlib import Path

from fac_eval.core.i18n import N_, both, tr
from fac_eval.data.session_paths import Paths

LOCK_DIR = ".fac-eval-locks"


def _lock_dir(paths: Paths) -> Path:
    return Path(paths.processed) / LOCK_DIR


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


@contextlib.contextmanager
def session_lock(key: str, paths: Paths | None = None, lang: str = "fr",
                 notify: Callable[[str], None] | None = _say, wait: bool = True):
    """Hold the lock of ``key`` (a session name) for the duration of the block.

    If another process holds it, ``notify`` is told so (with its process id) and the call waits
    (``wait=True``) or raises :class:`RunningError`.
    """
    from fac_eval.data.session_paths import guard_output

    paths = paths or Paths()
    # never under raw data, never via a link (the roots' overlap is the writers' check)
    lock_dir = guard_output(_lock_dir(paths), paths, roots=False, replaced=False)
    lock_dir.mkdir(parents=True, exist_ok=True)
    path = lock_dir / f"{key}.lock"
    fd = _open_lock(path)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            except OSError:
                holder = "?"
            fr, en = both(N_("Another run of %(key)s is in progress (process %(pid)s); waiting "
                             "for it to finish…") if wait else
                          N_("Another run of %(key)s is in progress (process %(pid)s); try again "
                             "when it has finished."),
                          key=lambda lang: tr(lang, N_("'%(name)s'"), name=key), pid=holder)
            if not wait:
                raise RunningError(fr, en) from None
            if notify:
                notify(en if lang == "en" else fr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield path
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _open_lock(path: Path) -> int:
    """The lock file, opened for writing only when it is a plain file of its own: a symbolic
    link is never followed and a hard link (its other name may be raw data) never written
    through; either is removed (its name only) and a new lock file made."""
    import errno
    import stat

    for _ in range(3):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
        except OSError as err:
            if err.errno != errno.ELOOP:
                raise
            os.unlink(path)  # a symbolic link: removed, never followed
            continue
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode) and info.st_nlink == 1:
            return fd
        os.close(fd)
        os.unlink(path)  # a hard link or not a file: this name only goes
    raise OSError(errno.EEXIST, "the lock file keeps being replaced", str(path))


class RunningError(Exception):
    def __init__(self, fr: str, en: str):
        super().__init__(fr)
        self.fr, self.en = fr, en

    def message(self, lang: str = "fr") -> str:
        return self.en if lang == "en" else self.fr
