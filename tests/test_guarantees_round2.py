"""Second attack round on the guarantees (issue 10), by class, through the CLI as a user runs it:
messages that show invisible and look-alike characters, configured roots that are files, text
that a spreadsheet would run as a formula, and a huge cell read without exhausting memory."""

from __future__ import annotations

import csv
import errno
import tracemalloc

import pytest
from _guarantees import make_project, run_cli, tree
from conftest import REPO

from fac_eval.core.invisible import describe_invisible, invisible_characters, shown
from fac_eval.data import io as fio
from fac_eval.data import limits
from fac_eval.data.cleaning import spreadsheet_safe
from fac_eval.data.validation import Problem
from fac_eval.run.os_errors import os_error_message

# --------------------------------------------------------------------------------------------
# 5. What is read is what was written: a message quotes a value as it is in the file
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, seen", [
    ("A\u034f01", "A<U+034F>01"),        # combining grapheme joiner (default-ignorable, Mn)
    ("\u041001", "<U+0410>01"),          # Cyrillic capital A
    ("A\u200b03", "A<U+200B>03"),        # zero-width space
    ("\u0391\u03bf1", "<U+0391><U+03BF>1"),  # Greek capital alpha, small omicron
    ("Ａ03", "<U+FF21>03"),              # full-width A
    ("A\ufe0f01", "A<U+FE0F>01"),        # variation selector
    ("A\U000e0041 01", "A<U+E0041> 01"),  # tag character
    ("Zoé", "Zoé"), ("Łukasz Øre", "Łukasz Øre"),  # accented Latin letters are as typed
])
def test_shown_writes_invisible_and_lookalike_characters_as_code_points(value, seen):
    assert shown(value) == seen
    assert bool(invisible_characters(value)) is (value != seen)


def test_problem_message_shows_code_points_in_both_languages():
    p = Problem("learners_exit.csv", 3, "learner_id", "\u041002", "un identifiant connu",
                "unknown_id", "a known id")
    assert "« <U+0410>02 » (caractère trompeur U+0410 en position 1)" in p.message("fr")
    assert '"<U+0410>02" (look-alike character U+0410 at position 1)' in p.message("en")
    both = invisible_characters("\u0410\u034f2")
    assert describe_invisible(both) == ("caractères invisibles ou trompeurs U+0410 en position 1, "
                                        "U+034F en position 2")


