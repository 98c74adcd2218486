"""Output folders written all at once: a per-session lock, staging folders, one swap.

A run writes each output folder (``data/processed/<s>``, ``reports/<s>``) as a hidden staging
folder, ``.fac-eval-tmp~<s>~<pid>~<random>``: beside it when it is under the processed root (the
evaluator's private working folder), else in ``<processed root>/.fac-eval-staging/`` (with a
digest of the target's path in its name): a published root such as ``reports/`` never holds a
file the leak scan has not passed, not even while a run writes it or after a run was killed.
Only when everything succeeded (leak scan included) are the staging folders swapped in,
together (:meth:`Staging.commit`):

0. a staging folder kept away from its target is moved beside it (copied when the two roots are
   on different file systems): what it holds has passed the leak scan;
1. a journal listing the swaps is written in the lock folder (never through a link);
2. each current folder is renamed ``.fac-eval-old~<s>~…``, each staging folder takes its place;
3. the new folders' files are recorded (:mod:`fac_eval.run.output_record`), the old folders
   are removed (or kept aside, when no run had recorded them), then the journal is removed.

A failure before step 1 leaves every output as it was; a failure during step 2 is undone. A run
killed at any point is repaired by the next run of the same session, under the lock
(:mod:`fac_eval.run.swap_repair`): an interrupted swap is completed from the journal (the
staging folders were complete before it started) unless a folder it would replace now holds a
file of the user's, and the run's leftover staging and old folders, by their exact names, are
removed. What each new folder will hold is also kept, as the record's pending part, before the
journal: a killed swap whose journal is removed since still has its new files told from the
user's.

Two runs of one session are serialised by :func:`fac_eval.run.locks.session_lock` (given here
too), which the caller holds around the staging.

:mod:`fac_eval.run.output_record` tells the files a run made from the user's, which a swap
must never remove; :func:`fac_eval.run.os_errors.os_error_message` says an operating-system
failure in one sentence.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from fac_eval.core.pause import pause_point
from fac_eval.data.session_paths import Paths
from fac_eval.run import os_errors
from fac_eval.run.locks import (  # noqa: F401  (given here too: outputs.session_lock)
    LOCK_DIR,
    RunningError,
    _lock_dir,
    _say,
    session_lock,
)
from fac_eval.run.output_names import (  # noqa: F401  (given here too: outputs.report_file)
    INPUTS_FILE,
    KEEP,
    LANGS,
    _read_inputs,
    comparison_file,
    comparison_tables,
    export_file,
    file_digest,
    inputs_fingerprint,
    other_languages,
    quality_file,
    report_file,
    run_files,
    session_files,
)

TMP = ".fac-eval-tmp~"
OLD = ".fac-eval-old~"
#: Where the staging folders of targets outside the processed root are written (in it).
STAGING_DIR = ".fac-eval-staging"
#: JupyterLab's checkpoints of the notebooks in a folder (carried over in a processed folder).
CHECKPOINTS = ".ipynb_checkpoints"


def _private(target: Path, paths: Paths) -> bool:
    """Whether ``target`` lies under the processed root (never published)."""
    return Path(_where(Path(target).parent)).is_relative_to(_where(Path(paths.processed)))


def _where(p: Path) -> str:
    """A folder's real path: the same folder reached through a link is the same folder."""
    return os.path.realpath(p)


def _away_prefix(target: Path) -> str:
    """The name prefix of the staging folders of ``target`` kept in :data:`STAGING_DIR`: its
    name and a digest of its real path (``reports/x`` and ``reports/comparaisons/x`` are two
    targets named ``x``)."""
    import hashlib

    digest = hashlib.sha256(_where(target).encode()).hexdigest()[:12]
    return f"{TMP}{Path(target).name}~{digest}~"


#: The tag a run gives its staging and old folders: its process id and 8 random hex digits.
_TAG = r"\d+~[0-9a-f]{8}"


