"""Issue 10: what a workbook holds that the reader did not judge or did not read.

1. A rich text's run (a part of a cell's text with its own font) that nobody sees: white on a
   white fill while the cell's font is black, a tiny font, a theme colour with a tint equal to
   the fill; a plain part written beside the runs. Each is ``invisible_text`` naming the file,
   the sheet and the cell, the hidden text never quoted; visible rich text is read as its plain
   text, and reading rich text changes no value read.
2. Personal data outside the data sheet's cells: another sheet (visible or hidden, its comments
   and links), a sheet's name, a page header or footer, a data validation's messages or list, a
   defined name, a chart's or a drawing's text. Each is ``direct_identifier`` naming the file and
   where, the value masked; the data-entry templates and the shipped sessions read with no
   problem.

Workbooks are built with openpyxl in ``tmp_path`` (their XML edited where openpyxl cannot write
what Excel writes: shared texts, a shape's description) and read through the project's reader,
then through ``fac-eval validate`` and ``run``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest
from conftest import cli_text
from guarantees_support import Project, csv_to_xlsx
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Color, Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table

from fac_eval.data import codebook as cb
from fac_eval.data import xlsx_guard
from fac_eval.data.entry_templates import write_instrument_template
from fac_eval.data.xlsx_reader import read_workbook
from fac_eval.disclosure import privacy

FILE = "learners_entry.xlsx"
SECRETS = ("Sophie", "Martin", "Jean-Luc", "Perrin", "34 56 78", "dupont", "example")


@pytest.fixture(autouse=True)
def names(tmp_path, monkeypatch):
    path = tmp_path / "secrets" / "noms.txt"
    path.parent.mkdir()
    path.write_text("Sophie Martin\nJean-Luc Perrin\n", encoding="utf-8")
    monkeypatch.setenv(privacy.NAMES_ENV_VAR, str(path))
    return path


def _book():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Données"
    ws.append(["learner_id", "response_date", "ses_01", "ses_02"])
    ws.append(["A01", dt.date(2024, 3, 4), 3, 2.5])
    ws.append(["A02", "2024-03-05", 4, True])
    ws.append(["A03", dt.datetime(2024, 3, 6, 9, 30), 1, 2])
    return wb, ws


def _bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _read(data: bytes):
    return read_workbook(data, FILE, "learners_entry")


def _said(problems) -> str:
    return "\n".join(p.message(lang) for p in problems for lang in ("fr", "en"))


def _edit(data: bytes, edits: dict[str, object]) -> bytes:
    """The workbook ``data`` with parts replaced: ``{part: new bytes or function(old)}``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist() + [n for n in edits if n not in src.namelist()]
        for name in names:
            old = src.read(name) if name in src.namelist() else b""
            new = edits.get(name, old)
            dst.writestr(name, new(old) if callable(new) else new)
    return out.getvalue()


_INLINE = re.compile(rb'<c r="([A-Z]+\d+)"([^>]*?) t="inlineStr"([^>]*)><is>(.*?)</is></c>')
_SST_TYPE = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlf'
             b'ormats-officedocument.spreadsheetml.sharedStrings+xml"/>')
