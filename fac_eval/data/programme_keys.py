"""Unknown keys of ``session.yml``: each named with its line and the key it most likely means
(the same key in other case or accents, its French name, or a close spelling).

Used by :mod:`fac_eval.data.programme` (keys inside a section) and by the session reader (the
top-level keys).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from fac_eval.core.i18n import N_, both

from .validation import Problem, problem
from .validation_problems import quote

__all__ = ["close_key", "unknown_key", "unknown_key_problems"]


#: Keys as an evaluator may type them in French, by the key(s) they stand for (the first one
#: known where the key is typed is suggested). Matched after :func:`_plain`.
_KEY_ALIASES: dict[str, tuple[str, ...]] = {
    "nom": ("name",), "titre": ("name",), "intitule": ("name",), "nom_en": ("name_en",),
    "date_debut": ("start_date",), "date_de_debut": ("start_date",), "debut": ("start_date",),
    "date_fin": ("end_date",), "date_de_fin": ("end_date",), "fin": ("end_date",),
    "mois_suivi": ("followup_months",), "suivi_mois": ("followup_months",),
    "delai_suivi": ("followup_months",), "delai_de_suivi": ("followup_months",),
    "territoire": ("territory",), "type_donnees": ("data_kind",),
    "type_de_donnees": ("data_kind",), "nature_donnees": ("data_kind",),
    "remarques": ("notes",), "commentaires": ("notes",),
    "situations_neutralisees": ("neutralised_situations",),
    "objectifs": ("objectives",), "contexte": ("context",), "activites": ("activities",),
    "cout": ("budget",), "couts": ("budget",), "financement": ("budget",),
    "financements": ("budget",), "financeurs": ("funders", "budget"),
    "collecte": ("data_collection",), "collecte_donnees": ("data_collection",),
    "collecte_des_donnees": ("data_collection",), "recueil_des_donnees": ("data_collection",),
    "recommandations": ("perspectives",), "conclusions": ("perspectives",),
    "plan_suivi": ("followup_plan",), "plan_de_suivi": ("followup_plan",),
    "resultats_principaux": ("primary_outcomes",), "partenaires": ("partners",),
    "heures_formation": ("training_hours",), "heures_de_formation": ("training_hours",),
    "seances_collectives": ("collective_sessions",), "temps_collectifs": ("collective_sessions",),
    "seances_individuelles": ("individual_sessions",),
    "temps_individuels": ("individual_sessions",),
    "porteurs_accompagnes": ("founders_accompanied",), "montant": ("amount",),
    "texte": ("text",), "indicateurs": ("indicators",), "type": ("kind",), "nature": ("kind",),
    "administre_par": ("administered_by",), "quand": ("when",), "anonymat": ("anonymity",),
}


def _plain(key: str) -> str:
    """``key`` lower-cased, without accents, with ``_`` between words."""
    key = unicodedata.normalize("NFKD", str(key).strip().lower())
    key = "".join(c for c in key if not unicodedata.combining(c))
    return re.sub(r"[\s\-'’.]+", "_", key).strip("_")


def close_key(key: str, known: Iterable[str]) -> str | None:
    """The known key that ``key`` most likely means: the same key in other case or accents
    (``Context``), a French name (``objectifs``, ``activités``), or a close spelling
    (``budjet``, ``perspective``); None when nothing is close."""
    known = list(known)
    plain = {_plain(k): k for k in known}
    typed = _plain(key)
    if typed in plain:
        return plain[typed]
    for target in _KEY_ALIASES.get(typed, ()):
        if target in known:
            return target
    close = difflib.get_close_matches(typed, list(plain), n=1, cutoff=0.7)
    return plain[close[0]] if close else None


def unknown_key(file: str, line: int | None, column: str, key: str, known: Iterable[str],
                 section: str) -> Problem:
    """An unknown key at ``column``: what was expected, with the closest known key if any."""
    known = list(known)
    close = close_key(key, known)
    where = {"section": lambda lang: quote(section, lang)}
    if close is not None:
        expected = both(N_("a key known in %(section)s (did you mean %(close)s?)"),
                        close=lambda lang: quote(close, lang), **where)
    else:
        expected = both(N_("a key known in %(section)s: %(keys)s"), **where,
                        keys=lambda lang: ", ".join(known))
    return problem(file, line, column, None, "unknown_key", expected)


def unknown_key_problems(meta: dict, lines: dict[str, int], file: str,
                         known: Iterable[str]) -> list[Problem]:
    """The top-level keys of ``session.yml`` that are not ``known`` (a misspelt key would
    otherwise be silently ignored): each with its line and the closest known key."""
    known = list(known)
    return [unknown_key(file, lines.get(str(key)), str(key), str(key), known, file)
            for key in meta if str(key) not in known]
