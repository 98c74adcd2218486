"""Charts of the report: pure functions, DataFrame in, :class:`matplotlib.figure.Figure` out.

Every function builds its own ``Figure`` with the object-oriented API and an Agg canvas: no
pyplot, no global figure registry, no change to ``matplotlib.rcParams`` (fonts, sizes and colours
are passed to each artist), so charts can be drawn from several threads or processes and no
figure leaks. Output is deterministic: no randomness anywhere (overlapping lines of the paired
charts are made visible by transparency, never by jitter), fixed colours, fixed font
(DejaVu Sans, shipped with matplotlib, which has the narrow no-break spaces of French numbers).

House style
    5 in wide (360 SVG units: drawn at about one CSS pixel per unit on a 390 px phone, so that
    the smallest 10 pt label stays 10 px tall), height growing with the number of rows; 10–12 pt
    text; a colour-blind-safe palette (Okabe–Ito hues, darkened so that every data mark has a
    contrast of at least 3:1 against white and every text at least 4.5:1 against what is behind
    it: blue for the programme's results and improvements, vermilion for deteriorations, grey
    for "no change");
    no frame, a light grid only where it helps reading; row labels above the bars (full width,
    readable on a phone) and values written next to bars and points rather than read off an
    axis; legends below the plot. Every number shown goes through
    :mod:`fac_eval.core.formatting` (``"7 sur 8 (88 %)"`` in French, ``"7 of 8 (88%)"`` in English).
    Text comes from the codebook in the requested language (``lang="fr"`` or ``"en"``) or from the
    caller (``title=``, ``xlabel=`` keyword arguments).

Privacy
    No chart shows a participant identifier: the paired charts draw one anonymous line per
    person (up to ``PAIR_LINES_MAX`` pairs, distributions beyond); id columns are never read.

Embedding
    :func:`figure_svg` (what the report uses: inline ``<svg role="img">`` named by the alt text,
    text kept as text in a font stack available offline, byte-identical from one run to the
    next), :func:`figure_to_png_base64` / :func:`png_data_uri` (PNG without the Software/date
    metadata) and :func:`figure_to_svg` (inline SVG, text as paths, stable ids).
"""


from __future__ import annotations

from matplotlib.figure import Figure  # noqa: F401,E402

from .agreement import (  # noqa: F401
    likert_diverging,
)
from .embed import (  # noqa: F401
    _SVG_ID,
    _SVG_METADATA,
    SVG_RC,
    _release,
    _stable_svg_ids,
    figure_svg,
    figure_to_png_base64,
    figure_to_svg,
    png_data_uri,
)
from .flow import (  # noqa: F401
    participant_flow,
)
from .followup import (  # noqa: F401
    _FOLLOWUP_INDICATORS,
    _followup_counts,
    followup_categories,
)
from .forest import (  # noqa: F401
    forest,
)
from .paired import (  # noqa: F401
    _SUMMARY_TEXTS,
    PAIR_LINES_MAX,
    PRINT_NCOLS,
    PRINT_PANEL_HEIGHT,
    PRINT_WIDTH,
    _complete_pair_counts,
    _fmt_value,
    _outcome_range,
    _pair_distribution,
    paired_change,
    paired_change_print,
    paired_change_summarised,
)
from .shares import (  # noqa: F401
    share_bars,
)
from .style import (  # noqa: F401
    _AGREE_TEXT,
    _FOLLOWUP_HATCH,
    _FOLLOWUP_TEXT,
    _HALO,
    _HATCH_COLOR,
    _TEXTS,
    AGREE_COLORS,
    AXIS,
    COLORS,
    DIRECTION_COLORS,
    FLOW_STAGES,
    FOLLOWUP_CATEGORIES,
    FOLLOWUP_COLORS,
    FONT_FAMILY,
    FONT_SIZE,
    GRID,
    MINUS,
    MUTED,
    NBSP,
    PAIR_ALPHA,
    SMALL_SIZE,
    SVG_FONT_STACK,
    TEXT,
    WIDTH,
    _bottom_axis,
    _colon,
    _count_axis,
    _font,
    _is_na,
    _label_column,
    _labels_above,
    _lang,
    _message_figure,
    _n_lines,
    _new_figure,
    _percent_axis,
    _require,
    _right_labels,
    _row_height,
    _set_title,
    _stacked_rows,
    _style_axes,
    _t,
    _wrap,
    _xlabel,
)
from .themes import (  # noqa: F401
    theme_bars,
)

__all__ = [
    "COLORS",
    "DIRECTION_COLORS",
    "AGREE_COLORS",
    "FOLLOWUP_COLORS",
    "FLOW_STAGES",
    "FOLLOWUP_CATEGORIES",
    "participant_flow",
    "paired_change",
    "paired_change_print",
    "paired_change_summarised",
    "PAIR_LINES_MAX",
    "likert_diverging",
    "share_bars",
    "followup_categories",
    "theme_bars",
    "forest",
    "figure_to_png_base64",
    "png_data_uri",
    "figure_to_svg",
    "figure_svg",
]
