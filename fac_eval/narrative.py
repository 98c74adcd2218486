"""Narrative: plain-language sentences generated from the indicator table.

Nothing in the report's prose is typed by hand in the notebook: every sentence with a figure is
built here from one indicator row, in French (default) or English, with the locale formatting of
:mod:`fac_eval.formatting` ("7 apprenants sur 8 (88 %, IC 95 % : 47–100 %) ont gagné en estime de
soi."). The verdict of a test never claims an effect the test could not establish.
"""

from __future__ import annotations

import pandas as pd

from .formatting import fmt_ci, fmt_count, fmt_number, fmt_percent, fmt_pvalue

#: Subject nouns by population: (French singular, French plural, English singular, English plural)
SUBJECTS = {
    "learners": ("apprenant", "apprenants", "learner", "learners"),
    "founders": ("porteur de projet", "porteurs de projet", "founder", "founders"),
    "all": ("participant", "participants", "participant", "participants"),
}

#: Predicates by indicator: (French singular, French plural, English). The sentence reads
#: "<k> <subject> sur <n> (<pct>, <CI>) <predicate>".
PREDICATES: dict[str, tuple[str, str, str]] = {
    "learners.unemployed_over_24m": (
        "était en recherche d'emploi depuis plus de 24 mois à l'entrée",
        "étaient en recherche d'emploi depuis plus de 24 mois à l'entrée",
        "had been looking for work for more than 24 months at entry"),
    "learners.rqth": ("est reconnu travailleur handicapé (RQTH)",
                      "sont reconnus travailleurs handicapés (RQTH)",
                      "are recognised disabled workers (RQTH)"),
    "learners.completed": ("a terminé le parcours", "ont terminé le parcours", "completed the course"),
    "learners.self_esteem.improved": ("a gagné en estime de soi", "ont gagné en estime de soi",
                                      "gained self-esteem"),
    "learners.self_esteem.reliable_improvement": (
        "a connu une amélioration fiable de l'estime de soi",
        "ont connu une amélioration fiable de l'estime de soi",
        "showed a reliable improvement in self-esteem"),
    "learners.confidence.improved": ("a gagné en confiance en soi", "ont gagné en confiance en soi",
                                     "gained self-confidence"),
    "learners.autonomy.improved": ("a gagné en autonomie", "ont gagné en autonomie",
                                   "became more autonomous"),
    "learners.digital_skills.improved": ("a progressé en compétences numériques",
                                         "ont progressé en compétences numériques",
                                         "improved their digital skills"),
    "learners.soft_skills.improved": ("a progressé en compétences d'employabilité",
                                      "ont progressé en compétences d'employabilité",
                                      "improved their employability soft skills"),
    "learners.projection.improved": ("se projette mieux professionnellement",
                                     "se projettent mieux professionnellement",
                                     "project themselves better professionally"),
    "learners.step_back.agree": ("se déclare capable de prendre du recul",
                                 "se déclarent capables de prendre du recul",
                                 "say they can step back and look at a situation objectively"),
    "learners.aware_skills_value.agree": ("a pris conscience de la valeur de ses compétences",
                                          "ont pris conscience de la valeur de leurs compétences",
                                          "became aware of the value of their skills"),
    "learners.value_skills.agree": ("se sent mieux à même de valoriser ses compétences",
                                    "se sentent mieux à même de valoriser leurs compétences",
                                    "feel better able to put their skills forward"),
    "learners.aspirations.agree": (
        "déclare avoir amélioré sa capacité à atteindre ses aspirations professionnelles",
        "déclarent avoir amélioré leur capacité à atteindre leurs aspirations professionnelles",
        "say they improved their ability to reach their professional aspirations"),
    "learners.motivation.agree": ("est davantage motivé à poursuivre son projet professionnel",
                                  "sont davantage motivés à poursuivre leur projet professionnel",
                                  "are more motivated to pursue their professional project"),
    "founders.business_created": ("a créé son entreprise pendant la session",
                                  "ont créé leur entreprise pendant la session",
                                  "created their business during the session"),
    "founders.revenue_up": ("a augmenté son chiffre d'affaires", "ont augmenté leur chiffre d'affaires",
                            "increased their revenue"),
    "founders.developed": ("a développé son activité", "ont développé leur activité",
                           "developed their activity"),
    "founders.digital_culture_gained": ("a acquis une culture numérique grâce au dispositif",
                                        "ont acquis une culture numérique grâce au dispositif",
                                        "gained a digital culture thanks to the programme"),
    "founders.digital_culture_ceiling": ("avait déjà une bonne culture numérique au préalable",
                                         "avaient déjà une bonne culture numérique au préalable",
                                         "already had a good digital culture beforehand"),
    "founders.time_saved": ("déclare avoir gagné du temps grâce aux outils numériques des apprenants",
                            "déclarent avoir gagné du temps grâce aux outils numériques des apprenants",
                            "say they saved time thanks to the learners' digital tools"),
    "founders.leadership_skills.improved": (
        "a progressé dans ses compétences de chef d'entreprise",
        "ont progressé dans leurs compétences de chef d'entreprise",
        "improved their skills as business leaders"),
    "founders.digital_culture.improved": ("a progressé en culture numérique",
                                          "ont progressé en culture numérique",
                                          "improved their digital culture"),
    "founders.internal_communication.improved": ("a progressé en communication interne",
                                                 "ont progressé en communication interne",
                                                 "improved internal communication"),
    "founders.management.improved": ("a progressé en management", "ont progressé en management",
                                     "improved their management"),
    "followup.sortie_dynamique": ("est en sortie dynamique", "sont en sortie dynamique",
                                  "are in a dynamic exit"),
    "followup.digital_sector": ("travaille ou se forme dans le numérique",
                                "travaillent ou se forment dans le numérique",
                                "work or train in the digital sector"),
}


