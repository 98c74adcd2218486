"""The interim report: what a session shows while its exit questionnaires are not collected.

A mixin of :class:`fac_eval.report.Report`. When the session is interim
(:mod:`fac_eval.data.interim`: an exit questionnaire absent or empty), the header says "Interim
report" with a banner naming what is pending and when; the learners' and founders' sections show
the entry baseline (who answered at entry, the entry scores) and a "pending" block instead of
outcomes, which are never shown as zero.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd
from IPython.display import HTML

from fac_eval.core.formatting import fmt_count, fmt_date, fmt_number
from fac_eval.data import codebook as cb
from fac_eval.data import interim
from fac_eval.disclosure.suppression import founders_stage_disclosive

from . import views as v
from .base import BaseReport
from .i18n import N_
from .synthesis_words import shorten

if TYPE_CHECKING:
    from fac_eval.analysis.results import SessionResults

#: What each pending questionnaire is called in the report.
PENDING_NAMES = {
    "learners_exit": N_("the learners' exit questionnaire"),
    "founders_exit": N_("the founders' exit questionnaire"),
    "followup": N_("the %(m)s-month follow-up"),
}


#: The HTML ``<title>`` of an interim report.
TITLE = N_("Interim report of session %(name)s — Form'Ain Cube")


def interim_title(session: str, lang: str = "fr") -> str:
    """The ``<title>`` of an interim report (set in the executed notebook's metadata)."""
    from .i18n import messages

    return messages(lang)._(TITLE, name=session)


class InterimSections(BaseReport):
    """The interim parts of the session report (see the module docstring)."""

    if TYPE_CHECKING:  # defined by fac_eval.report.session.Report, which mixes this class in
        results: SessionResults

        def row(self, indicator: str) -> pd.Series: ...
        def _hidden(self, indicator: str) -> bool: ...
        def finding_items(self) -> list: ...
        def limit_sentences(self) -> list[str]: ...
        def cost_line(self) -> v.Para | None: ...

    @property
    def interim(self) -> bool:
        return bool(getattr(self.results, "interim", False))

    def pending_items(self) -> list[str]:
        """"the learners' exit questionnaire, expected from 5 July 2024", one per item."""
        meta = self.results.meta
        m = meta.get("followup_months", 3)
        followup_pending = self.row("followup.sortie_dynamique")["verdict"] == "pending"
        items = []
        today = self.results.as_of
        for what, when in interim.pending_schedule(self.results.pending, meta, followup_pending):
            name = self._(PENDING_NAMES[what], m=m)
            if what == "followup" and self.results.followup.set_aside:  # entered, waiting
                items.append(self._("%(what)s, entered but set aside until the learners' exit "
                                    "questionnaire is entered", what=name))
            elif isinstance(when, dt.date) and when < today:  # its date has passed: overdue
                items.append(self._("%(what)s, expected since %(date)s (overdue)", what=name,
                                    date=fmt_date(when, self.lang)))
            elif isinstance(when, dt.date):
                items.append(self._("%(what)s, expected from %(date)s", what=name,
                                    date=fmt_date(when, self.lang)))
            else:
                items.append(name)
        return items

    @property
    def course_ongoing(self) -> bool:
        """The learners' exit questionnaire is not collected: the session is not over, so no
        learner is said to have completed it (the profile's status is only the status so
        far)."""
        return "learners_exit" in tuple(getattr(self.results, "pending", ()) or ())

    @property
    def session_ended(self) -> bool:
        """The session's ``end_date`` is before the day the results were computed: its missing
        exit questionnaire is overdue, never "to come"."""
        end = self.results.meta.get("end_date")
        return isinstance(end, dt.date) and end < self.results.as_of

    def flow_as_of(self, counts: pd.DataFrame) -> pd.DataFrame:
        """The participant flow's counts with, for a session that has ended without its exit
        questionnaire, the third stage named for what is known ("no drop-out recorded"), not
        "still in the course"."""
        from fac_eval.data.cleaning import STILL_ENROLLED

        if not self.session_ended:
            return counts
        return counts.assign(stage=counts["stage"].replace({STILL_ENROLLED: "not_dropped_out"}))

    def so_far_sentence(self) -> str:
        """What the profile tells of an ongoing session: how many learners left the course so
        far, the others still in it ("1 apprenant sur 14 a quitté le parcours à ce jour")."""
        flow = self.results.clean.learner_flow
        left = int((flow["status"] == "dropped_out").sum())
        end = self.results.meta.get("end_date")
        if self.session_ended:
            # the session is over, its exit questionnaire is missing: never "not over"
            return self.ngettext(
                "The session ended on %(date)s, but its learners' exit questionnaire is not in "
                "these data: %(num)s learner out of %(n)s had left the course by then, according "
                "to the profile.",
                "The session ended on %(date)s, but its learners' exit questionnaire is not in "
                "these data: %(num)s learners out of %(n)s had left the course by then, "
                "according to the profile.", left, n=fmt_number(len(flow), self.lang),
                date=fmt_date(end, self.lang))
        if not left:
            return self._("The session is not over: none of the %(n)s learners has left the "
                          "course so far.", n=fmt_number(len(flow), self.lang))
        return self.ngettext(
            "The session is not over: %(num)s learner out of %(n)s has left the course so far; "
            "the others are still in it.",
            "The session is not over: %(num)s learners out of %(n)s have left the course so "
            "far; the others are still in it.", left, n=fmt_number(len(flow), self.lang))

    def public_findings(self) -> list[str]:
        """The programme section's first sentences: the profile's shares and, for an ongoing
        session, :meth:`so_far_sentence` instead of the completions."""
        if self.course_ongoing:
            return ["learners.unemployed_over_24m", "learners.rqth"]
        return ["learners.unemployed_over_24m", "learners.rqth", "learners.completed"]

    def followup_plan(self) -> str:
        prog = getattr(self.results, "programme", None)
        plan = getattr(prog, "followup_plan", None)
        return plan.get(self.lang) if plan is not None else ""

    def interim_banner(self) -> str:
        """The banner's sentence: interim, what is pending and when, the follow-up plan."""
        # items hold commas themselves: a semicolon between them (French spacing at rendering)
        items = ("; " if self.en else " ; ").join(self.pending_items())
        text = self._("The exit questionnaires are not collected yet. Pending: %(items)s. The "
                      "outcomes will be computed when the answers are entered; until then they "
                      "are not counted as zero.", items=items)
        plan = self.followup_plan()
        return f"{text} {plan}" if plan else text

    def interim_synthesis_blocks(self, plan_keep: int | None = None) -> list:
        """The synthèse of an interim session (no outcome exists yet): who entered and the
        flow so far (entry questionnaires answered, course completed, the profile at entry),
        then what is pending and when, with the evaluator's follow-up plan (its first
        ``plan_keep`` sentences, ending with "[…]"; 0: left out; None: whole — the synthèse's
        300-word limit decides, the Perspectives section gives it in full); the data-kind
        caveat of a reconstructed or synthetic session."""
        from . import narrative

        r = self.results
        flow = r.clean.learner_flow
        nl = int(self.row("learners.enrolled")["numerator"])
        nf = int(self.row("founders.enrolled")["numerator"])
        facts = [self._("%(learners)s and %(founders)s entered the programme.",
                        learners=self.ngettext("%(num)s learner", "%(num)s learners", nl),
                        founders=self.ngettext("%(num)s founder", "%(num)s founders", nf))]
        if len(flow):
            facts.append(self._("Learners' entry questionnaire answered: %(count)s.",
                                count=fmt_count(int(flow["has_entry"].sum()), len(flow),
                                                self.lang)))
        if self.course_ongoing:  # not over: who left so far, never who completed
            facts.append(self.so_far_sentence())
        for indicator in ("learners.completed", "learners.unemployed_over_24m", "learners.rqth"):
            if indicator == "learners.completed" and self.course_ongoing:
                continue
            rw = self.row(indicator)
            if rw["verdict"] == "pending" or pd.isna(rw["denominator"]) or not rw["denominator"]:
                continue
            if self._hidden(indicator):
                continue
            facts.append(narrative.share_sentence(rw, self.lang, with_ci=False, say_all=False))
        # what the questionnaires already collected show (the founders' exit while the
        # learners' is pending, or the reverse): pending indicators are never findings
        findings = self.finding_items()
        # items hold commas themselves: a semicolon between them (French spacing at rendering)
        items = ("; " if self.en else " ; ").join(self.pending_items())
        pending = [self.para(self._(
            "Not collected yet: %(items)s. The results that need these answers will be given once "
            "they are entered.", items=items) if findings else self._(
            "Not collected yet: %(items)s. No result on what changed is given until these "
            "answers are entered.", items=items))]
        plan = self.followup_plan()
        if plan and plan_keep != 0:
            pending.append(self.para(shorten(plan, plan_keep), lang=self._plan_lang()))
        cost = self.cost_line()  # at what cost, per participant enrolled (known already)
        blocks: list = [v.Heading(self._("What we know so far")),
                        v.Findings([v.Finding(f) for f in facts] + findings),
                        *([cost] if cost is not None else [])]
        if findings:  # results exist: how sure we are (the data-kind caveat included)
            blocks += [v.Heading(self._("How sure we are")),
                       *(self.para(t) for t in self.limit_sentences())]
        blocks += [v.Heading(self._("What is pending")), *pending]
        # without findings, the data-kind caveat (with findings, the limits above say it)
        kind = "" if findings else r.kind
        if kind == "reconstructed":
            blocks.append(self.para(self._("The individual answers are reconstructed from the "
                                           "published results, not the participants' actual "
                                           "answers.")))
        elif kind == "synthetic":
            blocks.append(self.para(self._("The data are fictitious (a synthetic session): they "
                                           "describe no real person.")))
        return blocks

    def _plan_lang(self) -> str | None:
        """The ``lang`` attribute of the follow-up plan (``"fr"`` when the English report
        falls back to the French text)."""
        prog = getattr(self.results, "programme", None)
        plan = getattr(prog, "followup_plan", None)
        if plan is None:
            return None
        written_in = plan.lang_of(self.lang)
        return written_in if written_in != self.lang else None

    def pending_block(self, instrument: str) -> v.Pending:
        meta = self.results.meta
        end = meta.get("end_date")
        name = self._(PENDING_NAMES[instrument], m=meta.get("followup_months", 3))
        if isinstance(end, dt.date):
            text = self._("%(what)s is not collected yet (expected from %(date)s): the results "
                          "below are the entry baseline, the changes will follow.", what=name,
                          date=fmt_date(end, self.lang))
        else:
            text = self._("%(what)s is not collected yet: the results below are the entry "
                          "baseline, the changes will follow.", what=name)
        return v.Pending(self._("Pending"), text[:1].upper() + text[1:])

    def baseline_view(self, pairs: pd.DataFrame, outcomes: tuple[str, ...], enrolled: int,
                      caption: str) -> v.Table:
        """Entry scores, one row per outcome: who answered at entry (k sur n), the median and
        the range of the entry score on its scale."""
        rows = []
        for outcome in outcomes:
            entry = pd.to_numeric(pairs.loc[pairs["outcome"] == outcome, "entry"],
                                  errors="coerce").dropna()
            lo, hi = cb.score_range(outcome)
            scale = self._("%(low)s to %(high)s", low=fmt_number(lo, self.lang),
                           high=fmt_number(hi, self.lang)) if lo is not None else "—"
            median = self._number(entry.median()) if len(entry) else "—"
            spread = (self._("%(low)s to %(high)s", low=self._number(entry.min()),
                             high=self._number(entry.max())) if len(entry) else "—")
            rows.append([_outcome_label(outcome, self.lang), fmt_count(len(entry), enrolled,
                                                                        self.lang),
                         median, spread, scale])
        return self.table(
            [self._("Dimension"), self._("Answered at entry"), self._("Median at entry"),
             self._("Lowest to highest"), self._("Scale")], rows, caption, numeric={1, 2, 3})

    def _number(self, x) -> str:
        """A score: whole numbers without decimals, others with one (a prorated score)."""
        x = float(x)
        return fmt_number(x, self.lang, 0 if x.is_integer() else 1)

    def learners_interim(self) -> HTML:
        r = self.results
        flow = r.clean.learner_flow
        blocks: list = [self.pending_block("learners_exit"), self.baseline_view(
            r.clean.learner_pairs, tuple(cb.LEARNER_OUTCOMES), len(flow),
            self._("Learners' entry baseline: scores at entry (before the programme)."))]
        return self.section("learners", blocks)

    def founders_interim(self) -> HTML:
        r = self.results
        B = r.clean.founder_outcomes
        n = len(B)
        created = int(B["business_created_entry"].fillna(False).astype(bool).sum())
        answered = int(B["business_created_entry"].notna().sum())
        blocks: list = [self.pending_block("founders_exit")]
        creating = int((B["stage"] == "creation").sum())
        if founders_stage_disclosive(creating, n, self.min_cell) or founders_stage_disclosive(
                created, answered, self.min_cell):
            blocks.append(self.para(self._(
                "The founders' stages at entry (creating or developing a business) are not "
                "published: a stage holds fewer than %(min_cell)s founders.",
                min_cell=self.min_cell), "small"))
        else:
            blocks.append(self.para(self._(
                "At entry, %(creating)s were creating a business and %(created)s already had "
                "one.", creating=fmt_count(creating, n, self.lang),
                created=fmt_count(created, answered, self.lang))))
        blocks.append(self.baseline_view(
            r.clean.founder_pairs, tuple(cb.FOUNDER_OUTCOMES), n,
            self._("Founders' entry baseline: self-assessment at entry (before the programme).")))
        return self.section("founders", blocks)


def _outcome_label(outcome: str, lang: str) -> str:
    if outcome in cb.SCALES:
        return cb.SCALES[outcome].label(lang)
    return cb.find_item(outcome).label(lang)
