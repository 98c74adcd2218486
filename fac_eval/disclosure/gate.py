"""The disclosure gate: every file a stakeholder may receive is scanned before it is published.

One function, :func:`gate`, takes the name and content of a file about to be published (the
HTML report of each language, the Excel export, the PDF) with the session's participant ids and
names, finds personal data with the one detector (:func:`fac_eval.disclosure.pii.find_pii`) and raises
:class:`LeakError` when anything is found. :func:`gate_folder` does the same for every file of
an output folder before it is swapped in, and refuses files that are not stakeholder formats
(an executed notebook ``.ipynb`` is an evaluator's working file: it does not belong there).

A listed name that is a word of the report's own sentences ("in France", "Bailly 2005") is
not a leak there (:mod:`fac_eval.disclosure.own_text`); anywhere else it is.

What is read, by format:

- HTML: the visible text and the attributes readers see or hear (``alt``, ``title``,
  ``aria-label``…, ``mailto:`` / ``tel:`` links); not ``<style>``, ``<script>`` (unless
  ``scan_scripts``) nor embedded images (``data:`` URIs, long base64 runs);
- XLSX: every cell of every sheet (hidden ones included) with its address (``Feuille!B3``),
  sheet names, cell comments, the workbook's properties (author, title…) and defined names;
- PDF: the text of each page (``pdftotext`` from poppler-utils, else ``pypdf``; a PDF that
  cannot be read is refused, never passed unread);
- text formats (``.txt``, ``.csv``, ``.md``, ``.json``, ``.svg``): the whole text.

The messages never repeat what was found: values are masked (:func:`fac_eval.disclosure.pii.mask`), the
surrounding text too, and the place is given (file, sheet and cell, page) so the evaluator can
find it.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from fac_eval.core.i18n import N_, NP_, both, both_plural, tr
from fac_eval.disclosure import pii
from fac_eval.disclosure.own_text import is_own_text

__all__ = [
    "Leak", "LeakError", "GateError", "find_leaks", "check_no_leaks", "scan_xlsx", "scan_pdf",
    "scan", "gate", "gate_file", "gate_folder", "PUBLISHED_SUFFIXES",
]

#: What each kind of personal data is called in messages (catalog messages).
KIND_LABELS = {
    "participant_id": N_("participant id"),
    "name": N_("name"),
    "email": N_("e-mail"),
    "phone": N_("phone number"),
    "nir": N_("social security number"),
    "iban": N_("IBAN"),
    "card": N_("payment card number"),
    "address": N_("postal address"),
    "birth_date": N_("date of birth"),
    "handle": N_("social network profile"),
    "website": N_("personal web address"),
    "plate": N_("number plate"),
    "jobseeker_id": N_("France Travail id"),
    "official_id": N_("document number"),
}

#: The file types a stakeholder may receive (anything else in a report folder is refused).
PUBLISHED_SUFFIXES = {".html", ".htm", ".xlsx", ".pdf", ".txt", ".csv", ".md", ".json", ".svg",
                      ".png", ".jpg", ".jpeg"}
_TEXT_SUFFIXES = {".txt", ".csv", ".md", ".json", ".svg"}
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}


@dataclass(frozen=True)
class Leak:
    """One piece of personal data found in a published file: its ``kind`` (one of
    :data:`fac_eval.disclosure.pii.KINDS`), the ``value`` found, some surrounding text (``context``,
    already masked) and where it is (``where``: a sheet and cell, a page; may be empty)."""

    kind: str
    value: str
    context: str
    where: str = ""

    @property
    def masked(self) -> str:
        """The value as shown in messages (:func:`fac_eval.disclosure.pii.mask`)."""
        return pii.mask(self.value)


class LeakError(Exception):
    """A file about to be published contains personal data. The message (French, then English;
    :meth:`message` for one language) names the file, the kind, the place and the *masked*
    value of each finding, never the value itself."""

    def __init__(self, leaks: Sequence[Leak], source: str | None = None):
        self.leaks = list(leaks)
        self.source = source
        seen: list[tuple[str, str, str]] = []
        for lk in self.leaks:
            key = (lk.kind, lk.masked, lk.where)
            if key not in seen:
                seen.append(key)
        shown, more = seen[:20], len(seen) - 20

        def items(lang: str) -> str:
            text = ", ".join(
                tr(lang, N_("%(kind)s '%(value)s'%(where)s"), kind=tr(lang, KIND_LABELS[k]),
                   value=m, where=f" ({w})" if w else "") for k, m, w in shown)
            if more > 0:
                text += both_plural(NP_(" and %(num)s more", " and %(num)s more"),
                                    more)[lang == "en"]
            return text

        self._fr, self._en = both(
            N_("Personal data found in the report%(where)s: %(found)s. The report is not "
               "published."), where=f" ({source})" if source else "", found=items)
        super().__init__(f"{self._fr}\n{self._en}")

    def message(self, lang: str = "fr") -> str:
        """The message in one language only."""
        return self._en if str(lang).lower().startswith("en") else self._fr


class GateError(Exception):
    """A file cannot be checked (unknown type in a report folder, unreadable PDF): it is not
    published. ``message(lang)`` gives one language."""

    def __init__(self, fr: str, en: str):
        self.fr, self.en = fr, en
        super().__init__(f"{fr}\n{en}")

    def message(self, lang: str = "fr") -> str:
        return self.en if str(lang).lower().startswith("en") else self.fr


# ============================================================================================
# HTML and text
# ============================================================================================

#: Attributes whose text is shown to readers (or read aloud) and is therefore scanned.
_SCANNED_ATTRIBUTES = {
    "alt", "title", "aria-label", "aria-description", "placeholder", "summary", "label",
    "value", "content", "download",
}
_SKIPPED_TAGS = {"style", "script", "template"}
_INLINE_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "tspan", "wbr",
}
_DATA_URI_RE = re.compile(r"data:[\w/+.\-]+(?:;[\w=.\-]+)*,[^\s\"'<>)]*", re.IGNORECASE)
_BASE64_RUN_RE = re.compile(r"[A-Za-z0-9+/]{80,}={0,2}")
#: A commit hash or a digest as the provenance table prints them: 7 to 64 lower-case
#: hexadecimal characters, letters and digits mixed (after "commit ", digits alone too: a short
#: commit may hold no letter). Their characters are random: one commit in
#: a few thousand ends like an id ("…9525a4") or starts like a phone number ("0049…"), which
#: blocked a run (found by a developer). Nothing personal is written so: ids are written with a
#: capital, phone numbers hold no letter.
_HEX_DIGEST_RE = re.compile(r"(?<![0-9A-Za-z])(?:(?<=commit )[0-9a-f]{7,64}|(?=[0-9a-f]*[a-f])"
                            r"(?=[0-9a-f]*[0-9])[0-9a-f]{7,64})(?![0-9A-Za-z])")
_LOOKS_LIKE_HTML = re.compile(
    r"<(?:!doctype|html|head|body|p|div|span|table|td|h[1-6]|img|br|section|article|a|ul|li|svg)\b",
    re.IGNORECASE,
)


class _VisibleText(HTMLParser):
    def __init__(self, scan_scripts: bool):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.scan_scripts = scan_scripts

    def _skipped(self, tag: str) -> bool:
        return tag in _SKIPPED_TAGS and not (self.scan_scripts and tag != "style")

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if self._skipped(tag):
            self.skip += 1
            return
        if tag not in _INLINE_TAGS:
            self.parts.append("\n")
        for name, value in attrs:
            if value is None:
                continue
            name, v = name.lower(), value.strip()
            if v.lower().startswith("data:"):
                continue
            if name in _SCANNED_ATTRIBUTES:
                self.parts.append("\n" + v + "\n")
            elif name in ("href", "src", "action") and v.lower().startswith(("mailto:", "tel:")):
                self.parts.append("\n" + v.split(":", 1)[1] + "\n")

    def handle_startendtag(self, tag, attrs):
        if self._skipped(tag.lower()):
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        tag = tag.lower()
        if self._skipped(tag):
            self.skip = max(0, self.skip - 1)
            return
        if tag not in _INLINE_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _scannable_text(content: str, html: bool | None, scan_scripts: bool) -> str:
    if html is None:
        html = bool(_LOOKS_LIKE_HTML.search(content))
    if html:
        parser = _VisibleText(scan_scripts)
        parser.feed(content)
        parser.close()
        text = "".join(parser.parts)
    else:
        text = content
    text = _DATA_URI_RE.sub(" ", text)
    text = _HEX_DIGEST_RE.sub(" ", text)
    return _BASE64_RUN_RE.sub(" ", text)


def _leaks_in(text: str, participant_ids, names, where: str = "", context: int = 30) -> list[Leak]:
    out = []
    for f in pii.find_pii(text, participant_ids, names):
        if f.kind == "name" and is_own_text(text, f.start, f.end):
            continue  # a word of the report's own sentence ("in France", "Bailly 2005")
        ctx = text[max(0, f.start - context): f.end + context]
        ctx = pii.mask_text(" ".join(ctx.split()), participant_ids, names) or ""
        out.append(Leak(f.kind, f.text, ctx, where))
    return out


def find_leaks(
    html_or_text: str,
    participant_ids: Iterable = (),
    names: Iterable = (),
    *,
    html: bool | None = None,
    scan_scripts: bool = False,
    context: int = 30,
    where: str = "",
) -> list[Leak]:
    """Personal data in a rendered report (HTML) or in plain text, in order of appearance
    (every kind of :func:`fac_eval.disclosure.pii.find_pii`). ``html=None`` guesses whether the input is
    HTML; see the module docstring for what is scanned. The ``context`` of each leak is masked."""
    text = _scannable_text(str(html_or_text), html, scan_scripts)
    return _leaks_in(text, tuple(participant_ids or ()), tuple(names or ()), where, context)


def check_no_leaks(html_or_text: str, participant_ids: Iterable = (), names: Iterable = (), *,
                   source: str | None = None, **kwargs) -> None:
    """Raise :class:`LeakError` when :func:`find_leaks` finds anything."""
    leaks = find_leaks(html_or_text, participant_ids, names, **kwargs)
    if leaks:
        raise LeakError(leaks, source)


# ============================================================================================
# XLSX and PDF
# ============================================================================================


def _cell_text(value) -> str | None:
    """The text of a cell as a reader may see it; integral numbers of 9 digits or more are read
    as digits (a phone number typed as a number), other numbers are figures."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (value != value or not value.is_integer()):
            return None
        digits = str(int(value))
        return digits if len(digits) >= 9 else None
    return str(value)


