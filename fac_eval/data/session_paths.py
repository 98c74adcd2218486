"""The one resolver from a session name to its folders, and the guards on where fac-eval writes.

Every command, the pipeline, batch runs, comparisons and the notebooks turn a session argument
into folders here, and nowhere else:

- a session argument is a *name*, never a path: letters, digits, ``.``, ``_`` and ``-``, starting
  with a letter or a digit, at most 64 characters, no ``/`` or ``\\``, no ``..``
  (:func:`check_name`);
- the folders live under the configured roots: ``FAC_EVAL_RAW``, ``FAC_EVAL_PROCESSED``,
  ``FAC_EVAL_REPORTS`` when set (a relative value is read from the working folder of the
  process that reads it: ``fac-eval`` makes the roots absolute for the kernels it starts, but a
  kernel that plain papermill starts with ``--cwd`` elsewhere reads a relative value from its
  own folder, so give absolute paths there, as the README says), else ``data/raw``,
  ``data/processed`` and ``reports`` of the project that holds the package (:class:`Paths`);
- an output folder is never a symbolic link, never inside (or around) the raw root or a raw
  session folder, even through links (:func:`guard_output`); a symlinked raw session is read,
  never written through;
- the raw root is the folder of the sessions, never one session's folder, and only
  ``new-session`` and ``synth`` create raw folders, and only new ones
  (:mod:`fac_eval.data.raw_folders`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fac_eval.core.i18n import N_, both
from fac_eval.core.invisible import shown as show_value

ROOT = Path(__file__).resolve().parents[2]
MAX_NAME = 64
_CHARS_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
ENV_VARS = ("FAC_EVAL_RAW", "FAC_EVAL_PROCESSED", "FAC_EVAL_REPORTS")


class PathGuardError(Exception):
    """A refusal about a name or a folder, in plain words (French and English)."""

    exit_code = 1

    def __init__(self, fr: str, en: str, path: str | Path | None = None):
        super().__init__(fr)
        self.fr, self.en, self.path = fr, en, path

    def message(self, lang: str = "fr") -> str:
        return self.en if lang == "en" else self.fr


class SessionNameError(PathGuardError, ValueError):
    """The argument is not a plain session name (a usage error: exit code 2)."""

    exit_code = 2


def _env_dir(var: str, default: Path) -> Path:
    value = os.environ.get(var, "").strip()
    return Path(os.path.abspath(value)) if value else Path(default)


@dataclass
class Paths:
    """Where sessions' inputs and outputs are (the configured roots)."""

    root: Path = ROOT

    @property
    def raw(self) -> Path:
        return _env_dir("FAC_EVAL_RAW", Path(self.root) / "data" / "raw")

    @property
    def processed(self) -> Path:
        return _env_dir("FAC_EVAL_PROCESSED", Path(self.root) / "data" / "processed")

    @property
    def reports(self) -> Path:
        return _env_dir("FAC_EVAL_REPORTS", Path(self.root) / "reports")

    @property
    def notebooks(self) -> Path:
        return Path(self.root) / "notebooks"

    def environment(self) -> dict[str, str]:
        """The three roots as absolute ``FAC_EVAL_*`` variables (for a kernel started elsewhere)."""
        return {"FAC_EVAL_RAW": str(Path(os.path.abspath(self.raw))),
                "FAC_EVAL_PROCESSED": str(Path(os.path.abspath(self.processed))),
                "FAC_EVAL_REPORTS": str(Path(os.path.abspath(self.reports)))}


#: The folder of the comparisons in the processed and the reports roots: no session may be
#: named so (its outputs would replace every comparison's).
COMPARISONS_DIR = "comparaisons"


