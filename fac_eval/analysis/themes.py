"""Coding of testimonies into themes (a small, documented French codebook).

The 2022 assessment says that the testimonies point to coaching (*l'accompagnement*, through
collective and individual times) as the real value of the programme, with a role in motivation
and engagement. This module makes that statement checkable: each testimony is coded for the
themes below by transparent keyword rules, and the report shows how many testimonies and how
many distinct participants mention each theme.

How matching works
    Texts and patterns are compared after *folding*: lower case, accents removed ("ACCOMPAGNÉE"
    -> "accompagnee"), typographic apostrophes straightened, spaces collapsed, and the dots of
    inclusive writing removed ("motivé·e·s", "motivé.e.s" -> "motivees"). Patterns are regular
    expressions on the folded text, written on word stems so that inflections match
    (``accompagn\\w*`` covers accompagner, accompagnée, accompagnement…), and anchored at the
    start of a word (``\\b``) so that "outil" does not match inside "boutilier".

What is coded
    A theme is coded when the testimony *mentions* it; polarity is not coded. "Je n'étais plus
    motivée" and "ça m'a remotivée" both count for motivation: "re-" and "dé-" forms
    (remotiver, démotivé) are deliberately included, because losing or regaining motivation is
    what testimonies about motivation talk about. Negations are not detected. A testimony can
    carry several themes. Keyword coding is a first pass that an evaluator should read through:
    the rules are simple on purpose, so that they can be checked and amended (pass your own
    ``themes`` to the functions).

Counts are computed on every testimony (consent to quote governs quoting only); the report must
still apply the small-cell rule (:func:`fac_eval.disclosure.privacy.suppress_small_cells`) to per-population
counts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from fac_eval.core.i18n import NC_, messages

__all__ = ["Theme", "THEMES", "THEMES_BY_CODE", "fold_text", "code_themes", "theme_counts"]


@dataclass(frozen=True)
class Theme:
    """A theme: its code (column name), French and English labels, and the regular expressions
    (on folded text, see the module docstring) any of which marks a testimony as mentioning it."""

    code: str
    #: the label, a catalog message in the context "theme" (:func:`fac_eval.core.i18n.NC_`)
    text: tuple[str, str]
    patterns: tuple[str, ...]
    description: str = ""
    #: (French, English) labels of a theme outside the codebook (:meth:`custom`), which the
    #: catalogs do not hold
    own_labels: tuple[str, str] | None = None

    @classmethod
    def custom(cls, code: str, label_fr: str, label_en: str, patterns: tuple[str, ...],
               description: str = "") -> Theme:
        """A theme of an evaluator's own, labelled in both languages where it is written."""
        return cls(code, ("theme", label_en), tuple(patterns), description, (label_fr, label_en))

    def label(self, lang: str = "fr") -> str:
        """The label in ``lang`` ("fr", "en", "en_GB"…), from the catalogs."""
        en = str(lang).lower().startswith("en")
        if self.own_labels is not None:
            return self.own_labels[1 if en else 0]
        return messages("en" if en else "fr").pgettext(*self.text)

    @property
    def label_fr(self) -> str:
        return self.label("fr")

    @property
    def label_en(self) -> str:
        return self.label("en")

    @cached_property
    def regex(self) -> re.Pattern:
        return re.compile("|".join(f"(?:{p})" for p in self.patterns))

    def matches(self, text: str) -> bool:
        """True when ``text`` (raw, not yet folded) mentions the theme."""
        return bool(self.regex.search(fold_text(text)))


