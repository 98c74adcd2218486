"""Numbers an administration gives one person or their vehicle: a French number plate and a
France Travail (formerly Pôle emploi) job seeker's identifier.

Both are found in the normalised text of :mod:`fac_eval.disclosure.pii_normalise` (lower case,
accents folded, every dash ``-``).

``plate``
    A plate of the SIV system (since 2009): two letters, three digits, two letters, the letters
    never I, O or U (``AB-123-CD``, ``ab123cd``). Written with spaces (``AB 123 CD``), as the
    older FNI plates (``123 ABC 75``, ``1234 AB 01``), it is taken only after a word of
    vehicles (plaque, immatriculation, voiture, véhicule, moto, camion, scooter, car, vehicle),
    since "le 123 km" has the same shape.
``jobseeker_id``
    A France Travail identifier: seven digits and a letter or digit (``1234567A``,
    ``12345678``), taken only after a word that names it (identifiant, numéro, n° ... France
    Travail, Pôle emploi, demandeur d'emploi, inscription), since eight digits alone are also
    amounts and counts.

``official_id``
    The number of an identity document, a residence permit, a driving licence, a tax or a
    family-allowance (CAF, MSA) file, after the words that name it (:func:`official_spans`).

Reference: arrêté du 9 février 2009 relatif aux modalités d'immatriculation des véhicules
(annexe, format AA-123-AA); France Travail, "Mon identifiant" (7 chiffres et 1 lettre).
"""

from __future__ import annotations

import re

_LETTER = "[a-hj-np-tv-z]"  # never i, o, u on a SIV plate
_SIV_TIGHT_RE = re.compile(rf"(?<![a-z0-9]){_LETTER}{{2}}(?:-\d{{3}}-|\d{{3}}){_LETTER}{{2}}"
                           r"(?![a-z0-9])")
_VEHICLE = (r"(?:plaques?|immatricul\w*|voitures?|vehicules?|motos?|camions?|scooters?|"
            r"cars?|vehicles?|licen[cs]e plates?|registration)")
#: Units and words written between two numbers ("3 ans 12", "90 km 50"): never a plate's letters.
_UNITS = (r"(?:ans?|km|kms|mn|min|h|eur|kg|cm|mm|ml|cv|ch|kw|pts?|mo|go|to|et|ou|sur|a|de|"
          r"le|la|les|en|au|par|fois|mois)(?![a-z])")
_NEAR = r"(?<![a-z])" + _VEHICLE + r"(?![a-z])[^.!?\n]{0,40}?"
_SPACED_RE = re.compile(
    _NEAR + rf"(?P<plate>(?<![a-z0-9]){_LETTER}{{2}}[ -]?\d{{3}}[ -]?{_LETTER}{{2}}"
    r"|(?<![a-z0-9])\d{1,4}[ -]?(?!" + _UNITS + r")[a-z]{1,3}[ -]?(?:\d{2}|2[ab]|97\d)"
    r")(?![a-z0-9])")
_JOBSEEKER_RE = re.compile(
    r"(?<![a-z])(?:france travail|pole[ -]emploi|demandeur(?:se)? d'emploi|inscription|"
    r"identifiant|job ?seeker)(?![a-z])[^.!?\n]{0,40}?"
    r"(?P<id>(?<![a-z0-9])\d{7}[ -]?[a-z0-9])(?![a-z0-9])")


#: A number an administration gives a person on a document, after the words that name it
#: (passport, identity card, residence permit, driving licence, tax number, family-allowance
#: number, health card): a run of 5 to 20 letters and digits holding at least 4 digits.
_DOCUMENT_RE = re.compile(
    r"(?<![a-z])(?:passeport|passport|carte (?:nationale )?d'identite|cni|identity card|"
    r"id card|titre de sejour|carte de sejour|residence permit|permis de conduire|"
    r"driving licen[cs]e|numero fiscal|n fiscal|identifiant fiscal|numero d'identification "
    r"fiscale|spi|tax (?:number|id)|allocataire|(?:numero|n°?|no) (?:caf|msa)|(?:caf|msa) (?:n°?|no|numero)|"
    r"carte vitale|numero d'adherent)"
    r"(?![a-z])[^.!?\n]{0,40}?"
    r"(?P<id>(?<![a-z0-9])(?=(?:[a-z]*\d){4})[a-z0-9]{5,20})(?![a-z0-9])")


def official_spans(norm: str) -> list[tuple[int, int]]:
    """Where ``norm`` holds a document's number after the words that name it (see
    :data:`_DOCUMENT_RE`): ``passeport 12AB34567``, ``numéro fiscal 1234567890123``."""
    return [m.span("id") for m in _DOCUMENT_RE.finditer(norm)]


def plate_spans(norm: str) -> list[tuple[int, int]]:
    """Where ``norm`` holds a number plate (see the module)."""
    spans = [m.span() for m in _SIV_TIGHT_RE.finditer(norm)]
    spans += [m.span("plate") for m in _SPACED_RE.finditer(norm)]
    return spans


def jobseeker_spans(norm: str) -> list[tuple[int, int]]:
    """Where ``norm`` holds a France Travail identifier (see the module)."""
    return [m.span("id") for m in _JOBSEEKER_RE.finditer(norm)]
