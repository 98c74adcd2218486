"""The reports' message catalogs: every message of the code and the templates is translated in
both languages, plural forms included, and every translation fits its placeholders."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from conftest import REPO

from fac_eval.report import i18n
from fac_eval.report.i18n import Messages

#: The keywords of `make i18n` (Babel's defaults: _, gettext, ngettext, pgettext, N_ …, plus ours)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "N_": None, "NP_": (1, 2), "NC_": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sr]")  # argparse's messages use %(value)r too


def extracted() -> dict[tuple[str | None, object], str]:
    """(context, msgid) -> where, for every message found by the extraction of `make i18n`."""
    with open(REPO / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(REPO), method_map, options_map, keywords=KEYWORDS):
        found[(context, message)] = f"{filename}:{lineno}"
    return found


@pytest.fixture(scope="module")
def messages_in_code():
    found = extracted()
    assert len(found) > 250  # the reports' sentences, not an empty extraction
    return found


@pytest.fixture(scope="module", params=i18n.LANGS)
def catalog(request):
    with i18n.po_path(request.param).open("rb") as f:
        return request.param, read_po(f, locale=request.param)


def test_extraction_covers_python_and_templates(messages_in_code):
    where = " ".join(messages_in_code.values())
    assert ".j2:" in where and "session.py:" in where and "narrative.py:" in where
    assert "report/comparison.py:" in where and "report/session.py:" in where
    assert (None, "Counts before percentages") in messages_in_code  # a template's message
    assert (None, ("%(num)s learner", "%(num)s learners")) in messages_in_code  # a plural


def test_every_message_is_translated_in_both_catalogs(messages_in_code, catalog):
    lang, cat = catalog
    problems = []
    for (context, msgid), where in sorted(messages_in_code.items(), key=str):
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        entry = cat.get(key, context=context)
        if entry is None:
            problems.append(f"{where}: {key!r} is not in the {lang} catalog (run make i18n)")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if isinstance(msgid, tuple):
            if not entry.pluralizable:
                problems.append(f"{where}: {key!r} has no plural forms in the {lang} catalog")
            elif len(strings) != cat.num_plurals:
                problems.append(f"{where}: {key!r} has {len(strings)} forms, {lang} has "
                                f"{cat.num_plurals}")
        if not all(strings) or entry.fuzzy:
            problems.append(f"{where}: {key!r} has no (or a fuzzy) {lang} translation")
    assert not problems, "\n".join(problems)


def test_translations_fit_their_placeholders(catalog):
    lang, cat = catalog
    problems = []
    for entry in cat:
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        names = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        if isinstance(entry.id, tuple):
            names.add("num")
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        values = {name: "X" for name in names}
        for s in strings:
            if not names:
                continue  # used without formatting: a literal "%" stays as it is
            unknown = set(PLACEHOLDER.findall(s)) - names
            try:
                s % values
            except (KeyError, ValueError, TypeError) as exc:
                problems.append(f"{lang}: {s!r} does not format ({exc})")
            if unknown:
                problems.append(f"{lang}: {s!r} uses {unknown} unknown to {ids[0]!r}")
    assert not problems, "\n".join(problems)


def test_catalogs_have_no_stale_entries(messages_in_code, catalog):
    lang, cat = catalog
    keys = {(c, m[0] if isinstance(m, tuple) else m) for c, m in messages_in_code}
    stale = [e.id for e in cat if e.id and (e.context, e.id if isinstance(e.id, str) else e.id[0])
             not in keys]
    assert not stale, f"{lang}: entries no code uses (run make i18n): {stale}"


def test_french_plural_forms_follow_french_usage():
    fr, en = Messages("fr"), Messages("en")
    one = ("%(num)s learner", "%(num)s learners")
    assert [fr.ngettext(*one, n) for n in (0, 1, 2, 1500)] == [
        "0 apprenant", "1 apprenant", "2 apprenants", "1\u202f500 apprenants"]
    assert [en.ngettext(*one, n) for n in (0, 1, 2, 1500)] == [
        "0 learners", "1 learner", "2 learners", "1,500 learners"]
    # a decimal count: French singular below 2 ("1,5 point"), English plural ("1.5 points")
    assert fr.count_form(1.5, 1) == 1 and fr.count_form(2.0, 1) == 2 and fr.count_form(-1.5, 1) == 1
    assert en.count_form(1.5, 1) == 2 and en.count_form(1.0, 1) == 2 and en.count_form(1, 0) == 1


def test_context_messages_and_unknown_language():
    fr = Messages("fr")
    all_of_them = fr.pgettext("all of them", "%(n)s learners out of %(n)s%(paren)s gained "
                              "self-esteem.", n="8", paren="")
    assert all_of_them == "Les 8 apprenants ont gagné en estime de soi."
    with pytest.raises(ValueError, match="lang"):
        Messages("de")


def test_no_inline_word_pairs_left_in_report_code():
    """The reports' words live in the catalogs: no (fr, en) pairs, no tr(fr, en) calls."""
    for path in [*(REPO / "fac_eval" / "report").glob("*.py"),
                 REPO / "fac_eval" / "analysis" / "comparison.py"]:
        src = path.read_text(encoding="utf-8")
        assert not re.search(r"\.tr\(|\bdef tr\(|VERDICT_WORDS|^T = \{", src, re.M), path
        assert "'fr' else" not in src and '"fr" else' not in src, path


