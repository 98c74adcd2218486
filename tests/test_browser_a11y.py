"""The reports for every reader (issue 14), measured in a real browser.

The French and English reports of 2022 and the comparison 2022 / synth-2024 are produced by the
CLI into a temporary folder, then opened in the Debian Chromium (headless, fresh profile) by
``tests/browser/check_reports.js`` (puppeteer-core + axe-core, installed by ``npm ci`` from the
committed lock file) at 390 px and 1280 px, in screen and print emulation, and printed to PDF
with page numbers (``tests/browser/print_pdf.js``).

Under ``CI=true`` a missing Chromium, Node or ``tests/browser/node_modules`` is a failure, never
a skip (``.ci/run`` installs them); elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BROWSER = ROOT / "tests" / "browser"
WIDTHS = (390, 1280)
MAX_BYTES = 350 * 1024


def _missing(reason: str):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} in CI: .ci/run must install it")
    pytest.skip(f"{reason} (bash .ci/run installs it)")


def _chromium() -> str:
    exe = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        _missing("Debian chromium is not installed")
    return exe


def _node() -> str:
    exe = shutil.which("node")
    if not exe:
        _missing("node is not installed")
    for pkg in ("puppeteer-core", "axe-core"):
        if not (BROWSER / "node_modules" / pkg / "package.json").is_file():
            _missing(f"tests/browser/node_modules/{pkg} is missing (npm ci --prefix tests/browser)")
    return exe


def _fac_eval(args: list[str], raw: Path, processed: Path, reports: Path) -> subprocess.Popen:
    """Start the CLI (this checkout's code) with its folders under the test's temporary one."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FAC_EVAL_RAW": str(raw),
           "FAC_EVAL_PROCESSED": str(processed), "FAC_EVAL_REPORTS": str(reports)}
    cmd = [sys.executable, "-c", "import sys; from fac_eval.run.cli import main; sys.exit(main())",
           *args]
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """The three reports, produced by the CLI in parallel (raw data read from the repository,
    everything written under a temporary folder)."""
    chromium, node = _chromium(), _node()
    base = tmp_path_factory.mktemp("readers")
    raw = ROOT / "data" / "raw"
    runs = [_fac_eval(["run", "2022"], raw, base / "processed-fr", base / "fr"),
            _fac_eval(["run", "2022", "--lang", "en"], raw, base / "processed-en", base / "en"),
            _fac_eval(["compare", "2022", "synth-2024", "--name", "readers"], raw,
                      base / "processed-cmp", base / "cmp")]
    for run in runs:
        _, err = run.communicate(timeout=900)
        assert run.returncode == 0, err[-3000:]
    files = {"fr": base / "fr" / "2022" / "rapport_2022.html",
             "en": base / "en" / "2022" / "report_2022_en.html",
             "comparison": base / "cmp" / "comparaisons" / "readers" / "comparaison_readers.html"}
    for f in files.values():
        assert f.is_file(), f
    return {**files, "_base": base, "_chromium": Path(chromium), "_node": Path(node)}


