"""What a batch's worker processes need, loaded once by the local pool's fork server.

:func:`fac_eval.run.batch.run_local` starts its workers with the ``forkserver`` method and this
module as the fork server's preload: the server, a fresh single-threaded process, imports the
run's libraries (papermill, nbconvert, IPython, pandas, SciPy, pandera...) and the package's
modules a run uses, loads the message catalogs, compiles the personal-data detector's patterns
and the report template once (:func:`warm_up`), and every worker is forked from it already
warm, instead of paying all that again in each spawned process and its first session. Nothing
here starts a thread, leaves a file open or reads a session: forking the server stays safe,
and each worker gets the caller's environment and working folder with each task
(:func:`fac_eval.run.batch.run_task`). The server ends with the command that started it, and
each worker with the server (:func:`fac_eval.run.batch.die_with_parent`).
"""

from __future__ import annotations

import IPython  # noqa: F401
import jupyter_client  # noqa: F401
import nbclient  # noqa: F401
import nbconvert  # noqa: F401
import openpyxl  # noqa: F401
import papermill  # noqa: F401
import papermill.engines  # noqa: F401

from fac_eval.analysis import result_cache, results, themes  # noqa: F401
from fac_eval.core.i18n import LANGS, messages
from fac_eval.data import parameters, programme  # noqa: F401
from fac_eval.disclosure import gate, pii, privacy, suppression, tables  # noqa: F401
from fac_eval.report import export, nbtemplate, render  # noqa: F401
from fac_eval.run import (  # noqa: F401
    batch,
    kernel_prestart,
    notebook_params,
    outputs,
    pdf,
    pipeline,
    workbench,
)


def warm_up() -> None:
    """What every run's first session would otherwise do once per worker: parse the catalogs,
    compile the detector's regular expressions and nbconvert's report template (on an empty
    notebook: no data is read)."""
    import nbformat

    for lang in LANGS:
        messages(lang)._("Test")
    pii.find_pii("Marie Exemple, 06 12 34 56 78, marie.exemple@example.org, née le 3 mars 1980")
    pipeline.html_exporter("fr").from_notebook_node(nbformat.v4.new_notebook())


warm_up()
batch.die_with_parent()  # the fork server ends with the batch command that started it
