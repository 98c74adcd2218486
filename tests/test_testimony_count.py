"""The testimonies section counts with the catalogs' plural forms: one testimony is "1
témoignage a été recueilli" / "1 testimony was collected", never "1 testimonies were"."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from conftest import REPO

from fac_eval.analysis import results as analysis
from fac_eval.report import session as report

FIXED = datetime(2026, 1, 1, 12, 0)


def _first_paragraph(raw, lang: str) -> str:
    res = analysis.compute_session(raw)
    html = report.Report(res, lang=lang, generated_at=FIXED).testimonies().data
    return " ".join(BeautifulSoup(html, "html.parser").find("p").get_text().split())


@pytest.fixture(scope="module")
def one_testimony(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw") / "2022"
    shutil.copytree(REPO / "data" / "raw" / "2022", raw)
    lines = (raw / "testimonies.csv").read_text(encoding="utf-8").splitlines()
    (raw / "testimonies.csv").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    return raw


@pytest.mark.parametrize("lang, expected", [
    ("fr", "1 témoignage a été écrit pour la démonstration ; il est codé par thème"),
    ("en", "1 testimony was written for the demonstration; it is coded with the themes it "
           "mentions"),
])
def test_one_testimony_is_counted_in_the_singular(one_testimony, lang, expected):
    assert _first_paragraph(one_testimony, lang).startswith(expected)


@pytest.mark.parametrize("lang, expected", [
    ("fr", "12 témoignages ont été écrits pour la démonstration ; ils sont codés par thème"),
    ("en", "12 testimonies were written for the demonstration; each is coded with the "
           "themes it mentions"),
])
def test_twelve_testimonies_are_counted_in_the_plural(lang, expected):
    assert sum(1 for _ in open(REPO / "data" / "raw" / "2022" / "testimonies.csv",
                               encoding="utf-8")) == 13  # a header and 12 testimonies
    assert _first_paragraph(REPO / "data" / "raw" / "2022", lang).startswith(expected)

