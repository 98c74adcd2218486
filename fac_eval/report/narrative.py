"""Narrative: plain-language sentences generated from the indicator table.

Nothing in the report's prose is typed by hand in the notebook: every sentence with a figure is
built here from one indicator row, from the messages of the catalogs (:mod:`fac_eval.report.i18n`)
and the locale formatting of :mod:`fac_eval.core.formatting` ("7 apprenants sur 8 (88 %, IC 95 % :
47–100 %) ont gagné en estime de soi."). Each indicator has its own sentence, with its singular
and plural forms (``ngettext``) and, for French, the form used when everyone is concerned ("Les 8
apprenants …", a message with the context "all of them"). The verdict of a test never claims an
effect the test could not establish.
"""

from __future__ import annotations

import pandas as pd

from fac_eval.core.formatting import fmt_ci, fmt_level, fmt_number, fmt_percent, fmt_pvalue

from .change_words import NONE_IMPROVED, outcome_words, worse_sentence
from .i18n import N_, NC_, NP_, messages
from .interval_notes import EDGE_NOTES, edge_note, interval_edges  # noqa: F401 (public here too)

#: The sentence of each indicator: (singular, plural) for "<k> <subject> out of <n> <predicate>",
#: and the sentence when all n are concerned. ``%(num)s`` is k, ``%(n)s`` the denominator,
#: ``%(paren)s`` the parenthesis " (88 %, IC 95 % : 47–100 %)" (or nothing).
SENTENCES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "learners.unemployed_over_24m": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s had been looking for work for more than 24 "
            "months at entry.",
            "%(num)s learners out of %(n)s%(paren)s had been looking for work for more than 24 "
            "months at entry."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s had been looking for work for more than 24 "
            "months at entry.")),
    "learners.rqth": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s is a recognised disabled worker (RQTH).",
            "%(num)s learners out of %(n)s%(paren)s are recognised disabled workers (RQTH)."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s are recognised disabled workers (RQTH).")),
    "learners.completed": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s completed the course.",
            "%(num)s learners out of %(n)s%(paren)s completed the course."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s completed the course.")),
    "learners.self_esteem.improved": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s gained self-esteem.",
            "%(num)s learners out of %(n)s%(paren)s gained self-esteem."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s gained self-esteem.")),
    "learners.self_esteem.reliable_improvement": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s showed a reliable improvement in self-esteem.",
            "%(num)s learners out of %(n)s%(paren)s showed a reliable improvement in self-esteem."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s showed a reliable improvement in self-esteem.")),
    "learners.confidence.improved": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s gained self-confidence.",
            "%(num)s learners out of %(n)s%(paren)s gained self-confidence."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s gained self-confidence.")),
    "learners.autonomy.improved": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s became more autonomous.",
            "%(num)s learners out of %(n)s%(paren)s became more autonomous."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s became more autonomous.")),
    "learners.digital_skills.improved": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s improved their digital skills.",
            "%(num)s learners out of %(n)s%(paren)s improved their digital skills."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s improved their digital skills.")),
    "learners.soft_skills.improved": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s improved their employability soft skills.",
            "%(num)s learners out of %(n)s%(paren)s improved their employability soft skills."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s improved their employability soft skills.")),
    "learners.projection.improved": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s projects themselves better professionally.",
            "%(num)s learners out of %(n)s%(paren)s project themselves better professionally."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s project themselves better professionally.")),
    "learners.step_back.agree": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s says they can step back and look at a "
            "situation objectively.",
            "%(num)s learners out of %(n)s%(paren)s say they can step back and look at a "
            "situation objectively."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s say they can step back and look at a "
            "situation objectively.")),
    "learners.aware_skills_value.agree": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s became aware of the value of their skills.",
            "%(num)s learners out of %(n)s%(paren)s became aware of the value of their skills."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s became aware of the value of their skills.")),
    "learners.value_skills.agree": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s feels better able to put their skills forward.",
            "%(num)s learners out of %(n)s%(paren)s feel better able to put their skills forward."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s feel better able to put their skills forward.")),
    "learners.aspirations.agree": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s says they improved their ability to reach "
            "their professional aspirations.",
            "%(num)s learners out of %(n)s%(paren)s say they improved their ability to reach "
            "their professional aspirations."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s say they improved their ability to reach "
            "their professional aspirations.")),
    "learners.motivation.agree": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s is more motivated to pursue their "
            "professional project.",
            "%(num)s learners out of %(n)s%(paren)s are more motivated to pursue their "
            "professional project."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s are more motivated to pursue their "
            "professional project.")),
    # the denominator is a part of the founders: named in the sentence (issue 12, §2)
    "founders.business_created": (
        NP_(
            "%(num)s founder out of the %(n)s in the creation stage%(paren)s created their "
            "business during the session.",
            "%(num)s founders out of the %(n)s in the creation stage%(paren)s created their "
            "business during the session."),
        NC_("all of them",
            "The %(n)s founders in the creation stage%(paren)s all created their business "
            "during the session.")),
    "founders.revenue_up": (
        NP_(
            "%(num)s founder out of the %(n)s developing a business%(paren)s increased their "
            "revenue.",
            "%(num)s founders out of the %(n)s developing a business%(paren)s increased their "
            "revenue."),
        NC_("all of them",
            "The %(n)s founders developing a business%(paren)s all increased their revenue.")),
    "founders.developed": (
        NP_(
            "%(num)s founder out of %(n)s%(paren)s developed their activity.",
            "%(num)s founders out of %(n)s%(paren)s developed their activity."),
        NC_("all of them",
            "%(n)s founders out of %(n)s%(paren)s developed their activity.")),
    "founders.digital_culture_ceiling": (
        NP_(
            "%(num)s founder out of %(n)s%(paren)s already had a good digital culture beforehand.",
            "%(num)s founders out of %(n)s%(paren)s already had a good digital culture "
            "beforehand."),
        NC_("all of them",
            "%(n)s founders out of %(n)s%(paren)s already had a good digital culture beforehand.")),
    "founders.time_saved": (
        NP_(
            "%(num)s founder out of %(n)s%(paren)s says they saved time thanks to the learners' "
            "digital tools.",
            "%(num)s founders out of %(n)s%(paren)s say they saved time thanks to the learners' "
            "digital tools."),
        NC_("all of them",
            "%(n)s founders out of %(n)s%(paren)s say they saved time thanks to the learners' "
            "digital tools.")),
    "founders.leadership_skills.improved": (
        NP_(
            "%(num)s founder out of %(n)s%(paren)s improved their skills as business leaders.",
            "%(num)s founders out of %(n)s%(paren)s improved their skills as business leaders."),
        NC_("all of them",
            "%(n)s founders out of %(n)s%(paren)s improved their skills as business leaders.")),
    "founders.digital_culture.improved": (
        NP_(
            "%(num)s founder out of %(n)s%(paren)s improved their digital culture.",
            "%(num)s founders out of %(n)s%(paren)s improved their digital culture."),
        NC_("all of them",
            "%(n)s founders out of %(n)s%(paren)s improved their digital culture.")),
    "founders.internal_communication.improved": (
        NP_(
            "%(num)s founder out of %(n)s%(paren)s improved internal communication.",
            "%(num)s founders out of %(n)s%(paren)s improved internal communication."),
        NC_("all of them",
            "%(n)s founders out of %(n)s%(paren)s improved internal communication.")),
    "founders.management.improved": (
        NP_(
            "%(num)s founder out of %(n)s%(paren)s improved their management.",
            "%(num)s founders out of %(n)s%(paren)s improved their management."),
        NC_("all of them",
            "%(n)s founders out of %(n)s%(paren)s improved their management.")),
    # the IAE's denominator named: the learners followed up less the neutralised exits, those
    # without news counted as without a positive exit (not the learners who answered)
    "followup.sortie_dynamique": (
        NP_(
            "%(num)s of the %(n)s learners followed up, neutralised exits excluded%(paren)s, had "
            "a dynamic exit (those without news counted as without one).",
            "%(num)s of the %(n)s learners followed up, neutralised exits excluded%(paren)s, had "
            "a dynamic exit (those without news counted as without one)."),
        NC_("all of them",
            "All %(n)s learners followed up, neutralised exits excluded%(paren)s, had a dynamic "
            "exit.")),
    "followup.digital_sector": (
        NP_(
            "%(num)s learner out of %(n)s%(paren)s works or trains in the digital sector.",
            "%(num)s learners out of %(n)s%(paren)s work or train in the digital sector."),
        NC_("all of them",
            "%(n)s learners out of %(n)s%(paren)s work or train in the digital sector.")),
}

