"""The job runner and services, with tasks run in the test process."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from cms.celery import app
from cms.jobs.models import Job, JobStatus
from cms.jobs.runner import run_job
from cms.jobs.services import start_job


def _start(kind, company, user, **params):
    return start_job(
        company=company, user=user, kind=kind, title="Test job", params=params
    )


def _deliver(job):
    app.tasks[job.kind].apply(kwargs={"job_id": job.pk})


def test_started_job_waits_in_the_queue_until_the_transaction_commits(
    company_a, make_user, make_gadget, django_capture_on_commit_callbacks
):
    user = make_user("anna", company_a)
    gadget = make_gadget(company_a)

    with django_capture_on_commit_callbacks() as callbacks:
        job = _start("tests.jobs.add_one", company_a, user, gadget=gadget.pk)
        job.refresh_from_db()

    assert job.status == JobStatus.QUEUED
    assert len(callbacks) == 1
    gadget.refresh_from_db()
    assert gadget.quantity == 0


def test_job_runs_to_success_with_full_progress_and_result(
    company_a, make_user, make_gadget, django_capture_on_commit_callbacks
):
    user = make_user("anna", company_a)
    gadget = make_gadget(company_a)

    with django_capture_on_commit_callbacks(execute=True):
        job = _start("tests.jobs.add_one", company_a, user, gadget=gadget.pk)

    job.refresh_from_db()
    gadget.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress_done, job.progress_total) == (1, 1)
    assert job.result == {"gadget": gadget.pk}
    assert job.started_at is not None and job.finished_at is not None
    assert gadget.quantity == 1


def test_same_job_delivered_twice_does_the_work_once(
    company_a, make_user, make_gadget, django_capture_on_commit_callbacks
):
    user = make_user("anna", company_a)
    gadget = make_gadget(company_a)
    with django_capture_on_commit_callbacks(execute=True):
        job = _start("tests.jobs.add_one", company_a, user, gadget=gadget.pk)

    _deliver(job)

    gadget.refresh_from_db()
    job.refresh_from_db()
    assert gadget.quantity == 1
    assert job.status == JobStatus.SUCCEEDED


def test_same_idempotency_key_gives_the_same_job_and_queues_once(
    company_a, make_user, make_gadget, django_capture_on_commit_callbacks
):
    user = make_user("anna", company_a)
    gadget = make_gadget(company_a)

    with django_capture_on_commit_callbacks() as callbacks:
        first = start_job(
            company=company_a,
            user=user,
            kind="tests.jobs.add_one",
            title="Add one",
            params={"gadget": gadget.pk},
            idempotency_key="add-one:form-1",
        )
        second = start_job(
            company=company_a,
            user=user,
            kind="tests.jobs.add_one",
            title="Add one",
            params={"gadget": gadget.pk},
            idempotency_key="add-one:form-1",
        )

    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert Job.objects.count() == 1


def test_idempotency_key_of_another_company_is_refused(company_a, company_b, make_user):
    anna = make_user("anna", company_a)
    bert = make_user("bert", company_b)
    start_job(
        company=company_a,
        user=anna,
        kind="cms.jobs.tasks.count_records",
        title="Count",
        params={},
        idempotency_key="count:1",
    )

    with pytest.raises(ValidationError) as error:
        start_job(
            company=company_b,
            user=bert,
            kind="cms.jobs.tasks.count_records",
            title="Count",
            params={},
            idempotency_key="count:1",
        )

    assert error.value.code == "idempotency_key_reused"


def test_unknown_task_is_refused_and_no_job_is_recorded(company_a, make_user):
    user = make_user("anna", company_a)

    with pytest.raises(ValidationError) as error:
        _start("cms.jobs.tasks.no_such_task", company_a, user)

    assert "cms.jobs.tasks.no_such_task" in error.value.messages[0]
    assert not Job.objects.exists()


def test_unexpected_error_fails_the_job_with_a_readable_message(
    company_a, make_user, django_capture_on_commit_callbacks, caplog
):
    user = make_user("anna", company_a)

    with (
        caplog.at_level(logging.ERROR, logger="cms.jobs.runner"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = _start("tests.jobs.crash", company_a, user)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert f"job number {job.pk}" in job.error
    assert "Traceback" not in job.error
    assert "secret_table" not in job.error
    assert job.finished_at is not None
    assert "secret_table" in caplog.text
    assert "Traceback" in caplog.text


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("tests.jobs.refuse", "The bank file has no payments."),
        ("tests.jobs.explain", "The reference number 1232 is not valid."),
    ],
)
def test_expected_error_is_shown_to_the_user_as_written(
    company_a, make_user, django_capture_on_commit_callbacks, kind, message
):
    user = make_user("anna", company_a)

    with django_capture_on_commit_callbacks(execute=True):
        job = _start(kind, company_a, user)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == message


def test_cancelled_job_stops_at_its_next_step(
    company_a, make_user, make_gadget, django_capture_on_commit_callbacks
):
    user = make_user("anna", company_a)
    gadget = make_gadget(company_a)

    with django_capture_on_commit_callbacks(execute=True):
        job = _start("tests.jobs.cancelled_midway", company_a, user, gadget=gadget.pk)

    job.refresh_from_db()
    gadget.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.result is None
    assert gadget.quantity == 1


def test_job_running_in_another_worker_is_not_run_again(
    company_a, make_user, make_gadget, django_capture_on_commit_callbacks
):
    user = make_user("anna", company_a)
    gadget = make_gadget(company_a)
    with django_capture_on_commit_callbacks():
        job = _start("tests.jobs.add_one", company_a, user, gadget=gadget.pk)
    other_worker = connections.create_connection("default")
    with other_worker.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(7301, %s)", [job.pk])

    try:
        _deliver(job)
    finally:
        other_worker.close()

    gadget.refresh_from_db()
    job.refresh_from_db()
    assert gadget.quantity == 0
    assert job.status == JobStatus.QUEUED


def test_job_left_running_by_a_dead_worker_runs_again_on_redelivery(
    company_a, make_user, make_gadget, django_capture_on_commit_callbacks
):
    user = make_user("anna", company_a)
    gadget = make_gadget(company_a)
    with django_capture_on_commit_callbacks():
        job = _start("tests.jobs.add_one", company_a, user, gadget=gadget.pk)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)

    _deliver(job)

    gadget.refresh_from_db()
    job.refresh_from_db()
    assert gadget.quantity == 1
    assert job.status == JobStatus.SUCCEEDED


def test_message_for_a_deleted_job_is_dropped(db, caplog):
    with caplog.at_level(logging.WARNING, logger="cms.jobs.runner"):
        run_job(987654, lambda job, progress: None)

    assert "987654 does not exist" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_to_other_connections_while_the_job_runs(
    company_a, make_user
):
    user = make_user("anna", company_a)

    job = _start("tests.jobs.look_from_outside", company_a, user)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"seen_from_outside": [1, 2, "halfway"]}


def test_record_count_counts_only_the_job_companys_rows(
    company_a, company_b, make_user, make_gadget, django_capture_on_commit_callbacks
):
    user = make_user("anna", company_a)
    make_gadget(company_a, "A1")
    make_gadget(company_a, "A2")
    make_gadget(company_b, "B1")

    with django_capture_on_commit_callbacks(execute=True):
        job = _start("cms.jobs.tasks.count_records", company_a, user)

    job.refresh_from_db()
    counts = {entry["model"]: entry["count"] for entry in job.result["counts"]}
    assert job.status == JobStatus.SUCCEEDED
    assert counts["sample.gadget"] == 2
    assert job.progress_total == len(job.result["counts"])
    assert job.progress_done == job.progress_total


def test_job_that_cannot_reach_the_broker_fails_with_a_message(
    company_a, make_user, make_gadget, django_capture_on_commit_callbacks, monkeypatch
):
    user = make_user("anna", company_a)
    gadget = make_gadget(company_a)

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(app.tasks["tests.jobs.add_one"], "apply_async", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        job = _start("tests.jobs.add_one", company_a, user, gadget=gadget.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "background service is not available" in job.error