_SST_REL = (b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')


def _shared(data: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """The workbook with the texts of its first sheet in the shared texts, as Excel writes
    them (openpyxl writes them inline); ``extra``: ``{cell: <si> content}`` replacing a cell's
    text."""
    items: list[bytes] = []

    def sheet(xml: bytes) -> bytes:
        def one(m):
            items.append((extra or {}).get(m.group(1).decode(), m.group(4)))
            return (b'<c r="' + m.group(1) + b'"' + m.group(2) + b' t="s"' + m.group(3)
                    + b"><v>" + str(len(items) - 1).encode() + b"</v></c>")
        return _INLINE.sub(one, xml)

    new_sheet = sheet(zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml"))
    sst = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="'
           + str(len(items)).encode() + b'" uniqueCount="' + str(len(items)).encode() + b'">'
           + b"".join(b"<si>" + i + b"</si>" for i in items) + b"</sst>")
    return _edit(data, {
        "xl/worksheets/sheet1.xml": new_sheet,
        "xl/sharedStrings.xml": sst,
        "[Content_Types].xml": lambda x: x.replace(b"</Types>", _SST_TYPE + b"</Types>"),
        "xl/_rels/workbook.xml.rels": lambda x: x.replace(b"</Relationships>",
                                                          _SST_REL + b"</Relationships>"),
    })


# ============================================================================================
# 1. Rich text: every run judged
# ============================================================================================

def _white_run(ws):
    ws["A3"] = CellRichText(["A0", TextBlock(InlineFont(color="FFFFFF"), "2 Sophie Martin")])


def _white_run_on_white_fill(ws):
    ws["A3"] = CellRichText(["A0", TextBlock(InlineFont(color="FFFFFFFF"), "2 Sophie Martin")])
    ws["A3"].font = Font(color="000000")
    ws["A3"].fill = PatternFill("solid", fgColor="FFFFFF")


def _near_white_run(ws):
    ws["A3"] = CellRichText([TextBlock(InlineFont(color="FFFEFEFE"), "Sophie Martin"), "A02"])


def _tiny_run(ws):
    ws["A3"] = CellRichText([TextBlock(InlineFont(sz=1), "Sophie Martin "), "A02"])


def _small_run(ws):
    ws["A3"] = CellRichText(["A02", TextBlock(InlineFont(sz=3.5, b=True), " Sophie Martin")])


def _theme_tint_like_the_fill(ws):
    ws["A3"] = CellRichText(["A02", TextBlock(InlineFont(color=Color(theme=0, tint=-0.05)),
                                              " Sophie Martin")])
    ws["A3"].fill = PatternFill("solid", fgColor="F2F2F2")


def _theme_like_a_theme_fill(ws):
    ws["A3"] = CellRichText(["A02", TextBlock(InlineFont(color=Color(theme=4)), " Sophie")])
    ws["A3"].font = Font(color="FFFFFF")
    ws["A3"].fill = PatternFill("solid", fgColor=Color(theme=4))


def _run_taking_a_white_cell_font(ws):
    """A run setting only its boldness takes the cell's white colour."""
    ws["A3"] = CellRichText([TextBlock(InlineFont(color="000000"), "A02"),
                             TextBlock(InlineFont(b=True), " Sophie Martin")])
    ws["A3"].font = Font(color="FFFFFF")


HIDDEN = [(_white_run, "colour"), (_white_run_on_white_fill, "colour"),
          (_near_white_run, "colour"), (_tiny_run, "size"), (_small_run, "size"),
          (_theme_tint_like_the_fill, "colour"), (_theme_like_a_theme_fill, "colour"),
          (_run_taking_a_white_cell_font, "colour")]
NOTES = {"colour": ("une partie du texte de la couleur du fond",
                    "part of the text in the colour of its fill"),
         "size": ("une partie du texte en moins de 4 points",
                  "part of the text smaller than 4 points")}


def _padded(data: bytes) -> bytes:
    """The shared texts behind 8 KB of XML comment: the root element comes late."""
    return _edit(data, {"xl/sharedStrings.xml": lambda x: b'<?xml version="1.0"?><!--'
                        + b" " * 8192 + b"-->" + x})


@pytest.mark.parametrize("stored", ["inline", "shared", "padded"])
@pytest.mark.parametrize("paint, reason", HIDDEN)
def test_a_hidden_run_of_a_rich_text_is_invisible_text(paint, reason, stored):
    wb, ws = _book()
    paint(ws)
    data = _bytes(wb)
    if stored != "inline":
        data = _shared(data) if stored == "shared" else _padded(_shared(data))
        assert b"<is>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert xlsx_guard.scan_workbook(data, FILE).rich_text
    rows, title, problems = _read(data)
    assert title == "Données"
    assert [(p.kind, p.sheet, p.cell, p.column, p.value) for p in problems] == [
        ("invisible_text", "Données", "A3", "learner_id", None)]
    fr, en = NOTES[reason]
    assert problems[0].message("fr") == (
        f"{FILE}, feuille « Données », cellule A3, colonne « learner_id » : texte de la couleur "
        f"de sa cellule ({fr}) — attendu : un texte visible : une partie du texte de la cellule "
        "a sa propre police, de la couleur du fond de la cellule ou trop proche, ou de moins de "
        "4 points ; donnez à toute la cellule une même police de couleur et de taille visibles "
        "et vérifiez-la, ou supprimez-la")
    assert f"({en}) — expected: text that can be seen: part of the cell's text" in \
        problems[0].message("en")
    said = _said(problems)
    assert "Sophie" not in said and "Martin" not in said
    # the reader still reads the whole text (the checks of the data then see it)
    assert "Sophie" in dict(rows)[3][0]


@pytest.mark.parametrize("stored", ["inline", "shared"])
@pytest.mark.parametrize("parts, plain", [
    (["A0", TextBlock(InlineFont(b=True), "2")], "A02"),
    ([TextBlock(InlineFont(color="FFC00000"), "A"), "02"], "A02"),
    ([TextBlock(InlineFont(i=True, sz=11), "A"), TextBlock(InlineFont(u="single"), "0"), "2"],
     "A02"),
    ([TextBlock(InlineFont(color=Color(theme=1, tint=0.5)), "A02")], "A02"),
    ([TextBlock(InlineFont(sz=4), "A"), TextBlock(InlineFont(sz=28), "02")], "A02"),
])
def test_visible_rich_text_is_read_as_its_plain_text(parts, plain, stored):
    wb, ws = _book()
    ws["A3"] = CellRichText(parts)
    data = _bytes(wb)
    data = _shared(data) if stored == "shared" else data
    rows, _, problems = _read(data)
    assert problems == []
    assert dict(rows)[3] == [plain, "2024-03-05", "4", "VRAI"]


@pytest.mark.parametrize("font, fill, run", [
    ("FFFFFF", "0B6E4F", "000000"),  # white cell font, each run black: black on green
    ("FFFFFF", None, "C00000"),      # white cell font on white, each run red
])
def test_runs_with_their_own_visible_colour_are_seen_whatever_the_cell_font(font, fill, run):
    wb, ws = _book()
    ws["A3"] = CellRichText([TextBlock(InlineFont(color=run), "A0"),
                             TextBlock(InlineFont(color=run, b=True), "2")])
    ws["A3"].font = Font(color=font)
    if fill:
        ws["A3"].fill = PatternFill("solid", fgColor=fill)
    rows, _, problems = _read(_bytes(wb))
    assert problems == [] and dict(rows)[3][0] == "A02"


def test_a_white_cell_font_is_still_judged_without_runs():
    wb, ws = _book()
    ws["A3"].font = Font(color="FFFFFF")
    _, _, problems = _read(_bytes(wb))
    assert [(p.kind, p.cell, p.value) for p in problems] == [("invisible_text", "A3", "A02")]


def test_a_plain_text_beside_runs_is_a_problem():
    """``<si><t>A0</t><r>…</r></si>``: the plain reading reads both parts, the runs' reading the
    plain part only; the white run cannot slip through between the two."""
    wb, ws = _book()
    ws["A3"] = CellRichText([TextBlock(InlineFont(b=True), "A02")])
    si = b'<t>A0</t><r><rPr><color rgb="FFFFFFFF"/></rPr><t>2 Sophie Martin</t></r>'
    rows, _, problems = _read(_shared(_bytes(wb), {"A3": si}))
    assert dict(rows)[3][0] == "A02 Sophie Martin"
    assert [(p.kind, p.cell, p.value) for p in problems] == [("invisible_text", "A3", None)]
    assert "(une partie du texte écrite à part de ses passages" in problems[0].message("fr")
    assert "Sophie" not in _said(problems)


def test_reading_rich_text_changes_no_value_read():
    """Numbers, dates, times, booleans, a formula's computed value and plain texts read the same
    in a workbook holding rich text as in the same workbook without it."""
    def book(rich: bool) -> bytes:
        wb, ws = _book()
        ws["B5"], ws["C5"], ws["D5"] = dt.time(10, 15), 1234567.125, "  texte  "
        ws["A5"] = CellRichText([TextBlock(InlineFont(b=True), "A0"), "4"]) if rich else "A04"
        data = _shared(_bytes(wb))
        # a formula with its computed value, as Excel saves it
        return _edit(data, {"xl/worksheets/sheet1.xml": lambda x: x.replace(
            b'<c r="C4" t="n"><v>1</v></c>', b'<c r="C4"><f>3-2</f><v>1</v></c>')})

    plain, rich = book(False), book(True)
    assert not xlsx_guard.scan_workbook(plain, FILE).rich_text
    assert xlsx_guard.scan_workbook(rich, FILE).rich_text
    assert xlsx_guard.scan_workbook(rich, FILE).formulas == {"xl/worksheets/sheet1.xml"}
    expected = [(1, ["learner_id", "response_date", "ses_01", "ses_02"]),
                (2, ["A01", "2024-03-04", "3", "2.5"]),
                (3, ["A02", "2024-03-05", "4", "VRAI"]),
                (4, ["A03", "2024-03-06 09:30:00", "1", "2"]),
                (5, ["A04", "10:15:00", "1234567.125", "  texte  "])]
    for data in (plain, rich):
        rows, title, problems = _read(data)
        assert (rows, title, problems) == (expected, "Données", [])


@pytest.mark.parametrize("instrument", list(cb.INSTRUMENTS))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_templates_have_no_rich_text_and_no_problem(tmp_path, instrument, lang):
    """The data-entry templates (a guide sheet, a hidden lists sheet, drop-down validations with
    their messages) read with no problem at all."""
    data = write_instrument_template(cb.INSTRUMENTS[instrument], tmp_path / "t.xlsx",
                                     lang=lang).read_bytes()
    assert not xlsx_guard.scan_workbook(data, FILE).rich_text
    rows, title, problems = read_workbook(data, f"{instrument}.xlsx", instrument)
    assert problems == [] and title == ("Saisie" if lang == "fr" else "Data") and len(rows) == 1


# ---- through the command line ---------------------------------------------------------------

S = "synth-2024"
WHERE = r"learners_entry\.xlsx, feuille « Données », "


@pytest.fixture
def project(tmp_path, monkeypatch, names):
    p = Project(tmp_path, sessions=(S,))
    monkeypatch.setenv("FAC_EVAL_RAW", str(p.raw))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(p.processed))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(p.reports))
    return p


