"""The reports' markup, built by templates from view models: tables that can stack on phones,
row headers, captions outside any scroller, labelled scroll regions, named figures, French
passages marked in the English report, and no HTML built in Python."""

from __future__ import annotations

import ast
import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup
from conftest import REPO
from markupsafe import Markup

from fac_eval import report
from fac_eval.analysis import comparison as compare
from fac_eval.analysis import results as analysis
from fac_eval.report import views
from fac_eval.report.comparison import ComparisonReport

RAW = REPO / "data" / "raw"
SESSION_SECTIONS = ("header", "toc", "synthesis", "key_figures", "objectives", "context", "public",
                    "learners", "founders", "followup", "costs", "testimonies", "perspectives",
                    "claims", "methods", "provenance")
COMPARISON_SECTIONS = ("header", "toc", "synthesis", "sessions", "indicators", "trends", "pooled",
                       "methods", "provenance")
FIXED = dt.datetime(2026, 1, 2, 3, 4)


@pytest.fixture(scope="module")
def sessions(shipped):
    return {s: shipped[s] for s in ("2022", "synth-2024")}


@pytest.fixture(scope="module")
def rendered(sessions):
    """Every section of 2022 (fr, en), synth-2024 (en) and the comparison (fr, en), parsed."""
    out = {}
    for name, lang in (("2022", "fr"), ("2022", "en"), ("synth-2024", "en")):
        rep = report.Report(sessions[name], lang=lang, generated_at=FIXED)
        out[f"{name}_{lang}"] = "".join(getattr(rep, s)().data for s in SESSION_SECTIONS)
    comp = compare.compare_sessions(list(sessions.values()))
    for lang in ("fr", "en"):
        rep = ComparisonReport(comp, lang=lang, generated_at=FIXED)
        out[f"cmp_{lang}"] = "".join(getattr(rep, s)().data for s in COMPARISON_SECTIONS)
    return {k: BeautifulSoup(v, "html.parser") for k, v in out.items()}


def test_every_cell_carries_its_column_header(rendered):
    n_tables = 0
    for name, soup in rendered.items():
        for table in soup.select("table.fac-table"):
            n_tables += 1
            header = [th.get_text() for th in table.thead.find_all("th")]
            assert all(th.get("scope") == "col" for th in table.thead.find_all("th"))
            for tbody in table.find_all("tbody"):
                rows = tbody.find_all("tr")
                if "group-head" in (rows[0].get("class") or []):
                    # a grouped table: the group's name heads its tbody, once, over all columns
                    (head,) = rows[0].find_all(["td", "th"])
                    assert head.name == "th" and head.get("scope") == "rowgroup", name
                    assert head.get("colspan") == str(len(header)), name
                    assert all("group-head" not in (r.get("class") or []) for r in rows[1:])
                    rows = rows[1:]
                for tr in rows:
                    cells = tr.find_all(["td", "th"])
                    assert [c.get("data-label") for c in cells] == header[:len(cells)], name
                    # the row's label is its header cell; the other cells are data
                    assert cells[0].name == "th" and cells[0].get("scope") == "row", name
                    assert all(c.name == "td" for c in cells[1:]), name
            # explicit roles: the table stays a table for assistive technology when narrow
            # screens lay its rows out as blocks
            assert table.get("role") == "table", name
            assert {c.get("role") for c in table.find_all("td")} <= {"cell"}, name
            assert {c.get("role") for c in table.find_all("th", scope="row")} <= {"rowheader"}
            assert all(r.get("role") == "row" for r in table.find_all("tr")), name
    assert n_tables >= 20


def test_profile_table_names_each_characteristic_once(rendered):
    """Gender, age band, education: each names its group of rows once (a rowgroup header), the
    category is the row's header; nothing is repeated row after row."""
    for name in ("2022_fr", "2022_en"):
        soup = rendered[name]
        (table,) = [t for t in soup.select("table.fac-table")
                    if t.find("th", scope="rowgroup") is not None]
        groups = [tb.find("th", scope="rowgroup").get_text() for tb in table.find_all("tbody")]
        want = (["Genre", "Tranche d'âge", "Niveau de diplôme"] if name.endswith("fr")
                else ["Gender", "Age band", "Education level"])
        assert groups == want, name
        first = table.find_all("tbody")[0].find_all("tr")[1]
        assert first.find("th", scope="row").get_text() in ("Femme", "Woman", "Female")
        body_text = [c.get_text() for c in table.find_all(["td", "th"], scope=lambda s: s != "rowgroup")]
        assert not set(want) & set(body_text), name


