"""Issue 11 §3: one computation per run (fac_eval.analysis.result_cache).

The CLI computes a session once and hands the results to the report's kernel through a signed
cache in the run's staging processed folder; the kernel reuses it only when its key (raw files'
bytes, parameters, names, code) matches and its signature checks, and computes otherwise. The
report is the same either way.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import make_project

from fac_eval.analysis import result_cache
from fac_eval.analysis import results as analysis
from fac_eval.run import pipeline
from fac_eval.run.pipeline import Paths, run_session

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def raw(tmp_path, monkeypatch):
    """A raw root holding a copy of 2022, configured for the session-name resolver."""
    root = tmp_path / "raw"
    shutil.copytree(REPO / "data" / "raw" / "2022", root / "2022")
    monkeypatch.setenv("FAC_EVAL_RAW", str(root))
    monkeypatch.delenv("FAC_EVAL_NAMES_FILE", raising=False)
    return root


@pytest.fixture
def calls(monkeypatch):
    """Counts the computations of a session (analysis.compute_session)."""
    counted = []
    real = analysis.compute_session

    def counting(*args, **kwargs):
        counted.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis, "compute_session", counting)
    return counted


def _cached(raw: Path, folder: Path, secret: str, **options):
    folder.mkdir(exist_ok=True)
    results = analysis.compute_session(raw / "2022", **options)
    result_cache.write(results, folder, secret)
    return results


def test_a_valid_cache_is_reused_without_computing(raw, tmp_path, calls, capfd):
    secret = result_cache.new_secret()
    first = _cached(raw, tmp_path / "cache", secret)
    assert len(calls) == 1
    again = result_cache.session_results("2022", cache_dir=tmp_path / "cache", secret=secret,
                                         lang="en")
    assert len(calls) == 1  # not computed again
    assert "results read from the run's cache" in capfd.readouterr().err
    pd.testing.assert_frame_equal(again.indicators, first.indicators)
    assert again.checksum == first.checksum == analysis.data_checksum(raw / "2022")
    assert again.participant_ids == first.participant_ids
    assert again.path == raw / "2022"


def test_changed_raw_data_are_computed_again(raw, tmp_path, calls, capfd):
    secret = result_cache.new_secret()
    first = _cached(raw, tmp_path / "cache", secret)
    exit_file = raw / "2022" / "learners_exit.csv"
    lines = exit_file.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    col = header.index("confidence")
    before = row[col]
    row[col] = "1" if before != "1" else "2"
    lines[1] = ",".join(row)
    exit_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capfd.readouterr()
    again = result_cache.session_results("2022", cache_dir=tmp_path / "cache", secret=secret,
                                         lang="en")
    assert len(calls) == 2
    assert "results computed in the kernel (stale key" in capfd.readouterr().err
    assert again.checksum != first.checksum
    assert again.checksum == analysis.data_checksum(raw / "2022")


def _change_a_score(exit_file: Path) -> None:
    """Write a different confidence score in the first row of a learners' exit file."""
    lines = exit_file.read_text(encoding="utf-8-sig").splitlines()
    header, row = lines[0].split(","), lines[1].split(",")
    col = header.index("confidence")
    row[col] = "1" if row[col] != "1" else "2"
    lines[1] = ",".join(row)
    exit_file.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_file_saved_between_the_computation_and_the_cache_is_not_reused(raw, tmp_path,
                                                                         calls, capfd):
    """The race of a cache keyed on the files as they are when it is written: results computed
    from the old bytes would be served for the new ones. The key is the checksum of the bytes
    the computation read, so the kernel (which looks at the files now) recomputes."""
    secret = result_cache.new_secret()
    folder = tmp_path / "cache"
    folder.mkdir()
    first = analysis.compute_session(raw / "2022")
    _change_a_score(raw / "2022" / "learners_exit.csv")  # saved after the reading
    result_cache.write(first, folder, secret)
    capfd.readouterr()
    again = result_cache.session_results("2022", cache_dir=folder, secret=secret, lang="en")
    assert len(calls) == 2
    assert "results computed in the kernel (stale key" in capfd.readouterr().err
    assert again.checksum == analysis.data_checksum(raw / "2022") != first.checksum
    manifest = json.loads((folder / result_cache.MANIFEST).read_text(encoding="utf-8"))
    options = {k: getattr(first, k) for k in result_cache.OPTIONS}
    assert manifest["key"] == result_cache.cache_key(raw / "2022", options, [],
                                                     raw_checksum=first.checksum)


