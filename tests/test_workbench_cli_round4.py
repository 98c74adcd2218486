"""The CLI after an independent tester's fourth pass (issue 15): ``run --notebook`` checks the
``-p`` options against the chosen notebook's own parameters; minor CLI items."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from fac_eval.run import cli, pipeline

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"


@pytest.fixture
def roots(monkeypatch, tmp_path):
    """The repository's raw data, outputs in tmp_path (never written by a refusal)."""
    monkeypatch.setenv("FAC_EVAL_RAW", str(REPO / "data" / "raw"))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / "p"))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(tmp_path / "r"))
    return tmp_path


def _usage_refusal(err: str, lang: str) -> None:
    """The shape of argparse's own errors: usage line first, ``prog: error:``, help pointer."""
    usage, error, help_ = (("usage: fac-eval run ", "fac-eval run: error: ",
                            "Help: fac-eval run --help") if lang == "en" else
                           ("utilisation : fac-eval run ", "fac-eval run : erreur : ",
                            "Aide : fac-eval run --help"))
    assert err.startswith(usage) and error in err
    assert err.rstrip().splitlines()[-1] == help_


# ---------------------------------------------------------------- run --notebook -p

@pytest.mark.parametrize("notebook, param, fr, en", [
    ("qualite_donnees.ipynb", "alpha=0.1",
     "Paramètre inconnu « alpha » pour le carnet qualite_donnees.ipynb. Paramètres de ce "
     "carnet : session, lang, confidence, floor_ceiling. Conseil : les paramètres d'un carnet "
     "sont les variables de sa cellule étiquetée « parameters ».",
     "Unknown parameter 'alpha' for the notebook qualite_donnees.ipynb. Parameters of this "
     "notebook: session, lang, confidence, floor_ceiling. Hint: a notebook's parameters are the "
     "variables of its cell tagged 'parameters'."),
    ("qualite_donnees.ipynb", "floor_cieling=0.2",
     "Paramètre inconnu « floor_cieling » pour le carnet qualite_donnees.ipynb. Vouliez-vous "
     "dire « floor_ceiling » ? Paramètres de ce carnet : session, lang, confidence, "
     "floor_ceiling.",
     "Unknown parameter 'floor_cieling' for the notebook qualite_donnees.ipynb. Did you mean "
     "'floor_ceiling'? Parameters of this notebook: session, lang, confidence, floor_ceiling."),
    ("comparaison_sessions.ipynb", "session=2022",
     "Paramètre inconnu « session » pour le carnet comparaison_sessions.ipynb. Vouliez-vous "
     "dire « sessions » ? Paramètres de ce carnet : sessions, lang, alpha, confidence, min_cell.",
     "Unknown parameter 'session' for the notebook comparaison_sessions.ipynb. Did you mean "
     "'sessions'? Parameters of this notebook: sessions, lang, alpha, confidence, min_cell."),
    ("rapport_evaluation.ipynb", "min_cel=5",
     "Paramètre inconnu « min_cel » pour le carnet rapport_evaluation.ipynb. Vouliez-vous dire "
     "« min_cell » ?",
     "Unknown parameter 'min_cel' for the notebook rapport_evaluation.ipynb. Did you mean "
     "'min_cell'?"),
])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_parameter_the_notebook_does_not_declare_is_refused_as_usage(
        roots, main_cli, notebook, param, fr, en, lang):
    code, out, err = main_cli("run", "2022", "--notebook", str(NOTEBOOKS / notebook), "-p",
                              param, "--lang", lang)
    assert code == 2 and out == ""
    _usage_refusal(err, lang)
    assert (fr if lang == "fr" else en) in " ".join(err.split())
    assert not (roots / "r").exists() and not (roots / "p").exists()


def test_every_problem_of_the_options_is_listed_at_once(roots, main_cli):
    code, _, err = main_cli("run", "2022", "--notebook", str(NOTEBOOKS / "qualite_donnees.ipynb"),
                            "-p", "alpha=0.1", "-p", "confidence=2", "-p", "floor_ceiling=0,3",
                            "--lang", "en")
    assert code == 2
    assert "2 parameters refused:" in err
    assert "- Unknown parameter 'alpha' for the notebook qualite_donnees.ipynb." in err
    assert "- Parameter 'confidence' (level of the confidence intervals): value '2' refused; " \
        "expected: a number between 0.8 and 0.999." in err
    assert "floor_ceiling" not in err.split("Parameters of this notebook:")[0].split("\n- ")[-1]


@pytest.mark.parametrize("value, ok", [("0,3", True), ("0.5", True), ("0.6", False),
                                       ("0", False), ("beaucoup", False)])
