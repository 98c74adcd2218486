"""Issue 13, the funder's review F5: the synthèse's "what comes next" quoted the first
perspective, a retrospective conclusion ("the real value lies in the coaching"); the
publication's forward recommendation (developing the learners' professional network) was only in
the Perspectives section.

A perspective now says whether it is a conclusion (the default) or a recommendation
(``kind: recommendation``); the synthèse quotes the first recommendation under what comes next,
the first conclusion only when no recommendation is given, and the Perspectives section gives
both, each under its own heading.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO

from fac_eval import report
from fac_eval.data import programme

RAW = REPO / "data" / "raw"
FIXED = dt.datetime(2026, 12, 3, 9, 0)
SEED = REPO.parent / "shared" / "seeds" / "000_b96b6ab22750092d.txt"
NETWORK = {"fr": "développement de leur réseau professionnel", "en": "professional network"}
COACHING = {"fr": "la vraie valeur réside dans l'accompagnement",
            "en": "its real value lies in the coaching"}


def flat(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def what_comes_next(html: str) -> str:
    """The synthèse's last part: after its heading "Conclusions and what comes next"."""
    soup = BeautifulSoup(html, "html.parser")
    heading = [h for h in soup.find_all(["h3", "h4", "p", "strong"])
               if flat(h.get_text()) in ("Conclusions et suites", "Conclusions and what comes next")]
    assert len(heading) == 1
    return flat(" ".join(e.get_text(" ") for e in heading[0].find_all_next("p")))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_2022_synthesis_says_the_published_recommendation_as_what_comes_next(shipped, lang):
    rep = report.Report(shipped["2022"], lang=lang, generated_at=FIXED)
    after = what_comes_next(rep.synthesis().data)
    assert NETWORK[lang] in after
    assert COACHING[lang] not in after  # a retrospective conclusion: in section 10
    perspectives = flat(BeautifulSoup(rep.perspectives().data, "html.parser").get_text(" "))
    assert COACHING[lang] in perspectives and NETWORK[lang] in perspectives


def test_the_2022_recommendation_is_the_publications_own_words():
    """The paragraph marked as a recommendation is quoted verbatim from the publication, and
    the publication words it as one ("pourrait être orienté")."""
    meta = yaml.safe_load((RAW / "2022" / "session.yml").read_text(encoding="utf-8"))
    advice = [p for p in meta["perspectives"] if isinstance(p, dict)
              and p.get("kind") == "recommendation"]
    assert len(advice) == 1
    assert advice[0]["fr"] in SEED.read_text(encoding="utf-8")
    assert "pourrait être orienté" in advice[0]["fr"]


@pytest.mark.parametrize("session, conclusions, recommendations", [
    ("2022", "Conclusions du bilan publié (texte de la structure)",
     "Recommandations du bilan publié (texte de la structure)"),
    ("synth-2024", "Les conclusions de l'évaluation", "Les recommandations de l'évaluation"),
])
def test_the_perspectives_section_gives_conclusions_then_recommendations(
        shipped, session, conclusions, recommendations):
    soup = BeautifulSoup(report.Report(shipped[session], lang="fr", generated_at=FIXED)
                         .perspectives().data, "html.parser")
    headings = [flat(h.get_text()) for h in soup.find_all(["h3", "h4"])]
    assert headings.index(conclusions) < headings.index(recommendations)
    heading = next(h for h in soup.find_all(["h3", "h4"])
                   if flat(h.get_text()) == recommendations)
    after = flat(heading.find_next("p").get_text())
    advice = shipped[session].programme.perspectives_of("recommendation")[0]
    assert flat(advice.fr) in after


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_evaluators_recommendation_is_quoted_with_who_recommends(shipped, lang):
    """A French-only recommendation in the English report keeps its French under lang="fr";
    the lead says it is the evaluator's reading, not a result of the data; no conclusion
    caveat is said without a quoted conclusion."""
    res = copy.deepcopy(shipped["synth-2024"])
    text = "Ouvrir une deuxième session à l'automne avec les mêmes partenaires."
    res.programme = res.programme.model_copy(update={"perspectives": [
        programme.Perspective(fr="Le groupe a beaucoup progressé."),
        programme.Perspective(fr=text, kind="recommendation")]})
    soup = BeautifulSoup(report.Report(res, lang=lang, generated_at=FIXED).synthesis().data,
                         "html.parser")
    paras = soup.select("p")
    said = [flat(p.get_text()) for p in paras]
    i = said.index(f"« {text} »")
    assert said[i - 1] == ("L'équipe d'évaluation recommande (une lecture, non un résultat de ces "
                           "données) :" if lang == "fr" else
                           "The evaluator recommends (a reading, not a result of these data):")
    assert paras[i].get("lang") == ("fr" if lang == "en" else None)
    assert not any("Le groupe a beaucoup progressé" in t for t in said)
    assert not any(t.startswith(("Ce sont les conclusions", "These are the evaluator's"))
                   for t in said)


