"""`fac-eval pseudonymise INPUT OUTPUT`: keyed pseudonymous ids, key outside the repository.

The raw exports used here are the 2022 session "de-pseudonymised" in a temporary folder: each id
is replaced by invented names and e-mails (Prénom, Nom, E-mail columns), the rows shuffled
differently in each wave. Pseudonymising every file again must give one id per person, the same
in every wave, and a session folder that the validator accepts.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fac_eval.data import codebook as cb
from fac_eval.data import io as fio
from fac_eval.data import validation as v
from fac_eval.disclosure import privacy
from fac_eval.run import cli

REPO = Path(__file__).resolve().parents[1]
SESSION = REPO / "data" / "raw" / "2022"
KEY = "cle-de-test-0123456789abcdef-ne-pas-utiliser"

FIRST = ["Zoé", "Léo", "Maëlle", "Noël", "Inès", "Théo", "Chloé", "Jérôme", "Anaïs", "Hugo",
         "Éloïse", "Bastien"]
LAST = ["Martin", "Durand", "Lefèvre", "Bernard", "Petit", "Roux", "Fournier", "Girard",
        "Bonnet", "Dupont", "Lambert", "Fontaine"]


def _people() -> dict[str, tuple[str, str, str]]:
    """Participant id of the 2022 session -> (first name, last name, e-mail)."""
    ids = [f"A{i:02d}" for i in range(1, 9)] + [f"P{i:02d}" for i in range(1, 5)]
    out = {}
    for pid, first, last in zip(ids, FIRST, LAST):
        mail = f"{privacy.fold(first)}.{privacy.fold(last)}@exemple.fr".replace(" ", "")
        out[pid] = (first, last, mail)
    return out


PEOPLE = _people()


def _read(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _export(instrument: str, out: Path, seed: int, delimiter: str, headers: tuple[str, str, str],
            encoding: str = "utf-8", email_case=str) -> None:
    """The 2022 file of ``instrument`` as a raw export: names and e-mails instead of ids,
    rows shuffled."""
    rows = _read(SESSION / f"{instrument}.csv")
    header, body = rows[0], rows[1:]
    key = header.index(cb.INSTRUMENTS[instrument].key)
    random.Random(seed).shuffle(body)
    new_rows = [list(headers) + header[:key] + header[key + 1:]]
    for r in body:
        first, last, mail = PEOPLE[r[key]]
        new_rows.append([first, last, email_case(mail)] + r[:key] + r[key + 1:])
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(new_rows)
    out.write_bytes(buf.getvalue().encode(encoding))


@pytest.fixture
def key_env(monkeypatch):
    monkeypatch.setenv("FAC_EVAL_KEY", KEY)
    monkeypatch.delenv("FAC_EVAL_KEY_FILE", raising=False)


@pytest.fixture
def no_key(monkeypatch):
    monkeypatch.delenv("FAC_EVAL_KEY", raising=False)
    monkeypatch.delenv("FAC_EVAL_KEY_FILE", raising=False)


def _ids(path: Path, column: str) -> list[str]:
    """The ids of a (pseudonymised) file, in file order, whatever its delimiter."""
    return list(fio.read_raw_table(path)[column])


# --------------------------------------------------------------------------------------------
# Key from the environment or from a key file outside the repository
# --------------------------------------------------------------------------------------------


def test_key_from_environment_variable(tmp_path, key_env, capsys):
    src = tmp_path / "export_entree.csv"
    _export("learners_entry", src, seed=1, delimiter=";", headers=("Prénom", "Nom", "E-mail"),
            encoding="cp1252")
    dst = tmp_path / "out" / "learners_entry.csv"
    assert cli.main(["pseudonymise", str(src), str(dst)]) == 0
    out = capsys.readouterr()
    assert "Fichier écrit" in out.out and "learner_id" in out.out and out.err == ""
    text = dst.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("learner_id;response_date;ses_01")
    # nobody's name or e-mail is left, and ids are those of the keyed hash of the full name
    assert privacy.find_leaks(text, names=[n for p in PEOPLE.values() for n in p[:2]]) == []
    # learners' ids start with A (the entry workbooks' convention)
    expected = {privacy.pseudonym(" ".join(PEOPLE[f"A{i:02d}"][:2]), KEY.encode(), "A")
                for i in range(1, 9)}
    assert set(_ids(dst, "learner_id")) == expected


def test_key_from_a_key_file_outside_the_repository(tmp_path, no_key, capsys):
    keyfile = tmp_path / "secrets" / "fac_eval.key"
    keyfile.parent.mkdir()
    keyfile.write_text(KEY + "\n", encoding="utf-8")
    src = tmp_path / "profil.csv"
    _export("learners_profile", src, seed=2, delimiter=",", headers=("Prénom", "Nom", "Courriel"))
    dst = tmp_path / "learners_profile.csv"
    assert cli.main(["pseudonymise", str(src), str(dst), "--key-file", str(keyfile),
                     "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Written: {dst} (8 rows).")
    assert ("Column 'learner_id': ids derived from the full name (Prénom, Nom); the same person "
            "gets the same id in every file pseudonymised with this key.") in out
    assert "Columns removed: Prénom, Nom, Courriel." in out and "—" not in out
    # the same key given by the environment gives the same ids
    ids = _ids(dst, "learner_id")
    assert ids[0] == privacy.pseudonym(" ".join(_read(src)[1][:2]), KEY.encode(), "A")


def test_refuses_without_a_key(tmp_path, no_key, capsys):
    src = tmp_path / "export.csv"
    _export("learners_entry", src, seed=1, delimiter=";", headers=("Prénom", "Nom", "E-mail"))
    dst = tmp_path / "learners_entry.csv"
    assert cli.main(["pseudonymise", str(src), str(dst)]) == 1
    err = capsys.readouterr().err
    assert "Aucune clé de pseudonymisation" in err
    assert "FAC_EVAL_KEY" in err and "hors du dépôt" in err and "Rien n'a été écrit" in err
    assert "No pseudonymisation key" not in err  # French only by default
    assert "Traceback" not in err
    assert not dst.exists()
    assert cli.main(["pseudonymise", str(src), str(dst), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "No pseudonymisation key" in err and "Aucune clé" not in err


def test_refuses_without_a_key_from_the_real_command(tmp_path):
    """The installed entry point (one subprocess): exit 1, French message, no traceback."""
    src = tmp_path / "export.csv"
    _export("learners_entry", src, seed=1, delimiter=";", headers=("Prénom", "Nom", "E-mail"))
    env = {k: val for k, val in os.environ.items() if not k.startswith("FAC_EVAL_KEY")}
    exe = Path(sys.executable).with_name("fac-eval")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "fac_eval.run.cli"]
    res = subprocess.run(cmd + ["pseudonymise", str(src), str(tmp_path / "o.csv")], env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 1
    assert "Aucune clé de pseudonymisation" in res.stderr
    assert "Traceback" not in res.stderr + res.stdout
    assert not (tmp_path / "o.csv").exists()


def test_refuses_a_too_short_key(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FAC_EVAL_KEY", "court")
    src = tmp_path / "export.csv"
    _export("learners_entry", src, seed=1, delimiter=";", headers=("Prénom", "Nom", "E-mail"))
    assert cli.main(["pseudonymise", str(src), str(tmp_path / "o.csv")]) == 1
    assert "trop courte" in capsys.readouterr().err


def test_refuses_a_key_file_inside_the_repository(tmp_path, no_key, capsys):
    # a path inside this project (the file need not exist: it is refused before being read,
    # and nothing is written into the repository)
    inside = REPO / "cle_pseudonymisation.key"
    src = tmp_path / "export.csv"
    _export("learners_entry", src, seed=1, delimiter=";", headers=("Prénom", "Nom", "E-mail"))
    dst = tmp_path / "learners_entry.csv"
    assert cli.main(["pseudonymise", str(src), str(dst), "--key-file", str(inside)]) == 1
    err = capsys.readouterr().err
    assert "est dans le dépôt" in err and "Déplacez-le hors du dépôt" in err
    assert not dst.exists() and not inside.exists()
    # any git working tree, not only this one
    repo = tmp_path / "autre_depot"
    (repo / ".git").mkdir(parents=True)
    keyfile = repo / "config" / "cle.key"
    keyfile.parent.mkdir()
    keyfile.write_text(KEY, encoding="utf-8")
    assert cli.main(["pseudonymise", str(src), str(dst), "--key-file", str(keyfile),
                     "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "inside the repository" in err and "dans le dépôt" not in err
    assert not dst.exists()


def test_clear_messages_for_bad_inputs(tmp_path, key_env, capsys):
    assert cli.main(["pseudonymise", str(tmp_path / "absent.csv"), str(tmp_path / "o.csv")]) == 1
    assert "Fichier d'entrée introuvable" in capsys.readouterr().err
    no_names = tmp_path / "deja.csv"
    no_names.write_text("learner_id,ses_01\nA01,3\n", encoding="utf-8")
    assert cli.main(["pseudonymise", str(no_names), str(tmp_path / "o.csv")]) == 1
    assert "Aucune colonne identifiante" in capsys.readouterr().err
    assert cli.main(["pseudonymise", str(no_names), str(no_names)]) == 1
    assert "autre endroit" in capsys.readouterr().err
    corrupt = tmp_path / "classeur.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 pas vraiment un classeur")
    assert cli.main(["pseudonymise", str(corrupt), str(tmp_path / "o.csv")]) == 1
    err = capsys.readouterr().err
    # the workbook guard names the file and what was expected (not a bare "could not be read")
    assert "classeur.xlsx : fichier illisible" in err and "XLSX" in err and "Traceback" not in err
    assert not (tmp_path / "o.csv").exists()


# --------------------------------------------------------------------------------------------
# Same person, same id in every wave; the output is a valid raw session
# --------------------------------------------------------------------------------------------


def test_same_person_same_id_across_waves_and_output_validates(tmp_path, key_env, capsys,
                                                               monkeypatch):
    exports = tmp_path / "exports"  # what the training centre sends (names, e-mails)
    exports.mkdir()
    session = tmp_path / "raw" / "2022"
    session.mkdir(parents=True)
    shutil.copy(SESSION / "session.yml", session / "session.yml")
    styles = {  # each wave exported differently: delimiter, encoding, headers, e-mail case
        "learners_profile": (";", ("Prénom", "Nom", "E-mail"), "utf-8", str),
        "learners_entry": (";", ("PRENOM", "NOM", "Adresse mail"), "cp1252", str.upper),
        "learners_exit": (",", ("First name", "Last name", "Email"), "utf-8", str.title),
        "founders_profile": (",", ("Prénom", "Nom", "Courriel"), "utf-8", str),
        "founders_entry": ("\t", ("Prénom", "Nom", "E-mail"), "utf-8", str),
        "founders_exit": (";", ("Prénom", "Nom", "Mail"), "cp1252", str),
        "testimonies": (",", ("Prénom", "Nom", "E-mail"), "utf-8", str),
    }
    for seed, (name, (delim, headers, enc, case)) in enumerate(styles.items()):
        src = exports / f"export_{name}.csv"
        _export(name, src, seed=seed + 10, delimiter=delim, headers=headers, encoding=enc,
                email_case=case)
        assert cli.main(["pseudonymise", str(src), str(session / f"{name}.csv")]) == 0
    capsys.readouterr()

    # the rows are in a different order in each wave, the ids are the same
    entry = _ids(session / "learners_entry.csv", "learner_id")
    exit_ = _ids(session / "learners_exit.csv", "learner_id")
    profile = _ids(session / "learners_profile.csv", "learner_id")
    assert entry != exit_ and sorted(entry) == sorted(exit_) == sorted(profile)
    for pid, (_first, _last, _mail) in PEOPLE.items():
        # learners A..., founders P... (the entry workbooks' convention), in every file
        pseudo = privacy.pseudonym(f"{_first} {_last}", KEY.encode(), pid[0])
        if pid.startswith("A"):
            assert pseudo in entry and pseudo in exit_ and pseudo in profile
        else:
            assert pseudo in _ids(session / "founders_exit.csv", "founder_id")
        assert pseudo in _ids(session / "testimonies.csv", "participant_id")

    # no identifier column left: the validator accepts the folder as it is (its cross-file
    # checks would report any id of a wave unknown to the profile)
    assert v.validate_session(session) == [], v.format_problems(v.validate_session(session))
    for p in session.glob("*.csv"):
        text = p.read_text(encoding="utf-8-sig")
        assert privacy.direct_identifier_columns(text.splitlines()[0].replace(";", ",")
                                                 .replace("\t", ",").split(",")) == []
        assert privacy.find_leaks(text, names=[n for x in PEOPLE.values() for n in x]) == []
    monkeypatch.setenv("FAC_EVAL_RAW", str(session.parent))
    assert cli.main(["validate", "2022"]) == 0
    assert capsys.readouterr().out.startswith("Session 2022 valide : 8 apprenants, 4 porteurs")


def test_raw_export_with_names_is_refused_by_the_validator(tmp_path):
    """Before pseudonymisation the validator refuses the export, naming the columns."""
    session = tmp_path / "2022"
    shutil.copytree(SESSION, session)
    _export("learners_entry", session / "learners_entry.csv", seed=3, delimiter=";",
            headers=("Prénom", "Nom", "E-mail"))
    problems = v.validate_session(session)
    ident = [p for p in problems if p.kind == "direct_identifier"]
    assert [(p.file, p.row, p.column) for p in ident] == [
        ("learners_entry.csv", 1, "Prénom"), ("learners_entry.csv", 1, "Nom"),
        ("learners_entry.csv", 1, "E-mail")]
    text = v.format_problems(problems) + v.format_problems(problems, "en")
    assert "fac-eval pseudonymise" in text
    for _first, last, mail in PEOPLE.values():
        assert mail not in text.lower() and f"« {last} »" not in text


# --------------------------------------------------------------------------------------------
# One key: the full name, whatever else an export has (e-mail or not, order, case, accents)
# --------------------------------------------------------------------------------------------


def _variant_export(path: Path, columns: list[str], cells, delimiter: str = ";") -> None:
    """learners_entry of 2022 with ``columns`` (given by ``cells(first, last, mail)``) in place of
    the id, rows in reverse order."""
    rows = _read(SESSION / "learners_entry.csv")
    header, body = rows[0], rows[1:][::-1]
    key = header.index("learner_id")
    out = [columns + header[:key] + header[key + 1:]]
    for r in body:
        out.append(list(cells(*PEOPLE[r[key]])) + r[:key] + r[key + 1:])
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(out)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _plain(text: str) -> str:
    return privacy.fold(text)  # accents removed, lower case


VARIANTS = {
    "first, last, e-mail": (["Prénom", "Nom", "E-mail"], lambda f, la, m: (f, la, m)),
    "no e-mail": (["Prénom", "Nom"], lambda f, la, m: (f, la)),
    "last then first, capitals, no accents": (
        ["NOM", "PRENOM"], lambda f, la, m: (_plain(la).upper(), _plain(f).upper())),
    "one full-name column, extra spaces": (
        ["Nom complet"], lambda f, la, m: (f"  {la.upper()}   {f} ",)),
    "another e-mail and a phone": (
        ["Courriel", "Prénom", "Nom", "Téléphone"],
        lambda f, la, m: (m.replace("@exemple.fr", "@autre.org"), f, la, "06 12 34 56 78")),
    "e-mail left empty": (["E-mail", "First name", "Last name"], lambda f, la, m: ("", f, la)),
}


def test_the_key_is_the_full_name_whatever_else_the_export_holds(tmp_path, key_env, capsys):
    """The same person gets the same id with or without an e-mail, whatever the column order,
    case, accents and spaces of the name (the README's rule)."""
    expected = {pid: privacy.pseudonym(f"{f} {la}", KEY.encode(), "A")
                for pid, (f, la, _m) in PEOPLE.items() if pid.startswith("A")}
    order = [r[0] for r in _read(SESSION / "learners_entry.csv")[1:]][::-1]
    for i, (label, (columns, cells)) in enumerate(VARIANTS.items()):
        src = tmp_path / f"export_{i}.csv"
        _variant_export(src, columns, cells)
        dst = tmp_path / f"out_{i}" / "learners_entry.csv"
        assert cli.main(["pseudonymise", str(src), str(dst)]) == 0, label
        out = capsys.readouterr().out
        assert "Colonnes retirées : " + ", ".join(columns) + "." in out, label
        assert _ids(dst, "learner_id") == [expected[pid] for pid in order], label
        text = dst.read_text(encoding="utf-8-sig")
        assert privacy.find_leaks(text, names=[n for p in PEOPLE.values() for n in p[:2]]) == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_export_without_names_is_refused(tmp_path, key_env, capsys, lang):
    """E-mails alone would give other ids than the names of the other files: refused, clearly."""
    src = tmp_path / "export.csv"
    _variant_export(src, ["E-mail", "Téléphone"], lambda f, la, m: (m, "0612345678"))
    dst = tmp_path / "learners_entry.csv"
    assert cli.main(["pseudonymise", str(src), str(dst), "--lang", lang]) == 1
    err = capsys.readouterr().err
    if lang == "en":
        assert err.startswith("No name column among the identifier columns (E-mail, Téléphone): "
                              "the id is always derived from the full name")
        assert "Nothing was written." in err and "Aucune" not in err
    else:
        assert err.startswith("Aucune colonne de noms parmi les colonnes identifiantes (E-mail, "
                              "Téléphone) : l'identifiant est toujours calculé à partir du nom")
        assert "Rien n'a été écrit." in err
    assert not dst.exists() and "Traceback" not in err


def test_rows_without_a_name_and_namesakes_are_reported(tmp_path, key_env, capsys):
    src = tmp_path / "export.csv"
    src.write_text("Prénom;Nom;E-mail;ses_01\n"
                   "Zoé;Martin;zoe@a.fr;3\n"
                   ";;leo@b.fr;2\n"
                   "Zoe;MARTIN;zoe.martin@c.fr;4\n"
                   ";;;\n", encoding="utf-8")
    dst = tmp_path / "learners_entry.csv"
    assert cli.main(["pseudonymise", str(src), str(dst)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Fichier écrit : {dst} (3 lignes)."
    assert "Attention : ligne 3 sans nom, donc sans identifiant : complétez le nom et recommencez." in out
    assert ("Attention : les lignes 2 et 4 ont le même nom mais des courriels différents : deux "
            "homonymes auraient le même identifiant. Distinguez-les dans tous les fichiers (un "
            "second prénom, par exemple).") in out
    ids = _ids(dst, "learner_id")
    assert ids[0] == ids[2] == privacy.pseudonym("Zoé Martin", KEY.encode(), "A")
    assert len(ids) == 3 and ids[1] in ("", None)  # the row without a name has no id
    (tmp_path / "en").mkdir()
    assert cli.main(["pseudonymise", str(src), str(tmp_path / "en" / "learners_entry.csv"),
                     "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Warning: row 3 without a name, so without an id" in out
    assert "Warning: rows 2 and 4 have the same name but different e-mails" in out


# --------------------------------------------------------------------------------------------
# Outside the raw data: never over an existing file, never into the output roots (issue 10)
# --------------------------------------------------------------------------------------------

EXPORT = "Prénom,Nom,Courriel,Genre\nMarie,Dupont,marie@x.fr,f\nJean,Petit,jp@x.fr,m\n"


@pytest.fixture
def roots(tmp_path, monkeypatch):
    for name in ("raw", "processed", "reports"):
        (tmp_path / name).mkdir()
        monkeypatch.setenv(f"FAC_EVAL_{name.upper()}", str(tmp_path / name))
    src = tmp_path / "export.csv"
    src.write_text(EXPORT, encoding="utf-8")
    return tmp_path, src


@pytest.mark.parametrize("existing", [
    "learner_id,gender\nA01,f\nA02,m\nA03,f\n",  # a table: its rows would be lost
    "notes de l'évaluatrice\n",  # any file with content
])
def test_an_existing_file_outside_the_raw_data_is_never_written_over(roots, key_env, capsys,
                                                                    existing):
    tmp, src = roots
    out = tmp / "ailleurs" / "learners_profile.csv"
    out.parent.mkdir()
    out.write_text(existing, encoding="utf-8")
    assert cli.main(["pseudonymise", str(src), str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{out} existe déjà : un fichier existant n'est jamais écrasé" in err
    assert "Rien n'a été écrit." in err and "Traceback" not in err
    assert out.read_text(encoding="utf-8") == existing
    # English too
    assert cli.main(["--lang", "en", "pseudonymise", str(src), str(out)]) == 1
    assert "already exists: an existing file is never written over" in capsys.readouterr().err


def test_a_link_or_a_folder_outside_the_raw_data_is_not_written_through(roots, key_env, capsys):
    tmp, src = roots
    target = tmp / "cible.csv"
    target.write_text("", encoding="utf-8")
    link = tmp / "lien.csv"
    link.symlink_to(target)
    folder = tmp / "dossier.csv"
    folder.mkdir()
    for out in (link, folder):
        assert cli.main(["pseudonymise", str(src), str(out)]) == 1
        assert "existe déjà" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "" and not any(folder.iterdir())


def test_an_empty_file_outside_the_raw_data_may_be_filled(roots, key_env, capsys):
    tmp, src = roots
    out = tmp / "vide" / "learners_profile.csv"
    out.parent.mkdir()
    out.write_text("", encoding="utf-8")
    assert cli.main(["pseudonymise", str(src), str(out)]) == 0, capsys.readouterr().err
    assert "Marie" not in out.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("root, where", [
    ("reports", "synth-2024/learners_profile.csv"),  # a published folder
    ("processed", "synth-2024/learners_profile.csv"),  # regenerated by every run
    ("reports", "learners_profile.csv"),  # the root itself
    ("processed", "a/b/c/export_pseudo.csv"),  # deeper, in folders to be made
])
def test_pseudonymise_never_writes_into_the_output_roots(roots, key_env, capsys, root, where):
    tmp, src = roots
    out = tmp / root / where
    out.parent.mkdir(parents=True, exist_ok=True)
    assert cli.main(["pseudonymise", str(src), str(out)]) == 1
    err = capsys.readouterr().err
    variable = f"FAC_EVAL_{root.upper()}"
    assert f"{out} est dans {tmp / root} ({variable}), que fac-eval remplit et remplace" in err
    assert "une table pseudonymisée est une donnée brute" in err
    assert not out.exists()


def test_a_link_then_dotdot_never_reaches_raw_data_or_the_output_roots(roots, key_env, capsys):
    """``lnk/..`` is the parent of the link's target for the system, not the folder holding the
    link: the guard reads the path as it will be written (attacker round 17 for #10: a raw
    table of 14 learners was replaced by the 2 exported rows)."""
    tmp, src = roots
    session = tmp / "raw" / "p1"
    (session / "modeles").mkdir(parents=True)
    table = session / "learners_profile.csv"
    table.write_text("learner_id,gender\nA01,f\nA02,m\n", encoding="utf-8")
    before = table.read_bytes()
    elsewhere = tmp / "x"
    elsewhere.mkdir()
    (elsewhere / "lnk").symlink_to(session / "modeles")
    (elsewhere / "rep").symlink_to(tmp / "reports" / "sub", target_is_directory=True)
    (tmp / "reports" / "sub").mkdir()
    for out in (elsewhere / "lnk" / ".." / "learners_profile.csv",  # the raw table itself
                elsewhere / "lnk" / ".." / "learners_profile.xlsx",  # its twin
                elsewhere / "rep" / ".." / "learners_profile.csv"):  # the reports root
        assert cli.main(["pseudonymise", str(src), str(out)]) == 1, out
        assert "Traceback" not in capsys.readouterr().err
    assert table.read_bytes() == before
    assert not (session / "learners_profile.xlsx").exists()
    assert not (tmp / "reports" / "learners_profile.csv").exists()


def test_a_link_to_the_raw_root_is_the_raw_root(roots, key_env, capsys):
    """Through a link to the raw root, a new session folder is not created and a table goes
    only into an existing session (attacker round 17, F13)."""
    tmp, src = roots
    (tmp / "raw" / "p5").mkdir()
    (tmp / "rawlink").symlink_to(tmp / "raw", target_is_directory=True)
    out = tmp / "rawlink" / "neuve" / "learners_profile.csv"
    assert cli.main(["pseudonymise", str(src), str(out)]) == 1
    assert "new-session" in capsys.readouterr().err
    assert not (tmp / "raw" / "neuve").exists()
    assert cli.main(["pseudonymise", str(src), str(tmp / "rawlink" / "learners_profile.csv")]) == 1
    assert not (tmp / "raw" / "learners_profile.csv").exists()
    out = tmp / "rawlink" / "p5" / "learners_profile.csv"  # a new table of a session: allowed
    assert cli.main(["pseudonymise", str(src), str(out)]) == 0, capsys.readouterr().err
    assert (tmp / "raw" / "p5" / "learners_profile.csv").is_file()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind", ["device", "folder", "pipe", "link to a device"])
def test_an_input_or_key_that_is_not_a_file_is_named_so_never_read(tmp_path, key_env, capsys,
                                                                   monkeypatch, kind, lang):
    """Round 24, F5: ``/dev/zero`` was "introuvable" (and a key file read from it had no end).
    A folder, a device or a pipe, as the export or as the key file, is said to be none of
    a file, and never read (a read of /dev/zero would never end: the test would hang)."""

    if kind == "device":
        odd = Path("/dev/zero")
    elif kind == "folder":
        odd = tmp_path / "dossier"
        odd.mkdir()
    elif kind == "pipe":
        odd = tmp_path / "tube"
        os.mkfifo(odd)
    else:
        odd = tmp_path / "lien"
        odd.symlink_to("/dev/zero")
    words = {"fr": "n'est pas un fichier (un dossier, un périphérique ou un tube)",
             "en": "is not a file (a folder, a device or a pipe)"}[lang]
    raw = tmp_path / "raw"
    (raw / "s1").mkdir(parents=True)
    monkeypatch.setenv("FAC_EVAL_RAW", str(raw))
    for dst in (tmp_path / "o.csv", raw / "s1" / "learners_profile.csv"):
        code = cli.main(["pseudonymise", str(odd), str(dst), "--lang", lang])
        err = capsys.readouterr().err
        assert code == 1 and words in err and str(odd) in err and "Traceback" not in err
        assert not dst.exists()
    src = tmp_path / "export.csv"
    src.write_text("Prénom,Nom\nMarie,Dupont\n", encoding="utf-8")
    code = cli.main(["pseudonymise", str(src), str(tmp_path / "k.csv"), "--key-file",
                     str(odd), "--lang", lang])
    err = capsys.readouterr().err
    assert code == 1 and str(odd.resolve()) in err and "Traceback" not in err
    assert ("Le fichier de clé" if lang == "fr" else "The key file") in err and words in err


def test_a_key_file_too_large_to_be_a_key_is_refused_unread(tmp_path, no_key, capsys):
    big = tmp_path / "cle.key"
    big.write_bytes(b"0" * (privacy.MAX_KEY_FILE_BYTES + 1))
    src = tmp_path / "export.csv"
    src.write_text("Prénom,Nom\nMarie,Dupont\n", encoding="utf-8")
    assert cli.main(["pseudonymise", str(src), str(tmp_path / "k.csv"), "--key-file",
                     str(big), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "too large to be a key (65,537 bytes" in err
    assert not (tmp_path / "k.csv").exists()
