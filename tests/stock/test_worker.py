"""The scheduled rolling count, run by a real Celery worker from a real broker."""

import datetime
import time
from decimal import Decimal

import pytest
from django.utils import timezone

from cms.jobs.models import Job, JobStatus
from modules.stock import services
from modules.stock.models import (
    CountKind,
    CountState,
    MoveKind,
    StockCount,
    StockCountLine,
    StockSettings,
)
from modules.stock.tasks import schedule_rolling_counts
from tests.jobs.test_worker import (  # noqa: F401
    WAIT_SECONDS,
    _wait_until_finished,
    broker,
    publish_to_broker,
    worker,
)
from tests.products.factories import make_product, make_warehouse

pytestmark = pytest.mark.worker


def _counted_on(warehouse, products, days_ago):
    """Record a posted count of `products` some days back."""
    count = StockCount.objects.create(
        company=warehouse.company,
        number=f"OLD-{days_ago}",
        warehouse=warehouse,
        kind=CountKind.CYCLE,
        state=CountState.POSTED,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
    )
    StockCountLine.objects.bulk_create(
        StockCountLine(count=count, product=product, expected=1, counted=1)
        for product in products
    )


def _scheduled_job(worker):  # noqa: F811 (the worker fixture's process)
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job = Job.objects.filter(kind="stock.start_rolling_counts").first()
        if job is not None:
            return _wait_until_finished(job, worker)
        time.sleep(0.2)
    pytest.fail("The schedule started no rolling-count job.")


def test_the_scheduled_job_counts_the_days_share_class_a_more_often(
    transactional_db,
    worker,  # noqa: F811 (the worker fixture, imported above)
    company_a,
):
    warehouse = make_warehouse(company_a)
    StockSettings.objects.create(company=company_a, cycle_count_share=20)
    often = make_product(company_a, "A-1", abc_class="A")
    rest = [make_product(company_a, f"C-{n}", abc_class="C") for n in range(1, 10)]
    for product in [often, *rest]:
        services.post_stock_move(
            company=company_a,
            product=product,
            warehouse=warehouse,
            quantity=Decimal(4),
            unit_cost=Decimal(1),
            kind=MoveKind.RECEIPT,
            user=None,
        )
    # Class A was counted more recently than every C product and is still
    # due first: it falls due four times as often.
    _counted_on(warehouse, rest, days_ago=20)
    _counted_on(warehouse, [often], days_ago=10)

    # Called as beat calls it; the job it starts runs on the real worker.
    schedule_rolling_counts()
    job = _scheduled_job(worker)

    assert job.status == JobStatus.SUCCEEDED, job.error
    today = StockCount.objects.get(
        warehouse=warehouse, kind=CountKind.CYCLE, date=timezone.localdate()
    )
    counted = sorted(today.lines.values_list("product__item_number", flat=True))
    assert counted == ["A-1", "C-1"]
    assert today.lines.get(product=often).expected == Decimal(4)
