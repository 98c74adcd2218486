"""Part of the personal-data detector (:mod:`fac_eval.disclosure.pii`): the check digits of French
social-security numbers (NIR) and of IBANs, so that only numbers with a right key are taken
for personal data."""

from __future__ import annotations

import re

__all__ = ["nir_key", "nir_is_valid", "IBAN_LENGTHS", "iban_is_valid", "card_is_valid"]



def nir_key(first13: str) -> int:
    """The key of a French social-security number (NIR) from its first 13 characters:
    97 − (n mod 97), where Corsica's department ``2A`` is read as 19 and ``2B`` as 18."""
    s = first13.upper().replace("2A", "19", 1) if first13[5:7].upper() == "2A" else first13.upper()
    if first13[5:7].upper() == "2B":
        s = first13[:5] + "18" + first13[7:]
    return 97 - int(s) % 97


def nir_is_valid(value: str) -> bool:
    """True when ``value`` (spaces, dots and dashes ignored) is a NIR with the right key."""
    s = re.sub(r"[\s.\-]", "", str(value)).upper()
    if not re.fullmatch(r"[1-478]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}", s):
        return False
    month = int(s[3:5])
    if not (1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99):
        return False
    return nir_key(s[:13]) == int(s[13:])


#: Length of an IBAN per country: the ISO 13616 registry (SWIFT), the French overseas
#: territories that use France's format, and the countries of francophone Africa whose banks
#: print IBAN-format numbers. A code that is not here is no IBAN's ("aa82…" in a SHA-256 digest).
IBAN_LENGTHS = {
    "ad": 24, "ae": 23, "al": 28, "at": 20, "az": 28, "ba": 20, "be": 16, "bg": 22, "bh": 22,
    "bi": 27, "br": 29, "by": 28, "ch": 21, "cr": 22, "cy": 28, "cz": 24, "de": 22, "dj": 27,
    "dk": 18, "do": 28, "ee": 20, "eg": 29, "es": 24, "fi": 18, "fk": 18, "fo": 18, "fr": 27,
    "gb": 22, "ge": 22, "gi": 23, "gl": 18, "gr": 27, "gt": 28, "hr": 21, "hu": 28, "ie": 22,
    "il": 23, "iq": 23, "is": 26, "it": 27, "jo": 30, "kw": 30, "kz": 20, "lb": 28, "lc": 32,
    "li": 21, "lt": 20, "lu": 20, "lv": 21, "ly": 25, "mc": 27, "md": 24, "me": 22, "mk": 19,
    "mn": 20, "mr": 27, "mt": 31, "mu": 30, "ni": 28, "nl": 18, "no": 15, "om": 23, "pk": 24,
    "pl": 28, "ps": 29, "pt": 25, "qa": 29, "ro": 24, "rs": 22, "ru": 33, "sa": 24, "sc": 31,
    "sd": 18, "se": 24, "si": 19, "sk": 24, "sm": 27, "so": 23, "st": 25, "sv": 28, "tl": 23,
    "tn": 24, "tr": 26, "ua": 29, "va": 22, "vg": 24, "xk": 20, "ye": 30,
    # France's format overseas
    "re": 27, "gp": 27, "mq": 27, "gf": 27, "yt": 27, "nc": 27, "pf": 27, "pm": 27, "bl": 27,
    "mf": 27, "wf": 27, "tf": 27,
    # IBAN-format numbers of francophone Africa (not in the registry)
    "dz": 26, "ma": 28, "sn": 28, "ci": 28, "bj": 28, "bf": 28, "ml": 28, "ne": 28, "tg": 28,
    "cm": 27, "ga": 27, "cg": 27, "td": 27, "cf": 27, "gq": 27, "km": 27, "mg": 27, "ao": 25,
    "cv": 25, "mz": 25, "gw": 25,
}


#: Letters of an IBAN read as numbers (a = 10 … z = 35) for the mod-97 check.
_BASE36 = {ord(c): str(10 + i) for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")}


def iban_is_valid(value: str) -> bool:
    """True when ``value`` (spaces ignored, any case) is an IBAN of a country of
    :data:`IBAN_LENGTHS`, of that country's length, whose ISO 13616 mod-97 check is 1."""
    s = re.sub(r"\s", "", str(value)).lower()
    if not re.fullmatch(r"[a-z]{2}\d{2}[a-z0-9]{11,30}", s):
        return False
    if len(s) != IBAN_LENGTHS.get(s[:2]):
        return False
    moved = s[4:] + s[:4]
    digits = moved.translate(_BASE36)
    return int(digits) % 97 == 1


#: Card numbers' issuer prefixes (ISO/IEC 7812 IINs of the networks in use: Visa, Mastercard,
#: American Express, Discover, JCB, Diners, UnionPay, Maestro, CB).
_CARD_PREFIX = re.compile(r"4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|3(?:0[0-5]|[689])|35|"
                          r"6(?:011|4[4-9]|5|2)|5[06-9]|6\d")


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check of a string of digits, as card numbers carry it."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_is_valid(value: str) -> bool:
    """True when ``value`` (spaces and dashes ignored) is a payment card number: 13, 15 to 19
    digits (14 is left out: a SIRET has 14 digits and passes the same check), an issuer prefix
    of :data:`_CARD_PREFIX`, and the Luhn check."""
    s = re.sub(r"[\s\-]", "", str(value))
    if not s.isdigit() or len(s) not in (13, 15, 16, 17, 18, 19):
        return False
    return bool(_CARD_PREFIX.match(s)) and luhn_ok(s)
