"""Forest plot of sessions compared."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from fac_eval.core.formatting import fmt_count, fmt_percent

from .style import (
    AXIS,
    COLORS,
    _is_na,
    _lang,
    _message_figure,
    _new_figure,
    _percent_axis,
    _require,
    _right_labels,
    _row_height,
    _set_title,
    _style_axes,
    _t,
    _wrap,
    _xlabel,
)

# --------------------------------------------------------------------------------------------
# Forest plot (sessions compared)
# --------------------------------------------------------------------------------------------

def forest(rows: pd.DataFrame, label_column: str = "session", lang: str = "fr",
           title: str | None = None, xlabel: str | None = None, confidence: float = 0.95,
           pooled_label: str | None = None) -> Figure:
    """Forest-style chart of one share across sessions (or groups).

    ``rows``: one row per session with ``label_column``, ``numerator``, ``denominator``,
    ``value`` (0–1), ``ci_low``, ``ci_high`` and optionally ``pooled`` (True for a pooled
    estimate, drawn as a diamond spanning its interval below a separator, after the sessions)
    and ``text`` (a row without a figure labelled with it: "en attente" for a session whose
    answers are not collected yet). Each row is labelled "k sur n (p %)" at the right. x from
    0 to 100 %.

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
    said = df["text"] if "text" in df.columns else pd.Series("", index=df.index)
    for k, n, text in zip(df["numerator"], df["denominator"], said):
        if isinstance(text, str) and text:  # a row that says why it has no figure ("en attente")
            texts.append(text)
        else:
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


