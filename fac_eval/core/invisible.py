"""Characters a person cannot see, in ids, codes and messages.

Two values that look the same on screen (``A03`` and ``A<U+200B>03``) must be the same on
reading, or be told apart in messages:

- :func:`clean_id` removes them from participant ids; :func:`drop_format_chars` from the keys
  used to match headers and answer codes;
- :func:`invisible_characters` / :func:`describe_invisible` give their code points for messages
  (``caractère invisible U+200B en position 2``); :func:`shown` is the one way a message quotes
  a value: every invisible or look-alike character written as its code point (``A<U+034F>01``,
  ``<U+0410>01``), so that the value in the message is the value in the file.

Invisible means every Unicode "format" character (category Cf: zero-width space and joiners, BOM,
soft hyphen, directional marks and isolates, word joiner…), the other default-ignorable code
points (combining grapheme joiner U+034F, variation selectors, Hangul fillers, tags…), the spaces
other than the plain space (non-breaking, narrow, thin…) and control characters other than tab
and line ends. Look-alike (confusable) means a Cyrillic or Greek letter drawn like a Latin one
(``А`` U+0410 for ``A``), or a full-width form (``Ａ``).
"""

from __future__ import annotations

import unicodedata
from typing import Any

#: Cyrillic and Greek letters that look like Latin ones (lower case, after case folding).
CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "һ": "h",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g", "ь": "b", "г": "r", "п": "n", "л": "n",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k", "μ": "u",
    "ν": "v", "ο": "o", "ρ": "p", "σ": "o", "ς": "c", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
    "ϲ": "c", "ϳ": "j",
    # Latin look-alikes
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŀ": "l", "ß": "ss", "æ": "ae", "œ": "oe",
}

__all__ = ["is_invisible", "is_confusable", "invisible_characters", "describe_invisible",
           "shown", "clean_id", "drop_format_chars"]

#: Default-ignorable code points that are not of category Cf (Unicode DerivedCoreProperties):
#: drawn as nothing by most fonts.
_IGNORABLE_RANGES = (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)


def is_invisible(ch: str) -> bool:
    """Whether ``ch`` cannot be seen or told from a plain space on screen."""
    cat = unicodedata.category(ch)
    if cat == "Cf" or (cat == "Zs" and ch != " ") or (cat == "Cc" and ch not in "\t\r\n"):
        return True
    o = ord(ch)
    return o > 0x33F and any(a <= o <= b for a, b in _IGNORABLE_RANGES)


def is_confusable(ch: str) -> bool:
    """Whether ``ch`` is drawn like a plain Latin letter or digit but is another character: a
    Cyrillic or Greek look-alike (``А`` U+0410, ``ο`` U+03BF) or a full-width / compatibility
    form (``Ａ``, ``０``). Accented Latin letters (``é``) are not confusable."""
    if ch.isascii():
        return False
    if ch.lower() in CONFUSABLES and unicodedata.name(ch, "").startswith(("CYRILLIC", "GREEK")):
        return True
    folded = unicodedata.normalize("NFKC", ch)
    return folded != ch and folded.isascii() and folded.isalnum()


def invisible_characters(value: str) -> list[tuple[int, str]]:
    """``(position, character)`` (1-based) of each invisible, unusual or look-alike character of
    ``value`` (:func:`is_invisible`, :func:`is_confusable`)."""
    return [(i, ch) for i, ch in enumerate(str(value), start=1)
            if is_invisible(ch) or is_confusable(ch)]


def describe_invisible(found: list[tuple[int, str]], lang: str = "fr", limit: int = 5) -> str:
    """``caractère invisible U+200B en position 2`` (code points, at most ``limit`` listed); a
    look-alike letter is named as such (``caractère trompeur U+0410 en position 1``)."""
    from .i18n import N_, NP_, messages

    words = messages(lang)
    if all(is_confusable(ch) for _, ch in found):
        kind = NP_("look-alike character", "look-alike characters")
    elif any(is_confusable(ch) for _, ch in found):
        kind = NP_("invisible or look-alike character", "invisible or look-alike characters")
    else:
        kind = NP_("invisible character", "invisible characters")
    parts = [words._(N_("U+%(code)s at position %(position)s"), code=f"{ord(ch):04X}", position=i)
             for i, ch in found[:limit]]
    if len(found) > limit:
        parts.append(f"+{len(found) - limit}")
    return words.nplural(kind, len(found)) + " " + ", ".join(parts)


def shown(value: Any) -> str:
    """``value`` as a message quotes it: each invisible or look-alike character written as its
    code point between angle brackets (``A<U+034F>01``, ``<U+0410>01``, ``A<U+200B>03``), line
    ends as ``<LF>`` / ``<CR>``, tabs as ``<TAB>``; everything else as typed (accents included).
    """
    s = str(value)
    if s.isascii() and s.isprintable():
        return s
    out = []
    for ch in s:
        if ch == "\n":
            out.append("<LF>")
        elif ch == "\r":
            out.append("<CR>")
        elif ch == "\t":
            out.append("<TAB>")
        elif is_invisible(ch) or is_confusable(ch) or not ch.isprintable():
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def drop_format_chars(s: str) -> str:
    """``s`` without Unicode "format" characters (category Cf: zero-width space and joiners,
    BOM, soft hyphen, directional marks, word joiner…), which are invisible on screen."""
    if s.isascii():
        return s
    return "".join(ch for ch in s if unicodedata.category(ch) != "Cf")


def clean_id(value: Any) -> str:
    """A participant id as typed, without what cannot be seen: format characters (zero-width
    space / joiner, BOM, soft hyphen, directional marks) and unusual spaces (non-breaking, narrow,
    thin…) are removed, compatibility forms folded (NFKC: full-width ``Ａ０３`` -> ``A03``),
    surrounding spaces stripped. Plain spaces inside are kept (``A 03`` stays visible as such)."""
    s = str(value)
    if not s.isascii():
        s = "".join(ch for ch in s if not (is_invisible(ch) and ch not in "\t\r\n"))
        s = unicodedata.normalize("NFKC", s)
    elif not s.isprintable():  # a control character (a NUL of a faulty export), said by validation
        s = "".join(ch for ch in s if not (is_invisible(ch) and ch not in "\t\r\n"))
    return s.strip()
