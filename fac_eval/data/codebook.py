"""The codebook: one description of every instrument of a Form'Ain Cube session.

The same objects drive validation (:mod:`fac_eval.data.validation`), reading French labels
(:mod:`fac_eval.data.io`), cleaning and scoring (:mod:`fac_eval.data.cleaning`), the data-entry templates
and the report's labels. Column names are English snake_case; every column and every answer has
a French label (what evaluators type in their spreadsheets) and an English one.

Instruments (one raw file each in ``data/raw/<session>/``, named ``<instrument>.csv`` or
``<instrument>.xlsx``):

- ``learners_profile``: who the learners are at entry and how their course ended;
- ``learners_entry`` / ``learners_exit``: the learners' questionnaire, same items both times,
  plus exit-only declarations in the exit wave;
- ``founders_profile``, ``founders_entry`` / ``founders_exit``: the founders (porteurs de projet);
- ``followup``: learners' situation N months after the end (optional file);
- ``testimonies``: free text by participant and wave, with consent to quote.
"""

from __future__ import annotations

from fac_eval.core.i18n import NC_, NP_, messages
from fac_eval.data.codebook_model import (  # noqa: F401  (the model's names, kept here)
    Choice,
    Instrument,
    Item,
    ItemType,
    Label,
    Scale,
    Wave,
)

# --------------------------------------------------------------------------------------------
# Answer scales
# --------------------------------------------------------------------------------------------

YES_NO = (
    Choice("yes", NC_("codebook", "Yes"), ("o", "y", "1", "true", "vrai")),
    Choice("no", NC_("codebook", "No"), ("n", "0", "false", "faux")),
)

#: Rosenberg EES-10 answers (Vallières & Vallerand 1990).
AGREE_4 = (
    Choice(1, NC_("codebook", "Strongly disagree"), ("pas du tout d'accord",)),
    Choice(2, NC_("codebook", "Disagree"), ("plutot pas d'accord", "pas d'accord")),
    Choice(3, NC_("codebook", "Agree"), ("plutot d'accord", "d'accord")),
    Choice(4, NC_("codebook", "Strongly agree"), ("tout a fait d'accord",)),
)

#: Self-rated level on a skill (DigComp-style proficiency, simplified to 4 levels).
LEVEL_4 = (
    Choice(1, NC_("codebook", "Beginner"), ("debutante",)),
    Choice(2, NC_("codebook", "Intermediate"), ()),
    Choice(3, NC_("codebook", "Advanced"), ("avancee",)),
    Choice(4, NC_("codebook", "Expert"), ("experte",)),
)

#: How far a statement applies (used for the 1–5 self-ratings of confidence, autonomy...).
EXTENT_5 = (
    Choice(1, NC_("codebook", "Not at all"), ()),
    Choice(2, NC_("codebook", "A little"), ()),
    Choice(3, NC_("codebook", "Moderately"), ()),
    Choice(4, NC_("codebook", "A lot"), ()),
    Choice(5, NC_("codebook", "Completely"), ("totalement",)),
)

AGREE_CODES_YES = (3, 4)  # "agree" answers on AGREE_4 count as "yes"