def test_the_quality_notebooks_own_parameter_is_checked_against_its_range(roots, value, ok):
    from fac_eval.data.parameters import ParameterError
    from fac_eval.run.notebook_params import check_run_options

    nb = NOTEBOOKS / "qualite_donnees.ipynb"
    if ok:
        assert check_run_options([f"floor_ceiling={value}"], "2022", "fr", nb) == \
            {"floor_ceiling": value}
    else:
        with pytest.raises(ParameterError) as err:
            check_run_options([f"floor_ceiling={value}"], "2022", "fr", nb)
        assert err.value.message("en").startswith(
            f"Parameter 'floor_ceiling' (share of answers at the lowest (highest) code flagged "
            f"as a floor (ceiling) effect): value '{value}' refused; expected: a number greater "
            "than 0 and at most 0.5.")


def test_the_comparison_notebooks_own_parameters_are_accepted(roots, main_cli, monkeypatch):
    """``sessions`` (its own) is given to the notebook; no ``session`` it does not declare."""
    seen = {}

    def fake_run(session, **kw):
        seen.update(kw["parameters"], session=session, notebook=kw["notebook"])
        declared = pipeline.notebook_parameters(kw["notebook"])
        seen["final"] = pipeline.run_parameters(session, kw["lang"], declared, kw["parameters"])
        raise pipeline.RunError(session, "stopped by the test", "notebook")

    monkeypatch.setattr(pipeline, "run_session", fake_run)
    nb = NOTEBOOKS / "comparaison_sessions.ipynb"
    code, _, err = main_cli("run", "2022", "--notebook", str(nb), "-p", "sessions=2022,synth-2024",
                            "-p", "min_cell=4", "--lang", "en")
    assert code == 1 and "stopped by the test" in err
    assert seen["sessions"] == "2022,synth-2024" and seen["min_cell"] == "4"
    assert seen["final"] == {"sessions": "2022,synth-2024", "min_cell": 4, "lang": "en"}


def test_the_default_notebook_still_gets_the_session_and_language():
    declared = pipeline.notebook_parameters(NOTEBOOKS / pipeline.NOTEBOOK)
    assert pipeline.run_parameters("2022", "en", declared, {"alpha": "0,1"}) == \
        {"alpha": 0.1, "session": "2022", "lang": "en"}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_unknown_notebook_path_is_refused_naming_the_notebooks_there(roots, main_cli, lang):
    code, out, err = main_cli("run", "2022", "--notebook", str(NOTEBOOKS / "qualite.ipynb"),
                              "--lang", lang)
    assert code == 2 and out == ""
    _usage_refusal(err, lang)
    text = " ".join(err.split())
    if lang == "fr":
        assert f"Carnet introuvable : {NOTEBOOKS / 'qualite.ipynb'}. Vouliez-vous dire " \
            "« qualite_donnees.ipynb » ? Carnets dans" in text
        assert ": comparaison_sessions.ipynb, qualite_donnees.ipynb, rapport_evaluation.ipynb. " \
            "Attendu : le chemin d'un fichier .ipynb" in text
    else:
        assert f"Notebook not found: {NOTEBOOKS / 'qualite.ipynb'}. Did you mean " \
            "'qualite_donnees.ipynb'? Notebooks in" in text
        assert "Expected: the path of a .ipynb file" in text
    # a folder that does not exist: no list, the same refusal
    code, _, err = main_cli("run", "2022", "--notebook", str(roots / "nowhere" / "x.ipynb"),
                            "--lang", lang)
    assert code == 2 and "nowhere" in err and ("Carnets dans" not in err) and \
        ("Notebooks in" not in err)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_file_that_is_not_a_notebook_is_refused(roots, main_cli, lang):
    bad = roots / "notes.ipynb"
    bad.write_text("not json at all", encoding="utf-8")
    code, _, err = main_cli("run", "2022", "--notebook", str(bad), "--lang", lang)
    assert code == 2
    _usage_refusal(err, lang)
    assert ("n'a pas pu être lu comme un carnet Jupyter (NotJSONError) ; attendu : un fichier "
            ".ipynb enregistré par Jupyter." if lang == "fr" else
            "could not be read as a Jupyter notebook (NotJSONError); expected: a .ipynb file "
            "saved by Jupyter.") in " ".join(err.split())
    assert "Traceback" not in err


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_notebook_without_parameters_cell_takes_no_p(roots, main_cli, lang, monkeypatch):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    path = roots / "plain.ipynb"
    nbformat.write(nb, str(path))
    code, _, err = main_cli("run", "2022", "--notebook", str(path), "-p", "alpha=0.1",
                            "--lang", lang)
    assert code == 2
    _usage_refusal(err, lang)
    assert ("Paramètre inconnu « alpha » : le carnet plain.ipynb ne déclare aucun paramètre (il "
            "n'a pas de cellule étiquetée « parameters »), il n'accepte donc pas de -p."
            if lang == "fr" else
            "Unknown parameter 'alpha': the notebook plain.ipynb declares no parameter (it has no "
            "cell tagged 'parameters'), so it takes no -p.") in " ".join(err.split())
    # without -p it runs, and nothing is injected that it does not declare
    assert pipeline.run_parameters("2022", lang, {}, {}) == {}
