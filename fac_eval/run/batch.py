"""Batch runs: one report per session, in parallel locally or on a Dask distributed cluster.

- Locally, sessions run in a pool of worker processes (``jobs``, default: the number of cores);
  each worker runs :func:`fac_eval.run.pipeline.run_session` and so starts its own kernel.
- With ``scheduler="tcp://host:8786"``, each session is one task on an existing Dask cluster; the
  workers read ``<shared_dir>/data/raw`` and write ``<shared_dir>/reports`` on a filesystem they
  share with the caller (``shared_dir`` defaults to the project folder).

One failing session never stops the others: every session ends with a :class:`SessionOutcome`
(ok or the error in plain words), and the caller decides the exit code.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from fac_eval.core.i18n import N_, NC_, NP_, messages


@dataclass
class SessionOutcome:
    session: str
    ok: bool
    seconds: float
    html: str = ""
    message: str = ""
    worker: str = ""
    #: every report written (one per language asked, then the PDFs)
    files: tuple[str, ...] = ()
    #: why a PDF that was asked for was not printed (French, English), "" when it was or was not
    #: asked; the HTML reports were written all the same
    pdf_unavailable: tuple[str, str] | None = None
    #: the other language's files of an earlier run, made from other inputs, that were removed
    #: (and not made again by this batch: ``--report-langs`` without their language)
    dropped: tuple[str, ...] = ()
    #: the previous PDFs that went with their report folders (a batch without ``--pdf``)
    pdf_removed: tuple[str, ...] = ()


def run_one(session: str, lang: str = "fr", parameters: dict | None = None,
            root: str | None = None, pdf: bool = False,
            report_langs: tuple[str, ...] | None = None,
            timeout: float | None = None) -> SessionOutcome:
    """Run one session and never raise: the outcome says what happened.

    ``root`` is the project folder holding ``data/raw``, ``data/processed``, ``reports`` and
    ``notebooks`` (on a cluster: the shared filesystem path). ``report_langs``: the languages
    of the reports, one after the other (default: ``lang``); each language is its own file, so
    both stay side by side. ``pdf``: print each report to PDF too. ``timeout``: the time one
    cell of the notebook may run, in seconds (``fac-eval batch --timeout``, as ``run``'s; default
    :data:`fac_eval.run.pipeline.DEFAULT_TIMEOUT`): a session that goes over it fails with the
    message of ``run`` and the others go on.
    """
    import socket

    from fac_eval.data.session_paths import PathGuardError

    from .locks import RunningError
    from .pipeline import DEFAULT_TIMEOUT, Paths, RunError, run_session

    t0 = time.perf_counter()
    paths = Paths(Path(root)) if root else Paths()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    files: list[str] = []
    dropped: list[str] = []
    removed: list[str] = []
    unavailable = None
    try:
        for report_lang in report_langs or (lang,):
            res = run_session(session, lang=report_lang, parameters=parameters or {},
                              paths=paths, pdf=pdf,
                              timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
            files.append(str(res.html))
            if res.pdf is not None:
                files.append(str(res.pdf))
            unavailable = unavailable or res.pdf_unavailable
            dropped += res.dropped
            removed += [res.pdf_removed] if getattr(res, "pdf_removed", "") else []
        from .outputs import session_files

        # what an earlier language's run removed and a later one made again was not lost (a
        # language's PDF is made again only with --pdf)
        made = {n for report_lang in report_langs or (lang,)
                for n in session_files(session, report_lang) if pdf or not n.endswith(".pdf")}
        return SessionOutcome(session, True, time.perf_counter() - t0, files[0], "", worker,
                              tuple(files), unavailable,
                              tuple(dict.fromkeys(d for d in dropped if d not in made)),
                              tuple(removed))
    except RunError as err:
        return SessionOutcome(session, False, time.perf_counter() - t0, "", err.message(lang),
                              worker, tuple(files))
    except (PathGuardError, RunningError) as err:  # a link, a write near raw data, a run
        return SessionOutcome(session, False, time.perf_counter() - t0, "", err.message(lang),
                              worker, tuple(files))
    except OSError as err:  # a full disk, a read-only folder: the path and what it left
        from .os_errors import os_error_message

        return SessionOutcome(session, False, time.perf_counter() - t0, "",
                              os_error_message(err, lang), worker, tuple(files))
    except Exception as err:  # a bug must not stop the other sessions; say it plainly
        return SessionOutcome(session, False, time.perf_counter() - t0, "",
                              f"{type(err).__name__}: {err}", worker, tuple(files))


def die_with_parent() -> None:
    """Ask the system to end this process (SIGTERM) when its parent ends, and end it now if the
    parent has already gone: a local batch's fork server (its parent, the command) and each
    worker (its parent, the fork server) never outlive a batch stopped by Ctrl-C, kill or a
    closed terminal, and never publish reports after it (Linux; elsewhere nothing is done)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent went before the request
        os.kill(os.getpid(), signal.SIGTERM)


