"""What a funder asks: objectives against results, costs, main findings (fac_eval.analysis.funder)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import yaml

from fac_eval.analysis import funder
from fac_eval.data import programme

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="module")
def s2022(shipped):
    return shipped["2022"]


@pytest.fixture(scope="module")
def s2024(shipped):
    return shipped["synth-2024"]


def _programme(session):
    text = (RAW / session / "session.yml").read_text(encoding="utf-8")
    prog, problems = programme.parse_programme(yaml.safe_load(text), text)
    assert problems == []
    return prog


def test_2022_objectives_table_has_every_named_indicator_with_k_sur_n(s2022):
    prog = _programme("2022")
    table = funder.objective_results(prog, s2022.indicators)
    assert len(table) == sum(len(o.indicators) for o in prog.objectives)
    assert sorted(table["objective"].unique()) == [1, 2, 3, 4, 5]
    row = table.set_index("indicator").loc["learners.confidence.improved"]
    # "tous ont bien plus confiance en eux": 8 of 8 learners
    assert (row["numerator"], row["denominator"]) == (8, 8)
    assert "self_report" in row["caveats"] and "no_comparison" in row["caveats"]
    comm = table.set_index("indicator").loc["founders.internal_communication.improved"]
    assert (comm["numerator"], comm["denominator"]) == (1, 4)
    assert {"little_change", "not_testable"} <= set(comm["caveats"])
    motivation = table.set_index("indicator").loc["learners.motivation.agree"]
    assert "exit_only" in motivation["caveats"]


def test_pending_and_unknown_indicators_are_flagged_not_counted(s2022):
    # session.yml cannot name an unknown id (parse_programme refuses it, as validate and run
    # do): the model built directly, the table still flags an id the session did not compute
    prog = programme.Programme.model_validate({"objectives": [
        {"text": "x", "indicators": ["followup.sortie_dynamique", "learners.nothing.improved"]}]})
    assert programme.parse_programme(prog.model_dump(exclude_none=True))[0] is None
    table = funder.objective_results(prog, s2022.indicators).set_index("indicator")
    assert table.loc["followup.sortie_dynamique", "caveats"] == ("pending",)
    assert pd.isna(table.loc["followup.sortie_dynamique", "numerator"])
    assert table.loc["learners.nothing.improved", "caveats"] == ("missing",)


def test_synth_2024_costs_against_the_raw_files(s2024):
    total = _programme("synth-2024").budget.total
    learners = pd.read_csv(RAW / "synth-2024" / "learners_profile.csv")
    founders = pd.read_csv(RAW / "synth-2024" / "founders_profile.csv")
    completed = int((learners["status"] == "completed").sum())
    costs = funder.cost_table(total, s2024.indicators).set_index("basis")
    n = len(learners) + len(founders)
    assert costs.loc["participant", "count"] == n
    assert costs.loc["participant", "per_unit"] == (total / n).quantize(Decimal("1"))
    assert costs.loc["learner_completed", "count"] == completed
    assert costs.loc["learner_completed", "per_unit"] == round(Decimal(total) / completed)
    dyn = s2024.indicators.set_index("indicator").loc["followup.sortie_dynamique", "numerator"]
    assert costs.loc["sortie_dynamique", "available"]
    assert costs.loc["sortie_dynamique", "per_unit"] == round(Decimal(total) / int(dyn))


def test_no_cost_per_sortie_dynamique_while_the_followup_is_pending(s2022):
    costs = funder.cost_table(Decimal("10000"), s2022.indicators).set_index("basis")
    assert costs.loc["participant", "per_unit"] == Decimal("833")  # 10,000 / 12 people
    assert costs.loc["learner_completed", "per_unit"] == Decimal("1250")  # 10,000 / 8
    assert not costs.loc["sortie_dynamique", "available"]
    assert costs.loc["sortie_dynamique", "reason"] == "pending"
    assert costs.loc["sortie_dynamique", "per_unit"] is None


def test_main_findings_lead_with_strengths_and_show_a_weakness(s2022):
    found = funder.main_findings(s2022.indicators)
    assert set(found["role"]) == {"strength", "weakness"}
    weak = found.loc[found["role"] == "weakness"]
    # first the learner whose self-esteem fell (round 6: a learner's fall before all else)
    assert list(weak["weakness"]) == ["decline", "little_change"]
    fell = weak.iloc[0]
    assert fell["indicator"] == "learners.self_esteem.improved" and fell["n_worse"] == 1
    # then "peu évolué sur la communication interne et le management": 1 founder of 4
    little = weak.iloc[1]
    assert little["indicator"] == "founders.internal_communication.improved"
    assert (little["numerator"], little["denominator"]) == (1, 4)
    strengths = found.loc[found["role"] == "strength"]
    assert (strengths["numerator"] == strengths["denominator"]).sum() >= 2  # 8 sur 8, 4 sur 4
    assert "founders.developed" in set(strengths["indicator"])
    assert (found["verdict"] != "pending").all()


def _finding(indicator, population, n, section="outcomes"):
    return {"indicator": indicator, "population": population, "denominator": n,
            "section": section}


@pytest.mark.parametrize("rows, expected", [
    ([], {}),
    ([_finding("learners.a.improved", "learners", 12)], {"learners": (12, 12)}),
    ([_finding("learners.a.improved", "learners", 12), _finding("learners.b.agree", "learners", 13),
      _finding("founders.developed", "founders", 5, "business")],
     {"learners": (12, 13), "founders": (5, 5)}),
    # the follow-up counts those without news: never "who answered"
    ([_finding("followup.sortie_dynamique", "learners", 14, "followup"),
      _finding("learners.a.improved", "learners", 9)], {"learners": (9, 9)}),
    ([_finding("founders.a.improved", "founders", 4), _finding("founders.b.improved", "founders",
                                                               float("nan"))],
     {"founders": (4, 4)}),
])
def test_respondents_are_the_denominators_of_the_findings(rows, expected):
    table = pd.DataFrame(rows, columns=["indicator", "population", "denominator", "section"])
    assert funder.respondents(table) == expected


def test_synth_2024_findings_count_the_12_who_answered_not_the_14_enrolled(s2024):
    """14 learners are enrolled, 12 answered both questionnaires: the findings' people are 12
    (the synthèse said "déclarés par 14")."""
    ind = s2024.indicators.set_index("indicator")
    assert ind.at["learners.enrolled", "numerator"] == 14
    found = funder.main_findings(s2024.indicators)
    counts = funder.respondents(found)
    assert counts["learners"] == (12, 12)
    assert counts["learners"][1] == int(ind.at["learners.self_esteem.improved", "denominator"])
    assert counts["founders"] == (5, 5)  # the founders' development (their null result gave
    # way to the learners' decline and little change, round 6)
