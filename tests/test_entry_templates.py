"""Data-entry templates from the codebook: filled in French, they read back as the CSV data."""

from __future__ import annotations

import re

import pandas as pd
from conftest import REPO
from openpyxl import load_workbook

from fac_eval.data import codebook as cb
from fac_eval.data import entry_templates, io
from fac_eval.run import cli


def _label_of(item, value):
    if pd.isna(value):
        return None
    if item.type == "boolean":
        value = "yes" if bool(value) else "no"
    for c in item.choices:
        if c.code == value:
            return c.label_fr
    raise AssertionError((item.name, value))


def _cell(item, value):
    if item.choices:
        return _label_of(item, value)
    if pd.isna(value):
        return None
    if item.type == "date":
        return value.to_pydatetime()
    if item.type in ("integer",):
        return int(value)
    if item.type == "number":
        return float(value)
    return str(value)


def test_templates_filled_in_french_read_back_as_the_2022_data(tmp_path):
    folder = tmp_path / "demo"
    written = entry_templates.new_session(folder)
    assert (folder / "modeles" / "followup.xlsx") in written
    original = io.read_session(REPO / "data" / "raw" / "2022")
    (folder / "session.yml").write_bytes((REPO / "data" / "raw" / "2022" / "session.yml").read_bytes())
    for name, table in original.tables.items():
        inst = cb.INSTRUMENTS[name]
        path = folder / f"{name}.xlsx"
        wb = load_workbook(path)
        ws = wb.worksheets[0]
        headers = [c.value for c in ws[1]]
        assert headers == [it.label_fr for it in inst.items]  # French headers
        for r, (_, row) in enumerate(table.iterrows(), start=2):
            for j, item in enumerate(inst.items, start=1):
                ws.cell(row=r, column=j, value=_cell(item, row[item.name]))
        wb.save(path)
    again = io.read_session(folder)
    assert set(again.tables) == set(original.tables)
    for name in original.tables:
        pd.testing.assert_frame_equal(again.tables[name], original.tables[name], check_dtype=True)


def test_template_has_drop_downs_and_a_guide(tmp_path):
    path = entry_templates.write_instrument_template(cb.LEARNERS_PROFILE, tmp_path / "p.xlsx")
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    formulas = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert any("Listes" in f for f in formulas if f)
    lists = wb["Listes"]
    columns = {lists.cell(row=1, column=j).value: [lists.cell(row=i, column=j).value for i in range(2, 8)]
               for j in range(1, lists.max_column + 1)}
    assert columns["rqth"][:2] == ["Oui", "Non"]
    assert "Parcours terminé" in columns["status"]
    guide = wb["Guide"]
    assert guide.cell(row=2, column=2).value == "learner_id"


def test_new_session_command_refuses_an_existing_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FAC_EVAL_RAW", str(tmp_path))
    assert cli.main(["new-session", "2025"]) == 0
    assert (tmp_path / "2025" / "learners_profile.xlsx").exists()
    assert cli.main(["new-session", "2025"]) == 1
    assert "existe déjà" in capsys.readouterr().err


def _schema_keys(model, prefix=()):
    """Every key path the session.yml schema accepts below ``model`` (a pydantic model of
    :mod:`fac_eval.data.programme`), found by walking its fields' annotations."""
    import typing

    from pydantic import BaseModel

    from fac_eval.data import programme

    def models(annotation):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield annotation
        for arg in typing.get_args(annotation):
            yield from models(arg)

    out = []
    for name, field in model.model_fields.items():
        path = (*prefix, name)
        out.append(path)
        for sub in models(field.annotation):
            if sub is not programme.LocalText:  # a text: a string or {fr, en}, said once
                out.extend(p for p in _schema_keys(sub, path)  # a text's own keys beyond them
                           if not issubclass(sub, programme.LocalText)
                           or p[-1] not in programme.LocalText.model_fields)
    return out