def _refused(project, capsys, *patterns, command="validate", en=()):
    """``fac-eval COMMAND synth-2024`` in French then English: exit 1, each pattern said,
    nothing written; returns what was said."""
    said = ""
    for lang, wanted in (("fr", patterns), ("en", en)):
        code, text = cli_text(capsys, command, S, "--lang", lang)
        assert code == 1, text
        assert "Traceback" not in text
        for pat in wanted:
            assert re.search(pat, text), f"{pat!r} not in:\n{text}"
        said += text
    assert project.outputs_written(S) == []
    return said


def _entry_workbook(project):
    return csv_to_xlsx(project.session() / "learners_entry.csv")


@pytest.mark.parametrize("command", ["validate", "run"])
def test_the_cli_refuses_a_hidden_run_in_a_header(project, capsys, command):
    wb, ws, path = _entry_workbook(project)
    assert ws["C1"].value == "ses_01"
    ws["C1"] = CellRichText(["ses_0", TextBlock(InlineFont(color="FFFFFF"), "1")])
    wb.save(path)
    _refused(project, capsys,
             WHERE + r"cellule C1 : texte de la couleur de sa cellule \(une partie du texte de "
             r"la couleur du fond\) — attendu : un texte visible : une partie du texte",
             command=command,
             en=[r'learners_entry\.xlsx, sheet "Données", cell C1: text of the colour of its '
                 r"cell \(part of the text in the colour of its fill\)"])


