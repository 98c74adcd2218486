"""Stakeholder export of the indicator table: ``reports/<session>/indicateurs_<session>.xlsx``.

French column headers by default (English with ``lang="en"``), shares formatted as percentages
in Excel (the cell keeps the exact value), p-values with 3 decimals, a frozen header row, and a
second sheet explaining the columns.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from fac_eval.core.i18n import N_, NC_, messages
from fac_eval.data.validation_problems import quote

if TYPE_CHECKING:
    from fac_eval.data.interim import FollowupStatus

#: The column headers (English message ids; :func:`header` translates them).
HEADERS = {
    "indicator": N_("Indicator (id)"),
    "population": N_("Population"),
    "section": N_("Section"),
    "label": N_("Label"),
    "numerator": N_("Numerator"),
    "denominator": N_("Denominator"),
    "value": N_("Value"),
    "ci_low": N_("CI low"),
    "ci_high": N_("CI high"),
    "test": N_("Test"),
    "p_value": N_("Raw p"),
    "p_adjusted": N_("Holm-adjusted p"),
    "effect": N_("Typical change (Hodges-Lehmann)"),
    "verdict": N_("Reading"),
    "note": N_("Note"),
    "data_kind": N_("Kind of data"),
    "evidence": N_("Evidence class (k of n and its interval)"),
    "evidence_inference": N_("Evidence class (test)"),
}
#: The words of the data kind and of the evidence classes (:mod:`fac_eval.analysis.evidence`).
DATA_KINDS = {"real": N_("real"), "reconstructed": N_("reconstructed"),
              "synthetic": N_("synthetic (fictitious)")}
EVIDENCE_WORDS = {"observed": N_("observed"), "published": N_("published"),
                  "illustrative": N_("illustrative"), "synthetic": N_("synthetic")}
#: The populations as the export names them (a context: the report says "Porteurs" in its tables).
POPULATIONS = {"learners": NC_("export population", "Learners"),
               "founders": NC_("export population", "Founders"),
               "all": NC_("export population", "All")}
#: What each column means (the second sheet); ``%(level)s`` is the intervals' level.
MEANINGS = {
    "indicator": N_("Stable id of the indicator (the same across sessions)."),
    "population": N_("Population concerned."),
    "section": N_("Report section."),
    "label": N_("What the indicator measures."),
    "numerator": N_("Number of people concerned (k)."),
    "denominator": N_("Number of people considered (n)."),
    "value": N_("Share k / n."),
    "ci_low": N_("Lower bound of the exact %(level)s confidence interval (Clopper-Pearson)."),
    "ci_high": N_("Upper bound of the exact %(level)s confidence interval."),
    "test": N_("Statistical test used, if any."),
    "p_value": N_("Two-sided p-value of the exact test."),
    "p_adjusted": N_("Holm-adjusted p-value over the primary outcomes designated in the "
                     "codebook (empty for a secondary, exploratory outcome: its raw p-value only)."),
    "effect": N_("Typical change between entry and exit, in points (Hodges-Lehmann)."),
    "verdict": N_("Plain-language reading of the result, graded as in the report: how hard a "
                  "change is to explain by chance alone, never how much of it is due to the "
                  "programme (no comparison group)."),
    "note": N_("Details: exclusions, ceiling, follow-up denominator, the publication's own "
               "words for a published figure…"),
    "data_kind": N_("Kind of data of the session: real (pseudonymised answers), reconstructed "
                    "(built to reproduce a publication's figures) or synthetic (fictitious, to "
                    "test the tool)."),
    "evidence": N_("What the figure k of n and its exact interval are worth (the interval "
                   "depends on k and n alone): observed (real data), published (a reconstructed "
                   "session's figure fixed by its publication), illustrative (any other figure "
                   "of a reconstructed session: the reconstruction had to invent it), synthetic "
                   "(fictitious data)."),
    "evidence_inference": N_("The same for the row's test: its statistic, p-values, typical "
                             "change and the change's interval. A test of a reconstruction is "
                             "never published (a publication of shares fixes no individual "
                             "answers). Empty when the row has no test."),
}


#: The indicator table's columns holding each language's label and note.
_LABEL_COLUMN = {"fr": "label_fr", "en": "label_en"}
_NOTE_COLUMN = {"fr": "note", "en": "note_en"}


def header(col: str, lang: str = "fr") -> str:
    """The header of column ``col`` in ``lang``."""
    return messages(lang)._(HEADERS[col])


def _words(table: dict[str, str] | dict[str, tuple[str, str]], lang: str):
    """A function giving the translation of a code of ``table`` (messages, or ``(context,
    message)`` pairs marked with :func:`~fac_eval.core.i18n.NC_`; the code itself when unknown, so
    that an empty code stays empty)."""
    m = messages(lang)

    def word(code):
        if code not in table:
            return code
        message = table[code]
        return m.pgettext(*message) if isinstance(message, tuple) else m._(message)

    return word


PERCENT_COLUMNS = ("value", "ci_low", "ci_high")


def stakeholder_table(indicators: pd.DataFrame, lang: str = "fr",
                      followup: FollowupStatus | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """The indicator table with the columns a stakeholder needs, in their language.

    ``followup``: the follow-up's status (``SessionResults.followup``); a follow-up row without a
    figure reads as that status ("Absent de ces données" once its planned date is past), the
    words the report gives it. A test's reading is the one of the report's tables, graded the
    same way at ``alpha`` (:func:`fac_eval.report.narrative.table_reading`: "hausse à
    confirmer (exploratoire)" for a secondary outcome, never a stronger word than the report's)."""
    from fac_eval.analysis.indicators import VERDICTS

    from .narrative import table_reading, with_attribution

    def reading(row) -> str:
        """The row's reading; a change's carries the attribution caveat in its own cell (a
        cell is read, copied and quoted without the sheet's "Read me")."""
        words = table_reading(indicators, row, lang, alpha)
        if words and row["verdict"] in ("significant_improvement", "significant_deterioration"):
            words = with_attribution(words, lang)
        return words or _words(VERDICTS, lang)(row["verdict"])

    out = pd.DataFrame({
        "indicator": indicators["indicator"],
        "population": indicators["population"].map(_words(POPULATIONS, lang)),
        "section": indicators["section"],
        "label": indicators[_LABEL_COLUMN[lang]],
        "numerator": indicators["numerator"],
        "denominator": indicators["denominator"],
        "value": indicators["value"],
        "ci_low": indicators["ci_low"],
        "ci_high": indicators["ci_high"],
        "test": indicators["test"].map(lambda t: messages(lang)._(t) if isinstance(t, str) and t
                                       else t),
        "p_value": indicators["p_value"],
        "p_adjusted": indicators["p_adjusted"],
        "effect": indicators["effect"],
        "verdict": [reading(row) for _, row in indicators.iterrows()],
        "note": indicators[_NOTE_COLUMN[lang]],
    })
    # where each figure comes from (fac_eval.analysis.evidence): the data kind and the evidence classes
    for col, words in (("data_kind", DATA_KINDS), ("evidence", EVIDENCE_WORDS),
                       ("evidence_inference", EVIDENCE_WORDS)):
        if col in indicators.columns:
            out[col] = indicators[col].fillna("").astype(str).map(_words(words, lang))
    # counts and totals are proportions only for shares: a count indicator's value is not a share
    is_count = indicators["indicator"].str.endswith(".enrolled") | (indicators["indicator"] == "testimonies.count")
    out.loc[is_count, ["value", "denominator"]] = float("nan")  # "8", never "8 of 8"
    if followup is not None and followup.missing:
        waiting = (indicators["section"] == "followup") & (indicators["verdict"] == "pending")
        out.loc[waiting, "verdict"] = followup.word(lang)
    return out


def mask_breakdowns(table: pd.DataFrame, indicators: pd.DataFrame, min_cell: int,
                    lang: str = "fr", claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Apply the report's privacy rules to a stakeholder table: the one masking of
    :func:`fac_eval.disclosure.tables.mask_indicators`, which the HTML report reads too.

    Every masked row (small cells, cells equal to their group, complementary cells of the
    profile breakdowns; rare testimony themes; the detail of dynamic exits when one of its
    categories is small; disclosive sensitive shares) shows the one marker ``"masqué"`` /
    ``"hidden"`` instead of its count, and its share, interval, p-values and effect are blanked,
    with a note saying why. A disclosive share kept because ``claims`` (the session's claims
    check, :func:`fac_eval.analysis.claims.check_claims`) shows that this very figure was published gets
    a note saying so. The exact values stay in ``data/processed`` (internal).
    """
    from fac_eval.disclosure.privacy import HIDDEN_MARKER
    from fac_eval.disclosure.tables import (
        EXEMPTION_NOTE,
        MASK_REASONS,
        MISSING_HIDDEN_NOTE,
        mask_indicators,
    )

    en = lang == "en"
    words = messages("en" if en else "fr")
    marker = HIDDEN_MARKER["en" if en else "fr"]
    decided = mask_indicators(indicators, min_cell, claims)
    out = table.copy().astype({"numerator": object, "denominator": object, "note": object})
    followup_note = messages(lang)._(
        "Detail of dynamic exits not published: a category has fewer than %(min_cell)s people; "
        "only their total is (followup.sortie_dynamique).", min_cell=min_cell)
    for idx in decided.index[decided["masked"].to_numpy(dtype=bool)]:
        out.at[idx, "numerator"] = marker
        if "denominator_masked" in decided.columns and decided.at[idx, "denominator_masked"]:
            out.at[idx, "denominator"] = marker
        for c in ("value", "ci_low", "ci_high", "p_value", "p_adjusted", "effect"):
            if c in out.columns:
                out.at[idx, c] = float("nan")
        reason = decided.at[idx, "mask_reason"]
        out.at[idx, "note"] = followup_note if reason == "followup_detail" else \
            words._(MASK_REASONS.get(reason, MASK_REASONS["small_cell"]))
    # a breakdown whose non-response is hidden: the number considered (those who answered)
    # would give it back, with the enrolled count printed everywhere, and so would the share
    for idx in decided.index[decided["n_missing_masked"].to_numpy(dtype=bool)]:
        out.at[idx, "denominator"] = marker
        for c in ("value", "ci_low", "ci_high"):
            out.at[idx, c] = float("nan")
        if not decided.at[idx, "masked"]:
            out.at[idx, "note"] = words._(MISSING_HIDDEN_NOTE)
    for idx in decided.index[decided["published_exemption"].to_numpy(dtype=bool)]:
        _add_note(out, idx, words._(EXEMPTION_NOTE))
    return out


def _add_note(table: pd.DataFrame, idx, text: str) -> None:
    """Append ``text`` to the note of row ``idx`` of ``table`` (in place)."""
    note = table.at[idx, "note"] if isinstance(table.at[idx, "note"], str) else ""
    table.at[idx, "note"] = (note + " " if note else "") + text


def published_wording(table: pd.DataFrame, indicators: pd.DataFrame,
                      claims: pd.DataFrame | None, lang: str = "fr") -> pd.DataFrame:
    """``table`` whose rows of published figures (evidence ``published``) quote, in their note,
    the publication's own words for them (the claims that this very figure matches): the
    label is this tool's definition ("Reconnus travailleurs handicapés (RQTH)", "Culture
    numérique déjà maximale à l'entrée"), which may be narrower or stronger than what was
    published ("en situation de handicap", "avaient déjà une bonne culture numérique"). The
    quoted words stay in French, as published."""
    if claims is None or claims.empty or "evidence" not in indicators.columns:
        return table
    out = table.copy().astype({"note": object})
    matched = claims[claims["matches"].fillna(False).astype(bool)]
    texts = matched.assign(text=matched["text"].astype(str).str.strip()).query("text != ''") \
        .groupby("indicator", sort=False)["text"].agg(lambda t: list(dict.fromkeys(t)))
    m = messages(lang)
    for idx in indicators.index[indicators["evidence"] == "published"]:
        said = texts.get(indicators.at[idx, "indicator"])
        if said:
            _add_note(out, idx, m._("The published assessment says: %(words)s.",
                                    words=" ; ".join(quote(t, "fr") for t in said)))
    return out


#: The note of a testimony row of a reconstructed or synthetic session.
WRITTEN_FOR_DEMONSTRATION = N_(
    "Testimonies written for the demonstration, like the rest of this session's individual "
    "data: no participant said them.")


def demonstration_testimonies(table: pd.DataFrame, indicators: pd.DataFrame,
                              lang: str = "fr") -> pd.DataFrame:
    """``table`` whose testimony rows (their count, consent and themes) say, in their note,
    that a reconstructed or synthetic session's testimonies were written for the
    demonstration: a count of them is not a count of what participants said."""
    if "data_kind" not in indicators.columns:
        return table
    out = table.copy().astype({"note": object})
    said = messages(lang)._(WRITTEN_FOR_DEMONSTRATION)
    unreal = indicators["data_kind"].isin(["reconstructed", "synthetic"])
    for idx in indicators.index[unreal & (indicators["section"] == "testimonies")]:
        _add_note(out, idx, said)
    return out


def indicators_xlsx(indicators: pd.DataFrame, path: str | Path, lang: str = "fr",
                    min_cell: int = 3, claims: pd.DataFrame | None = None,
                    followup: FollowupStatus | None = None, alpha: float = 0.05) -> Path:
    """Write the stakeholder workbook with the report's privacy rules (:func:`mask_breakdowns`;
    ``claims``: the session's claims check, for the published-figure exemption; ``followup``:
    the follow-up's status, :func:`stakeholder_table`)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    table = mask_breakdowns(stakeholder_table(indicators, lang, followup, alpha), indicators,
                            min_cell, lang, claims=claims)
    table = published_wording(table, indicators, claims, lang)
    table = demonstration_testimonies(table, indicators, lang)
    m = messages(lang)
    headers = [header(c, lang) for c in table.columns]
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        sheet = m._("Indicators")
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
            m._("Column"): headers,
            m._("Meaning"): [
                _meaning(c, lang, _confidence_level(indicators)) for c in table.columns],
        })
        read_me = m._("Read me")
        about.to_excel(xw, sheet_name=read_me, index=False)
        xw.sheets[read_me].column_dimensions["A"].width = 36
        xw.sheets[read_me].column_dimensions["B"].width = 100
    return path


def _confidence_level(indicators: pd.DataFrame) -> float:
    """The level of the table's intervals (its ``confidence`` column; 0.95 for older tables)."""
    levels = (pd.to_numeric(indicators["confidence"], errors="coerce").dropna().unique()
              if "confidence" in indicators.columns else [])
    if len(levels) > 1:
        raise ValueError(f"the indicator table mixes confidence levels: {sorted(levels)}")
    return float(levels[0]) if len(levels) else 0.95


def _meaning(col: str, lang: str, level: float = 0.95) -> str:
    from fac_eval.core.formatting import fmt_percent

    return messages(lang)._(MEANINGS[col], level=fmt_percent(level, lang))
