"""Data quality of one session, item by item: what an evaluator looks at before publishing.

Pure functions, DataFrame in / DataFrame out (machine column names; ``lang`` chooses the
questions' labels), shown by ``notebooks/qualite_donnees.ipynb`` through
:mod:`fac_eval.report.quality_view` in French or English (``fac-eval quality SESSION``). The tables
hold item-level answers: they are for the evaluator's working file in
``data/processed/<session>/``, never for a published report.

- :func:`missing_by_item`: missing answers per item;
- :func:`answer_distribution`: answers per code, with floor and ceiling effects;
- :func:`cronbach_alpha`, :func:`mcdonald_omega`, :func:`scale_reliability`: internal
  consistency of each multi-item scale in this cohort, next to the published reliability;
- :func:`straight_lining`: respondents giving the same answer to every item of a scale;
- :func:`pairing`: entry/exit pairing and drop-outs;
- :func:`problems_table`: the validation problems as a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fac_eval.data import codebook as cb
from fac_eval.data.codebook_model import wording

#: Floor/ceiling effect threshold: more than 15 % of respondents at the lowest (highest) possible
#: answer (Terwee et al. 2007, J. Clin. Epidemiol. 60: 34-42, quality criteria for
#: health-status questionnaires).
FLOOR_CEILING_SHARE = 0.15

#: (instrument, id column) of the entry/exit pairs.
PAIRS = (("learners", "learner_id"), ("founders", "founder_id"))


def load_session(session_dir: str | Path):
    """``(SessionData, problems)`` of a session folder, read without stopping at problems.

    The notebook gives ``fac_eval.data.session_paths.raw_session_dir(session)``: the configured raw
    folder (``FAC_EVAL_RAW`` or the project's ``data/raw``), whatever the working directory.
    """
    from fac_eval.data import validation

    return validation.check_session(Path(session_dir))


def ordinal_items(instrument: str) -> list[cb.Item]:
    """The items of ``instrument`` answered on an ordinal scale (the ones with a floor/ceiling)."""
    return [it for it in cb.INSTRUMENTS[instrument].items
            if it.type == "ordinal" and it.choices]


def missing_by_item(table: pd.DataFrame, instrument: str, lang: str = "fr") -> pd.DataFrame:
    """Missing answers per item of one instrument's table.

    Columns: ``item``, ``label``, ``n`` (rows), ``n_missing``, ``share_missing`` (0-1). Only
    the codebook's answer columns are counted (not the id, the dates or ``source_row``).
    """
    inst = cb.INSTRUMENTS[instrument]
    rows = []
    for it in inst.items:
        if it.name == inst.key or it.type in ("id", "date") or it.name not in table.columns:
            continue
        n = len(table)
        miss = int(table[it.name].isna().sum())
        rows.append({"item": it.name, "label": it.label(lang), "n": n, "n_missing": miss,
                     "share_missing": miss / n if n else np.nan})
    return pd.DataFrame(rows, columns=["item", "label", "n", "n_missing", "share_missing"])


def answer_distribution(table: pd.DataFrame, instrument: str,
                        threshold: float = FLOOR_CEILING_SHARE, lang: str = "fr") -> pd.DataFrame:
    """Answers per code of every ordinal item, with floor and ceiling effects.

    One row per item: ``n`` answers on the item's scale, ``n_invalid`` the numbers outside it
    (a typed 9 on a 1-4 item: left out here and in the reliability, reported by validation),
    one column per code of the item's scale (counts), ``floor``
    and ``ceiling`` (share of answers at the lowest / highest code, over the answers given),
    ``floor_effect`` / ``ceiling_effect`` (share > ``threshold``, by default 15 %, Terwee et al.
    2007). A ceiling effect at entry leaves no room to measure progress.
    """
    rows = []
    for it in ordinal_items(instrument):
        if it.name not in table.columns:
            continue
        given = pd.to_numeric(table[it.name], errors="coerce").dropna()
        x = given[given.isin(it.codes)]  # a code outside the scale (a typed 9) is left out
        n = len(x)
        row: dict[str, Any] = {"item": it.name, "label": it.label(lang), "n": n,
                               "n_invalid": len(given) - n}
        for code in it.codes:
            row[str(code)] = int((x == code).sum())
        lo, hi = min(it.codes), max(it.codes)
        row["floor"] = float((x == lo).mean()) if n else np.nan
        row["ceiling"] = float((x == hi).mean()) if n else np.nan
        row["floor_effect"] = bool(n and row["floor"] > threshold)
        row["ceiling_effect"] = bool(n and row["ceiling"] > threshold)
        rows.append(row)
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    codes = sorted((c for c in df.columns if c.isdigit()), key=int)
    return df[["item", "label", "n", "n_invalid", *codes, "floor", "ceiling", "floor_effect",
               "ceiling_effect"]]


def scored_items(table: pd.DataFrame, scale: cb.Scale) -> pd.DataFrame:
    """The items of ``scale`` as floats, reversed items recoded (``min + max - x``); an answer
    outside the item's codes (a typed 9 on a 1-4 item) is missing, never scored."""
    out = {}
    for name in scale.items:
        x = pd.to_numeric(table[name], errors="coerce").astype(float)
        codes = cb.find_item(name).codes
        if codes:
            x = x.where(x.isin(codes))
        if cb.find_item(name).reversed:
            x = scale.item_min + scale.item_max - x
        out[name] = x
    return pd.DataFrame(out, index=table.index)


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha of ``k`` items over ``n`` complete respondents, with its CI."""

    alpha: float
    ci_low: float
    ci_high: float
    n: int
    k: int
    confidence: float


def cronbach_alpha(items: pd.DataFrame, confidence: float = 0.95) -> AlphaResult:
    """Cronbach's alpha with a confidence interval (pingouin.cronbach_alpha, listwise).

    alpha = k / (k - 1) * (1 - sum_i var(X_i) / var(sum_i X_i)) over the respondents who
    answered every item (sample variances). The interval is Feldt's (1965), based on
    (1 - alpha) / (1 - alpha_hat) following an F(n - 1, (n - 1)(k - 1)) distribution.
    Assumes items measure one dimension with uncorrelated errors; alpha is a lower bound of the
    reliability when items are not tau-equivalent. With fewer than 2 items or 2 complete
    respondents, alpha is NaN. Reference: Cronbach (1951), Psychometrika 16: 297-334.
    """
    import pingouin

    complete = items.dropna()
    n, k = len(complete), items.shape[1]
    if k < 2 or n < 2 or float(complete.sum(axis=1).var(ddof=1)) == 0:
        return AlphaResult(np.nan, np.nan, np.nan, n, k, confidence)
    alpha, ci = pingouin.cronbach_alpha(data=complete, nan_policy="listwise", ci=confidence)
    # pingouin rounds the interval to 3 decimals; the point estimate is exact
    return AlphaResult(float(alpha), float(ci[0]), float(ci[1]), n, k, confidence)


#: The note of an omega whose one-factor fit is a Heywood case (:func:`mcdonald_omega`).
HEYWOOD = "Heywood case"


@dataclass(frozen=True)
class OmegaResult:
    """McDonald's omega (total) of ``k`` items from a one-factor model on ``n`` respondents.

    In a Heywood case (``note`` :data:`HEYWOOD`), ``omega`` is NaN; ``heywood_items`` names the
    items whose uniqueness fell to 0 and ``boundary_omega`` is the value the formula gives on that
    improper solution (said in the note, never shown as the scale's omega)."""

    omega: float
    loadings: tuple[float, ...]
    n: int
    k: int
    note: str = ""
    heywood_items: tuple[str, ...] = ()
    boundary_omega: float = np.nan


def mcdonald_omega(items: pd.DataFrame) -> OmegaResult:
    """McDonald's omega total from a one-factor maximum-likelihood model of the correlations.

    omega = (sum_i l_i)^2 / ((sum_i l_i)^2 + sum_i psi_i), where l_i are the standardised
    loadings and psi_i the uniquenesses of a single common factor fitted by maximum likelihood
    to the items' correlation matrix over complete respondents
    (:func:`fac_eval.analysis.stats.factor.one_factor_ml`, R's ``factanal`` algorithm; at a proper
    solution psi_i = 1 - l_i^2). Assumes one factor (congeneric items); unlike alpha it does not
    need equal loadings. It only makes sense with at least 3 items and more respondents than
    items, and with no constant item: otherwise NaN with a ``note`` (an English code, worded in
    the notebook's language by :mod:`fac_eval.report.quality_view`).

    A Heywood case (an item's uniqueness at 0, its loading 1: the likelihood is highest when that
    item *is* the factor, frequent with ten respondents or so) is an improper solution: omega is
    NaN, the note :data:`HEYWOOD`, and the items and the value on that boundary solution are in
    ``heywood_items`` / ``boundary_omega``. Other estimators do not stop at the boundary (psych's
    ``omega`` uses minres by default) and so give a number where this one says why there is none.
    References: McDonald (1999), Test theory: a unified treatment, ch. 6; Lawley & Maxwell
    (1971), Factor analysis as a statistical method; Revelle & Zinbarg (2009), Psychometrika 74.
    """
    from fac_eval.analysis.stats.factor import one_factor_ml

    complete = items.dropna()
    n, k = len(complete), items.shape[1]
    if k < 3:
        return OmegaResult(np.nan, (), n, k, "fewer than 3 items")
    if n <= k:
        return OmegaResult(np.nan, (), n, k, "not more complete respondents than items")
    if (complete.std(ddof=1) == 0).any():
        return OmegaResult(np.nan, (), n, k, "an item has the same answer for everyone")
    corr = np.corrcoef(complete.to_numpy(dtype=float), rowvar=False)
    try:
        fit = one_factor_ml(corr)
    except (np.linalg.LinAlgError, ValueError):
        return OmegaResult(np.nan, (), n, k, "factor model could not be estimated")
    lam = tuple(map(float, fit.loadings))
    common = float(fit.loadings.sum()) ** 2
    omega = common / (common + float(fit.uniquenesses.sum()))
    if fit.heywood:
        return OmegaResult(np.nan, lam, n, k, HEYWOOD,
                           tuple(str(items.columns[i]) for i in fit.heywood), omega)
    note = "" if fit.converged else "fit did not converge: read with care"
    return OmegaResult(omega, lam, n, k, note)


def scale_reliability(tables: dict[str, pd.DataFrame], confidence: float = 0.95,
                      lang: str = "fr") -> pd.DataFrame:
    """Internal consistency of every multi-item scale of the codebook, per wave, in this cohort.

    One row per (scale, instrument): ``k`` items, ``n`` complete respondents, ``alpha`` with
    ``alpha_low`` / ``alpha_high`` (Feldt CI at ``confidence``), ``omega`` (NaN with
    ``omega_note`` when it does not make sense; in a Heywood case ``omega_items``,
    ``omega_loading`` and ``omega_boundary`` say which items, what loading and what value the
    improper solution gives), the ``published`` reliability stored in the
    codebook and its ``published_source``. Reversed items are recoded first.
    """
    rows = []
    for scale in cb.SCALES.values():
        for name, table in tables.items():
            if not all(i in table.columns for i in scale.items):
                continue
            items = scored_items(table, scale)
            a = cronbach_alpha(items, confidence)
            o = mcdonald_omega(items)
            rows.append({
                "scale": scale.name, "label": scale.label_en if lang == "en" else scale.label_fr,
                "instrument": name,
                "k": a.k, "n": a.n, "alpha": a.alpha, "alpha_low": a.ci_low,
                "alpha_high": a.ci_high, "omega": o.omega, "omega_note": o.note,
                "omega_items": ", ".join(o.heywood_items), "omega_boundary": o.boundary_omega,
                "omega_loading": max(o.loadings, default=np.nan),
                "published": scale.reliability, "published_source": wording(scale.reliability_source, lang),
            })
    return pd.DataFrame(rows)


def straight_lining(table: pd.DataFrame, instrument: str, min_items: int = 3) -> pd.DataFrame:
    """Respondents who gave the same raw answer to every item of a multi-item scale.

    One row per (respondent, scale) that is straight-lined: ``id``, ``scale``, ``answer`` (the
    repeated code), ``n_items`` answered. Only scales with at least ``min_items`` answered items
    count. On a scale with reversed items (Rosenberg) the same answer everywhere contradicts
    itself: ``contradictory`` is True then.
    """
    key = cb.INSTRUMENTS[instrument].key
    rows = []
    for scale in cb.SCALES.values():
        if not all(i in table.columns for i in scale.items):
            continue
        has_reversed = any(cb.find_item(i).reversed for i in scale.items)
        raw = table[list(scale.items)].apply(pd.to_numeric, errors="coerce")
        for idx, answers in raw.iterrows():
            given = answers.dropna()
            if len(given) >= min_items and given.nunique() == 1:
                rows.append({"id": table.at[idx, key], "scale": scale.name,
                             "answer": int(given.iloc[0]), "n_items": len(given),
                             "contradictory": has_reversed})
    return pd.DataFrame(rows, columns=["id", "scale", "answer", "n_items", "contradictory"])


def pairing(tables: dict[str, pd.DataFrame], population: str = "learners",
            pending=()) -> pd.DataFrame:
    """Entry/exit pairing of one population, with drop-outs.

    One row per participant known in the profile, entry or exit table: ``id``, ``in_profile``,
    ``entry``, ``exit`` (answered that wave), ``paired`` (both), ``status`` and
    ``dropout_reason`` from the profile when it has them, and ``problem``: ``"exit without
    entry"``, ``"not in profile"``, ``"no exit, not marked as drop-out"`` or empty.

    ``pending``: the questionnaires not collected yet (``SessionData.pending``, an interim
    session, :mod:`fac_eval.data.interim`). While the population's exit questionnaire is
    pending, an entry without an exit is ``"exit pending"``: a state, not an inconsistency.
    """
    key = dict(PAIRS)[population]
    exit_pending = f"{population}_exit" in tuple(pending or ())
    prof = tables.get(f"{population}_profile", pd.DataFrame(columns=[key]))
    entry = tables.get(f"{population}_entry", pd.DataFrame(columns=[key]))
    exit_ = tables.get(f"{population}_exit", pd.DataFrame(columns=[key]))
    ids = list(dict.fromkeys([*prof[key].dropna(), *entry[key].dropna(), *exit_[key].dropna()]))
    status = dict(zip(prof[key], prof["status"])) if "status" in prof else {}
    reason = dict(zip(prof[key], prof["dropout_reason"])) if "dropout_reason" in prof else {}
    rows = []
    for pid in ids:
        r = {"id": pid, "in_profile": pid in set(prof[key]), "entry": pid in set(entry[key]),
             "exit": pid in set(exit_[key])}
        r["paired"] = r["entry"] and r["exit"]
        r["status"] = status.get(pid, pd.NA)
        r["dropout_reason"] = reason.get(pid, pd.NA)
        dropped = isinstance(r["status"], str) and r["status"] != "completed"
        if r["exit"] and not r["entry"]:
            r["problem"] = "exit without entry"
        elif not r["in_profile"]:
            r["problem"] = "not in profile"
        elif r["entry"] and not r["exit"] and not dropped:
            r["problem"] = "exit pending" if exit_pending else "no exit, not marked as drop-out"
        else:
            r["problem"] = ""
        rows.append(r)
    return pd.DataFrame(rows, columns=["id", "in_profile", "entry", "exit", "paired", "status",
                                       "dropout_reason", "problem"])


def pairing_summary(pairs: pd.DataFrame) -> pd.DataFrame:
    """Counts of :func:`pairing`: participants, entry, exit, paired, drop-outs, problems to
    check and exits pending (an interim session's, not counted as problems)."""
    dropped = pairs["status"].map(lambda s: isinstance(s, str) and s != "completed")
    waiting = pairs["problem"] == "exit pending"
    return pd.DataFrame([{
        "participants": len(pairs), "entry": int(pairs["entry"].sum()),
        "exit": int(pairs["exit"].sum()), "paired": int(pairs["paired"].sum()),
        "dropped_out": int(dropped.sum()),
        "problems": int(((pairs["problem"] != "") & ~waiting).sum()),
        "exit_pending": int(waiting.sum()),
    }])


def problems_table(problems, lang: str = "fr") -> pd.DataFrame:
    """The validation problems (``fac_eval.data.validation.Problem``) as a table, one row each:
    ``row`` an integer (``None`` for a problem of a whole file), ``cell`` the workbook's cell
    (``C7``) when the problem names one, ``note`` what was found (a masked value's kind)."""
    rows = []
    for p in problems:
        en = lang == "en"
        row = getattr(p, "row", None)
        rows.append({name: getattr(p, name, None) for name in ("file", "column", "value")}
                    | {"row": None if row is None or pd.isna(row) else int(row),
                       "cell": getattr(p, "cell", None),
                       "expected": (getattr(p, "expected_en", None) if en else None)
                       or getattr(p, "expected", None),
                       "note": (getattr(p, "note_en", None) if en else None)
                       or getattr(p, "note", None), "kind": getattr(p, "kind", None)})
    return pd.DataFrame(rows, columns=["file", "row", "cell", "column", "value", "expected",
                                       "note", "kind"]).astype({"row": "Int64"})


def _each(tables: dict[str, pd.DataFrame], func, **kw) -> pd.DataFrame:
    parts = []
    for name, table in tables.items():
        if name in cb.INSTRUMENTS:
            df = func(table, name, **kw)
            if not df.empty:
                parts.append(df.assign(instrument=name)[["instrument", *df.columns]])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def missing_all(tables: dict[str, pd.DataFrame], lang: str = "fr") -> pd.DataFrame:
    """:func:`missing_by_item` of every instrument read, with an ``instrument`` column."""
    return _each(tables, missing_by_item, lang=lang)


def distribution_all(tables: dict[str, pd.DataFrame],
                     threshold: float = FLOOR_CEILING_SHARE, lang: str = "fr") -> pd.DataFrame:
    """:func:`answer_distribution` of every instrument read, with an ``instrument`` column."""
    return _each(tables, answer_distribution, threshold=threshold, lang=lang)


def straight_lining_all(tables: dict[str, pd.DataFrame], min_items: int = 3) -> pd.DataFrame:
    """:func:`straight_lining` of every instrument read, with an ``instrument`` column."""
    return _each(tables, straight_lining, min_items=min_items)
