"""Cleaning: from the typed raw tables of a session to tidy analysis tables.

Pure functions, DataFrame in and DataFrame out. What they do:

- score multi-item scales (reversed items, a documented rule for missing items: see
  :func:`score_scale`);
- put every learner's and founder's entry and exit values side by side (pairing by id) with the
  direction of change;
- classify each participant's path through the session (participant flow), with the reason why
  someone is not in a given analysis, so that every participant of the raw data is accounted for;
- classify follow-up situations into the sortie dynamique categories of the IAE.

:func:`clean_session` runs all of them; :func:`write_processed` writes the tables as CSV files
that a person can open (UTF-8 with BOM so that Excel shows the accents).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from fac_eval.data import codebook as cb

#: The categories of change of an entry/exit pair.
CHANGE_IMPROVED, CHANGE_UNCHANGED, CHANGE_WORSENED, CHANGE_MISSING = (
    "improved", "unchanged", "worsened", "missing",
)


# --------------------------------------------------------------------------------------------
# Scales
# --------------------------------------------------------------------------------------------

def score_scale(df: pd.DataFrame, scale: cb.Scale) -> pd.DataFrame:
    """Score one multi-item scale for every row of ``df``.

    Reversed items (``codebook.Item.reversed``) are recoded ``item_min + item_max - x``. The score is
    the sum of the items. Missing items: when at most ``scale.max_missing`` items are missing the
    score is prorated, ``mean(answered items) × number of items`` (rounded to 2 decimals), and
    flagged ``prorated``; with more missing items the score is missing. Nothing else is imputed.

    Returns a DataFrame with the index of ``df`` and columns ``score``, ``n_answered``,
    ``prorated``.
    """
    missing_cols = [c for c in scale.items if c not in df.columns]
    if missing_cols:
        raise KeyError(f"scale {scale.name}: columns {missing_cols} are missing")
    items = df[list(scale.items)].astype("Float64").astype(float)
    for name in scale.items:
        if cb.find_item(name).reversed:
            items[name] = scale.item_min + scale.item_max - items[name]
    n_answered = items.notna().sum(axis=1)
    n_items = len(scale.items)
    mean = items.mean(axis=1, skipna=True)
    score = (mean * n_items).round(2)
    ok = n_answered >= n_items - scale.max_missing
    score = score.where(ok)
    return pd.DataFrame(
        {
            "score": score,
            "n_answered": n_answered.astype(int),
            "prorated": ok & (n_answered < n_items),
        },
        index=df.index,
    )


def outcome_values(questionnaire: pd.DataFrame, key: str, outcomes: tuple[str, ...]) -> pd.DataFrame:
    """Long table ``key, outcome, value, n_answered, prorated`` of one questionnaire wave.

    An outcome is a scale of ``codebook.SCALES`` (scored by :func:`score_scale`) or a single item.
    """
    frames = []
    for outcome in outcomes:
        if outcome in cb.SCALES:
            scored = score_scale(questionnaire, cb.SCALES[outcome])
            values = scored["score"]
            n_answered = scored["n_answered"]
            prorated = scored["prorated"]
        else:
            values = questionnaire[outcome].astype("Float64").astype(float)
            n_answered = values.notna().astype(int)
            prorated = pd.Series(False, index=questionnaire.index)
        frames.append(
            pd.DataFrame(
                {
                    key: questionnaire[key].astype(str).to_numpy(),
                    "outcome": outcome,
                    "value": values.to_numpy(dtype=float),
                    "n_answered": n_answered.to_numpy(dtype=int),
                    "prorated": prorated.to_numpy(dtype=bool),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=[key, "outcome", "value", "n_answered", "prorated"])
    return pd.concat(frames, ignore_index=True)


def pair_waves(
    entry: pd.DataFrame, exit: pd.DataFrame, key: str, outcomes: tuple[str, ...],
    participants: pd.Series | None = None,
) -> pd.DataFrame:
    """Entry and exit values side by side, one row per participant and outcome.

    Columns: ``key, outcome, entry, exit, change, direction`` where ``direction`` is improved /
    unchanged / worsened (taking ``higher_is_better`` into account: all our outcomes are
    "higher is better") or missing when either wave is missing. ``participants`` (ids) lists
    everyone who should appear, so that a person without a questionnaire still has rows (missing).
    """
    e = outcome_values(entry, key, outcomes).rename(
        columns={"value": "entry", "prorated": "entry_prorated"}
    ).drop(columns="n_answered")
    x = outcome_values(exit, key, outcomes).rename(
        columns={"value": "exit", "prorated": "exit_prorated"}
    ).drop(columns="n_answered")
    ids = set(e[key]) | set(x[key])
    if participants is not None:
        ids |= set(participants.astype(str))
    order = list(participants.astype(str)) if participants is not None else []
    order += sorted(ids - set(order))
    grid = pd.MultiIndex.from_product([order, list(outcomes)], names=[key, "outcome"]).to_frame(
        index=False
    )
    out = grid.merge(e, on=[key, "outcome"], how="left").merge(x, on=[key, "outcome"], how="left")
    # rounded like stats.paired_differences, so that floating-point noise of prorated scores
    # never turns an exact 0 into a change (same directions as the indicators' counts)
    out["change"] = (out["exit"] - out["entry"]).round(10) + 0.0
    sign = out["change"].map(lambda v: np.nan if pd.isna(v) else np.sign(v))
    higher = out["outcome"].map(lambda o: _higher_is_better(o)).astype(bool)
    sign = sign.where(higher, -sign)
    out["direction"] = np.select(
        [sign > 0, sign == 0, sign < 0],
        [CHANGE_IMPROVED, CHANGE_UNCHANGED, CHANGE_WORSENED],
        default=CHANGE_MISSING,
    )
    for c in ("entry_prorated", "exit_prorated"):
        out[c] = out[c].astype("boolean").fillna(False).astype(bool)
    return out[[key, "outcome", "entry", "exit", "change", "direction", "entry_prorated",
                "exit_prorated"]]


def _higher_is_better(outcome: str) -> bool:
    if outcome in cb.SCALES:
        return cb.SCALES[outcome].higher_is_better
    return cb.find_item(outcome).higher_is_better


def agreement(exit: pd.DataFrame, key: str, items: tuple[str, ...],
              participants: pd.Series | None = None) -> pd.DataFrame:
    """Exit-only declarations on the 4-point agree scale, one row per participant and item.

    Columns ``key, item, answer, agrees``: ``agrees`` is True for "plutôt en accord" or "tout à
    fait en accord" (codes 3–4), False for codes 1–2, missing when unanswered.
    """
    present = exit.set_index(exit[key].astype(str)) if len(exit) else exit
    ids = list(participants.astype(str)) if participants is not None else list(present.index)
    if not len(exit) or present.index.is_unique:  # one column lookup per item (linear)
        answers = np.empty((len(ids), len(items)), dtype=object)
        for j, item in enumerate(items):
            if len(exit) and item in present.columns:
                col = present[item].astype(object).reindex(ids)
                answers[:, j] = [pd.NA if pd.isna(a) else a for a in col.to_numpy()]
            else:
                answers[:, j] = pd.NA
        out = pd.DataFrame({key: np.repeat(np.array(ids, dtype=object), len(items)),
                            "item": np.tile(np.array(items, dtype=object), len(ids)),
                            "answer": answers.ravel()}, columns=[key, "item", "answer"])
        out["answer"] = out["answer"].astype("Int64")
        agrees = out["answer"].isin(list(cb.AGREE_CODES_YES)).astype("boolean")
        agrees[out["answer"].isna()] = pd.NA
        out["agrees"] = agrees
        return out
    rows = []
    for pid in ids:
        for item in items:
            answer = pd.NA
            if len(exit) and pid in present.index and item in present.columns:
                answer = present.at[pid, item]
            agrees = pd.NA if pd.isna(answer) else bool(int(answer) in cb.AGREE_CODES_YES)
            rows.append({key: pid, "item": item, "answer": answer, "agrees": agrees})
    out = pd.DataFrame(rows, columns=[key, "item", "answer", "agrees"])
    out["answer"] = out["answer"].astype("Int64")
    out["agrees"] = out["agrees"].astype("boolean")
    return out


# --------------------------------------------------------------------------------------------
# Participant flow
# --------------------------------------------------------------------------------------------

FLOW_STAGES = ("enrolled", "entry_questionnaire", "completed", "exit_questionnaire", "followup")
#: The third stage of an interim session (exit questionnaires not collected): the session is
#: not over, so nobody is counted as having completed it; the learners not marked as dropped
#: out so far are counted instead.
STILL_ENROLLED = "still_enrolled"


def learner_flow(
    profile: pd.DataFrame, entry: pd.DataFrame, exit: pd.DataFrame,
    followup: pd.DataFrame | None, exit_pending: bool = False,
) -> pd.DataFrame:
    """One row per learner of the profile file: which stages they reached and why not further.

    Columns: ``learner_id, status, dropout_reason, has_entry, has_exit, followup_collected,
    followup_responded, paired`` (entry and exit questionnaires both present) and ``exclusion``:
    the reason the learner is not in the paired analyses ("" when paired), one of
    ``dropped_out``, ``no_entry_questionnaire``, ``no_exit_questionnaire``, or
    ``exit_pending`` when the exit questionnaires are not collected yet (``exit_pending=True``,
    an interim session); ``exit_collected`` is False then.
    """
    ids = profile["learner_id"].astype(str)
    entry_ids = set(entry["learner_id"].astype(str)) if len(entry) else set()
    exit_ids = set(exit["learner_id"].astype(str)) if len(exit) else set()
    out = pd.DataFrame({"learner_id": ids.to_numpy()})
    out["status"] = profile["status"].astype(str).to_numpy()
    reason = profile["dropout_reason"] if "dropout_reason" in profile else pd.Series(pd.NA, index=profile.index)
    out["dropout_reason"] = reason.astype("string").to_numpy()
    out["has_entry"] = out["learner_id"].isin(entry_ids)
    out["has_exit"] = out["learner_id"].isin(exit_ids)
    out["paired"] = out["has_entry"] & out["has_exit"]
    out["followup_collected"] = followup is not None and len(followup) > 0
    if followup is not None and len(followup):
        responded = dict(zip(followup["learner_id"].astype(str), followup["responded"]))
        out["followup_responded"] = out["learner_id"].map(
            lambda i: bool(responded.get(i)) if pd.notna(responded.get(i, pd.NA)) else False
        )
    else:
        out["followup_responded"] = False
    out["exclusion"] = np.select(
        [out["paired"], out["status"] == "dropped_out", ~out["has_entry"], ~out["has_exit"]],
        ["", "dropped_out", "no_entry_questionnaire",
         "exit_pending" if exit_pending else "no_exit_questionnaire"],
        default="",
    )
    out["exit_collected"] = not exit_pending
    return out


def flow_counts(flow: pd.DataFrame) -> pd.DataFrame:
    """Counts per stage of the participant flow (enrolled → entry → completed → exit → follow-up).

    While the exit questionnaires are not collected (an interim session), the third stage is
    :data:`STILL_ENROLLED` (learners not marked as dropped out so far) instead of ``completed``.

    Columns ``stage, n, lost, note``: ``lost`` is how many of the previous stage are not at this one.
    The stages add up: everyone enrolled is counted once at every stage they reached.
    """
    n_enrolled = len(flow)
    n_entry = int(flow["has_entry"].sum())
    n_completed = int((flow["status"] == "completed").sum())
    third = "completed"
    n_exit: int | None = int(flow["has_exit"].sum())
    n_paired: int | None = int(flow["paired"].sum())
    if "exit_collected" in flow and len(flow) and not bool(flow["exit_collected"].any()):
        n_exit = n_paired = None  # the exit questionnaires are not collected yet
        # the session is not over: who has not dropped out so far, not who completed
        third = STILL_ENROLLED
        n_completed = int((flow["status"] != "dropped_out").sum())
    collected = bool(flow["followup_collected"].any()) if len(flow) else False
    n_follow = int(flow["followup_responded"].sum()) if collected else None
    rows = [
        ("enrolled", n_enrolled),
        ("entry_questionnaire", n_entry),
        (third, n_completed),
        ("exit_questionnaire", n_exit),
        ("paired", n_paired),
        ("followup", n_follow),
    ]
    out = pd.DataFrame(rows, columns=["stage", "n"])
    out["n"] = out["n"].astype("Int64")
    return out


# --------------------------------------------------------------------------------------------
# Follow-up
# --------------------------------------------------------------------------------------------

def classify_followup(
    followup: pd.DataFrame, neutralised: tuple[str, ...] | list[str] = cb.DEFAULT_NEUTRALISED,
) -> pd.DataFrame:
    """Follow-up rows with their sortie dynamique category.

    ``category`` is one of durable / transition / positive / other (codebook.SORTIE_CATEGORY),
    ``neutralised`` when the situation is in the ``neutralised`` list (an overridable setting:
    the official DGEFP list is not fully public), ``non_respondent`` when the learner did not
    answer, ``unknown`` when they answered without a situation.
    """
    out = followup.copy()
    neutral = set(neutralised)

    def cat(row):
        if row["responded"] is pd.NA or not bool(row["responded"]):
            return "non_respondent"
        s = row["situation"]
        if pd.isna(s):
            return "unknown"
        if s in neutral:
            return "neutralised"
        c = cb.SORTIE_CATEGORY[s]
        return "other" if c == "neutralised" else c

    out["category"] = out.apply(cat, axis=1) if len(out) else pd.Series(dtype=str)
    return out


# --------------------------------------------------------------------------------------------
# The whole session
# --------------------------------------------------------------------------------------------

@dataclass
class CleanSession:
    """The tidy tables of one session, ready for the indicators."""

    name: str
    meta: dict
    learners: pd.DataFrame
    learner_flow: pd.DataFrame
    learner_pairs: pd.DataFrame
    learner_declarations: pd.DataFrame
    founders: pd.DataFrame
    founder_pairs: pd.DataFrame
    founder_outcomes: pd.DataFrame
    followup: pd.DataFrame | None
    testimonies: pd.DataFrame | None
    extra: dict = field(default_factory=dict)
    #: ``collected``; ``not_collected`` (no follow-up file); ``no_rows`` (a follow-up file with
    #: no answer yet: header only or the untouched template); ``awaiting_exit`` (answers in the
    #: file while the learners' exit questionnaire is not collected: set aside until it is).
    #: All but the first mean "pending":
    #: ``followup`` is then None and every follow-up indicator has the verdict ``pending``.
    followup_status: str = "not_collected"
    #: exit questionnaires not collected yet (an interim session, :mod:`fac_eval.data.interim`)
    pending: tuple[str, ...] = ()
    #: testimonies of a wave not collected yet, set aside (not in ``testimonies``):
    #: :func:`fac_eval.data.interim.awaited_testimonies`
    testimonies_set_aside: int = 0

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables written to ``data/processed/<session>/`` (file stem -> table)."""
        out = {
            "learners": self.learners,
            "learner_flow": self.learner_flow,
            "learner_outcomes": self.learner_pairs,
            "learner_declarations": self.learner_declarations,
            "founders": self.founders,
            "founder_outcomes": self.founder_pairs,
            "founder_business": self.founder_outcomes,
        }
        if self.followup is not None:
            out["followup"] = self.followup
        if self.testimonies is not None:
            out["testimonies"] = self.testimonies
        return out


