"""Rendering the report's view models with Jinja2 (autoescape on).

Every text printed by a template goes through :func:`_finalize`: French typographic spaces
(:func:`fac_eval.core.formatting.french_spacing`), then HTML escaping with no-break spaces written as
character references (:func:`fac_eval.core.formatting.html_text`). Values already marked safe
(:class:`markupsafe.Markup`: a rendered fragment, an inline SVG chart) pass unchanged.

In the English report, a French term of :data:`fac_eval.core.glossary.FRENCH_TERMS` inside a
sentence (a name without an English equivalent, a cited title) gets its own ``lang="fr"``
element: the templates print running text through the ``words`` macro, which splits it with
the ``lang_parts`` filter (:func:`lang_parts`).
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from markupsafe import Markup

from fac_eval.core.formatting import french_spacing, html_text
from fac_eval.core.glossary import FRENCH_TERMS

from .i18n import messages

TEMPLATES = Path(__file__).resolve().parent / "templates"

__all__ = ["TEMPLATES", "environment", "render", "esc", "lang_parts"]

#: The language of the report being rendered (set by :func:`render`).
_REPORT_LANG: ContextVar[str | None] = ContextVar("report_lang", default=None)
#: The French terms, longest first, apostrophes either straight or curly, on word boundaries.
_FRENCH = re.compile("(" + "|".join(
    re.escape(t).replace("'", "['’]") for t in sorted(FRENCH_TERMS, key=len, reverse=True))
    + r")(?!\w)", re.IGNORECASE)


def esc(text) -> Markup:
    """Escape for HTML, keeping no-break spaces as character references."""
    if hasattr(text, "__html__"):
        return Markup(text)
    return Markup(html_text(french_spacing("" if text is None else text)))


def lang_parts(text) -> list[tuple[object, str | None]]:
    """``(part, lang)`` pieces of a text to print: in the English report, each French term of
    :data:`~fac_eval.core.glossary.FRENCH_TERMS` apart with ``"fr"``, the rest with None; one
    piece elsewhere (a French report, markup already rendered, a number)."""
    if _REPORT_LANG.get() != "en" or not isinstance(text, str) or hasattr(text, "__html__"):
        return [(text, None)]
    pieces = _FRENCH.split(text)
    return [(piece, "fr" if i % 2 else None) for i, piece in enumerate(pieces) if piece]


def _finalize(value):
    if value is None:
        return ""
    return esc(value)


@cache
def environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      finalize=_finalize, undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=False,
                      extensions=["jinja2.ext.i18n"])
    env.install_null_translations(newstyle=False)
    env.filters["lang_parts"] = lang_parts
    return env


def render(template: str, lang: str, **context) -> Markup:
    """Render ``template`` with the words of ``lang`` (``_``, ``ngettext`` in the template)."""
    words = messages(lang)
    token = _REPORT_LANG.set(lang)
    try:
        html = environment().get_template(template).render(
            _=words._, gettext=words._, ngettext=words.ngettext, lang=lang, **context)
    finally:
        _REPORT_LANG.reset(token)
    return Markup(html.strip())
