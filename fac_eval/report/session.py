"""The session report: each section of the HTML report as one call.

The notebook ``notebooks/rapport_evaluation.ipynb`` stays thin: it computes a session's results
(:func:`fac_eval.analysis.results.compute_session`), makes a :class:`Report` and displays its sections one
cell at a time. Every section returns an ``IPython.display.HTML`` object rendered from view
models (:mod:`fac_eval.report.views`) by the Jinja2 templates ``templates/session/*.j2``, so the
same notebook reads well in JupyterLab and exports to a self-contained HTML file (figures are
inline PNG with alt text; figures and tables are numbered with captions).

French is the default; ``lang="en"`` gives the English report. Every sentence is a message of
the catalogs (:mod:`fac_eval.report.i18n`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pandas as pd
from IPython.display import HTML

from fac_eval.analysis.results import NAMES_NOT_CHECKED, changes_tested
from fac_eval.analysis.stats.change import reliable_change_threshold
from fac_eval.core.formatting import fmt_ci, fmt_date, fmt_level, fmt_number, fmt_percent, lower_first
from fac_eval.data import codebook as cb
from fac_eval.data.codebook_model import wording
from fac_eval.disclosure import privacy
from fac_eval.report import plots

from . import change_words, evidence_words, interval_notes, narrative
from . import views as v
from .base import BADGES, BANNERS, TITLE, BaseReport
from .i18n import N_
from .interim import InterimSections
from .outcomes import OutcomeSections
from .synthesis import SynthesisSections
from .testimonies import QUOTE_AUTHORS, TestimonySections, data_kind  # noqa: F401

#: Every section a session report can have, in order; a report leaves out those its data cannot
#: fill (objectives, context, costs: see :attr:`Report.sections`).
SECTIONS = ("synthesis", "summary", "objectives", "context", "public", "learners", "founders",
            "followup", "costs", "testimonies", "perspectives", "claims", "methods", "provenance")
#: The sections shown only when session.yml gives what they need.
#: Sections shown only when their data exist: objectives, context and budget in session.yml,
#: a published assessment (claims.yml) for the concordance
OPTIONAL_SECTIONS = ("objectives", "context", "costs", "claims")
ANCHORS = {
    "synthesis": "synthese", "summary": "chiffres-cles", "objectives": "objectifs",
    "context": "contexte", "public": "public", "learners": "apprenants",
    "founders": "porteurs", "followup": "suivi", "costs": "couts", "testimonies": "temoignages",
    "perspectives": "perspectives", "claims": "concordance", "methods": "methodes",
    "provenance": "provenance",
}
TITLES = {
    "synthesis": N_("Summary"),
    "summary": N_("Key figures"),
    "objectives": N_("Objectives and results"),
    "context": N_("Context and activities"),
    "costs": N_("Costs"),
    "perspectives": N_("Perspectives and recommendations"),
    "public": N_("The programme and its participants"),
    "learners": N_("Learners' outcomes"),
    "founders": N_("The founders"),
    "followup": N_("%(m)s-month follow-up and dynamic exits"),
    "testimonies": N_("Testimonies"),
    "claims": N_("Agreement with the published assessment"),
    "methods": N_("Methods and limits"),
    "provenance": N_("Provenance"),
}
#: The report's title when session.yml gives no name.

#: Short names of the sensitive shares when they are masked (privacy.SENSITIVE_SHARES).
SENSITIVE_NAMES = {
    "learners.rqth": N_("RQTH"),
    "learners.unemployed_over_24m": N_("Unemployed for more than 24 months at entry"),
    "followup.digital_sector": N_("Work or training in the digital sector (among dynamic exits)"),
    "followup.sortie_dynamique_respondents": N_("Dynamic exit rate among respondents"),
}

#: Why a learner is or is not in the paired analyses (cleaning's exclusion codes).
EXCLUSIONS = {
    "": N_("Entry and exit answered (analysed)"),
    "dropped_out": N_("Dropped out during the course"),
    "no_entry_questionnaire": N_("No entry questionnaire"),
    "no_exit_questionnaire": N_("No exit questionnaire"),
    "exit_pending": N_("Exit questionnaire not collected yet"),
}

KEY_FIGURES = ("learners.enrolled", "learners.confidence.improved",
               "learners.self_esteem.improved", "learners.autonomy.improved",
               "learners.digital_skills.improved", "learners.value_skills.agree",
               "founders.developed", "followup.sortie_dynamique")


@dataclass
class Report(SynthesisSections, InterimSections, OutcomeSections, TestimonySections, BaseReport):
    """Builds the report of one session, numbering figures and tables as they are shown."""

    SECTIONS: ClassVar[tuple[str, ...]] = SECTIONS
    ANCHORS: ClassVar[dict[str, str]] = ANCHORS

    @property
    def sections(self) -> tuple[str, ...]:
        """The sections of this session's report: the objectives, context and cost sections
        only when ``session.yml`` gives them (no budget: no cost section)."""
        return tuple(k for k in SECTIONS if k not in OPTIONAL_SECTIONS or self._has(k))
    #: kept for callers of the former module: indicator -> short name (msgid)
    SENSITIVE_NAMES: ClassVar[dict[str, str]] = SENSITIVE_NAMES

    # ---- helpers ---------------------------------------------------------------------------
    def row(self, indicator: str) -> pd.Series:
        from fac_eval.analysis.indicators import lookup

        return lookup(self.results.indicators, indicator)

    def label(self, row: pd.Series) -> str:
        return row["label_en"] if self.en else row["label_fr"]

    def note(self, row: pd.Series) -> str:
        return (row["note_en"] if self.en else row["note"]) or ""

    def everyone(self, row: pd.Series) -> int | None:
        """How many people the row's population holds (learners or founders enrolled), so that
        a sentence says "Les 12 apprenants" only when the 12 are all of them. None (the sentence
        may say "all") for the rows whose sentence names the part it counts ("les 2 porteurs de
        projet en création", the follow-up of those who completed)."""
        population = row.get("population")
        if population not in ("learners", "founders") or row.get("section") not in (
                "profile", "outcomes", "declarations"):
            return None
        enrolled = self.row(f"{population}.enrolled")["numerator"]
        return None if pd.isna(enrolled) else int(enrolled)

    def section_title_text(self, key: str) -> str:
        return self._(TITLES[key], m=self.results.meta.get("followup_months", 3))

    def family_size(self, row: pd.Series) -> int:
        """How many tests share the row's Holm family (1 when it has none)."""
        return narrative.holm_family_size(self.results.indicators, row)

    def illustrative_tag(self) -> str:
        """"illustratif" in a reconstructed session's report: the default marker of its figures,
        tables and charts (a published figure, the concordance and the provenance go
        without)."""
        return self._("illustrative") if data_kind(self.results) == "reconstructed" else ""

    def tag_for(self, indicators: list[str], inference: bool = False) -> str:
        """The marker when any of ``indicators`` is illustrative (its count, or with
        ``inference`` its test and intervals: the indicator table's ``evidence`` and
        ``evidence_inference``), else ""."""
        tag = self.illustrative_tag()
        if not tag:
            return ""
        column = "evidence_inference" if inference else "evidence"
        ind = self.results.indicators
        if column not in ind.columns:
            return tag
        rows = ind.loc[ind["indicator"].isin(indicators), column]
        return tag if rows.empty or (rows == "illustrative").any() else ""

    def sentences(self, indicators: list[str], with_test: bool = False) -> v.Findings:
        """A list of findings; with their tests, a p-value at the floor of the exact test is
        said once under the list when several tests share it (:func:`narrative.p_floor`)."""
        items = []
        floors = {ind: narrative.p_floor(self.row(ind), self.family_size(self.row(ind)))
                  for ind in indicators} if with_test else {}
        shared = {k for k in set(floors.values()) - {""}
                  if sum(f == k for f in floors.values()) > 1}
        note = ""
        for kind in sorted(shared):
            at = [i for i, f in floors.items() if f == kind]
            r0 = self.row(at[0])
            note += (" " if note else "") + narrative.floor_sentence(
                kind, int(r0["denominator"]), self.family_size(r0), self.lang, len(at))
        # an interval ending at 0 % or 100 % is said to be one-sided there (narrative.edge_note)
        edges = narrative.edge_note([self.row(i) for i in indicators], self.lang,
                                    self.results.confidence)
        # so is a typical change's interval at the scale's limit or on one value, where the
        # test lines print it (interval_notes.change_edge_note)
        changes = (interval_notes.change_edge_note([self.row(i) for i in indicators],
                                                   self.dimension, self.lang)
                   if with_test else "")
        note = " ".join(filter(None, [note, edges, changes]))
        for ind in indicators:
            r = self.row(ind)
            s = narrative.share_sentence(r, self.lang, level=self.results.confidence,
                                          everyone=self.everyone(r))
            # the Hodges-Lehmann interval with the level it achieves (row's effect_confidence)
            extra = (narrative.test_sentence(r, self.lang, self.results.alpha,
                                             family_size=self.family_size(r),
                                             floor_note=floors.get(ind) not in shared)
                     if with_test else "")
            # one marker per item: at the end of its test line when it has one (a test rests
            # on individual answers); a share alone with its exact interval (which depends on
            # k and n only) is marked when its count is not fixed by the publication
            if extra:
                items.append(v.Finding(s, extra, detail_tag=self.tag_for([ind], inference=True)))
            else:
                items.append(v.Finding(s, "", tag=self.tag_for([ind])))
        return v.Findings(items, note=note)

    # ---- sections --------------------------------------------------------------------------
    def header(self) -> HTML:
        r = self.results
        meta = r.meta
        kind = data_kind(r)
        dates = ""
        if meta.get("start_date") and meta.get("end_date"):
            dates = self._("%(start)s to %(end)s", start=fmt_date(meta["start_date"], self.lang),
                           end=fmt_date(meta["end_date"], self.lang))
        # session.yml may give English versions: name_en, programme_en; the territory is a
        # place name, in French
        french = "fr" if self.en else None
        title = (self.en and meta.get("name_en")) or meta.get("name")
        title_lang = None if not title or (self.en and meta.get("name_en")) else french
        programme = (self.en and meta.get("programme_en")) or meta.get("programme") or ""
        programme_lang = None if not programme or (self.en and meta.get("programme_en")) \
            else french
        kicker = self._("Interim report") if self.interim else self._("Evaluation report")
        out = self.header_view(kicker, title or self._(TITLE, name=r.name), dates, kind,
                               self._(BADGES[kind]), self._(BANNERS[kind]), programme,
                               self.evidence_note(), place=meta.get("territory", ""),
                               title_lang=title_lang, programme_lang=programme_lang,
                               place_lang=french,
                               # a publication gives no dates a reconstruction could rest on
                               subtitle_tag=self.illustrative_tag() if dates else "")
        if self.interim:  # said at the top: what is pending and when
            out = HTML(str(out.data) + self.render_blocks([v.Pending(
                self._("Interim report"), self.interim_banner())]))
        return out

    def evidence_note(self) -> str:
        """A reconstructed session: which figures its publication fixes, which the
        reconstruction had to invent (and marks); see :func:`evidence_words.evidence_note`."""
        if data_kind(self.results) != "reconstructed":
            return ""
        return evidence_words.evidence_note(self, self.results.claims, self.illustrative_tag())

    def key_figures(self) -> HTML:
        """Cards with the headline figures, each led by "k sur n" (never a bare percentage),
        then the null or negative results (:meth:`weak_cards`), then the limits of what they
        show."""
        cards = []
        for ind in KEY_FIGURES:
            cards.append(self.key_card(ind, *self.card(ind)))
        cards += self.weak_cards(KEY_FIGURES)
        return self.section("summary", [v.Cards(cards), self.limits_view(), self.glossary()],
                            "session/key_figures.j2")

    def card(self, ind: str) -> tuple[str, str]:
        """One key-figure card: (big "k sur n", the sentence with its percentage)."""
        r = self.row(ind)
        if ind.endswith(".enrolled"):
            nl, nf = int(r["numerator"]), int(self.row("founders.enrolled")["numerator"])
            big = f"{fmt_number(nl, self.lang)} + {fmt_number(nf, self.lang)}"
            text = self._("%(learners)s and %(founders)s",
                          learners=self.ngettext("%(num)s learner", "%(num)s learners", nl),
                          founders=self.ngettext("%(num)s founder", "%(num)s founders", nf))
        elif r["verdict"] == "pending" and self.interim and r["section"] != "followup":
            big = self._("Pending")  # the banner above says what is awaited and when
            text = self.label(r)
        elif r["verdict"] == "pending" and r["section"] == "followup":
            big = self.results.followup.word(self.lang)  # "Absent de ces données" once past
            text = f"{self.label(r)} — {self.note(r)}"
        elif r["verdict"] == "pending":
            big = self._("Pending")
            text = f"{self.label(r)} — {self.note(r)}"
        elif pd.isna(r["denominator"]) or not r["denominator"]:
            big = "—"
            text = narrative.share_sentence(r, self.lang, with_ci=False, everyone=self.everyone(r))
        else:
            big = self._("%(k)s of %(n)s", k=fmt_number(int(r["numerator"]), self.lang),
                         n=fmt_number(int(r["denominator"]), self.lang))
            text = narrative.headline_sentence(
                narrative.share_sentence(r, self.lang, with_ci=False, everyone=self.everyone(r)), r, self.lang)
        return big, text

    def published_indicators(self) -> set[str]:
        """Indicators whose computed figure is the one the session's published assessment
        (claims.yml) states exactly: the same exemption as the Excel export
        (:func:`fac_eval.disclosure.tables.published_exemptions`)."""
        from fac_eval.disclosure import tables as disclosure

        return disclosure.published_exemptions(self.results.claims)

    def masking(self) -> pd.DataFrame:
        """The one masking of the indicator table (:func:`fac_eval.disclosure.tables.mask_indicators`,
        the Excel export's too), indexed by indicator."""
        from fac_eval.disclosure import tables as disclosure

        return disclosure.mask_indicators(self.results.indicators, self.min_cell,
                                          self.results.claims).set_index("indicator")

    def sensitive_sentences(self, indicators: list[str]) -> v.Findings:
        """Like :meth:`sentences`, but a share the one masking hides (:meth:`masking`: a
        sensitive share that would disclose individuals, :func:`privacy.share_is_disclosive`; the
        follow-up rate among respondents when "other situation" is hidden) is said hidden —
        unless the session's published assessment already states it (then shown, with a note)."""
        items = []
        decided = self.masking()
        for ind in indicators:
            r = self.row(ind)
            sentence = narrative.share_sentence(r, self.lang, level=self.results.confidence,
                                          everyone=self.everyone(r))
            if ind in decided.index and decided.at[ind, "masked"]:
                items.append(v.Finding(self._("%(name)s: count hidden (small-cell rule).",
                                              name=self._(SENSITIVE_NAMES[ind]))))
                continue
            if ind in self.published_indicators():  # fixed by the publication: no marker
                sentence = change_words.published_sentence(  # in the publication's words
                    r, self.results.claims, sentence, self.lang, self.results.confidence)
                items.append(v.Finding(
                    sentence, self._("Figure already published in the assessment."),
                    detail_tag=self.tag_for([ind])))
                continue
            items.append(v.Finding(sentence, tag=self.tag_for([ind])))
        return v.Findings(items)

    def public(self) -> HTML:
        from fac_eval.data.cleaning import flow_counts
        from fac_eval.disclosure import tables as disclosure

        r = self.results
        m = r.meta.get("followup_months", 3)
        blocks: list = [self.sensitive_sentences(self.public_findings())]
        if self.course_ongoing:
            blocks[0].items.append(v.Finding(self.so_far_sentence()))
        counts = self.flow_as_of(disclosure.mask_flow_counts(flow_counts(r.clean.learner_flow), self.masking()))
        # a follow-up without a count says why, as the text does (set aside, absent, to come)
        status = r.followup
        not_collected = (self._("entered, set aside") if status.set_aside
                         else self._("absent from these data") if status.code == "absent"
                         else self._("not collected"))
        fig = plots.participant_flow(counts, lang=self.lang, followup_months=m,
                                     missing_word=not_collected)
        hidden_word = self._("hidden (small-cell rule)")
        # a semicolon between the stages (French spacing before it in French only)
        alt = self._("Learners' flow: %(stages)s", stages=("; " if self.en else " ; ").join(
            f"{lower_first(plots._t(self.lang, 'stage.' + s, months=m))} "
            f"{(hidden_word if h else not_collected if pd.isna(n) else int(n))}"
            for s, n, h in zip(counts["stage"], counts["n"],
                               counts.get("masked", pd.Series(False, index=counts.index)))))
        flow_tag = self.tag_for(["learners.enrolled", "learners.completed"])
        blocks.append(self.figure(fig, self._(
            "Learners' flow from enrolment to follow-up. Every enrolled learner is counted at "
            "each stage reached; the gaps are explained in the next table."), alt, tag=flow_tag))
        blocks += self.exclusions_blocks()
        blocks.append(self.profile_view())
        return self.section("public", blocks, "session/public.j2")

    def exclusions_blocks(self) -> list:
        """Every learner of the raw data accounted for: why someone is not in the paired
        analyses."""
        flow = self.results.clean.learner_flow
        counts = flow["exclusion"].value_counts()
        rows = []
        for code, words in EXCLUSIONS.items():
            n = int(counts.get(code, 0))
            if n or code == "":
                rows.append([self._(words), n])
        body = rows + [[self._("Total enrolled learners"), len(flow)]]
        out: list = [self.table(
            [self._("Situation"), self._("Learners")], body,
            self._("All learners of the raw data, and the reason for each exclusion from the "
                   "paired analyses."), numeric={1},
            tag=self.tag_for(["learners.enrolled", "learners.completed"]),
            note=self._("Participation counts of the cohort: not hidden, so that every enrolled "
                        "person is accounted for; reasons for dropping out follow the small-cell "
                        "rule."))]
        dropped = flow[flow["status"] == "dropped_out"]
        if 0 < len(dropped) < self.min_cell:
            # with so few drop-outs any reason table (even masked) tells someone's reason
            out.append(self.para(self._(
                "Reasons for dropping out not published: fewer than %(min_cell)s drop-outs.",
                min_cell=self.min_cell), "small"))
        elif len(dropped):
            item = cb.LEARNERS_PROFILE.item("dropout_reason")
            reasons_rows = [[c.label_en if self.en else c.label_fr,
                             int((dropped["dropout_reason"] == c.code).sum())]
                            for c in item.choices]
            unknown = int(dropped["dropout_reason"].isna().sum())
            if unknown:
                reasons_rows.append([self._("Not given"), unknown])
            table = pd.DataFrame(reasons_rows, columns=["what", "n"])
            # zeros hidden too, one marker: hidden cells cannot be pinned down by the total
            safe = privacy.suppress_small_cells(table, ["n"], min_cell=self.min_cell,
                                                lang=self.lang, suppress_zeros=True,
                                                marker=self.hidden_marker)
            body = [[w, n] for w, n in zip(safe.table["what"], safe.table["n"])]
            body.append([self._("Total drop-outs"), len(dropped)])
            out.append(self.table([self._("Reason for dropping out"), self._("Learners")], body,
                                  self._("Reasons given for dropping out."),
                                  numeric={1}, note=self.suppression_note(safe)))
        return out

    def exclusions_table(self) -> str:
        """:meth:`exclusions_blocks` rendered (HTML)."""
        return self.render_blocks(self.exclusions_blocks())

    @property
    def hidden_marker(self) -> str:
        """The one text of every hidden cell in published tables ("masqué" / "hidden")."""
        return privacy.HIDDEN_MARKER["en" if self.en else "fr"]

    def suppression_note(self, safe) -> str:
        if not safe.mask.to_numpy().any():
            return ""
        shown = safe.table[list(safe.mask.columns)].astype(str)
        if not (shown == f"< {self.min_cell}").to_numpy().any():  # one marker for every hidden cell
            return self._(
                "\"hidden\": a cell of fewer than %(min_cell)s people (zero included), or a cell "
                "hidden so that it cannot be recomputed by subtraction; the two cases are "
                "deliberately not told apart (statistical confidentiality rule).",
                min_cell=self.min_cell)
        return self._(
            "\"< %(min_cell)s\": fewer than %(min_cell)s, hidden to protect anonymity "
            "(statistical confidentiality rule); \"hidden\": cell hidden so it cannot be "
            "recomputed by subtraction.", min_cell=self.min_cell)

    def profile_view(self) -> v.Table:
        """Gender, age band, education (the indicator table's breakdown rows), small cells
        hidden."""
        ind = self.results.indicators
        rows = ind[ind["section"] == "profile_breakdown"]
        fields = rows["indicator"].str.split(".").str[1]
        shown, notes = [], []
        for field_name, group in rows.groupby(fields, sort=False):
            item = cb.LEARNERS_PROFILE.item(field_name)
            cats = [self.label(rw).split(": ", 1)[-1].split(" : ", 1)[-1]
                    for _, rw in group.iterrows()]
            counts = [int(n) for n in group["numerator"]]
            missing = int(group["n_missing"].iloc[0])
            if missing:  # non-response is a cell of the breakdown too
                cats.append(self._("Not given"))
                counts.append(missing)
            # zeros hidden too (a shown 0 would pin down hidden cells), one marker for all
            safe = privacy.suppress_small_cells(pd.DataFrame({"n": counts}), ["n"],
                                                min_cell=self.min_cell, lang=self.lang,
                                                suppress_zeros=True, marker=self.hidden_marker)
            notes.append(self.suppression_note(safe))
            shown += [[item.label(self.lang), c, n] for c, n in zip(cats, safe.table["n"])]
        return self.table(
            [self._("Characteristic"), self._("Category"), self._("Learners")], shown,
            self._("Learners' profile at entry (counts)."),
            numeric={2}, note=next((n for n in notes if n), ""), grouped=True)

    def profile_breakdown(self) -> str:
        """:meth:`profile_view` rendered (HTML)."""
        return self.render_blocks([self.profile_view()])

    def claims(self) -> HTML:
        r = self.results
        if not self.has_section("claims"):  # no published assessment: no section, no entry
            return HTML("")
        table = r.claims
        assert table is not None
        if self.en:  # the stated and computed figures in the report's language
            from fac_eval.analysis import claims as claims_mod

            table = claims_mod.check_claims(
                r.indicators, claims_mod.load_claims(Path(r.path) / "claims.yml"), lang="en")
        pending = (table["pending"].astype(bool) if "pending" in table.columns
                   else pd.Series(False, index=table.index))
        n_pending = int(pending.sum())
        n = len(table) - n_pending  # a figure not collected yet neither agrees nor differs
        blocks: list = []
        if n:  # the figures, and the statements in words only ("peu évolué") apart
            blocks.append(self.para(evidence_words.concordance_lead(self, table, pending,
                                                                    self.lang)))
        if n_pending:
            blocks.append(self.para(self.ngettext(
                "%(num)s statement is pending: its figure needs a questionnaire not collected "
                "yet; it will be checked once the data are in.",
                "%(num)s statements are pending: their figures need questionnaires not "
                "collected yet; they will be checked once the data are in.", n_pending,
                num=n_pending)))
        if data_kind(r) == "reconstructed":  # what agreement means here
            blocks.append(self.para(self._(
                "What this checks: that the code reproduces the published figures from these "
                "data, which were built to match them. It is not a check of the publication "
                "itself: the participants' actual answers are not available."), "small"))
        agrees, differs = self._("agrees"), self._("does not agree")
        waiting = self._("pending (not collected yet)")
        rows = []
        published = self.published_indicators()
        decided = self.masking()
        masked = set(decided.index[decided["masked"].to_numpy(dtype=bool)])
        hidden = self._("hidden (small-cell rule)")
        for at, c in table.iterrows():
            # the published statement stays in French, marked so in the English report
            mark: v.Mark | str = v.Mark(bool(c["matches"]), agrees if c["matches"] else differs)
            stated, computed = c["stated"], c["computed"]
            ind = str(c["indicator"])
            # with the indicator's English name as the gloss of the French statement
            gloss = (self.label(self.row(ind)) if self.en and ind in
                     set(r.indicators["indicator"]) else "")
            text: object = v.Phrase(c["text"], "fr" if self.en else None, gloss)
            if pending[at]:
                mark = waiting  # words, not a cross: nothing to compare yet
            elif ind in masked:
                # the one masking applies here too: a cell the report hides (a small cell of a
                # breakdown, a founders' stage, a rare theme…) is hidden in the concordance,
                # which still says whether the claim agrees; neither the statement nor its figure
                # is reproduced, whether it agrees (they are the hidden figure) or not (they would
                # rule out one value of it)
                computed = stated = hidden
                text = self._("%(indicator)s (published statement not reproduced: it states "
                              "a figure hidden by the small-cell rule)",
                              indicator=self.label(self.row(ind)))
            elif (ind in SENSITIVE_NAMES and ind not in published
                  and ind in set(r.indicators["indicator"])):
                row = self.row(ind)  # a sensitive figure the publication does not state: masked
                if privacy.share_is_disclosive(ind, row["numerator"], row["denominator"],
                                               self.min_cell):
                    computed = hidden
            if computed not in (hidden, "") and not pending[at] and self.tag_for([ind]):
                computed = v.Marked(computed, self.tag_for([ind]))  # not fixed by the publication
            rows.append([text, stated, computed, mark])
        blocks.append(self.table(
            [self._("Published statement"), self._("Published"), self._("Computed"),
             self._("Agrees")], rows,
            self._("Agreement between the published assessment and the data."), numeric={1, 2},
            tag="", compact=True))
        return self.section("claims", blocks)

    def methods(self) -> HTML:
        alpha = self.results.alpha
        few = narrative.untestable_pairs(alpha)
        scale = cb.SCALES["self_esteem"]
        threshold = reliable_change_threshold(scale.norm_sd, scale.reliability)
        declared_list = getattr(getattr(self.results, "programme", None), "primary_outcomes", None)
        declared = declared_list is not None
        primary = list(declared_list) if declared_list is not None else list(cb.PRIMARY_OUTCOMES)
        tested = changes_tested(self.results.indicators)  # none in an interim report
        return self.section("methods", [], "session/methods.j2",
                            level=fmt_percent(self.results.confidence, self.lang),
                            alpha=fmt_level(alpha, self.lang), few=few,
                            reliability=fmt_number(scale.reliability, self.lang, 2),
                            rci_sd=fmt_number(scale.norm_sd, self.lang, 1),
                            rci_threshold=fmt_number(threshold, self.lang, 1),
                            reliability_source=wording(scale.reliability_source, self.lang),
                            sd_source=lower_first(wording(scale.norm_sd_source, self.lang)),
                            primary_sentence=self.primary_sentence(
                                ", ".join(map(lower_first, outcome_names(primary, self.lang)))
                                or "—", declared),
                            min_cell=self.min_cell, collection=self.collection_items(),
                            learners=int(self.row("learners.enrolled")["numerator"] or 0),
                            half_ci=self.half_interval(),
                            achieved_levels=self.achieved_levels_sentence() if tested else "",
                            no_pairs=not tested)

    def half_interval(self) -> str:
        """The exact interval of a share of one half among this session's learners ("16–84 %"
        for 4 of 8): how wide intervals are here, for the methods."""
        from fac_eval.analysis.stats import proportion_ci

        n = int(self.row("learners.enrolled")["numerator"] or 0)
        if n < 2:
            return ""
        ci = proportion_ci(n // 2, n, confidence=self.results.confidence)
        return fmt_ci(ci.ci_low, ci.ci_high, self.lang, level=self.results.confidence)

    def provenance(self) -> HTML:
        r = self.results
        params = dict(self.parameters)
        params.setdefault("alpha", r.alpha)
        params.setdefault("min_cell", self.min_cell)
        rows = [
            [self._("Session"), r.name],
            [self._("Kind of data"), self._(BADGES[data_kind(r)])],
            [self._("Raw data checksum (SHA-256)"), r.checksum],
        ]
        if data_kind(r) == "real":
            rows.append([self._("List of names"), self._(
                "Checked: quotes were scrubbed of the names of the names file and the report was "
                "searched for them.") if getattr(r, "names_checked", False) else self._(NAMES_NOT_CHECKED)])
        return self.provenance_table(rows + self.provenance_rows(params))


def outcome_names(outcomes, lang: str = "fr") -> list[str]:
    """Labels of paired outcomes (codebook), in order."""
    return [cb.outcome_label(o, lang) for o in outcomes]
