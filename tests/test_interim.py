"""An interim session: the exit questionnaires are not collected yet (empty or absent files).

The fixture copies synth-2024 into a temporary raw root and empties its exit files (the learners'
one to its header row, the founders' one to zero bytes) and removes the follow-up: the report is
an interim report that says so, shows the profile, the entry baseline and the participant flow,
names what is pending and when, and publishes nothing personal."""

from __future__ import annotations

import html as htmlmod
import re
import shutil

import pandas as pd
import pytest
from conftest import REPO, make_project

from fac_eval.analysis import results as analysis
from fac_eval.data import interim, validation
from fac_eval.disclosure import gate
from fac_eval.run import compare_run
from fac_eval.run.pipeline import Paths, run_session

NBSP = "\u00a0"


def _interim_session(root, name="interim-2024", absent=False):
    """synth-2024 with its exit questionnaires not collected (header only / zero bytes, or
    absent files) and no follow-up file."""
    make_project(root, sessions=())
    folder = root / "data" / "raw" / name
    shutil.copytree(REPO / "data" / "raw" / "synth-2024", folder)
    if absent:
        (folder / "learners_exit.csv").unlink()
        (folder / "founders_exit.csv").unlink()
    else:
        header = (folder / "learners_exit.csv").read_text(encoding="utf-8").splitlines()[0]
        (folder / "learners_exit.csv").write_text(header + "\n", encoding="utf-8")
        (folder / "founders_exit.csv").write_bytes(b"")
    (folder / "followup.csv").unlink()
    return folder


