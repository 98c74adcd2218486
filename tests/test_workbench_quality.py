"""The data-quality notebook and fac_eval.analysis.quality, checked against independent computations."""

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

from fac_eval.analysis import quality
from fac_eval.data import codebook as cb

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
    head = [th.get_text(strip=True) for th in table.thead.find_all("th")]  # no pandas index column
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")]
    return pd.DataFrame(rows, columns=head)


def _run_quality(root, *extra):
    env = dict(os.environ, PYTHONPATH=str(REPO), FAC_EVAL_RAW=str(root / "data" / "raw"),
               FAC_EVAL_PROCESSED=str(root / "data" / "processed"),
               FAC_EVAL_REPORTS=str(root / "reports"))
    env.pop("FAC_EVAL_LANG", None)
    return subprocess.run([sys.executable, "-m", "fac_eval.run.cli", "quality", "synth-2024", *extra],
                          env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook run by `fac-eval quality synth-2024`, in French then in English."""
    root = make_project(tmp_path_factory.mktemp("quality"), sessions=("synth-2024",))
    path = root / "data" / "processed" / "synth-2024" / "qualite_synth-2024.ipynb"
    done = _run_quality(root)
    assert done.returncode == 0, done.stderr
    assert "ne pas publier" in done.stdout
    fr = nbformat.read(path, as_version=4)
    done = _run_quality(root, "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "not for publication" in done.stdout
    # each language its own copy, named like the reports: the English run keeps the French one
    en_path = path.parent / "quality_synth-2024_en.ipynb"
    assert str(en_path) in done.stdout and nbformat.read(path, as_version=4) == fr
    return root, path, fr, nbformat.read(en_path, as_version=4)


def _output(nb, call: str, kind: str = "text/html") -> str:
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.strip() == call)
    return next(o["data"][kind] for o in cell.outputs if kind in o.get("data", {}))


def _markdown(nb) -> list[str]:
    return [o["data"]["text/markdown"] for c in nb.cells if c.cell_type == "code"
            for o in c.outputs if "text/markdown" in o.get("data", {})]


@pytest.mark.slow
def test_quality_notebook_goes_to_processed_never_to_reports(executed):
    root, path, _, nb = executed
    assert path.is_file()
    assert not (root / "reports").exists() or not any((root / "reports").rglob("*qualit*"))
    assert not list(path.parent.glob(".qualit*"))  # no temporary file left
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'session = "synth-2024"' in injected.source and 'lang = "en"' in injected.source


SCALE_OF = {s.label_en: s.name for s in cb.SCALES.values()}
FILE_OF = {i.label_en: name for name, i in cb.INSTRUMENTS.items()}


@pytest.mark.slow
def test_reliability_in_the_notebook_matches_the_formula(executed):
    """The figures the evaluator reads (English table: point decimals) against the formula,
    Feldt's interval and scikit-learn's factor analysis."""
    _, _, _, nb = executed
    table = html_table(_output(nb, "qn.reliability()"))
    raw = REPO / "data" / "raw" / "synth-2024"
    checked = 0
    for _, row in table.iterrows():
        x = raw_items(raw / f"{FILE_OF[row['Questionnaire']]}.csv", SCALE_OF[row["Scale"]])
        n, k = x.shape
        a = alpha_by_formula(x)
        assert int(row["Complete respondents"]) == n and int(row["Items"]) == k
        assert float(row["Cronbach's alpha"]) == pytest.approx(a, abs=5e-4)  # 3 decimals shown
        lo, hi = feldt_ci(a, n, k)
        shown_lo, shown_hi = (float(v) for v in row["Confidence interval"].strip("[]").split(","))
        assert (shown_lo, shown_hi) == pytest.approx((lo, hi), abs=1.5e-3)
        if row["Note on omega"] == "":
            assert float(row["McDonald's omega"]) == pytest.approx(omega_sklearn(x), abs=1e-3)
        checked += 1
    assert checked == 6  # 3 scales x entry and exit
    published = table.loc[table["Scale"] == cb.SCALES["self_esteem"].label_en,
                          "Published reliability"].astype(float)
    assert (published == 0.84).all()


def test_reliability_table_against_the_formula_unrounded():
    """quality.scale_reliability on synth-2024 against the formula, to machine precision, and
    the same omega however often and in whatever order it is computed (statsmodels' factor
    analysis draws random starting values unless given some)."""
    data, _ = quality.load_session(REPO / "data" / "raw" / "synth-2024")
    first = quality.scale_reliability(data.tables)
    again = quality.scale_reliability(data.tables)
    pd.testing.assert_frame_equal(first, again)
    raw = REPO / "data" / "raw" / "synth-2024"
    for _, row in first.iterrows():
        x = raw_items(raw / f"{row['instrument']}.csv", row["scale"])
        assert row["alpha"] == pytest.approx(alpha_by_formula(x), abs=1e-12)
        if row["omega_note"] == "":
            assert row["omega"] == pytest.approx(omega_sklearn(x), abs=1e-4)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_notebook_shows_every_section_in_its_language(executed, lang):
    _, _, fr, en = executed
    nb = fr if lang == "fr" else en
    text = "\n".join(_markdown(nb))
    heads = [line for line in text.splitlines() if line.startswith("#")]
    wanted = {"fr": ("# Qualité des données de la session synth-2024", "## Problèmes de validation",
                     "## Réponses manquantes par item", "plancher et plafond", "## Cohérence interne",
                     "straight-lining", "## Appariement entrée / sortie et abandons"),
              "en": ("# Data quality of session synth-2024", "## Validation problems",
                     "## Missing answers per item", "floor and ceiling effects",
                     "## Internal consistency", "straight-lining",
                     "## Entry/exit pairing and drop-outs")}[lang]
    for words in wanted:
        assert any(words in h for h in heads), (lang, words)
    if lang == "en":  # no French left in the English copy: headings, tables, messages
        outputs = text + "".join(_output(nb, c) for c in (
            "qn.missing()", "qn.distribution()", "qn.reliability()", "qn.straight_lining()",
            'qn.pairing_summary("learners")'))
        for french in ("Réponses", "Problèmes", "Qualité", "Apprenants", "Échelle", " oui",
                       "questionnaire d'entrée", "Fichier de travail", "cas de Heywood"):
            assert french not in outputs, french
        assert "Heywood case" in _output(nb, "qn.reliability()")
    else:
        assert "Heywood" in _output(nb, "qn.reliability()") and "Note on" not in text
    # thin cells: calls only, no function defined, no hand-written French or English heading
    assert not any(c.cell_type == "markdown" for c in nb.cells)
    assert not any("def " in c.source for c in nb.cells if c.cell_type == "code")
    assert all(len(c.source.splitlines()) <= 4 for c in nb.cells if c.cell_type == "code"
               and "parameters" not in c.metadata.get("tags", [])
               and "injected-parameters" not in c.metadata.get("tags", []))
    summary = html_table(_output(nb, 'qn.pairing_summary("learners")'))
    paired, dropped = ("Appariés", "Abandons") if lang == "fr" else ("Paired", "Dropped out")
    prof = pd.read_csv(REPO / "data" / "raw" / "synth-2024" / "learners_profile.csv")
    entry = pd.read_csv(REPO / "data" / "raw" / "synth-2024" / "learners_entry.csv")
    exit_ = pd.read_csv(REPO / "data" / "raw" / "synth-2024" / "learners_exit.csv")
    assert int(summary[paired][0]) == len(set(entry.learner_id) & set(exit_.learner_id))
    assert int(summary[dropped][0]) == int((prof.status == "dropped_out").sum())


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
