"""Multiplicity: Holm step-down adjusted p-values."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._inputs import _to_float_array


def holm(pvalues: Any) -> np.ndarray:
    r"""Holm (1979) step-down adjusted p-values, NaN-aware.

    With the m non-missing p-values sorted :math:`p_{(1)} \le \dots \le p_{(m)}`:

    .. math:: \tilde p_{(i)} = \max_{j \le i} \min\{1, (m - j + 1) p_{(j)}\}

    NaN / missing entries stay NaN and do not count in the family size m.
    Returns a float array in the input order.  Controls the family-wise error
    rate under any dependence.

    Reference: Holm S. (1979) A simple sequentially rejective multiple test
    procedure. Scand. J. Statist. 6:65-70.
    """
    p = _to_float_array(pvalues, "pvalues")
    ok = ~np.isnan(p)
    if ((p[ok] < 0) | (p[ok] > 1)).any():
        raise ValueError("p-values must lie in [0, 1]")
    out = np.full(p.shape, np.nan)
    m = int(ok.sum())
    if m == 0:
        return out
    vals = p[ok]
    order = np.argsort(vals, kind="mergesort")
    factors = m - np.arange(m)
    adjusted_sorted = np.maximum.accumulate(np.minimum(1.0, factors * vals[order]))
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    out[ok] = adjusted
    return out
