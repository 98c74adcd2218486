"""session.yml's optional programme sections (objectives, context, activities, budget, ...):
validation messages in the questionnaires' format, and the 2022 content taken from the
publication only."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from fac_eval.data import programme

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_b96b6ab22750092d.txt"
META_2022 = ROOT / "data" / "raw" / "2022" / "session.yml"


def parse(text: str):
    return programme.parse_programme(yaml.safe_load(text), text)


def test_2022_programme_parses_with_five_aims_and_no_budget():
    prog, problems = parse(META_2022.read_text(encoding="utf-8"))
    assert problems == []
    assert [o.kind for o in prog.objectives] == ["objective"] * 3 + ["bridge"] * 2
    assert prog.budget is None  # the publication gives no cost: nothing invented
    assert prog.data_collection is None
    assert prog.activities.founders_accompanied == 4
    assert prog.activities.training_hours is None
    assert any("réseau professionnel" in p.fr for p in prog.perspectives)
    assert "3 mois" in prog.followup_plan.fr
    assert "plein emploi" in prog.context.territory.fr


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return [w for w in re.findall(r"[a-z]+", text) if len(w) > 3]


def test_2022_programme_texts_come_from_the_publication():
    """Each French text reuses the publication's words (at least 75 % of its words of more than
    three letters), and every number it holds is a number of the publication."""
    seed = SEED.read_text(encoding="utf-8")
    seed_words = set(_words(seed))
    seed_numbers = set(re.findall(r"\d+", seed))
    prog, _ = parse(META_2022.read_text(encoding="utf-8"))
    texts = [o.text for o in prog.objectives] + list(prog.perspectives) + [prog.followup_plan]
    texts += [t for t in (prog.context.territory, prog.context.public, prog.context.partners,
                          prog.activities.missions)]
    for t in texts:
        words = _words(t.fr)
        share = sum(w in seed_words for w in words) / len(words)
        assert share >= 0.75, (share, t.fr)
        assert set(re.findall(r"\d+", t.fr)) <= seed_numbers, t.fr
        assert t.en  # an English version is given for the English report


def test_2022_quoted_texts_are_the_publication_s_own_words():
    """The conclusions and the follow-up plan are quoted between « » in the report as the
    publication's own text: each is a verbatim passage of it, not a rewording (reader's
    round 8 for #12: « Le projet avait été imaginé… » stood for « Nous avions imaginé… »)."""
    def squash(text: str) -> str:
        return re.sub(r"\s+", " ", text.replace("’", "'")).strip()

    seed = squash(SEED.read_text(encoding="utf-8"))
    prog, _ = parse(META_2022.read_text(encoding="utf-8"))
    quoted = list(prog.perspectives) + [prog.followup_plan]
    assert len(quoted) == 4
    for t in quoted:
        assert squash(t.fr) in seed, t.fr


def test_plain_string_is_the_french_text_and_english_falls_back():
    prog, problems = parse("perspectives: Un seul paragraphe.\nfollowup_plan: Dans 3 mois.\n")
    assert problems == []
    assert prog.perspectives[0].get("en") == "Un seul paragraphe."
    assert prog.perspectives[0].lang_of("en") == "fr"
    assert prog.followup_plan.get("fr") == "Dans 3 mois."


@pytest.mark.parametrize("typed, expected", [
    ("85000", Decimal("85000")), ("85 000", Decimal("85000")), ("'85 000,50 €'", Decimal("85000.50")),
    ("85000.5", Decimal("85000.5")),
])
def test_budget_amounts_as_a_french_user_types_them(typed, expected):
    prog, problems = parse(f"budget:\n  total: {typed}\n")
    assert problems == []
    assert prog.budget.total == expected


