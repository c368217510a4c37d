"""Valuation, ABC analysis and batch tracing, on screen and in files."""

import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from modules.stock import reports, services
from tests.products.factories import make_product

TODAY = datetime.date.today()


@pytest.fixture
def staff(make_user, company_a):
    return make_user(
        "stockman",
        company_a,
        perms=("stock.view_stockmove", "products.change_product"),
    )


def test_valuation_values_stock_at_average_cost(company_a, warehouse, receive):
    hammer = make_product(company_a, "HAMMER")
    receive(company_a, hammer, warehouse, "4", cost="10")
    receive(company_a, hammer, warehouse, "4", cost="12.50")

    valuation = reports.stock_valuation(company=company_a)

    assert [(row.item_number, row.on_hand, row.value) for row in valuation.rows] == [
        ("HAMMER", Decimal("8"), Decimal("90.00"))
    ]
    assert valuation.total == Decimal("90.00")


def test_valuation_report_downloads_as_csv_xlsx_and_pdf(
    client, staff, company_a, warehouse, receive
):
    receive(company_a, make_product(company_a, "SAW"), warehouse, "3", cost="7.25")
    client.force_login(staff)

    screen = client.get("/admin/stock/valuation/")
    csv = client.get("/admin/stock/valuation/", {"format": "csv"})
    xlsx = client.get("/admin/stock/valuation/", {"format": "xlsx"})
    pdf = client.get("/admin/stock/valuation/", {"format": "pdf"})

    assert "SAW" in screen.content.decode()
    assert "21,75" in csv.content.decode("utf-8-sig")
    sheet = load_workbook(filename=__import__("io").BytesIO(xlsx.content)).active
    assert sheet["A2"].value == "SAW"
    assert pdf.content.startswith(b"%PDF")


def test_abc_classes_by_sales_value_are_saved_on_products(
    client, staff, company_a, warehouse, receive
):
    top, middle, low = (make_product(company_a, code) for code in ("T", "M", "L"))
    for product, quantity, price in (
        (top, 80, "10"),
        (middle, 15, "10"),
        (low, 5, "1"),
    ):
        receive(company_a, product, warehouse, str(quantity))
        services.issue_stock(
            company=company_a,
            product=product,
            warehouse=warehouse,
            quantity=quantity,
            user=None,
            unit_price=Decimal(price),
        )
    client.force_login(staff)
    period = {"start": TODAY - datetime.timedelta(days=30), "end": TODAY}

    screen = client.get("/admin/stock/abc/", {**period, "measure": "value"})
    client.post("/admin/stock/abc/", {**period, "measure": "value"})

    assert "<svg" in screen.content.decode()
    for product in (top, middle, low):
        product.refresh_from_db()
    assert (top.abc_class, middle.abc_class, low.abc_class) == ("A", "B", "C")


def test_batch_trace_follows_a_batch_to_its_deliveries(
    client, staff, company_a, warehouse, receive
):
    fish = make_product(company_a, "FISH", batch_tracked=True)
    batch = services.create_batch(
        company=company_a, product=fish, number="LOT-7", user=None
    )
    receive(company_a, fish, warehouse, "10", batch=batch, reference="PO-1")
    services.issue_stock(
        company=company_a,
        product=fish,
        warehouse=warehouse,
        quantity=4,
        user=None,
        reference="DELIVERY-9",
    )
    client.force_login(staff)

    trace = reports.trace_batch(batch=batch)
    page = client.get("/admin/stock/batch-trace/", {"number": "lot-7"}).content.decode()

    assert [move.quantity for move in trace.receipts] == [Decimal("10")]
    assert [move.reference for move in trace.issues] == ["DELIVERY-9"]
    assert trace.on_hand == Decimal("6")
    assert "DELIVERY-9" in page and "PO-1" in page


def test_reports_need_a_stock_permission(client, make_user, company_a):
    outsider = make_user("clerk", company_a, role="employee")
    client.force_login(outsider)

    assert client.get("/admin/stock/valuation/").status_code in (302, 403)
