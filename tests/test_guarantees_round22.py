"""Issue 10, attacker round 21 (4 December): what a run still removed, or wrote where it must not.

F1. a folder no run recorded was judged by names alone: a user's ``notes.csv`` in a processed
    folder, a signed ``rapport_<s>.pdf``, went with the swap. A file without one of fac-eval's
    exact names now stops the run, and a folder no run recorded is kept aside whole, never
    removed. A recorded file replaced by the user's (same name, other bytes) stops the run too.
F2. ``.fac-eval-*`` files and folders inside an output folder were taken for fac-eval's.
F3. the record was keyed by the path as given: through a linked root, no record was found.
F4. the swap a killed run left half done was completed over the user's new file.
F5. the swap journal and the record were written through a planted link.
F6. the recovery removed the user's hidden folders named like an earlier version's leftovers.
F7. a killed ``quality`` left files in the processed folder that blocked every later run, and
    ``quality`` took no lock.
F9. the refusal of a comparison's name said "rename the folder", F10. ``alpha`` below 0.001.

Each with variants, at the level of the staging folders and through the CLI.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil

import pytest
from _guarantees import output_roots, staged_run
from conftest import REPO

from fac_eval.data.session_paths import PathGuardError
from fac_eval.run import output_record, outputs, swap_repair
from fac_eval.run.pipeline import Paths


@pytest.fixture
def paths(tmp_path, monkeypatch):
    return output_roots(tmp_path, monkeypatch)


_run = staged_run


def _tree(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _kept(paths):
    kept = paths.processed / output_record.KEPT_DIR
    return sorted(kept.iterdir()) if kept.is_dir() else []


# ---- F1. a folder no run recorded ------------------------------------------------------------

@pytest.mark.parametrize("damage", ["no record", "removed", "not json", "a list", "a link"])
def test_an_unrecorded_folder_with_fac_evals_names_is_kept_whole(paths, tmp_path, damage):
    """A signed ``rapport_s.pdf`` and an ``inputs.json`` of the user's, under fac-eval's own
    names: the swap goes on, but the folder it replaces is kept, whole, and the run says where."""
    processed, report = paths.processed / "s", paths.reports / "s"
    if damage != "no record":
        _run(paths, "s", [processed, report], {report: {"rapport_s.html": "old"}})
        record = output_record.record_path("s", paths)
        os.remove(record)
        if damage == "not json":
            record.write_text("{", encoding="utf-8")
        elif damage == "a list":
            record.write_text("[1, 2]", encoding="utf-8")
        elif damage == "a link":
            (tmp_path / "forged.json").write_text(json.dumps({str(report): ["rapport_s.pdf"]}))
            os.symlink(tmp_path / "forged.json", record)
    report.mkdir(exist_ok=True)
    processed.mkdir(exist_ok=True)
    (report / "rapport_s.pdf").write_bytes(b"%PDF signed by the funder")
    (report / "inputs.json").write_text("the user's", encoding="utf-8")
    (processed / "learners.csv").write_text("the user's table", encoding="utf-8")
    before = {t: _tree(t) for t in (processed, report)}
    said: list[str] = []
    _run(paths, "s", [processed, report], {report: {"rapport_s.html": "new"}}, notify=said.append)
    assert _tree(report) == {"rapport_s.html": b"new"}
    kept = _kept(paths)
    assert [k.name.split("~")[:2] for k in kept] == [["processed", "s"], ["reports", "s"]]
    assert [_tree(k) for k in kept] == [before[processed], before[report]]
    assert len(said) == 2 and all("conservé dans" in m for m in said)
    assert str(report) in said[1] and str(kept[1]) in said[1]
    # recorded now: the next run removes what this one made, and keeps nothing more
    _run(paths, "s", [processed, report], {report: {"rapport_s.html": "newer"}})
    assert len(_kept(paths)) == 2


@pytest.mark.parametrize("user_file", ["notes.csv", "learners (1).csv", "LEARNERS.csv",
                                       "indicators.csv.bak", "export.tsv"])
def test_an_unrecorded_processed_folder_refuses_any_table_but_fac_evals(paths, user_file):
    processed = paths.processed / "s"
    processed.mkdir()
    (processed / "indicators.csv").write_text("old", encoding="utf-8")
    (processed / user_file).write_text("the user's", encoding="utf-8")
    with pytest.raises(PathGuardError) as refused:
        _run(paths, "s", [processed], {processed: {"indicators.csv": "new"}})
    assert user_file in refused.value.message("fr")
    assert _tree(processed)[user_file] == b"the user's" and _kept(paths) == []


@pytest.mark.parametrize("name", ["rapport_s.pdf", "rapport_s.html", "indicateurs_s.xlsx"])
def test_a_recorded_file_the_user_replaced_stops_the_run(paths, name):
    """The record holds each file's SHA-256: a signed copy under the report's own name is the
    user's, whether this run makes that file again or not."""
    report = paths.reports / "s"
    made = {"rapport_s.html": "v1", "rapport_s.pdf": "v1", "indicateurs_s.xlsx": "v1"}
    _run(paths, "s", [report], {report: made})
    (report / name).write_bytes(b"signed by the funder")
    for again in ({}, {name: "v2"}):
        with pytest.raises(PathGuardError) as refused:
            _run(paths, "s", [report], {report: again})
        assert f"{name} (modifié depuis l'exécution qui l'a créé)" in refused.value.message("fr")
        assert f"{name} (changed since the run that made it)" in refused.value.message("en")
        assert (report / name).read_bytes() == b"signed by the funder"


