"""Issue 10, attacker round 19 (3 December), the LOW findings, through the CLI as a user runs it:

6. a session (or a comparison) named like one of its participants (``P01``, ``a3``) or like a
   name of the names file (``Marie_Dupont``) passed ``validate``, then every run failed in the
   leak scan, after the whole work. Validation now says it, naming what was found, and the run
   stops before any work;
7. messages that did not say what was wrong: an XLSX cell pointing past the workbook's shared
   texts gave "(IndexError)" with no cell; a dangling symbolic link was refused as a folder that
   "already exists" (``new-session``, ``synth``) or a file that "holds data" (``pseudonymise``);
   an exit dated before the session began was only "out of order";
- outside the list: a data file left anywhere in the project (``export_brut.xlsx``,
  ``noms.txt`` at its root) was not ignored by git.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REPO


@pytest.fixture
def project(tmp_path, monkeypatch):
    """Raw, processed and reports roots in ``tmp_path``, the raw root holding a copy of 2022
    under the name the test gives (``project("P01")``)."""
    raw = tmp_path / "raw"
    for root in ("raw", "processed", "reports"):
        monkeypatch.setenv(f"FAC_EVAL_{root.upper()}", str(tmp_path / root))
    monkeypatch.delenv("FAC_EVAL_NAMES_FILE", raising=False)

    def copy(name: str, source: str = "2022") -> Path:
        shutil.copytree(REPO / "data" / "raw" / source, raw / name)
        return raw / name

    copy.root = tmp_path  # type: ignore[attr-defined]
    return copy


def _names_file(tmp_path, monkeypatch, *names):
    path = tmp_path / "noms.txt"
    path.write_text("\n".join(names) + "\n", encoding="utf-8")
    monkeypatch.setenv("FAC_EVAL_NAMES_FILE", str(path))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# ---- 6. a session named like a participant -----------------------------------------------

@pytest.mark.parametrize("name", ["P01", "a03", "2022-A01", "A01-bis", "p4", "cohorte_P002"])
def test_a_session_named_like_a_participant_is_refused_by_validate_and_run(project, main_cli,
                                                                           name):
    project(name)
    code, out, err = main_cli("validate", name)
    text = _squash(out + err)
    assert code == 1, text
    assert "identifiant de participant, valeur masquée" in text
    assert "un nom de session qui n'identifie personne" in text
    # the run stops at validation, before any work: no report, no processed table
    code, out, err = main_cli("run", name)
    assert code == 1 and "identifiant de participant" in _squash(out + err)
    root = project.root
    assert not (root / "reports" / name).exists()
    assert not (root / "processed" / name).exists()


def test_the_refusal_masks_the_name_and_speaks_english(project, main_cli):
    project("P03")
    code, out, err = main_cli("validate", "P03", "--lang", "en")
    text = _squash(out + err)
    assert code == 1
    assert f"{project.root / 'raw' / 'P••'}: directly identifying data (participant id, value " \
           "masked)" in text, text
    assert "a session name that identifies no one" in text


@pytest.mark.parametrize("name", ["Marie_Dupont", "marie.dupont", "DUPONT-2024", "Sophie-Martin"])
def test_a_session_named_like_a_listed_name_is_refused(project, main_cli, tmp_path, monkeypatch,
                                                       name):
    _names_file(tmp_path, monkeypatch, "Marie Dupont", "Sophie Martin")
    project(name)
    code, out, err = main_cli("validate", name)
    text = _squash(out + err)
    assert code == 1 and "nom de la liste de noms, valeur masquée" in text, text
    # the problem names the folder with its name masked (the first line names the session
    # the user typed)
    from fac_eval.disclosure import pii

    assert f"{tmp_path / 'raw' / pii.mask(name)} : donnée directement identifiante" in text


@pytest.mark.parametrize("name", ["2022", "synth-2024", "lyon-2023", "cohorte_A", "printemps.2025",
                                  "Bourg-en-Bresse_2024", "session-12"])
def test_ordinary_session_names_pass(project, main_cli, tmp_path, monkeypatch, name):
    _names_file(tmp_path, monkeypatch, "Marie Dupont", "Sophie Martin")
    project(name)
    code, out, err = main_cli("validate", name)
    assert code == 0, out + err


def test_a_comparison_named_like_a_participant_is_refused_before_any_work(project, main_cli):
    project("2022")
    project("synth-2024", "synth-2024")
    code, out, err = main_cli("compare", "2022", "synth-2024", "--name", "A05")
    text = _squash(out + err)
    assert code == 1 and "identifiant de participant, valeur masquée" in text, text
    assert not (project.root / "reports" / "comparaisons").exists()


# ---- 7. messages that say what is wrong ------------------------------------------------------

def _workbook_with_shared_texts(path: Path, index: int, shared: bool = True) -> None:
    """A learners' profile workbook whose cell B3 points to shared text ``index`` (the
    workbook has two shared texts, or none when ``shared`` is false)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Profil & co"
    ws.append(["learner_id", "rqth"])
    ws.append(["A01", "yes"])
    ws.append(["A02", "no"])
    plain = path.with_suffix(".plain.xlsx")
    wb.save(plain)
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<c r="B2" t="inlineStr"><is><t>yes</t></is></c>',
                              b'<c r="B2" t="s"><v>0</v></c>', data)
                data = re.sub(rb'<c r="B3" t="inlineStr"><is><t>no</t></is></c>',
                              b'<c r="B3" t="s"><v>%d</v></c>' % index, data)
            if shared and info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocument'
                                    b'.spreadsheetml.sharedStrings+xml"/></Types>')
            if shared and info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http:/'
                                    b'/schemas.openxmlformats.org/officeDocument/2006/relation'
                                    b'ships/sharedStrings" Target="sharedStrings.xml"/>'
                                    b'</Relationships>')
            zout.writestr(info.filename, data)
        if shared:
            zout.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org'
                          '/spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>yes</t>'
                          '</si><si><t>no</t></si></sst>')
    plain.unlink()


