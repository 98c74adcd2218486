"""Guarantee 4 (issue 10), third round: what an independent attacker still printed from
testimonies or ``session.yml`` past the one detector (:func:`fac_eval.disclosure.pii.find_pii`).

Each class with variants of our own and the ordinary texts it must leave alone: dates of birth
(date first, no year, month and year, "anniversaire"), e-mails with hyphen- or dot-parted
letters or without their ``@``, phones with I or l for 1, IBANs with marks between groups,
addresses without a postcode or with a dashed one, ids spelled from a zero or with O for 0,
profiles on social networks. Then the flow (validation with file/row/column, scrubbing, the
gate) and a scan of 100 kB adversarial texts in linear time.
"""

from __future__ import annotations

import shutil
import time

import pandas as pd
import pytest
from conftest import REPO
from pii_support import IDS, found, only_one

from fac_eval.data import validation
from fac_eval.disclosure import gate, pii, privacy
from fac_eval.disclosure.pii_prose import LATEST_BIRTH_YEAR

# --------------------------------------------------------------------------------------------
# Dates of birth
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, date", [
    ("Le 3 mars 1980 je suis née à Bourg.", "3 mars 1980"),
    ("Le 03/03/1980, je suis né dans l'Ain.", "03/03/1980"),
    ("En mars 1980, je suis venue au monde.", "mars 1980"),
    ("12 juin 1975 : c'est ma naissance", "12 juin 1975"),
    ("On 3 March 1980 I was born in Lyon", "3 March 1980"),
    ("née le 3 mars", "3 mars"),
    ("Je suis né le 1er mai, à Lyon", "1er mai"),
    ("né(e) le 03/03", "03/03"),
    ("born on March 3", "March 3"),
    ("DDN : 3 mars", "3 mars"),
    ("mon anniversaire, c'est le 12 juin", "12 juin"),
    ("Anniversaire : 3 mars", "3 mars"),
    ("my birthday is on May 3", "May 3"),
    ("née en mars 1980", "mars 1980"),
    ("je suis né à Lyon en juillet 1992", "juillet 1992"),
    ("born in May 1990", "May 1990"),
    ("Anniversaire : 03/03/1980", "03/03/1980"),
    ("anniv. 3/3/80", "3/3/80"),
    ("birthday: 1980-03-03", "1980-03-03"),
    ("date de naissance 3/3/80", "3/3/80"),
    ("DDN : 03.03.1980", "03.03.1980"),
    ("né(e) le 03/03/1980", "03/03/1980"),
])
def test_dates_of_birth_in_every_order(text, date):
    assert only_one(text, "birth_date") == date


@pytest.mark.parametrize("text", [
    "Le 3 mars 2022 nous avons lancé la session.",
    "le 3 mars 2022, la promotion est arrivée",
    "en mars 2022 nous avons recruté",
    "le projet est né en mars 2022",
    f"l'association est née en mai {LATEST_BIRTH_YEAR + 3}",
    "Le 14/03/2022 est née l'idée d'un atelier",
    "l'anniversaire de l'association le 12/05/2023",
    "la naissance du projet en 2021",
    "né d'une idée le 3 mars",
    "anniversaire des 10 ans le 4 juin 2024",
    "les 12 et 13 juin, puis en juillet 2022",
    "Anniversaire de la session : 14/03/2022",
    "La session est née en 2021 ; elle fête son anniversaire le 14 mars.",
])
def test_event_dates_are_not_dates_of_birth(text):
    assert found(text, "birth_date") == []


# --------------------------------------------------------------------------------------------
# E-mails
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("email", [
    "m-a-r-i-e @ g-m-a-i-l . c-o-m", "m.a.r.i.e@g.m.a.i.l.c.o.m", "z-o-e@o-r-a-n-g-e.f-r",
    "j_e_a_n@h_o_t_m_a_i_l.f_r", "m - a - r - i - e @ gmail . com",
    "marie.dupont gmail com", "marie.dupont gmail.com", "marie_dupont hotmail fr",
    "zoe75 yahoo", "marie.dupont orange fr", "jean-paul.martin laposte net",
    "marie dupont at gmail", "marie dupont at gmail dot com", "zoe arobase hotmail",
    "marie.dupont (at) gmail (dot) com", "marie gmail com", "dupont outlook point fr",
])
def test_emails_with_parted_letters_or_without_at(email):
    text = f"Pour me joindre : {email} merci"
    assert only_one(text, "email") == email
    assert privacy.scrub_text(text) == "Pour me joindre : [courriel masqué] merci"


