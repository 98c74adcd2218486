"""What the session and comparison reports share: words, numbered figures and tables, the header,
the table of contents and the provenance table.

A report object builds view models (:mod:`fac_eval.report.views`) section by section, numbering
figures and tables in the order they are built (the order they are shown), and renders them
with the Jinja2 templates (:mod:`fac_eval.report.render`). Every section method returns an
``IPython.display.HTML`` object, so that the notebook shows one section per cell.
"""

from __future__ import annotations

import datetime as _dt
import platform
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import ClassVar

import pandas as pd
from IPython.display import HTML

from fac_eval.core.formatting import fmt_date, fmt_exact, fmt_pvalue
from fac_eval.core.glossary import FIRST_USE

from . import views as v
from .i18n import N_, Messages, messages
from .render import render

#: the session report's title (the page's <title> is set from it by :mod:`.nbtemplate`)
TITLE = N_("Evaluation of session %(name)s")

STYLESHEET = Path(__file__).resolve().parents[1] / "templates" / "report.css"

#: The data-kind badge and banner of a report (its data are real, reconstructed or synthetic).
BADGES = {
    "reconstructed": N_("Reconstructed data"),
    "synthetic": N_("Synthetic data"),
    "real": N_("Real data"),
}
BANNERS = {
    "reconstructed": N_("Individual answers were reconstructed from the published aggregate "
                        "results; they reproduce those results but are not the participants' "
                        "actual answers."),
    "synthetic": N_("A fictitious session generated to test the tool. None of these figures "
                    "describe real people."),
    "real": N_("Participants' actual answers, pseudonymised."),
}


def stylesheet() -> str:
    """The report's CSS (inlined in the HTML head by the nbconvert template)."""
    return STYLESHEET.read_text(encoding="utf-8")


def software_versions() -> str:
    """"Python 3.11.7, pandas 3.1.1, numpy …": the versions a figure may depend on."""
    pkgs = []
    for name in ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn", "pandera",
                 "papermill", "nbconvert", "babel"):
        try:
            pkgs.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join([f"Python {platform.python_version()}", *pkgs])


def p_cell(p, lang: str = "fr") -> str:
    """A p-value for a table cell: "0,016", "< 0,001", "—" when there is none."""
    if pd.isna(p):
        return "—"
    return fmt_pvalue(p, lang).replace("p\u00a0=\u00a0", "").replace("p\u00a0<\u00a0", "<\u00a0")


def _first_in_text(html: str, term: str) -> tuple[int, int] | None:
    """(start, end) of the first ``term`` (any case, plural included) in a text node of ``html``
    outside headings, captions and table headers; None when there is none."""
    skip = 0
    for m in re.finditer(r"<(/?)(h[1-6]|caption|th|title|nav)\b[^>]*>|<[^>]+>|[^<]+", html):
        if m.group(2):
            skip += -1 if m.group(1) else 1
        elif not m.group(0).startswith("<") and skip <= 0:
            # the gloss goes after the whole noun ("positive exit rate (as defined …)", not
            # "positive exit (as defined …) rate")
            hit = re.search(rf"\b{re.escape(term)}s?(?: rates?)?\b", m.group(0), flags=re.I)
            if hit:
                return m.start() + hit.start(), m.start() + hit.end()
    return None


