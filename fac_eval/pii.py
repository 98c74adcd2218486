"""The one detector of personal data: used by validation, scrubbing of quotes and the leak scan.

Every free text that can reach a published file (testimonies, free-text answers, the metadata of
``session.yml``, the rendered report, the Excel export) goes through :func:`find_pii`; the
validator (:func:`fac_eval.validation.identifier_problems`), the scrubber
(:func:`fac_eval.privacy.scrub_text`) and the leak scan (:mod:`fac_eval.gate`) all call it, so
that what one of them finds the others find too.

Normalisation (:func:`normalise`) comes first, with a map back to the original text so that a
finding is reported (and scrubbed) where it was written:

- Unicode NFKC (full-width ``＠`` and digits ``０６``, ligatures, superscripts);
- zero-width characters (U+200B–U+200D, U+2060, U+FEFF…) and soft hyphens (U+00AD) removed;
- Cyrillic and Greek letters that look like Latin ones folded to them (``а`` → ``a``);
- case and accents folded (``É`` → ``e``), every kind of space → `` ``, every dash → ``-``.

Kinds found (``Finding.kind``):

``email``
    ``marie.dupont@example.fr``, also written to escape filters: ``marie [at] example [dot] fr``,
    ``(at)``, ``arobase``, ``＠``, spaces around ``@``, ``(dot)``, ``point``. A bare word ``at``
    / ``dot`` / ``point`` without brackets is only taken for an address when the last label is
    a common top-level domain (``fr``, ``com``…), so that "regardé at it point blank" is text.
``phone``
    French numbers in every notation: any one separator (space, dot, dash, en dash, slash,
    underscore) between groups of two digits or between every digit, or none; full-width
    digits; ``+33`` / ``(+33)`` / ``0033`` with or without ``(0)``; the leading 0 missing
    (``6 12 34 56 78``, or 9 digits starting with 6 or 7); other international numbers
    (``+44 20 7946 0958``). Groups of 3 or 4 digits are not phone groups, so amounts
    (``12 500 €``), years, dates (``14/03/2022``), percentages and scores are not phones.
``nir``
    French social-security number (13 digits + 2-digit key, spaces allowed, Corsica ``2A`` /
    ``2B``), only when the key is right: key = 97 − (n mod 97), with 2A read as 19 and 2B as 18.
``iban``
    International bank account number (country code, 2 check digits, up to 30 characters,
    spaces allowed) passing the ISO 13616 mod-97 check.
``address``
    A postal address: a street number, a type of street (rue, avenue, chemin…) and a 5-digit
    postcode within the next few words ("12 bis rue des Lilas, 01500 Ambérieu").
``birth_date``
    A date in a birth context: "née le 3 mars 1980", "né le 03/03/1980", "date de naissance :
    1980-03-03", "born on …". Only the date is the finding.
``participant_id``
    The given participant ids as whole tokens, also with a space, dash, dot or underscore
    inserted between the letters and the digits (``A 03``, ``A-03`` for ``A03``).
``name``
    The given names, whole words, any spaces / hyphens / apostrophes between their parts.

Nothing here reads files; :func:`mask` gives the text shown in messages instead of a value.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "KINDS",
    "Finding",
    "normalise",
    "normalise_with_map",
    "find_pii",
    "contains_pii",
    "nir_is_valid",
    "nir_key",
    "iban_is_valid",
    "mask",
    "mask_text",
    "is_pseudonym",
    "pseudonym_problem",
]

#: Every kind of personal data the detector knows, in priority order (first wins on overlap).
KINDS = ("email", "iban", "nir", "phone", "address", "birth_date", "participant_id", "name")
_PRIORITY = {k: i for i, k in enumerate(KINDS)}

# ============================================================================================
# Normalisation
# ============================================================================================

_ZERO_WIDTH = {
    "\u00ad", "\u034f", "\u061c", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u180b", "\u180c",
    "\u180d", "\u180e", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b",
    "\u202c", "\u202d", "\u202e", "\u2060", "\u2061", "\u2062", "\u2063", "\u2064", "\u2066",
    "\u2067", "\u2068", "\u2069", "\ufeff", "\ufe00", "\ufe0f",
}
#: Cyrillic and Greek letters that look like Latin ones (lower case, after case folding).
_CONFUSABLES = {
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
_DASHES = set("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043")
_APOSTROPHES = set("\u2019\u2018\u02bc\u00b4`\u2032")


@functools.lru_cache(maxsize=4096)
def _norm_char(c: str) -> str:
    if c in _ZERO_WIDTH:
        return ""
    if c in _DASHES:
        return "-"
    if c in _APOSTROPHES:
        return "'"
    if c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029":
        return "\n"
    if c.isspace():
        return " "
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


def _to_original(text: str, src: list[int], a: int, b: int) -> tuple[int, int]:
    start, end = src[a], src[b - 1] + 1
    while end < len(text) and (unicodedata.combining(text[end]) or text[end] in _ZERO_WIDTH):
        end += 1
    return start, end


# ============================================================================================
# Check digits
# ============================================================================================


def nir_key(first13: str) -> int:
    """The key of a French social-security number (NIR) from its first 13 characters:
    97 − (n mod 97), where Corsica's department ``2A`` is read as 19 and ``2B`` as 18."""
    s = first13.upper().replace("2A", "19", 1) if first13[5:7].upper() == "2A" else first13.upper()
    if first13[5:7].upper() == "2B":
        s = first13[:5] + "18" + first13[7:]
    return 97 - int(s) % 97


