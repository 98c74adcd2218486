"""Guarantees on reading files and folders after an independent attacker's sixth pass (issue 10):
what nobody can see in a workbook (F6), temporary output of a killed run (F7), raw files that are
not regular files (F8), undocumented date formats (F9), a raw root that git would pick up (F10).
Each through the ``fac-eval`` CLI: exit code, a message naming the file (and sheet, cell, row,
column or path), nothing written."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import cli_text as _cli
from guarantees_support import Project, csv_to_xlsx, read_csv_rows, write_csv_rows

from fac_eval.disclosure import privacy

S = "synth-2024"


@pytest.fixture
def project(tmp_path, monkeypatch):
    p = Project(tmp_path, sessions=(S,))
    monkeypatch.setenv("FAC_EVAL_RAW", str(p.raw))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(p.processed))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(p.reports))
    names = tmp_path / "secrets" / "noms.txt"
    names.parent.mkdir()
    names.write_text("Sophie Martin\nJean-Luc Perrin\n", encoding="utf-8")
    monkeypatch.setenv(privacy.NAMES_ENV_VAR, str(names))
    return p


def _refused(project, capsys, *fragments, command="validate", en=()):
    """``fac-eval COMMAND synth-2024`` in French then English: exit 1, each fragment said,
    nothing written."""
    code, text = _cli(capsys, command, S)
    assert code == 1, text
    assert "Traceback" not in text
    for f in fragments:
        assert re.search(f, text), f"{f!r} not in:\n{text}"
    code, text_en = _cli(capsys, command, S, "--lang", "en")
    assert code == 1, text_en
    for f in en:
        assert re.search(f, text_en), f"{f!r} not in:\n{text_en}"
    assert project.outputs_written(S) == []
    return text + " " + text_en


# --------------------------------------------------------------------------------------------
# F9. Dates: the documented formats (YYYY-MM-DD, DD/MM/YYYY) and Excel date cells, nothing else
# --------------------------------------------------------------------------------------------

UNDOCUMENTED = ["2024-3-4", "22-03-04", "4 mars 2024", "45355", "04.03.2024", "4/3/2024",
                "04/03/24", "2024/03/04", "03-04-2024", "2024-03-04 9:30", "mars 2024"]


def test_undocumented_date_formats_are_refused_not_reinterpreted(project, capsys):
    rows = read_csv_rows(project.session() / "learners_entry.csv")
    for r, value in zip(rows[1:], UNDOCUMENTED):
        r[1] = value
    write_csv_rows(project.session() / "learners_entry.csv", rows)
    text = _refused(
        project, capsys,
        *[rf"learners_entry\.csv, ligne {i}, colonne « response_date » : type de valeur "
          rf"incorrect, valeur « {re.escape(v)} » — attendu : une date au format AAAA-MM-JJ ou "
          r"JJ/MM/AAAA" for i, v in enumerate(UNDOCUMENTED, start=2)],
        en=[r'learners_entry\.csv, row 3, column "response_date": wrong type of value, value '
            r'"22-03-04" — expected: a date as YYYY-MM-DD or DD/MM/YYYY'])
    assert f"{len(UNDOCUMENTED)} problème(s)" in text


@pytest.mark.parametrize("value", ["04/03/2024", "2024-03-04", "2024-03-04 10:30",
                                   "2024-03-04T10:30:00", "04/03/2024 17:05:09"])
def test_documented_date_formats_are_read(project, capsys, value):
    rows = read_csv_rows(project.session() / "learners_entry.csv")
    rows[1][1] = value
    write_csv_rows(project.session() / "learners_entry.csv", rows)
    code, text = _cli(capsys, "validate", S)
    assert code == 0, text


@pytest.mark.parametrize("key, value", [("start_date", '"4 mars 2024"'), ("end_date", "24-07-05"),
                                        ("start_date", '"2024-3-4"'), ("end_date", '"05.07.2024"')])
def test_undocumented_dates_in_session_yml_are_refused(project, capsys, key, value):
    path = project.session() / "session.yml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(rf"(?m)^{key}:.*$", f"{key}: {value}", text)
    path.write_text(text, encoding="utf-8")
    _refused(project, capsys, rf"session\.yml, ligne \d+, clé « {key} » : type de valeur "
                              r"incorrect, valeur « [^»]+ » — attendu : une date au format AAAA-MM-JJ")


def test_excel_date_cells_are_read_and_text_dates_in_a_workbook_are_checked(project, capsys):
    wb, ws, path = csv_to_xlsx(project.session() / "learners_entry.csv")
    ws["B2"] = dt.datetime(2024, 3, 4)
    ws["B2"].number_format = "dd/mm/yyyy"
    ws["B3"] = dt.date(2024, 3, 5)
    wb.save(path)
    code, text = _cli(capsys, "validate", S)
    assert code == 0, text
    ws["B4"] = "5 mars 2024"
    ws["B5"] = "45356"
    wb.save(path)
    _refused(project, capsys,
             r"learners_entry\.xlsx, feuille « Données », cellule B4, colonne « response_date » : "
             r"type de valeur incorrect, valeur « 5 mars 2024 »",
             r"cellule B5, colonne « response_date » : type de valeur incorrect, valeur « 45356 »")


# --------------------------------------------------------------------------------------------
# F8. A file expected in the session folder is a regular file, never a pipe, a device, a folder
#     or a link out of the raw data
# --------------------------------------------------------------------------------------------

NOT_REGULAR = "pas un fichier ordinaire — attendu : un fichier ordinaire (CSV, XLSX ou YAML)"
_NR = re.escape(NOT_REGULAR)


def _replace(path, make):
    path.unlink(missing_ok=True)
    make(path)
    return path


def test_named_pipes_are_refused_without_ever_being_opened(project):
    """A FIFO in place of a mandatory file, of the optional follow-up and of session.yml: a plain
    open would wait forever for a writer; refused at once, each named (a subprocess, so that a
    hang is a failed test, not a stuck one)."""
    import os

    for name in ("learners_entry.csv", "followup.csv", "session.yml"):
        _replace(project.session() / name, os.mkfifo)
    for command in ("validate", "run"):
        r = project.cli(command, S, timeout=120)
        assert r.code == 1, r.text
        assert "Traceback" not in r.text and r.seconds < 60
        for name in ("learners_entry.csv", "followup.csv", "session.yml"):
            assert f"{name} : {NOT_REGULAR}" in r.text, r.text
            assert f"{project.session() / name} est un tube nommé (FIFO)" in r.text, r.text
    assert project.outputs_written(S) == []


@pytest.mark.parametrize("name, pending", [("learners_exit.csv", True), ("founders_entry.xlsx", False),
                                           ("followup.csv", False), ("claims.yml", False)])
def test_a_folder_named_as_a_file_is_refused(project, capsys, name, pending):
    """A folder ``learners_exit.csv`` used to read as "exit not collected yet" (an interim
    report); a folder ``founders_entry.xlsx`` beside the CSV as nothing at all."""
    folder = project.session() / name
    if name.endswith(".xlsx"):
        folder.mkdir()
    else:
        _replace(folder, lambda p: p.mkdir())
    text = _refused(project, capsys,
                    rf"{re.escape(name)} : {_NR}, pas un dossier : "
                    rf"{re.escape(str(folder))} est un dossier",
                    en=[rf'{re.escape(name)}: not a regular file — expected: a regular file '
                        r'\(CSV, XLSX or YAML\), not a folder'])
    assert "intermédiaire" not in text and "interim" not in text


@pytest.mark.parametrize("original, misnamed", [
    ("followup.csv", "followup (1).csv"), ("followup.csv", "Followup.csv"),
    ("followup.csv", "folowup.csv"), ("followup.csv", "followup.csv.csv"),
    ("followup.csv", "followup .csv"), ("followup.csv", "followup.txt"),
    ("followup.csv", "followup - Copie.csv"), ("testimonies.csv", "testimonies [2].csv"),
    ("learners_exit.csv", "learners_exit (1).csv"), ("founders_exit.csv", "Founders_Exit.CSV"),
])
def test_a_misnamed_optional_or_pending_file_is_never_ignored(project, capsys, original,
                                                              misnamed):
    """A copy's name, a capital, a typo or a doubled extension: the file was left unread in
    silence and the report said its questionnaire was not collected (or turned interim).
    It is refused, naming the file and the name expected (attacker's round 8 for #10)."""
    folder = project.session()
    (folder / original).rename(folder / misnamed)
    stem = original.split(".")[0]
    _refused(project, capsys, re.escape(misnamed) + r" : nom de fichier non reconnu — attendu : "
             + re.escape(f"{stem}.csv ou {stem}.xlsx"),
             en=[re.escape(misnamed) + r": file name not recognised"])


def test_unrelated_files_in_a_session_folder_are_still_ignored(project, capsys):
    folder = project.session()
    for name in ("notes.txt", "budget 2024.xlsx", "liste.csv"):
        (folder / name).write_text("x\n", encoding="utf-8")
    code, text = _cli(capsys, "validate", S)
    assert code == 0, text


@pytest.mark.parametrize("name", ["learners_profile.csv", "session.yml", "claims.yml",
                                  "followup.csv", "testimonies.csv"])
def test_a_link_to_a_system_file_is_refused_and_never_read(project, capsys, name):
    link = _replace(project.session() / name, lambda p: p.symlink_to("/etc/passwd"))
    text = _refused(project, capsys,
                    rf"{re.escape(name)} : lien vers un fichier hors des données brutes — "
                    rf"attendu : un fichier dans le dossier de la session : "
                    rf"{re.escape(str(link))} est un lien vers /etc/passwd, hors du dossier des "
                    rf"données brutes {re.escape(str(project.raw))}",
                    en=[rf"{re.escape(name)}: link to a file outside the raw data"])
    assert "root:" not in text and "/bin/" not in text  # nothing of the file was read


def test_a_link_to_a_valid_file_outside_the_raw_root_is_refused(project, capsys, tmp_path):
    """Even a well-formed questionnaire: raw data live under the raw root, where they are
    ignored by git, checksummed and never written."""
    outside = tmp_path / "elsewhere" / "learners_entry.csv"
    outside.parent.mkdir()
    (project.session() / "learners_entry.csv").rename(outside)
    (project.session() / "learners_entry.csv").symlink_to(outside)
    _refused(project, capsys, r"learners_entry\.csv : lien vers un fichier hors des données "
                              r"brutes", command="run")
    assert outside.read_text(encoding="utf-8").startswith("learner_id")


@pytest.mark.parametrize("target", ["/dev/null", "/dev/zero", "/dev/urandom"])
def test_a_link_to_a_device_is_refused(project, capsys, target):
    _replace(project.session() / "learners_exit.csv", lambda p: p.symlink_to(target))
    _refused(project, capsys, rf"learners_exit\.csv : lien vers un fichier hors des données "
                              rf"brutes — .* est un lien vers {target},")


def test_a_device_in_the_session_folder_is_refused(project, capsys):
    import os
    import stat

    path = project.session() / "founders_exit.csv"
    path.unlink()
    try:
        os.mknod(path, 0o644 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    except (PermissionError, OSError):
        pytest.skip("cannot create a device here")
    _refused(project, capsys, rf"founders_exit\.csv : {_NR} : .*founders_exit\.csv est un "
                              r"périphérique")


def test_a_dangling_link_is_refused(project, capsys):
    link = _replace(project.session() / "learners_exit.csv",
                    lambda p: p.symlink_to(project.session() / "gone.csv"))
    _refused(project, capsys, rf"learners_exit\.csv : {_NR} : {re.escape(str(link))} est "
                              r"un lien vers rien")


def test_links_inside_the_raw_root_and_a_linked_session_folder_are_read(project, capsys, tmp_path):
    """A file linked to another place of the raw root is read, and so is a symlinked session
    folder (its files are those of the folder it points to)."""
    shared = project.raw / "partage"
    shared.mkdir()
    (project.session() / "learners_profile.csv").rename(shared / "learners_profile.csv")
    (project.session() / "learners_profile.csv").symlink_to(
        shared / "learners_profile.csv")
    (project.session() / "session.yml").rename(shared / "session.yml")
    (project.session() / "session.yml").symlink_to("../partage/session.yml")
    code, text = _cli(capsys, "validate", S)
    assert code == 0, text
    moved = tmp_path / "ailleurs" / S
    moved.parent.mkdir()
    project.session().rename(moved)
    (project.raw / S).symlink_to(moved, target_is_directory=True)
    (moved / "learners_profile.csv").unlink()
    (moved / "learners_profile.csv").write_bytes((shared / "learners_profile.csv").read_bytes())
    (moved / "session.yml").unlink()
    (moved / "session.yml").write_bytes((shared / "session.yml").read_bytes())
    code, text = _cli(capsys, "validate", S)
    assert code == 0, text


# --------------------------------------------------------------------------------------------
# F10. A raw root that git would pick up is refused
# --------------------------------------------------------------------------------------------


def _git_repo(tmp_path, gitignore="data/raw/*\n"):
    import shutil
    import subprocess

    from conftest import REPO

    repo = tmp_path / "projet"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / ".gitignore").write_text(gitignore, encoding="utf-8")
    for place in ("exports/raw", "data/raw", "private/raw"):
        shutil.copytree(REPO / "data" / "raw" / S, repo / place / S)
    shutil.copytree(REPO / "data" / "raw" / "2022", repo / "exports" / "raw" / "2022")
    return repo


def _untracked(repo):
    import subprocess

    out = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "-uall"],
                         capture_output=True, text=True, check=True).stdout
    return [line[3:] for line in out.splitlines()]


