"""The ``fac-eval`` command line's parser: every command, argument and help text.

Help texts are gettext messages (English ids, French in the catalogs) read in the language of
the messages; argparse's own words come from :mod:`fac_eval.run.climessages`. The chosen command is
``args.command``; :mod:`fac_eval.run.cli` runs it.
"""

from __future__ import annotations

import argparse
import functools

from fac_eval.core.i18n import N_, messages

#: Largest --jobs: each job runs a Jupyter kernel; more than this is a typo, not a machine.
MAX_JOBS = 64
MAX_TIMEOUT = 24 * 3600
#: The follow-up delay of a synthetic session (fac_eval.data.synth.FOLLOWUP_MONTHS, not imported:
#: the help must not load numpy and pandas; a test checks they agree).
SYNTH_FOLLOWUP_MONTHS = 3

# help of each command: its summary (a gettext message) and an example shown as the epilog
COMMANDS = {
    "validate": (N_("check a session's raw data against the codebook"), "fac-eval validate 2022"),
    "clean": (
        N_("validate, clean and write data/processed/<session>/"),
        "fac-eval clean synth-2024",
    ),
    "claims": (
        N_("check the published claims of a session against its data"),
        "fac-eval claims 2022",
    ),
    "run": (
        N_(
            "produce reports/<session>/rapport_<session>.html (in English: report_<session>_en.html)"
        ),
        "fac-eval run 2022 --lang en -p min_cell=5 --pdf",
    ),
    "batch": (
        N_("produce the reports of many sessions in parallel"),
        "fac-eval batch 2022 synth-2024 --jobs 2",
    ),
    "synth": (
        N_("generate a synthetic session"),
        "fac-eval synth synth-2026 --learners 12 --founders 5 --seed 7 --followup",
    ),
    "new-session": (
        N_("create data/raw/NAME with session.yml and the data-entry workbooks"),
        "fac-eval new-session 2026",
    ),
    "compare": (
        N_("compare several sessions in one HTML report"),
        "fac-eval compare 2022 synth-2024 --name bilan",
    ),
    "pseudonymise": (
        N_(
            "replace names / e-mails of a raw export by pseudonymous ids, derived from the full name with a secret key"
        ),
        "fac-eval pseudonymise --key-file ~/cle.key export.xlsx data/raw/2026/learners_profile.xlsx",
    ),
    "quality": (
        N_("run the data-quality notebook into data/processed/<session>/"),
        "fac-eval quality synth-2024",
    ),
    "install-template": (
        N_("install the fac_report nbconvert template (done by make install)"),
        "fac-eval install-template && jupyter nbconvert --to html --template fac_report rapport.ipynb",
    ),
}


