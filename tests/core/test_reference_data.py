"""Countries, currencies, exchange rates and units of measure."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from fixtures import reference
from modules.core.models import Country, Currency, ExchangeRate, Unit, UnitConversion
from modules.core.selectors import MissingExchangeRate, exchange_rate_on, rate_on
from modules.core.units import NoUnitConversion, convert_quantity


def test_loading_reference_data_twice_changes_nothing(reference_data):
    Currency.objects.filter(code="SEK").update(symbol="kr")
    before = reference.load()

    after = reference.load()

    assert after == before
    assert after["countries"] == 249
    assert Currency.objects.get(code="SEK").symbol == "kr"


def test_countries_know_eu_membership_and_three_languages(reference_data):
    germany = Country.objects.get(code="DE")
    norway = Country.objects.get(code="NO")

    assert germany.is_eu_member
    assert not norway.is_eu_member
    assert Country.objects.filter(is_eu_member=True).count() == 27
    with translation.override("sv"):
        assert germany.name == "Tyskland"
    with translation.override("fi"):
        assert germany.name == "Saksa"
    with translation.override("en"):
        assert germany.name == "Germany"


@pytest.mark.parametrize(("code", "places"), [("EUR", 2), ("JPY", 0), ("ISK", 0)])
def test_currencies_have_their_iso_decimal_places(reference_data, code, places):
    assert Currency.objects.get(code=code).decimal_places == places


@pytest.fixture
def usd_rates(reference_data):
    usd = Currency.objects.get(code="USD")
    for day, rate in [(2, "1.0850"), (5, "1.0900"), (9, "1.0700")]:
        ExchangeRate.objects.create(
            currency=usd, date=datetime.date(2026, 1, day), rate=Decimal(rate)
        )
    return usd


@pytest.mark.parametrize(
    ("day", "rate"),
    [(2, "1.0850"), (3, "1.0850"), (5, "1.0900"), (8, "1.0900"), (31, "1.0700")],
)
def test_rate_on_a_date_is_the_latest_known_on_or_before_it(usd_rates, day, rate):
    assert rate_on("USD", datetime.date(2026, 1, day)) == Decimal(rate)


def test_rate_row_tells_its_date_and_source(usd_rates):
    row = exchange_rate_on(usd_rates, datetime.date(2026, 1, 7))

    assert row.date == datetime.date(2026, 1, 5)
    assert row.source == "ECB"


def test_rate_before_the_first_known_rate_is_a_clear_error(usd_rates):
    with translation.override("en"):
        with pytest.raises(MissingExchangeRate) as error:
            rate_on("USD", datetime.date(2026, 1, 1))

        assert error.value.messages == [
            "There is no exchange rate for USD on or before 01/01/2026."
        ]


def test_the_euro_needs_no_rate(reference_data):
    assert rate_on("EUR", datetime.date(1999, 1, 1)) == Decimal(1)


def test_a_rate_for_the_euro_itself_is_refused(reference_data):
    rate = ExchangeRate(
        currency=Currency.objects.get(code="EUR"),
        date=datetime.date(2026, 1, 2),
        rate=Decimal("1"),
    )

    with pytest.raises(ValidationError) as error:
        rate.full_clean()

    assert "currency" in error.value.message_dict


def test_two_rates_for_one_currency_on_one_day_are_refused(usd_rates):
    duplicate = ExchangeRate(
        currency=usd_rates, date=datetime.date(2026, 1, 2), rate=Decimal("1.1")
    )

    with pytest.raises(ValidationError):
        duplicate.full_clean()


@pytest.mark.parametrize(
    ("quantity", "source", "target", "expected"),
    [
        ("2.5", "kg", "g", "2500.0"),
        ("1500", "g", "kg", "1.500"),
        ("1.2", "t", "g", "1200000.0"),
        ("90", "min", "h", "1.50"),
        ("1", "min", "h", "0.02"),
        ("0.25", "m3", "dl", "2500.00"),
        ("7", "kpl", "kpl", "7"),
    ],
)
def test_quantities_convert_through_chains_of_units(
    reference_data, quantity, source, target, expected
):
    converted = convert_quantity(Decimal(quantity), source, target)

    assert converted == Decimal(expected)
    assert str(converted) == expected


def test_units_without_a_conversion_are_a_clear_error(reference_data):
    with pytest.raises(NoUnitConversion) as error:
        convert_quantity(Decimal("1"), "kg", "m")

    assert error.value.messages == ["kg cannot be converted to m."]


def test_quantity_conversion_refuses_floats(reference_data):
    with pytest.raises(TypeError):
        convert_quantity(1.5, "kg", "g")


def test_a_unit_cannot_be_converted_to_itself(reference_data):
    kg = Unit.objects.get(code="kg")

    with pytest.raises(ValidationError):
        UnitConversion(from_unit=kg, to_unit=kg, factor=Decimal("1")).full_clean()


def test_common_finnish_units_are_seeded(reference_data):
    codes = set(Unit.objects.values_list("code", flat=True))

    assert {"kpl", "kg", "l", "m", "h", "pv", "m2"} <= codes
    assert Unit.objects.get(code="kpl").name_fi == "kappale"
