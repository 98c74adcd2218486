"""A run replaces data/processed/<s>/ whole, but keeps the evaluator's working files that it
does not make (the executed data-quality notebook of `fac-eval quality`)."""

from __future__ import annotations

import json

import pytest

from fac_eval.run import output_record, outputs
from fac_eval.run.pipeline import Paths


@pytest.fixture(autouse=True)
def _roots_in_tmp_path(tmp_path, monkeypatch):
    """Every test's raw, processed and reports roots are in its temporary folder."""
    for root in ("raw", "processed", "reports"):
        monkeypatch.setenv(f"FAC_EVAL_{root.upper()}", str(tmp_path / root))


def test_a_run_keeps_the_quality_notebook_and_replaces_the_rest(tmp_path):
    paths = Paths(tmp_path)
    target = paths.processed / "s"
    with outputs.session_lock("s", paths), outputs.Staging("s", [target], paths) as staging:
        (staging[target] / "indicators.csv").write_text("old", encoding="utf-8")
        (staging[target] / "claims_check.csv").write_text("a stale table", encoding="utf-8")
        staging.commit()  # the previous run, recorded
    (target / "qualite_s.ipynb").write_text("{\"evaluator\": 1}", encoding="utf-8")
    with outputs.session_lock("s", paths), outputs.Staging("s", [target], paths) as staging:
        (staging[target] / "indicators.csv").write_text("new", encoding="utf-8")
        staging.commit()
    assert (target / "indicators.csv").read_text(encoding="utf-8") == "new"
    assert (target / "qualite_s.ipynb").read_text(encoding="utf-8") == "{\"evaluator\": 1}"
    # a table of fac-eval's that this run does not make again is not kept
    assert not (target / "claims_check.csv").exists()
    leftovers = [p.name for p in paths.processed.iterdir()
                 if p.name.startswith(".") and p.name != outputs.LOCK_DIR]
    assert leftovers == []


def test_a_failed_run_leaves_the_folder_as_it_was(tmp_path):
    paths = Paths(tmp_path)
    target = paths.processed / "s"
    target.mkdir(parents=True)
    (target / "qualite_s.ipynb").write_text("kept", encoding="utf-8")
    try:
        with outputs.session_lock("s", paths), outputs.Staging("s", [target], paths) as staging:
            (staging[target] / "indicators.csv").write_text("new", encoding="utf-8")
            raise RuntimeError("the notebook failed")
    except RuntimeError:
        pass
    assert sorted(p.name for p in target.iterdir()) == ["qualite_s.ipynb"]


def test_carry_over_keeps_the_other_languages_files(tmp_path):
    """A run in one language carries the other language's files of the previous folder into its
    staging folder (and only those): both languages stay side by side."""
    paths = Paths(tmp_path)
    target = paths.reports / "s"
    target.mkdir(parents=True)
    for name in ("rapport_s.html", "rapport_s.pdf", "indicateurs_s.xlsx", "report_s_en.html",
                 "report_s_en.pdf"):
        (target / name).write_text(f"old {name}", encoding="utf-8")
    assert outputs.session_files("s", "fr") == ("rapport_s.html", "rapport_s.pdf",
                                                "indicateurs_s.xlsx", "rapport_s.ipynb")
    assert outputs.session_files("s", "en") == ("report_s_en.html", "report_s_en.pdf",
                                                "indicators_s_en.xlsx", "report_s_en.ipynb")
    with outputs.session_lock("s", paths), outputs.Staging("s", [target], paths) as staging:
        copied = staging.carry_over(target, outputs.session_files("s", "fr"))
        assert sorted(p.name for p in copied) == ["indicateurs_s.xlsx", "rapport_s.html",
                                                  "rapport_s.pdf"]
        (staging[target] / "report_s_en.html").write_text("new english", encoding="utf-8")
        staging.commit()
    assert sorted(p.name for p in target.iterdir()) == [
        "indicateurs_s.xlsx", "rapport_s.html", "rapport_s.pdf", "report_s_en.html"]
    assert (target / "rapport_s.html").read_text(encoding="utf-8") == "old rapport_s.html"
    assert (target / "report_s_en.html").read_text(encoding="utf-8") == "new english"


def _two_languages(tmp_path, stamps: str | None):
    """A previous run's French and English files in a report and a processed folder, and the
    fingerprints it recorded (``stamps``: the text of inputs.json, None for none)."""
    paths = Paths(tmp_path)
    report, processed = paths.reports / "s", paths.processed / "s"
    for folder in (report, processed):
        folder.mkdir(parents=True)
    for name in ("rapport_s.html", "indicateurs_s.xlsx", "report_s_en.html"):
        (report / name).write_text(f"old {name}", encoding="utf-8")
    (processed / "rapport_s.ipynb").write_text("{}", encoding="utf-8")
    if stamps is not None:
        (processed / outputs.INPUTS_FILE).write_text(stamps, encoding="utf-8")
    return paths, report, processed


