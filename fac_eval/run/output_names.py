"""The names of a run's output files, in each language, and the record of the inputs each
language's files were made from (:data:`INPUTS_FILE`).

Fixed names, not catalog messages: a translation must never rename a file that scripts and
earlier runs rely on. :mod:`fac_eval.run.outputs` gives them under its own name too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

#: Files of an output folder that a run does not make and must keep (the evaluator's executed
#: data-quality notebook, ``fac-eval quality``).
KEEP = ("qualite_*.ipynb", "quality_*_en.ipynb")

# --------------------------------------------------------------------------------------------
# One file per language
# --------------------------------------------------------------------------------------------

#: The languages of the reports; French is the project's default language.
LANGS = ("fr", "en")


#: The output files' names in each language (fixed names, not catalog messages: a translation
#: must never rename a file that scripts and earlier runs rely on).
_FILE_NAMES = {
    "report": {"fr": "rapport_{stem}{suffix}", "en": "report_{stem}_en{suffix}"},
    "quality": {"fr": "qualite_{stem}{suffix}", "en": "quality_{stem}_en{suffix}"},
    "export": {"fr": "indicateurs_{stem}{suffix}", "en": "indicators_{stem}_en{suffix}"},
    "comparison": {"fr": "comparaison_{stem}{suffix}", "en": "comparison_{stem}_en{suffix}"},
    # the comparison's two CSV tables: per session, and the sessions pooled
    "comparison_sessions": {"fr": "comparaison_{stem}_sessions{suffix}",
                            "en": "comparison_{stem}_sessions_en{suffix}"},
    "comparison_pooled": {"fr": "comparaison_{stem}_ensemble{suffix}",
                          "en": "comparison_{stem}_pooled_en{suffix}"},
}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "fr"


def report_file(session: str, lang: str = "fr", suffix: str = ".html") -> str:
    """The report's file name in ``lang``: ``rapport_<s>.html`` in French, ``report_<s>_en.html``
    in English (the same stem for the PDF, ``.pdf``, and the executed notebook, ``.ipynb``)."""
    return _FILE_NAMES["report"][_lang(lang)].format(stem=session, suffix=suffix)


def quality_file(session: str, lang: str = "fr") -> str:
    """The executed data-quality notebook's file name, named like the reports:
    ``qualite_<s>.ipynb`` in French, ``quality_<s>_en.ipynb`` in English (each language its
    own file, so that one run never replaces the other's)."""
    return _FILE_NAMES["quality"][_lang(lang)].format(stem=session, suffix=".ipynb")


def export_file(session: str, lang: str = "fr") -> str:
    """The Excel export's file name: ``indicateurs_<s>.xlsx`` / ``indicators_<s>_en.xlsx``."""
    return _FILE_NAMES["export"][_lang(lang)].format(stem=session, suffix=".xlsx")


def comparison_file(name: str, lang: str = "fr", suffix: str = ".html") -> str:
    """The comparison report's file name: ``comparaison_<n>.html`` / ``comparison_<n>_en.html``."""
    return _FILE_NAMES["comparison"][_lang(lang)].format(stem=name, suffix=suffix)


def comparison_tables(name: str, lang: str = "fr") -> tuple[str, str]:
    """The comparison's CSV tables in ``lang``, (per session, pooled):
    ``comparaison_<n>_sessions.csv`` / ``comparaison_<n>_ensemble.csv`` in French,
    ``comparison_<n>_sessions_en.csv`` / ``comparison_<n>_pooled_en.csv`` in English."""
    x = _lang(lang)
    return (_FILE_NAMES["comparison_sessions"][x].format(stem=name, suffix=".csv"),
            _FILE_NAMES["comparison_pooled"][x].format(stem=name, suffix=".csv"))


def session_files(session: str, lang: str) -> tuple[str, ...]:
    """Every file a run of ``session`` in ``lang`` may write in its report and processed folders
    (HTML, PDF, Excel export, executed notebook)."""
    return (report_file(session, lang), report_file(session, lang, ".pdf"),
            export_file(session, lang), report_file(session, lang, ".ipynb"))


def other_languages(lang: str) -> tuple[str, ...]:
    return tuple(x for x in LANGS if x != lang)


#: In a run's processed folder: the inputs each language's files were made from, by language
#: (:meth:`fac_eval.run.outputs.Staging.carry_over_languages`).
INPUTS_FILE = "inputs.json"


def inputs_fingerprint(checksums: Iterable[str], parameters: dict,
                       names: Iterable[str] = ()) -> str:
    """One digest of what a run's figures and texts depend on: the raw files' checksums
    (:func:`fac_eval.analysis.results.data_checksum`, one per session, and the notebook's), the
    notebook's parameters but its language, the list of names scrubbed from quotes, the package
    version and the code's commit (with whether it had uncommitted changes). Two languages'
    files with the same fingerprint say the same thing."""
    import hashlib

    from fac_eval import __version__
    from fac_eval.core.provenance import git_state

    text = json.dumps({"data": list(checksums), "version": __version__, "code": git_state(),
                       "parameters": {k: str(v) for k, v in sorted(parameters.items())
                                      if k != "lang"},
                       "names": sorted(set(names))}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def run_files(session: str) -> list[str]:
    """What runs of ``session`` keep in its processed folder beside the tables (the executed
    notebooks of each language and :data:`INPUTS_FILE`): ``clean`` carries them over, so that
    the reports' records stay with them."""
    return [INPUTS_FILE, *(f for lang in LANGS for f in session_files(session, lang))]


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes ("" when it cannot be read): the notebook a run executes
    is one of its inputs (:func:`inputs_fingerprint`)."""
    import hashlib

    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def _read_inputs(folder: Path) -> dict[str, str]:
    """The fingerprints recorded by the previous run in ``folder`` (empty when there is none
    or it cannot be read: the other language's files are then not carried over)."""
    try:
        data = json.loads((Path(folder) / INPUTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str)}
