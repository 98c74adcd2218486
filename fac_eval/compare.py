"""Several sessions side by side: key indicators per session, trends, pooled estimates.

Three layers, as for one session:

* :func:`compare_sessions` -- pure computation: each session's results
  (:func:`fac_eval.analysis.compute_session`), the key indicators stacked in one table, pooled
  proportions (sum of k / sum of n, Clopper-Pearson) and, for each learner outcome, the exact
  stratified signed-rank test on the pooled entry/exit pairs with sessions as strata
  (:func:`fac_eval.stats.stratified_signed_rank_test`), Holm-adjusted over the outcomes.
* :class:`ComparisonReport` -- the HTML sections (a :class:`fac_eval.report.Report` subclass
  reusing its numbered figures and tables, escaping and stylesheet), displayed one per cell by
  ``notebooks/comparaison_sessions.ipynb``.
* :func:`run_comparison` -- files and processes: executes that notebook with papermill and
  exports ``reports/comparaisons/<name>/comparaison_<name>.html`` atomically after the privacy
  scan (same helpers as :mod:`fac_eval.pipeline`).

Privacy: the comparison shows only aggregates of the sessions (the shares already published in
each session's report) and pooled aggregates; the one breakdown (pooled follow-up situations)
goes through :func:`fac_eval.privacy.suppress_small_cells`; the rendered HTML is scanned for every
participant id of every session.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd
from IPython.display import HTML

from . import codebook as cb
from . import narrative, plots, privacy, report, stats
from .formatting import fmt_ci, fmt_count, fmt_date, fmt_number, fmt_percent, fmt_pvalue
from .report import esc, p_cell

__all__ = [
    "KEY_INDICATORS",
    "POOLED_INDICATORS",
    "ComparisonResults",
    "ComparisonReport",
    "compare_sessions",
    "session_dirs",
    "trend_chart",
    "run_comparison",
    "NOTEBOOK",
]

NOTEBOOK = "comparaison_sessions.ipynb"

#: The key indicators drawn per session (one forest chart each) and followed over time.
KEY_INDICATORS: tuple[str, ...] = (
    "learners.self_esteem.improved",
    "learners.confidence.improved",
    "learners.autonomy.improved",
    "learners.digital_skills.improved",
    "learners.value_skills.agree",
    "founders.developed",
    "followup.sortie_dynamique",
)

#: Rows of the pooled table: every learner outcome (pooled share improved + stratified test),
#: then the key shares without a paired test.
POOLED_INDICATORS: tuple[str, ...] = tuple(f"learners.{o}.improved" for o in cb.LEARNER_OUTCOMES) + (
    "learners.value_skills.agree",
    "founders.developed",
    "followup.sortie_dynamique",
)

#: Short labels for charts and tables (French, English).
SHORT_LABELS: dict[str, tuple[str, str]] = {
    "learners.self_esteem.improved": ("Estime de soi en progrès", "Self-esteem improved"),
    "learners.confidence.improved": ("Confiance en soi en progrès", "Self-confidence improved"),
    "learners.autonomy.improved": ("Autonomie en progrès", "Autonomy improved"),
    "learners.digital_skills.improved": ("Compétences numériques en progrès",
                                         "Digital skills improved"),
    "learners.soft_skills.improved": ("Compétences d'employabilité en progrès",
                                      "Employability soft skills improved"),
    "learners.projection.improved": ("Capacité à se projeter en progrès",
                                     "Ability to project oneself improved"),
    "learners.value_skills.agree": ("Mieux à même de valoriser ses compétences",
                                    "Better able to value their skills"),
    "founders.developed": ("Porteurs : activité développée", "Founders: activity developed"),
    "followup.sortie_dynamique": ("Sortie dynamique (suivi)", "Dynamic exit (follow-up)"),
}

_FOLLOWUP_BREAKDOWN = ("followup.durable", "followup.transition", "followup.positive",
                       "followup.other", "followup.non_respondents", "followup.neutralised")

SECTIONS = ("sessions", "indicators", "trends", "pooled", "methods", "provenance")
ANCHORS = {"sessions": "sessions", "indicators": "indicateurs", "trends": "tendances",
           "pooled": "ensemble", "methods": "methodes", "provenance": "provenance"}
TITLES = {
    "sessions": ("Les sessions comparées", "The sessions compared"),
    "indicators": ("Indicateurs clés par session", "Key indicators by session"),
    "trends": ("Évolution d'une session à l'autre", "Trends across sessions"),
    "pooled": ("Estimations sur l'ensemble des sessions", "Estimates over all sessions"),
    "methods": ("Méthodes et limites", "Methods and limits"),
    "provenance": ("Provenance", "Provenance"),
}



def _outcome_short(outcome: str, lang: str = "fr") -> str:
    """"Estime de soi" for self_esteem: the short label without "en progrès"."""
    ind = f"learners.{outcome}.improved"
    if ind in SHORT_LABELS:
        fr, en = SHORT_LABELS[ind]
        return en.removesuffix(" improved") if lang == "en" else fr.removesuffix(" en progrès")
    return cb.outcome_label(outcome, lang)


def short_label(indicator: str, lang: str = "fr", fallback: str | None = None) -> str:
    if indicator in SHORT_LABELS:
        fr, en = SHORT_LABELS[indicator]
        return en if lang == "en" else fr
    return fallback or indicator


# --------------------------------------------------------------------------------------------
# Computation
# --------------------------------------------------------------------------------------------

@dataclass
class ComparisonResults:
    """Everything the comparison report shows (aggregates only), computed once.

    sessions : the sessions' :class:`fac_eval.analysis.SessionResults`, ordered by start date
        (then name).
    per_session : the key indicators, one row per session and indicator (columns ``session``,
        ``order``, ``start_date``, ``data_kind``, ``indicator``, ``label_fr``, ``label_en``,
        ``population``, ``numerator``, ``denominator``, ``value``, ``ci_low``, ``ci_high``,
        ``p_value``, ``verdict``, ``pooled`` = False).
    pooled : one row per :data:`POOLED_INDICATORS` entry: pooled k / n over the sessions where
        the indicator was measured, Clopper-Pearson interval, and for learner outcomes the
        stratified exact test (``statistic`` = sum of R+, ``expected``, ``n_pairs``,
        ``n_nonzero``, ``p_value``, ``p_holm``, ``min_attainable_p``, ``verdict``).
    tests : learner outcome -> :class:`fac_eval.stats.StratifiedSignedRankResult` (or None when
        no session has a complete pair).
    followup : pooled follow-up situations (``indicator``, ``label_fr``, ``label_en``, ``n``)
        over the sessions whose follow-up was collected (raw counts: use
        :meth:`ComparisonReport.followup_table` to publish them).
    """

    sessions: list
    per_session: pd.DataFrame
    pooled: pd.DataFrame
    tests: dict
    followup: pd.DataFrame
    alpha: float = 0.05
    confidence: float = 0.95
    min_cell: int = 3
    extra: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """Session names (folder names), in start-date order."""
        return [s.name for s in self.sessions]

    @property
    def participant_ids(self) -> list[str]:
        """Every participant id of every session (for the privacy scan)."""
        return sorted({pid for s in self.sessions for pid in s.participant_ids})

    @property
    def person_names(self) -> list[str]:
        return sorted({n for s in self.sessions for n in s.names})

    @property
    def kinds(self) -> dict[str, str]:
        return {s.name: _kind(s) for s in self.sessions}

    @property
    def indicators(self) -> pd.DataFrame:
        """All indicators of all sessions, stacked (the sessions' own tables)."""
        return pd.concat([s.indicators for s in self.sessions], ignore_index=True)

    def pooled_row(self, indicator: str) -> pd.Series:
        hit = self.pooled[self.pooled["indicator"] == indicator]
        if hit.empty:
            raise KeyError(indicator)
        return hit.iloc[0]


def _kind(session) -> str:
    k = session.kind
    return k if k in ("reconstructed", "synthetic") else "real"


def session_dirs(sessions: str | Sequence[str], raw_dir: str | Path) -> list[Path]:
    """``"2022, synth-2024"`` (or a list of names) -> ``[raw_dir/2022, raw_dir/synth-2024]``."""
    names = _session_names(sessions)
    return [Path(raw_dir) / s for s in names]


def _session_names(sessions: str | Sequence[str]) -> list[str]:
    if isinstance(sessions, str):
        items = sessions.split(",")
    else:
        items = list(sessions)
    names = []
    for s in items:
        s = str(s).strip()
        if s and s not in names:
            names.append(s)
    return names


def _start_key(session) -> tuple:
    d = session.meta.get("start_date")
    try:
        day = pd.Timestamp(d).date() if d is not None and str(d) != "" else _dt.date.max
    except (ValueError, TypeError):
        day = _dt.date.max
    return (day, session.name)


def _higher_is_better(outcome: str) -> bool:
    if outcome in cb.SCALES:
        return bool(cb.SCALES[outcome].higher_is_better)
    return bool(cb.find_item(outcome).higher_is_better)


def outcome_differences(session, outcome: str) -> np.ndarray:
    """Exit - entry of one learner outcome over the session's complete pairs (oriented so that a
    positive difference is an improvement; rounded to 10 decimals as in the session tests)."""
    P = session.clean.learner_pairs
    sub = P[P["outcome"] == outcome].dropna(subset=["entry", "exit"])
    if sub.empty:
        return np.zeros(0)
    d, _ = stats.paired_differences(sub["entry"].to_numpy(float), sub["exit"].to_numpy(float))
    return d if _higher_is_better(outcome) else -d


def compare_sessions(
    sessions: Iterable,
    alpha: float = 0.05,
    confidence: float = 0.95,
    min_cell: int = 3,
    raw_dir: str | Path | None = None,
) -> ComparisonResults:
    """Compute the comparison of several sessions.

    ``sessions``: session folders (paths), :class:`fac_eval.analysis.SessionResults` objects,
    or session names -- a list, or a comma-separated string -- resolved under ``raw_dir``.
    Raises ``fac_eval.validation.ValidationError`` for invalid data (as
    :func:`~fac_eval.analysis.compute_session`) and ``ValueError`` for an empty list or a
    session given twice.
    """
    from .analysis import SessionResults, compute_session

    if isinstance(sessions, str):
        if raw_dir is None:
            raise ValueError("a comma-separated list of sessions needs raw_dir")
        sessions = session_dirs(sessions, raw_dir)
    results = []
    for s in sessions:
        if isinstance(s, SessionResults):
            results.append(s)
        else:
            path = Path(s)
            if raw_dir is not None and not path.is_dir() and (Path(raw_dir) / str(s)).is_dir():
                path = Path(raw_dir) / str(s)
            results.append(compute_session(path, alpha=alpha, min_cell=min_cell,
                                           confidence=confidence))
    if not results:
        raise ValueError("no session to compare")
    names = [r.name for r in results]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"session(s) given twice: {', '.join(dupes)}")
    results.sort(key=_start_key)

    per_session = _per_session_table(results)
    tests = {o: _stratified_test(results, o) for o in cb.LEARNER_OUTCOMES}
    pooled = _pooled_table(results, tests, alpha, confidence)
    followup = _pooled_followup(results)
    return ComparisonResults(results, per_session, pooled, tests, followup, alpha=alpha,
                             confidence=confidence, min_cell=min_cell)


