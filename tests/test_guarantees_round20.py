"""Issue 10, attacker round 19 (3 December), what a run removed or said wrongly:

4. a file the user put in an output folder (``reports/<s>/``, ``data/processed/<s>/``, a
   comparison's folders) was removed by the next run's swap, silently. Each swap now records
   the files it made (:mod:`fac_eval.run.output_record`), and a run refuses to replace a folder
   holding any other file, naming it, as it refuses a foreign folder.

Each at the level of the staging folders (variants, the record, a folder no run recorded) and
through the CLI as a user runs it.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from conftest import REPO

from fac_eval.data.session_paths import PathGuardError
from fac_eval.run import output_record, outputs
from fac_eval.run.pipeline import Paths


@pytest.fixture
def paths(tmp_path, monkeypatch):
    for root in ("raw", "processed", "reports"):
        monkeypatch.setenv(f"FAC_EVAL_{root.upper()}", str(tmp_path / root))
    return Paths(tmp_path)


def _run(paths, key, targets, files):
    """One run of ``key`` making ``files`` ({target: [names]}) in ``targets``."""
    with outputs.session_lock(key, paths), outputs.Staging(key, targets, paths) as staging:
        for target in targets:
            for name in files.get(target, ()):
                (staging[target] / name).write_text(f"new {name}", encoding="utf-8")
        staging.commit()


def _tree(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _names(paths, key="s"):
    """The recorded names of each folder of ``key`` (the record holds their SHA-256 too)."""
    record = json.loads(output_record.record_path(key, paths).read_text(encoding="utf-8"))
    assert record["version"] == 2
    return {folder: sorted(files) for folder, files in record["folders"].items()}


# ---- 4. a user's file in an output folder ---------------------------------------------------

USER_FILES = ["export_brut_avec_noms.xlsx", "notes_evaluateur.docx",
              "rapport_s_signe_financeur.pdf", "rapport_autre.html", "indicateurs_s (1).xlsx",
              "README", "Rapport_s.html"]


@pytest.mark.parametrize("user_file", USER_FILES)
@pytest.mark.parametrize("where", ["processed", "reports"])
def test_a_users_file_stops_the_next_run_and_is_kept(paths, where, user_file):
    processed, report = paths.processed / "s", paths.reports / "s"
    made = {processed: ["indicators.csv", "rapport_s.ipynb"],
            report: ["rapport_s.html", "indicateurs_s.xlsx"]}
    _run(paths, "s", [processed, report], made)
    folder = processed if where == "processed" else report
    (folder / user_file).write_bytes(b"the evaluator's own")
    before = {t: _tree(t) for t in (processed, report)}
    with pytest.raises(PathGuardError) as refused:
        _run(paths, "s", [processed, report], made)
    for lang in ("fr", "en"):
        assert user_file in refused.value.message(lang)
        assert str(folder) in refused.value.message(lang)
    assert "n'a pas créés" in refused.value.message("fr")
    assert "did not make" in refused.value.message("en")
    assert {t: _tree(t) for t in (processed, report)} == before  # nothing changed


def test_a_file_put_in_while_the_run_works_stops_its_swap(paths):
    processed, report = paths.processed / "s", paths.reports / "s"
    _run(paths, "s", [processed, report], {report: ["rapport_s.html"]})
    with outputs.session_lock("s", paths), \
            outputs.Staging("s", [processed, report], paths) as staging:
        (staging[report] / "rapport_s.html").write_text("newer", encoding="utf-8")
        (report / "signed.pdf").write_bytes(b"%PDF signed")  # while the notebook runs
        with pytest.raises(PathGuardError, match="signed.pdf"):
            staging.commit()
    assert (report / "rapport_s.html").read_text(encoding="utf-8") == "new rapport_s.html"
    assert (report / "signed.pdf").read_bytes() == b"%PDF signed"
    assert not [p for p in paths.processed.iterdir() if p.name.startswith(".fac-eval-tmp")]


@pytest.mark.parametrize("kind", ["link to a file", "dangling link"])
def test_a_link_is_a_users_file_and_what_it_points_to_is_untouched(paths, tmp_path, kind):
    report = paths.reports / "s"
    _run(paths, "s", [report], {report: ["rapport_s.html"]})
    elsewhere = tmp_path / "mine.txt"
    if kind == "link to a file":
        elsewhere.write_text("mine", encoding="utf-8")
    os.symlink(elsewhere, report / "mine.txt")
    with pytest.raises(PathGuardError, match="mine.txt"):
        _run(paths, "s", [report], {report: ["rapport_s.html"]})
    assert os.path.islink(report / "mine.txt")


def test_the_files_the_runs_make_are_recorded_and_never_refused(paths):
    """The other language's files carried over, a file of the previous run that this one does
    not make again (a PDF made only with --pdf), the evaluator's quality notebook, a desktop's
    index file: none stops a run, and the record follows each swap."""
    processed, report = paths.processed / "s", paths.reports / "s"
    _run(paths, "s", [processed, report], {
        processed: ["indicators.csv", "claims_check.csv"],
        report: ["rapport_s.html", "rapport_s.pdf"]})
    assert _names(paths) == {str(processed): ["claims_check.csv", "indicators.csv"],
                             str(report): ["rapport_s.html", "rapport_s.pdf"]}
    (processed / "qualite_s.ipynb").write_text("{}", encoding="utf-8")
    (report / ".DS_Store").write_bytes(b"\0")
    _run(paths, "s", [processed, report], {processed: ["indicators.csv"],
                                           report: ["report_s_en.html"]})
    assert sorted(os.listdir(processed)) == ["indicators.csv", "qualite_s.ipynb"]
    # the desktop's index file is carried over, never recorded as the run's (round 24, F1: it
    # went with the old folder, whatever it held)
    assert sorted(os.listdir(report)) == [".DS_Store", "report_s_en.html"]
    assert (report / ".DS_Store").read_bytes() == b"\0"
    assert _names(paths)[str(report)] == ["report_s_en.html"]
    # the quality notebook is kept, but recorded only as ``fac-eval quality`` wrote it: this
    # one it never wrote (round 23, G1: an edited copy is never recorded as fac-eval's)
    assert _names(paths)[str(processed)] == ["indicators.csv"]


def test_a_run_of_one_folder_keeps_the_record_of_the_others(paths):
    """``clean`` replaces the processed folder only: the report folder's record stays."""
    processed, report = paths.processed / "s", paths.reports / "s"
    _run(paths, "s", [processed, report], {processed: ["a.csv"], report: ["rapport_s.html"]})
    _run(paths, "s", [processed], {processed: ["b.csv"]})
    assert _names(paths) == {str(processed): ["b.csv"], str(report): ["rapport_s.html"]}