@pytest.fixture(scope="module")
def measured(reports) -> dict:
    """check_reports.js's measurements, keyed by report name then width."""
    out = reports["_base"] / "browser"
    names = ["fr", "en", "comparison"]
    env = {**os.environ, "CHROMIUM": str(reports["_chromium"])}
    done = subprocess.run([str(reports["_node"]), str(BROWSER / "check_reports.js"), "--out",
                           str(out), "--widths", ",".join(map(str, WIDTHS)), "--pdf", "--labelled",
                           *[str(reports[n]) for n in names]],
                          cwd=BROWSER, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    data = json.loads(done.stdout)
    assert data["chromium"]  # the browser answered
    return {n: r for n, r in zip(names, data["results"])}


REPORTS = ("fr", "en", "comparison")


@pytest.mark.parametrize("name", REPORTS)
def test_file_is_light_self_contained_and_requests_nothing(reports, measured, name):
    html = reports[name].read_text(encoding="utf-8")
    assert reports[name].stat().st_size < MAX_BYTES
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', html)
    assert "<svg " in html and "data:image/png" not in html  # charts are inline SVG
    for width in WIDTHS:
        assert measured[name]["widths"][str(width)]["external"] == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", REPORTS)
def test_axe_finds_no_serious_or_critical_violation_except_scroll_regions(measured, name, width):
    """Everything but the table scroll regions, whose focusability comes with E's markup."""
    bad = [v for v in measured[name]["widths"][str(width)]["axe"]
           if v["impact"] in ("serious", "critical") and v["id"] != "scrollable-region-focusable"]
    assert bad == []


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", REPORTS)
def test_axe_finds_no_serious_or_critical_violation(measured, name, width):
    bad = [v for v in measured[name]["widths"][str(width)]["axe"]
           if v["impact"] in ("serious", "critical")]
    assert bad == []


@pytest.mark.parametrize("name", REPORTS)
def test_page_never_scrolls_sideways_at_390px(measured, name):
    screen = measured[name]["widths"]["390"]["screen"]
    assert screen["viewport"] == 390
    assert screen["pageScrollWidth"] <= 390


@pytest.mark.parametrize("name", REPORTS)
def test_no_table_wider_than_the_screen_at_390px(measured, name):
    screen = measured[name]["widths"]["390"]["screen"]
    assert screen["tables"] >= 3
    assert screen["wideTables"] == []


@pytest.mark.parametrize("name", REPORTS)
def test_stylesheet_stacks_labelled_tables_at_390px(measured, name):
    """The stylesheet alone: once every body cell carries its column's data-label (added in
    the page by check_reports.js --labelled, as the report's table markup will), each table is
    one block per row with its labels, no wider than the screen, and axe finds nothing."""
    screen = measured[name]["widths"]["390-labelled"]["screen"]
    assert screen["tables"] >= 3 and screen["wideTables"] == []
    assert screen["pageScrollWidth"] <= 390
    assert [v for v in measured[name]["widths"]["390-labelled"]["axe"]
            if v["impact"] in ("serious", "critical")] == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", REPORTS)
def test_charts_are_legible(measured, name, width):
    """No raster chart shrunk below half its drawn width, no SVG label under 9 px, every chart
    named for assistive technology."""
    screen = measured[name]["widths"][str(width)]["screen"]
    for img in screen["images"]:
        assert img["rendered"] >= img["natural"] / 2, img
    assert screen["svgTexts"] > 50
    assert screen["smallSvgTexts"] == []
    assert screen["clippedSvgTexts"] == []  # no label cut off at the chart's edge
    assert screen["smallestSvgText"]["px"] >= 9
    charts = [s for s in screen["svgs"] if s["role"] == "img"]
    assert len(charts) >= 3 and all(len(s["name"]) > 20 for s in charts)
    if width == 390:
        assert all(s["width"] <= 390 for s in screen["svgs"])


@pytest.mark.parametrize("name", REPORTS)
def test_print_keeps_colours_and_keeps_headings_with_what_follows(measured, name):
    printed = measured[name]["widths"]["1280"]["print"]
    assert printed["badges"]
    for badge in printed["badges"]:
        assert badge["printColorAdjust"] == "exact"
        assert badge["background"] not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)", "transparent")
        assert badge["color"] == "rgb(255, 255, 255)"
    assert all(b["printColorAdjust"] == "exact" for b in printed["banners"])
    assert printed["charts"] and set(printed["charts"]) == {"exact"}
    assert len(printed["headings"]) >= 5
    assert {h["breakAfter"] for h in printed["headings"]} == {"avoid"}
    assert printed["keep"] and {k["breakInside"] for k in printed["keep"]} == {"avoid"}
    # a long note under a table flows on (kept whole, it moved the table and left the foot of
    # the page blank), never leaving fewer than 3 lines on either page
    assert printed["notes"]
    assert {(n["breakInside"], n["orphans"], n["widows"]) for n in printed["notes"]} == {
        ("auto", "3", "3")}
    assert printed["tocDisplay"] in (None, "none")  # links on screen only


def _pdf_pages(pdf: Path) -> list[str]:
    if not shutil.which("pdftotext"):
        _missing("poppler-utils (pdftotext) is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=120).stdout
    return [p for p in text.split("\f") if p.strip()]


@pytest.mark.parametrize("name", REPORTS)
def test_pdf_has_page_numbers_and_no_heading_at_the_foot_of_a_page(reports, measured, name):
    pages = _pdf_pages(Path(measured[name]["pdf"]))
    assert len(pages) >= 3
    word = "of" if name == "en" else "sur"

    def norm(s):
        return re.sub(r"\s+", "", s)

    headings = {norm(h["text"]) for h in measured[name]["widths"]["1280"]["print"]["headings"]}
    headings = {h for h in headings if len(h) >= 4}
    for i, page in enumerate(pages, start=1):
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        assert lines[-1] == f"Page {i} {word} {len(pages)}", lines[-3:]
        # what ends the page above the footer is not a heading (nor the end of a heading
        # wrapped over two lines)
        last = norm(lines[-2])
        last_two = norm(" ".join(lines[-3:-1]))
        for h in headings:
            assert not (h == last or (len(last) >= 6 and h.endswith(last)) or h == last_two
                        or h.startswith(last_two) and len(last_two) >= 20), (i, lines[-3:-1])

