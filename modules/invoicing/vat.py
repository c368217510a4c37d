"""VAT rates for invoice lines, by VAT code and delivery date.

Until the ledger keeps date-effective VAT codes of its own, the rates of
the Finnish sales VAT codes of the template chart live here as dated rows;
`vat_rate_on` is the one place invoicing asks, so switching to the
ledger's table changes only this module.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# code -> [(valid from, rate %)], newest last (Finnish VAT Act, 1501/1993).
_RATES = {
    "sales_general": [
        (datetime.date(2013, 1, 1), Decimal("24.00")),
        (datetime.date(2024, 9, 1), Decimal("25.50")),
    ],
    "sales_reduced_14": [
        (datetime.date(2013, 1, 1), Decimal("14.00")),
        (datetime.date(2026, 1, 1), Decimal("13.50")),
    ],
    "sales_reduced_10": [(datetime.date(2013, 1, 1), Decimal("10.00"))],
}
_ZERO_RATED = {
    "sales_zero",
    "eu_goods_sales",
    "eu_services_sales",
    "export",
    "construction_sales",
    "margin_sales",
    # Outside the scope of VAT: penal interest, reminder fees.
    "no_vat",
}


def vat_codes() -> list[str]:
    """Return the sales VAT codes invoice lines may use."""
    return sorted([*_RATES, *_ZERO_RATED])


def vat_rate_on(*, company, code: str, date: datetime.date) -> Decimal:
    """Return the VAT rate (percent) of `code` for a delivery on `date`."""
    if code in _ZERO_RATED:
        return Decimal("0.00")
    rows = _RATES.get(code)
    valid = [rate for start, rate in rows or () if start <= date]
    if not valid:
        raise ValidationError(
            _("%(code)s is not a sales VAT code valid on %(date)s."),
            code="unknown_vat_code",
            params={"code": code, "date": f"{date:%d.%m.%Y}"},
        )
    return valid[-1]
