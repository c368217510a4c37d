"""`{% job_progress job %}`: a job's progress bar, live while the job runs.

Any admin template can show the progress of a job it started:

    {% load jobs_tags %}
    {% job_progress job %}
    {% job_progress job reload_when_done=True %}

The bar polls the job's JSON endpoint under the admin until the job
finishes; with `reload_when_done` the page reloads then, to show results.
"""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("jobs/includes/progress.html")
def job_progress(job, reload_when_done=False):
    """Render the progress bar of `job`."""
    return {
        "job": job,
        "progress_url": reverse("jobs:progress", args=[job.pk]),
        "reload_when_done": reload_when_done,
    }