def _leftover(name: str) -> re.Pattern:
    """The exact names of what a run of a target named ``name`` leaves beside it when killed:
    its staging folder, the old folder of a swap, and the tables' own temporary folder
    (:func:`fac_eval.data.cleaning.write_processed`, made beside the staging folder). Nothing
    else is ever removed: a user's ``.fac-eval-old~x-mine`` or ``.x.backup01`` stays."""
    n = re.escape(name)
    return re.compile(rf"(?:{re.escape(TMP)}|{re.escape(OLD)}){n}~{_TAG}"
                      rf"|\.{re.escape(TMP)}{n}~{_TAG}\.[a-z0-9_]{{8}}")


_OWNER_RE = re.compile(r"~(\d+)~[0-9a-f]{8}(?:\.[a-z0-9_]{8})?$")


def live_owner(name: str) -> bool:
    """Whether the run that made the staging or old folder ``name`` (its process id is in the
    name) is still running: its folder is then no leftover, even if the lock folder was removed
    under it (another run took a new lock meanwhile), and is never removed. A process id reused
    since only delays a leftover's removal."""
    m = _OWNER_RE.search(name)
    if m is None or int(m.group(1)) == os.getpid():
        return False
    try:
        os.kill(int(m.group(1)), 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True


def _staging_root(paths: Paths) -> Path:
    return Path(paths.processed) / STAGING_DIR


def _journal(key: str, paths: Paths) -> Path:
    return _lock_dir(paths) / f"{key}.swap.json"


#: ``os.rename`` as imported (the tests that make the swap's renames fail leave this one be).
_RENAME = os.rename


def write_private(folder: Path, name: str, text: str) -> None:
    """Write ``text`` as the file ``name`` of ``folder`` (the lock folder) whole or not at all,
    never through a link: the folder is opened without following a link, the temporary file is
    made new (``O_EXCL``) and renamed over ``name`` (a link planted there is replaced, never
    followed)."""
    try:
        _write_private(folder, name, text)
    except OSError as err:  # named by its full path, not relative to the folder
        err.filename, err.filename2 = str(Path(folder) / name), None
        raise


def _write_private(folder: Path, name: str, text: str) -> None:
    dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        tmp = f".{name}.{secrets.token_hex(6)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644,
                     dir_fd=dfd)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            _RENAME(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)  # replaces name, as on POSIX
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=dfd)
            raise
    finally:
        os.close(dfd)


def _rmtree(p: Path) -> None:
    if os.path.islink(p) or p.is_file():
        p.unlink()
    elif p.exists():
        shutil.rmtree(p)


def move_folder(src: Path, dest: Path) -> None:
    """Rename the folder ``src`` to ``dest``; across file systems, copy it (links kept as
    links) then remove it."""
    try:
        os.rename(src, dest)
    except OSError as err:
        if err.errno != errno.EXDEV:
            raise
        try:
            _copy_tree(Path(src), Path(dest))
        except OSError as failed:  # a full disk: no partial copy is left, the error says where
            with contextlib.suppress(OSError):
                _rmtree(Path(dest))
            if not failed.filename:
                failed.filename = str(dest)
            raise
        with contextlib.suppress(OSError):
            _rmtree(Path(src))


def _copy_tree(src: Path, dest: Path) -> None:
    """``shutil.copytree(src, dest, symlinks=True)`` that stops at the first failure with its
    own ``OSError`` (its number and the file), where copytree gathers them in a
    ``shutil.Error`` that names neither."""
    os.mkdir(dest)
    for entry in os.scandir(src):
        target = dest / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), target)
        elif entry.is_dir():
            _copy_tree(Path(entry.path), target)
        else:
            shutil.copy2(entry.path, target)
    shutil.copystat(src, dest)


