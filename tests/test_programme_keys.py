"""session.yml refuses keys it does not know (a misspelt key was silently ignored), naming the
file, the key, its line and the closest known key; and every problem of the file and of the data
is listed in one run, whichever sections hold them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fac_eval.data import io, programme, validation

ROOT = Path(__file__).resolve().parents[1]
SYNTH = ROOT / "data" / "raw" / "synth-2024"
HEAD = ("name: Test\nstart_date: 2024-03-04\nend_date: 2024-06-28\nfollowup_months: 3\n"
        "programme: P\nterritory: T\ndata_kind: synthetic\n")


def _meta(tmp_path, text: str):
    folder = tmp_path / "s"
    folder.mkdir(exist_ok=True)
    (folder / "session.yml").write_text(text, encoding="utf-8")
    return io.check_session_meta(folder)


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.mark.parametrize("typed, close", [
    ("objectifs", "objectives"), ("budjet", "budget"), ("perspective", "perspectives"),
    ("Context", "context"), ("activités", "activities"), ("Data_Collection", "data_collection"),
    ("followup_plans", "followup_plan"), ("date_debut", "start_date"), ("territoire", "territory"),
    ("recommandations", "perspectives"), ("nom_en", "name_en"), ("programm_en", "programme_en"),
])
def test_a_misspelt_top_level_key_is_refused_with_the_closest_known_key(tmp_path, typed, close):
    meta, problems = _meta(tmp_path, HEAD + f"{typed}: quelque chose\n")
    assert meta is None
    assert len(problems) == 1, [p.message() for p in problems]
    p = problems[0]
    assert (p.file, p.row, p.column, p.kind) == ("session.yml", 8, typed, "unknown_key")
    fr, en = _plain(p.message("fr")), p.message("en")
    assert (f"session.yml, ligne 8, clé « {typed} » : clé inconnue — attendu : une clé "
            f"connue dans « session.yml » (vouliez-vous dire « {close} » ?)") == fr
    assert (f'session.yml, line 8, key "{typed}": unknown key — expected: a key known in '
            f'"session.yml" (did you mean "{close}"?)') == en


def test_an_unknown_key_with_nothing_close_lists_the_known_keys(tmp_path):
    meta, problems = _meta(tmp_path, HEAD + "zzz_qqq: 1\nbudget:\n  total: 100\n")
    assert meta is None
    [p] = problems
    assert (p.row, p.column) == (8, "zzz_qqq")
    for key in ("name", "start_date", "name_en", "programme_en", "objectives", "budget",
                "primary_outcomes", "notes"):
        assert key in p.expected and key in p.expected_en
    assert "vouliez-vous dire" not in p.expected


def test_every_unknown_key_is_listed_with_the_other_problems(tmp_path):
    """Several misspelt keys, a nested one, a bad date and a bad amount: all in one run."""
    text = HEAD.replace("2024-06-28", "2024-02-30") + (
        "objectifs:\n  - text: a\n    indicators: [learners.confidence.improved]\n"
        "budget:\n  total: -1\n  financeurs:\n    - name: Région\n      amount: 5\n"
        "Context: x\nactivities:\n  training_hourz: 3\n")
    meta, problems = _meta(tmp_path, text)
    assert meta is None
    assert sorted((p.row, p.column, p.kind) for p in problems) == [
        (3, "end_date", "impossible_date"),
        (8, "objectifs", "unknown_key"),
        (12, "budget.total", "out_of_range"),
        (13, "budget.financeurs", "unknown_key"),
        (16, "Context", "unknown_key"),
        (18, "activities.training_hourz", "unknown_key"),
    ]
    nested = {p.column: p for p in problems}
    assert "« funders »" in nested["budget.financeurs"].expected
    assert "« budget »" in nested["budget.financeurs"].expected  # the section it is in
    assert '"training_hours"' in nested["activities.training_hourz"].expected_en


def test_the_generator_keys_and_english_titles_are_known(tmp_path):
    meta, problems = _meta(tmp_path, HEAD + "name_en: Test session\nprogramme_en: The programme\n"
                           "generator: fac_eval.synth\nseed: 7\n")
    assert problems == []
    assert (meta["name_en"], meta["programme_en"]) == ("Test session", "The programme")
    _, problems = _meta(tmp_path, HEAD + "name_en: [a, b]\n")
    assert [(p.column, p.kind) for p in problems] == [("name_en", "wrong_type")]
    assert set(io.meta_keys()) >= set(io.META_REQUIRED) | set(programme.SECTIONS) | {
        "name_en", "programme_en", "generator", "seed", "notes", "neutralised_situations"}


@pytest.mark.parametrize("shipped", ["2022", "synth-2024"])
def test_the_shipped_sessions_use_known_keys_only(shipped):
    assert io.check_session_meta(ROOT / "data" / "raw" / shipped)[1] == []


def test_close_key_suggests_nothing_for_unrelated_words():
    known = io.meta_keys()
    assert programme.close_key("xyz", known) is None
    assert programme.close_key("foo_bar_baz", known) is None
    assert programme.close_key("BUDGET", known) == "budget"
    assert programme.close_key("financeurs", ("total", "funders")) == "funders"
    assert programme.close_key("financeurs", known) == "budget"


def _broken_copy(tmp_path) -> Path:
    folder = tmp_path / "s"
    shutil.copytree(SYNTH, folder)
    meta = folder / "session.yml"
    text = meta.read_text(encoding="utf-8")
    for old, new in (("total: 96500", "total: 9650"),
                     ("  - learners.self_esteem.improved\n", "  - learners.self_esteem.improvd\n"),
                     ("  training_hours: 420\n", "  training_hours: beaucoup\n"),
                     ("followup_months: 3\n", "followup_months: 3\nbudjet: 1\n")):
        assert old in text, old
        text = text.replace(old, new, 1)
    meta.write_text(text, encoding="utf-8")
    entry = folder / "learners_entry.csv"
    rows = entry.read_text(encoding="utf-8").splitlines()
    cells = rows[1].split(",")
    cells[2] = "9"  # ses_01 of the first learner: a code from 1 to 4
    rows[1] = ",".join(cells)
    entry.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_validate_lists_every_family_of_problems_in_one_run(tmp_path):
    """A budget whose funding exceeds the total, an objective's unknown indicator, a bad
    activity count, a misspelt key and a bad data cell: every one is listed at once (the
    budget's sum was not checked as soon as another section had a problem)."""
    problems = validation.validate_session(_broken_copy(tmp_path))
    got = {(p.file, p.column, p.kind) for p in problems}
    assert got == {
        ("session.yml", "budjet", "unknown_key"),
        ("session.yml", "objectives[1].indicators[2]", "invalid_value"),
        ("session.yml", "activities.training_hours", "wrong_type"),
        ("session.yml", "budget.funders", "out_of_range"),
        ("learners_entry.csv", "ses_01", "out_of_range"),
    }, [p.message() for p in problems]
    funding = next(p for p in problems if p.column == "budget.funders")
    assert _plain(funding.expected).endswith("(9 650 €)")
    assert funding.expected_en.endswith("(€9,650.00)") or "9,650" in funding.expected_en


def test_response_dates_are_checked_even_when_session_yml_has_other_problems(tmp_path):
    """A bad budget no longer hides an answer dated outside the session."""
    folder = _broken_copy(tmp_path)
    entry = folder / "learners_entry.csv"
    rows = entry.read_text(encoding="utf-8").splitlines()
    cells = rows[2].split(",")
    cells[1] = "2019-01-01"
    rows[2] = ",".join(cells)
    entry.write_text("\n".join(rows) + "\n", encoding="utf-8")
    problems = validation.validate_session(folder)
    dated = [p for p in problems if p.kind == "date_out_of_session"]
    assert [(p.file, p.row, p.value) for p in dated] == [("learners_entry.csv", 3, "2019-01-01")]


def test_the_cli_lists_them_all_without_traceback(tmp_path):
    import os
    import subprocess
    import sys

    folder = _broken_copy(tmp_path / "raw")
    env = dict(os.environ, FAC_EVAL_RAW=str(folder.parent),
               FAC_EVAL_PROCESSED=str(tmp_path / "processed"),
               FAC_EVAL_REPORTS=str(tmp_path / "reports"),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for lang, words in (("fr", ("clé inconnue", "« budget »", "ligne")),
                        ("en", ("unknown key", '"budget"', "row"))):
        done = subprocess.run([sys.executable, "-m", "fac_eval.run.cli", "validate", "s",
                               "--lang", lang], env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 1
        out = _plain(done.stderr)
        assert "Traceback" not in out
        assert all(w in out for w in words), out
        lines = [line for line in out.splitlines() if line.startswith(("session.yml",
                                                                      "learners_entry"))]
        assert len(lines) == 5, out


@pytest.mark.parametrize("text, column, close, line", [
    ("objectives:\n  - texte: a\n    indicators: [learners.confidence.improved]\n",
     "objectives[1].texte", "text", 2),
    ("objectives:\n  - text: a\n    indicateurs: [learners.confidence.improved]\n",
     "objectives[1].indicateurs", "indicators", 3),
    ("budget:\n  total: 100\n  funders:\n    - nom: Région\n      amount: 5\n",
     "budget.funders[1].nom", "name", 4),
    ("context:\n  territory:\n    fr: Ain\n    En: Ain\n", "context.territory.En", "en", 4),
    ("data_collection:\n  anonymat: oui\n", "data_collection.anonymat", "anonymity", 2),
    ("activities:\n  founders_acompanied: 4\n", "activities.founders_acompanied",
     "founders_accompanied", 2),
])
def test_a_misspelt_key_inside_a_section_names_the_closest_key_of_that_section(
        text, column, close, line):
    import yaml

    prog, problems = programme.parse_programme(yaml.safe_load(text), text)
    assert prog is None
    unknown = [p for p in problems if p.kind == "unknown_key"]
    assert [(p.row, p.column) for p in unknown] == [(line, column)]
    assert f"(vouliez-vous dire « {close} » ?)" in unknown[0].expected
    assert f'(did you mean "{close}"?)' in unknown[0].expected_en
