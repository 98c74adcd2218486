"""Which files of an output folder fac-eval made: the record that keeps the evaluator's own.

A run replaces its output folders whole (:mod:`fac_eval.run.outputs`). A file put there by
someone else (a signed copy of the report, notes, an export with names) would go with them,
silently. So each swap records, for each output folder, the names of the files the new folder
holds. The record is kept in the lock folder under the processed root, never in a published
folder: ``<processed root>/.fac-eval-locks/<key>.files.json``.

Before a run starts, and again at its swap, a file of an output folder is the user's when it is
none of these:

- a file the previous run recorded for that folder;
- a file the new folder holds (this run makes it again);
- an evaluator's working file that runs keep (:data:`fac_eval.run.outputs.KEEP`);
- a leftover of fac-eval's own (its hidden ``.fac-eval-`` names), or a desktop's index file
  (``.DS_Store``, ``Thumbs.db``, ``desktop.ini``).

The run is then refused before anything is written, and the refusal names the files, as for a
folder fac-eval does not make (:func:`fac_eval.data.session_paths.guard_no_foreign_folders`).

A folder that no run has recorded is judged by fac-eval's own file names instead. That is a
folder made by an earlier version, or one whose record went with the processed root. These
names are the reports, exports, executed notebooks and comparison tables of the folder's own
name, in every language, and the tables (``.csv``) of a processed folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable
from fnmatch import fnmatchcase
from pathlib import Path

from fac_eval.core.i18n import N_, both
from fac_eval.data.session_paths import PathGuardError, Paths

#: Files a desktop writes by itself in any folder it shows: never worth a refusal.
_DESKTOP_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
#: How many of the user's files a refusal names before "…".
_SHOWN = 5


def record_path(key: str, paths: Paths) -> Path:
    """Where the record of ``key``'s output folders is kept (beside its lock)."""
    from fac_eval.run.outputs import LOCK_DIR

    return Path(paths.processed) / LOCK_DIR / f"{key}.files.json"


def read_record(key: str, paths: Paths) -> dict[str, frozenset[str]]:
    """The recorded file names of ``key``'s output folders, by the folder's absolute path
    (empty when there is no record, or it cannot be read or is not a record)."""
    path = record_path(key, paths)
    if path.is_symlink() or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(folder): frozenset(n for n in names if isinstance(n, str))
            for folder, names in data.items() if isinstance(names, list)}


def write_record(key: str, paths: Paths, folders: Iterable[Path]) -> None:
    """Record the file names each of ``folders`` holds now (after a swap), keeping what is
    recorded for ``key``'s other folders. Written whole or not at all."""
    record = {folder: sorted(names) for folder, names in read_record(key, paths).items()}
    for folder in folders:
        record[os.path.abspath(folder)] = sorted(_files(Path(folder)))
    path = record_path(key, paths)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(record, f, indent=1, sort_keys=True, ensure_ascii=False)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _files(folder: Path) -> list[str]:
    """The names of what ``folder`` holds that is not a folder (files, links, anything else)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:  # not there yet, or not a folder (said by the callers)
        return []
    return [e.name for e in entries if not e.is_dir()]  # a link to a folder is a folder


def own_names(stem: str) -> frozenset[str]:
    """The names fac-eval gives the files of an output folder named ``stem``, in every language
    (reports, PDFs, exports, executed notebooks, comparison reports and tables, the inputs
    record): how an unrecorded folder is judged."""
    from fac_eval.run import outputs as o

    names = {o.INPUTS_FILE}
    for lang in o.LANGS:
        names.update(o.session_files(stem, lang))
        names.update(o.comparison_file(stem, lang, suffix)
                     for suffix in (".html", ".pdf", ".ipynb"))
        names.update(o.comparison_tables(stem, lang))
        names.add(o.quality_file(stem, lang))
    return frozenset(names)


def foreign_files(folder: Path, key: str, paths: Paths, staged: Iterable[str] = ()) -> list[str]:
    """The sorted names of the files in ``folder`` that fac-eval did not make (see the module):
    what a swap of ``folder`` would remove although no run of ``key`` made it. ``staged``: the
    names the run's new folder holds."""
    from fac_eval.run.outputs import KEEP, _private

    folder = Path(folder)
    present = _files(folder)
    if not present:
        return []
    recorded = read_record(key, paths).get(os.path.abspath(folder))
    if recorded is None:  # an earlier version's folder: fac-eval's own names
        recorded = own_names(folder.name)
        if _private(folder, paths):
            recorded |= {n for n in present if n.endswith(".csv")}
    own = recorded | set(staged)
    return sorted(n for n in present
                  if n not in own and n not in _DESKTOP_FILES and not n.startswith(".fac-eval-")
                  and not any(fnmatchcase(n, pattern) for pattern in KEEP))


def guard_no_foreign_files(folder: Path, key: str, paths: Paths,
                           staged: Iterable[str] = ()) -> None:
    """Refuse to replace ``folder`` when it holds a file fac-eval did not make
    (:func:`foreign_files`): the refusal names them, and nothing is changed."""
    foreign = foreign_files(folder, key, paths, staged)
    if foreign:
        shown = ", ".join(foreign[:_SHOWN]) + (", …" if len(foreign) > _SHOWN else "")
        raise PathGuardError(*both(
            N_("Write refused: %(path)s holds files fac-eval did not make (%(files)s); the run "
               "replaces the whole folder and would remove them. Move them elsewhere first. "
               "Nothing was changed."), path=folder, files=shown), folder)
