"""Notes beside intervals that end at the limit of their scale, said once per section.

- The exact (Clopper-Pearson) interval of a share ending at 0 % or 100 % (k = 0 or k = n):
  that end is the scale's limit, the other bound a one-sided bound (:func:`edge_note`).
- The exact Hodges-Lehmann interval of a typical change (scale points) whose bound is the
  largest rise or fall the outcome's scale allows (its highest score minus its lowest,
  :func:`fac_eval.data.codebook.score_range`), or whose two bounds are equal ("1,0–1,0"):
  the bound is the scale's limit, not an estimate; an interval collapsed on one value still
  holds at the level stated beside it (:func:`change_edge_note`).

Pure functions: indicator rows in, a sentence out ("" when there is nothing to say).
"""

from __future__ import annotations

import pandas as pd

from fac_eval.core.formatting import fmt_ci, fmt_number, fmt_percent
from fac_eval.data import codebook as cb

from .i18n import N_, NP_, messages

#: The note beside an exact interval of a share that reaches the end of the scale (k = n or
#: k = 0), and the one for a bound that only rounds to it.
EDGE_NOTES = {
    "high": N_("Where every answer counted is positive (k = n), the interval ends at %(edge)s, "
               "the limit of the scale, not an estimate: only its lower bound is estimated, as a "
               "one-sided %(level)s confidence bound."),
    "low": N_("Where no answer counted is positive (k = 0), the interval starts at %(edge)s, "
              "the limit of the scale, not an estimate: only its upper bound is estimated, as a "
              "one-sided %(level)s confidence bound."),
    "high_rounded": N_("Elsewhere an upper bound shown as %(edge)s is rounded: it is just "
                       "below."),
    "low_rounded": N_("Elsewhere a lower bound shown as %(edge)s is rounded: it is just "
                      "above."),
}


def interval_edges(rows) -> list[str]:
    """Which ends of the scale the exact share intervals of ``rows`` reach (keys of
    :data:`EDGE_NOTES`): ``"high"`` (k = n: an upper bound of 100 %), ``"low"`` (k = 0: a lower
    bound of 0 %), and ``"high_rounded"`` / ``"low_rounded"`` (a bound shown as 100 % or 0 %
    only once rounded to a whole percentage), in that order."""
    found = set()
    for r in rows:
        lo, hi, k, n = r.get("ci_low"), r.get("ci_high"), r.get("numerator"), r.get("denominator")
        if pd.isna(lo) or pd.isna(hi) or pd.isna(k) or pd.isna(n) or not n:
            continue
        if int(k) == int(n):
            found.add("high")
        elif float(hi) >= 0.995:
            found.add("high_rounded")
        if int(k) == 0:
            found.add("low")
        elif float(lo) < 0.005:
            found.add("low_rounded")
    # a rounded bound is worth saying only beside the note on the true edge
    if "high" not in found:
        found.discard("high_rounded")
    if "low" not in found:
        found.discard("low_rounded")
    return [e for e in EDGE_NOTES if e in found]


def edge_note(rows, lang: str = "fr", confidence: float = 0.95) -> str:
    """The note for the exact (Clopper-Pearson) intervals of ``rows`` ending at 0 % or 100 %:
    that end is the scale's limit and the other bound is a one-sided bound at 1 - alpha/2
    (97.5 % for a 95 % interval: each bound of the two-sided interval leaves alpha/2 out);
    "" when none."""
    w = messages(lang)
    one_sided = 1.0 - (1.0 - float(confidence)) / 2.0
    level = fmt_percent(one_sided, lang, 0 if round(one_sided * 100, 6).is_integer() else 1)
    edge = {"high": fmt_percent(1.0, lang), "low": fmt_percent(0.0, lang)}
    return " ".join(w._(EDGE_NOTES[e], edge=edge[e.split("_")[0]], level=level)
                    for e in interval_edges(rows))