def test_a_file_the_previous_run_did_not_make_is_the_users_even_if_this_run_makes_it(paths):
    """``run --pdf`` after a run without: a ``rapport_s.pdf`` put in meanwhile is the user's."""
    report = paths.reports / "s"
    _run(paths, "s", [report], {report: {"rapport_s.html": "v1"}})
    (report / "rapport_s.pdf").write_bytes(b"%PDF the user's own print")
    with pytest.raises(PathGuardError, match="rapport_s.pdf"):
        _run(paths, "s", [report], {report: {"rapport_s.html": "v2", "rapport_s.pdf": "v2"}})
    assert (report / "rapport_s.pdf").read_bytes() == b"%PDF the user's own print"


def test_a_record_of_the_previous_version_is_read_as_no_record(paths):
    """Names by absolute path, without digests: a user's copy under a recorded name cannot be
    told from fac-eval's, so the folder is judged as one no run recorded (round 22, F3): any
    other file stops the run, and the folder is kept aside whole."""
    report = paths.reports / "s"
    report.mkdir()
    (report / "rapport_s.html").write_text("old", encoding="utf-8")
    record = output_record.record_path("s", paths)
    record.parent.mkdir()
    record.write_text(json.dumps({str(report): ["rapport_s.html"]}), encoding="utf-8")
    (report / "notes.docx").write_text("mine", encoding="utf-8")
    with pytest.raises(PathGuardError, match="notes.docx"):
        _run(paths, "s", [report], {report: {"rapport_s.html": "new"}})
    os.remove(report / "notes.docx")
    (report / "rapport_s.html").write_text("my signed copy", encoding="utf-8")
    _run(paths, "s", [report], {report: {"rapport_s.html": "new"}})
    assert [_tree(k) for k in _kept(paths)] == [{"rapport_s.html": b"my signed copy"}]
    assert _tree(report) == {"rapport_s.html": b"new"}


def test_through_the_cli_a_removed_record_keeps_the_report_folder(tmp_path, main_cli):
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "data" / "raw" / "synth-2024", raw / "synth-2024")
    env = {"FAC_EVAL_RAW": str(raw), "FAC_EVAL_PROCESSED": str(tmp_path / "processed"),
           "FAC_EVAL_REPORTS": str(tmp_path / "reports")}
    code, _, err = main_cli("clean", "synth-2024", env=env)
    assert code == 0, err
    processed = tmp_path / "processed" / "synth-2024"
    (processed / "followup.csv").write_text("the evaluator's edited table", encoding="utf-8")
    code, _, err = main_cli("clean", "synth-2024", env=env)  # recorded: changed since
    assert code == 1 and "followup.csv (modifié depuis" in err, err
    shutil.rmtree(tmp_path / "processed" / outputs.LOCK_DIR)  # the record goes
    code, _, err = main_cli("clean", "synth-2024", env=env)
    assert code == 0, err
    kept = sorted((tmp_path / "processed" / output_record.KEPT_DIR).iterdir())
    assert [(k / "followup.csv").read_text(encoding="utf-8") for k in kept] == [
        "the evaluator's edited table"]
    assert str(kept[0]) in " ".join(err.split())