def check_name(name, what: str = "session", max_len: int = MAX_NAME) -> str:
    """Return ``name`` if it is a plain name, else raise :class:`SessionNameError`; a session
    is never named :data:`COMPARISONS_DIR`."""
    text = "" if name is None else str(name)
    if what == "session" and text == COMPARISONS_DIR:
        raise SessionNameError(*both(N_(
            "The session name '%(name)s' is reserved: the folders %(name)s/ of the processed "
            "and the reports roots hold the comparisons between sessions. Give the session "
            "another name."), name=text))
    shown = show_value(text if len(text) <= 80 else text[:77] + "…")
    why: tuple[str, str] = ("", "")
    if any(sep in text for sep in ("/", "\\")) or text in (".", "..") or ".." in text:
        why = both(N_(": this is a path, not a name (sessions are folders of the configured "
                      "roots)"))
    elif len(text) > max_len:
        why = both(N_(": %(count)s characters"), count=len(text))
    ok = bool(_CHARS_RE.fullmatch(text)) and len(text) <= max_len and ".." not in text
    if not ok:
        rule = N_("letters, digits, '.', '_' and '-' only, starting with a letter or a digit, at "
                  "most %(max)s characters, no '/' and no '..'")
        message = _INVALID_NAME.get(what, N_("Invalid %(what)s name '%(name)s'%(why)s. Expected: "
                                             "%(rule)s."))
        raise SessionNameError(*both(
            message, what=what, name=shown, why=lambda lang: why[lang == "en"],
            rule=lambda lang: both(rule, max=max_len)[lang == "en"]))
    return text


#: The refusal of an invalid name, for each kind of name (French says "de session").
_INVALID_NAME = {
    "session": N_("Invalid session name '%(name)s'%(why)s. Expected: %(rule)s."),
    "comparison": N_("Invalid comparison name '%(name)s'%(why)s. Expected: %(rule)s."),
}


@dataclass(frozen=True)
class SessionFolders:
    """The three folders of one session (raw is read only; processed and report are outputs)."""

    name: str
    raw: Path
    processed: Path
    report: Path


def file_in_path(path: str | Path) -> Path | None:
    """The first component of ``path`` (itself included) that exists and is not a folder (a
    regular file, a device…), or None: why the system says ENOTDIR, or EEXIST on ``mkdir``."""
    p = Path(os.path.abspath(path))
    for part in [*reversed(p.parents), p]:
        try:
            if part.exists() and not part.is_dir():
                return part
        except OSError:  # a component unreadable: not this function's question
            return None
    return None


def check_roots(paths: Paths) -> None:
    """Each configured root is a folder, or does not exist yet: a root (or a folder above it)
    that is a file is refused, naming the variable and the file; a raw root that git would pick
    up is refused (:func:`fac_eval.data.raw_git.check_raw_root`), and so is one that is a
    session's folder (:func:`fac_eval.data.raw_folders.check_raw_root_shape`)."""
    for var, root in zip(ENV_VARS, (paths.raw, paths.processed, paths.reports)):
        blocker = file_in_path(root)
        if blocker is not None:
            src = f"{var} = {root}" if os.environ.get(var, "").strip() else str(root)
            message = N_("The folder %(folder)s is a file, not a folder: give a folder (ENOTDIR). "
                         "Nothing was written.") if blocker == Path(os.path.abspath(root)) else \
                N_("The folder %(folder)s goes through %(file)s, which is a file, not a folder: "
                   "give a folder (ENOTDIR). Nothing was written.")
            raise PathGuardError(*both(message, folder=src, file=blocker), blocker)
    from fac_eval.data.raw_folders import check_raw_root_shape
    from fac_eval.data.raw_git import check_raw_root

    check_raw_root_shape(paths)  # the folder of the sessions, never one session's
    check_raw_root(paths.raw, Path(paths.root) / "data" / "raw",
                   bool(os.environ.get("FAC_EVAL_RAW", "").strip()))


def resolve(name, paths: Paths | None = None) -> SessionFolders:
    """Session name -> its folders under the configured roots (the name is checked, and each
    root must be a folder: :func:`check_roots`)."""
    paths = paths or Paths()
    name = check_name(name)
    check_roots(paths)
    return SessionFolders(name, paths.raw / name, paths.processed / name, paths.reports / name)


