"""Writing Finvoice 3.0 invoices and their SOAP/ebXML transport envelope.

Plain Python on lxml; the caller fills an `OutgoingInvoice` and gets the
message bytes in ISO-8859-15, the encoding Finnish operators expect.
`validate` checks a message against Finance Finland's Finvoice 3.0
schema, shipped beside this file (`schema/Finvoice3.0.xsd`, the November
2019 version); nothing is sent that does not pass it.
"""

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import xmlschema
from lxml import etree

SCHEMA_PATH = Path(__file__).parent / "schema" / "Finvoice3.0.xsd"
ENCODING = "ISO-8859-15"

# Finvoice type codes and their UN/CEFACT 1001 counterparts.
TYPE_CODES = {
    "invoice": ("INV01", "380", "LASKU"),
    "credit_note": ("INV02", "381", "HYVITYSLASKU"),
    "interest": ("INV03", "383", "KORKOLASKU"),
}

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
EB_NS = "http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd"


class FinvoiceInvalid(ValueError):
    """A message that does not pass the Finvoice 3.0 schema."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Party:
    name: str
    business_id: str = ""
    vat_number: str = ""
    street: str = ""
    postcode: str = ""
    town: str = ""
    country: str = "FI"
    einvoice_address: str = ""
    operator: str = ""


@dataclass(frozen=True)
class Row:
    name: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    vat_rate: Decimal
    vat: Decimal
    net: Decimal
    gross: Decimal
    code: str = ""
    vat_category: str = "S"


@dataclass(frozen=True)
class Factoring:
    agreement: str
    name: str
    clause: str
    iban: str
    bic: str


@dataclass
class OutgoingInvoice:
    kind: str
    number: str
    invoice_date: datetime.date
    delivery_date: datetime.date
    due_date: datetime.date
    seller: Party
    buyer: Party
    iban: str
    bic: str
    reference: str
    currency: str
    total_net: Decimal
    total_vat: Decimal
    total: Decimal
    rows: list[Row]
    message_id: str
    timestamp: datetime.datetime
    payment_terms: str = ""
    penal_interest_percent: Decimal | None = None
    virtual_barcode: str = ""
    original_number: str = ""
    your_reference: str = ""
    factoring: Factoring | None = None
    mandate: str = ""
    notes: str = ""
    vat_breakdown: list = field(default_factory=list)


def _amount(value: Decimal) -> str:
    return f"{Decimal(value):.2f}".replace(".", ",")


def _number(value: Decimal, places: int = 2) -> str:
    return f"{Decimal(value):.{places}f}".replace(".", ",")


def _date(parent, tag: str, value: datetime.date):
    element = etree.SubElement(parent, tag, Format="CCYYMMDD")
    element.text = value.strftime("%Y%m%d")
    return element


def _text(parent, tag: str, value, **attributes):
    element = etree.SubElement(parent, tag, **attributes)
    element.text = str(value)
    return element


def _money(parent, tag: str, value: Decimal, currency: str):
    return _text(parent, tag, _amount(value), AmountCurrencyIdentifier=currency)


def _address(parent, prefix: str, party: Party) -> None:
    if not (party.street and party.town and party.postcode):
        return
    details = etree.SubElement(parent, f"{prefix}PostalAddressDetails")
    _text(details, f"{prefix}StreetName", party.street[:35])
    _text(details, f"{prefix}TownName", party.town[:35])
    _text(details, f"{prefix}PostCodeIdentifier", party.postcode[:35])
    _text(details, "CountryCode", party.country or "FI")


def _transmission(root, invoice: OutgoingInvoice) -> None:
    details = etree.SubElement(root, "MessageTransmissionDetails")
    sender = etree.SubElement(details, "MessageSenderDetails")
    _text(sender, "FromIdentifier", invoice.seller.einvoice_address)
    _text(sender, "FromIntermediator", invoice.seller.operator)
    receiver = etree.SubElement(details, "MessageReceiverDetails")
    _text(receiver, "ToIdentifier", invoice.buyer.einvoice_address)
    _text(receiver, "ToIntermediator", invoice.buyer.operator)
    message = etree.SubElement(details, "MessageDetails")
    _text(message, "MessageIdentifier", invoice.message_id)
    _text(message, "MessageTimeStamp", invoice.timestamp.strftime("%Y-%m-%dT%H:%M:%S"))


def _seller(root, invoice: OutgoingInvoice) -> None:
    seller = invoice.seller
    party = etree.SubElement(root, "SellerPartyDetails")
    if seller.business_id:
        _text(party, "SellerPartyIdentifier", seller.business_id)
    _text(party, "SellerOrganisationName", seller.name[:70])
    if seller.vat_number:
        _text(party, "SellerOrganisationTaxCode", seller.vat_number)
    _address(party, "Seller", seller)
    if seller.einvoice_address:
        _text(root, "SellerOrganisationUnitNumber", seller.einvoice_address)
    information = etree.SubElement(root, "SellerInformationDetails")
    account = etree.SubElement(information, "SellerAccountDetails")
    _text(account, "SellerAccountID", invoice.iban, IdentificationSchemeName="IBAN")
    _text(account, "SellerBic", invoice.bic, IdentificationSchemeName="BIC")


def _buyer(root, invoice: OutgoingInvoice) -> None:
    buyer = invoice.buyer
    party = etree.SubElement(root, "BuyerPartyDetails")
    if buyer.business_id:
        _text(party, "BuyerPartyIdentifier", buyer.business_id)
    _text(party, "BuyerOrganisationName", buyer.name[:70])
    if buyer.vat_number:
        _text(party, "BuyerOrganisationTaxCode", buyer.vat_number)
    _address(party, "Buyer", buyer)
    if buyer.einvoice_address and buyer.business_id:
        _text(root, "BuyerOrganisationUnitNumber", buyer.einvoice_address)
    delivery = etree.SubElement(root, "DeliveryDetails")
    _date(delivery, "DeliveryDate", invoice.delivery_date)


def _details(root, invoice: OutgoingInvoice) -> None:
    code, code_un, text = TYPE_CODES[invoice.kind]
    currency = invoice.currency
    details = etree.SubElement(root, "InvoiceDetails")
    _text(details, "InvoiceTypeCode", code)
    _text(details, "InvoiceTypeCodeUN", code_un)
    _text(details, "InvoiceTypeText", text)
    _text(
        details, "OriginCode", "Cancel" if invoice.kind == "credit_note" else "Original"
    )
    _text(details, "InvoiceNumber", invoice.number)
    _date(details, "InvoiceDate", invoice.invoice_date)
    if invoice.original_number:
        _text(details, "OriginalInvoiceNumber", invoice.original_number)
    if invoice.your_reference:
        _text(details, "OrderIdentifier", invoice.your_reference[:70])
    _money(details, "RowsTotalVatExcludedAmount", invoice.total_net, currency)
    _money(details, "InvoiceTotalVatExcludedAmount", invoice.total_net, currency)
    _money(details, "InvoiceTotalVatAmount", invoice.total_vat, currency)
    _money(details, "InvoiceTotalVatIncludedAmount", invoice.total, currency)
    for rate, category, base, vat in invoice.vat_breakdown:
        specification = etree.SubElement(details, "VatSpecificationDetails")
        _money(specification, "VatBaseAmount", base, currency)
        _text(specification, "VatRatePercent", _number(rate))
        _text(specification, "VatCode", category)
        _money(specification, "VatRateAmount", vat, currency)
    if invoice.notes:
        _text(details, "InvoiceFreeText", invoice.notes[:512])
    terms = etree.SubElement(details, "PaymentTermsDetails")
    if invoice.payment_terms:
        _text(terms, "PaymentTermsFreeText", invoice.payment_terms[:70])
    _date(terms, "InvoiceDueDate", invoice.due_date)
    if invoice.penal_interest_percent is not None:
        fine = etree.SubElement(terms, "PaymentOverDueFineDetails")
        _text(
            fine, "PaymentOverDueFinePercent", _number(invoice.penal_interest_percent)
        )


def _factoring(root, factoring: Factoring) -> None:
    details = etree.SubElement(root, "FactoringAgreementDetails")
    _text(details, "FactoringAgreementIdentifier", factoring.agreement or "-")
    _text(details, "FactoringFreeText", factoring.clause[:512])
    _text(details, "FactoringPartyName", factoring.name[:70])


def _row(root, row: Row, currency: str) -> None:
    element = etree.SubElement(root, "InvoiceRow")
    if row.code:
        _text(element, "ArticleIdentifier", row.code[:35])
    _text(element, "ArticleName", row.name[:100])
    _text(
        element,
        "DeliveredQuantity",
        _number(row.quantity, 3),
        QuantityUnitCode=row.unit,
    )
    _money(element, "UnitPriceAmount", row.unit_price, currency)
    _text(element, "RowVatRatePercent", _number(row.vat_rate))
    _text(element, "RowVatCode", row.vat_category)
    _money(element, "RowVatAmount", row.vat, currency)
    _money(element, "RowVatExcludedAmount", row.net, currency)
    _money(element, "RowAmount", row.gross, currency)


def _epi(root, invoice: OutgoingInvoice) -> None:
    epi = etree.SubElement(root, "EpiDetails")
    identification = etree.SubElement(epi, "EpiIdentificationDetails")
    _date(identification, "EpiDate", invoice.invoice_date)
    _text(identification, "EpiReference", invoice.number)
    parties = etree.SubElement(epi, "EpiPartyDetails")
    bank = etree.SubElement(parties, "EpiBfiPartyDetails")
    _text(bank, "EpiBfiIdentifier", invoice.bic, IdentificationSchemeName="BIC")
    beneficiary = etree.SubElement(parties, "EpiBeneficiaryPartyDetails")
    name = invoice.factoring.name if invoice.factoring else invoice.seller.name
    _text(beneficiary, "EpiNameAddressDetails", name[:35])
    _text(beneficiary, "EpiAccountID", invoice.iban, IdentificationSchemeName="IBAN")
    payment = etree.SubElement(epi, "EpiPaymentInstructionDetails")
    scheme = "ISO" if invoice.reference.startswith("RF") else "SPY"
    _text(
        payment,
        "EpiRemittanceInfoIdentifier",
        invoice.reference,
        IdentificationSchemeName=scheme,
    )
    _money(
        payment, "EpiInstructedAmount", max(invoice.total, Decimal(0)), invoice.currency
    )
    etree.SubElement(payment, "EpiCharge", ChargeOption="SLEV")
    _date(payment, "EpiDateOptionDate", invoice.due_date)


def build_finvoice(invoice: OutgoingInvoice) -> bytes:
    """Return the Finvoice 3.0 message of `invoice`, ISO-8859-15 encoded."""
    root = etree.Element("Finvoice", Version="3.0")
    _transmission(root, invoice)
    _seller(root, invoice)
    _buyer(root, invoice)
    _details(root, invoice)
    if invoice.mandate:
        debit = etree.SubElement(root, "DirectDebitInfo")
        _text(debit, "MandateReference", invoice.mandate[:35])
    if invoice.factoring is not None:
        _factoring(root, invoice.factoring)
    if invoice.virtual_barcode:
        _text(root, "VirtualBankBarcode", invoice.virtual_barcode)
    for row in invoice.rows:
        _row(root, row, invoice.currency)
    _epi(root, invoice)
    return etree.tostring(
        root, xml_declaration=True, encoding=ENCODING, pretty_print=True
    )


@functools.cache
def _schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA_PATH))


def validate(message: bytes) -> None:
    """Raise FinvoiceInvalid listing every way `message` breaks the schema."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    document = etree.fromstring(message, parser=parser)
    errors = [
        f"{error.path}: {error.reason}" for error in _schema().iter_errors(document)
    ]
    if errors:
        raise FinvoiceInvalid(errors)


