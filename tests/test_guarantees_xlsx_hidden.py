"""Guarantee 5 (what is read is what was written), content of an XLSX sheet the reader does not
read or the user does not see (issue 10): cell comments, links, text of the colour of its cell
(white on white). Each is a problem with file, sheet and cell, in French and English, through the
``fac-eval`` CLI; a comment's author and text go through the one detector of personal data;
nothing is written.
"""

from __future__ import annotations

import re

import pytest
from guarantees_support import Project, csv_to_xlsx
from openpyxl.comments import Comment
from openpyxl.styles import Color, Font, PatternFill

from fac_eval.disclosure import privacy
from fac_eval.run import cli

S = "synth-2024"
WHERE = r"^learners_entry\.xlsx, feuille « Données », cellule "
WHERE_EN = r'^learners_entry\.xlsx, sheet "Données", cell '


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


def _run(capsys, *args):
    capsys.readouterr()
    code = cli.main(list(args))
    cap = capsys.readouterr()
    text = cap.out + cap.err
    assert "Traceback" not in text
    return code, text


def _lines(text, pattern):
    return [line for line in text.splitlines() if re.search(pattern, line)]


def _refused(project, capsys, *patterns, en=()):
    code, text = _run(capsys, "validate", S)
    assert code == 1, text
    for pat in patterns:
        assert _lines(text, pat), f"{pat!r} not in:\n{text}"
    code, text_en = _run(capsys, "validate", S, "--lang", "en")
    assert code == 1
    for pat in en:
        assert _lines(text_en, pat), f"{pat!r} not in:\n{text_en}"
    assert project.outputs_written(S) == []
    return text + text_en


@pytest.mark.parametrize("cell, column", [("C7", "ses_01"), ("A12", "learner_id"),
                                          ("B3", "response_date")])
def test_a_comment_on_a_cell_is_a_problem(project, capsys, cell, column):
    wb, ws, path = csv_to_xlsx(project.session() / "learners_entry.csv")
    ws[cell].comment = Comment("à vérifier", "Saisie")
    wb.save(path)
    _refused(project, capsys,
             WHERE + rf"{cell}, colonne « {column} » : commentaire sur une cellule — attendu : "
             r"aucun commentaire sur une cellule : les commentaires ne sont pas lus",
             en=[WHERE_EN + rf'{cell}, column "{column}": comment on a cell — expected: no '
                 r"comment on a cell"])


@pytest.mark.parametrize("author, text, found", [
    ("Sophie Martin", "à vérifier", "nom de la liste de noms"),  # a listed name as author
    ("J.-L. P.", "ok", "nom de la liste de noms"),  # initials of a listed name
    ("Saisie", "rappeler au 06 12 34 56 78", "numéro de téléphone"),
    ("Saisie", "écrire à marie.dupont@example.fr", "adresse e-mail"),
])
def test_a_comment_author_or_text_goes_through_the_detector(project, capsys, author, text,
                                                            found):
    wb, ws, path = csv_to_xlsx(project.session() / "learners_entry.csv")
    ws["D8"].comment = Comment(text, author)
    wb.save(path)
    out = _refused(project, capsys,
                   WHERE + r"D8, colonne « ses_02 » : commentaire sur une cellule",
                   WHERE + r"D8, colonne « ses_02 » : donnée directement identifiante \("
                   + found + r", valeur masquée\), valeur « [^»]*•[^»]*» — attendu : aucune "
                   r"donnée personnelle dans un commentaire",
                   en=[WHERE_EN + r'D8, column "ses_02": directly identifying data'])
    for secret in ("Sophie", "Martin", "J.-L.", "34 56 78", "marie.dupont", "example.fr"):
        assert secret not in out


def test_an_unlisted_author_alone_is_only_the_comment_problem(project, capsys):
    wb, ws, path = csv_to_xlsx(project.session() / "learners_entry.csv")
    ws["D8"].comment = Comment("relu", "Secrétariat")
    wb.save(path)
    out = _refused(project, capsys, WHERE + r"D8, colonne « ses_02 » : commentaire")
    assert "identifiante" not in out and "identifying" not in out


@pytest.mark.parametrize("target, shown", [
    ("mailto:marie.dupont@example.fr", "mailto:m••••.••••••@•••••••.••"),
    ("https://www.linkedin.com/in/marie-dupont-7f3a", "h••••://•••.••••••••.•••/••/"),
    ("https://example.org/guide", "https://example.org/guide"),
])
def test_a_link_in_a_cell_is_a_problem_its_target_masked(project, capsys, target, shown):
    wb, ws, path = csv_to_xlsx(project.session() / "learners_entry.csv")
    ws["E9"].hyperlink = target
    wb.save(path)
    out = _refused(project, capsys,
                   WHERE + r"E9, colonne « ses_03 » : lien dans une cellule \(lien vers "
                   + re.escape(shown) + r".*\) — attendu : aucun lien dans une cellule",
                   en=[WHERE_EN + r'E9, column "ses_03": link in a cell \(link to '])
    assert "marie" not in out and "dupont" not in out


