"""A raw root that git would pick up is refused (guarantee 7: git never picks up raw data).

The project's ``data/raw/`` is ignored by git (``.gitignore``: only the shipped sessions' files
are tracked). A raw root configured elsewhere (``FAC_EVAL_RAW``) inside a git work tree, such as
``exports/raw`` of the project, would not be: its files would show as untracked, and one
``git add -A`` would commit raw data. :func:`check_raw_root` refuses such a root before anything
is read or written:

- the nearest folder above the (resolved) raw root holding ``.git`` is the work tree; no work
  tree, no question;
- ``git check-ignore`` is asked about files a user would put there (a file loose in the root, a
  new session's ``session.yml``, CSV and XLSX files, and a new file in each session folder
  already there: a ``.gitignore`` may let one session in): each must be ignored;
- when git cannot answer (not installed, a repository it refuses to read), only the project's own
  ``data/raw`` is accepted inside a work tree.
"""

from __future__ import annotations

import os
import subprocess
from functools import cache
from pathlib import Path

from fac_eval.core.i18n import N_, both

__all__ = ["check_raw_root", "work_tree_of", "PROBES"]

#: Files a user may add under the raw root (relative to it): each must be ignored by git.
PROBES = ("export.xlsx", "export.csv", "notes.txt", ".fac-eval-probe/session.yml",
          ".fac-eval-probe/learners_entry.csv", ".fac-eval-probe/learners_entry.xlsx",
          ".fac-eval-probe/sub/followup.xlsx")


def work_tree_of(folder: Path) -> Path | None:
    """The nearest of ``folder`` and its parents holding ``.git`` (a folder, or the file of a
    linked work tree), or None."""
    for place in (folder, *folder.parents):
        if os.path.lexists(place / ".git"):
            return place
    return None


#: A new file in each session folder already there (a .gitignore may let one session in).
SESSION_PROBES = (".fac-eval-probe.csv", ".fac-eval-probe.xlsx", ".fac-eval-probe.yml")


def _probes(real: str) -> tuple[str, ...]:
    """:data:`PROBES`, then :data:`SESSION_PROBES` in each session folder under ``real``."""
    try:
        sessions = sorted(e.name for e in os.scandir(real)
                          if e.is_dir() and not e.name.startswith("."))
    except OSError:
        sessions = []
    return PROBES + tuple(f"{s}/{p}" for s in sessions[:500] for p in SESSION_PROBES)


def _unignored(real: str, tree: str) -> tuple[str, ...] | None:
    """The probes under ``real`` (:func:`_probes`) that git does not ignore in work tree
    ``tree`` (None when git cannot tell)."""
    return _ask_git(real, tree, _probes(real))


@cache
def _ask_git(real: str, tree: str, probes: tuple[str, ...]) -> tuple[str, ...] | None:
    paths = [os.path.join(real, p) for p in probes]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    try:
        done = subprocess.run(["git", "-C", tree, "check-ignore", "--stdin"],
                              input="\n".join(paths) + "\n", capture_output=True, text=True,
                              timeout=20, env=env)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode not in (0, 1):
        return None
    ignored = {os.path.normpath(line) for line in done.stdout.splitlines() if line.strip()}
    return tuple(p for p in probes if os.path.normpath(os.path.join(real, p)) not in ignored)


def check_raw_root(raw: Path, project_raw: Path, var_set: bool) -> None:
    """Refuse (:class:`fac_eval.data.session_paths.PathGuardError`) a raw root inside a git work
    tree whose new files git would not ignore (see the module)."""
    from fac_eval.data.session_paths import PathGuardError

    real = Path(os.path.realpath(raw))
    tree = work_tree_of(real)
    if tree is None:
        return
    left = _unignored(str(real), str(tree))
    if left is None:  # git cannot tell: the project's own data/raw only
        if real == Path(os.path.realpath(project_raw)):
            return
        left = PROBES
    if not left:
        return
    src = f"FAC_EVAL_RAW = {raw}" if var_set else str(raw)
    raise PathGuardError(*both(
        N_("The raw data folder %(folder)s is inside the git work tree %(tree)s and git does not "
           "ignore what it holds (for example %(file)s): a 'git add -A' would commit raw data. "
           "Keep raw data in data/raw/ of the project or outside any git work tree, or have git "
           "ignore the folder (.gitignore). Nothing was read or written."),
        folder=src, tree=str(tree), file=os.path.join(str(real), left[0])), raw)
