"""Cells of one row that contradict each other (problem kind ``contradictory_values``).

Each cell may be valid on its own while the row says two incompatible things; the figures
would then rest on a guess (a situation dropped, a respondent counted without a situation). The
rules, each reported on the cell that should change, naming the cell it contradicts:

- follow-up: a learner who did not answer (``responded = no``) has no situation and no
  digital-sector answer; one who answered (``responded = yes``) has a situation;
- learners' profile: a reason for dropping out is given only with ``status = dropped_out``;
- founders' questionnaires: a business not created (``business_created = no``) has no annual
  revenue (empty or 0);
- follow-up: the digital-sector answer goes with a job or a training (a dynamic exit), never
  with a situation out of activity (job seeker, long illness…);
- across files: a learner who dropped out (``status = dropped_out``) has no exit questionnaire
  and no exit testimony, which are given at the session's end (the participant flow and the
  paired analyses would count them twice over: as a drop-out and as a completer); a follow-up
  testimony comes from a learner who answered the follow-up; a founder developing a business
  (``stage = development``) has one (``business_created`` is not ``no``).

A cell that could not be read is reported by the reader and not checked here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from fac_eval.core.i18n import N_, both
from fac_eval.data import codebook as cb

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
_NOT_ACTIVE = N_("an empty cell: the digital sector is asked of a job or a training, and this row's "
                 "%(column)s is %(value)s")
_DROPPED_TESTIMONY = N_("the id of a learner who completed the course: %(id)s dropped out "
                        "(%(column)s = %(value)s, %(file)s row %(row)s), and an exit testimony "
                        "is given at the session's end")
_NO_FOLLOWUP = N_("the id of a learner who answered the follow-up: %(id)s did not (%(column)s = "
                  "%(value)s, %(file)s row %(row)s)")
_STAGE = N_("yes, or an empty cell: %(id)s is developing a business (%(column)s = %(value)s, "
            "%(file)s row %(row)s), which exists")
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


def _contradiction(t: LoadedTable, row: int, item: str, message: str, pid: str, reason: str,
                   other: LoadedTable | None = None, at: int | None = None) -> Problem:
    """The ``item`` cell of ``t``'s ``row`` contradicts the ``reason`` cell of ``other``'s row
    ``at`` (default: the same row of the same table); ``message`` may name its id, column,
    value, file and row."""
    other, at = other or t, row if at is None else at
    return problem(t.file, row, t.column(item), t.value(item, row), "contradictory_values",
                   both(message, id=pid, column=other.column(reason),
                        value=other.value(reason, at), file=other.file, row=at),
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
        elif "digital_sector" in t.typed and _filled(rec["digital_sector"]) \
                and _filled(rec["situation"]) and cb.SORTIE_CATEGORY.get(
                    str(rec["situation"])) not in ("durable", "transition", "positive"):
            out.append(_contradiction(t, row, "digital_sector", _NOT_ACTIVE, pid, "situation"))
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


def _refers(table: LoadedTable, wanted: dict[str, int], message: str, other: LoadedTable,
            column: str, where=lambda rec: True, item: str | None = None) -> list[Problem]:
    """Rows of ``table`` whose id is in ``wanted`` (id -> the row of ``other`` whose
    ``column`` they contradict) and for which ``where`` holds, each reported on its ``item``
    cell (default: the id's)."""
    key = table.instrument.key
    item = item or key
    out = []
    for row, rec in _rows(table):
        pid = rec.get(key)
        if _filled(pid) and str(pid) in wanted and where(rec):
            out.append(_contradiction(table, row, item, message, str(pid), column, other,
                                      wanted[str(pid)]))
    return out


def _ids_where(t: LoadedTable, column: str, test) -> dict[str, int]:
    key = t.instrument.key
    if column not in t.typed:
        return {}
    return {str(rec[key]): row for row, rec in _rows(t)
            if _filled(rec.get(key)) and _filled(rec[column]) and test(rec[column])}


def _across_files(tables: dict[str, LoadedTable]) -> list[Problem]:
    out: list[Problem] = []
    profile, quotes = tables.get("learners_profile"), tables.get("testimonies")
    if profile is not None:
        dropped = _ids_where(profile, "status", lambda v: v == "dropped_out")
        if "learners_exit" in tables:
            out += _refers(tables["learners_exit"], dropped, _DROPPED, profile, "status")
        if quotes is not None and "wave" in quotes.typed:
            out += _refers(quotes, dropped, _DROPPED_TESTIMONY, profile, "status",
                           lambda rec: rec.get("wave") == "exit")
    followup = tables.get("followup")
    if followup is not None and quotes is not None and "wave" in quotes.typed:
        silent = _ids_where(followup, "responded", lambda v: not bool(v))
        out += _refers(quotes, silent, _NO_FOLLOWUP, followup, "responded",
                       lambda rec: rec.get("wave") == "followup")
    founders = tables.get("founders_profile")
    for name in ("founders_entry", "founders_exit"):
        answers = tables.get(name)
        if founders is not None and answers is not None and "business_created" in answers.typed:
            developing = _ids_where(founders, "stage", lambda v: v == "development")
            out += _refers(answers, developing, _STAGE, founders, "stage",
                           lambda rec: _filled(rec["business_created"])
                           and not bool(rec["business_created"]), item="business_created")
    return out


def row_problems(tables: dict[str, LoadedTable]) -> list[Problem]:
    """The contradictions within rows of the session's tables (see the module)."""
    out: list[Problem] = _across_files(tables)
    checks = {"followup": _followup, "learners_profile": _dropout,
              "founders_entry": _revenue, "founders_exit": _revenue}
    for name, check in checks.items():
        if name in tables:
            out += check(tables[name])
    return out
