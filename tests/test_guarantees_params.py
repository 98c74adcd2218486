"""Guarantee 2 (issue 10): parameters cannot undo a guarantee.

One declared schema (:mod:`fac_eval.data.parameters`) is checked identically by ``fac-eval run -p``,
``fac-eval batch -p``, :func:`fac_eval.run.pipeline.run_session` (a Dask worker's path) and the
notebooks' own setup cell (papermill, JupyterLab). Every refusal names the parameter, the value
and the allowed values, in French or English, and nothing is written.
"""

from __future__ import annotations

import math

import nbformat
import pytest
from _guarantees import REPO, make_project, run_cli

from fac_eval.data import parameters as P
from fac_eval.run import pipeline

NOTEBOOKS = {"rapport_evaluation.ipynb": P.SCHEMA, "comparaison_sessions.ipynb": P.COMPARISON_SCHEMA}

ACCEPTED = [
    ("alpha", "0,1", 0.1), ("alpha", "0.2", 0.2), ("alpha", " 0,05 ", 0.05), ("alpha", 0.01, 0.01),
    ("alpha", "0,001", 0.001), ("alpha", "0,0001", 0.0001), ("alpha", "0.000000000001", 1e-12),
    ("confidence", "0,8", 0.8), ("confidence", "0.999", 0.999),
    ("confidence", 0.9, 0.9), ("min_cell", "3", 3), ("min_cell", " 10", 10), ("min_cell", 5.0, 5),
    ("lang", "en", "en"), ("lang", "fr", "fr"), ("session", "synth-2024", "synth-2024"),
]

#: (name, value, a piece of the French allowed range, of the English one)
REFUSED = [
    ("alpha", "2", "supérieur à 0 et au plus égal à 0,2", "greater than 0 and at most 0.2"),
    ("alpha", "-1", "supérieur à 0 et au plus égal à 0,2", "greater than 0 and at most 0.2"),
    ("alpha", "0", "supérieur à 0 et au plus égal à 0,2", "greater than 0 and at most 0.2"),
    # an exponent (round 8: what the report prints is what was typed)
    ("alpha", "1e-300", "supérieur à 0 et au plus égal à 0,2", "greater than 0 and at most 0.2"),
    ("alpha", "1e-3", "supérieur à 0 et au plus égal à 0,2", "greater than 0 and at most 0.2"),
    ("confidence", "9.5e-1", "compris entre 0,8 et 0,999", "between 0.8 and 0.999"),
    ("alpha", "0,2000001", "0,2", "0.2"),
    ("alpha", "nan", "0,2", "0.2"),
    ("alpha", "inf", "0,2", "0.2"),
    ("alpha", "5 %", "un nombre", "a number"),
    ("alpha", "0,1,2", "un nombre", "a number"),
    ("alpha", "", "un nombre", "a number"),
    ("alpha", True, "un nombre", "a number"),
    ("confidence", "0.5", "compris entre 0,8 et 0,999", "between 0.8 and 0.999"),
    ("confidence", "1", "compris entre 0,8 et 0,999", "between 0.8 and 0.999"),
    ("confidence", "95", "compris entre 0,8 et 0,999", "between 0.8 and 0.999"),
    ("confidence", "0,9999", "compris entre 0,8 et 0,999", "between 0.8 and 0.999"),
    ("min_cell", "1", "un entier compris entre 3 et 20", "an integer between 3 and 20"),
    ("min_cell", "2", "un entier compris entre 3 et 20", "an integer between 3 and 20"),
    ("min_cell", "-3", "un entier compris entre 3 et 20", "an integer between 3 and 20"),
    ("min_cell", "21", "un entier compris entre 3 et 20", "an integer between 3 and 20"),
    ("min_cell", "300", "un entier compris entre 3 et 20", "an integer between 3 and 20"),
    ("min_cell", "1e9", "un entier", "an integer"),
    ("min_cell", "3.5", "un entier", "an integer"),
    ("min_cell", "trois", "un entier", "an integer"),
    ("min_cell", 2.5, "un entier", "an integer"),
    ("lang", "de", "fr ou en", "fr or en"),
    ("lang", "français", "fr ou en", "fr or en"),  # "FR" is read as fr, as --lang reads it
    ("session", "../raw/2022", "nom de session", "session name"),
    ("session", "/tmp/x", "nom de session", "session name"),
]


