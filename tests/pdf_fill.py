"""How full each printed page is (issue 13): a PDF rasterised with poppler's ``pdftoppm`` at a
low resolution, each page measured as the fraction of its printable height left blank below
its last inked row (the page-number footer, in the bottom margin, left out).

Used by tests/test_pdf_fill.py; poppler-utils (``pdftoppm``) and Pillow are needed."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

#: The rows below this fraction of the page's height are the bottom margin and its page number
#: (fac_eval.run.pdf.MARGINS: 0.6 in of 11.69 in, about 5 %).
FOOTER = 0.94
#: A pixel darker than this (0 black, 255 white) is ink.
INK = 200


def page_images(pdf: Path, out: Path, dpi: int = 30) -> list[Path]:
    """Each page of ``pdf`` as a grey-scale image in ``out`` (``page-1.pgm``…)."""
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(pdf), str(out / "page")],
                   check=True)
    return sorted(out.glob("page-*.pgm"), key=lambda p: int(p.stem.split("-")[-1]))


def inked_rows(image: Path) -> tuple[list[bool], int]:
    """Whether each row above the footer holds ink, and the image's height."""
    from PIL import Image

    img = Image.open(image).convert("L")
    w, h = img.size
    px = img.load()
    rows = [any(px[x, y] < INK for x in range(w)) for y in range(int(h * FOOTER))]
    return rows, h


def blank_fractions(pdf: Path, dpi: int = 30) -> list[float]:
    """For each page of ``pdf``, the fraction of its height above the footer that is blank
    below the last inked row (0.0 for a page inked to its foot, 1.0 for an empty page)."""
    with tempfile.TemporaryDirectory(prefix="pdf-fill-") as tmp:
        out = []
        for image in page_images(Path(pdf), Path(tmp), dpi):
            rows, h = inked_rows(image)
            usable = len(rows)
            last = max((y for y, inked in enumerate(rows) if inked), default=-1)
            out.append((usable - (last + 1)) / usable)
        return out


def too_blank(pdf: Path, limit: float = 0.4, first_may_be_short: bool = True) -> list[tuple]:
    """The pages of ``pdf`` more than ``limit`` blank, as ``(page number, fraction)``, except
    the last page of the document and (``first_may_be_short``) page 1, the synthèse alone."""
    fractions = blank_fractions(pdf)
    skip = {len(fractions)} | ({1} if first_may_be_short else set())
    return [(i, round(f, 2)) for i, f in enumerate(fractions, start=1)
            if i not in skip and f > limit]
