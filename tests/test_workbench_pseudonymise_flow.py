"""The README's flow `new-session` then `pseudonymise export data/raw/<s>/<table>.xlsx`: the
empty entry workbook may be filled, a file with data never is, a table never gets a second copy,
and the id column follows the sheet's header, not the output's file name."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from fac_eval.data import codebook as cb
from fac_eval.data import entry_templates as et
from fac_eval.data import validation
from fac_eval.disclosure import privacy
from fac_eval.run import cli

KEY = "cle-de-test-0123456789abcdef-ne-pas-utiliser"


@pytest.fixture
def raw(tmp_path, monkeypatch):
    root = tmp_path / "raw"
    root.mkdir()
    monkeypatch.setenv("FAC_EVAL_RAW", str(root))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / "processed"))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(tmp_path / "reports"))
    monkeypatch.setenv("FAC_EVAL_KEY", KEY)
    monkeypatch.delenv("FAC_EVAL_KEY_FILE", raising=False)
    return root


def _export(path, names=("Marie Dupont", "Jean Martin")):
    df = pd.DataFrame({"Prénom": [n.split()[0] for n in names],
                       "Nom": [n.split()[1] for n in names],
                       "Courriel": [f"{n.split()[0].lower()}@example.org" for n in names],
                       "Genre": ["Femme", "Homme"][:len(names)]})
    if path.suffix == ".csv":
        df.to_csv(path, index=False)
    else:
        df.to_excel(path, index=False)
    return path


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("table", ["learners_profile", "founders_profile"])
def test_the_readme_flow_fills_the_empty_workbook_of_new_session(raw, tmp_path, capsys, lang,
                                                                   table):
    assert cli.main(["new-session", "s2028", "--lang", lang]) == 0
    dst = raw / "s2028" / f"{table}.xlsx"
    assert et.is_blank_template(dst)
    src = _export(tmp_path / "export.xlsx")
    capsys.readouterr()
    assert cli.main(["pseudonymise", str(src), str(dst), "--lang", lang]) == 0, \
        capsys.readouterr().err
    data = pd.read_excel(dst, dtype=str)
    key = cb.INSTRUMENTS[table].key
    prefix = "A" if table.startswith("learners") else "P"
    assert list(data[key]) == [privacy.pseudonym("Marie Dupont", KEY.encode(), prefix),
                               privacy.pseudonym("Jean Martin", KEY.encode(), prefix)]
    assert "Nom" not in data.columns and "Courriel" not in data.columns
    assert not et.is_blank_template(dst)
    # the file now holds data: a second run is refused, and the message says what to do
    before = dst.read_bytes()
    assert cli.main(["pseudonymise", str(src), str(dst), "--lang", lang]) == 1
    err = capsys.readouterr().err
    assert str(dst) in err and "Traceback" not in err
    if lang == "en":
        assert "holds data" in err and "another name" in err
    else:
        assert "contient des données" in err and "autre nom" in err
    assert dst.read_bytes() == before


def _refused_and_unchanged(dst, tmp_path, capsys):
    """``dst`` is not blank: pseudonymise refuses to write it, says it holds data and leaves it
    byte for byte as it was."""
    assert not et.is_blank_template(dst)
    before = dst.read_bytes()
    capsys.readouterr()
    assert cli.main(["pseudonymise", str(_export(tmp_path / "e.xlsx")), str(dst)]) == 1
    assert "contient des données" in capsys.readouterr().err and dst.read_bytes() == before


def test_a_workbook_with_one_typed_cell_is_not_blank(raw, tmp_path, capsys):
    assert cli.main(["new-session", "s1"]) == 0
    dst = raw / "s1" / "learners_entry.xlsx"
    wb = load_workbook(dst)
    ws = wb[et.DATA_SHEET["fr"]]
    ws.cell(row=7, column=3, value="4")  # one answer typed far below the header
    wb.save(dst)
    _refused_and_unchanged(dst, tmp_path, capsys)
    # a workbook that is not ours (no guide sheet) is never blank, even empty
    other = tmp_path / "other.xlsx"
    pd.DataFrame({"learner_id": []}).to_excel(other, index=False)
    assert not et.is_blank_template(other)
    assert not et.is_blank_template(tmp_path / "missing.xlsx")


@pytest.mark.parametrize("sheet", ["Saisie suite", "Feuil1", "Listes2"])
def test_a_workbook_with_a_sheet_added_is_not_blank(raw, tmp_path, capsys, sheet):
    """The data sheet left empty but rows typed in a sheet the user added: not blank, never
    written over (attacker round 17 for #10: the 10 rows and the guide were lost)."""
    assert cli.main(["new-session", "s1"]) == 0
    dst = raw / "s1" / "learners_profile.xlsx"
    wb = load_workbook(dst)
    ws = wb.create_sheet(sheet)
    ws.append(["learner_id", "gender"])
    for i in range(1, 11):
        ws.append([f"A{i:02d}", "f"])
    wb.save(dst)
    _refused_and_unchanged(dst, tmp_path, capsys)


@pytest.mark.parametrize("existing, written", [("xlsx", "csv"), ("csv", "xlsx"), ("csv", "CSV"),
                                                ("xlsx", "XLSX")])
def test_a_second_copy_of_a_table_is_refused(raw, tmp_path, capsys, existing, written):
    session = raw / "s1"
    session.mkdir()
    have = session / f"learners_profile.{existing}"
    if existing == "csv":
        have.write_text("learner_id,gender\nA01,f\n", encoding="utf-8")
    else:
        pd.DataFrame({"learner_id": ["A01"], "gender": ["f"]}).to_excel(have, index=False)
    dst = session / f"learners_profile.{written}"
    src = _export(tmp_path / "export.csv")
    assert cli.main(["pseudonymise", str(src), str(dst)]) == 1
    err = capsys.readouterr().err
    assert "déjà la table learners_profile" in err and have.name in err
    assert sorted(p.name for p in session.iterdir()) == [have.name]
    assert cli.main(["pseudonymise", str(src), str(dst), "--lang", "en"]) == 1
    assert "already has the table learners_profile" in capsys.readouterr().err


def test_a_csv_beside_the_empty_workbook_is_pointed_to_the_workbook(raw, tmp_path, capsys):
    assert cli.main(["new-session", "s1"]) == 0
    capsys.readouterr()
    dst = raw / "s1" / "learners_profile.csv"
    assert cli.main(["pseudonymise", str(_export(tmp_path / "e.csv")), str(dst)]) == 1
    err = capsys.readouterr().err
    assert f"écrivez dans {raw / 's1' / 'learners_profile.xlsx'}" in err
    assert not dst.exists()
    # the session still validates as one file per table (the empty workbook is the only copy)
    tables = [p.stem for p in (raw / "s1").iterdir() if p.suffix in (".csv", ".xlsx")]
    assert len(tables) == len(set(tables))


def test_ids_follow_the_sheet_header_not_the_file_name(raw, tmp_path, capsys):
    """A learners workbook written under another name gets learner ids in its own column."""
    people = [("Marie Dupont", "m@example.org")]
    for table, header, prefix in (("learners_profile", "Identifiant apprenant", "A"),
                                  ("founders_profile", "Identifiant porteur", "P")):
        template = et.write_instrument_template(cb.INSTRUMENTS[table], tmp_path / f"{table}_m.xlsx")
        wb = load_workbook(template)
        ws = wb[et.DATA_SHEET["fr"]]
        n = ws.max_column
        ws.cell(row=1, column=n + 1, value="Nom")
        ws.cell(row=1, column=n + 2, value="Courriel")
        for r, (name, mail) in enumerate(people, start=2):
            ws.cell(row=r, column=n + 1, value=name)
            ws.cell(row=r, column=n + 2, value=mail)
        src = tmp_path / f"{table}_saisie.xlsx"
        wb.save(src)
        for out_name in ("founders_entry.xlsx", "cohorte_mars.xlsx", "learners_exit.csv"):
            dst = tmp_path / "out" / table / out_name
            dst.parent.mkdir(parents=True, exist_ok=True)
            assert cli.main(["pseudonymise", str(src), str(dst)]) == 0, capsys.readouterr().err
            if dst.suffix == ".csv":
                data = pd.read_csv(dst, dtype=str, encoding="utf-8-sig")
            else:
                data = pd.read_excel(dst, sheet_name=et.DATA_SHEET["fr"], dtype=str)
            assert list(data[header]) == [privacy.pseudonym("Marie Dupont", KEY.encode(), prefix)]
            assert not any(c in data.columns for c in ("participant_id", "learner_id",
                                                        "founder_id")), list(data.columns)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_table_neither_named_nor_headed_is_refused(raw, tmp_path, capsys, lang):
    src = _export(tmp_path / "export.csv")
    dst = tmp_path / "sortie.csv"
    assert cli.main(["pseudonymise", str(src), str(dst), "--lang", lang]) == 1
    err = capsys.readouterr().err
    assert not dst.exists() and "Traceback" not in err and "learners_profile.xlsx" in err
    assert ("Cannot tell which table sortie.csv is" if lang == "en"
            else "Impossible de savoir quelle table est sortie.csv") in err
    # named after a table, the same export is accepted (learner ids)
    assert cli.main(["pseudonymise", str(src), str(tmp_path / "learners_entry.csv")]) == 0
    ids = pd.read_csv(tmp_path / "learners_entry.csv", dtype=str)["learner_id"]
    assert all(re.fullmatch(r"A[0-9a-f]{10}", i) for i in ids)


def test_the_filled_workbook_validates_in_its_session(raw, tmp_path, capsys):
    """The README flow ends in a session whose learners profile the validator reads."""
    assert cli.main(["new-session", "s2028"]) == 0
    dst = raw / "s2028" / "learners_profile.xlsx"
    src = _export(tmp_path / "export.xlsx", names=("Marie Dupont",))
    assert cli.main(["pseudonymise", str(src), str(dst)]) == 0
    assert validation.identifier_problems(pd.read_excel(dst, dtype=str), "learners_profile",
                                          "learners_profile.xlsx") == []


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("where", ["nosuch/learners_profile.xlsx", "deep/er/learners_profile.xlsx",
                                   "learners_profile.csv"])
def test_pseudonymise_never_creates_a_raw_folder(raw, tmp_path, capsys, lang, where):
    """Only new-session and synth create raw folders: an output in a session that does not
    exist, nested deeper, or at the raw root itself is refused, and nothing is created."""
    src = _export(tmp_path / "export.csv")
    before = sorted(raw.rglob("*"))
    code = cli.main(["pseudonymise", str(src), str(raw / where), "--lang", lang])
    err = capsys.readouterr().err
    assert code in (1, 2) and "Traceback" not in err, err
    assert sorted(raw.rglob("*")) == before
    if where.startswith("nosuch"):
        assert ("nosuch is not a session of" if lang == "en"
                else "nosuch n'est pas une session de") in err
        assert "fac-eval new-session nosuch" in err
    else:
        assert ("a table goes directly into a session folder" if lang == "en"
                else "une table va directement dans un dossier de session") in err


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("table, other", [("learners_profile", "founders_profile"),
                                          ("founders_profile", "learners_entry"),
                                          ("learners_profile", "testimonies")])
def test_a_table_of_another_kind_is_not_written_under_a_sessions_table_name(raw, tmp_path, capsys,
                                                                          lang, table, other):
    """In a session the file's name says which table it is: a learners' workbook is never
    written as the founders' table (the untouched empty workbook of new-session is kept)."""
    assert cli.main(["new-session", "s2029"]) == 0
    template = et.write_instrument_template(cb.INSTRUMENTS[table], tmp_path / "saisie.xlsx")
    wb = load_workbook(template)
    ws = wb[et.DATA_SHEET["fr"]]
    n = ws.max_column
    ws.cell(row=1, column=n + 1, value="Nom")
    ws.cell(row=2, column=n + 1, value="Marie Dupont")
    wb.save(template)
    dst = raw / "s2029" / f"{other}.xlsx"
    existed = dst.exists()
    blank = dst.read_bytes() if existed else None
    capsys.readouterr()
    assert cli.main(["pseudonymise", str(template), str(dst), "--lang", lang]) == 1
    err = capsys.readouterr().err
    id_label = cb.INSTRUMENTS[table].item(cb.INSTRUMENTS[table].key).label(lang)
    assert id_label in err and dst.name in err and "Traceback" not in err, err
    assert (dst.read_bytes() == blank) if existed else not dst.exists()
    # the same workbook under its own table's name is accepted
    assert cli.main(["pseudonymise", str(template), str(raw / "s2029" / f"{table}.xlsx")]) == 0


def _filled_template(table, path, extra_header="Nom", extra="Marie Dupont"):
    template = et.write_instrument_template(cb.INSTRUMENTS[table], path)
    wb = load_workbook(template)
    ws = wb[et.DATA_SHEET["fr"]]
    n = ws.max_column
    ws.cell(row=1, column=n + 1, value=extra_header)
    ws.cell(row=2, column=n + 1, value=extra)
    wb.save(template)
    return template


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("table, other", [("learners_profile", "followup"),
                                          ("learners_profile", "learners_entry"),
                                          ("followup", "learners_profile"),
                                          ("founders_exit", "founders_profile"),
                                          ("founders_exit", "founders_entry")])
def test_a_table_of_the_same_kind_is_not_written_under_another_tables_name(
        raw, tmp_path, capsys, lang, table, other):
    """Round 24, F4: the same id column is not enough: a learners' profile export written as
    the session's follow-up (both with learner ids) is refused, naming the table its columns
    are, and nothing is written; under its own name it is accepted."""
    assert cli.main(["new-session", "s2030"]) == 0
    src = _filled_template(table, tmp_path / "saisie.xlsx")
    dst = raw / "s2030" / f"{other}.xlsx"
    before = dst.read_bytes() if dst.exists() else None
    capsys.readouterr()
    assert cli.main(["pseudonymise", str(src), str(dst), "--lang", lang]) == 1
    err = capsys.readouterr().err
    assert f"{table}.xlsx" in err and dst.name in err and "Traceback" not in err, err
    assert ("holds the columns of the table" if lang == "en"
            else "contient les colonnes de la table") in err
    assert (dst.read_bytes() == before) if before is not None else not dst.exists()
    assert cli.main(["pseudonymise", str(src), str(raw / "s2030" / f"{table}.xlsx")]) == 0


def test_an_export_of_the_entry_written_as_the_exit_is_not_told_apart(raw, tmp_path, capsys):
    """Two waves of one questionnaire have the same columns: the file's name decides (the
    check refuses only what the columns contradict), and an export holding only names and an id
    column is accepted under any table of its kind."""
    assert cli.main(["new-session", "s2031"]) == 0
    src = _filled_template("learners_entry", tmp_path / "entree.xlsx")
    assert cli.main(["pseudonymise", str(src), str(raw / "s2031" / "learners_exit.xlsx")]) == 0
    bare = _export(tmp_path / "bare.csv")  # Prénom, Nom, Courriel, Genre: a profile's column
    assert cli.main(["pseudonymise", str(bare), str(raw / "s2031" / "followup.xlsx")]) == 1
    assert "(Genre)" in capsys.readouterr().err  # the header as typed
    names = tmp_path / "names.csv"
    pd.DataFrame({"Prénom": ["Marie"], "Nom": ["Dupont"]}).to_csv(names, index=False)
    assert cli.main(["pseudonymise", str(names), str(raw / "s2031" / "followup.xlsx")]) == 0
