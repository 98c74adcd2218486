"""View models of the reports: numbers and already-formatted sentences, no HTML.

A report section is a :class:`Section` holding a list of blocks (paragraphs, lists of findings,
figures, tables, quotes…), each a small dataclass below. The Jinja2 templates
(``fac_eval/report/templates``) lay them out; the macro of each block is in ``macros.j2``.
Any text may carry a ``lang`` (``"fr"`` for a French quote or claim inside the English report),
written as the ``lang`` attribute of its element.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Para:
    """A paragraph; ``cls`` is one of "", "lead", "small", "callout"."""

    text: str
    cls: str = ""
    lang: str | None = None
    kind: str = "para"
    tag: str = ""  # "illustratif": a figure of the paragraph was invented by a reconstruction


@dataclass
class Finding:
    """One item of a list of findings, with an optional second line (the test, a note)."""

    text: str
    detail: str = ""
    detail_inline: bool = False  # the detail follows on the same line (comparison report)
    lang: str | None = None
    tag: str = ""  # "illustratif": the figure was invented by a reconstruction
    detail_tag: str = ""  # the same for the test of the detail line


@dataclass
class Findings:
    items: list[Finding]
    note: str = ""  # one sentence under the list (what several of its tests share)
    kind: str = "findings"


@dataclass
class Heading:
    """A sub-heading (h3) inside a section."""

    text: str
    kind: str = "heading"


@dataclass
class Figure:
    """A numbered figure: an image (``src``, a data URI) or inline SVG markup (``svg``, a
    :class:`markupsafe.Markup` string with its own accessible name), its alt text and caption."""

    number: int
    label: str  # "Figure 3"
    caption: str
    alt: str
    src: str | None = None
    svg: Any = None
    svg_named: bool = False  # the SVG names itself (role="img" + <title>): inlined as it is
    tag: str = ""  # "illustratif" in the caption: drawn from data a reconstruction invented
    kind: str = "figure"
    #: the same chart laid out for the printed page (inline SVG of class ``print-only``, named
    #: by the same alt text): printed instead of ``svg``, hidden on screen (report.css)
    print_svg: Any = None


@dataclass
class Mark:
    """A yes/no mark in a table cell: a visible symbol and its words for assistive technology."""

    ok: bool
    words: str


@dataclass
class Phrase:
    """A text in another language than the report's (a French claim in the English report),
    with a short gloss in the report's language."""

    text: str
    lang: str | None = None
    gloss: str = ""


@dataclass
class Lines:
    """Several short lines in one table cell (an objective's indicators and their results)."""

    lines: list[Any]
    lang: str | None = None


@dataclass
class Marked:
    """A cell line with the marker of an illustrative figure after it ("" when none)."""

    text: str
    mark: str = ""


@dataclass
class Tagged:
    """A cell text led by a strong tag ("Objectif 2", "Passerelle 1"); ``lang`` is the text's."""

    tag: str
    text: str
    lang: str | None = None


#: The most printed rows (group headings included) of a table kept on one printed page: a third
#: to half of an A4 page at the print size of tables (8 pt), so moving it whole to the next page
#: leaves at most that much room on the page before. Every table of the session reports but the
#: concordance (one row per published claim) is short.
SHORT_TABLE_LINES = 20

#: Characters of table text one printed line holds across the page (8 pt on A4): a cell of a
#: table of ``n`` columns is counted as ``len(text) / (PRINT_LINE_CHARS // n)`` printed lines.
PRINT_LINE_CHARS = 150


