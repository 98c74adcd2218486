"""The workbench as an independent tester used it: a mistyped option, a language typed in capitals,
an unknown FAC_EVAL_LANG, a one-session comparison, a missing or empty session met from the CLI
and from the notebooks run directly, the Dask progress bar, the data-quality notebook's
parameters, words and file names, and the report's tag-based cell removal."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from conftest import REPO

from fac_eval.data import parameters, session_paths
from fac_eval.report import quality_view
from fac_eval.run import batch, cli, climessages

# ---------------------------------------------------------------- a mistyped option


@pytest.mark.parametrize("argv,meant,command", [
    (["run", "2022", "--pfd"], "--pdf", "run"),
    (["run", "--pfd", "2022"], "--pdf", "run"),
    (["batch", "--qiet"], "--quiet", "batch"),
    (["quality", "2022", "--timout=5"], "--timeout", "quality"),
    (["synth", "x", "--learners", "2", "--founders", "1", "--seed", "1", "--folowup"],
     "--followup", "synth"),
    (["pseudonymise", "a.csv", "b.csv", "--key-fille", "k"], "--key-file", "pseudonymise"),
])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_mistyped_option_gets_its_commands_usage_and_a_suggestion(capsys, monkeypatch, argv,
                                                                     meant, command, lang, main_cli):
    code, _, err = main_cli(*argv, *(["--lang", "en"] if lang == "en" else []))
    assert code == 2
    if lang == "fr":
        assert err.startswith(f"utilisation : fac-eval {command} ")
        assert f"fac-eval {command} : erreur : arguments non reconnus : " in err
        assert f"Vouliez-vous dire « {meant} » ?" in err
        assert err.rstrip().endswith(f"Aide : fac-eval {command} --help")
    else:
        assert err.startswith(f"usage: fac-eval {command} ")
        assert f"fac-eval {command}: error: unrecognized arguments: " in err
        assert f"Did you mean '{meant}'?" in err
        assert err.rstrip().endswith(f"Help: fac-eval {command} --help")
    assert "Aide : fac-eval --help" not in err and "Help: fac-eval --help" not in err


@pytest.mark.parametrize("command, option", [("validate", "--zzzzzz"), ("batch", "--notebook"),
                                             ("run", "--jobs")])
def test_an_option_far_from_any_gets_no_suggestion_but_the_commands_help(capsys, monkeypatch,
                                                                        command, option, main_cli):
    """No unrelated option is suggested (batch --timeout once got "--quiet ?", run --jobs got
    "--notebook ?": found by an independent tester)."""
    args = [command, *(["2022"] if command != "batch" else []), option, "5"]
    code, _, err = main_cli(*args)
    assert code == 2 and f"arguments non reconnus : {option}" in err
    assert "Vouliez-vous dire" not in err and f"Aide : fac-eval {command} --help" in err


# ---------------------------------------------------------------- languages


@pytest.mark.parametrize("typed", ["EN", "En", " en", "--lang=EN"])
def test_the_language_is_read_whatever_its_case(capsys, monkeypatch, tmp_path, typed):
    monkeypatch.setenv("FAC_EVAL_RAW", str(tmp_path))
    argv = ["validate", "nope", *(["--lang", typed] if not typed.startswith("--") else [typed])]
    assert climessages.detect_lang(argv, environ={}) == "en"
    monkeypatch.delenv("FAC_EVAL_LANG", raising=False)
    assert cli.main(argv) == 1
    assert "Session 'nope' not found" in capsys.readouterr().err
    assert climessages.detect_lang([], environ={"FAC_EVAL_LANG": " EN "}) == "en"


def test_an_unknown_language_is_still_refused_with_the_allowed_values(capsys, monkeypatch, main_cli):
    code, _, err = main_cli("validate", "2022", "--lang", "DE")
    assert code == 2 and "argument --lang : choix invalide « de » (choisir parmi fr, en)" in err


@pytest.mark.parametrize("value", ["de", "english", "fr_FR"])
def test_an_unknown_fac_eval_lang_is_said_in_both_languages(capsys, monkeypatch, tmp_path, value):
    monkeypatch.setenv("FAC_EVAL_RAW", str(tmp_path))
    monkeypatch.setenv("FAC_EVAL_LANG", value)
    assert cli.main(["validate", "nope"]) == 1
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[0] == (f"Attention : FAC_EVAL_LANG={value} n'est pas une langue connue (valeurs "
                        "permises : fr, en) ; les messages sont en français.")
    assert lines[1] == (f"Warning: FAC_EVAL_LANG={value} is not a known language (allowed values: "
                        "fr, en); messages are in French.")
    assert "Session « nope » introuvable" in err  # and the command goes on in French
    # a valid --lang wins over the variable: nothing to warn about
    assert cli.main(["validate", "nope", "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "FAC_EVAL_LANG" not in err and "Session 'nope' not found" in err
    assert climessages.env_lang_warning([], {"FAC_EVAL_LANG": "EN"}) is None
    assert climessages.env_lang_warning([], {}) is None


# ---------------------------------------------------------------- compare, --jobs, --seed


@pytest.mark.parametrize("argv", [["compare", "2022"], ["compare", "2022", "2022"]])
def test_a_comparison_of_one_session_is_a_usage_error(capsys, monkeypatch, argv, main_cli):
    code, _, err = main_cli(*argv)
    assert code == 2 and err.startswith("utilisation : fac-eval compare")
    assert ("Une comparaison demande au moins deux sessions différentes (reçu : 2022). Pour une "
            "seule session : fac-eval run SESSION.") in err
    code, _, err = main_cli(*argv, "--lang", "en")
    assert code == 2 and "A comparison needs at least two different sessions (got: 2022)" in err
    assert "Help: fac-eval compare --help" in err


@pytest.mark.parametrize("text", ["1_0", "+3", "٣", "3.0", "0x3", "1 0"])
def test_jobs_and_seed_take_plain_digits_only(capsys, monkeypatch, text, main_cli):
    code, _, err = main_cli("batch", "--jobs", text)
    assert code == 2 and f"argument --jobs : « {text} » reçu, un entier de 1 à 64 attendu" in err
    code, _, err = main_cli("synth", "x", "--learners", "2", "--founders", "1",
                       "--seed", text)
    assert code == 2 and f"argument --seed : « {text} » reçu, un entier ≥ 0 attendu" in err


def test_plain_digits_still_pass():
    parse = climessages.bounded_int(1, 64, "fr")
    assert parse("10") == 10 and parse(" 2 ") == 2 and parse("064") == 64


# ---------------------------------------------------------------- a missing or empty session


@pytest.fixture
def raw(tmp_path, monkeypatch):
    root = tmp_path / "raw"
    shutil.copytree(REPO / "data" / "raw" / "synth-2024", root / "synth-2024")
    for name in ("FAC_EVAL_RAW", "FAC_EVAL_PROCESSED", "FAC_EVAL_REPORTS"):
        monkeypatch.setenv(name, str(tmp_path / {"FAC_EVAL_RAW": "raw",
                                                 "FAC_EVAL_PROCESSED": "processed",
                                                 "FAC_EVAL_REPORTS": "reports"}[name]))
    monkeypatch.delenv("FAC_EVAL_LANG", raising=False)
    return root


@pytest.mark.parametrize("command", ["quality", "validate", "clean", "run", "claims"])
@pytest.mark.parametrize("content", [None, "notes.txt"])
def test_an_empty_session_folder_is_not_a_session(raw, capsys, command, content):
    (raw / "vide").mkdir()
    if content:
        (raw / "vide" / content).write_text("à faire", encoding="utf-8")
    assert cli.main([command, "vide"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (f"Session « vide » introuvable : le dossier {raw / 'vide'} est vide (ni "
                           "session.yml ni fichier de données). Sessions connues : synth-2024.")
    assert not (raw.parent / "processed" / "vide").exists()
    assert cli.main([command, "vide", "--lang", "en"]) == 1
    assert (f"Session 'vide' not found: the folder {raw / 'vide'} is empty (no session.yml, no "
            "data file). Known sessions: synth-2024.") in capsys.readouterr().err


def test_the_notebooks_library_calls_raise_the_one_message(raw):
    with pytest.raises(session_paths.SessionNotFoundError) as err:
        quality_view.QualityNotebook("synth-2042", "en")
    assert str(err.value) == (f"Session 'synth-2042' not found: no folder {raw / 'synth-2042'}. "
                              "Did you mean 'synth-2024'? Known sessions: synth-2024.")
    with pytest.raises(session_paths.SessionNotFoundError) as err:
        session_paths.raw_session_dir("nope")
    assert str(err.value).startswith("Session « nope » introuvable : pas de dossier ")
    with pytest.raises(session_paths.SessionNotFoundError):
        session_paths.raw_session_dirs("synth-2024,nope", lang="en")
    assert session_paths.raw_session_dir("synth-2024") == raw / "synth-2024"


def _papermill(notebook: str, tmp_path: Path, raw: Path, *params: str):
    env = dict(os.environ, PYTHONPATH=str(REPO), FAC_EVAL_RAW=str(raw))
    env.pop("FAC_EVAL_LANG", None)
    return subprocess.run([sys.executable, "-m", "papermill", str(REPO / "notebooks" / notebook),
                           str(tmp_path / "out.ipynb"), *params], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.slow
@pytest.mark.parametrize("notebook", ["qualite_donnees.ipynb", "rapport_evaluation.ipynb"])
def test_notebooks_run_directly_on_a_missing_session_fail_with_the_one_message(
        raw, tmp_path, notebook):
    done = _papermill(notebook, tmp_path, raw, "-p", "session", "nope")
    assert done.returncode != 0
    assert (f"SessionNotFoundError: Session « nope » introuvable : pas de dossier {raw / 'nope'}. "
            "Sessions connues : synth-2024.") in done.stderr
    assert "fichier manquant" not in done.stderr and "0 fichier lu" not in done.stderr


def test_batch_with_an_empty_raw_root_names_the_configured_root(tmp_path, monkeypatch, capsys):
    root = tmp_path / "ailleurs" / "brutes"
    root.mkdir(parents=True)
    monkeypatch.setenv("FAC_EVAL_RAW", str(root))
    assert cli.main(["batch"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"Aucune session trouvée dans {root}."
    assert cli.main(["batch", "--lang", "en"]) == 1
    assert capsys.readouterr().err.strip() == f"No session found under {root}."


# ---------------------------------------------------------------- the data-quality notebook


@pytest.mark.parametrize("value", [2, 0, -0.1, 0.51, "x", True, float("nan")])
def test_floor_ceiling_is_checked_by_the_declared_schema(raw, value):
    assert parameters.QUALITY_SCHEMA["floor_ceiling"].default == 0.15
    with pytest.raises(parameters.ParameterError) as err:
        quality_view.QualityNotebook("synth-2024", "en", 0.95, value)
    assert err.value.message("en").startswith(
        "Parameter 'floor_ceiling' (share of answers at the lowest (highest) code flagged as a "
        "floor (ceiling) effect): value ")
    assert err.value.message("en").endswith("expected: a number greater than 0 and at most 0.5.")
    assert "Paramètre « floor_ceiling »" in err.value.message("fr")


def test_floor_ceiling_accepts_a_share_and_lists_every_problem(raw):
    assert quality_view.QualityNotebook("synth-2024", "fr", 0.95, "0,2").floor_ceiling == 0.2
    assert quality_view.QualityNotebook("synth-2024", "fr", 0.95, 0.5).floor_ceiling == 0.5
    with pytest.raises(parameters.ParameterError) as err:
        quality_view.QualityNotebook("synth-2024", "fr", 2.0, 2)
    assert err.value.message("fr").startswith("2 paramètres refusés :")


def _readme_quality_hints() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### Looking at the data before publishing", 1)[1].split("\n## ", 1)[0]
    return [h for h in re.findall(r"`([^`]+)`", section) if "qn." in h]


def test_the_readmes_hint_runs_with_the_notebooks_own_cells(raw):
    """Every `qn.` snippet of the README's data-quality section runs after the notebook's own
    parameters and set-up cells, as written (no import the notebook lacks)."""
    hints = _readme_quality_hints()
    assert "quality.missing_all(qn.tables)" in hints
    nb = nbformat.read(REPO / "notebooks" / "qualite_donnees.ipynb", as_version=4)
    namespace: dict = {}
    for cell in nb.cells[:2]:
        exec(compile(cell.source, "notebook", "exec"), namespace)  # noqa: S102
    for hint in hints:
        value = eval(hint, namespace)  # noqa: S307
        assert isinstance(value, pd.DataFrame) and len(value) > 0, hint


def test_problem_tables_show_empty_cells_empty(raw):
    entry = raw / "synth-2024" / "learners_entry.csv"
    df = pd.read_csv(entry, dtype=str)
    df.drop(columns=["ses_01"]).to_csv(entry, index=False)  # a file-level problem: no row
    qn = quality_view.QualityNotebook("synth-2024", "fr")
    table = qn.problems()
    assert isinstance(table, pd.DataFrame) and len(table) >= 1
    for shown in (table, qn.reliability(), qn.missing(), qn.pairing_problems("learners")):
        if isinstance(shown, pd.DataFrame):
            cells = shown.astype(str).to_numpy().ravel().tolist()
            assert "None" not in cells and "nan" not in cells and "<NA>" not in cells
    assert "" in table.astype(str).to_numpy().ravel().tolist()  # the row of a file-level problem


@pytest.mark.parametrize("months,fr,en", [(3, "Suivi à 3\u00a0mois", "Follow-up after 3 months"),
                                          (6, "Suivi à 6\u00a0mois", "Follow-up after 6 months"),
                                          (1, "Suivi à 1\u00a0mois", "Follow-up after 1 month")])
def test_the_follow_up_is_named_with_the_sessions_real_delay(raw, months, fr, en):
    meta_path = raw / "synth-2024" / "session.yml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta["followup_months"] = months
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    for lang, wanted in (("fr", fr), ("en", en)):
        qn = quality_view.QualityNotebook("synth-2024", lang)
        shown = qn.missing().astype(str).to_numpy().ravel().tolist()
        shown += qn.distribution().astype(str).to_numpy().ravel().tolist()
        assert wanted in shown, (lang, sorted(set(shown))[:20])
        assert not any(re.search(r"\bN (mois|months)\b", s) for s in shown)


# ---------------------------------------------------------------- tags, any case


@pytest.mark.parametrize("tag", ["Evaluator-Only", "REMOVE", " remove ", "Parameters"])
def test_tag_removal_ignores_case_in_the_run_path_and_the_template(tmp_path, tag):
    from fac_eval.run.pipeline import export_html

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('lang = "en"', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_markdown_cell("SECRET-EVALUATOR-NOTE", metadata={"tags": [tag]}),
                nbformat.v4.new_markdown_cell("Shown to every reader")]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    html = export_html(path, "en")  # fac-eval run's export: the fac_report template by name
    assert "Shown to every reader" in html and "SECRET-EVALUATOR-NOTE" not in html
    done = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html",
                           "--template", "fac_report", "--stdout", str(path)],
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(REPO),
                                   JUPYTER_PATH=str(REPO / "fac_eval")))
    if done.returncode == 0:  # the template installed by name (make install)
        assert "Shown to every reader" in done.stdout
        assert "SECRET-EVALUATOR-NOTE" not in done.stdout


# ---------------------------------------------------------------- the Dask progress bar


def test_dask_running_sessions_follow_the_scheduler():
    by_key = {"k1": "a", "k2": "b", "k3": "c"}
    # nothing assigned yet: the first sessions, as many as the cluster's threads
    assert batch.dask_running(by_key, ["k1", "k2", "k3"], {}, 2) == ["a", "b"]
    # the scheduler's tasks, in the order given, at most one per thread
    assert batch.dask_running(by_key, ["k1", "k2", "k3"], {"w1": ["k3"], "w2": ["k2"]}, 2) \
        == ["b", "c"]
    assert batch.dask_running(by_key, ["k1", "k2", "k3"], {"w1": ["k1", "k2"]}, 1) == ["a"]
    # a finished task the scheduler still lists is not running any more
    assert batch.dask_running(by_key, ["k3"], {"w1": ["k2", "k3"]}, 2) == ["c"]


class _Bar:
    def __init__(self, log, t0):
        self.log, self.t0 = log, t0

    def set_postfix_str(self, text):
        self.log.append((time.monotonic() - self.t0, "postfix", text))

    def update(self, n):
        self.log.append((time.monotonic() - self.t0, "update", n))

    def refresh(self):
        pass

    def close(self):
        pass


def test_dask_progress_bar_shows_the_running_session_from_the_first(monkeypatch):
    """On a local Dask cluster (one worker thread), the bar says 'running: a' while the first
    session runs, then 'running: b', not only when a session ends."""
    from distributed import LocalCluster

    log: list = []
    t0 = time.monotonic()
    monkeypatch.setattr(batch, "_progress", lambda total, enabled, *a, **k: _Bar(log, t0))

    def slow(session, *args):
        time.sleep(2.5)
        return batch.SessionOutcome(session, True, 2.5)

    monkeypatch.setattr(batch, "run_one", slow)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster:
        out = batch.run_dask(["a", "b"], cluster.scheduler_address, lang="en")
    assert [o.session for o in out] == ["a", "b"] and all(o.ok for o in out)
    first_update = next(t for t, kind, _ in log if kind == "update")
    before = [text for t, kind, text in log if kind == "postfix" and t < first_update]
    assert before and set(before) == {"running: a"}, log  # from the start, while a runs
    after = [text for t, kind, text in log if kind == "postfix" and t >= first_update]
    assert "running: b" in after, log


# ---------------------------------------------------------------- the command line's words


def test_the_command_lines_words_live_in_the_catalogs():
    """cli.py and cli_parser.py hold no (French, English) pairs: their messages and help texts
    are gettext messages (English ids), extracted by babel.cfg, translated in both catalogs."""
    for name in ("cli.py", "cli_parser.py"):
        src = (REPO / "fac_eval" / "run" / name).read_text(encoding="utf-8")
        assert not re.search(r"""(==|!=) ["']en["'] else|\bif en\b|def h\(""", src), name
    assert "[python: fac_eval/**.py]" in (REPO / "babel.cfg").read_text(encoding="utf-8")  # extracted
    assert len((REPO / "fac_eval" / "run" / "cli.py").read_text(encoding="utf-8").splitlines()) < 600
    from fac_eval.report.i18n import messages

    fr = messages("fr")
    assert fr._("Report written: %(path)s (%(secs)s s)", path="r.html", secs="1,5") == \
        "Rapport écrit : r.html (1,5 s)"
    assert fr._("show the version and exit") == "afficher la version et quitter"
