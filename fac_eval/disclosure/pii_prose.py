"""Part of the personal-data detector (:mod:`fac_eval.disclosure.pii`): personal data that only a
context tells apart from ordinary prose — dates of birth, postal addresses, profiles on social
networks. Read on normalised text (lower case, no accents); each function gives the spans found.

Dates of birth (``birth_date``), the date only being the finding:

- a birth word, then a full date within a few words of the same sentence ("née le 3 mars
  1980", the month in Roman numerals "née le 1 IV 1979", "née à Lyon le 03/03/1980", "date
  de naissance : 1980-03-03", "DDN 3/3/80", "born on March 3, 1980");
- a birth word right before a day and a month without a year ("née le 3 mars", "born on March
  3", "DDN : 03/03", "mon anniversaire, c'est le 3 mars");
- a month and a year after a birth word ("née en mars 1980"), or a full date or a month and a
  year *before* one ("Le 3 mars 1980, je suis née"), or a full date after ``anniversaire`` /
  ``birthday`` ("Anniversaire : 03/03/1980"): in these weaker contexts the year must be one a
  learner can be born in (:data:`LATEST_BIRTH_YEAR` at the latest), so that "le projet est né
  en mars 2022" or "l'anniversaire de l'association le 12/05/2023" stay text;
- a year alone after a birth word ("née en 1980", "born in 1975", "année de naissance :
  1980"), the year checked likewise; "créée en 2019", "depuis 2021" have no birth word;
- never the founding date of an organisation: when the birth word is the participle "né" /
  "born" and its subject, earlier in the same clause, is an organisation, a project or a
  structure ("l'association est née le 3 mars", "le projet, né en 1995"), with no person named
  after it (:func:`_organisation_born`).

An age ("j'ai 43 ans") is not a date of birth and is not looked for: the issue's list names
dates of birth in context, and ages are ordinary in testimonies ("à 43 ans j'ai repris").

Postal addresses (``address``): a street number and a type of street, followed by a postcode
within a few words (``01500``, ``01 500``, ``01-500``, ``01.500``); or, without a postcode, by
the street's name when the type of street is one no ordinary sentence has after a number
(``rue``, ``avenue``, ``impasse``, ``boulevard``…: "12 impasse des Lilas"), or any type of
street after a word of dwelling ("j'habite au 5 place du Marché").

Profiles (``handle``): the address of a profile on a social network (``linkedin.com/in/…``,
``facebook.com/…``, ``instagram.com/…``, ``x.com/…``, ``tiktok.com/@…``…), or an ``@handle``
that reads as a social network's (``@marie_dupont01``, ``@zoe.martin``, ``@jdupont74``: parts
joined by ``_`` or ``.``, or letters then digits), never a lone word (``@media``,
``@domicile``), an e-mail's domain (``@gmail.com``) or "@ 14 h".
"""

from __future__ import annotations

import datetime
import re

__all__ = ["LATEST_BIRTH_YEAR", "birth_spans", "address_spans", "handle_spans"]

#: The latest year of birth read in a weak context: a learner is 14 at least.
LATEST_BIRTH_YEAR = datetime.date.today().year - 14

# ============================================================================================
# Dates of birth
# ============================================================================================

_MONTHS = (
    "janvier|janv|fevrier|fevr|fev|mars|avril|avr|mai|juin|juillet|juil|aout|septembre|sept|"
    "octobre|oct|novembre|nov|decembre|dec|january|jan|february|feb|march|mar|april|apr|may|"
    "june|jun|july|jul|august|aug|september|sep|october|november|december"
)
_YEAR_WORDS = (
    r"(?:deux mille|dix-neuf cent|mille|mil)(?![a-z])(?:[\s\-]+(?:et|un|deux|trois|quatre|cinq|"
    r"six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|"
    r"cinquante|soixante|cent))*"
)
#: A month in Roman numerals between a day and a year ("1 IV 1979", "1.IV.79", "1er-iv-1979").
_ROMAN_DATE = (r"\d{1,2}(?:er)?(?:\s?[/.\-]\s?|\s)(?:xii|xi|ix|x|viii|vii|vi|iv|v|iii|ii|i)"
               r"(?![a-z])(?:\s?[/.\-]\s?|\s)(?:19|20)?\d{2}")
