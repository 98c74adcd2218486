"""Synthetic Form'Ain Cube sessions, seeded, of any size.

A synthetic session has the same files as a real one (``data/raw/<session>/``: one CSV per
instrument of :mod:`fac_eval.data.codebook`, canonical column names, answer codes, ISO dates, empty
cells for missing answers, plus ``session.yml`` with ``data_kind: synthetic``). It is meant for
tests, demonstrations and benchmarks, and is built to look like real data:

- learners start with a low-to-moderate self-esteem (Rosenberg EES-10 around 20–28) and the other
  outcomes are correlated with it; changes between entry and exit are mostly gains, with noise:
  some learners are unchanged or worse;
- attrition: 10–20 % of the learners drop out (``status = dropped_out`` with a reason) and have no
  exit questionnaire;
- missing data: a few empty answers, sometimes one Rosenberg item missing (the score is then
  prorated), rarely a whole questionnaire missing for a learner who completed;
- founders creating or developing a business, with revenues and created businesses;
- follow-up ``followup_months`` after the end for every learner who completed, with
  non-respondents (``responded = no``, situation empty) and situations in every *sortie dynamique*
  category (for 12 learners or more each category appears at least once);
- French testimonies assembled from template sentences (coaching, confidence, digital skills,
  network, motivation, time saved), with consent to quote or not;
- ids in the entry workbooks' convention (:data:`fac_eval.data.entry_templates.ID_PREFIX`): learners
  ``A01``, ``A02``…, founders ``P01``…, zero-padded to the width of the count (``A0001`` for
  1,000 learners).

Everything is drawn from one ``numpy.random.default_rng(seed)`` in a fixed order: the same
arguments give byte-identical files, whatever the machine's clock, hash seed or locale. Generation
is vectorised (10,000 learners take well under a second).

API::

    tables = generate_session("Démo", n_learners=14, n_founders=5, seed=2024)
    meta = session_meta("Démo", n_learners=14, n_founders=5, seed=2024)
    write_session("data/raw/demo", tables, meta)

or from the command line::

    python -m fac_eval.data.synth data/raw/demo --learners 14 --founders 5 --seed 2024

The returned tables hold the raw codes as they are written to the files: ordinal, integer and
revenue answers as nullable integers (``Int64``), yes/no and category answers as their codes
(strings such as ``"yes"``, ``"creation"``), dates as ISO strings, missing values as ``NA``. They
are *not* the project reader's typed tables (which turn yes/no into booleans and dates into
dates): to analyse a synthetic session, write it with :func:`write_session` and read it back
like any other session.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from fac_eval.data import codebook as cb

from .entry_templates import ID_PREFIX
from .synth_draws import (
    _AGE,
    _AGREEMENT,
    _CATEGORIES,
    _CATEGORY_P,
    _DROPOUT,
    _EDUCATION,
    _FOLLOWUP_SENTENCES,
    _FOUNDER_SENTENCES,
    _GENDER,
    _LEARNER_SENTENCES,
    _SECTORS,
    _SITUATIONS_BY_CATEGORY,
    _add_months,
    _choice,
    _count,
    _frame,
    _ids,
    _int_array,
    _iso,
    _obj,
    _ordinal,
    _session_dates,
)

PROGRAMME = (
    "Formation « Référent numérique en entreprise » et incubateur de porteurs de projet "
    "(création et développement d'entreprises)"
)
PROGRAMME_EN = "In-house digital support course and incubator for founders (starting or growing a business)"
TERRITORY = "Bassin d'Ambérieu-en-Bugey (Ain)"
FOLLOWUP_MONTHS = 3
#: A French synthetic session's name ("Form'Ain Cube — session 2024 (synthétique)"), whose
#: English title ``name_en`` ("Form'Ain Cube — 2024 session (synthetic)") is written beside it.
_SYNTHETIC_NAME = re.compile(r"^(?P<programme>.+) — session (?P<year>\d{4}) \(synthétique\)$")

#: Synthetic sessions shipped in ``data/raw/``: directory name -> arguments of generate_session.
SHIPPED: dict[str, dict] = {
    "synth-2024": dict(
        name="Form'Ain Cube — session 2024 (synthétique)",
        n_learners=14,
        n_founders=5,
        seed=2024,
        followup=True,
        start_date="2024-03-04",
    ),
}

#: Order in which files are written (instrument names of the codebook).
FILE_ORDER: tuple[str, ...] = tuple(cb.INSTRUMENTS)

# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------


def session_meta(
    name: str,
    n_learners: int,
    n_founders: int,
    seed: int,
    followup: bool = True,
    start_date=None,
) -> dict:
    """The ``session.yml`` content of the session that ``generate_session`` builds with the same
    arguments (dates are ``datetime.date``; YAML writes them as ISO dates)."""
    start, end = _session_dates(seed, start_date)
    fu = (
        f"Suivi à {FOLLOWUP_MONTHS} mois inclus (apprenants ayant terminé le parcours, "
        "non-réponses comprises)."
        if followup
        else f"Le suivi à {FOLLOWUP_MONTHS} mois n'est pas inclus."
    )
    english = _SYNTHETIC_NAME.match(name)
    return {
        "name": name,
        # "Form'Ain Cube — session 2024 (synthétique)": the English report's title in English
        **({"name_en": f"{english['programme']} — {english['year']} session (synthetic)"}
           if english else {}),
        "start_date": start,
        "end_date": end,
        "followup_months": FOLLOWUP_MONTHS,
        "programme": PROGRAMME,
        "programme_en": PROGRAMME_EN,
        "territory": TERRITORY,
        "data_kind": "synthetic",
        "notes": (
            f"Session fictive générée par fac_eval.synth (graine {int(seed)}, "
            f"{int(n_learners)} apprenants, {int(n_founders)} porteurs de projet) : aucune donnée "
            "ne correspond à une personne réelle. Elle sert aux tests, aux démonstrations et aux "
            f"mesures de performance. {fu}"
        ),
        "generator": "fac_eval.synth",
        "seed": int(seed),
        **synthetic_programme(n_learners, n_founders),
    }


def synthetic_programme(n_learners: int, n_founders: int) -> dict:
    """Fictitious programme sections of ``session.yml`` (objectives, context, activities, budget,
    data collection, perspectives, follow-up plan; see :mod:`fac_eval.data.programme`), so that every
    section of the report is exercised. The figures are invented and scale with the session."""
    n_learners, n_founders = int(n_learners), int(n_founders)
    total = 6_000 * n_learners + 2_500 * n_founders
    region = total * 6 // 10
    return {
        "objectives": [
            {"kind": "objective",
             "text": {"fr": "Redonner confiance aux apprenants et les remettre en mouvement vers "
                            "l'emploi (objectif fictif)",
                      "en": "Restore learners' confidence and set them moving towards work "
                            "(fictitious objective)"},
             "indicators": ["learners.confidence.improved", "learners.self_esteem.improved",
                            "followup.sortie_dynamique"]},
            {"kind": "objective",
             "text": {"fr": "Faire acquérir des compétences numériques utiles en entreprise "
                            "(objectif fictif)",
                      "en": "Build digital skills that businesses need (fictitious objective)"},
             "indicators": ["learners.digital_skills.improved", "learners.soft_skills.improved"]},
            {"kind": "bridge",
             "text": {"fr": "Développer le volet numérique des entreprises accompagnées "
                            "(objectif fictif)",
                      "en": "Develop the digital side of the businesses supported "
                            "(fictitious objective)"},
             "indicators": ["founders.developed", "founders.time_saved"]},
        ],
        "context": {
            "territory": {"fr": "Territoire fictif, décrit pour les tests de l'outil.",
                          "en": "A fictitious territory, described to test the tool."},
            "public": {"fr": "Demandeurs d'emploi de longue durée, en majorité en situation de "
                             "handicap (public fictif).",
                       "en": "Long-term job seekers, most of them with a disability "
                             "(fictitious public)."},
            "partners": {"fr": "Partenaires fictifs.", "en": "Fictitious partners."},
        },
        "activities": {
            "training_hours": 420,
            "collective_sessions": 24,
            "individual_sessions": 3 * n_learners,
            "founders_accompanied": n_founders,
            "missions": {"fr": "Missions numériques fictives auprès des porteurs de projet.",
                         "en": "Fictitious digital missions with the founders."},
        },
        "budget": {
            "total": total,
            "funders": [{"name": "Région (fictive)", "amount": region},
                        {"name": "Fonds social européen (fictif)", "amount": total - region}],
        },
        "data_collection": {
            "administered_by": {"fr": "Questionnaires générés par le générateur de sessions "
                                      "fictives de l'outil.",
                                "en": "Questionnaires generated by the tool's generator of "
                                      "fictitious sessions."},
            "when": {"fr": "Entrée, sortie et suivi, dates fictives.",
                     "en": "Entry, exit and follow-up, fictitious dates."},
            "anonymity": {"fr": "Identifiants pseudonymes générés ; aucune personne réelle.",
                          "en": "Generated pseudonymous ids; no real person."},
        },
        "perspectives": [
            {"fr": "Texte fictif des perspectives, écrit pour tester la section du rapport.",
             "en": "Fictitious outlook, written to test the report's section."},
            {"fr": "Recommandation fictive, écrite pour tester la section du rapport.",
             "en": "Fictitious recommendation, written to test the report's section.",
             "kind": "recommendation"},
        ],
        "followup_plan": {"fr": f"Suivi fictif à {FOLLOWUP_MONTHS} mois après la fin de la session.",
                          "en": f"Fictitious follow-up {FOLLOWUP_MONTHS} months after the end."},
    }


def generate_session(
    name: str,
    n_learners: int,
    n_founders: int,
    seed: int,
    followup: bool = True,
    start_date=None,
) -> dict[str, pd.DataFrame]:
    """Generate the raw tables of a synthetic session.

    Returns ``{instrument name: DataFrame}`` with the codebook's canonical columns, for
    ``learners_profile``, ``learners_entry``, ``learners_exit``, ``founders_profile``,
    ``founders_entry``, ``founders_exit``, ``testimonies`` and, when ``followup`` is true,
    ``followup``. ``name`` only goes into :func:`session_meta`; it does not change the draws.
    """
    if n_learners < 1 or n_founders < 0:
        raise ValueError("n_learners must be >= 1 and n_founders >= 0")
    rng = np.random.default_rng(int(seed))
    start, end = _session_dates(seed, start_date)
    length = (end - start).days
    tables: dict[str, pd.DataFrame] = {}

    # ---------------------------------------------------------------- learners' profile
    n = int(n_learners)
    lid = _ids(ID_PREFIX["learners"], n, 2)  # A01… (the entry workbooks' convention)
    gender = _choice(rng, _GENDER, n)
    age = _choice(rng, _AGE, n)
    months = np.clip(np.rint(np.exp(rng.normal(np.log(22.0), 0.8, n))), 0, 240).astype(np.int64)
    rqth = np.where(rng.random(n) < 0.6, "yes", "no").astype(object)
    education = _choice(rng, _EDUCATION, n)
    n_drop = _count(rng, n, 0.10, 0.20, minimum=1 if n >= 4 else 0)
    dropped = np.zeros(n, dtype=bool)
    dropped[rng.choice(n, size=n_drop, replace=False)] = True
    reason = _choice(rng, _DROPOUT, n)
    profile_missing = rng.random((n, 3)) < np.array([0.01, 0.02, 0.02])
    tables["learners_profile"] = _frame("learners_profile", {
        "learner_id": lid,
        "gender": gender,
        "age_band": _obj(age, profile_missing[:, 0]),
        "months_unemployed": _int_array(months, profile_missing[:, 1]),
        "rqth": rqth,
        "education_level": _obj(education, profile_missing[:, 2]),
        "status": np.where(dropped, "dropped_out", "completed").astype(object),
        "dropout_reason": _obj(reason, ~dropped),
    })

    # ---------------------------------------------------------------- learners' questionnaires
    # Latent traits: self-esteem at entry, a general "responsiveness" to the programme, and
    # digital / soft-skill levels; every outcome mixes them with noise of its own.
    theta = rng.normal(-0.25, 0.6, n)
    resp = rng.normal(0.0, 1.0, n)
    digital_lat = rng.normal(0.0, 1.0, n)
    soft_lat = 0.5 * theta + rng.normal(0.0, 0.85, n)

    def gain(mu, sd):
        return mu + sd * (0.6 * resp + 0.8 * rng.normal(0.0, 1.0, n))

    ses_gain = gain(0.45, 0.4)
    item_bias = np.array([0.25, 0.3, 0.0, 0.1, -0.1, 0.0, -0.15, -0.35, 0.0, 0.05])
    reversed_mask = np.array([cb.find_item(f"ses_{j:02d}").reversed for j in range(1, 11)])
    conf_lat = 0.7 * theta + rng.normal(0.0, 0.7, n)
    auto_lat = 0.5 * theta + rng.normal(0.0, 0.8, n)
    proj_lat = 0.6 * theta + rng.normal(0.0, 0.8, n)
    gains = {
        "confidence": gain(0.9, 0.6),
        "autonomy": gain(0.7, 0.6),
        "projection": gain(0.6, 0.7),
        "digital": gain(0.7, 0.35),
        "soft": gain(0.6, 0.35),
    }
    digital_bias = np.array([0.2, 0.1, -0.3, -0.2, -0.1])
    soft_bias = np.array([0.1, 0.3, 0.0, 0.0, -0.2])

    def wave_columns(shift: float) -> dict[str, np.ndarray]:
        """Item answers for one wave; ``shift`` is 0 at entry and 1 at exit."""
        cols: dict[str, np.ndarray] = {}
        level = 2.6 + 0.7 * (theta + shift * ses_gain)
        scored = _ordinal(level[:, None] + item_bias + rng.normal(0.0, 0.55, (n, 10)), 1, 4)
        raw = np.where(reversed_mask, 5 - scored, scored)
        for j in range(10):
            cols[f"ses_{j + 1:02d}"] = raw[:, j]
        cols["confidence"] = _ordinal(
            2.3 + 0.8 * conf_lat + shift * gains["confidence"] + rng.normal(0, 0.4, n), 1, 5)
        cols["autonomy"] = _ordinal(
            2.7 + 0.7 * auto_lat + shift * gains["autonomy"] + rng.normal(0, 0.4, n), 1, 5)
        dig = _ordinal((1.9 + 0.6 * digital_lat + shift * gains["digital"])[:, None] + digital_bias
                       + rng.normal(0.0, 0.45, (n, 5)), 1, 4)
        for j in range(5):
            cols[f"digital_{j + 1:02d}"] = dig[:, j]
        soft = _ordinal((2.9 + 0.6 * soft_lat + shift * gains["soft"])[:, None] + soft_bias
                        + rng.normal(0.0, 0.5, (n, 5)), 1, 5)
        for j in range(5):
            cols[f"soft_{j + 1:02d}"] = soft[:, j]
        cols["projection"] = _ordinal(
            2.3 + 0.7 * proj_lat + shift * gains["projection"] + rng.normal(0, 0.45, n), 1, 5)
        return cols

    def questionnaire(instrument, rows, dates, cols, p_missing_ses, p_missing_other):
        """Keep ``rows``; blank a few answers; return the canonical frame."""
        out = {"learner_id": lid[rows], "response_date": dates[rows]}
        names = [c for c in cb.INSTRUMENTS[instrument].columns if c in cols]
        miss = rng.random((int(rows.sum()), len(names)))
        for k, c in enumerate(names):
            p = p_missing_ses if c.startswith("ses_") else p_missing_other
            out[c] = _int_array(cols[c][rows], miss[:, k] < p)
        return _frame(instrument, out)

    no_entry = rng.random(n) < 0.01
    entry_dates = _iso(start, rng.integers(0, 5, n), rng.random(n) < 0.01)
    entry_cols = wave_columns(0.0)
    tables["learners_entry"] = questionnaire(
        "learners_entry", ~no_entry, entry_dates, entry_cols, 0.01, 0.015)

    no_exit = dropped | (rng.random(n) < 0.03)
    exit_dates = _iso(start, length - rng.integers(0, 5, n), rng.random(n) < 0.01)
    exit_cols = wave_columns(1.0)
    decl_level = 2.9 + 0.45 * resp
    for k, c in enumerate(cb.LEARNER_DECLARATION_ITEMS):
        exit_cols[c] = _ordinal(decl_level + (0.1 if k % 2 else 0.0)
                                + rng.normal(0.0, 0.6, n), 1, 4)
    tables["learners_exit"] = questionnaire(
        "learners_exit", ~no_exit, exit_dates, exit_cols, 0.01, 0.015)

    # ---------------------------------------------------------------- founders
    m = int(n_founders)
    fid = _ids(ID_PREFIX["founders"], m, 2)  # P01…
    n_creation = int(rng.binomial(m, 0.5)) if m else 0
    if m >= 2:
        n_creation = min(max(n_creation, 1), m - 1)
    creating = np.zeros(m, dtype=bool)
    creating[rng.choice(m, size=n_creation, replace=False)] = True
    sector = np.asarray(_SECTORS, dtype=object)[rng.integers(0, len(_SECTORS), m)]
    tables["founders_profile"] = _frame("founders_profile", {
        "founder_id": fid,
        "stage": np.where(creating, "creation", "development").astype(object),
        "sector": _obj(sector, rng.random(m) < 0.05),
    })
    created_exit = ~creating | (rng.random(m) < 0.65)
    rev_entry = np.round(np.exp(rng.normal(np.log(45_000.0), 0.6, m)), -2)
    rev_exit_dev = np.round(np.maximum(rev_entry * (1.0 + rng.normal(0.12, 0.15, m)), 0.0), -2)
    rev_first = np.round(rng.uniform(1_000.0, 15_000.0, m), -2)
    first_declared = rng.random(m) < 0.7
    rev_exit = np.where(creating, rev_first, rev_exit_dev)
    rev_exit_missing = (creating & ~(created_exit & first_declared)) | (rng.random(m) < 0.04)
    rev_entry_missing = creating | (rng.random(m) < 0.04)
    dig_in = _ordinal(2.2 + rng.normal(0.0, 0.9, m), 1, 4)
    dig_out = np.minimum(dig_in + rng.choice(3, size=m, p=[0.3, 0.5, 0.2]), 4)
    com_in = _ordinal(2.6 + rng.normal(0.0, 0.8, m), 1, 5)
    com_out = np.clip(com_in + rng.choice(3, size=m, p=[0.08, 0.75, 0.17]) - 1, 1, 5)
    man_in = _ordinal(2.4 + rng.normal(0.0, 0.8, m), 1, 5)
    man_out = np.clip(man_in + rng.choice(3, size=m, p=[0.08, 0.75, 0.17]) - 1, 1, 5)
    lead_in = _ordinal(2.5 + rng.normal(0.0, 0.7, m), 1, 5)
    lead_out = np.minimum(lead_in + rng.choice(3, size=m, p=[0.15, 0.6, 0.25]), 5)
    time_saved = _ordinal(3.0 + 0.4 * (dig_out - dig_in) + rng.normal(0.0, 0.7, m), 1, 4)
    f_miss = rng.random((m, 6)) < 0.02
    tables["founders_entry"] = _frame("founders_entry", {
        "founder_id": fid,
        "response_date": _iso(start, rng.integers(0, 5, m)),
        "business_created": np.where(creating, "no", "yes").astype(object),
        "annual_revenue": _int_array(rev_entry, rev_entry_missing),
        "digital_culture": _int_array(dig_in, f_miss[:, 0]),
        "internal_communication": _int_array(com_in, f_miss[:, 1]),
        "management": _int_array(man_in, f_miss[:, 2]),
        "leadership_skills": _int_array(lead_in),
    })
    tables["founders_exit"] = _frame("founders_exit", {
        "founder_id": fid,
        "response_date": _iso(start, length - rng.integers(0, 5, m)),
        "business_created": np.where(created_exit, "yes", "no").astype(object),
        "annual_revenue": _int_array(rev_exit, rev_exit_missing),
        "digital_culture": _int_array(dig_out, f_miss[:, 3]),
        "internal_communication": _int_array(com_out, f_miss[:, 4]),
        "management": _int_array(man_out, f_miss[:, 5]),
        "leadership_skills": _int_array(lead_out),
        "time_saved": _int_array(time_saved),
    })

    # ---------------------------------------------------------------- follow-up
    completed = np.flatnonzero(~dropped)
    fu_category = np.array([], dtype=object)
    fu_ids = lid[completed]
    if followup:
        k = completed.size
        n_nonresp = _count(rng, k, 0.12, 0.25, minimum=1 if k >= 5 else 0)
        responded = np.ones(k, dtype=bool)
        responded[rng.choice(k, size=n_nonresp, replace=False)] = False
        resp_idx = np.flatnonzero(responded)
        cat_idx = rng.choice(len(_CATEGORIES), size=resp_idx.size, p=_CATEGORY_P)
        if n >= 12 and resp_idx.size >= len(_CATEGORIES):
            forced = rng.choice(resp_idx.size, size=len(_CATEGORIES), replace=False)
            cat_idx[forced] = np.arange(len(_CATEGORIES))
        category = np.full(k, None, dtype=object)
        category[resp_idx] = np.asarray(_CATEGORIES, dtype=object)[cat_idx]
        situation = np.full(k, None, dtype=object)
        u = rng.random(k)
        for cat, (codes, p) in _SITUATIONS_BY_CATEGORY.items():
            sel = category == cat
            cum = np.cumsum(p) / np.sum(p)
            pick = np.minimum(np.searchsorted(cum, u[sel], side="right"), len(codes) - 1)
            situation[sel] = np.asarray(codes, dtype=object)[pick]
        in_activity = np.isin(category, ("durable", "transition", "positive"))
        digital = np.where(rng.random(k) < 0.45, "yes", "no").astype(object)
        fu_start = _add_months(end, FOLLOWUP_MONTHS)
        fu_dates = _iso(fu_start, rng.integers(-5, 21, k), ~responded)
        tables["followup"] = _frame("followup", {
            "learner_id": fu_ids,
            "response_date": fu_dates,
            "responded": np.where(responded, "yes", "no").astype(object),
            "situation": situation,
            "digital_sector": _obj(digital, ~in_activity),
        })
        fu_category = category

    # ---------------------------------------------------------------- testimonies
    parts: list[pd.DataFrame] = []

    def compose(bank: dict[str, tuple[str, ...]], count: int, genders=None) -> list[str]:
        """Two sentences of two different themes per testimony, agreed with the gender."""
        themes = list(bank)
        t = len(themes)
        first = rng.permutation(count) % t  # balanced themes as soon as count >= t
        second = (first + 1 + rng.integers(0, t - 1, count)) % t
        # each theme walks through its sentences from a random offset: few repeats
        used = {th: int(o) for th, o in zip(themes, rng.integers(0, 1_000, t).tolist())}
        genders = [None] * count if genders is None else list(genders)
        out = []
        for a, b, g in zip(first.tolist(), second.tolist(), genders):
            pair = []
            for th in (themes[a], themes[b]):
                sentences = bank[th]
                pair.append(sentences[used[th] % len(sentences)])
                used[th] += 1
            out.append(" ".join(pair).replace("{e}", _AGREEMENT.get(g, "·e")))
        return out

    def add(ids, population, wave, texts):
        c = len(texts)
        parts.append(pd.DataFrame({
            "participant_id": np.asarray(ids, dtype=object),
            "population": np.full(c, population, dtype=object),
            "wave": np.full(c, wave, dtype=object),
            "text": np.asarray(texts, dtype=object),
            "consent_quote": np.where(rng.random(c) < 0.8, "yes", "no").astype(object),
        }))

    speak = ~no_exit & (rng.random(n) < 0.6)
    add(lid[speak], "learners", "exit",
        compose(_LEARNER_SENTENCES, int(speak.sum()), gender[speak]))
    f_speak = rng.random(m) < 0.75
    add(fid[f_speak], "founders", "exit", compose(_FOUNDER_SENTENCES, int(f_speak.sum())))
    if followup and fu_ids.size:
        f_sel = (fu_category != None) & (rng.random(fu_ids.size) < 0.25)  # noqa: E711
        cats = fu_category[f_sel]
        kind = np.where(np.isin(cats, ("durable", "transition")), "job",
                        np.where(cats == "positive", "training", "searching"))
        u = rng.random(kind.size)
        texts = []
        for kd, x in zip(kind.tolist(), u.tolist()):
            bank = _FOLLOWUP_SENTENCES[kd]
            texts.append(bank[int(x * len(bank))].replace("{e}", "·e"))
        add(fu_ids[f_sel], "learners", "followup", texts)
    testimonies = pd.concat(parts, ignore_index=True)
    tables["testimonies"] = _frame("testimonies", {c: testimonies[c].to_numpy(dtype=object)
                                                   for c in testimonies.columns})

    return {k: tables[k] for k in FILE_ORDER if k in tables}


def make_session(
    name: str,
    n_learners: int,
    n_founders: int,
    seed: int,
    followup: bool = True,
    start_date=None,
) -> tuple[dict[str, pd.DataFrame], dict]:
    """``(generate_session(...), session_meta(...))`` with the same arguments."""
    args = (name, n_learners, n_founders, seed, followup, start_date)
    return generate_session(*args), session_meta(*args)


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def write_session(out_dir, tables: dict[str, pd.DataFrame], meta: dict) -> list[Path]:
    """Write ``<instrument>.csv`` files (UTF-8, comma, ``\\n`` line ends, canonical headers, codes,
    empty cells for missing values) and ``session.yml``; return the written paths.

    Files of instruments absent from ``tables`` are not written (and not deleted if present).
    """
    unknown = set(tables) - set(FILE_ORDER)
    if unknown:
        raise ValueError(f"unknown instruments: {sorted(unknown)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in FILE_ORDER:
        if name not in tables:
            continue
        df = tables[name]
        cols = cb.INSTRUMENTS[name].columns
        if list(df.columns) != cols:
            raise ValueError(f"{name}: columns must be the canonical {cols}")
        path = out / f"{name}.csv"
        df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", na_rep="")
        paths.append(path)
    path = out / "session.yml"
    text = yaml.safe_dump(dict(meta), sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8", newline="\n")
    paths.append(path)
    return paths


def write_shipped(root, names=None) -> list[Path]:
    """(Re)generate the synthetic sessions shipped in ``<root>/<name>/`` (see :data:`SHIPPED`)."""
    paths = []
    for dirname in names or SHIPPED:
        tables, meta = make_session(**SHIPPED[dirname])
        paths += write_session(Path(root) / dirname, tables, meta)
    return paths


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m fac_eval.data.synth", description="Write a synthetic Form'Ain Cube session.")
    ap.add_argument("out_dir", help="directory to write (e.g. data/raw/synth-demo)")
    ap.add_argument("--name", default=None, help="session name (default from the seed)")
    ap.add_argument("--learners", type=int, default=14)
    ap.add_argument("--founders", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start-date", default=None, help="ISO date of the first day")
    ap.add_argument("--no-followup", action="store_true", help="do not write followup.csv")
    a = ap.parse_args(argv)
    name = a.name or f"Form'Ain Cube — session synthétique (graine {a.seed})"
    tables, meta = make_session(name, a.learners, a.founders, a.seed,
                                followup=not a.no_followup, start_date=a.start_date)
    for p in write_session(a.out_dir, tables, meta):
        print(p)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
