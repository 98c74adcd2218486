"""Follow-up situations (sortie dynamique categories)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from fac_eval.core.formatting import fmt_count, fmt_number

from .style import (
    _FOLLOWUP_HATCH,
    _FOLLOWUP_TEXT,
    _HATCH_COLOR,
    AXIS,
    FOLLOWUP_CATEGORIES,
    FOLLOWUP_COLORS,
    FONT_FAMILY,
    FONT_SIZE,
    NBSP,
    SMALL_SIZE,
    TEXT,
    _bottom_axis,
    _colon,
    _count_axis,
    _font,
    _is_na,
    _lang,
    _message_figure,
    _new_figure,
    _set_title,
    _style_axes,
    _t,
    _xlabel,
)

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