@pytest.mark.parametrize("record", ["not json", "[1, 2]", '{"x": "y"}', None])
def test_a_folder_no_run_recorded_is_judged_by_fac_evals_names(paths, tmp_path, record):
    """A folder made by an earlier version (or whose record is damaged or a link): a file
    without one of the names fac-eval gives its files (both languages; a processed folder's
    tables by their exact names) stops the run; the folder is never removed but kept whole
    (round 21, F1: such names may be the user's files too)."""
    processed, report = paths.processed / "s", paths.reports / "s"
    processed.mkdir(parents=True)
    report.mkdir(parents=True)
    path = output_record.record_path("s", paths)
    path.parent.mkdir(parents=True)
    if record is None:
        (tmp_path / "forged.json").write_text(json.dumps({str(report): ["notes.docx"]}))
        os.symlink(tmp_path / "forged.json", path)
    else:
        path.write_text(record, encoding="utf-8")
    for name in ("learners.csv", "inputs.json", "rapport_s.ipynb", "report_s_en.ipynb"):
        (processed / name).write_text("old", encoding="utf-8")
    for name in ("rapport_s.html", "rapport_s.pdf", "indicateurs_s.xlsx", "report_s_en.html",
                 "report_s_en.pdf", "indicators_s_en.xlsx"):
        (report / name).write_text("old", encoding="utf-8")
    before = {t: _tree(t) for t in (processed, report)}
    _run(paths, "s", [processed, report], {report: ["rapport_s.html"]})  # all fac-eval's names
    kept = sorted((paths.processed / output_record.KEPT_DIR).iterdir())
    assert [k.name.split("~")[:2] for k in kept] == [["processed", "s"], ["reports", "s"]]
    assert [_tree(k) for k in kept] == [before[processed], before[report]]  # kept whole
    assert os.listdir(report) == ["rapport_s.html"] and os.listdir(processed) == []
    (report / "notes.docx").write_text("mine", encoding="utf-8")
    os.remove(output_record.record_path("s", paths))
    (report / "export.csv").write_text("mine", encoding="utf-8")  # a table, but published
    with pytest.raises(PathGuardError) as refused:
        _run(paths, "s", [processed, report], {report: ["rapport_s.html"]})
    assert "export.csv, notes.docx" in refused.value.message("en")


