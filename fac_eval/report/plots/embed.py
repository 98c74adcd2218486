"""Embedding a figure: inline SVG with text kept as text, PNG without metadata."""

from __future__ import annotations

import base64
import hashlib
import html
import io
import re
from typing import TYPE_CHECKING, Any

from matplotlib import rc_context
from matplotlib.figure import Figure

from fac_eval.core.formatting import french_spacing

from .style import SVG_FONT_STACK

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

# --------------------------------------------------------------------------------------------
# Embedding helpers
# --------------------------------------------------------------------------------------------

def _release(fig: Figure) -> None:
    fig.clear()


def figure_to_png_base64(fig: Figure, dpi: int = 150, clear: bool = True) -> str:
    """The figure as a base64-encoded PNG (ASCII str), then cleared (``clear=False`` keeps it).

    The PNG carries no Software / creation-time metadata: the same figure gives the same bytes.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    if clear:
        _release(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def png_data_uri(fig: Figure, dpi: int = 150, clear: bool = True) -> str:
    """``data:image/png;base64,...`` for an ``<img src>`` of a self-contained page."""
    return "data:image/png;base64," + figure_to_png_base64(fig, dpi=dpi, clear=clear)


_SVG_ID = re.compile(r'id="([a-z]+[0-9a-f]{10})"')


def _stable_svg_ids(text: str) -> str:
    """Replace matplotlib's salted-hash element ids by ids derived from the document itself.

    matplotlib salts the ids of clip paths, markers and hatches with a random UUID unless the
    global ``svg.hashsalt`` setting is set; rather than touching global state, the ids are renamed
    in order of appearance and prefixed by a digest of the renamed document, so that the same
    figure gives the same text and different figures inlined in one page never share an id.
    """
    ids = list(dict.fromkeys(_SVG_ID.findall(text)))
    if not ids:
        return text
    pattern = re.compile("|".join(re.escape(i) for i in ids))
    seq = {old: f"{old[:-10]}{n}" for n, old in enumerate(ids)}
    text = pattern.sub(lambda m: f"@ID@{seq[m.group(0)]}", text)
    prefix = "f" + hashlib.sha256(text.encode("utf8")).hexdigest()[:8] + "-"
    return text.replace("@ID@", prefix)


def figure_to_svg(fig: Figure, clear: bool = True, inline: bool = True) -> str:
    """The figure as SVG text, then cleared (``clear=False`` keeps it).

    Text is drawn as paths with matplotlib's default settings (no font needed to view it).
    Deterministic: no date or creator metadata, element ids made stable by
    :func:`_stable_svg_ids`. ``inline=True`` drops the XML declaration and DOCTYPE so that the
    ``<svg>`` element can be pasted into an HTML page.
    """
    buf = io.StringIO()
    fig.savefig(buf, format="svg", facecolor="white", metadata={"Date": None, "Creator": None})
    if clear:
        _release(fig)
    text = _stable_svg_ids(buf.getvalue())
    if inline:
        start = text.find("<svg")
        text = text[start:] if start >= 0 else text
    return text


#: matplotlib settings of :func:`figure_svg`, applied in a ``rc_context`` (global state is left
#: as it was): text stays text, element ids come from a fixed salt (no random UUID).
SVG_RC: dict[RcKeyType, Any] = {"svg.fonttype": "none", "svg.hashsalt": "fac-eval", "svg.id": None}
_SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


def figure_svg(fig: Figure, alt: str, clear: bool = True) -> str:
    """The figure as an inline ``<svg>`` element for an HTML page, then cleared.

    * Text stays text (``svg.fonttype = "none"``): sharp at any width, found by the browser's
      search, scaled with the chart. The browser draws it in :data:`SVG_FONT_STACK`
      (DejaVu Sans, the layout font, first; only local fonts, nothing downloaded).
    * Accessible: ``role="img"``, named by a ``<title>`` holding ``alt`` (referenced by
      ``aria-labelledby``); the chart's own text is then not read out item by item.
    * Deterministic: fixed ``svg.hashsalt``, no date / creator metadata (no ``<metadata>``
      block at all), element ids renamed by :func:`_stable_svg_ids` and prefixed by a digest of
      the figure, so the same figure gives the same bytes and two figures of one page never
      share an id.
    * Sized by its ``viewBox`` (``width``/``height`` in pt are the natural size); the report's
      stylesheet scales it to the column (``width: 100%; height: auto``).
    """
    buf = io.StringIO()
    with rc_context(SVG_RC):
        fig.savefig(buf, format="svg", facecolor="white", metadata=_SVG_METADATA)
    if clear:
        _release(fig)
    text = buf.getvalue()
    text = text[text.find("<svg"):]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)
    # one scoped rule instead of the font on every text and matplotlib's page-wide "*" rule
    text = text.replace("font-family: 'DejaVu Sans'; ", "").replace("font-family: 'DejaVu Sans'", "")
    text = re.sub(r'<style type="text/css">\*\{([^}]*)\}</style>',
                  lambda m: (f'<style type="text/css">.fac-chart *{{{m.group(1)}}} '
                             f'.fac-chart text{{font-family: {SVG_FONT_STACK}}}</style>'),
                  text, count=1)
    # group ids ("figure_1", "axes_1", gids) repeat from one chart to the next: only the ids
    # that something refers to (clip paths, markers, hatch patterns) are kept
    refs = set(re.findall(r'(?:url\(#|xlink:href="#)([^)"]+)', text))
    text = re.sub(r'<g id="([^"]*)"', lambda m: m.group(0) if m.group(1) in refs else "<g",
                  text)
    text = re.sub(r"[ \t]+\n", "\n", text)  # matplotlib ends path lines with a space
    text = _stable_svg_ids(text)
    name = html.escape(french_spacing(" ".join(str(alt).split())), quote=False)
    title_id = "t" + hashlib.sha256((text + name).encode("utf8")).hexdigest()[:10]
    head_end = text.index(">") + 1
    head = text[:head_end].replace("<svg ", f'<svg role="img" aria-labelledby="{title_id}" '
                                   'class="fac-chart" ', 1)
    return f'{head}\n <title id="{title_id}">{name}</title>{text[head_end:].rstrip()}'
