"""The evaluator's tools beside the report: the data-quality notebook run and the template install.

``fac-eval quality SESSION`` executes ``notebooks/qualite_donnees.ipynb`` with papermill into
``data/processed/<session>/qualite_<session>.ipynb`` (``quality_<session>_en.ipynb`` with
``--lang en``; item-level data: never into ``reports/``).
``fac-eval install-template`` installs the ``fac_report`` nbconvert template by name
(:func:`fac_eval.report.nbtemplate.install_template`); ``make install`` runs it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from pathlib import Path

from fac_eval.core.i18n import N_, messages

QUALITY_NOTEBOOK = "qualite_donnees.ipynb"


class QualityError(Exception):
    """The data-quality notebook could not be run; the message says why in plain words."""


def run_quality(session: str, paths=None, lang: str = "fr", timeout: float = 600,
                kernel_name: str = "python3") -> Path:
    """Execute the data-quality notebook for ``session``; return the executed copy's path.

    Holds the session's lock (a run of the session waits, and is waited for). The copy is
    written in a staging folder then renamed, so a failed, timed-out or killed run leaves the
    previous copy untouched and nothing in ``data/processed/<session>/``. Raises
    :class:`QualityError` (missing notebook, failed cell, kernel).
    """
    from .pipeline import Paths

    paths = paths or Paths()
    nb = paths.notebooks / QUALITY_NOTEBOOK
    _ = messages(lang)._
    if not nb.is_file():
        raise QualityError(_(N_("Notebook not found: %(path)s"), path=nb))
    out_dir = paths.processed / session
    from .outputs import session_lock

    with session_lock(session, paths, lang):  # never beside a run of the session
        return _execute_quality(nb, session, out_dir, paths, lang, timeout, kernel_name)


def _execute_quality(nb: Path, session: str, out_dir: Path, paths, lang: str, timeout: float,
                     kernel_name: str) -> Path:
    """:func:`run_quality`'s work, holding the session's lock: the notebook is executed in a
    staging folder of the processed root named like a run's (so that the next run of the
    session removes it if this one is killed), then renamed into ``out_dir``."""
    import shutil

    import papermill
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    from fac_eval.data.session_paths import guard_output

    from .kernel_prestart import kernel_log  # the kernel's start-up chatter: to a log, not the user
    from .outputs import STAGING_DIR, _away_prefix, quality_file, remove_staged

    _ = messages(lang)._
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / quality_file(session, lang)
    remove_staged(out_dir, paths)  # what a killed run of this notebook left
    from . import output_record

    if os.path.lexists(target) and not output_record.is_recorded(session, paths, out_dir,
                                                                  target.name):
        output_record.kept_dir(paths)  # where the evaluator's copy will go, sure of first
    away = guard_output(paths.processed / STAGING_DIR, paths, roots=False, replaced=False)
    work = away / f"{_away_prefix(out_dir)}{os.getpid()}~{secrets.token_hex(4)}"
    work.mkdir(parents=True)
    tmp, log = work / target.name, work / "kernel.log"
    try:
        from .pipeline import kernel_environment, timeout_options  # the configured roots

        with kernel_log(log), kernel_environment(paths):
            papermill.execute_notebook(
                str(nb), str(tmp), kernel_name=kernel_name, progress_bar=False,
                parameters={"session": session, "lang": lang}, cwd=str(nb.parent),
                start_timeout=60, **timeout_options(timeout))
        if os.path.lexists(target) and not output_record.is_recorded(session, paths, out_dir,
                                                                      target.name):
            # the evaluator's edited copy (or one no run recorded): kept, never overwritten
            where = output_record.keep_file_aside(target, paths)
            print(_(N_("%(path)s was changed since fac-eval wrote it (or no run recorded it): "
                       "it was not overwritten but kept in %(kept)s."), path=target, kept=where),
                  file=sys.stderr, flush=True)
        os.replace(tmp, target)
        output_record.record_file(session, paths, out_dir, target.name)
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
        shutil.rmtree(work, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.rmdir(away)
    return target
