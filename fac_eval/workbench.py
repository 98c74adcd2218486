"""The evaluator's tools beside the report: the data-quality notebook run and the template install.

``fac-eval quality SESSION`` executes ``notebooks/qualite_donnees.ipynb`` with papermill into
``data/processed/<session>/qualite_<session>.ipynb`` (``quality_<session>_en.ipynb`` with
``--lang en``; item-level data: never into ``reports/``).
``fac-eval install-template`` installs the ``fac_report`` nbconvert template by name
(:func:`fac_eval.nbtemplate.install_template`); ``make install`` runs it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

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
    en = lang == "en"
    if not nb.is_file():
        raise QualityError(f"Notebook not found: {nb}" if en else f"Carnet introuvable : {nb}")
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
        from .formatting import fmt_number

        secs = fmt_number(float(timeout), lang)
        raise QualityError(
            f"A cell of the notebook {nb.name} ran longer than the time limit of {secs} s "
            "(option --timeout)." if en else
            f"Une cellule du carnet {nb.name} a dépassé le délai d'exécution de {secs} s "
            "(option --timeout).") from err
    except PapermillExecutionError as err:
        raise QualityError(
            f"The notebook {nb.name} failed at cell {err.exec_count}: {err.ename}: {err.evalue}"
            if en else
            f"Le carnet {nb.name} a échoué à la cellule {err.exec_count} : {err.ename}: {err.evalue}"
        ) from err
    except Exception as err:
        raise QualityError(f"The notebook {nb.name} could not run: {err}" if en else
                            f"Le carnet {nb.name} n'a pas pu s'exécuter : {err}") from err
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target