#: The share of founders whose digital culture rose between entry and exit is the same result as
#: the paired row: one sentence, and no causal word (the item asks a level, not what caused a
#: change; causal wording only where the question asks it, :func:`fac_eval.data.codebook.asks_attribution`)
SENTENCES["founders.digital_culture_gained"] = SENTENCES["founders.digital_culture.improved"]

#: The reading of a test's verdict in a table cell. No verdict says "established" or "proven":
#: a small uncontrolled group can make a change unlikely to be chance alone, never prove what
#: caused it.
VERDICT_READINGS = {
    "no_data": N_("no pair"),
    "not_testable": N_("descriptive (too few)"),
    "significant_improvement": N_("improvement, hardly due to chance alone"),
    "significant_deterioration": N_("deterioration, hardly due to chance alone"),
    "no_evidence": N_("no clear change shown"),
    "descriptive": N_("descriptive"),
}

#: The verdict at the end of a test sentence, graded by the adjusted p-value and the margin
#: (:func:`verdict_grade`): "floor" when the adjusted p-value is the smallest the exact test can
#: reach with these pairs (no data could show more: never "only just past the threshold");
#: "clear" when it is at most a fifth of the threshold and the interval of the typical change
#: excludes zero; else "likely" — a name kept for the code only: a p-value gives no
#: probability that a change is real, so no verdict says "probable" or "likely".
VERDICT_SENTENCES = {
    ("significant_improvement", "floor"): N_(
        "a clear improvement; the adjusted p-value is the smallest this test can give with "
        "these pairs"),
    ("significant_improvement", "clear"): N_("a clear improvement, hardly due to chance alone"),
    ("significant_improvement", "likely"): N_("an improvement hardly due to chance alone"),
    ("significant_deterioration", "floor"): N_(
        "a clear deterioration; the adjusted p-value is the smallest this test can give with "
        "these pairs"),
    ("significant_deterioration", "clear"): N_("a clear deterioration, hardly due to chance alone"),
    ("significant_deterioration", "likely"): N_("a deterioration hardly due to chance alone"),
    # a secondary outcome's raw p-value, however small: to be confirmed
    ("significant_improvement", "exploratory"): N_("an improvement to be confirmed"),
    ("significant_deterioration", "exploratory"): N_("a deterioration to be confirmed"),
    ("no_evidence", ""): N_("no clear change shown at this sample size, which does not mean "
                            "there was none"),
}

