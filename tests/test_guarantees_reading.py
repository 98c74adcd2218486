"""Guarantee: what is read is what was written (issue 10, section 5).

Adversarial suite, one class per section, several variants each, through the ``fac-eval`` CLI on a
temporary copy of a shipped session (``FAC_EVAL_RAW`` / ``PROCESSED`` / ``REPORTS`` in tmp_path):
exit code, the message (file, sheet / row, cell / column, value, expectation) in French and
English, no traceback, nothing written to the processed or reports folders.

Classes:
A. XLSX whose content differs from what the user sees: formulas without a cached value, merged
   cells, hidden rows / columns / sheets, several candidate data sheets (and what must still be
   read: cached formula results, the untouched data-entry templates, hidden empty columns);
B. invisible characters in ids and codes (removed), or shown as code points when a value is
   refused;
C. impossible dates and times, in session.yml (unquoted YAML dates), CSV and XLSX cells;
D. claims.yml checked by ``validate`` in the questionnaires' format;
E. a follow-up file with no rows means "pending", never a sortie dynamique of 0 %.
"""

from __future__ import annotations

import re
import shutil
import zipfile

import openpyxl
import pandas as pd
import pytest
from guarantees_support import Project, assert_clean_refusal, csv_to_xlsx, read_csv_rows, write_csv_rows

from fac_eval.data import codebook as cb
from fac_eval.data import entry_templates
from fac_eval.run import cli

S = "synth-2024"


@pytest.fixture
def project(tmp_path, monkeypatch):
    p = Project(tmp_path, sessions=(S, "2022"))
    monkeypatch.setenv("FAC_EVAL_RAW", str(p.raw))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(p.processed))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(p.reports))
    return p


@pytest.fixture
def run(capsys):
    """``fac-eval ARGS`` as the command line runs it (in-process): (exit code, stdout + stderr)."""

    def _run(*args):
        code = cli.main(list(args))
        cap = capsys.readouterr()
        text = cap.out + cap.err
        assert "Traceback" not in text
        return code, text

    return _run


def validate(run, session=S, lang="fr"):
    return run("validate", session, "--lang", lang)


def assert_lines(text: str, *patterns: str) -> None:
    """Each regex matches one line of ``text``."""
    lines = text.splitlines()
    for pat in patterns:
        assert any(re.search(pat, line) for line in lines), f"{pat!r} not in:\n{text}"


# --------------------------------------------------------------------------------------------
# A. XLSX: what is read is what the user sees
# --------------------------------------------------------------------------------------------


def _entry_workbook(project, name="learners_entry"):
    return csv_to_xlsx(project.session() / f"{name}.csv")


def test_formula_without_cached_value_is_a_problem_not_an_empty_cell(project, run):
    wb, ws, path = _entry_workbook(project)
    ws["C7"] = "=2+1"          # an ordinal answer computed by a formula never evaluated
    ws["A9"] = '=CONCAT("A", "08")'  # the id column
    ws["B4"] = "=DATE(2024,3,5)"          # a date column
    wb.save(path)
    code, text = validate(run)
    assert code == 1
    assert_lines(
        text,
        r"^learners_entry\.xlsx, feuille « Données », cellule C7, colonne « ses_01 » : formule sans "
        r"valeur calculée, valeur « =2\+1 » — attendu : une valeur : la formule n'a pas de résultat",
        r"^learners_entry\.xlsx, feuille « Données », cellule A9, colonne « learner_id » : formule "
        r"sans valeur calculée, valeur « =CONCAT",
        r"^learners_entry\.xlsx, feuille « Données », cellule B4, colonne « response_date » : formule",
    )
    # the empty-looking cells are not reported again as missing answers
    assert "C7, colonne « ses_01 » : valeur manquante" not in text
    assert "ligne 9" not in text and "ligne 7," not in text
    code, text = validate(run, lang="en")
    assert_lines(text, r'^learners_entry\.xlsx, sheet "Données", cell C7, column "ses_01": formula '
                       r'without a computed value, value "=2\+1" — expected: a value')
    assert project.outputs_written(S) == []