def visible_text(html: str) -> str:
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(htmlmod.unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize("absent", [False, True])
def test_empty_or_absent_exit_files_are_a_declared_pending_state(tmp_path, absent):
    folder = _interim_session(tmp_path, absent=absent)
    data, problems = validation.check_session(folder)
    assert problems == []
    assert data.pending == ("learners_exit", "founders_exit") and data.interim
    assert len(data.tables["learners_exit"]) == 0 and len(data.tables["founders_exit"]) == 0
    line = validation.summary_line(folder)
    assert "Rapport intermédiaire" in line and "questionnaire de sortie des apprenants" in line
    assert "Interim report" in validation.summary_line(folder, lang="en")


def test_a_complete_session_is_not_interim():
    data, problems = validation.check_session(REPO / "data" / "raw" / "synth-2024")
    assert problems == [] and data.pending == () and not data.interim


@pytest.mark.parametrize("content", [b"", b"learner_id,response_date,confidence\n"])
def test_an_empty_entry_file_is_still_refused_with_a_clear_message(tmp_path, content):
    folder = _interim_session(tmp_path)
    (folder / "learners_entry.csv").write_bytes(content)
    problems = validation.validate_session(folder)
    empty = [p for p in problems if p.kind == "empty_file"]
    assert [p.file for p in empty] == ["learners_entry.csv"]
    fr = validation.format_problems(empty)
    en = validation.format_problems(empty, lang="en")
    assert "learners_entry.csv" in fr and "fichier vide" in fr and "une ligne par participant" in fr
    assert "questionnaires de sortie" in fr  # says which files may be left empty
    assert "one row per participant" in en


def test_indicators_that_need_the_exit_are_pending_not_zero(tmp_path):
    folder = _interim_session(tmp_path)
    res = analysis.compute_session(folder)
    ind = res.indicators.set_index("indicator")
    assert res.interim
    for i in ("learners.self_esteem.improved", "learners.value_skills.agree",
              "founders.developed", "founders.management.improved", "followup.sortie_dynamique"):
        assert ind.loc[i, "verdict"] == "pending", i
        assert pd.isna(ind.loc[i, "numerator"]) and pd.isna(ind.loc[i, "denominator"]), i
    assert "questionnaire de sortie des apprenants" in ind.loc["learners.confidence.improved", "note"]
    assert "5 juillet 2024" in ind.loc["learners.confidence.improved", "note"]
    # what needs no exit wave is computed: profile counted against the raw file
    profile = pd.read_csv(folder / "learners_profile.csv", dtype=str)
    assert ind.loc["learners.enrolled", "numerator"] == len(profile) == 14
    # the session is not over: "completed" is only the profile's status so far, never published
    assert ind.loc["learners.completed", "verdict"] == "pending"
    assert pd.isna(ind.loc["learners.completed", "numerator"])
    assert "questionnaire de sortie des apprenants" in ind.loc["learners.completed", "note"]
    assert ind.loc["founders.enrolled", "numerator"] == 5
    # every learner of the raw data is accounted for, none as "no exit questionnaire"
    flow = res.clean.learner_flow
    assert sorted(flow["learner_id"]) == sorted(profile["learner_id"])
    assert set(flow["exclusion"]) <= {"dropped_out", "no_entry_questionnaire", "exit_pending"}
    assert (flow["exclusion"] == "exit_pending").sum() == 12


def test_pending_schedule_names_each_questionnaire_and_its_date():
    import datetime as dt

    meta = {"end_date": dt.date(2024, 7, 5), "followup_months": 3}
    assert interim.pending_schedule(("learners_exit", "founders_exit"), meta) == [
        ("learners_exit", dt.date(2024, 7, 5)), ("founders_exit", dt.date(2024, 7, 5)),
        ("followup", dt.date(2024, 10, 5))]
    assert interim.add_months(dt.date(2024, 11, 30), 3) == dt.date(2025, 2, 28)
    assert interim.pending_schedule((), meta) == []


#: A published assessment of the interim session: one figure known at entry (it agrees), two
#: that need the exit questionnaires (pending, not "not agreeing").
INTERIM_CLAIMS = """source: "Bilan intermédiaire (fictif)"
claims:
  - id: enrolled
    text: "14 apprenants inscrits"
    indicator: learners.enrolled
    count: 14
  - id: self_esteem
    text: "88 % ont gagné en estime de soi"
    indicator: learners.self_esteem.improved
    percent: 88
  - id: developed
    text: "Tous les porteurs de projet ont développé leur activité"
    indicator: founders.developed
    all: true
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = tmp_path_factory.mktemp("interim")
    folder = _interim_session(root)
    (folder / "claims.yml").write_text(INTERIM_CLAIMS, encoding="utf-8")
    result = run_session("interim-2024", lang="fr", paths=Paths(root))
    return root, folder, result


def test_claims_on_figures_not_collected_yet_are_pending_not_disagreeing(rendered):
    """claims.yml on an interim session: a claim whose indicator needs the exit questionnaires
    is pending (neither agreeing nor not agreeing); the agreement count is over the claims that
    can be checked; `fac-eval claims` says so and does not fail on them."""
    import os
    import subprocess
    import sys

    root, folder, result = rendered
    checked = analysis.compute_session(folder).claims.set_index("id")
    assert checked["pending"].to_dict() == {"enrolled": False, "self_esteem": True,
                                            "developed": True}
    assert checked["matches"].to_dict() == {"enrolled": True, "self_esteem": False,
                                            "developed": False}
    assert checked.loc["self_esteem", "computed"] == "pas encore collecté"
    html = result.html.read_text(encoding="utf-8")
    section = html[html.index('id="concordance"'):html.index('id="methodes"')]
    text = visible_text(section)
    assert "ne concorde pas" not in text and "✗" not in text
    assert "données : 1 sur 1 (100 %) concordent." in text.replace(NBSP, " ").replace("\u202f", " ")
    assert "2 affirmations sont en attente" in text
    rows = {r[0]: r[1:] for r in (
        [visible_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        for row in re.findall(r"<tr.*?</tr>", section, flags=re.S)[1:])}
    assert rows["88 % ont gagné en estime de soi"][1:] == [
        "pas encore collecté", "en attente (pas encore collecté)"]
    assert rows["14 apprenants inscrits"][2].startswith("✓")
    env = dict(os.environ, FAC_EVAL_RAW=str(root / "data" / "raw"),
               FAC_EVAL_PROCESSED=str(root / "data" / "processed"),
               FAC_EVAL_REPORTS=str(root / "reports"),
               PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-m", "fac_eval.run.cli", "claims", "interim-2024"],
                          env=env, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    out = " ".join(done.stdout.split())
    assert out.count("[EN ATTENTE]") == 2 and "[ÉCART]" not in out
    assert "1/1 affirmations concordent." in out and "2 en attente" in out


def test_the_interim_report_renders_and_says_it_is_interim(rendered):
    root, folder, result = rendered
    assert result.ok and result.interim
    html = result.html.read_text(encoding="utf-8")
    text = visible_text(html)
    assert result.html.name == "rapport_interim-2024.html"
    assert "Rapport intermédiaire" in text and "Rapport d'évaluation" not in text
    assert "<title>Rapport intermédiaire de la session interim-2024 — Form'Ain Cube</title>" in html
    # what is pending and when (session.yml end_date, followup_months and followup_plan)
    assert "Les questionnaires de sortie ne sont pas encore collectés" in text
    # the report is read in 2026, long after the session ended (5 July 2024): overdue
    assert "le questionnaire de sortie des apprenants, attendu depuis le 5 juillet 2024 (en retard)" \
        in text
    assert "(en retard) ; le questionnaire de sortie des porteurs de projet" in \
        text.replace("\u202f", " ")
    assert "le suivi à 3 mois, attendu depuis le 5 octobre 2024 (en retard)" in text
    assert "Suivi fictif à 3 mois après la fin de la session." in text  # the followup_plan
    # profile, entry baseline and flow are shown; outcomes are not, and never as zero
    assert "Profil des apprenants à l'entrée" in text
    assert "Situation des apprenants à l'entrée" in text
    assert "Situation des porteurs de projet à l'entrée" in text
    assert "Parcours des apprenants, de l'inscription au suivi" in text
    assert "Questionnaire de sortie pas encore collecté" in text
    assert "0 sur 0" not in text and "p ajustée (Holm)" not in text  # no tests table
    assert "13 sur 14" in text  # 13 learners answered the entry questionnaire


def test_every_participant_of_the_raw_data_is_accounted_for(rendered):
    _, folder, result = rendered
    html = result.html.read_text(encoding="utf-8")
    table = next(t for t in re.findall(r"<table.*?</table>", html, flags=re.S)
                 if "Total des apprenants inscrits" in t)
    rows = [[visible_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, flags=re.S)]
            for r in re.findall(r"<tr.*?</tr>", table, flags=re.S)][1:]
    counts = {label: int(n) for label, n in rows}
    total = counts.pop("Total des apprenants inscrits")
    profile = pd.read_csv(folder / "learners_profile.csv", dtype=str)
    assert total == sum(counts.values()) == len(profile)
    assert counts["Questionnaire de sortie pas encore collecté"] == 12


def test_the_interim_report_passes_the_gate(rendered):
    root, folder, result = rendered
    res = analysis.compute_session(folder)
    out = root / "reports" / "interim-2024"
    assert sorted(p.name for p in out.iterdir()) == ["indicateurs_interim-2024.xlsx",
                                                     "rapport_interim-2024.html"]
    assert len(gate.gate_folder(out, res.participant_ids, res.names)) == 2
    assert not re.search(r"\b[AP]\d{2,6}\b", result.html.read_text(encoding="utf-8"))  # no participant id


def test_a_comparison_with_an_interim_session_leaves_its_pending_figures_out(tmp_path):
    """synth-2024 compared with an interim copy of itself: every pooled figure equals
    synth-2024's own (the interim session's pending figures are never zeros in the pooled k
    and n, nor pairs in the stratified test); the report says the session is interim, counts
    its participants in the sessions' table, and shows its figures as pending."""
    from fac_eval.analysis import comparison as compare

    _interim_session(tmp_path)
    shutil.copytree(REPO / "data" / "raw" / "synth-2024", tmp_path / "data" / "raw" / "synth-2024")
    raw = tmp_path / "data" / "raw"
    comp = compare.compare_sessions([raw / "synth-2024", raw / "interim-2024"])
    assert comp.interim == ["interim-2024"]
    alone = analysis.compute_session(raw / "synth-2024").indicators.set_index("indicator")
    pooled = comp.pooled.set_index("indicator")
    for ind in compare.POOLED_INDICATORS:
        assert pooled.at[ind, "sessions"] == "synth-2024", ind
        assert pooled.at[ind, "pending_sessions"] == "interim-2024", ind
        assert (pooled.at[ind, "numerator"], pooled.at[ind, "denominator"]) == (
            alone.at[ind, "numerator"], alone.at[ind, "denominator"]), ind
    pairs = analysis.compute_session(raw / "synth-2024").clean.learner_flow
    assert comp.tests["self_esteem"].n == (pairs["exclusion"] == "").sum() == 12

    result = compare_run.run_comparison_report(["synth-2024", "interim-2024"], paths=Paths(tmp_path))
    text = visible_text(result.html.read_text(encoding="utf-8")).replace("\u202f", " ")
    assert "Session intermédiaire : interim-2024. Ses questionnaires de sortie ne sont pas " \
        "encore collectés" in text
    # its participants are counted in the flow: 14 enrolled learners, 5 founders; its
    # follow-up in its own report's word
    assert "interim-2024 (intermédiaire) mars 2024 – juil. 2024 Données synthétiques 14 " \
        "en attente 5 en attente de collecte" in text
    # the synthèse counts only the people whose answers the results are
    assert ("déclarés par 13 apprenants ayant répondu au questionnaire de sortie (dont 12 aux "
            "questionnaires d'entrée et de sortie) et 5 porteurs de projet ayant "
            "répondu au questionnaire de sortie, sur 1 session (synth-2024)") in text
    assert "Questionnaires de sortie pas encore collectés pour : interim-2024." in text
    assert "exclue, encore en attente : interim-2024 (intermédiaire)" in text
    assert "Estime de soi en progrès en attente 8 sur 12 (67 %)" in text.replace(NBSP, " ")
    assert "0 sur 0" not in text and "non mesuré" not in text


