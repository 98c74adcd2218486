"""What a workbook holds that nobody sees on screen, besides hidden rows, columns and sheets.

Each is a problem naming the file, the sheet and the cell (or the property):

- ``invisible_text``: a cell whose text cannot be seen, because
  - its font colour is its fill colour, or so close to it that the eye cannot tell them apart
    (contrast ratio under :data:`MIN_CONTRAST`: ``FFFEFEFE`` or ``FFF8F8F8`` on white), theme
    colours with a tint included;
  - its number format displays nothing for its value (``;;;``, ``""``, ``;;;@``-like sections
    holding only spaces, padding or empty strings) or paints it in a colour of the fill
    (``[White]``, ``[Color2]``);
  - its font is smaller than :data:`MIN_FONT_SIZE` points;
  - a conditional formatting rule of its range paints text in a colour of the fill or gives it
    a format displaying nothing (the rule's condition is not evaluated: it may apply at any time);
  - one run of its rich text (a part of the text with a font of its own) is of the colour of the
    fill or smaller than :data:`MIN_FONT_SIZE` (:func:`run_reason`); the text is then not quoted;
- ``disguised_value``: a cell whose number format draws something else than its value
  (:func:`format_misleads`: digits typed into the format, no digit placeholder, a scaling);
- ``hidden_sheet``: a hidden (or very hidden) sheet holding content that is not the data-entry
  templates' drop-down lists (the codebook's item names and answer labels);
- ``direct_identifier``: a document property (title, subject, author, keywords, description,
  last modified by, category…) in which the one detector of personal data
  (:func:`fac_eval.disclosure.pii.find_pii`, with the names file's names) finds something. The
  properties are never published, but a workbook holding a learner's name in its author field
  is not pseudonymised.
"""

from __future__ import annotations

import colorsys
import re
from functools import cache
from typing import Any

from fac_eval.core.i18n import N_
from fac_eval.data.validation_problems import Problem, both, problem

__all__ = ["MIN_CONTRAST", "MIN_FONT_SIZE", "style_judge", "unseen_problems",
           "format_shows_nothing", "format_misleads", "contrast", "rich_cells", "run_reason"]

#: Below this contrast ratio (WCAG: 1 = same colour, 21 = black on white) text is not seen.
MIN_CONTRAST = 1.25
#: A font smaller than this (points) is not read on screen at 100 % zoom.
MIN_FONT_SIZE = 4.0

#: The colours of a workbook's default theme that a font or a fill refers to by number.
_THEME = {0: "FFFFFF", 1: "000000", 2: "E7E6E6", 3: "44546A", 4: "4472C4", 5: "ED7D31",
          6: "A5A5A5", 7: "FFC000", 8: "5B9BD5", 9: "70AD47"}
#: Colour names of number formats (``[White]``, ``[Color2]``: the first palette colours).
_FORMAT_COLOURS = {"black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "00FF00",
                   "blue": "0000FF", "yellow": "FFFF00", "magenta": "FF00FF", "cyan": "00FFFF"}


def _tinted(rgb: str, tint: float) -> str:
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    lum = lum * (1 + tint) if tint < 0 else lum * (1 - tint) + tint
    r, g, b = colorsys.hls_to_rgb(h, min(1.0, max(0.0, lum)), s)
    return "".join(f"{round(x * 255):02X}" for x in (r, g, b))


def colour(color, default: str | None) -> str | None:
    """An openpyxl colour as ``RRGGBB`` (``default`` when none is set), or None when it cannot
    be told (an unknown index)."""
    if color is None:
        return default
    kind = getattr(color, "type", None)
    if kind == "rgb" and isinstance(color.rgb, str):
        rgb = color.rgb.upper()
        return rgb[-6:] if len(rgb) in (6, 8) else None
    if kind == "indexed":
        from openpyxl.styles.colors import COLOR_INDEX

        i = color.indexed
        if i == 64:  # "system foreground": automatic
            return default
        return COLOR_INDEX[i][-6:].upper() if 0 <= i < len(COLOR_INDEX) else None
    if kind == "theme":
        base = _THEME.get(color.theme)
        tint = float(getattr(color, "tint", 0) or 0)
        return _tinted(base, tint) if base and tint else base
    if kind == "auto":
        return default
    return None