REFUSED_GIT = ("Le dossier des données brutes FAC_EVAL_RAW = {raw} est dans l'arbre de travail git "
               "{repo} et git n'ignore pas ce qu'il contient (par exemple {raw}/export.xlsx) : un "
               "« git add -A » enregistrerait des données brutes dans git.")


@pytest.mark.parametrize("argv", [["validate", S], ["run", S], ["clean", S], ["batch", S],
                                  ["compare", "2022", S], ["new-session", "2026"],
                                  ["synth", "synth-2026", "--learners", "6", "--founders", "3",
                                   "--seed", "1"]])
def test_a_raw_root_inside_the_git_work_tree_not_ignored_is_refused(tmp_path, monkeypatch,
                                                                    capsys, argv):
    repo = _git_repo(tmp_path)
    raw = repo / "exports" / "raw"
    assert any(p.startswith("exports/raw/") for p in _untracked(repo))  # what git would add
    monkeypatch.setenv("FAC_EVAL_RAW", str(raw))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / "processed"))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(tmp_path / "reports"))
    before = sorted(p.name for p in raw.iterdir())
    code, text = _cli(capsys, *argv)
    assert code == 1, text
    assert REFUSED_GIT.format(raw=raw, repo=repo) in text, text
    assert "Traceback" not in text
    code, text = _cli(capsys, *argv, "--lang", "en")
    assert code == 1 and (f"The raw data folder FAC_EVAL_RAW = {raw} is inside the git work "
                          f"tree {repo} and git does not ignore what it holds") in text, text
    assert sorted(p.name for p in raw.iterdir()) == before
    assert not (tmp_path / "processed").exists() and not (tmp_path / "reports").exists()


