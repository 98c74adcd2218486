"""The data-quality notebook and fac_eval.quality, checked against independent computations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import REPO, make_project
from scipy import stats

from fac_eval import quality

ROSENBERG_REVERSED = {"ses_03", "ses_05", "ses_08", "ses_09", "ses_10"}  # Vallières & Vallerand 1990
SCALES = {  # items and answer range, from the questionnaires
    "self_esteem": ([f"ses_{i:02d}" for i in range(1, 11)], 1, 4),
    "digital_skills": ([f"digital_{i:02d}" for i in range(1, 6)], 1, 4),
    "soft_skills": ([f"soft_{i:02d}" for i in range(1, 6)], 1, 5),
}


def alpha_by_formula(x: np.ndarray) -> float:
    """k/(k-1) * (1 - sum var_i / var_total), complete rows, sample variances."""
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def feldt_ci(a: float, n: int, k: int, c: float = 0.95) -> tuple[float, float]:
    d1, d2 = n - 1, (n - 1) * (k - 1)
    return (1 - (1 - a) * stats.f.ppf(1 - (1 - c) / 2, d1, d2),
            1 - (1 - a) * stats.f.ppf((1 - c) / 2, d1, d2))


def omega_sklearn(x: np.ndarray) -> float:
    """Omega from scikit-learn's maximum-likelihood factor analysis of the standardised items."""
    from sklearn.decomposition import FactorAnalysis

    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=0)
    fa = FactorAnalysis(n_components=1, max_iter=10000, tol=1e-10).fit(z)
    lam = np.abs(fa.components_[0])
    return lam.sum() ** 2 / (lam.sum() ** 2 + fa.noise_variance_.sum())


def raw_items(path: Path, scale: str) -> np.ndarray:
    items, lo, hi = SCALES[scale]
    df = pd.read_csv(path)[items].astype(float)
    for c in items:
        if c in ROSENBERG_REVERSED:
            df[c] = lo + hi - df[c]
    return df.dropna().to_numpy()


