"""Wording and language of the reports (issue 12, §2 and §7), checked on the rendered reports of
2022 (reconstructed) and synth-2024 (synthetic), in French and in English:

- causal words ("grâce au dispositif", "thanks to") only for an item whose question asks it;
- each result stated with one definition (one denominator);
- one inclusive-writing convention in French (``docs/style.md``), in the catalog and the reports;
- French typography: narrow no-break spaces inside « » and before ; ! ?, the true minus sign;
- English through the glossary (``docs/glossary.md``), French kept only under ``lang="fr"``.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from conftest import REPO

from fac_eval import report
from fac_eval.analysis import results as analysis
from fac_eval.core import glossary
from fac_eval.data import codebook as cb
from fac_eval.report import i18n

RAW = REPO / "data" / "raw"
FIXED = dt.datetime(2026, 1, 2, 3, 4)
SESSIONS = ("2022", "synth-2024")
#: every section of the notebook, in its order (the English first-use gloss depends on it)
CELLS = ("header", "toc", "synthesis", "key_figures", "objectives", "context", "public",
         "learners", "founders", "followup", "costs", "testimonies", "perspectives", "claims",
         "methods", "provenance")
NNBSP, NBSP, MINUS = "\u202f", "\u00a0", "\u2212"


@pytest.fixture(scope="module")
def results():
    return {s: analysis.compute_session(RAW / s) for s in SESSIONS}


@pytest.fixture(scope="module")
def html(results):
    out = {}
    for s, res in results.items():
        for lang in ("fr", "en"):
            rep = report.Report(res, lang=lang, generated_at=FIXED)
            out[s, lang] = "\n".join(str(getattr(rep, cell)().data) for cell in CELLS)
    return out


def soup_of(html: str) -> BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["style", "script", "svg"]):
        tag.decompose()
    return soup


def squash(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def own_text(soup: BeautifulSoup) -> BeautifulSoup:
    """The report's own words: participants' quotes and the published assessment's statements
    (quoted as written) removed."""
    for q in soup.select("blockquote.quote > p:not(.gloss)"):
        q.decompose()
    claims = soup.find(id="concordance")
    if claims is not None:
        for row in claims.find_all_next("th", scope="row"):
            row.decompose()
    for el in soup.select('[lang="fr"]'):  # the English report's French (checked below)
        el.decompose()
    return soup


def statements(soup: BeautifulSoup) -> list[str]:
    """The smallest units that state something: list items, paragraphs, table rows (those
    without lines of their own), cards and figure captions, cut into clauses where a sentence
    lists several results ("culture numérique (2 sur 5), communication interne (0 sur 4)": a
    list after a colon is in lower case, so a clause also ends at "), ")."""
    els = [el for el in soup.find_all(["li", "p", "tr", "figcaption"])
           if not (el.name == "tr" and el.find("li"))]
    out = [squash(el.get_text(" ")) for el in els]
    out += [squash(el.get_text(" ")) for el in soup.select("div.card")]
    return [c for s in out for c in re.split(r";\s+|,\s+(?=[A-ZÉ])|(?<=\)),\s+", s) if c]


# --------------------------------------------------------------------------------------------
# §2 Causal wording only where the question asks it
# --------------------------------------------------------------------------------------------

CAUSAL = {"fr": r"grâce (?:au|aux|à)|\bpermis\b|\ba aidé|\bont aidé|\baidée?s? à\b|du fait du",
          "en": r"thanks to|\bhelped\b|\benabled\b|made possible|as a result of"}


def test_the_codebook_marks_the_items_whose_question_asks_attribution():
    items = [it for inst in cb.INSTRUMENTS.values() for it in inst.items]
    causal = {it.name for it in items if re.search(CAUSAL["fr"], it.label_fr, re.I)
              or re.search(CAUSAL["en"], it.label_en, re.I)}
    marked = {it.name for it in items if it.asks_attribution}
    assert marked == causal == {"time_saved"}
    assert cb.asks_attribution("founders.time_saved")
    # a change between entry and exit never says what caused it
    assert not cb.asks_attribution("founders.digital_culture_gained")
    assert not cb.asks_attribution("founders.digital_culture.improved")
    assert not cb.asks_attribution("learners.step_back.agree")


@pytest.mark.parametrize("session", SESSIONS)
@pytest.mark.parametrize("lang", ("fr", "en"))
def test_causal_wording_only_for_items_that_ask_it(html, results, session, lang):
    """Every sentence of the report with a causal word is about an item whose question asks
    the programme's part (the words before the causal phrase in the item's own wording)."""
    items = [it for inst in cb.INSTRUMENTS.values() for it in inst.items if it.asks_attribution]
    anchors = []
    for it in items:
        text = it.label(lang)
        head = re.split(CAUSAL[lang], text, flags=re.I)[0].strip()
        anchors.append(" ".join(re.sub(r"^(?:J'ai|I)\s+", "", head).split()[-3:]).lower())
    assert anchors == (["gagné du temps"] if lang == "fr" else ["saved time"])
    found = []
    for s in statements(own_text(soup_of(html[session, lang]))):
        if re.search(CAUSAL[lang], s, flags=re.I):
            found.append(s)
            assert any(a in s.lower() for a in anchors), (session, lang, s)
    # the founders' time saved is there, with its causal wording (its question asks it)
    assert any("temps" in s or "time" in s for s in found), found
    # and the digital culture is reported as a change, not as the programme's doing
    words = squash(soup_of(html[session, lang]).get_text(" "))
    for bad in ("culture numérique grâce au dispositif", "digital literacy thanks to",
                "digital culture"):
        assert bad not in own_text(soup_of(html[session, lang])).get_text(" "), bad
    assert ("culture numérique" in words.lower()) if lang == "fr" else (
        "digital literacy" in words.lower())


# --------------------------------------------------------------------------------------------
# §2 No result stated twice under two definitions
# --------------------------------------------------------------------------------------------

#: result -> (indicator, words that name it in each language, words of another result in the
#: same statement that make the statement not about it)
RESULTS = {
    "digital culture": ("founders.digital_culture.improved",
                        {"fr": r"culture numérique", "en": r"digital literacy"},
                        r"déjà|already|plafond|ceiling|maximal|top level"),
    "positive exit": ("followup.sortie_dynamique",
                      {"fr": r"sortie dynamique|sorties dynamiques",
                       "en": r"positive exits?\b(?!-)"},
                      r"numérique|digital|joint|reached|neutralis|détail|detail|IAE|"
                      r"Situation|\bpar\b|\bper\b"),
    "internal communication": ("founders.internal_communication.improved",
                               {"fr": r"communication interne", "en": r"internal communication"},
                               r"management"),
    "developed": ("founders.developed",
                  {"fr": r"développé leur activité|activité développée",
                   "en": r"developed their business|activity developed"}, r"^$"),
}
COUNT = {"fr": r"(?<![\d,])(\d+) (?:[^\d()]{0,40}? )?sur (?:les )?(\d+)\b|\bLes (\d+) \w+",
         "en": r"(?<![\d.])(\d+) (?:[^\d()]{0,40}? )?(?:out of|of) (?:the )?(\d+)\b|\bThe (\d+) "
               r"\w+ \w+ all\b"}


@pytest.mark.parametrize("session", SESSIONS)
@pytest.mark.parametrize("lang", ("fr", "en"))
def test_each_result_is_stated_with_one_definition(html, results, session, lang):
    """Wherever the report states a result with its count, it is the same "k sur n": the
    indicator's own numerator and denominator (no second definition elsewhere)."""
    ind = results[session].indicators.set_index("indicator")
    soup = own_text(soup_of(html[session, lang]))
    checked = 0
    for name, (indicator, words, other) in RESULTS.items():
        row = ind.loc[indicator]
        if row["verdict"] == "pending":
            continue
        want = (int(row["numerator"]), int(row["denominator"]))
        for s in statements(soup):
            if not re.search(words[lang], s, re.I) or re.search(other, s):
                continue
            for m in re.finditer(COUNT[lang], s):
                k, n = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(3))
                assert (int(k), int(n)) == want, (session, lang, name, s)
                checked += 1
    # (2022: 7 in English since its weak card gives the publication's words, not a count)
    assert checked >= 7, checked
    # the rate of positive exits among respondents, a second definition, is not in the report
    text = squash(soup.get_text(" "))
    assert "parmi les répondants" not in text and "among respondents" not in text
    # the founders' chart (its alt text names each bar) has one bar for the digital culture's
    # change, not two
    culture = r"culture numérique" if lang == "fr" else r"digital literacy"
    titles = [t for t in re.findall(r"<title[^>]*>([^<]+)</title>", html[session, lang])
              if re.search(culture, t, re.I) and re.search(r"temps|time", t)]
    assert len(titles) == 1 and len(re.findall(culture, titles[0], re.I)) == 1, titles


