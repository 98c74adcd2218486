"""``python -m fac_eval.report.fill_catalog``: the last step of ``make i18n``.

Gives every new message of the English catalog its id as translation (English is the language of
the message ids; see :func:`fac_eval.report.i18n.fill_source_catalog`).
"""

from .i18n import fill_source_catalog

if __name__ == "__main__":
    print(f"{fill_source_catalog('en')} message(s) of the English catalog filled from their ids")
