"""Validation: every kind of problem, produced by a small bad file written from a tiny valid session
built in the test (see ``test_io.session_rows``), with its message checked in French and English."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fac_eval.data import codebook as cb
from fac_eval.data import io as fio
from fac_eval.data import validation as v
from fac_eval.data.validation import Problem, ValidationError

try:  # the session builder lives in test_io.py
    from test_io import META, session_rows, write_session, write_table
except ImportError:  # pragma: no cover - when tests/ is a package
    from tests.test_io import META, session_rows, write_session, write_table


def triples(problems):
    return [(p.file, p.row, p.column, p.value, p.kind) for p in problems]


def check_messages(p: Problem):
    """The French and English lines name the file, row, column, value and what was expected."""
    fr, en = p.message("fr"), p.message("en")
    assert fr.startswith(p.file) and en.startswith(p.file)
    assert str(p) == fr
    if p.row is not None and getattr(p, "cell", None):  # an XLSX cell: sheet and cell named
        assert f"cellule {p.cell}" in fr and f"cell {p.cell}" in en
        assert p.cell.endswith(str(p.row))
    in_yaml = p.file.endswith((".yml", ".yaml"))  # a YAML file has lines and keys
    if p.row is not None and not getattr(p, "cell", None):
        assert f"ligne {p.row}" in fr and (f"line {p.row}" if in_yaml else f"row {p.row}") in en
    if p.column:
        assert (f"clé « {p.column} »" if in_yaml else f"colonne « {p.column} »") in fr
        assert (f'key "{p.column}"' if in_yaml else f'column "{p.column}"') in en
    if p.value:
        assert f"valeur « {p.value} »" in fr and f'value "{p.value}"' in en
    elif p.value == "" and in_yaml:
        assert "valeur vide" in fr and "empty value" in en
    elif p.value == "":
        assert "cellule vide" in fr and "empty cell" in en
    assert p.expected and p.expected_en
    assert f"attendu : {p.expected}" in fr and f"expected: {p.expected_en}" in en
    assert v.kind_title(p.kind, "fr") in fr and v.kind_title(p.kind, "en") in en


@pytest.fixture
def folder(tmp_path) -> Path:
    return tmp_path / "2099"


def test_valid_session_has_no_problem(folder):
    write_session(folder)
    assert v.validate_session(folder) == []
    data = fio.read_session(folder)
    assert v.summary_line(data) == "Session 2099 valide : 3 apprenants, 2 porteurs de projet, 8 fichiers."
    assert v.summary_line(folder, "en") == "Session 2099 is valid: 3 learners, 2 founders, 8 files."


# --------------------------------------------------------------------------------------------
# One case per kind of problem: mutate the valid session, expect exactly these problems
# --------------------------------------------------------------------------------------------


def _set(name, i, col, value):
    def mutate(rows, folder):
        rows[name][i][col] = value
    return mutate


def _write_text(name, text, encoding="utf-8"):
    def after(folder):
        for ext in (".csv", ".xlsx"):
            (folder / f"{Path(name).stem}{ext}").unlink(missing_ok=True)
        (folder / name).write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return after


def _drop_column(name, col):
    def mutate(rows, folder):
        for r in rows[name]:
            r.pop(col)
    return mutate


CASES = {
    # files
    "missing_file": dict(  # an absent exit questionnaire is pending (tests/test_interim.py)
        skip=("learners_entry",),
        expected=[("learners_entry", None, None, None, "missing_file")],
        fr="un fichier learners_entry.csv ou learners_entry.xlsx"),
    "missing_file_with_a_close_name": dict(
        after=lambda f: (f / "founders_profile.csv").rename(f / "founders_profil.csv"),
        expected=[("founders_profile", None, None, None, "missing_file")],
        fr="fichier approchant trouvé : founders_profil.csv"),
    "duplicate_file": dict(
        after=lambda f: write_table(f / "founders_profile.xlsx", cb.FOUNDERS_PROFILE,
                                    session_rows()["founders_profile"]),
        expected=[("founders_profile.xlsx", None, None, None, "duplicate_file")],
        fr="un seul fichier pour founders_profile"),
    "unreadable_xlsx": dict(
        after=_write_text("learners_entry.xlsx", b"PK\x03\x04 broken"),
        expected=[("learners_entry.xlsx", None, None, None, "unreadable_file")],
        fr="un classeur Excel XLSX valide"),
    "unreadable_binary_csv": dict(
        after=_write_text("founders_exit.csv", b"\x00\x00\xff\x10garbage"),
        expected=[("founders_exit.csv", None, None, None, "unreadable_file")],
        en="a CSV text file"),
    "empty_file": dict(
        after=_write_text("founders_profile.csv", ""),
        expected=[("founders_profile.csv", None, None, None, "empty_file"),
                  # without a readable profile, ids cannot be checked: no cascade of unknown_id
                  ],
        fr="une ligne d'en-tête"),
    "header_only": dict(  # an exit questionnaire with a header only is pending (interim)
        after=_write_text("learners_entry.csv", "learner_id,response_date\n"),
        expected=[("learners_entry.csv", None, None, None, "empty_file")]
        + [("learners_entry.csv", 1, it.name, None, "missing_column")
           for it in cb.LEARNERS_ENTRY.items[2:]],
        fr="une ligne par participant"),
    # columns
    "unknown_column": dict(
        after=_write_text("founders_profile.csv",
                          "founder_id,stage,Commentaire\nF01,creation,\nF02,development,x\n"),
        expected=[("founders_profile.csv", 1, "Commentaire", None, "unknown_column")],
        fr="une colonne de founders_profile"),
    "unknown_column_close_name": dict(
        after=_write_text("founders_profile.csv",
                          "founder_id;Démarches;secteur d'activite\nF01;creation;\nF02;development;\n"),
        expected=[("founders_profile.csv", 1, "Démarches", None, "unknown_column"),
                  ("founders_profile.csv", 1, "stage", None, "missing_column")],
        fr="vouliez-vous dire « Démarche » ?"),
    "value_without_header": dict(
        after=_write_text("founders_profile.csv",
                          "founder_id,stage\nF01,creation\nF02,development,Bien-être, sophrologie\n"),
        expected=[("founders_profile.csv", 3, "", "Bien-être", "unknown_column"),
                  ("founders_profile.csv", 3, "", " sophrologie", "unknown_column")],
        fr="cellule C3 sans en-tête"),
    "missing_column": dict(
        mutate=_drop_column("learners_profile", "status"),
        expected=[("learners_profile.csv", 1, "status", None, "missing_column")],
        fr="une colonne « status » (ou « Statut en fin de session »)"),
    "duplicate_column": dict(
        after=_write_text("founders_profile.csv",
                          "founder_id,stage,Démarche\nF01,creation,creation\nF02,development,\n"),
        expected=[("founders_profile.csv", 1, "Démarche", None, "duplicate_column")],
        fr="une seule colonne « stage »"),
    # values
    "invalid_value": dict(
        mutate=_set("learners_profile", 1, "gender", "peut-être"),
        expected=[("learners_profile.csv", 3, "gender", "peut-être", "invalid_value")],
        fr="l'un des codes « f », « m », « x » ou des libellés « Femme », « Homme »",
        en='one of the codes "f", "m", "x" or of the labels "Woman", "Man"'),
    "invalid_ordinal_label": dict(
        mutate=_set("learners_exit", 0, "motivation", "bof"),
        expected=[("learners_exit.csv", 2, "motivation", "bof", "invalid_value")],
        fr="un code entre 1 et 4"),
    "out_of_range_ordinal": dict(
        mutate=_set("learners_entry", 3 - 2, "ses_03", "7"),
        expected=[("learners_entry.csv", 3, "ses_03", "7", "out_of_range")],
        fr="un code entre 1 et 4 ou l'un des libellés « Tout à fait en désaccord », "
           "« Plutôt en désaccord », « Plutôt en accord », « Tout à fait en accord »",
        en='a code from 1 to 4 or one of the labels "Strongly disagree", "Disagree", "Agree", '
           '"Strongly agree"'),
    "out_of_range_integer": dict(
        mutate=_set("learners_profile", 0, "months_unemployed", "700"),
        expected=[("learners_profile.csv", 2, "months_unemployed", "700", "out_of_range")],
        fr="un nombre entier entre 0 et 600", en="a whole number from 0 to 600"),
    "out_of_range_number": dict(
        mutate=_set("founders_exit", 1, "annual_revenue", "-1 500,00 €"),
        expected=[("founders_exit.csv", 3, "annual_revenue", "-1 500,00 €", "out_of_range")],
        fr="un nombre entre 0 et 1 000 000 000"),
    "wrong_type_number": dict(
        mutate=_set("learners_profile", 2, "months_unemployed", "douze"),
        expected=[("learners_profile.csv", 4, "months_unemployed", "douze", "wrong_type")],
        fr="un nombre entier"),
    "wrong_type_decimal_in_integer": dict(
        mutate=_set("learners_profile", 2, "months_unemployed", "12,5"),
        expected=[("learners_profile.csv", 4, "months_unemployed", "12,5", "wrong_type")],
        fr="un nombre entier"),
    "wrong_type_date": dict(
        mutate=_set("founders_entry", 0, "response_date", "31/02/2022"),
        expected=[("founders_entry.csv", 2, "response_date", "31/02/2022", "impossible_date")],
        fr="une date qui existe au calendrier, au format AAAA-MM-JJ ou JJ/MM/AAAA",
        en="a date that exists in the calendar, as YYYY-MM-DD or DD/MM/YYYY"),
    "missing_value": dict(
        mutate=_set("learners_profile", 2, "status", "  "),
        expected=[("learners_profile.csv", 4, "status", "  ", "missing_value")],
        fr="cette colonne ne peut pas rester vide"),
    "missing_id": dict(
        mutate=_set("founders_entry", 1, "founder_id", ""),
        expected=[("founders_entry.csv", 3, "founder_id", "", "missing_value")],
        fr="un identifiant de participant"),
    # ids
    "duplicate_id": dict(
        mutate=_set("learners_entry", 2, "learner_id", "L01"),
        expected=[("learners_entry.csv", 4, "learner_id", "L01", "duplicate_id")],
        fr="déjà présent ligne 2", en="already on row 2"),
    "unknown_learner_id": dict(
        mutate=_set("learners_exit", 1, "learner_id", "L09"),
        expected=[("learners_exit.csv", 3, "learner_id", "L09", "unknown_id")],
        fr="un identifiant présent dans learners_profile.csv"),
    "unknown_founder_id": dict(
        mutate=_set("founders_entry", 0, "founder_id", "L01"),
        expected=[("founders_entry.csv", 2, "founder_id", "L01", "unknown_id")],
        fr="un identifiant présent dans founders_profile.csv"),
    "unknown_followup_id": dict(
        mutate=_set("followup", 1, "learner_id", "L7"),
        expected=[("followup.csv", 3, "learner_id", "L7", "unknown_id")],
        fr="learners_profile.csv"),
    "unknown_testimony_id": dict(
        mutate=_set("testimonies", 2, "participant_id", "X99"),
        expected=[("testimonies.csv", 4, "participant_id", "X99", "unknown_id")],
        fr="learners_profile.csv ou founders_profile.csv",
        en="learners_profile.csv or founders_profile.csv"),
    "population_mismatch": dict(
        mutate=_set("testimonies", 1, "population", "Apprenant"),
        expected=[("testimonies.csv", 3, "population", "Apprenant", "population_mismatch")],
        fr="F01 est dans founders_profile.csv"),
    "id_both_learner_and_founder": dict(
        mutate=lambda rows, f: rows["founders_profile"].append(
            dict(founder_id="L03", stage="creation", sector="")),
        expected=[("founders_profile.csv", 4, "founder_id", "L03", "duplicate_id")],
        fr="distinct de ceux des apprenants"),
    # dates
    "exit_before_entry": dict(
        mutate=_set("learners_exit", 0, "response_date", "10/03/2022"),
        expected=[("learners_exit.csv", 2, "response_date", "10/03/2022", "date_order")],
        fr="questionnaire d'entrée (14/03/2022, learners_entry.csv ligne 2)",
        en="entry questionnaire's response (2022-03-14, learners_entry.csv row 2)"),
    "founder_exit_before_entry": dict(
        mutate=_set("founders_exit", 1, "response_date", "2022-03-15"),
        expected=[("founders_exit.csv", 3, "response_date", "2022-03-15", "date_order")],
        fr="founders_entry.csv ligne 3"),
    "followup_before_exit": dict(
        mutate=_set("followup", 0, "response_date", "2022-07-01"),
        expected=[("followup.csv", 2, "response_date", "2022-07-01", "date_order")],
        fr="questionnaire de sortie (04/07/2022, learners_exit.csv ligne 2)"),
    "date_before_session": dict(
        mutate=_set("learners_entry", 0, "response_date", "2021-03-14"),
        expected=[("learners_entry.csv", 2, "response_date", "2021-03-14", "date_out_of_session")],
        fr="une date entre le 11/02/2022 et le 08/01/2023",
        en="a date from 2022-02-11 to 2023-01-08"),
    "followup_long_after_session": dict(
        mutate=_set("followup", 0, "response_date", "2032-10-10"),
        expected=[("followup.csv", 2, "response_date", "2032-10-10", "date_out_of_session")],
        fr="une date entre le 08/07/2022 et le 08/01/2023"),
    # cells of one row that contradict each other
    "followup_no_answer_with_situation": dict(
        mutate=_set("followup", 1, "situation", "job_seeker"),
        expected=[("followup.csv", 3, "situation", "job_seeker", "contradictory_values")],
        fr="une cellule vide : L02 n'a pas répondu (responded = no sur cette ligne)",
        en="an empty cell: L02 did not answer (responded = no on this row)"),
    "followup_no_answer_with_digital_sector": dict(
        mutate=lambda rows, f: rows["followup"][1].update(responded="Non", digital_sector="oui"),
        expected=[("followup.csv", 3, "digital_sector", "oui", "contradictory_values")],
        fr="L02 n'a pas répondu (responded = Non sur cette ligne)"),
    "followup_no_answer_with_both": dict(
        mutate=lambda rows, f: rows["followup"][1].update(situation="cdi", digital_sector="yes"),
        expected=[("followup.csv", 3, "situation", "cdi", "contradictory_values"),
                  ("followup.csv", 3, "digital_sector", "yes", "contradictory_values")]),
    "followup_answer_without_situation": dict(
        mutate=lambda rows, f: rows["followup"][0].update(responded="oui", situation=" "),
        expected=[("followup.csv", 2, "situation", " ", "contradictory_values")],
        fr="la situation donnée par L01 au suivi (un code du dictionnaire des données), puisque "
           "responded = oui sur cette ligne ; sans réponse, écrivez responded = no",
        en="the situation L01 gave at follow-up"),
    "dropout_reason_when_completed": dict(
        mutate=_set("learners_profile", 1, "dropout_reason", "health"),
        expected=[("learners_profile.csv", 3, "dropout_reason", "health",
                   "contradictory_values")],
        fr="un motif d'abandon va avec status = dropped_out, et cette ligne indique status = "
           "completed"),
    "revenue_without_business": dict(
        mutate=lambda rows, f: rows["founders_exit"][0].update(business_created="non",
                                                               annual_revenue="8 000"),
        expected=[("founders_exit.csv", 2, "annual_revenue", "8 000", "contradictory_values")],
        fr="une cellule vide ou 0 : l'entreprise n'est pas créée (business_created = non sur "
           "cette ligne)",
        en="an empty cell or 0: the business is not created (business_created = non on this "
           "row)"),
    "dropped_out_with_exit": dict(
        mutate=lambda rows, f: rows["learners_profile"][1].update(status="dropped_out",
                                                                  dropout_reason="health"),
        expected=[("learners_exit.csv", 3, "learner_id", "L02", "contradictory_values")],
        fr="L02 a abandonné (status = dropped_out, learners_profile.csv ligne 3)",
        en="L02 dropped out (status = dropped_out, learners_profile.csv row 3), and a learner "
           "who dropped out has no exit questionnaire"),
    "dropped_out_in_french_with_exit": dict(
        mutate=lambda rows, f: rows["learners_profile"][0].update(status="Abandonné"),
        # L01's exit questionnaire and exit testimony both contradict it
        expected=[("learners_exit.csv", 2, "learner_id", "L01", "contradictory_values"),
                  ("testimonies.csv", 2, "participant_id", "L01", "contradictory_values")],
        fr="(status = Abandonné, learners_profile.csv ligne 2)"),
    "digital_sector_out_of_activity": dict(
        mutate=_set("followup", 0, "situation", "job_seeker"),
        expected=[("followup.csv", 2, "digital_sector", "yes", "contradictory_values")],
        fr="le secteur numérique se demande d'un emploi ou d'une formation",
        en="the digital sector is asked of a job or a training"),
    "exit_testimony_of_a_dropout": dict(
        mutate=_set("testimonies", 0, "participant_id", "L03"),
        expected=[("testimonies.csv", 2, "participant_id", "L03", "contradictory_values")],
        fr="L03 a abandonné (status = dropped_out, learners_profile.csv ligne 4)"),
    "followup_testimony_of_a_non_respondent": dict(
        mutate=_set("testimonies", 2, "participant_id", "L02"),
        expected=[("testimonies.csv", 4, "participant_id", "L02", "contradictory_values")],
        fr="L02 n'a pas répondu (responded = no, followup.csv ligne 3)",
        en="the id of a learner who answered the follow-up"),
    "developing_founder_without_business": dict(
        mutate=_set("founders_entry", 1, "business_created", "non"),
        expected=[("founders_entry.csv", 3, "business_created", "non", "contradictory_values")],
        fr="F02 développe une entreprise (stage = development, founders_profile.csv ligne 3)"),
    # session.yml
    "meta_missing": dict(
        after=lambda f: (f / "session.yml").unlink(),
        expected=[("session.yml", None, None, None, "missing_file")],
        fr="un fichier session.yml"),
    "meta_not_yaml": dict(
        after=lambda f: (f / "session.yml").write_text("name: a\nstart_date: [2022\n"),
        expected=[("session.yml", 3, None, None, "unreadable_file")],
        fr="un fichier YAML valide"),
    "meta_bad_values": dict(
        meta={**META, "data_kind": "inventé", "followup_months": "trois",
              "end_date": dt.date(2022, 1, 1), "territory": ""},
        expected=[("session.yml", 3, "end_date", "2022-01-01", "date_order"),
                  ("session.yml", 4, "followup_months", "trois", "wrong_type"),
                  ("session.yml", 6, "territory", "", "missing_value"),
                  ("session.yml", 7, "data_kind", "inventé", "invalid_value")],
        fr="une date égale ou postérieure à start_date (14/03/2022)"),
    "meta_missing_key": dict(
        meta={k: val for k, val in META.items() if k != "programme"},
        expected=[("session.yml", None, "programme", None, "missing_value")],
        fr="une clé « programme » renseignée", en='a "programme" key with a value'),
    "meta_unknown_neutralised_situation": dict(
        meta={**META, "neutralised_situations": ["deceased", "vacances"]},
        expected=[("session.yml", 9, "neutralised_situations", "vacances", "invalid_value")],
        fr="une liste de codes de situation parmi « cdi »"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_kind_of_problem(folder, case):
    spec = CASES[case]
    rows = session_rows()
    if "mutate" in spec:
        spec["mutate"](rows, folder)
    write_session(folder, rows, spec.get("meta"), skip=spec.get("skip", ()))
    if "after" in spec:
        spec["after"](folder)
    problems = v.validate_session(folder)
    assert triples(problems) == spec["expected"], v.format_problems(problems)
    for p in problems:
        check_messages(p)
    first = problems[0]
    if "fr" in spec:
        assert spec["fr"] in first.message("fr"), first.message("fr")
    if "en" in spec:
        assert spec["en"] in first.message("en"), first.message("en")


def test_example_message_of_the_brief(folder):
    rows = session_rows()
    rows["learners_entry"][3 - 2]["ses_03"] = "7"
    write_session(folder, rows)
    (p,) = v.validate_session(folder)
    assert p.message() == (
        "learners_entry.csv, ligne 3, colonne « ses_03 » : valeur hors limites, valeur « 7 » — "
        "attendu : un code entre 1 et 4 ou l'un des libellés « Tout à fait en désaccord », "
        "« Plutôt en désaccord », « Plutôt en accord », « Tout à fait en accord »")
    assert p.message("en") == (
        'learners_entry.csv, row 3, column "ses_03": value out of range, value "7" — expected: '
        'a code from 1 to 4 or one of the labels "Strongly disagree", "Disagree", "Agree", '
        '"Strongly agree"')
    assert p.item == "ses_03"


def test_file_level_message(folder):
    write_session(folder, skip=("learners_entry",))
    (p,) = v.validate_session(folder)
    assert p.message() == (
        "learners_entry : fichier manquant — attendu : un fichier learners_entry.csv ou "
        "learners_entry.xlsx (Apprenants — questionnaire d'entrée)")
    assert p.message("en") == (
        "learners_entry: missing file — expected: a file learners_entry.csv or "
        "learners_entry.xlsx (Learners — entry questionnaire)")


def test_columns_are_named_as_typed_by_the_user(folder):
    rows = session_rows()
    rows["learners_entry"][0]["ses_03"] = "souvent"
    write_session(folder, rows, headers="fr", ext=".xlsx")
    (p,) = v.validate_session(folder)
    assert (p.file, p.row, p.value, p.kind, p.item) == (
        "learners_entry.xlsx", 2, "souvent", "invalid_value", "ses_03")
    assert p.column == cb.LEARNERS_ENTRY.item("ses_03").label_fr
    check_messages(p)


def test_three_errors_in_a_file_give_three_problems(folder):
    rows = session_rows()
    rows["learners_profile"][0]["gender"] = "?"
    rows["learners_profile"][1]["months_unemployed"] = "beaucoup"
    rows["learners_profile"][2]["status"] = ""
    write_session(folder, rows)
    problems = v.validate_session(folder)
    assert triples(problems) == [
        ("learners_profile.csv", 2, "gender", "?", "invalid_value"),
        ("learners_profile.csv", 3, "months_unemployed", "beaucoup", "wrong_type"),
        ("learners_profile.csv", 4, "status", "", "missing_value"),
    ]


def test_all_problems_of_all_files_are_listed_together(folder):
    rows = session_rows()
    rows["learners_profile"][0]["gender"] = "?"
    rows["learners_entry"][0]["ses_01"] = "0"
    rows["learners_entry"][0]["ses_02"] = "9"
    rows["learners_entry"][1]["learner_id"] = "L01"
    rows["founders_exit"][0]["response_date"] = "demain"
    rows["testimonies"][0]["consent_quote"] = ""
    meta = {**META, "data_kind": "?"}
    write_session(folder, rows, meta, skip=("founders_entry",))
    (folder / "learners_exit.csv").write_text("learner_id\n", encoding="utf-8")  # pending
    problems = v.validate_session(folder)
    kinds = [(p.file, p.kind) for p in problems]
    assert kinds[:4] == [
        ("session.yml", "invalid_value"),
        ("learners_profile.csv", "invalid_value"),
        ("learners_entry.csv", "out_of_range"),
        ("learners_entry.csv", "out_of_range"),
    ]
    assert ("learners_entry.csv", "duplicate_id") in kinds
    assert not [k for k in kinds if k[0].startswith("learners_exit")]  # pending, not a problem
    assert ("founders_entry", "missing_file") in kinds
    assert ("founders_exit.csv", "wrong_type") in kinds
    assert ("testimonies.csv", "missing_value") in kinds
    with pytest.raises(ValidationError) as err:
        fio.read_session(folder)
    text = str(err.value)
    assert text.startswith(f"{len(problems)} problèmes dans les données :")
    assert len(text.splitlines()) == len(problems) + 1
    assert err.value.format("en").startswith(f"{len(problems)} problems found in the data:")
    assert v.format_problems(problems, "en").count("\n") == len(problems) - 1
    assert v.summary_line(folder) == f"Session 2099 non valide : {len(problems)} problèmes."
    assert v.summary_line(folder, "en") == f"Session 2099 is not valid: {len(problems)} problems."


def test_missing_session_folder(tmp_path):
    problems = v.validate_session(tmp_path / "nope")
    assert {p.kind for p in problems} == {"missing_file"}
    for p in problems:
        assert p.message() and p.message("en")


def test_a_cell_in_error_is_reported_once(folder):
    rows = session_rows()
    rows["learners_profile"][0]["status"] = "fini"  # not nullable and not recognised
    rows["learners_entry"][0]["learner_id"] = " "  # key, not nullable
    write_session(folder, rows)
    assert triples(v.validate_session(folder)) == [
        ("learners_profile.csv", 2, "status", "fini", "invalid_value"),
        ("learners_entry.csv", 2, "learner_id", " ", "missing_value"),
    ]


def test_testimonies_may_repeat_a_participant(folder):
    rows = session_rows()
    rows["testimonies"].append(dict(rows["testimonies"][0]))
    write_session(folder, rows)
    assert v.validate_session(folder) == []


def test_build_schema_accepts_a_typed_table(folder):
    write_session(folder)
    data = fio.read_session(folder)
    for name, table in data.tables.items():
        schema, _ = v.build_schema(cb.INSTRUMENTS[name])
        schema.validate(table)
        assert v.table_problems(table, cb.INSTRUMENTS[name]) == []
    bad = data.tables["learners_entry"].copy()
    bad.loc[0, "ses_05"] = 5
    (p,) = v.table_problems(bad, cb.LEARNERS_ENTRY, "learners_entry.csv")
    assert (p.row, p.column, p.value, p.kind) == (2, "ses_05", "5", "out_of_range")


def test_problem_and_error_without_row_or_value():
    p = Problem("learners_entry.csv", None, None, None, "quelque chose", "empty_file", "something")
    assert p.message() == "learners_entry.csv : fichier vide — attendu : quelque chose"
    assert p.message("en") == "learners_entry.csv: empty file — expected: something"
    e = ValidationError([p], lang="en")
    assert str(e) == "1 problem found in the data:\n" + p.message("en")
    back = pickle.loads(pickle.dumps(e))  # batch runs send errors between processes
    assert back.problems == [p] and str(back) == str(e)


# --------------------------------------------------------------------------------------------
# Whatever the bytes in a file, problems are reported and nothing raises
# --------------------------------------------------------------------------------------------


@given(st.one_of(
    st.binary(max_size=300),
    st.text(alphabet=st.sampled_from(list("L01,;\t\"\n\r é’·?-x3 ")), max_size=200),
    st.lists(st.lists(st.text(max_size=8), min_size=1, max_size=9), min_size=1, max_size=5).map(
        lambda rows: "learner_id,gender,status,rqth\n" + "\n".join(",".join(r) for r in rows)),
))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_garbage_never_raises(tmp_path, content):
    folder = tmp_path / "fuzz"
    if not folder.exists():
        write_session(folder)
    path = folder / "learners_profile.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    problems = v.validate_session(folder)
    assert all(isinstance(p, Problem) for p in problems)
    assert v.format_problems(problems) is not None
    assert v.format_problems(problems, "en") is not None


def test_garbage_xlsx_cells_never_raise(folder):
    write_session(folder, skip=("learners_profile",))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["learner_id", "gender", "months_unemployed", "rqth", "status", "Genre"])
    ws.append(["L01", 3.5, dt.datetime(2022, 1, 1), "#N/A", True, None])
    ws.append([1e300, dt.time(10, 0), "=1/0", 12, "completed", "f"])
    wb.save(folder / "learners_profile.xlsx")
    problems = v.validate_session(folder)
    assert problems and all(isinstance(p, Problem) for p in problems)
    kinds = {p.kind for p in problems}
    assert {"invalid_value", "wrong_type", "duplicate_column", "missing_column"} <= kinds


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_yes_no_column_says_every_spelling_it_takes(lang):
    """Round 24, F14: the consent to quote took ``o``, ``1``, ``true`` while its message listed
    only yes and no. The message now lists every spelling, and each one listed is read as its
    answer (checked by the reader, not by the message's own list)."""
    import re

    from fac_eval.data import io as fio
    from fac_eval.data.validation_problems import expected_text

    item = cb.INSTRUMENTS["testimonies"].item("consent_quote")
    text = expected_text(item, lang)
    yes, no = re.search(r"\((?:also written|aussi écrits) (.*) ?; (?:or|ou) (.*)\)", text).groups()
    for answer, spellings in (("yes", yes), ("no", no)):
        for spelling in spellings.strip().split(", "):
            assert fio.match_choice(item, spelling) == answer, spelling
    assert {"o", "1", "true", "vrai"} <= set(yes.strip().split(", "))
    assert text.startswith("« Oui » ou « Non »" if lang == "fr" else '"Yes" or "No"')
    assert fio.match_choice(item, "peut-être") is None
