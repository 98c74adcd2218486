"""Property-based robustness of reading and validation (hypothesis).

Start from a valid session (a copy of ``data/raw/2022`` in a temporary project root), apply one
random corruption to one of its files — another delimiter, another encoding, bytes of garbage,
a truncated file, a column dropped or added, an empty file, text in a typed column, an
out-of-range code, a duplicated id, blank rows, an Excel workbook with a merged title row above
the header… — and check that:

- :func:`fac_eval.data.validation.validate_session` never raises; a corruption that must be reported
  is, and a harmless one (another delimiter or encoding, blank rows, a plain XLSX copy) gives no
  problem and the same typed tables as the original;
- ``fac-eval validate`` exits 1 listing every problem, never with a traceback (exit 0 when there
  is none);
- :func:`fac_eval.run.pipeline.prepare_session` / :func:`~fac_eval.run.pipeline.run_session` raise
  :class:`~fac_eval.run.pipeline.RunError` (never another exception) on invalid data and write
  nothing in the processed and reports folders.

Examples are few (``max_examples`` 25–40) to keep the file under a minute.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fac_eval.data import codebook as cb
from fac_eval.data import interim
from fac_eval.data import io as fio
from fac_eval.data import validation as v
from fac_eval.run import cli, pipeline

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "data" / "raw" / "2022"
SESSION = "2022"
FILES = sorted(p.stem for p in SOURCE.glob("*.csv"))

HARMLESS, PROBLEM, ANY = "harmless", "problem", "any"
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                      HealthCheck.too_slow])


@dataclass
class Corruption:
    """What is done to which file, and what must follow (HARMLESS, PROBLEM or ANY)."""

    description: str
    file: str
    expect: str
    apply: Callable[[Path], None]
    kind: str = ""

    def __repr__(self) -> str:  # shown by hypothesis when a property fails
        return f"<{self.description} on {self.file}.csv: {self.expect}>"


# --------------------------------------------------------------------------------------------
# Helpers on CSV files
# --------------------------------------------------------------------------------------------



def processed_files(root):
    """Files written under a processed root, apart from the run locks (fac_eval.run.outputs)."""
    from fac_eval.run import outputs

    if not root.exists():
        return []
    return [p for p in root.rglob("*") if outputs.LOCK_DIR not in p.relative_to(root).parts]

def rows_of(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((SOURCE / f"{name}.csv").read_text(encoding="utf-8"))))


def csv_text(rows, delimiter=",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def write_csv(session: Path, name: str, rows, delimiter=",", encoding="utf-8") -> None:
    (session / f"{name}.csv").write_bytes(csv_text(rows, delimiter).encode(encoding))


def columns_of(name: str, types=None, where=lambda item: True) -> list[str]:
    inst = cb.INSTRUMENTS[name]
    return [h for h in rows_of(name)[0]
            if (types is None or inst.item(h).type in types) and where(inst.item(h))]


def _cell(value: str):
    return int(value) if value.isdigit() and (value == "0" or not value.startswith("0")) else value


def write_xlsx(session: Path, name: str, rows, title: str | None = None) -> None:
    """The file as an XLSX workbook (numbers as numbers), the CSV removed; with ``title``, a
    title row merged over the width of the table above the header."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if title is not None:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for r in rows:
        ws.append([_cell(c) for c in r])
    wb.save(session / f"{name}.xlsx")
    (session / f"{name}.csv").unlink()


# --------------------------------------------------------------------------------------------
# The corruptions
# --------------------------------------------------------------------------------------------


KINDS = (
    "delimiter", "excel_sep_hint", "cp1252", "utf16_bom", "utf16_no_bom", "garbage_bytes",
    "truncate", "drop_column", "add_column", "empty_file", "text_in_typed_column",
    "out_of_range", "duplicate_id", "blank_rows", "xlsx_plain", "xlsx_merged_header",
)


