"""Privacy: the rules that keep personal data out of published files, and pseudonymisation.

A Form'Ain Cube session has 8 learners, 6 of them with a recognised disability (RQTH, health
data under GDPR art. 9): any breakdown can single someone out. The rules live in small modules,
all importable from here (``fac_eval.disclosure.privacy.X`` keeps working); see ``DESIGN.md`` (Privacy):

- :mod:`fac_eval.disclosure.suppression` — small cells, cells equal to their whole group and complementary
  suppression (:func:`suppress_small_cells`), sensitive shares (:func:`share_is_disclosive`),
  the follow-up detail rule (:func:`followup_detail_publishable`);
- :mod:`fac_eval.disclosure.tables` — the one masking of the indicator table used by the HTML report
  and the Excel export alike (:func:`fac_eval.disclosure.tables.mask_indicators`), with the
  published-claims exemption;
- :mod:`fac_eval.disclosure.pii` — the one detector of personal data (e-mails however written, French
  phone numbers in every notation, NIR, IBAN, postal addresses, dates of birth, participant ids,
  names), after Unicode normalisation; used by validation, by :func:`scrub_text` and by the
  leak scan;
- :mod:`fac_eval.disclosure.gate` — the leak scan and the gate every published file passes through
  (:func:`find_leaks`, :class:`LeakError`, :func:`fac_eval.disclosure.gate.gate`).

This module itself holds what raw files may contain (:func:`contact_kinds`,
:func:`identifier_kind`), the scrubbing of quotes (:func:`scrub_text`), pseudonymisation
(:func:`pseudonym`, :func:`pseudonymise`; the id is ``prefix`` + the first ``length`` hex digits
of HMAC-SHA256(key, normalised value), the key from :func:`load_key`, outside any git
repository; files: :mod:`fac_eval.data.pseudonym_files`, where the value is always the full name)
and the names file (:func:`load_names`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from fac_eval.core.i18n import N_, both, messages, tr
from fac_eval.disclosure import pii

from .gate import Leak, LeakError, check_no_leaks, find_leaks
from .keys import (  # noqa: F401  (given here too: privacy.load_key)
    MAX_KEY_FILE_BYTES,
    KeyInRepositoryError,
    KeyMissingError,
    PseudonymisationError,
    _Bilingual,
    _enclosing_git_root,
    generate_key,
    load_key,
)
from .suppression import (
    DEFAULT_MIN_CELL,
    FOLLOWUP_DETAIL,
    FOLLOWUP_RESPONDENTS_RATE,
    FOLLOWUP_SITUATIONS,
    HIDDEN_MARKER,
    SENSITIVE_SHARES,
    SuppressedTable,
    followup_detail_publishable,
    followup_situations_publishable,
    is_breakdown_safe,
    share_is_disclosive,
    suppress_small_cells,
)

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
    "FOLLOWUP_SITUATIONS",
    "FOLLOWUP_RESPONDENTS_RATE",
    "followup_situations_publishable",
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
    "load_names",
    "empty_names_file",
    "NAMES_ENV_VAR",
]

# ============================================================================================
# Text folding (case- and accent-insensitive matching of headers and names)
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


# ============================================================================================
# Contact data in raw cells, and scrubbing of quotes (both through fac_eval.disclosure.pii)
# ============================================================================================

#: A plain e-mail address (kept for compatibility; detection goes through :mod:`fac_eval.disclosure.pii`,
#: which also finds addresses written to escape filters).
EMAIL_RE = re.compile(
    r"(?<![\w.+\-])[\w.%+\-]+@(?:[\w\-]+\.)+[A-Za-z]{2,24}(?![\w\-])"
)

#: Kinds of :func:`fac_eval.disclosure.pii.find_pii` that hold contact or identity data by themselves
#: (participant ids and names need the session's lists).
CONTENT_KINDS = ("email", "phone", "nir", "iban", "card", "address", "birth_date", "handle",
                 "website", "plate", "jobseeker_id", "official_id")
#: Kinds recognised when a typed cell (number, date, code) is one as a whole.
_WHOLE_KINDS = ("email", "phone", "nir", "iban", "card")


def _whole_kind(value: str) -> str | None:
    v = value.strip()
    found = pii.find_pii(v, kinds=_WHOLE_KINDS)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(v):
        return found[0].kind
    return None


def looks_like_email(value) -> bool:
    """True when ``value`` (a cell) is an e-mail address (also written ``x [at] y [dot] fr``)."""
    return isinstance(value, str) and _whole_kind(value) == "email"


def looks_like_phone(value) -> bool:
    """True when ``value`` (a cell) is a phone number.

    Strings must be a whole phone number in one of the notations of :mod:`fac_eval.disclosure.pii`.
    Integers (and integral floats) are also recognised when a spreadsheet has dropped the
    leading 0 of a French number (9 digits starting with 1–7 or 9, e.g. ``612345678``) or the
    ``+`` of an international one (``33612345678``).
    """
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (value != value or not value.is_integer()):
            return False
        digits = str(int(value))
        if len(digits) == 9 and digits[0] in "12345679":
            return True
        return len(digits) == 11 and digits.startswith("33") and digits[2] in "123456789"
    if not isinstance(value, str):
        return False
    return _whole_kind(value) == "phone"


def contact_kinds(value, whole: bool = False) -> list[str]:
    """Which personal data the cell ``value`` holds: a list among :data:`CONTENT_KINDS`, in
    that order (``"email"``, ``"phone"``, ``"nir"``…); empty when none.

    ``whole=False`` (free text, ids): found anywhere in the text ("écrivez-moi à a.b@c.fr").
    ``whole=True`` (typed cells: numbers, dates, codes): only when the whole cell is an
    e-mail, a phone number, a NIR or an IBAN, so that ordinary figures such as ``45200``,
    ``12 500`` or ``2022-03-14`` are never taken for phone numbers.
    """
    if value is None or (isinstance(value, float) and value != value):
        return []
    if whole or not isinstance(value, str):
        if not isinstance(value, str):
            return ["phone"] if looks_like_phone(value) else []
        kind = _whole_kind(value)
        return [kind] if kind else []
    found = {f.kind for f in pii.find_pii(value, kinds=CONTENT_KINDS)}
    return [k for k in CONTENT_KINDS if k in found]


def contact_kind(value, whole: bool = False) -> str | None:
    """The first of :func:`contact_kinds` or None."""
    kinds = contact_kinds(value, whole)
    return kinds[0] if kinds else None


#: What replaces each kind of personal data in a text (catalog messages).
_PLACEHOLDERS = {
    "email": N_("[email removed]"),
    "phone": N_("[phone number removed]"),
    "name": N_("[name removed]"), "participant_id": N_("[id removed]"),
    "nir": N_("[social security number removed]"),
    "iban": N_("[IBAN removed]"),
    "card": N_("[card number removed]"),
    "address": N_("[address removed]"),
    "birth_date": N_("[date removed]"),
    "handle": N_("[profile removed]"), "website": N_("[web address removed]"),
    "plate": N_("[number plate removed]"), "jobseeker_id": N_("[France Travail id removed]"),
    "official_id": N_("[document number removed]"),
}


def scrub_text(
    text: str, names: Iterable = (), participant_ids: Iterable = (), lang: str = "fr"
) -> str:
    """Replace every finding of :func:`fac_eval.disclosure.pii.find_pii` in ``text`` by a placeholder.

    Placeholders: ``[courriel masqué]``, ``[téléphone masqué]``, ``[identifiant masqué]``,
    ``[nom masqué]``, ``[numéro de sécurité sociale masqué]``, ``[IBAN masqué]``,
    ``[adresse masquée]``, ``[date masquée]`` (English with ``lang="en"``). Names are matched
    as whole words, ignoring case, accents and look-alike letters; a multi-word name matches
    with any spaces, hyphens or apostrophes between its words (pass first and last names
    separately too to catch "Marie" alone: :func:`load_names` does). Ids are matched as whole
    tokens, also with a space or dash inserted (``A 03``). Missing text (None/NaN) is returned
    as is.
    """
    if text is None or (isinstance(text, float) and text != text):
        return text
    text = str(text)
    words = messages("en" if str(lang).lower().startswith("en") else "fr")
    labels = {kind: words._(message) for kind, message in _PLACEHOLDERS.items()}
    out: list[str] = []
    pos = 0
    for f in pii.find_pii(text, participant_ids, names):
        out.append(text[pos:f.start])
        out.append(labels[f.kind])
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


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


# ============================================================================================
# Names of participants and staff (kept outside the repository)
# ============================================================================================

NAMES_ENV_VAR = "FAC_EVAL_NAMES_FILE"


def empty_names_file(names: list[str], env_var: str = NAMES_ENV_VAR) -> tuple[str, str] | None:
    """The warning (French, English) when the names file set by ``env_var`` holds no name
    (``names``: what :func:`load_names` read from it): nothing can be looked for, as without
    a names file. None when it is unset or holds names."""
    path = os.environ.get(env_var, "").strip()
    if not path or names:
        return None
    return both(N_("The names file %(path)s (set by %(var)s) holds no name: quotes will not be "
                   "scrubbed of names and the report will not be searched for them, as without "
                   "a names file. Expected: one name per line."),
                path=Path(path).expanduser(), var=env_var)


#: Largest names file read (bytes): a list of names is a few kilobytes.
MAX_NAMES_FILE_BYTES = 5 * 1024 * 1024


class _NotAFile(Exception):
    """A names file that is not a regular file of a sensible size (its reason, a message)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _names_text(path: Path) -> str:
    """The names file's text, read only when it is a regular file of at most
    :data:`MAX_NAMES_FILE_BYTES` (a device such as /dev/zero would be read without end, a named
    pipe would wait for a writer)."""
    import stat

    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(str(path))
    if not stat.S_ISREG(info.st_mode):
        raise _NotAFile(N_("it is not a regular file (a device, a pipe or a socket)"))
    if info.st_size > MAX_NAMES_FILE_BYTES:
        raise _NotAFile(N_("it is larger than 5 MB, not a list of names"))
    with path.open("rb") as f:
        data = f.read(MAX_NAMES_FILE_BYTES + 1)
    if len(data) > MAX_NAMES_FILE_BYTES:
        raise _NotAFile(N_("it is larger than 5 MB, not a list of names"))
    return data.decode("utf-8-sig")


