"""Entry workbooks, pseudonymisation and the validator agree on one id convention."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import REPO
from openpyxl import load_workbook

from fac_eval.data import codebook as cb
from fac_eval.data import entry_templates as et
from fac_eval.data import io as fio
from fac_eval.data import pseudonym_files, validation
from fac_eval.disclosure import privacy
from fac_eval.run import cli

KEY = b"k" * 32


def _guide_rows(path):
    wb = load_workbook(path)
    return [[c.value for c in row] for row in wb["Guide"].iter_rows()]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_guide_sheets_state_the_id_convention(tmp_path, lang):
    for name, wanted in (("learners_entry", "A01"), ("founders_exit", "P01"),
                         ("followup", "A01"), ("testimonies", "A01")):
        path = et.write_instrument_template(cb.INSTRUMENTS[name], tmp_path / f"{name}.xlsx", lang)
        key = cb.INSTRUMENTS[name].key
        row = next(r for r in _guide_rows(path) if r[1] == key)
        assert wanted in row[3], (name, row)
        if name == "testimonies":
            assert "P01" in row[3]
        else:
            other = "P01" if wanted == "A01" else "A01"
            assert other not in row[3], (name, row)


def test_readme_states_the_same_convention():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "a learner's id starts with `A` (`A01`" in text and "a founder's with `P`" in text
    assert et.ID_PREFIX == {"learners": "A", "founders": "P"}


def _filled_workbook(tmp_path, instrument="learners_profile", people=()):
    path = et.write_instrument_template(cb.INSTRUMENTS[instrument], tmp_path / "modele.xlsx")
    wb = load_workbook(path)
    ws = wb[et.DATA_SHEET["fr"]]
    n = ws.max_column
    ws.cell(row=1, column=n + 1, value="Nom")
    ws.cell(row=1, column=n + 2, value="Courriel")
    for r, (name, email, values) in enumerate(people, start=2):
        for col, v in values.items():
            ws.cell(row=r, column=col, value=v)
        ws.cell(row=r, column=n + 1, value=name)
        ws.cell(row=r, column=n + 2, value=email)
    wb.save(tmp_path / "saisie.xlsx")
    return tmp_path / "saisie.xlsx", path


def _validations(ws) -> list[tuple[str, str, str | None]]:
    return sorted((str(dv.sqref), dv.type, dv.formula1) for dv in ws.data_validations.dataValidation)


def test_pseudonymise_a_generated_workbook_reads_its_data_sheet(tmp_path, monkeypatch, capsys):
    people = [("Marie Dupont", "marie@example.org", {2: "Femme", 7: "Parcours terminé"}),
              ("Jean Martin", "jean@example.org", {2: "Homme", 7: "Abandon", 8: "Santé"})]
    src, blank = _filled_workbook(tmp_path, people=people)
    (tmp_path / "key").write_bytes(KEY)
    dst = tmp_path / "raw" / "learners_profile.xlsx"
    monkeypatch.setattr(privacy, "_enclosing_git_root", lambda p: None, raising=False)
    assert cli.main(["pseudonymise", str(src), str(dst), "--key-file", str(tmp_path / "key")]) == 0
    out = capsys.readouterr().out
    assert "Colonnes retirées : Nom, Courriel." in out and "—" not in out
    assert "Colonne « Identifiant apprenant » : identifiants calculés à partir du nom" in out
    assert "Onglets conservés tels quels : Listes, Guide." in out
    sheets = pd.read_excel(dst, sheet_name=None, dtype=object)
    assert list(sheets) == ["Saisie", "Listes", "Guide"]
    data = sheets[et.DATA_SHEET["fr"]]
    # the empty id column is filled at its place under its French header; the French headers
    # of the template are kept; names and e-mails are gone; no second id column
    template = [c.value for c in load_workbook(blank)["Saisie"][1]]
    assert list(data.columns) == template
    assert list(data.columns)[0] == "Identifiant apprenant" and "learner_id" not in data.columns
    assert "Nom" not in data.columns and "Courriel" not in data.columns and len(data) == 2
    ids = list(data["Identifiant apprenant"])
    assert all(re.fullmatch(r"A[0-9a-f]{10}", i) for i in ids)
    assert ids == [privacy.pseudonym("Marie Dupont", KEY, "A"), privacy.pseudonym("Jean Martin", KEY, "A")]
    # the drop-downs and checks, the widths, the frozen header and the hidden lists are kept
    before, after = load_workbook(blank), load_workbook(dst)
    assert _validations(after["Saisie"]) == _validations(before["Saisie"])
    assert any(t == "list" and f.startswith("=Listes!") for _, t, f in _validations(after["Saisie"]))
    assert after["Saisie"].freeze_panes == "A2" and after["Listes"].sheet_state == "hidden"
    assert after["Saisie"].column_dimensions["B"].width == before["Saisie"].column_dimensions["B"].width
    # the guide sheet is copied as it was, not "pseudonymised" (its "Nom technique" column)
    assert [[c.value for c in r] for r in after["Guide"].iter_rows()] == _guide_rows(blank)
    # and the reader reads the result
    table = fio.read_table(dst, "learners_profile")
    assert list(table["learner_id"]) == ids and list(table["status"]) == ["completed", "dropped_out"]
    assert validation.identifier_problems(pd.read_excel(dst, dtype=str), "learners_profile",
                                          "learners_profile.xlsx") == []


def test_identifier_columns_before_the_data_move_the_drop_downs_with_them(tmp_path):
    """Name columns typed at the left of the data: the columns after them move left, and so do
    their drop-downs, number checks and widths."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Réponses"
    ws.append(["Prénom", "Genre", "Nom", "Courriel", "Note", "Remarque"])
    ws.append(["Zoé", "Femme", "Martin", "zoe@a.fr", 3, "ok"])
    ws.append(["Léo", "Homme", "Durand", None, 5, "bien"])
    genre = DataValidation(type="list", formula1='"Femme,Homme"', allow_blank=True)
    note = DataValidation(type="whole", operator="between", formula1="1", formula2="5")
    names = DataValidation(type="textLength", operator="lessThan", formula1="50")
    for dv, ranges in ((genre, ["B2:B40"]), (note, ["E2:E40"]), (names, ["A2:A40", "C2:D40"])):
        ws.add_data_validation(dv)
        for rng in ranges:
            dv.add(rng)
    ws.column_dimensions["E"].width = 33
    ws.merge_cells("F5:F6")
    wb.save(tmp_path / "export.xlsx")
    dst = tmp_path / "out.xlsx"
    s = pseudonym_files.pseudonymise_file(tmp_path / "export.xlsx", dst, KEY, id_column="learner_id",
                                  prefix="A")
    assert s.removed_columns == ["Prénom", "Nom", "Courriel"]
    ws = load_workbook(dst)["Réponses"]
    assert [c.value for c in ws[1]] == ["learner_id", "Genre", "Note", "Remarque"]
    assert [c.value for c in ws[2]] == [privacy.pseudonym("Zoé Martin", KEY, "A"), "Femme", 3, "ok"]
    assert [c.value for c in ws[3]][1:] == ["Homme", 5, "bien"]
    assert _validations(ws) == [("A2:A40", "textLength", "50"), ("B2:B40", "list", '"Femme,Homme"'),
                                ("C2:C40", "whole", "1")]
    assert ws.column_dimensions["C"].width == 33
    assert [str(r) for r in ws.merged_cells.ranges] == ["D5:D6"]
    # a generated workbook into a CSV: its data sheet only, the guide and lists left out
    (tmp_path / "k").write_bytes(KEY)
    src, _ = _filled_workbook(tmp_path, people=[("Marie Dupont", "m@x.org", {2: "Femme"})])
    csv_out = tmp_path / "raw" / "learners_profile.csv"
    summary = pseudonym_files.pseudonymise_file(src, csv_out, KEY, **et.pseudonymise_options(src, csv_out))
    assert summary.describe("en").splitlines()[3] == "Other sheets, not in the CSV: Listes, Guide."
    assert summary.describe().splitlines()[3] == ("Autres onglets, non repris dans le CSV : "
                                                  "Listes, Guide.")
    lines = csv_out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Identifiant apprenant,Genre,") and len(lines) == 2
    assert lines[1].startswith(privacy.pseudonym("Marie Dupont", KEY, "A") + ",Femme,")
    # and into a CSV: the same table
    out = tmp_path / "out.csv"
    pseudonym_files.pseudonymise_file(tmp_path / "export.xlsx", out, KEY, id_column="learner_id", prefix="A")
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == "learner_id,Genre,Note,Remarque"