def test_the_cli_refuses_a_tiny_run_in_a_score_and_reads_visible_rich_text(project, capsys):
    wb, ws, path = _entry_workbook(project)
    value = ws["F10"].value
    ws["F10"] = CellRichText([TextBlock(InlineFont(sz=1), str(value))])
    ws["A1"] = CellRichText([TextBlock(InlineFont(b=True, color="C00000"), "learner"), "_id"])
    wb.save(path)
    said = _refused(project, capsys,
                    WHERE + r"cellule F10, colonne « ses_04 » : texte de la couleur de sa "
                    r"cellule \(une partie du texte en moins de 4 points\) — attendu")
    assert "cellule A1 " not in said and f"« {value} »" not in said
    ws["F10"] = CellRichText([TextBlock(InlineFont(sz=11, i=True), str(value))])
    wb.save(path)
    code, text = cli_text(capsys, "validate", S)
    assert code == 0, text


# ============================================================================================
# 2. Personal data outside the data sheet's cells
# ============================================================================================

def _notes(wb):
    return wb["Notes"] if "Notes" in wb.sheetnames else wb.create_sheet("Notes")


def _other_sheet_text(wb, ws):
    _notes(wb)["B2"] = "rappeler Sophie Martin demain"


def _other_sheet_number(wb, ws):
    _notes(wb)["C4"] = 612345678


def _hidden_sheet_email(wb, ws):
    other = wb.create_sheet("Brouillon")
    other["A1"] = "marie.dupont@example.fr"
    other.sheet_state = "hidden"


def _very_hidden_address(wb, ws):
    other = wb.create_sheet("Brouillon")
    other["D9"] = "12 rue de la Paix, 75002 Paris"
    other.sheet_state = "veryHidden"


def _comment_on_other_sheet(wb, ws):
    _notes(wb)["D5"] = "relu"
    _notes(wb)["D5"].comment = Comment("ok", "Jean-Luc Perrin")


def _link_on_other_sheet(wb, ws):
    _notes(wb)["A1"] = "contact"
    _notes(wb)["A1"].hyperlink = "mailto:marie.dupont@example.fr"


def _sheet_named(wb, ws):
    wb.create_sheet("Sophie Martin")


def _sheet_named_with_underscores(wb, ws):
    wb.create_sheet("Suivi_Jean-Luc_Perrin")


def _footer(wb, ws):
    ws.oddFooter.right.text = "saisi par marie.dupont@example.fr"


def _first_page_header(wb, ws):
    ws.HeaderFooter.differentFirst = True
    ws.firstHeader.center.text = "Dossier de Sophie Martin"
    ws.firstHeader.center.size = 14


def _even_footer(wb, ws):
    ws.HeaderFooter.differentOddEven = True
    ws.evenFooter.left.text = "tél. 06 12 34 56 78"


def _raw_footer(xml_text: bytes):
    """A footer written into the sheet's XML as another program may write it."""
    def place(wb, ws):
        return lambda data: _edit(data, {"xl/worksheets/sheet1.xml": lambda x: x.replace(
            b"</worksheet>", b"<headerFooter><oddFooter>" + xml_text
            + b"</oddFooter></headerFooter></worksheet>")})
    return place


def _other_sheet_header(wb, ws):
    _notes(wb).oddHeader.left.text = "Jean-Luc Perrin"


def _validation(**kw):
    def add(wb, ws):
        dv = DataValidation(**kw)
        ws.add_data_validation(dv)
        dv.add("C2:C20")
    return add


def _x14_validation(attrs: bytes, formula: bytes):
    """A validation as Excel writes one whose list is on another sheet: in the sheet's
    extensions, which openpyxl drops."""
    ext = (b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas'
           b'.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="1" '
           b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation '
           b'type="list" allowBlank="1" showInputMessage="1" ' + attrs + b"><x14:formula1><xm:f>"
           + formula + b"</xm:f></x14:formula1><xm:sqref>D2:D20</xm:sqref></x14:dataValidation>"
           b"</x14:dataValidations></ext></extLst>")

    def place(wb, ws):
        return lambda data: _edit(data, {"xl/worksheets/sheet1.xml": lambda x: x.replace(
            b"</worksheet>", ext + b"</worksheet>")})
    return place