def _per_session_table(results) -> pd.DataFrame:
    frames = []
    for order, r in enumerate(results):
        t = r.indicators
        sub = t[t["indicator"].isin(POOLED_INDICATORS)].copy()
        sub["session"] = r.name
        sub["order"] = order
        sub["start_date"] = r.meta.get("start_date")
        sub["end_date"] = r.meta.get("end_date")
        sub["data_kind"] = _kind(r)
        sub["pooled"] = False
        frames.append(sub)
    out = pd.concat(frames, ignore_index=True)
    cols = ["session", "order", "start_date", "end_date", "data_kind", "indicator", "population",
            "label_fr", "label_en", "numerator", "denominator", "value", "ci_low", "ci_high",
            "p_value", "p_adjusted", "verdict", "pooled"]
    rank = {ind: i for i, ind in enumerate(POOLED_INDICATORS)}
    out["_rank"] = out["indicator"].map(rank)
    out = out.sort_values(["_rank", "order"], kind="mergesort").drop(columns="_rank")
    return out[cols].reset_index(drop=True)


def _stratified_test(results, outcome: str):
    strata = {r.name: outcome_differences(r, outcome) for r in results}
    strata = {k: v for k, v in strata.items() if v.size}
    if not strata:
        return None
    return stats.stratified_signed_rank_test(strata, zero_method="pratt", alternative="two-sided")