#: The codebook of themes, in the order of the report.
THEMES: tuple[Theme, ...] = (
    Theme(
        "coaching",
        NC_("theme", "Coaching and support"),
        (
            r"\baccompagn\w*",
            r"\bcoach\w*",
            # "un suivi", "bien suivie" — not the verb "j'ai suivi (la formation)"
            r"(?<!ai )(?<!a )(?<!as )(?<!ont )(?<!avons )(?<!avez )(?<!avoir )(?<!avait )"
            r"\bsuivi(?:e|s|es)?\b",
            r"\becout\w*",  # écoute, écouté·e, à l'écoute
            r"\bentretiens? (?:individuel|collectif|personnalise)\w*",
            r"\btemps (?:collectif|individuel|d'echange|de partage)\w*",
            r"\bformat(?:eur|rice)s?\b",
            r"\bl'equipe\b(?! (?:de|du|d'un|d'une) (?:porteur|projet|travail|entreprise))",
            r"\bequipe (?:pedagogique|encadrante|de formation|d'encadrement)",
            r"\bsoutien\w*",
            r"\bsoutenu\w*",
            r"\bguid(?:e|ee|es|ees|er|ait|ant)\b",
            r"\bconseil(?:s|le|lee|les|lees|ler|lait)?\b",
            r"\bbienveillan\w*",
            r"\bmentor\w*",
            r"\btut(?:eur|rice|orat)s?\b",
        ),
        "Le soutien reçu : accompagnement, coaching, suivi, écoute, entretiens et temps "
        "individuels ou collectifs, formateurs et formatrices, l'équipe du programme.",
    ),
    Theme(
        "self_confidence",
        NC_("theme", "Self-confidence"),
        (
            r"\bconfian\w*",
            r"\bestime\b",
            r"\b(?:croire|crois|croit|cru|crue|croyais) en (?:moi|soi|elle|lui|eux|nous|mes|ses)\b",
            r"\b(?:sur|sure|surs|sures) de (?:moi|soi|elle|lui)\b",
            r"\b(?:pris|prendre|prend|gagn\w*) (?:de l'|en )assurance\b",
            r"\b(?:oser|ose|osee|osais|osait)\b",
            r"\bfier(?:e|es|s|te)?\b",
            r"\bcapable\w*\b",
        ),
        "Confiance en soi, estime de soi, croire en soi, oser, fierté, se sentir capable.",
    ),
    Theme(
        "digital_skills",
        NC_("theme", "Digital skills"),
        (
            r"\bnumeri\w*",
            r"\bdigital\w*",
            r"\bsites? (?:web|internet|vitrine|e-commerce|marchand)\w*",
            r"\breseaux sociaux\b",
            r"\boutils?\b",
            r"\binformati\w*",
            r"\blogiciel\w*",
            r"\bordinateur\w*",
            r"\binternet\b",
            r"\bweb\w*",
            r"\bbureautique\b",
            r"\btableur\w*",
            r"\b(?:canva|wordpress|excel|word|facebook|instagram|linkedin|tiktok|google)\b",
            r"\b(?:referencement|seo|e-mailing|newsletter)\b",
            r"\ben ligne\b",
        ),
        "Outils et compétences numériques : numérique, digital, site web, réseaux sociaux, "
        "informatique, logiciels.",
    ),
    Theme(
        "professional_network",
        NC_("theme", "Professional network"),
        (
            r"\breseaux?\b(?! sociaux)",
            r"\bcontacts?\b",
            r"\bpartenai\w*",
            r"\brencontr\w*\b(?! (?:des |de |quelques |beaucoup de )?(?:difficult|probleme|souci))",
            r"\bentreprises? (?:du|de notre) (?:territoire|secteur|coin|bassin)\b",
            r"\btissu (?:local|economique)\b",
            r"\bintervenant\w*",
            r"\bcarnet d'adresses?\b",
            r"\bnetwork\w*",
        ),
        "Réseau, contacts, partenaires, rencontres, entreprises du territoire, intervenants.",
    ),
    Theme(
        "motivation",
        NC_("theme", "Motivation and plans"),
        (
            r"\b(?:re|de)?motiv\w*",
            r"\benvie\w*",
            r"\bprojet (?:professionnel|pro|de vie)\b",
            r"\bdynami\w*",
            r"\bengag\w*",
            r"\bperspective\w*",
            r"\b(?:objectif|aspiration)s?\b",
        ),
        "Motivation (y compris remotivé·e, démotivé·e), envie, projet professionnel, dynamique, "
        "engagement, perspectives.",
    ),
    Theme(
        "employment",
        NC_("theme", "Employment"),
        (
            r"\bemploi\w*",
            r"\bemploy(?:eur|euse|abilite)\w*",
            r"\btravail\w*\b(?! (?:en equipe|d'equipe|collectif|de groupe|en groupe|ensemble))",
            r"\bembauch\w*",
            r"\brecrut\w*",
            r"\bcd[id]\b",
            r"\binterim\w*",
            r"\bstages?\b",
            r"\bstagiaire\w*",
            r"\balternance\b",
            r"\bcontrat\w*",
            r"\bposte\b(?! informatique)",
            r"\bjob\w*",
            r"\binsertion\b",
            r"\bmetiers?\b",
            r"\bchomage\b",
        ),
        "Emploi, travail, embauche, CDI, CDD, intérim, stage, alternance, poste, métier, "
        "insertion professionnelle.",
    ),
    Theme(
        "time_saved",
        NC_("theme", "Time saved"),
        (
            r"\bgains? de temps\b",
            r"\btemps gagne\w*",
            r"\bgagn\w*(?: \w+){0,3}? (?:du|de|le|un) temps\b",
            r"\b(?:economis|econom)\w* (?:du|de|un) temps\b",
            r"\bplus rapide\w*",
            r"\bplus vite\b",
            # "je gagne plusieurs heures par semaine", "on économise une demi-journée"
            r"\b(?:gagn|econom)\w*(?: \w+){0,3}? (?:heures?|minutes?|demi-journees?|journees?)\b",
            r"\bautomatis\w*",
        ),
        "Gagner du temps, gain de temps, temps gagné, économiser du temps, aller plus vite, "
        "gagner des heures ou des journées.",
    ),
    Theme(
        "teamwork",
        NC_("theme", "Teamwork"),
        (
            r"\ben equipe\b",
            r"\bd'equipe\b",
            r"\bcoequipi\w*",
            r"\bgroupe\w*",
            # not "l'ensemble (des)", "un ensemble de" (= all, a set of)
            r"(?<!l')(?<!un )\bensemble\b(?! d(?:es|u|e|')(?:\b|\s))",
            r"\bentraid\w*",
            r"\bs'entraid\w*",
            r"\bcollabor\w*",
            r"\bcooper\w*",
            r"\b(?:travail|projet|esprit|elan) collectif\b",
            r"\ble collectif\b",
            r"\bles autres (?:apprenants?|stagiaires?|participants?)\b",
        ),
        "Équipe, groupe, ensemble, entraide, collaboration, collectif.",
    ),
)

