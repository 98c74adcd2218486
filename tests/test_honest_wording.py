"""Issue 12, the last wording items, checked on the rendered reports of 2022 (reconstructed),
synth-2024 (synthetic) and their comparison, in French and in English:

1. a conclusion quoted in the synthèse has a caveat beside it (whose reading it is; the data,
   self-reported and without a comparison group, do not prove it);
2. a label inserted after a colon in a sentence starts in lower case, proper nouns and
   acronyms kept (:data:`fac_eval.core.formatting.PROPER_NOUNS`);
3. in the English report, every French term sits in an element with ``lang="fr"``;
4. the Rosenberg items (EES-10) read as the published scales, in the writing convention.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup
from conftest import REPO

from fac_eval import report
from fac_eval.analysis import comparison as compare
from fac_eval.report.comparison import ComparisonReport

RAW = REPO / "data" / "raw"
FIXED = dt.datetime(2026, 1, 2, 3, 4)
SESSIONS = ("2022", "synth-2024")
LANGS = ("fr", "en")
CELLS = ("header", "toc", "synthesis", "key_figures", "objectives", "context", "public",
         "learners", "founders", "followup", "costs", "testimonies", "perspectives", "claims",
         "methods", "provenance")
COMPARISON_CELLS = ("header", "toc", "synthesis", "sessions", "indicators", "trends", "pooled",
                    "methods", "provenance")
REPORTS = (*SESSIONS, "comparison")


@pytest.fixture(scope="module")
def html(shipped):
    out = {}
    for s in SESSIONS:
        for lang in LANGS:
            rep = report.Report(shipped[s], lang=lang, generated_at=FIXED)
            out[s, lang] = "\n".join(str(getattr(rep, cell)().data) for cell in CELLS)
    both = compare.compare_sessions(",".join(SESSIONS), raw_dir=RAW)
    for lang in LANGS:
        rep = ComparisonReport(both, lang=lang, generated_at=FIXED)
        out["comparison", lang] = "\n".join(str(getattr(rep, cell)().data)
                                            for cell in COMPARISON_CELLS)
    return out


def soup_of(html: str) -> BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    return soup


def squash(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


# --------------------------------------------------------------------------------------------
# 1. A conclusion quoted in the synthèse has its caveat beside it
# --------------------------------------------------------------------------------------------

CAVEAT = {
    ("reconstructed", "fr"): "Ce sont les propres conclusions du bilan publié, tirées de réponses "
                             "déclaratives sans groupe de comparaison : ces données ne permettent "
                             "pas de les vérifier.",
    ("reconstructed", "en"): "These are the published assessment's own conclusions, drawn from "
                             "self-reported answers without a comparison group: these data cannot "
                             "verify them.",
    ("synthetic", "fr"): "Ce sont les conclusions de l'équipe d'évaluation, tirées de réponses "
                         "déclaratives sans groupe de comparaison : ces données ne permettent pas "
                         "de les vérifier.",
    ("synthetic", "en"): "These are the evaluator's conclusions, drawn from self-reported answers "
                         "without a comparison group: these data cannot verify them.",
}
#: Who speaks, before the quoted conclusion (reported speech, never the report's own voice).
LEAD = {("reconstructed", "fr"): "Selon le bilan publié :",
        ("reconstructed", "en"): "According to the published assessment, in translation "
                                 "(the French original is in section 10):",
        ("synthetic", "fr"): "L'équipe d'évaluation conclut :",
        ("synthetic", "en"): "The evaluator concludes:"}


def quoted_as(text: str, lang: str) -> str:
    """A conclusion between the quotation marks of its language (the rendered paragraph)."""
    return squash(f"« {text} »" if lang == "fr" else f"\u201c{text}\u201d")
FIRST_CONCLUSION = {"fr": "la vraie valeur réside dans l'accompagnement",
                    "en": "its real value lies in the coaching"}


def synthesis_paragraphs(html: str) -> list:
    return soup_of(html).select("section.fac-synthesis p")


@pytest.mark.parametrize("session, kind", [("2022", "reconstructed"), ("synth-2024", "synthetic")])
@pytest.mark.parametrize("lang", LANGS)
def test_the_quoted_conclusion_has_its_caveat_beside_it(shipped, session, kind, lang):
    """Perspectives without a recommendation: the synthèse quotes the first conclusion."""
    res = copy.deepcopy(shipped[session])
    res.programme = res.programme.model_copy(update={
        "perspectives": res.programme.perspectives_of("conclusion")})
    paras = synthesis_paragraphs(report.Report(res, lang=lang, generated_at=FIXED)
                                 .synthesis().data)
    texts = [squash(p.get_text()) for p in paras]
    first = res.programme.perspectives[0]
    quoted = squash(first.get(lang))
    assert quoted_as(quoted, first.lang_of(lang)) in texts, texts
    i = texts.index(quoted_as(quoted, first.lang_of(lang)))
    # who speaks comes before it; the caveat right after it, in the same type (round 6: it was
    # in small grey print under a full-size conclusion), in the report's language
    assert texts[i - 1] == squash(LEAD[kind, lang])
    assert texts[i + 1] == squash(CAVEAT[kind, lang])
    assert "small" not in paras[i + 1].get("class", []) and paras[i + 1].get("lang") is None
    # then the pointer to the conclusions in full
    assert texts[i + 2].startswith("Les conclusions et recommandations" if lang == "fr"
                                   else "The conclusions and recommendations in full")
    assert sum(t == squash(CAVEAT[kind, lang]) for t in texts) == 1
    if session == "2022":
        assert FIRST_CONCLUSION[lang] in quoted


@pytest.mark.parametrize("lang", LANGS)
def test_an_english_fallback_conclusion_keeps_its_caveat_in_english(shipped, lang):
    """A conclusion written in French only: quoted under lang="fr" in the English report, and
    the caveat beside it in the report's language."""
    from fac_eval.data.programme import Perspective as Text

    res = copy.deepcopy(shipped["synth-2024"])
    res.programme = res.programme.model_copy(update={"perspectives": [Text.model_validate(
        {"fr": "Le groupe a beaucoup progressé en autonomie."})]})
    paras = synthesis_paragraphs(report.Report(res, lang=lang, generated_at=FIXED)
                                 .synthesis().data)
    texts = [squash(p.get_text()) for p in paras]
    i = texts.index(squash("« Le groupe a beaucoup progressé en autonomie. »"))
    assert paras[i].get("lang") == ("fr" if lang == "en" else None)
    assert texts[i + 1] == squash(CAVEAT["synthetic", lang])


