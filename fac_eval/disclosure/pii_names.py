"""The names of the names file, for the ``name`` kind of :func:`fac_eval.disclosure.pii.find_pii`.

The rule (on normalised text, the case read from the original text):

- a name of two words or more ("Sophie Petit", "Jean de La Fontaine") is found as a whole, in
  any case, with any spaces, hyphens, apostrophes or dots between its words; from four letters
  on, a word is also found cut by one hyphen, dot or underscore between two letters
  ("Du-pont", "M.a.r.t.i.n");
- a digit for a letter it looks like, in a word of three letters or more ("S0phie", "Mart1n":
  :data:`DIGIT_LETTERS`), and a full name with its last word first ("MARTIN Sophie",
  "MartinSophie");
- the first word's initial and the last word, the initial a capital ("S. Petit", "S Petit");
- a name of one word (a line of the names file, or a part of a full name that
  :func:`fac_eval.disclosure.privacy.load_names` adds):

  - a particle or a short word of every sentence (:data:`PARTICLES`: "de", "La", "van",
    "des"…) is never searched alone: only inside the full name;
  - a word of two letters ("Ly", "Lo", "Ba") is searched as a whole word whose first letter is
    a capital ("Ly", "LY"; never "lo" in "lo-fi");
  - a word that is also a common word (:data:`COMMON_WORDS`: "Petit", "Blanc", "Roux", "Rose";
    or any word the report's own sentences hold in lower case, :func:`catalog_words`) is
    searched only with its first letter a capital ("Petit", "PETIT", "M. Blanc"), so that
    "un petit groupe" is text and the report's own prose never blocks its publication;
  - any other word in any case ("dupont", "DUPONT").

Known limits: a common word at the start of a sentence ("Petit à petit…") is taken for the name
(a false alarm, scrubbed); a name that is a particle ("Le", "Du") is found only inside the full
name; a common word written in lower case alone ("j'ai vu petit hier") is not found.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from .pii_normalise import normalise

__all__ = ["PARTICLES", "COMMON_WORDS", "DIGIT_LETTERS", "catalog_words", "name_spans",
           "self_named_spans"]

#: Particles of names and the short words of every French or English sentence (normalised):
#: never searched alone, only inside a full name.
PARTICLES = frozenset(
    "de du la le les des d l da di do dos das del della van von der den ter ten het zu y el al "
    "et ou un une au aux en il on je tu ma sa ta me te se ce ne ni si ca mon ton son nos vos "
    "of to in is it at an as by be we he my no so up us or if go am ok st mr ms dr".split())

#: Words of French (and English) prose that are surnames or first names too (normalised): a
#: listed name that is one of them is searched only with its first letter a capital.
COMMON_WORDS = frozenset("""
petit petite grand grande gros grosse blanc blanche noir noire roux rousse brun brune vert
rouge gris bon bonne fort forte long longue court courte jeune vieux beau bel bellet doux
douce sage juste simple gentil joly joli vrai seul franc droit lebon leblanc lenoir lebrun
legrand leroux lejeune lefort

roi comte baron prince duc marquis chevalier page pasteur maitre marchand meunier boucher
boulanger berger mercier charpentier bouvier vacher chasseur pecheur fermier masson tailleur
barbier couturier potier sabatier tisserand marin lemaire maire juge prieur moine abbe clerc
prevost sergent caporal soldat garde

loup renard lapin mouton lievre chat chevre coq pigeon merle moineau corbeau faucon aigle
lion cerf boeuf taureau poulain

rose olive prune ambre jade iris fleur lune ange aime desire constance prudence patience
clemence grace victoire violette capucine marguerite colombe aurore claire olivier laurier
pascal noel modeste fidele bienvenu espoir perle cerise mirabelle

bois fontaine riviere lac mer pierre roche mont val vallee champ pre moulin chene poirier
pommier noyer frene orme hetre bouleau saule buisson jardin haie pont port ville rive
plaine foret

france paris nancy florence valence

mars mai avril juin

long young white black brown green king may will hope joy grace page hill wood stone rich
price bell hunter baker cook day north west little small strong sharp best fair fox bird lamb
park hall church mark bill sun
""".split())


@functools.lru_cache(maxsize=1)
def catalog_words() -> frozenset[str]:
    """The words the report's own sentences hold in lower case, normalised (every message of
    the French and English catalogs): a listed name that is one of them ("moyen", "seuil") is
    searched only with its first letter a capital, as :data:`COMMON_WORDS` are, so that the
    report's prose never reads as a name."""
    from fac_eval.core.i18n import LANGS, translations

    words: set[str] = set()
    for lang in LANGS:
        try:
            catalog = translations(lang)._catalog
        except (OSError, AttributeError, ValueError):  # pragma: no cover - catalogs ship
            continue
        for key, text in catalog.items():
            if not key:  # the catalog's header
                continue
            for part in (key if isinstance(key, tuple) else (key,)) + (text,):
                if isinstance(part, str):
                    words.update(normalise(w) for w in re.findall(r"[^\W\d_]{2,}", part)
                                 if w.islower())
    return frozenset(words)


