"""Issue 10, section 1: an operating-system failure is said truthfully, naming the path.

A failure after a run's new outputs were swapped in (writing the record of what the run made,
keeping an old folder aside, removing the journal) said "the previous outputs are left as they
were" although the folders were the new ones (round 23, left open). It now says the new outputs
are in place and where the previous ones still are, and what the next run does with them; a
failure before the swap still says nothing changed. ``batch`` says an operating-system failure
of one session in the same words, never as ``PermissionError: [Errno 13] …``.
"""

from __future__ import annotations

import errno

import pytest
from _guarantees import output_roots, staged_run
from conftest import make_project

from fac_eval.run import batch, os_errors, output_record, outputs, pipeline


@pytest.fixture
def paths(tmp_path, monkeypatch):
    return output_roots(tmp_path, monkeypatch)


_run = staged_run


def _tree(folder):
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.is_file()}


def _kept(paths):
    kept = paths.processed / output_record.KEPT_DIR
    return [_tree(k) for k in sorted(kept.iterdir())] if kept.is_dir() else []


def _fail_once(monkeypatch, module, name, number):
    real = getattr(module, name)
    calls = []

    def failing(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise OSError(number, "injected", "/somewhere/it/failed")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, failing)
    return calls


def test_after_swap_keeps_the_errors_number_and_paths():
    err = OSError(errno.ENOSPC, "No space left on device", "/a/b", None, "/a/c")
    new = os_errors.after_swap(err, ["/x/old"])
    assert isinstance(new, OSError) and isinstance(new, os_errors.AfterSwapError)
    assert (new.errno, new.strerror, new.filename, new.filename2) == (
        errno.ENOSPC, "No space left on device", "/a/b", "/a/c")
    assert new.left == ("/x/old",)
    text = os_errors.os_error_message(new, "fr")
    assert "/a/b -> /a/c" in text and "le disque est plein (ENOSPC)" in text
    assert "inchangées" not in text and "/x/old" in text


@pytest.mark.parametrize("step, number", [("write_record", errno.ENOSPC),
                                          ("keep_aside", errno.EACCES),
                                          ("keep_aside", errno.EROFS)])
def test_a_failure_after_the_swap_says_the_new_outputs_are_in_place(paths, monkeypatch, step,
                                                                     number):
    """The record cannot be written, or an unrecorded old folder cannot be kept aside: the
    message says the new outputs are in place and names the previous folder still on disk,
    which exists; the next run finishes the work and nothing of the user's is lost."""
    report = paths.reports / "s"
    report.mkdir()
    (report / "rapport_s.pdf").write_text("signed", encoding="utf-8")  # no run recorded it
    _fail_once(monkeypatch, output_record, step, number)
    with pytest.raises(os_errors.AfterSwapError) as caught:
        _run(paths, "s", [report], {report: {"rapport_s.html": "new"}})
    err = caught.value
    assert err.errno == number and err.filename == "/somewhere/it/failed"
    assert _tree(report) == {"rapport_s.html": "new"}  # the new outputs are in place
    assert len(err.left) == 1 and _tree(type(report)(err.left[0])) == {"rapport_s.pdf": "signed"}
    for lang, new_words, old_words in (("fr", "Les nouvelles sorties de l'exécution sont en place",
                                        "inchangées"),
                                       ("en", "The run's new outputs are in place",
                                        "left as they were")):
        text = os_errors.os_error_message(err, lang)
        assert new_words in text and old_words not in text, text
        assert "/somewhere/it/failed" in text and err.left[0] in text
    _run(paths, "s", [report], {report: {"rapport_s.html": "newer"}})
    assert _tree(report) == {"rapport_s.html": "newer"}
    assert {"rapport_s.pdf": "signed"} in _kept(paths)  # kept, never removed


def test_a_failure_after_the_old_folder_went_says_only_the_new_outputs(paths, monkeypatch):
    """The old folders are gone (removed: fac-eval's own files) and the journal cannot be
    removed: no previous folder is named."""
    report = paths.reports / "s"
    _run(paths, "s", [report], {report: {"rapport_s.html": "v1"}})
    real = outputs.Staging._tidy

    def failing(self):
        real(self)
        raise OSError(errno.EIO, "injected", str(report))

    monkeypatch.setattr(outputs.Staging, "_tidy", failing)
    with pytest.raises(os_errors.AfterSwapError) as caught:
        _run(paths, "s", [report], {report: {"rapport_s.html": "v2"}})
    assert caught.value.left == ()
    text = os_errors.os_error_message(caught.value, "fr")
    assert text.endswith("Les nouvelles sorties de l'exécution sont en place. Les données brutes "
                         "n'ont pas été touchées.")
    assert _tree(report) == {"rapport_s.html": "v2"}


def test_a_failure_before_the_swap_still_says_nothing_changed(paths, monkeypatch):
    report = paths.reports / "s"
    _run(paths, "s", [report], {report: {"rapport_s.html": "v1"}})
    _fail_once(monkeypatch, output_record, "ready_to_record", errno.ENOSPC)
    with pytest.raises(OSError) as caught:
        _run(paths, "s", [report], {report: {"rapport_s.html": "v2"}})
    assert not isinstance(caught.value, os_errors.AfterSwapError)
    assert "Les sorties précédentes sont inchangées" in os_errors.os_error_message(caught.value)
    assert _tree(report) == {"rapport_s.html": "v1"}


def test_the_cli_says_the_new_tables_are_in_place_after_a_failed_record(tmp_path, monkeypatch,
                                                                        main_cli):
    """``fac-eval clean`` whose record cannot be written after the swap: exit 1, one message
    (no traceback) saying the new tables are in place; the next ``clean`` succeeds."""
    project = make_project(tmp_path / "p", sessions=("2022",))
    env = {"FAC_EVAL_RAW": str(project / "data" / "raw"),
           "FAC_EVAL_PROCESSED": str(project / "data" / "processed"),
           "FAC_EVAL_REPORTS": str(project / "reports")}
    _fail_once(monkeypatch, output_record, "write_record", errno.EDQUOT)
    code, out, err = main_cli("clean", "2022", env=env)
    assert code == 1 and "Traceback" not in err
    assert "le quota disque est atteint (EDQUOT)" in err
    assert "Les nouvelles sorties de l'exécution sont en place" in err and "inchangées" not in err
    assert (project / "data" / "processed" / "2022" / "indicators.csv").is_file()
    code, out, err = main_cli("clean", "2022", env=env)
    assert code == 0, err


@pytest.mark.parametrize("error, words", [
    (PermissionError(errno.EACCES, "Permission denied", "/r/2022/rapport_2022.html"),
     "Impossible de lire ou d'écrire /r/2022/rapport_2022.html : permission refusée (EACCES)"),
    (OSError(errno.ENOSPC, "No space left on device", "/p/2022"),
     "Impossible de lire ou d'écrire /p/2022 : le disque est plein (ENOSPC)"),
    (os_errors.after_swap(OSError(errno.EROFS, "Read-only file system", "/p/.lock"), ["/p/.old"]),
     "Les nouvelles sorties de l'exécution sont en place ; les précédentes sont encore dans "
     "/p/.old"),
])
def test_batch_says_an_operating_system_failure_in_the_clis_words(monkeypatch, error, words):
    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr(pipeline, "run_session", failing)
    outcome = batch.run_one("2022", lang="fr")
    assert not outcome.ok
    assert words in outcome.message, outcome.message
    assert "Errno" not in outcome.message and "Error:" not in outcome.message