def run_task(env: dict[str, str], cwd: str, *args) -> SessionOutcome:
    """:func:`run_one` in a pool worker, with the caller's environment and working folder (the
    worker is forked from a fork server started earlier, whose own may be older); the worker
    ends with the fork server (:func:`die_with_parent`)."""
    die_with_parent()
    if dict(os.environ) != env:
        os.environ.clear()
        os.environ.update(env)
    if os.getcwd() != cwd:
        os.chdir(cwd)
    return run_one(*args)


class SchedulerError(Exception):
    """The Dask scheduler given to ``batch --scheduler`` cannot be used: its address is not one
    Dask reads (``usage``), or nothing answers there. Said before any session runs."""

    def __init__(self, address: str, reason: str, usage: bool):
        super().__init__(address, reason)
        self.address, self.reason, self.usage = address, reason, usage

    def message(self, lang: str = "fr") -> str:
        _ = messages(lang)._
        if self.usage:
            return _(N_("The scheduler address %(address)s is not one Dask reads (%(reason)s): "
                        "expected tcp://HOST:PORT, for example tcp://10.0.0.5:8786. No session "
                        "was run."), address=self.address, reason=self.reason)
        return _(N_("Could not reach the Dask scheduler at %(address)s (%(reason)s). No session "
                    "was run."), address=self.address, reason=self.reason)


def connect(scheduler: str):
    """A client of the Dask scheduler at ``scheduler``, or :class:`SchedulerError`."""
    from distributed import Client

    try:
        return Client(scheduler)
    except (ValueError, TypeError, KeyError) as err:  # not an address Dask parses
        raise SchedulerError(str(scheduler), str(err) or type(err).__name__, True) from err
    except (OSError, TimeoutError) as err:  # refused, unknown host, timed out
        reason = err.strerror or str(err) or type(err).__name__
        raise SchedulerError(str(scheduler), reason, False) from err


class LineProgress:
    """The progress of a batch written to a file or a pipe (a log, CI): one plain line each
    time a session ends or what is running changes, never the carriage returns of a bar."""

    def __init__(self, total: int, stream=None, lang: str = "fr"):
        self.total, self.n, self.postfix = total, 0, ""
        self._last: str | None = None
        self._pending = False
        self.stream, self.lang = stream, lang

    def _write(self) -> None:
        words = messages(self.lang)
        line = words._(N_("fac-eval batch: sessions finished: %(done)s/%(total)s"),
                       done=self.n, total=self.total)
        line += words._(N_("; %(running)s"), running=self.postfix) if self.postfix else ""
        self._pending = False
        if line != self._last:
            print(line, file=self.stream or sys.stderr, flush=True)
            self._last = line

    def update(self, n: int = 1) -> None:
        """A session ended: written with what runs next (the caller says it right after,
        :meth:`set_postfix_str`), so that no line shows a finished session as running."""
        self.n += n
        self._pending = True

    def set_postfix_str(self, text: str = "", refresh: bool = True) -> None:
        self.postfix = text
        self._write()

    def refresh(self) -> None:
        """Writes a count the caller did not follow with what runs (else nothing changed)."""
        if self._pending:
            self._write()

    def close(self) -> None:
        """Writes the last count if it is not written yet; nothing to erase."""
        self.refresh()


