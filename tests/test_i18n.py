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
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


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
    assert "comparison.py:" in where and "compare.py:" in where
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
    for path in [*(REPO / "fac_eval" / "report").glob("*.py"), REPO / "fac_eval" / "compare.py",
                 REPO / "fac_eval" / "narrative.py"]:
        src = path.read_text(encoding="utf-8")
        assert not re.search(r"\.tr\(|\bdef tr\(|VERDICT_WORDS|^T = \{", src, re.M), path
        assert "'fr' else" not in src and '"fr" else' not in src, path
