"""Indicators: one tidy table per session, every figure with its numerator and denominator.

Each indicator is one row (see :data:`COLUMNS`). Nothing is a bare percentage: every proportion
carries ``numerator`` and ``denominator``, an exact (Clopper–Pearson) interval, and where a test
applies, the test, its p-value and the Holm-adjusted p-value over its family. Functions are pure:
cleaned tables in (:class:`fac_eval.data.cleaning.CleanSession`), DataFrame out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import partial
from typing import TypedDict

import numpy as np
import pandas as pd

from fac_eval.analysis import stats
from fac_eval.core.formatting import fmt_level, fmt_number, fmt_pvalue
from fac_eval.core.i18n import LANGS, N_, NC_, NP_, both, messages
from fac_eval.data import codebook as cb
from fac_eval.data.cleaning import CleanSession

from .verdict import verdict

COLUMNS = [
    "session", "population", "section", "indicator", "label_fr", "label_en",
    "numerator", "denominator", "value", "ci_low", "ci_high",
    "test", "statistic", "p_value", "p_adjusted", "family",
    "effect", "effect_ci_low", "effect_ci_high", "effect_name",
    "verdict", "n_missing", "note", "note_en", "confidence", "effect_confidence", "role", "threshold", "n_worse",
]

#: Verdict codes, with the words of the table's verdict column (catalog messages, graded like
#: the report's readings: never "established" or "proven"; the report words them in sentences).
VERDICTS = {
    "descriptive": N_("Descriptive"),
    "not_testable": N_("Too few people for a test"),
    "significant_improvement": N_("Improvement, unlikely to be due to chance alone"),
    "significant_deterioration": N_("Deterioration, unlikely to be due to chance alone"),
    "no_evidence": N_("No clear change shown (which does not mean there was none)"),
    "no_data": N_("No complete pair"),
    "pending": N_("Not collected yet"),
}

#: The methods named in the ``test`` column: English message ids, said in each export's language.
TESTS = {"signed_rank": N_("Exact Wilcoxon signed-rank test (mid-ranks, Pratt)"),
         "reliable_change": N_("Reliable Change Index (Jacobson and Truax, 1991)")}


class _Notes(TypedDict):
    note: str
    note_en: str


def _notes(message: str, **values) -> _Notes:
    """``note`` and ``note_en`` of a catalog message (marked with ``N_``), as keyword arguments
    of :class:`Indicator` or :func:`proportion`; values as in :func:`fac_eval.core.i18n.both`."""
    fr, en = both(message, **values)
    return _Notes(note=fr, note_en=en)


def _count(pair: tuple[str, str], n):
    """A value for :func:`both`: ``n`` with its noun in each language (a pair marked with
    ``NP_``; the number formatted by Babel)."""
    return lambda lang: messages(lang).nplural(pair, n)


def _plural_notes(pair: tuple[str, str], n) -> _Notes:
    """``note`` and ``note_en`` of a plural message (marked with ``NP_``) for the count ``n``."""
    fr, en = (messages(lang).nplural(pair, n) for lang in LANGS)
    return _Notes(note=fr, note_en=en)


def _label_of(thing):
    """A value for :func:`both`: the codebook's label of an item or a choice in each language."""
    return lambda lang: getattr(thing, f"label_{lang}")


def _joined(*parts: tuple[str, str]) -> tuple[str, str]:
    """``(French, English)`` of several ``(French, English)`` sentences, side by side."""
    fr, en = (" ".join(p[i] for p in parts if p[i]) for i in (0, 1))
    return fr, en