# --------------------------------------------------------------------------------------------
# §7 French: one inclusive-writing convention
# --------------------------------------------------------------------------------------------

ROLE = r"(?:apprenant|porteur|participant|répondant|évaluateur|demandeur)"
#: what docs/style.md forbids: the median dot and its variants, parentheses, slashes, the
#: generic "chacun", and a singular role noun after un / chaque / aucun without its doublet
FORBIDDEN = {
    "median dot": r"\w[·•]\w",
    "parentheses": r"\w\((?:e|es|ne|se|fe)\)",
    "dot": r"[a-zé]\.(?:e|es|ne|se|fe)\b",
    "slash": r"\w/(?:e|es|ne|se)\b",
    "generic chacun": r"\bchacun\b",
    "masculine singular role": rf"\b(?:[Uu]n|[Cc]haque|[Aa]ucun)\s+{ROLE}\b"
                               rf"(?!\s+ou\s+(?:une|chaque|aucune)\s)(?!\s+ou\s+{ROLE})",
    # rule 3: a count or a group keeps its plural noun ("9 porteurs de projet", "celui des
    # apprenants"), never a doublet ("9 porteurs et porteuses", "1 apprenant ou apprenante")
    "doublet in a count or a group": r"(?:\d|%\(\w+\)s|\b(?:des|les|aux))\s+"
                                     r"(?:porteurs?|apprenants?|participants?|répondants?)"
                                     r"\s+(?:et|ou)\s+(?:porteuses?|apprenantes?|participantes?|"
                                     r"répondantes?)\b",
}


