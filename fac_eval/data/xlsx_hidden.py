"""Content of an XLSX sheet that the reader does not read or the user does not see.

:func:`hidden_content_problems` reports, each naming the file, the sheet and the cell:

- ``cell_comment``: a comment (or note) on a cell: the reader reads cells, not comments, so what
  a comment says is lost, and it may hold what a cell must not (a name). Its text is not quoted.
  Its author (the name Excel writes there) and its text go through the one detector of personal
  data (:func:`fac_eval.disclosure.pii.find_pii`, with the names of the names file): what it
  finds is a ``direct_identifier`` problem with the value masked;
- ``cell_hyperlink``: a cell with a link: the reader reads the text shown, not the link's target
  (``mailto:…``, a profile's address); the target is shown masked by the detector;
- what nobody sees (white on white, a format displaying nothing, a tiny font…) is
  :mod:`fac_eval.data.xlsx_unseen`'s.

These are found on the data sheet, header and title rows included.
"""

from __future__ import annotations

from typing import Any

from fac_eval.core.i18n import N_
from fac_eval.data.validation_problems import Problem, both, problem

__all__ = ["hidden_content_problems", "listed_names"]

def listed_names() -> list[str]:
    from fac_eval.disclosure import privacy

    try:
        return privacy.load_names()
    except (privacy.KeyMissingError, privacy.KeyInRepositoryError):
        return []  # the run reports an unusable names file itself


def hidden_content_problems(ws, header: list[str], header_row: int, file: str,
                            letter) -> list[Problem]:
    """The comments and links of sheet ``ws`` (see the module).
    ``header``: the header row's texts, at row ``header_row``; ``letter``: column number ->
    letters."""
    from fac_eval.disclosure import pii

    sheet = ws.title
    names: list[str] | None = None
    cells: dict[tuple[int, int], Any] = getattr(ws, "_cells", {})
    out: list[Problem] = []

    def col_name(r: int, c: int) -> str | None:
        name = header[c - 1].strip() if c - 1 < len(header) else ""
        return name if r > header_row and name else None

    # most cells have no comment and no link: those are skipped at the cost of two attribute
    # reads (a sheet of 500,000 cells in a fraction of a second)
    # (a merged cell's others have no comment, no link of their own)
    marked = [(key, cell) for key, cell in cells.items()
              if getattr(cell, "_comment", None) is not None
              or getattr(cell, "_hyperlink", None) is not None]
    for (r, c), cell in sorted(marked, key=lambda kc: kc[0]):
        where = f"{letter(c)}{r}"
        comment = getattr(cell, "_comment", None)
        if comment is not None:
            out.append(problem(
                file, r, col_name(r, c), None, "cell_comment",
                both(N_("no comment on a cell: comments are not read; write what it says in a "
                        "column or delete it (right-click > Delete Comment)")),
                sheet=sheet, cell=where))
            if names is None:
                names = listed_names()
            from fac_eval.data.validation_identifiers import _FOUND_MASKED, _kinds

            for part in (comment.author, comment.text):
                found = pii.find_pii(part or "", (), names)
                if found:
                    out.append(problem(
                        file, r, col_name(r, c), ", ".join(pii.mask(f.text) for f in found),
                        "direct_identifier",
                        both(N_("no personal data in a comment, its author included: delete "
                                "the comment")), sheet=sheet, cell=where,
                        note=both(_FOUND_MASKED, what=_kinds(
                            list(dict.fromkeys(f.kind for f in found))))))
        link = getattr(cell, "_hyperlink", None)
        if link is not None:
            if names is None:
                names = listed_names()
            target = str(link.target or link.location or "")
            shown = pii.mask_text(target, (), names) if target else ""
            out.append(problem(
                file, r, col_name(r, c), None, "cell_hyperlink",
                both(N_("no link in a cell: the text shown is read, not the link (right-click "
                        "> Remove Hyperlink)")), sheet=sheet, cell=where,
                note=both(N_("link to %(target)s"), target=shown[:80]) if shown else ("", "")))
    return out
