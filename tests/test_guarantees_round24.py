"""Issue 10, attacker round 24 (7 December): a user's file that a run still removed.

F7. a file saved into a folder between its swap and the record was recorded as the run's, and
    the next run removed it: the record is now what the run staged (digests taken before the
    swap, kept in the journal).
F8. after a run killed half-way through its swap, the repair recorded what the swapped-in folder
    held then, a file saved there after the crash included, and the next run removed it: the
    repair records what the killed run staged, from its journal.
F1. a link or a pipe under a working file's name (``qualite_*.ipynb``), and a desktop's own file
    (``desktop.ini``, ``Thumbs.db``, ``.DS_Store``), went with the old folder: the desktop's
    files are carried over whatever they hold, and only a plain file is exempt by its name.
F10. a data-quality notebook copied into a report folder was carried into the new published
    folder, never scanned: a working file is carried over in a processed folder only.
"""

from __future__ import annotations

import json
import os

import pytest
from _guarantees import make_project, output_roots, staged_run
from test_guarantees_kills import _kill, _paused

from fac_eval.data.session_paths import PathGuardError
from fac_eval.run import output_record, outputs, swap_repair
from fac_eval.run.pipeline import Paths


@pytest.fixture
def paths(tmp_path, monkeypatch):
    return output_roots(tmp_path, monkeypatch)


_run = staged_run


def _recorded(paths, folder):
    return sorted(output_record.read_record("s", paths).get(os.path.realpath(folder), {}))


