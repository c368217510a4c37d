"""Invoice documents: the printed PDF and the e-invoice data behind it.

`render_invoice_pdf` prints an invoice with WeasyPrint in the customer's
language, with the bank barcode as digits and as a Code 128 image.
`outgoing_invoice` describes an issued invoice the way the Finvoice and
Peppol writers (`integrations.finvoice.writer`, `integrations.peppol`)
take it.
"""

import base64
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrations.barcode import BarcodeError, code128_svg, virtual_barcode
from integrations.finvoice.writer import Factoring, OutgoingInvoice, Party, Row
from integrations.reference import format_reference
from modules.core.models import Unit
from modules.invoicing.models import InvoiceKind, InvoiceState
from modules.invoicing.services import billing_of, ensure_invoicing_settings

HEADINGS = {
    InvoiceKind.INVOICE: gettext_lazy("Invoice"),
    InvoiceKind.CREDIT_NOTE: gettext_lazy("Credit note"),
    InvoiceKind.INTEREST: gettext_lazy("Interest invoice"),
}
# UN/ECE 5305 tax categories by VAT code.
VAT_CATEGORIES = {
    "eu_goods_sales": "K",
    "eu_services_sales": "AE",
    "export": "G",
    "construction_sales": "AE",
    "margin_sales": "E",
    "sales_zero": "Z",
    "no_vat": "O",
}


def payee_account(invoice) -> tuple[str, str, str]:
    """Return (IBAN, BIC, payee) the customer pays the invoice to.

    A factored invoice is paid to the factoring company's account.
    """
    if invoice.factoring_company is not None:
        factoring = invoice.factoring_company
        return factoring.iban, factoring.bic, factoring.name
    settings = ensure_invoicing_settings(company=invoice.company)
    if settings.bank_account is None:
        raise ValidationError(
            _("Choose the bank account printed on invoices in the invoicing settings."),
            code="no_bank_account",
        )
    account = settings.bank_account
    return account.iban, account.bic, invoice.company.name


def invoice_barcode(invoice, *, iban: str = "") -> str:
    """Return the 54-digit bank barcode of an open invoice, or "".

    `iban` saves looking up the payee account when the caller has it.
    """
    if invoice.state != InvoiceState.ISSUED or invoice.open_amount <= 0:
        return ""
    iban = iban or payee_account(invoice)[0]
    try:
        return virtual_barcode(
            iban=iban,
            amount=invoice.open_amount,
            reference=invoice.reference,
            due_date=invoice.due_date,
        )
    except BarcodeError:
        # A foreign account or an oversized reference: the invoice is still
        # valid, it just has no barcode to scan.
        return ""


def _language(invoice) -> str:
    customer = invoice.customer
    return getattr(customer, "language", "") or invoice.company.language or "fi"


def invoice_context(invoice) -> dict:
    """Return what the invoice template needs, in the customer's language."""
    from modules.invoicing.receivables import penal_interest_rate

    iban, bic, payee = payee_account(invoice)
    barcode = invoice_barcode(invoice, iban=iban)
    image = ""
    if barcode:
        svg = code128_svg(barcode).encode()
        image = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    return {
        "invoice": invoice,
        "company": invoice.company,
        "lines": list(invoice.lines.all()),
        "heading": HEADINGS[invoice.kind],
        "printed_reference": format_reference(invoice.reference),
        "penal_rate": penal_interest_rate(invoice.invoice_date),
        "factoring": invoice.factoring_company,
        "iban": " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)),
        "bic": bic,
        "payee": payee,
        "barcode": barcode,
        "barcode_image": image,
    }


