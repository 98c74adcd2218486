"""Benchmark of batch runs (not a test): local pool and Dask cluster against one session.

Run from the project root:

    .venv/bin/python benchmarks/batch_bench.py                 # 50 sessions, full size search
    .venv/bin/python benchmarks/batch_bench.py --sessions 6 --quick

Everything is measured in this one run, in a temporary project folder (removed at the end unless
``--keep``), so the repository's ``data/`` and ``reports/`` are never touched:

1. ``--sessions`` synthetic sessions of 12 learners and 5 founders (with follow-up) are written
   with :func:`fac_eval.data.synth.make_session` (seeds 1, 2, ...);
2. one session is rendered alone in this process, twice: "cold" (first run: imports, font
   cache) and "warm" -- the reference time of a single session;
3. all sessions are rendered as a user runs them, by the command ``fac-eval batch --jobs 1``
   and then ``--jobs`` ``--workers``, each a new process that pays its own start-up once (the
   batch speed-up: target at least 1.6 on two cores); then by the local pool
   (:func:`fac_eval.run.batch.run_local`) called in this already warm process, with one worker
   (no start-up left to pay) and with ``--workers`` fresh worker processes (each pays its
   start-up: this in-process ratio is printed for information, it favours the single worker);
   and then as tasks on a ``dask.distributed.LocalCluster`` of ``--workers`` worker
   processes with one thread each (:func:`fac_eval.run.batch.run_dask`); the cluster's start-up is
   timed separately;
4. the largest synthetic session (number of learners, 5 founders) whose report still renders in
   under ``--limit`` seconds (30) is searched for by doubling the number of learners from 12, then
   bisecting between the last size under the limit and the first one over it.

The table gives wall times, the time per session (wall time / sessions) and its ratio to the
warm single-session time: with 2 workers on 2 cores the ideal ratio is 0.5.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    from fac_eval.data import synth
    from fac_eval.run import batch
except ImportError:  # running the script directly: put the project root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from fac_eval.data import synth
    from fac_eval.run import batch

REPO = Path(__file__).resolve().parents[1]
SPEEDUP_TARGET = 1.6


def make_project(base: Path) -> Path:
    root = base / "project"
    (root / "data" / "raw").mkdir(parents=True)
    (root / "notebooks").symlink_to(REPO / "notebooks", target_is_directory=True)
    return root


def write_session(root: Path, name: str, learners: int, founders: int, seed: int) -> None:
    tables, meta = synth.make_session(name, learners, founders, seed, followup=True)
    synth.write_session(root / "data" / "raw" / name, tables, meta)


def render_one(root: Path, name: str) -> float:
    """Wall time of one report rendered in this process (raises if it failed)."""
    from fac_eval.run.pipeline import Paths, run_session

    t0 = time.perf_counter()
    run_session(name, paths=Paths(root))
    return time.perf_counter() - t0


def run_command(root: Path, names: list[str], jobs: int) -> float:
    """Wall time of ``fac-eval batch NAMES --jobs JOBS`` in a new process (raises if it failed)."""
    cmd = [sys.executable, "-m", "fac_eval.run.cli", "batch", *names, "--jobs", str(jobs),
           "--shared-dir", str(root), "--quiet"]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        print(f"!! fac-eval batch --jobs {jobs} exited {done.returncode}: "
              f"{(done.stderr or done.stdout).strip()[-500:]}", flush=True)
    return wall


def check(outcomes, label: str) -> None:
    failed = [o for o in outcomes if not o.ok]
    if failed:
        print(f"!! {label}: {len(failed)} session(s) failed, first: {failed[0].session}: "
              f"{failed[0].message.splitlines()[0] if failed[0].message else ''}", flush=True)


def largest_under(root: Path, limit: float, start: int, cap: int, bisect_steps: int,
                  founders: int) -> list[tuple[int, float]]:
    """(learners, seconds) of every size tried, doubling then bisecting."""
    tried: list[tuple[int, float]] = []

    def attempt(n: int) -> float:
        name = f"size-{n:06d}"
        write_session(root, name, n, founders, seed=n)
        secs = render_one(root, name)
        tried.append((n, secs))
        print(f"   {n:>7,} learners: {secs:6.1f} s", flush=True)
        shutil.rmtree(root / "reports" / name, ignore_errors=True)
        shutil.rmtree(root / "data" / "processed" / name, ignore_errors=True)
        shutil.rmtree(root / "data" / "raw" / name, ignore_errors=True)
        return secs

    n, good, bad = start, None, None
    while n <= cap:
        if attempt(n) < limit:
            good, n = n, n * 2
        else:
            bad = n
            break
    if good is None or bad is None:
        return tried
    for _ in range(bisect_steps):
        if bad - good <= max(1, good // 20):
            break
        mid = (good + bad) // 2
        if attempt(mid) < limit:
            good = mid
        else:
            bad = mid
    return tried


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=50, help="number of sessions (default 50)")
    ap.add_argument("--learners", type=int, default=12, help="learners per session (12)")
    ap.add_argument("--founders", type=int, default=5, help="founders per session (5)")
    ap.add_argument("--workers", type=int, default=2, help="local and Dask workers (2)")
    ap.add_argument("--limit", type=float, default=30.0, help="time limit of the size search (30 s)")
    ap.add_argument("--max-learners", type=int, default=None,
                    help="largest size tried (default 25,600; 800 with --quick)")
    ap.add_argument("--quick", action="store_true",
                    help="smaller size search (at most 800 learners, 2 bisection steps)")
    ap.add_argument("--no-size", action="store_true", help="skip the largest-session search")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask cluster run")
    ap.add_argument("--keep", action="store_true", help="keep the temporary project folder")
    a = ap.parse_args(argv)
    for var in ("FAC_EVAL_RAW", "FAC_EVAL_PROCESSED", "FAC_EVAL_REPORTS"):
        os.environ.pop(var, None)  # everything goes to the temporary project

    base = Path(tempfile.mkdtemp(prefix="fac_batch_bench."))
    root = make_project(base)
    names = [f"bench-{i:03d}" for i in range(1, a.sessions + 1)]
    rows: list[tuple[str, int, float, float | None]] = []
    extra: list[str] = []
    try:
        print(f"fac-eval batch benchmark: {a.sessions} synthetic sessions of {a.learners} "
              f"learners and {a.founders} founders; {a.workers} workers; "
              f"{os.cpu_count()} cores; Python {platform.python_version()}", flush=True)
        print(f"project folder: {root}", flush=True)
        t0 = time.perf_counter()
        for i, name in enumerate(names, start=1):
            write_session(root, name, a.learners, a.founders, seed=i)
        print(f"-- sessions written in {time.perf_counter() - t0:.1f} s", flush=True)

        print("-- single session (in this process)", flush=True)
        cold = render_one(root, names[0])
        warm = render_one(root, names[0])
        rows.append(("single session, cold (1st run)", 1, cold, cold))
        rows.append(("single session, warm", 1, warm, warm))

        print("-- fac-eval batch --jobs 1, a new process", flush=True)
        cli_one = run_command(root, names, 1)
        rows.append(("fac-eval batch --jobs 1", len(names), cli_one, cli_one / len(names)))
        print(f"-- fac-eval batch --jobs {a.workers}, a new process", flush=True)
        cli_wall = run_command(root, names, a.workers)
        rows.append((f"fac-eval batch --jobs {a.workers}", len(names), cli_wall,
                     cli_wall / len(names)))
        speedup = cli_one / cli_wall
        extra.append(f"Batch speed-up, fac-eval batch --jobs {a.workers} against --jobs 1 "
                     f"({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}): "
                     f"{speedup:.2f} (target >= {SPEEDUP_TARGET}: "
                     f"{'met' if speedup >= SPEEDUP_TARGET else 'NOT met'})")

        print("-- local pool in this process, 1 worker (one session after another)", flush=True)
        t0 = time.perf_counter()
        outcomes = batch.run_local(names, jobs=1, root=str(root), progress=False)
        one = time.perf_counter() - t0
        check(outcomes, "local, 1 worker")
        rows.append(("local pool, 1 worker", len(names), one, one / len(names)))

        print(f"-- local pool, {a.workers} workers", flush=True)
        t0 = time.perf_counter()
        outcomes = batch.run_local(names, jobs=a.workers, root=str(root), progress=False)
        wall = time.perf_counter() - t0
        check(outcomes, "local")
        rows.append((f"local pool, {a.workers} workers", len(names), wall, wall / len(names)))
        extra.append(f"In this warm process, {a.workers} fresh workers against 1 (for "
                     f"information, favours the warm single worker): {one / wall:.2f}")

        if not a.no_dask:
            from distributed import LocalCluster

            print(f"-- Dask LocalCluster, {a.workers} worker processes x 1 thread", flush=True)
            t0 = time.perf_counter()
            with LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster:
                from distributed import Client

                with Client(cluster) as client:
                    client.wait_for_workers(a.workers)
                    start = time.perf_counter() - t0
                    t1 = time.perf_counter()
                    outcomes = batch.run_dask(names, client, root=str(root), progress=False)
                    wall = time.perf_counter() - t1
            check(outcomes, "dask")
            rows.append((f"Dask LocalCluster, {a.workers} workers", len(names), wall,
                         wall / len(names)))
            extra.append(f"Dask cluster start-up (not included above): {start:.1f} s")

        size_line = ""
        if not a.no_size:
            cap = a.max_learners or (800 if a.quick else 25_600)
            print(f"-- largest session rendered in under {a.limit:g} s (doubling from "
                  f"{a.learners} learners, at most {cap:,})", flush=True)
            tried = largest_under(root, a.limit, a.learners, cap, 2 if a.quick else 4, a.founders)
            ok = [(n, s) for n, s in tried if s < a.limit]
            over = [(n, s) for n, s in tried if s >= a.limit]
            if ok:
                n, s = max(ok)
                size_line = f"Largest session rendered in under {a.limit:g} s: {n:,} learners ({s:.1f} s)"
                if over:
                    n2, s2 = min(over)
                    size_line += f"; {n2:,} learners took {s2:.1f} s"
                else:
                    size_line += f" -- every size tried passed (cap {cap:,}: use --max-learners)"
            else:
                size_line = f"Even {tried[0][0]:,} learners took {tried[0][1]:.1f} s"

        print()
        head = f"{'run':<34} {'sessions':>8} {'wall (s)':>9} {'per session (s)':>16} {'vs single':>10}"
        print(head)
        print("-" * len(head))
        for label, n, wall, per in rows:
            ratio = f"{per / warm:.2f}" if per is not None else ""
            print(f"{label:<34} {n:>8} {wall:>9.1f} {per:>16.2f} {ratio:>10}")
        print("-" * len(head))
        print("vs single: time per session / warm single-session time (ideal with "
              f"{a.workers} workers: {1 / a.workers:.2f})")
        for line in extra:
            print(line)
        if size_line:
            print(size_line)
    finally:
        if a.keep:
            print(f"(kept {base})")
        else:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