# ---- F2. fac-eval's prefix is no pass -----------------------------------------------------------

@pytest.mark.parametrize("name", [".fac-eval-notes.txt", ".fac-eval-tmp~s~1~abcdef01",
                                  ".fac-eval-old~s", ".fac-eval-locks"])
@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_fac_eval_name_inside_an_output_folder_is_the_users(paths, name, kind):
    report = paths.reports / "s"
    _run(paths, "s", [report], {report: {"rapport_s.html": "v1"}})
    if kind == "file":
        (report / name).write_text("mine", encoding="utf-8")
    else:
        (report / name).mkdir()
        (report / name / "mine.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(PathGuardError) as refused:
        _run(paths, "s", [report], {report: {"rapport_s.html": "v2"}})
    assert name in refused.value.message("en")
    assert (report / name).exists()


# ---- F3. one folder, one record, however it is reached ----------------------------------------

def test_the_record_follows_the_folder_through_a_linked_root(paths, tmp_path, monkeypatch):
    report = paths.reports / "s"
    _run(paths, "s", [report], {report: {"rapport_s.html": "v1"}})
    os.symlink(paths.reports, tmp_path / "reports-link")
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(tmp_path / "reports-link"))
    linked = Paths(tmp_path)
    via = linked.reports / "s"
    (report / "notes.docx").write_text("mine", encoding="utf-8")
    with pytest.raises(PathGuardError, match="notes.docx"):
        _run(linked, "s", [via], {via: {"rapport_s.html": "v2"}})
    os.remove(report / "notes.docx")
    _run(linked, "s", [via], {via: {"rapport_s.html": "v2"}})  # recorded: nothing kept aside
    assert _kept(paths) == [] and (report / "rapport_s.html").read_text() == "v2"
    record = json.loads(output_record.record_path("s", paths).read_text(encoding="utf-8"))
    assert list(record["folders"]) == [os.path.realpath(report)]


# ---- F4. a half-done swap is never completed over the user's file ----------------------------

def _half_swap(paths, targets, names=("new.txt", "new.txt")):
    """What a run killed in the middle of its swap leaves: the journal, the first swap done
    (its process id one no process can have: that run is dead)."""
    st = outputs.Staging("s", targets, paths, notify=None).__enter__()
    for t, name in zip(targets, names):
        (st[t] / name).write_text(f"new {t.parent.name}", encoding="utf-8")
    st._bring_beside("4194999~deadbeef")
    old = [t.parent / f"{outputs.OLD}{t.name}~4194999~deadbeef" for t in targets]
    journal = outputs._journal("s", paths)
    journal.write_text(json.dumps([[str(t), str(st[t]), str(o), False]
                                   for t, o in zip(targets, old)]), encoding="utf-8")
    os.replace(targets[0], old[0])
    os.replace(st[targets[0]], targets[0])
    return journal


@pytest.mark.parametrize("user", ["notes.docx", "rapport_s.pdf", "folder"])
def test_a_half_done_swap_waits_for_the_users_file_to_go(paths, user):
    processed, report = paths.processed / "s", paths.reports / "s"
    _run(paths, "s", [processed, report], {processed: {"a.csv": "old"},
                                          report: {"rapport_s.html": "old"}})
    journal = _half_swap(paths, [processed, report])
    if user == "folder":
        (report / "annexes").mkdir()
        mine = report / "annexes"
    else:
        mine = report / user
        mine.write_text("mine", encoding="utf-8")
    with pytest.raises(PathGuardError) as refused:
        swap_repair.recover("s", [processed, report], paths)
    assert mine.name in refused.value.message("fr")
    assert mine.exists() and journal.exists()  # nothing changed: the next run can complete
    assert (report / "rapport_s.html").read_text(encoding="utf-8") == "old"
    shutil.rmtree(mine) if mine.is_dir() else mine.unlink()
    swap_repair.recover("s", [processed, report], paths)
    assert (report / "new.txt").read_text(encoding="utf-8") == "new reports"
    assert not journal.exists()
    assert [p.name for p in paths.reports.iterdir() if p.name.startswith(".")] == []


# ---- F5. never written through a link ---------------------------------------------------------