#: Said after every verdict of a change: the design cannot attribute it to the programme.
ATTRIBUTION = N_("the share due to the programme is unknown (no comparison group)")


def with_attribution(words: str, lang: str = "fr") -> str:
    """``words`` (a verdict of a change) followed by the attribution caveat
    (:data:`ATTRIBUTION`): "hausse nette ; la part due au programme reste inconnue (…)"."""
    w = messages(lang)
    return w._("%(verdict)s; %(caveat)s", verdict=words, caveat=w._(ATTRIBUTION))


#: The same graded verdicts in a table cell (:func:`graded_reading`): a table never reads
#: stronger than the sentence about the same row.
GRADED_READINGS = {
    ("significant_improvement", "floor"): N_("clear improvement (adjusted p-value at the "
                                             "smallest this test can give)"),
    ("significant_improvement", "clear"): N_("clear improvement, hardly due to chance alone"),
    ("significant_improvement", "likely"): N_("improvement hardly due to chance alone"),
    ("significant_deterioration", "floor"): N_("clear deterioration (adjusted p-value at the "
                                               "smallest this test can give)"),
    ("significant_deterioration", "clear"): N_("clear deterioration, hardly due to chance "
                                               "alone"),
    ("significant_improvement", "exploratory"): N_("improvement to be confirmed"),
    ("significant_deterioration", "exploratory"): N_("deterioration to be confirmed"),
    ("significant_deterioration", "likely"): N_("deterioration hardly due to chance alone"),
}


