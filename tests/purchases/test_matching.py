"""Matching purchase invoices to purchase orders and goods receipts."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from modules.core.models import AuditEntry
from modules.ledger.models import Account
from modules.orders import purchasing
from modules.purchases import circulation, matching
from modules.purchases.models import (
    ApprovalRule,
    InvoiceState,
    MatchStatus,
    PurchaseInvoice,
    PurchaseSettings,
)
from modules.purchases.services import link_purchase_order, receive_einvoice
from modules.stock.models import StockSettings
from tests.products.factories import make_product, make_warehouse

from .conftest import EXAMPLE

pytestmark = pytest.mark.django_db


def finvoice_for_order(order_number, rows, number="M-1"):
    """A Finvoice message quoting `order_number` with rows of
    (article code, name, quantity, unit price); VAT 25.5 %."""
    data = EXAMPLE.decode("utf-8")
    net = sum(Decimal(q) * Decimal(p) for _c, _n, q, p in rows)
    vat = (net * Decimal("0.255")).quantize(Decimal("0.01"))
    total = net + vat
    start = data.index("<InvoiceRow>")
    end = data.index("</InvoiceRow>") + len("</InvoiceRow>")

    def comma(amount):
        return f"{Decimal(amount):.2f}".replace(".", ",")

    xml_rows = "".join(
        "<InvoiceRow>"
        f"<ArticleIdentifier>{code}</ArticleIdentifier>"
        f"<ArticleName>{name}</ArticleName>"
        f'<DeliveredQuantity QuantityUnitCode="kpl">{q}</DeliveredQuantity>'
        f'<UnitPriceAmount AmountCurrencyIdentifier="EUR">{comma(p)}'
        "</UnitPriceAmount>"
        "<RowVatRatePercent>25,5</RowVatRatePercent>"
        f'<RowVatExcludedAmount AmountCurrencyIdentifier="EUR">'
        f"{comma(Decimal(q) * Decimal(p))}</RowVatExcludedAmount>"
        "</InvoiceRow>"
        for code, name, q, p in rows
    )
    data = data[:start] + xml_rows + data[end:]
    data = data.replace(
        "<OrderIdentifier>20130801</OrderIdentifier>",
        f"<OrderIdentifier>{order_number}</OrderIdentifier>",
    )
    data = data.replace(
        "<InvoiceNumber>123456</InvoiceNumber>",
        f"<InvoiceNumber>{number}</InvoiceNumber>",
    )
    data = data.replace(
        '<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier="EUR">124,00<',
        '<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier="EUR">'
        f"{comma(total)}<",
    )
    data = data.replace(
        '<InvoiceTotalVatAmount AmountCurrencyIdentifier="EUR">24,00<',
        f'<InvoiceTotalVatAmount AmountCurrencyIdentifier="EUR">{comma(vat)}<',
    )
    data = data.replace("RF911234567890120", "RF00" + number.encode().hex())
    return data.encode("utf-8")


@pytest.fixture
def goods(company_a):
    make_warehouse(company_a)
    return make_product(company_a, "HAM-1", name_fi="Vasara"), make_product(
        company_a, "SAW-1", name_fi="Saha"
    )


@pytest.fixture
def order(company_a, supplier, goods):
    hammer, saw = goods
    order = purchasing.create_purchase_order(
        company=company_a,
        user=None,
        supplier=supplier,
        lines=[
            {"product": hammer, "quantity": "10", "unit_price": "8"},
            {"product": saw, "quantity": "5", "unit_price": "20"},
        ],
    )
    purchasing.mark_purchase_order_sent(order=order, user=None)
    return order


def _goods_received_account(company):
    """Book stock values, with goods received on 2850 (set after receiving:
    the receipts themselves are not what is tested here)."""
    account = Account.objects.get(company=company, number="2850")
    StockSettings.objects.create(
        company=company, post_to_ledger=True, receipt_account=account
    )
    return account


def _receive(order, hammers="10", saws="5"):
    hammer, saw = order.lines.order_by("pk")
    lines = [{"order_line": hammer, "quantity": hammers}]
    if saws:
        lines.append({"order_line": saw, "quantity": saws})
    return purchasing.receive_goods(order=order, user=None, lines=lines)


def _statuses(invoice):
    return [line.match_status for line in invoice.lines.order_by("pk")]


def test_invoice_quoting_the_order_is_matched_line_by_line(
    books, clerk, supplier, order
):
    _receive(order)
    data = finvoice_for_order(
        order.number, [("HAM-1", "Vasara", "10", "8"), ("SAW-1", "Saha", "5", "20")]
    )

    [invoice] = receive_einvoice(
        company=books, data=data, filename="m.xml", user=clerk
    ).created

    assert invoice.purchase_order == order
    assert _statuses(invoice) == [MatchStatus.MATCHED, MatchStatus.MATCHED]
    assert matching.is_fully_matched(invoice)


def test_quantity_and_price_differences_are_named_per_line(
    books, clerk, supplier, order
):
    _receive(order, hammers="6")
    data = finvoice_for_order(
        order.number,
        [
            ("HAM-1", "Vasara", "10", "8"),
            ("SAW-1", "Saha", "5", "22"),
            ("X", "Rahti", "1", "15"),
        ],
    )

    [invoice] = receive_einvoice(
        company=books, data=data, filename="m.xml", user=clerk
    ).created

    hammer, saw, freight = invoice.lines.order_by("pk")
    assert hammer.match_status == MatchStatus.QUANTITY
    assert "received and not yet invoiced 6" in hammer.match_note
    assert saw.match_status == MatchStatus.PRICE
    assert "ordered 20" in saw.match_note
    assert freight.match_status == MatchStatus.NOT_ON_ORDER
    assert not matching.is_fully_matched(invoice)


def test_differences_within_the_company_tolerances_match(books, clerk, supplier, order):
    PurchaseSettings.objects.create(
        company=books,
        quantity_tolerance_percent=Decimal("10"),
        price_tolerance_percent=Decimal("0"),
        price_tolerance_amount=Decimal("1.00"),
    )
    _receive(order, hammers="10", saws="5")
    # 11 hammers is 10 % over; 5 saws at 20.18 is 0.90 over in all.
    data = finvoice_for_order(
        order.number, [("HAM-1", "Vasara", "11", "8"), ("SAW-1", "Saha", "5", "20.18")]
    )

    [invoice] = receive_einvoice(
        company=books, data=data, filename="m.xml", user=clerk
    ).created

    assert _statuses(invoice) == [MatchStatus.MATCHED, MatchStatus.MATCHED]


def test_partly_invoiced_order_keeps_the_rest_for_the_next_invoice(
    books, clerk, supplier, order
):
    _receive(order, saws=None)
    first = finvoice_for_order(order.number, [("HAM-1", "Vasara", "6", "8")], "A")
    second = finvoice_for_order(order.number, [("HAM-1", "Vasara", "4", "8")], "B")
    third = finvoice_for_order(order.number, [("HAM-1", "Vasara", "1", "8")], "C")

    for data in (first, second, third):
        receive_einvoice(company=books, data=data, filename="m", user=clerk)

    invoices = PurchaseInvoice.objects.filter(company=books).order_by("pk")
    assert [_statuses(i) for i in invoices] == [
        [MatchStatus.MATCHED],
        [MatchStatus.MATCHED],
        [MatchStatus.QUANTITY],
    ]
    hammer_line = order.lines.order_by("pk").first()
    assert matching.remaining_to_invoice(order=order)[hammer_line.pk] == 0


def test_a_rejected_invoice_gives_its_goods_back(books, clerk, supplier, order):
    _receive(order, saws=None)
    data = finvoice_for_order(order.number, [("HAM-1", "Vasara", "10", "8")], "A")
    [first] = receive_einvoice(
        company=books, data=data, filename="a", user=clerk
    ).created
    PurchaseInvoice.objects.filter(pk=first.pk).update(state=InvoiceState.REJECTED)
    again = finvoice_for_order(order.number, [("HAM-1", "Vasara", "10", "8")], "B")

    [second] = receive_einvoice(
        company=books, data=again, filename="b", user=clerk
    ).created

    assert _statuses(second) == [MatchStatus.MATCHED]


@pytest.mark.django_db(transaction=True)
def test_two_invoices_at_once_cannot_both_bill_the_same_receipt(
    books, clerk, supplier, order
):
    _receive(order, saws=None)
    invoices = []
    for number in ("T1", "T2"):
        data = finvoice_for_order("", [("HAM-1", "Vasara", "10", "8")], number)
        [invoice] = receive_einvoice(
            company=books, data=data, filename=number, user=clerk
        ).created
        invoices.append(invoice)
    barrier = threading.Barrier(2)
    errors = []

    def match(invoice):
        try:
            barrier.wait()
            matching.match_to_order(invoice=invoice, order=order, user=clerk)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=match, args=(i,)) for i in invoices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = sorted(_statuses(i)[0] for i in invoices)
    assert statuses == [MatchStatus.MATCHED, MatchStatus.QUANTITY]
    hammer_line = order.lines.order_by("pk").first()
    assert matching.remaining_to_invoice(order=order)[hammer_line.pk] == 0


def test_matched_invoice_skips_manual_approval_when_the_rule_says_so(
    books, clerk, supplier, order
):
    ApprovalRule.objects.create(
        company=books, name="Tilatut", approver=clerk, skip_when_matched=True
    )
    _receive(order)
    _goods_received_account(books)
    data = finvoice_for_order(
        order.number, [("HAM-1", "Vasara", "10", "8"), ("SAW-1", "Saha", "5", "20")]
    )

    [invoice] = receive_einvoice(
        company=books, data=data, filename="m.xml", user=clerk
    ).created

    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.APPROVED
    assert not invoice.steps.exists()
    entry = AuditEntry.objects.filter(action="approve", object_id=str(invoice.pk))
    assert "skips manual approval" in entry.get().after["comment"]


def test_matched_lines_are_accounted_to_the_goods_received_account(
    books, clerk, supplier, order
):
    _receive(order)
    goods_received = _goods_received_account(books)
    data = finvoice_for_order(
        order.number, [("HAM-1", "Vasara", "10", "8"), ("SAW-1", "Saha", "5", "20")]
    )

    [invoice] = receive_einvoice(
        company=books, data=data, filename="m.xml", user=clerk
    ).created

    [row] = invoice.accounting_rows.all()
    assert row.account == goods_received
    assert row.net_amount == Decimal("180.00")


def test_without_a_rule_that_skips_the_matched_invoice_waits(
    books, clerk, supplier, order
):
    ApprovalRule.objects.create(company=books, name="Kaikki", approver=clerk)
    _receive(order)
    data = finvoice_for_order(
        order.number, [("HAM-1", "Vasara", "10", "8"), ("SAW-1", "Saha", "5", "20")]
    )

    [invoice] = receive_einvoice(
        company=books, data=data, filename="m.xml", user=clerk
    ).created

    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.RECEIVED


def test_clerk_links_an_order_on_the_card_and_sees_each_lines_result(
    client, books, clerk, supplier, order
):
    _receive(order)
    data = finvoice_for_order("", [("HAM-1", "Vasara", "10", "9")])
    [invoice] = receive_einvoice(
        company=books, data=data, filename="m.xml", user=clerk
    ).created
    client.force_login(clerk)

    response = client.post(
        reverse("purchases_action", args=[invoice.pk, "match"]),
        {"purchase_order": order.pk},
    )
    card = client.get(reverse("purchases_purchaseinvoice:inspect", args=[invoice.pk]))

    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.purchase_order == order
    assert 'data-match="price"' in card.content.decode()
    assert "Price differs" in card.content.decode()


def test_order_of_another_company_cannot_be_linked(
    books, clerk, supplier, order, company_b
):
    other = PurchaseInvoice.objects.create(
        company=company_b, channel="manual", source_key="x"
    )

    with pytest.raises(Exception) as refused:
        link_purchase_order(invoice=other, order=order, user=clerk)

    assert "another company" in str(refused.value)
    assert circulation.route_for(other) is None
