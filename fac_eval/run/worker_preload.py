"""What a batch's worker processes need, imported once by the local pool's fork server.

:func:`fac_eval.run.batch.run_local` starts its workers with the ``forkserver`` method and this
module as the fork server's preload: the server, a fresh single-threaded process, imports the
run's libraries (papermill, nbconvert, pandas, SciPy, pandera...) and loads the message catalogs
once, and every worker is forked from it already warm, instead of paying those imports and the
first session's warm-up again in each spawned process. Nothing here starts a thread, opens a
file that stays open or reads a session: forking the server stays safe, and each worker gets
the caller's environment and working folder with each task (:func:`fac_eval.run.batch.run_task`).
"""

from __future__ import annotations

import jupyter_client  # noqa: F401
import nbclient  # noqa: F401
import nbconvert  # noqa: F401
import openpyxl  # noqa: F401
import papermill  # noqa: F401

from fac_eval.analysis import results  # noqa: F401
from fac_eval.core.i18n import LANGS, messages
from fac_eval.disclosure import gate  # noqa: F401
from fac_eval.report import export  # noqa: F401
from fac_eval.run import outputs, pipeline  # noqa: F401

for _lang in LANGS:  # the catalogs, parsed once
    messages(_lang)._("Test")