def _synthesis(html: str) -> str:
    return re.search(r'<section[^>]*class="fac-synthesis"[^>]*>.*?</section>', html,
                     flags=re.S).group(0)


def test_the_interim_synthesis_gives_the_profile_and_what_is_pending(rendered):
    """No result exists yet: the synthèse has no "main findings" heading and no sentence about
    declared results; it gives who entered and the flow so far (the counts of the raw files),
    then what is pending and when, with the follow-up plan."""
    _, folder, result = rendered
    html = _synthesis(result.html.read_text(encoding="utf-8"))
    text = visible_text(html).replace("\u202f", " ").replace(NBSP, " ")
    headings = [visible_text(h) for h in re.findall(r"<h3>(.*?)</h3>", html, flags=re.S)]
    assert headings == ["Ce que l'on sait déjà", "Ce qui est en attente", "Conclusions et suites"]
    assert "Principaux résultats" not in text and "Ces résultats sont déclarés" not in text
    # every heading is followed by content, not by the next heading
    assert not re.search(r"</h3>\s*<h3>", html) and not html.rstrip().endswith("</h3>")
    profile = pd.read_csv(folder / "learners_profile.csv", dtype=str)
    entry = pd.read_csv(folder / "learners_entry.csv", dtype=str)
    founders = pd.read_csv(folder / "founders_profile.csv", dtype=str)
    n, k = len(profile), entry["learner_id"].isin(profile["learner_id"]).sum()
    assert (n, len(founders)) == (14, 5)
    assert f"{n} apprenants et {len(founders)} porteurs de projet sont entrés dans le programme." in text
    assert f"Questionnaire d'entrée des apprenants rempli : {k} sur {n}" in text
    # the session ended long ago but its exit is missing: who had left (the profile's
    # drop-outs), never completions, never "not over" (read in 2026)
    left = (profile["status"] == "dropped_out").sum()
    assert ("La session s'est terminée le 5 juillet 2024, mais son questionnaire de sortie des "
            f"apprenants n'est pas dans ces données : {left} apprenant sur {n} avait quitté le "
            "parcours à cette date, d'après le profil.") in text
    assert "terminé le parcours" not in text
    assert ("Pas encore collecté : le questionnaire de sortie des apprenants, attendu depuis le "
            "5 juillet 2024 (en retard) ; le questionnaire de sortie des porteurs de projet, "
            "attendu depuis le 5 juillet 2024 (en retard) ; le suivi à 3 mois, attendu depuis le "
            "5 octobre 2024 (en retard).") in text
    assert "Aucun résultat sur ce qui a changé n'est donné avant la saisie de ces réponses." in text
    assert "Suivi fictif à 3 mois après la fin de la session." in text
    assert "Les données sont fictives" in text
    assert "section 11" in text  # the pointer to the evaluator's conclusions


