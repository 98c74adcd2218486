"""Large sessions: charts summarise instead of drawing one mark per person, quotes are sampled."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Polygon

from fac_eval import report
from fac_eval.analysis import results as analysis
from fac_eval.core.formatting import fmt_number
from fac_eval.data import cleaning, synth
from fac_eval.data import codebook as cb
from fac_eval.report import plots


def pairs_frame(n: int, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for outcome in ("confidence", "self_esteem"):
        lo, hi = (1, 5) if outcome == "confidence" else (10, 40)
        entry = rng.integers(lo, hi + 1, size=n).astype(float)
        exit_ = np.clip(entry + rng.integers(-2, 4, size=n), lo, hi).astype(float)
        entry[0] = np.nan  # one incomplete pair per outcome
        for i, (a, b) in enumerate(zip(entry, exit_)):
            change = b - a
            d = ("missing" if np.isnan(change) else "improved" if change > 0
                 else "unchanged" if change == 0 else "worsened")
            rows.append({"learner_id": f"L{i:05d}", "outcome": outcome, "entry": a, "exit": b,
                         "change": change, "direction": d})
    return pd.DataFrame(rows)


def pair_lines(ax):
    return [ln for ln in ax.get_lines() if ln.get_gid() == "pair"]


def bands(ax, gid):
    return [p for p in ax.patches if isinstance(p, Polygon) and p.get_gid() == gid]


def test_up_to_the_limit_one_line_per_person():
    limit = plots.PAIR_LINES_MAX
    pairs = pairs_frame(limit + 1)  # limit complete pairs per outcome (the first is incomplete)
    assert not plots.paired_change_summarised(pairs)
    fig = plots.paired_change(pairs, ["confidence", "self_esteem"])
    for ax in fig.axes:
        assert len(pair_lines(ax)) == limit
        assert not bands(ax, "quartiles") and not bands(ax, "deciles")


@pytest.mark.parametrize("n", [plots.PAIR_LINES_MAX + 2, 5000])
def test_beyond_the_limit_distribution_bands_and_no_person_line(n):
    pairs = pairs_frame(n)
    assert plots.paired_change_summarised(pairs, ["confidence", "self_esteem"])
    fig = plots.paired_change(pairs, ["confidence", "self_esteem"], lang="en")
    for ax, outcome in zip(fig.axes, ("confidence", "self_esteem")):
        assert pair_lines(ax) == []
        sub = pairs[pairs["outcome"] == outcome].dropna(subset=["entry", "exit"])
        # band vertices: percentiles of entry (x = 0) and exit (x = 1), computed by pandas
        for gid, (lo, hi) in (("deciles", (0.10, 0.90)), ("quartiles", (0.25, 0.75))):
            (band,) = bands(ax, gid)
            xy = band.get_xy()
            expected = [(0, sub["entry"].quantile(lo)), (1, sub["exit"].quantile(lo)),
                        (1, sub["exit"].quantile(hi)), (0, sub["entry"].quantile(hi))]
            assert np.allclose(xy[:4], expected)
        (median,) = [ln for ln in ax.get_lines() if ln.get_gid() == "median"]
        assert list(median.get_ydata()) == [sub["entry"].median(), sub["exit"].median()]
        # the counts under the panel still give every complete pair
        note = ax.get_xlabel()
        assert f"{fmt_number(n - 1, 'en')} complete pairs" in note
        assert f"\u2191\u00a0{int((sub['direction'] == 'improved').sum())}" in note
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Middle half (25th–75th percentile)", "Middle 80% (10th–90th percentile)",
                      plots._t("en", "median")]


def test_large_group_chart_is_cheap():
    # 20,000 people: a handful of artists, not 20,000 lines per panel
    pairs = pairs_frame(20_000)
    fig = plots.paired_change(pairs, ["confidence", "self_esteem"])
    assert sum(len(ax.get_lines()) for ax in fig.axes) <= 4
    assert len(plots.figure_to_png_base64(fig)) < 400_000


@pytest.mark.parametrize("n_learners, summarised", [(12, False), (60, True)])
def test_report_caption_follows_the_chart(tmp_path, n_learners, summarised):
    tables, meta = synth.make_session("grand", n_learners, 4, 11)
    synth.write_session(tmp_path / "grand", tables, meta)
    res = analysis.compute_session(tmp_path / "grand", names=[])
    assert plots.paired_change_summarised(res.clean.learner_pairs, list(cb.LEARNER_OUTCOMES)) is summarised
    for lang, per_person, bands_ in (("fr", "une ligne par apprenant", "répartition des apprenants"),
                                     ("en", "one line per learner", "distribution of the learners")):
        html = report.Report(res, lang=lang, min_cell=3, parameters={}).learners().data
        assert (bands_ in html) is summarised and (per_person in html) is not summarised


def test_quotes_beyond_the_limit_are_an_evenly_spaced_sample(tmp_path, monkeypatch):
    tables, meta = synth.make_session("grand", 40, 6, 3)
    synth.write_session(tmp_path / "grand", tables, meta)
    res = analysis.compute_session(tmp_path / "grand", names=[])
    T = res.clean.testimonies
    consented = T[T["consent_quote"].astype(bool)]
    n = len(consented)
    assert n > 4
    monkeypatch.setattr(report.Report, "QUOTES_MAX", n)
    full = report.Report(res, lang="fr", min_cell=3, parameters={})
    everything = [q for q, _ in full.quotes()]
    assert len(everything) == n  # up to the limit: every consented quote, no sampling sentence
    assert "peuvent être cités" not in full.testimonies().data
    monkeypatch.setattr(report.Report, "QUOTES_MAX", 4)
    rep = report.Report(res, lang="fr", min_cell=3, parameters={})
    shown = [q for q, _ in rep.quotes()]
    positions = [(2 * i + 1) * n // 8 for i in range(4)]
    assert shown == [everything[i] for i in positions]
    html = rep.testimonies().data
    assert f"{n} témoignages peuvent être cités" in html and "4 sont reproduits ci-dessous" in html
    assert html.count('<blockquote class="quote">') == 4
    not_quoted = len(T) - n
    if not_quoted:
        plural = "s" if not_quoted > 1 else ""  # a synthetic session: "marqués … dans les données"
        assert (f"{not_quoted} témoignage{plural} marqué{plural} sans accord de citation dans les "
                "données") in html
    en = report.Report(res, lang="en", min_cell=3, parameters={}).testimonies().data
    assert f"{n} testimonies may be quoted; 4 are shown below" in en


def agreement_loop(exit, key, items, participants=None):
    """The per-cell reference (the implementation before it was vectorised)."""
    rows = []
    present = exit.set_index(exit[key].astype(str)) if len(exit) else exit
    ids = list(participants.astype(str)) if participants is not None else list(present.index)
    for pid in ids:
        for item in items:
            answer = pd.NA
            if len(exit) and pid in present.index and item in present.columns:
                answer = present.at[pid, item]
            agrees = pd.NA if pd.isna(answer) else bool(int(answer) in cb.AGREE_CODES_YES)
            rows.append({key: pid, "item": item, "answer": answer, "agrees": agrees})
    out = pd.DataFrame(rows, columns=[key, "item", "answer", "agrees"])
    out["answer"] = out["answer"].astype("Int64")
    out["agrees"] = out["agrees"].astype("boolean")
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorised_agreement_equals_the_per_cell_reference(seed):
    t = synth.generate_session("Démo", n_learners=40, n_founders=6, seed=seed)
    exit_ = t["learners_exit"]
    items = tuple(cb.LEARNER_DECLARATION_ITEMS) + ("not_an_item",)
    people = pd.concat([t["learners_profile"]["learner_id"], pd.Series(["L-ABSENT"])])
    for frame, participants in ((exit_, people), (exit_, None), (exit_.iloc[:0], people),
                                (exit_.sample(frac=0.5, random_state=seed), people)):
        got = cleaning.agreement(frame, "learner_id", items, participants=participants)
        pd.testing.assert_frame_equal(got, agreement_loop(frame, "learner_id", items, participants))
