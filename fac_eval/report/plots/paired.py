"""Paired entry/exit changes: one line per person or distributions."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon
from matplotlib.ticker import FuncFormatter

from fac_eval.core.formatting import fmt_number
from fac_eval.data import codebook as cb
from fac_eval.report.i18n import N_, messages

from .style import (
    _HALO,
    COLORS,
    DIRECTION_COLORS,
    FONT_FAMILY,
    FONT_SIZE,
    MUTED,
    NBSP,
    PAIR_ALPHA,
    SMALL_SIZE,
    TEXT,
    WIDTH,
    _font,
    _lang,
    _n_lines,
    _new_figure,
    _require,
    _set_title,
    _style_axes,
    _t,
    _tn,
    _wrap,
    _xlabel,
)

# --------------------------------------------------------------------------------------------
# Paired entry/exit changes
# --------------------------------------------------------------------------------------------

def _outcome_range(outcome: str) -> tuple[float, float, list[float] | None]:
    """(min, max, tick positions or None) of an outcome's scale."""
    if outcome in cb.SCALES:
        s = cb.SCALES[outcome]
        return float(s.score_min), float(s.score_max), None
    item = cb.find_item(outcome)
    codes = [c for c in item.codes if isinstance(c, (int, float)) and not isinstance(c, bool)]
    if codes:
        return float(min(codes)), float(max(codes)), [float(c) for c in sorted(codes)]
    if item.minimum is not None and item.maximum is not None:
        return float(item.minimum), float(item.maximum), None
    raise ValueError(f"paired_change: {outcome!r} has no numeric scale")


def _fmt_value(x, lang: str) -> str:
    return fmt_number(round(float(x), 1), lang)


#: Above this many complete pairs in a panel, :func:`paired_change` draws the distribution
#: (median, quartiles, 10th-90th percentiles) instead of one line per person.
PAIR_LINES_MAX = 30

_SUMMARY_TEXTS = {"quartiles": N_("Middle half (25th–75th percentile)"),
                  "deciles": N_("Middle 80% (10th–90th percentile)")}


def _word(lang: str, key: str) -> str:
    return messages(_lang(lang))._(_SUMMARY_TEXTS[key])


def _complete_pair_counts(pairs: pd.DataFrame, outcomes: Sequence[str]) -> list[int]:
    entry = pd.to_numeric(pairs["entry"], errors="coerce")
    exit_ = pd.to_numeric(pairs["exit"], errors="coerce")
    ok = entry.notna() & exit_.notna()
    counts = ok.groupby(pairs["outcome"].astype(str)).sum()
    return [int(counts.get(o, 0)) for o in outcomes]


def paired_change_summarised(pairs: pd.DataFrame, outcomes: Sequence[str] | None = None) -> bool:
    """Whether :func:`paired_change` draws distributions (some panel has more than
    :data:`PAIR_LINES_MAX` complete pairs) rather than one line per person."""
    if outcomes is None:
        outcomes = list(dict.fromkeys(pairs["outcome"].astype(str)))
    return max(_complete_pair_counts(pairs, list(outcomes)) or [0]) > PAIR_LINES_MAX


def _pair_distribution(ax, comp: pd.DataFrame) -> None:
    """Bands of the 10th-90th and 25th-75th percentiles from entry (x = 0) to exit (x = 1)."""
    qs = [0.10, 0.25, 0.75, 0.90]
    qe = np.quantile(comp["entry"].to_numpy(dtype=float), qs)
    qx = np.quantile(comp["exit"].to_numpy(dtype=float), qs)
    for (lo, hi), gid, alpha in (((0, 3), "deciles", 0.22), ((1, 2), "quartiles", 0.45)):
        ax.add_patch(Polygon([(0, qe[lo]), (1, qx[lo]), (1, qx[hi]), (0, qe[hi])], closed=True,
                             facecolor=COLORS["sky"], edgecolor="none", alpha=alpha, zorder=2,
                             gid=gid))


#: The printed layout of :func:`paired_change` (:func:`paired_change_print`): three panels a
#: row on a figure 9 in wide (648 SVG units), printed across the A4 text column (184 mm, 80 %
#: of its drawn size: the smallest text, 10 pt, prints at 8 pt, the axes' 11 pt at 8.9 pt),
#: each row of panels a little lower than on screen: the two rows print 11.5 to 12.5 cm tall
#: (a taller chart moved synth-2024's English report to 13 pages).
PRINT_NCOLS, PRINT_WIDTH, PRINT_PANEL_HEIGHT = 3, 9.0, 2.3