@pytest.mark.parametrize("raw, gitignore", [
    ("", "data/raw/*\n"),                          # the work tree's top itself
    ("exports", "data/raw/*\n"),                   # above a session folder
    ("private/raw", "private/raw/*.csv\n"),        # CSV ignored, an XLSX export would not be
    ("private/raw", "private/raw/synth-2024/\n"),  # one session ignored, not a new one
    # one session let in again (round 24, F16: the probes were of new folders only)
    ("exports/raw", "exports/raw/*\n!exports/raw/2022/\n"),
    ("exports/raw", "exports/raw/**\n!exports/raw/2022/\n!exports/raw/2022/**\n"),
    ("data/raw", "data/raw/*\n!data/raw/synth-2024/\n"),
])
def test_raw_roots_git_would_pick_up_something_of_are_refused(tmp_path, monkeypatch, capsys,
                                                              raw, gitignore):
    repo = _git_repo(tmp_path, gitignore)
    monkeypatch.setenv("FAC_EVAL_RAW", str(repo / raw) if raw else str(repo))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / "processed"))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(tmp_path / "reports"))
    code, text = _cli(capsys, "validate", S, "--lang", "en")
    assert code == 1 and f"is inside the git work tree {repo} and git does not ignore" in text, text
    assert "Nothing was read or written." in text


