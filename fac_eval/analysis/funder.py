"""What a funder asks of an evaluation, computed from the indicator table and ``session.yml``.

French impact-assessment practice (the Avise / ESSEC guides to *mesurer l'impact social*) expects
an evaluation to answer: what was aimed at, what was done, what changed, for whom, at what cost,
how sure are we, what next. This module computes the figures behind those answers, as tables of
numbers and codes; the report's templates and message catalogs turn them into sentences.

- :func:`objective_results`: one row per (objective, indicator), with "k sur n" and the caveats
  that apply (self-report, not testable, declared at exit only, pending);
- :func:`cost_table`: cost per participant, per learner who completed and per *sortie dynamique*
  (only once the follow-up is in), from the budget's total;
- :func:`main_findings`: the findings a summary leads with, including at least one null or
  negative result when the data have one;
- :func:`respondents`: how many people answered the questions behind those findings (the
  summary says who reported them: those who answered, never everyone enrolled).

Pure functions: DataFrames in, DataFrames out.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from fac_eval.data.programme import Programme

__all__ = ["CAVEATS", "objective_results", "cost_table", "main_findings", "respondents"]

#: Caveat codes attached to a result (the report words each one from its catalog).
CAVEATS = {
    "self_report": "answers given by the participants themselves",
    "exit_only": "asked at the end only: no entry baseline",
    "not_testable": "too few people for a test to reach the threshold",
    "pending": "not collected yet",
    "no_comparison": "no comparison group: the share due to the programme is unknown",
    "little_change": "fewer than half changed",
    "no_evidence": "the test found no statistically clear change",
    "missing": "the indicator is not in this session's table",
}

_SELF_REPORT_SECTIONS = {"outcomes", "declarations", "business"}


def _caveats(row: pd.Series | None) -> list[str]:
    if row is None:
        return ["missing"]
    if row["verdict"] == "pending":
        return ["pending"]
    out = []
    section = row["section"]
    if section in _SELF_REPORT_SECTIONS:
        out.append("self_report")
    if section == "declarations" or str(row["indicator"]).endswith("time_saved"):
        out.append("exit_only")
    if row["verdict"] == "not_testable":
        out.append("not_testable")
    if row["verdict"] == "no_evidence":
        out.append("no_evidence")
    if section in ("outcomes", "declarations", "business", "followup"):
        out.append("no_comparison")
    if (section == "outcomes" and pd.notna(row["value"]) and row["value"] < 0.5):
        out.append("little_change")
    return out


def objective_results(programme: Programme, indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per (objective, indicator) named in ``session.yml``'s ``objectives``.

    Columns: ``objective`` (1-based), ``kind`` (objective / bridge), ``indicator``, ``label_fr``,
    ``label_en``, ``numerator``, ``denominator`` (``k`` and ``n`` of "k sur n"; NaN when pending),
    ``value``, ``verdict``, ``caveats`` (a tuple of :data:`CAVEATS` codes).
    """
    by_id = {r["indicator"]: r for _, r in indicators.iterrows()}
    rows = []
    for i, objective in enumerate(programme.objectives, start=1):
        for ind in objective.indicators:
            r = by_id.get(ind)
            rows.append({
                "objective": i,
                "kind": objective.kind,
                "indicator": ind,
                "label_fr": r["label_fr"] if r is not None else ind,
                "label_en": r["label_en"] if r is not None else ind,
                "numerator": r["numerator"] if r is not None else np.nan,
                "denominator": r["denominator"] if r is not None else np.nan,
                "value": r["value"] if r is not None else np.nan,
                "verdict": r["verdict"] if r is not None else "missing",
                "caveats": tuple(_caveats(r)),
            })
    return pd.DataFrame(rows, columns=["objective", "kind", "indicator", "label_fr", "label_en",
                                       "numerator", "denominator", "value", "verdict", "caveats"])


def _count(indicators: pd.DataFrame, indicator: str) -> float | None:
    rows = indicators.loc[indicators["indicator"] == indicator]
    if rows.empty or rows.iloc[0]["verdict"] == "pending":
        return None
    value = rows.iloc[0]["numerator"]
    return None if pd.isna(value) else float(value)


def cost_table(total: Decimal, indicators: pd.DataFrame,
               course_ongoing: bool = False) -> pd.DataFrame:
    """Cost per unit of what the session achieved, from its total cost in euros.

    .. math:: \\text{cost per unit} = \\frac{\\text{total cost}}{\\text{number of units}}

    Units: ``participant`` (learners and founders enrolled), ``learner_completed`` (learners who
    completed the course), ``sortie_dynamique`` (learners in a *sortie dynamique* at follow-up;
    ``available`` is False while the follow-up is pending or when there is none).
    The whole budget is divided each time (it also pays for the founders' incubator), so each
    figure is an upper bound of what one unit costs, not a unit cost in the accounting sense.

    ``course_ongoing``: the learners' exit questionnaire is not collected (an interim session):
    the session is not over, nobody is counted as having completed it, so the cost per learner
    who completed is not available, ``reason`` "pending".

    Columns: ``basis``, ``count``, ``per_unit`` (``Decimal`` rounded to the euro, None when not
    available), ``available``, ``reason`` ("" / "pending" / "none").
    """
    total = Decimal(total)
    learners = _count(indicators, "learners.enrolled") or 0
    founders = _count(indicators, "founders.enrolled") or 0
    completed = None if course_ongoing else _count(indicators, "learners.completed")
    dynamic = _count(indicators, "followup.sortie_dynamique")
    pending = bool((indicators.loc[indicators["indicator"] == "followup.sortie_dynamique",
                                   "verdict"] == "pending").any())
    rows = []
    for basis, count, reason_if_missing in (
        ("participant", learners + founders, "none"),
        ("learner_completed", completed, "pending" if course_ongoing else "none"),
        ("sortie_dynamique", dynamic, "pending" if pending else "none"),
    ):
        ok = count is not None and count > 0
        per = ((total / Decimal(int(count))).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
               if count is not None and count > 0 else None)
        rows.append({"basis": basis, "count": int(count) if count is not None else None,
                     "per_unit": per, "available": ok, "reason": "" if ok else reason_if_missing})
    return pd.DataFrame(rows, columns=["basis", "count", "per_unit", "available", "reason"])