def _rewrite(path, fn):
    rows = list(csv.reader(open(path, encoding="utf-8-sig", newline="")))
    fn(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


@pytest.mark.parametrize("bad, seen", [("\u041002", "<U+0410>02"), ("A0\u04212", None),
                                       ("\u0391\u039f2", "<U+0391><U+039F>2")])
def test_validate_shows_a_lookalike_id(tmp_path, monkeypatch, capsys, bad, seen):
    proj = make_project(tmp_path, monkeypatch, sessions=("2022",))

    def edit(rows):
        rows[2][0] = bad
    _rewrite(proj.raw / "2022" / "learners_exit.csv", edit)
    code, out, err = run_cli(capsys, "validate", "2022")
    assert code == 1 and "Traceback" not in out + err
    assert "ligne 3" in out + err and "<U+" in out + err
    if seen:
        assert f"« {seen} »" in out + err
    assert bad not in out + err  # never the raw look-alike alone


@pytest.mark.parametrize("args, seen", [
    (["validate", "2022\u034f"], "« 2022<U+034F> »"),
    (["validate", "2\u200b022"], "« 2<U+200B>022 »"),
    (["run", "2022", "-p", "alpha=0\u200b,1"], "« 0<U+200B>,1 »"),
    (["run", "2022", "-p", "\u0430lpha=0.1"], "« <U+0430>lpha »"),
    (["run", "2022", "-p", "min_cell=3\u00a0"], None),
])
def test_names_and_parameters_quoted_with_code_points(tmp_path, monkeypatch, capsys, args, seen):
    proj = make_project(tmp_path, monkeypatch, sessions=("2022",))
    before = proj.snapshot()
    code, out, err = run_cli(capsys, *args)
    if seen is None:  # a non-breaking space around a number: accepted or refused, never silent
        assert "Traceback" not in out + err
        return
    assert code == 2, out + err
    assert seen in err and "Traceback" not in out + err
    assert proj.snapshot() == before


# --------------------------------------------------------------------------------------------
# 1. Operating-system failures: a root that is a file is not a folder
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("var", ["FAC_EVAL_RAW", "FAC_EVAL_PROCESSED", "FAC_EVAL_REPORTS"])
@pytest.mark.parametrize("below", ["", "sub"])
@pytest.mark.parametrize("command", [["run", "2022"], ["clean", "2022"]])
def test_a_root_that_is_a_file(tmp_path, monkeypatch, capsys, var, below, command):
    proj = make_project(tmp_path, monkeypatch, sessions=("2022",))
    afile = tmp_path / "afile"
    afile.write_text("a file\n")
    monkeypatch.setenv(var, str(afile / below) if below else str(afile))
    code, out, err = run_cli(capsys, *command, "--lang", "en")
    assert code == 1, out + err
    assert "Traceback" not in out + err and "EEXIST" not in err and "already exists" not in err
    assert f"{var} = " in err and "is a file, not a folder" if not below else "which is a file" in err
    assert "(ENOTDIR)" in err and str(afile) in err
    assert afile.read_text() == "a file\n"
    assert tree(proj.raw / "2022") == tree(REPO / "data" / "raw" / "2022")


def test_os_error_message_says_a_file_is_not_a_folder(tmp_path):
    f = tmp_path / "reports"
    f.write_text("x")
    for number in (errno.EEXIST, errno.ENOTDIR):
        err = OSError(number, "boom", str(f / "2022" if number == errno.ENOTDIR else f))
        fr, en = os_error_message(err, "fr"), os_error_message(err, "en")
        assert f"{f} : c'est un fichier, pas un dossier (ENOTDIR)" in fr
        assert f"{f}: it is a file, not a folder (ENOTDIR)" in en
    # a folder that exists really is "already exists"
    d = tmp_path / "d"
    d.mkdir()
    assert "existe déjà (EEXIST)" in os_error_message(OSError(errno.EEXIST, "x", str(d)))


# --------------------------------------------------------------------------------------------
# Text a spreadsheet would run as a formula (CSV injection) in the processed tables
# --------------------------------------------------------------------------------------------


def test_spreadsheet_safe():
    import pandas as pd

    df = pd.DataFrame({"t": ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2",
                             "-2,5", "- très bien", "\tx", "ok", "1+1"], "n": range(9)})
    out = spreadsheet_safe(df)
    assert out["t"].tolist() == ["'=HYPERLINK(\"http://x\")", "'+cmd|' /C calc'!A0", "'@SUM(A1)",
                                 "-2", "-2,5", "'- très bien", "'\tx", "ok", "1+1"]
    assert out["n"].tolist() == list(range(9)) and df["t"].iloc[0].startswith("=")


def test_processed_tables_hold_no_formula(tmp_path, monkeypatch, capsys):
    proj = make_project(tmp_path, monkeypatch, sessions=("2022",))

    def edit(rows):
        rows[1][3] = "=HYPERLINK(\"http://evil.example\",\"clic\") super"
        rows[2][3] = "+cmd|' /C calc'!A0"
    _rewrite(proj.raw / "2022" / "testimonies.csv", edit)
    code, out, err = run_cli(capsys, "clean", "2022")
    assert code == 0, out + err
    rows = list(csv.reader(open(proj.processed / "2022" / "testimonies.csv", encoding="utf-8-sig")))
    texts = [r[rows[0].index("text")] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://evil.example\",\"clic\") super" in texts
    assert "'+cmd|' /C calc'!A0" in texts
    for path in (proj.processed / "2022").glob("*.csv"):
        for r in csv.reader(open(path, encoding="utf-8-sig")):
            assert not any(c[:1] in ("=", "+", "@") for c in r), (path.name, r)


# --------------------------------------------------------------------------------------------
# 6. A huge cell is refused with its row, column and true length, without a copy per character
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [40_000, 3_000_000])
def test_a_huge_csv_cell(tmp_path, size):
    src = (REPO / "data" / "raw" / "2022" / "testimonies.csv").read_text("utf-8")
    head, first, *rest = src.split("\n")
    path = tmp_path / "testimonies.csv"
    path.write_text("\n".join([head, first.replace("accompagnement", "x" * size, 1), *rest]),
                    encoding="utf-8")
    tracemalloc.start()
    try:
        df = fio.read_raw_table(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    problems = [p for p in df.attrs["problems"] if p.kind == "too_large"]
    assert len(problems) == 1 and problems[0].row == 2 and problems[0].column == "text"
    original = next(csv.reader([first]))[3]
    n = len(original) - len("accompagnement") + size
    assert n > size and problems[0].note_en == f"a cell of {n:,} characters"
    assert len(df.iloc[0]["text"]) <= limits.MAX_CELL_CHARS + 1
    assert peak < 12 * len(path.read_bytes()) + 20_000_000