def _subject(population: str, k: int, lang: str) -> str:
    fr_s, fr_p, en_s, en_p = SUBJECTS.get(population, SUBJECTS["all"])
    if lang == "en":
        return en_s if k == 1 else en_p
    return fr_s if k in (0, 1) else fr_p


#: English verbs of the plural predicates and their third-person singular, for "1 learner ...".
_EN_SINGULAR = (("are ", "is "), ("say ", "says "), ("feel ", "feels "), ("work or train", "works or trains"),
                ("project themselves", "projects themselves"), ("have ", "has "))


def _en_verb(predicate: str, k: int) -> str:
    if k != 1:
        return predicate
    for plural_form, singular in _EN_SINGULAR:
        if predicate.startswith(plural_form):
            predicate = singular + predicate[len(plural_form):]
            break
    return predicate


def share_sentence(row: pd.Series, lang: str = "fr", with_ci: bool = True, level: float = 0.95,
                   with_percent: bool = True) -> str:
    """"7 apprenants sur 8 (88 %, IC 95 % : 47–100 %) ont gagné en estime de soi."

    Falls back on the indicator's label when no predicate is registered. An indicator without a
    denominator (not collected) reads as its note; one with a zero denominator says nobody was
    concerned or answered. ``with_percent=False`` gives the short form of the key-figure cards
    ("7 apprenants sur 8 ont gagné en estime de soi").
    """
    k, n = row["numerator"], row["denominator"]
    if pd.isna(n) or pd.isna(k):
        note = row["note_en"] if lang == "en" else row["note"]
        label = row["label_en"] if lang == "en" else row["label_fr"]
        return f"{label} : {note}" if lang != "en" else f"{label}: {note}"
    k, n = int(k), int(n)
    if n == 0:
        return (f"{row['label_fr']} : personne n'est concerné ou n'a répondu." if lang != "en"
                else f"{row['label_en']}: nobody concerned or answering.")
    pct = fmt_percent(k / n, lang)
    ci = ""
    if with_ci and pd.notna(row.get("ci_low")) and pd.notna(row.get("ci_high")):
        ci = ", " + fmt_ci(row["ci_low"], row["ci_high"], lang, level=level)
    paren = f" ({pct}{ci})" if with_percent else ""
    pred = PREDICATES.get(row["indicator"])
    subj = _subject(row["population"], k, lang)
    if lang == "en":
        if pred:
            return f"{fmt_number(k, 'en')} {subj} out of {fmt_number(n, 'en')}{paren} {_en_verb(pred[2], k)}."
        return f"{row['label_en']}: {fmt_number(k, 'en')} of {fmt_number(n, 'en')}{paren}."
    if pred:
        verb = pred[0] if k in (0, 1) else pred[1]
        if k == n and n > 1:
            lead = f"Les {fmt_number(n)} {SUBJECTS.get(row['population'], SUBJECTS['all'])[1]}"
            return f"{lead}{paren} {verb}."
        return f"{fmt_number(k)} {subj} sur {fmt_number(n)}{paren} {verb}."
    return f"{row['label_fr']} : {fmt_count(k, n)}{ci}."


