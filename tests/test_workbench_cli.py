"""The CLI speaks the user's language: argparse's own messages, suggestions, help, checks."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from fac_eval.core import provenance
from fac_eval.run import batch, cli, compare_run
from fac_eval.run.climessages import detect_lang, session_not_found


@pytest.mark.parametrize("argv,env,lang", [
    (["vaildate", "2022"], {}, "fr"),
    (["--lang", "en", "vaildate", "2022"], {}, "en"),
    (["vaildate", "2022", "--lang", "en"], {}, "en"),
    (["vaildate", "2022", "--lang=en"], {}, "en"),
    (["vaildate", "2022"], {"FAC_EVAL_LANG": "en"}, "en"),
    (["--lang", "fr", "vaildate"], {"FAC_EVAL_LANG": "en"}, "fr"),
])
def test_unknown_command_suggests_the_closest(capsys, monkeypatch, argv, env, lang, main_cli):
    code, _, err = main_cli(*argv, env=env)
    assert code == 2
    if lang == "fr":
        assert err.startswith("utilisation : fac-eval")
        assert "fac-eval : erreur : argument COMMANDE : commande inconnue « vaildate »." in err
        assert "Vouliez-vous dire « validate » ?" in err and "Aide : fac-eval --help" in err
        assert "usage:" not in err and "error:" not in err
    else:
        assert err.startswith("usage: fac-eval")
        assert "fac-eval: error: argument COMMAND: unknown command 'vaildate'." in err
        assert "Did you mean 'validate'?" in err and "Help: fac-eval --help" in err


@pytest.mark.parametrize("typo,meant", [("comapre", "compare"), ("pseudonymize", "pseudonymise"),
                                        ("qualite", "quality"), ("bacth", "batch")])
def test_suggestions_for_other_typos(capsys, monkeypatch, typo, meant, main_cli):
    _, _, err = main_cli(typo)
    assert f"Vouliez-vous dire « {meant} » ?" in err


def test_no_suggestion_when_nothing_is_close(capsys, monkeypatch, main_cli):
    _, _, err = main_cli("zzzzzz")
    assert "Vouliez-vous dire" not in err
    assert "Commandes : validate, clean" in err


def test_missing_argument_in_both_languages(capsys, monkeypatch, main_cli):
    code, _, err = main_cli("run")
    assert code == 2 and "fac-eval run : erreur : arguments obligatoires manquants : session" in err
    code, _, err = main_cli("run", "--lang", "en")
    assert code == 2 and "fac-eval run: error: the following arguments are required: session" in err
    _, _, err = main_cli()
    assert "arguments obligatoires manquants : COMMANDE" in err
    _, _, err = main_cli("synth", "x", "--learners", "3")
    assert "arguments obligatoires manquants : --founders, --seed" in err


def test_invalid_choice_and_unrecognised_arguments(capsys, monkeypatch, main_cli):
    _, _, err = main_cli("validate", "2022", "--lang", "de")
    assert "argument --lang : choix invalide « de » (choisir parmi fr, en)" in err
    _, _, err = main_cli("validate", "2022", "--bogus")
    assert "arguments non reconnus : --bogus" in err
    _, _, err = main_cli("validate", "2022", "--bogus", "--lang", "en")
    assert "unrecognized arguments: --bogus" in err


@pytest.mark.parametrize("argv,fr,en", [
    (["batch", "--jobs", "0"], "argument --jobs : « 0 » reçu, un entier de 1 à 64 attendu",
     "argument --jobs: '0' received, an integer from 1 to 64 expected"),
    (["batch", "--jobs", "1000"], "« 1000 » reçu, un entier de 1 à 64 attendu",
     "'1000' received, an integer from 1 to 64 expected"),
    (["batch", "--jobs", "deux"], "« deux » reçu", "'deux' received"),
    (["run", "2022", "--timeout", "0"],
     "argument --timeout : « 0 » reçu, un nombre supérieur à 0 et au plus 86\u202f400 secondes "
     "attendu (décimales permises : 1,5)",
     "argument --timeout: '0' received, a number above 0 and at most 86,400 seconds expected "
     "(decimals allowed: 1.5)"),
    (["run", "2022", "--timeout", "-5"], "« -5 » reçu", "'-5' received"),
    (["run", "2022", "--timeout", "0,0"], "« 0,0 » reçu", "'0,0' received"),
    (["quality", "2022", "--timeout", "-0.5"], "« -0.5 » reçu", "'-0.5' received"),
    (["quality", "2022", "--timeout", "1,5,2"], "« 1,5,2 » reçu", "'1,5,2' received"),
    (["run", "2022", "--timeout", "nan"], "« nan » reçu", "'nan' received"),
    (["run", "2022", "--timeout", "inf"], "« inf » reçu", "'inf' received"),
    (["run", "2022", "--timeout", "86400.5"], "« 86400.5 » reçu", "'86400.5' received"),
    (["run", "2022", "--timeout", "dix"], "« dix » reçu", "'dix' received"),
])
def test_jobs_and_timeout_are_checked(capsys, monkeypatch, argv, fr, en, main_cli):
    code, _, err = main_cli(*argv)
    assert code == 2 and fr in err
    code, _, err = main_cli(*argv, "--lang", "en")
    assert code == 2 and en in err


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("text,seconds", [("30", 30.0), ("1.5", 1.5), ("1,5", 1.5), (" 0,25 ", 0.25),
                                          ("86400", 86400.0), (".5", 0.5)])
def test_valid_jobs_and_timeout_pass(lang, text, seconds):
    """--timeout is a plain positive number: decimals with a point or a French comma, no
    exponent (2e1 is refused: tests/test_workbench_cli_round4.py)."""
    p = cli.build_parser(lang)
    assert p.parse_args(["batch", "--jobs", "64"]).jobs == 64
    assert p.parse_args(["run", "x", "--timeout", text]).timeout == seconds
    assert p.parse_args(["quality", "x", "--timeout", text]).timeout == seconds
    assert p.parse_args(["run", "x"]).timeout == 600


def test_a_decimal_timeout_reaches_the_kernel_exactly():
    """nbclient's own timeout takes whole seconds: the exact limit goes through timeout_func."""
    import pickle

    from fac_eval.run import pipeline

    opts = pipeline.timeout_options(1.5)
    assert opts["execution_timeout"] == 2 and opts["timeout_func"](None) == 1.5
    assert pickle.loads(pickle.dumps(opts["timeout_func"]))(None) == 1.5  # to pool workers
    assert pipeline.timeout_options(None) == {}
    for bad in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            pipeline.timeout_options(bad)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_argument_has_help_and_every_command_an_example(lang):
    parser = cli.build_parser(lang)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == set(cli.COMMANDS)
    for name, sp in sub.choices.items():
        assert f"fac-eval {name}" in sp.epilog, name
        assert sp.epilog.startswith("Exemple" if lang == "fr" else "Example")
        for action in sp._actions:
            assert action.help and action.help != argparse.SUPPRESS, (name, action.dest)
    helps = [a.help for a in sub._choices_actions]
    assert len(helps) == len(sub.choices) and all(helps)