def test_founders_and_testimonies_follow_the_convention(tmp_path):
    src, _ = _filled_workbook(tmp_path, "founders_profile",
                              [("Paul Roche", "paul@example.org", {2: "Création"})])
    dst = tmp_path / "founders_profile.xlsx"
    pseudonym_files.pseudonymise_file(src, dst, KEY, **et.pseudonymise_options(src, dst))
    fid = pd.read_excel(dst, sheet_name=et.DATA_SHEET["fr"])["Identifiant porteur"][0]
    assert fid == privacy.pseudonym("Paul Roche", KEY, "P")
    # a testimonies export: the prefix follows each row's population; the same key (the name)
    raw = pd.DataFrame({"Nom": ["Marie Dupont", "ROCHE Paul"], "Courriel": ["marie@example.org", ""],
                        "Public": ["Apprenants", "founders"], "Temps": ["exit", "exit"],
                        "Témoignage": ["Très bien", "Utile"], "Accord pour citation": ["oui", "oui"]})
    raw.to_csv(tmp_path / "export.csv", index=False)
    out = tmp_path / "testimonies.csv"
    pseudonym_files.pseudonymise_file(tmp_path / "export.csv", out, KEY,
                              **et.pseudonymise_options(tmp_path / "export.csv", out))
    ids = list(pd.read_csv(out)["participant_id"])
    assert ids == [privacy.pseudonym("Marie Dupont", KEY, "A"), fid]