def _progress(total: int, enabled: bool, lang: str = "fr", stream=None):
    """The batch's progress on stderr: a bar on a terminal, as wide as it is (80 columns and
    24 rows when the terminal does not say, e.g. no COLUMNS, or says 0 x 0), so that the bar and what is running never
    wrap onto a second line the bar cannot rewrite; plain lines when stderr is not a terminal
    (:class:`LineProgress`)."""
    import shutil

    from tqdm import tqdm

    stream = stream or sys.stderr
    if not enabled:
        return tqdm(total=total, disable=True)
    if not _is_terminal(stream):
        return LineProgress(total, stream, lang)
    size = shutil.get_terminal_size((80, 24))
    # a terminal that says it is 0 x 0 (``script``, a pty without a window size): tqdm would
    # draw nothing at all with 0 rows, so the fallback size is given for both
    return tqdm(total=total, unit="session", desc="fac-eval batch", leave=True, file=stream,
                ncols=size.columns if size.columns > 0 else 80,
                nrows=size.lines if size.lines > 0 else 24)


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # a closed or file-less stream
        return False


def running_text(sessions: list[str], lang: str = "fr", limit: int = 3) -> str:
    """What the progress bar says is running: ``en cours : a, b (+2)``."""
    if not sessions:
        return ""
    shown = ", ".join(sessions[:limit]) + (f" (+{len(sessions) - limit})" if len(sessions) > limit
                                           else "")
    return messages(lang)._(N_("running: %(sessions)s"), sessions=shown)


def run_local(sessions: list[str], lang: str = "fr", jobs: int | None = None,
              parameters: dict | None = None, root: str | None = None,
              progress: bool = True, pdf: bool = False,
              report_langs: tuple[str, ...] | None = None,
              timeout: float | None = None) -> list[SessionOutcome]:
    """Run sessions in a local pool of ``jobs`` processes (results in the order given).

    The progress bar shows from the start which sessions are running (the first ``jobs``
    unfinished ones, in the order given: the pool takes them in that order) and its clock
    moves every second, not only when a session finishes.
    """
    jobs = max(1, jobs or os.cpu_count() or 1)
    outcomes: dict[str, SessionOutcome] = {}
    bar = _progress(len(sessions), progress, lang)
    if jobs == 1:
        for s in sessions:
            bar.set_postfix_str(running_text([s], lang))
            outcomes[s] = run_one(s, lang, parameters, root, pdf, report_langs, timeout)
            bar.update(1)
        bar.set_postfix_str("")  # finished: nothing is running any more
    else:
        # "forkserver", not the platform default "fork": forking this process, which may
        # already run threads (tqdm's monitor, a Dask client's event loop, a Jupyter kernel
        # manager), can deadlock the child. The fork server is a fresh single-threaded process
        # that imports the run's libraries once (fac_eval.run.worker_preload), so each worker
        # starts warm instead of importing everything again as a spawned process would; it
        # lives as long as this process, so each task carries this process's environment and
        # working folder as they are now (run_task).
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["fac_eval.run.worker_preload"])
        workers = min(jobs, len(sessions))
        env, cwd = dict(os.environ), os.getcwd()
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = {pool.submit(run_task, env, cwd, s, lang, parameters, root, pdf,
                                   report_langs, timeout): s
                       for s in sessions}
            pending = list(futures)  # in submission order
            bar.set_postfix_str(running_text([futures[f] for f in pending[:workers]], lang))
            while pending:
                done, _ = wait(pending, timeout=1, return_when=FIRST_COMPLETED)
                for fut in [f for f in pending if f in done]:
                    s = futures[fut]
                    try:
                        outcomes[s] = fut.result()
                    except Exception as err:  # the worker process itself died
                        outcomes[s] = SessionOutcome(s, False, 0.0, "",
                                                     f"{type(err).__name__}: {err}")
                    pending.remove(fut)
                    bar.update(1)
                if done:
                    bar.set_postfix_str(running_text([futures[f] for f in pending[:workers]],
                                                     lang))
                bar.refresh()
    bar.close()
    return [outcomes[s] for s in sessions]