@dataclass
class Indicator:
    session: str
    population: str
    section: str
    indicator: str
    label_fr: str
    label_en: str
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    test: str = ""
    statistic: float | None = None
    p_value: float | None = None
    p_adjusted: float | None = None
    family: str = ""
    effect: float | None = None
    effect_ci_low: float | None = None
    effect_ci_high: float | None = None
    effect_name: str = ""
    verdict: str = "descriptive"
    n_missing: int = 0
    note: str = ""
    note_en: str = ""
    #: Level of this row's intervals (ci_low/ci_high and effect_ci_*); None when it has none.
    confidence: float | None = None
    #: Confidence the effect interval (effect_ci_*) actually achieves: an exact interval on few
    #: pairs cannot reach the nominal level (Hodges-Lehmann on 4 pairs: 0.875, not 0.95).
    effect_confidence: float | None = None
    #: "primary" (in the Holm family declared in advance), "secondary" (exploratory: raw p-value
    #: only) for a paired outcome; "" otherwise.
    role: str = ""
    #: Smallest change counted as reliable, in scale points (reliable change rows only): the
    #: RCI threshold 1.96 * SD * sqrt(2 (1 - r)) on the codebook's fixed yardstick.
    threshold: float | None = None
    n_worse: float | None = None  #: pairs that moved the wrong way (paired rows): said in words
    #: Direction of the paired test in terms of the outcome, set with the test: "improvement" when
    #: the positive-rank sum lies on the good side of its null expectation, "deterioration" on the
    #: bad side, "" without a test (not a column of the table; read by :func:`apply_holm`).
    test_direction: str = ""
    #: Smallest p-value the paired test can reach (not a column; read by :func:`apply_holm`).
    min_attainable_p: float | None = None


def proportion(session, population, section, indicator, label_fr, label_en, k, n, *,
               confidence=0.95, note="", note_en="", n_missing=0, **kw) -> Indicator:
    """A share ``k / n`` with its exact Clopper–Pearson interval (none when n = 0)."""
    k = int(k)
    n = int(n)
    if n == 0:
        none_fr, none_en = both(N_("No answer."))
        return Indicator(session, population, section, indicator, label_fr, label_en, k, 0,
                         None, None, None, note=note or none_fr, note_en=note_en or none_en,
                         n_missing=n_missing, **kw)
    ci = stats.proportion_ci(k, n, confidence=confidence, method="exact")
    return Indicator(session, population, section, indicator, label_fr, label_en, k, n, k / n,
                     ci.ci_low, ci.ci_high, note=note, note_en=note_en, n_missing=n_missing,
                     confidence=float(confidence), **kw)


def _boolean_share(series: pd.Series) -> tuple[int, int, int]:
    """(yes, answered, missing) of a nullable boolean Series."""
    s = series.astype("boolean")
    answered = int(s.notna().sum())
    return int(s.fillna(False).sum()), answered, int(s.isna().sum())


# --------------------------------------------------------------------------------------------
# Learners
# --------------------------------------------------------------------------------------------

def learner_profile_indicators(clean: CleanSession, confidence: float = 0.95) -> list[Indicator]:
    """Enrolment, long-term unemployment (> 24 months), RQTH, completion."""
    s = clean.name
    L = clean.learners
    n = len(L)
    rows = [Indicator(s, "learners", "profile", "learners.enrolled", *both(N_("Learners enrolled")),
                      n, n, float(n) if n else None)]
    months = pd.to_numeric(L["months_unemployed"], errors="coerce")
    rows.append(proportion(
        s, "learners", "profile", "learners.unemployed_over_24m",
        *both(NC_("indicator", "Unemployed for more than 24 months at entry")),
        int((months > 24).sum()), int(months.notna().sum()), n_missing=int(months.isna().sum()),
        confidence=confidence))
    yes, answered, missing = _boolean_share(L["rqth"])
    rows.append(proportion(
        s, "learners", "profile", "learners.rqth",
        *both(N_("Recognised disabled workers (RQTH)")),
        yes, answered, n_missing=missing, confidence=confidence))
    completed = int((L["status"] == "completed").sum())
    rows.append(proportion(
        s, "learners", "profile", "learners.completed", *both(N_("Completed the course")),
        completed, n, confidence=confidence))
    rows += profile_breakdown_indicators(clean, confidence)
    return rows


#: Profile fields broken down category by category (small cells are masked when published).
BREAKDOWN_FIELDS = ("gender", "age_band", "education_level")


def profile_breakdown_indicators(clean: CleanSession, confidence: float = 0.95) -> list[Indicator]:
    """One row per category of each profile field (section ``profile_breakdown``).

    These are breakdowns: the exact counts stay in ``data/processed`` for the evaluator, while
    every published view (report, Excel export) applies the small-cell rule to them
    (:func:`fac_eval.disclosure.privacy.suppress_small_cells`).
    """
    s = clean.name
    L = clean.learners
    n = len(L)
    rows = []
    for field_name in BREAKDOWN_FIELDS:
        item = cb.LEARNERS_PROFILE.item(field_name)
        answered = int(L[field_name].notna().sum())
        for choice in item.choices:
            k = int((L[field_name] == choice.code).sum())
            rows.append(proportion(
                s, "learners", "profile_breakdown", f"learners.{field_name}.{choice.code}",
                *both(N_("%(item)s: %(choice)s"), item=_label_of(item), choice=_label_of(choice)),
                k, answered, n_missing=n - answered, confidence=confidence))
    return rows