def test_a_comparisons_own_names_are_its_own(paths):
    out = paths.reports / "comparaisons" / "cmp"
    out.mkdir(parents=True)
    for lang in ("fr", "en"):
        for name in (outputs.comparison_file("cmp", lang),
                     outputs.comparison_file("cmp", lang, ".pdf"),
                     *outputs.comparison_tables("cmp", lang)):
            (out / name).write_text("old", encoding="utf-8")
    assert output_record.foreign_files(out, "comparaison~cmp", paths) == []
    (out / "comparaison_cmp_annotee.pdf").write_text("mine", encoding="utf-8")
    assert output_record.foreign_files(out, "comparaison~cmp", paths) == [
        "comparaison_cmp_annotee.pdf"]


def test_the_refusal_names_five_files_then_says_there_are_more(paths):
    report = paths.reports / "s"
    report.mkdir(parents=True)
    for i in range(7):
        (report / f"f{i}.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(PathGuardError) as refused:
        output_record.guard_no_foreign_files(report, "s", paths)
    assert "(f0.txt, f1.txt, f2.txt, f3.txt, f4.txt, …)" in refused.value.message("fr")


# ---- through the CLI ------------------------------------------------------------------------

def test_the_attackers_run_keeps_every_file_and_names_them(tmp_path, main_cli):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copytree(REPO / "data" / "raw" / "synth-2024", raw / "synth-2024")
    env = {"FAC_EVAL_RAW": str(raw), "FAC_EVAL_PROCESSED": str(tmp_path / "processed"),
           "FAC_EVAL_REPORTS": str(tmp_path / "reports")}
    code, _, err = main_cli("run", "synth-2024", env=env)
    assert code == 0, err
    processed, report = tmp_path / "processed" / "synth-2024", tmp_path / "reports" / "synth-2024"
    (processed / "export_brut_avec_noms.xlsx").write_bytes(b"names")
    (processed / "notes_evaluateur.docx").write_bytes(b"notes")
    (report / "rapport_synth-2024_signe_financeur.pdf").write_bytes(b"%PDF signed")
    before = {t: _tree(t) for t in (processed, report)}
    code, out, err = main_cli("run", "synth-2024", env=env)
    assert code != 0
    said = " ".join((out + err).split())
    assert "export_brut_avec_noms.xlsx, notes_evaluateur.docx" in said
    assert "Traceback" not in said
    assert {t: _tree(t) for t in (processed, report)} == before
    # moved away, the run goes on
    os.remove(processed / "export_brut_avec_noms.xlsx")
    os.remove(processed / "notes_evaluateur.docx")
    code, out, err = main_cli("run", "synth-2024", "--lang", "en", env=env)
    assert code != 0
    assert "rapport_synth-2024_signe_financeur.pdf" in " ".join((out + err).split())
    assert "did not make" in " ".join((out + err).split())


def test_a_comparison_and_clean_refuse_the_same_way(tmp_path, main_cli):
    env = {"FAC_EVAL_RAW": str(REPO / "data" / "raw"),
           "FAC_EVAL_PROCESSED": str(tmp_path / "processed"),
           "FAC_EVAL_REPORTS": str(tmp_path / "reports")}
    out_dir = tmp_path / "reports" / "comparaisons" / "cmp"
    out_dir.mkdir(parents=True)
    (out_dir / "notes.md").write_text("mine", encoding="utf-8")
    code, out, err = main_cli("compare", "2022", "synth-2024", "--name", "cmp", env=env)
    assert code != 0 and "notes.md" in out + err
    assert os.listdir(out_dir) == ["notes.md"]
    processed = tmp_path / "processed" / "2022"
    processed.mkdir(parents=True)
    (processed / "brouillon.xlsx").write_bytes(b"mine")
    code, out, err = main_cli("clean", "2022", env=env)
    assert code != 0 and "brouillon.xlsx" in out + err
    assert os.listdir(processed) == ["brouillon.xlsx"]
