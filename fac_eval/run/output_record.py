"""Which files of an output folder fac-eval made: the record that keeps the evaluator's own.

A run replaces its output folders whole (:mod:`fac_eval.run.outputs`). A file put there by
someone else (a signed copy of the report, notes, an export with names) would go with them,
silently. So each swap records, for each output folder (by its real path: the same folder
reached through a link is the same folder), the name and the SHA-256 of every file the new
folder holds. The record is kept in the lock folder under the processed root, never in a
published folder: ``<processed root>/.fac-eval-locks/<key>.files.json``.

Before a run starts, and again at its swap, a file of a recorded output folder is the user's
unless it is one of these:

- a file the previous run recorded for that folder, with the same content (a recorded report
  replaced by a signed copy of the same name is the user's);
- an evaluator's working file that runs keep (:data:`fac_eval.run.outputs.KEEP`);
- a desktop's index file (``.DS_Store``, ``Thumbs.db``, ``desktop.ini``).

The run is then refused before anything is written, and the refusal names the files, as for a
folder fac-eval does not make (:func:`fac_eval.data.session_paths.guard_no_foreign_folders`).

A folder that no run has recorded (made by an earlier version, or whose record was removed with
the processed root or damaged) cannot be told apart so surely. A file in it that does not bear
one of fac-eval's own names (:func:`own_names`: the reports, exports and executed notebooks of
the folder's name in every language, the inputs record, and a processed folder's tables) stops
the run in the same way. Files that do bear them may still be the user's (a signed
``rapport_<s>.pdf``): such a folder is therefore never removed by the swap but kept whole, in
``<processed root>/.fac-eval-kept/`` (:func:`keep_aside`), and the run says where.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import stat
import time
from collections.abc import Iterable
from fnmatch import fnmatchcase
from pathlib import Path

from fac_eval.core.i18n import N_, both
from fac_eval.data.session_paths import PathGuardError, Paths

#: Files a desktop writes by itself in any folder it shows: never worth a refusal.
_DESKTOP_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
#: How many of the user's files a refusal names before "…".
_SHOWN = 5
#: The stems of the tables a run writes in a processed folder
#: (:meth:`fac_eval.data.cleaning.CleanSession.tables`, ``indicators`` and ``claims_check``).
PROCESSED_TABLES = ("learners", "learner_flow", "learner_outcomes", "learner_declarations",
                    "founders", "founder_outcomes", "founder_business", "followup",
                    "testimonies", "indicators", "claims_check")
#: Where the folders no run recorded are kept instead of removed (in the processed root).
KEPT_DIR = ".fac-eval-kept"
_VERSION = 2


def record_path(key: str, paths: Paths) -> Path:
    """Where the record of ``key``'s output folders is kept (beside its lock)."""
    from fac_eval.run.outputs import LOCK_DIR

    return Path(paths.processed) / LOCK_DIR / f"{key}.files.json"


def _where(folder: Path) -> str:
    """The record's key of a folder: its real path."""
    return os.path.realpath(folder)


def read_record(key: str, paths: Paths) -> dict[str, dict[str, str | None]]:
    """The recorded files of ``key``'s output folders, ``{folder's real path: {name: SHA-256}}``
    (empty when there is no record, or it cannot be read or is not a record). A record of the
    previous version (names only, by absolute path) gives names without a digest."""
    data = _read(key, paths)
    if data.get("version") == _VERSION and isinstance(data.get("folders"), dict):
        return _digests(data["folders"])
    return {str(folder): {n: None for n in names if isinstance(n, str)}
            for folder, names in data.items() if isinstance(names, list)}


def read_pending(key: str, paths: Paths) -> dict[str, dict[str, str | None]]:
    """The record's pending part (:func:`write_pending`): what the last swap begun, and not yet
    recorded, puts in each folder, ``{folder's real path: {name: SHA-256}}``."""
    data = _read(key, paths)
    pending = data.get("pending") if data.get("version") == _VERSION else None
    return _digests(pending) if isinstance(pending, dict) else {}


