"""Printing a report to PDF with headless Chromium (fac_eval.run.pdf).

Chromium (Debian package `chromium`) and pdftotext (`poppler-utils`) are installed by .ci/run;
under CI a missing browser fails these tests instead of skipping them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from fac_eval.run import pdf

HAVE = shutil.which("chromium") and shutil.which("pdftotext")
needs_browser = pytest.mark.skipif(not HAVE and not os.environ.get("CI"),
                                   reason="chromium / poppler-utils not installed (CI installs them)")

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><style>
.badge {{ background: #8a3b00; color: white; print-color-adjust: exact; }}
section {{ break-before: page; }}
</style></head><body><p class="badge">Données reconstituées</p><h1>Synthèse</h1>
<p>7 sur 8 apprenants</p>{more}</body></html>"""


@needs_browser
def test_prints_a4_pages_with_page_numbers(tmp_path):
    html = tmp_path / "r.html"
    html.write_text(PAGE.format(more="<section><h2>Deux</h2></section><section>Trois</section>"),
                    encoding="utf-8")
    out = pdf.print_to_pdf(html, tmp_path / "r.pdf")
    assert out.read_bytes()[:5] == b"%PDF-"
    pages = pdf.pdf_text(out)
    assert len(pages) == 3
    assert "Synthèse" in pages[0] and "7 sur 8 apprenants" in pages[0]
    assert "Deux" in pages[1] and "Deux" not in pages[0]
    for i, text in enumerate(pages, start=1):
        assert re.search(rf"\b{i}\s*/\s*3\b", text), text  # the footer's page number
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    w, h = (float(x) for x in size.split(":")[1].split("pts")[0].split("x"))
    assert abs(w - 595.3) < 1.5 and abs(h - 841.9) < 1.5  # A4 in points (210 x 297 mm)
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically


def test_without_chromium_the_message_names_the_debian_package(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("FAC_EVAL_CHROMIUM", raising=False)
    with pytest.raises(pdf.PdfUnavailable) as err:
        pdf.print_to_pdf(tmp_path / "r.html", tmp_path / "r.pdf")
    assert "chromium" in err.value.message("fr") and "apt-get install" in err.value.message("fr")
    assert "HTML" in err.value.message("en")
    assert not (tmp_path / "r.pdf").exists()


def test_a_wrong_chromium_path_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("FAC_EVAL_CHROMIUM", str(tmp_path / "nothing"))
    with pytest.raises(pdf.PdfUnavailable):
        pdf.find_chromium()


#: Issue 13: the printed 2022 report holds on at most 14 A4 pages.
MAX_PAGES_2022 = 14


def _print_session(tmp, session, paths=None, lang="fr"):
    """Run ``session`` in ``lang`` and print its report: ``(html text, pdf path)``, the PDF
    ``<session>_<lang>.pdf`` in ``tmp``."""
    from fac_eval.run import pipeline

    mp = pytest.MonkeyPatch()
    for root in ("processed", "reports"):
        mp.setenv(f"FAC_EVAL_{root.upper()}", str(tmp / root))
    try:
        result = pipeline.run_session(session, lang=lang, paths=paths)
    finally:
        mp.undo()
    return (result.html.read_text(encoding="utf-8"),
            pdf.print_to_pdf(result.html, tmp / f"{session}_{lang}.pdf"))


@pytest.fixture(scope="module")
def printed_2022_files(tmp_path_factory):
    """The 2022 report (French) produced by a run and printed to PDF: (HTML, PDF path)."""
    return _print_session(tmp_path_factory.mktemp("print2022"), "2022")


@pytest.fixture(scope="module")
def printed_2022(printed_2022_files):
    """The text of each page of the printed 2022 report."""
    return pdf.pdf_text(printed_2022_files[1])


@needs_browser
def test_the_2022_report_prints_whole_and_keeps_captions_with_their_tables(printed_2022):
    """The printed 2022 report: no table cut at the page's edge (its last column, "Lecture", is
    printed whole) and no table caption left alone at the foot of a page."""
    pages = printed_2022
    text = " ".join(" ".join(p.split()) for p in pages)
    assert text.count("Lecture") >= 2 and "améliorat " not in text
    for i, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.strip().splitlines() if line.strip()]
        foot = " ".join(lines[-4:-1])  # the last lines before the page number
        assert not re.search(r"\bTableau \d+\.", foot), (i, foot)