def run_dask(sessions: list[str], scheduler, lang: str = "fr", parameters: dict | None = None,
             root: str | None = None, progress: bool = True, pdf: bool = False,
             report_langs: tuple[str, ...] | None = None,
             timeout: float | None = None) -> list[SessionOutcome]:
    """Run sessions as tasks on a Dask distributed cluster (``scheduler``: address or Client).

    Each task is :func:`run_one` for one session, with pure=False so that a re-run recomputes.
    As the local pool does, the progress bar shows from the start what is running (the tasks the
    scheduler says its workers are processing, :func:`dask_running`), and moves every second.
    """
    import distributed
    from distributed import Client

    from .pipeline import ROOT

    client = scheduler if isinstance(scheduler, Client) else connect(scheduler)
    own_client = client is not scheduler
    # the workers do not share the caller's working directory: send an absolute path
    root = os.path.abspath(root) if root else str(ROOT)
    try:
        futures = [client.submit(run_one, s, lang, parameters, root, pdf, report_langs, timeout,
                                 key=f"fac-eval-{s}-{time.time_ns()}", pure=False)
                   for s in sessions]
        by_key = {f.key: s for f, s in zip(futures, sessions)}
        outcomes: dict[str, SessionOutcome] = {}
        bar = _progress(len(sessions), progress, lang)
        pending = list(futures)  # in submission order
        slots = _dask_slots(client, len(sessions))
        bar.set_postfix_str(running_text(dask_running(by_key, pending, _processing(client),
                                                      slots), lang))
        while pending:
            try:  # wake up at each finished session, and every second for the running ones
                distributed.wait(pending, timeout=1, return_when="FIRST_COMPLETED")
            except TimeoutError:
                pass
            for fut in [f for f in pending if f.done()]:
                s = by_key[fut.key]
                try:
                    outcomes[s] = fut.result()
                except Exception as err:
                    outcomes[s] = SessionOutcome(s, False, 0.0, "",
                                                 f"{type(err).__name__}: {err}")
                pending.remove(fut)
                bar.update(1)
            bar.set_postfix_str(running_text(dask_running(by_key, pending, _processing(client),
                                                          slots), lang))
            bar.refresh()
        bar.close()
        return [outcomes[s] for s in sessions]
    finally:
        if own_client:
            client.close()


def dask_running(by_key: dict, pending, processing: dict | None, slots: int) -> list[str]:
    """The sessions running on a Dask cluster, in the order given, for the progress bar.

    ``by_key``: task key -> session; ``pending``: the unfinished futures (or keys), in
    submission order; ``processing``: the scheduler's ``{worker: [task keys]}``
    (:meth:`distributed.Client.processing`). While the scheduler has assigned nothing yet, the
    first ``slots`` unfinished sessions (the cluster's threads) are shown, as the local pool
    does: the bar says what is running from the first session, not only what finished.
    """
    keys = [getattr(p, "key", p) for p in pending]
    busy = {str(k) for ks in (processing or {}).values() for k in ks}
    # a worker may hold a task more than its threads (the scheduler's queueing): at most
    # ``slots`` shown, the first ones
    running = [by_key[k] for k in keys if str(k) in busy][:max(1, slots)]
    return running or [by_key[k] for k in keys[:max(1, slots)]]


def _processing(client) -> dict:
    try:
        return dict(client.processing())
    except Exception:  # an old or busy scheduler: fall back to the first pending sessions
        return {}


def _dask_slots(client, total: int) -> int:
    try:
        return max(1, min(total, sum(dict(client.nthreads()).values())))
    except Exception:
        return 1


