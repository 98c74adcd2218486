"""The data-quality notebook in French or English: headings, explanations and tables.

``notebooks/qualite_donnees.ipynb`` stays thin: one :class:`QualityNotebook` built from its
parameters, then one call per cell. Every word comes from the gettext catalogs of the reports
(:mod:`fac_eval.report.i18n`, ``make i18n``): headings are Markdown produced here, the tables of
:mod:`fac_eval.analysis.quality` are shown with headers, labels and numbers in the notebook's language.
The raw tables (machine column names, unrounded figures) stay at hand for the evaluator's own
exploration: ``quality.missing_all(qn.tables)`` and the like.

These tables hold item-level answers: the executed notebook is a working file that goes to
``data/processed/<session>/`` (``fac-eval quality SESSION``), never to ``reports/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from fac_eval.analysis import quality
from fac_eval.core.formatting import MISSING, fmt_number, fmt_percent
from fac_eval.data import codebook as cb

from .i18n import N_, messages

#: Sections of the notebook: (heading, explanation) message ids.
SECTIONS: dict[str, tuple[str, str]] = {
    "problems": (N_("Validation problems"),
                 N_("The same problems as `fac-eval validate SESSION`, with file, row, column and "
                    "value.")),
    "missing": (N_("Missing answers per item"),
                N_("Items with at least one missing answer, per questionnaire.")),
    "distribution": (
        N_("Answer distribution, floor and ceiling effects"),
        N_("Answers per code of every item. A floor (ceiling) effect is more than %(share)s of "
           "the answers at the lowest (highest) code (Terwee et al. 2007): a ceiling effect at "
           "entry leaves little room to measure progress.")),
    "reliability": (
        N_("Internal consistency of the scales in this cohort"),
        N_("Cronbach's alpha with its %(level)s confidence interval (Feldt) and McDonald's omega "
           "(one-factor model, where it makes sense), reversed items recoded, next to the "
           "published reliability stored in the codebook.")),
    "straight_lining": (
        N_("Same answer to every item (straight-lining)"),
        N_("Respondents who gave the same answer to every item of a scale. On a scale with "
           "reversed items (Rosenberg) such answers contradict each other.")),
    "pairing": (
        N_("Entry/exit pairing and drop-outs"),
        N_("Who answered at entry and at exit, who dropped out, and the inconsistencies to check "
           "(an exit without an entry, an id missing from the profile, no exit and not marked as "
           "a drop-out).")),
}

#: Displayed headers of the tables' columns.
HEADERS: dict[str, str] = {
    "instrument": N_("Questionnaire"), "item": N_("Questionnaire item"), "label": N_("Question"),
    "n": N_("Answers"), "n_missing": N_("Missing"), "share_missing": N_("Share missing"),
    "n_invalid": N_("Outside the scale (left out)"),
    "floor": N_("At the lowest code"), "ceiling": N_("At the highest code"),
    "floor_effect": N_("Floor effect"), "ceiling_effect": N_("Ceiling effect"),
    "scale": N_("Scale"), "k": N_("Items"), "n_complete": N_("Complete respondents"),
    "alpha": N_("Cronbach's alpha"), "alpha_ci": N_("Confidence interval"),
    "omega": N_("McDonald's omega"), "omega_note": N_("Note on omega"),
    "published": N_("Published reliability"), "published_source": N_("Source"),
    "id": N_("Id"), "answer": N_("Answer"), "n_items": N_("Items answered"),
    "contradictory": N_("Contradictory (reversed items)"),
    "participants": N_("Participants"), "entry": N_("Entry"), "exit": N_("Exit"),
    "paired": N_("Paired"), "dropped_out": N_("Dropped out"), "problems": N_("To check"),
    "exit_pending": N_("Exit pending"),
    "in_profile": N_("In the profile"), "status": N_("Status"),
    "dropout_reason": N_("Drop-out reason"), "problem": N_("To check"),
    "file": N_("File"), "row": N_("Row"), "column": N_("Column"), "value": N_("Value"),
    "expected": N_("Expected"), "note": N_("Found"),
}

#: Words of :func:`fac_eval.analysis.quality.pairing` and :func:`fac_eval.analysis.quality.mcdonald_omega`.
CODES: dict[str, str] = {
    "exit without entry": N_("exit without entry"),
    "not in profile": N_("not in the profile"),
    "no exit, not marked as drop-out": N_("no exit, not marked as a drop-out"),
    "exit pending": N_("exit pending: not collected yet (interim session)"),
    "fewer than 3 items": N_("fewer than 3 items"),
    "not more complete respondents than items": N_("not more complete respondents than items"),
    "an item has the same answer for everyone": N_("an item has the same answer for everyone"),
    "factor model could not be estimated": N_("the factor model could not be estimated"),
    "Heywood case": N_("Heywood case: in the one-factor maximum-likelihood fit, the uniqueness of "
                       "%(items)s falls to 0 (standardised loading %(loading)s, the most possible);"
                       " omega is not shown (—). On that improper solution it would be "
                       "%(omega)s."),
    "fit did not converge: read with care": N_("the fit did not converge: read with care"),
}

POPULATIONS = {"learners": N_("learners"), "founders": N_("founders")}


#: A formatted figure of a table (a number, a percentage, an interval, the missing mark).
_FIGURE = re.compile(r"[\[\]0-9.,;:%\s\u00a0\u202f−]+|—")


class Table(pd.DataFrame):
    """A table of the notebook, shown whole: no text cut at pandas' 50 characters (the note on
    a Heywood case, the published source), no pandas index; in HTML through a Jinja2 template
    (``templates/quality_table.j2``), as text through :meth:`pandas.DataFrame.to_string`. A
    slice or a computation on it is a plain DataFrame again."""

    lang = "fr"  # the language of the HTML's typography (French spaces), set by the notebook
    note = ""  # a sentence shown under the table (an interim session's pending exit)
    _metadata = ["lang", "note"]

    @property
    def _constructor(self):
        return pd.DataFrame

    def _repr_html_(self) -> str:
        from .render import render

        def number(v) -> bool:
            return isinstance(v, (int, float)) and not isinstance(v, bool)

        def figure(v) -> bool:  # a count, a formatted figure (0,804, 15 %, [0,57 ; 0,94]), —
            return number(v) or bool(_FIGURE.fullmatch(str(v)))

        # figures right-aligned: a column of them (an empty cell aside), texts left
        numeric = [i for i in range(self.shape[1])
                   if any(figure(v) for v in self.iloc[:, i])
                   and all(figure(v) or v == "" for v in self.iloc[:, i])]
        rows = [["" if v is None else str(v) for v in row]
                for row in self.itertuples(index=False, name=None)]
        return str(render("quality_table.j2", self.lang, headers=[str(c) for c in self.columns],
                          rows=rows, numeric=numeric, note=self.note))

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None, "display.max_columns", None,
                               "display.width", None, "display.max_rows", None):
            text = self.to_string(index=False)
        return f"{text}\n\n{self.note}" if self.note else text


class Markdown:
    """Markdown text that Jupyter displays as such (``text/markdown``) and prints as text."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def _check(session, lang, confidence, floor_ceiling) -> dict[str, Any]:
    """The notebook's parameters checked against their declared schema
    (:data:`fac_eval.data.parameters.QUALITY_SCHEMA`): every problem listed, the common message."""
    from fac_eval.data import parameters

    return parameters.check_report_parameters(session=session, lang=lang, confidence=confidence,
                                              floor_ceiling=floor_ceiling)


