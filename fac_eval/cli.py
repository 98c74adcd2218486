"""The ``fac-eval`` command line.

    fac-eval validate SESSION [--lang en]
    fac-eval clean SESSION
    fac-eval claims SESSION [--lang en]
    fac-eval run SESSION [--lang en] [-p name=value ...] [--timeout S] [--pdf]
    fac-eval batch [SESSION ...] [--jobs N] [--scheduler ADDRESS] [--shared-dir PATH] [--pdf]
                   [--report-langs fr,en]
    fac-eval new-session NAME [--lang en]
    fac-eval synth NAME --learners N --founders M --seed S [--followup] [--start-date D]
    fac-eval compare SESSION SESSION ... [--name NAME] [--lang en] [--pdf]
    fac-eval pseudonymise INPUT OUTPUT [--key-file PATH]
    fac-eval quality SESSION [--lang en]
    fac-eval install-template [--prefix PATH] [--link]

Messages are in French, or in English with --lang en (before or after the command) or
FAC_EVAL_LANG=en; argparse's own messages too (fac_eval.climessages).

Exit codes: 0 success, 1 a problem with the data or a run (explained in plain words), 2 usage,
3 the reports were written but the PDF asked for with --pdf was not (no Chromium or no
pdftotext on this machine: the message names the Debian package to install).
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
    from .pipeline import session_missing

    return session_missing(session, paths.raw, lang)


def _missing_sessions(names, paths, lang) -> str | None:
    """The one "session not found" message for the names among ``names`` that have no raw
    folder (batch, compare), else None."""
    from . import session_paths
    from .climessages import sessions_not_found
    from .pipeline import list_sessions

    missing = [n for n in names if not session_paths.resolve(n, paths).raw.is_dir()]
    return sessions_not_found(missing, list_sessions(paths), paths.raw, lang) if missing else None


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
    return _pdf_outcome(result, args.lang)


#: Exit code of a run whose reports were written but whose PDF (--pdf) could not be printed.
EXIT_NO_PDF = 3


def _pdf_outcome(result, lang: str) -> int:
    """Say where the PDF is, or why there is none (exit code :data:`EXIT_NO_PDF`)."""
    if result.pdf is not None:
        _say(f"PDF written: {result.pdf}" if lang == "en" else f"PDF écrit : {result.pdf}")
    if result.pdf_unavailable:
        _say(result.pdf_message(lang), err=True)
        return EXIT_NO_PDF
    return 0


def _report_langs(value: str | None, lang: str) -> tuple[str, ...]:
    """``--report-langs fr,en`` -> ("fr", "en"); default: the language of the messages."""
    if not value:
        return (lang,)
    out: list[str] = []
    for part in value.replace(" ", ",").split(","):
        part = part.strip().lower()
        if not part:
            continue
        if part not in ("fr", "en"):
            raise ValueError(part)
        if part not in out:
            out.append(part)
    if not out:
        raise ValueError(value)
    return tuple(out)


def cmd_batch(args) -> int:
    from . import batch, parameters
    from .pipeline import Paths, list_sessions

    # the sessions the workers will read: under --shared-dir when given (the project folder on
    # a filesystem shared with the workers), else under the configured roots
    shared = Path(args.shared_dir) if args.shared_dir else None
    paths = Paths(shared) if shared is not None else Paths()
    sessions = [_session(s).name for s in args.sessions] or list_sessions(paths)
    visible = shared is None or shared.is_dir()  # a cluster's path this machine may not see
    missing = _missing_sessions(sessions, paths, args.lang) if visible else None
    if missing:  # refused before any session runs, like a mistyped parameter
        _say(missing, err=True)
        _say(_nothing_changed(args.lang), err=True)
        return 1
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
    try:
        langs = _report_langs(args.report_langs, args.lang)
    except ValueError as err:
        _say(f"--report-langs: '{err}' is not a report language (expected fr, en or fr,en)."
             if args.lang == "en" else
             f"--report-langs : « {err} » n'est pas une langue de rapport (attendu : fr, en ou "
             "fr,en).", err=True)
        _say(_nothing_changed(args.lang), err=True)
        return 2
    params = parameters.parse_assignments(args.param)
    params.pop("lang", None)
    results = batch.run_batch(sessions, lang=args.lang, jobs=args.jobs, parameters=params,
                              scheduler=args.scheduler, shared_dir=args.shared_dir,
                              progress=not args.quiet, pdf=args.pdf, report_langs=langs)
    _say(batch.summary_table(results, lang=args.lang))
    if not all(r.ok for r in results):
        return 1
    return EXIT_NO_PDF if any(r.pdf_unavailable for r in results) else 0


def cmd_synth(args) -> int:
    import shutil

    from . import session_paths, synth

    paths = session_paths.Paths()
    session_paths.check_name(args.name)
    # the same refusal as new-session: a new folder, never an existing one
    out = session_paths.claim_new_raw_folder(args.name, paths, out=args.out)
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
    _say(f"Session synthétique écrite : {out}" if args.lang != "en" else f"Synthetic session written: {out}")
    return 0


def cmd_compare(args) -> int:
    from . import compare, session_paths
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
        result = compare.run_comparison_report(args.sessions, name=args.name, lang=args.lang,
                                               paths=Paths(), pdf=args.pdf)
    except RunError as err:
        _say(err.message(args.lang), err=True)
        return 1
    path = result.html
    _say(f"Rapport de comparaison écrit : {path}" if args.lang != "en" else f"Comparison report written: {path}")
    return _pdf_outcome(result, args.lang)


def cmd_pseudonymise(args) -> int:
    """Replace names / e-mails of a raw export by keyed pseudonymous ids, derived from the full
    name only (:mod:`fac_eval.pseudonym_files`).

    The id column is named after the instrument when the output (or input) file is named like
    one (``learners_entry.csv`` -> ``learner_id``, ``testimonies.csv`` -> ``participant_id``),
    so that the output can go straight into ``data/raw/<session>/``; ids follow the entry
    workbooks' convention (learners A…, founders P…) and a workbook made by ``new-session`` has
    only its data sheet pseudonymised (:func:`fac_eval.entry_templates.pseudonymise_options`).
    Messages follow ``--lang``.
    """
    from . import privacy, pseudonym_files

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
    from .entry_templates import pseudonymise_options

    try:
        # the id convention of the entry workbooks; a generated workbook's data sheet only
        summary = pseudonym_files.pseudonymise_file(src, dst, key,
                                                    **pseudonymise_options(src, dst))
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
    _say(summary.describe(lang))
    return 0


def cmd_new_session(args) -> int:
    from . import entry_templates, session_paths

    folder = session_paths.claim_new_raw_folder(args.name)
    try:
        written = entry_templates.new_session(folder, lang=args.lang)
    except FileExistsError as err:
        _say(str(err), err=True)
        return 1
    _say(f"Session folder created: {folder}" if args.lang == "en"
          else f"Dossier de session créé : {folder}")
    for p in written:
        _say(f"  {p.relative_to(folder)}")
    _say("Complete session.yml, fill in the workbooks, then: fac-eval validate " + args.name
         if args.lang == "en" else
         "Complétez session.yml, saisissez les classeurs, puis : fac-eval validate " + args.name)
    return 0


def cmd_quality(args) -> int:
    from . import session_paths, workbench
    from .pipeline import Paths

    paths = Paths()
    folders = _session(args.session)  # a name, never a path
    if not folders.raw.is_dir():
        _say(_missing_session(args.session, paths, args.lang), err=True)
        return 1
    session_paths.guard_output(folders.processed, paths)  # never written near raw data
    try:
        out = workbench.run_quality(args.session, paths, lang=args.lang, timeout=args.timeout)
    except workbench.QualityError as err:
        _say(str(err), err=True)
        return 1
    _say(f"Data-quality notebook written (evaluator's working file, not for publication): {out}"
         if args.lang == "en" else
         f"Carnet de qualité des données écrit (fichier de travail, à ne pas publier) : {out}")
    return 0


def cmd_install_template(args) -> int:
    from . import nbtemplate

    target = nbtemplate.install_template(args.prefix, link=args.link)
    _say(f"nbconvert template installed: {target} (jupyter nbconvert --to html --template "
         f"{nbtemplate.TEMPLATE_NAME} NOTEBOOK)" if args.lang == "en" else
         f"Modèle nbconvert installé : {target} (jupyter nbconvert --to html --template "
         f"{nbtemplate.TEMPLATE_NAME} CARNET)")
    return 0


#: Largest --jobs: each job runs a Jupyter kernel; more than this is a typo, not a machine.
MAX_JOBS = 64
MAX_TIMEOUT = 24 * 3600

# (French, English) help of each command: summary, example(s) shown as the epilog
COMMANDS = {
    "validate": ("vérifier les données brutes d'une session par rapport au dictionnaire des données",
                 "check a session's raw data against the codebook",
                 "fac-eval validate 2022"),
    "clean": ("valider, nettoyer et écrire data/processed/<session>/",
              "validate, clean and write data/processed/<session>/",
              "fac-eval clean synth-2024"),
    "claims": ("confronter les affirmations publiées d'une session à ses données",
               "check the published claims of a session against its data",
               "fac-eval claims 2022"),
    "run": ("produire reports/<session>/rapport_<session>.html (en anglais : "
            "report_<session>_en.html)",
            "produce reports/<session>/rapport_<session>.html (in English: "
            "report_<session>_en.html)",
            "fac-eval run 2022 --lang en -p min_cell=5 --pdf"),
    "batch": ("produire les rapports de plusieurs sessions en parallèle",
              "produce the reports of many sessions in parallel",
              "fac-eval batch 2022 synth-2024 --jobs 2"),
    "synth": ("générer une session synthétique", "generate a synthetic session",
              "fac-eval synth synth-2026 --learners 12 --founders 5 --seed 7 --followup"),
    "new-session": ("créer data/raw/NOM avec session.yml et les classeurs de saisie",
                    "create data/raw/NAME with session.yml and the data-entry workbooks",
                    "fac-eval new-session 2026"),
    "compare": ("comparer plusieurs sessions dans un rapport HTML",
                "compare several sessions in one HTML report",
                "fac-eval compare 2022 synth-2024 --name bilan"),
    "pseudonymise": ("remplacer noms et courriels d'un export brut par des identifiants "
                     "pseudonymes, calculés à partir du nom complet avec une clé secrète",
                     "replace names / e-mails of a raw export by pseudonymous ids, derived from "
                     "the full name with a secret key",
                     "fac-eval pseudonymise --key-file ~/cle.key export.xlsx "
                     "data/raw/2026/learners_profile.xlsx"),
    "quality": ("exécuter le carnet de qualité des données dans data/processed/<session>/",
                "run the data-quality notebook into data/processed/<session>/",
                "fac-eval quality synth-2024"),
    "install-template": ("installer le modèle nbconvert fac_report (fait par make install)",
                         "install the fac_report nbconvert template (done by make install)",
                         "fac-eval install-template && jupyter nbconvert --to html "
                         "--template fac_report rapport.ipynb"),
}


def build_parser(lang: str = "fr") -> argparse.ArgumentParser:
    """The parser, with every help text in ``lang`` (call inside
    :func:`fac_eval.climessages.argparse_language` for argparse's own words too)."""
    from . import __version__
    from .climessages import FacArgumentParser, bounded_int, iso_date, positive_number

    en = lang == "en"

    def h(fr, en_):
        return en_ if en else fr

    def make(**kw):
        return FacArgumentParser(lang=lang, formatter_class=argparse.RawDescriptionHelpFormatter,
                                 **kw)

    p = make(prog="fac-eval", description=h(
        "Évaluation reproductible des sessions Form'Ain Cube : données, statistiques pour petits "
        "effectifs, rapports HTML sans données personnelles.",
        "Reproducible evaluation of Form'Ain Cube sessions: data, small-sample statistics, "
        "privacy-safe HTML reports."),
        epilog=h("Exemple : fac-eval run 2022    Aide d'une commande : fac-eval run --help",
                 "Example: fac-eval run 2022    Help on a command: fac-eval run --help"))
    p.add_argument("--version", action="version", version=f"fac-eval {__version__}",
                   help=h("afficher la version et quitter", "show the version and exit"))
    lang_help = h("langue des messages et du rapport : fr (défaut) ou en ; aussi FAC_EVAL_LANG",
                  "language of messages and report: fr (default) or en; also FAC_EVAL_LANG")
    p.add_argument("--lang", choices=("fr", "en"), default=argparse.SUPPRESS, help=lang_help)
    sub = p.add_subparsers(dest="command", required=True, metavar=h("COMMANDE", "COMMAND"),
                           title=h("commandes", "commands"),
                           parser_class=lambda **kw: make(**kw))

    def add(name, func):
        fr_help, en_help, example = COMMANDS[name]
        sp = sub.add_parser(name, help=h(fr_help, en_help), description=h(fr_help, en_help),
                            epilog=h("Exemple :\n  ", "Example:\n  ") + example)
        sp.add_argument("--lang", choices=("fr", "en"), default=argparse.SUPPRESS,
                        help=lang_help)
        sp.set_defaults(func=func)
        return sp

    session_help = h("nom du dossier de la session dans data/raw/ (ex. 2022)",
                     "name of the session folder in data/raw/ (e.g. 2022)")
    timeout = dict(type=positive_number(MAX_TIMEOUT, lang, ("secondes", "seconds")),
                   default=600.0, metavar=h("SECONDES", "SECONDS"),
                   help=h("délai maximal d'exécution d'une cellule, en secondes, un nombre "
                          "positif (ex. 90 ou 1,5 ; défaut 600)",
                          "maximum execution time of one cell, in seconds, a positive number "
                          "(e.g. 90 or 1.5; default 600)"))
    param_help = h("paramètre du carnet, répétable (ex. -p min_cell=5)",
                   "notebook parameter, repeatable (e.g. -p min_cell=5)")

    sp = add("validate", cmd_validate)
    sp.add_argument("session", help=session_help)
    sp = add("clean", cmd_clean)
    sp.add_argument("session", help=session_help)
    sp = add("claims", cmd_claims)
    sp.add_argument("session", help=session_help)
    sp = add("run", cmd_run)
    sp.add_argument("session", help=session_help)
    sp.add_argument("-p", "--param", action="append", metavar="NAME=VALUE", help=param_help)
    sp.add_argument("--timeout", **timeout)
    sp.add_argument("--notebook", default=None, metavar=h("CARNET", "NOTEBOOK"), help=h(
        "autre carnet de rapport (défaut notebooks/rapport_evaluation.ipynb)",
        "another report notebook (default notebooks/rapport_evaluation.ipynb)"))
    pdf_help = h("imprimer aussi le rapport en PDF (A4) avec Chromium, à côté du HTML ; sans "
                 "Chromium, le HTML est produit et le code de sortie est 3",
                 "also print the report to PDF (A4) with Chromium, beside the HTML; without "
                 "Chromium the HTML is produced and the exit code is 3")
    sp.add_argument("--pdf", action="store_true", help=pdf_help)
    sp = add("batch", cmd_batch)
    sp.add_argument("sessions", nargs="*", metavar="SESSION", help=h(
        "sessions à produire (défaut : toutes celles de data/raw/)",
        "sessions to produce (default: every session in data/raw/)"))
    sp.add_argument("--jobs", type=bounded_int(1, MAX_JOBS, lang, "--jobs"), default=None,
                    metavar="N", help=h(
                        f"processus en parallèle, de 1 à {MAX_JOBS} (défaut : nombre de cœurs)",
                        f"parallel workers, 1 to {MAX_JOBS} (default: number of cores)"))
    sp.add_argument("-p", "--param", action="append", metavar="NAME=VALUE", help=param_help)
    sp.add_argument("--scheduler", default=None, metavar=h("ADRESSE", "ADDRESS"), help=h(
        "adresse d'un ordonnanceur Dask distributed (ex. tcp://serveur:8786)",
        "address of a Dask distributed scheduler (e.g. tcp://host:8786)"))
    sp.add_argument("--shared-dir", default=None, metavar=h("CHEMIN", "PATH"), help=h(
        "dossier du projet vu par les workers Dask (système de fichiers partagé)",
        "project folder seen by the Dask workers (shared filesystem)"))
    sp.add_argument("--quiet", action="store_true",
                    help=h("pas de barre de progression", "no progress bar"))
    sp.add_argument("--pdf", action="store_true", help=pdf_help)
    sp.add_argument("--report-langs", default=None, metavar="fr,en", help=h(
        "langues des rapports, l'une après l'autre, chacune dans son fichier (défaut : --lang)",
        "languages of the reports, one after the other, each in its own file (default: --lang)"))
    sp = add("synth", cmd_synth)
    sp.add_argument("name", metavar=h("NOM", "NAME"),
                    help=h("nom de la session à créer", "name of the session to create"))
    sp.add_argument("--learners", type=bounded_int(1, 1000, lang, "--learners"), required=True,
                    metavar="N", help=h("nombre d'apprenants", "number of learners"))
    sp.add_argument("--founders", type=bounded_int(0, 1000, lang, "--founders"), required=True,
                    metavar="N", help=h("nombre de porteurs de projet", "number of founders"))
    sp.add_argument("--seed", type=int, required=True, metavar="N", help=h(
        "graine du générateur aléatoire (même graine, mêmes données)",
        "random seed (same seed, same data)"))
    sp.add_argument("--followup", action="store_true",
                    help=h("inclure le suivi à 3 mois", "include follow-up data"))
    sp.add_argument("--start-date", default=None, type=iso_date(lang), metavar="AAAA-MM-JJ"
                    if not en else "YYYY-MM-DD", help=h(
                        "premier jour de la session (défaut : tiré de la graine)",
                        "first day of the session (default: drawn from the seed)"))
    sp.add_argument("--title", default=None, metavar=h("TITRE", "TITLE"), help=h(
        "nom de la session dans session.yml et le rapport (défaut : NOM)",
        "the session's name in session.yml and the report (default: NAME)"))
    sp.add_argument("--out", default=None, metavar=h("DOSSIER", "FOLDER"), help=h(
        "dossier de sortie (défaut data/raw/NOM)", "output folder (default data/raw/NAME)"))
    sp = add("new-session", cmd_new_session)
    sp.add_argument("name", metavar=h("NOM", "NAME"), help=h(
        "nom du dossier à créer dans data/raw/", "name of the folder to create in data/raw/"))
    sp = add("compare", cmd_compare)
    sp.add_argument("sessions", nargs="+", metavar="SESSION",
                    help=h("sessions à comparer", "sessions to compare"))
    sp.add_argument("--name", default=None, metavar=h("NOM", "NAME"), help=h(
        "nom de la comparaison (dossier de sortie)", "name of the comparison (output folder)"))
    sp.add_argument("--pdf", action="store_true", help=pdf_help)
    sp = add("pseudonymise", cmd_pseudonymise)
    sp.add_argument("input", metavar=h("ENTRÉE", "INPUT"), help=h(
        "export brut (CSV ou XLSX) avec noms ou courriels", "raw export (CSV or XLSX) with names "
        "or e-mails"))
    sp.add_argument("output", metavar=h("SORTIE", "OUTPUT"), help=h(
        "fichier pseudonymisé à écrire (.csv ou .xlsx)", "pseudonymised file to write (.csv or "
        ".xlsx)"))
    sp.add_argument("--key-file", default=None, metavar=h("FICHIER", "FILE"), help=h(
        "fichier de clé hors du dépôt (défaut : variable d'environnement FAC_EVAL_KEY)",
        "key file outside the repository (default: environment variable FAC_EVAL_KEY)"))
    sp = add("quality", cmd_quality)
    sp.add_argument("session", help=session_help)
    sp.add_argument("--timeout", **timeout)
    sp = add("install-template", cmd_install_template)
    sp.add_argument("--prefix", default=None, metavar=h("DOSSIER", "FOLDER"), help=h(
        "préfixe d'installation (défaut : l'environnement Python courant)",
        "installation prefix (default: the current Python environment)"))
    sp.add_argument("--link", action="store_true", help=h(
        "lien symbolique vers le modèle du paquet au lieu d'une copie",
        "symbolic link to the package's template instead of a copy"))
    return p


def _plain_warnings(lang: str) -> None:
    """Our own warnings (a real session run without a names file) as one plain line in the
    user's language, not Python's "file:line: Category: ..." form."""
    import warnings

    shown = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        # fac_eval.analysis (pandas, SciPy) is imported only by the commands that compute
        ours = getattr(sys.modules.get("fac_eval.analysis"), "NamesNotCheckedWarning", None)
        if ours and isinstance(category, type) and issubclass(category, ours):
            lines = str(message).splitlines() or [""]
            _say(lines[-1] if lang == "en" and len(lines) > 1 else lines[0], err=True)
        else:
            shown(message, category, filename, lineno, file, line)

    warnings.showwarning = show


def main(argv: list[str] | None = None) -> int:
    from .climessages import argparse_language, detect_lang

    argv = sys.argv[1:] if argv is None else list(argv)
    lang = detect_lang(argv)
    with argparse_language(lang):
        parser = build_parser(lang)
        args = parser.parse_args(argv)
    args.lang = getattr(args, "lang", None) or lang
    from . import outputs, session_paths

    _plain_warnings(args.lang)

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
