"""Guarantee 1 (issue 10): raw data are never written, moved or deleted.

Adversarial variants, through the command line as a user runs it (``cli.main`` in-process, and the
installed ``fac-eval`` where a process matters: kill, lock), each asserting the exit code, the
message (the value, the path, what is expected), that the raw tree is byte-identical afterwards
and that no processed table or report changed when the command failed.

Classes: a session argument is a name, never a path; outputs never touch raw data, even through
links or misconfigured roots; only new-session and synth create raw folders, never over an existing
one; processed tables and the report are swapped together only after a complete run; a killed run
is cleaned up by the next one; two runs of a session are serialised by a lock; operating-system
failures give one message naming the path.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from _guarantees import EXE, REPO, make_project, run_cli, run_exe, tree

from fac_eval.core.invisible import shown
from fac_eval.data import session_paths
from fac_eval.run import outputs, swap_repair

LEAK_WORDS = re.compile(r"Données personnelles trouvées")
SYNTH = ["--learners", "5", "--founders", "2", "--seed", "3"]

BAD_NAMES = [
    "../raw/2022", "..", ".", "2022/", "./2022", "a..b", "2022/../synth-2024", "x" * 65,
    "2022\\x", ".hidden", "2022 ", "é2022", "~", "$HOME", "", "2022\n", "raw/2022", "*",
]


def _commands(name: str) -> list[list[str]]:
    return [["validate", name], ["clean", name], ["claims", name], ["run", name],
            ["batch", "--quiet", name], ["new-session", name], ["synth", name, *SYNTH],
            ["compare", "2022", name], ["quality", name]]


def _minimal_notebook(path: Path, body: str) -> Path:
    """A report notebook with the schema's parameters cell and ``body`` as its only cell."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'session: str = "2022"\nlang: str = "fr"\nalpha: float = 0.05\nmin_cell: int = 3\n'
        "confidence: float = 0.95\n")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, str(path))
    return path


def _leftovers(*roots: Path) -> list[str]:
    return sorted(p.name for r in roots if r.is_dir() for p in r.iterdir()
                  if p.name.startswith(".") and p.name != outputs.LOCK_DIR)


# --------------------------------------------------------------------------------------------
# A session is a name, not a path
# --------------------------------------------------------------------------------------------

class TestNamesNotPaths:
    @pytest.mark.parametrize("name", BAD_NAMES)
    def test_every_command_refuses_a_path_or_odd_name(self, tmp_path, monkeypatch, capsys, name):
        proj = make_project(tmp_path, monkeypatch)
        proj.previous_outputs("2022")
        before = proj.snapshot()
        for args in _commands(name):
            code, out, err = run_cli(capsys, *args)
            assert code == 2, (args, out, err)
            assert "Nom de session invalide" in err or "Nom de comparaison invalide" in err, (args, err)
            # the name as given, a control character made visible ("2022<LF>")
            quoted = shown(name)
            assert (f"« {quoted}" in err) if len(quoted) <= 80 else (f"« {quoted[:77]}" in err)
            assert "64 caractères au plus" in err and "Traceback" not in err
            assert proj.snapshot() == before, args

    def test_absolute_path_of_a_real_session(self, tmp_path, monkeypatch, capsys):
        """Today's worst case: `clean /abs/raw/2022` replaced the raw folder."""
        proj = make_project(tmp_path, monkeypatch)
        before = proj.snapshot()
        for args in _commands(str(proj.raw / "2022")) + _commands(str(proj.raw)):
            code, _, err = run_cli(capsys, *args)
            assert code == 2 and "c'est un chemin, pas un nom" in err, (args, err)
        code, _, err = run_cli(capsys, "clean", "../raw/2022", "--lang", "en")
        assert code == 2 and "Invalid session name '../raw/2022': this is a path" in err
        assert proj.snapshot() == before

    def test_installed_command_relative_path_from_the_processed_root(self, tmp_path):
        proj = make_project(tmp_path)
        proj.processed.mkdir()
        before = proj.snapshot()
        res = run_exe(proj, "clean", "../raw/2022", cwd=proj.processed)
        assert res.returncode == 2 and "Nom de session invalide « ../raw/2022 »" in res.stderr
        assert "Traceback" not in res.stderr
        assert proj.snapshot() == before

    def test_longest_name_is_accepted(self, tmp_path, monkeypatch, capsys):
        proj = make_project(tmp_path, monkeypatch, sessions=())
        name = "s" * 64
        assert run_cli(capsys, "new-session", name)[0] == 0
        assert (proj.raw / name / "session.yml").is_file()
        assert session_paths.check_name("a.b_c-9") == "a.b_c-9"


