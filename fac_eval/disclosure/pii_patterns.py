"""The detector's patterns of contact data, read on normalised text (:mod:`fac_eval.disclosure.pii`):
e-mails however written, phone numbers, NIR, IBAN; each gives the spans it finds (dates of
birth, postal addresses and profiles: :mod:`fac_eval.disclosure.pii_prose`)."""

from __future__ import annotations

import re

from .pii_checks import IBAN_LENGTHS as IBAN_LENGTHS
from .pii_checks import card_is_valid, iban_is_valid, nir_is_valid
from .pii_spelled import spelled_phone_spans

_COMMON_TLDS = (
    "fr|com|net|org|eu|info|io|be|ch|de|uk|co|biz|me|re|lu|ca|es|it|pt|gouv|asso|email|online|"
    "free|orange|gmail|yahoo|hotmail|outlook|laposte|sfr|wanadoo"
)
_AT_BRACKET = r" *[\[\(\{<] *(?:at|a|arobase|arobas|chez|@) *[\]\)\}>] *"
#: ``@`` escaped as a URL or an HTML entity would be (``%40``, ``&#64;``, ``&commat;``).
_AT_CODED = r" *(?:%40|&#0*64;?|&#x0*40;?|&commat;?) *"
_AT_WORD = r" +(?:at|arobase|arobas|chez) +"
_DOT_BRACKET = r" *[\[\(\{<] *(?:dot|point|pt|\.) *[\]\)\}>] *"
_DOT_CODED = r"(?:%2e|&#0*46;?|&#x0*2e;?|&period;?|[\u00b7\u2022\u2219\u3002])"
_DOT_WORD = r" +(?:dot|point) +"
_DOT_SPACED = r"(?: +\. *| *\. +)"
#: A comma for the last dot (``marie@gmail,com``): only after a real ``@`` and before a common
#: top-level domain.
_DOT_COMMA = r" ?, ?(?=(?:" + _COMMON_TLDS + r")(?![a-z0-9\-]))"
#: Mail providers: ``local chez gmail.com`` with a bare ``chez`` needs one of them (or a local
#: part that no word has: a dot, a digit…), and ``marie@gmail`` without a top-level domain is
#: an address too.
#: A top-level domain run together with its provider (``g.m.a.i.l.c.o.m`` closed up).
_RUN_TLDS = "com|fr|net|org|eu|be|ch"
_PROVIDERS = ("gmail|googlemail|yahoo|hotmail|outlook|live|msn|icloud|me|orange|wanadoo|free|"
              "sfr|neuf|laposte|bbox|numericable|aol|gmx|protonmail|proton|yandex|mail|zoho|"
              "caramail|club-internet|aliceadsl|tutanota")
_LOCAL = (r"[a-z0-9](?:[a-z0-9_%+\-]|[.\u00b7\u2022](?=[a-z0-9])"
          r"| (?:\.|dot|point) (?=[a-z0-9])| ?[\[\(](?:dot|point|\.)[\]\)] ?(?=[a-z0-9]))*")
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_EMAIL_RE = re.compile(
    r"(?<![a-z0-9_.%+\-])(?P<local>" + _LOCAL + r")"
    r"(?P<at> *@{1,3} *|" + _AT_BRACKET + "|" + _AT_CODED + "|" + _AT_WORD + r")"
    r"(?P<domain>" + _LABEL + r"(?:(?:\.|" + _DOT_BRACKET + "|" + _DOT_CODED + "|" + _DOT_WORD
    + "|" + _DOT_SPACED + r")" + _LABEL + r")*)"
    r"(?P<dot>" + _DOT_SPACED + r"|\.|" + _DOT_BRACKET + "|" + _DOT_CODED + "|" + _DOT_WORD
    + "|" + _DOT_COMMA + r")"
    r"(?P<tld>[a-z]{2,24})(?![a-z0-9\-])"
)
#: A quoted local part (``"marie dupont"@gmail.com``, as RFC 5322 allows it).
_EMAIL_QUOTED_RE = re.compile(r"[\"\u201c\u201d\u00ab] ?[^\"\u201c\u201d\u00bb@\n]{1,64} ?"
                              r"[\"\u201c\u201d\u00bb] *@{1,3} *" + _LABEL + r"(?:\." + _LABEL
                              + r")*\.[a-z]{2,24}(?![a-z0-9\-])")
