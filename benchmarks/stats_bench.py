"""Benchmark of fac_eval.analysis.stats.signed_rank_test and hodges_lehmann (not a test).

Run from the project root:

    .venv/bin/python benchmarks/stats_bench.py

Integer differences are drawn once with a fixed seed from -3..3 (many ties
and zeros), then the best wall time of a few repetitions (time.perf_counter)
is reported for n = 30, 300 and 3,000 with the target, the measured/target
ratio and the computation used (exact engine or normal approximation).

Hodges-Lehmann (estimate and exact interval by selection over the Walsh
averages) is then timed on 200,000 differences (continuous, and tied
integers), target 5 s, with the peak memory its arrays take (tracemalloc, in a second run):
materialising the 2 x 10^10 Walsh averages would need 160 GB.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

try:
    from fac_eval.analysis import stats
except ImportError:  # running the script directly: put the project root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from fac_eval.analysis import stats

SEED = 20240601
CASES = [  # (n, target in seconds or None, repetitions)
    (30, 0.005, 50),
    (300, None, 10),
    (3000, 2.0, 3),
]


def best_time(diffs: np.ndarray, repeats: int) -> tuple[float, stats.SignedRankResult]:
    result = stats.signed_rank_test(diffs)  # warm-up (imports, caches)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = stats.signed_rank_test(diffs)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    rng = np.random.default_rng(SEED)
    print(f"signed_rank_test, differences drawn from -3..3 (seed {SEED}), best of k runs")
    header = f"{'n':>6} {'k':>3} {'best (ms)':>11} {'target (ms)':>12} {'ratio':>7}  {'p-value':>10}  method"
    print(header)
    print("-" * len(header))
    all_ok = True
    for n, target, repeats in CASES:
        diffs = rng.integers(-3, 4, size=n).astype(float)
        elapsed, res = best_time(diffs, repeats)
        if target is None:
            target_txt, ratio_txt = "-", "-"
        else:
            ratio = elapsed / target
            all_ok &= ratio < 1.0
            target_txt, ratio_txt = f"{target * 1e3:.0f}", f"{ratio:.3f}"
        kind = "exact" if res.exact else "APPROXIMATION"
        print(
            f"{n:>6} {repeats:>3} {elapsed * 1e3:>11.3f} {target_txt:>12} {ratio_txt:>7}  "
            f"{res.pvalue:>10.4g}  {kind}: {res.method}"
        )
    all_ok &= bench_hodges_lehmann(rng)
    print("all targets met" if all_ok else "SOME TARGETS MISSED")
    return 0


HL_N = 200_000
HL_TARGET = 5.0


def bench_hodges_lehmann(rng: np.random.Generator) -> bool:
    print()
    print(f"hodges_lehmann on {HL_N:,} differences (one run each, target {HL_TARGET:.0f} s)")
    header = f"{'data':>22} {'seconds':>9} {'ratio':>7} {'peak MB':>9}  estimate [interval]"
    print(header)
    print("-" * len(header))
    ok = True
    for label, diffs in (
        ("normal(0, 1)", rng.normal(size=HL_N)),
        ("integers -3..3 (ties)", rng.integers(-3, 4, size=HL_N).astype(float)),
    ):
        start = time.perf_counter()
        res = stats.hodges_lehmann(diffs)
        elapsed = time.perf_counter() - start
        tracemalloc.start()  # a second run for the memory (tracing slows the code down)
        stats.hodges_lehmann(diffs)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        ok &= elapsed < HL_TARGET
        print(
            f"{label:>22} {elapsed:>9.3f} {elapsed / HL_TARGET:>7.3f} {peak / 2**20:>9.1f}  "
            f"{res.estimate:.6g} [{res.ci_low:.6g}, {res.ci_high:.6g}]"
        )
    print(f"HL at {HL_N:,} differences: " + ("under target" if ok else "TARGET MISSED"))
    return ok


if __name__ == "__main__":
    raise SystemExit(main())
