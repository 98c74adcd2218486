"""The report pipeline: validate, clean, execute the notebook with papermill, export HTML.

Files and processes live here (and in :mod:`fac_eval.run.cli`), nowhere else. A run of one session:

1. resolves the session name to its folders (:mod:`fac_eval.data.session_paths`: a name, never a
   path; outputs never touch raw data) and checks the parameters against the one schema
   (:mod:`fac_eval.data.parameters`) before anything is read or written;
2. takes the session's lock and stages new output folders (:mod:`fac_eval.run.outputs`);
3. starts the report's kernel (:mod:`fac_eval.run.kernel_prestart`: it boots and imports on the
   other core meanwhile), reads and validates ``data/raw/<session>/`` (clear errors), cleans and
   computes the indicators into the staged ``data/processed/<session>/``, and leaves the results
   there for the kernel, signed (:mod:`fac_eval.analysis.result_cache`: the session is computed once per
   run; the cache is removed before the folder is published);
4. executes ``notebooks/rapport_evaluation.ipynb`` with papermill in-process in that kernel (an
   execution timeout, one retry in a kernel papermill starts when it fails; the kernel gets the
   configured roots as FAC_EVAL_* variables) into the staged report folder, writing the Excel
   export meanwhile;
5. exports the executed notebook to HTML with nbconvert (no code, no parameters cell, images and
   styles inline, nothing loaded from another host), optionally prints it to PDF (``pdf=True``,
   :mod:`fac_eval.run.pdf`), scans every published file for personal data (:mod:`fac_eval.disclosure.gate`),
   and only then swaps both staged folders in place of ``data/processed/<session>/`` and
   ``reports/<session>/``.

Each language is its own file (:func:`fac_eval.run.outputs.report_file`: ``rapport_<s>.html`` in
French, ``report_<s>_en.html`` in English, the same for the PDF, the Excel export and the executed
notebook); a run carries the other language's files of the previous run over, so both stay side
by side. A session whose exit questionnaires are not collected yet renders an interim report
(:mod:`fac_eval.data.interim`).

A failed run (bad parameter, invalid data, leak, notebook error, full disk) leaves both folders as
they were and says so.
"""

from __future__ import annotations

import ast
import contextlib
import errno
import json
import math
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fac_eval.core.i18n import N_, both, tr
from fac_eval.core.pause import pause_point
from fac_eval.core.provenance import git_state  # noqa: F401  (public name kept here)
from fac_eval.data.known_sessions import _sessions_in, list_sessions  # noqa: F401  (public names kept here)
from fac_eval.data.session_paths import ROOT, Paths, session_exists  # noqa: F401  (public names kept here)

NOTEBOOK = "rapport_evaluation.ipynb"
TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
DEFAULT_TIMEOUT = 600  # seconds for one cell


class RunError(Exception):
    """A session's report could not be produced; the message says why in plain words, in the
    language of the run (``lang`` of the function that raised it)."""

    def __init__(self, session: str, message: str, kind: str = "error", en: str | None = None):
        super().__init__(message)
        self.session = session
        self.kind = kind
        self.en = en

    def message(self, lang: str | None = None) -> str:
        """The message (already in the run's language)."""
        return str(self)


def session_missing(session: str, raw_root: Path, lang: str = "fr") -> str:
    """The one "session not found" message (:func:`fac_eval.run.climessages.session_not_found`),
    with the sessions known under the raw root ``raw_root``."""
    from fac_eval.data.known_sessions import session_not_found

    return session_not_found(session, _sessions_in(Path(raw_root)), raw_root, lang)


@dataclass
class RunResult:
    session: str
    ok: bool
    html: Path | None = None
    seconds: float = 0.0
    message: str = ""
    outputs: list[Path] = field(default_factory=list)
    #: the PDF printed beside the HTML (``pdf=True``), or None
    pdf: Path | None = None
    #: why a PDF that was asked for was not printed (no Chromium, no PDF reader for the gate):
    #: (French, English); the HTML was produced all the same
    pdf_unavailable: tuple[str, str] | None = None
    #: True when the exit questionnaires are not collected yet (an interim report)
    interim: bool = False
    #: the other language's files made from other inputs, removed (outputs.carry_over_languages)
    dropped: list[str] = field(default_factory=list)
    #: this language's PDF of the previous run, gone with it (a run without ``pdf``), or ""
    pdf_removed: str = ""

    def pdf_message(self, lang: str = "fr") -> str:
        if self.pdf_unavailable is None:
            return ""
        return self.pdf_unavailable[1 if lang == "en" else 0]


