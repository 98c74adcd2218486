"""Charts: the right number of bars/lines with the right sizes, locale-formatted labels, no
participant id anywhere, deterministic PNG/SVG output."""

from __future__ import annotations

import base64

import matplotlib.text
import numpy as np
import pandas as pd
import pytest
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from fac_eval.analysis import stats
from fac_eval.core.formatting import fmt_count, fmt_percent
from fac_eval.data import cleaning, synth
from fac_eval.data import codebook as cb
from fac_eval.report import plots

NBSP = "\u00a0"


def texts(fig: Figure) -> list[str]:
    """Every text drawn in the figure (ticks, labels, annotations, legend, titles), the lines of
    wrapped labels joined by a space."""
    fig.canvas.draw()
    return [t.get_text().replace("\n", " ") for t in fig.findobj(matplotlib.text.Text)
            if t.get_visible()]


def bar_containers(ax) -> list[BarContainer]:
    return [c for c in ax.containers if isinstance(c, BarContainer)]


def share_row(label_fr, label_en, k, n):
    ci = stats.proportion_ci(k, n, method="exact")
    return {"label_fr": label_fr, "label_en": label_en, "numerator": k, "denominator": n,
            "value": k / n, "ci_low": ci.ci_low, "ci_high": ci.ci_high}


# --------------------------------------------------------------------------------------------
# Participant flow
# --------------------------------------------------------------------------------------------

FLOW = pd.DataFrame({
    "stage": ["enrolled", "entry_questionnaire", "completed", "exit_questionnaire", "paired",
              "followup"],
    "n": pd.array([12, 11, 10, 10, 9, 7], dtype="Int64"),
})


def test_flow_has_six_bars_whose_widths_are_the_counts():
    fig = plots.participant_flow(FLOW)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    (bars,) = bar_containers(ax)
    assert [p.get_width() for p in bars] == [12, 11, 10, 10, 9, 7]
    # top to bottom in stage order (y axis inverted)
    ys = [p.get_y() + p.get_height() / 2 for p in bars]
    assert ys == sorted(ys) and ax.yaxis_inverted()
    shown = texts(fig)
    assert [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()] == [
        "Inscrits", "Questionnaire d'entrée", "Parcours terminé", "Questionnaire de sortie",
        "Paires entrée–sortie complètes", "Suivi à 3 mois"]
    for count in ("12", "11", "10", "9", "7"):
        assert count in shown
    # losses vs the previous stage, with a real minus sign; none for an unchanged stage
    assert shown.count("\u22121") == 3 and "\u22122" in shown
    assert sum(t.startswith("\u2212") and len(t) <= 3 for t in shown) == 4


def test_flow_followup_not_collected_and_english():
    flow = FLOW.copy()
    flow.loc[flow["stage"] == "followup", "n"] = pd.NA
    fig = plots.participant_flow(flow.iloc[::-1], lang="en", followup_months=6)  # any row order
    (ax,) = fig.axes
    (bars,) = bar_containers(ax)
    assert [p.get_width() for p in bars] == [12, 11, 10, 10, 9, 0]
    shown = texts(fig)
    assert "not collected" in shown and "6-month follow-up" in shown and "Enrolled" in shown
    fr = texts(plots.participant_flow(flow))
    assert "non collecté" in fr


def test_unknown_language_or_stage_is_refused():
    with pytest.raises(ValueError):
        plots.participant_flow(FLOW, lang="de")
    with pytest.raises(ValueError):
        plots.participant_flow(pd.DataFrame({"stage": ["registered"], "n": [3]}))


# --------------------------------------------------------------------------------------------
# Paired changes
# --------------------------------------------------------------------------------------------

IDS = [f"FAC-24-{i:03d}" for i in range(1, 9)]