BAD = [
    # (yaml, line, key path, value shown, words of the French expectation, words of the English one)
    ("budget:\n  total: -5\n", 2, "budget.total", "-5", "> 0", "> 0"),
    ("budget:\n  total: 0\n", 2, "budget.total", "0", "> 0", "> 0"),
    ("budget:\n  total: beaucoup\n", 2, "budget.total", "beaucoup", "montant en euros", "amount in euros"),
    ("budget:\n  total: true\n", 2, "budget.total", "true", "montant en euros", "amount in euros"),
    ("context:\n  territory: 12\n", 2, "context.territory", "12", "un texte", "a text"),
    ("followup_plan: 3\n", 1, "followup_plan", "3", "versions française et anglaise",
     "French and English versions"),
    ("activities:\n  training_hours: beaucoup\n", 2, "activities.training_hours", "beaucoup",
     "un nombre d'heures", "a number of hours"),
    ("budget:\n  total: yes\n", 2, "budget.total", "yes", "montant en euros", "amount in euros"),
    ("budget:\n  total: 10.555\n", 2, "budget.total", "10.555", "centime", "cent"),
    ("budget:\n  total: 100\n  funders:\n    - name: Région\n      amount: 70\n"
     "    - name: Ville\n      amount: 40\n", 3, "budget.funders", "110", "coût total", "total cost"),
    ("budget:\n  total: 100\n  funders:\n    - amount: 70\n", 4, "budget.funders[1].name", None,
     "une valeur", "a value"),
    ("activities:\n  training_hours: 12.555\n", 2, "activities.training_hours", "12.555",
     "au plus 2 décimales", "at most 2 decimals"),
    ("activities:\n  collective_sessions: 12.5\n", 2, "activities.collective_sessions", "12.5",
     "entier", "whole"),
    ("activities:\n  training_hours: -1\n", 2, "activities.training_hours", "-1", "≥ 0", "≥ 0"),
    ("activities:\n  hours: 10\n", 2, "activities.hours", None, "clé connue dans « activities » :",
     'key known in "activities": training_hours, collective_sessions'),
    ("objectives:\n  - text: Un objectif\n    indicators: []\n", 3, "objectives[1].indicators", None,
     "au moins un", "at least one"),
    ("objectives:\n  - text: Un objectif\n    indicators: [self esteem]\n", 3,
     "objectives[1].indicators[1]", "self esteem", "identifiant d'indicateur", "indicator id"),
    ("objectives:\n  - text: ''\n    indicators: [learners.confidence.improved]\n", 2,
     "objectives[1].text", "", "non vide", "non-empty"),
    ("objectives:\n  - text: Un objectif\n    indicators: [learners.confidence.improved]\n"
     "    kind: main\n", 4, "objectives[1].kind", "main", "« objective », « bridge »",
     '"objective", "bridge"'),
    ("context: Le territoire\n", 1, "context", "Le territoire", "section", "section"),
    ("context:\n  territory:\n    en: Only English\n", 2, "context.territory.fr", None,
     "une valeur", "a value"),
    ("perspectives:\n  - fr: " + "x" * 3001 + "\n", 2, "perspectives[1].fr", "x" * 3001,
     "3000 caractères", "3000 characters"),
    ("primary_outcomes: [Self-Esteem]\n", 1, "primary_outcomes[1]", "Self-Esteem", "nom de résultat",
     "outcome name"),
]


@pytest.mark.parametrize("text, line, key, value, fr, en", BAD)
def test_bad_programme_fields_are_located_and_explained(text, line, key, value, fr, en):
    prog, problems = parse(text)
    assert prog is None
    assert len(problems) == 1, [p.message() for p in problems]
    p = problems[0]
    assert (p.file, p.row, p.column) == ("session.yml", line, key)
    assert p.value == value
    msg_fr, msg_en = p.message("fr"), p.message("en")
    assert fr in msg_fr and f"ligne {line}" in msg_fr and f"clé « {key} »" in msg_fr
    assert en in msg_en and f"line {line}" in msg_en and f'key "{key}"' in msg_en


def test_every_problem_is_listed_at_once():
    text = ("budget:\n  total: -1\nactivities:\n  training_hours: x\n  founders_accompanied: -2\n"
            "objectives:\n  - text: a\n    indicators: [bad id]\n")
    _, problems = parse(text)
    assert [p.column for p in problems] == ["objectives[1].indicators[1]",
                                            "activities.training_hours",
                                            "activities.founders_accompanied", "budget.total"]


def test_objectives_naming_unknown_indicators():
    """An objective naming an id that no session computes is refused when session.yml is read
    (as `fac-eval validate` reads it), with the key, the value and a close spelling; against
    one session's computed ids (`run`), the same problem."""
    text = ("objectives:\n  - text: a\n    indicators: [learners.confidence.improved, "
            "learners.confidence.improve]\n")
    prog, problems = parse(text)
    assert prog is None
    assert [(p.row, p.column, p.value) for p in problems] == [
        (3, "objectives[1].indicators[2]", "learners.confidence.improve")]
    assert "« learners.confidence.improved »" in problems[0].expected
    assert '"learners.confidence.improved"' in problems[0].expected_en
    prog, _ = parse("objectives:\n  - text: a\n    indicators: [learners.confidence.improved]\n")
    known = {"learners.confidence.improved", "founders.time_saved"}
    assert programme.indicator_problems(prog, known, text) == []
    assert programme.indicator_problems(prog, {"founders.time_saved"}, text)[0].value == (
        "learners.confidence.improved")


