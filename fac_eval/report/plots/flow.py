"""The participant flow chart."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from fac_eval.core.formatting import fmt_number

from .style import (
    COLORS,
    FLOW_STAGE_ALIASES,
    FLOW_STAGES,
    FONT_SIZE,
    MINUS,
    MUTED,
    SMALL_SIZE,
    TEXT,
    _font,
    _is_na,
    _lang,
    _new_figure,
    _require,
    _set_title,
    _style_axes,
    _t,
    _wrap,
    _xlabel,
)

# --------------------------------------------------------------------------------------------
# Participant flow
# --------------------------------------------------------------------------------------------

def participant_flow(flow_counts: pd.DataFrame, lang: str = "fr", followup_months: int = 3,
                     title: str | None = None, xlabel: str | None = None,
                     missing_word: str | None = None) -> Figure:
    """Participant flow: one horizontal bar per stage, top to bottom.

    ``flow_counts`` has columns ``stage`` (among :data:`FLOW_STAGES`: enrolled,
    entry_questionnaire, completed, exit_questionnaire, paired, followup) and ``n`` (``<NA>`` for
    a follow-up not collected: no bar, the words "non collecté" instead; with ``masked`` True,
    a count hidden by the small-cell rule: "masqué" instead). An optional ``lost``
    column is used as given; otherwise the loss is ``previous n − n`` when positive. Each bar is
    labelled with its count and, from the second stage, "−k" (people lost since the previous
    stage). Stages are drawn in the canonical order whatever the row order. ``missing_word``:
    what a stage without a count says instead of "non collecté" (a follow-up entered but set
    aside, one absent from these data), as the report's text says it.
    """
    _require(flow_counts, ["stage", "n"], "participant_flow")
    lang = _lang(lang)
    df = flow_counts.copy()
    unknown = sorted(set(df["stage"]) - set(FLOW_STAGES) - set(FLOW_STAGE_ALIASES))
    if unknown:
        raise ValueError(f"participant_flow: unknown stage(s) {unknown}")
    df["_order"] = df["stage"].map(lambda s: FLOW_STAGES.index(FLOW_STAGE_ALIASES.get(s, s)))
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
    hidden = list(df["masked"].fillna(False).astype(bool)) if "masked" in df.columns \
        else [False] * len(df)
    for i, (y, c) in enumerate(zip(ys, counts)):
        if c is None:
            ax.text(pad, float(y), _t(lang, "masked") if hidden[i]
                    else missing_word or _t(lang, "not_collected"),
                    ha="left", va="center", **_font(FONT_SIZE, color=MUTED, fontstyle="italic"))
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