def test_the_interim_synthesis_in_english(tmp_path):
    """The same synthèse from the English catalog (no French left in the generated sentences)."""
    import datetime as dt

    from fac_eval.report.session import Report
    from fac_eval.report.synthesis_words import SYNTHESIS_MAX_WORDS, count_words

    folder = _interim_session(tmp_path)
    res = analysis.compute_session(folder, as_of=dt.date(2024, 6, 1))  # during the session
    for lang, heading, pending in (
            ("en", "What we know so far", "Not collected yet: the learners' exit questionnaire, "
             "expected from 5 July 2024; the founders' exit questionnaire"),
            ("fr", "Ce que l'on sait déjà", "Pas encore collecté : le questionnaire de sortie")):
        html = Report(res, lang=lang).synthesis().data
        text = visible_text(html).replace("\u202f", " ").replace(NBSP, " ")
        assert heading in text and pending in text, text
        assert count_words(html) <= SYNTHESIS_MAX_WORDS
    text = visible_text(Report(res, lang="en").synthesis().data)
    assert "14 learners and 5 founders entered the programme." in text
    assert "Main findings" not in text and "self-reported by" not in text
    assert "entrés" not in text and "sur 14" not in text


def test_a_complete_synthesis_keeps_its_findings():
    """The complete session's synthèse is unchanged: findings first, no pending heading."""
    from fac_eval.report.session import Report

    res = analysis.compute_session(REPO / "data" / "raw" / "synth-2024")
    text = visible_text(Report(res, lang="fr").synthesis().data)
    assert "Principaux résultats" in text and "Ces résultats sont déclarés" in text
    assert "Ce qui est en attente" not in text and "Ce que l'on sait déjà" not in text


