"""Content of an XLSX sheet that the reader does not read or the user does not see.

:func:`hidden_content_problems` reports, each naming the file, the sheet and the cell:

- ``cell_comment``: a comment (or note) on a cell: the reader reads cells, not comments, so what
  a comment says is lost, and it may hold what a cell must not (a name). Its text is not quoted.
  Its author (the name Excel writes there) and its text go through the one detector of personal
  data (:func:`fac_eval.disclosure.pii.find_pii`, with the names of the names file): what it
  finds is a ``direct_identifier`` problem with the value masked;
- ``cell_hyperlink``: a cell with a link: the reader reads the text shown, not the link's target
  (``mailto:…``, a profile's address); the target is shown masked by the detector;
- ``invisible_text``: a cell whose font colour is its fill colour (white on white; a cell
  without fill shows the sheet's white): what it holds is read although nobody sees it.

These are found on the data sheet, header and title rows included.
"""

from __future__ import annotations

from typing import Any

from fac_eval.core.i18n import N_
from fac_eval.data.validation_problems import Problem, both, problem

__all__ = ["hidden_content_problems"]

#: The colours of a workbook's default theme that a font or a fill refers to by number.
_THEME = {0: "FFFFFF", 1: "000000", 2: "E7E6E6", 3: "44546A"}


def _colour(color, default: str | None) -> str | None:
    """An openpyxl colour as ``RRGGBB`` (``default`` when none is set), or None when it
    cannot be told (a theme colour with a tint, an unknown index)."""
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
    if kind == "theme" and not getattr(color, "tint", 0):
        return _THEME.get(color.theme)
    if kind == "auto":
        return default
    return None


def _same_colours(font, fill) -> bool:
    """True when text of ``font`` on ``fill`` cannot be seen: the same colour."""
    text = _colour(getattr(font, "color", None), "000000")
    if fill is not None and not hasattr(fill, "patternType"):
        return False  # a gradient: two colours
    pattern = getattr(fill, "patternType", None) if fill is not None else None
    if pattern in (None, "none"):
        background: str | None = "FFFFFF"
    elif pattern == "solid":
        background = _colour(fill.fgColor, "FFFFFF")
    else:
        return False  # a pattern of two colours shows something
    return text is not None and text == background


def _style_key(cell) -> tuple[int, int]:
    style = getattr(cell, "_style", None)
    return (style.fontId, style.fillId) if style is not None else (0, 0)


def _invisible_styles(wb) -> frozenset[tuple[int, int]]:
    """The (font, fill) pairs of the workbook whose text cannot be seen (few: a workbook holds
    a handful of fonts and fills)."""
    fonts, fills = getattr(wb, "_fonts", []), getattr(wb, "_fills", [])
    return frozenset((i, j) for i, font in enumerate(fonts) for j, fill in enumerate(fills)
                     if _same_colours(font, fill))


def _names() -> list[str]:
    from fac_eval.disclosure import privacy

    try:
        return privacy.load_names()
    except (privacy.KeyMissingError, privacy.KeyInRepositoryError):
        return []  # the run reports an unusable names file itself


def hidden_content_problems(ws, header: list[str], header_row: int, file: str,
                            letter) -> list[Problem]:
    """The comments, links and invisible cells of sheet ``ws`` (see the module).
    ``header``: the header row's texts, at row ``header_row``; ``letter``: column number ->
    letters."""
    from fac_eval.disclosure import pii

    sheet = ws.title
    names: list[str] | None = None
    invisible = _invisible_styles(ws.parent)
    cells: dict[tuple[int, int], Any] = getattr(ws, "_cells", {})
    out: list[Problem] = []

    def col_name(r: int, c: int) -> str | None:
        name = header[c - 1].strip() if c - 1 < len(header) else ""
        return name if r > header_row and name else None

    # most cells have no comment, no link and a visible style: those are skipped at the cost
    # of three attribute reads (a sheet of 500,000 cells in a fraction of a second)
    # (a merged cell's others have no comment, no link of their own)
    marked = [(key, cell) for key, cell in cells.items()
              if getattr(cell, "_comment", None) is not None
              or getattr(cell, "_hyperlink", None) is not None
              or (invisible and _style_key(cell) in invisible)]
    for (r, c), cell in sorted(marked, key=lambda kc: kc[0]):
        where = f"{letter(c)}{r}"
        comment = getattr(cell, "_comment", None)
        if comment is not None:
            out.append(problem(
                file, r, col_name(r, c), None, "cell_comment",
                both(N_("no comment on a cell: comments are not read; write what it says in a "
                        "column or delete it (right-click > Delete Comment)")),
                sheet=sheet, cell=where))
            if names is None:
                names = _names()
            from fac_eval.data.validation_identifiers import _FOUND_MASKED, _kinds

            for part in (comment.author, comment.text):
                found = pii.find_pii(part or "", (), names)
                if found:
                    out.append(problem(
                        file, r, col_name(r, c), ", ".join(pii.mask(f.text) for f in found),
                        "direct_identifier",
                        both(N_("no personal data in a comment, its author included: delete "
                                "the comment")), sheet=sheet, cell=where,
                        note=both(_FOUND_MASKED, what=_kinds(
                            list(dict.fromkeys(f.kind for f in found))))))
        link = getattr(cell, "_hyperlink", None)
        if link is not None:
            if names is None:
                names = _names()
            target = str(link.target or link.location or "")
            shown = pii.mask_text(target, (), names) if target else ""
            out.append(problem(
                file, r, col_name(r, c), None, "cell_hyperlink",
                both(N_("no link in a cell: the text shown is read, not the link (right-click "
                        "> Remove Hyperlink)")), sheet=sheet, cell=where,
                note=both(N_("link to %(target)s"), target=shown[:80]) if shown else ("", "")))
        value = cell.value
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if invisible and _style_key(cell) in invisible:
            from fac_eval.data.xlsx_reader import cell_text

            out.append(problem(
                file, r, col_name(r, c), cell_text(value), "invisible_text",
                both(N_("text that can be seen: its font colour is the colour of its fill "
                        "(white on white); give it a visible colour and check it, or delete "
                        "it")), sheet=sheet, cell=where))
    return out