# --------------------------------------------------------------------------------------------
# Outputs never touch raw data
# --------------------------------------------------------------------------------------------

class TestOutputsNeverTouchRaw:
    def test_processed_folder_linked_into_raw(self, tmp_path, monkeypatch, capsys):
        proj = make_project(tmp_path, monkeypatch)
        proj.processed.mkdir()
        (proj.processed / "2022").symlink_to(proj.raw / "2022", target_is_directory=True)
        before = proj.snapshot()
        for args in (["clean", "2022"], ["run", "2022"]):
            code, _, err = run_cli(capsys, *args)
            assert code == 1, (args, err)
            assert f"{proj.processed / '2022'} est un lien symbolique" in err
            assert "n'écrit jamais à travers un lien" in err
        assert proj.snapshot() == before

    def test_report_folder_linked_into_raw(self, tmp_path, monkeypatch, capsys):
        proj = make_project(tmp_path, monkeypatch)
        proj.reports.mkdir()
        (proj.reports / "synth-2024").symlink_to(proj.raw / "synth-2024")
        before = proj.snapshot()
        code, _, err = run_cli(capsys, "run", "synth-2024", "--lang", "en")
        assert code == 1 and "is a symbolic link" in err and "never writes through a link" in err
        assert proj.snapshot() == before

    @pytest.mark.parametrize("where", ["raw root", "inside a session", "link to raw",
                                       "inside a linked session"])
    def test_misconfigured_processed_root(self, tmp_path, monkeypatch, capsys, where):
        proj = make_project(tmp_path, monkeypatch)
        outside = tmp_path / "elsewhere" / "sess"
        shutil.copytree(REPO / "data" / "raw" / "2022", outside)
        (proj.raw / "linked").symlink_to(outside, target_is_directory=True)
        processed = {"raw root": proj.raw, "inside a session": proj.raw / "2022" / "out",
                     "link to raw": tmp_path / "proc-link",
                     "inside a linked session": outside / "out"}[where]
        if where == "link to raw":
            processed.symlink_to(proj.raw, target_is_directory=True)
        monkeypatch.setenv("FAC_EVAL_PROCESSED", str(processed))
        before, before_outside = proj.snapshot(), tree(outside)
        for session in ("2022", "synth-2024", "linked"):
            code, _, err = run_cli(capsys, "clean", session)
            assert code == 1, (session, err)
            assert (("Écriture refusée" in err and "recouvre les données brutes" in err
                     and "FAC_EVAL_PROCESSED" in err)
                    or "est un lien symbolique" in err), (session, err)
        assert proj.snapshot() == before and tree(outside) == before_outside

    def test_reports_root_around_the_raw_root(self, tmp_path, monkeypatch, capsys):
        """FAC_EVAL_REPORTS = the folder holding raw/: the report of a session named "raw" would
        replace the raw root."""
        proj = make_project(tmp_path, monkeypatch)
        shutil.copytree(proj.raw / "2022", proj.raw / "raw")
        monkeypatch.setenv("FAC_EVAL_REPORTS", str(proj.root))
        before = proj.snapshot()
        code, _, err = run_cli(capsys, "run", "raw")
        assert code == 1 and "Écriture refusée" in err and str(proj.raw) in err
        code, _, err = run_cli(capsys, "compare", "2022", "synth-2024", "--name", "raw")
        assert code == 0 or "Écriture refusée" not in err  # comparaisons/raw is not raw data
        assert proj.snapshot()["raw"] == before["raw"]

    def test_comparison_into_raw_is_refused(self, tmp_path, monkeypatch, capsys):
        proj = make_project(tmp_path, monkeypatch)
        monkeypatch.setenv("FAC_EVAL_REPORTS", str(proj.raw / "2022"))
        before = proj.snapshot()
        code, _, err = run_cli(capsys, "compare", "2022", "synth-2024", "--lang", "en")
        assert code == 1 and "Write refused" in err and "overlaps the raw data" in err
        assert proj.snapshot() == before

    def test_comparison_with_the_processed_root_in_raw(self, tmp_path, monkeypatch, capsys):
        """compare writes no table, but its lock lives in the processed root: never in raw."""
        proj = make_project(tmp_path, monkeypatch)
        monkeypatch.setenv("FAC_EVAL_PROCESSED", str(proj.raw / "synth-2024"))
        before = proj.snapshot()
        code, _, err = run_cli(capsys, "compare", "2022", "synth-2024")
        assert code == 1 and "recouvre les données brutes" in err, err
        assert proj.snapshot() == before

    def test_symlinked_raw_session_is_read_never_written(self, tmp_path, monkeypatch, capsys):
        proj = make_project(tmp_path, monkeypatch, sessions=())
        outside = tmp_path / "store" / "2022"
        shutil.copytree(REPO / "data" / "raw" / "2022", outside)
        (proj.raw / "linked").symlink_to(outside, target_is_directory=True)
        before = tree(outside)
        assert run_cli(capsys, "validate", "linked")[0] == 0
        code, out, _ = run_cli(capsys, "clean", "linked")
        assert code == 0 and (proj.processed / "linked" / "indicators.csv").is_file()
        assert run_cli(capsys, "claims", "linked")[0] in (0, 1)
        code, _, err = run_cli(capsys, "new-session", "linked")
        assert code == 1 and "existe déjà" in err
        code, _, err = run_cli(capsys, "synth", "linked", *SYNTH)
        assert code == 1 and "existe déjà" in err
        assert tree(outside) == before
        assert not (proj.processed / "linked").is_symlink()