@pytest.mark.parametrize("typed", ["advice", "Recommandation", "1", "[recommendation]"])
def test_an_unknown_kind_of_perspective_is_refused_with_its_line(typed):
    text = ("perspectives:\n"
            "  - Le groupe a beaucoup progressé.\n"
            f"  - fr: Ouvrir une deuxième session.\n    kind: {typed}\n")
    prog, probs = programme.parse_programme(yaml.safe_load(text), text)
    assert prog is None and len(probs) == 1
    p = probs[0]
    assert (p.file, p.row, p.column) == ("session.yml", 4, "perspectives[2].kind")
    assert p.expected == "l'une des valeurs « conclusion », « recommendation »"
    assert p.expected_en == 'one of "conclusion", "recommendation"'
    assert p.value == (None if typed.startswith("[") else typed)


def test_a_single_recommendation_may_be_written_as_one_mapping():
    text = "perspectives:\n  fr: Ouvrir une deuxième session.\n  kind: recommendation\n"
    prog, probs = programme.parse_programme(yaml.safe_load(text), text)
    assert probs == [] and prog is not None
    assert [p.kind for p in prog.perspectives] == ["recommendation"]
    assert prog.perspectives_of("conclusion") == []


# ---- F9: half hours, values as written, lines and keys -------------------------------------

@pytest.mark.parametrize("typed, hours", [("37.5", "37.5"), ('"37,5"', "37.5"), ("37,5", "37.5"),
                                          ("420", "420"), ('"1 200"', "1200"), ("0.25", "0.25")])
def test_training_hours_may_have_decimals(typed, hours):
    from decimal import Decimal

    text = f"activities:\n  training_hours: {typed}\n"
    prog, probs = programme.parse_programme(yaml.safe_load(text), text)
    assert probs == [] and prog is not None and prog.activities is not None
    assert prog.activities.training_hours == Decimal(hours)


@pytest.mark.parametrize("typed, kind", [("37.125", "out_of_range"), ("yes", "wrong_type"),
                                         ("beaucoup", "wrong_type"), ("-0.5", "out_of_range"),
                                         ("37h30", "wrong_type")])
def test_hours_refused_say_what_hours_look_like(typed, kind):
    text = f"activities:\n  training_hours: {typed}\n"
    _, probs = programme.parse_programme(yaml.safe_load(text), text)
    assert len(probs) == 1
    p = probs[0]
    assert (p.row, p.column, p.value, p.kind) == (2, "activities.training_hours", typed, kind)
    if kind == "wrong_type" or typed == "37.125":
        assert p.expected_en == "a number of hours (e.g. 420 or 37.5; at most 2 decimals)"
        assert p.expected == "un nombre d'heures (par ex. 420 ou 37,5 ; au plus 2 décimales)"


@pytest.mark.parametrize("lang, hours, said", [("fr", "1.5", "1,5 heure de formation"),
                                               ("en", "1.5", "1.5 hours of training"),
                                               ("fr", "37.5", "37,5 heures de formation"),
                                               ("en", "1", "1 hour of training")])
def test_decimal_hours_are_said_with_the_locales_plural(shipped, lang, hours, said):
    from decimal import Decimal

    res = copy.deepcopy(shipped["synth-2024"])
    activities = res.programme.activities.model_copy(update={"training_hours": Decimal(hours)})
    res.programme = res.programme.model_copy(update={"activities": activities})
    html = report.Report(res, lang=lang, generated_at=FIXED).context().data
    items = [flat(li.get_text()) for li in BeautifulSoup(html, "html.parser").select("li")]
    assert said in items


