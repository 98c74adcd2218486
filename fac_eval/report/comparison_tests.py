"""The comparison report's tests between and across sessions (a mixin of
:class:`fac_eval.report.comparison.ComparisonReport`): the between-sessions tests' cells and
sentence, what the pooled number of pairs allows, and the table of the learners' change over
all sessions (stratified exact Wilcoxon test, session × change test, graded reading)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from fac_eval.analysis import stats
from fac_eval.core.formatting import fmt_level, fmt_number, fmt_pvalue, lower_first
from fac_eval.data import codebook as cb

from . import narrative
from . import views as v
from .base import BaseReport, p_cell
from .comparison_charts import outcome_short


def pooled_reading(row: pd.Series, lang: str = "fr", alpha: float = 0.05) -> str:
    """The reading of a pooled row as the comparison's tables give it: graded like a session's
    (:func:`fac_eval.report.narrative.graded_reading`), "(exploratoire)" after a secondary
    outcome's test, and, when the sessions differ, said to be a figure of the whole, not a
    common effect (also the published CSV's ``reading`` column)."""
    from .i18n import messages

    m = messages(lang)
    tested = pd.notna(row.get("p_value"))
    reading = narrative.graded_reading(row, lang, alpha)
    if row.get("role") == "secondary" and tested and row.get("verdict") != "not_testable":
        reading = m._("%(reading)s (exploratory)", reading=reading)
    if tested and bool(row.get("heterogeneous")):
        reading = m._("%(reading)s; the sessions differ: a figure of the whole, not a common "
                      "effect", reading=reading)
    return reading


class ComparisonTestSections(BaseReport):
    """The tests between and across sessions (a mixin of
    :class:`fac_eval.report.comparison.ComparisonReport`)."""

    if TYPE_CHECKING:
        from fac_eval.analysis.comparison import ComparisonResults

        results: ComparisonResults

        def flags(self, sessions: str, inner: bool = False) -> str: ...

    def heterogeneity_cell(self, p, exact=True) -> str:
        """"0,042 : les sessions diffèrent" / "0,60" for the between-sessions test."""
        if pd.isna(p):
            return "—"
        cell = p_cell(p, self.lang)
        if not exact:
            cell = self._("%(p)s (approximate)", p=cell)
        if p <= self.results.alpha:
            cell = self._("%(p)s: sessions differ", p=cell)
        return cell

    def heterogeneity_sentence(self, row, reading: bool = True) -> str:
        """The one phrasing of the between-sessions verdict of a pooled row, both its tests
        together: the share (Fisher-Freeman-Halton) and, for a learners' change, the scores'
        change (session × change permutation test), so that no outcome reads "the sessions
        differ" from one test while the other finds no clear gap. A gap is "hardly due to chance
        alone", never a fact; when the sessions' data are reconstructed or synthetic, the gap
        says nothing about the programme. ``reading=False`` (a chart's caption, where room is
        short): the tests only, and the section that reads them."""
        share, change = row.get("het_p"), row.get("interaction_p")
        share = None if share is None or pd.isna(share) else float(share)
        change = None if change is None or pd.isna(change) else float(change)
        if share is None and change is None:
            return "—"
        alpha = self.results.alpha
        parts = []
        if share is not None:
            parts.append(self._("share %(p)s (Fisher-Freeman-Halton exact test)",
                                p=fmt_pvalue(share, self.lang)))
        if change is not None:
            parts.append(self._("change in scores %(p)s (session × change permutation test)",
                                p=fmt_pvalue(change, self.lang)))
        text = parts[0] if len(parts) == 1 else self._("%(share)s; %(change)s", share=parts[0],
                                                       change=parts[1])
        low = [p for p in (share, change) if p is not None and p <= alpha]
        if not low:
            return text
        if not reading:  # a chart's caption: the tests; their reading is the pooled section's
            return self._("%(tests)s (read in section %(num)s)", tests=text,
                          num=self.sections.index("pooled") + 1)
        if len(low) == len([p for p in (share, change) if p is not None]):
            verdict = self._("a gap between sessions hardly due to chance alone")
        elif share is not None and share <= alpha:
            verdict = self._("the share who improved differs between sessions more than chance "
                             "alone would usually give, the change in scores not clearly")
        else:
            verdict = self._("the change in scores differs between sessions more than chance "
                             "alone would usually give, the share who improved not clearly")
        text = self._("%(tests)s: %(verdict)s", tests=text, verdict=verdict)
        flagged = [x for x in str(row.get("flagged_sessions") or "").split(",") if x]
        if flagged and len(flagged) == int(row.get("n_sessions") or 0):
            text += " " + self._("(these sessions' data are reconstructed or synthetic: the gap "
                                 "says nothing about the programme)")
        return text

    def threshold_sentence(self) -> str:
        """What the pooled number of pairs allows (the smallest attainable p-value)."""
        c = self.results
        tested = c.pooled[c.pooled["outcome"].astype(bool) & c.pooled["n_nonzero"].notna()]
        if tested.empty:
            return self._("No complete entry–exit pair in the sessions compared.")
        low, high = int(tested["n_nonzero"].min()), int(tested["n_nonzero"].max())
        # "entre 4 et 12", not "de 4 à 12": "à 12" reads as the participant id A12 to the gate
        span = fmt_number(low, self.lang) if low == high else self._(
            "between %(low)s and %(high)s", low=fmt_number(low, self.lang),
            high=fmt_number(high, self.lang))
        level = fmt_level(c.alpha, self.lang)
        blocked = tested[tested["min_attainable_p"] > c.alpha]
        if blocked.empty:
            return self._(
                "All sessions together, %(span)s learners changed score depending on the "
                "outcome: enough for an exact test to reach the %(level)s threshold (smallest "
                "possible p-value: %(min_p)s).", span=span, level=level,
                min_p=fmt_pvalue(stats.min_attainable_p(low), self.lang))
        which = ", ".join(cb.outcome_label(o, self.lang) for o in blocked["outcome"])
        return self._(
            "All sessions together, %(span)s learners changed score depending on the outcome. "
            "For %(which)s, too few scores changed: no exact two-sided test can reach %(level)s "
            "there, so the result stays descriptive.", span=span, which=which, level=level)

    def score_tests_table(self) -> v.Table:
        """The learners' change, all sessions together: the stratified exact Wilcoxon test of
        each outcome (Holm over the primary outcomes), the session × change test and the graded
        reading; marked and said illustrative when sessions without real answers are in it."""
        c = self.results
        rows = []
        for outcome in cb.LEARNER_OUTCOMES:
            r = c.pooled_row(f"learners.{outcome}.improved")
            tested = pd.notna(r["p_value"])
            reading = pooled_reading(r, self.lang, c.alpha)
            rows.append([
                outcome_short(outcome, self.lang),
                f"{int(r['n_pairs'])} ({int(r['n_nonzero'])})" if tested else "—",
                (f"{fmt_number(r['statistic'], self.lang)} "
                 f"({fmt_number(r['expected'], self.lang)})") if tested else "—",
                p_cell(r["p_value"], self.lang) if tested else "—",
                p_cell(r["p_holm"], self.lang) if tested else "—",
                self.heterogeneity_cell(r["interaction_p"], bool(r["interaction_exact"])),
                reading,
            ])
        primary = [outcome_short(o, self.lang) for o in cb.LEARNER_OUTCOMES
                   if o in cb.PRIMARY_OUTCOMES]
        assert c.contributors is not None  # the strata of the tests: sessions with pairs
        paired = list(c.contributors.paired_sessions)
        flagged = self.flags(",".join(paired), inner=True)  # written inside parentheses
        # the tests' verdicts on scores a reconstruction invented or a generator drew: marked
        # in the caption and said so first in the note
        unreal = [s for s in paired if c.kinds.get(s) in ("reconstructed", "synthetic")]
        caveat = "" if not unreal else self._(
            "None of these sessions holds real scores (%(sessions)s): these verdicts illustrate "
            "the method and say nothing about the programme.", sessions=flagged
        ) if len(unreal) == len(paired) else self._(
            "The scores of %(sessions)s are reconstructed or synthetic: the verdicts that "
            "include them illustrate the method and do not describe real participants.",
            sessions=self.flags(",".join(unreal)))
        return self.table(
            [self._("Outcome"), self._("Pairs (non-zero)"), self._("Positive ranks (expected)"),
             self._("stratified p"), self._("p (Holm)"), self._("Session × change (p)"),
             self._("Reading")],
            rows, self._("Learners' change between entry and exit, all sessions together "
                         "(%(sessions)s): exact Wilcoxon test stratified by session, "
                         "Holm-adjusted over the %(n)s primary outcomes designated in the codebook, and "
                         "the test of whether the change differs between sessions.",
                         sessions=flagged, n=len(primary)),
            numeric={1, 2, 3, 4, 5}, tag=self._("illustrative") if unreal else "",
            note=" ".join(filter(None, (caveat, self._(
                "Pairs: learners who answered at entry and at exit, all sessions together (in "
                "brackets, those whose score changed). Positive ranks: sum of the ranks of the "
                "improvements, ranked within each session; if scores had not changed it would "
                "be close to the expected value, in brackets."), self._(
                "Session × change: permutation test of the session × time interaction on the "
                "entry-to-exit changes (every assignment of the changes to the sessions, enumerated "
                "exactly unless marked approximate); a small p-value means the change differs between sessions, and "
                "the pooled test then averages different changes. Read it with the test on the "
                "share who improved (previous table): the two look at different things and can "
                "disagree; the text gives both."), self._(
                "Primary outcomes (Holm family): %(primary)s; the others are secondary, "
                "exploratory (raw p-value).", primary=", ".join(map(lower_first, primary))),
                self._("Reading: how hard a change is to put down to chance alone; the share "
                       "due to the programme is unknown (no comparison group).")))))
