"""Reading session folders: every supported way of typing the same data gives the same tables.

The tiny valid session used here (and by ``test_validation.py``) is built in the test itself
(:func:`session_rows`, :func:`write_session`): no dependency on ``data/raw``.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pandas.testing as pdt
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fac_eval.data import codebook as cb
from fac_eval.data import io as fio
from fac_eval.data.validation import ValidationError

# --------------------------------------------------------------------------------------------
# A tiny valid session, in canonical form (codes, canonical headers, ISO dates)
# --------------------------------------------------------------------------------------------

META = {
    "name": "Session de test",
    "start_date": dt.date(2022, 3, 14),
    "end_date": dt.date(2022, 7, 8),
    "followup_months": 3,
    "programme": "Référent numérique en entreprise",
    "territory": "Ambérieu-en-Bugey (Ain)",
    "data_kind": "synthetic",
    "notes": "Petite session construite pour les tests.",
}

LEARNERS = ["L01", "L02", "L03"]
FOUNDERS = ["F01", "F02"]


def _questionnaire_rows(inst: cb.Instrument, ids, dates, seed: int) -> list[dict]:
    rows = []
    for n, (pid, date) in enumerate(zip(ids, dates)):
        row = {inst.key: pid, "response_date": date}
        for k, item in enumerate(inst.items[2:]):
            if item.type == "ordinal":
                codes = item.codes
                row[item.name] = str(codes[(n + k + seed) % len(codes)])
            elif item.type == "boolean":
                row[item.name] = "yes" if (n + k) % 2 else "no"
            elif item.type == "number":
                row[item.name] = ["12500.5", "", "4800"][n % 3]
            else:  # pragma: no cover - no other type in questionnaires
                raise AssertionError(item)
        if row.get("annual_revenue") and row.get("business_created") == "no":
            row["business_created"] = "yes"  # a revenue goes with a business (validation_rows)
        rows.append(row)
    return rows


def session_rows() -> dict[str, list[dict[str, str]]]:
    """Canonical rows of every instrument (values as strings, "" = empty cell)."""
    rows: dict[str, list[dict[str, str]]] = {}
    rows["learners_profile"] = [
        dict(learner_id="L01", gender="f", age_band="46-55", months_unemployed="38", rqth="yes",
             education_level="cap_bep", status="completed", dropout_reason=""),
        dict(learner_id="L02", gender="m", age_band="26-35", months_unemployed="", rqth="no",
             education_level="bac3plus", status="completed", dropout_reason=""),
        dict(learner_id="L03", gender="x", age_band="56+", months_unemployed="120", rqth="yes",
             education_level="none", status="dropped_out", dropout_reason="health"),
    ]
    rows["learners_entry"] = _questionnaire_rows(
        cb.LEARNERS_ENTRY, LEARNERS, ["2022-03-14", "2022-03-14", "2022-03-15"], 0)
    rows["learners_exit"] = _questionnaire_rows(
        cb.LEARNERS_EXIT, LEARNERS[:2], ["2022-07-04", "2022-07-05"], 1)
    rows["learners_entry"][2]["ses_04"] = ""  # a missing answer
    rows["founders_profile"] = [
        dict(founder_id="F01", stage="creation", sector="Céramique d'art"),
        dict(founder_id="F02", stage="development", sector=""),
    ]
    rows["founders_entry"] = _questionnaire_rows(
        cb.FOUNDERS_ENTRY, FOUNDERS, ["2022-03-14", "2022-03-16"], 2)
    rows["founders_exit"] = _questionnaire_rows(
        cb.FOUNDERS_EXIT, FOUNDERS, ["2022-07-05", "2022-07-06"], 3)
    rows["followup"] = [
        dict(learner_id="L01", response_date="2022-10-10", responded="yes", situation="cdi",
             digital_sector="yes"),
        dict(learner_id="L02", response_date="", responded="no", situation="", digital_sector=""),
    ]
    rows["testimonies"] = [
        dict(participant_id="L01", population="learners", wave="exit",
             text="L'accompagnement, c'est ce qui m'a aidée ; merci à « toute » l'équipe.",
             consent_quote="yes"),
        dict(participant_id="F01", population="founders", wave="exit",
             text="Les apprenants m'ont fait gagner du temps.\nSur deux lignes.", consent_quote="no"),
        dict(participant_id="L01", population="learners", wave="followup",
             text="Toujours en poste.", consent_quote="yes"),
    ]
    return rows


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _oddly(label: str, n: int) -> str:
    """A label typed carelessly: case, accents, spaces, apostrophes, the inclusive-writing dot."""
    variants = [
        lambda s: f"  {s.upper()} ",
        lambda s: _strip_accents(s).lower().replace("'", "\u2019"),
        lambda s: " " + s.replace("·", "").swapcase() + "   ",
        lambda s: _strip_accents(s).replace(" ", "  ").replace("–", "-"),
    ]
    return variants[n % len(variants)](label)


def _header(item: cb.Item, headers: str, n: int) -> str:
    if headers == "canonical":
        return item.name
    if headers == "en":
        return item.label_en.upper()
    if headers == "fr_odd":
        return _oddly(item.label_fr, n)
    return item.label_fr


def _value(item: cb.Item, text: str, values: str, n: int):
    """The canonical ``text`` of ``item`` written in style ``values``."""
    if text == "" or values == "code":
        return text
    t = item.type
    if t in ("category", "ordinal", "boolean"):
        code = int(text) if t == "ordinal" else text
        choice = next(c for c in item.choices if c.code == code)
        if values == "en":
            return choice.label_en
        if values == "xlsx" and t == "ordinal" and n % 2:
            return int(text)  # a number cell
        return _oddly(choice.label_fr, n) if values == "fr_odd" else choice.label_fr
    if t == "date":
        d = dt.date.fromisoformat(text)
        if values == "xlsx":
            return dt.datetime(d.year, d.month, d.day)
        return d.strftime("%d/%m/%Y")
    if t == "number":
        x = float(text)
        if values == "xlsx":
            return x
        s = f"{x:,.2f}".replace(",", "\u00a0").replace(".", ",")
        return s + (" €" if n % 2 else "")
    if t == "integer":
        return float(text) if values == "xlsx" else f" {text} "
    if t == "id":
        return f" {text}"
    return text


def write_table(path: Path, inst: cb.Instrument, rows: list[dict], *, delimiter=",",
                encoding="utf-8", headers="canonical", values="code", blank_row_after=None):
    """Write ``rows`` (canonical strings) as ``path`` (.csv or .xlsx) in the given style."""
    items = [it for it in inst.items if any(it.name in r for r in rows)]
    head = [_header(it, headers, j) for j, it in enumerate(items)]
    body = []
    for n, r in enumerate(rows):
        body.append([_value(it, r.get(it.name, ""), values, n + j) for j, it in enumerate(items)])
        if blank_row_after is not None and n == blank_row_after:
            body.append([""] * len(items))
    if path.suffix == ".xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(head)
        for r in body:
            ws.append([None if v == "" else v for v in r])
        wb.save(path)
        return path
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
        w.writerow(head)
        w.writerows(body)
    return path


def write_session(folder: Path, rows=None, meta=None, *, ext=".csv", skip=(), **style) -> Path:
    """Write a whole session folder (``session.yml`` + one file per instrument)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = session_rows() if rows is None else rows
    for name, inst in cb.INSTRUMENTS.items():
        if name in skip or name not in rows:
            continue
        write_table(folder / f"{name}{ext}", inst, rows[name], **style)
    (folder / "session.yml").write_text(
        yaml.safe_dump(dict(META if meta is None else meta), allow_unicode=True, sort_keys=False),
        encoding="utf-8")
    return folder