@pytest.mark.parametrize("typo, close", [
    ("learners.confidence.improve", ["learners.confidence.improved"]),
    ("learners.completd", ["learners.completed"]),
    ("learners.digital_skils.improved", ["learners.digital_skills.improved"]),
    ("learners.self_esteem.improvd", ["learners.self_esteem.improved"]),
    ("lerners.completed", ["learners.completed"]),  # the family misspelt too
    # ids are lower-case: a capitalised or upper-case id means the lower-case one
    ("Learners.Completed", ["learners.completed"]),
    ("LEARNERS.SELF_ESTEEM.IMPROVED", ["learners.self_esteem.improved"]),
    ("Founders.Revenue_Up", ["founders.revenue_up"]),
    (" followup.Sortie_Dynamique ", ["followup.sortie_dynamique"]),
    ("LERNERS.COMPLETD", ["learners.completed"]),
    ("founders.revenue", ["founders.revenue_up"]),
    ("followup.sortie_dynamiqe", ["followup.sortie_dynamique"]),
    # another family's id is not a close spelling of this family's
    ("learners.time_saved", []),
    ("learners.business_created", []),
    ("founders.self_esteem.improved", []),
    # unrelated ids: nothing is suggested
    ("learners.employmnet", []),
    ("learners.xyz", []),
    ("foo.bar", []),
    ("budget.total", []),
])
def test_suggestions_are_close_spellings_of_the_same_family(typo, close):
    from fac_eval.data.claims_file import KNOWN_INDICATORS, close_indicators

    assert typo not in KNOWN_INDICATORS
    found = close_indicators(typo)
    assert found[:len(close)] == close
    assert all(f.split(".")[0] == (close[0] if close else typo).split(".")[0] for f in found)
    if not close:
        assert found == []


def test_unknown_indicators_are_listed_with_the_other_problems():
    """An unknown indicator is reported beside the file's other problems, all at once, in the
    same format as every other problem."""
    from fac_eval.data.validation import format_problems

    text = ("objectives:\n  - text: a\n    indicators: [learners.completd, foo.bar]\n"
            "budget:\n  total: -1\n")
    prog, problems = parse(text)
    assert prog is None
    assert {(p.row, p.column, p.value) for p in problems} == {
        (3, "objectives[1].indicators[1]", "learners.completd"),
        (3, "objectives[1].indicators[2]", "foo.bar"), (5, "budget.total", "-1")}
    fr = format_problems(problems)
    assert ("session.yml, ligne 3, clé « objectives[1].indicators[1] » : valeur non "
            "reconnue, valeur « learners.completd » — attendu : un identifiant d'indicateur du "
            "tableau des indicateurs (vouliez-vous dire « learners.completed » ?)") in fr.replace(
                "\u202f", " ").replace("\u00a0", " ")
    assert "foo.bar » — attendu : un identifiant d'indicateur du tableau des indicateurs (ex." in (
        fr.replace("\u202f", " ").replace("\u00a0", " "))
    assert "vouliez-vous dire" not in fr.split("foo.bar")[1].split("\n")[0]
    en = format_problems(problems, lang="en")
    assert 'did you mean "learners.completed"?' in en