class SessionNotFoundError(PathGuardError, LookupError):
    """No such session: the one "session not found" message
    (:func:`fac_eval.data.known_sessions.session_not_found`), naming the known sessions; ``str()`` is in
    the language asked for (a notebook shows it as it is)."""

    def __init__(self, fr: str, en: str, path: Path, lang: str = "fr"):
        super().__init__(fr, en, path)
        self.args = (self.message(lang),)


def session_exists(folder: Path) -> bool:
    """A raw session is a folder holding its ``session.yml`` or at least one data file (an empty
    folder, or one with nothing the reader reads, is not a session)."""
    from .io import FILE_EXTENSIONS

    if not folder.is_dir():
        return False
    return any(p.name == "session.yml" or p.suffix.lower() in FILE_EXTENSIONS
               for p in folder.iterdir())


def session_not_found_error(name: str, paths: Paths | None = None,
                            lang: str = "fr") -> SessionNotFoundError:
    from .known_sessions import list_sessions, session_not_found

    paths = paths or Paths()
    known = list_sessions(paths)
    return SessionNotFoundError(session_not_found(name, known, paths.raw, "fr"),
                                session_not_found(name, known, paths.raw, "en"),
                                resolve(name, paths).raw, lang)


def raw_session_dir(name, paths: Paths | None = None, lang: str = "fr") -> Path:
    """The raw folder of a session, for reading (used by the notebooks). Raises
    :class:`SessionNotFoundError` (the one "session not found" message, in ``lang``) when there
    is no such session (:func:`session_exists`)."""
    folder = resolve(name, paths).raw
    if not session_exists(folder):
        raise session_not_found_error(str(name), paths, lang if lang in ("fr", "en") else "fr")
    return folder


def raw_session_dirs(names, paths: Paths | None = None, lang: str = "fr") -> list[Path]:
    """Raw folders of several sessions (a list or a comma-separated string of names)."""
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    return [raw_session_dir(n, paths, lang) for n in names]


def _real(p: Path) -> Path:
    return Path(os.path.realpath(p))


def _overlap(a: Path, b: Path) -> bool:
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


def _raw_places(paths: Paths) -> list[Path]:
    """The raw root and every raw session folder, resolved through links; the project's own
    ``data/raw`` and its sessions too when ``FAC_EVAL_RAW`` points elsewhere (the sessions kept
    there are raw data whatever the configuration says)."""
    roots = [paths.raw]
    default = Path(paths.root) / "data" / "raw"
    if _real(default) != _real(paths.raw) and default.is_dir():
        roots.append(default)
    places = [_real(r) for r in roots]
    for root in roots:
        try:
            entries = list(os.scandir(root))
        except OSError:
            entries = []
        for e in entries:
            try:
                if e.is_dir():  # follows links: a symlinked session points somewhere else
                    places.append(_real(Path(e.path)))
            except OSError:
                continue
    return places


#: The files that make a folder a raw session's, wherever it is: its metadata and the
#: questionnaires' own files (a processed folder holds other names: learners.csv, followup.csv).
RAW_MARKERS = ("session.yml", "claims.yml")
RAW_STEMS = ("learners_profile", "learners_entry", "learners_exit", "founders_profile",
             "founders_entry", "founders_exit")


def raw_files_in(folder: Path) -> list[str]:
    """The names of the raw-session files ``folder`` holds (:data:`RAW_MARKERS`, a
    questionnaire's ``.csv`` / ``.xlsx``); empty when it holds none or cannot be read."""
    try:
        names = sorted(e.name for e in os.scandir(folder) if e.is_file())
    except OSError:
        return []
    found = [n for n in names if n in RAW_MARKERS or (
        Path(n).stem in RAW_STEMS and Path(n).suffix.lower() in (".csv", ".xlsx"))]
    return sorted(found, key=lambda n: (n not in RAW_MARKERS, n))  # session.yml first


