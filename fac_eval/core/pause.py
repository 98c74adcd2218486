"""A test hook: make a run stop at a chosen point, so that a test can kill it there.

With ``FAC_EVAL_PAUSE_AT=<point>`` and ``FAC_EVAL_PAUSE_FILE=<path>`` in its environment, a
process reaching :func:`pause_point` ``(<point>)`` writes its process id to ``<path>`` and waits
as long as that file exists: the test then kills it (``SIGKILL``, as a crash or an
out-of-memory kill would) or lets it go on by removing the file. Each point pauses once per
process. Without both variables (every ordinary run) a point costs one dictionary look-up.

The points (``tests/test_guarantees_kills.py`` uses most):

``validation``
    the session's lock held and its staging folders made, before the raw data are read and
    validated (``run`` and ``clean``);
``notebook``
    in the kernel, while the report notebook runs (it reads the run's results);
``exported``
    the report's HTML (and PDF) written in its staging folder, before the leak scan
    (``tests/test_guarantees_files_round6.py``);
``swap-journal``
    the swap's journal written, no folder renamed yet;
``swap-half``
    the first output folder swapped in, the second not yet.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PAUSE_ENV = "FAC_EVAL_PAUSE_AT"
PAUSE_FILE_ENV = "FAC_EVAL_PAUSE_FILE"
_done: set[str] = set()


def pause_point(point: str) -> None:
    """Wait here while the pause file exists, when ``FAC_EVAL_PAUSE_AT`` names ``point``."""
    if os.environ.get(PAUSE_ENV) != point or point in _done:
        return
    flag = os.environ.get(PAUSE_FILE_ENV)
    if not flag:
        return
    _done.add(point)
    path = Path(flag)
    path.write_text(str(os.getpid()), encoding="utf-8")
    while path.exists():
        time.sleep(0.05)