@pytest.mark.parametrize("which", ["journal", "record"])
def test_a_link_planted_at_the_journal_or_the_record_is_replaced_not_followed(paths, which):
    raw_file = paths.raw / "s" / "claims.yml"
    raw_file.parent.mkdir()
    raw_file.write_text("claims: []\n", encoding="utf-8")
    report = paths.reports / "s"
    locks = paths.processed / outputs.LOCK_DIR
    locks.mkdir()
    planted = outputs._journal("s", paths) if which == "journal" else \
        output_record.record_path("s", paths)
    os.symlink(raw_file, planted)
    _run(paths, "s", [report], {report: {"rapport_s.html": "v1"}})
    assert raw_file.read_text(encoding="utf-8") == "claims: []\n"
    assert not planted.is_symlink() or not planted.exists()


def test_a_lock_folder_replaced_by_a_link_during_the_run_stops_the_swap(paths):
    raw_session = paths.raw / "s"
    raw_session.mkdir()
    (raw_session / "session.yml").write_text("name: s\n", encoding="utf-8")
    report = paths.reports / "s"
    locks = paths.processed / outputs.LOCK_DIR
    with outputs.session_lock("s", paths, notify=None), \
            outputs.Staging("s", [report], paths, notify=None) as staging:
        (staging[report] / "rapport_s.html").write_text("new", encoding="utf-8")
        os.rename(locks, paths.processed / "moved-locks")  # a hostile writer, meanwhile
        os.symlink(raw_session, locks)
        with pytest.raises((PathGuardError, OSError)):
            staging.commit()
    assert sorted(os.listdir(raw_session)) == ["session.yml"]
    assert not report.exists()


# ---- F6. only the exact leftovers of a run are removed -----------------------------------------

def test_the_users_hidden_folders_beside_an_output_folder_stay(paths):
    report = paths.reports / "s"
    _run(paths, "s", [report], {report: {"rapport_s.html": "v1"}})
    mine = [".s.old-1", ".s.backup01", ".s.abcdefgh", f"{outputs.OLD}s~mine",
            f"{outputs.TMP}s~1~notahex!", f"{outputs.TMP}s~1~abcdef01-copy"]
    for name in mine:
        (paths.reports / name).mkdir()
        (paths.reports / name / "copy.html").write_text("mine", encoding="utf-8")
    dead = [f"{outputs.TMP}s~4194997~abcdef01", f"{outputs.OLD}s~4194997~0123abcd"]
    for name in dead:
        (paths.reports / name).mkdir()
    _run(paths, "s", [report], {report: {"rapport_s.html": "v2"}})
    left = sorted(p.name for p in paths.reports.iterdir() if p.name.startswith("."))
    assert left == sorted(mine)


# ---- F7. quality ------------------------------------------------------------------------------

