"""Issue 12, an outside reader's R4 and R7: the Excel export said less than the report.

R4. A published figure was labelled with this tool's definition only ("Reconnus travailleurs
    handicapés (RQTH)" where the assessment published "6 personnes sur 8 en situation de
    handicap"; "Culture numérique déjà maximale à l'entrée" where it published "avaient déjà
    une bonne culture numérique"): the note of every published row now quotes the publication's
    own words, in French as published.
R7. The reading column said "hausse nette" with the attribution caveat only in the "Read me"
    sheet: a change's reading now carries it in its own cell.
"""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from fac_eval.report import export

SAID = {"fr": "Le bilan publié dit : ", "en": "The published assessment says: "}
CAVEAT = {"fr": " ; la part due au programme reste inconnue (pas de groupe de comparaison)",
          "en": "; the share due to the programme is unknown (no comparison group)"}


def _sheet(result, tmp_path, lang, claims=None):
    path = export.indicators_xlsx(result.indicators, tmp_path / f"x_{lang}.xlsx", lang=lang,
                                  min_cell=result.min_cell,
                                  claims=result.claims if claims is None else claims,
                                  alpha=result.alpha)
    ws = load_workbook(path).worksheets[0]
    header = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    return rows, export.header("note", lang), export.header("verdict", lang)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_published_rows_quote_the_publications_words(shipped, tmp_path, lang):
    res = shipped["2022"]
    rows, note, _ = _sheet(res, tmp_path, lang)
    assert rows["learners.rqth"][note].endswith(
        SAID[lang] + "« 6 personnes sur 8 en situation de handicap ».")
    assert rows["founders.digital_culture_ceiling"][note] == SAID[lang] + (
        "« les 25% restant avaient déjà une bonne culture numérique au préalable ».")
    ind = res.indicators.set_index("indicator")
    matched = res.claims[res.claims["matches"].astype(bool)]
    quoted = 0
    for indicator, row in rows.items():
        texts = list(matched.loc[matched["indicator"] == indicator, "text"])
        if ind.at[indicator, "evidence"] == "published" and texts:
            quoted += 1
            for text in texts:  # each published wording, as published (French)
                assert f"« {text.strip()} »" in row[note], indicator
        else:  # an invented or synthetic figure never borrows the publication's words
            assert SAID[lang] not in (row[note] or ""), indicator
    assert quoted >= 20


def test_a_claim_the_figure_does_not_match_is_not_quoted(shipped, tmp_path):
    res = shipped["2022"]
    claims = res.claims.copy()
    claims.loc[claims["indicator"] == "learners.rqth", "matches"] = False
    rows, note, _ = _sheet(res, tmp_path, "fr", claims=claims)
    assert "en situation de handicap" not in (rows["learners.rqth"][note] or "")
    assert "bonne culture numérique" in rows["founders.digital_culture_ceiling"][note]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_session_without_a_publication_quotes_none(shipped, tmp_path, lang):
    rows, note, _ = _sheet(shipped["synth-2024"], tmp_path, lang)
    assert not any(SAID[lang] in (r[note] or "") for r in rows.values())


@pytest.mark.parametrize("name", ["2022", "synth-2024"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_changes_reading_carries_the_attribution_caveat_in_its_cell(shipped, tmp_path, name,
                                                                      lang):
    res = shipped[name]
    rows, _, verdict = _sheet(res, tmp_path, lang)
    ind = res.indicators.set_index("indicator")
    changes = 0
    for indicator, row in rows.items():
        code = ind.at[indicator, "verdict"]
        if code in ("significant_improvement", "significant_deterioration"):
            changes += 1
            assert row[verdict].endswith(CAVEAT[lang]), (indicator, row[verdict])
            assert row[verdict].count(CAVEAT[lang].strip(" ;")) == 1
        else:  # no change said: nothing to attribute
            assert CAVEAT[lang].strip(" ;") not in str(row[verdict]), indicator
    assert changes >= 2


DEMO = {"fr": "Témoignages écrits pour la démonstration, comme le reste des données individuelles "
              "de cette session : personne ne les a prononcés.",
        "en": "Testimonies written for the demonstration, like the rest of this session's "
              "individual data: no participant said them."}


@pytest.mark.parametrize("name", ["2022", "synth-2024"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_unreal_testimonies_are_said_written_for_the_demonstration(shipped, tmp_path, name,
                                                                   lang):
    """R8 (in the export): "Témoignages recueillis" counted testimonies a reconstruction or a
    generator wrote; the rows are now "Témoignages", each with the note."""
    rows, note, _ = _sheet(shipped[name], tmp_path, lang)
    label = export.header("label", lang)
    testimony = {k: r for k, r in rows.items() if k.startswith("testimonies.")}
    assert len(testimony) >= 3
    for indicator, row in testimony.items():
        assert row[note].endswith(DEMO[lang]), indicator
    assert testimony["testimonies.count"][label] == ("Témoignages" if lang == "fr"
                                                     else "Testimonies")
    assert not any(DEMO[lang] in (r[note] or "") for k, r in rows.items()
                   if not k.startswith("testimonies."))


def test_real_testimonies_carry_no_demonstration_note(shipped, tmp_path):
    import copy

    res = copy.deepcopy(shipped["synth-2024"])
    res.indicators["data_kind"] = "real"
    rows, note, _ = _sheet(res, tmp_path, "fr")
    assert not any(DEMO["fr"] in (r[note] or "") for r in rows.values())
    # the note is the indicator table's own, nothing added
    assert rows["testimonies.count"][note] == res.indicators.set_index("indicator").at[
        "testimonies.count", "note"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_reconstructions_consent_count_is_marked_in_the_report(shipped, lang):
    """R8 (in the report): "3 témoignages marqués sans accord de citation" is a count the
    reconstruction invented: marked "illustratif" where it is said; a synthetic session's is
    not (its data are all fictitious, said at the top)."""
    import datetime as dt

    from bs4 import BeautifulSoup

    from fac_eval import report

    when = dt.datetime(2026, 1, 1)
    tag = {"fr": "illustratif", "en": "illustrative"}[lang]
    consent = "sans accord de citation" if lang == "fr" else "without consent to quote"
    for name, marked in (("2022", True), ("synth-2024", False)):
        html = str(report.Report(shipped[name], lang=lang, generated_at=when).testimonies().data)
        paras = [p for p in BeautifulSoup(html, "html.parser").select("p")
                 if consent in p.get_text(" ")]
        if name == "2022":
            assert len(paras) == 1
        for p in paras:
            found = [t.get_text(strip=True) for t in p.select(".tag-illustrative")]
            assert found == ([tag] if marked else []), (name, p)