def _pooled_table(results, tests, alpha: float, confidence: float) -> pd.DataFrame:
    rows = []
    n_sessions = len(results)
    for ind in POOLED_INDICATORS:
        ks, ns, contributing, labels = [], [], [], None
        population = ""
        for r in results:
            row = r.indicators[r.indicators["indicator"] == ind]
            if row.empty:
                continue
            row = row.iloc[0]
            labels = labels or (row["label_fr"], row["label_en"])
            population = row["population"]
            if pd.isna(row["denominator"]) or not row["denominator"]:
                continue
            ks.append(int(row["numerator"]))
            ns.append(int(row["denominator"]))
            contributing.append(r.name)
        rec: dict[str, Any] = dict(
            indicator=ind, population=population,
            label_fr=(labels or ("", ""))[0], label_en=(labels or ("", ""))[1],
            n_sessions=len(contributing), n_sessions_total=n_sessions,
            sessions=",".join(contributing), numerator=np.nan, denominator=np.nan, value=np.nan,
            ci_low=np.nan, ci_high=np.nan, outcome="", statistic=np.nan, expected=np.nan,
            n_pairs=np.nan, n_nonzero=np.nan, p_value=np.nan, p_holm=np.nan,
            min_attainable_p=np.nan, verdict="descriptive", pooled=True,
        )
        if ns and sum(ns) > 0:
            pp = stats.pooled_proportion(ks, ns, confidence=confidence)
            rec.update(numerator=pp.k, denominator=pp.n, value=pp.estimate, ci_low=pp.ci_low,
                       ci_high=pp.ci_high)
        outcome = ind.split(".")[1] if ind.endswith(".improved") and ind.startswith("learners.") else ""
        if outcome:
            rec["outcome"] = outcome
            test = tests.get(outcome)
            if test is None:
                rec["verdict"] = "no_data"
            else:
                rec.update(statistic=test.statistic, expected=test.expected_statistic,
                           n_pairs=test.n, n_nonzero=test.n_nonzero, p_value=test.pvalue,
                           min_attainable_p=test.min_attainable_p,
                           verdict="pending_holm" if test.min_attainable_p <= alpha
                           else "not_testable")
        rows.append(rec)
    table = pd.DataFrame(rows)
    family = table["verdict"] == "pending_holm"
    if family.any():
        adjusted = stats.holm(table.loc[family, "p_value"].to_numpy(float))
        table.loc[family, "p_holm"] = adjusted
        for idx, p_adj in zip(table.index[family], adjusted):
            if p_adj <= alpha:
                up = table.at[idx, "statistic"] > table.at[idx, "expected"]
                table.at[idx, "verdict"] = ("significant_improvement" if up
                                            else "significant_deterioration")
            else:
                table.at[idx, "verdict"] = "no_evidence"
    return table


def _pooled_followup(results) -> pd.DataFrame:
    rows = []
    collected = [r for r in results if r.clean.followup is not None]
    for ind in _FOLLOWUP_BREAKDOWN:
        n = 0
        labels = ("", "")
        for r in collected:
            row = r.indicators[r.indicators["indicator"] == ind]
            if row.empty:
                continue
            labels = (row.iloc[0]["label_fr"], row.iloc[0]["label_en"])
            if pd.notna(row.iloc[0]["numerator"]):
                n += int(row.iloc[0]["numerator"])
        rows.append(dict(indicator=ind, label_fr=labels[0], label_en=labels[1], n=n))
    out = pd.DataFrame(rows, columns=["indicator", "label_fr", "label_en", "n"])
    out.attrs["sessions"] = [r.name for r in collected]
    # followed up = every enrolled learner of the session (the neutralised row's denominator)
    out.attrs["followed_up"] = int(sum(_followed_up(r) for r in collected))
    out.attrs["dynamic"] = int(sum(
        _numerator(r, "followup.sortie_dynamique") for r in collected))
    # the pooled detail of dynamic exits is published only when every session's own detail is
    # (otherwise a session's hidden cell could be recovered from the pooled total minus the
    # other sessions' published details): privacy.followup_detail_publishable, session by session
    out.attrs["detail_publishable"] = all(
        privacy.followup_detail_publishable(
            [_numerator(r, i) for i in privacy.FOLLOWUP_DETAIL], r.min_cell)
        for r in collected)
    return out


def _numerator(r, indicator: str) -> int:
    row = r.indicators[r.indicators["indicator"] == indicator]
    if row.empty or pd.isna(row.iloc[0]["numerator"]):
        return 0
    return int(row.iloc[0]["numerator"])


def _followed_up(r) -> int:
    """Learners followed up in one session: every enrolled learner (see
    :func:`fac_eval.indicators.followup_indicators`)."""
    row = r.indicators[r.indicators["indicator"] == "followup.neutralised"]
    if row.empty or pd.isna(row.iloc[0]["denominator"]):
        return len(r.clean.followup)
    return int(row.iloc[0]["denominator"])


# --------------------------------------------------------------------------------------------
# Trend chart
# --------------------------------------------------------------------------------------------

