"""The codebook's data model: an answer choice, an item (one column), a multi-item scale, an
instrument (one raw file); the codebook itself (:mod:`fac_eval.data.codebook`) is made of them.

Every label is a catalog message (:data:`Label`, marked ``NC_("codebook", "English text")``):
its French and English wordings live in the gettext catalogs (``fac_eval/report/locale``), like
every other sentence a user reads, and ``label_fr`` / ``label_en`` / ``label(lang)`` look them up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fac_eval.core.i18n import messages

#: A label: ``(context, English message id)`` as :func:`fac_eval.core.i18n.NC_` marks it.
Label = tuple[str, str]


#: An absent text (no provenance given).
NO_TEXT: Label = ("codebook", "")


def wording(label: Label, lang: str) -> str:
    """``label`` in ``lang`` ("fr" or "en"), from the catalogs; "" for :data:`NO_TEXT`."""
    if not label[1]:
        return ""
    return messages("en" if lang == "en" else "fr").pgettext(*label)





class _Labelled:
    """``label_fr``, ``label_en`` and ``label(lang)`` of a codebook object's ``text``."""

    text: Label

    @property
    def label_fr(self) -> str:
        return wording(self.text, "fr")

    @property
    def label_en(self) -> str:
        return wording(self.text, "en")

    def label(self, lang: str = "fr") -> str:
        return wording(self.text, lang)


ItemType = Literal["id", "category", "ordinal", "integer", "number", "boolean", "date", "text"]
Wave = Literal["profile", "entry", "exit", "followup", "testimony"]


@dataclass(frozen=True)
class Choice(_Labelled):
    """One allowed answer: the code stored in tidy tables and its label (French / English).

    ``aliases`` are further spellings accepted on input (matching ignores case, accents and
    surrounding spaces anyway).
    """

    code: str | int
    text: Label
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item(_Labelled):
    """One column of a raw file."""

    name: str
    text: Label
    type: ItemType
    choices: tuple[Choice, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    required: bool = True  # column must be present; values may still be missing if nullable
    nullable: bool = True
    scale: str | None = None  # multi-item scale this item belongs to
    reversed: bool = False
    waves: tuple[Wave, ...] = ()
    higher_is_better: bool = True
    description: str = ""
    #: the question itself asks whether the programme caused the answer ("grâce aux outils …"):
    #: only such items may be reported with causal words (issue 12, §2)
    asks_attribution: bool = False
    #: earlier French wordings still accepted as a column header (files made with older
    #: entry templates), e.g. before the inclusive-writing convention of docs/style.md
    former_labels: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple:
        return tuple(c.code for c in self.choices)

    def choice_label(self, code, lang: str = "fr") -> str:
        for c in self.choices:
            if c.code == code:
                return c.label(lang)
        return str(code)


@dataclass(frozen=True)
class Scale(_Labelled):
    """A multi-item scale and how it is scored.

    ``reliability`` is the published reliability used by the Reliable Change Index (None when the
    scale is home-made and no reliability is published: then no RCI is computed).
    ``norm_sd`` is the fixed yardstick of the RCI: a normative standard deviation of the score,
    the same for every session (never a cohort's own entry SD, which would move the threshold
    from one session to the next); ``norm_sd_source`` says where it comes from, or, when no
    normative source could be found, that the value is fixed and how (the report cites it).
    ``max_missing`` items may be missing; the score is then prorated (mean of the answered items
    times the number of items, rounded to 2 decimals); with more missing items the score is missing.
    """

    name: str
    text: Label
    items: tuple[str, ...]
    item_min: int
    item_max: int
    reliability: float | None = None
    reliability_source: Label = NO_TEXT
    norm_sd: float | None = None
    norm_sd_source: Label = NO_TEXT
    #: the provenance of ``norm_sd`` in a few words, for a key-figure card
    norm_sd_short: Label = NO_TEXT
    max_missing: int = 0
    higher_is_better: bool = True
    description: str = ""

    @property
    def score_min(self) -> int:
        return self.item_min * len(self.items)

    @property
    def score_max(self) -> int:
        return self.item_max * len(self.items)



@dataclass(frozen=True)
class Instrument(_Labelled):
    """One raw file of a session: its columns, its key and the wave it belongs to."""

    name: str
    text: Label
    items: tuple[Item, ...]
    key: str  # participant id column
    wave: Wave
    population: Literal["learners", "founders"]
    optional: bool = False  # the file may be absent (follow-up not collected yet)

    def item(self, name: str) -> Item:
        for it in self.items:
            if it.name == name:
                return it
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def columns(self) -> list[str]:
        return [it.name for it in self.items]
