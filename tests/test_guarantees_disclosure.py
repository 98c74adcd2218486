"""Guarantee 3 (issue 10): one disclosure gate for every published file.

Organised by class:

- cells equal to their whole group, and complementary suppression that leaves no hidden remainder
  below min_cell (property tests, with an independent enumeration of what a reader can infer);
- the published-claims exemption, only when the computed figure equals the published one;
- one masking (disclosure.mask_indicators) for the Excel export and the HTML report;
- the gate: HTML, XLSX (cell by cell, hidden sheets, comments, properties), PDF, refused types,
  masked messages;
- through the CLI: a run of a temporary session copy, nothing personal in any published file.
"""

from __future__ import annotations

import csv
import html as htmllib
import io
import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, remove_exit_answers
from html_tables import table_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fac_eval import report
from fac_eval.analysis import results as analysis
from fac_eval.disclosure import gate
from fac_eval.disclosure import tables as disclosure
from fac_eval.disclosure.suppression import suppress_small_cells
from fac_eval.run import pipeline

RAW = REPO / "data" / "raw"
MARKER = "masqué"
HYP = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------------------------
# What a reader can infer from a published line (independent enumeration)
# --------------------------------------------------------------------------------------------

def possible_hidden_values(shown: list, total: int, min_cell: int, suppress_zeros: bool):
    """For each hidden cell, the set of values it can take given the shown cells, the known
    total and the rule as a reader knows it (a hidden cell is a small cell, 0 included when
    zeros are suppressed, or any count) — by enumerating every assignment."""
    hidden = [i for i, v in enumerate(shown) if v == MARKER]
    rest = total - sum(v for v in shown if v != MARKER)
    options = {i: set() for i in hidden}
    for combo in itertools.product(range(rest + 1), repeat=len(hidden)):
        if sum(combo) != rest:
            continue
        for i, v in zip(hidden, combo):
            options[i].add(v)
    return options


def check_line(values: list[int], shown: list, min_cell: int, suppress_zeros: bool):
    total = sum(values)
    low = 0 if suppress_zeros else 1
    numbers = [v for v in shown if v != MARKER]
    # no small cell shown, no cell equal to the whole group shown
    assert all(not (low <= v < min_cell) for v in numbers), (values, shown)
    assert not (total > 0 and total in numbers), (values, shown)
    hidden = [v for v, s in zip(values, shown) if s == MARKER]
    if hidden and len(hidden) < len(values):
        # the hidden remainder is known by subtraction: it must tell no one's category
        assert len(hidden) >= 2 and sum(hidden) >= min_cell, (values, shown)
        # no hidden cell can be pinned down to one value
        for opts in possible_hidden_values(shown, total, min_cell, suppress_zeros).values():
            assert len(opts) > 1, (values, shown, opts)


@HYP
@given(values=st.lists(st.integers(0, 9), min_size=1, max_size=6),
       min_cell=st.integers(3, 5), suppress_zeros=st.booleans())
def test_one_dimensional_breakdowns_leave_nothing_recoverable(values, min_cell, suppress_zeros):
    df = pd.DataFrame({"n": values})
    res = suppress_small_cells(df, ["n"], min_cell=min_cell, suppress_zeros=suppress_zeros,
                               marker=MARKER)
    shown = list(res.table["n"])
    check_line(values, shown, min_cell, suppress_zeros)
    # the mask and the attributes agree with what is shown
    assert [s == MARKER for s in shown] == list(res.mask["n"])
    info = res.table.attrs["suppression"]
    flagged = {r for r, _ in info["primary"]} | {r for r, _ in info["full_group"]} | \
        {r for r, _ in info["complementary"]}
    assert flagged == {i for i, s in enumerate(shown) if s == MARKER}


@HYP
@given(cells=st.lists(st.lists(st.integers(0, 8), min_size=2, max_size=3), min_size=2,
                      max_size=4))