@st.composite
def corruptions(draw) -> Corruption:
    kind = draw(st.sampled_from(KINDS))
    c = _corruption(draw, kind)
    c.kind = kind
    return c


def _corruption(draw, kind: str) -> Corruption:
    if kind == "out_of_range":
        eligible = [f for f in FILES if columns_of(f, ("ordinal", "integer", "number"))]
    elif kind == "duplicate_id":
        eligible = [f for f in FILES if f != "testimonies"]
    else:
        eligible = FILES
    name = draw(st.sampled_from(eligible))
    rows = rows_of(name)
    n = len(rows)

    if kind == "delimiter":
        d = draw(st.sampled_from([";", "\t"]))
        return Corruption(f"delimiter {d!r}", name, HARMLESS,
                          lambda s: write_csv(s, name, rows, d))
    if kind == "excel_sep_hint":
        return Corruption("Excel 'sep=;' first line", name, HARMLESS, lambda s: (
            s / f"{name}.csv").write_text("sep=;\r\n" + csv_text(rows, ";"), encoding="utf-8"))
    if kind == "cp1252":
        return Corruption("encoded cp1252", name, HARMLESS,
                          lambda s: write_csv(s, name, rows, ",", "cp1252"))
    if kind == "utf16_bom":
        return Corruption("encoded UTF-16 with BOM", name, HARMLESS,
                          lambda s: write_csv(s, name, rows, ",", "utf-16"))
    if kind == "utf16_no_bom":
        return Corruption("encoded UTF-16-LE without BOM", name, PROBLEM,
                          lambda s: write_csv(s, name, rows, ",", "utf-16-le"))
    if kind == "garbage_bytes":
        data = (SOURCE / f"{name}.csv").read_bytes()
        edits = draw(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)),
                              min_size=1, max_size=6))

        def garbage(s, data=data, edits=edits):
            b = bytearray(data)
            for pos, byte in edits:
                b[pos] = byte
            (s / f"{name}.csv").write_bytes(bytes(b))
        return Corruption(f"bytes replaced {edits}", name, ANY, garbage)
    if kind == "truncate":
        data = (SOURCE / f"{name}.csv").read_bytes()
        cut = draw(st.integers(0, len(data) - 1))
        # an exit questionnaire cut to nothing is one not collected yet (an interim session)
        empty = PROBLEM if name not in interim.PENDING_ALLOWED else ANY
        return Corruption(f"truncated at byte {cut}", name, empty if cut == 0 else ANY,
                          lambda s: (s / f"{name}.csv").write_bytes(data[:cut]))
    if kind == "drop_column":
        j = draw(st.integers(0, len(rows[0]) - 1))
        item = cb.INSTRUMENTS[name].item(rows[0][j])
        new = [r[:j] + r[j + 1:] for r in rows]
        return Corruption(f"column {rows[0][j]} dropped", name,
                          PROBLEM if item.required else ANY, lambda s: write_csv(s, name, new))
    if kind == "add_column":
        header = "zz_" + draw(st.text("abcdefghij_", min_size=1, max_size=8))
        values = draw(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]),
                                       max_size=10), min_size=n - 1, max_size=n - 1))
        at = draw(st.integers(0, len(rows[0])))
        new = [rows[0][:at] + [header] + rows[0][at:]]
        new += [r[:at] + [val] + r[at:] for r, val in zip(rows[1:], values)]
        return Corruption(f"column {header!r} added at {at}", name, PROBLEM,
                          lambda s: write_csv(s, name, new))
    if kind == "empty_file":
        content = draw(st.sampled_from([b"", b"\r\n\r\n", b"  \n", b"\xef\xbb\xbf"]))
        # an optional instrument left empty (testimonies, follow-up not collected yet) has no
        # rows, an exit questionnaire left empty is pending (interim); a profile or an entry
        # questionnaire is a problem
        expect = (ANY if cb.INSTRUMENTS[name].optional or name in interim.PENDING_ALLOWED
                  else PROBLEM)
        return Corruption(f"empty file {content!r}", name, expect,
                          lambda s: (s / f"{name}.csv").write_bytes(content))
    if kind == "text_in_typed_column":
        col = draw(st.sampled_from(columns_of(
            name, ("ordinal", "integer", "number", "date", "category", "boolean"))))
        i = draw(st.integers(1, n - 1))
        text = draw(st.sampled_from(["???", "douze", "N/C ou pas", "3 ou 4", "voir plus haut"]))
        assert fio.match_choice(cb.INSTRUMENTS[name].item(col), text) is None
        new = [list(r) for r in rows]
        new[i][new[0].index(col)] = text
        return Corruption(f"{text!r} in {col}, row {i + 1}", name, PROBLEM,
                          lambda s: write_csv(s, name, new))
    if kind == "out_of_range":
        col = draw(st.sampled_from(columns_of(name, ("ordinal", "integer", "number"))))
        item = cb.INSTRUMENTS[name].item(col)
        if item.type == "ordinal":
            value = str(max(item.codes) + draw(st.integers(1, 50)))
        elif item.minimum is not None:
            value = str(int(item.minimum) - draw(st.integers(1, 1000)))
        else:
            value = str(int(item.maximum) + draw(st.integers(1, 1000)))
        i = draw(st.integers(1, n - 1))
        new = [list(r) for r in rows]
        new[i][new[0].index(col)] = value
        return Corruption(f"{value} in {col}, row {i + 1}", name, PROBLEM,
                          lambda s: write_csv(s, name, new))
    if kind == "duplicate_id":
        i = draw(st.integers(1, n - 1))
        at = draw(st.integers(1, n))
        new = rows[:at] + [rows[i]] + rows[at:]
        return Corruption(f"row {i + 1} duplicated at {at + 1}", name, PROBLEM,
                          lambda s: write_csv(s, name, new))
    if kind == "blank_rows":
        spots = draw(st.lists(st.integers(0, n), min_size=1, max_size=4))
        blank = draw(st.sampled_from([[], [""] * len(rows[0]), ["", " "]]))
        new = [list(r) for r in rows]
        for at in sorted(spots, reverse=True):
            new.insert(at, list(blank))
        return Corruption(f"blank rows {blank!r} at {sorted(spots)}", name, HARMLESS,
                          lambda s: write_csv(s, name, new))
    if kind == "xlsx_plain":
        return Corruption("converted to XLSX", name, HARMLESS, lambda s: write_xlsx(s, name, rows))
    if kind == "xlsx_merged_header":
        title = draw(st.sampled_from(["Questionnaire de sortie — session 2022", "Export"]))
        return Corruption(f"XLSX with a merged title row {title!r}", name, PROBLEM,
                          lambda s: write_xlsx(s, name, rows, title))
    raise AssertionError(kind)  # pragma: no cover


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------


