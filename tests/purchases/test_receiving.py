"""Receiving Finvoice e-invoices into the inbox: once, safely, losing nothing."""

import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from modules.purchases.models import ArchivedFile, InvoiceState, PurchaseInvoice
from modules.purchases.services import receive_einvoice

from .conftest import finvoice, soap_batch

pytestmark = pytest.mark.django_db


def test_finvoice_becomes_an_invoice_of_the_recognised_supplier(
    company_a, clerk, supplier
):
    result = receive_einvoice(
        company=company_a, data=finvoice(), filename="in.xml", user=clerk
    )

    [invoice] = result.created
    assert invoice.supplier == supplier
    assert invoice.invoice_number == "123456"
    assert invoice.total == Decimal("124.00")
    assert invoice.vat_amount == Decimal("24.00")
    assert invoice.net_amount == Decimal("100.00")
    assert invoice.due_date.isoformat() == "2018-12-17"
    assert invoice.iban == "FI7429501800000014"
    assert invoice.reference == "RF911234567890120"
    assert invoice.state == InvoiceState.RECEIVED
    [archived] = invoice.files.all()
    assert archived.kind == ArchivedFile.Kind.XML
    assert archived.document.file.read() == finvoice()


def test_same_file_twice_leaves_one_invoice(company_a, clerk, supplier):
    receive_einvoice(company=company_a, data=finvoice(), filename="a.xml", user=clerk)
    again = receive_einvoice(
        company=company_a, data=finvoice(), filename="a.xml", user=clerk
    )

    assert again.created == []
    assert again.already_received == 1
    assert PurchaseInvoice.objects.filter(company=company_a).count() == 1


def test_soap_batch_gives_one_invoice_per_message_and_reimport_adds_nothing(
    company_a, clerk, supplier
):
    batch = soap_batch(finvoice("1"), finvoice("2"), finvoice("3"))

    first = receive_einvoice(company=company_a, data=batch, filename="b", user=clerk)
    second = receive_einvoice(company=company_a, data=batch, filename="b", user=clerk)

    assert sorted(i.invoice_number for i in first.created) == ["1", "2", "3"]
    assert second.already_received == 3
    assert PurchaseInvoice.objects.filter(company=company_a).count() == 3


def test_same_number_from_same_supplier_is_flagged_as_duplicate(
    company_a, clerk, supplier
):
    receive_einvoice(company=company_a, data=finvoice("77"), filename="a", user=clerk)
    # A re-sent copy: same invoice, a new message (here: other total format).
    result = receive_einvoice(
        company=company_a, data=finvoice("77", total="124,0"), filename="b", user=clerk
    )

    [copy] = result.created
    assert copy.state == InvoiceState.NEEDS_ATTENTION
    assert copy.duplicate_of is not None
    assert "duplicate" in copy.problem


@pytest.mark.parametrize(
    "data, words",
    [
        (b"<Finvoice><InvoiceDetails>", "not well-formed"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Finvoice>&lol2;</Finvoice>',
            "document type",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
            b'"file:///etc/passwd">]><Finvoice>&e;</Finvoice>',
            "document type",
        ),
        (b"<Invoice>not finvoice</Invoice>", "no Finvoice"),
    ],
)
def test_hostile_or_broken_xml_needs_attention_with_the_file_kept(
    company_a, clerk, data, words
):
    result = receive_einvoice(company=company_a, data=data, filename="x", user=clerk)

    [invoice] = result.needs_attention
    assert invoice.state == InvoiceState.NEEDS_ATTENTION
    assert words in invoice.problem
    assert "root:" not in invoice.problem
    assert invoice.files.get().document.file.read() == data


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE purchases_archivedfile SET sha256 = 'x' WHERE id = %s",
        "DELETE FROM purchases_archivedfile WHERE id = %s",
    ],
)
def test_archived_files_cannot_be_changed_even_with_sql(
    company_a, clerk, supplier, sql
):
    receive_einvoice(company=company_a, data=finvoice(), filename="a", user=clerk)
    archived = ArchivedFile.objects.get()

    with (
        pytest.raises(DatabaseError, match="pgtrigger"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [archived.pk])


@pytest.mark.django_db(transaction=True)
def test_the_same_batch_imported_concurrently_lands_once(company_a, clerk, supplier):
    batch = soap_batch(*(finvoice(str(n)) for n in range(1, 6)))
    errors = []
    barrier = threading.Barrier(4)

    def receive():
        try:
            barrier.wait()
            receive_einvoice(company=company_a, data=batch, filename="b", user=clerk)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=receive) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = PurchaseInvoice.objects.values_list("invoice_number", flat=True)
    assert sorted(numbers) == ["1", "2", "3", "4", "5"]


def test_archived_invoice_is_served_only_to_the_companys_clerks(
    client, company_a, company_b, clerk, supplier, make_user
):
    from tests.purchases.conftest import CLERK_PERMS

    receive_einvoice(company=company_a, data=finvoice(), filename="a", user=clerk)
    url = ArchivedFile.objects.get().document.url
    outsider = make_user("outsider", company_b, perms=CLERK_PERMS)

    assert client.get(url).status_code in (302, 403)
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == finvoice()


def test_supplier_card_lists_its_purchase_invoices(client, company_a, clerk, supplier):
    receive_einvoice(company=company_a, data=finvoice(), filename="a", user=clerk)
    clerk.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="crm", codename="view_organisation"
        )
    )
    client.force_login(clerk)

    card = client.get(reverse("crm_organisation:inspect", args=[supplier.pk]))

    assert card.status_code == 200
    assert b"data-purchases-supplier-panel" in card.content
    assert b"123456" in card.content


def test_message_breaking_the_schema_is_received_but_needs_attention(
    company_a, clerk, supplier
):
    broken = finvoice("S-1").replace(
        b'<InvoiceTotalVatAmount AmountCurrencyIdentifier="EUR">24,00<',
        b'<InvoiceTotalVatAmount AmountCurrencyIdentifier="EUR">24.00<',
    )

    result = receive_einvoice(
        company=company_a, data=broken, filename="s.xml", user=clerk
    )

    [invoice] = result.created
    assert invoice.state == InvoiceState.NEEDS_ATTENTION
    assert "does not follow the Finvoice 3.0 schema" in invoice.problem
    assert "InvoiceTotalVatAmount" in invoice.problem
    assert invoice.invoice_number == "S-1"
    assert invoice.files.get().document.file.read() == broken
