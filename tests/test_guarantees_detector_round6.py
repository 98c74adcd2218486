"""Guarantees of the one detector of personal data after an attacker's sixth pass (issue 10, §4):
bidirectional overrides, two-letter and common-word names, e-mails, phones, addresses and dates
of birth written to escape it, numeric parameters in other digits, and what ``validate`` says
about the names file."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from conftest import cli_text as _cli

from fac_eval.disclosure import gate, pii, privacy

# ============================================================================================
# Helpers
# ============================================================================================


def _project(tmp_path: Path, monkeypatch, names: str | None = None, session: str = "2022"):
    """A copy of a shipped session as ``s`` under a raw root of its own, output roots in
    ``tmp_path``, and a names file outside the repository holding ``names``."""
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "data" / "raw" / session, raw / "s")
    monkeypatch.setenv("FAC_EVAL_RAW", str(raw))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / "processed"))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(tmp_path / "reports"))
    if names is not None:
        path = tmp_path / "outside" / "noms.txt"
        path.parent.mkdir()
        path.write_text(names, encoding="utf-8")
        monkeypatch.setenv("FAC_EVAL_NAMES_FILE", str(path))
    else:
        monkeypatch.delenv("FAC_EVAL_NAMES_FILE", raising=False)
    return raw / "s"


def _set_testimonies(session: Path, texts: list[str]) -> None:
    """The first testimonies of ``session`` replaced by ``texts`` (rows 2, 3…)."""
    path = session / "testimonies.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("text")
    for i, text in enumerate(texts, start=1):
        rows[i][col] = text
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def _published_text(tmp_path: Path) -> str:
    """Every published file of session ``s`` that is text (the HTML reports), concatenated."""
    return "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "reports" / "s").glob(
        "*.html"))


def _kinds(text, ids=(), names=()):
    return [(f.kind, text[f.start:f.end]) for f in pii.find_pii(text, ids, names)]


# ============================================================================================
# F2: bidirectional controls
# ============================================================================================


@pytest.mark.parametrize("text, kind, shown", [
    ("Merci à \u202eTNOPUD\u202c pour tout", "name", "TNOPUD"),
    ("Merci à \u202eeiraM\u202c", "name", "eiraM"),
    ("Merci à \u202eTNOPUD EIRAM", "name", "TNOPUD EIRAM"),  # up to the end, no pop
    ("appelez le \u202e87 65 43 21 60\u202c le soir", "phone", "87 65 43 21 60"),
    ("écrire à \u202erf.liamg@tnopud.m\u202c", "email", "rf.liamg@tnopud.m"),
])
def test_a_right_to_left_override_is_read_in_the_order_it_is_shown(text, kind, shown):
    """F2: "\\u202eTNOPUD\\u202c" is drawn DUPONT; the detector reads what a reader sees."""
    found = pii.find_pii(text, (), privacy_names(["Marie Dupont"]))
    assert [f.kind for f in found] == [kind]
    assert pii.normalise(text[found[0].start:found[0].end]).strip() \
        == pii.normalise(shown)
    assert "\u202e" not in pii.mask(found[0].text)


def privacy_names(full: list[str]) -> list[str]:
    """The names as the names file reader gives them (full names and their parts)."""
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "noms.txt")
        Path(path).write_text("\n".join(full), encoding="utf-8")
        return privacy.load_names(path)


def test_the_leak_scan_of_html_finds_an_overridden_name():
    """F2: the same reading in the leak scan of a published HTML file; the message masks it."""
    html = "<html><body><p>Un grand merci à \u202eTNOPUD\u202c !</p></body></html>"
    leaks = gate.find_leaks(html, (), privacy_names(["Marie Dupont"]))
    assert [lk.kind for lk in leaks] == ["name"]
    with pytest.raises(gate.LeakError) as err:
        gate.check_no_leaks(html, (), privacy_names(["Marie Dupont"]))
    assert "TNOPUD" not in str(err.value) and "DUPONT" not in str(err.value).upper()


@pytest.mark.parametrize("control", ["\u202e", "\u202b", "\u202a", "\u2066", "\u2067",
                                     "\u2068"])
def test_validate_refuses_bidirectional_controls_in_a_testimony(tmp_path, monkeypatch, capsys,
                                                                 control):
    """F2: any embedding, override or isolate in a raw cell is refused with file, row, column
    and code point; the value is masked."""
    session = _project(tmp_path, monkeypatch)
    _set_testimonies(session, [f"Merci à {control}TNOPUD\u202c pour tout."])
    for lang, where in (("fr", "testimonies.csv, ligne 2, colonne « text » : caractères de "
                               "contrôle bidirectionnels"),
                        ("en", 'testimonies.csv, row 2, column "text": bidirectional control '
                               "characters")):
        code, text = _cli(capsys, "validate", "s", "--lang", lang)
        assert code == 1, text
        assert where in text, text
        assert f"U+{ord(control):04X}" in text and "U+202C" in text, text
        assert "TNOPUD" not in text
    assert not (tmp_path / "processed").exists()


def test_validate_refuses_a_bidirectional_isolate_in_session_yml(tmp_path, monkeypatch, capsys):
    """F2: the texts of session.yml too (they are printed in the report's header)."""
    session = _project(tmp_path, monkeypatch)
    meta = session / "session.yml"
    lines = meta.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("territory:"))
    lines[at] = 'territory: "Ain \u2067Bourg\u2069"'
    meta.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, text = _cli(capsys, "validate", "s", "--lang", "en")
    assert code == 1
    assert f'session.yml, line {at + 1}, key "territory": bidirectional control characters ' \
           "(U+2067 at position 5, U+2069 at position 11, value masked)" in text, text