def _defined(name, text, **kw):
    def add(wb, ws):
        wb.defined_names[name] = DefinedName(name, attr_text=text, **kw)
    return add


def _sheet_defined_name(wb, ws):
    ws.defined_names["Jean_Luc_Perrin"] = DefinedName("Jean_Luc_Perrin",
                                                      attr_text="Données!$A$3")


def _chart(ws, at="F2", **kw):
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=4), titles_from_data=True)
    for key, value in kw.items():
        setattr(chart, key, value)
    ws.add_chart(chart, at)
    return chart


def _chart_title(wb, ws):
    _chart(ws, title="Scores de Sophie Martin")


def _chart_series_name(wb, ws):
    chart = BarChart()
    chart.series.append(Series(Reference(ws, min_col=3, min_row=2, max_row=4),
                               title="Jean-Luc Perrin"))
    ws.add_chart(chart, "F2")


def _chart_on_another_sheet(wb, ws):
    chart = _chart(ws)
    chart.y_axis.title = "écrire à marie.dupont@example.fr"
    ws._charts.remove(chart)
    _notes(wb).add_chart(chart, "B2")


def _in_drawing(xml_edit):
    def place(wb, ws):
        _chart(ws, title="Scores")
        return lambda data: _edit(data, {"xl/drawings/drawing1.xml": xml_edit})
    return place


_TEXT_BOX = (b'<oneCellAnchor><from><col>1</col><colOff>0</colOff><row>8</row><rowOff>0</rowOff>'
             b'</from><ext cx="2000000" cy="500000"/><sp macro="" textlink=""><nvSpPr>'
             b'<cNvPr id="2" name="Zone de texte 1"/><cNvSpPr txBox="1"/></nvSpPr><spPr/>'
             b'<txBody><a:bodyPr/><a:p><a:r><a:t>Jean-Luc </a:t></a:r><a:r><a:rPr b="1"/>'
             b'<a:t>Perrin</a:t></a:r></a:p></txBody></sp><clientData/></oneCellAnchor>')
def _code_name(wb, ws):
    ws.sheet_properties.codeName = "Sophie_Martin"


def _formula_on_other_sheet(wb, ws):
    _notes(wb)["B3"] = '="Sophie "&"Martin"'


def _formula_computing_nothing(wb, ws):
    """On the data sheet, saved with its value as Excel does: it reads as 0."""
    ws["D3"] = '=LEN("rappeler le 06 12 34 56 78")*0'
    return lambda data: _edit(data, {"xl/worksheets/sheet1.xml": lambda x: x.replace(
        b'*0</f><v /></c>', b'*0</f><v>0</v></c>')})


def _table(**kw):
    def add(wb, ws):
        ws.add_table(Table(ref="A1:D4", **kw))
    return add


def _app_property(tag: bytes, text: bytes):
    def place(wb, ws):
        return lambda data: _edit(data, {"docProps/app.xml": lambda x: x.replace(
            b"</Properties>", b"<" + tag + b">" + text + b"</" + tag + b"></Properties>")})
    return place


def _custom_property(name, value):
    def add(wb, ws):
        wb.custom_doc_props.append(StringProperty(name=name, value=value))
    return add


_picture_description = _in_drawing(lambda x: x.replace(
    b'name="Chart 1"', b'name="Chart 1" descr="photo de Sophie Martin"'))
_text_box = _in_drawing(lambda x: x.replace(b"</wsDr>", _TEXT_BOX + b"</wsDr>"))

OTHER = "aucune donnée personnelle dans une autre feuille que la feuille de données"
TITLE = "aucune donnée personnelle dans le nom d'une feuille"
HEADER = "aucune donnée personnelle dans un en-tête ou un pied de page"
RULE = "aucune donnée personnelle dans une validation des données"
NAME = "aucune donnée personnelle dans un nom défini"
DRAWING = "aucune donnée personnelle dans un graphique ou un dessin"
FORMULA = "aucune donnée personnelle dans une formule : seule la valeur qu'elle calcule est lue"
PROPERTY = ("aucune donnée personnelle dans les propriétés du classeur (Fichier > Informations > "
            "Propriétés), propriété")
NAMED, PHONE, EMAIL = "nom de la liste de noms", "numéro de téléphone", "adresse e-mail"