_DATE_CORE = (
    _ROMAN_DATE + "|"
    r"\d{1,2}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?(?:19|20)?\d{2}"
    r"|(?:19|20)\d{2}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?\d{1,2}"
    r"|\d{1,2}(?:er|st|nd|rd|th)?\s+(?:" + _MONTHS + r")\.?\s+(?:19|20)?\d{2}"
    r"|(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{2}"
    r"|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d{2}"
)
_DATE = (
    r"(?:" + _ROMAN_DATE + "|"
    r"\d{1,2}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?(?:19|20)?\d{2}"
    r"|(?:19|20)\d{2}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?\d{1,2}"
    r"|\d{1,2}(?:er|st|nd|rd|th)?\s+(?:" + _MONTHS + r")\.?\s+(?:19|20)?\d{2}"
    r"|(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{2}"
    r"|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d{2}"  # 03031980
    # the year in words: "3 mars mille neuf cent quatre-vingt", "premier mai deux mille deux"
    # (the day's words bounded: no reading runs on along "a-a-a-a…")
    r"|(?:\d{1,2}(?:er)?|premier|[a-z]{1,12}(?:-[a-z]{1,12}){0,2})\s+(?:" + _MONTHS + r")\.?\s+" + _YEAR_WORDS
    + r")"
)
#: A day and a month, no year: "3 mars", "1er mai", "March 3", "03/03".
_DAY_MONTH = (
    r"(?:(?:\d{1,2}|premier)(?:er|st|nd|rd|th)?\s+(?:" + _MONTHS + r")(?![a-z])"
    r"|(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?(?![a-z])"
    r"|(?:0?[1-9]|[12]\d|3[01])\s?[/.\-]\s?(?:0?[1-9]|1[0-2]))(?!\s?[/.\-]?\s?\d)"
)
_MONTH_YEAR = r"(?:" + _MONTHS + r")\.?\s+(?:19|20)\d{2}"
_BIRTH_WORD = (r"(?:nee?s?(?:\s?\(\s?e\s?\))?|naissance|naiss\.?|ddn|born|birth\s?(?:date|day)"
               r"|date\s+of\s+birth|dob)")
_BIRTHDAY_WORD = r"(?:anniversaires?|birthdays?|anniv\.?)"
#: A birth word, then the date within a few words of the same sentence: "née le 3 mars 1980",
#: "ma date de naissance est le 3 mars 1980", "née à Lyon le 03/03/1980", "DDN : …".
_BIRTH_RE = re.compile(r"(?<![a-z])" + _BIRTH_WORD + r"(?![a-z])[^.!?\n\d]{0,30}?(?P<date>"
                       + _DATE + r")(?![\d])")
#: A birth word right before a day and a month: "née le 3 mars", "DDN : 3 mars"; a word of
#: birthdays only after "mon" / "my" or before a colon ("mon anniversaire, c'est le 3 mars",
#: "anniversaire : 3 mars"; "elle fête son anniversaire le 14 mars" may be a session's).
_BIRTH_DAY_RE = re.compile(
    r"(?<![a-z])(?:" + _BIRTH_WORD + r"(?![a-z])(?:\s?[:=,\-]\s?|\s)"
    r"|(?:mon|ton|my|your)\s+" + _BIRTHDAY_WORD + r"(?![a-z])(?:\s?[:=,\-]\s?|\s)"
    r"|" + _BIRTHDAY_WORD + r"\s?[:=]\s?)"
    r"\s?(?:(?:c'est|c est|est|is|it's|was|:|le|on|the)\s+){0,2}(?P<date>" + _DAY_MONTH + r")")