_BARE_WORD = re.compile(r"^ +(?:at|arobase|arobas|chez|dot|point) +$")
#: A plain address (a real ``@``, plain dots): what is left when a disguised reading of the same
#: text runs on into the next sentence (``marie@gmail.com. Merci`` read as ``…com . merci``).
_EMAIL_PLAIN_RE = re.compile(r"(?P<local>" + _LOCAL + r") *@{1,3} *" + _LABEL + r"(?:\." + _LABEL
                             + r")*\.[a-z]{2,24}(?![a-z0-9\-])")
#: ``marie@gmail`` (a provider, no top-level domain): an address all the same.
_EMAIL_NO_TLD_RE = re.compile(
    r"(?<![a-z0-9_.%+\-])(?:" + _LOCAL + r"(?: *@ *|" + _AT_BRACKET + "|" + _AT_CODED
    + r"| +arobase +| +arobas +)|(?=[a-z0-9]+[._\-\d])[a-z0-9][a-z0-9._\-]*+ +(?:chez|at) +)(?:"
    + _PROVIDERS + r")(?:" + _RUN_TLDS + r")?(?![a-z0-9\-]|\.[a-z0-9])"
)
#: Webmail names no ordinary sentence has after a person's name (``orange``, ``free``, ``sfr``
#: are words or firms too: after a bare space they need their top-level domain).
_WEBMAILS = ("gmail|googlemail|hotmail|yahoo|outlook|laposte|wanadoo|icloud|protonmail|gmx|"
             "caramail|tutanota|yandex|aol")
_WEBMAIL_WORD_RE = re.compile(r"(?<![a-z])(?:" + _WEBMAILS + r")(?![a-z])")
_PROVIDER_WORD_RE = re.compile(r"(?<![a-z])(?:" + _PROVIDERS + r")(?![a-z])")
#: A top-level domain after a provider without its ``@``: a dot (or ``dot``, ``point``, a
#: bracketed one) or a bare space, then a common top-level domain.
_TLD_AFTER = (r"(?: *\. *| +(?:dot|point) +| *[\[\(](?:dot|point|\.)[\]\)] *| +)(?:"
              + _COMMON_TLDS + r")(?![a-z0-9\-])")
#: Words that are no e-mail's local part before a provider ("sur gmail", "mon compte gmail").
_NOT_LOCAL = (r"(?:sur|sous|par|pour|de|du|des|mon|ma|mes|ton|ta|tes|son|sa|ses|votre|vos|notre|"
              r"nos|leur|leurs|via|avec|sans|le|la|les|l|un|une|compte|adresse|mail|email|e-mail|"
              r"courriel|boite|messagerie|on|my|your|his|her|our|with|at|a|et|ou|en|chez|of|in|"
              r"est|c|and|or|to|the|from|no|pas|ni)(?![a-z0-9._\-])")
#: E-mails without their ``@`` (:func:`_email_spans`): a local part that no word has (a dot, an
#: underscore, a hyphen or digits inside) then a provider after a space (``marie.dupont gmail
#: com``, ``zoe75 hotmail``); one or two words, ``at`` / ``arobase`` and a webmail
#: (``marie dupont at gmail``); a word then a webmail and its domain (``marie gmail com``).
_EMAIL_NO_AT_RES = (
    re.compile(r"(?<![a-z0-9_.%+\-@'])(?P<local>[a-z0-9]+(?:[._\-][a-z0-9]+)+|[a-z]+\d+) +"
               r"(?P<p>" + _PROVIDERS + r")(?P<t>" + _TLD_AFTER + r")?(?![a-z0-9\-])"),
    re.compile(r"(?<![a-z0-9_.%+\-@'])(?!" + _NOT_LOCAL + r")(?:[a-z][a-z0-9._\-]* +(?!"
               + _NOT_LOCAL + r"))?[a-z][a-z0-9._\-]* +(?:at|arobase|arobas) +(?:" + _WEBMAILS
               + r")(?:" + _TLD_AFTER + r")?(?![a-z0-9\-])"),
    re.compile(r"(?<![a-z0-9_.%+\-@'])(?!" + _NOT_LOCAL + r")[a-z][a-z0-9]{1,30} +(?:" + _WEBMAILS
               + r")" + _TLD_AFTER),
)

