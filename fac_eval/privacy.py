"""Privacy: small-cell suppression, scrubbing of quotes, leak scan of reports, pseudonymisation.

A Form'Ain Cube session has 8 learners, 6 of them with a recognised disability (RQTH, health
data under GDPR art. 9): any breakdown can single someone out. This module holds the rules the
report applies; see ``DESIGN.md`` (section Privacy).

Small cells (:func:`suppress_small_cells`)
    INSEE's frequency rule: a cell counting 1 or 2 units (``0 < n < min_cell``, ``min_cell=3``)
    is not published; it is shown as ``"< 3"``.

    *Zeros are shown.* A 0 describes no individual, and hiding it would make every table of a
    tiny cohort unreadable. Be aware that a 0 (or a cell equal to its total) still tells
    something about *everyone* in the group ("none of the women dropped out"): do not publish
    breakdowns of health data (RQTH) by another characteristic at all; ``suppress_zeros=True``
    treats zeros as small cells for such tables. The report and the Excel export use
    ``suppress_zeros=True`` for the breakdowns of personal characteristics (gender, age band,
    education) and for the reasons for dropping out: shown zeros would pin down hidden cells
    (two hidden cells summing to 2 beside shown zeros are 1 and 1).

    *Complementary suppression.* The report always states the size of each group, so a column's
    total is known even when no total row is printed (``totals_known=True``, the default). When
    exactly one cell of a breakdown is hidden, the reader could recompute it by subtraction;
    the smallest *non-zero* remaining cell of that breakdown is then hidden as well (the
    smallest, to lose the least information; non-zero, because hiding a 0 alongside a 1 or a 2
    would protect little). The complementary cell is never a single zero while other zeros are
    shown: when the only remaining cells are zeros, *all* of them are hidden (hiding one zero
    next to a "< 3" would show where the small count is). With ``suppress_zeros=True`` the
    complementary cell is always a count >= ``min_cell``. The complementary cell is marked
    ``"masqué"`` / ``"hidden"``, never ``"< 3"`` (which could be false). The rule is applied
    down each count column (over the rows) and, when a row-total column is given
    (``total_column``), also across each row; it is repeated until stable. Totals are never
    suppressed.

    *One marker in published outputs.* Two markers tell the reader which hidden cell is the
    small one ("< 3" next to "masqué" with a known total of 4 pins both cells down). Every
    published view of fac_eval (session report, Excel export, comparison report) therefore
    passes ``marker=`` (:data:`HIDDEN_MARKER`: "masqué" / "hidden") so that all hidden cells
    look alike; ``mask`` and ``attrs["suppression"]`` keep the distinction for the evaluator.

Sensitive shares (:func:`share_is_disclosive`)
    A headline share of a sensitive characteristic (RQTH, long-term unemployment, digital
    sector at follow-up: :data:`SENSITIVE_SHARES`) is a two-cell breakdown (k and n − k): it is
    masked when either cell is in ``[1, min_cell − 1]``; for RQTH (health data) also when
    k == 0 or k == n, since "all" or "none" discloses everyone's status.

Quotes (:func:`scrub_text`) and reports (:func:`find_leaks`, :func:`check_no_leaks`)
    E-mail addresses, phone numbers (French national and international formats), participant
    ids and the names given are replaced by placeholders in quotes; a rendered report is scanned
    for the same four kinds and the run fails with :class:`LeakError` when any is found.
    :func:`contact_kinds` tells whether a raw cell holds an e-mail or a phone number (the
    validator refuses such cells: :func:`fac_eval.validation.identifier_problems`).

Pseudonymisation (:func:`pseudonym`, :func:`pseudonymise`, :func:`pseudonymise_file`)
    Raw files hold pseudonymous ids, never names. The id is ``prefix`` + the first ``length``
    hex digits of HMAC-SHA256(key, normalised value). The key comes from :func:`load_key`
    (environment variable or a key file *outside* any git repository). Without the key the
    ids cannot be linked back to names, even by someone who can guess the names.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
import functools
import re
import secrets
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

import pandas as pd

__all__ = [
    "DEFAULT_MIN_CELL",
    "SuppressedTable",
    "suppress_small_cells",
    "is_breakdown_safe",
    "HIDDEN_MARKER",
    "SENSITIVE_SHARES",
    "share_is_disclosive",
    "FOLLOWUP_DETAIL",
    "followup_detail_publishable",
    "EMAIL_RE",
    "looks_like_email",
    "looks_like_phone",
    "contact_kind",
    "contact_kinds",
    "scrub_text",
    "Leak",
    "LeakError",
    "find_leaks",
    "check_no_leaks",
    "identifier_kind",
    "direct_identifier_columns",
    "normalise_identifier",
    "pseudonym",
    "pseudonymise",
    "KeyMissingError",
    "KeyInRepositoryError",
    "PseudonymisationError",
    "generate_key",
    "load_key",
    "PseudonymisationSummary",
    "pseudonymise_file",
]

DEFAULT_MIN_CELL = 3

# ============================================================================================
# Text folding (case- and accent-insensitive matching with a map back to the original text)
# ============================================================================================

_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"}


def _fold_char(c: str) -> str:
    if c in _APOSTROPHES:
        return _APOSTROPHES[c]
    d = unicodedata.normalize("NFKD", c)
    return "".join(ch for ch in d if not unicodedata.combining(ch)).lower()


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents ("Zoé ÉLISE" -> "zoe elise")."""
    return "".join(_fold_char(c) for c in text)


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded character, the index of its source character."""
    out: list[str] = []
    src: list[int] = []
    for i, c in enumerate(text):
        f = _fold_char(c)
        out.append(f)
        src.extend([i] * len(f))
    return "".join(out), src


def _span_to_original(text: str, src: list[int], a: int, b: int) -> tuple[int, int]:
    start = src[a]
    end = src[b - 1] + 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return start, end


# ============================================================================================
# Small-cell suppression
# ============================================================================================


class SuppressedTable(NamedTuple):
    """Result of :func:`suppress_small_cells`.

    ``table``: a copy of the input whose count columns are ``object``: shown counts are Python
    ``int`` (or the original value when not integral / missing), hidden ones the strings
    ``"< 3"`` (small cell) or ``"masqué"``/``"hidden"`` (complementary suppression).
    ``mask``: boolean DataFrame (same index, the count columns) — True where a cell is hidden,
    for either reason. ``table.attrs["suppression"]`` records ``min_cell`` and the lists of
    ``primary`` and ``complementary`` (row label, column) cells.
    """

    table: pd.DataFrame
    mask: pd.DataFrame


def _counts_frame(table: pd.DataFrame, count_columns: Sequence[str]) -> pd.DataFrame:
    missing = [c for c in count_columns if c not in table.columns]
    if missing:
        raise KeyError(f"count columns not in the table: {missing}")
    counts = table[list(count_columns)].apply(pd.to_numeric, errors="raise").astype("float64")
    if (counts < 0).any().any():
        raise ValueError("counts must be non-negative")
    return counts


def _complement(values: pd.Series, hidden: pd.Series) -> list:
    """Labels of the cells to hide so that a single hidden cell cannot be recomputed: the
    smallest non-zero remaining cell, or — when only zeros remain — all of them (never one
    zero among shown zeros)."""
    candidates = values[~hidden & values.notna()]
    if candidates.empty:
        return []
    nonzero = candidates[candidates > 0]
    if nonzero.empty:
        return list(candidates.index)
    # smallest value; ties broken by position (first row / column)
    return [nonzero.index[int(nonzero.to_numpy().argmin())]]


def suppress_small_cells(
    table: pd.DataFrame,
    count_columns: Sequence[str] | str,
    min_cell: int = DEFAULT_MIN_CELL,
    total_column: str | None = None,
    *,
    total_row=None,
    totals_known: bool = True,
    suppress_zeros: bool = False,
    lang: str = "fr",
    complement_text: str | None = None,
    marker: str | None = None,
) -> SuppressedTable:
    """Hide the cells of a breakdown that count fewer than ``min_cell`` units.

    ``table``: one row per category, one or more ``count_columns`` (other columns are copied
    untouched). ``total_column``: a column of row totals (always shown; enables complementary
    suppression across each row). ``total_row``: the label of a row of column totals (always
    shown, excluded from the breakdown). ``totals_known``: the column totals are known to the
    reader (printed elsewhere, e.g. "8 apprenants") — then a lone hidden cell of a column gets a
    complementary one. ``marker``: one text for every hidden cell, small or complementary
    (published outputs use :data:`HIDDEN_MARKER`). See the module docstring for the rule.

    Returns a :class:`SuppressedTable` ``(table, mask)``.
    """
    if isinstance(count_columns, str):
        count_columns = [count_columns]
    count_columns = [c for c in count_columns if c != total_column]
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")
    counts = _counts_frame(table, count_columns)
    if counts.index.has_duplicates:
        raise ValueError("the table's index must be unique (one row per category)")
    rows = [r for r in counts.index if not (total_row is not None and r == total_row)]
    body = counts.loc[rows]

    low = 0 if suppress_zeros else 1
    primary = (body >= low) & (body < min_cell) & body.notna()
    hidden = primary.copy()
    complementary: list[tuple] = []

    changed = True
    while changed:
        changed = False
        if totals_known or total_row is not None:
            for col in count_columns:
                if int(hidden[col].sum()) == 1:
                    for pick in _complement(body[col], hidden[col]):
                        hidden.loc[pick, col] = True
                        complementary.append((pick, col))
                        changed = True
        if total_column is not None:
            for r in rows:
                if int(hidden.loc[r].sum()) == 1:
                    for pick in _complement(body.loc[r], hidden.loc[r]):
                        hidden.loc[r, pick] = True
                        complementary.append((r, pick))
                        changed = True

    small_text = f"< {min_cell}"
    if complement_text is None:
        complement_text = "hidden" if str(lang).lower().startswith("en") else "masqué"
    if marker is not None:  # one text for every hidden cell (published outputs)
        small_text = complement_text = marker

    out = table.copy()
    mask = pd.DataFrame(False, index=table.index, columns=count_columns)
    for col in count_columns:
        values: list = []
        for r in table.index:
            v = table.at[r, col]
            if r in hidden.index and bool(hidden.at[r, col]):
                values.append(small_text if bool(primary.at[r, col]) else complement_text)
                mask.at[r, col] = True
            else:
                num = counts.at[r, col]
                values.append(int(num) if pd.notna(num) and float(num).is_integer() else v)
        out[col] = pd.Series(values, index=table.index, dtype=object)
    out.attrs = dict(table.attrs)
    out.attrs["suppression"] = {
        "min_cell": min_cell,
        "primary": [(r, c) for c in count_columns for r in rows if bool(primary.at[r, c])],
        "complementary": complementary,
    }
    return SuppressedTable(out, mask)


def is_breakdown_safe(
    table: pd.DataFrame,
    count_columns: Sequence[str] | str,
    min_cell: int = DEFAULT_MIN_CELL,
    *,
    suppress_zeros: bool = False,
) -> bool:
    """True when no count cell of the breakdown lies in ``[1, min_cell - 1]`` (or is 0 when
    ``suppress_zeros``), i.e. the table can be published as it is."""
    if isinstance(count_columns, str):
        count_columns = [count_columns]
    counts = _counts_frame(table, count_columns)
    low = 0 if suppress_zeros else 1
    return not bool(((counts >= low) & (counts < min_cell)).any().any())


#: The text of every hidden cell in published outputs (one marker: see the module docstring).
HIDDEN_MARKER = {"fr": "masqué", "en": "hidden"}

#: Headline shares of sensitive characteristics, masked when disclosive
#: (:func:`share_is_disclosive`); the value says whether "all" / "none" is disclosive too
#: (health data: RQTH).
SENSITIVE_SHARES = {
    "learners.rqth": True,
    "learners.unemployed_over_24m": False,
    "followup.digital_sector": False,
}


def share_is_disclosive(indicator: str, k, n, min_cell: int = DEFAULT_MIN_CELL) -> bool:
    """True when the share ``k / n`` of a sensitive indicator (:data:`SENSITIVE_SHARES`) must
    not be published: k or n − k in ``[1, min_cell − 1]``, or, for RQTH, k == 0 or k == n.
    Other indicators, and shares without data (n missing or 0), are never disclosive here."""
    if indicator not in SENSITIVE_SHARES or pd.isna(k) or pd.isna(n) or not n:
        return False
    k, n = int(k), int(n)
    if any(0 < c < min_cell for c in (k, n - k)):
        return True
    return bool(SENSITIVE_SHARES[indicator]) and k in (0, n)


#: The detail of the dynamic exits at follow-up (their total is the sortie dynamique numerator).
FOLLOWUP_DETAIL = ("followup.durable", "followup.transition", "followup.positive")


def followup_detail_publishable(counts: Iterable, min_cell: int = DEFAULT_MIN_CELL) -> bool:
    """True when the detail of the dynamic exits (durable, transition, positive counts) can be
    published: each count is 0 or at least ``min_cell``.

    Follow-up rule (report, Excel export, comparison report): the cohort accounting totals
    (learners followed up, respondents, no news, neutralised — never a neutralised *reason*) and
    the sortie dynamique k / n are exact; "other situation" is derivable from them and shown as
    a total; the three-way detail of the dynamic exits is published only when this returns
    True, otherwise only their total is."""
    values = [0 if pd.isna(c) else int(c) for c in counts]
    return all(c == 0 or c >= min_cell for c in values)


# ============================================================================================
# E-mail and phone detection
# ============================================================================================

#: An e-mail address (standard practical form; unicode letters allowed).
EMAIL_RE = re.compile(
    r"(?<![\w.+\-])[\w.%+\-]+@(?:[\w\-]+\.)+[A-Za-z]{2,24}(?![\w\-])"
)

_SEP = r"[ .\-\u00a0\u202f]?"
_BEFORE = r"(?<![\w.,/+\-])"
_AFTER = r"(?![\w])(?![.,/]\d)(?!\s?[%€$£])"
#: French national numbers: 06 12 34 56 78, 06.12.34.56.78, 06-12-34-56-78, 0612345678.
_FR_NATIONAL = r"0[1-9](?:" + _SEP + r"\d{2}){4}"
#: French numbers in international form: +33 6 12 34 56 78, +33 (0)6 12 34 56 78, 0033612345678.
_FR_INTL = r"(?:\+|00)[ \u00a0]?33[ \u00a0]?(?:\(0\)[ \u00a0]?)?[1-9](?:" + _SEP + r"\d{2}){4}"
#: Other international numbers: +44 20 7946 0958, +1 (555) 123-4567 (8–15 digits, checked).
_INTL = r"(?:\+|00)[1-9]\d{0,2}(?:[ .\-\u00a0\u202f]?\(?\d{1,4}\)?){2,6}"
PHONE_RE = re.compile(_BEFORE + "(?:" + "|".join([_FR_INTL, _INTL, _FR_NATIONAL]) + ")" + _AFTER)


def _phone_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in PHONE_RE.finditer(text):
        digits = sum(ch.isdigit() for ch in m.group())
        if 8 <= digits <= 15:
            spans.append(m.span())
    return spans


def looks_like_email(value) -> bool:
    """True when ``value`` (a cell) is an e-mail address."""
    if not isinstance(value, str):
        return False
    v = value.strip()
    m = EMAIL_RE.fullmatch(v)
    return m is not None


def looks_like_phone(value) -> bool:
    """True when ``value`` (a cell) is a phone number.

    Strings must be a whole phone number in one of the formats of :data:`PHONE_RE`. Integers (and
    integral floats) are also recognised when a spreadsheet has dropped the leading 0 of a
    French number (9 digits starting with 1–7 or 9, e.g. ``612345678``) or the ``+`` of an
    international one (``33612345678``).
    """
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and (value != value or not value.is_integer()):
            return False
        digits = str(int(value))
        if len(digits) == 9 and digits[0] in "12345679":
            return True
        return len(digits) == 11 and digits.startswith("33") and digits[2] in "123456789"
    if not isinstance(value, str):
        return False
    v = value.strip()
    spans = _phone_spans(v)
    return len(spans) == 1 and spans[0] == (0, len(v))


def contact_kinds(value, whole: bool = False) -> list[str]:
    """Which contact data the cell ``value`` holds: a list among ``"email"`` and ``"phone"``
    (in that order; empty when none).

    ``whole=False`` (free text, ids): found anywhere in the text ("écrivez-moi à a.b@c.fr").
    ``whole=True`` (typed cells: numbers, dates, codes): only when the whole cell is one
    (:func:`looks_like_email`, :func:`looks_like_phone`), so that ordinary figures such as
    ``45200``, ``12 500`` or ``2022-03-14`` are never taken for phone numbers. Strings of
    digits without a leading 0 or ``+`` (``612345678``) are not flagged.
    """
    if value is None or (isinstance(value, float) and value != value):
        return []
    if whole or not isinstance(value, str):
        if looks_like_email(value):
            return ["email"]
        return ["phone"] if looks_like_phone(value) else []
    found = []
    if EMAIL_RE.search(value):
        found.append("email")
    if _phone_spans(value):
        found.append("phone")
    return found


def contact_kind(value, whole: bool = False) -> str | None:
    """The first of :func:`contact_kinds` (``"email"``, ``"phone"``) or None."""
    kinds = contact_kinds(value, whole)
    return kinds[0] if kinds else None


# ============================================================================================
# Names and participant ids
# ============================================================================================


def _name_pattern(name: str) -> re.Pattern | None:
    tokens = [t for t in re.split(r"[\s\-']+", fold(str(name)).strip()) if t]
    if not tokens or sum(len(t) for t in tokens) < 2:
        return None
    body = r"[\s\-']+".join(re.escape(t) for t in tokens)
    return re.compile(r"(?<!\w)" + body + r"(?!\w)")


def _id_pattern(pid: str) -> re.Pattern | None:
    p = fold(str(pid)).strip()
    if len(p) < 2:
        warnings.warn(f"participant id {pid!r} is too short to be searched for", stacklevel=3)
        return None
    if p.isdigit() and len(p) < 6:
        warnings.warn(
            f"participant id {pid!r} is a small number: it cannot be told apart from the figures "
            "of a report and is not searched for; use ids with letters (e.g. A01)",
            stacklevel=3,
        )
        return None
    return re.compile(r"(?<![a-z0-9_])" + re.escape(p) + r"(?![a-z0-9_])")


def _clean_values(values: Iterable | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: dict[str, None] = {}  # ordered set: linear even for thousands of ids
    for v in values:
        if v is None or (isinstance(v, float) and v != v):
            continue
        s = str(v).strip()
        if s:
            out.setdefault(s)
    # longest first, so that "Marie Dupont" wins over "Marie"
    return sorted(out, key=len, reverse=True)


_KIND_PRIORITY = {"email": 0, "phone": 1, "participant_id": 2, "name": 3}
_TOKEN_RE = re.compile(r"[a-z0-9_]+")


def _fold_id(pid: str) -> str:
    return fold(str(pid)).strip()


@functools.lru_cache(maxsize=32)
def _split_ids(ids: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """(folded ids that are single searchable word tokens, the other ids) — see
    :func:`_id_pattern` for which ids are searchable."""
    tokens, others = set(), []
    for v in ids:
        p = _fold_id(v)
        if _TOKEN_RE.fullmatch(p):
            if _id_pattern(v) is not None:
                tokens.add(p)
        else:
            others.append(v)
    return frozenset(tokens), tuple(others)


def _find_spans(
    text: str, participant_ids: Iterable = (), names: Iterable = ()
) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, kind) spans of personal data in ``text``."""
    spans: list[tuple[int, int, str]] = []
    spans += [(m.start(), m.end(), "email") for m in EMAIL_RE.finditer(text)]
    spans += [(a, b, "phone") for a, b in _phone_spans(text)]
    ids = _clean_values(participant_ids)
    nms = _clean_values(names)
    if ids or nms:
        folded, src = _fold_with_map(text)
        # ids made of word characters only (the usual A01, L000123) are found in one pass over
        # the text's tokens, whatever their number; other ids and names get one pattern each
        token_ids, other_ids = _split_ids(tuple(ids))
        if token_ids:
            for m in _TOKEN_RE.finditer(folded):
                if m.group() in token_ids:
                    a, b = _span_to_original(text, src, m.start(), m.end())
                    spans.append((a, b, "participant_id"))
        searches = (("participant_id", other_ids, _id_pattern), ("name", nms, _name_pattern))
        for kind, values, maker in searches:
            for v in values:
                pat = maker(v)
                if pat is None:
                    continue
                for m in pat.finditer(folded):
                    a, b = _span_to_original(text, src, m.start(), m.end())
                    spans.append((a, b, kind))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0]), _KIND_PRIORITY[s[2]]))
    chosen: list[tuple[int, int, str]] = []
    last_end = -1
    for a, b, kind in spans:
        if a >= last_end:
            chosen.append((a, b, kind))
            last_end = b
    return chosen


