"""Privacy across the pipeline (issue 6).

- the validator refuses raw files carrying direct identifiers (identifier columns; e-mails and
  phone numbers in any cell, testimonies and ids included), naming them without showing them;
- quotes appear only with consent, scrubbed of ids, names, e-mails and phone numbers;
- a testimony without consent carrying a participant id and an e-mail makes the run fail:
  first line, the validator (no report, the old one kept); second line, the scan of the rendered
  HTML, shown with a careless notebook that prints the raw testimonies (RunError "leak", the
  new HTML is not written, the previous report stays byte-identical);
- every learner of the raw data is accounted for in the participant flow.

Everything is written under a temporary project root (``pipeline.Paths(root)`` or the
FAC_EVAL_* variables), never into the repository's data/processed or reports folders.
"""

from __future__ import annotations

import csv
import html as htmllib
import io
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import remove_exit_answers
from html_tables import table_rows

from fac_eval import report
from fac_eval.analysis import results as analysis
from fac_eval.data import cleaning
from fac_eval.data import io as fio
from fac_eval.data import validation as v
from fac_eval.disclosure import privacy
from fac_eval.run import cli, pipeline

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
EMAIL = "zoe.martin@exemple.fr"
PHONE = "06 12 34 56 78"
OLD_REPORT = "<html><body><p>Rapport précédent, publié.</p></body></html>\n".encode()


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------



def processed_files(root):
    """Files written under a processed root, apart from the run locks (fac_eval.run.outputs)."""
    from fac_eval.run import outputs

    if not root.exists():
        return []
    return [p for p in root.rglob("*") if outputs.LOCK_DIR not in p.relative_to(root).parts]