@pytest.fixture
def session(tmp_path) -> Path:
    return write_session(tmp_path / "2099")


# --------------------------------------------------------------------------------------------
# The codebook's labels and aliases can be matched without ambiguity
# --------------------------------------------------------------------------------------------


def test_choice_labels_and_aliases_are_unambiguous():
    for inst in cb.INSTRUMENTS.values():
        for item in inst.items:
            seen: dict[str, object] = {}
            for c in item.choices:
                for text in (str(c.code), c.label_fr, c.label_en, *c.aliases):
                    key = fio.normalize_text(text)
                    assert seen.setdefault(key, c.code) == c.code, (inst.name, item.name, text)
                    assert fio.match_choice(item, text) == c.code


def test_headers_are_unambiguous_within_each_instrument():
    for inst in cb.INSTRUMENTS.values():
        seen: dict[str, str] = {}
        for item in inst.items:
            for text in (item.name, item.label_fr, item.label_en):
                key = fio.normalize_text(text)
                assert seen.setdefault(key, item.name) == item.name, (inst.name, text)
                assert fio.map_header(text, inst) == item.name


@pytest.mark.parametrize("text", [
    "Tout bien considéré, je suis porté·e à me considérer comme un·e raté·e",
    "  tout bien considere, je suis portee a me considerer comme une ratee ",
    "TOUT BIEN CONSIDÉRÉ, JE SUIS PORTÉ⋅E À ME CONSIDÉRER COMME UN·E RATÉ·E",
    "SES_03",
    "All in all, I am inclined to feel that I am a failure",
])
def test_header_variants(text):
    assert fio.map_header(text, cb.LEARNERS_ENTRY) == "ses_03"