# --------------------------------------------------------------------------------------------
# Only new-session and synth create raw folders, only new ones
# --------------------------------------------------------------------------------------------

class TestNewRawFolders:
    @pytest.mark.parametrize("lang", ["fr", "en"])
    def test_synth_refuses_an_existing_session_exactly_as_new_session(self, tmp_path, monkeypatch,
                                                                       capsys, lang):
        proj = make_project(tmp_path, monkeypatch)
        before = proj.snapshot()
        code_n, out_n, err_n = run_cli(capsys, "new-session", "2022", "--lang", lang)
        code_s, out_s, err_s = run_cli(capsys, "synth", "2022", *SYNTH, "--lang", lang)
        assert code_n == code_s == 1
        assert err_n == err_s and str(proj.raw / "2022") in err_s
        assert ("already exists: raw data are never overwritten" if lang == "en"
                else "existe déjà : les données brutes ne sont jamais écrasées") in err_s
        assert proj.snapshot() == before

    def test_existing_targets_of_every_kind(self, tmp_path, monkeypatch, capsys):
        proj = make_project(tmp_path, monkeypatch)
        (proj.raw / "ghost").symlink_to(tmp_path / "nowhere")        # a dangling link
        (proj.raw / "afile").write_text("x")                          # a file
        (proj.raw / "empty").mkdir()                                  # an empty folder
        outside = tmp_path / "out-existing"
        outside.mkdir()
        before = proj.snapshot()
        for args in (["new-session", "ghost"], ["synth", "ghost", *SYNTH],
                     ["new-session", "afile"], ["synth", "afile", *SYNTH],
                     ["new-session", "empty"], ["synth", "empty", *SYNTH],
                     ["synth", "x", *SYNTH, "--out", str(outside)],
                     ["synth", "x", *SYNTH, "--out", str(proj.raw / "2022")]):
            code, _, err = run_cli(capsys, *args)
            # a dangling link is said to be one (it does not "already exist")
            said = ("est un lien symbolique vers" if "ghost" in args else "existe déjà")
            assert code == 1 and said in err, (args, err)
        assert not (tmp_path / "nowhere").exists() and list(outside.iterdir()) == []
        assert proj.snapshot() == before

    def test_synth_out_inside_a_session_is_refused(self, tmp_path, monkeypatch, capsys):
        proj = make_project(tmp_path, monkeypatch)
        before = proj.snapshot()
        for out in (proj.raw / "2022" / "sub", proj.raw / "2022" / "a" / "b",
                    proj.raw / "synth-2024" / "x"):
            code, _, err = run_cli(capsys, "synth", "x", *SYNTH, "--out", str(out))
            assert code == 1 and "Écriture refusée" in err and str(out) in err
        assert proj.snapshot() == before

    def test_pseudonymise_never_overwrites_a_raw_file(self, tmp_path, monkeypatch, capsys):
        proj = make_project(tmp_path, monkeypatch)
        monkeypatch.setenv("FAC_EVAL_KEY", "a-long-enough-secret-key-for-tests")
        export = tmp_path / "export.csv"
        export.write_text("Prénom,Nom,E-mail,q1\nZoé,Martin,zoe@example.org,3\n", encoding="utf-8")
        before = proj.snapshot()
        for target in (proj.raw / "2022" / "learners_entry.csv", proj.raw / "synth-2024" / "session.yml"):
            code, _, err = run_cli(capsys, "pseudonymise", export, target)
            assert code == 1 and "existe déjà" in err and str(target) in err, err
        assert proj.snapshot() == before

    def test_synth_writes_a_new_session_then_refuses_to_overwrite_it(self, tmp_path, monkeypatch,
                                                                    capsys):
        proj = make_project(tmp_path, monkeypatch)
        assert run_cli(capsys, "synth", "demo", *SYNTH)[0] == 0
        written = tree(proj.raw / "demo")
        assert "session.yml" in written and "learners_entry.csv" in written
        code, _, err = run_cli(capsys, "synth", "demo", "--learners", "9", "--founders", "3",
                               "--seed", "4")
        assert code == 1 and "existe déjà" in err
        assert tree(proj.raw / "demo") == written