def nir_is_valid(value: str) -> bool:
    """True when ``value`` (spaces, dots and dashes ignored) is a NIR with the right key."""
    s = re.sub(r"[\s.\-]", "", str(value)).upper()
    if not re.fullmatch(r"[1-478]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}", s):
        return False
    month = int(s[3:5])
    if not (1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99):
        return False
    return nir_key(s[:13]) == int(s[13:])


#: Length of an IBAN per country (ISO 13616 registry, the countries a French programme meets).
IBAN_LENGTHS = {
    "fr": 27, "mc": 27, "de": 22, "be": 16, "es": 24, "it": 27, "ch": 21, "lu": 20, "gb": 22,
    "nl": 18, "pt": 25, "at": 20, "ie": 22, "dk": 18, "se": 24, "no": 15, "fi": 18, "pl": 28,
    "gr": 27, "li": 21, "sm": 27, "ad": 24, "ma": 28, "tn": 24, "dz": 26, "sn": 28, "re": 27,
    "gp": 27, "mq": 27, "gf": 27, "yt": 27, "nc": 27, "pf": 27, "pm": 27, "cz": 24, "ro": 24,
    "hu": 28, "bg": 22, "hr": 21, "si": 19, "sk": 24, "ee": 20, "lv": 21, "lt": 20, "cy": 28,
    "mt": 31, "is": 26, "tr": 26,
}