#: A birth verb or word after the date: "… je suis née", "… naissance", "… I was born".
_BIRTH_AFTER = (r"(?:(?:je|j'|tu|il|elle|on|i|he|she|you)\s?(?:suis|es|est|etais|etait|was|were)"
                r"\s+(?:nee?s?|born)|naissance|naquit|naquis|venue?\s+au\s+monde|was\s+born)")
#: Weak contexts (the year is checked): a month and a year after a birth word, a full date
#: after a word of birthdays, a date before a birth verb.
_BIRTH_WEAK_RES = (
    re.compile(r"(?<![a-z])" + _BIRTH_WORD + r"(?![a-z])[^.!?\n\d]{0,30}?(?P<date>" + _MONTH_YEAR
               + r")(?!\d)"),
    re.compile(r"(?<![a-z])" + _BIRTHDAY_WORD + r"(?![a-z])[^.!?\n\d]{0,30}?(?P<date>" + _DATE
               + r")(?!\d)"),
    re.compile(r"(?<![a-z0-9])(?P<date>" + _DATE_CORE + "|" + _MONTH_YEAR
               + r")(?!\d)[^.!?\n\d]{0,25}?(?<![a-z])" + _BIRTH_AFTER + r"(?![a-z])"),
)
#: "je suis du 3 mars 1980" (French for one's date of birth), the year checked.
_I_AM_OF_RE = re.compile(r"(?<![a-z])(?:je suis|j'suis|tu es|il est|elle est|moi|c'est)"
                         r"(?: nee?s?)? du (?P<date>" + _DATE + r")(?!\d)")
#: A birthday with the age, then its date: "j'ai fêté mes 40 ans le 3 mars 2020" (the day, the
#: month and the age give the date of birth), no year check.
_AGE_BIRTHDAY_RE = re.compile(
    r"(?<![a-z])(?:fete|feter|fetais|fetait|fetera|fetons|celebre|celebrer|celebrais|pour)\w*"
    r" (?:mes|ses|tes|son|mon) \d{1,3} ans[^.!?\n\d]{0,20}?(?P<date>" + _DATE + "|" + _DAY_MONTH
    + r")(?!\d)")
#: What each pattern above needs somewhere in the text (else it is not run at all).
_BIRTH_WEAK_NEEDS = tuple(re.compile(r"(?<![a-z])" + w + r"(?![a-z])")
                          for w in (_BIRTH_WORD, _BIRTHDAY_WORD, _BIRTH_AFTER))


def _plausible_birth_year(date: str) -> bool:
    """True when the year of ``date`` (4 digits, 2 digits, or in words) is one a learner may
    be born in: 1900 to :data:`LATEST_BIRTH_YEAR`; a 2-digit year is the latest such."""
    m = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", date)
    if m:
        return 1900 <= int(m.group()) <= LATEST_BIRTH_YEAR
    m = re.search(r"(?<!\d)\d{2}$", date)
    if m:
        yy = int(m.group())
        return 2000 + yy <= LATEST_BIRTH_YEAR or yy >= (LATEST_BIRTH_YEAR + 14) % 100
    return True  # a year in words: "mille neuf cent quatre-vingt"


#: A year of birth alone after a birth word: "née en 1980", "born in 1980", "année de
#: naissance : 1980", "né(e) à Lyon en 1975" (the year checked as in the weak contexts).
_BIRTH_YEAR_RE = re.compile(r"(?<![a-z])" + _BIRTH_WORD + r"(?![a-z])[^.!?\n\d]{0,30}?"
                            r"(?<![a-z0-9])(?P<date>(?:19|20)\d{2})(?!\d|\s?[/.\-]\s?\d)")
