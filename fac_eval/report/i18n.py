"""The reports' words: the gettext catalogs of :mod:`fac_eval.core.i18n`, re-exported here (the
reports, the validation messages and the export share one catalog per language)."""

from fac_eval.core.i18n import (
    DOMAIN,
    LANGS,
    LOCALE_DIR,
    N_,
    NC_,
    NP_,
    Messages,
    fill_source_catalog,
    messages,
    po_path,
    translations,
)

__all__ = ["LOCALE_DIR", "DOMAIN", "LANGS", "Messages", "messages", "translations", "N_", "NP_",
           "NC_", "po_path", "fill_source_catalog"]