def _white(ws, cell):
    ws[cell].font = Font(color="FFFFFF")


def _same_rgb(ws, cell):
    ws[cell].font = Font(color="FF00B050")
    ws[cell].fill = PatternFill("solid", fgColor="00B050")


def _theme_white(ws, cell):
    ws[cell].font = Font(color=Color(theme=0))


def _indexed_white_on_white_fill(ws, cell):
    ws[cell].font = Font(color=Color(indexed=9))  # COLOR_INDEX[9]: white
    ws[cell].fill = PatternFill("solid", fgColor="FFFFFF")


@pytest.mark.parametrize("paint", [_white, _same_rgb, _theme_white,
                                   _indexed_white_on_white_fill])
def test_text_of_the_colour_of_its_cell_is_a_problem(project, capsys, paint):
    wb, ws, path = csv_to_xlsx(project.session() / "learners_entry.csv")
    value = ws["F10"].value
    paint(ws, "F10")
    wb.save(path)
    _refused(project, capsys,
             WHERE + rf"F10, colonne « ses_04 » : texte de la couleur de sa cellule, valeur "
             rf"« {value} » — attendu : un texte visible : la couleur de sa police est celle du "
             r"fond de la cellule \(blanc sur blanc\)",
             en=[WHERE_EN + r'F10, column "ses_04": text of the colour of its cell, value'])


def test_visible_colours_are_read(project, capsys):
    """White on green (the data-entry templates' header), green text, a grey pattern: seen."""
    wb, ws, path = csv_to_xlsx(project.session() / "learners_entry.csv")
    ws["A1"].font = Font(bold=True, color="FFFFFF")
    ws["A1"].fill = PatternFill("solid", fgColor="0B6E4F")
    ws["C7"].font = Font(color="00B050")
    ws["D7"].font = Font(color="FFFFFF")
    ws["D7"].fill = PatternFill("gray125", fgColor="FFFFFF")
    ws["E7"].font = Font(color=Color(theme=1))
    wb.save(path)
    code, text = _run(capsys, "validate", S)
    assert code == 0, text


def test_hidden_content_on_a_refused_title_row_is_reported_too(project, capsys):
    """A title row above the header (refused): its comment, link and white text are reported
    besides the title-row problem, the comment's listed author masked."""
    wb, ws, path = csv_to_xlsx(project.session() / "learners_entry.csv")
    ws.insert_rows(1)
    ws["A1"] = "Questionnaire d'entrée"
    ws["A1"].comment = Comment("titre", "Sophie Martin")
    ws["B1"] = "saisie par le CRIA"
    ws["B1"].font = Font(color="FFFFFF")
    ws["C1"] = "guide"
    ws["C1"].hyperlink = "https://example.org/guide"
    wb.save(path)
    out = _refused(project, capsys,
                   WHERE + r"A1 : commentaire sur une cellule",
                   WHERE + r"A1 : donnée directement identifiante \(nom de la liste de noms",
                   WHERE + r"B1 : texte de la couleur de sa cellule, valeur « saisie par le "
                   r"CRIA »",
                   WHERE + r"C1 : lien dans une cellule",
                   r"learners_entry\.xlsx, ligne 1 : ligne de titre",
                   en=[WHERE_EN + r"A1: comment on a cell", WHERE_EN + r"C1: link in a cell"])
    assert "Sophie" not in out


def test_run_refuses_and_leaves_previous_outputs(project, capsys):
    wb, ws, path = csv_to_xlsx(project.session() / "learners_entry.csv")
    ws["C7"].comment = Comment("à vérifier", "Saisie")
    wb.save(path)
    code, text = _run(capsys, "run", S)
    assert code == 1
    assert _lines(text, WHERE + r"C7, colonne « ses_01 » : commentaire sur une cellule")
    assert project.outputs_written(S) == []


def test_merged_cells_with_a_comment_give_both_problems(project, capsys):
    """The covered cells of a merged range have no comment, link or style of their own."""
    wb, ws, path = csv_to_xlsx(project.session() / "learners_entry.csv")
    ws.merge_cells("D3:D4")
    ws["D3"].comment = Comment("fusion", "Saisie")
    wb.save(path)
    _refused(project, capsys, WHERE + r"D3:D4, colonne « ses_02 » : cellules fusionnées",
             WHERE + r"D3, colonne « ses_02 » : commentaire sur une cellule")