def holm_family_size(indicators: pd.DataFrame, row: pd.Series) -> int:
    """How many tests share the row's Holm family in ``indicators`` (1 when it has none): the
    tests adjusted together (the primary outcomes; secondary outcomes share the family name
    but keep their raw p-value)."""
    if pd.isna(row.get("family")) or not row.get("family"):
        return 1
    same = indicators.loc[(indicators["family"] == row["family"])
                          & indicators["p_adjusted"].notna()]
    return max(len(same), 1)


def table_reading(indicators: pd.DataFrame, row: pd.Series, lang: str = "fr",
                  alpha: float = 0.05) -> str:
    """The reading of a row of tests as the report's tables give it (:func:`graded_reading`,
    "(exploratoire)" after a secondary outcome's), for the exports; "" for a row without a
    test's verdict."""
    if row.get("verdict") not in ("significant_improvement", "significant_deterioration",
                                  "no_evidence", "not_testable"):
        return ""
    reading = graded_reading(row, lang, alpha, holm_family_size(indicators, row))
    if row.get("role") == "secondary" and pd.notna(row.get("p_value")) \
            and row.get("verdict") != "not_testable":
        reading = messages(lang)._("%(reading)s (exploratory)", reading=reading)
    return reading


def verdict_grade(row: pd.Series, alpha: float, family_size: int | None = None) -> str:
    """"floor", "clear", "likely", "exploratory" or "" (not a significant verdict): see
    :data:`VERDICT_SENTENCES`.

    A secondary (exploratory) outcome is "exploratory": to be confirmed (its raw p-value is
    not adjusted, so it never reads stronger than the primary outcomes of the family declared
    in advance). ``family_size``: the tests of the row's Holm family, for "floor"
    (:func:`p_floor`)."""
    if row.get("verdict") not in ("significant_improvement", "significant_deterioration"):
        return ""
    if row.get("role") == "secondary":
        return "exploratory"
    if p_floor(row, family_size):
        return "floor"
    p = row.get("p_adjusted")
    p = row.get("p_value") if p is None or pd.isna(p) else p
    lo, hi = row.get("effect_ci_low"), row.get("effect_ci_high")
    margin = pd.isna(lo) or pd.isna(hi) or lo > 0 or hi < 0
    return "clear" if p is not None and p <= alpha / 5 and margin else "likely"


def headline_sentence(sentence: str, row: pd.Series, lang: str = "fr",
                      role_column: str = "role") -> str:
    """A headline ("6 apprenants sur 12 ont gagné en confiance en soi.") with what its test
    says beside it, so that a count never reads as a finding the test does not support: "the
    test did not show a clear change" when it did not; "(exploratory)" for a secondary outcome
    (outside the family declared in advance). ``role_column``: where the primary / secondary
    role is (``outcome_role`` in :func:`fac_eval.analysis.funder.main_findings`)."""
    w = messages(lang)
    worse = worse_sentence(row, lang)  # said last, after what the test says of the sentence
    if worse and sentence.endswith(" " + worse):
        return headline_sentence(sentence[:-len(worse) - 1], row, lang, role_column) + " " + worse
    tested = row.get("verdict") in ("no_evidence", "significant_improvement",
                                    "significant_deterioration")
    secondary = row.get(role_column) == "secondary" and tested  # not "too few to test"
    no_evidence = row.get("verdict") == "no_evidence"
    if not (secondary or no_evidence):
        return sentence
    stop = "." if sentence.endswith(".") else ""
    base = sentence[:-1] if stop else sentence
    if secondary:
        base = w._("%(sentence)s (secondary outcome: its test is exploratory)", sentence=base)
    if no_evidence:
        return w._("%(sentence)s — the test did not show a clear change.", sentence=base)
    return base + stop


def verdict_reading(verdict: str, lang: str = "fr") -> str:
    """"descriptif (effectif trop petit)", "pas de preuve d'un changement"…; "" for an unknown
    code. A table of tests uses :func:`graded_reading`, graded like the sentences."""
    words = VERDICT_READINGS.get(verdict)
    return messages(lang)._(words) if words else ""