def _read(key: str, paths: Paths) -> dict:
    path = record_path(key, paths)
    if path.is_symlink() or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _digests(folders: dict) -> dict[str, dict[str, str | None]]:
    return {str(folder): {n: d for n, d in files.items()
                          if isinstance(n, str) and isinstance(d, str)}
            for folder, files in folders.items() if isinstance(files, dict)}


def write_pending(key: str, paths: Paths, made: dict[str, dict[str, str | None]]) -> None:
    """Before a swap (and its journal), keep in the record what each folder ``made[target]``
    will hold, as staged: should the run be killed during the swap and its journal be removed
    since, the new folders' files are still fac-eval's, not the user's. The next
    :func:`write_record` drops it."""
    pending = {_where(Path(t)): {n: d for n, d in files.items() if d is not None}
               for t, files in made.items()}
    _save(key, paths, {f: files for f, files in read_record(key, paths).items()
                       if all(d is not None for d in files.values())}, pending)


def _recorded(key: str, paths: Paths, folder: Path) -> dict[str, str | None] | None:
    """The recorded files of ``folder`` with their digests; None when no run recorded it, or
    only by names (the previous version's record: a user's copy under a recorded name cannot
    be told from fac-eval's, so the folder is judged as one no run recorded)."""
    record = read_record(key, paths)
    found = record.get(_where(folder))
    found = found if found is not None else record.get(os.path.abspath(folder))
    if found is None or any(d is None for d in found.values()):
        return None
    return found


def made_files(folder: Path) -> dict[str, str | None]:
    """The files of a staging folder, complete and not yet swapped in, with their SHA-256:
    what the run made (its working files apart), recorded after the swap
    (:func:`write_record`)."""
    return {n: _digest(Path(folder) / n) for n in _files(Path(folder))
            if not _working_file(n) and n not in _DESKTOP_FILES}


def write_record(key: str, paths: Paths, folders: Iterable[Path],
                 made: dict[str, dict[str, str | None] | None] | None = None) -> None:
    """Record the files each of ``folders`` holds after a swap, keeping what is recorded for
    ``key``'s other folders. Written whole or not at all, never through a link.

    ``made`` (by folder, as given): what the run staged there (:func:`made_files`), recorded as
    it was staged: a file put into the folder after its swap and before this record (the
    user's, saved meanwhile, or after a killed run) is not recorded, so a later run refuses to
    remove it. A folder without it (a journal of the previous version) is recorded as it is."""
    record = read_record(key, paths)
    for folder in folders:
        before = _recorded(key, paths, Path(folder)) or {}
        staged = (made or {}).get(str(folder))
        record.pop(os.path.abspath(folder), None)
        files = {}
        for n in _files(Path(folder)):
            if staged is not None and not _working_file(n):
                if n in staged:
                    files[n] = staged[n]
                continue  # not what the run made: the user's
            if _working_file(n):
                # the evaluator's working file, carried over: recorded as fac-eval last wrote
                # it (fac-eval quality), never as it is now (it may have been edited)
                if before.get(n) is not None:
                    files[n] = before[n]
                continue
            files[n] = _digest(Path(folder) / n)
        record[_where(folder)] = files
    # a folder recorded by names only (the previous version) stays unrecorded, never a folder
    # recorded as holding nothing
    _save(key, paths, {f: files for f, files in record.items()
                       if all(d is not None for d in files.values())})


def _save(key: str, paths: Paths, record: dict, pending: dict | None = None) -> None:
    """Write ``key``'s record (and its ``pending`` part, if any) whole or not at all, never
    through a link."""
    from fac_eval.run.outputs import write_private

    data = {"version": _VERSION, "folders": record, **({"pending": pending} if pending else {})}
    text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)
    path = record_path(key, paths)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private(path.parent, path.name, text)


