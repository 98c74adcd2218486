"""Issue 10, attacker round 25 (F22): a local batch killed (kill -9, SIGTERM, a closed terminal)
left its fork server and its workers running; they published both sessions' reports half a
minute later and stayed alive. The fork server now ends with the command and each worker with
the fork server (PR_SET_PDEATHSIG): nothing outlives the batch, nothing is published after it.
"""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest
from _guarantees import make_project
from test_guarantees_kills import _paused


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_batch_leaves_no_worker_and_publishes_nothing(tmp_path, monkeypatch, sig):
    proj = make_project(tmp_path, monkeypatch, ["2022", "synth-2024"])
    proc, flag, worker = _paused(proj, "validation", "batch", "2022", "synth-2024", "--jobs",
                                 "2")
    assert worker != proc.pid and _alive(worker)  # a worker process paused in its run
    os.kill(proc.pid, sig)  # the command only, not its process group
    proc.communicate(timeout=60)
    deadline = time.time() + 20
    while time.time() < deadline and _alive(worker):
        time.sleep(0.1)
    assert not _alive(worker), "the worker outlived the batch"
    flag.unlink()  # were it alive, it would go on now
    time.sleep(3)
    assert not (proj.reports / "2022").exists() and not (proj.reports / "synth-2024").exists()
