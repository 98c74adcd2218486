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
import math
import os
import re

from fac_eval.core.i18n import N_, NP_, both, messages, translations
from fac_eval.core.invisible import shown
from fac_eval.data.known_sessions import session_not_found, sessions_not_found, suggestion  # noqa: F401

LANGS = ("fr", "en")
ENV_VAR = "FAC_EVAL_LANG"

#: argparse's own message ids (Python 3.11+), marked for extraction: their translations are in
#: the catalogs (:func:`translate`).
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("argument %(argument_name)s: %(message)s"),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("can't open '%(filename)s': %(error)s"),
)
#: argparse's plural messages (``ngettext``).
ARGPARSE_PLURALS = (NP_("expected %s argument", "expected %s arguments"),)
_KNOWN = frozenset(ARGPARSE_MESSAGES)
_KNOWN_PLURALS = frozenset(ARGPARSE_PLURALS)


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
    return "\n".join(both(N_("Warning: %(var)s=%(value)s is not a known language (allowed "
                             "values: fr, en); messages are in French."),
                          var=ENV_VAR, value=shown(raw)))


def translate(message: str, lang: str) -> str:
    """argparse's ``message`` in ``lang``, from the catalogs (unchanged when unknown)."""
    return messages(lang)._(message) if message in _KNOWN and lang in LANGS else message


def translate_plural(singular: str, plural: str, count: int, lang: str) -> str:
    """argparse's plural message for ``count`` in ``lang`` (unchanged when unknown)."""
    if (singular, plural) in _KNOWN_PLURALS and lang in LANGS:
        return translations(lang).ngettext(singular, plural, count)
    return singular if count == 1 else plural


@contextlib.contextmanager
def argparse_language(lang: str):
    """argparse's own messages in ``lang`` inside the block (argparse looks its words up through
    the module-level ``_`` / ``ngettext`` functions each time it uses them)."""
    # typeshed does not declare argparse's private module-level hooks ``_`` and ``ngettext``
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = lambda m: translate(m, lang)  # type: ignore[attr-defined]
    argparse.ngettext = lambda s, p, n: translate_plural(s, p, n, lang)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class FacHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """The help's formatter, in the language ``lang``: a punctuation mark stays on the line of
    the word before it, and a French heading has its space before the colon.

    French puts a space before ``;``, ``:``, ``!``, ``?`` and ``»`` (and after ``«``); argparse
    wraps at any space, so a line of French help could start with ``; aussi FAC_EVAL_LANG``
    (or with the ``.xlsx`` of ``.csv ou .xlsx``).
    Those spaces are made unbreakable while the help is wrapped, then given back as plain
    spaces (the words of the catalogs, unchanged). Descriptions and epilogs are not wrapped
    (:class:`argparse.RawDescriptionHelpFormatter`)."""

    _GLUE = re.compile(r" +(?=[;:!?»,.])|(?<=«) +")  # ". xlsx" too: "(.csv ou .xlsx)"
    _HOLD = "\x00"  # never whitespace for argparse or textwrap; absent from help texts

    def __init__(self, prog, *args, lang: str = "fr", **kwargs):
        self.lang = lang
        super().__init__(prog, *args, **kwargs)

    def start_section(self, heading):
        """A section's heading (``options``, ``arguments positionnels``, ``commandes``) ends
        with argparse's bare ``:``; French puts a space before it (``options :``)."""
        if heading and self.lang == "fr":
            heading = heading.rstrip() + " "
        super().start_section(heading)

    def _split_lines(self, text, width):
        lines = super()._split_lines(self._GLUE.sub(self._HOLD, text), width)
        return [line.replace(self._HOLD, " ") for line in lines]