#: Digits written for the letters they look like ("S0phie", "Mart1n", "Dup0nt"), read as
#: those letters in a name of three letters or more.
DIGIT_LETTERS = {"o": "0", "i": "1", "l": "1", "e": "3", "a": "4", "s": "5", "t": "7", "b": "8",
                 "g": "9", "z": "2"}


def _letter(ch: str, digits: bool) -> str:
    """One letter of a name: itself, or also the digit that looks like it."""
    twin = DIGIT_LETTERS.get(ch) if digits else None
    return f"[{re.escape(ch)}{twin}]" if twin else re.escape(ch)


def _token_pattern(token: str) -> str:
    """A word of a name; from 3 letters on, with a digit for a letter it looks like ("S0phie",
    "Mart1n"); from 4 letters on, also cut by one hyphen, dot or underscore between two letters
    ("Du-rand", "M.a.r.t.i.n"), as a writer escaping a filter would."""
    digits = len(token) >= 3
    if len(token) < 4:
        return "".join(_letter(ch, digits) for ch in token)
    return r"[\-._·]?".join(_letter(ch, digits) for ch in token)


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[\s\-'.]+", normalise(name).strip()) if t]


@functools.lru_cache(maxsize=4096)
def _name_rule(name: str) -> tuple[re.Pattern | None, bool, re.Pattern | None]:
    """(the pattern of ``name``, whether its first letter must be a capital, the pattern of
    its first initial and last word or None), by the rule of the module docstring."""
    tokens = _tokens(name)
    if not tokens or sum(len(t) for t in tokens) < 2:
        return None, False, None
    body = r"[\s\-'.]*".join(_token_pattern(t) for t in tokens)
    if len(tokens) > 1:  # also the last word first, as French lists write it ("MARTIN Sophie",
        # "MartinSophie")
        body = f"(?:{body}|" + r"[\s\-'.]*".join(
            _token_pattern(t) for t in [tokens[-1], *tokens[:-1]]) + ")"
    pattern = re.compile(r"(?<![a-z0-9])" + body + r"(?![a-z0-9])")
    if len(tokens) == 1:
        token = tokens[0]
        if token in PARTICLES or len(token) < 2:
            return None, False, None
        capital = len(token) == 2 or token in COMMON_WORDS or token in catalog_words()
        return pattern, capital, None
    last = tokens[-1]
    initial = None
    if len(last) >= 2 and last not in PARTICLES and tokens[0][0].isalpha():
        initial = re.compile(r"(?<![a-z0-9])" + re.escape(tokens[0][0]) + r"(?:\. ?| )"
                             + _token_pattern(last) + r"(?![a-z0-9])")
    return pattern, False, initial


def name_spans(norm: str, names: tuple[str, ...],
               upper: Callable[[int], bool]) -> list[tuple[int, int]]:
    """Spans in ``norm`` (normalised text) of ``names`` by the rule of this module;
    ``upper(i)`` tells whether the character at ``norm[i]`` is a capital in the text."""
    spans = []
    for n in names:
        pattern, capital, initial = _name_rule(n)
        if pattern is None:
            continue
        spans += [m.span() for m in pattern.finditer(norm) if not capital or upper(m.start())]
        if initial is not None:
            spans += [m.span() for m in initial.finditer(norm) if upper(m.start())]
    return spans


#: The words with which a writer gives their own name ("je m'appelle", "my name is").
_SELF_NAMED_RE = re.compile(r"(?<![a-z])(?:j(?:e |')?m'? ?app?ell?e|je me nomme|moi,? c'est|"
                            r"mon (?:pre)?nom,? (?:est|c'est)|signee?\s*:|"
                            r"my name is|i'm called|i am called)\s+")
_WORD_RE = re.compile(r"[a-z][a-z'\-]*")


def self_named_spans(norm: str, upper: Callable[[int], bool]) -> list[tuple[int, int]]:
    """The name a writer gives as theirs, names file or not: after "je m'appelle", "mon nom
    est", "my name is"…, the words (at most three) written with a capital ("Je m'appelle Marie
    Dupont et…" → "Marie Dupont"); ``upper`` as in :func:`name_spans`."""
    spans = []
    for m in _SELF_NAMED_RE.finditer(norm):
        pos, end = m.end(), None
        for _ in range(3):
            w = _WORD_RE.match(norm, pos)
            if w is None or not upper(w.start()) or len(w.group()) < 2:
                break
            end = w.end()
            pos = end + len(norm[end:]) - len(norm[end:].lstrip(" "))
        if end is not None:
            spans.append((m.end(), end))
    return spans
