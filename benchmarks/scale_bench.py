"""Cost that grows slowly with the work, measured in one run (not a test).

1. Hodges-Lehmann (estimate and exact interval) on 200,000 differences: seconds, target 5 s.
2. ``fac-eval run`` of a 20,000-learner synthetic session (:func:`fac_eval.data.synth.make_session`) against
   ``fac-eval run 2022``, one after the other in this run: both times, their ratio (target: at
   most 4) and the peak memory of the large run (``ru_maxrss`` of its child processes: the CLI
   and the Jupyter kernel; target: under 2 GB).

Everything is written to a temporary folder (FAC_EVAL_RAW / FAC_EVAL_REPORTS /
FAC_EVAL_PROCESSED), never to data/ or reports/.

    python benchmarks/scale_bench.py [--learners 20000] [--founders 2000] [--seed 11]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).with_name("fac-eval"))
HL_N = 200_000
HL_TARGET = 5.0
RATIO_TARGET = 4.0
MEMORY_TARGET_MB = 2048


def bench_hl() -> bool:
    sys.path.insert(0, str(ROOT))
    from fac_eval.analysis import stats

    d = np.random.default_rng(20240601).normal(size=HL_N)
    start = time.perf_counter()
    res = stats.hodges_lehmann(d)
    elapsed = time.perf_counter() - start
    ok = elapsed < HL_TARGET
    print(f"Hodges-Lehmann, {HL_N:,} differences: {elapsed:.2f} s (target {HL_TARGET:.0f} s, "
          f"ratio {elapsed / HL_TARGET:.2f}) estimate {res.estimate:.5f} "
          f"[{res.ci_low:.5f}, {res.ci_high:.5f}]")
    return ok


def run_child(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, peak resident memory in MB of the largest descendant) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode:  # say why, instead of a bare CalledProcessError
        print(f"{' '.join(cmd[-2:])} failed (exit {done.returncode}):\n"
              + "\n".join(done.stderr.strip().splitlines()[-12:]), flush=True)
        raise SystemExit(1)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of the children is the largest of any waited-for descendant so far (KB on Linux)
    return elapsed, max(after, before) / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--learners", type=int, default=20_000)
    ap.add_argument("--founders", type=int, default=2_000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--skip-hl", action="store_true")
    args = ap.parse_args()

    ok = True if args.skip_hl else bench_hl()
    tmp = Path(tempfile.mkdtemp(prefix="fac-scale-"))
    env = dict(os.environ, FAC_EVAL_RAW=str(tmp / "raw"), FAC_EVAL_REPORTS=str(tmp / "reports"),
               FAC_EVAL_PROCESSED=str(tmp / "processed"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    try:
        (tmp / "raw").mkdir()
        shutil.copytree(ROOT / "data" / "raw" / "2022", tmp / "raw" / "2022")
        big = f"synth-{args.learners}"
        # the synth command stops at 1,000 learners (entry-sized sessions): the library has none
        sys.path.insert(0, str(ROOT))
        from fac_eval.data import synth

        tables, meta = synth.make_session(big, args.learners, args.founders, args.seed,
                                          followup=True)
        # the budget scales with the learners, past what session.yml accepts (100,000,000):
        # scaled down, in the same proportions (the cost per learner is not what is measured)
        budget = meta.get("budget") or {}
        if budget.get("total", 0) > 100_000_000:
            factor = 100_000_000 / budget["total"]
            budget["total"] = 100_000_000
            for funder in budget.get("funders", []):
                funder["amount"] = int(funder["amount"] * factor)
        synth.write_session(tmp / "raw" / big, tables, meta)
        # the small run first: the children's ru_maxrss then only grows with the large run
        t_small, mem_small = run_child([CLI, "run", "2022"], env)
        t_big, mem_big = run_child([CLI, "run", big], env)
        ratio = t_big / t_small
        ok &= ratio <= RATIO_TARGET and mem_big < MEMORY_TARGET_MB
        print(f"fac-eval run 2022 (8 learners): {t_small:.1f} s, peak {mem_small:.0f} MB")
        print(f"fac-eval run {big} ({args.learners:,} learners, {args.founders:,} founders): "
              f"{t_big:.1f} s, peak {mem_big:.0f} MB (target < {MEMORY_TARGET_MB} MB)")
        print(f"ratio large / 2022: {ratio:.2f} (target <= {RATIO_TARGET:.0f})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("all targets met" if ok else "SOME TARGETS MISSED")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
