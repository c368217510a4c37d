"""Fixtures for purchase invoices: books, a supplier and Finvoice messages."""

import datetime
from pathlib import Path

import pytest
from django.utils import translation

from modules.core.models import Role
from modules.crm.models import Organisation
from modules.ledger.services import create_chart_from_template, open_fiscal_year

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "fixtures" / "data" / "finvoice-example.xml").read_bytes()

CLERK_PERMS = (
    "purchases.view_purchaseinvoice",
    "purchases.change_purchaseinvoice",
    "purchases.view_archivedfile",
    "purchases.add_accountingrow",
    "purchases.change_accountingrow",
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def clerk(make_user, company_a):
    user = make_user("clerk", company_a, role=Role.ACCOUNTANT, perms=CLERK_PERMS)
    user.email = "clerk@alfa.example"
    user.save()
    return user


@pytest.fixture
def books(company_a, clerk):
    create_chart_from_template(company=company_a, user=clerk)
    open_fiscal_year(
        company=company_a,
        user=clerk,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    return company_a


@pytest.fixture
def supplier(company_a):
    return Organisation.objects.create(
        company=company_a,
        name="Pullin Musiikki Oy",
        business_id="6666666-5",
        is_supplier=True,
    )


def finvoice(number="123456", total="124,00", vat="24,00", reference=None):
    """The official example message with another number and amounts."""
    data = EXAMPLE.decode("utf-8")
    data = data.replace(
        "<InvoiceNumber>123456</InvoiceNumber>",
        f"<InvoiceNumber>{number}</InvoiceNumber>",
    )
    data = data.replace(
        '<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier="EUR">124,00<',
        f'<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier="EUR">{total}<',
    )
    data = data.replace(
        '<InvoiceTotalVatAmount AmountCurrencyIdentifier="EUR">24,00<',
        f'<InvoiceTotalVatAmount AmountCurrencyIdentifier="EUR">{vat}<',
    )
    if reference is not None:
        data = data.replace("RF911234567890120", reference)
    return data.encode("utf-8")


def soap_batch(*messages: bytes) -> bytes:
    """Frame Finvoice messages the way an operator delivers a batch."""
    parts = []
    for index, message in enumerate(messages, start=1):
        parts.append(
            b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"'
            b' xmlns:eb="http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd">'
            b"<SOAP-ENV:Header><eb:MessageHeader><eb:MessageData>"
            b"<eb:MessageId>" + f"batch-7-{index}".encode() + b"</eb:MessageId>"
            b"</eb:MessageData></eb:MessageHeader></SOAP-ENV:Header>"
            b"<SOAP-ENV:Body><eb:Manifest/></SOAP-ENV:Body></SOAP-ENV:Envelope>\n"
        )
        parts.append(b'<?xml version="1.0" encoding="UTF-8"?>\n' + message + b"\n")
    return b"".join(parts)
