"""The words shown to users: gettext catalogs read with Babel's tooling.

Every sentence of the session and comparison reports, of the validation messages (the data
stage: :mod:`fac_eval.data.validation`, :mod:`fac_eval.data.io` and their readers) and of the Excel export is
a gettext message. This module sits at the package's base (it imports nothing of the stages), so
that reading and validating data never imports the report package;
:mod:`fac_eval.report.i18n` re-exports it. The message ids are
**English** (the source language); each language has its catalog
``fac_eval/report/locale/<lang>/LC_MESSAGES/fac_eval.po``: ``fr`` holds the French translation,
``en`` starts as a copy of the ids and may refine them (it must translate every message too, so
that a sentence can be reworded in English without touching the code). ``make i18n`` extracts the
messages of the Python modules and the Jinja2 templates (``babel.cfg``) into
``fac_eval/report/locale/fac_eval.pot`` and updates both catalogs; ``tests/test_i18n.py`` fails
when a message has no translation in either.

The catalogs are read from the ``.po`` files at run time (:func:`babel.messages.pofile.read_po`,
compiled in memory with :func:`babel.messages.mofile.write_mo` into a gettext-compatible
:class:`babel.support.Translations`), so that no build step is needed.

Placeholders are Python named placeholders (``%(num)s``); plural messages receive the count
formatted by :func:`fac_eval.core.formatting.fmt_number` as ``num``. Plural forms follow each
catalog's ``Plural-Forms`` header (French: singular for 0 and 1).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[1] / "report" / "locale"
DOMAIN = "fac_eval"
LANGS = ("fr", "en")

__all__ = ["LOCALE_DIR", "DOMAIN", "LANGS", "Messages", "messages", "translations", "N_", "NP_",
           "NC_", "po_path", "fill_source_catalog", "tr", "both", "both_plural"]


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined (a table of words); translated where
    it is used, with :meth:`Messages._`."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a plural message for extraction; use it with :meth:`Messages.ngettext`."""
    return singular, plural


def NC_(context: str, message: str) -> tuple[str, str]:
    """Marks a message with a context (the same English words, another translation)."""
    return context, message


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


@cache
def translations(lang: str):
    """The catalog of ``lang`` as a :class:`babel.support.Translations` (read once)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with po_path(_check_lang(lang)).open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf, domain=DOMAIN)


@dataclass(frozen=True)
class Messages:
    """The words of one language: ``_`` (gettext) and ``ngettext``, with named placeholders."""

    lang: str = "fr"

    def __post_init__(self):
        _check_lang(self.lang)

    def _(self, message: str, **values) -> str:
        """The translation of ``message``, with ``%(name)s`` placeholders filled from ``values``."""
        text = translations(self.lang).gettext(message)
        return text % values if values else text

    gettext = _

    def ngettext(self, singular: str, plural: str, count, **values) -> str:
        """The singular or plural translation for ``count`` (``%(num)s`` is ``count`` formatted)."""
        text = translations(self.lang).ngettext(singular, plural, int(count))
        if "num" not in values:
            from .formatting import fmt_number  # Babel's number formatting, imported when used

            values["num"] = fmt_number(count, self.lang)
        return text % values

    def pgettext(self, context: str, message: str, **values) -> str:
        """The translation of ``message`` in ``context``."""
        text = translations(self.lang).pgettext(context, message)
        return text % values if values else text

    def nplural(self, pair: tuple[str, str], count, **values) -> str:
        """:meth:`ngettext` with a pair marked by :func:`NP_`."""
        return self.ngettext(pair[0], pair[1], count, **values)

    def count_form(self, value, decimals: int) -> int:
        """1 or 2: the gettext count whose form (singular or plural) CLDR gives to ``value`` as
        it is shown with ``decimals`` decimals ("1,5 point" in French, "1.5 points" in English)."""
        from babel import Locale

        from .formatting import locale_for, round_half_up

        shown = abs(round_half_up(value, decimals))
        return 1 if Locale.parse(locale_for(self.lang)).plural_form(shown) == "one" else 2


@cache
def messages(lang: str) -> Messages:
    return Messages(lang)


def tr(lang: str, message: str, **values) -> str:
    """``message`` (an English message id) in ``lang``, placeholders filled from ``values``."""
    return messages(lang)._(message, **values)


def _values(values: dict, lang: str) -> dict:
    return {k: (v(lang) if callable(v) else v) for k, v in values.items()}


def both(message: str | tuple[str, str], **values) -> tuple[str, str]:
    """``(French, English)`` of ``message`` (marked with :func:`N_` where it is written, or with
    :func:`NC_`: a ``(context, message)`` pair); a value given as a function is called with each
    language (``lambda lang: fmt_number(x, lang)``)."""
    if isinstance(message, tuple):
        fr, en = (messages(lang).pgettext(*message, **_values(values, lang)) for lang in LANGS)
    else:
        fr, en = (tr(lang, message, **_values(values, lang)) for lang in LANGS)
    return fr, en


def both_plural(pair: tuple[str, str], count: int, **values) -> tuple[str, str]:
    """``(French, English)`` of a plural message marked with :func:`NP_`; the count is written
    as it is given (``%(num)s``: no thousands separator)."""
    fr, en = (messages(lang).ngettext(*pair, count, **{"num": str(count),
                                                        **_values(values, lang)})
              for lang in LANGS)
    return fr, en


def fill_source_catalog(lang: str = "en") -> int:
    """Give every untranslated message of the source-language catalog its own id as
    translation (English is the language of the ids); return how many were filled. Run by
    ``make i18n`` after ``pybabel update`` (``python -m fac_eval.report.fill_catalog``); the
    English text can then be refined in the catalog. The English text follows the glossary
    (:func:`fac_eval.core.glossary.english`: "positive exit", not "dynamic exit")."""
    from babel.messages.pofile import read_po, write_po

    from .glossary import english

    path = po_path(_check_lang(lang))
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            strings = list(message.string) if isinstance(message.string, tuple) else [""] * 2
            if not all(strings):
                message.string = tuple(s or english(message.id[min(i, 1)])
                                       for i, s in enumerate(strings))
                filled += 1
        elif not message.string:
            message.string = english(str(message.id))
            filled += 1
    if filled:
        with path.open("wb") as f:
            write_po(f, catalog, width=100, sort_output=True)
    return filled