def test_two_dimensional_breakdowns_rows_and_columns(cells):
    width = len(cells[0])
    cells = [row[:width] + [0] * (width - len(row)) for row in cells]
    cols = [f"c{j}" for j in range(width)]
    df = pd.DataFrame(cells, columns=cols)
    df["total"] = df[cols].sum(axis=1)
    res = suppress_small_cells(df, cols, total_column="total", marker=MARKER)
    t = res.table
    assert list(t["total"]) == list(df["total"])  # totals are never hidden
    for c in cols:
        check_line(list(df[c]), list(t[c]), 3, False)
    for i in range(len(df)):
        check_line([int(df.at[i, c]) for c in cols], [t.at[i, c] for c in cols], 3, False)


@pytest.mark.parametrize("values, expected", [
    # "Santé 3 / total des abandons 3": every drop-out left for health reasons
    ([3, 0, 0, 0], [MARKER] * 4),
    ([0, 5, 0], [MARKER] * 3),
    ([8, 0], [MARKER, MARKER]),
    # the remainder after the shown cells would be 1 (below min_cell): hidden too
    ([1, 3, 0, 0], [MARKER] * 4),
    ([1, 4, 0], [MARKER] * 3),
    # remainder 1 + 3 = 4 >= 3: the 5 can be shown
    ([1, 3, 5], [MARKER, MARKER, 5]),
    # the 2 and the smallest other cell: remainder 5
    ([3, 3, 2], [MARKER, 3, MARKER]),
    ([4, 5, 6], [4, 5, 6]),
])
def test_full_group_and_small_remainders(values, expected):
    res = suppress_small_cells(pd.DataFrame({"n": values}), ["n"], suppress_zeros=True,
                               marker=MARKER)
    assert list(res.table["n"]) == expected


def test_full_group_can_be_switched_off_for_non_partitions():
    res = suppress_small_cells(pd.DataFrame({"n": [8]}), ["n"], full_group=False)
    assert list(res.table["n"]) == [8]


# --------------------------------------------------------------------------------------------
# Published-claims exemption
# --------------------------------------------------------------------------------------------

def claims_frame(rows):
    return pd.DataFrame(rows, columns=["indicator", "matches", "kind"])


def test_exemption_only_when_the_published_figure_is_the_computed_one():
    c = claims_frame([
        ("learners.rqth", True, "fraction"),
        ("learners.unemployed_over_24m", False, "share"),
        ("followup.digital_sector", True, "at_most_percent"),
        ("learners.self_esteem.improved", True, "percent"),
        ("learners.enrolled", True, "count"),  # the headcount a share is published among
        ("x.double", True, "count"),
        ("x.double", False, "percent"),
    ])
    assert disclosure.published_exemptions(c) == {"learners.rqth", "learners.self_esteem.improved",
                                                  "learners.enrolled"}
    # without the population's headcount, a share exempts nothing (a fraction still does)
    assert disclosure.published_exemptions(c[c["indicator"] != "learners.enrolled"]) == {
        "learners.rqth"}
    assert disclosure.published_exemptions(None) == set()


def sensitive_table(k, n):
    return pd.DataFrame({
        "indicator": ["learners.rqth"], "section": ["profile"], "numerator": [float(k)],
        "denominator": [float(n)], "n_missing": [0]})


@pytest.mark.parametrize("k, matches, masked, exempt", [
    (1, False, True, False),   # 1 of 8 computed, "6 sur 8" published: masked
    (7, False, True, False),
    (6, True, False, True),    # 6 of 8 computed and published: shown, with a note
    (8, False, True, False),   # all: health data of everyone
    (4, False, False, False),  # 4 of 8: not disclosive, nothing to exempt
])
def test_mask_indicators_sensitive_share(k, matches, masked, exempt):
    c = claims_frame([("learners.rqth", matches, "fraction")])
    m = disclosure.mask_indicators(sensitive_table(k, 8), 3, c).iloc[0]
    assert bool(m["masked"]) is masked and bool(m["published_exemption"]) is exempt
    if masked:
        assert m["mask_reason"] == "sensitive_share"


def copy_session(tmp_path: Path, name: str, as_name: str) -> Path:
    dest = tmp_path / "raw" / as_name
    shutil.copytree(RAW / name, dest)
    return dest


def edit_rows(path: Path, changes: dict[str, dict]) -> None:
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames
        rows = list(reader)
    for r in rows:
        r.update(changes.get(r[fields[0]], {}))
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def read_xlsx(path: Path) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=0).set_index("Indicateur (identifiant)")


