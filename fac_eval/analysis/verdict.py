"""The one verdict rule of a paired test, shared by the indicator table
(:func:`fac_eval.analysis.indicators.apply_holm` and the paired outcome rows), :func:`fac_eval.analysis.stats.
paired_summary` (and its Holm table) and the pooled tests of :mod:`fac_eval.analysis.comparison`.

Codes (the reports word them through the catalogs, :mod:`fac_eval.report.narrative`):

``no_data``
    no p-value (no complete pair);
``not_testable``
    the smallest p-value the exact test can reach on these pairs is above ``alpha``: whatever
    the data, it could not conclude, so the result stays descriptive;
``significant_improvement`` / ``significant_deterioration``
    ``p <= alpha`` (the Holm-adjusted p-value where there is a family), in the direction of the
    test statistic (R+ against its null expectation) read with ``higher_is_better``;
``no_evidence``
    testable, but ``p > alpha`` (or no direction: R+ equal to its expectation).

The rule never claims an effect the test could not reach.
"""

from __future__ import annotations

import math

VERDICTS = ("no_data", "not_testable", "significant_improvement", "significant_deterioration",
            "no_evidence")


def verdict(p_value: float | None, min_attainable_p: float, alpha: float,
            improved: bool | None) -> str:
    """The verdict code of a paired test.

    ``p_value``: the (adjusted, if any) p-value, ``None``/NaN when there is no pair;
    ``min_attainable_p``: the smallest p-value the test can reach
    (:func:`fac_eval.analysis.stats.min_attainable_p`); ``improved``: the direction of the change with
    ``higher_is_better`` applied (``None`` when the statistic equals its null expectation).
    """
    if p_value is None or (isinstance(p_value, float) and math.isnan(p_value)):
        return "no_data"
    if min_attainable_p > alpha:
        return "not_testable"
    if p_value <= alpha and improved is not None:
        return "significant_improvement" if improved else "significant_deterioration"
    return "no_evidence"