def _english_run(paths, report, processed, fingerprint: str) -> list[str]:
    with outputs.session_lock("s", paths), \
            outputs.Staging("s", [processed, report], paths) as staging:
        dropped = staging.carry_over_languages(
            "en", lambda lang: outputs.session_files("s", lang), fingerprint, processed)
        (staging[report] / "report_s_en.html").write_text("new english", encoding="utf-8")
        staging.commit()
    return dropped


def test_the_other_language_is_carried_over_only_when_made_from_the_same_inputs(
        tmp_path):
    fp = outputs.inputs_fingerprint(["abc"], {"alpha": 0.05, "lang": "fr"}, ["Marie"])
    paths, report, processed = _two_languages(tmp_path, json.dumps({"fr": fp}))
    assert _english_run(paths, report, processed, fp) == []
    assert sorted(p.name for p in report.iterdir()) == [
        "indicateurs_s.xlsx", "rapport_s.html", "report_s_en.html"]
    assert (processed / "rapport_s.ipynb").is_file()
    assert json.loads((processed / outputs.INPUTS_FILE).read_text("utf-8")) == {"fr": fp, "en": fp}


@pytest.mark.parametrize("stamps", [
    None,  # a folder made before fingerprints were recorded
    "{not json",  # unreadable
    "[1, 2]",  # not a mapping
    json.dumps({"fr": "0" * 64}),  # other data, parameters or names
    json.dumps({"en": "x"}),  # nothing recorded for French
])
def test_the_other_languages_files_made_from_other_inputs_are_dropped(
        tmp_path, stamps):
    fp = outputs.inputs_fingerprint(["abc"], {"alpha": 0.05}, [])
    paths, report, processed = _two_languages(tmp_path, stamps)
    dropped = _english_run(paths, report, processed, fp)
    assert sorted(dropped) == ["indicateurs_s.xlsx", "rapport_s.html", "rapport_s.ipynb"]
    assert sorted(p.name for p in report.iterdir()) == ["report_s_en.html"]
    assert sorted(p.name for p in processed.iterdir()) == [outputs.INPUTS_FILE]
    assert json.loads((processed / outputs.INPUTS_FILE).read_text("utf-8")) == {"en": fp}


def test_the_fingerprint_follows_data_parameters_names_not_language():
    base = outputs.inputs_fingerprint(["abc", "def"], {"alpha": 0.05, "lang": "fr"}, ["B", "A"])
    assert base == outputs.inputs_fingerprint(["abc", "def"], {"lang": "en", "alpha": 0.05},
                                              ["A", "B", "A"])
    variants = [(["abd", "def"], {"alpha": 0.05}, ["A", "B"]),
                (["def", "abc"], {"alpha": 0.05}, ["A", "B"]),
                (["abc", "def"], {"alpha": 0.1}, ["A", "B"]),
                (["abc", "def"], {"alpha": 0.05, "min_cell": 5}, ["A", "B"]),
                (["abc", "def"], {"alpha": 0.05}, ["A"])]
    fingerprints = {outputs.inputs_fingerprint(*v) for v in variants}
    assert len(fingerprints) == len(variants) and base not in fingerprints


def test_the_notice_names_the_removed_files_in_both_languages():
    from fac_eval.run.climessages import dropped_languages

    fr = dropped_languages(["rapport_s.html", "indicateurs_s.xlsx"], "fr")
    assert fr.startswith("Supprimés : rapport_s.html, indicateurs_s.xlsx, produits par")
    assert "Relancez la commande dans cette langue pour les refaire." in fr
    en = dropped_languages(["report_s_en.html"], "en")
    assert en.startswith("Removed: report_s_en.html, made by an earlier run from other data")
    assert en.endswith("to make it anew.")


def test_the_batch_summary_says_which_files_were_removed():
    from fac_eval.run.batch import SessionOutcome, summary_table

    outcomes = [SessionOutcome("s", True, 1.0, "reports/s/report_s_en.html",
                               files=("reports/s/report_s_en.html",),
                               dropped=("rapport_s.html",)),
                SessionOutcome("t", True, 1.0, "reports/t/report_t_en.html",
                               files=("reports/t/report_t_en.html",))]
    text = summary_table(outcomes, lang="en")
    assert text.count("Removed:") == 1
    line = next(ln for ln in text.splitlines() if "Removed:" in ln)
    assert "rapport_s.html, made by an earlier run" in line
    assert text.splitlines().index(line) == 3  # under its session's line


