"""Privacy checks of raw files: direct identifiers and ids that are not pseudonyms.

Raw files must hold pseudonymous ids only. A column whose header announces a direct identifier
(nom, prénom, e-mail, téléphone, adresse…, see :func:`fac_eval.disclosure.privacy.identifier_kind`) and any
cell holding an e-mail address or a phone number — in any column, free-text testimonies and ids
included — is a ``direct_identifier`` problem (:func:`identifier_problems`; in ``session.yml``:
:func:`meta_identifier_problems`). Its message names the file, row and column and *what* was
found, never the value (validation output may be pasted in a ticket); the values of an identifier
column are not shown at all, and any other message that would quote an e-mail or a phone number
has it masked (:func:`protect_problems`).

Re-exported by :mod:`fac_eval.data.validation`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from fac_eval.core.i18n import N_
from fac_eval.data import codebook as cb
from fac_eval.data.reading_cells import map_header
from fac_eval.data.validation_problems import Problem, both, join_words, problem, tr

if TYPE_CHECKING:  # pragma: no cover
    from fac_eval.data.validation_tables import LoadedTable

__all__ = [
    "DIRECT_IDENTIFIER_EXPECTED",
    "CONTACT_IN_CELL_EXPECTED",
    "PSEUDONYM_EXPECTED",
    "identifier_problems",
    "meta_identifier_problems",
    "session_name_problems",
    "drop_shadowed",
    "locate_in_sheet",
    "protect_problems",
]


#: What is expected instead of a direct identifier (an English message id).
DIRECT_IDENTIFIER_EXPECTED = N_(
    "no directly identifying data: pseudonymise the file with `fac-eval pseudonymise`")
#: ... for an e-mail or phone number typed inside a cell of a known column (a testimony's text,
#: a number): `fac-eval pseudonymise` replaces name / e-mail columns, it does not edit a text.
CONTACT_IN_CELL_EXPECTED = N_(
    "no directly identifying data in the text: edit the text to remove it "
    "(fac-eval pseudonymise does not edit texts)")

#: Kind of identifier column (privacy.identifier_kind) -> what the column holds.
_COLUMN_KINDS = {
    "name": N_("column of names"),
    "email": N_("column of e-mail addresses"),
    "phone": N_("column of phone numbers"),
    "address": N_("column of postal addresses"),
    "national_id": N_("column of social security numbers"),
    "birth_date": N_("column of birth dates"),
}
_IDENTIFYING_COLUMN = N_("identifying column")
#: Kind of value (privacy.contact_kind) -> what was found.
_VALUE_KINDS = {
    "email": N_("e-mail address"),
    "phone": N_("phone number"),
    "nir": N_("social security number"),
    "iban": N_("IBAN"),
    "card": N_("payment card number"),
    "address": N_("postal address"),
    "birth_date": N_("date of birth"),
    "handle": N_("social network profile"),
    "website": N_("personal web address"),
    "plate": N_("number plate"),
    "jobseeker_id": N_("France Travail id"),
    "official_id": N_("document number"),
    "participant_id": N_("participant id"),
    "name": N_("name from the names file"),
}
#: What a participant id must look like: see :func:`fac_eval.disclosure.pii.is_pseudonym`.
PSEUDONYM_EXPECTED = N_(
    "a pseudonymous id as the guide sheets write it: %(learners)s for a learner, %(founders)s for "
    "a founder (other code letters then digits are accepted; never a name followed by digits), "
    "or the id computed by `fac-eval pseudonymise`")
#: The ids of the convention, given to the messages as values (the catalogs hold no id: they
#: are scanned for personal data like every published sentence).
_CONVENTION = {"learners": "A01, A02…", "founders": "P01, P02…"}
#: An id column -> (the other population's prefix, what was found) for an id typed by hand
#: with that prefix (``P07`` as a learner's id): the one convention of the guide sheets, the
#: README and ``fac-eval pseudonymise`` gives learners A01… and founders P01….
_OTHER_PREFIX = {
    "learner_id": ("P", N_("the founders' prefix %(other)s: a learner's id starts with %(own)s "
                           "(%(ids)s)")),
    "founder_id": ("A", N_("the learners' prefix %(other)s: a founder's id starts with %(own)s "
                           "(%(ids)s)")),
}
#: Why an id is refused (pii.pseudonym_problem) -> what was found.
_ID_PROBLEMS = {
    "numeric": N_("digits only: a number cannot be told apart from the report's figures and "
                  "would escape scrubbing"),
    "name": N_("looks like a person's name, value masked"),
    "pii": N_("holds personal data, value masked"),
    "format": N_("unrecognised form"),
}
#: What was found in a cell, its value masked.
_FOUND_MASKED = N_("%(what)s, value masked")


def _kinds(kinds) -> object:
    """The words of the value kinds found (``adresse e-mail et numéro de téléphone``), per
    language (a value for :func:`both`)."""
    return lambda lang: join_words([tr(lang, _VALUE_KINDS[k]) for k in kinds], lang)


def identifier_problems(
    raw: pd.DataFrame, instrument: cb.Instrument | str, file: str | None = None
) -> list[Problem]:
    """``direct_identifier`` problems of one raw table (:func:`fac_eval.data.io.read_raw_table`).

    - a column whose header is not a codebook header and announces a direct identifier
      (:func:`fac_eval.disclosure.privacy.direct_identifier_columns`): one problem naming the column (at the
      header row), its values are neither scanned nor shown;
    - every cell holding an e-mail address or a phone number: anywhere in the text for free-text
      and id columns and for columns the codebook does not know; only when the whole cell is
      one for typed columns (numbers, dates, codes), so that figures such as ``45200`` or dates
      are never taken for phone numbers (see :func:`fac_eval.disclosure.privacy.contact_kind`). The
      problem names file, row and column and what was found; the value is masked.
    - a header cell that is itself an e-mail or a phone number (a file whose header row is
      missing): one problem at the header row, the header masked.
    """
    from fac_eval.disclosure import privacy

    inst = cb.INSTRUMENTS[instrument] if isinstance(instrument, str) else instrument
    file = file or raw.attrs.get("file") or inst.name
    header_row = int(raw.attrs.get("header_row", 1))
    rows = [int(i) for i in raw.index]
    expected = both(DIRECT_IDENTIFIER_EXPECTED)
    out: list[Problem] = []
    for j, header in enumerate(raw.columns):
        h = str(header).strip()
        name = map_header(h, inst) if h else None
        if name is None and h:
            found = privacy.contact_kind(h)
            if found is not None:
                out.append(problem(
                    file, header_row, privacy.scrub_text(h), None, "direct_identifier", expected,
                    note=both(N_("%(what)s in the header row, value masked"),
                              what=_kinds([found]))))
                continue
            kind = privacy.identifier_kind(h)
            if kind is not None:
                column_kind = _COLUMN_KINDS.get(kind, _IDENTIFYING_COLUMN)
                out.append(problem(
                    file, header_row, h, None, "direct_identifier", expected,
                    note=both(N_("%(what)s; values not shown"),
                              what=lambda lang, k=column_kind: tr(lang, k))))
                continue
        item = inst.item(name) if name is not None else None
        whole = item is not None and item.type not in ("text", "id")
        is_id = item is not None and item.type == "id"
        cache: dict[str, list[str]] = {}
        for row, cell in zip(rows, raw.iloc[:, j].tolist()):
            cell = str(cell)
            if not cell.strip():
                continue
            if cell not in cache:
                cache[cell] = privacy.contact_kinds(cell, whole=whole)
            kinds = cache[cell]
            if not kinds:
                if is_id:
                    bad = _id_problem(file, row, h, name, cell)
                    if bad is not None:
                        out.append(bad)
                continue
            in_cell = (both(CONTACT_IN_CELL_EXPECTED) if item is not None and item.type != "id"
                       else expected)
            out.append(problem(
                file, row, h, _masked_findings(cell), "direct_identifier", in_cell, item=name,
                note=both(_FOUND_MASKED, what=_kinds(kinds))))
    return out


#: Problems about a cell that make any other problem about the same cell redundant (the cell
#: reads as empty because its formula has no value, or it is cut because it is too long).
_SHADOWING = ("formula_without_value", "too_large")


def drop_shadowed(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` without those about a cell already reported as a formula without a value or
    as too long (an empty formula cell is not also a ``missing_value``)."""
    problems = list(problems)
    cells = {(p.file, p.row, p.column) for p in problems
             if p.kind in _SHADOWING and p.row is not None and p.column is not None}
    return [p for p in problems if p.kind in _SHADOWING or (p.file, p.row, p.column) not in cells]