class TestSchema:
    @pytest.mark.parametrize("notebook", sorted(NOTEBOOKS))
    def test_the_notebooks_declare_exactly_the_schema(self, notebook):
        declared = pipeline.notebook_parameters(REPO / "notebooks" / notebook)
        schema = NOTEBOOKS[notebook]
        assert set(declared) == set(schema)
        for name, info in declared.items():
            assert info["inferred_type_name"] == schema[name].type.__name__, name
            assert eval(info["default"]) == schema[name].default, name  # noqa: S307

    @pytest.mark.parametrize("name,value,expected", ACCEPTED)
    def test_accepted(self, name, value, expected):
        got = P.check({name: value})[name]
        assert got == expected and type(got) is type(expected)

    @pytest.mark.parametrize("name,value,fr,en", REFUSED)
    def test_refused_with_name_value_and_range(self, name, value, fr, en):
        with pytest.raises(P.ParameterError) as err:
            P.check({name: value})
        shown = value.strip() if isinstance(value, str) else value
        msg_fr, msg_en = err.value.message("fr"), err.value.message("en")
        assert f"« {name} »" in msg_fr and f"« {shown} »" in msg_fr and fr in msg_fr
        assert f"'{name}'" in msg_en and f"'{shown}'" in msg_en and en in msg_en

    def test_every_problem_is_listed_at_once(self):
        with pytest.raises(P.ParameterError) as err:
            P.check({"alpha": "2", "min_cell": "1", "confidence": "0,5", "colour": "red"})
        msg = err.value.message("fr")
        assert msg.startswith("4 paramètres refusés :")
        for piece in ("« alpha »", "« min_cell »", "« confidence »", "inconnu « colour »"):
            assert piece in msg

    def test_bounds_are_the_documented_ones(self):
        assert P.check({"alpha": 0.2, "confidence": 0.8, "min_cell": 3}) == {
            "alpha": 0.2, "confidence": 0.8, "min_cell": 3}
        assert P.check({"confidence": 0.999})["confidence"] == 0.999
        for bad in (math.nextafter(0.2, 1), 0.0):
            with pytest.raises(P.ParameterError):
                P.check({"alpha": bad})

    def test_cli_consistency_rules(self):
        assert P.check_cli(["alpha=0,1", "session=2022"], "2022") == {"alpha": 0.1, "session": "2022"}
        for items, session, piece in (
                (["session=synth-2024"], "2022", "contredit la session demandée « 2022 »"),
                (["lang=en"], "2022", "contredit --lang fr"),
                (["alpha"], "2022", "-p attend nom=valeur"),
                (["alpha=0.1", "alpha=0.2"], "2022", "donné deux fois"),
        ):
            with pytest.raises(P.ParameterError, match=piece):
                P.check_cli(items, session, "fr")
        with pytest.raises(P.ParameterError, match="with batch, sessions are given as arguments"):
            P.check_cli(["session=2022"], None, "en", batch=True)


class TestRunCommand:
    """``fac-eval run SESSION -p ...``: refused before anything is read or written."""

    CASES = [
        (["-p", "alpha=2"], "fr", ["« alpha »", "« 2 »", "supérieur à 0 et au plus égal à 0,2"]),
        (["-p", "alpha=-1"], "fr", ["« alpha »", "« -1 »", "supérieur à 0 et au plus égal à 0,2"]),
        (["-p", "min_cell=1"], "fr", ["« min_cell »", "« 1 »", "compris entre 3 et 20"]),
        (["-p", "min_cell=2"], "en", ["'min_cell'", "'2'", "between 3 and 20"]),
        (["-p", "min_cell=21"], "fr", ["« min_cell »", "« 21 »", "compris entre 3 et 20"]),
        (["-p", "confidence=0,5"], "en", ["'confidence'", "'0,5'", "between 0.8 and 0.999"]),
        (["-p", "alpha=2", "-p", "min_cell=1"], "fr", ["2 paramètres refusés", "« alpha »",
                                                       "« min_cell »"]),
        (["-p", "session=synth-2024"], "fr", ["« session »", "« synth-2024 »", "contredit"]),
        (["-p", "session=../raw/2022"], "en", ["'session'", "'../raw/2022'", "contradicts"]),
        (["-p", "lang=de"], "en", ["'lang'", "'de'", "fr or en"]),
        (["-p", "lang=en"], "fr", ["« lang »", "contredit --lang fr"]),
        (["-p", "colour=red"], "fr", ["inconnu « colour »", "alpha"]),
        (["-p", "alpha"], "fr", ["-p attend nom=valeur"]),
    ]

    @pytest.mark.parametrize("extra,lang,pieces", CASES)
    def test_refused_and_nothing_changed(self, tmp_path, monkeypatch, capsys, extra, lang, pieces):
        proj = make_project(tmp_path, monkeypatch, sessions=("2022",))
        proj.previous_outputs("2022")
        before = proj.snapshot()
        code, out, err = run_cli(capsys, "run", "2022", "--lang", lang, *extra)
        assert code == 2
        for piece in pieces:
            assert piece in err, (piece, err)
        assert ("Nothing was run" if lang == "en" else "Rien n'a été exécuté") in err
        assert "Traceback" not in out + err
        assert proj.snapshot() == before

    def test_installed_command(self, tmp_path):
        from _guarantees import run_exe

        proj = make_project(tmp_path, sessions=("2022",))
        proj.previous_outputs("2022")
        before = proj.snapshot()
        res = run_exe(proj, "run", "2022", "-p", "alpha=2", "-p", "min_cell=1", "--lang", "en")
        assert res.returncode == 2
        assert "Parameter 'alpha'" in res.stderr and "greater than 0 and at most 0.2" in res.stderr
        assert "Parameter 'min_cell'" in res.stderr and "between 3 and 20" in res.stderr
        assert "Traceback" not in res.stderr
        assert proj.snapshot() == before