def test_validate_refuses_an_unknown_indicator_like_run(tmp_path):
    """`fac-eval validate` exits 1 on an objective's unknown indicator, naming the file, the
    line, the key, the value, what was expected and the close spelling; `run` refuses the
    session with the same lines."""
    import os
    import subprocess
    import sys

    from conftest import make_project

    project = make_project(tmp_path / "p", sessions=("synth-2024",))
    meta = project / "data" / "raw" / "synth-2024" / "session.yml"
    text = meta.read_text(encoding="utf-8")
    text = text.replace("  - learners.self_esteem.improved\n", "  - learners.self_esteem.improvd\n")
    text = text.replace("  - founders.time_saved\n", "  - learners.time_saved\n")
    meta.write_text(text, encoding="utf-8")
    env = dict(os.environ, FAC_EVAL_RAW=str(project / "data" / "raw"),
               FAC_EVAL_PROCESSED=str(project / "data" / "processed"),
               FAC_EVAL_REPORTS=str(project / "reports"),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "fac_eval.run.cli", *args], env=env,
                              cwd=ROOT, capture_output=True, text=True, timeout=600)

    done = cli("validate", "synth-2024")
    assert done.returncode == 1, done.stdout + done.stderr
    out = (done.stdout + done.stderr).replace("\u202f", " ").replace("\u00a0", " ")
    assert "Traceback" not in out
    lines = [line for line in out.splitlines() if "objectives[" in line]
    assert len(lines) == 2, out
    # the lines of the file as written (counted, not hard-coded)
    where = {v: text.splitlines().index(f"  - {v}") + 1
             for v in ("learners.self_esteem.improvd", "learners.time_saved")}
    assert (f"session.yml, ligne {where['learners.self_esteem.improvd']}, clé "
            "« objectives[1].indicators[2] »") in lines[0]
    assert "« learners.self_esteem.improvd »" in lines[0]
    assert "vouliez-vous dire « learners.self_esteem.improved » ?" in lines[0]
    assert (f"session.yml, ligne {where['learners.time_saved']}, clé "
            "« objectives[3].indicators[2] »") in lines[1]
    assert "« learners.time_saved »" in lines[1] and "founders." not in lines[1]
    ran = cli("run", "synth-2024")
    assert ran.returncode != 0
    ran_out = (ran.stdout + ran.stderr).replace("\u202f", " ").replace("\u00a0", " ")
    assert "Traceback" not in ran_out
    assert [line for line in ran_out.splitlines() if "objectives[" in line] == lines


@pytest.mark.parametrize("session", ["2022", "synth-2024"])
def test_shipped_objectives_name_indicators_the_session_computes(session):
    from fac_eval.analysis import results as analysis

    text = (ROOT / "data" / "raw" / session / "session.yml").read_text(encoding="utf-8")
    prog, problems = parse(text)
    assert problems == []
    known = set(analysis.compute_session(ROOT / "data" / "raw" / session).indicators["indicator"])
    assert programme.indicator_problems(prog, known, text) == []


def test_synthetic_sessions_carry_a_budget_that_scales_and_adds_up():
    from fac_eval.data import synth

    small, large = synth.synthetic_programme(8, 4), synth.synthetic_programme(20, 6)
    for block in (small, large):
        prog, problems = programme.parse_programme(block)
        assert problems == []
        assert sum(f.amount for f in prog.budget.funders) == prog.budget.total
    assert small["budget"]["total"] == 6_000 * 8 + 2_500 * 4
    assert large["activities"]["individual_sessions"] == 60


def test_cli_reports_programme_problems_with_their_line(tmp_path, monkeypatch):
    """Through the command line: `validate` lists a bad budget with its line; `clean` refuses an
    objective that names an indicator the session does not compute."""
    import shutil
    import subprocess
    import sys

    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw" / "synth-2024", raw / "s")
    env = {**__import__("os").environ, "FAC_EVAL_RAW": str(raw),
           "FAC_EVAL_PROCESSED": str(tmp_path / "processed"),
           "FAC_EVAL_REPORTS": str(tmp_path / "reports")}
    meta = raw / "s" / "session.yml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace("total: 96500", "total: -96500"), encoding="utf-8")
    cli = [sys.executable, "-m", "fac_eval.run.cli"]
    out = subprocess.run([*cli, "validate", "s"], capture_output=True, text=True, env=env)
    assert out.returncode == 1
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if "total: 96500" in t)
    assert f"session.yml, ligne {line}, clé « budget.total »" in out.stderr
    assert "Traceback" not in out.stderr
    meta.write_text(text.replace("learners.soft_skills.improved", "learners.soft_skill.improved"),
                    encoding="utf-8")
    out = subprocess.run([*cli, "clean", "s", "--lang", "en"], capture_output=True, text=True,
                         env=env)
    assert out.returncode == 1
    assert '"learners.soft_skill.improved"' in out.stderr and "indicator id" in out.stderr
    assert not (tmp_path / "processed" / "s").exists()


# ---- amounts written ambiguously are refused as written (#13 F4) -----------------------------

AMBIGUOUS = ["85.000", "'85,000'", "'85.000 €'", "1.234.567", "'85,123'", "12.345",
             "'96.500.00'", "'96,500,00'", "'1.234,567'", "'96.500,000'"]