def test_captions_sit_outside_focusable_labelled_scroll_regions(rendered):
    for name, soup in rendered.items():
        for wrap in soup.select("div.table-wrap"):
            caption = wrap.find("p", class_="table-caption")
            region = wrap.find(class_="table-scroll")
            assert caption is not None and region is not None, name
            assert caption.find_parent(class_="table-scroll") is None
            assert region.get("tabindex") == "0" and region.get("role") == "region"
            assert region["aria-labelledby"] == caption["id"]
            assert region.find("table")["aria-labelledby"] == caption["id"]
            assert caption.get_text().startswith(("Tableau ", "Table "))
            note = wrap.find("p", class_="table-note")
            assert note is None or note.find_parent(class_="table-scroll") is None
        ids = [p["id"] for p in soup.select("p.table-caption")]
        assert len(ids) == len(set(ids)), name  # one id per table


def test_no_aria_label_on_spans_and_translated_hidden_words(rendered):
    for name, soup in rendered.items():
        assert not soup.select("span[aria-label]"), name
    fr, en = rendered["2022_fr"], rendered["2022_en"]
    marks_fr = [s.get_text() for s in fr.select("span.visually-hidden")]
    marks_en = [s.get_text() for s in en.select("span.visually-hidden")]
    assert marks_fr and set(marks_fr) <= {"concorde", "ne concorde pas"}
    assert marks_en and set(marks_en) <= {"agrees", "does not agree"}
    assert all(s.get("aria-hidden") == "true" for s in en.select("span.ok, span.ko"))


def test_figures_have_captions_and_accessible_names(rendered):
    for name, soup in rendered.items():
        figures = soup.select("figure.fac-figure")
        assert figures, name
        for fig in figures:
            svg = fig.find("svg")  # inline SVG named by its alt text (fac_eval.report.plots.figure_svg)
            assert svg is not None and svg["role"] == "img"
            title = svg.find("title")
            assert title is not None and svg["aria-labelledby"] == title["id"]
            assert len(title.get_text()) > 20
            assert fig.figcaption.get_text().startswith("Figure ")


