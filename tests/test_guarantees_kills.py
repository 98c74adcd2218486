"""Guarantee 1 (issue 10), runs killed with SIGKILL at chosen points and runs at once, with real
processes (the installed ``fac-eval``, the real report notebook).

A run stops at a point through the test hook of :mod:`fac_eval.core.pause`; the test then kills
it (its process group and, at ``notebook``, the kernel that paused) or lets it go on. Checked:

- killed during validation, during the notebook, after the swap's journal: the previous outputs
  are byte-identical; the next run removes what the killed one left and succeeds;
- killed half-way through the swap: the next run completes the interrupted swap (both folders
  are the killed run's, complete), then runs;
- ``clean`` and ``run`` of one session at once are serialised (the second says one is running
  and waits), whichever comes first; both succeed, nothing is left behind;
- a lock left by a killed process (its file and the dead process's id in it) is taken over at
  once: no wait, no deadlock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _guarantees import EXE, REPO, make_project, run_exe, tree

from fac_eval.core import pause
from fac_eval.run import outputs

S = "2022"
WAITING = ("est en cours", "in progress")


def _spawn(proj, *args, env=None) -> subprocess.Popen:
    cmd = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "fac_eval.run.cli"]
    return subprocess.Popen(cmd + [str(a) for a in args],
                            env=dict(os.environ, PYTHONPATH=str(REPO), **proj.env(), **(env or {})),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=proj.root, start_new_session=True)


def _paused(proj, point: str, *args) -> tuple[subprocess.Popen, Path, int]:
    """``fac-eval ARGS`` stopped at ``point``: (the process, its pause file, the pid that
    paused, the CLI's or its kernel's)."""
    flag = proj.root / f"pause-{point}"
    proc = _spawn(proj, *args, env={pause.PAUSE_ENV: point, pause.PAUSE_FILE_ENV: str(flag)})
    deadline = time.time() + 400
    while time.time() < deadline and proc.poll() is None:
        if flag.is_file() and flag.read_text(encoding="utf-8").strip():
            return proc, flag, int(flag.read_text(encoding="utf-8"))
        time.sleep(0.05)
    out, err = proc.communicate(timeout=60)
    raise AssertionError(f"{args} never reached {point!r}: {proc.returncode} {err[-2000:]}")


def _kill(proc: subprocess.Popen, pid: int) -> None:
    """SIGKILL the command's process group and the process that paused (a kernel has its own
    session)."""
    for kill in (lambda: os.killpg(proc.pid, signal.SIGKILL),
                 lambda: os.kill(pid, signal.SIGKILL)):
        try:
            kill()
        except ProcessLookupError:
            pass
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL


def _leftovers(proj) -> list[str]:
    return sorted(p.name for r in (proj.processed, proj.reports) if r.is_dir()
                  for p in r.iterdir() if p.name.startswith(".") and p.name != outputs.LOCK_DIR)


def _outputs(proj) -> dict[str, dict[str, str]]:
    return {"processed": tree(proj.processed / S), "reports": tree(proj.reports / S)}


def _report(proj) -> str:
    return (proj.reports / S / outputs.report_file(S, "fr")).read_text(encoding="utf-8")


@pytest.mark.parametrize("command, point", [
    ("run", "validation"), ("run", "notebook"), ("run", "swap-journal"),
    ("clean", "validation"), ("clean", "swap-journal"),
])
def test_a_killed_run_leaves_the_previous_outputs_and_the_next_run_cleans_up(tmp_path, command,
                                                                            point):
    proj = make_project(tmp_path, sessions=(S,))
    proj.previous_outputs(S)
    before = _outputs(proj)
    proc, flag, pid = _paused(proj, point, command, S)
    if point == "notebook":
        assert pid != proc.pid  # the kernel paused, in the notebook
    _kill(proc, pid)
    assert _outputs(proj) == before  # byte-identical
    assert _leftovers(proj)  # the killed run's staging folders
    journal = proj.processed / outputs.LOCK_DIR / f"{S}.swap.json"
    assert journal.exists() == (point == "swap-journal")
    res = run_exe(proj, command, S, timeout=600)
    assert res.returncode == 0, res.stderr
    assert not any(w in res.stderr for w in WAITING), res.stderr  # the dead run's lock is free
    assert _leftovers(proj) == []
    assert (proj.processed / S / "indicators.csv").read_text(encoding="utf-8") != \
        "previous indicators.csv of 2022\n"
    if command == "run":
        assert "previous" not in _report(proj) and _report(proj).rstrip().endswith("</html>")


def test_a_run_killed_half_way_through_the_swap_is_completed_by_the_next_run(tmp_path):
    """The processed folder swapped in, the report not yet: the next command (a ``clean``,
    which does not touch the report itself) completes the swap from the journal, so both
    folders are the killed run's, the report complete, and nothing is left behind."""
    proj = make_project(tmp_path, sessions=(S,))
    proj.previous_outputs(S)
    proc, flag, pid = _paused(proj, "swap-half", "run", S)
    _kill(proc, pid)
    # the limit the README states: for a moment, new tables beside the old report
    assert "previous" in _report(proj)
    res = run_exe(proj, "clean", S, timeout=600)
    assert res.returncode == 0, res.stderr
    html = _report(proj)
    assert "previous" not in html and html.rstrip().endswith("</html>")
    assert (proj.reports / S / outputs.export_file(S, "fr")).is_file()
    assert _leftovers(proj) == []
    assert not (proj.processed / outputs.LOCK_DIR / f"{S}.swap.json").exists()


