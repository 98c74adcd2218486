"""Part of the personal-data detector (:mod:`fac_eval.disclosure.pii`): normalisation of a text before
matching, with the map back to the original text (see :func:`fac_eval.disclosure.pii.normalise`); decimal
digits of any script are read as 0–9 too (``٠٦ ١٢ …``)."""

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


@functools.lru_cache(maxsize=4096)
def _norm_char(c: str) -> str:
    if c in BLANK_LOOKING:
        return " "
    # every other invisible character (fac_eval.core.invisible: format characters, variation
    # selectors, tag characters, U+1D173…) is removed, as the hand-listed ones are
    if c in ZERO_WIDTH or (not c.isspace() and is_invisible(c)):
        return ""
    if c in _DASHES:
        return "-"
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


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of its source character
    in ``text`` (see the module docstring for what normalisation does)."""
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
    start, end = src[a], src[b - 1] + 1
    while end < len(text) and (unicodedata.combining(text[end]) or text[end] in ZERO_WIDTH):
        end += 1
    return start, end