def _quality_project(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    for sub in ("raw", "processed", "reports"):
        (root / sub).mkdir(parents=True)
        monkeypatch.setenv(f"FAC_EVAL_{sub.upper()}", str(root / sub))
    shutil.copytree(REPO / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", ".*"))
    return Paths(root)


def _quality_with_a_fake_kernel(tmp_path, monkeypatch):
    """A project whose data-quality notebook "executes" into ``{"executed": true}``."""
    import papermill

    def execute(nb, out, **kwargs):
        with open(out, "w", encoding="utf-8") as f:
            f.write('{"executed": true}')

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    return _quality_project(tmp_path, monkeypatch)


def test_quality_holds_the_lock_and_writes_nothing_in_the_folder_until_done(tmp_path,
                                                                           monkeypatch):
    import papermill

    from fac_eval.run import workbench

    paths = _quality_project(tmp_path, monkeypatch)
    processed = paths.processed / "s"
    seen = {}

    def execute(nb, out, **kwargs):
        lock = paths.processed / outputs.LOCK_DIR / "s.lock"
        with open(lock) as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                seen["locked"] = False
            except BlockingIOError:
                seen["locked"] = True
        seen["out"] = out
        seen["during"] = sorted(os.listdir(processed))
        with open(out, "w", encoding="utf-8") as f:
            f.write('{"executed": true}')

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    target = workbench.run_quality("s", paths)
    assert seen["locked"] and seen["during"] == []
    assert not str(seen["out"]).startswith(str(processed))
    assert target == processed / "qualite_s.ipynb"
    assert target.read_text(encoding="utf-8") == '{"executed": true}'
    assert os.listdir(processed) == ["qualite_s.ipynb"]
    assert not (paths.processed / outputs.STAGING_DIR).exists()


@pytest.mark.parametrize("failure", ["timeout", "crash"])
def test_a_failed_quality_leaves_nothing_that_blocks_a_run(tmp_path, monkeypatch, failure):
    import papermill
    from nbclient.exceptions import CellTimeoutError

    from fac_eval.run import workbench

    paths = _quality_project(tmp_path, monkeypatch)

    def execute(nb, out, **kwargs):
        with open(out, "w", encoding="utf-8") as f:
            f.write("{half")
        raise CellTimeoutError("too long") if failure == "timeout" else RuntimeError("boom")

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    with pytest.raises(workbench.QualityError):
        workbench.run_quality("s", paths)
    processed = paths.processed / "s"
    assert os.listdir(processed) == []
    _run(paths, "s", [processed], {processed: {"indicators.csv": "new"}})  # not refused


def test_what_a_killed_quality_left_is_removed_by_the_next_run(paths):
    processed = paths.processed / "s"
    away = paths.processed / outputs.STAGING_DIR
    dead = away / f"{outputs._away_prefix(processed)}4194997~abcdef01"
    dead.mkdir(parents=True)
    (dead / "qualite_s.ipynb").write_text("{half", encoding="utf-8")
    (dead / "kernel.log").write_text("killed", encoding="utf-8")
    _run(paths, "s", [processed], {processed: {"indicators.csv": "new"}})
    assert not away.exists() and os.listdir(processed) == ["indicators.csv"]


# ---- F9, F10 ----------------------------------------------------------------------------------

def test_a_comparisons_name_refusal_says_to_choose_another_name():
    from fac_eval.data import validation

    [problem] = validation.session_name_problems("reports/comparaisons/A05", ["A05"],
                                                 comparison=True)
    text = validation.format_problems([problem], lang="fr")
    assert "--name" in text and "renommez le dossier" not in text
    [problem] = validation.session_name_problems("raw/A05", ["A05"])
    assert "renommez le dossier" in validation.format_problems([problem], lang="fr")


@pytest.mark.parametrize("typed, shown", [("0,0001", "0,01\u00a0%"),
                                          ("0.000001", "0,0001\u00a0%"),
                                          ("0,000000000001", "0,0000000001\u00a0%"),
                                          ("0.00000000000000001", "0,000000000000001\u00a0%")])
def test_any_level_above_zero_is_accepted_and_printed_exactly(typed, shown):
    from fac_eval.core.formatting import fmt_level
    from fac_eval.data import parameters as P

    alpha = P.check({"alpha": typed}, "fr")["alpha"]
    assert fmt_level(alpha, "fr") == shown


# ---- round 22 (the attacker's second look) ---------------------------------------------------

@pytest.mark.parametrize("where", ["processed", "reports"])
def test_an_old_folder_found_without_its_journal_is_kept_not_removed(paths, where):
    """A killed swap's old folder, its journal removed since (the lock folder cleared): it
    may hold the user's signed report, so it is kept aside; an empty one goes."""
    root = paths.processed if where == "processed" else paths.reports
    target = root / "s"
    _run(paths, "s", [target], {target: {"rapport_s.html": "v1"}})
    old = root / f"{outputs.OLD}s~4194996~deadbeef"
    old.mkdir()
    (old / "rapport_s.pdf").write_bytes(b"%PDF signed")
    empty = root / f"{outputs.OLD}s~4194995~deadbeef"
    empty.mkdir()
    said: list[str] = []
    _run(paths, "s", [target], {target: {"rapport_s.html": "v2"}}, notify=said.append)
    assert not old.exists() and not empty.exists()
    assert [_tree(k) for k in _kept(paths)] == [{"rapport_s.pdf": b"%PDF signed"}]
    assert len(said) == 1 and said[0].startswith(str(target)) and str(_kept(paths)[0]) in said[0]


def test_a_killed_swap_then_a_cleared_lock_folder_loses_nothing(paths):
    processed, report = paths.processed / "s", paths.reports / "s"
    _run(paths, "s", [processed, report], {processed: {"indicators.csv": "the previous"},
                                          report: {"rapport_s.html": "the previous"}})
    _half_swap(paths, [processed, report], ("indicators.csv", "rapport_s.html"))
    shutil.rmtree(paths.processed / outputs.LOCK_DIR)  # journal and record gone
    _run(paths, "s", [processed, report], {processed: {"indicators.csv": "v3"},
                                          report: {"rapport_s.html": "v3"}})
    kept = [_tree(k) for k in _kept(paths)]
    # the previous processed folder, which the killed run had swapped out, is among them
    assert {"indicators.csv": b"the previous"} in kept
    assert _tree(processed) == {"indicators.csv": b"v3"}
    assert [p.name for p in paths.processed.iterdir() if p.name.startswith(outputs.OLD)] == []


@pytest.mark.parametrize("obstacle", ["kept is a file", "kept is a link", "record is a folder"])
def test_what_follows_a_swap_is_made_sure_of_before_it(paths, tmp_path, obstacle):
    """The kept folder cannot be made, the record cannot be written: said before the swap,
    and the outputs are as they were (round 22, F2)."""
    report = paths.reports / "s"
    report.mkdir()
    (report / "rapport_s.pdf").write_bytes(b"%PDF signed")  # a folder no run recorded
    kept = paths.processed / output_record.KEPT_DIR
    record = output_record.record_path("s", paths)
    if obstacle == "kept is a file":
        kept.write_text("x", encoding="utf-8")
    elif obstacle == "kept is a link":
        os.symlink(paths.raw, kept)
    else:
        record.mkdir(parents=True)
    with pytest.raises((OSError, PathGuardError)) as failed:
        _run(paths, "s", [report], {report: {"rapport_s.html": "new"}})
    where = record if obstacle == "record is a folder" else kept
    assert str(where) in str(failed.value) or str(where) in getattr(failed.value, "filename", "")
    assert _tree(report) == {"rapport_s.pdf": b"%PDF signed"}
    assert [p.name for p in paths.reports.iterdir()] == ["s"]
    assert os.listdir(paths.raw) == []


def test_checkpoints_are_carried_over_in_a_processed_folder_and_refused_in_a_report(paths):
    processed, report = paths.processed / "s", paths.reports / "s"
    _run(paths, "s", [processed, report], {processed: {"a.csv": "v1"},
                                          report: {"rapport_s.html": "v1"}})
    mine = processed / outputs.CHECKPOINTS / "mes_notes-checkpoint.ipynb"
    mine.parent.mkdir()
    mine.write_text("my notes", encoding="utf-8")
    _run(paths, "s", [processed], {processed: {"a.csv": "v2"}})
    assert mine.read_text(encoding="utf-8") == "my notes"
    signed = report / outputs.CHECKPOINTS / "signed.pdf"
    signed.parent.mkdir()
    signed.write_bytes(b"%PDF")
    with pytest.raises(PathGuardError, match=r"\.ipynb_checkpoints"):
        _run(paths, "s", [report], {report: {"rapport_s.html": "v2"}})
    assert signed.read_bytes() == b"%PDF"


def test_a_file_put_in_after_the_last_check_keeps_the_old_folder(paths, monkeypatch):
    """The window between the swap's last check and its rename (round 22, F6): the old folder
    then holds a file it did not hold at the check, so it is kept aside, not removed."""
    from fac_eval.run import outputs as o

    report = paths.reports / "s"
    _run(paths, "s", [report], {report: {"rapport_s.html": "v1"}})

    def late(point):
        if point == "swap-journal":
            (report / "notes_reunion.txt").write_text("late", encoding="utf-8")

    monkeypatch.setattr(o, "pause_point", late)
    _run(paths, "s", [report], {report: {"rapport_s.html": "v2"}})
    assert [_tree(k).get("notes_reunion.txt") for k in _kept(paths)] == [b"late"]


def test_quality_keeps_the_evaluators_edited_notebook(tmp_path, monkeypatch, capsys):
    from fac_eval.run import workbench

    paths = _quality_with_a_fake_kernel(tmp_path, monkeypatch)
    target = workbench.run_quality("s", paths)
    workbench.run_quality("s", paths)  # as fac-eval wrote it: replaced, nothing kept
    assert _kept(paths) == [] and "conservé" not in capsys.readouterr().err
    target.write_text('{"executed": true, "my notes": 1}', encoding="utf-8")
    workbench.run_quality("s", paths)
    kept = _kept(paths)
    assert [k.read_text(encoding="utf-8") for k in kept] == ['{"executed": true, "my notes": 1}']
    err = " ".join(capsys.readouterr().err.split())
    assert str(target) in err and str(kept[0]) in err
    assert target.read_text(encoding="utf-8") == '{"executed": true}'


@pytest.mark.parametrize("typed", ["1e-4", "5E-2", " 1,5e-3 "])
def test_a_number_with_an_exponent_is_refused_for_its_writing(typed):
    from fac_eval.data import parameters as P

    with pytest.raises(P.ParameterError) as refused:
        P.check({"alpha": typed}, "fr")
    assert "sans exposant : 0,0001, pas 1e-4" in refused.value.message("fr")
    assert "no exponent: 0.0001, not 1e-4" in refused.value.message("en")
    with pytest.raises(P.ParameterError) as refused:
        P.check({"alpha": "2"}, "fr")
    assert "exposant" not in refused.value.message("fr")


@pytest.mark.parametrize("alpha, fr, en", [(0.0001, "alpha = 0,0001", "alpha = 0.0001"),
                                           (0.05, "alpha = 0,05", "alpha = 0.05"),
                                           (1e-7, "alpha = 0,0000001", "alpha = 0.0000001")])
def test_the_provenance_gives_the_level_as_given(shipped, alpha, fr, en):
    from bs4 import BeautifulSoup

    from fac_eval.report.session import Report

    for lang, said in (("fr", fr), ("en", en)):
        rep = Report(shipped["2022"], lang=lang, parameters={"alpha": alpha})
        text = BeautifulSoup(str(rep.provenance().data), "html.parser").get_text(" ")
        assert said in text, text


# ---- round 23 (a third look) ---------------------------------------------------------------

def test_a_run_never_records_an_edited_quality_notebook_as_fac_evals(tmp_path, monkeypatch,
                                                                     capsys):
    """``quality``, then the evaluator edits the notebook, then a run (which carries it over):
    the next ``quality`` still keeps the edited copy aside (round 23, G1)."""
    from fac_eval.run import workbench

    paths = _quality_with_a_fake_kernel(tmp_path, monkeypatch)
    target = workbench.run_quality("s", paths)
    processed = paths.processed / "s"
    _run(paths, "s", [processed], {processed: {"indicators.csv": "v1"}})
    workbench.run_quality("s", paths)  # unedited, even after a run: replaced, nothing kept
    assert _kept(paths) == []
    target.write_text('{"my notes": 1}', encoding="utf-8")
    for _ in range(2):  # a run (or two) carries the edited copy over
        _run(paths, "s", [processed], {processed: {"indicators.csv": "v2"}})
    assert target.read_text(encoding="utf-8") == '{"my notes": 1}'
    workbench.run_quality("s", paths)
    assert [k.read_text(encoding="utf-8") for k in _kept(paths)] == ['{"my notes": 1}']


def test_a_file_saved_into_a_killed_swaps_old_folder_is_kept(paths):
    """A terminal left open in the processed folder saves into it after the killed run swapped
    it out: the next run, completing the swap, keeps that old folder (round 23, G2)."""
    processed, report = paths.processed / "s", paths.reports / "s"
    _run(paths, "s", [processed, report], {processed: {"indicators.csv": "v1"},
                                          report: {"rapport_s.html": "v1"}})
    _half_swap(paths, [processed, report], ("indicators.csv", "rapport_s.html"))
    [old] = [p for p in paths.processed.iterdir() if p.name.startswith(outputs.OLD)]
    (old / "notes.txt").write_text("saved late", encoding="utf-8")
    swap_repair.recover("s", [processed, report], paths)
    assert [_tree(k).get("notes.txt") for k in _kept(paths)] == [b"saved late"]
    # without a late file, the old folder is the previous run's: removed, nothing kept
    _run(paths, "s", [processed, report], {processed: {"indicators.csv": "v3"},
                                          report: {"rapport_s.html": "v3"}})
    _half_swap(paths, [processed, report], ("indicators.csv", "rapport_s.html"))
    swap_repair.recover("s", [processed, report], paths)
    assert len(_kept(paths)) == 1


def test_the_last_look_is_taken_before_the_checkpoints_are_copied(paths, monkeypatch):
    """A file saved while the checkpoints are copied (round 23, G5) keeps the old folder."""
    processed = paths.processed / "s"
    _run(paths, "s", [processed], {processed: {"indicators.csv": "v1"}})
    (processed / outputs.CHECKPOINTS).mkdir()
    (processed / outputs.CHECKPOINTS / "a-checkpoint.ipynb").write_text("{}", encoding="utf-8")
    real = shutil.copytree

    def slow_copy(src, dst, **kwargs):
        out = real(src, dst, **kwargs)
        (processed / "saved_meanwhile.txt").write_text("mine", encoding="utf-8")
        return out

    monkeypatch.setattr(shutil, "copytree", slow_copy)
    _run(paths, "s", [processed], {processed: {"indicators.csv": "v2"}})
    assert [_tree(k).get("saved_meanwhile.txt") for k in _kept(paths)] == [b"mine"]


def test_a_failure_to_keep_aside_after_the_swap_leaves_the_old_folder_for_the_next_run(
        paths, monkeypatch):
    """Keeping aside fails once after the swap (round 23, G6): the old folder stays, and the
    next run keeps it, never removes it."""
    report = paths.reports / "s"
    report.mkdir()
    (report / "rapport_s.pdf").write_bytes(b"%PDF signed")  # no run recorded it
    real = output_record.keep_aside
    calls = []

    def failing(old, target, p):
        calls.append(old)
        if len(calls) == 1:
            raise OSError(28, "No space left on device", str(old))
        return real(old, target, p)

    monkeypatch.setattr(output_record, "keep_aside", failing)
    with pytest.raises(OSError):
        _run(paths, "s", [report], {report: {"rapport_s.html": "new"}})
    _run(paths, "s", [report], {report: {"rapport_s.html": "newer"}})
    assert {"rapport_s.pdf": b"%PDF signed"} in [_tree(k) for k in _kept(paths)]


def test_a_names_only_record_never_becomes_an_empty_one(paths):
    """``clean`` after a record of the previous version: the report folder it did not touch
    stays unrecorded (kept aside at its next run), never recorded as holding nothing, which
    refused fac-eval's own files (round 23, G7)."""
    processed, report = paths.processed / "s", paths.reports / "s"
    report.mkdir()
    (report / "rapport_s.html").write_text("old", encoding="utf-8")
    record = output_record.record_path("s", paths)
    record.parent.mkdir()
    record.write_text(json.dumps({str(report): ["rapport_s.html"]}), encoding="utf-8")
    _run(paths, "s", [processed], {processed: {"indicators.csv": "v1"}})  # clean
    _run(paths, "s", [report], {report: {"rapport_s.html": "new"}})  # run: not refused
    assert _tree(report) == {"rapport_s.html": b"new"}
    assert [_tree(k) for k in _kept(paths)] == [{"rapport_s.html": b"old"}]


def test_a_named_pipe_in_the_checkpoints_does_not_block_a_run(paths):
    processed = paths.processed / "s"
    _run(paths, "s", [processed], {processed: {"indicators.csv": "v1"}})
    (processed / outputs.CHECKPOINTS).mkdir()
    os.mkfifo(processed / outputs.CHECKPOINTS / "pipe")
    (processed / outputs.CHECKPOINTS / "a-checkpoint.ipynb").write_text("{}", encoding="utf-8")
    _run(paths, "s", [processed], {processed: {"indicators.csv": "v2"}})
    assert (processed / outputs.CHECKPOINTS / "a-checkpoint.ipynb").read_text() == "{}"


def test_quality_says_before_running_that_the_kept_folder_cannot_be_made(tmp_path,
                                                                          monkeypatch):
    import papermill

    from fac_eval.run import workbench

    paths = _quality_project(tmp_path, monkeypatch)
    ran = []
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: ran.append(1))
    processed = paths.processed / "s"
    processed.mkdir()
    (processed / "qualite_s.ipynb").write_text("{}", encoding="utf-8")  # no run recorded it
    (paths.processed / output_record.KEPT_DIR).write_text("x", encoding="utf-8")
    with pytest.raises(OSError) as failed:
        workbench.run_quality("s", paths)
    assert str(paths.processed / output_record.KEPT_DIR) in str(failed.value)
    assert ran == [] and (processed / "qualite_s.ipynb").read_text() == "{}"