def trend_chart(per_session: pd.DataFrame, indicators: Sequence[str] = KEY_INDICATORS,
                lang: str = "fr", confidence: float = 0.95) -> "plots.Figure":
    """Small multiples: one panel per indicator, the share per session in start-date order (point
    and exact interval, sessions joined by a line); sessions where the indicator was not measured
    are left empty."""
    from matplotlib.ticker import FixedLocator, FuncFormatter

    lang = plots._lang(lang)
    sessions = (per_session.sort_values("order")["session"].drop_duplicates().tolist())
    n_cols = 2
    n_rows = int(np.ceil(len(indicators) / n_cols))
    fig = plots._new_figure(1.9 * n_rows + 0.5)
    axes = fig.subplots(n_rows, n_cols, squeeze=False, sharex=True, sharey=True)
    x = np.arange(len(sessions))
    for i, ind in enumerate(indicators):
        ax = axes[i // n_cols][i % n_cols]
        plots._style_axes(ax, grid="y")
        sub = per_session[per_session["indicator"] == ind].set_index("session").reindex(sessions)
        v = pd.to_numeric(sub["value"], errors="coerce").to_numpy(float) * 100
        lo = pd.to_numeric(sub["ci_low"], errors="coerce").to_numpy(float) * 100
        hi = pd.to_numeric(sub["ci_high"], errors="coerce").to_numpy(float) * 100
        ok = ~np.isnan(v)
        if ok.any():
            ax.plot(x[ok], v[ok], color=plots.COLORS["blue"], linewidth=1.5, zorder=2)
            ax.errorbar(x[ok], v[ok], yerr=[v[ok] - lo[ok], hi[ok] - v[ok]], fmt="o",
                        color=plots.COLORS["blue"], ecolor=plots.COLORS["sky"], elinewidth=2,
                        markersize=6, markeredgecolor="white", capsize=0, zorder=3)
        for xx, ok_ in zip(x, ok):
            if not ok_:
                ax.text(xx, 50, plots._t(lang, "no_data"), ha="center", va="center", rotation=90,
                        **plots._font(plots.SMALL_SIZE, color=plots.MUTED, fontstyle="italic"))
        ax.set_title(plots._wrap(short_label(ind, lang), 22), loc="left",
                     **plots._font(plots.SMALL_SIZE, fontweight="bold", color=plots.TEXT))
        ax.set_ylim(-4, 104)
        ax.yaxis.set_major_locator(FixedLocator([0, 50, 100]))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _p: fmt_percent(y / 100, lang)))
        ax.set_xlim(-0.5, len(sessions) - 0.5)
        ax.xaxis.set_major_locator(FixedLocator(list(x)))
        ax.set_xticklabels([plots._wrap(s, 12) for s in sessions],
                           **plots._font(plots.SMALL_SIZE, color=plots.TEXT))
        ax.tick_params(axis="x", labelbottom=True)
    for j in range(len(indicators), n_rows * n_cols):
        axes[j // n_cols][j % n_cols].set_axis_off()
    level = fmt_percent(confidence, lang)
    fig.supxlabel(plots._wrap(
        f"Sessions par date de début ; point : part, trait : intervalle de confiance à {level}"
        if lang == "fr" else
        f"Sessions by start date; point: share, line: {level} confidence interval", 56),
        **plots._font(plots.SMALL_SIZE, color=plots.MUTED))
    return fig


# --------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------

@dataclass
class ComparisonReport(report.Report):
    """The comparison report: :class:`fac_eval.report.Report`'s numbered figures and tables,
    escaping and stylesheet, with the comparison's own sections. ``results`` is a
    :class:`ComparisonResults`."""

    # ---- helpers ---------------------------------------------------------------------------
    def section_title(self, key: str, **kw) -> str:
        n = SECTIONS.index(key) + 1
        fr, en = TITLES[key]
        return (f'<h2 id="{ANCHORS[key]}"><span class="secnum">{n}</span> '
                f'{esc(self.tr(fr, en))}</h2>')

    def _count(self, k, n) -> str:
        if pd.isna(n) or not n:
            return self.tr("non mesuré", "not measured")
        return fmt_count(int(k), int(n), self.lang)

    def _ci(self, lo, hi) -> str:
        if pd.isna(lo) or pd.isna(hi):
            return "—"
        text = fmt_ci(lo, hi, self.lang, level=self.results.confidence)
        return text.split(": ")[-1].split("\u00a0: ")[-1].split(" : ")[-1]

    def _kind_word(self, kind: str) -> str:
        return report.t("badge." + kind, self.lang)

    def _period(self, meta) -> str:
        """"mars 2022 – juil. 2022": a compact period for a table cell."""
        from babel.dates import format_date

        from .formatting import _to_date, locale_for

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
        title = self.tr("Comparaison de sessions Form'Ain Cube",
                        "Comparison of Form'Ain Cube sessions")
        first = c.sessions[0].meta.get("start_date")
        last = c.sessions[-1].meta.get("end_date") or c.sessions[-1].meta.get("start_date")
        span = ""
        if first and last:
            span = self.tr(f", du {fmt_date(first, 'fr')} au {fmt_date(last, 'fr')}",
                           f", {fmt_date(first, 'en')} to {fmt_date(last, 'en')}")
        subtitle = self.tr(f"{len(names)} sessions : {', '.join(names)}{span}",
                           f"{len(names)} sessions: {', '.join(names)}{span}")
        special = {k for k in kinds.values() if k != "real"}
        if special:
            banner_kind = "synthetic" if "synthetic" in special else "reconstructed"
            parts = []
            for kind in ("reconstructed", "synthetic"):
                who = [n for n, k in kinds.items() if k == kind]
                if who:
                    parts.append(self.tr(
                        f"{'session' if len(who) == 1 else 'sessions'} {', '.join(who)} : "
                        f"{'données reconstituées' if kind == 'reconstructed' else 'données synthétiques (fictives)'}",
                        f"{'session' if len(who) == 1 else 'sessions'} {', '.join(who)}: "
                        f"{'reconstructed data' if kind == 'reconstructed' else 'synthetic (fictitious) data'}"))
            text = self.tr(
                "Cette comparaison inclut des données qui ne sont pas les réponses réelles de "
                "participants — " + " ; ".join(parts) + ". Les chiffres de ces sessions, et les "
                "estimations sur l'ensemble qui les incluent, ne décrivent pas des personnes "
                "réelles.",
                "This comparison includes data that are not participants' actual answers — "
                + "; ".join(parts) + ". The figures of those sessions, and the pooled estimates "
                "that include them, do not describe real people.")
            badge = self.tr("Données reconstituées ou synthétiques",
                            "Reconstructed or synthetic data")
        else:
            banner_kind, badge = "real", report.t("badge.real", self.lang)
            text = report.t("kind.real", self.lang)
        return self.header_html(self.tr("Rapport de comparaison", "Comparison report"), title,
                                subtitle, banner_kind, badge, text)

    def toc(self) -> HTML:
        return self.toc_html([(ANCHORS[k], self.tr(*TITLES[k])) for k in SECTIONS])

    def sessions(self) -> HTML:
        """One row per session: dates, kind of data, participants, follow-up."""
        c = self.results
        parts = [self.section_title("sessions")]
        parts.append(self.para(self.tr(
            "Les sessions sont classées par date de début. Chaque session a son propre rapport ; "
            "ce rapport les met côte à côte et regroupe leurs résultats.",
            "Sessions are ordered by start date. Each session has its own report; this one puts "
            "them side by side and pools their results."), "lead"))
        rows = []
        for s in c.sessions:
            ind = s.indicators.set_index("indicator")
            paired = int(s.clean.learner_flow["exclusion"].eq("").sum())
            follow = (self.tr("non collecté", "not collected") if s.clean.followup is None
                      else self.tr(f"{_followed_up(s)} suivis",
                                   f"{_followed_up(s)} followed up"))
            rows.append([s.name, self._period(s.meta), self._kind_word(_kind(s)),
                         int(ind.loc["learners.enrolled", "numerator"]), paired,
                         int(ind.loc["founders.enrolled", "numerator"]), follow])
        parts.append(self.table(
            [self.tr("Session", "Session"), self.tr("Période", "Period"),
             self.tr("Données", "Data"), self.tr("Inscrits", "Enrolled"),
             self.tr("Analysés", "Analysed"), self.tr("Porteurs", "Founders"),
             self.tr("Suivi", "Follow-up")],
            rows, self.tr("Sessions comparées (effectifs totaux de chaque session).",
                          "Sessions compared (each session's totals)."), numeric={3, 4, 5},
            note=self.tr(
                "Inscrits : apprenants inscrits ; analysés : apprenants ayant répondu aux "
                "questionnaires d'entrée et de sortie ; porteurs : porteurs de projet accompagnés ; "
                "suivi : apprenants suivis après la fin de la session.",
                "Enrolled: learners enrolled; analysed: learners who answered both the entry and "
                "the exit questionnaires; founders: founders supported; follow-up: learners "
                "followed up after the end of the session.")))
        return HTML("".join(parts))

    def indicators(self) -> HTML:
        """One forest chart per key indicator: each session's share and interval, the pooled
        share as a diamond."""
        c = self.results
        parts = [self.section_title("indicators")]
        parts.append(self.para(self.tr(
            "Pour chaque indicateur clé, chaque session est un point (la part observée) avec son "
            "intervalle de confiance exact ; le losange du bas est l'estimation sur l'ensemble des "
            "sessions où l'indicateur a été mesuré. Des intervalles qui se chevauchent largement "
            "signifient que les sessions ne se distinguent pas au vu de si petits effectifs.",
            "For each key indicator each session is a point (the observed share) with its exact "
            "confidence interval; the diamond at the bottom is the estimate over all the sessions "
            "where the indicator was measured. Widely overlapping intervals mean the sessions "
            "cannot be told apart with so few people."), "lead"))
        for ind in KEY_INDICATORS:
            sub = c.per_session[c.per_session["indicator"] == ind]
            measured = sub[sub["denominator"].fillna(0) > 0]
            missing = [s for s in sub["session"] if s not in set(measured["session"])]
            pooled = c.pooled_row(ind)
            label = short_label(ind, self.lang)
            if measured.empty:
                parts.append(self.para(self.tr(
                    f"{label} : non mesuré dans les sessions comparées.",
                    f"{label}: not measured in the sessions compared."), "small"))
                continue
            rows = measured[["session", "numerator", "denominator", "value", "ci_low",
                             "ci_high"]].copy()
            rows["pooled"] = False
            if len(measured) > 1:
                rows = pd.concat([rows, pd.DataFrame([{
                    "session": self.tr(f"Ensemble ({len(measured)} sessions)",
                                       f"Overall ({len(measured)} sessions)"),
                    "numerator": pooled["numerator"], "denominator": pooled["denominator"],
                    "value": pooled["value"], "ci_low": pooled["ci_low"],
                    "ci_high": pooled["ci_high"], "pooled": True}])], ignore_index=True)
            fig = plots.forest(rows, label_column="session", lang=self.lang, title=label,
                               confidence=c.confidence)
            alt = label + " — " + "; ".join(
                f"{s} {self._count(k, n)}" for s, k, n in
                zip(rows["session"], rows["numerator"], rows["denominator"]))
            caption = self.tr(
                f"{label} : part par session et intervalle de confiance exact à "
                f"{fmt_percent(c.confidence, 'fr')}"
                + (" ; losange : ensemble des sessions (k et n additionnés)." if len(measured) > 1
                   else "."),
                f"{label}: share by session and exact {fmt_percent(c.confidence, 'en')} "
                f"confidence interval" + ("; diamond: all sessions (k and n added up)."
                                          if len(measured) > 1 else "."))
            if missing:
                caption += self.tr(f" Non mesuré pour : {', '.join(missing)}.",
                                   f" Not measured for: {', '.join(missing)}.")
            parts.append(self.figure(fig, caption, alt))
        return HTML("".join(parts))

    def trends(self) -> HTML:
        c = self.results
        parts = [self.section_title("trends")]
        names = c.names
        parts.append(self.para(self.tr(
            "Les mêmes indicateurs, session par session dans l'ordre chronologique. Avec quelques "
            "sessions de moins de 30 personnes, un écart entre deux sessions n'est une tendance "
            "que s'il dépasse nettement la largeur des intervalles.",
            "The same indicators, session by session in chronological order. With a few sessions "
            "of fewer than 30 people, a gap between two sessions is a trend only if it clearly "
            "exceeds the width of the intervals."), "lead"))
        fig = trend_chart(c.per_session, KEY_INDICATORS, lang=self.lang, confidence=c.confidence)
        alt_parts = []
        rows = []
        for ind in KEY_INDICATORS:
            sub = c.per_session[c.per_session["indicator"] == ind].set_index("session")
            cells = [self._count(sub.at[s, "numerator"], sub.at[s, "denominator"])
                     if s in sub.index else "—" for s in names]
            rows.append([short_label(ind, self.lang)] + cells)
            alt_parts.append(f"{short_label(ind, self.lang)}: " + ", ".join(
                f"{s} {cell}" for s, cell in zip(names, cells)))
        parts.append(self.figure(fig, self.tr(
            "Part de chaque indicateur clé par session, sessions classées par date de début.",
            "Share of each key indicator by session, sessions ordered by start date."),
            "; ".join(alt_parts)))
        header = [self.tr("Indicateur", "Indicator")]
        for s, sess in zip(names, c.sessions):
            start = sess.meta.get("start_date")
            year = str(pd.Timestamp(start).year) if start else ""
            header.append(s if not year or year in s else f"{s} ({year})")
        parts.append(self.table(header, rows, self.tr(
            "Indicateurs clés par session (ordre chronologique) : effectif concerné sur effectif "
            "mesuré.", "Key indicators by session (chronological order): count out of those "
            "measured."), numeric=set(range(1, len(names) + 1))))
        return HTML("".join(parts))

    def pooled(self) -> HTML:
        c = self.results
        parts = [self.section_title("pooled")]
        parts.append(self.para(self.tr(
            "Regrouper les sessions donne des effectifs plus grands, donc des intervalles plus "
            "étroits et des tests plus sensibles. Les parts sont calculées en additionnant les "
            "effectifs de toutes les sessions où l'indicateur a été mesuré. Pour les évolutions "
            "entre l'entrée et la sortie, le test exact de Wilcoxon est stratifié par session : "
            "chaque apprenant n'est comparé qu'aux apprenants de sa propre session.",
            "Pooling the sessions gives larger numbers, hence narrower intervals and more "
            "sensitive tests. Shares add up the counts of every session where the indicator was "
            "measured. For entry-to-exit changes the exact Wilcoxon test is stratified by "
            "session: each learner is only compared with learners of the same session."), "lead"))
        parts.append(self.para(self.threshold_sentence(), "callout"))
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
            items.append(f"<li>{esc(narrative.share_sentence(row, self.lang, level=c.confidence))}"
                         f" <span class='test'>{esc(self.tr('Sessions : ', 'Sessions: '))}"
                         f"{esc(str(r['sessions']).replace(',', ', '))}.</span></li>")
        parts.append(f'<ul class="findings">{"".join(items)}</ul>')
        rows = []
        for ind in POOLED_INDICATORS:
            r = c.pooled_row(ind)
            rows.append([
                short_label(ind, self.lang, self.tr(r["label_fr"], r["label_en"])),
                f"{int(r['n_sessions'])}/{int(r['n_sessions_total'])}",
                self._count(r["numerator"], r["denominator"]),
                self._ci(r["ci_low"], r["ci_high"]),
            ])
        parts.append(self.table(
            [self.tr("Indicateur", "Indicator"), self.tr("Sessions", "Sessions"),
             self.tr("Ensemble", "Pooled"),
             self.tr(f"IC {fmt_percent(c.confidence, 'fr')}", f"{fmt_percent(c.confidence, 'en')} CI")],
            rows, self.tr(
                "Parts sur l'ensemble des sessions (k et n additionnés) avec leur intervalle de "
                "confiance exact (Clopper-Pearson).",
                "Shares over all sessions (k and n added up) with their exact (Clopper-Pearson) "
                "confidence interval."),
            numeric={1, 2, 3}, note=self.tr(
                "Sessions : nombre de sessions où l'indicateur a été mesuré, sur le nombre de "
                "sessions comparées.",
                "Sessions: number of sessions where the indicator was measured, out of the "
                "sessions compared.")))
        rows = []
        for outcome in cb.LEARNER_OUTCOMES:
            r = c.pooled_row(f"learners.{outcome}.improved")
            tested = pd.notna(r["p_value"])
            rows.append([
                _outcome_short(outcome, self.lang),
                f"{int(r['n_pairs'])} ({int(r['n_nonzero'])})" if tested else "—",
                (f"{fmt_number(r['statistic'], self.lang)} "
                 f"({fmt_number(r['expected'], self.lang)})") if tested else "—",
                p_cell(r["p_value"], self.lang) if tested else "—",
                p_cell(r["p_holm"], self.lang) if tested else "—",
                self.tr(*report.VERDICT_WORDS.get(r["verdict"], ("", ""))),
            ])
        parts.append(self.table(
            [self.tr("Dimension", "Outcome"), self.tr("Paires (non nulles)", "Pairs (non-zero)"),
             self.tr("Rangs positifs (attendu)", "Positive ranks (expected)"),
             self.tr("p stratifiée", "stratified p"), self.tr("p ajustée (Holm)", "p (Holm)"),
             self.tr("Lecture", "Reading")],
            rows, self.tr(
                "Évolution des apprenants entre l'entrée et la sortie, toutes sessions "
                "regroupées : test exact de Wilcoxon stratifié par session et valeur p ajustée "
                f"(Holm) sur les {len(cb.LEARNER_OUTCOMES)} dimensions.",
                "Learners' change between entry and exit, all sessions together: exact Wilcoxon "
                f"test stratified by session and Holm-adjusted p-value over the "
                f"{len(cb.LEARNER_OUTCOMES)} outcomes."),
            numeric={1, 2, 3, 4}, note=self.tr(
                "Paires : apprenants ayant répondu à l'entrée et à la sortie, toutes sessions "
                "confondues (entre parenthèses, ceux dont le score a changé). Rangs positifs : somme "
                "des rangs des progrès, classés dans chaque session ; sans effet du programme "
                "elle serait proche de la valeur attendue, entre parenthèses.",
                "Pairs: learners who answered at entry and at exit, all sessions together (in "
                "brackets, those whose score changed). Positive ranks: sum of the ranks of the "
                "improvements, ranked within each session; without any effect it would be "
                "close to the expected value, in brackets.")))
        parts.append(self.followup_table())
        return HTML("".join(parts))

    def threshold_sentence(self) -> str:
        """What the pooled number of pairs allows (the smallest attainable p-value)."""
        c = self.results
        tested = c.pooled[c.pooled["outcome"].astype(bool) & c.pooled["n_nonzero"].notna()]
        if tested.empty:
            return self.tr("Aucune paire entrée–sortie complète dans les sessions comparées.",
                           "No complete entry–exit pair in the sessions compared.")
        low, high = int(tested["n_nonzero"].min()), int(tested["n_nonzero"].max())
        span = fmt_number(low, self.lang) if low == high else self.tr(
            f"de {fmt_number(low, 'fr')} à {fmt_number(high, 'fr')}",
            f"{fmt_number(low, 'en')} to {fmt_number(high, 'en')}")
        level = fmt_percent(c.alpha, self.lang)
        head = self.tr(
            f"Toutes sessions regroupées, {span} apprenants ont un score qui a changé selon la "
            f"dimension",
            f"All sessions together, {span} learners changed score depending on the outcome")
        blocked = tested[tested["min_attainable_p"] > c.alpha]
        if blocked.empty:
            min_p = stats.min_attainable_p(low)
            return head + self.tr(
                f" : assez pour qu'un test exact puisse atteindre le seuil de {level} (plus "
                f"petite valeur p possible : {fmt_pvalue(min_p, 'fr')}).",
                f": enough for an exact test to reach the {level} threshold (smallest possible "
                f"p-value: {fmt_pvalue(min_p, 'en')}).")
        which = ", ".join(cb.outcome_label(o, self.lang) for o in blocked["outcome"])
        return head + self.tr(
            f". Pour {which}, trop peu de scores ont changé : aucun test exact bilatéral ne peut "
            f"y atteindre le seuil de {level}, le résultat reste descriptif.",
            f". For {which}, too few scores changed: no exact two-sided test can reach "
            f"{level} there, so the result stays descriptive.")

    def followup_table(self) -> str:
        """Pooled follow-up situations (the one breakdown shown), with the follow-up rule of the
        session reports (:func:`fac_eval.privacy.followup_detail_publishable`): accounting totals
        and the dynamic exits' total are exact, "other" is a total; the detail durable /
        transition / positive is shown only when every session's own detail is publishable."""
        c = self.results
        F = c.followup
        sessions = F.attrs.get("sessions", [])
        if not sessions:
            return self.para(self.tr(
                "Aucune des sessions comparées n'a encore de suivi collecté.",
                "None of the sessions compared has a collected follow-up yet."), "small")
        detail_ok = bool(F.attrs.get("detail_publishable", False))
        body = []
        if not detail_ok:
            body.append([self.tr("Sorties dynamiques (emploi durable, de transition, sortie "
                                 "positive)", "Dynamic exits (lasting, transitional employment, "
                                 "positive exit)"), int(F.attrs.get("dynamic", 0))])
        for _, rw in F.iterrows():
            if rw["indicator"] in privacy.FOLLOWUP_DETAIL and not detail_ok:
                continue
            body.append([self.tr(rw["label_fr"], rw["label_en"]), int(rw["n"])])
        body.append([self.tr("Apprenants suivis (tous les inscrits)",
                             "Learners followed up (every enrolled learner)"),
                     F.attrs.get("followed_up", 0)])
        note = self.tr(
            "Totaux de la cohorte, publiés tels quels : apprenants suivis, sans nouvelles, sorties "
            "neutralisées (motifs jamais publiés), sorties dynamiques ; « autre situation » s'en "
            "déduit.",
            "Cohort totals, published as they are: learners followed up, without news, "
            "neutralised exits (reasons never published), dynamic exits; \"other situation\" "
            "follows from them.")
        if not detail_ok:
            note += " " + self.tr(
                f"Le détail des sorties dynamiques n'est pas publié : dans au moins une session, "
                f"une de ses catégories compte moins de {self.min_cell} personnes.",
                f"The detail of dynamic exits is not published: in at least one session one of "
                f"its categories has fewer than {self.min_cell} people.")
        return self.table(
            [self.tr("Situation au suivi", "Situation at follow-up"),
             self.tr("Apprenants", "Learners")], body,
            self.tr(f"Situations au suivi (catégories IAE), sessions {', '.join(sessions)} "
                    f"regroupées.",
                    f"Situations at follow-up (IAE categories), sessions {', '.join(sessions)} "
                    f"together."), numeric={1}, note=note)

    def methods(self) -> HTML:
        c = self.results
        parts = [self.section_title("methods")]
        level_fr = fmt_percent(c.confidence, "fr")
        level_en = fmt_percent(c.confidence, "en")
        items_fr = [
            ("Chaque session d'abord",
             "Les chiffres de chaque session sont exactement ceux de son propre rapport : mêmes "
             "données, mêmes calculs. Les sessions sont classées par date de début."),
            ("Parts regroupées",
             f"Une part sur l'ensemble additionne les effectifs : par exemple 6 sur 8 dans une "
             f"session et 9 sur 12 dans une autre donnent 15 sur 20. Son intervalle de confiance à "
             f"{level_fr} est exact (Clopper-Pearson). Seules les sessions où l'indicateur a été "
             f"mesuré comptent ; le nombre de sessions est indiqué. Cette part traite les "
             f"participants de toutes les sessions comme un seul groupe : si les sessions diffèrent "
             f"vraiment, l'intervalle ne reflète pas ces différences."),
            ("Test regroupé, stratifié par session",
             "Pour chaque dimension (estime de soi, confiance, autonomie…), les évolutions entre "
             "l'entrée et la sortie sont classées à l'intérieur de chaque session, puis les rangs "
             "des évolutions positives sont additionnés sur toutes les sessions (test de Wilcoxon "
             "des rangs signés stratifié, dans l'esprit de van Elteren). La valeur p est calculée "
             "exactement, en énumérant toutes les répartitions possibles des signes dans chaque "
             "session, ex aequo et évolutions nulles compris ; aucune approximation. Ainsi une "
             "session où l'échelle a été utilisée autrement ne pèse pas plus que les autres."),
            ("Ce que le regroupement permet",
             "Plus il y a de paires, plus un test peut mettre en évidence une évolution : avec 5 "
             "paires ou moins au total, aucun test bilatéral exact ne peut descendre sous 5 %, et "
             "le rapport reste alors descriptif."),
            ("Plusieurs dimensions, une correction",
             f"Les {len(cb.LEARNER_OUTCOMES)} dimensions des apprenants sont testées ensemble : les "
             f"valeurs p sont ajustées par la méthode de Holm ; les deux valeurs sont affichées."),
            ("Limites",
             "Les sessions diffèrent (public, dates, intervenants) et ne sont pas des échantillons "
             "tirés au hasard : un écart entre sessions ne s'explique pas forcément par le "
             "programme. Les réponses sont déclaratives et il n'y a pas de groupe de comparaison. "
             "Les sessions reconstituées ou synthétiques sont signalées en tête du rapport."),
            ("Confidentialité",
             f"Le rapport ne montre que des agrégats de sessions ou de l'ensemble. Dans les tableaux "
             f"de répartition, les cases de moins de {self.min_cell} personnes sont masquées (règle "
             f"de l'INSEE) ; aucune répartition par caractéristique personnelle (âge, sexe, "
             f"handicap) n'est présentée. Au suivi, les totaux (apprenants suivis, sans "
             f"nouvelles, sorties neutralisées, sorties dynamiques) sont exacts ; le détail des "
             f"sorties dynamiques n'est donné que si, dans chaque session, chacune de ses "
             f"catégories compte 0 ou au moins {self.min_cell} personnes. Le rapport est vérifié automatiquement avant publication "
             f"(aucun identifiant de participant, nom, courriel ni téléphone)."),
        ]
        items_en = [
            ("Each session first",
             "Each session's figures are exactly those of its own report: same data, same "
             "computations. Sessions are ordered by start date."),
            ("Pooled shares",
             f"A pooled share adds up the counts: for instance 6 of 8 in one session and 9 of 12 "
             f"in another give 15 of 20. Its {level_en} confidence interval is exact "
             f"(Clopper-Pearson). Only the sessions where the indicator was measured count; their "
             f"number is shown. The pooled share treats the participants of all sessions as one "
             f"group: if the sessions truly differ, the interval does not reflect it."),
            ("Pooled test, stratified by session",
             "For each outcome (self-esteem, confidence, autonomy…) entry-to-exit changes are "
             "ranked within each session, then the ranks of the positive changes are added up "
             "over all sessions (stratified Wilcoxon signed-rank test, in the spirit of van "
             "Elteren). The p-value is exact: every possible arrangement of signs within each "
             "session is enumerated, ties and zero changes included; no approximation. A session "
             "where the scale was used differently does not outweigh the others."),
            ("What pooling allows",
             "The more pairs, the more a test can detect a change: with 5 pairs or fewer in all, "
             "no exact two-sided test can go below 5%, and the report stays descriptive."),
            ("Several outcomes, one correction",
             f"The {len(cb.LEARNER_OUTCOMES)} learner outcomes are tested together: p-values are "
             f"adjusted with Holm's method; both are shown."),
            ("Limits",
             "Sessions differ (participants, dates, trainers) and are not random samples: a gap "
             "between sessions is not necessarily due to the programme. Answers are self-reported "
             "and there is no comparison group. Reconstructed or synthetic sessions are flagged at "
             "the top of the report."),
            ("Confidentiality",
             f"The report shows aggregates of sessions or of all sessions only. In breakdown "
             f"tables, cells of fewer than {self.min_cell} people are hidden (INSEE rule); no "
             f"breakdown by personal characteristic (age, gender, disability) is shown. At "
             f"follow-up the totals (followed up, without news, neutralised, dynamic exits) are "
             f"exact; the detail of dynamic exits is given only when, in every session, each of "
             f"its categories has 0 or at least {self.min_cell} people. The report "
             f"is checked automatically before publication (no participant id, name, e-mail or "
             f"phone number)."),
        ]
        parts.append(self.methods_list(items_en if self.en else items_fr))
        return HTML("".join(parts))

    def provenance(self) -> HTML:
        c = self.results
        params = dict(self.parameters)
        params.setdefault("alpha", c.alpha)
        params.setdefault("confidence", c.confidence)
        params.setdefault("min_cell", self.min_cell)
        rows = [[self.tr(f"Données brutes de {s.name} (SHA-256)", f"Raw data of {s.name} (SHA-256)"),
                 s.checksum] for s in c.sessions]
        return self.provenance_table(rows + self.provenance_rows(params))


# --------------------------------------------------------------------------------------------
# Pipeline: notebook -> HTML
# --------------------------------------------------------------------------------------------

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")


def default_name(sessions: Sequence[str]) -> str:
    """``"2022_synth-2024"``; beyond 60 characters ``"<n>-sessions-<hash>"`` (stable)."""
    joined = "_".join(sessions)
    if len(joined) <= 60 and _NAME_RE.match(joined):
        return joined
    digest = hashlib.sha256("\0".join(sessions).encode()).hexdigest()[:8]
    return f"{len(sessions)}-sessions-{digest}"


def run_comparison(
    sessions: str | Sequence[str],
    name: str | None = None,
    lang: str = "fr",
    paths=None,
    parameters: dict[str, Any] | None = None,
    timeout: int | None = None,
    kernel_name: str = "python3",
    progress: bool = False,
) -> Path:
    """Produce ``reports/comparaisons/<name>/comparaison_<name>.html`` and return its path.

    Steps: the sessions are read, validated and computed in this process (a clear
    :class:`fac_eval.pipeline.RunError` for a missing or invalid session; nothing written); the
    notebook ``notebooks/comparaison_sessions.ipynb`` is executed with papermill (same helper and
    retry as the session pipeline) into a temporary folder beside the target, exported to
    self-contained HTML, scanned for every participant id of every session, and only then
    swapped in place of the previous folder, with the executed notebook and two CSV files of
    the figures shown (``comparaison_<name>_sessions.csv``, ``comparaison_<name>_ensemble.csv``).
    ``parameters`` may override ``alpha``, ``confidence`` and ``min_cell``.
    """
    import nbformat

    from . import outputs, pipeline, session_paths, validation
    from .pipeline import RunError

    paths = paths or pipeline.Paths()
    names = _session_names(sessions)
    label = name or default_name(names) if names else (name or "comparaison")
    en = lang == "en"
    if len(names) < 2:
        got = ", ".join(names) or ("none" if en else "aucune")
        raise RunError(label, (
            f"A comparison needs at least two different sessions (got: {got}). For one session: "
            "fac-eval run SESSION." if en else
            f"Une comparaison demande au moins deux sessions différentes (reçu : {got}). Pour "
            "une seule session : fac-eval run SESSION."), "usage")
    name = name or default_name(names)
    try:  # names, never paths (the one resolver of fac_eval.session_paths)
        session_paths.check_name(name, "comparison", max_len=80)
        session_dirs_ = [session_paths.raw_session_dir(s, paths) for s in names]
    except session_paths.PathGuardError as err:
        raise RunError(name, err.message(lang), "usage") from err
    missing = [s for s, d in zip(names, session_dirs_) if not d.is_dir()]
    if missing:
        known = ", ".join(pipeline.list_sessions(paths)) or "—"
        raise RunError(name, (
            f"Session(s) not found: {', '.join(missing)} (in {paths.raw}). Known sessions: "
            f"{known}" if en else
            f"Session(s) introuvable(s) : {', '.join(missing)} (dans {paths.raw}). Sessions "
            f"connues : {known}"), "missing")

    out_dir = paths.reports / "comparaisons" / name
    try:  # before any work: the output and the lock folder never touch raw data
        session_paths.guard_output(out_dir, paths)
        session_paths.guard_output(paths.processed / outputs.LOCK_DIR, paths)
    except session_paths.PathGuardError as err:
        raise RunError(name, err.message(lang), "path") from err

    t0 = time.perf_counter()
    nb_path = paths.notebooks / NOTEBOOK
    declared = pipeline.notebook_parameters(nb_path)
    params = pipeline.coerce_parameters(declared, dict(parameters or {}), lang)
    params.update(sessions=",".join(names), lang=lang)
    if "raw_dir" in declared:  # a custom notebook that still reads a raw_dir parameter
        params["raw_dir"] = str(paths.raw)
    params = pipeline.coerce_parameters(declared, params, lang)
    options = {k: params[k] for k in ("alpha", "confidence", "min_cell") if k in params}
    try:
        comp = compare_sessions(session_dirs_, **options)
    except validation.ValidationError as err:
        raise RunError(name, validation.format_problems(err.problems, lang=lang), "invalid") from err

    key = f"comparaison~{name}"
    with outputs.session_lock(key, paths, lang), \
            outputs.Staging(key, [out_dir], paths) as staging:
        tmp = staging[out_dir]
        executed = tmp / f"comparaison_{name}.ipynb"
        with pipeline.kernel_environment(paths):
            pipeline._execute(nb_path, executed, params, timeout or pipeline.DEFAULT_TIMEOUT,
                              kernel_name, progress, name)
        nb = nbformat.read(str(executed), as_version=4)
        nb.metadata["title"] = (
            f"Comparaison de sessions ({', '.join(comp.names)}) — Form'Ain Cube" if lang != "en"
            else f"Comparison of sessions ({', '.join(comp.names)}) — Form'Ain Cube")
        nbformat.write(nb, str(executed))
        html = pipeline.export_html(executed, lang=lang)
        leaks = privacy.find_leaks(html, participant_ids=comp.participant_ids,
                                   names=comp.person_names)
        if leaks:
            raise RunError(name, privacy.LeakError(leaks).message(lang), "leak")
        (tmp / f"comparaison_{name}.html").write_text(html, encoding="utf-8")
        comp.per_session.to_csv(tmp / f"comparaison_{name}_sessions.csv", index=False,
                                encoding="utf-8-sig", lineterminator="\n")
        comp.pooled.to_csv(tmp / f"comparaison_{name}_ensemble.csv", index=False,
                           encoding="utf-8-sig", lineterminator="\n")
        staging.commit()
    comp.extra["seconds"] = time.perf_counter() - t0
    return out_dir / f"comparaison_{name}.html"
