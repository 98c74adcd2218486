"""The data-quality notebook as the evaluator reads it (issue 15, fourth pass), checked on the
outputs of the notebook executed by ``fac-eval quality``: every text whole (pandas cut them at
50 characters), integer row numbers and no pandas index in the problems table, and an interim
session's exits said to be pending, not missing, in French and in English."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import REPO, make_project

from fac_eval.analysis import quality
from fac_eval.run import pipeline, workbench


def _corrupt(folder: Path) -> None:
    """Row 4 of learners_entry.csv: ses_01 = 9 (codes 1-4); row 6: a date that does not exist."""
    path = folder / "learners_entry.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    for line, col, value in ((3, 2, "9"), (5, 1, "2024-13-45")):
        parts = lines[line].split(",")
        parts[col] = value
        lines[line] = ",".join(parts)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _interim(folder: Path) -> None:
    """Exit questionnaires not collected yet: a header-only learners' file, an empty founders'
    file, no follow-up (as tests/test_interim.py)."""
    header = (folder / "learners_exit.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "learners_exit.csv").write_text(header + "\n", encoding="utf-8")
    (folder / "founders_exit.csv").write_bytes(b"")
    (folder / "followup.csv").unlink()


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """``fac-eval quality`` of synth-2024, of a copy with two invalid cells and of an interim
    copy, in French and in English: {(session, lang): executed notebook}."""
    root = make_project(tmp_path_factory.mktemp("quality-display"), sessions=("synth-2024",))
    raw = root / "data" / "raw"
    for name, change in (("synth-bad", _corrupt), ("interim-2024", _interim)):
        shutil.copytree(raw / "synth-2024", raw / name)
        change(raw / name)
    paths = pipeline.Paths(root)
    out = {}
    for session in ("synth-2024", "synth-bad", "interim-2024"):
        for lang in ("fr", "en"):
            path = workbench.run_quality(session, paths, lang=lang, timeout=300)
            out[session, lang] = nbformat.read(path, as_version=4)
    return out


def _output(nb, call: str, kind: str = "text/html") -> str:
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.strip() == call)
    return next(o["data"][kind] for o in cell.outputs if kind in o.get("data", {}))


def _table(html: str) -> tuple[list[str], list[list[str]]]:
    """Headers and rows, texts with their spaces collapsed (French no-break spaces too)."""
    table = BeautifulSoup(html, "html.parser").find("table")
    text = lambda cell: " ".join(cell.get_text().split())  # noqa: E731
    head = [text(th) for th in table.thead.find_all("th")]
    rows = [[text(td) for td in tr.find_all(["td", "th"])] for tr in table.tbody.find_all("tr")]
    return head, rows


def _plain(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


@pytest.mark.slow
@pytest.mark.parametrize("lang, words", [
    ("fr", ("cas de Heywood : dans l'ajustement à un facteur par maximum de vraisemblance, "
            "l'unicité de digital_04 tombe à 0 (saturation standardisée 1,00, le maximum "
            "possible) ; oméga n'est pas affiché (—). Sur cette solution impropre, il vaudrait "
            "0,908.")),
    ("en", ("Heywood case: in the one-factor maximum-likelihood fit, the uniqueness of "
            "digital_04 falls to 0 (standardised loading 1.00, the most possible); omega is not "
            "shown (—). On that improper solution it would be 0.908.")),
])
def test_the_reliability_table_shows_every_text_whole(executed, lang, words):
    head, rows = _table(_output(executed["synth-2024", lang], "qn.reliability()"))
    note = head.index("Remarque sur l'oméga" if lang == "fr" else "Note on omega")
    source = head.index("Source")
    assert head[0] == ("Échelle" if lang == "fr" else "Scale")  # no index column before it
    assert all(len(r) == len(head) for r in rows) and len(rows) == 6
    notes = [_plain(r[note]) for r in rows if r[note]]
    assert notes == [words]
    sources = {_plain(r[source]) for r in rows if r[source]}
    assert sources == {cb_source(lang)}  # whole, and in the notebook's language
    # the text copy (text/plain) is whole too, and has no index
    plain = _output(executed["synth-2024", lang], "qn.reliability()", "text/plain")
    assert words.split(" (")[0] in plain and "…" not in plain and "..." not in plain
    assert plain.splitlines()[1].lstrip().startswith(("Estime", "Self"))


def cb_source(lang: str) -> str:
    """The published source of the Rosenberg scale, as the codebook words it (≈ 190 chars)."""
    from fac_eval.data import codebook as cb
    from fac_eval.data.codebook_model import wording

    text = _plain(wording(cb.SCALES["self_esteem"].reliability_source, lang))
    assert len(text) > 150 and (("« Traduction" in text) == (lang == "fr"))
    return text


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_problems_table_has_integer_rows_no_index_and_whole_advice(executed, lang):
    nb = executed["synth-bad", lang]
    head, rows = _table(_output(nb, "qn.problems()"))
    assert head == (["Fichier", "Ligne", "Colonne", "Valeur", "Attendu"] if lang == "fr" else
                    ["File", "Row", "Column", "Value", "Expected"])
    expected = {
        "fr": [["learners_entry.csv", "4", "ses_01", "9",
                "un code entre 1 et 4 ou l'un des libellés « Tout à fait en désaccord », "
                "« Plutôt en désaccord », « Plutôt en accord », « Tout à fait en accord »"],
               ["learners_entry.csv", "6", "response_date", "2024-13-45",
                "une date qui existe au calendrier, au format AAAA-MM-JJ ou JJ/MM/AAAA (heure "
                "éventuelle entre 00:00 et 23:59)"]],
        "en": [["learners_entry.csv", "4", "ses_01", "9",
                'a code from 1 to 4 or one of the labels "Strongly disagree", "Disagree", '
                '"Agree", "Strongly agree"'],
               ["learners_entry.csv", "6", "response_date", "2024-13-45",
                "a date that exists in the calendar, as YYYY-MM-DD or DD/MM/YYYY (any time "
                "between 00:00 and 23:59)"]]}[lang]
    assert [[_plain(c) for c in r] for r in rows] == expected
    plain = _output(nb, "qn.problems()", "text/plain")
    assert "4.0" not in plain and " 4 " in plain and expected[0][4].split(" « ")[0] in plain


def test_a_problem_of_a_whole_file_has_an_empty_row():
    class P:
        file, row, column, value, expected, kind = "session.yml", None, None, None, "x", "k"

    class Q(P):
        row = 12

    table = quality.problems_table([P(), Q()])
    assert table["row"].isna().tolist() == [True, False] and table["row"].iloc[1] == 12
    assert str(table["row"].dtype) == "Int64"


@pytest.mark.slow
@pytest.mark.parametrize("lang, note, nothing", [
    ("fr", "Sortie en attente : le questionnaire de sortie des apprenants n'est pas encore "
           "recueilli (session intermédiaire, attendu à partir du 5 juillet 2024). 12 personnes "
           "ont répondu à l'entrée et l'attendent : ce ne sont pas des abandons.",
     "Rien à vérifier dans l'appariement des apprenants."),
    ("en", "Exit pending: the learners' exit questionnaire is not collected yet (interim "
           "session, expected from 5 July 2024). 12 participants answered at entry and wait for "
           "it: not drop-outs.",
     "Nothing to check in the pairing of the learners."),
])
def test_an_interim_sessions_exits_are_pending_not_missing(executed, lang, note, nothing):
    nb = executed["interim-2024", lang]
    said = _plain(_output(nb, 'qn.pairing_problems("learners")', "text/markdown"))
    assert said == f"*{note} {nothing}*"
    founders = _plain(_output(nb, 'qn.pairing_problems("founders")', "text/markdown"))
    assert ("porteurs de projet n'est pas encore recueilli" if lang == "fr" else
            "founders' exit questionnaire is not collected yet") in founders
    head, rows = _table(_output(nb, 'qn.pairing_summary("learners")'))
    pending = "Sortie en attente" if lang == "fr" else "Exit pending"
    check = "À vérifier" if lang == "fr" else "To check"
    summary = dict(zip(head, rows[0]))
    assert summary[pending] == "12" and summary[check] == "0"
    pairing = [c for c in nb.cells if c.source.startswith("qn.pairing_")]
    everything = " ".join(_plain(str(o.get("data", {}))) for c in pairing
                          for o in c.get("outputs", []))
    assert len(pairing) == 4
    assert "not marked as a drop-out" not in everything
    assert "sans abandon indiqué" not in everything
    # a complete session says nothing of a pending exit
    complete = executed["synth-2024", lang]
    head, _ = _table(_output(complete, 'qn.pairing_summary("learners")'))
    assert pending not in head


def test_pending_exits_beside_a_real_inconsistency_are_told_apart():
    """A participant not in the profile is still to check; the ones waiting for the exit are
    not, and the summary counts them apart."""
    import pandas as pd

    tables = {"learners_profile": pd.DataFrame({"learner_id": ["A01", "A02", "A03"],
                                                "status": ["completed", "completed",
                                                           "dropped_out"]}),
              "learners_entry": pd.DataFrame({"learner_id": ["A01", "A02", "A03", "A09"]}),
              "learners_exit": pd.DataFrame({"learner_id": []})}
    pairs = quality.pairing(tables, "learners", pending=("learners_exit",)).set_index("id")
    assert pairs["problem"].to_dict() == {"A01": "exit pending", "A02": "exit pending",
                                          "A03": "", "A09": "not in profile"}
    summary = quality.pairing_summary(pairs.reset_index()).iloc[0]
    assert (summary["problems"], summary["exit_pending"], summary["dropped_out"]) == (1, 2, 1)
    # the same files outside an interim session: the missing exits are to check
    closed = quality.pairing(tables, "learners").set_index("id")
    assert closed.loc["A01", "problem"] == "no exit, not marked as drop-out"
    assert quality.pairing_summary(closed.reset_index()).iloc[0]["problems"] == 3


@pytest.mark.parametrize("lang, words", [
    ("fr", ("Sortie en attente : le questionnaire de sortie des apprenants n'est pas encore "
            "recueilli (session intermédiaire, attendu à partir du", "absent du profil")),
    ("en", ("Exit pending: the learners' exit questionnaire is not collected yet (interim "
            "session, expected from", "not in the profile")),
])
def test_the_pending_note_stays_under_a_table_of_real_problems(tmp_path, monkeypatch, lang,
                                                                words):
    root = make_project(tmp_path, sessions=())
    folder = root / "data" / "raw" / "interim-2024"
    shutil.copytree(REPO / "data" / "raw" / "synth-2024", folder)
    _interim(folder)
    monkeypatch.setenv("FAC_EVAL_RAW", str(root / "data" / "raw"))
    from fac_eval.report import quality_view

    qn = quality_view.QualityNotebook("interim-2024", lang)
    entry = qn.tables["learners_entry"]
    qn.data.tables["learners_entry"] = pd_concat(entry, "A99")  # not in the profile
    table = qn.pairing_problems("learners")
    html = _plain(BeautifulSoup(table._repr_html_(), "html.parser").get_text(" "))
    assert words[0] in html and words[1] in html
    assert words[0] in _plain(repr(table))
    assert len(table) == 1  # A99 only: the ones waiting for their exit are not listed


def pd_concat(entry, new_id):
    import pandas as pd

    row = entry.iloc[[0]].copy()
    row["learner_id"] = new_id
    return pd.concat([entry, row], ignore_index=True)


@pytest.mark.parametrize("lang, pending", [
    ("fr", "sortie en attente : pas encore recueillie (session intermédiaire)"),
    ("en", "exit pending: not collected yet (interim session)")])
def test_an_interim_sessions_exit_scales_say_pending(tmp_path, monkeypatch, lang, pending):
    """The exit questionnaire's scales of an interim session have nobody yet: their note says
    the exit is pending, not "not more complete respondents than items"."""
    root = make_project(tmp_path, sessions=())
    folder = root / "data" / "raw" / "interim-2024"
    shutil.copytree(REPO / "data" / "raw" / "synth-2024", folder)
    _interim(folder)
    monkeypatch.setenv("FAC_EVAL_RAW", str(root / "data" / "raw"))
    from fac_eval.report import quality_view

    table = quality_view.QualityNotebook("interim-2024", lang).reliability()
    note = table.columns[7]
    exit_rows = table[table.iloc[:, 1].str.contains("sortie" if lang == "fr" else "exit")]
    assert len(exit_rows) == 3 and (exit_rows[note] == pending).all()
    assert not table.drop(exit_rows.index)[note].eq(pending).any()
