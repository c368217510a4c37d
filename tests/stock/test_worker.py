"""Rolling counts started by a real Celery worker from a real broker."""

import pytest

import modules.stock.tasks  # noqa: F401 (registers the task in this process)
from cms.jobs.models import JobStatus
from cms.jobs.services import start_job
from modules.stock.models import StockCount
from tests.jobs.test_worker import _wait_until_finished
from tests.products.factories import make_product, make_warehouse

pytestmark = pytest.mark.worker


def test_worker_opens_one_rolling_count_per_warehouse(
    transactional_db, worker, company_a, make_user, receive
):
    user = make_user("keeper", company_a)
    main = make_warehouse(company_a, "MAIN")
    make_warehouse(company_a, "SHOP")
    for number in range(4):
        receive(company_a, make_product(company_a, f"R{number}"), main, "2")

    first = start_job(
        company=company_a,
        user=user,
        kind="stock.start_rolling_counts",
        title="Rolling counts",
        params={},
    )
    first = _wait_until_finished(first, worker)
    again = _wait_until_finished(
        start_job(
            company=company_a,
            user=user,
            kind="stock.start_rolling_counts",
            title="Rolling counts",
            params={},
        ),
        worker,
    )

    assert first.status == JobStatus.SUCCEEDED, first.error
    assert len(first.result["counts"]) == 2
    assert again.result["counts"] == []
    assert StockCount.objects.filter(company=company_a, kind="cycle").count() == 2
    main_count = StockCount.objects.get(warehouse=main)
    assert main_count.lines.count() == 1