_PLACEHOLDERS = {
    "fr": {
        "email": "[courriel masqué]",
        "phone": "[téléphone masqué]",
        "name": "[nom masqué]",
        "participant_id": "[identifiant masqué]",
    },
    "en": {
        "email": "[email removed]",
        "phone": "[phone number removed]",
        "name": "[name removed]",
        "participant_id": "[id removed]",
    },
}


def scrub_text(
    text: str, names: Iterable = (), participant_ids: Iterable = (), lang: str = "fr"
) -> str:
    """Replace e-mails, phone numbers, participant ids and the given names in ``text``.

    Placeholders: ``[courriel masqué]``, ``[téléphone masqué]``, ``[identifiant masqué]``,
    ``[nom masqué]`` (English with ``lang="en"``). Names are matched as whole words, ignoring
    case and accents ("zoe" matches "Zoé"); a multi-word name matches with any spaces, hyphens or
    apostrophes between its words. Each name is matched as given: pass first names and last
    names separately too (``["Marie Dupont", "Marie", "Dupont"]``) to catch "Marie" alone.
    Ids are matched as whole tokens, ignoring case. Missing text (None/NaN) is returned as is.
    """
    if text is None or (isinstance(text, float) and text != text):
        return text
    text = str(text)
    labels = _PLACEHOLDERS["en" if str(lang).lower().startswith("en") else "fr"]
    out: list[str] = []
    pos = 0
    for a, b, kind in _find_spans(text, participant_ids, names):
        out.append(text[pos:a])
        out.append(labels[kind])
        pos = b
    out.append(text[pos:])
    return "".join(out)


