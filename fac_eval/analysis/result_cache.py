"""One computation per run: the session's results handed from the CLI to the report's kernel.

``fac-eval run`` reads, validates and computes a session once (:func:`fac_eval.analysis.results.
compute_session`), then writes the results into the run's staging processed folder
(:func:`write`) before papermill executes the report notebook. The notebook's setup cell calls
:func:`session_results`, which reuses those results when they are the ones the kernel would
compute itself, and computes them otherwise:

- the cache is found through ``FAC_EVAL_RESULT_CACHE`` (the folder) and trusted only with
  ``FAC_EVAL_RESULT_CACHE_SECRET``, a random key the run gives its kernel and nobody else: the
  pickle is signed with HMAC-SHA256 and its signature is checked before anything is unpickled,
  so a file that was altered, truncated or written by someone else is never loaded;
- it is used only when its key matches: a checksum of the raw session files (their names and
  bytes, not their dates; for the written cache, the bytes the computation read, which
  :func:`fac_eval.analysis.results.compute_session` checks did not change while it read them),
  the report parameters that change a figure (alpha, min_cell, confidence), a digest of the
  list of names to scrub, and the code (the package's version and a hash of every file of the
  package, Python and library versions);
- anything else (no cache, a stale key, a corrupt file, a missing secret: JupyterLab, plain
  papermill) means the kernel computes the session itself, with the same result.

The cache never holds the list of names (the kernel loads it again); it lives only in the run's
staging folder, and the pipeline removes it before the folder is swapped in (it holds the raw
tables). Each decision is one line on the kernel's standard error when a cache folder is
configured (``fac_eval: results ...``, in the report's language): the executed notebook keeps
it, the HTML drops it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
import json
import os
import pickle
import secrets
import sys
from pathlib import Path
from typing import Any

from fac_eval.core.i18n import N_, tr

CACHE_ENV = "FAC_EVAL_RESULT_CACHE"
SECRET_ENV = "FAC_EVAL_RESULT_CACHE_SECRET"
PAYLOAD = "session_results.pickle"
MANIFEST = "session_results.json"
FORMAT = 1
#: the options of :func:`fac_eval.analysis.results.compute_session` that change a figure
OPTIONS = ("alpha", "min_cell", "confidence")


def new_secret() -> str:
    """A random key for one run (given to its kernel only)."""
    return secrets.token_hex(32)


@functools.lru_cache(maxsize=1)
def code_hash() -> str:
    """SHA-256 over every file of the package (names and bytes, ``__pycache__`` excluded), the
    package version and the versions of Python and of the libraries the results hold."""
    import numpy
    import pandas

    from fac_eval import __version__

    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    h.update(f"{__version__}|{sys.version}|{pandas.__version__}|{numpy.__version__}".encode())
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".mo"):
            h.update(p.relative_to(root).as_posix().encode() + b"\0")
            h.update(p.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


def cache_key(raw_dir: str | Path, options: dict[str, Any], names: list[str],
              raw_checksum: str | None = None) -> str:
    """The key of one session's results: raw files, parameters, names, code (see the module).

    ``raw_checksum``: the checksum of the raw bytes the results were computed from
    (``SessionResults.checksum``), when the key is made for results already computed; without
    it the raw folder is read now (the kernel: the files as they are when it looks)."""
    from .results import data_checksum

    wanted = {k: options[k] for k in OPTIONS if k in options}
    names_digest = hashlib.sha256("\n".join(names).encode()).hexdigest()
    raw = raw_checksum or data_checksum(Path(raw_dir))
    text = json.dumps({"format": FORMAT, "raw": raw,
                       "options": {k: repr(v) for k, v in sorted(wanted.items())},
                       "names": names_digest, "names_checked": _names_checked() and bool(names),
                       "code": code_hash()}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _names_checked() -> bool:
    """What :func:`fac_eval.analysis.results.compute_session` says without ``names=``: a names file is
    configured."""
    from fac_eval.disclosure.privacy import NAMES_ENV_VAR

    return bool(os.environ.get(NAMES_ENV_VAR, "").strip())


def write(results, folder: str | Path, secret: str, key: str | None = None) -> Path:
    """Write ``results`` (a :class:`fac_eval.analysis.results.SessionResults`) into ``folder``, signed
    with ``secret``; returns the payload's path. The list of names is left out."""
    folder = Path(folder)
    options = {k: getattr(results, k) for k in OPTIONS}
    names = list(results.names)
    # keyed on the bytes the computation read (its checksum), not on the files as they are now:
    # a file saved between the computation and this write must make the kernel's key differ
    key = key or cache_key(results.path, options, names, raw_checksum=results.checksum)
    bare = dataclasses.replace(results, extra={**results.extra, "names": []})
    payload = pickle.dumps(bare, protocol=pickle.HIGHEST_PROTOCOL)
    signature = hmac.new(bytes.fromhex(secret), payload, hashlib.sha256).hexdigest()
    manifest = {"format": FORMAT, "key": key, "size": len(payload), "hmac": signature}
    for name, data in ((PAYLOAD, payload), (MANIFEST, json.dumps(manifest).encode())):
        tmp = folder / f".{name}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, folder / name)
    return folder / PAYLOAD