@needs_browser
def test_the_2022_report_prints_on_at_most_14_pages(printed_2022):
    """Issue 13's limit, with the synthèse alone on page 1 (the key figures start page 2)."""
    assert len(printed_2022) <= MAX_PAGES_2022
    assert "Synthèse" in printed_2022[0] and "Chiffres clés" not in printed_2022[0]
    assert "Chiffres clés" in printed_2022[1]


@pytest.mark.slow
@needs_browser
def test_the_printed_2022_report_has_the_synthesis_alone_on_page_1(printed_2022):
    """The funder's synthèse (issue 14) is alone on the printed page 1 (moved here from
    test_funder_report.py: the same run and print as the tests above, made once)."""
    pages = printed_2022
    first = " ".join(pages[0].split())
    assert "Form'Ain Cube — session 2022" in first and "Données reconstituées".upper() in first
    assert "1 Synthèse" in first and "Principaux résultats" in first
    assert "section 10." in first  # its last line: the whole synthèse is on page 1
    assert "Chiffres clés" not in first
    assert " ".join(pages[1].split()).startswith("2 Chiffres clés")


# ---- Figure 2 legible on paper, the limits box printed once (funder review of issue 13) ------

#: The A4 text column of the print (report.css: @page margins of 13 mm left and right), in pt.
COLUMN_PT = (210 - 2 * 13) / 25.4 * 72


def page_words(printed, page: int) -> list[tuple[str, float, float, float, float]]:
    """``(word, x0, y0, x1, y1)`` of each word of a printed page (pdftotext -bbox, in pt from
    the top left corner)."""
    import html as htmlmod

    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(printed),
                          "-"], capture_output=True, text=True, check=True).stdout
    return [(htmlmod.unescape(w), float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, w
            in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                          r'yMax="([\d.]+)">([^<]*)</word>', out)]


