"""Money as integer minor units, ISO 4217 currencies, and amounts as people type them.

Amounts are stored as ``int`` minor units (cents, fils, yen) so sums never drift the
way floats do. Parsing is strict on purpose: a misread receipt amount silently becomes
a wrong budget, so anything that has two plausible readings is refused with a message
that says how to type it instead.

Formatting uses one convention everywhere: ``"1,234.50 EUR"`` (comma thousands, point
decimal, code after the number). The code is unambiguous where symbols are not ($ is
used by dozens of currencies), and ``parse_amount`` reads it back exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

# Active ISO 4217 codes (list of 2025) grouped by minor-unit exponent. Codes whose minor
# unit is "N.A." (precious metals, XDR, test codes) are left out: they cannot be
# expressed in minor units and nobody pays for catering in gold.
_CODES_BY_EXPONENT: dict[int, str] = {
    0: "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF",
    3: "BHD IQD JOD KWD LYD OMR TND",
    4: "CLF UYW",
    2: """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD
        BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP
        ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR
        JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU
        MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR
        RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS
        TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG""",
}

CURRENCY_EXPONENTS: Mapping[str, int] = MappingProxyType(
    {code: exp for exp, codes in _CODES_BY_EXPONENT.items() for code in codes.split()}
)

# Symbols people type in front of or after a number, and the currencies they may mean.
_SYMBOLS: dict[str, frozenset[str]] = {
    "€": frozenset({"EUR"}),
    "£": frozenset({"GBP", "GIP", "FKP", "SHP"}),
    "$": frozenset({"USD", "CAD", "AUD", "NZD", "MXN", "SGD", "HKD", "ARS", "CLP", "COP"}),
    "¥": frozenset({"JPY", "CNY"}),
    "₩": frozenset({"KRW"}),
    "₹": frozenset({"INR"}),
    "₽": frozenset({"RUB"}),
    "₺": frozenset({"TRY"}),
    "₪": frozenset({"ILS"}),
    "₫": frozenset({"VND"}),
    "₴": frozenset({"UAH"}),
    "₦": frozenset({"NGN"}),
    "฿": frozenset({"THB"}),
    "₱": frozenset({"PHP"}),
    "zł": frozenset({"PLN"}),
    "kr": frozenset({"SEK", "NOK", "DKK", "ISK"}),
    "Kč": frozenset({"CZK"}),
}

MAX_MINOR = 10**15 - 1
"""Largest accepted amount in minor units: well past any production budget, and small
enough that a stuck key ("100000000000000000") is caught rather than booked."""

_GROUP_SEPARATORS = " '\u00a0\u202f\u2009"
_NUMBER = re.compile(r"[0-9.,' \u00a0\u202f\u2009]+", re.ASCII)
_AFFIX = re.compile(r"^(?P<pre>[^0-9.,]*?)\s*(?P<num>[0-9].*?|[.,][0-9].*?)\s*(?P<post>[^0-9]*)$")
_GROUPED = re.compile(
    r"[1-9][0-9]{0,2}(?:(?P<sep>[,. '\u00a0\u202f\u2009])[0-9]{3}(?:(?P=sep)[0-9]{3})*)?"
)


class MoneyError(ValueError):
    """An amount or currency that cannot be booked; the message says what to type."""


def currency_problem(code: object) -> str:
    """Why ``code`` is not a currency, in words: what to type instead."""
    shown = str(code or "").strip() or "Nothing"
    return f"{shown} is not a currency code. Type its three letters, e.g. EUR, GBP or USD."


def minor_unit_exponent(currency: str) -> int:
    """Decimal places of ``currency`` (0 for JPY, 2 for EUR, 3 for KWD)."""
    try:
        return CURRENCY_EXPONENTS[currency]
    except KeyError:
        raise MoneyError(currency_problem(currency)) from None


def format_amount(minor: int, currency: str) -> str:
    """``1234_50, "EUR"`` -> ``"1,234.50 EUR"``; ``1200, "JPY"`` -> ``"1,200 JPY"``."""
    exponent = minor_unit_exponent(currency)
    if minor < 0:
        raise MoneyError(f"negative amount {minor}")
    units, fraction = divmod(minor, 10**exponent)
    text = f"{units:,}"
    if exponent:
        text += f".{fraction:0{exponent}d}"
    return f"{text} {currency}"


def decimal_amount(minor: int, currency: str) -> str:
    """12345 EUR -> "123.45"; 1200 JPY -> "1200": a plain decimal for CSV files (no
    grouping, no code), which spreadsheets read as a number."""
    exponent = minor_unit_exponent(currency)
    units, fraction = divmod(minor, 10**exponent)
    return f"{units}.{fraction:0{exponent}d}" if exponent else str(units)


def parse_amount(text: str, currency: str) -> int:
    """Read a typed amount into minor units of ``currency``.

    Accepts "12,50", "1 234.5", "1.234,56", "1,234.56", "¥1200", "€ 12", "12.345 KWD".
    When a number has both "." and ",", the last one is the decimal mark. With a single
    separator, it is a decimal mark unless exactly three digits follow: then it groups
    thousands ("1.234" EUR is 1234 euros), except for three-decimal currencies, where
    "." is the decimal mark and "," is refused as ambiguous.
    """
    exponent = minor_unit_exponent(currency)
    stripped = text.strip()
    if not stripped:
        raise MoneyError("no amount given")
    if any(sign in stripped for sign in "-\u2212(") or stripped.endswith(")"):
        raise MoneyError(f"negative amounts are not accepted: {text!r}")
    match = _AFFIX.match(stripped)
    if not match or not _NUMBER.fullmatch(match["num"]):
        raise MoneyError(f"not an amount: {text!r}")
    for affix in (match["pre"].strip(), match["post"].strip()):
        _check_affix(affix, currency, text)
    units, fraction = _split_number(match["num"].strip(), exponent, text)
    if len(fraction) > exponent:
        places = f"{exponent} decimal places" if exponent else "no decimals"
        raise MoneyError(f"too many decimals in {text!r}: {currency} has {places}")
    minor = int(units or "0") * 10**exponent + int(fraction.ljust(exponent, "0") or "0")
    if minor > MAX_MINOR:
        raise MoneyError(f"amount too large: {text!r}")
    return minor


def _check_affix(affix: str, currency: str, text: str) -> None:
    if not affix:
        return
    if affix.upper() == currency:
        return
    if affix in _SYMBOLS and currency in _SYMBOLS[affix]:
        return
    if affix.upper() in CURRENCY_EXPONENTS:
        raise MoneyError(f"{text!r} is in {affix.upper()}, not {currency}")
    if affix in _SYMBOLS:
        raise MoneyError(f"{affix!r} is not a symbol for {currency} in {text!r}")
    raise MoneyError(f"not an amount: {text!r}")


def _split_number(number: str, exponent: int, text: str) -> tuple[str, str]:
    """Split ``number`` into (integer digits, fraction digits), validating grouping."""
    decimal_mark = _decimal_mark(number, exponent, text)
    if decimal_mark is None:
        integer, fraction = number, ""
    else:
        integer, _, fraction = number.rpartition(decimal_mark)
        if not fraction.isdigit():
            raise MoneyError(f"not an amount: {text!r}")
    if integer and not integer.isdigit() and not _GROUPED.fullmatch(integer):
        raise MoneyError(f"digits are grouped wrongly in {text!r} (use groups of three)")
    if not integer and not fraction:
        raise MoneyError(f"not an amount: {text!r}")
    return _digits(integer), fraction


def _decimal_mark(number: str, exponent: int, text: str) -> str | None:
    marks = [c for c in number if c in ".,"]
    if not marks:
        return None
    if len(set(marks)) == 2:
        last = marks[-1]
        if marks.count(last) > 1:
            raise MoneyError(f"not an amount: {text!r}")
        return last
    mark = marks[0]
    if len(marks) > 1:
        return None  # "1,234,567": the only separator repeats, so it groups thousands
    if any(c in _GROUP_SEPARATORS for c in number):
        return mark  # "1 234,5": spaces group, so the comma is the decimal mark
    digits_after = len(number) - number.index(mark) - 1
    leading_digits = number.index(mark)
    if digits_after != 3 or leading_digits == 0 or number.startswith("0"):
        return mark
    if exponent < 3:
        return None
    if mark == ".":
        return mark
    raise MoneyError(
        f"{text!r} is ambiguous for a three-decimal currency: type it without thousands"
        " separators and with '.' as the decimal mark (1234 or 1.234)"
    )


def _digits(grouped: str) -> str:
    return "".join(c for c in grouped if c.isdigit())
