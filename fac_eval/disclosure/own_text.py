"""The report's own sentences, which the leak scan does not take for a person's name.

A listed name may be a word of the report's prose: "France" (a surname, and the country of "a
status granted in France"), "Bailly" (a surname, and an author of a reference the report
cites), "Long" (and "Long illness or hospitalisation", a reason of drop-out). The detector
(:mod:`fac_eval.disclosure.pii_names`) already reads a listed name that is a common word only
with a capital; a capitalised word of the report's own sentences would still block every
report. So the leak scan (:mod:`fac_eval.disclosure.gate`) does not count a ``name`` found
where the published text around it, on one side or both, is the text of a message of the
catalogs (French or English, placeholders excluded) — at least :data:`MIN_CONTEXT` characters
of it besides the name. A name in a quoted testimony is never inside a catalog message with
that much of the same text around it, so it is still found (and scrubbed before, by
:func:`fac_eval.disclosure.privacy.scrub_text`, which does not use this exemption).
"""

from __future__ import annotations

import functools
import re

__all__ = ["MIN_CONTEXT", "catalog_text", "is_own_text"]

#: Characters of catalog text next to a name (besides the name itself) for it to be the
#: report's own sentence.
MIN_CONTEXT = 10
_PLACEHOLDER_RE = re.compile(r"%\(\w+\)[sdfr]|%%|\{\w*\}")
_MARKUP_RE = re.compile(r"<[^>]*>|\*\*?|`")


def _squash(text: str) -> str:
    return " ".join(text.split())


@functools.lru_cache(maxsize=1)
def catalog_text() -> str:
    """Every message of the French and English catalogs (ids and translations), cut at their
    placeholders, without markup, spaces squashed; one piece a line."""
    from fac_eval.core.i18n import LANGS, translations

    pieces: set[str] = set()
    for lang in LANGS:
        for key, text in translations(lang)._catalog.items():
            if not key:  # the catalog's header
                continue
            for part in (key if isinstance(key, tuple) else (key,)) + (text,):
                if isinstance(part, str):
                    for piece in _PLACEHOLDER_RE.split(_MARKUP_RE.sub("", part)):
                        piece = _squash(piece)
                        if len(piece) > MIN_CONTEXT:
                            pieces.add(piece)
    return "\n".join(sorted(pieces))


def is_own_text(text: str, start: int, end: int) -> bool:
    """True when the name found at ``text[start:end]`` is a word of the report's own sentence:
    the name with the :data:`MIN_CONTEXT` characters of the text before it, or after it (spaces
    squashed), is a piece of :func:`catalog_text`."""
    corpus = catalog_text()
    name = _squash(text[start:end])
    if not name or name not in corpus:
        return False
    lead = " " if start and text[start - 1].isspace() else ""
    trail = " " if end < len(text) and text[end].isspace() else ""
    before = _squash(text[max(0, start - 4 * MIN_CONTEXT):start])
    after = _squash(text[end:end + 4 * MIN_CONTEXT])
    left = (before + lead)[-MIN_CONTEXT:] if len(before) + len(lead) >= MIN_CONTEXT else None
    right = (trail + after)[:MIN_CONTEXT] if len(after) + len(trail) >= MIN_CONTEXT else None
    return ((left is not None and left + name in corpus)
            or (right is not None and name + right in corpus))