def _raw_session_around(real: Path) -> tuple[Path, list[str]] | None:
    """The nearest of ``real`` and its parents that holds raw-session files, with them."""
    for folder in (real, *real.parents):
        found = raw_files_in(folder)
        if found:
            return folder, found
    return None


def guard_output(target: Path, paths: Paths | None = None, roots: bool = True,
                 replaced: bool = True) -> Path:
    """Refuse to write ``target`` (an output folder) if it is a link or touches raw data, or
    when the processed and the reports roots overlap (:func:`check_output_roots`, unless
    ``roots`` is False). ``replaced``: ``target`` is a folder a run replaces whole, so a folder
    inside it is the user's (:func:`guard_no_foreign_folders`); fac-eval's own folders of the
    processed root (locks, staging, kept folders) are not.

    Returns ``target``. Raises :class:`PathGuardError` naming the folder.
    """
    paths = paths or Paths()
    target = Path(os.path.abspath(target))
    if os.path.islink(target):
        raise PathGuardError(*both(
            N_("%(path)s is a symbolic link (to %(target)s): fac-eval never writes through a "
               "link. Remove the link; nothing was changed."),
            path=target, target=os.path.realpath(target)), target)
    real = _real(target)
    for raw in _raw_places(paths):
        if _overlap(real, raw):
            raise PathGuardError(*both(
                N_("Write refused: %(path)s (that is %(real)s) overlaps the raw data %(raw)s. Raw "
                   "data are never written; check FAC_EVAL_PROCESSED and FAC_EVAL_REPORTS. "
                   "Nothing was changed."), path=target, real=real, raw=raw), target)
    # wherever the roots point: never replace, nor write inside, a folder holding a raw
    # session's files (a session copied out of the raw root, a misconfigured output root)
    around = _raw_session_around(real)
    if around is not None:
        folder, files = around
        shown = ", ".join(files[:3]) + (", …" if len(files) > 3 else "")
        message = (N_("Write refused: %(folder)s holds a raw session's files (%(files)s); an "
                      "output folder would replace them. Raw data are never written; check "
                      "FAC_EVAL_PROCESSED and FAC_EVAL_REPORTS. Nothing was changed.")
                   if folder == real else
                   N_("Write refused: %(path)s would be written inside %(folder)s, which holds a "
                      "raw session's files (%(files)s). Raw data are never written; check "
                      "FAC_EVAL_PROCESSED and FAC_EVAL_REPORTS. Nothing was changed."))
        raise PathGuardError(*both(message, folder=folder, files=shown, path=target), target)
    if replaced:
        guard_no_foreign_folders(target)
    if roots:
        check_output_roots(paths)
    return target


def guard_no_foreign_folders(target: Path) -> None:
    """A folder inside an output folder is the user's (fac-eval makes none): a swap would remove
    it whole. Checked before a run and again at its swap (one may be made meanwhile)."""
    foreign = _foreign_folders(_real(Path(os.path.abspath(target))))
    if foreign:
        raise PathGuardError(*both(
            N_("Write refused: %(path)s holds a folder fac-eval does not make (%(folders)s); the "
               "run replaces the whole folder and would remove it with what it holds. Move it "
               "elsewhere first. Nothing was changed."),
            path=target, folders=", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")),
            target)


#: Folders an output folder may hold: JupyterLab's checkpoints of the executed notebooks
#: (fac-eval makes its staging folders beside an output folder, never inside: a folder named
#: like them inside one is the user's).
_OWN_FOLDERS = re.compile(r"^\.ipynb_checkpoints$")


def _foreign_folders(real: Path) -> list[str]:
    """The names of the folders (and links to folders) inside ``real`` that fac-eval does not
    make, sorted."""
    try:
        entries = list(os.scandir(real))
    except OSError:  # not there yet, or not a folder (said by the callers)
        return []
    return sorted(e.name for e in entries
                  if e.is_dir() and not _OWN_FOLDERS.match(e.name))


