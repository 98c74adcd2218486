"""`make lab LAB_ARGS=...`: JupyterLab starts (as root too), takes the options, serves the
project's kernel, and the notebooks name that kernel."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import REPO

VENV = Path(sys.prefix)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _make(*args, **kw):
    # -o: the environment running the tests is installed already; never reinstall it from here
    return ["make", "-s", "-o", str(VENV / ".installed"), *args, f"VENV={VENV}"]


def _get(url: str, token: str):
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.loads(r.read().decode())


def test_allow_root_only_for_root():
    out = subprocess.run(_make("-n", "lab", "LAB_ARGS=--port=1"), cwd=REPO,
                         capture_output=True, text=True, check=True).stdout.replace("\\\n", " ")
    line = next(ln for ln in out.splitlines() if "jupyter lab" in ln)
    assert ("--allow-root" in line) == (os.geteuid() == 0)
    assert line.rstrip().endswith("--port=1")  # LAB_ARGS last: they win over the defaults
    assert "--MappingKernelManager.default_kernel_name=fac-eval" in line


@pytest.mark.slow
def test_make_lab_serves_the_project_kernel(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    log = open(tmp_path / "lab.log", "w")
    lab_args = f"--no-browser --port={port} --IdentityProvider.token={token} --ip=127.0.0.1"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    proc = subprocess.Popen(_make("lab", f"LAB_ARGS={lab_args}"), cwd=REPO, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        specs = None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            try:
                specs = _get(f"{base}/api/kernelspecs", token)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(1)
        assert specs is not None, (tmp_path / "lab.log").read_text()[-3000:]
        assert "fac-eval" in specs["kernelspecs"], specs["kernelspecs"].keys()
        assert specs["default"] == "fac-eval"
        spec = specs["kernelspecs"]["fac-eval"]["spec"]
        assert spec["display_name"] == "fac-eval (Python 3)"
        # the server is rooted at notebooks/ and every notebook there asks for that kernel
        listing = _get(f"{base}/api/contents", token)
        names = {c["name"] for c in listing["content"]}
        assert {"rapport_evaluation.ipynb", "qualite_donnees.ipynb"} <= names
        for name in sorted(n for n in names if n.endswith(".ipynb")):
            nb = _get(f"{base}/api/contents/{name}?content=1", token)
            assert nb["content"]["metadata"]["kernelspec"]["name"] == "fac-eval", name
        # a wrong token is refused: the option was taken
        with pytest.raises(urllib.error.HTTPError):
            _get(f"{base}/api/kernelspecs", "not-the-token")
    finally:
        try:
            req = urllib.request.Request(f"{base}/api/shutdown", method="POST",
                                         headers={"Authorization": f"token {token}"})
            urllib.request.urlopen(req, timeout=5).close()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        log.close()
    assert proc.returncode is not None


def test_every_notebook_names_the_project_kernel():
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "fac-eval", path.name
