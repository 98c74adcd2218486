"""Part of the personal-data detector (:mod:`fac_eval.disclosure.pii`): text written to escape a filter.

On *normalised* text (:func:`fac_eval.disclosure.pii.normalise`: lower case, no accents);
letter-spaced runs and other disguises are undone by :mod:`fac_eval.disclosure.pii_views`.

:func:`spelled_phone_spans`
    French phone numbers spelled out in words, as they are read aloud ("zéro six douze
    trente-quatre cinquante-six soixante-dix-huit", also mixed with digits, "plus trente-trois
    six …"), and English digit by digit ("zero six one two …").

Nothing here reads files.
"""

from __future__ import annotations

import re

__all__ = ["spelled_phone_spans"]

# ============================================================================================
# Numbers spelled out in words
# ============================================================================================

_UNITS = {"zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
          "six": 6, "sept": 7, "huit": 8, "neuf": 9}
_TEENS = {"dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
          "seize": 16}
_TENS = {"vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
         "soixante": 60, "septante": 70, "huitante": 80, "octante": 80, "nonante": 90}
#: English digits, read one by one ("zero six one two …"; "oh" for 0).
_EN_DIGITS = {"zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
              "six": 6, "seven": 7, "eight": 8, "nine": 9}
#: English numbers read in pairs ("zero six, twelve, thirty-four, fifty-six, seventy-eight").
_EN_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
             "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
            "seventy": 70, "eighty": 80, "ninety": 90}
_WORDS = (set(_UNITS) | set(_TEENS) | set(_TENS) | set(_EN_DIGITS) | set(_EN_TEENS)
          | set(_EN_TENS) | {"et", "plus"})
_TOKEN_RE = re.compile(r"[a-z]+|\d+")
_NUMBER_WORD_RE = re.compile(r"(?<![a-z])(?:" + "|".join(
    sorted(_WORDS - {"et", "plus"}, key=len, reverse=True)) + r")(?![a-z])")
#: What may stand between two numbers of one phone number: spaces and light punctuation.
_GAP_RE = re.compile(r"[ \-,.;/|_:]{0,3}")


def _number_at(tokens: list[str], i: int) -> tuple[str, int] | None:
    """The number (its digits as read) that starts at ``tokens[i]`` and the index after it."""
    t = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if t.isdigit():
        return (t, i + 1) if len(t) <= 2 else None
    if t == "quatre" and nxt in ("vingt", "vingts"):
        base, j = 80, i + 2
    elif t in _TENS:
        base, j = _TENS[t], i + 1
    elif t == "dix" and nxt in ("sept", "huit", "neuf"):
        return str(10 + _UNITS[nxt]), i + 2
    elif t in _TEENS:
        return str(_TEENS[t]), i + 1
    elif t in _UNITS:
        return str(_UNITS[t]), i + 1
    elif t in _EN_DIGITS:
        return str(_EN_DIGITS[t]), i + 1
    elif t in _EN_TEENS:
        return str(_EN_TEENS[t]), i + 1
    elif t in _EN_TENS:  # "thirty-four", "seventy eight", "forty"
        unit = _EN_DIGITS.get(nxt) if nxt not in ("zero", "oh") else None
        return (str(_EN_TENS[t] + unit), i + 2) if unit else (str(_EN_TENS[t]), i + 1)
    else:
        return None
    a = tokens[j] if j < len(tokens) else ""
    b = tokens[j + 1] if j + 1 < len(tokens) else ""
    if a == "et" and b in ("un", "une", "onze"):
        return str(base + (11 if b == "onze" else 1)), j + 2
    if base in (60, 80) and a == "dix" and b in ("sept", "huit", "neuf"):
        return str(base + 10 + _UNITS[b]), j + 2
    if base in (60, 80) and a in _TEENS:
        return str(base + _TEENS[a]), j + 1
    if a in _UNITS and a != "zero":
        return str(base + _UNITS[a]), j + 1
    return str(base), j


def _runs(norm: str):
    """Runs of number tokens (words of numbers or groups of digits) separated only by
    :data:`_GAP_RE`: lists of (token, start, end)."""
    run: list[tuple[str, int, int]] = []
    for m in _TOKEN_RE.finditer(norm):
        tok = m.group()
        if tok not in _WORDS and not (tok.isdigit() and len(tok) <= 2):
            if run:
                yield run
            run = []
            continue
        if run and not _GAP_RE.fullmatch(norm, run[-1][2], m.start()):
            yield run
            run = []
        run.append((tok, m.start(), m.end()))
    if run:
        yield run


def spelled_phone_spans(norm: str) -> list[tuple[int, int]]:
    """Phone numbers spelled out (see the module docstring): a run of numbers, at least one of
    them in words, whose digits make a French number — ten digits starting with 0 and a digit
    1–9, a mobile without its 0 read as five numbers ("six douze trente-quatre cinquante-six
    soixante-dix-huit"), or ``plus trente-trois`` (+33) and nine digits."""
    spans: list[tuple[int, int]] = []
    if not _NUMBER_WORD_RE.search(norm):
        return spans  # no number in words: nothing to read (and no walk through every token)
    for run in _runs(norm):
        if all(t.isdigit() or t in ("et", "plus") for t, _, _ in run):
            continue
        tokens = [t for t, _, _ in run]
        nums: list[tuple[str, int, int]] = []  # (digits, first token, token after)
        i = 0
        while i < len(tokens):
            got = _number_at(tokens, i)
            if got is None:
                nums.append(("", i, i + 1))  # "et", "plus" on their own: a break
                i += 1
                continue
            nums.append((got[0], i, got[1]))
            i = got[1]
        for s in range(len(nums)):
            plus = s > 0 and tokens[nums[s - 1][1]] == "plus"
            digits = ""
            for e in range(s, len(nums)):
                if not nums[e][0]:
                    break
                digits += nums[e][0]
                fr = len(digits) == 10 and re.fullmatch(r"0[1-9]\d{8}", digits) or (
                    # a mobile without its 0, read as five numbers: "six douze trente-quatre…"
                    len(digits) == 9 and digits[0] in "67" and e - s == 4
                    and all(len(nums[j][0]) == 2 for j in range(s + 1, e + 1)))
                intl = plus and len(digits) == 11 and re.fullmatch(r"33[1-9]\d{8}", digits)
                if fr or intl:
                    words = tokens[nums[s][1]:nums[e][2]]
                    if any(not w.isdigit() for w in words):
                        first = nums[s - 1][1] if intl else nums[s][1]
                        spans.append((run[first][1], run[nums[e][2] - 1][2]))
                    break
                if len(digits) > 11:
                    break
    return spans