def learner_outcome_indicators(clean: CleanSession, alpha: float = 0.05,
                               confidence: float = 0.95) -> list[Indicator]:
    """Per entry/exit outcome: share improved (exact CI), exact signed-rank test, HL shift and
    rank-biserial; reliable change for scales with a published reliability."""
    s = clean.name
    rows: list[Indicator] = []
    P = clean.learner_pairs
    for outcome in cb.LEARNER_OUTCOMES:
        rows.extend(_paired_outcome_rows(s, "learners", "outcomes", "learners", outcome,
                                         P[P["outcome"] == outcome], alpha, confidence))
    return rows


def _higher_is_better(outcome: str) -> bool:
    """Whether a higher score is better for an outcome (a scale or a single item)."""
    spec = cb.SCALES[outcome] if outcome in cb.SCALES else cb.find_item(outcome)
    return bool(spec.higher_is_better)


def _paired_outcome_rows(session, population, section, prefix, outcome, pairs, alpha, confidence):
    label = partial(cb.outcome_label, outcome)  # a value for both(): the label in each language
    complete = pairs.dropna(subset=["entry", "exit"])
    n_missing = len(pairs) - len(complete)
    n = len(complete)
    higher_is_better = _higher_is_better(outcome)
    # exit - entry rounded (stats.paired_differences): the floating-point noise of prorated scores
    # (27.78 - 25.56 != 30.0 - 27.78) must not break ties nor create non-zero differences, so
    # the test, the Hodges-Lehmann estimate and the counts all use these same differences
    diffs = (stats.paired_differences(complete["entry"].to_numpy(dtype=float),
                                      complete["exit"].to_numpy(dtype=float))[0]
             if n else np.zeros(0))
    k = int((diffs > 0).sum() if higher_is_better else (diffs < 0).sum())
    missing = (both(N_("%(n)s without a complete pair (excluded)."), n=str(n_missing))
               if n_missing else ("", ""))
    ind = proportion(session, population, section, f"{prefix}.{outcome}.improved",
                     *both(N_("%(outcome)s: improved between entry and exit"), outcome=label), k, n,
                     confidence=confidence, n_missing=n_missing, family=f"{prefix}.outcomes")
    ind.n_worse = float((diffs < 0).sum() if higher_is_better else (diffs > 0).sum()) if n else None
    if n:
        n_nonzero = int(np.count_nonzero(diffs))
        test = stats.signed_rank_test(diffs, zero_method="pratt")
        ind.test = TESTS["signed_rank"]
        ind.statistic = float(test.statistic)
        ind.p_value = float(test.pvalue)
        # direction of the test itself (R+ against its null expectation, as stats._verdict), not
        # the sign of the Hodges-Lehmann estimate, which is 0 when most differences are 0
        if test.statistic != test.expected_statistic:
            went_up = test.statistic > test.expected_statistic
            ind.test_direction = "improvement" if went_up == higher_is_better else "deterioration"
        min_p = stats.min_attainable_p(n_nonzero) if n_nonzero else 1.0
        hl = stats.hodges_lehmann(diffs, confidence=confidence)
        ind.effect = float(hl.estimate)
        ind.effect_ci_low = float(hl.ci_low) if hl.ci_low is not None else None
        ind.effect_ci_high = float(hl.ci_high) if hl.ci_high is not None else None
        ind.effect_name = "hodges_lehmann"
        ind.effect_confidence = float(hl.achieved_confidence)
        ind.min_attainable_p = min_p
        if verdict(ind.p_value, min_p, alpha, None) == "not_testable":  # the shared rule
            ind.verdict = "not_testable"
            too_few = both(
                N_("With %(pairs)s no exact test can reach %(alpha)s (smallest possible "
                   "%(smallest)s): descriptive only."),
                pairs=_count(NP_("%(num)s non-zero pair", "%(num)s non-zero pairs"), n_nonzero),
                alpha=partial(fmt_level, alpha), smallest=partial(fmt_pvalue, min_p))
            ind.note, ind.note_en = _joined(too_few, missing)
        else:
            ind.verdict = "pending_holm"
            ind.note, ind.note_en = missing
    rows = [ind]
    scale = cb.SCALES.get(outcome)
    if scale is not None and scale.reliability is not None and scale.norm_sd and n >= 1:
        # the fixed yardstick of the codebook (never the cohort's entry SD): the same threshold
        # in every session, so that sessions can be compared
        sd = float(scale.norm_sd)
        rc = stats.reliable_change(complete["entry"].to_numpy(float), complete["exit"].to_numpy(float),
                                   sd_pre=sd, reliability=scale.reliability,
                                   higher_is_better=higher_is_better)
        row = proportion(
            session, population, section, f"{prefix}.{outcome}.reliable_improvement",
            *both(N_("%(outcome)s: reliable improvement (Reliable Change Index)"), outcome=label),
            rc.n_improved, rc.n, confidence=confidence, n_missing=n_missing,
            test=TESTS["reliable_change"],
            **_notes(N_("Reliability r = %(r)s; fixed reference SD = %(sd)s points; reliable if "
                        "|RCI| > 1.96 (more than %(threshold)s points). %(unchanged)s without "
                        "reliable change, %(worse)s reliably worse.") if rc.n_deteriorated else N_(
                        "Reliability r = %(r)s; fixed reference SD = %(sd)s points; reliable if "
                        "|RCI| > 1.96 (more than %(threshold)s points). %(unchanged)s without "
                        "reliable change, no reliable decline."),
                     r=partial(fmt_number, scale.reliability, decimals=2),
                     sd=partial(fmt_number, sd, decimals=1),
                     threshold=partial(fmt_number, rc.threshold, decimals=1),
                     unchanged=str(rc.n_unchanged), worse=str(rc.n_deteriorated)),
        )
        row.threshold = float(rc.threshold)
        rows.append(row)
    return rows