THEMES_BY_CODE: dict[str, Theme] = {t.code: t for t in THEMES}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
# inclusive-writing separators inside words: motivé·e·s, motivé.e.s, motivé-e-s (not hyphens
# in general: only before the usual feminine / plural endings)
_INCLUSIVE_DOTS = re.compile(r"(?<=[a-z])[\u00b7\u2022\u22c5\u2027\u30fb]+(?=[a-z])")
_INCLUSIVE_PERIODS = re.compile(
    r"(?<=[a-z])[.\-](?=(?:e|s|es|ne|nes|le|les|te|tes|se|ses|rice|rices|euse|euses)"
    r"(?:[.\-](?:s|e|es))?\b)"
)


def fold_text(text) -> str:
    """Text as the theme patterns see it: lower case, no accents, straight apostrophes, no
    inclusive-writing dots, single spaces. Missing text gives ``""``."""
    if text is None or (isinstance(text, float) and text != text) or text is pd.NA:
        return ""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower().translate(_APOSTROPHES)
    s = _INCLUSIVE_DOTS.sub("", s)
    s = _INCLUSIVE_PERIODS.sub("", s)
    return " ".join(s.split())


def code_themes(texts: pd.Series, themes: Sequence[Theme] = THEMES) -> pd.DataFrame:
    """One boolean column per theme code, True when the text mentions the theme.

    Same index as ``texts``; missing texts have no theme.
    """
    if not isinstance(texts, pd.Series):
        texts = pd.Series(list(texts))
    folded = [fold_text(t) for t in texts]
    data = {th.code: [bool(th.regex.search(f)) for f in folded] for th in themes}
    return pd.DataFrame(data, index=texts.index, columns=[th.code for th in themes], dtype=bool)


def themes_of(text: str, lang: str = "fr", themes: Sequence[Theme] = THEMES,
              leave_out: Collection[str] = ()) -> list[str]:
    """The labels of the themes ``text`` mentions, in ``lang`` (the gloss of a French quote in
    the English report); ``leave_out``: codes of themes never named (a theme whose count is
    hidden: naming it on each quote would count it)."""
    folded = fold_text(text)
    return [th.label(lang) for th in themes
            if th.code not in leave_out and th.regex.search(folded)]


def theme_counts(
    testimonies_df: pd.DataFrame,
    text_column: str = "text",
    by: str | Sequence[str] | None = "population",
    id_column: str = "participant_id",
    themes: Sequence[Theme] = THEMES,
) -> pd.DataFrame:
    """How many testimonies, and how many distinct participants, mention each theme.

    One row per group of ``by`` (e.g. population; ``None`` for all testimonies together) and
    theme, themes in codebook order, zeros included. Columns: the ``by`` column(s), ``theme``,
    ``label_fr``, ``label_en``, ``n_testimonies``, ``n_participants`` (distinct ``id_column``
    values among the testimonies mentioning the theme), and the group's denominators
    ``testimonies_total`` and ``participants_total``. Testimonies with an empty text count in
    the denominators. Without ``id_column`` in the data, ``n_participants`` and
    ``participants_total`` are missing.
    """
    if text_column not in testimonies_df.columns:
        raise KeyError(f"no column {text_column!r}")
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    for c in by_cols:
        if c not in testimonies_df.columns:
            raise KeyError(f"no column {c!r}")
    coded = code_themes(testimonies_df[text_column], themes)
    has_ids = id_column in testimonies_df.columns

    if by_cols:
        grouped = testimonies_df.groupby(by_cols, sort=True, dropna=False)
        items = [((k if isinstance(k, tuple) else (k,)), sub.index) for k, sub in grouped]
    else:
        items = [((), testimonies_df.index)]

    rows = []
    for key, idx in items:
        sub = testimonies_df.loc[idx]
        sub_coded = coded.loc[idx]
        ids = sub[id_column] if has_ids else None
        for th in themes:
            hit = sub_coded[th.code].to_numpy()
            row = dict(zip(by_cols, key))
            row.update(
                theme=th.code,
                label_fr=th.label_fr,
                label_en=th.label_en,
                n_testimonies=int(hit.sum()),
                n_participants=int(ids[hit].dropna().nunique()) if ids is not None else pd.NA,
                testimonies_total=len(sub),
                participants_total=int(ids.dropna().nunique()) if ids is not None else pd.NA,
            )
            rows.append(row)
    columns = by_cols + [
        "theme", "label_fr", "label_en", "n_testimonies", "n_participants",
        "testimonies_total", "participants_total",
    ]
    out = pd.DataFrame(rows, columns=columns)
    for c in ("n_testimonies", "testimonies_total"):
        out[c] = out[c].astype("int64")
    for c in ("n_participants", "participants_total"):
        out[c] = out[c].astype("Int64")
    return out