@pytest.mark.parametrize("rqth_changes, numerator, note_published", [
    ({}, 6, True),                                   # 6 of 8, as published
    ({"A08": {"rqth": "yes"}}, MARKER, False),        # 7 of 8: the claim "6 sur 8" is false
    ({"A01": {"rqth": "no"}, "A02": {"rqth": "no"}, "A03": {"rqth": "no"},
      "A04": {"rqth": "no"}, "A06": {"rqth": "no"}}, MARKER, False),  # 1 of 8
])
def test_export_exempts_only_a_figure_published_as_computed(tmp_path, rqth_changes, numerator,
                                                            note_published):
    s = copy_session(tmp_path, "2022", "s-rqth")
    edit_rows(s / "learners_profile.csv", rqth_changes)
    res = analysis.compute_session(s, names=[])
    (path,) = pipeline.write_exports(res, tmp_path)
    row = read_xlsx(path).loc["learners.rqth"]
    assert row["Numérateur"] == numerator
    assert ("Chiffre déjà publié" in str(row["Note"])) is note_published
    if numerator == MARKER:
        assert pd.isna(row["Valeur"]) and pd.isna(row["IC bas"]) and pd.isna(row["IC haut"])


# --------------------------------------------------------------------------------------------
# One masking for the Excel export and the HTML report
# --------------------------------------------------------------------------------------------

def html_rows(fragment) -> list[list[str]]:
    return table_rows(fragment)


def assert_export_masks_what_the_report_masks(res, tmp_path):
    (path,) = pipeline.write_exports(res, tmp_path)
    x = read_xlsx(path)
    decided = disclosure.mask_indicators(res.indicators, res.min_cell, res.claims)
    # the export follows the one decision exactly
    for _, rw in decided.iterrows():
        cell = x.loc[rw["indicator"], "Numérateur"]
        if rw["masked"]:
            assert cell == MARKER, rw["indicator"]
        elif pd.notna(rw["numerator"]):
            assert cell == rw["numerator"], rw["indicator"]
    # profile breakdowns: the report hides the same cells, field by field
    rows = html_rows(report.Report(res).profile_breakdown())[1:]
    html_hidden: dict[str, list[bool]] = {}
    for label, _cat, value in rows:
        html_hidden.setdefault(label, []).append(value == MARKER)
    prof = decided[decided["section"] == "profile_breakdown"]
    xlsx_pattern = [list(g["masked"]) for _, g in
                    prof.groupby(prof["indicator"].str.split(".").str[1], sort=False)]
    html_pattern = [v[:len(x_)] for v, x_ in zip(html_hidden.values(), xlsx_pattern)]
    assert html_pattern == xlsx_pattern
    # testimony themes: the report names (without a count) exactly the themes the export masks
    themes = decided[decided["indicator"].str.startswith("testimonies.theme.")]
    masked_themes = themes[themes["masked"]]
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", report.Report(res).testimonies().data))
    if len(masked_themes):
        m = re.search(r"effectif masqué\)\s*:\s*([^.]*)\.", text)
        assert m is not None
        assert len(m.group(1).split(", ")) == len(masked_themes)
        for _, rw in masked_themes.iterrows():
            assert x.loc[rw["indicator"], "Numérateur"] == MARKER
            assert pd.isna(x.loc[rw["indicator"], "Valeur"])
    return x


def test_export_masks_rare_themes_like_the_report(tmp_path):
    res = analysis.compute_session(RAW / "2022", names=[])
    x = assert_export_masks_what_the_report_masks(res, tmp_path)
    # 2022: "time saved" raised by 1 testimony, "teamwork" by 2: no count in the export
    for theme in ("time_saved", "teamwork"):
        assert x.loc[f"testimonies.theme.{theme}", "Numérateur"] == MARKER
    assert x.loc["testimonies.theme.coaching", "Numérateur"] == 9


def test_export_masks_a_profile_category_equal_to_the_group(tmp_path):
    s = copy_session(tmp_path, "2022", "s-women")
    edit_rows(s / "learners_profile.csv", {f"A0{i}": {"gender": "f"} for i in range(1, 9)})
    res = analysis.compute_session(s, names=[])
    x = assert_export_masks_what_the_report_masks(res, tmp_path)
    assert {x.loc[f"learners.gender.{g}", "Numérateur"] for g in "fmx"} == {MARKER}


