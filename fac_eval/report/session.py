"""The session report: each section of the HTML report as one call.

The notebook ``notebooks/rapport_evaluation.ipynb`` stays thin: it computes a session's results
(:func:`fac_eval.analysis.compute_session`), makes a :class:`Report` and displays its sections one
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

from .. import codebook as cb
from .. import plots, privacy
from ..formatting import fmt_count, fmt_date, fmt_number, fmt_percent
from . import narrative
from . import views as v
from .base import BADGES, BANNERS, BaseReport
from .i18n import N_
from .outcomes import OutcomeSections

SECTIONS = ("summary", "public", "learners", "founders", "followup", "testimonies", "claims",
            "methods", "provenance")
ANCHORS = {
    "summary": "chiffres-cles", "public": "public", "learners": "apprenants",
    "founders": "porteurs", "followup": "suivi", "testimonies": "temoignages",
    "claims": "concordance", "methods": "methodes", "provenance": "provenance",
}
TITLES = {
    "summary": N_("Key figures"),
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
TITLE = N_("Evaluation of session %(name)s")

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
}

#: Who wrote a quote, by population.
QUOTE_AUTHORS = {"learners": N_("a learner"), "founders": N_("a founder")}

KEY_FIGURES = ("learners.enrolled", "learners.confidence.improved",
               "learners.self_esteem.improved", "learners.autonomy.improved",
               "learners.digital_skills.improved", "learners.value_skills.agree",
               "founders.developed", "followup.sortie_dynamique")


def data_kind(results) -> str:
    return results.kind if results.kind in ("reconstructed", "synthetic") else "real"


@dataclass
class Report(OutcomeSections, BaseReport):
    """Builds the report of one session, numbering figures and tables as they are shown."""

    SECTIONS: ClassVar[tuple[str, ...]] = SECTIONS
    ANCHORS: ClassVar[dict[str, str]] = ANCHORS
    #: kept for callers of the former module: indicator -> short name (msgid)
    SENSITIVE_NAMES: ClassVar[dict[str, str]] = SENSITIVE_NAMES

    # ---- helpers ---------------------------------------------------------------------------
    def row(self, indicator: str) -> pd.Series:
        from ..indicators import lookup

        return lookup(self.results.indicators, indicator)

    def label(self, row: pd.Series) -> str:
        return row["label_en"] if self.en else row["label_fr"]

    def note(self, row: pd.Series) -> str:
        return (row["note_en"] if self.en else row["note"]) or ""

    def section_title_text(self, key: str) -> str:
        return self._(TITLES[key], m=self.results.meta.get("followup_months", 3))

    def sentences(self, indicators: list[str], with_test: bool = False) -> v.Findings:
        items = []
        for ind in indicators:
            r = self.row(ind)
            s = narrative.share_sentence(r, self.lang, level=self.results.confidence)
            extra = (narrative.test_sentence(r, self.lang, self.results.alpha,
                                             level=self.results.confidence) if with_test else "")
            items.append(v.Finding(s, extra or ""))
        return v.Findings(items)

    # ---- sections --------------------------------------------------------------------------
    def header(self) -> HTML:
        r = self.results
        meta = r.meta
        kind = data_kind(r)
        dates = ""
        if meta.get("start_date") and meta.get("end_date"):
            dates = self._("%(start)s to %(end)s", start=fmt_date(meta["start_date"], self.lang),
                           end=fmt_date(meta["end_date"], self.lang))
        territory = meta.get("territory", "")
        # session.yml may give English versions: name_en, programme_en
        title = (self.en and meta.get("name_en")) or meta.get("name") or self._(TITLE, name=r.name)
        subtitle = f"{dates}{' · ' if dates and territory else ''}{territory}"
        return self.header_view(self._("Evaluation report"), title, subtitle, kind,
                                self._(BADGES[kind]), self._(BANNERS[kind]),
                                (self.en and meta.get("programme_en"))
                                or meta.get("programme") or "")

    def key_figures(self) -> HTML:
        """Cards with the headline figures, each "k sur n (p %)"."""
        cards = []
        for ind in KEY_FIGURES:
            r = self.row(ind)
            if ind.endswith(".enrolled"):
                nl, nf = int(r["numerator"]), int(self.row("founders.enrolled")["numerator"])
                big = f"{nl} + {nf}"
                text = self._("%(learners)s and %(founders)s",
                              learners=self.ngettext("%(num)s learner", "%(num)s learners", nl),
                              founders=self.ngettext("%(num)s founder", "%(num)s founders", nf))
            elif r["verdict"] == "pending":
                big = self._("Pending")
                text = f"{self.label(r)} — {self.note(r)}"
            elif pd.isna(r["denominator"]) or not r["denominator"]:
                big = "—"
                text = narrative.share_sentence(r, self.lang, with_ci=False)
            else:
                big = fmt_percent(r["value"], self.lang)
                text = narrative.share_sentence(r, self.lang, with_ci=False, with_percent=False)
            cards.append((big, text))
        return self.section("summary", [v.Cards(cards)], "session/key_figures.j2")

    def published_indicators(self) -> set[str]:
        """Indicators whose computed figure is the one the session's published assessment
        (claims.yml) states exactly: the same exemption as the Excel export
        (:func:`fac_eval.disclosure.published_exemptions`)."""
        from .. import disclosure

        return disclosure.published_exemptions(self.results.claims)

    def masking(self) -> pd.DataFrame:
        """The one masking of the indicator table (:func:`fac_eval.disclosure.mask_indicators`,
        the Excel export's too), indexed by indicator."""
        from .. import disclosure

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
            sentence = narrative.share_sentence(r, self.lang, level=self.results.confidence)
            if ind in decided.index and (decided.at[ind, "masked"]
                                         or decided.at[ind, "published_exemption"]):
                if decided.at[ind, "masked"]:
                    items.append(v.Finding(self._("%(name)s: count hidden (small-cell rule).",
                                                  name=self._(SENSITIVE_NAMES[ind]))))
                    continue
                items.append(v.Finding(sentence,
                                       self._("Figure already published in the assessment.")))
                continue
            items.append(v.Finding(sentence))
        return v.Findings(items)

    def public(self) -> HTML:
        from ..cleaning import flow_counts

        r = self.results
        m = r.meta.get("followup_months", 3)
        blocks: list = [self.sensitive_sentences(["learners.unemployed_over_24m", "learners.rqth",
                                                  "learners.completed"])]
        counts = flow_counts(r.clean.learner_flow)
        fig = plots.participant_flow(counts, lang=self.lang, followup_months=m)
        not_collected = self._("not collected")
        alt = self._("Learners' flow: %(stages)s", stages=" ; ".join(
            f"{plots._t(self.lang, 'stage.' + s, months=m)} "
            f"{(not_collected if pd.isna(n) else int(n))}"
            for s, n in zip(counts["stage"], counts["n"])))
        blocks.append(self.figure(fig, self._(
            "Learners' flow from enrolment to follow-up. Every enrolled learner is counted at "
            "each stage reached; the gaps are explained in the next table."), alt))
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
            numeric={2}, note=next((n for n in notes if n), ""))

    def profile_breakdown(self) -> str:
        """:meth:`profile_view` rendered (HTML)."""
        return self.render_blocks([self.profile_view()])

    def testimonies(self) -> HTML:
        r = self.results
        T = r.clean.testimonies
        count = self.row("testimonies.count")
        if T is None or not len(T):
            return self.section("testimonies", [self.para(self._("No testimony collected."))])
        blocks: list = [self.para(self._(
            "%(count)s testimonies were collected; they are coded by theme (a documented list of "
            "themes, insensitive to accents and case).", count=int(count["numerator"])))]
        all_themes = r.indicators[r.indicators["indicator"].str.startswith("testimonies.theme.")]
        # small-cell rule: a theme raised by fewer than min_cell people is named, not counted
        themes_rows = all_themes[all_themes["numerator"] >= self.min_cell]
        rare = all_themes[(all_themes["numerator"] > 0) & (all_themes["numerator"] < self.min_cell)]
        if len(themes_rows):
            fig = plots.theme_bars(themes_rows, lang=self.lang)
            alt = "; ".join(f"{self.label(rw)} {int(rw['numerator'])}"
                            for _, rw in themes_rows.iterrows())
            blocks.append(self.figure(fig, self._(
                "Number of participants mentioning each theme in their testimony."), alt))
        if len(rare):
            names = ", ".join(self.label(rw) for _, rw in rare.iterrows())
            blocks.append(self.para(self._(
                "Mentioned by fewer than %(min_cell)s people (count hidden): %(names)s.",
                min_cell=self.min_cell, names=names), "small"))
        quotes = self.quotes()
        n_consented = self.n_consented_quotes()
        if quotes:
            blocks.append(v.Heading(self._("In their own words")))
            if len(quotes) < n_consented:  # a large session: a readable sample, said as such
                blocks.append(self.para(self.ngettext(
                    "%(num)s testimony may be quoted; %(shown)s are shown below, taken at regular "
                    "intervals in the order of collection.",
                    "%(num)s testimonies may be quoted; %(shown)s are shown below, taken at regular "
                    "intervals in the order of collection.", n_consented, shown=len(quotes)),
                    "small"))
            # the quotes are in French: marked so in the English report
            marks = ("“", "”", "fr") if self.en else ("« ", " »", None)
            blocks.append(v.Quotes([v.Quote(q, who, *marks) for q, who in quotes]))
        not_quoted = len(T) - n_consented
        if not_quoted:
            blocks.append(self.para(self.ngettext(
                "%(num)s testimony without consent to quote: counted in the themes, not quoted.",
                "%(num)s testimonies without consent to quote: counted in the themes, not quoted.",
                not_quoted), "small"))
        return self.section("testimonies", blocks)

    #: At most this many quotes are reproduced; beyond, an evenly spaced sample (said in the text).
    QUOTES_MAX = 20

    def _consented(self) -> pd.DataFrame:
        T = self.results.clean.testimonies
        if T is None:  # no testimony file: no quote (was a TypeError)
            return pd.DataFrame(columns=["text", "population", "consent_quote"])
        keep = [not pd.isna(c) and bool(c) for c in T["consent_quote"]]
        return T[keep]

    def n_consented_quotes(self) -> int:
        return int(len(self._consented()))

    def quotes(self) -> list[tuple[str, str]]:
        """Consented quotes (at most :attr:`QUOTES_MAX`, evenly spaced in the order of
        collection), scrubbed of ids, names, e-mails and phone numbers."""
        T = self._consented()
        if len(T) > self.QUOTES_MAX:
            T = T.iloc[[(2 * i + 1) * len(T) // (2 * self.QUOTES_MAX)
                        for i in range(self.QUOTES_MAX)]]
        out = []
        ids = self.results.participant_ids
        names = self.results.names
        for _, rw in T.iterrows():
            text = privacy.scrub_text(str(rw["text"]), names=names, participant_ids=ids,
                                      lang=self.lang)
            who = QUOTE_AUTHORS.get(rw["population"])
            out.append((text, self._(who) if who else ""))
        return out

    def claims(self) -> HTML:
        r = self.results
        if r.claims is None:
            return self.section("claims", [self.para(self._(
                "No published assessment is attached to this session (no claims.yml file)."))])
        table = r.claims
        if self.en:  # the stated and computed figures in the report's language
            from .. import claims as claims_mod

            table = claims_mod.check_claims(
                r.indicators, claims_mod.load_claims(Path(r.path) / "claims.yml"), lang="en")
        ok = int(table["matches"].sum())
        n = len(table)
        blocks: list = [self.para(self._(
            "Every quantitative statement of the published assessment is recomputed from the "
            "data: %(count)s agree.", count=fmt_count(ok, n, self.lang)))]
        agrees, differs = self._("agrees"), self._("does not agree")
        rows = []
        published = self.published_indicators()
        for _, c in table.iterrows():
            # the published statement stays in French, marked so in the English report
            mark = v.Mark(bool(c["matches"]), agrees if c["matches"] else differs)
            computed = c["computed"]
            ind = str(c["indicator"])
            if ind in SENSITIVE_NAMES and ind not in published and ind in set(r.indicators["indicator"]):
                row = self.row(ind)  # a sensitive figure the publication does not state: masked
                if privacy.share_is_disclosive(ind, row["numerator"], row["denominator"],
                                               self.min_cell):
                    computed = self._("hidden (small-cell rule)")
            rows.append([v.Phrase(c["text"], "fr" if self.en else None), c["stated"],
                         computed, mark])
        blocks.append(self.table(
            [self._("Published statement"), self._("Published"), self._("Computed"),
             self._("Agrees")], rows,
            self._("Agreement between the published assessment and the data."), numeric={1, 2}))
        return self.section("claims", blocks)

    def methods(self) -> HTML:
        from ..stats import min_attainable_p

        alpha = self.results.alpha
        few = next(n for n in range(1, 64) if min_attainable_p(n) <= alpha) - 1
        return self.section("methods", [], "session/methods.j2",
                            level=fmt_percent(self.results.confidence, self.lang),
                            alpha=fmt_percent(alpha, self.lang), few=few,
                            reliability=fmt_number(cb.SCALES["self_esteem"].reliability,
                                                   self.lang, 2),
                            min_cell=self.min_cell)

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
                "searched for them.") if getattr(r, "names_checked", False) else self._(
                "No list of names was checked: without a names file (FAC_EVAL_NAMES_FILE), "
                "quotes were not scrubbed of names and the leak scan did not look for them.")])
        return self.provenance_table(rows + self.provenance_rows(params))


def report_title_from_notebook(nb, lang: str = "fr") -> str:
    """The HTML <title>: the session name stored by the notebook in its metadata, if any."""
    import ast

    from .i18n import messages

    params = {}
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            try:
                tree = ast.parse(cell.source)
                for node in tree.body:
                    if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                            and isinstance(node.targets[0], ast.Name)):
                        params[node.targets[0].id] = node.value.value
            except SyntaxError:
                pass
    session = params.get("session", "")
    return messages(lang)._(TITLE, name=session) + " — Form'Ain Cube"
