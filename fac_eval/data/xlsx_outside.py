"""Personal data that a workbook holds outside the cells the reader reads.

The reader reads the cells of one sheet, the data sheet (:mod:`fac_eval.data.xlsx_reader`): its
cells go through the checks of the data, its comments and links through
:mod:`fac_eval.data.xlsx_hidden`, the document properties through
:mod:`fac_eval.data.xlsx_unseen`. Everything else travels with the workbook unread: a learner's
name typed in another sheet or in a page footer is in the raw file as much as in a cell, and the
raw files must be pseudonymised. :func:`outside_problems` passes through the one detector of
personal data (:func:`fac_eval.disclosure.pii.find_pii`, with the names of the names file) the
texts of:

- the other sheets, visible or hidden: their cells, comments and links (the data-entry
  templates' guide sheet and hidden lists sheet hold none);
- every sheet's name and code name (the problems then name that sheet by its masked name:
  :func:`sheet_labels`, :func:`relabel`);
- every sheet's formulas, the data sheet's too (the reader reads the values they computed);
- every sheet's page headers and footers (all pages, even pages, first page; left, centre and
  right parts), read from the sheet's XML (openpyxl drops a header it cannot parse);
- every sheet's data validations: the input and error messages and their titles, the list or
  the bounds typed in the rule, read from the sheet's XML (openpyxl drops those Excel writes in
  the sheet's extensions);
- the defined names, of the workbook and of a sheet: the name, what it refers to, its comment and
  descriptions; the tables' names and comments (Excel's Name Manager lists them too);
- the charts and drawings: titles, labels, text boxes, the names and alternative texts of
  pictures and shapes, read from the zip's ``xl/charts/*.xml`` and ``xl/drawings/*.xml``
  (openpyxl drops charts and shapes when it reads a workbook);
- the document properties that openpyxl does not read, from ``docProps/app.xml`` (company,
  manager…) and ``docProps/custom.xml`` (the properties a user named), besides those that
  :func:`fac_eval.data.xlsx_unseen.property_problems` judges.

Each finding is a ``direct_identifier`` problem naming the file and where (the sheet, the cell or
range, the part of the header, the defined name or the chart's part), the value masked, as
:func:`fac_eval.data.xlsx_unseen.property_problems` does for the document properties.
"""

from __future__ import annotations

import dataclasses
import io as _stdio
import posixpath
import re
import zipfile
from collections.abc import Callable
from typing import Any

from fac_eval.core.i18n import N_, tr
from fac_eval.data.validation_problems import Problem, both, problem

__all__ = ["outside_problems", "sheet_labels", "relabel", "drawing_texts"]

EXPECTED = {
    "cell": N_("no personal data in a sheet other than the data sheet: it is not read, yet it "
               "travels with the workbook; delete it there"),
    "title": N_("no personal data in a sheet's name: rename the sheet (double-click its tab)"),
    "header": N_("no personal data in a page header or footer (Insert > Header & Footer): "
                 "delete it there"),
    "validation": N_("no personal data in a data validation, its messages and its list "
                     "included (Data > Data Validation): delete it there"),
    "name": N_("no personal data in a defined name, its name, what it refers to and its comment "
               "included (Formulas > Name Manager): delete it there"),
    "formula": N_("no personal data in a formula: only the value it computes is read; delete "
                  "it there"),
    "drawing": N_("no personal data in a chart or a drawing (title, labels, text box, name or "
                  "alternative text of a picture): delete it there"),
}
#: The note of a problem: where in the header, the rule, the name or the drawing, and what.
_PLACE_FOUND = N_("%(place)s; %(what)s, value masked")

_HEADERS = {"oddHeader": N_("page header"), "oddFooter": N_("page footer"),
            "evenHeader": N_("header of even pages"), "evenFooter": N_("footer of even pages"),
            "firstHeader": N_("header of the first page"),
            "firstFooter": N_("footer of the first page")}
_SIDES = {"L": N_("left part"), "C": N_("centre part"), "R": N_("right part")}
#: A header's or footer's text in a sheet's XML (openpyxl drops one it cannot parse, such as a
#: text without a part code, which Excel shows in the centre).
_HEADER_XML = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(" + "|".join(_HEADERS).encode()
                         + rb")\b[^>/]*>([^<]*)<", re.S)
