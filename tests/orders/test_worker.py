"""Purchase orders emailed by a real Celery worker from a real broker."""

import pytest

import modules.orders.tasks  # noqa: F401 (registers the task in this process)
from cms.jobs.models import JobStatus
from cms.jobs.services import start_job
from modules.orders import purchasing
from modules.orders.models import PurchaseOrderState
from tests.jobs.test_worker import (  # noqa: F401
    _wait_until_finished,
    broker,
    publish_to_broker,
    worker,
)

pytestmark = pytest.mark.worker


def test_worker_sends_each_draft_purchase_order_once(
    transactional_db,
    worker,  # noqa: F811 (the worker fixture, imported above)
    company_a,
    make_user,
    supplier,
    product,
    warehouse,
):
    user = make_user("buyer", company_a)
    supplier.email = "myynti@toimittaja.example"
    supplier.save()
    orders = [
        purchasing.create_purchase_order(
            company=company_a,
            user=user,
            supplier=supplier,
            lines=[{"product": product, "quantity": "5"}],
        )
        for _ in range(2)
    ]

    def send():
        job = start_job(
            company=company_a,
            user=user,
            kind="orders.send_purchase_orders",
            title="Send purchase orders",
            params={"order_ids": [order.pk for order in orders]},
        )
        return _wait_until_finished(job, worker)

    first, again = send(), send()

    assert first.status == JobStatus.SUCCEEDED, first.error
    assert first.result["sent"] == [order.number for order in orders]
    assert again.result["sent"] == []
    for order in orders:
        order.refresh_from_db()
        assert order.state == PurchaseOrderState.SENT
