"""The ``fac-eval`` command line.

    fac-eval validate SESSION [--lang en]
    fac-eval clean SESSION
    fac-eval claims SESSION [--lang en]
    fac-eval run SESSION [--lang en] [-p name=value ...] [--timeout S] [--pdf]
    fac-eval batch [SESSION ...] [--jobs N] [--scheduler ADDRESS] [--shared-dir PATH] [--pdf]
                   [--report-langs fr,en] [--timeout S]
    fac-eval new-session NAME [--lang en]
    fac-eval synth NAME --learners N --founders M --seed S [--followup] [--start-date D]
    fac-eval compare SESSION SESSION ... [--name NAME] [--lang en] [--pdf]
    fac-eval pseudonymise INPUT OUTPUT [--key-file PATH]
    fac-eval quality SESSION [--lang en]
    fac-eval install-template [--prefix PATH] [--link]

Messages are in French, or in English with --lang en (before or after the command) or
FAC_EVAL_LANG=en; argparse's own messages too (fac_eval.run.climessages).

Exit codes: 0 success, 1 a problem with the data or a run (explained in plain words), 2 usage,
3 the reports were written but the PDF asked for with --pdf was not (no Chromium or no
pdftotext on this machine: the message names the Debian package to install).
Errors never end in a raw traceback: they name the file, row, column, value and what was expected.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

from .cli_parser import COMMANDS, MAX_JOBS, MAX_TIMEOUT, build_parser

__all__ = ["main", "build_parser", "COMMANDS", "MAX_JOBS", "MAX_TIMEOUT", "EXIT_NO_PDF"]


def _say(msg: str = "", err: bool = False) -> None:
    print(msg, file=sys.stderr if err else sys.stdout, flush=True)


def _msgs(lang: str):
    """The words of ``lang``: ``_msgs(lang)._("English id", name=value)`` (gettext catalogs
    fac_eval/report/locale)."""
    from fac_eval.core.i18n import messages

    return messages(lang if lang in ("fr", "en") else "fr")


def _session(name):
    """The session's folders through the one resolver (a bad name is refused in main())."""
    from fac_eval.data import session_paths

    return session_paths.resolve(name, session_paths.Paths())


def cmd_validate(args) -> int:
    from fac_eval.data import validation

    from .pipeline import Paths

    paths = Paths()
    session_dir = _session(args.session).raw
    if not _exists(session_dir):
        _say(_missing_session(args.session, paths, args.lang), err=True)
        return 1
    from fac_eval.data.validation_declared import before_exit_warnings, declared_count_warnings
    from fac_eval.disclosure.privacy import KeyMissingError, empty_names_file, load_names

    try:  # the names file is read as run reads it: a missing or unreadable one is refused
        names = load_names()
    except KeyMissingError as err:
        _say(err.message(args.lang), err=True)
        return 1
    _ = _msgs(args.lang)._
    empty = empty_names_file(names)
    if empty is not None:
        _say(empty[args.lang == "en"], err=True)
    data, problems = validation.check_session(session_dir)
    # listed with the problems, never blocking; what an interim report sets aside only when
    # the session is valid (a refused exit file does not make the session interim)
    warnings = (declared_count_warnings(data) + ([] if problems else before_exit_warnings(data))
                + list(data.warnings))
    if problems:
        _say(_("%(num)s problem(s) in session %(session)s:", num=len(problems),
               session=args.session), err=True)
        _say(validation.format_problems(problems, lang=args.lang), err=True)
    if warnings:
        _say(_("%(num)s warning(s), to check (they do not make the session invalid):",
               num=len(warnings)), err=True)
        _say(validation.format_problems(warnings, lang=args.lang), err=True)
    if str(data.meta.get("data_kind", "real")) == "real" and not names and empty is None:
        # real data and no names file: the names in the texts cannot be looked for (run says
        # it too, and the report's provenance table); a names file holding no name was said
        # above (a file was given: "without a names file" would be untrue)
        _say(_("%(session)s: no list of names was checked: without a names file "
               "(FAC_EVAL_NAMES_FILE), the names in the texts (testimonies, free-text answers, "
               "session.yml) cannot be looked for.", session=args.session), err=True)
    if problems:
        _say(_("Nothing was written to %(folder)s.", folder=paths.processed), err=True)
        return 1
    _say(validation.summary_line(data, lang=args.lang))
    return 0


