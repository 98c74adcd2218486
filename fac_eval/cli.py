"""The ``fac-eval`` command line.

    fac-eval validate SESSION [--lang en]
    fac-eval clean SESSION
    fac-eval claims SESSION [--lang en]
    fac-eval run SESSION [--lang en] [-p name=value ...] [--timeout S]
    fac-eval batch [SESSION ...] [--jobs N] [--scheduler ADDRESS] [--shared-dir PATH]
    fac-eval new-session NAME [--lang en]
    fac-eval synth NAME --learners N --founders M --seed S [--followup]
    fac-eval compare SESSION SESSION ... [--name NAME] [--lang en]
    fac-eval pseudonymise INPUT OUTPUT [--key-file PATH]

Exit codes: 0 success, 1 a problem with the data or a run (explained in plain words), 2 usage.
Errors never end in a raw traceback: they name the file, row, column, value and what was expected.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _say(msg: str = "", err: bool = False) -> None:
    print(msg, file=sys.stderr if err else sys.stdout, flush=True)


def _session(name):
    """The session's folders through the one resolver (a bad name is refused in main())."""
    from . import session_paths

    return session_paths.resolve(name, session_paths.Paths())


def cmd_validate(args) -> int:
    from . import validation
    from .pipeline import Paths

    paths = Paths()
    session_dir = _session(args.session).raw
    if not session_dir.is_dir():
        _say(_missing_session(args.session, paths, args.lang), err=True)
        return 1
    problems = validation.validate_session(session_dir)
    if problems:
        head = (f"{len(problems)} problem(s) in session {args.session}:" if args.lang == "en"
                else f"{len(problems)} problème(s) dans la session {args.session} :")
        _say(head, err=True)
        _say(validation.format_problems(problems, lang=args.lang), err=True)
        _say("Nothing was written to data/processed/." if args.lang == "en"
             else "Rien n'a été écrit dans data/processed/.", err=True)
        return 1
    _say(validation.summary_line(session_dir, lang=args.lang))
    return 0


def _missing_session(session, paths, lang):
    from .pipeline import list_sessions

    known = ", ".join(list_sessions(paths)) or "—"
    if lang == "en":
        return f"Session '{session}' not found: no folder {paths.raw / session}. Known sessions: {known}"
    return f"Session « {session} » introuvable : pas de dossier {paths.raw / session}. Sessions connues : {known}"


def cmd_clean(args) -> int:
    from .pipeline import Paths, RunError, prepare_session

    paths = Paths()
    folders = _session(args.session)
    if not folders.raw.is_dir():
        _say(_missing_session(args.session, paths, args.lang), err=True)
        return 1
    try:
        results = prepare_session(folders.name, paths, lang=args.lang)
    except RunError as err:
        _say(str(err), err=True)
        return 1
    out = folders.processed
    _say(f"{len(results.indicators)} indicateurs ; tables écrites dans {out}" if args.lang != "en"
         else f"{len(results.indicators)} indicators; tables written to {out}")
    return 0


def cmd_claims(args) -> int:
    from . import claims as claims_mod
    from .pipeline import Paths, RunError, prepare_session

    paths = Paths()
    folders = _session(args.session)
    if not folders.raw.is_dir():
        _say(_missing_session(args.session, paths, args.lang), err=True)
        return 1
    claims_path = folders.raw / "claims.yml"
    if not claims_path.exists():
        _say(f"Pas de fichier claims.yml pour la session {args.session}." if args.lang != "en"
             else f"No claims.yml for session {args.session}.", err=True)
        return 1
    try:
        results = prepare_session(folders.name, paths, lang=args.lang, write=False)
        table = claims_mod.check_claims(results.indicators, claims_mod.load_claims(claims_path),
                                        lang=args.lang)
    except (RunError, claims_mod.ClaimsFileError) as err:
        _say(str(err), err=True)
        return 1
    ok_word, ko_word = ("OK", "DIFFERS") if args.lang == "en" else ("OK", "ÉCART")
    for _, c in table.iterrows():
        _say(f"[{ok_word if c['matches'] else ko_word}] {c['text']}")
        _say(f"    {'published' if args.lang == 'en' else 'publié'} : {c['stated']} · "
             f"{'computed' if args.lang == 'en' else 'calculé'} : {c['computed']} ({c['indicator']})")
    n_ok = int(table["matches"].sum())
    _say(f"{n_ok}/{len(table)} " + ("claims match." if args.lang == "en"
                                     else "affirmations concordent."))
    return 0 if n_ok == len(table) else 1


def _nothing_changed(lang: str) -> str:
    return ("Nothing was run; no report or processed table was changed." if lang == "en"
            else "Rien n'a été exécuté ; aucun rapport ni table traitée n'a été modifié.")