@dataclass
class BaseReport:
    """Words, numbering and the shared blocks of a report (session or comparison)."""

    results: object
    lang: str = "fr"
    min_cell: int = 3
    parameters: dict = field(default_factory=dict)
    generated_at: _dt.datetime | None = None
    _figures: int = 0
    _tables: int = 0
    #: glossary terms already explained in this report (their first use carries the gloss)
    _glossed: set = field(default_factory=set)

    #: Section keys in order, their anchors and titles (set by each report).
    SECTIONS: ClassVar[tuple[str, ...]] = ()
    ANCHORS: ClassVar[dict[str, str]] = {}
    #: Sections whose title and introduction print keeps off a page's foot (views.Section.intro)
    KEEP_INTRO: ClassVar[frozenset[str]] = frozenset()

    def illustrative_tag(self) -> str:
        """The marker of figures invented by a reconstruction ("illustratif"); "" when the
        report's data are real or synthetic (the session report sets it)."""
        return ""

    def __post_init__(self):
        if self.lang not in ("fr", "en"):
            raise ValueError(f"lang must be 'fr' or 'en', not {self.lang!r}")
        self.generated_at = self.generated_at or _dt.datetime.now()

    # ---- words -----------------------------------------------------------------------------
    @property
    def en(self) -> bool:
        return self.lang == "en"

    @property
    def words(self) -> Messages:
        return messages(self.lang)

    def _(self, message: str, **values) -> str:
        return self.words._(message, **values)

    def ngettext(self, singular: str, plural: str, count, **values) -> str:
        return self.words.ngettext(singular, plural, count, **values)

    def section_title_text(self, key: str) -> str:  # pragma: no cover - set by each report
        raise NotImplementedError

    @property
    def sections(self) -> tuple[str, ...]:
        """The sections this report shows, in order (a report may leave out a section its data
        cannot fill: no cost section without a budget)."""
        return self.SECTIONS

    def has_section(self, key: str) -> bool:
        return key in self.sections

    # ---- rendering -------------------------------------------------------------------------
    def render(self, template: str, **context) -> HTML:
        return HTML(str(render(template, self.lang, **context)))

    def render_blocks(self, blocks: list) -> str:
        """Blocks rendered on their own (a table and its note outside a section)."""
        return str(render("blocks.j2", self.lang, items=blocks))

    def section(self, key: str, blocks: list, template: str | None = None, **context) -> HTML:
        """A numbered section rendered with ``template`` (default: the base section layout)."""
        # a section laid out by its own template places its blocks itself: none kept as a lead
        sec = v.Section(self.sections.index(key) + 1, self.ANCHORS[key],
                        self.section_title_text(key), blocks,
                        lead=v.lead_blocks(blocks) if template is None else 0,
                        intro=key in self.KEEP_INTRO)
        out = self.render(template or "section.j2", section=sec, **context)
        return HTML(self.gloss_first_use(str(out.data))) if self.en else out

    def gloss_first_use(self, html: str) -> str:
        """An English term of the glossary that stands for a French institution ("positive
        exit": the IAE's *sortie dynamique*) is explained at its first use in running text
        (headings and the table of contents do not count), once per report."""
        for term, gloss in FIRST_USE.items():
            if term in self._glossed:
                continue
            found = _first_in_text(html, term)
            if found is not None:
                start, end = found
                html = f"{html[:end]} ({gloss}){html[end:]}"
                self._glossed.add(term)
        return html

    # ---- numbered blocks -------------------------------------------------------------------
    def figure(self, fig, caption: str, alt: str, tag: str | None = None,
               print_fig=None) -> v.Figure:
        """A numbered figure: an inline SVG chart named by its alt text, and a caption. A chart
        already given as SVG markup (``markupsafe.Markup``) is wrapped and named by ``alt``.
        ``print_fig``: the same chart laid out for the printed page (a matplotlib figure), drawn
        in print instead of ``fig`` (class ``print-only``, hidden on screen; same alt text)."""
        from fac_eval.report import plots

        self._figures += 1
        label = self._("Figure %(num)s", num=self._figures)
        if hasattr(fig, "__html__"):
            return v.Figure(self._figures, label, caption, alt, svg=fig,
                            tag=self.illustrative_tag() if tag is None else tag)
        from markupsafe import Markup

        # text kept as text, named by the alt text (fac_eval.report.plots.figure_svg)
        svg = Markup(plots.figure_svg(fig, alt))  # noqa: S704 (markup made by our own code)
        printed = None
        if print_fig is not None:
            printed = Markup(plots.figure_svg(print_fig, alt).replace(  # noqa: S704 (ours)
                'class="fac-chart"', 'class="fac-chart print-only"', 1))
        return v.Figure(self._figures, label, caption, alt, svg=svg, svg_named=True,
                        tag=self.illustrative_tag() if tag is None else tag, print_svg=printed)

    def table(self, header: list[str], rows: list[list], caption: str,
              numeric: AbstractSet[int] = frozenset(), note: str = "", row_headers: bool = True,
              grouped: bool = False, tag: str | None = None, compact: bool = False) -> v.Table:
        """A numbered table with a caption; the first cell of each row is its header (with
        ``grouped``, the first cell names the row's group and the second is its header);
        ``compact``: printed whole in smaller type (:attr:`views.Table.compact`)."""
        self._tables += 1
        label = self._("Table %(num)s", num=self._tables)
        return v.Table(self._tables, label, caption, list(header), [list(r) for r in rows],
                       frozenset(numeric), note, row_headers, grouped,
                       self.illustrative_tag() if tag is None else tag, compact=compact)

    def para(self, text: str, cls: str = "", lang: str | None = None, tag: str = "") -> v.Para:
        return v.Para(text, cls, lang, tag=tag)

    # ---- header, contents, provenance ------------------------------------------------------
    def header_view(self, kicker: str, title: str, subtitle: str, kind: str, badge: str,
                    banner: str, programme: str = "", evidence_note: str = "",
                    **langs) -> HTML:
        """Title block with the data-kind banner and the generation date; ``langs``: the
        place and the languages of the title, programme and place (:class:`views.Header`)."""
        h = v.Header(kicker, title, subtitle, kind, badge, banner,
                     self._("Report generated on"), fmt_date(self.generated_at, self.lang),
                     self._("by fac-eval."), programme, evidence_note, **langs)
        return self.render("header.j2", h=h)

    def toc(self) -> HTML:
        """Table of contents, numbered like the sections."""
        entries = [(self.ANCHORS[k], f"{i}. {self.section_title_text(k)}")
                   for i, k in enumerate(self.sections, start=1)]
        return self.render("toc.j2", toc=v.Toc(self._("Contents"), entries))

    def provenance_rows(self, params: dict) -> list[list[str]]:
        """Code version, parameters and software: the rows every report's provenance shares."""
        return [
            [self._("Code version"), self.code_version()],
            [self._("Parameters"), ", ".join(
                f"{k} = {fmt_exact(val, self.lang) if isinstance(val, float) else val}"
                for k, val in sorted(params.items()))],
            [self._("Software"), software_versions()],
        ]

    def code_version(self) -> str:
        """"fac-eval 0.1.0, commit abc123", said in the report's language, with whether the code
        had uncommitted changes or its commit is unknown."""
        from fac_eval import __version__
        from fac_eval.core.provenance import git_state

        commit, dirty = git_state()
        if commit is None:
            return self._("fac-eval %(version)s, commit unknown", version=__version__)
        if dirty:
            return self._("fac-eval %(version)s, commit %(commit)s (uncommitted changes)",
                          version=__version__, commit=commit)
        return self._("fac-eval %(version)s, commit %(commit)s", version=__version__,
                      commit=commit)

    def provenance_table(self, rows: list[list[str]]) -> HTML:
        return self.section("provenance", [self.table(
            [self._("Item"), self._("Value")], rows,
            self._("Report provenance: every figure can be recomputed from these."), tag="")])

    def methods_list(self, items: list[tuple[str, str]]) -> v.Definitions:
        """A definition list of (method, plain-language explanation)."""
        return v.Definitions(items)