def check_output_roots(paths: Paths) -> None:
    """The processed and the reports roots never overlap (one equal to or inside the other):
    the evaluator's working files would be published with the reports."""
    processed, reports = _real(paths.processed), _real(paths.reports)
    if _overlap(processed, reports):  # the working files would be published with the reports
        raise PathGuardError(*both(
            N_("The processed folder %(processed)s and the reports folder %(reports)s overlap: "
               "the evaluator's working files (tables, executed notebooks with item-level data) "
               "would be published with the reports. Give two separate folders "
               "(FAC_EVAL_PROCESSED, FAC_EVAL_REPORTS). Nothing was written."),
            processed=paths.processed, reports=paths.reports), paths.processed)


def guard_outputs(folders: SessionFolders, paths: Paths | None = None) -> SessionFolders:
    """:func:`guard_output` for a session's two output folders (raw data first: the gravest
    refusal is the one said)."""
    paths = paths or Paths()
    guard_output(folders.processed, paths, roots=False)
    guard_output(folders.report, paths, roots=False)
    check_output_roots(paths)
    return folders


def link_message(path: Path) -> tuple[str, str] | None:
    """The refusal of a new file or folder at ``path`` when ``path`` is a symbolic link (to
    something or to nothing): nothing is ever written through a link. ``None`` when it is not a
    link."""
    if not os.path.islink(path):
        return None
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    if os.path.exists(path):
        return both(N_("%(path)s already exists: it is a symbolic link to %(target)s. Nothing "
                       "existing is ever written over, and fac-eval never writes through a "
                       "link: choose another name."), path=path, target=target)
    return both(N_("%(path)s is a symbolic link to %(target)s, which does not exist: fac-eval "
                   "never writes through a link. Remove the link or choose another name."),
                path=path, target=target)


def _refuse_output_root(where: Path, paths: Paths, message: str, shown: Path,
                        **values) -> None:
    """Refuse, with ``message`` (which may name the %(root)s, its %(variable)s and the
    %(raw)s root), a write to ``where`` when it is inside an output root (processed or
    reports), which fac-eval replaces whole."""
    for root, variable in ((paths.processed, "FAC_EVAL_PROCESSED"),
                           (paths.reports, "FAC_EVAL_REPORTS")):
        if _real(where).is_relative_to(_real(root)):
            raise PathGuardError(*both(message, root=Path(root), variable=variable,
                                       raw=paths.raw, **values), shown)


def guard_new_raw_file(path: str | Path, paths: Paths | None = None,
                       replaceable: Callable[[Path], bool] | None = None) -> Path:
    """:func:`_guard_new_file` on the path as written (``..`` folded as text) and on the path
    the system will write, its folder resolved through links (``link/..`` is the parent of the
    link's target, and ``FAC_EVAL_RAW`` may be a link): both must be allowed. Returns the
    resolved path."""
    paths = paths or Paths()
    written = Path(os.path.abspath(path))
    _guard_new_file(written, paths, replaceable)
    # (realpath resolves the folders that exist and keeps the rest as written)
    resolved = Path(os.path.realpath(Path(path).parent)) / Path(path).name
    if resolved != written:
        _guard_new_file(resolved, paths, replaceable, real_roots=True)
    return resolved


