"""Issue 10, attacker round 25 (F21): a relative FAC_EVAL_NAMES_FILE passed ``validate`` but made
``run`` fail: the kernel, started in ``notebooks/``, read the path from there and said the file
was "in a git repository". The kernel now gets the absolute path the CLI read (the key file's
too), so both read the same file.
"""

from __future__ import annotations

import os

from _guarantees import make_project, run_cli

from fac_eval.run import pipeline
from fac_eval.run.pipeline import Paths


def test_the_kernel_gets_the_names_and_key_files_the_cli_reads(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FAC_EVAL_NAMES_FILE", " noms.txt ")
    monkeypatch.setenv("FAC_EVAL_KEY_FILE", "secrets/cle.key")
    with pipeline.kernel_environment(Paths()):
        assert os.environ["FAC_EVAL_NAMES_FILE"] == str(tmp_path / "noms.txt")
        assert os.environ["FAC_EVAL_KEY_FILE"] == str(tmp_path / "secrets" / "cle.key")
    assert os.environ["FAC_EVAL_NAMES_FILE"] == " noms.txt "  # given back as it was


def test_a_run_with_a_relative_names_file_reads_the_same_file(tmp_path, monkeypatch, capsys):
    proj = make_project(tmp_path, monkeypatch, ["2022"])
    here = tmp_path / "ailleurs"
    here.mkdir()
    (here / "noms.txt").write_text("Zéphyrine Quenouille\n", encoding="utf-8")
    monkeypatch.chdir(here)
    monkeypatch.setenv("FAC_EVAL_NAMES_FILE", "noms.txt")
    code, out, err = run_cli(capsys, "run", "2022")
    assert code == 0, err
    assert "dépôt git" not in err and "Traceback" not in err
    assert (proj.reports / "2022" / "rapport_2022.html").is_file()