def main_findings(indicators: pd.DataFrame, most: int = 4,
                  published_first: bool = False) -> pd.DataFrame:
    """The findings a summary leads with: the learners' paired outcomes with the largest shares
    of people who improved, the founders' development, and the null or negative results.

    Rows are taken from the indicator table (same columns), plus ``role``: ``strength`` or
    ``weakness``, ``weakness``: ``decline`` / ``little_change`` (fewer than half improved) /
    ``lowest`` (the smallest share, half or more: no result changed little) ("" for a
    strength), and
    ``outcome_role``: the table's own ``role`` (``primary`` / ``secondary``, "" when the table
    has none). The strengths are the primary outcomes (declared in advance) first, by share, then
    secondary (exploratory) ones. The weaknesses: first the learners' outcome where the most
    learners scored lower at exit (``n_worse``, when any did and it is not a strength, whose
    sentence says it: a learner's fall is never only in a chart); then the outcome with the
    smallest share who improved when fewer than half did, the learners' first (a learners'
    null result before a founders' one), else the learners' outcome with the smallest share
    when no decline was found. Pending and empty indicators are never
    findings.

    ``published_first`` (a reconstructed session's synthèse, whose table has an ``evidence``
    column): a summary leads with what the publication says. The strengths are its published
    figures first, a learner's fall is never a finding nor said beside one (``n_worse`` left
    empty: a publication of shares says nothing of who fell, the scores behind it are
    invented), and its place goes to one more strength.
    The null result stays, for the report to word as the publication does.
    """
    ok = indicators.loc[(indicators["verdict"] != "pending") & (indicators["denominator"] > 0)]
    roles = ok["role"].fillna("").astype(str) if "role" in ok.columns else ""
    ok = ok.assign(outcome_role=roles)
    learners = ok.loc[(ok["section"] == "outcomes") & (ok["population"] == "learners")
                      & ok["indicator"].str.endswith(".improved")]
    founders = ok.loc[(ok["section"] == "outcomes") & (ok["population"] == "founders")
                      & ok["indicator"].str.endswith(".improved")]
    invented = (learners["evidence"].ne("published") if published_first
                and "evidence" in learners.columns else False)
    strengths = (learners.assign(_invented=invented,
                                 _secondary=learners["outcome_role"].eq("secondary"))
                 .sort_values(["_invented", "_secondary", "value", "indicator"],
                              ascending=[True, True, False, True], kind="stable")
                 .drop(columns=["_invented", "_secondary"])
                 .head(max(most - (1 if published_first else 2), 1)))
    developed = ok.loc[ok["indicator"] == "founders.developed"]
    declined = learners.head(0)
    if "n_worse" in learners.columns and not published_first:
        # a strength's sentence already says who fell (narrative.share_sentence)
        worse = learners.loc[(learners["n_worse"].fillna(0) > 0)
                             & ~learners["indicator"].isin(strengths["indicator"])]
        declined = worse.assign(_w=-worse["n_worse"]).sort_values(
            ["_w", "indicator"], kind="stable").drop(columns="_w").head(1)
    weakest = learners.sort_values(["value", "indicator"], kind="stable").head(1)
    if weakest.empty or weakest.iloc[0]["value"] >= 0.5:
        few = founders.sort_values(["value", "indicator"], kind="stable").head(1)
        if not few.empty and few.iloc[0]["value"] < 0.5:
            weakest = few
        elif not declined.empty:  # the decline is the null or negative result
            weakest = weakest.head(0)
    weakest = weakest.loc[~weakest["indicator"].isin(strengths["indicator"])
                          & ~weakest["indicator"].isin(declined["indicator"])]
    parts = [strengths.assign(role="strength", weakness=""),
             developed.assign(role="strength", weakness=""),
             declined.assign(role="weakness", weakness="decline"),
             # the smallest share is "little change" only when fewer than half improved: a
             # larger one is the lowest result, never said to have changed little
             weakest.assign(role="weakness", weakness=[
                 "little_change" if v < 0.5 else "lowest" for v in weakest["value"]])]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return indicators.head(0).assign(role=pd.Series(dtype=str), weakness=pd.Series(dtype=str))
    found = pd.concat(parts, ignore_index=True)
    if published_first and "n_worse" in found.columns:  # nor said beside a strength
        found["n_worse"] = float("nan")
    return found


def respondents(findings: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """How many people answered the questions behind ``findings`` (rows of the indicator table,
    e.g. :func:`main_findings`), by population (``learners``, ``founders``, in that order): the
    fewest and the most of their denominators, ``(12, 12)`` when every finding counts the same
    people. A finding's denominator is the number who answered its question (both questionnaires
    for a change), not the number enrolled; the follow-up's rows (which count those without news)
    and rows without a denominator are left out, and so is a population without a finding."""
    out: dict[str, tuple[int, int]] = {}
    if findings.empty:
        return out
    rows = findings.loc[(findings["section"] != "followup") & findings["denominator"].notna()
                        & (findings["denominator"] > 0)]
    for population in ("learners", "founders"):
        n = rows.loc[rows["population"] == population, "denominator"].astype(int)
        if len(n):
            out[population] = (int(n.min()), int(n.max()))
    return out
