"""The report's building blocks: each section of the HTML report as one call.

The notebook ``notebooks/rapport_evaluation.ipynb`` stays thin: it computes a session's results
(:func:`fac_eval.analysis.compute_session`), makes a :class:`Report` and displays its sections one
cell at a time. Every block returns an ``IPython.display.HTML`` object, so the same notebook reads
well in JupyterLab and exports to a self-contained HTML file (figures are inline PNG with alt
text; figures and tables are numbered with captions).

French is the default; ``lang="en"`` gives the English report.
"""

from __future__ import annotations

import datetime as _dt
import platform
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from . import codebook as cb
from . import narrative, plots, privacy
from .formatting import (fmt_ci, fmt_count, fmt_date, fmt_money, fmt_number, fmt_percent,
                         fmt_pvalue, plural)

STYLESHEET = Path(__file__).resolve().parent / "templates" / "report.css"


def stylesheet() -> str:
    """The report's CSS (inlined in the HTML head by the nbconvert template)."""
    return STYLESHEET.read_text(encoding="utf-8")


def esc(text) -> str:
    """Escape for HTML, keeping no-break spaces as character references."""
    from .formatting import french_spacing, html_text

    return html_text(french_spacing("" if text is None else text))


# --------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------

T = {
    "title": ("Évaluation de la session {name}", "Evaluation of session {name}"),
    "programme": ("Form'Ain Cube", "Form'Ain Cube"),
    "toc": ("Sommaire", "Contents"),
    "summary": ("Chiffres clés", "Key figures"),
    "public": ("Le programme et son public", "The programme and its participants"),
    "learners": ("Évolution des apprenants", "Learners' outcomes"),
    "declarations": ("Ce que déclarent les apprenants en fin de session",
                     "What learners say at the end of the session"),
    "founders": ("Les porteurs de projet", "The founders"),
    "followup": ("Suivi à {m} mois et sortie dynamique", "{m}-month follow-up and dynamic exits"),
    "testimonies": ("Témoignages", "Testimonies"),
    "claims": ("Concordance avec le bilan publié", "Agreement with the published assessment"),
    "methods": ("Méthodes et limites", "Methods and limits"),
    "provenance": ("Provenance", "Provenance"),
    "figure": ("Figure", "Figure"),
    "table": ("Tableau", "Table"),
    "kind.reconstructed": (
        "Les réponses individuelles ont été reconstituées à partir des "
        "résultats agrégés publiés ; elles reproduisent ces résultats mais ne sont pas les réponses "
        "réelles des participants.",
        "Individual answers were reconstructed from the published aggregate "
        "results; they reproduce those results but are not the participants' actual answers."),
    "kind.synthetic": (
        "Session fictive générée pour tester l'outil. Aucun de ces chiffres "
        "ne décrit des personnes réelles.",
        "A fictitious session generated to test the tool. None of these figures "
        "describe real people."),
    "kind.real": ("Réponses réelles des participants, pseudonymisées.",
                  "Participants' actual answers, pseudonymised."),
    "badge.reconstructed": ("Données reconstituées", "Reconstructed data"),
    "badge.synthetic": ("Données synthétiques", "Synthetic data"),
    "badge.real": ("Données réelles", "Real data"),
}


def t(key: str, lang: str = "fr", **kw) -> str:
    fr, en = T[key]
    return (en if lang == "en" else fr).format(**kw)


# --------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------

#: Short readings of a test's verdict for table cells (French, English).
VERDICT_WORDS = {
    "no_data": ("aucune paire", "no pair"),
    "not_testable": ("descriptif (effectif trop petit)", "descriptive (too few)"),
    "significant_improvement": ("amélioration établie", "established improvement"),
    "significant_deterioration": ("dégradation établie", "established deterioration"),
    "no_evidence": ("pas de preuve d'effet", "no evidence of change"),
    "descriptive": ("descriptif", "descriptive"),
}

SECTIONS = ("summary", "public", "learners", "founders", "followup", "testimonies", "claims",
            "methods", "provenance")
ANCHORS = {
    "summary": "chiffres-cles", "public": "public", "learners": "apprenants",
    "founders": "porteurs", "followup": "suivi", "testimonies": "temoignages",
    "claims": "concordance", "methods": "methodes", "provenance": "provenance",
}


