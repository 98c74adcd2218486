"""Issue 10, attacker round 19 (3 December), the personal data that reached a published report:

1. a French phone number read aloud in English pairs ("zero six, twelve, thirty-four, fifty-six,
   seventy-eight"), as French number words and English digits already were;
2. a listed name written with digits for letters ("S0phie", "Mart1n") or run together with its
   last word first ("MartinSophie");
3. a dwelling told by its parts without a postcode ("résidence les Tilleuls, bât. B,
   appartement 12").

Each through the one detector (:func:`fac_eval.disclosure.pii.find_pii`) that validation,
scrubbing and the leak scan share, with variants, ordinary texts that must stay text, and a run
through the CLI as a user runs it.
"""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest
from conftest import REPO

from fac_eval.data import validation
from fac_eval.disclosure import gate, pii, privacy

NAMES = ("Sophie Martin", "Marie Dupont", "Jean Petit")


@pytest.fixture(scope="module")
def names(tmp_path_factory):
    path = tmp_path_factory.mktemp("names") / "noms.txt"
    path.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    return privacy.load_names(path)


def found(text, names=(), kind=None):
    return [f.text for f in pii.find_pii(text, names=names) if kind is None or f.kind == kind]


# ---- 1. phone numbers in English words -------------------------------------------------------

@pytest.mark.parametrize("text, phone", [
    ("Appelez-moi au zero six, twelve, thirty-four, fifty-six, seventy-eight.",
     "zero six, twelve, thirty-four, fifty-six, seventy-eight"),
    ("call oh six twelve thirty four fifty six seventy eight",
     "oh six twelve thirty four fifty six seventy eight"),
    ("my mobile: six twelve thirty-four fifty-six seventy-eight",
     "six twelve thirty-four fifty-six seventy-eight"),
    ("plus thirty-three six twelve thirty-four fifty-six seventy-eight",
     "plus thirty-three six twelve thirty-four fifty-six seventy-eight"),
    ("zero one, forty, ninety-nine, eleven, twenty", "zero one, forty, ninety-nine, eleven, twenty"),
    ("zero six 12 thirty-four 56 78", "zero six 12 thirty-four 56 78"),
])
def test_phone_numbers_read_in_english_pairs(text, phone):
    assert found(text, kind="phone") == [phone]


@pytest.mark.parametrize("text", [
    "I have twelve learners and thirty founders, fifty-six hours of training.",
    "twenty twenty-four was a good year",
    "Session of sixty hours, twelve weeks, four founders.",
    "one two three, and four five six",
])
def test_english_counts_are_not_phone_numbers(text):
    assert found(text, kind="phone") == []


# ---- 2. names with digits for letters, or last word first ------------------------------------

@pytest.mark.parametrize("text, name", [
    ("Merci à S0phie pour son aide.", "S0phie"),
    ("Merci à Soph1e.", "Soph1e"),
    ("et à Mart1n", "Mart1n"),
    ("Dup0nt m'a aidé", "Dup0nt"),
    ("M4rie était là", "M4rie"),
    ("MartinSophie pour tout", "MartinSophie"),
    ("DUPONT Marie", "DUPONT Marie"),
    ("dupont-marie", "dupont-marie"),
    ("P3tit vient", "P3tit"),
    ("M.4.r.i.e", "M.4.r.i.e"),
])
def test_a_listed_name_in_disguise_is_found(names, text, name):
    assert found(text, names, "name") == [name]


@pytest.mark.parametrize("text", [
    "un petit groupe de 8 apprenants", "le 1er mars 2024", "en 2024 le groupe", "Sophie5",
    "les 3 porteurs", "Soph", "M4rtine",
])
def test_ordinary_texts_near_the_names_stay_text(names, text):
    assert found(text, names, "name") == []


# ---- 3. a dwelling told by its parts -----------------------------------------------------------