def test_help_is_in_french_by_default(capsys, monkeypatch, main_cli):
    code, out, _ = main_cli("batch", "--help")
    assert code == 0
    assert "utilisation : fac-eval batch" in out and "afficher cette aide et quitter" in out
    assert "processus en parallèle" in out and "Exemple :" in out
    code, out, _ = main_cli("--lang", "en", "batch", "--help")
    assert "usage: fac-eval batch" in out and "show this help message and exit" in out
    assert "parallel workers" in out and "Example:" in out


def test_argparse_words_are_restored_after_main(capsys, monkeypatch, main_cli):
    main_cli("vaildate")
    assert argparse._("usage: ") == "usage: "


def test_detect_lang():
    assert detect_lang([], {}) == "fr"
    assert detect_lang(["run", "x", "--lang", "en"], {}) == "en"
    assert detect_lang(["--lang=en", "run"], {"FAC_EVAL_LANG": "fr"}) == "en"
    assert detect_lang(["run"], {"FAC_EVAL_LANG": "EN"}) == "en"
    assert detect_lang(["run", "--lang", "de"], {}) == "fr"  # refused later by argparse
    assert detect_lang(["run", "--", "--lang", "en"], {}) == "fr"


def test_one_session_not_found_message():
    fr = session_not_found("synth-2042", ["2022", "synth-2024"], "/data/raw", "fr")
    assert fr == ("Session « synth-2042 » introuvable : pas de dossier /data/raw/synth-2042. "
                  "Vouliez-vous dire « synth-2024 » ? Sessions connues : 2022, synth-2024.")
    en = session_not_found("zz", [], None, "en")
    assert en == "Session 'zz' not found. Known sessions: none."