@pytest.mark.parametrize(("index", "shared", "number", "count"),
                         [(2, True, "3", "2"), (57, True, "58", "2"), (1, False, "2", "0")])
def test_a_cell_past_the_shared_texts_is_named(tmp_path, index, shared, number, count):
    from fac_eval.data import xlsx_guard

    path = tmp_path / "learners_profile.xlsx"
    _workbook_with_shared_texts(path, index, shared)
    scan = xlsx_guard.scan_workbook(path.read_bytes(), path.name)
    assert [p.message("en") for p in scan.problems] == [
        f"learners_profile.xlsx, sheet \"Profil & co\", cell B3: unreadable file (the cell points "
        f"to shared text number {number}, the workbook has {count}) — expected: a valid Excel "
        "XLSX workbook: every cell's text in the workbook's shared texts (open the file in Excel "
        "or LibreOffice and save it again)"]


def test_a_workbook_within_its_shared_texts_is_read(tmp_path):
    from fac_eval.data import xlsx_guard, xlsx_reader

    path = tmp_path / "learners_profile.xlsx"
    _workbook_with_shared_texts(path, 1)
    assert xlsx_guard.scan_workbook(path.read_bytes(), path.name).problems == []
    rows, sheet, _ = xlsx_reader.read_workbook(path.read_bytes(), path.name)
    assert sheet == "Profil & co"
    assert [cells for _, cells in rows] == [["learner_id", "rqth"], ["A01", "yes"], ["A02", "no"]]


def test_validate_names_the_cell_past_the_shared_texts(project, main_cli):
    session = project("s")
    (session / "learners_profile.csv").unlink()
    _workbook_with_shared_texts(session / "learners_profile.xlsx", 9)
    code, out, err = main_cli("validate", "s")
    text = _squash(out + err)
    assert code == 1
    assert ("learners_profile.xlsx, feuille « Profil & co », cellule B3 : fichier illisible "
            "(la cellule renvoie au texte partagé numéro 10, le classeur en a 2)") in text, text
    assert "IndexError" not in text and "Traceback" not in text


SYNTH = ("--learners", "5", "--founders", "4", "--seed", "3")


@pytest.mark.parametrize("command", [("new-session",), ("synth", *SYNTH)])
@pytest.mark.parametrize("target", ["/nonexistent/elsewhere", "../ailleurs", "."])
def test_a_link_in_place_of_a_new_session_is_said_to_be_a_link(project, main_cli, command,
                                                                target):
    raw = project.root / "raw"
    raw.mkdir()
    os.symlink(target, raw / "demo")
    code, out, err = main_cli(command[0], "demo", *command[1:])
    text = _squash(out + err)
    assert code == 1
    if (raw / "demo").exists():  # a link to a folder: it exists, and it is said to be a link
        assert f"{raw / 'demo'} existe déjà : c'est un lien symbolique vers {target}." in text, text
    else:
        assert f"{raw / 'demo'} est un lien symbolique vers {target}, qui n'existe pas" in text, text
        assert "existe déjà" not in text
    assert os.readlink(raw / "demo") == target  # the link is left as it was


