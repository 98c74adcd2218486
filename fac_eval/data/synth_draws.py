"""What synthetic sessions are drawn from (:mod:`fac_eval.data.synth`): the distributions of their
answers, the template sentences of their testimonies (written for the demonstration, not said by
participants) and the small helpers that draw and shape the columns."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from fac_eval.data import codebook as cb

SESSION_WEEKS = 17  # a session lasts about four months

_GENDER = (("f", "m", "x"), (0.52, 0.45, 0.03))
_AGE = (("18-25", "26-35", "36-45", "46-55", "56+"), (0.12, 0.25, 0.27, 0.26, 0.10))
_EDUCATION = (("none", "cap_bep", "bac", "bac2", "bac3plus"), (0.15, 0.35, 0.25, 0.13, 0.12))
_DROPOUT = (("health", "employment", "personal", "other"), (0.35, 0.25, 0.30, 0.10))

#: Follow-up: category probabilities, then situations within each category. Incarceration and
#: death are valid codes but never drawn.
_CATEGORIES = ("durable", "transition", "positive", "other", "neutralised")
_CATEGORY_P = (0.30, 0.20, 0.15, 0.28, 0.07)
_SITUATIONS_BY_CATEGORY: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "durable": (("cdi", "cdd_6m_plus", "interim_6m_plus", "civil_service", "business_creation"),
                (0.35, 0.30, 0.12, 0.08, 0.15)),
    "transition": (("cdd_under_6m", "interim_under_6m", "subsidised_contract"), (0.45, 0.30, 0.25)),
    "positive": (("qualifying_training", "siae_hiring"), (0.85, 0.15)),
    "other": (("job_seeker", "inactive"), (0.80, 0.20)),
    "neutralised": (("long_illness", "moved_away", "retirement", "maternity_leave"),
                    (0.50, 0.25, 0.10, 0.15)),
}

_SECTORS = (
    "Artisanat d'art", "Bien-être", "Commerce de proximité", "Restauration", "Tourisme",
    "Services aux entreprises", "Services à la personne", "Agriculture", "Bâtiment",
    "Économie sociale et solidaire", "Culture et événementiel", "Mode et textile",
)

#: Testimony sentences by theme (first person, no names, no places). In learners' sentences
#: ``{e}`` is the agreement mark: "e" for women, "" for men, "·e" otherwise.
_LEARNER_SENTENCES: dict[str, tuple[str, ...]] = {
    "accompagnement": (
        "Ce qui m'a le plus aidé{e}, c'est l'accompagnement : les entretiens individuels et les temps "
        "collectifs m'ont permis d'avancer.",
        "L'équipe m'a suivi{e} tout au long de la formation, avec beaucoup d'écoute.",
        "Les temps collectifs m'ont fait du bien : on partage nos difficultés et nos réussites.",
        "Les entretiens individuels m'ont aidé{e} à faire le point sur mon parcours.",
        "Je me suis senti{e} écouté{e}, sans jugement, et ça change tout.",
    ),
    "confiance": (
        "J'ai repris confiance en moi.",
        "Aujourd'hui j'ose parler de ce que je sais faire.",
        "Je n'avais plus confiance en mes capacités ; maintenant je sais que je peux y arriver.",
        "Travailler sur un vrai projet m'a redonné confiance.",
    ),
    "numerique": (
        "J'ai appris à créer un site internet et à animer les réseaux sociaux d'une entreprise.",
        "Mes compétences numériques ont beaucoup progressé, des tableurs à la création de contenus.",
        "Je maîtrise maintenant des outils numériques que je ne connaissais pas.",
        "J'aimerais continuer dans le numérique, c'est un métier qui me plaît.",
    ),
    "reseau": (
        "Les rencontres avec les entreprises et les partenaires m'ont ouvert un réseau professionnel.",
        "J'aurais aimé encore plus de temps pour développer mon réseau.",
        "J'ai gardé le contact avec plusieurs entreprises rencontrées pendant la session.",
    ),
    "motivation": (
        "Je suis plus motivé{e} que jamais pour trouver un emploi.",
        "La formation m'a remis dans une dynamique positive.",
        "J'ai maintenant un projet professionnel clair et l'envie de le mener à bien.",
        "Je me lève le matin avec un objectif, ça faisait longtemps.",
    ),
}
_AGREEMENT = {"f": "e", "m": ""}
_FOUNDER_SENTENCES: dict[str, tuple[str, ...]] = {
    "accompagnement": (
        "L'accompagnement de l'incubateur a été précieux pour tester la viabilité de mon activité.",
        "Les temps collectifs avec les autres porteurs de projet m'ont beaucoup apporté.",
        "Le suivi individuel m'a permis de prendre les bonnes décisions au bon moment.",
    ),
    "numerique": (
        "Les apprenants ont créé mon site et ma page professionnelle.",
        "J'ai enfin une présence en ligne qui correspond à mon activité.",
        "Ma culture numérique a progressé : je comprends mieux ce que les outils peuvent m'apporter.",
    ),
    "gain_de_temps": (
        "Grâce aux outils mis en place par les apprenants, je gagne plusieurs heures par semaine.",
        "La facturation et les relances sont automatisées : un vrai gain de temps.",
        "Le planning partagé me fait gagner du temps au quotidien.",
    ),
    "reseau": (
        "J'ai élargi mon réseau grâce aux rencontres organisées pendant la session.",
        "Les échanges avec les partenaires du territoire m'ont ouvert des portes.",
    ),
    "confiance": (
        "Je me sens plus à l'aise dans mon rôle de chef d'entreprise.",
        "C'est une belle expérience humaine de transmettre à des personnes qui reprennent confiance.",
    ),
    "motivation": (
        "Voir l'énergie des apprenants m'a redonné de la motivation pour mon projet.",
        "Je repars avec un plan d'action et l'envie d'aller plus loin.",
    ),
}
_FOLLOWUP_SENTENCES: dict[str, tuple[str, ...]] = {
    "job": (
        "J'ai retrouvé un emploi et je me sers tous les jours de ce que j'ai appris.",
        "Trois mois après, je travaille et je n'aurais pas osé postuler sans la formation.",
    ),
    "training": (
        "J'ai commencé une formation qualifiante pour aller plus loin dans le numérique.",
        "La session m'a donné l'envie de me former encore.",
    ),
    "searching": (
        "Je cherche toujours un emploi, mais avec beaucoup plus de confiance qu'avant.",
        "La recherche est longue, mais le réseau construit pendant la session m'aide.",
    ),
}


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

def _as_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _session_dates(seed: int, start_date=None) -> tuple[dt.date, dt.date]:
    """Start (a Monday) and end (a Friday, ~4 months later) of the session.

    Without ``start_date`` the start is drawn from a stream of its own (so that it does not shift
    the other draws): a Monday between January and September 2024.
    """
    start = _as_date(start_date)
    if start is None:
        weeks = int(np.random.default_rng([int(seed), 7]).integers(0, 36))
        start = dt.date(2024, 1, 8) + dt.timedelta(weeks=weeks)
    end = start + dt.timedelta(weeks=SESSION_WEEKS, days=4)
    return start, end


def _add_months(d: dt.date, months: int) -> dt.date:
    return (pd.Timestamp(d) + pd.DateOffset(months=months)).date()


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    width = max(width, len(str(n)))
    return np.array([f"{prefix}{i:0{width}d}" for i in range(1, n + 1)], dtype=object)


def _choice(rng, spec, size) -> np.ndarray:
    values, p = spec
    return np.asarray(values, dtype=object)[rng.choice(len(values), size=size, p=p)]


def _ordinal(level: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return np.clip(np.rint(level), lo, hi).astype(np.int64)


def _int_array(values: np.ndarray, missing: np.ndarray | None = None) -> pd.arrays.IntegerArray:
    values = np.asarray(values, dtype=np.int64)
    if missing is None:
        missing = np.zeros(values.shape, dtype=bool)
    return pd.arrays.IntegerArray(values, np.asarray(missing, dtype=bool).copy())


def _obj(values: np.ndarray, missing: np.ndarray | None = None) -> np.ndarray:
    out = np.asarray(values, dtype=object).copy()
    if missing is not None:
        out[missing] = None
    return out


def _iso(start: dt.date, offsets_days: np.ndarray, missing: np.ndarray | None = None) -> np.ndarray:
    days = np.datetime64(start.isoformat(), "D") + np.asarray(offsets_days, dtype=np.int64)
    return _obj(np.datetime_as_string(days, unit="D"), missing)


def _frame(instrument: str, columns: dict) -> pd.DataFrame:
    cols = cb.INSTRUMENTS[instrument].columns
    missing = set(cols) - set(columns)
    extra = set(columns) - set(cols)
    if missing or extra:  # pragma: no cover - programming error
        raise AssertionError(f"{instrument}: missing {missing}, extra {extra}")
    return pd.DataFrame({c: columns[c] for c in cols})


def _count(rng, n: int, low: float, high: float, minimum: int = 0) -> int:
    """A count of about ``n * U(low, high)``, at least ``minimum`` (never more than n)."""
    k = int(round(n * rng.uniform(low, high)))
    return int(min(n, max(k, minimum)))