def locate_in_sheet(problem: Problem, table: LoadedTable | None) -> Problem:
    """``problem`` with the sheet and the cell (``C7``) of an XLSX file filled in, when it is
    about a cell (a row and a column of the file read as ``table``)."""
    if table is None or table.path.name != problem.file or problem.sheet is not None:
        return problem
    sheet = table.raw.attrs.get("sheet")
    if sheet is None:
        return problem
    cell = None
    if problem.row is not None and problem.column is not None:
        letters = table.raw.attrs.get("column_letters") or []
        for j, header in enumerate(table.raw.columns):
            if str(header).strip() == problem.column and j < len(letters):
                cell = f"{letters[j]}{problem.row}"
                break
    return replace(problem, sheet=sheet, cell=cell)


def _masked_findings(text: str, participant_ids=(), names=()) -> str:
    """The personal data found in ``text``, masked (:func:`fac_eval.disclosure.pii.mask`), for messages."""
    from fac_eval.disclosure import pii

    found = pii.find_pii(text, participant_ids, names)
    return " ; ".join(dict.fromkeys(pii.mask(f.text) for f in found)) or pii.mask(text)


def _id_problem(file: str, row, column: str, item: str | None, cell: str) -> Problem | None:
    """A ``not_pseudonym`` problem when the id ``cell`` does not look like a pseudonym
    (:func:`fac_eval.disclosure.pii.pseudonym_problem`): digits only, a name, anything else. A value that
    looks like a name is masked in the message, and so is an unrecognised one holding three
    letters in a row ("MARIE", "A01-Dupont" may be names too); digits only and short codes are
    shown as they are, for the evaluator to find them."""
    import re

    from fac_eval.core.invisible import clean_id
    from fac_eval.disclosure import pii

    value = clean_id(cell)  # invisible characters are removed on reading
    why = pii.pseudonym_problem(value)
    if why is None:  # a pseudonym; typed by hand with the other population's prefix, refused
        other = _OTHER_PREFIX.get(item or "")
        if other is not None and re.fullmatch(rf"{other[0]}\d+", value, re.IGNORECASE):
            own = "A" if other[0] == "P" else "P"
            ids = _CONVENTION["learners" if own == "A" else "founders"]
            return problem(file, row, column, cell.strip(), "not_pseudonym",
                           both(PSEUDONYM_EXPECTED, **_CONVENTION), item=item,
                           note=both(other[1], other=other[0], own=own, ids=ids))
        return None
    wordy = re.search(r"[^\W\d_]{3}", cell) is not None
    shown = why == "numeric" or (why == "format" and not wordy)
    value = cell.strip() if shown else pii.mask(cell.strip())
    return problem(file, row, column, value, "not_pseudonym", both(PSEUDONYM_EXPECTED, **_CONVENTION),
                   item=item, note=both(_ID_PROBLEMS[why]))