def test_no_caveat_without_a_quoted_conclusion(shipped):
    """No conclusion in session.yml: nothing is quoted, so no caveat either; and when the
    synthèse is too long for the conclusion, the caveat goes with it (never alone): beside the
    shortened conclusion when its first sentences are kept, gone when it is left out."""
    res = copy.deepcopy(shipped["2022"])
    res.programme = res.programme.model_copy(update={"perspectives": []})
    for lang in LANGS:
        texts = [squash(p.get_text()) for p in synthesis_paragraphs(
            report.Report(res, lang=lang, generated_at=FIXED).synthesis().data)]
        assert squash(CAVEAT["reconstructed", lang]) not in texts
    from fac_eval.data.programme import Perspective as Text

    long = " ".join(["Une conclusion très longue qui dépasse la limite de mots."] * 30)
    res.programme = res.programme.model_copy(update={"perspectives": [
        Text.model_validate({"fr": long, "en": long})]})
    for lang in LANGS:
        texts = [squash(p.get_text()) for p in synthesis_paragraphs(
            report.Report(res, lang=lang, generated_at=FIXED).synthesis().data)]
        assert squash(long) not in texts
        caveat = squash(CAVEAT["reconstructed", lang])
        quoted = [i for i, t in enumerate(texts)
                  if t.lstrip("«“ ").startswith("Une conclusion très longue")]
        if quoted:  # its first sentences are kept (quoted): the caveat right after them, once
            assert texts[quoted[0] + 1] == caveat and texts.count(caveat) == 1
            assert texts[quoted[0]].rstrip("»” ").endswith("[…]")
            assert len(texts[quoted[0]]) < len(long)
        else:
            assert caveat not in texts
        assert any(t.startswith(("Les conclusions et recommandations",
                                 "The conclusions and recommendations",
                                 "Texte abrégé ici", "Shortened here")) for t in texts), texts


