"""The reconstructed 2022 session reproduces every figure of the published assessment.

The files are read with plain pandas on purpose (independent of the project's reader), and every
statement of the seed document is checked with the operational definitions documented in
``data/raw/2022/README.md``.
"""

from __future__ import annotations

import itertools
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from fac_eval.data import codebook as cb

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw" / "2022"
FILES = (
    "learners_profile", "learners_entry", "learners_exit",
    "founders_profile", "founders_entry", "founders_exit", "testimonies",
)
YES = cb.AGREE_CODES_YES


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(RAW / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")


def num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.replace("", np.nan))


@pytest.fixture(scope="module")
def t() -> dict[str, pd.DataFrame]:
    return {name: read(name) for name in FILES}


def paired(t, score) -> pd.DataFrame:
    """Entry and exit values of one outcome per learner, indexed by learner_id."""
    ent = t["learners_entry"].set_index("learner_id")
    ext = t["learners_exit"].set_index("learner_id")
    return pd.DataFrame({"entry": score(ent), "exit": score(ext)})


def rosenberg(df: pd.DataFrame) -> pd.Series:
    scale = cb.SCALES["self_esteem"]
    vals = pd.DataFrame({c: num(df[c]) for c in scale.items})
    for c in scale.items:
        if cb.find_item(c).reversed:
            vals[c] = 5 - vals[c]
    n_ok = vals.notna().sum(axis=1)
    score = (vals.mean(axis=1) * len(scale.items)).round(2)
    return score.where(n_ok >= len(scale.items) - scale.max_missing)


def sum_scale(name):
    def f(df):
        return sum(num(df[c]) for c in cb.SCALES[name].items)
    return f


def item(name):
    return lambda df: num(df[name])


def wilcoxon_exact_p(diffs) -> Fraction:
    """Exact two-sided signed-rank p by enumerating every sign flip (zeros dropped, midranks)."""
    d = [x for x in diffs if x != 0]
    a = np.abs(np.array(d, dtype=float))
    ranks = pd.Series(a).rank(method="average").to_numpy()
    w_plus = ranks[np.array(d) > 0].sum()
    mean = ranks.sum() / 2
    obs = abs(w_plus - mean)
    extreme = 0
    total = 0
    for signs in itertools.product((0, 1), repeat=len(d)):
        w = ranks[np.array(signs, dtype=bool)].sum()
        total += 1
        if abs(w - mean) >= obs - 1e-9:
            extreme += 1
    return Fraction(extreme, total)


# ---------------------------------------------------------------- files and metadata


def test_files_and_canonical_columns(t):
    for name in FILES:
        assert list(t[name].columns) == cb.INSTRUMENTS[name].columns, name
    assert not (RAW / "followup.csv").exists(), "the 3-month follow-up was not collected in 2022"
    assert not (RAW / "followup.xlsx").exists()


def test_session_yml():
    meta = yaml.safe_load((RAW / "session.yml").read_text(encoding="utf-8"))
    assert meta["data_kind"] == "reconstructed"
    assert meta["name"] == "Form'Ain Cube — session 2022"
    assert meta["followup_months"] == 3
    assert meta["territory"] == "Bassin d'Ambérieu-en-Bugey (Ain)"
    start = pd.Timestamp(str(meta["start_date"]))
    end = pd.Timestamp(str(meta["end_date"]))
    assert start.year == end.year == 2022 and 90 <= (end - start).days <= 150
    assert "reconstitu" in meta["notes"] and "suivi" in meta["notes"]


def test_coded_values_are_allowed(t):
    for name in FILES:
        inst = cb.INSTRUMENTS[name]
        for it in inst.items:
            col = t[name][it.name]
            vals = col[col != ""]
            if not it.nullable:
                assert (col != "").all(), (name, it.name)
            if it.choices:
                allowed = {str(c) for c in it.codes}
                assert set(vals) <= allowed, (name, it.name, set(vals) - allowed)
            elif it.type in ("integer", "number"):
                x = pd.to_numeric(vals)
                assert ((x >= it.minimum) & (x <= it.maximum)).all(), (name, it.name)
            elif it.type == "date":
                pd.to_datetime(vals, format="%Y-%m-%d")