def _cell_lines(cell: Any, width: int) -> int:
    """How many printed lines a cell takes (an estimate): its listed lines, or its text's
    length over the characters of its column."""
    lines = getattr(cell, "lines", None)
    if lines is not None:
        return max(1, len(lines))
    text = getattr(cell, "text", cell)
    return max(1, -(-len(str(text)) // max(1, width)))


@dataclass
class Table:
    """A numbered table. ``rows`` are lists of cells (strings, numbers or :class:`Mark`); with
    ``row_headers`` the first cell of each row is its label (``<th scope="row">``). With
    ``grouped`` the first cell of each row names its group instead (gender, age band…): the rows
    of a group share one ``<tbody>`` headed by that name (``<th scope="rowgroup">``), and the next
    cell is the row's label, so the group's name is neither repeated nor read twice."""

    number: int
    label: str  # "Tableau 3"
    caption: str
    header: list[str]
    rows: list[list[Any]]
    numeric: frozenset[int] = frozenset()
    note: str = ""
    row_headers: bool = True
    grouped: bool = False
    tag: str = ""  # "illustratif" in the caption: figures a reconstruction invented
    kind: str = "table"
    #: printed in small, closely set type and never split across pages whatever its length: a
    #: list of statements with short figures (the concordance: one row per published claim)
    compact: bool = False

    @property
    def groups(self) -> list[tuple[Any, list[list[Any]]]]:
        """The rows by consecutive group (first cell): ``[(name, [rows without it]), ...]``."""
        out: list[tuple[Any, list[list[Any]]]] = []
        for row in self.rows:
            if not out or out[-1][0] != row[0]:
                out.append((row[0], []))
            out[-1][1].append(list(row[1:]))
        return out

    @property
    def anchor(self) -> str:
        return f"tab-{self.number}"

    @property
    def lines(self) -> int:
        """The lines the table prints: each row as many lines as its longest cell wraps to
        (:data:`PRINT_LINE_CHARS` shared by the columns), plus one heading row per group when
        grouped. Nine rows whose cells wrap to three lines (the comparison's pooled shares)
        print 27 lines, not 9."""
        width = PRINT_LINE_CHARS // max(1, len(self.header))
        skip = 1 if self.grouped else 0
        rows = sum(max([_cell_lines(c, width) for c in row[skip:]] or [1]) for row in self.rows)
        return rows + (len(self.groups) if self.grouped else 0)

    @property
    def short(self) -> bool:
        """A short table (at most :data:`SHORT_TABLE_LINES` printed rows) is never split across
        printed pages: it moves whole, caption and note with it, to the next page
        (``table-short`` in report.css). A longer one may continue on the next page, its header
        row repeated and no row cut. A :attr:`compact` table is printed whole too (issue 13:
        no table split across pages): its smaller type keeps it within a page."""
        return self.compact or self.lines <= SHORT_TABLE_LINES


@dataclass
class Cards:
    """Key-figure cards: (big figure, what it counts, its marker, a detail, the detail's marker);
    a marker is "illustratif" or "", a detail "" or a clause after the sentence (the reliable
    change of the self-esteem card), marked on its own."""

    cards: list[tuple[str, str, str, str, str]]
    kind: str = "cards"


@dataclass
class Quote:
    text: str
    who: str
    open: str = "« "
    close: str = " »"
    lang: str | None = None
    gloss: str = ""  # in the English report: a short English gloss of the French quote


@dataclass
class Quotes:
    """The quotes, after their ``lead`` (their heading and note): in print the lead and the
    first row of quotes are one unbreakable block, so that a heading never sits at the foot of
    a page with its quotes on the next."""

    quotes: list[Quote]
    kind: str = "quotes"
    lead: list[Any] = field(default_factory=list)


@dataclass
class Pending:
    """A highlighted note (follow-up not yet collected): a strong lead word and the text."""

    lead: str
    text: str
    kind: str = "pending"


@dataclass
class Limits:
    """The limits of what the figures show, in a short box beside them: a lead and items."""

    lead: str
    items: list[str]
    kind: str = "limits"
    #: the same box again further on (before the learners' results): not printed, the reader
    #: of the PDF has it at the key figures (class ``limits-again``, report.css)
    again: bool = False


@dataclass
class Definitions:
    """A definition list of (term, plain-language explanation): the methods. An item may carry
    a third element, the language of its explanation (an evaluator's French text in the English
    report)."""

    items: Sequence[tuple[str, ...]]
    kind: str = "definitions"


@dataclass
class Section:
    """A numbered section: ``<h2 id=anchor>`` and its blocks. Its first ``lead`` blocks are
    printed with its title as one unbreakable block (:func:`lead_blocks`)."""

    number: int
    anchor: str
    title: str
    blocks: list[Any] = field(default_factory=list)
    lead: int = 0
    #: without lead blocks: the title and its template's text before the blocks are one block
    #: that print keeps off a page's foot (a comparison section opening on a grid of charts)
    intro: bool = False


#: The most characters of the short paragraphs that open a section and are kept, with its title,
#: on the page of the table or figure that follows them (about three printed lines)
LEAD_CHARS = 300


def lead_blocks(blocks: list[Any]) -> int:
    """How many of a section's first blocks stay with its title in print: its opening
    paragraphs when they are short (:data:`LEAD_CHARS` in all) and are followed by a short
    table or a figure, with that table or figure; else 0. A title followed by one sentence and
    then a table moved whole to the next page (the costs: "La session a coûté 96 500 € au
    total." alone at the foot of a page) is then moved with them."""
    paras = 0
    while paras < len(blocks) and getattr(blocks[paras], "kind", "") == "para":
        paras += 1
    if not paras or paras == len(blocks) or sum(len(str(b.text)) for b in blocks[:paras]) > \
            LEAD_CHARS:
        return 0
    after = blocks[paras]
    if getattr(after, "kind", "") == "figure" or (getattr(after, "kind", "") == "table"
                                                 and getattr(after, "short", False)):
        return paras + 1
    return 0


@dataclass
class Header:
    """The title block of a report."""

    kicker: str
    title: str
    subtitle: str
    kind: str  # reconstructed | synthetic | real
    badge: str
    banner: str
    generated_lead: str  # "Rapport généré le"
    generated: str  # the date
    generated_tail: str  # "par fac-eval."
    programme: str = ""
    evidence_note: str = ""  # which figures a publication fixes, which are illustrative
    place: str = ""  # where the session took place, after the subtitle
    # the language of the title, the programme and the place when it is not the report's (an
    # English report of a session whose session.yml gives them in French only)
    title_lang: str | None = None
    programme_lang: str | None = None
    place_lang: str | None = None
    #: the marker after the dates when a reconstruction had to choose them ("illustratif")
    subtitle_tag: str = ""


@dataclass
class Toc:
    title: str
    entries: list[tuple[str, str]]  # (anchor, "1. title")