@pytest.mark.parametrize("typed", ["yes", "true", "on", "True", "no"])
def test_a_yes_no_value_is_echoed_as_written(typed):
    text = f"activities:\n  collective_sessions: {typed}\n"
    _, probs = programme.parse_programme(yaml.safe_load(text), text)
    assert [p.value for p in probs] == [typed]
    assert f"« {typed} »" in probs[0].message("fr") and f'"{typed}"' in probs[0].message("en")


def test_a_yaml_problem_names_its_line_and_key_never_a_column():
    text = "budget:\n  total: 100\n  funders:\n    - name: ''\n      amount: 70\n"
    _, probs = programme.parse_programme(yaml.safe_load(text), text)
    fr, en = probs[0].message("fr"), probs[0].message("en")
    assert fr.startswith("session.yml, ligne 4, clé « budget.funders[1].name » :"), fr
    assert en.startswith('session.yml, line 4, key "budget.funders[1].name":'), en
    assert "colonne" not in fr and "column" not in en and "cellule" not in fr
    # a spreadsheet keeps its rows and columns
    from fac_eval.data.validation import problem

    cell = problem("learners_entry.csv", 3, "id", "", "missing_value")
    assert cell.message("fr").startswith("learners_entry.csv, ligne 3, colonne « id »")
    assert cell.message("en").startswith('learners_entry.csv, row 3, column "id"')


# ---- F17: every missing PDF tool named at once ----------------------------------------------

def _path_with(tmp_path, *tools):
    """A PATH holding only executables named ``tools`` (empty scripts)."""
    import os

    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    for tool in tools:
        exe = folder / tool
        exe.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
        os.chmod(exe, 0o755)
    return str(folder)


@pytest.mark.parametrize("tools, missing, packages", [
    ((), "both", ("`chromium`", "`poppler-utils`", "apt-get install chromium poppler-utils")),
    (("chromium",), "pdftotext", ("`poppler-utils`",)),
    (("pdftotext",), "chromium", ("`chromium`",)),
])
def test_the_pdf_tools_missing_are_named_in_one_message(monkeypatch, tmp_path, tools, missing,
                                                        packages):
    from fac_eval.run import pdf, pipeline

    monkeypatch.setenv("PATH", _path_with(tmp_path, *tools))
    monkeypatch.delenv("FAC_EVAL_CHROMIUM", raising=False)
    monkeypatch.setitem(__import__("sys").modules, "pypdf", None)  # no fallback reader
    with pytest.raises(pdf.PdfUnavailable) as err:
        pdf.check_tools()
    assert err.value.missing == missing
    said = pipeline._print_pdf("s", tmp_path / "r.html", tmp_path / "r.pdf", pdf)
    assert said is not None
    for text in said:
        for package in packages:
            assert package in text, text
        assert "HTML" in text
    if missing == "both":
        assert said[0].startswith("Pas de PDF : ni Chromium ni pdftotext")
        assert said[1].startswith("No PDF: neither Chromium nor pdftotext")
    assert not (tmp_path / "r.pdf").exists()


def test_a_wrong_chromium_path_and_no_reader_are_said_together(monkeypatch, tmp_path):
    from fac_eval.run import pdf

    monkeypatch.setenv("PATH", _path_with(tmp_path))
    monkeypatch.setenv("FAC_EVAL_CHROMIUM", str(tmp_path / "nothing"))
    monkeypatch.setitem(__import__("sys").modules, "pypdf", None)
    with pytest.raises(pdf.PdfUnavailable) as err:
        pdf.check_tools()
    fr = err.value.message("fr")
    assert f"FAC_EVAL_CHROMIUM={tmp_path / 'nothing'}" in fr and "`poppler-utils`" in fr


# ---- F14: funding shares that add up -------------------------------------------------------

