"""The report pipeline: validate, clean, execute the notebook with papermill, export HTML.

Files and processes live here (and in :mod:`fac_eval.cli`), nowhere else. A run of one session:

1. reads and validates ``data/raw/<session>/`` (clear errors, nothing written on failure);
2. cleans and computes the indicators, written atomically to ``data/processed/<session>/``;
3. executes ``notebooks/rapport_evaluation.ipynb`` with papermill in-process (parameters checked
   against the ones the notebook declares, an execution timeout, one retry when the kernel fails to
   start) into a temporary folder;
4. exports the executed notebook to HTML with nbconvert (no code, no parameters cell, images and
   styles inline, nothing loaded from another host), scans it for personal data, and only then
   swaps the new report folder in place of ``reports/<session>/``.

A failed run leaves the previous report untouched and says so.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = "rapport_evaluation.ipynb"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
DEFAULT_TIMEOUT = 600  # seconds for one cell


class RunError(Exception):
    """A session's report could not be produced; the message says why in plain words."""

    def __init__(self, session: str, message: str, kind: str = "error"):
        super().__init__(message)
        self.session = session
        self.kind = kind


@dataclass
class Paths:
    """Where a session's inputs and outputs are."""

    root: Path = ROOT

    @property
    def raw(self) -> Path:
        return Path(os.environ.get("FAC_EVAL_RAW", self.root / "data" / "raw"))

    @property
    def processed(self) -> Path:
        return Path(os.environ.get("FAC_EVAL_PROCESSED", self.root / "data" / "processed"))

    @property
    def reports(self) -> Path:
        return Path(os.environ.get("FAC_EVAL_REPORTS", self.root / "reports"))

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"


@dataclass
class RunResult:
    session: str
    ok: bool
    html: Path | None = None
    seconds: float = 0.0
    message: str = ""
    outputs: list[Path] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------

def notebook_parameters(notebook: Path) -> dict[str, dict]:
    """The parameters a notebook declares in its cell tagged ``parameters`` (papermill's
    inspection: name -> {"inferred_type_name", "default", "help"})."""
    import papermill

    return papermill.inspect_notebook(str(notebook))


def coerce_parameters(declared: dict[str, dict], given: dict[str, Any]) -> dict[str, Any]:
    """Check ``given`` parameters against the declared ones and convert strings to their type.

    Raises ValueError naming every unknown parameter or badly typed value.
    """
    problems = []
    out: dict[str, Any] = {}
    for name, value in given.items():
        if name not in declared:
            problems.append(
                f"paramètre inconnu « {name} » (déclarés : {', '.join(sorted(declared))})"
            )
            continue
        type_name = (declared[name].get("inferred_type_name") or "None").strip()
        try:
            out[name] = _convert(value, type_name)
        except (ValueError, SyntaxError):
            problems.append(f"paramètre « {name} » : valeur « {value} », attendu : {type_name}")
    if problems:
        raise ValueError("; ".join(problems))
    return out


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


# --------------------------------------------------------------------------------------------
# One session
# --------------------------------------------------------------------------------------------

def prepare_session(session: str, paths: Paths | None = None, lang: str = "fr", **options):
    """Read, validate, clean and compute indicators; write ``data/processed/<session>/``.

    Returns the :class:`fac_eval.analysis.SessionResults`. Raises :class:`RunError` on invalid data
    (nothing is written then).
    """
    from . import analysis, privacy, validation

    paths = paths or Paths()
    session_dir = paths.raw / session
    if not session_dir.is_dir():
        raise RunError(session, f"Session « {session} » introuvable : pas de dossier {session_dir}",
                       "missing")
    try:
        results = analysis.compute_session(session_dir, **options)
    except validation.ValidationError as err:
        raise RunError(
            session,
            validation.format_problems(err.problems, lang=lang),
            "invalid",
        ) from err
    except privacy.KeyMissingError as err:  # the names file outside the repository
        raise RunError(session, err.message(lang), "names") from err
    results.write_processed(paths.processed / session)
    return results