def _exists(folder: Path) -> bool:
    from fac_eval.data.session_paths import session_exists

    return session_exists(folder)


def _missing_session(session, paths, lang):
    from .pipeline import session_missing

    return session_missing(session, paths.raw, lang)


def _missing_sessions(names, paths, lang) -> str | None:
    """The one "session not found" message for the names among ``names`` that have no raw
    folder (batch, compare), else None."""
    from fac_eval.data import session_paths

    from .climessages import sessions_not_found
    from .pipeline import list_sessions

    missing = [n for n in names if not _exists(session_paths.resolve(n, paths).raw)]
    return sessions_not_found(missing, list_sessions(paths), paths.raw, lang) if missing else None


def cmd_clean(args) -> int:
    from .pipeline import Paths, RunError, prepare_session

    paths = Paths()
    folders = _session(args.session)
    if not _exists(folders.raw):
        _say(_missing_session(args.session, paths, args.lang), err=True)
        return 1
    try:
        results = prepare_session(folders.name, paths, lang=args.lang)
    except RunError as err:
        _say(str(err), err=True)
        return 1
    out = folders.processed
    _say(_msgs(args.lang)._("%(num)s indicators; tables written to %(folder)s",
                           num=len(results.indicators), folder=out))
    return 0


def cmd_claims(args) -> int:
    from fac_eval.analysis import claims as claims_mod

    from .pipeline import Paths, RunError, prepare_session

    paths = Paths()
    folders = _session(args.session)
    if not _exists(folders.raw):
        _say(_missing_session(args.session, paths, args.lang), err=True)
        return 1
    claims_path = folders.raw / "claims.yml"
    if not claims_path.exists():
        _say(_msgs(args.lang)._("No claims.yml for session %(session)s.", session=args.session),
             err=True)
        return 1
    try:
        results = prepare_session(folders.name, paths, lang=args.lang, write=False)
        table = claims_mod.check_claims(results.indicators, claims_mod.load_claims(claims_path),
                                        lang=args.lang)
    except (RunError, claims_mod.ClaimsFileError) as err:
        _say(str(err), err=True)
        return 1
    msgs = _msgs(args.lang)
    _ = msgs._
    ok_word, ko_word, wait_word = _("OK"), _("DIFFERS"), _("PENDING")
    for _row, c in table.iterrows():
        word = wait_word if c["pending"] else ok_word if c["matches"] else ko_word
        _say(f"[{word}] {c['text']}")
        _say("    " + _("published: %(stated)s · computed: %(computed)s (%(indicator)s)",
                        stated=c["stated"], computed=c["computed"], indicator=c["indicator"]))
    n_ok = int(table["matches"].sum())
    n_pending = int(table["pending"].sum())
    checked = len(table) - n_pending  # a figure not collected yet is neither agreeing nor not
    _say(_("%(ok)s/%(num)s claims match.", ok=n_ok, num=checked))
    if n_pending:
        _say(msgs.ngettext("%(num)s pending: the exit questionnaires are not collected yet.",
                           "%(num)s pending: the exit questionnaires are not collected yet.",
                           n_pending))
    return 0 if n_ok == checked else 1


def _nothing_changed(lang: str) -> str:
    return _msgs(lang)._("Nothing was run; no report or processed table was changed.")


