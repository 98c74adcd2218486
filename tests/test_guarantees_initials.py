"""Guarantee 4 (one detector of personal data), initials of the listed names (issue 10):
with "Jean-Luc Petit" in the names file, "J-L", "J.-L.", "JLP", "J.L.P." and "Jean-Luc P." are
that name for the detector, so validation refuses them where it refuses a name, scrubbing masks
them and the leak scan blocks them; ordinary capitals ("CV", "RQTH", "PME", "OK") and the
initials of a name not listed are text.
"""

from __future__ import annotations

import pytest
from _guarantees import make_project, run_exe, tree

from fac_eval.disclosure import gate, pii, privacy

LISTED = ["Jean-Luc Petit", "Sophie Martin", "Claire Vidal"]


def _names(tmp_path, lines=LISTED):
    path = tmp_path / "secrets" / "noms.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def names(tmp_path, monkeypatch):
    path = _names(tmp_path)
    monkeypatch.setenv(privacy.NAMES_ENV_VAR, str(path))
    return privacy.load_names()


@pytest.mark.parametrize("text, value", [
    ("Merci à J-L pour son aide.", "J-L"),
    ("Merci à J.-L. pour son aide.", "J.-L."),
    ("Merci à J.-L. A la fin j'ai trouvé.", "J.-L."),
    ("JLP m'a suivi toute l'année.", "JLP"),
    ("J.L.P. m'a suivi toute l'année.", "J.L.P."),
    ("J. L. P. m'a suivi.", "J. L. P."),
    ("Jean-Luc P. m'a suivi.", "Jean-Luc P."),
    ("Avec Jean-Luc P, tout va mieux.", "Jean-Luc P"),
    ("S.M. m'a rappelé.", "S.M."),
    ("Sophie M. m'a rappelé.", "Sophie M."),
    ("Merci à Ｊ．－Ｌ． (écrit en pleine chasse).", "Ｊ．－Ｌ．"),
    ("Et C.V. aussi.", "C.V."),  # Claire Vidal, written with dots
])
def test_initials_of_a_listed_name_are_that_name(names, text, value):
    got = pii.find_pii(text, (), names)
    assert [(f.kind, f.text) for f in got] == [("name", value)]


@pytest.mark.parametrize("text", [
    "J'ai refait mon CV, obtenu la RQTH et trouvé une PME. OK pour la suite.",
    "La CAF et le CPF ont payé ; un CDI en vue.",
    "CV à jour",  # Claire Vidal's initials run together: an acronym, text
    "A.B. et M.-C. m'ont aidé ; XYZ aussi.",  # initials of names not listed
    "J.-P. m'a aidé.",  # Jean-Pierre: not listed
    "j.-l. en minuscules, jlp aussi",  # initials are capitals
    "JLPX est un code, JL aussi",  # not a word of the initials; two letters run together
    "Sophie a dit", "Jean-Luc Pa", "Luc D.",
])
def test_capitals_that_are_no_listed_initials_are_text(names, text):
    # a listed first name alone is still found; nothing longer than it
    assert [f.text for f in pii.find_pii(text, (), names) if f.text not in names] == []


def test_without_names_no_initials_are_looked_for():
    assert pii.find_pii("Merci à J.-L., JLP et Jean-Luc P.", (), []) == []


def test_a_single_word_name_gives_no_initials(tmp_path, monkeypatch):
    monkeypatch.setenv(privacy.NAMES_ENV_VAR, str(_names(tmp_path, ["Karim"])))
    assert pii.find_pii("K. est venu, puis K.A.", (), privacy.load_names()) == []


def test_scrubbing_and_the_leak_scan_treat_initials_as_a_name(names):
    text = "Merci à J.-L. et à JLP, puis à Jean-Luc P. ; mon CV est prêt."
    out = privacy.scrub_text(text, names=names)
    assert out == ("Merci à [nom masqué] et à [nom masqué], puis à [nom masqué] ; mon CV est "
                   "prêt.")
    leaks = gate.find_leaks(f"<p>{text}</p>", names=names)
    assert [lk.kind for lk in leaks] == ["name", "name", "name"]
    with pytest.raises(gate.LeakError) as err:
        gate.gate("rapport_s.html", "<html><body><p>Bravo J.L.P.</p></body></html>", (), names)
    assert "J.L.P." not in str(err.value)


