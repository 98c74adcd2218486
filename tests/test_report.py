"""The report pipeline end to end: papermill run per session, self-contained HTML, atomic output."""

from __future__ import annotations

import html as htmlmod
import os
import re
import shutil
import subprocess

import nbformat
import pandas as pd
import pytest
from conftest import REPO, make_project

from fac_eval.run import pipeline
from fac_eval.run.pipeline import Paths, RunError, run_session

NBSP = "\u00a0"


def visible_text(html: str) -> str:
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'src="data:[^"]*"', "", html)
    return htmlmod.unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("project"))
    paths = Paths(root)
    fr = run_session("2022", lang="fr", paths=paths)
    en = run_session("synth-2024", lang="en", paths=paths)
    return paths, fr, en


def test_2022_report_has_the_key_figures_in_french(project):
    paths, fr, _ = project
    html = fr.html.read_text(encoding="utf-8")
    text = visible_text(html)
    assert f"7 apprenants sur 8 (88{NBSP}%" in text  # self-esteem
    assert f"Les 8 apprenants (100{NBSP}%" in text  # confidence
    # every published figure matches (22), and the 2 statements in words only, counted apart
    assert "22 sur 22" in text and "2 affirmations formulées seulement en mots" in text
    assert "Données reconstituées" in text
    assert "Le suivi à 3 mois est absent de ces données" in text  # planned for 8 Oct. 2022
    assert "IC 95" in text
    # numbered figures with alt text, numbered tables with captions
    svgs = re.findall(r'<figure class="fac-figure"><svg ([^>]*role="img"[^>]*)>', html)
    figures = [re.search(r'aria-labelledby="([^"]+)"', a).group(1) for a in svgs]
    figures = [re.search(rf'<title id="{i}">([^<]+)</title>', html).group(1) for i in figures]
    assert len(figures) >= 5 and all(len(a) > 20 for a in figures)
    assert "Figure 1." in text and "Tableau 1." in text
    assert 'href="#apprenants"' in html and 'id="apprenants"' in html  # table of contents
    assert '<html lang="fr"' in html


def test_report_shows_no_code_and_no_parameters(project):
    _, fr, _ = project
    html = fr.html.read_text(encoding="utf-8")
    text = visible_text(html)
    for code in ("from fac_eval", "compute_session", "rep.header()", "raw_dir", "injected"):
        assert code not in html
    assert 'class="jp-InputArea' not in html and 'class="highlight' not in html
    assert "Parameters" not in text


def test_report_loads_nothing_from_another_host(project):
    _, fr, en = project
    for res in (fr, en):
        html = res.html.read_text(encoding="utf-8")
        # no element loads anything by URL (scripts, styles, images, fonts, iframes)
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", html, re.I)
        assert "<script" not in html.lower()


