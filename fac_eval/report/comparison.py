"""The comparison report: several sessions side by side, their trends and pooled estimates.

:class:`ComparisonReport` shares the session report's numbered figures and tables, header,
table of contents and provenance (:class:`fac_eval.report.base.BaseReport`); its sections are
displayed one per cell by ``notebooks/comparaison_sessions.ipynb``. The figures come from
:func:`fac_eval.analysis.comparison.compare_sessions` (computation only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import pandas as pd
from IPython.display import HTML

from fac_eval.analysis import stats
from fac_eval.analysis.comparison import KEY_INDICATORS, POOLED_INDICATORS, _followed_up, _kind
from fac_eval.core.formatting import (
    fmt_ci,
    fmt_count,
    fmt_date,
    fmt_level,
    fmt_number,
    fmt_percent,
    lower_first,
)
from fac_eval.data import codebook as cb
from fac_eval.disclosure import privacy
from fac_eval.report import plots

from . import narrative
from . import views as v
from .base import BADGES, BANNERS, BaseReport
from .comparison_charts import (
    MIN_SESSIONS_FOR_TREND,
    outcome_short,
    short_label,
    trend_chart,
    waiting_word,
)
from .comparison_funder import ComparisonFunderSections
from .comparison_tests import ComparisonTestSections
from .funder_words import SMALL_GROUP
from .i18n import N_, NP_

if TYPE_CHECKING:
    from fac_eval.analysis.comparison import ComparisonResults

SECTIONS = ("synthesis", "sessions", "indicators", "trends", "pooled", "methods", "provenance")
ANCHORS = {"synthesis": "synthese", "sessions": "sessions", "indicators": "indicateurs",
           "trends": "tendances", "pooled": "ensemble", "methods": "methodes",
           "provenance": "provenance"}
TITLES = {
    "synthesis": N_("Summary"),
    "sessions": N_("The sessions compared"),
    "indicators": N_("Key indicators by session"),
    "trends": N_("Trends across sessions"),
    "pooled": N_("Estimates over all sessions"),
    "methods": N_("Methods and limits"),
    "provenance": N_("Provenance"),
}

#: The title of the trends section with fewer than :data:`MIN_SESSIONS_FOR_TREND` sessions.
TRENDS_FEW_TITLE = N_("Sessions side by side")

#: Beside a chart, the sessions whose figure is not collected yet, by what is awaited
#: (``pending_reason`` of :attr:`fac_eval.analysis.comparison.ComparisonResults.per_session`).
PENDING_FOR = {
    "exit": N_("Pending (exit questionnaires not collected yet) for: %(sessions)s."),
    "followup": N_("Pending (follow-up not collected yet) for: %(sessions)s."),
    "followup_absent": N_("Follow-up absent from these data, its planned date past, for: "
                          "%(sessions)s."),
}

#: What k of n counts, by pooled indicator (counts are named exactly).
COUNT_UNITS: dict[str, tuple[str, str]] = {
    "learners.value_skills.agree": NP_("%(k)s of %(num)s learner who answered (%(percent)s)",
                                       "%(k)s of %(num)s learners who answered (%(percent)s)"),
    "founders.developed": NP_("%(k)s of %(num)s founder who answered (%(percent)s)",
                              "%(k)s of %(num)s founders who answered (%(percent)s)"),
    "followup.sortie_dynamique": NP_(
        "%(k)s of %(num)s learner followed up, neutralised exits excluded (%(percent)s)",
        "%(k)s of %(num)s learners followed up, neutralised exits excluded (%(percent)s)"),
}
#: The unit of every learner outcome's "improved" count.
IMPROVED_UNIT = NP_("%(k)s of %(num)s learner with both questionnaires (%(percent)s)",
                    "%(k)s of %(num)s learners with both questionnaires (%(percent)s)")

#: Beside a pooled figure: a reconstructed or synthetic session it includes.
KIND_FLAGS = {"reconstructed": N_("%(name)s (reconstructed data)"),
              "synthetic": N_("%(name)s (synthetic data)")}
#: The same inside parentheses: in brackets, as typography nests them.
KIND_FLAGS_INNER = {"reconstructed": N_("%(name)s [reconstructed data]"),
                    "synthetic": N_("%(name)s [synthetic data]")}

#: "session 2022: reconstructed data" in the banner, by kind of data.
KIND_OF_SESSIONS = {
    "reconstructed": NP_("session %(names)s: reconstructed data",
                         "sessions %(names)s: reconstructed data"),
    "synthetic": NP_("session %(names)s: synthetic (fictitious) data",
                     "sessions %(names)s: synthetic (fictitious) data"),
}


@dataclass
class ComparisonReport(ComparisonFunderSections, ComparisonTestSections, BaseReport):
    """The comparison report. ``results`` is a :class:`fac_eval.analysis.comparison.ComparisonResults`."""

    if TYPE_CHECKING:
        results: ComparisonResults

    SECTIONS: ClassVar[tuple[str, ...]] = SECTIONS
    ANCHORS: ClassVar[dict[str, str]] = ANCHORS
    #: the sections opening on a grid of charts or a long table
    KEEP_INTRO: ClassVar[frozenset[str]] = frozenset({"indicators", "trends", "pooled"})

    # ---- helpers ---------------------------------------------------------------------------
    def section_title_text(self, key: str) -> str:
        if key == "trends" and not self.has_trend:
            return self._(TRENDS_FEW_TITLE)
        return self._(TITLES[key])

    @property
    def has_trend(self) -> bool:
        """Whether there are enough sessions to speak of a trend (a line, the word)."""
        return len(self.results.sessions) >= MIN_SESSIONS_FOR_TREND

    def named_count(self, indicator: str, k, n) -> str:
        """"10 répondants sur 14 suivis": the pooled count with what it counts."""
        if pd.isna(n) or not n:
            return self._("not measured")
        unit = COUNT_UNITS.get(indicator) or (
            IMPROVED_UNIT if indicator.endswith(".improved") else None)
        if unit is None:
            return fmt_count(int(k), int(n), self.lang)
        return self.words.nplural(unit, int(n), k=fmt_number(int(k), self.lang),
                                  percent=fmt_percent(int(k) / int(n), self.lang))

    def flags(self, sessions: str, inner: bool = False) -> str:
        """The sessions of a pooled figure, each reconstructed or synthetic one flagged; with
        ``inner`` (a list written inside parentheses), the flags are in brackets."""
        kinds = self.results.kinds
        flags = KIND_FLAGS_INNER if inner else KIND_FLAGS
        names = [x for x in str(sessions).split(",") if x]
        return ", ".join(self._(flags[kinds[x]], name=x) if kinds.get(x) in flags
                         else x for x in names)

    def _waiting(self, reason: str) -> str:
        """A session's figure without a value: "en attente", or "absent" for a follow-up whose
        planned date is past (:func:`~fac_eval.report.comparison_charts.waiting_word`, the words
        of the trend chart too)."""
        return waiting_word(reason, self.lang)

    def _count(self, k, n, pending: bool = False) -> str:
        if pending:  # an interim session's figure: not collected yet, not "not measured"
            return self._("pending")
        if pd.isna(n) or not n:
            return self._("not measured")
        return fmt_count(int(k), int(n), self.lang)

    def _ci(self, lo, hi) -> str:
        if pd.isna(lo) or pd.isna(hi):
            return "—"
        text = fmt_ci(lo, hi, self.lang, level=self.results.confidence)
        return text.split(": ")[-1].split("\u00a0: ")[-1].split(" : ")[-1]

    def _period(self, meta) -> str:
        """"mars 2022 – juil. 2022": a compact period for a table cell."""
        from babel.dates import format_date

        from fac_eval.core.formatting import _to_date, locale_for

        a, b = _to_date(meta.get("start_date")), _to_date(meta.get("end_date"))
        if a is None:
            return "—"
        fmt = lambda d: format_date(d, "MMM y", locale=locale_for(self.lang))  # noqa: E731
        return fmt(a) if b is None else f"{fmt(a)} – {fmt(b)}"

    # ---- sections --------------------------------------------------------------------------
    def header(self) -> HTML:
        c = self.results
        kinds = c.kinds
        names = c.names
        first = c.sessions[0].meta.get("start_date")
        last = c.sessions[-1].meta.get("end_date") or c.sessions[-1].meta.get("start_date")
        span = ""
        if first and last:
            span = self._(", %(first)s to %(last)s", first=fmt_date(first, self.lang),
                          last=fmt_date(last, self.lang))
        subtitle = self._("%(n)s sessions: %(names)s%(span)s", n=len(names),
                          names=", ".join(names), span=span)
        special = {k for k in kinds.values() if k != "real"}
        if special:
            banner_kind = "synthetic" if "synthetic" in special else "reconstructed"
            parts = []
            for kind in ("reconstructed", "synthetic"):
                who = [n for n, k in kinds.items() if k == kind]
                if who:
                    parts.append(self.words.nplural(KIND_OF_SESSIONS[kind], len(who),
                                                    names=", ".join(who)))
            listed = parts[0] if len(parts) == 1 else self._(
                "%(first)s; %(second)s", first=parts[0], second=parts[1])
            text = self._(
                "This comparison includes data that are not participants' actual answers — "
                "%(sessions)s. The figures of those sessions, and the pooled estimates that "
                "include them, do not describe real people.", sessions=listed)
            badge = self._("Reconstructed or synthetic data")
        else:
            banner_kind, badge, text = "real", self._(BADGES["real"]), self._(BANNERS["real"])
        # a reconstruction's dates are invented: the span they set is marked
        invented = span and any(k == "reconstructed" for k in kinds.values())
        return self.header_view(self._("Comparison report"),
                                self._("Comparison of Form'Ain Cube sessions"), subtitle,
                                banner_kind, badge, text,
                                subtitle_tag=self._("illustrative") if invented else "")

    def sessions(self) -> HTML:
        """One row per session: dates, kind of data, participants, follow-up."""
        c = self.results
        rows = []
        for s in c.sessions:
            ind = s.indicators.set_index("indicator")
            paired = int(s.clean.learner_flow["exclusion"].eq("").sum())
            # without a count, the session's own report's word (absent once its date is past)
            follow = (lower_first(s.followup.word(self.lang)) if s.clean.followup is None
                      else self._("%(n)s followed up", n=_followed_up(s)))
            interim = s.name in c.interim  # its participants count here, its exit is pending
            rows.append([self._("%(name)s (interim)", name=s.name) if interim else s.name,
                         v.Marked(self._period(s.meta), self._("illustrative")
                                  if _kind(s) == "reconstructed" and s.meta.get("start_date")
                                  else ""), self._(BADGES[_kind(s)]),
                         int(ind.loc["learners.enrolled", "numerator"]),
                         self._("pending") if interim else paired,
                         int(ind.loc["founders.enrolled", "numerator"]), follow])
        table = self.table(
            [self._("Session"), self._("Period"), self._("Data"), self._("Enrolled"),
             self._("Analysed"), self._("Founders"), self._("Follow-up")],
            rows, self._("Sessions compared (each session's totals)."), numeric={3, 4, 5},
            note=self._("Enrolled: learners enrolled; analysed: learners who answered both the "
                        "entry and the exit questionnaires; founders: founders supported; "
                        "follow-up: learners followed up after the end of the session."))
        blocks: list = [table]
        if c.interim:
            blocks.append(self.para(self.interim_sentence(), "callout"))
        return self.section("sessions", [*blocks, *self.cost_blocks()], "comparison/sessions.j2")

    def interim_sentence(self) -> str:
        """What an interim session counts for in the comparison (its flow, not its outcomes)."""
        return self.ngettext(
            "Interim session: %(sessions)s. Its exit questionnaires are not collected yet: its "
            "learners and founders are counted among the participants, but its outcomes "
            "are pending and left out of every pooled figure (never counted as zero).",
            "Interim sessions: %(sessions)s. Their exit questionnaires are not collected yet: "
            "their learners and founders are counted among the participants, but their "
            "outcomes are pending and left out of every pooled figure (never counted as zero).",
            len(self.results.interim), sessions=", ".join(self.results.interim))

    def indicators(self) -> HTML:
        """One forest chart per key indicator: each session's share and interval, the pooled
        share as a diamond."""
        c = self.results
        blocks: list = []
        level = fmt_percent(c.confidence, self.lang)
        for ind in KEY_INDICATORS:
            sub = c.per_session[c.per_session["indicator"] == ind]
            measured = sub[sub["status"] == "measured"]
            waiting_rows = sub[sub["status"] == "pending"]
            waiting = list(waiting_rows["session"])
            missing = list(sub.loc[sub["status"] == "not_measured", "session"])
            pooled = c.pooled_row(ind)
            label = short_label(ind, self.lang)
            missing_note = " ".join(
                self._(PENDING_FOR[reason], sessions=", ".join(
                    waiting_rows.loc[waiting_rows["pending_reason"] == reason, "session"]))
                for reason in PENDING_FOR if (waiting_rows["pending_reason"] == reason).any())
            if measured.empty:  # nothing to draw: not collected yet, or not measured
                blocks.append(self.para(self._(
                    "%(label)s: no figure in the sessions compared.", label=label)
                    + " " + missing_note if waiting else self._(
                    "%(label)s: not measured in the sessions compared.", label=label), "small"))
                continue
            # every session in start-date order, a pending one as a row that says so
            rows = sub[sub["status"].isin(["measured", "pending"])][
                ["session", "numerator", "denominator", "value", "ci_low", "ci_high",
                 "status", "pending_reason"]].copy()
            rows["text"] = [self._waiting(why) if st == "pending" else ""
                            for st, why in zip(rows.pop("status"), rows.pop("pending_reason"))]
            rows["pooled"] = False
            if len(measured) > 1:
                rows = pd.concat([rows, pd.DataFrame([{
                    "session": self._("Overall (%(n)s sessions)", n=len(measured)),
                    "numerator": pooled["numerator"], "denominator": pooled["denominator"],
                    "value": pooled["value"], "ci_low": pooled["ci_low"],
                    "ci_high": pooled["ci_high"], "pooled": True}])], ignore_index=True)
            fig = plots.forest(rows, label_column="session", lang=self.lang, title=label,
                               confidence=c.confidence)
            alt = label + " — " + "; ".join(
                f"{s} {t or self._count(k, n)}" for s, k, n, t in
                zip(rows["session"], rows["numerator"], rows["denominator"],
                    rows["text"].fillna("")))
            if len(measured) > 1:
                caption = self._("%(label)s: share by session and exact %(level)s confidence "
                                 "interval; diamond: all sessions (k and n added up).",
                                 label=label, level=level)
            else:
                caption = self._("%(label)s: share by session and exact %(level)s confidence "
                                 "interval.", label=label, level=level)
            if missing:
                caption += " " + self._("Not measured for: %(sessions)s.",
                                        sessions=", ".join(missing))
            if missing_note:
                caption += " " + missing_note
            if len(measured) > 1:
                caption += " " + self._("Diamond pooled over: %(sessions)s; between sessions "
                                        "%(test)s.", sessions=self.flags(pooled["sessions"]),
                                        test=self.heterogeneity_sentence(pooled, reading=False))
            # the marker when a session's count, or the test of the scores, was invented
            blocks.append(self.figure(fig, caption, alt, tag=self.invented_tag(ind) or (
                self.change_test_tag(pooled) if len(measured) > 1 else "")))
        return self.section("indicators", blocks, "comparison/indicators.j2")

    def trends(self) -> HTML:
        c = self.results
        names = c.names
        fig = trend_chart(c.per_session, KEY_INDICATORS, lang=self.lang, confidence=c.confidence)
        alt_parts = []
        rows = []
        for ind in KEY_INDICATORS:
            sub = c.per_session[c.per_session["indicator"] == ind].set_index("session")
            cells = [self._waiting(sub.at[s, "pending_reason"])
                     if s in sub.index and sub.at[s, "verdict"] == "pending" else
                     self._count(sub.at[s, "numerator"], sub.at[s, "denominator"])
                     if s in sub.index else "—" for s in names]
            rows.append([short_label(ind, self.lang)] + cells)
            alt_parts.append(f"{short_label(ind, self.lang)}: " + ", ".join(
                f"{s} {cell}" for s, cell in zip(names, cells)))
        caption = (self._("Share of each key indicator by session, sessions ordered by start "
                          "date.") if self.has_trend else self._(
            "Share of each key indicator by session, side by side: with fewer than %(min)s "
            "sessions no line joins them and no trend is read.", min=MIN_SESSIONS_FOR_TREND))
        blocks: list = [self.figure(fig, caption, "; ".join(alt_parts))]
        header = [self._("Indicator")]
        for s, sess in zip(names, c.sessions):
            start = sess.meta.get("start_date")
            year = str(pd.Timestamp(start).year) if start else ""
            header.append(s if not year or year in s else f"{s} ({year})")
        blocks.append(self.table(header, rows, self._(
            "Key indicators by session (chronological order): count out of those measured."),
            numeric=set(range(1, len(names) + 1))))
        return self.section("trends", blocks, "comparison/trends.j2", has_trend=self.has_trend,
                            min_sessions=MIN_SESSIONS_FOR_TREND, small=SMALL_GROUP,
                            resamples=fmt_number(stats.heterogeneity.MONTE_CARLO_RESAMPLES,
                                                 self.lang))

    def pooled(self) -> HTML:
        c = self.results
        blocks: list = [self.para(self.threshold_sentence(), "callout")]
        if c.interim:
            blocks.append(self.para(self._(
                "Pooled over the sessions whose figures are collected; left out, still pending: "
                "%(sessions)s (interim).", sessions=", ".join(c.interim))))
        items = []
        for ind in POOLED_INDICATORS:
            r = c.pooled_row(ind)
            if pd.isna(r["denominator"]):
                continue
            row = pd.Series({"indicator": ind, "population": r["population"],
                             "label_fr": r["label_fr"], "label_en": r["label_en"],
                             "numerator": r["numerator"], "denominator": r["denominator"],
                             "ci_low": r["ci_low"], "ci_high": r["ci_high"],
                             "note": "", "note_en": ""})
            detail = self._("Sessions: %(sessions)s.", sessions=self.flags(r["sessions"]))
            if r["heterogeneous"]:
                detail += " " + self._(
                    "Between sessions: %(test)s. This pooled figure describes their participants "
                    "taken together, not a common effect.", test=self.heterogeneity_sentence(r))
            items.append(v.Finding(
                narrative.share_sentence(row, self.lang, level=c.confidence), detail,
                detail_inline=True, tag=self.invented_tag(ind),
                detail_tag=self.change_test_tag(r) if r["heterogeneous"] else ""))
        blocks.append(v.Findings(items))
        rows = []
        for ind in POOLED_INDICATORS:
            r = c.pooled_row(ind)
            rows.append([
                short_label(ind, self.lang, r["label_en"] if self.en else r["label_fr"]),
                self._("%(n)s of %(total)s: %(sessions)s", n=int(r["n_sessions"]),
                       total=int(r["n_sessions_total"]), sessions=self.flags(r["sessions"]))
                if r["sessions"] else "—",
                self.named_count(ind, r["numerator"], r["denominator"]),
                self._ci(r["ci_low"], r["ci_high"]),
                self.heterogeneity_cell(r["het_p"], bool(r["het_exact"])),
            ])
        # a pooled interval ending at 0 % or 100 % is said to be one-sided there
        edges = narrative.edge_note([c.pooled_row(i) for i in POOLED_INDICATORS], self.lang,
                                    c.confidence)
        edges = " " + edges if edges else ""
        blocks.append(self.table(
            [self._("Indicator"), self._("Sessions"), self._("Pooled"),
             self._("%(level)s CI", level=fmt_percent(c.confidence, self.lang)),
             self._("Between sessions (p)")],
            rows, self._("Shares over all sessions (k and n added up) with their exact "
                         "(Clopper-Pearson) confidence interval, and the exact test of whether "
                         "the sessions' shares differ."),
            numeric={2, 3, 4}, note=self._(
                "Sessions: number of sessions where the indicator was measured, out of the "
                "sessions compared, reconstructed or synthetic ones flagged. Between sessions: "
                "Fisher-Freeman-Halton exact test of equal shares in every session (sessions × "
                "yes/no table); a small p-value means the sessions differ and the pooled share "
                "is then only the share of all their participants together. A large one does "
                "not show that they are alike: with a few small sessions the test has little "
                "power.") + edges))
        blocks.append(self.score_tests_table())
        blocks += self.followup_blocks()
        return self.section("pooled", blocks, "comparison/pooled.j2")

    def followup_blocks(self) -> list:
        """Pooled follow-up situations (the one breakdown shown), with the follow-up rule of the
        session reports (:func:`fac_eval.disclosure.privacy.followup_detail_publishable`): accounting totals
        and the dynamic exits' total are exact, "other" is a total; the detail durable /
        transition / positive is shown only when every session's own detail is publishable."""
        F = self.results.followup
        sessions = F.attrs.get("sessions", [])
        if not sessions:
            return [self.para(self._(
                "None of the sessions compared has a collected follow-up yet."), "small")]
        detail_ok = bool(F.attrs.get("detail_publishable", False))
        body = []
        if not detail_ok:
            body.append([self._("Dynamic exits (lasting, transitional employment, positive exit)"),
                         int(F.attrs.get("dynamic", 0))])
        situations_ok = bool(F.attrs.get("situations_publishable", False))
        for _, rw in F.iterrows():
            if rw["indicator"] in privacy.FOLLOWUP_DETAIL and not detail_ok:
                continue
            hide = rw["indicator"] in privacy.FOLLOWUP_SITUATIONS and not situations_ok
            body.append([rw["label_en"] if self.en else rw["label_fr"],
                         privacy.HIDDEN_MARKER["en" if self.en else "fr"] if hide else int(rw["n"])])
        body.append([self._("Learners followed up (every enrolled learner)"),
                     F.attrs.get("followed_up", 0)])
        note = self._("Learners followed up, neutralised exits (reasons never published) and "
                      "dynamic exits are published as they are. \"Other situation\" and \"no "
                      "news\" are hidden when, in one session or together, one of them has 1 to "
                      "%(below)s people.", below=self.min_cell - 1)
        if not detail_ok:
            note += " " + self._(
                "The detail of dynamic exits is not published: in at least one session one of "
                "its categories has fewer than %(min_cell)s people.", min_cell=self.min_cell)
        return [self.table(
            [self._("Situation at follow-up"), self._("Learners")], body,
            self.ngettext("Situations at follow-up (IAE categories), session %(sessions)s.",
                          "Situations at follow-up (IAE categories), sessions %(sessions)s "
                          "together.", len(sessions), sessions=", ".join(sessions)),
            numeric={1}, note=note)]

    def followup_table(self) -> str:
        """:meth:`followup_blocks` rendered (HTML)."""
        return self.render_blocks(self.followup_blocks())

    def methods(self) -> HTML:
        c = self.results
        return self.section("methods", [], "comparison/methods.j2",
                            level=fmt_percent(c.confidence, self.lang),
                            n_outcomes=len(cb.LEARNER_OUTCOMES), min_cell=self.min_cell,
                            primary=", ".join(lower_first(outcome_short(o, self.lang))
                                              for o in cb.LEARNER_OUTCOMES
                                              if o in cb.PRIMARY_OUTCOMES),
                            alpha=fmt_level(c.alpha, self.lang),
                            few=narrative.untestable_pairs(c.alpha),
                            min_sessions=MIN_SESSIONS_FOR_TREND,
                            after_publication=", ".join(s.name for s in c.sessions
                                                        if _kind(s) == "reconstructed"),
                            resamples=fmt_number(stats.heterogeneity.MONTE_CARLO_RESAMPLES,
                                                 self.lang))

    def provenance(self) -> HTML:
        c = self.results
        params = dict(self.parameters)
        params.setdefault("alpha", c.alpha)
        params.setdefault("confidence", c.confidence)
        params.setdefault("min_cell", self.min_cell)
        rows = [[self._("Raw data of %(session)s (SHA-256)", session=s.name), s.checksum]
                for s in c.sessions]
        return self.provenance_table(rows + self.provenance_rows(params))
