"""Issue 10, attacker round 25 (F12): with the lock folder removed while a run worked, a second
run took a new lock at once, took the first run's staging folders for a killed run's leftovers
and removed them; the first run then failed with "… : OSError". A staging or old folder whose
run (its process id is in its name) is still running is no leftover: it is never removed, and
goes once that run has ended.
"""

from __future__ import annotations

import subprocess

import pytest
from _guarantees import output_roots, staged_run

from fac_eval.run import outputs, swap_repair


@pytest.fixture
def paths(tmp_path, monkeypatch):
    return output_roots(tmp_path, monkeypatch)


@pytest.fixture
def other_run():
    """A live process standing for another run (its pid in the folders' names)."""
    proc = subprocess.Popen(["sleep", "60"])
    yield proc
    proc.kill()
    proc.wait()


def _folders(paths, pid):
    processed, report = paths.processed / "s", paths.reports / "s"
    beside = processed.parent / f"{outputs.TMP}s~{pid}~deadbeef"
    old = processed.parent / f"{outputs.OLD}s~{pid}~deadbeef"
    tables = processed.parent / f".{outputs.TMP}s~{pid}~deadbeef.abcd1234"
    away = outputs._staging_root(paths) / f"{outputs._away_prefix(report)}{pid}~deadbeef"
    for d in (beside, old, tables, away):
        d.mkdir(parents=True)
        (d / "rapport_s.html").write_text("being written", encoding="utf-8")
    return processed, report, (beside, old, tables, away)


def test_a_running_runs_folders_are_never_taken_for_leftovers(paths, other_run):
    processed, report, folders = _folders(paths, other_run.pid)
    assert outputs.live_owner(folders[0].name) and outputs.live_owner(folders[3].name)
    staged_run(paths, "s", [processed, report], {processed: {"a.csv": "1"},
                                                 report: {"r.html": "1"}})
    assert all(d.is_dir() for d in folders)
    assert (processed / "a.csv").read_text(encoding="utf-8") == "1"
    other_run.kill()
    other_run.wait()
    repair = swap_repair.recover("s", [processed, report], paths)
    assert not any(d.exists() for d in folders)
    assert set(repair.removed) >= set(folders) - {folders[1]}


def test_a_dead_runs_folders_still_go(paths):
    proc = subprocess.Popen(["true"])
    proc.wait()
    processed, report, folders = _folders(paths, proc.pid)
    assert not outputs.live_owner(folders[0].name)
    staged_run(paths, "s", [processed, report], {processed: {"a.csv": "1"}})
    assert not folders[0].exists() and not folders[2].exists() and not folders[3].exists()


def test_this_processs_own_names_and_others_are_not_live_owners():
    import os

    assert not outputs.live_owner(f"{outputs.TMP}s~{os.getpid()}~deadbeef")
    assert not outputs.live_owner("notes.txt") and not outputs.live_owner("s~12~xyz")
