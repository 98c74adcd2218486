"""The kernel started before the notebook runs imports what the report's cells use (issue 11,
§3: start the kernel while the CLI validates).

The warm-up once named a module that had moved (``fac_eval.result_cache``) and only the lazy
``fac_eval.report`` package: it stopped silently at the first name, and the notebook's setup
cell then paid every import itself (3 s of a 15 s run). These tests import each name, check
that the cells load nothing heavy after the warm-up, and run the warm-up in a real kernel.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import textwrap

from conftest import REPO

from fac_eval.run import kernel_prestart

NOTEBOOK = REPO / "notebooks" / "rapport_evaluation.ipynb"
#: (pandera is left out: without fac-eval run's result cache, as here, the setup cell validates
#: the raw data itself; a run reads the cache)
HEAVY = ("scipy", "matplotlib", "seaborn", "statsmodels", "fac_eval.analysis.stats",
         "fac_eval.report.plots", "fac_eval.report.session")


def test_every_warm_up_module_exists():
    for name in kernel_prestart.WARM_MODULES:
        assert importlib.import_module(name).__name__ == name


def test_after_the_warm_up_the_report_cells_load_nothing_heavy(tmp_path):
    """The notebook's code cells, run on 2022 after the warm-up in a fresh process: no module of
    the scientific stack, the statistics or the charts is imported by the cells themselves."""
    cells = [("".join(c["source"])) for c in json.loads(NOTEBOOK.read_text())["cells"]
             if c["cell_type"] == "code"]
    script = textwrap.dedent(f"""
        import json, sys
        exec({kernel_prestart.WARM_UP!r})
        assert "_fac_eval_warm_up" not in globals()
        before = set(sys.modules)
        for cell in {cells!r}:
            exec(cell)
        print(json.dumps(sorted(set(sys.modules) - before)))
    """)
    env = dict(os.environ, FAC_EVAL_PROCESSED=str(tmp_path / "processed"),
               FAC_EVAL_REPORTS=str(tmp_path / "reports"), MPLBACKEND="Agg")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    heavy = [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert heavy == [], heavy


def _ask(client, code: str) -> str | None:
    """Run ``code`` and return what it printed, or None when its output did not all arrive
    within a minute (the caller asks again: an IOPub message published before this client's
    subscription reached the kernel is lost, ZeroMQ's "slow joiner")."""
    import queue
    import time

    reply_id = client.execute(code)
    out = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            msg = client.get_iopub_msg(timeout=5)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != reply_id:
            continue
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return "".join(out).strip()
    return None


def test_a_prestarted_kernel_has_the_report_imported_and_no_trace_of_the_warm_up():
    """The warm-up is the kernel's first request; this client's requests may overtake it on
    their own connection, so the test asks until the imports are there (papermill connects
    only after the CLI has computed the session, seconds later)."""
    import time

    from jupyter_client.blocking import BlockingKernelClient

    code = (f"import sys; print(sorted(n for n in {kernel_prestart.WARM_MODULES!r} "
            "if n in sys.modules), '_fac_eval_warm_up' in dir(), len(In))")
    with kernel_prestart.PrestartedKernel("python3", REPO) as kernel:
        assert kernel.error is None, kernel.error
        client = BlockingKernelClient()
        client.load_connection_info(kernel.manager.get_connection_info())
        client.start_channels()
        try:
            # the kernel answers kernel_info and this client's IOPub is subscribed
            client.wait_for_ready(timeout=120)
            deadline = time.monotonic() + 180
            asked = 0
            while True:
                text = _ask(client, code)
                asked += 1
                if (text or "").startswith(str(sorted(kernel_prestart.WARM_MODULES))) or \
                        time.monotonic() > deadline:
                    break
                time.sleep(0.5)
        finally:
            client.stop_channels()
    # every module imported; the helper deleted; the silent warm-up left no history (In holds
    # the empty entry 0 and this client's requests only)
    assert text == f"{sorted(kernel_prestart.WARM_MODULES)} False {asked + 1}", text