def test_commands_use_that_message_in_the_chosen_language(tmp_path, capsys, monkeypatch):
    (tmp_path / "2022").mkdir()
    (tmp_path / "2022" / "session.yml").write_text("name: x\n")
    monkeypatch.setenv("FAC_EVAL_RAW", str(tmp_path))
    monkeypatch.delenv("FAC_EVAL_LANG", raising=False)
    for cmd in ("validate", "run", "quality"):
        assert cli.main(["--lang", "en", cmd, "2O22"]) == 1
        err = capsys.readouterr().err
        assert "Session '2O22' not found" in err and "Did you mean '2022'?" in err, cmd
        assert cli.main([cmd, "2O22"]) == 1
        assert "Sessions connues : 2022." in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_batch_and_compare_say_the_same_message_and_run_nothing(tmp_path, capsys, monkeypatch,
                                                                 lang):
    """One "session not found" message for every command, in the chosen language; a batch or a
    comparison with a mistyped session runs nothing."""
    for name in ("2022", "synth-2024"):
        (tmp_path / "raw" / name).mkdir(parents=True)
        (tmp_path / "raw" / name / "session.yml").write_text("name: x\n")
    monkeypatch.setenv("FAC_EVAL_RAW", str(tmp_path / "raw"))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / "processed"))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(tmp_path / "reports"))
    monkeypatch.delenv("FAC_EVAL_LANG", raising=False)
    ran = []
    monkeypatch.setattr(batch, "run_batch", lambda *a, **k: ran.append(a) or [])
    expected = session_not_found("2O22", ["2022", "synth-2024"], tmp_path / "raw", lang)
    for argv in (["run", "2O22"], ["batch", "2O22"], ["batch", "2022", "2O22"],
                 ["compare", "2022", "2O22"], ["validate", "2O22"], ["quality", "2O22"]):
        assert cli.main([*argv, "--lang", lang]) == 1, argv
        err = capsys.readouterr().err
        assert err.splitlines()[0] == expected, argv
    assert ran == []
    assert not (tmp_path / "reports").exists() and not (tmp_path / "processed").exists()
    # several mistyped sessions: one sentence, a suggestion for each
    assert cli.main(["compare", "2O22", "synht-2024", "--lang", lang]) == 1
    err = capsys.readouterr().err.strip()
    if lang == "en":
        assert err == (f"Sessions '2O22', 'synht-2024' not found: no such folders in "
                       f"{tmp_path / 'raw'}. Did you mean '2022' for '2O22', 'synth-2024' for "
                       "'synht-2024'? Known sessions: 2022, synth-2024.")
    else:
        assert err == (f"Sessions « 2O22 », « synht-2024 » introuvables : pas de tels dossiers "
                       f"dans {tmp_path / 'raw'}. Vouliez-vous dire « 2022 » pour « 2O22 », "
                       "« synth-2024 » pour « synht-2024 » ? Sessions connues : 2022, synth-2024.")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_library_says_the_same_message(tmp_path, monkeypatch, lang):
    """run_session and run_comparison (notebooks, Dask workers) raise the same words."""
    from fac_eval.run import pipeline

    (tmp_path / "raw" / "2022").mkdir(parents=True)
    (tmp_path / "raw" / "2022" / "session.yml").write_text("name: x\n")
    for var, sub in (("RAW", "raw"), ("PROCESSED", "p"), ("REPORTS", "r")):
        monkeypatch.setenv(f"FAC_EVAL_{var}", str(tmp_path / sub))
    paths = pipeline.Paths()
    with pytest.raises(pipeline.RunError) as err:
        pipeline.run_session("2O22", lang=lang, paths=paths)
    assert str(err.value) == session_not_found("2O22", ["2022"], tmp_path / "raw", lang)
    with pytest.raises(pipeline.RunError) as err:
        compare_run.run_comparison(["2022", "2O22"], lang=lang, paths=paths)
    assert str(err.value) == session_not_found("2O22", ["2022"], tmp_path / "raw", lang)