def graded_reading(row: pd.Series, lang: str = "fr", alpha: float = 0.05,
                   family_size: int | None = None) -> str:
    """The reading of a test's row in a table cell, graded as :func:`test_sentence` grades the
    same row (:func:`verdict_grade`): "amélioration nette, …" or "amélioration difficilement
    due au seul hasard"; the other verdicts as :func:`verdict_reading`."""
    grade = verdict_grade(row, alpha, family_size)
    words = GRADED_READINGS.get((row.get("verdict"), grade))
    if words:
        return messages(lang)._(words)
    if row.get("verdict") == "not_testable":
        reason = untestable_reason(row, alpha, lang)
        if reason:
            return reason
    return verdict_reading(str(row.get("verdict")), lang)


def untestable_reason(row: pd.Series, alpha: float = 0.05, lang: str = "fr") -> str:
    """Why a test cannot reach ``alpha``, from the row's counts: too few pairs ("descriptif
    (trop peu de paires : 4)") or, with enough pairs, too few of them changed ("descriptif
    (trop peu de changements : 4 paires non nulles)"); "" when the counts are not known."""
    w = messages(lang)
    n = row.get("n_pairs") if pd.notna(row.get("n_pairs", float("nan"))) else row.get("denominator")
    nonzero = row.get("n_nonzero", float("nan"))
    if pd.isna(nonzero) and pd.notna(row.get("n_worse", float("nan"))) \
            and pd.notna(row.get("numerator")):
        nonzero = float(row["numerator"]) + float(row["n_worse"])
    if n is None or pd.isna(n):
        return ""
    if int(n) <= untestable_pairs(alpha) or pd.isna(nonzero):
        return w.ngettext("descriptive (too few pairs: %(num)s)",
                          "descriptive (too few pairs: %(num)s)", int(n))
    return w.ngettext("descriptive (too few changes: %(num)s non-zero pair)",
                      "descriptive (too few changes: %(num)s non-zero pairs)", int(nonzero))


def share_sentence(row: pd.Series, lang: str = "fr", with_ci: bool = True, level: float = 0.95,
                   with_percent: bool = True, say_all: bool = True,
                   everyone: int | None = None) -> str:
    """"7 apprenants sur 8 (88 %, IC 95 % : 47–100 %) ont gagné en estime de soi."

    Falls back on the indicator's label when no sentence is registered. An indicator without a
    denominator (not collected) reads as its note; one with a zero denominator says nobody was
    concerned or answered. ``with_percent=False`` gives the short form of the key-figure cards
    ("7 apprenants sur 8 ont gagné en estime de soi"). ``say_all=False`` keeps "k sur n" when
    everyone is concerned ("8 apprenants sur 8 …" rather than "Les 8 apprenants …": the summary).
    ``everyone``: how many people the population holds (enrolled); "Les 12 apprenants …" is said
    only when the 12 are all of them, else "12 apprenants sur 12 …" (12 answered of 14 enrolled).
    """
    w = messages(lang)
    en = lang == "en"
    label = row["label_en"] if en else row["label_fr"]
    k, n = row["numerator"], row["denominator"]
    if pd.isna(n) or pd.isna(k):
        return w._("%(label)s: %(note)s", label=label, note=row["note_en"] if en else row["note"])
    k, n = int(k), int(n)
    if n == 0:
        return w._("%(label)s: nobody concerned or answering.", label=label)
    pct = fmt_percent(k / n, lang)
    ci = ""
    if with_ci and pd.notna(row.get("ci_low")) and pd.notna(row.get("ci_high")):
        ci = ", " + fmt_ci(row["ci_low"], row["ci_high"], lang, level=level)
    paren = f" ({pct}{ci})" if with_percent else ""
    values = dict(n=fmt_number(n, lang), paren=paren)
    sentence = SENTENCES.get(row["indicator"])
    if sentence is None:
        if not with_percent:
            return w._("%(label)s: %(k)s of %(n)s.", label=label, k=fmt_number(k, lang), **values)
        return w._("%(label)s: %(k)s of %(n)s (%(percent)s%(ci)s).", label=label,
                   k=fmt_number(k, lang), percent=pct, ci=ci, n=values["n"])
    if k == n and n > 1 and say_all and (everyone is None or n >= everyone):
        return w.pgettext(*sentence[1], **values)
    if k == 0 and n > 1 and str(row["indicator"]).endswith(".improved") \
            and row.get("population") in NONE_IMPROVED:
        said = w.nplural(NONE_IMPROVED[row["population"]], n, outcome=outcome_words(row, lang),
                         paren=paren)
    else:
        said = w.nplural(sentence[0], k, **values)
    return " ".join(filter(None, [said, worse_sentence(row, lang)]))