def _yaml_strings(node, path: str = ""):
    """(key path, line, text) of every string scalar of a composed YAML node."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = str(k.value)
            yield from _yaml_strings(v, f"{path}.{key}" if path else key)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value, start=1):
            yield from _yaml_strings(v, f"{path}[{i}]")
    elif isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) and node.value.strip():
        yield path, node.start_mark.line + 1, node.value


def _ids_and_names(participant_ids, names) -> tuple[list[str], list[str]]:
    """The participant ids the detector looks for (the pseudonymous ones) and the names: those
    given, else the names file's (none when it is unset)."""
    from fac_eval.disclosure import pii, privacy

    if names is None:
        try:
            names = privacy.load_names()
        except privacy.KeyMissingError:
            names = []
    return [str(i) for i in participant_ids or () if pii.is_pseudonym(str(i))], list(names)


def meta_identifier_problems(session_dir: str | Path, participant_ids=(),
                             names=None) -> list[Problem]:
    """``direct_identifier`` problems of ``session.yml``: personal data in any of its texts
    (name, programme, territory, notes, objectives, context…, at any depth), found by the one
    detector (:func:`fac_eval.disclosure.pii.find_pii`: e-mails however written, phone numbers, NIR, IBAN,
    postal addresses, dates of birth) plus the session's participant ids and the names of the
    names file (:func:`fac_eval.disclosure.privacy.load_names`; ``names`` to give them). Each problem names
    the file, line and key (``objectives[2].text``) and shows the value masked. These texts are
    printed in the report: nothing personal may be in them. ``session_dir`` may also be a YAML
    file of the session (``claims.yml``, whose statements the concordance prints)."""

    from fac_eval.data.validation_text import bidi_problem
    from fac_eval.disclosure import pii

    session_dir = Path(session_dir)
    path = session_dir if session_dir.is_file() else session_dir / "session.yml"
    if not path.is_file() and (session_dir / "session.yaml").exists():
        path = session_dir / "session.yaml"
    from fac_eval.data import raw_entries, safe_yaml

    if raw_entries.entry_problem(path) is not None:
        return []  # not read: check_session_meta says what it is
    # the strict reader (size cap, no anchors or aliases): walking an aliased tree would expand
    # it; a file it refuses is reported by check_session_meta
    text, refused = safe_yaml.read_text(path) if path.is_file() else (None, True)
    if refused is not None or text is None:
        return []
    node = safe_yaml.compose(text)
    if node is None:
        return []
    ids, names = _ids_and_names(participant_ids, names)
    expected = both(N_("no personal data in the texts of %(file)s (they are printed in the "
                       "report)"), file=path.name)
    out = []
    for key, line, value in _yaml_strings(node):
        bidi = bidi_problem(path.name, line, key, value)
        if bidi is not None:
            out.append(bidi)
        found = pii.find_pii(value, ids, names)
        if not found:
            continue
        kinds = list(dict.fromkeys(f.kind for f in found))
        out.append(problem(path.name, line, key, _masked_findings(value, ids, names),
                           "direct_identifier", expected,
                           note=both(_FOUND_MASKED, what=_kinds(kinds))))
    return out


