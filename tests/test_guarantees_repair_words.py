"""Issue 10, attacker round 24: the repair of a killed swap, and what it says.

F20. a run killed during its swap, whose journal was removed since: the new files of the
     folder already swapped were judged the user's ("changed since the run that made it") and
     every later run was refused. What each new folder holds is now in the record's pending
     part before the journal is written, so they are fac-eval's; a file saved since is still
     the user's, named alone. The previous folder left beside it goes when it holds exactly
     what the record describes, else it is kept aside, saying why.
F17. the refusal to complete a half-done swap (a file saved into a folder still to replace)
     said "Nothing was changed" and no more: it now says the swap is half done, which folder
     holds the new outputs, where the others wait, and that the next run completes it.
F9.  the repair of a killed swap was silent: it is now said, naming the folders.

A kill is a child process ended by ``os._exit`` at a pause point of the real commit
(:func:`fac_eval.core.pause.pause_point`), so that nothing of the swap is undone, plus one real
SIGKILL of ``fac-eval run`` end to end.
"""

from __future__ import annotations

import os

import pytest
from _guarantees import make_project, output_roots, run_cli, staged_run

from fac_eval.data.session_paths import PathGuardError
from fac_eval.run import output_record, outputs, swap_repair


@pytest.fixture
def paths(tmp_path, monkeypatch):
    return output_roots(tmp_path, monkeypatch)


def _killed_at(point: str, paths, key, targets, files) -> None:
    """A run of ``key`` killed at ``point`` of its swap (the child process ends there)."""
    pid = os.fork()
    if pid == 0:  # the child: the run, ended at the pause point with nothing undone
        code = 3
        try:
            outputs.pause_point = lambda p: os._exit(9) if p == point else None
            staged_run(paths, key, targets, files)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 9, "the run was not stopped at " + point


def _two(paths, key="s"):
    processed, report = paths.processed / key, paths.reports / key
    v1 = {processed: {"a.csv": "v1", "b.csv": "v1"}, report: {"r.html": "v1"}}
    staged_run(paths, key, [processed, report], v1)
    v2 = {processed: {"a.csv": "v2", "b.csv": "v2"}, report: {"r.html": "v2"}}
    return processed, report, v2


def _leftovers(paths):
    return sorted(p.name for r in (paths.processed, paths.reports)
                  for p in r.iterdir() if p.name.startswith(".fac-eval-old")
                  or p.name.startswith(".fac-eval-tmp"))


def _said(paths, key, targets, files):
    said: list[str] = []
    staging = staged_run(paths, key, targets, files, notify=said.append)
    return staging, said


# ---- F20 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("point", ["swap-half", "swap-journal"])
def test_a_removed_journal_leaves_the_new_files_fac_evals(paths, point):
    processed, report, v2 = _two(paths)
    _killed_at(point, paths, "s", [processed, report], v2)
    journal = outputs._journal("s", paths)
    assert journal.is_file()
    journal.unlink()  # removed by hand after the crash
    v3 = {processed: {"a.csv": "v3"}, report: {"r.html": "v3"}}
    staging, said = _said(paths, "s", [processed, report], v3)
    assert (processed / "a.csv").read_text(encoding="utf-8") == "v3"
    assert not (processed / "b.csv").exists()  # fac-eval's, staged by the killed run: gone
    assert (report / "r.html").read_text(encoding="utf-8") == "v3"
    # the previous folder held what the record said: removed, nothing kept, nothing to say
    assert staging.kept == [] and said == [] and _leftovers(paths) == []
    assert "pending" not in output_record._read("s", paths)


