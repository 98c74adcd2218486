"""Guarantee 1 (issue 10) with real processes: two runs of one session at once are serialised,
never interleaved, and a run killed late (its report written, not yet swapped in) leaves every
output as it was.

These run the installed ``fac-eval`` with the real report notebook (the unit tests of
``fac_eval.run.outputs`` and the minimal-notebook kill test in ``test_guarantees_paths.py`` cover
the swap's own steps).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from _guarantees import EXE, REPO, make_project, run_exe, tree

from fac_eval.run import outputs


def _spawn(proj, *args) -> subprocess.Popen:
    cmd = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "fac_eval.run.cli"]
    return subprocess.Popen(cmd + [str(a) for a in args],
                            env=dict(os.environ, PYTHONPATH=str(REPO), **proj.env()),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=proj.root, start_new_session=True)


def _leftovers(*roots) -> list[str]:
    return sorted(p.name for r in roots if r.is_dir() for p in r.iterdir()
                  if p.name.startswith(".") and p.name != outputs.LOCK_DIR)


def test_a_french_and_an_english_run_at_once_are_serialised_and_keep_both_reports(tmp_path):
    """Interleaved runs would lose a report: each run carries the other language's files over
    from the folder it found, so a run that started before the other's swap and swapped after it
    would drop the other's report. Serialised by the session's lock, both reports are there,
    complete, and one run said it was waiting."""
    proj = make_project(tmp_path, sessions=("2022",))
    first = _spawn(proj, "run", "2022", "--lang", "fr")
    second = _spawn(proj, "run", "2022", "--lang", "en")
    results = [p.communicate(timeout=600) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], results
    waited = [err for _, err in results
              if "est en cours" in err or "in progress" in err]
    assert len(waited) == 1, results  # exactly one of them waited for the other
    folder = proj.reports / "2022"
    for name in (outputs.report_file("2022", "fr"), outputs.report_file("2022", "en"),
                 outputs.export_file("2022", "fr"), outputs.export_file("2022", "en")):
        assert (folder / name).is_file(), (name, sorted(p.name for p in folder.iterdir()))
    for lang in ("fr", "en"):
        html = (folder / outputs.report_file("2022", lang)).read_text(encoding="utf-8")
        assert html.rstrip().endswith("</html>")  # complete, not half-written
        assert f'lang="{lang}"' in html[:500]
    assert (proj.processed / "2022" / "indicators.csv").is_file()
    assert _leftovers(proj.processed, proj.reports) == []
    # both made from the same inputs: recorded so, and a new English run keeps the French files
    stamps = json.loads((proj.processed / "2022" / outputs.INPUTS_FILE).read_text("utf-8"))
    assert sorted(stamps) == ["en", "fr"] and stamps["en"] == stamps["fr"]

    # the raw data change (a quote), then a run in English only: the French report, export
    # and notebook of the earlier run say other things, so they go, and it is said
    quotes = proj.raw / "2022" / "testimonies.csv"
    text = quotes.read_text(encoding="utf-8")
    assert "sans confiance en moi" in text
    quotes.write_text(text.replace("sans confiance en moi", "sans grande confiance"),
                      encoding="utf-8")
    out, err = _spawn(proj, "run", "2022", "--lang", "en").communicate(timeout=600)
    assert (folder / outputs.report_file("2022", "en")).is_file(), err
    french = outputs.session_files("2022", "fr")
    left = [n for n in french if (folder / n).exists() or (proj.processed / "2022" / n).exists()]
    assert left == [], left
    assert "Removed: rapport_2022.html" in err and "indicateurs_2022.xlsx" in err, err
    assert "other data or parameters" in err
    stamps = json.loads((proj.processed / "2022" / outputs.INPUTS_FILE).read_text("utf-8"))
    assert sorted(stamps) == ["en"]


def test_a_run_killed_after_writing_its_report_changes_nothing(tmp_path):
    """Killed (with its kernel, as a crash or an out-of-memory kill would) at the latest
    moment before the swap: its report is written in the staging folder. Both outputs stay
    byte-identical; the next run removes what the killed one left and swaps in its own."""
    proj = make_project(tmp_path, sessions=("2022",))
    proj.previous_outputs("2022")
    before = {"processed": tree(proj.processed / "2022"), "reports": tree(proj.reports / "2022")}
    proc = _spawn(proj, "run", "2022")
    staged_report = None
    try:
        deadline = time.time() + 300
        while time.time() < deadline and proc.poll() is None:
            hits = [d / outputs.report_file("2022", "fr")
                    for d in (proj.processed / outputs.STAGING_DIR).glob(f"{outputs.TMP}2022~*")]
            hits = [h for h in hits if h.is_file()]
            if hits:
                staged_report = hits[0]
                break
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
    assert staged_report is not None, "the run swapped in before it could be killed"
    assert {"processed": tree(proj.processed / "2022"),
            "reports": tree(proj.reports / "2022")} == before
    assert _leftovers(proj.processed)  # what the killed run left behind: never in reports/
    assert _leftovers(proj.reports) == []
    res = run_exe(proj, "run", "2022")
    assert res.returncode == 0, res.stderr
    assert _leftovers(proj.processed, proj.reports) == []
    html = (proj.reports / "2022" / outputs.report_file("2022", "fr")).read_text(encoding="utf-8")
    assert "previous" not in html and html.rstrip().endswith("</html>")
