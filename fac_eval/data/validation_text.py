"""Checks of the texts of raw files that the detector of personal data relies on.

- ``bidi_control`` problems (:func:`bidi_problems`, :func:`bidi_problem`): a bidirectional
  control character (right-to-left override U+202E, embeddings U+202A–U+202B, isolates
  U+2066–U+2069, their pop U+202C) in a free-text cell (a testimony, a free-text answer), a
  cell or header of an unknown column, or a text of ``session.yml`` / ``claims.yml``. (In ids,
  codes, numbers and dates every invisible character is removed on reading.) It changes
  the order in which a text is drawn ("\\u202eTNOPUD\\u202c" shows DUPONT), so what a reader
  sees is not what is written: refused, with the code points and their positions, the value
  masked. (The detector reads an overridden run in the order it is drawn as well:
  :func:`fac_eval.disclosure.pii_normalise.display_order`.)
- ``name_in_text`` warnings (:func:`name_warnings`): a name of the names file in a free-text
  answer or a testimony. Such a name is replaced by "[nom retiré]" in every published file, so
  it does not make the session invalid (unlike an e-mail or a phone number, which must be
  removed from the raw file); ``fac-eval validate`` lists it with its file, row and column and
  the name masked, so that the evaluator knows before the report what will be cut.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from fac_eval.core.i18n import N_, tr
from fac_eval.data.validation_problems import Problem, both, problem, quote

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from fac_eval.data import codebook as cb
    from fac_eval.data.validation_tables import LoadedTable

__all__ = ["BIDI_CONTROLS", "bidi_positions", "bidi_problem", "bidi_problems", "name_warnings",
           "control_problems", "is_control"]

#: The bidirectional embeddings, overrides, isolates and their pops.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

BIDI_EXPECTED = N_("text without bidirectional control characters (they change the order in "
                   "which the text is shown): delete them")
_BIDI_FOUND = N_("%(what)s, value masked")
NAME_IN_TEXT_EXPECTED = N_("no name in the text: it will be replaced by %(placeholder)s in "
                           "the published files; edit the text if the sentence must not be "
                           "quoted at all")
_NAME_FOUND = N_("name from the names file %(names)s")
_SELF_NAMED = N_("name the writer gives as theirs %(names)s")


def bidi_positions(text: str) -> list[tuple[int, str]]:
    """(1-based position, character) of each bidirectional control of ``text``."""
    return [(i, ch) for i, ch in enumerate(text, start=1) if ch in BIDI_CONTROLS]


def bidi_problem(file: str, row: int | None, column: str | None, text: str) -> Problem | None:
    """A ``bidi_control`` problem for ``text`` (a cell, a header, a text of ``session.yml``)
    when it holds a bidirectional control, else None; the value is masked, the code points and
    their positions are given (``U+202E en position 1``)."""
    from fac_eval.disclosure import pii

    found = bidi_positions(text)
    if not found:
        return None
    def chars(lang: str) -> str:
        listed = ", ".join(_position(lang, ch, i) for i, ch in found[:5])
        return listed + (f" +{len(found) - 5}" if len(found) > 5 else "")

    clean = "".join(ch for ch in text if ch not in BIDI_CONTROLS)
    column = None if column is None else "".join(ch for ch in column
                                                 if ch not in BIDI_CONTROLS) or column
    return problem(file, row, column, pii.mask(clean) if clean else None, "bidi_control",
                   both(BIDI_EXPECTED), note=both(_BIDI_FOUND, what=chars))


def _position(lang: str, ch: str, position: int) -> str:
    return tr(lang, N_("U+%(code)s at position %(position)s"), code=f"{ord(ch):04X}",
              position=position)


def bidi_problems(raw: pd.DataFrame, instrument: cb.Instrument, file: str) -> list[Problem]:
    """``bidi_control`` problems of one raw table: each cell of a free-text column (or of a
    column the codebook does not know) and each unknown header holding one. Ids, codes,
    numbers and dates are read without their invisible characters (directional ones included:
    :func:`fac_eval.core.invisible.clean_id`), so what is read there is what is shown."""
    from fac_eval.data.reading_cells import map_header

    out: list[Problem] = []
    header_row = int(raw.attrs.get("header_row", 1))
    rows = [int(i) for i in raw.index]
    for j, header in enumerate(raw.columns):
        h = str(header)
        name = map_header(h, instrument) if h.strip() else None
        item = instrument.item(name) if name is not None else None
        if item is None:
            bad = bidi_problem(file, header_row, h.strip(), h)
            if bad is not None:
                out.append(bad)
        elif item.type != "text":
            continue
        for row, cell in zip(rows, raw.iloc[:, j].tolist()):
            if isinstance(cell, str) and any(ch in BIDI_CONTROLS for ch in cell):
                bad = bidi_problem(file, row, h.strip(), cell)
                if bad is not None:
                    out.append(bad)
    return out


#: What a cell holding a control character should be.
CONTROL_EXPECTED = N_(
    "a cell without control characters (U+0000 NUL and the others, tab and line ends aside): "
    "they are never typed but left by a faulty export or a copy from another program; delete "
    "them in the file (a text editor shows them)")


def is_control(ch: str) -> bool:
    """A control character other than tab and line ends (C0, DEL, C1): never typed."""
    return unicodedata.category(ch) == "Cc" and ch not in "\t\r\n"


def control_problems(raw: pd.DataFrame, instrument: cb.Instrument, file: str) -> list[Problem]:
    """``invisible_characters`` problems of one raw table: each cell (and header) holding a
    control character (a NUL of a faulty export), with its row, column and code points; the
    value of a free-text cell (or of a column the codebook does not know) is masked. Ids are
    read without them (:func:`fac_eval.core.invisible.clean_id`): only this problem is said."""
    from fac_eval.core.invisible import describe_invisible
    from fac_eval.data.reading_cells import map_header
    from fac_eval.disclosure import pii

    out: list[Problem] = []
    header_row = int(raw.attrs.get("header_row", 1))
    rows = [int(i) for i in raw.index]

    def found(text: str) -> list[tuple[int, str]]:
        return [(i, ch) for i, ch in enumerate(text, start=1) if is_control(ch)]

    for j, header in enumerate(raw.columns):
        h = str(header)
        name = map_header(h, instrument) if h.strip() else None
        item = instrument.item(name) if name is not None else None
        free = item is None or item.type == "text"
        column = "".join(ch for ch in h if not is_control(ch)).strip()
        if found(h):
            out.append(problem(file, header_row, column, h, "invisible_characters",
                               both(CONTROL_EXPECTED)))
        for row, cell in zip(rows, raw.iloc[:, j].tolist()):
            if not isinstance(cell, str) or cell.isprintable():
                continue
            chars = found(cell)
            if not chars:
                continue
            note = (describe_invisible(chars, "fr"), describe_invisible(chars, "en"))
            value = pii.mask("".join(ch if not is_control(ch) else "\ufffd" for ch in cell)) \
                if free else cell
            out.append(problem(file, row, column, None if free else value,
                               "invisible_characters", both(CONTROL_EXPECTED),
                               note=note if free else ("", "")))
    return out


def _placeholder(lang: str) -> str:
    return quote(tr(lang, N_("[name removed]")), lang)


def name_warnings(loaded: Iterable[LoadedTable], names: Iterable[str]) -> list[Problem]:
    """``name_in_text`` warnings: each cell of a free-text column (a testimony, a free-text
    answer) holding a name of the names file, or a name its writer gives as theirs ("je
    m'appelle Marie Dupont", names file or not), with its file, row and column, the names
    found masked (see the module docstring)."""
    from fac_eval.disclosure import pii

    names = tuple(names)
    out: list[Problem] = []
    for table in loaded:
        for item in table.instrument.items:
            if item.type != "text" or item.name not in table.headers:
                continue
            j = table.headers[item.name]
            column = str(table.raw.columns[j]).strip()
            for row, cell in zip(table.raw.index, table.raw.iloc[:, j].tolist()):
                if not isinstance(cell, str) or not cell.strip():
                    continue
                found = pii.find_pii(cell, names=names, kinds=("name",))
                if not found:
                    continue
                masked = list(dict.fromkeys(pii.mask(f.text) for f in found))
                # a name of the names file, or only one the writer gives as theirs
                listed = bool(names) and found != pii.find_pii(cell, kinds=("name",))
                out.append(problem(
                    table.file, int(row), column, None, "name_in_text",
                    both(NAME_IN_TEXT_EXPECTED, placeholder=_placeholder), item=item.name,
                    note=both(_NAME_FOUND if listed else _SELF_NAMED,
                              names=lambda lang, m=masked: ", ".join(quote(v, lang) for v in m))))
    return out