def test_a_linked_raw_root_is_judged_where_it_points(tmp_path, monkeypatch, capsys):
    repo = _git_repo(tmp_path)
    link = tmp_path / "raw-link"
    link.symlink_to(repo / "exports" / "raw", target_is_directory=True)
    monkeypatch.setenv("FAC_EVAL_RAW", str(link))
    code, text = _cli(capsys, "validate", S)
    assert code == 1 and f"est dans l'arbre de travail git {repo}" in text, text


@pytest.mark.parametrize("raw, gitignore", [
    ("data/raw", "data/raw/*\n"),        # the project's layout
    ("private/raw", "private/\n"),        # a private folder git ignores as a whole
    ("exports/raw", "/exports/raw/**\n"),  # everything under it
])
def test_raw_roots_git_ignores_are_read(tmp_path, monkeypatch, capsys, raw, gitignore):
    repo = _git_repo(tmp_path, gitignore)
    monkeypatch.setenv("FAC_EVAL_RAW", str(repo / raw))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / "processed"))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(tmp_path / "reports"))
    code, text = _cli(capsys, "validate", S)
    assert code == 0, text
    assert not any(p.startswith(raw + "/") for p in _untracked(repo))


def test_the_repository_raw_root_is_accepted(roots, capsys):
    """The project's own data/raw (its shipped sessions tracked, anything new ignored)."""
    code, text = _cli(capsys, "validate", "2022")
    assert code == 0, text


# --------------------------------------------------------------------------------------------
# F7. The published root never holds an unscanned file: staging is in the processed root
# --------------------------------------------------------------------------------------------


def _published_files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_run_killed_before_the_leak_scan_leaves_nothing_under_reports(tmp_path):
    """Killed (SIGKILL) once its HTML is written and before the leak scan: the report is in the
    processed root's staging folder, never under reports/; after the kill reports/ holds exactly
    the previous files; the next run (of any session) publishes only scanned files."""
    from _guarantees import make_project, run_exe
    from test_guarantees_kills import _kill, _paused

    from fac_eval.run import outputs

    proj = make_project(tmp_path, sessions=("2022", S))
    proj.previous_outputs("2022")
    published = _published_files(proj.reports)
    proc, flag, pid = _paused(proj, "exported", "run", "2022")
    try:
        staged = list((proj.processed / outputs.STAGING_DIR).glob(f"{outputs.TMP}2022~*"))
        assert len(staged) == 1 and (staged[0] / outputs.report_file("2022", "fr")).is_file()
        assert _published_files(proj.reports) == published  # while it runs
        assert [p.name for p in proj.reports.iterdir()] == ["2022"]
    finally:
        _kill(proc, pid)
    assert _published_files(proj.reports) == published  # after the kill
    assert [p.name for p in proj.reports.iterdir()] == ["2022"]
    res = run_exe(proj, "clean", S, timeout=600)  # another session's command
    assert res.returncode == 0, res.stderr
    assert not any(p.name.startswith(".") for p in proj.reports.rglob("*"))
    res = run_exe(proj, "clean", "2022", timeout=600)  # the session's next command tidies up
    assert res.returncode == 0, res.stderr
    assert not (proj.processed / outputs.STAGING_DIR).exists()