def test_header_apostrophes_and_spaces():
    assert fio.map_header("J’aimerais  avoir plus de respect pour moi-même", "learners_entry") == "ses_08"
    assert fio.map_header("Durée de recherche d`emploi (mois)", "learners_profile") == "months_unemployed"
    assert fio.map_header("ses_03", "learners_profile") is None


@pytest.mark.parametrize("item,text,code", [
    ("ses_03", "3", 3), ("ses_03", " plutôt EN accord ", 3), ("ses_03", "plutot d’accord", 3),
    ("ses_03", "Strongly agree", 4), ("ses_03", "pas du tout d'accord", 1),
    ("gender", "FEMME", "f"), ("gender", "h", "m"), ("rqth", "oui", "yes"), ("rqth", "NON", "no"),
    ("rqth", "Vrai", "yes"), ("age_band", "18–25 ans", "18-25"), ("age_band", "18-25 ANS", "18-25"),
    ("situation", "cdd de 6 mois ou plus", "cdd_6m_plus"), ("situation", "Inactif·ve (hors motifs "
     "neutralisés)", "inactive"), ("situation", "inactifve (hors motifs neutralises)", "inactive"),
    ("education_level", "Bac+2", "bac2"), ("education_level", "bac  +2", "bac2"),
])
def test_match_choice(item, text, code):
    assert fio.match_choice(cb.find_item(item), text) == code


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,value", [
    ("12500", 12500.0), ("12 500,50", 12500.5), ("12\u00a0500,50 €", 12500.5),
    ("12\u202f500", 12500.0), ("12.500,50", 12500.5), ("12,500.50", 12500.5), ("1,5", 1.5),
    ("1.5", 1.5), ("€ 30", 30.0), ("-4", -4.0), ("1 234 567", 1234567.0), ("1.234.567", 1234567.0),
    ("4800 EUR", 4800.0), ("1e+16", 1e16), ("0,25", 0.25),
])
def test_parse_number(text, value):
    assert fio.parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "", "nan", "inf", "12,5,3", "1 2a", "--3", "€", "1.2.3"])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        fio.parse_number(text)


@given(st.decimals(min_value=0, max_value=10**9, places=2))
@settings(max_examples=60, deadline=None)
def test_parse_number_french_formatting_roundtrip(x):
    text = f"{x:,.2f}".replace(",", "\u202f").replace(".", ",")
    assert fio.parse_number(text) == pytest.approx(float(x))
    assert fio.parse_number(f"{x:.2f}") == pytest.approx(float(x))


@pytest.mark.parametrize("text,value", [
    ("2022-03-01", "2022-03-01"), ("01/03/2022", "2022-03-01"), (" 02/03/2022 ", "2022-03-02"),
    ("2022-03-01 10:30:00", "2022-03-01"), ("2022-03-01T10:30", "2022-03-01"),
    ("01/03/2022 09:05", "2022-03-01"),
])
def test_parse_date(text, value):
    assert fio.parse_date(text) == pd.Timestamp(value)