#: The data stage's modules and the export, whose sentences live in the catalogs too.
DATA_MODULES = ("validation.py", "validation_*.py", "reading_*.py", "io.py", "xlsx_reader.py",
                "xlsx_guard.py", "safe_yaml.py", "limits.py", "cleaning.py", "export.py")


def _text_of(node) -> str | None:
    """The literal text of a string constant or of an f-string's constant parts, else None."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values
                       if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return None


def _has_letters(text: str | None) -> bool:
    return text is not None and any(ch.isalpha() for ch in text)


def _wordy(text: str | None) -> bool:
    """Words for a person (a space or a non-ASCII letter), not a code such as ``label_en``."""
    return _has_letters(text) and (" " in text or not text.isascii())


def _frenchy(text: str | None) -> bool:
    """A French sentence by its letters: accented letters or guillemets, and a space."""
    return _wordy(text) and " " in text and any(ch in "«»àâçéèêëîïôûùüÿœ" for ch in text.lower())


def _mentions_language(node) -> bool:
    import ast

    return any((isinstance(n, ast.Name) and n.id in ("lang", "en", "fr"))
               or (isinstance(n, ast.Constant) and n.value in ("en", "fr"))
               for n in ast.walk(node))


def inline_word_pairs(source: str) -> list[tuple[int, str]]:
    """``(line, what)`` of every inline French/English sentence pair in ``source``: a conditional
    on the language choosing between two texts, a tuple of two sentences, two sentences given
    side by side to a function, a sentence assigned to ``fr`` / ``en`` / ``*_fr`` / ``*_en``,
    a sentence given to ``Problem(...)`` or as ``expected_en=`` / ``note_en=``, and a raw string
    given to
    ``both`` / ``tr`` / ``both_plural`` instead of a message marked with ``N_`` (which would
    escape extraction and stay English in French)."""
    import ast

    found = []
    tree = ast.parse(source)
    # the codebook's input aliases, Choice(code, label, aliases): French spellings accepted in
    # the data ("plutot pas d'accord", "pas d'accord"), not a sentence and its translation
    aliases = {id(a) for c in ast.walk(tree) if isinstance(c, ast.Call)
               and getattr(c.func, "id", None) == "Choice"
               for a in c.args[2:] + [k.value for k in c.keywords if k.arg == "aliases"]}
    # and the former wordings still read as headers (ROSENBERG_FORMER_FR): inputs, not texts
    aliases |= {id(n) for a in ast.walk(tree) if isinstance(a, ast.Assign)
                and any(isinstance(t, ast.Name) and "FORMER" in t.id for t in a.targets)
                for n in ast.walk(a.value)}
    for node in ast.walk(tree):
        if id(node) in aliases:
            continue
        if isinstance(node, ast.IfExp) and _mentions_language(node.test):
            texts = (_text_of(node.body), _text_of(node.orelse))
            if all(_has_letters(t) for t in texts) and not set(texts) <= set(i18n.LANGS):
                found.append((node.lineno, "texts chosen by language"))  # not a language code
        elif isinstance(node, ast.If) and _mentions_language(node.test):
            # ``if en: return "…"`` / ``if lang == "en": x = "…" else: x = "…"``
            branch_texts = [_text_of(n.value) for n in node.body + node.orelse
                            if isinstance(n, (ast.Return, ast.Assign, ast.Expr))
                            and n.value is not None]
            if any(_wordy(t) for t in branch_texts):
                found.append((node.lineno, "a sentence chosen by an if on the language"))
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
            if all(_wordy(_text_of(e)) for e in node.elts):
                found.append((node.lineno, "a (French, English) pair of sentences"))
        elif isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) > 2:
            # inside a longer tuple (``(name, value, "Paramètre « … »", "Parameter '…'")``): a
            # French text (accents, guillemets) beside an English-looking one
            texts = [_text_of(e) for e in node.elts]
            if any(_frenchy(a) and _wordy(b) and b.isascii() or
                   _frenchy(b) and _wordy(a) and a.isascii()
                   for a, b in zip(texts, texts[1:]) if a is not None and b is not None):
                found.append((node.lineno, "a (French, English) pair inside a tuple"))
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if any(n in ("fr", "en") or n.endswith(("_fr", "_en")) for n in names) and \
                    _wordy(_text_of(node.value)):
                found.append((node.lineno, f"a sentence assigned to {names[0]}"))
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            for kw in node.keywords:
                if kw.arg in ("expected", "expected_en", "note", "note_en") and \
                        _has_letters(_text_of(kw.value)):
                    found.append((node.lineno, f"a literal {kw.arg}="))
                elif kw.arg and (kw.arg in ("fr", "en") or kw.arg.endswith(("_fr", "_en"))) \
                        and _wordy(_text_of(kw.value)):
                    found.append((node.lineno, f"a sentence given as {kw.arg}="))

            if name == "Problem" and any(_wordy(_text_of(a)) for a in node.args):
                found.append((node.lineno, "a sentence written into Problem(...)"))
            elif name not in KEYWORDS and sum(_wordy(_text_of(a)) for a in node.args) >= 2:
                found.append((node.lineno, f"two sentences given side by side to {name}()"))
            message = {"both": 0, "both_plural": 0, "tr": 1}.get(name or "")
            if message is not None and len(node.args) > message and \
                    _text_of(node.args[message]) is not None:
                found.append((node.lineno, f"an unmarked message given to {name}()"))
    return found


def test_the_scan_finds_inline_pairs():
    """The scan below is not vacuous: it catches each form the data modules used to have."""
    samples = [
        'x = "row" if en else "ligne"',
        'x = f"{n} problem" if lang == "en" else f"{n} problème"',
        'KINDS = {"missing_file": ("fichier manquant", "missing file")}',
        'Problem(f, None, None, None, "un texte", "wrong_type", "a text")',
        'problem(f, 1, None, None, "k", note_en="very hidden sheet")',
        'both("a text")',
        'tr(lang, "a text")',
        '_too_big(file, f"un classeur de {n} parties au plus", f"a workbook of at most {n} parts")',
        'fr = f"un fichier {name}.csv"',
        'en += f"; similar file found: {hit}"',
        # a codebook choice whose label is a pair (its aliases are exempt, not its label)
        'Choice(2, ("Plutôt pas d\'accord", "Somewhat disagree"), ("plutot pas d\'accord", "pas d\'accord"))',
        'proportion(s, note=f"{n} sans paire complète (exclus).")',
        'proportion(s, "learners", "x", "id", "Parcours terminé", "Completed the course", k, n)',
        # the forms an outside review found escaping the scan
        'def f(en):\n    if en:\n        return "the text"\n    return "le texte"',
        'if lang == "en":\n    x = "a text"\nelse:\n    x = "un texte"',
        'problems.append((name, value, f"Paramètre « {name} » refusé", f"Parameter {name} refused"))',
        'Label(fr="un texte", en="a text")',
        'Label(code="x", label_en="a text")',
    ]
    for sample in samples:
        assert inline_word_pairs(sample), sample
    clean = ['x = indicators[_LABEL_COLUMN[lang]]', 'both(N_("a text"))',
             'k = ("text", "id")', 'tr(lang, KINDS[kind])', 'c.label_en if lang == "en" else c.label_fr',
             'units = UNITS["en" if lang == "en" else "fr"]',
             # the input aliases of a codebook choice: French spellings accepted in the data
             'Choice(2, NC_("codebook", "Disagree"), ("plutot pas d\'accord", "pas d\'accord"))',
             'Choice("56+", NC_("codebook", "56 and over"), aliases=("56 ans et +", "56+ ans"))',
             'proportion(s, "l", "x", "id", *both(N_("Completed the course")), k, n)']
    for sample in clean:
        assert not inline_word_pairs(sample), sample


def test_no_inline_word_pairs_left_in_data_modules():
    """Validation messages, the readers' messages and the export's words are catalog messages:
    no module of the data stage (nor the export) holds an inline French/English pair."""
    paths = sorted({p for pattern in DATA_MODULES for p in (REPO / "fac_eval").rglob(pattern)})
    assert len(paths) >= 12, paths  # the modules split from validation.py and io.py included
    problems = [f"{path.name}:{line}: {what}" for path in paths
                for line, what in inline_word_pairs(path.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)


#: The command line's own modules (paths, a killed swap's repair, batch, gate,
#: pseudonymisation, quality notebook, programme file, interim notes), whose sentences live in
#: the catalogs too.
CLI_MODULES = ("swap_repair.py", "programme.py", "session_paths.py", "climessages.py", "gate.py",
               "batch.py", "pseudonym_files.py", "workbench.py", "privacy.py", "interim.py")


def test_no_inline_word_pairs_left_in_cli_modules():
    """The command line's messages (paths refused, disk failures, argparse's own words, the
    batch summary, the leak gate, pseudonymisation, the programme file's problems) are catalog
    messages: none of these modules holds an inline French/English pair."""
    paths = [next((REPO / "fac_eval").rglob(name)) for name in CLI_MODULES]
    problems = [f"{path.name}:{line}: {what}" for path in paths
                for line, what in inline_word_pairs(path.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)


def test_cli_messages_are_extracted_and_translated(messages_in_code):
    """Each of these modules has messages in the catalogs, argparse's own messages included
    (marked with N_ in climessages, looked up through the catalogs), with French typography."""
    where = " ".join(messages_in_code.values())
    for module in CLI_MODULES:
        assert f"{module}:" in where, module
    from fac_eval.run import climessages

    for message in climessages.ARGPARSE_MESSAGES:
        assert (None, message) in messages_in_code, message
    assert climessages.translate("the following arguments are required: %s", "fr") == \
        "arguments obligatoires manquants : %s"
    assert climessages.translate("usage: ", "en") == "usage: "
    assert climessages.translate("a message argparse never had", "fr") == \
        "a message argparse never had"
    assert [climessages.translate_plural("expected %s argument", "expected %s arguments", n, "fr")
            for n in (1, 2)] == ["%s valeur attendue", "%s valeurs attendues"]
    assert climessages.session_not_found("2O22", ["2022"], lang="fr") == (
        "Session « 2O22 » introuvable. Vouliez-vous dire « 2022 » ? Sessions connues : 2022.")
    assert climessages.session_not_found("x", [], lang="en") == (
        "Session 'x' not found. Known sessions: none.")


def test_data_stage_messages_are_extracted(messages_in_code):
    """babel.cfg extracts the data stage's modules and the export: their messages are in the
    catalogs (and so checked by the completeness test above)."""
    where = " ".join(messages_in_code.values())
    for module in ("validation.py:", "validation_problems.py:", "validation_tables.py:",
                   "validation_identifiers.py:", "reading_files.py:", "reading_session.py:",
                   "reading_cells.py:", "xlsx_reader.py:", "xlsx_guard.py:", "safe_yaml.py:",
                   "limits.py:", "export.py:"):
        assert module in where, module
    assert (None, "missing file") in messages_in_code  # a problem kind's title
    assert (None, ("%(num)s problem found in the data:",
                   "%(num)s problems found in the data:")) in messages_in_code
    assert ("export population", "Founders") in messages_in_code


def test_problem_frame_words_come_from_the_catalogs():
    """A problem's frame (row, column, title, value, expected) is translated when shown, with
    each language's typography (French: « » and a space before the colon)."""
    from fac_eval.data.validation import Problem, ValidationError, kind_title

    p = Problem("learners_entry.csv", 4, "ses_01", "7", "un code entre 1 et 4", "out_of_range",
                "a code from 1 to 4", "ses_01")
    assert p.message("fr") == ("learners_entry.csv, ligne 4, colonne « ses_01 » : valeur hors "
                               "limites, valeur « 7 » — attendu : un code entre 1 et 4")
    assert p.message("en") == ('learners_entry.csv, row 4, column "ses_01": value out of range, '
                               'value "7" — expected: a code from 1 to 4')
    assert kind_title("hidden_sheet", "fr") == "feuille masquée contenant des données"
    assert kind_title("hidden_sheet", "en") == "hidden sheet holding data"
    err = ValidationError([p, p])
    assert str(err).startswith("2 problèmes dans les données :\n")
    assert err.format("en").startswith("2 problems found in the data:\n")
    assert ValidationError([p]).format("en").startswith("1 problem found in the data:\n")


