"""Part of the personal-data detector (:mod:`fac_eval.disclosure.pii`): normalisation of a text before
matching, with the map back to the original text (see :func:`fac_eval.disclosure.pii.normalise`); decimal
digits of any script are read as 0–9 too (``٠٦ ١٢ …``); a run under a right-to-left override is
read in the order it is drawn (:func:`display_order`: "\u202eTNOPUD\u202c" is DUPONT); the odd
dots a writer may put between digits (hyphenation point U+2027, bullet operator U+2219,
katakana middle dot U+30FB…) are read as the middle dot ``·``."""

from __future__ import annotations

import functools
import re
import unicodedata

from fac_eval.core.invisible import CONFUSABLES as _CONFUSABLES
from fac_eval.core.invisible import is_invisible

__all__ = ["ZERO_WIDTH", "BLANK_LOOKING", "normalise_with_map", "normalise", "to_original"]

ZERO_WIDTH = {
    "\u00ad", "\u034f", "\u061c", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u180b", "\u180c",
    "\u180d", "\u180e", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b",
    "\u202c", "\u202d", "\u202e", "\u2060", "\u2061", "\u2062", "\u2063", "\u2064", "\u2066",
    "\u2067", "\u2068", "\u2069", "\ufeff", "\ufe00", "\ufe0f",
}
#: Characters drawn as a blank gap, not as nothing (Hangul fillers, the blank braille pattern):
#: read as a space, so "06\u316412\u316434…" is the phone number a reader sees.
BLANK_LOOKING = {"\u3164", "\uffa0", "\u2800"}
_DASHES = set("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043")
_APOSTROPHES = set("\u2019\u2018\u02bc\u00b4`\u2032")
#: Dots drawn at mid-height, read as the middle dot U+00B7 (a separator of phone groups, an
#: inclusive-writing dot): hyphenation point, bullet operator, dot operator, katakana and
#: half-width katakana middle dots, word-separator and raised dots, Greek ano teleia.
_MID_DOTS = set("\u2027\u2219\u22c5\u30fb\uff65\u2e31\u2e33\u0387\u16eb\u2981\u00b7")


@functools.lru_cache(maxsize=4096)
def _norm_char(c: str) -> str:
    if c in BLANK_LOOKING:
        return " "
    # every other invisible character (fac_eval.core.invisible: format characters, variation
    # selectors, tag characters, U+1D173…) is removed, as the hand-listed ones are
    if c in ZERO_WIDTH or (not c.isspace() and is_invisible(c)):
        return ""
    if unicodedata.category(c) == "Me":  # an enclosing mark: the keycap of "0️⃣" (0, FE0F, 20E3)
        return ""
    if c in _DASHES:
        return "-"
    if c in _MID_DOTS:
        return "\u00b7"
    if c in _APOSTROPHES:
        return "'"
    if c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029":
        return "\n"
    if c.isspace():
        return " "
    if c.isdecimal() and not c.isascii():  # Arabic-Indic, Devanagari… digits: 0–9
        return str(unicodedata.decimal(c))
    out = []
    for ch in unicodedata.normalize("NFKC", c):
        ch = ch.casefold() if len(ch.casefold()) == 1 else ch.lower()
        for d in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(d):
                continue
            d = _CONFUSABLES.get(d, d)
            if d in _DASHES:
                d = "-"
            elif d.isspace():
                d = " "
            out.append(d)
    return "".join(out)


_RUNS_RE = re.compile(r"([ -~\n]+)|[^ -~\n]", re.S)

#: Bidirectional overrides: a right-to-left override (RLO, U+202E) draws the characters after it
#: right to left until a pop (PDF, U+202C) or the end of the paragraph, so that
#: "\u202eTNOPUD\u202c" is read DUPONT on screen. A left-to-right override (LRO, U+202D) or an
#: embedding (LRE, RLE) inside one opens a level that the same pop closes.
_RLO, _PDF, _PUSHES = "\u202e", "\u202c", "\u202a\u202b\u202d"


def display_order(text: str) -> list[int] | None:
    """The indices of ``text`` in the order a reader sees them when ``text`` holds a
    right-to-left override (each overridden run reversed, see :data:`_RLO`), else None. The
    overrides themselves are left out (normalisation would remove them)."""
    if _RLO not in text:
        return None
    order: list[int] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] != _RLO:
            order.append(i)
            i += 1
            continue
        depth, j = 1, i + 1
        while j < n and text[j] not in "\n\r\u2029":
            if text[j] in _PUSHES or text[j] == _RLO:
                depth += 1
            elif text[j] == _PDF:
                depth -= 1
                if depth == 0:
                    break
            j += 1
        order.extend(k for k in range(j - 1, i, -1) if text[k] != _RLO)  # the run, as drawn
        i = j
    return order


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of its source character
    in ``text`` (see the module docstring for what normalisation does). A run under a
    right-to-left override is read in the order it is drawn (:func:`display_order`)."""
    order = display_order(text)
    if order is not None:
        shown = "".join(text[i] for i in order)
        norm, drawn = normalise_with_map(shown)
        return norm, [order[i] for i in drawn]
    out: list[str] = []
    src: list[int] = []
    for m in _RUNS_RE.finditer(text):
        a, b = m.span()
        if m.group(1) is not None:  # printable ASCII and newlines: lower case, one to one
            out.append(m.group(1).lower())
            src.extend(range(a, b))
            continue
        f = _norm_char(text[a])
        if f:
            out.append(f)
            src.extend([a] * len(f))
    return "".join(out), src


def normalise(text: str) -> str:
    """``text`` normalised for matching: NFKC, zero-width characters and soft hyphens removed,
    Cyrillic/Greek look-alikes folded, lower case, no accents, one kind of space and dash."""
    return normalise_with_map(str(text))[0]


def to_original(text: str, src: list[int], a: int, b: int) -> tuple[int, int]:
    """The span of ``text`` that the normalised characters ``[a, b)`` come from (the smallest
    and the largest index: a run read right to left maps back reversed)."""
    start, end = src[a], src[b - 1] + 1
    if end <= start or (b - a > 1 and _RLO in text):
        part = src[a:b]
        start, end = min(part), max(part) + 1
    while end < len(text) and (unicodedata.combining(text[end]) or text[end] in ZERO_WIDTH):
        end += 1
    return start, end
