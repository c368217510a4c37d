"""Quotation, purchase order, pick list, delivery note and waybill PDFs."""

import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from modules.orders import documents, purchasing, services
from modules.orders.models import QuotationState


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def delivery(company_a, customer, product, warehouse, receive):
    receive(product, "5")
    order = services.create_sales_order(
        company=company_a,
        user=None,
        customer=customer,
        lines=[{"product": product, "quantity": "3"}],
        customer_reference="PO-778",
        confirm=True,
    )
    return services.propose_delivery(order=order, user=None)


def test_quotation_pdf_speaks_the_customers_language_and_is_emailed(
    company_a, customer, product
):
    customer.email = "osto@asiakas.fi"
    customer.save()
    quotation = services.create_quotation(
        company=company_a,
        user=None,
        customer=customer,
        lines=[{"product": product, "quantity": "3"}],
    )

    text = text_of(documents.quotation_pdf(quotation))
    sent = documents.send_quotation(quotation=quotation, user=None)

    assert "Tarjous" in text
    assert quotation.number in text
    assert "Vasara" in text
    assert "60,00" in text or "60.00" in text
    assert sent.state == QuotationState.SENT
    [message] = mail.outbox
    assert message.to == ["osto@asiakas.fi"]
    assert message.attachments[0][0] == f"{quotation.number}.pdf"


def test_sending_without_an_address_says_so(company_a, customer, product):
    quotation = services.create_quotation(
        company=company_a, user=None, customer=customer, lines=[]
    )

    with pytest.raises(ValidationError, match="ei ole sähköpostiosoitetta"):
        documents.send_quotation(quotation=quotation, user=None)


def test_purchase_order_pdf_names_supplier_and_lines(
    company_a, supplier, product, warehouse
):
    order = purchasing.create_purchase_order(
        company=company_a,
        user=None,
        supplier=supplier,
        lines=[{"product": product, "quantity": "12"}],
    )

    text = text_of(documents.purchase_order_pdf(order))

    assert "Ostotilaus" in text
    assert "Toimittaja Oy" in text
    assert "HAM-1" in text
    assert "96,00" in text or "96.00" in text


def test_pick_list_and_delivery_note(delivery):
    services.pick_delivery_in_full(delivery=delivery, user=None)
    services.pack_delivery(
        delivery=delivery, user=None, packages=1, gross_weight_kg="3.6"
    )
    services.ship_delivery(
        delivery=delivery, user=None, carrier="Posti", tracking_number="JJFI6400"
    )
    delivery.refresh_from_db()

    picks = text_of(documents.pick_list_pdf(delivery))
    note = text_of(documents.delivery_note_pdf(delivery))

    assert "Keräilylista" in picks and "Myyntitilaus" in picks and "HAM-1" in picks
    assert "Lähete" in note
    assert "PO-778" in note
    assert "JJFI6400" in note


def test_waybill_and_cmr_from_a_packed_delivery(delivery, company_a):
    services.pick_delivery_in_full(delivery=delivery, user=None)
    services.pack_delivery(
        delivery=delivery, user=None, packages=2, gross_weight_kg="3.6"
    )
    delivery.refresh_from_db()

    with pytest.raises(
        ValidationError, match="Rahtikirjasta puuttuu: rahdinkuljettaja"
    ):
        documents.delivery_waybill_pdf(delivery)
    with pytest.raises(ValidationError, match="4 vastaanottopaikka"):
        documents.delivery_cmr_pdf(delivery)
    delivery.carrier = "Kiito Oy"
    company_a.city = "Helsinki"
    company_a.save()
    delivery.refresh_from_db()
    delivery.carrier = "Kiito Oy"
    waybill = text_of(documents.delivery_waybill_pdf(delivery))
    cmr = text_of(documents.delivery_cmr_pdf(delivery))

    assert "RAHTIKIRJA" in waybill and "Asiakas Oy" in waybill and "Kiito Oy" in waybill
    assert "3,6" in waybill
    assert "CMR" in cmr and delivery.number in cmr and "Alfa Oy" in cmr
