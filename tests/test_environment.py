"""The project's install promises: environment.yml matches pyproject.toml, the lock pins them all,
real sessions' raw data stay out of git."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject_requirements() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = list(data["project"]["dependencies"])
    for extra in data["project"]["optional-dependencies"].values():
        reqs += extra
    return {_canon(Requirement(r).name): str(Requirement(r).specifier) for r in reqs}


def _conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict) or dep in ("pip",) or dep.startswith("python="):
            continue
        req = Requirement(dep)
        out[_canon(req.name)] = str(req.specifier)
    return out


def test_environment_yml_matches_pyproject():
    assert _conda_requirements() == _pyproject_requirements()


def test_environment_yml_installs_the_package_and_python_311():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in env["dependencies"]
    pip_section = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    assert "-e ." in pip_section


def test_lock_pins_every_dependency_within_its_bounds():
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[_canon(name)] = version
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]
    for r in reqs:
        req = Requirement(r)
        assert _canon(req.name) in pins, f"{req.name} is not pinned in requirements.lock"
        assert req.specifier.contains(pins[_canon(req.name)]), (req.name, pins[_canon(req.name)])


def test_lab_lock_pins_jupyterlab():
    text = (ROOT / "requirements-lab.lock").read_text(encoding="utf-8")
    assert re.search(r"^jupyterlab==", text, re.M)


def test_only_reconstructed_or_synthetic_sessions_are_tracked():
    tracked = subprocess.run(
        ["git", "ls-files", "data/raw"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    sessions = {Path(p).parts[2] for p in tracked if len(Path(p).parts) > 3}
    for s in sessions:
        meta = yaml.safe_load((ROOT / "data" / "raw" / s / "session.yml").read_text(encoding="utf-8"))
        assert meta["data_kind"] in ("reconstructed", "synthetic"), s


def test_gitignore_keeps_a_new_real_session_out_of_git(tmp_path):
    # a session folder not explicitly allowed is ignored by git
    out = subprocess.run(
        ["git", "check-ignore", "-q", "data/raw/2025-real/learners_profile.csv"], cwd=ROOT
    )
    assert out.returncode == 0
