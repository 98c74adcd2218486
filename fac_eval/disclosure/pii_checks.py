"""Part of the personal-data detector (:mod:`fac_eval.disclosure.pii`): the check digits of French
social-security numbers (NIR) and of IBANs, so that only numbers with a right key are taken
for personal data."""

from __future__ import annotations

import re

__all__ = ["nir_key", "nir_is_valid", "IBAN_LENGTHS", "iban_is_valid"]



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


#: Length of an IBAN per country (ISO 13616 registry, the countries a French programme meets).
IBAN_LENGTHS = {
    "fr": 27, "mc": 27, "de": 22, "be": 16, "es": 24, "it": 27, "ch": 21, "lu": 20, "gb": 22,
    "nl": 18, "pt": 25, "at": 20, "ie": 22, "dk": 18, "se": 24, "no": 15, "fi": 18, "pl": 28,
    "gr": 27, "li": 21, "sm": 27, "ad": 24, "ma": 28, "tn": 24, "dz": 26, "sn": 28, "re": 27,
    "gp": 27, "mq": 27, "gf": 27, "yt": 27, "nc": 27, "pf": 27, "pm": 27, "cz": 24, "ro": 24,
    "hu": 28, "bg": 22, "hr": 21, "si": 19, "sk": 24, "ee": 20, "lv": 21, "lt": 20, "cy": 28,
    "mt": 31, "is": 26, "tr": 26,
}


#: Letters of an IBAN read as numbers (a = 10 … z = 35) for the mod-97 check.
_BASE36 = {ord(c): str(10 + i) for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")}


def iban_is_valid(value: str) -> bool:
    """True when ``value`` (spaces ignored, any case) is an IBAN of the right length for its
    country (when known; 15–34 characters otherwise) whose ISO 13616 mod-97 check is 1."""
    s = re.sub(r"\s", "", str(value)).lower()
    if not re.fullmatch(r"[a-z]{2}\d{2}[a-z0-9]{11,30}", s):
        return False
    if len(s) != IBAN_LENGTHS.get(s[:2], len(s)):
        return False
    moved = s[4:] + s[:4]
    digits = moved.translate(_BASE36)
    return int(digits) % 97 == 1