#: The codes of a header's text other than its parts': font, size, colour, bold, italic…,
#: page number, date, file and sheet names.
_HEADER_CODE = re.compile(r'&(?:"[^"]*"|K(?:[0-9A-Fa-f]{6}|\d\d[+-]\d{3})|\d+|[A-Za-z])')
_VALIDATION_TEXTS = {"promptTitle": N_("title of the input message"),
                     "prompt": N_("input message"), "errorTitle": N_("title of the error message"),
                     "error": N_("error message"), "formula1": N_("list or bound of the rule"),
                     "formula2": N_("list or bound of the rule")}
#: What a defined name holds besides its name and what it refers to.
_NAME_TEXTS = ("comment", "description", "help", "statusBar", "customMenu")


Finder = Callable[[Any], list]


def _finder(names: list[str]) -> Finder:
    """``find_pii`` with the names, once per distinct text; a text without findings is tried
    again with its underscores read as spaces (names of sheets, defined names and shapes are
    often written ``Sophie_Martin``)."""
    from fac_eval.disclosure import pii

    seen: dict[str, list] = {}

    def found(text: Any) -> list:
        if not isinstance(text, str) or not text.strip():
            return []
        if text not in seen:
            hit = pii.find_pii(text, (), names)
            if not hit and "_" in text:
                hit = pii.find_pii(text.replace("_", " "), (), names)
            seen[text] = hit
        return seen[text]

    return found


def _problem(file: str, found: list, expected: str | tuple[str, str], *, place=None,
             sheet: str | None = None, cell: str | None = None) -> Problem:
    from fac_eval.data.validation_identifiers import _FOUND_MASKED, _kinds
    from fac_eval.disclosure import pii

    what = _kinds(list(dict.fromkeys(f.kind for f in found)))
    note = (both(_FOUND_MASKED, what=what) if place is None
            else both(_PLACE_FOUND, place=place, what=what))
    return problem(file, None, None, ", ".join(pii.mask(f.text) for f in found),
                   "direct_identifier",
                   expected if isinstance(expected, tuple) else both(expected), sheet=sheet,
                   cell=cell, note=note)


def sheet_labels(titles: list[str], names: list[str]) -> dict[str, str]:
    """How the problems name each sheet: its title, with the personal data it holds masked."""
    return {title: _masked(title, names) for title in titles}


def _masked(text: str, names: list[str]) -> str:
    """``text`` with its personal data masked, underscores read as spaces when nothing is
    found otherwise (as :func:`_finder` does)."""
    from fac_eval.disclosure import pii

    masked = pii.mask_text(text, (), names) or text
    if masked == text and "_" in text:
        spaced = pii.mask_text(text.replace("_", " "), (), names) or text
        masked = "".join("_" if t == "_" else m for t, m in zip(text, spaced))
    return masked


def relabel(problems: list[Problem], labels: dict[str, str]) -> list[Problem]:
    """``problems`` naming each sheet by its label (:func:`sheet_labels`)."""
    return [dataclasses.replace(p, sheet=labels[p.sheet])
            if p.sheet in labels and labels[p.sheet] != p.sheet else p for p in problems]


def _title_problems(sheets, file: str, found: Finder, labels) -> list[Problem]:
    """The sheets' names, and their code names (the names macros give them)."""
    out = []
    for s in sheets:
        code = getattr(getattr(s, "sheet_properties", None), "codeName", None)
        hit = found(s.title) + (found(code) if code and code != s.title else [])
        if hit:
            out.append(_problem(file, hit, EXPECTED["title"], sheet=labels.get(s.title, s.title)))
    return out


def _other_sheet_problems(others, file: str, found: Finder, labels, letter) -> list[Problem]:
    """The cells, comments and links of the sheets that are not read. ``others``:
    ``(ws, grid)``."""
    from fac_eval.data.xlsx_reader import cell_text

    out: list[Problem] = []
    for ws, grid in others:
        label = labels.get(ws.title, ws.title)
        cells = getattr(ws, "_cells", {})
        marked = {key for key, cell in cells.items()
                  if getattr(cell, "_comment", None) is not None
                  or getattr(cell, "_hyperlink", None) is not None}
        for r, c in sorted({(row, col) for row in grid for col in grid[row]} | marked):
            cell = cells.get((r, c))
            comment = getattr(cell, "_comment", None)
            link = getattr(cell, "_hyperlink", None)
            texts = [cell_text(grid.get(r, {}).get(c)),
                     getattr(comment, "text", None), getattr(comment, "author", None),
                     str(getattr(link, "target", None) or getattr(link, "location", None) or "")]
            hit = [f for t in texts for f in found(t)]
            if hit:
                out.append(_problem(file, hit, EXPECTED["cell"], sheet=label,
                                    cell=f"{letter(c)}{r}"))
    return out


