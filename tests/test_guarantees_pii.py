"""Guarantee 4 (issue 10): one detector of personal data, used by validation, scrubbing and the
leak scan.

Organised by class: normalisation, e-mails written to escape filters, French phone numbers in
every notation, NIR (key computed here independently), IBAN (mod-97 computed here), postal
addresses, dates of birth, participant ids with separators, names; ordinary numbers that must
not be taken for personal data; the shipped sessions' texts (no false positives); validation of
ids and of session.yml through the CLI, with masked messages; the warning of a real session
without a names file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fac_eval.analysis import results as analysis
from fac_eval.data import validation
from fac_eval.disclosure import pii, privacy
from fac_eval.disclosure.gate import LeakError, check_no_leaks

RAW = REPO / "data" / "raw"
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
HYP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def kinds(text, ids=(), names=()):
    return [(f.kind, f.text) for f in pii.find_pii(text, ids, names)]


def only(text, kind, ids=(), names=()):
    """The findings of ``kind`` in ``text`` (their texts)."""
    return [f.text for f in pii.find_pii(text, ids, names) if f.kind == kind]


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

def test_normalise_folds_width_case_accents_confusables_and_invisible_characters():
    assert pii.normalise("ÉLODIE") == "elodie"
    assert pii.normalise("０６＠ｅｘ") == "06@ex"
    assert pii.normalise("ma\u200brie\u00ad\u2060") == "marie"
    assert pii.normalise("\u0440\u0430\u0443\u0441") == "payc"  # Cyrillic р а у с
    assert pii.normalise("\u03bf\u03b1") == "oa"  # Greek omicron alpha
    assert pii.normalise("06\u201312\u201434") == "06-12-34"
    assert pii.normalise("a\u00a0b\u202fc") == "a b c"


def test_findings_point_at_the_original_text():
    text = "Écrire à ma\u200brie＠exemple.fr, merci"
    [f] = pii.find_pii(text)
    assert f.kind == "email" and text[f.start:f.end] == f.text == "ma\u200brie＠exemple.fr"


# --------------------------------------------------------------------------------------------
# E-mails
# --------------------------------------------------------------------------------------------

EMAILS = [
    "marie.dupont@exemple.fr",
    "MARIE.DUPONT@EXEMPLE.FR",
    "marie [at] exemple [dot] fr",
    "marie(at)exemple(dot)fr",
    "marie (at) exemple (dot) com",
    "marie{at}exemple{dot}org",
    "marie arobase exemple point fr",
    "marie [arobase] exemple [point] fr",
    "marie＠exemple.fr",
    "marie @ exemple.fr",
    "marie@ exemple . fr".replace(" . ", "."),
    "marie.dupont [at] mail.exemple.fr",
    "m\u0430rie@ex\u0430mple.fr",  # Cyrillic a
    "ma\u200brie@exem\u00adple.fr",
    "jean-luc+info@orange.fr",
    "marie at gmail dot com",
    "marie (chez) exemple (point) fr",
]


@pytest.mark.parametrize("email", EMAILS)
def test_emails_written_to_escape_filters(email):
    text = f"Pour me joindre : {email} ou passez au local."
    assert only(text, "email") == [email]
    scrubbed = privacy.scrub_text(text)
    assert scrubbed == "Pour me joindre : [courriel masqué] ou passez au local."


@pytest.mark.parametrize("text", [
    "Rendez-vous at home, point final.",
    "regardé at it point blank",
    "un point de vue, à point nommé",
    "le site exemple.fr présente le projet",
    "@mention sur les réseaux",
    "la formule a @ b",
    "score: 3.5/4 et 12.5 %",
])
def test_not_emails(text):
    assert only(text, "email") == []


# --------------------------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------------------------

SEPARATORS = [" ", ".", "-", "\u2013", "/", "_", " - ", " . "]


def _groups(digits: str, sep: str) -> str:
    return sep.join(digits[i:i + 2] for i in range(0, len(digits), 2))


def phone_variants(national: str) -> list[str]:
    """Notations of the French number ``national`` (10 digits, 0 then 1–9)."""
    rest = national[1:]
    out = []
    for sep in SEPARATORS:
        out.append(_groups(national, sep))                       # 06 12 34 56 78
        out.append(rest[0] + sep + _groups(rest[1:], sep))       # 6 12 34 56 78 (no 0)
        out.append("+33 " + rest[0] + sep + _groups(rest[1:], sep))
        out.append("(+33) " + rest[0] + sep + _groups(rest[1:], sep))
        out.append("0033 " + rest[0] + sep + _groups(rest[1:], sep))
        out.append("+33 (0)" + rest[0] + sep + _groups(rest[1:], sep))
    out += [national, "+33" + rest, " ".join(national), _groups(national, " ").translate(FULLWIDTH),
            national.translate(FULLWIDTH)]
    if rest[0] in "67":
        out.append(rest)  # 612345678: the leading zero lost by a spreadsheet
    return out


@pytest.mark.parametrize("variant", phone_variants("0612345678") + phone_variants("0475123456"))
def test_french_phone_notations(variant):
    text = f"Appelez-moi au {variant} après 18 h."
    assert only(text, "phone") == [variant], kinds(text)
    assert "[téléphone masqué]" in privacy.scrub_text(text)


@HYP
@given(first=st.sampled_from("123456789"), rest=st.text("0123456789", min_size=8, max_size=8),
       pick=st.integers(0, 10_000))
def test_any_french_number_in_any_notation(first, rest, pick):
    variants = phone_variants("0" + first + rest)
    v = variants[pick % len(variants)]
    assert only(f"tél. {v}, merci", "phone") == [v]


@pytest.mark.parametrize("text", [
    "12 500 €", "12 500 euros", "45 200", "en 2022", "de 2021 à 2023", "le 14/03/2022",
    "du 01/03/2022 au 08/07/2022", "01/03/2022 12", "2022-03-14", "88 %", "7 sur 8 (88 %)",
    "p = 0,039", "IC à 95 % : [0,62 ; 1,00]", "score 32,5 sur 40", "1 234 567 €",
    "10 12 14 16 18", "1 2 3 4 5 6 7 8 9", "Session 2022-2023, 14 apprenants, 3 mois",
    "chiffre d'affaires 120 000 € (+12 500 €)", "SIRET 123 456 789", "2 h 30 par semaine",
])
def test_ordinary_numbers_are_not_personal_data(text):
    assert kinds(text) == []


@HYP
@given(year=st.integers(1900, 2100), euros=st.integers(0, 999_999), pct=st.integers(0, 100),
       score=st.integers(10, 40), day=st.integers(1, 28), month=st.integers(1, 12))
def test_years_amounts_percentages_scores_and_dates_are_not_personal_data(year, euros, pct, score,
                                                                         day, month):
    amount = f"{euros:,}".replace(",", "\u202f")
    text = (f"En {year}, {amount} € de chiffre d'affaires, {pct} % des apprenants, score "
            f"{score}/40, le {day:02d}/{month:02d}/{year}, {score},5 points.")
    assert kinds(text) == []


def test_international_numbers():
    assert only("+44 20 7946 0958", "phone") == ["+44 20 7946 0958"]
    assert only("call +1 (555) 123-4567 now", "phone") == ["+1 (555) 123-4567"]


# --------------------------------------------------------------------------------------------
# NIR (French social-security number): key computed here, independently
# --------------------------------------------------------------------------------------------

def nir_with_key(sex, yy, mm, dept, commune, order):
    body = f"{sex}{yy:02d}{mm:02d}{dept}{commune:03d}{order:03d}"
    numeric = body.replace("2A", "19").replace("2B", "18") if dept in ("2A", "2B") else body
    key = 97 - int(numeric) % 97
    return body, key


@HYP
@given(sex=st.sampled_from("12"), yy=st.integers(0, 99), mm=st.integers(1, 12),
       dept=st.sampled_from(["01", "69", "75", "95", "2A", "2B", "97"]),
       commune=st.integers(1, 990), order=st.integers(1, 999), spaced=st.booleans())
def test_nir_with_right_key_is_found_and_wrong_key_is_not(sex, yy, mm, dept, commune, order,
                                                          spaced):
    body, key = nir_with_key(sex, yy, mm, dept, commune, order)
    wrong = (key % 97) + 1 if key != 97 else 1

    def fmt(k):
        s = f"{body}{k:02d}"
        return " ".join([s[0], s[1:3], s[3:5], s[5:7], s[7:10], s[10:13], s[13:]]) if spaced else s

    assert only(f"n° sécu {fmt(key)} merci", "nir") == [fmt(key)]
    assert pii.nir_is_valid(fmt(key))
    assert only(f"n° sécu {fmt(wrong)} merci", "nir") == []
    assert not pii.nir_is_valid(fmt(wrong))


def test_nir_known_examples():
    # 1 85 05 78 006 084, key 97 - (1850578006084 mod 97) computed by hand: 91
    assert 97 - 1850578006084 % 97 == 91
    assert only("1 85 05 78 006 084 91", "nir") == ["1 85 05 78 006 084 91"]
    assert only("1 85 05 78 006 084 92", "nir") == []
    # Corsica: 2A is read as 19
    body, key = nir_with_key("2", 90, 3, "2A", 4, 12)
    assert body == "290032A004012" and key == 97 - 2900319004012 % 97
    assert only(f"{body}{key:02d}", "nir") == [f"{body}{key:02d}"]
    assert only(f"{body}{(key % 97) + 1:02d}", "nir") == []


# --------------------------------------------------------------------------------------------
# IBAN: check digits computed here with ISO 13616 (letters A=10 … Z=35)
# --------------------------------------------------------------------------------------------

def iban(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    digits = "".join(str(ord(c) - 55) if c.isalpha() else c for c in rearranged.upper())
    check = 98 - int(digits) % 97
    return f"{country}{check:02d}{bban}"


def grouped(s: str) -> str:
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))


@HYP
@given(bban=st.text("0123456789", min_size=23, max_size=23), spaced=st.booleans(),
       lower=st.booleans())
def test_french_iban_valid_found_invalid_not(bban, spaced, lower):
    good = iban("FR", bban)
    bad = good[:2] + f"{(int(good[2:4]) + 1) % 100:02d}" + good[4:]
    for value, expected in ((good, True), (bad, False)):
        v = grouped(value) if spaced else value
        v = v.lower() if lower else v
        assert (only(f"RIB : {v}.", "iban") == [v]) is expected
        assert pii.iban_is_valid(v) is expected


def test_iban_other_countries_and_known_example():
    assert only("DE89 3704 0044 0532 0130 00", "iban") == ["DE89 3704 0044 0532 0130 00"]
    assert only("DE89 3704 0044 0532 0130 01", "iban") == []
    gb = iban("GB", "NWBK60161331926819")
    assert gb == "GB29NWBK60161331926819"  # the standard's own example
    assert only(f"iban {grouped(gb)} merci", "iban") == [grouped(gb)]


# --------------------------------------------------------------------------------------------
# Postal addresses, dates of birth
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("address", [
    "12 rue des Lilas, 01500 Ambérieu-en-Bugey",
    "12 bis, rue des Lilas 01500",
    "3 avenue Jean Jaurès 69007 Lyon",
    "45 chemin du Moulin - 01 500 Ambérieu",
    "7 impasse des Tilleuls 01000 Bourg-en-Bresse",
    "1 place de la Mairie, 01150 Lagnieu",
    "22 bd Voltaire 75011 Paris",
])
def test_postal_addresses(address):
    found = only(f"J'habite au {address}.", "address")
    assert len(found) == 1 and found[0].startswith(address.split()[0])
    assert "[adresse masquée]" in privacy.scrub_text(f"J'habite au {address}.")


@pytest.mark.parametrize("text", [
    "3 places de parking pour 15000 euros",
    "la rue principale de 2022",
    "12 participants, 01500 Ambérieu",
    "2 avenues commerciales",
])
def test_not_addresses(text):
    assert only(text, "address") == []


@pytest.mark.parametrize("text, date", [
    ("née le 3 mars 1980", "3 mars 1980"),
    ("Née le 03/03/1980 à Lyon", "03/03/1980"),
    ("né le 1er janvier 1975", "1er janvier 1975"),
    ("date de naissance : 1980-03-03", "1980-03-03"),
    ("Date de naissance 12.05.1990", "12.05.1990"),
    ("born on March 3, 1980", "March 3, 1980"),
    ("né(e) le 14/07/89", "14/07/89"),
])
def test_dates_of_birth_in_context(text, date):
    assert only(text, "birth_date") == [date]


@pytest.mark.parametrize("text", [
    "le projet est né en 2022", "session du 14/03/2022 au 08/07/2022", "né d'une idée le 3 mars",
])
def test_dates_without_birth_context(text):
    assert only(text, "birth_date") == []


# --------------------------------------------------------------------------------------------
# Participant ids and names
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["A03", "a03", "A 03", "A-03", "A_03", "A.03", "A\u201103",
                                     "A\u200b03", "Ａ０３"])
def test_participant_ids_with_separators(written):
    assert only(f"Merci à {written} pour tout", "participant_id", ids=["A03"]) == [written]


@pytest.mark.parametrize("written", ["A°03", "A° 03", "A n°03", "A#03", "A/03", "A : 03", "A•03",
                                     "A3", "a3", "A-3", "A°3", "A003", "А͏03", "A­03"])
def test_participant_ids_disguised_by_a_mark_or_without_their_zeros(written):
    # the same letters and the same number: A3, A°3, A003 are A03 written another way
    assert only(f"« {written} » m'a aidée", "participant_id", ids=["A03"]) == [written]


@pytest.mark.parametrize("text", ["A030", "BA03", "A04", "A3B", "il a 3 ans", "à 3 mois",
                                  "a 3 points", "A 3"])
def test_other_ids_are_not_this_id(text):
    # a bare space between letters and digits needs the same digits ("à 3 mois" is not A03)
    assert only(text, "participant_id", ids=["A03"]) == []


@pytest.mark.parametrize("written", ["Du-rand", "D.u.r.a.n.d", "DURAND", "durand", "Dùrand",
                                     "Martin-Durand", "MARTIN DURAND", "martindurand",
                                     "Martin - Durand", "Mar-tin-Durand"])
def test_names_disguised_by_case_accents_or_a_hyphen(written):
    names = ["Zoé Martin-Durand", "Martin-Durand", "Zoé", "Martin", "Durand"]
    found = pii.find_pii(f"merci {written} !", names=names)
    assert [f.kind for f in found] == ["name"] and found[0].text == written


@pytest.mark.parametrize("text", ["un an ne suffit pas", "la durée", "martine", "durandal"])
def test_names_not_found_in_other_words(text):
    assert pii.find_pii(text, names=["Anne", "Durand", "Martin"]) == []


@HYP
@given(prefix=st.sampled_from(["A", "P", "L", "F", "AP"]), number=st.integers(1, 999),
       width=st.integers(2, 6), sep=st.sampled_from(["", " ", "-", "_", "."]))
def test_any_pseudonym_is_found_with_any_separator(prefix, number, width, sep):
    pid = f"{prefix}{number:0{width}d}"
    written = f"{prefix}{sep}{number:0{width}d}"
    assert only(f"({written})", "participant_id", ids=[pid]) == [written]


@pytest.mark.parametrize("written", ["Marie Dupont", "MARIE DUPONT", "marie-dupont", "Dupont",
                                     "M\u0430rie", "Zoé", "ZOE", "zo\u00ade"])
def test_names(written):
    names = ["Marie Dupont", "Marie", "Dupont", "Zoé"]
    assert only(f"Merci {written} !", "name", names=names) == [written]


def test_detector_is_the_one_used_by_scrubbing_validation_and_leak_scan():
    text = "Écrivez à zoe [at] exemple [dot] fr ou au 06\u201312\u201334\u201356\u201378"
    assert [f.kind for f in pii.find_pii(text)] == ["email", "phone"]
    assert privacy.contact_kinds(text) == ["email", "phone"]
    assert privacy.scrub_text(text) == "Écrivez à [courriel masqué] ou au [téléphone masqué]"
    with pytest.raises(LeakError) as err:
        check_no_leaks(f"<p>{text}</p>", source="rapport.html")
    assert [lk.kind for lk in err.value.leaks] == ["email", "phone"]
    msg = str(err.value)
    assert "zoe" not in msg and "06" not in msg.replace("0•", "")
    assert "courriel « z•• [••] ••••••• [•••] •• »" in msg


# --------------------------------------------------------------------------------------------
# Pseudonymous ids
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["A01", "P01", "L000123", "F001", "P3fa9c01b2e", "AP-12", "a07"])
def test_pseudonyms_accepted(value):
    assert pii.is_pseudonym(value) and pii.pseudonym_problem(value) is None


@pytest.mark.parametrize("value, why", [
    ("12", "numeric"), ("007", "numeric"), ("123456", "numeric"), ("12 34", "numeric"),
    ("Marie Dupont", "name"), ("Jean-Luc Martin", "name"), ("dupont", "name"), ("Zoé", "name"),
    ("marie@exemple.fr", "pii"), ("06 12 34 56 78", "pii"), ("A 01", "format"), ("#1", "format"),
])
def test_non_pseudonyms_refused(value, why):
    assert pii.pseudonym_problem(value) == why


# --------------------------------------------------------------------------------------------
# The shipped sessions: no false positives
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("session", ["2022", "synth-2024"])
def test_shipped_texts_hold_no_personal_data(session):
    folder = RAW / session
    t = pd.read_csv(folder / "testimonies.csv", encoding="utf-8-sig", dtype=str)
    for text in t["text"]:
        assert kinds(text) == [], text
    meta = yaml.safe_load((folder / "session.yml").read_text(encoding="utf-8"))
    strings = []

    def walk(v):
        if isinstance(v, str):
            strings.append(v)
        elif isinstance(v, dict):
            [walk(x) for x in v.values()]
        elif isinstance(v, list):
            [walk(x) for x in v]

    walk(meta)
    assert strings and all(kinds(s) == [] for s in strings)
    assert validation.meta_identifier_problems(folder, names=[]) == []


# --------------------------------------------------------------------------------------------
# Through the CLI, as a user runs it
# --------------------------------------------------------------------------------------------

def cli(args, env_extra, cwd=None):
    env = dict(os.environ)
    env.update(env_extra)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "fac_eval.run.cli", *args], capture_output=True,
                          text=True, env=env, cwd=cwd or REPO, timeout=600)


@pytest.fixture
def roots(tmp_path):
    raw, processed, reports = tmp_path / "raw", tmp_path / "processed", tmp_path / "reports"
    raw.mkdir()
    return {"FAC_EVAL_RAW": str(raw), "FAC_EVAL_PROCESSED": str(processed),
            "FAC_EVAL_REPORTS": str(reports)}


def copy(roots, session, as_name):
    dest = Path(roots["FAC_EVAL_RAW"]) / as_name
    shutil.copytree(RAW / session, dest)
    return dest


def set_meta(folder: Path, key: str, value: str):
    lines = (folder / "session.yml").read_text(encoding="utf-8").splitlines()
    if key == "data_kind" and value != "synthetic":  # a generated session's keys go with it
        lines = [ln for ln in lines if not ln.startswith(("generator:", "seed:"))]
    out = [f"{key}: {value}" if ln.startswith(f"{key}:") else ln for ln in lines]
    if not any(ln.startswith(f"{key}:") for ln in lines):
        out.append(f"{key}: {value}")
    (folder / "session.yml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return out.index(f"{key}: {value}") + 1


def set_cell(path: Path, row_id: str, column: str, value: str):
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    first = df.columns[0]
    rows = df.index[df[first] == row_id]
    df.loc[rows, column] = value
    df.to_csv(path, index=False)
    return int(rows[0]) + 2  # spreadsheet row (header = 1)


def validate(roots, name, via_cli):
    """(exit code, output) of `fac-eval validate name`: by the CLI in a subprocess, or the same
    messages in-process (faster; the CLI prints validation.format_problems)."""
    if via_cli:
        r = cli(["validate", name], roots)
        return r.returncode, r.stdout + r.stderr
    problems = validation.validate_session(Path(roots["FAC_EVAL_RAW"]) / name)
    return (1 if problems else 0), validation.format_problems(problems)


def assert_nothing_published(roots, name):
    assert not (Path(roots["FAC_EVAL_REPORTS"]) / name).exists()
    assert not (Path(roots["FAC_EVAL_PROCESSED"]) / name).exists()


@pytest.mark.parametrize("key, value, secret, via_cli", [
    ("territory", '"Ambérieu — contact marie [at] exemple [dot] fr"', "marie", True),
    ("territory", '"Ain, 06\u201312\u201334\u201356\u201378"', "12\u201334", False),
    ("programme", '"Formation, RIB FR76 3000 6000 0112 3456 7890 189"', "3000 6000", False),
    ("name", '"Session chez Mme X, 12 rue des Lilas 01500 Ambérieu"', "Lilas", False),
])
def test_validate_refuses_personal_data_in_session_yml(roots, key, value, secret, via_cli):
    folder = copy(roots, "2022", "s-meta")
    line = set_meta(folder, key, value)
    code, out = validate(roots, "s-meta", via_cli)
    assert code == 1, out
    assert f"session.yml, ligne {line}, clé « {key} » : donnée directement identifiante" in out
    assert "valeur masquée" in out and "•" in out
    assert "attendu : aucune donnée personnelle dans les textes de session.yml" in out
    assert secret not in out
    if via_cli:  # run refuses too, and nothing is written
        r = cli(["run", "s-meta"], roots)
        assert r.returncode != 0 and secret not in r.stdout + r.stderr
        assert_nothing_published(roots, "s-meta")


def test_validate_refuses_personal_data_in_nested_session_yml_texts(roots, tmp_path):
    folder = copy(roots, "synth-2024", "s-nested")
    meta = yaml.safe_load((folder / "session.yml").read_text(encoding="utf-8"))
    meta["objectives"] = [{"text": "Insertion", "indicators": ["followup.sortie_dynamique"]},
                          {"text": "Suivi par Zoé (zoé＠exemple.fr)",
                           "indicators": ["followup.sortie_dynamique"]}]
    (folder / "session.yml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    problems = [p for p in validation.validate_session(folder) if p.kind == "direct_identifier"]
    assert [(p.file, p.column) for p in problems] == [("session.yml", "objectives[2].text")]
    assert "exemple" not in problems[0].message()
    # a name of the names file (outside the repository) is refused there too
    names = tmp_path / "names.txt"
    names.write_text("Zoé Martin\n", encoding="utf-8")
    found = validation.meta_identifier_problems(folder, names=privacy.load_names(names))
    assert "nom de la liste de noms" in found[0].note


@pytest.mark.parametrize("bad_id, shown, hidden, via_cli", [
    ("Marie Dupont", "« M•••• •••••• »", "Dupont", True),
    ("12", "« 12 »", None, False),
    ("0042", "« 0042 »", None, False),
    ("Jean-Luc", "« J•••-••• »", "Luc", False),
    ("Dupont01", "« D••••••• »", "Dupont", True),
    ("MARTIN2", "« M•••••• »", "MARTIN", False),
    ("Zoé_07", "« Z••_•• »", "Zoé", False),
    # unrecognised forms are masked too when they hold three letters in a row (found by an
    # outside tester: they were printed in clear); a short code stays readable
    ("MARIE", "« M•••• »", "MARIE", False),
    ("A01-Marie", "« A••-••••• »", "Marie", True),
    ("A01_Dupont", "« A••_•••••• »", "Dupont", False),
    ("A0#1", "« A0#1 »", None, False),
])
def test_validate_refuses_ids_that_are_not_pseudonyms(roots, bad_id, shown, hidden, via_cli):
    folder = copy(roots, "2022", "s-ids")
    row = set_cell(folder / "learners_profile.csv", "A03", "learner_id", bad_id)
    for f in ("learners_entry.csv", "learners_exit.csv", "testimonies.csv"):
        set_cell(folder / f, "A03", f.startswith("testimonies") and "participant_id"
                 or "learner_id", bad_id)
    code, out = validate(roots, "s-ids", via_cli)
    assert code == 1, out
    assert (f"learners_profile.csv, ligne {row}, colonne « learner_id » : identifiant non "
            f"pseudonyme") in out
    assert f"valeur {shown}" in out
    assert "attendu : un identifiant pseudonyme comme l'écrivent les feuilles de guide : A01, A02…" \
        in out
    for f in ("learners_entry.csv", "learners_exit.csv", "testimonies.csv"):
        assert f"{f}, ligne" in out  # every file's id column is checked
    if hidden:
        assert hidden not in out
    assert "Traceback" not in out
    assert_nothing_published(roots, "s-ids")


@pytest.mark.parametrize("text, what, via_cli", [
    ("Mon numéro : 0 6 1 2 3 4 5 6 7 8, appelez !", "numéro de téléphone", True),
    ("Sécu 1 85 05 78 006 084 91 pour le dossier", "numéro de sécurité sociale", False),
    ("Mon RIB FR76 3000 6000 0112 3456 7890 189", "IBAN", False),
    ("Je suis née le 3 mars 1980 à Lyon", "date de naissance", False),
    ("écrivez-moi : zoe arobase exemple point fr", "adresse e-mail", False),
    ("J'habite 12 rue des Lilas 01500 Ambérieu", "adresse postale", False),
])
def test_validate_refuses_personal_data_in_testimonies(roots, text, what, via_cli):
    folder = copy(roots, "2022", "s-text")
    row = set_cell(folder / "testimonies.csv", "A02", "text", text)
    code, out = validate(roots, "s-text", via_cli)
    assert code == 1, out
    assert (f"testimonies.csv, ligne {row}, colonne « text » : donnée directement identifiante "
            f"({what}, valeur masquée)") in out
    assert "attendu : pas de donnée directement identifiante" in out
    secret = [f.text for f in pii.find_pii(text)][0]
    assert secret not in out and pii.mask(secret) in out


# --------------------------------------------------------------------------------------------
# A real session without a names file
# --------------------------------------------------------------------------------------------

def test_real_session_without_names_file_warns_and_says_so(tmp_path, monkeypatch):
    folder = tmp_path / "raw" / "reelle"
    shutil.copytree(RAW / "synth-2024", folder)
    set_meta(folder, "data_kind", "real")
    monkeypatch.delenv(privacy.NAMES_ENV_VAR, raising=False)
    with pytest.warns(analysis.NamesNotCheckedWarning, match="Aucune liste de noms"):
        r = analysis.compute_session(folder)
    assert r.names_checked is False
    names = tmp_path / "names.txt"
    names.write_text("Zoé Martin\n", encoding="utf-8")
    monkeypatch.setenv(privacy.NAMES_ENV_VAR, str(names))
    with warnings.catch_warnings():
        warnings.simplefilter("error", analysis.NamesNotCheckedWarning)
        r = analysis.compute_session(folder)
    assert r.names_checked is True and "Zoé Martin" in r.names
    # synthetic and reconstructed sessions do not warn (no real names could be in them)
    monkeypatch.delenv(privacy.NAMES_ENV_VAR)
    with warnings.catch_warnings():
        warnings.simplefilter("error", analysis.NamesNotCheckedWarning)
        assert analysis.compute_session(RAW / "2022").names_checked is False
    from fac_eval.core.i18n import both

    fr, en = both(analysis.NAMES_NOT_CHECKED)
    assert fr.startswith("Aucune liste de noms n'a été vérifiée")
    assert en.startswith("No list of names was checked")


@pytest.mark.parametrize("kind, warned", [("real", True), ("synthetic", False),
                                          ("reconstructed", False)])
def test_validate_says_when_no_names_file_can_check_a_real_sessions_texts(tmp_path, main_cli,
                                                                           monkeypatch, kind,
                                                                           warned):
    """validate as run: a real session without a names file is valid, but validate says that
    the names in its texts (here one in session.yml's perspectives) cannot be looked for; with a
    names file holding the name, it is refused (attacker's F9 for #13)."""
    raw = tmp_path / "raw"
    folder = raw / "reelle"
    shutil.copytree(RAW / "synth-2024", folder)
    set_meta(folder, "data_kind", kind)
    meta = (folder / "session.yml").read_text(encoding="utf-8")
    (folder / "session.yml").write_text(meta.replace(
        "- fr: Texte fictif des perspectives, écrit pour tester la section du rapport.",
        "- fr: Marie Dupont, formatrice, recommande de continuer."), encoding="utf-8")
    assert "Marie Dupont" in (folder / "session.yml").read_text(encoding="utf-8")
    monkeypatch.delenv(privacy.NAMES_ENV_VAR, raising=False)
    env = {"FAC_EVAL_RAW": str(raw), "FAC_EVAL_PROCESSED": str(tmp_path / "p"),
           "FAC_EVAL_REPORTS": str(tmp_path / "r")}
    code, out, err = main_cli("validate", "reelle", env=env)
    assert code == 0
    said = "reelle : aucune liste de noms n'a été vérifiée" in err.replace("\u202f", " ")
    assert said == warned, err
    if warned:
        assert "FAC_EVAL_NAMES_FILE" in err and "session.yml" in err
        code, out, err = main_cli("--lang", "en", "validate", "reelle", env=env)
        assert "reelle: no list of names was checked" in err
    names = tmp_path / "names.txt"
    names.write_text("Marie Dupont\n", encoding="utf-8")
    code, out, err = main_cli("validate", "reelle", env={**env, privacy.NAMES_ENV_VAR: str(names)})
    assert code == 1 and "perspectives[1].fr" in err and "Marie Dupont" not in err
    assert "aucune liste de noms" not in err
