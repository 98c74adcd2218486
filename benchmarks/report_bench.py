"""Benchmark of one session's report, measured in one run.

Prints the time of ``fac-eval run 2022`` against the floor: the same pipeline (CLI start,
validation, cleaning, papermill, nbconvert, leak scan, atomic swap) on a notebook that only
imports pandas, scipy and seaborn. Target ratio: at most 1.5. Then the time of ``fac-eval batch``
on 8 sessions against running them one after another; target speed-up: at least 1.6 on 2 cores.

Outputs go to a temporary folder (FAC_EVAL_REPORTS / FAC_EVAL_PROCESSED), never to reports/.

    python benchmarks/report_bench.py [--repeat 3] [--sessions 8]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).with_name("fac-eval"))


def floor_notebook(path: Path) -> Path:
    nb = new_notebook(cells=[
        new_code_cell('session: str = "2022"\nlang: str = "fr"\nalpha: float = 0.05\n'
                      'min_cell: int = 3\nconfidence: float = 0.95\nraw_dir: str = "../data/raw"',
                      metadata={"tags": ["parameters"]}),
        new_code_cell("import pandas\nimport scipy.stats\nimport seaborn"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


def timed(cmd: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   cwd=ROOT)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of each command (best is kept)")
    ap.add_argument("--sessions", type=int, default=8, help="sessions in the batch comparison")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="fac-bench-"))
    env = dict(os.environ, FAC_EVAL_REPORTS=str(tmp / "reports"),
               FAC_EVAL_PROCESSED=str(tmp / "processed"))
    floor_nb = floor_notebook(ROOT / "notebooks" / ".bench_floor.ipynb")
    try:
        report, floor = [], []
        for _ in range(args.repeat):  # interleaved so that both see the same machine state
            floor.append(timed([CLI, "run", "2022", "--notebook", str(floor_nb)], env))
            report.append(timed([CLI, "run", "2022"], env))
        ratio = min(report) / min(floor)
        print(f"One session (best of {args.repeat} runs)")
        print(f"  floor (import-only notebook)  {min(floor):6.2f} s")
        print(f"  fac-eval run 2022             {min(report):6.2f} s")
        print(f"  ratio                         {ratio:6.2f}   (target <= 1.5: "
              f"{'met' if ratio <= 1.5 else 'NOT met'})")

        # batch of N sessions: copies of the shipped sessions under a temporary raw folder
        raw = tmp / "raw"
        sources = [p for p in (ROOT / "data" / "raw").iterdir() if (p / "session.yml").exists()]
        names = []
        for i in range(args.sessions):
            src = sources[i % len(sources)]
            name = f"bench-{i:02d}-{src.name}"
            shutil.copytree(src, raw / name)
            names.append(name)
        benv = dict(env, FAC_EVAL_RAW=str(raw))
        t_seq = timed([CLI, "batch", *names, "--jobs", "1", "--quiet"], benv)
        t_par = timed([CLI, "batch", *names, "--jobs", str(os.cpu_count() or 2), "--quiet"], benv)
        speedup = t_seq / t_par
        print(f"Batch of {args.sessions} sessions")
        print(f"  one after another (--jobs 1)  {t_seq:6.2f} s  ({t_seq / args.sessions:.2f} s/session)")
        print(f"  parallel (--jobs {os.cpu_count()})          {t_par:6.2f} s  "
              f"({t_par / args.sessions:.2f} s/session)")
        print(f"  speed-up                      {speedup:6.2f}   (target >= 1.6: "
              f"{'met' if speedup >= 1.6 else 'NOT met'})")
    finally:
        floor_nb.unlink(missing_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
