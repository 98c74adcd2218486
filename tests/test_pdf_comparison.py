"""The comparison report printed to A4 (issue 13): every column of every table on the page, no
heading left alone at the foot of a page, no page left half blank before a figure or table.

The comparison printed is the widest one the shipped data allow: 2022, synth-2024 and an interim
copy of synth-2024 (its exit questionnaires not collected: tests/test_interim.py), in French and
in English, with ``run_comparison_report(..., pdf=True)`` (the ``fac-eval compare --pdf`` path).
Chromium and poppler-utils as in tests/test_pdf.py."""

from __future__ import annotations

import html as htmlmod
import re
import shutil
import subprocess
import unicodedata
from collections import Counter

import pytest
from conftest import REPO
from test_interim import _interim_session
from test_pdf import needs_browser

from fac_eval.run import compare_run
from fac_eval.run.pipeline import Paths

SESSIONS = ["2022", "synth-2024", "interim-2024"]

#: A page (other than the last, and page 1 whose synthèse is followed by a forced page break)
#: whose lowest ink is above this fraction of its height is "left half blank".
MIN_FILL = 0.5


def _token(word: str) -> str:
    return word.strip(".,;:!?()[]«»\"'“”’").casefold()


def tokens(text: str) -> Counter:
    """The words of ``text`` (NFKC, case-folded, punctuation at their ends stripped), counted;
    a hyphen separates words (a cell may wrap after one: "(SHA-" / "256)")."""
    text = re.sub(r"[-\u2010\u2011]", " ", unicodedata.normalize("NFKC", text))
    return Counter(t for t in (_token(w) for w in text.split()) if any(c.isalnum() for c in t))