#: English words of a sentence (pronouns, auxiliaries, verbs and nouns said before "at" a
#: firm): "she works at gmail", "my friend is at gmail", "we met people at gmail".
_ENGLISH_WORDS = frozenset(
    "i me we us you he she it they them him her his its our their who someone everyone people "
    "is are was were be been am being has have had do does did will would can could may might "
    "shall should must not also still now then here there just only really "
    "work works worked working job jobs employed intern interns internship engineer engineers "
    "developer staff team teams colleague colleagues friend friends sister brother mother "
    "father son daughter wife husband cousin met meet meeting meetings account accounts login "
    "problem problems issue issues trouble spam mail mails email emails message messages "
    "office offices interview interviews started start left leave joined join hired "
    "got get gets went go goes came come comes stayed stay stays lives live lived "
    "found find saw see sent send send received receive".split())


def _plain_english_at(found: str) -> bool:
    """True when a match of "words at webmail" is English prose rather than an address: the
    bare English word ``at`` (not ``arobase``), no top-level domain after the webmail, and one
    of the words before it an English word of a sentence (:data:`_ENGLISH_WORDS`): "she works
    at gmail", "friends at gmail". Still addresses: "marie dupont at gmail", "jean dot dupont
    at gmail", "marie dupont at gmail dot com", "zoe arobase hotmail"."""
    m = re.match(r"(?P<local>.*?) +at +(?P<mail>[a-z\-]+)(?P<rest>.*)$", found)
    if m is None or m.group("rest").strip():
        return False
    return any(w in _ENGLISH_WORDS for w in m.group("local").split())


# phones: groups of two digits, or single digits, with one and the same separator throughout
# (a space, a dot, a dash, a slash or an underscore, possibly with spaces around it), or none
_PSEP = r"(?: ?[.\-/_] ?| {1,2})"
#: For numbers written with their 0 or +33 (a strong sign): any of the marks a writer may put
#: between groups (``06|12|34|56|78``, ``06,12,34,56,78``, ``06:12:…``, ``06\12…``).
_PSEP_WIDE = r"(?: ?[.\-/_|,;:\\*~+=#·•]{1,2} ?| {1,2})"
_BEFORE = r"(?<![a-z0-9_+])(?<!\d[.,])"
_AFTER = (r"(?!\d|[.,]\d|[a-z_]| ?%| ?(?:€|eur\b|euros?\b|\$|£|k€|pts?\b|points?\b|ans\b|h\b|"
          r"min\b))")


def _nine(first: str, n: int) -> str:
    """9 national digits (after the 0) starting with ``first``: contiguous, in 1+2+2+2+2
    groups, or digit by digit, one separator throughout (groups numbered from ``n``)."""
    return (rf"{first}(?:\d{{8}}|(?P<s{n}>{_PSEP_WIDE})\d\d(?:(?P=s{n})\d\d){{3}}"
            rf"|(?P<s{n + 1}>{_PSEP_WIDE})\d(?:(?P=s{n + 1})\d){{7}})")


_FR_PREFIX = r"(?:(?:\+|00) ?33|\( ?(?:\+|00) ?33 ?\)|\+ ?\( ?33 ?\))"
_PHONE_RES = (
    # +33 6 12 34 56 78, 0033 (0)6…, (+33) 612345678
    ("intl_fr", re.compile(_BEFORE + _FR_PREFIX + r" ?[.\-/_|,;:\\*~]? ?(?:\( ?0 ?\) ?)?0?"
                           + _nine("[1-9]", 1) + _AFTER)),
    # the country code without its + or 00: 33612345678, 33 6 12 34 56 78
    ("intl_fr_bare", re.compile(_BEFORE + r"33 ?[.\-/_|,;:\\*~]? ?" + _nine("[1-9]", 1)
                                + _AFTER)),
    # other international numbers: +44 20 7946 0958 (8–15 digits, checked below)
    ("intl", re.compile(_BEFORE + r"(?:\+|00)(?!33)[1-9]\d{0,2}(?:[ .\-]?\(?\d{1,4}\)?){2,6}"
                        + _AFTER)),
    # national: 0612345678, 06 12 34 56 78, 06/12/34/56/78, 0 6 1 2 3 4 5 6 7 8
    ("national", re.compile(_BEFORE + r"(?:0|o(?=[1-9]))(?:[1-9](?:\d{8}|(?P<s1>" + _PSEP_WIDE
                            + r")\d\d(?:(?P=s1)\d\d){3})|(?P<s2>" + _PSEP_WIDE
                            + r")[1-9](?:(?P=s2)\d){8})" + _AFTER)),
    # national numbers grouped as the writer likes (0612 345 678, 06 123 456 78, 061.234.5678):
    # ten digits with single spaces or single dots between groups (the count is checked below)
    ("loose_space", re.compile(_BEFORE + r"0[1-9](?:\d| (?=\d)){8,14}" + _AFTER)),
    ("loose_dot", re.compile(_BEFORE + r"0[1-9](?:\d|\.(?=\d)){8,14}" + _AFTER)),
    ("loose_mark", re.compile(_BEFORE + r"0[1-9](?:\d|[\-/_](?=\d)){8,14}" + _AFTER)),
    # the area code in brackets: (06) 12 34 56 78, (04).74.12.34.56
    ("bracketed", re.compile(_BEFORE + r"\( ?0 ?[1-9] ?\)(?: ?[.\-/_]? ?\d){8}" + _AFTER)),
    # North American national numbers: (555) 123-4567, 555-123-4567, 555.123.4567
    ("nanp", re.compile(_BEFORE + r"(?:\( ?[2-9]\d\d ?\) ?|[2-9]\d\d(?P<n1>[.\- ]))\d{3}"
                        r"(?:(?(n1)(?P=n1)|[.\- ]))\d{4}" + _AFTER)),
    # British and other national numbers of 11 digits: 020 7946 0958, 01632 960 123
    ("national_11", re.compile(_BEFORE + r"0[1-9]\d{1,3}(?: \d{3,4}){2}" + _AFTER)),
    # leading 0 missing: 6 12 34 56 78 (any first digit), 612345678 or 6 1 2 … (mobiles)
    ("nozero", re.compile(_BEFORE + r"(?:[1-9](?P<s1>" + _PSEP + r")\d\d(?:(?P=s1)\d\d){3}"
                          r"|[67]\d{8}|[67](?P<s2>" + _PSEP + r")\d(?:(?P=s2)\d){7})" + _AFTER)),
)