# --------------------------------------------------------------------------------------------
# 2. After a colon, a label inserted into a sentence starts in lower case
# --------------------------------------------------------------------------------------------

def test_lower_first_keeps_acronyms_and_proper_nouns():
    from fac_eval.core.formatting import PROPER_NOUNS, lower_first

    for text, want in (("Communication interne", "communication interne"),
                       ("Digital literacy", "digital literacy"),
                       ("Self-esteem", "self-esteem"), ("Estime de soi", "estime de soi"),
                       ("À distance", "à distance"), ("A little", "a little"),
                       ("No normative SD could be sourced", "no normative SD could be sourced"),
                       ("EES-10 score", "EES-10 score"), ("RCI", "RCI"), ("RQTH", "RQTH"),
                       ("DigComp 2.2 areas", "DigComp 2.2 areas"),
                       ("Rosenberg scale", "Rosenberg scale"), ("Rosenberg's scale",
                                                                "Rosenberg's scale"),
                       ("Vallières & Vallerand (1990)", "Vallières & Vallerand (1990)"),
                       ("Hodges-Lehmann estimate", "Hodges-Lehmann estimate"),
                       ("Fisher-Freeman-Halton test", "Fisher-Freeman-Halton test"),
                       ("Form'Ain Cube", "Form'Ain Cube"), ("A", "A"), ("", ""),
                       ("already lower", "already lower")):
        assert lower_first(text) == want, text
    assert {"Rosenberg", "Vallières", "Holm"} <= PROPER_NOUNS


#: a colon in running text, then the word after it (a quote mark or a bracket may open)
AFTER_COLON = re.compile(r"(?<=\S) ?: [«“\"(]? ?([A-ZÀ-ÖØ-Þ][\w'’&-]*)")


def capitals_after_colons(html: str) -> list[str]:
    """Every word with a capital after a colon in the report's own text (quotes and published
    statements, under lang="fr" in English and in blockquotes or the concordance's rows in
    French, are the authors' words), attributes' texts (alt, title) included, except acronyms
    and the proper nouns of :data:`fac_eval.core.formatting.PROPER_NOUNS`."""
    from fac_eval.core.formatting import PROPER_NOUNS

    soup = soup_of(html)
    for q in soup.select("blockquote.quote > p:not(.gloss)"):
        q.decompose()
    for row in soup.select('th[data-label] span[lang="fr"], th[data-label="Énoncé publié"]'):
        row.decompose()
    texts = [squash(el.get_text(" ")) for el in soup.find_all(
        ["p", "li", "dd", "dt", "td", "th", "figcaption", "caption", "title", "h1", "h2", "h3"])]
    texts += [squash(el[attr]) for attr in ("alt", "aria-label", "title")
              for el in soup.find_all(attrs={attr: True})]
    found = []
    for text in texts:
        for m in AFTER_COLON.finditer(text):
            word = m.group(1)
            if any(ch.isupper() or ch.isdigit() for ch in word[1:]) or word in PROPER_NOUNS:
                continue
            found.append(text[max(0, m.start() - 60):m.end() + 30])
    return found


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("lang", LANGS)
def test_no_capital_after_a_colon_mid_sentence(html, name, lang):
    assert not capitals_after_colons(html[name, lang]), capitals_after_colons(html[name, lang])


