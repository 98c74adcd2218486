"""The codebook's data model: an answer choice, an item (one column), a multi-item scale, an
instrument (one raw file); the codebook itself (:mod:`fac_eval.data.codebook`) is made of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ItemType = Literal["id", "category", "ordinal", "integer", "number", "boolean", "date", "text"]
Wave = Literal["profile", "entry", "exit", "followup", "testimony"]


@dataclass(frozen=True)
class Choice:
    """One allowed answer: the code stored in tidy tables and its French / English labels.

    ``aliases`` are further spellings accepted on input (matching ignores case, accents and
    surrounding spaces anyway).
    """

    code: str | int
    label_fr: str
    label_en: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """One column of a raw file."""

    name: str
    label_fr: str
    label_en: str
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

    def label(self, lang: str = "fr") -> str:
        return self.label_en if lang == "en" else self.label_fr

    def choice_label(self, code, lang: str = "fr") -> str:
        for c in self.choices:
            if c.code == code:
                return c.label_en if lang == "en" else c.label_fr
        return str(code)


@dataclass(frozen=True)
class Scale:
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
    label_fr: str
    label_en: str
    items: tuple[str, ...]
    item_min: int
    item_max: int
    reliability: float | None = None
    reliability_source: str = ""
    norm_sd: float | None = None
    norm_sd_source: str = ""
    norm_sd_source_fr: str = ""
    #: the provenance of ``norm_sd`` in a few words, for a key-figure card (English, French)
    norm_sd_short: str = ""
    norm_sd_short_fr: str = ""
    reliability_source_fr: str = ""
    max_missing: int = 0
    higher_is_better: bool = True
    description: str = ""

    @property
    def score_min(self) -> int:
        return self.item_min * len(self.items)

    @property
    def score_max(self) -> int:
        return self.item_max * len(self.items)

    def label(self, lang: str = "fr") -> str:
        return self.label_en if lang == "en" else self.label_fr


@dataclass(frozen=True)
class Instrument:
    """One raw file of a session: its columns, its key and the wave it belongs to."""

    name: str
    label_fr: str
    label_en: str
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

    def label(self, lang: str = "fr") -> str:
        return self.label_en if lang == "en" else self.label_fr
