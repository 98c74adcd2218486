"""The session report's synthèse: its first printed page, at most 300 words, generated from
the indicators and the evaluator's perspectives: the main findings as "k sur n", how sure we are,
what comes next.

A mixin of :class:`fac_eval.report.Report` built on :class:`.funder_sections.FunderSections`
(same helpers). The findings come from :func:`fac_eval.analysis.funder.main_findings`, the
quoted texts from ``session.yml`` (the perspectives' first recommendation, else their first
conclusion; the follow-up plan), shortened sentence by sentence to fit (:mod:`.synthesis_words`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from IPython.display import HTML

from fac_eval.analysis import funder
from fac_eval.core.formatting import lower_first

from . import change_words, narrative
from . import views as v
from .funder_sections import FunderSections
from .funder_words import SMALL_GROUP, _text, quoted
from .synthesis_words import (
    SYNTHESIS_MAX_WORDS,
    count_words,
    respondents_words,
    shorten,
    shortenings,
)

if TYPE_CHECKING:
    from fac_eval.data.programme import Perspective

__all__ = ["SynthesisSections"]


class SynthesisSections(FunderSections):
    """The synthèse of the session report (see the module docstring)."""

    def synthesis(self) -> HTML:
        """At most :data:`SYNTHESIS_MAX_WORDS` words: the main findings as "k sur n" (a null or
        negative one included when the data have one), how sure we are, what comes next. An
        interim session has no finding yet: its synthèse tells who entered and what is pending
        and when (:meth:`fac_eval.report.interim.InterimSections.interim_synthesis_blocks`).

        It always ends with what comes next: the follow-up pending, the evaluator's plan, and
        one text of the evaluator quoted as reported speech: their first recommendation
        (``kind: recommendation`` in ``perspectives``), or their first conclusion (with the
        caveat that goes with it) when they give no recommendation; every perspective is in the
        Perspectives section. These texts are shortened sentence by sentence when the limit is
        reached (:func:`shortenings`): first the quoted text, down to its first sentence and
        then left out, then the follow-up plan; a shortened text ends with "[…]" and the
        pointer says that the full text is in the Perspectives section (the plan is given in
        full there while the follow-up is pending); the generated sentences (the follow-up is
        pending) always stay."""
        inner = None  # an interim session's plan: inside its "what is pending" (the head)
        if self.interim:  # no result yet: who entered, what is pending and when
            head = []
            pending, plan = None, None
            inner = self.followup_plan() or None
        else:
            cost = self.cost_line()  # at what cost: the total, per participant
            head = [v.Heading(self._("Main findings")), v.Findings(self.finding_items()),
                    *([cost] if cost is not None else []), v.Heading(self._("How sure we are")),
                    *(self.para(s) for s in self.limit_sentences())]
            pending, plan = self.next_items()
        said = self.quoted_perspective()
        first = _text(said, self.lang) if said is not None else None
        num = self.sections.index("perspectives") + 1
        title = self.section_title_text("perspectives")
        html = HTML("")
        for first_keep, plan_keep in shortenings(first and first[0], inner or (plan and plan[0])):
            if self.interim:
                head = self.interim_synthesis_blocks(plan_keep)
            tail: list = [] if pending is None else [pending]
            if plan is not None and plan_keep != 0:  # None: the whole text
                tail.append(self.para(shorten(plan[0], plan_keep), lang=plan[1]))
            if said is not None and first is not None and first_keep != 0:
                tail.append(self.para(self.quote_lead(said)))  # reported speech, never the
                tail.append(self.para(quoted(shorten(first[0], first_keep),  # report's own voice
                                             first[1] or self.lang), lang=first[1]))
                if said.kind == "conclusion":
                    tail.append(self.para(self.conclusion_caveat()))
            full = first_keep is None and plan_keep is None
            if first is not None or not full:
                tail.append(self.para(self._(
                    "The conclusions and recommendations in full: section %(num)s.", num=num)
                    if full else self._("Shortened here: the full text is in section %(num)s, "
                                        "%(title)s.", num=num, title=title), "small"))
            elif not self.interim:  # no evaluator text: what the data point to, still next
                tail.append(self.para(self._("What the data point to next: section %(num)s, "
                                             "%(title)s.", num=num, title=title), "small"))
            blocks = list(head)
            if tail:
                blocks += [v.Heading(self._("Conclusions and what comes next")), *tail]
            html = self.section("synthesis", blocks, "session/synthesis.j2")
            if count_words(html.data) <= SYNTHESIS_MAX_WORDS:
                break
        return html

    def quoted_perspective(self) -> Perspective | None:
        """The perspective the synthèse quotes: the first recommendation, else the first
        conclusion; None when the evaluator gives no perspective."""
        p = self.programme
        found = (p.perspectives_of("recommendation") or p.perspectives) if p else []
        return found[0] if found else None

    def quote_lead(self, said: Perspective) -> str:
        """Who speaks in the perspective quoted in the synthèse (the publication or the
        evaluator, never the report's own finding); a recommendation is said to be a reading,
        not a result of the data."""
        num = self.sections.index("perspectives") + 1
        if said.kind == "recommendation":
            if self.quotes_the_publication_in_french(said):
                return self._("The published assessment recommends, in translation (its "
                              "authors' reading, not a result of these data; the French original "
                              "is in section %(num)s):", num=num)
            if self.results.kind == "reconstructed":
                return self._("The published assessment recommends (its authors' reading, not "
                              "a result of these data):")
            return self._("The evaluator recommends (a reading, not a result of these data):")
        if self.quotes_the_publication_in_french(said):
            return self._("According to the published assessment, in translation (the French "
                          "original is in section %(num)s):", num=num)
        if self.results.kind == "reconstructed":
            return self._("According to the published assessment:")
        return self._("The evaluator concludes:")

    def conclusion_caveat(self) -> str:
        """Beside a conclusion quoted in the synthèse, in the same type: whose reading it is,
        and that the data (self-reported, no comparison group) cannot verify it."""
        if self.results.kind == "reconstructed":
            return self._("These are the published assessment's own conclusions, drawn from "
                          "self-reported answers without a comparison group: these data cannot "
                          "verify them.")
        return self._("These are the evaluator's conclusions, drawn from self-reported answers "
                      "without a comparison group: these data cannot verify them.")

    def synthesis_findings(self) -> pd.DataFrame:
        """The rows the synthèse leads with: a reconstructed session's published figures
        first, never a learner's fall its publication does not give
        (:func:`fac_eval.analysis.funder.main_findings`, ``published_first``)."""
        return funder.main_findings(self.results.indicators,
                                    published_first=self.results.kind == "reconstructed")

    def finding_items(self) -> list[v.Finding]:
        """The main findings (:func:`fac_eval.analysis.funder.main_findings`) as "k sur n" sentences,
        then the dynamic exits once the follow-up is in."""
        found = self.synthesis_findings()
        items = []
        for _, rw in found.iterrows():
            sentence = narrative.headline_sentence(
                narrative.share_sentence(rw, self.lang, with_ci=False, say_all=False), rw,
                self.lang, role_column="outcome_role")
            ind = str(rw["indicator"])
            # marked where the reconstruction invented it; a fall is read from the scores
            # (the distribution), not from the published share
            tag = self.tag_for([ind], inference=rw.get("weakness") == "decline")
            if rw.get("weakness") == "decline":  # a learner's fall, stated as a finding
                sentence = change_words.decline_finding(rw, self.lang)
            elif rw["role"] == "weakness" and tag:
                if not change_words.published_statement(self.results.claims, ind):
                    continue  # a null result the reconstruction invented: not a finding
                # the publication words it without a figure: said as it does, no count
                sentence, tag = self._(
                    "Little change in %(outcome)s, according to the published assessment (it "
                    "gives no figure).", outcome=self.worded_outcomes(ind)), ""
            elif rw.get("weakness") == "lowest":  # half or more improved: not "less change"
                sentence = self._("The lowest result: %(sentence)s",
                                  sentence=lower_first(sentence))
            elif rw["role"] == "weakness":
                sentence = self._("Less change: %(sentence)s", sentence=lower_first(sentence))
            if self._hidden(ind):
                continue  # never a finding the tables hide
            # a weak result with the caveat its objective gives ("not one of their aims")
            items.append(v.Finding(sentence, self.objective_caveat([ind])
                                   if rw["role"] == "weakness" else "", tag=tag))
        dyn = self.row("followup.sortie_dynamique")
        if dyn["verdict"] != "pending" and pd.notna(dyn["denominator"]) and dyn["denominator"]:
            items.append(v.Finding(narrative.share_sentence(dyn, self.lang, with_ci=False,
                                                            say_all=False)))
        return items

    def weak_cards(self, shown: tuple[str, ...]) -> list[tuple[str, str, str, str, str]]:
        """The key figures' cards of the null or negative results (:func:`fac_eval.analysis.
        funder.main_findings`, not already among the cards ``shown``): a learners' fall ("3 sur
        12"), then the smallest share when fewer than half changed ("Peu d'évolution : …"),
        never when half or more did; a reconstruction's invented count is no key figure: the
        publication's words when it words the result without a figure, else no card."""
        from fac_eval.core.formatting import fmt_number

        weak = funder.main_findings(self.results.indicators)
        weak = weak.loc[(weak["role"] == "weakness") & ~weak["indicator"].isin(shown)]
        cards = []
        for _, rw in weak.iterrows():
            ind = str(rw["indicator"])
            tag = self.tag_for([ind])
            if rw.get("weakness") == "decline":  # a learner's fall: "3 sur 12", said as such
                cards.append((self._("%(k)s of %(n)s", k=fmt_number(int(rw["n_worse"]), self.lang),
                                     n=fmt_number(int(rw["denominator"]), self.lang)),
                              change_words.decline_sentence(rw, self.lang), tag, "", ""))
            elif rw.get("weakness") == "lowest":  # half or more changed: no weak card
                continue
            elif tag and self.results.kind == "reconstructed":
                if change_words.published_statement(self.results.claims, ind):
                    cards.append((self._("Little change"), self._(
                        "In %(outcome)s, according to the published assessment (it gives no "
                        "figure).", outcome=self.worded_outcomes(ind)), "", "", ""))
            else:
                big, text = self.card(ind)
                cards.append((big, self._("Little change: %(finding)s", finding=text), tag,
                              "", ""))
        return cards

    def worded_outcomes(self, indicator: str) -> str:
        """``indicator``'s outcome, with every other one the publication words the same way
        without a figure (its claims of kind ``at_most_percent``: "peu évolué sur la
        communication interne … et le management"), as a list in the report's language
        ("communication interne et management")."""
        from babel.lists import format_list

        worded = self.worded_only()
        names = [indicator]
        if indicator in worded:
            known = set(self.results.indicators["indicator"])
            names += [i for i in worded if i not in names and i in known and not self._hidden(i)]
        words = [change_words.outcome_words(self.row(i), self.lang) for i in names]
        return format_list(words, locale=self.lang)

    def limit_sentences(self) -> list[str]:
        """How sure we are, in one or two sentences: self-report and no comparison group, small
        numbers, reconstructed or synthetic data. The people counted are those who answered the
        questions behind the main findings (not everyone enrolled)."""
        counts = funder.respondents(self.synthesis_findings())
        people = respondents_words(self.words, self.lang, counts)
        nl = max((high for _, high in counts.values()), default=0) if counts else int(
            self.row("learners.enrolled")["numerator"])
        if nl < SMALL_GROUP and people:
            out = [self._(
                "These results are self-reported by those who answered (%(people)s), without a "
                "comparison group: they describe what changed for this group, do not tell how "
                "much of it is due to the programme and do not generalise to a larger group.",
                people=people)]
        else:
            out = [self._(
                "These results are self-reported, without a comparison group: they describe what "
                "changed for this group and do not tell how much of it is due to the programme.")]
        dyn = self.row("followup.sortie_dynamique")
        if dyn["verdict"] != "pending" and pd.notna(dyn["denominator"]) and dyn["denominator"]:
            # the one result that is not only the respondents' (funder review 5: it was cryptic)
            out.append(self._("The dynamic-exit rate, unlike these answers, covers every learner "
                              "counted at follow-up."))
        kind = self.results.kind
        if kind == "reconstructed":
            out.append(self._("The individual answers are reconstructed from the published "
                              "results, not the participants' actual answers."))
        elif kind == "synthetic":
            out.append(self._("The data are fictitious (a synthetic session): they describe no "
                              "real person."))
        return out