def make_root(root: Path, sessions=("2022",)) -> Path:
    """A temporary project root: data/raw/<session> copies and the notebooks folder."""
    for s in sessions:
        shutil.copytree(RAW / s, root / "data" / "raw" / s)
    shutil.copytree(REPO / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", ".*"))
    return root


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def edit_cell(path: Path, pid: str, column: str, func) -> int:
    """Apply ``func`` to the cell of ``column`` in the row of ``pid``; its spreadsheet row."""
    rows = read_rows(path)
    j = rows[0].index(column)
    for i, r in enumerate(rows[1:], start=2):
        if r[0] == pid:
            r[j] = func(r[j])
            write_rows(path, rows)
            return i
    raise AssertionError(pid)


def plant_in_testimony(session_dir: Path, pid: str, text: str) -> int:
    """Append ``text`` to ``pid``'s testimony (which must have no consent); its row."""
    rows = read_rows(session_dir / "testimonies.csv")
    consent = {r[0]: r[4] for r in rows[1:]}
    assert consent[pid] == "no", "the planted testimony must be one without consent"
    return edit_cell(session_dir / "testimonies.csv", pid, "text", lambda t: f"{t} {text}")


def old_report(paths: pipeline.Paths, session: str = "2022") -> Path:
    out = paths.reports / session / f"rapport_{session}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(OLD_REPORT)
    return out


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def careless_notebook(path: Path) -> Path:
    """A report notebook with a (bad) annex printing the raw testimonies as typed, consent or
    not: what the post-render scan is there to catch."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'session: str = "2022"\nlang: str = "fr"\nraw_dir: str = "../data/raw"\n'
        "alpha: float = 0.05\nmin_cell: int = 3\n")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell(
            "import pandas as pd\n"
            'pd.set_option("display.max_colwidth", None)\n'
            'raw = pd.read_csv(f"{raw_dir}/{session}/testimonies.csv", dtype=str)\n'
            'raw[["participant_id", "text", "consent_quote"]]'),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, str(path))
    return path


# --------------------------------------------------------------------------------------------
# 1. The validator refuses direct identifiers, naming them without showing them
# --------------------------------------------------------------------------------------------


@pytest.fixture
def session(tmp_path) -> Path:
    out = tmp_path / "2022"
    shutil.copytree(RAW / "2022", out)
    return out


def test_real_sessions_have_no_direct_identifier():
    """Ordinary values are not taken for phone numbers: revenues (45200, 38500), dates,
    codes, scores, ids (A01, L000001)."""
    for s in ("2022", "synth-2024"):
        assert v.validate_session(RAW / s) == []


@pytest.mark.parametrize("header, what_fr, what_en", [
    ("Nom", "colonne de noms ou prénoms", "column of names"),
    ("Prénom", "colonne de noms ou prénoms", "column of names"),
    ("E-mail", "colonne d'adresses e-mail", "column of e-mail addresses"),
    ("Téléphone", "colonne de numéros de téléphone", "column of phone numbers"),
    ("Adresse", "colonne d'adresses postales", "column of postal addresses"),
    ("Date de naissance", "colonne de dates de naissance", "column of birth dates"),
])
def test_identifier_column_is_named_and_its_values_not_shown(session, header, what_fr, what_en):
    path = session / "learners_profile.csv"
    rows = read_rows(path)
    values = ["Dupont", "Zoé", EMAIL, PHONE, "12 rue des Lilas 01500 Ambérieu", "1979-05-04"]
    rows[0].append(header)
    for r, val in zip(rows[1:], values * 2):
        r.append(val)
    write_rows(path, rows)
    problems = v.validate_session(session)
    assert [(p.file, p.row, p.column, p.value, p.kind) for p in problems] == [
        ("learners_profile.csv", 1, header, None, "direct_identifier")]
    fr, en = problems[0].message("fr"), problems[0].message("en")
    assert fr == (f"learners_profile.csv, ligne 1, colonne « {header} » : donnée directement "
                  f"identifiante ({what_fr} ; valeurs non affichées) — attendu : pas de donnée "
                  "directement identifiante : pseudonymisez le fichier avec `fac-eval pseudonymise`")
    assert en == (f'learners_profile.csv, row 1, column "{header}": directly identifying data '
                  f"({what_en}; values not shown) — expected: no directly identifying data: "
                  "pseudonymise the file with `fac-eval pseudonymise`")
    assert "unknown_column" not in {p.kind for p in problems}  # not also an unknown column
    for val in values:
        assert val not in fr + en


def test_email_and_phone_in_any_cell_are_named_and_masked(session):
    rows = {
        # free text of a testimony (without consent), with an id too: the e-mail is refused
        "text": plant_in_testimony(session, "A04", f"Écrivez-moi : {EMAIL}, c'est A04."),
        # a phone number typed in the id column and in a code column
        "pid": edit_cell(session / "learners_entry.csv", "A03", "learner_id",
                         lambda _: "06.11.22.33.44"),
        "code": edit_cell(session / "learners_profile.csv", "A02", "education_level",
                          lambda _: "+33 6 12 34 56 78"),
        # an e-mail in a number column
        "revenue": edit_cell(session / "founders_exit.csv", "P03", "annual_revenue",
                             lambda _: "p03@entreprise.fr"),
        # a free-text column of the founders' profile with an e-mail and a phone number
        "sector": edit_cell(session / "founders_profile.csv", "P01", "sector",
                            lambda t: f"{t} — contact {EMAIL} / {PHONE}"),
    }
    problems = v.validate_session(session)
    ident = [(p.file, p.row, p.column, p.note_en)
             for p in problems if p.kind == "direct_identifier"]
    assert ident == [
        ("learners_profile.csv", rows["code"], "education_level", "phone number, value masked"),
        ("learners_entry.csv", rows["pid"], "learner_id", "phone number, value masked"),
        ("founders_profile.csv", rows["sector"], "sector",
         "e-mail address and phone number, value masked"),
        ("founders_exit.csv", rows["revenue"], "annual_revenue", "e-mail address, value masked"),
        ("testimonies.csv", rows["text"], "text", "e-mail address, value masked"),
    ]
    # the value is shown masked: its shape, none of its letters or digits
    for p in problems:
        if p.kind == "direct_identifier" and p.value is not None:
            for part in p.value.split(" ; "):  # the first sign of each finding at most
                assert sum(ch.isalnum() for ch in part) <= 1, p.value
    ident = [(f, r, c, None, n) for f, r, c, n in ident]
    # the cells reported as identifiers are not reported again as invalid values quoting them
    cells = {(f, r, c) for f, r, c, _, _ in ident}
    assert not [p for p in problems if p.kind != "direct_identifier"
                and (p.file, p.row, p.column) in cells]
    text = v.format_problems(problems) + "\n" + v.format_problems(problems, "en")
    for secret in (EMAIL, "p03@entreprise.fr", PHONE, "06.11.22.33.44", "+33 6 12 34 56 78"):
        assert secret not in text
    assert "testimonies.csv, ligne 5, colonne « text » : donnée directement identifiante " \
           "(adresse e-mail, valeur masquée)" in text
    assert "— attendu : pas de donnée directement identifiante dans le texte : modifiez le " \
           "texte pour la retirer" in text  # not: pseudonymise
    assert "learners_entry.csv, row 4, column \"learner_id\": directly identifying data " \
           "(phone number, value masked)" in text
    # an id replaced by a phone number is also unknown to the profile: reported, but masked
    unknown = [p for p in problems if p.kind == "unknown_id"]
    assert all(p.value is None or "06.11" not in p.value for p in unknown)


def test_other_messages_never_quote_an_email(session):
    """A header that is an e-mail (a file whose header row is missing) and a cell without
    header holding an e-mail: reported, masked."""
    path = session / "founders_entry.csv"
    rows = read_rows(path)
    rows[0][-1] = "p04@entreprise.fr"
    rows[2].append("contact : p02@entreprise.fr")
    write_rows(path, rows)
    problems = v.validate_session(session)
    text = v.format_problems(problems) + v.format_problems(problems, "en")
    assert "entreprise.fr" not in text
    kinds = {(p.row, p.kind) for p in problems if p.file == "founders_entry.csv"}
    assert (1, "direct_identifier") in kinds and (3, "direct_identifier") in kinds


def test_read_table_refuses_identifiers_too(session):
    edit_cell(session / "learners_profile.csv", "A01", "dropout_reason", lambda _: EMAIL)
    with pytest.raises(v.ValidationError) as err:
        fio.read_table(session / "learners_profile.csv", "learners_profile")
    assert [p.kind for p in err.value.problems] == ["direct_identifier"]
    assert EMAIL not in str(err.value)


@pytest.mark.parametrize("value", [
    "45200", "38 500", "12 500,50 €", "2022-03-14", "14/03/2022", "0", "3", "88 %", "A01",
    "L000001", "P01", "123456789", "2022", "1979", "cap_bep", "46-55",
])
def test_ordinary_values_are_not_identifiers(value):
    for whole in (True, False):
        assert privacy.contact_kinds(value, whole=whole) == []


@pytest.mark.parametrize("value, kinds", [
    ("0612345678", ["phone"]), ("06 12 34 56 78", ["phone"]), ("+33 6 12 34 56 78", ["phone"]),
    ("0033612345678", ["phone"]), ("zoe@exemple.fr", ["email"]),
])
def test_contact_values(value, kinds):
    assert privacy.contact_kinds(value, whole=True) == kinds
    assert privacy.contact_kinds(f"joindre au {value} svp", whole=False) == kinds
    assert privacy.contact_kinds(f"joindre au {value} svp", whole=True) == []


# --------------------------------------------------------------------------------------------
# 2. Quotes: only with consent, scrubbed
# --------------------------------------------------------------------------------------------


def test_quotes_only_with_consent_and_scrubbed(session):
    edit_cell(session / "testimonies.csv", "A01", "text",
              lambda t: t + " Merci à A02 et à Zoé, on se revoit avec P03.")
    plant_in_testimony(session, "A04", "NON-CONSENTI A04 A05.")
    results = analysis.compute_session(session)
    results.extra["names"] = ["Zoé"]  # names present in the raw data (none once pseudonymised)
    # e-mails and phone numbers are refused by the validator; scrubbing is the second line:
    T = results.clean.testimonies
    a03 = T.index[T["participant_id"] == "A03"][0]
    T.loc[a03, "text"] = T.loc[a03, "text"] + f" Mon mail {EMAIL}, tél. {PHONE}."
    for lang, id_ph, name_ph, mail_ph, tel_ph in (
            ("fr", "[identifiant masqué]", "[nom masqué]", "[courriel masqué]",
             "[téléphone masqué]"),
            ("en", "[id removed]", "[name removed]", "[email removed]", "[phone number removed]")):
        rep = report.Report(results, lang=lang)
        quotes = [q for q, _ in rep.quotes()]
        consented = int(T["consent_quote"].astype(bool).sum())
        assert len(quotes) == consented < len(T)
        assert not any("NON-CONSENTI" in q for q in quotes)
        a01 = next(q for q in quotes if "on se revoit" in q)
        assert a01.endswith(f"Merci à {id_ph} et à {name_ph}, on se revoit avec {id_ph}.")
        a03q = next(q for q in quotes if "Mon mail" in q)
        assert a03q.endswith(f"Mon mail {mail_ph}, tél. {tel_ph}.")
        html = rep.testimonies().data
        assert "NON-CONSENTI" not in html
        assert privacy.find_leaks(html, results.participant_ids, results.names) == []


# --------------------------------------------------------------------------------------------
# 3. A testimony without consent carrying an id and an e-mail: the run fails
# --------------------------------------------------------------------------------------------


def test_run_fails_on_an_email_planted_in_a_testimony_first_line_validator(
        tmp_path, monkeypatch, capsys):
    """First line: the validator refuses the e-mail (naming file, row, column and what was
    found), exit 1, nothing processed, no new report, the old one kept byte-identical."""
    root = make_root(tmp_path / "proj")
    paths = pipeline.Paths(root)
    row = plant_in_testimony(paths.raw / "2022", "A04", f"Mon identifiant A04, mon mail {EMAIL}.")
    old = old_report(paths)
    before = tree(paths.reports)

    with pytest.raises(pipeline.RunError) as err:
        pipeline.run_session("2022", paths=paths)
    assert err.value.kind == "invalid"
    msg = str(err.value)
    assert (f"testimonies.csv, ligne {row}, colonne « text » : donnée directement identifiante "
            "(adresse e-mail, valeur masquée)") in msg
    assert "fac-eval pseudonymise" in msg and EMAIL not in msg

    # the same through the command line, in French and in English
    monkeypatch.setenv("FAC_EVAL_RAW", str(paths.raw))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(paths.processed))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(paths.reports))
    assert cli.main(["run", "2022"]) == 1
    out = capsys.readouterr()
    assert "donnée directement identifiante (adresse e-mail, valeur masquée)" in out.err
    assert f"Le rapport précédent est inchangé : {old}" in out.err
    assert EMAIL not in out.err + out.out and "Traceback" not in out.err
    assert cli.main(["run", "2022", "--lang", "en"]) == 1
    out = capsys.readouterr()
    assert (f'testimonies.csv, row {row}, column "text": directly identifying data '
            "(e-mail address, value masked)") in out.err
    assert "The previous report is left untouched" in out.err
    assert cli.main(["validate", "2022"]) == 1
    assert "donnée directement identifiante" in capsys.readouterr().err

    assert old.read_bytes() == OLD_REPORT and tree(paths.reports) == before
    assert not processed_files(paths.processed)


def test_run_fails_on_an_id_and_email_reaching_the_html_second_line_scan(tmp_path, monkeypatch):
    """Second line: should the validator let an e-mail through (simulated here) and a section
    print raw text (a careless notebook printing the raw testimonies), the scan of the rendered
    HTML fails the run naming the leaked id and e-mail; the new HTML is not written and the
    previous report stays byte-identical."""
    root = make_root(tmp_path / "proj")
    paths = pipeline.Paths(root)
    plant_in_testimony(paths.raw / "2022", "A04", f"Mon identifiant A04, mon mail {EMAIL}.")
    notebook = careless_notebook(root / "notebooks" / "annexe_brute.ipynb")
    old = old_report(paths)
    before = tree(paths.reports)
    monkeypatch.setattr(v, "identifier_problems", lambda *a, **k: [])  # first line down

    with pytest.raises(pipeline.RunError) as err:
        pipeline.run_session("2022", paths=paths, notebook=notebook, timeout=120)
    assert err.value.kind == "leak"
    msg = str(err.value)
    assert msg.startswith("Données personnelles trouvées dans le rapport")
    # named, and masked in the message itself
    assert "courriel « z••.••••••@•••••••.•• »" in msg and EMAIL not in msg
    assert "identifiant de participant « A•• »" in msg
    assert "Le rapport n'est pas publié" in msg
    # nothing new in reports/: no HTML, no export, no temporary folder left behind
    assert old.read_bytes() == OLD_REPORT and tree(paths.reports) == before


def test_post_render_scan_catches_an_id_in_english(tmp_path, monkeypatch, capsys):
    """Without any help from the validator (ids are allowed in raw data), an id printed by a
    section fails the run; through the command line, in English."""
    root = make_root(tmp_path / "proj")
    paths = pipeline.Paths(root)
    plant_in_testimony(paths.raw / "2022", "A04", "Je suis A04.")
    notebook = careless_notebook(tmp_path / "annexe.ipynb")
    old = old_report(paths)
    before = tree(paths.reports)
    monkeypatch.setenv("FAC_EVAL_RAW", str(paths.raw))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(paths.processed))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(paths.reports))
    assert cli.main(["run", "2022", "--lang", "en", "--notebook", str(notebook),
                     "--timeout", "120"]) == 1
    err = capsys.readouterr().err
    assert "Personal data found in the report" in err and "participant id 'A••'" in err
    assert "The previous report is left untouched" in err and "Traceback" not in err
    assert old.read_bytes() == OLD_REPORT and tree(paths.reports) == before


# --------------------------------------------------------------------------------------------
# 4. Every learner of the raw data is accounted for
# --------------------------------------------------------------------------------------------


REASONS_FR = {
    "": "Entrée et sortie renseignées (analysés)",
    "dropped_out": "Abandon en cours de parcours",
    "no_entry_questionnaire": "Pas de questionnaire d'entrée",
    "no_exit_questionnaire": "Pas de questionnaire de sortie",
}


def _modified_2022(tmp_path) -> Path:
    """2022 with A05 without exit questionnaire and A06 dropped out (no exit questionnaire)."""
    s = tmp_path / "2022"
    shutil.copytree(RAW / "2022", s)
    rows = read_rows(s / "learners_exit.csv")
    write_rows(s / "learners_exit.csv", [r for r in rows if r[0] not in ("A05", "A06")])
    edit_cell(s / "learners_profile.csv", "A06", "status", lambda _: "dropped_out")
    remove_exit_answers(s, ("A06",))  # nor an exit testimony
    edit_cell(s / "learners_profile.csv", "A06", "dropout_reason", lambda _: "health")
    return s


def _html_rows(html: str) -> list[list[str]]:
    return table_rows(html, plain_spaces=False)


@pytest.mark.parametrize("which, expected", [
    ("synth-2024", {"": 12, "no_entry_questionnaire": 1, "dropped_out": 1}),
    ("2022-modified", {"": 6, "no_exit_questionnaire": 1, "dropped_out": 1}),
])
def test_participant_flow_adds_up_to_the_rows_read(tmp_path, which, expected):
    session_dir = RAW / which if which != "2022-modified" else _modified_2022(tmp_path)
    results = analysis.compute_session(session_dir)
    n_rows = fio.read_raw_table(session_dir / "learners_profile.csv").shape[0]
    flow = results.clean.learner_flow
    # the same table from the typed files, by the public function
    t = results.data.tables
    again = cleaning.learner_flow(t["learners_profile"], t["learners_entry"], t["learners_exit"],
                                  t.get("followup"))
    pd.testing.assert_frame_equal(flow.reset_index(drop=True), again.reset_index(drop=True))

    # one row per learner read, each either analysed or excluded with a reason
    assert len(flow) == n_rows == flow["learner_id"].nunique()
    assert flow["exclusion"].value_counts().to_dict() == expected
    assert sum(expected.values()) == n_rows
    assert (flow.loc[~flow["paired"], "exclusion"] != "").all()
    assert (flow.loc[flow["paired"], "exclusion"] == "").all()
    assert set(flow["exclusion"]) <= set(REASONS_FR)
    dropped = flow[flow["exclusion"] == "dropped_out"]
    assert (dropped["status"] == "dropped_out").all() and dropped["dropout_reason"].notna().all()

    # the report's table: a row per reason found, and the total of the learners read. Whether
    # participation counts below the small-cell threshold are shown or "< 3" is the report's
    # choice: both are accepted; the total is always shown.
    html = report.Report(results).exclusions_table()
    first, _, rest = html.partition("</table>")
    rows = _html_rows(first)
    body = {r[0]: r[1] for r in rows[1:]}
    assert body.pop("Total des apprenants inscrits") == str(n_rows)
    assert set(body) == {REASONS_FR[k] for k in expected}
    for code, n in expected.items():
        cell = body[REASONS_FR[code]]
        assert cell == str(n) or (n < 3 and cell == "< 3"), (code, cell)
        if cell == "< 3":
            note = htmllib.unescape(rest.partition("<table")[0])  # the first table's note
            assert "table-note" in note and "< 3" in note  # explained
    visible = sum(int(c) for c in body.values() if c.isdigit())
    assert visible <= n_rows
    if all(c.isdigit() for c in body.values()):
        assert visible == n_rows
    # the reasons for dropping out, when given, add up to the drop-outs
    n_dropped = int((flow["status"] == "dropped_out").sum())
    if "Total des abandons" in rest:
        totals = dict(r for r in _html_rows(rest) if len(r) == 2)
        assert totals["Total des abandons"] == str(n_dropped)
    en_rows = _html_rows(report.Report(results, lang="en").exclusions_table()
                         .partition("</table>")[0])
    assert en_rows[-1] == ["Total enrolled learners", str(n_rows)]
