"""Celery tasks of the jobs app: a record count and housekeeping.

`count_records` is a harmless job any admin user can start to see the
background machinery at work: it walks every registered model and counts
the rows of the job's company, one progress step per model.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from cms.jobs import services
from cms.jobs.runner import job_task

logger = logging.getLogger(__name__)


@job_task()
def count_records(job, progress):
    """Count the rows of each registered model for the job's company."""
    from cms.registry import registrations

    entries = registrations()
    counts = []
    progress(0, len(entries))
    for index, registration in enumerate(entries, start=1):
        model = registration.model
        name = str(model._meta.verbose_name_plural)
        queryset = model._default_manager.all()
        if job.company_id is not None and registration.company_field:
            queryset = queryset.filter(**{registration.company_field: job.company_id})
        counts.append(
            {"model": registration.label, "name": name, "count": queryset.count()}
        )
        progress(index, len(entries), name)

    return {"counts": counts, "total": sum(entry["count"] for entry in counts)}


@shared_task(name="cms.jobs.tasks.purge_finished_jobs", ignore_result=True)
def purge_finished_jobs():
    """Delete finished jobs older than JOBS_KEEP_DAYS (run by Celery beat)."""
    services.purge_finished_jobs(older_than=timedelta(days=settings.JOBS_KEEP_DAYS))
