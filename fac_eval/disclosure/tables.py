"""The one masking of the indicator table for every published view (HTML report, Excel export).

:func:`mask_indicators` decides, once, which figures of a session's indicator table may be
published; the report and the Excel export both read its decisions, so that they mask exactly
the same cells. It adds three columns to a copy of the table:

``masked`` (bool)
    the row's count, share and interval must not be published;
``mask_reason`` (str)
    why: ``"small_cell"`` (1 to ``min_cell − 1`` people; 0 too in profile breakdowns),
    ``"full_group"`` (a category equal to its whole group), ``"complementary"`` (hidden so that
    a hidden cell cannot be recomputed by subtraction), ``"sensitive_share"`` (RQTH, long-term
    unemployment, digital sector: :func:`fac_eval.disclosure.suppression.share_is_disclosive`),
    ``"followup_detail"`` (the detail of dynamic exits,
    :func:`fac_eval.disclosure.suppression.followup_detail_publishable`; "other situation", "no news" and
    the rate among respondents follow
    :func:`fac_eval.disclosure.suppression.followup_situations_publishable`), ``"rare_theme"`` (a testimony
    theme raised by 1 to ``min_cell − 1`` people); the founders' stage share (and the business
    outcomes counted within a stage) when a stage holds 1 to ``min_cell − 1`` founders
    (:func:`fac_eval.disclosure.suppression.founders_stage_disclosive`); ``""`` when shown;
``published_exemption`` (bool)
    a disclosive sensitive share (or founders' stage figure) kept because the session's
    published assessment already states *this very figure* (:func:`published_exemptions`).

Profile breakdowns (``section == "profile_breakdown"``) are masked field by field with
:func:`fac_eval.disclosure.suppression.suppress_small_cells` (zeros hidden, cells equal to the group
hidden, complementary suppression), the non-response count of the field (``n_missing``) taking
part as one more cell; ``n_missing_masked`` tells whether that cell is hidden.
"""

from __future__ import annotations

import pandas as pd

from fac_eval.core.i18n import N_

from .suppression import (
    DEFAULT_MIN_CELL,
    FOLLOWUP_DETAIL,
    FOLLOWUP_RESPONDENTS_RATE,
    FOLLOWUP_SITUATIONS,
    FOUNDERS_STAGE,
    FOUNDERS_STAGE_OUTCOMES,
    followup_detail_publishable,
    followup_situations_publishable,
    founders_stage_disclosive,
    share_is_disclosive,
    suppress_small_cells,
)

__all__ = ["EXACT_CLAIM_KINDS", "published_exemptions", "mask_indicators", "MASK_REASONS"]

#: Kinds of claims (:mod:`fac_eval.analysis.claims`) that state a figure exactly. ``at_most_percent``
#: ("peu évolué") states a bound, not the figure: it never exempts anything.
EXACT_CLAIM_KINDS = ("percent", "all", "share", "count", "fraction")
#: Of those, the kinds that state a share without its counts.
SHARE_CLAIM_KINDS = ("percent", "all", "share")

#: What a reader is told for each reason (catalog messages: ``messages(lang)._(...)``).
#: The cells of one breakdown hidden for different reasons (small, the whole group, a
#: complement) read alike: telling which is which would give their counts back (a complement
#: beside a small cell of 0 to 2).
_CELLS_HIDDEN = N_("Count hidden (small-cell rule: a cell of fewer than the threshold, or one "
                   "that would give it back; the hidden cells are not told apart).")
MASK_REASONS = {
    "small_cell": _CELLS_HIDDEN,
    "full_group": _CELLS_HIDDEN,
    "complementary": _CELLS_HIDDEN,
    "sensitive_share": N_("Count hidden (small-cell rule)."),
    "rare_theme": N_("Theme raised by too few people: count hidden."),
}
#: The note beside a disclosive figure kept because it was published as it is (a catalog
#: message).
EXEMPTION_NOTE = N_("Figure already published in the assessment.")
#: The note of a breakdown's row whose number considered is hidden with its non-response.
MISSING_HIDDEN_NOTE = N_("Number of people considered and share hidden: the number without an "
                         "answer, which they would give back, is hidden (small-cell rule).")


def published_exemptions(claims: pd.DataFrame | None) -> set[str]:
    """Indicators whose published figure is the computed one: a row of the claims check
    (:func:`fac_eval.analysis.claims.check_claims`) that ``matches`` and states the figure exactly
    (:data:`EXACT_CLAIM_KINDS`). A claim that does not match the data ("6 sur 8" published,
    1 of 8 computed) exempts nothing: the computed figure was never published. A share claim
    (:data:`SHARE_CLAIM_KINDS`) exempts only when its population's published headcount
    (``learners.enrolled``, ``founders.enrolled``) matches too."""
    if claims is None or not len(claims):
        return set()
    ok = claims["matches"].astype(bool)
    if "kind" in claims.columns:
        ok &= claims["kind"].isin(EXACT_CLAIM_KINDS)
        # a share ("la moitié", "75 %", "tous") names no headcount: it is the published figure
        # only among the people the publication counted, so only when the population's
        # published headcount matches too ("la moitié des 4 porteurs" is not 1 of 2)
        indicator = claims["indicator"].astype(str)
        population = indicator.str.split(".").str[0]
        counted = {p for p in population.unique()
                   if ((indicator == f"{p}.enrolled") & ok).any()}
        share = claims["kind"].isin(SHARE_CLAIM_KINDS)
        ok &= ~share | population.isin(counted)
    # an indicator with two claims is exempt only when every claim on it matches exactly
    bad = set(claims.loc[~ok, "indicator"].astype(str))
    return set(claims.loc[ok, "indicator"].astype(str)) - bad


