"""The workbench after an independent tester's fifth pass (issue 15)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import cli_text as _cli

from fac_eval.run import cli, pipeline

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"


def _copy_of_the_quality_notebook(folder: Path, name: str, marked: bool) -> Path:
    nb = json.loads((NOTEBOOKS / "qualite_donnees.ipynb").read_text(encoding="utf-8"))
    if not marked:
        nb["metadata"].pop("fac_eval", None)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(nb), encoding="utf-8")
    return folder / name


@pytest.mark.parametrize("lang, words", [
    ("fr", "est un fichier de travail de l'évaluateur ou de l'évaluatrice (données item par "
           "item) : il n'est jamais publié comme rapport. Lancez-le avec fac-eval quality SESSION"),
    ("en", "is an evaluator's working file (item-level data): it is never published as a "
           "report. Run it with fac-eval quality SESSION"),
])
@pytest.mark.parametrize("which", ["shipped", "renamed copy", "same name, unmarked"])
def test_run_never_publishes_the_data_quality_notebook(roots, capsys, lang, words, which):
    """F10: ``run --notebook notebooks/qualite_donnees.ipynb`` wrote the item-level working
    file to reports/S/rapport_S.html. The notebook says it is a working file (its metadata),
    and run refuses it, by that mark or by its name, before anything is written."""
    nb = {"shipped": NOTEBOOKS / "qualite_donnees.ipynb",
          "renamed copy": _copy_of_the_quality_notebook(roots / "nb", "mon_carnet.ipynb", True),
          "same name, unmarked": _copy_of_the_quality_notebook(roots / "nb2",
                                                               "qualite_donnees.ipynb", False),
          }[which]
    code, text = _cli(capsys, "run", "synth-2024", "--notebook", str(nb), "--lang", lang)
    assert code == 2
    assert words in text and str(nb) in text
    assert not (roots / "r").exists() and not (roots / "p").exists()


def test_the_pipeline_refuses_a_working_file_too(roots):
    from fac_eval.run.pipeline import Paths

    nb = _copy_of_the_quality_notebook(roots / "nb", "copie.ipynb", True)
    with pytest.raises(pipeline.RunError) as err:
        pipeline.run_session("synth-2024", lang="en", paths=Paths(), notebook=nb)
    assert "is an evaluator's working file" in err.value.message()
    assert not (roots / "r").exists()


def test_an_unmarked_notebook_of_another_name_is_not_taken_for_a_working_file(tmp_path):
    from fac_eval.run.notebook_params import is_working_file

    assert not is_working_file(_copy_of_the_quality_notebook(tmp_path, "autre.ipynb", False))
    assert not is_working_file(NOTEBOOKS / "rapport_evaluation.ipynb")
    assert is_working_file(NOTEBOOKS / "qualite_donnees.ipynb")
    (tmp_path / "broken.ipynb").write_text("{not json", encoding="utf-8")
    assert not is_working_file(tmp_path / "broken.ipynb")


PSEUDO_KEY = "cle-de-test-0123456789abcdef-ne-pas-utiliser"


@pytest.mark.parametrize("renamed", ["Feuil1", "Sheet1", "Données mars"])
def test_pseudonymise_never_touches_the_guide_of_a_workbook_whose_data_sheet_was_renamed(
        tmp_path, monkeypatch, capsys, renamed):
    """F9: with the data sheet of a generated workbook renamed, pseudonymise used to process
    the Guide sheet too (its "Technical name" column taken for names, its rows counted as
    people). The guide and the lists are never data; the renamed sheet is."""
    import pandas as pd
    from openpyxl import load_workbook

    from fac_eval.data import codebook as cb
    from fac_eval.data import entry_templates as et
    from fac_eval.disclosure import privacy

    monkeypatch.setenv("FAC_EVAL_KEY", PSEUDO_KEY)
    monkeypatch.delenv("FAC_EVAL_KEY_FILE", raising=False)
    src = et.write_instrument_template(cb.INSTRUMENTS["learners_profile"], tmp_path / "m.xlsx")
    wb = load_workbook(src)
    ws = wb[et.DATA_SHEET["fr"]]
    ws.title = renamed
    n = ws.max_column
    ws.cell(row=1, column=n + 1, value="Nom")
    for r, name in enumerate(("Marie Dupont", "Jean Martin", "Ana Lopes"), start=2):
        ws.cell(row=r, column=n + 1, value=name)
    guide_before = [[c.value for c in row] for row in wb[et.GUIDE_SHEET].iter_rows()]
    wb.save(src)
    assert et.data_sheets(src) == (renamed,)
    dst = tmp_path / "out" / "learners_profile.xlsx"
    dst.parent.mkdir()
    capsys.readouterr()
    assert cli.main(["pseudonymise", str(src), str(dst), "--lang", "en"]) == 0, \
        capsys.readouterr().err
    said = " ".join(capsys.readouterr().out.split())
    assert f"(3 rows, sheet '{renamed}')" in said and "Sheets kept as they were: Listes, Guide." \
        in said, said
    out = load_workbook(dst)
    assert [[c.value for c in row] for row in out[et.GUIDE_SHEET].iter_rows()] == guide_before
    data = pd.read_excel(dst, sheet_name=renamed, dtype=str)
    assert list(data["Identifiant apprenant"]) == [
        privacy.pseudonym(x, PSEUDO_KEY.encode(), "A")
        for x in ("Marie Dupont", "Jean Martin", "Ana Lopes")]
    assert "Nom" not in data.columns


@pytest.mark.parametrize("layout", ["same", "processed inside reports", "reports inside processed"])
@pytest.mark.parametrize("command", [["quality", "synth-2024"], ["run", "synth-2024"],
                                     ["clean", "synth-2024"]])
def test_processed_and_reports_roots_that_overlap_are_refused(tmp_path, monkeypatch, capsys,
                                                              layout, command):
    """F2: with FAC_EVAL_PROCESSED inside (or equal to) FAC_EVAL_REPORTS, the data-quality
    notebook (item-level data) landed in the published folder. The roots are checked by the one
    resolver, for every command, before anything is written."""
    processed, reports = {"same": ("out", "out"), "processed inside reports": ("r/proc", "r"),
                          "reports inside processed": ("p", "p/pub")}[layout]
    monkeypatch.setenv("FAC_EVAL_RAW", str(REPO / "data" / "raw"))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / processed))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(tmp_path / reports))
    code, text = _cli(capsys, *command, "--lang", "en")
    assert code == 1, text
    assert (f"The processed folder {tmp_path / processed} and the reports folder "
            f"{tmp_path / reports} overlap") in text and "Nothing was written." in text
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("typed, lang, title", [
    ("EN", "en", "<title>Evaluation of session synth-2024"),
    (" en ", "en", "<title>Evaluation of session synth-2024"),
    ("Fr", "fr", "<title>Évaluation de la session synth-2024"),
    ("de", "fr", "<title>Évaluation de la session synth-2024"),  # refused by the notebook
])
def test_the_template_reads_the_language_as_the_notebook_does(typed, lang, title):
    """F11: ``papermill … -p lang EN`` gives an English report (the notebook reads the code in
    any case), but the template read "EN" as no language and wrote ``<html lang="fr">`` and a
    French title."""
    import nbformat
    from nbconvert import HTMLExporter

    from fac_eval.report import nbtemplate

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('session: str = "2022"\nlang: str = "fr"',
                                          metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(f'session = "synth-2024"\nlang = {typed!r}',
                                          metadata={"tags": ["injected-parameters"]})]
    exporter = HTMLExporter(template_name="fac_report",
                            extra_template_basedirs=[str(nbtemplate.TEMPLATES)])
    html, _ = exporter.from_notebook_node(nb)
    assert f'<html lang="{lang}">' in html and title in html


def test_the_bar_is_drawn_on_a_terminal_that_says_it_is_0_by_0():
    """F3: under ``script`` (a pty without a window size) the terminal says 0 x 0 and tqdm drew
    nothing at all with 0 rows; the batch gives it the fallback size. Run on a real pseudo
    terminal whose size was never set."""
    import os
    import pty
    import subprocess
    import sys

    code = ("from fac_eval.run import batch\n"
            "bar = batch._progress(2, True, 'en')\n"
            "bar.set_postfix_str(batch.running_text(['2022', 'synth-2024'], 'en'))\n"
            "bar.update(1); bar.update(1); bar.set_postfix_str(''); bar.close()\n")
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=slave, stdout=slave,
                            stderr=slave, env={**env, "PYTHONPATH": str(REPO)}, close_fds=True)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=60)
    os.close(master)
    text = out.decode("utf-8", "replace")
    frames = [f for f in text.replace("\n", "\r").split("\r") if f.strip()]
    assert any("0/2" in f and "running: 2022, synth-2024" in f for f in frames), text
    assert any("2/2" in f for f in frames) and all(len(f) <= 80 for f in frames), text


@pytest.mark.parametrize("argv, lang, said", [
    (["--lnag", "en", "validate", "2022"], "fr",
     "fac-eval : erreur : arguments non reconnus : --lnag. Vouliez-vous dire « --lang » ?"),
    (["--lang", "en", "--lnag", "en", "validate", "2022"], "en",
     "fac-eval: error: unrecognized arguments: --lnag. Did you mean '--lang'?"),
    (["--verbose", "validate", "2022"], "fr", "fac-eval : erreur : arguments non reconnus : --verbose"),
])
def test_an_unknown_option_before_the_command_is_named(capsys, argv, lang, said):
    """F7: ``fac-eval --lnag en validate`` blamed « en » as an unknown command and suggested
    « clean »; the unknown option is named, with the option it most likely means."""
    code, text = _cli(capsys, *argv)
    assert code == 2 and said in text
    assert "commande inconnue" not in text and "unknown command" not in text


@pytest.mark.parametrize("table, old, new, lang, note", [
    ("learners", "A03", "P99", "en",
     "the founders' prefix P: a learner's id starts with A (A01, A02…)"),
    ("learners", "A03", "p07", "fr",
     "le préfixe P, celui des porteurs de projet : l'identifiant commence par A "
     "pour un apprenant ou une apprenante (A01, A02…)"),
    ("founders", "P02", "A12", "en",
     "the learners' prefix A: a founder's id starts with P (P01, P02…)"),
])
def test_an_id_typed_with_the_other_populations_prefix_is_refused(tmp_path, monkeypatch,
                                                                   capsys, table, old, new,
                                                                   lang, note):
    """F12: the validator accepted P99 as a learner's id, and its advice described a looser
    rule than the guide sheets and the README (learners A01…, founders P01…)."""
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "data" / "raw" / "2022", raw / "s")
    for f in (raw / "s").glob("*.csv"):
        text = f.read_text(encoding="utf-8")
        f.write_text(text.replace(f"\n{old},", f"\n{new},"), encoding="utf-8")
    monkeypatch.setenv("FAC_EVAL_RAW", str(raw))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / "p"))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(tmp_path / "r"))
    code, text = _cli(capsys, "validate", "s", "--lang", lang)
    assert code == 1, text
    assert f"{table}_profile.csv" in text and new in text and note in text
    assert ("A01, A02… for a learner, P01, P02… for a founder" if lang == "en" else
            "A01, A02… pour un apprenant ou une apprenante, P01, P02… pour un porteur ou une "
            "porteuse de projet") in text


def test_a_code_outside_the_scale_is_left_out_of_the_quality_figures():
    """F6: one 9 typed on a 1-4 item was counted as an answer (the codes added up to 12 against
    "Answers 13") and scored in the reliability (alpha 0.820 -> 0.643). It is left out of
    both, and counted apart; alpha is checked against the formula on the valid answers."""
    import numpy as np
    import pandas as pd

    from fac_eval.analysis import quality
    from fac_eval.data import codebook as cb

    entry = pd.read_csv(REPO / "data" / "raw" / "synth-2024" / "learners_entry.csv")
    scale = cb.SCALES["digital_skills"]
    item = scale.items[0]
    typed = entry.copy()
    typed[item] = typed[item].astype(object)
    typed.loc[typed.index[0], item] = 9
    dist = quality.answer_distribution(typed, "learners_entry").set_index("item").loc[item]
    clean = pd.to_numeric(entry[item], errors="coerce").dropna()
    assert dist["n_invalid"] == 1 and dist["n"] == len(clean) - (1 if not pd.isna(
        pd.to_numeric(entry[item], errors="coerce").iloc[0]) else 0)
    assert sum(dist[str(c)] for c in cb.find_item(item).codes) == dist["n"]
    rel = quality.scale_reliability({"learners_entry": typed})
    row = rel[(rel["scale"] == "digital_skills")].iloc[0]
    x = quality.scored_items(entry, scale).drop(index=typed.index[0]).dropna().to_numpy()
    k = x.shape[1]
    alpha = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
    assert row["n"] == len(x) and row["alpha"] == pytest.approx(alpha)
    assert np.isnan(quality.scored_items(typed, scale)[item].iloc[0])


@pytest.mark.parametrize("share, fr, en", [(0.154, "15,4\u00a0%", "15.4%"),
                                           (0.1504, "15,04\u00a0%", "15.04%"),
                                           (0.15, "15\u00a0%", "15%"), (0.4, "40\u00a0%", "40%")])
def test_a_floor_share_flagged_above_the_threshold_never_reads_as_the_threshold(share, fr, en):
    """F13: a share of 15.4 % flagged as above 15 % was shown as "15 %"."""
    from types import SimpleNamespace

    from fac_eval.report.quality_view import QualityNotebook

    for lang, want in (("fr", fr), ("en", en)):
        view = SimpleNamespace(floor_ceiling=0.15, lang=lang)
        assert QualityNotebook._share(view, share) == want


@pytest.mark.parametrize("lang, unknown, unsupported", [
    ("en", "Cannot tell which table sortie.csv is: its name is not a table's and its headers "
           "have no id column ('Learner id', 'Identifiant apprenant', 'learner_id', 'Founder id', "
           "'Identifiant porteur', 'founder_id', 'Participant id', 'Identifiant participant', "
           "'participant_id').",
     "Unsupported output type '.txt': use .csv or .xlsx. Nothing was written."),
    ("fr", "Impossible de savoir quelle table est sortie.csv : son nom n'est pas celui d'une table "
           "et ses en-têtes n'ont pas de colonne d'identifiant (« Identifiant apprenant », "
           "« Learner id », « learner_id »",
     "Type de fichier de sortie non pris en charge (.txt) : utilisez .csv ou .xlsx. Rien n'a été "
     "écrit."),
])
def test_pseudonymise_refusals_are_sentences_naming_the_headers_of_both_languages(
        tmp_path, monkeypatch, capsys, lang, unknown, unsupported):
    """F8: the English refusals were lower-case fragments, one without "Nothing was written",
    and the headers they listed were only the French ones (an English workbook's are 'Learner
    id'…)."""
    monkeypatch.setenv("FAC_EVAL_KEY", PSEUDO_KEY)
    src = tmp_path / "export.csv"
    src.write_text("Nom,Courriel\nMarie Dupont,m@example.org\n", encoding="utf-8")
    code, text = _cli(capsys, "pseudonymise", str(src), str(tmp_path / "sortie.csv"),
                      "--lang", lang)
    assert code == 1 and " ".join(unknown.split()) in text, text
    code, text = _cli(capsys, "pseudonymise", str(src), str(tmp_path / "learners_profile.txt"),
                      "--lang", lang)
    assert code == 1 and unsupported in text, text
    assert not (tmp_path / "sortie.csv").exists()