def test_the_shipped_sessions_hold_no_bidirectional_control(capsys, roots):
    for session in ("2022", "synth-2024"):
        code, text = _cli(capsys, "validate", session)
        assert code == 0 and "bidirectionnel" not in text, text


# ============================================================================================
# F3: two-letter names; F4: names that are common words
# ============================================================================================


@pytest.mark.parametrize("text, found", [
    ("Merci à Mme Ly pour son aide", ["Ly"]),
    ("LY m'a aidée", ["LY"]),
    ("Lo est venue", ["Lo"]),
    ("avec Ba et les autres", ["Ba"]),
    ("un son lo-fi", []),          # a lower-case word is no two-letter name
    ("ba-ba de la méthode", []),
    ("elle l'a lu, ly", []),
    ("Thi Ly", ["Thi Ly"]),
])
def test_a_two_letter_part_of_a_listed_name_is_searched_with_a_capital(text, found):
    """F3: "Ly" of "Thi Ly" was never searched alone (parts of 3 letters or more only)."""
    names = privacy_names(["Thi Ly", "Anh Lo", "Moussa Ba"])
    assert [t for _, t in _kinds(text, (), names)] == found


@pytest.mark.parametrize("text", ["de la part de toute l'équipe", "Le groupe de La Roche",
                                  "Van ou voiture, du pareil au même", "des outils"])
def test_particles_of_a_listed_name_are_never_searched_alone(text):
    names = privacy_names(["Jean de La Fontaine", "Piet van der Berg", "Anne des Forêts"])
    assert "de" in names or "La" in names  # the parts are read, and not searched alone
    assert _kinds(text, (), names) == []


@pytest.mark.parametrize("text, found", [
    ("Sophie Petit m'a aidée", ["Sophie Petit"]),
    ("sophie petit m'a aidée", ["sophie petit"]),
    ("merci à S. Petit", ["S. Petit"]),
    ("merci à PETIT", ["PETIT"]),
    ("M. Blanc est passé", ["Blanc"]),
    ("un petit groupe, du vin blanc, un chat roux", []),
    ("un projet de petite taille", []),
])
def test_a_surname_that_is_a_common_word_is_found_only_as_a_name(text, found):
    """F4: "Petit" listed blocked every report (the report's prose says "petit"); it is found
    with a capital, next to its first name or its initial, never as the adjective."""
    names = privacy_names(["Sophie Petit", "Jean Blanc", "Paul Roux", "Léa Lebrun"])
    assert [t for _, t in _kinds(text, (), names)] == found


def test_a_run_with_common_word_names_publishes_and_scrubs_the_real_ones(tmp_path, monkeypatch,
                                                                           capsys):
    """F4 through the CLI: names that are common words ("Petit", "Blanc"), two-letter ones,
    and capitalised words of the report's own sentences ("France", "Bailly", "Long") no longer
    block the report; the same names in testimonies are scrubbed from what is published."""
    session = _project(tmp_path, monkeypatch, names="Sophie Petit\nJean Blanc\nPaul Roux\n"
                       "Thi Ly\nFrance\nJeanne Bailly\nLong\nMoyen\n")
    _set_testimonies(session, [
        "Sophie Petit m'a beaucoup aidée, dans un petit groupe.",
        "Merci à S. Petit et à Mme Ly, et à PETIT aussi.",
        "Jean Blanc, BLANC, toujours là.",
    ])
    for lang in ("fr", "en"):
        code, text = _cli(capsys, "run", "s", "--lang", lang)
        assert code == 0, text
    published = _published_text(tmp_path)
    for personal in ("Sophie Petit", "S. Petit", "PETIT", "Mme Ly", "Jean Blanc", "BLANC"):
        assert personal not in published
    assert "[nom masqué]" in published or "[name removed]" in published