class Project:
    """A fresh temporary project root per example (hypothesis reuses the test's fixtures)."""

    def __init__(self, corruption: Corruption | None = None, monkeypatch=None):
        self.root = Path(tempfile.mkdtemp(prefix="fac-robust-"))
        self.paths = pipeline.Paths(self.root)
        if monkeypatch is not None:  # the command line finds this project by the variables
            monkeypatch.setenv("FAC_EVAL_RAW", str(self.root / "data" / "raw"))
            monkeypatch.setenv("FAC_EVAL_PROCESSED", str(self.root / "data" / "processed"))
            monkeypatch.setenv("FAC_EVAL_REPORTS", str(self.root / "reports"))
        else:
            for var in ("FAC_EVAL_RAW", "FAC_EVAL_PROCESSED", "FAC_EVAL_REPORTS"):
                assert var not in os.environ
        self.session = self.paths.raw / SESSION
        assert self.session.is_relative_to(self.root)
        shutil.copytree(SOURCE, self.session)
        shutil.copytree(REPO / "notebooks", self.root / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", ".*"))
        if corruption is not None:
            corruption.apply(self.session)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.root, ignore_errors=True)


_ORIGINAL: dict[str, pd.DataFrame] = {}


def original_tables() -> dict[str, pd.DataFrame]:
    if not _ORIGINAL:
        data = fio.read_session(SOURCE)
        _ORIGINAL.update({k: t.drop(columns=fio.SOURCE_ROW) for k, t in data.tables.items()})
    return _ORIGINAL