NOT_AMOUNTS = ["8.5e+4", "'8.5E4'", "0x14C08", "0o777", "'８５０００'", "'85 00'", "'1234 567'",
               "1234.567", "'85.'", "'.50'", "'12.34,56'", "'1.2345,00'"]


@pytest.mark.parametrize("typed", AMBIGUOUS + NOT_AMOUNTS)
@pytest.mark.parametrize("where", ["total", "funder"])
def test_an_amount_written_ambiguously_or_not_in_plain_digits_is_refused(typed, where):
    """YAML reads ``85.000`` as 85.0 and a French comma makes ``85,000`` 85: either would publish
    a cost a thousand times too small. Refused with file, line, key, the value as written and
    the expected writing; nothing else is said on the same key."""
    if where == "total":
        text, line, key = f"budget:\n  total: {typed}\n", 2, "budget.total"
    else:
        text = (f"budget:\n  total: 900000\n  funders:\n    - name: Région\n      amount: 10\n"
                f"    - name: Ville\n      amount: {typed}\n")
        line, key = 7, "budget.funders[2].amount"
    prog, problems = parse(text)
    assert prog is None
    mine = [p for p in problems if p.column == key]
    assert len(mine) == 1, [p.message() for p in problems]
    fr, en = mine[0].message("fr"), mine[0].message("en")
    shown = typed.strip("'")
    if any(c.isdigit() and not c.isascii() for c in shown):  # other digits: as code points
        shown = "".join(f"<U+{ord(c):04X}>" for c in shown)
    assert mine[0].row == line and f"« {shown} »" in fr and f'"{shown}"' in en
    assert "85 000,50" in fr and "85 000,50" in en
    if typed in AMBIGUOUS:
        assert "séparer les milliers" in fr and "separate thousands" in en
    else:
        assert "en chiffres" in fr and "plain digits" in en


@pytest.mark.parametrize("typed, expected", [
    ("85000", Decimal("85000")), ("'85 000'", Decimal("85000")), ("'85\u202f000 €'", Decimal("85000")),
    ("'1 234 567,89'", Decimal("1234567.89")), ("85_000", Decimal("85000")),
    ("'EUR 85000'", Decimal("85000")), ("'85 000.5'", Decimal("85000.5")), ("85000.05", Decimal("85000.05")),
    # thousands by one mark, cents after the other: the usual writing of accounts (G7)
    ("'96.500,00 €'", Decimal("96500.00")), ("96.500,00", Decimal("96500.00")),
    ("'1.234.567,89'", Decimal("1234567.89")), ("'96,500.00'", Decimal("96500.00")),
    ("'€ 1,234,567.5'", Decimal("1234567.5")),
])
def test_amounts_written_without_ambiguity_are_read_as_written(typed, expected):
    prog, problems = parse(f"budget:\n  total: {typed}\n")
    assert problems == [], [p.message() for p in problems]
    assert prog.budget.total == expected


def test_validate_refuses_an_ambiguous_budget_through_the_cli(tmp_path, main_cli):
    """As a user runs it: exit 1, the message names session.yml, the line, the key, the value;
    nothing is written."""
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw" / "synth-2024", raw / "s")
    meta = (raw / "s" / "session.yml").read_text(encoding="utf-8")
    total = re.search(r"^  total: (.+)$", meta, flags=re.M)
    assert total, meta
    (raw / "s" / "session.yml").write_text(meta.replace(total.group(0), "  total: 96.500"),
                                           encoding="utf-8")
    env = {"FAC_EVAL_RAW": str(raw), "FAC_EVAL_PROCESSED": str(tmp_path / "p"),
           "FAC_EVAL_REPORTS": str(tmp_path / "r")}
    code, out, err = main_cli("validate", "s", env=env)
    assert code == 1
    assert "session.yml" in err and "budget.total" in err and "« 96.500 »" in err
    assert "séparer les milliers" in err
    assert not (tmp_path / "p").exists() and not (tmp_path / "r").exists()


# ---- numbers are read in decimal, as written (att14 F2 for #13) ------------------------------

def strict(text: str):
    """parse_programme on the mapping the session reader builds (safe_yaml's loader)."""
    from fac_eval.data import safe_yaml

    meta, problem = safe_yaml.load_text(text, "session.yml")
    assert problem is None
    return programme.parse_programme(meta, text)


