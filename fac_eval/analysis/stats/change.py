"""Change per person and per outcome: paired differences, reliable change (Jacobson-Truax), the report record."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._inputs import _AsDict, _paired_arrays
from .location import hodges_lehmann
from .multiplicity import holm
from .proportions import min_attainable_p
from .ranks import rank_biserial, signed_rank_test


@dataclass(frozen=True)
class ReliableChangeResult:
    """Result of :func:`reliable_change`.

    table : one row per complete pair with columns pre, post, change, rci,
        category ("improved" / "unchanged" / "deteriorated"); the index is the
        index of the input Series (or 0..n-1), rows with a missing value are
        dropped.
    se_measurement : SE = sd_pre * sqrt(1 - reliability).
    s_diff : sqrt(2 * SE**2).
    threshold : smallest absolute change that counts as reliable,
        z_crit * s_diff (the change must be strictly larger).
    """

    table: pd.DataFrame = field(repr=False)
    n_improved: int
    n_unchanged: int
    n_deteriorated: int
    n: int
    n_missing: int
    se_measurement: float
    s_diff: float
    threshold: float
    z_crit: float
    higher_is_better: bool
    method: str

    def to_dict(self) -> dict[str, Any]:
        """Counts and constants (the per-person table is left out)."""
        return {k: v for k, v in asdict(self).items() if k != "table"}


# ---------------------------------------------------------------------------
# Public procedures


def reliable_change(
    pre: Any,
    post: Any,
    sd_pre: float,
    reliability: float,
    *,
    z_crit: float = 1.96,
    higher_is_better: bool = True,
) -> ReliableChangeResult:
    r"""Jacobson & Truax (1991) reliable change index (RCI), one value per person.

    .. math::

        SE = s_{pre}\sqrt{1 - r_{xx}}, \quad
        S_{diff} = \sqrt{2 SE^2}, \quad
        RCI = \frac{x_{post} - x_{pre}}{S_{diff}}

    A person changed reliably when :math:`|RCI| > z_{crit}` (1.96: a change
    this large would arise from measurement error alone in < 5 % of cases);
    the direction is "improved" if the change goes the good way
    (``higher_is_better``), "deteriorated" otherwise, and "unchanged" when
    :math:`|RCI| \le z_{crit}`.  ``threshold`` = :math:`z_{crit} S_{diff}` is
    the smallest absolute change counted as reliable (strictly exceeded).

    ``sd_pre`` is the standard deviation of the pre-test scores in a
    reference (norm) population and ``reliability`` a test-retest or
    internal-consistency coefficient (0 <= r < 1) taken from the instrument's
    manual -- not estimated from a cohort of 10 people.

    Pairs with a missing value are dropped and counted (``n_missing``).

    Reference: Jacobson N.S., Truax P. (1991) Clinical significance: a
    statistical approach to defining meaningful change in psychotherapy
    research. J. Consult. Clin. Psychol. 59:12-19.
    """
    try:
        sd_pre = float(sd_pre)
        reliability = float(reliability)
        z_crit = float(z_crit)
    except (TypeError, ValueError):
        raise TypeError("sd_pre, reliability and z_crit must be numbers") from None
    if not (math.isfinite(sd_pre) and sd_pre > 0):
        raise ValueError(f"sd_pre must be a positive finite number, got {sd_pre!r}")
    if not (math.isfinite(reliability) and 0.0 <= reliability < 1.0):
        raise ValueError(f"reliability must satisfy 0 <= reliability < 1, got {reliability!r}")
    if not (math.isfinite(z_crit) and z_crit > 0):
        raise ValueError(f"z_crit must be a positive number, got {z_crit!r}")
    a, b, complete, index = _paired_arrays(pre, post)
    n_missing = int((~complete).sum())
    if not complete.any():
        raise ValueError(f"no complete pair: all {a.size} pairs have a missing value")
    se = sd_pre * math.sqrt(1.0 - reliability)
    s_diff = math.sqrt(2.0 * se * se)
    change = b[complete] - a[complete]
    rci = change / s_diff
    good = rci if higher_is_better else -rci
    category = np.where(good > z_crit, "improved", np.where(good < -z_crit, "deteriorated", "unchanged"))
    idx = (index if index is not None else pd.RangeIndex(a.size))[complete]
    table = pd.DataFrame(
        {"pre": a[complete], "post": b[complete], "change": change, "rci": rci, "category": category},
        index=idx,
    )
    counts = pd.Series(category).value_counts()
    return ReliableChangeResult(
        table=table,
        n_improved=int(counts.get("improved", 0)),
        n_unchanged=int(counts.get("unchanged", 0)),
        n_deteriorated=int(counts.get("deteriorated", 0)),
        n=int(complete.sum()),
        n_missing=n_missing,
        se_measurement=se,
        s_diff=s_diff,
        threshold=z_crit * s_diff,
        z_crit=z_crit,
        higher_is_better=bool(higher_is_better),
        method="Jacobson-Truax (1991) reliable change index",
    )


def reliable_change_threshold(sd: Any, reliability: Any, z_crit: float = 1.96) -> float:
    r"""Smallest change counted as reliable: :math:`z_{crit} \, SD \sqrt{2 (1 - r)}`.

    The threshold of :func:`reliable_change` without the data (Jacobson & Truax, 1991): *SD* is
    the scale's yardstick standard deviation, *r* its reliability, both from the codebook.
    """
    return z_crit * float(sd) * math.sqrt(2.0 * (1.0 - float(reliability)))


def paired_differences(pre: Any, post: Any, decimals: int | None = 10) -> tuple[np.ndarray, int]:
    """``post - pre`` over complete pairs, and the number of pairs dropped as missing.

    Differences are rounded to ``decimals`` places (default 10; ``None`` to
    disable) so that floating-point noise does not create spurious non-zero
    differences or break ties (``0.3 - 0.1`` vs ``0.2``).  Raises
    ``ValueError`` for empty or unequal-length inputs.
    """
    a, b, complete, _ = _paired_arrays(pre, post)
    d = b[complete] - a[complete]
    if decimals is not None:
        d = np.round(d, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    return d, int((~complete).sum())


# ---------------------------------------------------------------------------
# Report record
# ---------------------------------------------------------------------------

VERDICTS = {
    "no_data": "no complete pair",
    "not_testable": "too few pairs: no exact test can reach the significance level",
    "significant_improvement": "significant change in the good direction",
    "significant_deterioration": "significant change in the bad direction",
    "no_evidence": "no clear change shown (which does not mean there was none)",
}


@dataclass(frozen=True)
class PairedSummary(_AsDict):
    """One outcome of a pre/post comparison, as produced by :func:`paired_summary`.

    Orientation: ``hl_*``, ``median_change`` and ``rank_biserial`` are on the
    raw scale (post - pre, positive = scores went up); ``n_improved`` /
    ``n_worsened`` and ``verdict`` take ``higher_is_better`` into account.
    Fields that cannot be computed (no complete pair, or no reliable-change
    parameters) are ``None``.  ``verdict`` is one of :data:`VERDICTS`.
    """

    outcome: str | None
    n_pairs: int
    n_excluded: int
    median_pre: float | None
    median_post: float | None
    median_change: float | None
    n_improved: int
    n_unchanged: int
    n_worsened: int
    hl_shift: float | None
    hl_ci_low: float | None
    hl_ci_high: float | None
    hl_confidence: float
    hl_achieved_confidence: float | None
    rank_biserial: float | None
    statistic: float | None
    p_value: float | None
    min_attainable_p: float
    alpha: float
    testable: bool
    higher_is_better: bool
    test_method: str | None
    rc_n_improved: int | None
    rc_n_unchanged: int | None
    rc_n_deteriorated: int | None
    rc_threshold: float | None
    verdict: str


def _verdict(testable: bool, p_value: float | None, alpha: float, went_up: bool, higher_is_better: bool) -> str:
    from fac_eval.analysis.verdict import verdict  # the one rule, shared with the indicator table

    return verdict(p_value, 0.0 if testable else 1.0, alpha, went_up == higher_is_better)


def paired_summary(
    pre: Any,
    post: Any,
    alpha: float = 0.05,
    higher_is_better: bool = True,
    outcome: str | None = None,
    sd_pre: float | None = None,
    reliability: float | None = None,
) -> PairedSummary:
    """Summarise one pre/post outcome for the report.

    Steps: complete pairs only (``n_excluded`` counts pairs with a missing
    value); differences ``post - pre`` rounded to 10 decimals
    (:func:`paired_differences`); medians; counts improved / unchanged /
    worsened (direction from ``higher_is_better``); Hodges-Lehmann shift and
    its ``1 - alpha`` interval; rank-biserial correlation and two-sided exact
    signed-rank test (Pratt zeros); reliable-change counts if both ``sd_pre``
    and ``reliability`` are given.

    ``testable`` is ``min_attainable_p(n_nonzero) <= alpha``: whether *any*
    exact test on this many non-zero differences could reach ``alpha`` (with
    alpha = 0.05 at least 6 are needed; a zero difference has no sign to flip,
    so it never brings the test within reach).  ``verdict``:

    * ``"no_data"`` -- no complete pair;
    * ``"not_testable"`` -- too few pairs, whatever the p-value;
    * ``"significant_improvement"`` / ``"significant_deterioration"`` --
      testable and signed-rank p <= alpha (direction from R+ vs R-);
    * ``"no_evidence"`` -- otherwise (every difference 0 is ``"not_testable"``:
      no test can reach ``alpha`` on no signed difference).

    It never claims an effect when the test could not reach ``alpha``.  The
    p-value is *not* adjusted for multiplicity; use
    :func:`paired_summary_table` over the family of outcomes.
    """
    if not (isinstance(alpha, (int, float, np.floating)) and 0.0 < float(alpha) < 1.0):
        raise ValueError(f"alpha must be strictly between 0 and 1, got {alpha!r}")
    if (sd_pre is None) != (reliability is None):
        raise ValueError("give both sd_pre and reliability (for reliable change) or neither")
    alpha = float(alpha)
    a, b, complete, _ = _paired_arrays(pre, post)
    d, n_excluded = paired_differences(pre, post)
    n_pairs = int(d.size)
    # zero differences carry no sign: the smallest p-value within reach is that of the non-zero
    # ones (the indicator table's rule, :func:`fac_eval.analysis.verdict.verdict`)
    min_p = min_attainable_p(int(np.count_nonzero(d)))
    testable = bool(min_p <= alpha)
    base: dict[str, Any] = dict(
        outcome=outcome,
        n_pairs=n_pairs,
        n_excluded=n_excluded,
        hl_confidence=1.0 - alpha,
        min_attainable_p=min_p,
        alpha=alpha,
        testable=testable,
        higher_is_better=bool(higher_is_better),
    )
    if n_pairs == 0:
        return PairedSummary(
            **base,
            median_pre=None, median_post=None, median_change=None,
            n_improved=0, n_unchanged=0, n_worsened=0,
            hl_shift=None, hl_ci_low=None, hl_ci_high=None, hl_achieved_confidence=None,
            rank_biserial=None, statistic=None, p_value=None, test_method=None,
            rc_n_improved=None, rc_n_unchanged=None, rc_n_deteriorated=None, rc_threshold=None,
            verdict="no_data",
        )  # fmt: skip
    test = signed_rank_test(d, zero_method="pratt", alternative="two-sided")
    hl = hodges_lehmann(d, confidence=1.0 - alpha)
    rb = rank_biserial(d, zero_method="pratt")
    n_up = int((d > 0).sum())
    n_down = int((d < 0).sum())
    rc_fields: dict[str, Any] = dict(rc_n_improved=None, rc_n_unchanged=None, rc_n_deteriorated=None, rc_threshold=None)
    if sd_pre is not None and reliability is not None:  # both or neither (checked above)
        rc = reliable_change(pre, post, sd_pre, reliability, higher_is_better=higher_is_better)
        rc_fields = dict(
            rc_n_improved=rc.n_improved,
            rc_n_unchanged=rc.n_unchanged,
            rc_n_deteriorated=rc.n_deteriorated,
            rc_threshold=rc.threshold,
        )
    return PairedSummary(
        **base,
        median_pre=float(np.median(a[complete])),
        median_post=float(np.median(b[complete])),
        median_change=float(np.median(d)),
        n_improved=n_up if higher_is_better else n_down,
        n_unchanged=n_pairs - n_up - n_down,
        n_worsened=n_down if higher_is_better else n_up,
        hl_shift=hl.estimate,
        hl_ci_low=hl.ci_low,
        hl_ci_high=hl.ci_high,
        hl_achieved_confidence=hl.achieved_confidence,
        rank_biserial=rb.estimate,
        statistic=test.statistic,
        p_value=test.pvalue,
        test_method=test.method,
        **rc_fields,
        verdict=_verdict(testable, test.pvalue, alpha, test.statistic > test.r_minus, higher_is_better),
    )


def paired_summary_table(records: Sequence[PairedSummary], alpha: float | None = None) -> pd.DataFrame:
    """DataFrame of :func:`paired_summary` records with Holm-adjusted p-values.

    The family is every record with a p-value (``no_data`` records keep NaN
    and are not counted).  Adds ``p_value_holm`` and ``verdict_holm`` (same
    rules as ``verdict`` but with the adjusted p-value, compared with
    ``alpha`` if given, else with each record's own ``alpha``).  Raw
    ``p_value`` and ``verdict`` are kept.  Row order = record order.
    """
    records = list(records)
    if not records:
        raise ValueError("records is empty: at least one PairedSummary is required")
    if not all(isinstance(r, PairedSummary) for r in records):
        raise TypeError("records must be PairedSummary objects (from paired_summary)")
    frame = pd.DataFrame([r.to_dict() for r in records])
    raw = np.array([np.nan if r.p_value is None else r.p_value for r in records], dtype=float)
    adjusted = holm(raw)
    verdicts = []
    for rec, p_adj in zip(records, adjusted):
        level = rec.alpha if alpha is None else float(alpha)
        testable = rec.min_attainable_p <= level
        went_up = rec.statistic is not None and rec.rank_biserial is not None and rec.rank_biserial > 0
        verdicts.append(
            _verdict(testable, None if np.isnan(p_adj) else float(p_adj), level, went_up, rec.higher_is_better)
        )
    pos = list(frame.columns).index("p_value") + 1
    frame.insert(pos, "p_value_holm", adjusted)
    frame["verdict_holm"] = verdicts
    return frame


# ---------------------------------------------------------------------------
# Several sessions: stratified signed-rank test and pooled proportion
# ---------------------------------------------------------------------------