def test_export_and_report_agree_on_synthetic_session(tmp_path):
    res = analysis.compute_session(RAW / "synth-2024", names=[])
    assert_export_masks_what_the_report_masks(res, tmp_path)


# --------------------------------------------------------------------------------------------
# The gate
# --------------------------------------------------------------------------------------------

IDS = ["A01", "A02", "P01"]
NAMES = ["Zoé Martin", "Zoé", "Martin"]


def workbook(fill) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Indicateurs"
    ws["A1"], ws["B1"] = "Indicateur", "Numérateur"
    ws["A2"], ws["B2"] = "learners.rqth", 6
    fill(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(wb):
    wb.active["C5"] = "Contact : zoe [at] exemple [dot] fr"


def _hidden_sheet(wb):
    ws = wb.create_sheet("Brouillon")
    ws.sheet_state = "hidden"
    ws["B3"] = "A-02 a abandonné"


def _comment(wb):
    from openpyxl.comments import Comment

    wb.active["A2"].comment = Comment("Vérifié avec Zoé Martin", "x")


def _number(wb):
    wb.active["D4"] = 612345678


def _properties(wb):
    wb.properties.creator = "Zoé Martin"


def _sheet_name(wb):
    wb.create_sheet("P 01")


@pytest.mark.parametrize("fill, kind, where", [
    (_cell, "email", "Indicateurs!C5"),
    (_hidden_sheet, "participant_id", "Brouillon!B3"),
    (_comment, "name", "Indicateurs!A2 (comment)"),
    (_number, "phone", "Indicateurs!D4"),
    (_properties, "name", "properties.creator"),
    (_sheet_name, "participant_id", "P 01"),
])
def test_gate_scans_xlsx_cell_by_cell(fill, kind, where):
    data = workbook(fill)
    with pytest.raises(gate.LeakError) as err:
        gate.gate("indicateurs_s.xlsx", data, IDS, NAMES)
    assert (err.value.leaks[0].kind, err.value.leaks[0].where) == (kind, where)
    msg = err.value.message("fr")
    assert f"({where})" in msg and "indicateurs_s.xlsx" in msg
    for secret in ("zoe", "Zoé", "A-02", "612345678", "P 01"):
        assert secret not in msg.replace("P 01)", "")
    # a clean workbook passes
    assert gate.gate("i.xlsx", workbook(lambda wb: None), IDS, NAMES)


def test_gate_scans_html_and_masks_its_message():
    html = ("<html><body><p>Bravo à l'équipe.</p><p title='A 01'>x</p>"
            "<blockquote>Appelez 06\u201312\u201334\u201356\u201378</blockquote></body></html>")
    with pytest.raises(gate.LeakError) as err:
        gate.gate("rapport_s.html", html, IDS, NAMES)
    assert [lk.kind for lk in err.value.leaks] == ["participant_id", "phone"]
    msg = str(err.value)
    assert "« A •• »" in msg and "« 0•–••–••–••–•• »" in msg
    assert "A 01" not in msg and "56" not in msg
    # the surrounding text kept for the evaluator is masked too
    assert all("06" not in lk.context for lk in err.value.leaks)


def test_gate_scans_pdf_pages(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["pdf.fonttype"] = 42
    fig = plt.figure()
    fig.text(0.1, 0.5, "Contact : zoe.martin@exemple.fr")
    path = tmp_path / "rapport_s.pdf"
    fig.savefig(path)
    plt.close(fig)
    if shutil.which("pdftotext") is None:
        try:
            import pypdf  # noqa: F401
        except ImportError:  # without a reader the PDF is refused, never passed unread
            with pytest.raises(gate.GateError):
                gate.gate_file(path, IDS, NAMES)
            return
    with pytest.raises(gate.LeakError) as err:
        gate.gate_file(path, IDS, NAMES)
    assert [(lk.kind, lk.where) for lk in err.value.leaks] == [("email", "page 1")]
    assert "zoe.martin" not in str(err.value)


def test_gate_folder_refuses_files_that_are_not_for_readers(tmp_path):
    (tmp_path / "rapport_s.html").write_text("<p>Rien de personnel, 7 sur 8 (88 %).</p>",
                                             encoding="utf-8")
    (tmp_path / "i.xlsx").write_bytes(workbook(lambda wb: None))
    assert len(gate.gate_folder(tmp_path, IDS, NAMES)) == 2
    (tmp_path / "rapport_s.ipynb").write_text("{}", encoding="utf-8")
    with pytest.raises(gate.GateError) as err:
        gate.gate_folder(tmp_path, IDS, NAMES)
    assert "rapport_s.ipynb" in err.value.message("fr") and "data/processed" in err.value.message()
    (tmp_path / "rapport_s.ipynb").unlink()
    (tmp_path / "rapport_s.en.html").write_text("<p>Thanks Zoé</p>", encoding="utf-8")
    with pytest.raises(gate.LeakError) as err:
        gate.gate_folder(tmp_path, IDS, NAMES)
    assert err.value.leaks[0].where == "rapport_s.en.html"


# --------------------------------------------------------------------------------------------
# Through the CLI: a run of a temporary copy, nothing personal in any published file
# --------------------------------------------------------------------------------------------

def test_cli_run_publishes_nothing_disclosive(tmp_path):
    raw, processed, reports = tmp_path / "raw", tmp_path / "processed", tmp_path / "reports"
    s = copy_session(tmp_path, "2022", "s-cli")
    # 7 RQTH learners of 8 (the published "6 sur 8" is now false); 3 drop-outs, all for health
    edit_rows(s / "learners_profile.csv", {
        "A08": {"rqth": "yes"},
        **{i: {"status": "dropped_out", "dropout_reason": "health"} for i in ("A05", "A06", "A07")},
    })
    remove_exit_answers(s, ("A05", "A06", "A07"))  # a drop-out has no exit answers
    names = tmp_path / "noms.txt"
    names.write_text("Zoé Martin\n", encoding="utf-8")
    env = dict(os.environ, FAC_EVAL_RAW=str(raw), FAC_EVAL_PROCESSED=str(processed),
               FAC_EVAL_REPORTS=str(reports), FAC_EVAL_NAMES_FILE=str(names),
               PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    before = {p.name: p.read_bytes() for p in s.iterdir()}
    r = subprocess.run([sys.executable, "-m", "fac_eval.run.cli", "run", "s-cli"], env=env,
                       capture_output=True, text=True, timeout=600, cwd=REPO)
    assert r.returncode == 0, r.stdout + r.stderr
    assert {p.name: p.read_bytes() for p in s.iterdir()} == before  # raw data untouched
    out = reports / "s-cli"
    html = (out / "rapport_s-cli.html").read_text(encoding="utf-8")
    # "Santé 3 / total des abandons 3" is not published: every reason is hidden
    text = htmllib.unescape(re.sub(r"<[^>]+>", "\n", html))
    rows = html_rows(html)
    reasons = next(i for i, rw in enumerate(rows) if rw[:1] == ["Motif d'abandon"])
    assert [v for _, v in rows[reasons + 1:reasons + 5]] == [MARKER] * 4
    assert rows[reasons + 5] == ["Total des abandons", "3"]
    # the export: same masking, the RQTH share is not exempted by a claim it contradicts
    x = read_xlsx(out / "indicateurs_s-cli.xlsx")
    assert x.loc["learners.rqth", "Numérateur"] == MARKER
    assert "Chiffre déjà publié" not in str(x.loc["learners.rqth", "Note"])
    for theme in ("time_saved", "teamwork"):
        assert x.loc[f"testimonies.theme.{theme}", "Numérateur"] == MARKER
    # nothing personal in any file a stakeholder receives
    ids = [f"A0{i}" for i in range(1, 9)] + [f"P0{i}" for i in range(1, 5)]
    for p in out.iterdir():
        if p.suffix in (".html", ".xlsx", ".pdf"):
            assert gate.scan(p.name, p.read_bytes(), ids, ["Zoé Martin", "Zoé", "Martin"]) == []
    assert not re.search(r"\bA0[1-8]\b|\bP0[1-4]\b", text)