# ---- Parameters ---------------------------------------------------------------------------

def notebook_parameters(notebook: Path) -> dict[str, dict]:
    """The parameters a notebook declares in its cell tagged ``parameters`` (papermill's
    inspection: name -> {"inferred_type_name", "default", "help"}). The costly optional import
    jsonschema would make under papermill is left out by the package itself (``fac_eval/__init__``)."""
    import papermill

    return papermill.inspect_notebook(str(notebook))


def coerce_parameters(declared: dict[str, dict], given: dict[str, Any],
                      lang: str = "fr") -> dict[str, Any]:
    """Check ``given`` parameters against the declared ones and convert strings to their type.

    Parameters of the declared schema (:data:`fac_eval.data.parameters.SCHEMA`: alpha, confidence,
    min_cell, lang, session, sessions) are checked there, range included; other parameters a
    custom notebook declares are converted to their declared type. Raises
    :class:`fac_eval.data.parameters.ParameterError` (a ValueError) naming every unknown parameter or
    refused value.
    """
    from fac_eval.data import parameters as P

    schema = {k: v for k, v in {**P.SCHEMA, **P.COMPARISON_SCHEMA, **P.QUALITY_SCHEMA}.items()
              if k in declared}
    # the default argument binds each parameter's own type (not the loop's last one)
    extra = {name: (lambda v, t=(info.get("inferred_type_name") or "None").strip(): _convert(v, t))  # noqa: B008
             for name, info in declared.items() if name not in schema}
    return P.check(given, lang, schema=schema, extra=extra, known=sorted(declared))


def _convert(value: Any, type_name: str) -> Any:
    if not isinstance(value, str):
        return value
    if type_name == "str":
        return value
    if type_name == "int":
        return int(value)
    if type_name == "float":
        return float(value)
    if type_name == "bool":
        low = value.strip().lower()
        if low in ("true", "1", "yes", "oui", "vrai"):
            return True
        if low in ("false", "0", "no", "non", "faux"):
            return False
        raise ValueError(value)
    return ast.literal_eval(value)


# ---- One session --------------------------------------------------------------------------

def _folders(session: str, paths: Paths, lang: str):
    """The session's folders through the one resolver (a RunError for a bad name)."""
    from fac_eval.data import session_paths

    try:
        return session_paths.resolve(session, paths)
    except session_paths.PathGuardError as err:
        raise RunError(str(session), err.message(lang), "usage") from err


def _guard(folders, paths: Paths, lang: str, processed_only: bool = False) -> None:
    from fac_eval.data import session_paths
    from fac_eval.run import output_record

    try:
        # the raw data's refusals first (the gravest is the one said), then the roots' overlap
        session_paths.guard_output(folders.processed, paths, roots=False)
        if not processed_only:
            session_paths.guard_output(folders.report, paths, roots=False)
        session_paths.check_output_roots(paths)
        for folder in [folders.processed] + ([] if processed_only else [folders.report]):
            output_record.guard_no_foreign_files(folder, folders.name, paths, early=True)
    except session_paths.PathGuardError as err:
        raise RunError(folders.name, err.message(lang), "path") from err


def _compute(folders, lang: str, **options):
    from fac_eval.analysis import results as analysis
    from fac_eval.data import validation
    from fac_eval.disclosure import privacy

    if not session_exists(folders.raw):
        raise RunError(folders.name, session_missing(folders.name, folders.raw.parent, lang),
                       "missing")
    pause_point("validation")  # a test hook (fac_eval.core.pause): nothing without its variables
    try:
        return analysis.compute_session(folders.raw, **options)
    except validation.ValidationError as err:
        raise RunError(
            folders.name,
            validation.format_problems(err.problems, lang=lang),
            "invalid",
        ) from err
    except privacy.KeyMissingError as err:  # the names file outside the repository
        raise RunError(folders.name, err.message(lang), "names") from err