#: Words of a body that is born but is no person: "l'association est née le 3 mars",
#: "le projet, né en 2019", "the company was born in 1990".
_ORGANISATION = (
    r"(?<![a-z])(?:association|asso|projet|structure|entreprise|societe|programme|dispositif|"
    r"formation|session|initiative|collectif|cube|atelier|partenariat|reseau|club|centre|"
    r"fondation|federation|cooperative|scop|startup|start-up|idee|concept|action|equipe|"
    r"service|plateforme|marque|enseigne|boutique|magasin|agence|cabinet|mission|organisme|"
    r"ecole|institut|festival|evenement|groupe|filiale|commune|ville|village|quartier|"
    r"project|company|organisation|organization|programme|program|network|charity|firm|"
    r"business|idea|team|school)s?(?![a-z])")
#: A person as the subject between the organisation and the birth word: "l'association de ma
#: mère, qui est née le …" is still the mother's.
_PERSON_SUBJECT = re.compile(
    r"(?<![a-z])(?:je|j'|tu|il|elle|ils|elles|on|moi|toi|lui|qui|i|he|she|they|who|mere|pere|"
    r"fille|fils|soeur|frere|femme|mari|enfant|bebe|mother|father|daughter|son|sister|brother|"
    r"wife|husband|child|baby)(?![a-z])")
_BORN_PARTICIPLE = re.compile(r"(?:nee?s?(?:\s?\(\s?e\s?\))?|born)(?![a-z])")


def _organisation_born(norm: str, at: int) -> bool:
    """True when the birth word at ``at`` is the participle "né" / "born" whose subject is an
    organisation, a project or a structure: one of :data:`_ORGANISATION` earlier in the same
    clause (no sentence end, colon or semicolon between, 60 characters at most) with no person
    (:data:`_PERSON_SUBJECT`) after it. An organisation's founding date is no person's birth."""
    if not _BORN_PARTICIPLE.match(norm, at):
        return False
    lo = max(0, at - 60)
    cut = max(norm.rfind(ch, lo, at) for ch in ".!?\n;:")
    clause = norm[max(lo, cut + 1):at]
    orgs = list(re.finditer(_ORGANISATION, clause))
    return bool(orgs) and _PERSON_SUBJECT.search(clause, orgs[-1].end()) is None


def birth_spans(norm: str) -> list[tuple[int, int]]:
    spans = [m.span("date") for m in _BIRTH_RE.finditer(norm)
             if not _organisation_born(norm, m.start())]
    spans += [m.span("date") for m in _BIRTH_DAY_RE.finditer(norm)
              if not _organisation_born(norm, m.start())]
    if " du " in norm:
        spans += [m.span("date") for m in _I_AM_OF_RE.finditer(norm)
                  if _plausible_birth_year(m.group("date"))]
    if " ans" in norm:
        spans += [m.span("date") for m in _AGE_BIRTHDAY_RE.finditer(norm)]
    for rx, needs in zip((*_BIRTH_WEAK_RES, _BIRTH_YEAR_RE), (*_BIRTH_WEAK_NEEDS,
                                                            _BIRTH_WEAK_NEEDS[0])):
        if needs.search(norm) is None:
            continue
        spans += [m.span("date") for m in rx.finditer(norm)
                  if _plausible_birth_year(m.group("date"))
                  and not _organisation_born(norm, m.start())]
    return spans


# ============================================================================================
# Postal addresses
# ============================================================================================

