"""Guarantee 4 (one detector of personal data): the forms an outside tester got past
validation, scrubbing and the leak scan, each with variants, next to the honest text that must
stay text; and the whole chain on one of them (validate refuses it naming file, row and column).

- phone numbers grouped 2-4-4 with dashes, slashes or underscores (``06-1234-5678``), the area
  code in brackets (``(06) 12 34 56 78``), letters for digits beyond I/l/O (``S6`` for ``56``;
  never a hexadecimal letter);
- addresses without a postcode on a square ("12 place du Marché"), a ``ruelle``, "au 14 de la
  rue …", the number after the street ("rue Jean Jaurès, au 14"), the number in words, a post
  office box or a named place with a postcode;
- dates of birth said "je suis du 3 mars 1980" or as a birthday with the age ("j'ai fêté mes 40
  ans le 3 mars 2020");
- a NIR without its key (13 characters, a calendar month);
- e-mails with a doubled ``@`` or a quoted local part;
- a participant named by role and number ("l'apprenant numéro 3" for A03), when the roster has
  that number for that role.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from _guarantees import REPO, make_project, run_cli
from pii_support import found

FOUND = [
    ("mon 06-1234-5678", "phone"), ("tél. 06/1234/5678", "phone"), ("0612-345-678", "phone"),
    ("06_12_34_56_78", "phone"), ("(06) 12 34 56 78", "phone"), ("( 04 ) 74.12.34.56", "phone"),
    ("(07)12345678", "phone"), ("O6 I2 34 S6 78", "phone"), ("06 S4 32 I0 89", "phone"),
    ("0Z 12 34 56 78", "phone"),
    ("12 place du Marché à Ambérieu", "address"), ("rendez-vous au 12 place de la Mairie", "address"),
    ("venez au 2 ruelle du Four", "address"), ("au 5 venelle des Près", "address"),
    ("j'habite au 14 de la rue Jean Jaurès", "address"), ("j'habite au 3 du chemin Vert", "address"),
    ("j'habite rue Jean Jaurès, au 14", "address"), ("avenue Foch, n° 12", "address"),
    ("j'habite au quatorze rue Jean Jaurès", "address"), ("au vingt-deux avenue Foch", "address"),
    ("BP 12 01500 Ambérieu", "address"), ("boite postale 7, 01000 Bourg", "address"),
    ("lieu-dit Les Granges 01500 Ambérieu", "address"), ("hameau de Vaux, 01150 Lagnieu", "address"),
    ("je suis du 3 mars 1980", "birth_date"), ("moi je suis du 12/05/1975", "birth_date"),
    ("j'ai fêté mes 40 ans le 3 mars 2020", "birth_date"),
    ("elle a fêté ses 30 ans le 14 juillet", "birth_date"),
    ("NIR 2850501006084", "nir"), ("sécu : 1 85 05 01 006 084", "nir"),
    ("marie.dupont@@gmail.com", "email"), ('"marie dupont"@gmail.com', "email"),
    ("écrire à « jean paul »@laposte.net", "email"),
]

HONEST = [
    "il y a 2 places de parking", "3 places du cinéma étaient libres",
    "nous étions 12 sur la place du village", "du 3 mars 2024 au 5 avril nous étions en stage",
    "je suis du matin", "j'ai 40 ans", "pendant mes 2 ans de formation le 3 mars 2020 j'ai fini",
    "la salle S2 à 14 h", "le lot B2 coûte 12 000 €", "code 1234567890123", "le 01-02-2023",
    "en 2022, 12 500 €", "la rue principale est belle", "BP 2024", "le ticket 2850501006084321",
    "06 ans", "environ 0,5 %", "de 10 à 12 h, place du marché", "2 cours de maths par semaine",
    "la formation dure 12-15 semaines", "version 06-12-2024", "rendez-vous le 2 au café",
    "j'ai fêté mes 40 ans avec l'équipe", "la route est longue", "au 3e étage",
]


@pytest.mark.parametrize("text, kind", FOUND)
def test_the_testers_forms_and_their_variants_are_found(text, kind):
    assert [k for k, _ in found(text)] == [kind], (text, found(text))


@pytest.mark.parametrize("text", HONEST)
def test_honest_text_stays_text(text):
    assert found(text) == [], text


@pytest.mark.parametrize("text, kind", [
    ("Marie m'a aidée, son numéro : 06-1234-5678", "phone"),
    ("On se retrouve au 12 place du Marché", "address"),
    ("Je suis du 3 mars 1980, j'ai appris vite", "birth_date"),
])
def test_validate_refuses_them_in_a_testimony(tmp_path, monkeypatch, capsys, text, kind):
    proj = make_project(tmp_path, monkeypatch, sessions=())
    folder = proj.raw / "s-quote"
    shutil.copytree(REPO / "data" / "raw" / "synth-2024", folder)
    path = folder / "testimonies.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.loc[0, "text"] = text
    df.to_csv(path, index=False)
    code, out, err = run_cli(capsys, "validate", "s-quote")
    words = (out + err).replace("\u202f", " ").replace("\u00a0", " ")
    assert code == 1, words
    assert "testimonies.csv" in words and "ligne 2" in words and "text" in words, words
    assert text.split()[-1] not in words or kind == "birth_date"  # the value is masked


@pytest.mark.parametrize("text, value", [
    ("l'apprenant numéro 3 m'a aidé", "apprenant numéro 3"),
    ("l'apprenante n°2 est partie", "apprenante n°2"), ("la porteuse n° 2", "porteuse n° 2"),
    ("le porteur no 1 a créé", "porteur no 1"), ("participant #2", "participant #2"),
    ("learner number 3 helped me", "learner number 3"), ("founder #2 said", "founder #2"),
])
def test_a_participant_named_by_role_and_number_is_found(text, value):
    ids = ["A01", "A02", "A03", "P01", "P02"]
    assert found(text, ids=ids) == [("participant_id", value)]


@pytest.mark.parametrize("text", [
    "l'apprenant numéro 9 n'existe pas", "le porteur n°3", "la salle numéro 3",
    "porteurs no 12", "l'apprenant numéro 3",  # the last: no such id below
])
def test_a_role_and_a_number_outside_the_roster_is_text(text):
    ids = ["A01", "A02", "P01", "P02"] if "numéro 3" in text else ["A01", "A02", "A03", "P01"]
    assert found(text, ids=ids) == [], text


# --------------------------------------------------------------------------------------------
# Commit hashes and digests are no personal data (a helper's commit 98f9aa9525a4 blocked the
# French 2022 run: "…25a4" was read as learner A04)
# --------------------------------------------------------------------------------------------

ROSTER = [f"A{k:02d}" for k in range(1, 15)] + [f"P{k:02d}" for k in range(1, 9)]


@pytest.mark.parametrize("text", ["commit 98f9aa9525a4", "abc9525a4", "3a01a04", "a4a925826902",
                                  "a6a0845258a4", "deadbeefa4", "006838930b70"])
def test_the_end_of_a_hash_is_no_participant_id(text):
    assert found(text, ids=ROSTER) == [], text


@pytest.mark.parametrize("text, ids", [
    ("A01A02", ["A01", "A02"]), ("A09A02", ["A09", "A02"]), ("A19A02", ["A02"]), ("A01A02A03", ["A01", "A02", "A03"]),
    ("p1a02", ["p1", "a02"]), ("A01s", ["A01"]),
])
def test_ids_run_together_are_still_found(text, ids):
    assert [t for _, t in found(text, ids=ROSTER)] == ids


def test_the_gate_lets_every_commit_hash_and_digest_through_but_no_personal_data():
    """30 000 commit hashes (7 and 12 characters, as ``git rev-parse --short`` prints them) and
    SHA-256 digests in the provenance table's wording: none is a leak; the same table with a
    phone number or an id in it still is."""
    import hashlib

    from fac_eval.disclosure.gate import find_leaks

    leaks = []
    for i in range(10_000):
        h = hashlib.sha1(str(i).encode()).hexdigest()
        for short in (h[:7], h[:12]):
            leaks += find_leaks(f"<td>fac-eval 0.1.0, commit {short}</td>", ROSTER)
        leaks += find_leaks(f"<td>{hashlib.sha256(str(i).encode()).hexdigest()}</td>", ROSTER)
    assert leaks == []
    assert [x.kind for x in find_leaks("<td>commit 7e7a9f5eb1ce, A03 : 06 12 34 56 78</td>",
                                       ROSTER)] == ["participant_id", "phone"]