PLACES = [
    (_other_sheet_text, "Notes", "B2", OTHER, NAMED),
    (_other_sheet_number, "Notes", "C4", OTHER, PHONE),
    (_hidden_sheet_email, "Brouillon", "A1", OTHER, EMAIL),
    (_very_hidden_address, "Brouillon", "D9", OTHER, "adresse postale"),
    (_comment_on_other_sheet, "Notes", "D5", OTHER, NAMED),
    (_link_on_other_sheet, "Notes", "A1", OTHER, EMAIL),
    (_sheet_named, "S••••• ••••••", None, TITLE, NAMED),
    (_sheet_named_with_underscores, "Suivi_J•••-•••_P•••••", None, TITLE, NAMED),
    (_code_name, "Données", None, TITLE, NAMED),
    (_formula_on_other_sheet, "Notes", "B3", FORMULA, NAMED),
    (_formula_computing_nothing, "Données", "D3", FORMULA, PHONE),
    (_footer, "Données", None, HEADER, "pied de page, partie droite ; " + EMAIL),
    (_first_page_header, "Données", None, HEADER,
     "en-tête de la première page, partie centrale ; " + NAMED),
    (_even_footer, "Données", None, HEADER, "pied des pages paires, partie gauche ; " + PHONE),
    (_raw_footer(b"Sophie Martin"), "Données", None, HEADER,
     "pied de page, partie centrale ; " + NAMED),
    (_raw_footer(b"&amp;LSop&amp;Bhie Mar&amp;Itin"), "Données", None, HEADER,
     "pied de page, partie gauche ; " + NAMED),
    (_raw_footer(b"&amp;R&amp;KFF0000marie.dupont&amp;K000000@example.fr"), "Données", None,
     HEADER, "pied de page, partie droite ; " + EMAIL),
    (_other_sheet_header, "Notes", None, HEADER, "en-tête, partie gauche ; " + NAMED),
    (_validation(type="whole", promptTitle="Aide", prompt="demander à marie.dupont@example.fr"),
     "Données", "C2:C20", RULE, "message de saisie ; " + EMAIL),
    (_validation(type="whole", errorTitle="Voir Jean-Luc Perrin", error="de 1 à 5"),
     "Données", "C2:C20", RULE, "titre du message d'erreur ; " + NAMED),
    (_validation(type="list", formula1='"Sophie Martin,Autre"'), "Données", "C2:C20", RULE,
     "liste ou bornes de la règle ; " + NAMED),
    (_x14_validation(b'prompt="voir Sophie Martin"', b"Listes!$A$1:$A$3"), "Données",
     "D2:D20", RULE, "message de saisie ; " + NAMED),
    (_x14_validation(b'promptTitle="Aide"', b"&quot;Jean-Luc Perrin,Autre&quot;"), "Données",
     "D2:D20", RULE, "liste ou bornes de la règle ; " + NAMED),
    (_defined("Sophie_Martin", "Données!$A$2"), None, None, NAME,
     "nom défini S•••••_M••••• ; " + NAMED),
    (_defined("contact", '"06 12 34 56 78"'), None, None, NAME, "nom défini contact ; " + PHONE),
    (_defined("notes", "Données!$B$2", comment="vu avec marie.dupont@example.fr"), None, None,
     NAME, "nom défini notes ; " + EMAIL),
    (_sheet_defined_name, "Données", None, NAME, "nom défini J•••_L••_P••••• ; " + NAMED),
    (_table(displayName="Sophie_Martin"), "Données", "A1:D4", NAME,
     "tableau S•••••_M••••• ; " + NAMED),
    (_table(displayName="Saisie", comment="relue par marie.dupont@example.fr"), "Données",
     "A1:D4", NAME, "tableau Saisie ; " + EMAIL),
    (_app_property(b"Company", b"Sophie Martin"), None, None, PROPERTY + " Company", NAMED),
    (_app_property(b"Manager", b"06 12 34 56 78"), None, None, PROPERTY + " Manager", PHONE),
    (_custom_property("Référent", "Jean-Luc Perrin"), None, None, PROPERTY + " Référent",
     NAMED),
    (_custom_property("Sophie Martin", "oui"), None, None, PROPERTY + " S••••• ••••••", NAMED),
    (_chart_title, "Données", None, DRAWING, "partie xl/charts/chart1.xml du classeur ; " + NAMED),
    (_chart_series_name, "Données", None, DRAWING, "partie xl/charts/chart1.xml du classeur"),
    (_chart_on_another_sheet, "Notes", None, DRAWING, "partie xl/charts/chart1.xml du classeur ; "
     + EMAIL),
    (_picture_description, "Données", None, DRAWING,
     "partie xl/drawings/drawing1.xml du classeur ; " + NAMED),
    (_text_box, "Données", None, DRAWING, "partie xl/drawings/drawing1.xml du classeur ; "
     + NAMED),
]


def _placed(place) -> bytes:
    wb, ws = _book()
    edit = place(wb, ws)
    data = _bytes(wb)
    return edit(data) if edit else data


@pytest.mark.parametrize("place, sheet, cell, expected, note", PLACES,
                         ids=[f"{i}-{p[0].__name__.strip('_')}" for i, p in enumerate(PLACES)])
def test_personal_data_outside_the_data_cells_is_a_direct_identifier(place, sheet, cell,
                                                                     expected, note):
    rows, title, problems = _read(_placed(place))
    baseline, _, _ = _read(_bytes(_book()[0]))
    if place is _formula_computing_nothing:
        baseline[2][1][3] = "0"
    assert rows == baseline and title == "Données"  # what is read does not change
    direct = [p for p in problems if p.kind == "direct_identifier"]
    assert [(p.sheet, p.cell, p.row, p.column) for p in direct] == [(sheet, cell, None, None)]
    fr = direct[0].message("fr")
    assert f"({note}" in fr and f"— attendu : {expected}" in fr, fr
    assert "valeur masquée" in fr and "•" in direct[0].value
    assert "directly identifying data" in direct[0].message("en")
    said = _said(problems)
    for secret in SECRETS:
        assert secret not in said, (secret, said)
    others = {p.kind for p in problems} - {"direct_identifier"}
    assert others <= {"hidden_sheet"}


