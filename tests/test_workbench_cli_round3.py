"""The CLI after an independent tester's third pass (issue 15): batch --timeout, French help
(metavars, wrapping), parameter refusals shaped as argparse's errors, pseudonymise naming the
configured raw root."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fac_eval.run import cli, pipeline

REPO = Path(__file__).resolve().parents[1]




# ---------------------------------------------------------------- batch --timeout

@pytest.mark.parametrize("value, fr, en", [
    ("0", "argument --timeout : « 0 » reçu, un nombre supérieur à 0 et au plus 86\u202f400 "
          "secondes attendu (décimales permises : 1,5)",
     "argument --timeout: '0' received, a number above 0 and at most 86,400 seconds expected "
     "(decimals allowed: 1.5)"),
    ("-3", "« -3 » reçu, un nombre supérieur à 0 et au plus 86\u202f400 secondes",
     "'-3' received, a number above 0 and at most 86,400 seconds"),
    ("90000", "« 90000 » reçu", "'90000' received"),
    ("vite", "« vite » reçu", "'vite' received"),
])
def test_batch_timeout_is_checked_as_runs(capsys, monkeypatch, value, fr, en, main_cli):
    """The same option, range and message as run's and quality's, refused before any session."""
    for lang, expected in (("fr", fr), ("en", en)):
        code, out, err = main_cli("batch", "2022", "--timeout", value,
                             "--lang", lang)
        assert code == 2 and expected in err and out == ""
        run_code, _, run_err = main_cli("run", "2022", "--timeout", value,
                                   "--lang", lang)
        # word for word the message of run, only the command's name differs
        assert run_code == 2 and run_err.splitlines()[-2].replace("fac-eval run", "") == \
            err.splitlines()[-2].replace("fac-eval batch", "")


@pytest.mark.parametrize("text, seconds", [("2,5", 2.5), ("30", 30.0), (" .5 ", 0.5)])
def test_batch_timeout_values_and_default(text, seconds):
    p = cli.build_parser("fr")
    assert p.parse_args(["batch", "--timeout", text]).timeout == seconds
    assert p.parse_args(["batch"]).timeout == p.parse_args(["run", "x"]).timeout == 600


def test_batch_timeout_reaches_every_session_and_one_timed_out_fails_alone(capsys, monkeypatch,
                                                                          tmp_path, main_cli):
    """Each session runs with the limit given; the session over it fails with run's message,
    the other one goes on, the summary and the exit code (1) say which."""
    from conftest import make_project

    root = make_project(tmp_path, sessions=("2022", "synth-2024"))
    for var, sub in (("RAW", "data/raw"), ("PROCESSED", "data/processed"),
                     ("REPORTS", "reports")):
        monkeypatch.setenv(f"FAC_EVAL_{var}", str(root / sub))
    seen = []

    def fake_run_session(session, lang="fr", parameters=None, paths=None, timeout=None, **kw):
        seen.append((session, timeout))
        if session == "2022":  # the first cell of 2022 goes over the limit
            pipeline.timeout_options(timeout)  # a valid limit reaches the kernel's options
            raise pipeline.RunError(session, "Une cellule du carnet rapport_evaluation.ipynb a "
                                    "dépassé le délai d'exécution de 0,5 s (option --timeout).",
                                    "timeout")
        html = root / "reports" / session / f"rapport_{session}.html"
        return pipeline.RunResult(session, True, html, 1.0)

    monkeypatch.setattr(pipeline, "run_session", fake_run_session)
    code, out, err = main_cli("batch", "2022", "synth-2024", "--jobs", "1",
                         "--timeout", "0,5", "--quiet")
    assert code == 1
    assert seen == [("2022", 0.5), ("synth-2024", 0.5)]
    line_2022 = next(ln for ln in out.splitlines() if ln.startswith("2022 "))
    line_synth = next(ln for ln in out.splitlines() if ln.startswith("synth-2024 "))
    assert "ÉCHEC" in line_2022 and "délai d'exécution de 0,5 s (option --timeout)" in line_2022
    assert " OK " in line_synth and "rapport_synth-2024.html" in line_synth
    assert "1/2 sessions réussies, 1 en échec" in out
    assert "Traceback" not in out + err


@pytest.mark.slow
def test_a_tiny_batch_timeout_stops_a_real_session(tmp_path):
    """`batch 2022 --timeout 0,05` with a real kernel: the session times out with run's message,
    the batch exits 1 with the failure in its summary, nothing is published."""
    from conftest import make_project

    root = make_project(tmp_path, sessions=("2022",))
    env = dict(os.environ, PYTHONPATH=str(REPO), FAC_EVAL_RAW=str(root / "data" / "raw"),
               FAC_EVAL_PROCESSED=str(root / "data" / "processed"),
               FAC_EVAL_REPORTS=str(root / "reports"))
    env.pop("FAC_EVAL_LANG", None)
    done = subprocess.run([sys.executable, "-m", "fac_eval.run.cli", "batch", "2022", "--jobs",
                           "1", "--timeout", "0,05", "--quiet", "--lang", "en"], env=env,
                          capture_output=True, text=True, timeout=300, cwd=root)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "ran longer than the time limit of 0.05 s (option --timeout)" in done.stdout
    assert re.search(r"^2022\s+FAILED", done.stdout, re.M)
    assert "0/1 session succeeded, 1 failed" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    # the kernel client's own English log line is not shown (the run says it in its language)
    assert "Timeout waiting for execute reply" not in done.stdout + done.stderr
    assert not (root / "reports" / "2022").exists()


# ---------------------------------------------------------------- help

def _help_texts(lang: str, columns: int, monkeypatch) -> dict[str, str]:
    monkeypatch.setenv("COLUMNS", str(columns))
    from fac_eval.run.climessages import argparse_language

    with argparse_language(lang):
        parser = cli.build_parser(lang)
        texts = {"": parser.format_help()}
        texts.update({name: sp.format_help() for name, sp in parser.commands.items()})
    return texts


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("columns", [50, 64, 80, 100, 132])
def test_no_help_line_starts_with_a_punctuation_mark(monkeypatch, lang, columns):
    """French puts a space before ; and : -- argparse's wrapping once started a line with
    « ; aussi FAC_EVAL_LANG ». At every terminal width, in both languages, for every command."""
    for name, text in _help_texts(lang, columns, monkeypatch).items():
        for line in text.splitlines():
            assert not re.match(r"\s*[;:,.!?»]", line), (lang, columns, name, line)
    fr = _help_texts("fr", 80, monkeypatch)["run"]
    # the words of the catalogs are unchanged: plain spaces, the no-break glue removed
    assert "\x00" not in fr and "fr (défaut) ou" in fr and "; aussi FAC_EVAL_LANG" in fr


def test_the_lang_help_keeps_its_semicolon_on_the_line_it_ends(monkeypatch):
    text = _help_texts("fr", 80, monkeypatch)["run"]
    lang_lines = text.split("\n  --lang {fr,en}", 1)[1].splitlines()[:2]
    assert lang_lines[0].rstrip().endswith("ou") and lang_lines[1].strip() == \
        "en ; aussi FAC_EVAL_LANG"


#: metavars that are the same word in French and English
SAME_WORD = {"N", "SESSION", "fr,en", "{fr,en}"}


def test_every_metavar_is_translated(monkeypatch):
    """No English metavar in French help (-p NAME=VALUE was left English)."""
    fr, en = cli.build_parser("fr"), cli.build_parser("en")
    for name in cli.COMMANDS:
        pairs = zip(fr.commands[name]._actions, en.commands[name]._actions)
        for a_fr, a_en in pairs:
            assert a_fr.dest == a_en.dest
            if a_en.metavar is None or a_en.metavar in SAME_WORD:
                continue
            assert a_fr.metavar != a_en.metavar, (name, a_en.dest, a_en.metavar)
    helps = _help_texts("fr", 100, monkeypatch)
    for name in ("run", "batch"):
        assert "-p NOM=VALEUR, --param NOM=VALEUR" in helps[name]
        assert "NAME=VALUE" not in helps[name]
    for name, text in helps.items():
        for english in ("NAME", "VALUE", "SECONDS", "PATH", "FILE", "FOLDER", "ADDRESS", "INPUT",
                        "OUTPUT", "TITLE", "NOTEBOOK", "COMMAND", "YYYY"):
            assert not re.search(rf"\b{english}\b", text), (name, english)
    assert "-p NAME=VALUE, --param NAME=VALUE" in _help_texts("en", 100, monkeypatch)["run"]


# ---------------------------------------------------------------- refusals after parsing

@pytest.mark.parametrize("argv, fr, en", [
    (["run", "2022", "-p", "alpha=abc"],
     "fac-eval run : erreur : Paramètre « alpha » (seuil de signification des tests) : valeur "
     "« abc » refusée",
     "fac-eval run: error: Parameter 'alpha'"),
    (["run", "2022", "-p", "foo=1"],
     "fac-eval run : erreur : Paramètre inconnu « foo »",
     "fac-eval run: error: Unknown parameter 'foo'"),
    (["batch", "2022", "-p", "foo=1", "-p", "alpha=2"],
     "fac-eval batch : erreur : 2 paramètres refusés :\n- Paramètre inconnu « foo »",
     "fac-eval batch: error: 2 parameters refused:\n- Unknown parameter 'foo'"),
    (["batch", "2022", "--report-langs", "fr,de"],
     "fac-eval batch : erreur : argument --report-langs : « de » n'est pas une langue de rapport "
     "(attendu : fr, en ou fr,en).",
     "fac-eval batch: error: argument --report-langs: 'de' is not a report language (expected "
     "fr, en or fr,en)."),
    (["batch", "2022", "--report-langs", ","],
     "argument --report-langs : « , » n'est pas une langue de rapport",
     "argument --report-langs: ',' is not a report language"),
])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_parameter_refusals_look_like_argparse_errors(capsys, monkeypatch, tmp_path, argv, fr,
                                                      en, lang, main_cli):
    """usage line(s), ``prog: error: message``, the help pointer: as argparse's own errors."""
    monkeypatch.setenv("FAC_EVAL_RAW", str(REPO / "data" / "raw"))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / "p"))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(tmp_path / "r"))
    command = argv[0]
    code, out, err = main_cli(*argv, "--lang", lang)
    # what argparse itself prints for an error of the same command (the reference shape)
    ref_code, _, ref = main_cli(command, "--no-such-option", "--lang", lang)
    assert code == ref_code == 2 and out == ""
    assert (fr if lang == "fr" else en) in err
    usage = ref.split("\n" + f"fac-eval {command}")[0]
    assert err.startswith(usage + "\n")  # the same usage line(s), word for word
    last = ref.rstrip().splitlines()[-1]
    assert last == (f"Aide : fac-eval {command} --help" if lang == "fr"
                    else f"Help: fac-eval {command} --help")
    assert err.rstrip().splitlines()[-1] == last
    assert not (tmp_path / "r").exists() and not (tmp_path / "p").exists()


