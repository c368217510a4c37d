"""Peppol BIS Billing 3.0 (UBL) invoices land in the inbox like Finvoice ones."""

from decimal import Decimal

import pytest

from integrations.peppol import build_ubl
from modules.crm.models import Organisation
from modules.purchases.models import Channel, InvoiceState
from modules.purchases.services import receive_einvoice
from tests.integrations.test_finvoice_writer import _invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(company_a):
    # The writer's sample invoice is sent by Alfa Oy (2077474-0) to Åsa Ab.
    return Organisation.objects.create(
        company=company_a, name="Alfa Oy", business_id="2077474-0", is_supplier=True
    )


def ubl(**changes) -> bytes:
    return build_ubl(
        _invoice(**changes),
        seller_peppol_id="0216:003720774740",
        buyer_peppol_id="0216:003715728600",
    )


def test_ubl_invoice_is_read_into_the_inbox(company_a, clerk, seller):
    result = receive_einvoice(
        company=company_a, data=ubl(), filename="peppol.xml", user=clerk
    )

    [invoice] = result.created
    assert invoice.channel == Channel.PEPPOL
    assert invoice.state == InvoiceState.RECEIVED
    assert invoice.supplier == seller
    assert invoice.invoice_number == "2026-00001"
    assert invoice.total == Decimal("125.50")
    assert invoice.vat_amount == Decimal("25.50")
    assert invoice.iban == "FI4950009420028730"
    assert invoice.reference == "1232"
    assert invoice.due_date.isoformat() == "2026-03-15"
    [line] = invoice.lines.all()
    assert (line.description, line.net_amount) == ("Työ", Decimal("100.00"))


def test_ubl_credit_note_is_a_negative_invoice(company_a, clerk, seller):
    result = receive_einvoice(
        company=company_a,
        data=ubl(kind="credit_note", original_number="2026-00000"),
        filename="credit.xml",
        user=clerk,
    )

    [invoice] = result.created
    assert invoice.total == Decimal("-125.50")


def test_same_ubl_twice_is_received_once(company_a, clerk, seller):
    receive_einvoice(company=company_a, data=ubl(), filename="a", user=clerk)
    again = receive_einvoice(company=company_a, data=ubl(), filename="a", user=clerk)

    assert again.already_received == 1
