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
                    lang: str = "fr", published=()) -> pd.DataFrame:
    """Apply the privacy rules of the report to a stakeholder table (same rules as the HTML).

    - Profile breakdowns (one per profile field): counts below ``min_cell`` — zeros included
      (``suppress_zeros=True``) — and their complementary cell are replaced by the one marker
      ``"masqué"`` / ``"hidden"``; their share and interval are blanked.
    - Follow-up: the detail of dynamic exits (durable / transition / positive) is masked unless
      each count is 0 or >= ``min_cell`` (:func:`fac_eval.privacy.followup_detail_publishable`);
      their total (``followup.sortie_dynamique``) and the accounting totals stay exact.
    - Sensitive shares (:data:`fac_eval.privacy.SENSITIVE_SHARES`: RQTH, > 24 months
      unemployed, digital sector) are masked when disclosive
      (:func:`fac_eval.privacy.share_is_disclosive`), unless the indicator is in ``published``
      (stated in the session's published assessment, claims.yml): then kept, with a note.

    The exact values stay in ``data/processed`` (internal).
    """
    from .privacy import (FOLLOWUP_DETAIL, HIDDEN_MARKER, followup_detail_publishable,
                          share_is_disclosive, suppress_small_cells)

    en = lang == "en"
    marker = HIDDEN_MARKER["en" if en else "fr"]
    published = set(published or ())
    out = table.copy().astype({"numerator": object, "note": object})

    def hide(idx, note):
        out.at[idx, "numerator"] = marker
        for c in ("value", "ci_low", "ci_high"):
            out.at[idx, c] = float("nan")
        out.at[idx, "note"] = note

    rows = indicators[indicators["section"] == "profile_breakdown"]
    fields = rows["indicator"].str.split(".").str[1]
    for _, group in rows.groupby(fields, sort=False):
        safe = suppress_small_cells(group[["numerator"]], ["numerator"], min_cell=min_cell, lang=lang,
                                    suppress_zeros=True, marker=marker)
        for idx in group.index[safe.mask["numerator"].to_numpy()]:
            out.at[idx, "numerator"] = safe.table.at[idx, "numerator"]
            for c in ("value", "ci_low", "ci_high"):
                out.at[idx, c] = float("nan")
    detail = indicators[indicators["indicator"].isin(FOLLOWUP_DETAIL)]
    nums = pd.to_numeric(detail["numerator"], errors="coerce")
    if len(detail) and nums.notna().all() and not followup_detail_publishable(nums, min_cell):
        for idx in detail.index:
            hide(idx, (f"Detail of dynamic exits not published: a category has fewer than "
                       f"{min_cell} people; only their total is (followup.sortie_dynamique).") if en
                 else (f"Détail des sorties dynamiques non publié : une catégorie compte moins de "
                       f"{min_cell} personnes ; seul leur total l'est (followup.sortie_dynamique)."))
    for idx, rw in indicators.iterrows():
        if not share_is_disclosive(rw["indicator"], rw["numerator"], rw["denominator"], min_cell):
            continue
        if rw["indicator"] in published:
            note = out.at[idx, "note"] if isinstance(out.at[idx, "note"], str) else ""
            out.at[idx, "note"] = (note + " " if note else "") + (
                "Figure already published in the assessment." if en
                else "Chiffre déjà publié dans le bilan.")
        else:
            hide(idx, "Count hidden (small-cell rule)." if en
                 else "Effectif masqué (règle des petits effectifs).")
    return out


def indicators_xlsx(indicators: pd.DataFrame, path: str | Path, lang: str = "fr",
                    min_cell: int = 3, published=()) -> Path:
    """Write the stakeholder workbook with the report's privacy rules (:func:`mask_breakdowns`;
    ``published``: indicators stated in the session's published assessment)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    table = mask_breakdowns(stakeholder_table(indicators, lang), indicators, min_cell, lang,
                            published=published)
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
    }
    return (en if lang == "en" else fr)[col]
