from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.money import (
    CURRENCY_EXPONENTS,
    MAX_MINOR,
    MoneyError,
    format_amount,
    minor_unit_exponent,
    parse_amount,
)


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("12,50", "EUR", 1250),
        ("12.50", "EUR", 1250),
        ("1 234.5", "EUR", 123450),
        ("1.234,56", "EUR", 123456),
        ("1,234.56", "USD", 123456),
        ("1,234,567.89", "USD", 123456789),
        ("1.234", "EUR", 123400),
        ("¥1200", "JPY", 1200),
        ("¥1,200", "JPY", 1200),
        ("€ 12", "EUR", 1200),
        ("12 €", "EUR", 1200),
        ("12.345 KWD", "KWD", 12345),
        ("1,234.567 BHD", "BHD", 1234567),
        ("1\u00a0234,50 €", "EUR", 123450),
        ("1'234.50 CHF", "CHF", 123450),
        ("eur 3", "EUR", 300),
        (",50", "EUR", 50),
        ("0", "EUR", 0),
        ("  7  ", "GBP", 700),
    ],
)
def test_parses_what_people_type(text: str, currency: str, minor: int) -> None:
    assert parse_amount(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency", "reason"),
    [
        ("", "EUR", "no amount"),
        ("abc", "EUR", "not an amount"),
        ("12e3", "EUR", "not an amount"),
        ("-12", "EUR", "negative"),
        ("€ -12", "EUR", "negative"),
        ("(12.00)", "USD", "negative"),
        ("1.5", "JPY", "too many decimals"),
        ("12345.678", "EUR", "grouped wrongly"),
        ("0.125", "EUR", "too many decimals"),
        ("1.2345", "KWD", "too many decimals"),
        ("12,345", "KWD", "ambiguous"),
        ("1,23,456", "INR", "grouped wrongly"),
        ("12..5", "EUR", "grouped wrongly"),
        ("$12", "EUR", "not a symbol for EUR"),
        ("12 USD", "EUR", "in USD, not EUR"),
        ("12", "XYZ", "XYZ is not a currency code. Type its three letters, e.g. EUR"),
        ("12", "eur", "eur is not a currency code"),
        ("1" * 20, "EUR", "too large"),
    ],
)
def test_refuses_garbage_with_a_clear_reason(text: str, currency: str, reason: str) -> None:
    with pytest.raises(MoneyError, match=reason):
        parse_amount(text, currency)


def test_money_error_is_a_value_error() -> None:
    assert issubclass(MoneyError, ValueError)


def test_exponent_table_knows_zero_two_and_three_decimal_currencies() -> None:
    codes = ("JPY", "KRW", "ISK", "EUR", "USD", "BHD", "KWD")
    assert [minor_unit_exponent(c) for c in codes] == [0, 0, 0, 2, 2, 3, 3]
    assert len(CURRENCY_EXPONENTS) > 150
    assert all(len(code) == 3 and code.isupper() for code in CURRENCY_EXPONENTS)


def test_format_convention() -> None:
    assert format_amount(123450, "EUR") == "1,234.50 EUR"
    assert format_amount(1200, "JPY") == "1,200 JPY"
    assert format_amount(12345, "KWD") == "12.345 KWD"
    assert format_amount(5, "EUR") == "0.05 EUR"
    with pytest.raises(MoneyError, match="negative"):
        format_amount(-1, "EUR")


currencies = st.sampled_from(sorted(CURRENCY_EXPONENTS))
amounts = st.integers(min_value=0, max_value=MAX_MINOR)


@given(amounts, currencies)
def test_format_then_parse_round_trips(minor: int, currency: str) -> None:
    assert parse_amount(format_amount(minor, currency), currency) == minor


@given(amounts, currencies)
def test_round_trips_without_code_or_grouping(minor: int, currency: str) -> None:
    bare = format_amount(minor, currency).removesuffix(f" {currency}").replace(",", "")
    assert parse_amount(bare, currency) == minor


@given(st.text(max_size=20), currencies)
def test_random_text_is_refused_or_sane(text: str, currency: str) -> None:
    try:
        minor = parse_amount(text, currency)
    except MoneyError:
        return
    assert 0 <= minor <= MAX_MINOR
    assert any(ch in "0123456789" for ch in text)


@given(amounts, currencies, st.data())
def test_a_stray_character_is_never_accepted_silently(
    minor: int, currency: str, data: st.DataObject
) -> None:
    text = format_amount(minor, currency)
    number_end = text.index(" ")
    position = data.draw(st.integers(min_value=0, max_value=number_end))
    stray = data.draw(st.sampled_from("abcxyz-+*/#%=_;:!?oOlI"))
    with pytest.raises(MoneyError):
        parse_amount(text[:position] + stray + text[position:], currency)


@given(st.from_regex(r"[0-9]{1,6}[.,][0-9]{4,8}", fullmatch=True))
def test_too_many_decimals_is_never_rounded(text: str) -> None:
    with pytest.raises(MoneyError):
        parse_amount(text, "EUR")
