"""Small cells: suppression of disclosive cells in breakdowns, sensitive shares, follow-up detail.

Part of :mod:`fac_eval.disclosure.privacy` (its names are importable from there). The rule:

- *Primary cells*: a cell counting 1 to ``min_cell − 1`` people (INSEE's frequency rule,
  ``min_cell`` = 3 by default) — and 0 with ``suppress_zeros=True`` (published breakdowns of
  personal characteristics and reasons for dropping out, where shown zeros would pin hidden
  cells down).
- *Full group*: a cell equal to its whole group (its known total, > 0) discloses everyone in
  it ("Santé 3 / total des abandons 3"): it is hidden too.
- *Complementary suppression*: the reader knows each line's total (the report states group
  sizes), so hidden cells could be recovered by subtraction. In each line, more cells are hidden
  (the smallest non-zero shown cell; all the shown zeros when only zeros are left) until either
  nothing is hidden, or at least two cells are hidden and their sum — the hidden remainder —
  is at least ``min_cell``. Totals are never hidden.
- *One marker*: published outputs pass ``marker=`` (:data:`HIDDEN_MARKER`) so that the small
  cell and its complements look alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import pandas as pd

from fac_eval.core.i18n import N_, tr

__all__ = [
    "DEFAULT_MIN_CELL", "SuppressedTable", "suppress_small_cells", "is_breakdown_safe",
    "HIDDEN_MARKER", "SENSITIVE_SHARES", "share_is_disclosive", "FOLLOWUP_DETAIL",
    "followup_detail_publishable", "FOLLOWUP_SITUATIONS", "FOLLOWUP_RESPONDENTS_RATE",
    "followup_situations_publishable", "FOUNDERS_STAGE", "FOUNDERS_STAGE_OUTCOMES",
    "founders_stage_disclosive",
]

DEFAULT_MIN_CELL = 3

class SuppressedTable(NamedTuple):
    """Result of :func:`suppress_small_cells`.

    ``table``: a copy of the input whose count columns are ``object``: shown counts are Python
    ``int`` (or the original value when not integral / missing), hidden ones the strings
    ``"< 3"`` (small cell) or ``"masqué"``/``"hidden"`` (complementary suppression).
    ``mask``: boolean DataFrame (same index, the count columns) — True where a cell is hidden,
    for either reason. ``table.attrs["suppression"]`` records ``min_cell`` and the lists of
    ``primary`` and ``complementary`` (row label, column) cells.
    """

    table: pd.DataFrame
    mask: pd.DataFrame


def _counts_frame(table: pd.DataFrame, count_columns: Sequence[str]) -> pd.DataFrame:
    missing = [c for c in count_columns if c not in table.columns]
    if missing:
        raise KeyError(f"count columns not in the table: {missing}")
    counts = table[list(count_columns)].apply(pd.to_numeric, errors="raise").astype("float64")
    if (counts < 0).any().any():
        raise ValueError("counts must be non-negative")
    return counts


def _complement(values: pd.Series, hidden: pd.Series) -> list:
    """Labels of the cells to hide next: the smallest non-zero shown cell, or — when only zeros
    remain shown — all of them (never one zero among shown zeros); [] when nothing is shown."""
    candidates = values[~hidden & values.notna()]
    if candidates.empty:
        return []
    nonzero = candidates[candidates > 0]
    if nonzero.empty:
        return list(candidates.index)
    # smallest value; ties broken by position (first row / column)
    return [nonzero.index[int(nonzero.to_numpy().argmin())]]


def _needs_complement(values: pd.Series, hidden: pd.Series, min_cell: int) -> bool:
    """True when the hidden cells of one line (column or row) of a table with a known total can
    be recovered by subtraction: a single hidden cell, or hidden cells whose sum (the total
    minus the shown cells: known to the reader) is below ``min_cell`` — 0 included, which
    would tell that every hidden cell is 0."""
    n_hidden = int(hidden.sum())
    if n_hidden == 0:
        return False
    if n_hidden == 1:
        return True
    return float(values[hidden].fillna(0).sum()) < min_cell


def suppress_small_cells(
    table: pd.DataFrame,
    count_columns: Sequence[str] | str,
    min_cell: int = DEFAULT_MIN_CELL,
    total_column: str | None = None,
    *,
    total_row=None,
    totals_known: bool = True,
    suppress_zeros: bool = False,
    full_group: bool = True,
    lang: str = "fr",
    complement_text: str | None = None,
    marker: str | None = None,
) -> SuppressedTable:
    """Hide the cells of a breakdown that count fewer than ``min_cell`` units, the cells equal
    to their whole group, and enough other cells that no hidden cell can be recovered.

    ``table``: one row per category, one or more ``count_columns`` (other columns are copied
    untouched). ``total_column``: a column of row totals (always shown; enables complementary
    suppression across each row). ``total_row``: the label of a row of column totals (always
    shown, excluded from the breakdown). ``totals_known``: the column totals are known to the
    reader (printed elsewhere, e.g. "8 apprenants") — then the rules below apply down each
    column. ``full_group`` (default True): a cell equal to its known total (> 0) is hidden —
    "Santé 3 / total des abandons 3" tells that every drop-out left for health reasons.
    ``marker``: one text for every hidden cell, small or complementary (published outputs use
    :data:`HIDDEN_MARKER`). Complementary suppression goes on until, in every line with a known
    total, either nothing is hidden or at least two cells are hidden whose sum is at least
    ``min_cell`` (the hidden remainder, known by subtraction, then tells no one's category).
    See the module docstring for the rest of the rule.

    Returns a :class:`SuppressedTable` ``(table, mask)``.
    """
    if isinstance(count_columns, str):
        count_columns = [count_columns]
    count_columns = [c for c in count_columns if c != total_column]
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")
    counts = _counts_frame(table, count_columns)
    if counts.index.has_duplicates:
        raise ValueError("the table's index must be unique (one row per category)")
    rows = [r for r in counts.index if not (total_row is not None and r == total_row)]
    body = counts.loc[rows]
    columns_known = totals_known or total_row is not None

    low = 0 if suppress_zeros else 1
    primary = (body >= low) & (body < min_cell) & body.notna()
    full = pd.DataFrame(False, index=body.index, columns=body.columns)
    if full_group:
        if columns_known:
            for col in count_columns:
                tot = (counts.at[total_row, col] if total_row is not None
                       else body[col].sum(skipna=True))
                if pd.notna(tot) and tot > 0:
                    full[col] = (body[col] == tot) & ~primary[col]
        if total_column is not None:
            tots = pd.to_numeric(table.loc[rows, total_column], errors="coerce")
            for r in rows:
                tot = tots.at[r]
                if pd.notna(tot) and tot > 0:
                    full.loc[r] = full.loc[r] | ((body.loc[r] == tot) & ~primary.loc[r])
    hidden = primary | full
    complementary: list[tuple] = []

    changed = True
    while changed:
        changed = False
        if columns_known:
            for col in count_columns:
                if _needs_complement(body[col], hidden[col], min_cell):
                    for pick in _complement(body[col], hidden[col]):
                        hidden.loc[pick, col] = True
                        complementary.append((pick, col))
                        changed = True
        if total_column is not None:
            for r in rows:
                if _needs_complement(body.loc[r], hidden.loc[r], min_cell):
                    for pick in _complement(body.loc[r], hidden.loc[r]):
                        hidden.loc[r, pick] = True
                        complementary.append((r, pick))
                        changed = True

    small_text = f"< {min_cell}"
    if complement_text is None:
        complement_text = tr("en" if str(lang).lower().startswith("en") else "fr",
                             N_("hidden"))
    if marker is not None:  # one text for every hidden cell (published outputs)
        small_text = complement_text = marker

    out = table.copy()
    mask = pd.DataFrame(False, index=table.index, columns=count_columns)
    for col in count_columns:
        values: list = []
        for r in table.index:
            v = table.at[r, col]
            if r in hidden.index and bool(hidden.at[r, col]):
                values.append(small_text if bool(primary.at[r, col]) else complement_text)
                mask.at[r, col] = True
            else:
                num = counts.at[r, col]
                values.append(int(num) if pd.notna(num) and float(num).is_integer() else v)
        out[col] = pd.Series(values, index=table.index, dtype=object)
    out.attrs = dict(table.attrs)
    out.attrs["suppression"] = {
        "min_cell": min_cell,
        "primary": [(r, c) for c in count_columns for r in rows if bool(primary.at[r, c])],
        "full_group": [(r, c) for c in count_columns for r in rows if bool(full.at[r, c])],
        "complementary": complementary,
    }
    return SuppressedTable(out, mask)


def is_breakdown_safe(
    table: pd.DataFrame,
    count_columns: Sequence[str] | str,
    min_cell: int = DEFAULT_MIN_CELL,
    *,
    suppress_zeros: bool = False,
    full_group: bool = True,
) -> bool:
    """True when :func:`suppress_small_cells` would hide nothing: no count cell lies in
    ``[1, min_cell - 1]`` (or is 0 when ``suppress_zeros``) and, with ``full_group``, no cell
    equals its column's (non-zero) total — i.e. the table can be published as it is."""
    if isinstance(count_columns, str):
        count_columns = [count_columns]
    counts = _counts_frame(table, count_columns)
    low = 0 if suppress_zeros else 1
    if ((counts >= low) & (counts < min_cell)).any().any():
        return False
    if full_group:
        tot = counts.sum()
        return not bool(((counts == tot) & (tot > 0)).any().any())
    return True


#: The text of every hidden cell in published outputs (one marker: see the module docstring).
HIDDEN_MARKER = {"fr": "masqué", "en": "hidden"}

#: Headline shares of sensitive characteristics, masked when disclosive
#: (:func:`share_is_disclosive`); the value says whether "all" / "none" is disclosive too
#: (health data: RQTH).
SENSITIVE_SHARES = {
    "learners.rqth": True,
    "learners.unemployed_over_24m": False,
    "followup.digital_sector": False,
}


def share_is_disclosive(indicator: str, k, n, min_cell: int = DEFAULT_MIN_CELL) -> bool:
    """True when the share ``k / n`` of a sensitive indicator (:data:`SENSITIVE_SHARES`) must
    not be published: k or n − k in ``[1, min_cell − 1]``, or, for RQTH, k == 0 or k == n.
    Other indicators, and shares without data (n missing or 0), are never disclosive here."""
    if indicator not in SENSITIVE_SHARES or pd.isna(k) or pd.isna(n) or not n:
        return False
    k, n = int(k), int(n)
    if any(0 < c < min_cell for c in (k, n - k)):
        return True
    return bool(SENSITIVE_SHARES[indicator]) and k in (0, n)


#: The founders' stage: the share in the creation stage (the others develop a business), and
#: the business outcomes counted within each stage (their denominators are the stage counts).
FOUNDERS_STAGE = "founders.stage_creation"
FOUNDERS_STAGE_OUTCOMES = ("founders.business_created", "founders.revenue_up")


def founders_stage_disclosive(creating, n, min_cell: int = DEFAULT_MIN_CELL) -> bool:
    """True when the founders' stages cannot be published: the founders creating a business
    (``creating``) or those developing one (``n − creating``) count 1 to ``min_cell − 1``.
    Then the stage share, and the outcomes counted within a stage (whose denominators are the
    stage counts), are hidden — unless the published assessment states that very figure."""
    if pd.isna(creating) or pd.isna(n) or not n:
        return False
    k, n = int(creating), int(n)
    return any(0 < c < min_cell for c in (k, n - k))


#: The detail of the dynamic exits at follow-up (their total is the sortie dynamique numerator).
FOLLOWUP_DETAIL = ("followup.durable", "followup.transition", "followup.positive")


def followup_detail_publishable(counts: Iterable, min_cell: int = DEFAULT_MIN_CELL) -> bool:
    """True when the detail of the dynamic exits (durable, transition, positive counts) can be
    published: each count is 0 or at least ``min_cell``.

    Follow-up rule (report, Excel export, comparison report): the learners followed up, the
    neutralised exits (never a neutralised *reason*) and the sortie dynamique k / n are exact;
    "other situation" and "no news" follow :func:`followup_situations_publishable`; the
    three-way detail of the dynamic exits is published only when this returns True, otherwise
    only their total is."""
    values = [0 if pd.isna(c) else int(c) for c in counts]
    return all(c == 0 or c >= min_cell for c in values)


#: The situations of the learners in the sortie dynamique's denominator that are not dynamic
#: exits: "other situation" (job seeking, inactivity) and "no news". With the dynamic exits (the
#: headline numerator k) they make the whole denominator n.
FOLLOWUP_SITUATIONS = ("followup.other", "followup.non_respondents")
#: The rate among respondents: its denominator is k + "other situation", so it tells "other".
FOLLOWUP_RESPONDENTS_RATE = "followup.sortie_dynamique_respondents"


def followup_situations_publishable(other, no_news, min_cell: int = DEFAULT_MIN_CELL) -> bool:
    """True when "other situation" and "no news" (:data:`FOLLOWUP_SITUATIONS`) can be published
    as they are: each is 0 or at least ``min_cell``.

    When this is False, both are hidden (the headline k / n tells their sum, so hiding one alone
    would not protect it) and so is the rate among respondents
    (:data:`FOLLOWUP_RESPONDENTS_RATE`), whose denominator k + "other" would give "other" back.
    The neutralised exits stay exact: they are the difference between two published
    participation counts (the learners followed up and the rate's denominator), and their
    reasons are never published."""
    return followup_detail_publishable([other, no_news], min_cell)