def _funding_rows(shipped, amounts, total, lang="fr"):
    from decimal import Decimal

    res = copy.deepcopy(shipped["synth-2024"])
    funders = [programme.Funder(name=f"Financeur {i}", amount=Decimal(a))
               for i, a in enumerate(amounts, start=1)]
    budget = res.programme.budget.model_copy(update={"total": Decimal(total), "funders": funders})
    res.programme = res.programme.model_copy(update={"budget": budget})
    soup = BeautifulSoup(report.Report(res, lang=lang, generated_at=FIXED).costs().data,
                         "html.parser")
    table = soup.select("table")[0]
    rows = [[flat(c.get_text()) for c in tr.find_all(["th", "td"])] for tr in table.select("tr")]
    return rows[1:], flat(soup.get_text(" "))


@pytest.mark.parametrize("amounts, total, shares, note", [
    ((60000, 40000), 100000, ["60 %", "40 %"], False),
    ((12500, 87500), 100000, ["12,5 %", "87,5 %"], False),        # 13 % + 88 % would be 101 %
    ((99600, 400), 100000, ["99,6 %", "0,4 %"], False),            # never a funder at 0 %
    ((1000, 1000, 1000), 3000, ["33,3 %", "33,3 %", "33,3 %"], True),
    ((50000, 30000), 96500, ["52 %", "31 %", "17 %"], False),  # with the unattributed rest
])
def test_funding_shares_add_up_or_say_they_do_not(shipped, amounts, total, shares, note):
    rows, around = _funding_rows(shipped, amounts, total)
    assert [r[2] for r in rows[:-1]] == shares
    assert rows[-1][2] == "100 %"
    said = "Les parts sont arrondies : leur somme ne fait pas exactement 100 %."
    assert (said in around) is note


def test_share_decimals_against_hand_sums():
    from fractions import Fraction

    from fac_eval.core.formatting import share_decimals

    assert share_decimals([0.6, 0.4]) == (0, True)
    assert share_decimals([0.125, 0.875]) == (1, True)
    assert share_decimals([Fraction(1, 3)] * 3) == (1, False)
    assert share_decimals([0.996, 0.004]) == (1, True)
    assert share_decimals([Fraction(1, 3)] * 3, most=2) == (2, False)  # 99,99 %


# ---- G5, G6: a pending box and a short list are never split across pages --------------------

def _pages_of(pages, text):
    """The printed pages on which ``text`` (its words, whatever the line breaks) appears."""
    flat_pages = [flat(p) for p in pages]
    return [i for i, p in enumerate(flat_pages, start=1) if text in p]


