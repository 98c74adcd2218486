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
