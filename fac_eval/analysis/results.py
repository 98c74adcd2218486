"""One session's results: read, validate, clean, compute indicators, themes and claims.

:func:`compute_session` is what both the pipeline and the report notebook call, so that the figures
of ``data/processed/<session>/indicators.csv``, of the Excel export and of the HTML report are one
and the same computation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from fac_eval.analysis import claims as claims_mod
from fac_eval.analysis import evidence, indicators
from fac_eval.core.i18n import N_, both
from fac_eval.data import cleaning, interim, io


@dataclass
class SessionResults:
    name: str
    path: Path
    meta: dict
    data: io.SessionData
    clean: cleaning.CleanSession
    indicators: pd.DataFrame
    claims: pd.DataFrame | None
    alpha: float = 0.05
    min_cell: int = 3
    confidence: float = 0.95
    checksum: str = ""
    extra: dict = field(default_factory=dict)
    #: True when a list of names (the names file, or ``names=``) was given: quotes were scrubbed
    #: of those names and the leak scan looked for them. False: only ids, e-mails, phone
    #: numbers… were looked for (a real session then gets a warning: :data:`NAMES_NOT_CHECKED`).
    names_checked: bool = False
    #: The programme sections of session.yml (objectives, context, budget…), or None.
    programme: object = None
    #: The day the results were computed: the follow-up's status is told as of this day.
    as_of: dt.date = field(default_factory=dt.date.today)

    @property
    def followup(self) -> interim.FollowupStatus:
        """The follow-up's status as of :attr:`as_of` (:func:`fac_eval.data.interim.followup_status`):
        the one status the report, ``indicators.csv`` and the Excel export tell."""
        return interim.followup_status(self.meta, self.clean.followup is not None, self.as_of,
                                       interim=self.interim,
                                       set_aside=self.clean.followup_status == "awaiting_exit")

    # ---- privacy inputs -------------------------------------------------------------------
    @property
    def participant_ids(self) -> list[str]:
        """Every participant id of the raw data (learners and founders)."""
        t = self.data.tables
        ids = list(t["learners_profile"]["learner_id"].astype(str))
        ids += list(t["founders_profile"]["founder_id"].astype(str))
        return sorted(set(ids))

    @property
    def names(self) -> list[str]:
        """Names present in the raw data (none when the files are pseudonymised, as required)."""
        return list(self.extra.get("names", []))

    @property
    def interim(self) -> bool:
        """True when exit questionnaires are not collected yet (:mod:`fac_eval.data.interim`)."""
        return bool(getattr(self.data, "pending", ()))

    @property
    def pending(self) -> tuple[str, ...]:
        return tuple(getattr(self.data, "pending", ()) or ())

    @property
    def kind(self) -> str:
        return str(self.meta.get("data_kind", "real"))

    # ---- outputs --------------------------------------------------------------------------
    def processed_tables(self) -> dict[str, pd.DataFrame]:
        tables = dict(self.clean.tables())
        tables["indicators"] = self.indicators
        if self.claims is not None:
            tables["claims_check"] = self.claims
        return tables

    def write_processed(self, out_dir: Path) -> Path:
        """``data/processed/<session>/``: the tidy tables and ``indicators.csv`` (atomic)."""
        extra = {"indicators": self.indicators}
        if self.claims is not None:
            extra["claims_check"] = self.claims
        return cleaning.write_processed(self.clean, out_dir, extra=extra)


#: What the terminal and the report's provenance table say when no list of names was checked
#: (a catalog message: :func:`fac_eval.core.i18n.both` gives it in French and English).
NAMES_NOT_CHECKED = N_(
    "No list of names was checked: without a names file (FAC_EVAL_NAMES_FILE), quotes were not "
    "scrubbed of names and the leak scan did not look for them.")


class NamesNotCheckedWarning(UserWarning):
    """A session of real data is processed without a names file (see :data:`NAMES_NOT_CHECKED`)."""


def raw_snapshot(session_dir: Path) -> tuple[str, dict[str, str]]:
    """``(checksum, digests)``: :func:`data_checksum` of the session's raw files and the SHA-256
    of each file by name, from one reading of their bytes."""
    h = hashlib.sha256()
    digests: dict[str, str] = {}
    from fac_eval.data.raw_entries import NotRegularFile, read_regular

    for p in sorted(Path(session_dir).iterdir()):
        if p.is_file() and not p.name.startswith("."):
            try:  # a regular file only, never waiting on a pipe (validation names the others)
                data = read_regular(p)
            except NotRegularFile:
                continue
            h.update(p.name.encode())
            h.update(b"\0")
            h.update(data)
            digests[p.name] = hashlib.sha256(data).hexdigest()
    return h.hexdigest(), digests


def data_checksum(session_dir: Path) -> str:
    """SHA-256 over the session's raw files (names and bytes, in name order)."""
    return raw_snapshot(session_dir)[0]