def test_formula_with_its_cached_result_reads_the_result(project, run):
    """A workbook saved by Excel holds the formula and its result: the result is what is read."""
    wb, ws, path = _entry_workbook(project)
    expected = ws["C7"].value
    ws["C7"] = "=1+1"
    wb.save(path)
    # add the cached value Excel would have stored: <c r="C7"><f>1+1</f><v>N</v></c>
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet, n = re.subn(r'(<c r="C7"[^>]*>)<f>1\+1</f>(<v\s*/>|<v></v>)?',
                       rf"\g<1><f>1+1</f><v>{expected}</v>", sheet)
    assert n == 1
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    code, text = validate(run)
    assert code == 0, text
    assert "valide" in text


@pytest.mark.parametrize("rng, cell, column", [("D3:D4", "D3:D4", "ses_02"),
                                               ("A5:C5", "A5:C5", "learner_id"),
                                               ("F2:G3", "F2:G3", "ses_04")])
def test_merged_cells_are_reported_with_their_range(project, run, rng, cell, column):
    wb, ws, path = _entry_workbook(project)
    ws.merge_cells(rng)
    wb.save(path)
    code, text = validate(run)
    assert code == 1
    assert_lines(text, rf"^learners_entry\.xlsx, feuille « Données », cellule {cell}, colonne "
                       rf"« {column} » : cellules fusionnées, valeur « [^»]+ » — attendu : des "
                       r"cellules non fusionnées")
    code, text = validate(run, lang="en")
    assert_lines(text, rf'cell {cell}, column "{column}": merged cells, value ".+" — expected: '
                       r"unmerged cells")


@pytest.mark.parametrize("rows", [[5], [6, 7, 8], [12]])
def test_hidden_rows_holding_data_are_reported(project, run, rows):
    wb, ws, path = _entry_workbook(project)
    for r in rows:
        ws.row_dimensions[r].hidden = True
    wb.save(path)
    code, text = validate(run)
    assert code == 1
    span = f"ligne {rows[0]}" if len(rows) == 1 else f"lignes {rows[0]} à {rows[-1]}"
    assert_lines(text, rf"^learners_entry\.xlsx, feuille « Données », cellule A{rows[0]} : ligne "
                       rf"masquée contenant des données \({span}\) — attendu : aucune ligne masquée")
    # one problem per block of rows
    assert len([line for line in text.splitlines() if ": ligne masquée" in line]) == 1


def test_hidden_columns_holding_data_are_reported_hidden_empty_ones_are_not(project, run):
    wb, ws, path = _entry_workbook(project)
    ws.column_dimensions["E"].hidden = True
    ws.column_dimensions.group("AC", "AZ", hidden=True)  # empty columns on the right: harmless
    wb.save(path)
    code, text = validate(run)
    assert code == 1
    assert_lines(text, r"^learners_entry\.xlsx, feuille « Données », cellule E1, colonne « ses_03 » "
                       r": colonne masquée contenant des données \(colonne E\)")
    assert "colonne AC" not in text
    assert len([line for line in text.splitlines() if ": colonne masquée" in line]) == 1


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_data_sheet_is_reported(project, run, state):
    wb, ws, path = _entry_workbook(project)
    copy = wb.copy_worksheet(ws)
    copy.title = "Ancienne saisie"
    copy.sheet_state = state
    wb.save(path)
    code, text = validate(run)
    assert code == 1
    assert_lines(text, r"^learners_entry\.xlsx, feuille « Ancienne saisie » : feuille masquée "
                       r"contenant des données.* — attendu : aucune feuille de données masquée")


def test_several_visible_data_sheets_are_refused_naming_them(project, run):
    wb, ws, path = _entry_workbook(project, "learners_exit")
    extra = wb.create_sheet("Saisie bis")
    for row in read_csv_rows(project.raw / "2022" / "learners_exit.csv")[:3]:
        extra.append(row)
    wb.save(path)
    code, text = validate(run)
    assert code == 1
    assert_lines(text, r"^learners_exit\.xlsx : plusieurs feuilles de données — attendu : une seule "
                       r"feuille de données \(trouvées : « Données », « Saisie bis »\)")
    code, text = validate(run, lang="en")
    assert_lines(text, r'^learners_exit\.xlsx: several data sheets — expected: a single data sheet '
                       r'\(found: "Données", "Saisie bis"\)')