def test_synth_out_onto_a_dangling_link_is_said_to_be_a_link(project, main_cli):
    link = project.root / "sortie"
    os.symlink(project.root / "nulle-part", link)
    code, out, err = main_cli("synth", "x", *SYNTH, "--out", str(link), "--lang", "en")
    text = _squash(out + err)
    assert code == 1
    assert f"{link} is a symbolic link to {project.root / 'nulle-part'}, which does not exist" \
           in text, text
    assert not (project.root / "nulle-part").exists()


@pytest.mark.parametrize("inside_raw", [True, False])
def test_pseudonymise_onto_a_dangling_link_is_said_to_be_a_link(project, main_cli, monkeypatch,
                                                                inside_raw):
    monkeypatch.setenv("FAC_EVAL_KEY", "a-long-enough-secret-key-for-tests")
    session = project("2025")
    export = project.root / "export.csv"
    export.write_text("Prénom,Nom,E-mail,q1\nZoé,Martin,zoe@example.org,3\n", encoding="utf-8")
    where = session if inside_raw else project.root
    link = where / "learners_profile_new.csv"
    os.symlink(project.root / "absent.csv", link)
    code, out, err = main_cli("pseudonymise", str(export), str(link))
    text = _squash(out + err)
    assert code == 1
    assert f"{link} est un lien symbolique vers {project.root / 'absent.csv'}, qui n'existe pas" \
           in text, text
    assert "contient des données" not in text and "existe déjà" not in text
    assert not (project.root / "absent.csv").exists()


def _move_exit_date(session: Path, date: str) -> None:
    path = session / "learners_exit.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[1] = date
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(("date", "said"), [
    ("2022-01-05", "et avant le début de la session, le 14/03/2022, selon session.yml"),
    ("2021-12-31", "et avant le début de la session, le 14/03/2022, selon session.yml"),
])
def test_an_exit_before_the_session_began_says_so(project, main_cli, date, said):
    session = project("s")
    _move_exit_date(session, date)
    code, out, err = main_cli("validate", "s")
    text = _squash(out + err)
    assert code == 1
    assert "learners_exit.csv, ligne 2, colonne « response_date » : dates dans le désordre" in text
    assert said in text, text
    code, out, err = main_cli("validate", "s", "--lang", "en")
    assert "also before the session began on 2022-03-14, as session.yml says" in _squash(out + err)


def test_an_exit_out_of_order_within_the_session_has_no_session_note(project, main_cli):
    session = project("s")
    _move_exit_date(session, "2022-03-14")  # the entry of A01 is on 14 March too: in order
    lines = (session / "learners_entry.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[1] = "2022-03-20"
    lines[1] = ",".join(cells)
    (session / "learners_entry.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = main_cli("validate", "s")
    text = _squash(out + err)
    assert code == 1 and "dates dans le désordre" in text
    assert "avant le début de la session" not in text


# ---- git ignores a data file left anywhere ---------------------------------------------------

LOOSE_FILES = ["export_brut.xlsx", "noms.txt", "Export Brut.XLSX", "names.TXT", "suivi.csv",
               "notebooks/export_2025.xlsx", "notebooks/noms.txt", "docs/liste.ods",
               "reponses.tsv", "ancien.xls", "macro.xlsm", "stata.dta", "spss.sav",
               "table.parquet", "fac_eval/data/exemple.csv"]


@pytest.mark.parametrize("path", LOOSE_FILES)
def test_a_data_file_left_in_the_project_is_ignored_by_git(path):
    res = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=REPO,
                         capture_output=True, text=True)
    assert res.returncode == 0, f"{path} would be picked up by git"


def test_no_tracked_file_is_ignored():
    """The new patterns hide no file of the project (the shipped sessions' tables are allowed
    again by name)."""
    res = subprocess.run(["git", "ls-files", "-ci", "--exclude-standard"], cwd=REPO,
                         capture_output=True, text=True, check=True)
    assert res.stdout == ""
