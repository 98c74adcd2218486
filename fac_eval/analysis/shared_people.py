"""The same people in two sessions of a comparison: what a pooled figure would count twice.

A comparison pools the sessions' learners and founders. A session that is a copy of another
(the same tables saved in another format, or with one testimony changed, or its ids renamed)
would have its people counted twice, and the pooled exact tests would run on twice their
number. The data files' bytes cannot tell it (:func:`fac_eval.run.compare_run.same_data` catches
a link and a byte-for-byte copy); what the people answered can.

Each learner who answered the exit questionnaire is described by their scores at entry and at
exit on every outcome (``learner_pairs``), each founder who answered at exit by their answers
at entry and exit (``founder_outcomes``), ids left out (a copy may rename them): the people the
pooled results count (an interim session, its exit pending, counts nobody). Two sessions share their people
when at least half of the smaller session's described people (and at least two) have a
description found in the other: a copy shares all of them, while two groups of people answering
alike by chance on every score, at both waves, for half of a session, does not happen. A copy
with a few answers changed (a second typing of the same forms) is caught by the people's ids
and the dates of their answers instead, which two sessions never share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

#: The share of the smaller session's people found in the other from which two sessions are
#: taken to share their people.
SHARED_SHARE = 0.5


@dataclass(frozen=True)
class SharedPeople:
    """Two sessions of a comparison that hold the same people: ``shared`` of the ``of`` people
    described in the smaller of the two (described: counted in the pooled results)."""

    first: str
    second: str
    shared: int
    of: int
    #: how they were told the same: by their ``answers``, or by their ``ids`` and answer dates
    by: str = "answers"


class SharedPeopleError(ValueError):
    """A comparison of sessions that hold the same people (:attr:`pairs`)."""

    def __init__(self, pairs: Sequence[SharedPeople]):
        self.pairs = list(pairs)
        super().__init__("; ".join(
            f"sessions {p.first} and {p.second} hold the same people ({p.shared} of {p.of} with "
            + ("the same answers" if p.by == "answers" else "the same ids and answer dates")
            + "): a comparison would count them twice" for p in self.pairs))


def _descriptions(session) -> list[tuple]:
    """What each person of ``session`` answered, ids left out: one tuple a person."""
    clean = session.clean
    out: list[tuple] = []
    if getattr(session, "interim", False):  # its exit pending: in none of the pooled results
        return out
    pairs = getattr(clean, "learner_pairs", None)
    if isinstance(pairs, pd.DataFrame) and not pairs.empty:
        for _, rows in pairs.groupby("learner_id", sort=True):
            scores = tuple(sorted((str(r.outcome), _value(r.entry), _value(r.exit))
                                  for r in rows.itertuples()))
            if any(x is not None for _, _, x in scores):  # counted in the pooled results
                out.append(("learner", scores))
    founders = getattr(clean, "founder_outcomes", None)
    if isinstance(founders, pd.DataFrame) and not founders.empty:
        columns = sorted(c for c in founders.columns
                         if c.endswith(("_entry", "_exit")) and not c.startswith("has_"))
        for row in founders[columns].itertuples(index=False):
            answers = tuple(zip(columns, (_value(v) for v in row)))
            if any(v is not None for c, v in answers if c.endswith("_exit")):
                out.append(("founder", answers))
    return out


def _identities(session) -> list[tuple]:
    """Each pooled person of ``session`` by id and the dates of their entry and exit answers:
    a copy with a few answers changed (a second typing of the same forms) keeps them, and two
    sessions never share both (their dates differ)."""
    out: list[tuple] = []
    if getattr(session, "interim", False):
        return out
    tables = getattr(getattr(session, "data", None), "tables", None) or {}
    for population, key in (("learners", "learner_id"), ("founders", "founder_id")):
        entry, exit_ = tables.get(f"{population}_entry"), tables.get(f"{population}_exit")
        if not (isinstance(entry, pd.DataFrame) and isinstance(exit_, pd.DataFrame)
                and all({key, "response_date"} <= set(t.columns) for t in (entry, exit_))):
            continue
        dates = entry.dropna(subset=["response_date"]).drop_duplicates(key).set_index(key)
        for pid, when in exit_.dropna(subset=["response_date"]).drop_duplicates(key).set_index(
                key)["response_date"].items():
            if pid in dates.index:
                out.append((population, str(pid), str(dates.at[pid, "response_date"]),
                            str(when)))
    return out


def _value(v):
    return None if v is None or (isinstance(v, float) and v != v) else str(v)


def shared_people(sessions: Sequence) -> list[SharedPeople]:
    """Each pair of ``sessions`` (:class:`fac_eval.analysis.results.SessionResults`) that hold
    the same people, by the rule of the module."""
    from collections import Counter

    described = [(s.name, Counter(_descriptions(s)), Counter(_identities(s))) for s in sessions]
    out = []
    for i, (a, da, ia) in enumerate(described):
        for b, db, ib in described[i + 1:]:
            for by, x, y in (("answers", da, db), ("ids", ia, ib)):  # answers, or ids and dates
                shared = sum((x & y).values())
                of = min(sum(x.values()), sum(y.values()))
                if of and shared >= max(2, SHARED_SHARE * of):
                    out.append(SharedPeople(a, b, shared, of, by))
                    break
    return out
