"""Guarantee 7 (issue 10): git never picks up raw data.

Everything under ``data/raw/`` is ignored by git except the files of the shipped reconstructed and
synthetic sessions, listed one by one in ``.gitignore``. Checked with ``git check-ignore`` on
variants, and by ``git add -A`` in a fresh repository holding this ``.gitignore`` (so the
guarantee does not rest on files being tracked already).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: files a user may leave under data/raw/ that must never reach git
NEW_FILES = [
    "data/raw/2022/followup.csv",                 # a real follow-up in the reconstructed session
    "data/raw/2022/followup.xlsx",
    "data/raw/2022/learners_entry.xlsx",          # a real export beside a shipped file
    "data/raw/2022/modeles/followup.xlsx",        # a sub-folder of a shipped session
    "data/raw/2022/.~lock.learners_entry.csv#",   # an office lock file
    "data/raw/2022/session.yml.bak",
    "data/raw/2022/Learners_Entry.csv",           # another case of a shipped name
    "data/raw/synth-2024/names.txt",              # a names list in the synthetic session
    "data/raw/synth-2024/sub/deep/x.csv",
    "data/raw/export_2025.xlsx",                  # an export left loose in data/raw/
    "data/raw/.env",
    "data/raw/README.md",
    "data/raw/2025-real/learners_profile.csv",    # a new real session
    "data/raw/2025-real/session.yml",
    "data/raw/2022-bis/learners_entry.csv",       # a name close to a shipped session
    "data/raw/synth-2024-real/session.yml",
    "data/raw/2022 /learners_entry.csv",
]


def _git(*args, cwd=ROOT, check=True):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check)


def _tracked() -> list[str]:
    return _git("ls-files", "data/raw").stdout.splitlines()


def _ignored(path: str, cwd=ROOT) -> bool:
    # --no-index: judge by the ignore rules alone, as for a file nobody has added yet
    res = _git("check-ignore", "--no-index", "-q", path, cwd=cwd, check=False)
    assert res.returncode in (0, 1), res.stderr
    return res.returncode == 0


def test_shipped_sessions_are_tracked():
    tracked = _tracked()
    assert {Path(p).parts[2] for p in tracked} == {"2022", "synth-2024"}
    assert "data/raw/2022/session.yml" in tracked and "data/raw/synth-2024/followup.csv" in tracked


@pytest.mark.parametrize("path", NEW_FILES)
def test_new_files_under_raw_are_ignored(path):
    assert _ignored(path), f"{path} would be picked up by git"


def test_every_tracked_raw_file_is_allowed_by_the_ignore_rules():
    """Each tracked file is explicitly allowed (it would be added again from a fresh clone),
    and nothing else is: the .gitignore list and the tracked files agree."""
    tracked = _tracked()
    assert tracked
    for path in tracked:
        assert not _ignored(path), f"{path} is tracked but ignored by .gitignore"
    allowed = sorted(line[1:] for line in (ROOT / ".gitignore").read_text().splitlines()
                     if line.startswith("!data/raw/") and not line.endswith("/"))
    assert allowed == sorted(tracked)


def test_git_add_all_in_a_fresh_repository_takes_only_the_shipped_files(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    shutil.copy(ROOT / ".gitignore", repo / ".gitignore")
    tracked = _tracked()
    for rel in tracked:
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, repo / rel)
    for rel in NEW_FILES:
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text("learner_id,nom\nA01,Dupont\n", encoding="utf-8")
    _git("add", "-A", cwd=repo)
    staged = _git("ls-files", "data/raw", cwd=repo).stdout.splitlines()
    assert sorted(staged) == sorted(tracked)
    # and the usual status shows nothing of the new files either
    status = _git("status", "--porcelain", "--untracked-files=all", "--", "data/raw",
                  cwd=repo).stdout.splitlines()
    assert all(line.startswith("A ") for line in status), status
