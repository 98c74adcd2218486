"""Characters a person cannot see, in ids, codes and messages.

Two values that look the same on screen (``A03`` and ``A<U+200B>03``) must be the same on
reading, or be told apart in messages:

- :func:`clean_id` removes them from participant ids; :func:`drop_format_chars` from the keys
  used to match headers and answer codes;
- :func:`invisible_characters` / :func:`describe_invisible` give their code points for messages
  (``caractère invisible U+200B en position 2``).

Invisible means every Unicode "format" character (category Cf: zero-width space and joiners, BOM,
soft hyphen, directional marks and isolates, word joiner…), the spaces other than the plain space
(non-breaking, narrow, thin…) and control characters other than tab and line ends.
"""

from __future__ import annotations

import unicodedata
from typing import Any

__all__ = ["is_invisible", "invisible_characters", "describe_invisible", "clean_id",
           "drop_format_chars"]


def is_invisible(ch: str) -> bool:
    """Whether ``ch`` cannot be seen or told from a plain space on screen."""
    cat = unicodedata.category(ch)
    return cat == "Cf" or (cat == "Zs" and ch != " ") or (cat == "Cc" and ch not in "\t\r\n")


def invisible_characters(value: str) -> list[tuple[int, str]]:
    """``(position, character)`` (1-based) of each invisible or unusual character of ``value``."""
    return [(i, ch) for i, ch in enumerate(str(value), start=1) if is_invisible(ch)]


def describe_invisible(found: list[tuple[int, str]], lang: str = "fr", limit: int = 5) -> str:
    """``caractère invisible U+200B en position 2`` (code points, at most ``limit`` listed)."""
    en = lang == "en"
    parts = [f"U+{ord(ch):04X} {'at position' if en else 'en position'} {i}"
             for i, ch in found[:limit]]
    if len(found) > limit:
        parts.append(f"+{len(found) - limit}")
    if en:
        return ("invisible character " if len(found) == 1 else "invisible characters ") + ", ".join(parts)
    return ("caractère invisible " if len(found) == 1 else "caractères invisibles ") + ", ".join(parts)


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
        s = "".join(ch for ch in s if not (unicodedata.category(ch) == "Cf"
                                           or (unicodedata.category(ch) == "Zs" and ch != " ")))
        s = unicodedata.normalize("NFKC", s)
    return s.strip()
