"""Batch runs: synthetic sessions, the local pool, and the same batch on a Dask cluster.

Everything happens in a temporary project (``data/raw`` shared by two project roots, one per
runner, and a link to the repository's ``notebooks``): nothing is written to the repository's
``data/processed`` or ``reports``. Four session reports are rendered in all (two by the local
pool, two on a two-worker ``LocalCluster``), in parallel, so the module takes about 40 s on two
cores.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from fac_eval.data import io, validation
from fac_eval.run import batch, cli

ROOT = Path(__file__).resolve().parents[1]

SYNTH = {  # name: (learners, founders, seed, follow-up)
    "s-a": (6, 3, 11, True),
    "s-b": (6, 2, 12, False),
}
GOOD = list(SYNTH)
BROKEN = "broken"
TIMESTAMP = re.compile(r'<span class="timestamp">[^<]*</span>')
#: The provenance table's git commit is read when each report renders; other people commit to
#: this repository while the tests run, so it is masked too (it is not computed from the data).
COMMIT = re.compile(r"commit [0-9a-f]{7,40}( \([^)]*\))?|commit (inconnu|unknown)")


def masked(html: str) -> str:
    return COMMIT.sub("commit …", TIMESTAMP.sub("", html))


def synth_args(name, out, n, m, seed, followup):
    return (["synth", name, "--learners", str(n), "--founders", str(m), "--seed", str(seed),
             "--out", str(out)] + (["--followup"] if followup else []))


def files(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir()) if p.is_file()}


def make_root(base: Path, name: str, raw: Path) -> Path:
    root = base / name
    (root / "data").mkdir(parents=True)
    (root / "data" / "raw").symlink_to(raw, target_is_directory=True)
    (root / "notebooks").symlink_to(ROOT / "notebooks", target_is_directory=True)
    return root


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    """Two synthetic sessions written by ``fac-eval synth`` and one copy with a corrupted file."""
    raw = tmp_path_factory.mktemp("fac_batch_raw")
    for name, spec in SYNTH.items():
        assert cli.main(synth_args(name, raw / name, *spec)) == 0
    shutil.copytree(raw / "s-a", raw / BROKEN)
    path = raw / BROKEN / "learners_entry.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[-1] = "beaucoup"  # not an answer code of the last item
    lines[1] = ",".join(cells)
    lines.insert(2, "garbage;;;")  # and a row with the wrong number of fields
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return raw


@pytest.fixture(scope="module")
def local_run(raw, tmp_path_factory):
    """``fac-eval batch s-a s-b broken --jobs 2 --shared-dir ROOT``: (root, exit code, output)."""
    import contextlib
    import io

    root = make_root(tmp_path_factory.mktemp("fac_batch_local"), "project", raw)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["batch", *GOOD, BROKEN, "--jobs", "2", "--shared-dir", str(root),
                         "--quiet"])
    return root, code, out.getvalue()


@pytest.fixture(scope="module")
def dask_run(raw, local_run, tmp_path_factory):
    """The good sessions as tasks on a 2-worker LocalCluster (separate processes)."""
    from distributed import LocalCluster

    root = make_root(tmp_path_factory.mktemp("fac_batch_dask"), "project", raw)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        outcomes = batch.run_batch(GOOD, scheduler=cluster.scheduler_address,
                                   shared_dir=str(root), progress=False)
    return root, outcomes


# ---------------------------------------------------------------- synthetic sessions


def test_synth_same_seed_same_files(tmp_path):
    spec = (14, 5, 2024, True)
    assert cli.main(synth_args("x", tmp_path / "a", *spec)) == 0
    assert cli.main(synth_args("x", tmp_path / "b", *spec)) == 0
    a, b = files(tmp_path / "a"), files(tmp_path / "b")
    assert a == b and "followup.csv" in a and "session.yml" in a
    assert cli.main(synth_args("x", tmp_path / "c", 14, 5, 2025, True)) == 0
    assert files(tmp_path / "c")["learners_entry.csv"] != a["learners_entry.csv"]
    # without --followup: no follow-up file, the rest identical in kind
    assert cli.main(synth_args("x", tmp_path / "d", 14, 5, 2024, False)) == 0
    assert "followup.csv" not in files(tmp_path / "d")


def test_synthetic_sessions_validate(raw):
    for name in GOOD:
        assert validation.validate_session(raw / name) == []
    assert validation.validate_session(raw / BROKEN)


# ---------------------------------------------------------------- local pool


def test_local_batch_finishes_the_others_and_fails_the_broken_one(local_run):
    root, code, output = local_run
    assert code == 1  # the CLI exit code when any session failed
    for name in GOOD:
        html = root / "reports" / name / f"rapport_{name}.html"
        assert html.is_file() and html.stat().st_size > 50_000
        assert (root / "data" / "processed" / name / "indicators.csv").is_file()
        text = html.read_text(encoding="utf-8")
        assert "banner-synthetic" in text  # the synthetic banner is rendered
    assert not (root / "reports" / BROKEN).exists()
    assert not (root / "data" / "processed" / BROKEN).exists()
    lines = {ln.split()[0]: ln for ln in output.splitlines() if ln.split()}
    assert "OK" in lines["s-a"] and "OK" in lines["s-b"]
    assert "ÉCHEC" in lines[BROKEN]
    assert "2/3 sessions réussies, 1 en échec" in output
    # the repository's own outputs were not touched
    assert not (ROOT / "reports" / BROKEN).exists()


def test_run_local_returns_outcomes_in_order(raw, tmp_path):
    root = make_root(tmp_path, "p", raw)
    outcomes = batch.run_local([BROKEN, "missing"], jobs=2, root=str(root), progress=False)
    assert [o.session for o in outcomes] == [BROKEN, "missing"]
    assert not any(o.ok for o in outcomes)
    assert "learners_entry.csv" in outcomes[0].message
    assert "introuvable" in outcomes[1].message


# ---------------------------------------------------------------- Dask


def test_dask_batch_ran_on_the_workers(dask_run):
    root, outcomes = dask_run
    assert [o.session for o in outcomes] == GOOD
    assert all(o.ok for o in outcomes), [o.message for o in outcomes]
    pids = {o.worker.rsplit(":", 1)[1] for o in outcomes}
    assert str(os.getpid()) not in pids  # rendered in the worker processes, not here


def test_dask_batch_renders_the_same_reports_as_the_local_batch(local_run, dask_run):
    local_root = local_run[0]
    dask_root, _ = dask_run
    for name in GOOD:
        a = (local_root / "reports" / name / f"rapport_{name}.html").read_text(encoding="utf-8")
        b = (dask_root / "reports" / name / f"rapport_{name}.html").read_text(encoding="utf-8")
        assert len(TIMESTAMP.findall(a)) == 1
        assert masked(a) == masked(b)
        for csv in ("indicators.csv", "learner_outcomes.csv"):
            pa = local_root / "data" / "processed" / name / csv
            pb = dask_root / "data" / "processed" / name / csv
            assert pa.read_bytes() == pb.read_bytes()
        xa = local_root / "reports" / name / f"indicateurs_{name}.xlsx"
        xb = dask_root / "reports" / name / f"indicateurs_{name}.xlsx"
        assert xa.is_file() and xb.is_file()


def test_shared_dir_is_sent_as_an_absolute_path(monkeypatch):
    seen = {}

    class FakeFuture:
        def __init__(self, result):
            self.key, self._result = "k", result

        def result(self):
            return self._result

        def done(self):
            return True

    class FakeClient:
        def processing(self):
            return {}

        def nthreads(self):
            return {"w": 1}

        def submit(self, fn, session, lang, parameters, root, *more, key, pure):  # more: pdf, langs
            seen["root"] = root
            f = FakeFuture(batch.SessionOutcome(session, True, 0.0))
            f.key = key
            return f

    import distributed

    monkeypatch.setattr(distributed, "Client", FakeClient)
    monkeypatch.setattr(distributed, "wait", lambda futures, **kw: None)
    out = batch.run_dask(["s"], FakeClient(), root="relative/dir", progress=False)
    assert out[0].ok and os.path.isabs(seen["root"])


def test_batch_in_both_languages_writes_both_files_side_by_side(raw, tmp_path, capsys):
    """`batch --report-langs fr,en`: each session's French and English reports (and exports),
    each in its own file; neither replaces the other."""
    root = make_root(tmp_path, "project", raw)
    code = cli.main(["batch", "s-b", "--report-langs", "fr,en", "--jobs", "1", "--shared-dir",
                     str(root), "--quiet"])
    assert code == 0, capsys.readouterr()
    out = root / "reports" / "s-b"
    assert sorted(p.name for p in out.iterdir()) == [
        "indicateurs_s-b.xlsx", "indicators_s-b_en.xlsx", "rapport_s-b.html", "report_s-b_en.html"]
    assert '<html lang="fr"' in (out / "rapport_s-b.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in (out / "report_s-b_en.html").read_text(encoding="utf-8")
    summary = capsys.readouterr().out
    assert "rapport_s-b.html" in summary and "report_s-b_en.html" in summary
    # a language that is not a report language is refused before anything runs, by argparse
    with pytest.raises(SystemExit) as refused:
        cli.main(["batch", "s-b", "--report-langs", "fr,de", "--shared-dir", str(root), "--quiet"])
    assert refused.value.code == 2
    assert "argument --report-langs : « de »" in capsys.readouterr().err


HAVE_BROWSER = bool(shutil.which("chromium") and shutil.which("pdftotext"))


@pytest.mark.skipif(not HAVE_BROWSER and not os.environ.get("CI"),
                    reason="chromium / poppler-utils not installed (CI installs them)")
def test_batch_pdf_prints_every_session_then_exits_3_without_chromium(raw, tmp_path, capsys,
                                                                      monkeypatch):
    """`batch s-a s-b --pdf`: each session's rapport_<s>.pdf beside its HTML, passing the
    checks of `run --pdf` (A4, a page-number footer on every page, the title and the data-kind
    badge with the synthèse alone on page 1, the disclosure gate); with the browser lookup
    pointed at a missing binary the HTML reports are still written, the summary names the
    Debian package to install and the exit code is 3 (README, "Printing to PDF")."""
    import subprocess

    from fac_eval.disclosure import gate
    from fac_eval.run import pdf

    root = make_root(tmp_path, "project", raw)
    code = cli.main(["batch", *GOOD, "--pdf", "--jobs", "2", "--shared-dir", str(root),
                     "--quiet"])
    summary = capsys.readouterr().out
    assert code == 0, summary
    for name in GOOD:
        out = root / "reports" / name
        assert sorted(p.name for p in out.iterdir()) == [
            f"indicateurs_{name}.xlsx", f"rapport_{name}.html", f"rapport_{name}.pdf"]
        printed = out / f"rapport_{name}.pdf"
        assert str(printed) in summary
        assert printed.read_bytes()[:5] == b"%PDF-"
        pages = pdf.pdf_text(printed)
        assert len(pages) >= 2
        for i, page in enumerate(pages, start=1):
            assert re.search(rf"\b{i}\s*/\s*{len(pages)}\b", page), (name, i)
        first = " ".join(pages[0].split())
        title = io.read_session_meta(raw / name)["name"]  # the report's title
        assert title in first and first.index(title) < first.index("Synthèse"), first[:200]
        assert "DONNÉES SYNTHÉTIQUES" in first.upper() and "Synthèse" in first
        assert "Chiffres clés" not in first and "Chiffres clés" in " ".join(pages[1].split())
        info = subprocess.run(["pdfinfo", str(printed)], capture_output=True, text=True,
                              check=True).stdout
        size = next(line for line in info.splitlines() if line.startswith("Page size"))
        w, h = (float(x) for x in size.split(":")[1].split("pts")[0].split("x"))
        assert abs(w - 595.3) < 1.5 and abs(h - 841.9) < 1.5  # A4
        data, _ = validation.check_session(raw / name)
        ids = [str(x) for t in data.tables.values() for c in t.columns if c.endswith("_id")
               for x in t[c].dropna()]
        assert ids and gate.scan_pdf(printed, ids) == []

    monkeypatch.setenv("FAC_EVAL_CHROMIUM", str(tmp_path / "no-such-chromium"))
    bare = make_root(tmp_path, "bare", raw)
    code = cli.main(["batch", *GOOD, "--pdf", "--jobs", "2", "--shared-dir", str(bare),
                     "--quiet"])
    captured = capsys.readouterr()
    assert code == 3, captured.out + captured.err
    assert "apt-get install chromium" in captured.out + captured.err
    assert "Traceback" not in captured.out + captured.err
    for name in GOOD:
        assert sorted(p.name for p in (bare / "reports" / name).iterdir()) == [
            f"indicateurs_{name}.xlsx", f"rapport_{name}.html"]


def test_pool_workers_see_the_callers_environment_of_each_batch(tmp_path, monkeypatch):
    """The local pool's workers are forked from a fork server that outlives one batch
    (fac_eval.run.worker_preload): each task carries the caller's environment and working
    folder as they are when the batch starts, so a second batch in the same process, with other
    roots configured, runs on those roots and not on the first batch's."""
    from conftest import make_project

    for name in ("one", "two"):
        root = make_project(tmp_path / name, sessions=("2022",))
        for var, sub in (("FAC_EVAL_RAW", "data/raw"), ("FAC_EVAL_PROCESSED", "data/processed"),
                         ("FAC_EVAL_REPORTS", "reports")):
            monkeypatch.setenv(var, str(root / sub))
        monkeypatch.chdir(root)
        [outcome] = batch.run_local(["2022"], jobs=2, progress=False)
        assert outcome.ok, outcome.message
        assert outcome.html == str(root / "reports" / "2022" / "rapport_2022.html")
        assert (root / "reports" / "2022" / "rapport_2022.html").is_file()
    assert not (tmp_path / "one" / "reports" / "2022" / "report_2022_en.html").exists()