def learner_declaration_indicators(clean: CleanSession, confidence: float = 0.95) -> list[Indicator]:
    """Exit-only declarations: share who agree (codes 3–4) among those who answered."""
    s = clean.name
    D = clean.learner_declarations
    rows = []
    for item in cb.LEARNER_DECLARATION_ITEMS:
        sub = D[D["item"] == item]
        yes, answered, missing = _boolean_share(sub["agrees"])
        it = cb.find_item(item)
        rows.append(proportion(
            s, "learners", "declarations", f"learners.{item}.agree",
            it.label_fr, it.label_en, yes, answered, confidence=confidence, n_missing=missing,
            **(_notes(N_("Agree or strongly agree. %(n)s without an answer."), n=str(missing))
               if missing else _notes(N_("Agree or strongly agree."))),
        ))
    return rows


# --------------------------------------------------------------------------------------------
# Founders
# --------------------------------------------------------------------------------------------

def founder_indicators(clean: CleanSession, alpha: float = 0.05,
                       confidence: float = 0.95) -> list[Indicator]:
    s = clean.name
    B = clean.founder_outcomes
    n = len(B)
    rows = [Indicator(s, "founders", "profile", "founders.enrolled",
                      *both(N_("Founders supported")), n, n, float(n) if n else None)]
    creating = B[B["stage"] == "creation"]
    developing = B[B["stage"] == "development"]
    rows.append(proportion(s, "founders", "profile", "founders.stage_creation",
                           *both(N_("Creating a business")), len(creating), n,
                           confidence=confidence))
    yes, answered, missing = _boolean_share(creating["created_during_session"])
    rows.append(proportion(s, "founders", "business", "founders.business_created",
                           *both(N_("Businesses created during the session (among those "
                                    "creating)")),
                           yes, answered, n_missing=missing, confidence=confidence))
    yes, answered, missing = _boolean_share(developing["revenue_up"])
    rows.append(proportion(s, "founders", "business", "founders.revenue_up",
                           *both(N_("Revenue up (among those developing a business)")),
                           yes, answered, n_missing=missing, confidence=confidence))
    yes, answered, missing = _boolean_share(B["developed"])
    rows.append(proportion(s, "founders", "business", "founders.developed",
                           *both(N_("Activity developed (business created or revenue up)")),
                           yes, answered, n_missing=missing, confidence=confidence))
    # digital culture with its ceiling
    assessed = B.dropna(subset=["digital_culture_entry", "digital_culture_exit"])
    gained = int(assessed["digital_culture_gained"].fillna(False).sum())
    ceiling = int(assessed["digital_culture_at_ceiling"].fillna(False).sum())
    rows.append(proportion(
        s, "founders", "business", "founders.digital_culture_gained",
        # the item asks a level at entry and at exit, not what caused a change: no causal word;
        # the same result (and label) as the paired row founders.digital_culture.improved
        *both(N_("Digital culture: improved between entry and exit")),
        gained, len(assessed), confidence=confidence,
        **(_plural_notes(NP_("%(num)s founder already at the top level at entry (ceiling).",
                             "%(num)s founders already at the top level at entry (ceiling)."),
                         ceiling) if ceiling else _Notes(note="", note_en="")),
    ))
    # no second figure "among those who could improve" (3 of 3 beside 3 of 4): one result, one
    # definition; the ceiling is its note and its own row (reader round 11 for #12)
    rows.append(proportion(
        s, "founders", "business", "founders.digital_culture_ceiling",
        *both(N_("Digital culture already at the top at entry")),
        ceiling, len(assessed), confidence=confidence))
    yes, answered, missing = _boolean_share(B["time_saved"])
    rows.append(proportion(s, "founders", "business", "founders.time_saved",
                           *both(N_("Saved time thanks to the learners' digital tools")),
                           yes, answered, n_missing=missing, confidence=confidence))
    P = clean.founder_pairs
    for outcome in cb.FOUNDER_OUTCOMES:
        rows.extend(_paired_outcome_rows(s, "founders", "outcomes", "founders", outcome,
                                         P[P["outcome"] == outcome], alpha, confidence))
    return rows