@dataclass
class QualityNotebook:
    """One session's data-quality look, in ``lang``; each method is one cell of the notebook."""

    session: str
    lang: str = "fr"
    confidence: float = 0.95
    floor_ceiling: float = quality.FLOOR_CEILING_SHARE
    data: Any = field(init=False, repr=False)
    problems_found: list = field(init=False, repr=False)

    def __post_init__(self):
        from fac_eval.data import session_paths

        checked = _check(self.session, self.lang, self.confidence, self.floor_ceiling)
        self.session, self.lang = checked["session"], checked["lang"]
        self.confidence, self.floor_ceiling = checked["confidence"], checked["floor_ceiling"]
        self.data, self.problems_found = quality.load_session(
            session_paths.raw_session_dir(self.session, lang=self.lang))

    # ---- words ---------------------------------------------------------------------------
    def _(self, message: str, **values) -> str:
        return messages(self.lang)._(message, **values)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The session's tables as read (instrument name -> DataFrame)."""
        return self.data.tables

    def _num(self, x, decimals: int = 2) -> str:
        return MISSING if x is None or pd.isna(x) else fmt_number(float(x), self.lang, decimals)

    def _pct(self, x) -> str:
        return MISSING if x is None or pd.isna(x) else fmt_percent(float(x), self.lang)

    def _share(self, x) -> str:
        """A floor or ceiling share, with a decimal more whenever the rounded figure would read
        as the threshold itself (15,4 % flagged above 15 % is not shown as "15 %")."""
        if x is None or pd.isna(x):
            return MISSING
        decimals = 0
        while decimals < 3 and x != self.floor_ceiling and \
                round(100 * x, decimals) == round(100 * self.floor_ceiling, decimals):
            decimals += 1
        return fmt_percent(float(x), self.lang, decimals)

    def _yes(self, x) -> str:
        if x is None or x is pd.NA or (isinstance(x, float) and pd.isna(x)):
            return ""
        return self._("yes") if bool(x) else self._("no")

    def _instrument(self, name: str) -> str:
        # the follow-up's real delay from session.yml ("Suivi à 3 mois"), never "N mois"
        return cb.instrument_label(name, self.lang, self.data.meta.get("followup_months"))

    def _item(self, name: str) -> str:
        try:
            return cb.find_item(name).label(self.lang)
        except KeyError:
            return name

    def _choice(self, instrument: str, item: str, code) -> str:
        """The answer label of ``code`` in the notebook's language (the code itself if unknown)."""
        if code is None or code is pd.NA or (isinstance(code, float) and pd.isna(code)):
            return ""
        try:
            choice = next(c for c in cb.INSTRUMENTS[instrument].item(item).choices
                          if str(c.code) == str(code))
        except (KeyError, StopIteration):
            return str(code)
        return choice.label_en if self.lang == "en" else choice.label_fr

    def _show(self, df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        out = df[columns].copy().astype(object)
        out = out.where(out.notna(), "")  # an empty cell shows empty, not None or NaN
        out.columns = [self._(HEADERS[c]) for c in columns]
        table = Table(out.reset_index(drop=True))
        table.lang = self.lang
        return table

    def _none(self, message: str) -> Markdown:
        return Markdown(f"*{self._(message)}*")

    # ---- headings ------------------------------------------------------------------------
    def title(self) -> Markdown:
        """The notebook's title, what it is for, and what was read."""
        n_files, n_problems = len(self.tables), len(self.problems_found)
        words = messages(self.lang)
        read = words.ngettext("%(num)s file read", "%(num)s files read", n_files)
        probs = words.ngettext("%(num)s validation problem", "%(num)s validation problems",
                               n_problems)
        return Markdown("\n\n".join([
            "# " + self._("Data quality of session %(session)s", session=self.session),
            self._("**The evaluator's working file**: it shows answers item by item. Its executed "
                   "copy goes to `data/processed/<session>/` (`fac-eval quality SESSION`), never "
                   "to `reports/`, and is not for publication."),
            self._("%(read)s; %(problems)s.", read=read, problems=probs),
        ]))

    def heading(self, section: str) -> Markdown:
        """``## heading`` and its explanation, for one of :data:`SECTIONS`."""
        head, text = SECTIONS[section]
        values = {"share": fmt_percent(self.floor_ceiling, self.lang),
                  "level": fmt_percent(self.confidence, self.lang, 1 if self.confidence * 100 % 1
                                       else 0)}
        return Markdown(f"## {self._(head)}\n\n{self._(text, **values)}")

    # ---- tables --------------------------------------------------------------------------
    def problems(self):
        """The validation problems, or a sentence when there is none."""
        if not self.problems_found:
            return self._none(N_("No validation problem."))
        df = quality.problems_table(self.problems_found, self.lang)
        # a row number as the file shows it (2, never 2.0), else the workbook's cell (C7);
        # empty for a problem of a whole file
        df["row"] = [c if pd.isna(r) and isinstance(c, str) else "" if pd.isna(r) else str(r)
                     for r, c in zip(df["row"], df["cell"])]
        columns = ["file", "row", "column", "value", "expected"]
        if any(isinstance(n, str) and n for n in df["note"]):
            columns.append("note")
        return self._show(df, columns)

    def missing(self):
        """Items with at least one missing answer."""
        df = quality.missing_all(self.tables, self.lang)
        df = df[df["n_missing"] > 0] if not df.empty else df
        if df.empty:
            return self._none(N_("No missing answer."))
        df = df.assign(instrument=df["instrument"].map(self._instrument),
                       share_missing=df["share_missing"].map(self._pct))
        return self._show(df, ["instrument", "item", "label", "n", "n_missing", "share_missing"])

    def distribution(self):
        """Answers per code of every ordinal item, with floor and ceiling effects."""
        df = quality.distribution_all(self.tables, threshold=self.floor_ceiling, lang=self.lang)
        if df.empty:
            return self._none(N_("No item answered on a scale."))
        codes = sorted((c for c in df.columns if str(c).isdigit()), key=int)
        df = df.assign(instrument=df["instrument"].map(self._instrument),
                       floor=df["floor"].map(self._share), ceiling=df["ceiling"].map(self._share),
                       floor_effect=df["floor_effect"].map(self._yes),
                       ceiling_effect=df["ceiling_effect"].map(self._yes))
        for c in codes:
            df[c] = df[c].map(lambda v: "" if pd.isna(v) else str(int(v)))
        shown = self._show(df, ["instrument", "item", "label", "n", "n_invalid", "floor",
                                "ceiling", "floor_effect", "ceiling_effect"])
        for c in codes:  # one column per answer code, after the answers' counts
            shown.insert(5 + codes.index(c), str(c), df[c].to_numpy())
        return shown

    def reliability(self):
        """Alpha (with its interval), omega and the published reliability of every scale."""
        df = quality.scale_reliability(self.tables, confidence=self.confidence, lang=self.lang)
        if df.empty:
            return self._none(N_("No multi-item scale in these files."))
        df = df.assign(
            instrument=df["instrument"].map(self._instrument),
            scale=df["label"], n_complete=df["n"], alpha=df["alpha"].map(lambda a: self._num(a, 3)),
            alpha_ci=[MISSING if pd.isna(lo) else
                      self._("[%(low)s, %(high)s]", low=self._num(lo, 3), high=self._num(hi, 3))
                      for lo, hi in zip(df["alpha_low"], df["alpha_high"])],
            omega=df["omega"].map(lambda o: self._num(o, 3)),
            omega_note=[self._omega_note(r) for r in df.itertuples()],
            published=df["published"].map(lambda p: self._num(p, 2)))
        return self._show(df, ["scale", "instrument", "k", "n_complete", "alpha", "alpha_ci",
                               "omega", "omega_note", "published", "published_source"])

    def _omega_note(self, row) -> str:
        """The note on a scale's omega in the notebook's language (a Heywood case says which
        items, their loading and the value on the improper solution)."""
        if row.instrument in self.data.pending:  # an interim session's exit: nobody yet
            return self._(CODES["exit pending"])
        if not row.omega_note:
            return ""
        return self._(CODES[row.omega_note], items=row.omega_items,
                      loading=self._num(row.omega_loading, 2), omega=self._num(row.omega_boundary, 3))

    def straight_lining(self):
        """Respondents with the same answer to every item of a scale."""
        df = quality.straight_lining_all(self.tables)
        if df.empty:
            return self._none(N_("Nobody gave the same answer to every item of a scale."))
        labels = {s.name: (s.label_en if self.lang == "en" else s.label_fr)
                  for s in cb.SCALES.values()}
        df = df.assign(instrument=df["instrument"].map(self._instrument),
                       scale=df["scale"].map(labels),
                       contradictory=df["contradictory"].map(self._yes))
        return self._show(df, ["instrument", "id", "scale", "answer", "n_items", "contradictory"])

    def _pairs(self, population: str) -> pd.DataFrame:
        return quality.pairing(self.tables, population, self.data.pending)

    def _exit_pending(self, population: str) -> bool:
        return f"{population}_exit" in self.data.pending

    def pairing_summary(self, population: str = "learners"):
        """Counts of participants, entry, exit, paired, drop-outs and cases to check (and, in
        an interim session, the exits not collected yet)."""
        pairs = self._pairs(population)
        if pairs.empty:
            return self._none(N_("Nobody in these files."))
        columns = ["participants", "entry", "exit", "paired", "dropped_out", "problems"]
        if self._exit_pending(population):
            columns.append("exit_pending")
        return self._show(quality.pairing_summary(pairs), columns)

    def _pending_note(self, population: str, waiting: int) -> str:
        """The interim session's exit questionnaire of ``population``: not collected yet, when
        it is expected, and how many participants wait for it (not drop-outs)."""
        from fac_eval.core.formatting import fmt_date
        from fac_eval.data import interim

        instrument = f"{population}_exit"
        when = dict(interim.pending_schedule(self.data.pending, self.data.meta)).get(instrument)
        name = interim.label(instrument, self.lang)
        head = (self._("Exit pending: the %(questionnaire)s is not collected yet (interim "
                       "session, expected from %(date)s).", questionnaire=name,
                       date=fmt_date(when, self.lang)) if when else
                self._("Exit pending: the %(questionnaire)s is not collected yet (interim "
                       "session).", questionnaire=name))
        count = messages(self.lang).ngettext(
            "%(num)s participant answered at entry and waits for it: not a drop-out.",
            "%(num)s participants answered at entry and wait for it: not drop-outs.", waiting)
        return f"{head} {count}" if waiting else head

    def pairing_problems(self, population: str = "learners"):
        """The participants whose pairing needs a look, or a sentence; in an interim session
        the exits not collected yet are said to be pending, not listed as missing."""
        pairs = self._pairs(population)
        waiting = int((pairs["problem"] == "exit pending").sum())
        note = self._pending_note(population, waiting) if self._exit_pending(population) else ""
        pairs = pairs[~pairs["problem"].isin(["", "exit pending"])]
        if pairs.empty:
            nothing = self._("Nothing to check in the pairing of the %(population)s.",
                             population=self._(POPULATIONS[population]))
            return Markdown("*" + (f"{note} {nothing}" if note else nothing) + "*")
        profile = f"{population}_profile"
        df = pairs.assign(
            status=pairs["status"].map(lambda c: self._choice(profile, "status", c)),
            dropout_reason=pairs["dropout_reason"].map(
                lambda c: self._choice(profile, "dropout_reason", c)))
        df = df.assign(
            in_profile=df["in_profile"].map(self._yes), entry=df["entry"].map(self._yes),
            exit=df["exit"].map(self._yes), problem=df["problem"].map(lambda p: self._(CODES[p])))
        table = self._show(df, ["id", "in_profile", "entry", "exit", "status", "dropout_reason",
                                "problem"])
        table.note = note
        return table
