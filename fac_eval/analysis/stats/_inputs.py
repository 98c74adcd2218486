"""Input handling shared by the statistical procedures (see :mod:`fac_eval.analysis.stats`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

_ALTERNATIVES = ("two-sided", "greater", "less")
_ZERO_METHODS = ("pratt", "wilcox")


def _to_float_array(x: Any, name: str) -> np.ndarray:
    """Convert a 1-D array-like to float64, mapping every missing marker to NaN.

    Raises ``TypeError`` for scalars/strings/DataFrames and ``ValueError`` for
    non-numeric or infinite values or for inputs that are not 1-D.
    """
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a 1-D sequence of numbers, got {type(x).__name__}")
    if isinstance(x, pd.DataFrame):
        raise TypeError(f"{name} must be 1-D (a Series, list or array), got a DataFrame")
    if isinstance(x, pd.Series):
        series = x.astype(object)
    else:
        if isinstance(x, (set, frozenset, dict)):
            raise TypeError(f"{name} must be an ordered 1-D sequence, got {type(x).__name__}")
        if not isinstance(x, (np.ndarray, pd.Index, pd.api.extensions.ExtensionArray)):
            x = list(x) if isinstance(x, Iterable) else x
        ndim = np.ndim(x) if not isinstance(x, list) else np.asarray(x, dtype=object).ndim
        if ndim == 0:
            raise TypeError(f"{name} must be a 1-D sequence of numbers, got a scalar")
        if ndim != 1:
            raise ValueError(f"{name} must be 1-D, got an input with {ndim} dimensions")
        series = pd.Series(np.asarray(x, dtype=object), dtype=object)
    missing = series.isna().to_numpy(dtype=bool)
    series = series.where(~missing, np.nan)
    try:
        numeric = pd.to_numeric(series, errors="raise")
        values = np.asarray(numeric, dtype=float)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name} contains a non-numeric value: {exc}") from None
    if values.ndim != 1:
        raise ValueError(f"{name} must be 1-D")
    if np.isinf(values).any():
        raise ValueError(f"{name} contains an infinite value")
    return values


def _clean_1d(x: Any, name: str) -> tuple[np.ndarray, int]:
    """Return (values without missing, number of missing) for a 1-D input."""
    values = _to_float_array(x, name)
    if values.size == 0:
        raise ValueError(f"{name} is empty: at least one value is required")
    keep = ~np.isnan(values)
    n_missing = int((~keep).sum())
    values = values[keep]
    if values.size == 0:
        raise ValueError(f"{name} has no non-missing value ({n_missing} missing)")
    return values, n_missing


def _paired_arrays(pre: Any, post: Any, names=("pre", "post")) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any]:
    """Convert a pair of inputs; return (pre, post, complete-mask, index or None)."""
    if isinstance(pre, pd.Series) and isinstance(post, pd.Series) and not pre.index.equals(post.index):
        raise ValueError(
            f"{names[0]} and {names[1]} are pandas Series with different indexes; "
            "pairs are matched by position, align them first (e.g. with .align())"
        )
    a = _to_float_array(pre, names[0])
    b = _to_float_array(post, names[1])
    if a.size != b.size:
        raise ValueError(f"{names[0]} and {names[1]} must have the same length ({a.size} != {b.size})")
    if a.size == 0:
        raise ValueError(f"{names[0]} and {names[1]} are empty: at least one pair is required")
    index = pre.index if isinstance(pre, pd.Series) else (post.index if isinstance(post, pd.Series) else None)
    complete = ~(np.isnan(a) | np.isnan(b))
    return a, b, complete, index


def _check_alternative(alternative: str) -> None:
    if alternative not in _ALTERNATIVES:
        raise ValueError(f"alternative must be one of {_ALTERNATIVES}, got {alternative!r}")


def _check_zero_method(zero_method: str) -> None:
    if zero_method not in _ZERO_METHODS:
        raise ValueError(f"zero_method must be one of {_ZERO_METHODS}, got {zero_method!r}")


def _check_confidence(confidence: float) -> None:
    if not (isinstance(confidence, (int, float, np.floating)) and 0.0 < float(confidence) < 1.0):
        raise ValueError(f"confidence must be a number strictly between 0 and 1, got {confidence!r}")


class _AsDict:
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]
