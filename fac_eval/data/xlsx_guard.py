"""A guard run on an XLSX workbook *before* openpyxl opens it (zip bombs, huge sheets).

An XLSX file is a zip of XML parts. A few kilobytes can unzip to gigabytes (a "zip bomb"), and a
sheet holding one cell in ``A1`` and one in ``XFD1048576`` makes any reader walk seventeen
billion cells. :func:`scan_workbook` checks, in this order, and stops at the first limit crossed:

1. the zip directory: number of parts (:data:`fac_eval.data.limits.MAX_XLSX_MEMBERS`) and their total
   uncompressed size as declared (:data:`fac_eval.data.limits.MAX_XLSX_UNCOMPRESSED`), without
   decompressing anything. A directory that lies is caught too: Python's zip reader never
   returns more bytes than declared and fails on the CRC;
2. each XML part, decompressed in memory (bounded by 1.): no DTD or entity declaration
   (``<!DOCTYPE``, ``<!ENTITY``: an XLSX never has one; entities are the XML "billion laughs");
3. each worksheet's XML: number of rows (:data:`fac_eval.data.limits.MAX_ROWS`), of cells over all
   sheets (:data:`fac_eval.data.limits.MAX_XLSX_CELLS`), counted from the tags with ``bytes.count``
   (fast, before any parsing), then the extent of the cells holding a value (last row, last
   column) against :data:`fac_eval.data.limits.MAX_XLSX_GRID`.

4. every cell that points into the shared texts (``t="s"``) points to one that exists (an index
   past the end of ``xl/sharedStrings.xml`` would make openpyxl fail with no cell named): the
   problem names the sheet and the cell.

It also tells which sheets hold formulas (``<f>`` elements), so that the reader looks for
formulas without a cached value only there, and whether any text is rich text whose runs carry
a font of their own (``<rPr>`` in the shared texts or in a sheet's inline texts), so that the
reader looks at those runs' fonts only then.
"""

from __future__ import annotations

import html
import io as _stdio
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from fac_eval.core.i18n import N_, NP_
from fac_eval.data import limits
from fac_eval.data.validation_problems import Problem, both, both_plural, fmt_number, problem

__all__ = ["XlsxScan", "scan_workbook", "column_index"]

_PREFIX = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")
#: A cell followed by its value: (attributes, value); the cells typed ``t="s"`` hold an index
#: into the shared texts.
_VALUED_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b([^>]*)>\s*<(?:[A-Za-z_][\w.-]*:)?v>\s*"
                          rb"(\d+)\s*</")
_SHARED_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")
_SHEET_ENTRY = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\b[^>]*>")
_REL_ENTRY = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\b[^>]*>")
#: The font of a rich text's run, in the shared texts (``<sst>``) or a sheet's inline texts.
_TEXTS = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:sst|worksheet)[\s>]")
_RUN_FONT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?rPr[\s>/]")


@dataclass
class XlsxScan:
    """What :func:`scan_workbook` found: refusals (``problems``), the sheet parts holding
    formulas (``formulas``, zip member names such as ``xl/worksheets/sheet1.xml``) and whether
    a text has runs with their own font (``rich_text``)."""

    problems: list[Problem] = field(default_factory=list)
    formulas: set[str] = field(default_factory=set)
    rich_text: bool = False


