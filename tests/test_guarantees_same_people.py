"""Issue 10, attacker round 25 (F14): ``compare`` pooled the same people twice when the copy was
in another format, had one testimony changed or its ids renamed (only a link or a byte-for-byte
copy was refused). Two sessions whose pooled people answered the same at entry and at exit, for
half of the smaller session or more, are refused whatever their files look like; by the CLI,
and by the analysis a notebook calls (:func:`fac_eval.analysis.comparison.compare_sessions`).
"""

from __future__ import annotations

import csv
import shutil

import openpyxl
import pytest
from _guarantees import make_project, run_cli
from conftest import REPO

from fac_eval.analysis import comparison as compare
from fac_eval.analysis.shared_people import SharedPeopleError

RAW = REPO / "data" / "raw"


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _as_workbooks(folder):
    """Every CSV of ``folder`` saved as a workbook of the same cells (numbers as numbers)."""
    for f in sorted(folder.glob("*.csv")):
        wb = openpyxl.Workbook()
        ws = wb.active
        for r in _rows(f):
            ws.append([int(v) if v.isdigit() else (v or None) for v in r])
        wb.save(f.with_suffix(".xlsx"))
        f.unlink()


def _renamed_ids(folder):
    """Every learner id A0n made B0n, and every founder id P0n made Q0n, in every file."""
    for f in sorted(folder.glob("*.csv")):
        text = f.read_text(encoding="utf-8-sig")
        for n in range(1, 10):
            text = text.replace(f"A0{n}", f"B0{n}").replace(f"P0{n}", f"Q0{n}")
        f.write_text(text, encoding="utf-8")


def _other_testimony(folder):
    rows = _rows(folder / "testimonies.csv")
    text = rows[0].index("text")
    rows[1][text] = "Un autre texte, écrit pour que les fichiers diffèrent."
    _write(folder / "testimonies.csv", rows)


def _changed_answers(folder, n: int):
    """The exit answers of the first ``n`` learners changed (their first item one step down)."""
    rows = _rows(folder / "learners_exit.csv")
    col = rows[0].index("ses_01")
    for r in rows[1:1 + n]:
        r[col] = str(int(r[col]) - 1 if int(r[col]) > 1 else int(r[col]) + 1)
    _write(folder / "learners_exit.csv", rows)


def _other_dates(folder):
    """Other answer dates in the same session period: no longer a second typing."""
    for f in ("learners_entry.csv", "learners_exit.csv", "founders_entry.csv",
              "founders_exit.csv"):
        path = folder / f
        path.write_text(path.read_text(encoding="utf-8").replace("2022-03-1", "2022-03-2")
                        .replace("2022-07-0", "2022-06-2"), encoding="utf-8")


def _copy(tmp_path, how, name="twin"):
    dst = tmp_path / "proj" / "raw" / name
    shutil.copytree(RAW / "2022", dst)
    how(dst)
    return dst


@pytest.mark.parametrize("how", [_as_workbooks, _other_testimony, _renamed_ids,
                                 lambda d: _changed_answers(d, 4)],
                         ids=["workbooks", "a testimony", "ids renamed", "half changed"])
def test_a_copy_of_a_session_is_refused_whatever_its_files(tmp_path, monkeypatch, capsys, how):
    make_project(tmp_path, monkeypatch, ["2022"])
    twin = _copy(tmp_path, how)
    with pytest.raises(SharedPeopleError) as refused:  # the notebook's own call
        compare.compare_sessions([RAW / "2022", twin])
    pair = refused.value.pairs[0]
    assert {pair.first, pair.second} == {"2022", "twin"} and pair.of == 12
    assert pair.shared == (8 if how.__name__ == "<lambda>" else 12)
    code, out, err = run_cli(capsys, "compare", "2022", "twin")
    assert code != 0 and "Traceback" not in err
    assert "Les sessions 2022 et twin contiennent les mêmes personnes" in err, err
    assert "reports" not in out
    code, out, err = run_cli(capsys, "compare", "2022", "twin", "--lang", "en")
    assert f"hold the same people ({pair.shared} of 12 with the same answers" in err, err


def test_sessions_that_share_less_than_half_their_people_are_compared(tmp_path):
    """Five of the eight learners and every founder answering otherwise at exit: 3 of the 12
    people alike, fewer than half: two sessions, compared."""
    twin = _copy(tmp_path, lambda d: _changed_answers(d, 5))
    rows = _rows(twin / "founders_exit.csv")
    col = rows[0].index("digital_culture")
    for r in rows[1:]:
        r[col] = "1" if r[col] != "1" else "2"
    _write(twin / "founders_exit.csv", rows)
    _other_dates(twin)  # else the same people by their ids and dates
    comp = compare.compare_sessions([RAW / "2022", twin])
    assert comp.names == ["2022", "twin"]


def test_the_shipped_sessions_and_an_interim_copy_are_compared(tmp_path):
    """2022 against synth-2024 shares nobody; an interim copy (its exit pending) counts in no
    pooled result, so it is no double count."""
    assert compare.compare_sessions("2022,synth-2024", raw_dir=RAW).names == ["2022",
                                                                                "synth-2024"]
    interim = _copy(tmp_path, lambda d: [(d / f).write_text("", encoding="utf-8")
                                         for f in ("learners_exit.csv", "founders_exit.csv")])
    comp = compare.compare_sessions([RAW / "2022", interim])
    assert sorted(comp.names) == ["2022", "twin"]


def _retyped(folder):
    """A second typing of the same forms: one exit answer changed for 5 learners and for 2
    founders, ids, dates and entry answers kept (the re-attack's G3)."""
    _changed_answers(folder, 5)
    rows = _rows(folder / "founders_exit.csv")
    col = rows[0].index("digital_culture")
    for r in rows[1:3]:
        r[col] = "1" if r[col] != "1" else "2"
    _write(folder / "founders_exit.csv", rows)


def test_a_copy_with_a_few_answers_retyped_is_refused_by_ids_and_dates(tmp_path):
    twin = _copy(tmp_path, _retyped)
    with pytest.raises(SharedPeopleError) as refused:
        compare.compare_sessions([RAW / "2022", twin])
    pair = refused.value.pairs[0]
    assert (pair.shared, pair.of, pair.by) == (12, 12, "ids")  # every person, by id and dates
    _other_dates(twin)  # other answer dates, answers alike for fewer than half: compared
    assert compare.compare_sessions([RAW / "2022", twin]).names == ["2022", "twin"]
