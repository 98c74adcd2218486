"""Shared fixtures: a temporary project root so that tests never write into the repository's
data/processed or reports folders; the shipped sessions computed once per test process."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest

import fac_eval  # noqa: F401  (first: jsonschema then skips its slow optional IRI checker)

REPO = Path(__file__).resolve().parents[1]


def make_project(root: Path, sessions=("2022", "synth-2024")) -> Path:
    """A project root with copies of the given sessions and of the notebooks."""
    (root / "data" / "raw").mkdir(parents=True, exist_ok=True)
    for s in sessions:
        shutil.copytree(REPO / "data" / "raw" / s, root / "data" / "raw" / s)
    shutil.copytree(REPO / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", ".*"))
    return root


@pytest.fixture(autouse=True)
def _no_path_overrides(monkeypatch):
    """Tests choose their folders explicitly (pipeline.Paths(root))."""
    for var in ("FAC_EVAL_RAW", "FAC_EVAL_PROCESSED", "FAC_EVAL_REPORTS"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def roots(monkeypatch, tmp_path):
    """The repository's raw data, outputs in tmp_path (never written by a refusal)."""
    monkeypatch.setenv("FAC_EVAL_RAW", str(REPO / "data" / "raw"))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / "p"))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(tmp_path / "r"))
    return tmp_path


def cli_text(capsys, *argv) -> tuple[int, str]:
    """``fac-eval ARGV`` in this process: (exit code, stdout and stderr with spaces squashed)."""
    from fac_eval.run import cli

    try:
        code = cli.main(list(argv))
    except SystemExit as done:
        code = done.code
    out = capsys.readouterr()
    return code, " ".join((out.out + out.err).split())


SHIPPED = ("2022", "synth-2024")


@pytest.fixture(scope="session")
def _shipped_once():
    from fac_eval.analysis import results as analysis

    return {s: analysis.compute_session(REPO / "data" / "raw" / s) for s in SHIPPED}


@pytest.fixture(scope="module")
def shipped(_shipped_once):
    """``analysis.compute_session`` of each shipped session (2022, synth-2024) from the
    repository's raw data with the default options: computed once per test process, and each
    test module gets its own deep copy (nothing one module does reaches another)."""
    return copy.deepcopy(_shipped_once)


@pytest.fixture
def main_cli(capsys, monkeypatch):
    """``fac-eval ARGV`` in this process (``fac_eval.run.cli.main``): ``main_cli(*argv,
    env={...})`` returns ``(exit code, stdout, stderr)``, argparse's exits included; the user's
    ``FAC_EVAL_LANG`` is removed first and ``env`` set for the call."""
    from fac_eval.run import cli

    def call(*argv: str, env: dict[str, str] | None = None):
        monkeypatch.delenv("FAC_EVAL_LANG", raising=False)
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        try:
            code = cli.main(list(argv))
        except SystemExit as done:
            code = done.code
        out = capsys.readouterr()
        return code, out.out, out.err

    return call


def remove_exit_answers(session: Path, ids) -> None:
    """A learner who dropped out has no exit questionnaire and no exit testimony (validation
    refuses them): remove those of ``ids`` from a session copied for a test."""
    import csv
    import io

    ids = set(ids)
    for name, key, keep in (("learners_exit.csv", "learner_id", lambda r: False),
                            ("testimonies.csv", "participant_id",
                             lambda r: r.get("wave") != "exit")):
        path = Path(session) / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        fields = list(rows[0].keys()) if rows else []
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r[key] not in ids or keep(r))
        path.write_text(out.getvalue(), encoding="utf-8")
