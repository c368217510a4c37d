"""Reads of background jobs, narrowed to what a user may see."""

from django.db.models import QuerySet

from cms.jobs.models import Job
from modules.core.scoping import scope_queryset


def visible_jobs(user) -> QuerySet:
    """Return the jobs `user` may follow.

    Superusers see every job. Others see the jobs of their companies and
    the installation-wide jobs they started themselves.
    """
    jobs = Job.objects.select_related("company", "user")
    if user is None or not user.is_authenticated or not user.is_active:
        return jobs.none()
    if user.is_superuser:
        return jobs
    return scope_queryset(jobs, user) | jobs.filter(company__isnull=True, user=user)


def user_can_cancel_job(user, job: Job) -> bool:
    """Return whether `user` may cancel `job` (its starter or a job manager)."""
    if job.is_finished or not visible_jobs(user).filter(pk=job.pk).exists():
        return False
    return (
        user.is_superuser or job.user_id == user.pk or user.has_perm("jobs.change_job")
    )
