"""Stakeholder export of the indicator table: ``reports/<session>/indicateurs_<session>.xlsx``.

French column headers by default (English with ``lang="en"``), shares formatted as percentages
in Excel (the cell keeps the exact value), p-values with 3 decimals, a frozen header row, and a
second sheet explaining the columns.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HEADERS = {
    "indicator": ("Indicateur (identifiant)", "Indicator (id)"),
    "population": ("Public", "Population"),
    "section": ("Partie", "Section"),
    "label": ("Libellé", "Label"),
    "numerator": ("Numérateur", "Numerator"),
    "denominator": ("Dénominateur", "Denominator"),
    "value": ("Valeur", "Value"),
    "ci_low": ("IC bas", "CI low"),
    "ci_high": ("IC haut", "CI high"),
    "test": ("Test", "Test"),
    "p_value": ("p brute", "Raw p"),
    "p_adjusted": ("p ajustée (Holm)", "Holm-adjusted p"),
    "effect": ("Évolution typique (Hodges-Lehmann)", "Typical change (Hodges-Lehmann)"),
    "verdict": ("Lecture", "Reading"),
    "note": ("Note", "Note"),
    "data_kind": ("Nature des données", "Kind of data"),
    "evidence": ("Statut du chiffre (k sur n)", "Evidence class (k of n)"),
    "evidence_inference": ("Statut des tests et intervalles", "Evidence class (tests, intervals)"),
}
#: The words of the data kind and of the evidence classes (:mod:`fac_eval.evidence`).
DATA_KINDS = {"real": ("réelles", "real"), "reconstructed": ("reconstituées", "reconstructed"),
              "synthetic": ("synthétiques (fictives)", "synthetic (fictitious)")}
EVIDENCE_WORDS = {"observed": ("observé", "observed"), "published": ("publié", "published"),
                  "illustrative": ("illustratif", "illustrative"),
                  "synthetic": ("synthétique", "synthetic"), "": ("", "")}
POPULATIONS = {"learners": ("Apprenants", "Learners"), "founders": ("Porteurs de projet", "Founders"),
               "all": ("Tous", "All")}
PERCENT_COLUMNS = ("value", "ci_low", "ci_high")


def stakeholder_table(indicators: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """The indicator table with the columns a stakeholder needs, in their language."""
    from .indicators import VERDICTS

    en = lang == "en"
    i = 1 if en else 0
    out = pd.DataFrame({
        "indicator": indicators["indicator"],
        "population": indicators["population"].map(lambda p: POPULATIONS.get(p, (p, p))[i]),
        "section": indicators["section"],
        "label": indicators["label_en" if en else "label_fr"],
        "numerator": indicators["numerator"],
        "denominator": indicators["denominator"],
        "value": indicators["value"],
        "ci_low": indicators["ci_low"],
        "ci_high": indicators["ci_high"],
        "test": indicators["test"],
        "p_value": indicators["p_value"],
        "p_adjusted": indicators["p_adjusted"],
        "effect": indicators["effect"],
        "verdict": indicators["verdict"].map(lambda v: VERDICTS.get(v, (v, v))[i]),
        "note": indicators["note_en" if en else "note"],
    })
    # where each figure comes from (fac_eval.evidence): the data kind and the evidence classes
    for col, words in (("data_kind", DATA_KINDS), ("evidence", EVIDENCE_WORDS),
                       ("evidence_inference", EVIDENCE_WORDS)):
        if col in indicators.columns:
            out[col] = indicators[col].fillna("").astype(str).map(
                lambda x, w=words: w.get(x, (x, x))[i])
    # counts and totals are proportions only for shares: a count indicator's value is not a share
    is_count = indicators["indicator"].str.endswith(".enrolled") | (indicators["indicator"] == "testimonies.count")
    out.loc[is_count, "value"] = float("nan")
    return out


def mask_breakdowns(table: pd.DataFrame, indicators: pd.DataFrame, min_cell: int,
                    lang: str = "fr", claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Apply the report's privacy rules to a stakeholder table: the one masking of
    :func:`fac_eval.disclosure.mask_indicators`, which the HTML report reads too.

    Every masked row (small cells, cells equal to their group, complementary cells of the
    profile breakdowns; rare testimony themes; the detail of dynamic exits when one of its
    categories is small; disclosive sensitive shares) shows the one marker ``"masqué"`` /
    ``"hidden"`` instead of its count, and its share, interval, p-values and effect are blanked,
    with a note saying why. A disclosive share kept because ``claims`` (the session's claims
    check, :func:`fac_eval.claims.check_claims`) shows that this very figure was published gets
    a note saying so. The exact values stay in ``data/processed`` (internal).
    """
    from .disclosure import EXEMPTION_NOTE, MASK_REASONS, mask_indicators
    from .privacy import HIDDEN_MARKER

    en = lang == "en"
    i = 1 if en else 0
    marker = HIDDEN_MARKER["en" if en else "fr"]
    decided = mask_indicators(indicators, min_cell, claims)
    out = table.copy().astype({"numerator": object, "denominator": object, "note": object})
    followup_note = (
        (f"Detail of positive exits not published: a category has fewer than {min_cell} people; "
         "only their total is (followup.sortie_dynamique).") if en else
        (f"Détail des sorties dynamiques non publié : une catégorie compte moins de {min_cell} "
         "personnes ; seul leur total l'est (followup.sortie_dynamique)."))
    for idx in decided.index[decided["masked"].to_numpy(dtype=bool)]:
        out.at[idx, "numerator"] = marker
        if "denominator_masked" in decided.columns and decided.at[idx, "denominator_masked"]:
            out.at[idx, "denominator"] = marker
        for c in ("value", "ci_low", "ci_high", "p_value", "p_adjusted", "effect"):
            if c in out.columns:
                out.at[idx, c] = float("nan")
        reason = decided.at[idx, "mask_reason"]
        out.at[idx, "note"] = followup_note if reason == "followup_detail" else \
            MASK_REASONS.get(reason, MASK_REASONS["small_cell"])[i]
    for idx in decided.index[decided["published_exemption"].to_numpy(dtype=bool)]:
        note = out.at[idx, "note"] if isinstance(out.at[idx, "note"], str) else ""
        out.at[idx, "note"] = (note + " " if note else "") + EXEMPTION_NOTE[i]
    return out


