"""The testimonies section of the session report: themes, then the consented quotes (captioned
as written for the demonstration when the session is not real data). A mixin of
:class:`fac_eval.report.session.Report` (same helpers: ``row``, ``label``, ``table``...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from IPython.display import HTML

from fac_eval.core.formatting import lower_first
from fac_eval.disclosure import privacy
from fac_eval.report import plots

from . import views as v
from .base import BaseReport
from .i18n import N_

if TYPE_CHECKING:
    from fac_eval.analysis.results import SessionResults

#: Who wrote a quote, by population.
QUOTE_AUTHORS = {"learners": N_("a learner"), "founders": N_("a founder")}


def data_kind(results) -> str:
    """``reconstructed``, ``synthetic`` or ``real`` (the kind of data a report says it shows)."""
    return results.kind if results.kind in ("reconstructed", "synthetic") else "real"


class TestimonySections(BaseReport):
    """The testimonies and quotes (see the module)."""

    if TYPE_CHECKING:  # defined by fac_eval.report.session.Report, which mixes this class in
        results: SessionResults

        def row(self, indicator: str) -> pd.Series: ...
        def label(self, row: pd.Series) -> str: ...

    def testimonies(self) -> HTML:
        r = self.results
        T = r.clean.testimonies
        count = self.row("testimonies.count")
        aside = int(getattr(r.clean, "testimonies_set_aside", 0) or 0)
        # testimonies of a wave not collected yet (an interim session): said, never quoted
        aside_note = [self.para(self.ngettext(
            "%(num)s testimony of a wave not collected yet (its exit questionnaire, or the "
            "follow-up, is pending) is set aside until that wave is entered: neither quoted nor "
            "counted in the themes.",
            "%(num)s testimonies of a wave not collected yet (their exit questionnaire, or the "
            "follow-up, is pending) are set aside until that wave is entered: neither quoted "
            "nor counted in the themes.", aside), "small")] if aside else []
        if T is None or not len(T):
            return self.section("testimonies", aside_note or [
                self.para(self._("No testimony collected."))])
        invented = data_kind(r) != "real"  # written for the demonstration: never "collected"
        blocks: list = [self.para(self.ngettext(
            "%(num)s testimony was written for the demonstration; it is coded by theme (a "
            "documented list of themes, insensitive to accents and case).",
            "%(num)s testimonies were written for the demonstration; they are coded by theme (a "
            "documented list of themes, insensitive to accents and case).",
            int(count["numerator"])) if invented else self.ngettext(
            "%(num)s testimony was collected; it is coded by theme (a documented list of "
            "themes, insensitive to accents and case).",
            "%(num)s testimonies were collected; they are coded by theme (a documented list of "
            "themes, insensitive to accents and case).", int(count["numerator"])))]
        all_themes = r.indicators[r.indicators["indicator"].str.startswith("testimonies.theme.")]
        # small-cell rule: a theme raised by fewer than min_cell people is named, not counted
        themes_rows = all_themes[all_themes["numerator"] >= self.min_cell]
        rare = all_themes[(all_themes["numerator"] > 0) & (all_themes["numerator"] < self.min_cell)]
        if len(themes_rows):
            fig = plots.theme_bars(themes_rows, lang=self.lang)
            alt = "; ".join(f"{self.label(rw)} {int(rw['numerator'])}"
                            for _, rw in themes_rows.iterrows())
            blocks.append(self.figure(fig, self._(
                "Number of participants mentioning each theme in their testimony."), alt))
        if len(rare):
            names = ", ".join(lower_first(self.label(rw)) for _, rw in rare.iterrows())
            blocks.append(self.para(self._(
                "Mentioned by fewer than %(min_cell)s people (count hidden): %(names)s.",
                min_cell=self.min_cell, names=names), "small"))
        quotes = self.quotes()
        n_consented = self.n_consented_quotes()
        if quotes:
            lead: list = [v.Heading(self._("Illustrative quotes (not said by participants)")
                                    if invented else self._("In their own words"))]
            if data_kind(r) != "real":  # never passed off as what participants said
                lead.append(self.para(self._(
                    "These quotes were written for the demonstration, like the rest of this "
                    "session's individual data: no participant said them.")
                    + (f" ({self.illustrative_tag()})" if self.illustrative_tag() else ""),
                    "callout"))
            if len(quotes) < n_consented:  # a large session: a readable sample, said as such
                lead.append(self.para(self.ngettext(
                    "%(num)s testimony may be quoted; %(shown)s are shown below, taken at regular "
                    "intervals in the order of collection.",
                    "%(num)s testimonies may be quoted; %(shown)s are shown below, taken at regular "
                    "intervals in the order of collection.", n_consented, shown=len(quotes)),
                    "small"))
            # the quotes are in French: marked so in the English report, with a short gloss
            opening, closing, lang = ("“", "”", "fr") if self.en else ("« ", " »", None)
            blocks.append(v.Quotes([v.Quote(q, who, opening, closing, lang,
                                            gloss=self.quote_gloss(q)) for q, who in quotes],
                                   lead=lead))  # the heading kept with the first quotes
        not_quoted = len(T) - n_consented
        if not_quoted:
            blocks.append(self.para(self.ngettext(
                "%(num)s testimony marked in the data as without consent to quote: counted in "
                "the themes, not quoted.",
                "%(num)s testimonies marked in the data as without consent to quote: counted in "
                "the themes, not quoted.", not_quoted) if invented else self.ngettext(
                "%(num)s testimony without consent to quote: counted in the themes, not quoted.",
                "%(num)s testimonies without consent to quote: counted in the themes, not quoted.",
                not_quoted), "small", tag=self.illustrative_tag()))  # a reconstruction's count
        return self.section("testimonies", blocks + aside_note)

    def quote_gloss(self, text: str) -> str:
        """In the English report, the short English gloss of a French quote: its themes (those
        whose count the section gives)."""
        if not self.en:
            return ""
        from fac_eval.analysis.themes import themes_of

        # a theme the section counts as "fewer than min_cell" is never named on a quote: the
        # quotes naming it would count it (the section's one masking)
        ind = self.results.indicators
        themes = ind[ind["indicator"].str.startswith("testimonies.theme.")]
        hidden = {str(i).rsplit(".", 1)[1] for i, k in zip(themes["indicator"], themes["numerator"])
                  if pd.notna(k) and 0 < k < self.min_cell}
        found = themes_of(text, "en", leave_out=hidden)
        return (self._("In French; themes: %(themes)s.",
                       themes=", ".join(map(lower_first, found))) if found
                else self._("In French."))

    #: At most this many quotes are reproduced; beyond, an evenly spaced sample (said in the text).
    QUOTES_MAX = 20

    def _consented(self) -> pd.DataFrame:
        T = self.results.clean.testimonies
        if T is None:  # no testimony file: no quote (was a TypeError)
            return pd.DataFrame(columns=["text", "population", "consent_quote"])
        keep = [not pd.isna(c) and bool(c) for c in T["consent_quote"]]
        return T[keep]

    def n_consented_quotes(self) -> int:
        return int(len(self._consented()))

    def quotes(self) -> list[tuple[str, str]]:
        """Consented quotes (at most :attr:`QUOTES_MAX`, evenly spaced in the order of
        collection), scrubbed of ids, names, e-mails and phone numbers."""
        T = self._consented()
        if len(T) > self.QUOTES_MAX:
            T = T.iloc[[(2 * i + 1) * len(T) // (2 * self.QUOTES_MAX)
                        for i in range(self.QUOTES_MAX)]]
        out = []
        ids = self.results.participant_ids
        names = self.results.names
        for _, rw in T.iterrows():
            text = privacy.scrub_text(str(rw["text"]), names=names, participant_ids=ids,
                                      lang=self.lang)
            who = QUOTE_AUTHORS.get(rw["population"])
            out.append((text, self._(who) if who else ""))
        return out