def scan_xlsx(data: bytes | str | Path, participant_ids: Iterable = (),
              names: Iterable = ()) -> list[Leak]:
    """Personal data in a workbook, cell by cell (see the module docstring); each leak's
    ``where`` is ``sheet!cell`` (or ``sheet``, ``properties``, ``defined name``)."""
    from openpyxl import load_workbook

    ids, nms = tuple(participant_ids or ()), tuple(names or ())
    src = io.BytesIO(data) if isinstance(data, bytes) else str(data)
    wb = load_workbook(src, data_only=False)
    leaks: list[Leak] = []
    props = wb.properties
    for attr in ("creator", "title", "subject", "description", "keywords", "lastModifiedBy",
                 "category", "identifier"):
        v = getattr(props, attr, None)
        if v:
            leaks += _leaks_in(str(v), ids, nms, f"properties.{attr}")
    for name in getattr(wb, "defined_names", {}) or {}:
        leaks += _leaks_in(str(name), ids, nms, "defined name")
    for ws in wb.worksheets:
        leaks += _leaks_in(ws.title, ids, nms, f"{ws.title}")
        for row in ws.iter_rows():
            for cell in row:
                text = _cell_text(cell.value)
                if text:
                    leaks += _leaks_in(text, ids, nms, f"{ws.title}!{cell.coordinate}")
                if cell.comment is not None and cell.comment.text:
                    leaks += _leaks_in(cell.comment.text, ids, nms,
                                       f"{ws.title}!{cell.coordinate} (comment)")
        for part in (ws.oddHeader, ws.oddFooter):
            for piece in (part.left, part.center, part.right):
                if piece is not None and piece.text:
                    leaks += _leaks_in(piece.text, ids, nms, f"{ws.title} (header/footer)")
    return leaks


