"""A partly interim session (issue 13, §4): one exit questionnaire collected, the other not.

The synthèse of such a session said "no result exists yet" although the other population's exit
answers were in: it now gives what the collected questionnaire shows (as "k sur n"), how sure we
are, and what is still pending, and says nothing about the pending population's outcomes.
"""

from __future__ import annotations

import html as htmlmod
import re
import shutil

import pytest
from conftest import REPO, make_project

from fac_eval.analysis import results as analysis
from fac_eval.core.formatting import fmt_number
from fac_eval.report.session import Report
from fac_eval.report.synthesis_words import SYNTHESIS_MAX_WORDS, count_words

SPACES = {"\u00a0": " ", "\u202f": " "}
HEADINGS = {"fr": ["Ce que l'on sait déjà", "Quelle confiance accorder à ces résultats",
                   "Ce qui est en attente", "Conclusions et suites"],
            "en": ["What we know so far", "How sure we are", "What is pending",
                   "Conclusions and what comes next"]}
PENDING = {"fr": "Les résultats qui demandent ces réponses seront donnés une fois celles-ci saisies.",
           "en": "The results that need these answers will be given once they are entered."}
NOTHING_YET = {"fr": "Aucun résultat sur ce qui a changé", "en": "No result on what changed"}
OUT_OF = {"fr": "sur", "en": "out of"}


def _text(html: str) -> str:
    text = " ".join(htmlmod.unescape(re.sub(r"<[^>]+>", " ", html)).split())
    for a, b in SPACES.items():
        text = text.replace(a, b)
    return text


@pytest.fixture(scope="module")
def partly_interim(tmp_path_factory):
    """synth-2024 twice: once with the learners' exit file emptied to its header row, once with
    the founders' exit file emptied to zero bytes; no follow-up in either."""
    root = tmp_path_factory.mktemp("partial")
    make_project(root, sessions=())
    out = {}
    for pending in ("learners_exit", "founders_exit"):
        folder = root / "data" / "raw" / f"partial-{pending.split('_')[0]}"
        shutil.copytree(REPO / "data" / "raw" / "synth-2024", folder)
        exit_file = folder / f"{pending}.csv"
        if pending == "learners_exit":
            exit_file.write_text(exit_file.read_text(encoding="utf-8").splitlines()[0] + "\n",
                                 encoding="utf-8")
        else:
            exit_file.write_bytes(b"")
        (folder / "followup.csv").unlink()
        out[pending] = analysis.compute_session(folder)
    return out


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("pending", ["learners_exit", "founders_exit"])
def test_the_synthesis_gives_what_the_collected_questionnaire_shows(partly_interim, pending,
                                                                    lang):
    res = partly_interim[pending]
    assert res.pending == (pending,) and res.interim
    html = Report(res, lang=lang).synthesis().data
    text = _text(html)
    headings = [_text(h) for h in re.findall(r"<h3>(.*?)</h3>", html, flags=re.S)]
    assert headings == HEADINGS[lang]
    assert count_words(html) <= SYNTHESIS_MAX_WORDS
    assert PENDING[lang] in text and NOTHING_YET[lang] not in text
    ind = res.indicators.set_index("indicator")
    if pending == "learners_exit":
        # the founders' development is a finding, with its own counts
        row = ind.loc["founders.developed"]
        k, n = int(row["numerator"]), int(row["denominator"])
        assert n == 5 and f"{fmt_number(k, lang)} " in text
        assert re.search(rf"\b{k} porteurs? de projet sur {n}\b" if lang == "fr"
                         else rf"\b{k} founders? out of {n}\b", text), text
        # nothing about the learners' outcomes: their exit is pending
        for outcome in ("self_esteem", "digital_skills", "confidence"):
            assert ind.loc[f"learners.{outcome}.improved", "verdict"] == "pending"
        assert not re.search(r"\d+ apprenants? sur \d+ \(\d+ %\) ont (gagné|progressé)"
                             if lang == "fr" else r"\d+ learners? out of \d+ \(\d+%\) "
                             r"(gained|improved)", text), text
    else:
        # the learners' paired outcomes are findings; the founders' are not
        improved = ind.loc[[i for i in ind.index if i.startswith("learners.")
                            and i.endswith(".improved")]]
        assert (improved["verdict"] != "pending").all()
        found = [i for i, r in improved.iterrows()
                 if f"{int(r['numerator'])} {'apprenants' if lang == 'fr' else 'learners'} "
                    f"{OUT_OF[lang]} {int(r['denominator'])}" in text]
        assert len(found) >= 2, text
        assert ind.loc["founders.developed", "verdict"] == "pending"
        assert not re.search(r"porteurs? de projet sur" if lang == "fr"
                             else r"founders? out of", text), text
