"""The statistics' public names, kept where users know them: they live in
:mod:`fac_eval.analysis.stats` (one module per family)."""

from fac_eval.analysis.stats import *  # noqa: F401,F403
from fac_eval.analysis.stats import __all__  # noqa: F401
