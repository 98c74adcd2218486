"""The command line's own words: argparse's messages in French or English, suggestions, checks.

- :func:`detect_lang`: the language of the messages, from ``--lang`` anywhere on the command line
  (before or after the subcommand), else the environment variable ``FAC_EVAL_LANG``, else French;
- :func:`argparse_language`: argparse's built-in messages ("usage:", "error:", "the following
  arguments are required", "invalid choice"...) in that language while the parser is built and
  used;
- :class:`FacArgumentParser`: an :class:`argparse.ArgumentParser` that suggests the closest
  subcommand or choice (:mod:`difflib`) and ends an error with where to find help;
- :func:`bounded_int` / :func:`positive_number`: argument types with a clear message;
- :func:`session_not_found` / :func:`sessions_not_found`: the one "session not found" message
  (every command, every language), with the closest name and the known sessions.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import math
import os
import re
from pathlib import Path

from .invisible import shown

LANGS = ("fr", "en")
ENV_VAR = "FAC_EVAL_LANG"

#: argparse's message ids (Python 3.11+) and their French translation.
FR = {
    "usage: ": "utilisation : ",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "positional arguments": "arguments positionnels",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ignored explicit argument %r": "argument explicite ignoré : %r",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "expected one argument": "une valeur attendue",
    "expected at most one argument": "au plus une valeur attendue",
    "expected at least one argument": "au moins une valeur attendue",
    "expected %s argument": "%s valeur attendue",
    "expected %s arguments": "%s valeurs attendues",
    "ambiguous option: %(option)s could match %(matches)s":
        "option ambiguë : %(option)s peut désigner %(matches)s",
    "unexpected option string: %s": "option inattendue : %s",
    "invalid %(type)s value: %(value)r": "valeur %(type)s invalide : %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "choix invalide : %(value)r (choisir parmi %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
}


def detect_lang(argv: list[str] | None, environ=None) -> str:
    """``fr`` or ``en``: the last valid ``--lang X`` / ``--lang=X`` of ``argv``, else
    ``$FAC_EVAL_LANG``, else ``fr``. An invalid value is left for argparse to refuse."""
    environ = os.environ if environ is None else environ
    found = None
    args = list(argv or [])
    for i, tok in enumerate(args):
        if tok == "--":
            break
        value = None
        if tok == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif tok.startswith("--lang="):
            value = tok.split("=", 1)[1]
        value = lang_value(value) if value is not None else None
        if value in LANGS:
            found = value
    if found:
        return found
    env = lang_value(environ.get(ENV_VAR) or "")
    return env if env in LANGS else "fr"


def lang_value(text: str) -> str:
    """A language as typed (``EN``, `` fr ``): case and spaces do not matter."""
    return str(text).strip().lower()


def env_lang_warning(argv: list[str] | None, environ=None) -> str | None:
    """The warning, in French and English, for a ``FAC_EVAL_LANG`` that is neither ``fr`` nor
    ``en`` when it is the one that counts (no valid ``--lang``): the messages fall back to
    French, and the user is told so (never silently)."""
    environ = os.environ if environ is None else environ
    raw = environ.get(ENV_VAR)
    if raw is None or lang_value(raw) in LANGS or lang_value(raw) == "":
        return None
    args = list(argv or [])
    for i, tok in enumerate(args):
        value = args[i + 1] if tok == "--lang" and i + 1 < len(args) else (
            tok.split("=", 1)[1] if tok.startswith("--lang=") else None)
        if value is not None and lang_value(value) in LANGS:
            return None
    v = shown(raw)
    return (f"Attention : {ENV_VAR}={v} n'est pas une langue connue (valeurs permises : fr, en) ; "
            "les messages sont en français.\n"
            f"Warning: {ENV_VAR}={v} is not a known language (allowed values: fr, en); messages "
            "are in French.")


def translate(message: str, lang: str) -> str:
    """argparse's ``message`` in ``lang`` (unchanged in English or when unknown)."""
    return FR.get(message, message) if lang == "fr" else message