def test_a_file_saved_after_the_kill_is_still_the_users_and_named_alone(paths):
    processed, report, v2 = _two(paths)
    _killed_at("swap-half", paths, "s", [processed, report], v2)
    outputs._journal("s", paths).unlink()
    (processed / "notes.txt").write_text("mine", encoding="utf-8")
    (processed / "a.csv").write_text("edited by hand", encoding="utf-8")
    with pytest.raises(PathGuardError) as refused:
        staged_run(paths, "s", [processed, report], {processed: {"a.csv": "v3"}})
    words = refused.value.message("en")
    assert "notes.txt" in words and "a.csv (changed since the run that made it)" in words
    assert "b.csv" not in words  # the killed run's own file is not the user's
    assert (processed / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_an_old_folder_that_differs_from_the_record_is_kept_saying_why(paths):
    """Killed after the record, its journal removed: the previous folder holds what the record
    (now the new folder's) does not describe, so it is kept aside, and said so."""
    processed, report, v2 = _two(paths)
    staged_run(paths, "s", [processed, report], v2)
    old = processed.parent / f"{outputs.OLD}s~4194997~deadbeef"
    old.mkdir()
    (old / "a.csv").write_text("v1", encoding="utf-8")
    (old / "lettre.txt").write_text("the user's", encoding="utf-8")
    staging, said = _said(paths, "s", [processed, report], v2)
    assert len(staging.kept) == 1 and staging.kept[0][0] == processed
    where = staging.kept[0][1]
    assert (where / "lettre.txt").read_text(encoding="utf-8") == "the user's"
    assert len(said) == 1 and str(processed) in said[0] and str(where) in said[0]
    assert "interrompue" in said[0] and "journal" in said[0] and not old.exists()


def test_an_empty_old_folder_without_journal_is_removed_silently(paths):
    processed, report, v2 = _two(paths)
    old = report.parent / f"{outputs.OLD}s~4194997~deadbeef"
    old.mkdir()
    staging, said = _said(paths, "s", [processed, report], v2)
    assert not old.exists() and staging.kept == [] and said == []


# ---- F17 --------------------------------------------------------------------------------------

def test_refusing_to_complete_a_half_swap_says_it_is_half_done(paths):
    processed, report, v2 = _two(paths)
    _killed_at("swap-half", paths, "s", [processed, report], v2)
    (report / "signe.pdf").write_text("signed copy", encoding="utf-8")
    with pytest.raises(PathGuardError) as refused:
        staged_run(paths, "s", [processed, report], v2)
    fr, en = refused.value.message("fr"), refused.value.message("en")
    assert "signe.pdf" in fr and "interrompue pendant qu'elle remplaçait" in fr
    assert f"{processed} contient déjà ses nouveaux résultats" in fr
    assert f"{report} encore les précédents" in fr
    assert "already holds its new outputs" in en and "completes the replacement" in en
    assert (report / "signe.pdf").exists() and (report / "r.html").read_text() == "v1"
    # once the file is moved, the next run completes the swap, then makes its own
    (report / "signe.pdf").unlink()
    staging, said = _said(paths, "s", [processed, report], v2)
    assert (report / "r.html").read_text(encoding="utf-8") == "v2"
    assert any("le remplacement a été terminé" in s and str(report) in s for s in said)


def test_refusing_before_any_folder_was_replaced_says_so(paths):
    processed, report, v2 = _two(paths)
    _killed_at("swap-journal", paths, "s", [processed, report], v2)
    (processed / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(PathGuardError) as refused:
        staged_run(paths, "s", [processed, report], v2)
    fr = refused.value.message("fr")
    assert "juste avant de remplacer ses dossiers" in fr and str(processed) in fr
    assert "contient déjà" not in fr


# ---- F9 ---------------------------------------------------------------------------------------

def test_a_completed_swap_is_said(paths):
    processed, report, v2 = _two(paths)
    _killed_at("swap-half", paths, "s", [processed, report], v2)
    repair = swap_repair.recover("s", [processed, report], paths)
    assert repair.completed == [report] and (report / "r.html").read_text() == "v2"
    said: list[str] = []
    swap_repair.say_repair(repair, "s", "en", said.append)
    assert said == [f"A run of s had been stopped while it replaced its output folders: the "
                    f"replacement was completed from its journal ({report}), before this run."]


def test_a_real_kill_then_a_run_says_the_repair(tmp_path, monkeypatch, capsys):
    from test_guarantees_kills import _kill, _paused

    proj = make_project(tmp_path, monkeypatch, ["2022"])
    assert run_cli(capsys, "run", "2022")[0] == 0
    proc, _, pid = _paused(proj, "swap-half", "run", "2022", "-p", "alpha=0.1")
    _kill(proc, pid)
    code, out, err = run_cli(capsys, "run", "2022")
    assert code == 0, err
    assert "Une exécution de 2022 avait été interrompue" in err
    assert str(proj.reports / "2022") in " ".join(err.split())