def indicators_xlsx(indicators: pd.DataFrame, path: str | Path, lang: str = "fr",
                    min_cell: int = 3, claims: pd.DataFrame | None = None) -> Path:
    """Write the stakeholder workbook with the report's privacy rules (:func:`mask_breakdowns`;
    ``claims``: the session's claims check, for the published-figure exemption)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    table = mask_breakdowns(stakeholder_table(indicators, lang), indicators, min_cell, lang,
                            claims=claims)
    i = 1 if lang == "en" else 0
    headers = [HEADERS[c][i] for c in table.columns]
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        sheet = "Indicators" if lang == "en" else "Indicateurs"
        table.to_excel(xw, sheet_name=sheet, index=False, header=headers)
        ws = xw.sheets[sheet]
        for j, col in enumerate(table.columns, start=1):
            letter = get_column_letter(j)
            width = {"label": 60, "note": 70, "test": 34, "indicator": 40, "evidence": 18,
                     "evidence_inference": 18, "data_kind": 18}.get(col, 14)
            ws.column_dimensions[letter].width = width
            for cell in ws[letter][1:]:
                if col in PERCENT_COLUMNS:
                    cell.number_format = "0%"
                elif col in ("p_value", "p_adjusted"):
                    cell.number_format = "0.000"
                elif col == "effect":
                    cell.number_format = "0.0"
                elif col in ("numerator", "denominator"):
                    cell.number_format = "0"
                if col in ("label", "note"):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in ws[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="0B6E4F")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        about = pd.DataFrame({
            ("Colonne" if i == 0 else "Column"): headers,
            ("Signification" if i == 0 else "Meaning"): [
                _meaning(c, lang, _confidence_level(indicators)) for c in table.columns],
        })
        about.to_excel(xw, sheet_name="Lisez-moi" if i == 0 else "Read me", index=False)
        xw.sheets["Lisez-moi" if i == 0 else "Read me"].column_dimensions["A"].width = 36
        xw.sheets["Lisez-moi" if i == 0 else "Read me"].column_dimensions["B"].width = 100
    return path


def _confidence_level(indicators: pd.DataFrame) -> float:
    """The level of the table's intervals (its ``confidence`` column; 0.95 for older tables)."""
    levels = (pd.to_numeric(indicators["confidence"], errors="coerce").dropna().unique()
              if "confidence" in indicators.columns else [])
    if len(levels) > 1:
        raise ValueError(f"the indicator table mixes confidence levels: {sorted(levels)}")
    return float(levels[0]) if len(levels) else 0.95


