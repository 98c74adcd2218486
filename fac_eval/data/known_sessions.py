"""The sessions of the configured raw root and the one "session not found" message (used by
the resolver, the notebooks, the pipeline and the command line alike)."""

from __future__ import annotations

import difflib
from pathlib import Path

from fac_eval.core.i18n import N_, messages
from fac_eval.core.invisible import shown


def list_sessions(paths=None) -> list[str]:
    """The sessions of the configured raw root: its folders that hold a ``session.yml``."""
    return _sessions_in((paths or _paths()).raw)


def _sessions_in(raw_root: Path) -> list[str]:
    if not raw_root.is_dir():
        return []
    return sorted(p.name for p in raw_root.iterdir() if p.is_dir() and (p / "session.yml").exists())


def _paths():
    from .session_paths import Paths

    return Paths()


def suggestion(value: str, choices, lang: str = "fr", cutoff: float = 0.5) -> str:
    """`` Did you mean 'x'?`` for the closest of ``choices`` (difflib), or ``""``. Case does
    not count in the closeness (``RUN`` -> ``run``); the choice is named as it is spelt."""
    spelt: dict[str, str] = {}
    for c in map(str, choices):
        spelt.setdefault(c.casefold(), c)
    close = difflib.get_close_matches(str(value).casefold(), list(spelt), n=1, cutoff=cutoff)
    if not close:
        return ""
    return messages(lang)._(N_(" Did you mean '%(name)s'?"), name=spelt[close[0]])


def session_not_found(session: str, known, raw_dir: str | Path | None = None,
                      lang: str = "fr") -> str:
    """The one "session not found" message: the folder looked for, the closest known session
    and every known session (``known``: names of the session folders)."""
    known = sorted(known)
    folder = Path(raw_dir) / session if raw_dir else None
    empty = folder is not None and folder.is_dir()  # there, but neither session.yml nor data
    _ = messages(lang)._
    if folder is None:
        where = ""
    elif empty:
        where = _(N_(": the folder %(folder)s is empty (no session.yml, no data file)"),
                  folder=folder)
    else:
        where = _(N_(": no folder %(folder)s"), folder=folder)
    listed = ", ".join(known) if known else _(N_("none"))
    return _(N_("Session '%(name)s' not found%(where)s.%(hint)s Known sessions: %(known)s."),
             name=shown(session), where=where, hint=suggestion(session, known, lang),
             known=listed)


def sessions_not_found(missing, known, raw_dir: str | Path | None = None,
                       lang: str = "fr") -> str:
    """:func:`session_not_found` for one or several missing sessions (batch, compare): one
    sentence, the closest known name for each, and every known session."""
    missing = list(dict.fromkeys(missing))
    if len(missing) == 1:
        return session_not_found(missing[0], known, raw_dir, lang)
    known = sorted(known)
    _ = messages(lang)._
    names = ", ".join(_(N_("'%(name)s'"), name=m) for m in missing)
    where = _(N_(" in %(folder)s"), folder=Path(raw_dir)) if raw_dir else ""
    hints = []
    for m in missing:
        close = difflib.get_close_matches(str(m), known, n=1, cutoff=0.5)
        if close:
            hints.append(_(N_("'%(close)s' for '%(name)s'"), close=close[0], name=m))
    hint = _(N_(" Did you mean %(names)s?"), names=", ".join(hints)) if hints else ""
    listed = ", ".join(known) if known else _(N_("none"))
    return _(N_("Sessions %(names)s not found: no such folders%(where)s.%(hint)s Known sessions: "
                "%(known)s."), names=names, where=where, hint=hint, known=listed)