def _place(first: str, second: str | None = None):
    """A place for :data:`_PLACE_FOUND`: one message, or two joined by a comma."""
    return lambda lang: tr(lang, first) + (f", {tr(lang, second)}" if second else "")


def header_parts(text: str) -> dict[str, str]:
    """The left, centre and right parts (``L``, ``C``, ``R``) of a header or footer as Excel
    shows them: ``&L``, ``&C``, ``&R`` start a part (text before any is the centre's), the other
    codes are left out (``So&Bphie`` shows "Sophie" with a bold end), ``&&`` is ``&``."""
    out = {"L": "", "C": "", "R": ""}
    side = "C"
    for piece in re.split(r"(&[LCR])", text.replace("&&", "\0")):
        if re.fullmatch(r"&[LCR]", piece):
            side = piece[1]
        else:
            out[side] += _HEADER_CODE.sub("", piece).replace("\0", "&")
    return out


def _header_problems(sheet_xml, file: str, found: Finder, labels) -> list[Problem]:
    """The headers and footers of every sheet, read from its XML (:func:`_sheet_xml`)."""
    import html

    out: list[Problem] = []
    for _, title, xml in sheet_xml:
        for m in _HEADER_XML.finditer(xml):
            which = _HEADERS[m.group(1).decode()]
            text = html.unescape(m.group(2).decode("utf-8", "replace"))
            for side, shown in header_parts(text).items():
                hit = found(shown)
                if hit:
                    out.append(_problem(file, hit, EXPECTED["header"],
                                        place=_place(which, _SIDES[side]),
                                        sheet=labels.get(title, title)))
    return out


#: A data validation in a sheet's XML, in the sheet's list or in its extensions
#: (``<x14:dataValidation>``, which Excel writes for a list on another sheet and openpyxl drops).
_RULE_XML = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dataValidation\b([^>]*?)(?:/>|>(.*?)"
                       rb"</(?:[A-Za-z_][\w.-]*:)?dataValidation>)", re.S)
_ATTRIBUTE = re.compile(rb"([\w.-]+)\s*=\s*\"([^\"]*)\"")
_RULE_PART = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(formula1|formula2|f|sqref)\b[^>/]*>([^<]*)(?=<)")


def validation_rules(xml: bytes) -> list[dict[str, str]]:
    """The data validations of a sheet's XML: for each, its texts by name (``prompt``,
    ``promptTitle``, ``error``, ``errorTitle``, ``formula1``, ``formula2``, ``sqref``)."""
    import html

    out = []
    for m in _RULE_XML.finditer(xml):
        rule = {k.decode(): html.unescape(v.decode("utf-8", "replace"))
                for k, v in _ATTRIBUTE.findall(m.group(1))}
        formulas = []
        for tag, text in _RULE_PART.findall(m.group(2) or b""):
            value = html.unescape(text.decode("utf-8", "replace"))
            if tag == b"sqref":
                rule["sqref"] = value
            elif tag == b"f":  # <x14:formula1><xm:f>…</xm:f>
                formulas.append(value)
            elif value.strip():  # <formula1>…</formula1> (its <xm:f> is read as f)
                rule[tag.decode()] = value
        for key, value in zip(("formula1", "formula2"), formulas):
            rule.setdefault(key, value)
        out.append(rule)
    return out


def _validation_problems(sheet_xml, file: str, found: Finder, labels) -> list[Problem]:
    """The data validations of every sheet, read from its XML (:func:`_sheet_xml`)."""
    out: list[Problem] = []
    for _, title, xml in sheet_xml:
        if b"dataValidation" not in xml:
            continue
        for rule in validation_rules(xml):
            for attr, what in _VALIDATION_TEXTS.items():
                hit = found(rule.get(attr))
                if hit:
                    out.append(_problem(file, hit, EXPECTED["validation"], place=_place(what),
                                        sheet=labels.get(title, title),
                                        cell=rule.get("sqref") or None))
    return out


