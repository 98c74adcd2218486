"""Per-table and cross-table checks of a session's typed tables.

- per table, a pandera ``DataFrameSchema`` built from the codebook (:func:`build_schema`,
  :func:`table_problems`): allowed codes, ranges (``out_of_range``), nullability
  (``missing_value``), uniqueness of the participant id within a wave (``duplicate_id``);
- a title row above the header (:func:`title_row_problem`, ``title_row``);
- between tables (:func:`cross_table_problems`): ids unknown to the profile (``unknown_id``),
  testimonies attributed to the wrong population (``population_mismatch``), dates out of order
  (``date_order``) or outside the session (``date_out_of_session``).

Re-exported by :mod:`fac_eval.data.validation`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pandas as pd

from fac_eval.core.i18n import N_
from fac_eval.data import codebook as cb
from fac_eval.data.reading_cells import DTYPES, SOURCE_ROW, map_header
from fac_eval.data.validation_problems import (
    Problem,
    both,
    expected_text,
    join_words,
    missing_expected,
    problem,
)

__all__ = [
    "ENTRY_TOLERANCE_DAYS",
    "FOLLOWUP_GRACE_MONTHS",
    "build_schema",
    "table_problems",
    "title_row_problem",
    "LoadedTable",
    "cross_table_problems",
]

#: Response dates may precede the session's start by this many days (entry questionnaires are
#: sometimes filled at recruitment).
ENTRY_TOLERANCE_DAYS = 31
#: Follow-up answers may come this many months after the planned follow-up date.
FOLLOWUP_GRACE_MONTHS = 3

# --------------------------------------------------------------------------------------------
# Per-table checks (pandera)
# --------------------------------------------------------------------------------------------


def _unique_key(instrument: cb.Instrument) -> bool:
    """Whether the participant id must be unique in this file (one row per person and wave).

    Testimonies are the exception: a participant may give several testimonies.
    """
    return instrument.wave != "testimony"


@cache
def build_schema(instrument: cb.Instrument):
    """A pandera ``DataFrameSchema`` of the typed table of ``instrument``.

    Returns ``(schema, kinds)`` where ``kinds[(column, check_number)]`` gives the problem kind of
    each check (checks are numbered in the order they are listed for the column). The result is
    cached per instrument: do not modify it.
    """
    import pandera.pandas as pa

    columns = {}
    kinds: dict[tuple[str, int], str] = {}
    for item in instrument.items:
        checks = []
        if item.type in ("ordinal", "category") and item.choices:
            checks.append(pa.Check.isin(list(item.codes)))
            kinds[(item.name, 0)] = "out_of_range" if item.type == "ordinal" else "invalid_value"
        elif item.type in ("integer", "number"):
            if item.minimum is not None:
                checks.append(pa.Check.ge(item.minimum))
                kinds[(item.name, len(checks) - 1)] = "out_of_range"
            if item.maximum is not None:
                checks.append(pa.Check.le(item.maximum))
                kinds[(item.name, len(checks) - 1)] = "out_of_range"
        is_key = item.name == instrument.key
        columns[item.name] = pa.Column(
            DTYPES[item.type],
            checks=checks,
            nullable=item.nullable,
            unique=is_key and _unique_key(instrument),
            report_duplicates="exclude_first",
            required=True,
        )
    columns[SOURCE_ROW] = pa.Column("int64", nullable=False, unique=True)
    schema = pa.DataFrameSchema(columns, strict=True, ordered=False, coerce=False,
                                name=instrument.name)
    return schema, kinds


def table_problems(
    typed: pd.DataFrame,
    instrument: cb.Instrument,
    file: str | None = None,
    raw: pd.DataFrame | None = None,
    headers: dict[str, int] | None = None,
    skip: set[tuple[int, str]] | None = None,
    skip_columns: set[str] | frozenset[str] = frozenset(),
) -> list[Problem]:
    """Per-table problems of a typed table (see :func:`fac_eval.data.io.parse_table`).

    ``raw`` and ``headers`` (canonical name -> position of the column in ``raw``) let messages
    show the cell exactly as typed; ``skip`` holds ``(row, item)`` pairs already reported while
    reading, which are not reported again; ``skip_columns`` the columns missing from the file
    (already reported as ``missing_column``: their empty cells are not reported one by one).
    """
    import pandera.pandas as pa

    file = file or f"{instrument.name}"
    skip = skip or set()
    schema, kinds = build_schema(instrument)
    try:
        schema.validate(typed, lazy=True)
        return []
    except pa.errors.SchemaErrors as err:
        failures = err.failure_cases
    except pa.errors.SchemaError as err:  # pragma: no cover - lazy=True collects them all
        failures = err.failure_cases if err.failure_cases is not None else pd.DataFrame()

    rows = typed[SOURCE_ROW].to_numpy() if SOURCE_ROW in typed else None
    out: list[Problem] = []
    seen: set[tuple] = set()
    for rec in failures.to_dict("records"):
        name = rec.get("column")
        if name not in instrument.columns or name in skip_columns:
            continue
        item = instrument.item(name)
        idx = rec.get("index")
        row = None
        if idx is not None and not pd.isna(idx) and rows is not None:
            row = int(rows[int(idx)])
        if (row, name) in skip or (row, name) in seen:
            continue
        check = str(rec.get("check"))
        column = _display_column(raw, headers, name)
        value = _display_value(raw, headers, name, row, rec.get("failure_case"))
        if check == "not_nullable":
            kind = "missing_value"
            expected = (missing_expected(item, "fr"), missing_expected(item, "en"))
        elif check == "field_uniqueness":
            kind = "duplicate_id"
            first = _first_row(typed, name, rec.get("failure_case"), rows)
            expected = both(N_("an id that is unique in the file (already on row %(first)s)"),
                            first=first)
        elif check == "column_in_schema" or check == "column_in_dataframe":
            continue  # columns are always complete after parse_table
        else:
            num = rec.get("check_number")
            kind = kinds.get((name, int(num)) if num is not None and not pd.isna(num) else None,
                             "wrong_type")
            expected = (expected_text(item, "fr"), expected_text(item, "en"))
        seen.add((row, name))
        out.append(problem(file, row, column, value, kind, expected, item=name))
    return out


def _display_column(raw, headers, name) -> str:
    if raw is not None and headers and name in headers:
        return str(raw.columns[headers[name]]).strip()
    return name


def _display_value(raw, headers, name, row, fallback) -> str:
    if raw is not None and headers and name in headers and row is not None:
        try:
            return str(raw.iloc[raw.index.get_loc(row), headers[name]])
        except (KeyError, IndexError, TypeError):
            pass
    if fallback is None or (not isinstance(fallback, str) and pd.isna(fallback)):
        return ""
    if isinstance(fallback, pd.Timestamp):
        return fallback.strftime("%Y-%m-%d")
    return str(fallback)


def _first_row(typed, name, value, rows) -> int | str:
    matches = (typed[name] == value).to_numpy().nonzero()[0]
    if len(matches) and rows is not None:
        return int(rows[matches[0]])
    return "?"


# --------------------------------------------------------------------------------------------
# A title row above the header (typical of Excel exports with a merged title)
# --------------------------------------------------------------------------------------------

_TITLE_SEARCH_ROWS = 5


def _header_score(values, instrument: cb.Instrument) -> int:
    return sum(1 for v in values if str(v).strip() and map_header(v, instrument) is not None)


def title_row_problem(
    raw: pd.DataFrame, instrument: cb.Instrument | str, file: str | None = None
) -> tuple[Problem, pd.DataFrame] | None:
    """A ``title_row`` problem when the column headers are not on the first row of the file but
    a few rows below (a title, often in merged cells, above the table), else None.

    Returns ``(problem, table)`` where ``table`` is ``raw`` re-read with the real header row (used
    to scan the data for direct identifiers all the same). Detected when one of the first rows
    below the first non-blank row holds more of the instrument's headers than that row, and at
    least two of them (and half of its required columns).
    """
    inst = cb.INSTRUMENTS[instrument] if isinstance(instrument, str) else instrument
    file = file or raw.attrs.get("file") or inst.name
    best_k, best = None, _header_score(raw.columns, inst)
    for k in range(min(_TITLE_SEARCH_ROWS, raw.shape[0])):
        score = _header_score(raw.iloc[k], inst)
        if score > best:
            best_k, best = k, score
    required = sum(1 for it in inst.items if it.required)
    if best_k is None or best < max(2, (required + 1) // 2):
        return None
    title_row = int(raw.attrs.get("header_row", 1))
    header_row = int(raw.index[best_k])
    title = " ".join(str(c).strip() for c in raw.columns if str(c).strip())
    table = raw.iloc[best_k + 1:].copy()
    table.columns = [str(c) for c in raw.iloc[best_k]]
    table.attrs = {**raw.attrs, "header_row": header_row}
    found = problem(
        file, title_row, None, title or None, "title_row",
        both(N_("the column headers on the first row of the file (they are on row "
                "%(header_row)s): delete the title row(s) above them, merged cells included"),
             header_row=header_row))
    return found, table


# --------------------------------------------------------------------------------------------
# Cross-table checks
# --------------------------------------------------------------------------------------------


@dataclass
class LoadedTable:
    """One raw file read and typed, with what is needed to point at a cell in messages."""

    instrument: cb.Instrument
    path: Path
    raw: pd.DataFrame
    typed: pd.DataFrame
    headers: dict[str, int]  # canonical name -> column position in ``raw``

    @property
    def file(self) -> str:
        return self.path.name

    def column(self, name: str) -> str:
        return _display_column(self.raw, self.headers, name)

    def value(self, name: str, row: int) -> str:
        return _display_value(self.raw, self.headers, name, row, None)


def _fmt_date(d, lang: str = "fr") -> str:
    """A date as the messages write it: ``01/03/2022`` in French, ``2022-03-01`` in English."""
    return pd.Timestamp(d).strftime(_DATE_FORMATS[lang])


def _on(d):
    """``_fmt_date(d)`` in each language (a value for :func:`both`)."""
    return lambda lang: _fmt_date(d, lang)


#: How the messages write a date in each language (the user's spreadsheet convention).
_DATE_FORMATS = {"fr": "%d/%m/%Y", "en": "%Y-%m-%d"}


#: What a response date must follow: the entry or the exit questionnaire's response.
_AFTER = {
    "entry": N_("a date on or after the entry questionnaire's response (%(date)s, %(file)s row "
                "%(row)s)"),
    "exit": N_("a date on or after the exit questionnaire's response (%(date)s, %(file)s row "
               "%(row)s)"),
}


def cross_table_problems(tables: dict[str, LoadedTable], meta: dict | None) -> list[Problem]:
    """Problems between files: unknown ids, population of testimonies, order of dates, dates
    outside the session (when ``meta`` is valid)."""
    out: list[Problem] = []
    profiles = {"learners": tables.get("learners_profile"), "founders": tables.get("founders_profile")}
    ids = {
        pop: set(t.typed[t.instrument.key].dropna().astype(str)) if t is not None else None
        for pop, t in profiles.items()
    }
    choice = {c.code: c for c in cb.POPULATION}

    # An id cannot be both a learner and a founder (testimonies would be ambiguous).
    if ids["learners"] is not None and ids["founders"] is not None:
        fp, lp = profiles["founders"], profiles["learners"]
        assert fp is not None and lp is not None  # ids are read exactly when the profile is
        key = fp.instrument.key
        for pid, row in zip(fp.typed[key], fp.typed[SOURCE_ROW]):
            if isinstance(pid, str) and pid in ids["learners"]:
                out.append(problem(
                    fp.file, int(row), fp.column(key), fp.value(key, int(row)), "duplicate_id",
                    both(N_("an id distinct from the learners' ids (%(file)s)"), file=lp.file),
                    item=key))

    # Ids of waves must exist in the profile of their population.
    for t in tables.values():
        inst = t.instrument
        if inst.wave == "profile":
            continue
        key = inst.key
        for i, (pid, row) in enumerate(zip(t.typed[key], t.typed[SOURCE_ROW])):
            if not isinstance(pid, str):
                continue
            row = int(row)
            if inst.wave == "testimony":
                pop = t.typed["population"].iloc[i] if "population" in t.typed else None
                pop = pop if isinstance(pop, str) else None
                known = {p for p, s in ids.items() if s is not None and pid in s}
                if any(s is None for s in ids.values()) and not known:
                    continue  # a profile could not be read: cannot tell
                if not known:
                    names = [p.file for p in profiles.values() if p is not None]
                    out.append(problem(
                        t.file, row, t.column(key), t.value(key, row), "unknown_id",
                        both(N_("an id listed in %(files)s"),
                             files=lambda lang, n=names: join_words(n, lang, "or")),
                        item=key))
                elif pop is not None and pop not in known:
                    other = next(iter(known))
                    other_profile = profiles[other]
                    assert other_profile is not None  # ``known`` holds populations with ids
                    among = (N_('"%(code)s" ("%(label)s"): %(id)s is in %(file)s, among the '
                                'learners') if other == "learners" else
                             N_('"%(code)s" ("%(label)s"): %(id)s is in %(file)s, among the '
                                'founders'))
                    label = choice[other]
                    out.append(problem(
                        t.file, row, t.column("population"), t.value("population", row),
                        "population_mismatch",
                        both(among, code=other, id=pid, file=other_profile.file,
                             label=lambda lang, c=label: c.label_en if lang == "en"
                             else c.label_fr),
                        item="population"))
                continue
            known_ids = ids.get(inst.population)
            if known_ids is None or pid in known_ids:
                continue
            prof = profiles[inst.population]
            assert prof is not None  # its ids are known
            out.append(problem(
                t.file, row, t.column(key), t.value(key, row), "unknown_id",
                both(N_("an id listed in %(files)s"), files=prof.file), item=key))

    # Order of dates per person: entry <= exit <= follow-up.
    def dates(name):
        t = tables.get(name)
        if t is None or "response_date" not in t.typed:
            return {}
        key = t.instrument.key
        d = {}
        for pid, date, row in zip(t.typed[key], t.typed["response_date"], t.typed[SOURCE_ROW]):
            if isinstance(pid, str) and not pd.isna(date) and pid not in d:
                d[pid] = (pd.Timestamp(date), int(row))
        return d

    for pop in ("learners", "founders"):
        entry, exit_ = dates(f"{pop}_entry"), dates(f"{pop}_exit")
        t_exit = tables.get(f"{pop}_exit")
        for pid, (date, row) in exit_.items():
            if pid in entry and date < entry[pid][0]:
                assert t_exit is not None  # exit_ has dates only when the exit table is there
                ref, ref_row = entry[pid]
                ref_file = tables[f"{pop}_entry"].file
                out.append(problem(
                    t_exit.file, row, t_exit.column("response_date"),
                    t_exit.value("response_date", row), "date_order",
                    both(_AFTER["entry"], date=_on(ref), file=ref_file, row=ref_row),
                    item="response_date"))
    fu = tables.get("followup")
    if fu is not None:
        entry, exit_ = dates("learners_entry"), dates("learners_exit")
        for pid, (date, row) in dates("followup").items():
            if pid in exit_:
                ref, ref_row = exit_[pid]
                ref_file, wave = tables["learners_exit"].file, "exit"
            elif pid in entry:
                ref, ref_row = entry[pid]
                ref_file, wave = tables["learners_entry"].file, "entry"
            else:
                continue
            if date < ref:
                out.append(problem(
                    fu.file, row, fu.column("response_date"), fu.value("response_date", row),
                    "date_order",
                    both(_AFTER[wave], date=_on(ref), file=ref_file, row=ref_row),
                    item="response_date"))

    # Response dates within the session (needs valid dates in session.yml); a date already
    # reported as out of order is not reported again, but its problem says it is outside the
    # session too (an exit dated before the session began is not only "out of order")
    ordered = {(p.file, p.row): i for i, p in enumerate(out) if p.kind == "date_order"}
    if meta and isinstance(meta.get("start_date"), dt.date) and isinstance(meta.get("end_date"), dt.date):
        start = pd.Timestamp(meta["start_date"])
        end = pd.Timestamp(meta["end_date"])
        months = int(meta.get("followup_months") or 0)
        lo = start - pd.Timedelta(days=ENTRY_TOLERANCE_DAYS)
        hi = end + pd.DateOffset(months=months + FOLLOWUP_GRACE_MONTHS)
        for t in tables.values():
            if "response_date" not in t.typed:
                continue
            low = end if t.instrument.wave == "followup" else lo
            for date, row in zip(t.typed["response_date"], t.typed[SOURCE_ROW]):
                row = int(row)
                if pd.isna(date) or low <= date <= hi:
                    continue
                if (t.file, row) in ordered:
                    note = both(N_("also before the session began on %(date)s, as "
                                   "session.yml says"), date=_on(start)) if date < lo else both(
                        N_("also before the session ended on %(date)s, as session.yml says"),
                        date=_on(end)) if date < low else both(
                        N_("also after %(date)s, the end of the session's follow-up as "
                           "session.yml gives it"), date=_on(hi))
                    i = ordered[(t.file, row)]
                    out[i] = replace(out[i], note=note[0], note_en=note[1])
                    continue
                out.append(problem(
                    t.file, row, t.column("response_date"), t.value("response_date", row),
                    "date_out_of_session",
                    both(N_("a date from %(low)s to %(high)s (session from %(start)s to %(end)s, "
                            "%(months)s-month follow-up, see session.yml)"),
                         low=_on(low), high=_on(hi), start=_on(start), end=_on(end),
                         months=months),
                    item="response_date"))
    return out

