"""Finvoice 3.0 messages written from plain data, checked by the schema."""

import datetime
from decimal import Decimal

import pytest
from lxml import etree

from integrations.finvoice.writer import (
    FinvoiceInvalid,
    OutgoingInvoice,
    Party,
    Row,
    build_finvoice,
    soap_envelope,
    validate,
)


def _invoice(**changes) -> OutgoingInvoice:
    fields = {
        "kind": "invoice",
        "number": "2026-00001",
        "invoice_date": datetime.date(2026, 3, 1),
        "delivery_date": datetime.date(2026, 2, 27),
        "due_date": datetime.date(2026, 3, 15),
        "seller": Party(
            "Alfa Oy",
            "2077474-0",
            "FI20774740",
            "Katu 1",
            "00100",
            "Helsinki",
            einvoice_address="003720774740",
            operator="003721291126",
        ),
        "buyer": Party(
            "Åsa Ab",
            "1572860-0",
            "FI15728600",
            "Väg 2",
            "02100",
            "Esbo",
            einvoice_address="003715728600",
            operator="NDEAFIHH",
        ),
        "iban": "FI4950009420028730",
        "bic": "OKOYFIHH",
        "reference": "1232",
        "currency": "EUR",
        "total_net": Decimal("100.00"),
        "total_vat": Decimal("25.50"),
        "total": Decimal("125.50"),
        "rows": [
            Row(
                "Työ",
                Decimal("2"),
                "HUR",
                Decimal("50"),
                Decimal("25.5"),
                Decimal("25.50"),
                Decimal("100.00"),
                Decimal("125.50"),
            )
        ],
        "vat_breakdown": [(Decimal("25.5"), "S", Decimal("100.00"), Decimal("25.50"))],
        "message_id": "1-2026-00001",
        "timestamp": datetime.datetime(2026, 3, 1, 12, 0),
    }
    fields.update(changes)
    return OutgoingInvoice(**fields)


@pytest.mark.parametrize("kind", ["invoice", "credit_note", "interest"])
def test_every_kind_of_invoice_passes_the_official_schema(kind):
    message = build_finvoice(_invoice(kind=kind, original_number="2026-00000"))

    validate(message)

    assert message.startswith(b"<?xml version='1.0' encoding='ISO-8859-15'?>")
    document = etree.fromstring(message)
    assert document.get("Version") == "3.0"
    assert document.findtext("InvoiceDetails/InvoiceTotalVatIncludedAmount") == (
        "125,50"
    )
    assert "Åsa Ab" in message.decode("iso-8859-15")


def test_an_rf_reference_is_marked_iso_and_a_national_one_spy():
    national = etree.fromstring(build_finvoice(_invoice()))
    rf = etree.fromstring(build_finvoice(_invoice(reference="RF111232")))

    assert (
        national.find(".//EpiRemittanceInfoIdentifier").get("IdentificationSchemeName")
        == "SPY"
    )
    assert (
        rf.find(".//EpiRemittanceInfoIdentifier").get("IdentificationSchemeName")
        == "ISO"
    )


def test_a_message_breaking_the_schema_is_refused_with_the_reasons():
    message = build_finvoice(_invoice(reference="12X"))

    with pytest.raises(FinvoiceInvalid) as caught:
        validate(message)

    assert "EpiRemittanceInfoIdentifier" in caught.value.errors[0]


def test_the_envelope_names_sender_receiver_and_operators():
    invoice = _invoice()
    framed = soap_envelope(
        build_finvoice(invoice), invoice=invoice, timestamp=invoice.timestamp
    )

    envelope = etree.fromstring(
        framed.split(b"</SOAP-ENV:Envelope>")[0] + (b"</SOAP-ENV:Envelope>")
    )
    ns = {
        "eb": "http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd"
    }
    parties = [e.text for e in envelope.iterfind(".//eb:PartyId", ns)]
    assert parties == ["003720774740", "003721291126", "003715728600", "NDEAFIHH"]
    assert envelope.findtext(".//eb:Action", namespaces=ns) == "ProcessInvoice"