def cmd_run(args) -> int:
    from fac_eval.data import parameters

    from .notebook_params import (
        NotebookChoiceError,
        check_run_options,
        is_working_file,
        working_file_refusal,
    )
    from .pipeline import NOTEBOOK, Paths, RunError, run_session

    paths = Paths()
    folders = _session(args.session)
    if not _exists(folders.raw):
        _say(_missing_session(args.session, paths, args.lang), err=True)
        return 1
    notebook = Path(args.notebook) if args.notebook else None
    try:  # the -p options against the parameters the chosen notebook declares
        raw_params = check_run_options(args.param, folders.name, args.lang,
                                       notebook or paths.notebooks / NOTEBOOK)
    except (parameters.ParameterError, NotebookChoiceError) as err:
        return _refuse(args, err.message(args.lang) + "\n" + _nothing_changed(args.lang))
    if notebook is not None and is_working_file(notebook):  # never published as a report
        return _refuse(args, working_file_refusal(notebook).message(args.lang) + "\n"
                       + _nothing_changed(args.lang))
    # strings go to run_session, which checks them again against the same schema and the notebook
    raw_params.pop("session", None)
    raw_params.pop("lang", None)
    from .outputs import report_file

    try:
        result = run_session(folders.name, lang=args.lang, parameters=raw_params, paths=paths,
                             timeout=args.timeout, progress=False, notebook=notebook,
                             pdf=args.pdf)
    except (RunError, ValueError) as err:
        _say(err.message(args.lang) if hasattr(err, "message") else str(err), err=True)
        # this language's previous report first, then the other language's (its own file)
        olds = [folders.report / report_file(folders.name, x)
                for x in (args.lang, *(y for y in ("fr", "en") if y != args.lang))]
        olds = [o for o in olds if o.exists()]
        if olds:
            old = ", ".join(str(o) for o in olds)
            _say(_msgs(args.lang)._("The previous report is left untouched: %(path)s", path=old),
                 err=True)
        else:
            _say(_msgs(args.lang)._("No report was produced."), err=True)
        return 1
    from fac_eval.core.formatting import fmt_number

    secs = fmt_number(result.seconds, args.lang, 1)
    _say(_msgs(args.lang)._("Report written: %(path)s (%(secs)s s)", path=result.html, secs=secs))
    _dropped_notice(result, args.lang)
    return _pdf_outcome(result, args.lang)


def _dropped_notice(result, lang: str) -> None:
    """Say which files of the other language the run removed (made from other inputs), and
    the previous PDF a run without --pdf removed."""
    from .climessages import dropped_languages, removed_pdf

    if getattr(result, "dropped", None):
        _say(dropped_languages(result.dropped, lang), err=True)
    if getattr(result, "pdf_removed", ""):
        _say(removed_pdf(result.pdf_removed, lang), err=True)


#: Exit code of a run whose reports were written but whose PDF (--pdf) could not be printed.
EXIT_NO_PDF = 3


def _pdf_outcome(result, lang: str) -> int:
    """Say where the PDF is, or why there is none (exit code :data:`EXIT_NO_PDF`)."""
    if result.pdf is not None:
        _say(_msgs(lang)._("PDF written: %(path)s", path=result.pdf))
    if result.pdf_unavailable:
        _say(result.pdf_message(lang), err=True)
        return EXIT_NO_PDF
    return 0


def _refuse(args, message: str) -> int:
    """A refusal found after parsing (a ``-p`` value), printed as argparse's own errors: the
    command's usage line, ``fac-eval CMD: error: ...`` and its help pointer (exit code 2)."""
    parser = getattr(args, "parser", None)
    if parser is None:  # a handler called without main()
        commands = vars(build_parser(args.lang))["commands"]  # set by build_parser
        parser = commands[args.command]
    return parser.refuse(message)