# ============================================================================================
# Leak scan of rendered reports
# ============================================================================================

_KIND_LABELS = {
    "participant_id": ("identifiant de participant", "participant id"),
    "name": ("nom", "name"),
    "email": ("courriel", "e-mail"),
    "phone": ("numéro de téléphone", "phone number"),
}


@dataclass(frozen=True)
class Leak:
    """One piece of personal data found in a report: its kind ("participant_id", "name",
    "email" or "phone"), the text found and some surrounding text."""

    kind: str
    value: str
    context: str


class LeakError(Exception):
    """A rendered report contains personal data; the message names each leak (French, then
    English)."""

    def __init__(self, leaks: Sequence[Leak], source: str | None = None):
        self.leaks = list(leaks)
        self.source = source
        seen: list[tuple[str, str]] = []
        for lk in self.leaks:
            if (lk.kind, lk.value) not in seen:
                seen.append((lk.kind, lk.value))
        fr = ", ".join(f"{_KIND_LABELS[k][0]} « {v} »" for k, v in seen)
        en = ", ".join(f"{_KIND_LABELS[k][1]} '{v}'" for k, v in seen)
        where = f" ({source})" if source else ""
        self._fr = (
            f"Données personnelles trouvées dans le rapport{where} : {fr}. "
            "Le rapport n'est pas publié."
        )
        self._en = f"Personal data found in the report{where}: {en}. The report is not published."
        super().__init__(f"{self._fr}\n{self._en}")

    def message(self, lang: str = "fr") -> str:
        """The message in one language only."""
        return self._en if str(lang).lower().startswith("en") else self._fr