@pytest.mark.parametrize("html, leaked", [
    ("<p>Merci à France pour son soutien</p>", ["France"]),
    ("<p>Bailly m'a accompagnée</p>", ["Bailly"]),
    ("<p>RQTH, reconnaissance de la qualité de travailleur handicapé (an administrative "
     "status granted in France)</p>", []),
])
def test_the_report_s_own_sentences_are_no_leak_but_the_same_name_elsewhere_is(html, leaked):
    """F4: a capitalised word of a catalog message ("granted in France") is the report's own
    text; the same name in any other sentence is still a leak."""
    names = privacy_names(["France", "Jeanne Bailly"])
    assert [lk.value for lk in gate.find_leaks(html, (), names)] == leaked


# ============================================================================================
# F5: what the detector missed
# ============================================================================================


@pytest.mark.parametrize("text, kind", [
    ("écrivez à mdupont sur gmail", "email"),
    ("mdupont chez orange", "email"),
    ("m.dupont at hotmail point fr", "email"),
    ("jmartin sur hotmail point com", "email"),
    ("zoe75 chez free", "email"),
    ("appelez le 33612345678", "phone"),
    ("au 33 6 12 34 56 78 le soir", "phone"),
    ("33.6.12.34.56.78", "phone"),
    ("06\u202712\u202734\u202756\u202778", "phone"),
    ("06\u00b712\u00b734\u00b756\u00b778", "phone"),
    ("06\u221912\u221934\u221956\u221978", "phone"),
    ("06\u30fb12\u30fb34\u30fb56\u30fb78", "phone"),
    ("06\u2024\u200b12\u202434\u202456\u202478", "phone"),
    ("06\u22c512\u22c534\u22c556\u22c578", "phone"),
    ("j'habite 14, rue J. Jaurès", "address"),
    ("14, rue J. Jaurès", "address"),
    ("14 bis rue Jean Jaurès", "address"),
    ("3 allée des Lilas", "address"),
    ("12 rue J.-B. Clément", "address"),
    ("née le 1 IV 1979", "birth_date"),
    ("né le 1.XII.85", "birth_date"),
    ("né le 1er avril 79", "birth_date"),
    ("née le 01/04/79", "birth_date"),
])
def test_personal_data_written_to_escape_the_detector_is_found(text, kind):
    assert [k for k, _ in _kinds(text)] == [kind], _kinds(text)


@pytest.mark.parametrize("text", [
    "je suis sur gmail depuis longtemps", "je travaille chez orange", "inscrite sur hotmail",
    "33 personnes en 2022", "article 1 IV 2020", "2 place de parking", "3 cours de maths",
    "score de 33,6 sur 40", "une photo 4·3 du groupe",
])
def test_ordinary_prose_is_not_taken_for_personal_data(text):
    assert _kinds(text) == []


def test_validate_refuses_the_escaped_forms_in_a_testimony(tmp_path, monkeypatch, capsys):
    session = _project(tmp_path, monkeypatch)
    _set_testimonies(session, ["Écrivez à mdupont sur gmail.", "Mon numéro : 33612345678.",
                               "J'habite 14, rue J. Jaurès.", "Je suis née le 1 IV 1979."])
    code, text = _cli(capsys, "validate", "s", "--lang", "en")
    assert code == 1
    for row, what in ((2, "e-mail address"), (3, "phone number"), (4, "postal address"),
                      (5, "date of birth")):
        assert f'testimonies.csv, row {row}, column "text": directly identifying data ({what}, ' \
               "value masked)" in text, text
    for value in ("mdupont", "33612345678", "Jaurès", "1979"):
        assert value not in text


# ============================================================================================
# Numeric parameters in other digits
# ============================================================================================


