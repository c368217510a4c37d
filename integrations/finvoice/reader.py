"""Reading received Finvoice 3.0 messages into plain data.

Operators deliver either one message or a batch: SOAP envelopes, each
followed by its Finvoice document, one after the other in one file.
`split_batch` cuts a batch into messages without parsing it as a whole
(a batch is not one XML document), and `read_invoice` turns one Finvoice
document into a `ReceivedInvoice`. Amounts use a decimal comma; dates are
CCYYMMDD.
"""

import datetime
import functools
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from lxml import etree

from integrations.xmlsafe import UnsafeXMLError, parse_xml

_DECLARATION = re.compile(rb"<\?xml[^>]*\?>")
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "Finvoice3.0.xsd"
# A clerk reads the first few; the rest are usually the same mistake again.
SHOWN_SCHEMA_ERRORS = 5
_MESSAGE_ID = re.compile(rb"<(?:\w+:)?MessageId>([^<]{1,128})</(?:\w+:)?MessageId>")


class FinvoiceError(Exception):
    """A message that is not a readable Finvoice invoice."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Message:
    """One Finvoice document cut out of a file, with a stable key."""

    key: str
    content: bytes


@dataclass
class ReceivedLine:
    description: str
    quantity: Decimal | None
    unit_price: Decimal | None
    net_amount: Decimal
    vat_rate: Decimal | None
    vat_amount: Decimal
    article_code: str = ""


@dataclass
class ReceivedInvoice:
    seller_name: str
    seller_business_id: str
    buyer_business_id: str
    invoice_number: str
    type_code: str
    invoice_date: datetime.date | None
    due_date: datetime.date | None
    currency: str
    total: Decimal
    vat_amount: Decimal
    iban: str
    bic: str
    reference: str
    message: str
    order_number: str
    lines: list[ReceivedLine] = field(default_factory=list)
    cash_discount_date: datetime.date | None = None
    cash_discount_percent: Decimal | None = None
    cash_discount_amount: Decimal | None = None
    schema_errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def is_credit_note(self) -> bool:
        return self.type_code == "INV02"


def split_batch(data: bytes) -> list[Message]:
    """Return the Finvoice documents of a single message or a SOAP batch."""
    if b"<Finvoice" not in data:
        raise FinvoiceError(_("The file holds no Finvoice invoice."))
    chunks = [c for c in _DECLARATION.split(data) if c.strip()]
    declarations = _DECLARATION.findall(data)
    # Put each document's own declaration (and so its encoding) back on it.
    if len(declarations) == len(chunks):
        chunks = [d + c for d, c in zip(declarations, chunks, strict=True)]
    messages = []
    pending_id = None
    for chunk in chunks:
        if b"<Finvoice" not in chunk:
            found = _MESSAGE_ID.search(chunk)
            pending_id = found.group(1).decode("ascii", "replace") if found else None
            continue
        digest = hashlib.sha256(chunk.strip()).hexdigest()
        key = f"finvoice:{pending_id}" if pending_id else f"sha256:{digest}"
        messages.append(Message(key=key, content=chunk.strip()))
        pending_id = None
    return messages


def _text(node, path: str) -> str:
    found = node.find(path)
    return (found.text or "").strip() if found is not None else ""


def converted(raw: str, path: str, convert, what):
    """Return `convert(raw)`, or None for an empty value; a value that does
    not convert raises FinvoiceError naming the field (`what`: "amount" or
    "date")."""
    if not raw:
        return None
    try:
        return convert(raw)
    except (InvalidOperation, ValueError) as exc:
        message = (
            _("%(field)s is not an amount: %(value)s")
            if what == "amount"
            else _("%(field)s is not a date: %(value)s")
        )
        raise FinvoiceError(message % {"field": path, "value": raw}) from exc


def _amount(node, path: str) -> Decimal | None:
    return converted(
        _text(node, path),
        path,
        lambda raw: Decimal(raw.replace(" ", "").replace(",", ".")),
        "amount",
    )


def _date(node, path: str) -> datetime.date | None:
    return converted(
        _text(node, path),
        path,
        lambda raw: datetime.datetime.strptime(raw, "%Y%m%d").date(),
        "date",
    )


def _lines(root) -> list[ReceivedLine]:
    lines = []
    for row in root.iterfind("InvoiceRow"):
        name = _text(row, "ArticleName")
        text = _text(row, "RowFreeText")
        lines.append(
            ReceivedLine(
                description=(name or text or _text(row, "ArticleDescription"))[:300],
                quantity=_amount(row, "DeliveredQuantity")
                or _amount(row, "InvoicedQuantity"),
                unit_price=_amount(row, "UnitPriceAmount"),
                net_amount=_amount(row, "RowVatExcludedAmount") or Decimal("0"),
                vat_rate=_amount(row, "RowVatRatePercent"),
                vat_amount=_amount(row, "RowVatAmount") or Decimal("0"),
                article_code=(
                    _text(row, "BuyerArticleIdentifier")
                    or _text(row, "ArticleIdentifier")
                )[:70],
            )
        )
    return lines


@functools.cache
def _schema() -> etree.XMLSchema:
    """The official Finvoice 3.0 schema, compiled once per process."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH), parser=parser))