#: What a session's name must be: it is printed in the report and names its files.
SESSION_NAME_EXPECTED = N_(
    "a session name that identifies no one, such as a year or a place (it is printed in the "
    "report and names its files): rename the folder")
#: The same for a comparison's name, given by ``fac-eval compare --name``.
COMPARISON_NAME_EXPECTED = N_(
    "a comparison name that identifies no one, such as the years or places compared (it is "
    "printed in the report and names its files): choose another one with --name")


def session_name_problems(session_dir: str | Path, participant_ids=(),
                          names=None, comparison: bool = False) -> list[Problem]:
    """A ``direct_identifier`` problem when the name of a session's folder (or of a comparison's)
    holds personal data: a participant id of the session (``P01``, ``a3``), a name of the names
    file (``Marie_Dupont``, ``marie.dupont``) or anything else the one detector finds
    (:func:`fac_eval.disclosure.pii.find_pii`). The name is checked as written and with its
    ``_``, ``.`` and ``-`` read as spaces. It is printed on the report's cover and names its
    files, so the leak scan would refuse the report anyway: validation says it first, with what
    to do (``comparison``: the name given by ``compare --name``, changed by another one)."""
    import re

    from fac_eval.disclosure import pii

    name = Path(session_dir).name
    ids, names = _ids_and_names(participant_ids, names)
    spaced = re.sub(r"[_.\-]+", " ", name)
    found = pii.find_pii(name, ids, names) or pii.find_pii(spaced, ids, names)
    if not found:
        return []
    kinds = list(dict.fromkeys(f.kind for f in found))
    # the folder is named with its name masked (the message may be kept in a log)
    shown = str(Path(session_dir).parent / pii.mask(name))
    expected = COMPARISON_NAME_EXPECTED if comparison else SESSION_NAME_EXPECTED
    return [problem(shown, None, None, None, "direct_identifier", both(expected),
                    note=both(_FOUND_MASKED, what=_kinds(kinds)))]


def protect_problems(
    problems: Iterable[Problem], identifiers: Iterable[Problem] = ()
) -> list[Problem]:
    """``problems`` made safe to show, given the ``direct_identifier`` problems found.

    Other problems about a cell or a column already reported as a direct identifier are dropped
    (an identifier column is not also an ``unknown_column``; an e-mail typed in a code column is
    not also an ``invalid_value`` quoting it). Any e-mail address or phone number left in the
    column, value or expected text of a problem is replaced by a placeholder.
    """
    from fac_eval.disclosure import privacy

    identifiers = [p for p in identifiers if p.kind in ("direct_identifier", "not_pseudonym")]
    cells = {(p.file, p.row, p.column) for p in identifiers}
    columns = {(p.file, p.column) for p in identifiers if p.item is None}
    out: list[Problem] = []
    for p in problems:
        if p.kind not in ("direct_identifier", "not_pseudonym"):
            if (p.file, p.row, p.column) in cells:
                continue
            if p.kind == "unknown_column" and (p.file, p.column) in columns:
                continue
        changes: dict[str, Any] = {}
        for attr in ("column", "value", "expected", "expected_en"):
            v = getattr(p, attr)
            if isinstance(v, str) and v and privacy.contact_kind(v) is not None:
                changes[attr] = privacy.scrub_text(v, lang="en" if attr == "expected_en" else "fr")
        if changes:
            p = replace(p, **changes)
        out.append(p)
    return out

