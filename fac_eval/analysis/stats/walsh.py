"""Order statistics of the Walsh averages without materialising them.

With the differences sorted, :math:`d_{(1)} \\le \\dots \\le d_{(n)}`, the
:math:`N = n(n+1)/2` Walsh averages :math:`w_{ij} = (d_{(i)} + d_{(j)})/2`,
:math:`i \\le j`, form an upper-triangular matrix whose rows and columns are
sorted (floating-point addition and halving are monotone, so this holds for the
computed values too).  The k-th smallest of them is found by repeatedly
narrowing, in every row, a contiguous band of candidate columns around it
(Johnson & Mizoguchi 1978; Monahan 1984, ACM Algorithm 616), so that memory
stays O(n) and time O(n log n) instead of O(n^2):

1. a systematic sample of the current candidates (evenly spaced over the
   bands, so no random number is drawn) gives two pivots bracketing the
   target rank, as in Floyd & Rivest's SELECT;
2. for each pivot the number of Walsh averages below it is counted row by
   row: a vectorised ``searchsorted`` guess, then an exact check of each
   row's boundary on the very same floating-point values ``(d_i + d_j) / 2``
   (a vectorised binary search repairs the rare rows where rounding misled
   the guess), so ties and rounding are handled exactly;
3. the bands shrink to the candidates between the pivots; once at most
   ``max(4n, 65536)`` candidates remain they are materialised and the answer
   is taken by ``numpy.partition``.

The value returned is bit-for-bit the element that ``numpy.sort`` of all the
Walsh averages (computed as ``(d[i] + d[i:]) / 2.0``) holds at that rank.

References: Johnson D.B., Mizoguchi T. (1978) Selecting the Kth element in
X + Y and X1 + X2 + ... + Xm. SIAM J. Comput. 7:147-153.  Monahan J.F. (1984)
Algorithm 616: fast computation of the Hodges-Lehmann location estimator.
ACM Trans. Math. Softw. 10:265-270.  Floyd R.W., Rivest R.L. (1975) Expected
time bounds for selection. Commun. ACM 18:165-172.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

#: Candidates materialised at once at the end of the search (times n, at least 65,536).
_MATERIALISE_PER_ROW = 4
_MATERIALISE_MIN = 65_536
#: Size of the systematic sample that places the two pivots of a round.
_SAMPLE_SIZE = 16_384


def walsh_count(d_sorted: np.ndarray) -> int:
    """Number of Walsh averages of n values, n(n+1)/2."""
    n = int(d_sorted.size)
    return n * (n + 1) // 2


def _row_positions(d: np.ndarray, low: np.ndarray, high: np.ndarray, t: float, strict: bool) -> np.ndarray:
    """Per row i, the first column j in [low_i, high_i] with w_ij > t (``>= t`` if strict).

    Columns before ``low_i`` must hold values below ``t`` (<= t if not strict)
    and columns from ``high_i`` on values above it; within the band the row is
    sorted, so the position is unique.  Exact on the computed values.
    """
    n = d.size
    side: Literal["left", "right"] = "left" if strict else "right"
    with np.errstate(over="ignore", invalid="ignore"):
        guess = np.searchsorted(d, 2.0 * t - d, side=side)
    pos = np.minimum(np.maximum(guess, low), high)
    # exact check of both neighbours of each guessed boundary
    left_ok = np.ones(n, dtype=bool)
    has_left = pos > low
    idx = np.nonzero(has_left)[0]
    if idx.size:
        w = (d[idx] + d[pos[idx] - 1]) / 2.0
        left_ok[idx] = (w < t) if strict else (w <= t)
    right_ok = np.ones(n, dtype=bool)
    has_right = pos < high
    idx = np.nonzero(has_right)[0]
    if idx.size:
        w = (d[idx] + d[pos[idx]]) / 2.0
        right_ok[idx] = ~((w < t) if strict else (w <= t))
    bad = np.nonzero(~(left_ok & right_ok))[0]
    if bad.size:
        # vectorised binary search on the rows the guess got wrong, within their band
        lo = np.where(left_ok[bad], pos[bad], low[bad])
        hi = np.where(right_ok[bad], pos[bad], high[bad])
        rows = bad
        di = d[rows]
        while rows.size:
            open_ = lo < hi
            if not open_.all():
                pos[rows[~open_]] = lo[~open_]
                rows, lo, hi, di = rows[open_], lo[open_], hi[open_], di[open_]
                if not rows.size:
                    break
            mid = (lo + hi) >> 1
            w = (di + d[mid]) / 2.0
            below = (w < t) if strict else (w <= t)
            lo = np.where(below, mid + 1, lo)
            hi = np.where(below, hi, mid)
    return pos


def _materialise(d: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The Walsh averages of the bands [low_i, high_i), row by row."""
    widths = high - low
    rows = np.nonzero(widths)[0]
    widths = widths[rows]
    total = int(widths.sum())
    row_of = np.repeat(rows, widths)
    starts = np.cumsum(widths) - widths
    col = np.arange(total, dtype=np.int64) - np.repeat(starts - low[rows], widths)
    return (d[row_of] + d[col]) / 2.0