@contextlib.contextmanager
def argparse_language(lang: str):
    """argparse's own messages in ``lang`` inside the block (argparse looks its words up through
    the module-level ``_`` / ``ngettext`` functions each time it uses them)."""
    # typeshed does not declare argparse's private module-level hooks ``_`` and ``ngettext``
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = lambda m: translate(m, lang)  # type: ignore[attr-defined]
    argparse.ngettext = lambda s, p, n: translate(s if n == 1 else p, lang)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def suggestion(value: str, choices, lang: str = "fr") -> str:
    """`` Did you mean 'x'?`` for the closest of ``choices`` (difflib), or ``""``."""
    close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1, cutoff=0.5)
    if not close:
        return ""
    return (f" Did you mean '{close[0]}'?" if lang == "en"
            else f" Vouliez-vous dire « {close[0]} » ?")


class FacArgumentParser(argparse.ArgumentParser):
    """ArgumentParser whose errors suggest the closest subcommand or choice and point to help."""

    def __init__(self, *args, lang: str = "fr", **kwargs):
        self.lang = lang
        super().__init__(*args, **kwargs)

    def _check_value(self, action, value):
        if action.choices is None or value in action.choices:
            return
        en = self.lang == "en"
        choices = list(action.choices)
        if isinstance(action, argparse._SubParsersAction):
            msg = (f"unknown command '{shown(value)}'." if en
                   else f"commande inconnue « {shown(value)} ».")
            msg += suggestion(value, choices, self.lang)
            msg += (" Commands: " if en else " Commandes : ") + ", ".join(choices)
        else:
            msg = (f"invalid choice '{shown(value)}' (choose from {', '.join(map(str, choices))})."
                   if en else
                   f"choix invalide « {shown(value)} » (choisir parmi {', '.join(map(str, choices))}).")
            msg += suggestion(value, choices, self.lang)
        raise argparse.ArgumentError(action, msg)

    def option_suggestion(self, extras) -> str:
        """`` Did you mean '--pdf'?`` for the first mistyped option of ``extras`` that is close
        to one of this parser's options, or ``""``."""
        options = [o for a in self._actions for o in a.option_strings if o.startswith("--")]
        for tok in extras:
            if tok.startswith("-"):
                hint = suggestion(tok.split("=", 1)[0], options, self.lang)
                if hint:
                    return hint
        return ""

    def error(self, message):
        self.print_usage(_stderr())
        hint = (f"Help: {self.prog} --help" if self.lang == "en"
                else f"Aide : {self.prog} --help")
        self.exit(2, argparse._("%(prog)s: error: %(message)s\n")
                  % {"prog": self.prog, "message": message} + hint + "\n")


def _stderr():
    import sys

    return sys.stderr


def bounded_int(minimum: int, maximum: int | None, lang: str, what: str = ""):
    """An argparse type: an integer between ``minimum`` and ``maximum`` (``None``: no maximum);
    argparse prefixes its message with the option's name. ``what`` is kept for the docs."""

    def parse(text: str) -> int:
        plain = str(text).strip()
        # plain digits only: int() would also take "1_0", "+3" or non-ASCII digits
        value = int(plain) if re.fullmatch(r"[0-9]+", plain) else None
        if value is None or value < minimum or (maximum is not None and value > maximum):
            rng = (f"an integer ≥ {minimum}" if maximum is None else
                   f"an integer from {minimum} to {maximum}") if lang == "en" else \
                  (f"un entier ≥ {minimum}" if maximum is None else
                   f"un entier de {minimum} à {maximum}")
            raise argparse.ArgumentTypeError(
                f"'{shown(text)}' received, {rng} expected" if lang == "en"
                else f"« {shown(text)} » reçu, {rng} attendu")
        return value

    parse.__name__ = "int"
    return parse


def read_decimal(text: str) -> float | None:
    """``text`` as a finite number, with a decimal point or a French decimal comma (``1,5``) and
    spaces as thousands separators; None when it is not one."""
    s = str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", s):
        return None
    value = float(s)
    return value if math.isfinite(value) else None


