"""The one detector of personal data: used by validation, scrubbing of quotes and the leak scan.

Every free text that can reach a published file (testimonies, free-text answers, the metadata of
``session.yml``, the rendered report, the Excel export) goes through :func:`find_pii`; the
validator (:func:`fac_eval.data.validation.identifier_problems`), the scrubber
(:func:`fac_eval.disclosure.privacy.scrub_text`) and the leak scan (:mod:`fac_eval.disclosure.gate`) all call it, so
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
    Without an ``@``: a local part no word has before a provider (``marie.dupont gmail com``),
    a name, ``at`` / ``arobase`` and a webmail (``marie dupont at gmail``), but not when a word
    before the English ``at`` is one of an English sentence and no top-level domain follows
    ("she works at gmail", "my friends at gmail"). Letters parted by hyphens or dots
    (``m-a-r-i-e @ g-m-a-i-l . c-o-m``) are closed up first
    (:mod:`~fac_eval.disclosure.pii_views`).
``phone``
    French numbers in every notation: any one separator (space, dot, dash, en dash, slash,
    underscore) between groups of two digits or between every digit, or none; full-width
    digits; ``+33`` / ``(+33)`` / ``0033`` with or without ``(0)``; the leading 0 missing
    (``6 12 34 56 78``, or 9 digits starting with 6 or 7); other international numbers
    (``+44 20 7946 0958``); ``o`` for a 0, ``i`` or ``l`` for a 1 inside the digits
    (``O6 I2 34 56 78``). Groups of 3 or 4 digits are not phone groups, so amounts
    (``12 500 €``), years, dates (``14/03/2022``), percentages and scores are not phones.
``nir``
    French social-security number (13 digits + 2-digit key, spaces allowed, Corsica ``2A`` /
    ``2B``), only when the key is right: key = 97 − (n mod 97), with 2A read as 19 and 2B as 18.
``iban``
    International bank account number: a country code of the ISO 13616 registry, 2 check
    digits, exactly that country's length, spaces, dots, dashes, slashes or underscores only
    between groups (each group of the account holds a digit, but the first), ending where a
    word ends, passing the mod-97 check; a hexadecimal digest is none.
``address``
    A postal address: a street number, a type of street (rue, avenue, chemin…) and a 5-digit
    postcode within the next few words, spaced, dashed or dotted or not ("12 bis rue des Lilas,
    01500 Ambérieu", "01-500"); without a postcode, a number, an unmistakable type of street
    and its name ("12 impasse des Lilas"), or any type after a word of dwelling ("j'habite au
    5 place du Marché"). See :mod:`~fac_eval.disclosure.pii_prose`.
``birth_date``
    A date in a birth context: "née le 3 mars 1980", "né le 03/03/1980", "date de naissance :
    1980-03-03", "born on …", also without a year right after the birth word ("née le 3
    mars"), a month and a year ("née en mars 1980"), the date first ("Le 3 mars 1980, je suis
    née"), "Anniversaire : 03/03/1980"; in the weaker of these the year must be a plausible
    year of birth (:mod:`~fac_eval.disclosure.pii_prose`); a year alone ("née en 1980", "born
    in 1975"); never an organisation's founding ("l'association est née le 3 mars"); an age
    is not looked for. Only the date is the finding.
``handle``
    A profile on a social network: ``linkedin.com/in/marie-dupont-7f3a``,
    ``facebook.com/marie.dupont``, ``x.com/…``, or an ``@handle`` that reads as a social
    network's (``@jean_dupont``, ``@jdupont74``), never a lone word (``@media``, ``@domicile``),
    an e-mail domain nor "@ 14 h".
``website``
    A web address the writer calls their own ("mon site", "ma boutique", "my website" then
    ``www.marie-dupont-couture.fr``, in the same sentence); a web address alone names no one.
``plate``, ``jobseeker_id``, ``official_id``
    A French number plate (``AB-123-CD``; with spaces, or an older ``123 ABC 75``, after a word
    of vehicles) and a France Travail identifier (``1234567A`` after the words that name it):
    :mod:`~fac_eval.disclosure.pii_official`.
``participant_id``
    The given participant ids as whole tokens, also with a space, dash, dot or underscore
    inserted between the letters and the digits (``A 03``, ``A-03`` for ``A03``), a letter O
    for a zero (``A O3``), the digits spelled from a zero on (``A zéro trois``).
``name``
    The given names, whole words, any spaces / hyphens / apostrophes between their parts, by the
    rule of :mod:`~fac_eval.disclosure.pii_names` (a name of one word that is a particle is
    searched only inside the full name, one of two letters or a common word only with a
    capital: "Ly", "Petit", never "un petit groupe"; "S. Petit" for Sophie Petit); and
    their initials, by the rule of :mod:`~fac_eval.disclosure.pii_initials`: only initials of a
    listed name of two words or parts or more, at least two capitals, written with dots or
    hyphens (``J.-L.``, ``J-L``, ``J.L.P.`` for Jean-Luc Petit), run together only from three
    letters on and never as a common acronym (``JLP``, but never ``CV``, ``PME``), or the first
    word and the last word's initial (``Jean-Luc P.``). Capitals words of no listed name
    ("CV", "RQTH", "OK") are text.

Nothing here reads files; :func:`mask` gives the text shown in messages instead of a value.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from .pii_checks import IBAN_LENGTHS as IBAN_LENGTHS
from .pii_checks import iban_is_valid, nir_is_valid, nir_key
from .pii_initials import initials_spans
from .pii_names import name_spans, self_named_spans
from .pii_normalise import ZERO_WIDTH, normalise, normalise_with_map
from .pii_normalise import to_original as _to_original
from .pii_official import jobseeker_spans, official_spans, plate_spans
from .pii_patterns import (
    _card_spans,
    _email_spans,
    _iban_spans,
    _nir_spans,
    _phone_spans,
)
from .pii_prose import address_spans, birth_spans, handle_spans, website_spans
from .pii_views import disguise_view

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
KINDS = ("email", "iban", "nir", "card", "phone", "address", "birth_date", "handle", "website",
         "plate", "jobseeker_id", "official_id", "participant_id", "name")
_PRIORITY = {k: i for i, k in enumerate(KINDS)}

# ============================================================================================
# Participant ids and names
# ============================================================================================

_ID_SPLIT_RE = re.compile(r"^([a-z]{1,6})[ \-_.]?(\d+)$")
#: Between an id's letters and digits in a text: nothing, one or two spaces, or one to three
#: marks with optional spaces around them (``A-07``, ``A°07``, ``A n°07``, ``A..07``, ``A\\07``,
#: ``A : 07``).
_ID_SEP = r"(?P<sep> ?(?:n ?°|no\.|[\-_./#°:·•*+~|\\]{1,3}) ?| {1,2})?"
#: An id's letters where they start a word (a digit or an underscore may come before: the
#: second id of ``A01A02``, ``_A05``), its separator, its digits; what may follow is checked
#: by :func:`_id_spans`.
_ID_TEXT_RE = re.compile(r"(?<![a-z])([a-z]{1,6})" + _ID_SEP + r"(\d+(?:[\-._ ]\d(?!\d))*)")
#: Paper sizes ("format A4", "feuille A3"): an unpadded id-like word next to one of these words
#: is the paper, not the participant (``A04`` or ``A 04`` are still the participant).
_PAPER_RE = re.compile(
    r"(?<![a-z])(?:formats?|papiers?|feuilles?|pages?|affiches?|imprim\w*|paper|sheets?|size|"
    r"posters?|enveloppes?|recto|verso|portrait|paysage|landscape|pochettes?|cahiers?|"
    r"plastifi\w*|photocopi\w*|impression|pdf|print\w*)(?![a-z])")
_TOKEN_RE = re.compile(r"[a-z0-9_]+")


@functools.lru_cache(maxsize=32)
def _id_index(ids: tuple[str, ...]) -> tuple[frozenset, frozenset, tuple[re.Pattern, ...],
                                              frozenset, frozenset]:
    """(searchable folded tokens, (letters, digits) pairs, patterns of the other ids, the
    pairs' (letters, number) and their letters), computed once per roster: a session's
    scan calls the detector once per cell with the same ids."""
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
    numbers = frozenset((a, int(d)) for a, d in pairs)
    prefixes = frozenset(a for a, _ in pairs)
    return frozenset(tokens), frozenset(pairs), tuple(others), numbers, prefixes


def _clean_values(values) -> tuple[str, ...]:
    """The distinct non-blank values of ``values`` as strings, longest first. A roster passed
    again (the same values: one call per cell of a session's tables) is cleaned once."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    seen = _CLEANED_ROSTERS.get(id(values))
    if seen is not None and seen[0] is values:  # an immutable roster already cleaned
        return seen[1]
    given = values
    values = tuple(values)
    types = tuple(map(type, values))  # 1 and 1.0 are equal keys, "1" and "1.0" are not
    try:
        cleaned = _clean_tuple(values, types)
    except TypeError:  # an unhashable value: cleaned without the cache
        return _clean_tuple.__wrapped__(values, types)
    if type(given) in (tuple, frozenset) and set(types) <= {str}:
        if len(_CLEANED_ROSTERS) >= 8:
            _CLEANED_ROSTERS.clear()
        _CLEANED_ROSTERS[id(given)] = (given, cleaned)  # holds ``given``: its id stays its own
    return cleaned


#: id of an immutable roster of strings given to :func:`_clean_values` -> (it, its cleaned
#: values): the gate passes the same ids and names for every text of a report
_CLEANED_ROSTERS: dict[int, tuple] = {}


@functools.lru_cache(maxsize=32)
def _clean_tuple(values: tuple, types: tuple) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for v in values:
        if v is None or (isinstance(v, float) and v != v):
            continue
        s = str(v).strip()
        if s:
            out.setdefault(s)
    return tuple(sorted(out, key=len, reverse=True))


def _id_follow_ok(norm: str, end: int, sep: str | None, prefixes=frozenset()) -> bool:
    """What follows an id's digits: the end of the word (an underscore ends it too), a plural
    ``s`` (``A01s``), or — when letters and digits are not parted by a bare space — the next
    id run together with it (``A01A02``: an id's letters, digits, then the same again or the
    end of the word; ``A01B2C``, a colour, is not)."""
    if re.match(r"[.,]\d", norm[end:end + 2]):
        return False  # a figure: "à 20,000", "a 12.5"
    if end >= len(norm) or not norm[end].isalnum():
        return True
    if norm[end] == "s" and (end + 1 >= len(norm) or not norm[end + 1].isalnum()):
        return True
    if sep == " " or sep == "  ":
        return False
    pos = end
    while True:
        m = _RUN_ID_RE.match(norm, pos)
        if m is None or m.group(1) not in prefixes or len(m.group(2)) > 3:
            return False  # "a4a925826902", a commit hash: no id has nine digits
        pos = m.end()
        if pos >= len(norm) or not norm[pos].isalnum():
            return True


_RUN_ID_RE = re.compile(r"([a-z]{1,6})(\d+)")


def _is_paper(norm: str, start: int, end: int) -> bool:
    before = norm[max(0, norm.rfind("\n", 0, start) + 1, start - 30):start]
    stop = norm.find("\n", end)
    after = norm[end:min(end + 30, len(norm) if stop < 0 else stop)]
    return bool(_PAPER_RE.search(before) or _PAPER_RE.search(after))




def _ids_run_before(norm: str, at: int, prefixes: frozenset, numbers: frozenset) -> bool:
    """True when what comes right before ``at`` in its word is one or more ids run together
    from the word's start, each an id's letters and up to three digits (``A01`` before ``A02``
    in ``A01A02``, ``A09A02``). The end of a
    commit hash or a digest ("98f9aa9525a4": "aa9525" is no id) is not: the id-like letters at
    its end are no participant."""
    start = at
    while start > 0 and norm[start - 1].isalnum():
        start -= 1
    run = norm[start:at]
    pieces = _RUN_ID_RE.findall(run)
    return bool(pieces) and "".join(a + d for a, d in pieces) == run and all(
        a in prefixes and (len(d) <= 3 or (a, int(d)) in numbers) for a, d in pieces)


def _id_spans(norm: str, ids: tuple[str, ...], exact: bool = False,
              capital=None) -> list[tuple[int, int]]:
    """Spans of the participant ids ``ids`` in ``norm``; ``exact``: the same digits only (for
    the view of :func:`~fac_eval.disclosure.pii_views.disguise_view`, where what was taken
    out was real). ``capital``:
    tells whether the character at a position of ``norm`` is a capital letter in the text;
    letters parted from the digits by a bare space ("A 12") must be one ("il a 12 ans", "à 14
    km" are words), or a plain lower-case letter before zero-padded digits ("a 03")."""
    tokens, pairs, others, numbers, prefixes = _id_index(ids)
    spans = []
    if tokens:
        spans += [m.span() for m in _TOKEN_RE.finditer(norm) if m.group() in tokens]
    if pairs:
        # the same digits, or — when letters and digits are joined or separated by a mark, not
        # a bare space ("à 3 mois" is not A03) — the same number (P3 for P03, A°7 for A07); an
        # unpadded "A4" next to a word of paper ("format A4") is the paper size
        for m in _ID_TEXT_RE.finditer(norm):
            letters, sep, digits = m.group(1), m.group("sep"), m.group(3)
            end = m.end()
            if re.search(r"[\-._ ]", digits):  # A-0-3: the digits one by one; A03-4: A03
                parts = re.split(r"[\-._ ]", digits)
                if len(parts[0]) == 1:
                    digits = "".join(parts)
                else:
                    digits, end = parts[0], m.start(3) + len(parts[0])
            if letters not in prefixes and letters.rstrip("o") in prefixes and sep is None:
                k = len(letters) - len(letters.rstrip("o"))  # AO3: a letter O for a zero
                letters, digits = letters.rstrip("o"), "0" * k + digits
            if letters not in prefixes or not _id_follow_ok(norm, end, sep, prefixes):
                continue
            a = m.start()
            if a and norm[a - 1].isdigit() and not _ids_run_before(norm, a, prefixes, numbers):
                continue  # after a digit only as the second of two ids run together (A01A02)
            if (exact or (sep is not None and sep.strip() == "")) and capital is not None \
                    and not capital(a) and not (digits.startswith("0") and capital(a) is None):
                continue  # "il a 12 ans", "à 14 km"; "a 03" is still A03
            if (letters, digits) in pairs:
                spans.append((a, end))
            elif (not exact and (sep is None or " " not in sep)
                  and (letters, int(digits)) in numbers):
                if sep is None and not digits.startswith("0") and _is_paper(
                        norm, m.start(), end):
                    continue
                spans.append((a, end))
        # a participant named by role and number: "l'apprenant numéro 3" (A03), "la porteuse
        # n° 2" (P02), "participant #4" (whichever prefix has that number)
        for m in _ROLE_NUMBER_RE.finditer(norm):
            role = m.group("role").rstrip("s")
            wanted = _ROLE_PREFIXES.get(role.removesuffix("e"), prefixes)
            if any((a, int(m.group("n"))) in numbers for a in wanted):
                spans.append(m.span())
    for pat in others:
        spans += [m.span() for m in pat.finditer(norm)]
    return spans


#: A participant named by a role and a number (on normalised text).
_ROLE_NUMBER_RE = re.compile(
    r"(?<![a-z])(?P<role>apprenante?s?|learners?|porteur|porteuse|founders?|participante?s?)"
    r" ?(?:numero|num\.?|n ?°|n ?o\.?|nr\.?|#|number|nb) ?(?P<n>\d{1,3})(?![\d,.]\d|\d)")
#: The id letters of each role (a learner's ids start with A, a founder's with P).
_ROLE_PREFIXES = {"apprenant": ("a",), "learner": ("a",), "porteur": ("p",), "porteus": ("p",),
                  "founder": ("p",)}


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
    "email": _email_spans, "iban": _iban_spans, "nir": _nir_spans, "card": _card_spans,
    "phone": _phone_spans,
    "address": address_spans, "birth_date": birth_spans, "handle": handle_spans,
    "website": website_spans, "plate": plate_spans, "jobseeker_id": jobseeker_spans, "official_id": official_spans,
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
    ids = _clean_values(participant_ids) if "participant_id" in wanted else ()
    nms = _clean_values(names) if "name" in wanted else ()
    norm, src = normalise_with_map(text)
    views = [(norm, src)]
    spaced = disguise_view(norm)  # "m a r i e @ g m a i l . c o m", "m-a-r-i-e", "A zéro 3"
    if spaced is not None:
        views.append((spaced[0], [src[i] for i in spaced[1]]))
        if nms:  # "à D u p o n t": the run's first letter apart, for the names only
            apart = disguise_view(norm, apart=True)
            if apart is not None:
                views.append((apart[0], [src[i] for i in apart[1]]))
    raw: list[tuple[int, int, str]] = []
    for n_view, (view, vsrc) in enumerate(views):
        found: list[tuple[int, int, str]] = []
        for kind, fn in _DETECTORS.items():
            if kind in wanted and n_view < 2:
                found += [(a, b, kind) for a, b in fn(view)]
        if ids:
            def capital(i: int, vsrc=vsrc) -> bool | None:
                c = text[vsrc[i]]  # "À 12 ans" is the preposition
                if any(unicodedata.combining(d) for d in unicodedata.normalize("NFD", c)):
                    return False
                return True if c.isupper() else None  # None: a plain lower-case letter

            found += [(a, b, "participant_id")
                      for a, b in _id_spans(view, ids, n_view > 0, capital)]
        if nms:
            def upper(i: int, vsrc=vsrc) -> bool:
                return text[vsrc[i]].isupper()

            found += [(a, b, "name") for a, b in name_spans(view, nms, upper)]
        if "name" in wanted and n_view == 0:  # "je m'appelle Marie Dupont", names file or not
            found += [(a, b, "name") for a, b in self_named_spans(
                view, lambda i: text[src[i]].isupper())]
            if n_view == 0:  # initials of the listed names (J.-L., JLP, Jean-Luc P.)
                found += [(a, b, "name") for a, b in initials_spans(
                    view, nms, lambda i: text[src[i]].isupper())]
        raw += [(*_to_original(text, vsrc, a, b), kind) for a, b, kind in found if b > a]
    raw.sort(key=lambda s: (s[0], -(s[1] - s[0]), _PRIORITY[s[2]]))
    out: list[Finding] = []
    last = -1
    for a, b, kind in raw:
        if a < last or b <= a:
            continue
        out.append(Finding(a, b, kind, text[a:b]))
        last = b
    return out


def contains_pii(text, participant_ids: Iterable = (), names: Iterable = (),
                 kinds: Iterable[str] | None = None) -> bool:
    """True when :func:`find_pii` finds anything."""
    return bool(find_pii(text, participant_ids, names, kinds))


def mask(value: str) -> str:
    """A value shown in a message without disclosing it: its first character, then one
    ``•`` per remaining letter or digit (separators kept), e.g. ``m•••••@•••••••.••``."""
    s = "".join(ch for ch in str(value) if ch not in ZERO_WIDTH)  # no override in a message
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
#: ``fac-eval pseudonymise``), 2–40 characters, ASCII, no space. :func:`is_pseudonym` also
#: refuses a name with digits (:func:`_name_with_digits`).
PSEUDONYM_RE = re.compile(r"[A-Za-z]{1,6}[-_]?(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{1,38}")
#: The id ``fac-eval pseudonymise`` computes: its prefix (A or P) and hexadecimal digits.
_HEX_ID_RE = re.compile(r"[A-Za-z][-_]?[0-9a-f]{6,64}")


def _name_with_digits(value: str) -> bool:
    """True when the letters before the first digit read as a word rather than a code: four
    letters or more (``Dupont01``, ``MARTIN2``), or three that are not all capitals (``Zoe01``,
    ``lea7``; ``APP01`` is a code) — unless the whole id is a prefix and hexadecimal digits, as
    ``fac-eval pseudonymise`` writes it (``Pfabe3c01d``)."""
    letters = re.match(r"[A-Za-z]*", value).group()  # type: ignore[union-attr]
    if len(letters) < 3 or _HEX_ID_RE.fullmatch(value):
        return False
    return len(letters) >= 4 or not letters.isupper()


def is_pseudonym(value) -> bool:
    """True when ``value`` looks like a pseudonymous id (:data:`PSEUDONYM_RE`): the convention
    A01… for learners and P01… for founders, or the id of ``fac-eval pseudonymise``; never a
    name with digits (``Dupont01``)."""
    return (isinstance(value, str) and bool(PSEUDONYM_RE.fullmatch(value)) and len(value) <= 40
            and not _name_with_digits(value))


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
    if find_pii(s, kinds=("email", "phone", "nir", "iban", "card")):
        return "pii"
    n = normalise(s)
    if re.fullmatch(r"[\d\s.\-_]+", n):
        return "numeric"
    if re.fullmatch(r"[a-z]+(?:[\s\-'.]+[a-z]+)+", n) or (re.fullmatch(r"[a-z]{2,}", n)
                                                          and not s.isupper()):
        return "name"
    if PSEUDONYM_RE.fullmatch(s) or re.fullmatch(r"[^\W\d_]{3,}[\s\-_.']?\d+", s):
        return "name"  # a name with digits: Dupont01, Zoé-12
    return "format"