def soap_envelope(
    message: bytes, *, invoice: OutgoingInvoice, timestamp: datetime.datetime
) -> bytes:
    """Return the transport frame an operator takes: SOAP header, then the
    Finvoice message.

    The ebXML MessageHeader names the sending and receiving e-invoice
    addresses and their intermediators (operators or bank BICs).
    """
    env = etree.Element(
        f"{{{SOAP_NS}}}Envelope", nsmap={"SOAP-ENV": SOAP_NS, "eb": EB_NS}
    )
    header = etree.SubElement(env, f"{{{SOAP_NS}}}Header")
    message_header = etree.SubElement(
        header,
        f"{{{EB_NS}}}MessageHeader",
        {f"{{{SOAP_NS}}}mustUnderstand": "1", f"{{{EB_NS}}}version": "2.0"},
    )
    for side, party, role in (
        ("From", invoice.seller, "Sender"),
        ("To", invoice.buyer, "Receiver"),
    ):
        for party_id, party_role in (
            (party.einvoice_address, role),
            (party.operator, "Intermediator"),
        ):
            element = etree.SubElement(message_header, f"{{{EB_NS}}}{side}")
            _text(element, f"{{{EB_NS}}}PartyId", party_id)
            _text(element, f"{{{EB_NS}}}Role", party_role)
    _text(message_header, f"{{{EB_NS}}}CPAId", "yoursandmycpa")
    _text(message_header, f"{{{EB_NS}}}ConversationId", invoice.number)
    _text(message_header, f"{{{EB_NS}}}Service", "Routing")
    _text(message_header, f"{{{EB_NS}}}Action", "ProcessInvoice")
    data = etree.SubElement(message_header, f"{{{EB_NS}}}MessageData")
    _text(data, f"{{{EB_NS}}}MessageId", invoice.message_id)
    _text(data, f"{{{EB_NS}}}Timestamp", timestamp.strftime("%Y-%m-%dT%H:%M:%S"))
    manifest = etree.SubElement(
        etree.SubElement(env, f"{{{SOAP_NS}}}Body"), f"{{{EB_NS}}}Manifest"
    )
    etree.SubElement(manifest, f"{{{EB_NS}}}Reference", {f"{{{EB_NS}}}id": "Finvoice"})
    frame = etree.tostring(env, xml_declaration=True, encoding=ENCODING)
    return frame + b"\n" + message