def prepare_session(session: str, paths: Paths | None = None, lang: str = "fr",
                    write: bool = True, **options):
    """Read, validate, clean and compute indicators; write ``data/processed/<session>/``.

    Returns the :class:`fac_eval.analysis.results.SessionResults`. Raises :class:`RunError` on a bad
    session name, invalid data or an output folder that would touch raw data (nothing is written
    then). With ``write``, the processed folder is replaced as a whole under the session's lock
    (:mod:`fac_eval.run.outputs`); without, nothing is written.
    """
    from fac_eval.run import outputs

    paths = paths or Paths()
    folders = _folders(session, paths, lang)
    if not write:
        return _compute(folders, lang, **options)
    _guard(folders, paths, lang, processed_only=True)
    with outputs.session_lock(folders.name, paths, lang), \
            outputs.Staging(folders.name, [folders.processed], paths,
                            also=[folders.report], lang=lang) as staging:
        results = _compute(folders, lang, **options)
        results.write_processed(staging[folders.processed])
        staging.carry_over(folders.processed, outputs.run_files(folders.name))  # the runs' own
        staging.commit()
    return results


def run_parameters(session: str, lang: str, declared: dict, given: dict | None) -> dict:
    """The notebook's parameters for one run: ``given`` checked against the schema and the
    notebook, the session and the language set (a contradicting ``session`` or ``lang`` is
    refused, never silently replaced)."""
    from fac_eval.core.i18n import N_, both
    from fac_eval.core.invisible import shown
    from fac_eval.data import parameters as P

    params = coerce_parameters(declared, dict(given or {}), lang)
    problems = []
    for name, wanted in (("session", session), ("lang", lang)):
        if name in params and params[name] != wanted:
            problems.append((name, params[name], *both(
                N_("Parameter '%(name)s': '%(value)s' contradicts '%(wanted)s' asked by the "
                   "command; expected: the same value."),
                name=name, value=shown(str(params[name])), wanted=shown(str(wanted)))))
    if problems:
        raise P.ParameterError(problems, lang)
    # the command's session and language, to the notebook that declares them (a notebook of
    # several sessions has ``sessions`` instead; one without a parameters cell gets nothing)
    params.update({k: v for k, v in (("session", session), ("lang", lang)) if k in declared})
    return coerce_parameters(declared, params, lang)