def check_expectation(c: Corruption, problems) -> None:
    if c.expect == PROBLEM:
        assert problems, f"{c!r} should have been reported"
    elif c.expect == HARMLESS:
        assert problems == [], f"{c!r}: {v.format_problems(problems)}"


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


@given(c=corruptions())
@settings(max_examples=40, **SETTINGS)
def test_validation_never_raises_and_reports_what_it_must(c):
    with Project(c) as p:
        problems = v.validate_session(p.session)  # never raises
        assert all(isinstance(x, v.Problem) and x.kind in v.KINDS for x in problems)
        for lang in ("fr", "en"):
            text = v.format_problems(problems, lang)
            assert len(text.splitlines()) >= len(problems)
            assert "Traceback" not in text
        check_expectation(c, problems)
        if problems:
            with pytest.raises(v.ValidationError) as err:
                fio.read_session(p.session)
            assert err.value.problems == problems
        else:
            # whatever the way of typing it, the data read are the same
            data = fio.read_session(p.session)
            orig = original_tables()
            if c.expect == HARMLESS:
                assert set(data.tables) == set(orig)
            for k, t in data.tables.items():
                if c.expect == HARMLESS:
                    pd.testing.assert_frame_equal(t.drop(columns=fio.SOURCE_ROW), orig[k])


@given(c=corruptions(), lang=st.sampled_from(["fr", "en"]))
@settings(max_examples=25, **SETTINGS)
def test_cli_validate_lists_the_problems_without_traceback(c, lang, capsys, monkeypatch):
    with Project(c, monkeypatch) as p:
        problems = v.validate_session(p.session)
        check_expectation(c, problems)
        capsys.readouterr()
        rc = cli.main(["validate", SESSION, "--lang", lang])
        out = capsys.readouterr()
        assert "Traceback" not in out.out + out.err
        if problems:
            assert rc == 1
            head = (f"{len(problems)} problem(s) in session {SESSION}:" if lang == "en"
                    else f"{len(problems)} problème(s) dans la session {SESSION} :")
            assert out.err.startswith(head + "\n")
            for x in problems:  # every problem, one line each
                assert x.message(lang) in out.err.splitlines()
        else:
            assert rc == 0 and out.err == "" and out.out.startswith(f"Session {SESSION}")
        assert not processed_files(p.paths.processed) and not p.paths.reports.exists()


@given(c=corruptions(), how=st.sampled_from(["prepare_session", "run_session", "fac-eval run"]))
@settings(max_examples=25, **SETTINGS)
def test_pipeline_raises_run_error_and_writes_nothing(c, how, capsys, monkeypatch):
    with Project(c, monkeypatch) as p:
        problems = v.validate_session(p.session)
        check_expectation(c, problems)
        if not problems:  # harmless: the data are prepared as usual (no notebook run here)
            results = pipeline.prepare_session(SESSION, p.paths)
            assert (p.paths.processed / SESSION / "indicators.csv").exists()
            assert len(results.clean.learner_flow) == len(original_tables()["learners_profile"])
            return
        if how == "prepare_session":
            with pytest.raises(pipeline.RunError) as err:
                pipeline.prepare_session(SESSION, p.paths)
            assert err.value.kind == "invalid"
            assert str(err.value) == v.format_problems(problems)
        elif how == "run_session":
            with pytest.raises(pipeline.RunError) as err:
                pipeline.run_session(SESSION, paths=p.paths, lang="en")
            assert err.value.kind == "invalid"
            assert str(err.value) == v.format_problems(problems, "en")
        else:  # the command line: exit 1, the problems, no traceback, no report
            capsys.readouterr()
            assert cli.main(["run", SESSION]) == 1
            out = capsys.readouterr()
            assert "Traceback" not in out.out + out.err
            assert v.format_problems(problems) in out.err
            assert "Aucun rapport n'a été produit." in out.err
        # nothing written: no processed tables, no report, no temporary folder
        assert not processed_files(p.paths.processed)
        assert not p.paths.reports.exists() or not any(p.paths.reports.rglob("*"))


