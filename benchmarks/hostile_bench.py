"""Benchmark of hostile-file refusals (not a test): time and peak memory of ``fac-eval validate``.

Run from the project root:

    .venv/bin/python benchmarks/hostile_bench.py

Everything is measured in this one run, in a temporary project folder (removed at the end), so
the repository's ``data/`` is never touched. ``fac-eval validate synth-2024`` is first timed on
the untouched session (the reference: interpreter start-up, imports, reading the other files);
then each hostile file of ``tests/hostile_files.py`` (51 MB CSV, 250,000-row CSV, XLSX zip bomb,
2.7 million cells, a cell in XFD1048576, a lying zip directory, XML entities, YAML aliases,
100,000 nested brackets, a 3 MB session.yml, a 1 MB testimony) is put in a fresh copy of the
session and ``fac-eval validate`` is run in a subprocess. The table gives the exit code, the wall
time, its excess over the reference (the target is under 5 s), and the child's own peak resident
memory (``ru_maxrss`` from ``os.wait4``; the target is under 500 MB).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import hostile_files as hf  # noqa: E402
from guarantees_support import Project  # noqa: E402

S = "synth-2024"


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="fac-eval-hostile-"))
    try:
        ref_project = Project(tmp / "reference", sessions=(S, "2022"))
        ref = {s: ref_project.cli("validate", s) for s in (S, "2022")}
        print(f"reference: validate {S} {ref[S].seconds:.2f} s, {ref[S].max_rss_mb:.0f} MB; "
              f"validate 2022 {ref['2022'].seconds:.2f} s")
        print(f"{'hostile file':<24} {'exit':>4} {'seconds':>8} {'excess s':>9} {'ratio':>6} "
              f"{'peak MB':>8}  verdict")
        builders = dict(hf.BUILDERS)
        builders["claims_laughs"] = hf.claims_laughs
        worst = 0.0
        for name, build in builders.items():
            session = "2022" if name == "claims_laughs" else S
            p = Project(tmp / name, sessions=(session,))
            fragments = build(p.session(session))
            r = p.cli("validate", session)
            base = ref[session].seconds
            excess = r.seconds - base
            ok = (r.code == 1 and all(f in r.text for f in fragments) and excess < 5
                  and r.max_rss_mb < 500 and "Traceback" not in r.text)
            worst = max(worst, excess)
            print(f"{name:<24} {r.code:>4} {r.seconds:>8.2f} {excess:>9.2f} {r.seconds / base:>6.2f} "
                  f"{r.max_rss_mb:>8.0f}  {'ok' if ok else 'FAILED'}")
            shutil.rmtree(tmp / name, ignore_errors=True)
        print(f"largest excess over the reference: {worst:.2f} s (target < 5 s)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