@pytest.mark.parametrize("assignment, shown", [
    ("min_cell=\uff13", "<U+FF13>"),           # full-width 3
    ("min_cell=\u0665", "\u0665"),             # Arabic-Indic 5
    ("alpha=0,\uff10\uff15", "0,<U+FF10><U+FF15>"),
    ("confidence=0.\u0669\u0665", "0.\u0669\u0665"),
])
def test_numeric_parameters_in_other_digits_are_refused(capsys, roots, assignment, shown):
    """Cosmetic: Python reads "３" as 3; every numeric parameter takes the digits 0-9 only,
    and the refusal says the value (its code points) and the allowed range."""
    name = assignment.split("=")[0]
    code, text = _cli(capsys, "run", "2022", "-p", assignment, "--lang", "en")
    assert code != 0
    assert f"Parameter '{name}'" in text and f"value '{shown}' refused; expected:" in text, text
    assert not (roots / "r").exists() and not (roots / "p").exists()


def test_numeric_parameters_in_ascii_digits_are_still_read():
    from fac_eval.data import parameters

    assert parameters.check_cli(["min_cell=5", "alpha=0,1", "confidence= 0.9 "], "2022") == {
        "min_cell": 5, "alpha": 0.1, "confidence": 0.9}


# ============================================================================================
# F11: validate and the names file
# ============================================================================================


@pytest.mark.parametrize("content", ["", "# commentaires seulement\n\n", "   \n"])
def test_validate_warns_of_an_empty_names_file(tmp_path, monkeypatch, capsys, content):
    _project(tmp_path, monkeypatch, names=content)
    path = tmp_path / "outside" / "noms.txt"
    code, text = _cli(capsys, "validate", "s", "--lang", "en")
    assert code == 0, text
    assert f"The names file {path} (set by FAC_EVAL_NAMES_FILE) holds no name" in text, text
    code, text = _cli(capsys, "validate", "s")
    assert f"Le fichier de noms {path} (indiqué par FAC_EVAL_NAMES_FILE) ne contient aucun nom" \
        in text, text


def test_a_names_file_with_names_gives_no_such_warning(tmp_path, monkeypatch, capsys):
    _project(tmp_path, monkeypatch, names="Marie Dupont\n")
    code, text = _cli(capsys, "validate", "s", "--lang", "en")
    assert code == 0 and "holds no name" not in text, text


def test_an_empty_names_file_checks_no_name(tmp_path, monkeypatch):
    """As without a names file: the results say no list of names was checked (the report's
    provenance, and a real session's warning, follow from it)."""
    from fac_eval.analysis import results as analysis

    session = _project(tmp_path, monkeypatch, names="# vide\n")
    assert analysis.compute_session(session).names_checked is False
    (tmp_path / "outside" / "noms.txt").write_text("Marie Dupont\n", encoding="utf-8")
    assert analysis.compute_session(session).names_checked is True


def test_validate_reports_a_listed_name_in_a_testimony_masked(tmp_path, monkeypatch, capsys):
    """F11: a listed name in a testimony was not reported by validate (it is scrubbed on
    publication): a warning with file, row and column, the name masked, never blocking."""
    session = _project(tmp_path, monkeypatch, names="Marie Dupont\nThi Ly\nSophie Petit\n")
    _set_testimonies(session, ["Merci à Marie Dupont.", "Une aide de tous les jours.",
                               "Mme Ly et S. Petit, merci.", "Dans un petit groupe."])
    code, text = _cli(capsys, "validate", "s", "--lang", "en")
    assert code == 0, text
    assert "2 warning(s), to check (they do not make the session invalid):" in text, text
    assert 'testimonies.csv, row 2, column "text": name in a text (removed on publication) ' \
           '(name from the names file "M•••• ••••••")' in text, text
    assert 'testimonies.csv, row 4, column "text": name in a text (removed on publication) ' \
           '(name from the names file "L•", "S. •••••")' in text, text
    assert "row 3" not in text and "row 5" not in text
    for name in ("Marie", "Dupont", "Petit", "Ly "):
        assert name not in text
    code, text = _cli(capsys, "validate", "s")
    assert 'testimonies.csv, ligne 2, colonne « text » : nom dans un texte (retiré à la ' \
           "publication) (nom de la liste de noms « M•••• •••••• »)" in text, text
    assert "« [nom masqué] »" in text


def test_a_listed_name_in_session_yml_is_still_a_problem(tmp_path, monkeypatch, capsys):
    """session.yml is printed as it is (never scrubbed): a listed name there stays a problem,
    as every other personal data in it."""
    session = _project(tmp_path, monkeypatch, names="Marie Dupont\n")
    meta = session / "session.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        "territory:", "notes: contact Marie Dupont\nterritory:", 1), encoding="utf-8")
    code, text = _cli(capsys, "validate", "s", "--lang", "en")
    assert code == 1 and 'key "notes": directly identifying data' in text, text
    assert "Dupont" not in text