def _validate(proj, names_file, lang="fr"):
    return run_exe(proj, "validate", "2022", "--lang", lang,
                   env={privacy.NAMES_ENV_VAR: str(names_file)})


@pytest.mark.parametrize("initials, masked", [("J.-L.", "J.-•."), ("JLP", "J••"),
                                              ("Jean-Luc P.", "J•••-•••  •.")])
def test_validate_refuses_initials_in_session_yml_with_file_line_and_key(tmp_path, initials,
                                                                        masked):
    proj = make_project(tmp_path, sessions=("2022",))
    meta = proj.raw / "2022" / "session.yml"
    lines = meta.read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(lines) if t.startswith("territory:"))
    lines[line] = f'territory: "Ambérieu, avec {initials} au pilotage"'
    meta.write_text("\n".join(lines) + "\n", encoding="utf-8")
    names_file = _names(tmp_path)
    before = proj.snapshot()
    res = _validate(proj, names_file)
    assert res.returncode == 1, res
    assert f"session.yml, ligne {line + 1}, clé « territory »" in res.stderr
    assert "nom de la liste de noms" in res.stderr
    assert initials not in res.stderr and initials not in res.stdout
    assert f"« {masked.replace('  ', ' ')} »" in res.stderr
    res_en = _validate(proj, names_file, "en")
    assert res_en.returncode == 1 and "territory" in res_en.stderr
    assert "name from the names file" in res_en.stderr
    assert proj.snapshot() == before  # nothing written, nothing processed


def test_validate_accepts_acronyms_and_unlisted_initials_in_session_yml(tmp_path):
    proj = make_project(tmp_path, sessions=("2022",))
    meta = proj.raw / "2022" / "session.yml"
    text = meta.read_text(encoding="utf-8")
    lines = text.splitlines()
    line = next(i for i, t in enumerate(lines) if t.startswith("territory:"))
    lines[line] = 'territory: "Ambérieu : CV, RQTH, PME ; OK avec M.-C. et A.B."'
    meta.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = _validate(proj, _names(tmp_path))
    assert res.returncode == 0, res.stderr


def test_a_published_report_masks_initials_of_a_testimony(tmp_path):
    """Through ``fac-eval run``: the quote with J.-L. and JLP is published with the names
    masked, and no published file holds the initials (the leak scan passed)."""
    import pandas as pd

    proj = make_project(tmp_path, sessions=("2022",))
    path = proj.raw / "2022" / "testimonies.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    i = df.index[df["consent_quote"] == "yes"][0]
    df.loc[i, "text"] = "Merci à J.-L. et à JLP (Jean-Luc P.) pour mon CV."
    df.to_csv(path, index=False)
    # "Petit" is also a French word the report writes: the run's names file has Jean-Luc Perrin
    # (the same initials)
    listed = ["Jean-Luc Perrin", "Sophie Martin", "Claire Vidal"]
    res = run_exe(proj, "run", "2022",
                  env={privacy.NAMES_ENV_VAR: str(_names(tmp_path, listed))}, timeout=600)
    assert res.returncode == 0, res.stderr
    published = tree(proj.reports / "2022")
    assert published
    html = next((proj.reports / "2022").glob("rapport_*.html")).read_text(encoding="utf-8")
    assert "Merci à [nom masqué] et à [nom masqué] ([nom masqué]) pour mon CV." in html
    for f in (proj.reports / "2022").rglob("*"):
        if f.is_file() and f.suffix in (".html", ".csv", ".txt", ".json"):
            body = f.read_text(encoding="utf-8", errors="replace")
            assert "J.-L." not in body and "JLP" not in body and "Jean-Luc" not in body, f