# --------------------------------------------------------------------------------------------
# Follow-up: sortie dynamique
# --------------------------------------------------------------------------------------------

#: The follow-up's indicators and their labels (catalog messages), in the table's order.
FOLLOWUP_LABELS = (
    ("followup.sortie_dynamique", N_("Positive exit rate")),
    ("followup.sortie_dynamique_respondents", N_("Positive exit rate among respondents")),
    ("followup.durable", N_("Lasting employment")),
    ("followup.transition", N_("Transitional employment")),
    ("followup.positive", N_("Other positive outcome (training, another SIAE)")),
    ("followup.other", NC_("indicator", "Other situation")),
    ("followup.neutralised", N_("Neutralised exits")),
    ("followup.non_respondents", N_("Lost to follow-up (non-respondents)")),
    ("followup.digital_sector", N_("In the digital sector (among positive exits)")),
)


def followup_indicators(clean: CleanSession, confidence: float = 0.95) -> list[Indicator]:
    """Sortie dynamique (IAE definition) N months after the end, with its denominator.

    Rate = (emploi durable + emploi de transition + sorties positives) / (learners followed up −
    neutralised exits). Non-respondents stay in the denominator (the IAE's "sans nouvelles" are
    exits without a known positive situation); the rate among respondents is given too. When the
    follow-up was not collected, every follow-up indicator is present with the verdict "pending".

    The population followed up is every enrolled learner (all exits, drop-outs included), taken
    from ``clean.learner_flow`` (or ``clean.learners``): a learner without a row in followup.csv
    counts as "sans nouvelles" (no news), like a non-respondent, so that missing rows never
    shrink the denominator; the notes say how many of the no-news are absent from the file and
    how many are drop-outs. Without a learner list (a bare follow-up table), the file's rows are
    the population.
    """
    s = clean.name
    months = clean.meta.get("followup_months", 3)
    ids = [(code, *both(label)) for code, label in FOLLOWUP_LABELS]
    F = clean.followup
    if F is None:
        return [Indicator(s, "learners", "followup", i, fr, en, verdict="pending",
                          **_notes(N_("The %(months)s-month follow-up has not been collected "
                                      "yet."), months=str(months)))
                for i, fr, en in ids]
    cat = F["category"]
    # the population: every enrolled learner (B4); learners absent from the file are "no news"
    roster = getattr(clean, "learner_flow", None)
    if roster is None or "learner_id" not in getattr(roster, "columns", ()):
        roster = getattr(clean, "learners", None)
    in_file = set(F["learner_id"].astype(str)) if "learner_id" in F.columns else set()
    absent = 0
    if roster is not None and "learner_id" in getattr(roster, "columns", ()):
        absent = len(set(roster["learner_id"].astype(str)) - in_file)
    n_all = len(F) + absent
    counts = {c: int((cat == c).sum()) for c in
              ("durable", "transition", "positive", "other", "neutralised", "non_respondent", "unknown")}
    counts["non_respondent"] += absent
    dynamic = counts["durable"] + counts["transition"] + counts["positive"]
    denom = n_all - counts["neutralised"]
    respondents = denom - counts["non_respondent"]
    # the notes are published (report, Excel export): no count of the no-news' detail in them
    # (how many are absent from the file or drop-outs: often 1 or 2 people)
    timing = _notes(
        N_("Situation %(months)s months after the end of the session (not at the end of an "
           "employment contract); denominator: %(followed)s learners followed up − "
           "%(neutralised)s; learners lost to follow-up (non-respondents and learners absent from "
           "the follow-up file, drop-outs included) are counted in the denominator. Learners "
           "followed up: every enrolled learner, drop-outs included."),
        months=str(months), followed=str(n_all),
        neutralised=_count(NP_("%(num)s neutralised exit", "%(num)s neutralised exits"),
                           counts["neutralised"]))
    rows = [proportion(s, "learners", "followup", ids[0][0], ids[0][1], ids[0][2], dynamic, denom,
                       confidence=confidence, **timing),
            proportion(s, "learners", "followup", ids[1][0], ids[1][1], ids[1][2], dynamic,
                       respondents, confidence=confidence,
                       **_notes(N_("Learners lost to follow-up (non-respondents, absent from the "
                                   "file) excluded from the denominator.")))]
    for (i, fr, en), key in zip(ids[2:6], ("durable", "transition", "positive", "other")):
        k = counts[key] + (counts["unknown"] if key == "other" else 0)
        rows.append(proportion(s, "learners", "followup", i, fr, en, k, denom, confidence=confidence))
    rows.append(Indicator(s, "learners", "followup", ids[6][0], ids[6][1], ids[6][2],
                          counts["neutralised"], n_all, counts["neutralised"] / n_all if n_all else None,
                          **_notes(N_("Neutralised situations: documented list, overridable "
                                      "in session.yml."))))
    rows.append(Indicator(s, "learners", "followup", ids[7][0], ids[7][1], ids[7][2],
                          counts["non_respondent"], n_all,
                          counts["non_respondent"] / n_all if n_all else None,
                          **_notes(N_("Non-respondents and learners absent from the "
                                      "follow-up file, drop-outs included."))))
    dyn = F[cat.isin(["durable", "transition", "positive"])]
    yes, answered, missing = _boolean_share(dyn["digital_sector"]) if len(dyn) else (0, 0, 0)
    rows.append(proportion(s, "learners", "followup", ids[8][0], ids[8][1], ids[8][2], yes,
                           answered, confidence=confidence, n_missing=missing))
    return rows


