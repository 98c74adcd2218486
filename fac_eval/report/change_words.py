"""The words of a paired outcome's changes beside its count (who fell, nobody improved) and
of a published figure in the publication's own terms (RQTH), for :mod:`fac_eval.report.narrative`.

Pure text functions from one indicator row and the catalogs; no markup.
"""

from __future__ import annotations

import pandas as pd

from fac_eval.core.formatting import fmt_ci, fmt_number, fmt_percent

from .i18n import NP_, messages

__all__ = ["NONE_IMPROVED", "WORSE", "DECLINES", "DISABILITY", "outcome_words", "worse_sentence",
           "decline_sentence", "decline_finding", "disability_sentence", "published_statement", "published_sentence"]


#: The published "en situation de handicap", which the data code as RQTH (a recognition many
#: people with a disability do not have): the publication's words, and the coding said.
DISABILITY = NP_(
    "%(num)s learner out of %(n)s%(paren)s has a disability, as the published assessment says "
    "(the reconstruction codes it as RQTH).",
    "%(num)s learners out of %(n)s%(paren)s have a disability, as the published assessment says "
    "(the reconstruction codes it as RQTH).")


def disability_sentence(row: pd.Series, lang: str = "fr", level: float = 0.95) -> str:
    """The RQTH row in the published assessment's words (:data:`DISABILITY`)."""
    k, n = int(row["numerator"]), int(row["denominator"])
    ci = ""
    if pd.notna(row.get("ci_low")) and pd.notna(row.get("ci_high")):
        ci = ", " + fmt_ci(row["ci_low"], row["ci_high"], lang, level=level)
    return messages(lang).nplural(DISABILITY, k, n=fmt_number(n, lang),
                                  paren=f" ({fmt_percent(k / n, lang)}{ci})" if n else "")


#: A paired outcome nobody improved on: "Aucun des 4 porteurs de projet ayant répondu n'a
#: progressé en communication interne." (never "0 porteur de projet sur 4 a progressé").
NONE_IMPROVED = {
    "learners": NP_("The %(num)s learner who answered%(paren)s did not improve on %(outcome)s.",
                    "None of the %(num)s learners who answered%(paren)s improved on "
                    "%(outcome)s."),
    "founders": NP_("The %(num)s founder who answered%(paren)s did not improve on %(outcome)s.",
                    "None of the %(num)s founders who answered%(paren)s improved on "
                    "%(outcome)s."),
}

#: Those whose score fell, after the sentence of those who improved (a paired outcome).
WORSE = NP_("%(num)s scored lower at exit than at entry.",
            "%(num)s scored lower at exit than at entry.")

#: The decline as a finding of its own (the synthèse's and the key figures' negative result).
DECLINES = {
    "learners": NP_("%(num)s learner out of %(n)s scored lower on %(outcome)s at exit than at "
                    "entry.",
                    "%(num)s learners out of %(n)s scored lower on %(outcome)s at exit than at "
                    "entry."),
    "founders": NP_("%(num)s founder out of %(n)s scored lower on %(outcome)s at exit than at "
                    "entry.",
                    "%(num)s founders out of %(n)s scored lower on %(outcome)s at exit than at "
                    "entry."),
}


def outcome_words(row: pd.Series, lang: str) -> str:
    """The paired outcome of a row, as said inside a sentence ("estime de soi (Rosenberg,
    EES-10)")."""
    from fac_eval.data import codebook as cb

    name = str(row["indicator"]).split(".")[1]
    try:
        label = cb.outcome_label(name, lang)
    except KeyError:
        label = name
    return label[:1].lower() + label[1:]


def _n_worse(row: pd.Series) -> int:
    worse = row.get("n_worse")
    return 0 if worse is None or pd.isna(worse) else int(worse)


def worse_sentence(row: pd.Series, lang: str = "fr") -> str:
    """"1 a un score plus bas à la sortie qu'à l'entrée." after a paired outcome's sentence when
    anyone's score fell (the charts' "↓ 1"); "" otherwise."""
    worse = _n_worse(row)
    return messages(lang).nplural(WORSE, worse) if worse else ""


def decline_sentence(row: pd.Series, lang: str = "fr") -> str:
    """"3 apprenants sur 12 ont un score plus bas en estime de soi à la sortie qu'à l'entrée.":
    the decline of a paired outcome as a finding (:func:`fac_eval.analysis.funder.
    main_findings`, weakness ``decline``)."""
    worse = _n_worse(row)
    message = DECLINES.get(str(row.get("population")))
    if not worse or message is None or pd.isna(row.get("denominator")):
        return ""
    return messages(lang).nplural(message, worse, n=fmt_number(int(row["denominator"]), lang),
                                  outcome=outcome_words(row, lang))


#: After a decline stated as a finding: how many improved all the same, so that the finding
#: is not only negative ("6 sur 12 (50 %) ont progressé.").
IMPROVED_TOO = NP_("%(num)s out of %(n)s%(paren)s improved.",
                   "%(num)s out of %(n)s%(paren)s improved.")


def decline_finding(row: pd.Series, lang: str = "fr") -> str:
    """The synthèse's decline (:func:`decline_sentence`), then how many improved
    (:data:`IMPROVED_TOO`, when anyone did): "2 apprenants sur 12 ont un score plus bas en
    confiance en moi à la sortie qu'à l'entrée. 6 sur 12 (50 %) ont progressé." """
    sentence = decline_sentence(row, lang)
    k, n = row.get("numerator"), row.get("denominator")
    if not sentence or pd.isna(k) or pd.isna(n) or not int(k) or not int(n):
        return sentence
    k, n = int(k), int(n)
    return sentence + " " + messages(lang).nplural(
        IMPROVED_TOO, k, n=fmt_number(n, lang), paren=f" ({fmt_percent(k / n, lang)})")


def published_statement(claims: pd.DataFrame | None, indicator: str) -> str:
    """The published assessment's statement of ``indicator`` (claims.yml), "" if none."""
    if claims is None or claims.empty:
        return ""
    hit = claims.loc[claims["indicator"] == indicator, "text"]
    return str(hit.iloc[0]) if len(hit) else ""


def published_sentence(row: pd.Series, claims: pd.DataFrame | None, sentence: str,
                       lang: str = "fr", level: float = 0.95) -> str:
    """The sentence of a figure the publication fixes, in its words where the data's name
    differs: the RQTH row of a publication that says "en situation de handicap" (and not
    RQTH, the reconstruction's coding) reads as :data:`DISABILITY`; else ``sentence``."""
    statement = published_statement(claims, str(row["indicator"])).lower()
    if row["indicator"] == "learners.rqth" and statement and not any(
            w in statement for w in ("rqth", "travailleur")):
        return disability_sentence(row, lang, level=level)
    return sentence