def cmd_run(args) -> int:
    from . import parameters
    from .pipeline import Paths, RunError, notebook_parameters, run_session

    paths = Paths()
    folders = _session(args.session)
    if not folders.raw.is_dir():
        _say(_missing_session(args.session, paths, args.lang), err=True)
        return 1
    notebook = Path(args.notebook) if args.notebook else None
    extra = None
    if notebook is not None and notebook.is_file():  # a custom notebook's own parameters
        extra = {n: str for n in notebook_parameters(notebook) if n not in parameters.SCHEMA}
    try:
        parameters.check_cli(args.param, folders.name, args.lang, extra=extra)
    except parameters.ParameterError as err:
        _say(err.message(args.lang), err=True)
        _say(_nothing_changed(args.lang), err=True)
        return 2
    # strings go to run_session, which checks them again against the same schema and the notebook
    raw_params = parameters.parse_assignments(args.param)
    raw_params.pop("session", None)
    raw_params.pop("lang", None)
    try:
        result = run_session(folders.name, lang=args.lang, parameters=raw_params, paths=paths,
                             timeout=args.timeout, progress=False, notebook=notebook)
    except (RunError, ValueError) as err:
        _say(err.message(args.lang) if hasattr(err, "message") else str(err), err=True)
        old = folders.report / f"rapport_{folders.name}.html"
        if old.exists():
            _say((f"The previous report is left untouched: {old}" if args.lang == "en"
                  else f"Le rapport précédent est inchangé : {old}"), err=True)
        else:
            _say("No report was produced." if args.lang == "en" else "Aucun rapport n'a été produit.",
                 err=True)
        return 1
    from .formatting import fmt_number

    secs = fmt_number(result.seconds, args.lang, 1)
    _say(f"Report written: {result.html} ({secs} s)" if args.lang == "en"
         else f"Rapport écrit : {result.html} ({secs} s)")
    return 0


def cmd_batch(args) -> int:
    from . import batch
    from .pipeline import Paths, list_sessions

    from . import parameters

    paths = Paths()
    sessions = [_session(s).name for s in args.sessions] or list_sessions(paths)
    if not sessions:
        _say("Aucune session trouvée dans data/raw/." if args.lang != "en"
             else "No session found under data/raw/.", err=True)
        return 1
    try:  # refused before any session runs: the same schema as run -p and the notebook
        parameters.check_cli(args.param, None, args.lang, batch=True)
    except parameters.ParameterError as err:
        _say(err.message(args.lang), err=True)
        _say(_nothing_changed(args.lang), err=True)
        return 2
    params = parameters.parse_assignments(args.param)
    params.pop("lang", None)
    results = batch.run_batch(sessions, lang=args.lang, jobs=args.jobs, parameters=params,
                              scheduler=args.scheduler, shared_dir=args.shared_dir,
                              progress=not args.quiet)
    _say(batch.summary_table(results, lang=args.lang))
    return 0 if all(r.ok for r in results) else 1


def cmd_synth(args) -> int:
    import shutil

    from . import session_paths, synth

    paths = session_paths.Paths()
    session_paths.check_name(args.name)
    # the same refusal as new-session: a new folder, never an existing one
    out = session_paths.claim_new_raw_folder(args.name, paths, out=args.out)
    tables, meta = synth.make_session(args.name, args.learners, args.founders, args.seed,
                                      followup=args.followup)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.mkdir()  # exclusive: fails if another process created it meanwhile
    try:
        synth.write_session(out, tables, meta)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    _say(f"Session synthétique écrite : {out}" if args.lang != "en" else f"Synthetic session written: {out}")
    return 0


def cmd_compare(args) -> int:
    from . import compare, session_paths
    from .pipeline import Paths, RunError

    for s in args.sessions:  # names, never paths (refused with exit code 2 in main())
        _session(s)
    if args.name is not None:
        session_paths.check_name(args.name, "comparison", max_len=80)
    try:
        path = compare.run_comparison(args.sessions, name=args.name, lang=args.lang, paths=Paths())
    except RunError as err:
        _say(str(err), err=True)
        return 1
    _say(f"Rapport de comparaison écrit : {path}" if args.lang != "en" else f"Comparison report written: {path}")
    return 0


def cmd_pseudonymise(args) -> int:
    """Replace names / e-mails of a raw export by keyed pseudonymous ids.

    The id column is named after the instrument when the output (or input) file is named like
    one (``learners_entry.csv`` -> ``learner_id``, ``testimonies.csv`` -> ``participant_id``),
    so that the output can go straight into ``data/raw/<session>/``. Messages follow ``--lang``.
    """
    from . import codebook as cb
    from . import privacy

    lang = getattr(args, "lang", "fr")
    en = lang == "en"
    src, dst = Path(args.input), Path(args.output)
    from . import session_paths

    session_paths.guard_new_raw_file(dst)  # into raw data: a new file, never over one
    try:
        key = privacy.load_key(key_file=args.key_file)
    except privacy.KeyMissingError as err:
        _say(err.message(lang), err=True)
        return 1
    if not src.is_file():
        _say(f"Input file not found: {src}. Nothing was written." if en
             else f"Fichier d'entrée introuvable : {src}. Rien n'a été écrit.", err=True)
        return 1
    id_column = "participant_id"
    for stem in (dst.stem, src.stem):
        if stem in cb.INSTRUMENTS:
            id_column = cb.INSTRUMENTS[stem].key
            break
    try:
        summary = privacy.pseudonymise_file(src, dst, key, id_column=id_column)
    except privacy.PseudonymisationError as err:
        _say(err.message(lang), err=True)
        return 1
    except OSError as err:
        reason = err.strerror or type(err).__name__
        _say(f"Could not read or write the file ({reason}): {err.filename or src}" if en
             else f"Impossible de lire ou d'écrire le fichier ({reason}) : {err.filename or src}",
             err=True)
        return 1
    except Exception as err:  # unreadable CSV / corrupt workbook: a message, never a traceback
        _say(f"{src.name} could not be read as a CSV or XLSX file ({type(err).__name__}). "
             "Nothing was written." if en else
             f"{src.name} n'a pas pu être lu comme un fichier CSV ou XLSX ({type(err).__name__}). "
             "Rien n'a été écrit.", err=True)
        return 1
    describe = getattr(summary, "describe", None)
    _say(describe(lang) if callable(describe) else str(summary))
    return 0


