"""Background work of stock, run by Celery workers as jobs.

Celery beat runs `schedule_rolling_counts` each morning (see
`modules.stock.apps`); it starts the rolling-count job of every company
whose stock settings give a share of products to count per day.
"""

import logging

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.jobs.runner import job_task
from cms.jobs.services import start_job
from modules.stock import counting
from modules.stock.models import (
    CountKind,
    CountState,
    StockCount,
    StockSettings,
    Warehouse,
)

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


@shared_task(name="modules.stock.tasks.schedule_rolling_counts", ignore_result=True)
def schedule_rolling_counts():
    """Start the day's rolling-count job of each company that counts daily.

    The job is keyed on the company and the date, so a second run of the
    schedule on the same day starts nothing.
    """
    today = timezone.localdate()
    counting_daily = StockSettings.objects.filter(
        cycle_count_share__gt=0
    ).select_related("company")
    for settings in counting_daily:
        start_job(
            company=settings.company,
            user=None,
            kind="stock.start_rolling_counts",
            title=_("Rolling counts of %(date)s") % {"date": f"{today:%d.%m.%Y}"},
            params={},
            idempotency_key=f"rolling-counts:{settings.company_id}:{today}",
        )