def record_file(key: str, paths: Paths, folder: Path, name: str) -> None:
    """Add the file ``name`` of ``folder``, as it is now, to ``key``'s record of that folder
    (a file fac-eval writes outside a swap: the data-quality notebook). A folder no run
    recorded gets a record only when it holds nothing else."""
    folder = Path(folder)
    record = read_record(key, paths)
    files = _recorded(key, paths, folder)
    if files is None:
        if any(n != name and not _exempt(folder, n, True) for n in _files(folder)):
            return
        files = {}
    record.pop(os.path.abspath(folder), None)
    record[_where(folder)] = {**files, name: _digest(folder / name)}
    _save(key, paths, record, read_pending(key, paths))


def is_recorded(key: str, paths: Paths, folder: Path, name: str) -> bool:
    """Whether the file ``name`` of ``folder`` is as fac-eval recorded it (same SHA-256)."""
    files = _recorded(key, paths, Path(folder)) or {}
    return name in files and files[name] == _digest(Path(folder) / name)


def keep_file_aside(path: Path, paths: Paths) -> Path:
    """Move the file ``path`` into the processed root's :data:`KEPT_DIR` (named after its
    folder, its name and the time); return where it is."""
    kept = kept_dir(paths)
    path = Path(path)
    dest = kept / (f"{path.parent.name}~{time.strftime('%Y%m%d-%H%M%S')}~"
                   f"{secrets.token_hex(2)}~{path.name}")
    shutil.move(str(path), str(dest))
    return dest


def _files(folder: Path) -> list[str]:
    """The names of what ``folder`` holds that is not a folder (files, links, anything else)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:  # not there yet, or not a folder (said by the callers)
        return []
    return [e.name for e in entries if not e.is_dir()]  # a link to a folder is a folder


def _digest(path: Path) -> str | None:
    """The SHA-256 of a plain file's bytes; None for a link or anything else (never fac-eval's)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


def own_names(stem: str, processed: bool = False) -> frozenset[str]:
    """The names fac-eval gives the files of an output folder named ``stem``, in every language
    (reports, PDFs, exports, executed notebooks, comparison reports and tables, the inputs
    record, an earlier version's kernel logs; with ``processed``, the tables of a processed
    folder): how a folder no run recorded is judged."""
    from fac_eval.run import outputs as o

    names = {o.INPUTS_FILE}
    for lang in o.LANGS:
        names.update(o.session_files(stem, lang))
        names.update(o.comparison_file(stem, lang, suffix)
                     for suffix in (".html", ".pdf", ".ipynb"))
        names.update(o.comparison_tables(stem, lang))
        names.add(o.quality_file(stem, lang))
    if processed:
        names.update(f"{table}.csv" for table in PROCESSED_TABLES)
        # the kernel's log an earlier version's ``quality`` wrote beside its notebook (removed
        # at the end of that run, left by a killed one)
        names.update(f".{Path(o.quality_file(stem, lang)).stem}.kernel.log" for lang in o.LANGS)
    return frozenset(names)


def _working_file(name: str) -> bool:
    """Whether ``name`` is an evaluator's working file that runs keep (``KEEP``)."""
    from fac_eval.run.outputs import KEEP

    return any(fnmatchcase(name, pattern) for pattern in KEEP)


def carried_over(folder: Path, private: bool) -> list[str]:
    """The files a swap of ``folder`` copies into the new folder: the desktop's own files
    (``desktop.ini``, ``Thumbs.db``, ``.DS_Store``, whatever they hold) and, in a processed
    folder only (``private``), the evaluator's working files (:data:`KEEP`: a data-quality
    notebook in a published folder was never scanned, so there it is the user's); plain files
    only (a link or a pipe under such a name is the user's)."""
    return [n for n in _files(Path(folder)) if (n in _DESKTOP_FILES or (
        private and _working_file(n))) and _plain(Path(folder) / n)]


def _exempt(folder: Path, name: str, private: bool) -> bool:
    """Whether ``name`` is carried over by a swap (:func:`carried_over`), never the user's."""
    return (name in _DESKTOP_FILES or (private and _working_file(name))) and _plain(
        Path(folder) / name)


