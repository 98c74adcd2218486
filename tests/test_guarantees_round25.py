"""Issue 10, attacker round 25: bad input named as what it is.

F18. a generated session relabelled ``data_kind: real`` (its ``generator`` / ``seed`` kept) was
     published as real data: ``validate`` and ``run`` refuse those keys outside a synthetic
     session, with file, line, key, value and what was expected.
F8.  a raw root (FAC_EVAL_RAW) that is itself a session's folder was taken as the folder of the
     sessions (new-session and synth wrote inside the session): every command refuses it,
     naming it and the folder to point at.
F1.  ``synth --out`` refusals named the wrong thing (the raw root called "the session", the
     root for the session, an output or an empty folder called raw data): each says what the
     folder is and what to do.
F13. an interim session (an exit questionnaire not collected) published its exit testimonies
     under "exit pending": validate warns for each, naming its row, and the report sets them
     aside and says so (as the follow-up answers while the exit wave is pending).
F6.  one NUL in a UTF-8 CSV made the whole file "unreadable" (no row, no column, its other
     problems hidden): a control character is named with its row, column and code point, the
     file's other problems listed; a quote never closed that swallows rows is said as such.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from _guarantees import REPO, make_project, run_cli, tree


def _set_kind(session_dir, kind):
    path = session_dir / "session.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^data_kind: .*$", f"data_kind: {kind}", text), encoding="utf-8")


def _line_of(path, key):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(f"{key}:"):
            return n
    raise AssertionError(key)


# ---- F18 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, shown", [("real", "real"), ("reconstructed", "reconstructed"),
                                         ("réelle", "real"), ("Reconstituées", "reconstructed")])
def test_a_generated_session_relabelled_is_refused_with_both_keys(tmp_path, monkeypatch, capsys,
                                                                  kind, shown):
    p = make_project(tmp_path, monkeypatch, sessions=("synth-2024",))
    (p.raw / "synth-2024").rename(p.raw / "real1")
    _set_kind(p.raw / "real1", kind)
    yml = p.raw / "real1" / "session.yml"
    code, out, err = run_cli(capsys, "validate", "real1")
    text = out + err
    assert code == 1
    kind_line = _line_of(yml, "data_kind")
    for key, value in (("generator", "fac_eval.synth"), ("seed", "2024")):
        line = _line_of(yml, key)
        assert (f"session.yml, ligne {line}, clé « {key} » : clé d'une session générée, "
                f"valeur « {value} »") in text
        assert (f"data_kind: {shown} (ligne {kind_line})") in text
    assert "data_kind: synthetic" in text


@pytest.mark.parametrize("keys", [("seed",), ("generator",)])
def test_one_generated_key_alone_is_refused_in_english_too(tmp_path, monkeypatch, capsys, keys):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    yml = p.raw / "2022" / "session.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "".join(
        {"seed": "seed: 7\n", "generator": "generator: my_script\n"}[k] for k in keys),
        encoding="utf-8")
    code, out, err = run_cli(capsys, "--lang", "en", "validate", "2022")
    text = out + err
    assert code == 1
    value = {"seed": "7", "generator": "my_script"}[keys[0]]
    line = _line_of(yml, keys[0])
    assert (f'session.yml, line {line}, key "{keys[0]}": key of a generated session, value '
            f'"{value}"') in text
    assert f"no {keys[0]} key: only fac-eval synth writes it" in text
    assert "data_kind: reconstructed" in text


def test_the_shipped_synthetic_session_still_validates(tmp_path, monkeypatch, capsys):
    make_project(tmp_path, monkeypatch, sessions=("synth-2024",))
    code, out, err = run_cli(capsys, "validate", "synth-2024")
    assert code == 0, out + err
    assert "generator" not in out + err


def test_run_refuses_a_relabelled_session_and_leaves_the_outputs(tmp_path, monkeypatch, capsys):
    p = make_project(tmp_path, monkeypatch, sessions=("synth-2024",))
    _set_kind(p.raw / "synth-2024", "real")
    p.previous_outputs("synth-2024")
    before = p.snapshot()
    code, out, err = run_cli(capsys, "run", "synth-2024")
    assert code == 1
    assert "clé « seed » : clé d'une session générée" in out + err
    assert p.snapshot() == before


@pytest.mark.parametrize("content", ["", "\n\n", "# nobody yet\n"])
def test_a_names_file_without_names_is_said_once_not_as_missing(tmp_path, monkeypatch, capsys,
                                                               content):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    _set_kind(p.raw / "2022", "real")
    names = tmp_path / "noms.txt"
    names.write_text(content, encoding="utf-8")
    monkeypatch.setenv("FAC_EVAL_NAMES_FILE", str(names))
    code, out, err = run_cli(capsys, "validate", "2022")
    text = out + err
    assert code == 0, text
    assert f"Le fichier de noms {names} (indiqué par FAC_EVAL_NAMES_FILE) ne contient aucun nom" \
        in text
    assert "sans fichier de noms (FAC_EVAL_NAMES_FILE)" not in text
    monkeypatch.delenv("FAC_EVAL_NAMES_FILE")
    code, out, err = run_cli(capsys, "validate", "2022")
    assert "2022 : aucune liste de noms n'a été vérifiée : sans fichier de noms" in out + err


# ---- F8 -------------------------------------------------------------------------------------

SYNTH = ("--learners", "5", "--founders", "3", "--seed", "3")


@pytest.mark.parametrize("command", [
    ["new-session", "inner"], ["synth", "inner2", *SYNTH], ["validate", "synth-2024"],
    ["run", "synth-2024"], ["clean", "2022"], ["claims", "2022"], ["batch"],
    ["batch", "synth-2024"], ["quality", "2022"], ["compare", "2022", "synth-2024"],
    ["synth", "x", *SYNTH, "--out", "OUTSIDE"],
])
def test_a_raw_root_that_is_a_session_is_refused_by_every_command(tmp_path, monkeypatch, capsys,
                                                                 command):
    p = make_project(tmp_path, monkeypatch)
    monkeypatch.setenv("FAC_EVAL_RAW", str(p.raw / "2022"))
    command = [str(tmp_path / "elsewhere") if a == "OUTSIDE" else a for a in command]
    before = p.snapshot()
    code, out, err = run_cli(capsys, *command)
    assert code == 1, out + err
    assert (f"FAC_EVAL_RAW = {p.raw / '2022'} désigne le dossier d'une session (il contient "
            f"session.yml, claims.yml, founders_entry.csv, …), pas le dossier des sessions : "
            f"faites pointer FAC_EVAL_RAW vers {p.raw}, le dossier qui contient la session "
            f"2022. Rien n'a été lu ni écrit.") in err, err
    assert "Sessions connues" not in err and "Traceback" not in err
    assert p.snapshot() == before and not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize("marker", ["session.yml", "learners_profile.xlsx", "founders_exit.csv",
                                    "claims.yml"])
def test_one_session_file_makes_the_root_a_session_in_english_too(tmp_path, monkeypatch, capsys,
                                                                  marker):
    make_project(tmp_path, monkeypatch, sessions=("2022",))
    root = tmp_path / "exports" / "2025"
    root.mkdir(parents=True)
    (root / marker).write_bytes(b"")
    monkeypatch.setenv("FAC_EVAL_RAW", str(root))
    code, out, err = run_cli(capsys, "--lang", "en", "new-session", "inner")
    assert code == 1
    assert (f"FAC_EVAL_RAW = {root} names the folder of one session (it holds {marker}), not "
            f"the folder of the sessions: point FAC_EVAL_RAW at {root.parent}, the folder that "
            f"holds the session 2025.") in err, err
    assert list(root.iterdir()) == [root / marker]


def test_a_folder_of_sessions_and_other_files_is_still_a_raw_root(tmp_path, monkeypatch, capsys):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    (p.raw / "README.txt").write_text("notes\n", encoding="utf-8")
    (p.raw / "export.xlsx").write_bytes(b"")  # not a questionnaire's name
    code, out, err = run_cli(capsys, "new-session", "inner")
    assert code == 0, err
    assert (p.raw / "inner" / "session.yml").is_file()


def test_the_resolver_refuses_it_for_the_notebooks_too(tmp_path, monkeypatch):
    from fac_eval.data import session_paths

    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    monkeypatch.setenv("FAC_EVAL_RAW", str(p.raw / "2022"))
    with pytest.raises(session_paths.PathGuardError) as err:
        session_paths.raw_session_dir("synth-2024")
    assert f"point FAC_EVAL_RAW at {p.raw}" in err.value.message("en")


def test_the_default_raw_root_holding_session_files_is_said_so(tmp_path, monkeypatch):
    from fac_eval.data import raw_folders, session_paths

    project = tmp_path / "project"
    raw = project / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "learners_profile.csv").write_text("learner_id\n", encoding="utf-8")
    monkeypatch.delenv("FAC_EVAL_RAW", raising=False)
    with pytest.raises(session_paths.PathGuardError) as err:
        raw_folders.check_raw_root_shape(session_paths.Paths(project))
    assert (f"The raw data folder {raw} holds a session's files itself (learners_profile.csv): "
            f"each session is a folder of it ({raw}/SESSION/).") in err.value.message("en")


# ---- F1 -------------------------------------------------------------------------------------

def _synth_out(capsys, out, lang="en"):
    return run_cli(capsys, "--lang", lang, "synth", "zz", *SYNTH, "--out", str(out))


def test_synth_out_in_the_projects_own_raw_folder_names_it_and_what_to_do(tmp_path, monkeypatch,
                                                                          capsys):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    own = REPO / "data" / "raw"
    before = tree(own)
    code, out, err = _synth_out(capsys, own / "newsyn")
    assert code == 1
    assert (f"Write refused: {own / 'newsyn'} is in {own}, the project's own raw data folder, "
            f"while FAC_EVAL_RAW names {p.raw}") in err
    assert "fac-eval synth NAME, without --out" in err and f"FAC_EVAL_RAW={own}" in err
    assert "inside the session" not in err and tree(own) == before


@pytest.mark.parametrize("sub", [("sub",), ("a", "b"), ("claims",)])
@pytest.mark.parametrize("session", ["2022", "synth-2024"])
def test_synth_out_inside_a_raw_session_names_the_session(tmp_path, monkeypatch, capsys, sub,
                                                          session):
    p = make_project(tmp_path, monkeypatch)
    before = p.snapshot()
    out = p.raw.joinpath(session, *sub)
    code, _, err = _synth_out(capsys, out, "fr")
    assert code == 1
    assert (f"Écriture refusée : {out} est à l'intérieur de la session de données brutes "
            f"{session} (dans {p.raw})") in err, err
    assert f"fac-eval synth NOM (sans --out) écrit {p.raw}/NOM" in err
    assert p.snapshot() == before


@pytest.mark.parametrize("where", ["reports", "processed"])
@pytest.mark.parametrize("exists", [True, False])
def test_synth_out_in_an_output_folder_is_said_to_be_one(tmp_path, monkeypatch, capsys, where,
                                                         exists):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    root = getattr(p, where)
    out = root / "2022"
    if exists:
        out.mkdir(parents=True)
    code, _, err = _synth_out(capsys, out)
    variable = f"FAC_EVAL_{where.upper()}"
    assert code == 1
    assert (f"Write refused: {out} is in the output folders of fac-eval ({root}, {variable}), "
            f"which it fills and replaces itself. A raw session goes into {p.raw}") in err, err
    assert "raw data are never overwritten" not in err
    assert list(out.iterdir()) == [] if exists else not out.exists()


@pytest.mark.parametrize("command", [["synth", "emptydir", *SYNTH], ["new-session", "emptydir"],
                                     ["synth", "x", *SYNTH, "--out", "RAW/emptydir"],
                                     ["synth", "x", *SYNTH, "--out", "OUT/emptydir"]])
def test_an_existing_empty_folder_is_said_to_be_empty(tmp_path, monkeypatch, capsys, command):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    folder = (tmp_path / "elsewhere" / "emptydir") if "OUT/emptydir" in command else \
        p.raw / "emptydir"
    folder.mkdir(parents=True)
    command = [str(folder) if a.endswith("/emptydir") else a for a in command]
    code, _, err = run_cli(capsys, *command)
    assert code == 1
    assert (f"{folder} existe déjà (un dossier vide) : le dossier d'une nouvelle session est "
            f"créé par fac-eval") in err, err
    assert "données brutes ne sont jamais écrasées" not in err
    assert list(folder.iterdir()) == []


def test_the_raw_root_itself_and_a_session_are_named_as_such(tmp_path, monkeypatch, capsys):
    p = make_project(tmp_path, monkeypatch)
    before = p.snapshot()
    code, _, err = _synth_out(capsys, p.raw)
    assert code == 1 and (f"{p.raw} already exists: it is the folder of the raw sessions, never "
                          f"a new session's") in err, err
    for args in (["synth", "2022", *SYNTH], ["new-session", "2022"],
                 ["synth", "zz", *SYNTH, "--out", str(p.raw / "2022")]):
        code, _, err = run_cli(capsys, "--lang", "en", *args)
        assert code == 1 and f"{p.raw / '2022'} already exists: raw data are never overwritten" \
            in err, err
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("x", encoding="utf-8")
    code, _, err = _synth_out(capsys, other)
    assert code == 1 and (f"{other} already exists: a new session's folder is made by fac-eval, "
                          f"and an existing folder is never written into") in err, err
    assert p.snapshot() == before and sorted(os.listdir(other)) == ["notes.txt"]


# ---- F13 ------------------------------------------------------------------------------------

def _pending(session_dir, which, how):
    path = session_dir / f"{which}.csv"
    if how == "absent":
        path.unlink()
    elif how == "empty":
        path.write_bytes(b"")
    else:  # the header row only
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n",
                        encoding="utf-8")


def _testimony_rows(session_dir, population, wave="exit"):
    import csv

    with open(session_dir / "testimonies.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [(n, r["participant_id"], r["text"]) for n, r in enumerate(rows, 2)
            if r["population"] == population and r["wave"] == wave]


@pytest.mark.parametrize("how", ["empty", "absent", "header"])
@pytest.mark.parametrize("which, population, word", [
    ("learners_exit", "learners", "apprenants"), ("founders_exit", "founders",
                                                  "porteurs de projet")])
def test_validate_warns_of_each_exit_testimony_of_a_pending_wave(tmp_path, monkeypatch, capsys,
                                                                 how, which, population, word):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    session = p.raw / "2022"
    _pending(session, which, how)
    rows = _testimony_rows(session, population)
    others = [r for pop in ("learners", "founders") if pop != population
              for r in _testimony_rows(session, pop)]
    assert rows and others
    code, out, err = run_cli(capsys, "validate", "2022")
    text = out + err
    assert code == 0, text
    assert f"{len(rows)} avertissement(s)" in text
    for line, pid, _ in rows:
        assert (f"testimonies.csv, ligne {line}, colonne « wave » : témoignage d'une vague pas "
                f"encore collectée, valeur « exit » — attendu : d'abord le questionnaire de "
                f"sortie des {word} ({which}.csv) : tant qu'il n'est pas saisi, ce témoignage "
                f"de sortie de {pid} est mis de côté") in text, text
    for line, _, _ in others:
        assert f"testimonies.csv, ligne {line}," not in text


def test_a_complete_session_has_no_such_warning(tmp_path, monkeypatch, capsys):
    make_project(tmp_path, monkeypatch, sessions=("2022",))
    code, out, err = run_cli(capsys, "validate", "2022")
    assert code == 0 and "vague pas encore collectée" not in out + err


def test_the_cleaning_sets_aside_the_testimonies_of_a_wave_not_collected():
    import pandas as pd

    from fac_eval.data.interim import awaited_testimonies

    t = pd.DataFrame({"participant_id": ["A01", "A02", "P01", "A03", "P02"],
                      "population": ["learners", "learners", "founders", "learners", "founders"],
                      "wave": ["exit", "followup", "exit", "exit", "followup"]})
    assert awaited_testimonies(t, ("learners_exit",)).tolist() == [True, True, False, True, False]
    assert awaited_testimonies(t, ("founders_exit",)).tolist() == [False, False, True, False,
                                                                   False]
    assert awaited_testimonies(t, ()).tolist() == [False] * 5
    assert awaited_testimonies(t, ("learners_exit", "founders_exit")).tolist() == [
        True, True, True, True, False]


def test_a_followup_testimony_while_the_learners_exit_is_pending_is_warned(tmp_path,
                                                                          monkeypatch, capsys):
    p = make_project(tmp_path, monkeypatch, sessions=("synth-2024",))
    session = p.raw / "synth-2024"
    _pending(session, "learners_exit", "empty")
    path = session / "testimonies.csv"
    with open(path, "a", encoding="utf-8") as f:
        f.write("A01,learners,followup,J'ai trouvé un poste six mois après.,yes\n")
    line = len(path.read_text(encoding="utf-8").splitlines())
    code, out, err = run_cli(capsys, "--lang", "en", "validate", "synth-2024")
    text = out + err
    assert code == 0, text
    assert (f'testimonies.csv, row {line}, column "wave": testimony of a wave not collected '
            f'yet, value "followup" — expected: the learners\' exit questionnaire first '
            f'(learners_exit.csv), then the follow-up: until then, this follow-up testimony by '
            f'A01 is set aside') in text, text
    assert "follow-up before the exit questionnaire" in text  # its answers too


@pytest.mark.parametrize("pending", [("learners_exit",), ("learners_exit", "founders_exit")])
def test_the_interim_report_sets_them_aside_and_says_so(tmp_path, monkeypatch, capsys, pending):
    import html as html_lib

    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    session = p.raw / "2022"
    learners = _testimony_rows(session, "learners")
    founders = _testimony_rows(session, "founders")
    for which in pending:
        _pending(session, which, "empty")
    code, out, err = run_cli(capsys, "run", "2022")
    assert code == 0, out + err
    page = html_lib.unescape((p.reports / "2022" / "rapport_2022.html").read_text(
        encoding="utf-8"))
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    aside = len(learners) + (len(founders) if "founders_exit" in pending else 0)
    assert (f"{aside} témoignages d'une vague pas encore collectée (leur questionnaire de "
            f"sortie, ou le suivi, est en attente) sont mis de côté") in page
    for _, _, quote in learners:
        assert quote[:60] not in page
    kept = (p.processed / "2022" / "testimonies.csv").read_text(encoding="utf-8")
    assert not any(pid in kept for _, pid, _ in learners)
    if "founders_exit" in pending:
        assert "Aucun témoignage recueilli" not in page
        assert not any(pid in kept for _, pid, _ in founders)
    else:
        assert f"{len(founders)} témoignages ont été écrits" in page or \
            f"{len(founders)} témoignages ont été recueillis" in page


# ---- F6 -------------------------------------------------------------------------------------

def _edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


CONTROL_FR = ("— attendu : une cellule sans caractère de contrôle (U+0000 NUL et les autres, hors "
              "tabulation et fins de ligne)")


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x85"])
def test_a_control_character_in_an_id_is_named_with_its_cell(tmp_path, monkeypatch, capsys,
                                                             char):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    _edit(p.raw / "2022" / "learners_profile.csv", "A03", f"A0{char}3")
    code, out, err = run_cli(capsys, "validate", "2022")
    text = out + err
    assert code == 1
    assert (f"learners_profile.csv, ligne 4, colonne « learner_id » : caractères invisibles, "
            f"valeur « A0<U+{ord(char):04X}>3 » (caractère invisible U+{ord(char):04X} en "
            f"position 3) {CONTROL_FR}") in text, text
    assert "fichier illisible" not in text
    assert "identifiant inconnu" not in text  # the id is read without it: one problem only
    assert "1 problème(s)" in text


def test_the_files_other_problems_are_still_listed(tmp_path, monkeypatch, capsys):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    path = p.raw / "2022" / "learners_profile.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] += ",rqth"
    lines[3] = lines[3].replace("A03", "A0\x003") + ",yes,extra"
    path.write_text("\n".join(lines), encoding="utf-8")
    code, out, err = run_cli(capsys, "--lang", "en", "validate", "2022")
    text = out + err
    assert code == 1
    assert 'learners_profile.csv, row 1, column "rqth": duplicate column' in text
    assert 'learners_profile.csv, row 4, column (no header): unknown column, value "extra"' in text
    assert ('learners_profile.csv, row 4, column "learner_id": invisible characters, value '
            '"A0<U+0000>3" (invisible character U+0000 at position 3)') in text
    assert "unreadable file" not in text


def test_a_nul_in_a_testimony_is_named_its_text_masked(tmp_path, monkeypatch, capsys):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    _edit(p.raw / "2022" / "testimonies.csv", "Ce qui m'a", "Ce qui\x00 m'a")
    code, out, err = run_cli(capsys, "validate", "2022")
    text = out + err
    assert code == 1
    assert ("testimonies.csv, ligne 2, colonne « text » : caractères invisibles (caractère "
            f"invisible U+0000 en position 7) {CONTROL_FR}") in text, text
    assert "Ce qui" not in text


@pytest.mark.parametrize("data", [
    "learner_id,gender\n".encode("utf-16-le") + "A01,f\n".encode("utf-16-le"),  # no BOM
    b"\x00\x01\x02\x03" * 200,
])
def test_a_file_full_of_nul_bytes_is_still_no_csv_text(tmp_path, monkeypatch, capsys, data):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    (p.raw / "2022" / "learners_profile.csv").write_bytes(data)
    code, out, err = run_cli(capsys, "validate", "2022")
    assert code == 1
    assert ("learners_profile.csv : fichier illisible — attendu : un fichier texte CSV (UTF-8 ou "
            "Windows-1252) ou un classeur XLSX") in out + err


@pytest.mark.parametrize("opened, closed, lines, missing", [(5, 9, "5 à 9", 4), (3, 4, "3 à 4", 1),
                                                          (7, None, "7 à 9", 2)])
def test_a_quote_never_closed_is_said_with_the_rows_it_swallows(tmp_path, monkeypatch, capsys,
                                                                opened, closed, lines, missing):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    path = p.raw / "2022" / "learners_entry.csv"
    rows = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert len(rows) == 9
    cells = rows[opened - 1].split(",")
    cells[1] = '"' + cells[1]
    rows[opened - 1] = ",".join(cells)
    if closed is not None:
        cells = rows[closed - 1].split(",")
        cells[2] += '"'
        rows[closed - 1] = ",".join(cells)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "validate", "2022")
    text = out + err
    assert code == 1
    word = "ligne manque" if missing == 1 else "lignes manquent"
    assert (f"learners_entry.csv, ligne {opened}, colonne « response_date » : guillemet non "
            f"fermé — attendu : un guillemet fermant (\") pour celui qui ouvre cette cellule : "
            f"les lignes {lines} du fichier sont lues comme cette seule cellule, si bien que "
            f"{missing} {word} au tableau") in text, text


def test_a_testimony_typed_over_several_lines_is_no_unclosed_quote(tmp_path, monkeypatch,
                                                                   capsys):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    _edit(p.raw / "2022" / "testimonies.csv", "Ce qui m'a le plus aidée,",
          "Ce qui m'a le plus aidée,\nvraiment, oui, et, aussi,\n")
    code, out, err = run_cli(capsys, "validate", "2022")
    assert code == 0, out + err
    assert "guillemet" not in out + err


# ---- F10 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("where", ["a session", "nowhere", "the raw root", "an empty folder"])
def test_a_shared_dir_that_is_no_project_folder_is_a_usage_error(tmp_path, monkeypatch, capsys,
                                                                 lang, where):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    shared = {"a session": p.raw / "2022", "nowhere": tmp_path / "nowhere",
              "the raw root": p.raw, "an empty folder": tmp_path / "empty"}[where]
    if where == "an empty folder":
        shared.mkdir()
    before = p.snapshot()
    code, out, err = run_cli(capsys, "--lang", lang, "batch", "--shared-dir", shared, "2022")
    assert code == 2, out + err
    if where == "nowhere":
        expected = {"fr": f"--shared-dir {shared} : ce dossier n'existe pas. --shared-dir est le "
                          "dossier du projet tel que le voient les workers Dask (avec "
                          "--scheduler)",
                    "en": f"--shared-dir {shared}: no such folder. --shared-dir is the project "
                          "folder the Dask workers see (with --scheduler)"}[lang]
    else:
        expected = {"fr": f"--shared-dir {shared} n'est pas un dossier de projet (pas de "
                          "notebooks/rapport_evaluation.ipynb)",
                    "en": f"--shared-dir {shared} is not a project folder (no "
                          "notebooks/rapport_evaluation.ipynb)"}[lang]
    assert expected in err, err
    assert "Carnet introuvable" not in out + err and "Notebook not found" not in out + err
    assert "fac-eval batch" in err  # argparse's usage line and help pointer
    assert p.snapshot() == before


def test_a_cluster_path_this_machine_cannot_see_is_left_to_the_scheduler():
    from fac_eval.run import batch

    assert batch.shared_dir_refusal(Path("/no/such/cluster/path"), True, "en") is None
    assert batch.shared_dir_refusal(REPO, False, "en") is None  # the project folder itself
    assert "is not a project folder" in batch.shared_dir_refusal(REPO / "data", True, "en")