def test_pseudonymous_ids(t):
    assert list(t["learners_profile"]["learner_id"]) == [f"A{i:02d}" for i in range(1, 9)]
    assert list(t["founders_profile"]["founder_id"]) == [f"P{i:02d}" for i in range(1, 5)]
    for name in ("learners_entry", "learners_exit"):
        assert sorted(t[name]["learner_id"]) == sorted(t["learners_profile"]["learner_id"])
    for name in ("founders_entry", "founders_exit"):
        assert sorted(t[name]["founder_id"]) == sorted(t["founders_profile"]["founder_id"])


# ---------------------------------------------------------------- learners' public


def test_learners_public(t):
    p = t["learners_profile"]
    assert len(p) == 8
    assert (p["status"] == "completed").all()
    assert (num(p["months_unemployed"]) > 24).sum() == 4  # « la moitié … plus de 24 mois »
    assert (p["rqth"] == "yes").sum() == 6  # « 6 personnes sur 8 en situation de handicap »
    assert p["gender"].nunique() >= 2 and p["age_band"].nunique() >= 3
    assert p["education_level"].nunique() >= 3


def test_response_dates(t):
    meta = yaml.safe_load((RAW / "session.yml").read_text(encoding="utf-8"))
    start = pd.Timestamp(str(meta["start_date"]))
    end = pd.Timestamp(str(meta["end_date"]))
    for pop, key in (("learners", "learner_id"), ("founders", "founder_id")):
        ent = t[f"{pop}_entry"].set_index(key)["response_date"].map(pd.Timestamp)
        ext = t[f"{pop}_exit"].set_index(key)["response_date"].map(pd.Timestamp)
        assert ((ent - start).dt.days.between(0, 7)).all()
        assert ((end - ext).dt.days.between(0, 7)).all()
        assert (ext > ent.reindex(ext.index)).all()


# ---------------------------------------------------------------- learners' outcomes


def test_self_esteem_88_percent(t):
    pr = paired(t, rosenberg)
    assert pr.notna().all().all()
    assert pr["entry"].between(20, 28).all()
    diff = pr["exit"] - pr["entry"]
    assert (diff > 0).sum() == 7  # « 88 % ont gagné en estime de soi »
    assert (diff <= 0).sum() == 1
    gains = diff[diff > 0]
    assert gains.between(2, 8).all()
    # at most one Rosenberg item missing, for one learner in one wave (prorated score)
    n_missing = sum(
        (t[w][list(cb.SCALES["self_esteem"].items)] == "").to_numpy().sum()
        for w in ("learners_entry", "learners_exit")
    )
    assert n_missing <= 1


def test_self_esteem_exact_wilcoxon(t):
    pr = paired(t, rosenberg)
    diffs = (pr["exit"] - pr["entry"]).tolist()
    assert sum(1 for d in diffs if d != 0) == 8
    p = wilcoxon_exact_p(diffs)
    assert p == Fraction(4, 256)
    assert p < 0.05


def test_confidence_all(t):
    pr = paired(t, item("confidence"))
    assert (pr["exit"] > pr["entry"]).sum() == 8  # « tous ont bien plus confiance en eux »


def test_autonomy_88_percent(t):
    pr = paired(t, item("autonomy"))
    assert (pr["exit"] > pr["entry"]).sum() == 7  # « 88 % … gagné en autonomie »


@pytest.mark.parametrize("scale", ["digital_skills", "soft_skills"])
def test_digital_and_soft_skills_all(t, scale):
    pr = paired(t, sum_scale(scale))
    assert pr.notna().all().all()
    assert (pr["exit"] > pr["entry"]).sum() == 8  # « la totalité a acquis … »


def test_projection_mostly_improved(t):
    pr = paired(t, item("projection"))
    assert (pr["exit"] > pr["entry"]).sum() == 6
    assert (pr["exit"] < pr["entry"]).sum() == 0