@pytest.mark.parametrize("change", ["rewritten", "added", "removed"])
def test_a_file_changed_while_the_session_is_read_is_refused_by_name(raw, monkeypatch,
                                                                     change):
    """compute_session fingerprints the raw files before and after reading them: a file
    written, added or removed in between is a validation problem naming it, never figures
    mixing two versions."""
    from fac_eval.data import io
    from fac_eval.data.validation import ValidationError

    real = io.read_session
    target = {"rewritten": "learners_exit.csv", "added": "notes_2.csv",
              "removed": "founders_exit.csv"}[change]

    def read_then_change(session_dir, *args, **kwargs):
        data = real(session_dir, *args, **kwargs)
        path = Path(session_dir) / target
        if change == "rewritten":
            _change_a_score(path)
        elif change == "added":
            path.write_text("x\n", encoding="utf-8")
        else:
            path.unlink()
        return data

    monkeypatch.setattr(io, "read_session", read_then_change)
    with pytest.raises(ValidationError) as caught:
        analysis.compute_session(raw / "2022")
    [found] = caught.value.problems
    assert (found.file, found.kind) == (target, "changed_while_read")
    fr, en = caught.value.problems[0].message("fr"), caught.value.problems[0].message("en")
    assert target in fr and "modifié pendant sa lecture" in fr and "relancez" in fr
    assert target in en and "changed while it was read" in en and "run the command again" in en


def test_a_touched_file_with_the_same_bytes_keeps_the_cache(raw, tmp_path, calls):
    import os

    secret = result_cache.new_secret()
    _cached(raw, tmp_path / "cache", secret)
    f = raw / "2022" / "learners_entry.csv"
    os.utime(f, (1, 1))  # the key is the bytes, not the dates
    result_cache.session_results("2022", cache_dir=tmp_path / "cache", secret=secret)
    assert len(calls) == 1


def test_other_parameters_are_computed_again(raw, tmp_path, calls, capfd):
    secret = result_cache.new_secret()
    _cached(raw, tmp_path / "cache", secret, alpha=0.1)
    res = result_cache.session_results("2022", alpha=0.05, cache_dir=tmp_path / "cache",
                                       secret=secret, lang="en")
    assert len(calls) == 2
    assert "stale key" in capfd.readouterr().err
    assert res.alpha == 0.05


@pytest.mark.parametrize("damage", ["truncated", "flipped", "forged", "other secret",
                                    "no secret", "bad manifest", "no payload"])