def forbidden_in(text: str) -> list[tuple[str, str]]:
    return [(rule, text[max(0, m.start() - 40):m.end() + 40])
            for rule, rx in FORBIDDEN.items() for m in re.finditer(rx, text)]


def test_the_rule_catches_each_forbidden_form():
    for bad in ("un·e apprenant·e", "chef·fe", "motivé(e)", "motivé.e", "motivé/e",
                "chacun peut", "un porteur de projet", "chaque apprenant inscrit",
                "9 porteurs et porteuses de projet", "%(num)s apprenant ou apprenante ayant",
                "celui des apprenants et apprenantes", "des porteurs ou porteuses qui"):
        assert forbidden_in(bad), bad
    for good in ("un porteur ou une porteuse de projet", "un apprenant ou une apprenante",
                 "chaque personne", "7 apprenants sur 8", "p. 305", "synth-2024"):
        assert not forbidden_in(good), good


def test_the_french_catalog_follows_the_convention():
    with i18n.po_path("fr").open("rb") as f:
        catalog = read_po(f, locale="fr")
    problems = []
    # the Rosenberg items too: the published French validation's wording, with doublets in
    # place of its parentheses (tests/test_honest_wording.py)
    for m in catalog:
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for s in strings:
            problems += [(m.id, *p) for p in forbidden_in(s or "")]
    assert not problems, problems
    # the doublets the convention asks for are there
    words = " ".join(str(m.string) for m in catalog)
    assert "un porteur ou une porteuse de projet" in words
    assert "un apprenant ou une apprenante" in words
    assert (REPO / "docs" / "style.md").is_file()


