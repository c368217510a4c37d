"""The invoicing run on a real Celery worker and broker."""

import datetime

import pytest

from cms.jobs.models import JobStatus
from cms.jobs.services import start_job
from modules.invoicing.models import RecurringContract, SalesInvoice
from tests.invoicing.conftest import open_books
from tests.jobs import test_worker as worker_fixtures

# The worker fixtures of the jobs tests, shared rather than copied.
broker = worker_fixtures.broker
publish_to_broker = worker_fixtures.publish_to_broker
worker = worker_fixtures.worker

pytestmark = pytest.mark.worker


def test_the_invoicing_run_bills_contracts_in_a_worker(
    transactional_db,
    worker,
    company_a,
    make_user,
):
    from modules.crm.models import Organisation

    user = make_user("runner", company_a)
    open_books(company_a, user)
    customer = Organisation.objects.create(company=company_a, name="Asiakas Oy")
    RecurringContract.objects.create(
        company=company_a,
        name="Support",
        organisation=customer,
        next_invoice_date=datetime.date(2026, 1, 31),
        lines=[{"description": "Support", "unit_price": "50.00"}],
    )

    job = start_job(
        company=company_a,
        user=user,
        kind="invoicing.run",
        title="Run",
        params={"up_to": "2026-02-28"},
    )
    job = worker_fixtures._wait_until_finished(job, worker)

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress_done == job.progress_total == 2
    assert len(job.result["invoiced"]) == 2
    assert SalesInvoice.objects.filter(state="issued").count() == 2