_STREET_TYPES = (
    "rue|r|avenue|av|ave|bd|bld|blvd|bvd|boul|boulevard|chemin|chem|che|ch|impasse|imp|allee|"
    "all|place|pl|route|rte|quai|cours|crs|square|sq|passage|pass|lotissement|lot|residence|res|"
    "resid|voie|faubourg|faub|fbg|fg|montee|mte|sentier|sent|hameau|ham|lieu-dit|lieu dit|"
    "lieudit|ld|parvis|promenade|prom|rond-point|rpt|traverse|trav|cite|clos|esplanade|"
    "ruelle|venelle|sente|carrefour|"
    "street|st|road|rd|lane|ln|drive|dr|way|za|zi|zac"
)
#: Types of street that no ordinary sentence has right after a number ("2 place de parking",
#: "3 cours de maths" are not addresses; "12 rue …", "12 impasse …" are).
_STRICT_TYPES = (
    r"rue|avenue|av\.|ave\.?|boulevard|bd|bld|blvd|impasse|imp\.|allee|chemin|chem\.|route|rte"
    r"|quai|faubourg|fbg|lieu-dit|lieudit|lotissement|rond-point|street|road|avenida|ruelle"
    r"|venelle"
    # a square by its name: "12 place du Marché" ("2 place de parking", "3 places" are not)
    r"|place(?= (?:du|des|de la|de l'|d'))"
)
#: A street number in words ("au quatorze rue Jean Jaurès").
_NUMBER_WORDS = (r"(?:un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|"
                 r"quatorze|quinze|seize|vingt|trente|quarante|cinquante|soixante|cent)"
                 r"(?:[\- ](?:et[\- ])?(?:un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|"
                 r"douze|treize|quatorze|quinze|seize|vingts?|cents?)){0,3}")
_NUMBER = (r"(?<![a-z0-9,.\-/])(?:\d{1,4}|(?<![a-z'])" + _NUMBER_WORDS + r")"
           r" ?(?:bis|ter|quater|[a-d](?![a-z]))? ?,? *(?:(?:de la|du|de l'|de) )?")
_POSTCODE = r"(?<!\d)(?:0[1-9]|[1-8]\d|9[0-8])(?: ?[.\-] ?| )?\d{3}(?!\d)"
#: A number, a type of street and a postcode within the next few words: "12 rue des Lilas,
#: 01500", "12 r. des Lilas 01 500", "3bd Carnot 01-000".
_ADDRESS_RE = re.compile(
    r"(?<![a-z0-9])\d{1,4} ?(?:bis|ter|quater|[a-d](?![a-z]))? ?,? *(?:" + _STREET_TYPES
    + r")(?:\. ?| )[^\n]{1,60}?[ ,\-]*" + _POSTCODE
    # a postcode is not an amount nor a measure ("3 pl. pour 15000 euros")
    + r"(?! ?(?:€|eur\b|euros?\b|\$|k€|km\b|m\b|kg\b|%|h\b|ans\b|personnes\b|habitants\b|"
    r"participants\b|visiteurs\b|vues\b|clics\b|people\b))"
)
#: Words that end a street's name ("12 impasse des Lilas à Ambérieu": the name is "des Lilas").
_STOP = (r"(?:a|au|aux|et|ou|pour|depuis|avec|dans|en|sur|chez|pres|vers|je|j|on|nous|vous|il"
         r"|elle|ils|elles|qui|que|qu|mais|donc|car|est|c|ce|se|sont|puis|ensuite|des|du|de|la"
         r"|le|les|d|l|in|and|to|since|with|at|the)(?![a-z])")
#: A first name's initial before a word of a street's name ("rue J. Jaurès", "rue J.-B. Clément").
_INITIAL = r"(?:[a-z]\.(?:-[a-z]\.)? ?)?"
_STREET_NAME = (r"(?:(?:de la|de l'|de|du|des|d'|la|le|les|l'|of|the) ?)?(?:\d{1,4}(?![\d,.])|"
                + _INITIAL + r"(?!" + _STOP + r")[a-z][a-z'\-]*)(?: " + _INITIAL + r"(?!" + _STOP
                + r")[a-z][a-z'\-]*){0,2}")
