"""Agreement items as diverging stacked bars."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter

from fac_eval.core.formatting import fmt_number, fmt_percent
from fac_eval.data import codebook as cb

from .style import (
    _AGREE_TEXT,
    _BAR_H,
    AGREE_COLORS,
    FONT_FAMILY,
    MUTED,
    NBSP,
    SMALL_SIZE,
    TEXT,
    _bottom_axis,
    _count_axis,
    _font,
    _labels_above,
    _lang,
    _message_figure,
    _new_figure,
    _require,
    _set_title,
    _stacked_rows,
    _style_axes,
    _t,
    _with_notes,
    _wrap,
    _xlabel,
)

# --------------------------------------------------------------------------------------------
# Agreement items (diverging stacked bars)
# --------------------------------------------------------------------------------------------

def likert_diverging(declarations: pd.DataFrame, items: Sequence[str] | None = None,
                     lang: str = "fr", percent: bool = False, title: str | None = None,
                     xlabel: str | None = None, wrap: int = 46) -> Figure:
    """Diverging stacked bars of 4-point agreement answers (``codebook.AGREE_4``).

    ``declarations`` is :func:`fac_eval.data.cleaning.agreement` output (columns ``item, answer``
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
    labels = _with_notes(labels, notes, wrap)  # a note that would be cut gets its own line

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