@contextlib.contextmanager
def kernel_environment(paths: Paths, extra: dict[str, str] | None = None):
    """The kernel papermill starts inherits this process's environment: give it the configured
    roots as absolute FAC_EVAL_* variables, so that the notebook resolves the same folders
    wherever it starts (and ``extra`` variables: the run's result cache). A names file or a key
    file given by a relative path is given as the absolute path the CLI read (the kernel starts
    in ``notebooks/``: it would read another file, or none)."""
    files = {var: os.path.abspath(os.path.expanduser(os.environ[var].strip()))
             for var in ("FAC_EVAL_NAMES_FILE", "FAC_EVAL_KEY_FILE")
             if os.environ.get(var, "").strip()}
    env = {**paths.environment(), **files, **(extra or {})}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_session(
    session: str,
    lang: str = "fr",
    parameters: dict[str, Any] | None = None,
    paths: Paths | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    kernel_name: str = "python3",
    notebook: Path | None = None,
    progress: bool = False,
    pdf: bool = False,
) -> RunResult:
    """Produce ``reports/<session>/rapport_<session>.html`` (French) or
    ``report_<session>_en.html`` (English), see the module docstring.

    Parameters are checked before anything is read or written; the processed tables and the
    report folder are staged and swapped in together only when the whole run (notebook, export,
    optional PDF, leak scan) succeeded, under the session's lock (:mod:`fac_eval.run.outputs`). The
    other language's files of the previous run (:func:`fac_eval.run.outputs.session_files`) are
    carried over, so that both languages stay side by side.

    ``pdf``: also print the HTML to ``rapport_<session>.pdf`` (``report_<session>_en.pdf``) with
    headless Chromium (:mod:`fac_eval.run.pdf`), in the staging folder; the PDF passes the same gate.
    Without Chromium (or without ``pdftotext`` to gate it), the HTML is still produced and
    ``RunResult.pdf_unavailable`` says what to install; a Chromium that fails to print is a
    failed run (the previous outputs stay as they were).
    """
    from fac_eval.analysis import result_cache
    from fac_eval.disclosure import gate
    from fac_eval.run import kernel_prestart, outputs
    from fac_eval.run import pdf as pdf_mod

    t0 = time.perf_counter()
    paths = paths or Paths()
    folders = _folders(session, paths, lang)
    session = folders.name
    nb_path = Path(notebook or paths.notebooks / NOTEBOOK)
    if not nb_path.is_file():
        raise RunError(session, tr(lang, N_("Notebook not found: %(path)s"), path=nb_path),
                       "missing")
    from . import notebook_params as nbp
    if nbp.is_working_file(nb_path):  # an evaluator's working file is never published
        raise RunError(session, nbp.working_file_refusal(nb_path).message(lang), "working_file")
    declared = notebook_parameters(nb_path)
    params = run_parameters(session, lang, declared, parameters)
    if "raw_dir" in declared:  # a custom notebook that still reads a raw_dir parameter
        params["raw_dir"] = str(paths.raw)

    # every parameter that changes a figure: indicators.csv and the xlsx export must carry the
    # same intervals as the report (the notebook recomputes them with these parameters)
    options = {k: params[k] for k in ("alpha", "min_cell", "confidence") if k in params}
    if not session_exists(folders.raw):
        raise RunError(session, session_missing(session, paths.raw, lang), "missing")
    _guard(folders, paths, lang)
    with outputs.session_lock(session, paths, lang), \
            outputs.Staging(session, [folders.processed, folders.report], paths,
                            lang=lang) as staging:
        processed, tmp = staging[folders.processed], staging[folders.report].resolve()
        # one computation: the kernel reuses this run's results (fac_eval.analysis.result_cache), and it
        # starts (and imports) while this process reads, validates and computes the session
        secret = result_cache.new_secret()
        cache_env = {result_cache.CACHE_ENV: str(processed.resolve()),
                     result_cache.SECRET_ENV: secret}
        with kernel_environment(paths, cache_env), \
                kernel_prestart.PrestartedKernel(kernel_name, nb_path.parent) as kernel:
            results = prepare_session(session, paths, lang=lang, write=False, **options)
            results.write_processed(processed)
            result_cache.write(results, processed, secret)
            # each language is its own file: the other language's files of the previous run stay
            # beside this run's (gated again below) when made from the same inputs, else go
            dropped = staging.carry_over_languages(
                lang, lambda other: outputs.session_files(session, other),
                outputs.inputs_fingerprint([results.checksum, outputs.file_digest(nb_path)],
                                           params, results.names),
                folders.processed)
            # the executed notebook is the evaluator's working file: data/processed/<s>/, never
            # reports/ (fac_eval.disclosure.gate refuses it there)
            executed = processed / outputs.report_file(session, lang, ".ipynb")
            with ThreadPoolExecutor(max_workers=1) as pool:  # the export while the kernel runs
                exported = pool.submit(_while_kernel_runs, results, tmp, lang)
                try:
                    _execute(nb_path, executed, params, timeout, kernel_name, progress, session,
                             lang, kernel=kernel)
                finally:
                    exported.exception()  # wait for it, whatever happened
                exporter = exported.result()
        result_cache.remove(processed)  # it holds the raw tables: never published
        if getattr(results, "interim", False):  # the <title> says it too
            _set_title(executed, session, lang)
        html = export_html(executed, lang=lang, exporter=exporter)
        (html_path := tmp / outputs.report_file(session, lang)).write_text(html, encoding="utf-8")
        unavailable = None
        if pdf:
            unavailable = _print_pdf(session, html_path,
                                     tmp / outputs.report_file(session, lang, ".pdf"), pdf_mod)
        pause_point("exported")  # a test hook: the report written, not yet scanned
        try:  # one gate for every file a stakeholder receives: the HTML, the PDF, the export
            gate.gate_folder(tmp, results.participant_ids, results.names)
        except gate.LeakError as err:
            raise RunError(session, err.message(lang), "leak") from err
        except gate.GateError as err:
            raise RunError(session, err.message(lang), "leak") from err
        # the previous PDF goes with the old folder when this run prints none: said (cli)
        old_pdf = folders.report / outputs.report_file(session, lang, ".pdf")
        pdf_removed = old_pdf.name if not pdf and old_pdf.is_file() else ""
        staging.commit()
    out_dir = folders.report
    final = out_dir / outputs.report_file(session, lang)
    printed = out_dir / outputs.report_file(session, lang, ".pdf") if pdf and not unavailable else None
    return RunResult(session, True, final, time.perf_counter() - t0,
                     outputs=sorted(out_dir.iterdir()), pdf=printed, pdf_unavailable=unavailable,
                     interim=bool(getattr(results, "interim", False)), dropped=dropped,
                     pdf_removed=pdf_removed)


