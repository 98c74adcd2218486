"""Counts that ``session.yml`` declares and that the data can check: warnings, not problems.

``activities.founders_accompanied: 5`` while ``founders_profile`` holds 4 founders may be right
(a founder accompanied who answered no questionnaire) or a slip; either way the evaluator should
know before the report shows both numbers. :func:`declared_count_warnings` lists each
disagreement in the problems' format (file, line, key, value, what the data hold); ``fac-eval
validate`` prints them after the problems, and they never make a session invalid.
"""

from __future__ import annotations

from fac_eval.core.i18n import N_
from fac_eval.data import codebook as cb
from fac_eval.data import safe_yaml
from fac_eval.data.reading_session import META_FILE, SessionData
from fac_eval.data.validation_problems import Problem, both, problem

__all__ = ["DECLARED_COUNTS", "declared_count_warnings", "followup_before_exit_warnings",
           "testimonies_before_exit_warnings", "before_exit_warnings"]

#: A follow-up with answers while the learners' exit questionnaire is not collected.
FOLLOWUP_BEFORE_EXIT = N_(
    "the learners' exit questionnaire first (%(exit)s): until it is entered, who completed the "
    "course is not known and the %(num)s follow-up answers are set aside (the follow-up stays "
    "pending in the report and its exports)")

#: The declared counts of ``activities`` and the instrument whose ids count the same people,
#: with what was expected (a catalog message).
DECLARED_COUNTS: dict[str, tuple[str, str]] = {
    "founders_accompanied": (
        "founders_profile",
        N_("the number of founders in %(file)s (%(found)s); if the programme also accompanied "
           "founders who answered no questionnaire, this warning can be left as it is (the "
           "report shows the number declared)")),
}


def declared_count_warnings(data: SessionData) -> list[Problem]:
    """Each count of ``session.yml``'s ``activities`` that differs from the number of people in
    the data (:data:`DECLARED_COUNTS`), as a problem of kind ``count_mismatch``. A count that is
    not a whole number, or whose file is absent, is left to the validation's own problems."""
    from fac_eval.data.programme import yaml_paths

    path = data.path / META_FILE
    if not path.is_file():
        return []
    raw, text, refused = safe_yaml.load(path)
    if refused is not None or not isinstance(raw, dict) or not isinstance(raw.get("activities"), dict):
        return []
    lines = yaml_paths(text or "")
    out = []
    for key, (instrument, expected) in DECLARED_COUNTS.items():
        declared = raw["activities"].get(key)
        table, file = data.tables.get(instrument), data.files.get(instrument)
        if isinstance(declared, bool) or not isinstance(declared, int) or table is None or file is None:
            continue
        id_column = cb.INSTRUMENTS[instrument].key
        found = int(table[id_column].dropna().nunique()) if id_column in table else 0
        if found != declared:
            out.append(problem(META_FILE, lines.get(("activities", key)), f"activities.{key}",
                               str(declared), "count_mismatch",
                               both(expected, file=file.name, found=found)))
    return out


def followup_before_exit_warnings(data: SessionData) -> list[Problem]:
    """One ``followup_before_exit`` warning when the follow-up file holds answers while the
    learners' exit questionnaire is pending (an interim session): those answers are set aside
    (:func:`fac_eval.data.cleaning.clean_session`), the follow-up stays pending."""
    followup, file = data.tables.get("followup"), data.files.get("followup")
    if "learners_exit" not in data.pending or followup is None or not len(followup):
        return []
    return [problem(file.name if file is not None else "followup.csv", None, None, None,
                    "followup_before_exit",
                    both(FOLLOWUP_BEFORE_EXIT, exit="learners_exit.csv",
                         num=int(followup[cb.INSTRUMENTS["followup"].key].nunique())))]


#: An exit-wave testimony while its population's exit questionnaire is not collected.
TESTIMONY_BEFORE_EXIT = N_(
    "the %(questionnaire)s first (%(exit)s): until it is entered, this exit testimony by "
    "%(id)s is set aside (neither quoted nor counted in the themes of the interim report)")

#: A follow-up testimony while the learners' exit questionnaire is not collected.
FOLLOWUP_TESTIMONY_BEFORE_EXIT = N_(
    "the learners' exit questionnaire first (%(exit)s), then the follow-up: until then, this "
    "follow-up testimony by %(id)s is set aside (neither quoted nor counted in the themes of "
    "the interim report)")


def testimonies_before_exit_warnings(data: SessionData) -> list[Problem]:
    """One ``testimony_before_exit`` warning for each testimony of a wave not collected yet
    (:func:`fac_eval.data.interim.awaited_testimonies`): an exit testimony while its
    population's exit questionnaire is pending, a learner's follow-up testimony while the
    learners' exit questionnaire is; each names its row, set aside by the cleaning."""
    from fac_eval.core.i18n import tr
    from fac_eval.data.interim import awaited_testimonies, pending_label

    table, file = data.tables.get("testimonies"), data.files.get("testimonies")
    if table is None or not len(table) or not data.pending:
        return []
    awaited = awaited_testimonies(table, data.pending)
    out = []
    name = file.name if file is not None else "testimonies.csv"
    for _, row in table[awaited].iterrows():
        population, wave = str(row["population"]), str(row["wave"])
        line = int(row["source_row"]) if "source_row" in row and row["source_row"] == \
            row["source_row"] else None
        if wave == "exit":
            label = pending_label(f"{population}_exit")
            expected = both(TESTIMONY_BEFORE_EXIT, exit=f"{population}_exit.csv",
                            id=row["participant_id"],
                            questionnaire=lambda lang, lb=label: tr(lang, lb))
        else:
            expected = both(FOLLOWUP_TESTIMONY_BEFORE_EXIT, exit="learners_exit.csv",
                            id=row["participant_id"])
        out.append(problem(name, line, "wave", wave, "testimony_before_exit", expected))
    return out


def before_exit_warnings(data: SessionData) -> list[Problem]:
    """What an interim session holds from a wave that comes after a pending exit questionnaire
    (follow-up answers, exit and follow-up testimonies): set aside, and said."""
    return followup_before_exit_warnings(data) + testimonies_before_exit_warnings(data)
