"""Reading the 54-digit Finnish virtual bank barcode (versions 4 and 5).

Layout (Finance Finland's bank barcode guide): version digit, the 16
digits of a Finnish IBAN after "FI", euros (6) and cents (2), then either
"000" and the national reference padded to 20 (version 4) or the RF check
digits and the RF body padded to 21 (version 5), and the due date YYMMDD
("000000" when there is none).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from integrations.barcode import BarcodeError
from integrations.refpayments.references import reference_or_blank


@dataclass(frozen=True)
class VirtualBarcode:
    iban: str
    amount: Decimal | None
    reference: str
    due_date: datetime.date | None


def parse_virtual_barcode(code: str) -> VirtualBarcode:
    """Return the payment a virtual barcode describes, or raise BarcodeError."""
    digits = "".join(code.split())
    if len(digits) != 54 or not digits.isdigit() or digits[0] not in "45":
        raise BarcodeError("not a version 4 or 5 virtual barcode", "not_barcode")
    account = digits[1:17]
    try:
        iban = str(IBAN("FI" + account))
    except SchwiftyException as exc:
        raise BarcodeError("the account is not a valid Finnish IBAN", "iban") from exc
    cents = int(digits[17:25])
    if digits[0] == "4":
        reference = reference_or_blank(digits[28:48])
    else:
        reference = reference_or_blank(f"RF{digits[25:27]}{digits[27:48].lstrip('0')}")
    if not reference:
        raise BarcodeError("the reference fails its check digits", "reference")
    due = digits[48:54]
    due_date = None
    if due != "000000":
        try:
            due_date = datetime.date(2000 + int(due[:2]), int(due[2:4]), int(due[4:]))
        except ValueError as exc:
            raise BarcodeError("the due date is not a date", "due_date") from exc
    return VirtualBarcode(
        iban=iban,
        amount=Decimal(cents) / 100 if cents else None,
        reference=reference,
        due_date=due_date,
    )