@pytest.mark.parametrize("text", [
    "rendez-vous orange ce soir", "c'est peut-être free", "sur gmail com", "mon compte gmail",
    "je travaille chez Orange", "la fibre free est arrivée", "j'utilise gmail tous les jours",
    "c-à-d. à la gare", "a-t-il répondu ?", "le dépôt s.v.p. avant lundi",
    "at the end of the day", "I met her at work",
])
def test_ordinary_texts_are_not_emails(text):
    assert found(text, "email") == []


# --------------------------------------------------------------------------------------------
# Phones with I or l for 1
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "06 I2 34 56 78", "06 l2 34 56 78", "O6 l2 34 56 78", "06.I2.34.56.78", "0I 45 67 89 I0",
    "07-98-76-54-3l", "O6l2345678", "0 6 I 2 3 4 5 6 7 8",
])
def test_phones_with_i_or_l_for_one(written):
    assert only_one(f"Tél : {written}, merci", "phone") == written


@pytest.mark.parametrize("text", [
    "en L1 puis en L2, 34 étudiants", "un processeur i3 et 12 Go", "il a 10 ans et elle 12 ans",
    "l'an 2022, 12 500 €", "salle I2 à 14 h",
])
def test_ordinary_codes_are_not_phones(text):
    assert found(text, "phone") == []


@pytest.mark.parametrize("written", [
    "(555) 123-4567", "(555)123-4567", "555-123-4567", "555.123.4567", "555 123 4567",
    "( 212 ) 555-0199",  # North American national numbers
    "020 7946 0958", "01632 960 123", "0161 496 0000",  # British national numbers
])
def test_foreign_national_phone_numbers(written):
    """A phone number written the way its country does (attacker rounds 15-16 for #10)."""
    assert only_one(f"Mon numéro à l'étranger : {written}, merci", "phone") == written


@pytest.mark.parametrize("text", [
    "En 2022-2023, 123 personnes", "le budget 2024-2025 de 12 000 €", "code 123-456-7890",
    "année 2023 : 100 200 3000", "entre 250 et 300-400 personnes", "500 000-600 000 €",
    "les sessions 2022, 2023 et 2024", "de 9 h à 12 h 30",
])
def test_ordinary_number_runs_are_not_foreign_phones(text):
    assert found(text, "phone") == []


# --------------------------------------------------------------------------------------------
# IBAN
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("iban", [
    "FR76-3000-6000-0112-3456-7890-189", "FR76.3000.6000.0112.3456.7890.189",
    "fr76 3000 6000 0112 3456 7890 189", "fr 76 3000 6000 0112 3456 7890 189",
    "FR76 - 3000 - 6000 - 0112 - 3456 - 7890 - 189", "FR76/3000/6000/0112/3456/7890/189",
    "GB82-WEST-1234-5698-7654-32", "de89.3704.0044.0532.0130.00",
])
def test_ibans_with_marks_between_groups(iban):
    assert only_one(f"Mon RIB : {iban}. Merci", "iban") == iban


def test_an_iban_after_a_number_is_still_found():
    assert found("lot de 12 FR76 3000 6000 0112 3456 7890 189", "iban") == [
        ("iban", "FR76 3000 6000 0112 3456 7890 189")]


@pytest.mark.parametrize("text", [
    "FR76-3000-6000-0112-3456-7890-180", "le 12 mars 2022 nous avons 3000 inscrits",
    "de 12 à 14 heures, salle 3000",
])
def test_wrong_ibans_and_prose_are_not_ibans(text):
    assert found(text, "iban") == []


# --------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, address", [
    ("12 impasse des Lilas à Ambérieu", "12 impasse des Lilas"),
    ("j'habite au 12 rue de la paix", "12 rue de la paix"),
    ("au 3 avenue Jean Jaurès depuis 2010", "3 avenue jean jaures"),
    ("4 bis chemin du Moulin, Lagnieu", "4 bis chemin du Moulin"),
    ("7 boulevard Carnot et la gare", "7 boulevard Carnot"),
    ("rendez-vous 15 allée des Pins", "15 allée des Pins"),
    ("j'habite au 5 place du Marché", "5 place du Marché"),
    ("domicile : 2 résidence les Tilleuls", "2 résidence les Tilleuls"),
    ("12 rue des Lilas 01-500 Ambérieu", "12 rue des Lilas 01-500"),
    ("12 rue des Lilas, 01 500 Ambérieu", "12 rue des Lilas, 01 500"),
    ("12 rue des Lilas 01.500 Ambérieu", "12 rue des Lilas 01.500"),
    ("8 rue du 8 mai 1945", "8 rue du 8 mai"),
])
def test_addresses_without_postcode_or_with_a_parted_one(text, address):
    got = only_one(text, "address")
    assert pii.normalise(got) == pii.normalise(address)


