"""A Jupyter kernel started before the notebook runs, so that it boots while the CLI computes.

``fac-eval run`` starts the report's kernel (:class:`PrestartedKernel`) as soon as the run's
staging folders exist, and sends it one silent request that imports what the report's cells
import (pandas, SciPy, seaborn through :mod:`fac_eval.report`): on two cores the kernel's start
and imports run while the CLI reads, validates and computes the session. papermill then executes
the notebook in that kernel (its ``km`` argument), which answers once the imports are done; the
silent request leaves no output, no execution count and no history in the notebook.

A kernel that cannot be started here is not an error: papermill then starts its own (the
pipeline's retry), as without this module.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

#: The modules the report's cells use: the setup cell's, and those :mod:`fac_eval.report`
#: loads when first asked (it is lazy), down to the charts. A name that no longer exists here
#: would make the warm-up stop there silently: ``tests/test_kernel_prestart.py`` imports each.
WARM_MODULES = ("fac_eval.data.parameters", "fac_eval.analysis.result_cache",
                "fac_eval.report.session", "fac_eval.report.narrative", "fac_eval.report.plots",
                "fac_eval.analysis.funder", "fac_eval.analysis.claims")
#: What the kernel runs first, silently: the imports, then one small chart drawn to SVG (the
#: fonts and the SVG backend load once); a failure here is left to the cells to report.
WARM_UP = ("def _fac_eval_warm_up():\n"
           "    import importlib, io\n"
           f"    for name in {WARM_MODULES!r}:\n"
           "        importlib.import_module(name)\n"
           "    from matplotlib.figure import Figure\n"
           "    fig = Figure(figsize=(2, 1))\n"
           "    fig.add_subplot().bar(['a'], [1])\n"
           "    fig.savefig(io.BytesIO(), format='svg')\n"
           "try:\n"
           "    _fac_eval_warm_up()\n"
           "except Exception:\n"
           "    pass\n"
           "del _fac_eval_warm_up\n")


class PrestartedKernel:
    """A kernel of ``kernel_name`` started in ``cwd`` with this process's environment (the
    kernel's standard error goes to a temporary log, :meth:`log_tail`)."""

    def __init__(self, kernel_name: str, cwd: str | Path, warm_up: str = WARM_UP):
        self.kernel_name = kernel_name
        self.cwd = str(cwd)
        self.warm_up = warm_up
        self.km: Any = None
        self._client: Any = None
        self._log = tempfile.TemporaryFile()
        self.error: Exception | None = None

    def start(self) -> PrestartedKernel:
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        try:
            km = AsyncKernelManager(kernel_name=self.kernel_name)
            run_sync(km.start_kernel)(cwd=self.cwd, env=dict(os.environ), stderr=self._log)
            self.km = km
            if self.warm_up:
                client = BlockingKernelClient()
                client.load_connection_info(km.get_connection_info())
                client.start_channels()
                client.execute(self.warm_up, silent=True, store_history=False)
                self._client = client
        except Exception as err:  # noqa: BLE001  (papermill starts its own kernel then)
            self.error = err
            self.shutdown()
        return self

    @property
    def manager(self):
        """The started kernel manager for papermill's ``km``, or None."""
        return self.km

    def log_tail(self, lines: int = 5) -> list[str]:
        """The last lines the kernel wrote to its standard error."""
        try:
            self._log.seek(0)
            text = self._log.read().decode(errors="replace")
        except (OSError, ValueError):
            return []
        return text.strip().splitlines()[-lines:]

    def shutdown(self) -> None:
        """Stop the kernel (at once: its state is of no use any more) and free its files."""
        from jupyter_core.utils import run_sync

        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.stop_channels()
            self._client = None
        if self.km is not None:
            with contextlib.suppress(Exception):
                run_sync(self.km.shutdown_kernel)(now=True)
            self.km = None

    def __enter__(self) -> PrestartedKernel:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.shutdown()
        with contextlib.suppress(OSError):
            self._log.close()


@contextlib.contextmanager
def kernel_log(path: Path):
    """Send what the kernel process writes to its stderr (ipykernel's start-up warnings, the
    "KeyboardInterrupt caught" at shutdown) to ``path`` instead of the user's terminal.

    The kernel inherits file descriptor 2 when it starts, so the descriptor is redirected for
    the duration of the execution; Python-level writes to sys.stderr are unaffected.
    """
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    saved = os.dup(fd)
    with open(path, "ab") as log:
        os.dup2(log.fileno(), fd)
        try:
            yield
        finally:
            os.dup2(saved, fd)
            os.close(saved)
