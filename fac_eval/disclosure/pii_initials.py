"""Initials of the listed names, for the ``name`` kind of :func:`fac_eval.disclosure.pii.find_pii`.

The rule (initials are only looked for for the names given to the detector, those of the
names file; never for a word of capitals as such):

- from a listed name of two words or more, split on spaces and hyphens (``Jean-Luc Petit``:
  ``Jean``, ``Luc``, ``Petit``), two sequences of initials are made: the first letter of every
  part (``JLP``) and, for a compound first name, of its parts (``JL``); a sequence has at least
  two letters (``J.P.``, the initials of the words only, is not looked for: ``J-P`` is too often
  another compound first name);
- such a sequence is found written with a mark after its letters: a dot or a hyphen, spaces
  allowed after a dot (``J.-L.``, ``J-L``, ``J.L.P.``, ``J. L. P.``); run together
  without marks (``JLP``) only from three letters on, and never when the letters make one of
  the common acronyms of :data:`COMMON_ACRONYMS` (``CV``, ``PME``: two capitals run together
  are too often a word);
- the first word of the name written out and the first letter of the last word, with or without
  its dot (``Jean-Luc P.``, ``Sophie M.``);
- every initial must be a capital in the text (``j.-l.`` is no initial), and the whole ends
  where a word ends (``JLPX`` is not ``JLP``).

Initials of names not listed are not looked for, nor are capitals that only look like initials
("CV", "RQTH", "PME", "OK"): a text can hold initials of an unlisted person, which the
evaluator's reading must catch.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from .pii_normalise import normalise

#: Acronyms of the programme's domain that a sequence of initials run together may spell; they
#: are found only written with marks (``C.V.`` for Claire Vidal, never ``CV``).
COMMON_ACRONYMS = frozenset({
    "ok", "cv", "pme", "tpe", "eti", "rqth", "rsa", "caf", "cpf", "cdi", "cdd", "cap", "bts",
    "but", "dut", "sas", "sasu", "sarl", "eurl", "rh", "it", "ia", "ai", "pdf", "usa", "ue",
    "eu", "vip", "pro", "tva", "smic", "ape", "naf", "pole", "bpi", "cci", "cma", "epci", "qpv",
    "zrr", "ess", "rgpd", "gdpr", "faq", "seo", "crm", "erp", "tic", "ntic", "lol", "mdr",
})

#: Letters with marks: a letter, then a dot (spaces and one hyphen may follow) or a hyphen,
#: then a letter, at least once; a last dot is part of it.
_MARKED_RE = re.compile(r"(?<![a-z0-9])[a-z](?:(?:\. ?-? ?|-)[a-z]){1,5}\.?(?![a-z0-9])")
#: Capitals run together: three to six letters as a word.
_RUN_RE = re.compile(r"(?<![a-z0-9])[a-z]{3,6}(?![a-z0-9])")
#: A word (with up to three hyphens; bounded, so that a long run of ``a-a-a-`` costs linear
#: time) followed by one letter and maybe a dot: "jean-luc p."
_FIRST_AND_INITIAL_RE = re.compile(
    r"(?<![a-z0-9])([a-z]{2,30}(?:-[a-z]{1,30}){0,3}) ([a-z])(?:\.|(?![a-z0-9]))")


def _parts(name: str) -> list[list[str]]:
    """The words of a normalised name, each as its parts ("jean-luc petit" ->
    [["jean", "luc"], ["petit"]])."""
    return [[p for p in w.split("-") if p] for w in re.split(r"[\s']+", name) if w.strip("-")]


@functools.lru_cache(maxsize=32)
def initials_index(names: tuple[str, ...]) -> tuple[frozenset, frozenset]:
    """(the sequences of initials of ``names``; the (first word, initial of the last word)
    pairs), normalised, computed once per list of names."""
    sequences: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for name in names:
        words = [w for w in _parts(normalise(str(name)).strip()) if w]
        if not words:
            continue
        letters = "".join(p[0] for w in words for p in w)
        candidates = {letters}
        if len(words[0]) > 1:
            candidates.add("".join(p[0] for p in words[0]))
        sequences |= {s for s in candidates if len(s) >= 2 and s.isalpha()}
        if len(words) > 1:
            pairs.add(("-".join(words[0]), words[-1][0][0]))
    return frozenset(sequences), frozenset(pairs)


def initials_spans(norm: str, names: tuple[str, ...],
                   upper: Callable[[int], bool]) -> list[tuple[int, int]]:
    """Spans in ``norm`` (normalised text) of the initials of ``names`` (as listed) by
    the rule of this module; ``upper(i)`` tells whether the letter at ``norm[i]`` is a capital
    in the text."""
    sequences, pairs = initials_index(names)
    if not sequences and not pairs:
        return []
    spans = []
    for m in _MARKED_RE.finditer(norm):
        # every run of the letters, longest first: "J.-L. A la fin" holds J.-L.
        letters = [i for i in range(m.start(), m.end()) if norm[i].isalpha()]
        caps = [upper(i) for i in letters]
        for a in range(len(letters) - 1):
            for b in range(len(letters), a + 1, -1):
                if all(caps[a:b]) and "".join(norm[i] for i in letters[a:b]) in sequences:
                    end = letters[b - 1] + 1
                    spans.append((letters[a], end + (norm[end:end + 1] == ".")))
                    break
    for m in _RUN_RE.finditer(norm):
        word = m.group()
        if word in sequences and word not in COMMON_ACRONYMS and all(
                upper(i) for i in range(m.start(), m.end())):
            spans.append(m.span())
    for m in _FIRST_AND_INITIAL_RE.finditer(norm):
        if (m.group(1), m.group(2)) in pairs and upper(m.start(2)) and upper(m.start(1)):
            spans.append(m.span())
    return spans