#: Attributes whose text is shown to readers (or read aloud) and is therefore scanned.
_SCANNED_ATTRIBUTES = {
    "alt", "title", "aria-label", "aria-description", "placeholder", "summary", "label",
    "value", "content", "download",
}
_SKIPPED_TAGS = {"style", "script", "template"}
_INLINE_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "tspan", "wbr",
}
_DATA_URI_RE = re.compile(r"data:[\w/+.\-]+(?:;[\w=.\-]+)*,[^\s\"'<>)]*", re.IGNORECASE)
_BASE64_RUN_RE = re.compile(r"[A-Za-z0-9+/]{80,}={0,2}")
_LOOKS_LIKE_HTML = re.compile(
    r"<(?:!doctype|html|head|body|p|div|span|table|td|h[1-6]|img|br|section|article|a|ul|li|svg)\b",
    re.IGNORECASE,
)


class _VisibleText(HTMLParser):
    def __init__(self, scan_scripts: bool):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.scan_scripts = scan_scripts

    def _skipped(self, tag: str) -> bool:
        return tag in _SKIPPED_TAGS and not (self.scan_scripts and tag != "style")

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if self._skipped(tag):
            self.skip += 1
            return
        if tag not in _INLINE_TAGS:
            self.parts.append("\n")
        for name, value in attrs:
            if value is None:
                continue
            name, v = name.lower(), value.strip()
            if v.lower().startswith("data:"):
                continue
            if name in _SCANNED_ATTRIBUTES:
                self.parts.append("\n" + v + "\n")
            elif name in ("href", "src", "action") and v.lower().startswith(("mailto:", "tel:")):
                self.parts.append("\n" + v.split(":", 1)[1] + "\n")

    def handle_startendtag(self, tag, attrs):
        if self._skipped(tag.lower()):
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        tag = tag.lower()
        if self._skipped(tag):
            self.skip = max(0, self.skip - 1)
            return
        if tag not in _INLINE_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _scannable_text(content: str, html: bool | None, scan_scripts: bool) -> str:
    if html is None:
        html = bool(_LOOKS_LIKE_HTML.search(content))
    if html:
        parser = _VisibleText(scan_scripts)
        parser.feed(content)
        parser.close()
        text = "".join(parser.parts)
    else:
        text = content
    text = _DATA_URI_RE.sub(" ", text)
    return _BASE64_RUN_RE.sub(" ", text)


