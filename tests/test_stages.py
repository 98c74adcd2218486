"""The package's shape: every module in a stage, imports pointing one way, modules of one concern.

The stages a session goes through (README, "What is inside"), from the bottom up:

    core        formatting, paths, parameters, characters (used by every stage)
    disclosure  personal-data detection, small cells, the gate (used by data, analysis, report, run)
    data        codebook, reading, validation, cleaning, synthetic sessions, entry workbooks
    analysis    statistics, indicators, claims, themes, a session's results, comparisons
    report      view models, charts, templates, catalogs, export
    run         pipeline, batch, PDF, the command line

A module may import its own stage and the stages below it, never one above (lazy imports inside
functions and ``TYPE_CHECKING`` imports included: an upward import is a cycle waiting to happen).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "fac_eval"
STAGES = ("core", "disclosure", "data", "analysis", "report", "run")
RANK = {s: i for i, s in enumerate(STAGES)}
#: Top-level modules that are not a stage: the package itself and the statistics' public name
#: ``fac_eval.stats`` (an alias of :mod:`fac_eval.analysis.stats` that nothing inside imports).
TOP_LEVEL = {"__init__.py", "stats.py"}
MAX_LINES = 600


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        yield path, ".".join(parts), is_pkg


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else None


def _imports(path: Path, module: str, is_pkg: bool):
    """(imported module, line) for every import of fac_eval in the file, resolved to absolute."""
    package = module if is_pkg else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "fac_eval":
                for alias in node.names:
                    yield f"fac_eval.{alias.name}", node.lineno
            else:
                yield target, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno


def test_every_module_lives_in_a_stage():
    loose = [str(p.relative_to(PACKAGE)) for p, m, _ in _modules()
             if _stage(m) is None and p.relative_to(PACKAGE).as_posix() not in TOP_LEVEL]
    assert loose == []
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()) \
        == sorted(STAGES)


def test_no_module_imports_a_stage_above_its_own():
    upward = []
    for path, module, is_pkg in _modules():
        own = _stage(module)
        if own is None:
            continue
        for target, line in _imports(path, module, is_pkg):
            if not target.startswith("fac_eval"):
                continue
            theirs = _stage(target)
            if theirs is None:
                if target not in ("fac_eval",) and target != "fac_eval.__version__":
                    upward.append(f"{module}:{line} imports {target} (outside the stages)")
            elif RANK[theirs] > RANK[own]:
                upward.append(f"{module}:{line} ({own}) imports {target} ({theirs})")
    assert upward == []


def test_nothing_inside_imports_the_top_level_aliases():
    users = [f"{m}:{line}" for p, m, pkg in _modules() if _stage(m)
             for t, line in _imports(p, m, pkg) if t == "fac_eval.stats" or t.startswith("fac_eval.stats.")]
    assert users == []


def test_the_statistics_keep_their_public_names():
    import fac_eval.stats as public
    from fac_eval.analysis import stats

    assert public.signed_rank_test is stats.signed_rank_test
    assert set(public.__all__) == set(stats.__all__) and len(stats.__all__) > 20


@pytest.mark.parametrize("path", [p for p, _, _ in _modules()], ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_under_600_lines(path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {n} lines: split it by concern"


def test_the_checker_sees_an_upward_import(tmp_path):
    """The rule itself: a data module importing the report stage is caught (lazily too)."""
    fake = tmp_path / "fac_eval" / "data" / "x.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("def f():\n    from ..report import views\n    from fac_eval.core import formatting\n")
    found = [(t, _stage(t)) for t, _ in _imports(fake, "fac_eval.data.x", False)]
    assert found == [("fac_eval.report", "report"), ("fac_eval.core", "core")]


def test_the_claims_files_indicator_list_is_the_computed_catalogue():
    """The data stage checks claims.yml against a fixed list of indicator ids (it cannot compute
    indicators without importing the analysis stage): that list is exactly the ids the indicator
    table of a computed session holds."""
    from fac_eval.analysis.claims import indicator_catalogue
    from fac_eval.data.claims_file import KNOWN_INDICATORS

    assert KNOWN_INDICATORS == indicator_catalogue()


def test_the_command_line_and_the_export_load_no_chart_code():
    """Lazy imports (issue 11, §3): the command line, the Excel export and the nbconvert
    preprocessor do not import matplotlib, seaborn or the session report (the charts are drawn
    by the kernel); ``fac_eval.report``'s public names still load on first use."""
    import subprocess
    import sys

    code = ("import sys, fac_eval.run.cli, fac_eval.run.pipeline, fac_eval.report.export, "
            "fac_eval.report.nbtemplate\n"
            "heavy = sorted(m for m in ('matplotlib', 'seaborn', 'fac_eval.report.session', "
            "'fac_eval.report.plots') if m in sys.modules)\n"
            "from fac_eval import report\n"
            "print(heavy, report.Report.__module__, report.report_title_from_notebook.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=PACKAGE.parent, check=True).stdout.split()
    assert out == ["[]", "fac_eval.report.session", "fac_eval.report.nbtemplate"], out


def _readme_sections() -> dict[str, str]:
    """The README's "What is inside" tree, cut at each stage's folder line (``  data/``)."""
    import re

    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("## What is inside"):]
    block = block[:block.index("\n## ", 5)]
    parts = re.split(r"^  (\w+)/", block, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


@pytest.mark.parametrize("path", [p for p in sorted(PACKAGE.rglob("*.py"))
                                  if p.name != "__init__.py"],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_readme_shows_every_module_in_its_stage(path):
    """README "What is inside" names each module under its own stage (a new module, or one that
    moved, must be listed where it lives); the top-level alias ``stats.py`` under the analysis'
    statistics."""
    sections = _readme_sections()
    rel = path.relative_to(PACKAGE)
    stage = rel.parts[0] if len(rel.parts) > 1 else "analysis"
    assert path.name in sections.get(stage, ""), f"{rel} is not listed under {stage}/"
    if len(rel.parts) > 2:  # a module of a sub-package: listed after its folder's name
        section = sections[stage]
        assert rel.parts[1] + "/" in section, rel
        assert path.name in section[section.index(rel.parts[1] + "/"):], rel