@pytest.mark.parametrize("text, address", [
    ("Je loge résidence les Tilleuls, bât. B, appartement 12, à Ambérieu.",
     "résidence les Tilleuls, bât. B, appartement 12"),
    ("bâtiment C escalier 2", "bâtiment C escalier 2"),
    ("apt 4, résidence du Parc", "apt 4, résidence du Parc"),
    ("Résidence Les Pins - Bat. 3 - Appt 21", "Résidence Les Pins - Bat. 3 - Appt 21"),
])
def test_a_dwelling_by_its_parts_is_an_address(text, address):
    assert found(text, kind="address") == [address]


@pytest.mark.parametrize("text", [
    "Il a trouvé un logement à Lyon.", "ma résidence principale est loin",
    "la porte était ouverte, au premier étage", "résidence Les Pins",
    "Trois logements ont été visités.",
])
def test_a_single_dwelling_word_is_not_an_address(text):
    assert found(text, kind="address") == []


# ---- Validation, the gate and a run through the CLI ------------------------------------------

SECRETS = [
    ("Appelez-moi au zero six, twelve, thirty-four, fifty-six, seventy-eight.",
     "numéro de téléphone"),
    ("Je loge résidence les Tilleuls, bât. B, appartement 12, à Ambérieu.", "adresse postale"),
]


@pytest.mark.parametrize("secret, what", SECRETS)
def test_validation_refuses_them_in_a_testimony(tmp_path, secret, what):
    folder = tmp_path / "raw" / "s19"
    shutil.copytree(REPO / "data" / "raw" / "synth-2024", folder)
    path = folder / "testimonies.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[0, "text"] = secret
    df.to_csv(path, index=False)
    problems = [p for p in validation.validate_session(folder) if p.kind == "direct_identifier"]
    msg = validation.format_problems(problems)
    assert (f"testimonies.csv, ligne 2, colonne « text » : donnée directement identifiante "
            f"({what}, valeur masquée)") in msg, msg
    assert found(secret)[0] not in msg


def test_the_gate_refuses_a_disguised_name(names):
    html = "<html><body><p>« Merci à S0phie et à MartinSophie. »</p></body></html>"
    with pytest.raises(gate.LeakError) as err:
        gate.gate("rapport_s.html", html, [], names)
    assert sorted(lk.kind for lk in err.value.leaks) == ["name", "name"]
    assert "S0phie" not in str(err.value) and "MartinSophie" not in str(err.value)


def test_a_run_scrubs_disguised_names_from_every_published_file(tmp_path, main_cli):
    raw, processed, reports = tmp_path / "raw", tmp_path / "processed", tmp_path / "reports"
    folder = raw / "s19"
    shutil.copytree(REPO / "data" / "raw" / "synth-2024", folder)
    path = folder / "testimonies.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    consenting = df.index[df["consent_quote"] == "yes"]
    df.loc[consenting[0], "text"] = "Merci à S0phie et à Mart1n pour leur aide."
    df.loc[consenting[1], "text"] = "Merci à MartinSophie et à M4rie Dup0nt pour tout."
    df.to_csv(path, index=False)
    names_file = tmp_path / "noms.txt"
    names_file.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    code, out, err = main_cli("run", "s19", env={
        "FAC_EVAL_RAW": str(raw), "FAC_EVAL_PROCESSED": str(processed),
        "FAC_EVAL_REPORTS": str(reports), "FAC_EVAL_NAMES_FILE": str(names_file)})
    assert code == 0, out + err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    html = (reports / "s19" / "rapport_s19.html").read_text(encoding="utf-8")
    for disguised in ("S0phie", "Mart1n", "MartinSophie", "M4rie", "Dup0nt"):
        assert disguised not in html
    assert "Merci à" in html  # the quotes are published, with the names masked
    listed = privacy.load_names(names_file)
    ids = (pd.read_csv(folder / "learners_profile.csv", dtype=str)["learner_id"].tolist()
           + pd.read_csv(folder / "founders_profile.csv", dtype=str)["founder_id"].tolist())
    for p in (reports / "s19").iterdir():
        if p.suffix in (".html", ".xlsx"):
            assert gate.scan(p.name, p.read_bytes(), ids, listed) == [], p.name
    assert os.path.exists(processed / "s19" / "indicators.csv")