def _name_problems(wb, sheets, file: str, found: Finder, labels, names) -> list[Problem]:
    scopes = [(None, getattr(wb, "defined_names", {}))]
    scopes += [(labels.get(ws.title, ws.title), getattr(ws, "defined_names", {}))
               for ws in sheets]
    out: list[Problem] = []
    for label, defined in scopes:
        for key, dn in sorted(dict(defined or {}).items()):
            texts = [key, getattr(dn, "attr_text", None)]
            texts += [getattr(dn, attr, None) for attr in _NAME_TEXTS]
            hit = [f for t in texts for f in found(t)]
            if hit:
                shown = _masked(key, names)
                out.append(_problem(file, hit, EXPECTED["name"], sheet=label,
                                    place=lambda lang, shown=shown: tr(
                                        lang, N_("defined name %(name)s"), name=shown)))
    for ws in sheets:  # the Name Manager lists the tables too
        for table in getattr(ws, "tables", {}).values():
            texts = [getattr(table, a, None) for a in ("name", "displayName", "comment")]
            hit = [f for t in dict.fromkeys(texts) for f in found(t)]
            if hit:
                shown = _masked(str(table.displayName or table.name or ""), names)
                out.append(_problem(file, hit, EXPECTED["name"],
                                    sheet=labels.get(ws.title, ws.title),
                                    cell=getattr(table, "ref", None),
                                    place=lambda lang, shown=shown: tr(
                                        lang, N_("table %(name)s"), name=shown)))
    return out


# ---- charts, drawings and properties: the zip's parts --------------------------------------

_PART = re.compile(r"xl/(charts|drawings)/[^/]+\.xml")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _fromstring():
    """defusedxml's parser when installed (the guard refused DTDs and entities already)."""
    try:
        from defusedxml.ElementTree import fromstring
    except ImportError:  # pragma: no cover
        from xml.etree.ElementTree import fromstring  # noqa: S405
    return fromstring


def drawing_texts(xml: bytes) -> list[str]:
    """The texts of a chart's or a drawing's XML: each paragraph (``<a:p>``, its runs joined),
    each cached value or series name (``<c:v>``) and each name, title and description of an
    object (``<xdr:cNvPr name= descr= title=>``)."""
    root = _fromstring()(xml)
    out: list[str] = []
    inside: set[int] = set()
    for el in root.iter():
        name = _local(el.tag)
        if name == "p":
            runs = [t for t in el.iter() if _local(t.tag) == "t"]
            inside |= {id(t) for t in runs}
            out.append("".join(t.text or "" for t in runs))
        elif name in ("t", "v") and id(el) not in inside:
            out.append(el.text or "")
        for attr in ("name", "descr", "title"):
            if name in ("cNvPr", "docPr") and el.get(attr):
                out.append(el.get(attr, ""))
    return [t for t in dict.fromkeys(out) if t.strip()]


def _targets(zf: zipfile.ZipFile, part: str) -> list[str]:
    """The parts that ``part`` refers to (its ``_rels`` file), as zip member names."""
    from fac_eval.data.xlsx_guard import _REL_ENTRY, _read_member

    folder, base = posixpath.split(part)
    try:
        rels = _read_member(zf, zf.getinfo(f"{folder}/_rels/{base}.rels"))
    except KeyError:
        return []
    out = []
    for tag in _REL_ENTRY.findall(rels):
        m = re.search(rb"\bTarget\s*=\s*[\"']([^\"']*)[\"']", tag)
        if m:
            target = m.group(1).decode("utf-8", "replace")
            out.append(target.lstrip("/") if target.startswith("/")
                       else posixpath.normpath(posixpath.join(folder, target)))
    return out


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet part (``xl/worksheets/sheet1.xml``) -> the sheet's title."""
    from fac_eval.data.xlsx_guard import _read_member, _sheet_titles

    listed = {}
    for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        try:
            listed[name] = _read_member(zf, zf.getinfo(name))
        except KeyError:
            pass
    return _sheet_titles(listed)


def _sheet_xml(zf: zipfile.ZipFile) -> list[tuple[str, str, bytes]]:
    """``(part, title, XML)`` of every sheet, each read once."""
    from fac_eval.data.xlsx_guard import _read_member

    out = []
    for part, title in _sheet_parts(zf).items():
        try:
            out.append((part, title, _read_member(zf, zf.getinfo(part))))
        except KeyError:
            continue
    return out


def _drawn_on(zf: zipfile.ZipFile) -> dict[str, str]:
    """Drawing or chart part -> the title of the sheet it is drawn on (when it can be told)."""
    out: dict[str, str] = {}
    for sheet_part, title in _sheet_parts(zf).items():
        for drawing in _targets(zf, sheet_part):
            out.setdefault(drawing, title)
            for chart in _targets(zf, drawing):
                out.setdefault(chart, title)
    return out


#: The document properties openpyxl does not read (``docProps/app.xml``: company, manager…;
#: ``docProps/custom.xml``: properties the user named), and the lists of parts and sheet names
#: that the first also holds (the sheets' names are judged as such).
_PROPERTY_PARTS = ("docProps/app.xml", "docProps/custom.xml")
_NOT_PROPERTIES = ("HeadingPairs", "TitlesOfParts")


