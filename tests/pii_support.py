"""Support for the personal-data detector's suites (tests/test_guarantees_pii_*.py): the ids of
a session and two ways of reading what the one detector finds in a text."""

from __future__ import annotations

from fac_eval.disclosure import pii

IDS = [f"A{i:02d}" for i in range(1, 15)] + [f"P{i:02d}" for i in range(1, 5)]


def found(text, kind=None, ids=IDS):
    return [(f.kind, f.text) for f in pii.find_pii(text, ids) if kind is None or f.kind == kind]


def only_one(text, kind, ids=IDS):
    """The text of the single finding in ``text``, which must be of ``kind``."""
    got = pii.find_pii(text, ids)
    assert [f.kind for f in got] == [kind], (text, got)
    return got[0].text
