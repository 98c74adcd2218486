"""A run replaces data/processed/<s>/ whole, but keeps the evaluator's working files that it
does not make (the executed data-quality notebook of `fac-eval quality`)."""

from __future__ import annotations

from fac_eval.run import outputs
from fac_eval.run.pipeline import Paths


def test_a_run_keeps_the_quality_notebook_and_replaces_the_rest(tmp_path, monkeypatch):
    for root in ("raw", "processed", "reports"):
        monkeypatch.setenv(f"FAC_EVAL_{root.upper()}", str(tmp_path / root))
    paths = Paths(tmp_path)
    target = paths.processed / "s"
    target.mkdir(parents=True)
    (target / "indicators.csv").write_text("old", encoding="utf-8")
    (target / "qualite_s.ipynb").write_text("{\"evaluator\": 1}", encoding="utf-8")
    (target / "notes.txt").write_text("a stale table", encoding="utf-8")
    with outputs.session_lock("s", paths), outputs.Staging("s", [target], paths) as staging:
        (staging[target] / "indicators.csv").write_text("new", encoding="utf-8")
        staging.commit()
    assert (target / "indicators.csv").read_text(encoding="utf-8") == "new"
    assert (target / "qualite_s.ipynb").read_text(encoding="utf-8") == "{\"evaluator\": 1}"
    assert not (target / "notes.txt").exists()  # what the run does not make is not kept
    leftovers = [p.name for p in paths.processed.iterdir()
                 if p.name.startswith(".") and p.name != outputs.LOCK_DIR]
    assert leftovers == []


def test_a_failed_run_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    for root in ("raw", "processed", "reports"):
        monkeypatch.setenv(f"FAC_EVAL_{root.upper()}", str(tmp_path / root))
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


def test_carry_over_keeps_the_other_languages_files(tmp_path, monkeypatch):
    """A run in one language carries the other language's files of the previous folder into its
    staging folder (and only those): both languages stay side by side."""
    for root in ("raw", "processed", "reports"):
        monkeypatch.setenv(f"FAC_EVAL_{root.upper()}", str(tmp_path / root))
    paths = Paths(tmp_path)
    target = paths.reports / "s"
    target.mkdir(parents=True)
    for name in ("rapport_s.html", "rapport_s.pdf", "indicateurs_s.xlsx", "report_s_en.html",
                 "stale.txt"):
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
