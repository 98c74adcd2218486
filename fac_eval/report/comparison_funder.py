"""The comparison report's synthèse and cost lines (a mixin of
:class:`fac_eval.report.comparison.ComparisonReport`).

The synthèse gives the pooled findings as "k sur n", who they are the answers of -- counted
exactly from :class:`fac_eval.analysis.comparison.Contributors`, an interim session's people
apart and said to be pending -- and what comes next; the cost lines divide each session's
budget by the people it reached (:func:`fac_eval.analysis.funder.cost_table`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from IPython.display import HTML

from fac_eval.analysis import funder
from fac_eval.core.formatting import fmt_count, fmt_money, fmt_month, fmt_number, lower_first

from . import narrative
from . import views as v
from .base import BaseReport
from .comparison_charts import outcome_short, short_label
from .funder_words import _text, quoted
from .synthesis_words import SYNTHESIS_MAX_WORDS, count_tokens, count_words, shorten

#: The most sessions the comparison's synthèse names one by one; beyond, it counts them and
#: points to the sessions table (a funder reads a summary, not a roll call)
LISTED_SESSIONS = 6


class ComparisonFunderSections(BaseReport):
    """The comparison report's synthèse and cost lines (a mixin of
    :class:`fac_eval.report.comparison.ComparisonReport`)."""

    if TYPE_CHECKING:
        from fac_eval.analysis.comparison import ComparisonResults

        results: ComparisonResults

        def flags(self, sessions: str, inner: bool = False) -> str: ...

    def _pooled_rows(self) -> pd.DataFrame:
        """The pooled table with what :func:`fac_eval.analysis.funder.main_findings` reads."""
        P = self.results.pooled.copy()
        section = {"learners.value_skills.agree": "declarations", "founders.developed": "business",
                   "followup.sortie_dynamique": "followup"}
        P["section"] = [section.get(i, "outcomes") for i in P["indicator"]]
        P["verdict"] = [("pending" if pd.isna(n) else v) for v, n in zip(P["verdict"],
                                                                      P["denominator"])]
        P["note"], P["note_en"] = "", ""
        return P

    def pooled_detail(self, rw: pd.Series, compact: int = 0) -> str:
        """Beside a pooled figure of the synthèse: its sessions, each reconstructed or synthetic
        one flagged, and a pointer to the between-sessions tests when one finds a gap (the
        pooled section says both in words, :meth:`heterogeneity_sentence`; the synthèse has a
        300-word limit). ``compact`` 1: the number of sessions and where they are listed,
        instead of the list (many sessions)."""
        if compact:
            names = [n for n in str(rw["sessions"]).split(",") if n]
            special = sum(1 for s in self.results.sessions if s.name in names
                          and s.kind in ("reconstructed", "synthetic"))
            detail = self.ngettext(
                "%(num)s session (%(special)s without real answers): see section %(section)s.",
                "%(num)s sessions (%(special)s without real answers): see section %(section)s.",
                len(names), special=fmt_number(special, self.lang),
                section=self.sections.index("sessions") + 1)
        else:
            detail = self._("Sessions: %(sessions)s.", sessions=self.flags(str(rw["sessions"])))
        if bool(rw.get("heterogeneous")):  # both tests, in words, in the pooled section
            detail += " " + self._("A gap between sessions: see section %(num)s.",
                                   num=self.sections.index("pooled") + 1)
        return detail

    def session_counts(self, indicator: str) -> list[tuple[str, str, float]]:
        """(session, "k sur n" or the hidden marker, share) of each session where
        ``indicator`` was measured, in the sessions' order; a cell a session's own report hides
        (its one masking, :func:`fac_eval.disclosure.tables.mask_indicators`) is hidden here."""
        from fac_eval.disclosure import privacy
        from fac_eval.disclosure import tables as disclosure

        per = self.results.per_session
        rows = per[(per["indicator"] == indicator) & (per["status"] == "measured")]
        by_name = {s.name: s for s in self.results.sessions}
        out = []
        for _, r in rows.iterrows():
            s = by_name[r["session"]]
            masked = disclosure.mask_indicators(s.indicators, self.min_cell, s.claims)
            hit = masked.loc[masked["indicator"] == indicator, "masked"]
            cell = (privacy.HIDDEN_MARKER["en" if self.en else "fr"]
                    if len(hit) and bool(hit.iloc[0])
                    else fmt_count(int(r["numerator"]), int(r["denominator"]), self.lang))
            out.append((str(r["session"]), cell, float(r["numerator"]) / float(r["denominator"])))
        return out

    def invented_tag(self, indicator: str) -> str:
        """"illustratif" when a session's own figure of ``indicator`` was invented by a
        reconstruction (its indicator table's ``evidence``), "" otherwise: a finding that gives
        each session's count carries it (:meth:`differing_sentence`)."""
        measured = set(self.results.per_session.loc[
            (self.results.per_session["indicator"] == indicator)
            & (self.results.per_session["status"] == "measured"), "session"])
        for s in self.results.sessions:
            ind = s.indicators
            if s.name in measured and "evidence" in ind.columns and (
                    ind.loc[ind["indicator"] == indicator, "evidence"] == "illustrative").any():
                return self._("illustrative")
        return ""

    def change_test_tag(self, row) -> str:
        """"illustratif" when the pooled ``row`` has a session × change test over a reconstructed
        session: the test reads its individual scores, which a publication of shares never
        gives (:mod:`fac_eval.analysis.evidence`); "" otherwise."""
        change = row.get("interaction_p")
        kinds = self.results.kinds
        if change is None or pd.isna(change) or not any(
                kinds.get(x) == "reconstructed" for x in str(row.get("sessions") or "").split(",")):
            return ""
        return self._("illustrative")

    def _outcome_name(self, ind: str) -> str:
        """A pooled indicator's short name: a learners' change by its outcome, else its label."""
        if ind.startswith("learners.") and ind.endswith(".improved"):
            return outcome_short(ind.split(".")[1], self.lang)
        return short_label(ind, self.lang)

    def differing_sentence(self, rw: pd.Series, compact: int = 0) -> str:
        """A pooled finding whose sessions differ (a between-sessions test at most alpha): each
        session's "k sur n" (``compact``: only the lowest and the highest), and the pooled figure
        said to describe none of them; never "less change" from a pool of unlike sessions."""
        ind = str(rw["indicator"])
        name = self._outcome_name(ind)
        counts = self.session_counts(ind)
        if compact and len(counts) > 2:
            low = min(counts, key=lambda c: c[2])
            high = max(counts, key=lambda c: c[2])
            listed = self._("between %(low)s (%(low_session)s) and %(high)s (%(high_session)s)",
                            low=low[1], low_session=low[0], high=high[1], high_session=high[0])
        else:
            listed = ", ".join(self._("%(count)s in %(session)s", count=cell, session=name_)
                               for name_, cell, _ in counts)
        return self._(
            "%(outcome)s: results differ between sessions (see section %(num)s): %(counts)s; "
            "the pooled figure, %(pooled)s, describes none of them.", outcome=name,
            num=self.sections.index("pooled") + 1, counts=listed,
            pooled=fmt_count(int(rw["numerator"]), int(rw["denominator"]), self.lang))

    def synthesis(self) -> HTML:
        """The comparison's synthèse: the pooled findings as "k sur n", how sure we are, what
        comes next (sessions whose follow-up is pending, the latest session's recommendation,
        :meth:`latest_recommendation`, which gives way first at each step), within :data:`SYNTHESIS_MAX_WORDS`
        words: with many sessions, each finding's list of sessions becomes their number
        (:meth:`pooled_detail`), then the sessions without follow-up data are counted, not
        listed one sentence each. More than :data:`LISTED_SESSIONS` sessions are never
        listed in it: they are in the sessions table."""
        start = 2 if len(self.results.sessions) > LISTED_SESSIONS else 0
        for compact in range(start, 3):
            # the other results that differ give way first (their counts, then the sentence),
            # then the latest recommendation
            for advice, others in ((True, 2), (True, 1), (True, 0), (False, 0)):
                html = self._synthesis(compact, advice, others)
                # the other results' counts are many marks: held to the strictest count too
                length = max(count_words(html.data), count_tokens(html.data)) if others \
                    else count_words(html.data)
                if length <= SYNTHESIS_MAX_WORDS:
                    return html
        return html

    def other_differing(self, P: pd.DataFrame, shown: set[str], counts: bool = True) -> str:
        """The pooled results whose sessions differ (a between-sessions test at most alpha)
        that are not among the synthèse's findings (``shown``): named, with each session's
        "k sur n" when ``counts``; "" when there are none. A funder reads there that a pooled
        figure such as the confidence's hides a session at 8 sur 8 and another at 6 sur 12."""
        rows = P[P["heterogeneous"].eq(True) & ~P["indicator"].isin(shown)]
        named = []
        for _, rw in rows.iterrows():
            ind = str(rw["indicator"])
            name = lower_first(self._outcome_name(ind))
            if counts:
                listed = ", ".join(self._("%(count)s in %(session)s", count=cell, session=n)
                                   for n, cell, _ in self.session_counts(ind))
                name = self._("%(outcome)s: %(counts)s", outcome=name, counts=listed)
            named.append(name)
        if not named:
            return ""
        return self._("Also differing between sessions (section %(num)s): %(results)s.",
                      num=self.sections.index("pooled") + 1,
                      results="; ".join(named))

    def _synthesis(self, compact: int, advice: bool = True, others: int = 2) -> HTML:
        c = self.results
        P = self._pooled_rows()
        items = []
        findings = funder.main_findings(P)
        for _, rw in findings.iterrows():
            if bool(rw.get("heterogeneous")):  # the sessions differ: each apart, not pooled
                items.append(v.Finding(self.differing_sentence(rw, compact), self._(
                    "Sessions: %(sessions)s.", sessions=self.flags(str(rw["sessions"])))
                    if not compact else "", detail_inline=True,
                    tag=self.invented_tag(str(rw["indicator"]))))
                continue
            sentence = narrative.share_sentence(rw, self.lang, with_ci=False, say_all=False)
            if rw.get("weakness") == "lowest":  # half or more improved: not "less change"
                sentence = self._("The lowest result: %(sentence)s", sentence=sentence)
            elif rw["role"] == "weakness":
                sentence = self._("Less change: %(sentence)s", sentence=sentence)
            # marked where a session's figure in the pool was invented by a reconstruction
            items.append(v.Finding(sentence, self.pooled_detail(rw, compact), detail_inline=True,
                                   tag=self.invented_tag(str(rw["indicator"]))))
        dyn = P[P["indicator"] == "followup.sortie_dynamique"]
        if len(dyn) and pd.notna(dyn.iloc[0]["denominator"]) and dyn.iloc[0]["denominator"]:
            rw = dyn.iloc[0]
            items.append(v.Finding(
                narrative.share_sentence(rw, self.lang, with_ci=False, say_all=False),
                self.pooled_detail(rw, compact), detail_inline=True))
        if others:
            shown = set(findings["indicator"]) | {"followup.sortie_dynamique"}
            differing = self.other_differing(P, shown, counts=others > 1)
            if differing:
                items.append(v.Finding(differing, "", detail_inline=True))

        # the people whose answers the results are (fac_eval.analysis.comparison.Contributors):
        # an interim session's participants are not among them
        who = c.contributors
        assert who is not None
        sure = [self.para(self.contributors_sentence(compact))]
        if who.pending:
            sure.append(self.para(self.pending_sentence()))
        special = [s.name for s in c.sessions if s.kind in ("reconstructed", "synthetic")
                   and s.name in who.sessions]
        every = all(s.kind in ("reconstructed", "synthetic") for s in c.sessions)
        if special and len(special) == len(who.sessions) and every:
            sure.append(self.para(self._(
                "None of the sessions holds real answers (%(sessions)s): the pooled figures "
                "describe no real person.", sessions=self.listed_sessions() if compact >= 2
                else self.flags(",".join(special), inner=True))))
        elif special and len(special) == len(who.sessions):  # a real session still pending
            sure.append(self.para(self._(
                "The pooled figures come only from sessions without real answers "
                "(%(sessions)s): they describe no real person.",
                sessions=self.listed_sessions() if compact >= 2
                else self.flags(",".join(special), inner=True))))
        elif special:
            sure.append(self.para(self._(
                "Some sessions hold no real answers (%(sessions)s): the pooled figures that "
                "include them do not describe real people.",
                sessions=self.listed_sessions() if compact >= 2
                else self.flags(",".join(special), inner=True))))
        # each session's follow-up as its own report and exports tell it (SessionResults.followup)
        pending = [s.name for s in c.sessions if s.followup.code == "pending"]
        nexts = [self.para(self._("Follow-up not collected yet for: %(sessions)s.",
                                  sessions=", ".join(pending)))] if pending else []
        absent = [s for s in c.sessions if s.followup.code == "absent"]
        if compact >= 2 and len(absent) > 1:  # many sessions: counted, not listed
            nexts.append(self.para(self._(
                "%(num)s sessions have no follow-up data (their planned dates have passed): see "
                "section %(section)s.", num=fmt_number(len(absent), self.lang),
                section=self.sections.index("sessions") + 1)))
        else:
            for s in absent:  # each in the past tense: its planned date has passed
                nexts.append(self.para(self._(
                    "%(session)s: no follow-up data (it was due in %(month)s).", session=s.name,
                    month=fmt_month(s.followup.due, self.lang)) if s.followup.dated else self._(
                    # a reconstruction's dates are invented: its due month is not said
                    "%(session)s: no follow-up data.", session=s.name)))
        if c.interim:
            nexts.insert(0, self.para(self._("Exit questionnaires not collected yet for: "
                                             "%(sessions)s.", sessions=", ".join(c.interim))))
        if advice:
            nexts += self.latest_recommendation()
        costs = self.cost_rows()
        if costs:
            nexts.append(self.para(self._("Costs per session are in section %(num)s.",
                                          num=self.sections.index("sessions") + 1), "small"))
        blocks: list = [v.Heading(self._("Main findings")), v.Findings(items),
                        v.Heading(self._("How sure we are")), *sure]
        if nexts:
            blocks += [v.Heading(self._("What comes next")), *nexts]
        return self.section("synthesis", blocks, "session/synthesis.j2")

    def latest_recommendation(self) -> list:
        """What comes next, looking ahead: the first recommendation of the latest session that
        gives one (``kind: recommendation`` in its perspectives), its first sentence quoted as
        its authors' reading; the others are in each session's own report. [] when none does."""
        latest = next((s for s in reversed(self.results.sessions) if s.programme is not None
                       and s.programme.perspectives_of("recommendation")), None)
        if latest is None:
            return []
        assert latest.programme is not None
        advice = latest.programme.perspectives_of("recommendation")[0]
        text, lang = _text(advice, self.lang)
        published = latest.kind == "reconstructed"
        if published and self.en and advice.en:
            lead = self._("The published assessment of %(session)s recommends, in translation "
                          "(its authors' reading, not a result of these data):",
                          session=latest.name)
        elif published:
            lead = self._("The published assessment of %(session)s recommends (its authors' "
                          "reading, not a result of these data):", session=latest.name)
        else:
            lead = self._("The evaluator of %(session)s recommends (a reading, not a result of "
                          "these data):", session=latest.name)
        return [self.para(lead), self.para(quoted(shorten(text, 1), lang or self.lang),
                                           lang=lang),
                self.para(self._("Each session's conclusions and recommendations are in its own "
                                 "report."), "small")]

    def listed_sessions(self) -> str:
        """"listées en section 2": in place of a long list of sessions (the synthèse's limit)."""
        return self._("listed in section %(num)s", num=self.sections.index("sessions") + 1)

    def contributors_sentence(self, compact: int = 0) -> str:
        """Whose answers the pooled results are, counted exactly: the learners who answered
        the exit questionnaire (those who answered both), the founders who answered theirs,
        the sessions they come from (``compact`` 2: where they are listed)."""
        who = self.results.contributors
        assert who is not None
        if not who.sessions:
            return self._("No session compared has its exit questionnaires collected yet: no "
                          "result is given.")
        people = self._(
            "%(learners)s (%(paired)s of them answered both the entry and the exit "
            "questionnaires) and %(founders)s",
            learners=self.ngettext("%(num)s learner who answered the exit questionnaire",
                                   "%(num)s learners who answered the exit questionnaire",
                                   who.learners_exit),
            paired=fmt_number(who.learners_paired, self.lang),
            founders=self.ngettext("%(num)s founder who answered the exit questionnaire",
                                   "%(num)s founders who answered the exit questionnaire",
                                   who.founders_exit))
        return self.ngettext(
            "These results are self-reported by %(people)s, over %(num)s session "
            "(%(sessions)s), without a comparison group: they describe what changed for these "
            "groups and do not tell how much of it is due to the programme.",
            "These results are self-reported by %(people)s, over %(num)s sessions "
            "(%(sessions)s), without a comparison group: they describe what changed for these "
            "groups and do not tell how much of it is due to the programme.", len(who.sessions),
            people=people, sessions=self.listed_sessions() if compact >= 2
            else ", ".join(who.sessions))

    def pending_sentence(self) -> str:
        """The interim sessions, pending: their participants are in none of the results."""
        who = self.results.contributors
        assert who is not None
        learners = self.ngettext("%(num)s learner", "%(num)s learners", who.pending_learners)
        founders = self.ngettext("%(num)s founder", "%(num)s founders", who.pending_founders)
        # only the learners', or only the founders', exit questionnaire may be awaited
        people = (self._("%(learners)s and %(founders)s", learners=learners, founders=founders)
                  if who.pending_learners and who.pending_founders
                  else learners if who.pending_learners else founders)
        return self.ngettext(
            "Pending: %(sessions)s, an interim session whose exit questionnaires are not "
            "collected yet; its %(people)s enrolled are in none of these results.",
            "Pending: %(sessions)s, interim sessions whose exit questionnaires are not "
            "collected yet; their %(people)s enrolled are in none of these results.",
            len(who.pending), sessions=", ".join(who.pending), people=people)

    def cost_rows(self) -> list[list]:
        """One row per session with a budget: total, per participant, per learner who completed,
        per dynamic exit (pending while the follow-up is not in)."""
        rows = []
        for s in self.results.sessions:
            prog = getattr(s, "programme", None)
            if prog is None or prog.budget is None:
                continue
            # an interim session is not over: no cost per learner who completed (pending)
            ongoing = "learners_exit" in tuple(getattr(s, "pending", ()) or ())
            table = funder.cost_table(prog.budget.total, s.indicators,
                                      course_ongoing=ongoing).set_index("basis")
            cells: list = [s.name, fmt_money(prog.budget.total, self.lang)]
            for basis in ("participant", "learner_completed", "sortie_dynamique"):
                rw = table.loc[basis]
                cells.append(fmt_money(rw["per_unit"], self.lang) if rw["available"] else
                             self._("pending") if rw["reason"] == "pending" else "—")
            rows.append(cells)
        return rows

    def cost_blocks(self) -> list:
        rows = self.cost_rows()
        if not rows:
            return []
        without = [s.name for s in self.results.sessions
                   if getattr(s, "programme", None) is None or s.programme.budget is None]
        missing = " " + self._("No budget is given for %(sessions)s: no cost figure for it.",
                               sessions=", ".join(without)) if without else ""
        return [self.table(
            [self._("Session"), self._("Total cost"), self._("Per participant"),
             self._("Per learner who completed"), self._("Per dynamic exit")], rows,
            self._("Total cost of each session that gives a budget, divided by different "
                   "headcounts (gross ratios, not unit costs)."),
            numeric={1, 2, 3, 4},
            note=self._("The whole budget is divided each time (it also pays for the founders' "
                        "incubator): these are gross ratios, not unit costs; a cost per dynamic "
                        "exit does not mean the programme caused those exits (no comparison group).")
            + missing)]