def _agree_items(prefix: str, labels: list[Label], waves, scale=None, reversed_idx=(),
                 former=None):
    out = []
    for i, label in enumerate(labels, start=1):
        out.append(
            Item(
                f"{prefix}_{i:02d}",
                label,
                "ordinal",
                AGREE_4,
                scale=scale,
                reversed=i in reversed_idx,
                waves=waves,
                former_labels=(former or {}).get(i, ()),
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# Learners
# --------------------------------------------------------------------------------------------

ROSENBERG_ITEMS = [
    NC_("codebook", "I feel that I am a person of worth, at least on an equal plane with others"),
    NC_("codebook", "I feel that I have a number of good qualities"),
    NC_("codebook", "All in all, I am inclined to feel that I am a failure"),
    NC_("codebook", "I am able to do things as well as most other people"),
    NC_("codebook", "I feel I do not have much to be proud of"),
    NC_("codebook", "I take a positive attitude toward myself"),
    NC_("codebook", "On the whole, I am satisfied with myself"),
    NC_("codebook", "I wish I could have more respect for myself"),
    NC_("codebook", "I certainly feel useless at times"),
    NC_("codebook", "At times I think I am no good at all"),
]

#: The French items' former wordings, still read as column headers: the entry templates'
#: median dot and the parentheses of the published validation (Vallières & Vallerand 1990).
ROSENBERG_FORMER_FR = {
    3: ("Tout bien considéré, je suis porté·e à me considérer comme un·e raté·e",
        "Tout bien considéré, je suis porté(e) à me considérer comme un(e) raté(e)"),
    5: ("Je sens peu de raisons d'être fier·e de moi",
        "Je sens peu de raisons d'être fier(e) de moi"),
    7: ("Dans l'ensemble, je suis satisfait·e de moi",
        "Dans l'ensemble, je suis satisfait(e) de moi"),
    10: ("Il m'arrive de penser que je suis un·e bon·ne à rien",
         "Il m'arrive de penser que je suis un(e) bon(ne) à rien"),
}

DIGITAL_AREAS = [
    NC_("codebook", "Information and data literacy"),
    NC_("codebook", "Communication and collaboration"),
    NC_("codebook", "Digital content creation"),
    NC_("codebook", "Safety"),
    NC_("codebook", "Problem solving"),
]

SOFT_SKILLS = [
    NC_("codebook", "Communicating orally and in writing"),
    NC_("codebook", "Working in a team"),
    NC_("codebook", "Organising my work and meeting deadlines"),
    NC_("codebook", "Adapting to new situations"),
    NC_("codebook", "Taking initiative"),
]

BOTH: tuple[Wave, ...] = ("entry", "exit")

LEARNER_OUTCOME_ITEMS: list[Item] = [
    *_agree_items("ses", ROSENBERG_ITEMS, BOTH, scale="self_esteem", reversed_idx=(3, 5, 8, 9, 10),
                  former=ROSENBERG_FORMER_FR),
    Item("confidence", NC_("codebook", "Self-confidence"), "ordinal", EXTENT_5, waves=BOTH,
         description="« Aujourd'hui, j'ai confiance en moi »"),
    Item("autonomy", NC_("codebook", "Autonomy"), "ordinal", EXTENT_5, waves=BOTH,
         description="« Je sais avancer seul·e dans mon travail »"),
    *[Item(f"digital_{i:02d}", label, "ordinal", LEVEL_4, scale="digital_skills", waves=BOTH)
      for i, label in enumerate(DIGITAL_AREAS, start=1)],
    *[Item(f"soft_{i:02d}", label, "ordinal", EXTENT_5, scale="soft_skills", waves=BOTH)
      for i, label in enumerate(SOFT_SKILLS, start=1)],
    Item("projection", NC_("codebook", "Ability to see my professional future"), "ordinal", EXTENT_5, waves=BOTH),
]

LEARNER_DECLARATIONS: list[Item] = [
    Item("step_back", NC_("codebook", "I am able to step back and look at a situation objectively"), "ordinal", AGREE_4,
         waves=("exit",)),
    Item("aware_skills_value", NC_("codebook", "I have become aware of the value of my skills"),
         "ordinal", AGREE_4, waves=("exit",)),
    Item("value_skills", NC_("codebook", "I feel better able to put my skills forward"),
         "ordinal", AGREE_4, waves=("exit",)),
    Item("aspirations", NC_("codebook", "I have improved my ability to reach my professional aspirations"),
         "ordinal", AGREE_4,
         waves=("exit",)),
    Item("motivation", NC_("codebook", "I am more motivated to pursue my professional project"), "ordinal", AGREE_4,
         waves=("exit",),
         former_labels=("Je suis davantage motivé·e à poursuivre mon projet professionnel",)),
]

GENDER = (
    Choice("f", NC_("codebook", "Woman"), ("feminin", "f")),
    Choice("m", NC_("codebook", "Man"), ("masculin", "h")),
    Choice("x", NC_("codebook", "Other / prefer not to say"), ("autre",)),
)
AGE_BAND = (
    Choice("18-25", NC_("codebook", "18–25"), ("18-25 ans",)),
    Choice("26-35", NC_("codebook", "26–35"), ("26-35 ans",)),
    Choice("36-45", NC_("codebook", "36–45"), ("36-45 ans",)),
    Choice("46-55", NC_("codebook", "46–55"), ("46-55 ans",)),
    Choice("56+", NC_("codebook", "56 and over"), ("56 ans et +", "56+ ans")),
)
EDUCATION = (
    Choice("none", NC_("codebook", "No qualification"), ()),
    Choice("cap_bep", NC_("codebook", "Vocational (CAP/BEP)"), ("cap", "bep")),
    Choice("bac", NC_("codebook", "Baccalauréat"), ("bac",)),
    Choice("bac2", NC_("codebook", "Two years of higher education"), ("bac+2",)),
    Choice("bac3plus", NC_("codebook", "Three years or more of higher education"),
           ("bac+3", "bac +3", "licence", "master")),
)
LEARNER_STATUS = (
    Choice("completed", NC_("codebook", "Completed"), ("termine",)),
    Choice("dropped_out", NC_("codebook", "Dropped out"), ("abandonne",)),
)
DROPOUT_REASON = (
    Choice("health", NC_("codebook", "Health"), ()),
    Choice("employment", NC_("codebook", "Found a job"), ("emploi",)),
    Choice("personal", NC_("codebook", "Personal reasons"), ("personnel",)),
    Choice("other", NC_("codebook", "Other"), ()),
)

LEARNERS_PROFILE = Instrument(
    "learners_profile", NC_("codebook", "Learners — profile at entry"),
    (
        Item("learner_id", NC_("codebook", "Learner id"), "id", nullable=False),
        Item("gender", NC_("codebook", "Gender"), "category", GENDER),
        Item("age_band", NC_("codebook", "Age band"), "category", AGE_BAND),
        Item("months_unemployed", NC_("codebook", "Months unemployed at entry"), "integer", minimum=0, maximum=600),
        Item("rqth", NC_("codebook", "Recognised disabled worker (RQTH)"), "boolean", YES_NO),
        Item("education_level", NC_("codebook", "Education level"), "category", EDUCATION),
        Item("status", NC_("codebook", "Status at the end"), "category", LEARNER_STATUS,
             nullable=False),
        Item("dropout_reason", NC_("codebook", "Reason for dropping out"), "category",
             DROPOUT_REASON, required=False),
    ),
    key="learner_id", wave="profile", population="learners",
)


def _questionnaire(name, label, key, wave, population, items, optional=False):
    cols = (
        Item(key, NC_("codebook", "Learner id") if population == "learners" else
             NC_("codebook", "Founder id"), "id", nullable=False),
        Item("response_date", NC_("codebook", "Response date"), "date"),
        *[it for it in items if wave in it.waves],
    )
    return Instrument(name, label, cols, key=key, wave=wave, population=population,
                      optional=optional)


LEARNERS_ENTRY = _questionnaire(
    "learners_entry", NC_("codebook", "Learners — entry questionnaire"),
    "learner_id", "entry", "learners", LEARNER_OUTCOME_ITEMS,
)
LEARNERS_EXIT = _questionnaire(
    "learners_exit", NC_("codebook", "Learners — exit questionnaire"),
    "learner_id", "exit", "learners", LEARNER_OUTCOME_ITEMS + LEARNER_DECLARATIONS,
)

# --------------------------------------------------------------------------------------------
# Founders
# --------------------------------------------------------------------------------------------

FOUNDER_STAGE = (
    Choice("creation", NC_("codebook", "Creating a business"), ("en creation",)),
    Choice("development", NC_("codebook", "Developing a business"), ("en developpement",)),
)

FOUNDER_OUTCOME_ITEMS: list[Item] = [
    Item("business_created", NC_("codebook", "Business created (registered)"),
         "boolean", YES_NO, waves=BOTH),
    Item("annual_revenue", NC_("codebook", "Annual revenue (EUR)"), "number",
         minimum=0, maximum=1e9, waves=BOTH),
    Item("digital_culture", NC_("codebook", "Digital literacy"), "ordinal", LEVEL_4, waves=BOTH),
    Item("internal_communication", NC_("codebook", "Internal communication"), "ordinal",
         EXTENT_5, waves=BOTH),
    Item("management", NC_("codebook", "Management"), "ordinal", EXTENT_5, waves=BOTH),
    Item("leadership_skills", NC_("codebook", "Business leadership skills"),
         "ordinal", EXTENT_5, waves=BOTH, former_labels=("Compétences de chef·fe d'entreprise",)),
    Item("time_saved", NC_("codebook", "I saved time thanks to the digital tools the learners brought"),
         "ordinal", AGREE_4,
         waves=("exit",), asks_attribution=True),
]

FOUNDERS_PROFILE = Instrument(
    "founders_profile", NC_("codebook", "Founders — profile"),
    (
        Item("founder_id", NC_("codebook", "Founder id"), "id", nullable=False),
        Item("stage", NC_("codebook", "Stage"), "category", FOUNDER_STAGE, nullable=False),
        Item("sector", NC_("codebook", "Business sector"), "text", required=False),
    ),
    key="founder_id", wave="profile", population="founders",
)
FOUNDERS_ENTRY = _questionnaire(
    "founders_entry", NC_("codebook", "Founders — entry questionnaire"),
    "founder_id", "entry", "founders", FOUNDER_OUTCOME_ITEMS,
)
FOUNDERS_EXIT = _questionnaire(
    "founders_exit", NC_("codebook", "Founders — exit questionnaire"),
    "founder_id", "exit", "founders", FOUNDER_OUTCOME_ITEMS,
)

# --------------------------------------------------------------------------------------------
# Follow-up and sortie dynamique (IAE definition, DGEFP)
# --------------------------------------------------------------------------------------------

#: Situation codes at follow-up, with the IAE exit category each one falls in.
#: Categories: "durable" (emploi durable), "transition" (emploi de transition),
#: "positive" (sortie positive), "other" (autres sorties: counted in the denominator),
#: "neutralised" (removed from the denominator).
SITUATIONS = (
    Choice("cdi", NC_("codebook", "Permanent contract"), ("contrat a duree indeterminee",)),
    Choice("cdd_6m_plus", NC_("codebook", "Fixed-term contract of 6 months or more"),
           ("cdd 6 mois et plus", "cdd >= 6 mois")),
    Choice("interim_6m_plus", NC_("codebook", "Temporary work of 6 months or more"),
           ("interim >= 6 mois",)),
    Choice("civil_service", NC_("codebook", "Civil service"),
           ("fonction publique",)),
    Choice("business_creation", NC_("codebook", "Business creation"),
           ("creation d'entreprise", "creation")),
    Choice("cdd_under_6m", NC_("codebook", "Fixed-term contract under 6 months"),
           ("cdd < 6 mois",)),
    Choice("interim_under_6m", NC_("codebook", "Temporary work under 6 months"),
           ("interim < 6 mois",)),
    Choice("subsidised_contract", NC_("codebook", "Subsidised contract"), ("contrat aide",)),
    Choice("qualifying_training", NC_("codebook", "Qualifying or pre-qualifying training"),
           ("formation qualifiante", "formation")),
    Choice("siae_hiring", NC_("codebook", "Hired by another SIAE"),
           ("embauche siae",)),
    Choice("job_seeker", NC_("codebook", "Job seeker"), ("demandeur d'emploi",)),
    # the former label (median dot, before docs/style.md) stays accepted as an alias
    Choice("inactive", NC_("codebook", "Inactive"),
           ("inactif", "inactive", "Inactif·ve (hors motifs neutralisés)")),
    Choice("long_illness", NC_("codebook", "Long illness or hospitalisation"),
           ("maladie",)),
    Choice("moved_away", NC_("codebook", "Moved away"), ("demenagement",)),
    Choice("retirement", NC_("codebook", "Retirement"), ("retraite",)),
    Choice("maternity_leave", NC_("codebook", "Maternity or parental leave"),
           ("conge maternite",)),
    Choice("incarceration", NC_("codebook", "Incarceration"), ()),
    Choice("deceased", NC_("codebook", "Deceased"), ("deces",)),
)

SORTIE_CATEGORY: dict[str, str] = {
    "cdi": "durable", "cdd_6m_plus": "durable", "interim_6m_plus": "durable",
    "civil_service": "durable", "business_creation": "durable",
    "cdd_under_6m": "transition", "interim_under_6m": "transition",
    "subsidised_contract": "transition",
    "qualifying_training": "positive", "siae_hiring": "positive",
    "job_seeker": "other", "inactive": "other",
    "long_illness": "neutralised", "moved_away": "neutralised", "retirement": "neutralised",
    "maternity_leave": "neutralised", "incarceration": "neutralised", "deceased": "neutralised",
}

#: Situations removed from the denominator of the sortie dynamique rate. The official DGEFP list
#: is not fully public; this is our documented default, overridable per session in session.yml
#: (``neutralised_situations: [...]``) or per call.
DEFAULT_NEUTRALISED: tuple[str, ...] = tuple(k for k, v in SORTIE_CATEGORY.items() if v == "neutralised")

SORTIE_CATEGORY_LABELS: dict[str, Label] = {
    "durable": NC_("codebook", "Lasting employment"),
    "transition": NC_("codebook", "Transitional employment"),
    "positive": NC_("codebook", "Positive exit"),
    "other": NC_("codebook", "Other situation"),
    "neutralised": NC_("codebook", "Neutralised exit"),
}

FOLLOWUP = Instrument(
    "followup", NC_("codebook", "Follow-up after N months"),
    (
        Item("learner_id", NC_("codebook", "Learner id"), "id", nullable=False),
        Item("response_date", NC_("codebook", "Response date"), "date"),
        Item("responded", NC_("codebook", "Responded"), "boolean", YES_NO, nullable=False),
        Item("situation", NC_("codebook", "Situation"), "category", SITUATIONS),
        Item("digital_sector", NC_("codebook", "Job or training in the digital sector"), "boolean", YES_NO),
    ),
    key="learner_id", wave="followup", population="learners", optional=True,
)

# --------------------------------------------------------------------------------------------
# Testimonies
# --------------------------------------------------------------------------------------------

POPULATION = (
    Choice("learners", NC_("codebook", "Learner"), ("apprenants", "apprenant·e")),
    Choice("founders", NC_("codebook", "Founder"), ("porteurs de projet", "porteur", "porteuse")),
)
TESTIMONY_WAVE = (
    Choice("exit", NC_("codebook", "Exit"), ("fin de session",)),
    Choice("followup", NC_("codebook", "Follow-up"), ()),
)

TESTIMONIES = Instrument(
    "testimonies", NC_("codebook", "Testimonies"),
    (
        Item("participant_id", NC_("codebook", "Participant id"), "id", nullable=False),
        Item("population", NC_("codebook", "Population"), "category", POPULATION, nullable=False),
        Item("wave", NC_("codebook", "Wave"), "category", TESTIMONY_WAVE, nullable=False),
        Item("text", NC_("codebook", "Testimony"), "text", nullable=False),
        Item("consent_quote", NC_("codebook", "Consent to quote"), "boolean", YES_NO,
             nullable=False),
    ),
    key="participant_id", wave="testimony", population="learners", optional=True,
)

# --------------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------------

INSTRUMENTS: dict[str, Instrument] = {
    i.name: i
    for i in (
        LEARNERS_PROFILE, LEARNERS_ENTRY, LEARNERS_EXIT,
        FOUNDERS_PROFILE, FOUNDERS_ENTRY, FOUNDERS_EXIT,
        FOLLOWUP, TESTIMONIES,
    )
}

#: Provenance of the home-made scales' yardstick.
_NO_NORM = NC_("codebook",
    "Scale built for the programme: no published norm nor reliability, hence no reliable "
    "change index (no value is invented).")

SCALES: dict[str, Scale] = {
    "self_esteem": Scale(
        "self_esteem", NC_("codebook", "Self-esteem (Rosenberg, EES-10)"),
        tuple(f"ses_{i:02d}" for i in range(1, 11)), 1, 4,
        reliability=0.84,
        reliability_source=NC_("codebook",
            "Vallières & Vallerand (1990), Traduction et validation canadienne-française de "
            "l'échelle de l'estime de soi de Rosenberg, Int. J. Psychol. 25: test-retest r = .84 "
            "(3 weeks); internal consistency .70–.90."),
        # No normative SD could be sourced. Searched (issue 12): Vallières & Vallerand (1990),
        # whose abstract and instrument sheet (RQRV, rqrv.com instrument 53) give samples and
        # reliabilities but no mean or SD of the total score that we could read; the later
        # French validations that sheet lists (Gana, Alaphilippe & Bailly 2005; Schmitt & Allik
        # 2005, France sample), whose tables were not available to us. Fixed value, documented,
        # the same for every session: a sixth of the score's 30-point range (10 to 40), the
        # usual range / 6 rule. No figure or citation is invented.
        norm_sd=5.0,
        norm_sd_source=NC_("codebook",
            "No normative SD could be sourced: no French norm of the 10–40 total score was found "
            "(searched: Vallières & Vallerand 1990; the later French validations, Gana, "
            "Alaphilippe & Bailly 2005 and Schmitt & Allik 2005, France sample; their tables "
            "could not be consulted). Value used: 5.0 points, a sixth of the score's 30-point "
            "range (range / 6 rule), fixed and the same for every session so that the reliable "
            "change threshold does not depend on the group."),
        norm_sd_short=NC_("codebook",
            "a fixed value, for want of a French norm we could consult"),
        max_missing=1,
        description="10 items notés de 1 à 4 ; items 3, 5, 8, 9 et 10 inversés ; score de 10 à 40.",
    ),
    "digital_skills": Scale(
        "digital_skills", NC_("codebook", "Digital skills (5 DigComp 2.2 areas)"),
        tuple(f"digital_{i:02d}" for i in range(1, 6)), 1, 4, max_missing=1,
        norm_sd_source=_NO_NORM,
        description="Auto-positionnement de 1 (débutant) à 4 (expert) sur les 5 domaines DigComp.",
    ),
    "soft_skills": Scale(
        "soft_skills", NC_("codebook", "Employability soft skills"),
        tuple(f"soft_{i:02d}" for i in range(1, 6)), 1, 5, max_missing=1,
        norm_sd_source=_NO_NORM,
        description="Auto-évaluation de 1 (pas du tout) à 5 (tout à fait) sur 5 savoir-être.",
    ),
}

#: Learners' entry/exit outcomes compared in the report: scales and single items, in order.
LEARNER_OUTCOMES: tuple[str, ...] = (
    "self_esteem", "confidence", "autonomy", "digital_skills", "soft_skills", "projection",
)
#: Learners' exit-only declarations ("yes" = agree or strongly agree).
LEARNER_DECLARATION_ITEMS: tuple[str, ...] = tuple(it.name for it in LEARNER_DECLARATIONS)
#: Founders' entry/exit ordinal outcomes.
FOUNDER_OUTCOMES: tuple[str, ...] = (
    "digital_culture", "internal_communication", "management", "leadership_skills",
)

#: Every entry/exit outcome that a paired test compares (learners, then founders).
PAIRED_OUTCOMES: tuple[str, ...] = LEARNER_OUTCOMES + FOUNDER_OUTCOMES

#: The primary outcomes, declared before any data are seen: they alone form the Holm family of
#: their population (``learners.outcomes``, ``founders.outcomes``); every other paired outcome is
#: secondary, reported with its raw p-value and labelled exploratory, so that adding a secondary
#: outcome never changes a primary result. A session may declare its own list in ``session.yml``
#: (``primary_outcomes: [...]``, validated by :mod:`fac_eval.data.programme`), which replaces this one.
#:
#: Rationale of the default (the programme's stated aims, Form'Ain Cube 2022 assessment): the
#: learners' gain in confidence ("le projet répond au besoin de gain de confiance"), their
#: self-esteem (measured with the one validated scale, the EES-10), their ability to project
#: themselves professionally and their digital skills (the training's purpose); for the founders,
#: the digital side of their business (digital culture). Autonomy, soft skills, internal
#: communication, management (not an objective of the founders, says the assessment) and
#: leadership skills are secondary.
PRIMARY_OUTCOMES: tuple[str, ...] = (
    "self_esteem", "confidence", "projection", "digital_skills", "digital_culture",
)


def outcome_label(name: str, lang: str = "fr") -> str:
    """French (or English) label of a scale or of a single item, searched in every instrument."""
    if name in SCALES:
        return SCALES[name].label(lang)
    for inst in INSTRUMENTS.values():
        for it in inst.items:
            if it.name == name:
                return it.label(lang)
    raise KeyError(name)


def asks_attribution(indicator: str) -> bool:
    """Whether the questionnaire item behind ``indicator`` ("founders.time_saved",
    "learners.step_back.agree") asks the programme's part itself; False for a derived indicator
    (a change between entry and exit never says what caused it)."""
    parts = str(indicator).split(".")
    try:
        return len(parts) > 1 and find_item(parts[1]).asks_attribution
    except KeyError:
        return False


def find_item(name: str) -> Item:
    for inst in INSTRUMENTS.values():
        for it in inst.items:
            if it.name == name:
                return it
    raise KeyError(name)


def score_range(outcome: str) -> tuple[float | None, float | None]:
    """The lowest and highest score of a paired outcome: a scale's score range (10 to 40 for
    the EES-10), else its item's lowest and highest numeric code; ``(None, None)`` when the item
    has no numeric code. The largest change the outcome allows is their difference."""
    if outcome in SCALES:
        s = SCALES[outcome]
        return float(s.score_min), float(s.score_max)
    item = find_item(outcome)
    codes = [c for c in item.codes if isinstance(c, (int, float)) and not isinstance(c, bool)]
    if codes:
        return float(min(codes)), float(max(codes))
    return None, None


def instrument_label(name: str, lang: str = "fr", months=None) -> str:
    """The label of instrument ``name`` in ``lang``, with the follow-up's "N months" made the
    session's real delay (``followup_months`` of session.yml): "Suivi à 3 mois", "Follow-up
    after 3 months". Without a delay the generic label stays ("Suivi à N mois")."""
    inst = INSTRUMENTS.get(name)
    if inst is None:
        return name
    text = inst.label(lang)
    try:
        m = int(months) if months is not None and str(months).strip() != "" else None
    except (TypeError, ValueError):
        m = None
    if m is not None and m > 0 and name == "followup":
        text = messages(lang).nplural(FOLLOWUP_AFTER, m)
    return text


#: The follow-up instrument's label once the session's delay is known ("Suivi à 3 mois").
FOLLOWUP_AFTER = NP_("Follow-up after %(num)s month", "Follow-up after %(num)s months")