def hand_pairs() -> pd.DataFrame:
    conf_entry = [2, 2, 3, 1, 4, 2, 3, np.nan]
    conf_exit = [4, 4, 3, 2, 3, 4, 4, 3]          # 7 complete pairs, 2 identical (2 -> 4) twice
    ses_entry = [22, 25.5, 18, 30, 27, np.nan, 21, 24]
    ses_exit = [26, 25.5, 24, 28, 31, 29, np.nan, 30]  # 6 complete pairs
    rows = []
    for outcome, e, x in (("confidence", conf_entry, conf_exit),
                          ("self_esteem", ses_entry, ses_exit)):
        for pid, a, b in zip(IDS, e, x):
            change = b - a
            d = ("missing" if np.isnan(change) else "improved" if change > 0
                 else "unchanged" if change == 0 else "worsened")
            rows.append({"learner_id": pid, "outcome": outcome, "entry": a, "exit": b,
                         "change": change, "direction": d, "entry_prorated": False,
                         "exit_prorated": False})
    return pd.DataFrame(rows)


def lines(ax, gid):
    return [ln for ln in ax.get_lines() if ln.get_gid() == gid]


def test_paired_one_line_per_complete_pair_and_bold_median():
    pairs = hand_pairs()
    fig = plots.paired_change(pairs, ["confidence", "self_esteem"])
    assert len(fig.axes) == 2
    conf_ax, ses_ax = fig.axes
    assert conf_ax.get_title(loc="left") == cb.outcome_label("confidence", "fr")
    assert ses_ax.get_title(loc="left").replace("\n", " ") == cb.outcome_label("self_esteem", "fr")
    assert len(lines(conf_ax, "pair")) == 7 and len(lines(ses_ax, "pair")) == 6
    (median,) = lines(conf_ax, "median")
    assert list(median.get_ydata()) == [2.0, 4.0]  # median of 2,2,3,1,4,2,3 and 4,4,3,2,3,4,4
    assert median.get_linewidth() > lines(conf_ax, "pair")[0].get_linewidth()
    # identical trajectories drawn twice, semi-transparent so that they show darker
    twice = [ln for ln in lines(conf_ax, "pair") if list(ln.get_ydata()) == [2.0, 4.0]]
    assert len(twice) == 3 and all(0 < ln.get_alpha() < 1 for ln in twice)
    # colours by direction
    colors = {ln.get_color() for ln in lines(conf_ax, "pair")}
    assert colors == {plots.DIRECTION_COLORS[d] for d in ("improved", "unchanged", "worsened")}
    # y axis spans the whole scale
    lo, hi = ses_ax.get_ylim()
    assert lo <= 10 and hi >= 40 and lo > 8 and hi < 42
    lo, hi = conf_ax.get_ylim()
    assert lo <= 1 and hi >= 5
    assert "6 paires complètes (2 exclues)" in " ".join(texts(fig))


def test_paired_shows_no_participant_id():
    pairs = hand_pairs()
    for lang in ("fr", "en"):
        fig = plots.paired_change(pairs, ["confidence", "self_esteem"], lang=lang)
        everything = " ".join(texts(fig))
        labels = " ".join(str(a.get_label()) + str(a.get_gid()) for a in fig.findobj())
        for pid in IDS:
            assert pid not in everything and pid not in labels