@pytest.mark.parametrize(
    "name,expected",
    [("step_back", 8), ("aware_skills_value", 7), ("value_skills", 8), ("aspirations", 8),
     ("motivation", 8)],
)
def test_exit_declarations(t, name, expected):
    x = num(t["learners_exit"][name])
    assert x.notna().all()
    assert x.isin(YES).sum() == expected
    if expected == 7:
        assert (x[~x.isin(YES)] == 2).all()


# ---------------------------------------------------------------- founders


@pytest.fixture(scope="module")
def founders(t):
    prof = t["founders_profile"].set_index("founder_id")
    ent = t["founders_entry"].set_index("founder_id")
    ext = t["founders_exit"].set_index("founder_id")
    return prof, ent, ext


def test_founders_stages_and_activity(founders):
    prof, ent, ext = founders
    assert len(prof) == 4
    creating = prof.index[prof["stage"] == "creation"]
    developing = prof.index[prof["stage"] == "development"]
    assert list(creating) == ["P01", "P02"] and list(developing) == ["P03", "P04"]
    # « la création de deux activités »
    assert (ent.loc[creating, "business_created"] == "no").all()
    assert (ext.loc[creating, "business_created"] == "yes").all()
    assert (ent.loc[creating, "annual_revenue"] == "").all()
    # « le développement du chiffre d'affaires des deux autres »
    assert (ent.loc[developing, "business_created"] == "yes").all()
    assert (ext.loc[developing, "business_created"] == "yes").all()
    rev_in, rev_out = num(ent.loc[developing, "annual_revenue"]), num(ext.loc[developing, "annual_revenue"])
    assert rev_in.notna().all() and (rev_out > rev_in).all()
    assert rev_in.between(5_000, 200_000).all()
    # « ont tous développé leur activité »: created (creation) or revenue up (development)
    developed = pd.concat([
        (ent.loc[creating, "business_created"] == "no") & (ext.loc[creating, "business_created"] == "yes"),
        rev_out > rev_in,
    ])
    assert developed.sum() == 4


def test_founders_digital_culture_ceiling(founders):
    _, ent, ext = founders
    a, b = num(ent["digital_culture"]), num(ext["digital_culture"])
    assert (b > a).sum() == 3  # « 75 % … ont acquis une culture numérique »
    rest = a.index[~(b > a)]
    assert len(rest) == 1
    assert a[rest].iloc[0] == 4 and b[rest].iloc[0] == 4  # « les 25 % restant avaient déjà … »


def test_founders_time_saved(founders):
    _, _, ext = founders
    x = num(ext["time_saved"])
    assert x.notna().all()
    assert x.isin(YES).sum() == 3  # « 75 % … gagné du temps »


@pytest.mark.parametrize("name", ["internal_communication", "management"])
def test_founders_little_change(founders, name):
    _, ent, ext = founders
    d = num(ext[name]) - num(ent[name])
    assert (d == 0).sum() >= 3 and (d >= 0).all() and (d <= 1).all()  # « peu évolué »


def test_founders_leadership_all(founders):
    _, ent, ext = founders
    assert (num(ext["leadership_skills"]) > num(ent["leadership_skills"])).sum() == 4


# ---------------------------------------------------------------- testimonies

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"(?:\+33|0)\s*[1-9](?:[\s.-]*\d{2}){4}|\d{6,}")


def test_testimonies(t):
    te = t["testimonies"]
    assert 8 <= len(te) <= 12
    assert set(te["wave"]) == {"exit"}
    assert set(te["population"]) == {"learners", "founders"}
    ids = set(t["learners_profile"]["learner_id"]) | set(t["founders_profile"]["founder_id"])
    assert set(te["participant_id"]) <= ids
    assert 2 <= (te["consent_quote"] == "no").sum() <= 3
    text = " ".join(te["text"]).lower()
    for word in ("accompagnement", "temps collectifs", "entretiens individuels", "écoute",
                 "confiance", "numérique", "motiv", "réseau", "gain de temps"):
        assert word in text, word
    for s in te["text"]:
        assert not EMAIL.search(s) and not PHONE.search(s), s
        for pid in ids:
            assert not re.search(rf"\b{pid}\b", s, flags=re.I), (pid, s)