def test_the_scan_finds_a_capital_after_a_colon():
    for bad in ("<p>Primary outcomes (Holm family): Self-esteem, self-confidence.</p>",
                "<p>Résultats principaux : Estime de soi.</p>",
                "<li>In French; themes: Coaching and support.</li>",
                '<figure><svg><title>Flow: Enrolled 8</title></svg></figure>',
                '<img alt="Learners\' flow: Enrolled 8">'):
        assert capitals_after_colons(bad), bad
    for good in ("<p>Reliability: Vallières &amp; Vallerand (1990).</p>",
                 "<p>Acronyms: RQTH, recognition of disabled-worker status.</p>",
                 "<p>Typical change: Hodges-Lehmann estimate.</p>",
                 "<p>Les résultats : estime de soi (Rosenberg, EES-10).</p>",
                 '<blockquote class="quote"><p lang="fr">« Bilan : Super »</p></blockquote>',
                 "<p>At 10:30 the session began.</p>"):
        assert not capitals_after_colons(good), good


@pytest.mark.parametrize("lang, stages", [
    ("fr", "Parcours des apprenants : inscrits 8 ; questionnaire d'entrée 8 ; parcours terminé 8"),
    ("en", "Learners' flow: enrolled 8; entry questionnaire 8; completed the course 8")])
def test_the_flow_chart_names_its_stages_in_lower_case_with_each_language_s_spacing(
        html, lang, stages):
    titles = [squash(t.get_text()) for t in soup_of(html["2022", lang]).find_all("title")]
    assert any(t.startswith(squash(stages)) for t in titles), titles
    if lang == "en":
        assert not any(" ;" in t or "\u202f;" in t for t in titles)


def test_an_english_data_collection_text_is_shown_as_written_beside_its_term(html):
    dd = soup_of(html["synth-2024", "en"]).find("dt", string="Data collection").find_next("dd")
    items = {dt.get_text(): squash(dt.find_next_sibling("dd").get_text(" "))
             for dt in dd.select("dl.collection > dt")}
    assert items["Questionnaires administered by"].startswith("Questionnaires generated by")
    assert items["When"].startswith("Entry, exit and follow-up")
    assert items["How anonymity was kept"].startswith("Generated pseudonymous ids")


# --------------------------------------------------------------------------------------------
# 3. In the English report, French sits in an element with lang="fr"
# --------------------------------------------------------------------------------------------

def french_outside_lang_fr(html: str) -> list[str]:
    """Each text of the English report holding a known French term (glossary.FRENCH_TERMS and
    FRENCH_WORDS) without an element with lang="fr" around it; and each quote or published
    statement that is not under lang="fr"."""
    from fac_eval.core import glossary

    soup = soup_of(html)
    terms = [t.lower() for t in (*glossary.FRENCH_TERMS, *glossary.FRENCH_WORDS)]
    bad = []
    for node in soup.find_all(string=True):
        if node.find_parent(attrs={"lang": "fr"}) is not None or node.parent.name == "title":
            continue
        text = squash(str(node)).lower().replace("’", "'")
        bad += [f"{t!r} in {squash(str(node))[:120]!r}" for t in terms
                if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text)]
    for q in soup.select("blockquote.quote > p:not(.gloss)"):
        if q.get("lang") != "fr":
            bad.append(f"quote {squash(q.get_text())[:60]!r}")
    for th in soup.select('th[data-label="Published statement"]'):  # the concordance's rows
        if th.find(attrs={"lang": "fr"}) is None:
            bad.append(f"claim {squash(th.get_text())[:60]!r}")
    return bad


@pytest.mark.parametrize("name", REPORTS)
def test_every_french_term_of_the_english_report_is_marked_french(html, name):
    assert not french_outside_lang_fr(html[name, "en"]), french_outside_lang_fr(html[name, "en"])


def test_the_french_terms_the_english_reports_print_are_marked(html):
    soup = soup_of(html["2022", "en"])
    marked = {squash(el.get_text()) for el in soup.select('[lang="fr"]')}
    for term in ("insertion par l'activité économique", "Baccalauréat",
                 "Traduction et validation canadienne-française de l'échelle de l'estime de "
                 "soi de Rosenberg", "Bassin d'Ambérieu-en-Bugey (Ain)"):
        assert term in marked, term
    # the published statements quote "porteurs de projet" under lang="fr"
    assert any("porteurs de projet" in t for t in marked)
    # a testimony quoted in French, under lang="fr", with its English gloss beside it
    quote = soup.select_one("blockquote.quote > p[lang=fr]")
    assert quote is not None and quote.find_next_sibling("p", class_="gloss") is not None
    # the English sentence around a French term stays English (no lang on the paragraph)
    glossary_para = soup.select_one("p.glossary")
    assert glossary_para.get("lang") is None
    assert glossary_para.find("span", lang="fr").get_text() == (
        "insertion par l'activité économique")
    # both session.yml give an English title (synth-2024's written by synth): no French h1
    synth = soup_of(html["synth-2024", "en"])
    assert synth.find("h1").get("lang") is None
    assert squash(synth.find("h1").get_text()) == "Form'Ain Cube — 2024 session (synthetic)"
    assert soup.find("h1").get("lang") is None
    assert squash(soup.find("h1").get_text()) == "Form'Ain Cube — 2022 session"