def _sample(d: np.ndarray, low: np.ndarray, high: np.ndarray, size: int) -> np.ndarray:
    """Values of ``size`` candidates evenly spaced over the bands (row-major order)."""
    widths = high - low
    cum = np.cumsum(widths)
    total = int(cum[-1])
    m = np.arange(size, dtype=np.int64)
    flat = ((2 * m + 1) * total) // (2 * size)
    row = np.searchsorted(cum, flat, side="right")
    col = low[row] + flat - (cum[row] - widths[row])
    return (d[row] + d[col]) / 2.0


def walsh_order_statistic(d_sorted: np.ndarray, rank: int) -> float:
    """The ``rank``-th smallest (1-based) Walsh average of the sorted values ``d_sorted``.

    Equal to ``np.sort(W)[rank - 1]`` with ``W`` all ``(d[i] + d[j]) / 2.0``,
    ``i <= j``, in O(n log n) expected time and O(n) memory.
    """
    d = np.asarray(d_sorted, dtype=float)
    n = int(d.size)
    total = walsh_count(d)
    if not 1 <= rank <= total:
        raise ValueError(f"rank must lie in 1..{total}, got {rank}")
    low = np.arange(n, dtype=np.int64)  # columns before low_i: known to be below the answer
    high = np.full(n, n, dtype=np.int64)  # columns from high_i on: known to be above it
    below = 0  # number of Walsh averages known to be below the answer
    threshold = max(_MATERIALISE_PER_ROW * n, _MATERIALISE_MIN)
    while True:
        candidates = int((high - low).sum())
        target = rank - below  # rank of the answer among the candidates (1-based)
        if candidates <= threshold:
            values = _materialise(d, low, high)
            return float(np.partition(values, target - 1)[target - 1])
        size = min(_SAMPLE_SIZE, candidates)
        sample = _sample(d, low, high, size)
        centre = (target - 0.5) / candidates * size
        gap = 2.0 * np.sqrt(size) + 1.0
        r1 = int(min(size - 1, max(0, np.floor(centre - gap))))
        r2 = int(min(size - 1, max(0, np.ceil(centre + gap))))
        part = np.partition(sample, [r1, r2])
        for pivot in dict.fromkeys((float(part[r1]), float(part[r2]))):
            # every pivot is a candidate value: known-below < pivot < known-above
            lt = _row_positions(d, low, high, pivot, strict=True)
            n_lt = below + int((lt - low).sum())
            if n_lt >= rank:  # the answer is below the pivot
                high = lt
                break
            le = _row_positions(d, lt, high, pivot, strict=False)
            n_le = below + int((le - low).sum())
            if n_le >= rank:  # the answer equals the pivot
                return pivot
            below = n_le  # the answer is above the pivot
            low = le


def walsh_order_statistics(d_sorted: np.ndarray, ranks: list[int]) -> list[float]:
    """Several order statistics at once (1-based ranks): one partition when N is small."""
    d = np.asarray(d_sorted, dtype=float)
    n = int(d.size)
    total = walsh_count(d)
    for rank in ranks:
        if not 1 <= rank <= total:
            raise ValueError(f"rank must lie in 1..{total}, got {rank}")
    if total <= max(_MATERIALISE_PER_ROW * n, _MATERIALISE_MIN):
        values = _materialise(d, np.arange(n, dtype=np.int64), np.full(n, n, dtype=np.int64))
        part = np.partition(values, sorted({r - 1 for r in ranks}))
        return [float(part[r - 1]) for r in ranks]
    return [walsh_order_statistic(d, r) for r in ranks]
