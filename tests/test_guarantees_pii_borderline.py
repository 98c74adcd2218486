"""Guarantee 4 (one detector of personal data), its borderline texts: honest text the detector
must leave alone (else the publication gate refuses an honest report) next to its personal
twin, which is still found.

- IBANs: only a country of the ISO 13616 registry, its exact length, ending where a word ends,
  marks only between groups, mod-97 (computed here independently); the SHA-256 digest of the raw
  data printed in the provenance table of batch_bench's session ``bench-041`` was taken for one;
- an organisation's founding date is no date of birth; a year of birth alone is one;
- "at gmail" in English prose is no address; a lone word after ``@`` is no handle;
- a participant id typed in a testimony is refused by ``fac-eval validate`` with file, row,
  column, the id and what was expected.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO
from pii_support import found

from fac_eval.analysis.results import data_checksum
from fac_eval.data import synth
from fac_eval.disclosure import pii
from fac_eval.disclosure.gate import find_leaks

RAW = REPO / "data" / "raw"


def iban(country: str, bban: str) -> str:
    """An IBAN with its check digits computed by ISO 13616 (letters A=10 … Z=35)."""
    digits = "".join(str(ord(c) - 55) if c.isalpha() else c
                     for c in (bban + country + "00").upper())
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def grouped(s: str, sep: str = " ") -> str:
    return sep.join(s[i:i + 4] for i in range(0, len(s), 4))


# --------------------------------------------------------------------------------------------
# IBAN: batch_bench's bench-041 and hexadecimal digests
# --------------------------------------------------------------------------------------------

BENCH_041_DIGEST = "aa82177987acedd9130c581d8939e7079d65b22be05ee8d0a505b7b3a26e9caf"


def test_the_digest_that_failed_bench_041_is_no_iban():
    # the provenance row of rapport_bench-041.html, as the gate reads it
    html = ("<table><tr><th>Empreinte des données brutes (SHA-256)</th>"
            f"<td data-label=\"Valeur\">{BENCH_041_DIGEST}</td></tr></table>")
    assert find_leaks(html) == []
    assert found(f"(SHA-256) {BENCH_041_DIGEST}", "iban") == []


@pytest.mark.parametrize("seed", [41, 42, 43, 7])
def test_the_digests_batch_bench_writes_today_are_no_iban(tmp_path, seed):
    """The digest above came from an earlier synth; the sessions batch_bench writes now (their
    files changed since) have other digests: none of them is read as an IBAN either."""
    name = f"bench-{seed:03d}"
    tables, meta = synth.make_session(name, 12, 5, seed, followup=True)
    synth.write_session(tmp_path / name, tables, meta)
    digest = data_checksum(tmp_path / name)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    html = ("<table><tr><th>Empreinte des données brutes (SHA-256)</th>"
            f"<td data-label=\"Valeur\">{digest}</td></tr></table>")
    assert find_leaks(html) == []
    assert found(f"(SHA-256) {digest}", "iban") == []


@pytest.mark.parametrize("country", sorted(pii.IBAN_LENGTHS))
def test_hex_digests_starting_with_a_country_code_are_not_ibans(country):
    # 300 digests per country, each forced to start with the country code and two digits: a
    # random tail passes mod-97 once in 97 times on a prefix, so the old rule found some
    hits = []
    for k in range(300):
        d = hashlib.sha256(f"{country}-{k}".encode()).hexdigest()
        text = f"Empreinte : {country}{k % 100:02d}{d[4:]} ; court : {country}{k % 100:02d}{d[:30]}"
        hits += found(text, "iban")
    assert hits == []


def test_a_valid_iban_run_into_more_letters_or_digits_is_not_one_but_spaced_it_is():
    fr = iban("FR", "30006000011234567890" + "189")
    assert pii.iban_is_valid(fr)
    assert found(f"RIB {fr}", "iban") == [("iban", fr)]
    assert found(f"RIB {fr}7", "iban") == []
    assert found(f"ref {fr}ab12", "iban") == []
    assert found(f"RIB {fr} 7 pièces", "iban") == [("iban", fr)]


@pytest.mark.parametrize("country, bban", [
    ("FR", "30006000011234567890189"), ("DE", "370400440532013000"), ("BE", "539007547034"),
    ("ES", "21000418450200051332"), ("CH", "00762011623852957"), ("GB", "NWBK60161331926819"),
    ("NL", "ABNA0417164300"), ("IT", "X0542811101000000123456"), ("LU", "0010001234567891"),
    ("MA", "011519000001205000534921"), ("PT", "000201231234567890154"),
])
@pytest.mark.parametrize("sep", [" ", "-", ".", " - ", "/", ""])
def test_real_ibans_with_marks_between_groups_are_still_found(country, bban, sep):
    value = grouped(iban(country, bban), sep)
    assert found(f"Virement sur {value}, merci.", "iban") == [("iban", value)]
    wrong = value[:2] + f"{(int(value[2:4]) + 1) % 100:02d}" + value[4:]
    assert found(f"Virement sur {wrong}, merci.", "iban") == []


@pytest.mark.parametrize("text", [
    "ZZ12 3456 7890 1234 5678 90",         # no country of the registry
    "de 12 mois après la formation nous avons vu 3000 personnes",
    "fr 76 ans et plus, 3000 habitants, 6000 visiteurs",
    "Code AB12CD34EF56GH78IJ90",
])
def test_prose_and_codes_are_not_ibans(text):
    assert found(text, "iban") == []


def test_all_batch_bench_sessions_texts_pass_the_detector():
    """The 50 sessions of benchmarks/batch_bench.py (seeds 1–50): every text of their tables
    and of their session.yml, read with the session's ids, holds no personal data."""
    problems = []
    for seed in range(1, 51):
        name = f"bench-{seed:03d}"
        tables, meta = synth.make_session(name, 12, 5, seed, followup=True)
        ids = sorted({str(v) for t in tables.values() for c in t.columns if c.endswith("_id")
                      for v in t[c].dropna()})
        for tname, t in tables.items():
            for c in t.columns:
                if c.endswith("_id"):
                    continue
                for v in t[c].dropna():
                    if isinstance(v, str):
                        problems += [(name, tname, c, f) for f in pii.find_pii(v, ids)]
        problems += [(name, "session.yml", k, f) for k, v in meta.items() if isinstance(v, str)
                     for f in pii.find_pii(v, ids)]
    assert problems == []


