"""The comparison report's chart of the key indicators session by session (small multiples)
and the short labels it shares with the report's tables (:mod:`fac_eval.report.comparison`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from fac_eval.analysis.comparison import KEY_INDICATORS
from fac_eval.core.formatting import fmt_percent
from fac_eval.data import codebook as cb
from fac_eval.report import plots

from .i18n import N_, messages

#: Short labels for charts and tables.
SHORT_LABELS: dict[str, str] = {
    "learners.self_esteem.improved": N_("Self-esteem improved"),
    "learners.confidence.improved": N_("Self-confidence improved"),
    "learners.autonomy.improved": N_("Autonomy improved"),
    "learners.digital_skills.improved": N_("Digital skills improved"),
    "learners.soft_skills.improved": N_("Employability soft skills improved"),
    "learners.projection.improved": N_("Ability to project oneself improved"),
    "learners.value_skills.agree": N_("Better able to value their skills"),
    "founders.developed": N_("Founders: activity developed"),
    "followup.sortie_dynamique": N_("Dynamic exit (follow-up)"),
}


#: Learner outcomes by their short name (the pooled tests' table).
OUTCOME_SHORT: dict[str, str] = {
    "self_esteem": N_("Self-esteem"),
    "confidence": N_("Self-confidence"),
    "autonomy": N_("Autonomy"),
    "digital_skills": N_("Digital skills"),
    "soft_skills": N_("Employability soft skills"),
    "projection": N_("Ability to project oneself"),
}


def outcome_short(outcome: str, lang: str = "fr") -> str:
    """"Estime de soi" for self_esteem: the short label of a learner outcome."""
    if outcome in OUTCOME_SHORT:
        return messages(lang)._(OUTCOME_SHORT[outcome])
    return cb.outcome_label(outcome, lang)


#: The word a chart or a table cell shows for a session's figure that does not exist, by its
#: ``pending_reason`` (:attr:`fac_eval.analysis.comparison.ComparisonResults.per_session`, from
#: the session's one follow-up status, :func:`fac_eval.data.interim.followup_status`): "absent"
#: for a follow-up whose planned date is past (the words of that session's own report),
#: "en attente" for a figure still to come (exit questionnaires, a follow-up not due yet).
WAITING_WORDS: dict[str, str] = {
    "followup_absent": N_("absent"),
    "followup": N_("pending"),
    "exit": N_("pending"),
}


def waiting_word(reason, lang: str = "fr") -> str:
    """"absent" or "en attente": the word for a session's figure without a value, by its
    ``pending_reason`` (:data:`WAITING_WORDS`; "en attente" for any other reason)."""
    return messages(lang)._(WAITING_WORDS.get(str(reason), WAITING_WORDS["exit"]))


#: Fewest sessions for which a line joins them and the word "trend" is used.
MIN_SESSIONS_FOR_TREND = 3


def short_label(indicator: str, lang: str = "fr", fallback: str | None = None) -> str:
    if indicator in SHORT_LABELS:
        return messages(lang)._(SHORT_LABELS[indicator])
    return fallback or indicator



def trend_chart(per_session: pd.DataFrame, indicators: Sequence[str] = KEY_INDICATORS,
                lang: str = "fr", confidence: float = 0.95) -> plots.Figure:
    """Small multiples: one panel per indicator, the share per session in start-date order (point
    and exact interval; sessions joined by a line only from :data:`MIN_SESSIONS_FOR_TREND`
    sessions on); sessions where the indicator was not measured are left empty."""
    from matplotlib.ticker import FixedLocator, FuncFormatter

    lang = plots._lang(lang)
    sessions = (per_session.sort_values("order")["session"].drop_duplicates().tolist())
    n_cols = 2
    n_rows = int(np.ceil(len(indicators) / n_cols))
    fig = plots._new_figure(1.9 * n_rows + 0.5)
    axes = fig.subplots(n_rows, n_cols, squeeze=False, sharex=True, sharey=True)
    x = np.arange(len(sessions))
    for i, ind in enumerate(indicators):
        ax = axes[i // n_cols][i % n_cols]
        plots._style_axes(ax, grid="y")
        sub = per_session[per_session["indicator"] == ind].set_index("session").reindex(sessions)
        val = pd.to_numeric(sub["value"], errors="coerce").to_numpy(float) * 100
        lo = pd.to_numeric(sub["ci_low"], errors="coerce").to_numpy(float) * 100
        hi = pd.to_numeric(sub["ci_high"], errors="coerce").to_numpy(float) * 100
        ok = ~np.isnan(val)
        if ok.any():
            if len(sessions) >= MIN_SESSIONS_FOR_TREND:  # no trend line through two points
                # nor across a session without a figure (a pending one): the line breaks there
                ax.plot(x, val, color=plots.COLORS["blue"], linewidth=1.5, zorder=2)
            ax.errorbar(x[ok], val[ok], yerr=[val[ok] - lo[ok], hi[ok] - val[ok]], fmt="o",
                        color=plots.COLORS["blue"], ecolor=plots.COLORS["sky"], elinewidth=2,
                        markersize=6, markeredgecolor="white", capsize=0, zorder=3)
        status = (sub["status"] if "status" in sub.columns
                  else pd.Series("", index=sub.index)).fillna("").to_numpy(object)
        reason = (sub["pending_reason"] if "pending_reason" in sub.columns
                  else pd.Series("", index=sub.index)).fillna("").to_numpy(object)
        for xx, ok_, st, why in zip(x, ok, status, reason):
            if not ok_:  # a session without a figure says why: still to come, or absent
                word = waiting_word(why, lang) if st == "pending" else plots._t(lang, "no_data")
                ax.text(xx, 50, word, ha="center", va="center", rotation=90,
                        **plots._font(plots.SMALL_SIZE, color=plots.MUTED, fontstyle="italic"))
        ax.set_title(plots._wrap(short_label(ind, lang), 22), loc="left",
                     **plots._font(plots.SMALL_SIZE, fontweight="bold", color=plots.TEXT))
        ax.set_ylim(-4, 104)
        ax.yaxis.set_major_locator(FixedLocator([0, 50, 100]))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _p: fmt_percent(y / 100, lang)))
        ax.set_xlim(-0.5, len(sessions) - 0.5)
        ax.xaxis.set_major_locator(FixedLocator(list(x)))
        # three names or more under a small panel overlap: slanted, each ending at its tick
        slant = dict(rotation=30, ha="right", rotation_mode="anchor") if len(sessions) >= 3 else {}
        ax.set_xticklabels([plots._wrap(s, 12) for s in sessions], **slant,
                           **plots._font(plots.SMALL_SIZE, color=plots.TEXT))
        ax.tick_params(axis="x", labelbottom=True)
    for j in range(len(indicators), n_rows * n_cols):
        axes[j // n_cols][j % n_cols].set_axis_off()
    fig.supxlabel(plots._wrap(messages(lang)._(
        "Sessions by start date; point: share, line: %(level)s confidence interval",
        level=fmt_percent(confidence, lang)), 56), **plots._font(plots.SMALL_SIZE, color=plots.MUTED))
    return fig
