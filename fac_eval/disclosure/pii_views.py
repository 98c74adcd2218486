"""Part of the personal-data detector (:mod:`fac_eval.disclosure.pii`): the second view of a text,
in which what a writer did to escape a filter is undone, so that every detector reads it again.

:func:`disguise_view` works on *normalised* text (:func:`fac_eval.disclosure.pii.normalise`: lower
case, no accents) and undoes, each where it is found:

- letter-spaced runs, closed up: ``m a r i e @ g m a i l . c o m`` → ``marie@gmail.com``,
  ``A 0 3`` → ``a03``;
- runs of single characters parted by a hyphen, a dot or an underscore, closed up:
  ``m-a-r-i-e @ g-m-a-i-l . c-o-m`` → ``marie @ gmail . com``, ``m.a.r.i.e@g.m.a.i.l.c.o.m`` →
  ``marie@gmailcom`` (the e-mail pattern reads a provider run together with its domain);
- letters written for digits inside a group of digits: ``o`` for 0, ``i`` or ``l`` for 1
  (``06 I2 34 56 78``, ``O6 l2 …``, ``A O3``), only in a token of digits and these letters
  that has a digit, or alone between two digits (``0 6 I 2 …``);
- the digits of an id spelled in words after its letters, from a ``zéro`` on (ids are padded
  with zeros): ``A zéro deux`` → ``a 02``, ``a zero 3`` → ``a 03``, ``P zéro trois`` → ``p 03``.

The view is made only of windows around these places (:data:`_CONTEXT` characters on each
side, so that a finding that starts or ends there has what it needs), joined by a separator no
detector matches across; the cost stays that of the places found, not of the whole text. Each
character of the view has the index in the normalised text of the character it comes from (a
digit read from a word: the word's last letter, so that a finding ending on it covers the
word). Nothing here reads files.
"""

from __future__ import annotations

import re

__all__ = ["disguise_view"]

#: At least three single characters in a row, each separated by one to three spaces.
_SPACED_RE = re.compile(r"(?<!\S)\S(?: {1,3}\S(?!\S)){2,}")
#: At least three single letters or digits in a row, parted by one and the same hyphen, dot or
#: underscore (spaces allowed around it): ``m-a-r-i-e``, ``g.m.a.i.l``, ``0 - 6 - 1 …``.
_MARKED_RE = re.compile(r"(?<![a-z0-9])[a-z0-9](?P<s> ?[\-._] ?)[a-z0-9](?:(?P=s)[a-z0-9])+"
                        r"(?![a-z0-9])")
#: A token of digits and of the letters o, i, l read as digits, with at least one of each.
_LEET_RE = re.compile(r"(?<![a-z0-9])(?=[oil]*\d)(?=\d*[oil])[0-9oil]{2,16}(?![a-z0-9])")
#: One of these letters alone between two digits (``0 6 I 2``, ``06.l2``).
_LEET_ALONE_RE = re.compile(r"(?<=\d[ .\-/_])[oil](?=[ .\-/_]\d)")
_LEET = str.maketrans("oil", "011")
_DIGIT_WORDS = {"zero": "0", "un": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5",
                "six": "6", "sept": "7", "huit": "8", "neuf": "9", "one": "1", "two": "2",
                "three": "3", "four": "4", "five": "5", "seven": "7", "eight": "8",
                "nine": "9"}
_DIGIT_WORD = "(?:" + "|".join(_DIGIT_WORDS) + r"|\d)"
#: An id's letters, then its digits in words from a ``zero`` on: ``a zero deux``, ``p-zero-3``.
_SPELLED_ID_RE = re.compile(r"(?<![a-z0-9'])(?P<p>[a-z]{1,6})[ \-]{1,2}(?P<d>zero(?:[ \-]{1,2}"
                            + _DIGIT_WORD + r"(?![a-z0-9])){1,5})")
_WORD_RE = re.compile(r"[a-z]+|\d")

#: Text kept on each side of a place undone in the view (what a finding that starts or ends
#: there may need: the rest of an e-mail, a birth context…).
_CONTEXT = 80
#: Between two windows of the view: no detector matches across it.
_WINDOW_SEP = "\n\x00\n"

#: An edit of the normalised text: [start, end) is replaced by ``text``, whose characters come
#: from the indices ``src`` of the normalised text.
_Edit = tuple[int, int, str, list[int]]


def _edits(norm: str) -> list[_Edit]:
    out: list[_Edit] = []
    for m in _SPACED_RE.finditer(norm):  # the spaces go, the marks stay ("@", ".")
        out += [(i, i + 1, "", []) for i in range(m.start(), m.end()) if norm[i] == " "]
    for m in _MARKED_RE.finditer(norm):  # the marks between the characters go
        out += [(i, i + 1, "", []) for i in range(m.start(), m.end()) if not norm[i].isalnum()]
    for m in _LEET_RE.finditer(norm):
        a = m.start()
        out += [(a + k, a + k + 1, ch.translate(_LEET), [a + k])
                for k, ch in enumerate(m.group()) if ch in "oil"]
    out += [(m.start(), m.end(), m.group().translate(_LEET), [m.start()])
            for m in _LEET_ALONE_RE.finditer(norm)]
    for m in _SPELLED_ID_RE.finditer(norm):
        a = m.start("d")
        words = list(_WORD_RE.finditer(m.group("d")))
        digits = "".join(w.group() if w.group().isdigit() else _DIGIT_WORDS[w.group()]
                         for w in words)
        out.append((a, m.end("d"), digits, [a + w.end() - 1 for w in words]))
    out.sort(key=lambda e: (e[0], -(e[1] - e[0])))
    kept: list[_Edit] = []
    for e in out:
        if kept and e[0] < kept[-1][1]:
            continue  # one undoing per character: the first, the longest
        kept.append(e)
    return kept


def disguise_view(norm: str) -> tuple[str, list[int]] | None:
    """The view of ``norm`` described in the module docstring and, for each of its characters,
    its index in ``norm``; None when there is nothing to undo."""
    edits = _edits(norm)
    if not edits:
        return None
    windows: list[list[int]] = []
    for a, b, _, _ in edits:
        lo, hi = max(0, a - _CONTEXT), min(len(norm), b + _CONTEXT)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    out: list[str] = []
    idx: list[int] = []
    k = 0
    for lo, hi in windows:
        if out:
            out.append(_WINDOW_SEP)
            idx.extend([lo] * len(_WINDOW_SEP))
        i = lo
        while i < hi:
            while k < len(edits) and edits[k][1] <= i:
                k += 1
            if k < len(edits) and edits[k][0] <= i:
                a, b, text, src = edits[k]
                if i == a:
                    out.append(text)
                    idx.extend(src if len(src) == len(text) else [a] * len(text))
                i = max(i + 1, b)
                continue
            out.append(norm[i])
            idx.append(i)
            i += 1
    return "".join(out), idx
