"""Former home of the report's sentences: see :mod:`fac_eval.report.narrative`."""

from .report.narrative import *  # noqa: F401,F403
from .report.narrative import (SENTENCES, VERDICT_READINGS, share_sentence,  # noqa: F401
                               significance_threshold_sentence, test_sentence, verdict_reading)