def _plain(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def foreign_files(folder: Path, key: str, paths: Paths) -> list[str]:
    """The sorted names of the files in ``folder`` that fac-eval did not make (see the module):
    what a swap of ``folder`` would remove although no run of ``key`` made it."""
    from fac_eval.run.outputs import _private

    return sorted(name for name, _ in _judged(folder, key, paths, _private(folder, paths)))


def _judged(folder: Path, key: str, paths: Paths, private: bool) -> list[tuple[str, bool]]:
    """The user's files of ``folder``, each with whether it is a recorded file since changed.
    JupyterLab's checkpoints are the user's in a published folder (fac-eval puts no notebook
    there; in a processed folder they are carried over)."""
    from fac_eval.run.outputs import CHECKPOINTS

    folder = Path(folder)
    checkpoints = folder / CHECKPOINTS
    mine = [] if private or not checkpoints.is_dir() or not any(checkpoints.iterdir()) \
        else [(CHECKPOINTS, False)]
    return mine + _judged_files(folder, key, paths, private)


def _judged_files(folder: Path, key: str, paths: Paths,
                  private: bool) -> list[tuple[str, bool]]:
    # a file the swap begun last staged there (its journal removed since a kill) is fac-eval's
    staged = read_pending(key, paths).get(_where(folder), {})
    present = [n for n in _files(folder) if not _exempt(folder, n, private)
               and not (staged.get(n) is not None and _digest(folder / n) == staged[n])]
    if not present:
        return []
    recorded = _recorded(key, paths, folder)
    if recorded is None:  # no run recorded it: fac-eval's own names (and the folder is kept)
        own = own_names(folder.name, private)
        return [(n, False) for n in present
                if n not in own or _digest(folder / n) is None]
    return _not_recorded(folder, present, recorded)


def _not_recorded(folder: Path, names: Iterable[str],
                  recorded: dict[str, str | None]) -> list[tuple[str, bool]]:
    """Those of the files ``names`` of ``folder`` that are not as ``recorded``, each with
    whether it is a recorded file since changed."""
    out = []
    for n in names:
        if n not in recorded:
            out.append((n, False))
        elif _digest(Path(folder) / n) != recorded[n]:
            out.append((n, True))
    return out


def differs_from_record(old: Path, target: Path, key: str, paths: Paths) -> bool:
    """Whether ``old`` (the folder that was ``target``, swapped out) holds anything the record
    of ``target`` does not: a file not recorded or changed, a folder; True when no run
    recorded ``target``."""
    from fac_eval.run.outputs import CHECKPOINTS, _private

    recorded = _recorded(key, paths, target)
    if recorded is None:
        return True
    try:
        entries = list(os.scandir(old))
    except OSError:
        return False
    if any(e.is_dir(follow_symlinks=False) and e.name != CHECKPOINTS for e in entries):
        return True
    files = [e.name for e in entries if not e.is_dir(follow_symlinks=False)
             and not _exempt(old, e.name, _private(target, paths))]
    return bool(_not_recorded(old, files, recorded))


def unrecorded(folder: Path, key: str, paths: Paths) -> bool:
    """Whether ``folder`` holds files although no run of ``key`` recorded it: the swap then
    keeps the folder (:func:`keep_aside`) instead of removing it."""
    folder = Path(folder)
    from fac_eval.run.outputs import _private

    if not any(not _exempt(folder, n, _private(folder, paths)) for n in _files(folder)):
        return False
    return _recorded(key, paths, folder) is None


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """What ``folder`` holds, by name: each entry's size and modification time (a file put in
    or changed since gives another snapshot)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return {}
    out = {}
    for e in entries:
        try:
            info = e.stat(follow_symlinks=False)
        except OSError:
            continue
        out[e.name] = (info.st_size, info.st_mtime_ns)
    return out


def ready_to_record(key: str, paths: Paths, kept: bool = False) -> None:
    """Make sure, before a swap, that what follows it can be done: the record can be written
    (its name is not a folder) and, with ``kept``, the folder of kept folders can be made. A
    failure is said before anything is swapped (the outputs are then unchanged)."""
    import errno

    path = record_path(key, paths)
    if os.path.isdir(path) and not os.path.islink(path):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if kept:
        kept_dir(paths)


def kept_dir(paths: Paths) -> Path:
    """The processed root's folder of kept folders, made when missing (never a link, never
    under raw data; a file of that name is refused by ``mkdir``)."""
    from fac_eval.data.session_paths import guard_output

    kept = guard_output(Path(paths.processed) / KEPT_DIR, paths, roots=False, replaced=False)
    kept.mkdir(parents=True, exist_ok=True)
    return kept


def kept_name(target: Path, paths: Paths, stamp: str) -> str:
    """The name a kept copy of ``target`` gets: which root it was in (``reports`` or
    ``processed``, whatever the roots' folders are called), its path under that root and
    ``stamp``, joined by ``~``, with 4 random hex digits (two kept the same second):
    ``reports~comparisons~c1~20261207-031500~1a2b``, ``processed~2022~…``."""
    real = Path(_where(target))
    name = f"{target.parent.name}~{target.name}"  # outside both roots: its folder and name
    for root, word in ((paths.reports, "reports"), (paths.processed, "processed")):
        if real.is_relative_to(_where(root)):
            name = "~".join((word, *real.relative_to(_where(root)).parts))
            break
    return f"{name}~{stamp}~{secrets.token_hex(2)}"


def keep_aside(old: Path, target: Path, paths: Paths) -> Path:
    """Move ``old`` (the folder that was ``target``, swapped out) into the processed root's
    :data:`KEPT_DIR`, named after ``target``'s place and the time (:func:`kept_name`); return
    where it is (copied then removed across file systems)."""
    kept = kept_dir(paths)
    dest = kept / kept_name(target, paths, time.strftime("%Y%m%d-%H%M%S"))
    from fac_eval.run.outputs import move_folder

    move_folder(old, dest)
    return dest


def guard_no_foreign_files(folder: Path, key: str, paths: Paths, early: bool = False) -> None:
    """Refuse to replace ``folder`` when it holds a file fac-eval did not make
    (:func:`foreign_files`): the refusal names them, and nothing is changed.

    ``early``: the check a command makes before it takes the session's lock. While a killed
    run's swap is pending (its journal is there), the record does not describe the folders it
    already swapped: the check is then left to the recovery, under the lock
    (:func:`fac_eval.run.outputs.recover`), and to the staging that follows it."""
    from fac_eval.core.i18n import tr
    from fac_eval.run.outputs import _journal, _private

    if early and os.path.lexists(_journal(key, paths)):
        return

    judged = sorted(_judged(folder, key, paths, _private(folder, paths)))
    if not judged:
        return

    from fac_eval.run.outputs import CHECKPOINTS

    def one(name: str, changed: bool, lang: str) -> str:
        if changed:
            return tr(lang, N_("%(name)s (changed since the run that made it)"), name=name)
        return tr(lang, N_("the folder %(name)s"), name=name) if name == CHECKPOINTS else name

    def shown(lang: str) -> str:
        names = [one(n, changed, lang) for n, changed in judged[:_SHOWN]]
        return ", ".join(names) + (", …" if len(judged) > _SHOWN else "")

    names = [n for n, _ in judged]
    if names == [CHECKPOINTS]:  # the words of session_paths.guard_no_foreign_folders
        fr, en = both(N_("Write refused: %(path)s holds a folder fac-eval does not make "
                         "(%(folders)s); the run replaces the whole folder and would remove it "
                         "with what it holds. Move it elsewhere first. Nothing was changed."),
                      path=folder, folders=CHECKPOINTS)
    else:
        fr, en = both(N_("Write refused: %(path)s holds files fac-eval did not make "
                         "(%(files)s); the run replaces the whole folder and would remove them. "
                         "Move them elsewhere first. Nothing was changed."),
                      path=folder, files=shown)
    if CHECKPOINTS in names:  # why this one is refused here and carried over elsewhere
        why = both(N_("JupyterLab's checkpoints are carried over in a processed folder only, "
                      "never in a report folder."))
        fr, en = f"{fr} {why[0]}", f"{en} {why[1]}"
    raise PathGuardError(fr, en, folder)