def _set_title(executed: Path, session: str, lang: str) -> None:
    """An interim report's ``<title>`` ("Rapport intermédiaire de la session …")."""
    import nbformat

    from fac_eval.report.interim import interim_title

    nb = nbformat.read(str(executed), as_version=4)
    nb.metadata["title"] = interim_title(session, lang)
    nbformat.write(nb, str(executed))


def _print_pdf(session: str, html: Path, target: Path, pdf_mod) -> tuple[str, str] | None:
    """Print ``html`` to ``target`` (in the staging folder). Returns None when printed, or the
    (French, English) reason it could not be (no Chromium, no PDF reader for the gate); raises
    :class:`RunError` when Chromium ran and failed (the run fails as a whole)."""
    try:
        pdf_mod.check_tools()  # every missing tool named at once
        pdf_mod.print_to_pdf(html, target)
    except pdf_mod.PdfUnavailable as err:
        return err.message("fr"), err.message("en")
    except (pdf_mod.PdfError, OSError, TimeoutError) as err:
        if isinstance(err, OSError) and err.errno in _FS_ERRNOS:
            raise
        fr, en = both(N_("Chromium could not print the PDF (%(error)s); the previous outputs "
                         "are unchanged."), error=err)
        raise RunError(session, fr, "pdf", en=en) from err
    return None


_FS_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
              errno.ENAMETOOLONG, errno.ENOTDIR, errno.EISDIR, errno.EIO, errno.EXDEV}


class CellTimeout:
    """nbclient's ``timeout_func``: the time one cell may run, in seconds, decimals kept
    (nbclient's own ``timeout`` setting takes whole seconds only). Picklable."""

    def __init__(self, seconds: float):
        self.seconds = float(seconds)

    def __call__(self, cell=None) -> float:
        return self.seconds


def timeout_options(timeout: float | None) -> dict[str, Any]:
    """papermill's keyword arguments for a cell time limit of ``timeout`` seconds (a positive
    number, decimals allowed; None: papermill's default, no limit)."""
    if timeout is None:
        return {}
    seconds = float(timeout)
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    # the whole-second setting rounded up (it must be an integer), the exact limit through
    # timeout_func, which nbclient uses in its place
    return {"execution_timeout": math.ceil(seconds), "timeout_func": CellTimeout(seconds)}


def _while_kernel_runs(results, report_dir: Path, lang: str):
    """What the CLI does while the kernel executes the notebook (on the other core): the Excel
    export, and the HTML exporter of :func:`export_html` made ready (nbconvert, the report
    template compiled, the modules its preprocessor imports)."""
    write_exports(results, report_dir, lang=lang)
    from fac_eval.report import base  # noqa: F401  (the preprocessor's stylesheet and title)

    exporter = html_exporter(lang)
    exporter.template  # noqa: B018  (compiled now, not after the kernel)
    return exporter