def test_a_corrupt_or_untrusted_cache_is_never_loaded(raw, tmp_path, calls, capfd, damage,
                                                      monkeypatch):
    import pickle

    secret = result_cache.new_secret()
    folder = tmp_path / "cache"
    first = _cached(raw, folder, secret)
    payload, manifest = folder / result_cache.PAYLOAD, folder / result_cache.MANIFEST
    use_secret: str | None = secret
    if damage == "truncated":
        payload.write_bytes(payload.read_bytes()[:100])
    elif damage == "flipped":
        data = bytearray(payload.read_bytes())
        data[len(data) // 2] ^= 0xFF
        payload.write_bytes(bytes(data))
    elif damage == "forged":  # a pickle that would run code, with a made-up signature
        class Boom:
            def __reduce__(self):
                return (exec, ("raise SystemExit('unpickled')",))

        payload.write_bytes(pickle.dumps(Boom()))
        m = json.loads(manifest.read_text())
        m["hmac"] = "0" * 64
        manifest.write_text(json.dumps(m))
    elif damage == "other secret":
        use_secret = result_cache.new_secret()
    elif damage == "no secret":
        use_secret = ""
        monkeypatch.delenv(result_cache.SECRET_ENV, raising=False)
    elif damage == "bad manifest":
        manifest.write_text("{not json")
    elif damage == "no payload":
        payload.unlink()
    capfd.readouterr()
    res = result_cache.session_results("2022", cache_dir=folder, secret=use_secret)
    assert len(calls) == 2  # computed again, whatever the damage
    assert "fac_eval : résultats calculés dans le noyau (" in capfd.readouterr().err
    pd.testing.assert_frame_equal(res.indicators, first.indicators)


@pytest.mark.parametrize("lang, hit, miss", [
    ("fr", "fac_eval : résultats lus dans le cache de la commande (clé ",
     "fac_eval : résultats calculés dans le noyau (clé périmée ; clé "),
    ("en", "fac_eval: results read from the run's cache (key ",
     "fac_eval: results computed in the kernel (stale key; key ")])
def test_the_kernel_says_where_its_results_come_from_in_the_report_language(
        raw, tmp_path, capfd, lang, hit, miss):
    secret = result_cache.new_secret()
    first = _cached(raw, tmp_path / "cache", secret)
    capfd.readouterr()
    result_cache.session_results("2022", cache_dir=tmp_path / "cache", secret=secret, lang=lang)
    key = result_cache.cache_key(raw / "2022", {k: getattr(first, k)
                                                for k in result_cache.OPTIONS}, [])
    assert capfd.readouterr().err == hit + key[:12] + ")\n"
    result_cache.session_results("2022", alpha=0.1, cache_dir=tmp_path / "cache", secret=secret,
                                 lang=lang)
    assert capfd.readouterr().err.startswith(miss)


def test_without_a_cache_folder_the_notebook_computes_silently(raw, calls, capfd, monkeypatch):
    monkeypatch.delenv(result_cache.CACHE_ENV, raising=False)
    res = result_cache.session_results("2022")
    assert len(calls) == 1 and res.name == "2022"
    assert "fac_eval:" not in capfd.readouterr().err


def test_the_cache_never_holds_the_names(raw, tmp_path, monkeypatch):
    names_file = tmp_path / "names.txt"
    names_file.write_text("Bérénice Quatremare\n", encoding="utf-8")
    monkeypatch.setenv("FAC_EVAL_NAMES_FILE", str(names_file))
    secret = result_cache.new_secret()
    first = _cached(raw, tmp_path / "cache", secret)
    assert "Bérénice Quatremare" in first.names
    data = (tmp_path / "cache" / result_cache.PAYLOAD).read_bytes()
    assert b"Quatremare" not in data and "Quatremare".encode("utf-16-le") not in data
    again = result_cache.session_results("2022", cache_dir=tmp_path / "cache", secret=secret)
    assert again.names == first.names and again.names_checked  # loaded again by the kernel


def _setup_stderr(executed: Path) -> str:
    nb = nbformat.read(str(executed), as_version=4)
    setup = next(c for c in nb.cells if "setup" in c.metadata.get("tags", []))
    return "".join(o.get("text", "") for o in setup.outputs
                   if o.get("output_type") == "stream" and o.get("name") == "stderr")


def _masked(text: str) -> str:  # the generation time, and the code's commit (read at each render)
    text = re.sub(r'<span class="timestamp">[^<]*</span>', "", text)
    return re.sub(r"commit [0-9a-f]{7,40}( \([^)]*\))?", "commit …", text)


def test_the_kernel_reuses_the_run_and_gives_the_same_report_without_it(tmp_path, monkeypatch):
    """fac-eval run: the kernel reads the CLI's results (a line in the executed notebook), the
    cache is gone from the published folder; plain papermill with a stale cache computes, and
    its HTML is the run's, byte for byte apart from the generation time."""
    import papermill

    root = make_project(tmp_path / "p", sessions=("2022",))
    paths = Paths(root)
    monkeypatch.delenv("FAC_EVAL_NAMES_FILE", raising=False)
    res = run_session("2022", lang="fr", paths=paths)
    executed = paths.processed / "2022" / "rapport_2022.ipynb"
    assert "fac_eval : résultats lus dans le cache de la commande" in _setup_stderr(executed)
    assert not list((paths.processed / "2022").glob("session_results*"))
    # the same notebook, run by plain papermill, with a cache of other parameters (stale key)
    stale = tmp_path / "stale"
    stale.mkdir()
    secret = result_cache.new_secret()
    result_cache.write(analysis.compute_session(paths.raw / "2022", alpha=0.1), stale, secret)
    out = tmp_path / "plain.ipynb"
    with pipeline.kernel_environment(paths, {result_cache.CACHE_ENV: str(stale),
                                             result_cache.SECRET_ENV: secret}):
        papermill.execute_notebook(str(root / "notebooks" / pipeline.NOTEBOOK), str(out),
                                   parameters={"session": "2022", "lang": "fr"},
                                   cwd=str(root / "notebooks"), progress_bar=False)
    assert "fac_eval : résultats calculés dans le noyau (clé périmée ; clé " in _setup_stderr(out)
    plain = pipeline.export_html(out, lang="fr")
    assert _masked(plain) == _masked(res.html.read_text(encoding="utf-8"))
