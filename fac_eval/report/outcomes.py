"""The session report's outcome sections: learners, founders and the follow-up.

A mixin of :class:`fac_eval.report.Report` (same helpers: ``row``, ``label``, ``table``…).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from IPython.display import HTML

from fac_eval.core.formatting import fmt_ci, fmt_count, fmt_level, fmt_money, fmt_number, fmt_percent, lower_first
from fac_eval.data import codebook as cb
from fac_eval.data.codebook_model import wording
from fac_eval.disclosure import privacy
from fac_eval.report import plots

from . import change_words, interval_notes, narrative
from . import views as v
from .base import BaseReport, p_cell
from .i18n import NP_

if TYPE_CHECKING:
    from fac_eval.analysis.results import SessionResults


class OutcomeSections(BaseReport):
    """Learners' outcomes, founders and follow-up (sections 3 to 5 of the session report)."""

    if TYPE_CHECKING:  # defined by fac_eval.report.session.Report, which mixes this class in
        results: SessionResults

        def row(self, indicator: str) -> pd.Series: ...
        def label(self, row: pd.Series) -> str: ...
        def note(self, row: pd.Series) -> str: ...
        def sentences(self, indicators: list[str], with_test: bool = False) -> v.Findings: ...
        def sensitive_sentences(self, indicators: list[str]) -> v.Findings: ...
        def masking(self) -> pd.DataFrame: ...
        def family_size(self, row: pd.Series) -> int: ...
        def tag_for(self, indicators: list[str], inference: bool = False) -> str: ...
        @property
        def hidden_marker(self) -> str: ...

    def limits_view(self, again: bool = False) -> v.Limits:
        """What the figures cannot show, beside them (the key figures, the learners' results):
        self-report and social desirability, no comparison group, regression to the mean, the
        weight of one person, reconstructed or synthetic data (``again``: not printed)."""
        n = self.row("learners.enrolled")["numerator"]
        items = [self._("Answers are the participants' own (self-report): they may give the "
                        "answer they think is expected (social desirability)."),
                 self._("No comparison group: how much of a change is due to the programme "
                        "cannot be told."),
                 self._("Regression to the mean: people who start low tend to score higher "
                        "the second time, programme or not.")]
        weight = self.weight_of_one_person()
        if weight:
            items.append(weight)
        elif pd.notna(n) and int(n) > 0:
            items.append(self.ngettext(
                "With %(num)s learner, one person is %(step)s percentage points of any share.",
                "With %(num)s learners, one person is %(step)s percentage points of any share.",
                int(n), step=fmt_number(round(100 / int(n), 1), self.lang)))
        kind = self.results.kind
        if kind == "reconstructed":
            items.append(self._("Reconstructed data: only the figures of the published "
                                "assessment are fixed; the rest was made up to match them and "
                                "is illustrative."))
        elif kind == "synthetic":
            items.append(self._("Synthetic data: every figure was made up for the "
                                "demonstration."))
        return v.Limits(self._("What these figures cannot show"), items, again=again)

    def weight_of_one_person(self) -> str:
        """What one person weighs in the main findings' shares, by population, from the people
        who answered (:func:`fac_eval.analysis.funder.respondents`: 12 to 13 learners of 14
        enrolled weigh 7,7 to 8,3 points, not 7,1; 4 founders 25 points); "" without findings."""
        from fac_eval.analysis import funder

        from .synthesis_words import respondents_words

        counts = funder.respondents(funder.main_findings(self.results.indicators))
        parts: list[str] = []
        for population, (low, high) in counts.items():
            steps = [fmt_number(round(100 / k, 1), self.lang) for k in (high, low)]
            step = steps[0] if low == high else self._("between %(low)s and %(high)s", low=steps[0],
                                                       high=steps[1])
            people = respondents_words(self.words, self.lang, {population: (low, high)})
            parts.append(self._("%(step)s among %(people)s", step=step, people=people) if parts
                         else self._("%(step)s percentage points among %(people)s", step=step,
                                     people=people))
        if not parts:
            return ""
        return self._("In the main findings, one person weighs %(parts)s.",
                      parts=", ".join(parts))

    def key_card(self, ind: str, big: str, text: str) -> tuple[str, str, str, str, str]:
        """A key-figure card of ``ind``: (big, text, marker, detail, detail's marker). A fall
        read from invented scores ("1 a un score plus bas…", beside a published share) goes to
        the detail, with the reliable change, beside its own "illustratif" marker."""
        detail, detail_mark = self.reliable_detail(ind)
        worse = change_words.worse_sentence(self.row(ind), self.lang)
        fall_mark = self.tag_for([ind], inference=True)
        if worse and worse in text and fall_mark and not self.tag_for([ind]):
            text = text.replace(" " + worse, "").replace(worse, "")
            detail, detail_mark = " ".join(filter(None, [detail, worse])), fall_mark
        return big, text, self.tag_for([ind]), detail, detail_mark

    def reliable_detail(self, ind: str) -> tuple[str, str]:
        """(clause, marker) after a scale's card: how many of those who improved did so beyond
        measurement error (the Reliable Change Index, ``<outcome>.reliable_improvement``), with
        the RCI's fixed standard deviation and its provenance as the codebook stores them."""
        outcome = ind.split(".")[1] if ind.count(".") == 2 and ind.endswith(".improved") else ""
        name = f"learners.{outcome}.reliable_improvement"
        scale = cb.SCALES.get(outcome)
        table = self.results.indicators
        if scale is None or scale.norm_sd is None or name not in set(table["indicator"]):
            return "", ""
        r = self.row(name)
        if pd.isna(r["denominator"]) or not r["denominator"] or r["verdict"] == "pending":
            return "", ""
        k = int(r["numerator"])
        # the threshold is a convention of the codebook, said as such (never a measured fact)
        values = dict(threshold=fmt_number(r["threshold"], self.lang, 1),
                      source=wording(scale.norm_sd_short, self.lang),
                      section=self.sections.index("methods") + 1)
        if k == 0:
            clause = self._("No gain exceeds the reliable-change threshold used (%(threshold)s "
                            "points; reference standard deviation: %(source)s; see section "
                            "%(section)s).", **values)
        else:
            clause = self.ngettext(
                "For %(num)s of these learners, the gain exceeds the reliable-change threshold "
                "used (%(threshold)s points; reference standard deviation: %(source)s; see "
                "section %(section)s).",
                "For %(num)s of these learners, the gain exceeds the reliable-change threshold "
                "used (%(threshold)s points; reference standard deviation: %(source)s; see "
                "section %(section)s).", k, **values)
        return clause, self.tag_for([name])

    def primary_sentence(self, primary: str, declared: bool) -> str:
        """Which outcomes are primary, how they form Holm families (:meth:`holm_families`, read
        from the indicator table, as the tables' notes are) and where they are declared,
        claiming no more than the session allows: a reconstructed session's results were
        published before its data were built, so its declaration was made knowing them.
        ``primary``: the declared list, said only when the table tests none of them."""
        families = self.holm_families()
        lead = self.ngettext(
            "The primary outcomes form %(num)s Holm family: %(families)s.",
            "The primary outcomes form %(num)s Holm families, each adjusted on its own: "
            "%(families)s.", len(families), families=self._(
                "%(first)s and %(second)s", first=", ".join(families[:-1]),
                second=families[-1]) if len(families) > 1 else families[0]) \
            if families else self._("The primary outcomes: %(primary)s.", primary=primary)
        if self.results.kind == "reconstructed":
            where = (self._("the session's description") if declared
                     else self._("the codebook"))
            return lead + " " + self._(
                "They are designated in %(where)s; this session's results were published before "
                "its data were reconstructed, so this designation was made knowing the "
                "published results.", where=where)
        if declared:
            return lead + " " + self._("They are declared in the session's description, not "
                                       "chosen from the results.")
        return lead + " " + self._("They are declared in the codebook, the same for every "
                                   "session, not chosen from the results.")

    #: One Holm family in the methods: whose outcomes, how many tests, which.
    FAMILY_WORDS = {
        "learners": NP_("the learners' family, %(num)s test (%(names)s)",
                        "the learners' family, %(num)s tests (%(names)s)"),
        "founders": NP_("the founders' family, %(num)s test (%(names)s)",
                        "the founders' family, %(num)s tests (%(names)s)"),
    }

    def holm_families(self) -> list[str]:
        """The Holm families of the indicator table, one phrase each ("celle des apprenants,
        4 tests (…)"): the primary outcomes with an adjusted p-value, by family, the very rows
        the tables' notes (:meth:`holm_note`) count."""
        table = self.results.indicators
        if "role" not in table.columns:
            return []
        tested = table.loc[(table["role"] == "primary") & table["p_adjusted"].notna()]
        out = []
        for population in ("learners", "founders"):
            rows = tested.loc[tested["population"] == population]
            if rows.empty:
                continue
            names = [lower_first(self.dimension(r)) for _, r in rows.iterrows()]
            out.append(self.ngettext(*self.FAMILY_WORDS[population], len(names),
                                     names=", ".join(names)))
        return out

    def glossary(self):
        """The acronyms the report uses, glossed before their first use (key figures)."""
        return self.para(" ".join([
            self._("Acronyms:"),
            self._("RQTH, recognition of disabled-worker status (an administrative status "
                   "granted in France);"),
            self._("IAE, insertion par l'activité économique, the French framework of "
                   "work-integration programmes, which defines a positive exit;"),
            self._("DigComp 2.2, the European Commission's framework of citizens' digital "
                   "competences (2022), in 5 areas.")]), "small glossary")

    def learners(self) -> HTML:
        if getattr(self, "interim", False) and "learners_exit" in self.results.pending:
            return self.learners_interim()  # type: ignore[attr-defined]
        r = self.results
        P = r.clean.learner_pairs
        n_pairs = int(P[P["outcome"] == cb.LEARNER_OUTCOMES[0]]
                      .dropna(subset=["entry", "exit"]).shape[0])
        blocks: list = [self.limits_view(again=True), self.para(
            narrative.significance_threshold_sentence(n_pairs, r.alpha, self.lang), "callout")]
        inds = [f"learners.{o}.improved" for o in cb.LEARNER_OUTCOMES]
        blocks.append(self.sentences(inds, with_test=True))
        fig = plots.paired_change(P, list(cb.LEARNER_OUTCOMES), lang=self.lang)
        printed = plots.paired_change_print(P, list(cb.LEARNER_OUTCOMES), lang=self.lang)
        alt = "; ".join(f"{self.label(self.row(i))} {self._share(i)}" for i in inds
                        if pd.notna(self.row(i)["denominator"]) and self.row(i)["denominator"])
        if plots.paired_change_summarised(P, list(cb.LEARNER_OUTCOMES)):  # large group: bands
            caption = self._(
                "Scores at entry and exit: distribution of the learners (dark band: the middle "
                "half; light band: the middle 80 %%); the thick black line joins the group's "
                "medians. The numbers improved, unchanged and worse are below each chart.")
        else:
            caption = self._(
                "Scores at entry and exit: one line per learner (blue improved, grey unchanged, "
                "orange worse); the thick black line joins the group's medians.")
        blocks.append(self.figure(fig, caption, alt, print_fig=printed))
        blocks.append(self.tests_view(inds, self._(
            "Change between entry and exit: counts, exact paired Wilcoxon test and p-value "
            "%(scope)s.", scope=self.holm_scope(inds))))
        rc = [i for i in self.results.indicators["indicator"]
              if i.endswith(".reliable_improvement") and i.startswith("learners.")]
        if rc:
            blocks.append(v.Heading(self._("Reliable individual change")))
            blocks.append(self.sentences(rc))
            blocks.append(self.para(self.note(self.row(rc[0])), "small",
                                    tag=self.tag_for(rc[:1])))
        # declarations
        blocks.append(v.Heading(self._("What learners say at the end of the session")))
        dec = [f"learners.{i}.agree" for i in cb.LEARNER_DECLARATION_ITEMS]
        blocks.append(self.sentences(dec))
        fig = plots.likert_diverging(r.clean.learner_declarations,
                                     list(cb.LEARNER_DECLARATION_ITEMS), lang=self.lang)
        alt = "; ".join(f"{self.label(self.row(i))} {self._share(i)}" for i in dec
                        if self.row(i)["denominator"])
        blocks.append(self.figure(fig, self._(
            "Learners' answers to the end-of-session statements (number of people; right of the "
            "centre line, the \"agree\" answers)."), alt))
        # a reconstruction chose the questionnaires and their entry-exit design: invented
        return self.section("learners", blocks, "session/learners.j2",
                            design_tag=self.illustrative_tag())

    def _share(self, indicator: str) -> str:
        """"7 sur 8 (88 %)" for an indicator of the table."""
        r = self.row(indicator)
        return fmt_count(int(r["numerator"]), int(r["denominator"]), self.lang)

    def tests_view(self, inds: list[str], caption: str, change_note: bool = False) -> v.Table:
        """The tests table of ``inds``; with ``change_note``, its note also says which typical
        changes' intervals reach the scale's limit or collapse on one value (said there when
        no list of results above prints them, as in the founders' section)."""
        rows = []
        shown = []
        for i in inds:
            r = self.row(i)
            if pd.isna(r["denominator"]) or not r["denominator"]:
                continue
            shown.append(r)
            k, n = int(r["numerator"]), int(r["denominator"])
            hl = ""
            if pd.notna(r["effect"]):
                hl = fmt_number(r["effect"], self.lang, 1)
                if pd.notna(r["effect_ci_low"]):
                    hl = self._("%(estimate)s [%(low)s, %(high)s]", estimate=hl,
                                low=fmt_number(r["effect_ci_low"], self.lang, 1),
                                high=fmt_number(r["effect_ci_high"], self.lang, 1))
                    achieved = self.achieved_level(r)
                    if achieved is not None:  # an exact interval that cannot reach the level
                        hl = self._("%(interval)s (%(level)s CI)", interval=hl, level=achieved)
            reading = narrative.table_reading(self.results.indicators, r, self.lang,
                                              self.results.alpha)
            ci = fmt_ci(r["ci_low"], r["ci_high"], self.lang, level=self.results.confidence)
            rows.append([
                self.label(r).split(" : ")[0].split(": ")[0],
                fmt_count(k, n, self.lang),
                ci.split(": ")[-1].split(" : ")[-1],
                hl or "—",
                p_cell(r["p_value"], self.lang),
                p_cell(r["p_adjusted"], self.lang),
                reading,
            ])
        level = fmt_percent(self.results.confidence, self.lang)
        header = [self._("Outcome"), self._("Improved"), self._("%(level)s CI", level=level),
                  self._("Typical change [CI]"), self._("raw p"), self._("p (Holm)"),
                  self._("Reading")]
        # the note on intervals ending at 0 % or 100 % is the section's, beside its results
        # (Report.findings_note): said once, not again under the table
        note = " ".join([self._("Typical change: Hodges-Lehmann estimate of the entry-to-exit "
                                "shift, in scale points, with its exact confidence interval."),
                         self.achieved_levels_sentence(inds)]).strip()
        changes = (interval_notes.change_edge_note(shown, self.dimension, self.lang)
                   if change_note else "")
        # a reading says how unlikely chance alone is, never what caused the change
        note = " ".join(filter(None, [note, changes, self.holm_note(inds), self._(
            "Reading: how hard a change is to put down to chance alone; the share due to the "
            "programme is unknown (no comparison group).")]))
        return self.table(header, rows, caption, numeric={1, 2, 3, 4, 5}, note=note)

    def achieved_levels(self, inds: list[str] | None = None) -> list[tuple[int, float]]:
        """(number of pairs, achieved level) of the Hodges-Lehmann intervals of ``inds`` (by
        default every paired outcome of the table) whose achieved level differs from the
        nominal one, one entry per distinct pair, sorted by number of pairs (largest first)."""
        table = self.results.indicators
        if "effect_confidence" not in table.columns:
            return []
        rows = table[table["effect_confidence"].notna() & table["effect_ci_low"].notna()]
        if inds is not None:
            rows = rows[rows["indicator"].isin(inds)]
        found = set()
        for _, r in rows.iterrows():
            if self.achieved_level(r) is not None and pd.notna(r["denominator"]):
                found.add((int(r["denominator"]), round(float(r["effect_confidence"]), 6)))
        return sorted(found, key=lambda x: (-x[0], -x[1]))

    def achieved_levels_sentence(self, inds: list[str] | None = None) -> str:
        """What the exact intervals achieve here, from the data: the nominal level, then each
        achieved level with its number of pairs, said to be above or below the nominal one
        (above: the closest level an exact interval can take without falling below it; below:
        too few pairs for any exact interval to reach it)."""
        nominal = self.results.confidence
        level = fmt_percent(nominal, self.lang)
        found = self.achieved_levels(inds)
        if not found:
            return self._("Their nominal level, %(level)s, is reached here.", level=level)
        parts = []
        for n, achieved in found:
            values = dict(level=level, achieved=fmt_percent(achieved, self.lang, 1))
            if achieved > nominal:
                parts.append(self.ngettext(
                    "with %(num)s pair, %(achieved)s, above the nominal %(level)s (the closest "
                    "level an exact interval can take without falling below it)",
                    "with %(num)s pairs, %(achieved)s, above the nominal %(level)s (the closest "
                    "level an exact interval can take without falling below it)", n, **values))
            else:
                parts.append(self.ngettext(
                    "with %(num)s pair, %(achieved)s, below the nominal %(level)s (too few pairs "
                    "for any exact interval to reach it)",
                    "with %(num)s pairs, %(achieved)s, below the nominal %(level)s (too few pairs "
                    "for any exact interval to reach it)", n, **values))
        joined = parts[0]
        for part in parts[1:]:
            joined = self._("%(first)s; %(second)s", first=joined, second=part)
        return self._("An exact interval can only take certain levels, so the level it achieves "
                      "is given beside it: %(levels)s.", levels=joined)

    def achieved_level(self, row: pd.Series) -> str | None:
        """"87,5 %" when the row's effect interval achieves a level other than the nominal one
        (``effect_confidence``), else None."""
        achieved = row.get("effect_confidence")
        if achieved is None or pd.isna(achieved):
            return None
        nominal = row.get("confidence")
        nominal = self.results.confidence if nominal is None or pd.isna(nominal) else nominal
        if abs(float(achieved) - float(nominal)) < 5e-4:
            return None
        return fmt_percent(float(achieved), self.lang, 1)

    def tests_table(self, inds: list[str], caption: str) -> str:
        """:meth:`tests_view` rendered (HTML)."""
        return self.render_blocks([self.tests_view(inds, caption)])

    def dimension(self, row: pd.Series) -> str:
        """The outcome's name in a table row or a note ("Autonomie")."""
        return self.label(row).split(" : ")[0].split(": ")[0]

    def holm_family(self, inds: list[str]) -> tuple[list[str], list[str]]:
        """(primary outcomes, secondary outcomes) among ``inds``, read from the indicator
        table's ``role``: the primary outcomes are declared in advance (codebook or
        session.yml) and form the Holm family; the secondary ones keep their raw p-value and are
        exploratory (see ``indicators.apply_holm``). A table without roles: the family is every
        row with an adjusted p-value."""
        table = self.results.indicators
        shown = table[table["indicator"].isin(inds) & table["p_value"].notna()]
        if "role" not in shown.columns:
            return ([self.dimension(r) for _, r in shown.iterrows() if pd.notna(r["p_adjusted"])],
                    [])
        primary = [self.dimension(r) for _, r in shown.iterrows() if r["role"] == "primary"]
        secondary = [self.dimension(r) for _, r in shown.iterrows() if r["role"] == "secondary"]
        return primary, secondary

    def holm_scope(self, inds: list[str]) -> str:
        """"ajustée (Holm) sur les 4 résultats principaux déclarés à l'avance" (from the table)."""
        n = len(self.holm_family(inds)[0])
        if n == 0:
            return self._("without Holm adjustment (no primary outcome: every p-value is raw, "
                          "exploratory)")
        if not self._declared_in_advance:  # a reconstructed session: its data came after
            if n == 1:
                return self._("Holm-adjusted over the only primary outcome designated in the "
                              "codebook")
            return self._("Holm-adjusted over the %(n)s primary outcomes designated in the "
                          "codebook", n=n)
        if n == 1:
            return self._("Holm-adjusted over the only primary outcome declared in advance")
        return self._("Holm-adjusted over the %(n)s primary outcomes declared in advance", n=n)

    @property
    def _declared_in_advance(self) -> bool:
        """Whether the primary outcomes precede the data: not in a reconstructed session, whose
        answers were built after its results were published (the methods say so)."""
        return self.results.kind != "reconstructed"

    def holm_note(self, inds: list[str]) -> str:
        """Which outcomes form the Holm family (primary), which are exploratory (secondary),
        and which stay descriptive because their test cannot reach alpha."""
        primary, secondary = self.holm_family(inds)
        table = self.results.indicators
        shown = table[table["indicator"].isin(inds)]
        descriptive = [self.dimension(r) for _, r in shown.iterrows()
                       if r["verdict"] == "not_testable"]
        alpha = fmt_level(self.results.alpha, self.lang)
        if primary and not self._declared_in_advance:
            text = self.ngettext(
                "Primary outcome, designated in the codebook after the assessment was "
                "published (Holm family of %(num)s): %(names)s.",
                "Primary outcomes, designated in the codebook after the assessment was "
                "published (Holm family of %(num)s): %(names)s.",
                len(primary), names=", ".join(map(lower_first, primary)))
        elif primary:
            text = self.ngettext(
                "Primary outcome, declared in advance (Holm family of %(num)s): %(names)s.",
                "Primary outcomes, declared in advance (Holm family of %(num)s): %(names)s.",
                len(primary), names=", ".join(map(lower_first, primary)))
        else:
            text = self._("No primary outcome here: no Holm adjustment.")
        if secondary:
            text += " " + self._("Secondary outcomes, exploratory (raw p-value, not adjusted; "
                                 "adding or removing one changes no primary result): "
                                 "%(names)s.", names=", ".join(map(lower_first, secondary)))
        if descriptive:
            text += " " + self._("Descriptive with these data (too few non-zero pairs for a "
                                 "test to reach %(alpha)s): %(names)s.", alpha=alpha,
                                 names=", ".join(map(lower_first, descriptive)))
        return text

    def founders(self) -> HTML:
        if getattr(self, "interim", False) and "founders_exit" in self.results.pending:
            return self.founders_interim()  # type: ignore[attr-defined]
        r = self.results
        n = int(self.row("founders.enrolled")["numerator"])
        blocks: list = [self.para(self.ngettext(
            "%(num)s founder was supported; the learners worked on the digital side of their "
            "businesses.",
            "%(num)s founders were supported; the learners worked on the digital side of their "
            "businesses.", n))]
        inds = ["founders.stage_creation", "founders.business_created", "founders.revenue_up",
                "founders.developed", "founders.digital_culture_gained",
                "founders.digital_culture_ceiling", "founders.time_saved",
                "founders.leadership_skills.improved"]
        # a stage of 1 to min_cell - 1 founders: the stage share and the outcomes counted within
        # a stage are hidden by the one masking (disclosure.mask_indicators)
        decided = self.masking()
        hidden = [i for i in inds if i in decided.index and bool(decided.at[i, "masked"])]
        blocks.append(self.sentences([i for i in inds if i not in hidden]))
        if hidden:
            blocks.append(self.para(self._(
                "The founders' stages (creating or developing a business) and the business "
                "outcomes counted within a stage are not published: a stage holds fewer than "
                "%(min_cell)s founders.", min_cell=self.min_cell), "small"))
        fig_rows = self.results.indicators[self.results.indicators["indicator"].isin(
            # one bar per result: the digital culture's change is its paired row (the same
            # founders, the same definition as founders.digital_culture_gained)
            ["founders.developed", "founders.time_saved",
             "founders.leadership_skills.improved", "founders.digital_culture.improved",
             "founders.internal_communication.improved", "founders.management.improved"])]
        fig_rows = fig_rows[fig_rows["denominator"].fillna(0) > 0]
        if len(fig_rows):
            level = r.confidence
            fig = plots.share_bars(fig_rows, lang=self.lang, confidence=level)
            alt = "; ".join(
                f"{self.label(rw)} "
                f"{fmt_count(int(rw['numerator']), int(rw['denominator']), self.lang)}"
                for _, rw in fig_rows.iterrows())
            blocks.append(self.figure(fig, self._(
                "Founders: share concerned by each outcome, with its exact %(level)s confidence "
                "interval (very wide with so few people).",
                level=fmt_percent(level, self.lang)), alt))
        revenue = r.clean.founder_outcomes
        dev = revenue[revenue["stage"] == "development"].dropna(
            subset=["revenue_entry", "revenue_exit"])
        if len(dev) and hidden:
            # the stages are hidden: a sum given (or refused for fewer than min_cell founders
            # developing) would tell which stage is the small one, so one sentence for both
            blocks.append(self.para(self._(
                "Combined revenue of the founders developing a business not published: like "
                "their number, it is covered by the small-cell rule."), "small"))
        elif 0 < len(dev) < self.min_cell:  # a sum over 1 or 2 businesses discloses their revenue
            blocks.append(self.para(self._(
                "Combined revenue not published: fewer than %(min_cell)s founders developing a "
                "business.", min_cell=self.min_cell), "small"))
        elif len(dev):
            blocks.append(self.para(self._(
                "Combined annual revenue of the %(n)s founders developing a business: %(entry)s "
                "at entry, %(exit)s at exit.", n=len(dev),
                entry=fmt_money(dev["revenue_entry"].sum(), self.lang),
                exit=fmt_money(dev["revenue_exit"].sum(), self.lang))))
        outs = [f"founders.{o}.improved" for o in cb.FOUNDER_OUTCOMES]
        blocks.append(self.tests_view(outs, self._(
            "Founders: change between entry and exit on each dimension."), change_note=True))
        # a reading of the data only: the reasons belong to the evaluators
        if self._little_change():
            # each with its own denominator (who answered both questionnaires on it)
            comm, mgmt = (self.row(f"founders.{o}.improved")
                          for o in ("internal_communication", "management"))
            blocks.append(self.para(self._(
                "Internal communication and management changed little (founders who improved: "
                "%(comm)s in internal communication, %(mgmt)s in management).",
                comm=fmt_count(int(comm["numerator"]), int(comm["denominator"]), self.lang),
                mgmt=fmt_count(int(mgmt["numerator"]), int(mgmt["denominator"]), self.lang)),
                "small", tag=self.tag_for([f"founders.{o}.improved"
                                           for o in ("internal_communication", "management")])))
        return self.section("founders", blocks)

    def _little_change(self) -> bool:
        vals = [self.row(f"founders.{o}.improved")["value"]
                for o in ("internal_communication", "management")]
        return all(pd.notna(x) and x <= 0.25 for x in vals)

    def followup(self) -> HTML:
        r = self.results
        m = r.meta.get("followup_months", 3)
        row = self.row("followup.sortie_dynamique")
        if row["verdict"] == "pending":
            later = (self._("The follow-up indicators are not counted as zero.")
                     if r.followup.code == "absent" else self._(
                         "Follow-up indicators will be computed as soon as the follow-up answers "
                         "are entered; they are not counted as zero."))
            return self.section("followup", [v.Pending(r.followup.word(self.lang), " ".join((
                self.note(row), later)))], "session/followup.j2", **self.neutralised())
        # digital sector: a sensitive share, masked when disclosive (privacy.share_is_disclosive)
        # the rate is stated once, with the IAE's denominator (the no-news in it): the rate
        # among respondents, a second definition of the same result, stays in the export only
        blocks: list = [self.sensitive_sentences(["followup.sortie_dynamique",
                                                  "followup.digital_sector"])]
        blocks.append(self.para(self.note(row), "small"))
        # The one masking (self.masking(), the Excel export's too): the followed up, the
        # neutralised exits (never a reason) and the dynamic exits k are exact; "other" and "no
        # news" are both hidden when one is small (privacy.followup_situations_publishable); the
        # detail durable / transition / positive only when each is 0 or >= min_cell.
        ind = r.indicators.set_index("indicator")
        hidden = self.masking()["masked"]
        detail = list(privacy.FOLLOWUP_DETAIL)
        rest = ["followup.other", "followup.non_respondents", "followup.neutralised"]
        detail_ok = not any(hidden.get(i, False) for i in detail)
        situations_ok = not any(hidden.get(i, False) for i in rest)
        if detail_ok and situations_ok:
            sub = ind.loc[detail + rest].reset_index()
            fig = plots.followup_categories(sub, lang=self.lang)
            alt = "; ".join(f"{self.label(rw)} {int(rw['numerator'])}" for _, rw in sub.iterrows())
            blocks.append(self.figure(fig, self._(
                "Learners' situation %(m)s months after the end of the session.", m=m), alt))
        if detail_ok:
            body = [[self.label(ind.loc[i]), int(ind.loc[i, "numerator"])] for i in detail]
        else:
            blocks.append(self.para(self._(
                "The detail of dynamic exits (lasting employment, transitional employment, "
                "positive exit) is not published: at least one of these categories has fewer "
                "than %(min_cell)s people. Only their total is given.", min_cell=self.min_cell),
                "small"))
            body = [[self._("Dynamic exits (lasting, transitional employment, positive exit)"),
                     int(ind.loc["followup.sortie_dynamique", "numerator"])]]
        body += [[self.label(ind.loc[i]),
                  self.hidden_marker if hidden.get(i, False) else int(ind.loc[i, "numerator"])]
                 for i in rest]
        body.append([self._("Learners followed up (every enrolled learner)"),
                     int(ind.loc["followup.neutralised", "denominator"])])
        blocks.append(self.table(
            [self._("Situation"), self._("Learners")], body,
            self._("Situations at follow-up (IAE categories)."), numeric={1}, note=self._(
                "Learners followed up, neutralised exits and dynamic exits are published as they "
                "are, like participation counts: the neutralised exits are the learners followed "
                "up minus the rate's denominator (their reasons are never published). \"Other "
                "situation\" and \"no news\" are both hidden when one of them has 1 to "
                "%(below)s people; the detail of dynamic "
                "exits is published only when each of its categories has 0 or at least "
                "%(min_cell)s people.", below=self.min_cell - 1, min_cell=self.min_cell)))
        return self.section("followup", blocks, "session/followup.j2", **self.neutralised())

    def neutralised(self) -> dict:
        """The situations the dynamic-exit rate sets aside ("sorties neutralisées"), as the
        session lists them (``neutralised_situations``, else the codebook's default), and
        whether they differ from that default (else the report says it is the tool's list)."""
        codes = self.results.meta.get("neutralised_situations") or cb.DEFAULT_NEUTRALISED
        choices = {c.code: c for c in cb.SITUATIONS}
        return {"neutralised": ", ".join(lower_first(choices[c].label(self.lang))
                                         for c in codes if c in choices),
                "neutralised_listed": list(codes) != list(cb.DEFAULT_NEUTRALISED)}
