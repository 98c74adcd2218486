"""The synthèse's length: its words counted as a reader counts them, and the evaluator's texts
shortened sentence by sentence until it fits
(:meth:`fac_eval.report.funder_sections.FunderSections.synthesis`).

Pure text functions: no markup is built here (the templates render the paragraphs).
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Iterator

from fac_eval.core.formatting import fmt_number
from fac_eval.core.i18n import Messages

from .i18n import N_, NP_

__all__ = ["SYNTHESIS_MAX_WORDS", "CUT", "count_words", "count_tokens", "sentences", "shorten",
           "shortenings",
           "respondents_words"]

#: The most words of the synthèse (its headings included).
SYNTHESIS_MAX_WORDS = 300

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W_]+(?:[’'-][^\W_]+)*")


def count_words(html: str) -> int:
    """Words of a rendered fragment, tags stripped (numbers count as words; "8 sur 8 (100 %)"
    is four)."""
    text = _html.unescape(_TAG.sub(" ", str(html)))
    return len(_WORD.findall(text))


def count_tokens(html: str) -> int:
    """The strictest count of a rendered fragment: every run of non-spaces of its visible text
    is one (a French " : " and the "%" of "(100 %)" too), as a reader counting generously
    would. A synthèse that lists many counts is held to it as well as to :func:`count_words`."""
    text = _html.unescape(_TAG.sub(" ", str(html)))
    return len(text.replace("\u00a0", " ").replace("\u202f", " ").split())


#: Where a sentence ends (its mark, then spaces): "…", "?" and "!" after a French space too.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
#: What ends a text shortened in the synthèse (the full text is in its own section).
CUT = "[…]"


def sentences(text: str) -> list[str]:
    """The sentences of a text, in order (a space after ``.`` ``!`` ``?`` or ``…`` ends one)."""
    return [s for s in _SENTENCE_END.split(str(text).strip()) if s]


def shorten(text: str, keep: int | None) -> str:
    """``text`` cut after its first ``keep`` sentences, ending with :data:`CUT` (the whole text
    when ``keep`` is None or covers it)."""
    parts = sentences(text)
    if keep is None or keep >= len(parts):
        return text
    return " ".join(parts[:keep]) + " " + CUT


def shortenings(*texts: str | None) -> Iterator[tuple[int | None, ...]]:
    """Sentence counts to keep of each of ``texts`` (one per text, in order), longest first,
    until the synthèse fits: the first text is shortened sentence by sentence, then left out
    (0), then the next, and so on; None is the whole text. A text not given stays None
    throughout."""
    keep: list[int | None] = [None] * len(texts)
    yield tuple(keep)
    for i, text in enumerate(texts):
        n = len(sentences(text)) if text else 0
        for k in range(n - 1, -1, -1):
            keep[i] = k
            yield tuple(keep)


#: The people a finding counts, by population: one number, or the fewest and the most.
_PEOPLE = {"learners": (NP_("%(num)s learner", "%(num)s learners"),
                        N_("%(low)s to %(high)s learners")),
           "founders": (NP_("%(num)s founder", "%(num)s founders"),
                        N_("%(low)s to %(high)s founders"))}


def respondents_words(words: Messages, lang: str, counts: dict[str, tuple[int, int]]) -> str:
    """Who answered the questions behind the findings
    (:func:`fac_eval.analysis.funder.respondents`): "12 learners and 5 founders", "12 to 13
    learners and 5 founders, depending on the question"; "" when no finding counts anyone."""
    parts = []
    for population, (low, high) in counts.items():
        single, span = _PEOPLE[population]
        parts.append(words.nplural(single, low) if low == high else words._(
            span, low=fmt_number(low, lang), high=fmt_number(high, lang)))
    if not parts:
        return ""
    people = parts[0] if len(parts) == 1 else words._(
        "%(learners)s and %(founders)s", learners=parts[0], founders=parts[1])
    if any(low != high for low, high in counts.values()):
        people = words._("%(people)s, depending on the question", people=people)
    return people