# --------------------------------------------------------------------------------------------
# A few fixed cases, including the installed command in a subprocess
# --------------------------------------------------------------------------------------------


def test_every_corruption_kind_is_exercised():
    """The strategy can draw each kind (a guard against a typo silently disabling one)."""
    seen = set()

    @given(corruptions())
    @settings(max_examples=300, deadline=None, database=None)
    def collect(c):
        seen.add(c.kind)

    collect()
    assert seen == set(KINDS)


@pytest.mark.parametrize("titles", [1, 2])
def test_merged_header_workbook_gives_one_clear_problem(titles):
    """A title row (merged cells) above the header: one problem saying where the headers are,
    rather than one per misplaced cell; identifier columns below it are still reported."""
    rows = rows_of("learners_exit")
    rows = [["Nom"] + rows[0]] + [["Dupont"] + r for r in rows[1:]]
    with Project() as p:
        write_xlsx(p.session, "learners_exit", rows, "Questionnaire de sortie — session 2022")
        if titles == 2:  # a second, unmerged, subtitle row
            wb = openpyxl.load_workbook(p.session / "learners_exit.xlsx")
            wb.active.insert_rows(2)
            wb.active.cell(2, 1, "Form'Ain Cube")
            wb.save(p.session / "learners_exit.xlsx")
        problems = v.validate_session(p.session)
    assert [(x.file, x.row, x.column, x.kind) for x in problems] == [
        ("learners_exit.xlsx", 1, None, "title_row"),
        ("learners_exit.xlsx", 1 + titles, "Nom", "direct_identifier"),
    ]
    assert problems[0].message("fr").endswith(
        f"attendu : les en-têtes de colonnes sur la première ligne du fichier (ils sont en ligne "
        f"{1 + titles}) : supprimez la ou les lignes de titre au-dessus, cellules fusionnées "
        "comprises")
    assert "Dupont" not in v.format_problems(problems)


def test_installed_command_exits_1_without_traceback(tmp_path):
    """One subprocess: `fac-eval validate` on a session with text in a numeric column."""
    with Project() as p:
        rows = rows_of("founders_exit")
        rows[3][rows[0].index("annual_revenue")] = "beaucoup"
        write_csv(p.session, "founders_exit", rows)
        env = dict(os.environ, FAC_EVAL_RAW=str(p.paths.raw),
                   FAC_EVAL_PROCESSED=str(p.paths.processed),
                   FAC_EVAL_REPORTS=str(p.paths.reports))
        exe = Path(sys.executable).with_name("fac-eval")
        cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "fac_eval.run.cli"]
        res = subprocess.run(cmd + ["validate", SESSION], env=env, capture_output=True,
                             text=True, timeout=120)
        processed = bool(processed_files(p.paths.processed))
    assert res.returncode == 1
    assert "Traceback" not in res.stdout + res.stderr
    assert ("founders_exit.csv, ligne 4, colonne « annual_revenue » : type de valeur incorrect, "
            "valeur « beaucoup »") in res.stderr
    # the configured processed root (FAC_EVAL_PROCESSED), not a fixed data/processed/
    assert f"Rien n'a été écrit dans {p.paths.processed}." in res.stderr
    assert not processed