def test_sentence(row: pd.Series, lang: str = "fr", alpha: float = 0.05,
                  level: float | None = None) -> str:
    """The paired test in plain words, never claiming what the test could not establish.

    ``level``: confidence level of the Hodges-Lehmann interval; by default the row's
    ``confidence`` (the level it was computed at), else 0.95.
    """
    verdict = row.get("verdict", "descriptive")
    if verdict in ("descriptive", "pending") or pd.isna(row.get("p_value")):
        return ""
    if level is None:
        level = row.get("confidence")
        level = 0.95 if level is None or pd.isna(level) else float(level)
    p = fmt_pvalue(row["p_value"], lang)
    shift = ""
    if pd.notna(row.get("effect")):
        lo, hi = row.get("effect_ci_low"), row.get("effect_ci_high")
        est = fmt_number(row["effect"], lang, 1)
        if lang == "en":
            shift = f"; typical change {est} points"
            if pd.notna(lo) and pd.notna(hi):
                shift += f" ({fmt_ci(lo, hi, 'en', as_percent=False, level=level, decimals=1)})"
        else:
            shift = f" ; évolution typique de {est} point{'s' if abs(row['effect']) >= 2 else ''}"
            if pd.notna(lo) and pd.notna(hi):
                shift += f" ({fmt_ci(lo, hi, 'fr', as_percent=False, level=level, decimals=1)})"
    if verdict == "not_testable":
        note = row["note_en"] if lang == "en" else row["note"]
        return note
    padj = fmt_pvalue(row["p_adjusted"], lang) if pd.notna(row.get("p_adjusted")) else ""
    if lang == "en":
        words = {
            "significant_improvement": "statistically established improvement",
            "significant_deterioration": "statistically established deterioration",
            "no_evidence": "no statistical evidence of a change at this sample size",
        }[verdict]
        return (f"Exact Wilcoxon signed-rank test: {p} (Holm-adjusted {padj}){shift} — {words}.")
    words = {
        "significant_improvement": "amélioration statistiquement établie",
        "significant_deterioration": "dégradation statistiquement établie",
        "no_evidence": "pas de preuve statistique d'un changement avec cet effectif",
    }[verdict]
    return (f"Test exact de Wilcoxon pour données appariées : {p} (ajusté Holm : {padj}){shift} — "
            f"{words}.")


def significance_threshold_sentence(n_pairs: int, alpha: float, lang: str = "fr") -> str:
    """Why small groups cannot be tested: with n non-zero pairs the smallest two-sided p is 2/2^n."""
    from .stats import min_attainable_p

    p = min_attainable_p(n_pairs) if n_pairs else 1.0
    shown = fmt_pvalue(p, lang).replace("p\u00a0=\u00a0", "").replace("p\u00a0<\u00a0", "< ")
    if lang == "en":
        return (f"With {n_pairs} pairs, the smallest p-value any exact two-sided test can reach is "
                f"{shown}; "
                + (f"a test can reach the {fmt_percent(alpha, 'en')} threshold." if p <= alpha else
                   f"no test can reach the {fmt_percent(alpha, 'en')} threshold, so results are "
                   f"descriptive."))
    return (f"Avec {n_pairs} paires, la plus petite valeur p qu'un test exact bilatéral puisse "
            f"atteindre est {shown} ; "
            + (f"un test peut atteindre le seuil de {fmt_percent(alpha)}."
               if p <= alpha else
               f"aucun test ne peut atteindre le seuil de {fmt_percent(alpha)} : les résultats sont "
               f"descriptifs."))
