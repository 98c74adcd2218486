"""Charts of the report: pure functions, DataFrame in, :class:`matplotlib.figure.Figure` out.

Every function builds its own ``Figure`` with the object-oriented API and an Agg canvas: no
pyplot, no global figure registry, no change to ``matplotlib.rcParams`` (fonts, sizes and colours
are passed to each artist), so charts can be drawn from several threads or processes and no
figure leaks. Output is deterministic: no randomness anywhere (overlapping lines of the paired
charts are made visible by transparency, never by jitter), fixed colours, fixed font
(DejaVu Sans, shipped with matplotlib, which has the narrow no-break spaces of French numbers).

House style
    5 in wide (360 SVG units: drawn at about one CSS pixel per unit on a 390 px phone, so that
    the smallest 10 pt label stays 10 px tall), height growing with the number of rows; 10–12 pt
    text; a colour-blind-safe palette (Okabe–Ito hues, darkened so that every data mark has a
    contrast of at least 3:1 against white and every text at least 4.5:1 against what is behind
    it: blue for the programme's results and improvements, vermilion for deteriorations, grey
    for "no change");
    no frame, a light grid only where it helps reading; row labels above the bars (full width,
    readable on a phone) and values written next to bars and points rather than read off an
    axis; legends below the plot. Every number shown goes through
    :mod:`fac_eval.formatting` (``"7 sur 8 (88 %)"`` in French, ``"7 of 8 (88%)"`` in English).
    Text comes from the codebook in the requested language (``lang="fr"`` or ``"en"``) or from the
    caller (``title=``, ``xlabel=`` keyword arguments).

Privacy
    No chart shows a participant identifier: the paired charts draw one anonymous line per
    person (up to ``PAIR_LINES_MAX`` pairs, distributions beyond); id columns are never read.

Embedding
    :func:`figure_svg` (what the report uses: inline ``<svg role="img">`` named by the alt text,
    text kept as text in a font stack available offline, byte-identical from one run to the
    next), :func:`figure_to_png_base64` / :func:`png_data_uri` (PNG without the Software/date
    metadata) and :func:`figure_to_svg` (inline SVG, text as paths, stable ids).
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon, Rectangle
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from . import codebook as cb
from .formatting import fmt_count, fmt_number, fmt_percent, french_spacing, locale_for

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = [
    "COLORS",
    "DIRECTION_COLORS",
    "AGREE_COLORS",
    "FOLLOWUP_COLORS",
    "FLOW_STAGES",
    "FOLLOWUP_CATEGORIES",
    "participant_flow",
    "paired_change",
    "paired_change_summarised",
    "PAIR_LINES_MAX",
    "likert_diverging",
    "share_bars",
    "followup_categories",
    "theme_bars",
    "forest",
    "figure_to_png_base64",
    "png_data_uri",
    "figure_to_svg",
    "figure_svg",
]

# --------------------------------------------------------------------------------------------
# House style
# --------------------------------------------------------------------------------------------

WIDTH = 5.0  # inches = 360 SVG units: about one CSS pixel per unit in a 390 px phone column
FONT_FAMILY = "DejaVu Sans"  # the metrics used for layout (shipped with matplotlib)
#: What the browser uses for the SVG text: DejaVu Sans first (same metrics as the layout), then
#: faces of similar or smaller width found on phones and desktops, all installed locally.
SVG_FONT_STACK = "'DejaVu Sans', Verdana, 'Noto Sans', 'Segoe UI', Roboto, Arial, sans-serif"
FONT_SIZE = 11
SMALL_SIZE = 10  # the smallest text of any chart: 10 px on a 390 px screen
TEXT = "#222222"
MUTED = "#5f5f5f"
GRID = "#e3e3e3"  # reading aid only: every value is also written next to its mark
AXIS = "#767676"  # baselines, ticks, separators: 4.5:1 on white

#: Fixed colour-blind-safe palette (Okabe–Ito hues, darkened where needed): every colour has a
#: contrast of at least 3:1 against white (WCAG 2.x relative luminance), checked by
#: tests/test_plots.py on the colours found in the SVG.
COLORS = {
    "blue": "#0173b2",       # 5.1:1
    "sky": "#3a8ccf",        # 3.6:1 (was #56b4e9, 2.3:1)
    "orange": "#e07020",     # 3.2:1 (dark text on it: 5.4:1)
    "vermilion": "#c24f00",  # 4.8:1, usable for text
    "green": "#01805d",      # 5.1:1
    "grey": "#767676",       # 4.5:1
    "dark": "#1a1a1a",
}
#: Opacity of one person's line in the paired charts: lines of identical trajectories add up
#: darker, and a single line keeps 3:1 against white.
PAIR_ALPHA = 0.75
DIRECTION_COLORS = {
    "improved": COLORS["blue"],
    "unchanged": "#5f5f5f",
    "worsened": COLORS["vermilion"],
}
#: AGREE_4 codes 1–4: a diverging vermilion → blue scale (safe for colour-blind readers), strong
#: answers dark (white counts), mild answers mid-tone (dark counts), all at least 3:1 on white.
AGREE_COLORS = {1: "#a63d00", 2: "#e07020", 3: "#4b97d4", 4: "#084c7f"}
_AGREE_TEXT = {1: "white", 2: TEXT, 3: TEXT, 4: "white"}
FOLLOWUP_CATEGORIES = ("durable", "transition", "positive", "other", "non_respondent", "neutralised")
#: The three "dynamic" exit categories share one hue family (blues, dark to light); people
#: without news are a hatched mid grey; neutralised exits a white segment outlined in grey.
FOLLOWUP_COLORS = {
    "durable": "#08306b",
    "transition": "#2a6fb0",
    "positive": "#4b97d4",
    "other": "#e07020",
    "non_respondent": "#767676",
    "neutralised": "#ffffff",
}
_FOLLOWUP_TEXT = {"durable": "white", "transition": "white", "positive": TEXT, "other": TEXT,
                  "non_respondent": TEXT, "neutralised": TEXT}
_FOLLOWUP_HATCH = {"non_respondent": "///", "neutralised": "xx"}
_HATCH_COLOR = {"non_respondent": "#ffffff", "neutralised": AXIS}

FLOW_STAGES = ("enrolled", "entry_questionnaire", "completed", "exit_questionnaire", "paired",
               "followup")

MINUS = "\u2212"
_HALO = {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
NBSP = "\u00a0"

_TEXTS = {
    "fr": {
        "stage.enrolled": "Inscrits",
        "stage.entry_questionnaire": "Questionnaire d'entrée",
        "stage.completed": "Parcours terminé",
        "stage.exit_questionnaire": "Questionnaire de sortie",
        "stage.paired": "Paires entrée–sortie complètes",
        "stage.followup": "Suivi à {months} mois",
        "not_collected": "non collecté",
        "flow.note": f"{MINUS}n{NBSP}: personnes en moins par rapport à l'étape précédente",
        "entry": "Entrée",
        "exit": "Sortie",
        "improved": "En progrès",
        "unchanged": "Stable",
        "worsened": "En recul",
        "median": "Médiane du groupe",
        "pairs": "{n} paire{s} complète{s}",
        "pairs.excluded": "{n} exclue{s}",
        "no_pair": "Aucune paire complète",
        "likert.x": "Nombre de personnes (désaccord à gauche, accord à droite)",
        "likert.x.percent": "Part des répondants (désaccord à gauche, accord à droite)",
        "no_answer": "sans réponse",
        "no_answer.short": "aucune réponse",
        "share.x": "Part des personnes concernées{sep}trait noir{colon} intervalle de confiance "
                   "à {level} (exact)",
        "followup.x": "Nombre d'apprenants suivis",
        "followup.dynamic": "Sortie dynamique{colon} {count}",
        "followup.not_collected": "Suivi non encore collecté",
        "cat.durable": "Emploi durable",
        "cat.transition": "Emploi de transition",
        "cat.positive": "Sortie positive",
        "cat.other": "Autre situation",
        "cat.non_respondent": "Sans nouvelles",
        "cat.neutralised": "Sortie neutralisée (hors dénominateur)",
        "themes.x": "Nombre de personnes ayant témoigné qui évoquent le thème",
        "forest.x": "Part (point) et intervalle de confiance à {level} (trait)",
        "pooled": "Ensemble",
        "no_data": "Aucune donnée",
    },
    "en": {
        "stage.enrolled": "Enrolled",
        "stage.entry_questionnaire": "Entry questionnaire",
        "stage.completed": "Completed the course",
        "stage.exit_questionnaire": "Exit questionnaire",
        "stage.paired": "Complete entry–exit pairs",
        "stage.followup": "{months}-month follow-up",
        "not_collected": "not collected",
        "flow.note": f"{MINUS}n: fewer people than at the previous stage",
        "entry": "Entry",
        "exit": "Exit",
        "improved": "Improved",
        "unchanged": "Unchanged",
        "worsened": "Worsened",
        "median": "Group median",
        "pairs": "{n} complete pair{s}",
        "pairs.excluded": "{n} excluded",
        "no_pair": "No complete pair",
        "likert.x": "Number of people (disagree on the left, agree on the right)",
        "likert.x.percent": "Share of respondents (disagree on the left, agree on the right)",
        "no_answer": "no answer",
        "no_answer.short": "no answer",
        "share.x": "Share of the people concerned{sep}black line{colon} {level} confidence "
                   "interval (exact)",
        "followup.x": "Number of learners followed up",
        "followup.dynamic": "Positive exit{colon} {count}",
        "followup.not_collected": "Follow-up not collected yet",
        "cat.durable": "Lasting employment",
        "cat.transition": "Transitional employment",
        "cat.positive": "Other positive outcome",
        "cat.other": "Other situation",
        "cat.non_respondent": "Lost to follow-up",
        "cat.neutralised": "Neutralised exit (not in the denominator)",
        "themes.x": "Number of people who testified mentioning the theme",
        "forest.x": "Share (point) and {level} confidence interval (line)",
        "pooled": "Overall",
        "no_data": "No data",
    },
}


def _lang(lang: str) -> str:
    """``"fr"`` or ``"en"`` (raises ValueError for an unsupported language)."""
    return "en" if locale_for(lang).startswith("en") else "fr"


def _t(lang: str, key: str, **kw) -> str:
    text = _TEXTS[_lang(lang)][key]
    return text.format(**kw) if kw else text


def _colon(lang: str) -> str:
    """French typography puts a no-break space before a colon."""
    return f"{NBSP}:" if _lang(lang) == "fr" else ":"


def _wrap(text, width: int) -> str:
    text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) if lines else text


def _n_lines(text: str) -> int:
    return text.count("\n") + 1


def _new_figure(height: float) -> Figure:
    """A white Figure with an Agg canvas and the constrained layout engine."""
    fig = Figure(figsize=(WIDTH, max(float(height), 1.2)), dpi=100, facecolor="white",
                 edgecolor="white", layout="constrained")
    FigureCanvasAgg(fig)
    engine = fig.get_layout_engine()
    assert isinstance(engine, ConstrainedLayoutEngine)  # layout="constrained"
    engine.set(w_pad=0.06, h_pad=0.06, wspace=0.04, hspace=0.06)
    return fig


def _font(size: float = FONT_SIZE, **kw) -> dict:
    return {"fontsize": size, "fontfamily": FONT_FAMILY, **kw}


def _style_axes(ax, grid: str | None = "x", left_spine: bool = False) -> None:
    """No frame, light grid along the value axis, readable ticks."""
    ax.set_facecolor("white")
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    if left_spine:
        ax.spines["left"].set_visible(True)
        ax.spines["left"].set_color(AXIS)
    ax.tick_params(axis="both", labelsize=FONT_SIZE, labelcolor=TEXT, labelfontfamily=FONT_FAMILY,
                   color=AXIS, length=0, pad=4)
    if grid:
        ax.grid(True, axis=grid, color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
    else:
        ax.grid(False)


def _message_figure(message: str, title: str | None = None) -> Figure:
    """A small figure that only says why there is no chart (no data, not collected)."""
    fig = _new_figure(1.3 + (0.3 if title else 0))
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes,
            **_font(FONT_SIZE, color=MUTED, fontstyle="italic"))
    _set_title(fig, title)
    return fig


def _bottom_axis(ax) -> None:
    """A thin grey baseline with short ticks under charts without a grid."""
    ax.spines["bottom"].set_visible(True)
    ax.spines["bottom"].set_color(AXIS)
    ax.tick_params(axis="x", length=3, color=AXIS)


def _set_title(fig: Figure, title: str | None) -> None:
    if title:
        fig.suptitle(title, x=0.01, ha="left", **_font(FONT_SIZE + 1, fontweight="bold", color=TEXT))


def _xlabel(ax, text: str | None, wrap: int = 48) -> None:
    """The muted note under the x axis, wrapped to stay inside the (narrow) figure."""
    if text:
        text = "\n".join(_wrap(line, wrap) for line in str(text).split("\n"))
        ax.set_xlabel(text, labelpad=8, **_font(SMALL_SIZE, color=MUTED))


def _percent_axis(ax, lang: str) -> None:
    """x axis from 0 to 100 % with locale-formatted ticks."""
    ax.set_xlim(-3, 103)  # a margin: a point at 0 % or 100 % is drawn whole, not clipped
    ax.xaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt_percent(x / 100, lang)))


def _count_axis(ax, lang: str, absolute: bool = False) -> None:
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))

    def fmt(x, _pos):
        if abs(x - round(x)) > 1e-9:
            return ""
        return fmt_number(abs(round(x)) if absolute else round(x), lang)

    ax.xaxis.set_major_formatter(FuncFormatter(fmt))


def _right_labels(ax, ys, texts, color=TEXT, size=FONT_SIZE) -> None:
    """A column of texts just right of the plotting area, one per row (data y)."""
    trans = ax.get_yaxis_transform()  # x in axes fraction, y in data
    for y, s in zip(ys, texts):
        ax.text(1.02, y, s, transform=trans, ha="left", va="center", clip_on=False,
                **_font(size, color=color))


def _row_height(labels: Sequence[str], per_line: float = 0.2, minimum: float = 0.42) -> float:
    return sum(max(minimum, 0.12 + per_line * _n_lines(s)) for s in labels)


#: Rows with their label above the bar: sizes in inches (the y data unit of those charts).
_LINE_H, _BAR_H, _ROW_GAP, _LABEL_GAP = 0.19, 0.32, 0.18, 0.05


def _stacked_rows(labels: Sequence[str]) -> tuple[list[float], float]:
    """Bar centres (y, in inches from the top) of rows whose label sits above the bar."""
    centres, y = [], 0.0
    for lab in labels:
        y += _n_lines(lab) * _LINE_H + _LABEL_GAP
        centres.append(y + _BAR_H / 2)
        y += _BAR_H + _ROW_GAP
    return centres, y - _ROW_GAP + 0.04


def _labels_above(ax, centres: Sequence[float], labels: Sequence[str],
                  notes: Sequence[str] | None = None) -> None:
    """Write each row's label left-aligned above its bar (full width of the plot), with an
    optional muted note after it ("n = 8")."""
    trans = ax.get_yaxis_transform()  # x in axes fraction, y in data
    for i, (y, lab) in enumerate(zip(centres, labels)):
        t = ax.text(0, y - _BAR_H / 2 - _LABEL_GAP / 2, lab, transform=trans, ha="left",
                    va="bottom", linespacing=1.15, **_font(FONT_SIZE, color=TEXT))
        if notes and notes[i]:
            ax.annotate(notes[i], xy=(1, 0), xycoords=t, xytext=(6, 0),
                        textcoords="offset points", ha="left", va="bottom",
                        **_font(SMALL_SIZE, color=MUTED))


def _is_na(x) -> bool:
    try:
        return x is None or bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _require(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"{what}: columns {missing} are missing")


def _label_column(df: pd.DataFrame, lang: str) -> pd.Series:
    col = "label_en" if _lang(lang) == "en" else "label_fr"
    if col not in df.columns:
        col = "label_fr" if "label_fr" in df.columns else "label"
    _require(df, [col], "labels")
    return df[col].astype(str)


# --------------------------------------------------------------------------------------------
# Participant flow
# --------------------------------------------------------------------------------------------

def participant_flow(flow_counts: pd.DataFrame, lang: str = "fr", followup_months: int = 3,
                     title: str | None = None, xlabel: str | None = None) -> Figure:
    """Participant flow: one horizontal bar per stage, top to bottom.

    ``flow_counts`` has columns ``stage`` (among :data:`FLOW_STAGES`: enrolled,
    entry_questionnaire, completed, exit_questionnaire, paired, followup) and ``n`` (``<NA>`` for
    a follow-up not collected: no bar, the words "non collecté" instead). An optional ``lost``
    column is used as given; otherwise the loss is ``previous n − n`` when positive. Each bar is
    labelled with its count and, from the second stage, "−k" (people lost since the previous
    stage). Stages are drawn in the canonical order whatever the row order.
    """
    _require(flow_counts, ["stage", "n"], "participant_flow")
    lang = _lang(lang)
    df = flow_counts.copy()
    unknown = sorted(set(df["stage"]) - set(FLOW_STAGES))
    if unknown:
        raise ValueError(f"participant_flow: unknown stage(s) {unknown}")
    df["_order"] = df["stage"].map(FLOW_STAGES.index)
    df = df.sort_values("_order", kind="mergesort").reset_index(drop=True)
    labels = [_wrap(_t(lang, f"stage.{s}", months=followup_months) if s == "followup"
                    else _t(lang, f"stage.{s}"), 20) for s in df["stage"]]
    counts = [None if _is_na(v) else int(v) for v in df["n"]]

    fig = _new_figure(0.55 * len(df) + 0.9 + (0.3 if title else 0))
    ax = fig.add_subplot()
    _style_axes(ax, grid=None)
    ys = np.arange(len(df))
    widths = [0 if c is None else c for c in counts]
    ax.barh(ys, widths, height=0.64, color=COLORS["blue"], edgecolor="none", zorder=2)
    top = max([c for c in counts if c is not None] or [1]) or 1
    ax.set_xlim(0, top * 1.25)
    ax.set_ylim(len(df) - 0.5, -0.5)
    ax.set_yticks(ys, labels)
    ax.set_xticks([])
    pad = top * 0.015
    previous = None
    for i, (y, c) in enumerate(zip(ys, counts)):
        if c is None:
            ax.text(pad, float(y), _t(lang, "not_collected"), ha="left", va="center",
                    **_font(FONT_SIZE, color=MUTED, fontstyle="italic"))
            continue
        label = ax.text(c + pad, float(y), fmt_number(c, lang), ha="left", va="center",
                        **_font(FONT_SIZE, color=TEXT, fontweight="bold"))
        lost = None
        if "lost" in df.columns and not _is_na(df.at[i, "lost"]):
            lost = int(df.at[i, "lost"])
        elif previous is not None:
            lost = previous - c
        if i > 0 and lost is not None and lost > 0:
            ax.annotate(f"{MINUS}{fmt_number(lost, lang)}", xy=(1, 0.5), xycoords=label,
                        xytext=(6, 0), textcoords="offset points", ha="left", va="center",
                        **_font(SMALL_SIZE, color=COLORS["vermilion"]))
        previous = c
    _xlabel(ax, xlabel if xlabel is not None else _t(lang, "flow.note"))
    _set_title(fig, title)
    return fig


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

_SUMMARY_TEXTS = {
    "fr": {"quartiles": "Moitié centrale (25e–75e centile)",
           "deciles": "80 % central (10e–90e centile)"},
    "en": {"quartiles": "Middle half (25th–75th percentile)",
           "deciles": "Middle 80 % (10th–90th percentile)"},
}


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


def paired_change(pairs: pd.DataFrame, outcomes: Sequence[str] | None = None, lang: str = "fr",
                  ncols: int | None = None, title: str | None = None) -> Figure:
    """Slope charts of entry → exit values, one panel per outcome (small multiples).

    ``pairs`` is :func:`fac_eval.cleaning.pair_waves` output (columns ``outcome, entry, exit,
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
    title_width = {1: 46, 2: 22}.get(ncols, 14)
    titles = [_wrap(cb.outcome_label(o, lang), title_width) for o in outcomes]
    title_lines = max(_n_lines(t) for t in titles)
    panel_h = 2.55 + 0.18 * title_lines
    fig = _new_figure(nrows * panel_h + 0.55 + (0.3 if title else 0))
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
        plural = "s" if n > 1 else ""
        note = _t(lang, "pairs", n=fmt_number(n, lang), s=plural)
        if n_excluded:
            excluded = _t(lang, "pairs.excluded", n=fmt_number(n_excluded, lang),
                          s="s" if n_excluded > 1 else "")
            note += f" ({excluded})"
        note += (f"\n\u2191{NBSP}{counts['improved']}   ={NBSP}{counts['unchanged']}"
                 f"   \u2193{NBSP}{counts['worsened']}")
        _xlabel(ax, note)

    if summarise:
        handles = [
            Patch(facecolor=COLORS["sky"], alpha=0.45, label=_SUMMARY_TEXTS[lang]["quartiles"]),
            Patch(facecolor=COLORS["sky"], alpha=0.22, label=_SUMMARY_TEXTS[lang]["deciles"]),
            Line2D([], [], color=COLORS["dark"], linewidth=3.2, marker="o", markersize=6,
                   label=_t(lang, "median")),
        ]
        fig.legend(handles=handles, loc="outside lower center", ncol=2, frameon=False,
                   prop={"family": FONT_FAMILY, "size": SMALL_SIZE}, handlelength=1.8,
                   columnspacing=1.4)
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
    fig.legend(handles=handles, loc="outside lower center", ncol=2, frameon=False,
               prop={"family": FONT_FAMILY, "size": SMALL_SIZE}, handlelength=1.8,
               columnspacing=1.4)
    _set_title(fig, title)
    return fig


# --------------------------------------------------------------------------------------------
# Agreement items (diverging stacked bars)
# --------------------------------------------------------------------------------------------

def likert_diverging(declarations: pd.DataFrame, items: Sequence[str] | None = None,
                     lang: str = "fr", percent: bool = False, title: str | None = None,
                     xlabel: str | None = None, wrap: int = 46) -> Figure:
    """Diverging stacked bars of 4-point agreement answers (``codebook.AGREE_4``).

    ``declarations`` is :func:`fac_eval.cleaning.agreement` output (columns ``item, answer``
    with answers 1–4, ``<NA>`` when unanswered; the id column is not read). One bar per item,
    top to bottom in ``items`` order, its codebook label above it; disagree answers (1, 2) go left
    of zero, agree answers (3, 4) right, the strongest at the ends. Segment widths are numbers of
    people (``percent=True``: percentages of those who answered). Counts are written in segments
    wide enough; the shares disagreeing / agreeing are written at the ends of each bar; each label
    is followed by "n = 8" (people who answered) and the number without an answer. The legend
    (the four answers, codebook labels) is below the plot.

    The four segment series are bar containers in code order 1, 2, 3, 4 (``ax.containers``).
    """
    _require(declarations, ["item", "answer"], "likert_diverging")
    lang = _lang(lang)
    if items is None:
        items = list(dict.fromkeys(declarations["item"].astype(str)))
    items = list(items)
    if not items:
        return _message_figure(_t(lang, "no_data"), title)
    codes = [int(c.code) for c in cb.AGREE_4]
    counts, labels, notes = [], [], []
    for item in items:
        sub = declarations[declarations["item"].astype(str) == item]
        ans = pd.to_numeric(sub["answer"], errors="coerce")
        counts.append({c: int((ans == c).sum()) for c in codes})
        miss = int(ans.isna().sum())
        try:
            text = cb.find_item(item).label(lang)
        except KeyError:
            text = item
        n = sum(counts[-1].values())
        note = f"n{NBSP}={NBSP}{fmt_number(n, lang)}"
        if miss:
            note += f" ({fmt_number(miss, lang)} {_t(lang, 'no_answer')})"
        labels.append(_wrap(text, wrap))
        notes.append(note)
    totals = [sum(c.values()) for c in counts]

    def scaled(k, n):
        return (100.0 * k / n if n else 0.0) if percent else float(k)

    centres, height = _stacked_rows(labels)
    fig = _new_figure(height + 1.45 + (0.3 if title else 0))
    ax = fig.add_subplot()
    _style_axes(ax, grid=None)
    ys = np.array(centres)
    seg = {c: np.array([scaled(cnt[c], n) for cnt, n in zip(counts, totals)]) for c in codes}
    lefts = {1: -(seg[1] + seg[2]), 2: -seg[2], 3: np.zeros(len(items)), 4: seg[3]}
    half = 100.0 if percent else max([float(v) for v in seg[1] + seg[2]]
                                     + [float(v) for v in seg[3] + seg[4]] + [1.0])
    limit = half * 1.3
    for c, choice in zip(codes, cb.AGREE_4):
        ax.barh(ys, seg[c], left=lefts[c], height=_BAR_H, color=AGREE_COLORS[c],
                edgecolor="white", linewidth=0.8, zorder=2,
                label=choice.label_en if lang == "en" else choice.label_fr)
    min_width = 0.045 * 2 * limit
    for c in codes:
        for y, w, left, k in zip(ys, seg[c], lefts[c], [cnt[c] for cnt in counts]):
            if k and w >= min_width:
                ax.text(left + w / 2, y, fmt_number(k, lang), ha="center", va="center", zorder=3,
                        **_font(SMALL_SIZE, color=_AGREE_TEXT[c], fontweight="bold"))
    gap = 0.015 * limit
    for y, cnt, n in zip(ys, counts, totals):
        ax.plot([0, 0], [y - _BAR_H / 2 - 0.015, y + _BAR_H / 2 + 0.015], color=TEXT, linewidth=1.0,
                zorder=4, gid="centre")
        if not n:
            ax.text(gap, y, _t(lang, "no_answer.short"), ha="left", va="center",
                    **_font(SMALL_SIZE, color=MUTED, fontstyle="italic"))
            continue
        dis, agr = cnt[1] + cnt[2], cnt[3] + cnt[4]
        ax.text(-scaled(dis, n) - gap, y, fmt_percent(dis / n, lang), ha="right", va="center",
                **_font(SMALL_SIZE, color=AGREE_COLORS[1], fontweight="bold"))
        ax.text(scaled(agr, n) + gap, y, fmt_percent(agr / n, lang), ha="left", va="center",
                **_font(SMALL_SIZE, color=AGREE_COLORS[4], fontweight="bold"))
    _labels_above(ax, centres, labels, notes)
    ax.set_xlim(-limit, limit)
    ax.set_ylim(height, 0)
    ax.set_yticks([])
    if percent:
        ax.xaxis.set_major_locator(FixedLocator([-100, -50, 0, 50, 100]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_percent(abs(v) / 100, lang)))
    else:
        _count_axis(ax, lang, absolute=True)
    _bottom_axis(ax)
    _xlabel(ax, xlabel if xlabel is not None
            else _t(lang, "likert.x.percent" if percent else "likert.x"))
    labels_4 = [c.label_en if lang == "en" else c.label_fr for c in cb.AGREE_4]
    handles = [Patch(facecolor=AGREE_COLORS[int(c.code)], edgecolor="none", label=lab)
               for c, lab in zip(cb.AGREE_4, labels_4)]
    ncol = 4 if max(map(len, labels_4)) <= 8 else 2
    if ncol == 2:  # rows: disagree answers, then agree answers
        handles = [handles[0], handles[2], handles[1], handles[3]]
    fig.legend(handles=handles, loc="outside lower center", ncol=ncol, frameon=False,
               prop={"family": FONT_FAMILY, "size": SMALL_SIZE}, columnspacing=1.6)
    _set_title(fig, title)
    return fig


# --------------------------------------------------------------------------------------------
# Shares with confidence intervals
# --------------------------------------------------------------------------------------------

def share_bars(indicator_rows: pd.DataFrame, lang: str = "fr", title: str | None = None,
               xlabel: str | None = None, confidence: float = 0.95, wrap: int = 46,
               color: str = COLORS["sky"]) -> Figure:
    """Horizontal bars of shares (0–100 %) with their exact confidence intervals.

    ``indicator_rows``: rows of the indicator table with ``label_fr``, ``label_en``,
    ``numerator``, ``denominator``, ``value`` (0–1), ``ci_low``, ``ci_high``, drawn top to bottom
    in row order, each label above its bar. Each bar is labelled "7 sur 8 (88 %)" at the right of
    the plot; a row without a denominator shows "aucune réponse" and no bar. The intervals are
    one ``errorbar`` (black).
    """
    _require(indicator_rows, ["numerator", "denominator", "value", "ci_low", "ci_high"],
             "share_bars")
    lang = _lang(lang)
    df = indicator_rows.reset_index(drop=True)
    if df.empty:
        return _message_figure(_t(lang, "no_data"), title)
    labels = [_wrap(s, wrap) for s in _label_column(df, lang)]
    values = pd.to_numeric(df["value"], errors="coerce").astype(float)
    lo = pd.to_numeric(df["ci_low"], errors="coerce").astype(float)
    hi = pd.to_numeric(df["ci_high"], errors="coerce").astype(float)
    centres, height = _stacked_rows(labels)
    fig = _new_figure(height + 0.85 + (0.3 if title else 0))
    ax = fig.add_subplot()
    _style_axes(ax, grid=None)
    ys = np.array(centres)
    ax.barh(ys, (values * 100).fillna(0).to_numpy(), height=_BAR_H, color=color,
            edgecolor="none", zorder=2)
    ok = (values.notna() & lo.notna() & hi.notna()).to_numpy()
    if ok.any():
        v = values.to_numpy()[ok] * 100
        ax.errorbar(v, ys[ok], xerr=[v - lo.to_numpy()[ok] * 100, hi.to_numpy()[ok] * 100 - v],
                    fmt="none", ecolor=COLORS["dark"], elinewidth=1.5, capsize=4, capthick=1.5,
                    zorder=3)
    texts = []
    for k, n in zip(df["numerator"], df["denominator"]):
        if _is_na(n) or not n:
            texts.append(_t(lang, "no_answer.short"))
        else:
            texts.append(fmt_count(int(k), int(n), lang))
    _right_labels(ax, ys, texts)
    _labels_above(ax, centres, labels)
    _percent_axis(ax, lang)
    for x in (25, 50, 75, 100):
        ax.axvline(x, color=GRID, linewidth=0.8, zorder=0)
    ax.set_ylim(height, 0)
    ax.set_yticks([])
    _bottom_axis(ax)
    default_x = _t(lang, "share.x", sep="\u2009; " if lang == "fr" else "; ", colon=_colon(lang),
                   level=fmt_percent(confidence, lang))
    _xlabel(ax, xlabel if xlabel is not None else default_x)
    _set_title(fig, title)
    return fig


# --------------------------------------------------------------------------------------------
# Follow-up: sortie dynamique categories
# --------------------------------------------------------------------------------------------

_FOLLOWUP_INDICATORS = {
    "followup.durable": "durable",
    "followup.transition": "transition",
    "followup.positive": "positive",
    "followup.other": "other",
    "followup.non_respondents": "non_respondent",
    "followup.neutralised": "neutralised",
}


def _followup_counts(data) -> dict[str, int] | None:
    """Counts per category from a dict, indicator rows or classified follow-up rows (None: not
    collected)."""
    if data is None:
        return None
    if isinstance(data, Mapping):
        raw = dict(data)
        out = {c: 0 for c in FOLLOWUP_CATEGORIES}
        for key, v in raw.items():
            key = {"non_respondents": "non_respondent", "unknown": "other"}.get(key, key)
            if key not in out:
                raise ValueError(f"followup_categories: unknown category {key!r}")
            out[key] += 0 if _is_na(v) else int(v)
        return out
    if not isinstance(data, pd.DataFrame):
        raise TypeError("followup_categories: expected a dict or a DataFrame")
    if "indicator" in data.columns:
        rows = data[data["indicator"].isin(_FOLLOWUP_INDICATORS)]
        if rows.empty:
            raise ValueError("followup_categories: no followup.* category indicator in the rows")
        nums = pd.to_numeric(rows["numerator"], errors="coerce")
        if nums.isna().all():
            return None
        out = {c: 0 for c in FOLLOWUP_CATEGORIES}
        for ind, k in zip(rows["indicator"], nums):
            out[_FOLLOWUP_INDICATORS[ind]] = 0 if pd.isna(k) else int(k)
        return out
    if "category" in data.columns:
        cats = data["category"].astype(str).replace({"unknown": "other"})
        unknown = sorted(set(cats) - set(FOLLOWUP_CATEGORIES))
        if unknown:
            raise ValueError(f"followup_categories: unknown categories {unknown}")
        return {c: int((cats == c).sum()) for c in FOLLOWUP_CATEGORIES}
    raise KeyError("followup_categories: need an 'indicator' or a 'category' column")


def followup_categories(data, lang: str = "fr", title: str | None = None,
                        xlabel: str | None = None) -> Figure:
    """One stacked bar of the learners followed up, split by situation category.

    ``data`` is one of: a dict ``{category: count}`` (keys durable, transition, positive, other,
    non_respondent, neutralised; "unknown" counts as other); the indicator table (rows
    ``followup.durable``, ``followup.transition``, ``followup.positive``, ``followup.other``,
    ``followup.non_respondents``, ``followup.neutralised``, their ``numerator``); or the
    classified follow-up table (a ``category`` column). When the follow-up was not collected
    (``None`` or indicators without numerators) the figure says so.

    The six segments are one bar container in :data:`FOLLOWUP_CATEGORIES` order (zero-count
    categories have zero width); the three dynamic categories are blues, non-respondents grey
    hatched, neutralised exits white cross-hatched. A bracket above the dynamic segments gives
    the sortie dynamique rate "k sur n (p %)" with n = followed up − neutralised.
    """
    lang = _lang(lang)
    counts = _followup_counts(data)
    if counts is None:
        return _message_figure(_t(lang, "followup.not_collected"), title)
    total = sum(counts.values())
    fig = _new_figure(2.6 + 0.2 * len(FOLLOWUP_CATEGORIES) + (0.3 if title else 0))
    ax = fig.add_subplot()
    _style_axes(ax, grid=None)
    widths = np.array([counts[c] for c in FOLLOWUP_CATEGORIES], dtype=float)
    lefts = np.concatenate([[0.0], np.cumsum(widths)[:-1]])
    bars = ax.barh(np.zeros(len(widths)), widths, left=lefts, height=0.55,
                   color=[FOLLOWUP_COLORS[c] for c in FOLLOWUP_CATEGORIES],
                   edgecolor="white", linewidth=1.0, zorder=2)
    for patch, c in zip(bars.patches, FOLLOWUP_CATEGORIES):
        if c in _FOLLOWUP_HATCH:
            patch.set_hatch(_FOLLOWUP_HATCH[c])
            patch.set_edgecolor("white")
            patch.set_hatchcolor(_HATCH_COLOR[c])
    # outline the neutralised segment so that a white segment stays visible
    if counts["neutralised"]:
        i = FOLLOWUP_CATEGORIES.index("neutralised")
        ax.add_patch(Rectangle((lefts[i], -0.275), widths[i], 0.55, facecolor="none",
                               edgecolor=AXIS, linewidth=1.0, zorder=3))
    for c, left, w in zip(FOLLOWUP_CATEGORIES, lefts, widths):
        if w > 0:
            box = ({"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
                    "alpha": 0.85} if c in _FOLLOWUP_HATCH else None)  # legible over hatching
            ax.text(left + w / 2, 0, fmt_number(int(w), lang), ha="center", va="center", zorder=4,
                    **_font(FONT_SIZE, color=_FOLLOWUP_TEXT[c], fontweight="bold", bbox=box))
    dynamic = counts["durable"] + counts["transition"] + counts["positive"]
    denominator = total - counts["neutralised"]
    xmax = max(total, 1)
    if dynamic:
        yb = -0.42
        ax.plot([0, 0, dynamic, dynamic], [yb + 0.08, yb, yb, yb + 0.08], color=TEXT,
                linewidth=1.2, zorder=3, solid_joinstyle="miter")
        ax.text(dynamic / 2 if dynamic / xmax > 0.45 else 0, yb - 0.06,
                _t(lang, "followup.dynamic", colon=_colon(lang),
                   count=fmt_count(dynamic, denominator, lang)),
                ha="center" if dynamic / xmax > 0.45 else "left", va="bottom",
                **_font(FONT_SIZE, color=TEXT, fontweight="bold"))
    ax.set_xlim(0, xmax)
    ax.set_ylim(0.45, -0.85)
    ax.set_yticks([])
    _count_axis(ax, lang)
    _bottom_axis(ax)
    _xlabel(ax, xlabel if xlabel is not None
            else f"{_t(lang, 'followup.x')} (n{NBSP}={NBSP}{fmt_number(total, lang)})")
    handles = []
    for c in FOLLOWUP_CATEGORIES:
        handles.append(Patch(facecolor=FOLLOWUP_COLORS[c],
                             edgecolor=AXIS if c in _FOLLOWUP_HATCH else "none",
                             hatch=_FOLLOWUP_HATCH.get(c), linewidth=0.8,
                             label=f"{_t(lang, f'cat.{c}')} ({fmt_number(counts[c], lang)})"))
    fig.legend(handles=handles, loc="outside lower center", ncol=1, frameon=False,
               prop={"family": FONT_FAMILY, "size": SMALL_SIZE}, columnspacing=2.0)
    _set_title(fig, title)
    return fig


# --------------------------------------------------------------------------------------------
# Testimony themes
# --------------------------------------------------------------------------------------------

def theme_bars(theme_counts: pd.DataFrame, lang: str = "fr", title: str | None = None,
               xlabel: str | None = None, wrap: int = 46) -> Figure:
    """Number of participants mentioning each theme, sorted descending (ties keep row order).

    ``theme_counts``: indicator rows ``testimonies.theme.*`` (columns ``label_fr``, ``label_en``,
    ``numerator`` = people mentioning the theme, ``denominator`` = people who testified). Bars are
    numbers of people (x from 0 to the largest denominator), each label above its bar and
    "k sur n (p %)" at the right of the plot.
    """
    _require(theme_counts, ["numerator", "denominator"], "theme_bars")
    lang = _lang(lang)
    df = theme_counts.reset_index(drop=True).copy()
    if df.empty:
        return _message_figure(_t(lang, "no_data"), title)
    df["_label"] = _label_column(df, lang)
    df["_k"] = pd.to_numeric(df["numerator"], errors="coerce").fillna(0).astype(int)
    df = df.sort_values("_k", ascending=False, kind="mergesort").reset_index(drop=True)
    labels = [_wrap(s, wrap) for s in df["_label"]]
    centres, height = _stacked_rows(labels)
    fig = _new_figure(height + 0.85 + (0.3 if title else 0))
    ax = fig.add_subplot()
    _style_axes(ax, grid=None)
    ys = np.array(centres)
    ax.barh(ys, df["_k"].to_numpy(), height=_BAR_H, color=COLORS["blue"], edgecolor="none",
            zorder=2)
    texts = []
    for k, n in zip(df["_k"], df["denominator"]):
        texts.append(_t(lang, "no_answer.short") if _is_na(n) or not n
                     else fmt_count(int(k), int(n), lang))
    _right_labels(ax, ys, texts)
    _labels_above(ax, centres, labels)
    dens = pd.to_numeric(df["denominator"], errors="coerce")
    xmax = max(float(dens.max()) if dens.notna().any() else 0.0, float(df["_k"].max() or 0), 1.0)
    ax.set_xlim(0, xmax)
    _count_axis(ax, lang)
    ax.set_ylim(height, 0)
    ax.set_yticks([])
    _bottom_axis(ax)
    _xlabel(ax, xlabel if xlabel is not None else _t(lang, "themes.x"))
    _set_title(fig, title)
    return fig


# --------------------------------------------------------------------------------------------
# Forest plot (sessions compared)
# --------------------------------------------------------------------------------------------

def forest(rows: pd.DataFrame, label_column: str = "session", lang: str = "fr",
           title: str | None = None, xlabel: str | None = None, confidence: float = 0.95,
           pooled_label: str | None = None) -> Figure:
    """Forest-style chart of one share across sessions (or groups).

    ``rows``: one row per session with ``label_column``, ``numerator``, ``denominator``,
    ``value`` (0–1), ``ci_low``, ``ci_high`` and optionally ``pooled`` (True for a pooled
    estimate, drawn as a diamond spanning its interval below a separator, after the sessions).
    Each row is labelled "k sur n (p %)" at the right. x from 0 to 100 %.

    Session points are lines with ``gid="estimate"``; the pooled diamonds have ``gid="pooled"``.
    """
    _require(rows, [label_column, "numerator", "denominator", "value", "ci_low", "ci_high"],
             "forest")
    lang = _lang(lang)
    df = rows.reset_index(drop=True).copy()
    if df.empty:
        return _message_figure(_t(lang, "no_data"), title)
    pooled = (df["pooled"].astype("boolean").fillna(False).astype(bool) if "pooled" in df.columns
              else pd.Series(False, index=df.index))
    df = pd.concat([df[~pooled], df[pooled]], ignore_index=True)
    is_pooled = [False] * int((~pooled).sum()) + [True] * int(pooled.sum())
    ys, y = [], 0.0
    for i, p in enumerate(is_pooled):
        if p and (i == 0 or not is_pooled[i - 1]) and i > 0:
            y += 0.5  # gap before the pooled rows
        ys.append(y)
        y += 1.0
    labels = []
    for v, p in zip(df[label_column], is_pooled):
        if p and (_is_na(v) or str(v) == ""):
            labels.append(pooled_label or _t(lang, "pooled"))
        else:
            labels.append(_wrap(v, 20))
    fig = _new_figure(_row_height(labels, per_line=0.2, minimum=0.42) + 1.0 + 0.2 * any(is_pooled)
                      + (0.3 if title else 0))
    ax = fig.add_subplot()
    _style_axes(ax, grid="x")
    values = pd.to_numeric(df["value"], errors="coerce").astype(float) * 100
    lo = pd.to_numeric(df["ci_low"], errors="coerce").astype(float) * 100
    hi = pd.to_numeric(df["ci_high"], errors="coerce").astype(float) * 100
    for yy, v, a, b, p in zip(ys, values, lo, hi, is_pooled):
        if p:
            if not (pd.isna(v) or pd.isna(a) or pd.isna(b)):
                ax.add_patch(Polygon([(a, yy), (v, yy - 0.28), (b, yy), (v, yy + 0.28)],
                                     closed=True, facecolor=COLORS["dark"], edgecolor="none",
                                     zorder=3, gid="pooled"))
                ax.axvline(v, color=AXIS, linewidth=1.0, linestyle=(0, (3, 3)), zorder=1)
            continue
        if not (pd.isna(a) or pd.isna(b)):
            ax.plot([a, b], [yy, yy], color=COLORS["blue"], linewidth=2.0, solid_capstyle="butt",
                    zorder=2, gid="interval")
        if not pd.isna(v):
            ax.plot([v], [yy], marker="o", markersize=9, color=COLORS["blue"],
                    markeredgecolor="white", markeredgewidth=1.2, zorder=3, gid="estimate")
    if any(is_pooled) and not all(is_pooled):
        sep = ys[is_pooled.index(True)] - 0.75
        ax.axhline(sep, color=AXIS, linewidth=0.8, zorder=1)
    texts = []
    for k, n in zip(df["numerator"], df["denominator"]):
        texts.append(_t(lang, "no_answer.short") if _is_na(n) or not n
                     else fmt_count(int(k), int(n), lang))
    _right_labels(ax, ys, texts)
    for t, p in zip(ax.texts[-len(texts):] if texts else [], is_pooled):
        if p:
            t.set_fontweight("bold")
    _percent_axis(ax, lang)
    ax.set_ylim(ys[-1] + 0.6 if ys else 0.5, -0.6)
    ax.set_yticks(ys, labels)
    for lbl, p in zip(ax.get_yticklabels(), is_pooled):
        if p:
            lbl.set_fontweight("bold")
    _xlabel(ax, xlabel if xlabel is not None
            else _t(lang, "forest.x", level=fmt_percent(confidence, lang)))
    _set_title(fig, title)
    return fig


# --------------------------------------------------------------------------------------------
# Embedding helpers
# --------------------------------------------------------------------------------------------

def _release(fig: Figure) -> None:
    fig.clear()


def figure_to_png_base64(fig: Figure, dpi: int = 150, clear: bool = True) -> str:
    """The figure as a base64-encoded PNG (ASCII str), then cleared (``clear=False`` keeps it).

    The PNG carries no Software / creation-time metadata: the same figure gives the same bytes.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    if clear:
        _release(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def png_data_uri(fig: Figure, dpi: int = 150, clear: bool = True) -> str:
    """``data:image/png;base64,...`` for an ``<img src>`` of a self-contained page."""
    return "data:image/png;base64," + figure_to_png_base64(fig, dpi=dpi, clear=clear)


_SVG_ID = re.compile(r'id="([a-z]+[0-9a-f]{10})"')


def _stable_svg_ids(text: str) -> str:
    """Replace matplotlib's salted-hash element ids by ids derived from the document itself.

    matplotlib salts the ids of clip paths, markers and hatches with a random UUID unless the
    global ``svg.hashsalt`` setting is set; rather than touching global state, the ids are renamed
    in order of appearance and prefixed by a digest of the renamed document, so that the same
    figure gives the same text and different figures inlined in one page never share an id.
    """
    ids = list(dict.fromkeys(_SVG_ID.findall(text)))
    if not ids:
        return text
    pattern = re.compile("|".join(re.escape(i) for i in ids))
    seq = {old: f"{old[:-10]}{n}" for n, old in enumerate(ids)}
    text = pattern.sub(lambda m: f"@ID@{seq[m.group(0)]}", text)
    prefix = "f" + hashlib.sha256(text.encode("utf8")).hexdigest()[:8] + "-"
    return text.replace("@ID@", prefix)


def figure_to_svg(fig: Figure, clear: bool = True, inline: bool = True) -> str:
    """The figure as SVG text, then cleared (``clear=False`` keeps it).

    Text is drawn as paths with matplotlib's default settings (no font needed to view it).
    Deterministic: no date or creator metadata, element ids made stable by
    :func:`_stable_svg_ids`. ``inline=True`` drops the XML declaration and DOCTYPE so that the
    ``<svg>`` element can be pasted into an HTML page.
    """
    buf = io.StringIO()
    fig.savefig(buf, format="svg", facecolor="white", metadata={"Date": None, "Creator": None})
    if clear:
        _release(fig)
    text = _stable_svg_ids(buf.getvalue())
    if inline:
        start = text.find("<svg")
        text = text[start:] if start >= 0 else text
    return text


#: matplotlib settings of :func:`figure_svg`, applied in a ``rc_context`` (global state is left
#: as it was): text stays text, element ids come from a fixed salt (no random UUID).
SVG_RC: dict[RcKeyType, Any] = {"svg.fonttype": "none", "svg.hashsalt": "fac-eval", "svg.id": None}
_SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


def figure_svg(fig: Figure, alt: str, clear: bool = True) -> str:
    """The figure as an inline ``<svg>`` element for an HTML page, then cleared.

    * Text stays text (``svg.fonttype = "none"``): sharp at any width, found by the browser's
      search, scaled with the chart. The browser draws it in :data:`SVG_FONT_STACK`
      (DejaVu Sans, the layout font, first; only local fonts, nothing downloaded).
    * Accessible: ``role="img"``, named by a ``<title>`` holding ``alt`` (referenced by
      ``aria-labelledby``); the chart's own text is then not read out item by item.
    * Deterministic: fixed ``svg.hashsalt``, no date / creator metadata (no ``<metadata>``
      block at all), element ids renamed by :func:`_stable_svg_ids` and prefixed by a digest of
      the figure, so the same figure gives the same bytes and two figures of one page never
      share an id.
    * Sized by its ``viewBox`` (``width``/``height`` in pt are the natural size); the report's
      stylesheet scales it to the column (``width: 100%; height: auto``).
    """
    buf = io.StringIO()
    with rc_context(SVG_RC):
        fig.savefig(buf, format="svg", facecolor="white", metadata=_SVG_METADATA)
    if clear:
        _release(fig)
    text = buf.getvalue()
    text = text[text.find("<svg"):]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)
    # one scoped rule instead of the font on every text and matplotlib's page-wide "*" rule
    text = text.replace("font-family: 'DejaVu Sans'; ", "").replace("font-family: 'DejaVu Sans'", "")
    text = re.sub(r'<style type="text/css">\*\{([^}]*)\}</style>',
                  lambda m: (f'<style type="text/css">.fac-chart *{{{m.group(1)}}} '
                             f'.fac-chart text{{font-family: {SVG_FONT_STACK}}}</style>'),
                  text, count=1)
    # group ids ("figure_1", "axes_1", gids) repeat from one chart to the next: only the ids
    # that something refers to (clip paths, markers, hatch patterns) are kept
    refs = set(re.findall(r'(?:url\(#|xlink:href="#)([^)"]+)', text))
    text = re.sub(r'<g id="([^"]*)"', lambda m: m.group(0) if m.group(1) in refs else "<g",
                  text)
    text = re.sub(r"[ \t]+\n", "\n", text)  # matplotlib ends path lines with a space
    text = _stable_svg_ids(text)
    name = html.escape(french_spacing(" ".join(str(alt).split())), quote=False)
    title_id = "t" + hashlib.sha256((text + name).encode("utf8")).hexdigest()[:10]
    head_end = text.index(">") + 1
    head = text[:head_end].replace("<svg ", f'<svg role="img" aria-labelledby="{title_id}" '
                                   'class="fac-chart" ', 1)
    return f'{head}\n <title id="{title_id}">{name}</title>{text[head_end:].rstrip()}'