def _paths(tmp_path, monkeypatch):
    from fac_eval.data.session_paths import Paths

    for var, sub in (("FAC_EVAL_RAW", "raw"), ("FAC_EVAL_PROCESSED", "processed"),
                     ("FAC_EVAL_REPORTS", "reports")):
        (tmp_path / sub).mkdir(exist_ok=True)
        monkeypatch.setenv(var, str(tmp_path / sub))
    return Paths()


@pytest.mark.parametrize("exdev", [False, True])
def test_staging_of_a_published_folder_is_in_the_processed_root(tmp_path, monkeypatch, exdev):
    """Each staging folder of a target outside the processed root (a session's report, a
    comparison's) is in processed/.fac-eval-staging/; moved beside its target only at commit
    (after the scan), copied when the roots are on different file systems (EXDEV)."""
    import errno
    import os

    from fac_eval.run import outputs

    paths = _paths(tmp_path, monkeypatch)
    targets = [paths.processed / "x", paths.reports / "x", paths.reports / "comparaisons" / "x"]
    with outputs.session_lock("x", paths), outputs.Staging("x", targets, paths) as st:
        assert st[targets[0]].parent == paths.processed
        for t in targets[1:]:
            assert st[t].parent == paths.processed / outputs.STAGING_DIR
        assert st[targets[1]] != st[targets[2]]
        for t in targets:
            (st[t] / "page.html").write_text(f"scanned {t}")
        assert not any(paths.reports.rglob("*.html"))
        if exdev:
            real_rename = os.rename

            def cross(a, b):
                if ".fac-eval-staging" in str(a):
                    raise OSError(errno.EXDEV, "Invalid cross-device link", str(a))
                return real_rename(a, b)

            monkeypatch.setattr(outputs.os, "rename", cross)
        st.commit()
    for t in targets:
        assert (t / "page.html").read_text() == f"scanned {t}"
    assert not (paths.processed / outputs.STAGING_DIR).exists()
    assert not [p for p in paths.reports.rglob(".*")]


def test_a_failed_staging_leaves_no_staging_folder(tmp_path, monkeypatch):
    from fac_eval.run import outputs

    paths = _paths(tmp_path, monkeypatch)
    targets = [paths.processed / "y", paths.reports / "y"]
    with pytest.raises(RuntimeError):
        with outputs.session_lock("y", paths), outputs.Staging("y", targets, paths) as st:
            (st[targets[1]] / "unscanned.html").write_text("<p>A03 Sophie Martin</p>")
            raise RuntimeError("leak found")
    assert not (paths.processed / outputs.STAGING_DIR).exists()
    assert list(paths.reports.iterdir()) == []


def test_leftover_staging_of_a_killed_run_is_removed_by_the_next_run_of_its_target(tmp_path,
                                                                                 monkeypatch):
    from fac_eval.run import outputs

    paths = _paths(tmp_path, monkeypatch)
    mine, other = paths.reports / "z", paths.reports / "comparaisons" / "z"
    away = paths.processed / outputs.STAGING_DIR
    away.mkdir()
    dead = away / f"{outputs._away_prefix(mine)}4194997~deadbeef"
    kept = away / f"{outputs._away_prefix(other)}4194997~1a2b3c4d"
    for d in (dead, kept):
        d.mkdir()
        (d / "rapport.html").write_text("unscanned")
    from fac_eval.run import swap_repair

    removed = swap_repair.recover("z", [paths.processed / "z", mine], paths).removed
    assert removed == [dead] and kept.is_dir()


# --------------------------------------------------------------------------------------------
# F6. What nobody can see in a workbook is a problem, not data read in silence
# --------------------------------------------------------------------------------------------

WHERE = r"learners_entry\.xlsx, feuille « Données », cellule "
UNSEEN = r" : texte de la couleur de sa cellule, valeur « {value} » — attendu : un texte visible : "


def _workbook(project):
    return csv_to_xlsx(project.session() / "learners_entry.csv")


@pytest.mark.parametrize("code", [";;;", '""', ";;;@", "[White]General", "[White]0", "[Color2]0",
                                  ";;", "* ", '"";""', "_)"])
def test_a_number_format_that_displays_nothing_is_a_problem(project, capsys, code):
    _f10_refused(project, capsys, code, None, UNSEEN, r"son format de nombre n'affiche rien",
                 r".* expected: text that can be seen: its number format displays nothing")