@pytest.mark.parametrize(("langs", "pdf", "told"), [
    (("fr", "en"), False, ["report_s_en.pdf"]),  # the English HTML was made again, not its PDF
    (("fr", "en"), True, []),
    (("fr",), False, ["report_s_en.html", "report_s_en.pdf"]),
])
def test_a_batch_names_only_the_removed_files_it_did_not_make_again(
        tmp_path, monkeypatch, langs, pdf, told):
    """A batch over several languages: the first language's run removes the stale English
    files, the English run makes them again; only what no run made again is named."""
    from types import SimpleNamespace

    from fac_eval.run import batch, pipeline

    def run_session(session, lang, pdf=False, **_):
        stale = ["report_s_en.html", "report_s_en.pdf"] if lang == "fr" else []
        return SimpleNamespace(html=tmp_path / outputs.report_file(session, lang),
                               pdf=tmp_path / outputs.report_file(session, lang, ".pdf")
                               if pdf else None, pdf_unavailable=None, dropped=stale)

    monkeypatch.setattr(pipeline, "run_session", run_session)
    outcome = batch.run_one("s", report_langs=langs, pdf=pdf, root=str(tmp_path))
    assert outcome.ok, outcome.detail
    assert list(outcome.dropped) == told


def test_clean_keeps_the_runs_records(tmp_path):
    """``clean`` rewrites the tables and keeps the executed notebooks and inputs.json: the
    next run in one language would otherwise remove the other as if its inputs had changed
    (attacker round 17 for #10)."""
    import shutil

    from conftest import REPO

    from fac_eval.run.pipeline import prepare_session

    shutil.copytree(REPO / "data" / "raw" / "2022", tmp_path / "raw" / "2022")
    processed = tmp_path / "processed" / "2022"
    processed.mkdir(parents=True)
    kept = {outputs.INPUTS_FILE: '{"fr": "x"}', "rapport_2022.ipynb": "{}",
            "report_2022_en.ipynb": "{}"}
    for name, text in kept.items():
        (processed / name).write_text(text, encoding="utf-8")
    (processed / "followup.csv").write_text("old", encoding="utf-8")  # a table not made again
    prepare_session("2022", Paths(tmp_path))
    for name, text in kept.items():
        assert (processed / name).read_text(encoding="utf-8") == text
    assert (processed / "indicators.csv").is_file() and not (processed / "followup.csv").exists()
    # the folder no run had recorded is kept whole (it may hold the user's files)
    kept_aside = list((tmp_path / "processed" / output_record.KEPT_DIR).iterdir())
    assert [(k / "followup.csv").read_text(encoding="utf-8") for k in kept_aside] == ["old"]
    assert outputs.run_files("s") == [outputs.INPUTS_FILE, "rapport_s.html", "rapport_s.pdf",
                                      "indicateurs_s.xlsx", "rapport_s.ipynb", "report_s_en.html",
                                      "report_s_en.pdf", "indicators_s_en.xlsx",
                                      "report_s_en.ipynb"]


def test_a_folder_made_while_a_run_works_stops_its_swap(tmp_path):
    """The check before a run is made again at its swap: a folder put inside the output folder
    meanwhile is never removed with it (attacker round 17 for #10)."""
    from fac_eval.data.session_paths import PathGuardError

    paths = Paths(tmp_path)
    target = paths.reports / "s"
    target.mkdir(parents=True)
    (target / "rapport_s.html").write_text("old", encoding="utf-8")
    with pytest.raises(PathGuardError) as refused:
        with outputs.session_lock("s", paths), outputs.Staging("s", [target], paths) as staging:
            (staging[target] / "rapport_s.html").write_text("new", encoding="utf-8")
            (target / "sauvegarde").mkdir()  # while the run works
            (target / "sauvegarde" / "export.csv").write_text("rows", encoding="utf-8")
            staging.commit()
    assert "sauvegarde" in refused.value.message("fr")
    assert (target / "rapport_s.html").read_text(encoding="utf-8") == "old"
    assert (target / "sauvegarde" / "export.csv").read_text(encoding="utf-8") == "rows"
    leftovers = [p.name for p in paths.processed.iterdir()
                 if p.name.startswith(".") and p.name != outputs.LOCK_DIR]
    assert leftovers == []


def test_a_batch_without_pdf_says_each_previous_pdf_removed(tmp_path, monkeypatch):
    """Round 24, F12: each language's previous PDF that went with its folder is said under its
    session's line."""
    from types import SimpleNamespace

    from fac_eval.run import batch, pipeline

    def run_session(session, lang, pdf=False, **_):
        return SimpleNamespace(html=tmp_path / outputs.report_file(session, lang), pdf=None,
                               pdf_unavailable=None, dropped=[],
                               pdf_removed=outputs.report_file(session, lang, ".pdf"))

    monkeypatch.setattr(pipeline, "run_session", run_session)
    outcome = batch.run_one("s", report_langs=("fr", "en"), root=str(tmp_path))
    assert outcome.pdf_removed == ("rapport_s.pdf", "report_s_en.pdf")
    text = batch.summary_table([outcome], lang="fr")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("Supprimé :")]
    assert lines == [f"Supprimé : {n}, le PDF de l'exécution précédente (il ne correspondrait "
                     "plus au nouveau rapport). Ajoutez --pdf pour l'imprimer de nouveau."
                     for n in ("rapport_s.pdf", "report_s_en.pdf")]