# ---- a follow-up file while the learners' exit questionnaire is pending (#13 F3) --------------

def _followup_before_exit(root, founders_exit_too: bool):
    """synth-2024 with its learners' exit questionnaire not collected (header only) but its
    follow-up file kept (12 answers); the founders' exit emptied too, or kept."""
    folder = _interim_session(root)
    shutil.copy(REPO / "data" / "raw" / "synth-2024" / "followup.csv", folder / "followup.csv")
    if not founders_exit_too:
        shutil.copy(REPO / "data" / "raw" / "synth-2024" / "founders_exit.csv",
                    folder / "founders_exit.csv")
    return folder


@pytest.mark.parametrize("founders_exit_too", [True, False])
def test_a_followup_before_the_learners_exit_is_pending_everywhere(tmp_path, founders_exit_too):
    """Who completed is not known before the exit questionnaire: the follow-up's answers are
    set aside, every follow-up indicator is pending (no rate, no detail, no cost per dynamic
    exit), and the flow says nobody was followed up."""
    folder = _followup_before_exit(tmp_path, founders_exit_too)
    res = analysis.compute_session(folder)
    assert res.interim and res.clean.followup is None
    assert res.clean.followup_status == "awaiting_exit"
    assert res.followup.code == "pending"  # even when its planned date is past
    assert res.followup.set_aside
    assert "set aside until the learners' exit questionnaire" in res.followup.sentence("en")
    ind = res.indicators
    follow = ind[ind["section"] == "followup"]
    assert len(follow) >= 5 and set(follow["verdict"]) == {"pending"}
    assert follow["numerator"].isna().all() and follow["denominator"].isna().all()
    assert not res.clean.learner_flow["followup_collected"].any()
    # the founders' exit, when it is in, is still computed
    developed = ind.set_index("indicator").loc["founders.developed"]
    assert (developed["verdict"] == "pending") == founders_exit_too


def test_validate_warns_that_the_followup_waits_for_the_learners_exit(tmp_path, main_cli):
    folder = _followup_before_exit(tmp_path, founders_exit_too=False)
    env = {"FAC_EVAL_RAW": str(folder.parent), "FAC_EVAL_PROCESSED": str(tmp_path / "p"),
           "FAC_EVAL_REPORTS": str(tmp_path / "r")}
    code, out, err = main_cli("validate", folder.name, env=env)
    assert code == 0, err
    assert "followup.csv" in err and "suivi avant le questionnaire de sortie" in err
    assert "learners_exit.csv" in err and "réponses au suivi sont mises de côté" in err
    code, out, err = main_cli("--lang", "en", "validate", folder.name, env=env)
    assert "follow-up before the exit questionnaire" in err and "follow-up answers are set aside" in err


