"""Issue 10, section 4 (earlier attacker rounds): a number plate or a France Travail id in a
text reached the report. The one detector finds them (:mod:`fac_eval.disclosure.pii_official`),
so validation, scrubbing and the leak scan all do; the ordinary figures of a testimony stay."""

from __future__ import annotations

import pytest

from fac_eval.disclosure import gate, pii, privacy

PLATES = [
    ("Ma plaque : AB-123-CD, venez voir", "AB-123-CD"),
    ("immatriculée ab123cd", "ab123cd"),
    ("Voiture immatriculée AB 123 CD depuis mars", "AB 123 CD"),
    ("le véhicule 123 ABC 75 est garé", "123 ABC 75"),
    ("plaque 1234 AB 01", "1234 AB 01"),
    ("Sa moto, immatriculée FG–456–HJ", "FG–456–HJ"),  # en dashes
    ("ｆｇ-４５６-ｈｊ", "ｆｇ-４５６-ｈｊ"),  # full width
    ("car registration XY-987-ZW", "XY-987-ZW"),
]
JOBSEEKER = [
    ("mon identifiant France Travail : 1234567A", "1234567A"),
    ("identifiant Pôle emploi 12345678", "12345678"),
    ("n° de demandeur d'emploi 7654321 B", "7654321 B"),
    ("inscrite à France Travail sous le numéro 1234567X.", "1234567X"),
    ("my job seeker id is 2345678k", "2345678k"),
]
ORDINARY = [
    "le 123 km", "ma voiture a 3 ans 12 fois", "Je roule 90 km 50 fois par an", "AB-123-CO",
    "j'ai gagné 1500000e en 2023", "inscription le 12/03/2022", "Bus AB-12-CD",
    "un chiffre d'affaires de 12345678 euros", "session 2022, 8 apprenants, 6 sur 8",
    "La voiture de 2015 a 120000 km", "France Travail m'a orientée en 2021",
]


@pytest.mark.parametrize("text, found", PLATES)
def test_a_number_plate_is_found(text, found):
    hits = pii.find_pii(text)
    assert [(f.kind, f.text) for f in hits] == [("plate", found)]


@pytest.mark.parametrize("text, found", JOBSEEKER)
def test_a_france_travail_id_is_found(text, found):
    hits = pii.find_pii(text)
    assert [(f.kind, f.text) for f in hits] == [("jobseeker_id", found)]


@pytest.mark.parametrize("text", ORDINARY)
def test_the_ordinary_figures_of_a_text_are_no_plate_nor_id(text):
    assert pii.find_pii(text, kinds=("plate", "jobseeker_id")) == []


@pytest.mark.parametrize("lang, placeholder", [("fr", "[plaque d'immatriculation masquée]"),
                                               ("en", "[number plate removed]")])
def test_a_plate_in_a_testimony_is_scrubbed(lang, placeholder):
    text = privacy.scrub_text("Je viens avec ma voiture AB-123-CD chaque matin", lang=lang)
    assert placeholder in text and "123" not in text


def test_a_france_travail_id_is_scrubbed_and_stops_the_leak_scan():
    text = "Mon identifiant France Travail est 1234567A."
    assert "[identifiant France Travail masqué]" in privacy.scrub_text(text)
    leaks = gate.find_leaks(f"<p>{text}</p>", html=True)
    assert [leak.kind for leak in leaks] == ["jobseeker_id"]
    with pytest.raises(gate.LeakError) as refused:
        gate.check_no_leaks(f"<p>{text}</p>", html=True)
    for lang, words in (("fr", "identifiant France Travail"), ("en", "France Travail id")):
        message = refused.value.message(lang)
        assert words in message and "1234567A" not in message  # the scan masks what it found


def test_validation_refuses_a_plate_in_the_metadata(tmp_path):
    import shutil

    from conftest import REPO

    from fac_eval.data import validation

    session = tmp_path / "2022"
    shutil.copytree(REPO / "data" / "raw" / "2022", session)
    meta = session / "session.yml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace("territory: ", "territory: plaque AB-123-CD, ", 1),
                    encoding="utf-8")
    assert "plaque AB-123-CD" in meta.read_text(encoding="utf-8")
    problems = validation.validate_session(session)
    shown = validation.format_problems(problems, lang="fr")
    assert "session.yml" in shown and "plaque d'immatriculation" in shown
    assert "AB-123-CD" not in shown


# ---- round 24 (F2): documents' numbers after their words, handles after a network's name ------

DOCUMENTS = [
    ("Mon numéro allocataire CAF est 1234567.", "1234567"),
    ("mon passeport 12AB34567, valable", "12AB34567"),
    ("Ma carte d'identité n° 123456789012 ", "123456789012"),
    ("carte nationale d'identité : 987654321098", "987654321098"),
    ("et mon numéro fiscal 1234567890123.", "1234567890123"),
    ("titre de séjour n° AB1234567", "AB1234567"),
    ("permis de conduire 0712345678ab", "0712345678ab"),
    ("CAF n° 7654321", "7654321"),
    ("my passport number is X1234567Z", "X1234567Z"),
]
HANDLES = [
    ("Mon insta c'est marie.dupont.01 et voilà", "marie.dupont.01"),
    ("mon skype marie.dupont85.", "marie.dupont85"),
    ("Le pseudo est jean_dupont", "jean_dupont"),
    ("instagram: zoe.martin", "zoe.martin"),
    ("ajoute-moi sur snapchat, c'est lea_b92", "lea_b92"),
]
NOT_DOCUMENTS = [
    "la CAF m'a versé 15000 euros", "la MSA verse 12000 par an", "passeport en cours depuis 2023",
    "sur linkedin depuis 2019", "mon insta c'est super", "j'ai un compte facebook depuis 10 ans",
    "le permis de conduire en 2021, 35 heures", "la carte d'identité perdue en 2020",
]


@pytest.mark.parametrize("text, found", DOCUMENTS)
def test_a_documents_number_after_its_words_is_found(text, found):
    assert [(f.kind, f.text) for f in pii.find_pii(text)] == [("official_id", found)]


@pytest.mark.parametrize("text, found", HANDLES)
def test_a_handle_after_a_networks_name_is_found(text, found):
    assert [(f.kind, f.text) for f in pii.find_pii(text)] == [("handle", found)]


@pytest.mark.parametrize("text", NOT_DOCUMENTS)
def test_amounts_years_and_words_after_those_names_are_left(text):
    assert pii.find_pii(text) == []


def test_a_passport_number_is_scrubbed_and_stops_the_leak_scan():
    text = "Mon passeport 12AB34567 et mon insta marie.dupont.01."
    scrubbed = privacy.scrub_text(text)
    assert "[numéro de document masqué]" in scrubbed and "12AB34567" not in scrubbed
    assert "marie.dupont" not in scrubbed
    leaks = gate.find_leaks(f"<p>{text}</p>", html=True)
    assert sorted(leak.kind for leak in leaks) == ["handle", "official_id"]
    with pytest.raises(gate.LeakError) as refused:
        gate.check_no_leaks(f"<p>{text}</p>", html=True)
    for lang, words in (("fr", "numéro de document"), ("en", "document number")):
        message = refused.value.message(lang)
        assert words in message and "12AB34567" not in message