def shared_dir_refusal(shared: Path, scheduler: bool, lang: str) -> str | None:
    """Why ``--shared-dir`` cannot be used (a usage error of ``fac-eval batch``), or None: it is
    the project folder (holding ``notebooks/rapport_evaluation.ipynb``) the workers see. Without
    ``--scheduler`` the local pool reads it here, so it must be one; with it, a folder this
    machine cannot see may be the cluster's, but one it sees must be a project folder."""
    from .pipeline import NOTEBOOK

    _ = messages(lang)._
    if (shared / "notebooks" / NOTEBOOK).is_file():
        return None
    if not shared.is_dir():
        if scheduler:
            return None  # a cluster's path this machine may not see
        return _(N_("--shared-dir %(path)s: no such folder. --shared-dir is the project folder "
                    "the Dask workers see (with --scheduler); a local batch needs no "
                    "--shared-dir."), path=shared)
    return _(N_("--shared-dir %(path)s is not a project folder (no notebooks/%(notebook)s): "
                "give the folder of the project as the Dask workers see it (with --scheduler); "
                "a local batch needs no --shared-dir."), path=shared, notebook=NOTEBOOK)


def run_batch(sessions: list[str], lang: str = "fr", jobs: int | None = None,
              parameters: dict | None = None, scheduler=None, shared_dir: str | None = None,
              progress: bool = True, pdf: bool = False,
              report_langs: tuple[str, ...] | None = None,
              timeout: float | None = None) -> list[SessionOutcome]:
    """Local pool without ``scheduler``; the Dask cluster at ``scheduler`` otherwise.
    ``report_langs``: the reports' languages (default ``lang``); ``pdf``: print them too;
    ``timeout``: the time limit of one cell in seconds (:func:`run_one`)."""
    if scheduler:
        return run_dask(sessions, scheduler, lang, parameters, shared_dir, progress, pdf,
                        report_langs, timeout)
    return run_local(sessions, lang, jobs, parameters, shared_dir, progress, pdf, report_langs,
                     timeout)


#: The words of the batch summary's columns (context "batch summary").
_SUMMARY_WORDS = {"session": NC_("batch summary", "Session"),
                  "result": NC_("batch summary", "Result"),
                  "time": NC_("batch summary", "Time"),
                  "detail": NC_("batch summary", "Report / error"),
                  "failed": NC_("batch summary", "FAILED")}


def summary_table(outcomes: list[SessionOutcome], lang: str = "fr") -> str:
    """A plain-text summary: one line per session, then the totals."""
    from fac_eval.core.formatting import fmt_number

    en = lang == "en"
    m = messages(lang)
    word = {key: m.pgettext(*pair) for key, pair in _SUMMARY_WORDS.items()}
    width = max([len(o.session) for o in outcomes] + [7])
    head = (f"{word['session'].ljust(width)}  {word['result']:<8}  {word['time']:>7}  "
            + word["detail"])
    lines = [head, "-" * len(head)]
    for o in outcomes:
        status = "OK" if o.ok else word["failed"]
        detail = (", ".join(o.files) or o.html) if o.ok else (
            o.message.splitlines()[0] if o.message else "")
        lines.append(f"{o.session.ljust(width)}  {status:<8}  {fmt_number(o.seconds, lang, 1):>5} s  {detail}")
        if not o.ok and o.message and len(o.message.splitlines()) > 1:
            lines.extend(" " * (width + 2) + ln for ln in o.message.splitlines()[1:6])
        if o.ok and o.dropped:
            from .climessages import dropped_languages

            lines.append(" " * (width + 2) + dropped_languages(list(o.dropped), lang))
        if o.ok and o.pdf_removed:
            from .climessages import removed_pdf

            lines.extend(" " * (width + 2) + removed_pdf(n, lang) for n in o.pdf_removed)
    n_ok = sum(o.ok for o in outcomes)
    no_pdf = next((o.pdf_unavailable for o in outcomes if o.ok and o.pdf_unavailable), None)
    lines.append("-" * len(head))
    lines.append(m.nplural(NP_("%(ok)s/%(num)s session succeeded",
                               "%(ok)s/%(num)s sessions succeeded"), len(outcomes), ok=n_ok)
                 + ("" if n_ok == len(outcomes) else
                    m.nplural(NP_(", %(num)s failed", ", %(num)s failed"), len(outcomes) - n_ok)))
    if no_pdf:
        lines.append(no_pdf[1 if en else 0])
    return "\n".join(lines)
