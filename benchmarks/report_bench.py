"""Benchmark of one session's report against the toolchain's own cost, measured in one run.

Prints, side by side (interleaved runs, best of ``--repeat``):

- the bare floor: a plain Python process that runs papermill's ``execute_notebook`` and
  nbconvert's ``HTMLExporter`` on an import-only notebook (``import pandas``, ``scipy.stats``,
  ``seaborn``): what any notebook report costs with this toolchain;
- ``fac-eval run 2022`` (validation, cleaning, computation, papermill, nbconvert with the report
  template, Excel export, leak scan, atomic swap);
- their ratio (target: at most 1.5), on wall time, and on CPU time (the process and its
  children: the kernel) because the machine may be shared.

Outputs go to a temporary folder (FAC_EVAL_REPORTS / FAC_EVAL_PROCESSED), never to reports/.
The batch speed-up on two cores is :mod:`benchmarks.batch_bench`'s.

    python benchmarks/report_bench.py [--repeat 3]
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

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.5

FLOOR_SCRIPT = """
import sys
import papermill
from nbconvert import HTMLExporter
papermill.execute_notebook(sys.argv[1], sys.argv[2], kernel_name="python3", progress_bar=False)
body, _ = HTMLExporter().from_filename(sys.argv[2])
open(sys.argv[3], "w", encoding="utf-8").write(body)
"""


def floor_notebook(path: Path) -> Path:
    nb = new_notebook(cells=[new_code_cell("import pandas\nimport scipy.stats\nimport seaborn")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its descendants) of one command."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   cwd=ROOT)
    return time.perf_counter() - t0, _children_cpu() - cpu0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of each command (best is kept)")
    ap.add_argument("--session", default="2022")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="fac-bench-"))
    env = dict(os.environ, FAC_EVAL_REPORTS=str(tmp / "reports"),
               FAC_EVAL_PROCESSED=str(tmp / "processed"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    nb = floor_notebook(tmp / "floor.ipynb")
    floor_cmd = [sys.executable, "-c", FLOOR_SCRIPT, str(nb), str(tmp / "floor.out.ipynb"),
                 str(tmp / "floor.html")]
    run_cmd = [sys.executable, "-m", "fac_eval.run.cli", "run", args.session]
    try:
        timed(floor_cmd, env)  # warm-up: file caches, font caches, kernel spec
        timed(run_cmd, env)
        floor, report = [], []
        for _ in range(args.repeat):  # interleaved so that both see the same machine state
            floor.append(timed(floor_cmd, env))
            report.append(timed(run_cmd, env))
        f_wall, r_wall = min(w for w, _ in floor), min(w for w, _ in report)
        f_cpu, r_cpu = min(c for _, c in floor), min(c for _, c in report)
        ratio, cpu_ratio = r_wall / f_wall, r_cpu / f_cpu
        load = os.getloadavg()[0]
        print(f"One session, best of {args.repeat} interleaved runs "
              f"({os.cpu_count()} cores, load average {load:.1f})")
        print(f"  {'':38} {'wall (s)':>9} {'CPU (s)':>9}")
        print(f"  {'bare floor (papermill + HTMLExporter)':38} {f_wall:9.2f} {f_cpu:9.2f}")
        print(f"  {'fac-eval run ' + args.session:38} {r_wall:9.2f} {r_cpu:9.2f}")
        print(f"  {'ratio':38} {ratio:9.2f} {cpu_ratio:9.2f}")
        print(f"  wall ratio {ratio:.2f}: target <= {TARGET}: "
              f"{'met' if ratio <= TARGET else 'NOT met'}")
        print("  every run (wall s): floor " + " ".join(f"{w:.2f}" for w, _ in floor)
              + " | run " + " ".join(f"{w:.2f}" for w, _ in report))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