# --------------------------------------------------------------------------------------------
# Both outputs swapped together, only after a complete run
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="class")
def after_a_run(tmp_path_factory):
    """A project where `fac-eval run synth-2024 -p alpha=0,1` succeeded once."""
    base = tmp_path_factory.mktemp("swap")
    proj = make_project(base, sessions=("synth-2024",))
    res = run_exe(proj, "run", "synth-2024", "-p", "alpha=0,1", "-p", "confidence=0,9",
                  timeout=600)
    assert res.returncode == 0, res.stderr
    return proj


class TestSwapTogether:
    def test_the_run_wrote_both_and_left_nothing_behind(self, after_a_run):
        proj = after_a_run
        assert (proj.processed / "synth-2024" / "indicators.csv").is_file()
        assert (proj.reports / "synth-2024" / "rapport_synth-2024.html").is_file()
        import pandas as pd

        table = pd.read_csv(proj.processed / "synth-2024" / "indicators.csv")
        # the confidence given with a decimal comma reached the tables
        assert set(table["confidence"].dropna()) == {0.9}
        assert _leftovers(proj.processed, proj.reports) == []
        assert tree(proj.raw / "synth-2024") == tree(REPO / "data" / "raw" / "synth-2024")

    @pytest.mark.parametrize("extra", [["-p", "alpha=-1"], ["-p", "min_cell=1"],
                                       ["-p", "confidence=2"]])
    def test_a_refused_parameter_changes_nothing(self, after_a_run, monkeypatch, capsys, extra):
        proj = after_a_run
        for k, v in proj.env().items():
            monkeypatch.setenv(k, v)
        before = proj.snapshot()
        code, _, err = run_cli(capsys, "run", "synth-2024", *extra)
        assert code == 2
        assert proj.snapshot() == before  # indicators.csv included (issue 10's example)

    @pytest.mark.parametrize("kind", ["crash", "leak"])
    def test_a_failed_notebook_leaves_both_folders(self, after_a_run, tmp_path, kind):
        proj = after_a_run
        body = {"crash": "raise RuntimeError('boom in the notebook')",
                # an evaluator's careless cell: the raw table, ids included, in the report
                "leak": "import pandas as pd\nfrom fac_eval.data import session_paths\n"
                        "pd.read_csv(session_paths.raw_session_dir(session) / "
                        "'learners_profile.csv')"}[kind]
        nb = _minimal_notebook(tmp_path / f"{kind}.ipynb", body)
        before = proj.snapshot()
        res = run_exe(proj, "run", "synth-2024", "--notebook", nb)
        assert res.returncode == 1, res.stderr
        if kind == "crash":
            assert "boom in the notebook" in res.stderr
        else:
            assert LEAK_WORDS.search(res.stderr), res.stderr
        assert "Le rapport précédent est inchangé" in res.stderr
        assert "Traceback" not in res.stderr
        assert proj.snapshot() == before
        assert _leftovers(proj.processed, proj.reports) == []