def test_sentence(row: pd.Series, lang: str = "fr", alpha: float = 0.05,
                  level: float | None = None, family_size: int | None = None,
                  floor_note: bool = True) -> str:
    """The paired test in plain words, never claiming what the test could not establish.

    The verdict is graded (:func:`verdict_grade`) and followed by the attribution caveat
    (:data:`ATTRIBUTION`). When the p-value sits at the smallest value the exact test can reach
    with these pairs (:math:`2^{1-n}`, or :math:`m \\cdot 2^{1-n}` after Holm's adjustment in a
    family of ``family_size`` = m tests), the sentence says so: no data could give a smaller one
    (:func:`p_floor`; ``floor_note=False`` leaves it to one note under a list of tests).

    ``level``: confidence level of the Hodges-Lehmann interval; by default the row's
    ``confidence`` (the level it was computed at), else 0.95.
    """

    w = messages(lang)
    verdict = row.get("verdict", "descriptive")
    if verdict in ("descriptive", "pending") or pd.isna(row.get("p_value")):
        return ""
    if level is None:  # the level the interval achieves (an exact interval on few pairs
        level = row.get("effect_confidence")  # cannot reach the nominal one), else the nominal
        if level is None or pd.isna(level):
            level = row.get("confidence")
        level = 0.95 if level is None or pd.isna(level) else float(level)
    if verdict == "not_testable":
        return row["note_en"] if lang == "en" else row["note"]
    shift = ""
    if pd.notna(row.get("effect")):
        lo, hi = row.get("effect_ci_low"), row.get("effect_ci_high")
        ci = ""
        if pd.notna(lo) and pd.notna(hi):
            ci = f" ({fmt_ci(lo, hi, lang, as_percent=False, level=level, decimals=1)})"
        shift = w.ngettext("; typical change %(estimate)s point%(ci)s",
                           "; typical change %(estimate)s points%(ci)s",
                           w.count_form(row["effect"], 1),
                           estimate=fmt_number(row["effect"], lang, 1), ci=ci)
    padj = fmt_pvalue(row["p_adjusted"], lang) if pd.notna(row.get("p_adjusted")) else ""
    words = w._(VERDICT_SENTENCES[(verdict, verdict_grade(row, alpha, family_size))])
    if verdict != "no_evidence":
        words = with_attribution(words, lang)
    if row.get("role") == "secondary":  # outside the Holm family declared in advance
        return w._("Exact Wilcoxon signed-rank test: %(p)s, not adjusted (secondary outcome, "
                   "exploratory)%(shift)s — %(verdict)s.", p=fmt_pvalue(row["p_value"], lang),
                   shift=shift, verdict=words)
    floor = p_floor(row, family_size) if floor_note else ""
    if floor:
        floor = " " + floor_sentence(floor, int(row["denominator"]), family_size or 1, lang)
    return w._("Exact Wilcoxon signed-rank test: %(p)s (Holm-adjusted %(p_adjusted)s)%(shift)s "
               "— %(verdict)s.", p=fmt_pvalue(row["p_value"], lang), p_adjusted=padj,
               shift=shift, verdict=words) + floor


