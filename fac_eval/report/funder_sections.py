"""The session report's sections for a funder: synthèse, objectives and results, context and
activities, costs, perspectives, and the data collection told in the methods.

A mixin of :class:`fac_eval.report.Report` (same helpers: ``row``, ``label``, ``table``…). The
figures come from :mod:`fac_eval.analysis.funder` (objectives against indicators, costs, main findings),
the evaluator's texts from ``session.yml`` (:mod:`fac_eval.data.programme`, already scanned for
personal data when the session is read, and the rendered report is scanned again by the
disclosure gate). Nothing is invented: a section whose data ``session.yml`` does not give is left
out (no budget: no cost section, not even in the table of contents).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd
from IPython.display import HTML

from fac_eval.analysis import funder
from fac_eval.core.formatting import (
    fmt_level,
    fmt_money,
    fmt_number,
    fmt_percent,
    lower_first,
    share_decimals,
)
from fac_eval.data import codebook as cb

from . import narrative
from . import views as v
from .base import BaseReport
from .i18n import N_, NP_

if TYPE_CHECKING:
    from fac_eval.analysis.results import SessionResults
    from fac_eval.data.programme import LocalText, Programme

from .funder_words import (
    ACTIVITIES,
    AIM_KINDS,
    CAVEAT_WORDS,
    _filled,
    _text,
    quoted,
)


class FunderSections(BaseReport):
    """Synthèse, objectives, context, costs and perspectives of the session report."""

    if TYPE_CHECKING:  # defined by fac_eval.report.session.Report, which mixes this class in
        results: SessionResults

        def masking(self) -> pd.DataFrame: ...

        def row(self, indicator: str) -> pd.Series: ...
        def label(self, row: pd.Series) -> str: ...
        def published_indicators(self) -> set[str]: ...
        def everyone(self, row: pd.Series) -> int | None: ...
        def tag_for(self, indicators: list[str], inference: bool = False) -> str: ...
        def card(self, ind: str) -> tuple[str, str]: ...

        @property
        def interim(self) -> bool: ...

        def interim_synthesis_blocks(self, plan_keep: int | None = None) -> list: ...
        def followup_plan(self) -> str: ...
        def quotes(self) -> list[tuple[str, str]]: ...

    # ---- what the session gives ------------------------------------------------------------
    @property
    def programme(self) -> Programme | None:
        return getattr(self.results, "programme", None)

    def _has(self, key: str) -> bool:
        """Whether ``session.yml`` (or, for the concordance, ``claims.yml``) gives what the
        section ``key`` shows."""
        p = self.programme
        if key == "objectives":
            return bool(p and p.objectives)
        if key == "context":  # "context: {}" or "activities: {}" alone give nothing to show
            return bool(p and (_filled(p.context) or _filled(p.activities)))
        if key == "costs":
            return bool(p and p.budget)
        if key == "claims":  # the concordance: only beside a published assessment
            return self.results.claims is not None
        return True

    def _pending(self, indicator: str) -> bool:
        ind = self.results.indicators
        hit = ind.loc[ind["indicator"] == indicator, "verdict"]
        return bool(len(hit)) and hit.iloc[0] == "pending"

    def _short(self, indicator: str) -> str:
        """"Communication interne" for founders.internal_communication.improved."""
        parts = indicator.split(".")
        if len(parts) == 3:
            try:
                return cb.outcome_label(parts[1], self.lang)
            except KeyError:
                pass
        return self.label(self.row(indicator))

    def _hidden(self, indicator: str) -> bool:
        """Whether the one masking (:meth:`masking`, the indicator table's and the Excel
        export's) hides ``indicator``: a small cell, its complement, a cell equal to its whole
        group, a founders' stage of fewer than min_cell, a sensitive share... A hidden figure is
        shown hidden in every section, never as "k sur n"."""
        decided = self.masking()
        return indicator in decided.index and bool(decided.at[indicator, "masked"])

    def quotes_the_publication_in_french(self, text: LocalText) -> bool:
        """Whether ``text`` is the published assessment's French, quoted in an English report:
        the Perspectives section gives the French (``lang="fr"``) with the English as a gloss,
        the synthèse the English said to be a translation."""
        return self.en and self.results.kind == "reconstructed" and bool(text.en)

    def next_items(self) -> tuple[v.Para | None, tuple[str, str | None] | None]:
        """While the follow-up is pending: the sentence saying so and the evaluator's plan
        (``followup_plan``: its text and ``lang`` attribute, None when not given); (None, None)
        once it is in."""
        if not self._pending("followup.sortie_dynamique"):
            return None, None
        p = self.programme
        pending = self.para(self.results.followup.sentence(self.lang))
        if p and p.followup_plan and self.results.followup.code != "absent":
            return pending, _text(p.followup_plan, self.lang)
        return pending, None  # a plan whose date has passed is not what comes next

    # ---- 2. objectives and results ---------------------------------------------------------
    def objectives(self) -> HTML:
        """One row per objective of ``session.yml``: its indicators with "k sur n", caveats."""
        if not self.has_section("objectives"):
            return HTML("")
        assert self.programme is not None
        table = funder.objective_results(self.programme, self.results.indicators)
        # caveats that hold for every result are said once, in the table's note
        everywhere = [c for c in CAVEAT_WORDS if table["caveats"].map(lambda cs, c=c: c in cs).all()]
        order = {"objective": 0, "bridge": 0}
        rows = []
        for i, objective in enumerate(self.programme.objectives, start=1):
            order[objective.kind] += 1
            text, lang = _text(objective.text, self.lang)
            aim = v.Tagged(self._(AIM_KINDS[objective.kind], num=order[objective.kind]), text, lang)
            sub = table[table["objective"] == i]
            results: list = []
            caveats: list = []
            for _, rw in sub.iterrows():
                result, mark = self._result(rw)
                said = list(rw["caveats"])
                if str(rw["indicator"]).startswith("followup.") and \
                        self.results.followup.code == "absent":  # as the report says it
                    said = ["absent" if c == "pending" else c for c in said]
                results.append(v.Marked(self._("%(label)s — %(result)s",
                                               label=self._indicator_name(rw), result=result),
                                        mark))
                # each caveat beside the indicator it holds for, never one for the whole row
                own = [c for c in CAVEAT_WORDS if c in said and c not in everywhere]
                if own:
                    caveats.append(self._(
                        "%(indicator)s: %(caveats)s", indicator=self._short(str(rw["indicator"]))
                        if rw["verdict"] != "missing" else str(rw["indicator"]),
                        caveats=", ".join(self._(CAVEAT_WORDS[c]) for c in own)))
            if objective.caveat is not None:  # the evaluator's own, in its language
                note, note_lang = _text(objective.caveat, self.lang)
                caveats.append(v.Tagged(self.caveat_lead(), note, note_lang))
            rows.append([aim, v.Lines(results), v.Lines(caveats) if caveats else "—"])
        return self.section("objectives", [self.table(
            [self._("Aim"), self._("Indicators and results"), self._("Caveats")], rows,
            self._("The programme's stated aims and the indicators that measure them: result as "
                   "\"k of n\" and the caveats that apply."),
            note=" ".join(filter(None, [self._(
                "Objectives: the programme's own aims; bridges: the aims linking the learners' "
                "course and the founders' incubator."), self._(
                "Caveats that apply to every result: %(caveats)s.",
                caveats=", ".join(self._(CAVEAT_WORDS[c]) for c in everywhere)) if everywhere
                else ""])), tag="")])  # each invented result carries its own marker

    def worded_only(self) -> list[str]:
        """The indicators the publication states in words only, without a figure ("peu évolué":
        claims of kind ``at_most_percent``), in its order; [] without a publication."""
        claims = self.results.claims
        if claims is None or claims.empty or "kind" not in claims.columns:
            return []
        return list(dict.fromkeys(claims.loc[claims["kind"] == "at_most_percent", "indicator"]))

    def caveat_lead(self) -> str:
        """Who gives an objective's caveat: the publication (a reconstruction) or the
        evaluator."""
        return (self._("According to the published assessment:")
                if self.results.kind == "reconstructed" else self._("Evaluator's note:"))

    def objective_caveat(self, indicators: list[str]) -> str:
        """The caveat ``session.yml`` gives an objective measured by one of ``indicators``,
        with who gives it ("Selon le bilan publié : … « ce n'était pas un de leurs
        objectifs »"), said beside those results wherever the report states them; "" when
        none."""
        p = self.programme
        for objective in (p.objectives if p else []):
            if objective.caveat is not None and set(indicators) & set(objective.indicators):
                text = _text(objective.caveat, self.lang)[0].rstrip()
                end = "" if text.endswith((".", "!", "?")) else "."  # said as a sentence
                return f"{self.caveat_lead()} {text}{end}"
        return ""

    def _indicator_name(self, rw: pd.Series) -> str:
        """The indicator's label; for a paired outcome its name alone ("Management"): the
        result beside it says who improved, and "en progrès" before "1 sur 4" read as a
        verdict (funder review G3 for #13)."""
        if rw["verdict"] == "missing":
            return str(rw["indicator"])
        parts = str(rw["indicator"]).split(".")
        if len(parts) == 3 and parts[2] == "improved":
            try:
                return cb.outcome_label(parts[1], self.lang)
            except KeyError:
                pass
        return self.label(self.row(rw["indicator"]))

    def _result(self, rw: pd.Series) -> tuple[str, str]:
        """``(result, marker)``: who and what, counted ("7 apprenants sur 8 (88 %) ont gagné en
        estime de soi"), the sentence of the key figures; the marker when the count is
        illustrative (:meth:`tag_for`)."""
        if rw["verdict"] == "pending" and str(rw["indicator"]).startswith("followup."):
            return lower_first(self.results.followup.word(self.lang)), ""
        if rw["verdict"] == "pending":
            return self._("pending"), ""
        if rw["verdict"] == "missing" or pd.isna(rw["denominator"]):
            return "—", ""
        if self._hidden(str(rw["indicator"])):
            return self._("hidden (small-cell rule)"), ""
        row = self.row(rw["indicator"])
        ind = str(rw["indicator"])
        tag = self.tag_for([ind])
        if tag and self.results.kind == "reconstructed":
            # a count the reconstruction invented is no result of the programme's aims: the
            # publication's words when it words it without a figure, else none (the learners'
            # and founders' sections give the invented count, marked)
            if ind in self.worded_only():
                return self._("little change, according to the published assessment (it gives "
                              "no figure)"), ""
            return self._("no figure in the published assessment"), ""
        sentence = narrative.share_sentence(row, self.lang, with_ci=False,
                                            everyone=self.everyone(row))
        return sentence, tag

    # ---- 3. context and activities ---------------------------------------------------------
    def context(self) -> HTML:
        """Territory and labour market, public and needs, partners, then what was done: only
        what ``session.yml`` gives."""
        if not self.has_section("context"):
            return HTML("")
        p = self.programme
        assert p is not None
        items: list[tuple[str, ...]] = []
        c = p.context
        for field, term in (("territory", N_("Territory and labour market")),
                            ("public", N_("Public and needs identified")),
                            ("partners", N_("Partners"))):
            value = getattr(c, field) if c else None
            if value is not None:
                text, lang = _text(value, self.lang)
                items.append((self._(term), text, lang or ""))
        blocks: list = [v.Definitions(items)] if items else []
        a = p.activities
        if a:
            done = []
            for field, words in ACTIVITIES.items():
                n = getattr(a, field)
                if n is not None:  # "1,5 heure" / "1.5 hours": CLDR's form for the decimals
                    places = max(0, -int(Decimal(n).normalize().as_tuple().exponent))
                    done.append(v.Finding(self.words.nplural(
                        words, self.words.count_form(n, places), num=fmt_number(n, self.lang))))
            if done or a.missions:
                blocks.append(v.Heading(self._("What was done")))
            if done:
                blocks.append(v.Findings(done))
            if a.missions:
                text, lang = _text(a.missions, self.lang)
                blocks.append(self.para(text, lang=lang))
        return self.section("context", blocks)

    # ---- 4. costs --------------------------------------------------------------------------
    def costs(self) -> HTML:
        """Total and funders, then cost per participant, per learner who completed and per
        dynamic exit (once the follow-up is in), in euros (Babel). Only with a budget."""
        if not self.has_section("costs"):
            return HTML("")
        assert self.programme is not None and self.programme.budget is not None
        budget = self.programme.budget
        total = budget.total
        money = lambda x: fmt_money(x, self.lang)  # noqa: E731
        blocks: list = [self.para(self._("The session cost %(total)s in total.",
                                         total=money(total)))]
        if budget.funders:
            rest = total - sum(f.amount for f in budget.funders)
            amounts = [f.amount for f in budget.funders] + ([rest] if rest > 0 else [])
            # as few decimals as let the shares add up to 100 % and no funder show 0 %
            places, adds_up = share_decimals([a / total for a in amounts])
            share = lambda x: fmt_percent(x / total, self.lang, places)  # noqa: E731
            rows = [[v.Phrase(f.name, "fr" if self.en else None), money(f.amount),
                     share(f.amount)] for f in budget.funders]
            if rest > 0:
                rows.append([self._("Not attributed to a funder"), money(rest), share(rest)])
            rows.append([self._("Total cost"), money(total), fmt_percent(1, self.lang)])
            blocks.append(self.table([self._("Funder"), self._("Amount"), self._("Share")], rows,
                                     self._("Funding of the session."), numeric={1, 2},
                                     note="" if adds_up else self._(
                                         "The shares are rounded: they do not add up to exactly "
                                         "%(whole)s.", whole=fmt_percent(1, self.lang))))
        ongoing = bool(getattr(self, "course_ongoing", False))
        table = funder.cost_table(total, self.results.indicators, course_ongoing=ongoing)
        m = self.results.meta.get("followup_months", 3)
        bases = {"participant": self._("Per participant (learners and founders enrolled)"),
                 "learner_completed": self._("Per learner who completed the course"),
                 "sortie_dynamique": self._("Per learner in a dynamic exit at %(m)s months", m=m)}
        rows = []
        for _, rw in table.iterrows():
            if rw["basis"] == "learner_completed" and ongoing:  # not over: no completions
                rows.append([bases[rw["basis"]], "—", self._(
                    "pending: the learners' exit questionnaire is overdue")
                    if getattr(self, "session_ended", False)
                    else self._("pending: the session is not over")])
            elif rw["available"]:
                rows.append([bases[rw["basis"]], fmt_number(rw["count"], self.lang),
                             money(rw["per_unit"])])
            elif rw["reason"] == "pending":
                rows.append([bases[rw["basis"]], "—", self._(
                    "pending: follow-up set aside until the learners' exit questionnaire")
                    if self.results.followup.set_aside
                    else self._("pending: follow-up not collected")])
            else:
                rows.append([bases[rw["basis"]], fmt_number(rw["count"] or 0, self.lang), "—"])
        blocks.append(self.table(
            [self._("Cost"), self._("Number"), self._("Total cost divided by the number")], rows,
            self._("The session's total cost divided by different headcounts (gross ratios, "
                   "not unit costs)."), numeric={1, 2},
            note=self._("The whole budget is divided each time (it also pays for the founders' "
                        "incubator): these are gross ratios, not unit costs; a cost per dynamic "
                        "exit does not mean the programme caused those exits (no comparison group).")))
        return self.section("costs", blocks)

    def cost_line(self) -> v.Para | None:
        """The synthèse's line on costs (a funder's "at what cost"): the total and the cost per
        participant, said to be a gross ratio, pointing to the costs section; None without a
        budget, or without anyone enrolled."""
        if not self.has_section("costs"):
            return None
        assert self.programme is not None and self.programme.budget is not None
        total = self.programme.budget.total
        table = funder.cost_table(total, self.results.indicators,
                                  course_ongoing=bool(getattr(self, "course_ongoing", False)))
        per = table.set_index("basis").loc["participant"]
        if not per["available"]:
            return None
        count = int(per["count"])
        return self.para(self.ngettext(
            "Cost: %(total)s for %(num)s participant enrolled, %(per)s per participant (a gross "
            "ratio): section %(section)s.",
            "Cost: %(total)s for %(num)s participants enrolled, %(per)s per participant (a gross "
            "ratio): section %(section)s.", count,
            num=fmt_number(count, self.lang), total=fmt_money(total, self.lang),
            per=fmt_money(per["per_unit"], self.lang), section=self.sections.index("costs") + 1))

    # ---- 5. perspectives -------------------------------------------------------------------
    def perspectives(self) -> HTML:
        """The evaluator's conclusions and recommendations (``session.yml``), then what the
        indicators point to."""
        p = self.programme
        blocks: list = []
        reconstructed = self.results.kind == "reconstructed"
        headings = {"conclusion": self._("Conclusions of the published assessment (the "
                                         "programme's own text)") if reconstructed
                    else self._("The evaluator's conclusions"),
                    "recommendation": self._("Recommendations of the published assessment (the "
                                             "programme's own text)") if reconstructed
                    else self._("The evaluator's recommendations")}
        for kind, heading in headings.items():
            paragraphs = p.perspectives_of(kind) if p else []
            if paragraphs:
                blocks.append(v.Heading(heading))
            for t in paragraphs:
                if self.quotes_the_publication_in_french(t):  # its French, then a gloss
                    blocks.append(self.para(quoted(t.fr, "fr"), lang="fr"))
                    blocks.append(self.para(self._("In English — %(text)s", text=quoted(
                        t.get("en"), "en")), "small gloss"))
                    continue
                text, lang = _text(t, self.lang)
                blocks.append(self.para(text, lang=lang))
        if p and p.perspectives:
            caveat = self._(
                "These conclusions and recommendations are their authors' reading: the figures of "
                "this report cannot attribute a change to the programme or to any part of it (no "
                "comparison group).")
            if reconstructed and self.quotes():  # the quotes shown are not those it speaks of
                caveat += " " + self._(
                    "The quotes of section %(num)s, written for the demonstration, are not the "
                    "testimonies the programme collected and support none of these conclusions.",
                    num=self.sections.index("testimonies") + 1)
            blocks.append(self.para(caveat, "small"))
        _, plan = self.next_items()
        if plan is not None:  # in full here: the synthèse may shorten it
            blocks += [v.Heading(self._("The planned follow-up")), self.para(plan[0], lang=plan[1])]
        elif p and p.followup_plan and self.results.followup.code == "absent":
            # its date has passed: said in the past, the plan quoted as it was written
            text, lang = _text(p.followup_plan, self.lang)
            # the plan's lead goes on the same paragraph (the printed pages are counted)
            blocks += [v.Heading(self._("The planned follow-up")),
                       self.para(self.results.followup.sentence(self.lang) + " "
                                 + self._("The plan, as written at the time:")),
                       self.para(quoted(text, lang or self.lang), lang=lang)]
        blocks.append(v.Heading(self._("What the data point to")))
        points = self.data_points()
        blocks.append(v.Findings([v.Finding(s, tag=t) for s, t in points]) if points else self.para(
            self._("No indicator calls for a particular point of attention.")))
        return self.section("perspectives", blocks)

    def data_points(self) -> list[tuple[str, str]]:
        """Generated from the indicators: outcomes where fewer than half improved, statements
        fewer than half agreed with, changes too few to test, the follow-up pending or with
        many learners without news; each with its "illustratif" marker when a figure it gives
        was invented by a reconstruction ("" otherwise)."""
        ind = self.results.indicators
        ok = ind[(ind["verdict"] != "pending") & (ind["denominator"].fillna(0) > 0)]
        out = []
        who = {"learners": NP_("Fewer than half of the learners improved on this point: %(list)s.",
                               "Fewer than half of the learners improved on these points: "
                               "%(list)s."),
               "founders": NP_("Fewer than half of the founders improved on this point: %(list)s.",
                               "Fewer than half of the founders improved on these points: "
                               "%(list)s.")}
        for population, sentence in who.items():
            low = ok[(ok["section"] == "outcomes") & (ok["population"] == population)
                     & ok["indicator"].str.endswith(".improved") & (ok["value"] < 0.5)]
            if len(low):
                listed = [self._("%(what)s (%(k)s of %(n)s)", what=lower_first(self._short(i)),
                                 k=fmt_number(k, self.lang), n=fmt_number(n, self.lang))
                          for i, k, n in zip(low["indicator"], low["numerator"], low["denominator"])]
                out.append((self.ngettext(*sentence, len(listed), list=", ".join(listed)),
                            self.tag_for(list(low["indicator"]))))
                caveat = self.objective_caveat(list(low["indicator"]))
                if caveat:  # what their objective says of them, after the (marked) counts
                    out.append((caveat, ""))
        low = ok[(ok["section"] == "declarations") & (ok["value"] < 0.5)]
        if len(low):
            listed = [self._("“%(statement)s” (%(k)s of %(n)s)", statement=self.label(rw),
                             k=fmt_number(rw["numerator"], self.lang),
                             n=fmt_number(rw["denominator"], self.lang))
                      for _, rw in low.iterrows()]
            out.append((self._("Fewer than half of the learners agreed with: %(list)s.",
                               list="; ".join(listed)), self.tag_for(list(low["indicator"]))))
        founders = ok[(ok["section"] == "outcomes") & (ok["population"] == "founders")]
        untestable = founders[founders["verdict"] == "not_testable"]
        pooling = self._("pooling sessions (comparison report) gives more power, but assumes "
                         "the sessions are alike")
        if len(founders) and len(untestable) == len(founders):
            n = int(self.row("founders.enrolled")["numerator"])
            out.append((self.ngettext(
                "With %(num)s founder, no test of their changes can reach the %(alpha)s "
                "threshold: their results stay descriptive; %(pooling)s.",
                "With %(num)s founders, no test of their changes can reach the %(alpha)s "
                "threshold: their results stay descriptive; %(pooling)s.", n, pooling=pooling,
                alpha=fmt_level(self.results.alpha, self.lang)), ""))
        elif len(untestable):
            out.append((self.ngettext(
                "%(num)s of the founders' %(total)s changes cannot be tested (too few people "
                "changed): %(list)s; it stays descriptive; %(pooling)s.",
                "%(num)s of the founders' %(total)s changes cannot be tested (too few people "
                "changed): %(list)s; they stay descriptive; %(pooling)s.", len(untestable),
                total=len(founders), pooling=pooling,
                list=", ".join(lower_first(self._short(i)) for i in untestable["indicator"])),
                self.tag_for(list(untestable["indicator"]), inference=True)))
        if self._pending("followup.sortie_dynamique"):
            out.append((self.results.followup.unknown_outcome(self.lang), ""))
        else:
            nr = self.row("followup.non_respondents")
            decided = self.masking()
            hidden = ("followup.non_respondents" in decided.index
                      and bool(decided.at["followup.non_respondents", "masked"]))
            if pd.notna(nr["denominator"]) and nr["denominator"] and nr["value"] >= 0.25 and hidden:
                # the count is hidden by the small-cell rule in the tables: not given here either
                out.append((self._("Some learners could not be reached at follow-up: the "
                                   "dynamic-exit rate counts them as not in a dynamic exit."), ""))
            elif pd.notna(nr["denominator"]) and nr["denominator"] and nr["value"] >= 0.25:
                out.append((self.ngettext(
                    "%(num)s learner out of %(n)s could not be reached at follow-up: the "
                    "dynamic-exit rate counts them as not in a dynamic exit.",
                    "%(num)s learners out of %(n)s could not be reached at follow-up: the "
                    "dynamic-exit rate counts them as not in a dynamic exit.",
                    int(nr["numerator"]), n=fmt_number(nr["denominator"], self.lang)), ""))
        return out

    # ---- 6. data collection (in the methods) -------------------------------------------------
    def collection_items(self) -> list[tuple[str, str, str]]:
        """(term, text, lang) of ``data_collection``: who administered the questionnaires,
        when, how anonymity was kept."""
        p = self.programme
        dc = p.data_collection if p else None
        out = []
        for field, term in (("administered_by", N_("Questionnaires administered by")),
                            ("when", N_("When")),
                            ("anonymity", N_("How anonymity was kept"))):
            value = getattr(dc, field) if dc else None
            if value is not None:
                text, lang = _text(value, self.lang)  # the evaluator's words, as written
                out.append((self._(term), text, lang or ""))
        return out
