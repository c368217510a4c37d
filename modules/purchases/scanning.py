"""Proposals for a purchase invoice read from the text of a scan.

`propose_fields` looks for what a Finnish invoice prints: the seller's
business ID, the invoice number, invoice and due dates, the amount to pay,
the VAT, the IBAN and the payment reference, and the 54-digit virtual bank
barcode, which when present settles IBAN, amount, reference and due date
at once. Nothing here is trusted: the clerk confirms every field.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.fi import ytunnus

from integrations.barcode.reader import BarcodeError, parse_virtual_barcode
from integrations.refpayments.references import reference_or_blank

_AMOUNT = r"(-?\d{1,3}(?:[ \u00a0.]\d{3})*(?:[,.]\d{2})|-?\d+(?:[,.]\d{2}))"
_DATE = r"(\d{1,2})\.(\d{1,2})\.(\d{2,4})"
# A VAT rate between the label and the amount: "ALV 25,5 %: 255,00".
_RATE = r"(?:\d{1,2}(?:[,.]\d{1,2})?\s*%[^\n\d-]{0,10})?"

INVOICE_NUMBER_LABELS = (
    r"laskun\s*(?:numero|nro|n:o)",
    r"lasku\s*(?:nro|n:o|numero)",
    r"invoice\s*(?:number|no\.?|#)",
    r"fakturanummer",
    r"faktura\s*nr",
)
INVOICE_DATE_LABELS = (
    r"laskun\s*p(?:äivä|vm)(?:ys|määrä)?",
    r"p(?:äiväys|vm)",
    r"invoice\s*date",
    r"fakturadatum",
    r"datum",
)
DUE_DATE_LABELS = (r"eräpäivä", r"due\s*date", r"förfallodag", r"erä\s*pvm")
TOTAL_LABELS = (
    r"maksettava(?:\s*yhteensä)?",
    r"yhteensä",
    r"total(?:\s*due)?",
    r"att\s*betala",
    r"summa",
)
VAT_LABELS = (r"alv(?:\s*yhteensä)?", r"arvonlisävero", r"moms", r"vat")
REFERENCE_LABELS = (r"viite(?:numero)?", r"viitenro", r"reference", r"referens")


@dataclass
class Proposal:
    """What the text suggests; every field may be empty."""

    business_id: str = ""
    invoice_number: str = ""
    invoice_date: datetime.date | None = None
    due_date: datetime.date | None = None
    total: Decimal | None = None
    vat_amount: Decimal | None = None
    iban: str = ""
    reference: str = ""
    found: list[str] = field(default_factory=list)


def _labelled(text: str, labels, value_pattern: str) -> re.Match | None:
    for label in labels:
        pattern = rf"(?i)\b{label}\b[^\n\d-]{{0,30}}{value_pattern}"
        match = re.search(pattern, text)
        if match:
            return match
    return None


def parse_amount(text: str) -> Decimal | None:
    """Read 1 234,56 / 1234.56 / 1.234,56 as a Decimal, or return None."""
    cleaned = text.replace("\u00a0", " ").strip()
    if re.search(r"[,.]\d{2}$", cleaned):
        whole, cents = cleaned[:-3], cleaned[-2:]
    else:
        whole, cents = cleaned, "00"
    whole = re.sub(r"[ .,]", "", whole)
    try:
        return Decimal(f"{whole}.{cents}")
    except InvalidOperation:
        return None


def _parse_date(day: str, month: str, year: str) -> datetime.date | None:
    year_number = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return datetime.date(year_number, int(month), int(day))
    except ValueError:
        return None


def _labelled_date(text, labels) -> datetime.date | None:
    match = _labelled(text, labels, _DATE)
    return _parse_date(*match.groups()) if match else None


def _business_ids(text: str, exclude) -> list[str]:
    found = []
    for candidate in re.findall(r"\b(\d{7}-\d)\b", text):
        if candidate in exclude or candidate in found:
            continue
        if ytunnus.is_valid(candidate):
            found.append(candidate)
    return found


def _ibans(text: str) -> list[str]:
    found = []
    for candidate in re.findall(
        r"\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,4})?)", text
    ):
        try:
            iban = IBAN(candidate.replace(" ", ""))
        except SchwiftyException:
            continue
        if str(iban) not in found:
            found.append(str(iban))
    return found


def _reference(text: str) -> str:
    match = _labelled(text, REFERENCE_LABELS, r"((?:RF\d{2})?[\d ]{2,30}\d)")
    if not match:
        return ""
    return reference_or_blank(match.group(1))


def _barcode(text: str):
    for candidate in re.findall(
        r"\b([45]\d{53})\b", re.sub(r"(?<=\d) (?=\d)", "", text)
    ):
        try:
            return parse_virtual_barcode(candidate)
        except BarcodeError:
            continue
    return None


def propose_fields(text: str, *, own_business_ids=()) -> Proposal:
    """Return the invoice fields found in `text`, skipping the buyer's IDs."""
    proposal = Proposal()
    business_ids = _business_ids(text, set(own_business_ids))
    if business_ids:
        proposal.business_id = business_ids[0]
        proposal.found.append("business_id")
    number = _labelled(text, INVOICE_NUMBER_LABELS, r"([A-Z0-9][A-Z0-9/-]{0,29})")
    if number:
        proposal.invoice_number = number.group(1)
        proposal.found.append("invoice_number")
    for name, labels in (
        ("invoice_date", INVOICE_DATE_LABELS),
        ("due_date", DUE_DATE_LABELS),
    ):
        value = _labelled_date(text, labels)
        if value:
            setattr(proposal, name, value)
            proposal.found.append(name)
    for name, labels, pattern in (
        ("total", TOTAL_LABELS, _AMOUNT),
        ("vat_amount", VAT_LABELS, _RATE + _AMOUNT),
    ):
        match = _labelled(text, labels, pattern)
        if match:
            setattr(proposal, name, parse_amount(match.group(1)))
            proposal.found.append(name)
    ibans = _ibans(text)
    if ibans:
        proposal.iban = ibans[0]
        proposal.found.append("iban")
    proposal.reference = _reference(text)
    if proposal.reference:
        proposal.found.append("reference")
    barcode = _barcode(text)
    if barcode:
        proposal.iban = barcode.iban
        proposal.reference = barcode.reference
        if barcode.amount:
            proposal.total = barcode.amount
        if barcode.due_date:
            proposal.due_date = barcode.due_date
        proposal.found.append("barcode")
    return proposal
