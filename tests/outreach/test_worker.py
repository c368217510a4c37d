"""A mailing sent by a real Celery worker over the real broker."""

import pytest

from cms.jobs.models import JobStatus
from modules.outreach import services
from modules.outreach.models import Mailing, RecipientStatus
from tests.jobs import test_worker as worker_fixtures

# The job area's real broker and worker, used here by name.
broker = worker_fixtures.broker
publish_to_broker = worker_fixtures.publish_to_broker
worker = worker_fixtures.worker

pytestmark = pytest.mark.worker


def test_worker_sends_a_mailing_and_logs_each_recipient(
    transactional_db, worker, marketer, make_person, make_segment, make_mailing
):
    make_person("yes@example.fi")
    make_person("no@example.fi", consent=False)
    mailing = make_mailing(make_segment())

    job = services.send_mailing(mailing=mailing, user=marketer)
    job = worker_fixtures._wait_until_finished(job, worker)

    mailing.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress_done == job.progress_total == 2
    assert mailing.status == Mailing.Status.SENT
    assert dict(mailing.recipients.values_list("email", "status")) == {
        "yes@example.fi": RecipientStatus.SENT,
        "no@example.fi": RecipientStatus.NO_CONSENT,
    }
    assert services.send_mailing(mailing=mailing, user=marketer).pk == job.pk