def test_the_report_of_a_followup_before_the_exit_publishes_no_followup_figure(tmp_path):
    """The rendered report and indicators.csv: the follow-up is pending, no dynamic-exit rate
    nor cost per dynamic exit is published."""
    folder = _followup_before_exit(tmp_path, founders_exit_too=False)
    result = run_session(folder.name, lang="fr", paths=Paths(tmp_path))
    assert result.ok
    text = visible_text(result.html.read_text(encoding="utf-8"))
    assert "rapport intermédiaire" in text.lower()
    assert not re.search(r"\d+ (?:[\w'’-]+ ){0,4}sur \d+ (?:[\w'’-]+ ){0,6}en sortie dynamique",
                         text), text
    assert "par sortie dynamique" not in text or "en attente" in text
    # entered, set aside: said so, never "pas encore collecté" for the follow-up (#13)
    flat_text = text.replace("\u202f", " ").replace(NBSP, " ")
    assert ("le suivi à 3 mois, saisi mais mis de côté jusqu'à la saisie du questionnaire de "
            "sortie des apprenants") in flat_text
    assert ("Les réponses au suivi à 3 mois sont saisies mais mises de côté jusqu'à la saisie "
            "du questionnaire de sortie des apprenants") in flat_text
    assert "en attente : suivi mis de côté jusqu'au questionnaire de sortie" in flat_text
    assert "Le suivi à 3 mois n'est pas encore collecté" not in flat_text
    assert "suivi à 3 mois, attendu" not in flat_text
    # the flow chart too: its follow-up stage says "saisi, mis de côté", not "non collecté"
    svg_text = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", result.html.read_text("utf-8")))
    flow_alt = re.search(r"Parcours des apprenants[^\"<]*", flat_text)
    assert "saisi, mis de côté" in flat_text, flow_alt
    assert "non collecté" not in flat_text and "non collecté" not in svg_text
    table = pd.read_csv(tmp_path / "data" / "processed" / folder.name / "indicators.csv")
    follow = table[table["indicator"].str.startswith("followup.")]
    assert len(follow) and follow["numerator"].isna().all()
    completed = table[table["indicator"] == "learners.completed"]
    assert len(completed) == 1 and completed["numerator"].isna().all()
    assert (completed["verdict"] == "pending").all()
    # the Excel export: no "Parcours terminé k/n", no follow-up count
    import openpyxl

    workbook = next(p for p in result.outputs if p.suffix == ".xlsx")
    cells = [" ".join(str(c) for c in row if c is not None)
             for ws in openpyxl.load_workbook(workbook, read_only=True).worksheets
             for row in ws.iter_rows(values_only=True)]
    finished = [c for c in cells if c.startswith("learners.completed ")]
    assert len(finished) == 1 and "Parcours terminé" in finished[0], finished
    assert "En attente de collecte" in finished[0]
    assert not re.search(r"\b\d+ ?/ ?\d+\b|\b\d+ sur \d+|\d+\s?%", finished[0].split(
        "Pas encore collecté")[0]), finished