class FacArgumentParser(argparse.ArgumentParser):
    """ArgumentParser whose errors suggest the closest subcommand or choice and point to help."""

    def __init__(self, *args, lang: str = "fr", **kwargs):
        self.lang = lang
        super().__init__(*args, **kwargs)

    def _check_value(self, action, value):
        if action.choices is None or value in action.choices:
            return
        _ = messages(self.lang)._
        choices = list(action.choices)
        if isinstance(action, argparse._SubParsersAction):
            msg = _(N_("unknown command '%(name)s'."), name=shown(value))
            msg += suggestion(value, choices, self.lang)
            msg += _(N_(" Commands: %(names)s"), names=", ".join(choices))
        else:
            msg = _(N_("invalid choice '%(name)s' (choose from %(choices)s)."), name=shown(value),
                    choices=", ".join(map(str, choices)))
            msg += suggestion(value, choices, self.lang)
        raise argparse.ArgumentError(action, msg)

    def option_suggestion(self, extras) -> str:
        """`` Did you mean '--pdf'?`` for the first mistyped option of ``extras`` that is close
        to one of this parser's options, or ``""``."""
        options = [o for a in self._actions for o in a.option_strings if o.startswith("--")]
        for tok in extras:
            if tok.startswith("-"):
                # a close spelling only (--pfd -> --pdf), never an unrelated option
                hint = suggestion(tok.split("=", 1)[0], options, self.lang, cutoff=0.75)
                if hint:
                    return hint
        return ""

    def refuse(self, message: str) -> int:
        """Report a refusal found after parsing (a ``-p`` value, a parameter unknown to the
        notebook) exactly as argparse's own errors: the usage line, ``prog: error: message``
        and the help pointer, in the parser's language, on stderr; returns the exit code 2."""
        with argparse_language(self.lang):
            try:
                self.error(message)
            except SystemExit as done:
                return int(done.code or 2)
        return 2  # pragma: no cover  (error() always exits)

    def error(self, message):
        self.print_usage(_stderr())
        hint = messages(self.lang)._(N_("Help: %(prog)s --help"), prog=self.prog)
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
            _ = messages(lang)._
            rng = _(N_("an integer ≥ %(min)s"), min=minimum) if maximum is None else \
                _(N_("an integer from %(min)s to %(max)s"), min=minimum, max=maximum)
            raise argparse.ArgumentTypeError(
                _(N_("'%(text)s' received, %(expected)s expected"), text=shown(text),
                  expected=rng) + _digits_hint(text, lang, str(max(minimum, 2))))
        return value

    parse.__name__ = "int"
    return parse


#: A number as --timeout takes it: ASCII digits, at most one decimal point or French comma.
_PLAIN_DECIMAL = re.compile(r"[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+")


def read_decimal(text: str) -> float | None:
    """``text`` as a plain number written with ASCII digits and at most one decimal point or
    French decimal comma (``90``, ``1.5``, ``1,5``, ``.5``; spaces around are ignored); None
    otherwise: no sign, exponent (``1e3``), inner or thousands spaces (``1 000``), ``inf`` or
    ``nan``, non-ASCII digits."""
    s = str(text).strip()
    if not _PLAIN_DECIMAL.fullmatch(s):
        return None
    value = float(s.replace(",", "."))
    return value if math.isfinite(value) else None


def _digits_hint(text: str, lang: str, example: str) -> str:
    """``. Write it with the digits 0 to 9 only ...`` when ``text`` is not plain digits (``1e3``, ``1 000``,
    ``inf``, ``-1``, ``+3``), else ``""``: the number may look right to its writer."""
    plain = str(text).strip()
    if not plain or _PLAIN_DECIMAL.fullmatch(plain):
        return ""
    return messages(lang)._(N_(". Write it with the digits 0 to 9 only (e.g. %(example)s): no "
                               "sign, exponent (1e3), space (1 000), inf or nan"),
                            example=example)


def positive_number(maximum: float | None, lang: str, unit: str = ""):
    """An argparse type: a number above 0 (at most ``maximum``), decimals allowed with a point
    or a French comma (``1.5``, ``1,5``). ``unit``: the CLDR unit of the number (e.g.
    ``duration-second``), named after it in the user's language by Babel."""
    from babel.units import get_unit_name

    from fac_eval.core.formatting import fmt_number, locale_for

    def parse(text: str) -> float:
        value = read_decimal(text)
        if value is None or value <= 0 or (maximum is not None and value > maximum):
            _ = messages(lang)._
            u = get_unit_name(unit, length="long", locale=locale_for(lang)) if unit else ""
            u = " " + u if u else ""
            rng = _(N_("a number above 0%(unit)s"), unit=u) if maximum is None else \
                _(N_("a number above 0 and at most %(max)s%(unit)s"),
                  max=fmt_number(maximum, lang), unit=u)
            raise argparse.ArgumentTypeError(
                _(N_("'%(text)s' received, %(expected)s expected (decimals allowed: 1.5)"),
                  text=shown(text), expected=rng)
                + _digits_hint(text, lang, _(N_("90 or 1.5"))))
        return value

    parse.__name__ = "number"
    return parse


