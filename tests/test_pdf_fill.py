"""No mostly blank printed page (issue 13): every page but the last of the document, and page 1
(the synthèse alone, followed by a page break, may be short), is inked to within 40 % of its
foot (tests/pdf_fill.py rasterises the PDF with pdftoppm and measures the blank rows under the
last inked one). Printed: 2022 (fr, en), synth-2024, the comparison 2022 + synth-2024 and a
comparison holding an interim session (tests/test_interim.py). The causes found before: the
default orphans and widows (2) holding the comparison's forest charts, inline two a row, two
rows at a time (they are a grid now: report.css div.figure-grid), and a 7rem space kept with
every heading (now 3rem), both pushing blocks to the next page."""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO
from pdf_fill import blank_fractions, too_blank
from test_interim import _interim_session
from test_pdf import _print_session, needs_browser

from fac_eval.run import compare_run
from fac_eval.run.pipeline import Paths

#: the largest blank share of a page's height (page 1 and the last page excepted): "about
#: 30 %". Achieved: 23 % at most (2022 en page 8; 2022 fr and synth-2024 fr and en at most 18 to
#: 22 %, the comparisons 26 %), once the note under a table may continue on the next page and the
#: session reports' charts are at most 10.5 cm tall (the flow 5.5 cm, report.css; the learners'
#: scores, printed three panels a row across the page, 11.5 to 12.5 cm: issue 13's funder
#: review); synth-2024's page 4 was 40.4 % blank (its profile table moved whole to page 5)
LIMIT = 0.30


def _session_pdf(tmp, session, lang):
    return _print_session(tmp, session, lang=lang)[1]


@pytest.fixture(scope="module")
def comparison_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("fill-compare")
    _interim_session(root)
    for s in ("2022", "synth-2024"):
        shutil.copytree(REPO / "data" / "raw" / s, root / "data" / "raw" / s)
    return root


@needs_browser
@pytest.mark.parametrize("session, lang", [("2022", "fr"), ("2022", "en"), ("synth-2024", "fr")])
def test_no_session_report_page_is_mostly_blank(tmp_path, session, lang):
    printed = _session_pdf(tmp_path, session, lang)
    fractions = blank_fractions(printed)
    assert len(fractions) >= 8
    assert not too_blank(printed, LIMIT), (session, lang, [round(f, 2) for f in fractions])


@needs_browser
@pytest.mark.parametrize("sessions, lang", [(("2022", "synth-2024"), "fr"),
                                            (("2022", "synth-2024", "interim-2024"), "fr"),
                                            (("2022", "synth-2024", "interim-2024"), "en")])
def test_no_comparison_page_is_mostly_blank(comparison_root, sessions, lang):
    name = f"fill-{len(sessions)}-{lang}"
    result = compare_run.run_comparison_report(list(sessions), name=name, lang=lang,
                                               paths=Paths(comparison_root), pdf=True)
    assert result.ok and result.pdf is not None
    fractions = blank_fractions(result.pdf)
    assert len(fractions) >= 6
    assert not too_blank(result.pdf, LIMIT), (sessions, lang, [round(f, 2) for f in fractions])


def test_the_measure_counts_blank_rows_under_the_last_ink(tmp_path):
    """pdf_fill on a drawn page: ink down to 30 % of the usable height leaves 70 % blank."""
    from pdf_fill import FOOTER, inked_rows
    from PIL import Image

    img = Image.new("L", (100, 200), 255)
    usable = int(200 * FOOTER)
    for y in range(10, int(usable * 0.3)):
        img.putpixel((50, y), 0)
    img.putpixel((50, 195), 0)  # the page number, in the footer: not counted
    path = tmp_path / "p.pgm"
    img.save(path)
    rows, h = inked_rows(path)
    last = max(y for y, inked in enumerate(rows) if inked)
    assert h == 200 and len(rows) == usable
    assert abs((len(rows) - (last + 1)) / len(rows) - 0.7) < 0.01


@needs_browser
@pytest.mark.parametrize("sessions, lang", [(("2022", "synth-2024"), "fr"),
                                            (("2022", "synth-2024"), "en")])
def test_a_comparison_section_starts_on_the_page_of_its_first_figure_or_table(
        comparison_root, sessions, lang):
    """Funder G5 (#13): sections 3 to 5 of the comparison open on a grid of charts or a long
    table; their title and introduction never end a page with that first row on the next.
    Known limit: with three sessions, section 3's first row of charts is taller than the room
    section 2 leaves on page 2, and moving the title too would leave that page over 30 % blank
    (test_no_comparison_page_is_mostly_blank)."""
    import re

    from fac_eval.run import pdf

    name = f"intro-{len(sessions)}-{lang}"
    result = compare_run.run_comparison_report(list(sessions), name=name, lang=lang,
                                               paths=Paths(comparison_root), pdf=True)
    pages = [re.sub(r"\s+", " ", p) for p in pdf.pdf_text(result.pdf)]
    html = result.html.read_text(encoding="utf-8")
    titles = re.findall(r'<h2 id="(?:indicateurs|tendances|ensemble)"><span class="secnum">(\d+)'
                        r'</span> ([^<]+)</h2>', html)
    assert len(titles) == 3
    for num, title in titles:
        title = f"{num} {title.strip()}".replace("&#39;", "'").replace("&amp;", "&")
        where = [i for i, p in enumerate(pages) if title in p]
        assert len(where) == 1, (title, where)
        after = pages[where[0]].split(title, 1)[1]
        assert re.search(r"\b(?:Figure|Table|Tableau) \d+\.", after), (title, after[:400])
