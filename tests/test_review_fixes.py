"""Regressions found by independent tries of the guarantees (issue 10) and of the workbench
(issue 15), each fixed at its root: the same published-claims exemption in the HTML as in the
export, spaced e-mails and freely grouped phone numbers, no kernel stderr in a published report,
the names-file line in the provenance, no write through a linked raw session, papermill's
numeric session names."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from fac_eval import report
from fac_eval.analysis import results as analysis
from fac_eval.data import parameters, session_paths
from fac_eval.disclosure import pii
from fac_eval.run import pipeline

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def _text(html) -> str:
    import html as html_lib
    import re

    raw = html.data if hasattr(html, "data") else str(html)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", raw))


def _rqth_one_of_eight(tmp_path: Path) -> Path:
    session = tmp_path / "raw" / "s"
    shutil.copytree(RAW / "2022", session)
    path = session / "learners_profile.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for i, r in enumerate(rows):
        r["rqth"] = "yes" if i == 0 else "no"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return session


def test_a_published_claim_the_data_contradict_exempts_nothing_in_the_report(tmp_path):
    """6 of 8 published, 1 of 8 computed: the HTML masks it like the export, and the
    concordance table does not print the computed small cell either."""
    results = analysis.compute_session(_rqth_one_of_eight(tmp_path))
    for lang in ("fr", "en"):
        rep = report.Report(results, lang=lang)
        public = _text(rep.public())
        assert "RQTH" in public
        assert "1 apprenant sur 8" not in public and "1 learner out of 8" not in public
        # the masked RQTH line is not exempted; the one "already published" note (round 6)
        # belongs to the 24-month share, which the publication does state and the data match
        assert public.count("déjà publié") + public.count("already published") == 1
        line = public.split("RQTH", 1)[1][:80]
        assert "déjà publié" not in line and "already published" not in line
        claims = _text(rep.claims())
        assert "1 sur 8" not in claims and "1 of 8" not in claims
        assert ("masqué" in claims) if lang == "fr" else ("hidden" in claims)


@pytest.mark.parametrize("text", [
    "Contact : jean.dupont @ gmail . com", "jean.dupont@gmail . com", "zoe.martin @orange. fr",
    "Appelez le 0612 345 678", "06 123 456 78", "061 234 5678", "0612.345.678", "0474 123 456",
])
def test_spaced_e_mails_and_freely_grouped_phones_are_found(text):
    assert pii.find_pii(text), text


@pytest.mark.parametrize("text", [
    "le 01/02/2022 10:00 à 12:00", "En 2022 . Merci", "score 10 . 5 points", "ref 0123 456",
    "de 2019 à 2022 1200 euros", "Fin . com", "8 sur 8 . Bravo",
])
def test_ordinary_numbers_and_punctuation_are_not_personal_data(text):
    assert pii.find_pii(text) == [], text


def test_kernel_stderr_never_reaches_the_published_html(tmp_path):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('session = "2022"\nlang = "fr"')
    params.metadata["tags"] = ["parameters"]
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr",
                               text="/tmp/ipykernel_1/42.py:7: NamesNotCheckedWarning: A04\n"),
        nbformat.v4.new_output("stream", name="stdout", text="visible output\n"),
    ]
    nb.cells = [params, cell]
    path = tmp_path / "executed.ipynb"
    nbformat.write(nb, str(path))
    html = pipeline.export_html(path, lang="fr")
    assert "visible output" in html
    assert "NamesNotCheckedWarning" not in html and "ipykernel" not in html


def _real_copy(tmp_path: Path) -> Path:
    import yaml

    session = tmp_path / "raw" / "real"
    shutil.copytree(RAW / "synth-2024", session)
    meta = yaml.safe_load((session / "session.yml").read_text(encoding="utf-8"))
    meta["data_kind"] = "real"
    meta.pop("generator", None), meta.pop("seed", None)  # a generated session's keys
    (session / "session.yml").write_text(yaml.safe_dump(meta, allow_unicode=True),
                                         encoding="utf-8")
    return session


def test_real_session_without_names_file_says_so_in_the_provenance(tmp_path):
    results = analysis.compute_session(_real_copy(tmp_path), names=[])
    results.names_checked = False
    fr = _text(report.Report(results, lang="fr").provenance())
    en = _text(report.Report(results, lang="en").provenance())
    assert "Aucune liste de noms n'a été vérifiée" in fr
    assert "No list of names was checked" in en
    results.names_checked = True
    assert "Vérifiée" in _text(report.Report(results, lang="fr").provenance())


def test_the_terminal_warning_is_one_plain_line(tmp_path):
    _real_copy(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "FAC_EVAL_NAMES_FILE"}
    env.update(FAC_EVAL_RAW=str(tmp_path / "raw"), FAC_EVAL_PROCESSED=str(tmp_path / "p"),
               FAC_EVAL_REPORTS=str(tmp_path / "r"))
    for lang, words in (("fr", "Aucune liste de noms n'a été vérifiée"),
                        ("en", "No list of names was checked")):
        out = subprocess.run([sys.executable, "-m", "fac_eval.run.cli", "clean", "real", "--lang", lang],
                             capture_output=True, text=True, env=env, timeout=300)
        assert out.returncode == 0, out.stderr
        assert words in out.stderr
        assert "NamesNotCheckedWarning" not in out.stderr and ".py:" not in out.stderr


def test_no_write_through_a_linked_raw_session(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(RAW / "2022", raw / "2022")
    (raw / "lk").symlink_to(raw / "2022", target_is_directory=True)
    monkeypatch.setenv("FAC_EVAL_RAW", str(raw))
    with pytest.raises(session_paths.PathGuardError) as err:
        session_paths.guard_new_raw_file(raw / "lk" / "new.csv")
    assert "lien" in err.value.message("fr") and "link" in err.value.message("en")
    # a new file in a real (not linked) session folder is still allowed
    assert session_paths.guard_new_raw_file(raw / "2022" / "new.csv") == raw / "2022" / "new.csv"


def test_pseudonymise_refuses_a_linked_raw_session_through_the_cli(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW / "2022", raw / "2022")
    (raw / "lk").symlink_to(raw / "2022", target_is_directory=True)
    src = tmp_path / "export.csv"
    src.write_text("Nom,Prénom\nMartin,Zoé\n", encoding="utf-8")
    env = dict(os.environ, FAC_EVAL_RAW=str(raw), FAC_EVAL_KEY="k" * 32)
    out = subprocess.run([sys.executable, "-m", "fac_eval.run.cli", "pseudonymise", str(src),
                          str(raw / "lk" / "learners_profile_new.csv")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 1 and "lien" in out.stderr and "Traceback" not in out.stderr
    assert not (raw / "2022" / "learners_profile_new.csv").exists()


def test_papermill_numeric_session_names_are_accepted():
    checked = parameters.check_report_parameters(session=2022, lang="fr", alpha=0.05,
                                                 min_cell=3, confidence=0.95)
    assert checked["session"] == "2022"
    for bad in (True, -1, 2.5):
        with pytest.raises(parameters.ParameterError):
            parameters.check_report_parameters(session=bad, lang="fr", alpha=0.05, min_cell=3,
                                               confidence=0.95)
