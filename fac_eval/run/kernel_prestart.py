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
import tempfile
from pathlib import Path
from typing import Any

#: what the notebook's setup cell imports (a failure here is left to the cell to report)
WARM_UP = ("try:\n"
           "    import fac_eval.data.parameters, fac_eval.report, fac_eval.result_cache\n"
           "except Exception:\n"
           "    pass\n")


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