def test_a_handler_called_without_main_still_refuses_in_that_shape(capsys):
    args = argparse.Namespace(command="run", session="2022", param=["alpha=abc"], lang="en",
                              notebook=None, timeout=600.0, pdf=False)
    assert cli.cmd_run(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: fac-eval run ") and "fac-eval run: error: Parameter 'alpha'" \
        in err and err.rstrip().endswith("Help: fac-eval run --help")


# ---------------------------------------------------------------- pseudonymise

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pseudonymise_names_the_configured_raw_root(capsys, monkeypatch, tmp_path, lang, main_cli):
    """An output over a raw file with data is refused, and the refusal says to move it out of
    the configured raw root (FAC_EVAL_RAW), not out of data/raw/."""
    raw = tmp_path / "brut"
    (raw / "s1").mkdir(parents=True)
    target = raw / "s1" / "learners_profile.csv"
    target.write_text("learner_id,age\nA01,23\n", encoding="utf-8")
    src = tmp_path / "export.csv"
    src.write_text("Prénom,Nom,age\nZoé,Martin,23\n", encoding="utf-8")
    monkeypatch.setenv("FAC_EVAL_RAW", str(raw))
    monkeypatch.setenv("FAC_EVAL_KEY", "cle-de-test-0123456789abcdef-ne-pas-utiliser")
    code, out, err = main_cli("pseudonymise", str(src), str(target),
                         "--lang", lang)
    assert code != 0 and out == ""
    text = " ".join(err.split())
    assert (f"déplacez-le vous-même hors de {raw} d'abord" if lang == "fr"
            else f"move it out of {raw} yourself first") in text
    assert "data/raw" not in text
    assert target.read_text(encoding="utf-8") == "learner_id,age\nA01,23\n"