def test_outputs_beside_the_report(project):
    paths, fr, _ = project
    out = paths.reports / "2022"
    names = sorted(p.name for p in out.iterdir())
    # what stakeholders receive; the executed notebook is the evaluator's (data/processed/)
    assert names == ["indicateurs_2022.xlsx", "rapport_2022.html"]
    nb = nbformat.read(str(paths.processed / "2022" / "rapport_2022.ipynb"), as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    indicators = pd.read_csv(paths.processed / "2022" / "indicators.csv")
    row = indicators.set_index("indicator").loc["learners.self_esteem.improved"]
    assert (row["numerator"], row["denominator"]) == (7, 8)
    xlsx = pd.read_excel(out / "indicateurs_2022.xlsx", sheet_name="Indicateurs")
    assert "Numérateur" in xlsx.columns and "p ajustée (Holm)" in xlsx.columns
    assert len(xlsx) == len(indicators)


def test_english_report_of_a_synthetic_session(project):
    _, _, en = project
    html = en.html.read_text(encoding="utf-8")
    text = visible_text(html)
    assert '<html lang="en"' in html
    assert "Synthetic data" in text
    assert "Positive exit rate" in text or "positive exit" in text
    assert "Key figures" in text and "Methods and limits" in text
    outside_quotes = visible_text(re.sub(r"<blockquote.*?</blockquote>", "", html, flags=re.S))
    assert " sur " not in outside_quotes  # no French count left (quotes stay in French)


def test_english_report_of_2022_gives_claims_figures_in_english(project, tmp_path):
    paths, _, _ = project
    other = Paths(make_project(tmp_path / "en", sessions=("2022",)))
    res = run_session("2022", lang="en", paths=other)
    text = visible_text(res.html.read_text(encoding="utf-8"))
    assert "7 of 8 (88%)" in text and "22 of 22" in text and "2 statements in words only" in text
    claims_part = text.split("Agreement with the published assessment")[-1]
    assert " sur 8 (" not in claims_part.split("Methods and limits")[0]


def test_invalid_data_keeps_the_previous_report(project):
    paths, fr, _ = project
    before = fr.html.read_bytes()
    processed_before = (paths.processed / "2022" / "indicators.csv").read_bytes()
    raw = paths.raw / "2022" / "learners_entry.csv"
    saved = raw.read_bytes()
    try:
        raw.write_text(saved.decode("utf-8").replace(",4,", ",9,", 1), encoding="utf-8")
        with pytest.raises(RunError) as err:
            run_session("2022", paths=paths)
        assert err.value.kind == "invalid"
        assert "learners_entry.csv" in str(err.value) and "« 9 »" in str(err.value)
    finally:
        raw.write_bytes(saved)
    assert fr.html.read_bytes() == before
    assert (paths.processed / "2022" / "indicators.csv").read_bytes() == processed_before
    assert not [p for p in paths.reports.iterdir() if p.name.startswith(".")]


def test_failing_notebook_keeps_the_previous_report(project, tmp_path):
    paths, fr, _ = project
    before = fr.html.read_bytes()
    nb = nbformat.read(str(paths.notebooks / pipeline.NOTEBOOK), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('boom in the notebook')"))
    broken = paths.notebooks / "broken.ipynb"
    nbformat.write(nb, str(broken))
    with pytest.raises(RunError) as err:
        run_session("2022", paths=paths, notebook=broken)
    assert err.value.kind == "notebook" and "boom in the notebook" in str(err.value)
    assert fr.html.read_bytes() == before
    assert not [p for p in paths.reports.iterdir() if p.name.startswith(".")]


def test_parameters_are_checked_against_the_notebook(project):
    paths, _, _ = project
    with pytest.raises(ValueError, match="inconnu"):
        run_session("2022", paths=paths, parameters={"colour": "red"})
    with pytest.raises(ValueError, match="min_cell"):
        run_session("2022", paths=paths, parameters={"min_cell": "three"})
    declared = pipeline.notebook_parameters(paths.notebooks / pipeline.NOTEBOOK)
    assert {"session", "lang", "alpha", "min_cell", "confidence"} <= set(declared)
    assert pipeline.coerce_parameters(declared, {"alpha": "0.1", "min_cell": "5"}) == {
        "alpha": 0.1, "min_cell": 5}


def test_unknown_session_is_a_clear_error(project):
    paths, _, _ = project
    with pytest.raises(RunError, match="introuvable"):
        run_session("1999", paths=paths)


def test_committed_notebooks_are_thin_and_without_outputs():
    for path in (REPO / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(str(path), as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.get("outputs") for c in code), path
        assert all(not re.search(r"^\s*(def|class) ", c.source, re.M) for c in code), path
        params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1, path
        # typed, commented literals
        for line in params[0].source.splitlines():
            if line and not line.startswith("#"):
                assert re.match(r"^\w+: (str|int|float|bool) = .+  # .+", line), line


# ----------------------------------------------------------------------------------------------
# In a real browser
# ----------------------------------------------------------------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic", "--hide-scrollbars"]


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/run must install the Debian package")
        pytest.skip("chromium is not installed here (apt-get install chromium); CI installs it")
    return exe


def test_report_renders_in_headless_chromium(project, tmp_path):
    exe = chromium()
    _, fr, _ = project
    url = fr.html.resolve().as_uri()
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run([exe, *CHROMIUM_FLAGS, *profile, "--dump-dom", url],
                         capture_output=True, text=True, timeout=120).stdout
    assert "<title>" in dom and "session 2022" in dom
    assert dom.count('<figure class="fac-figure">') >= 5
    assert "Concordance avec le bilan publié" in dom
    shot = tmp_path / "rapport_2022.png"
    subprocess.run([exe, *CHROMIUM_FLAGS, *profile, "--window-size=1100,2400",
                    f"--screenshot={shot}", url], capture_output=True, timeout=120)
    from PIL import Image

    img = Image.open(shot).convert("RGB")
    assert img.size == (1100, 2400)
    # a rendered page (text, banner, charts), not a blank or error page
    colours = img.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 200
    # the report's green title rule and the reconstructed-data banner are drawn
    assert (0x0B, 0x6E, 0x4F) in {c for _, c in colours}
    # narrow (phone) layout renders too
    phone = tmp_path / "phone.png"
    subprocess.run([exe, *CHROMIUM_FLAGS, *profile, "--window-size=390,1600",
                    f"--screenshot={phone}", url], capture_output=True, timeout=120)
    assert Image.open(phone).size == (390, 1600)
    shutil.copy(shot, fr.html.parent / ".." / ".." / "screenshot_2022.png")


def test_two_runs_give_identical_tables_and_report_text(project, tmp_path):
    paths, fr, _ = project
    other = Paths(make_project(tmp_path / "again", sessions=("2022",)))
    again = run_session("2022", lang="fr", paths=other)
    # the tables (the executed notebook there carries the execution's timings)
    for name in sorted(p.name for p in (paths.processed / "2022").iterdir()
                       if p.suffix != ".ipynb"):
        assert (other.processed / "2022" / name).read_bytes() == \
            (paths.processed / "2022" / name).read_bytes(), name

    def masked(path):  # the generation time, and the code's commit (read at each render)
        text = re.sub(r'<span class="timestamp">[^<]*</span>', "", path.read_text(encoding="utf-8"))
        return re.sub(r"commit [0-9a-f]{7,40}( \([^)]*\))?", "commit …", text)

    assert masked(again.html) == masked(fr.html)  # figures included: PNG bytes are deterministic


def test_notebook_runs_top_to_bottom_with_its_defaults(tmp_path):
    """As an evaluator would in JupyterLab: no injected parameter, cwd = notebooks/."""
    import papermill

    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(REPO / "notebooks" / pipeline.NOTEBOOK), str(out),
                               kernel_name="python3", progress_bar=False,
                               cwd=str(REPO / "notebooks"))
    nb = nbformat.read(str(out), as_version=4)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs)
    assert "Form&#x27;Ain Cube — session 2022" in html
    assert not any(o.get("output_type") == "error" for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs)


def test_kernel_start_failure_is_retried_once(project, monkeypatch):
    import papermill

    paths, _, _ = project
    real = papermill.execute_notebook
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel didn't respond in 60 seconds")
        return real(*args, **kwargs)

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    res = run_session("2022", paths=paths)
    assert len(calls) == 2 and res.ok and res.html.exists()


def test_kernel_that_never_starts_fails_clearly_after_two_attempts(project, monkeypatch):
    import papermill

    paths, fr, _ = project
    before = fr.html.read_bytes()

    def dead(*args, **kwargs):
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(papermill, "execute_notebook", dead)
    with pytest.raises(RunError) as err:
        run_session("2022", paths=paths)
    assert err.value.kind == "kernel" and "deux essais" in str(err.value)
    assert fr.html.read_bytes() == before


def test_cell_execution_timeout(project):
    paths, fr, _ = project
    before = fr.html.read_bytes()
    nb = nbformat.read(str(paths.notebooks / pipeline.NOTEBOOK), as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("import time\ntime.sleep(30)"))
    slow = paths.notebooks / "slow.ipynb"
    nbformat.write(nb, str(slow))
    with pytest.raises(RunError) as err:
        run_session("2022", paths=paths, notebook=slow, timeout=3)
    assert err.value.kind == "timeout"
    assert "délai d'exécution de 3 s" in str(err.value)
    assert fr.html.read_bytes() == before