def column_index(letters: str) -> int:
    """``A`` -> 1, ``Z`` -> 26, ``AA`` -> 27, ``XFD`` -> 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def _unreadable(file: str, expected: tuple[str, str]) -> Problem:
    return problem(file, None, None, None, "unreadable_file", expected)


def _too_big(file: str, expected: tuple[str, str], note: tuple[str, str]) -> Problem:
    return problem(file, None, None, None, "too_large", expected, note=note)


def _number(x):
    """``x`` written for each language (a value for :func:`both`)."""
    return lambda lang: fmt_number(x, lang)


def _bytes(n):
    """``n`` bytes written for each language (a value for :func:`both`)."""
    return lambda lang: limits.fmt_bytes(n, lang)


def scan_workbook(data: bytes, file: str) -> XlsxScan:
    """Check the zip bytes of an XLSX workbook against the limits (see the module docstring)."""
    out = XlsxScan()
    try:
        zf = zipfile.ZipFile(_stdio.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as err:
        out.problems.append(_unreadable(
            file, both(N_("a valid Excel XLSX workbook (%(error)s)"), error=type(err).__name__)))
        return out
    if len(infos) > limits.MAX_XLSX_MEMBERS:
        out.problems.append(_too_big(
            file, both(N_("a workbook of at most %(max)s parts"),
                       max=_number(limits.MAX_XLSX_MEMBERS)),
            both_plural(NP_("%(num)s zip part", "%(num)s zip parts"), len(infos),
                        num=_number(len(infos)))))
        return out
    total = sum(max(0, i.file_size) for i in infos)
    if total > limits.MAX_XLSX_UNCOMPRESSED:
        out.problems.append(_too_big(
            file,
            both(N_("a workbook of at most %(max)s once unzipped (save the data as CSV)"),
                 max=_bytes(limits.MAX_XLSX_UNCOMPRESSED)),
            both(N_("%(size)s once unzipped"), size=_bytes(total))))
        return out

    cells_total = 0
    shared_items: int | None = None  # no xl/sharedStrings.xml: no shared text
    shared_refs: dict[str, tuple[str, int]] = {}  # sheet part -> its furthest shared text
    listed: dict[str, bytes] = {}  # xl/workbook.xml and its relationships, to name the sheets
    for info in infos:
        name = info.filename
        if not name.lower().endswith((".xml", ".rels", ".vml")):
            continue
        try:
            part = _read_member(zf, info)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError,
                OSError) as err:
            out.problems.append(_unreadable(
                file, both(N_("a valid Excel XLSX workbook (%(error)s in %(part)s)"),
                           error=type(err).__name__, part=name)))
            return out
        if b"<!DOCTYPE" in part or b"<!ENTITY" in part:
            out.problems.append(_unreadable(
                file, both(N_("an Excel XLSX workbook without XML DTD or entity declarations "
                              "(%(part)s)"), part=name)))
            return out
        if name == "xl/sharedStrings.xml":
            shared_items = len(_SHARED_ITEM.findall(part))
        if not out.rich_text and _RUN_FONT.search(part) and _TEXTS.search(part):
            out.rich_text = True  # the shared texts or a sheet, wherever the workbook puts them
        if name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            listed[name] = part
        if not name.startswith("xl/worksheets/") or name.count("/") != 2:
            continue
        shared_refs[name] = _largest_shared_index(part)
        m = _PREFIX.search(part, 0, 4096)
        prefix = (m.group(1) + b":") if m and m.group(1) else b""
        rows = part.count(b"<" + prefix + b"row ") + part.count(b"<" + prefix + b"row>")
        cells = (part.count(b"<" + prefix + b"c ") + part.count(b"<" + prefix + b"c>"))
        cells_total += cells
        if rows > limits.MAX_ROWS:
            p = limits.rows_problem(file, rows)
            out.problems.append(p)
            return out
        if cells_total > limits.MAX_XLSX_CELLS:
            out.problems.append(_too_big(
                file,
                both(N_("a workbook of at most %(max)s cells (save the data as CSV)"),
                     max=_number(limits.MAX_XLSX_CELLS)),
                both_plural(NP_("more than %(num)s cell", "more than %(num)s cells"), cells_total,
                            num=_number(cells_total))))
            return out
        # extent of the cells holding something (not the self-closing, style-only ones)
        cell_rx = re.compile(rb"<" + re.escape(prefix) + rb"c\b[^>]*?\br=\"([A-Z]{1,3})(\d+)\"[^>]*?(/?)>")
        last_row = last_col = 0
        for cm in cell_rx.finditer(part):
            if cm.group(3):
                continue
            r = int(cm.group(2))
            c = column_index(cm.group(1).decode("ascii"))
            if r > last_row:
                last_row = r
            if c > last_col:
                last_col = c
        if last_row > limits.MAX_ROWS + 1 or last_row * last_col > limits.MAX_XLSX_GRID:
            ref = f"{_letters(last_col)}{last_row}"
            out.problems.append(_too_big(
                file,
                both(N_("a sheet of at most %(max)s cells between A1 and its last filled cell, "
                        "on at most %(rows)s rows (delete far or empty rows and columns)"),
                     max=_number(limits.MAX_XLSX_GRID), rows=_number(limits.MAX_ROWS)),
                both(N_("last filled cell: %(cell)s"), cell=ref)))
            return out
        if last_col > limits.MAX_COLUMNS:
            out.problems.append(limits.columns_problem(file, last_col))
            return out
        fx = re.compile(rb"<" + re.escape(prefix) + rb"f[\s>/]")
        if fx.search(part):
            out.formulas.add(name)
    past = [(sheet, ref) for sheet, ref in shared_refs.items() if ref[1] >= (shared_items or 0)]
    if past:
        sheet_part, (cell, index) = past[0]
        out.problems.append(problem(
            file, None, None, None, "unreadable_file",
            both(N_("a valid Excel XLSX workbook: every cell's text in the workbook's shared "
                    "texts (open the file in Excel or LibreOffice and save it again)")),
            sheet=_sheet_titles(listed).get(sheet_part, sheet_part), cell=cell,
            note=both(N_("the cell points to shared text number %(index)s, the workbook has "
                         "%(num)s"), index=_number(index + 1), num=_number(shared_items or 0))))
    return out


def _largest_shared_index(part: bytes) -> tuple[str, int]:
    """(cell, index) of the cell of a sheet's XML pointing furthest into the shared texts
    (``("", -1)`` when none does)."""
    best = ("", -1)
    for m in _VALUED_CELL.finditer(part):
        attrs = m.group(1)
        if re.search(rb"\bt\s*=\s*[\"']s[\"']", attrs) and int(m.group(2)) > best[1]:
            ref = re.search(rb"\br\s*=\s*[\"']([A-Z]{1,3}\d+)[\"']", attrs)
            best = (ref.group(1).decode("ascii") if ref else "", int(m.group(2)))
    return best


def _sheet_titles(listed: dict[str, bytes]) -> dict[str, str]:
    """Sheet part (``xl/worksheets/sheet1.xml``) -> the sheet's title, from the workbook's list
    of sheets and its relationships (empty when they cannot be read)."""
    def attr(tag: bytes, key: bytes) -> str | None:
        m = re.search(rb"(?:^|\s)(?:[\w.-]+:)?" + key + rb"\s*=\s*[\"']([^\"']*)[\"']", tag)
        return m.group(1).decode("utf-8", "replace") if m else None

    targets = {}
    for tag in _REL_ENTRY.findall(listed.get("xl/_rels/workbook.xml.rels", b"")):
        rid, target = attr(tag, b"Id"), attr(tag, b"Target")
        if rid and target:
            targets[rid] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    titles = {}
    for tag in _SHEET_ENTRY.findall(listed.get("xl/workbook.xml", b"")):
        title, rid = attr(tag, b"name"), attr(tag, b"id")
        if title and rid in targets:
            titles[targets[rid]] = html.unescape(title)
    return titles


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, chunk: int = 1024 * 1024) -> bytes:
    """A member's bytes, decompressed a megabyte at a time (``ZipFile.read`` asks zlib for up to
    a gigabyte in one call before cutting to the declared size), failing on a bad CRC."""
    parts = []
    with zf.open(info) as f:
        while True:
            block = f.read(chunk)
            if not block:
                break
            parts.append(block)
    return b"".join(parts)


def _letters(j: int) -> str:
    s = ""
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s or "A"
