"""The synthetic-session generator: determinism, shipped files, codebook conformity, realism, speed."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from fac_eval.data import codebook as cb
from fac_eval.data import synth

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_DIR = ROOT / "data" / "raw"


def files(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir()) if p.is_file()}


def write(tmp: Path, *args, **kwargs) -> Path:
    tables, meta = synth.make_session(*args, **kwargs)
    synth.write_session(tmp, tables, meta)
    return tmp


def read_raw(d: Path) -> dict[str, pd.DataFrame]:
    return {
        p.stem: pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8")
        for p in sorted(d.glob("*.csv"))
    }


def ses_score(df: pd.DataFrame) -> pd.Series:
    items = list(cb.SCALES["self_esteem"].items)
    v = df[items].astype("Float64")
    for c in items:
        if cb.find_item(c).reversed:
            v[c] = 5 - v[c]
    return (v.mean(axis=1) * 10).where(v.notna().sum(axis=1) >= 9)


@pytest.fixture(scope="module")
def medium():
    return synth.make_session("Test", 400, 40, seed=7, start_date="2023-09-04")


# ---------------------------------------------------------------- determinism and shipped files


def test_same_seed_same_bytes(tmp_path):
    a = files(write(tmp_path / "a", "S", 40, 6, seed=11))
    b = files(write(tmp_path / "b", "S", 40, 6, seed=11))
    assert a == b
    assert set(a) == {f"{n}.csv" for n in cb.INSTRUMENTS} | {"session.yml"}


def test_different_seed_differs(tmp_path):
    a = files(write(tmp_path / "a", "S", 40, 6, seed=11))
    b = files(write(tmp_path / "b", "S", 40, 6, seed=12))
    assert a["learners_entry.csv"] != b["learners_entry.csv"]
    assert a["followup.csv"] != b["followup.csv"]


def test_default_start_date_is_deterministic():
    m1 = synth.session_meta("S", 10, 2, seed=3)
    m2 = synth.session_meta("S", 10, 2, seed=3)
    assert m1 == m2
    assert m1["start_date"].weekday() == 0 and m1["end_date"] > m1["start_date"]


@pytest.mark.parametrize("dirname", sorted(synth.SHIPPED))
def test_shipped_session_matches_regeneration(tmp_path, dirname):
    synth.write_shipped(tmp_path, [dirname])
    assert files(tmp_path / dirname) == files(SHIPPED_DIR / dirname)


def test_shipped_session_is_what_the_readme_command_writes(tmp_path, monkeypatch, capsys):
    """data/raw/synth-2024 is regenerated with `fac-eval synth`, as the README says."""
    import re

    from fac_eval.run import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"`fac-eval (synth synth-2024 [^`]+)`", readme).group(1)
    args = re.findall(r'"[^"]*"|\S+', command)
    args = [a.strip('"') for a in args]
    monkeypatch.setenv("FAC_EVAL_RAW", str(tmp_path / "raw"))
    assert cli.main([*args, "--out", str(tmp_path / "raw" / "synth-2024")]) == 0
    capsys.readouterr()
    assert files(tmp_path / "raw" / "synth-2024") == files(SHIPPED_DIR / "synth-2024")


def test_shipped_session_meta():
    meta = yaml.safe_load((SHIPPED_DIR / "synth-2024" / "session.yml").read_text(encoding="utf-8"))
    assert meta["data_kind"] == "synthetic"
    assert meta["followup_months"] == 3
    assert str(meta["start_date"]) == "2024-03-04"
    for key in ("name", "end_date", "programme", "territory", "notes"):
        assert meta[key]


# ---------------------------------------------------------------- codebook conformity


def check_conformity(raw: dict[str, pd.DataFrame]) -> None:
    for name, df in raw.items():
        inst = cb.INSTRUMENTS[name]  # KeyError: not an instrument of the codebook
        assert list(df.columns) == inst.columns, name
        assert df[inst.key].is_unique or name == "testimonies", name
        for it in inst.items:
            col = df[it.name]
            vals = col[col != ""]
            if not it.nullable:
                assert (col != "").all(), (name, it.name)
            if it.choices:
                allowed = {str(c) for c in it.codes}
                assert set(vals) <= allowed, (name, it.name, set(vals) - allowed)
            elif it.type in ("integer", "number"):
                assert vals.str.fullmatch(r"\d+").all(), (name, it.name)
                x = pd.to_numeric(vals)
                assert ((x >= it.minimum) & (x <= it.maximum)).all(), (name, it.name)
            elif it.type == "date":
                assert vals.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all(), (name, it.name)
                pd.to_datetime(vals, format="%Y-%m-%d")


def test_shipped_values_are_canonical():
    raw = read_raw(SHIPPED_DIR / "synth-2024")
    assert set(raw) == set(cb.INSTRUMENTS)
    check_conformity(raw)


def test_generated_values_are_canonical(tmp_path, medium):
    tables, meta = medium
    synth.write_session(tmp_path, tables, meta)
    check_conformity(read_raw(tmp_path))


def test_ids_and_keys(medium):
    tables, _ = medium
    lid = tables["learners_profile"]["learner_id"]
    # the entry workbooks' convention: learners A01…, founders P01…, padded to the count's width
    width = max(2, len(str(len(lid))))
    assert list(lid) == [f"A{i:0{width}d}" for i in range(1, len(lid) + 1)] and lid.is_unique
    fid = tables["founders_profile"]["founder_id"]
    assert list(fid) == [f"P{i:02d}" for i in range(1, len(fid) + 1)] and fid.is_unique
    for name in ("learners_entry", "learners_exit", "followup"):
        assert set(tables[name]["learner_id"]) <= set(lid)
    for name in ("founders_entry", "founders_exit"):
        assert list(tables[name]["founder_id"]) == list(fid)
    te = tables["testimonies"]
    assert set(te["participant_id"]) <= set(lid) | set(fid)


def test_ids_unique_for_100000_learners():
    tables = synth.generate_session("Big", 100_000, 3, seed=1, followup=False)
    lid = tables["learners_profile"]["learner_id"]
    assert lid.is_unique and lid.str.len().nunique() == 1
    assert (lid.iloc[0], lid.iloc[-1]) == ("A000001", "A100000")


# ---------------------------------------------------------------- content


def test_attrition(medium):
    tables, _ = medium
    p = tables["learners_profile"]
    dropped = p["status"] == "dropped_out"
    assert 0.10 <= dropped.mean() <= 0.20
    assert p.loc[dropped, "dropout_reason"].notna().all()
    assert p.loc[~dropped, "dropout_reason"].isna().all()
    exit_ids = set(tables["learners_exit"]["learner_id"])
    assert not exit_ids & set(p.loc[dropped, "learner_id"])
    # rarely, a learner who completed has no exit questionnaire
    assert len(exit_ids) < (~dropped).sum()
    # attrition is present even in a small session
    small = synth.generate_session("S", 8, 2, seed=5)["learners_profile"]
    assert (small["status"] == "dropped_out").sum() >= 1


def test_missing_answers(medium):
    tables, _ = medium
    ent = tables["learners_entry"]
    items = list(cb.SCALES["self_esteem"].items)
    n_missing = ent[items].isna().sum(axis=1)
    assert (n_missing == 1).sum() >= 5  # sometimes one Rosenberg item missing (prorated)
    assert ent["confidence"].isna().any() or ent["autonomy"].isna().any()
    assert ent.drop(columns=["learner_id"]).notna().to_numpy().mean() > 0.97  # only a few


def test_dates(medium):
    tables, meta = medium
    start, end = pd.Timestamp(meta["start_date"]), pd.Timestamp(meta["end_date"])
    assert 100 <= (end - start).days <= 140
    for pop, key in (("learners", "learner_id"), ("founders", "founder_id")):
        ent = pd.to_datetime(tables[f"{pop}_entry"].set_index(key)["response_date"])
        ext = pd.to_datetime(tables[f"{pop}_exit"].set_index(key)["response_date"])
        both = ent.reindex(ext.index)
        ok = both.notna() & ext.notna()
        assert (ext[ok] > both[ok]).all()
        assert ent.dropna().between(start, start + pd.Timedelta(days=7)).all()
        assert ext.dropna().between(end - pd.Timedelta(days=7), end).all()
    fu = pd.to_datetime(tables["followup"]["response_date"]).dropna()
    target = end + pd.DateOffset(months=meta["followup_months"])
    assert ((fu - target).dt.days.abs() <= 30).all()


def test_realistic_learner_outcomes():
    tables = synth.generate_session("R", 3000, 10, seed=3)
    ent = tables["learners_entry"].set_index("learner_id")
    ext = tables["learners_exit"].set_index("learner_id")
    se, sx = ses_score(ent), ses_score(ext)
    assert 20 <= se.mean() <= 28
    d = (sx - se.reindex(sx.index)).dropna()
    assert 0.6 <= (d > 0).mean() <= 0.9  # mostly gains...
    assert (d < 0).mean() > 0.05 and (d == 0).mean() > 0.02  # ...with noise
    # outcomes are correlated at entry
    both = pd.DataFrame({"ses": se, "conf": ent["confidence"].astype("Float64")}).dropna()
    assert np.corrcoef(both["ses"].astype(float), both["conf"].astype(float))[0, 1] > 0.2


def test_founders(medium):
    tables, _ = medium
    prof = tables["founders_profile"].set_index("founder_id")
    ent = tables["founders_entry"].set_index("founder_id")
    ext = tables["founders_exit"].set_index("founder_id")
    creating = prof["stage"] == "creation"
    assert 0 < creating.sum() < len(prof)
    assert (ent.loc[creating, "business_created"] == "no").all()
    assert ent.loc[creating, "annual_revenue"].isna().all()
    assert (ent.loc[~creating, "business_created"] == "yes").all()
    assert (ext.loc[creating, "business_created"] == "yes").any()
    assert (ext.loc[~creating, "annual_revenue"] > ent.loc[~creating, "annual_revenue"]).any()
    assert ext["time_saved"].notna().all()


def categories(fu: pd.DataFrame) -> set[str]:
    return set(fu["situation"].dropna().map(cb.SORTIE_CATEGORY))


def test_followup_shipped_covers_all_categories():
    fu = read_raw(SHIPPED_DIR / "synth-2024")["followup"]
    assert categories(fu.replace("", np.nan)) == set(cb.SORTIE_CATEGORY_LABELS)
    assert (fu["responded"] == "no").any()


@pytest.mark.parametrize("n,seed", [(12, 0), (12, 1), (13, 2), (20, 3), (30, 4), (200, 5)])
def test_followup_covers_all_categories(n, seed):
    tables = synth.generate_session("F", n, 3, seed=seed)
    fu = tables["followup"]
    prof = tables["learners_profile"]
    assert list(fu["learner_id"]) == list(prof.loc[prof["status"] == "completed", "learner_id"])
    assert categories(fu) == set(cb.SORTIE_CATEGORY_LABELS)
    nonresp = fu["responded"] == "no"
    assert nonresp.any()
    assert fu.loc[nonresp, ["situation", "digital_sector", "response_date"]].isna().all().all()
    assert fu.loc[~nonresp, "situation"].notna().all()
    active = fu["situation"].map(cb.SORTIE_CATEGORY).isin(["durable", "transition", "positive"])
    assert fu.loc[active, "digital_sector"].isin(["yes", "no"]).all()
    assert fu.loc[~active, "digital_sector"].isna().all()


def test_no_followup(tmp_path):
    tables, meta = synth.make_session("N", 20, 3, seed=9, followup=False)
    assert "followup" not in tables
    assert set(tables["testimonies"]["wave"]) <= {"exit"}
    synth.write_session(tmp_path, tables, meta)
    assert not (tmp_path / "followup.csv").exists()


EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"(?:\+33|0)\s*[1-9](?:[\s.-]*\d{2}){4}|\d{6,}")


def test_testimonies(medium):
    tables, _ = medium
    te = tables["testimonies"]
    assert set(te["population"]) == {"learners", "founders"}
    assert set(te["wave"]) == {"exit", "followup"}
    assert 0.6 <= (te["consent_quote"] == "yes").mean() < 1
    assert te["text"].nunique() > 30
    text = " ".join(te["text"]).lower()
    for word in ("accompagnement", "temps collectifs", "entretiens individuels", "écoute",
                 "confiance", "numérique", "réseau", "motiv", "gain de temps"):
        assert word in text, word
    ids = set(tables["learners_profile"]["learner_id"]) | set(tables["founders_profile"]["founder_id"])
    for s in te["text"]:
        assert "{" not in s and not EMAIL.search(s) and not PHONE.search(s), s
    assert not any(re.search(r"\b[LF]\d{3,}\b", s) for s in te["text"])
    assert ids  # ids exist but never appear in texts (checked by the pattern above)


def test_10000_learners_fast(tmp_path):
    t0 = time.perf_counter()
    tables, meta = synth.make_session("Bench", 10_000, 500, seed=1)
    synth.write_session(tmp_path, tables, meta)
    elapsed = time.perf_counter() - t0
    assert elapsed < 10, elapsed
    assert len(tables["learners_profile"]) == 10_000


def test_write_session_rejects_non_canonical(tmp_path):
    tables, meta = synth.make_session("W", 5, 1, seed=1)
    tables["learners_profile"] = tables["learners_profile"].rename(columns={"rqth": "RQTH"})
    with pytest.raises(ValueError):
        synth.write_session(tmp_path, tables, meta)


def test_cli(tmp_path):
    assert synth.main([str(tmp_path / "c"), "--learners", "6", "--founders", "2", "--seed", "4",
                       "--no-followup"]) == 0
    assert (tmp_path / "c" / "session.yml").exists()
    assert not (tmp_path / "c" / "followup.csv").exists()


def test_ids_follow_the_entry_workbooks_convention():
    from fac_eval.data.entry_templates import ID_PREFIX

    small = synth.generate_session("s", 3, 2, seed=1)
    assert list(small["learners_profile"]["learner_id"]) == ["A01", "A02", "A03"]
    assert list(small["founders_profile"]["founder_id"]) == ["P01", "P02"]
    big = synth.generate_session("b", 120, 0, seed=1)["learners_profile"]["learner_id"]
    assert (big.iloc[0], big.iloc[-1]) == ("A001", "A120")
    assert ID_PREFIX == {"learners": "A", "founders": "P"}
    shipped = read_raw(SHIPPED_DIR / "synth-2024")
    assert list(shipped["learners_profile"]["learner_id"]) == [f"A{i:02d}" for i in range(1, 15)]
    assert list(shipped["founders_profile"]["founder_id"]) == [f"P{i:02d}" for i in range(1, 6)]


def test_a_french_synthetic_name_gets_its_english_title():
    meta = synth.session_meta("Form'Ain Cube — session 2031 (synthétique)", 10, 2, seed=3)
    assert meta["name_en"] == "Form'Ain Cube — 2031 session (synthetic)"
    assert list(meta)[:2] == ["name", "name_en"]
    # a plain session id has no language: no English title is invented
    assert "name_en" not in synth.session_meta("bench-041", 10, 2, seed=3)