def test_the_french_report_has_no_inner_lang_marks_for_its_own_terms(html):
    for name in REPORTS:
        soup = soup_of(html[name, "fr"])
        assert not soup.select('[lang="fr"]'), name
        if name != "comparison":
            assert "insertion par l'activité économique" in squash(soup.get_text(" "))


def test_the_scan_finds_unmarked_french():
    assert french_outside_lang_fr("<p>IAE, insertion par l'activité économique, a framework.</p>")
    assert french_outside_lang_fr("<p>The sortie dynamique rate.</p>")
    assert french_outside_lang_fr('<blockquote class="quote"><p>“Super”</p></blockquote>')
    assert french_outside_lang_fr('<table><tr><th scope="row" data-label="Published statement">'
                                  'Tous ont progressé</th></tr></table>')
    assert not french_outside_lang_fr(
        '<p>IAE, <span lang="fr">insertion par l’activité économique</span>, a framework.</p>')
    assert not french_outside_lang_fr("<p>Positive exits of the founders.</p>")


def test_lang_parts_splits_only_the_english_report():
    from fac_eval.report import render

    text = "IAE, insertion par l’activité économique, the framework; see Baccalauréat."
    assert render.lang_parts(text) == [(text, None)]  # outside a rendering: one piece
    token = render._REPORT_LANG.set("en")
    try:
        assert render.lang_parts(text) == [
            ("IAE, ", None), ("insertion par l’activité économique", "fr"),
            (", the framework; see ", None), ("Baccalauréat", "fr"), (".", None)]
        assert render.lang_parts(5) == [(5, None)]
        # a word that only starts like a term is not cut
        assert render.lang_parts("Baccalauréats") == [("Baccalauréats", None)]
    finally:
        render._REPORT_LANG.reset(token)
    token = render._REPORT_LANG.set("fr")
    try:
        assert render.lang_parts(text) == [(text, None)]
    finally:
        render._REPORT_LANG.reset(token)


# --------------------------------------------------------------------------------------------
# 4. The Rosenberg items read as the published scales
# --------------------------------------------------------------------------------------------

#: ses_01…ses_10 in the order of the French validation (Vallières & Vallerand 1990, its
#: parentheses written as the convention's doublets) and Rosenberg's (1965) English wording;
#: the reversed items are 3, 5, 8, 9 and 10.
ROSENBERG = (
    ("Je pense que je suis une personne de valeur, au moins égale à n'importe qui d'autre",
     "I feel that I am a person of worth, at least on an equal plane with others"),
    ("Je pense que je possède un certain nombre de belles qualités",
     "I feel that I have a number of good qualities"),
    ("Tout bien considéré, je suis porté ou portée à me considérer comme un raté ou une ratée",
     "All in all, I am inclined to feel that I am a failure"),
    ("Je suis capable de faire les choses aussi bien que la majorité des gens",
     "I am able to do things as well as most other people"),
    ("Je sens peu de raisons d'être fier ou fière de moi",
     "I feel I do not have much to be proud of"),
    ("J'ai une attitude positive vis-à-vis moi-même", "I take a positive attitude toward myself"),
    ("Dans l'ensemble, je suis satisfait ou satisfaite de moi",
     "On the whole, I am satisfied with myself"),
    ("J'aimerais avoir plus de respect pour moi-même", "I wish I could have more respect for myself"),
    ("Parfois je me sens vraiment inutile", "I certainly feel useless at times"),
    ("Il m'arrive de penser que je suis un bon ou une bonne à rien",
     "At times I think I am no good at all"),
)