def find_leaks(
    html_or_text: str,
    participant_ids: Iterable = (),
    names: Iterable = (),
    *,
    html: bool | None = None,
    scan_scripts: bool = False,
    context: int = 30,
) -> list[Leak]:
    """Personal data in a rendered report (HTML) or in plain text, in order of appearance.

    Scanned: the visible text, and the attributes readers see or hear (``alt``, ``title``,
    ``aria-label``, ``placeholder``, ``value``, meta ``content``…), plus ``mailto:``/``tel:``
    links. Not scanned: tag names and other attributes (classes, CSS colours such as
    ``#A01B2C``, URLs), ``<style>``, ``<script>`` (unless ``scan_scripts``; nbconvert templates
    embed JavaScript libraries with their authors' e-mails), and ``data:`` URIs or other long
    base64 runs (embedded images), in HTML and in plain text alike. ``html=None`` guesses
    whether the input is HTML.

    Kinds: ``"participant_id"`` (whole tokens, case-insensitive: ``A01`` does not match inside
    ``A010``), ``"name"`` (whole words, case- and accent-insensitive), ``"email"``, ``"phone"``
    (French national and international numbers; ordinary figures such as "12 500 €", "2022",
    "14/03/2022", "88 %" or "p = 0,039" are not phone numbers).
    """
    text = _scannable_text(str(html_or_text), html, scan_scripts)
    leaks = []
    for a, b, kind in _find_spans(text, participant_ids, names):
        ctx = text[max(0, a - context): b + context]
        leaks.append(Leak(kind, text[a:b], " ".join(ctx.split())))
    return leaks


def check_no_leaks(
    html_or_text: str,
    participant_ids: Iterable = (),
    names: Iterable = (),
    *,
    source: str | None = None,
    **kwargs,
) -> None:
    """Raise :class:`LeakError` when :func:`find_leaks` finds anything."""
    leaks = find_leaks(html_or_text, participant_ids, names, **kwargs)
    if leaks:
        raise LeakError(leaks, source)


# ============================================================================================
# Direct identifiers in raw files
# ============================================================================================

# Each kind: sets of tokens (a header matches when it contains all the tokens of one set).
_IDENTIFIER_RULES: tuple[tuple[str, tuple[frozenset[str], ...]], ...] = tuple(
    (kind, tuple(frozenset(s.split()) for s in sets))
    for kind, sets in (
        ("national_id", (
            "nir", "secu", "securite sociale", "social security", "ssn", "nss", "numero insee",
        )),
        ("email", (
            "email", "emails", "courriel", "courriels", "mail", "mails", "mel", "e mail",
            "adresse electronique", "address electronic",
        )),
        ("phone", (
            "telephone", "telephones", "tel", "tels", "phone", "phones", "portable", "mobile",
            "gsm", "cellphone", "telephone portable",
        )),
        ("birth_date", ("naissance", "birth", "birthday", "dob", "birthdate")),
        ("address", (
            "adresse", "adresses", "address", "addresses", "rue", "street", "code postal",
            "postcode", "postal", "zip", "domicile",
        )),
        ("name", (
            "nom", "noms", "prenom", "prenoms", "name", "names", "firstname", "lastname",
            "surname", "forename", "patronyme", "identite", "fullname", "username",
        )),
    )
)
# Headers naming a thing rather than a person ("nom de l'entreprise", "ordinateur portable").
_NOT_A_PERSON = {
    "entreprise", "societe", "projet", "company", "business", "structure", "organisme",
    "organisation", "organization", "formation", "fichier", "file", "domaine", "site", "produit",
    "product", "marque", "brand", "ordinateur", "laptop", "computer", "outil", "tool",
    "logiciel", "software", "application", "app", "commune", "ville", "city", "instrument",
    "variable", "colonne", "column", "onglet", "sheet", "session", "programme", "program",
}
_PERSON_WORDS = {
    "participant", "participante", "apprenant", "apprenante", "stagiaire", "personne", "person",
    "contact", "beneficiaire", "porteur", "porteuse", "dirigeant", "dirigeante", "learner",
    "founder", "referent", "referente",
}


def _header_tokens(header) -> list[str]:
    return [t for t in re.split(r"[^a-z0-9]+", fold(str(header))) if t]


def identifier_kind(header) -> str | None:
    """Which direct identifier a column header announces, if any.

    One of ``"name"``, ``"email"``, ``"phone"``, ``"address"``, ``"national_id"`` (NIR, numéro
    de sécurité sociale), ``"birth_date"``, or None. Matching works on whole words, ignoring
    case, accents and punctuation: "Prénom", "E-mail", "Tél.", "Adresse mail" (-> email),
    "N° de sécurité sociale". Headers naming a thing ("Nom de l'entreprise", "Ordinateur
    portable") are not identifiers, unless they also name a person ("Nom du porteur de projet").
    The codebook's own columns (``learner_id``…) are never flagged.
    """
    tokens = _header_tokens(header)
    if not tokens:
        return None
    tset = set(tokens)
    if tset & _NOT_A_PERSON and not tset & _PERSON_WORDS:
        return None
    for kind, sets in _IDENTIFIER_RULES:
        if any(s <= tset for s in sets):
            return kind
    return None


def direct_identifier_columns(columns: Iterable) -> list[str]:
    """The headers among ``columns`` that announce a direct identifier (see
    :func:`identifier_kind`), in their original order and spelling."""
    return [c for c in columns if identifier_kind(c) is not None]


# ============================================================================================
# Pseudonymisation
# ============================================================================================


