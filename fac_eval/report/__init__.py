"""The reports: view models, Jinja2 templates and message catalogs.

* :class:`Report` (:mod:`.session`, :mod:`.outcomes`) -- the session report, one method per
  section, each returning ``IPython.display.HTML``;
* :class:`ComparisonReport` (:mod:`.comparison`) -- the report comparing sessions;
* :mod:`.views` -- the view models (numbers and sentences, no HTML), rendered by
  ``templates/*.j2`` (one base section layout, shared macros) through :mod:`.render`;
* :mod:`.i18n` -- the gettext catalogs ``locale/<lang>/LC_MESSAGES/fac_eval.po`` (English
  message ids, French and English translations) and :mod:`.narrative`, the sentences built from
  the indicator table.

``from fac_eval import report; report.Report(results, lang="en")`` keeps working.
"""

from importlib import import_module

#: public name -> the module that defines it, imported on first use: a command that only needs
#: the export or the catalogs (the CLI, the nbconvert preprocessor) does not pay for the charts'
#: matplotlib and seaborn (PEP 562 ``__getattr__``)
_PUBLIC = {
    "Report": ".session", "SECTIONS": ".session", "ANCHORS": ".session", "TITLES": ".session",
    "report_title_from_notebook": ".nbtemplate", "ComparisonReport": ".comparison",
    "BaseReport": ".base", "stylesheet": ".base", "software_versions": ".base", "p_cell": ".base",
    "BADGES": ".base", "BANNERS": ".base", "STYLESHEET": ".base", "esc": ".render",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name):
    if name in _PUBLIC:
        value = getattr(import_module(_PUBLIC[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_PUBLIC))
