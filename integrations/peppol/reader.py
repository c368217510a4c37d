"""Reading received Peppol BIS Billing 3.0 (UBL 2.1) invoices and credit notes.

The counterpart of the writer in this package: it turns a UBL Invoice or
CreditNote into the same `ReceivedInvoice` the Finvoice reader gives, so
the purchase inbox treats both formats alike. Parsing goes through the
safe XML parser; amounts in UBL use a decimal point.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from integrations.finvoice.reader import (
    FinvoiceError,
    ReceivedInvoice,
    ReceivedLine,
    converted,
)
from integrations.peppol import CAC, CBC, ROOTS
from integrations.xmlsafe import UnsafeXMLError, local_name, parse_xml

NS = {"cac": CAC, "cbc": CBC}


def is_ubl(root) -> bool:
    """Return whether a parsed root element is a UBL invoice or credit note."""
    return root.tag in {f"{{{ns}}}{name}" for name, ns in ROOTS.items()}


def _text(node, path: str) -> str:
    found = node.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _amount(node, path: str) -> Decimal | None:
    return converted(_text(node, path), path, Decimal, "amount")


def _date(node, path: str) -> datetime.date | None:
    return converted(_text(node, path), path, datetime.date.fromisoformat, "date")


def _lines(root, line_tag: str, quantity_tag: str) -> list[ReceivedLine]:
    lines = []
    for row in root.iterfind(f"cac:{line_tag}", NS):
        rate = _amount(row, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent")
        net = _amount(row, "cbc:LineExtensionAmount") or Decimal("0")
        lines.append(
            ReceivedLine(
                description=_text(row, "cac:Item/cbc:Name")[:300],
                quantity=_amount(row, f"cbc:{quantity_tag}"),
                unit_price=_amount(row, "cac:Price/cbc:PriceAmount"),
                net_amount=net,
                vat_rate=rate,
                vat_amount=(net * rate / 100).quantize(Decimal("0.01"))
                if rate is not None
                else Decimal("0"),
                article_code=(
                    _text(row, "cac:Item/cac:BuyersItemIdentification/cbc:ID")
                    or _text(row, "cac:Item/cac:SellersItemIdentification/cbc:ID")
                )[:70],
            )
        )
    return lines


def read_ubl(content: bytes) -> ReceivedInvoice:
    """Return the invoice in a UBL document, or raise FinvoiceError."""
    try:
        root = parse_xml(content)
    except UnsafeXMLError as exc:
        raise FinvoiceError(exc.messages[0]) from exc
    if not is_ubl(root):
        raise FinvoiceError(_("The message is not a Peppol invoice."))
    credit = local_name(root) == "CreditNote"
    total = _amount(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")
    if total is None:
        raise FinvoiceError(_("The Peppol invoice has no amount to pay."))
    seller = "cac:AccountingSupplierParty/cac:Party"
    total_node = root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NS)
    means = "cac:PaymentMeans"
    return ReceivedInvoice(
        seller_name=_text(root, f"{seller}/cac:PartyLegalEntity/cbc:RegistrationName")
        or _text(root, f"{seller}/cac:PartyName/cbc:Name"),
        seller_business_id=_text(root, f"{seller}/cac:PartyLegalEntity/cbc:CompanyID"),
        buyer_business_id=_text(
            root,
            "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID",
        ),
        invoice_number=_text(root, "cbc:ID"),
        type_code="INV02" if credit else "INV01",
        invoice_date=_date(root, "cbc:IssueDate"),
        due_date=_date(root, "cbc:DueDate"),
        currency=total_node.get("currencyID", "EUR"),
        total=abs(total),
        vat_amount=abs(_amount(root, "cac:TaxTotal/cbc:TaxAmount") or Decimal("0")),
        iban=_text(root, f"{means}/cac:PayeeFinancialAccount/cbc:ID").replace(" ", ""),
        bic=_text(
            root,
            f"{means}/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID",
        ),
        reference=_text(root, f"{means}/cbc:PaymentID").replace(" ", ""),
        message=_text(root, "cbc:Note")[:140],
        order_number=_text(root, "cac:OrderReference/cbc:ID"),
        lines=_lines(
            root,
            "CreditNoteLine" if credit else "InvoiceLine",
            "CreditedQuantity" if credit else "InvoicedQuantity",
        ),
    )
