"""Part of the personal-data detector (:mod:`fac_eval.disclosure.pii`): the second view of a text,
in which what a writer did to escape a filter is undone, so that every detector reads it again.

:func:`disguise_view` works on *normalised* text (:func:`fac_eval.disclosure.pii.normalise`: lower
case, no accents) and undoes, each where it is found:

- letter-spaced runs, closed up: ``m a r i e @ g m a i l . c o m`` → ``marie@gmail.com``,
  ``A 0 3`` → ``a03``;
- runs of single characters parted by a hyphen, a dot or an underscore, closed up:
  ``m-a-r-i-e @ g-m-a-i-l . c-o-m`` → ``marie @ gmail . com``, ``m.a.r.i.e@g.m.a.i.l.c.o.m`` →
  ``marie@gmailcom`` (the e-mail pattern reads a provider run together with its domain);
  two letters so parted after a dot or an ``@`` too (``o-r-a-n-g-e.f-r``);
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

#: At least three single characters in a row, each separated by one to three spaces (the last
#: one may have a comma, a closing mark or a full stop ending the sentence after it: "… c o m,
#: merci", "à D u p o n t.").
_SPACED_RE = re.compile(r"(?<!\S)\S(?: {1,3}\S(?!\.\S)(?![^\s.,;:!?)\]])){2,}")
#: At least three single letters or digits in a row, parted by one and the same hyphen, dot or
#: underscore (spaces allowed around it): ``m-a-r-i-e``, ``g.m.a.i.l``, ``0 - 6 - 1 …``.
_MARKED_RE = re.compile(r"(?<![a-z0-9])[a-z0-9](?P<s> ?[\-._] ?)[a-z0-9](?:(?P=s)[a-z0-9])+"
                        r"(?![a-z0-9])")
#: Two single letters parted by a hyphen or an underscore right after a dot or an ``@``: the
#: top-level domain of a parted address (``o-r-a-n-g-e.f-r``).
_MARKED_PAIR_RE = re.compile(r"(?<=[.@])[a-z](?P<s>[\-_])[a-z](?![a-z0-9])")
#: A token of digits and of the letters read as digits (o, i, l, s, z: ``O6 I2 34 S6 78``),
#: with at least one of each; no hexadecimal letter (``b`` for 8 would read a commit hash's
#: ``…930b70`` as a phone number).
_LEET_RE = re.compile(r"(?<![a-z0-9])(?=[oilsz]*\d)(?=\d*[oilsz])[0-9oilsz]{2,16}"
                      r"(?![a-z0-9])")
#: One of these letters alone between two digits (``0 6 I 2``, ``06.l2``).
_LEET_ALONE_RE = re.compile(r"(?<=\d[ .\-/_])[oilsz](?=[ .\-/_]\d)")
_LEET = str.maketrans("oilsz", "01152")
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


def _edits(norm: str, apart: bool = False) -> list[_Edit]:
    """The edits of the view; with ``apart``, a letter-spaced run keeps its first character
    apart (``a d u p o n t`` → ``a dupont``: "à" before a name spelled letter by letter)."""
    out: list[_Edit] = []
    # one edit a run: the marks between the characters go ("m-a-r-i-e", first: on the same
    # span it wins), or the spaces go and the marks stay ("m a r i e @ g m a i l . c o m")
    for rx, keep in ((_MARKED_RE, str.isalnum), (_SPACED_RE, lambda c: c != " ")):
        for m in rx.finditer(norm):
            a = m.start()
            src = [a + k for k, c in enumerate(m.group()) if keep(c)]
            if apart and rx is _SPACED_RE:  # the first character, a space, the rest closed up
                src = [src[0], a + 1, *src[1:]]
            text = "".join(norm[i] for i in src)
            if rx is _SPACED_RE:  # "m a r i e a r o b a s e g m a i l p o i n t c o m"
                text, src = _at_words_apart(text, src)
            out.append((a, m.end(), text, src))
    for m in _MARKED_PAIR_RE.finditer(norm):
        out.append((m.start(), m.end(), norm[m.start()] + norm[m.end() - 1],
                    [m.start(), m.end() - 1]))
    for m in _SPELLED_ID_RE.finditer(norm):
        a = m.start("d")
        words = list(_WORD_RE.finditer(m.group("d")))
        digits = "".join(w.group() if w.group().isdigit() else _DIGIT_WORDS[w.group()]
                         for w in words)
        out.append((a, m.end("d"), digits, [a + w.end() - 1 for w in words]))
    out.sort(key=lambda e: (e[0], -e[1]))
    kept: list[_Edit] = []
    for e in out:
        if kept and e[0] < kept[-1][1]:
            continue  # one undoing per character: the first, the longest
        kept.append(e)
    return kept


#: In a closed-up run, the words an address is spelled with: "arobase", then "point" before a
#: top-level domain at the run's end.
_AT_WORD_IN_RUN = re.compile(r"(?<=[a-z0-9])(arobase|arobas)(?=[a-z0-9])")
_DOT_WORD_IN_RUN = re.compile(r"(?<=[a-z0-9])(point)(?=(?:com|fr|net|org|eu|be|ch|io|info)$)")


def _at_words_apart(text: str, src: list[int]) -> tuple[str, list[int]]:
    """``text`` (a closed-up run, ``src`` its indices) with "arobase" and a final "point" parted
    by spaces, so that the e-mail detector reads "mariedupont arobase gmail point com"."""
    m = _AT_WORD_IN_RUN.search(text)
    if m is None:
        return text, src
    for rx in (_DOT_WORD_IN_RUN, _AT_WORD_IN_RUN):  # from the end: the indices stay right
        found = rx.search(text)
        if found is None:
            continue
        a, b = found.span(1)
        text = f"{text[:a]} {text[a:b]} {text[b:]}"
        src = [*src[:a], src[a], *src[a:b], src[b - 1], *src[b:]]
    return text, src


def _leet(norm: str) -> tuple[str, list[tuple[int, int]]]:
    """``norm`` with the letters read as digits translated (the same length, so the same
    indices) and the spans translated."""
    spans: list[tuple[int, int]] = []
    for rx in (_LEET_RE, _LEET_ALONE_RE):
        found = [m.span() for m in rx.finditer(norm)]
        if found:
            spans += found
            norm = rx.sub(lambda m: m.group().translate(_LEET), norm)
    return norm, sorted(spans)


def disguise_view(norm: str, apart: bool = False) -> tuple[str, list[int]] | None:
    """The view of ``norm`` described in the module docstring and, for each of its characters,
    its index in ``norm``; None when there is nothing to undo. ``apart``: see :func:`_edits`
    (the names are looked for in both)."""
    norm, leet = _leet(norm)
    edits = _edits(norm, apart)
    if not edits and not leet:
        return None
    windows: list[list[int]] = []
    for a, b in sorted([(e[0], e[1]) for e in edits] + leet):
        lo, hi = max(0, a - _CONTEXT), min(len(norm), b + _CONTEXT)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    out: list[str] = []
    idx: list[int] = []
    k = 0  # each edit lies inside one window (a window reaches _CONTEXT beyond its edits)
    for lo, hi in windows:
        if out:
            out.append(_WINDOW_SEP)
            idx.extend([lo] * len(_WINDOW_SEP))
        pos = lo
        while k < len(edits) and edits[k][1] <= hi:
            a, b, text, src = edits[k]
            out.append(norm[pos:a])
            idx.extend(range(pos, a))
            out.append(text)
            idx.extend(src if len(src) == len(text) else [a] * len(text))
            pos, k = b, k + 1
        out.append(norm[pos:hi])
        idx.extend(range(pos, hi))
    return "".join(out), idx
