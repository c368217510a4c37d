"""Peppol BIS Billing 3.0 (EN 16931, UBL 2.1) invoices and credit notes.

Plain Python on lxml. It reads the same `OutgoingInvoice` as the Finvoice
writer, so both formats say the same thing about one invoice. Parties
are addressed by their Peppol ID ("scheme:identifier", e.g.
"0216:003720774740" for an OVT code).
"""

from decimal import Decimal

from lxml import etree

from integrations.finvoice.writer import OutgoingInvoice

CUSTOMIZATION = (
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
)
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ROOTS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
# UN/ECE 5305 VAT categories used by the rows.
ZERO_RATED_CATEGORIES = {"Z", "E", "K", "G", "AE", "O"}


def _cbc(parent, tag, value, **attributes):
    element = etree.SubElement(parent, f"{{{CBC}}}{tag}", **attributes)
    element.text = str(value)
    return element


def _cac(parent, tag):
    return etree.SubElement(parent, f"{{{CAC}}}{tag}")


def _amount(parent, tag, value: Decimal, currency: str):
    return _cbc(parent, tag, f"{Decimal(value):.2f}", currencyID=currency)


def _endpoint(peppol_id: str) -> tuple[str, str]:
    scheme, _, identifier = peppol_id.partition(":")
    return (scheme, identifier) if identifier else ("0216", scheme)


def _party(parent, tag, party, peppol_id):
    wrapper = _cac(parent, tag)
    element = _cac(wrapper, "Party")
    scheme, identifier = _endpoint(peppol_id)
    _cbc(element, "EndpointID", identifier, schemeID=scheme)
    address = _cac(element, "PostalAddress")
    if party.street:
        _cbc(address, "StreetName", party.street)
    if party.town:
        _cbc(address, "CityName", party.town)
    if party.postcode:
        _cbc(address, "PostalZone", party.postcode)
    _cbc(_cac(address, "Country"), "IdentificationCode", party.country or "FI")
    if party.vat_number:
        tax = _cac(element, "PartyTaxScheme")
        _cbc(tax, "CompanyID", party.vat_number)
        _cbc(_cac(tax, "TaxScheme"), "ID", "VAT")
    legal = _cac(element, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party.name)
    if party.business_id:
        _cbc(legal, "CompanyID", party.business_id)


def _category(parent, tag, category: str, rate: Decimal):
    element = _cac(parent, tag)
    _cbc(element, "ID", category)
    _cbc(element, "Percent", f"{Decimal(rate):.2f}")
    _cbc(_cac(element, "TaxScheme"), "ID", "VAT")
    return element


def build_ubl(
    invoice: OutgoingInvoice, *, seller_peppol_id: str, buyer_peppol_id: str
) -> bytes:
    """Return the invoice (or credit note) as Peppol BIS Billing 3.0 UBL."""
    credit = invoice.kind == "credit_note"
    root_name = "CreditNote" if credit else "Invoice"
    namespace = ROOTS[root_name]
    sign = Decimal(-1) if credit else Decimal(1)
    currency = invoice.currency
    root = etree.Element(
        f"{{{namespace}}}{root_name}",
        nsmap={None: namespace, "cac": CAC, "cbc": CBC},
    )

    _cbc(root, "CustomizationID", CUSTOMIZATION)
    _cbc(root, "ProfileID", PROFILE)
    _cbc(root, "ID", invoice.number)
    _cbc(root, "IssueDate", invoice.invoice_date.isoformat())
    if not credit:
        _cbc(root, "DueDate", invoice.due_date.isoformat())
    _cbc(
        root,
        "CreditNoteTypeCode" if credit else "InvoiceTypeCode",
        "381" if credit else "380",
    )
    if invoice.notes:
        _cbc(root, "Note", invoice.notes)
    _cbc(root, "DocumentCurrencyCode", currency)
    _cbc(root, "BuyerReference", invoice.your_reference or invoice.number)
    if invoice.original_number:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", invoice.original_number)
    _party(root, "AccountingSupplierParty", invoice.seller, seller_peppol_id)
    _party(root, "AccountingCustomerParty", invoice.buyer, buyer_peppol_id)
    delivery = _cac(root, "Delivery")
    _cbc(delivery, "ActualDeliveryDate", invoice.delivery_date.isoformat())

    means = _cac(root, "PaymentMeans")
    _cbc(means, "PaymentMeansCode", "30")
    _cbc(means, "PaymentID", invoice.reference)
    account = _cac(means, "PayeeFinancialAccount")
    _cbc(account, "ID", invoice.iban)
    if invoice.bic:
        _cbc(_cac(account, "FinancialInstitutionBranch"), "ID", invoice.bic)
    if invoice.payment_terms:
        _cbc(_cac(root, "PaymentTerms"), "Note", invoice.payment_terms)

    tax_total = _cac(root, "TaxTotal")
    _amount(tax_total, "TaxAmount", invoice.total_vat * sign, currency)
    for rate, category, base, vat in invoice.vat_breakdown:
        subtotal = _cac(tax_total, "TaxSubtotal")
        _amount(subtotal, "TaxableAmount", base * sign, currency)
        _amount(subtotal, "TaxAmount", vat * sign, currency)
        _category(subtotal, "TaxCategory", category, rate)

    totals = _cac(root, "LegalMonetaryTotal")
    _amount(totals, "LineExtensionAmount", invoice.total_net * sign, currency)
    _amount(totals, "TaxExclusiveAmount", invoice.total_net * sign, currency)
    _amount(totals, "TaxInclusiveAmount", invoice.total * sign, currency)
    _amount(totals, "PayableAmount", invoice.total * sign, currency)

    line_tag = "CreditNoteLine" if credit else "InvoiceLine"
    quantity_tag = "CreditedQuantity" if credit else "InvoicedQuantity"
    for number, row in enumerate(invoice.rows, start=1):
        line = _cac(root, line_tag)
        _cbc(line, "ID", number)
        _cbc(line, quantity_tag, f"{row.quantity * sign:.3f}", unitCode=row.unit)
        _amount(line, "LineExtensionAmount", row.net * sign, currency)
        item = _cac(line, "Item")
        _cbc(item, "Name", row.name)
        if row.code:
            _cbc(_cac(item, "SellersItemIdentification"), "ID", row.code)
        _category(item, "ClassifiedTaxCategory", row.vat_category, row.vat_rate)
        price = _cac(line, "Price")
        _amount(price, "PriceAmount", row.unit_price, currency)

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
