"""Every figure knows where it comes from: the evidence classes of the indicator table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from fac_eval.analysis import evidence
from fac_eval.analysis import results as analysis

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="module")
def s2022(shipped):
    return shipped["2022"].indicators.set_index("indicator")


def test_classes_are_the_declared_ones(s2022):
    assert set(s2022["evidence"]) <= set(evidence.EVIDENCE) | {""}
    assert set(s2022["evidence_inference"]) <= set(evidence.EVIDENCE) | {""}
    assert (s2022["data_kind"] == "reconstructed").all()


def test_2022_published_figures_are_exactly_the_matching_exact_claims(s2022):
    claims = yaml.safe_load((RAW / "2022" / "claims.yml").read_text(encoding="utf-8"))["claims"]
    exact = {c["indicator"] for c in claims if "at_most_percent" not in c}
    bounded = {c["indicator"] for c in claims if "at_most_percent" in c} - exact
    published = set(s2022.index[s2022["evidence"] == "published"])
    # and the rows that count exactly what a published row counts, by its definition
    repeats = {row for row, twin in evidence.SAME_COUNT.items() if twin in exact}
    assert repeats == {"founders.digital_culture.improved"}
    assert published == exact | repeats
    # "peu évolué sur la communication interne et le management": a bound, not a figure
    assert bounded and all(s2022.loc[i, "evidence"] == "illustrative" for i in bounded)
    # what the publication never gives: the completion count, the age bands, projection, themes
    for ind in ("learners.completed", "learners.age_band.26-35", "learners.projection.improved",
                "testimonies.theme.coaching", "learners.self_esteem.reliable_improvement"):
        assert s2022.loc[ind, "evidence"] == "illustrative", ind


def test_tests_and_intervals_of_a_reconstructed_session_are_never_published(s2022):
    tested = s2022.loc[s2022["p_value"].notna()]
    assert len(tested) >= 6
    assert (tested["evidence_inference"] == "illustrative").all()
    assert s2022.loc["learners.confidence.improved", "evidence"] == "published"
    assert s2022.loc["learners.confidence.improved", "evidence_inference"] == "illustrative"


def test_pending_follow_up_has_no_evidence_class(s2022):
    fu = s2022.loc[s2022.index.str.startswith("followup.")]
    assert (fu["verdict"] == "pending").all()
    assert (fu["evidence"] == "").all() and (fu["evidence_inference"] == "").all()


def test_synthetic_and_real_sessions(tmp_path):
    synth = analysis.compute_session(RAW / "synth-2024").indicators
    assert set(synth["evidence"]) == {"synthetic"}
    real = tmp_path / "real"
    shutil.copytree(RAW / "synth-2024", real)
    meta = yaml.safe_load((real / "session.yml").read_text(encoding="utf-8"))
    meta["data_kind"] = "real"
    meta.pop("generator", None), meta.pop("seed", None)  # a generated session's keys
    (real / "session.yml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    table = analysis.compute_session(real, names=[]).indicators
    assert set(table["evidence"]) == {"observed"}
    assert set(table["evidence_inference"]) == {"observed", ""}


def test_a_claim_the_data_contradict_publishes_nothing(tmp_path):
    session = tmp_path / "2022"
    shutil.copytree(RAW / "2022", session)
    claims = yaml.safe_load((session / "claims.yml").read_text(encoding="utf-8"))
    for c in claims["claims"]:
        if c["indicator"] == "learners.rqth":
            c["fraction"] = [5, 8]  # the data say 6 of 8
    (session / "claims.yml").write_text(yaml.safe_dump(claims, allow_unicode=True),
                                        encoding="utf-8")
    table = analysis.compute_session(session).indicators.set_index("indicator")
    assert table.loc["learners.rqth", "evidence"] == "illustrative"
    assert table.loc["learners.confidence.improved", "evidence"] == "published"


def test_add_evidence_refuses_an_unknown_kind():
    with pytest.raises(ValueError):
        evidence.add_evidence(pd.DataFrame({"indicator": ["x"], "verdict": ["descriptive"]}), "fake")