def _f10_refused(project, capsys, code, value, said, fr, en):
    """Score cell F10 of learners_entry.xlsx (its value, or ``value``) under number format
    ``code``: refused with the cell, the column, the value and the French and English
    expectations ``fr`` and ``en``."""
    wb, ws, path = _workbook(project)
    if value is not None:
        ws["F10"] = value
    value = ws["F10"].value
    assert isinstance(value, int)
    ws["F10"].number_format = code
    wb.save(path)
    _refused(project, capsys, WHERE + r"F10, colonne « ses_04 »" + said.format(value=value) + fr,
             en=[r'learners_entry\.xlsx, sheet "Données", cell F10, column "ses_04": ' + en])


def test_a_format_hiding_zeros_or_text_is_a_problem_for_those_values(project, capsys):
    """'0;-0;;@' hides zeros only; ';;;' hides text too; the id column's text under a format of
    four sections whose text section is empty."""
    wb, ws, path = _workbook(project)
    ws["C3"] = 0
    ws["C3"].number_format = "0;-0;;@"
    ws["A4"].number_format = ";;;"
    ws["A5"].number_format = '0;0;0;""'
    ws["D6"].number_format = "0;-0;;@"  # a value that is not 0: shown
    wb.save(path)
    text = _refused(project, capsys, WHERE + r"C3, colonne « ses_01 »" + UNSEEN.format(value=0),
                    WHERE + r"A4, colonne « learner_id »", WHERE + r"A5, colonne « learner_id »")
    assert "cellule D6" not in text


@pytest.mark.parametrize("code", ["0", "0.00", "[Red]0", "@", "General", "#,##0",
                                  '0" pts"', "[Blue]0;[Red]-0"])
def test_visible_number_formats_are_read(project, capsys, code):
    wb, ws, path = _workbook(project)
    ws["F10"].number_format = code
    wb.save(path)
    code_, text = _cli(capsys, "validate", S)
    assert code_ == 0, text


DISGUISED = r" : format de nombre affichant une autre valeur, valeur « {value} » — attendu : "


@pytest.mark.parametrize("code", ['0"4"', '"14"', "\\1 0", "0,", "#,##0,,", '"1"0', '0" (sur 10)"',
                                  '[>0]"9";0', '"7"0', '0;-0;"12"'])
def test_a_number_format_that_shows_another_value_is_a_problem(project, capsys, code):
    """A score of 1 under 0"4" shows 14; 99 under "14" shows 14; 1500 under 0, shows 2: whoever
    checks the sheet sees another value than the one read (attacker's round 7 for #10). Each
    is refused with its cell, its value and what is expected, in both languages."""
    _f10_refused(project, capsys, code, 0 if code.endswith('"12"') else None,  # 0: zero section
                 DISGUISED, r"une cellule qui affiche sa propre valeur",
                 r"number format showing another value, .* expected: a cell that shows its own "
                 r"value")


def test_an_id_under_a_text_format_showing_another_id_is_a_problem(project, capsys):
    """The learner id A04 under ;;;"A01" shows A01; "@ (1)" draws a digit beside the text."""
    wb, ws, path = _workbook(project)
    ws["A4"].number_format = ';;;"A01"'
    ws["A5"].number_format = '@" (1)"'
    wb.save(path)
    _refused(project, capsys, WHERE + r"A4, colonne « learner_id »", WHERE + r"A5, colonne "
             r"« learner_id »", r"format de nombre affichant une autre valeur")


@pytest.mark.parametrize("code", ['"Score : "0', '0 "points"', "00", '0;-0;"0"', '0;-0;"zéro"',
                                  "0%", "0.00E+00", '"oui"', '"3"'])
def test_formats_that_show_the_value_itself_are_read(project, capsys, code):
    """A word beside the digits, leading zeros, a zero section (not the score's), a percentage,
    the score's own digits: the value shown is the value read (a word alone, "oui", is not
    judged)."""
    wb, ws, path = _workbook(project)
    if code == '"3"':
        ws["F10"] = 3
    ws["F10"].number_format = code
    wb.save(path)
    code_, text = _cli(capsys, "validate", S)
    assert code_ == 0, text


@pytest.mark.parametrize("code, value, shows_another", [
    ('0;-0;"0"', 0, False), ('0;-0;"zéro"', 0, False), ('0;-0;"12"', 0, True),
    ('0;"-5"', -3, True), ('0;"-3"', -3, False), ('"7"', 7, False), ('"7"', 8, True),
    ('"Note "0.0', 2.5, False), ("#,##0", 1500, False), ("#,##0,", 1500, True)])
def test_which_formats_show_another_value(code, value, shows_another):
    """The section that draws the value decides (negative and zero sections included); a
    format's own digits are another value unless they are the value's."""
    from fac_eval.data.xlsx_unseen import format_misleads

    assert format_misleads(code, value) is shows_another


