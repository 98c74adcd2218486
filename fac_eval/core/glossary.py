"""The English glossary of the report's French terms (``docs/glossary.md`` explains it).

English is the language of the message ids, but several ids were written as calques of the
French terms ("dynamic exit" for *sortie dynamique*). The English catalog follows this glossary:
:func:`english` rewrites a text with the glossary's terms, and :func:`fac_eval.report.i18n.
fill_source_catalog` applies it to every message it fills, so that a new message gets the
glossary's words too. The tests check that the English catalog and the English reports follow
it (``tests/test_language.py``).
"""

from __future__ import annotations

import re

#: (French term, calque to avoid (a regular expression, on whole words), English term). The
#: order matters: the IAE's *sorties positives* (one kind of *sortie dynamique*) are renamed
#: before *sortie dynamique* takes the name "positive exit".
GLOSSARY: tuple[tuple[str, str, str], ...] = (
    ("sortie positive (formation qualifiante, embauche dans une autre SIAE)",
     r"positive exit", "other positive outcome"),
    ("sortie dynamique", r"dynamic exit", "positive exit"),
    ("sans nouvelles", r"(?:without|no) news", "lost to follow-up"),
    ("porteur ou porteuse de projet", r"project (?:holder|leader|carrier)s?", "founder"),
    ("apprenant ou apprenante", r"trainees?", "learner"),
    # calques found by a bilingual reader (issue 12): a calque that holds its own plural is
    # replaced as a whole (no -s added)
    ("temps collectifs et individuels", r"collective and individual times",
     "group and one-to-one sessions"),
    ("temps collectifs d'accompagnement", r"collective coaching time", "group coaching session"),
    ("temps d'accompagnement individuel", r"individual coaching time",
     "one-to-one coaching session"),
    ("temps collectifs", r"collective time", "group session"),
    ("se projeter professionnellement", r"project themselves better professionally",
     "see their professional future more clearly"),
    ("se projeter professionnellement", r"project myself professionally",
     "see my professional future"),
    ("se projeter professionnellement", r"project themselves professionally",
     "see their professional future"),
    ("se projeter (professionnellement)", r"project oneself(?: professionally)?",
     "see one's professional future"),
    ("culture numérique", r"digital culture", "digital literacy"),
    ("difficilement due au seul hasard", r"hardly due to chance alone",
     "unlikely to be due to chance alone"),
    ("perspectives (d'un bilan)", r"perspectives", "outlook"),
    ("relancer (les apprenants)", r"set (?:learners|them) back on", "help learners back onto"),
)

#: Said once, at the first use of "positive exit" in an English report.
FIRST_USE = {"positive exit": "as defined for French work-integration programmes"}

#: French words that must not appear in an English report outside a ``lang="fr"`` element.
FRENCH_WORDS = ("sortie dynamique", "sorties dynamiques", "sortie", "porteur", "porteuse",
                "sans nouvelles", "apprenant", "apprenante", "bilan", "dispositif",
                "neutralisée", "répondant", "témoignage", "chiffre d'affaires", "«")


#: French terms an English report prints inside its own sentences, because they have no English
#: equivalent or are cited as written (a framework's name, the title of a cited publication):
#: each gets an element with ``lang="fr"`` (:func:`fac_eval.report.render.lang_parts`). The
#: report's other French (quotes, published statements, an evaluator's text without an English
#: version) carries its ``lang`` from the data.
FRENCH_TERMS = ("insertion par l'activité économique",
                "Traduction et validation canadienne-française de l'échelle de l'estime de soi "
                "de Rosenberg",
                "reconnaissance de la qualité de travailleur handicapé",
                "sortie dynamique", "sorties dynamiques", "sortie positive", "sorties positives",
                "porteurs de projet", "porteur de projet", "porteuses de projet",
                "référents numériques", "référent numérique", "Référent Numérique en Entreprise",
                "Référent numérique en entreprise",
                "bilan publié", "Baccalauréat")


def _case(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def english(text: str, entries: tuple[tuple[str, str, str], ...] = GLOSSARY) -> str:
    """``text`` with the glossary's English terms in place of the calques ("Dynamic exits" ->
    "Positive exits", "no news" -> "lost to follow-up"), keeping the case of the first letter
    and the plural -s (a calque that holds its own final s, "perspectives", is replaced as a
    whole). ``entries``: a part of :data:`GLOSSARY` (to apply new entries alone to texts that
    already follow the others)."""
    for _fr, calque, term in entries:
        def swap(m: re.Match, term: str = term, calque: str = calque) -> str:
            own_s = re.fullmatch(calque.replace(" ", "[ -]"), m.group(0), flags=re.I)
            plural = ("s" if m.group(0).endswith("s") and not term.endswith("follow-up")
                      and not own_s else "")
            return _case(term, m.group(0)) + plural
        # "dynamic-exit rate" is the compound adjective of the same term
        text = re.sub(rf"\b{calque.replace(' ', '[ -]')}s?\b", lambda m: swap(m).replace(
            " ", "-") if "-" in m.group(0) else swap(m), text, flags=re.I)
    return text