# --------------------------------------------------------------------------------------------
# Testimonies
# --------------------------------------------------------------------------------------------

def testimony_indicators(clean: CleanSession) -> list[Indicator]:
    """Themes of the testimonies: participants mentioning each theme among those who testified."""
    from fac_eval.analysis import themes

    s = clean.name
    T = clean.testimonies
    rows = []
    if T is None or not len(T):
        return [Indicator(s, "all", "testimonies", "testimonies.count",
                          *both(N_("Testimonies")), 0, 0, None,
                          **_notes(N_("No testimony.")))]
    n_people = T["participant_id"].nunique()
    rows.append(Indicator(s, "all", "testimonies", "testimonies.count",
                          *both(N_("Testimonies")), len(T), len(T), float(len(T)),
                          **_plural_notes(NP_("%(num)s participant.", "%(num)s participants."),
                                          n_people)))
    consent = int(T["consent_quote"].astype("boolean").fillna(False).sum())
    rows.append(Indicator(s, "all", "testimonies", "testimonies.quotable",
                          *both(N_("Quotable testimonies (consent given)")),
                          consent, len(T), consent / len(T)))
    coded = themes.code_themes(T["text"])
    for theme in themes.THEMES:
        mentioned = T.loc[coded[theme.code], "participant_id"].nunique()
        rows.append(Indicator(s, "all", "testimonies", f"testimonies.theme.{theme.code}",
                              theme.label_fr, theme.label_en, mentioned, n_people,
                              mentioned / n_people if n_people else None,
                              **_plural_notes(NP_("%(num)s testimony.", "%(num)s testimonies."),
                                              int(coded[theme.code].sum()))))
    return rows


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------

