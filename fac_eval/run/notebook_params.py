"""``fac-eval run --notebook NOTEBOOK -p name=value``: the ``-p`` options checked against the
parameters the chosen notebook declares, before anything is read or written.

A notebook's parameters are the variables of its cell tagged ``parameters`` (papermill's
:func:`papermill.inspect_notebook`). A ``-p`` the notebook does not declare is refused, naming
the notebook, the closest declared name and every declared one; a notebook without a
``parameters`` cell takes no ``-p``; a path that is not a notebook is refused naming the
notebooks beside it. The values of the declared parameters are then checked against the one
schema (:mod:`fac_eval.data.parameters`), as for the default report notebook. Every problem is
listed at once; the CLI prints them as argparse's own errors (exit code 2).
"""

from __future__ import annotations

import warnings
from pathlib import Path

from fac_eval.core.i18n import N_, tr
from fac_eval.core.invisible import shown as show_value
from fac_eval.data import parameters as P
from fac_eval.data.known_sessions import suggestion


class NotebookChoiceError(Exception):
    """The notebook given to ``--notebook`` cannot be used; :meth:`message` says why."""

    def __init__(self, fr: str, en: str):
        self.fr, self.en = fr, en
        super().__init__(fr)

    def message(self, lang: str = "fr") -> str:
        return self.en if lang == "en" else self.fr


def _both(message: str, **values) -> tuple[str, str]:
    return tr("fr", message, **values), tr("en", message, **values)


def _missing_notebook(path: Path) -> NotebookChoiceError:
    folder = path.parent if path.parent.is_dir() else None
    found = sorted(p.name for p in folder.glob("*.ipynb")) if folder else []
    texts = []
    for lang in ("fr", "en"):
        text = tr(lang, N_("Notebook not found: %(path)s."), path=path)
        if found:
            text += suggestion(path.name, found, lang) + tr(
                lang, N_(" Notebooks in %(folder)s: %(names)s."), folder=folder,
                names=", ".join(found))
        texts.append(text + tr(lang, N_(" Expected: the path of a .ipynb file (e.g. "
                                        "--notebook notebooks/rapport_evaluation.ipynb).")))
    return NotebookChoiceError(*texts)


#: The notebook metadata that marks an evaluator's working file (item-level data, never a
#: report): ``{"fac_eval": {"working_file": true}}``, as ``notebooks/qualite_donnees.ipynb``
#: carries it. ``run`` refuses such a notebook; ``fac-eval quality`` is the command for it.
WORKING_FILE_KEY = "working_file"


def is_working_file(path: Path) -> bool:
    """Whether the notebook at ``path`` declares itself an evaluator's working file (its
    metadata, :data:`WORKING_FILE_KEY`), or is the data-quality notebook by name."""
    import json

    from .workbench import QUALITY_NOTEBOOK

    if path.name == QUALITY_NOTEBOOK:
        return True
    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return False  # unreadable: declared_parameters says so
    own = meta.get("fac_eval") if isinstance(meta, dict) else None
    return isinstance(own, dict) and own.get(WORKING_FILE_KEY) is True


def working_file_refusal(path: Path) -> NotebookChoiceError:
    """The refusal of a working file given to ``run --notebook``."""
    return NotebookChoiceError(*_both(
        N_("The notebook %(path)s is an evaluator's working file (item-level data): it is never "
           "published as a report. Run it with fac-eval quality SESSION: its executed copy goes "
           "to data/processed/SESSION/, never to reports/."), path=path))


def declared_parameters(path: Path) -> dict[str, dict]:
    """The parameters ``path`` declares (name -> papermill's description), or
    :class:`NotebookChoiceError` for a missing file or one that is not a Jupyter notebook."""
    from .pipeline import notebook_parameters

    if not path.is_file():
        raise _missing_notebook(path)
    try:
        with warnings.catch_warnings():  # papermill's warning on a name not ending in .ipynb
            warnings.simplefilter("ignore")
            return notebook_parameters(path)
    except Exception as err:  # not JSON, not a notebook: a message, never a traceback
        raise NotebookChoiceError(*_both(
            N_("%(path)s could not be read as a Jupyter notebook (%(error)s); expected: a .ipynb "
               "file saved by Jupyter."), path=path, error=type(err).__name__)) from err


def _unknown(name: str, value: str, notebook: str, declared: list[str]):
    typed, name = name, show_value(name)  # look-alike letters written as code points
    if not declared:
        fr, en = _both(N_("Unknown parameter '%(name)s': the notebook %(notebook)s declares no "
                          "parameter (it has no cell tagged 'parameters'), so it takes no -p. "
                          "Hint: run it without -p, or tag the cell of its parameters "
                          "'parameters' (JupyterLab: Property Inspector, Cell Tags)."),
                       name=name, notebook=notebook)
        return (typed, value, fr, en)
    texts = []
    for lang in ("fr", "en"):
        texts.append(tr(lang, N_("Unknown parameter '%(name)s' for the notebook %(notebook)s."),
                        name=name, notebook=notebook)
                     + suggestion(typed, declared, lang)
                     + tr(lang, N_(" Parameters of this notebook: %(names)s. Hint: a notebook's "
                                   "parameters are the variables of its cell tagged "
                                   "'parameters'."), names=", ".join(declared)))
    return (typed, value, texts[0], texts[1])


def check_run_options(items, session: str, lang: str, notebook: Path) -> dict[str, str]:
    """The ``-p`` options of ``run`` for ``notebook``: the given names the notebook declares,
    as strings (run_session converts them again). Raises :class:`NotebookChoiceError` for a
    notebook that cannot be used, :class:`fac_eval.data.parameters.ParameterError` listing
    every unknown name, refused value and contradiction with the command line."""
    from .pipeline import _convert

    declared = declared_parameters(notebook)
    given = P.parse_assignments(items, lang)
    names = list(declared)
    problems = [_unknown(k, v, notebook.name, names) for k, v in given.items()
                if k not in declared]
    known = {k: v for k, v in given.items() if k in declared}
    schemas = {**P.SCHEMA, **P.COMPARISON_SCHEMA, **P.QUALITY_SCHEMA}
    schema = {k: v for k, v in schemas.items() if k in declared}
    extra = {name: (lambda v, t=(info.get("inferred_type_name") or "None").strip(): _convert(v, t))  # noqa: B008
             for name, info in declared.items() if name not in schema}
    try:
        P.check_cli([f"{k}={v}" for k, v in known.items()], session, lang, schema=schema,
                    extra=extra, known=names)
    except P.ParameterError as err:
        problems.extend(err.problems)
    if problems:
        raise P.ParameterError(problems, lang)
    return known