def founder_business(profile: pd.DataFrame, entry: pd.DataFrame, exit: pd.DataFrame) -> pd.DataFrame:
    """One row per founder: stage, business created at entry/exit, revenue at entry/exit,
    digital culture at entry/exit (with the ceiling flag) and time saved.

    ``developed`` is True when the founder's activity developed: a business created during the
    session (stage creation) or revenue up (stage development).
    """
    ids = profile["founder_id"].astype(str)
    e = entry.set_index(entry["founder_id"].astype(str))
    x = exit.set_index(exit["founder_id"].astype(str))

    def get(frame, pid, col):
        if pid in frame.index and col in frame.columns:
            return frame.at[pid, col]
        return pd.NA

    rows = []
    top = max(int(c.code) for c in cb.LEVEL_4)
    for pid, stage in zip(ids, profile["stage"].astype(str)):
        created_in = get(e, pid, "business_created")
        created_out = get(x, pid, "business_created")
        rev_in = get(e, pid, "annual_revenue")
        rev_out = get(x, pid, "annual_revenue")
        dc_in = get(e, pid, "digital_culture")
        dc_out = get(x, pid, "digital_culture")
        ts = get(x, pid, "time_saved")
        created_during = (
            pd.NA if pd.isna(created_out) else bool(created_out) and not (
                pd.notna(created_in) and bool(created_in))
        )
        revenue_up = pd.NA if pd.isna(rev_in) or pd.isna(rev_out) else bool(rev_out > rev_in)
        if stage == "creation":
            developed = created_during
        else:
            developed = revenue_up
        rows.append({
            "founder_id": pid,
            "stage": stage,
            "has_entry": pid in e.index,
            "has_exit": pid in x.index,
            "business_created_entry": created_in,
            "business_created_exit": created_out,
            "created_during_session": created_during,
            "revenue_entry": rev_in,
            "revenue_exit": rev_out,
            "revenue_change": (pd.NA if revenue_up is pd.NA else float(rev_out) - float(rev_in)),
            "revenue_up": revenue_up,
            "developed": developed,
            "digital_culture_entry": dc_in,
            "digital_culture_exit": dc_out,
            "digital_culture_at_ceiling": pd.NA if pd.isna(dc_in) else bool(int(dc_in) >= top),
            "digital_culture_gained": (
                pd.NA if pd.isna(dc_in) or pd.isna(dc_out) else bool(int(dc_out) > int(dc_in))
            ),
            "time_saved_answer": ts,
            "time_saved": pd.NA if pd.isna(ts) else bool(int(ts) in cb.AGREE_CODES_YES),
        })
    out = pd.DataFrame(rows)
    for c in ("business_created_entry", "business_created_exit", "created_during_session",
              "revenue_up", "developed", "digital_culture_at_ceiling", "digital_culture_gained",
              "time_saved"):
        out[c] = out[c].astype("boolean")
    for c in ("revenue_entry", "revenue_exit", "revenue_change"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    for c in ("digital_culture_entry", "digital_culture_exit", "time_saved_answer"):
        out[c] = out[c].astype("Int64")
    return out


def clean_session(data) -> CleanSession:
    """Clean one session read by :func:`fac_eval.data.io.read_session` (a ``SessionData``)."""
    t = data.tables
    lp, le, lx = t["learners_profile"], t["learners_entry"], t["learners_exit"]
    fp, fe, fx = t["founders_profile"], t["founders_entry"], t["founders_exit"]
    followup = t.get("followup")
    # a follow-up file with no rows (header only, the untouched template) is a follow-up not
    # collected yet: "pending", never a sortie dynamique of 0 % over every learner "without news"
    if followup is None:
        followup_status = "not_collected"
    elif len(followup) == 0:
        followup_status, followup = "no_rows", None
    else:
        followup_status = "collected"
    pending = tuple(getattr(data, "pending", ()) or ())
    if followup is not None and "learners_exit" in pending:
        # the follow-up comes after the exit: while the learners' exit questionnaire is not
        # collected, who completed is not known and its answers are set aside (pending
        # everywhere: rate, detail, costs, comparison), as validate warns
        followup_status, followup = "awaiting_exit", None
    neutralised = tuple(data.meta.get("neutralised_situations") or cb.DEFAULT_NEUTRALISED)

    flow = learner_flow(lp, le, lx, followup, exit_pending="learners_exit" in pending)
    learners = lp.drop(columns=[c for c in ("source_row",) if c in lp.columns]).merge(
        flow.drop(columns=["status", "dropout_reason"]), on="learner_id", how="left"
    )
    pairs = pair_waves(le, lx, "learner_id", cb.LEARNER_OUTCOMES, participants=lp["learner_id"])
    declarations = agreement(lx, "learner_id", cb.LEARNER_DECLARATION_ITEMS,
                             participants=lp["learner_id"])
    founders = fp.drop(columns=[c for c in ("source_row",) if c in fp.columns]).copy()
    founders["has_entry"] = founders["founder_id"].astype(str).isin(set(fe["founder_id"].astype(str)))
    founders["has_exit"] = founders["founder_id"].astype(str).isin(set(fx["founder_id"].astype(str)))
    founder_pairs = pair_waves(fe, fx, "founder_id", cb.FOUNDER_OUTCOMES,
                               participants=fp["founder_id"])
    business = founder_business(fp, fe, fx)
    fu = None
    if followup is not None:
        fu = classify_followup(
            followup.drop(columns=[c for c in ("source_row",) if c in followup.columns]),
            neutralised,
        )
    testimonies = t.get("testimonies")
    set_aside = 0
    if testimonies is not None and pending and len(testimonies):
        # a testimony of a wave not collected yet (an exit testimony while that exit
        # questionnaire is pending): set aside, as the follow-up answers are (validate warns)
        from fac_eval.data.interim import awaited_testimonies

        awaited = awaited_testimonies(testimonies, pending)
        set_aside = int(awaited.sum())
        testimonies = testimonies[~awaited].reset_index(drop=True)
    if testimonies is not None:
        testimonies = testimonies.drop(columns=[c for c in ("source_row",) if c in testimonies.columns])
    return CleanSession(
        name=data.name, meta=dict(data.meta), learners=learners, learner_flow=flow,
        learner_pairs=pairs, learner_declarations=declarations, founders=founders,
        founder_pairs=founder_pairs, founder_outcomes=business, followup=fu,
        testimonies=testimonies, followup_status=followup_status, pending=pending,
        testimonies_set_aside=set_aside,
    )


_FORMULA_START = ("=", "+", "@", "\t", "\r", "-")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?")


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` that a spreadsheet opens as data: a text cell that a spreadsheet would
    run as a formula (starting with ``=``, ``+``, ``@``, a tab, a carriage return, or ``-``
    not followed by a plain number: "=HYPERLINK(…)", "+cmd|…") gets a leading apostrophe
    (OWASP's advice against CSV injection). Numbers and other text are unchanged."""
    out = table.copy()
    for col in out.columns:
        if out[col].dtype != object and not pd.api.types.is_string_dtype(out[col].dtype):
            continue

        def safe(v):
            if isinstance(v, str) and v.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(v):
                return "'" + v
            return v

        out[col] = out[col].map(safe).astype(out[col].dtype)
    return out


def write_processed(clean: CleanSession, out_dir: str | Path, extra: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write the tidy tables as CSV files in ``out_dir`` (replaced as a whole, atomically).

    Files are UTF-8 with BOM (Excel shows accents), comma-separated, decimal point, missing values
    empty, one file per table; text that a spreadsheet would run as a formula is written as text
    (:func:`spreadsheet_safe`). The folder is first written beside the target and then swapped
    in, so a failure never leaves a half-written folder.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    os.chmod(tmp, 0o755)
    try:
        tables = dict(clean.tables())
        tables.update(extra or {})
        for stem, table in tables.items():
            spreadsheet_safe(table).to_csv(tmp / f"{stem}.csv", index=False, encoding="utf-8-sig",
                                           lineterminator="\n")
        replace_dir(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def replace_dir(new: Path, target: Path) -> None:
    """Swap folder ``new`` in place of ``target`` (both on the same filesystem)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
