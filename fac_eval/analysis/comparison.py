"""Several sessions side by side: key indicators per session, trends, pooled estimates.

Three layers, as for one session:

* :func:`compare_sessions` -- pure computation: each session's results
  (:func:`fac_eval.analysis.results.compute_session`), the key indicators stacked in one table, pooled
  proportions (sum of k / sum of n, Clopper-Pearson) and, for each learner outcome, the exact
  stratified signed-rank test on the pooled entry/exit pairs with sessions as strata
  (:func:`fac_eval.analysis.stats.stratified_signed_rank_test`), Holm-adjusted over the outcomes.
* :class:`fac_eval.report.comparison.ComparisonReport` -- the HTML sections (sharing the session
  report's numbered figures and tables, header and provenance), displayed one per cell by
  ``notebooks/comparaison_sessions.ipynb``.
* :func:`fac_eval.run.compare_run.run_comparison` -- files and processes: executes that notebook with papermill and
  exports ``reports/comparaisons/<name>/comparaison_<name>.html`` atomically after the privacy
  scan (same helpers as :mod:`fac_eval.run.pipeline`).

Privacy: the comparison shows only aggregates of the sessions (the shares already published in
each session's report) and pooled aggregates; the one breakdown (pooled follow-up situations)
goes through :func:`fac_eval.disclosure.privacy.suppress_small_cells`; the rendered HTML is scanned for every
participant id of every session.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fac_eval.analysis import stats
from fac_eval.data import codebook as cb
from fac_eval.disclosure import privacy

from .verdict import verdict

__all__ = [
    "KEY_INDICATORS",
    "POOLED_INDICATORS",
    "ComparisonResults",
    "Contributors",
    "contributors_of",
    "compare_sessions",
    "session_dirs",
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

_FOLLOWUP_BREAKDOWN = ("followup.durable", "followup.transition", "followup.positive",
                       "followup.other", "followup.non_respondents", "followup.neutralised")

# --------------------------------------------------------------------------------------------
# Computation
# --------------------------------------------------------------------------------------------

@dataclass
class ComparisonResults:
    """Everything the comparison report shows (aggregates only), computed once.

    sessions : the sessions' :class:`fac_eval.analysis.results.SessionResults`, ordered by start date
        (then name).
    per_session : the key indicators, one row per session and indicator (columns ``session``,
        ``order``, ``start_date``, ``data_kind``, ``indicator``, ``label_fr``, ``label_en``,
        ``population``, ``numerator``, ``denominator``, ``value``, ``ci_low``, ``ci_high``,
        ``p_value``, ``verdict``, ``pooled`` = False, ``status``: ``measured``, ``pending`` --
        not collected yet, ``pending_reason`` ``exit`` or ``followup`` -- or ``not_measured``).
    pooled : one row per :data:`POOLED_INDICATORS` entry: pooled k / n over the sessions where
        the indicator was measured, Clopper-Pearson interval, and for learner outcomes the
        stratified exact test (``statistic`` = sum of R+, ``expected``, ``n_pairs``,
        ``n_nonzero``, ``p_value``, ``p_holm``, ``min_attainable_p``, ``verdict``; ``role``:
        primary outcomes of the codebook form the Holm family, secondary ones keep their raw p).
        Heterogeneity between sessions, beside every pooled figure: ``het_p`` (exact
        Fisher-Freeman-Halton test on the sessions x improved/not table, :func:`fac_eval.analysis.stats.
        freeman_halton`), for learner outcomes ``interaction_p`` (permutation test of the
        session x change interaction on the paired scores, :func:`fac_eval.analysis.stats.
        interaction_permutation_test`), ``heterogeneous`` (one of them <= alpha: pooling is
        then presented as such) and ``flagged_sessions`` (``name:kind`` of the reconstructed or
        synthetic sessions in the pool). ``pending_sessions``: the interim sessions whose figure
        is not collected yet (left out of the pool, never counted as zero).
    tests : learner outcome -> :class:`fac_eval.analysis.stats.StratifiedSignedRankResult` (or None when
        no session has a complete pair).
    contributors : :class:`Contributors`, who the pooled figures are the answers of (the
        sessions named in ``pooled``; an interim session's participants are not among them).
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
    contributors: Contributors | None = None

    def __post_init__(self) -> None:
        if self.contributors is None:
            self.contributors = contributors_of(self.sessions, self.pooled)

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
    def interim(self) -> list[str]:
        """Sessions whose exit questionnaires are not collected yet (:mod:`fac_eval.data.interim`):
        their participants count in the sessions' table, their pending figures in no pooled
        one."""
        return [s.name for s in self.sessions if getattr(s, "interim", False)]

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


@dataclass(frozen=True)
class Contributors:
    """Who the pooled results are the answers of (an interim session's participants are not).

    sessions : the sessions with at least one figure in the pooled table (start-date order).
    pending : the interim sessions (exit questionnaires not collected yet): none of their
        outcomes is in a pooled figure.
    learners_exit / learners_paired : learners of the contributing sessions who answered the
        exit questionnaire / both the entry and the exit ones (the pooled tests' pairs).
    founders_exit : founders of the contributing sessions who answered their exit questionnaire.
    pending_learners / pending_founders : learners and founders enrolled in the pending
        sessions whose own exit questionnaire is awaited (counted in the sessions' table, in no
        result).
    paired_sessions : the sessions with at least one entry/exit pair (the stratified tests'
        strata).
    """

    sessions: tuple[str, ...]
    pending: tuple[str, ...]
    learners_exit: int
    learners_paired: int
    founders_exit: int
    pending_learners: int
    pending_founders: int
    paired_sessions: tuple[str, ...]


def _enrolled(session, indicator: str) -> int:
    row = session.indicators[session.indicators["indicator"] == indicator]
    if row.empty or pd.isna(row.iloc[0]["numerator"]):
        return 0
    return int(row.iloc[0]["numerator"])


def contributors_of(results, pooled: pd.DataFrame) -> Contributors:
    """The :class:`Contributors` of a comparison: the sessions named in the pooled table's
    ``sessions`` column, and the people of those sessions whose answers the figures are."""
    named = {x for cell in pooled.get("sessions", pd.Series(dtype=str)) for x in
             str(cell).split(",") if x}
    live = [r for r in results if r.name in named]
    waiting = [r for r in results if getattr(r, "interim", False)]

    def flow(r, column: str) -> int:
        f = r.clean.learner_flow
        return int(f[column].fillna(False).astype(bool).sum()) if column in f else 0

    def founders_exit(r) -> int:
        f = r.clean.founders
        return int(f["has_exit"].fillna(False).astype(bool).sum()) if "has_exit" in f else 0

    return Contributors(
        sessions=tuple(r.name for r in live), pending=tuple(r.name for r in waiting),
        learners_exit=sum(flow(r, "has_exit") for r in live),
        learners_paired=sum(flow(r, "paired") for r in live),
        founders_exit=sum(founders_exit(r) for r in live),
        # an interim session's people whose own exit questionnaire is pending (its founders
        # contribute when only the learners' one is awaited, and the other way round)
        pending_learners=sum(_enrolled(r, "learners.enrolled") for r in waiting
                             if "learners_exit" in r.pending),
        pending_founders=sum(_enrolled(r, "founders.enrolled") for r in waiting
                             if "founders_exit" in r.pending),
        paired_sessions=tuple(r.name for r in results if flow(r, "paired") > 0))


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

    ``sessions``: session folders (paths), :class:`fac_eval.analysis.results.SessionResults` objects,
    or session names -- a list, or a comma-separated string -- resolved under ``raw_dir``.
    Raises ``fac_eval.data.validation.ValidationError`` for invalid data (as
    :func:`~fac_eval.analysis.results.compute_session`), ``ValueError`` for an empty list or a
    session given twice, and :class:`~fac_eval.analysis.shared_people.SharedPeopleError` for
    two sessions that hold the same people (a copy under another name or format).
    """
    from .results import SessionResults, compute_session

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
    from .shared_people import SharedPeopleError, shared_people

    twins = shared_people(results)
    if twins:  # the same people counted twice: pooled figures and tests would be false
        raise SharedPeopleError(twins)

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
        followup = r.followup.code if hasattr(r, "followup") else "pending"
        sub["status"], sub["pending_reason"] = zip(*[
            _status(ind, verdict_, n, followup) for ind, verdict_, n in
            zip(sub["indicator"], sub["verdict"], sub["denominator"])]) if len(sub) else ((), ())
        frames.append(sub)
    out = pd.concat(frames, ignore_index=True)
    cols = ["session", "order", "start_date", "end_date", "data_kind", "indicator", "population",
            "label_fr", "label_en", "numerator", "denominator", "value", "ci_low", "ci_high",
            "p_value", "p_adjusted", "verdict", "pooled", "status", "pending_reason",
            *(c for c in ("evidence", "evidence_inference") if c in out.columns)]
    rank = {ind: i for i, ind in enumerate(POOLED_INDICATORS)}
    out["_rank"] = out["indicator"].map(rank)
    out = out.sort_values(["_rank", "order"], kind="mergesort").drop(columns="_rank")
    return out[cols].reset_index(drop=True)


#: Evidence classes from the weakest (describes no one) to the strongest (real answers).
_WEAKEST_FIRST = ("synthetic", "illustrative", "published", "observed")


def weakest_evidence(classes) -> str:
    """The weakest of the evidence classes of the figures pooled
    (:mod:`fac_eval.analysis.evidence`), "" when none is known."""
    present = set(classes)
    return next((c for c in _WEAKEST_FIRST if c in present), "")


def _status(indicator: str, verdict_: str, denominator,
            followup: str = "pending") -> tuple[str, str]:
    """``(status, pending_reason)`` of one session's figure: ``measured``; ``pending`` (no figure
    yet: ``followup`` for a follow-up figure still to come, ``followup_absent`` for one whose
    planned date is past (``followup``: the session's :attr:`~fac_eval.analysis.results.
    SessionResults.followup` code), else ``exit``, the interim session's exit questionnaires);
    ``not_measured`` (collected, nobody to count)."""
    if verdict_ == "pending":
        if indicator.startswith("followup."):
            return "pending", "followup_absent" if followup == "absent" else "followup"
        return "pending", "exit"
    if pd.notna(denominator) and denominator:
        return "measured", ""
    return "not_measured", ""


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
        ks, ns, contributing, waiting, labels = [], [], [], [], None
        classes: list[str] = []  # each contributing session's (evidence, evidence_inference)
        inferred: list[str] = []
        population = ""
        for r in results:
            row = r.indicators[r.indicators["indicator"] == ind]
            if row.empty:
                continue
            row = row.iloc[0]
            labels = labels or (row["label_fr"], row["label_en"])
            population = row["population"]
            if row.get("verdict") == "pending":  # not collected yet: left out, never a zero
                waiting.append(r.name)
                continue
            if pd.isna(row["denominator"]) or not row["denominator"]:
                continue
            ks.append(int(row["numerator"]))
            ns.append(int(row["denominator"]))
            contributing.append(r.name)
            classes.append(str(row.get("evidence", "") or ""))
            inferred.append(str(row.get("evidence_inference", "") or row.get("evidence", "")
                                or ""))
        rec: dict[str, Any] = dict(
            indicator=ind, population=population,
            label_fr=(labels or ("", ""))[0], label_en=(labels or ("", ""))[1],
            n_sessions=len(contributing), n_sessions_total=n_sessions,
            sessions=",".join(contributing), pending_sessions=",".join(waiting),
            numerator=np.nan, denominator=np.nan, value=np.nan,
            ci_low=np.nan, ci_high=np.nan, outcome="", statistic=np.nan, expected=np.nan,
            n_pairs=np.nan, n_nonzero=np.nan, p_value=np.nan, p_holm=np.nan,
            min_attainable_p=np.nan, verdict="descriptive", pooled=True,
            het_p=np.nan, het_exact=True, het_method="", interaction_p=np.nan,
            interaction_exact=True, interaction_method="", heterogeneous=False,
            flagged_sessions=",".join(f"{r.name}:{_kind(r)}" for r in results
                                      if r.name in contributing and _kind(r) != "real"),
        )
        if ns and sum(ns) > 0:
            pp = stats.pooled_proportion(ks, ns, confidence=confidence)
            rec.update(numerator=pp.k, denominator=pp.n, value=pp.estimate, ci_low=pp.ci_low,
                       ci_high=pp.ci_high)
            if len(contributing) >= 2:  # do the sessions' shares differ? (exact, r x 2 table)
                het = stats.freeman_halton(ks, ns)
                rec.update(het_p=het.pvalue, het_exact=het.exact, het_method=het.method)
        outcome = ind.split(".")[1] if ind.endswith(".improved") and ind.startswith("learners.") else ""
        if outcome:
            rec["outcome"] = outcome
            by_session = {r.name: outcome_differences(r, outcome) for r in results}
            by_session = {k: v for k, v in by_session.items() if v.size}
            if len(by_session) >= 2:  # is the change the same in every session?
                inter = stats.interaction_permutation_test(by_session)
                rec.update(interaction_p=inter.pvalue, interaction_exact=inter.exact,
                           interaction_method=inter.method)
            test = tests.get(outcome)
            if test is None:
                rec["verdict"] = "no_data"
            else:
                rec.update(statistic=test.statistic, expected=test.expected_statistic,
                           n_pairs=test.n, n_nonzero=test.n_nonzero, p_value=test.pvalue,
                           min_attainable_p=test.min_attainable_p,
                           verdict="not_testable" if verdict(
                               test.pvalue, test.min_attainable_p, alpha, None) == "not_testable"
                           else "pending_holm")
        # a pooled figure is worth what its weakest session's is (its count; its interval, and
        # for a change the test on every session's individual answers)
        rec["evidence"] = weakest_evidence(classes)
        rec["evidence_inference"] = weakest_evidence(inferred if outcome else classes)
        # and each session's own class: a pool classed ``synthetic`` (its weakest) may also hold
        # a count a reconstruction invented, which the report marks "illustratif"
        rec["evidence_sessions"] = ",".join(
            f"{name}:{cls or 'unknown'}" for name, cls in zip(contributing, classes))
        het_ps = [float(rec[c]) for c in ("het_p", "interaction_p") if not pd.isna(rec[c])]
        rec["heterogeneous"] = bool(het_ps) and min(het_ps) <= alpha
        rows.append(rec)
    table = pd.DataFrame(rows)
    # the Holm family: the primary learner outcomes of the codebook (as in each session's
    # default); the others keep their raw p-value, exploratory
    table["role"] = [("primary" if o in cb.PRIMARY_OUTCOMES else "secondary") if o else ""
                     for o in table["outcome"]]
    secondary = (table["verdict"] == "pending_holm") & (table["role"] == "secondary")
    for idx in table.index[secondary]:
        stat, expected = table.at[idx, "statistic"], table.at[idx, "expected"]
        table.at[idx, "verdict"] = verdict(
            float(table.at[idx, "p_value"]), float(table.at[idx, "min_attainable_p"]), alpha,
            None if stat == expected else bool(stat > expected))
    family = (table["role"] == "primary") & table["p_value"].notna()
    if family.any():
        adjusted = stats.holm(table.loc[family, "p_value"].to_numpy(float))
        table.loc[family, "p_holm"] = adjusted
        for idx, p_adj in zip(table.index[family], adjusted):
            if table.at[idx, "verdict"] == "not_testable":
                continue
            stat, expected = table.at[idx, "statistic"], table.at[idx, "expected"]
            table.at[idx, "verdict"] = verdict(  # the shared rule (fac_eval.analysis.verdict)
                float(p_adj), float(table.at[idx, "min_attainable_p"]), alpha,
                None if stat == expected else bool(stat > expected))
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
    # "other situation" and "no news" likewise: each session's own pair, and the pooled pair
    pooled = dict(zip(out["indicator"], out["n"]))
    other, no_news = privacy.FOLLOWUP_SITUATIONS
    least = min([r.min_cell for r in collected] or [privacy.DEFAULT_MIN_CELL])
    out.attrs["situations_publishable"] = all(
        privacy.followup_situations_publishable(_numerator(r, other), _numerator(r, no_news),
                                                r.min_cell)
        for r in collected) and privacy.followup_situations_publishable(
            pooled.get(other, 0), pooled.get(no_news, 0), least)
    return out


def _numerator(r, indicator: str) -> int:
    row = r.indicators[r.indicators["indicator"] == indicator]
    if row.empty or pd.isna(row.iloc[0]["numerator"]):
        return 0
    return int(row.iloc[0]["numerator"])


def _followed_up(r) -> int:
    """Learners followed up in one session: every enrolled learner (see
    :func:`fac_eval.analysis.indicators.followup_indicators`)."""
    row = r.indicators[r.indicators["indicator"] == "followup.neutralised"]
    if row.empty or pd.isna(row.iloc[0]["denominator"]):
        return len(r.clean.followup)
    return int(row.iloc[0]["denominator"])
