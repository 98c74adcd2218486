"""Wide tables read well on screen (issue 13), measured in headless Chromium
(tests/browser_layout.py): at 1280 px every table of the reports fits its column (the
comparison's pooled shares, Table 4, was 1,060 px wide in an 837 px column and scrolled inside
its box: its numeric cells holding a phrase did not wrap); at 390 px (a phone) the page itself
never scrolls sideways and each table is stacked into blocks (one per row) or scrolls inside
its own region, never wider than the screen. Chromium as in tests/test_pdf.py."""

from __future__ import annotations

import shutil

import pytest
from browser_layout import measure_tables
from conftest import REPO
from test_interim import _interim_session
from test_pdf import needs_browser

from fac_eval.run import compare_run, pipeline
from fac_eval.run.pipeline import Paths


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The HTML of 2022 (fr), synth-2024 (fr, en) and the comparison 2022 + synth-2024 +
    an interim session (fr)."""
    root = tmp_path_factory.mktemp("widths")
    out = {}
    mp = pytest.MonkeyPatch()
    for folder in ("processed", "reports"):
        mp.setenv(f"FAC_EVAL_{folder.upper()}", str(root / "sessions" / folder))
    try:
        for session, lang in (("2022", "fr"), ("synth-2024", "fr"), ("synth-2024", "en")):
            out[f"{session}-{lang}"] = pipeline.run_session(session, lang=lang).html
    finally:
        mp.undo()
    _interim_session(root)
    for s in ("2022", "synth-2024"):
        shutil.copytree(REPO / "data" / "raw" / s, root / "data" / "raw" / s)
    result = compare_run.run_comparison_report(["2022", "synth-2024", "interim-2024"],
                                               name="widths", lang="fr", paths=Paths(root))
    assert result.ok
    out["comparison"] = result.html
    return out


@needs_browser
def test_every_table_fits_a_desktop_screen(reports):
    for name, html in reports.items():
        got = measure_tables(html, 1280)
        assert got["viewport"] == 1280 and len(got["tables"]) >= 5, name
        assert got["document"] <= 1280, name
        for t in got["tables"]:
            assert t["scroll"] <= t["client"] + 1, (name, t["caption"][:40], t)


@needs_browser
def test_on_a_phone_the_page_never_scrolls_sideways(reports):
    for name, html in reports.items():
        got = measure_tables(html, 390)
        assert got["viewport"] == 390, name
        assert got["document"] <= 390, name
        for t in got["tables"]:
            # stacked into blocks (fits) or a scroll region of its own within the screen
            assert t["client"] <= 390, (name, t)