@pytest.mark.parametrize("state,fr,en", [
    (("0123456789ab", False), "fac-eval {v}, commit 0123456789ab",
     "fac-eval {v}, commit 0123456789ab"),
    (("0123456789ab", True),
     "fac-eval {v}, commit 0123456789ab (modifications non validées dans git)",
     "fac-eval {v}, commit 0123456789ab (uncommitted changes)"),
    ((None, False), "fac-eval {v}, commit inconnu", "fac-eval {v}, commit unknown"),
])
def test_provenance_code_version_in_the_report_language(monkeypatch, state, fr, en):
    from fac_eval import __version__
    from fac_eval.report.base import BaseReport

    monkeypatch.setattr(provenance, "git_state", lambda root=None: state)
    assert BaseReport(None, lang="fr").code_version() == fr.format(v=__version__)
    assert BaseReport(None, lang="en").code_version() == en.format(v=__version__)


def test_git_state_of_a_repository(tmp_path):
    import subprocess


    assert provenance.git_state(tmp_path) == (None, False)  # not a repository
    git = ["git", "-C", str(tmp_path), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    (tmp_path / "f.txt").write_text("a")
    subprocess.run([*git, "add", "f.txt"], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    head = subprocess.run([*git, "rev-parse", "--short=12", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    assert provenance.git_state(tmp_path) == (head, False)
    (tmp_path / "f.txt").write_text("b")
    assert provenance.git_state(tmp_path) == (head, True)


class FakeBar:
    def __init__(self, log):
        self.log = log

    def set_postfix_str(self, s):
        self.log.append(("postfix", s))

    def update(self, n):
        self.log.append(("update", n))

    def refresh(self):
        pass

    def close(self):
        self.log.append(("close",))


def test_progress_bar_shows_the_running_session_from_the_first(monkeypatch):
    log = []
    monkeypatch.setattr(batch, "_progress", lambda total, enabled, *a, **k: FakeBar(log))
    monkeypatch.setattr(batch, "run_one", lambda s, *a: (log.append(("run", s)),
                                                        batch.SessionOutcome(s, True, 0.0))[1])
    out = batch.run_local(["a", "b"], lang="en", jobs=1)
    assert [o.session for o in out] == ["a", "b"]
    assert log[:3] == [("postfix", "running: a"), ("run", "a"), ("update", 1)]
    assert log[3] == ("postfix", "running: b")
    assert batch.running_text(["a", "b", "c", "d", "e"], "fr") == "en cours : a, b, c (+2)"


@pytest.mark.slow
def test_a_decimal_timeout_stops_a_real_run(tmp_path):
    """`run --timeout 0,05`: the kernel stops the first long cell after 0.05 s, not 1 s, and the
    message gives the limit in the chosen language; nothing is published."""
    import os
    import subprocess
    import sys

    from conftest import REPO, make_project

    root = make_project(tmp_path, sessions=("2022",))
    env = dict(os.environ, PYTHONPATH=str(REPO), FAC_EVAL_RAW=str(root / "data" / "raw"),
               FAC_EVAL_PROCESSED=str(root / "data" / "processed"),
               FAC_EVAL_REPORTS=str(root / "reports"))
    env.pop("FAC_EVAL_LANG", None)
    done = subprocess.run([sys.executable, "-m", "fac_eval.run.cli", "run", "2022", "--timeout",
                           "0,05"], env=env, capture_output=True, text=True, timeout=300,
                          cwd=root)
    assert done.returncode == 1
    assert "a dépassé le délai d'exécution de 0,05 s (option --timeout)" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (root / "reports" / "2022").exists()


def test_quality_passes_a_decimal_timeout_to_papermill(tmp_path, monkeypatch):
    import papermill

    from fac_eval.run import pipeline, workbench

    seen = {}

    def execute(inp, out, **kw):
        seen.update(kw)
        Path(out).write_text("{}")

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    for var, sub in (("RAW", "raw"), ("PROCESSED", "p"), ("REPORTS", "r")):
        monkeypatch.setenv(f"FAC_EVAL_{var}", str(tmp_path / sub))
    out = workbench.run_quality("synth-2024", pipeline.Paths(), lang="en", timeout=2.5)
    # the English copy has its own name, like the English report (the French one is kept)
    assert out == tmp_path / "p" / "synth-2024" / "quality_synth-2024_en.ipynb" and out.is_file()
    assert seen["execution_timeout"] == 3 and seen["timeout_func"](None) == 2.5
    assert seen["parameters"] == {"session": "synth-2024", "lang": "en"}