def test_former_wordings_still_read_as_column_headers():
    """Files made with entry templates older than the convention keep their headers."""
    from fac_eval.data import io

    for instrument, header, item in (
            ("learners_exit", "Je suis davantage motivé·e à poursuivre mon projet professionnel",
             "motivation"),
            ("learners_exit", "Je suis davantage motivé ou motivée à poursuivre mon projet "
             "professionnel", "motivation"),
            ("founders_exit", "Compétences de chef·fe d'entreprise", "leadership_skills"),
            ("founders_exit", "Compétences de direction d'entreprise", "leadership_skills")):
        assert io._header_lookup(instrument)[io.normalize_text(header)] == item


@pytest.mark.parametrize("session", SESSIONS)
def test_the_french_reports_follow_the_convention(html, session):
    soup = own_text(soup_of(html[session, "fr"]))
    text = squash(soup.get_text(" "))
    assert not forbidden_in(text), forbidden_in(text)
    # the labels of the codebook shown in the report too (motivation, business leadership)
    assert "motivé ou motivée" in text or session != "2022"
    assert "direction d'entreprise" in text


# --------------------------------------------------------------------------------------------
# §7 Typography
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("session", SESSIONS)
def test_french_typographic_spaces(html, session):
    text = soup_of(html[session, "fr"]).get_text()
    assert text.count("«") >= 5
    # inside « »: a narrow no-break space, never a plain space, a no-break space or nothing
    assert not re.search("«(?!\u202f)", text), re.findall(".{20}«(?!\u202f).{20}", text)
    assert not re.search("(?<!\u202f)»", text), re.findall(".{20}(?<!\u202f)».{5}", text)
    # before ; ! ? a narrow no-break space; before : a no-break space (never a plain one)
    assert not re.search(r" [;:!?]", text), re.findall(r".{30} [;:!?]", text)
    assert not re.search(r"\w[;!?]( |$)", text), re.findall(r".{30}\w[;!?](?: |$)", text)
    assert not re.search("\u202f:", text) and text.count(NBSP + ":") > 20
    assert text.count(NNBSP + ";") > 20


@pytest.mark.parametrize("session", SESSIONS)
@pytest.mark.parametrize("lang", ("fr", "en"))
def test_negative_numbers_carry_the_minus_sign(html, session, lang):
    """No hyphen-minus before a digit in a number context (ids such as synth-2024, dates such
    as 2022-03-14 and ranges written with an en dash are not numbers)."""
    text = soup_of(html[session, lang]).get_text()
    bad = re.findall(r".{25}(?<![\w\-–/.:])-(?=\d).{10}", text)
    assert not bad, bad
    if session == "synth-2024":  # a typical change's interval starts below zero there
        assert f"[{MINUS}0" in text or f"{MINUS}0,5" in text or f"{MINUS}0.5" in text


# --------------------------------------------------------------------------------------------
# §7 English: the glossary, and French only under lang="fr"
# --------------------------------------------------------------------------------------------

def test_the_english_catalog_follows_the_glossary():
    with i18n.po_path("en").open("rb") as f:
        catalog = read_po(f, locale="en")
    for m in catalog:
        for s in m.string if isinstance(m.string, tuple) else (m.string,):
            for french, calque, _english in glossary.GLOSSARY[1:]:
                assert not re.search(rf"\b{calque.replace(' ', '[ -]')}", s or "", re.I), (
                    french, s)
    words = " ".join(str(m.string) for m in catalog)
    assert "positive exit" in words and "lost to follow-up" in words
    # the IAE's own "sortie positive" is not confused with "positive exit"
    assert "other positive outcome" in words
    assert glossary.english("Dynamic exits (lasting, transitional employment, positive exit)") \
        == "Positive exits (lasting, transitional employment, other positive outcome)"
    assert glossary.english("learners without news; the dynamic-exit rate") \
        == "learners lost to follow-up; the positive-exit rate"


