"""Interim sessions: exit questionnaires not collected yet.

A session whose exit questionnaires (:data:`PENDING_ALLOWED`: the learners' and the founders'
exit files) are absent, or present but empty (zero bytes, blank, or a header row only: the
untouched entry template), is an *interim* session. That is a declared state, not a silent
skip:

- validation (:func:`fac_eval.data.validation.check_session`) lists the pending questionnaires in
  ``SessionData.pending`` instead of refusing the files as empty (entry and profile files are
  still refused when empty: they are the baseline);
- the indicators that need an exit wave get the verdict ``pending`` with a note naming the
  questionnaire and when it is expected (:func:`mark_pending`), never a 0 % over nobody;
- the report is titled and bannered as an interim report and names what is pending and when
  (:func:`pending_schedule`).

Pure functions: tables and metadata in, tables and tuples out.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fac_eval.core.i18n import N_, messages

#: The instruments whose file may be absent or empty while the session is interim.
PENDING_ALLOWED = ("learners_exit", "founders_exit")

#: Which indicators each pending instrument leaves without a figure: (population, sections).
PENDING_SECTIONS = {
    "learners_exit": ("learners", ("outcomes", "declarations")),
    "founders_exit": ("founders", ("business", "outcomes")),
}

#: Indicators of other sections that a pending instrument also leaves without a figure: before
#: the learners' exit questionnaire the session is not over, the profile's "completed" is only
#: a status so far (never published as "parcours terminé k sur n").
PENDING_INDICATORS = {
    "learners_exit": ("learners.completed",),
}

#: Columns emptied in a pending indicator's row (its figure does not exist yet).
_FIGURES = ("numerator", "denominator", "value", "ci_low", "ci_high", "statistic", "p_value",
            "p_adjusted", "effect", "effect_ci_low", "effect_ci_high", "confidence")

_LABELS = {
    "learners_exit": N_("learners' exit questionnaire"),
    "founders_exit": N_("founders' exit questionnaire"),
    "followup": N_("%(m)s-month follow-up"),
}


def pending_label(instrument: str) -> str:
    """The catalog message naming a pending questionnaire (``learners' exit questionnaire``)."""
    return _LABELS[instrument]


def awaited_testimonies(testimonies: pd.DataFrame, pending) -> pd.Series:
    """Which testimonies belong to a wave not collected yet (a boolean mask): an exit testimony
    while its population's exit questionnaire is pending, a learner's follow-up testimony while
    the learners' exit questionnaire is (the follow-up comes after it, its answers are set
    aside). The cleaning sets them aside and validation warns, naming each row."""
    population = testimonies["population"].astype(str)
    wave = testimonies["wave"].astype(str)
    exit_awaited = population.map(lambda p: f"{p}_exit" in pending)
    followup_awaited = (population == "learners") & ("learners_exit" in pending)
    return ((wave == "exit") & exit_awaited) | ((wave == "followup") & followup_awaited)


def is_blank_table(raw: pd.DataFrame) -> bool:
    """True when a raw table has no data row (a header only)."""
    return raw.shape[0] == 0


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the last day of the month when it is shorter)."""
    y, m = divmod(day.month - 1 + int(months), 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def label(instrument: str, lang: str = "fr", months: int = 3) -> str:
    return messages(lang)._(_LABELS[instrument], m=months)


def pending_schedule(pending: tuple[str, ...] | list[str], meta: dict,
                     followup_pending: bool = True) -> list[tuple[str, dt.date | None]]:
    """What is still to be collected and from when: ``[(instrument, expected date)]``.

    The exit questionnaires are expected at the end of the session (``end_date``), the
    follow-up ``followup_months`` after it (when it is pending too and the session has one).
    """
    end = meta.get("end_date")
    end = end if isinstance(end, dt.date) else None
    months = int(meta.get("followup_months") or 0)
    out: list[tuple[str, dt.date | None]] = [(p, end) for p in PENDING_ALLOWED if p in pending]
    if followup_pending and months > 0 and out:
        out.append(("followup", add_months(end, months) if end else None))
    return out


def pending_note(instrument: str, meta: dict, lang: str = "fr",
                 on: dt.date | None = None) -> str:
    """The note of an indicator left pending by ``instrument`` (French or English); overdue
    when the session ended before the day ``on``."""
    from fac_eval.core.formatting import fmt_date

    end = meta.get("end_date")
    what = label(instrument, lang)
    _ = messages(lang)._
    if isinstance(end, dt.date) and on is not None and end < on:
        when = _(N_(", expected since the end of the session (%(date)s): overdue"),
                 date=fmt_date(end, lang))
    else:
        when = _(N_(", expected at the end of the session (%(date)s)"),
                 date=fmt_date(end, lang)) if isinstance(end, dt.date) else ""
    return _(N_("Not collected yet: the %(what)s%(when)s."), what=what, when=when)


def mark_pending(table: pd.DataFrame, pending: tuple[str, ...] | list[str],
                 meta: dict, on: dt.date | None = None) -> pd.DataFrame:
    """The indicator table with every indicator that needs a pending exit wave set to the
    verdict ``pending``: no figure (numerator, denominator, interval, test emptied), a note
    saying which questionnaire is awaited and when. Other rows are unchanged."""
    out = table.copy()
    for instrument in pending:
        if instrument not in PENDING_SECTIONS:
            continue
        population, sections = PENDING_SECTIONS[instrument]
        hit = ((out["population"] == population) & out["section"].isin(sections)) | \
            out["indicator"].isin(PENDING_INDICATORS.get(instrument, ()))
        if not hit.any():
            continue
        for c in _FIGURES:
            if c in out.columns:
                out.loc[hit, c] = np.nan
        for c in ("test", "family", "effect_name"):
            if c in out.columns:
                out.loc[hit, c] = ""
        out.loc[hit, "verdict"] = "pending"
        out.loc[hit, "n_missing"] = 0
        out.loc[hit, "note"] = pending_note(instrument, meta, "fr", on)
        out.loc[hit, "note_en"] = pending_note(instrument, meta, "en", on)
    return out


# ---- the follow-up's status ------------------------------------------------------------------

#: The follow-up's status codes: its answers are in the data; not collected yet (its planned
#: date is still to come, or unknown); absent from these data (its planned date is past).
FOLLOWUP_STATUSES = ("collected", "pending", "absent")

#: The status's words, as a reading (the verdict column of the exports, the report's tag).
_STATUS_WORDS = {
    "collected": N_("Collected"),
    "pending": N_("Not collected yet"),
    "absent": N_("Absent from these data"),
}


@dataclass(frozen=True)
class FollowupStatus:
    """The follow-up's status on the day ``on`` (:func:`followup_status`)."""

    code: str
    months: int
    due: dt.date | None
    on: dt.date
    #: answers are in the follow-up file but set aside (``pending``) while the learners' exit
    #: questionnaire is not collected (:mod:`fac_eval.data.cleaning`'s ``awaiting_exit``)
    set_aside: bool = False
    #: False when the session's dates are invented (a reconstruction: the publication gives
    #: none), so that the planned date is never said as a fact
    dated: bool = True

    @property
    def missing(self) -> bool:
        """True when the follow-up has no answer in these data (pending or absent)."""
        return self.code != "collected"

    def word(self, lang: str = "fr") -> str:
        """"Pas encore collecté", "Absent de ces données"…: the status as a reading."""
        return messages(lang)._(_STATUS_WORDS[self.code])

    def sentence(self, lang: str = "fr") -> str:
        """The status in a sentence, with the planned date when there is one."""
        from fac_eval.core.formatting import fmt_date

        _ = messages(lang)._
        if self.code == "collected":
            return _(N_("The %(m)s-month follow-up is in these data."), m=self.months)
        if self.code == "absent" and not self.dated:
            return _(N_("A %(m)s-month follow-up was planned; its results are not in these "
                        "data."), m=self.months)
        if self.code == "absent":
            return _(N_("A %(m)s-month follow-up was planned (around %(date)s); its results "
                        "are not in these data."), m=self.months, date=fmt_date(self.due, lang))
        if self.set_aside:
            return _(N_("The %(m)s-month follow-up answers are entered but set aside until the "
                        "learners' exit questionnaire is entered: who completed the course is "
                        "not known yet."), m=self.months)
        if self.due is not None and self.dated:
            return _(N_("The %(m)s-month follow-up is not collected yet (planned from "
                        "%(date)s)."), m=self.months, date=fmt_date(self.due, lang))
        return _(N_("The %(months)s-month follow-up has not been collected yet."),
                 months=str(self.months))

    def unknown_outcome(self, lang: str = "fr") -> str:
        """The status and what it leaves unknown (the learners' work or training)."""
        _ = messages(lang)._
        if self.code == "absent":
            return _(N_("The %(m)s-month follow-up is absent from these data: whether learners "
                        "found work or training is not known."), m=self.months)
        if self.set_aside:
            return _(N_("The %(m)s-month follow-up answers are set aside until the learners' "
                        "exit questionnaire is entered: whether learners found work or training "
                        "is not told so far."), m=self.months)
        return _(N_("The %(m)s-month follow-up is not collected yet: whether learners found "
                    "work or training is not known so far."), m=self.months)


