"""Running a comparison of sessions: the comparison notebook executed by papermill, exported
to HTML (and PDF), through the same gate and output swap as a session report; the computation
is :func:`fac_eval.analysis.comparison.compare_sessions`."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fac_eval.analysis.comparison import NOTEBOOK, _session_names, compare_sessions, session_dirs  # noqa: F401
from fac_eval.core.i18n import N_, tr

# --------------------------------------------------------------------------------------------
# Pipeline: notebook -> HTML
# --------------------------------------------------------------------------------------------

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")


def default_name(sessions: Sequence[str]) -> str:
    """``"2022_synth-2024"``; beyond 60 characters ``"<n>-sessions-<hash>"`` (stable)."""
    joined = "_".join(sessions)
    if len(joined) <= 60 and _NAME_RE.match(joined):
        return joined
    digest = hashlib.sha256("\0".join(sessions).encode()).hexdigest()[:8]
    return f"{len(sessions)}-sessions-{digest}"


def run_comparison(
    sessions: str | Sequence[str],
    name: str | None = None,
    lang: str = "fr",
    paths=None,
    parameters: dict[str, Any] | None = None,
    timeout: float | None = None,
    kernel_name: str = "python3",
    progress: bool = False,
    pdf: bool = False,
) -> Path:
    """Produce ``reports/comparaisons/<name>/comparaison_<name>.html`` and return its path
    (:func:`run_comparison_report` says more: the PDF, the time taken)."""
    return run_comparison_report(sessions, name, lang, paths, parameters, timeout, kernel_name,
                                 progress, pdf).html


def same_data(names: Sequence[str], folders: Sequence[Path]) -> list[tuple[str, str, str]]:
    """``(first, second, why)`` of each pair of sessions that are the same data under two
    names: the same folder (a link to it), or data files byte for byte the same (a copy; the
    session's description and published claims apart)."""
    import os

    from fac_eval.analysis.results import raw_snapshot

    seen: dict[object, str] = {}
    out = []
    for name, folder in zip(names, folders):
        digests = raw_snapshot(folder)[1]
        data = frozenset((n, d) for n, d in digests.items()
                         if not n.endswith((".yml", ".yaml")))
        for key, why in ((os.path.realpath(folder), N_("the same folder")),
                         (data, N_("the same data files"))):
            if key and key in seen:
                out.append((seen[key], name, why))
                break
        else:
            seen[os.path.realpath(folder)] = name
            if data:
                seen[data] = name
    return out


def run_comparison_report(
    sessions: str | Sequence[str],
    name: str | None = None,
    lang: str = "fr",
    paths=None,
    parameters: dict[str, Any] | None = None,
    timeout: float | None = None,
    kernel_name: str = "python3",
    progress: bool = False,
    pdf: bool = False,
):
    """Produce ``reports/comparaisons/<name>/comparaison_<name>.html`` (French) or
    ``comparison_<name>_en.html`` (English; the other language's report is kept beside it) and
    return a :class:`fac_eval.run.pipeline.RunResult`.

    Steps: the sessions are read, validated and computed in this process (a clear
    :class:`fac_eval.run.pipeline.RunError` for a missing or invalid session; nothing written); the
    notebook ``notebooks/comparaison_sessions.ipynb`` is executed with papermill (same helper and
    retry as the session pipeline) into a temporary folder beside the target, exported to
    self-contained HTML, scanned for every participant id of every session, and only then
    swapped in place of the previous folder, with the executed notebook and two CSV files of
    the figures shown (``comparaison_<name>_sessions.csv``, ``comparaison_<name>_ensemble.csv``;
    in English ``comparison_<name>_sessions_en.csv``, ``comparison_<name>_pooled_en.csv``:
    :func:`fac_eval.run.outputs.comparison_tables`).
    ``parameters`` may override ``alpha``, ``confidence`` and ``min_cell``. ``pdf``: also print
    the HTML to a PDF of the same name (as :func:`fac_eval.run.pipeline.run_session`).
    """
    import nbformat

    from fac_eval.data import session_paths, validation
    from fac_eval.disclosure import gate
    from fac_eval.run import output_record, outputs, pipeline
    from fac_eval.run import pdf as pdf_mod

    from .pipeline import RunError

    paths = paths or pipeline.Paths()
    names = _session_names(sessions)
    label = name or default_name(names) if names else (name or "comparaison")
    if len(names) < 2:
        got = ", ".join(names) or tr(lang, N_("no session"))
        raise RunError(label, tr(lang, N_(
            "A comparison needs at least two different sessions (got: %(given)s). For one "
            "session: fac-eval run SESSION. Example: fac-eval compare 2022 synth-2024"),
            given=got), "usage")
    name = name or default_name(names)
    try:  # names, never paths (the one resolver of fac_eval.data.session_paths)
        session_paths.check_name(name, "comparison", max_len=80)
        session_dirs_ = [session_paths.resolve(s, paths).raw for s in names]
    except session_paths.PathGuardError as err:
        raise RunError(name, err.message(lang), "usage") from err
    missing = [s for s, d in zip(names, session_dirs_) if not d.is_dir()]
    if missing:  # the one message of every command (fac_eval.run.climessages)
        from .climessages import sessions_not_found

        raise RunError(name, sessions_not_found(missing, pipeline.list_sessions(paths), paths.raw,
                                                lang), "missing")
    twins = same_data(names, session_dirs_)
    if twins:  # the same people counted twice: pooled figures and tests would be false
        raise RunError(name, " ".join(tr(lang, N_(
            "Sessions %(first)s and %(second)s hold the same data (%(why)s): comparing them "
            "would count the same people twice and make the pooled tests look surer than "
            "they are. Give each session once."), first=a, second=b, why=tr(lang, why))
            for a, b, why in twins), "usage")

    out_dir = paths.reports / session_paths.COMPARISONS_DIR / name
    work_dir = paths.processed / session_paths.COMPARISONS_DIR / name  # the executed notebook
    key = f"comparaison~{name}"
    try:  # before any work: the output and the lock folder never touch raw data
        session_paths.guard_output(out_dir, paths, roots=False)
        session_paths.guard_output(paths.processed / outputs.LOCK_DIR, paths, roots=False,
                                   replaced=False)
        session_paths.guard_output(work_dir, paths, roots=False)
        session_paths.check_output_roots(paths)
        for folder in (out_dir, work_dir):  # a user's file the swap would remove
            output_record.guard_no_foreign_files(folder, key, paths, early=True)
    except session_paths.PathGuardError as err:
        raise RunError(name, err.message(lang), "path") from err

    t0 = time.perf_counter()
    nb_path = paths.notebooks / NOTEBOOK
    declared = pipeline.notebook_parameters(nb_path)
    params = pipeline.coerce_parameters(declared, dict(parameters or {}), lang)
    params.update(sessions=",".join(names), lang=lang)
    if "raw_dir" in declared:  # a custom notebook that still reads a raw_dir parameter
        params["raw_dir"] = str(paths.raw)
    params = pipeline.coerce_parameters(declared, params, lang)
    options = {k: params[k] for k in ("alpha", "confidence", "min_cell") if k in params}
    from fac_eval.analysis.shared_people import SharedPeopleError

    try:
        comp = compare_sessions(session_dirs_, **options)
    except validation.ValidationError as err:
        raise RunError(name, validation.format_problems(err.problems, lang=lang), "invalid") from err
    except SharedPeopleError as err:  # a copy in another format, ids renamed, retyped…
        raise RunError(name, " ".join(tr(lang, N_(
            "Sessions %(first)s and %(second)s hold the same people (%(shared)s of %(of)s "
            "with the same answers at entry and exit): comparing them would count them twice "
            "and make the pooled tests look surer than they are. Give each session once.")
            if p.by == "answers" else N_(
            "Sessions %(first)s and %(second)s hold the same people (%(shared)s of %(of)s "
            "with the same ids and the same dates of their entry and exit answers): comparing "
            "them would count them twice and make the pooled tests look surer than they are. "
            "Give each session once."),
            first=p.first, second=p.second, shared=p.shared, of=p.of)
            for p in err.pairs), "usage") from err
    # the name is printed in the report and names its files: it must not be a participant's
    named = validation.session_name_problems(out_dir, comp.participant_ids, comp.person_names,
                                            comparison=True)
    if named:
        raise RunError(name, validation.format_problems(named, lang=lang), "invalid")

    with outputs.session_lock(key, paths, lang), \
            outputs.Staging(key, [out_dir, work_dir], paths, lang=lang) as staging:
        tmp = staging[out_dir]
        # the other language's report stays when made from the same data and parameters
        fingerprint = outputs.inputs_fingerprint(
            [*(s.checksum for s in comp.sessions), outputs.file_digest(nb_path)], params,
            comp.person_names)
        dropped = staging.carry_over_languages(lang, lambda other: _files(name, other),
                                               fingerprint, work_dir)
        executed = staging[work_dir] / outputs.comparison_file(name, lang, ".ipynb")
        with pipeline.kernel_environment(paths):
            pipeline._execute(nb_path, executed, params, timeout or pipeline.DEFAULT_TIMEOUT,
                              kernel_name, progress, name, lang)
        nb = nbformat.read(str(executed), as_version=4)
        from fac_eval.report.i18n import messages

        nb.metadata["title"] = messages(lang)._(
            "Comparison of sessions (%(names)s) — Form'Ain Cube", names=", ".join(comp.names))
        nbformat.write(nb, str(executed))
        html = pipeline.export_html(executed, lang=lang)
        html_path = tmp / outputs.comparison_file(name, lang)
        html_path.write_text(html, encoding="utf-8")
        for table, file in zip(_published_tables(comp, lang),
                               outputs.comparison_tables(name, lang)):
            table.to_csv(tmp / file, index=False, encoding="utf-8-sig", lineterminator="\n")
        unavailable = None
        if pdf:
            unavailable = pipeline._print_pdf(name, html_path, tmp / outputs.comparison_file(
                name, lang, ".pdf"), pdf_mod)
        try:  # the one gate of every published file (HTML, PDF and CSV tables)
            gate.gate_folder(tmp, comp.participant_ids, comp.person_names)
        except (gate.LeakError, gate.GateError) as err:
            raise RunError(name, err.message(lang), "leak") from err
        staging.commit()
    comp.extra["seconds"] = time.perf_counter() - t0
    final = out_dir / outputs.comparison_file(name, lang)
    printed = (out_dir / outputs.comparison_file(name, lang, ".pdf")
               if pdf and not unavailable else None)
    return pipeline.RunResult(name, True, final, comp.extra["seconds"],
                              outputs=sorted(out_dir.iterdir()), pdf=printed,
                              pdf_unavailable=unavailable, dropped=dropped)


def _published_tables(comp, lang: str):
    """The comparison's two CSV tables (per session, pooled), each row with its ``reading`` in
    ``lang``: the words of the report's tables, graded the same way (an exploratory rise is
    "à confirmer", a pooled figure of unlike sessions "not a common effect"), never only a
    verdict code stronger than the report."""
    from fac_eval.report import narrative
    from fac_eval.report.comparison_tests import pooled_reading

    by_name = {s.name: s.indicators for s in comp.sessions}
    per = comp.per_session.copy()
    readings = []
    for _, row in per.iterrows():  # read on the session's own table (its roles and families)
        ind = by_name[row["session"]]
        own = ind.loc[ind["indicator"] == row["indicator"]]
        reading = narrative.table_reading(ind, own.iloc[0], lang, comp.alpha) if len(own) else ""
        readings.append(reading or narrative.verdict_reading(str(row["verdict"]), lang))
    per["reading"] = readings
    pooled = comp.pooled.copy()
    pooled["reading"] = [pooled_reading(row, lang, comp.alpha) for _, row in pooled.iterrows()]
    return per, pooled


def _files(name: str, lang: str) -> list[str]:
    """Every file a comparison in ``lang`` writes (report, PDF, notebook, CSV tables)."""
    from fac_eval.run import outputs

    return [*(outputs.comparison_file(name, lang, x) for x in (".html", ".pdf", ".ipynb")),
            *outputs.comparison_tables(name, lang)]