# --------------------------------------------------------------------------------------------
# Dates of birth: founding dates, years alone
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "L'association est née le 3 mars, dans un garage.",
    "Notre projet, né le 3 mars 1995, a grandi vite.",
    "La structure est née en 1990 à Bourg.",
    "L'entreprise de Paul est née le 12/05/1998.",
    "The company was born on March 3, 1990.",
    "le programme est né en mai 1999",
    "Le collectif, né en 2001 de la rencontre de trois porteurs, anime le quartier.",
])
def test_an_organisation_born_on_a_date_is_not_a_date_of_birth(text):
    assert found(text, "birth_date") == []


@pytest.mark.parametrize("text, date", [
    ("Je suis née le 3 mars, dans un garage.", "3 mars"),
    ("Ma fille, née le 3 mars 1995, a grandi vite.", "3 mars 1995"),
    ("L'association de ma mère, qui est née le 12/05/1958, l'aide.", "12/05/1958"),
    ("Elle est née en 1990 à Bourg.", "1990"),
    ("I was born on March 3, 1990.", "March 3, 1990"),
    ("Arrivée dans l'association, je suis née le 4 avril 1988", "4 avril 1988"),
])
def test_a_person_born_on_a_date_is_still_found(text, date):
    assert found(text, "birth_date") == [("birth_date", date)]


@pytest.mark.parametrize("text, year", [
    ("née en 1980", "1980"), ("Né en 1975 à Oyonnax", "1975"), ("born in 1980", "1980"),
    ("Année de naissance : 1980", "1980"), ("né(e) en 1969, j'ai repris", "1969"),
    ("Je suis née à Lyon en 1985.", "1985"), ("Date of birth: 1992", "1992"),
    ("naissance 2001", "2001"),
])
def test_a_year_of_birth_alone_is_found(text, year):
    assert found(text, "birth_date") == [("birth_date", year)]


@pytest.mark.parametrize("text", [
    "créée en 2019", "depuis 2021 je travaille", "en 2022 la session a réuni 12 personnes",
    "né en 2022, le projet", "Le projet est né en 1995.", "j'ai 43 ans",
    "à 43 ans j'ai repris une formation", "la naissance du projet en 2019",
])
def test_years_that_are_no_birth_are_not_found(text):
    assert found(text, "birth_date") == []


# --------------------------------------------------------------------------------------------
# E-mails: "at" in English prose; handles: a lone word after "@"
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "She works at gmail now.", "My friends at gmail helped.", "I worked at yahoo for years",
    "we met people at hotmail", "his sister is at outlook",
])
def test_english_at_before_a_webmail_is_not_an_address(text):
    assert found(text, "email") == []


@pytest.mark.parametrize("text, value", [
    ("écrivez à jean dot dupont at gmail dot com", "jean dot dupont at gmail dot com"),
    ("marie dupont at gmail", "marie dupont at gmail"),
    ("contact: marie.dupont at gmail", "marie.dupont at gmail"),
    ("zoe arobase hotmail", "zoe arobase hotmail"),
    ("she works at gmail dot com", "she works at gmail dot com"),
])
def test_addresses_with_at_are_still_found(text, value):
    assert found(text, "email") == [("email", value)]


@pytest.mark.parametrize("text", [
    "rendez-vous @ domicile", "@media print", "rendez-vous @ 14 h", "réunion @domicile",
    "@accompagnement", "@mariedupont",
])
def test_a_lone_word_after_at_is_not_a_handle(text):
    assert found(text, "handle") == []


@pytest.mark.parametrize("text, value", [
    ("suivez @jean_dupont", "@jean_dupont"), ("insta @jdupont74", "@jdupont74"),
    ("@zoe.martin sur insta", "@zoe.martin"), ("@marie_d01 !", "@marie_d01"),
])
def test_handles_of_social_networks_are_still_found(text, value):
    assert found(text, "handle") == [("handle", value)]


# --------------------------------------------------------------------------------------------
# A participant id quoted in a testimony: refused by validation
# --------------------------------------------------------------------------------------------

def _session(tmp_path: Path) -> Path:
    dest = tmp_path / "raw" / "s-quote"
    shutil.copytree(RAW / "2022", dest)
    return dest


def _set_text(folder: Path, row_id: str, text: str) -> int:
    path = folder / "testimonies.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    rows = df.index[df["participant_id"] == row_id]
    df.loc[rows, "text"] = text
    df.to_csv(path, index=False)
    return int(rows[0]) + 2


