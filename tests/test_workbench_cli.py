"""The CLI speaks the user's language: argparse's own messages, suggestions, help, checks."""

from __future__ import annotations

import argparse

import pytest

from fac_eval import batch, cli
from fac_eval.climessages import detect_lang, session_not_found


def run(capsys, *argv, env=None, monkeypatch=None):
    if monkeypatch is not None:
        monkeypatch.delenv("FAC_EVAL_LANG", raising=False)
        for k, v in (env or {}).items():
            monkeypatch.setenv(k, v)
    with pytest.raises(SystemExit) as exc:
        cli.main(list(argv))
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


@pytest.mark.parametrize("argv,env,lang", [
    (["vaildate", "2022"], {}, "fr"),
    (["--lang", "en", "vaildate", "2022"], {}, "en"),
    (["vaildate", "2022", "--lang", "en"], {}, "en"),
    (["vaildate", "2022", "--lang=en"], {}, "en"),
    (["vaildate", "2022"], {"FAC_EVAL_LANG": "en"}, "en"),
    (["--lang", "fr", "vaildate"], {"FAC_EVAL_LANG": "en"}, "fr"),
])
def test_unknown_command_suggests_the_closest(capsys, monkeypatch, argv, env, lang):
    code, _, err = run(capsys, *argv, env=env, monkeypatch=monkeypatch)
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
def test_suggestions_for_other_typos(capsys, monkeypatch, typo, meant):
    _, _, err = run(capsys, typo, monkeypatch=monkeypatch)
    assert f"Vouliez-vous dire « {meant} » ?" in err


def test_no_suggestion_when_nothing_is_close(capsys, monkeypatch):
    _, _, err = run(capsys, "zzzzzz", monkeypatch=monkeypatch)
    assert "Vouliez-vous dire" not in err
    assert "Commandes : validate, clean" in err


def test_missing_argument_in_both_languages(capsys, monkeypatch):
    code, _, err = run(capsys, "run", monkeypatch=monkeypatch)
    assert code == 2 and "fac-eval run : erreur : arguments obligatoires manquants : session" in err
    code, _, err = run(capsys, "run", "--lang", "en", monkeypatch=monkeypatch)
    assert code == 2 and "fac-eval run: error: the following arguments are required: session" in err
    _, _, err = run(capsys, monkeypatch=monkeypatch)
    assert "arguments obligatoires manquants : COMMANDE" in err
    _, _, err = run(capsys, "synth", "x", "--learners", "3", monkeypatch=monkeypatch)
    assert "arguments obligatoires manquants : --founders, --seed" in err


def test_invalid_choice_and_unrecognised_arguments(capsys, monkeypatch):
    _, _, err = run(capsys, "validate", "2022", "--lang", "de", monkeypatch=monkeypatch)
    assert "argument --lang : choix invalide « de » (choisir parmi fr, en)" in err
    _, _, err = run(capsys, "validate", "2022", "--bogus", monkeypatch=monkeypatch)
    assert "arguments non reconnus : --bogus" in err
    _, _, err = run(capsys, "validate", "2022", "--bogus", "--lang", "en", monkeypatch=monkeypatch)
    assert "unrecognized arguments: --bogus" in err


@pytest.mark.parametrize("argv,fr,en", [
    (["batch", "--jobs", "0"], "argument --jobs : « 0 » reçu, un entier de 1 à 64 attendu",
     "argument --jobs: '0' received, an integer from 1 to 64 expected"),
    (["batch", "--jobs", "1000"], "« 1000 » reçu, un entier de 1 à 64 attendu",
     "'1000' received, an integer from 1 to 64 expected"),
    (["batch", "--jobs", "deux"], "« deux » reçu", "'deux' received"),
    (["run", "2022", "--timeout", "0"], "argument --timeout : « 0 » reçu, un entier de 1 à 86400",
     "argument --timeout: '0' received, an integer from 1 to 86400"),
    (["run", "2022", "--timeout", "-5"], "« -5 » reçu", "'-5' received"),
    (["quality", "2022", "--timeout", "1.5"], "« 1.5 » reçu", "'1.5' received"),
])
def test_jobs_and_timeout_are_checked(capsys, monkeypatch, argv, fr, en):
    code, _, err = run(capsys, *argv, monkeypatch=monkeypatch)
    assert code == 2 and fr in err
    code, _, err = run(capsys, *argv, "--lang", "en", monkeypatch=monkeypatch)
    assert code == 2 and en in err


def test_valid_jobs_and_timeout_pass():
    p = cli.build_parser("fr")
    assert p.parse_args(["batch", "--jobs", "64"]).jobs == 64
    assert p.parse_args(["run", "x", "--timeout", "30"]).timeout == 30


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


def test_help_is_in_french_by_default(capsys, monkeypatch):
    code, out, _ = run(capsys, "batch", "--help", monkeypatch=monkeypatch)
    assert code == 0
    assert "utilisation : fac-eval batch" in out and "afficher cette aide et quitter" in out
    assert "processus en parallèle" in out and "Exemple :" in out
    code, out, _ = run(capsys, "--lang", "en", "batch", "--help", monkeypatch=monkeypatch)
    assert "usage: fac-eval batch" in out and "show this help message and exit" in out
    assert "parallel workers" in out and "Example:" in out


def test_argparse_words_are_restored_after_main(capsys, monkeypatch):
    run(capsys, "vaildate", monkeypatch=monkeypatch)
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
    monkeypatch.setattr(batch, "_progress", lambda total, enabled: FakeBar(log))
    monkeypatch.setattr(batch, "run_one", lambda s, *a: (log.append(("run", s)),
                                                        batch.SessionOutcome(s, True, 0.0))[1])
    out = batch.run_local(["a", "b"], lang="en", jobs=1)
    assert [o.session for o in out] == ["a", "b"]
    assert log[:3] == [("postfix", "running: a"), ("run", "a"), ("update", 1)]
    assert log[3] == ("postfix", "running: b")
    assert batch.running_text(["a", "b", "c", "d", "e"], "fr") == "en cours : a, b, c (+2)"
