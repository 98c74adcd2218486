"""Issue 10, attacker round 25 (F23): a notebook run and saved in JupyterLab held a session's
tables (item-level answers) in a file git tracks, and ``git commit -a`` took them. A clean filter
(``.gitattributes``, :mod:`fac_eval.run.notebook_strip`, configured by ``make install`` and
``make lab``) stores the notebooks without outputs; the committed notebooks have none.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from conftest import REPO

from fac_eval.run.notebook_strip import strip_notebook, strip_text

NOTEBOOKS = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "notebooks").glob("*.ipynb"))


def _git(*args, cwd=REPO, **kw):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          **kw).stdout


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_the_committed_notebooks_hold_no_output(path):
    nb = json.loads(_git("show", f":{path}"))  # what git holds, not the working copy
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert "papermill" not in nb["metadata"]


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_the_filter_gives_a_committed_notebook_back_byte_for_byte(path):
    text = _git("show", f":{path}")
    assert strip_text(text) == text


def _executed(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("tables['learners_entry']")
    cell.execution_count = 3
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "A02  ses_01  2"},
                                           execution_count=3)]
    cell.metadata["papermill"] = {"duration": 1.5}
    nb.cells = [nbformat.v4.new_markdown_cell("# Qualité"), cell]
    nb.metadata["papermill"] = {"parameters": {"session": "2022"}}
    path = tmp_path / "qualite_donnees.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_an_executed_notebook_is_stripped_of_what_the_run_put_in(tmp_path):
    nb = json.loads(_executed(tmp_path).read_text(encoding="utf-8"))
    out = strip_notebook(nb)
    code = out["cells"][1]
    assert code["outputs"] == [] and code["execution_count"] is None
    assert "papermill" not in code["metadata"] and "papermill" not in out["metadata"]
    assert "".join(out["cells"][0]["source"]) == "# Qualité"
    assert strip_text("not a notebook {") == "not a notebook {"


def test_git_stores_the_notebook_without_its_outputs(tmp_path):
    """In a repository with this project's .gitattributes and the filter as ``make`` configures
    it, ``git add`` of a saved, executed notebook stores it without outputs; the working copy
    keeps them."""
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    shutil.copy(REPO / ".gitattributes", repo / ".gitattributes")
    env = {**os.environ, "PYTHONPATH": str(REPO), "GIT_CONFIG_GLOBAL": os.devnull}
    _git("init", "-q", cwd=repo, env=env)
    _git("config", "filter.fac-eval-notebook.clean",
         f"{sys.executable} -m fac_eval.run.notebook_strip", cwd=repo, env=env)
    saved = _executed(tmp_path)
    shutil.copy(saved, repo / "notebooks" / saved.name)
    _git("add", "-A", cwd=repo, env=env)
    stored = json.loads(_git("show", f":notebooks/{saved.name}", cwd=repo, env=env))
    assert stored["cells"][1]["outputs"] == []
    assert "A02" not in json.dumps(stored)
    assert "A02" in (repo / "notebooks" / saved.name).read_text(encoding="utf-8")


def test_make_configures_the_filter():
    attributes = (REPO / ".gitattributes").read_text(encoding="utf-8")
    assert "*.ipynb filter=fac-eval-notebook" in attributes.splitlines()  # every folder
    dry = subprocess.run(["make", "-n", "git-filter"], cwd=REPO, capture_output=True, text=True)
    assert "filter.fac-eval-notebook.clean" in dry.stdout
    assert "-m fac_eval.run.notebook_strip" in dry.stdout
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "lab: $(LAB_STAMP) git-filter" in makefile
    assert "$(MAKE) --no-print-directory git-filter" in makefile