def build_parser(lang: str = "fr") -> argparse.ArgumentParser:
    """The parser, with every help text in ``lang`` (call inside
    :func:`fac_eval.run.climessages.argparse_language` for argparse's own words too)."""
    from fac_eval import __version__

    from .climessages import (
        FacArgumentParser,
        FacHelpFormatter,
        bounded_int,
        iso_date,
        lang_value,
        positive_number,
        report_langs,
    )

    _ = messages(lang)._

    def make(**kw):
        # argparse makes the formatter with formatter_class(prog=...): the language bound here
        return FacArgumentParser(
            lang=lang, formatter_class=functools.partial(FacHelpFormatter, lang=lang), **kw
        )

    p = make(
        prog="fac-eval",
        description=_(
            "Reproducible evaluation of Form'Ain Cube sessions: data, small-sample statistics, "
            "privacy-safe HTML reports."
        ),
        epilog=_("Example: fac-eval run 2022    Help on a command: fac-eval run --help"),
    )
    p.add_argument(
        "--version",
        action="version",
        version=f"fac-eval {__version__}",
        help=_("show the version and exit"),
    )
    lang_help = _("language of messages and report: fr (default) or en; also FAC_EVAL_LANG")
    p.add_argument("--lang", type=lang_value, choices=("fr", "en"), default=argparse.SUPPRESS,
                   help=lang_help)
    sub = p.add_subparsers(
        dest="command",
        required=True,
        metavar=_("COMMAND"),
        title=_("commands"),
        parser_class=lambda **kw: make(**kw),
    )

    def add(name):
        summary, example = COMMANDS[name]
        sp = sub.add_parser(
            name,
            help=_(summary),
            description=_(summary),
            epilog=_("Example:\n  ") + example,
        )
        sp.add_argument("--lang", type=lang_value, choices=("fr", "en"),
                        default=argparse.SUPPRESS, help=lang_help)
        return sp

    p.commands = sub.choices  # main() reports errors through them
    session_help = _("name of the session folder in data/raw/ (e.g. 2022)")
    timeout = dict(
        type=positive_number(MAX_TIMEOUT, lang, "duration-second"),
        default=600.0,
        metavar=_("SECONDS"),
        help=_(
            "maximum execution time of one cell, in seconds, a positive number (e.g. 90 or 1.5; default 600)"
        ),
    )
    param_help = _("notebook parameter, repeatable (e.g. -p min_cell=5)")

    sp = add("validate")
    sp.add_argument("session", help=session_help)
    sp = add("clean")
    sp.add_argument("session", help=session_help)
    sp = add("claims")
    sp.add_argument("session", help=session_help)
    sp = add("run")
    sp.add_argument("session", help=session_help)
    sp.add_argument("-p", "--param", action="append", metavar=_("NAME=VALUE"), help=param_help)
    sp.add_argument("--timeout", **timeout)
    sp.add_argument(
        "--notebook",
        default=None,
        metavar=_("NOTEBOOK"),
        help=_("another report notebook (default notebooks/rapport_evaluation.ipynb)"),
    )
    pdf_help = _(
        "also print the report to PDF (A4) with Chromium, beside the HTML; without Chromium the "
        "HTML is produced and the exit code is 3"
    )
    sp.add_argument("--pdf", action="store_true", help=pdf_help)
    sp = add("batch")
    sp.add_argument(
        "sessions",
        nargs="*",
        metavar=_("SESSION"),
        help=_("sessions to produce (default: every session in data/raw/)"),
    )
    sp.add_argument(
        "--jobs",
        type=bounded_int(1, MAX_JOBS, lang, "--jobs"),
        default=None,
        metavar="N",
        help=_("parallel workers, 1 to %(max)s (default: number of cores)", max=MAX_JOBS),
    )
    sp.add_argument("-p", "--param", action="append", metavar=_("NAME=VALUE"), help=param_help)
    sp.add_argument(
        "--scheduler",
        default=None,
        metavar=_("ADDRESS"),
        help=_("address of a Dask distributed scheduler (e.g. tcp://host:8786)"),
    )
    sp.add_argument(
        "--shared-dir",
        default=None,
        metavar=_("PATH"),
        help=_("project folder seen by the Dask workers (shared filesystem)"),
    )
    sp.add_argument("--timeout", **timeout)
    sp.add_argument("--quiet", action="store_true", help=_("no progress bar"))
    sp.add_argument("--pdf", action="store_true", help=pdf_help)
    sp.add_argument(
        "--report-langs",
        default=None,
        type=report_langs(lang),
        metavar="fr,en",
        help=_(
            "languages of the reports, one after the other, each in its own file (default: --lang)"
        ),
    )
    sp = add("synth")
    sp.add_argument("name", metavar=_("NAME"), help=_("name of the session to create"))
    sp.add_argument(
        "--learners",
        type=bounded_int(1, 1000, lang, "--learners"),
        required=True,
        metavar="N",
        help=_("number of learners"),
    )
    sp.add_argument(
        "--founders",
        type=bounded_int(0, 1000, lang, "--founders"),
        required=True,
        metavar="N",
        help=_("number of founders"),
    )
    sp.add_argument(
        "--seed", type=bounded_int(0, None, lang, "--seed"), required=True, metavar="N",
        help=_("random seed (same seed, same data)"),
    )
    sp.add_argument("--followup", action="store_true", help=_(
        "also write the follow-up questionnaire (followup.csv), answered %(months)s months after "
        "the end of the session", months=SYNTH_FOLLOWUP_MONTHS))
    sp.add_argument(
        "--start-date",
        default=None,
        type=iso_date(lang),
        metavar=_("YYYY-MM-DD"),
        help=_("first day of the session (default: drawn from the seed)"),
    )
    sp.add_argument(
        "--title",
        default=None,
        metavar=_("TITLE"),
        help=_("the session's name in session.yml and the report (default: NAME)"),
    )
    sp.add_argument(
        "--out", default=None, metavar=_("FOLDER"), help=_("output folder (default data/raw/NAME)")
    )
    sp = add("new-session")
    sp.add_argument("name", metavar=_("NAME"), help=_("name of the folder to create in data/raw/"))
    sp = add("compare")
    sp.add_argument("sessions", nargs="+", metavar=_("SESSION"), help=_("sessions to compare"))
    sp.add_argument(
        "--name", default=None, metavar=_("NAME"), help=_("name of the comparison (output folder)")
    )
    sp.add_argument("--pdf", action="store_true", help=pdf_help)
    sp = add("pseudonymise")
    sp.add_argument(
        "input", metavar=_("INPUT"), help=_("raw export (CSV or XLSX) with names or e-mails")
    )
    sp.add_argument(
        "output", metavar=_("OUTPUT"), help=_("pseudonymised file to write (.csv or .xlsx)")
    )
    sp.add_argument(
        "--key-file",
        default=None,
        metavar=_("FILE"),
        help=_("key file outside the repository (default: environment variable FAC_EVAL_KEY)"),
    )
    sp = add("quality")
    sp.add_argument("session", help=session_help)
    sp.add_argument("--timeout", **timeout)
    sp = add("install-template")
    sp.add_argument(
        "--prefix",
        default=None,
        metavar=_("FOLDER"),
        help=_("installation prefix (default: the current Python environment)"),
    )
    sp.add_argument(
        "--link",
        action="store_true",
        help=_("symbolic link to the package's template instead of a copy"),
    )
    return p
