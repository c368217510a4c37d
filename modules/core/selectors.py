"""Reads of the shared reference data: exchange rates by date."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from modules.core.models import Currency, ExchangeRate

BASE_CURRENCY = "EUR"


class MissingExchangeRate(ValidationError):
    """No exchange rate is known for a currency on or before a date."""


def _code(currency) -> str:
    return (currency.code if isinstance(currency, Currency) else str(currency)).upper()


def exchange_rate_on(currency, on_date: datetime.date) -> ExchangeRate:
    """Return the latest rate row of `currency` dated on or before `on_date`.

    Raise MissingExchangeRate when there is none.
    """
    code = _code(currency)
    rate = (
        ExchangeRate.objects.filter(currency__code=code, date__lte=on_date)
        .select_related("currency")
        .order_by("-date")
        .first()
    )
    if rate is None:
        raise MissingExchangeRate(
            _("There is no exchange rate for %(currency)s on or before %(date)s."),
            code="missing_exchange_rate",
            params={
                "currency": code,
                "date": date_format(on_date, "SHORT_DATE_FORMAT"),
            },
        )
    return rate


def rate_on(currency, on_date: datetime.date) -> Decimal:
    """Return how many units of `currency` one euro bought on `on_date`.

    The euro itself is always 1; other currencies take the latest rate on
    or before the date and raise MissingExchangeRate when there is none.
    """
    if _code(currency) == BASE_CURRENCY:
        return Decimal(1)
    return exchange_rate_on(currency, on_date).rate