_NIR_RE = re.compile(
    r"(?<![a-z0-9])[1-478][ .\-]?\d{2}[ .\-]?\d{2}[ .\-]?(?:\d{2}|2a|2b)[ .\-]?\d{3}[ .\-]?\d{3}"
    r"[ .\-]?\d{2}(?![a-z0-9])"
)
#: A NIR written without its 2-digit key (13 characters: sex, year, a month from 01 to 12, a
#: department, a commune and an order number): no key to check, so the month must be a
#: calendar one and the number stand alone.
_NIR_NO_KEY_RE = re.compile(
    r"(?<![a-z0-9])[12][ .\-]?\d{2}[ .\-]?(?:0[1-9]|1[0-2])[ .\-]?(?:\d{2}|2a|2b)[ .\-]?\d{3}"
    r"[ .\-]?\d{3}(?![a-z0-9]|[ .\-]?\d)"
)
#: An IBAN: a country code, 2 check digits, then 11–30 letters or digits, with spaces, dots,
#: dashes, slashes or underscores between the groups (``FR76-3000-…``, ``fr 76 3000 …``).
_IBAN_RE = re.compile(r"(?<![a-z0-9])[a-z]{2}(?: ?[.\-_/]? ?)\d{2}(?: ?[.\-_/]? ?[a-z0-9]){11,30}")
_IBAN_MARKS_RE = re.compile(r"[ .\-_/]")

#: A local part, a word for "at" (``sur``, ``chez``, ``at``, ``à``) and a provider:
#: "mdupont sur gmail", "mdupont chez orange", "jmartin sur hotmail point com"; the local part
#: must read as an address (:func:`_address_like`), so that "je suis sur gmail" and "je
#: travaille chez orange" stay text.
_WORD_AT_PROVIDER_RE = re.compile(
    r"(?<![a-z0-9_.%+\-@'])(?P<local>[a-z][a-z0-9._\-]*[a-z0-9]) +(?:sur|chez|at|on|a) +(?P<p>"
    + _PROVIDERS + r")(?P<t>" + _TLD_AFTER + r")?(?![a-z0-9\-])")
def _catalog_words() -> frozenset[str]:
    from .pii_names import catalog_words

    return catalog_words()


#: The words that announce an e-mail address ("mon mail c'est", "my email is", "courriel :").
_MAIL_WORDS_RE = re.compile(r"(?<![a-z])(?:e-?mail|mail|mel|courriel|adresse)(?![a-z])")
#: How French (and English) words may start: two consonants of a word's start.
_ONSETS = frozenset("bl br ch cl cr dr fl fr gl gr gn kh kr ph pl pr ps pn qu rh sc sh sk sl sm "
                    "sn sp st sv sw th tr ts tw vr wh wr".split())
