"""VAT rates for invoice lines, by VAT code and delivery date.

Rates come from the ledger's date-effective VAT codes
(`modules.ledger.vat`); the one code added here is `no_vat`, for rows
outside the scope of VAT (penal interest, reminder fees), which are
posted without a VAT code.
"""

import datetime
from decimal import Decimal

from modules.ledger import vat as ledger_vat

OUTSIDE_SCOPE = "no_vat"


def vat_table(company) -> ledger_vat.VatTable:
    """Return the company's VAT codes, loaded once for many rows."""
    return ledger_vat.VatTable(company)


def vat_rate_on(*, company, code: str, date: datetime.date, table=None) -> Decimal:
    """Return the VAT rate (percent) of `code` for a delivery on `date`."""
    if code == OUTSIDE_SCOPE:
        return Decimal("0.00")
    return (table or vat_table(company)).lookup(code, date)[1]


def ledger_vat_code(code: str) -> str:
    """Return the VAT code a journal line of an invoice row carries."""
    return "" if code == OUTSIDE_SCOPE else code