_STREET_RE = re.compile(_NUMBER + r"(?:" + _STRICT_TYPES + r")(?:(?<=\.) ?| )" + _STREET_NAME)
_DWELLING_RE = re.compile(
    r"(?<![a-z])(?:habite|habitons|habitez|habitent|habiter|domicilie\w*|domicile|demeurant"
    r"|demeure|reside|residant|residons|residence principale|adresse|live|lives|living)"
    r"(?![a-z])[^.!?\n\d]{0,20}?(?P<a>" + _NUMBER + r"(?:" + _STREET_TYPES
    + r")(?:\. ?| )" + _STREET_NAME + ")")


#: A street without its number, then the number after it: "j'habite rue Jean Jaurès, au 14".
_STREET_THEN_NUMBER_RE = re.compile(
    r"(?<![a-z])(?:" + _STRICT_TYPES + r")(?:(?<=\.) ?| )" + _STREET_NAME
    + r",? (?:au|n°|no|numero|number) ?\d{1,4}(?![\d,.]?\d)")
#: A post-office box or a named place, then a postcode: "BP 12 01500 Ambérieu", "lieu-dit Les
#: Granges 01500".
_BOX_RE = re.compile(
    r"(?<![a-z])(?:(?:bp|b\.p\.|boite postale|cs|tsa) ?\d{1,5}|(?:lieu-dit|lieu dit|lieudit|"
    r"hameau|ld) [a-z][a-z'\-]*(?: [a-z][a-z'\-]*){0,2}) ?,? *" + _POSTCODE)
_POSTCODE_RE = re.compile(_POSTCODE)
#: A dwelling's block, building or flat, then a postcode within a few words: "résidence Les
#: Pins bât. B apt 12 01500 Ambérieu", "bâtiment C, appartement 4, 01500".
_DWELLING_PART_RE = re.compile(
    r"(?<![a-z])(?:residence|batiment|bat\.|appartement|appart\.?|appt\.?|apt\.?|escalier"
    r"|esc\.) ?[a-z0-9][^\n]{0,50}?[ ,\-]*" + _POSTCODE + r"(?! ?(?:€|eur\b|euros?\b|%))")
#: A dwelling told by two of its parts or more, without a postcode: "résidence les Tilleuls,
#: bât. B, appartement 12", "bâtiment C escalier 2", "apt 4, résidence du Parc".
_DWELLING_WORD = (r"(?:residence|batiment|bat\.?|appartement|appart\.?|appt\.?|apt\.?|escalier"
                  r"|esc\.|logement|porte|etage)")
_DWELLING_ONE = (r"(?<![a-z])" + _DWELLING_WORD + r"(?:(?<=\.) ?| )(?:n° ?|no ?)?(?:\d{1,4}[a-z]?"
                 r"(?![\d,.]?\d)|[a-z](?![a-z])|(?:(?:de la|de l'|du|des|les|le|la) ?)?"
                 r"(?!" + _STOP + r")[a-z][a-z'\-]*(?: (?!" + _STOP + r")[a-z][a-z'\-]*){0,2})")
_DWELLING_PARTS_RE = re.compile(_DWELLING_ONE + r"(?:[ ,;\-]{1,3}" + _DWELLING_ONE + r")+")
#: An address written the English way: a number, a name of one to three words and a type of
#: street after it, "221B Baker Street", "10 Downing St", "42 Oak Tree Lane".
_ENGLISH_STREET_RE = re.compile(
    r"(?<![a-z0-9,.\-/])\d{1,4}[a-z]? (?!" + _STOP + r")[a-z][a-z'\-]*(?: (?!" + _STOP
    + r")[a-z][a-z'\-]*){0,2} (?:street|st|road|rd|lane|ln|drive|dr|avenue|ave|crescent"
    r"|terrace|boulevard|blvd|mews)(?![a-z])")  # not "place", "way": "3 sessions took place"
#: A British postcode: "NW1 6XE", "SW1A 1AA", "M1 1AE".
_UK_POSTCODE_RE = re.compile(r"(?<![a-z0-9])[a-z]{1,2}\d[a-z\d]? ?\d[abd-hjlnp-uw-z]{2}(?![a-z0-9])")