def test_paired_print_layout_three_panels_a_row_with_the_screen_charts_marks_and_words():
    """Issue 13 (funder review: Figure 2 unreadable on paper): the printed layout draws the
    six learners' panels three a row on a 9 in figure, with the same lines, medians, counts,
    titles and legend as the screen's two a row on 5 in, the legend's four keys on one line;
    its SVG is byte-identical from one run to the next."""
    t = synth.generate_session("Démo", n_learners=10, n_founders=3, seed=7)
    pairs = cleaning.pair_waves(t["learners_entry"], t["learners_exit"], "learner_id",
                                cb.LEARNER_OUTCOMES, participants=t["learners_profile"]["learner_id"])
    outcomes = list(cb.LEARNER_OUTCOMES)
    for lang in ("fr", "en"):
        screen = plots.paired_change(pairs, outcomes, lang=lang)
        printed = plots.paired_change_print(pairs, outcomes, lang=lang)
        assert list(screen.get_size_inches())[0] == plots.WIDTH == 5.0
        width, height = printed.get_size_inches()
        assert width == plots.PRINT_WIDTH == 9.0 and height < 0.75 * width  # wider than tall
        printed.canvas.draw()
        boxes = [ax.get_position() for ax in printed.axes]
        assert len(boxes) == 6
        assert len({round(b.x0, 3) for b in boxes}) == 3  # three columns
        assert len({round(b.y0, 3) for b in boxes}) == 2  # two rows
        assert [round(b.x0, 3) for b in boxes[:3]] == [round(b.x0, 3) for b in boxes[3:]]
        for a, b in zip(screen.axes, printed.axes):
            assert len(lines(a, "pair")) == len(lines(b, "pair")) > 0
            assert [list(m.get_ydata()) for m in lines(a, "median")] == \
                   [list(m.get_ydata()) for m in lines(b, "median")]
            assert a.get_title(loc="left").split() == b.get_title(loc="left").split()
            assert a.get_xlabel() == b.get_xlabel()  # the counts under each panel
        (legend,) = printed.legends
        assert legend._ncols == 4
        assert sorted(texts(screen)) == sorted(texts(printed))  # the same words, re-wrapped
    svg = [plots.figure_svg(plots.paired_change_print(pairs, outcomes), "Alt text, 7 sur 8")
           for _ in range(2)]
    assert svg[0] == svg[1] and 'viewBox="0 0 648 ' in svg[0] and "<text" in svg[0]


def test_paired_on_a_cleaned_synthetic_session():
    t = synth.generate_session("Démo", n_learners=10, n_founders=3, seed=7)
    pairs = cleaning.pair_waves(t["learners_entry"], t["learners_exit"], "learner_id",
                                cb.LEARNER_OUTCOMES, participants=t["learners_profile"]["learner_id"])
    fig = plots.paired_change(pairs, list(cb.LEARNER_OUTCOMES), lang="en")
    assert len(fig.axes) == len(cb.LEARNER_OUTCOMES)
    for ax, outcome in zip(fig.axes, cb.LEARNER_OUTCOMES):
        sub = pairs[pairs["outcome"] == outcome]
        assert len(lines(ax, "pair")) == int((sub["entry"].notna() & sub["exit"].notna()).sum())
    shown = " ".join(texts(fig))
    assert not any(pid in shown for pid in t["learners_profile"]["learner_id"])


# --------------------------------------------------------------------------------------------
# Agreement (diverging bars)
# --------------------------------------------------------------------------------------------

def declarations() -> pd.DataFrame:
    answers = {
        "step_back": [4, 3, 3, 4, 2, 3, 4, 3, pd.NA],     # 8 answers, 7 agree (88 %)
        "motivation": [1, 2, 3, 4, 4, 4, 2, 3, 3],         # 9 answers, 6 agree
    }
    rows = [{"learner_id": f"L{i}", "item": item, "answer": a}
            for item, values in answers.items() for i, a in enumerate(values)]
    out = pd.DataFrame(rows)
    out["answer"] = out["answer"].astype("Int64")
    out["agrees"] = out["answer"].map(lambda a: pd.NA if pd.isna(a) else a >= 3).astype("boolean")
    return out


def test_likert_segments_sum_to_the_answers_and_diverge_at_zero():
    fig = plots.likert_diverging(declarations(), ["step_back", "motivation"])
    ax = fig.axes[0]
    conts = bar_containers(ax)
    assert len(conts) == 4
    totals = [sum(c.patches[i].get_width() for c in conts) for i in range(2)]
    assert totals == [8, 9]
    # codes 1–2 left of zero, 3–4 right of it
    for i in range(2):
        assert conts[1].patches[i].get_x() + conts[1].patches[i].get_width() == 0
        assert conts[2].patches[i].get_x() == 0
    assert [p.get_width() for p in conts[3]] == [3, 3]
    shown = texts(fig)
    assert fmt_percent(7 / 8) == f"88{NBSP}%" and f"88{NBSP}%" in shown
    assert f"n{NBSP}={NBSP}8 (1 sans réponse)" in shown and f"n{NBSP}={NBSP}9" in shown
    assert cb.find_item("step_back").label_fr in shown
    for choice in cb.AGREE_4:
        assert choice.label_fr in shown


