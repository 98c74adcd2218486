"""The fac_report nbconvert template, installed by name, gives `fac-eval run`'s report."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import REPO, make_project

from fac_eval.report import nbtemplate

BIN = Path(sys.executable).parent


def _env(project: Path, **extra) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO), FAC_EVAL_RAW=str(project / "data" / "raw"),
               FAC_EVAL_PROCESSED=str(project / "data" / "processed"),
               FAC_EVAL_REPORTS=str(project / "reports"))
    env.pop("JUPYTER_PATH", None)
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """`fac-eval run` of a session, then the template installed by its own command into a
    fresh prefix and used by plain `jupyter nbconvert` from outside the repository."""
    tmp = tmp_path_factory.mktemp("tpl")
    project = make_project(tmp / "project")
    env = _env(project)
    for session, lang in (("synth-2024", "en"),):
        subprocess.run([sys.executable, "-m", "fac_eval.run.cli", "run", session, "--lang", lang],
                       env=env, check=True, capture_output=True, text=True)
    prefix = tmp / "prefix"
    done = subprocess.run([sys.executable, "-m", "fac_eval.run.cli", "install-template", "--prefix",
                           str(prefix)], env=env, check=True, capture_output=True, text=True)
    assert "fac_report" in done.stdout
    jenv = _env(project, JUPYTER_PATH=str(prefix / "share" / "jupyter"))
    out = {}
    for session in ("synth-2024",):
        work = tmp / f"plain-{session}"
        work.mkdir()
        shutil.copy(project / "data" / "processed" / session / f"report_{session}_en.ipynb", work / "out.ipynb")
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--template",
                        "fac_report", "out.ipynb"], cwd=work, env=jenv, check=True,
                       capture_output=True, text=True)
        out[session] = ((project / "reports" / session / f"report_{session}_en.html")
                        .read_text(encoding="utf-8"),
                        (work / "out.html").read_text(encoding="utf-8"))
    return tmp, prefix, jenv, out


def structure(html: str) -> dict:
    soup = BeautifulSoup(html, "html.parser")
    return {
        "lang": soup.html.get("lang"),
        "title": soup.title.get_text(strip=True),
        "headings": [(h.name, h.get_text(" ", strip=True)) for h in soup.find_all(["h1", "h2", "h3"])],
        "figures": len(soup.find_all("figure")),
        "images": len(soup.find_all("img")),
        "tables": len(soup.find_all("table")),
        "styles": sum(len(s.get_text()) for s in soup.find_all("style")),
        "inputs": len(soup.select(".jp-InputArea, .jp-InputPrompt, .highlight, pre code")),
    }


@pytest.mark.slow
@pytest.mark.parametrize("session,lang", [("synth-2024", "en")])
def test_plain_nbconvert_gives_the_same_report(runs, session, lang):
    _, _, _, out = runs
    ours, plain = out[session]
    s_ours, s_plain = structure(ours), structure(plain)
    assert s_plain == s_ours
    assert s_plain["lang"] == lang
    assert session in s_plain["title"]
    assert len(s_plain["headings"]) >= 8 and s_plain["figures"] >= 3 and s_plain["tables"] >= 3
    assert s_plain["inputs"] == 0
    assert s_plain["styles"] > 2000  # the report's stylesheet is inlined
    for code in ("from fac_eval", "compute_session", "rep.header()", "raw_dir", "injected",
                 "Carnet paramétré", "papermill overrides"):
        assert code not in plain
    assert plain == ours  # one template, one source: byte for byte


@pytest.mark.slow
def test_template_removes_tagged_cells_itself(runs):
    tmp, _, jenv, _ = runs
    nb = nbformat.read(tmp / "plain-synth-2024" / "out.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_markdown_cell("NOTE POUR L'ÉVALUATEUR SEULEMENT",
                                                     metadata={"tags": ["evaluator-only"]}))
    nb.cells.insert(3, nbformat.v4.new_markdown_cell("CELLULE RETIRÉE", metadata={"tags": ["remove"]}))
    nb.cells.append(nbformat.v4.new_markdown_cell("Paragraphe gardé"))
    work = tmp / "tags"
    work.mkdir()
    nbformat.write(nb, work / "tagged.ipynb")
    # the exporter is even told to show code: the template still shows none
    subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--template", "fac_report",
                    "--HTMLExporter.exclude_input=False", "tagged.ipynb"],
                   cwd=work, env=jenv, check=True, capture_output=True)
    html = (work / "tagged.html").read_text(encoding="utf-8")
    assert "Paragraphe gardé" in html
    assert "ÉVALUATEUR SEULEMENT" not in html and "CELLULE RETIRÉE" not in html
    assert "compute_session" not in html and "min_cell: int" not in html
    assert "jp-CodeMirrorEditor" not in html and 'class="highlight' not in html  # no code cell input


def test_install_template_copy_then_link(tmp_path):
    target = nbtemplate.install_template(tmp_path)
    assert target == tmp_path / "share" / "jupyter" / "nbconvert" / "templates" / "fac_report"
    assert (target / "conf.json").is_file() and not target.is_symlink()
    target = nbtemplate.install_template(tmp_path, link=True)  # replaces the copy
    assert target.is_symlink() and target.resolve() == (REPO / "fac_eval" / "templates" / "fac_report")


def test_make_install_installs_the_template(tmp_path):
    out = subprocess.run(["make", "-n", "install", f"VENV={tmp_path / 'venv'}"], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    assert f"{tmp_path / 'venv'}/bin/fac-eval install-template" in out
    assert out.index("pip install --quiet --no-deps -e .") < out.index("install-template")


def test_notebook_parameters_read_defaults_then_injected():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('session: str = "2022"\nlang: str = "fr"\nalpha = 0.05',
                                          metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell('session = "synth-2024"\nlang = "en"\n',
                                          metadata={"tags": ["injected-parameters"]})]
    assert nbtemplate.notebook_parameters(nb) == {"session": "synth-2024", "lang": "en",
                                                 "alpha": 0.05}


def test_preprocessor_takes_language_and_title_from_the_parameters():
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("intro", metadata={"tags": ["remove"]}),
                nbformat.v4.new_code_cell('session: str = "2022"\nlang: str = "fr"',
                                          metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell('session = "synth-2024"\nlang = "en"',
                                          metadata={"tags": ["injected-parameters"]}),
                nbformat.v4.new_code_cell("x = 1", outputs=[nbformat.v4.new_output(
                    "display_data", data={"text/html": "<h2>Résultats</h2>"})])]
    exporter = HTMLExporter(template_name="fac_report",
                            extra_template_basedirs=[str(nbtemplate.TEMPLATES)])
    html, _ = exporter.from_notebook_node(nb)
    assert '<html lang="en">' in html
    assert "<title>Evaluation of session synth-2024" in html
    assert "<h2>Résultats</h2>" in html
    assert "intro" not in html and "x = 1" not in html and "injected" not in html
    nb.cells.pop(2)  # no injected parameters: the notebook's defaults
    html, _ = exporter.from_notebook_node(nb)
    assert '<html lang="fr">' in html and "<title>Évaluation de la session 2022" in html
