"""Guarantees on reading files and folders after an independent attacker's sixth pass (issue 10):
what nobody can see in a workbook (F6), temporary output of a killed run (F7), raw files that are
not regular files (F8), undocumented date formats (F9), a raw root that git would pick up (F10).
Each through the ``fac-eval`` CLI: exit code, a message naming the file (and sheet, cell, row,
column or path), nothing written."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import cli_text as _cli
from guarantees_support import Project, csv_to_xlsx, read_csv_rows, write_csv_rows

from fac_eval.disclosure import privacy

S = "synth-2024"


@pytest.fixture
def project(tmp_path, monkeypatch):
    p = Project(tmp_path, sessions=(S,))
    monkeypatch.setenv("FAC_EVAL_RAW", str(p.raw))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(p.processed))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(p.reports))
    names = tmp_path / "secrets" / "noms.txt"
    names.parent.mkdir()
    names.write_text("Sophie Martin\nJean-Luc Perrin\n", encoding="utf-8")
    monkeypatch.setenv(privacy.NAMES_ENV_VAR, str(names))
    return p


def _refused(project, capsys, *fragments, command="validate", en=()):
    """``fac-eval COMMAND synth-2024`` in French then English: exit 1, each fragment said,
    nothing written."""
    code, text = _cli(capsys, command, S)
    assert code == 1, text
    assert "Traceback" not in text
    for f in fragments:
        assert re.search(f, text), f"{f!r} not in:\n{text}"
    code, text_en = _cli(capsys, command, S, "--lang", "en")
    assert code == 1, text_en
    for f in en:
        assert re.search(f, text_en), f"{f!r} not in:\n{text_en}"
    assert project.outputs_written(S) == []
    return text + " " + text_en


# --------------------------------------------------------------------------------------------
# F9. Dates: the documented formats (YYYY-MM-DD, DD/MM/YYYY) and Excel date cells, nothing else
# --------------------------------------------------------------------------------------------

UNDOCUMENTED = ["2024-3-4", "22-03-04", "4 mars 2024", "45355", "04.03.2024", "4/3/2024",
                "04/03/24", "2024/03/04", "03-04-2024", "2024-03-04 9:30", "mars 2024"]


def test_undocumented_date_formats_are_refused_not_reinterpreted(project, capsys):
    rows = read_csv_rows(project.session() / "learners_entry.csv")
    for r, value in zip(rows[1:], UNDOCUMENTED):
        r[1] = value
    write_csv_rows(project.session() / "learners_entry.csv", rows)
    text = _refused(
        project, capsys,
        *[rf"learners_entry\.csv, ligne {i}, colonne « response_date » : type de valeur "
          rf"incorrect, valeur « {re.escape(v)} » — attendu : une date au format AAAA-MM-JJ ou "
          r"JJ/MM/AAAA" for i, v in enumerate(UNDOCUMENTED, start=2)],
        en=[r'learners_entry\.csv, row 3, column "response_date": wrong type of value, value '
            r'"22-03-04" — expected: a date as YYYY-MM-DD or DD/MM/YYYY'])
    assert f"{len(UNDOCUMENTED)} problème(s)" in text


@pytest.mark.parametrize("value", ["04/03/2024", "2024-03-04", "2024-03-04 10:30",
                                   "2024-03-04T10:30:00", "04/03/2024 17:05:09"])
def test_documented_date_formats_are_read(project, capsys, value):
    rows = read_csv_rows(project.session() / "learners_entry.csv")
    rows[1][1] = value
    write_csv_rows(project.session() / "learners_entry.csv", rows)
    code, text = _cli(capsys, "validate", S)
    assert code == 0, text


@pytest.mark.parametrize("key, value", [("start_date", '"4 mars 2024"'), ("end_date", "24-07-05"),
                                        ("start_date", '"2024-3-4"'), ("end_date", '"05.07.2024"')])
def test_undocumented_dates_in_session_yml_are_refused(project, capsys, key, value):
    path = project.session() / "session.yml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(rf"(?m)^{key}:.*$", f"{key}: {value}", text)
    path.write_text(text, encoding="utf-8")
    _refused(project, capsys, rf"session\.yml, ligne \d+, colonne « {key} » : type de valeur "
                              r"incorrect, valeur « [^»]+ » — attendu : une date au format AAAA-MM-JJ")


def test_excel_date_cells_are_read_and_text_dates_in_a_workbook_are_checked(project, capsys):
    wb, ws, path = csv_to_xlsx(project.session() / "learners_entry.csv")
    ws["B2"] = dt.datetime(2024, 3, 4)
    ws["B2"].number_format = "dd/mm/yyyy"
    ws["B3"] = dt.date(2024, 3, 5)
    wb.save(path)
    code, text = _cli(capsys, "validate", S)
    assert code == 0, text
    ws["B4"] = "5 mars 2024"
    ws["B5"] = "45356"
    wb.save(path)
    _refused(project, capsys,
             r"learners_entry\.xlsx, feuille « Données », cellule B4, colonne « response_date » : "
             r"type de valeur incorrect, valeur « 5 mars 2024 »",
             r"cellule B5, colonne « response_date » : type de valeur incorrect, valeur « 45356 »")