@pytest.mark.parametrize("unit", ["mdupont sur ", "\u202eab", "\u202e\u202d\u202c",
                                  "14, rue J. ", "33 6 1", "né le 1 IV ", "Ly ", "S. Petit "])
def test_the_new_patterns_scan_a_100_kb_text_in_linear_time(unit):
    import time

    names = privacy_names(["Thi Ly", "Sophie Petit"])
    text = unit * (100_000 // len(unit))
    start = time.perf_counter()
    pii.find_pii(text, ("A01",), names)
    assert time.perf_counter() - start < 5


# ============================================================================================
# Round 8: an @ inside a word run, payment cards
# ============================================================================================

@pytest.mark.parametrize("text, found", [
    ("contact jd@gma1l.c0m merci", "jd@gma1l.c0m"),
    ("écrire à jd@домен.рф.", "jd@домен.рф"),
    ("jd@例え.jp", "jd@例え.jp"),
    ("ou jd@localhost !", "jd@localhost"),
    ("(marie.d@exemple.xn--p1ai)", "marie.d@exemple.xn--p1ai"),
    ("mail:j.d+test@sub.dom4in.c0m;", "j.d+test@sub.dom4in.c0m"),
    ("« jd＠gma1l.c0m »", "jd＠gma1l.c0m"),
])
def test_a_word_an_at_and_a_word_run_together_are_an_address(text, found):
    """Whatever the domain looks like (digits for letters, another script, no dot): a real @
    between a word and a word of 3 characters or more is an e-mail (attacker's round 8)."""
    assert ("email", found) in _kinds(text)


@pytest.mark.parametrize("text", ["rdv @ 10 h", "a @ b", "Suivez @marie_d", "note@ 3",
                                  "tiktok.com/@zoe.martin", "le prix @ 5"])
def test_an_at_in_prose_or_a_handle_is_no_address(text):
    assert [k for k, _ in _kinds(text) if k == "email"] == []


@pytest.mark.parametrize("text, found", [
    ("Ma carte 4532 0151 1283 0366 a été débitée.", "4532 0151 1283 0366"),
    ("carte 4532-0151-1283-0366", "4532-0151-1283-0366"),
    ("n° 5555555555554444", "5555555555554444"),          # Mastercard test number
    ("amex 3782 822463 10005", "3782 822463 10005"),      # American Express, 15 digits
    ("4111 1111 1111 1111 (visa)", "4111 1111 1111 1111"),
])
def test_a_payment_card_number_is_personal_data(text, found):
    """13 to 19 digits with an issuer prefix and a right Luhn key (checked here by hand for
    each: the doubled digits from the right, mod 10)."""
    digits = [int(c) for c in found if c.isdigit()]
    total = sum((d * 2 - 9 if d > 4 else d * 2) if i % 2 else d
                for i, d in enumerate(reversed(digits)))
    assert total % 10 == 0
    assert ("card", found) in _kinds(text)


@pytest.mark.parametrize("text", [
    "SIRET 732 829 320 00074",            # 14 digits: a business id, Luhn-valid by design
    "4532 0151 1283 0367",                # a wrong Luhn key
    "horodatage 1733212345678",           # 13 digits, no issuer prefix
    "empreinte a3f4532015112830366b",     # digits inside a hexadecimal digest
    "1 234 567 €",
])
def test_numbers_that_are_no_card_are_left_alone(text):
    assert [k for k, _ in _kinds(text) if k == "card"] == []


@pytest.mark.parametrize("text", ["Ma carte 4532 0151 1283 0366 a été débitée.",
                                  "Écrivez-moi : jd@gma1l.c0m"])
def test_validate_refuses_a_card_or_an_address_in_a_testimony_and_session_yml(
        tmp_path, monkeypatch, capsys, text):
    """Through the CLI: a testimony, then session.yml's partners (printed in the report)."""
    session = _project(tmp_path, monkeypatch, session="synth-2024")
    _set_testimonies(session, [text])
    code, out = _cli(capsys, "validate", "s")
    assert code == 1, out
    assert "testimonies.csv, ligne 2" in out
    assert "4532" not in out and "jd@" not in out  # the value is masked in the message
    shutil.copy(REPO / "data" / "raw" / "synth-2024" / "testimonies.csv",
                session / "testimonies.csv")
    meta = session / "session.yml"
    lines = meta.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("territory:"))
    lines[at] = f'territory: "Ain, {text}"'
    meta.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = _cli(capsys, "validate", "s")
    assert code == 1, out
    assert f"session.yml, ligne {at + 1}" in out
    assert not (tmp_path / "reports").exists()