def test_every_problem_names_a_data_sheet_named_after_a_person_masked():
    wb, ws = _book()
    ws.title = "Saisie Sophie Martin"
    ws["C3"].font = Font(color="FFFFFF")  # another problem of the sheet: it names it too
    rows, title, problems = _read(_bytes(wb))
    assert title == "Saisie S••••• ••••••"
    assert sorted((p.kind, p.sheet, p.cell) for p in problems) == [
        ("direct_identifier", "Saisie S••••• ••••••", None),
        ("invisible_text", "Saisie S••••• ••••••", "C3")]
    assert "Sophie" not in _said(problems) and "Martin" not in _said(problems)


def test_several_data_sheets_named_after_people_are_named_masked():
    wb, ws = _book()
    copy = wb.copy_worksheet(ws)
    copy.title = "Jean-Luc Perrin"
    with pytest.raises(Exception) as refused:
        _read(_bytes(wb))
    said = _said(refused.value.problems)
    assert "plusieurs feuilles de données" in said and "J•••-••• ••••••" in said
    assert "Perrin" not in said


def test_all_places_are_listed_at_once():
    wb, ws = _book()
    for place in (_other_sheet_text, _sheet_named, _footer, _validation(
            type="list", formula1='"Sophie Martin,Autre"'), _defined("contact", '"06 12 34 56 78"'),
            _chart_title):
        place(wb, ws)
    _, _, problems = _read(_bytes(wb))
    assert [(p.kind, p.sheet, p.cell) for p in problems] == [
        ("direct_identifier", "S••••• ••••••", None),
        ("direct_identifier", "Notes", "B2"),
        ("direct_identifier", "Données", None),
        ("direct_identifier", "Données", "C2:C20"),
        ("direct_identifier", None, None),
        ("direct_identifier", "Données", None)]


def _plain_extras(wb, ws):
    notes = wb.create_sheet("Notes")
    notes["A1"], notes["B2"], notes["C3"] = "relu le 4 mars", "Total : 42", 42
    notes["D1"], notes["D2"] = "=SUM(C1:C3)", '=IF(C3>40,"beaucoup","peu")&" "&TODAY()'
    notes["A5"] = "guide"
    notes["A5"].hyperlink = "https://example.org/guide"
    ws.oddHeader.center.text = "Questionnaire d'entrée"
    ws.oddFooter.right.text = "&P / &N"
    ws.oddFooter.left.text = "CRIA de l'Ain, session 2024"
    for dv in (DataValidation(type="whole", prompt="Saisir un nombre de 1 à 5", error="1 à 5",
                              errorTitle="Valeur inattendue"),
               DataValidation(type="list", formula1='"Oui,Non"')):
        ws.add_data_validation(dv)
        dv.add("C2:C20")
    wb.defined_names["Scores"] = DefinedName("Scores", attr_text="Données!$C$2:$C$4")
    ws.add_table(Table(ref="A1:D4", displayName="Saisie_2024"))
    wb.custom_doc_props.append(StringProperty(name="Structure", value="CRIA de l'Ain"))
    wb.properties.creator = "Secrétariat"
    _chart(ws, title="Scores d'entrée")
    hidden = wb.create_sheet("Listes")
    hidden["A1"] = "ses_01"
    hidden["A2"] = next(i for i in cb.INSTRUMENTS["learners_entry"].items
                        if i.name == "ses_01").choices[0].label_fr
    hidden.sheet_state = "hidden"


def test_plain_texts_outside_the_data_cells_are_read():
    rows, title, problems = _read(_placed(_plain_extras))
    assert problems == [] and title == "Données" and len(rows) == 4


def test_the_validation_rules_are_read_from_the_xml():
    from fac_eval.data import xlsx_outside

    xml = (b'<worksheet><dataValidations count="3"><dataValidation type="whole" sqref="C2:C9 '
           b'E2" prompt="de 1 &amp; 5" promptTitle="Aide"><formula1>1</formula1><formula2>5'
           b'</formula2></dataValidation><dataValidation type="list" sqref="B2"/>'
           b'</dataValidations><extLst><x14:dataValidation errorTitle="Non"><x14:formula1><xm:f>'
           b'Listes!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>D2:D20</xm:sqref>'
           b"</x14:dataValidation></extLst></worksheet>")
    assert xlsx_outside.validation_rules(xml) == [
        {"type": "whole", "sqref": "C2:C9 E2", "prompt": "de 1 & 5", "promptTitle": "Aide",
         "formula1": "1", "formula2": "5"},
        {"type": "list", "sqref": "B2"},
        {"errorTitle": "Non", "formula1": "Listes!$A$1:$A$3", "sqref": "D2:D20"}]


