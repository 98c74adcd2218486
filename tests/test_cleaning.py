"""Cleaning: scale scoring with reversed items and missing items, pairing, flow, follow-up."""

from __future__ import annotations

import numpy as np
import pandas as pd

from fac_eval.data import cleaning
from fac_eval.data import codebook as cb


def _rosenberg_frame(rows):
    cols = [f"ses_{i:02d}" for i in range(1, 11)]
    return pd.DataFrame(rows, columns=cols).astype("Int64")


def test_rosenberg_reversed_items_score_by_hand():
    # all answers 4 ("tout à fait en accord"): positive items give 4 each (5 items = 20),
    # reversed items 3, 5, 8, 9, 10 give 5 - 4 = 1 each (5) -> 25
    df = _rosenberg_frame([[4] * 10, [1, 1, 4, 1, 4, 1, 1, 4, 4, 4], [4, 4, 1, 4, 1, 4, 4, 1, 1, 1]])
    out = cleaning.score_scale(df, cb.SCALES["self_esteem"])
    assert out["score"].tolist() == [25.0, 10.0, 40.0]
    assert out["prorated"].tolist() == [False, False, False]


def test_one_missing_item_is_prorated_two_are_missing():
    row = [4, 4, 1, 4, 1, 4, 4, 1, 1, 1]  # 40 in total
    one_missing = list(row)
    one_missing[0] = pd.NA
    two_missing = list(one_missing)
    two_missing[2] = pd.NA
    df = _rosenberg_frame([one_missing, two_missing])
    out = cleaning.score_scale(df, cb.SCALES["self_esteem"])
    # 9 answered items all scored 4 -> mean 4 -> 40 prorated
    assert out.loc[0, "score"] == 40.0 and bool(out.loc[0, "prorated"])
    assert np.isnan(out.loc[1, "score"]) and out.loc[1, "n_answered"] == 8


def test_pair_waves_direction_and_missing_participant():
    entry = pd.DataFrame({"learner_id": ["A", "B"], "confidence": pd.array([2, 3], dtype="Int64")})
    exit_ = pd.DataFrame({"learner_id": ["A", "B"], "confidence": pd.array([4, 3], dtype="Int64")})
    out = cleaning.pair_waves(entry, exit_, "learner_id", ("confidence",),
                              participants=pd.Series(["A", "B", "C"]))
    assert out["learner_id"].tolist() == ["A", "B", "C"]
    assert out["direction"].tolist() == ["improved", "unchanged", "missing"]
    assert out["change"].iloc[0] == 2


def test_agreement_codes_3_and_4_are_yes():
    exit_ = pd.DataFrame({"learner_id": ["A", "B", "C"],
                          "step_back": pd.array([4, 2, pd.NA], dtype="Int64")})
    out = cleaning.agreement(exit_, "learner_id", ("step_back",))
    assert out["agrees"].tolist()[:2] == [True, False]
    assert out["agrees"].isna().tolist() == [False, False, True]


def test_learner_flow_accounts_for_everyone():
    profile = pd.DataFrame({
        "learner_id": ["A", "B", "C", "D"],
        "status": ["completed", "completed", "dropped_out", "completed"],
        "dropout_reason": [pd.NA, pd.NA, "health", pd.NA],
    })
    entry = pd.DataFrame({"learner_id": ["A", "B", "C"]})
    exit_ = pd.DataFrame({"learner_id": ["A", "D"]})
    followup = pd.DataFrame({"learner_id": ["A", "B"], "responded": pd.array([True, False], dtype="boolean")})
    flow = cleaning.learner_flow(profile, entry, exit_, followup)
    assert flow["exclusion"].tolist() == ["", "no_exit_questionnaire", "dropped_out", "no_entry_questionnaire"]
    counts = cleaning.flow_counts(flow).set_index("stage")["n"]
    assert counts.to_dict() == {"enrolled": 4, "entry_questionnaire": 3, "completed": 3,
                                "exit_questionnaire": 2, "paired": 1, "followup": 1}


def test_flow_without_followup_says_not_collected():
    profile = pd.DataFrame({"learner_id": ["A"], "status": ["completed"]})
    flow = cleaning.learner_flow(profile, pd.DataFrame({"learner_id": ["A"]}),
                                 pd.DataFrame({"learner_id": ["A"]}), None)
    counts = cleaning.flow_counts(flow).set_index("stage")["n"]
    assert counts["followup"] is pd.NA


def test_classify_followup_categories_and_override():
    fu = pd.DataFrame({
        "learner_id": list("ABCDEFG"),
        "responded": pd.array([True, True, True, True, True, False, True], dtype="boolean"),
        "situation": ["cdi", "cdd_under_6m", "qualifying_training", "job_seeker", "moved_away",
                      pd.NA, "long_illness"],
    })
    out = cleaning.classify_followup(fu)
    assert out["category"].tolist() == ["durable", "transition", "positive", "other",
                                        "neutralised", "non_respondent", "neutralised"]
    # overriding the neutralised list: long illness is no longer neutralised
    out2 = cleaning.classify_followup(fu, neutralised=["moved_away"])
    assert out2["category"].tolist()[-1] == "other"


def test_founder_business_developed_and_ceiling():
    profile = pd.DataFrame({"founder_id": ["P1", "P2"], "stage": ["creation", "development"]})
    entry = pd.DataFrame({
        "founder_id": ["P1", "P2"],
        "business_created": pd.array([False, True], dtype="boolean"),
        "annual_revenue": [np.nan, 30000.0],
        "digital_culture": pd.array([2, 4], dtype="Int64"),
    })
    exit_ = pd.DataFrame({
        "founder_id": ["P1", "P2"],
        "business_created": pd.array([True, True], dtype="boolean"),
        "annual_revenue": [5000.0, 36000.0],
        "digital_culture": pd.array([3, 4], dtype="Int64"),
        "time_saved": pd.array([4, 2], dtype="Int64"),
    })
    out = cleaning.founder_business(profile, entry, exit_)
    assert out["developed"].tolist() == [True, True]
    assert out["digital_culture_at_ceiling"].tolist() == [False, True]
    assert out["digital_culture_gained"].tolist() == [True, False]
    assert out["time_saved"].tolist() == [True, False]
    assert out["revenue_change"].iloc[1] == 6000.0