def paired_change_print(pairs: pd.DataFrame, outcomes: Sequence[str] | None = None,
                        lang: str = "fr") -> Figure:
    """:func:`paired_change` laid out for the printed page (:data:`PRINT_WIDTH`): the same
    panels, marks, counts and legend, three panels a row instead of two."""
    return paired_change(pairs, outcomes, lang=lang, ncols=PRINT_NCOLS, width=PRINT_WIDTH,
                         panel_height=PRINT_PANEL_HEIGHT)


def paired_change(pairs: pd.DataFrame, outcomes: Sequence[str] | None = None, lang: str = "fr",
                  ncols: int | None = None, title: str | None = None, width: float = WIDTH,
                  panel_height: float = 2.55) -> Figure:
    """Slope charts of entry → exit values, one panel per outcome (small multiples).

    ``pairs`` is :func:`fac_eval.data.cleaning.pair_waves` output (columns ``outcome, entry, exit,
    direction``; the id column is never read). Each complete pair is one line from its entry value
    to its exit value, coloured by ``direction`` (improved / unchanged / worsened), semi-transparent
    so that identical trajectories show darker; the group's median entry and exit are drawn bold
    and written beside the points. The y axis spans the scale (``codebook.SCALES`` score range or
    the item's answer codes). Panel titles are ``codebook.outcome_label(outcome, lang)``.

    Lines carry ``gid="pair"`` (one per complete pair) and ``gid="median"`` (one per panel with at
    least one pair).

    Large groups: when a panel has more than :data:`PAIR_LINES_MAX` complete pairs
    (:func:`paired_change_summarised`), no panel draws one line per person (unreadable, and
    costly beyond a few hundred); each panel shows the distribution instead, as two bands joining
    the entry and exit percentiles (``gid="deciles"``: 10th-90th, ``gid="quartiles"``: 25th-75th)
    under the median line, and the legend says so. The counts below the panels are unchanged.

    ``width`` (inches, :data:`~.style.WIDTH` by default) and ``panel_height`` (inches of one row
    of panels, their titles aside) size the figure; panel titles wrap to the panels' width, and
    a legend as wide as the figure allows goes on one line.
    """
    _require(pairs, ["outcome", "entry", "exit", "direction"], "paired_change")
    lang = _lang(lang)
    if outcomes is None:
        outcomes = list(dict.fromkeys(pairs["outcome"].astype(str)))
    outcomes = list(outcomes)
    if not outcomes:
        raise ValueError("paired_change: no outcome to draw")
    if ncols is None:
        ncols = min(2, len(outcomes))
    nrows = math.ceil(len(outcomes) / ncols)
    # characters of a panel title a line: 46 for one panel on the 5 in figure (11 pt), 22 for
    # two (10 pt bold), 14 for more; in proportion on a wider figure
    title_width = int({1: 46, 2: 22}.get(ncols, 14) * width / WIDTH)
    titles = [_wrap(cb.outcome_label(o, lang), title_width) for o in outcomes]
    title_lines = max(_n_lines(t) for t in titles)
    panel_h = panel_height + 0.18 * title_lines
    legend_cols = 4 if width >= 1.6 * WIDTH else 2  # room for the four keys on one line
    fig = _new_figure(nrows * panel_h + (0.35 if legend_cols == 4 else 0.55)
                      + (0.3 if title else 0), width=width)
    grid = fig.subplots(nrows, ncols, squeeze=False)
    axes = list(grid.ravel())
    for ax in axes[len(outcomes):]:
        fig.delaxes(ax)

    rank = {"unchanged": 0, "worsened": 1, "improved": 2}
    summarise = max(_complete_pair_counts(pairs, outcomes)) > PAIR_LINES_MAX
    for ax, outcome, ttl in zip(axes, outcomes, titles):
        _style_axes(ax, grid="y")
        sub = pairs[pairs["outcome"].astype(str) == outcome]
        entry = pd.to_numeric(sub["entry"], errors="coerce").astype(float)
        exit_ = pd.to_numeric(sub["exit"], errors="coerce").astype(float)
        ok = entry.notna() & exit_.notna()
        comp = pd.DataFrame({"entry": entry[ok].to_numpy(), "exit": exit_[ok].to_numpy(),
                             "direction": sub.loc[ok, "direction"].astype(str).to_numpy()})
        n_excluded = int((~ok).sum())
        comp["_rank"] = comp["direction"].map(rank).fillna(0)
        comp = comp.sort_values(["_rank", "entry", "exit"], kind="mergesort")
        lo, hi, ticks = _outcome_range(outcome)
        span = hi - lo or 1.0
        if summarise and len(comp):
            _pair_distribution(ax, comp)
        else:
            for e, x, d in zip(comp["entry"], comp["exit"], comp["direction"]):
                ax.plot([0, 1], [e, x], color=DIRECTION_COLORS.get(d, COLORS["grey"]), alpha=PAIR_ALPHA,
                        linewidth=2.0, marker="o", markersize=4.5, markeredgewidth=0,
                        solid_capstyle="round", zorder=2, gid="pair")
        if len(comp):
            med_e, med_x = float(np.median(comp["entry"])), float(np.median(comp["exit"]))
            ax.plot([0, 1], [med_e, med_x], color=COLORS["dark"], linewidth=3.2, marker="o",
                    markersize=7, zorder=4, gid="median", solid_capstyle="round")
            ax.text(-0.09, med_e, _fmt_value(med_e, lang), ha="right", va="center", zorder=5,
                    **_font(SMALL_SIZE, color=COLORS["dark"], fontweight="bold", bbox=_HALO))
            ax.text(1.09, med_x, _fmt_value(med_x, lang), ha="left", va="center", zorder=5,
                    **_font(SMALL_SIZE, color=COLORS["dark"], fontweight="bold", bbox=_HALO))
        else:
            ax.text(0.5, 0.5, _t(lang, "no_pair"), transform=ax.transAxes, ha="center",
                    va="center", **_font(SMALL_SIZE, color=MUTED, fontstyle="italic"))
        ax.set_xlim(-0.5, 1.5)
        ax.set_ylim(lo - 0.05 * span, hi + 0.05 * span)
        ax.set_xticks([0, 1], [_t(lang, "entry"), _t(lang, "exit")])
        if ticks is None or len(ticks) > 7:
            step = next(st for st in (1, 2, 5, 10, 20, 50, 100) if span / st <= 5)
            ticks = list(np.arange(lo, hi + step / 2, step))
        ax.set_yticks(ticks)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_number(v, lang)))
        ax.set_title(ttl, loc="left", pad=6, **_font(FONT_SIZE if ncols == 1 else SMALL_SIZE,
                                                      color=TEXT, fontweight="bold"))
        n = len(comp)
        counts = {k: int((comp["direction"] == k).sum())
                  for k in ("improved", "unchanged", "worsened")}
        note = _tn(lang, "pairs", n)
        if n_excluded:
            excluded = _tn(lang, "pairs.excluded", n_excluded)
            note += f" ({excluded})"
        note += (f"\n\u2191{NBSP}{counts['improved']}   ={NBSP}{counts['unchanged']}"
                 f"   \u2193{NBSP}{counts['worsened']}")
        _xlabel(ax, note)

    if summarise:
        handles = [
            Patch(facecolor=COLORS["sky"], alpha=0.45, label=_word(lang, "quartiles")),
            Patch(facecolor=COLORS["sky"], alpha=0.22, label=_word(lang, "deciles")),
            Line2D([], [], color=COLORS["dark"], linewidth=3.2, marker="o", markersize=6,
                   label=_t(lang, "median")),
        ]
        fig.legend(handles=handles, loc="outside lower center", ncol=min(legend_cols, 3),
                   frameon=False, prop={"family": FONT_FAMILY, "size": SMALL_SIZE},
                   handlelength=1.8, columnspacing=1.4)
        _set_title(fig, title)
        return fig
    handles = [
        Line2D([], [], color=DIRECTION_COLORS["improved"], linewidth=2.5, alpha=PAIR_ALPHA,
               label=f"{_t(lang, 'improved')} (\u2191)"),
        Line2D([], [], color=DIRECTION_COLORS["unchanged"], linewidth=2.5, alpha=PAIR_ALPHA,
               label=f"{_t(lang, 'unchanged')} (=)"),
        Line2D([], [], color=DIRECTION_COLORS["worsened"], linewidth=2.5, alpha=PAIR_ALPHA,
               label=f"{_t(lang, 'worsened')} (\u2193)"),
        Line2D([], [], color=COLORS["dark"], linewidth=3.2, marker="o", markersize=6,
               label=_t(lang, "median")),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=legend_cols, frameon=False,
               prop={"family": FONT_FAMILY, "size": SMALL_SIZE}, handlelength=1.8,
               columnspacing=1.4)
    _set_title(fig, title)
    return fig