_VOWELS = set("aeiouy")


def _address_like(local: str) -> bool:
    """True when a word before "sur gmail" reads as an e-mail's local part rather than a word:
    a dot, an underscore, a hyphen or a digit inside (``m.dupont``, ``zoe75``), or an initial
    glued to a name (``mdupont``, ``jmartin``: two consonants no word starts with)."""
    if re.search(r"[._\-\d]", local):
        return True
    return (len(local) >= 5 and local[0] not in _VOWELS and local[1] not in _VOWELS
            and local[:2] not in _ONSETS and any(c in _VOWELS for c in local[2:]))


#: Any run with a real ``@`` inside it: whatever its domain looks like (``jd@gma1l.c0m``,
#: ``jd@localhost``, an internationalised ``jd@домен.рф``), a word, an ``@`` and a word of at
#: least 3 characters run together are an address; prose puts spaces around an ``@`` ("rdv @
#: 10 h"), a handle starts with it or follows a ``/`` (:func:`~fac_eval.disclosure.pii_prose.
#: handle_spans`). The characters that end the run on either side:
_AT_STOP = frozenset(" \t\n\r@()[]{}<>\"'\u00ab\u00bb,;:!?/")


def _at_runs(norm: str) -> list[tuple[int, int]]:
    """Spans of :data:`_AT_STOP`-bounded runs around each ``@`` (read in one pass)."""
    out: list[tuple[int, int]] = []
    at = norm.find("@")
    while at != -1:
        a = at
        while a > 0 and norm[a - 1] not in _AT_STOP:
            a -= 1
        b = at + 1
        while b < len(norm) and norm[b] not in _AT_STOP:
            b += 1
        while b > at + 1 and not norm[b - 1].isalnum():  # a full stop after the address
            b -= 1
        local, domain = norm[a:at], norm[at + 1:b]
        if any(c.isalnum() for c in local) and len(domain) >= 3 and domain[0].isalnum():
            out.append((a, b))
        at = norm.find("@", max(b, at + 1))
    return out


def _email_spans(norm: str) -> list[tuple[int, int]]:
    out = _at_runs(norm)
    for m in _EMAIL_RE.finditer(norm):
        at, dot, tld = m.group("at"), m.group("dot"), m.group("tld")
        bare_at = bool(_BARE_WORD.match(at))
        bare = bare_at or bool(_BARE_WORD.match(dot)) \
            or re.search(_DOT_WORD, m.group("domain")) is not None \
            or bool(re.fullmatch(_DOT_SPACED, dot)) \
            or re.search(_DOT_SPACED, m.group("domain")) is not None
        if bare and not re.fullmatch(_COMMON_TLDS, tld):
            plain = _EMAIL_PLAIN_RE.match(norm, m.start())
            if plain:
                out.append(plain.span())
            continue
        if "," in dot and bare_at:
            continue
        if at.strip() == "chez" and not (
                re.match(r"(?:" + _PROVIDERS + r")\b", m.group("domain"))
                or re.search(r"[._%+\-\d]", m.group("local"))):
            continue  # "je travaille chez free.fr" reads as a workplace, not as an address
        out.append(m.span())
    out += [m.span() for m in _EMAIL_NO_TLD_RE.finditer(norm)]
    if "@" in norm:
        out += [m.span() for m in _EMAIL_QUOTED_RE.finditer(norm)]
    has_webmail = _WEBMAIL_WORD_RE.search(norm) is not None
    has_provider = has_webmail or _PROVIDER_WORD_RE.search(norm) is not None
    for k, rx in enumerate(_EMAIL_NO_AT_RES):
        if not (has_provider if k == 0 else has_webmail):
            continue  # no provider named: nothing to look for (and no walk over every word)
        for m in rx.finditer(norm):
            if k == 0 and m.group("t") is None and (
                    not re.fullmatch(_WEBMAILS, m.group("p"))
                    or not re.search(r"[._\d]", m.group("local"))):
                continue  # "rendez-vous orange", "peut-etre gmail": a word, not an address
            if k == 1 and _plain_english_at(m.group()):
                continue  # "she works at gmail": English prose, no local part
            out.append(m.span())
    if has_provider:
        for m in _WORD_AT_PROVIDER_RE.finditer(norm):
            local = m.group("local")
            if re.fullmatch(_NOT_LOCAL, local):
                continue
            # "mon mail c'est mariedupont sur gmail": after the words of an address, a long
            # word that is none of the report's own words (a first and a last name run
            # together) is its local part
            if _address_like(local) or (
                    len(local) >= 7 and local not in _catalog_words()
                    and _MAIL_WORDS_RE.search(norm[max(0, m.start() - 30):m.start()])):
                out.append(m.span())
    return out