class TestBatchCommand:
    @pytest.mark.parametrize("extra,lang,pieces", [
        (["-p", "alpha=2"], "fr", ["« alpha »", "« 2 »", "supérieur à 0 et au plus égal à 0,2"]),
        (["2022", "synth-2024", "-p", "min_cell=2"], "en", ["'min_cell'", "between 3 and 20"]),
        (["2022", "synth-2024", "-p", "min_cell=50"], "en", ["'min_cell'", "between 3 and 20"]),
        (["-p", "confidence=1"], "fr", ["« confidence »", "compris entre 0,8 et 0,999"]),
        (["-p", "session=2022"], "fr", ["« session »", "en arguments"]),
        (["-p", "alpha=0,1", "-p", "lang=xx"], "en", ["'lang'", "'xx'", "fr or en"]),
    ])
    def test_refused_before_any_session_runs(self, tmp_path, monkeypatch, capsys, extra, lang,
                                              pieces):
        proj = make_project(tmp_path, monkeypatch)
        proj.previous_outputs("2022")
        before = proj.snapshot()
        code, out, err = run_cli(capsys, "batch", "--quiet", "--jobs", "1", "--lang", lang, *extra)
        assert code == 2
        for piece in pieces:
            assert piece in err, (piece, err)
        assert "Traceback" not in out + err
        assert proj.snapshot() == before


class TestLibraryAndWorkers:
    def test_run_session_checks_the_same_schema(self, tmp_path, monkeypatch):
        proj = make_project(tmp_path, monkeypatch, sessions=("2022",))
        paths = pipeline.Paths()  # the repository's notebooks, the temporary roots
        for params, piece in (({"alpha": 2}, "alpha"), ({"min_cell": 1}, "min_cell"),
                              ({"confidence": "0,5"}, "confidence"),
                              ({"session": "synth-2024"}, "contredit")):
            with pytest.raises(P.ParameterError, match=piece):
                pipeline.run_session("2022", parameters=params, paths=paths)
        assert not proj.processed.exists() and not proj.reports.exists()

    def test_a_batch_worker_reports_the_refusal(self, tmp_path, monkeypatch):
        from fac_eval.run import batch

        proj = make_project(tmp_path, monkeypatch, sessions=("2022",))
        [outcome] = batch.run_batch(["2022"], parameters={"min_cell": "1"}, jobs=1, progress=False)
        assert not outcome.ok and "min_cell" in outcome.message and "3" in outcome.message
        assert not proj.processed.exists() and not proj.reports.exists()