def _luminance(rgb: str) -> float:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(int(rgb[i:i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two ``RRGGBB`` colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def background(fill) -> str | None:
    """The colour a cell's text is drawn on (white without fill), None for a pattern or a
    gradient (two colours: something shows)."""
    if fill is not None and not hasattr(fill, "patternType"):
        return None
    pattern = getattr(fill, "patternType", None) if fill is not None else None
    if pattern in (None, "none"):
        return "FFFFFF"
    if pattern == "solid":
        return colour(fill.fgColor, "FFFFFF")
    return None


def _unseen_on(text: str | None, back: str | None) -> bool:
    return text is not None and back is not None and (
        text == back or contrast(text, back) < MIN_CONTRAST)


# ---- number formats ----------------------------------------------------------------------

_QUOTED = re.compile(r'"([^"]*)"')


def _sections(code: str) -> list[str]:
    """The ``;``-separated sections of a number format (``;`` inside quotes or after ``\\``
    is text)."""
    out, cur, quoted, i = [], [], False, 0
    while i < len(code):
        ch = code[i]
        if ch == "\\" and i + 1 < len(code):
            cur.append(code[i:i + 2])
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


def _section_colour(section: str) -> str | None:
    for token in re.findall(r"\[([^\]]*)\]", section):
        t = token.strip().lower()
        if t in _FORMAT_COLOURS:
            return _FORMAT_COLOURS[t]
        m = re.fullmatch(r"color\s*(\d+)", t)
        if m:
            from openpyxl.styles.colors import COLOR_INDEX

            i = int(m.group(1)) + 7  # [Color1] is the palette's first colour, index 8
            return COLOR_INDEX[i][-6:].upper() if 0 <= i < len(COLOR_INDEX) else None
    return None


def _shows_nothing(section: str, value: Any) -> bool:
    s = re.sub(r"\[[^\]]*\]", "", section)            # colours, conditions, locales
    s = _QUOTED.sub(lambda m: m.group(1), s)           # quoted text shows as itself
    s = re.sub(r"_.", "", s)                           # padding of one character's width
    s = re.sub(r"\*(.)", lambda m: "" if m.group(1).isspace() else m.group(1), s)  # fill
    s = s.replace("\\", "")
    if not s.strip():
        return True
    # digit placeholders that show nothing for 0 ("#", "#,##", "?")
    return value == 0 and not isinstance(value, bool) and not re.sub(r"[#?,.\s]", "", s)


def _section_for(sections: list[str], value: Any) -> str | None:
    """The section of a format that draws ``value`` (None: the value is drawn as typed)."""
    if isinstance(value, str) or isinstance(value, bool):
        if len(sections) >= 4:
            return sections[3]
        text = [s for s in sections if "@" in s]
        if text:
            return text[0]
        # ";;;" hides text as well; with a visible number section, text shows as typed
        return sections[0] if len(sections) > 1 and all(
            _shows_nothing(s, None) for s in sections) else None
    if isinstance(value, (int, float)):
        if value < 0 and len(sections) >= 2:
            return sections[1]
        if value == 0 and len(sections) >= 3:
            return sections[2]
    return sections[0]


def format_shows_nothing(code: str | None, value: Any, back: str | None = "FFFFFF") -> bool:
    """Whether number format ``code`` draws ``value`` as nothing, or in a colour of ``back``."""
    if not code or code == "General":
        return False
    section = _section_for(_sections(code), value)
    if section is None:
        return False
    if _shows_nothing(section, value):
        return True
    return _unseen_on(_section_colour(section), back)


def format_misleads(code: str | None, value: Any) -> bool:
    """Whether number format ``code`` draws ``value`` as something else than the value: digits
    typed into the format as text (``0"4"`` draws 1 as "14", ``\\1 0``), a section with no
    digit placeholder for a number (``"14"`` draws 99 as "14"; ``"oui"``), a thousands scaling
    (``0,`` draws 1500 as "2"), or a text section that replaces the text (``;;;"A01"``). The
    reader reads the value; whoever checks the sheet on screen sees another one."""
    if not code or code == "General":
        return False
    section = _section_for(_sections(code), value)
    if section is None:
        return False
    s = re.sub(r"\[[^\]]*\]", "", section)  # colours, conditions, locales
    literal = "".join(_QUOTED.findall(s)) + "".join(re.findall(r"\\(.)", s))
    digits = re.sub(r"\D", "", literal)
    bare = re.sub(r"_.|\*.|\\.", "", _QUOTED.sub("", s))  # padding, fill, escaped characters
    if isinstance(value, str) or isinstance(value, bool):
        # the text replaced by another, or digits drawn beside it
        return ("@" not in bare and bool(literal.strip())) or bool(digits)
    if not isinstance(value, (int, float)):
        return False
    if not re.search(r"[0#?]|general", bare, re.I):  # no placeholder: the text is all it draws
        # other digits than the value's ("14" for 99); words ("oui", "zéro") are not judged
        return bool(digits) and digits != re.sub(r"\D", "", f"{value:g}")
    if digits:  # digits drawn as text beside the value (0"4" draws 1 as "14")
        return True
    return bool(re.search(r"[0#?],+(?![0#?])", bare))  # 0, or #,##0,, scales it down


# ---- one cell -----------------------------------------------------------------------------

def style_judge(wb):
    """A function ``(cell, by_font=True) -> reason or None``: why the cell's value cannot be
    seen (``colour``, ``format``, ``size``, or ``disguise`` for a format showing another value),
    judged from its style (cached per style: a sheet holds few); ``by_font=False`` leaves out
    the font's colour and size (a rich text's runs are judged by :func:`run_reason`)."""
    fonts, fills = getattr(wb, "_fonts", []), getattr(wb, "_fills", [])
    cached: dict[tuple[int, int, int], tuple[str | None, str | None, str | None]] = {}

    def judge(cell, by_font: bool = True) -> str | None:
        style = getattr(cell, "_style", None)
        key = (style.fontId, style.fillId, style.numFmtId) if style is not None else (0, 0, 0)
        verdict = cached.get(key)
        if verdict is None:
            font = fonts[key[0]] if key[0] < len(fonts) else None
            fill = fills[key[1]] if key[1] < len(fills) else None
            back = background(fill)
            text = colour(getattr(font, "color", None), "000000")
            fixed = ("colour" if _unseen_on(text, back) else
                     "size" if font is not None and font.sz is not None
                     and float(font.sz) < MIN_FONT_SIZE else None)
            code = cell.number_format
            verdict = (fixed, code if code and code != "General" else None, back)
            cached[key] = verdict
        fixed, code, back = verdict
        if fixed and by_font:
            return fixed
        if code and format_shows_nothing(code, cell.value, back):
            return "format"
        if code and format_misleads(code, cell.value):
            return "disguise"
        return None

    return judge


EXPECTED = {
    "colour": N_("text that can be seen: its font colour is the colour of its fill (white on "
                 "white) or too close to it; give it a visible colour and check it, or delete it"),
    "format": N_("text that can be seen: its number format displays nothing (such as ;;; or "
                 "\"\") or paints it in the colour of its fill; set the format to Standard "
                 "(General) and check it, or delete it"),
    "disguise": N_("a cell that shows its own value: its number format displays other digits "
                   "or another text (such as 0\"4\", \"14\" or 0,); set the format to Standard "
                   "(General) and check the value, or delete it"),
    "size": N_("text that can be seen: its font is smaller than 4 points; give it a readable "
               "size and check it, or delete it"),
    "run": N_("text that can be seen: part of the cell's text has a font of its own, of the "
              "colour of its fill or too close to it, or smaller than 4 points; give the whole "
              "cell one visible font and size and check it, or delete it"),
    "rule": N_("text that can be seen: a conditional formatting rule paints it in the colour "
               "of its fill or with a format displaying nothing or another value; remove the "
               "rule (Home > Conditional Formatting > Clear Rules) and check the cells"),
}


#: What a hidden run of a rich text is (the note of its problem).
RUN_NOTES = {"colour": N_("part of the text in the colour of its fill"),
             "size": N_("part of the text smaller than 4 points"),
             "apart": N_("part of the text written apart from its runs, which programs do not "
                         "all show")}


def conditional_problems(ws, grid, file: str, col_name, letter) -> list[Problem]:
    """A conditional formatting rule that can hide text, once per range holding values."""
    from openpyxl.utils.cell import range_boundaries

    out: list[Problem] = []
    fills = getattr(ws.parent, "_fills", [])
    for cf in getattr(ws, "conditional_formatting", []):
        for rule in cf.rules:
            dxf = getattr(rule, "dxf", None)
            if dxf is None:
                continue
            font_colour = colour(getattr(dxf.font, "color", None), None) if dxf.font else None
            code = getattr(dxf.numFmt, "formatCode", None) if dxf.numFmt else None
            rule_back = background(dxf.fill) if dxf.fill is not None and \
                getattr(dxf.fill, "patternType", None) == "solid" else None
            for rng in str(cf.sqref).split():
                try:
                    c0, r0, c1, r1 = range_boundaries(rng)
                except ValueError:
                    continue
                hit = next(((r, c) for r in sorted(grid) if r0 <= r <= r1
                            for c in sorted(grid[r]) if c0 <= c <= c1
                            and _rule_hides(ws, r, c, grid[r][c], font_colour, code, rule_back,
                                            fills)), None)
                if hit is None:
                    continue
                r, c = hit
                out.append(problem(file, r, col_name(r, c), None, "invisible_text",
                                   both(EXPECTED["rule"]), sheet=ws.title,
                                   cell=f"{letter(c)}{r}",
                                   note=both(N_("conditional formatting of %(range)s"),
                                             range=rng)))
    return out


def _rule_hides(ws, r, c, value, font_colour, code, rule_back, fills) -> bool:
    cell = ws._cells.get((r, c)) if hasattr(ws, "_cells") else None
    style = getattr(cell, "_style", None)
    back = rule_back or background(fills[style.fillId] if style is not None
                                   and style.fillId < len(fills) else None)
    if _unseen_on(font_colour, back):
        return True
    return bool(code) and (format_shows_nothing(code, value, back)
                           or format_misleads(code, value))


# ---- hidden sheets and document properties ---------------------------------------------

@cache
def _list_words() -> frozenset[str]:
    """What the templates' hidden lists sheet holds: item names and answer labels and codes."""
    from fac_eval.data import codebook as cb
    from fac_eval.data.reading_cells import normalize_text

    words = set()
    for inst in cb.INSTRUMENTS.values():
        for item in inst.items:
            words.add(normalize_text(item.name))
            for ch in item.choices or ():
                words |= {normalize_text(str(x)) for x in (ch.code, ch.label_fr, ch.label_en)}
    return frozenset(words)


def hidden_sheet_problems(sheets, file: str) -> list[Problem]:
    """Hidden sheets holding content other than the templates' drop-down lists (a data-looking
    hidden sheet is reported by the reader itself). ``sheets``: ``(ws, grid, candidate)``."""
    from fac_eval.data.reading_cells import normalize_text
    from fac_eval.data.xlsx_reader import cell_text

    out: list[Problem] = []
    allowed = _list_words()
    for ws, grid, candidate in sheets:
        if candidate or getattr(ws, "sheet_state", "visible") == "visible" or not grid:
            continue
        other = next(((r, c) for r in sorted(grid) for c in sorted(grid[r])
                      if normalize_text(cell_text(grid[r][c])) not in allowed), None)
        if other is None:
            continue
        from fac_eval.data.xlsx_reader import _letter

        r, c = other
        out.append(problem(
            file, None, None, None, "hidden_sheet",
            both(N_("no hidden sheet holding content: unhide it (right-click a tab > Unhide), "
                    "check what it holds, then delete it or move it to a visible sheet")),
            sheet=ws.title, cell=f"{_letter(c)}{r}",
            note=(both(N_("very hidden sheet")) if ws.sheet_state == "veryHidden"
                  else ("", ""))))
    return out


#: Document properties a user or Excel writes (core and extended properties).
PROPERTIES = ("title", "subject", "creator", "keywords", "description", "lastModifiedBy",
              "category", "contentStatus", "identifier", "language", "version")


def property_problems(wb, file: str, names: list[str]) -> list[Problem]:
    """Personal data in the workbook's document properties (see the module)."""
    from fac_eval.disclosure import pii

    out: list[Problem] = []
    props = getattr(wb, "properties", None)
    if props is None:
        return out
    from fac_eval.data.validation_identifiers import _FOUND_MASKED, _kinds

    for name in PROPERTIES:
        text = getattr(props, name, None)
        if not isinstance(text, str) or not text.strip():
            continue
        found = pii.find_pii(text, (), names)
        if found:
            out.append(problem(
                file, None, None, ", ".join(pii.mask(f.text) for f in found),
                "direct_identifier",
                both(N_("no personal data in the workbook's properties (File > Info > "
                        "Properties), property %(name)s: delete it there"), name=name),
                note=both(_FOUND_MASKED, what=_kinds(
                    list(dict.fromkeys(f.kind for f in found))))))
    return out


# ---- rich text ---------------------------------------------------------------------------

def rich_cells(data: bytes, title: str, grid) -> dict[tuple[int, int], Any]:
    """``{(row, column): runs}`` of the cells of sheet ``title`` whose text is rich text with a
    run of its own font (openpyxl's ``CellRichText``, a list of strings and ``TextBlock``).

    The workbook is read a second time with openpyxl's ``rich_text``, for the runs' fonts only:
    the values read stay those of the plain reading, ``grid`` (``{row: {column: value}}``). A
    text holding both a plain part and runs (``<si><t>A0</t><r>…</r></si>``) is read whole by
    the plain reading and as its plain part alone with ``rich_text``: such a cell's runs are
    ``None`` (their fonts cannot be judged). Empty when the workbook cannot be read so."""
    import io
    import warnings

    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True,
                                        rich_text=True)
    except Exception:  # pragma: no cover - it opened a moment ago
        return {}
    try:
        if title not in wb.sheetnames:  # pragma: no cover - the same workbook
            return {}
        out: dict[tuple[int, int], Any] = {}
        for (r, c), cell in getattr(wb[title], "_cells", {}).items():
            value, plain = cell.value, grid.get(r, {}).get(c)
            if isinstance(value, (str, CellRichText)) and isinstance(plain, str) \
                    and str(value) != plain:
                out[(r, c)] = None
            elif isinstance(value, CellRichText) and \
                    any(isinstance(part, TextBlock) for part in value):
                out[(r, c)] = value
        return out
    finally:
        wb.close()


def run_reason(cell, runs, wb) -> str | None:
    """Why a run of a rich text cannot be seen (``colour``, ``size``; ``apart`` when ``runs``
    is None, see :func:`rich_cells`), None when every run can.

    A run's font takes what it does not set (its colour, its size) from the cell's font, as a
    run without a font of its own does; it is drawn on the cell's fill."""
    if runs is None:
        return "apart"
    fonts, fills = getattr(wb, "_fonts", []), getattr(wb, "_fills", [])
    style = getattr(cell, "_style", None)
    font = fonts[style.fontId] if style is not None and style.fontId < len(fonts) else None
    fill = fills[style.fillId] if style is not None and style.fillId < len(fills) else None
    back = background(fill)
    base_colour = colour(getattr(font, "color", None), "000000")
    base_size = getattr(font, "sz", None)
    for part in runs:
        if not str(part).strip():
            continue
        own = getattr(part, "font", None)
        text = colour(getattr(own, "color", None), base_colour)
        size = getattr(own, "sz", None)
        size = base_size if size is None else size
        if _unseen_on(text, back):
            return "colour"
        if size is not None and float(size) < MIN_FONT_SIZE:
            return "size"
    return None


def unseen_problems(ws, grid, file: str, col_name, letter,
                    runs: dict[tuple[int, int], Any] | None = None) -> list[Problem]:
    """Cells of ``ws`` whose value cannot be seen (colour, format, size) and the conditional
    formatting that can hide them. ``grid``: ``{row: {column: value}}`` of the cells holding a
    value; ``runs``: the rich text cells (:func:`rich_cells`), whose runs are judged instead of
    the cell's font (a hidden run's text is not quoted)."""
    from fac_eval.data.xlsx_reader import cell_text

    judge = style_judge(ws.parent)
    cells = getattr(ws, "_cells", {})
    runs = runs or {}
    out: list[Problem] = []
    for r in sorted(grid):
        for c in sorted(grid[r]):
            value = grid[r][c]
            if isinstance(value, str) and not value.strip():
                continue
            cell = cells.get((r, c))
            if cell is not None and (r, c) in runs:
                hidden = run_reason(cell, runs[(r, c)], ws.parent)
                if hidden:
                    out.append(problem(file, r, col_name(r, c), None, "invisible_text",
                                       both(EXPECTED["run"]), sheet=ws.title,
                                       cell=f"{letter(c)}{r}", note=both(RUN_NOTES[hidden])))
                    continue
                reason = judge(cell, by_font=False)
            else:
                reason = judge(cell) if cell is not None else None
            if reason:
                out.append(problem(file, r, col_name(r, c), cell_text(value),
                                   "disguised_value" if reason == "disguise" else "invisible_text",
                                   both(EXPECTED[reason]), sheet=ws.title,
                                   cell=f"{letter(c)}{r}"))
    return out + conditional_problems(ws, grid, file, col_name, letter)
