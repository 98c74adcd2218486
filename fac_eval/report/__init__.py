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

from .base import BADGES, BANNERS, STYLESHEET, BaseReport, p_cell, software_versions, stylesheet
from .render import esc
from .session import ANCHORS, SECTIONS, TITLES, Report, report_title_from_notebook

__all__ = ["Report", "BaseReport", "ComparisonReport", "stylesheet", "software_versions",
           "p_cell", "esc", "report_title_from_notebook", "SECTIONS", "ANCHORS", "TITLES",
           "BADGES", "BANNERS", "STYLESHEET"]


def __getattr__(name):
    if name == "ComparisonReport":  # imported lazily: it needs fac_eval.analysis.comparison's results
        from .comparison import ComparisonReport

        return ComparisonReport
    raise AttributeError(name)