def run_session(
    session: str,
    lang: str = "fr",
    parameters: dict[str, Any] | None = None,
    paths: Paths | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    kernel_name: str = "python3",
    notebook: Path | None = None,
    progress: bool = False,
) -> RunResult:
    """Produce ``reports/<session>/rapport_<session>.html`` (see the module docstring)."""
    from . import privacy

    t0 = time.perf_counter()
    paths = paths or Paths()
    nb_path = Path(notebook or paths.notebooks / NOTEBOOK)
    if not nb_path.is_file():
        raise RunError(session, f"Carnet introuvable : {nb_path}", "missing")
    declared = notebook_parameters(nb_path)
    params = coerce_parameters(declared, dict(parameters or {}))
    params["session"] = session
    params["lang"] = lang
    if "raw_dir" in declared:
        params["raw_dir"] = str(paths.raw)
    params = coerce_parameters(declared, params)

    # every parameter that changes a figure: indicators.csv and the xlsx export must carry the
    # same intervals as the report (the notebook recomputes them with these parameters)
    options = {k: params[k] for k in ("alpha", "min_cell", "confidence") if k in params}
    results = prepare_session(session, paths, lang=lang, **options)

    out_dir = paths.reports / session
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{session}.", dir=out_dir.parent))
    os.chmod(tmp, 0o755)
    try:
        executed = tmp / f"rapport_{session}.ipynb"
        _execute(nb_path, executed, params, timeout, kernel_name, progress, session)
        html = export_html(executed, lang=lang)
        leaks = privacy.find_leaks(html, participant_ids=results.participant_ids,
                                   names=results.names)
        if leaks:
            raise RunError(session, privacy.LeakError(leaks, source=f"rapport_{session}.html")
                           .message(lang), "leak")
        html_path = tmp / f"rapport_{session}.html"
        html_path.write_text(html, encoding="utf-8")
        results.write_exports(tmp, lang=lang)
        _swap_in(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    final = out_dir / f"rapport_{session}.html"
    return RunResult(session, True, final, time.perf_counter() - t0,
                     outputs=sorted(out_dir.iterdir()))


@contextlib.contextmanager
def _kernel_log(path: Path):
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


def _execute(nb_path, executed, params, timeout, kernel_name, progress, session):
    import papermill
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    for attempt in (1, 2):
        try:
            with _kernel_log(executed.with_suffix(".kernel.log")):
                papermill.execute_notebook(
                    str(nb_path), str(executed), parameters=params, kernel_name=kernel_name,
                    progress_bar=progress, execution_timeout=timeout, cwd=str(nb_path.parent),
                    start_timeout=60,
                )
            executed.with_suffix(".kernel.log").unlink(missing_ok=True)
            return
        except CellTimeoutError as err:  # a cell ran too long: retrying would not help
            raise RunError(
                session,
                f"Une cellule du carnet {nb_path.name} a dépassé le délai d'exécution de "
                f"{timeout} s (option --timeout).",
                "timeout",
            ) from err
        except PapermillExecutionError as err:
            raise RunError(
                session,
                f"Le carnet {nb_path.name} a échoué à la cellule {err.exec_count} : "
                f"{err.ename}: {err.evalue}",
                "notebook",
            ) from err
        except Exception as err:  # kernel failed to start or died: one retry
            if attempt == 2:
                log = executed.with_suffix(".kernel.log")
                tail = log.read_text(errors="replace").strip().splitlines()[-5:] if log.exists() else []
                raise RunError(session, "Le noyau Jupyter n'a pas pu s'exécuter (deux essais) : "
                               f"{err}" + ("\n" + "\n".join(tail) if tail else ""),
                               "kernel") from err


def export_html(executed_notebook: Path, lang: str = "fr") -> str:
    """Executed notebook -> self-contained HTML (no code, no parameters cells, nothing external).

    Exactly ``jupyter nbconvert --to html --template fac_report``: the template and its
    preprocessor (:mod:`fac_eval.nbtemplate`) do all the work; the package's own copy of the
    template is used, so a stale installed copy never changes a report. ``lang`` is the fallback
    language when the notebook declares none.
    """
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from .nbtemplate import TEMPLATE_NAME, TEMPLATES

    nb = nbformat.read(str(executed_notebook), as_version=4)
    c = Config()
    c.ReportPreprocessor.default_lang = lang
    exporter = HTMLExporter(config=c, template_name=TEMPLATE_NAME,
                            extra_template_basedirs=[str(TEMPLATES)])
    body, _ = exporter.from_notebook_node(nb)
    return body


def _swap_in(new: Path, target: Path) -> None:
    from .cleaning import replace_dir

    replace_dir(new, target)


# --------------------------------------------------------------------------------------------
# Provenance helpers
# --------------------------------------------------------------------------------------------

def git_commit(root: Path = ROOT) -> str:
    import subprocess

    try:
        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=root,
                             capture_output=True, text=True, timeout=10)
        commit = out.stdout.strip() or "inconnu"
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
        return commit + ("-modifié" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "inconnu"


def list_sessions(paths: Paths | None = None) -> list[str]:
    paths = paths or Paths()
    if not paths.raw.is_dir():
        return []
    return sorted(p.name for p in paths.raw.iterdir() if p.is_dir() and (p / "session.yml").exists())


def _json_default(o):
    return str(o)


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default),
                    encoding="utf-8")