def cmd_new_session(args) -> int:
    from . import entry_templates, session_paths

    folder = session_paths.claim_new_raw_folder(args.name)
    try:
        written = entry_templates.new_session(folder, lang=args.lang)
    except FileExistsError as err:
        _say(str(err), err=True)
        return 1
    _say((f"Session folder created: {folder}" if args.lang == "en"
          else f"Dossier de session créé : {folder}"))
    for p in written:
        _say(f"  {p.relative_to(folder)}")
    _say("Complete session.yml, fill in the workbooks, then: fac-eval validate " + args.name
         if args.lang == "en" else
         "Complétez session.yml, saisissez les classeurs, puis : fac-eval validate " + args.name)
    return 0


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    p = argparse.ArgumentParser(prog="fac-eval", description=__doc__.split("\n\n")[0])
    p.add_argument("--version", action="version", version=f"fac-eval {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name, func, help_):
        sp = sub.add_parser(name, help=help_)
        sp.add_argument("--lang", choices=("fr", "en"), default="fr",
                        help="language of messages and report (default fr)")
        sp.set_defaults(func=func)
        return sp

    sp = add("validate", cmd_validate, "check a session's raw data against the codebook")
    sp.add_argument("session")
    sp = add("clean", cmd_clean, "validate, clean and write data/processed/<session>/")
    sp.add_argument("session")
    sp = add("claims", cmd_claims, "check the published claims of a session against its data")
    sp.add_argument("session")
    sp = add("run", cmd_run, "produce reports/<session>/rapport_<session>.html")
    sp.add_argument("session")
    sp.add_argument("-p", "--param", action="append", metavar="NAME=VALUE",
                    help="notebook parameter (repeatable)")
    sp.add_argument("--timeout", type=int, default=600, help="cell execution timeout in seconds")
    sp.add_argument("--notebook", default=None,
                    help="another report notebook (default notebooks/rapport_evaluation.ipynb)")
    sp = add("batch", cmd_batch, "produce the reports of many sessions in parallel")
    sp.add_argument("sessions", nargs="*")
    sp.add_argument("--jobs", type=int, default=None, help="parallel workers (default: cores)")
    sp.add_argument("-p", "--param", action="append", metavar="NAME=VALUE")
    sp.add_argument("--scheduler", default=None, help="address of a Dask distributed scheduler")
    sp.add_argument("--shared-dir", default=None,
                    help="project folder seen by the Dask workers (shared filesystem)")
    sp.add_argument("--quiet", action="store_true", help="no progress bar")
    sp = add("synth", cmd_synth, "generate a synthetic session")
    sp.add_argument("name")
    sp.add_argument("--learners", type=int, required=True)
    sp.add_argument("--founders", type=int, required=True)
    sp.add_argument("--seed", type=int, required=True)
    sp.add_argument("--followup", action="store_true", help="include follow-up data")
    sp.add_argument("--out", default=None, help="output folder (default data/raw/NAME)")
    sp = add("new-session", cmd_new_session,
             "create data/raw/NAME with session.yml and data-entry workbooks from the codebook")
    sp.add_argument("name")
    sp = add("compare", cmd_compare, "compare several sessions in one HTML report")
    sp.add_argument("sessions", nargs="+")
    sp.add_argument("--name", default=None, help="name of the comparison (output folder)")
    sp = add("pseudonymise", cmd_pseudonymise,
             "replace names / e-mails of a raw export by keyed pseudonymous ids")
    sp.add_argument("input")
    sp.add_argument("output")
    sp.add_argument("--key-file", default=None, help="key file outside the repository "
                    "(default: environment variable FAC_EVAL_KEY)")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = getattr(args, "lang", "fr")
    from . import outputs, session_paths

    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        _say("Interrompu." if lang != "en" else "Interrupted.", err=True)
        return 130
    except session_paths.PathGuardError as err:  # a path for a name, a write near raw data
        _say(err.message(lang), err=True)
        return err.exit_code
    except outputs.RunningError as err:
        _say(err.message(lang), err=True)
        return 1
    except OSError as err:  # disk full, read-only folder, permission, name too long
        _say(outputs.os_error_message(err, lang), err=True)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