def load_names(names_file: str | os.PathLike | None = None, env_var: str = NAMES_ENV_VAR) -> list[str]:
    """The names to scrub from quotes and to look for in rendered reports.

    Raw files never hold names (the validator refuses them), so the names of participants, staff
    and partners that may appear in free text come from a plain-text file kept OUTSIDE the
    repository, beside the pseudonymisation key: one name per line ("Marie Dupont"), ``#``
    comments allowed. Its path is ``names_file`` or the environment variable
    ``FAC_EVAL_NAMES_FILE``; without either, there are no names to look for (an empty list).
    Each full name is also searched for by its parts of 2 letters or more ("Marie", "Dupont",
    "Ly" of "Thi Ly"), by the rule of :mod:`fac_eval.disclosure.pii_names` (a particle such
    as "de" or "La" is never searched alone, a part of two letters or a common word such as
    "Petit" only with a capital).
    A names file inside a git working tree is refused, like a key file.
    """
    path = names_file or os.environ.get(env_var)
    if not path:
        return []
    path = Path(path).expanduser().resolve()
    if _enclosing_git_root(path) is not None:
        raise KeyInRepositoryError(*both(
            N_("The names file %(path)s is inside a git repository: keep it outside."),
            path=path))
    try:
        lines = _names_text(path).splitlines()
    except (OSError, UnicodeDecodeError, _NotAFile) as err:
        # the reason in plain words, never the system's English ("[Errno 2] …")
        reason = (err.reason if isinstance(err, _NotAFile) else
                  N_("the file does not exist") if isinstance(err, FileNotFoundError) else
                  N_("it is a folder, not a file") if isinstance(err, IsADirectoryError) else
                  N_("permission denied") if isinstance(err, PermissionError) else
                  N_("it is not UTF-8 text") if isinstance(err, UnicodeDecodeError) else
                  N_("it cannot be read"))
        raise KeyMissingError(*both(
            N_("Unreadable names file (%(path)s, set by %(var)s): %(reason)s. Expected: a text "
               "file, one name per line, outside the repository."),
            path=path, var=env_var if not names_file else "names_file",
            reason=lambda lang: tr(lang, reason))) from err
    names: dict[str, None] = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        names.setdefault(line)
        for word in line.split():  # a compound name ("Jean-Pierre", "Martin-Durand") alone too
            if re.search(r"[\-']", word) and len(word) >= 3:
                names.setdefault(word.strip("-'"))
        for part in re.split(r"[\s\-']+", line):
            if len(part.strip(".")) >= 2:
                names.setdefault(part)
    return list(names)