def font_size(word) -> float:
    """The size (pt) of a word's type: pdftotext's box is the font's ascent plus descent, 1.164
    em for DejaVu Sans (the report's font and the charts' first one, read from the font)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    face = FT2Font(font_manager.findfont("DejaVu Sans"))
    return (word[4] - word[2]) / ((face.ascender - face.descender) / face.units_per_EM)


def columns(xs, tolerance=6.0) -> list[float]:
    """The distinct positions among ``xs`` (within ``tolerance`` pt of each other)."""
    out: list[float] = []
    for x in sorted(xs):
        if not out or x - out[-1] > tolerance:
            out.append(x)
    return out


@needs_browser
@pytest.mark.parametrize("lang, entry, exit_, pairs", [("fr", "Entrée", "Sortie", "paires"),
                                                       ("en", "Entry", "Exit", "pairs")])
def test_figure_2_prints_three_panels_a_row_across_the_page_in_legible_type(
        request, lang, entry, exit_, pairs):
    """Figure 2 (the learners' six panels), whole on one page with its caption: three panels a
    row over two rows, across at least 85 % of the text column (it was 4.3 cm wide and 8.5 cm
    tall, six panels two a row), its axes' words printed at 8.5 pt or more and the counts under
    each panel at 7.5 pt or more (they printed at 3.4 and 3.1 pt)."""
    html, printed = request.getfixturevalue(
        "printed_2022_files" if lang == "fr" else "printed_2022_english")
    pages = pdf.pdf_text(printed)
    where = [i for i, p in enumerate(pages, start=1) if re.search(r"^Figure 2\.", p, re.M)]
    assert len(where) == 1
    words = page_words(printed, where[0])
    at = next(i for i, w in enumerate(words) if w[0] == "Figure" and words[i + 1][0] == "2.")
    chart = words[:at]  # what stands above the caption on its page
    starts = [w for w in chart if w[0] == entry]
    ends = [w for w in chart if w[0] == exit_]
    top_ticks = min(w[2] for w in starts)  # the counts stand under each panel's axis
    counts = [w for w in chart if w[0] == pairs and w[2] > top_ticks]
    assert len(starts) == len(ends) == len(counts) == 6  # six panels on this page
    assert len(columns([w[1] for w in starts])) == 3  # three a row
    assert len(columns([w[2] for w in starts])) == 2  # two rows
    span = max(w[3] for w in ends) - min(w[1] for w in starts)
    assert span >= 0.85 * COLUMN_PT, (span, COLUMN_PT)
    assert min(font_size(w) for w in starts + ends) >= 8.5
    assert min(font_size(w) for w in counts) >= 7.5
    # the panel titles and the legend are on that page too (the figure is whole)
    text = " ".join(w[0] for w in chart)
    for title in (("Autonomie", "Médiane") if lang == "fr" else ("Autonomy", "median")):
        assert title in text


@needs_browser
def test_the_limits_box_is_printed_once_at_the_key_figures(printed_2022, printed_2022_english):
    """The same limits box stands at the key figures and before the learners' results (on
    screen); the PDF prints it once, on page 2 with the key figures."""
    for pages, lead in ((printed_2022, "Ce que ces chiffres ne peuvent pas montrer"),
                        (pdf.pdf_text(printed_2022_english[1]), "What these figures cannot show")):
        where = [i for i, p in enumerate(pages, start=1) if lead in " ".join(p.split())]
        assert where == [2], (lead, where)
        assert len(pages) <= MAX_PAGES_2022


def _cli(args, project, **env):
    import sys

    from conftest import REPO

    full = dict(os.environ, FAC_EVAL_RAW=str(project / "data" / "raw"),
                FAC_EVAL_PROCESSED=str(project / "data" / "processed"),
                FAC_EVAL_REPORTS=str(project / "reports"),
                PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""), **env)
    return subprocess.run([sys.executable, "-m", "fac_eval.run.cli", *args], env=full, cwd=REPO,
                          capture_output=True, text=True, timeout=900)


@needs_browser
def test_cli_run_pdf_then_english_without_chromium(tmp_path):
    """`fac-eval run 2022 --pdf` writes rapport_2022.pdf beside the HTML (A4, page numbers,
    the title and the data-kind badge on the first page); the English run, with the browser
    lookup pointed at a missing binary, still writes report_2022_en.html, says which Debian
    package to install, exits 3 and leaves the French files exactly as they were."""
    from conftest import make_project

    project = make_project(tmp_path / "p", sessions=("2022",))
    out = project / "reports" / "2022"
    done = _cli(["run", "2022", "--pdf"], project)
    assert done.returncode == 0, done.stderr
    printed = out / "rapport_2022.pdf"
    assert f"PDF écrit : {printed}" in done.stdout
    pages = pdf.pdf_text(printed)
    assert len(pages) >= 2  # the page limit: test_the_2022_report_prints_on_at_most_14_pages
    first = " ".join(pages[0].split())
    assert "Form'Ain Cube — session 2022" in first and "DONNÉES RECONSTITUÉES" in first.upper()
    assert re.search(rf"\b1\s*/\s*{len(pages)}\b", pages[0])  # the page-number footer
    french = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(french) == ["indicateurs_2022.xlsx", "rapport_2022.html", "rapport_2022.pdf"]

    done = _cli(["run", "2022", "--pdf", "--lang", "en"], project,
                FAC_EVAL_CHROMIUM=str(tmp_path / "no-such-chromium"))
    assert done.returncode == 3, done.stderr  # the HTML is written, the PDF is not
    assert "apt-get install chromium" in done.stderr and "HTML report was produced" in done.stderr
    assert "Traceback" not in done.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["indicateurs_2022.xlsx", "indicators_2022_en.xlsx", "rapport_2022.html",
                     "rapport_2022.pdf", "report_2022_en.html"]
    for name, data in french.items():  # the French run's files are untouched
        assert (out / name).read_bytes() == data, name
    assert '<html lang="fr"' in (out / "rapport_2022.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in (out / "report_2022_en.html").read_text(encoding="utf-8")
    processed = sorted(p.name for p in (project / "data" / "processed" / "2022").glob("*.ipynb"))
    assert processed == ["rapport_2022.ipynb", "report_2022_en.ipynb"]

    # round 24, F12: a run without --pdf says that the previous PDF went with its folder
    done = _cli(["run", "2022", "-p", "alpha=0.1"], project)
    assert done.returncode == 0, done.stderr
    assert ("Supprimé : rapport_2022.pdf, le PDF de l'exécution précédente (il ne "
            "correspondrait plus au nouveau rapport). Ajoutez --pdf pour l'imprimer de "
            "nouveau.") in " ".join(done.stderr.split())
    assert not (out / "rapport_2022.pdf").exists()
    done = _cli(["run", "2022", "-p", "alpha=0.1"], project)  # no PDF before: nothing said
    assert done.returncode == 0 and "rapport_2022.pdf" not in done.stderr, done.stderr


# ---- short tables are never split across pages --------------------------------------------

def _squash(text: str) -> str:
    """Text compared across HTML and PDF: NFKC, case-folded, without spaces or hyphens (a line
    wrap in a table cell may add a space or drop a hyphen)."""
    import unicodedata

    return re.sub(r"[\s\-\u2010\u2011\u00ad]+", "", unicodedata.normalize("NFKC", text)).casefold()


def _cell_text(fragment: str) -> str:
    import html as htmlmod

    fragment = re.sub(r'<span class="visually-hidden">.*?</span>', " ", fragment, flags=re.S)
    return " ".join(htmlmod.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def short_tables(html: str) -> list[tuple[str, str, str]]:
    """``(caption, first row's label, last row's label)`` of every table the report marks
    short (table-short: at most views.SHORT_TABLE_LINES printed rows, or compact)."""
    out = []
    for block in re.findall(r'<div class="table-wrap table-short(?: table-compact)?">(.*?)</table>',
                            html, flags=re.S):
        caption = _cell_text(re.search(r'<p class="table-caption"[^>]*>(.*?)</p>', block,
                                       flags=re.S).group(1))
        body = block[block.index("</thead>"):]
        rows = re.findall(r"<tr\b[^>]*>\s*<t[hd]\b[^>]*>(.*?)</t[hd]>", body, flags=re.S)
        out.append((caption, _cell_text(rows[0]), _cell_text(rows[-1])))
    return out


def assert_short_tables_on_one_page(html: str, printed) -> int:
    """Each short table's caption, first row and last row are on one printed page, in that
    order (pdftotext's reading order); returns how many short tables were checked."""
    raw = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = [_squash(p) for p in raw.split("\f")]
    tables = short_tables(html)
    for caption, first, last in tables:
        head = _squash(caption)[:60]
        where = [i for i, page in enumerate(pages) if head in page]
        assert len(where) == 1, (caption, where)
        page = pages[where[0]]
        at = page.index(head)
        first_at = page.find(_squash(first), at)
        assert first_at > at, (caption, first, where[0] + 1)
        assert page.find(_squash(last), first_at) >= first_at, (
            f"{caption!r}: its last row {last!r} is not on page {where[0] + 1}")
    return len(tables)


def test_short_tables_are_marked_from_their_row_count():
    """The rule: a table of at most SHORT_TABLE_LINES printed rows (group headings counted)
    is short, a longer one is not; the template marks it table-short."""
    from fac_eval.report import views as v
    from fac_eval.report.render import environment

    macro = environment().from_string('{% import "macros.j2" as m %}{{ m.table(t) }}')

    def render(t):
        return macro.render(t=t, _=str, lang="fr")

    def table(n, grouped=False):
        rows = [["g1" if i < n // 2 else "g2", f"r{i}", i] if grouped else [f"r{i}", i]
                for i in range(n)]
        header = ["Groupe", "Ligne", "N"] if grouped else ["Ligne", "N"]
        return v.Table(1, "Tableau 1", "Légende", header, rows, grouped=grouped)

    limit = v.SHORT_TABLE_LINES
    assert table(limit).short and not table(limit + 1).short
    assert table(limit - 2, grouped=True).lines == limit and table(limit - 2, grouped=True).short
    assert not table(limit - 1, grouped=True).short  # 19 rows and 2 group headings
    html = render(table(3))
    assert '<div class="table-wrap table-short">' in html
    assert '<div class="table-wrap">' in render(table(limit + 5))
    assert short_tables(html) == [("Tableau 1. Légende", "r0", "r2")]
    # a compact table (the concordance) is printed whole whatever its length, in smaller type
    long = table(limit + 5)
    compact = v.Table(2, "Tableau 2", "Concordance", long.header, long.rows, compact=True)
    assert not long.short and compact.short and compact.lines == long.lines
    html = render(compact)
    assert '<div class="table-wrap table-short table-compact">' in html
    assert short_tables(html) == [("Tableau 2. Concordance", "r0", f"r{limit + 4}")]


@needs_browser
def test_no_table_of_the_2022_report_is_split_across_pages(printed_2022_files):
    """Issue 13: no table split across pages. Every table of 2022 is short but the concordance
    (21 published statements, 25 printed rows by the estimate), which is compact: printed whole
    in smaller type (funder review F11: it ran over pages 12 and 13)."""
    html, printed = printed_2022_files
    assert assert_short_tables_on_one_page(html, printed) == html.count('class="table-wrap')
    assert html.count("table-compact") >= 1
    concordance = html[html.index('id="concordance"'):]
    assert concordance.index("table-compact") < concordance.index("</table>")


@pytest.fixture(scope="module")
def printed_2022_english(tmp_path_factory):
    """The English 2022 report (the French statements of the concordance with their English
    glosses: its longest rows) produced by a run and printed: (HTML, PDF path)."""
    return _print_session(tmp_path_factory.mktemp("print2022en"), "2022", lang="en")


@needs_browser
def test_the_english_2022_report_prints_whole_tables_on_at_most_14_pages(printed_2022_english):
    html, printed = printed_2022_english
    pages = pdf.pdf_text(printed)
    assert len(pages) <= MAX_PAGES_2022
    assert "1 Summary" in " ".join(pages[0].split()) and "Key figures" not in pages[0]
    assert assert_short_tables_on_one_page(html, printed) == html.count('class="table-wrap')
    where = [i for i, p in enumerate(pages, start=1) if "Table 6." in p]
    assert len(where) == 1 and "Agreement between the published assessment" in pages[where[0] - 1]


@pytest.mark.slow
@needs_browser
def test_no_short_table_of_the_synthetic_report_is_split_across_pages(tmp_path):
    html, printed = _print_session(tmp_path, "synth-2024")
    assert assert_short_tables_on_one_page(html, printed) == html.count('class="table-wrap') >= 9
    pages = pdf.pdf_text(printed)
    first = " ".join(pages[0].split())
    assert "1 Synthèse" in first and "Chiffres clés" not in first
    assert " ".join(pages[1].split()).startswith("2 Chiffres clés")


@pytest.mark.slow
@needs_browser
def test_no_short_table_of_an_interim_report_is_split_across_pages(tmp_path):
    """The interim report (exit questionnaires not collected: tests/test_interim.py): its short
    tables on one page each, and page 1 holds the title block and the synthèse only."""
    from test_interim import _interim_session

    from fac_eval.run.pipeline import Paths

    _interim_session(tmp_path / "p")
    html, printed = _print_session(tmp_path, "interim-2024", Paths(tmp_path / "p"))
    assert assert_short_tables_on_one_page(html, printed) >= 5
    pages = pdf.pdf_text(printed)
    first = " ".join(pages[0].split())
    assert "RAPPORT INTERMÉDIAIRE" in first and "DONNÉES SYNTHÉTIQUES" in first
    assert "1 Synthèse" in first and "Ce qui est en attente" in first
    assert "Chiffres clés" not in first
    assert " ".join(pages[1].split()).startswith("2 Chiffres clés")