def test_the_rosenberg_items_are_the_published_wordings_in_the_convention():
    from test_language import forbidden_in

    from fac_eval.data import codebook as cb

    for i, (fr, en) in enumerate(ROSENBERG, start=1):
        item = cb.find_item(f"ses_{i:02d}")
        assert (item.label_fr, item.label_en) == (fr, en), i
        assert item.reversed == (i in (3, 5, 8, 9, 10)), i
        assert item.scale == "self_esteem"
        assert not forbidden_in(item.label_fr), item.label_fr
        assert "·" not in item.label_fr and "(e)" not in item.label_fr


@pytest.mark.parametrize("header, item", [
    ("Tout bien considéré, je suis porté ou portée à me considérer comme un raté ou une ratée",
     "ses_03"),
    # the wording of the entry templates before the convention, and the publication's
    ("Tout bien considéré, je suis porté·e à me considérer comme un·e raté·e", "ses_03"),
    ("Tout bien considéré, je suis porté(e) à me considérer comme un(e) raté(e)", "ses_03"),
    ("Je sens peu de raisons d'être fier·e de moi", "ses_05"),
    ("je sens peu de raisons d’être fier(e) de moi", "ses_05"),
    ("Dans l'ensemble, je suis satisfait(e) de moi", "ses_07"),
    ("DANS L'ENSEMBLE, JE SUIS SATISFAIT·E DE MOI", "ses_07"),
    ("Il m'arrive de penser que je suis un·e bon·ne à rien", "ses_10"),
    ("Il m'arrive de penser que je suis un(e) bon(ne) à rien", "ses_10"),
    ("At times I think I am no good at all", "ses_10"),
])
def test_every_wording_of_a_rosenberg_item_reads_as_its_column(header, item):
    from fac_eval.data import io

    assert io.map_header(header, "learners_entry") == item
    assert io.map_header(header, "learners_exit") == item


# --------------------------------------------------------------------------------------------
# The English report read as English (a bilingual reader's pass over the 2022 report)
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", REPORTS)
def test_the_english_reports_avoid_the_calques_a_reader_found(html, name):
    text = squash(soup_of(html[name, "en"]).get_text(" "))
    for calque in ("is not collected yet", "are not collected yet", "founders accompanied",
                   "Public and needs identified", "a other", "a good digital literacy",
                   "project oneself", "insensitive to accents", "minus neutralised exits",
                   "All learners of the raw data", "digital side, experimenting",
                   "far from employment"):
        assert calque not in text, (name, calque)


def test_the_english_2022_report_says_it_in_english(html):
    text = squash(soup_of(html["2022", "en"]).get_text(" "))
    for said in ("A 3-month follow-up was planned; its results are not in these data.", "4 founders supported",
                 "Participants and their needs",
                 "1 founder out of 4 (25%, 95% CI: 1–81%) already had good digital literacy "
                 "at entry.", "Every learner in the data, and why any were left out",
                 "Help businesses grow faster by building up their digital capabilities",
                 "whose definitions the follow-up uses;"):
        assert said in text, said
    cmp = squash(soup_of(html["comparison", "en"]).get_text(" "))
    assert "(self-esteem, self-confidence, digital skills, ability to see one's professional " \
           "future)" in cmp


def test_the_comparison_lists_its_primary_outcomes_in_lower_case_in_both_languages(html):
    """A list of labels inside a sentence (in brackets, not only after a colon)."""
    for lang, listed in (("fr", "(estime de soi, confiance en soi, compétences numériques, "
                                "capacité à se projeter)"),
                         ("en", "(self-esteem, self-confidence, digital skills, ability to see "
                                "one's professional future)")):
        dd = soup_of(html["comparison", lang]).find(
            "dt", string=re.compile("Plusieurs dimensions|Several outcomes")).find_next("dd")
        assert listed in squash(dd.get_text(" ")), squash(dd.get_text(" "))
