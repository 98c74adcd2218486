"""The git filter that keeps the project's notebooks free of what a run put in them.

An evaluator opens ``notebooks/`` in JupyterLab (``make lab``), runs a notebook on a session and
saves it: its outputs then hold that session's tables, item-level answers included, in a file
git tracks. ``.gitattributes`` names this module as the ``clean`` filter of the notebooks
(``filter=fac-eval-notebook``; ``make install`` and ``make lab`` configure it in the
repository): what git stores is the notebook without outputs, execution counts or papermill's
records, whatever the working copy holds. The working copy itself is left as it is.

``python -m fac_eval.run.notebook_strip`` reads a notebook on standard input and writes it,
stripped, on standard output, with the key order and the layout of the committed notebooks (one
space of indent), so that an unexecuted notebook comes out byte for byte as it went in.
"""

from __future__ import annotations

import json
import sys

#: Metadata a run adds to a notebook or to its cells (papermill's, nbclient's timings).
RUN_METADATA = ("papermill", "execution", "widgets")


def strip_notebook(nb: dict) -> dict:
    """``nb`` (a notebook as JSON) without outputs, execution counts and run metadata."""
    for key in RUN_METADATA:
        nb.get("metadata", {}).pop(key, None)
    for cell in nb.get("cells", []):
        for key in RUN_METADATA:
            cell.get("metadata", {}).pop(key, None)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def strip_text(text: str) -> str:
    """The notebook ``text`` stripped (:func:`strip_notebook`), laid out as the committed ones;
    a text that is not a notebook is given back unchanged (git must never lose a file)."""
    try:
        nb = json.loads(text)
    except ValueError:
        return text
    if not isinstance(nb, dict) or "cells" not in nb:
        return text
    return json.dumps(strip_notebook(nb), indent=1, ensure_ascii=False) + "\n"


def main() -> None:
    data = sys.stdin.buffer.read()
    try:
        out = strip_text(data.decode("utf-8")).encode("utf-8")
    except UnicodeDecodeError:  # not a notebook of ours: given back as it is
        out = data
    sys.stdout.buffer.write(out)


if __name__ == "__main__":  # pragma: no cover
    main()
