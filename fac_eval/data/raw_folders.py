"""What a raw folder is: the raw root is the folder *of* the sessions, never one session's folder,
and a new raw session (``new-session``, ``synth``) gets a new folder of its own.

- :func:`check_raw_root_shape` refuses a raw root (``FAC_EVAL_RAW``) that holds a session's own
  files (``session.yml``, ``claims.yml``, a questionnaire's CSV or XLSX): pointed at
  ``data/raw/2025`` rather than ``data/raw``, every command would read no session and
  ``new-session`` / ``synth`` would create folders inside that session. Every command goes
  through it (:func:`fac_eval.data.session_paths.check_roots`, and the command line before any
  command).
- :func:`claim_new_raw_folder` is the one place a new raw session's folder is chosen, with the
  refusals of :func:`exists_message` (the same for ``new-session`` and ``synth``) and, for
  ``synth --out``, a refusal naming what the folder is: the raw root, a raw session, the
  project's own raw folder, an output folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from fac_eval.core.i18n import N_, both, tr
from fac_eval.data.session_paths import (
    PathGuardError,
    Paths,
    SessionNameError,
    _raw_places,
    _real,
    check_name,
    link_message,
    raw_files_in,
    resolve,
)

__all__ = ["check_raw_root_shape", "claim_new_raw_folder", "exists_message"]


def _shown(files: list[str]) -> str:
    files = sorted(files, key=lambda n: n != "session.yml")  # the session's own file first
    return ", ".join(files[:3]) + (", …" if len(files) > 3 else "")


def check_raw_root_shape(paths: Paths) -> None:
    """Refuse a raw root that is itself a session's folder, naming it, its session files and
    the folder to point ``FAC_EVAL_RAW`` at (its parent)."""
    root = Path(os.path.abspath(paths.raw))
    files = raw_files_in(root)
    if not files:
        return
    if os.environ.get("FAC_EVAL_RAW", "").strip():
        raise PathGuardError(*both(N_(
            "FAC_EVAL_RAW = %(root)s names the folder of one session (it holds %(files)s), not "
            "the folder of the sessions: point FAC_EVAL_RAW at %(parent)s, the folder that holds "
            "the session %(session)s. Nothing was read or written."),
            root=root, files=_shown(files), parent=root.parent, session=root.name), root)
    raise PathGuardError(*both(N_(
        "The raw data folder %(root)s holds a session's files itself (%(files)s): each session "
        "is a folder of it (%(root)s/SESSION/). Move these files into their session's folder. "
        "Nothing was read or written."), root=root, files=_shown(files)), root)


def _raw_session_of(folder: Path, paths: Paths) -> Path | None:
    """The raw session folder ``folder`` is in or is (the configured raw root's, or the
    project's own ``data/raw``'s), or None."""
    default = Path(paths.root) / "data" / "raw"
    for root in dict.fromkeys((_real(paths.raw), _real(default))):
        if folder != root and folder.is_relative_to(root):
            return root / folder.relative_to(root).parts[0]
    return None


def _output_root_of(folder: Path, paths: Paths) -> tuple[Path, str] | None:
    for root, variable in ((paths.processed, "FAC_EVAL_PROCESSED"),
                           (paths.reports, "FAC_EVAL_REPORTS")):
        if folder.is_relative_to(_real(root)):
            return Path(root), variable
    return None


def exists_message(folder: Path, paths: Paths | None = None) -> tuple[str, str]:
    """The one refusal for an existing folder (``new-session`` and ``synth``), saying what it
    is: a symbolic link (:func:`fac_eval.data.session_paths.link_message`), the raw root, an
    empty folder, a raw session or a folder in one (raw data are never overwritten), another
    folder (``synth --out``'s folders in an output root are refused before: :func:`_refuse_out`)."""
    link = link_message(folder)
    if link is not None:
        return link
    paths = paths or Paths()
    real = _real(folder)
    if real in (_real(paths.raw), _real(Path(paths.root) / "data" / "raw")):
        return both(N_(
            "%(folder)s already exists: it is the folder of the raw sessions, never a new "
            "session's. A new session is a new folder in it: fac-eval synth NAME (without "
            "--out) writes %(raw)s/NAME."), folder=folder, raw=paths.raw)
    try:
        empty = folder.is_dir() and not any(os.scandir(folder))
    except OSError:
        empty = False
    if empty:
        return both(N_(
            "%(folder)s already exists (an empty folder): a new session's folder is made by "
            "fac-eval, never an existing one reused. Remove the empty folder, or choose another "
            "name."), folder=folder)
    if _raw_session_of(real, paths) is not None or raw_files_in(real):
        return both(N_("%(folder)s already exists: raw data are never overwritten."),
                    folder=folder)
    return both(N_(
        "%(folder)s already exists: a new session's folder is made by fac-eval, and an existing "
        "folder is never written into. Choose another name."), folder=folder)


def _refuse_personal_name(name: str) -> None:
    """A new session's name is written in every report of it: one that reads as personal data
    (a phone number, a NIR, an IBAN, a number plate, a name of the names file, a pseudonymous
    id: ``A`` or ``P`` and ten hex digits) is refused before anything is written, not at the
    first run's leak scan."""
    from fac_eval.disclosure import gate, pii, privacy

    try:  # the names file's names too, as the leak scan looks for them
        names = privacy.load_names()
    except Exception:  # a names file that cannot be read is said by the commands that use it
        names = []
    kinds = [f.kind for f in pii.find_pii(name, names=names)]
    kinds += ["participant_id"] * bool(re.fullmatch(r"[AP][0-9a-f]{10}", name, re.IGNORECASE))
    if kinds:
        raise SessionNameError(*both(N_(
            "The session name '%(name)s' reads as personal data (%(kind)s): it is written in "
            "every report of the session, which the leak scan would refuse. Give the session "
            "another name. Nothing was written."), name=name,
            kind=lambda lang: tr(lang, gate.KIND_LABELS.get(kinds[0], kinds[0]))))


def _refuse_out(folder: Path, paths: Paths) -> None:
    """``synth --out``: a folder inside the raw data or an output root is refused, naming the
    thing it is in (the configured raw root, one of its sessions, the project's own raw
    folder while ``FAC_EVAL_RAW`` points elsewhere, an output root) and what to do."""
    real = _real(folder)
    raw_root = _real(paths.raw)
    if real.is_relative_to(raw_root) and real != raw_root:
        if real.parent != raw_root:
            session = raw_root / real.relative_to(raw_root).parts[0]
            raise PathGuardError(*both(N_(
                "Write refused: %(folder)s is inside the raw session %(session)s (in %(root)s), "
                "which is never written into. A new session is a new folder of %(root)s: "
                "fac-eval synth NAME (without --out) writes %(root)s/NAME."),
                folder=folder, session=session.name, root=paths.raw), folder)
        check_name(real.name)
        return
    default = _real(Path(paths.root) / "data" / "raw")
    for place in _raw_places(paths)[1:]:
        if not real.is_relative_to(place):
            continue
        if place == default and real.parent == default:
            raise PathGuardError(*both(N_(
                "Write refused: %(folder)s is in %(project)s, the project's own raw data folder, "
                "while FAC_EVAL_RAW names %(raw)s: fac-eval would not read a session there. "
                "Write it into %(raw)s (fac-eval synth NAME, without --out), or set "
                "FAC_EVAL_RAW=%(project)s first. Nothing was written."),
                folder=folder, project=default, raw=paths.raw), folder)
        raise PathGuardError(*both(N_(
            "Write refused: %(folder)s is inside the raw session %(session)s (%(path)s), which "
            "is never written into. A new session is a new folder of %(raw)s: fac-eval synth "
            "NAME (without --out) writes %(raw)s/NAME."),
            folder=folder, session=place.name, path=place, raw=paths.raw), folder)
    output = _output_root_of(real, paths)
    if output is not None:  # the next run would remove it with its folder
        raise PathGuardError(*both(N_(
            "Write refused: %(folder)s is in the output folders of fac-eval (%(root)s, "
            "%(variable)s), which it fills and replaces itself. A raw session goes into %(raw)s "
            "(fac-eval synth NAME, without --out) or outside the output folders. Nothing was "
            "written."), folder=folder, root=output[0], variable=output[1],
            raw=paths.raw), folder)


def claim_new_raw_folder(name, paths: Paths | None = None, out: str | Path | None = None) -> Path:
    """The folder a new raw session may be created in (``new-session``, ``synth``).

    ``out`` (synth's ``--out``) may be any new folder, except one inside the raw data (other
    than a new folder of the raw root) or an output root. Raises :class:`PathGuardError` if the
    folder exists (even as a dangling link), saying what it is (:func:`exists_message`).
    """
    paths = paths or Paths()
    folder = resolve(name, paths).raw if out is None else Path(os.path.abspath(out))
    if out is not None:  # what the folder is in comes first: the raw root, a session, an output
        _refuse_out(folder, paths)
    if os.path.lexists(folder):
        fr, en = exists_message(folder, paths)
        raise PathGuardError(fr, en, folder)
    _refuse_personal_name(folder.name)
    return folder