class TestCommitIsAllOrNothing:
    def _stage(self, tmp_path, monkeypatch):
        proj = make_project(tmp_path, monkeypatch, sessions=("2022",))
        proj.previous_outputs("2022")
        targets = [proj.processed / "2022", proj.reports / "2022"]
        return proj, targets

    def test_failure_during_the_swap_is_undone(self, tmp_path, monkeypatch):
        proj, targets = self._stage(tmp_path, monkeypatch)
        before = proj.snapshot()
        real_replace = os.replace
        calls = []

        def flaky(src, dst):
            calls.append((src, dst))
            if len(calls) == 3:  # processed swapped, the report's old folder moved: then EACCES
                raise PermissionError(errno.EACCES, "Permission denied", str(src))
            return real_replace(src, dst)

        with outputs.Staging("2022", targets) as st:
            for t in targets:
                (st[t] / "new.txt").write_text("new")
            monkeypatch.setattr(outputs.os, "replace", flaky)
            with pytest.raises(PermissionError):
                st.commit()
            monkeypatch.setattr(outputs.os, "replace", real_replace)
        assert proj.snapshot() == before
        assert _leftovers(proj.processed, proj.reports) == []
        assert not list((proj.processed / outputs.LOCK_DIR).glob("*.swap.json"))

    def test_a_swap_killed_half_way_is_completed_by_the_next_run(self, tmp_path, monkeypatch):
        proj, targets = self._stage(tmp_path, monkeypatch)
        st = outputs.Staging("2022", targets).__enter__()
        for t in targets:
            (st[t] / "new.txt").write_text(f"new {t.parent.name}")
        # what a process killed in the middle of commit() leaves: journal, first swap done
        journal = outputs._journal("2022", session_paths.Paths())
        journal.parent.mkdir(parents=True, exist_ok=True)
        old = [t.parent / f"{outputs.OLD}{t.name}~4194999~deadbeef" for t in targets]
        journal.write_text(__import__("json").dumps(
            [[str(t), str(st[t]), str(o), False] for t, o in zip(targets, old)]))
        os.replace(targets[0], old[0])
        os.replace(st[targets[0]], targets[0])
        removed = swap_repair.recover("2022", targets).removed
        assert (targets[0] / "new.txt").read_text() == "new processed"
        assert (targets[1] / "new.txt").read_text() == "new reports"  # completed, consistent
        assert not journal.exists() and _leftovers(proj.processed, proj.reports) == []
        assert removed

    def test_leftovers_of_a_killed_run_are_removed_by_the_next(self, tmp_path, monkeypatch,
                                                               capsys):
        proj, targets = self._stage(tmp_path, monkeypatch)
        junk = [proj.processed / f"{outputs.TMP}2022~4194997~abcd0123",
                proj.reports / f"{outputs.TMP}2022~4194997~ef012345",
                proj.reports / f"{outputs.OLD}2022~4194997~00000000",
                proj.processed / f".{outputs.TMP}2022~4194997~abcd0123.k3j4h5g6"]
        keep = [proj.reports / f"{outputs.TMP}2022.b~4194997~abcd0123",  # another session's
                # the user's, named like fac-eval's (an earlier version's names included)
                proj.processed / ".2022.k3j4h5g6", proj.reports / ".2022.old-4242",
                proj.reports / f"{outputs.OLD}2022~mine", proj.reports / f"{outputs.TMP}2022~1~x"]
        for d in junk + keep:
            d.mkdir()
            (d / "half.csv").write_text("half")
        report_before = tree(proj.reports / "2022")
        code, _, _ = run_cli(capsys, "clean", "2022")
        assert code == 0
        assert [d for d in junk if d.exists()] == [] and all(d.exists() for d in keep)
        assert tree(proj.reports / "2022") == report_before


