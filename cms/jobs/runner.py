"""Run a job's task body in a Celery worker, safely and exactly once.

    @job_task()
    def send_reminders(job, progress):
        customers = list(...)
        for index, customer in enumerate(customers, start=1):
            send_reminder(customer=customer)
            progress(index, len(customers), customer.name)
        return {"sent": len(customers)}

The decorated body receives the `Job` (its `params`, `company`, `user`)
and a `progress(done, total, message="")` callback. Whatever it returns
(JSON-serialisable) becomes the job's result. The task itself is called
with the job id only, by `cms.jobs.services.start_job`.

Tasks are acknowledged late, so a message may be delivered again after a
worker dies. The runner therefore skips jobs that have already finished,
and holds a PostgreSQL advisory lock while a body runs so that two
deliveries of one job never run side by side; a body must still be safe to
run again from the start after a crash (write through idempotent services).
"""

import json
import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.jobs.models import Job, JobStatus
from cms.jobs.services import report_progress

logger = logging.getLogger(__name__)

# First key of the two-part advisory lock; the second is the job id.
_LOCK_NAMESPACE = 7301


class JobError(Exception):
    """A failure whose message is meant for the user (translate it)."""


class JobCancelled(Exception):
    """Raised inside a body when the user cancelled the job."""


def job_task(*, name=None, **task_options):
    """Turn `body(job, progress)` into a Celery task that runs a `Job`."""

    def decorate(body):
        task_name = name or f"{body.__module__}.{body.__name__}"

        @shared_task(name=task_name, acks_late=True, ignore_result=True, **task_options)
        def task(job_id):
            run_job(job_id, body)

        task.__doc__ = body.__doc__
        return task

    return decorate


def run_job(job_id: int, body) -> None:
    """Run `body` for the job unless it has finished or runs elsewhere."""
    if not _try_lock(job_id):
        logger.info("Job %s is already running in another worker; skipped", job_id)
        return
    try:
        job = _claim(job_id)
        if job is None:
            return
        with translation.override(job.language or None):
            _run_claimed(job, body)
    finally:
        _unlock(job_id)


def _try_lock(job_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_NAMESPACE, job_id])
        return cursor.fetchone()[0]


def _unlock(job_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_NAMESPACE, job_id])


def _claim(job_id: int) -> Job | None:
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("Job %s does not exist; message dropped", job_id)
        return None
    if job.is_finished:
        logger.info("Job %s already %s; delivery ignored", job_id, job.status)
        return None
    if job.status == JobStatus.RUNNING:
        # Only a worker that died mid-run leaves a running job unlocked.
        logger.warning("Job %s was interrupted; running it again", job_id)

    claimed = Job.objects.filter(
        pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ).update(status=JobStatus.RUNNING, started_at=timezone.now(), error="")
    if not claimed:
        return None
    job.refresh_from_db()
    return job


def _run_claimed(job: Job, body) -> None:
    def progress(done, total, message=""):
        if not report_progress(job, done, total, message):
            raise JobCancelled

    logger.info("Job %s (%s) started", job.pk, job.kind)
    try:
        result = body(job, progress)
        json.dumps(result, cls=DjangoJSONEncoder)
    except JobCancelled:
        logger.info("Job %s stopped after it was cancelled", job.pk)
        return
    except Exception as exc:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobStatus.FAILED, error=_readable_error(job, exc))
        return

    _finish(job, JobStatus.SUCCEEDED, result=result)
    logger.info("Job %s (%s) succeeded", job.pk, job.kind)


def _finish(job: Job, status: str, *, result=None, error="") -> None:
    values = {"status": status, "finished_at": timezone.now(), "error": error}
    if status == JobStatus.SUCCEEDED:
        values["result"] = result
        values["message"] = ""
        if job.progress_total:
            values["progress_done"] = job.progress_total
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**values)


def _readable_error(job: Job, exc: Exception) -> str:
    if isinstance(exc, JobError):
        return str(exc)
    if isinstance(exc, ValidationError):
        return " ".join(str(message) for message in exc.messages)
    return _(
        "The job stopped because of an unexpected error. The administrators "
        "can find the details in the log under job number %(job)s."
    ) % {"job": job.pk}
