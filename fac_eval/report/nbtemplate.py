"""The ``fac_report`` nbconvert template: one source for ``fac-eval run`` and plain nbconvert.

The template lives in ``fac_eval/templates/fac_report/``. Its ``conf.json`` registers
:class:`ReportPreprocessor`, which does everything the report needs that a template alone
cannot do, so that

    jupyter nbconvert --to html --template fac_report executed.ipynb

gives the same HTML as ``fac-eval run`` (which calls :func:`fac_eval.run.pipeline.export_html`, i.e.
this same template, by name):

- cells tagged ``parameters``, ``injected-parameters``, ``remove`` or ``evaluator-only`` are
  removed (nbconvert's :class:`~nbconvert.preprocessors.TagRemovePreprocessor`), whatever the
  case and surrounding spaces of the tag (``Evaluator-Only`` typed in JupyterLab counts);
- code is never shown: every code cell's source is marked ``transient.remove_source`` (the
  template also renders no input and no prompt);
- the report's stylesheet is inlined (``resources["fac_css"]``), the ``<html lang>`` and the
  ``<title>`` come from the notebook's (injected) parameters ``lang`` and ``session``.

:func:`install_template` makes the template reachable by name from any Jupyter tool: it puts
``fac_report`` into ``<prefix>/share/jupyter/nbconvert/templates/`` (``make install`` runs
``fac-eval install-template`` for the virtual environment).
"""

from __future__ import annotations

import ast
import os
import shutil
import sys
from pathlib import Path

from nbconvert.preprocessors import TagRemovePreprocessor
from traitlets import Set, Unicode

TEMPLATE_NAME = "fac_report"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
REMOVED_TAGS = frozenset({"parameters", "injected-parameters", "remove", "evaluator-only"})


def removed_tags(cell) -> set[str]:
    """The tags of ``cell``, stripped and case-folded (``Remove`` is ``remove``)."""
    return {str(t).strip().casefold() for t in cell.get("metadata", {}).get("tags", []) or []}


def notebook_parameters(nb) -> dict:
    """Literal parameters of an executed notebook: the ``parameters`` cell's defaults updated by
    papermill's ``injected-parameters`` cell (``{"session": "2022", "lang": "en", ...}``)."""
    values: dict = {}
    for wanted in ("parameters", "injected-parameters"):
        for cell in nb.cells:
            if cell.get("cell_type") != "code" or wanted not in removed_tags(cell):
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in tree.body:
                target = value = None
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    target, value = node.targets[0], node.value
                elif isinstance(node, ast.AnnAssign) and node.value is not None:
                    target, value = node.target, node.value
                if isinstance(target, ast.Name) and value is not None:
                    try:
                        values[target.id] = ast.literal_eval(value)
                    except (ValueError, SyntaxError):
                        pass
    return values


class ReportPreprocessor(TagRemovePreprocessor):
    """Removes evaluator-only cells and code, adds the report's stylesheet, language and title."""

    remove_cell_tags = Set(set(REMOVED_TAGS)).tag(config=True)
    default_lang = Unicode("fr").tag(config=True)

    def check_cell_conditions(self, cell, resources, index):
        """True to keep ``cell``: none of its tags, case and spaces aside, is a removed tag."""
        return not (removed_tags(cell) & {t.strip().casefold() for t in self.remove_cell_tags})

    def preprocess(self, nb, resources):
        params = notebook_parameters(nb)  # before the parameters cells are removed
        nb, resources = super().preprocess(nb, resources)
        from .base import stylesheet

        # read as the notebook read it: a language code in any case and spacing ("EN", " en"),
        # as the parameters' schema and --lang take it
        lang = str(params.get("lang") or self.default_lang).strip().lower()
        if lang not in ("fr", "en"):
            lang = self.default_lang
        resources["language_code"] = lang
        resources["fac_css"] = stylesheet()
        if not nb.metadata.get("title"):
            nb.metadata["title"] = report_title_from_notebook(nb_with(params), lang)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.metadata.setdefault("transient", {})["remove_source"] = True
                # what the kernel writes to stderr (warnings with internal paths, tracebacks) is
                # for the evaluator's terminal, never for the published report
                cell.outputs = [o for o in cell.get("outputs", [])
                                if not (o.get("output_type") == "stream"
                                        and o.get("name") == "stderr")]
        return nb, resources


def nb_with(params: dict):
    """A minimal notebook whose injected-parameters cell holds ``params`` (for the title)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    src = "\n".join(f"{k} = {v!r}" for k, v in params.items()
                    if isinstance(v, (str, int, float, bool)))
    nb.cells.append(nbformat.v4.new_code_cell(src, metadata={"tags": ["injected-parameters"]}))
    return nb


def jupyter_templates_dir(prefix: str | os.PathLike | None = None) -> Path:
    """``<prefix>/share/jupyter/nbconvert/templates`` (default prefix: ``sys.prefix``, the
    virtual environment), one of the places nbconvert looks for templates by name."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "nbconvert" / "templates"


def install_template(prefix: str | os.PathLike | None = None, link: bool = False) -> Path:
    """Install ``fac_report`` under :func:`jupyter_templates_dir` and return its folder.

    A copy by default (replacing an older one); ``link=True`` makes a symbolic link to the
    package's folder instead, so that an editable install always uses the current template.
    """
    target_root = jupyter_templates_dir(prefix)
    target_root.mkdir(parents=True, exist_ok=True)
    target = target_root / TEMPLATE_NAME
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    source = TEMPLATES / TEMPLATE_NAME
    if link:
        target.symlink_to(source, target_is_directory=True)
    else:
        shutil.copytree(source, target)
    return target


def report_title_from_notebook(nb, lang: str = "fr") -> str:
    """The HTML <title>: the session name given to the notebook by papermill (its cell tagged
    ``injected-parameters``), in the report's title."""
    from .base import TITLE
    from .i18n import messages

    params = {}
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in tree.body:
                if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                        and isinstance(node.targets[0], ast.Name)):
                    params[node.targets[0].id] = node.value.value
    session = params.get("session", "")
    return messages(lang)._(TITLE, name=session) + " — Form'Ain Cube"
