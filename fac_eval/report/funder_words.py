"""The words of the funder sections (:mod:`fac_eval.report.funder_sections`): each caveat
code, the activities counted, the kinds of aims, quotation marks, and how an evaluator's text
of ``session.yml`` is read in a report's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .i18n import N_, NP_

if TYPE_CHECKING:
    from fac_eval.data.programme import LocalText

#: The words of each caveat code of :data:`fac_eval.analysis.funder.CAVEATS`.
CAVEAT_WORDS = {
    "self_report": N_("self-reported"),
    "exit_only": N_("asked at exit only, no entry baseline"),
    "not_testable": N_("too few people for a test"),
    "pending": N_("not collected yet"),
    "absent": N_("absent from these data, the planned date past"),
    "no_comparison": N_("no comparison group"),
    "little_change": N_("fewer than half changed"),
    "no_evidence": N_("no clear change shown at this sample size"),
    "missing": N_("not computed for this session"),
}

#: The activities of session.yml, counted.
ACTIVITIES = {
    "training_hours": NP_("%(num)s hour of training", "%(num)s hours of training"),
    "collective_sessions": NP_("%(num)s collective coaching time",
                               "%(num)s collective coaching times"),
    "individual_sessions": NP_("%(num)s individual coaching time",
                               "%(num)s individual coaching times"),
    "founders_accompanied": NP_("%(num)s founder accompanied", "%(num)s founders accompanied"),
}

#: What an aim is, by kind (objectives: the programme's; bridges: linking learners and founders).
AIM_KINDS = {"objective": N_("Objective %(num)s"), "bridge": N_("Bridge %(num)s")}

#: Below this many learners, the summary says the figures do not generalise.
SMALL_GROUP = 30


#: A text between the quotation marks of the language it is written in (« … » in French).
QUOTED = N_("\u201c%(text)s\u201d")


def quoted(text: str, lang: str) -> str:
    """``text`` between the quotation marks of ``lang``, the language it is written in (the
    catalog of that language gives them; the French spaces inside « » are added by the
    templates)."""
    from .i18n import messages

    return messages(lang)._(QUOTED, text=text)


def _filled(section) -> bool:
    """Whether a section of ``session.yml`` (a model, or None) gives at least one value."""
    return section is not None and any(
        value not in (None, "", [], {}) for value in section.model_dump().values())


def _text(text: LocalText | None, lang: str) -> tuple[str, str | None]:
    """An evaluator's text in the report's language and the ``lang`` attribute it needs
    (``"fr"`` when the English report falls back to the French text)."""
    if text is None:
        return "", None
    written_in = text.lang_of(lang)
    return text.get(lang), (written_in if written_in != lang else None)