def test_a_plain_export_is_pseudonymised_on_every_sheet_as_before(tmp_path):
    path = tmp_path / "export.xlsx"
    with pd.ExcelWriter(path) as w:
        pd.DataFrame({"Nom": ["Marie Dupont"], "gender": ["f"]}).to_excel(w, sheet_name="a", index=False)
        pd.DataFrame({"Nom": ["Jean Martin"], "gender": ["m"]}).to_excel(w, sheet_name="b", index=False)
    opts = et.pseudonymise_options(path, tmp_path / "out.xlsx")
    assert "data_sheets" not in opts and opts["id_column"] == "participant_id"
    summary = pseudonym_files.pseudonymise_file(path, tmp_path / "out.xlsx", KEY, **opts)
    assert summary.sheets == ["a", "b"]


def test_phone_in_a_testimony_says_edit_the_text(tmp_path):
    raw = pd.DataFrame({"participant_id": ["A01", "A02"], "population": ["learners"] * 2,
                        "wave": ["exit"] * 2,
                        "text": ["Appelez-moi au 06 12 34 56 78 !", "Très bien"],
                        "consent_quote": ["yes", "yes"]})
    raw.index = [2, 3]
    probs = validation.identifier_problems(raw.astype(str), "testimonies", "testimonies.csv")
    assert len(probs) == 1 and probs[0].row == 2 and probs[0].column == "text"
    assert "modifiez le texte" in probs[0].expected and "pseudonymisez" not in probs[0].expected
    assert "edit the text" in probs[0].expected_en
    assert "06 12" not in validation.format_problems(probs)
    # a column of phone numbers is still a file to pseudonymise
    raw["Téléphone"] = ["0612345678", "0698765432"]
    col = [p for p in validation.identifier_problems(raw.astype(str), "testimonies", "t.csv")
           if p.column == "Téléphone"]
    assert col and "pseudonymise" in col[0].expected