def _guard_new_file(path: Path, paths: Paths,
                    replaceable: Callable[[Path], bool] | None = None,
                    real_roots: bool = False) -> Path:
    """A file written into raw data (``pseudonymise``'s output) must be a new table.

    Raises :class:`PathGuardError` if ``path`` already exists inside the raw root or a raw
    session (through links too), or if its session already has the same table (the same stem
    with any of the reader's extensions, ``learners_profile.xlsx`` for ``learners_profile.csv``):
    raw data are never overwritten and a session never holds two copies of a table. Only a file
    for which ``replaceable`` is true (the untouched empty workbook written by ``new-session``:
    :func:`fac_eval.data.entry_templates.is_blank_template`) may be written over.
    """
    from .io import FILE_EXTENSIONS

    path = Path(os.path.abspath(path))
    paths = paths or Paths()
    inside = os.path.lexists(path.parent) and any(
        _real(path.parent).is_relative_to(place) for place in _raw_places(paths))
    if os.path.lexists(path) and (inside or any(_real(path).is_relative_to(place)
                                                for place in _raw_places(paths))):
        if not (replaceable and path.is_file() and not path.is_symlink() and replaceable(path)):
            link = link_message(path)
            if link is not None:
                raise PathGuardError(*link, path)
            raise PathGuardError(*both(
                N_("%(path)s already exists and holds data: raw data are never overwritten. "
                   "Write to another name outside the session, then copy the rows into this "
                   "file; or, if it really is to be replaced, move it out of %(root)s yourself "
                   "first."), path=path, root=paths.raw), path)
    if not inside:
        _guard_file_outside_raw(path, paths, replaceable)
    if inside:
        twins = sorted(p for p in path.parent.iterdir()
                       if p.stem.casefold() == path.stem.casefold()
                       and p.suffix.lower() in FILE_EXTENSIONS and p.name != path.name)
        if twins and path.suffix.lower() in FILE_EXTENSIONS:
            twin = twins[0]
            blank = replaceable is not None and twin.is_file() and replaceable(twin)
            message = N_("The session already has the table %(table)s in %(file)s: write to "
                         "%(twin)s instead (that empty entry workbook is filled). Nothing was "
                         "written.") if blank else \
                N_("The session already has the table %(table)s in %(file)s: a session has one "
                   "file per table. Nothing was written.")
            raise PathGuardError(*both(message, table=path.stem, file=twin.name, twin=twin),
                                 twin)
    # inside the raw root, a table goes into an existing session folder: only new-session and
    # synth create raw folders
    raw_root = _real(paths.raw) if real_roots else Path(os.path.abspath(paths.raw))
    if path.is_relative_to(raw_root):
        parts = path.relative_to(raw_root).parts
        if len(parts) != 2:
            raise PathGuardError(*both(
                N_("%(path)s is not a table of a session: a table goes directly into a session "
                   "folder, %(root)s/<session>/<table>. Nothing was written."),
                path=path, root=raw_root), path)
        if not os.path.lexists(path.parent):
            raise PathGuardError(*both(
                N_("%(session)s is not a session of %(root)s: create it first with fac-eval "
                   "new-session %(session)s (only new-session and synth create raw folders). "
                   "Nothing was written."), session=parts[0], root=raw_root), path.parent)
    # a symlinked session folder (or any link on the way inside the raw root) is read, never
    # written through
    if path.is_relative_to(raw_root):
        here = raw_root
        for part in path.relative_to(raw_root).parts[:-1]:
            here = here / part
            if here.is_symlink():
                raise PathGuardError(*both(
                    N_("Write refused: %(path)s is a link; a linked session folder is read, never "
                       "written through."), path=here), here)
    return path


def _guard_file_outside_raw(path: Path, paths: Paths,
                            replaceable: Callable[[Path], bool] | None) -> None:
    """Outside the raw data, a new table is never written over an existing file (it may hold
    the only copy of a table: nothing is lost), nor into the processed or reports roots, which
    fac-eval fills and replaces itself (a published folder never gets individual rows)."""
    if os.path.lexists(path) and not (
            replaceable and path.is_file() and not path.is_symlink() and replaceable(path)) and (
            path.is_symlink() or not path.is_file() or path.stat().st_size > 0):
        link = link_message(path)
        if link is not None:
            raise PathGuardError(*link, path)
        raise PathGuardError(*both(
            N_("%(path)s already exists: an existing file is never written over (it may hold the "
               "only copy of a table). Write to a new name, or move that file away yourself "
               "first. Nothing was written."), path=path), path)
    _refuse_output_root(path.parent, paths, N_(
        "%(path)s is inside %(root)s (%(variable)s), which fac-eval fills and replaces itself, "
        "and a published folder never gets individual rows: a pseudonymised table is raw "
        "data. Write it into a session of %(raw)s, or outside these folders. Nothing was "
        "written."), path, path=path)
