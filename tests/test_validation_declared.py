"""A count that session.yml declares and the data can check (activities.founders_accompanied
against the founders of founders_profile) gives a warning when they differ: listed by `fac-eval
validate` with its line, the value and what the data hold, in French and English, without
making the session invalid."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fac_eval.data import validation
from fac_eval.data.validation_declared import declared_count_warnings

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def _copy(tmp_path, session: str, declared: str | None) -> Path:
    folder = tmp_path / "raw" / "s"
    shutil.copytree(RAW / session, folder)
    meta = folder / "session.yml"
    text = meta.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if "founders_accompanied:" in line)
    new = "" if declared is None else old.split(":")[0] + f": {declared}"
    meta.write_text(text.replace(old + "\n", new + "\n" if new else "", 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize("session", ["2022", "synth-2024"])
def test_the_shipped_sessions_declare_the_founders_their_data_hold(session):
    data, problems = validation.check_session(RAW / session)
    assert problems == [] and declared_count_warnings(data) == []


@pytest.mark.parametrize("session, declared, found", [
    ("2022", 5, 4), ("2022", 3, 4), ("2022", 0, 4), ("synth-2024", 4, 5), ("synth-2024", 12, 5),
])
def test_a_declared_count_that_differs_is_a_warning(tmp_path, session, declared, found):
    folder = _copy(tmp_path, session, str(declared))
    data, problems = validation.check_session(folder)
    assert problems == []  # still valid
    [w] = declared_count_warnings(data)
    line = next(i for i, t in enumerate((folder / "session.yml").read_text(
        encoding="utf-8").splitlines(), start=1) if "founders_accompanied" in t)
    assert (w.file, w.row, w.column, w.value, w.kind) == (
        "session.yml", line, "activities.founders_accompanied", str(declared), "count_mismatch")
    assert f"founders_profile.csv ({found})" in w.expected
    assert f"founders_profile.csv ({found})" in w.expected_en
    assert "nombre déclaré différent des données" in w.message("fr")
    assert "declared count differs from the data" in w.message("en")


@pytest.mark.parametrize("declared", [None, "4", "beaucoup"])
def test_no_warning_when_nothing_comparable_is_declared(tmp_path, declared):
    """Equal counts, no count, or a count that is not a number (a problem of its own)."""
    folder = _copy(tmp_path, "2022", declared)
    data, problems = validation.check_session(folder)
    assert declared_count_warnings(data) == []
    if declared == "beaucoup":
        assert [p.column for p in problems] == ["activities.founders_accompanied"]


def _cli(tmp_path, *args):
    env = dict(os.environ, FAC_EVAL_RAW=str(tmp_path / "raw"),
               FAC_EVAL_PROCESSED=str(tmp_path / "processed"),
               FAC_EVAL_REPORTS=str(tmp_path / "reports"),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "fac_eval.run.cli", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def test_validate_prints_the_warning_and_stays_valid(tmp_path):
    _copy(tmp_path, "2022", "5")
    for lang, head, said in (
            ("fr", "1 avertissement(s), à vérifier (la session reste valide) :",
             "clé « activities.founders_accompanied » : nombre déclaré différent des données, "
             "valeur « 5 » — attendu : le nombre de porteurs de projet de founders_profile.csv (4)"),
            ("en", "1 warning(s), to check (they do not make the session invalid):",
             'key "activities.founders_accompanied": declared count differs from the data, '
             'value "5" — expected: the number of founders in founders_profile.csv (4)')):
        done = _cli(tmp_path, "validate", "s", "--lang", lang)
        assert done.returncode == 0, done.stderr
        err = done.stderr.replace("\u202f", " ").replace("\u00a0", " ")
        assert head in err and said in err and "Traceback" not in err
        assert ("valide" if lang == "fr" else "is valid") in done.stdout


def test_validate_lists_the_warning_with_the_problems(tmp_path):
    folder = _copy(tmp_path, "2022", "6")
    meta = folder / "session.yml"
    meta.write_text(meta.read_text(encoding="utf-8") + "budjet: 3\n", encoding="utf-8")
    done = _cli(tmp_path, "validate", "s")
    assert done.returncode == 1
    err = done.stderr.replace("\u202f", " ").replace("\u00a0", " ")
    assert "1 problème(s) dans la session s :" in err and "« budjet »" in err
    assert "1 avertissement(s)" in err and "founders_profile.csv (4)" in err
    assert err.index("budjet") < err.index("avertissement") < err.index("Rien n'a été écrit")