def render_html_pdf(html: str) -> bytes:
    """Return the PDF of an HTML page (WeasyPrint)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def render_invoice_pdf(invoice) -> bytes:
    """Return the printed invoice as PDF bytes."""
    language = _language(invoice)
    with translation.override(language):
        context = invoice_context(invoice)
        context["language"] = language
        html = render_to_string("invoicing/pdf/invoice.html", context)
    return render_html_pdf(html)


def _party_of_company(company, settings) -> Party:
    return Party(
        name=company.name,
        business_id=company.business_id,
        vat_number=company.vat_number,
        street=company.street_address,
        postcode=company.postal_code,
        town=company.city,
        country="FI",
        einvoice_address=settings.einvoice_address,
        operator=settings.einvoice_operator,
    )


def _party_of_customer(invoice, billing) -> Party:
    customer = invoice.customer
    address = getattr(customer, "einvoice_address", "")
    operator = getattr(customer, "einvoice_operator", "")
    if billing is not None:
        address = billing.einvoice_address or address
        operator = billing.einvoice_operator or operator
    street = getattr(customer, "billing_address", "") or getattr(
        customer, "postal_address", ""
    )
    billing_town = getattr(customer, "billing_address", "")
    return Party(
        name=invoice.customer_name,
        business_id=getattr(customer, "business_id", ""),
        vat_number=getattr(customer, "vat_number", ""),
        street=street,
        postcode=getattr(
            customer, "billing_postal_code" if billing_town else "postal_code", ""
        ),
        town=getattr(customer, "billing_city" if billing_town else "city", ""),
        country=getattr(customer, "country", "FI") or "FI",
        einvoice_address=address,
        operator=operator,
    )


def _rows(invoice) -> tuple[list[Row], list]:
    units = dict(Unit.objects.values_list("code", "unece_code"))
    rows, breakdown = [], {}
    for line in invoice.lines.all():
        category = VAT_CATEGORIES.get(line.vat_code, "S")
        rows.append(
            Row(
                name=line.description,
                code=line.product_code,
                quantity=line.quantity,
                unit=units.get(line.unit) or "C62",
                unit_price=line.unit_price,
                vat_rate=line.vat_rate,
                vat=line.vat,
                net=line.net,
                gross=line.gross,
                vat_category=category,
            )
        )
        key = (line.vat_rate, category)
        base, vat = breakdown.get(key, (Decimal(0), Decimal(0)))
        breakdown[key] = (base + line.net, vat + line.vat)
    return rows, [
        (rate, category, base, vat)
        for (rate, category), (base, vat) in sorted(breakdown.items())
    ]


def outgoing_invoice(invoice) -> OutgoingInvoice:
    """Describe an issued invoice for the e-invoice writers."""
    from modules.invoicing.receivables import penal_interest_rate

    settings = ensure_invoicing_settings(company=invoice.company)
    billing = billing_of(invoice.customer)
    iban, bic, _payee = payee_account(invoice)
    rows, breakdown = _rows(invoice)
    factoring = invoice.factoring_company
    with translation.override(_language(invoice)):
        terms = _("%(days)s days net") % {"days": invoice.payment_terms_days}
    return OutgoingInvoice(
        kind=invoice.kind,
        number=invoice.number,
        invoice_date=invoice.invoice_date,
        delivery_date=invoice.delivery_date,
        due_date=invoice.due_date,
        seller=_party_of_company(invoice.company, settings),
        buyer=_party_of_customer(invoice, billing),
        iban=iban,
        bic=bic,
        reference=invoice.reference,
        currency=invoice.currency,
        total_net=invoice.total_net,
        total_vat=invoice.total_vat,
        total=invoice.total,
        rows=rows,
        vat_breakdown=breakdown,
        message_id=f"{invoice.company_id}-{invoice.number}-{uuid.uuid4().hex[:8]}",
        timestamp=timezone.localtime(),
        payment_terms=terms,
        penal_interest_percent=penal_interest_rate(invoice.invoice_date),
        virtual_barcode=invoice_barcode(invoice),
        original_number=(
            invoice.credited_invoice.number if invoice.credited_invoice_id else ""
        ),
        your_reference=invoice.your_reference,
        notes=invoice.notes,
        factoring=(
            Factoring(
                agreement=factoring.agreement_number,
                name=factoring.name,
                clause=factoring.assignment_clause,
                iban=factoring.iban,
                bic=factoring.bic,
            )
            if factoring is not None
            else None
        ),
        mandate=billing.direct_payment_mandate if billing else "",
    )