def _phone_spans(norm: str) -> list[tuple[int, int]]:
    """Phone numbers (see the module docstring); overlaps are resolved by :func:`find_pii`
    (the earliest, then the longest, wins)."""
    spans: list[tuple[int, int]] = spelled_phone_spans(norm)
    for kind, rx in _PHONE_RES:
        for m in rx.finditer(norm):
            if kind == "intl" and not 8 <= sum(ch.isdigit() for ch in m.group()) <= 15:
                continue
            if kind.startswith("loose") and sum(ch.isdigit() for ch in m.group()) != 10:
                continue
            if kind == "national_11" and sum(ch.isdigit() for ch in m.group()) != 11:
                continue
            spans.append(m.span())
    return spans


def _nir_spans(norm: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _NIR_RE.finditer(norm) if nir_is_valid(m.group())]
    return spans + [m.span() for m in _NIR_NO_KEY_RE.finditer(norm)]


def _iban_groups_ok(groups: list[str]) -> bool:
    """The groups of an IBAN as written (letters and digits between the marks): the country
    code and the check digits (``fr76`` or ``fr`` ``76``), then the groups of the account
    (BBAN), each of which holds a digit except the first (a bank's letters: ``GB82 WEST …``),
    so that words of a sentence ("de 12 mois après la formation…") are no account."""
    if groups[0][:2].isalpha() and len(groups[0]) == 2:
        groups = [groups[0] + groups[1], *groups[2:]] if len(groups) > 1 else groups
    if not re.fullmatch(r"[a-z]{2}\d{2}(?:[a-z0-9]*)", groups[0]):
        return False
    bban = groups[1:] if len(groups[0]) == 4 else [groups[0][4:], *groups[1:]]
    return all(any(ch.isdigit() for ch in g) for g in bban[1:])


def _iban_spans(norm: str) -> list[tuple[int, int]]:
    """IBANs (see :func:`~fac_eval.disclosure.pii_checks.iban_is_valid`): a country code of
    :data:`IBAN_LENGTHS`, its check digits, then exactly that country's number of letters and
    digits, marks only between groups (:func:`_iban_groups_ok`), ending where a word ends (a
    run of hexadecimal digits of a SHA-256 digest is no IBAN, whatever its prefix), passing
    the mod-97 check. A candidate that is none is read again from its next character, so that
    "de 12 FR76 …" still finds the IBAN."""
    out: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = _IBAN_RE.search(norm, pos)
        if m is None:
            return out
        s = m.group()
        want = IBAN_LENGTHS.get(s[:2])
        cut = (re.match(r"(?:[^a-z0-9]*[a-z0-9]){" + str(want) + "}", s)
               if want is not None else None)
        if cut is not None:
            e = m.start() + cut.end()
            groups = [g for g in _IBAN_MARKS_RE.split(s[:cut.end()]) if g]
            if (e >= len(norm) or not norm[e].isalnum()) and _iban_groups_ok(groups) \
                    and iban_is_valid("".join(groups)):
                out.append((m.start(), e))
                pos = e
                continue
        pos = m.start() + 1


#: A card number as it is written: 13 to 19 digits, alone or in groups split by one space or
#: dash ("4532 0151 1283 0366", "4532-0151-1283-0366").
_CARD_RE = re.compile(r"(?<![\w.,])\d(?:[ \-]?\d){12,18}(?!\w|[.,]\d)")


def _card_spans(norm: str) -> list[tuple[int, int]]:
    """Payment card numbers (:func:`~fac_eval.disclosure.pii_checks.card_is_valid`): the
    longest run of digits that passes, read again from its next digit group otherwise."""
    out: list[tuple[int, int]] = []
    for m in _CARD_RE.finditer(norm):
        run = m.group()
        # a run may hold a card number and more digits: try each start of a group, longest end
        starts = [0] + [i + 1 for i, c in enumerate(run) if c in " -"]
        found = None
        for a in starts:
            ends = [len(run)] + [i for i in range(len(run) - 1, a, -1) if run[i] in " -"]
            for b in ends:
                if card_is_valid(run[a:b]):
                    found = (m.start() + a, m.start() + b)
                    break
            if found:
                break
        if found:
            out.append(found)
    return out