def test_a_conditional_rule_giving_another_value_is_a_problem(project, capsys):
    from openpyxl.formatting.rule import Rule
    from openpyxl.styles.differential import DifferentialStyle
    from openpyxl.styles.numbers import NumberFormat

    wb, ws, path = _workbook(project)
    ws.conditional_formatting.add("F2:F12", Rule(
        type="expression", formula=["TRUE"],
        dxf=DifferentialStyle(numFmt=NumberFormat(numFmtId=201, formatCode='"5"'))))
    wb.save(path)
    _refused(project, capsys, r"mise en forme conditionnelle de F2:F12",
             r"un format qui n'affiche rien ou affiche une autre valeur")


@pytest.mark.parametrize("size", [1, 2, 3.5])
def test_a_font_too_small_to_read_is_a_problem(project, capsys, size):
    from openpyxl.styles import Font

    wb, ws, path = _workbook(project)
    value = ws["G7"].value
    ws["G7"].font = Font(size=size)
    wb.save(path)
    _refused(project, capsys, WHERE + r"G7, colonne « ses_05 »" + UNSEEN.format(value=value)
             + r"sa police fait moins de 4 points")


def _font(rgb=None, theme=None, tint=0.0):
    from openpyxl.styles import Color, Font

    return Font(color=Color(rgb=rgb) if rgb else Color(theme=theme, tint=tint))


@pytest.mark.parametrize("font, fill", [
    (dict(rgb="FFFEFEFE"), None), (dict(rgb="FFF8F8F8"), None), (dict(rgb="FFF2F2F2"), None),
    (dict(rgb="FF000001"), "000000"), (dict(rgb="FF0B6E50"), "0B6E4F"),
    (dict(theme=0, tint=-0.05), None), (dict(theme=1, tint=0.0), "111111"),
])
def test_text_of_a_colour_close_to_its_fill_is_a_problem(project, capsys, font, fill):
    from openpyxl.styles import PatternFill

    wb, ws, path = _workbook(project)
    value = ws["F10"].value
    ws["F10"].font = _font(**font)
    if fill:
        ws["F10"].fill = PatternFill("solid", fgColor=fill)
    wb.save(path)
    _refused(project, capsys, WHERE + r"F10, colonne « ses_04 »" + UNSEEN.format(value=value)
             + r"la couleur de sa police est celle du fond de la cellule \(blanc sur blanc\) ou "
               r"trop proche")


@pytest.mark.parametrize("font, fill", [(dict(rgb="FFD0D0D0"), None), (dict(rgb="FF808080"), None),
                                        (dict(rgb="FFFFFFFF"), "0B6E4F"),
                                        (dict(theme=1, tint=0.5), None)])
def test_faint_but_visible_colours_are_read(project, capsys, font, fill):
    from openpyxl.styles import PatternFill

    wb, ws, path = _workbook(project)
    ws["F10"].font = _font(**font)
    if fill:
        ws["F10"].fill = PatternFill("solid", fgColor=fill)
    wb.save(path)
    code, text = _cli(capsys, "validate", S)
    assert code == 0, text


def _white_font_rule():
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font

    return CellIsRule(operator="greaterThan", formula=["0"], font=Font(color="FFFFFF"))


def _hiding_format_rule():
    from openpyxl.formatting.rule import Rule
    from openpyxl.styles.differential import DifferentialStyle
    from openpyxl.styles.numbers import NumberFormat

    return Rule(type="expression", formula=["TRUE"],
                dxf=DifferentialStyle(numFmt=NumberFormat(numFmtId=200, formatCode=";;;")))


def _near_white_rule():
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font

    return FormulaRule(formula=["$C2>1"], font=Font(color="FFFAFAFA"))


@pytest.mark.parametrize("rule", [_white_font_rule, _hiding_format_rule, _near_white_rule])
def test_conditional_formatting_that_hides_text_is_a_problem(project, capsys, rule):
    wb, ws, path = _workbook(project)
    ws.conditional_formatting.add("C2:H20", rule())
    wb.save(path)
    _refused(project, capsys, WHERE + r"C2, colonne « ses_01 » : texte de la couleur de sa "
                              r"cellule \(mise en forme conditionnelle de C2:H20\) — attendu : un "
                              r"texte visible : une règle de mise en forme conditionnelle")


def test_visible_conditional_formatting_is_read(project, capsys):
    from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
    from openpyxl.styles import Font, PatternFill

    wb, ws, path = _workbook(project)
    ws.conditional_formatting.add("C2:H20", CellIsRule(operator="lessThan", formula=["2"],
                                                       font=Font(color="C00000")))
    ws.conditional_formatting.add("D2:D20", CellIsRule(
        operator="equal", formula=["4"], font=Font(color="FFFFFF"),
        fill=PatternFill("solid", bgColor="0B6E4F", fgColor="0B6E4F")))
    ws.conditional_formatting.add("E2:E20", ColorScaleRule(start_type="min", start_color="F8696B",
                                                           end_type="max", end_color="63BE7B"))
    wb.save(path)
    code, text = _cli(capsys, "validate", S)
    assert code == 0, text