def html_table(output_html: str) -> pd.DataFrame:
    soup = BeautifulSoup(output_html, "html.parser")
    table = soup.find("table")
    head = [th.get_text(strip=True) for th in table.thead.find_all("th")][1:]
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")]
    return pd.DataFrame(rows, columns=head)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("quality"), sessions=("synth-2024",))
    env = dict(os.environ, PYTHONPATH=str(REPO), FAC_EVAL_RAW=str(root / "data" / "raw"),
               FAC_EVAL_PROCESSED=str(root / "data" / "processed"),
               FAC_EVAL_REPORTS=str(root / "reports"))
    done = subprocess.run([sys.executable, "-m", "fac_eval.cli", "quality", "synth-2024"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "ne pas publier" in done.stdout
    return root, root / "data" / "processed" / "synth-2024" / "qualite_synth-2024.ipynb"


@pytest.mark.slow
def test_quality_notebook_goes_to_processed_never_to_reports(executed):
    root, path = executed
    assert path.is_file()
    assert not (root / "reports").exists() or not any((root / "reports").rglob("*qualite*"))
    assert not list(path.parent.glob(".qualite_*"))  # no temporary file left
    nb = nbformat.read(path, as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'session = "synth-2024"' in injected.source


@pytest.mark.slow
def test_reliability_in_the_notebook_matches_the_formula(executed):
    _, path = executed
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "scale_reliability" in c.source)
    table = html_table(cell.outputs[0]["data"]["text/html"])
    raw = REPO / "data" / "raw" / "synth-2024"
    checked = 0
    for _, row in table.iterrows():
        x = raw_items(raw / f"{row['instrument']}.csv", row["scale"])
        n, k = x.shape
        a = alpha_by_formula(x)
        assert int(row["n"]) == n and int(row["k"]) == k
        assert float(row["alpha"]) == pytest.approx(a, abs=1e-5)
        lo, hi = feldt_ci(a, n, k)
        assert float(row["alpha_low"]) == pytest.approx(lo, abs=1.5e-3)
        assert float(row["alpha_high"]) == pytest.approx(hi, abs=1.5e-3)
        if row["omega_note"] == "":
            assert float(row["omega"]) == pytest.approx(omega_sklearn(x), abs=5e-3)
        checked += 1
    assert checked == 6  # 3 scales x entry and exit
    published = table.loc[table["scale"] == "self_esteem", "published"].astype(float)
    assert (published == 0.84).all()


@pytest.mark.slow
def test_the_notebook_shows_every_section(executed):
    _, path = executed
    nb = nbformat.read(path, as_version=4)
    heads = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown"]
    for words in ("Problèmes de validation", "Réponses manquantes", "plancher et plafond",
                  "Cohérence interne", "straight-lining", "Appariement"):
        assert any(words in h for h in heads), words
    assert not any("def " in c.source for c in nb.cells if c.cell_type == "code")
    assert all(len(c.source.splitlines()) <= 4 for c in nb.cells if c.cell_type == "code"
               and "parameters" not in c.metadata.get("tags", []))
    pairing = next(c for c in nb.cells if "pairing_summary(learners)" in c.source)
    summary = html_table(pairing.outputs[0]["data"]["text/html"])
    prof = pd.read_csv(REPO / "data" / "raw" / "synth-2024" / "learners_profile.csv")
    entry = pd.read_csv(REPO / "data" / "raw" / "synth-2024" / "learners_entry.csv")
    exit_ = pd.read_csv(REPO / "data" / "raw" / "synth-2024" / "learners_exit.csv")
    assert int(summary["paired"][0]) == len(set(entry.learner_id) & set(exit_.learner_id))
    assert int(summary["dropped_out"][0]) == int((prof.status == "dropped_out").sum())


def test_alpha_and_omega_functions_on_known_data():
    # Two-factor-free data: x_j = f + e_j with known loadings; alpha by formula, omega by sklearn
    rng = np.random.default_rng(3)
    f = rng.normal(size=200)
    x = np.column_stack([lam * f + rng.normal(scale=0.6, size=200) for lam in (0.9, 0.7, 0.8, 0.5)])
    df = pd.DataFrame(x, columns=list("abcd"))
    res = quality.cronbach_alpha(df)
    assert res.alpha == pytest.approx(alpha_by_formula(x), abs=1e-12)
    assert (res.ci_low, res.ci_high) == pytest.approx(feldt_ci(res.alpha, 200, 4), abs=1e-3)
    assert quality.mcdonald_omega(df).omega == pytest.approx(omega_sklearn(x), abs=2e-3)
    # missing answers: listwise
    df.iloc[0, 1] = np.nan
    assert quality.cronbach_alpha(df).n == 199
    # not enough respondents for omega: said, not computed
    small = quality.mcdonald_omega(df.iloc[:4])
    assert np.isnan(small.omega) and small.note


def test_floor_ceiling_missing_straight_lining_and_pairing():
    entry = pd.DataFrame({"learner_id": ["A01", "A02", "A03", "A04"],
                          **{f"soft_{i:02d}": [5, 3, 1, None] for i in range(1, 6)}})
    entry.loc[1, "soft_02"] = 4
    dist = quality.answer_distribution(entry, "learners_entry").set_index("item")
    assert dist.loc["soft_01", "ceiling"] == pytest.approx(1 / 3)
    assert dist.loc["soft_01", "floor"] == pytest.approx(1 / 3)
    assert dist.loc["soft_01", "ceiling_effect"] and dist.loc["soft_01", "n"] == 3
    assert dist.loc["soft_02", "4"] == 1
    miss = quality.missing_by_item(entry, "learners_entry").set_index("item")
    assert miss.loc["soft_03", "n_missing"] == 1 and miss.loc["soft_03", "share_missing"] == 0.25
    sl = quality.straight_lining(entry, "learners_entry")
    assert list(sl["id"]) == ["A01", "A03"] and list(sl["answer"]) == [5, 1]
    tables = {
        "learners_profile": pd.DataFrame({"learner_id": ["A01", "A02", "A03"],
                                          "status": ["completed", "dropped_out", "completed"],
                                          "dropout_reason": [None, "health", None]}),
        "learners_entry": pd.DataFrame({"learner_id": ["A01", "A02", "A03"]}),
        "learners_exit": pd.DataFrame({"learner_id": ["A01", "A04"]}),
    }
    pairs = quality.pairing(tables).set_index("id")
    assert pairs.loc["A01", "paired"] and pairs.loc["A02", "problem"] == ""
    assert pairs.loc["A03", "problem"] == "no exit, not marked as drop-out"
    assert pairs.loc["A04", "problem"] == "exit without entry"
    summary = quality.pairing_summary(quality.pairing(tables)).iloc[0]
    assert (summary["participants"], summary["paired"], summary["dropped_out"]) == (4, 1, 1)