def _property_part_problems(zf: zipfile.ZipFile, file: str, found: Finder,
                            names: list[str]) -> list[Problem]:
    from fac_eval.data.xlsx_guard import _read_member

    out: list[Problem] = []
    for part in _PROPERTY_PARTS:
        try:
            root = _fromstring()(_read_member(zf, zf.getinfo(part)))
        except Exception:  # absent, or not XML: no property Excel would show
            continue
        for el in root:
            kind = _local(el.tag)
            if kind in _NOT_PROPERTIES:
                continue
            name = el.get("name", "") if kind == "property" else kind
            hit = [f for t in [name, *el.itertext()] for f in found(t)]
            if hit:
                out.append(_problem(file, hit, both(N_(
                    "no personal data in the workbook's properties (File > Info > Properties), "
                    "property %(name)s: delete it there"), name=_masked(name, names))))
    return out


#: A cell's formula, first in the cell (``<c r="B2"><f>…</f>``), and its text.
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\br=\"([A-Z]{1,3}\d+)\"[^>]*>\s*"
                      rb"<(?:[A-Za-z_][\w.-]*:)?f\b[^>]*>([^<]*)<")


def _formula_problems(sheet_xml, file: str, found: Finder, labels,
                      parts: set[str] | None) -> list[Problem]:
    """The formulas of every sheet (of ``parts`` only, the sheet parts holding formulas, when
    known), read from its XML (the workbook is read with the values they computed: a formula
    quoting a name and computing nothing holds it unread)."""
    import html

    out: list[Problem] = []
    for part, title, xml in sheet_xml:
        if parts is not None and part not in parts:
            continue
        for m in _FORMULA.finditer(xml):
            hit = found(html.unescape(m.group(2).decode("utf-8", "replace")))
            if hit:
                out.append(_problem(file, hit, EXPECTED["formula"],
                                    sheet=labels.get(title, title),
                                    cell=m.group(1).decode("ascii")))
    return out


def _drawing_problems(zf: zipfile.ZipFile, file: str, found: Finder, labels) -> list[Problem]:
    """The texts of the charts and drawings, read from the zip."""
    from fac_eval.data.xlsx_guard import _read_member

    out: list[Problem] = []
    parts = sorted(i.filename for i in zf.infolist() if _PART.fullmatch(i.filename))
    drawn = _drawn_on(zf) if parts else {}
    for part in parts:
        try:
            texts = drawing_texts(_read_member(zf, zf.getinfo(part)))
        except Exception:  # a part that does not parse: Excel would not show it either
            continue
        hit = [f for t in texts for f in found(t)]
        if hit:
            title = drawn.get(part)
            out.append(_problem(
                file, hit, EXPECTED["drawing"], sheet=labels.get(title, title),
                place=lambda lang, part=part: tr(lang, N_("part %(part)s of the workbook"),
                                                 part=part)))
    return out


def outside_problems(wb, data: bytes, sheets, data_sheet, file: str, names: list[str],
                     letter, formulas: set[str] | None = None) -> list[Problem]:
    """Personal data outside the data sheet's cells (see the module). ``sheets``: ``(ws, grid)``
    of every worksheet; ``data_sheet``: the one that is read; ``names``: the names file's
    names; ``letter``: column number -> letters; ``formulas``: the sheet parts holding formulas
    (:attr:`fac_eval.data.xlsx_guard.XlsxScan.formulas`; None: look in every sheet)."""
    found = _finder(names)
    every = list(getattr(wb, "_sheets", None) or [ws for ws, _ in sheets])  # chart sheets too
    labels = sheet_labels([s.title for s in every], names)
    others = [(ws, grid) for ws, grid in sheets if ws is not data_sheet]
    worksheets = [ws for ws, _ in sheets]
    with zipfile.ZipFile(_stdio.BytesIO(data)) as zf:  # what openpyxl drops or reads amiss
        sheet_xml = _sheet_xml(zf)
        return (_title_problems(every, file, found, labels)
                + _other_sheet_problems(others, file, found, labels, letter)
                + _formula_problems(sheet_xml, file, found, labels, formulas)
                + _header_problems(sheet_xml, file, found, labels)
                + _validation_problems(sheet_xml, file, found, labels)
                + _name_problems(wb, worksheets, file, found, labels, names)
                + _property_part_problems(zf, file, found, names)
                + _drawing_problems(zf, file, found, labels))