def test_likert_english_and_percent_scale():
    fig = plots.likert_diverging(declarations(), ["step_back", "motivation"], lang="en",
                                 percent=True)
    conts = bar_containers(fig.axes[0])
    assert sum(c.patches[0].get_width() for c in conts) == pytest.approx(100)
    shown = texts(fig)
    assert "88%" in shown and "Strongly agree" in shown
    assert cb.find_item("motivation").label_en in shown


# --------------------------------------------------------------------------------------------
# Shares with intervals, themes, forest
# --------------------------------------------------------------------------------------------

def test_share_bars_widths_intervals_and_count_labels():
    rows = pd.DataFrame([share_row("Ont pris du recul", "Stepped back", 7, 8),
                         share_row("Plus motivés", "More motivated", 6, 9)])
    fig = plots.share_bars(rows)
    ax = fig.axes[0]
    (bars,) = bar_containers(ax)
    assert [p.get_width() for p in bars] == pytest.approx([87.5, 600 / 9])
    low, high = ax.get_xlim()  # the whole 0-100 % range, with a small margin so a point at
    assert -5 <= low < 0 and 100 < high <= 105  # 0 % or 100 % is drawn whole
    assert list(ax.get_xticks()) == [0, 25, 50, 75, 100]
    (err,) = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    segments = err.lines[2][0].get_segments()
    assert segments[0][0][0] == pytest.approx(rows["ci_low"][0] * 100)
    assert segments[0][1][0] == pytest.approx(rows["ci_high"][0] * 100)
    shown = texts(fig)
    assert fmt_count(7, 8) == f"7 sur 8 (88{NBSP}%)" and f"7 sur 8 (88{NBSP}%)" in shown
    assert "Ont pris du recul" in shown and f"100{NBSP}%" in shown
    assert "7 of 8 (88%)" in texts(plots.share_bars(rows, lang="en"))


def test_theme_bars_sorted_descending():
    rows = pd.DataFrame({
        "indicator": ["testimonies.theme.coaching", "testimonies.theme.confidence",
                      "testimonies.theme.network"],
        "label_fr": ["Accompagnement", "Confiance", "Réseau"],
        "label_en": ["Coaching", "Confidence", "Network"],
        "numerator": [3.0, 7.0, 0.0], "denominator": [8.0, 8.0, 8.0],
    })
    fig = plots.theme_bars(rows)
    ax = fig.axes[0]
    (bars,) = bar_containers(ax)
    assert [p.get_width() for p in bars] == [7, 3, 0]
    ys = [p.get_y() for p in bars]
    assert ys == sorted(ys)  # first (largest) at the top of an inverted axis
    shown = texts(fig)
    assert f"7 sur 8 (88{NBSP}%)" in shown and "Confiance" in shown
    assert ax.get_xlim() == (0, 8)


def test_forest_points_intervals_and_pooled_diamond():
    rows = []
    for session, k, n in (("2022", 7, 8), ("2024", 9, 12)):
        rows.append({"session": session, **share_row("", "", k, n), "pooled": False})
    rows.append({"session": "Ensemble", **share_row("", "", 16, 20), "pooled": True})
    rows = pd.DataFrame(rows)
    fig = plots.forest(rows.iloc[[2, 0, 1]])  # pooled first on input: drawn last anyway
    ax = fig.axes[0]
    points = lines(ax, "estimate")
    assert [ln.get_xdata()[0] for ln in points] == pytest.approx([87.5, 75.0])
    intervals = lines(ax, "interval")
    assert intervals[0].get_xdata() == pytest.approx([rows["ci_low"][0] * 100,
                                                       rows["ci_high"][0] * 100])
    (diamond,) = [p for p in ax.patches if isinstance(p, Polygon) and p.get_gid() == "pooled"]
    xs = diamond.get_xy()[:, 0]
    assert xs.min() == pytest.approx(rows["ci_low"][2] * 100)
    assert xs.max() == pytest.approx(rows["ci_high"][2] * 100)
    assert diamond.get_xy()[:, 1].mean() > max(ln.get_ydata()[0] for ln in points)  # at the bottom
    low, high = ax.get_xlim()  # the whole 0-100 % range, with a small margin so a point at
    assert -5 <= low < 0 and 100 < high <= 105  # 0 % or 100 % is drawn whole
    assert list(ax.get_xticks()) == [0, 25, 50, 75, 100]
    shown = texts(fig)
    assert f"7 sur 8 (88{NBSP}%)" in shown and f"16 sur 20 (80{NBSP}%)" in shown
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2022", "2024", "Ensemble"]


