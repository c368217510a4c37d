"""Background work of orders, run by Celery workers as jobs."""

import logging

from django.core.exceptions import ValidationError

from cms.jobs.runner import job_task
from modules.orders import documents
from modules.orders.models import PurchaseOrder, PurchaseOrderState

logger = logging.getLogger(__name__)


@job_task(name="orders.send_purchase_orders")
def send_purchase_orders(job, progress):
    """Email the given draft purchase orders to their suppliers as PDFs.

    Orders already sent are skipped, so running the job again sends
    nothing twice; an order whose supplier has no address is reported.
    """
    orders = list(
        PurchaseOrder.objects.filter(
            company=job.company,
            pk__in=job.params.get("order_ids", []),
            state=PurchaseOrderState.DRAFT,
        )
        .select_related("supplier")
        .order_by("pk")
    )
    sent, refused = [], []
    for done, order in enumerate(orders):
        progress(done, len(orders), order.number)
        try:
            documents.send_purchase_order(order=order, user=job.user)
        except ValidationError as error:
            refused.append(f"{order.number}: {' '.join(error.messages)}")
        else:
            sent.append(order.number)
    progress(len(orders), len(orders), "")
    logger.info("Purchase orders sent: %s", sent)
    return {"sent": sent, "refused": refused}
