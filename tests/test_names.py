"""Names kept outside the repository: scrubbed from quotes, searched for in rendered reports."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import REPO, make_project

from fac_eval import report
from fac_eval.analysis import results as analysis
from fac_eval.disclosure import privacy
from fac_eval.run.pipeline import Paths, RunError, prepare_session


def _session_with_named_quote(root):
    make_project(root, sessions=("2022",))
    path = root / "data" / "raw" / "2022" / "testimonies.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    i = df.index[df["consent_quote"] == "yes"][0]
    df.loc[i, "text"] = "Merci à Sophie Martin, ma tutrice, et à Karim pour leur écoute."
    df.to_csv(path, index=False)
    return Paths(root)


def test_names_file_outside_the_repository_scrubs_quotes(tmp_path, monkeypatch):
    paths = _session_with_named_quote(tmp_path / "project")
    names = tmp_path / "secrets" / "noms.txt"
    names.parent.mkdir()
    names.write_text("# équipe et participants\nSophie Martin\nKarim Benali\n", encoding="utf-8")
    monkeypatch.setenv(privacy.NAMES_ENV_VAR, str(names))
    assert privacy.load_names() == ["Sophie Martin", "Sophie", "Martin", "Karim Benali", "Karim",
                                    "Benali"]
    res = analysis.compute_session(paths.raw / "2022")
    html = report.Report(res).testimonies().data
    assert "Sophie" not in html and "Karim" not in html and "Martin" not in html
    assert "Merci à [nom masqué], ma tutrice, et à [nom masqué]" in html
    # and the post-render scan knows the names
    assert privacy.find_leaks("<p>Bravo Karim</p>", names=res.names)[0].kind == "name"


def test_without_a_names_file_nothing_is_searched(monkeypatch):
    monkeypatch.delenv(privacy.NAMES_ENV_VAR, raising=False)
    assert privacy.load_names() == []


def test_names_file_inside_a_repository_is_refused(tmp_path, monkeypatch):
    paths = _session_with_named_quote(tmp_path / "project")
    inside = REPO / "tests" / ".noms_test.txt"
    inside.write_text("Sophie Martin\n", encoding="utf-8")
    try:
        monkeypatch.setenv(privacy.NAMES_ENV_VAR, str(inside))
        with pytest.raises(RunError) as err:
            prepare_session("2022", paths)
        assert err.value.kind == "names" and "hors du dépôt" in str(err.value)
    finally:
        inside.unlink()
    assert not (paths.processed / "2022").exists()