# --------------------------------------------------------------------------------------------
# Follow-up categories
# --------------------------------------------------------------------------------------------

COUNTS = {"durable": 4, "transition": 1, "positive": 1, "other": 2, "non_respondent": 3,
          "neutralised": 2}


def test_followup_from_counts_indicators_or_classified_rows_agree():
    ind = pd.DataFrame({
        "indicator": ["followup.sortie_dynamique", "followup.durable", "followup.transition",
                      "followup.positive", "followup.other", "followup.neutralised",
                      "followup.non_respondents"],
        "numerator": [6.0, 4, 1, 1, 2, 2, 3],
    })
    classified = pd.DataFrame({"learner_id": [f"L{i}" for i in range(13)],
                               "category": ["durable"] * 4 + ["transition", "positive", "other",
                                            "unknown"] + ["non_respondent"] * 3
                                           + ["neutralised"] * 2})
    widths = []
    for data in (COUNTS, ind, classified):
        fig = plots.followup_categories(data)
        (bars,) = bar_containers(fig.axes[0])
        widths.append([p.get_width() for p in bars])
        shown = " ".join(texts(fig))
        # sortie dynamique: 6 of 13 followed up minus 2 neutralised
        assert fmt_count(6, 11) in shown and "Emploi durable (4)" in shown
    assert widths[0] == widths[1] == widths[2] == [4, 1, 1, 2, 3, 2]
    (bars,) = bar_containers(plots.followup_categories(COUNTS).axes[0])
    dynamic = {p.get_facecolor()[:3] for p in list(bars)[:3]}
    assert len(dynamic) == 3  # three blues, distinct
    assert all(c[2] > c[0] for c in dynamic)  # blue family


def test_followup_not_collected():
    pending = pd.DataFrame({"indicator": ["followup.durable", "followup.other"],
                            "numerator": [np.nan, np.nan]})
    for data in (None, pending):
        assert "Suivi non encore collecté" in texts(plots.followup_categories(data))
    assert "Follow-up not collected yet" in texts(plots.followup_categories(None, lang="en"))


# --------------------------------------------------------------------------------------------
# Embedding
# --------------------------------------------------------------------------------------------

def test_png_base64_is_a_png_and_deterministic():
    a = plots.figure_to_png_base64(plots.participant_flow(FLOW), dpi=80)
    b = plots.figure_to_png_base64(plots.participant_flow(FLOW), dpi=80)
    raw = base64.b64decode(a, validate=True)
    assert raw.startswith(b"\x89PNG\r\n\x1a\n")
    assert a == b
    assert b"Software" not in raw and b"matplotlib" not in raw.lower()
    fig = plots.participant_flow(FLOW)
    uri = plots.png_data_uri(fig, dpi=60)
    assert uri.startswith("data:image/png;base64,iVBOR")
    assert fig.axes == []  # cleared after export


def test_svg_is_inline_and_deterministic():
    a = plots.figure_to_svg(plots.followup_categories(COUNTS))
    b = plots.figure_to_svg(plots.followup_categories(COUNTS))
    assert a == b and a.startswith("<svg") and "<?xml" not in a
    assert "<dc:date>" not in a


def test_empty_inputs_give_a_message_not_an_error():
    cols = ["label_fr", "label_en", "numerator", "denominator", "value", "ci_low", "ci_high"]
    for fig in (plots.share_bars(pd.DataFrame(columns=cols)),
                plots.theme_bars(pd.DataFrame(columns=cols)),
                plots.forest(pd.DataFrame(columns=[*cols, "session"]))):
        assert "Aucune donnée" in texts(fig)
