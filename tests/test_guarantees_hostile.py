"""Guarantee: hostile files are refused fast (issue 10, section 6).

Each hostile file (built in the test: tests/hostile_files.py) is put in a temporary copy of a
shipped session and ``fac-eval validate`` is run as a user runs it, in a subprocess: exit code 1,
a message naming the file (row and column for a cell) and the limit, no traceback, under 500 MB
of peak memory (the CLI process's own ``VmHWM``, see ``guarantees_support.Project.cli``) and within 5 seconds of the CPU
time the same command takes on the untouched session (the interpreter's start-up and the reading
of the other files are not the hostile file's doing; CPU time, user + system of that child, so
that a busy machine does not make a fast refusal look slow). ``benchmarks/hostile_bench.py`` prints the
same measures for every hostile file in one run.

Classes: oversized files (size, rows), XLSX zip bombs (declared size, cell count, sheet extent,
lying zip directory, XML entities), YAML expansion (aliases in session.yml and claims.yml,
nesting, size), long text fields (refused with row and column above the Excel cell limit, read
below it).
"""

from __future__ import annotations

import hostile_files as hf
import pytest
from guarantees_support import Project, assert_clean_refusal, read_csv_rows, write_csv_rows

S = "synth-2024"
MAX_SECONDS_OVER_BASELINE = 5.0
MAX_RSS_MB = 500.0


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """``fac-eval validate`` on the untouched session: the reference time."""
    p = Project(tmp_path_factory.mktemp("baseline"), sessions=(S, "2022"))
    r = p.cli("validate", S)
    assert r.code == 0, r.text
    r22 = p.cli("validate", "2022")
    assert r22.code == 0, r22.text
    return {S: r.cpu_seconds, "2022": r22.cpu_seconds}


def test_the_peak_measured_is_the_commands_own_not_the_test_process(tmp_path):
    """A test process holding 600 MB does not make the command it spawns look 600 MB large
    (CI failed on this: ``ru_maxrss`` of a vfork-spawned child starts at the parent's peak)."""
    ballast = bytearray(600 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touch every page: resident, not just reserved
    p = Project(tmp_path, sessions=())
    r = p.cli("--version")
    del ballast
    assert r.code == 0, r.text
    assert 10 < r.max_rss_mb < 300, f"{r.max_rss_mb:.0f} MB"


def _refused_fast(project, baseline, session, fragments, *extra):
    r = project.cli("validate", session, *extra)
    assert_clean_refusal(r, *fragments)
    assert r.max_rss_mb < MAX_RSS_MB, f"{r.max_rss_mb:.0f} MB"
    assert r.cpu_seconds < baseline[session] + MAX_SECONDS_OVER_BASELINE, \
        f"{r.cpu_seconds:.1f} s of CPU (untouched session: {baseline[session]:.1f} s)"
    assert project.outputs_written(session) == []
    return r


@pytest.mark.parametrize("name", ["big_csv", "many_rows_csv"])
def test_oversized_tables_are_refused_fast(tmp_path, baseline, name):
    p = Project(tmp_path, sessions=(S,))
    fragments = hf.BUILDERS[name](p.session(S))
    _refused_fast(p, baseline, S, fragments)


@pytest.mark.parametrize("name", ["zip_bomb_xlsx", "many_cells_xlsx", "far_cell_xlsx",
                                  "lying_directory_xlsx", "entity_xlsx"])
def test_xlsx_bombs_are_refused_before_loading(tmp_path, baseline, name):
    p = Project(tmp_path, sessions=(S,))
    fragments = hf.BUILDERS[name](p.session(S))
    assert (p.session(S) / "learners_entry.xlsx").stat().st_size < 5 * hf.MB  # small on disk
    _refused_fast(p, baseline, S, fragments)


@pytest.mark.parametrize("name", ["yaml_laughs", "yaml_deep", "yaml_big"])
def test_yaml_expansion_in_session_yml_is_refused(tmp_path, baseline, name):
    p = Project(tmp_path, sessions=(S,))
    fragments = hf.BUILDERS[name](p.session(S))
    _refused_fast(p, baseline, S, fragments)


def test_yaml_aliases_in_claims_yml_are_refused(tmp_path, baseline):
    p = Project(tmp_path, sessions=("2022",))
    fragments = hf.claims_laughs(p.session("2022"))
    _refused_fast(p, baseline, "2022", fragments)


def test_messages_in_english(tmp_path, baseline):
    p = Project(tmp_path, sessions=(S,))
    hf.zip_bomb_xlsx(p.session(S))
    hf.yaml_laughs(p.session(S))
    hf.megabyte_testimony(p.session(S))
    r = _refused_fast(p, baseline, S, [
        "learners_entry.xlsx: file or cell too large (",
        " MB once unzipped) — expected: a workbook of at most 100 MB once unzipped",
        "session.yml, line", "a YAML file without anchors or aliases",
        'testimonies.csv, row 3, column "text": file or cell too large (a cell of 1,048,586 '
        "characters) — expected: a text of at most 32,767 characters"], "--lang", "en")
    assert "3 problem(s)" in r.text  # every hostile file reported at once


def test_megabyte_testimony_is_refused_with_its_row_and_column(tmp_path, baseline):
    p = Project(tmp_path, sessions=(S,))
    fragments = hf.megabyte_testimony(p.session(S))
    r = _refused_fast(p, baseline, S, fragments)
    assert "testimonies.csv, ligne 3, colonne « text » : fichier ou cellule trop grand (cellule de " \
           "1 048 586 caractères) — attendu : un texte de 32 767 caractères au plus" in r.text
    assert "Très bien. Très bien." not in r.text  # the text itself is not echoed


def test_long_testimony_within_the_cell_limit_is_read_whole(tmp_path):
    """30,000 characters (under Excel's 32,767): read as written, CSV and XLSX."""
    from fac_eval.data import io as fio

    p = Project(tmp_path, sessions=(S,))
    path = p.session(S) / "testimonies.csv"
    rows = read_csv_rows(path)
    long_text = ("Le collectif m'a aidée à reprendre confiance, " * 700)[:30_000]
    rows[2][3] = long_text
    write_csv_rows(path, rows)
    r = p.cli("validate", S)
    assert r.code == 0, r.text
    table = fio.read_table(path, "testimonies")
    assert table.loc[table["source_row"] == 3, "text"].item() == long_text.strip()

    import openpyxl

    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(p.session(S) / "testimonies.xlsx")
    path.unlink()
    table = fio.read_table(p.session(S) / "testimonies.xlsx", "testimonies")
    assert table.loc[table["source_row"] == 3, "text"].item() == long_text.strip()


def test_run_refuses_a_zip_bomb_and_writes_nothing(tmp_path):
    p = Project(tmp_path, sessions=(S,))
    fragments = hf.zip_bomb_xlsx(p.session(S))
    r = p.cli("run", S)
    assert_clean_refusal(r, *fragments)
    assert r.max_rss_mb < MAX_RSS_MB
    assert p.outputs_written(S) == []