@dataclass
class Report:
    """Builds the report of one session, numbering figures and tables as they are shown."""

    results: object  # fac_eval.analysis.SessionResults
    lang: str = "fr"
    min_cell: int = 3
    parameters: dict = field(default_factory=dict)
    generated_at: _dt.datetime | None = None
    _figures: int = 0
    _tables: int = 0

    def __post_init__(self):
        if self.lang not in ("fr", "en"):
            raise ValueError(f"lang must be 'fr' or 'en', not {self.lang!r}")
        self.generated_at = self.generated_at or _dt.datetime.now()

    # ---- helpers ---------------------------------------------------------------------------
    @property
    def en(self) -> bool:
        return self.lang == "en"

    def tr(self, fr: str, en: str) -> str:
        return en if self.en else fr

    def row(self, indicator: str) -> pd.Series:
        from .indicators import lookup

        return lookup(self.results.indicators, indicator)

    def label(self, row: pd.Series) -> str:
        return row["label_en"] if self.en else row["label_fr"]

    def note(self, row: pd.Series) -> str:
        return (row["note_en"] if self.en else row["note"]) or ""

    def section_title(self, key: str, **kw) -> str:
        n = SECTIONS.index(key) + 1
        return (f'<h2 id="{ANCHORS[key]}"><span class="secnum">{n}</span> '
                f'{esc(t(key, self.lang, **kw))}</h2>')

    def figure(self, fig, caption: str, alt: str) -> str:
        """A numbered figure: inline SVG (text kept as text, ``role="img"`` named by the alt
        text, see :func:`fac_eval.plots.figure_svg`) and a caption."""
        self._figures += 1
        svg = plots.figure_svg(fig, alt)
        head = f"{t('figure', self.lang)} {self._figures}"
        return (f'<figure class="fac-figure">{svg}'
                f'<figcaption><strong>{head}.</strong> {esc(caption)}</figcaption></figure>')

    def table(self, header: list[str], rows: list[list], caption: str, numeric: set[int] = frozenset(),
              note: str = "", raw_html_cols: set[int] = frozenset()) -> str:
        """A numbered table with a caption (cells escaped unless listed in ``raw_html_cols``)."""
        self._tables += 1
        head = f"{t('table', self.lang)} {self._tables}"
        th = "".join(f'<th scope="col"{" class=num" if i in numeric else ""}>{esc(h)}</th>'
                     for i, h in enumerate(header))
        body = []
        for r in rows:
            tds = []
            for i, v in enumerate(r):
                cls = ' class="num"' if i in numeric else ""
                content = v if i in raw_html_cols else esc(v)
                tds.append(f"<td{cls}>{content}</td>")
            body.append("<tr>" + "".join(tds) + "</tr>")
        foot = f'<p class="table-note">{esc(note)}</p>' if note else ""
        return (f'<div class="table-wrap"><table class="fac-table"><caption><strong>{head}.</strong> '
                f'{esc(caption)}</caption><thead><tr>{th}</tr></thead><tbody>{"".join(body)}'
                f'</tbody></table>{foot}</div>')

    def para(self, text: str, cls: str = "") -> str:
        c = f' class="{cls}"' if cls else ""
        return f"<p{c}>{esc(text)}</p>"

    def sentences(self, indicators: list[str], with_test: bool = False) -> str:
        items = []
        for ind in indicators:
            r = self.row(ind)
            s = narrative.share_sentence(r, self.lang, level=self.results.confidence)
            extra = (narrative.test_sentence(r, self.lang, self.results.alpha,
                                             level=self.results.confidence) if with_test else "")
            if extra:
                s = f"{esc(s)}<br><span class='test'>{esc(extra)}</span>"
            else:
                s = esc(s)
            items.append(f"<li>{s}</li>")
        return f'<ul class="findings">{"".join(items)}</ul>'

    # ---- sections --------------------------------------------------------------------------
    def header(self) -> HTML:
        r = self.results
        meta = r.meta
        kind = r.kind if r.kind in ("reconstructed", "synthetic") else "real"
        dates = ""
        if meta.get("start_date") and meta.get("end_date"):
            dates = self.tr(
                f"du {fmt_date(meta['start_date'], 'fr')} au {fmt_date(meta['end_date'], 'fr')}",
                f"{fmt_date(meta['start_date'], 'en')} to {fmt_date(meta['end_date'], 'en')}",
            )
        territory = meta.get("territory", "")
        # session.yml may give English versions: name_en, programme_en
        title = (self.en and meta.get("name_en")) or meta.get("name") or t("title", self.lang, name=r.name)
        subtitle = f"{dates}{' · ' if dates and territory else ''}{territory}"
        return self.header_html(self.tr("Rapport d'évaluation", "Evaluation report"), title,
                                subtitle, kind, t("badge." + kind, self.lang),
                                t("kind." + kind, self.lang),
                                (self.en and meta.get("programme_en")) or meta.get("programme") or "")

    def header_html(self, kicker: str, title: str, subtitle: str, kind: str, badge: str,
                    banner: str, programme: str = "") -> HTML:
        """Title block with the data-kind banner and the generation date (the only part of a
        report that differs between two runs on the same data)."""
        generated = fmt_date(self.generated_at, self.lang)
        prog = f'\n  <p class="programme">{esc(programme)}</p>' if programme else ""
        return HTML(f"""
<header class="fac-header">
  <p class="kicker">{esc(kicker)}</p>
  <h1>{esc(title)}</h1>
  <p class="subtitle">{esc(subtitle)}</p>{prog}
  <div class="banner banner-{kind}" role="note">
    <span class="badge">{esc(badge)}</span>
    {esc(banner)}
  </div>
  <p class="generated">{esc(self.tr('Rapport généré le', 'Report generated on'))}
  <span class="timestamp">{esc(generated)}</span> {esc(self.tr('par fac-eval', 'by fac-eval'))}.</p>
</header>""")

    def toc_html(self, titles: list[tuple[str, str]]) -> HTML:
        """Table of contents from (anchor, title) pairs, numbered like the sections."""
        items = "".join(f'<li><a href="#{a}">{i}. {esc(title)}</a></li>'
                        for i, (a, title) in enumerate(titles, start=1))
        head = esc(t("toc", self.lang))
        return HTML(f'<nav class="toc" aria-label="{head}"><h2 class="toc-title">{head}</h2>'
                    f"<ol>{items}</ol></nav>")

    def toc(self) -> HTML:
        m = self.results.meta.get("followup_months", 3)
        return self.toc_html([(ANCHORS[k], t(k, self.lang, m=m)) for k in SECTIONS])

    def key_figures(self) -> HTML:
        """Cards with the headline figures, each "k sur n (p %)"."""
        cards = []
        picks = ["learners.enrolled", "learners.confidence.improved", "learners.self_esteem.improved",
                 "learners.autonomy.improved", "learners.digital_skills.improved",
                 "learners.value_skills.agree", "founders.developed", "followup.sortie_dynamique"]
        for ind in picks:
            r = self.row(ind)
            if ind.endswith(".enrolled"):
                nl, nf = int(r["numerator"]), int(self.row("founders.enrolled")["numerator"])
                big = f"{nl} + {nf}"
                text = self.tr(
                    f"{plural(nl, 'apprenant', 'apprenants')} et "
                    f"{plural(nf, 'porteur de projet', 'porteurs de projet')}",
                    f"{plural(nl, 'learner', 'learners', 'en')} and "
                    f"{plural(nf, 'founder', 'founders', 'en')}")
            elif r["verdict"] == "pending":
                big = self.tr("En attente", "Pending")
                text = f"{self.label(r)} — {self.note(r)}"
            elif pd.isna(r["denominator"]) or not r["denominator"]:
                big = "—"
                text = narrative.share_sentence(r, self.lang, with_ci=False)
            else:
                big = fmt_percent(r["value"], self.lang)
                text = narrative.share_sentence(r, self.lang, with_ci=False, with_percent=False)
            cards.append(f'<div class="card"><div class="big">{esc(big)}</div>'
                         f'<div class="what">{esc(text)}</div></div>')
        intro = self.tr(
            "Chaque chiffre est donné avec son effectif (« 7 sur 8 ») : avec si peu de personnes, "
            "un pourcentage seul serait trompeur.",
            "Every figure comes with its count (\"7 of 8\"): with so few people a percentage alone "
            "would mislead.")
        return HTML(self.section_title("summary") + self.para(intro, "lead")
                    + f'<div class="cards">{"".join(cards)}</div>')

    #: Short names of the sensitive shares when they are masked (privacy.SENSITIVE_SHARES).
    SENSITIVE_NAMES = {
        "learners.rqth": ("RQTH", "RQTH"),
        "learners.unemployed_over_24m": ("Recherche d'emploi depuis plus de 24 mois à l'entrée",
                                         "Unemployed for more than 24 months at entry"),
        "followup.digital_sector": ("Emploi ou formation dans le numérique (parmi les sorties "
                                    "dynamiques)", "Work or training in the digital sector "
                                    "(among dynamic exits)"),
    }

    def published_indicators(self) -> set[str]:
        """Indicators stated in the session's published assessment (claims.yml)."""
        claims = self.results.claims
        return set() if claims is None else set(claims["indicator"].astype(str))

    def sensitive_sentences(self, indicators: list[str]) -> str:
        """Like :meth:`sentences`, but a sensitive share (RQTH, long-term unemployment, digital
        sector) that would disclose individuals (:func:`privacy.share_is_disclosive`) is masked
        — unless the session's published assessment already states it (then shown, with a note)."""
        items = []
        published = self.published_indicators()
        for ind in indicators:
            r = self.row(ind)
            if privacy.share_is_disclosive(ind, r["numerator"], r["denominator"], self.min_cell):
                if ind not in published:
                    name = self.SENSITIVE_NAMES[ind][1 if self.en else 0]
                    items.append("<li>" + esc(self.tr(
                        f"{name} : effectif masqué (règle des petits effectifs).",
                        f"{name}: count hidden (small-cell rule).")) + "</li>")
                    continue
                s = narrative.share_sentence(r, self.lang, level=self.results.confidence)
                items.append(f"<li>{esc(s)}<br><span class='test'>" + esc(self.tr(
                    "Chiffre déjà publié dans le bilan.",
                    "Figure already published in the assessment.")) + "</span></li>")
                continue
            items.append(f"<li>{esc(narrative.share_sentence(r, self.lang, level=self.results.confidence))}</li>")
        return f'<ul class="findings">{"".join(items)}</ul>'

    def public(self) -> HTML:
        r = self.results
        c = r.clean
        m = r.meta.get("followup_months", 3)
        parts = [self.section_title("public")]
        parts.append(self.para(self.tr(
            "Form'Ain Cube associe une formation « Référent numérique en entreprise » pour des "
            "demandeurs d'emploi et un incubateur pour des porteurs de projet : les apprenants "
            "travaillent sur le volet numérique des entreprises réelles des porteurs.",
            "Form'Ain Cube combines a \"Digital referent in business\" course for job seekers and an "
            "incubator for founders: learners work on the digital side of the founders' real "
            "businesses.")))
        parts.append(self.sensitive_sentences(["learners.unemployed_over_24m", "learners.rqth",
                                               "learners.completed"]))
        # participant flow
        from .cleaning import flow_counts

        counts = flow_counts(c.learner_flow)
        fig = plots.participant_flow(counts, lang=self.lang, followup_months=m)
        not_collected = self.tr("non collecté", "not collected")
        alt = self.tr("Parcours des apprenants : ", "Learners' flow: ") + " ; ".join(
            f"{plots._t(self.lang, 'stage.' + s, months=m)} {(not_collected if pd.isna(n) else int(n))}"
            for s, n in zip(counts["stage"], counts["n"]))
        parts.append(self.figure(fig, self.tr(
            "Parcours des apprenants, de l'inscription au suivi. Chaque apprenant inscrit est compté "
            "à chaque étape atteinte ; les écarts sont expliqués dans le tableau suivant.",
            "Learners' flow from enrolment to follow-up. Every enrolled learner is counted at each "
            "stage reached; the gaps are explained in the next table."), alt))
        parts.append(self.exclusions_table())
        parts.append(self.profile_breakdown())
        return HTML("".join(parts))

    def exclusions_table(self) -> str:
        """Every learner of the raw data accounted for: why someone is not in the paired analyses."""
        flow = self.results.clean.learner_flow
        reasons = {
            "": ("Entrée et sortie renseignées (analysés)", "Entry and exit answered (analysed)"),
            "dropped_out": ("Abandon en cours de parcours", "Dropped out during the course"),
            "no_entry_questionnaire": ("Pas de questionnaire d'entrée", "No entry questionnaire"),
            "no_exit_questionnaire": ("Pas de questionnaire de sortie", "No exit questionnaire"),
        }
        counts = flow["exclusion"].value_counts()
        rows = []
        for code, (fr, en) in reasons.items():
            n = int(counts.get(code, 0))
            if n or code == "":
                rows.append([self.tr(fr, en), n])
        body = rows + [[self.tr("Total des apprenants inscrits", "Total enrolled learners"), len(flow)]]
        out = self.table(
            [self.tr("Situation", "Situation"), self.tr("Apprenants", "Learners")], body,
            self.tr("Tous les apprenants des données brutes, et la raison de chaque exclusion des "
                    "analyses appariées.",
                    "All learners of the raw data, and the reason for each exclusion from the paired "
                    "analyses."), numeric={1},
            note=self.tr("Effectifs de participation de la cohorte : ils ne sont pas masqués, pour "
                         "que chaque personne inscrite soit comptée ; les motifs d'abandon, eux, "
                         "suivent la règle des petits effectifs.",
                         "Participation counts of the cohort: not hidden, so that every enrolled "
                         "person is accounted for; reasons for dropping out follow the small-cell "
                         "rule."))
        dropped = flow[flow["status"] == "dropped_out"]
        if 0 < len(dropped) < self.min_cell:
            # with so few drop-outs any reason table (even masked) tells someone's reason
            out += self.para(self.tr(
                f"Motifs d'abandon non publiés : moins de {self.min_cell} abandons.",
                f"Reasons for dropping out not published: fewer than {self.min_cell} drop-outs."),
                "small")
        elif len(dropped):
            item = cb.LEARNERS_PROFILE.item("dropout_reason")
            reasons_rows = [[c.label_en if self.en else c.label_fr,
                             int((dropped["dropout_reason"] == c.code).sum())] for c in item.choices]
            unknown = int(dropped["dropout_reason"].isna().sum())
            if unknown:
                reasons_rows.append([self.tr("Non renseigné", "Not given"), unknown])
            table = pd.DataFrame(reasons_rows, columns=["what", "n"])
            # zeros hidden too, one marker: hidden cells cannot be pinned down by the total
            safe = privacy.suppress_small_cells(table, ["n"], min_cell=self.min_cell, lang=self.lang,
                                                suppress_zeros=True, marker=self.hidden_marker)
            body = [[w, v] for w, v in zip(safe.table["what"], safe.table["n"])]
            body.append([self.tr("Total des abandons", "Total drop-outs"), len(dropped)])
            out += self.table([self.tr("Motif d'abandon", "Reason for dropping out"),
                               self.tr("Apprenants", "Learners")], body,
                              self.tr("Motifs d'abandon déclarés.", "Reasons given for dropping out."),
                              numeric={1}, note=self.suppression_note(safe))
        return out

    @property
    def hidden_marker(self) -> str:
        """The one text of every hidden cell in published tables ("masqué" / "hidden")."""
        return privacy.HIDDEN_MARKER["en" if self.en else "fr"]

    def suppression_note(self, safe) -> str:
        if not safe.mask.to_numpy().any():
            return ""
        shown = safe.table[list(safe.mask.columns)].astype(str)
        if not (shown == f"< {self.min_cell}").to_numpy().any():  # one marker for every hidden cell
            return self.tr(
                f"« masqué » : case de moins de {self.min_cell} personnes (zéro compris), ou case "
                f"masquée en complément pour qu'on ne puisse pas la retrouver par différence ; les "
                f"deux cas ne sont volontairement pas distingués (règle du secret statistique).",
                f"\"hidden\": a cell of fewer than {self.min_cell} people (zero included), or a cell "
                f"hidden so that it cannot be recomputed by subtraction; the two cases are "
                f"deliberately not told apart (statistical confidentiality rule).")
        return self.tr(
            f"« < {self.min_cell} » : effectif inférieur à {self.min_cell}, masqué pour protéger "
            f"l'anonymat (règle du secret statistique) ; « masqué » : case masquée pour qu'on ne "
            f"puisse pas la retrouver par différence.",
            f"\"< {self.min_cell}\": fewer than {self.min_cell}, hidden to protect anonymity "
            f"(statistical confidentiality rule); \"hidden\": cell hidden so it cannot be recomputed "
            f"by subtraction.")

    def profile_breakdown(self) -> str:
        """Gender, age band, education (the indicator table's breakdown rows), small cells hidden."""
        ind = self.results.indicators
        rows = ind[ind["section"] == "profile_breakdown"]
        fields = rows["indicator"].str.split(".").str[1]
        shown, notes = [], []
        for field_name, group in rows.groupby(fields, sort=False):
            item = cb.LEARNERS_PROFILE.item(field_name)
            cats = [self.label(rw).split(": ", 1)[-1].split(" : ", 1)[-1] for _, rw in group.iterrows()]
            counts = [int(v) for v in group["numerator"]]
            missing = int(group["n_missing"].iloc[0])
            if missing:  # non-response is a cell of the breakdown too
                cats.append(self.tr("Non renseigné", "Not given"))
                counts.append(missing)
            # zeros hidden too (a shown 0 would pin down hidden cells), one marker for all
            safe = privacy.suppress_small_cells(pd.DataFrame({"n": counts}), ["n"],
                                                min_cell=self.min_cell, lang=self.lang,
                                                suppress_zeros=True, marker=self.hidden_marker)
            notes.append(self.suppression_note(safe))
            shown += [[item.label(self.lang), c, v] for c, v in zip(cats, safe.table["n"])]
        return self.table(
            [self.tr("Caractéristique", "Characteristic"), self.tr("Modalité", "Category"),
             self.tr("Apprenants", "Learners")], shown,
            self.tr("Profil des apprenants à l'entrée (effectifs).", "Learners' profile at entry (counts)."),
            numeric={2}, note=next((n for n in notes if n), ""))

    def learners(self) -> HTML:
        r = self.results
        parts = [self.section_title("learners")]
        P = r.clean.learner_pairs
        n_pairs = int(P[P["outcome"] == cb.LEARNER_OUTCOMES[0]].dropna(subset=["entry", "exit"]).shape[0])
        parts.append(self.para(self.tr(
            "Les apprenants ont répondu au même questionnaire à l'entrée et à la sortie. Pour chaque "
            "dimension, on compte les personnes en progrès, puis on teste si l'évolution du groupe "
            "dépasse ce que le hasard produirait.",
            "Learners answered the same questionnaire at entry and at exit. For each dimension we "
            "count who improved, then test whether the group's change exceeds what chance would "
            "produce.")))
        parts.append(self.para(narrative.significance_threshold_sentence(n_pairs, r.alpha, self.lang),
                               "callout"))
        inds = [f"learners.{o}.improved" for o in cb.LEARNER_OUTCOMES]
        parts.append(self.sentences(inds, with_test=True))
        fig = plots.paired_change(P, list(cb.LEARNER_OUTCOMES), lang=self.lang)
        alt = "; ".join(
            f"{self.label(self.row(i))} {fmt_count(int(self.row(i)['numerator']), int(self.row(i)['denominator']), self.lang)}"
            for i in inds if pd.notna(self.row(i)["denominator"]) and self.row(i)["denominator"])
        if plots.paired_change_summarised(P, list(cb.LEARNER_OUTCOMES)):  # large group: bands
            caption = self.tr(
                "Scores à l'entrée et à la sortie : répartition des apprenants (bande foncée : la "
                "moitié centrale ; bande claire : 80 % central) ; le trait épais noir relie les "
                "médianes du groupe. Les effectifs en progrès, stables et en recul sont sous chaque "
                "graphique.",
                "Scores at entry and exit: distribution of the learners (dark band: the middle "
                "half; light band: the middle 80 %); the thick black line joins the group's "
                "medians. The numbers improved, unchanged and worse are below each chart.")
        else:
            caption = self.tr(
                "Scores à l'entrée et à la sortie : une ligne par apprenant (bleue en progrès, grise "
                "stable, orange en recul) ; le trait épais noir relie les médianes du groupe.",
                "Scores at entry and exit: one line per learner (blue improved, grey unchanged, orange "
                "worse); the thick black line joins the group's medians.")
        parts.append(self.figure(fig, caption, alt))
        parts.append(self.tests_table(inds, self.tr(
            "Évolution entre l'entrée et la sortie : effectifs, test exact de Wilcoxon apparié et "
            f"valeur p {self.holm_scope(inds)}.",
            "Change between entry and exit: counts, exact paired Wilcoxon test and p-value "
            f"{self.holm_scope(inds)}.")))
        rc = [i for i in self.results.indicators["indicator"] if i.endswith(".reliable_improvement")
              and i.startswith("learners.")]
        if rc:
            parts.append(f"<h3>{esc(self.tr('Changement individuel fiable', 'Reliable individual change'))}</h3>")
            parts.append(self.sentences(rc))
            parts.append(self.para(self.note(self.row(rc[0])), "small"))
        # declarations
        parts.append(f"<h3>{esc(t('declarations', self.lang))}</h3>")
        dec = [f"learners.{i}.agree" for i in cb.LEARNER_DECLARATION_ITEMS]
        parts.append(self.sentences(dec))
        fig = plots.likert_diverging(r.clean.learner_declarations, list(cb.LEARNER_DECLARATION_ITEMS),
                                     lang=self.lang)
        alt = "; ".join(f"{self.label(self.row(i))} "
                        f"{fmt_count(int(self.row(i)['numerator']), int(self.row(i)['denominator']), self.lang)}"
                        for i in dec if self.row(i)["denominator"])
        parts.append(self.figure(fig, self.tr(
            "Réponses des apprenants aux affirmations de fin de session (nombre de personnes ; à "
            "droite de l'axe central, les réponses « d'accord »).",
            "Learners' answers to the end-of-session statements (number of people; right of the "
            "centre line, the \"agree\" answers)."), alt))
        return HTML("".join(parts))

    def tests_table(self, inds: list[str], caption: str) -> str:
        rows = []
        for i in inds:
            r = self.row(i)
            if pd.isna(r["denominator"]) or not r["denominator"]:
                continue
            k, n = int(r["numerator"]), int(r["denominator"])
            hl = ""
            if pd.notna(r["effect"]):
                hl = fmt_number(r["effect"], self.lang, 1)
                if pd.notna(r["effect_ci_low"]):
                    hl += f" [{fmt_number(r['effect_ci_low'], self.lang, 1)} ; {fmt_number(r['effect_ci_high'], self.lang, 1)}]" \
                        if not self.en else f" [{fmt_number(r['effect_ci_low'], 'en', 1)}, {fmt_number(r['effect_ci_high'], 'en', 1)}]"
            verdict = self.tr(*VERDICT_WORDS.get(r["verdict"], ("", "")))
            rows.append([
                self.label(r).split(" : ")[0].split(": ")[0],
                fmt_count(k, n, self.lang),
                fmt_ci(r["ci_low"], r["ci_high"], self.lang, level=self.results.confidence).split(": ")[-1].split(" : ")[-1],
                hl or "—",
                p_cell(r["p_value"], self.lang),
                p_cell(r["p_adjusted"], self.lang),
                verdict,
            ])
        level = self.results.confidence
        header = [self.tr("Dimension", "Outcome"), self.tr("En progrès", "Improved"),
                  self.tr(f"IC {fmt_percent(level, 'fr')}", f"{fmt_percent(level, 'en')} CI"),
                  self.tr("Évolution typique [IC]", "Typical change [CI]"),
                  self.tr("p brute", "raw p"), self.tr("p ajustée (Holm)", "p (Holm)"),
                  self.tr("Lecture", "Reading")]
        return self.table(header, rows, caption, numeric={1, 2, 3, 4, 5}, note=self.tr(
            "Évolution typique : estimateur de Hodges-Lehmann du décalage entre entrée et sortie, en "
            f"points de l'échelle, avec son intervalle de confiance exact à {fmt_percent(level, 'fr')}. ",
            "Typical change: Hodges-Lehmann estimate of the entry-to-exit shift, in scale points, "
            f"with its exact {fmt_percent(level, 'en')} confidence interval. ")
            + self.holm_note(inds))

    def _dimension(self, row: pd.Series) -> str:
        return self.label(row).split(" : ")[0].split(": ")[0]

    def holm_family(self, inds: list[str]) -> tuple[list[str], list[str]]:
        """(outcomes in the Holm family, outcomes left descriptive) among ``inds``, read from the
        indicator table: the family is every row of the same ``family`` with an adjusted p-value
        (only tests that can reach alpha are adjusted, see ``indicators.apply_holm``)."""
        table = self.results.indicators
        shown = table[table["indicator"].isin(inds)]
        families = set(shown.loc[shown["p_adjusted"].notna(), "family"])
        members = table[table["family"].isin(families) & table["p_adjusted"].notna()]
        tested = [self._dimension(r) for _, r in members.iterrows()]
        descriptive = [self._dimension(r) for _, r in shown.iterrows()
                       if r["verdict"] == "not_testable"]
        return tested, descriptive

    def holm_scope(self, inds: list[str]) -> str:
        """"ajustée (Holm) sur les 4 dimensions testables" (counted from the table)."""
        n = len(self.holm_family(inds)[0])
        if n == 0:
            return self.tr("sans ajustement de Holm (aucune dimension testable)",
                           "without Holm adjustment (no testable outcome)")
        if n == 1:
            return self.tr("ajustée (Holm) sur la seule dimension testable",
                           "Holm-adjusted over the only testable outcome")
        return self.tr(f"ajustée (Holm) sur les {n} dimensions testables",
                       f"Holm-adjusted over the {n} testable outcomes")

    def holm_note(self, inds: list[str]) -> str:
        """Which outcomes form the Holm family, and which stay descriptive outside it."""
        tested, descriptive = self.holm_family(inds)
        a_fr, a_en = fmt_percent(self.results.alpha, "fr"), fmt_percent(self.results.alpha, "en")
        if tested:
            text = self.tr(
                f"Famille de l'ajustement de Holm ({plural(len(tested), 'dimension testable', 'dimensions testables')}, "
                f"dont le test peut atteindre le seuil de {a_fr}) : {', '.join(tested)}.",
                f"Holm family ({plural(len(tested), 'testable outcome', 'testable outcomes', 'en')}, "
                f"whose test can reach {a_en}): {', '.join(tested)}.")
        else:
            text = self.tr(f"Aucune dimension ne peut atteindre le seuil de {a_fr} : pas "
                           f"d'ajustement de Holm.",
                           f"No outcome can reach {a_en}: no Holm adjustment.")
        if descriptive:
            text += self.tr(
                f" Hors ajustement, descriptives (trop peu de paires non nulles pour atteindre le "
                f"seuil) : {', '.join(descriptive)}.",
                f" Outside the adjustment, descriptive (too few non-zero pairs to reach the "
                f"threshold): {', '.join(descriptive)}.")
        return text

    def founders(self) -> HTML:
        r = self.results
        parts = [self.section_title("founders")]
        n = int(self.row("founders.enrolled")["numerator"])
        parts.append(self.para(self.tr(
            f"{plural(n, 'porteur de projet a été accompagné', 'porteurs de projet ont été accompagnés')}"
            f" ; les apprenants ont travaillé sur le volet numérique de leur entreprise.",
            f"{plural(n, 'founder was', 'founders were', 'en')} supported; the learners worked on the "
            f"digital side of their businesses.")))
        inds = ["founders.stage_creation", "founders.business_created", "founders.revenue_up",
                "founders.developed", "founders.digital_culture_gained",
                "founders.digital_culture_ceiling", "founders.time_saved",
                "founders.leadership_skills.improved"]
        parts.append(self.sentences(inds))  # the ceiling has its own sentence in this list
        fig_rows = self.results.indicators[self.results.indicators["indicator"].isin(
            ["founders.developed", "founders.digital_culture_gained", "founders.time_saved",
             "founders.leadership_skills.improved", "founders.digital_culture.improved",
             "founders.internal_communication.improved", "founders.management.improved"])]
        fig_rows = fig_rows[fig_rows["denominator"].fillna(0) > 0]
        if len(fig_rows):
            level = r.confidence
            fig = plots.share_bars(fig_rows, lang=self.lang, confidence=level)
            alt = "; ".join(f"{self.label(rw)} {fmt_count(int(rw['numerator']), int(rw['denominator']), self.lang)}"
                            for _, rw in fig_rows.iterrows())
            parts.append(self.figure(fig, self.tr(
                "Porteurs de projet : part concernée par chaque résultat, avec son intervalle de "
                f"confiance exact à {fmt_percent(level, 'fr')} (très large avec si peu de personnes).",
                f"Founders: share concerned by each outcome, with its exact {fmt_percent(level, 'en')} "
                "confidence interval (very wide with so few people)."), alt))
        revenue = r.clean.founder_outcomes
        dev = revenue[revenue["stage"] == "development"].dropna(subset=["revenue_entry", "revenue_exit"])
        if 0 < len(dev) < self.min_cell:  # a sum over 1 or 2 businesses discloses their revenue
            parts.append(self.para(self.tr(
                f"Chiffre d'affaires cumulé non publié : moins de {self.min_cell} porteurs en "
                f"développement.",
                f"Combined revenue not published: fewer than {self.min_cell} founders developing a "
                f"business."), "small"))
        elif len(dev):
            total_in, total_out = dev["revenue_entry"].sum(), dev["revenue_exit"].sum()
            parts.append(self.para(self.tr(
                f"Chiffre d'affaires annuel cumulé des {len(dev)} porteurs en développement : "
                f"{fmt_money(total_in, 'fr')} à l'entrée, {fmt_money(total_out, 'fr')} à la sortie.",
                f"Combined annual revenue of the {len(dev)} founders developing a business: "
                f"{fmt_money(total_in, 'en')} at entry, {fmt_money(total_out, 'en')} at exit.")))
        outs = [f"founders.{o}.improved" for o in cb.FOUNDER_OUTCOMES]
        parts.append(self.tests_table(outs, self.tr(
            "Porteurs de projet : évolution entre l'entrée et la sortie sur chaque dimension.",
            "Founders: change between entry and exit on each dimension.")))
        if self._little_change():  # a reading of the data only: the reasons belong to the evaluators
            parts.append(self.para(self.tr(
                "La communication interne et le management ont peu évolué : un quart des porteurs "
                "au plus y progresse.",
                "Internal communication and management changed little: a quarter of the founders "
                "at most improved on them."), "small"))
        return HTML("".join(parts))

    def _little_change(self) -> bool:
        vals = [self.row(f"founders.{o}.improved")["value"] for o in ("internal_communication", "management")]
        return all(pd.notna(v) and v <= 0.25 for v in vals)

    def followup(self) -> HTML:
        r = self.results
        m = r.meta.get("followup_months", 3)
        parts = [self.section_title("followup", m=m)]
        row = self.row("followup.sortie_dynamique")
        parts.append(self.para(self.tr(
            "La sortie dynamique suit la définition de l'insertion par l'activité économique (IAE) : "
            "emploi durable (CDI, CDD ou intérim de 6 mois ou plus, fonction publique, création "
            "d'entreprise), emploi de transition (CDD ou intérim de moins de 6 mois, contrat aidé) et "
            "sorties positives (formation qualifiante, embauche dans une autre SIAE), rapportés à "
            "l'ensemble des sorties moins les sorties neutralisées.",
            "Dynamic exits follow the French IAE definition: lasting employment (permanent contract, "
            "fixed-term or temporary work of 6 months or more, civil service, business creation), "
            "transitional employment (under 6 months, subsidised contract) and positive exits "
            "(qualifying training, hiring by another SIAE), over all exits minus neutralised exits.")))
        if row["verdict"] == "pending":
            parts.append(f'<div class="pending" role="note"><strong>{esc(self.tr("En attente", "Pending"))}'
                         f'</strong> — {esc(self.note(row))} '
                         f'{esc(self.tr("Les indicateurs de suivi seront calculés dès que les réponses seront saisies dans followup.csv ; ils ne sont pas comptés comme nuls.", "Follow-up indicators will be computed as soon as the answers are entered in followup.csv; they are not counted as zero."))}</div>')
            return HTML("".join(parts))
        # digital sector: a sensitive share, masked when disclosive (privacy.share_is_disclosive)
        parts.append(self.sensitive_sentences(["followup.sortie_dynamique",
                                               "followup.sortie_dynamique_respondents",
                                               "followup.digital_sector"]))
        parts.append(self.para(self.note(row), "small"))
        # Rule (privacy.followup_detail_publishable): the accounting totals (followed up, no
        # news, neutralised — never a neutralised reason) and the dynamic exits k are exact;
        # "other" = respondents − neutralised − dynamic is a total too; the detail durable /
        # transition / positive only when each is 0 or >= min_cell, else only its total.
        ind = r.indicators.set_index("indicator")
        detail = list(privacy.FOLLOWUP_DETAIL)
        rest = ["followup.other", "followup.non_respondents", "followup.neutralised"]
        detail_ok = privacy.followup_detail_publishable(ind.loc[detail, "numerator"], self.min_cell)
        if detail_ok:
            sub = ind.loc[detail + rest].reset_index()
            fig = plots.followup_categories(sub, lang=self.lang)
            alt = "; ".join(f"{self.label(rw)} {int(rw['numerator'])}" for _, rw in sub.iterrows())
            parts.append(self.figure(fig, self.tr(
                f"Situation des apprenants {m} mois après la fin de la session.",
                f"Learners' situation {m} months after the end of the session."), alt))
            body = [[self.label(ind.loc[i]), int(ind.loc[i, "numerator"])] for i in detail]
        else:
            parts.append(self.para(self.tr(
                f"Le détail des sorties dynamiques (emploi durable, emploi de transition, sortie "
                f"positive) n'est pas publié : au moins une de ces catégories compte moins de "
                f"{self.min_cell} personnes. Seul leur total est donné.",
                f"The detail of dynamic exits (lasting employment, transitional employment, "
                f"positive exit) is not published: at least one of these categories has fewer "
                f"than {self.min_cell} people. Only their total is given."), "small"))
            body = [[self.tr("Sorties dynamiques (emploi durable, de transition, sortie positive)",
                             "Dynamic exits (lasting, transitional employment, positive exit)"),
                     int(ind.loc["followup.sortie_dynamique", "numerator"])]]
        body += [[self.label(ind.loc[i]), int(ind.loc[i, "numerator"])] for i in rest]
        body.append([self.tr("Apprenants suivis (tous les inscrits)",
                             "Learners followed up (every enrolled learner)"),
                     int(ind.loc["followup.neutralised", "denominator"])])
        parts.append(self.table([self.tr("Situation", "Situation"), self.tr("Apprenants", "Learners")],
                                body, self.tr("Répartition des situations au suivi (catégories IAE).",
                                              "Situations at follow-up (IAE categories)."),
                                numeric={1}, note=self.tr(
            f"Totaux de la cohorte, publiés tels quels comme les effectifs de participation : "
            f"apprenants suivis, sans nouvelles, sorties neutralisées (leurs motifs ne sont jamais "
            f"publiés), sorties dynamiques ; « autre situation » s'en déduit. Le détail des sorties "
            f"dynamiques n'est publié que si chacune de ses catégories compte 0 ou au moins "
            f"{self.min_cell} personnes.",
            f"Cohort totals, published as they are like participation counts: learners followed "
            f"up, without news, neutralised exits (their reasons are never published), dynamic "
            f"exits; \"other situation\" follows from them. The detail of dynamic exits is "
            f"published only when each of its categories has 0 or at least {self.min_cell} "
            f"people.")))
        return HTML("".join(parts))

    def testimonies(self) -> HTML:
        r = self.results
        parts = [self.section_title("testimonies")]
        T = r.clean.testimonies
        count = self.row("testimonies.count")
        if T is None or not len(T):
            parts.append(self.para(self.tr("Aucun témoignage recueilli.", "No testimony collected.")))
            return HTML("".join(parts))
        parts.append(self.para(self.tr(
            f"{int(count['numerator'])} témoignages ont été recueillis ; ils sont codés par thème "
            f"(liste de thèmes documentée, insensible aux accents et aux majuscules).",
            f"{int(count['numerator'])} testimonies were collected; they are coded by theme (a "
            f"documented list of themes, insensitive to accents and case).")))
        all_themes = r.indicators[r.indicators["indicator"].str.startswith("testimonies.theme.")]
        # small-cell rule: a theme raised by fewer than min_cell people is named, not counted
        themes_rows = all_themes[all_themes["numerator"] >= self.min_cell]
        rare = all_themes[(all_themes["numerator"] > 0) & (all_themes["numerator"] < self.min_cell)]
        if len(themes_rows):
            fig = plots.theme_bars(themes_rows, lang=self.lang)
            alt = "; ".join(f"{self.label(rw)} {int(rw['numerator'])}" for _, rw in themes_rows.iterrows())
            parts.append(self.figure(fig, self.tr(
                "Nombre de participants évoquant chaque thème dans leur témoignage.",
                "Number of participants mentioning each theme in their testimony."), alt))
        if len(rare):
            names = ", ".join(self.label(rw) for _, rw in rare.iterrows())
            parts.append(self.para(self.tr(
                f"Évoqués par moins de {self.min_cell} personnes (effectif masqué) : {names}.",
                f"Mentioned by fewer than {self.min_cell} people (count hidden): {names}."), "small"))
        n_consented = self.n_consented_quotes()
        quotes = self.quotes()
        if quotes:
            parts.append(f"<h3>{esc(self.tr('Paroles de participants', 'In their own words'))}</h3>")
            if len(quotes) < n_consented:  # a large session: a readable sample, said as such
                parts.append(self.para(self.tr(
                    f"{plural(n_consented, 'témoignage peut', 'témoignages peuvent')} être cités ; "
                    f"{plural(len(quotes), 'est reproduit', 'sont reproduits')} ci-dessous, pris à "
                    "intervalles réguliers dans l'ordre du recueil.",
                    f"{plural(n_consented, 'testimony', 'testimonies', 'en')} may be quoted; "
                    f"{fmt_number(len(quotes), 'en')} are shown below, taken at regular intervals in "
                    "the order of collection."), "small"))
            parts.append("".join(
                f'<blockquote class="quote"><p>« {esc(q)} »</p><footer>— {esc(who)}</footer></blockquote>'
                if not self.en else
                f'<blockquote class="quote"><p>“{esc(q)}”</p><footer>— {esc(who)}</footer></blockquote>'
                for q, who in quotes))
        not_quoted = len(T) - n_consented
        if not_quoted:
            parts.append(self.para(self.tr(
                f"{plural(not_quoted, 'témoignage', 'témoignages')} sans accord de citation : pris "
                f"en compte dans le codage des thèmes, non cités.",
                f"{plural(not_quoted, 'testimony', 'testimonies', 'en')} without consent to quote: "
                f"counted in the themes, not quoted."), "small"))
        return HTML("".join(parts))

    #: At most this many quotes are reproduced; beyond, an evenly spaced sample (said in the text).
    QUOTES_MAX = 20

    def _consented(self) -> pd.DataFrame:
        T = self.results.clean.testimonies
        keep = [bool(c) and not pd.isna(c) for c in T["consent_quote"]]
        return T[keep]

    def n_consented_quotes(self) -> int:
        return int(len(self._consented()))

    def quotes(self) -> list[tuple[str, str]]:
        """Consented quotes (at most :attr:`QUOTES_MAX`, evenly spaced in the order of
        collection), scrubbed of ids, names, e-mails and phone numbers."""
        T = self._consented()
        if len(T) > self.QUOTES_MAX:
            T = T.iloc[[(2 * i + 1) * len(T) // (2 * self.QUOTES_MAX) for i in range(self.QUOTES_MAX)]]
        out = []
        ids = self.results.participant_ids
        names = self.results.names
        for _, rw in T.iterrows():
            text = privacy.scrub_text(str(rw["text"]), names=names, participant_ids=ids, lang=self.lang)
            who = {"learners": self.tr("un·e apprenant·e", "a learner"),
                   "founders": self.tr("un·e porteur·se de projet", "a founder")}.get(rw["population"], "")
            out.append((text, who))
        return out

    def claims(self) -> HTML:
        r = self.results
        parts = [self.section_title("claims")]
        if r.claims is None:
            parts.append(self.para(self.tr(
                "Aucun bilan publié n'est associé à cette session (pas de fichier claims.yml).",
                "No published assessment is attached to this session (no claims.yml file).")))
            return HTML("".join(parts))
        table = r.claims
        if self.en:  # the stated and computed figures in the report's language
            from . import claims as claims_mod

            table = claims_mod.check_claims(
                r.indicators, claims_mod.load_claims(Path(r.path) / "claims.yml"), lang="en")
        ok = int(table["matches"].sum())
        n = len(table)
        parts.append(self.para(self.tr(
            f"Chaque affirmation chiffrée du bilan publié est recalculée à partir des données : "
            f"{fmt_count(ok, n, 'fr')} concordent.",
            f"Every quantitative statement of the published assessment is recomputed from the data: "
            f"{fmt_count(ok, n, 'en')} agree.")))
        rows = []
        for _, c in table.iterrows():
            mark = ('<span class="ok" aria-label="concorde">✓</span>' if c["matches"] else
                    '<span class="ko" aria-label="ne concorde pas">✗</span>')
            rows.append([c["text"], c["stated"], c["computed"], mark])
        parts.append(self.table(
            [self.tr("Affirmation publiée", "Published statement"), self.tr("Chiffre publié", "Published"),
             self.tr("Calculé", "Computed"), self.tr("Concordance", "Agrees")], rows,
            self.tr("Concordance entre le bilan publié et les données.",
                    "Agreement between the published assessment and the data."),
            numeric={1, 2}, raw_html_cols={3}))
        return HTML("".join(parts))

    def methods_list(self, items: list[tuple[str, str]]) -> str:
        """A definition list of (method, plain-language explanation)."""
        return '<dl class="methods">' + "".join(
            f"<dt>{esc(a)}</dt><dd>{esc(b)}</dd>" for a, b in items) + "</dl>"

    def methods(self) -> HTML:
        from .stats import min_attainable_p

        rel = cb.SCALES["self_esteem"]
        alpha = self.results.alpha
        few = next(n for n in range(1, 64) if min_attainable_p(n) <= alpha) - 1
        parts = [self.section_title("methods")]
        items_fr = [
            ("Effectifs avant pourcentages",
             "Tous les résultats sont donnés sous la forme « k sur n (p %) ». Les intervalles de "
             f"confiance à {fmt_percent(self.results.confidence, 'fr')} des proportions sont exacts "
             "(Clopper-Pearson) : ils disent quelle "
             "proportion serait plausible dans un groupe semblable ; avec 8 personnes ils sont larges."),
            ("Tests pour très petits effectifs",
             "Les évolutions entre l'entrée et la sortie sont testées par le test exact des rangs "
             "signés de Wilcoxon, calculé en énumérant exactement toutes les répartitions possibles, "
             "ex aequo et différences nulles compris. Aucune approximation par la loi normale."),
            ("Ce qu'un petit groupe permet",
             f"Avec {few} paires ou moins, aucun test bilatéral exact ne peut descendre sous "
             f"{fmt_percent(alpha)} : le rapport le dit et reste descriptif, au lieu de conclure à "
             f"une absence d'effet."),
            ("Plusieurs dimensions, une correction",
             "Quand plusieurs dimensions sont testées, les valeurs p sont ajustées par la méthode de "
             "Holm sur les seules dimensions dont le test peut atteindre le seuil (les autres restent "
             "descriptives) ; les deux valeurs sont affichées."),
            ("Taille de l'évolution",
             "L'évolution typique est l'estimateur de Hodges-Lehmann (la médiane des moyennes de "
             "paires de différences), avec un intervalle de confiance exact à "
             f"{fmt_percent(self.results.confidence, 'fr')}."),
            ("Changement individuel fiable",
             f"Pour l'estime de soi (échelle de Rosenberg, version française EES-10), l'indice de "
             f"changement fiable de Jacobson et Truax (1991) distingue un vrai changement de "
             f"l'imprécision de la mesure, avec la fidélité publiée (r = {fmt_number(rel.reliability, 'fr', 2)})."),
            ("Données manquantes",
             "Les tests portent sur les personnes ayant répondu aux deux questionnaires ; le nombre "
             "d'exclus est indiqué. Un score d'échelle est calculé au prorata si un seul item manque, "
             "sinon il est manquant. Rien n'est imputé."),
            ("Limites",
             "Les réponses sont déclaratives ; il n'y a pas de groupe de comparaison, donc les "
             "évolutions ne peuvent pas être attribuées au seul programme ; le groupe est très petit "
             "et les résultats ne se généralisent pas à un groupe plus grand."),
            ("Confidentialité",
             f"Le rapport ne montre que des agrégats. Dans les tableaux de répartition, les cases de "
             f"moins de {self.min_cell} personnes sont masquées (règle de l'INSEE), ainsi qu'une case "
             f"complémentaire si nécessaire ; toutes portent la même mention « masqué », pour qu'on "
             f"ne sache pas laquelle est la petite. Pour le profil (genre, âge, diplôme) et les "
             f"motifs d'abandon, les zéros sont masqués aussi, et les motifs ne sont publiés qu'à "
             f"partir de {self.min_cell} abandons. La part de personnes reconnues travailleurs "
             f"handicapées (RQTH), en recherche d'emploi depuis plus de 24 mois ou travaillant dans "
             f"le numérique est masquée quand elle désignerait moins de {self.min_cell} personnes "
             f"d'un côté ou de l'autre (et, pour la RQTH, quand elle vaut « tous » ou « aucun »), "
             f"sauf si le bilan publié de la session l'a déjà donnée. Au suivi, les totaux de la "
             f"cohorte (apprenants suivis, sans nouvelles, sorties neutralisées, sorties dynamiques) "
             f"sont exacts, jamais les motifs de neutralisation ; le détail des sorties dynamiques "
             f"(emploi durable, de transition, sortie positive) n'est publié que si chaque catégorie "
             f"compte 0 ou au moins {self.min_cell} personnes. Tous les apprenants inscrits sont "
             f"suivis : une personne absente du fichier de suivi (abandon compris) compte comme "
             f"sans nouvelles. Le chiffre d'affaires cumulé n'est donné qu'à partir de "
             f"{self.min_cell} porteurs. Les citations ne sont publiées qu'avec l'accord de leur "
             f"auteur, sans nom, courriel ni téléphone ; le rapport est vérifié automatiquement avant "
             f"publication."),
        ]
        items_en = [
            ("Counts before percentages",
             "Every result is given as \"k of n (p%)\". "
             f"{fmt_percent(self.results.confidence, 'en')} confidence intervals of proportions are "
             "exact (Clopper-Pearson): they show which share would be plausible in a similar group; "
             "with 8 people they are wide."),
            ("Tests for very small groups",
             "Entry-to-exit changes are tested with the exact Wilcoxon signed-rank test, computed by "
             "enumerating every possible arrangement exactly, ties and zero differences included. No "
             "normal approximation."),
            ("What a small group allows",
             f"With {few} pairs or fewer, no exact two-sided test can go below "
             f"{fmt_percent(alpha, 'en')}: the report says so and stays descriptive instead of "
             f"concluding there is no effect."),
            ("Several outcomes, one correction",
             "When several outcomes are tested, p-values are adjusted with Holm's method over the "
             "outcomes whose test can reach the threshold (the others stay descriptive); both are "
             "shown."),
            ("Size of the change",
             "The typical change is the Hodges-Lehmann estimate (median of pairwise averages of "
             f"differences), with an exact {fmt_percent(self.results.confidence, 'en')} confidence "
             "interval."),
            ("Reliable individual change",
             f"For self-esteem (Rosenberg scale, French EES-10) the Jacobson and Truax (1991) Reliable "
             f"Change Index separates real change from measurement error, using the published "
             f"reliability (r = {fmt_number(rel.reliability, 'en', 2)})."),
            ("Missing data",
             "Tests use the people who answered both questionnaires; the number excluded is shown. A "
             "scale score is prorated when one item is missing, otherwise it is missing. Nothing is "
             "imputed."),
            ("Limits",
             "Answers are self-reported; there is no comparison group, so changes cannot be "
             "attributed to the programme alone; the group is very small and results do not "
             "generalise to a larger group."),
            ("Confidentiality",
             f"The report shows aggregates only. In breakdown tables, cells of fewer than "
             f"{self.min_cell} people are hidden (INSEE rule), with a complementary cell where "
             f"needed; all are marked \"hidden\" alike, so that one cannot tell which is the small "
             f"one. For the profile (gender, age, education) and the reasons for dropping out, zeros "
             f"are hidden too, and reasons are published only from {self.min_cell} drop-outs. The "
             f"share of recognised disabled workers (RQTH), of people unemployed for more than 24 "
             f"months or working in the digital sector is hidden when it would point at fewer than "
             f"{self.min_cell} people on either side (and, for RQTH, when it is \"all\" or "
             f"\"none\"), unless the session's published assessment already gave it. At follow-up "
             f"the cohort totals (followed up, without news, neutralised, dynamic exits) are exact, "
             f"never the reasons for neutralisation; the detail of dynamic exits (lasting, "
             f"transitional employment, positive exit) is published only when each category has 0 "
             f"or at least {self.min_cell} people. Every enrolled learner is followed up: someone "
             f"absent from the follow-up file (drop-outs included) counts as without news. Combined "
             f"revenue is given only for {self.min_cell} founders or more. Quotes are published "
             f"only with their author's consent, without names, e-mails or phone numbers; the "
             f"report is checked automatically before publication."),
        ]
        parts.append(self.methods_list(items_en if self.en else items_fr))
        return HTML("".join(parts))

    def provenance_rows(self, params: dict) -> list[list[str]]:
        """Code version, parameters and software: the rows every report's provenance shares."""
        from . import __version__
        from .pipeline import git_commit

        return [
            [self.tr("Version du code", "Code version"), f"fac-eval {__version__}, commit {git_commit()}"],
            [self.tr("Paramètres", "Parameters"), ", ".join(
                f"{k} = {fmt_number(v, self.lang) if isinstance(v, float) else v}"
                for k, v in sorted(params.items()))],
            [self.tr("Logiciels", "Software"), software_versions()],
        ]

    def provenance_table(self, rows: list[list[str]]) -> HTML:
        return HTML(self.section_title("provenance") + self.table(
            [self.tr("Élément", "Item"), self.tr("Valeur", "Value")], rows,
            self.tr("Provenance du rapport : tout chiffre peut être recalculé à partir de ces éléments.",
                    "Report provenance: every figure can be recomputed from these.")))

    def provenance(self) -> HTML:
        r = self.results
        params = dict(self.parameters)
        params.setdefault("alpha", r.alpha)
        params.setdefault("min_cell", self.min_cell)
        kind = r.kind if r.kind in ("reconstructed", "synthetic") else "real"
        rows = [
            [self.tr("Session", "Session"), r.name],
            [self.tr("Nature des données", "Kind of data"), t("badge." + kind, self.lang)],
            [self.tr("Empreinte des données brutes (SHA-256)", "Raw data checksum (SHA-256)"), r.checksum],
        ]
        return self.provenance_table(rows + self.provenance_rows(params))


def software_versions() -> str:
    """"Python 3.11.7; pandas 3.1.1, numpy …": the versions a figure may depend on."""
    pkgs = []
    for name in ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn", "pandera",
                 "papermill", "nbconvert", "babel"):
        try:
            pkgs.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return f"Python {platform.python_version()}; " + ", ".join(pkgs)


def p_cell(p, lang: str = "fr") -> str:
    """A p-value for a table cell: "0,016", "< 0,001", "—" when there is none."""
    if pd.isna(p):
        return "—"
    return fmt_pvalue(p, lang).replace("p\u00a0=\u00a0", "").replace("p\u00a0<\u00a0", "<\u00a0")


def report_title_from_notebook(nb, lang: str = "fr") -> str:
    """The HTML <title>: the session name stored by the notebook in its metadata, if any."""
    params = {}
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            import ast

            try:
                tree = ast.parse(cell.source)
                for node in tree.body:
                    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                        params[node.targets[0].id] = node.value.value
            except SyntaxError:
                pass
    session = params.get("session", "")
    return t("title", lang, name=session) + " — Form'Ain Cube"
