"""Cells of one row that contradict each other (problem kind ``contradictory_values``).

Each cell may be valid on its own while the row says two incompatible things; the figures
would then rest on a guess (a situation dropped, a respondent counted without a situation). The
rules, each reported on the cell that should change, naming the cell it contradicts:

- follow-up: a learner who did not answer (``responded = no``) has no situation and no
  digital-sector answer; one who answered (``responded = yes``) has a situation;
- learners' profile: a reason for dropping out is given only with ``status = dropped_out``;
- founders' questionnaires: a business not created (``business_created = no``) has no annual
  revenue (empty or 0);
- across files: a learner who dropped out (``status = dropped_out``) has no exit questionnaire,
  which is answered at the session's end (the participant flow and the paired analyses would
  count them twice over: as a drop-out and as a completer).

A cell that could not be read is reported by the reader and not checked here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from fac_eval.core.i18n import N_, both

from .reading_cells import SOURCE_ROW
from .validation_problems import Problem, problem
from .validation_tables import LoadedTable

_NOT_ANSWERED = N_("an empty cell: %(id)s did not answer (%(column)s = %(value)s on this row), so "
                   "nothing is known of their situation")
_ANSWERED = N_("the situation %(id)s gave at follow-up (a code of the codebook), since %(column)s "
               "= %(value)s on this row; if they did not answer, write %(column)s = no")
_NOT_DROPPED = N_("an empty cell: a reason for dropping out goes with %(column)s = dropped_out, "
                  "and this row says %(column)s = %(value)s")
_DROPPED = N_("the id of a learner who completed the course: %(id)s dropped out (%(column)s = "
              "%(value)s, %(file)s row %(row)s), and a learner who dropped out has no exit "
              "questionnaire; if they completed the course, write %(column)s = completed")
_NOT_CREATED = N_("an empty cell or 0: the business is not created (%(column)s = %(value)s on this "
                  "row), so it has no annual revenue yet")


def _rows(t: LoadedTable) -> Iterator[tuple[int, pd.Series]]:
    typed = t.typed
    if SOURCE_ROW not in typed:
        return
    for i in range(len(typed)):
        yield int(typed[SOURCE_ROW].iloc[i]), typed.iloc[i]


def _filled(value) -> bool:
    """A typed cell that holds a value (not empty, not NA)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return False
    return str(value).strip() != ""


def _contradiction(t: LoadedTable, row: int, item: str, message: str, pid: str,
                   reason: str) -> Problem:
    return problem(t.file, row, t.column(item), t.value(item, row), "contradictory_values",
                   both(message, id=pid, column=t.column(reason), value=t.value(reason, row)),
                   item=item)


def _followup(t: LoadedTable) -> list[Problem]:
    out: list[Problem] = []
    if "responded" not in t.typed:
        return out
    key = t.instrument.key
    for row, rec in _rows(t):
        answered, pid = rec["responded"], str(rec.get(key, ""))
        if not _filled(answered):
            continue  # unreadable or missing: reported by the reader
        if not bool(answered):
            for item in ("situation", "digital_sector"):
                if item in t.typed and _filled(rec[item]):
                    out.append(_contradiction(t, row, item, _NOT_ANSWERED, pid, "responded"))
        elif "situation" in t.typed and not _filled(rec["situation"]) \
                and not _filled(t.value("situation", row)):
            out.append(_contradiction(t, row, "situation", _ANSWERED, pid, "responded"))
    return out


def _dropout(t: LoadedTable) -> list[Problem]:
    if not {"status", "dropout_reason"} <= set(t.typed.columns):
        return []
    key = t.instrument.key
    return [_contradiction(t, row, "dropout_reason", _NOT_DROPPED, str(rec.get(key, "")),
                           "status")
            for row, rec in _rows(t)
            if _filled(rec["status"]) and rec["status"] != "dropped_out"
            and _filled(rec["dropout_reason"])]


def _revenue(t: LoadedTable) -> list[Problem]:
    if not {"business_created", "annual_revenue"} <= set(t.typed.columns):
        return []
    key = t.instrument.key
    out = []
    for row, rec in _rows(t):
        created, revenue = rec["business_created"], rec["annual_revenue"]
        if not _filled(created) or bool(created) or not _filled(revenue):
            continue
        if float(revenue) != 0:
            out.append(_contradiction(t, row, "annual_revenue", _NOT_CREATED,
                                      str(rec.get(key, "")), "business_created"))
    return out


def _dropped_with_exit(profile: LoadedTable, exit_: LoadedTable) -> list[Problem]:
    if "status" not in profile.typed:
        return []
    key = profile.instrument.key
    dropped = {str(rec[key]): row for row, rec in _rows(profile)
               if _filled(rec.get(key)) and rec["status"] == "dropped_out"}
    out = []
    for row, rec in _rows(exit_):
        pid = rec.get(exit_.instrument.key)
        if _filled(pid) and str(pid) in dropped:
            at = dropped[str(pid)]
            out.append(problem(
                exit_.file, row, exit_.column(exit_.instrument.key),
                exit_.value(exit_.instrument.key, row), "contradictory_values",
                both(_DROPPED, id=str(pid), column=profile.column("status"),
                     value=profile.value("status", at), file=profile.file, row=at),
                item=exit_.instrument.key))
    return out


def row_problems(tables: dict[str, LoadedTable]) -> list[Problem]:
    """The contradictions within rows of the session's tables (see the module)."""
    out: list[Problem] = []
    if "learners_profile" in tables and "learners_exit" in tables:
        out += _dropped_with_exit(tables["learners_profile"], tables["learners_exit"])
    checks = {"followup": _followup, "learners_profile": _dropout,
              "founders_entry": _revenue, "founders_exit": _revenue}
    for name, check in checks.items():
        if name in tables:
            out += check(tables[name])
    return out