def address_spans(norm: str) -> list[tuple[int, int]]:
    # the addresses with a postcode are looked for only before a postcode (the pattern reads
    # up to 60 characters from each street number: along "12 rue 12 rue …" that is slow)
    windows: list[list[int]] = []
    for m in _POSTCODE_RE.finditer(norm):
        lo, hi = max(0, m.start() - 80), min(len(norm), m.end() + 30)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    spans = [m.span() for lo, hi in windows for m in _ADDRESS_RE.finditer(norm, lo, hi)]
    spans += [m.span() for m in _STREET_RE.finditer(norm)]
    spans += [m.span("a") for m in _DWELLING_RE.finditer(norm)]
    spans += [m.span() for m in _STREET_THEN_NUMBER_RE.finditer(norm)]
    if windows:
        spans += [m.span() for m in _BOX_RE.finditer(norm)]
        spans += [m.span() for m in _DWELLING_PART_RE.finditer(norm)]
    spans += [m.span() for m in _DWELLING_PARTS_RE.finditer(norm)]
    spans += [m.span() for m in _ENGLISH_STREET_RE.finditer(norm)]
    spans += [m.span() for m in _UK_POSTCODE_RE.finditer(norm)
              if re.search(r"\d", m.group()) and re.search(r"[a-z]\d", m.group())]
    return spans


# ============================================================================================
# Profiles on social networks
# ============================================================================================

_PROFILE_RE = re.compile(
    r"(?<![a-z0-9\-.])(?:https?://)?(?:www\.|[a-z]{2}\.|m\.)?"
    r"(?:linkedin\.com/(?:in|pub)/|facebook\.com/|fb\.com/|fb\.me/|instagram\.com/|instagr\.am/"
    r"|(?:x|twitter)\.com/|tiktok\.com/@?|threads\.net/@?|snapchat\.com/add/"
    r"|youtube\.com/(?:@|c/|user/|channel/)|pinterest\.[a-z]{2,3}/|github\.com/|t\.me/"
    r"|bsky\.app/profile/|mastodon\.[a-z]{2,6}/@)"
    r"(?P<h>[a-z0-9_%@\-]+(?:\.(?![a-z]{2,4}(?![a-z0-9_\-]))[a-z0-9_%\-]+)*"
    r"(?:\.php\?id=\d+)?)"
)
#: Paths of a network that are not one person's profile.
_NOT_PROFILE = re.compile(r"(?:sharer|share|groups|events|pages|hashtag|watch|home|login|"
                          r"search|explore|intent|policies|help)(?![a-z0-9_\-])")
_AT_HANDLE_RE = re.compile(
    r"(?<![a-z0-9_.%+\-@/])@(?P<h>[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)(?![a-z0-9_@\-])")
#: Words after ``@`` that are not people: CSS rules, Python decorators, e-mail providers.
_AT_WORDS = frozenset(
    "media import page font-face keyframes supports charset namespace layer container property "
    "document viewport counter-style font-feature-values dataclass staticmethod classmethod "
    "abstractmethod cached_property override overload pytest fixture everyone here channel "
    "gmail hotmail yahoo outlook orange free laposte wanadoo sfr icloud protonmail".split())
_COMMON_TLD_RE = re.compile(r"\.(?:fr|com|net|org|eu|be|ch|io|info|de|uk|co)$")


def _person_like(handle: str) -> bool:
    """True when an @handle's body reads as a social network's handle: letters parted by
    ``_`` or ``.`` (``@jean_dupont``, ``@zoe.martin``) or letters then digits (``@jdupont74``).
    A lone word after ``@`` (``@media``, ``@domicile``, ``@mariedupont``) is no handle: it cannot
    be told apart from the ordinary words written after an ``@`` ("rendez-vous @domicile")."""
    if handle in _AT_WORDS or _COMMON_TLD_RE.search(handle):
        return False
    return bool(re.fullmatch(r"[a-z]+(?:[_.][a-z0-9]+)+|[a-z]{2,}[_.]?[a-z]*\d{1,6}", handle))