def test_guide_and_list_sheets_are_not_data_sheets(project, run):
    """The data-entry template's guide sheet and hidden list sheet hold codebook words but no id
    column: a workbook built from the template and filled in is read without any problem."""
    path = project.session() / "learners_profile.xlsx"
    entry_templates.write_instrument_template(cb.LEARNERS_PROFILE, path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    rows = read_csv_rows(project.session() / "learners_profile.csv")
    labels = {it.name: it.label_fr for it in cb.LEARNERS_PROFILE.items}
    for j, name in enumerate(rows[0], start=1):
        assert ws.cell(1, j).value == labels[name]
    for i, row in enumerate(rows[1:], start=2):
        for j, v in enumerate(row, start=1):
            ws.cell(i, j, v or None)
    wb.save(path)
    (project.session() / "learners_profile.csv").unlink()
    assert [s.sheet_state for s in wb.worksheets] == ["visible", "hidden", "visible"]
    code, text = validate(run)
    assert code == 0, text


def test_xlsx_structure_problems_are_listed_together_with_other_files(project, run):
    """All problems at once: XLSX structure problems of several files and ordinary ones."""
    wb, ws, path = _entry_workbook(project)
    ws["C7"] = "=2+1"
    ws.row_dimensions[10].hidden = True
    wb.save(path)
    wb, ws, path = _entry_workbook(project, "founders_entry")
    ws.merge_cells("B2:B3")
    wb.save(path)
    rows = read_csv_rows(project.session() / "learners_profile.csv")
    rows[2][1] = "femme ?"
    write_csv_rows(project.session() / "learners_profile.csv", rows)
    code, text = validate(run)
    assert code == 1
    assert re.search(r"^4 problème\(s\) dans la session", text, re.M), text
    for frag in ("learners_profile.csv, ligne 3, colonne « gender »", "cellule C7",
                 "cellule A10 : ligne masquée", "founders_entry.xlsx, feuille « Données », "
                 "cellule B2:B3"):
        assert frag in text


def test_run_refuses_a_workbook_with_a_formula_and_writes_nothing(project):
    wb, ws, path = _entry_workbook(project)
    ws["C7"] = "=2+1"
    wb.save(path)
    r = project.cli("run", S)
    assert_clean_refusal(r, "learners_entry.xlsx, feuille « Données », cellule C7")
    assert project.outputs_written(S) == []


# --------------------------------------------------------------------------------------------
# B. Invisible characters
# --------------------------------------------------------------------------------------------

INVISIBLE = {
    "zero-width space": "\u200b", "zero-width joiner": "\u200d", "zero-width non-joiner": "\u200c",
    "BOM": "\ufeff", "non-breaking space": "\u00a0", "narrow no-break space": "\u202f",
    "soft hyphen": "\u00ad", "left-to-right mark": "\u200e", "right-to-left mark": "\u200f",
    "word joiner": "\u2060", "directional isolate": "\u2066",
}


def test_invisible_characters_inside_ids_are_removed(project, run):
    """``A<ZWSP>01`` in the exit file is the learner ``A01`` of the profile: one variant per kind
    of invisible character, each inside an id (and one around an id)."""
    rows = read_csv_rows(project.session() / "learners_exit.csv")
    chars = list(INVISIBLE.values())
    assert len(rows) - 1 > len(chars)
    typed_ids = [r[0] for r in rows[1:len(chars) + 2]]
    for r, char in zip(rows[1:], chars):
        r[0] = r[0][:1] + char + r[0][1:]
    rows[len(chars) + 1][0] = "\ufeff" + rows[len(chars) + 1][0] + "\u200b\u00a0"
    write_csv_rows(project.session() / "learners_exit.csv", rows)
    code, text = validate(run)
    assert code == 0, text

    from fac_eval.analysis import results as analysis

    res = analysis.compute_session(project.session(), names=[])
    exit_ids = list(res.data.tables["learners_exit"]["learner_id"])
    assert exit_ids[:len(typed_ids)] == typed_ids
    assert set(exit_ids) <= set(res.data.tables["learners_profile"]["learner_id"])
    has_exit = res.clean.learner_flow.set_index("learner_id")["has_exit"]
    assert has_exit[typed_ids].all()


@pytest.mark.parametrize("char", ["\u200b", "\ufeff", "\u00ad", "\u00a0"])
def test_invisible_characters_inside_codes_and_headers_are_ignored(project, run, char):
    rows = read_csv_rows(project.session() / "learners_profile.csv")
    rows[0][1] = char + "gender"
    rows[1][1] = rows[1][1] + char          # "m<ZWSP>"
    rows[2][4] = "y" + char + "es" if rows[2][4] == "yes" else "n" + char + "o"
    write_csv_rows(project.session() / "learners_profile.csv", rows)
    code, text = validate(run)
    assert code == 0, text


def test_a_refused_value_shows_its_invisible_characters_as_code_points(project, run):
    rows = read_csv_rows(project.session() / "learners_exit.csv")
    rows[1][0] = "X\u200b99"                    # unknown after cleaning: the message shows it
    rows[2][2] = "3\u00a0\u200b5"               # an ordinal answer that is not one
    write_csv_rows(project.session() / "learners_exit.csv", rows)
    code, text = validate(run)
    assert code == 1
    assert_lines(text,
                 r"^learners_exit\.csv, ligne 2, colonne « learner_id » : identifiant inconnu, "
                 r"valeur « X<U\+200B>99 » \(caractère invisible U\+200B en position 2\)",
                 r"^learners_exit\.csv, ligne 3, colonne « ses_01 » : .*valeur « 3<U\+00A0><U\+200B>5 » "
                 r"\(caractères invisibles U\+00A0 en position 2, U\+200B en position 3\)")
    assert "\u200b" not in text  # the message shows what cannot be seen
    code, text = validate(run, lang="en")
    assert_lines(text, r'value "X<U\+200B>99" \(invisible character U\+200B at position 2\)')


# --------------------------------------------------------------------------------------------
# C. Impossible dates and times
# --------------------------------------------------------------------------------------------


def _set_meta_line(project, key, raw_value, session=S):
    path = project.session(session) / "session.yml"
    text = path.read_text(encoding="utf-8")
    text, n = re.subn(rf"^{key}:.*$", f"{key}: {raw_value}", text, flags=re.M)
    assert n == 1
    path.write_text(text, encoding="utf-8")
    return next(i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(key))


@pytest.mark.parametrize("key, value", [
    ("start_date", "2024-02-30"),          # unquoted: PyYAML's own date type would raise
    ("start_date", "2023-02-29"),          # not a leap year
    ("end_date", "2024-07-05 25:99"),      # a time that does not exist
    ("end_date", "2024-07-05 23:60:00"),
    ("start_date", "2024-13-01"),
    ("end_date", "31/04/2024"),
])
def test_impossible_dates_in_session_yml(project, run, key, value):
    line = _set_meta_line(project, key, value)
    code, text = validate(run)
    assert code == 1
    assert_lines(text, rf"^session\.yml, ligne {line}, clé « {key} » : date ou heure impossible, "
                       rf"valeur « {re.escape(value)} » — attendu : une date qui existe au "
                       r"calendrier, au format AAAA-MM-JJ ou JJ/MM/AAAA")
    code, text = validate(run, lang="en")
    assert_lines(text, rf'^session\.yml, line {line}, key "{key}": impossible date or time, '
                       rf'value "{re.escape(value)}" — expected: a date that exists')


def test_base60_and_quoted_dates_in_session_yml(project, run):
    """A valid quoted date and an unquoted one read the same; ``3:30`` stays text (not 210)."""
    _set_meta_line(project, "start_date", '"2024-03-04"')
    line = _set_meta_line(project, "followup_months", "3:30")
    code, text = validate(run)
    assert code == 1
    assert_lines(text, rf"^session\.yml, ligne {line}, clé « followup_months » : type de valeur "
                       r"incorrect, valeur « 3:30 »")
    assert "210" not in text


IMPOSSIBLE = ["31/02/2024", "2024-02-30", "30/02/2024", "2024-03-14 25:99", "14/03/2024 24:00",
              "2024-04-31", "2024-03-14T10:75"]


def test_impossible_dates_in_a_date_column(project, run):
    rows = read_csv_rows(project.session() / "learners_entry.csv")
    for r, value in zip(rows[1:], IMPOSSIBLE):
        r[1] = value
    write_csv_rows(project.session() / "learners_entry.csv", rows)
    code, text = validate(run)
    assert code == 1
    assert_lines(text, *[rf"^learners_entry\.csv, ligne {i}, colonne « response_date » : date ou "
                         rf"heure impossible, valeur « {re.escape(v)} » — attendu : une date qui "
                         r"existe" for i, v in enumerate(IMPOSSIBLE, start=2)])
    code, text = validate(run, lang="en")
    assert_lines(text, r'^learners_entry\.csv, row 2, column "response_date": impossible date or '
                       r'time, value "31/02/2024" — expected: a date that exists in the calendar')


def test_impossible_date_typed_as_text_in_a_workbook(project, run):
    wb, ws, path = _entry_workbook(project, "founders_entry")
    ws["B3"] = "29/02/2023"
    wb.save(path)
    code, text = validate(run)
    assert code == 1
    assert_lines(text, r"^founders_entry\.xlsx, feuille « Données », cellule B3, colonne "
                       r"« response_date » : date ou heure impossible, valeur « 29/02/2023 »")


def test_run_with_an_impossible_date_writes_nothing(project):
    _set_meta_line(project, "start_date", "2024-02-30")
    r = project.cli("run", S)
    assert_clean_refusal(r, "session.yml", "start_date", "2024-02-30", "date ou heure impossible")
    assert project.outputs_written(S) == []


# --------------------------------------------------------------------------------------------
# D. claims.yml checked by validate
# --------------------------------------------------------------------------------------------

BAD_CLAIMS = """\
source: "Bilan"
claims:
  - id: a
    text: "88% ont gagné en estime de soi"
    indicator: learners.self_esteem.improvd
    percent: 88
  - id: b
    text: "tous"
    indicator: learners.confidence.improved
    percent: "88 %"
  - id: a
    text: "6 sur 8"
    indicator: learners.rqth
    fraction: [6]
  - id: d
    indicator: learners.enrolled
    count: 8
    share: 0.5
  - id: e
    text: "la moitié"
    indicator: founders.stage_creation
    share: 1.5
    colour: blue
"""


def test_claims_problems_are_listed_like_the_questionnaires(project, run):
    (project.session("2022") / "claims.yml").write_text(BAD_CLAIMS, encoding="utf-8")
    code, text = validate(run, "2022")
    assert code == 1
    assert_lines(
        text,
        r"^claims\.yml, ligne 5, clé « indicator » : indicateur inconnu, valeur "
        r"« learners\.self_esteem\.improvd » — attendu : .*vouliez-vous dire "
        r"« learners\.self_esteem\.improved » \?",
        r"^claims\.yml, ligne 10, clé « percent » : type de valeur incorrect, valeur « 88 % » — "
        r"attendu : un pourcentage",
        r"^claims\.yml, ligne 11, clé « id » : identifiant en double, valeur « a » — attendu : "
        r"un identifiant unique \(déjà utilisé ligne 3\)",
        r"^claims\.yml, ligne 14, clé « fraction » : type de valeur incorrect, valeur « \[6\] »",
        r"^claims\.yml, ligne 15, clé « text » : valeur manquante",
        r"^claims\.yml, ligne 18, clé « share » : valeur non reconnue, valeur « 0\.5 » — attendu "
        r": un seul chiffre par affirmation",
        r"^claims\.yml, ligne 22, clé « share » : valeur hors limites, valeur « 1\.5 »",
        r"^claims\.yml, ligne 23, clé « colour » : colonne inconnue",
    )
    code, text = validate(run, "2022", lang="en")
    assert_lines(text, r'^claims\.yml, line 5, key "indicator": unknown indicator, value '
                       r'"learners\.self_esteem\.improvd" — expected: .*did you mean')


@pytest.mark.parametrize("text, line, fragment", [
    ("claims:\n  - id: a\n    text: [unclosed\n", 4, "fichier YAML valide"),
    ("claims:\n  - id: a\n\ttext: x\n", 3, "fichier YAML valide"),
    ("source: x\n", None, "clé « claims » : valeur manquante"),
    ("claims: 3\n", 1, "clé « claims » : type de valeur incorrect"),
    ("base: &b {text: t}\nclaims:\n  - <<: *b\n    id: a\n", 1, "sans ancre ni alias"),
])
def test_malformed_claims_files(project, run, text, line, fragment):
    (project.session("2022") / "claims.yml").write_text(text, encoding="utf-8")
    code, out = validate(run, "2022")
    assert code == 1
    where = rf"claims\.yml, ligne {line}\b.*" if line else r"claims\.yml, "
    assert_lines(out, rf"^{where}{re.escape(fragment)}")


def test_shipped_claims_are_valid_and_the_catalogue_is_the_indicator_table(project):
    """The catalogue used to check indicator ids is exactly the ids of real indicator tables."""
    from fac_eval.analysis import claims
    from fac_eval.analysis import results as analysis

    for s in ("2022", S):
        res = analysis.compute_session(project.session(s), names=[])
        assert set(res.indicators["indicator"]) == set(claims.indicator_catalogue())
    assert claims.claims_problems(project.session("2022") / "claims.yml") == []


def test_run_with_bad_claims_writes_nothing(project):
    (project.session("2022") / "claims.yml").write_text(BAD_CLAIMS, encoding="utf-8")
    r = project.cli("run", "2022")
    assert_clean_refusal(r, "claims.yml, ligne 5, clé « indicator » : indicateur inconnu")
    assert project.outputs_written("2022") == []


# --------------------------------------------------------------------------------------------
# E. A follow-up file with no rows means "pending"
# --------------------------------------------------------------------------------------------

def _followup_header_only(project):
    rows = read_csv_rows(project.session() / "followup.csv")
    write_csv_rows(project.session() / "followup.csv", rows[:1])


def _followup_blank_rows(project):
    rows = read_csv_rows(project.session() / "followup.csv")
    write_csv_rows(project.session() / "followup.csv", rows[:1] + [[""] * len(rows[0])] * 5)


def _followup_zero_bytes(project):
    (project.session() / "followup.csv").write_bytes(b"")


def _followup_template(project):
    (project.session() / "followup.csv").unlink()
    entry_templates.write_instrument_template(cb.FOLLOWUP, project.session() / "followup.xlsx")


def _followup_template_from_new_session(project, run):
    code, _ = run("new-session", "fresh")
    assert code == 0
    (project.session() / "followup.csv").unlink()
    shutil.move(project.session("fresh") / "modeles" / "followup.xlsx",
                project.session() / "followup.xlsx")


@pytest.mark.parametrize("make", [_followup_header_only, _followup_blank_rows, _followup_zero_bytes,
                                  _followup_template, _followup_template_from_new_session],
                         ids=["header-only", "blank-rows", "zero-bytes", "template",
                              "new-session-template"])
def test_followup_without_rows_is_pending(project, run, make):
    if make is _followup_template_from_new_session:
        make(project, run)
    else:
        make(project)
    code, text = run("clean", S)  # validates, then writes the processed tables
    assert code == 0, text
    ind = pd.read_csv(project.processed / S / "indicators.csv").set_index("indicator")
    for i in ("followup.sortie_dynamique", "followup.sortie_dynamique_respondents",
              "followup.non_respondents"):
        assert ind.loc[i, "verdict"] == "pending"
        assert pd.isna(ind.loc[i, "value"]) and pd.isna(ind.loc[i, "numerator"])
    flow = pd.read_csv(project.processed / S / "learner_flow.csv")
    assert not flow["followup_collected"].any()
    assert not (project.processed / S / "followup.csv").exists()


def test_followup_status_and_flow_say_not_collected(project):
    from fac_eval.analysis import results as analysis
    from fac_eval.data import cleaning

    _followup_header_only(project)
    res = analysis.compute_session(project.session(), names=[])
    assert res.clean.followup is None and res.clean.followup_status == "no_rows"
    counts = cleaning.flow_counts(res.clean.learner_flow).set_index("stage")["n"]
    assert pd.isna(counts["followup"])  # "non collecté", not 0
    assert counts["enrolled"] == 14


def test_followup_with_rows_is_computed(project):
    from fac_eval.analysis import results as analysis

    res = analysis.compute_session(project.session(), names=[])
    assert res.clean.followup_status == "collected"
    row = res.indicators.set_index("indicator").loc["followup.sortie_dynamique"]
    assert row["verdict"] != "pending" and row["denominator"] > 0