def positive_number(maximum: float | None, lang: str, unit: tuple[str, str] = ("", "")):
    """An argparse type: a number above 0 (at most ``maximum``), decimals allowed with a point
    or a French comma (``1.5``, ``1,5``). ``unit``: (French, English) word after the number."""
    from .formatting import fmt_number

    def parse(text: str) -> float:
        value = read_decimal(text)
        if value is None or value <= 0 or (maximum is not None and value > maximum):
            u = unit[1] if lang == "en" else unit[0]
            top = "" if maximum is None else fmt_number(maximum, lang)
            if lang == "en":
                rng = (f"a number above 0{' ' + u if u else ''}" if maximum is None else
                       f"a number above 0 and at most {top}{' ' + u if u else ''}")
                raise argparse.ArgumentTypeError(f"'{text}' received, {rng} expected "
                                                 "(decimals allowed: 1.5)")
            rng = (f"un nombre supérieur à 0{' ' + u if u else ''}" if maximum is None else
                   f"un nombre supérieur à 0 et au plus {top}{' ' + u if u else ''}")
            raise argparse.ArgumentTypeError(f"« {text} » reçu, {rng} attendu "
                                             "(décimales permises : 1,5)")
        return value

    parse.__name__ = "number"
    return parse


def iso_date(lang: str):
    """An argparse type: a calendar date written ``YYYY-MM-DD``, kept as that text."""
    import datetime as dt

    def parse(text: str) -> str:
        try:
            return dt.date.fromisoformat(text.strip()).isoformat()
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"'{text}' received, a date YYYY-MM-DD expected (e.g. 2024-03-04)" if lang == "en"
                else f"« {text} » reçu, une date AAAA-MM-JJ attendue (ex. 2024-03-04)") from None

    parse.__name__ = "date"
    return parse


def session_not_found(session: str, known, raw_dir: str | Path | None = None,
                      lang: str = "fr") -> str:
    """The one "session not found" message: the folder looked for, the closest known session
    and every known session (``known``: names of the session folders)."""
    known = sorted(known)
    folder = Path(raw_dir) / session if raw_dir else None
    empty = folder is not None and folder.is_dir()  # there, but neither session.yml nor data
    if folder is None:
        where = ""
    elif lang == "en":
        where = (f": the folder {folder} is empty (no session.yml, no data file)" if empty
                 else f": no folder {folder}")
    else:
        where = (f" : le dossier {folder} est vide (ni session.yml ni fichier de données)"
                 if empty else f" : pas de dossier {folder}")
    listed = ", ".join(known) if known else ("none" if lang == "en" else "aucune")
    if lang == "en":
        return (f"Session '{shown(session)}' not found{where}.{suggestion(session, known, 'en')} "
                f"Known sessions: {listed}.")
    return (f"Session « {shown(session)} » introuvable{where}.{suggestion(session, known, 'fr')} "
            f"Sessions connues : {listed}.")


def sessions_not_found(missing, known, raw_dir: str | Path | None = None,
                       lang: str = "fr") -> str:
    """:func:`session_not_found` for one or several missing sessions (batch, compare): one
    sentence, the closest known name for each, and every known session."""
    missing = list(dict.fromkeys(missing))
    if len(missing) == 1:
        return session_not_found(missing[0], known, raw_dir, lang)
    known = sorted(known)
    en = lang == "en"
    q = (lambda x: f"'{x}'") if en else (lambda x: f"« {x} »")
    names = ", ".join(q(m) for m in missing)
    where = (f" in {Path(raw_dir)}" if en else f" dans {Path(raw_dir)}") if raw_dir else ""
    hints = []
    for m in missing:
        close = difflib.get_close_matches(str(m), known, n=1, cutoff=0.5)
        if close:
            hints.append(f"{q(close[0])} for {q(m)}" if en else f"{q(close[0])} pour {q(m)}")
    hint = ""
    if hints:
        hint = (f" Did you mean {', '.join(hints)}?" if en
                else f" Vouliez-vous dire {', '.join(hints)} ?")
    listed = ", ".join(known) if known else ("none" if en else "aucune")
    if en:
        return f"Sessions {names} not found: no such folders{where}.{hint} Known sessions: {listed}."
    return (f"Sessions {names} introuvables : pas de tels dossiers{where}.{hint} "
            f"Sessions connues : {listed}.")