def test_figure_block_takes_inline_svg(sessions):
    rep = report.Report(sessions["2022"], lang="en")
    svg = Markup('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                 '<text x="1" y="9">7 of 8</text></svg>')
    fig = rep.figure(svg, "A caption with <b> escaped.", "Seven learners out of eight")
    html = rep.render_blocks([fig])
    soup = BeautifulSoup(html, "html.parser")
    holder = soup.select_one("figure.fac-figure > div.fac-svg")
    assert holder["role"] == "img" and holder["aria-label"] == "Seven learners out of eight"
    assert holder.find("svg").find("text").get_text() == "7 of 8"  # kept as markup, not escaped
    assert "&lt;b&gt;" in html and soup.find("img") is None
    # a figure of a reconstructed session (2022) is marked illustrative by default
    assert soup.figcaption.get_text() == "Figure 1. illustrative A caption with <b> escaped."


def test_french_passages_are_marked_in_the_english_report(rendered):
    en = rendered["2022_en"]
    claims = [s for s in en.select("table.fac-table th[scope=row] span[lang]")]
    assert claims and all(s["lang"] == "fr" for s in claims)
    assert any("apprenants" in s.get_text() for s in claims)
    quotes = rendered["synth-2024_en"].select("blockquote.quote p:not(.gloss)")
    assert quotes and all(q.get("lang") == "fr" for q in quotes)
    # each French quote has its short English gloss (issue 12, §7), not marked French
    glosses = rendered["synth-2024_en"].select("blockquote.quote p.gloss")
    assert len(glosses) == len(quotes) and not any(g.get("lang") for g in glosses)
    fr = rendered["2022_fr"]
    assert not fr.select("[lang]")  # the French report is French throughout
    # a block in another language: the template writes its lang attribute
    html = report.Report(analysis.compute_session(RAW / "2022"), lang="en").render_blocks(
        [views.Para("Notre projet concerne un groupe de 8 apprenants", lang="fr")])
    assert html == '<p lang="fr">Notre projet concerne un groupe de 8 apprenants</p>'


def test_text_is_escaped_with_french_spacing():
    rep = report.Report.__new__(report.Report)  # no results needed for a paragraph
    rep.lang = "fr"
    html = rep.render_blocks([views.Para("7 sur 8 : <b>88 %</b> « oui »")])
    assert html == "<p>7 sur 8&#160;: &lt;b&gt;88&#160;%&lt;/b&gt; «&#8239;oui&#8239;»</p>"


def _fstring_markup(path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
    found = []
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if re.search(r"<[A-Za-z/!]", text):  # a tag (not the "< 3" of a hidden cell)
                found.append(f"{path.name}:{node.lineno}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                re.search(r"<(p|div|span|table|tr|td|th|li|ul|h\d|figure)\b", node.value):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_python_builds_no_html():
    paths = [*(REPO / "fac_eval" / "report").glob("*.py"), REPO / "fac_eval" / "analysis" / "comparison.py"]
    found = [hit for p in paths for hit in _fstring_markup(p)]
    assert not found, found


def stylesheet() -> tuple[str, str]:
    """report.css without its comments, split into ``(screen, print)``: the rules outside any
    ``@media print { … }`` block and those inside them, each with its spaces collapsed."""
    css = (REPO / "fac_eval" / "templates" / "report.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    screen, printed, at = [], [], 0
    for m in re.finditer(r"@media print\s*\{", css):
        if m.start() < at:
            continue
        depth, i = 1, m.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[i], 0)
            i += 1
        screen.append(css[at:m.start()])
        printed.append(css[m.end():i - 1])
        at = i
    screen.append(css[at:])
    return " ".join(" ".join(screen).split()), " ".join(" ".join(printed).split())


def test_the_learners_figure_carries_its_printed_layout_named_by_the_same_alt_text(rendered):
    """Issue 13: Figure 2 (the learners' six panels) holds the screen's chart (5 in, two
    panels a row) and, after it, the printed layout (9 in, three a row: class print-only),
    both named by the same alt text; no other figure has a second chart. The stylesheet hides
    the printed layout on screen and the screen's chart in print."""
    for name in ("2022_fr", "2022_en", "synth-2024_en"):
        figures = rendered[name].select("figure.fac-figure")
        doubled = [f for f in figures if f.select("svg.print-only")]
        assert len(doubled) == 1, name
        assert all(len(f.find_all("svg", recursive=False)) == 1 for f in figures
                   if f not in doubled)
        screen, printed = doubled[0].find_all("svg", recursive=False)
        assert "print-only" not in screen["class"] and "print-only" in printed["class"]
        assert screen["viewbox"].split()[2] == "360" and printed["viewbox"].split()[2] == "648"
        names = [s.find("title").get_text() for s in (screen, printed)]
        assert names[0] == names[1] and len(names[0]) > 20
        assert printed["role"] == "img" and printed["aria-labelledby"] == printed.title["id"]
        assert screen.title["id"] != printed.title["id"]
        caption = doubled[0].figcaption.get_text()
        assert caption.startswith("Figure 2.") and doubled[0].figcaption.find_previous_sibling(
            "svg") is printed
    screen_css, printed_css = stylesheet()
    assert "figure.fac-figure svg.print-only { display: none; }" in screen_css
    assert ("figure.fac-figure:has(> svg.print-only) > svg.fac-chart:not(.print-only) "
            "{ display: none; }") in printed_css
    rule = re.search(r"figure\.fac-figure > svg\.fac-chart\.print-only \{([^}]*)\}",
                     printed_css).group(1)
    assert "display: block" in rule and "width: 100%" in rule and "max-height: none" in rule
