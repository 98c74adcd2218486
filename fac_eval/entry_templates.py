"""Data-entry templates generated from the codebook, and a new session folder.

``fac-eval new-session NAME`` creates ``data/raw/NAME/`` with a ``session.yml`` to complete and
one Excel workbook per instrument: French column headers (the labels the reader understands),
drop-down lists of the French answer labels for coded columns, number and date checks, and a
"Guide" sheet describing every column. Evaluators type answers in French; the reader maps them
back to codes. Nothing here is hand-maintained: change the codebook and the templates follow.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from . import codebook as cb

SESSION_TEMPLATE = {
    "name": "Form'Ain Cube — session {name}",
    "start_date": "2025-01-06",
    "end_date": "2025-05-02",
    "followup_months": 3,
    "programme": "Formation « Référent Numérique en Entreprise » et incubateur de porteurs de projet",
    "territory": "Bassin d'Ambérieu-en-Bugey (Ain)",
    "data_kind": "real",
    "notes": "",
}


def _choice_labels(item: cb.Item, lang: str) -> list[str]:
    return [c.label_en if lang == "en" else c.label_fr for c in item.choices]


def _describe(item: cb.Item, lang: str) -> str:
    en = lang == "en"
    if item.choices:
        return ("One of: " if en else "Une valeur parmi : ") + " ; ".join(_choice_labels(item, lang))
    if item.type == "date":
        return "Date (2025-03-14 or 14/03/2025)" if en else "Date (2025-03-14 ou 14/03/2025)"
    if item.type in ("integer", "number"):
        lo = "" if item.minimum is None else f"{item.minimum:g}"
        hi = "" if item.maximum is None else f"{item.maximum:g}"
        return (f"Number between {lo} and {hi}" if en else f"Nombre entre {lo} et {hi}")
    if item.type == "id":
        return ("Pseudonymous id (never a name): e.g. A01" if en
                else "Identifiant pseudonyme (jamais un nom) : par ex. A01")
    return "Free text (no names, e-mails or phone numbers)" if en else \
        "Texte libre (sans nom, courriel ni téléphone)"


def write_instrument_template(instrument: cb.Instrument, path: str | Path, lang: str = "fr",
                              rows: int = 60) -> Path:
    """One workbook: a data sheet with headers, drop-downs and checks, and a guide sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Saisie" if lang != "en" else "Data"
    lists = wb.create_sheet("Listes" if lang != "en" else "Lists")
    guide = wb.create_sheet("Guide")
    guide.append(["Colonne" if lang != "en" else "Column", "Nom technique" if lang != "en" else
                  "Technical name", "Obligatoire" if lang != "en" else "Required",
                  "Valeurs attendues" if lang != "en" else "Expected values", "Remarque" if lang !=
                  "en" else "Note"])
    list_col = 0
    for j, item in enumerate(instrument.items, start=1):
        letter = get_column_letter(j)
        cell = ws.cell(row=1, column=j, value=item.label(lang))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0B6E4F")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = max(14, min(40, len(item.label(lang)) * 0.6 + 8))
        rng = f"{letter}2:{letter}{rows + 1}"
        if item.choices:
            list_col += 1
            lletter = get_column_letter(list_col)
            labels = _choice_labels(item, lang)
            lists.cell(row=1, column=list_col, value=item.name)
            for i, lab in enumerate(labels, start=2):
                lists.cell(row=i, column=list_col, value=lab)
            dv = DataValidation(type="list",
                                formula1=f"={lists.title}!${lletter}$2:${lletter}${len(labels) + 1}",
                                allow_blank=True, showErrorMessage=True,
                                errorTitle="Valeur non prévue" if lang != "en" else "Unexpected value",
                                error=_describe(item, lang))
            ws.add_data_validation(dv)
            dv.add(rng)
        elif item.type in ("integer", "number") and item.minimum is not None:
            dv = DataValidation(type="whole" if item.type == "integer" else "decimal",
                                operator="between", formula1=f"{item.minimum:g}",
                                formula2=f"{item.maximum:g}", allow_blank=True,
                                showErrorMessage=True, error=_describe(item, lang))
            ws.add_data_validation(dv)
            dv.add(rng)
        elif item.type == "date":
            for r in range(2, rows + 2):
                ws.cell(row=r, column=j).number_format = "yyyy-mm-dd"
        guide.append([item.label(lang), item.name,
                      ("oui" if lang != "en" else "yes") if not item.nullable else
                      ("non" if lang != "en" else "no"),
                      _describe(item, lang), item.description])
    ws.freeze_panes = "A2"
    lists.sheet_state = "hidden"
    for col, width in zip("ABCDE", (50, 24, 12, 80, 50)):
        guide.column_dimensions[col].width = width
    path = Path(path)
    wb.save(path)
    return path


def new_session(folder: str | Path, name: str | None = None, lang: str = "fr") -> list[Path]:
    """Create a session folder with ``session.yml`` and one template workbook per instrument.

    The follow-up template is written to ``modeles/followup.xlsx``: move it next to the others
    once the follow-up has been collected. Refuses to touch an existing folder (raw data are
    immutable).
    """
    folder = Path(folder)
    if folder.exists():
        raise FileExistsError(
            f"Le dossier {folder} existe déjà : les données brutes ne sont jamais écrasées."
            if lang != "en" else f"{folder} already exists: raw data are never overwritten.")
    folder.mkdir(parents=True)
    meta = dict(SESSION_TEMPLATE)
    meta["name"] = meta["name"].format(name=name or folder.name)
    (folder / "session.yml").write_text(
        "# Session metadata: complete the dates, the programme and the territory.\n"
        "# data_kind: real (pseudonymised answers), reconstructed or synthetic.\n"
        "# Real sessions are ignored by git (see .gitignore): never commit them.\n"
        + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    written = [folder / "session.yml"]
    later = folder / "modeles"
    for inst in cb.INSTRUMENTS.values():
        # the follow-up is collected months after the end: its template waits in modeles/
        # (an empty follow-up file would read as a follow-up with no answer)
        target = later if inst.name == "followup" else folder
        target.mkdir(exist_ok=True)
        written.append(write_instrument_template(inst, target / f"{inst.name}.xlsx", lang=lang))
    return written