def apply_holm(rows: list[Indicator], alpha: float = 0.05) -> None:
    """Holm adjustment over each family of *primary* indicators; sets ``p_adjusted`` and verdicts.

    A family is declared in advance: the rows of role ``"primary"`` with a p-value (their
    ``family``), whether or not their test can reach ``alpha`` (a primary outcome that cannot
    stays ``not_testable`` but still counts in the family size). Rows of role ``"secondary"``
    keep their raw p-value only (``p_adjusted`` empty) and their verdict is the shared rule on the
    raw p-value: exploratory, outside any family, so adding one never changes a primary result.
    Rows without a role (older callers) are primary when their test can reach ``alpha``.
    """
    families: dict[str, list[Indicator]] = {}
    for r in rows:
        if r.p_value is None or r.verdict not in ("pending_holm", "not_testable"):
            continue
        role = r.role or ("primary" if r.verdict == "pending_holm" else "")
        if role == "primary":
            families.setdefault(r.family, []).append(r)
        else:
            r.p_adjusted = None
            if r.verdict == "pending_holm":
                improved = {"improvement": True, "deterioration": False}.get(r.test_direction)
                r.verdict = verdict(r.p_value, r.min_attainable_p or 0.0, alpha, improved)
    for fam in families.values():
        adjusted = stats.holm([r.p_value for r in fam])
        for r, p_adj in zip(fam, adjusted):
            r.p_adjusted = float(p_adj)
            if r.verdict == "not_testable":
                continue
            # direction from the test (R+ vs its expectation, higher_is_better applied)
            improved = {"improvement": True, "deterioration": False}.get(r.test_direction)
            r.verdict = verdict(float(p_adj), r.min_attainable_p or 0.0, alpha, improved)


def assign_roles(rows: list[Indicator], primary: tuple[str, ...] | list[str] | None = None) -> None:
    """Mark each paired outcome's rows ``primary`` or ``secondary`` (``primary``: outcome names,
    by default :data:`fac_eval.data.codebook.PRIMARY_OUTCOMES`)."""
    chosen = set(cb.PRIMARY_OUTCOMES if primary is None else primary)
    for r in rows:
        parts = r.indicator.split(".")
        if len(parts) == 3 and parts[2] == "improved" and parts[1] in cb.PAIRED_OUTCOMES:
            r.role = "primary" if parts[1] in chosen else "secondary"


def session_indicators(clean: CleanSession, alpha: float = 0.05, confidence: float = 0.95,
                       primary_outcomes: tuple[str, ...] | list[str] | None = None) -> pd.DataFrame:
    """The whole indicator table of one session (one row per indicator, :data:`COLUMNS`).

    ``primary_outcomes``: the outcomes of the Holm families (default: the codebook's
    :data:`~fac_eval.data.codebook.PRIMARY_OUTCOMES`; a session's ``session.yml`` may declare its own).
    """
    rows: list[Indicator] = []
    rows += learner_profile_indicators(clean, confidence)
    rows += learner_outcome_indicators(clean, alpha, confidence)
    rows += learner_declaration_indicators(clean, confidence)
    rows += founder_indicators(clean, alpha, confidence)
    rows += followup_indicators(clean, confidence)
    rows += testimony_indicators(clean)
    assign_roles(rows, primary_outcomes)
    apply_holm(rows, alpha)
    table = pd.DataFrame([asdict(r) for r in rows], columns=COLUMNS)
    for c in ("numerator", "denominator", "value", "ci_low", "ci_high", "statistic", "p_value",
              "p_adjusted", "effect", "effect_ci_low", "effect_ci_high", "confidence",
              "effect_confidence", "threshold", "n_worse"):
        table[c] = pd.to_numeric(table[c], errors="coerce").astype(float)
    table["n_missing"] = table["n_missing"].astype(int)
    return table


def lookup(table: pd.DataFrame, indicator: str) -> pd.Series:
    """One indicator's row (KeyError naming it if absent)."""
    hit = table[table["indicator"] == indicator]
    if hit.empty:
        raise KeyError(f"indicateur inconnu : {indicator}")
    return hit.iloc[0]