@pytest.mark.parametrize("text, parts", [
    ("Questionnaire", {"L": "", "C": "Questionnaire", "R": ""}),
    ("&LA&CB&RC", {"L": "A", "C": "B", "R": "C"}),
    ('&L&"Arial,Bold"&14Titre&R&P / &N', {"L": "Titre", "C": "", "R": " / "}),
    ("&CSo&Uphie&U && Cie&K00+050 Martin", {"L": "", "C": "Sophie & Cie Martin", "R": ""}),
    ("avant&Lgauche&Lencore", {"L": "gaucheencore", "C": "avant", "R": ""}),
])
def test_the_parts_of_a_header_are_what_excel_shows(text, parts):
    from fac_eval.data import xlsx_outside

    assert xlsx_outside.header_parts(text) == parts


@pytest.mark.parametrize("text, found", [("A01", False), ("Guide", False), ("Chart 1", False),
                                         ("Sophie Martin", True), ("Scores de J.-L. Perrin", True)])
def test_the_drawing_texts_are_what_the_detector_sees(text, found):
    from fac_eval.data import xlsx_outside
    from fac_eval.disclosure import pii

    xml = (b'<c:chartSpace xmlns:c="c" xmlns:a="a"><c:title><a:p><a:r><a:t>'
           + text[:3].encode() + b"</a:t></a:r><a:r><a:t>" + text[3:].encode()
           + b"</a:t></a:r></a:p></c:title></c:chartSpace>")
    texts = xlsx_outside.drawing_texts(xml)
    assert texts == [text]
    assert bool(pii.find_pii(texts[0], (), privacy.load_names())) is found


# ---- through the command line ---------------------------------------------------------------

def test_the_cli_refuses_a_name_in_another_visible_sheet(project, capsys):
    wb, ws, path = _entry_workbook(project)
    wb.create_sheet("Notes")["B2"] = "rappeler Sophie Martin demain"
    wb.save(path)
    said = _refused(project, capsys,
                    r"learners_entry\.xlsx, feuille « Notes », cellule B2 : donnée directement "
                    r"identifiante \(nom de la liste de noms, valeur masquée\), valeur « S••••• "
                    r"•••••• » — attendu : " + OTHER,
                    en=[r'learners_entry\.xlsx, sheet "Notes", cell B2: directly identifying '
                        r"data \(name from the names file, value masked\)"])
    assert "Sophie" not in said


def test_run_refuses_an_email_in_a_footer_and_writes_nothing(project, capsys):
    wb, ws, path = _entry_workbook(project)
    ws.oddFooter.right.text = "saisi par marie.dupont@example.fr"
    wb.save(path)
    said = _refused(project, capsys,
                    WHERE.rstrip(", ") + r" : donnée directement identifiante \(pied de page, "
                    r"partie droite ; adresse e-mail, valeur masquée\)", command="run")
    assert "dupont" not in said


def test_the_cli_refuses_a_chart_title_and_a_sheet_named_after_a_learner(project, capsys):
    wb, ws, path = _entry_workbook(project)
    ws.title = "Sophie Martin"
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=12), titles_from_data=True)
    chart.title = "Jean-Luc Perrin"
    ws.add_chart(chart, "AB2")
    wb.save(path)
    said = _refused(project, capsys,
                    r"learners_entry\.xlsx, feuille « S••••• •••••• » : donnée directement "
                    r"identifiante \(nom de la liste de noms, valeur masquée\).* — attendu : "
                    + TITLE,
                    r"learners_entry\.xlsx, feuille « S••••• •••••• » : donnée directement "
                    r"identifiante \(partie xl/charts/chart1\.xml du classeur ; nom de la liste "
                    r"de noms, valeur masquée\)")
    for secret in ("Sophie", "Martin", "Jean-Luc", "Perrin"):
        assert secret not in said


@pytest.mark.parametrize("session", ["2022", "synth-2024"])
def test_the_shipped_sessions_as_workbooks_with_the_templates_sheets_are_read(
        tmp_path, monkeypatch, capsys, names, session):
    """Every file of a shipped session as a workbook holding, besides its data sheet, the
    template's guide sheet, its hidden lists sheet and its drop-down validations: valid."""
    p = Project(tmp_path, sessions=(session,))
    monkeypatch.setenv("FAC_EVAL_RAW", str(p.raw))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(p.processed))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(p.reports))
    converted = 0
    for csv_path in sorted(p.session(session).glob("*.csv")):
        if csv_path.stem not in cb.INSTRUMENTS:
            continue
        template = openpyxl.load_workbook(write_instrument_template(
            cb.INSTRUMENTS[csv_path.stem], tmp_path / f"{csv_path.stem}-modele.xlsx"))
        wb, ws, path = csv_to_xlsx(csv_path)
        for name in template.sheetnames[1:]:
            copy = wb.create_sheet(name)
            for row in template[name].iter_rows():
                for c in row:
                    copy.cell(row=c.row, column=c.column, value=c.value)
            copy.sheet_state = template[name].sheet_state
        for dv in template.worksheets[0].data_validations.dataValidation:
            ws.add_data_validation(dv)
        wb.save(path)
        converted += 1
    assert converted >= 6
    code, text = cli_text(capsys, "validate", session)
    assert code == 0, text
