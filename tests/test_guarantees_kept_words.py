"""Issue 10: what a refusal or a kept copy says of a user's folder (round 23, left open).

- A report folder holding JupyterLab's ``.ipynb_checkpoints`` is refused (it would go with the
  swap), and the refusal says it is a folder and why it is refused there, when a processed
  folder carries it over; it was listed among "files".
- A kept copy's name says which root the folder was in: two comparisons' folders (``reports/
  comparisons/<name>`` and ``data/processed/comparisons/<name>``) were both kept as
  ``comparisons~<name>~…``, whatever the roots' own folder names.
"""

from __future__ import annotations

import re

import pytest
from _guarantees import output_roots, staged_run

from fac_eval.data.session_paths import PathGuardError
from fac_eval.run import output_record, outputs


@pytest.fixture
def paths(tmp_path, monkeypatch):
    return output_roots(tmp_path, monkeypatch, ("raw", "tables", "published"))


_run = staged_run


def _checkpoint(folder):
    (folder / outputs.CHECKPOINTS).mkdir()
    (folder / outputs.CHECKPOINTS / "x-checkpoint.ipynb").write_text("{}", encoding="utf-8")


@pytest.mark.parametrize("others", [(), ("notes.txt",), ("notes.txt", "signed.pdf")])
def test_refused_checkpoints_in_a_report_are_named_a_folder(paths, others):
    report = paths.reports / "s"
    _run(paths, "s", [report], {report: {"rapport_s.html": "v1"}})
    _checkpoint(report)
    for name in others:
        (report / name).write_text("mine", encoding="utf-8")
    with pytest.raises(PathGuardError) as caught:
        _run(paths, "s", [report], {report: {"rapport_s.html": "v2"}})
    fr, en = caught.value.message("fr"), caught.value.message("en")
    why_fr = ("Les points de contrôle de JupyterLab ne sont repris que dans un dossier de données "
              "traitées, jamais dans un dossier de rapports.")
    assert fr.endswith(why_fr) and en.endswith("never in a report folder.")
    if others:
        assert f"(le dossier .ipynb_checkpoints, {', '.join(sorted(others))})" in fr
        assert "contient des fichiers que fac-eval n'a pas créés" in fr
        assert "(the folder .ipynb_checkpoints, " in en
    else:  # a folder alone: the words of any folder of the user's
        assert "contient un dossier que fac-eval ne crée pas (.ipynb_checkpoints)" in fr
        assert "holds a folder fac-eval does not make (.ipynb_checkpoints)" in en
        assert "fichiers" not in fr.split(".")[0]
    assert (report / outputs.CHECKPOINTS / "x-checkpoint.ipynb").read_text() == "{}"


def test_checkpoints_in_a_processed_folder_are_still_carried_over(paths):
    processed = paths.processed / "s"
    _run(paths, "s", [processed], {processed: {"indicators.csv": "v1"}})
    _checkpoint(processed)
    _run(paths, "s", [processed], {processed: {"indicators.csv": "v2"}})
    assert (processed / outputs.CHECKPOINTS / "x-checkpoint.ipynb").read_text() == "{}"


@pytest.mark.parametrize("place", [("s",), ("comparisons", "c1")])
def test_a_kept_copy_says_which_root_it_came_from(paths, place):
    """Both output folders of one key, never recorded (an earlier version's): each is kept,
    and the kept copies' names tell the report's from the tables', though the roots are named
    ``published`` and ``tables`` and a comparison's two folders share their last two names."""
    from fac_eval.run.outputs import comparison_file, report_file

    report, processed = paths.reports.joinpath(*place), paths.processed.joinpath(*place)
    html = report_file("s", "fr") if len(place) == 1 else comparison_file("c1", "fr", ".html")
    for folder, name in ((report, html), (processed, "indicators.csv")):
        folder.mkdir(parents=True)
        (folder / name).write_text("old", encoding="utf-8")
    key = "s" if len(place) == 1 else "comparaison~c1"  # compare_run's key
    staging = _run(paths, key, [processed, report],
                   {processed: {"indicators.csv": "new"}, report: {html: "new"}})
    kept = {target: where.name for target, where in staging.kept}
    tail = r"~\d{8}-\d{6}~[0-9a-f]{4}$"
    assert re.match(r"^reports~" + "~".join(place) + tail, kept[report]), kept
    assert re.match(r"^processed~" + "~".join(place) + tail, kept[processed]), kept
    assert sorted(p.name for p in (paths.processed / output_record.KEPT_DIR).iterdir()) == \
        sorted(kept.values())


def test_a_kept_name_outside_both_roots_uses_the_folders_own_names(paths, tmp_path):
    name = output_record.kept_name(tmp_path / "elsewhere" / "s", paths, "20261207-030000")
    assert re.fullmatch(r"elsewhere~s~20261207-030000~[0-9a-f]{4}", name)


@pytest.mark.parametrize("log", [".qualite_s.kernel.log", ".quality_s_en.kernel.log"])
def test_an_earlier_versions_kernel_log_does_not_stop_a_run(paths, log):
    """An earlier version's ``quality`` wrote its kernel's log beside its notebook in the
    processed folder, left there by a killed run (round 23, LOW): fac-eval's own name, so the
    unrecorded folder is kept aside whole, not refused. The same name in a report folder, or a
    log of another session, is still the user's."""
    processed = paths.processed / "s"
    processed.mkdir()
    (processed / "qualite_s.ipynb").write_text("{}", encoding="utf-8")
    (processed / log).write_text("kernel chatter", encoding="utf-8")
    staging = _run(paths, "s", [processed], {processed: {"indicators.csv": "new"}})
    assert [sorted(p.name for p in where.iterdir()) for _, where in staging.kept] == [
        sorted([log, "qualite_s.ipynb"])]
    assert (processed / "indicators.csv").read_text() == "new"
    other = paths.processed / "t"
    other.mkdir()
    (other / ".qualite_s.kernel.log").write_text("not t's", encoding="utf-8")
    with pytest.raises(PathGuardError, match=r"\.qualite_s\.kernel\.log"):
        _run(paths, "t", [other], {other: {"indicators.csv": "new"}})
    report = paths.reports / "s"
    report.mkdir()
    (report / log).write_text("mine", encoding="utf-8")
    with pytest.raises(PathGuardError, match=re.escape(log)):
        _run(paths, "s", [report], {report: {"rapport_s.html": "new"}})
