"""Guarantee 3 (one disclosure gate): no published table of counts shows 1 to ``min_cell − 1``
people, in the HTML reports (each language, the comparison) and in the Excel export.

The scan reads every table of the rendered reports as a reader sees them and every row of the
workbook. A count in ``[1, min_cell − 1]`` is allowed only for

- a figure exempt by the published-claims rule (the claims table, where the computed figure
  agrees with the published one);
- the participation counts, declared below (:data:`PARTICIPATION_ROWS`): who was enrolled,
  analysed, dropped out, followed up, neutralised at follow-up. Each is the difference of two
  denominators printed with every share of the report (so hiding it in one table would hide
  nothing); the reasons behind them are never published.

Outcome shares ("2 sur 12 (17 %)" in the tests tables) are results, not tables of counts of
people by category: they are outside this scan (README, Guarantees, limits).
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from guarantees_support import RAW, Project, assert_clean_refusal, read_csv_rows, write_csv_rows

from fac_eval import report
from fac_eval.analysis import results as analysis
from fac_eval.disclosure import privacy
from fac_eval.disclosure import tables as disclosure
from fac_eval.report import export

MIN_CELL = 3

#: Row labels of participation counts (French and English), see the module docstring.
PARTICIPATION_ROWS = {
    "Entrée et sortie renseignées (analysés)", "Entry and exit answered (analysed)",
    "Abandon en cours de parcours", "Dropped out during the course",
    "Pas de questionnaire d'entrée", "No entry questionnaire",
    "Pas de questionnaire de sortie", "No exit questionnaire",
    "Total des apprenants inscrits", "Total enrolled learners",
    "Total des abandons", "Total drop-outs",
    "Sorties neutralisées", "Neutralised exits",
    "Apprenants comptés au suivi (tous les inscrits)", "Learners counted at follow-up (every enrolled learner)",
}
#: Tables that hold no count of people (provenance: versions, parameters, fingerprints).
NOT_COUNTS = {"Élément", "Item"}


class _Tables(HTMLParser):
    """Every ``<table>`` of a page: its caption and its rows of cell texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._cur: dict | None = None
        self._cell: list[str] | None = None
        self._in_caption = False

    _pending = ""

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._cur = {"caption": self._pending, "rows": []}
            self._pending = ""
        elif tag == "caption" or (tag == "p" and "table-caption" in (dict(attrs).get("class") or "")):
            self._in_caption = True
            self._pending = ""
        elif tag == "tr" and self._cur is not None:
            self._cur["rows"].append([])
        elif tag in ("td", "th") and self._cur is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self._cur is not None:
            self.tables.append(self._cur)
            self._cur = None
        elif tag in ("caption", "p") and self._in_caption:
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None and self._cur is not None:
            self._cur["rows"][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._in_caption and self._cur is not None:
            self._cur["caption"] += data
        elif self._in_caption:
            self._pending += data
        elif self._cell is not None:
            self._cell.append(data)


def tables_of(html: str) -> list[dict]:
    p = _Tables()
    p.feed(html)
    return p.tables


_INT = re.compile(r"\d+")
#: Columns of tests tables that hold p-values, intervals and changes in points, not people.
_NOT_A_COUNT = re.compile(r"(?:^|\s|\()p(?:\s|$|\))|\bIC\b|\bCI\b|[Éé]volution|change", re.I)
_SHARE = re.compile(r"(\d+) (?:sur|of) (\d+)")


def small_counts_in_html(html: str, min_cell: int = MIN_CELL) -> list[str]:
    """Every published count of 1 to ``min_cell − 1`` people in a table of ``html`` that no
    rule exempts, as ``caption | row | cell``."""
    found = []
    for t in tables_of(html):
        rows = [r for r in t["rows"] if r]
        if not rows or rows[0][0] in NOT_COUNTS:
            continue
        header = rows[0]
        claims = any(h in ("Concordance", "Agrees") for h in header)
        for row in rows[1:]:
            label = row[0]
            for j, cell in enumerate(row[1:], start=1):
                if j < len(header) and _NOT_A_COUNT.search(header[j]):
                    continue
                text = cell.replace("\u202f", " ").replace("\u00a0", " ").strip()
                values = []
                if _INT.fullmatch(text):
                    values = [int(text)]
                elif claims and _SHARE.match(text):  # the claims table: stated and computed
                    k, n = map(int, _SHARE.match(text).groups())
                    values = [k, n - k]
                if not any(0 < v < min_cell for v in values):
                    continue
                if label in PARTICIPATION_ROWS:
                    continue
                if claims and row[-1].startswith("✓"):  # the published-claims rule
                    continue
                found.append(f"{' '.join(t['caption'].split())} | {label} | {header[j]}: {cell}")
    return found


#: Rows of the workbook that count people by category (or a sensitive share's two sides).
def _category_rows(x: pd.DataFrame) -> pd.DataFrame:
    ids = x.iloc[:, 0].astype(str)
    keep = (x.iloc[:, 2].astype(str).eq("profile_breakdown")
            | ids.str.startswith("testimonies.theme.")
            | ids.isin(["followup.durable", "followup.transition", "followup.positive",
                        "followup.other", "followup.non_respondents"]))
    return x[keep]


def small_counts_in_xlsx(path: Path, min_cell: int = MIN_CELL, claims=None) -> list[str]:
    """Counts of 1 to ``min_cell − 1`` people published by the workbook's indicator sheet: in
    the rows of counts by category, and either side (k, n − k) of a sensitive share or of the
    rate among respondents, unless a matching published claim exempts it."""
    x = pd.read_excel(path, sheet_name=0)
    found = []
    for _, rw in _category_rows(x).iterrows():
        k = rw.iloc[4]
        if isinstance(k, (int, float)) and not pd.isna(k) and 0 < int(k) < min_cell:
            found.append(f"{rw.iloc[0]}: {k}")
    exempt = disclosure.published_exemptions(claims)
    sides = x[x.iloc[:, 0].isin(list(privacy.SENSITIVE_SHARES)
                                + ["followup.sortie_dynamique_respondents"])]
    for _, rw in sides.iterrows():
        k, n = rw.iloc[4], rw.iloc[5]
        if isinstance(k, str) or pd.isna(k) or pd.isna(n) or rw.iloc[0] in exempt:
            continue
        if any(0 < v < min_cell for v in (int(k), int(n) - int(k))):
            found.append(f"{rw.iloc[0]}: {k} / {n}")
    return found


# --------------------------------------------------------------------------------------------
# The shipped sessions, as a user runs them (CLI)
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def published(tmp_path_factory):
    p = Project(tmp_path_factory.mktemp("small-cells"), sessions=("2022", "synth-2024"))
    # the English report first, kept aside (one file name per session for both languages)
    r = p.cli("run", "synth-2024", "--lang", "en", timeout=600)
    assert r.code == 0, r.text
    shutil.copytree(p.reports / "synth-2024", p.root / "english" / "synth-2024")
    for args in (("run", "2022"), ("run", "synth-2024"), ("compare", "2022", "synth-2024")):
        r = p.cli(*args, timeout=600)
        assert r.code == 0, r.text
    return p


def _html_files(p: Project) -> list[Path]:
    return sorted(p.reports.rglob("*.html")) + sorted((p.root / "english").rglob("*.html"))


def test_the_scan_finds_a_small_count_when_there_is_one():
    page = ("<table><caption>Tableau 9. Situations.</caption><tr><th>Situation</th>"
            "<th>Apprenants</th></tr><tr><td>Autre situation</td><td>2</td></tr>"
            "<tr><td>Sorties neutralisées</td><td>2</td></tr></table>")
    assert small_counts_in_html(page) == ["Tableau 9. Situations. | Autre situation | "
                                          "Apprenants: 2"]


def test_no_small_count_in_any_table_of_the_published_reports(published):
    files = _html_files(published)
    names = {f.name for f in files}
    assert {"rapport_2022.html", "rapport_synth-2024.html"} <= names
    assert any("compar" in n for n in names), names
    assert any("english" in f.parts for f in files)
    leaks = {str(f): small_counts_in_html(f.read_text("utf-8")) for f in files}
    assert all(not v for v in leaks.values()), leaks
    # the scan did read the tables it must read
    synth = (published.reports / "synth-2024" / "rapport_synth-2024.html").read_text("utf-8")
    captions = " ".join(t["caption"] for t in tables_of(synth))
    assert "Répartition des situations au suivi" in captions and "Profil des apprenants" in captions


def test_followup_table_masks_other_and_no_news_together(published):
    synth = (published.reports / "synth-2024" / "rapport_synth-2024.html").read_text("utf-8")
    table = next(t for t in tables_of(synth) if "situations au suivi" in t["caption"])
    cells = {r[0]: r[1] for r in table["rows"][1:]}
    # synth-2024: 6 dynamic exits, 2 other, 4 without news, 2 neutralised, 14 followed up
    assert cells["Autre situation (recherche d'emploi, inactivité)"] == "masqué"
    assert cells["Sans nouvelles (non-répondants)"] == "masqué"  # complementary: 14 − 6 − 2 = 6
    assert cells["Sorties neutralisées"] == "2" and cells["Apprenants comptés au suivi (tous les inscrits)"] == "14"
    text = re.sub(r"<[^>]+>", " ", synth)
    assert "6 sur 8" not in text and "75 %" not in " ".join(text.split()).split("Suivi à 3 mois")[-1][:4000]
    # the rate among respondents, a second definition of the rate, is in the export only
    assert "parmi les répondants" not in " ".join(text.split())
    assert "1 absent du fichier" not in text and "dont 1 abandon" not in text


def test_no_small_count_in_the_excel_exports(published):
    books = sorted(published.reports.rglob("*.xlsx")) + sorted(
        (published.root / "english").rglob("*.xlsx"))
    assert len(books) >= 3, books  # 2022, synth-2024 in French and in English
    claims = analysis.compute_session(RAW / "2022").claims
    leaks = {str(b): small_counts_in_xlsx(b, claims=claims if "2022" in b.name else None)
             for b in books}
    assert all(not v for v in leaks.values()), leaks
    x = pd.read_excel(published.reports / "synth-2024" / "indicateurs_synth-2024.xlsx",
                      sheet_name=0).set_index("Indicateur (identifiant)")
    for ind in ("followup.other", "followup.non_respondents",
                "followup.sortie_dynamique_respondents"):
        assert x.loc[ind, "Numérateur"] == "masqué", ind
        assert pd.isna(x.loc[ind, "Valeur"])
    assert x.loc["followup.sortie_dynamique", "Numérateur"] == 6
    assert "sans nouvelles" in x.loc["followup.sortie_dynamique", "Note"]
    assert not re.search(r"\b[12] (?:absent|abandon|non-répondant)", x.loc["followup.sortie_dynamique", "Note"])


# --------------------------------------------------------------------------------------------
# Variants of the follow-up: one rule, the same cells in the report and the workbook
# --------------------------------------------------------------------------------------------

def _followup_variant(tmp_path: Path, situations: dict[str, tuple[str, str]]) -> Path:
    s = tmp_path / "synth-2024"
    shutil.copytree(RAW / "synth-2024", s)
    rows = read_csv_rows(s / "followup.csv")
    head = rows[0]
    unknown = set(situations) - {r[0] for r in rows[1:]}
    assert not unknown, f"no such learner in synth-2024: {sorted(unknown)}"
    for r in rows[1:]:
        if r[0] in situations:
            responded, situation = situations[r[0]]
            r[head.index("responded")] = responded
            r[head.index("situation")] = situation
            r[head.index("response_date")] = "2024-10-01" if responded == "yes" else ""
            if "digital_sector" in head:
                r[head.index("digital_sector")] = ""
    write_csv_rows(s / "followup.csv", rows)
    return s


@pytest.mark.parametrize("changes, other, no_news, hidden", [
    # the shipped data: other 2, no news 4 -> both hidden
    ({}, 2, 4, True),
    # other 1 (L000012 found a job): 1 other, 4 no news -> both hidden
    ({"A12": ("yes", "cdd_6m_plus")}, 1, 4, True),
    # every job seeker found a job: other 0, no news 4 -> shown (0 is not small here)
    ({"A03": ("yes", "cdd_6m_plus"), "A12": ("yes", "cdd_6m_plus")}, 0, 4, False),
    # 3 other, 3 no news (L000013 answered): nothing small -> shown
    ({"A13": ("yes", "job_seeker"), "A04": ("yes", "job_seeker")}, 4, 3, False),
    # no news 1: three of the four answered
    ({"A02": ("yes", "job_seeker"), "A13": ("yes", "job_seeker"),
      "A14": ("yes", "job_seeker")}, 5, 1, True),
])
def test_followup_variants_same_masking_in_report_and_workbook(tmp_path, changes, other,
                                                               no_news, hidden):
    s = _followup_variant(tmp_path, changes)
    res = analysis.compute_session(s)
    t = res.indicators.set_index("indicator")
    assert (t.loc["followup.other", "numerator"], t.loc["followup.non_respondents", "numerator"]) \
        == (other, no_news)
    html = report.Report(res).followup()
    html = getattr(html, "data", str(html))
    table = next(tb for tb in tables_of(html) if "situations au suivi" in tb["caption"])
    cells = {r[0]: r[1] for r in table["rows"][1:]}
    shown_other = cells["Autre situation (recherche d'emploi, inactivité)"]
    shown_news = cells["Sans nouvelles (non-répondants)"]
    assert (shown_other == "masqué") is hidden and (shown_news == "masqué") is hidden
    if not hidden:
        assert (shown_other, shown_news) == (str(other), str(no_news))
    assert small_counts_in_html(html) == []
    path = export.indicators_xlsx(res.indicators, tmp_path / "x.xlsx", "fr", MIN_CELL)
    x = pd.read_excel(path, sheet_name=0).set_index("Indicateur (identifiant)")
    for ind in ("followup.other", "followup.non_respondents",
                "followup.sortie_dynamique_respondents"):
        assert (x.loc[ind, "Numérateur"] == "masqué") is hidden, ind
    # the respondents (its denominator) minus the dynamic exits would give "other" back
    assert bool(x.loc["followup.sortie_dynamique_respondents", "Dénominateur"] == "masqué") is hidden
    assert small_counts_in_xlsx(path) == []


def test_min_cell_5_masks_more(tmp_path):
    s = _followup_variant(tmp_path, {"A13": ("yes", "job_seeker"),
                                     "A04": ("yes", "job_seeker")})  # other 4, no news 3
    res = analysis.compute_session(s, min_cell=5)
    d = disclosure.mask_indicators(res.indicators, 5).set_index("indicator")
    assert d.loc["followup.other", "masked"] and d.loc["followup.non_respondents", "masked"]
    assert d.loc["followup.sortie_dynamique_respondents", "masked"]
    assert not d.loc["followup.sortie_dynamique", "masked"]
    path = export.indicators_xlsx(res.indicators, tmp_path / "x.xlsx", "fr", 5)
    assert small_counts_in_xlsx(path, 5) == []


def test_comparison_masks_a_session_small_other_situation(published):
    page = next(f for f in _html_files(published) if "compar" in f.name).read_text("utf-8")
    table = next(t for t in tables_of(page) if "au suivi" in t["caption"])
    cells = {r[0]: r[1] for r in table["rows"][1:]}
    assert cells["Autre situation (recherche d'emploi, inactivité)"] == "masqué"
    assert cells["Sans nouvelles (non-répondants)"] == "masqué"


@pytest.mark.parametrize("value", ["2", "1", "2,0", "0"])
def test_min_cell_below_3_cannot_publish_small_cells(published, value):
    page = published.reports / "synth-2024" / "rapport_synth-2024.html"
    before = page.read_bytes()
    r = published.cli("run", "synth-2024", "-p", f"min_cell={value}")
    assert_clean_refusal(r, "min_cell", "3", code=2)
    assert page.read_bytes() == before and small_counts_in_html(before.decode("utf-8")) == []


@pytest.mark.parametrize("field, values", [
    # one gender missing: 11 women shown, men (2) and other (0) hidden with the missing one
    ("gender", ["m", "m"] + ["f"] * 11 + [""]),
    # two ages missing, one of each small band
    ("age_band", ["18-25"] + ["26-35"] * 6 + ["36-45"] * 5 + ["", ""]),
    # the shipped education field (one missing): its number considered is 13 of 14
    ("education_level", None),
])
def test_a_hidden_non_response_hides_the_number_considered_in_the_workbook(
        tmp_path, field, values):
    """The report hides a breakdown's non-response when it is small; the workbook's number
    considered (those who answered) and shares would give it back with the enrolled count
    printed everywhere. Both are hidden, and no figure of the field tells the hidden ones."""
    s = tmp_path / "synth-2024"
    shutil.copytree(RAW / "synth-2024", s)
    if values is not None:
        rows = read_csv_rows(s / "learners_profile.csv")
        col = rows[0].index(field)
        for r, v in zip(rows[1:], values, strict=True):
            r[col] = v
        write_csv_rows(s / "learners_profile.csv", rows)
    res = analysis.compute_session(s)
    d = disclosure.mask_indicators(res.indicators, MIN_CELL).set_index("indicator")
    prefix = f"learners.{field}."
    mine = d[d.index.str.startswith(prefix)]
    missing = int(mine["n_missing"].iloc[0])
    assert 0 < missing < MIN_CELL and mine["n_missing_masked"].all()
    path = export.indicators_xlsx(res.indicators, tmp_path / "x.xlsx", "fr", MIN_CELL)
    x = pd.read_excel(path, sheet_name=0).set_index("Indicateur (identifiant)")
    rows_x = x[x.index.str.startswith(prefix)]
    assert (rows_x["Dénominateur"] == "masqué").all(), rows_x["Dénominateur"]
    assert rows_x[export.header("value", "fr")].isna().all()
    shown = pd.to_numeric(rows_x["Numérateur"], errors="coerce").dropna()
    enrolled = int(d.loc["learners.enrolled", "numerator"])
    # what a reader can compute: enrolled minus the shown counts is the hidden cells together
    # with the missing; it is never a single hidden cell of fewer than MIN_CELL people
    hidden_cells = int(mine.loc[mine["masked"], "numerator"].astype(int).sum())
    assert enrolled - int(shown.sum()) == hidden_cells + missing
    assert hidden_cells + missing >= MIN_CELL or hidden_cells == 0
    assert small_counts_in_xlsx(path) == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_workbook_never_tells_a_small_cell_from_its_complement(tmp_path, lang):
    """2022's genders: 5 women shown, men (3) hidden as the complement of "other" (0). A note
    per reason ("small", "complement", "the whole group") gave m = 3 and x = 0 back (attacker
    round 17 for #10): every hidden cell of a breakdown reads alike."""
    res = analysis.compute_session(RAW / "2022")
    d = disclosure.mask_indicators(res.indicators, MIN_CELL).set_index("indicator")
    gender = d[d.index.str.startswith("learners.gender.")]
    assert set(gender.loc[gender["masked"], "mask_reason"]) >= {"small_cell", "complementary"}
    path = export.indicators_xlsx(res.indicators, tmp_path / "x.xlsx", lang, MIN_CELL)
    x = pd.read_excel(path, sheet_name=0).set_index(export.header("indicator", lang))
    count, note = export.header("numerator", lang), export.header("note", lang)
    marker = "masqué" if lang == "fr" else "hidden"
    checked = 0
    for field in ("gender", "age_band", "education_level"):
        rows = x[x.index.str.startswith(f"learners.{field}.")]
        hidden = rows[rows[count] == marker]
        if len(hidden):
            assert hidden[note].nunique() == 1, hidden[note].tolist()
            checked += 1
    assert checked >= 2
