"""Guarantee 1 (issue 10): an output folder that cannot be made, and a full disk.

A run whose ``reports/<s>`` or ``data/processed/<s>`` is a regular file (a user's file where
the folder should be) is refused before anything is written, naming the path: it used to
replace the file with the report folder and exit 0. A disk that fills up (``RLIMIT_FSIZE``
with SIGXFSZ ignored, so that writes fail with EFBIG, as root too) gives one clear paragraph
and leaves the previous outputs and the raw data as they were.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from _guarantees import EXE, REPO, make_project
from test_guarantees_paths import _leftovers, _minimal_notebook

_CMD = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "fac_eval.run.cli"]


def _env(proj) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO), **proj.env())


def _logged_notebook(tmp_path: Path, log: Path, seconds: float = 2.0) -> Path:
    """A notebook whose kernel writes its start and end times to ``log``."""
    body = (f"import os, time\nwith open({str(log)!r}, 'a') as f:\n"
            f"    f.write(f'{{os.getpid()}} start {{time.time()}}\\n')\n"
            f"time.sleep({seconds})\nwith open({str(log)!r}, 'a') as f:\n"
            f"    f.write(f'{{os.getpid()}} end {{time.time()}}\\n')\nprint('fin du rapport')\n")
    return _minimal_notebook(tmp_path / "logged.ipynb", body)


def _report(proj, session: str = "2022") -> Path:
    return proj.reports / session / f"rapport_{session}.html"


def _complete(html: Path) -> bool:
    text = html.read_text(encoding="utf-8")
    return text.rstrip().endswith("</html>") and "fin du rapport" in text


# --------------------------------------------------------------------------------------------
# Disk full: writes fail with EFBIG
# --------------------------------------------------------------------------------------------

def _limited(limit: int):
    def preexec():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # inherited by exec: writes get EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


@pytest.mark.parametrize("limit", [2_000, 60_000])
def test_disk_full_gives_one_clear_paragraph_and_changes_nothing(tmp_path, limit):
    proj = make_project(tmp_path, sessions=("2022",))
    proj.previous_outputs("2022")
    before = proj.snapshot()
    nb = _logged_notebook(tmp_path, tmp_path / "kernels.log", seconds=0)
    res = subprocess.run(_CMD + ["run", "2022", "--notebook", str(nb)], env=_env(proj),
                         capture_output=True, text=True, timeout=600,
                         preexec_fn=_limited(limit))
    err = res.stderr.strip()
    assert res.returncode == 1, (res.stdout, err)
    assert "Traceback" not in err and "noyau" not in err
    assert "(EFBIG)" in err and "plus grand que ce que le système permet" in err, err
    assert str(proj.root) in err  # the path that could not be written
    assert "\n\n" not in err
    assert "Les sorties précédentes sont inchangées" in err
    assert proj.snapshot() == before
    assert _leftovers(proj.processed, proj.reports) == []


# --------------------------------------------------------------------------------------------
# An output folder that cannot be made (fails as root too)
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["reports", "processed"])
@pytest.mark.parametrize("command", ["run", "clean"])
def test_an_output_folder_that_is_a_file(tmp_path, which, command):
    proj = make_project(tmp_path, sessions=("2022",))
    root = proj.reports if which == "reports" else proj.processed
    root.mkdir(parents=True)
    (root / "2022").write_text("un fichier, pas un dossier\n", encoding="utf-8")
    before = proj.snapshot()
    nb = _logged_notebook(tmp_path, tmp_path / "kernels.log", seconds=0)
    args = ["run", "2022", "--notebook", str(nb)] if command == "run" else ["clean", "2022"]
    res = subprocess.run(_CMD + args, env=_env(proj), capture_output=True, text=True,
                         timeout=600)
    err = res.stderr.strip()
    if command == "clean" and which == "reports":
        assert res.returncode == 0, err  # clean writes no report: the file is not in its way
        return
    assert res.returncode == 1, (res.stdout, err)
    assert "Traceback" not in err and "noyau" not in err
    assert str(root / "2022") in err and "(ENOTDIR)" in err, err
    assert proj.snapshot() == before  # the file kept, nothing else written
    assert _leftovers(proj.processed, proj.reports) == []
    assert not (tmp_path / "kernels.log").exists()  # refused before the kernel ran


# --------------------------------------------------------------------------------------------
# A folder the user put inside an output folder is never removed by a run (nothing lost)
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("where, sub, files", [
    ("processed", "sauvegarde", ("session.yml", "learners_profile.csv")),  # a raw session
    ("reports", "export_brut", ("export.csv",)),  # any file of the user's
    ("reports", "vide", ()),  # even an empty folder
    ("processed", "a/b", ("notes.txt",)),  # deeper
])
def test_a_run_refuses_to_replace_a_folder_holding_a_users_folder(tmp_path, capsys,
                                                                  monkeypatch, where, sub, files):
    from _guarantees import run_cli, tree

    proj = make_project(tmp_path, monkeypatch, sessions=("2022",))
    proj.previous_outputs("2022")
    base = (proj.processed if where == "processed" else proj.reports) / "2022"
    folder = base / sub
    folder.mkdir(parents=True)
    for name in files:
        (folder / name).write_text(f"{name} de l'évaluatrice\n", encoding="utf-8")
    before = {"processed": tree(proj.processed / "2022"), "reports": tree(proj.reports / "2022")}
    code, _, err = run_cli(capsys, "run", "2022")
    assert code == 1, err
    top = sub.split("/")[0]
    assert (f"Écriture refusée : {base} contient un dossier que fac-eval ne crée pas ({top})"
            in err), err
    assert "Rien n'a été modifié." in err and "Traceback" not in err
    assert {"processed": tree(proj.processed / "2022"),
            "reports": tree(proj.reports / "2022")} == before


def test_jupyters_checkpoints_do_not_block_a_run(tmp_path):
    """JupyterLab writes .ipynb_checkpoints beside the executed notebooks it opens: copies of
    generated files, which a run may replace."""
    from fac_eval.data import session_paths

    proj = make_project(tmp_path, sessions=("2022",))
    folder = proj.processed / "2022" / ".ipynb_checkpoints"
    folder.mkdir(parents=True)
    paths = session_paths.Paths(proj.root)
    assert session_paths.guard_output(proj.processed / "2022", paths, roots=False) == \
        proj.processed / "2022"


@pytest.mark.parametrize("root", ["processed", "reports"])
def test_synth_never_writes_a_raw_session_into_an_output_root(tmp_path, capsys, monkeypatch,
                                                              root):
    from _guarantees import run_cli

    proj = make_project(tmp_path, monkeypatch, sessions=("2022",))
    out = (proj.processed if root == "processed" else proj.reports) / "2022" / "sub"
    code, _, err = run_cli(capsys, "synth", "zz", "--learners", "6", "--founders", "2",
                           "--seed", "1", "--out", str(out))
    assert code == 1
    assert f"Écriture refusée : {out} est dans" in err and f"FAC_EVAL_{root.upper()}" in err
    assert not out.exists()
