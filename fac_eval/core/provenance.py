"""Where the code of a report comes from: the repository's commit and whether it has uncommitted
changes (the report's provenance table words it in its language)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def git_state(root: Path = ROOT) -> tuple[str | None, bool]:
    """``(commit, uncommitted)`` of the code: the short commit of ``HEAD`` (None when git or the
    repository is not there) and whether tracked files have changes not committed. The report's
    provenance words it in its language (:meth:`fac_eval.report.base.BaseReport.code_version`)."""
    import subprocess

    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=root,
                             capture_output=True, text=True, timeout=10)
        commit = out.stdout.strip() if out.returncode == 0 else ""
        if not commit:
            return None, False
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
        return commit, bool(dirty)
    except (OSError, subprocess.SubprocessError):
        return None, False