@pytest.mark.parametrize("height", [0.1, 1, 2.5])
def test_a_row_too_low_to_be_seen_is_a_hidden_row(project, capsys, height):
    wb, ws, path = _workbook(project)
    ws.row_dimensions[9].height = height
    wb.save(path)
    _refused(project, capsys, WHERE + r"A9 : ligne masquée contenant des données "
                              r"\(ligne 9\) — attendu : aucune ligne masquée")


@pytest.mark.parametrize("width", [0.1, 0.5])
def test_a_column_too_narrow_to_be_seen_is_a_hidden_column(project, capsys, width):
    wb, ws, path = _workbook(project)
    ws.column_dimensions["E"].width = width
    wb.save(path)
    _refused(project, capsys, WHERE + r"E1, colonne « ses_03 » : colonne masquée contenant des "
                              r"données \(colonne E\)")


def test_low_rows_and_narrow_columns_that_show_their_text_are_read(project, capsys):
    wb, ws, path = _workbook(project)
    ws.row_dimensions[9].height = 8
    ws.column_dimensions["E"].width = 3
    wb.save(path)
    code, text = _cli(capsys, "validate", S)
    assert code == 0, text


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
@pytest.mark.parametrize("content", ["Sophie Martin, 06 12 34 56 78", "notes de saisie", 42])
def test_a_hidden_sheet_holding_anything_is_a_problem(project, capsys, state, content):
    wb, ws, path = _workbook(project)
    other = wb.create_sheet("Brouillon")
    other["B3"] = content
    other.sheet_state = state
    wb.save(path)
    text = _refused(project, capsys,
                    r"learners_entry\.xlsx, feuille « Brouillon », cellule B3 : feuille masquée "
                    r"contenant des données( \(feuille très masquée\))? — attendu : aucune feuille masquée "
                    r"ayant un contenu")
    assert "Sophie" not in text and "06 12" not in text


def test_the_templates_hidden_lists_sheet_is_read(project, capsys, tmp_path):
    """The hidden sheet of drop-down lists of a workbook made by new-session (item names and
    answer labels only) is not a problem."""
    import openpyxl

    from fac_eval.data import codebook as cb
    from fac_eval.data.entry_templates import write_instrument_template

    template = tmp_path / "modele.xlsx"
    write_instrument_template(cb.INSTRUMENTS["learners_profile"], template)
    lists = openpyxl.load_workbook(template)["Listes"]
    assert lists.sheet_state == "hidden" and lists.max_row > 2
    wb, ws, path = csv_to_xlsx(project.session() / "learners_profile.csv")
    copy = wb.create_sheet("Listes")
    for row in lists.iter_rows():
        for cell in row:
            copy.cell(row=cell.row, column=cell.column, value=cell.value)
    copy.sheet_state = "hidden"
    wb.save(path)
    code, text = _cli(capsys, "validate", S)
    assert code == 0, text


@pytest.mark.parametrize("prop, value, shown", [
    ("creator", "Sophie Martin", "nom de la liste de noms"),
    ("title", "Saisie de jean.dupont@example.org", "adresse e-mail"),
    ("keywords", "rappeler le 06 12 34 56 78", "numéro de téléphone"),
    ("description", "Jean-Luc Perrin a saisi", "nom de la liste de noms"),
    ("lastModifiedBy", "Sophie Martin", "nom de la liste de noms"),
    ("subject", "IBAN FR76 3000 6000 0112 3456 7890 189", "IBAN"),
])
def test_personal_data_in_the_document_properties_is_a_problem(project, capsys, prop, value,
                                                               shown):
    wb, ws, path = _workbook(project)
    setattr(wb.properties, prop, value)
    wb.save(path)
    text = _refused(project, capsys,
                    rf"learners_entry\.xlsx, feuille « Données » : donnée directement identifiante "
                    rf"\({shown}, valeur masquée\), valeur « [^»]+ » — "
                    rf"attendu : aucune donnée personnelle dans les propriétés du classeur "
                    rf"\(Fichier > Informations > Propriétés\), propriété {prop}")
    assert value not in text


def test_plain_document_properties_are_read(project, capsys):
    wb, ws, path = _workbook(project)
    wb.properties.creator = "CRIA de l'Ain"
    wb.properties.title = "Questionnaire d'entrée 2024"
    wb.properties.keywords = "FAC, entrée"
    wb.save(path)
    code, text = _cli(capsys, "validate", S)
    assert code == 0, text


def test_run_refuses_unseen_content_and_writes_nothing(project, capsys):
    wb, ws, path = _workbook(project)
    ws["F10"].number_format = ";;;"
    wb.save(path)
    _refused(project, capsys, WHERE + r"F10, colonne « ses_04 »", command="run")