# --------------------------------------------------------------------------------------------
# A killed run, two runs at once
# --------------------------------------------------------------------------------------------

class TestKillAndLock:
    def test_killed_run_is_cleaned_by_the_next_one(self, tmp_path):
        proj = make_project(tmp_path, sessions=("2022",))
        proj.previous_outputs("2022")
        reports_before = tree(proj.reports / "2022")
        # the kernel says it is running (papermill writes the executed notebook at the end)
        running = tmp_path / "kernel-running"
        nb = _minimal_notebook(tmp_path / "slow.ipynb",
                               f"import time\nopen({str(running)!r}, 'w').close()\ntime.sleep(120)")
        cmd = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "fac_eval.run.cli"]
        proc = subprocess.Popen(cmd + ["run", "2022", "--notebook", str(nb)],
                                env=dict(os.environ, PYTHONPATH=str(REPO), **proj.env()),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            deadline = time.time() + 120
            while time.time() < deadline:
                staged = list(proj.processed.glob(f"{outputs.TMP}2022~*"))
                if staged and running.exists():
                    break
                time.sleep(0.5)
            assert staged, "the run never reached the notebook"
        finally:
            os.killpg(proc.pid, signal.SIGKILL)  # the run and its kernel, as a crash would
            proc.wait(timeout=30)
        assert _leftovers(proj.processed, proj.reports)  # what the killed run left
        assert tree(proj.reports / "2022") == reports_before
        res = run_exe(proj, "clean", "2022")
        assert res.returncode == 0, res.stderr
        assert _leftovers(proj.processed, proj.reports) == []
        assert tree(proj.reports / "2022") == reports_before

    def test_second_run_waits_for_the_first(self, tmp_path, monkeypatch):
        proj = make_project(tmp_path, monkeypatch, sessions=("2022",))
        cmd = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "fac_eval.run.cli"]
        with outputs.session_lock("2022", notify=None):
            proc = subprocess.Popen(cmd + ["clean", "2022"],
                                    env=dict(os.environ, PYTHONPATH=str(REPO), **proj.env()),
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            line = proc.stderr.readline()  # blocks until the second run says it waits
            assert f"Une autre exécution de « 2022 » est en cours (processus {os.getpid()})" in line
            assert "attente" in line
            time.sleep(1.0)
            assert proc.poll() is None  # still waiting, nothing written meanwhile
            assert not (proj.processed / "2022").exists()
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert (proj.processed / "2022" / "indicators.csv").is_file()

    def test_without_waiting_it_says_one_is_running(self, tmp_path, monkeypatch):
        make_project(tmp_path, monkeypatch, sessions=())
        with outputs.session_lock("s1", notify=None):
            with pytest.raises(outputs.RunningError) as err:
                with outputs.session_lock("s1", wait=False):
                    pass
            assert "in progress" in err.value.message("en")
            with outputs.session_lock("s2", notify=None):  # another session is independent
                pass


# --------------------------------------------------------------------------------------------
# Operating-system failures: one message naming the path, exit 1
# --------------------------------------------------------------------------------------------

class TestOSFailures:
    def test_a_path_component_that_is_a_file(self, tmp_path):
        proj = make_project(tmp_path, sessions=("2022",))
        (tmp_path / "afile").write_text("not a folder")
        res = run_exe(proj, "clean", "2022", env={"FAC_EVAL_PROCESSED": str(tmp_path / "afile" / "p")})
        assert res.returncode == 1, res.stderr
        assert "Traceback" not in res.stderr and "noyau" not in res.stderr
        assert str(tmp_path / "afile") in res.stderr
        assert "qui est un fichier, pas un dossier" in res.stderr and "(ENOTDIR)" in res.stderr
        assert tree(proj.raw / "2022") == tree(REPO / "data" / "raw" / "2022")

    @pytest.mark.parametrize("command", [["clean", "2022"], ["new-session", "neuve"],
                                         ["run", "2022"]])
    def test_name_too_long(self, tmp_path, monkeypatch, capsys, command):
        proj = make_project(tmp_path, monkeypatch, sessions=("2022",))
        long = tmp_path / ("n" * 300)
        var = {"clean": "FAC_EVAL_PROCESSED", "new-session": "FAC_EVAL_RAW",
               "run": "FAC_EVAL_REPORTS"}[command[0]]
        monkeypatch.setenv(var, str(long / "x"))
        before = proj.snapshot()
        code, out, err = run_cli(capsys, *command, "--lang", "en")
        assert code == 1, err
        assert "file name too long (ENAMETOOLONG)" in err and "n" * 300 in err
        assert "Traceback" not in err and "kernel" not in err.lower()
        assert proj.snapshot() == before

    @pytest.mark.parametrize("err_no,fr", [(errno.ENOSPC, "le disque est plein"),
                                           (errno.EROFS, "en lecture seule"),
                                           (errno.EACCES, "permission refusée"),
                                           (errno.EDQUOT, "quota")])
    def test_write_failure_while_writing_tables(self, tmp_path, monkeypatch, capsys, err_no, fr):
        from fac_eval.data import cleaning

        proj = make_project(tmp_path, monkeypatch, sessions=("2022",))
        proj.previous_outputs("2022")
        before = proj.snapshot()

        def full(clean, out_dir, extra=None):
            raise OSError(err_no, os.strerror(err_no), str(Path(out_dir) / "indicators.csv"))

        monkeypatch.setattr(cleaning, "write_processed", full)
        code, out, err = run_cli(capsys, "clean", "2022")
        assert code == 1 and fr in err and "indicators.csv" in err, err
        assert "Traceback" not in err
        assert proj.snapshot() == before and _leftovers(proj.processed, proj.reports) == []

    def test_disk_full_while_the_notebook_runs_is_not_blamed_on_the_kernel(self, tmp_path,
                                                                          monkeypatch, capsys):
        import papermill

        proj = make_project(tmp_path, monkeypatch, sessions=("2022",))
        proj.previous_outputs("2022")
        before = proj.snapshot()

        def full(input_path, output_path, **kw):
            raise OSError(errno.ENOSPC, "No space left on device", output_path)

        monkeypatch.setattr(papermill, "execute_notebook", full)
        for lang, piece in (("fr", "le disque est plein (ENOSPC)"),
                            ("en", "the disk is full (ENOSPC)")):
            code, out, err = run_cli(capsys, "run", "2022", "--lang", lang)
            executed = "report_2022_en.ipynb" if lang == "en" else "rapport_2022.ipynb"
            assert code == 1 and piece in err and executed in err, err
            assert "noyau" not in err and "kernel" not in err.lower() and "Traceback" not in err
            assert proj.snapshot() == before
            assert _leftovers(proj.processed, proj.reports) == []

    def test_read_only_staging_folder(self, tmp_path, monkeypatch, capsys):
        proj = make_project(tmp_path, monkeypatch, sessions=("2022",))
        proj.previous_outputs("2022")
        before = proj.snapshot()
        real_mkdir = Path.mkdir

        def ro(self, *a, **kw):
            if self.name.startswith(outputs.TMP):
                raise OSError(errno.EROFS, "Read-only file system", str(self))
            return real_mkdir(self, *a, **kw)

        monkeypatch.setattr(Path, "mkdir", ro)
        code, _, err = run_cli(capsys, "clean", "2022", "--lang", "en")
        assert code == 1 and "the file system is read-only (EROFS)" in err
        assert str(proj.processed) in err and "Traceback" not in err
        monkeypatch.setattr(Path, "mkdir", real_mkdir)
        assert proj.snapshot() == before


# --------------------------------------------------------------------------------------------
# A raw session outside the configured raw root is raw data too (found by an outside tester:
# FAC_EVAL_RAW moved to a share, FAC_EVAL_PROCESSED left at the project's data/raw, and
# `clean SESSION` replaced the project's copy of the session by processed tables)
# --------------------------------------------------------------------------------------------

class TestRawSessionsOutsideTheRawRoot:
    @pytest.mark.parametrize("variable", ["FAC_EVAL_PROCESSED", "FAC_EVAL_REPORTS"])
    @pytest.mark.parametrize("layout", ["sessions kept elsewhere", "inside a session",
                                        "questionnaires only", "xlsx questionnaires"])
    def test_an_output_root_holding_raw_sessions_is_refused(self, tmp_path, monkeypatch, capsys,
                                                            variable, layout):
        proj = make_project(tmp_path, monkeypatch, sessions=("2022", "synth-2024"))
        other = tmp_path / "old-raw"  # an earlier raw root, or a copy on a share
        shutil.copytree(proj.raw, other)
        if layout == "questionnaires only":  # no session.yml: its questionnaires mark it
            for s in ("2022", "synth-2024"):
                (other / s / "session.yml").unlink()
                (other / s / "claims.yml").unlink(missing_ok=True)
        if layout == "xlsx questionnaires":
            import pandas as pd
            for s in ("2022", "synth-2024"):
                for f in list((other / s).iterdir()):
                    if f.suffix == ".csv":
                        pd.read_csv(f, dtype=str).to_excel(f.with_suffix(".xlsx"), index=False)
                        f.unlink()
                (other / s / "session.yml").unlink()
        root = other / "2022" if layout == "inside a session" else other
        monkeypatch.setenv(variable, str(root))
        before, before_other = proj.snapshot(), tree(other)
        commands = [["run", "synth-2024"], ["run", "2022", "--lang", "en"]]
        if variable == "FAC_EVAL_PROCESSED":
            commands += [["clean", "2022"], ["clean", "synth-2024"], ["quality", "2022"]]
        for args in commands:
            code, _, err = run_cli(capsys, *args)
            assert code == 1, (args, err)
            assert ("Écriture refusée" in err or "Write refused" in err) and variable in err, err
            assert "Traceback" not in err
        assert tree(other) == before_other and proj.snapshot() == before

    def test_the_message_names_the_folder_and_its_raw_files(self, tmp_path, monkeypatch, capsys):
        proj = make_project(tmp_path, monkeypatch, sessions=("2022",))
        other = tmp_path / "share"
        shutil.copytree(proj.raw, other)
        monkeypatch.setenv("FAC_EVAL_PROCESSED", str(other))
        for lang, words in (("fr", "contient les fichiers d'une session brute"),
                            ("en", "holds a raw session's files")):
            code, _, err = run_cli(capsys, "--lang", lang, "clean", "2022")
            assert code == 1 and words in err, err
            assert str(other / "2022") in err and "session.yml" in err, err

    def test_the_projects_own_raw_folder_stays_raw_when_the_variable_points_elsewhere(
            self, tmp_path, monkeypatch):
        """The guard of every output counts the project's data/raw (and each session in it)
        as raw data even when FAC_EVAL_RAW names another folder."""
        project = tmp_path / "project"
        (project / "data" / "raw" / "atk1").mkdir(parents=True)
        (project / "data" / "raw" / "atk1" / "notes.txt").write_text("x\n", encoding="utf-8")
        share = tmp_path / "share"
        share.mkdir()
        monkeypatch.setenv("FAC_EVAL_RAW", str(share))
        paths = session_paths.Paths(root=project)
        for target in (project / "data" / "raw" / "atk1", project / "data" / "raw",
                       project / "data" / "raw" / "atk1" / "out"):
            with pytest.raises(session_paths.PathGuardError) as err:
                session_paths.guard_output(target, paths)
            assert "overlaps the raw data" in err.value.message("en")
        # an output folder of its own is fine, and one beside a processed table too
        assert session_paths.guard_output(project / "data" / "processed" / "atk1", paths)
        processed = project / "data" / "processed" / "atk1"
        processed.mkdir(parents=True)
        for name in ("learners.csv", "followup.csv", "testimonies.csv", "indicators.csv"):
            (processed / name).write_text("a\n", encoding="utf-8")
        assert session_paths.guard_output(processed, paths) == processed