def p_floor(row: pd.Series, family_size: int | None = None) -> str:
    """"adjusted" when the Holm-adjusted p-value is the smallest the exact test can reach in its
    family (:math:`m \\cdot 2^{1-n}`), "raw" when the p-value is :math:`2^{1-n}`, else ""."""
    from fac_eval.analysis.stats import min_attainable_p

    n = row.get("denominator")
    if pd.isna(n) or int(n) <= 0 or pd.isna(row.get("p_value")):
        return ""
    pmin = min_attainable_p(int(n))
    if pd.notna(row.get("p_adjusted")) and family_size and family_size > 1 \
            and row["p_adjusted"] <= min(1.0, pmin * family_size) * (1 + 1e-9):
        return "adjusted"
    return "raw" if row["p_value"] <= pmin * (1 + 1e-9) else ""


def floor_sentence(kind: str, n_pairs: int, family_size: int, lang: str = "fr",
                   outcomes: int = 1) -> str:
    """The sentence of :func:`p_floor`, for one test or for ``outcomes`` tests at once."""
    w = messages(lang)
    if outcomes > 1:
        if kind == "adjusted":
            return w.ngettext(
                "For these %(k)s outcomes, the adjusted p-value is the smallest this test can "
                "reach with %(num)s pair in a family of %(m)s tests: no data could give a "
                "smaller one.",
                "For these %(k)s outcomes, the adjusted p-value is the smallest this test can "
                "reach with %(num)s pairs in a family of %(m)s tests: no data could give a "
                "smaller one.", n_pairs, k=fmt_number(outcomes, lang),
                m=fmt_number(family_size, lang))
        return w.ngettext(
            "For these %(k)s outcomes, the p-value is the smallest this test can reach with "
            "%(num)s pair: no data could give a smaller one.",
            "For these %(k)s outcomes, the p-value is the smallest this test can reach with "
            "%(num)s pairs: no data could give a smaller one.", n_pairs,
            k=fmt_number(outcomes, lang))
    if kind == "adjusted":
        return w.ngettext(
            "The adjusted p-value is the smallest this test can reach with %(num)s pair "
            "in a family of %(m)s tests.",
            "The adjusted p-value is the smallest this test can reach with %(num)s pairs "
            "in a family of %(m)s tests.", n_pairs, m=fmt_number(family_size, lang))
    return w.ngettext(
        "The p-value is the smallest this test can reach with %(num)s pair.",
        "The p-value is the smallest this test can reach with %(num)s pairs.", n_pairs)


def significance_threshold_sentence(n_pairs: int, alpha: float, lang: str = "fr") -> str:
    """Why small groups cannot be tested: with n non-zero pairs the smallest two-sided p is
    2/2^n."""
    from fac_eval.analysis.stats import min_attainable_p

    w = messages(lang)
    p = min_attainable_p(n_pairs) if n_pairs else 1.0
    shown = fmt_pvalue(p, lang).replace("p\u00a0=\u00a0", "").replace("p\u00a0<\u00a0", "< ")
    values = dict(p=shown, alpha=fmt_level(alpha, lang))
    if p <= alpha:
        return w.ngettext(
            "With %(num)s pair, the smallest p-value any exact two-sided test can reach is "
            "%(p)s; a test can reach the %(alpha)s threshold.",
            "With %(num)s pairs, the smallest p-value any exact two-sided test can reach is "
            "%(p)s; a test can reach the %(alpha)s threshold.", n_pairs, **values)
    return w.ngettext(
        "With %(num)s pair, the smallest p-value any exact two-sided test can reach is %(p)s; no "
        "test can reach the %(alpha)s threshold, so results are descriptive.",
        "With %(num)s pairs, the smallest p-value any exact two-sided test can reach is %(p)s; no "
        "test can reach the %(alpha)s threshold, so results are descriptive.", n_pairs, **values)


def untestable_pairs(alpha: float) -> int:
    """The largest number of pairs whose exact two-sided test cannot reach ``alpha``
    (:math:`2^{1-n} > \\alpha`: 5 at 5 %), found from the logarithm, then checked on the
    exact function (any alpha in (0, 0.2])."""
    import math

    from fac_eval.analysis.stats import min_attainable_p

    n = max(1, math.ceil(1 - math.log2(alpha)))
    while min_attainable_p(n) > alpha:
        n += 1
    while n > 1 and min_attainable_p(n - 1) <= alpha:
        n -= 1
    return n - 1
