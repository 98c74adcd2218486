"""The evaluator's tools beside the report: the data-quality notebook run and the template install.

``fac-eval quality SESSION`` executes ``notebooks/qualite_donnees.ipynb`` with papermill into
``data/processed/<session>/qualite_<session>.ipynb`` (``quality_<session>_en.ipynb`` with
``--lang en``; item-level data: never into ``reports/``).
``fac-eval install-template`` installs the ``fac_report`` nbconvert template by name
(:func:`fac_eval.report.nbtemplate.install_template`); ``make install`` runs it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from fac_eval.core.i18n import N_, messages

QUALITY_NOTEBOOK = "qualite_donnees.ipynb"


class QualityError(Exception):
    """The data-quality notebook could not be run; the message says why in plain words."""


def run_quality(session: str, paths=None, lang: str = "fr", timeout: float = 600,
                kernel_name: str = "python3") -> Path:
    """Execute the data-quality notebook for ``session``; return the executed copy's path.

    The copy is written to a temporary file then renamed, so a failed run leaves the previous
    copy untouched. Raises :class:`QualityError` (missing notebook, failed cell, kernel).
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    from .pipeline import Paths

    paths = paths or Paths()
    nb = paths.notebooks / QUALITY_NOTEBOOK
    _ = messages(lang)._
    if not nb.is_file():
        raise QualityError(_(N_("Notebook not found: %(path)s"), path=nb))
    out_dir = paths.processed / session
    out_dir.mkdir(parents=True, exist_ok=True)
    from .outputs import quality_file

    target = out_dir / quality_file(session, lang)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".ipynb", dir=out_dir)
    os.close(fd)
    from .pipeline import _kernel_log  # the kernel's start-up chatter goes to a log, not the user

    log = out_dir / f".{target.stem}.kernel.log"
    try:
        from .pipeline import kernel_environment, timeout_options  # the configured roots

        with _kernel_log(log), kernel_environment(paths):
            papermill.execute_notebook(
                str(nb), tmp, kernel_name=kernel_name, progress_bar=False,
                parameters={"session": session, "lang": lang}, cwd=str(nb.parent),
                start_timeout=60, **timeout_options(timeout))
        os.replace(tmp, target)
        log.unlink(missing_ok=True)
    except CellTimeoutError as err:
        from fac_eval.core.formatting import fmt_number

        secs = fmt_number(float(timeout), lang)
        raise QualityError(_(N_("A cell of the notebook %(name)s ran longer than the time limit "
                                "of %(seconds)s s (option --timeout)."),
                             name=nb.name, seconds=secs)) from err
    except PapermillExecutionError as err:
        raise QualityError(_(N_("The notebook %(name)s failed at cell %(cell)s: %(error)s: "
                                "%(detail)s"), name=nb.name, cell=err.exec_count,
                             error=err.ename, detail=err.evalue)) from err
    except Exception as err:
        raise QualityError(_(N_("The notebook %(name)s could not run: %(error)s"), name=nb.name,
                             error=err)) from err
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target
