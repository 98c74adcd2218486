"""The CLI after an independent tester's fourth pass (issue 15): ``run --notebook`` checks the
``-p`` options against the chosen notebook's own parameters; minor CLI items."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from fac_eval.run import cli, pipeline

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"


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


# ---------------------------------------------------------------- batch's progress

class _Stream:
    """A stderr that is (or is not) a terminal, keeping what is written."""

    def __init__(self, tty: bool):
        self.tty, self.parts = tty, []

    def isatty(self):
        return self.tty

    def write(self, text):
        self.parts.append(text)
        return len(text)

    def flush(self):
        pass

    @property
    def text(self):
        return "".join(self.parts)


def _drive(bar, names, lang):
    from fac_eval.run import batch

    bar.set_postfix_str(batch.running_text(names, lang))
    bar.update(1)
    bar.set_postfix_str(batch.running_text(names[1:], lang))
    bar.update(1)
    bar.set_postfix_str("")
    bar.close()


LONG = ["session-au-nom-tres-long-numero-un", "session-au-nom-tres-long-numero-deux",
        "session-au-nom-tres-long-numero-trois", "quatre"]


@pytest.mark.parametrize("lang, lines", [
    ("fr", ["fac-eval batch : sessions terminées : 0/2 ; en cours : "
            "session-au-nom-tres-long-numero-un, session-au-nom-tres-long-numero-deux, "
            "session-au-nom-tres-long-numero-trois (+1)",
            "fac-eval batch : sessions terminées : 1/2 ; en cours : "
            "session-au-nom-tres-long-numero-deux, session-au-nom-tres-long-numero-trois, quatre",
            "fac-eval batch : sessions terminées : 2/2"]),
    ("en", ["fac-eval batch: sessions finished: 0/2; running: "
            "session-au-nom-tres-long-numero-un, session-au-nom-tres-long-numero-deux, "
            "session-au-nom-tres-long-numero-trois (+1)",
            "fac-eval batch: sessions finished: 1/2; running: "
            "session-au-nom-tres-long-numero-deux, session-au-nom-tres-long-numero-trois, quatre",
            "fac-eval batch: sessions finished: 2/2"]),
])
def test_the_progress_into_a_file_or_pipe_is_plain_lines(monkeypatch, lang, lines):
    """Not a terminal, no COLUMNS (a log, CI, ``2> file``): one line per change, no carriage
    return, nothing cut, and no line showing a finished session as running (a session's end is
    written with what runs next; tester's F4)."""
    from fac_eval.run import batch

    monkeypatch.delenv("COLUMNS", raising=False)
    stream = _Stream(tty=False)
    bar = batch._progress(2, True, lang, stream)
    _drive(bar, LONG, lang)
    assert "\r" not in stream.text and "\x1b" not in stream.text
    assert stream.text.splitlines() == lines


@pytest.mark.parametrize("columns, width", [(None, 80), ("50", 50), ("132", 132)])
def test_the_bar_on_a_terminal_of_unknown_width_stays_on_one_line(monkeypatch, columns, width):
    """A terminal that does not say its width (no COLUMNS, no ioctl answer): 80 columns; each
    redraw of the bar fits, so a long "running" list never wraps onto a line it cannot erase."""
    import shutil

    from fac_eval.run import batch

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    real = shutil.get_terminal_size
    monkeypatch.setattr(shutil, "get_terminal_size",
                        lambda fallback=(80, 24): real(fallback) if columns else
                        __import__("os").terminal_size(fallback))
    stream = _Stream(tty=True)
    bar = batch._progress(2, True, "en", stream)
    _drive(bar, LONG, "en")
    frames = [f for f in stream.text.replace("\n", "\r").split("\r") if f.strip()]
    assert frames and all(len(f) <= width for f in frames)
    assert any("2/2" in f for f in frames)


def test_no_progress_with_quiet():
    from fac_eval.run import batch

    stream = _Stream(tty=False)
    bar = batch._progress(2, False, "fr", stream)
    _drive(bar, ["a"], "fr")
    assert stream.text == ""


# ---------------------------------------------------------------- commands, names

@pytest.mark.parametrize("typed, meant", [("RUN", "run"), ("Validate", "validate"),
                                          ("QUALITE", "quality"), ("Qualty", "quality"), ("ZZZZ", None),
                                          ("NEW-SESION", "new-session")])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_command_typed_in_another_case_gets_its_suggestion(main_cli, typed, meant, lang):
    code, _, err = main_cli(typed, "2022", "--lang", lang)
    assert code == 2
    hint = (f"Vouliez-vous dire « {meant} » ?" if lang == "fr" else f"Did you mean '{meant}'?")
    if meant:
        assert hint in err
    else:
        assert ("Vouliez-vous dire" if lang == "fr" else "Did you mean") not in err


@pytest.mark.parametrize("argv, fr, en", [
    (["validate", "../2022"], "Nom de session invalide « ../2022 »",
     "Invalid session name '../2022'"),
    (["run", "a b"], "Nom de session invalide « a b »", "Invalid session name 'a b'"),
    (["quality", "/tmp"], "Nom de session invalide « /tmp »", "Invalid session name '/tmp'"),
    (["compare", "2022", "synth-2024", "--name", "x/y"], "Nom de comparaison invalide « x/y »",
     "Invalid comparison name 'x/y'"),
    (["compare", "2022", "../synth-2024"], "Nom de session invalide « ../synth-2024 »",
     "Invalid session name '../synth-2024'"),
    (["synth", "x/y", "--learners", "3", "--founders", "1", "--seed", "1"],
     "Nom de session invalide « x/y »", "Invalid session name 'x/y'"),
])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_invalid_name_is_a_usage_error_with_the_usage_line(roots, main_cli, argv, fr, en,
                                                               lang):
    code, out, err = main_cli(*argv, "--lang", lang)
    command = argv[0]
    assert code == 2 and out == ""
    assert err.startswith(("usage: fac-eval " if lang == "en" else "utilisation : fac-eval ")
                          + command)
    assert (f"fac-eval {command}: error: {en}" if lang == "en" else
            f"fac-eval {command} : erreur : {fr}") in err
    assert err.rstrip().splitlines()[-1] == (f"Help: fac-eval {command} --help" if lang == "en"
                                             else f"Aide : fac-eval {command} --help")


# ---------------------------------------------------------------- --timeout, --jobs

HINT = {"fr": ". Écrivez-le avec les chiffres 0 à 9 seulement (par exemple {ex}) : sans signe, "
              "exposant (1e3), espace (1 000), inf ni nan",
        "en": ". Write it with the digits 0 to 9 only (e.g. {ex}): no sign, exponent (1e3), "
              "space (1 000), inf or nan"}


@pytest.mark.parametrize("value, hinted", [
    ("1e3", True), ("1E3", True), ("1 000", True), ("1\u202f000", True), ("inf", True),
    ("nan", True), ("Infinity", True), ("-1", True), ("+30", True), ("\uff19\uff10", True),
    ("0", False), ("0,0", False), ("90000", False), ("1.2.3", True), ("", False)])
@pytest.mark.parametrize("command", ["run", "quality", "batch"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_timeout_takes_a_plain_positive_number_of_seconds_only(value, hinted, command, lang):
    """Refused by the parser (nothing runs), the value and the range named, and when the text
    is not plain digits, how to write it."""
    from fac_eval.run.climessages import argparse_language

    argv = [command] + (["2022"] if command != "batch" else []) + ["--timeout", value]
    stream = _Stream(tty=False)
    with argparse_language(lang), pytest.raises(SystemExit) as done, \
            pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stderr", stream)
        cli.build_parser(lang).parse_args(argv)
    assert done.value.code == 2
    text = " ".join(stream.text.split())
    range_ = ("un nombre supérieur à 0 et au plus 86 400 secondes attendu (décimales permises : "
              "1,5)" if lang == "fr" else "a number above 0 and at most 86,400 seconds expected "
              "(decimals allowed: 1.5)")
    assert range_ in text.replace("\u202f", " ")
    hint = " ".join(HINT[lang].format(ex="90 ou 1,5" if lang == "fr" else "90 or 1.5").split())
    assert (hint in text) == hinted


@pytest.mark.parametrize("value, seconds", [("90", 90.0), (" 1,5 ", 1.5), ("1.5", 1.5),
                                            (".5", 0.5), ("86400", 86400.0), ("2.", 2.0)])
def test_plain_numbers_of_seconds_are_taken(value, seconds):
    p = cli.build_parser("fr")
    assert p.parse_args(["quality", "2022", "--timeout", value]).timeout == seconds
    assert p.parse_args(["batch", "--timeout", value]).timeout == seconds


@pytest.mark.parametrize("value, hinted", [("1e3", True), ("1 000", True), ("inf", True),
                                           ("nan", True), ("0", False), ("-1", True),
                                           ("2.0", False), ("65", False), ("+2", True)])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_jobs_takes_a_plain_integer_only(value, hinted, lang):
    from fac_eval.run.climessages import argparse_language

    stream = _Stream(tty=False)
    with argparse_language(lang), pytest.raises(SystemExit) as done, \
            pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stderr", stream)
        cli.build_parser(lang).parse_args(["batch", "--jobs", value])
    assert done.value.code == 2
    text = " ".join(stream.text.split())
    assert ("un entier de 1 à 64 attendu" if lang == "fr" else
            "an integer from 1 to 64 expected") in text
    assert (" ".join(HINT[lang].format(ex="2").split()) in text) == hinted
    assert cli.build_parser(lang).parse_args(["batch", "--jobs", " 3 "]).jobs == 3


# ---------------------------------------------------------------- French help

@pytest.mark.parametrize("argv", [[], ["run"], ["batch"], ["synth"], ["quality"]])
def test_french_help_puts_a_space_before_the_headings_colon(argv, capsys, main_cli):
    code, fr, _ = main_cli(*argv, "--help")
    assert code == 0
    headings = [line for line in fr.splitlines() if line and not line.startswith(" ")
                and line.endswith(":")]
    assert headings and all(h.endswith(" :") and not h.endswith("  :") for h in headings)
    assert "options :" in headings
    assert ("commandes :" in headings) == (argv == [])
    assert ("arguments positionnels :" in headings) == (argv != [])
    code, en, _ = main_cli(*argv, "--help", "--lang", "en")
    headings = [line for line in en.splitlines() if line and not line.startswith(" ")
                and line.endswith(":")]
    assert "options:" in headings and all(not h.endswith(" :") for h in headings)
    assert ("positional arguments:" in headings) == (argv != [])


def test_the_formatter_takes_its_language():
    from fac_eval.run.climessages import FacHelpFormatter

    for lang, want in (("fr", "titre :"), ("en", "titre:")):
        f = FacHelpFormatter("prog", lang=lang)
        f.start_section("titre")
        f.add_text("x")
        f.end_section()
        assert want in f.format_help()


# ---------------------------------------------------------------- synth --followup

def test_synth_followup_help_says_the_same_in_both_languages(main_cli):
    from fac_eval.data import synth
    from fac_eval.run import cli_parser

    assert cli_parser.SYNTH_FOLLOWUP_MONTHS == synth.FOLLOWUP_MONTHS
    texts = {}
    for lang in ("fr", "en"):
        _, out, _ = main_cli("synth", "--help", "--lang", lang)
        block = out.split("--followup  ", 1)[1].split("\n  --", 1)[0]
        texts[lang] = " ".join(block.split())
    assert texts["fr"] == ("écrire aussi le questionnaire de suivi (followup.csv), rempli 3 mois "
                           "après la fin de la session")
    assert texts["en"] == ("also write the follow-up questionnaire (followup.csv), answered 3 "
                           "months after the end of the session")


# ---------------------------------------------------------------- new-session's session.yml

@pytest.mark.parametrize("lang, header, placeholder", [
    ("fr", ["# Métadonnées de la session : complétez le nom, les dates, le programme et le "
            "territoire.",
            "# start_date et end_date : remplacez AAAA-MM-JJ par le premier et le dernier jour "
            "de la session (par exemple 2026-03-02) ; d'ici là, fac-eval validate refuse la "
            "session.",
            "# data_kind : real (réponses pseudonymisées), reconstructed (reconstituées) ou "
            "synthetic (synthétiques).",
            "# Les sessions réelles sont ignorées par git (voir .gitignore) : ne les versionnez "
            "jamais."], "AAAA-MM-JJ"),
    ("en", ["# Session metadata: complete the name, the dates, the programme and the territory.",
            "# start_date and end_date: replace YYYY-MM-DD by the first and the last day of the "
            "session (e.g. 2026-03-02); until then fac-eval validate refuses the session.",
            "# data_kind: real (pseudonymised answers), reconstructed or synthetic.",
            "# Real sessions are ignored by git (see .gitignore): never commit them."],
     "YYYY-MM-DD"),
])
def test_new_session_yml_speaks_the_runs_language_and_its_dates_are_refused_until_filled(
        tmp_path, monkeypatch, main_cli, lang, header, placeholder):
    monkeypatch.setenv("FAC_EVAL_RAW", str(tmp_path / "raw"))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / "p"))
    code, _, _ = main_cli("new-session", "neuve", "--lang", lang)
    assert code == 0
    yml = tmp_path / "raw" / "neuve" / "session.yml"
    text = yml.read_text(encoding="utf-8")
    assert text.splitlines()[:4] == header
    assert f"start_date: {placeholder}\nend_date: {placeholder}\n" in text
    code, _, err = main_cli("validate", "neuve", "--lang", lang)
    assert code == 1
    lines = [ln for ln in err.splitlines() if ln.startswith("session.yml")]
    if lang == "fr":
        assert lines == [
            "session.yml, ligne 6, clé « start_date » : valeur d'attente non remplacée, "
            "valeur « AAAA-MM-JJ » — attendu : le premier jour de la session au format "
            "AAAA-MM-JJ (par exemple 2026-03-02), à la place de la valeur d'attente écrite par "
            "fac-eval new-session",
            "session.yml, ligne 7, clé « end_date » : valeur d'attente non remplacée, "
            "valeur « AAAA-MM-JJ » — attendu : le dernier jour de la session au format "
            "AAAA-MM-JJ (par exemple 2026-06-26), à la place de la valeur d'attente écrite par "
            "fac-eval new-session"]
    else:
        assert lines == [
            'session.yml, line 6, key "start_date": placeholder not filled in, value '
            '"YYYY-MM-DD" — expected: the session\'s first day as YYYY-MM-DD (e.g. 2026-03-02) '
            "in place of the placeholder of fac-eval new-session",
            'session.yml, line 7, key "end_date": placeholder not filled in, value '
            '"YYYY-MM-DD" — expected: the session\'s last day as YYYY-MM-DD (e.g. 2026-06-26) '
            "in place of the placeholder of fac-eval new-session"]
    # filled in: the dates pass (only one left as it was is still refused)
    from fac_eval.data import io

    yml.write_text(text.replace(f"start_date: {placeholder}", "start_date: 2026-03-02"),
                   encoding="utf-8")
    _, problems = io.check_session_meta(yml.parent)
    assert [(p.column, p.kind) for p in problems] == [("end_date", "placeholder")]
    yml.write_text(text.replace(f"start_date: {placeholder}", "start_date: 2026-03-02")
                   .replace(f"end_date: {placeholder}", "end_date: 02/07/2026"), encoding="utf-8")
    meta, problems = io.check_session_meta(yml.parent)
    assert problems == [] and str(meta["end_date"]) == "2026-07-02"


@pytest.mark.parametrize("value", ["AAAA-MM-JJ", "yyyy-mm-dd", " JJ/MM/AAAA ", "DD/MM/YYYY"])
def test_every_spelling_of_the_placeholder_is_refused(tmp_path, value):
    from fac_eval.data import io

    (tmp_path / "session.yml").write_text(
        "name: x\nstart_date: 2026-01-05\nend_date: '" + value + "'\nfollowup_months: 3\n"
        "programme: p\nterritory: t\ndata_kind: synthetic\n", encoding="utf-8")
    _, problems = io.check_session_meta(tmp_path)
    assert [(p.column, p.kind, p.row) for p in problems] == [("end_date", "placeholder", 3)]