def followup_status(meta: dict, collected: bool, on: dt.date | dt.datetime,
                    interim: bool = False, set_aside: bool = False) -> FollowupStatus:
    """The follow-up's status on the day ``on``: ``collected`` when its answers are in the data;
    else ``absent`` when its planned date (``end_date`` plus ``followup_months``) is ``on`` or
    before, ``pending`` when it is after (or unknown: no end date). The one status of the
    report, of ``indicators.csv`` and of the Excel export (all fed the results' date). An
    ``interim`` session (exit questionnaires still to come) is still collecting: its follow-up,
    which follows the exit, is ``pending`` whatever the date; ``set_aside``: its answers are
    entered but wait for the learners' exit questionnaire (said so, never "not collected"). A
    reconstructed session's dates are invented: its planned date is not said (``dated``)."""
    day = on.date() if isinstance(on, dt.datetime) else on
    months = int(meta.get("followup_months") or 3)
    end = meta.get("end_date")
    due = add_months(end, months) if isinstance(end, dt.date) else None
    if collected:
        code = "collected"
    elif due is not None and due <= day and not interim:
        code = "absent"
    else:
        code = "pending"
    return FollowupStatus(code, months, due, day, set_aside and code == "pending",
                          dated=meta.get("data_kind") != "reconstructed")


def mark_followup(table: pd.DataFrame, status: FollowupStatus) -> pd.DataFrame:
    """The indicator table with each follow-up row's note (French and English) saying the
    follow-up's ``status`` when it has no answer in these data; unchanged once collected."""
    if not status.missing:
        return table
    out = table.copy()
    hit = (out["section"] == "followup") & (out["verdict"] == "pending")
    out.loc[hit, "note"] = status.sentence("fr")
    out.loc[hit, "note_en"] = status.sentence("en")
    return out
