"""The Finnish bank barcode (virtual barcode) and its Code 128 image.

Plain Python, no Django. Version 4 carries a national reference, version 5
an RF reference; the 54 digits are printed as text on the invoice and as
a Code 128 barcode (set C, two digits per symbol) for scanners.
"""

import datetime
import io
from decimal import Decimal

from barcode import Code128
from barcode.writer import SVGWriter

from integrations.reference import is_rf, normalize_reference

MAX_AMOUNT = Decimal("999999.99")


class BarcodeError(ValueError):
    """The data cannot be put into a bank barcode; `code` says why."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def _account_digits(iban: str) -> str:
    compact = str(iban).replace(" ", "").upper()
    if not compact.startswith("FI") or len(compact) != 18 or not compact[2:].isdigit():
        raise BarcodeError(f"{iban!r} is not a Finnish IBAN.", "iban")
    return compact[2:]


def _amount_digits(amount) -> str:
    amount = Decimal(amount)
    if amount < 0:
        raise BarcodeError("A bank barcode cannot carry a negative amount.", "amount")
    # Amounts too large for the field are left out; the payer types them.
    if amount > MAX_AMOUNT:
        amount = Decimal(0)
    cents = int((amount * 100).to_integral_value())
    return f"{cents:08d}"


def virtual_barcode(*, iban: str, amount, reference: str, due_date=None) -> str:
    """Return the 54-digit virtual barcode (version 4 or 5 by the reference)."""
    account = _account_digits(iban)
    money = _amount_digits(amount)
    reference = normalize_reference(reference)
    due = due_date.strftime("%y%m%d") if isinstance(due_date, datetime.date) else ""
    due = due or "000000"

    if is_rf(reference):
        body = reference[4:]
        if len(body) > 21:
            raise BarcodeError("The RF reference is too long for a barcode.", "ref")
        return f"5{account}{money}{reference[2:4]}{body.zfill(21)}{due}"
    if len(reference) > 20:
        raise BarcodeError("The reference is too long for a barcode.", "ref")
    return f"4{account}{money}000{reference.zfill(20)}{due}"


def code128_svg(code: str, *, module_width: float = 0.25, height: float = 10.0):
    """Return the barcode as an SVG document (str) for printing.

    Module width and bar height are in millimetres; Finance Finland's
    guide asks for at least 0.25 mm and 10 mm.
    """
    if not code.isdigit() or len(code) % 2:
        raise BarcodeError("Code 128 set C needs an even number of digits.", "code")
    buffer = io.BytesIO()
    Code128(code, writer=SVGWriter()).write(
        buffer,
        options={
            "module_width": module_width,
            "module_height": height,
            "quiet_zone": 6.4,
            "write_text": False,
            "compress": False,
        },
    )
    return buffer.getvalue().decode()