def iban_is_valid(value: str) -> bool:
    """True when ``value`` (spaces ignored, any case) is an IBAN of the right length for its
    country (when known; 15–34 characters otherwise) whose ISO 13616 mod-97 check is 1."""
    s = re.sub(r"\s", "", str(value)).lower()
    if not re.fullmatch(r"[a-z]{2}\d{2}[a-z0-9]{11,30}", s):
        return False
    if len(s) != IBAN_LENGTHS.get(s[:2], len(s)):
        return False
    moved = s[4:] + s[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return int(digits) % 97 == 1


# ============================================================================================
# Patterns (on normalised text)
# ============================================================================================

_COMMON_TLDS = (
    "fr|com|net|org|eu|info|io|be|ch|de|uk|co|biz|me|re|lu|ca|es|it|pt|gouv|asso|email|online|"
    "free|orange|gmail|yahoo|hotmail|outlook|laposte|sfr|wanadoo"
)
_AT_BRACKET = r" *[\[\(\{<] *(?:at|a|arobase|arobas|chez|@) *[\]\)\}>] *"
_AT_WORD = r" +(?:at|arobase|arobas) +"
_DOT_BRACKET = r" *[\[\(\{<] *(?:dot|point|pt|\.) *[\]\)\}>] *"
_DOT_WORD = r" +(?:dot|point) +"
_DOT_SPACED = r"(?: +\. *| *\. +)"
_LOCAL = r"[a-z0-9](?:[a-z0-9_%+\-]|\.(?=[a-z0-9]))*"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_EMAIL_RE = re.compile(
    r"(?<![a-z0-9_.%+\-])(?P<local>" + _LOCAL + r")"
    r"(?P<at> *@ *|" + _AT_BRACKET + "|" + _AT_WORD + r")"
    r"(?P<domain>" + _LABEL + r"(?:(?:\.|" + _DOT_BRACKET + "|" + _DOT_WORD + "|" + _DOT_SPACED
    + r")" + _LABEL + r")*)"
    r"(?P<dot>" + _DOT_SPACED + r"|\.|" + _DOT_BRACKET + "|" + _DOT_WORD + r")"
    r"(?P<tld>[a-z]{2,24})(?![a-z0-9\-])"
)
_BARE_WORD = re.compile(r"^ +(?:at|arobase|arobas|dot|point) +$")

# phones: groups of two digits, or single digits, with one and the same separator throughout
# (a space, a dot, a dash, a slash or an underscore, possibly with spaces around it), or none
_PSEP = r"(?: ?[.\-/_] ?| {1,2})"
_BEFORE = r"(?<![a-z0-9_+])(?<!\d[.,])"
_AFTER = (r"(?!\d|[.,]\d|[a-z_]| ?%| ?(?:€|eur\b|euros?\b|\$|£|k€|pts?\b|points?\b|ans\b|h\b|"
          r"min\b))")


def _nine(first: str, n: int) -> str:
    """9 national digits (after the 0) starting with ``first``: contiguous, in 1+2+2+2+2
    groups, or digit by digit, one separator throughout (groups numbered from ``n``)."""
    return (rf"{first}(?:\d{{8}}|(?P<s{n}>{_PSEP})\d\d(?:(?P=s{n})\d\d){{3}}"
            rf"|(?P<s{n + 1}>{_PSEP})\d(?:(?P=s{n + 1})\d){{7}})")


_FR_PREFIX = r"(?:(?:\+|00) ?33|\( ?(?:\+|00) ?33 ?\)|\+ ?\( ?33 ?\))"
_PHONE_RES = (
    # +33 6 12 34 56 78, 0033 (0)6…, (+33) 612345678
    ("intl_fr", re.compile(_BEFORE + _FR_PREFIX + r" ?[.\-]? ?(?:\( ?0 ?\) ?)?0?"
                           + _nine("[1-9]", 1) + _AFTER)),
    # other international numbers: +44 20 7946 0958 (8–15 digits, checked below)
    ("intl", re.compile(_BEFORE + r"(?:\+|00)(?!33)[1-9]\d{0,2}(?:[ .\-]?\(?\d{1,4}\)?){2,6}"
                        + _AFTER)),
    # national: 0612345678, 06 12 34 56 78, 06/12/34/56/78, 0 6 1 2 3 4 5 6 7 8
    ("national", re.compile(_BEFORE + r"0(?:[1-9](?:\d{8}|(?P<s1>" + _PSEP
                            + r")\d\d(?:(?P=s1)\d\d){3})|(?P<s2>" + _PSEP
                            + r")[1-9](?:(?P=s2)\d){8})" + _AFTER)),
    # national numbers grouped as the writer likes (0612 345 678, 06 123 456 78, 061.234.5678):
    # ten digits with single spaces or single dots between groups (the count is checked below)
    ("loose_space", re.compile(_BEFORE + r"0[1-9](?:\d| (?=\d)){8,14}" + _AFTER)),
    ("loose_dot", re.compile(_BEFORE + r"0[1-9](?:\d|\.(?=\d)){8,14}" + _AFTER)),
    # leading 0 missing: 6 12 34 56 78 (any first digit), 612345678 or 6 1 2 … (mobiles)
    ("nozero", re.compile(_BEFORE + r"(?:[1-9](?P<s1>" + _PSEP + r")\d\d(?:(?P=s1)\d\d){3}"
                          r"|[67]\d{8}|[67](?P<s2>" + _PSEP + r")\d(?:(?P=s2)\d){7})" + _AFTER)),
)

_NIR_RE = re.compile(
    r"(?<![a-z0-9])[1-478][ .\-]?\d{2}[ .\-]?\d{2}[ .\-]?(?:\d{2}|2a|2b)[ .\-]?\d{3}[ .\-]?\d{3}"
    r"[ .\-]?\d{2}(?![a-z0-9])"
)
_IBAN_RE = re.compile(r"(?<![a-z0-9])[a-z]{2}\d{2}(?: ?[a-z0-9]){11,30}")

_STREET_TYPES = (
    "rue|avenue|av|bd|boulevard|bld|chemin|ch|impasse|imp|allee|all|place|pl|route|rte|quai|"
    "cours|square|sq|passage|lotissement|lot|residence|res|voie|faubourg|fbg|montee|sentier|"
    "hameau|lieu-dit|lieudit|parvis|promenade|rond-point|traverse|cite|clos|esplanade|street|st|"
    "road|rd|lane|ln|drive|dr|way"
)
_ADDRESS_RE = re.compile(
    r"(?<![a-z0-9])\d{1,4} ?(?:bis|ter|quater|[a-d])? ?,? +(?:" + _STREET_TYPES + r")\.? "
    r"[^\n]{1,60}?[ ,\-]*(?<!\d)(?:0[1-9]|[1-8]\d|9[0-8]) ?\d{3}(?!\d)"
)
_MONTHS = (
    "janvier|janv|fevrier|fevr|fev|mars|avril|avr|mai|juin|juillet|juil|aout|septembre|sept|"
    "octobre|oct|novembre|nov|decembre|dec|january|jan|february|feb|march|mar|april|apr|may|"
    "june|jun|july|jul|august|aug|september|sep|october|november|december"
)
_DATE = (
    r"(?:\d{1,2}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?(?:19|20)?\d{2}"
    r"|(?:19|20)\d{2}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?\d{1,2}"
    r"|\d{1,2}(?:er|st|nd|rd|th)?\s+(?:" + _MONTHS + r")\.?\s+(?:19|20)?\d{2}"
    r"|(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{2})"
)
_BIRTH_RE = re.compile(
    r"(?<![a-z])(?:nee?s?(?:\s?\(\s?e\s?\))?\s+(?:le\s+|:\s*)?"
    r"|date\s+de\s+naissance\s*[:\-]?\s*(?:le\s+)?|naissance\s*[:\-]\s*|ddn\s*[:\-]?\s*"
    r"|born\s+(?:on\s+)?|date\s+of\s+birth\s*[:\-]?\s*|birth\s?date\s*[:\-]?\s*|dob\s*[:\-]?\s*)"
    r"(?P<date>" + _DATE + r")(?![\d])"
)


def _email_spans(norm: str) -> list[tuple[int, int]]:
    out = []
    for m in _EMAIL_RE.finditer(norm):
        bare = bool(_BARE_WORD.match(m.group("at"))) or bool(_BARE_WORD.match(m.group("dot"))) \
            or re.search(_DOT_WORD, m.group("domain")) is not None \
            or bool(re.fullmatch(_DOT_SPACED, m.group("dot"))) \
            or re.search(_DOT_SPACED, m.group("domain")) is not None
        if bare and not re.fullmatch(_COMMON_TLDS, m.group("tld")):
            continue
        out.append(m.span())
    return out


def _phone_spans(norm: str) -> list[tuple[int, int]]:
    """Phone numbers (see the module docstring); overlaps are resolved by :func:`find_pii`
    (the earliest, then the longest, wins)."""
    spans: list[tuple[int, int]] = []
    for kind, rx in _PHONE_RES:
        for m in rx.finditer(norm):
            if kind == "intl" and not 8 <= sum(ch.isdigit() for ch in m.group()) <= 15:
                continue
            if kind.startswith("loose") and sum(ch.isdigit() for ch in m.group()) != 10:
                continue
            spans.append(m.span())
    return spans


def _nir_spans(norm: str) -> list[tuple[int, int]]:
    return [m.span() for m in _NIR_RE.finditer(norm) if nir_is_valid(m.group())]


def _iban_spans(norm: str) -> list[tuple[int, int]]:
    out = []
    for m in _IBAN_RE.finditer(norm):
        s = m.group()
        # the longest prefix (ending on a character) that is a valid IBAN
        ends = [i + 1 for i, ch in enumerate(s) if ch.isalnum()]
        for e in reversed(ends):
            cand = s[:e]
            if len(cand.replace(" ", "")) < 15:
                break
            if iban_is_valid(cand):
                out.append((m.start(), m.start() + e))
                break
    return out


def _address_spans(norm: str) -> list[tuple[int, int]]:
    return [m.span() for m in _ADDRESS_RE.finditer(norm)]


def _birth_spans(norm: str) -> list[tuple[int, int]]:
    return [m.span("date") for m in _BIRTH_RE.finditer(norm)]


# ============================================================================================
# Participant ids and names
# ============================================================================================

_ID_SPLIT_RE = re.compile(r"^([a-z]{1,6})[ \-_.]?(\d+)$")
#: Between an id's letters and digits in a text: nothing, one space, or a mark with optional
#: spaces around it (``A-07``, ``A°07``, ``A n°07``, ``A#07``, ``A/07``, ``A : 07``).
_ID_SEP = r"(?P<sep> ?(?:n ?°|no\.|[\-_./#°:·•*+~|]) ?| )?"
_ID_TEXT_RE = re.compile(r"(?<![a-z0-9_])([a-z]{1,6})" + _ID_SEP + r"(\d+)(?![a-z0-9_])")
_TOKEN_RE = re.compile(r"[a-z0-9_]+")


@functools.lru_cache(maxsize=32)
def _id_index(ids: tuple[str, ...]) -> tuple[frozenset, frozenset, tuple[re.Pattern, ...]]:
    """(searchable folded tokens, (letters, digits) pairs, patterns of the other ids)."""
    tokens, pairs, others = set(), set(), []
    for v in ids:
        p = normalise(v).strip()
        if len(p) < 2:
            warnings.warn(f"participant id {v!r} is too short to be searched for", stacklevel=4)
            continue
        if p.isdigit() and len(p) < 6:
            warnings.warn(
                f"participant id {v!r} is a small number: it cannot be told apart from the "
                "figures of a report and is not searched for; use ids with letters (e.g. A01)",
                stacklevel=4)
            continue
        m = _ID_SPLIT_RE.match(p)
        if m:
            pairs.add((m.group(1), m.group(2)))
        if _TOKEN_RE.fullmatch(p):
            tokens.add(p)
        else:
            others.append(re.compile(r"(?<![a-z0-9_])" + re.escape(p) + r"(?![a-z0-9_])"))
    return frozenset(tokens), frozenset(pairs), tuple(others)


def _token_pattern(token: str) -> str:
    """A word of a name; from 4 letters on, also cut by one hyphen, dot or underscore between
    two letters ("Du-rand", "M.a.r.t.i.n"), as a writer escaping a filter would."""
    if len(token) < 4:
        return re.escape(token)
    return r"[\-._·]?".join(re.escape(ch) for ch in token)


@functools.lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern | None:
    tokens = [t for t in re.split(r"[\s\-'.]+", normalise(name).strip()) if t]
    if not tokens or sum(len(t) for t in tokens) < 2:
        return None
    body = r"[\s\-'.]*".join(_token_pattern(t) for t in tokens)
    return re.compile(r"(?<![a-z0-9])" + body + r"(?![a-z0-9])")


def _clean_values(values) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    out: dict[str, None] = {}
    for v in values:
        if v is None or (isinstance(v, float) and v != v):
            continue
        s = str(v).strip()
        if s:
            out.setdefault(s)
    return tuple(sorted(out, key=len, reverse=True))


def _id_spans(norm: str, ids: tuple[str, ...]) -> list[tuple[int, int]]:
    tokens, pairs, others = _id_index(ids)
    spans = []
    if tokens:
        spans += [m.span() for m in _TOKEN_RE.finditer(norm) if m.group() in tokens]
    if pairs:
        # the same digits, or — when letters and digits are joined or separated by a mark, not
        # a bare space ("à 3 mois" is not A03) — the same number (P3 for P03, A°7 for A07)
        numbers = {(a, int(d)) for a, d in pairs}
        for m in _ID_TEXT_RE.finditer(norm):
            letters, sep, digits = m.group(1), m.group("sep"), m.group(3)
            if (letters, digits) in pairs or (
                    sep != " " and (letters, int(digits)) in numbers):
                spans.append(m.span())
    for pat in others:
        spans += [m.span() for m in pat.finditer(norm)]
    return spans


def _name_spans(norm: str, names: tuple[str, ...]) -> list[tuple[int, int]]:
    spans = []
    for n in names:
        pat = _name_pattern(n)
        if pat is not None:
            spans += [m.span() for m in pat.finditer(norm)]
    return spans


# ============================================================================================
# The detector
# ============================================================================================


@dataclass(frozen=True)
class Finding:
    """One piece of personal data in a text: its ``kind`` (one of :data:`KINDS`), its position
    ``[start, end)`` in the original text and the ``text`` found there."""

    start: int
    end: int
    kind: str
    text: str


_DETECTORS = {
    "email": _email_spans, "iban": _iban_spans, "nir": _nir_spans, "phone": _phone_spans,
    "address": _address_spans, "birth_date": _birth_spans,
}


def find_pii(text, participant_ids: Iterable = (), names: Iterable = (),
             kinds: Iterable[str] | None = None) -> list[Finding]:
    """Every piece of personal data in ``text``, non-overlapping, in order of appearance.

    ``participant_ids`` and ``names``: the session's ids and the names of the names file (see
    the module docstring). ``kinds``: restrict to these kinds (default all of :data:`KINDS`).
    When two findings overlap, the longer wins, then the kind that comes first in
    :data:`KINDS`.
    """
    if text is None or (isinstance(text, float) and text != text):
        return []
    text = str(text)
    if not text:
        return []
    wanted = set(KINDS if kinds is None else kinds)
    norm, src = normalise_with_map(text)
    raw: list[tuple[int, int, str]] = []
    for kind, fn in _DETECTORS.items():
        if kind in wanted:
            raw += [(a, b, kind) for a, b in fn(norm)]
    ids = _clean_values(participant_ids)
    if ids and "participant_id" in wanted:
        raw += [(a, b, "participant_id") for a, b in _id_spans(norm, ids)]
    nms = _clean_values(names)
    if nms and "name" in wanted:
        raw += [(a, b, "name") for a, b in _name_spans(norm, nms)]
    raw.sort(key=lambda s: (s[0], -(s[1] - s[0]), _PRIORITY[s[2]]))
    out: list[Finding] = []
    last = -1
    for a, b, kind in raw:
        if a < last or b <= a:
            continue
        oa, ob = _to_original(text, src, a, b)
        out.append(Finding(oa, ob, kind, text[oa:ob]))
        last = b
    return out


def contains_pii(text, participant_ids: Iterable = (), names: Iterable = (),
                 kinds: Iterable[str] | None = None) -> bool:
    """True when :func:`find_pii` finds anything."""
    return bool(find_pii(text, participant_ids, names, kinds))


def mask(value: str) -> str:
    """A value shown in a message without disclosing it: its first character, then one
    ``•`` per remaining letter or digit (separators kept), e.g. ``m•••••@•••••••.••``."""
    s = str(value)
    if len(s) <= 1:
        return "•"
    return s[0] + "".join("•" if ch.isalnum() else ch for ch in s[1:])


def mask_text(text, participant_ids: Iterable = (), names: Iterable = ()) -> str | None:
    """``text`` with every finding of :func:`find_pii` replaced by :func:`mask` of it."""
    if text is None:
        return text
    text = str(text)
    out, pos = [], 0
    for f in find_pii(text, participant_ids, names):
        out += [text[pos:f.start], mask(f.text)]
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


# ============================================================================================
# Pseudonymous ids
# ============================================================================================

#: A pseudonymous id: a letter prefix (1–6 letters), an optional ``-`` or ``_``, then letters
#: and digits with at least one digit (``A01``, ``P01``, ``L000123``, ``P3fa9c01b2e`` from
#: ``fac-eval pseudonymise``), 2–40 characters, ASCII, no space.
PSEUDONYM_RE = re.compile(r"[A-Za-z]{1,6}[-_]?(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{1,38}")


def is_pseudonym(value) -> bool:
    """True when ``value`` looks like a pseudonymous id (:data:`PSEUDONYM_RE`)."""
    return isinstance(value, str) and bool(PSEUDONYM_RE.fullmatch(value)) and len(value) <= 40


def pseudonym_problem(value) -> str | None:
    """Why ``value`` is not an acceptable participant id, or None when it is one.

    ``"numeric"``: digits only (a number cannot be told apart from the report's figures, so it
    would silently escape scrubbing and the leak scan); ``"name"``: looks like a person's name
    (letters and spaces / hyphens / apostrophes, no digit); ``"pii"``: holds an e-mail, a phone
    number…; ``"format"``: anything else that is not :data:`PSEUDONYM_RE`.
    """
    if value is None:
        return None
    s = str(value).strip()
    if not s or is_pseudonym(s):
        return None
    if find_pii(s, kinds=("email", "phone", "nir", "iban")):
        return "pii"
    n = normalise(s)
    if re.fullmatch(r"[\d\s.\-_]+", n):
        return "numeric"
    if re.fullmatch(r"[a-z]+(?:[\s\-'.]+[a-z]+)+", n) or (re.fullmatch(r"[a-z]{2,}", n)
                                                          and not s.isupper()):
        return "name"
    return "format"