def cmd_batch(args) -> int:
    from fac_eval.data import parameters
    from fac_eval.run import batch

    from .pipeline import Paths, list_sessions

    # the sessions the workers will read: under --shared-dir when given (the project folder on
    # a filesystem shared with the workers), else under the configured roots
    shared = Path(args.shared_dir) if args.shared_dir else None
    if shared is not None:
        refused = batch.shared_dir_refusal(shared, bool(args.scheduler), args.lang)
        if refused:  # a usage error, before any session: never "notebook not found" per session
            return _refuse(args, refused)
    paths = Paths(shared) if shared is not None else Paths()
    sessions = [_session(s).name for s in args.sessions] or list_sessions(paths)
    visible = shared is None or shared.is_dir()  # a cluster's path this machine may not see
    missing = _missing_sessions(sessions, paths, args.lang) if visible else None
    if missing:  # refused before any session runs, like a mistyped parameter
        _say(missing, err=True)
        _say(_nothing_changed(args.lang), err=True)
        return 1
    if not sessions:
        _say(_msgs(args.lang)._("No session found under %(folder)s.", folder=paths.raw), err=True)
        return 1
    try:  # refused before any session runs: the same schema as run -p and the notebook
        parameters.check_cli(args.param, None, args.lang, batch=True)
    except parameters.ParameterError as err:
        return _refuse(args, err.message(args.lang) + "\n" + _nothing_changed(args.lang))
    langs = args.report_langs or (args.lang,)  # checked by argparse (climessages.report_langs)
    params = parameters.parse_assignments(args.param)
    params.pop("lang", None)
    results = batch.run_batch(sessions, lang=args.lang, jobs=args.jobs, parameters=params,
                              scheduler=args.scheduler, shared_dir=args.shared_dir,
                              progress=not args.quiet, pdf=args.pdf, report_langs=langs,
                              timeout=args.timeout)
    _say(batch.summary_table(results, lang=args.lang))
    if not all(r.ok for r in results):
        return 1
    return EXIT_NO_PDF if any(r.pdf_unavailable for r in results) else 0


def cmd_synth(args) -> int:
    import shutil

    from fac_eval.data import raw_folders, session_paths, synth

    paths = session_paths.Paths()
    session_paths.check_name(args.name)
    # the same refusal as new-session: a new folder, never an existing one
    out = raw_folders.claim_new_raw_folder(args.name, paths, out=args.out)
    tables, meta = synth.make_session(args.title or args.name, args.learners, args.founders,
                                      args.seed, followup=args.followup,
                                      start_date=args.start_date)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.mkdir()  # exclusive: fails if another process created it meanwhile
    try:
        synth.write_session(out, tables, meta)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    _say(_msgs(args.lang)._("Synthetic session written: %(path)s", path=out))
    return 0


def cmd_compare(args) -> int:
    from fac_eval.data import session_paths
    from fac_eval.run import compare_run

    from .pipeline import Paths, RunError

    for s in args.sessions:  # names, never paths (refused with exit code 2 in main())
        _session(s)
    if args.name is not None:
        session_paths.check_name(args.name, "comparison", max_len=80)
    missing = _missing_sessions(args.sessions, Paths(), args.lang)
    if missing:
        _say(missing, err=True)
        return 1
    try:
        result = compare_run.run_comparison_report(args.sessions, name=args.name, lang=args.lang,
                                               paths=Paths(), pdf=args.pdf)
    except RunError as err:
        _say(err.message(args.lang), err=True)
        return 1
    path = result.html
    _say(_msgs(args.lang)._("Comparison report written: %(path)s", path=path))
    _dropped_notice(result, args.lang)
    return _pdf_outcome(result, args.lang)