def normalise_identifier(value, kind: str = "auto") -> str:
    """The normalised text hashed by :func:`pseudonym`.

    Always: accents removed, lower-cased, typographic apostrophes straightened, runs of spaces
    collapsed, stripped. ``kind="name"`` (or ``"auto"`` for a value that is not an e-mail) also
    treats hyphens and apostrophes as spaces and sorts the words, so that "Dupont Marie",
    "marie DUPONT" and "Marie  Dupont" give the same id. ``kind="email"`` and ``"text"`` keep the
    value otherwise as is.
    """
    s = " ".join(fold(str(value)).split())
    if kind == "auto":
        kind = "email" if looks_like_email(s) else "name"
    if kind == "name":
        s = " ".join(sorted(t for t in re.split(r"[\s\-']+", s) if t))
    return s


def pseudonym(value, key: bytes, prefix: str = "P", length: int = 10, kind: str = "auto") -> str:
    """Stable pseudonymous id of a name or e-mail: ``prefix`` + ``length`` hex digits of
    HMAC-SHA256(key, normalised value). Same key and same person -> same id, in every file."""
    if not isinstance(key, (bytes, bytearray)) or not key:
        raise TypeError("key must be non-empty bytes (see load_key)")
    if not 4 <= length <= 64:
        raise ValueError("length must be between 4 and 64 hex digits")
    norm = normalise_identifier(value, kind)
    if not norm:
        raise ValueError("cannot pseudonymise an empty value")
    digest = hmac.new(bytes(key), norm.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{prefix}{digest[:length]}"


def _is_blank(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and v != v:
        return True
    return isinstance(v, str) and not v.strip()


def pseudonymise(
    df: pd.DataFrame,
    id_columns: Sequence[str] | str,
    key: bytes,
    prefix: str = "P",
    length: int = 10,
    kind: str = "auto",
) -> pd.DataFrame:
    """Copy of ``df`` whose ``id_columns`` hold :func:`pseudonym` ids instead of names/e-mails.

    Blank cells stay as they are. ``kind="auto"`` normalises e-mails as e-mails and anything else
    as a name (see :func:`normalise_identifier`).
    """
    if isinstance(id_columns, str):
        id_columns = [id_columns]
    out = df.copy()
    for col in id_columns:
        if col not in out.columns:
            raise KeyError(f"no column {col!r}")
        out[col] = pd.Series(
            [v if _is_blank(v) else pseudonym(v, key, prefix, length, kind) for v in out[col]],
            index=out.index,
            dtype=object,
        )
    return out


class _Bilingual:
    """Mixin of errors whose message exists in French and English: ``str()`` gives both
    (French first), :meth:`message` one of them."""

    def _set_messages(self, fr: str, en: str | None) -> str:
        self.fr = fr
        self.en = fr if en is None else en
        return fr if en is None else f"{fr}\n{en}"

    def message(self, lang: str = "fr") -> str:
        """The message in one language only (French by default, English with ``lang="en"``)."""
        return self.en if str(lang).lower().startswith("en") else self.fr


class KeyMissingError(_Bilingual, RuntimeError):
    """No usable pseudonymisation key (``.message(lang)``: the explanation in one language)."""

    def __init__(self, fr: str, en: str | None = None):
        super().__init__(self._set_messages(fr, en))


class KeyInRepositoryError(KeyMissingError):
    """The key file lies inside a git repository (it could be committed)."""


class PseudonymisationError(_Bilingual, ValueError):
    """A file cannot be pseudonymised as asked (``.message(lang)`` in one language)."""

    def __init__(self, fr: str, en: str | None = None):
        super().__init__(self._set_messages(fr, en))


_KEY_HELP_FR = (
    "Créez une clé avec « python -c \"import secrets; print(secrets.token_hex(32))\" », "
    "gardez-la hors du dépôt (gestionnaire de mots de passe ou fichier dans votre dossier "
    "personnel) et donnez-la par la variable d'environnement {env} ou par un fichier de clé "
    "(--key-file)."
)
_KEY_HELP_EN = (
    "Create a key with `python -c \"import secrets; print(secrets.token_hex(32))\"`, keep it "
    "outside the repository (password manager or a file in your home folder) and pass it in "
    "the {env} environment variable or as a key file (--key-file)."
)


def generate_key() -> str:
    """A new random key (64 hex characters) to store outside the repository."""
    return secrets.token_hex(32)


def _project_root() -> Path | None:
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").exists() else None


def _enclosing_git_root(path: Path) -> Path | None:
    for parent in path.parents:
        if (parent / ".git").exists():
            return parent
    return None


def _check_key(key: bytes, origin: str, env_var: str, min_length: int) -> bytes:
    if len(key) < min_length:
        raise KeyMissingError(
            f"La clé de pseudonymisation ({origin}) est trop courte : {len(key)} octets, il en "
            f"faut au moins {min_length}.\n" + _KEY_HELP_FR.format(env=env_var),
            f"The pseudonymisation key ({origin}) is too short: {len(key)} bytes, at least "
            f"{min_length} are needed.\n" + _KEY_HELP_EN.format(env=env_var),
        )
    return key


def _read_key_file(path, env_var: str, min_length: int) -> bytes:
    p = Path(path).expanduser().resolve()
    repo = _enclosing_git_root(p)
    project = _project_root()
    if project is not None and project in p.parents:
        repo = repo or project
    if repo is not None:
        raise KeyInRepositoryError(
            f"Le fichier de clé {p} est dans le dépôt {repo} : il pourrait être publié avec le "
            "code. Déplacez-le hors du dépôt.",
            f"The key file {p} is inside the repository {repo}: it could be committed with the "
            "code. Move it outside the repository.",
        )
    if not p.is_file():
        raise KeyMissingError(
            f"Fichier de clé introuvable : {p}.\n" + _KEY_HELP_FR.format(env=env_var),
            f"Key file not found: {p}.\n" + _KEY_HELP_EN.format(env=env_var),
        )
    return _check_key(p.read_bytes().strip(), str(p), env_var, min_length)


def load_key(
    env_var: str = "FAC_EVAL_KEY", key_file=None, *, min_length: int = 16
) -> bytes:
    """The pseudonymisation key, as bytes.

    Looked up in this order: ``key_file`` if given; the environment variable ``env_var``
    (its text, UTF-8 encoded, stripped); a file named by the environment variable
    ``env_var + "_FILE"``. A key file inside a git working tree (any folder above it holds a
    ``.git``) or inside this project is refused with :class:`KeyInRepositoryError`. No key, or
    a key shorter than ``min_length`` bytes (names are easy to guess: the key is the only
    secret), raises :class:`KeyMissingError` with instructions in French and English.
    """
    if key_file is not None:
        return _read_key_file(key_file, env_var, min_length)
    value = os.environ.get(env_var, "").strip()
    if value:
        return _check_key(value.encode("utf-8"), f"${env_var}", env_var, min_length)
    path = os.environ.get(f"{env_var}_FILE", "").strip()
    if path:
        return _read_key_file(path, env_var, min_length)
    raise KeyMissingError(
        f"Aucune clé de pseudonymisation : la variable d'environnement {env_var} n'est pas "
        "définie et aucun fichier de clé n'est indiqué. Rien n'a été écrit.\n"
        + _KEY_HELP_FR.format(env=env_var),
        f"No pseudonymisation key: the {env_var} environment variable is not set and no key "
        "file was given. Nothing was written.\n" + _KEY_HELP_EN.format(env=env_var),
    )


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


@dataclass
class PseudonymisationSummary:
    """What :func:`pseudonymise_file` did (the CLI prints it)."""

    input_path: Path
    output_path: Path
    id_column: str
    name_columns: list[str] = field(default_factory=list)
    email_columns: list[str] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    n_rows: int = 0
    n_without_id: int = 0
    #: columns kept in the output with values that contain an e-mail or a phone number (e.g. a
    #: free-text comment): check them by hand.
    suspicious_columns: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)

    def describe(self, lang: str = "fr") -> str:
        """A few lines for the command line, in French or English."""
        def cols(xs):
            return ", ".join(xs) if xs else "—"

        if str(lang).lower().startswith("en"):
            lines = [
                f"Written: {self.output_path} ({self.n_rows} rows).",
                f"Column {self.id_column} derived from: e-mail {cols(self.email_columns)}; "
                f"name {cols(self.name_columns)}.",
                f"Columns removed: {cols(self.dropped_columns)}.",
            ]
            if self.n_without_id:
                lines.append(f"Warning: {self.n_without_id} row(s) without name or e-mail.")
            if self.suspicious_columns:
                lines.append("Check by hand, e-mails or phone numbers found in: "
                             f"{cols(self.suspicious_columns)}.")
        else:
            lines = [
                f"Fichier écrit : {self.output_path} ({self.n_rows} lignes).",
                f"Colonne {self.id_column} calculée à partir de : courriel "
                f"{cols(self.email_columns)} ; nom {cols(self.name_columns)}.",
                f"Colonnes supprimées : {cols(self.dropped_columns)}.",
            ]
            if self.n_without_id:
                lines.append(f"Attention : {self.n_without_id} ligne(s) sans nom ni courriel.")
            if self.suspicious_columns:
                lines.append("À vérifier à la main, courriels ou numéros de téléphone trouvés "
                             f"dans : {cols(self.suspicious_columns)}.")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe("fr")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        header = text.splitlines()[0] if text else ""
        counts = {d: header.count(d) for d in (";", ",", "\t")}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _read_csv_text(path: Path) -> tuple[pd.DataFrame, str]:
    text = _decode(path.read_bytes())
    sep = _sniff_delimiter(text)
    df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    return df, sep


def _contains_contact(value) -> bool:
    if not isinstance(value, str):
        return looks_like_phone(value)
    return bool(EMAIL_RE.search(value)) or bool(_phone_spans(value))


def _pseudonymise_table(
    df: pd.DataFrame, columns, key, id_column, prefix, length, prefer, summary, id_headers=()
) -> pd.DataFrame | None:
    if columns is None:
        cols = direct_identifier_columns(df.columns)
    else:
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise KeyError(f"columns not in the file: {missing}")
        cols = list(columns)
    if not cols:
        return None
    # an empty id column already there (a generated entry workbook's "Identifiant apprenant"):
    # the ids go into it, at its place
    aliases = {id_column.casefold(), *(str(h).strip().casefold() for h in id_headers)}
    present = [c for c in df.columns if str(c).strip().casefold() in aliases]
    position = 0
    if len(present) == 1 and all(_is_blank(v) for v in df[present[0]]):
        before = list(df.columns)[:list(df.columns).index(present[0])]
        position = sum(1 for c in before if c not in cols)
        df = df.drop(columns=present)
    if any(c in df.columns for c in present):
        raise PseudonymisationError(
            f"Le fichier a déjà une colonne « {id_column} » : il semble déjà pseudonymisé, ou "
            "donnez un autre nom à la colonne d'identifiants.",
            f"the file already has a {id_column!r} column; pass id_column= to name the new one",
        )
    kinds = {c: identifier_kind(c) or "name" for c in cols}
    name_cols = [c for c in cols if kinds[c] == "name"]
    email_cols = [c for c in cols if kinds[c] == "email"]
    if not name_cols and not email_cols:
        raise PseudonymisationError(
            "Aucune colonne de noms ou de courriels pour calculer les identifiants parmi les "
            f"colonnes identifiantes {', '.join(map(str, cols))}.",
            f"no name or e-mail column to derive ids from among the identifier columns {cols}",
        )
    # drop rows that are entirely empty (spreadsheet padding)
    blank_rows = [all(_is_blank(v) for v in row) for row in df.itertuples(index=False)]
    df = df.loc[pd.Series([not b for b in blank_rows], index=df.index, dtype=bool)]

    ids = []
    for _, row in df.iterrows():
        email = next((str(row[c]) for c in email_cols if not _is_blank(row[c])), None)
        parts = [str(row[c]) for c in name_cols if not _is_blank(row[c])]
        name = " ".join(parts) if parts else None
        if prefer == "email":
            source, kind = (email, "email") if email else (name, "name")
        else:
            source, kind = (name, "name") if name else (email, "email")
        row_prefix = prefix(row) if callable(prefix) else prefix
        ids.append(pseudonym(source, key, row_prefix, length, kind) if source else pd.NA)

    out = df.drop(columns=cols)
    out.insert(position, id_column, pd.Series(ids, index=df.index, dtype=object))
    out = out.reset_index(drop=True)

    summary.name_columns += [c for c in name_cols if c not in summary.name_columns]
    summary.email_columns += [c for c in email_cols if c not in summary.email_columns]
    summary.dropped_columns += [
        c for c in cols if c not in name_cols + email_cols and c not in summary.dropped_columns
    ]
    summary.n_rows += len(out)
    summary.n_without_id += int(out[id_column].isna().sum())
    for c in out.columns[1:]:
        if any(_contains_contact(v) for v in out[c]):
            if c not in summary.suspicious_columns:
                summary.suspicious_columns.append(c)
    return out


def pseudonymise_file(
    input_path,
    output_path,
    key: bytes,
    columns: Sequence[str] | None = None,
    *,
    id_column: str = "participant_id",
    prefix="P",
    length: int = 10,
    prefer: str = "email",
    data_sheets: Sequence[str] | None = None,
    id_headers: Sequence[str] = (),
) -> PseudonymisationSummary:
    """Write a copy of a CSV/XLSX file where people are known by a pseudonymous id only.

    Identifier columns are ``columns`` if given, else detected from the headers
    (:func:`direct_identifier_columns`). Name and e-mail columns are replaced by one
    ``id_column`` (first column) whose value is :func:`pseudonym` of the row's e-mail when
    present, else of its name (all name columns joined, e.g. "Prénom" + "Nom"; word order does
    not matter); ``prefer="name"`` reverses the preference. **Use the same kind of source in
    every wave**: an id derived from an e-mail differs from the id derived from the same
    person's name. The other identifier columns (phone, address, NIR, birth date) are dropped.
    Entirely empty rows are dropped; a row with neither name nor e-mail gets a missing id.

    CSV input: delimiter sniffed among ``,`` ``;`` tab, UTF-8 (with or without BOM) else cp1252,
    all cells read as text so codes keep their leading zeros. XLSX input: every sheet with
    identifier columns is processed, the others copied. Output format follows the output
    suffix (``.csv`` written in UTF-8 with BOM, with the input's delimiter; ``.xlsx``). The
    output must differ from the input. Prints nothing; returns a
    :class:`PseudonymisationSummary`.

    ``data_sheets``: only these sheets of an XLSX input are pseudonymised, the others copied
    (a generated entry workbook's guide and lists, see
    :func:`fac_eval.entry_templates.pseudonymise_options`). ``id_headers``: other headers of
    the id column; an empty id column under one of them is filled in place. ``prefix`` may be
    a function of the row (a pandas Series) giving each row's prefix.
    """
    src, dst = Path(input_path), Path(output_path)
    if src.resolve() == dst.resolve():
        raise PseudonymisationError(
            "Écrivez le fichier pseudonymisé à un autre endroit que le fichier d'origine.",
            "write the pseudonymised file to another path than the input",
        )
    if prefer not in ("email", "name"):
        raise ValueError("prefer must be 'email' or 'name'")
    if dst.suffix.lower() not in (".csv", ".xlsx"):
        raise PseudonymisationError(
            f"Type de fichier de sortie non pris en charge ({dst.suffix or 'sans extension'}) : "
            "utilisez .csv ou .xlsx.",
            f"unsupported output type {dst.suffix!r}: use .csv or .xlsx",
        )
    summary = PseudonymisationSummary(src, dst, id_column)

    sep = ","
    if src.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = pd.read_excel(src, sheet_name=None, dtype=object, engine="openpyxl")
    elif src.suffix.lower() in (".csv", ".txt", ".tsv"):
        df, sep = _read_csv_text(src)
        sheets = {"data": df}
    else:
        raise PseudonymisationError(
            f"Type de fichier non pris en charge ({src.suffix or 'sans extension'}) : utilisez "
            ".csv ou .xlsx.",
            f"unsupported file type {src.suffix!r}: use .csv or .xlsx",
        )

    result: dict[str, pd.DataFrame] = {}
    for name, df in sheets.items():
        if data_sheets is not None and str(name) not in data_sheets:
            result[str(name)] = df
            continue
        new = _pseudonymise_table(df, columns, key, id_column, prefix, length, prefer, summary,
                                  id_headers)
        if new is not None:
            summary.sheets.append(str(name))
        result[str(name)] = df if new is None else new
    if not summary.sheets:
        raise PseudonymisationError(
            f"Aucune colonne identifiante (nom, prénom, courriel…) trouvée dans {src.name} : "
            "rien à pseudonymiser.",
            f"no identifier column (name, e-mail…) found in {src.name}: nothing to pseudonymise",
        )

    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.suffix.lower() == ".csv":
        if len(result) > 1:
            raise PseudonymisationError(
                f"{src.name} a {len(result)} onglets : écrivez un fichier .xlsx, ou exportez un "
                "seul onglet.",
                f"{src.name} has {len(result)} sheets: write to .xlsx, or export one sheet",
            )
        next(iter(result.values())).to_csv(dst, sep=sep, index=False, encoding="utf-8-sig")
    elif dst.suffix.lower() == ".xlsx":
        with pd.ExcelWriter(dst, engine="openpyxl") as writer:
            for name, df in result.items():
                df.to_excel(writer, sheet_name=name[:31], index=False)
    else:  # pragma: no cover - checked above
        raise ValueError(f"unsupported output type {dst.suffix!r}: use .csv or .xlsx")
    return summary


# ============================================================================================
# Names of participants and staff (kept outside the repository)
# ============================================================================================

NAMES_ENV_VAR = "FAC_EVAL_NAMES_FILE"


def load_names(names_file: str | os.PathLike | None = None, env_var: str = NAMES_ENV_VAR) -> list[str]:
    """The names to scrub from quotes and to look for in rendered reports.

    Raw files never hold names (the validator refuses them), so the names of participants, staff
    and partners that may appear in free text come from a plain-text file kept OUTSIDE the
    repository, beside the pseudonymisation key: one name per line ("Marie Dupont"), ``#``
    comments allowed. Its path is ``names_file`` or the environment variable
    ``FAC_EVAL_NAMES_FILE``; without either, there are no names to look for (an empty list).
    Each full name is also searched for by its parts of 3 letters or more ("Marie", "Dupont").
    A names file inside a git working tree is refused, like a key file.
    """
    path = names_file or os.environ.get(env_var)
    if not path:
        return []
    path = Path(path).expanduser().resolve()
    if _enclosing_git_root(path) is not None:
        raise KeyInRepositoryError(
            f"Le fichier de noms {path} est dans un dépôt git : placez-le hors du dépôt.",
            f"The names file {path} is inside a git repository: keep it outside.")
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as err:
        raise KeyMissingError(f"Fichier de noms illisible ({path}) : {err}",
                              f"Unreadable names file ({path}): {err}") from err
    names: dict[str, None] = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        names.setdefault(line)
        for part in re.split(r"[\s\-']+", line):
            if len(part) >= 3:
                names.setdefault(part)
    return list(names)
