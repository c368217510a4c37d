"""Money: rounding, arithmetic, conversion and Finnish formatting."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modules.core.models import Currency, ExchangeRate
from modules.core.money import (
    CurrencyMismatch,
    Money,
    UnknownCurrency,
    convert_money,
    format_money,
    round_decimal,
    round_money,
)
from modules.core.selectors import MissingExchangeRate

DB_EXAMPLES = settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    deadline=None,
)

amounts = st.decimals(
    min_value=Decimal("-1000000000"),
    max_value=Decimal("1000000000"),
    places=6,
    allow_nan=False,
    allow_infinity=False,
)
cents = st.decimals(
    min_value=Decimal("-1000000000"),
    max_value=Decimal("1000000000"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@pytest.mark.parametrize(
    ("amount", "currency", "rounded"),
    [
        ("0.005", "EUR", "0.01"),
        ("0.015", "EUR", "0.02"),
        ("2.675", "EUR", "2.68"),
        ("-0.005", "EUR", "-0.01"),
        ("1.004999", "EUR", "1.00"),
        ("1234.5", "JPY", "1235"),
        ("-0.5", "JPY", "-1"),
        ("99.995", "SEK", "100.00"),
    ],
)
def test_halves_round_away_from_zero(reference_data, amount, currency, rounded):
    assert round_money(Decimal(amount), currency) == Decimal(rounded)


@DB_EXAMPLES
@given(amount=amounts, code=st.sampled_from(["EUR", "JPY", "USD"]))
def test_rounding_keeps_the_currency_places_and_moves_less_than_half_a_unit(
    reference_data, amount, code
):
    places = Currency.objects.get(code=code).decimal_places

    rounded = round_money(amount, code)

    assert rounded.as_tuple().exponent == -places
    assert abs(rounded - amount) <= Decimal("0.5").scaleb(-places)
    assert round_money(rounded, code) == rounded


@given(amount=amounts, places=st.integers(min_value=0, max_value=4))
def test_rounding_is_symmetric_around_zero(amount, places):
    assert round_decimal(-amount, places) == -round_decimal(amount, places)


@given(a=cents, b=cents, c=cents)
def test_addition_is_exact_commutative_and_associative(a, b, c):
    x, y, z = Money(a, "EUR"), Money(b, "EUR"), Money(c, "EUR")

    assert x + y == y + x
    assert (x + y) + z == x + (y + z)
    assert (x + y - y) == x
    assert (x + y).amount == a + b


@given(parts=st.lists(cents, max_size=20))
def test_sum_of_money_is_money_in_the_same_currency(parts):
    total = sum(Money(part, "EUR") for part in parts)

    if parts:
        assert total == Money(sum(parts), "EUR")
    else:
        assert total == 0


@given(a=cents, factor=st.integers(min_value=-1000, max_value=1000))
def test_multiplying_by_an_integer_is_repeated_addition(a, factor):
    money = Money(a, "EUR")

    assert money * factor == Money(a * factor, "EUR")
    assert factor * money == money * factor


@given(value=st.floats(allow_nan=True, allow_infinity=True))
def test_floats_are_refused_everywhere(value):
    with pytest.raises(TypeError):
        Money(value, "EUR")
    with pytest.raises(TypeError):
        Money("1.00", "EUR") * value
    with pytest.raises(TypeError):
        round_decimal(value, 2)


def test_amounts_in_different_currencies_do_not_mix():
    with pytest.raises(CurrencyMismatch):
        Money("1", "EUR") + Money("1", "SEK")
    with pytest.raises(CurrencyMismatch):
        _ = Money("1", "EUR") < Money("2", "USD")


def test_money_is_not_a_number_to_multiply_with():
    with pytest.raises(TypeError):
        Money("1", "EUR") * Money("2", "EUR")


def test_money_divided_by_money_is_a_ratio():
    assert Money("30", "EUR") / Money("120", "EUR") == Decimal("0.25")


@pytest.mark.parametrize("text", ["abc", "NaN", "Infinity"])
def test_non_numbers_are_refused(text):
    with pytest.raises(ValueError):
        Money(text, "EUR")


def test_unknown_currency_is_a_clear_error(reference_data):
    with pytest.raises(UnknownCurrency) as error:
        round_money(Decimal("1"), "XYZ")

    assert error.value.messages == ["XYZ is not a known currency code."]


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money("1234.56", "EUR"), "1\u00a0234,56\u00a0€"),
        (Money("1234.565", "EUR"), "1\u00a0234,57\u00a0€"),
        (Money("-1234567.5", "EUR"), "-1\u00a0234\u00a0567,50\u00a0€"),
        (Money("0", "EUR"), "0,00\u00a0€"),
        (Money("-0.001", "EUR"), "0,00\u00a0€"),
        (Money("1500", "JPY"), "1\u00a0500\u00a0¥"),
        (Money("12.5", "SEK"), "12,50\u00a0SEK"),
    ],
)
def test_money_is_formatted_the_finnish_way(reference_data, money, text):
    assert format_money(money) == text


def test_unit_prices_may_show_more_places(reference_data):
    assert format_money(Money("0.12345", "EUR"), places=4) == "0,1235\u00a0€"


@pytest.fixture
def usd_and_sek_rates(reference_data):
    usd = Currency.objects.get(code="USD")
    sek = Currency.objects.get(code="SEK")
    ExchangeRate.objects.create(
        currency=usd, date=datetime.date(2026, 1, 2), rate=Decimal("1.0850")
    )
    ExchangeRate.objects.create(
        currency=sek, date=datetime.date(2026, 1, 2), rate=Decimal("11.2000")
    )


def test_conversion_from_euros_uses_the_rate_of_the_day(usd_and_sek_rates):
    converted = convert_money(
        Money("100", "EUR"), "USD", on_date=datetime.date(2026, 1, 5)
    )

    assert converted == Money("108.50", "USD")


def test_conversion_between_two_other_currencies_goes_through_euros(
    usd_and_sek_rates,
):
    converted = convert_money(
        Money("108.50", "USD"), "SEK", on_date=datetime.date(2026, 1, 2)
    )

    assert converted == Money("1120.00", "SEK")


def test_conversion_to_yen_rounds_to_whole_yen(usd_and_sek_rates):
    ExchangeRate.objects.create(
        currency=Currency.objects.get(code="JPY"),
        date=datetime.date(2026, 1, 2),
        rate=Decimal("162.37"),
    )

    converted = convert_money(
        Money("10.01", "EUR"), "JPY", on_date=datetime.date(2026, 1, 2)
    )

    assert converted == Money("1625", "JPY")


def test_conversion_without_a_rate_says_which_is_missing(usd_and_sek_rates):
    with pytest.raises(MissingExchangeRate):
        convert_money(Money("1", "EUR"), "USD", on_date=datetime.date(2025, 12, 31))
