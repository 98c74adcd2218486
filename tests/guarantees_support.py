"""Support for the adversarial suites (tests/test_guarantees_*.py): a temporary project whose
``FAC_EVAL_RAW`` / ``FAC_EVAL_PROCESSED`` / ``FAC_EVAL_REPORTS`` point into ``tmp_path`` (the
repository's data are never touched), the CLI run as a user runs it (a subprocess, with its time
and peak memory), and workbooks written with openpyxl."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"


# ``python -c`` program: run ``fac-eval`` as ``python -m fac_eval.run.cli`` does, and write the
# process's peak resident memory (VmHWM, kB) to the file named by the first argument as it exits
# (``sys.exit`` included; a killed child writes nothing).
_CLI_WITH_PEAK = """
import atexit, runpy, sys
_peak_file = sys.argv.pop(1)
def _write_peak():
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmHWM:'):
                with open(_peak_file, 'w') as out:
                    out.write(line.split()[1])
atexit.register(_write_peak)
sys.argv[0] = 'fac-eval'
runpy.run_module('fac_eval.run.cli', run_name='__main__', alter_sys=True)
"""


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    max_rss_mb: float
    cpu_seconds: float = 0.0  # user + system CPU time of the child: what the load does not change

    @property
    def text(self) -> str:
        return self.out + self.err


class Project:
    """``tmp/raw``, ``tmp/processed``, ``tmp/reports`` with copies of shipped sessions."""

    def __init__(self, root: Path, sessions=("synth-2024",)):
        self.root = Path(root)
        self.raw = self.root / "raw"
        self.processed = self.root / "processed"
        self.reports = self.root / "reports"
        self.raw.mkdir(parents=True, exist_ok=True)
        for s in sessions:
            shutil.copytree(RAW / s, self.raw / s)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(FAC_EVAL_RAW=str(self.raw), FAC_EVAL_PROCESSED=str(self.processed),
                   FAC_EVAL_REPORTS=str(self.reports))
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        return env

    def session(self, name: str = "synth-2024") -> Path:
        return self.raw / name

    def cli(self, *args: str, timeout: float = 300) -> Run:
        """``fac-eval ARGS`` in a subprocess; its wall time, its CPU time and its own peak
        resident memory.

        The peak is the CLI process's ``VmHWM`` (``/proc/self/status``, read by the child as it
        exits): the high-water mark of its own address space since ``exec``. ``ru_maxrss`` from
        ``os.wait4`` is not that: Linux starts a child's ``maxrss`` at the parent's peak when the
        child is spawned by ``vfork`` (as ``subprocess`` does), so a pytest worker that once held
        550 MB made every refusal measured after it look 550 MB large."""
        out_path = self.root / ".stdout"
        err_path = self.root / ".stderr"
        hwm_path = self.root / ".vmhwm"
        hwm_path.unlink(missing_ok=True)
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            t0 = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-c", _CLI_WITH_PEAK, str(hwm_path), *args],
                                    stdout=out, stderr=err, env=self.env(), cwd=self.root)
            deadline = t0 + timeout
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:  # pragma: no cover - a hang is a failure
                    proc.kill()
                    pid, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.02)
            seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        try:
            rss_kb = float(hwm_path.read_text())
        except (OSError, ValueError):  # killed before it could write: the kernel's (upper) bound
            rss_kb = usage.ru_maxrss  # kilobytes on Linux
        return Run(proc.returncode, out_path.read_text("utf-8", "replace"),
                   err_path.read_text("utf-8", "replace"), seconds, rss_kb / 1024,
                   usage.ru_utime + usage.ru_stime)

    def outputs_written(self, session: str = "synth-2024") -> list[Path]:
        """Anything written to the processed or reports folders of ``session``."""
        found = []
        for base in (self.processed, self.reports):
            if base.exists():
                found += [p for p in base.rglob("*") if session in p.parts]
        return found


def read_csv_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))


def write_csv_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def csv_to_xlsx(csv_path: Path, xlsx_path: Path | None = None, sheet: str = "Données"):
    """Replace a session's CSV file by an XLSX workbook with the same cells (as text, numbers
    kept as numbers); returns ``(workbook, worksheet, path)`` for the test to sabotage, then
    ``wb.save(path)``."""
    import openpyxl

    rows = read_csv_rows(csv_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append([_typed(v) for v in r])
    path = xlsx_path or csv_path.with_suffix(".xlsx")
    csv_path.unlink()
    wb.save(path)
    return wb, ws, path


def _typed(v: str):
    try:
        return int(v)
    except ValueError:
        return v


def assert_clean_refusal(run: Run, *fragments: str, code: int = 1) -> None:
    """Exit code 1, every fragment in the output, no traceback."""
    assert run.code == code, run.text
    assert "Traceback" not in run.text, run.text
    for f in fragments:
        assert f in run.text, f"{f!r} not in:\n{run.text}"