def _unchanged_while_read(session_dir: Path, before: tuple[str, dict[str, str]]) -> str:
    """The checksum of the bytes :func:`compute_session` read: the raw files are fingerprinted
    before and after they are read, and a file written, added or removed in between raises a
    ``ValidationError`` naming it (the figures would mix two versions, and the report's cache
    would be keyed on files the computation never saw)."""
    from fac_eval.data.validation import ValidationError
    from fac_eval.data.validation_problems import problem

    after = raw_snapshot(session_dir)
    if after[0] == before[0]:
        return before[0]
    old, new = before[1], after[1]
    changed = sorted(n for n in old.keys() | new.keys() if old.get(n) != new.get(n))
    expected = both(N_("the file unchanged while fac-eval reads it: save and close it, then "
                       "run the command again"))
    raise ValidationError([problem(name, None, None, None, "changed_while_read", expected)
                           for name in changed])


def compute_session(session_dir: str | Path, alpha: float = 0.05, min_cell: int = 3,
                    confidence: float = 0.95, names: list[str] | None = None,
                    as_of: dt.date | None = None) -> SessionResults:
    """Read (with validation: raises ``fac_eval.data.validation.ValidationError``), clean, compute.

    ``names``: names to scrub from quotes and to look for in the rendered report; by default
    those of the names file outside the repository (:func:`fac_eval.disclosure.privacy.load_names`).
    ``as_of``: the day the follow-up's status is told as of (today by default).
    ``results.names_checked`` says whether a list of names was given; a session of real data
    (``data_kind: real``) without one raises a :class:`NamesNotCheckedWarning`.
    """
    import os

    from fac_eval.disclosure.privacy import NAMES_ENV_VAR, load_names

    session_dir = Path(session_dir)
    explicit = names is not None
    if not explicit and os.environ.get(NAMES_ENV_VAR, "").strip():
        names = load_names()
    # a names file that holds no name checks nothing: as without one (and so it is said)
    names_checked = explicit or bool(names)
    before = raw_snapshot(session_dir) if session_dir.is_dir() else ("", {})
    data = io.read_session(session_dir)
    clean = cleaning.clean_session(data)
    prog, prog_text = _programme_sections(session_dir, data.meta)
    # the Holm families: the primary outcomes declared in session.yml, else the codebook's
    primary = prog.primary_outcomes if prog is not None else None
    table = indicators.session_indicators(clean, alpha=alpha, confidence=confidence,
                                          primary_outcomes=primary)
    as_of = as_of or dt.date.today()
    if data.pending:  # exit questionnaires not collected yet: their indicators are pending
        table = interim.mark_pending(table, data.pending, data.meta, as_of)
    table = interim.mark_followup(table, interim.followup_status(
        data.meta, clean.followup is not None, as_of, interim=bool(data.pending),
        set_aside=clean.followup_status == "awaiting_exit"))
    claims_path = session_dir / "claims.yml"
    claims_df = None
    claims = None
    if claims_path.exists():
        claims = claims_mod.load_claims(claims_path)
        claims_df = claims_mod.check_claims(table, claims)
    table = evidence.add_evidence(table, str(data.meta.get("data_kind", "real")),
                                  evidence.published_indicators(claims, claims_df))
    _check_objectives(prog, prog_text, set(table["indicator"].astype(str)))
    checksum = _unchanged_while_read(session_dir, before)
    results = SessionResults(
        name=data.name, path=session_dir, meta=dict(data.meta), data=data, clean=clean,
        indicators=table, claims=claims_df, alpha=alpha, min_cell=min_cell,
        confidence=confidence, checksum=checksum,
        extra={"names": list(load_names() if names is None else names)},
        names_checked=names_checked, programme=prog, as_of=as_of,
    )
    warn_names_not_checked(results, stacklevel=3)
    return results


def warn_names_not_checked(results: SessionResults, stacklevel: int = 2) -> None:
    """The :class:`NamesNotCheckedWarning` of a session of real data processed without a list of
    names (:func:`compute_session`, and the kernel's cached results, :mod:`fac_eval.analysis.result_cache`)."""
    import warnings

    if results.kind == "real" and not results.names_checked:
        warnings.warn(NamesNotCheckedWarning(
            "{0} : {1}\n{0}: {2}".format(results.name, *both(NAMES_NOT_CHECKED))),
            stacklevel=stacklevel)


def _programme_sections(session_dir: Path, meta: dict):
    """``(programme, text)``: the programme sections of ``session.yml`` (validated by
    :mod:`fac_eval.data.programme`); raises a ``ValidationError`` listing every problem."""
    from fac_eval.data import programme, safe_yaml
    from fac_eval.data.validation import ValidationError

    text, _ = safe_yaml.read_text(session_dir / io.META_FILE)
    prog, problems = programme.parse_programme(meta, text or "")
    if prog is None:
        raise ValidationError(problems)
    return prog, text or ""


def _check_objectives(prog, text: str, known: set[str]) -> None:
    """Raises a ``ValidationError`` when an objective names an indicator this session does not
    compute."""
    from fac_eval.data import programme
    from fac_eval.data.validation import ValidationError

    problems = programme.indicator_problems(prog, known, text)
    if problems:
        raise ValidationError(problems)


def changes_tested(indicators: pd.DataFrame) -> bool:
    """Whether any entry-to-exit change was tested (an interval of its typical change computed):
    not in an interim report whose exit answers are not collected."""
    return "effect_ci_low" in indicators.columns and bool(indicators["effect_ci_low"].notna().any())