def _execute(nb_path, executed, params, timeout, kernel_name, progress, session, lang="fr",
             kernel=None):
    """Execute the notebook with papermill: in ``kernel`` (a started
    :class:`fac_eval.run.kernel_prestart.PrestartedKernel`) when there is one, else, or when it
    fails to run, in a kernel papermill starts (one retry)."""
    import papermill
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    from fac_eval.run.kernel_prestart import kernel_log

    for attempt in (1, 2):
        km = kernel.manager if kernel is not None and attempt == 1 else None
        log = executed.with_suffix(".kernel.log")
        try:
            with (contextlib.nullcontext() if km is not None else kernel_log(log)), \
                    _quiet_papermill_log():
                papermill.execute_notebook(
                    str(nb_path), str(executed), parameters=params, kernel_name=kernel_name,
                    progress_bar=progress, cwd=str(nb_path.parent), start_timeout=60,
                    request_save_on_cell_execute=False,  # one write at the end, not 2 per cell
                    **timeout_options(timeout), **({"km": km} if km is not None else {}),
                )
            log.unlink(missing_ok=True)
            return
        except CellTimeoutError as err:  # a cell ran too long: retrying would not help
            from fac_eval.core.formatting import fmt_number

            secs = fmt_number(float(timeout), lang)
            raise RunError(session, tr(lang, N_(
                "A cell of the notebook %(name)s ran longer than the time limit of "
                "%(seconds)s s (option --timeout)."), name=nb_path.name, seconds=secs),
                "timeout") from err
        except PapermillExecutionError as err:
            raise RunError(session, tr(lang, N_(
                "The notebook %(notebook)s failed at cell %(cell)s: %(error)s: %(detail)s"),
                notebook=nb_path.name, cell=err.exec_count, error=err.ename,
                detail=err.evalue), "notebook") from err
        except OSError as err:
            if err.errno in _FS_ERRNOS:  # a folder or the disk, not the kernel: say so
                raise
            if km is not None:
                kernel.shutdown()
            if attempt == 2:
                raise RunError(session, tr(lang, N_(
                    "The Jupyter kernel could not start (two tries): %(error)s"), error=err),
                    "kernel") from err
        except Exception as err:  # kernel failed to start or died: one retry
            if km is not None:
                kernel.shutdown()
            if attempt == 2:
                tail = log.read_text(errors="replace").strip().splitlines()[-5:] if log.exists() else []
                raise RunError(session, tr(lang, N_(
                    "The Jupyter kernel could not run (two tries): %(error)s"), error=err)
                    + ("\n" + "\n".join(tail) if tail else ""), "kernel") from err


@contextlib.contextmanager
def _quiet_papermill_log():
    """papermill's and nbclient's own log lines (English, e.g. "Timeout waiting for execute
    reply (2s)") are not printed: the run reports every failure itself, in its language."""
    import logging

    logger = logging.getLogger("papermill")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def export_html(executed_notebook: Path, lang: str = "fr", exporter=None) -> str:
    """Executed notebook -> self-contained HTML (no code, no parameters cells, nothing external).

    Exactly ``jupyter nbconvert --to html --template fac_report``: the template and its
    preprocessor (:mod:`fac_eval.report.nbtemplate`) do all the work; the package's own copy of the
    template is used, so a stale installed copy never changes a report. ``lang`` is the fallback
    language when the notebook declares none; ``exporter``: one :func:`html_exporter` made
    ready beforehand (the same output).
    """
    import nbformat

    nb = nbformat.read(str(executed_notebook), as_version=4)
    body, _ = (exporter or html_exporter(lang)).from_notebook_node(nb)
    return body


def html_exporter(lang: str = "fr"):
    """nbconvert's HTMLExporter with the package's report template (:func:`export_html`)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from fac_eval.report.nbtemplate import TEMPLATE_NAME, TEMPLATES

    c = Config()
    c.ReportPreprocessor.default_lang = lang
    return HTMLExporter(config=c, template_name=TEMPLATE_NAME,
                        extra_template_basedirs=[str(TEMPLATES)])


def _swap_in(new: Path, target: Path) -> None:
    from fac_eval.data.cleaning import replace_dir

    replace_dir(new, target)


# ---- Provenance helpers -------------------------------------------------------------------

def write_exports(results, out_dir: Path, lang: str = "fr") -> list[Path]:
    """Stakeholder exports beside the report: ``indicateurs_<session>.xlsx`` (French) or
    ``indicators_<session>_en.xlsx`` (English, :func:`fac_eval.run.outputs.export_file`)."""
    from fac_eval.report import export

    from .outputs import export_file

    path = Path(out_dir) / export_file(results.name, lang)
    export.indicators_xlsx(results.indicators, path, lang=lang, min_cell=results.min_cell,
                           claims=results.claims, followup=results.followup, alpha=results.alpha)
    return [path]


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