def _pdf_pages(data: bytes) -> list[str]:
    exe = shutil.which("pdftotext")
    if exe:
        with tempfile.TemporaryDirectory() as tmp:
            p = Path(tmp) / "f.pdf"
            p.write_bytes(data)
            out = subprocess.run([exe, "-enc", "UTF-8", "-layout", str(p), "-"],
                                 capture_output=True, timeout=120)
            if out.returncode == 0:
                return out.stdout.decode("utf-8", errors="replace").split("\f")
    try:
        from pypdf import PdfReader
    except ImportError:
        raise GateError(*both(N_(
            "Cannot read the PDF to look for personal data (neither poppler-utils' pdftotext nor "
            "pypdf is installed): it is not published."))) from None
    reader = PdfReader(io.BytesIO(data))
    return [page.extract_text() or "" for page in reader.pages]


def scan_pdf(data: bytes | str | Path, participant_ids: Iterable = (),
             names: Iterable = ()) -> list[Leak]:
    """Personal data in the text of a PDF, page by page (``where`` = ``page N``)."""
    if not isinstance(data, bytes):
        data = Path(data).read_bytes()
    leaks = []
    for i, text in enumerate(_pdf_pages(data), start=1):
        leaks += _leaks_in(text, tuple(participant_ids or ()), tuple(names or ()), f"page {i}")
    return leaks


