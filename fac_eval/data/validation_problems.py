"""Problems found in a session's raw data, and their words.

A :class:`Problem` names the file, the row *as the user sees it in their spreadsheet* (header =
row 1), the column, the value and what was expected; :class:`ValidationError` carries every
problem found. This module is the bottom of the data stage: the readers (:mod:`fac_eval.data.io` and
its modules, :mod:`fac_eval.data.xlsx_reader`, :mod:`fac_eval.data.safe_yaml`, :mod:`fac_eval.data.limits`) and
the checks (:mod:`fac_eval.data.validation` and its modules) import it; it imports none of them.

Every sentence is a gettext message of the package's catalogs (:mod:`fac_eval.core.i18n`, English
message ids, French translation in ``fr/LC_MESSAGES/fac_eval.po``). A problem's *frame* (``ligne``
/ ``row``, the kind's title, ``attendu`` / ``expected``) is translated when it is shown
(:meth:`Problem.message`); what was expected and what was found are rendered in both languages
when the problem is made (:func:`both`, :func:`problem`), because they often quote values and
numbers formatted for each language, and because :func:`fac_eval.data.validation.protect_problems`
must scrub the very texts that will be shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from fac_eval.core.i18n import N_, both, both_plural, messages, tr
from fac_eval.core.invisible import describe_invisible, invisible_characters, shown
from fac_eval.data import codebook as cb

__all__ = [
    "KINDS",
    "kind_title",
    "Problem",
    "problem",
    "both",
    "both_plural",
    "tr",
    "quote",
    "join_words",
    "ValidationError",
    "format_problems",
    "sort_problems",
    "fmt_number",
    "expected_text",
    "missing_expected",
]

#: Both languages a problem's texts are rendered in (French first: the default).
LANGS = ("fr", "en")

#: Every kind of problem with its short title (an English message id, translated when shown).
KINDS: dict[str, str] = {
    "missing_file": N_("missing file"),
    "duplicate_file": N_("duplicate file"),
    "unreadable_file": N_("unreadable file"),
    "mixed_encoding": N_("several text encodings in one file"),
    "misnamed_file": N_("file name not recognised"),
    "empty_file": N_("empty file"),
    "unknown_column": N_("unknown column"),
    "missing_column": N_("missing column"),
    "duplicate_column": N_("duplicate column"),
    "invalid_value": N_("value not recognised"),
    "out_of_range": N_("value out of range"),
    "wrong_type": N_("wrong type of value"),
    "missing_value": N_("missing value"),
    "duplicate_id": N_("duplicate id"),
    "unknown_id": N_("unknown id"),
    "population_mismatch": N_("population mismatch"),
    "date_order": N_("dates out of order"),
    "contradictory_values": N_("values of one row that contradict each other"),
    "date_out_of_session": N_("date outside the session"),
    "direct_identifier": N_("directly identifying data"),
    "not_pseudonym": N_("id is not a pseudonym"),
    "title_row": N_("title row above the header"),
    "impossible_date": N_("impossible date or time"),
    "too_large": N_("file or cell too large"),
    "changed_while_read": N_("file changed while it was read"),
    "not_regular_file": N_("not a regular file"),
    "link_outside_raw": N_("link to a file outside the raw data"),
    "hidden_sheet": N_("hidden sheet holding data"),
    "several_sheets": N_("several data sheets"),
    "hidden_row": N_("hidden row holding data"),
    "hidden_column": N_("hidden column holding data"),
    "merged_cells": N_("merged cells"),
    "formula_without_value": N_("formula without a computed value"),
    "cell_comment": N_("comment on a cell"),
    "cell_hyperlink": N_("link in a cell"),
    "invisible_text": N_("text of the colour of its cell"),
    "disguised_value": N_("number format showing another value"),
    "invisible_characters": N_("invisible characters"),
    "bidi_control": N_("bidirectional control characters"),
    "name_in_text": N_("name in a text (removed on publication)"),
    "unknown_indicator": N_("unknown indicator"),
    "unknown_key": N_("unknown key"),
    "count_mismatch": N_("declared count differs from the data"),
    "followup_before_exit": N_("follow-up before the exit questionnaire"),
    "testimony_before_exit": N_("testimony of a wave not collected yet"),
    "unclosed_quote": N_("quote not closed"),
    "placeholder": N_("placeholder not filled in"),
    "generated_key": N_("key of a generated session"),
}


def kind_title(kind: str, lang: str = "fr") -> str:
    """The short title of a problem kind in ``lang`` (the kind itself when unknown)."""
    return tr(lang, KINDS[kind]) if kind in KINDS else kind


# --------------------------------------------------------------------------------------------
# Words in both languages
# --------------------------------------------------------------------------------------------

# tr, both and both_plural live at the package's base (fac_eval.core.i18n), re-exported here.


def quote(text: object, lang: str) -> str:
    """``text`` between the quotation marks of ``lang`` (``« A01 »``, ``"A01"``)."""
    return tr(lang, N_('"%(text)s"'), text=text)


def _quoted_list(values: Iterable, lang: str) -> str:
    return ", ".join(quote(shown(v), lang) for v in values)


def join_words(words: Iterable[str], lang: str, conjunction: str = "and") -> str:
    """``a et b et c`` / ``a and b and c`` (``conjunction="or"``: ``a ou b``)."""
    pair = N_("%(first)s or %(second)s") if conjunction == "or" else N_("%(first)s and %(second)s")
    out = None
    for w in words:
        out = w if out is None else tr(lang, pair, first=out, second=w)
    return out or ""


# --------------------------------------------------------------------------------------------
# Problems
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem in a session's raw data.

    - ``file``: file name as in the session folder (``learners_entry.csv``, ``session.yml``);
      for a missing file, the expected name without extension;
    - ``row``: row number as the user sees it in the spreadsheet (header = 1; ``None`` for
      file-level problems); for ``session.yml``, the line number;
    - ``column``: the column header as typed in the file (or the canonical name of a missing
      column, or a key of ``session.yml``); ``None`` for file-level problems;
    - ``value``: the cell exactly as typed (``""`` for an empty cell, ``None`` when no value is
      concerned);
    - ``expected``: what was expected, in French; ``expected_en`` the same in English (both
      rendered from one catalog message, see :func:`problem`);
    - ``kind``: a short code, one of :data:`KINDS`;
    - ``item``: the canonical column name (codebook item) when known;
    - ``note`` / ``note_en``: what was found, shown after the title in parentheses (used by
      ``direct_identifier`` problems, whose ``value`` is masked: always None);
    - ``sheet``: the sheet of an XLSX workbook, when the problem is about a sheet or a cell;
    - ``cell``: the cell or range as Excel names it (``C7``, ``A7:F9``), for XLSX structure
      problems (shown instead of the row; the column header is still shown when known).

    A value holding invisible or unusual characters (zero-width space, BOM, non-breaking space,
    soft hyphen, directional marks…) is shown with their code points, so that two values that look
    the same on screen can be told apart (``valeur « A03 » (caractère invisible U+200B en position
    2)``).
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    kind: str
    expected_en: str = ""
    item: str | None = None
    note: str = ""
    note_en: str = ""
    sheet: str | None = None
    cell: str | None = None

    def expected_in(self, lang: str) -> str:
        """What was expected, in ``lang`` (French when there is no English text)."""
        return (self.expected_en or self.expected) if lang == "en" else self.expected

    def note_in(self, lang: str) -> str:
        """What was found, in ``lang`` (French when there is no English text)."""
        return (self.note_en or self.note) if lang == "en" else self.note

    def message(self, lang: str = "fr") -> str:
        """One human line describing the problem, in French (default) or English."""
        # every quoted text shows its invisible and look-alike characters (invisible.shown)
        def q(s):
            return quote(shown(s), lang)

        where = [self.file]
        in_yaml = str(self.file).endswith((".yml", ".yaml"))  # lines and keys, not cells
        if self.sheet is not None:
            where.append(tr(lang, N_("sheet %(name)s"), name=q(self.sheet)))
        if self.cell is not None:
            where.append(tr(lang, N_("cell %(cell)s"), cell=self.cell))
        elif self.row is not None:
            where.append(tr(lang, N_("line %(row)s") if in_yaml else N_("row %(row)s"),
                            row=self.row))
        if self.column is not None and in_yaml:
            where.append(tr(lang, N_("key %(name)s"), name=q(self.column)))
        elif self.column is not None:
            col = q(self.column) if self.column else tr(lang, N_("(no header)"))
            where.append(tr(lang, N_("column %(name)s"), name=col))
        text = tr(lang, N_("%(where)s: %(title)s"), where=", ".join(where),
                  title=kind_title(self.kind, lang))
        note = self.note_in(lang)
        if note:
            text += f" ({note})"
        if self.value is not None:
            if self.value == "":
                text += ", " + tr(lang, N_("empty value") if in_yaml else N_("empty cell"))
            else:
                text += ", " + tr(lang, N_("value %(value)s"), value=q(_short(self.value)))
                hidden = invisible_characters(self.value)
                if hidden:
                    text += f" ({describe_invisible(hidden, lang)})"
        expected = self.expected_in(lang)
        if expected:
            text += " — " + tr(lang, N_("expected: %(expected)s"), expected=expected)
        return text

    def __str__(self) -> str:
        return self.message("fr")


def problem(file: str, row: int | None, column: str | None, value: str | None, kind: str,
            expected: tuple[str, str] = ("", ""), *, item: str | None = None,
            note: tuple[str, str] = ("", ""), sheet: str | None = None,
            cell: str | None = None) -> Problem:
    """A :class:`Problem` whose ``expected`` and ``note`` are ``(French, English)`` pairs made by
    :func:`both` from one catalog message."""
    return Problem(file, row, column, value, expected[0], kind, expected[1], item, note[0],
                   note[1], sheet, cell)


def _short(value: str, limit: int = 80) -> str:
    value = str(value).replace("\r\n", " ").replace("\n", " ")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def format_problems(problems: Iterable[Problem], lang: str = "fr") -> str:
    """One human line per problem (joined with newlines), in French (default) or English."""
    return "\n".join(p.message(lang) for p in problems)


class ValidationError(Exception):
    """Raised when a session's data are invalid; ``.problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem], lang: str = "fr"):
        self.problems: list[Problem] = list(problems)
        self.lang = lang
        super().__init__(self.format(lang))

    def format(self, lang: str = "fr") -> str:
        n = len(self.problems)
        head = messages(lang).ngettext("%(num)s problem found in the data:",
                                       "%(num)s problems found in the data:", n, num=str(n))
        return head + "\n" + format_problems(self.problems, lang)

    def __str__(self) -> str:
        return self.format(self.lang)

    def __reduce__(self):  # picklable (batch runs with multiprocessing or Dask)
        return (type(self), (self.problems, self.lang))


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in reading order: ``session.yml`` first, then the instruments' files in codebook
    order, then by row and by column (codebook order); file-level problems first in each file."""
    files = {"session": -1, **{n: i for i, n in enumerate(cb.INSTRUMENTS)}}

    def key(p: Problem):
        stem = p.file.rsplit(".", 1)[0] if p.file else ""
        inst = cb.INSTRUMENTS.get(stem)
        col = -1
        if inst is not None and p.item in inst.columns:
            col = inst.columns.index(p.item)
        return (files.get(stem, len(files)), p.row if p.row is not None else 0, col)

    return sorted(problems, key=key)


# --------------------------------------------------------------------------------------------
# What is expected of an item
# --------------------------------------------------------------------------------------------


def fmt_number(x: float, lang: str = "fr") -> str:
    """A number as a person writes it (``1 000 000`` in French, ``1,000,000`` in English)."""
    if float(x).is_integer():
        s = f"{int(x):,}"
    else:
        s = f"{x:,.2f}".rstrip("0").rstrip(".")
    if lang == "en":
        return s
    return s.replace(",", "\u202f").replace(".", ",").replace("\u202f", " ")


def _range_text(item: cb.Item, lang: str, integer: bool) -> str:
    noun = tr(lang, N_("a whole number") if integer else N_("a number"))
    lo, hi = item.minimum, item.maximum
    if lo is not None and hi is not None:
        text = tr(lang, N_("%(noun)s from %(low)s to %(high)s"), noun=noun,
                  low=fmt_number(lo, lang), high=fmt_number(hi, lang))
    elif lo is not None:
        text = f"{noun} ≥ {fmt_number(lo, lang)}"
    elif hi is not None:
        text = f"{noun} ≤ {fmt_number(hi, lang)}"
    else:
        text = noun
    if not integer:
        text += " " + tr(lang, N_("(e.g. 12500 or 12,500.50)"))
    return text


@cache
def expected_text(item: cb.Item, lang: str = "fr") -> str:
    """What a cell of ``item`` may contain, for error messages (cached: a file may hold
    thousands of invalid cells of one column)."""
    t = item.type
    if t in ("ordinal", "category", "boolean") and item.choices:
        labels = _quoted_list([c.label_en if lang == "en" else c.label_fr for c in item.choices],
                              lang)
        codes = [c.code for c in item.choices]
        if t == "boolean" and len(item.choices) == 2:  # every spelling the reader takes
            yes, no = (_quoted_list([c.label_en if lang == "en" else c.label_fr], lang)
                       for c in item.choices)
            forms = [", ".join(dict.fromkeys((str(c.code), *c.aliases))) for c in item.choices]
            return tr(lang, N_("%(yes)s or %(no)s (also written %(yes_forms)s; or %(no_forms)s)"),
                      yes=yes, no=no, yes_forms=forms[0], no_forms=forms[1])
        if t == "ordinal" and all(isinstance(c, int) for c in codes):
            return tr(lang, N_("a code from %(low)s to %(high)s or one of the labels %(labels)s"),
                      low=min(codes), high=max(codes), labels=labels)
        return tr(lang, N_("one of the codes %(codes)s or of the labels %(labels)s"),
                  codes=_quoted_list(codes, lang), labels=labels)
    if t == "integer":
        return _range_text(item, lang, integer=True)
    if t == "number":
        return _range_text(item, lang, integer=False)
    if t == "date":
        return tr(lang, N_("a date as YYYY-MM-DD or DD/MM/YYYY"))
    if t == "id":
        return tr(lang, N_("a participant id"))
    return tr(lang, N_("a text"))


def missing_expected(item: cb.Item, lang: str) -> str:
    """What is expected in an empty cell of a column that may not be left empty."""
    return tr(lang, N_("a value (this column may not be left empty): %(expected)s"),
              expected=expected_text(item, lang))

