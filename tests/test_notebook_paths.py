"""Issue 15, first point: the notebooks find the data wherever their kernel starts.

The notebooks resolve sessions through :mod:`fac_eval.data.session_paths` (``FAC_EVAL_RAW`` and
friends, else the project holding the package), never through a path relative to the kernel's
working directory. Shown with the papermill command line as its users type it: from the
repository root without ``--cwd``, and from ``notebooks/`` with ``--cwd`` elsewhere and the roots
given by ``FAC_EVAL_RAW``.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
PAPERMILL = Path(sys.executable).with_name("papermill")


def _papermill(args, cwd, env=None):
    cmd = [str(PAPERMILL)] if PAPERMILL.exists() else [sys.executable, "-m", "papermill"]
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(cmd + [str(a) for a in args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=600)


def _text(path: Path) -> str:
    nb = nbformat.read(str(path), as_version=4)
    return json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)


def test_no_notebook_uses_a_path_relative_to_the_kernel():
    for path in (REPO / "notebooks").glob("*.ipynb"):
        src = "\n".join(c.source for c in nbformat.read(str(path), as_version=4).cells
                        if c.cell_type == "code")
        strings = [n.value for n in ast.walk(ast.parse(src))
                   if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        assert not [s for s in strings if "/" in s or "\\" in s], path  # no path literal
        assert "raw_dir" not in src, path
        # the one resolver, called by the notebook or by the fac_eval object it builds
        assert ("session_paths.raw_session_dir" in src
                or "result_cache.session_results(" in src  # session_paths.raw_session_dir
                or "quality_view.QualityNotebook(session" in src), path


def test_papermill_from_the_repository_root_without_cwd(tmp_path):
    out = tmp_path / "out.ipynb"
    res = _papermill(["notebooks/rapport_evaluation.ipynb", out, "-p", "session", "synth-2024",
                      "-p", "lang", "en"], cwd=REPO)
    assert res.returncode == 0, res.stderr[-3000:]
    text = _text(out)
    assert "synth-2024" in text and "Key figures" in text


def test_papermill_from_notebooks_with_cwd_elsewhere_and_configured_roots(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "data" / "raw" / "synth-2024", raw / "copie-synth")
    elsewhere = tmp_path / "kernel-cwd"
    elsewhere.mkdir()
    out = tmp_path / "out.ipynb"
    res = _papermill(["rapport_evaluation.ipynb", out, "-p", "session", "copie-synth",
                      "--cwd", elsewhere], cwd=REPO / "notebooks",
                     env={"FAC_EVAL_RAW": str(raw)})
    assert res.returncode == 0, res.stderr[-3000:]
    assert "copie-synth" in _text(out)
    assert list(elsewhere.iterdir()) == []  # the notebook wrote nothing where it ran