def remove(folder: str | Path) -> None:
    """Remove the cache files from ``folder`` (before the folder is published)."""
    for name in (PAYLOAD, MANIFEST, f".{PAYLOAD}.tmp", f".{MANIFEST}.tmp"):
        (Path(folder) / name).unlink(missing_ok=True)


def load(folder: str | Path, key: str, secret: str | None):
    """The cached results when they are valid for ``key``, else ``(None, reason)``; returns
    ``(results, "hit")`` on success. Nothing is unpickled before its signature is checked."""
    from fac_eval.core.pause import pause_point

    pause_point("notebook")  # a test hook (fac_eval.core.pause): the kernel, in the notebook
    folder = Path(folder)
    if not secret:
        return None, N_("no secret")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        payload = (folder / PAYLOAD).read_bytes()
    except FileNotFoundError:
        return None, N_("no cache")
    except (OSError, ValueError):
        return None, N_("unreadable cache")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None, N_("unknown format")
    if manifest.get("key") != key:
        return None, N_("stale key")
    try:
        expected = hmac.new(bytes.fromhex(secret), payload, hashlib.sha256).hexdigest()
    except ValueError:
        return None, N_("bad secret")
    if not hmac.compare_digest(expected, str(manifest.get("hmac", ""))):
        return None, N_("bad signature")
    try:
        results = pickle.loads(payload)  # noqa: S301 (signed by this run, checked above)
    except Exception:  # a signed but unreadable payload (another library version): recompute
        return None, N_("unreadable payload")
    from .results import SessionResults

    if not isinstance(results, SessionResults):
        return None, N_("not session results")
    return results, "hit"


def session_results(session: str, alpha: float = 0.05, min_cell: int = 3,
                    confidence: float = 0.95, cache_dir: str | Path | None = None,
                    secret: str | None = None, lang: str = "fr"):
    """The results of ``session`` (a session name of the configured raw root): the run's cached
    computation when it is valid (see the module), else :func:`fac_eval.analysis.results.
    compute_session` with these parameters; the same object either way.

    ``cache_dir`` and ``secret`` default to ``FAC_EVAL_RESULT_CACHE`` and
    ``FAC_EVAL_RESULT_CACHE_SECRET``; without a folder, the session is computed. ``lang`` is the
    language of the "session not found" message and of the line saying where the results come
    from.
    """
    from fac_eval.analysis import results as analysis
    from fac_eval.data import session_paths
    from fac_eval.disclosure.privacy import load_names

    raw_dir = session_paths.raw_session_dir(session, lang=lang)
    options: dict[str, Any] = {"alpha": alpha, "min_cell": min_cell, "confidence": confidence}
    folder = cache_dir if cache_dir is not None else os.environ.get(CACHE_ENV)
    if not folder:
        return analysis.compute_session(raw_dir, **options)
    names = load_names()
    key = cache_key(raw_dir, options, names)
    results, reason = load(folder, key, secret if secret is not None
                           else os.environ.get(SECRET_ENV))
    if results is None:  # the reason is a message id of the catalogs, said in ``lang``
        _say(tr(lang, N_("fac_eval: results computed in the kernel (%(reason)s; key %(key)s)"),
                reason=tr(lang, reason), key=key[:12]))
        return analysis.compute_session(raw_dir, **options)
    _say(tr(lang, N_("fac_eval: results read from the run's cache (key %(key)s)"), key=key[:12]))
    results = dataclasses.replace(results, path=raw_dir,
                                  extra={**results.extra, "names": list(names)})
    analysis.warn_names_not_checked(results, stacklevel=3)
    return results


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
