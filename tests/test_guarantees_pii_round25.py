"""Issue 10, attacker round 25 (F5): what still reached a published report.

- a Discord tag (``marie#4821``) and the handles of other networks (Twitch, YouTube, Reddit…)
  after the network's name: handles, as Instagram's or Skype's already were;
- a web address the writer calls their own ("le site de ma boutique : www.marie-dupont-
  couture.fr"): a new kind, ``website``; an organisation's or a source's address stays;
- the name a writer gives as theirs ("Je m'appelle Marie Dupont"), names file or not.
Each is found by the one detector, so scrubbed in quotes and refused by the leak scan, and
``validate`` says it, with the file and the row.
"""

from __future__ import annotations

import csv
import shutil

import pytest
from conftest import REPO

from fac_eval.data import validation
from fac_eval.disclosure import gate, pii, privacy

FOUND = [
    ("Sur Discord je suis marie#4821, passez sur le serveur.", "handle", "marie#4821"),
    ("mon pseudo discord : zoe_b#0042", "handle", "zoe_b#0042"),
    ("Mon Twitch c'est mariecraft01 et je stream le soir.", "handle", "mariecraft01"),
    ("Ma chaîne YouTube : lea_couture92, abonnez-vous", "handle", "lea_couture92"),
    ("sur reddit je suis jean.dupont.75", "handle", "jean.dupont.75"),
    ("Le site de ma boutique : www.marie-dupont-couture.fr, allez voir.", "website",
     "www.marie-dupont-couture.fr"),
    ("mon site internet est https://annedupont.com/portfolio", "website",
     "https://annedupont.com/portfolio"),
    ("My website is anne-art.co.uk.", "website", "anne-art.co.uk"),
    ("Je m'appelle Marie Dupont et je remercie toute l'équipe.", "name", "Marie Dupont"),
    ("Bonjour, je m’appelle Sophie.", "name", "Sophie"),
    ("Mon nom est Jean-Luc Petit, j'ai 45 ans", "name", "Jean-Luc Petit"),
    ("My name is Anne Smith and I loved it", "name", "Anne Smith"),
    # the re-attack's G2: other self-introductions
    ("Moi c'est Sophie Lemaire, stagiaire", "name", "Sophie Lemaire"),
    ("Je me nomme Karim Benali.", "name", "Karim Benali"),
    ("Signé : Nadia Haddad", "name", "Nadia Haddad"),
    ("Je m'apelle Marie", "name", "Marie"),
    ("Jm'appelle Paul Martin", "name", "Paul Martin"),
    ("mon prénom c'est Lina", "name", "Lina"),
]
LEFT = [
    "Le site du programme : www.formaincube.fr", "voir https://www.insee.fr/fr/statistiques",
    "je m'appelle pas comme ça", "ticket#1234 ouvert", "commande#5678 livrée",
    "j'ai un compte discord depuis 2020", "mon twitch c'est super", "ma boutique a ouvert en mai",
    "moi c'est la confiance qui a changé", "signé : la direction",
]


@pytest.mark.parametrize("text, kind, found", FOUND)
def test_found_by_the_one_detector(text, kind, found):
    assert [(f.kind, f.text) for f in pii.find_pii(text)] == [(kind, found)]


@pytest.mark.parametrize("text", LEFT)
def test_ordinary_text_is_left(text):
    assert pii.find_pii(text) == []


@pytest.mark.parametrize("lang, placeholder", [("fr", "[adresse web masquée]"),
                                               ("en", "[web address removed]")])
def test_a_personal_web_address_is_scrubbed_and_stops_the_leak_scan(lang, placeholder):
    text = "Le site de ma boutique : www.marie-dupont-couture.fr, allez voir."
    assert placeholder in privacy.scrub_text(text, lang=lang)
    with pytest.raises(gate.LeakError) as refused:
        gate.check_no_leaks(f"<p>{text}</p>", html=True)
    assert ("adresse web personnelle" if lang == "fr" else "personal web address") in \
        refused.value.message(lang)
    assert "marie-dupont-couture" not in refused.value.message(lang)


def test_validate_names_each_in_a_testimony(tmp_path):
    session = tmp_path / "t25"
    shutil.copytree(REPO / "data" / "raw" / "2022", session)
    path = session / "testimonies.csv"
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("text")
    for row, (text, _, _) in zip(rows[1:], [FOUND[0], FOUND[5], FOUND[2], FOUND[8]]):
        row[col] = text
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    shown = validation.format_problems(validation.validate_session(session), lang="fr")
    assert "testimonies.csv" in shown
    for words in ("profil de réseau social", "adresse web personnelle"):
        assert words in shown, shown
    for secret in ("marie#4821", "marie-dupont-couture", "mariecraft01"):
        assert secret not in shown
    # the name given as one's own: said (a warning: it is replaced on publication)
    # the name given as one's own, without a names file: a warning on its row (it is
    # replaced on publication), the name masked
    data, _ = validation.check_session(session)
    warned = validation.format_problems(list(data.warnings), lang="fr")
    assert "testimonies.csv, ligne 5" in warned and "nom que la personne donne comme le sien" \
        in warned and "Marie Dupont" not in warned, warned


# ---- F17: disguises combined ----------------------------------------------------------------

COMBINED = [
    ("Écrivez à m a r i e d u p o n t a r o b a s e g m a i l p o i n t c o m", "email",
     "d u p o n t"),
    ("m a r i e a r o b a s e o r a n g e p o i n t f r, merci", "email", "m a r i e"),
    ("Mon mail c'est mariedupont sur g m a i l", "email", "mariedupont"),
    ("mon mail : jeanmartin sur orange", "email", "jeanmartin"),
    ("Mon tél : 0️⃣6️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣", "phone", "0️⃣6️⃣1️⃣2️⃣"),
    ("appelez le 0⃣6⃣ 12 34 56 78", "phone", "12 34 56 78"),
]
NOT_COMBINED = ["mon adresse mail, je suis sur gmail", "Mon mail c'est le plus simple sur gmail",
                "mariedupont sur gmail", "le p o i n t c o m", "mon adresse : toujours sur gmail"]


@pytest.mark.parametrize("text, kind, inside", COMBINED)
def test_combined_disguises_are_found(text, kind, inside):
    hits = pii.find_pii(text)
    assert [h.kind for h in hits] == [kind], hits
    assert inside in hits[0].text
    scrubbed = privacy.scrub_text(text)
    assert inside not in scrubbed and ("masqué" in scrubbed), scrubbed


@pytest.mark.parametrize("text", NOT_COMBINED)
def test_what_only_looks_like_them_is_left(text):
    assert pii.find_pii(text, kinds=("email", "phone")) == []