def _lookup(doc, path):
    node = doc
    for key in path:
        if isinstance(node, list):
            node = node[0]
        assert isinstance(node, dict) and key in node, path
        node = node[key]
    return node


def test_the_session_guide_documents_every_key_the_schema_accepts(tmp_path):
    """The session.yml of `fac-eval new-session` documents, commented out, every optional key
    the validator accepts (io.META_OPTIONAL and, walked from the pydantic schema, every key of
    the funder's sections), each with what it is and an example; uncommented, the examples
    form a session.yml that validates, with indicator ids that exist."""
    import yaml

    from fac_eval.analysis import claims
    from fac_eval.data import programme

    schema = [(k,) for k in io.META_OPTIONAL] + _schema_keys(programme.Programme)
    assert {p[0] for p in schema} == set(io.META_OPTIONAL) | set(programme.SECTIONS)
    assert ("budget", "funders", "amount") in schema and ("activities", "missions") in schema
    for lang, word in (("fr", "heures de formation"), ("en", "hours of training")):
        folder = tmp_path / lang
        entry_templates.new_session(folder, lang=lang)
        text = (folder / "session.yml").read_text(encoding="utf-8")
        assert word in text and '{fr: "...", en: "..."}' in text
        head, guide = text.split("\n# ---", 1)
        guide_lines = guide.splitlines()[2:]
        assert all(line.startswith("# ") for line in guide_lines)
        uncommented = [line[2:] for line in guide_lines]
        doc = yaml.safe_load(head + "\n" + "\n".join(uncommented))
        for path in schema:
            value = _lookup(doc, path)
            assert value not in (None, "", [], {}), path  # an example for every key
            # the line before the key says what it is (a comment at the key's indentation)
            at = next(i for i, line in enumerate(uncommented)
                      if line.lstrip(" -").startswith(f"{path[-1]}:") or
                      (path[-1] == "perspectives" and line.startswith("perspectives:")))
            assert uncommented[at - 1].lstrip().startswith("# ") and \
                len(uncommented[at - 1].strip()) > 6, path
        filled = tmp_path / f"filled-{lang}"
        filled.mkdir()
        # the dates are placeholders until filled in (refused: tests/test_workbench_cli_round4.py)
        head = re.sub(r"(?m)^start_date: \S+$", "start_date: '2026-03-02'", head)
        head = re.sub(r"(?m)^end_date: \S+$", "end_date: '2026-06-26'", head)
        (filled / "session.yml").write_text(head + "\n" + "\n".join(uncommented) + "\n",
                                            encoding="utf-8")
        meta, problems = io.check_session_meta(filled)
        assert problems == [], problems
        assert meta["budget"]["total"] == 85000 and meta["notes"] == "Remarques libres sur la session"
        known = claims.indicator_catalogue()
        assert all(i in known for o in doc["objectives"] for i in o["indicators"])


def test_the_guide_names_the_english_titles_and_when_the_indicator_table_appears(tmp_path):
    """`name_en` and `programme_en` are documented; the indicator table the objectives' ids come
    from is named as `fac-eval run` writes it, in the guide's language, and said to appear only
    after a run; the guide's own header lines are in that language too."""
    from fac_eval.run.outputs import export_file

    for lang, words in (("fr", ("rapport en anglais", "après", "Clés facultatives")),
                        ("en", ("English report", "by a first", "Optional keys"))):
        guide = entry_templates.session_guide(lang)
        assert "# name_en: " in guide and "# programme_en: " in guide
        assert export_file("<session>", lang) in guide
        other = export_file("<session>", "en" if lang == "fr" else "fr")
        assert other not in guide
        line = next(x for x in guide.splitlines() if export_file("<session>", lang) in x)
        assert "reports/<session>/" in line and "fac-eval run" in line
        assert words[0] in guide and words[2] in guide.splitlines()[0]
        if lang == "fr":
            assert "écrit dans reports/<session>/ par un premier « fac-eval run »" in line
        else:
            assert "written in reports/<session>/ by a first \"fac-eval run\"" in line
