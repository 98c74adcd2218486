"""Write notebooks/rapport_evaluation.ipynb (thin: short cells that call fac_eval and display).

The notebook is generated so that it stays thin and without outputs; edit this script, then run
`python tools/make_notebook.py`. Evaluators can still open and adapt the notebook in JupyterLab.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]

PARAMETERS = '''\
# Parameters of the report (papermill overrides them per session: fac-eval run SESSION -p name=value)
session: str = "2022"  # session folder under raw_dir
lang: str = "fr"  # report language: "fr" (default) or "en"
alpha: float = 0.05  # significance level of the paired tests
min_cell: int = 3  # breakdown cells below this count are hidden (INSEE frequency rule)
confidence: float = 0.95  # level of the confidence intervals
raw_dir: str = "../data/raw"  # folder holding the sessions' raw data
'''

SETUP = '''\
from fac_eval import analysis, report

results = analysis.compute_session(
    f"{raw_dir}/{session}", alpha=alpha, min_cell=min_cell, confidence=confidence
)
rep = report.Report(
    results, lang=lang, min_cell=min_cell,
    parameters={"session": session, "lang": lang, "alpha": alpha, "min_cell": min_cell,
                "confidence": confidence},
)'''

SECTIONS = ["header", "toc", "key_figures", "public", "learners", "founders", "followup",
            "testimonies", "claims", "methods", "provenance"]


def build() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(
            "# Rapport d'évaluation d'une session Form'Ain Cube\n\n"
            "Carnet paramétré : chaque cellule appelle `fac_eval` et affiche une partie du rapport. "
            "Changez les paramètres ci-dessous (session, langue, seuils) puis exécutez tout. "
            "Le rapport HTML se produit avec `fac-eval run SESSION`.",
            metadata={"tags": ["remove"]},
        ),
        new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
        new_code_cell(SETUP, metadata={"tags": ["setup"]}),
    ]
    cells += [new_code_cell(f"rep.{name}()") for name in SECTIONS]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "fac-eval", "display_name": "fac-eval (Python 3)",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


if __name__ == "__main__":
    out = ROOT / "notebooks" / "rapport_evaluation.ipynb"
    nbformat.write(build(), str(out))
    print(out)