def _text(fragment: str) -> str:
    fragment = re.sub(r'<span class="visually-hidden">.*?</span>', " ", fragment, flags=re.S)
    return " ".join(htmlmod.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def tables(html: str) -> list[dict]:
    """Every table of the report: its label ("Tableau 4"), caption, header cells, the cells of
    its last column, and all its words (caption, header, cells, note)."""
    out = []
    for block in re.findall(r'<div class="table-wrap[^"]*">(.*?)</div>', html, flags=re.S):
        caption = _text(re.search(r'<p class="table-caption"[^>]*>(.*?)</p>', block,
                                  flags=re.S).group(1))
        header = [_text(h) for h in re.findall(r"<th\b[^>]*>(.*?)</th>",
                                               re.search(r"<thead.*?</thead>", block,
                                                         flags=re.S).group(0), flags=re.S)]
        body = block[block.index("</thead>"):]
        rows = re.findall(r"<tr\b[^>]*>(.*?)</tr>", body, flags=re.S)
        last = [_text(re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", r, flags=re.S)[-1])
                for r in rows if "group-head" not in r]
        out.append(dict(label=caption.split(".")[0], caption=caption, header=header,
                        last=last, words=tokens(_text(block))))
    return out


def page_texts(printed) -> list[str]:
    raw = subprocess.run(["pdftotext", "-layout", str(printed), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = raw.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def ink_bottoms(printed, tmp) -> list[float]:
    """For each page, the lowest row holding ink (text or chart) above the page-number footer,
    as a fraction of the page's height."""
    from PIL import Image

    prefix = tmp / "page"
    subprocess.run(["pdftoppm", "-gray", "-r", "30", str(printed), str(prefix)], check=True)
    out = []
    for png in sorted(tmp.glob("page-*.pgm"), key=lambda p: int(p.stem.split("-")[-1])):
        img = Image.open(png)
        w, h = img.size
        px = img.load()
        footer = int(h * 0.94)  # the page number sits in the bottom margin
        inked = [y for y in range(footer) if any(px[x, y] < 200 for x in range(w))]
        out.append((max(inked) + 1) / h if inked else 0.0)
    return out


@pytest.fixture(scope="module", params=["fr", "en"])
def printed(request, tmp_path_factory):
    """The comparison (2022, synth-2024, interim-2024) produced with pdf=True in one language:
    ``(lang, html, pdf path, folder)``."""
    root = tmp_path_factory.mktemp(f"compare-print-{request.param}")
    _interim_session(root)
    for s in ("2022", "synth-2024"):
        shutil.copytree(REPO / "data" / "raw" / s, root / "data" / "raw" / s)
    result = compare_run.run_comparison_report(SESSIONS, name="print", lang=request.param,
                                               paths=Paths(root), pdf=True)
    assert result.ok and result.pdf is not None and result.pdf.is_file()
    return request.param, result.html.read_text(encoding="utf-8"), result.pdf, root


@needs_browser
def test_every_column_of_every_table_is_printed(printed):
    """No table loses its last column(s) at the page's edge: each table's caption is on a page
    whose text (with the next page's, for a table that continues) holds every word of the
    table at least as often as the table does -- its header, cells and note -- and the words
    of its last column's header and cells."""
    lang, html, printed_pdf, _ = printed
    pages = page_texts(printed_pdf)
    found = tables(html)
    assert len(found) >= 6
    word = "Tableau" if lang == "fr" else "Table"
    for t in found:
        label = t["label"]
        where = [i for i, p in enumerate(pages) if re.search(rf"\b{label}\.", p)]
        assert len(where) == 1, (label, where)
        text = tokens(" ".join(pages[where[0]:where[0] + 2]))
        last_words = tokens(" ".join([t["header"][-1], *t["last"]]))
        missing_last = last_words - text
        assert not missing_last, (f"{label}: its last column ({t['header'][-1]!r}) is not "
                                  f"printed whole: {sorted(missing_last)}")
        missing = t["words"] - text
        assert not missing, f"{label}: words not printed: {sorted(missing)}"
        assert label.startswith(word)


@needs_browser
def test_the_pooled_table_prints_its_between_sessions_column(printed):
    """The widest table (the pooled shares, five columns, long cells): its last column's header
    and its p-values are on the page, beside the named counts, which wrap."""
    lang, html, printed_pdf, _ = printed
    text = " ".join(" ".join(page_texts(printed_pdf)).split())
    if lang == "fr":
        assert "sessions (p)" in text and "Entre" in text
        assert "0,042 : écart" in text and "0,019 : écart" in text
        assert "15 sur 20 apprenants ayant" in text
    else:
        assert "sessions (p)" in text and "Between" in text
        # the cell wraps: pdftotext may read the row's other columns between its two lines
        for p in ("0.042", "0.019"):
            assert re.search(rf"{p}: gap (\S+ ){{0,12}}?between (\S+ ){{0,6}}?sessions\b",
                             text), p
        assert "15 of 20 learners" in text
    # a short figure never wraps: the intervals are whole
    assert re.search(r"51[–-]91\s?%", text) and re.search(r"83[–-]100\s?%", text)


@needs_browser
def test_no_heading_is_left_alone_at_the_foot_of_a_page(printed):
    """The last lines of every page (before its number) are not a section or sub-heading, nor
    a table or figure caption's first line without what it introduces."""
    lang, html, printed_pdf, _ = printed
    headings = [_text(h) for h in re.findall(r"<h[23]\b[^>]*>(.*?)</h[23]>", html, flags=re.S)]
    headings += [_text(h) for h in re.findall(r"<dt>(.*?)</dt>", html, flags=re.S)]
    headings = [" ".join(h.split()) for h in headings if h]
    assert len(headings) >= 7
    pages = page_texts(printed_pdf)
    for i, page in enumerate(pages[:-1], start=1):
        lines = [" ".join(x.split()) for x in page.strip().splitlines() if x.strip()]
        foot = lines[-2] if len(lines) >= 2 else ""  # the line above the page number
        assert foot not in headings, (i, foot)
        assert not re.match(r"(Tableau|Table) \d+\.", foot), (i, foot)  # a caption above


@needs_browser
def test_no_page_is_left_half_blank(printed, tmp_path):
    """No page but the first (the synthèse alone, then a page break) and the last stops above
    half its height: a large figure or table moving to the next page leaves no half-blank
    page behind (the forest charts print two a row; the pooled table, nine rows of three
    lines, is a long table that may continue on the next page: views.Table.lines)."""
    _, _, printed_pdf, _ = printed
    bottoms = ink_bottoms(printed_pdf, tmp_path)
    assert len(bottoms) >= 6
    for i, bottom in enumerate(bottoms[1:-1], start=2):
        assert bottom >= MIN_FILL, f"page {i} of {len(bottoms)} ends at {bottom:.0%} of its height"


def test_a_table_of_wrapping_rows_counts_its_printed_lines():
    """views.Table.lines counts what a row prints: nine rows of cells too long for their
    column (five columns share views.PRINT_LINE_CHARS) are 27 lines, a long table; the same
    rows with short cells, or in two columns, stay short."""
    from fac_eval.report import views as v

    long_cell = "2 sur 3 : 2022 (données reconstituées), synth-2024 (données synthétiques)"
    header = ["Indicateur", "Sessions", "Ensemble", "IC", "p"]
    wide = v.Table(1, "Tableau 1", "x", header, [["a", long_cell, "15 sur 20", "51–91 %", "1"]] * 9)
    assert wide.lines == 27 and not wide.short
    narrow = v.Table(1, "Tableau 1", "x", header, [["a", "b", "15 sur 20", "51–91 %", "1"]] * 9)
    assert narrow.lines == 9 and narrow.short
    two = v.Table(1, "Tableau 1", "x", ["Indicateur", "Sessions"], [["a", long_cell]] * 9)
    assert two.lines == 9 and two.short
    listed = v.Table(1, "Tableau 1", "x", ["Objectif", "Indicateurs"],
                     [["a", v.Lines(["un", "deux", "trois"])]] * 7)
    assert listed.lines == 21 and not listed.short
