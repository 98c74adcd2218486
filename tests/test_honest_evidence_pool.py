"""Issue 12, R9: a pooled figure of 2022 and synth-2024 was marked "illustratif" in the
comparison report while its CSV row said only ``synthetic``. One rule for both: a pool is worth
its weakest session (``evidence``, as reader round 9 wants), and the row gives each session's
own class (``evidence_sessions``), so that the CSV shows the invented count the report marks
(reader round 11)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import REPO

from fac_eval.analysis import comparison as compare
from fac_eval.report.comparison import ComparisonReport

ORDER = ["synthetic", "illustrative", "published", "observed"]  # weakest first


@pytest.fixture(scope="module")
def both():
    return compare.compare_sessions("2022,synth-2024", raw_dir=REPO / "data" / "raw")


def _classes(row) -> dict[str, str]:
    return dict(x.split(":") for x in str(row["evidence_sessions"]).split(",") if x)


def test_each_pooled_row_gives_each_sessions_own_class(both):
    own = {s.name: s.indicators.set_index("indicator")["evidence"] for s in both.sessions}
    checked = 0
    for _, row in both.pooled.iterrows():
        listed = _classes(row)
        assert list(listed) == [x for x in str(row["sessions"]).split(",") if x]
        for session, cls in listed.items():
            assert cls == own[session][row["indicator"]], (row["indicator"], session)
            checked += 1
        if listed:  # the pool's class is the weakest of them (reader round 9)
            assert row["evidence"] == min(listed.values(), key=ORDER.index)
    assert checked >= 2 * 8


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_what_the_report_marks_illustratif_the_csv_shows(both, lang):
    rep = ComparisonReport(both, lang=lang, generated_at=dt.datetime(2026, 12, 6, 9, 0))
    marked = [ind for ind in both.pooled["indicator"] if rep.invented_tag(ind)]
    assert marked == ["learners.projection.improved"]  # 2022's invented 6 of 8 is pooled
    for _, row in both.pooled.iterrows():
        holds = "illustrative" in _classes(row).values()
        assert holds == (row["indicator"] in marked), row["indicator"]


def test_the_projection_pool_is_synthetic_and_says_2022s_count_was_invented(both):
    rows = both.pooled[both.pooled["evidence_sessions"].str.contains("2022:illustrative")]
    assert len(rows)
    assert set(rows["evidence"]) == {"synthetic"}
    assert all("synth-2024:synthetic" in x for x in rows["evidence_sessions"])


def test_the_published_csv_has_the_column(both):
    from fac_eval.run.compare_run import _published_tables

    _, pooled = _published_tables(both, "fr")
    assert "evidence_sessions" in pooled.columns
    assert pd.notna(pooled["evidence_sessions"]).all()