@pytest.mark.parametrize("text", ["hier", "31/02/2022", "2022-13-01", "03/2022", "20220301",
                                  "1/3/2022", "01/03/22", "01.03.2022", "2022-3-1", "22-03-01",
                                  "2022/03/01", "1 mars 2022", "44621"])
def test_parse_date_rejects(text):
    with pytest.raises(ValueError):
        fio.parse_date(text)


def test_parse_cell_kinds():
    assert fio.parse_cell(cb.find_item("ses_03"), "7") == 7  # range is checked by the schema
    assert fio.parse_cell(cb.find_item("ses_03"), "") is None
    assert fio.parse_cell(cb.find_item("rqth"), "Oui") is True
    assert fio.parse_cell(cb.find_item("rqth"), "non") is False
    with pytest.raises(fio.CellError) as e:
        fio.parse_cell(cb.find_item("ses_03"), "beaucoup")
    assert e.value.kind == "invalid_value"
    with pytest.raises(fio.CellError) as e:
        fio.parse_cell(cb.find_item("months_unemployed"), "douze")
    assert e.value.kind == "wrong_type"
    with pytest.raises(fio.CellError) as e:
        fio.parse_cell(cb.find_item("months_unemployed"), "12,5")
    assert e.value.kind == "wrong_type"


# --------------------------------------------------------------------------------------------
# Raw files
# --------------------------------------------------------------------------------------------


def test_read_raw_table_keeps_text_and_spreadsheet_rows(tmp_path):
    p = tmp_path / "learners_profile.csv"
    p.write_text(
        "learner_id;gender;months_unemployed\r\n"
        "L01;f;007\r\n"
        ";;\r\n"
        "\r\n"
        "L02; m ;\r\n",
        encoding="utf-8")
    raw = fio.read_raw_table(p)
    assert list(raw.columns) == ["learner_id", "gender", "months_unemployed"]
    assert list(raw.index) == [2, 5]
    assert raw.index.name == fio.SOURCE_ROW
    assert raw.loc[2, "months_unemployed"] == "007"
    assert raw.loc[5, "gender"] == " m "
    assert raw.loc[5, "months_unemployed"] == ""


def test_read_raw_table_semicolon_with_commas_in_french_headers(tmp_path):
    labels = [cb.LEARNERS_EXIT.item(n).label_fr for n in ("learner_id", "ses_03", "step_back")]
    assert all("," in lab for lab in labels[1:])  # the header line is full of commas
    p = tmp_path / "learners_exit.csv"
    p.write_bytes(("\ufeff" + ";".join(labels) + "\nL01;1;4\n").encode("utf-8"))
    raw = fio.read_raw_table(p)
    assert list(raw.columns) == labels
    assert raw.iloc[0].tolist() == ["L01", "1", "4"]