def _meaning(col: str, lang: str, level: float = 0.95) -> str:
    from .formatting import fmt_percent

    lvl_fr, lvl_en = fmt_percent(level, "fr"), fmt_percent(level, "en")
    fr = {
        "indicator": "Identifiant stable de l'indicateur (le même d'une session à l'autre).",
        "population": "Public concerné.",
        "section": "Partie du rapport.",
        "label": "Ce que mesure l'indicateur.",
        "numerator": "Nombre de personnes concernées (k).",
        "denominator": "Nombre de personnes prises en compte (n).",
        "value": "Part k / n.",
        "ci_low": f"Borne basse de l'intervalle de confiance exact à {lvl_fr} (Clopper-Pearson).",
        "ci_high": f"Borne haute de l'intervalle de confiance exact à {lvl_fr}.",
        "test": "Test statistique utilisé, le cas échéant.",
        "p_value": "Valeur p du test exact (bilatérale).",
        "p_adjusted": "Valeur p ajustée par la méthode de Holm sur la famille d'indicateurs testés.",
        "effect": "Évolution typique entre l'entrée et la sortie, en points (Hodges-Lehmann).",
        "verdict": "Lecture du résultat en mots simples.",
        "note": "Précisions : exclusions, effet plafond, dénominateur du suivi…",
        "data_kind": ("Nature des données de la session : réelles (réponses pseudonymisées), "
                      "reconstituées (construites pour retrouver les chiffres d'une publication) "
                      "ou synthétiques (fictives, pour tester l'outil)."),
        "evidence": ("Ce que vaut le chiffre k sur n : observé (données réelles), publié (chiffre "
                     "d'une session reconstituée fixé par sa publication), illustratif (tout autre "
                     "chiffre d'une session reconstituée : la reconstruction a dû l'inventer), "
                     "synthétique (données fictives)."),
        "evidence_inference": ("Même lecture pour le test, les valeurs p et les intervalles de la "
                               "ligne ; jamais « publié » : une publication de parts ne fixe pas "
                               "les réponses individuelles. Vide quand la ligne n'en a pas."),
    }
    en = {
        "indicator": "Stable id of the indicator (the same across sessions).",
        "population": "Population concerned.",
        "section": "Report section.",
        "label": "What the indicator measures.",
        "numerator": "Number of people concerned (k).",
        "denominator": "Number of people considered (n).",
        "value": "Share k / n.",
        "ci_low": f"Lower bound of the exact {lvl_en} confidence interval (Clopper-Pearson).",
        "ci_high": f"Upper bound of the exact {lvl_en} confidence interval.",
        "test": "Statistical test used, if any.",
        "p_value": "Two-sided p-value of the exact test.",
        "p_adjusted": "Holm-adjusted p-value over the family of tested indicators.",
        "effect": "Typical change between entry and exit, in points (Hodges-Lehmann).",
        "verdict": "Plain-language reading of the result.",
        "note": "Details: exclusions, ceiling, follow-up denominator…",
        "data_kind": ("Kind of data of the session: real (pseudonymised answers), reconstructed "
                      "(built to reproduce a publication's figures) or synthetic (fictitious, to "
                      "test the tool)."),
        "evidence": ("What the figure k of n is worth: observed (real data), published (a "
                     "reconstructed session's figure fixed by its publication), illustrative (any "
                     "other figure of a reconstructed session: the reconstruction had to invent "
                     "it), synthetic (fictitious data)."),
        "evidence_inference": ("The same for the row's test, p-values and intervals; never "
                               "\"published\": a publication of shares fixes no individual "
                               "answers. Empty when the row has none."),
    }
    return (en if lang == "en" else fr)[col]