@pytest.mark.parametrize("text", [
    "2 place de parking", "3 cours de maths par semaine", "1 passage de relais",
    "la rue principale de Lagnieu", "Ambérieu-en-Bugey et Saint-Denis-lès-Bourg",
    "les 3 chemins de la réussite", "2 avenues commerciales", "en 2022 la rue est fermée",
    "12 routes départementales", "une place à Bourg-en-Bresse",
])
def test_place_names_without_a_street_are_not_addresses(text):
    assert found(text, "address") == []


@pytest.mark.parametrize("text, address", [
    ("I live at 221B Baker Street now.", "221B Baker Street"),
    ("Write to 10 Downing St please", "10 Downing St"),
    ("at 42 Oak Tree Lane since May", "42 Oak Tree Lane"),
    ("my flat, 7 Station Rd, is small", "7 Station Rd"),
    ("résidence Les Pins bât. B apt 12 01500 Ambérieu", "résidence Les Pins bât. B apt 12 01500"),
    ("bâtiment C, appartement 4, 01500 Ambérieu", "bâtiment C, appartement 4, 01500"),
])
def test_english_addresses_and_dwelling_parts(text, address):
    """An address written the English way, or by its building and flat before a postcode
    (attacker rounds 15-16 for #10)."""
    got = [t for _, t in found(text, "address") if pii.normalise(t) == pii.normalise(address)]
    assert got, found(text, "address")


def test_a_british_postcode_is_an_address():
    assert found("London NW1 6XE now", "address") == [("address", "NW1 6XE")]
    assert found("SW1A 1AA", "address") == [("address", "SW1A 1AA")]


@pytest.mark.parametrize("text", [
    "J'ai fait 3 ans de street art", "3 sessions took place in May", "12 learners on the way",
    "la résidence principale de 3 apprenants sur 8", "le bâtiment 2 du campus",
    "niveau B1 en anglais", "A1 B2 niveau de langue", "version 1.2 de l'outil",
])
def test_ordinary_texts_are_not_english_addresses(text):
    assert found(text, "address") == []


# --------------------------------------------------------------------------------------------
# Participant ids spelled out or with O for 0
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "A zéro deux", "a zero 3", "P zéro trois", "A O3", "A-zéro-sept", "A zéro 1", "P O2",
    "A ZÉRO QUATRE",
])
def test_ids_spelled_or_with_a_letter_o(written):
    assert only_one(f"Comme l'a dit {written} hier", "participant_id") == written


@pytest.mark.parametrize("text", [
    "il a zéro défaut", "A deux reprises", "à zéro euro", "a zero 20", "le groupe A obtient 3",
    "elle a deux enfants", "zéro deux fois",
])
def test_ordinary_words_are_not_spelled_ids(text):
    assert found(text, "participant_id") == []


# --------------------------------------------------------------------------------------------
# Profiles on social networks
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("handle", [
    "linkedin.com/in/marie-dupont-7f3a", "https://www.linkedin.com/in/marie-dupont-7f3a",
    "fr.linkedin.com/in/zoe-martin", "facebook.com/marie.dupont", "instagram.com/zoe_m75",
    "x.com/mariedupont", "twitter.com/marie_d", "tiktok.com/@zoe.martin",
    "@marie_dupont01", "@zoe.martin", "@jean_dupont", "@jdupont74", "@jean75",
])
def test_social_profiles(handle):
    text = f"Suivez-moi : {handle} !"
    assert only_one(text, "handle") == handle
    assert privacy.scrub_text(text) == "Suivez-moi : [profil masqué] !"
    assert privacy.scrub_text(text, lang="en") == "Suivez-moi : [profile removed] !"


@pytest.mark.parametrize("text", [
    "rendez-vous @ 14 h", "RDV @14h", "marie.dupont@gmail.com", "écrire à @gmail.com",
    "@media print { }", "@page { margin: 1cm }", "merci @ tous", "facebook.com/groups/ain",
    "voir linkedin.com/company/formain", "box.com/docs",
])
def test_not_profiles(text):
    assert found(text, "handle") == []


# --------------------------------------------------------------------------------------------
# Validation refuses them, the gate refuses to publish them
# --------------------------------------------------------------------------------------------