def report_langs(lang: str):
    """An argparse type: the reports' languages, ``fr``, ``en``, ``fr,en`` (case and spaces do
    not matter, repeats dropped) -> a tuple in the order given."""

    def parse(text: str) -> tuple[str, ...]:
        out: list[str] = []
        for part in str(text).replace(" ", ",").split(","):
            part = lang_value(part)
            if not part:
                continue
            if part not in LANGS:
                raise argparse.ArgumentTypeError(messages(lang)._(
                    N_("'%(value)s' is not a report language (expected fr, en or fr,en)."),
                    value=shown(part)))
            if part not in out:
                out.append(part)
        if not out:
            raise argparse.ArgumentTypeError(messages(lang)._(
                N_("'%(value)s' is not a report language (expected fr, en or fr,en)."),
                value=shown(text)))
        return tuple(out)

    parse.__name__ = "languages"
    return parse


def iso_date(lang: str):
    """An argparse type: a calendar date written ``YYYY-MM-DD``, kept as that text."""
    import datetime as dt

    def parse(text: str) -> str:
        try:
            return dt.date.fromisoformat(text.strip()).isoformat()
        except ValueError:
            raise argparse.ArgumentTypeError(messages(lang)._(
                N_("'%(text)s' received, a date YYYY-MM-DD expected (e.g. 2024-03-04)"),
                text=text)) from None

    parse.__name__ = "date"
    return parse




def dropped_languages(files: list[str], lang: str = "fr") -> str:
    """What a run says of the other language's files it removed: they were made from other
    data or parameters (:meth:`fac_eval.run.outputs.Staging.carry_over_languages`), so that no
    stale report stands beside the new one."""
    m = messages(lang)
    return m.nplural(NP_(
        "Removed: %(files)s, made by an earlier run from other data or parameters (a report in "
        "the other language is kept only when made from the same inputs). Run the command again "
        "in that language to make it anew.",
        "Removed: %(files)s, made by an earlier run from other data or parameters (a report in "
        "the other language is kept only when made from the same inputs). Run the command again "
        "in that language to make them anew."), len(files), files=", ".join(files))


def removed_pdf(name: str, lang: str = "fr") -> str:
    """What a run without ``--pdf`` says of the previous run's PDF in its language, which went
    with the previous report folder (it would not match the new report)."""
    return messages(lang)._(N_(
        "Removed: %(file)s, the previous run's PDF (it would not match the new report). Add "
        "--pdf to print it again."), file=name)


#: What an interrupted command leaves, by command: each says only what holds at any point.
_INTERRUPTED = {
    # the outputs are staged then swapped in together; a swap cut short is completed next time
    "outputs": N_("Interrupted. No output folder is left half-written: each holds either what "
                  "it held before or what this run made, whole (a replacement cut short is "
                  "completed by the next run of the session)."),
    "new": N_("Interrupted. A new session folder is made whole or not at all: what had been "
              "written of it is removed."),
    "file": N_("Interrupted. The output file is written whole or not at all."),
    "read": N_("Interrupted. Nothing was written."),
}
_INTERRUPTED_BY = {"run": "outputs", "batch": "outputs", "clean": "outputs",
                   "quality": "outputs", "compare": "outputs", "new-session": "new",
                   "synth": "new", "pseudonymise": "file", "validate": "read", "claims": "read"}


def interrupted(command: str | None, lang: str) -> str:
    """The message of a command stopped by Ctrl-C: what it leaves, truly at any point."""
    kind = _INTERRUPTED_BY.get(command or "")
    return messages(lang)._(_INTERRUPTED[kind] if kind else N_("Interrupted."))
