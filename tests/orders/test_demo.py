"""The demo data holds orders in their various states and loads once."""

from fixtures import demo
from modules.orders.models import (
    GoodsReceipt,
    PurchaseOrderState,
    Quotation,
    SalesOrder,
    SalesOrderState,
)


def test_demo_orders_cover_the_states_and_load_once(
    reference_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
    counts = (Quotation.objects.count(), SalesOrder.objects.count())
    demo.load()

    states = set(SalesOrder.objects.values_list("state", flat=True))
    assert {SalesOrderState.DELIVERED, SalesOrderState.CONFIRMED} <= states
    assert SalesOrderState.DRAFT in states
    assert set(Quotation.objects.values_list("state", flat=True)) == {
        "draft",
        "sent",
        "ordered",
    }
    receipt = GoodsReceipt.objects.get()
    assert receipt.purchase_order.state == PurchaseOrderState.PARTLY_RECEIVED
    assert receipt.landed_costs.count() == 2
    assert (Quotation.objects.count(), SalesOrder.objects.count()) == counts