@pytest.mark.parametrize("first, second", [("clean", "run"), ("run", "clean")])
def test_clean_and_run_at_once_are_serialised(tmp_path, first, second):
    """The first holds the lock (paused after taking it); the second says a run is in progress
    and waits, and does nothing before the first has finished; both succeed."""
    proj = make_project(tmp_path, sessions=(S,))
    proj.previous_outputs(S)
    before = _outputs(proj)
    a, flag, _ = _paused(proj, "validation", first, S)
    staged = sorted(p for r in (proj.processed, proj.reports, proj.processed / outputs.STAGING_DIR)
                    if r.is_dir() for p in r.iterdir() if p.name.startswith(outputs.TMP))
    assert len(staged) == (2 if first == "run" else 1)
    b = _spawn(proj, second, S)
    time.sleep(15)  # time enough to start and reach the lock, even on a loaded machine
    assert b.poll() is None, "the second command did not wait"
    # nothing of the second meanwhile: the first's staging folders are there (the second's
    # clean-up of leftovers would have removed them), no other
    assert sorted(p for r in (proj.processed, proj.reports, proj.processed / outputs.STAGING_DIR)
                  if r.is_dir() for p in r.iterdir() if p.name.startswith(outputs.TMP)) == staged
    assert _outputs(proj) == before
    flag.unlink()  # the first goes on
    out_a, err_a = a.communicate(timeout=600)
    out_b, err_b = b.communicate(timeout=600)
    assert (a.returncode, b.returncode) == (0, 0), (err_a, err_b)
    assert any(w in err_b for w in WAITING), err_b
    assert not any(w in err_a for w in WAITING), err_a
    assert _leftovers(proj) == []
    assert "previous" not in _report(proj) and _report(proj).rstrip().endswith("</html>")


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path):
    """A run killed while it held the lock: its lock file stays, with its process id; the next
    run takes the lock at once. A lock file naming a process that no longer exists is no lock
    either."""
    proj = make_project(tmp_path, sessions=(S,))
    proc, flag, pid = _paused(proj, "validation", "clean", S)
    lock = proj.processed / outputs.LOCK_DIR / f"{S}.lock"
    assert lock.read_text(encoding="utf-8") == str(proc.pid)
    _kill(proc, pid)
    assert lock.exists()
    t0 = time.time()
    res = run_exe(proj, "clean", S, timeout=300)
    assert res.returncode == 0, res.stderr
    assert not any(w in res.stderr for w in WAITING), res.stderr
    assert time.time() - t0 < 120
    assert lock.read_text(encoding="utf-8") != str(proc.pid)
    lock.write_text("999999999", encoding="utf-8")  # an id no process has
    res = run_exe(proj, "clean", S, timeout=300)
    assert res.returncode == 0 and not any(w in res.stderr for w in WAITING), res.stderr
    assert _leftovers(proj) == []


def test_without_the_variables_no_point_pauses(monkeypatch, tmp_path):
    flag = tmp_path / "flag"
    monkeypatch.delenv(pause.PAUSE_ENV, raising=False)
    monkeypatch.setenv(pause.PAUSE_FILE_ENV, str(flag))
    pause.pause_point("validation")
    monkeypatch.setenv(pause.PAUSE_ENV, "validation")
    monkeypatch.delenv(pause.PAUSE_FILE_ENV)
    pause.pause_point("validation")
    assert not flag.exists()


def test_runs_killed_at_random_moments_never_leave_a_mixed_or_partial_output(tmp_path):
    """Three runs killed after a random delay, seeded (their kernels, in a session of their own,
    exit when they see their parent gone): after each, and
    after the ``clean`` that repairs it, the report folder is the previous one byte for byte
    or a complete new report, never a partial one, and nothing is left behind."""
    import random

    rng = random.Random(10)
    proj = make_project(tmp_path, sessions=(S,))
    proj.previous_outputs(S)
    for _ in range(3):
        before = _outputs(proj)
        proc = _spawn(proj, "run", S)
        time.sleep(rng.uniform(0.5, 25))
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate(timeout=60)
        res = run_exe(proj, "clean", S, timeout=600)
        assert res.returncode == 0, res.stderr
        assert _leftovers(proj) == []
        reports = tree(proj.reports / S)
        if reports != before["reports"]:  # the killed run had swapped in: all of it
            html = _report(proj)
            assert "previous" not in html and html.rstrip().endswith("</html>")
            assert (proj.reports / S / outputs.export_file(S, "fr")).is_file()