# ---- 5. a questionnaire present under another name is never left unread ---------------------

def _session(tmp_path, name="s5"):
    folder = tmp_path / "raw" / name
    shutil.copytree(REPO / "data" / "raw" / "synth-2024", folder)
    return folder


def _file_problems(folder):
    return [p for p in validation.validate_session(folder)
            if p.kind in ("misnamed_file", "missing_file")]


@pytest.mark.parametrize("new_name", ["suivi.csv", "Suivi à 3 mois.csv", "export_2024.csv"])
def test_a_follow_up_under_another_name_is_named(tmp_path, new_name):
    folder = _session(tmp_path)
    (folder / "followup.csv").rename(folder / new_name)
    probs = _file_problems(folder)
    assert [p.file for p in probs] == [new_name]
    assert "followup.csv" in probs[0].expected and "13" in probs[0].expected


def test_a_follow_up_workbook_under_another_name_is_named(tmp_path):
    folder = _session(tmp_path)
    df = pd.read_csv(folder / "followup.csv", dtype=str, keep_default_na=False)
    (folder / "followup.csv").unlink()
    df.to_excel(folder / "resultats_suivi.xlsx", index=False)
    assert [p.file for p in _file_problems(folder)] == ["resultats_suivi.xlsx"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_filled_template_left_in_modeles_is_named(tmp_path, suffix):
    folder = _session(tmp_path)
    (folder / "modeles").mkdir()
    df = pd.read_csv(folder / "followup.csv", dtype=str, keep_default_na=False)
    (folder / "followup.csv").unlink()
    if suffix == ".csv":
        df.to_csv(folder / "modeles" / "followup.csv", index=False)
    else:
        df.to_excel(folder / "modeles" / "followup.xlsx", index=False)
    probs = _file_problems(folder)
    assert [p.file for p in probs] == [f"modeles/followup{suffix}"]
    assert probs[0].expected_en.startswith("followup.csv or followup.xlsx")
    assert "move it next to the other files" in probs[0].expected_en


def test_new_sessions_empty_template_in_modeles_is_not_a_problem(tmp_path):
    from fac_eval.data import entry_templates

    made = entry_templates.new_session(tmp_path / "fresh")
    folder = _session(tmp_path)
    (folder / "followup.csv").unlink()
    (folder / "modeles").mkdir()
    shutil.copy(next(p for p in made if p.parent.name == "modeles"), folder / "modeles")
    assert _file_problems(folder) == []


def test_a_follow_up_file_beside_the_real_one_or_an_unrelated_table_is_not_a_problem(tmp_path):
    folder = _session(tmp_path)
    (folder / "notes.csv").write_text("date,remarque\n2024-03-01,réunion\n", encoding="utf-8")
    (folder / "modeles").mkdir()
    shutil.copy(folder / "followup.csv", folder / "modeles" / "followup.csv")  # a copy
    assert _file_problems(folder) == []


def test_a_pending_exit_under_another_name_is_named(tmp_path):
    folder = _session(tmp_path)
    (folder / "learners_exit.csv").rename(folder / "sortie apprenants.csv")
    probs = _file_problems(folder)
    assert [p.file for p in probs] == ["sortie apprenants.csv"]
    assert "learners_exit.csv" in probs[0].expected


def test_validate_names_it_through_the_cli(tmp_path, main_cli):
    folder = _session(tmp_path)
    (folder / "followup.csv").rename(folder / "suivi.csv")
    code, out, err = main_cli("validate", "s5", env={
        "FAC_EVAL_RAW": str(tmp_path / "raw"), "FAC_EVAL_PROCESSED": str(tmp_path / "p"),
        "FAC_EVAL_REPORTS": str(tmp_path / "r")})
    assert code == 1
    assert "suivi.csv : nom de fichier non reconnu — attendu : followup.csv ou followup.xlsx" \
        in out + err
    assert not (tmp_path / "p").exists() or not any((tmp_path / "p").iterdir())