class TestNotebookChecksItself:
    """Run outside fac-eval (papermill, JupyterLab), the notebook refuses the same values."""

    def test_setup_cell_calls_the_checker(self):
        for name in NOTEBOOKS:
            nb = nbformat.read(str(REPO / "notebooks" / name), as_version=4)
            setup = [c for c in nb.cells if "setup" in c.metadata.get("tags", [])]
            assert len(setup) == 1 and "parameters.check_report_parameters(" in setup[0].source

    def test_the_check_the_notebook_calls(self):
        with pytest.raises(P.ParameterError) as err:
            P.check_report_parameters(session="2022", lang="en", alpha=2.0, min_cell=1,
                                      confidence=0.95)
        msg = str(err.value)  # in the report's language
        assert "Parameter 'alpha'" in msg and "Parameter 'min_cell'" in msg
        assert P.check_report_parameters(session="2022", lang="fr", alpha="0,1", min_cell=3,
                                         confidence=0.9)["alpha"] == 0.1
        with pytest.raises(P.ParameterError, match="comparaison|sessions"):
            P.check_report_parameters(sessions="2022,../x", lang="fr", alpha=0.05,
                                      min_cell=3, confidence=0.95)

    def test_papermill_run_is_refused_in_the_setup_cell(self, tmp_path):
        import papermill
        from papermill.exceptions import PapermillExecutionError

        with pytest.raises(PapermillExecutionError) as err:
            papermill.execute_notebook(
                str(REPO / "notebooks" / "rapport_evaluation.ipynb"), str(tmp_path / "out.ipynb"),
                parameters={"session": "2022", "alpha": 2.0, "min_cell": 1}, kernel_name="python3",
                progress_bar=False, cwd=str(tmp_path))
        assert err.value.ename == "ParameterError"
        assert "« alpha »" in err.value.evalue and "supérieur à 0 et au plus égal à 0,2" in err.value.evalue
        assert "« min_cell »" in err.value.evalue and "compris entre 3 et 20" in err.value.evalue

    def test_jupyterlab_edit_of_the_parameters_cell_is_refused(self, tmp_path):
        """A JupyterLab user edits the parameters cell and runs all: the same refusal."""
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError

        nb = nbformat.read(str(REPO / "notebooks" / "rapport_evaluation.ipynb"), as_version=4)
        params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        params.source = params.source.replace("min_cell: int = 3", "min_cell: int = 1")
        params.source = params.source.replace('lang: str = "fr"', 'lang: str = "en"')
        client = NotebookClient(nb, kernel_name="python3", timeout=120,
                                resources={"metadata": {"path": str(tmp_path)}})
        with pytest.raises(CellExecutionError) as err:
            client.execute()
        assert "Parameter 'min_cell'" in str(err.value) and "between 3 and 20" in str(err.value)


@pytest.mark.parametrize("argv, named", [
    (["batch", "synth-2024", "synth-2024"], "La session synth-2024 est donnée plusieurs fois"),
    (["batch", "2022", "synth-2024", "2022", "synth-2024"],
     "Les sessions 2022, synth-2024 sont données plusieurs fois"),
    (["compare", "2022", "2022", "synth-2024"], "La session 2022 est donnée plusieurs fois"),
])
def test_a_session_given_twice_is_a_usage_error(tmp_path, monkeypatch, capsys, argv, named):
    """batch s1 s1 ran the session twice (attacker's round 8): like compare, a usage error that
    names the session, exit 2, nothing written."""
    from conftest import cli_text

    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / "p"))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(tmp_path / "r"))
    code, text = cli_text(capsys, *argv)
    assert code == 2, text
    assert named in text and "donnez chaque session une seule fois" in text, text
    assert not (tmp_path / "p").exists() and not (tmp_path / "r").exists()
    code, text = cli_text(capsys, *argv, "--lang", "en")
    assert code == 2 and "more than once: give each session once" in text, text


@pytest.mark.parametrize("name, typed, fr, en", [
    ("alpha", "5%", "(0,05 pour 5%)", "(0.05 for 5%)"),
    ("alpha", " 5 % ", "(0,05 pour 5 %)", "(0.05 for 5 %)"),
    ("alpha", "2,5 %", "(0,025 pour 2,5 %)", "(0.025 for 2,5 %)"),
    ("alpha", "0.1%", "(0,001 pour 0.1%)", "(0.001 for 0.1%)"),
    ("confidence", "95%", "(0,95 pour 95%)", "(0.95 for 95%)"),
    ("confidence", "99,9 %", "(0,999 pour 99,9 %)", "(0.999 for 99,9 %)"),
])
def test_a_percentage_is_refused_with_the_proportion_it_stands_for(name, typed, fr, en):
    """A share typed as a percentage (round 23, LOW): refused, and the refusal gives the
    proportion to type instead, computed from the value (never accepted: 5 % and 0.05 are both
    plausible thresholds for one who misreads the other)."""
    with pytest.raises(P.ParameterError) as refused:
        P.check({name: typed}, "fr")
    assert ("écrit comme une proportion, sans le signe pour cent " + fr) in \
        refused.value.message("fr")
    assert ("as a proportion without the percent sign " + en) in refused.value.message("en")
    with pytest.raises(P.ParameterError) as refused:
        P.check({"alpha": "0.5"}, "fr")
    assert "pour cent" not in refused.value.message("fr")
    with pytest.raises(P.ParameterError) as refused:
        P.check({"min_cell": "5%"}, "fr")  # an integer: no proportion to suggest
    assert "pour cent" not in refused.value.message("fr")
