"""Guarantee 4 (issue 10), second round: personal data disguised to pass the detector.

An independent attacker got these past the one detector (:func:`fac_eval.disclosure.pii.find_pii`), hence
past validation, scrubbing and the leak scan of the HTML and the PDF: e-mails written
``chez``, ``%40``, ``@gmail,com`` or letter by letter; phone numbers with ``|`` or other marks
between the groups, or spelled out in French words; dates of birth in prose; postal addresses
with an abbreviated type of street; participant ids run together, spaced digit by digit, with
doubled marks, a trailing underscore or plural. Each class is tested with variants of our own,
and against the ordinary texts it must leave alone (paper sizes, years, percentages, the verb
"a" before a number, the report's own sentences). Also: a name followed by digits is not a
pseudonym.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from pii_support import IDS, found, only_one

from fac_eval.data import validation
from fac_eval.disclosure import gate, pii, privacy

RAW = REPO / "data" / "raw"


# --------------------------------------------------------------------------------------------
# E-mails
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("email", [
    "marie.dupont chez gmail.com", "marie.dupont chez gmail point com", "zoe_75 chez orange.fr",
    "marie%40gmail.com", "marie%40gmail%2ecom", "marie&#64;gmail.com", "marie&commat;gmail.fr",
    "marie@gmail,com", "marie@gmail, fr", "marie.dupont@laposte,net",
    "m a r i e @ g m a i l . c o m", "m a r i e [at] g m a i l [dot] c o m",
    "M A R I E @ O R A N G E . F R", "marie . dupont @ gmail . com", "marie@gmail",
    "marie.dupont @ hotmail", "marie·dupont@gmail·com",
    # found by our own attack on the fixes
    "marie dot dupont at gmail dot com", "marie [dot] dupont [at] gmail [dot] com",
    "marie arobase gmail", "marie.dupont chez gmail",
])
def test_disguised_emails_are_found_whole(email):
    text = f"Pour me joindre : {email} merci"
    assert only_one(text, "email") == email
    scrubbed = privacy.scrub_text(text)
    assert scrubbed == "Pour me joindre : [courriel masqué] merci"


@pytest.mark.parametrize("text, address", [
    ("Écrivez à marie.durand@gmail.com. Merci", "marie.durand@gmail.com"),
    ("Contacter Jean au jean.dupont@orange.fr. Texte fictif.", "jean.dupont@orange.fr"),
    ("mail : a.b@asso-ain.org. Puis le reste", "a.b@asso-ain.org"),
])
def test_an_address_at_the_end_of_a_sentence_is_found(text, address):
    """A plain address followed by a full stop and the next sentence (found by an independent
    tester: the spaced-dot reading ran on into "com. merci" and the whole was dropped)."""
    assert [f.text for f in pii.find_pii(text)] == [address]
    assert gate.find_leaks(f"<p>{text}</p>")


@pytest.mark.parametrize("text", [
    "je travaille chez Orange depuis 2020", "stage chez renault.com", "chez nous point final",
    "Le fichier est ici, com ça", "rendez-vous @ la mairie", "la note . com",
    "merci à a b c pour tout",
])
def test_ordinary_texts_are_not_emails(text):
    assert found(text, "email") == []


# --------------------------------------------------------------------------------------------
# Phone numbers: any mark between the groups, or spelled out
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sep", ["|", " | ", ";", ",", ", ", ":", "\\", "*", "~", "+", "#", "•",
                                 "--", "||", " / "])
@pytest.mark.parametrize("number", ["06 12 34 56 78", "01 45 67 89 10", "07 98 76 54 32"])
def test_phones_with_any_mark_between_groups(sep, number):
    written = number.replace(" ", sep)
    assert only_one(f"Tél. {written}.", "phone") == written
    intl = "+33" + sep + written[1:].lstrip(sep) if not written[1].isdigit() else None
    if intl:
        assert found(f"appelez le {intl} svp", "phone") == [("phone", intl)]


@pytest.mark.parametrize("spelled", [
    "zéro six douze trente-quatre cinquante-six soixante-dix-huit",
    "zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit",
    "zero six douze trente quatre cinquante six soixante dix huit",
    "ZÉRO SIX DOUZE TRENTE-QUATRE CINQUANTE-SIX SOIXANTE-DIX-HUIT",
    "zéro quatre soixante-quatorze quatre-vingt-dix-neuf zéro un vingt et un",
    "zéro-sept-quatre-vingt-onze-seize-soixante et onze-dix",
    "06 douze 34 cinquante-six 78",
    "zéro six un deux trois quatre cinq six sept huit",
    "plus trente-trois six douze trente-quatre cinquante-six soixante-dix-huit",
    "zero six one two three four five six seven eight",
    "six douze trente-quatre cinquante-six soixante-dix-huit",
])
def test_phones_spelled_out_in_words(spelled):
    text = f"Mon numéro c'est {spelled}, appelez-moi."
    assert only_one(text, "phone") == spelled
    assert "[téléphone masqué]" in privacy.scrub_text(text)


@pytest.mark.parametrize("written", ["O6 12 34 56 78", "o6.12.34.56.78", "O1-45-67-89-10",
                                     "\u0660\u0666 \u0661\u0662 \u0663\u0664 \u0665\u0666 \u0667\u0668",
                                     "\u0966\u096c\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e"])
def test_phones_with_a_letter_o_for_the_zero_or_digits_of_another_script(written):
    assert only_one(f"Tél : {written}", "phone") == written


@pytest.mark.parametrize("text", [
    "il a deux enfants de six et douze ans, trente-quatre ans",
    "six sur huit, soit trois quarts", "un deux trois soleil",
    "de zéro à dix, puis vingt", "notes : 6, 12, 14, 15, 18",
    "Les 12 | 14 | 16 heures", "1 | 2 | 3 | 4", "six, douze, quatorze, quinze et dix-huit",
])
def test_ordinary_counts_are_not_phones(text):
    assert found(text, "phone") == []


# --------------------------------------------------------------------------------------------
# Dates of birth in prose
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, date", [
    ("ma date de naissance est le 3 mars 1980", "3 mars 1980"),
    ("Ma date de naissance, c'est le 03/03/1980.", "03/03/1980"),
    ("née le 03/03/1980", "03/03/1980"),
    ("Je suis née à Bourg-en-Bresse le 3 mars 1980", "3 mars 1980"),
    ("je suis né un 12 juin 1975", "12 juin 1975"),
    ("date de naiss. : 1980-03-03", "1980-03-03"),
    ("DDN 03-03-1980", "03-03-1980"),
    ("Née le 3.3.80", "3.3.80"),
    ("born in Lyon on March 3, 1980", "March 3, 1980"),
    ("née le 03031980", "03031980"),
    ("née le trois mars mille neuf cent quatre-vingt", "trois mars mille neuf cent quatre-vingt"),
    ("né le premier mai deux mille deux", "premier mai deux mille deux"),
])
def test_dates_of_birth_in_prose(text, date):
    assert only_one(text, "birth_date") == date


@pytest.mark.parametrize("text", [
    "La formation, née en 2021 d'un partenariat, a débuté le 14/03/2022.",
    "le projet est né en 2022", "session du 14/03/2022 au 08/07/2022",
    "né d'une idée le 3 mars", "l'anniversaire de l'association le 12/05/2023",
    "le projet est né en mars 2022",
])
def test_dates_that_are_not_dates_of_birth(text):
    assert found(text, "birth_date") == []


# --------------------------------------------------------------------------------------------
# Postal addresses with an abbreviated type of street
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("address", [
    "12 r. des Lilas 01500", "12 bis r. des Lilas, 01500", "3 bd Carnot 01000",
    "3bd Carnot 01000", "3 Bd. Carnot - 01000", "5 av. Foch 69001", "7 chem. des Prés 01500",
    "4 imp. des Roses 01000", "8 rte de Lyon 01500", "10 all. des Pins 01150",
    "5 pl. du Marché 01000", "4 rés. du Parc 01000", "2 fbg St-Denis 75010",
    "9 r des Écoles 01500",
])
def test_addresses_with_abbreviated_street_types(address):
    text = f"J'habite au {address} Ambérieu."
    assert only_one(text, "address") == address
    assert privacy.scrub_text(text) == "J'habite au [adresse masquée] Ambérieu."


@pytest.mark.parametrize("text", [
    "3 pl. pour 15000 euros", "on a fait 12 r. et 01500 km", "3 places de parking pour 15000 €",
    "12 participants, 01500 Ambérieu", "2 avenues commerciales", "la rue principale de 2022",
])
def test_not_addresses(text):
    assert found(text, "address") == []


# --------------------------------------------------------------------------------------------
# Participant ids run together, spaced, padded
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, ids", [
    ("A01A02", ["A01", "A02"]), ("A01A02A03", ["A01", "A02", "A03"]),
    ("P01P02", ["P01", "P02"]), ("A01P03", ["A01", "P03"]),
    ("A 0 3", ["A 0 3"]), ("P 0 1", ["P 0 1"]), ("A  0  7", ["A  0  7"]),
    ("A..04", ["A..04"]), ("A__05", ["A__05"]), ("A--06", ["A--06"]), ("P..02", ["P..02"]),
    ("A05_", ["A05"]), ("_A06", ["A06"]), ("P04_", ["P04"]),
    ("A01s", ["A01"]), ("les A02s et P03s", ["A02", "P03"]),
    ("A\\01", ["A\\01"]), ("A/02", ["A/02"]), ("A|03", ["A|03"]), ("P\\04", ["P\\04"]),
    ("A4 m'a aidée", ["A4"]), ("A 04", ["A 04"]),
    # found by our own attack on the fixes
    ("A-0-3", ["A-0-3"]), ("A.0.3", ["A.0.3"]), ("AO3", ["AO3"]), ("PO1", ["PO1"]),
    ("a 03", ["a 03"]), ("A03-4", ["A03"]),
])
def test_participant_ids_disguised(text, ids):
    got = pii.find_pii(f"« {text} »", IDS)
    assert [(f.kind, f.text) for f in got] == [("participant_id", i) for i in ids]
    assert "A0" not in privacy.scrub_text(text, participant_ids=IDS).replace("[", "")


@pytest.mark.parametrize("text", [
    "format A4", "en format A4 paysage", "imprimer en A4", "une feuille A3", "A5 papier",
    "un PDF A4 à côté", "il a 12 ans", "On a 14 apprenants", "de 1 à 2 personnes",
    "de 18 à 25 ans", "entre 2 à 3 ans", "p = 1, p < 0,05", "p=0,03", "à 3 mois",
    "Les années 2022 et 2023, 45 %, 12 stagiaires, 88 % (7 sur 8)", "a 20,000-learner session",
    "A030", "BA03", "A3B", "À 12 ans", "échelle de 1 à 4", "à 05 heures", "code A01B2C",
])
def test_ordinary_words_years_percentages_and_paper_are_not_ids(text):
    assert found(text, "participant_id") == []


def test_report_sentences_hold_no_personal_data():
    """Every sentence of the report (the French and English catalogs), read with the ids of a
    large session (A01–A30, P01–P10): nothing is taken for personal data."""
    ids = [f"A{i:02d}" for i in range(1, 31)] + [f"P{i:02d}" for i in range(1, 11)]
    for lang in ("fr", "en"):
        po = (REPO / "fac_eval" / "report" / "locale" / lang / "LC_MESSAGES" / "fac_eval.po")
        text = po.read_text(encoding="utf-8")
        strings = re.findall(r'^msg(?:id|str)(?:_plural|\[\d\])? "(.*)"$', text, re.M)
        assert len(strings) > 200
        hits = [(s, f) for s in strings if s for f in pii.find_pii(s, ids)]
        assert hits == []


# --------------------------------------------------------------------------------------------
# Validation refuses them, the gate refuses to publish them
# --------------------------------------------------------------------------------------------

DISGUISED = [
    ("marie.dupont chez gmail.com", "adresse e-mail"),
    ("m a r i e @ g m a i l . c o m", "adresse e-mail"),
    ("06|12|34|56|78", "numéro de téléphone"),
    ("zéro six douze trente-quatre cinquante-six soixante-dix-huit", "numéro de téléphone"),
    ("ma date de naissance est le 3 mars 1980", "date de naissance"),
    ("12 r. des Lilas 01500 Ambérieu", "adresse postale"),
]


def _copy(tmp_path, session="2022"):
    dest = tmp_path / "raw" / "s-disguised"
    shutil.copytree(RAW / session, dest)
    return dest


@pytest.mark.parametrize("secret, what", DISGUISED)
def test_validation_refuses_disguised_data_in_testimonies(tmp_path, secret, what):
    import pandas as pd

    folder = _copy(tmp_path)
    path = folder / "testimonies.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.loc[1, "text"] = f"Merci ! {secret}"
    df.to_csv(path, index=False)
    problems = [p for p in validation.validate_session(folder) if p.kind == "direct_identifier"]
    msg = validation.format_problems(problems)
    assert f"testimonies.csv, ligne 3, colonne « text » : donnée directement identifiante " \
           f"({what}, valeur masquée)" in msg
    assert "attendu : pas de donnée directement identifiante" in msg
    value = [f.text for f in pii.find_pii(secret)][0]
    assert value not in msg and pii.mask(value) in msg


@pytest.mark.parametrize("key", ["territory", "partners", "perspectives", "context"])
@pytest.mark.parametrize("secret, what", DISGUISED[::2] + DISGUISED[1::2][:1])
def test_validation_refuses_disguised_data_in_session_yml(tmp_path, key, secret, what):
    folder = _copy(tmp_path, "synth-2024")
    path = folder / "session.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f'{key}_note: "Voir {secret}"\n', encoding="utf-8")
    line = len(text.splitlines()) + 1
    problems = validation.meta_identifier_problems(folder, names=[])
    assert [(p.file, p.row, p.column) for p in problems] == [("session.yml", line,
                                                               f"{key}_note")]
    msg = problems[0].message()
    assert "aucune donnée personnelle dans les textes de session.yml" in msg
    assert what in msg and "valeur masquée" in msg
    value = [f.text for f in pii.find_pii(secret)][0]
    assert value not in msg


@pytest.mark.parametrize("secret, what", DISGUISED + [("Merci A01A02 et A 0 3", "")])
def test_the_gate_refuses_disguised_data_in_html(secret, what):
    html = f"<html><body><h1>Rapport</h1><blockquote>« {secret} »</blockquote></body></html>"
    with pytest.raises(gate.LeakError) as err:
        gate.gate("rapport_s.html", html, IDS, [])
    msg = str(err.value)
    for f in pii.find_pii(secret, IDS):
        assert f.text not in msg or len(f.text) <= 1


def test_the_gate_refuses_disguised_data_in_pdf(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is needed to read the PDF")
    plt.rcParams["pdf.fonttype"] = 42
    fig = plt.figure()
    for i, (secret, _) in enumerate(DISGUISED):
        fig.text(0.05, 0.9 - i * 0.12, secret, fontsize=9)
    path = tmp_path / "rapport_s.pdf"
    fig.savefig(path)
    plt.close(fig)
    with pytest.raises(gate.LeakError) as err:
        gate.gate_file(path, IDS, [])
    kinds = sorted(lk.kind for lk in err.value.leaks)
    assert kinds == ["address", "birth_date", "email", "email", "phone", "phone"]


# --------------------------------------------------------------------------------------------
# A name with digits is not a pseudonym
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["Dupont01", "DUPONT01", "Zoe01", "Zoé01", "lea7", "Marie_2",
                                   "dupont-01", "Max01", "Martin2024"])
def test_a_name_with_digits_is_not_a_pseudonym(value):
    assert not pii.is_pseudonym(value)
    assert pii.pseudonym_problem(value) == "name"


@pytest.mark.parametrize("value", ["A01", "P01", "A0001", "PP01", "APP01", "AP-12", "a07",
                                   "L000123", "Pfabe3c01d", "P3fa9c01b2e"])
def test_codes_and_computed_ids_stay_pseudonyms(value):
    assert pii.is_pseudonym(value) and pii.pseudonym_problem(value) is None


def test_pseudonymise_ids_are_accepted():
    key = b"k" * 32
    for name in ("Zoé Martin", "Marie Dupont", "Jean-Luc Petit", "Ali Ben", "Eve Abadie"):
        for prefix in ("A", "P"):
            pid = privacy.pseudonym(name, key, prefix=prefix)
            assert pii.is_pseudonym(pid), pid


def test_dupont01_refused_by_validate(tmp_path):
    import pandas as pd

    folder = _copy(tmp_path)
    for f in ("learners_profile.csv", "learners_entry.csv", "learners_exit.csv"):
        path = folder / f
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        df.loc[df["learner_id"] == "A03", "learner_id"] = "Dupont01"
        df.to_csv(path, index=False)
    msg = validation.format_problems(validation.validate_session(folder))
    assert "learners_profile.csv, ligne 4, colonne « learner_id » : identifiant non pseudonyme " \
           "(ressemble à un nom de personne, valeur masquée)" in msg
    assert "Dupont" not in msg and "« D••••••• »" in msg
    assert "jamais un nom suivi de chiffres" in msg
    assert Path(folder / "learners_profile.csv").read_text(encoding="utf-8").count("Dupont01") == 1


@pytest.mark.parametrize("secret, what", DISGUISED[:3])
def test_validation_refuses_personal_data_in_claims_yml(tmp_path, secret, what):
    """claims.yml statements are printed in the concordance: validated like session.yml."""
    folder = _copy(tmp_path)
    path = folder / "claims.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.strip().startswith("text:"))
    lines[at] = lines[at].split("text:")[0] + f'text: "Contact {secret}"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = [p for p in validation.validate_session(folder) if p.kind == "direct_identifier"]
    assert [(p.file, p.row) for p in problems] == [("claims.yml", at + 1)]
    msg = validation.format_problems(problems)
    assert "aucune donnée personnelle dans les textes de claims.yml" in msg and what in msg
    value = [f.text for f in pii.find_pii(secret)][0]
    assert value not in msg


# --------------------------------------------------------------------------------------------
# Names spelled letter by letter after a one-letter word (round 24's remaining "D u p o n t")
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, name", [
    ("Merci à D u p o n t pour tout", "D u p o n t"),
    ("Merci à D U P O N T", "D U P O N T"),
    ("Merci à D u p o n t.", "D u p o n t"),
    ("Un grand merci à L e m o i n e, vraiment", "L e m o i n e"),
    ("Je pense à M a r i e D u p o n t souvent", "M a r i e D u p o n t"),
    ("le d u p o n t", "d u p o n t"),
    ("a L e m o i n e !", "L e m o i n e"),
])
def test_a_listed_name_spelled_letter_by_letter_after_a_one_letter_word(text, name, tmp_path,
                                                                         monkeypatch):
    """"à" before a name spelled letter by letter was closed up with it ("adupont") and the
    name was missed; the run's first letter is now also kept apart. The names are those of a
    names file (its parts added by the reader)."""
    names_file = tmp_path / "noms.txt"
    names_file.write_text("Marie Dupont\nLemoine\n", encoding="utf-8")
    names = privacy.load_names(names_file)
    spans = [(f.kind, f.text) for f in pii.find_pii(text, names=names)]
    assert ("name", name) in spans, spans
    assert name not in privacy.scrub_text(text, names=names)


@pytest.mark.parametrize("text", ["Il y a d e s gens", "à b c d", "a b c.d", "J'ai vu à la TV",
                                  "Merci à tous : C O N F I A N C E"])
def test_letter_spaced_words_that_are_no_listed_name_are_left(text, tmp_path):
    names_file = tmp_path / "noms.txt"
    names_file.write_text("Marie Dupont\nLemoine\n", encoding="utf-8")
    assert pii.find_pii(text, names=privacy.load_names(names_file)) == []
