"""Helpers of the adversarial guarantee suites (tests/test_guarantees_*.py)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).with_name("fac-eval")


def tree(path: Path) -> dict[str, str]:
    """Every entry under ``path``: files by SHA-256, links by target, folders by name."""
    out = {}
    path = Path(path)
    if not os.path.lexists(path):
        return out
    for dirpath, dirnames, filenames in os.walk(path):
        for d in dirnames:
            p = Path(dirpath) / d
            out[str(p.relative_to(path))] = ("link:" + os.readlink(p)) if p.is_symlink() else "dir"
        for f in filenames:
            p = Path(dirpath) / f
            rel = str(p.relative_to(path))
            out[rel] = ("link:" + os.readlink(p)) if p.is_symlink() else \
                hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@dataclass
class Project:
    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "processed"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def env(self) -> dict[str, str]:
        return {"FAC_EVAL_RAW": str(self.raw), "FAC_EVAL_PROCESSED": str(self.processed),
                "FAC_EVAL_REPORTS": str(self.reports)}

    def snapshot(self) -> dict[str, dict[str, str]]:
        """Every file of the three roots (the lock files aside: they are no output)."""
        def outputs(root):
            return {k: v for k, v in tree(root).items() if not k.startswith(".fac-eval-locks")}

        return {"raw": tree(self.raw), "processed": outputs(self.processed),
                "reports": outputs(self.reports)}

    def previous_outputs(self, session: str) -> None:
        """Stand-ins for a previous run's outputs, to show that a refused run leaves them,
        recorded as a run records what it made (:mod:`fac_eval.run.output_record`)."""
        from types import SimpleNamespace

        from fac_eval.run import output_record

        folders = (self.processed / session, self.reports / session)
        for folder, name in zip(folders, ("indicators.csv", f"rapport_{session}.html")):
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(f"previous {name} of {session}\n", encoding="utf-8")
        (self.processed / ".fac-eval-locks").mkdir(exist_ok=True)
        output_record.write_record(session, SimpleNamespace(processed=self.processed), folders)


def make_project(tmp_path: Path, monkeypatch=None, sessions=("2022", "synth-2024")) -> Project:
    p = Project(Path(tmp_path) / "proj")
    p.raw.mkdir(parents=True)
    for s in sessions:
        shutil.copytree(REPO / "data" / "raw" / s, p.raw / s)
    if monkeypatch is not None:
        for k, v in p.env().items():
            monkeypatch.setenv(k, v)
    return p


def run_cli(capsys, *args) -> tuple[int, str, str]:
    """``fac-eval ARGS`` in-process, as main() runs it: (exit code, stdout, stderr)."""
    from fac_eval.run import cli

    capsys.readouterr()
    try:
        code = cli.main([str(a) for a in args])
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def run_exe(project: Project, *args, cwd=None, timeout=300, env=None) -> subprocess.CompletedProcess:
    """``fac-eval ARGS`` as a user types it (the installed command, this worktree's code)."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **project.env(), **(env or {})}
    cmd = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "fac_eval.run.cli"]
    return subprocess.run(cmd + [str(a) for a in args], env=full_env, cwd=cwd or project.root,
                          capture_output=True, text=True, timeout=timeout)


def output_roots(tmp_path: Path, monkeypatch, folders=("raw", "processed", "reports")):
    """The three roots as folders of ``tmp_path`` (named ``folders``), set in the environment:
    the :class:`fac_eval.run.pipeline.Paths` of a test of the outputs' staging."""
    from fac_eval.run.pipeline import Paths

    for root, folder in zip(("raw", "processed", "reports"), folders):
        (tmp_path / folder).mkdir()
        monkeypatch.setenv(f"FAC_EVAL_{root.upper()}", str(tmp_path / folder))
    return Paths(tmp_path)


def staged_run(paths, key, targets, files, notify=None):
    """One run of ``key`` making ``files`` ({target: {name: text}}) in ``targets``, under the
    session's lock, swapped in by :meth:`fac_eval.run.outputs.Staging.commit`."""
    from fac_eval.run import outputs

    with outputs.session_lock(key, paths, notify=None), \
            outputs.Staging(key, targets, paths, notify=notify) as staging:
        for target in targets:
            for name, text in files.get(target, {}).items():
                (staging[target] / name).write_text(text, encoding="utf-8")
        staging.commit()
    return staging
