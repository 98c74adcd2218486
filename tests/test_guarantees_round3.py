"""What an outside tester still got past the guarantees (issue 10, §2): a threshold shown as
"seuil de 0 %", numbers written with underscores, the language code's case."""

from __future__ import annotations

import pytest

from fac_eval.core.formatting import fmt_level
from fac_eval.data import parameters as P


@pytest.mark.parametrize("alpha, fr, en", [
    (0.05, "5\u00a0%", "5%"), (0.025, "2,5\u00a0%", "2.5%"), (0.2, "20\u00a0%", "20%"),
    (0.001, "0,1\u00a0%", "0.1%"), (1e-9, "0,0000001\u00a0%", "0.0000001%"),
    (0.0123456, "1,23456\u00a0%", "1.23456%"),
])
def test_a_threshold_is_written_exactly_never_as_zero(alpha, fr, en):
    assert (fmt_level(alpha, "fr"), fmt_level(alpha, "en")) == (fr, en)


def test_a_tiny_alpha_is_never_published_as_a_threshold_of_zero(tmp_path):
    """`-p alpha=1e-9` is in the schema's range (0, 0.2]: the report must then say the
    threshold it used, not "seuil de 0 %" (the sentences that give alpha use fmt_level)."""
    from conftest import REPO

    from fac_eval.analysis import results as analysis
    from fac_eval.report.session import Report

    res = analysis.compute_session(REPO / "data" / "raw" / "2022", alpha=1e-9)
    for lang, zero, shown in (("fr", "0\u00a0%", "0,0000001\u00a0%"), ("en", "0%", "0.0000001%")):
        rep = Report(res, lang=lang)
        import html as htmlmod

        html = htmlmod.unescape(rep.learners().data + rep.methods().data + rep.founders().data)
        assert shown in html, lang
        assert f"seuil de {zero}" not in html and f"reach {zero}" not in html, lang


@pytest.mark.parametrize("item", ["alpha=0.1_0", "min_cell=3_0", "confidence=0.9_5", "alpha=1_0e-2"])
def test_numbers_with_underscores_are_refused(item):
    with pytest.raises(P.ParameterError) as err:
        P.check_cli([item], "2022", "fr")
    assert "refusée" in str(err.value) and item.split("=")[1] in str(err.value)


@pytest.mark.parametrize("given, lang, ok", [
    ("FR", "fr", True), ("Fr", "fr", True), ("EN", "en", True), ("EN", "fr", False),
    ("fr", "en", False), ("DE", "fr", False),
])
def test_the_language_code_is_read_in_any_case_as_lang_is(given, lang, ok):
    if ok:
        assert P.check_cli([f"lang={given}"], "2022", lang) == {"lang": lang}
        assert P.check_report_parameters(session="2022", lang=given)["lang"] == given.lower()
    else:
        with pytest.raises(P.ParameterError) as err:
            P.check_cli([f"lang={given}"], "2022", lang)
        assert "lang" in str(err.value)


@pytest.mark.parametrize("file, text, key, line, first", [
    ("claims.yml", "claims:\n  - id: enrolled\n    value: 9\n    value: 8\n", "value", 4, 3),
    ("session.yml", "name: s\nname: t\n", "name", 2, 1),
    ("session.yml", "budget:\n  total: 100\n  funders: []\n  total: 90\n", "total", 4, 2),
])
def test_a_key_given_twice_is_refused_with_both_lines(file, text, key, line, first):
    """PyYAML keeps the last of two equal keys without a word: a claims.yml stating a wrong
    figure first was checked as agreeing (found by an outside tester)."""
    from fac_eval.data.safe_yaml import load_text

    data, problem = load_text(text, file)
    assert data is None and problem is not None
    fr, en = problem.message("fr"), problem.message("en")
    assert f"{file}, ligne {line}" in fr and f"« {key} »" in fr and f"ligne {first}" in fr
    assert f"'{key}' is given again (first on line {first})" in en


def test_validate_refuses_a_claims_file_with_a_key_given_twice(tmp_path, monkeypatch, capsys):
    from _guarantees import make_project, run_cli

    proj = make_project(tmp_path, monkeypatch, sessions=("2022",))
    claims = proj.raw / "2022" / "claims.yml"
    text = claims.read_text(encoding="utf-8")
    first_id = next(ln for ln in text.splitlines() if ln.strip().startswith("- id:"))
    claims.write_text(text.replace(first_id, first_id + "\n" + first_id.replace("- id:", "  id:"), 1),
                      encoding="utf-8")
    code, out, err = run_cli(capsys, "validate", "2022")
    assert code == 1 and "claims.yml" in out + err and "une seconde fois" in out + err, out + err
