"""House style of the charts: sizes, colours, fonts, words and small drawing helpers."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from fac_eval.core.formatting import fmt_number, fmt_percent, locale_for
from fac_eval.report.i18n import N_, NC_, NP_, messages

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
#: The third stage of an interim session (fac_eval.data.cleaning.STILL_ENROLLED), drawn where
#: "completed" is.
FLOW_STAGE_ALIASES = {"still_enrolled": "completed", "not_dropped_out": "completed"}

MINUS = "\u2212"
_HALO = {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
NBSP = "\u00a0"

#: The charts" words (English message ids, translated by the catalogs with :func:`_t`).
_TEXTS: dict[str, str | tuple[str, str]] = {
    "stage.enrolled": N_("Enrolled"),
    "stage.entry_questionnaire": N_("Entry questionnaire"),
    "stage.completed": N_("Completed the course"),
    "stage.still_enrolled": N_("Still in the course (no drop-out so far)"),
    "stage.not_dropped_out": N_("No drop-out recorded (exit questionnaire missing)"),
    "stage.exit_questionnaire": N_("Exit questionnaire"),
    "stage.paired": N_("Complete entry–exit pairs"),
    "stage.followup": N_("%(months)s-month follow-up"),
    "not_collected": N_("not collected"),
    "masked": N_("hidden (small-cell rule)"),
    "flow.note": N_("−n: fewer people than at the previous stage"),
    "entry": N_("Entry"),
    "exit": N_("Exit"),
    "improved": N_("Improved"),
    "unchanged": N_("Unchanged"),
    "worsened": N_("Worsened"),
    "median": N_("Group median"),
    "no_pair": N_("No complete pair"),
    "likert.x": N_("Number of people (disagree on the left, agree on the right)"),
    "likert.x.percent": N_("Share of respondents (disagree on the left, agree on the right)"),
    "no_answer": N_("no answer"),
    "no_answer.short": NC_("a chart row nobody answered", "no answer"),
    "share.x": N_("Share of the people concerned%(sep)sblack line%(colon)s %(level)s confidence interval (exact)"),
    "followup.x": N_("Number of learners followed up"),
    "followup.dynamic": N_("Dynamic exit%(colon)s %(count)s"),
    "followup.not_collected": N_("Follow-up not collected yet"),
    "cat.durable": N_("Lasting employment"),
    "cat.transition": N_("Transitional employment"),
    "cat.positive": N_("Positive exit"),
    "cat.other": N_("Other situation"),
    "cat.non_respondent": N_("No news"),
    "cat.neutralised": N_("Neutralised exit (not in the denominator)"),
    "themes.x": N_("Number of people who testified mentioning the theme"),
    "forest.x": N_("Share (point) and %(level)s confidence interval (line)"),
    "pooled": N_("Overall"),
    "no_data": N_("No data"),
    "pending": N_("pending"),
}
#: Words that agree with a count (%(num)s is the count formatted).
_PLURAL_TEXTS = {
    "pairs": NP_("%(num)s complete pair", "%(num)s complete pairs"),
    "pairs.excluded": NP_("%(num)s excluded", "%(num)s excluded"),
}


def _lang(lang: str) -> str:
    """``"fr"`` or ``"en"`` (raises ValueError for an unsupported language)."""
    return "en" if locale_for(lang).startswith("en") else "fr"


def _t(lang: str, key: str, **kw) -> str:
    """The chart word ``key`` in ``lang``, with its ``%(name)s`` placeholders filled."""
    text = _TEXTS[key]
    if isinstance(text, tuple):  # (context, message): the same English, another translation
        return messages(_lang(lang)).pgettext(text[0], text[1], **kw)
    return messages(_lang(lang))._(text, **kw)


def _tn(lang: str, key: str, count: int) -> str:
    """The chart word ``key`` agreeing with ``count``."""
    return messages(_lang(lang)).nplural(_PLURAL_TEXTS[key], count)


def _colon(lang: str) -> str:
    """French typography puts a no-break space before a colon."""
    return f"{NBSP}:" if _lang(lang) == "fr" else ":"


def _wrap(text, width: int) -> str:
    text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) if lines else text


def _n_lines(text: str) -> int:
    return text.count("\n") + 1


def _new_figure(height: float, width: float = WIDTH) -> Figure:
    """A white Figure (``width`` inches wide, :data:`WIDTH` by default) with an Agg canvas and
    the constrained layout engine."""
    fig = Figure(figsize=(width, max(float(height), 1.2)), dpi=100, facecolor="white",
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


def _note_on_own_line(label: str, note: str, wrap: int) -> bool:
    """Whether a row's muted note ("n = 13 (1 sans réponse)") would run past the right edge
    after its label (the note follows the label's widest line: ``wrap`` characters at
    FONT_SIZE a line, the note at SMALL_SIZE): then it goes on a line of its own under the
    label (counted in the row's height), instead of being cut at the figure's edge."""
    if not note:
        return False
    widest = max(len(line) for line in label.split("\n"))
    return widest + 2 + len(note) * SMALL_SIZE / FONT_SIZE > wrap


def _with_notes(labels: Sequence[str], notes: Sequence[str], wrap: int) -> list[str]:
    """The labels, each followed by an empty line where its note goes on a line of its own
    (:func:`_note_on_own_line`), so that :func:`_stacked_rows` counts that line."""
    return [f"{lab}\n" if _note_on_own_line(lab, note, wrap) else lab
            for lab, note in zip(labels, notes)]


def _labels_above(ax, centres: Sequence[float], labels: Sequence[str],
                  notes: Sequence[str] | None = None) -> None:
    """Write each row's label left-aligned above its bar (full width of the plot), with an
    optional muted note after it ("n = 8"), or on the label's last line when the label ends
    with an empty line (:func:`_with_notes`)."""
    trans = ax.get_yaxis_transform()  # x in axes fraction, y in data
    for i, (y, lab) in enumerate(zip(centres, labels)):
        own_line = lab.endswith("\n")
        t = ax.text(0, y - _BAR_H / 2 - _LABEL_GAP / 2, lab.rstrip("\n"), transform=trans,
                    ha="left", va="bottom", linespacing=1.15, **_font(FONT_SIZE, color=TEXT))
        if notes and notes[i]:
            if own_line:  # under the label, above the bar
                t.set_y(y - _BAR_H / 2 - _LABEL_GAP / 2 - _LINE_H)
                ax.text(0, y - _BAR_H / 2 - _LABEL_GAP / 2, notes[i], transform=trans,
                        ha="left", va="bottom", **_font(SMALL_SIZE, color=MUTED))
                continue
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


#: the indicator table's label column for each language
LABEL_COLUMN = {"fr": "label_fr", "en": "label_en"}


def _label_column(df: pd.DataFrame, lang: str) -> pd.Series:
    col = LABEL_COLUMN[_lang(lang)]
    if col not in df.columns:
        col = "label_fr" if "label_fr" in df.columns else "label"
    _require(df, [col], "labels")
    return df[col].astype(str)