#: The note beside an exact Hodges-Lehmann interval of a typical change whose bound is the
#: largest rise ("high") or fall ("low") the outcome's scale allows, or whose bounds are equal
#: ("collapsed"). ``%(which)s`` lists the outcomes concerned with their bound or interval.
CHANGE_EDGE_NOTES = {
    "high": N_("Where the interval of a typical change reaches the largest rise its scale allows, "
               "from the lowest score to the highest (%(which)s), that bound is the limit of "
               "the scale, not an estimate: no change can be larger; only the other bound is "
               "estimated."),
    "low": N_("Where the interval of a typical change reaches the largest fall its scale allows, "
              "from the highest score to the lowest (%(which)s), that bound is the limit of the "
              "scale, not an estimate: no change can be smaller; only the other bound is "
              "estimated."),
    "collapsed": N_("An interval whose two bounds are equal (%(which)s) does not mean the "
                    "change is known exactly: on a short scale changes take few values, so many "
                    "of the pairwise averages the interval is read from are equal and both "
                    "bounds fall on the same one; the level the exact interval achieves, stated "
                    "beside it, still applies."),
}

#: A bound in scale points ("3,0 points").
POINTS = NP_("%(num)s point", "%(num)s points")

#: Two bounds closer than this are equal (the report prints them with one decimal).
_SAME = 1e-9


def outcome_of(indicator: str) -> str:
    """``"learners.autonomy.improved"`` -> ``"autonomy"``: the paired outcome of an indicator."""
    parts = str(indicator).split(".")
    return parts[1] if len(parts) >= 3 else ""


def max_change(indicator: str) -> float | None:
    """The largest change the indicator's outcome allows (highest score minus lowest), or None
    when the outcome has no numeric scale."""
    try:
        lo, hi = cb.score_range(outcome_of(indicator))
    except KeyError:
        return None
    return None if lo is None or hi is None else hi - lo


def change_edges(rows) -> dict[str, list]:
    """Which Hodges-Lehmann intervals of ``rows`` (indicator rows with ``effect_ci_low`` and
    ``effect_ci_high``) end at the scale's limit or collapse on one value: ``{"high": [rows],
    "low": [rows], "collapsed": [rows]}``, keys in the order of :data:`CHANGE_EDGE_NOTES`,
    only those found."""
    found: dict[str, list] = {}
    for r in rows:
        lo, hi = r.get("effect_ci_low"), r.get("effect_ci_high")
        if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
            continue
        span = max_change(r.get("indicator", ""))
        if span is not None and float(hi) >= span - _SAME:
            found.setdefault("high", []).append(r)
        if span is not None and float(lo) <= -span + _SAME:
            found.setdefault("low", []).append(r)
        if abs(float(hi) - float(lo)) < _SAME:
            found.setdefault("collapsed", []).append(r)
    return {k: found[k] for k in CHANGE_EDGE_NOTES if k in found}


def change_edge_note(rows, labels, lang: str = "fr") -> str:
    """The note for the Hodges-Lehmann intervals of ``rows`` at the scale's limit or collapsed
    (:func:`change_edges`), each outcome named by ``labels(row)`` with its bound ("Culture
    numérique : 3,0 points") or its interval ("Autonomie, IC 95,8 % : 1,0–1,0"); "" when
    none. The level is the one each interval achieves (``effect_confidence``)."""
    w = messages(lang)
    parts = []
    for kind, hit in change_edges(rows).items():
        items = []
        for r in hit:
            if kind == "collapsed":
                level = r.get("effect_confidence")
                level = r.get("confidence", 0.95) if level is None or pd.isna(level) else level
                items.append(w._("%(label)s, %(ci)s", label=labels(r), ci=fmt_ci(
                    r["effect_ci_low"], r["effect_ci_high"], lang, as_percent=False,
                    level=float(level), decimals=1)))
                continue
            bound = float(r["effect_ci_high"] if kind == "high" else r["effect_ci_low"])
            items.append(w._("%(label)s: %(note)s", label=labels(r), note=w.nplural(
                POINTS, w.count_form(bound, 1), num=fmt_number(bound, lang, 1))))
        which = items[0]
        for item in items[1:]:
            which = w._("%(first)s; %(second)s", first=which, second=item)
        parts.append(w._(CHANGE_EDGE_NOTES[kind], which=which))
    return " ".join(parts)
