"""Background work of stock, run by Celery workers as jobs."""

import logging

from django.utils import timezone

from cms.jobs.runner import job_task
from modules.stock import counting
from modules.stock.models import CountKind, CountState, StockCount, Warehouse

logger = logging.getLogger(__name__)


@job_task(name="stock.start_rolling_counts")
def start_rolling_counts(job, progress):
    """Open today's rolling count in each active warehouse of the company.

    A warehouse that already has an open rolling count of the day gets no
    second one, so running the job twice starts each count once.
    """
    today = timezone.localdate()
    warehouses = list(
        Warehouse.objects.filter(company=job.company, is_active=True).order_by("code")
    )
    started = []
    for done, warehouse in enumerate(warehouses):
        progress(done, len(warehouses), warehouse.code)
        already = StockCount.objects.filter(
            warehouse=warehouse,
            kind=CountKind.CYCLE,
            date=today,
            state=CountState.OPEN,
        ).exists()
        if already:
            continue
        count = counting.start_count(
            company=job.company,
            warehouse=warehouse,
            user=job.user,
            kind=CountKind.CYCLE,
            date=today,
        )
        started.append(count.number)
    progress(len(warehouses), len(warehouses), "")
    logger.info("Rolling counts started: %s", started)
    return {"counts": started}
