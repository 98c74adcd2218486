"""Operating-system failures in plain words: disk full, read-only folder, permission denied,
name too long, a path component that is a file, each said in one sentence naming the path."""

from __future__ import annotations

import errno
from pathlib import Path

from fac_eval.core.i18n import N_, messages

_REASONS: dict[int | None, str] = {
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk quota is exceeded"),
    errno.EROFS: N_("the file system is read-only"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.ENAMETOOLONG: N_("file name too long"),
    errno.ENOTDIR: N_("a component of the path is a file, not a folder"),
    errno.EISDIR: N_("it is a folder, not a file"),
    errno.ENOENT: N_("no such file or folder"),
    errno.EEXIST: N_("already exists"),
    errno.ENOTEMPTY: N_("the folder is not empty"),
    errno.EXDEV: N_("the folders are on different devices"),
    errno.EIO: N_("input/output error of the disk"),
    errno.EMFILE: N_("too many open files"),
    errno.ELOOP: N_("too many symbolic links"),
    errno.EFBIG: N_("the file is larger than the system allows (file size limit reached)"),
}


class AfterSwapError(OSError):
    """An operating-system failure after a run's new outputs were swapped in (writing the
    record, keeping a folder aside): the outputs are the new ones, and the previous folders
    still on disk are :attr:`left` (the next run removes them if they hold only what a run
    made, and keeps them aside otherwise)."""

    left: tuple[str, ...] = ()


def after_swap(err: OSError, left) -> AfterSwapError:
    """``err`` (its number, reason and paths kept) as an :class:`AfterSwapError`."""
    new = AfterSwapError(err.errno, err.strerror, err.filename, None, err.filename2)
    new.left = tuple(str(p) for p in left)
    return new


def os_error_message(err: OSError, lang: str = "fr", path: str | Path | None = None) -> str:
    """One sentence for an operating-system failure, naming the path (no traceback), and what
    it left: nothing changed, or (:class:`AfterSwapError`) the new outputs in place."""
    from fac_eval.data.session_paths import file_in_path

    _ = messages(lang)._
    reason = _(_REASONS[err.errno]) if err.errno in _REASONS else (
        err.strerror or type(err).__name__)
    where = err.filename or path
    number = err.errno
    # a folder wanted where a file is (mkdir: EEXIST; a path through a file: ENOTDIR): say so
    blocker = file_in_path(where) if where and number in (errno.EEXIST, errno.ENOTDIR,
                                                          errno.ENOENT) else None
    if blocker is not None:
        number, where = errno.ENOTDIR, blocker
        reason = _("it is a file, not a folder")
    elif err.filename2:
        where = f"{err.filename} -> {err.filename2}"
    code = errno.errorcode.get(number, "") if number is not None else ""
    code = f" ({code})" if code else ""
    where = where or _("a file")
    if isinstance(err, AfterSwapError):
        if err.left:
            return _("Could not read or write %(where)s: %(reason)s%(code)s. The run's new "
                     "outputs are in place; the previous ones are still in %(left)s: the next "
                     "run removes them if they hold only files fac-eval made, and keeps them "
                     "aside otherwise. Raw data were not touched.", where=where, reason=reason,
                     code=code, left=", ".join(err.left))
        return _("Could not read or write %(where)s: %(reason)s%(code)s. The run's new outputs "
                 "are in place. Raw data were not touched.", where=where, reason=reason,
                 code=code)
    return _("Could not read or write %(where)s: %(reason)s%(code)s. The previous outputs are "
             "left as they were; raw data were not touched.",
             where=where, reason=reason, code=code)