def _special_files(folder: str, names: list[str]) -> list[str]:
    """``shutil.copytree``'s ``ignore``: what is neither a file, a folder nor a link (a named
    pipe, a socket: nothing to carry over, and a pipe would block the copy)."""
    import stat

    out = []
    for n in names:
        try:
            mode = os.lstat(os.path.join(folder, n)).st_mode
        except OSError:
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
            out.append(n)
    return out


def remove_staged(target: Path, paths: Paths) -> list[Path]:
    """Remove what killed runs of ``target`` left in the staging root (call it holding the
    session's lock); return it."""
    away = _staging_root(paths)
    removed: list[Path] = []
    if away.is_dir() and not away.is_symlink():
        staged = re.compile(re.escape(_away_prefix(target)) + _TAG)
        for entry in away.iterdir():
            if staged.fullmatch(entry.name) and not live_owner(entry.name):
                _rmtree(entry)
                removed.append(entry)
        with contextlib.suppress(OSError):
            os.rmdir(away)
    return removed


class Staging:
    """Staging folders for ``targets``, swapped in together by :meth:`commit` (see module doc).

    Use as a context manager, holding the lock of ``key``: on leaving the block without a
    commit, the staging folders are removed and the targets are untouched.
    """

    def __init__(self, key: str, targets: Iterable[Path], paths: Paths | None = None,
                 also: Iterable[Path] = (), lang: str = "fr",
                 notify: Callable[[str], None] | None = _say):
        self.key = key
        self.lang, self.notify = lang, notify
        #: the folders no run had recorded, kept aside instead of removed (said by ``notify``)
        self.kept: list[tuple[Path, Path]] = []
        self.paths = paths or Paths()
        self.targets = [Path(t) for t in targets]
        self.also = [Path(t) for t in also]  # other outputs of the key: leftovers removed too
        self.dirs: dict[Path, Path] = {}
        self.committed = False
        self.carried: list[Path] = []

    def __enter__(self) -> Staging:
        from fac_eval.run.output_record import guard_no_foreign_files
        from fac_eval.run.swap_repair import Repair, recover, say_repair

        repair = Repair()
        try:
            recover(self.key, self.targets + self.also, self.paths, repair)
        finally:
            self.kept += repair.kept
            say_repair(repair, self.key, self.lang, self.notify)
        tag = f"{os.getpid()}~{secrets.token_hex(4)}"
        for t in self.targets:
            # a file (or a link to one) where the folder should be is the user's: never replaced
            if os.path.lexists(t) and not os.path.isdir(t):
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(t))
            guard_no_foreign_files(t, self.key, self.paths)  # nor a file fac-eval did not make
        try:
            for t in self.targets:
                t.parent.mkdir(parents=True, exist_ok=True)
                if _private(t, self.paths):
                    d = t.parent / f"{TMP}{t.name}~{tag}"
                else:  # a published root: nothing unscanned is ever written there
                    from fac_eval.data.session_paths import guard_output

                    away = guard_output(_staging_root(self.paths), self.paths, roots=False,
                                        replaced=False)
                    d = away / f"{_away_prefix(t)}{tag}"
                # parents: the staging root may have just been removed by another run's tidy-up
                d.mkdir(mode=0o755, parents=True)
                os.chmod(d, 0o755)
                self.dirs[t] = d
        except BaseException:
            self._discard()
            raise
        return self

    def __getitem__(self, target: Path) -> Path:
        return self.dirs[Path(target)]

    def carry_over(self, target: Path, names: Iterable[str]) -> list[Path]:
        """Copy the files ``names`` of the current ``target`` folder into its staging folder
        (another language's report, which this run does not make and must not remove), so that
        they are gated with the new files and swapped in with them. Returns the copies."""
        target = Path(target)
        copied = []
        if target.is_dir() and not target.is_symlink():
            for name in names:
                f = target / name
                dest = self.dirs[target] / name
                if f.is_file() and not f.is_symlink() and not dest.exists():
                    shutil.copy2(f, dest)
                    copied.append(dest)
        self.carried += copied
        return copied

    def carry_over_languages(self, lang: str, files_of: Callable[[str], Iterable[str]],
                             fingerprint: str, record_in: Path) -> list[str]:
        """Carry over the other languages' files (``files_of(language)``, in every target)
        only when the previous run recorded for them the same inputs, ``fingerprint``
        (:func:`inputs_fingerprint`): a report made from other data or parameters is left out,
        so that it disappears with the swap instead of standing, stale, beside the new one.
        Records the fingerprints of what the swapped folders will hold in the staging copy of
        ``record_in`` (a target; :data:`INPUTS_FILE`). Returns the names of the files left out."""
        previous = _read_inputs(record_in)
        kept = {lang: fingerprint}
        dropped: list[str] = []
        for other in other_languages(lang):
            names = list(files_of(other))
            present = [n for n in names if any((t / n).is_file() for t in self.targets)]
            if not present:
                continue
            if previous.get(other) == fingerprint:
                for t in self.targets:
                    self.carry_over(t, names)
                kept[other] = fingerprint
            else:
                dropped += present
        (self.dirs[Path(record_in)] / INPUTS_FILE).write_text(
            json.dumps(kept, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return dropped

    def _say_kept(self, kept: list[tuple[Path, Path]]) -> None:
        """Say where each folder no run had recorded was kept (``(folder, where)``)."""
        from fac_eval.run.swap_repair import Repair, say_repair

        self.kept += kept
        say_repair(Repair(kept=kept), self.key, self.lang, self.notify)

    def _discard(self) -> None:
        for d in self.dirs.values():
            with contextlib.suppress(OSError):
                _rmtree(d)
        self._tidy()

    def _tidy(self) -> None:
        """Remove the staging root when no run uses it any more (``rmdir`` of an empty folder)."""
        with contextlib.suppress(OSError):
            os.rmdir(_staging_root(self.paths))

    def __exit__(self, exc_type, exc, tb) -> None:
        if isinstance(exc, OSError) and not exc.filename and self.targets:
            # a write that failed without naming its file (EFBIG, ENOSPC from write()): name
            # the folder it was writing, so that the message says where
            exc.filename = str(self.targets[0].parent)
        if not self.committed:
            self._discard()

    def _bring_beside(self, tag: str) -> None:
        """Step 0 (see the module): each staging folder kept away from its target is moved
        beside it, copied then removed when the two are on different file systems."""
        for t in self.targets:
            d = self.dirs[t]
            if d.parent == t.parent:
                continue
            near = t.parent / f"{TMP}{t.name}~{tag}"
            move_folder(d, near)
            self.dirs[t] = near

    def commit(self) -> None:
        """Swap every staging folder in place of its target, all or none.

        The evaluator's working files of a target (:data:`KEEP`: the executed data-quality
        notebook, which ``fac-eval run`` does not make) are copied into the new folder first.
        A folder, or a file fac-eval did not make (:mod:`fac_eval.run.output_record`), put
        inside a target while the run worked stops the swap (nothing changes). The files
        each new folder holds are recorded after the swap; a swapped-out folder that no run
        had recorded is kept aside (:func:`fac_eval.run.output_record.keep_aside`), the others
        are removed.
        """
        from fac_eval.data.session_paths import guard_no_foreign_folders, guard_output
        from fac_eval.run import output_record

        for t in self.targets:
            guard_no_foreign_folders(t)
            output_record.guard_no_foreign_files(t, self.key, self.paths)
        # what each folder held at its last check: a file put in since (before its rename)
        # makes the old folder kept aside, not removed
        seen = {t: output_record.snapshot(t) for t in self.targets}
        # a folder no run recorded may hold the user's files under fac-eval's names: kept
        keep = {t: output_record.unrecorded(t, self.key, self.paths) for t in self.targets}
        # what comes after the swap is made sure of before it (the kept folder, the record)
        output_record.ready_to_record(self.key, self.paths, kept=any(keep.values()))
        for t in self.targets:
            if t.is_dir() and not t.is_symlink():
                # the desktop's files, and a processed folder's working files (KEEP)
                for name in output_record.carried_over(t, _private(t, self.paths)):
                    if not os.path.lexists(self.dirs[t] / name):
                        shutil.copy2(t / name, self.dirs[t] / name)
                checkpoints = t / CHECKPOINTS  # JupyterLab's, of the evaluator's notebooks
                if _private(t, self.paths) and checkpoints.is_dir() \
                        and not checkpoints.is_symlink():
                    shutil.copytree(checkpoints, self.dirs[t] / CHECKPOINTS, symlinks=True,
                                    dirs_exist_ok=True, ignore=_special_files)
        # what the run made, recorded as staged (never a file put in after the swap)
        made = {str(t): output_record.made_files(self.dirs[t]) for t in self.targets}
        tag = f"{os.getpid()}~{secrets.token_hex(4)}"
        self._bring_beside(tag)
        swaps = [(t, self.dirs[t], t.parent / f"{OLD}{t.name}~{tag}") for t in self.targets]
        # the lock folder checked again (never a link, never raw data) and written without
        # following a link: the journal can only land there
        lock_dir = guard_output(_lock_dir(self.paths), self.paths, roots=False,
                                replaced=False)
        lock_dir.mkdir(parents=True, exist_ok=True)
        journal = _journal(self.key, self.paths)
        # the record knows the new files first: a journal removed after a kill loses nothing
        output_record.write_pending(self.key, self.paths, made)
        write_private(lock_dir, journal.name, json.dumps(
            [[str(a), str(b), str(c), keep[a], made[str(a)]] for a, b, c in swaps]))
        done: list[tuple[str, Path, Path]] = []
        pause_point("swap-journal")  # test hooks (fac_eval.core.pause)
        try:
            for i, (target, tmp, old) in enumerate(swaps):
                if i == 1:
                    pause_point("swap-half")
                if os.path.lexists(target):
                    os.replace(target, old)
                    done.append(("old", target, old))
                os.replace(tmp, target)
                done.append(("new", target, tmp))
        except BaseException:
            for kind, a, b in reversed(done):  # undo: the previous outputs come back
                with contextlib.suppress(OSError):
                    os.replace(a, b) if kind == "new" else os.replace(b, a)
            with contextlib.suppress(OSError):
                journal.unlink()
            raise
        self.committed = True
        try:
            self._after_swap(swaps, seen, keep, lock_dir, journal, made)
        except OSError as err:  # the outputs are the new ones: said so (os_errors)
            left = [old for _, _, old in swaps if os.path.lexists(old)]
            raise os_errors.after_swap(err, left) from err

    def _after_swap(self, swaps, seen, keep, lock_dir: Path, journal: Path, made) -> None:
        """The record of what the run made, then each old folder removed or kept aside, then
        the journal removed (it goes last: a run killed before is completed by the next,
        :func:`fac_eval.run.swap_repair.recover`)."""
        from fac_eval.run import output_record

        output_record.write_record(self.key, self.paths, self.targets, made)  # what it made
        kept = []
        try:
            for target, _, old in swaps:
                late = output_record.snapshot(old) != seen[target]
                if (keep[target] or late) and os.path.isdir(old) and not os.path.islink(old):
                    kept.append((target, output_record.keep_aside(old, target, self.paths)))
                else:
                    with contextlib.suppress(OSError):
                        _rmtree(old)
        except OSError:  # an old folder not kept aside stays, and the next run keeps it
            write_private(lock_dir, journal.name, json.dumps(
                [[str(a), str(b), str(c), True, made[str(a)]] for a, b, c in swaps]))
            self._say_kept(kept)
            raise
        with contextlib.suppress(OSError):
            journal.unlink()
        self._say_kept(kept)
        self._tidy()