# ---- F7 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["processed", "reports"])
def test_a_file_saved_before_the_record_is_not_recorded_and_stops_the_next_run(
        paths, monkeypatch, which):
    processed, report = paths.processed / "s", paths.reports / "s"
    _run(paths, "s", [processed, report], {processed: {"a.csv": "v1"},
                                          report: {"rapport_s.html": "v1"}})
    folder = processed if which == "processed" else report
    real = output_record.write_record

    def saved_meanwhile(*args, **kwargs):  # the window between the rename and the record
        (folder / "mes_notes.txt").write_text("my notes", encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(output_record, "write_record", saved_meanwhile)
    _run(paths, "s", [processed, report], {processed: {"a.csv": "v2"},
                                          report: {"rapport_s.html": "v2"}})
    monkeypatch.setattr(output_record, "write_record", real)
    assert "mes_notes.txt" not in _recorded(paths, folder)
    assert _recorded(paths, processed) == ["a.csv"] and _recorded(paths, report) == [
        "rapport_s.html"]
    with pytest.raises(PathGuardError, match="mes_notes.txt"):
        _run(paths, "s", [processed, report], {processed: {"a.csv": "v3"},
                                              report: {"rapport_s.html": "v3"}})
    assert (folder / "mes_notes.txt").read_text(encoding="utf-8") == "my notes"


def test_a_staged_file_replaced_before_the_record_is_refused_as_changed(paths, monkeypatch):
    report = paths.reports / "s"
    _run(paths, "s", [report], {report: {"rapport_s.html": "v1"}})
    real = output_record.write_record

    def replaced(*args, **kwargs):
        (report / "rapport_s.html").write_text("signed by the funder", encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(output_record, "write_record", replaced)
    _run(paths, "s", [report], {report: {"rapport_s.html": "v2"}})
    monkeypatch.setattr(output_record, "write_record", real)
    with pytest.raises(PathGuardError, match="modifié depuis l'exécution qui l'a créé"):
        _run(paths, "s", [report], {report: {"rapport_s.html": "v3"}})
    assert (report / "rapport_s.html").read_text(encoding="utf-8") == "signed by the funder"


# ---- F8 -------------------------------------------------------------------------------------

def _half_swap(paths, targets):
    """What a run killed in the middle of its swap leaves (this version's journal, with what
    it staged): the first folder swapped in, the second pending."""
    st = outputs.Staging("s", targets, paths, notify=None).__enter__()
    for t in targets:
        (st[t] / "new.txt").write_text(f"new {t.parent.name}", encoding="utf-8")
    made = {str(t): output_record.made_files(st[t]) for t in targets}
    st._bring_beside("4194999~deadbeef")
    old = [t.parent / f"{outputs.OLD}{t.name}~4194999~deadbeef" for t in targets]
    journal = outputs._journal("s", paths)
    journal.write_text(json.dumps([[str(t), str(st[t]), str(o), False, made[str(t)]]
                                   for t, o in zip(targets, old)]), encoding="utf-8")
    os.replace(targets[0], old[0])
    os.replace(st[targets[0]], targets[0])
    return journal


@pytest.mark.parametrize("first", ["processed", "reports"])
def test_a_file_saved_into_the_swapped_folder_after_a_kill_is_never_removed(paths, first):
    processed, report = paths.processed / "s", paths.reports / "s"
    targets = [processed, report] if first == "processed" else [report, processed]
    _run(paths, "s", targets, {processed: {"new.txt": "old"}, report: {"new.txt": "old"}})
    journal = _half_swap(paths, targets)
    (targets[0] / "apres_crash.txt").write_text("saved after the crash", encoding="utf-8")
    swap_repair.recover("s", targets, paths)  # the swap completed: the file stays, unrecorded
    assert not journal.exists()
    assert (targets[0] / "apres_crash.txt").read_text(encoding="utf-8") == \
        "saved after the crash"
    assert _recorded(paths, targets[0]) == ["new.txt"]
    with pytest.raises(PathGuardError, match="apres_crash.txt"):
        _run(paths, "s", targets, {processed: {"new.txt": "v3"}, report: {"new.txt": "v3"}})
    assert (targets[0] / "apres_crash.txt").exists()


def test_an_earlier_journal_without_digests_is_still_completed(paths):
    """A journal of the previous version (4 entries, no digests): the repair records the
    folder as it is, as before."""
    processed, report = paths.processed / "s", paths.reports / "s"
    _run(paths, "s", [processed, report], {processed: {"new.txt": "old"},
                                          report: {"new.txt": "old"}})
    journal = _half_swap(paths, [processed, report])
    entries = json.loads(journal.read_text(encoding="utf-8"))
    journal.write_text(json.dumps([e[:4] for e in entries]), encoding="utf-8")
    swap_repair.recover("s", [processed, report], paths)
    assert _recorded(paths, processed) == ["new.txt"] == _recorded(paths, report)
    assert (report / "new.txt").read_text(encoding="utf-8") == "new reports"


@pytest.mark.parametrize("forged", [{"new.txt": 1}, ["new.txt"], "new.txt", {"1": ["x"]}])
def test_a_journal_with_forged_digests_records_the_folder_as_it_is(paths, forged):
    processed, report = paths.processed / "s", paths.reports / "s"
    _run(paths, "s", [processed, report], {processed: {"new.txt": "old"},
                                          report: {"new.txt": "old"}})
    journal = _half_swap(paths, [processed, report])
    entries = json.loads(journal.read_text(encoding="utf-8"))
    journal.write_text(json.dumps([e[:4] + [forged] for e in entries]), encoding="utf-8")
    swap_repair.recover("s", [processed, report], paths)
    assert _recorded(paths, processed) == ["new.txt"] == _recorded(paths, report)


def test_a_real_kill_half_way_then_a_file_saved_then_a_run(tmp_path, monkeypatch, capsys):
    """End to end: ``run 2022`` killed half-way through its swap (the processed folder swapped
    in, the report pending), a file saved into the processed folder, then ``run 2022``: refused,
    naming the file, which stays; once moved away the run succeeds."""
    from _guarantees import run_cli

    proj = make_project(tmp_path, monkeypatch, ["2022"])
    assert run_cli(capsys, "run", "2022")[0] == 0
    proc, _, pid = _paused(proj, "swap-half", "run", "2022", "-p", "alpha=0.1")
    _kill(proc, pid)
    mine = proj.processed / "2022" / "apres_crash.txt"
    mine.write_text("saved after the crash", encoding="utf-8")
    code, out, err = run_cli(capsys, "run", "2022")
    assert code != 0 and "apres_crash.txt" in err and "Traceback" not in err
    assert mine.read_text(encoding="utf-8") == "saved after the crash"
    mine.rename(tmp_path / "apres_crash.txt")
    code, out, err = run_cli(capsys, "run", "2022")
    assert code == 0, err


# ---- F1, F10 ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["desktop.ini", "Thumbs.db", ".DS_Store"])
@pytest.mark.parametrize("where", ["processed", "reports"])
def test_a_desktop_file_is_carried_over_whatever_it_holds(paths, name, where):
    folder = (paths.processed if where == "processed" else paths.reports) / "s"
    _run(paths, "s", [folder], {folder: {"a.csv": "v1"}})
    (folder / name).write_text("the user's own text", encoding="utf-8")
    _run(paths, "s", [folder], {folder: {"a.csv": "v2"}})
    assert (folder / name).read_text(encoding="utf-8") == "the user's own text"
    assert name not in _recorded(paths, folder)


@pytest.mark.parametrize("kind", ["link", "pipe", "folder link"])
def test_a_link_or_a_pipe_under_a_working_files_name_is_the_users(paths, tmp_path, kind):
    processed = paths.processed / "s"
    _run(paths, "s", [processed], {processed: {"a.csv": "v1"}})
    mine = tmp_path / "mine.ipynb"
    mine.write_text('{"my": "notebook"}', encoding="utf-8")
    entry = processed / "qualite_mine.ipynb"
    if kind == "link":
        os.symlink(mine, entry)
    elif kind == "pipe":
        os.mkfifo(entry)
    else:
        os.symlink(tmp_path, entry)
    with pytest.raises(PathGuardError, match="qualite_mine.ipynb"):
        _run(paths, "s", [processed], {processed: {"a.csv": "v2"}})
    assert os.path.lexists(entry) and mine.read_text(encoding="utf-8") == '{"my": "notebook"}'


def test_a_plain_working_file_is_still_carried_over_in_a_processed_folder(paths):
    processed = paths.processed / "s"
    _run(paths, "s", [processed], {processed: {"a.csv": "v1"}})
    (processed / "qualite_s.ipynb").write_text("{}", encoding="utf-8")
    _run(paths, "s", [processed], {processed: {"a.csv": "v2"}})
    assert (processed / "qualite_s.ipynb").read_text(encoding="utf-8") == "{}"


@pytest.mark.parametrize("name", ["qualite_s.ipynb", "quality_s_en.ipynb", "qualite_x.ipynb"])
def test_a_quality_notebook_in_a_report_folder_is_refused_not_republished(paths, name):
    report = paths.reports / "s"
    _run(paths, "s", [report], {report: {"rapport_s.html": "v1"}})
    (report / name).write_text('{"ids": ["A01", "A02"]}', encoding="utf-8")
    with pytest.raises(PathGuardError, match=name.replace(".", r"\.")):
        _run(paths, "s", [report], {report: {"rapport_s.html": "v2"}})
    assert (report / "rapport_s.html").read_text(encoding="utf-8") == "v1"
    assert (report / name).exists()


# ---- F22: the same session under two names ---------------------------------------------------

@pytest.mark.parametrize("how", ["link", "copy", "copy with its own session.yml"])
def test_a_comparison_refuses_the_same_data_under_two_names(tmp_path, monkeypatch, how):
    """``compare 2022 twin`` pooled the same 8 learners as 16 and found p = 3e-5 (round 24,
    F22): the same folder (a link) or the same data files (a copy) are refused, naming both,
    before anything is computed or written."""
    import shutil

    from fac_eval.run import compare_run
    from fac_eval.run.pipeline import RunError

    proj = make_project(tmp_path, monkeypatch, ["2022", "synth-2024"])
    twin = proj.raw / "twin"
    if how == "link":
        os.symlink(proj.raw / "2022", twin)
    else:
        shutil.copytree(proj.raw / "2022", twin)
        if how.endswith("session.yml"):
            meta = twin / "session.yml"
            meta.write_text(meta.read_text(encoding="utf-8") + "\n# my copy\n",
                            encoding="utf-8")
    for lang, words in (("fr", "Les sessions 2022 et twin contiennent les mêmes données"),
                        ("en", "Sessions 2022 and twin hold the same data")):
        with pytest.raises(RunError) as refused:
            compare_run.run_comparison_report(["synth-2024", "2022", "twin"], lang=lang,
                                              paths=Paths(proj.root))
        assert words in refused.value.message(lang)
        assert ("même dossier" if how == "link" else "mêmes fichiers de données") in \
            refused.value.message(lang) or lang == "en"
    assert not (proj.reports / "comparaisons").exists()


def test_two_different_sessions_are_not_twins():
    from conftest import REPO

    from fac_eval.run.compare_run import same_data

    raw = REPO / "data" / "raw"
    assert same_data(["2022", "synth-2024"], [raw / "2022", raw / "synth-2024"]) == []


# ---- F3: a full disk while a staged folder is copied to another file system --------------------

@pytest.mark.parametrize("number, words", [(28, "le disque est plein (ENOSPC)"),
                                           (122, "le quota disque est atteint (EDQUOT)"),
                                           (13, "permission refusée (EACCES)")])
def test_a_failed_copy_across_file_systems_names_its_folder_and_leaves_no_part(
        tmp_path, monkeypatch, number, words):
    """The staged report is copied to the reports' file system (``os.rename`` gives EXDEV):
    a full disk raised ``shutil.Error`` ("Error", no cause), named the processed root, and left
    a truncated copy in the published root. Now the failure is the copy's own, names the
    folder being written, and the partial copy is removed; the staged folder stays."""
    import errno
    import shutil

    from fac_eval.run import os_errors

    src = tmp_path / "staged"
    (src / "sub").mkdir(parents=True)
    (src / "rapport_s.html").write_text("x" * 100, encoding="utf-8")
    (src / "sub" / "b.txt").write_text("y", encoding="utf-8")
    real_rename = os.rename

    def other_device(a, b):
        raise OSError(errno.EXDEV, "Invalid cross-device link", str(a))

    calls = []

    def failing(a, b, **kwargs):
        calls.append(a)
        if len(calls) == 2:  # the first file copied, then the disk is full
            raise OSError(number, os.strerror(number))
        return shutil.copyfile(a, b)

    monkeypatch.setattr(os, "rename", other_device)
    monkeypatch.setattr(shutil, "copy2", failing)
    dest = tmp_path / "reports" / ".fac-eval-tmp~s~1~abcdef01"
    dest.parent.mkdir()
    with pytest.raises(OSError) as caught:
        outputs.move_folder(src, dest)
    monkeypatch.setattr(os, "rename", real_rename)
    assert caught.value.errno == number and caught.value.filename == str(dest)
    assert not dest.exists() and (src / "rapport_s.html").exists()
    text = os_errors.os_error_message(caught.value, "fr")
    assert f"Impossible de lire ou d'écrire {dest} : {words}" in text


# ---- F11: batch --scheduler ---------------------------------------------------------------------

@pytest.mark.parametrize("address", ["garbage", "http://x", "tcp://", "inproc://x"])
def test_a_malformed_scheduler_address_is_said_without_a_traceback(tmp_path, monkeypatch,
                                                                   capsys, address):
    from _guarantees import run_cli

    make_project(tmp_path, monkeypatch, ["2022"])
    code, out, err = run_cli(capsys, "batch", "--scheduler", address, "--shared-dir",
                             str(tmp_path / "shared"), "2022")
    assert code == 1 and "Traceback" not in err
    assert (f"L'adresse d'ordonnanceur {address} n'est pas une adresse que Dask sait lire"
            in err) and "tcp://HÔTE:PORT" in err and "Aucune session n'a été exécutée." in err
    assert not (tmp_path / "proj" / "reports").exists()


@pytest.mark.parametrize("error, reason", [
    (OSError(111, "Connection refused"), "Connection refused"),
    (TimeoutError("Timed out trying to connect to tcp://127.0.0.1:1 after 30 s"),
     "Timed out trying to connect"),
])
def test_an_unreachable_scheduler_is_named_with_its_cause(monkeypatch, error, reason):
    import distributed

    from fac_eval.run import batch

    def unreachable(*args, **kwargs):
        raise error

    monkeypatch.setattr(distributed, "Client", unreachable)
    with pytest.raises(batch.SchedulerError) as caught:
        batch.connect("tcp://127.0.0.1:1")
    for lang, words in (("fr", "Impossible de joindre l'ordonnanceur Dask à l'adresse "
                               "tcp://127.0.0.1:1 ("),
                        ("en", "Could not reach the Dask scheduler at tcp://127.0.0.1:1 (")):
        message = caught.value.message(lang)
        assert words in message and reason in message
        assert "fichier" not in message and "file" not in message