# ---- an interim report long after the session ended says the exit is overdue (#13 F5) --------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_exit_questionnaire_missing_long_after_the_end_is_overdue(tmp_path, lang):
    """interim-2024 ended on 5 July 2024: read in 2026, its exit questionnaires are overdue (the
    notes, the pending list, the programme's sentence), and the session is never "not over";
    read on 1 June 2024, they are expected from 5 July 2024 and the session is not over."""
    import datetime as dt

    from fac_eval import report

    folder = _interim_session(tmp_path)
    late = analysis.compute_session(folder, as_of=dt.date(2026, 3, 1))
    early = analysis.compute_session(folder, as_of=dt.date(2024, 6, 1))
    note = "note" if lang == "fr" else "note_en"
    late_note = late.indicators.set_index("indicator").loc["learners.confidence.improved", note]
    early_note = early.indicators.set_index("indicator").loc["learners.confidence.improved", note]
    if lang == "fr":
        assert "attendu depuis la fin de la session (5 juillet 2024) : en retard" in \
            late_note.replace(NBSP, " ")
        assert "attendu à la fin de la session (5 juillet 2024)" in early_note
    else:
        assert "expected since the end of the session (5 July 2024): overdue" in late_note
        assert "expected at the end of the session (5 July 2024)" in early_note
    late_rep = report.Report(late, lang=lang)
    early_rep = report.Report(early, lang=lang)
    late_items, early_items = " ".join(late_rep.pending_items()), " ".join(early_rep.pending_items())
    if lang == "fr":
        assert "attendu depuis le 5 juillet 2024 (en retard)" in late_items.replace(NBSP, " ")
        assert "en retard" not in early_items and "5 juillet 2024" in early_items
        assert "s'est terminée le 5 juillet 2024" in late_rep.so_far_sentence()
        assert "n'est pas terminée" in early_rep.so_far_sentence()
        assert "n'est pas terminée" not in late_rep.so_far_sentence()
    else:
        assert "expected since 5 July 2024 (overdue)" in late_items
        assert "overdue" not in early_items and "5 July 2024" in early_items
        assert "ended on 5 July 2024" in late_rep.so_far_sentence()
        assert "is not over" in early_rep.so_far_sentence()
        assert "is not over" not in late_rep.so_far_sentence()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_flow_and_the_costs_of_an_ended_interim_session_never_say_not_over(tmp_path, lang):
    """att14 F3 for #13: read after the end, the cost row per learner who completed says the
    exit questionnaire is overdue and the flow's third stage says no drop-out was recorded;
    read during the session, both keep "not over" / "still in the course"."""
    import datetime as dt

    from fac_eval import report

    folder = _interim_session(tmp_path)
    words = {"fr": ("en attente : le questionnaire de sortie des apprenants est en retard",
                    "Pas d'abandon enregistré (questionnaire de sortie manquant)",
                    "la session n'est pas terminée", "Toujours en parcours"),
             "en": ("pending: the learners' exit questionnaire is overdue",
                    "No drop-out recorded (exit questionnaire missing)",
                    "the session is not over", "Still in the course")}[lang]
    late = report.Report(analysis.compute_session(folder, as_of=dt.date(2026, 3, 1)), lang=lang)
    early = report.Report(analysis.compute_session(folder, as_of=dt.date(2024, 6, 1)), lang=lang)
    late_text = htmlmod.unescape(late.costs().data + late.public().data).replace("\u202f", " ").replace("\xa0", " ")
    early_text = htmlmod.unescape(early.costs().data + early.public().data).replace("\u202f", " ").replace("\xa0", " ")
    overdue, recorded, not_over, still = words
    assert overdue in late_text and not_over not in late_text
    assert recorded.lower() in late_text.lower() and still.lower() not in late_text.lower()
    assert not_over in early_text and still.lower() in early_text.lower()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_long_follow_up_plan_gives_way_in_the_interim_synthesis(tmp_path, lang):
    """A follow-up plan of 30 sentences pushed the interim synthèse past 300 words onto a second
    page: it is shortened sentence by sentence (ending with "[…]", the pointer saying where the
    full text is), left out if need be; the generated sentences stay; the Perspectives section
    gives the plan in full (attacker's finding for #13)."""
    import datetime as dt

    import yaml

    from fac_eval.report.session import Report
    from fac_eval.report.synthesis_words import SYNTHESIS_MAX_WORDS, count_words

    folder = _interim_session(tmp_path)
    sentence = {"fr": "Les apprenants seront rappelés par l'équipe pour un point détaillé.",
                "en": "The team will call the learners back for a detailed review."}
    meta = yaml.safe_load((folder / "session.yml").read_text(encoding="utf-8"))
    meta["followup_plan"] = {k: " ".join([v] * 30) for k, v in sentence.items()}
    (folder / "session.yml").write_text(yaml.safe_dump(meta, allow_unicode=True),
                                        encoding="utf-8")
    res = analysis.compute_session(folder, as_of=dt.date(2024, 6, 1))
    rep = Report(res, lang=lang)
    html = rep.synthesis().data
    assert count_words(html) <= SYNTHESIS_MAX_WORDS, count_words(html)
    text = visible_text(html).replace("\u202f", " ").replace(NBSP, " ")
    kept = text.count(sentence[lang])
    assert kept < 30
    if kept:
        assert "[…]" in text
    assert ("Texte abrégé ici" if lang == "fr" else "Shortened here") in text
    assert ("Pas encore collecté" if lang == "fr" else "Not collected yet") in text
    assert visible_text(rep.perspectives().data).count(sentence[lang]) == 30