def cmd_pseudonymise(args) -> int:
    """Replace names / e-mails of a raw export by keyed pseudonymous ids, derived from the full
    name only (:mod:`fac_eval.data.pseudonym_files`).

    The id column is named after the instrument when the output (or input) file is named like
    one (``learners_entry.csv`` -> ``learner_id``, ``testimonies.csv`` -> ``participant_id``),
    so that the output can go straight into ``data/raw/<session>/``; ids follow the entry
    workbooks' convention (learners A…, founders P…) and a workbook made by ``new-session`` has
    only its data sheet pseudonymised (:func:`fac_eval.data.entry_templates.pseudonymise_options`).
    Messages follow ``--lang``.
    """
    from fac_eval.data import pseudonym_files
    from fac_eval.disclosure import privacy

    lang = getattr(args, "lang", "fr")
    _ = _msgs(lang)._
    src, dst = Path(args.input), Path(args.output)
    from fac_eval.data import session_paths
    from fac_eval.data.entry_templates import (
        guard_table_kind,
        is_blank_template,
        pseudonymise_options,
    )

    if src.is_file() and src.resolve() == dst.resolve():  # said before "already exists"
        _say(_("Write the pseudonymised file to another path than the input. Nothing was "
               "written."), err=True)
        return 1
    # into raw data: a new table, never over a file with data (new-session's empty workbook
    # of that table is filled), never a second copy of a table; outside it, never over an
    # existing file nor into the output roots
    session_paths.guard_new_raw_file(dst, replaceable=is_blank_template)
    # a folder, a device, a pipe: not "missing", and never read (/dev/zero has no end)
    if os.path.exists(src) and not src.is_file():
        _say(_("%(path)s is not a file (a folder, a device or a pipe): give the CSV or XLSX "
               "export to pseudonymise. Nothing was written.", path=src), err=True)
        return 1
    try:
        guard_table_kind(src, dst, session_paths.Paths().raw)  # in a session: the named table
        key = privacy.load_key(key_file=args.key_file)
    except (privacy.PseudonymisationError, privacy.KeyMissingError) as err:
        _say(err.message(lang), err=True)
        return 1
    if not src.is_file():
        _say(_("Input file not found: %(path)s. Nothing was written.", path=src), err=True)
        return 1
    try:
        # the id convention of the entry workbooks, the table told by the header's id column
        # (else the file name); a generated workbook's data sheet only
        summary = pseudonym_files.pseudonymise_file(src, dst, key,
                                                    **pseudonymise_options(src, dst, strict=True))
    except privacy.PseudonymisationError as err:
        _say(err.message(lang), err=True)
        return 1
    except OSError as err:
        reason = err.strerror or type(err).__name__
        _say(_("Could not read or write the file (%(reason)s): %(path)s", reason=reason,
               path=err.filename or src), err=True)
        return 1
    except Exception as err:  # unreadable CSV / corrupt workbook: a message, never a traceback
        _say(_("%(name)s could not be read as a CSV or XLSX file (%(error)s). Nothing was "
               "written.", name=src.name, error=type(err).__name__), err=True)
        return 1
    _say(summary.describe(lang))
    return 0


def cmd_new_session(args) -> int:
    from fac_eval.data import entry_templates, raw_folders

    folder = raw_folders.claim_new_raw_folder(args.name)
    try:
        written = entry_templates.new_session(folder, lang=args.lang)
    except FileExistsError as err:
        _say(str(err), err=True)
        return 1
    _ = _msgs(args.lang)._
    _say(_("Session folder created: %(path)s", path=folder))
    for p in written:
        _say(f"  {p.relative_to(folder)}")
    _say(_("Complete session.yml, fill in the workbooks, then: fac-eval validate %(name)s",
           name=args.name))
    return 0


def cmd_quality(args) -> int:
    from fac_eval.data import session_paths
    from fac_eval.run import workbench

    from .pipeline import Paths

    paths = Paths()
    folders = _session(args.session)  # a name, never a path
    if not _exists(folders.raw):
        _say(_missing_session(args.session, paths, args.lang), err=True)
        return 1
    session_paths.guard_output(folders.processed, paths)  # never written near raw data
    try:
        out = workbench.run_quality(args.session, paths, lang=args.lang, timeout=args.timeout)
    except workbench.QualityError as err:
        _say(str(err), err=True)
        return 1
    _say(_msgs(args.lang)._("Data-quality notebook written (evaluator's working file, not for "
                           "publication): %(path)s", path=out))
    return 0


def cmd_install_template(args) -> int:
    from fac_eval.report import nbtemplate

    target = nbtemplate.install_template(args.prefix, link=args.link)
    _say(_msgs(args.lang)._("nbconvert template installed: %(path)s (jupyter nbconvert --to html "
                           "--template %(name)s NOTEBOOK)", path=target,
                           name=nbtemplate.TEMPLATE_NAME))
    return 0


def _plain_warnings(lang: str) -> None:
    """Our own warnings (a real session run without a names file) as one plain line in the
    user's language, not Python's "file:line: Category: ..." form."""
    import warnings

    shown = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        # fac_eval.analysis.results (pandas, SciPy) is imported only by the commands that compute
        ours = getattr(sys.modules.get("fac_eval.analysis.results"), "NamesNotCheckedWarning", None)
        if ours and isinstance(category, type) and issubclass(category, ours):
            lines = str(message).splitlines() or [""]
            _say(lines[-1] if lang == "en" and len(lines) > 1 else lines[0], err=True)
        else:
            shown(message, category, filename, lineno, file, line)

    warnings.showwarning = show