@pytest.mark.parametrize("session", SESSIONS)
def test_english_report_has_no_french_outside_lang_fr(html, session):
    soup = soup_of(html[session, "en"])
    french = soup.select('[lang="fr"]')
    assert french
    for el in french:
        quote = el.find_parent("blockquote", class_="quote") is not None
        claim = el.parent.name == "th" and el.find_previous(id="concordance") is not None
        funder = el.find_previous(id="couts") is not None and el.find_previous(
            id="temoignages") is None
        # a session.yml text given in French only (title, place), a French term kept inside
        # an English sentence (glossary.FRENCH_TERMS)
        header = el.find_parent("header", class_="fac-header") is not None
        term = any(squash(el.get_text()).lower() == t.lower()
                   for t in glossary.FRENCH_TERMS)
        # a published conclusion quoted in its French (Perspectives), its translation beside it
        published = (el.name == "p" and el.find_previous(id="perspectives") is not None
                     and el.find_previous(id="concordance") is None)
        if published:
            gloss = el.find_next_sibling("p", class_="gloss")
            assert gloss is not None and gloss.get_text().startswith("In English — "), el
        assert quote or claim or funder or header or term or published, el
        if quote:  # with a short English gloss
            gloss = el.find_next_sibling("p", class_="gloss")
            assert gloss is not None and gloss.get_text().startswith("In French")
        if claim:
            gloss = el.find_next_sibling("span", class_="gloss")
            assert gloss is not None and re.fullmatch(r"\([A-Z][^()]+(?:\([^()]*\)[^()]*)*\)",
                                                      gloss.get_text()), el
    assert any(el.find_parent("blockquote") is not None for el in french)
    for el in french:
        el.decompose()
    text = squash(soup.get_text(" "))
    for word in glossary.FRENCH_WORDS:
        assert not re.search(rf"(?<!\w){re.escape(word)}", text, re.I), (word, re.findall(
            rf".{{40}}{re.escape(word)}.{{20}}", text, re.I))
    assert "dynamic exit" not in text.lower() and "no news" not in text.lower()


@pytest.mark.parametrize("session", SESSIONS)
def test_positive_exit_is_glossed_at_its_first_use(html, session):
    soup = soup_of(html[session, "en"])
    for tag in soup.find_all(["h1", "h2", "h3", "nav", "caption", "th", "title"]):
        tag.decompose()
    text = squash(soup.get_text(" "))
    # after the whole noun: "Positive exit rate (as defined …)", never "exit (…) rate"
    first = re.search(r"positive exits?(?: rates?)?\b(?!-)", text, re.I)
    assert first is not None
    assert text[first.end():].startswith(" (as defined for French work-integration programmes)")
    assert text.count("as defined for French work-integration programmes") == 1
    assert "programmes) rate" not in text


@pytest.mark.parametrize("lang, want", [
    ("fr", "1 porteur de projet en création sur 1 (100 %"),
    ("en", "1 founder in the creation stage out of 1 (100%")])
def test_a_sub_group_of_one_reads_as_written(html, lang, want):
    """synth-2024 has one founder creating a business: never "1 porteur de projet sur les 1 en
    création" (agreement from the data, §7). A stage of one founder is below the small-cell rule
    (#10): its count is not published at all, so the sub-group sentence must not appear."""
    text = squash(soup_of(html["synth-2024", lang]).get_text(" "))
    assert want.replace("\u00a0", " ") not in text
    assert "sur les 1 " not in text and "out of the 1 " not in text
    if lang == "fr":  # one testimony without consent: the participle agrees with it
        assert ("1 témoignage marqué sans accord de citation dans les données : pris en compte "
                "dans le codage des thèmes, non cité.") in text
