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
}
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
    # counts and totals are proportions only for shares: a count indicator's value is not a share
    is_count = indicators["indicator"].str.endswith(".enrolled") | (indicators["indicator"] == "testimonies.count")
    out.loc[is_count, "value"] = float("nan")
    return out


def mask_breakdowns(table: pd.DataFrame, indicators: pd.DataFrame, min_cell: int,
                    lang: str = "fr") -> pd.DataFrame:
    """Apply the small-cell rule to the profile breakdown rows of a stakeholder table.

    Within each breakdown (one profile field), counts below ``min_cell`` and their complementary
    cell are replaced by the suppression text, and their share and interval are blanked.
    """
    from .privacy import suppress_small_cells

    out = table.copy().astype({"numerator": object})
    rows = indicators[indicators["section"] == "profile_breakdown"]
    fields = rows["indicator"].str.split(".").str[1]
    for _, group in rows.groupby(fields, sort=False):
        safe = suppress_small_cells(group[["numerator"]], ["numerator"], min_cell=min_cell, lang=lang)
        for idx in group.index[safe.mask["numerator"].to_numpy()]:
            out.at[idx, "numerator"] = safe.table.at[idx, "numerator"]
            for c in ("value", "ci_low", "ci_high"):
                out.at[idx, c] = float("nan")
    return out


def indicators_xlsx(indicators: pd.DataFrame, path: str | Path, lang: str = "fr",
                    min_cell: int = 3) -> Path:
    """Write the stakeholder workbook; profile breakdowns follow the small-cell rule."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    table = mask_breakdowns(stakeholder_table(indicators, lang), indicators, min_cell, lang)
    i = 1 if lang == "en" else 0
    headers = [HEADERS[c][i] for c in table.columns]
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        sheet = "Indicators" if lang == "en" else "Indicateurs"
        table.to_excel(xw, sheet_name=sheet, index=False, header=headers)
        ws = xw.sheets[sheet]
        for j, col in enumerate(table.columns, start=1):
            letter = get_column_letter(j)
            width = {"label": 60, "note": 70, "test": 34, "indicator": 40}.get(col, 14)
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
                _meaning(c, lang) for c in table.columns],
        })
        about.to_excel(xw, sheet_name="Lisez-moi" if i == 0 else "Read me", index=False)
        xw.sheets["Lisez-moi" if i == 0 else "Read me"].column_dimensions["A"].width = 36
        xw.sheets["Lisez-moi" if i == 0 else "Read me"].column_dimensions["B"].width = 100
    return path


def _meaning(col: str, lang: str) -> str:
    fr = {
        "indicator": "Identifiant stable de l'indicateur (le même d'une session à l'autre).",
        "population": "Public concerné.",
        "section": "Partie du rapport.",
        "label": "Ce que mesure l'indicateur.",
        "numerator": "Nombre de personnes concernées (k).",
        "denominator": "Nombre de personnes prises en compte (n).",
        "value": "Part k / n.",
        "ci_low": "Borne basse de l'intervalle de confiance exact à 95 % (Clopper-Pearson).",
        "ci_high": "Borne haute de l'intervalle de confiance exact à 95 %.",
        "test": "Test statistique utilisé, le cas échéant.",
        "p_value": "Valeur p du test exact (bilatérale).",
        "p_adjusted": "Valeur p ajustée par la méthode de Holm sur la famille d'indicateurs testés.",
        "effect": "Évolution typique entre l'entrée et la sortie, en points (Hodges-Lehmann).",
        "verdict": "Lecture du résultat en mots simples.",
        "note": "Précisions : exclusions, effet plafond, dénominateur du suivi…",
    }
    en = {
        "indicator": "Stable id of the indicator (the same across sessions).",
        "population": "Population concerned.",
        "section": "Report section.",
        "label": "What the indicator measures.",
        "numerator": "Number of people concerned (k).",
        "denominator": "Number of people considered (n).",
        "value": "Share k / n.",
        "ci_low": "Lower bound of the exact 95% confidence interval (Clopper-Pearson).",
        "ci_high": "Upper bound of the exact 95% confidence interval.",
        "test": "Statistical test used, if any.",
        "p_value": "Two-sided p-value of the exact test.",
        "p_adjusted": "Holm-adjusted p-value over the family of tested indicators.",
        "effect": "Typical change between entry and exit, in points (Hodges-Lehmann).",
        "verdict": "Plain-language reading of the result.",
        "note": "Details: exclusions, ceiling, follow-up denominator…",
    }
    return (en if lang == "en" else fr)[col]