#: The function that runs each command of :data:`fac_eval.run.cli_parser.COMMANDS`.
HANDLERS = {"validate": cmd_validate, "clean": cmd_clean, "claims": cmd_claims, "run": cmd_run,
            "batch": cmd_batch, "synth": cmd_synth, "new-session": cmd_new_session,
            "compare": cmd_compare, "pseudonymise": cmd_pseudonymise, "quality": cmd_quality,
            "install-template": cmd_install_template}


def _parse(parser, argv: list[str], lang: str):
    """``parser.parse_args(argv)``, with a command's own errors reported by that command's
    parser (its usage, a suggestion among its options, ``fac-eval run --help``)."""
    from .climessages import translate

    # an unknown option before the command (``fac-eval --lnag en validate``): named as such,
    # never its value taken for a mistyped command
    known = {o for a in parser._actions for o in a.option_strings}
    for tok in argv:
        if tok in parser.commands or tok == "--":
            break
        if tok.startswith("-") and tok != "-" and tok.split("=", 1)[0] not in known:
            hint = parser.option_suggestion([tok])
            parser.error(translate("unrecognized arguments: %s", lang) % tok
                         + ("." + hint if hint else ""))
    args, extras = parser.parse_known_args(argv)
    sub = parser.commands.get(args.command, parser)
    if extras:
        hint = sub.option_suggestion(extras)
        unknown = translate("unrecognized arguments: %s", lang)  # argparse's words, in lang
        sub.error(unknown % " ".join(extras) + ("." + hint if hint else ""))
    if args.command in ("compare", "batch"):  # a session named twice is a typing slip
        twice = [s for s, n in Counter(args.sessions or ()).items() if n > 1]
        if twice and not (args.command == "compare" and len(set(args.sessions)) < 2):
            sub.error(_msgs(lang).ngettext(
                "Session %(names)s is given more than once: give each session once.",
                "Sessions %(names)s are given more than once: give each session once.",
                len(twice), names=", ".join(twice)))
    if args.command == "compare" and len(set(args.sessions)) < 2:
        sub.error(_msgs(lang)._("A comparison needs at least two different sessions (got: "
                                "%(given)s). For one session: fac-eval run SESSION. Example: "
                                "fac-eval compare 2022 synth-2024",
                                given=", ".join(dict.fromkeys(args.sessions))))
    args.parser = sub  # the command's refusals after parsing look like argparse's (_refuse)
    return args


def main(argv: list[str] | None = None) -> int:
    from .climessages import argparse_language, detect_lang, env_lang_warning

    argv = sys.argv[1:] if argv is None else list(argv)
    lang = detect_lang(argv)
    warning = env_lang_warning(argv)
    if warning:
        _say(warning, err=True)
    with argparse_language(lang):
        args = _parse(build_parser(lang), argv, lang)
    args.lang = getattr(args, "lang", None) or lang
    from fac_eval.data import session_paths
    from fac_eval.run import batch, os_errors, outputs

    _plain_warnings(args.lang)

    try:
        if args.command != "install-template":  # every command that reads or writes sessions
            from fac_eval.data.raw_folders import check_raw_root_shape

            check_raw_root_shape(session_paths.Paths())
        return int(HANDLERS[args.command](args) or 0)
    except KeyboardInterrupt:  # what the command leaves, in its own words
        from .climessages import interrupted

        _say(interrupted(args.command, lang), err=True)
        return 130
    except session_paths.SessionNameError as err:  # a path for a name: a usage error
        return _refuse(args, err.message(lang))
    except session_paths.PathGuardError as err:  # a write near raw data, a link
        _say(err.message(lang), err=True)
        return err.exit_code
    except (outputs.RunningError, batch.SchedulerError) as err:  # a run, a Dask scheduler
        _say(err.message(lang), err=True)
        return 1
    except OSError as err:  # disk full, read-only folder, permission, name too long
        _say(os_errors.os_error_message(err, lang), err=True)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