def test_read_raw_table_comma_delimited_with_quoted_commas(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text('learner_id,ses_03\nL01,"Plutôt en accord, je crois"\n', encoding="utf-8")
    raw = fio.read_raw_table(p)
    assert raw.loc[2, "ses_03"] == "Plutôt en accord, je crois"


def test_read_raw_table_excel_sep_line_cp1252_and_multiline_cell(tmp_path):
    p = tmp_path / "testimonies.csv"
    p.write_bytes("sep=;\r\nparticipant_id;text\r\nL01;\"Deux\r\nlignes ’\"\r\nL02;été\r\n"
                  .encode("cp1252"))
    raw = fio.read_raw_table(p)
    assert list(raw.columns) == ["participant_id", "text"]
    # spreadsheet rows are records: the two-line cell is one row
    assert list(raw.index) == [2, 3]
    assert raw.loc[2, "text"] == "Deux\r\nlignes ’"
    assert raw.loc[3, "text"] == "été"


@pytest.mark.parametrize("bad_lines", [[3], [2, 4]])
def test_a_file_in_two_encodings_is_refused_naming_its_lines(tmp_path, bad_lines):
    """A UTF-8 file with a line pasted from a Windows-1252 one: read as Windows-1252, every
    UTF-8 "é" would be published as "Ã©" (attacker's round 8 for #10). It is refused, naming
    the lines that are not UTF-8; a file wholly in Windows-1252 is still read."""
    rows = ["participant_id,text", "L01,Déjà très bien", "L02,Une idée précise",
            "L03,Écouté et aidé", "L04,Merci à l'équipe"]
    data = b"\n".join(r.encode("cp1252" if i + 1 in bad_lines else "utf-8")
                      for i, r in enumerate(rows)) + b"\n"
    p = tmp_path / "testimonies.csv"
    p.write_bytes(data)
    with pytest.raises(ValidationError) as err:
        fio.read_raw_table(p)
    text = str(err.value)
    shown = ", ".join(map(str, bad_lines))
    assert f"{shown} " in text and "UTF-8" in text, text
    assert "Ã©" not in text
    p.write_bytes("\n".join(rows).encode("cp1252"))  # one encoding: read
    assert fio.read_raw_table(p).loc[2, "text"] == "Déjà très bien"


def test_read_raw_table_xlsx_values_as_the_user_sees_them(tmp_path):
    p = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([None])  # a leading blank row: the header is then row 2
    ws.append(["id", "n", "x", "d", "b", "t", None])
    ws.append(["L01", 3.0, 12500.5, dt.datetime(2022, 3, 1), True, "texte", None])
    ws.append([None] * 7)
    ws.append([7, 38, 0.1, dt.date(2022, 3, 2), False, None, None])
    wb.create_sheet("Autre").append(["ignored"])
    wb.save(p)
    raw = fio.read_raw_table(p)
    assert list(raw.columns) == ["id", "n", "x", "d", "b", "t"]
    assert list(raw.index) == [3, 5]
    assert raw.loc[3].tolist() == ["L01", "3", "12500.5", "2022-03-01", "VRAI", "texte"]
    assert raw.loc[5].tolist() == ["7", "38", "0.1", "2022-03-02", "FAUX", ""]
    assert raw.attrs["header_row"] == 2


def test_xlsx_content_with_csv_extension_is_read_as_xlsx(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    wb.active.append([1, 2])
    p = tmp_path / "a.csv"
    wb.save(p)
    assert fio.read_raw_table(p).loc[2].tolist() == ["1", "2"]


@pytest.mark.parametrize("content,kind", [
    (b"", "empty_file"), (b"\r\n ; ;\r\n", "empty_file"),
    (b"\x00\x01\x02binary", "unreadable_file"),
])
def test_read_raw_table_bad_files(tmp_path, content, kind):
    p = tmp_path / "learners_profile.csv"
    p.write_bytes(content)
    with pytest.raises(ValidationError) as e:
        fio.read_raw_table(p)
    assert [pr.kind for pr in e.value.problems] == [kind]
    assert e.value.problems[0].file == "learners_profile.csv"


def test_read_raw_table_broken_xlsx(tmp_path):
    p = tmp_path / "learners_profile.xlsx"
    p.write_bytes(b"PK\x03\x04 this is not really a zip file")
    with pytest.raises(ValidationError) as e:
        fio.read_raw_table(p)
    assert e.value.problems[0].kind == "unreadable_file"
    p.write_text("learner_id\nL01\n")  # text with an .xlsx extension
    with pytest.raises(ValidationError) as e:
        fio.read_raw_table(p)
    assert e.value.problems[0].kind == "unreadable_file"


# --------------------------------------------------------------------------------------------
# Typed tables and the whole session
# --------------------------------------------------------------------------------------------


def test_read_session_typed_tables(session):
    data = fio.read_session(session)
    assert data.name == "2099"
    assert data.path == session
    assert set(data.tables) == set(cb.INSTRUMENTS)
    assert data.files["learners_profile"] == session / "learners_profile.csv"
    assert data.meta["start_date"] == dt.date(2022, 3, 14)
    assert data.meta["followup_months"] == 3
    assert data.meta["neutralised_situations"] == list(cb.DEFAULT_NEUTRALISED)
    for name, table in data.tables.items():
        inst = cb.INSTRUMENTS[name]
        assert list(table.columns) == inst.columns + [fio.SOURCE_ROW]
        for item in inst.items:
            assert table[item.name].dtype == pd.api.types.pandas_dtype(fio.DTYPES[item.type]), item
        assert table[fio.SOURCE_ROW].dtype == np.int64
        assert list(table[fio.SOURCE_ROW]) == list(range(2, len(table) + 2))
    lp = data.tables["learners_profile"]
    assert lp["learner_id"].tolist() == LEARNERS
    assert lp["rqth"].tolist() == [True, False, True]
    assert lp["months_unemployed"].tolist()[0] == 38 and pd.isna(lp["months_unemployed"][1])
    assert pd.isna(lp["dropout_reason"][0]) and lp["dropout_reason"][2] == "health"
    le = data.tables["learners_entry"]
    assert le["response_date"][0] == pd.Timestamp("2022-03-14")
    assert le["ses_04"].isna().tolist() == [False, False, True]
    fe = data.tables["founders_entry"]
    assert fe["annual_revenue"].tolist()[0] == 12500.5 and np.isnan(fe["annual_revenue"][1])
    fu = data.tables["followup"]
    assert fu["responded"].tolist() == [True, False]
    assert pd.isna(fu["response_date"][1]) and pd.isna(fu["situation"][1])
    assert "\n" in data.tables["testimonies"]["text"][1]
    assert data.n_learners == 3 and data.n_founders == 2


def test_optional_instruments_may_be_absent_and_optional_columns_too(tmp_path):
    rows = session_rows()
    for r in rows["founders_profile"]:
        del r["sector"]  # optional column
    folder = write_session(tmp_path / "s", rows, skip=("followup", "testimonies"))
    data = fio.read_session(folder)
    assert "followup" not in data.tables and "testimonies" not in data.tables
    assert "followup" not in data.files
    fp = data.tables["founders_profile"]
    assert fp["sector"].isna().all() and fp["sector"].dtype == "str"


def test_read_session_raises_on_invalid_data(session):
    (session / "learners_entry.csv").unlink()
    with pytest.raises(ValidationError) as e:
        fio.read_session(session)
    assert [p.kind for p in e.value.problems] == ["missing_file"]
    assert "learners_entry" in str(e.value)


def test_an_absent_exit_questionnaire_is_pending_not_an_error(session):
    (session / "learners_exit.csv").unlink()
    data = fio.read_session(session)
    assert data.pending == ("learners_exit",) and data.interim
    assert len(data.tables["learners_exit"]) == 0 and "learners_exit" not in data.files


VARIANTS = {
    "semicolon_utf8sig_french_headers": dict(delimiter=";", encoding="utf-8-sig", headers="fr"),
    "tab_cp1252_french_labels": dict(delimiter="\t", encoding="cp1252", headers="fr_odd",
                                     values="fr_odd"),
    "comma_utf8_english": dict(delimiter=",", encoding="utf-8", headers="en", values="en"),
    "semicolon_cp1252_french": dict(delimiter=";", encoding="cp1252", headers="fr", values="fr"),
    "xlsx_french": dict(ext=".xlsx", headers="fr", values="xlsx"),
    "xlsx_canonical": dict(ext=".xlsx"),
}


@pytest.fixture(scope="module")
def canonical_tables(tmp_path_factory):
    folder = write_session(tmp_path_factory.mktemp("canon") / "2099", blank_row_after=0)
    return fio.read_session(folder)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_variants_read_identically(tmp_path, canonical_tables, variant):
    folder = write_session(tmp_path / "2099", blank_row_after=0, **VARIANTS[variant])
    data = fio.read_session(folder)
    assert set(data.tables) == set(canonical_tables.tables)
    for name, expected in canonical_tables.tables.items():
        pdt.assert_frame_equal(data.tables[name], expected, check_exact=True, obj=name)
    # the blank row is dropped but row numbers are the spreadsheet's
    assert data.tables["learners_profile"][fio.SOURCE_ROW].tolist() == [2, 4, 5]
    assert data.meta == canonical_tables.meta


def test_read_table_single_file(tmp_path):
    p = write_table(tmp_path / "learners_profile.csv", cb.LEARNERS_PROFILE,
                    session_rows()["learners_profile"], headers="fr", values="fr_odd")
    t = fio.read_table(p, "learners_profile")
    assert t["gender"].tolist() == ["f", "m", "x"]
    p.write_text("learner_id,status\nL01,fini\n", encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        fio.read_table(p, "learners_profile")
    assert sorted(pr.kind for pr in e.value.problems) == ["invalid_value"] + ["missing_column"] * 5


# --------------------------------------------------------------------------------------------
# session.yml
# --------------------------------------------------------------------------------------------


def test_read_session_meta(session):
    meta = fio.read_session_meta(session)
    assert meta["name"] == "Session de test"
    assert meta["end_date"] == dt.date(2022, 7, 8)
    assert meta["data_kind"] == "synthetic"
    assert fio.read_session_meta(session / "session.yml") == meta


def test_read_session_meta_accepts_french_dates_and_kinds(tmp_path):
    (tmp_path / "session.yml").write_text(
        "name: 2023\nstart_date: 06/03/2023\nend_date: '2023-06-30'\nfollowup_months: '6'\n"
        "programme: FAC\nterritory: Ain\ndata_kind: Réelles\n"
        "neutralised_situations: [Décès, moved_away]\nname_en: Session 2023\n",
        encoding="utf-8")
    meta = fio.read_session_meta(tmp_path)
    assert meta["name"] == "2023"
    assert meta["start_date"] == dt.date(2023, 3, 6)
    assert meta["end_date"] == dt.date(2023, 6, 30)
    assert meta["followup_months"] == 6
    assert meta["data_kind"] == "real"
    assert meta["neutralised_situations"] == ["deceased", "moved_away"]
    assert meta["name_en"] == "Session 2023"
    assert meta["notes"] == ""


def test_read_session_meta_refuses_a_key_it_does_not_know(tmp_path):
    """A key that session.yml does not have (it was kept and ignored) is refused by name."""
    (tmp_path / "session.yml").write_text(
        "name: 2023\nstart_date: 06/03/2023\nend_date: '2023-06-30'\nfollowup_months: '6'\n"
        "programme: FAC\nterritory: Ain\ndata_kind: Réelles\nfunder: quelqu'un\n",
        encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        fio.read_session_meta(tmp_path)
    [p] = e.value.problems
    assert (p.file, p.row, p.column, p.kind) == ("session.yml", 8, "funder", "unknown_key")
    assert "budget" in p.expected and "objectives" in p.expected_en


def test_read_session_meta_missing(tmp_path):
    with pytest.raises(ValidationError) as e:
        fio.read_session_meta(tmp_path)
    assert e.value.problems[0].kind == "missing_file"
    assert e.value.problems[0].file == "session.yml"


def test_xlsx_data_sheet_found_after_an_instructions_sheet(tmp_path):
    """A workbook whose first sheet is a guide: the sheet with codebook headers is read."""
    import openpyxl

    from fac_eval.data import codebook as cb
    from fac_eval.data import io as fio

    src = fio.read_table( Path(__file__).resolve().parents[1] / "data" / "raw" / "2022" / "founders_profile.csv",
                         cb.INSTRUMENTS["founders_profile"])
    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = "Consignes"
    guide.append(["Consignes de saisie"])
    guide.append(["Une ligne par porteur de projet."])
    data = wb.create_sheet("Saisie")
    data.append(["Identifiant porteur", "Démarche", "Secteur d'activité"])
    profile = Path(__file__).resolve().parents[1] / "data" / "raw" / "2022" / "founders_profile.csv"
    for _, r in pd.read_csv(profile, dtype=str, keep_default_na=False).iterrows():
        data.append([r["founder_id"], {"creation": "Création", "development": "Développement"}[r["stage"]],
                     r["sector"] or None])
    path = tmp_path / "founders_profile.xlsx"
    wb.save(path)
    got = fio.read_table(path, cb.INSTRUMENTS["founders_profile"])
    pd.testing.assert_frame_equal(got, src)