def _profile_field(indicator: str) -> str:
    return indicator.split(".")[1] if indicator.count(".") >= 2 else indicator


def mask_indicators(indicators: pd.DataFrame, min_cell: int = DEFAULT_MIN_CELL,
                    claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """A copy of ``indicators`` with the columns ``masked``, ``mask_reason``,
    ``published_exemption`` and ``n_missing_masked`` (see the module docstring). The figures
    themselves are left exact: each view replaces the masked ones by its marker."""
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")
    out = indicators.copy()
    out["masked"] = False
    out["mask_reason"] = ""
    out["published_exemption"] = False
    out["n_missing_masked"] = False
    out["denominator_masked"] = False  # the count of people considered tells a hidden cell
    ids = out["indicator"].astype(str)

    def hide(idx, reason):
        if not out.at[idx, "masked"]:
            out.at[idx, "masked"] = True
            out.at[idx, "mask_reason"] = reason

    # profile breakdowns, field by field (non-response is one more cell of the breakdown)
    rows = out[out["section"] == "profile_breakdown"]
    for _, group in rows.groupby(rows["indicator"].map(_profile_field), sort=False):
        counts = pd.to_numeric(group["numerator"], errors="coerce")
        if counts.isna().any():  # nothing computable: hide the whole field
            for idx in group.index:
                hide(idx, "small_cell")
            continue
        labels = list(group.index)
        values = list(counts)
        missing = 0
        if "n_missing" in group.columns and pd.notna(group["n_missing"].iloc[0]):
            missing = int(group["n_missing"].iloc[0])
        if missing:
            labels.append("__missing__")
            values.append(missing)
        table = pd.DataFrame({"n": values}, index=labels)
        safe = suppress_small_cells(table, ["n"], min_cell=min_cell, suppress_zeros=True)
        info = safe.table.attrs["suppression"]
        reasons = {r: "small_cell" for r, _ in info["primary"]}
        reasons.update({r: "full_group" for r, _ in info["full_group"]})
        for r, _ in info["complementary"]:
            reasons.setdefault(r, "complementary")
        for label, reason in reasons.items():
            if label == "__missing__":
                out.loc[group.index, "n_missing_masked"] = True
            else:
                hide(label, reason)

    # testimony themes raised by 1 or 2 people: named, not counted
    themes = out[ids.str.startswith("testimonies.theme.")]
    nums = pd.to_numeric(themes["numerator"], errors="coerce")
    for idx in themes.index[(nums > 0) & (nums < min_cell)]:
        hide(idx, "rare_theme")

    # the detail of dynamic exits at follow-up
    detail = out[ids.isin(FOLLOWUP_DETAIL)]
    nums = pd.to_numeric(detail["numerator"], errors="coerce")
    if len(detail) and nums.notna().all() and not followup_detail_publishable(nums, min_cell):
        for idx in detail.index:
            hide(idx, "followup_detail")

    # "other situation" and "no news" at follow-up: both hidden when one is small (the headline
    # k / n tells their sum), with the rate among respondents (its denominator tells "other")
    situations = out[ids.isin(FOLLOWUP_SITUATIONS)]
    nums = pd.to_numeric(situations["numerator"], errors="coerce")
    if len(situations) == len(FOLLOWUP_SITUATIONS) and nums.notna().all():
        by_id = dict(zip(situations["indicator"], nums))
        other, no_news = (by_id[i] for i in FOLLOWUP_SITUATIONS)
        if not followup_situations_publishable(other, no_news, min_cell):
            for idx, n in zip(situations.index, nums):
                hide(idx, "small_cell" if 0 < n < min_cell else "complementary")
            for idx in out.index[ids == FOLLOWUP_RESPONDENTS_RATE]:
                hide(idx, "complementary")
                # its denominator (the respondents) minus the dynamic exits is "other"
                out.at[idx, "denominator_masked"] = True

    exempt = published_exemptions(claims)
    # the founders' stages: a stage of 1 to min_cell - 1 founders is hidden, with the outcomes
    # counted within a stage (their denominators are the stage counts), unless published
    stage = out.index[ids == FOUNDERS_STAGE]
    if len(stage) and founders_stage_disclosive(out.at[stage[0], "numerator"],
                                                out.at[stage[0], "denominator"], min_cell):
        for idx in out.index[ids.isin((FOUNDERS_STAGE, *FOUNDERS_STAGE_OUTCOMES))]:
            if out.at[idx, "indicator"] in exempt:
                out.at[idx, "published_exemption"] = True
            else:
                hide(idx, "small_cell" if out.at[idx, "indicator"] == FOUNDERS_STAGE
                     else "complementary")
                # an outcome counted within a stage: its denominator is the stage count
                out.at[idx, "denominator_masked"] = out.at[idx, "indicator"] != FOUNDERS_STAGE

    # sensitive headline shares, unless this very figure was published
    for idx, rw in out.iterrows():
        if not share_is_disclosive(rw["indicator"], rw["numerator"], rw["denominator"], min_cell):
            continue
        if rw["indicator"] in exempt:
            out.at[idx, "published_exemption"] = True
        else:
            hide(idx, "sensitive_share")
    return out


def mask_flow_counts(counts: pd.DataFrame, decided: pd.DataFrame) -> pd.DataFrame:
    """The participant flow's counts (``stage``, ``n``) with the follow-up stage hidden
    (``n`` empty, ``masked`` True) when the one masking (``decided``: :func:`mask_indicators`
    indexed by indicator) hides "other situation" or "no news": the learners who answered the
    follow-up, minus the published exits, would give them back."""
    situations = decided["masked"].reindex(list(FOLLOWUP_SITUATIONS)).fillna(False)
    hide = counts["stage"].eq("followup") & bool(situations.astype(bool).any())
    return counts.assign(masked=hide, n=counts["n"].where(~hide))