# ============================================================================================
# The gate
# ============================================================================================


def scan(name: str, content: bytes | str, participant_ids: Iterable = (),
         names: Iterable = ()) -> list[Leak]:
    """Every leak in the file ``name`` (its suffix says the format) whose content is given.
    Raises :class:`GateError` for a type a stakeholder should not receive (``.ipynb``…)."""
    suffix = Path(name).suffix.lower()
    ids, nms = tuple(participant_ids or ()), tuple(names or ())
    if suffix in (".html", ".htm"):
        text = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else content
        return find_leaks(text, ids, nms, html=True)
    if suffix == ".xlsx":
        return scan_xlsx(content if isinstance(content, bytes) else content.encode(), ids, nms)
    if suffix == ".pdf":
        return scan_pdf(content if isinstance(content, bytes) else content.encode(), ids, nms)
    if suffix in _TEXT_SUFFIXES:
        text = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else content
        return find_leaks(text, ids, nms, html=suffix == ".svg")
    if suffix in _IMAGE_SUFFIXES:
        return []
    raise GateError(*both(
        N_("%(file)s: this type of file (%(suffix)s) is not a document for the report's readers; "
           "it is not published (an executed notebook stays in data/processed/)."),
        file=Path(name).name, suffix=suffix or (lambda lang: tr(lang, N_("no extension")))))


def gate(name: str, content: bytes | str, participant_ids: Iterable = (),
         names: Iterable = ()) -> bytes | str:
    """The disclosure gate of one published file: returns ``content`` unchanged when nothing
    personal is found, else raises :class:`LeakError` (values masked in its message)."""
    leaks = scan(name, content, participant_ids, names)
    if leaks:
        raise LeakError(leaks, source=Path(name).name)
    return content


def gate_file(path: str | Path, participant_ids: Iterable = (), names: Iterable = ()) -> Path:
    """:func:`gate` of a file already written (e.g. in the temporary report folder)."""
    path = Path(path)
    gate(path.name, path.read_bytes(), participant_ids, names)
    return path


def gate_folder(folder: str | Path, participant_ids: Iterable = (),
                names: Iterable = ()) -> list[Path]:
    """:func:`gate` of every file under ``folder`` (all leaks of all files in one
    :class:`LeakError`); returns the files checked. Hidden files (``.``) are checked too."""
    leaks: list[Leak] = []
    checked = []
    sources = []
    for p in sorted(Path(folder).rglob("*")):
        if not p.is_file():
            continue
        found = scan(p.name, p.read_bytes(), participant_ids, names)
        if found:
            sources.append(p.name)
            leaks += [Leak(lk.kind, lk.value, lk.context,
                           f"{p.name}" + (f", {lk.where}" if lk.where else "")) for lk in found]
        checked.append(p)
    if leaks:
        raise LeakError(leaks, source=", ".join(sources))
    return checked
