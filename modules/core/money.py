"""Money: Decimal amounts with their currency, rounded in one place.

Every rounding of money and quantities in the product goes through
`round_decimal` (ROUND_HALF_UP, away from zero on ties). Floats are
refused wherever an amount enters, because a binary float cannot hold
0.1 exactly and its errors show up as cents in a ledger.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from modules.core.models import Currency

NBSP = "\u00a0"


class UnknownCurrency(ValidationError):
    """The currency code is not among the product's currencies."""


class CurrencyMismatch(ValueError):
    """Amounts in different currencies were combined without conversion."""


def to_decimal(value) -> Decimal:
    """Return `value` as a finite Decimal; refuse floats and non-numbers."""
    if isinstance(value, bool | float):
        raise TypeError(
            f"Use Decimal or a string for amounts, not {type(value).__name__}."
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | str):
        try:
            number = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation as exc:
            raise ValueError(f"{value!r} is not a number.") from exc
    else:
        raise TypeError(f"Cannot use {type(value).__name__} as an amount.")
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number.")
    return number


def round_decimal(value, places: int) -> Decimal:
    """Round `value` to `places` decimals, halves away from zero."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def get_currency(currency) -> Currency:
    """Return the Currency for a code or instance, or raise UnknownCurrency."""
    if isinstance(currency, Currency):
        return currency
    code = str(currency or "").upper()
    found = Currency.objects.filter(code=code).first()
    if found is None:
        raise UnknownCurrency(
            _("%(code)s is not a known currency code."),
            code="unknown_currency",
            params={"code": code},
        )
    return found


def round_money(amount, currency) -> Decimal:
    """Round `amount` to the decimal places of `currency` (code or Currency)."""
    return round_decimal(amount, get_currency(currency).decimal_places)


def _currency_code(currency) -> str:
    code = currency.code if isinstance(currency, Currency) else str(currency)
    code = code.upper()
    if len(code) != 3 or not code.isalpha():
        raise ValueError(f"{currency!r} is not a three-letter currency code.")
    return code


def _factor(value) -> Decimal:
    if isinstance(value, Money):
        raise TypeError("Money can only be multiplied or divided by a number.")
    return to_decimal(value)


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in one currency.

    Arithmetic keeps every digit; call `rounded()` (or `round_money`) where
    a document fixes the amount, e.g. on each invoice line.
    """

    amount: Decimal
    currency: str

    def __post_init__(self):
        object.__setattr__(self, "amount", to_decimal(self.amount))
        object.__setattr__(self, "currency", _currency_code(self.currency))

    def __str__(self):
        return f"{self.amount} {self.currency}"

    def _same_currency(self, other) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"Cannot combine Money with {type(other).__name__}.")
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"Cannot combine {self.currency} and {other.currency}; "
                "convert one of them first."
            )
        return other

    def __add__(self, other):
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        other = self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    # sum() starts from the integer 0.
    __radd__ = __add__

    def __sub__(self, other):
        other = self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self):
        return Money(-self.amount, self.currency)

    def __pos__(self):
        return self

    def __abs__(self):
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor):
        return Money(self.amount * _factor(factor), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor):
        if isinstance(divisor, Money):
            return self.amount / self._same_currency(divisor).amount
        return Money(self.amount / _factor(divisor), self.currency)

    def __lt__(self, other):
        return self.amount < self._same_currency(other).amount

    def __le__(self, other):
        return self.amount <= self._same_currency(other).amount

    def __gt__(self, other):
        return self.amount > self._same_currency(other).amount

    def __ge__(self, other):
        return self.amount >= self._same_currency(other).amount

    def __bool__(self):
        return bool(self.amount)

    def rounded(self) -> Money:
        """Return the amount rounded to the currency's decimal places."""
        return Money(round_money(self.amount, self.currency), self.currency)


def convert_money(money: Money, to_currency, *, on_date: datetime.date) -> Money:
    """Convert `money` with the exchange rates valid on `on_date`.

    Rates are kept against the euro, so other pairs go through the euro.
    The result is rounded to the target currency's decimal places.
    """
    from modules.core.selectors import rate_on

    target = get_currency(to_currency)
    if target.code == money.currency:
        return money.rounded()
    in_euros = money.amount / rate_on(money.currency, on_date)
    amount = in_euros * rate_on(target.code, on_date)
    return Money(round_decimal(amount, target.decimal_places), target.code)


def format_money(money: Money, *, places: int | None = None) -> str:
    """Return `money` in Finnish format, e.g. "1 234,56 €" (no-break spaces).

    Amounts are shown with the currency's decimal places unless `places`
    asks for more (unit prices).
    """
    currency = get_currency(money.currency)
    places = currency.decimal_places if places is None else places
    amount = round_decimal(money.amount, places)
    digits = f"{abs(amount):,.{places}f}"
    digits = digits.replace(",", NBSP).replace(".", ",")
    sign = "-" if amount < 0 else ""
    return f"{sign}{digits}{NBSP}{currency.symbol or currency.code}"