#: A network named before a handle written without "@" ("mon insta c'est marie.dupont.01").
_NETWORK_RE = re.compile(r"(?<![a-z])(?:insta(?:gram)?|snap(?:chat)?|skype|tiktok|facebook|fb|"
                         r"linkedin|twitter|discord|telegram|threads|bluesky|mastodon|pseudo|"
                         r"twitch|youtube|reddit|github|steam|pinterest|tumblr|bereal|kick|"
                         r"vinted|behance|dribbble|soundcloud|spotify|deezer|xbox|psn|"
                         r"playstation|roblox|minecraft)"
                         r"(?![a-z])")
#: A Discord tag, a name then ``#`` and four digits (``marie#4821``): one account, anywhere.
_TAG_RE = re.compile(r"(?<![a-z0-9_.#])(?!(?:ticket|commande|facture|dossier|ref|no|num|"
                     r"numero|issue|bug|page|lot|n)#)[a-z0-9_.]{2,32}#\d{4}(?![0-9])")
_TOKEN_RE = re.compile(r"(?<![a-z0-9_.@])[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*")


def handle_spans(norm: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _PROFILE_RE.finditer(norm)
             if len(m.group("h")) >= 2 and not _NOT_PROFILE.match(m.group("h"))]
    for m in _AT_HANDLE_RE.finditer(norm):
        h = m.group("h").rstrip("._")
        if 3 <= len(h) <= 30 and _person_like(h):
            spans.append((m.start(), m.start("h") + len(h)))
    spans += [m.span() for m in _TAG_RE.finditer(norm)]
    for m in _NETWORK_RE.finditer(norm):  # the first handle-like word after, same sentence
        tail = norm[m.end():m.end() + 40]
        stop = re.search(r"[!?\n]|\.(?:\s|$)", tail)
        for t in _TOKEN_RE.finditer(tail[:stop.start()] if stop else tail):
            h = t.group().rstrip("._")
            if 3 <= len(h) <= 30 and _person_like(h):
                spans.append((m.end() + t.start(), m.end() + t.start() + len(h)))
                break
    return spans


# ============================================================================================
# A person's own web site
# ============================================================================================

#: "Mon site", "ma boutique", "my website"…: what the writer calls theirs.
_OWN_SITE_RE = re.compile(
    r"(?<![a-z])(?:(?:mon|ma|notre) (?:site(?: internet| web)?|boutique(?: en ligne)?|blog|"
    r"page(?: pro(?:fessionnelle)?)?|vitrine|portfolio|chaine)|"
    r"my (?:web ?site|site|shop|store|blog|page|portfolio|channel))(?![a-z])")
#: A web address: a scheme or ``www.``, or a name with a dot and a domain of 2 to 6 letters.
_WEB_RE = re.compile(r"(?<![a-z0-9@._\-])(?:https?://)?(?:www\.)?[a-z0-9][a-z0-9\-]*"
                     r"(?:\.[a-z0-9\-]+)*\.[a-z]{2,6}(?:/[^\s]*)?(?![a-z0-9@\-])")


def website_spans(norm: str) -> list[tuple[int, int]]:
    """A web address written after words that make it the writer's own ("le site de ma
    boutique : www.marie-dupont-couture.fr", "my website is anne-art.com"), in the same
    sentence: it leads to the person. A web address alone (an organisation's, a source's) is
    left: it names no one."""
    spans = []
    for m in _OWN_SITE_RE.finditer(norm):
        tail = norm[m.end():m.end() + 80]
        stop = re.search(r"[!?\n]|\.(?:\s|$)", tail)
        w = _WEB_RE.search(tail[:stop.start()] if stop else tail)
        if w is not None:
            spans.append((m.end() + w.start(), m.end() + w.end()))
    return spans