@pytest.mark.slow
def test_the_interim_pending_boxes_and_short_lists_print_whole(tmp_path, monkeypatch):
    import shutil as sh

    from test_pdf import _print_session

    from fac_eval.run import pdf

    raw = tmp_path / "raw"
    folder = raw / "int"
    sh.copytree(RAW / "synth-2024", folder)
    for name in ("learners_exit", "founders_exit", "followup"):
        path = folder / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    meta = folder / "session.yml"
    meta.write_text(re.sub(r"(?m)^end_date: .*$", "end_date: 2027-06-30",
                           meta.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setenv("FAC_EVAL_RAW", str(raw))
    html, printed = _print_session(tmp_path, "int")
    pages = pdf.pdf_text(printed)
    soup = BeautifulSoup(html, "html.parser")
    boxes = [flat(b.get_text(" ")) for b in soup.select("div.pending")]
    assert len(boxes) >= 3
    for box in boxes:  # its first and last words on one page
        words = box.split()
        head, tail = " ".join(words[:4]), " ".join(words[-4:])
        first, last = _pages_of(pages, head), _pages_of(pages, tail)
        assert first and last and set(first) & set(last), (box, first, last)
    done = [flat(li.get_text(" ")) for li in soup.select("ul.findings li")]
    items = [t for t in done if re.fullmatch(
        r"\d+ (heures de formation|temps (collectifs|individuels) d'accompagnement|porteurs de "
        r"projet accompagnés)", t)]
    assert len(items) == 4
    assert len({p for t in items for p in _pages_of(pages, t)}) == 1


# ---- R5 (#12), funder review: the neutralised list is said to be the tool's default ---------

@pytest.mark.parametrize("listed, fr", [
    (None, "selon la liste par défaut de l'outil : longue maladie"),
    (["moved_away", "deceased"], "telles que listées pour cette session : déménagement hors du "
                                 "territoire, décès)"),
])
def test_the_neutralised_situations_say_whose_list_they_are(shipped, listed, fr):
    res = copy.deepcopy(shipped["synth-2024"])
    if listed is not None:
        res.meta = {**res.meta, "neutralised_situations": listed}
    text = flat(BeautifulSoup(report.Report(res, lang="fr", generated_at=FIXED).followup().data,
                              "html.parser").get_text(" "))
    assert fr in text
    assert ("telle que cet outil l'applique" in text) is (listed is None)
    en = flat(BeautifulSoup(report.Report(res, lang="en", generated_at=FIXED).followup().data,
                            "html.parser").get_text(" "))
    assert ("by the tool's default list" in en) is (listed is None)


# ---- funder review: the comparison's "what comes next" looks ahead ---------------------------

@pytest.mark.parametrize("lang, lead", [
    ("fr", "L'équipe d'évaluation de synth-2024 recommande (une lecture, non un résultat de ces "
           "données) :"),
    ("en", "The evaluator of synth-2024 recommends (a reading, not a result of these data):"),
])
def test_the_comparison_synthesis_quotes_the_latest_recommendation(lang, lead):
    from fac_eval.analysis import comparison as compare
    from fac_eval.report.comparison import ComparisonReport
    from fac_eval.report.synthesis_words import SYNTHESIS_MAX_WORDS, count_words

    both = compare.compare_sessions("2022,synth-2024", raw_dir=RAW)
    html = ComparisonReport(both, lang=lang, generated_at=FIXED).synthesis().data
    paras = [flat(p.get_text(" ")) for p in BeautifulSoup(html, "html.parser").select("p")]
    i = paras.index(lead)
    advice = both.sessions[-1].programme.perspectives_of("recommendation")[0]
    assert flat(advice.get(lang)) in paras[i + 1]
    assert count_words(html) <= SYNTHESIS_MAX_WORDS


def test_the_comparison_recommendation_falls_back_to_an_earlier_session_and_gives_way(shipped):
    """The latest session gives no recommendation: the latest one that does (2022's, as
    published); a synthèse over the word limit leaves it out before anything else."""
    from fac_eval.analysis import comparison as compare
    from fac_eval.report.comparison import ComparisonReport

    both = compare.compare_sessions("2022,synth-2024", raw_dir=RAW)
    last = both.sessions[-1]
    last.programme = last.programme.model_copy(update={
        "perspectives": last.programme.perspectives_of("conclusion")})
    html = ComparisonReport(both, lang="fr", generated_at=FIXED).synthesis().data
    text = flat(BeautifulSoup(html, "html.parser").get_text(" "))
    assert "Le bilan publié de 2022 recommande (lecture de ses auteurs" in text
    assert NETWORK["fr"] in text
    long = "Une recommandation très longue " + "et encore " * 150 + "qui ne tient pas."
    last.programme = last.programme.model_copy(update={"perspectives": [
        programme.Perspective(fr=long, kind="recommendation")]})
    html = ComparisonReport(both, lang="fr", generated_at=FIXED).synthesis().data
    from fac_eval.report.synthesis_words import SYNTHESIS_MAX_WORDS, count_words

    assert count_words(html) <= SYNTHESIS_MAX_WORDS
    assert "Une recommandation très longue" not in html  # one sentence too long: left out
    assert "Session 2022 : pas de données de suivi." in flat(BeautifulSoup(html, "html.parser").get_text(" "))


def test_the_comparison_cost_table_names_the_sessions_without_a_budget():
    from fac_eval.analysis import comparison as compare
    from fac_eval.report.comparison import ComparisonReport

    both = compare.compare_sessions("2022,synth-2024", raw_dir=RAW)
    for lang, said in (("fr", "Aucun budget n'est donné pour 2022 : pas de chiffre de coût."),
                       ("en", "No budget is given for 2022: no cost figure for it.")):
        rep = ComparisonReport(both, lang=lang, generated_at=FIXED)
        html = rep.render_blocks(rep.cost_blocks())
        assert said in flat(BeautifulSoup(html, "html.parser").get_text(" "))
