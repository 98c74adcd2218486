"""Exact strings of the report's number, date and statistic formatting."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fac_eval.core.formatting import (
    LOCALES,
    MISSING,
    fmt_ci,
    fmt_count,
    fmt_count_sentence,
    fmt_date,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_pvalue,
    html_text,
    locale_for,
    round_half_up,
)

NBSP = "\u00a0"  # what CLDR puts before % and € in French
NNBSP = "\u202f"  # French thousands separator


# ---------------------------------------------------------------------------- percentages


@pytest.mark.parametrize(
    "value, fr, en",
    [
        (0.875, f"88{NBSP}%", "88%"),  # 7/8 = 87.5 %, published as 88 %
        (7 / 8, f"88{NBSP}%", "88%"),
        (0.625, f"63{NBSP}%", "63%"),  # banker's rounding would give 62
        (0.125, f"13{NBSP}%", "13%"),  # banker's rounding would give 12
        (0.375, f"38{NBSP}%", "38%"),
        (0.75, f"75{NBSP}%", "75%"),
        (0.25, f"25{NBSP}%", "25%"),
        (1.0, f"100{NBSP}%", "100%"),
        (1, f"100{NBSP}%", "100%"),
        (0, f"0{NBSP}%", "0%"),
        (0.0, f"0{NBSP}%", "0%"),
        (0.285, f"29{NBSP}%", "29%"),  # 0.285 is 0.28499999... as a binary float
        (np.float64(0.875), f"88{NBSP}%", "88%"),
        (Decimal("0.005"), f"1{NBSP}%", "1%"),
        (-0.001, f"0{NBSP}%", "0%"),  # no "-0 %"
        (12.5, f"1{NNBSP}250{NBSP}%", "1,250%"),
    ],
)
def test_fmt_percent(value, fr, en):
    assert fmt_percent(value) == fr
    assert fmt_percent(value, "fr") == fr
    assert fmt_percent(value, lang="en") == en


def test_fmt_percent_decimals():
    assert fmt_percent(0.875, decimals=1) == f"87,5{NBSP}%"
    assert fmt_percent(0.875, "en", decimals=1) == "87.5%"
    assert fmt_percent(0.12345, decimals=2) == f"12,35{NBSP}%"
    assert fmt_percent(1, decimals=1) == f"100,0{NBSP}%"
    assert fmt_percent(2 / 3, decimals=1) == f"66,7{NBSP}%"


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, np.nan])
def test_missing_values(missing):
    assert fmt_percent(missing) == MISSING == "—"
    assert fmt_number(missing) == "—"
    assert fmt_money(missing) == "—"
    assert fmt_count(missing, 8) == "—"


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 40), data=st.data())
def test_fmt_percent_is_half_up_of_the_exact_ratio(n, data):
    k = data.draw(st.integers(0, n))
    expected = (Decimal(k) * 100 / Decimal(n)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert fmt_percent(k / n, "en") == f"{expected}%"
    assert fmt_count(k, n) == f"{k} sur {n} ({expected}{NBSP}%)"


def test_round_half_up():
    assert round_half_up(0.625, 2) == Decimal("0.63")
    assert round_half_up(87.5) == Decimal("88")
    assert round_half_up(-2.5) == Decimal("-3")
    assert round_half_up(2.675, 2) == Decimal("2.68")  # float 2.67499999...


# ---------------------------------------------------------------------------- numbers, money


def test_fmt_number():
    assert fmt_number(12500.5) == f"12{NNBSP}500,5"
    assert fmt_number(12500.5, "en") == "12,500.5"
    assert fmt_number(12500) == f"12{NNBSP}500"
    assert fmt_number(12500.0) == f"12{NNBSP}500"  # integral floats have no decimals
    assert fmt_number(12500, "en") == "12,500"
    assert fmt_number(3) == "3"
    assert fmt_number(np.int64(8)) == "8"
    assert fmt_number(0.1 + 0.2) == "0,3"
    assert fmt_number(1234567.891) == f"1{NNBSP}234{NNBSP}567,891"
    assert fmt_number(-1.5) == "\u22121,5"  # the true minus sign, not a hyphen
    assert fmt_number(-1200, "en") == "\u22121,200"
    assert fmt_number(999) == "999"
    assert fmt_number(1000) == f"1{NNBSP}000"


def test_fmt_number_fixed_decimals():
    assert fmt_number(2.5, decimals=0) == "3"
    assert fmt_number(3.5, decimals=0) == "4"
    assert fmt_number(1.25, "en", decimals=1) == "1.3"
    assert fmt_number(12500, decimals=2) == f"12{NNBSP}500,00"
    assert fmt_number(0.039, decimals=3) == "0,039"


def test_fmt_money():
    assert fmt_money(12500) == f"12{NNBSP}500{NBSP}€"
    assert fmt_money(12500, "en") == "€12,500"
    assert fmt_money(12500.0) == f"12{NNBSP}500{NBSP}€"
    assert fmt_money(12500.5) == f"12{NNBSP}500,50{NBSP}€"
    assert fmt_money(12500.5, "en") == "€12,500.50"
    assert fmt_money(12500.004) == f"12{NNBSP}500{NBSP}€"
    assert fmt_money(12500.5, cents=False) == f"12{NNBSP}501{NBSP}€"
    assert fmt_money(30, cents=True) == f"30,00{NBSP}€"
    assert fmt_money(0) == f"0{NBSP}€"


# ---------------------------------------------------------------------------- counts, CI, p


def test_fmt_count():
    assert fmt_count(7, 8) == f"7 sur 8 (88{NBSP}%)"
    assert fmt_count(7, 8, "en") == "7 of 8 (88%)"
    assert fmt_count(8, 8) == f"8 sur 8 (100{NBSP}%)"
    assert fmt_count(0, 8) == f"0 sur 8 (0{NBSP}%)"
    assert fmt_count(3, 4, "en") == "3 of 4 (75%)"
    assert fmt_count(0, 0) == "0 sur 0"
    assert fmt_count(1234, 5000) == f"1{NNBSP}234 sur 5{NNBSP}000 (25{NBSP}%)"
    assert fmt_count(1, 3, decimals=1) == f"1 sur 3 (33,3{NBSP}%)"


def test_fmt_count_sentence():
    assert fmt_count_sentence(7, 8) == f"7 personnes sur 8 (88{NBSP}%)"
    assert fmt_count_sentence(1, 8) == f"1 personne sur 8 (13{NBSP}%)"
    assert fmt_count_sentence(7, 8, "en") == "7 people out of 8 (88%)"


def test_fmt_ci():
    assert fmt_ci(0.47, 1.0) == f"IC 95{NBSP}%{NBSP}: 47–100{NBSP}%"
    assert fmt_ci(0.47, 1.0, "en") == "95% CI: 47–100%"
    assert fmt_ci(0.4735, 0.9968) == f"IC 95{NBSP}%{NBSP}: 47–100{NBSP}%"
    assert fmt_ci(0.125, 0.625, level=0.9) == f"IC 90{NBSP}%{NBSP}: 13–63{NBSP}%"
    assert fmt_ci(0.1, 0.2, "en", level=0.995) == "99.5% CI: 10–20%"
    assert fmt_ci(0.4735, 0.9968, decimals=1) == f"IC 95{NBSP}%{NBSP}: 47,4–99,7{NBSP}%"
    assert fmt_ci(1.25, 3.5, as_percent=False) == f"IC 95{NBSP}%{NBSP}: 1,25–3,5"
    assert fmt_ci(-1.5, 2, as_percent=False) == f"IC 95{NBSP}%{NBSP}: \u22121,5 à 2"
    assert fmt_ci(-1.5, 2, "en", as_percent=False) == "95% CI: \u22121.5 to 2"
    assert fmt_ci(None, 0.5) == f"IC 95{NBSP}%{NBSP}: —"


@pytest.mark.parametrize(
    "p, fr, en",
    [
        (0.039, f"p{NBSP}={NBSP}0,039", f"p{NBSP}={NBSP}0.039"),
        (0.0390625, f"p{NBSP}={NBSP}0,039", f"p{NBSP}={NBSP}0.039"),  # 5/128, exact Wilcoxon n=7
        (0.0078125, f"p{NBSP}={NBSP}0,008", f"p{NBSP}={NBSP}0.008"),
        (0.0004, f"p{NBSP}<{NBSP}0,001", f"p{NBSP}<{NBSP}0.001"),
        (0.0009999, f"p{NBSP}<{NBSP}0,001", f"p{NBSP}<{NBSP}0.001"),
        (0.001, f"p{NBSP}={NBSP}0,001", f"p{NBSP}={NBSP}0.001"),
        (0.05, f"p{NBSP}={NBSP}0,050", f"p{NBSP}={NBSP}0.050"),
        (0.0625, f"p{NBSP}={NBSP}0,063", f"p{NBSP}={NBSP}0.063"),  # half up
        (0.5, f"p{NBSP}={NBSP}0,500", f"p{NBSP}={NBSP}0.500"),
        (1.0, f"p{NBSP}={NBSP}1", f"p{NBSP}={NBSP}1"),
        (1, f"p{NBSP}={NBSP}1", f"p{NBSP}={NBSP}1"),
        (0.9996, f"p{NBSP}={NBSP}1", f"p{NBSP}={NBSP}1"),
        (0.9994, f"p{NBSP}={NBSP}0,999", f"p{NBSP}={NBSP}0.999"),
        (float("nan"), "p non calculable", "p not computable"),
        (None, "p non calculable", "p not computable"),
    ],
)
def test_fmt_pvalue(p, fr, en):
    assert fmt_pvalue(p) == fr
    assert fmt_pvalue(p, "en") == en


# ---------------------------------------------------------------------------- dates, misc


def test_fmt_date():
    assert fmt_date(dt.date(2022, 3, 14)) == "14 mars 2022"
    assert fmt_date(dt.date(2022, 3, 14), "en") == "14 March 2022"
    assert fmt_date(dt.datetime(2022, 12, 5, 10, 30)) == "5 décembre 2022"
    assert fmt_date(pd.Timestamp("2022-07-21")) == "21 juillet 2022"
    assert fmt_date("2022-02-14", "en") == "14 February 2022"
    assert fmt_date(dt.date(2022, 3, 1)) == "1er mars 2022"  # French ordinal for the 1st
    assert fmt_date(dt.date(2022, 3, 1), "en") == "1 March 2022"
    assert fmt_date(pd.NaT) == "date inconnue"
    assert fmt_date(None, "en") == "unknown date"


def test_languages():
    assert LOCALES == {"fr": "fr_FR", "en": "en_GB"}
    assert locale_for("fr") == "fr_FR"
    assert locale_for("en_GB") == "en_GB"
    assert locale_for("EN") == "en_GB"
    with pytest.raises(ValueError):
        fmt_percent(0.5, "de")
    with pytest.raises(ValueError):
        fmt_count(1, 2, lang="xx")


def test_html_text():
    assert html_text(fmt_money(12500)) == "12&#8239;500&#160;€"
    assert html_text(f"{fmt_percent(0.875)} <b>&") == "88&#160;% &lt;b&gt;&amp;"


def test_plural_follows_french_and_english_rules():
    from fac_eval.core.formatting import plural

    assert plural(0, "paire", "paires") == "0 paire"  # French: singular below 2
    assert plural(1, "paire", "paires") == "1 paire"
    assert plural(2, "paire", "paires") == "2 paires"
    assert plural(0, "pair", "pairs", "en") == "0 pairs"
    assert plural(1, "pair", "pairs", "en") == "1 pair"
    assert plural(12500, "euro", "euros") == "12\u202f500 euros"


def test_sizes_are_named_by_babel_units_in_each_language():
    """fac_eval.data.limits.fmt_bytes: binary multiples, the units and spacing of the locale
    (CLDR through Babel), a size under 1 Ko in words with its plural."""
    from fac_eval.data.limits import fmt_bytes

    assert fmt_bytes(50 * 1024 * 1024) == "50\u202fMo"
    assert fmt_bytes(50 * 1024 * 1024, "en") == "50 MB"
    assert fmt_bytes(3 * 1024**3 // 2) == "1,5\u202fGo"
    assert fmt_bytes(3 * 1024**3 // 2, "en") == "1.5 GB"
    assert (fmt_bytes(1), fmt_bytes(512), fmt_bytes(512, "en")) == ("1\u00a0octet", "512\u00a0octets",
                                                                    "512 bytes")
