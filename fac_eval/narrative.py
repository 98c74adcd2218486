"""Former home of the report's sentences: see :mod:`fac_eval.report.narrative`."""

from .report.narrative import *  # noqa: F401,F403
from .report.narrative import (  # noqa: F401
                               SENTENCES,
                               VERDICT_READINGS,
                               share_sentence,
                               significance_threshold_sentence,
                               test_sentence,
                               verdict_reading,
)
