"""Start, follow and cancel background jobs.

Every long piece of work (invoice runs, imports, PDF batches, bank files)
is started with `start_job`, which records a `Job` and hands its id to a
Celery task written with `cms.jobs.runner.job_task`.
"""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.jobs.models import FINISHED_STATUSES, Job, JobStatus

logger = logging.getLogger(__name__)

_MESSAGE_LENGTH = Job._meta.get_field("message").max_length
_TITLE_LENGTH = Job._meta.get_field("title").max_length


def _task_for(kind: str):
    from cms.celery import app

    if kind not in app.tasks:
        # Celery imports the apps' tasks modules when a worker starts; a web
        # process has to ask for them.
        app.loader.import_default_modules()
    try:
        return app.tasks[kind]
    except KeyError:
        raise ValidationError(
            _("Unknown background task %(kind)s."),
            code="unknown_task",
            params={"kind": kind},
        ) from None


def start_job(*, company, user, kind, title, params, idempotency_key=None) -> Job:
    """Record a job and queue its task once the transaction commits.

    With an `idempotency_key` that already names a job, return that job and
    queue nothing, so a form sent twice starts the work once. Keys are
    global: build them from the company and what the work is about.
    """
    task = _task_for(kind)
    fields = {
        "company": company,
        "user": user if user is not None and user.is_authenticated else None,
        "kind": kind,
        "title": str(title)[:_TITLE_LENGTH],
        "language": translation.get_language() or "",
        "params": params or {},
    }

    with transaction.atomic():
        if idempotency_key:
            job, created = Job.objects.get_or_create(
                idempotency_key=idempotency_key, defaults=fields
            )
        else:
            job, created = Job.objects.create(**fields), True
        if not created:
            if job.kind != kind or job.company_id != getattr(company, "pk", None):
                raise ValidationError(
                    _("This request key is already used by another job."),
                    code="idempotency_key_reused",
                )
            return job
        transaction.on_commit(lambda: _enqueue(task, job.pk))

    logger.info("Job %s (%s) queued", job.pk, kind)
    return job


def _enqueue(task, job_id: int) -> None:
    try:
        task.apply_async(kwargs={"job_id": job_id})
    except Exception:
        logger.exception("Job %s could not be sent to the broker", job_id)
        Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error=_(
                "The job could not be started because the background service "
                "is not available. Try again later."
            ),
        )


def report_progress(job: Job, done: int, total: int, message: str = "") -> bool:
    """Write the job's progress at once, in its own short statement.

    Call it between units of work, outside the task's own transactions, so
    the web sees it while the task runs. Return False when the job is no
    longer running (it was cancelled), which tells the task to stop.
    """
    total = max(0, int(total))
    done = max(0, int(done))
    if total:
        done = min(done, total)
    message = str(message)[:_MESSAGE_LENGTH]

    updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        progress_done=done, progress_total=total, message=message
    )

    job.progress_done, job.progress_total, job.message = done, total, message
    return bool(updated)


def cancel_job(*, job: Job, user) -> Job:
    """Cancel a queued or running job; a running task stops at its next step."""
    if job.is_finished:
        raise ValidationError(_("The job has already finished."), code="job_finished")

    updated = (
        Job.objects.filter(pk=job.pk)
        .exclude(status__in=FINISHED_STATUSES)
        .update(
            status=JobStatus.CANCELLED,
            finished_at=timezone.now(),
            message=_("Cancelled by %(user)s") % {"user": user.get_username()},
        )
    )
    job.refresh_from_db()
    if not updated:
        raise ValidationError(_("The job has already finished."), code="job_finished")

    logger.info("Job %s cancelled by %s", job.pk, user.pk)
    return job


def purge_finished_jobs(*, older_than: timedelta) -> int:
    """Delete finished jobs that ended longer ago than `older_than`."""
    cutoff = timezone.now() - older_than
    deleted, _counts = Job.objects.filter(
        status__in=FINISHED_STATUSES, finished_at__lt=cutoff
    ).delete()
    if deleted:
        logger.info("Deleted %s finished jobs older than %s", deleted, cutoff)
    return deleted
