"""Job tasks used only by the tests of the job runner."""

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import F

from cms.jobs.runner import JobError, job_task
from cms.jobs.services import cancel_job
from tests.sample.models import Gadget


@job_task(name="tests.jobs.add_one")
def add_one(job, progress):
    """Add one to the quantity of the gadget named in the parameters."""
    progress(0, 1, "adding")
    Gadget.objects.filter(pk=job.params["gadget"]).update(quantity=F("quantity") + 1)
    progress(1, 1, "added")
    return {"gadget": job.params["gadget"]}


@job_task(name="tests.jobs.crash")
def crash(job, progress):
    progress(1, 3, "about to crash")
    raise RuntimeError("psycopg: relation secret_table at /srv/erp/x.py line 12")


@job_task(name="tests.jobs.refuse")
def refuse(job, progress):
    raise ValidationError("The bank file has no payments.")


@job_task(name="tests.jobs.explain")
def explain(job, progress):
    raise JobError("The reference number 1232 is not valid.")


@job_task(name="tests.jobs.cancelled_midway")
def cancelled_midway(job, progress):
    """Stop after the first of three steps, as if the user pressed cancel."""
    for step in range(1, 4):
        Gadget.objects.filter(pk=job.params["gadget"]).update(
            quantity=F("quantity") + 1
        )
        if step == 1:
            cancel_job(job=job, user=job.user)
        progress(step, 3, f"step {step}")
    return {"steps": 3}


@job_task(name="tests.jobs.look_from_outside")
def look_from_outside(job, progress):
    """Report progress, then read it back over another database connection."""
    progress(1, 2, "halfway")
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT progress_done, progress_total, message FROM jobs_job "
                "WHERE id = %s",
                [job.pk],
            )
            seen = list(cursor.fetchone())
    finally:
        other.close()
    progress(2, 2)
    return {"seen_from_outside": seen}
