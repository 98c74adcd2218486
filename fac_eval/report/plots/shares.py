"""Shares with their exact confidence intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from fac_eval.core.formatting import fmt_count, fmt_percent

from .style import (
    _BAR_H,
    COLORS,
    GRID,
    _bottom_axis,
    _colon,
    _is_na,
    _label_column,
    _labels_above,
    _lang,
    _message_figure,
    _new_figure,
    _percent_axis,
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