@pytest.mark.parametrize("typed, expected", [
    ("0250000", Decimal("250000")), ("040000", Decimal("40000")), ("01000", Decimal("1000")),
    ("057900", Decimal("57900")), ("00085000", Decimal("85000")), ("0777", Decimal("777")),
])
def test_a_leading_zero_is_never_an_octal_amount(typed, expected):
    """YAML 1.1 reads 0250000 as the octal 86016: read here as the 250,000 euros written."""
    prog, problems = strict(f"budget:\n  total: 900000\n  funders:\n    - name: R\n"
                            f"      amount: {typed}\n")
    assert problems == [], [p.message() for p in problems]
    assert prog.budget.funders[0].amount == expected


@pytest.mark.parametrize("typed, expected", [("0420", 420), ("'1 200'", 1200), ("12", 12)])
def test_counts_are_read_in_decimal(typed, expected):
    prog, problems = strict(f"activities:\n  training_hours: {typed}\n")
    assert problems == [], [p.message() for p in problems]
    assert prog.activities.training_hours == expected


@pytest.mark.parametrize("typed", ["0x18", "0b11", "0o17", "420_0", "1_000", "'١٢'", "1e3"])
@pytest.mark.parametrize("key", ["training_hours", "collective_sessions"])
def test_a_count_in_hexadecimal_binary_or_with_underscores_is_refused(typed, key):
    prog, problems = strict(f"activities:\n  {key}: {typed}\n")
    assert prog is None and len(problems) == 1
    p = problems[0]
    assert p.row == 2 and p.column == f"activities.{key}" and p.value == typed.strip("'")


@pytest.mark.parametrize("typed", [".inf", "-.inf", ".nan", "'inf'", "'NaN'"])
def test_an_infinite_amount_is_refused_as_not_an_amount(typed):
    prog, problems = strict(f"budget:\n  total: {typed}\n")
    assert prog is None and len(problems) == 1
    assert "en chiffres" in problems[0].message("fr") and "plain digits" in problems[0].message("en")



@pytest.mark.parametrize("typed, close", [
    ("Learners.Confidence.Improved", "learners.confidence.improved"),
    ("LEARNERS.SELF_ESTEEM.IMPROVED", "learners.self_esteem.improved"),
    ("Learners.Completd", "learners.completed")])
def test_a_capitalised_indicator_id_gets_its_suggestion(typed, close):
    """The id's pattern (lower-case) refused "Learners.Confidence.Improved" with only an example;
    the expectation now names the id meant, in both languages (att14 for #13)."""
    text = f"objectives:\n  - text: a\n    indicators: [{typed}]\n"
    prog, problems = parse(text)
    assert prog is None
    assert [(p.row, p.column, p.value) for p in problems] == [
        (3, "objectives[1].indicators[1]", typed)]
    assert f"(vouliez-vous dire « {close} » ?)" in problems[0].expected.replace("\u00a0", " ")
    assert f'(did you mean "{close}"?)' in problems[0].expected_en


def test_a_capitalised_indicator_of_a_claim_gets_its_suggestion(tmp_path):
    from fac_eval.data.claims_file import claims_problems

    path = tmp_path / "claims.yml"
    path.write_text("claims:\n  - id: c1\n    text: tous\n    indicator: Learners.Completed\n"
                    "    all: true\n", encoding="utf-8")
    problems = claims_problems(path)
    hit = [p for p in problems if p.column == "indicator"]
    assert len(hit) == 1 and hit[0].value == "Learners.Completed"
    assert 'did you mean "learners.completed"?' in hit[0].expected_en


def test_2022_claims_quote_the_publication_verbatim():
    """The concordance shows each claim's text as the publication's statement: every passage
    between ellipses is the publication's own, its slips kept and marked [sic] (reader's round
    9 for #12: « chiffre d'affaires » stood for the published « chiffres d'affaires »)."""
    import yaml

    def squash(text: str) -> str:
        return re.sub(r"\s+", " ", text.replace("’", "'")).strip()

    seed = squash(SEED.read_text(encoding="utf-8"))
    claims = yaml.safe_load((META_2022.parent / "claims.yml").read_text(encoding="utf-8"))
    texts = [c["text"] for c in claims["claims"]]
    assert len(texts) == 24
    for text in texts:
        for passage in text.replace(" [sic]", "").split("…"):
            if squash(passage):
                assert squash(passage) in seed, passage
    assert any("[sic]" in t for t in texts)