def test_reading_and_validating_do_not_import_the_report_package():
    """The catalogs' machinery sits at the package's base (fac_eval.core.i18n): translating a
    validation message imports neither the report package nor matplotlib, and the readers do not
    import fac_eval.data.validation (no io <-> validation cycle)."""
    import subprocess
    import sys

    code = ("import sys, fac_eval.data.io, fac_eval.data.validation as v; "
            "v.Problem('f.csv', 2, 'c', 'x', 'e', 'wrong_type').message('fr'); "
            "print(sorted(m for m in sys.modules if m.startswith(('fac_eval.report', 'matplotlib'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=REPO).stdout.strip()
    assert out == "[]"
    for name in ("reading_cells", "reading_files", "reading_session", "validation_problems",
                 "validation_tables", "validation_identifiers", "xlsx_reader", "xlsx_guard",
                 "safe_yaml", "limits"):
        src = next((REPO / "fac_eval").rglob(f"{name}.py")).read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from fac_eval(\.data)? import (.*\b)?(io|validation)\b|"
                             r"from fac_eval(\.data)?\.(io|validation) import|"
                             r"import fac_eval(\.data)?\.(io|validation)\b)",
                             src, re.M), name


#: Modules whose inline French/English pairs are still to be moved to the catalogs (issue 11,
#: §2): none is left; the list may only shrink (see the test below).
STILL_INLINE: set[str] = set()
#: What the scan takes for a pair but is not one: the synthetic testimonies' French sentences
#: (their data, French only), an SVG attribute rewrite, and the glossary (French terms and the
#: English words the English reports use for them: the data of the calque checks, not texts).
NOT_PAIRS = {"synth_draws.py", "embed.py", "glossary.py"}


def test_no_inline_word_pairs_anywhere_else_in_the_package():
    """The whole package, not only the stages scanned above: no module outside the (shrinking)
    list of unfinished ones holds an inline French/English pair; and each listed module still
    has one (a module cleaned up leaves the list)."""
    found: dict[str, list[str]] = {}
    for path in sorted((REPO / "fac_eval").rglob("*.py")):
        pairs = inline_word_pairs(path.read_text(encoding="utf-8"))
        if pairs:
            found[path.name] = [f"{path.relative_to(REPO)}:{line}: {what}" for line, what in pairs]
    unexpected = {name: where for name, where in found.items()
                  if name not in STILL_INLINE | NOT_PAIRS}
    assert not unexpected, "\n".join(w for where in unexpected.values() for w in where)
    assert STILL_INLINE <= set(found), f"no pair left in {STILL_INLINE - set(found)}: " \
                                       "remove it from STILL_INLINE"
