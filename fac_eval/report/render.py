"""Rendering the report's view models with Jinja2 (autoescape on).

Every text printed by a template goes through :func:`_finalize`: French typographic spaces
(:func:`fac_eval.core.formatting.french_spacing`), then HTML escaping with no-break spaces written as
character references (:func:`fac_eval.core.formatting.html_text`). Values already marked safe
(:class:`markupsafe.Markup`: a rendered fragment, an inline SVG chart) pass unchanged.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from markupsafe import Markup

from fac_eval.core.formatting import french_spacing, html_text

from .i18n import messages

TEMPLATES = Path(__file__).resolve().parent / "templates"

__all__ = ["TEMPLATES", "environment", "render", "esc"]


def esc(text) -> Markup:
    """Escape for HTML, keeping no-break spaces as character references."""
    if hasattr(text, "__html__"):
        return Markup(text)
    return Markup(html_text(french_spacing("" if text is None else text)))


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
    return env


def render(template: str, lang: str, **context) -> Markup:
    """Render ``template`` with the words of ``lang`` (``_``, ``ngettext`` in the template)."""
    words = messages(lang)
    html = environment().get_template(template).render(
        _=words._, gettext=words._, ngettext=words.ngettext, lang=lang, **context)
    return Markup(html.strip())
