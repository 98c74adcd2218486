"""The rows of the reports' HTML tables as visible text, for tests (one reader for all)."""

from __future__ import annotations

import html as htmllib
import re


def table_rows(html, plain_spaces: bool = True) -> list[list[str]]:
    """Every table row of an HTML fragment (or an ``IPython.display.HTML``), cells as visible
    text. A grouped table's group name (the ``group-head`` row heading its tbody) leads each of
    its data rows, so rows read as (group, label, value…) as in a flat table. With
    ``plain_spaces`` the no-break spaces of French typography become plain spaces."""
    html = getattr(html, "data", html)
    out = []
    group = None
    for attrs, tr, end in re.findall(r"<tr([^>]*)>(.*?)</tr>|(</table>)", html, flags=re.S):
        if end:
            group = None
            continue
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, flags=re.S)
        row = [htmllib.unescape(re.sub(r"<[^>]+>", "", c)) for c in cells]
        if plain_spaces:
            row = [re.sub(r"[\u00a0\u202f]", " ", c) for c in row]
        row = [c.strip() for c in row]
        if "group-head" in attrs:
            group = row[0]
            continue
        if group is not None and "<td" in tr:  # a data row of the group
            row = [group, *row]
        out.append(row)
    return out