def schema_errors(root) -> list[tuple[int, str]]:
    """Return how a parsed Finvoice document breaks the official schema, as
    (line, reason) pairs with lxml's English reasons; empty when valid."""
    schema = _schema()
    if schema.validate(root.getroottree()):
        return []
    return [(error.line, error.message) for error in schema.error_log]


def read_invoice(content: bytes) -> ReceivedInvoice:
    """Return the invoice in one Finvoice document, or raise FinvoiceError.

    A message that can be read but breaks the Finvoice 3.0 schema is still
    returned, with the schema's complaints in `schema_errors`.
    """
    try:
        root = parse_xml(content)
    except UnsafeXMLError as exc:
        raise FinvoiceError(exc.messages[0]) from exc
    if root.tag != "Finvoice":
        raise FinvoiceError(_("The message is not a Finvoice invoice."))
    details = root.find("InvoiceDetails")
    if details is None:
        raise FinvoiceError(_("The Finvoice message has no invoice details."))
    total = _amount(details, "InvoiceTotalVatIncludedAmount")
    if total is None:
        raise FinvoiceError(_("The Finvoice message has no invoice total."))
    total_node = details.find("InvoiceTotalVatIncludedAmount")
    epi = root.find("EpiDetails/EpiPaymentInstructionDetails")
    epi_party = root.find("EpiDetails/EpiPartyDetails")
    reference = ""
    if epi is not None:
        reference = _text(epi, "EpiRemittanceInfoIdentifier").replace(" ", "")
    iban = bic = ""
    if epi_party is not None:
        iban = _text(epi_party, "EpiBeneficiaryPartyDetails/EpiAccountID")
        bic = _text(epi_party, "EpiBfiPartyDetails/EpiBfiIdentifier")
    if not iban:
        iban = _text(
            root, "SellerInformationDetails/SellerAccountDetails/SellerAccountID"
        )
        bic = _text(root, "SellerInformationDetails/SellerAccountDetails/SellerBic")
    terms = "PaymentTermsDetails/"
    return ReceivedInvoice(
        seller_name=_text(root, "SellerPartyDetails/SellerOrganisationName"),
        seller_business_id=_text(root, "SellerPartyDetails/SellerPartyIdentifier"),
        buyer_business_id=_text(root, "BuyerPartyDetails/BuyerPartyIdentifier"),
        invoice_number=_text(details, "InvoiceNumber"),
        type_code=_text(details, "InvoiceTypeCode"),
        invoice_date=_date(details, "InvoiceDate"),
        due_date=_date(details, "PaymentTermsDetails/InvoiceDueDate"),
        currency=total_node.get("AmountCurrencyIdentifier", "EUR"),
        total=total,
        vat_amount=_amount(details, "InvoiceTotalVatAmount") or Decimal("0"),
        iban=iban.replace(" ", ""),
        bic=bic,
        reference=reference,
        message=_text(details, "InvoiceFreeText")[:140],
        order_number=_text(details, "OrderIdentifier"),
        lines=_lines(root),
        cash_discount_date=_date(details, terms + "CashDiscountDate"),
        cash_discount_percent=_amount(details, terms + "CashDiscountPercent"),
        cash_discount_amount=_amount(details, terms + "CashDiscountAmount"),
        schema_errors=schema_errors(root),
    )
