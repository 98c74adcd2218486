"""Testimony themes."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from fac_eval.core.formatting import fmt_count

from .style import (
    _BAR_H,
    COLORS,
    _bottom_axis,
    _count_axis,
    _is_na,
    _label_column,
    _labels_above,
    _lang,
    _message_figure,
    _new_figure,
    _require,
    _right_labels,
    _set_title,
    _stacked_rows,
    _style_axes,
    _t,
    _wrap,
    _xlabel,
)

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