ATTACKS = [
    ("Le 3 mars 1980 je suis née", "date de naissance"),
    ("née en mars 1980", "date de naissance"),
    ("m-a-r-i-e @ g-m-a-i-l . c-o-m", "adresse e-mail"),
    ("marie dupont at gmail", "adresse e-mail"),
    ("06 I2 34 56 78", "numéro de téléphone"),
    ("FR76-3000-6000-0112-3456-7890-189", "IBAN"),
    ("12 impasse des Lilas à Ambérieu", "adresse postale"),
    ("linkedin.com/in/marie-dupont-7f3a", "profil de réseau social"),
    ("@marie_dupont01", "profil de réseau social"),
]


def _copy(tmp_path, session):
    dest = tmp_path / "raw" / "s-attack"
    shutil.copytree(REPO / "data" / "raw" / session, dest)
    return dest


@pytest.mark.parametrize("secret, what", ATTACKS)
def test_validation_refuses_them_in_testimonies(tmp_path, secret, what):
    folder = _copy(tmp_path, "2022")
    path = folder / "testimonies.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.loc[2, "text"] = f"Merci ! {secret}"
    df.to_csv(path, index=False)
    problems = [p for p in validation.validate_session(folder) if p.kind == "direct_identifier"]
    msg = validation.format_problems(problems)
    assert f"testimonies.csv, ligne 4, colonne « text » : donnée directement identifiante " \
           f"({what}, valeur masquée)" in msg, msg
    value = [f.text for f in pii.find_pii(secret, df["participant_id"])][0]
    assert value not in msg and pii.mask(value) in msg


@pytest.mark.parametrize("secret, what", ATTACKS)
def test_validation_refuses_them_in_session_yml(tmp_path, secret, what):
    folder = _copy(tmp_path, "synth-2024")
    path = folder / "session.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f'territory_note: "Voir {secret}"\n', encoding="utf-8")
    problems = validation.meta_identifier_problems(folder, names=[])
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("session.yml", len(text.splitlines()) + 1, "territory_note")]
    msg = problems[0].message()
    assert what in msg and "valeur masquée" in msg
    assert [f.text for f in pii.find_pii(secret)][0] not in msg


def test_the_gate_refuses_and_masks_them_in_html():
    body = "".join(f"<p>« {secret} »</p>" for secret, _ in ATTACKS)
    html = f"<html><body><h1>Rapport</h1>{body}<p>A zéro deux</p></body></html>"
    with pytest.raises(gate.LeakError) as err:
        gate.gate("rapport_s.html", html, IDS, [])
    kinds = sorted(lk.kind for lk in err.value.leaks)
    assert kinds == sorted(["birth_date", "birth_date", "email", "email", "phone", "iban",
                            "address", "handle", "handle", "participant_id"])
    msg = str(err.value)
    for secret, _ in ATTACKS:
        assert [f.text for f in pii.find_pii(secret)][0] not in msg
    assert "profil de réseau social" in msg or "social network profile" in msg


def test_scrubbing_masks_every_class_in_one_testimony():
    text = " ; ".join(secret for secret, _ in ATTACKS) + " ; A zéro deux"
    out = privacy.scrub_text(text, participant_ids=IDS)
    assert pii.find_pii(out, IDS) == []
    for label in ("[date masquée]", "[courriel masqué]", "[téléphone masqué]", "[IBAN masqué]",
                  "[adresse masquée]", "[profil masqué]", "[identifiant masqué]"):
        assert label in out


# --------------------------------------------------------------------------------------------
# Linear time: no catastrophic backtracking
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("unit", [
    "a-", "1 ", "0 ", "1-", "m.a.", "a ", "o1 ", "l2 ", "fr76 ", "@a_", "12 rue ", "née le ",
    "a zero ", "zero ", "06 ", "a.b ", "- ", "12 rue de la ", "a@", "à ", "né le 3 mars ",
    "m a r i e @ ", "x.com/", "gmail ",
])
def test_a_100_kb_adversarial_text_is_scanned_in_linear_time(unit):
    """Linear, not quadratic: 100 kB costs at most 25 times what 10 kB costs (a quadratic
    pattern costs 100 times, and took minutes here), and stays under 3 s of processor time (the
    best of three runs, the machine being shared; about 1 s on this 2-core machine)."""
    def best_of_three(n):
        text = (unit * (n // len(unit) + 1))[:n]
        best = float("inf")
        for _ in range(3):
            t0 = time.process_time()
            pii.find_pii(text, IDS, ["Zoé Martin"])
            best = min(best, time.process_time() - t0)
        return best

    small, large = best_of_three(10_000), best_of_three(100_000)
    assert large < 3.0, (unit, large)
    assert large < 25 * max(small, 0.01), (unit, small, large)
